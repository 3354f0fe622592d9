"""Seeded mutation of the example roots: byte flips, lost and repeated lines, splices, cuts.

An input is a tree: relative path -> file bytes. `mutated_tree(seed)` is one example root with
one to four files damaged, the same for the same seed; it needs no hypothesis, so the long run
can draw as many as it likes.
"""

from __future__ import annotations

import random
import re
from functools import cache
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_ROOTS = ("aws-insecure/legacy", "aws-insecure/sandbox", "aws-insecure/prod", "aws-ready")

Tree = dict[str, bytes]
NUMBER = re.compile(rb"(?<![\w.])\d+(?![\w.])")

# Tokens that break structure when inserted into a file.
INSERTIONS = (
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    '"',
    "'",
    "${",
    "%{",
    "%{ if true }",
    "%{ endfor }",
    "<<EOT\n",
    "<<-EOT\n",
    "\nEOT\n",
    "/*",
    "*/",
    "#",
    "//",
    "\\",
    "\x00",
    "\ufeff",
    "\r",
    "=",
    ",",
    ":",
    "?",
    "...",
    "=>",
    "for",
    "null",
    "-",
    "1e400",
    "-1e400",
    "9" * 5000,
    "0." + "0" * 400 + "1",
    "0x7fffffffffffffff",
    "var.",
    "local.",
    "module.",
    "[*]",
)


@cache
def example_files() -> dict[str, Tree]:
    """Every file of each example root (relative path -> bytes), read once."""
    trees: dict[str, Tree] = {}
    for root in EXAMPLE_ROOTS:
        base = EXAMPLES / root
        trees[root] = {
            p.relative_to(base).as_posix(): p.read_bytes()
            for p in sorted(base.rglob("*"))
            if p.is_file() and p.suffix in (".tf", ".tfvars", ".json")
        }
    return trees


def _mutate(data: bytes, rng: random.Random, donors: list[bytes]) -> bytes:
    """One damaging edit of `data`."""
    lines = data.splitlines(keepends=True) or [b""]
    operation = rng.randrange(8)
    at = rng.randrange(len(data) + 1)
    if operation == 0 and data:
        flipped = rng.randrange(len(data))
        return (
            data[:flipped] + bytes([data[flipped] ^ (1 << rng.randrange(8))]) + data[flipped + 1 :]
        )
    if operation == 1:
        del lines[rng.randrange(len(lines))]
        return b"".join(lines)
    if operation == 2:
        line = rng.randrange(len(lines))
        lines[line:line] = [lines[line]] * rng.choice((1, 2, 50))
        return b"".join(lines)
    if operation == 3:
        donor = rng.choice(donors)
        start = rng.randrange(len(donor) + 1)
        return data[:at] + donor[start : start + rng.randrange(400)] + data[at:]
    if operation == 4:
        return data[:at]
    if operation == 5:
        number = rng.choice(
            (b"1e400", b"9" * rng.choice((20, 400, 5000)), b"-0", b"1.7976931348623157e309")
        )
        # Replace a number already there (a port, a count) so the value is evaluated.
        found = list(NUMBER.finditer(data))
        if found:
            match = rng.choice(found)
            return data[: match.start()] + number + data[match.end() :]
        return data[:at] + number + data[at:]
    return data[:at] + rng.choice(INSERTIONS).encode("utf-8") + data[at:]


def mutated_tree(seed: int) -> Tree:
    """A copy of one example root with one to four files damaged, deterministic from `seed`."""
    rng = random.Random(seed)
    roots = example_files()
    tree = dict(roots[rng.choice(EXAMPLE_ROOTS)])
    donors = [data for files in roots.values() for data in files.values()]
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(sorted(tree))
        data = tree[name]
        for _ in range(rng.randint(1, 3)):
            data = _mutate(data, rng, donors)
        tree[name] = data
    return tree
