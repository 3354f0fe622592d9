"""regex() and regexall(), with RE2 syntax translated to Python's re."""

from __future__ import annotations

import re
from typing import Any

from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import as_text, function

_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
# Python-only constructs RE2 rejects: back-references, look-around, atomic groups.
_NOT_RE2 = re.compile(r"\(\?(?:=|!|<=|<!|P=|>)|\\[1-9]")
_MULTILINE_FLAG = re.compile(r"\(\?[a-zA-Z]*m[a-zA-Z]*[:)]")


def _re2_to_python(pattern: str) -> str:
    """RE2 syntax as Python's `re` reads it: \\z, \\Q...\\E, [[:alpha:]], (?<name>...) and $."""
    if _NOT_RE2.search(pattern.replace("\\\\", "")):
        raise EvalError("invalid regular expression: RE2 has no back-references or look-around")
    end_only = not _MULTILINE_FLAG.search(pattern)
    output: list[str] = []
    position, in_class = 0, False
    while position < len(pattern):
        char = pattern[position]
        if char == "\\" and pattern.startswith("\\Q", position):
            close = pattern.find("\\E", position + 2)
            close = len(pattern) if close < 0 else close
            output.append(re.escape(pattern[position + 2 : close]))
            position = close + 2
            continue
        if char == "\\":
            escape = pattern[position : position + 2]
            output.append("\\Z" if escape == "\\z" and not in_class else escape)
            position += 2
            continue
        posix = re.match(r"\[:(\^?)([a-z]+):\]", pattern[position:]) if in_class else None
        if posix:
            if posix.group(1) or posix.group(2) not in _POSIX_CLASSES:
                raise EvalError(f"unsupported character class {posix.group(0)}")
            output.append(_POSIX_CLASSES[posix.group(2)])
            position += posix.end()
            continue
        negated = None if in_class else re.match(r"\[\[:\^([a-z]+):\]\]", pattern[position:])
        if negated and negated.group(1) in _POSIX_CLASSES:
            output.append(f"[^{_POSIX_CLASSES[negated.group(1)]}]")
            position += negated.end()
            continue
        if char == "[" and not in_class:
            in_class = True
            output.append(char)
            # A "]" first in a class is a literal, as in RE2.
            for literal in ("^]", "]"):
                if pattern.startswith(literal, position + 1):
                    output.append(literal.replace("]", "\\]"))
                    position += len(literal)
                    break
        elif char == "]" and in_class:
            in_class = False
            output.append(char)
        elif char == "[" and in_class:
            output.append("\\[")  # a literal in RE2; Python would warn of a nested set
        elif char == "$" and not in_class and end_only:
            # RE2's $ is the very end; Python's would also match before a final newline.
            output.append("\\Z")
        elif pattern.startswith("(?<", position) and not in_class:
            output.append("(?P<")
            position += 2
        else:
            output.append(char)
        position += 1
    return "".join(output)


def compile_re2(pattern: Any) -> re.Pattern[str]:
    try:
        # RE2's \d, \w, \s and \b are ASCII-only.
        return re.compile(_re2_to_python(as_text(pattern)), re.ASCII)
    except re.error as error:
        raise EvalError(f"invalid regular expression: {error}") from None


def find_all(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Go's FindAll: like finditer, but an empty match right after a match is skipped."""
    matches: list[re.Match[str]] = []
    for match in pattern.finditer(text):
        if not (matches and match.start() == match.end() == matches[-1].end()):
            matches.append(match)
    return matches


def _capture_kind(pattern: re.Pattern[str]) -> str:
    named = len(pattern.groupindex)
    if named and named != pattern.groups:
        raise EvalError("invalid regular expression: cannot mix named and unnamed groups")
    return "named" if named else "unnamed" if pattern.groups else "none"


def _match_value(match: re.Match[str], kind: str) -> Any:
    if kind == "named":
        return match.groupdict()
    if kind == "unnamed":
        return list(match.groups())
    return match.group(0)


@function("regex")
def _regex(ev: Any, pattern: Any, text: Any) -> Any:
    compiled = compile_re2(pattern)
    kind = _capture_kind(compiled)
    match = compiled.search(as_text(text))
    if match is None:
        raise EvalError("pattern did not match any part of the given string")
    return _match_value(match, kind)


@function("regexall")
def _regexall(ev: Any, pattern: Any, text: Any) -> Any:
    compiled = compile_re2(pattern)
    kind = _capture_kind(compiled)
    return [_match_value(match, kind) for match in find_all(compiled, as_text(text))]
