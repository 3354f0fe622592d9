"""The HCL parser: python-hcl2's grammar, its compiled tables cached as JSON per user.

python-hcl2 writes its compiled grammar next to its own sources; in a read-only or fresh
site-packages every process then pays about a second to rebuild it. We build the same Lark
parser and keep its tables in the user's cache directory (see grammar_cache). Importing `hcl2`
itself also loads its whole serialization API (~0.15 s), so only the grammar file and the
post-lexer are loaded.
"""

from __future__ import annotations

import functools
import gc
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from anyscale_lint.sources.excerpt import excerpt
from anyscale_lint.sources.terraform import grammar_cache, oversized

# python-hcl2's grammar recurses once per nesting level; past this the parser would
# exhaust Python's stack, so deeper input is refused with a located error first.
MAX_NESTING = 200
# Literal lists longer than this are not parsed element by element (see oversized.py); the
# evaluator's MAX_COLLECTION, which refuses them anyway.
MAX_LITERAL_LIST = 10_000


class HclSyntaxError(Exception):
    """Input that is not valid HCL, with its position."""

    # Not a frozen dataclass: raising sets __traceback__ on the exception.
    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def _hcl2_dir() -> Path:
    spec = importlib.util.find_spec("hcl2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("python-hcl2 is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _load_postlexer(hcl2_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "_anyscale_lint_hcl2_postlexer", hcl2_dir / "postlexer.py"
    )
    if spec is None or spec.loader is None:
        raise RuntimeError("python-hcl2's postlexer.py was not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _grammar() -> str:
    """python-hcl2's grammar text."""
    return (_hcl2_dir() / "hcl2.lark").read_text(encoding="utf-8")


def _options() -> dict[str, Any]:
    """The Lark options python-hcl2 parses with."""
    return {
        "parser": "lalr",
        "propagate_positions": True,
        "postlex": _load_postlexer(_hcl2_dir()).PostLexer(),
    }


@functools.lru_cache(maxsize=1)
def parser() -> Lark:
    """The LALR parser for HCL2, built once per process from the cached tables."""
    return grammar_cache.cached(_grammar(), _options())


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


_PARSED: dict[str, Tree[Any]] = {}
# The memo is bounded (oldest trees dropped first) so a long-lived process (the fuzz workers, an
# editor integration) does not grow without end; one scan of a large repository stays within it.
MEMO_ENTRIES = 4096
MEMO_CHARACTERS = 16 * 1024 * 1024


_held = [0]  # characters of text the memo holds


def _remember(text: str, tree: Tree[Any]) -> None:
    _PARSED[text] = tree
    _held[0] += len(text)
    while _PARSED and (len(_PARSED) > MEMO_ENTRIES or _held[0] > MEMO_CHARACTERS):
        oldest = next(iter(_PARSED))
        _held[0] -= len(oldest)
        del _PARSED[oldest]


def parse(text: str) -> Tree[Any]:
    """Parse HCL text, once per process for a given text."""
    # The changed-files scope and the scan read the same files; trees are only read, never
    # changed, so they can be shared. There is no on-disk tree cache: loading a tree from JSON
    # saved only ~25% of parsing it, and a cached tree would be content that decides findings.
    memo = _PARSED.get(text)
    if memo is not None:
        return memo
    # Parsing allocates millions of objects that all survive; each pass of the cyclic garbage
    # collector would walk them all again, which makes large inputs quadratic. The collector
    # is paused meanwhile, and the tree, kept in _PARSED, is moved out of its reach
    # (gc.freeze); a tree dropped from the memo is still freed by reference counting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        tree = parse_uncached(text)
        _remember(text, tree)
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
    return tree


def parse_uncached(text: str) -> Tree[Any]:
    """Parse HCL text; raise HclSyntaxError with line and column on bad input."""
    depth, depth_line = _nesting_depth(text)
    if depth > MAX_NESTING:
        raise HclSyntaxError(depth_line, None, f"nesting deeper than {MAX_NESTING} levels")
    try:
        blanked, starts = oversized.blank(text, MAX_LITERAL_LIST)
        if starts:
            tree = parser().parse(blanked + "\n")
            if oversized.mark(tree, starts):
                return tree
        # A match inside a string or comment: parse the text as it is.
        return parser().parse(text + "\n")
    except UnexpectedCharacters as error:
        position = error.pos_in_stream or 0
        char = text[position] if position < len(text) else "end of file"
        raise HclSyntaxError(error.line, error.column, f"unexpected character {char!r}") from None
    except UnexpectedEOF:
        lines = text.count("\n") + 1
        raise HclSyntaxError(
            lines, None, "unexpected end of file (an unclosed block or string?)"
        ) from None
    except UnexpectedToken as error:
        shown = _described(error.token)
        expected = ", ".join(sorted(error.expected)[:6])
        line = error.line if error.line and error.line > 0 else text.count("\n") + 1
        raise HclSyntaxError(
            line,
            error.column if error.column > 0 else None,
            f"unexpected {shown} (expected {expected})",
        ) from None
    except UnexpectedInput as error:
        raise HclSyntaxError(
            getattr(error, "line", None),
            getattr(error, "column", None),
            f"unexpected input {excerpt(str(getattr(error, 'char', '')) or type(error).__name__)}",
        ) from None
    except RecursionError:
        raise HclSyntaxError(depth_line, None, "expression nested too deeply to parse") from None


def _described(token: Token) -> str:
    """The unexpected token for a message: never the body of a string, heredoc or comment."""
    text = str(token)
    stripped = text.strip(" \t\r")
    if token.type == "$END":
        return "end of file"
    if token.type == "NL_OR_COMMENT":
        return "a comment" if stripped.startswith(("#", "//", "/*")) else "end of line"
    if stripped.startswith("<<"):
        # An unterminated heredoc lexes as one token holding the rest of the file.
        opener = excerpt(stripped.splitlines()[0].strip())[1:-1]
        return f"heredoc opened at line {token.line} ({opener}) that is never closed"
    if stripped[:1] in ("'", "`"):
        return f"a string in {stripped[0]} quotes (HCL strings use double quotes)"
    if token.type == "STRING_CHARS" and "\n" in text.strip():
        return "text of several lines"
    return excerpt(text) if stripped else token.type
