"""Template parts of quoted strings, heredocs and template files, ready to evaluate."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from anyscale_lint.sources.terraform import parser


@dataclass(frozen=True)
class Literal:
    text: str


@dataclass(frozen=True)
class Interpolation:
    tree: Any
    text: str
    strip_before: bool
    strip_after: bool


@dataclass(frozen=True)
class Directive:
    """`%{ if c }`, `%{ else }`, `%{ endif }`, `%{ for k, v in c }`, `%{ endfor }`."""

    keyword: str
    tree: Any
    text: str
    names: tuple[str, ...]
    strip_before: bool
    strip_after: bool


Part = Literal | Interpolation | Directive

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_UNICODE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$(\$\{)|%(%\{)", re.DOTALL)


def unescape(chars: str) -> str:
    """Decode HCL quoted-string escapes (`\\n`, `\\"`, `\\u00e9`, `$${`, `%%{`, ...)."""

    def replace(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        if code:
            return chr(int(code, 16))
        template_escape = match.group(4) or match.group(5)
        if template_escape:
            return template_escape
        char = match.group(3)
        return _ESCAPES.get(char, "\\" + char)

    return _UNICODE.sub(replace, chars)


class TemplateError(ValueError):
    """A template whose interpolation or directive cannot be parsed."""


def strip_whitespace(parts: list[Part]) -> list[Part]:
    """Apply `~` strip markers: they remove the whitespace of the literal text beside them."""
    result = list(parts)
    for index, part in enumerate(result):
        if isinstance(part, Literal):
            continue
        if part.strip_before and index > 0 and isinstance(result[index - 1], Literal):
            result[index - 1] = Literal(result[index - 1].text.rstrip())
        if part.strip_after and index + 1 < len(result) and isinstance(result[index + 1], Literal):
            result[index + 1] = Literal(result[index + 1].text.lstrip())
    return result


def heredoc_body(token: str) -> str:
    """The content of a heredoc token, with `<<-` indentation removed as Terraform does."""
    header, _, rest = token.partition("\n")
    trimmed = header.startswith("<<-")
    marker = header[3:] if trimmed else header[2:]
    lines = rest.split("\n")
    while lines and lines[-1].strip() in ("", marker.strip()):
        last = lines.pop()
        if last.strip() == marker.strip():
            break
    lines = [line.removesuffix("\r") for line in lines]
    if trimmed:
        indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
        cut = min(indents, default=0)
        lines = [line[cut:] for line in lines]
    return "\n".join(lines) + "\n"


def expression_end(source: str, start: int) -> int:
    """Index of the `}` closing an interpolation whose expression starts at `start`."""
    depth = 0
    index = start
    while index < len(source):
        char = source[index]
        if char == '"':
            index += 1
            while index < len(source) and source[index] != '"':
                index += 2 if source[index] == "\\" else 1
        elif char in "{[(":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    raise TemplateError("unclosed interpolation or directive")


@functools.lru_cache(maxsize=4096)
def parse_expression(source: str) -> Any:
    """Parse one expression (the inside of an interpolation) into a tree, with its text."""
    snippet = f"__expr__ = {source}"
    try:
        parsed = parser.parse(snippet)
    except parser.HclSyntaxError as error:
        raise TemplateError(f"invalid expression {source.strip()!r}: {error.message}") from None
    items = parsed.body.children
    if parsed.errors or len(items) != 1 or items[0].kind != "attribute":
        message = parsed.errors[0].message if parsed.errors else "not one expression"
        raise TemplateError(f"invalid expression {source.strip()!r}: {message}")
    return items[0].children[0], snippet


_DIRECTIVE = re.compile(r"^(~?)\s*(if|else|endif|for|endfor)\b(.*?)\s*(~?)$", re.DOTALL)
_FOR_HEAD = re.compile(
    r"^\s*([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s+(.*)$", re.DOTALL
)


_MARKER = re.compile(r"\$\$\{|%%\{|\$\{|%\{")


def parts_of_template(source: str) -> list[Part]:
    """Template parts of heredoc or template-file text."""
    parts: list[Part] = []
    literal: list[str] = []
    index = 0
    # From marker to marker, not character by character: a policy heredoc is mostly literal.
    while (marker := _MARKER.search(source, index)) is not None:
        if marker.start() > index:
            literal.append(source[index : marker.start()])
        token = marker.group()
        if len(token) == 3:  # $${ and %%{ escape the marker
            literal.append(token[1:])
            index = marker.end()
            continue
        if literal:
            parts.append(Literal("".join(literal)))
            literal = []
        end = expression_end(source, marker.end())
        inside = source[marker.end() : end]
        strip_before = inside.startswith("~")
        strip_after = inside.endswith("~")
        core = inside[1 if strip_before else 0 : -1 if strip_after else None]
        if token == "${":
            tree, snippet = parse_expression(core)
            parts.append(Interpolation(tree, snippet, strip_before, strip_after))
        else:
            parts.append(_directive(core, strip_before, strip_after))
        index = end + 1
    if index < len(source):
        literal.append(source[index:])
    if literal:
        parts.append(Literal("".join(literal)))
    return strip_whitespace(parts)


def _directive(core: str, strip_before: bool, strip_after: bool) -> Directive:
    match = _DIRECTIVE.match(core.strip())
    if not match:
        raise TemplateError(f"unknown template directive %{{{core}}}")
    keyword, rest = match.group(2), match.group(3)
    if keyword == "if":
        tree, snippet = parse_expression(rest)
        return Directive("if", tree, snippet, (), strip_before, strip_after)
    if keyword == "for":
        head = _FOR_HEAD.match(rest)
        if not head:
            raise TemplateError(f"invalid for directive %{{{core}}}")
        names = tuple(name for name in head.group(1, 2) if name)
        tree, snippet = parse_expression(head.group(3))
        return Directive("for", tree, snippet, names, strip_before, strip_after)
    return Directive(keyword, None, "", (), strip_before, strip_after)


def unbalanced(parts: list[Part]) -> str | None:
    """Why the template's `%{ if }` / `%{ for }` directives do not pair up, if they do not."""
    open_directives: list[str] = []
    for part in parts:
        if not isinstance(part, Directive):
            continue
        keyword = part.keyword
        if keyword in ("if", "for"):
            open_directives.append(keyword)
        elif keyword == "else":
            if not open_directives or open_directives[-1] != "if":
                return "%{ else } outside an %{ if }"
        else:
            expected = keyword.removeprefix("end")
            if not open_directives or open_directives.pop() != expected:
                return f"%{{ {keyword} }} without a matching %{{ {expected} }}"
    if open_directives:
        keyword = open_directives[-1]
        return f"%{{ {keyword} }} has no matching %{{ end{keyword} }}"
    return None
