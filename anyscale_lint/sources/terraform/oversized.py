"""Literal lists too large to evaluate, blanked out before parsing.

The LALR parser (lark, pure Python) costs tens of microseconds per token, so a 2 MB list of
a million numbers would take minutes to parse, only for its value to be refused by the
evaluation budget. A flat list of literals longer than MAX_COLLECTION is blanked (newlines
kept, so every position stays the same) and its tuple node replaced by `oversized_tuple`,
which evaluates to an Unknown with a budget notice.
"""

from __future__ import annotations

import re
from typing import Any

import re2
from lark import Tree

# Bracketed lists of plain literals only (numbers, strings without escapes or templates,
# true/false/null); anything else is left to the parser.
_LITERAL = r'(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|"[^"\\$%\n]*"|true|false|null)'
# RE2: Python's re would keep backtracking state for each of a million elements.
_FLAT_LIST = re2.compile(rf"\[(?:\s*{_LITERAL}\s*,)+\s*(?:{_LITERAL}\s*)?\]")
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(text: str, limit: int) -> tuple[str, set[int]]:
    """The text with every flat literal list of more than `limit` elements blanked."""
    if text.count(",") <= limit:
        return text, set()
    pieces: list[str] = []
    starts: set[int] = set()
    position = 0
    for match in _FLAT_LIST.finditer(text):
        if text.count(",", match.start(), match.end()) < limit:
            continue
        interior = text[match.start() + 1 : match.end() - 1]
        pieces += [text[position : match.start() + 1], _NOT_NEWLINE.sub(" ", interior), "]"]
        starts.add(match.start())
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces), starts


def mark(tree: Tree[Any], starts: set[int]) -> bool:
    """Replace the blanked tuples by `oversized_tuple`; False if one is not a tuple node."""
    found = 0
    for subtree in tree.iter_subtrees():
        for index, child in enumerate(subtree.children):
            if (
                isinstance(child, Tree)
                and child.data == "tuple"
                and not child.meta.empty
                and child.meta.start_pos in starts
            ):
                subtree.children[index] = Tree("oversized_tuple", [], child.meta)
                found += 1
    return found == len(starts)
