"""What the on-disk cache saves: grammar tables (build vs JSON vs lark's pickle), rules validation.

    python benchmarks/cache.py [--runs 5]

Also shows what a JSON parse-tree cache would save over parsing every .tf file of examples/ and
tests/fixtures (the reason there is none). Prints the minimum and median of --runs timings.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lark import Token, Tree
from lark.lark import _LOAD_ALLOWED_OPTIONS, Lark

from anyscale_lint.engine import registry
from anyscale_lint.sources.terraform import grammar_cache, parser

REPO = Path(__file__).resolve().parent.parent


def _time(runs: int, action: Callable[[], object]) -> str:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return f"min {min(timings) * 1000:7.1f} ms   median {statistics.median(timings) * 1000:7.1f} ms"


def _tree_to_json(node: Tree[Any] | Token, names: dict[str, int]) -> Any:
    """A compact JSON form: tokens as [type, start, end] (value sliced from the text)."""
    if isinstance(node, Token):
        return [names.setdefault(node.type, len(names)), node.start_pos, node.end_pos]
    meta = node.meta
    fields = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")
    return [
        names.setdefault(node.data, len(names)),
        0 if meta.empty else [getattr(meta, name) for name in fields],
        [_tree_to_json(child, names) for child in node.children],
    ]


def _tree_from_json(item: Any, names: list[str], text: str, starts: list[int]) -> Any:
    import bisect

    if isinstance(item[1], int) and len(item) == 3 and isinstance(item[2], int):
        start, end = item[1], item[2]
        value = text[start:end]
        line = bisect.bisect_right(starts, start)
        column = start - starts[line - 1] + 1
        return Token(names[item[0]], value, start, line, column, line, 0, end)
    tree = Tree(names[item[0]], [_tree_from_json(c, names, text, starts) for c in item[2]])
    if item[1]:
        fields = ("line", "column", "start_pos", "end_line", "end_column", "end_pos")
        for name, value in zip(fields, item[1], strict=True):
            setattr(tree.meta, name, value)
        tree.meta.empty = False
    return tree


def main() -> None:
    """Print the timings."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=5)
    runs = arguments.parse_args().runs
    grammar, options = parser._grammar(), parser._options()
    built = grammar_cache.build(grammar, options)
    entry = grammar_cache.dumps(built)
    pickled = io.BytesIO()
    built.save(pickled, exclude_options=tuple(_LOAD_ALLOWED_OPTIONS))
    runtime = {k: v for k, v in options.items() if k in _LOAD_ALLOWED_OPTIONS}
    build_runs = max(1, runs // 2)
    print(f"grammar tables: JSON entry {len(entry) / 1e6:.2f} MB")
    print(
        "  build (no cache)        ",
        _time(build_runs, lambda: grammar_cache.build(grammar, options)),
    )
    print("  load JSON entry         ", _time(runs, lambda: grammar_cache.loads(entry, options)))
    print(
        "  load lark's pickle      ",
        _time(runs, lambda: Lark.__new__(Lark)._load(io.BytesIO(pickled.getvalue()), **runtime)),
    )
    documents = [(path, None) for path in sorted(registry.rules_dir().glob("*.yaml"))]
    import yaml

    parsed = [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path, _ in documents]
    print("rules: validate all      ", _time(runs, lambda: registry._validate(parsed)))

    files = sorted((REPO / "examples").rglob("*.tf")) + sorted(
        (REPO / "tests/fixtures").rglob("*.tf")
    )
    texts = [path.read_text(encoding="utf-8") for path in files]
    trees = []
    for text in texts:
        try:
            trees.append((text + "\n", parser.parse_uncached(text)))
        except parser.HclSyntaxError:
            continue

    def parse_all() -> None:
        for text in texts:
            try:
                parser.parse_uncached(text)
            except parser.HclSyntaxError:
                continue

    stored = []
    for text, tree in trees:
        names: dict[str, int] = {}
        body = _tree_to_json(tree, names)
        stored.append((text, json.dumps([list(names), body])))

    def load_all() -> None:
        for text, blob in stored:
            starts = [0, *(i + 1 for i, char in enumerate(text) if char == "\n")]
            names, body = json.loads(blob)
            _tree_from_json(body, names, text, starts)

    size = sum(len(blob) for _, blob in stored) / 1e6
    print(f"{len(texts)} .tf files ({sum(map(len, texts)) / 1e6:.2f} MB; tree JSON {size:.1f} MB)")
    print("  parse_uncached, all     ", _time(runs, parse_all))
    print("  load JSON trees, all    ", _time(runs, load_all))


if __name__ == "__main__":
    main()
