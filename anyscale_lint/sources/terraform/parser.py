"""The HCL parser: tree-sitter-hcl (C), turned into the light syntax tree in one pass.

A syntax error does not lose the file: each ERROR or MISSING node tree-sitter reports is a
located problem (syntax_errors), and only the top-level block it is in is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from anyscale_lint.sources.terraform import convert, grammar, syntax_errors
from anyscale_lint.sources.terraform.nodes import Node, SyntaxProblem

# Deeper input is refused with a located error first: the conversion and the evaluator recurse
# once or twice per nesting level and would exhaust Python's stack.
MAX_NESTING = 200


# tree-sitter-hcl 1.2 lexes `1e30` (an exponent without a fraction, valid HCL) as `1` and a
# name. Such numbers are masked by digits of the same length before parsing; the converter reads
# every literal from the original text, so the value is the number as written.
_BARE_EXPONENT = re.compile(r"\b[0-9]+[eE][-+]?[0-9]+\b")


def _masked(text: str) -> str:
    if "e" not in text and "E" not in text:
        return text
    return _BARE_EXPONENT.sub(lambda match: "0" * len(match.group()), text)


class HclSyntaxError(Exception):
    """Input that cannot be parsed at all, with its position."""

    # Not a frozen dataclass: raising sets __traceback__ on the exception.
    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True)
class Parsed:
    """A parsed file: its body (top-level items with syntax errors left out) and the errors."""

    body: Node
    errors: tuple[SyntaxProblem, ...]
    heredocs: tuple[Node, ...]


# Tokens that matter for nesting in code: comments and strings are skipped whole (a comment
# full of `)` must not lower the count), heredocs are found by their opening marker.
_CODE_TOKEN = re.compile(
    r'#[^\n]*|//[^\n]*|/\*.*?(?:\*/|\Z)|<<-?([A-Za-z][\w.-]*)\r?\n|"|[\[\](){}\n]',
    re.DOTALL,
)
# Inside a quoted string or a heredoc: interpolations and directives open a nested level.
_TEMPLATE_TOKEN = re.compile(r'\\.|\$\$\{|%%\{|\$\{|%\{|"|\n', re.DOTALL)


def _nesting_depth(text: str) -> tuple[int, int]:
    """Deepest nesting of brackets and template interpolations, and the line reaching it."""
    # One frame per open construct: ("code", open brackets) or ("string"/"heredoc", end).
    frames: list[list[Any]] = [["code", 0]]
    depth = deepest = 0
    line = deepest_line = 1
    position = 0
    while position < len(text):
        frame = frames[-1]
        if frame[0] == "code":
            match = _CODE_TOKEN.search(text, position)
            if match is None:
                break
            token = match.group()
            position = match.end()
            if token == "\n" or token[0] in "#/":
                line += token.count("\n")
            elif token == '"':
                frames.append(["string", -1])
                depth += 1
            elif token.startswith("<<"):
                line += 1
                marker = re.compile(rf"^[ \t]*{re.escape(match.group(1))}\r?$", re.MULTILINE)
                end = marker.search(text, position)
                frames.append(["heredoc", end.start() if end else len(text)])
                depth += 1
            elif token in "([{":
                frame[1] += 1
                depth += 1
            elif token == "}" and frame[1] == 0 and len(frames) > 1:
                frames.pop()  # the end of an interpolation
                depth -= 1
            else:
                frame[1] -= 1
                depth -= 1
        else:
            limit = frame[1] if frame[0] == "heredoc" else len(text)
            match = _TEMPLATE_TOKEN.search(text, position, limit)
            if match is None or (frame[0] == "heredoc" and match.start() >= limit):
                line += text.count("\n", position, limit)
                position = limit
                frames.pop()
                depth -= 1
                continue
            token = match.group()
            position = match.end()
            if token == "\n":
                line += 1
            elif token == '"' and frame[0] == "string":
                frames.pop()
                depth -= 1
            elif token in ("${", "%{"):
                frames.append(["code", 0])
                depth += 1
        if depth > deepest:
            deepest, deepest_line = depth, line
    return deepest, deepest_line


_PARSED: dict[str, Parsed] = {}
# The memo is bounded (oldest trees dropped first) so a long-lived process (the fuzz workers, an
# editor integration) does not grow without end; one scan of a large repository stays within it.
MEMO_ENTRIES = 4096
MEMO_CHARACTERS = 16 * 1024 * 1024


_held = [0]  # characters of text the memo holds


def _remember(text: str, parsed: Parsed) -> None:
    _PARSED[text] = parsed
    _held[0] += len(text)
    while _PARSED and (len(_PARSED) > MEMO_ENTRIES or _held[0] > MEMO_CHARACTERS):
        oldest = next(iter(_PARSED))
        _held[0] -= len(oldest)
        del _PARSED[oldest]


def parse(text: str) -> Parsed:
    """Parse HCL text, once per process for a given text."""
    # The changed-files scope and the scan read the same files; trees are only read, never
    # changed, so they can be shared.
    memo = _PARSED.get(text)
    if memo is None:
        memo = parse_uncached(text)
        _remember(text, memo)
    return memo


def _may_nest_deeply(text: str) -> bool:
    """Whether the text holds enough openers to nest past MAX_NESTING (str.count is cheap)."""
    openers = sum(text.count(opener) for opener in ("[", "(", "{", '"', "<<"))
    return openers > MAX_NESTING


def parse_uncached(text: str) -> Parsed:
    """Parse HCL text; HclSyntaxError only for input nested too deeply to convert."""
    depth, depth_line = _nesting_depth(text) if _may_nest_deeply(text) else (0, 1)
    if depth > MAX_NESTING:
        raise HclSyntaxError(depth_line, None, f"nesting deeper than {MAX_NESTING} levels")
    data = _masked(text).encode("utf-8", "surrogatepass")
    tree = grammar.parser().parse(data)
    converter = convert.Converter(text)
    try:
        return _convert(tree.root_node, converter)
    except RecursionError:
        raise HclSyntaxError(depth_line, None, "expression nested too deeply to parse") from None


def _convert(root: Any, converter: convert.Converter) -> Parsed:
    """The body of the file's error-free top-level items, and a problem for each error."""
    items: list[Node] = []
    errors: list[SyntaxProblem] = []
    top = [root] if root.type != "config_file" else []
    for child in root.named_children if root.type == "config_file" else ():
        top += child.named_children if child.type == "body" else [child]
    for child in top:
        if child.type == "comment":
            continue
        if child.has_error or child.type not in ("attribute", "block"):
            errors += syntax_errors.problems(child, converter)
            continue
        try:
            items.append(converter.item(child))
        except convert.UnsupportedSyntax as error:
            errors.append(syntax_errors.unsupported(child, converter, str(error)))
    body = Node("body", None, tuple(items), 0, len(converter.text), 1, 1, 1)
    return Parsed(body, tuple(errors), tuple(converter.heredocs))
