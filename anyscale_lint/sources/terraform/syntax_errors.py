"""Located messages for tree-sitter's ERROR and MISSING nodes, naming what is dropped.

A message says where, what was found and what was expected, and never quotes the body of a
string or heredoc (it may be a secret): tokens are shown as a one-line excerpt of at most 40
characters, string contents not at all.
"""

from __future__ import annotations

import re

from tree_sitter import Node as TsNode

from anyscale_lint.sources.excerpt import clip, excerpt
from anyscale_lint.sources.terraform import grammar, templates
from anyscale_lint.sources.terraform.convert import Converter
from anyscale_lint.sources.terraform.nodes import SyntaxProblem

# Tokens that open an expression: when all of them are allowed, "an expression" says it.
_EXPRESSION_START = frozenset({"(", "[", "{", "identifier", "numeric_lit", "quoted_template_start"})
# Tokens worth naming besides "an expression".
_STRUCTURAL = ("}", "]", ")", ",", "=", "{", ":", "=>", "?", "in")
# After these, only an expression can follow.
_EXPECTS_EXPRESSION = frozenset(
    {
        "=",
        "?",
        ":",
        "=>",
        "+",
        "-",
        "*",
        "/",
        "%",
        "!",
        "&&",
        "||",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
    }
)
# Leaves inside a string or heredoc: never quoted.
_TEXT_LEAVES = frozenset({"template_literal", "heredoc_identifier"})
_MISSING_WORDS = {
    "heredoc_identifier": "the closing marker of a heredoc",
    "identifier": "a name",
    "template_interpolation_end": "the '}' closing an interpolation",
    "template_directive_end": "the '}' closing a template directive",
}
# A value that starts with a quote HCL does not have.
_SINGLE_QUOTED = re.compile(r"[=(\[,:][ \t]*(['`])")
_HEREDOC_OPENER = re.compile(r"<<(-?)([A-Za-z_][\w.-]*)[ \t]*\r?\n")


def problems(item: TsNode, converter: Converter) -> list[SyntaxProblem]:
    """A problem for each outermost ERROR and each MISSING node in a top-level item."""
    dropped = _dropped(item, converter)
    found: list[SyntaxProblem] = []
    stack = [item]
    while stack:
        node = stack.pop()
        if node.is_error:
            found.append(_error(node, converter, dropped))
        elif node.is_missing:
            found.append(_missing(node, converter, dropped))
        elif node.has_error:
            stack.extend(reversed(node.children))
    if not found:  # an item the converter does not take (cannot happen with this grammar)
        found.append(unsupported(item, converter, item.type))
    # One mistake can leave several MISSING nodes saying the same thing.
    return list(dict.fromkeys(found))


def unsupported(item: TsNode, converter: Converter, kind: str) -> SyntaxProblem:
    """A construct the parser accepted but the linter cannot read."""
    line, column = item.start_point.row + 1, converter.column(item)
    dropped = _dropped(item, converter)
    return SyntaxProblem(line, column, f"unsupported syntax ({kind}); {dropped} is not read")


def _dropped(item: TsNode, converter: Converter) -> str:
    """What of the file is left out: the top-level block or argument, or the lines."""
    named = [child for child in item.named_children if child.type != "comment"]
    if item.type in ("block", "ERROR") and named and named[0].type == "identifier":
        labels = []
        for child in named[1:]:
            if child.type not in ("string_lit", "identifier"):
                break
            labels.append(clip(converter.source(child)))
        if item.type == "block" or any(child.type == "block_start" for child in named):
            return "block " + " ".join([clip(converter.source(named[0])), *labels])
    if item.type == "attribute" and named:
        return f"argument {clip(converter.source(named[0]))}"
    first, last = item.start_point.row + 1, item.end_point.row + 1
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _problem(node: TsNode, converter: Converter, message: str, dropped: str) -> SyntaxProblem:
    line, column = node.start_point.row + 1, converter.column(node)
    return SyntaxProblem(line, column, f"{message} ({dropped} dropped)")


def _leaves(node: TsNode) -> list[TsNode]:
    found: list[TsNode] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.child_count == 0:
            found.append(current)
        else:
            stack.extend(reversed(current.children))
    return found


