"""The tree-sitter-hcl language, loaded once per process."""

from __future__ import annotations

import functools

import tree_sitter
import tree_sitter_hcl


@functools.lru_cache(maxsize=1)
def language() -> tree_sitter.Language:
    """HCL's tree-sitter language (a compiled C grammar: nothing to build or cache)."""
    return tree_sitter.Language(tree_sitter_hcl.language())


@functools.lru_cache(maxsize=1)
def parser() -> tree_sitter.Parser:
    """A parser for HCL (one per process: parsing is single-threaded here)."""
    return tree_sitter.Parser(language())
