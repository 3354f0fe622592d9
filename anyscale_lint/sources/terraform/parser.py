"""The HCL parser: python-hcl2's grammar, with its grammar cache kept in a user cache dir.

python-hcl2 writes its compiled grammar next to its own sources; in a read-only or fresh
site-packages every process then pays about a second to rebuild it. We build the same Lark
parser with the cache in the user's cache directory. Importing `hcl2` itself also loads its
whole serialization API (~0.15 s), so only the grammar file and the post-lexer are loaded.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from anyscale_lint.sources.excerpt import excerpt

# python-hcl2's grammar recurses once per nesting level; past this the parser would
# exhaust Python's stack, so deeper input is refused with a located error first.
MAX_NESTING = 200


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


def cache_dir() -> Path:
    """Where the compiled grammar is cached (ANYSCALE_LINT_CACHE_DIR overrides)."""
    explicit = os.environ.get("ANYSCALE_LINT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "anyscale-lint"


@functools.lru_cache(maxsize=1)
def _grammar() -> tuple[str, str]:
    """python-hcl2's grammar text and a digest of it (and of this Python) for cache keys."""
    grammar = (_hcl2_dir() / "hcl2.lark").read_text(encoding="utf-8")
    digest = hashlib.sha256(f"{grammar}{sys.version_info[:2]}".encode()).hexdigest()[:16]
    return grammar, digest


@functools.lru_cache(maxsize=1)
def parser() -> Lark:
    """The LALR parser for HCL2, built once per process from the cached grammar."""
    hcl2_dir = _hcl2_dir()
    grammar, digest = _grammar()
    postlexer = _load_postlexer(hcl2_dir)
    options: dict[str, Any] = {
        "parser": "lalr",
        "propagate_positions": True,
        "postlex": postlexer.PostLexer(),
    }
    cache: str | bool = False
    try:
        directory = cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        if os.access(directory, os.W_OK):
            cache = str(
                directory
                / f"hcl2-grammar-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.bin"
            )
    except OSError:
        cache = False
    return Lark(grammar, cache=cache, **options)


def _nesting_depth(text: str) -> tuple[int, int]:
    """Deepest bracket nesting outside strings, and the line where it is reached."""
    depth = deepest = 0
    line = deepest_line = 1
    in_string = False
    escaped = False
    for char in text:
        if char == "\n":
            line += 1
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "([{":
            depth += 1
            if depth > deepest:
                deepest, deepest_line = depth, line
        elif char in ")]}":
            depth -= 1
    return deepest, deepest_line


_PARSED: dict[str, Tree[Any]] = {}


def _tree_cache_path(text: str) -> Path | None:
    if os.environ.get("ANYSCALE_LINT_NO_CACHE"):
        return None
    key = hashlib.sha256(f"{_grammar()[1]}\0{text}".encode()).hexdigest()
    return cache_dir() / "trees" / key[:2] / f"{key}.pickle"


def parse(text: str) -> Tree[Any]:
    """Parse HCL text (a parse tree cache skips the grammar for unchanged files)."""
    # Loading the compiled grammar costs ~0.13 s per process, parsing a file is cheap;
    # an unchanged file's tree comes from the cache (a pickle, as Lark's own grammar
    # cache is, in the user's cache directory) and the grammar is never loaded.
    # Within one process a text is parsed once (the changed-files scope and the scan read the
    # same files); trees are only read, never changed, so they can be shared.
    memo = _PARSED.get(text)
    if memo is not None:
        return memo
    tree = _parse_cached(text)
    _PARSED[text] = tree
    return tree


def _parse_cached(text: str) -> Tree[Any]:
    path = _tree_cache_path(text)
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                cached = pickle.load(handle)
            if isinstance(cached, Tree):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, RecursionError):
            pass
    tree = parse_uncached(text)
    if path is not None:
        _store(path, tree)
    return tree


def _store(path: Path, tree: Tree[Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except (OSError, RecursionError, pickle.PicklingError):
        return


def parse_uncached(text: str) -> Tree[Any]:
    """Parse HCL text; raise HclSyntaxError with line and column on bad input."""
    depth, depth_line = _nesting_depth(text)
    if depth > MAX_NESTING:
        raise HclSyntaxError(depth_line, None, f"nesting deeper than {MAX_NESTING} levels")
    try:
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