def _error(node: TsNode, converter: Converter, dropped: str) -> SyntaxProblem:
    template = _template_problem(node, converter)
    if template is not None:
        line, message = template
        return SyntaxProblem(line, None, f"{message} ({dropped} dropped)")
    quote = _SINGLE_QUOTED.search(converter.source(node))
    if quote is not None:
        line = node.start_point.row + 1 + converter.source(node).count("\n", 0, quote.start())
        message = f"a string in {quote.group(1)} quotes (HCL strings use double quotes)"
        return SyntaxProblem(line, None, f"{message} ({dropped} dropped)")
    leaves = [leaf for leaf in _leaves(node) if leaf.type != "comment"]
    for leaf in leaves:
        text = converter.source(leaf).lstrip()
        if leaf.type not in ("template_literal",) and text[:1] in ("'", "`"):
            return _problem(
                leaf,
                converter,
                f"a string in {text[0]} quotes (HCL strings use double quotes)",
                dropped,
            )
    if not leaves:
        return _problem(node, converter, "invalid syntax", dropped)
    last = leaves[-1]
    if last.type in _EXPECTS_EXPRESSION and not last.is_named:
        found = _next(node, converter)
        message = f"expected an expression after {last.type!r}, found {found}"
        return _problem(last, converter, message, dropped)
    first = leaves[0]
    if len(leaves) == 1:
        message = f"unexpected {_described(first, converter)}"
    else:
        message = (
            f"invalid syntax from {_described(first, converter)} up to {_next(node, converter)}"
        )
    expected = _expected(_previous_leaf(node))
    return _problem(
        first, converter, message + (f" (expected {expected})" if expected else ""), dropped
    )


def _missing(node: TsNode, converter: Converter, dropped: str) -> SyntaxProblem:
    kind = node.type
    quote = converter.text[converter.char(node.start_byte) :].lstrip()[:1]
    if quote in ("'", "`"):
        # tree-sitter recovers from a quote HCL does not have by inventing a heredoc.
        message = f"a string in {quote} quotes (HCL strings use double quotes)"
        return _problem(node, converter, message, dropped)
    if kind in ("heredoc_identifier", "template_interpolation_end", "template_directive_end"):
        template = _template_problem(_top(node), converter)
        if template is not None:
            line, message = template
            return SyntaxProblem(line, None, f"{message} ({dropped} dropped)")
    if kind in ("<<", "<<-", "heredoc_identifier") and "<<" not in converter.source(_top(node)):
        # No heredoc was written: tree-sitter invented one to recover from a stray token.
        return _problem(node, converter, f"unexpected {_next_token(node, converter)}", dropped)
    if kind == "quoted_template_end":
        opened = node.parent.start_point.row + 1 if node.parent else node.start_point.row + 1
        return _problem(node, converter, f"string opened at line {opened} is never closed", dropped)
    at_end = node.start_byte >= len(converter.text.encode("utf-8", "surrogatepass").rstrip())
    where = "the end of the file" if at_end else _next(node, converter)
    what = _MISSING_WORDS.get(kind, repr(kind))
    return _problem(node, converter, f"missing {what} before {where}", dropped)


def _top(node: TsNode) -> TsNode:
    while node.parent is not None and node.parent.type not in ("body", "config_file"):
        node = node.parent
    return node


def _previous_leaf(node: TsNode) -> TsNode | None:
    current: TsNode | None = node
    while current is not None and current.prev_sibling is None:
        current = current.parent
    leaf = current.prev_sibling if current is not None else None
    while leaf is not None and leaf.child_count:
        leaf = leaf.children[-1]
    return leaf


def _next(node: TsNode, converter: Converter) -> str:
    """What follows a node: the next token, described."""
    current: TsNode | None = node
    while current is not None and current.next_sibling is None:
        current = current.parent
    leaf = current.next_sibling if current is not None else None
    while leaf is not None and leaf.child_count:
        leaf = leaf.children[0]
    if leaf is None or (leaf.is_missing and leaf.start_byte == node.end_byte):
        return "the end of the file"
    between = converter.text[converter.char(node.end_byte) : converter.char(leaf.start_byte)]
    if "\n" in between:
        return "the end of the line"
    return _described(leaf, converter)


