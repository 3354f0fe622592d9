"""Whether a parse cache would pay: tree-sitter parse and conversion vs loading a JSON form.

    python benchmarks/cache.py [--runs 5] [PATH ...]

Parses every .tf file under the paths (default: examples/, tests/fixtures/ and the benchmark
corpus of run.py when generated) and times, over all files: reading them; tree-sitter's parse
alone; parse plus conversion to the light syntax tree (what a scan does per file); and what a
cache hit would cost at best: json.loads of the tree in a compact JSON form plus rebuilding the
nodes (template parts included). Also times the rules-validation entry, the one thing cached.
Prints the minimum and median of --runs timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anyscale_lint.engine import registry
from anyscale_lint.sources.terraform import grammar, parser, templates
from anyscale_lint.sources.terraform.nodes import Node

REPO = Path(__file__).resolve().parent.parent


def _time(runs: int, action: Callable[[], object]) -> str:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return f"min {min(timings) * 1000:8.1f} ms   median {statistics.median(timings) * 1000:8.1f} ms"


def _dump(node: Node) -> Any:
    """A compact JSON form of a node (template parts as lists)."""
    value = node.value
    if node.kind == "template":
        value = [_dump_part(part) for part in value]
    return [
        node.kind,
        value,
        [_dump(child) for child in node.children],
        node.start,
        node.end,
        node.line,
        node.end_line,
        node.column,
    ]


def _dump_part(part: templates.Part) -> Any:
    if isinstance(part, templates.Literal):
        return part.text
    if isinstance(part, templates.Interpolation):
        return [0, _dump(part.tree), part.strip_before, part.strip_after]
    tree = None if part.tree is None else _dump(part.tree)
    return [1, part.keyword, tree, part.names, part.strip_before, part.strip_after]


def _load(item: Any, text: str) -> Node:
    kind, value, children, start, end, line, end_line, column = item
    if kind == "template":
        value = tuple(_load_part(part, text) for part in value)
    elif isinstance(value, list):
        value = tuple(value)
    return Node(
        kind, value, tuple(_load(c, text) for c in children), start, end, line, end_line, column
    )


def _load_part(item: Any, text: str) -> templates.Part:
    if isinstance(item, str):
        return templates.Literal(item)
    if item[0] == 0:
        return templates.Interpolation(_load(item[1], text), text, item[2], item[3])
    tree = None if item[2] is None else _load(item[2], text)
    return templates.Directive(item[1], tree, text, tuple(item[3]), item[4], item[5])


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(path.rglob("*.tf")) if path.is_dir() else [path]
    return found


def main() -> None:
    """Print the timings."""
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--runs", type=int, default=5)
    arguments.add_argument("paths", nargs="*", type=Path)
    options = arguments.parse_args()
    runs = options.runs
    corpus = REPO / "benchmarks" / "corpus"
    default = [REPO / "examples", REPO / "tests" / "fixtures"] + (
        [corpus] if corpus.is_dir() else []
    )
    files = _files(options.paths or default)
    texts = [path.read_text(encoding="utf-8") for path in files]
    parsed = [parser.parse_uncached(text) for text in texts]
    entries = [json.dumps(_dump(p.body)) for p in parsed]
    print(f"{len(files)} .tf files, {sum(map(len, texts)) / 1024:.0f} KiB")
    print("  read the files             ", _time(runs, lambda: [p.read_text() for p in files]))
    data = [text.encode("utf-8") for text in texts]
    print(
        "  tree-sitter parse only     ",
        _time(runs, lambda: [grammar.parser().parse(item) for item in data]),
    )
    print(
        "  parse + light tree (scan)  ",
        _time(runs, lambda: [parser.parse_uncached(text) for text in texts]),
    )
    print(
        "  cache hit at best: JSON -> tree",
        _time(runs, lambda: [_load(json.loads(e), t) for e, t in zip(entries, texts, strict=True)]),
    )
    print(f"  JSON form: {sum(map(len, entries)) / 1024:.0f} KiB")
    import yaml

    rules = sorted(registry.rules_dir().glob("*.yaml"))
    documents = [(path, yaml.safe_load(path.read_text(encoding="utf-8"))) for path in rules]
    print("  rules: validate all (cached)", _time(runs, lambda: registry._validate(documents)))


if __name__ == "__main__":
    main()
