"""python-hcl2's compiled LALR tables, cached as JSON: a cache entry is data, never code.

Lark's own cache (`Lark(..., cache=...)`, `Lark.save`) is a pickle, and unpickling a file from a
user-writable directory runs whatever it says. Building the tables costs about a second, loading
them from JSON about a twentieth of that, so the tables lark serializes (plain dicts, lists, strings
and numbers) are stored as JSON and rebuilt with lark's own deserializer. An entry that does not
decode or rebuild is a miss: the tables are built again and the entry rewritten.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lark import _LOAD_ALLOWED_OPTIONS
from lark.lexer import TerminalDef

from anyscale_lint import __version__, cache

# Bumped when the layout of an entry changes.
_FORMAT = 1
# JSON objects have string keys only; lark's tables also use integer keys (states, memo ids).
_INT_KEYS = "__int_keys__"


def build(grammar: str, options: dict[str, Any]) -> Lark:
    """Build the parser from the grammar text (no cache)."""
    return Lark(grammar, cache=False, **options)


def _entry_name(grammar: str, options: dict[str, Any]) -> str:
    plain = {k: v for k, v in options.items() if isinstance(v, (str, bool, int))}
    key = json.dumps([_FORMAT, __version__, lark.__version__, grammar, plain], sort_keys=True)
    return f"hcl2-grammar-{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if _INT_KEYS not in value and all(isinstance(key, str) for key in value):
            return {key: _encode(item) for key, item in value.items()}
        if not all(isinstance(key, int) for key in value):
            raise TypeError("only string or integer keys can be stored")
        return {_INT_KEYS: [[key, _encode(item)] for key, item in value.items()]}
    if isinstance(value, (list, tuple)):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} cannot be stored")


def _decode_object(value: dict[str, Any]) -> dict[Any, Any]:
    """json.loads's object hook: undo _encode's integer-keyed form."""
    if _INT_KEYS not in value:
        return value
    pairs = value[_INT_KEYS]
    if len(value) != 1 or not isinstance(pairs, list):
        raise ValueError("malformed integer-keyed object")
    decoded = {}
    for key, item in pairs:
        if not isinstance(key, int) or isinstance(key, bool):
            raise ValueError("malformed integer key")
        decoded[key] = item
    return decoded


def dumps(parser: Lark) -> bytes:
    """The parser's tables as JSON bytes (what lark's pickle cache holds, as plain data)."""
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    # As Lark.save does: options given at load time (the post-lexer object) are not stored.
    data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_ALLOWED_OPTIONS}
    document = {"format": _FORMAT, "data": _encode(data), "memo": _encode(memo)}
    return json.dumps(document, separators=(",", ":")).encode("utf-8")


def loads(entry: bytes, options: dict[str, Any]) -> Lark | None:
    """The parser rebuilt from `dumps` output, or None when the entry is not a valid one."""
    runtime = {k: v for k, v in options.items() if k in _LOAD_ALLOWED_OPTIONS}
    try:
        document = json.loads(entry.decode("utf-8"), object_hook=_decode_object)
        if not isinstance(document, dict) or document.get("format") != _FORMAT:
            return None
        tables = {"data": document["data"], "memo": document["memo"]}
        return Lark.__new__(Lark)._load(tables, **runtime)
    # A damaged or foreign entry can fail anywhere in lark's deserializer, in any way; every
    # failure means the same thing: a cache miss.
    except Exception:
        return None


def cached(grammar: str, options: dict[str, Any]) -> Lark:
    """The parser for `grammar`: from its cache entry when valid, else built and stored."""
    name = _entry_name(grammar, options)
    entry = cache.read_entry(name)
    if entry is not None:
        loaded = loads(entry, options)
        if loaded is not None:
            return loaded
    parser = build(grammar, options)
    try:
        data = dumps(parser)
    except (TypeError, ValueError, RecursionError):
        return parser
    cache.write_entry(name, data)
    return parser