def _next_token(node: TsNode, converter: Converter) -> str:
    """The token at a zero-width node's position, described."""
    rest = converter.text[converter.char(node.start_byte) :].lstrip(" \t")
    if not rest or rest[0] == "\n":
        return "end of line" if rest else "end of file"
    token = re.match(r"[\w.-]+|\S", rest)
    shown = token.group() if token else rest[0]
    return "a string" if shown == '"' else excerpt(shown)


def _described(leaf: TsNode, converter: Converter) -> str:
    """A token for a message: never the contents of a string, heredoc or comment."""
    kind = leaf.type
    if kind in _TEXT_LEAVES or kind.startswith("quoted_template"):
        return "a string"
    if kind == "comment":
        return "a comment"
    if leaf.is_missing:
        return f"a missing {kind!r}"
    return excerpt(converter.source(leaf))


def _expected(leaf: TsNode | None) -> str:
    """The tokens the grammar accepts after a token, in words ("" when it cannot say)."""
    if leaf is None or leaf.is_missing or leaf.is_error:
        return ""
    iterator = grammar.language().lookahead_iterator(leaf.next_parse_state)
    if iterator is None:
        return ""
    names = set(iterator.names())
    words = ["an expression"] if names >= _EXPRESSION_START else []
    words += [repr(name) for name in _STRUCTURAL if name in names]
    # After error recovery the parser's state can allow nearly anything: not worth saying.
    return " or ".join(words) if len(words) <= 4 else ""


def _template_problem(node: TsNode, converter: Converter) -> tuple[int, str] | None:
    """A broken heredoc or template inside the node's text, found by the template reader."""
    text = converter.text
    start, end = converter.char(node.start_byte), converter.char(node.end_byte)
    region = text[start:end]
    for match in _HEREDOC_OPENER.finditer(region):
        line = text.count("\n", 0, start + match.start()) + 1
        marker = match.group(2)
        closing = re.compile(rf"^[ \t]*{re.escape(marker)}[ \t]*\r?$", re.MULTILINE)
        close = closing.search(text, start + match.end())
        opener = clip(match.group(0).strip())
        if close is None:
            return line, f"heredoc opened at line {line} ({opener}) that is never closed"
        body = text[start + match.end() : close.start()]
        problem = _template_text_problem(body)
        if problem is not None:
            return line, f"Invalid template: {problem}"
    return _string_problem(region, text, start)


def _string_problem(region: str, text: str, start: int) -> tuple[int, str] | None:
    """An unterminated or broken quoted string in the region (which starts at `start`)."""
    # Heredoc bodies are blanked: their quotes open no string.
    for match in _HEREDOC_OPENER.finditer(region):
        marker_at = region.find("\n" + match.group(2), match.end())
        stop = len(region) if marker_at < 0 else marker_at
        region = (
            region[: match.end()]
            + re.sub(r"[^\n]", " ", region[match.end() : stop])
            + region[stop:]
        )
    index = region.find('"')
    while index >= 0:
        line = text.count("\n", 0, start + index) + 1
        closing = _quoted_end(region, index + 1)
        if closing is None:
            return line, f"string opened at line {line} is never closed"
        if closing < 0:
            return line, "Invalid template: unclosed interpolation or directive"
        problem = _template_text_problem(region[index + 1 : closing])
        if problem is not None:
            return line, f"Invalid template: {problem}"
        index = region.find('"', closing + 1)
    return None


def _quoted_end(region: str, start: int) -> int | None:
    """The index of the quote closing a string whose characters start at `start`: None when the
    line ends first, -1 when an interpolation in it is never closed."""
    index = start
    while index < len(region):
        char = region[index]
        if char == "\\":
            index += 2
        elif char == "\n":
            return None
        elif char == '"':
            return index
        elif region.startswith(("$${", "%%{"), index):
            index += 3
        elif region.startswith(("${", "%{"), index):
            try:
                index = templates.expression_end(region, index + 2) + 1
            except templates.TemplateError:
                return -1
        else:
            index += 1
    return None


def _template_text_problem(body: str) -> str | None:
    try:
        parts = templates.parts_of_template(body)
    except templates.TemplateError as error:
        return str(error)
    return templates.unbalanced(parts)
