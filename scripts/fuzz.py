"""Long fuzz run: generated and mutated inputs, each in a killable worker with a timeout.

    python scripts/fuzz.py --count 20000 --seed 1 --timeout 10 --workers 2 --save fuzz-failures

Half the inputs are mutated copies of the example roots (`mutated_tree(seed)`), half are drawn
from the hypothesis strategies of tests/fuzz (HCL, .tf.json, IAM JSON, config), all
deterministic from --seed. Prints how many inputs ended ok, as a clean parse error
(CORE-001 or a rejected config), as an internal error, a timeout, or with the control root's
results lost, then each failure signature with its count. With --save, each failing input is
written to DIR/NNNNN-KIND/ (the tree in fuzz/, the control root beside it when it was used)
with a note saying how to reproduce it. Exit status 1 when any input failed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzz.harness import (  # after the path is set: the repository root holds tests/
    INTERNAL,
    KINDS,
    LOST,
    OK,
    PARSE_ERROR,
    TIMEOUT,
    Outcome,
    Runner,
    write_tree,
)
from tests.fuzz.mutation import Tree, mutated_tree
from tests.fuzz.strategies import (
    CONFIG_NAME,
    fuzz_trees,
)

HEADINGS = {
    OK: "ok",
    PARSE_ERROR: "clean parse errors",
    INTERNAL: "internal errors",
    TIMEOUT: "timeouts",
    LOST: "lost findings",
}


def drawn(count: int, run_seed: int) -> list[Tree]:
    """Up to `count` trees from the hypothesis strategies, the same for the same seed."""
    trees: list[Tree] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(run_seed)
    @given(fuzz_trees)
    def collect(tree: Tree) -> None:
        trees.append(tree)

    collect()
    return trees


def inputs(count: int, run_seed: int) -> list[Tree]:
    """Mutated examples and generated trees, alternating."""
    generated = iter(drawn(count // 2, run_seed))
    trees: list[Tree] = []
    for number in range(count):
        tree = next(generated, None) if number % 2 else None
        trees.append(tree if tree is not None else mutated_tree(run_seed * 1_000_003 + number))
    return trees


def save(directory: Path, index: int, tree: Tree, outcome: Outcome) -> Path:
    """Write a failing input where it can be scanned again."""
    target = directory / f"{index:05d}-{outcome.kind}"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    paths = write_tree(tree, target, CONFIG_NAME not in tree)
    config = " --config fuzz/.anyscale-lint.yaml" if CONFIG_NAME in tree else ""
    note = (
        f"{outcome.kind}: {outcome.signature}\n\n"
        f"Reproduce: cd {target} && anyscale-lint scan {' '.join(paths)}{config} -f sarif\n"
    )
    (target / "OUTCOME.txt").write_text(note, encoding="utf-8")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000, help="number of inputs")
    parser.add_argument("--seed", type=int, default=0, help="seed for generation and mutation")
    parser.add_argument("--timeout", type=float, default=10.0, help="CPU seconds per input")
    parser.add_argument(
        "--wall-timeout", type=float, help="wall-clock seconds per input (3x --timeout)"
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--save", type=Path, help="directory for failing inputs")
    args = parser.parse_args()

    started = time.monotonic()
    trees = inputs(args.count, args.seed)
    generated_in = time.monotonic() - started
    counts: Counter[str] = Counter()
    signatures: Counter[tuple[str, str]] = Counter()
    first_of: dict[tuple[str, str], int] = {}
    with Runner(args.workers, args.timeout, args.wall_timeout) as runner:
        for done, (index, outcome) in enumerate(runner.run(trees), start=1):
            counts[outcome.kind] += 1
            if done % 500 == 0:
                print(f"{done} inputs, {time.monotonic() - started:.0f} s", file=sys.stderr)
            if outcome.kind in (OK, PARSE_ERROR):
                continue
            key = (outcome.kind, outcome.signature)
            signatures[key] += 1
            first_of.setdefault(key, index)
            if args.save:
                save(args.save, index, trees[index], outcome)
    elapsed = time.monotonic() - started

    print(f"{'inputs':<20} {len(trees):>7}")
    for kind in KINDS:
        print(f"{HEADINGS[kind]:<20} {counts[kind]:>7}")
    print(
        f"\nseed {args.seed}, timeout {args.timeout:g} s, {args.workers} workers: "
        f"{elapsed:.0f} s ({generated_in:.0f} s generating)"
    )
    if signatures:
        print("\nfailures by signature (count, first input):")
        for (kind, signature), number in signatures.most_common():
            print(f"  {number:>6}  #{first_of[(kind, signature)]:05d}  {kind}: {signature}")
    return 1 if signatures else 0


if __name__ == "__main__":
    sys.exit(main())
