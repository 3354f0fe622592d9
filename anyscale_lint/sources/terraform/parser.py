"""The HCL parser: tree-sitter-hcl (C), turned into the light syntax tree in one pass.

A syntax error does not lose the file: each ERROR or MISSING node tree-sitter reports is a
located problem (syntax_errors), and only the top-level block it is in is dropped.
"""

from __future__ import annotations

import gc
import itertools
import re
from dataclasses import dataclass
from typing import Any

import tree_sitter

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


def forget(text: str) -> None:
    """Drop the remembered tree of a text whose file was let go (a scan of many roots)."""
    if _PARSED.pop(text, None) is not None:
        _held[0] -= len(text)


def parse(text: str) -> Parsed:
    """Parse HCL text, once per process for a given text."""
    # The changed-files scope and the scan read the same files; trees are only read, never
    # changed, so they can be shared.
    memo = _PARSED.get(text)
    if memo is not None:
        return memo
    # Conversion allocates many objects that all survive; each pass of the cyclic garbage
    # collector would walk them (and everything else alive) again. The collector is paused
    # meanwhile, and the tree, kept in _PARSED, is moved out of its reach (gc.freeze); a tree
    # dropped from the memo is still freed by reference counting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        memo = parse_uncached(text)
        _remember(text, memo)
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
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
    items: list[Node] = []
    errors: list[SyntaxProblem] = []
    try:
        for item in _top_level(tree.root_node):
            if item.has_error or item.type not in ("attribute", "block"):
                _recover(item, data, converter, items, errors)
            else:
                _take(item, converter, items, errors)
    except RecursionError:
        raise HclSyntaxError(depth_line, None, "expression nested too deeply to parse") from None
    body = Node("body", None, tuple(items), 0, len(text), 1, 1, 1)
    return Parsed(body, tuple(errors), tuple(converter.heredocs))


def _top_level(root: Any) -> list[Any]:
    """The top-level items (attributes, blocks, ERROR nodes) of a tree-sitter tree."""
    if root.type != "config_file":
        return [root]
    top: list[Any] = []
    for child in root.named_children:
        top += child.named_children if child.type == "body" else [child]
    return [child for child in top if child.type != "comment"]


def _take(
    item: Any, converter: convert.Converter, items: list[Node], errors: list[SyntaxProblem]
) -> None:
    try:
        items.append(converter.item(item))
    except convert.UnsupportedSyntax as error:
        errors.append(syntax_errors.unsupported(item, converter, str(error)))


# A line that opens a top-level block (`resource "a" "b" {`), where parsing can start again.
_BLOCK_START = re.compile(
    rb'^[A-Za-z_][\w-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][\w-]*))*[ \t]*\{', re.MULTILINE
)


def _recover(
    item: Any,
    data: bytes,
    converter: convert.Converter,
    items: list[Node],
    errors: list[SyntaxProblem],
) -> None:
    """Report an item with errors; blocks that tree-sitter's recovery folded into it are read.

    Recovering from `acl = }`, tree-sitter may take every following block into the broken one.
    The item's text is cut where a line opens a top-level block and each piece is parsed alone
    (positions stay those of the file); only the piece holding the error is dropped.
    """
    starts = [m.start() for m in _BLOCK_START.finditer(data, item.start_byte + 1, item.end_byte)]
    if not starts:
        errors.extend(syntax_errors.problems(item, converter))
        return
    bounds = [item.start_byte, *starts, item.end_byte]
    for start, end in itertools.pairwise(bounds):
        if start >= end:
            continue
        first_row = data.count(b"\n", 0, start)
        last_row = first_row + data.count(b"\n", start, end)
        last_column = end - (data.rfind(b"\n", 0, end) + 1)
        piece = tree_sitter.Range(
            tree_sitter.Point(first_row, 0), tree_sitter.Point(last_row, last_column), start, end
        )
        tree = tree_sitter.Parser(grammar.language(), included_ranges=[piece]).parse(data)
        for child in _top_level(tree.root_node):
            if child.has_error or child.type not in ("attribute", "block"):
                errors.extend(syntax_errors.problems(child, converter))
            else:
                _take(child, converter, items, errors)
