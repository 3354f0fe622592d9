"""Recall of `anyscale-lint scan` against the generated corpus's manifest, per mistake shape.

    python benchmarks/recall.py [--count 100] [--seed 20261202] [--out benchmarks/corpus/generated]

Generates the corpus (benchmarks/generate.py), runs `anyscale-lint scan -f json` over its roots
and prints: planted failures found / planted, per shape and in total; failures on decoy roots
of rules the manifest says must not fail; failures on clean roots; and failures on roots with
mistakes that were not planted (collateral, for information). A planted failure is found when a
result of its rule with outcome `fail` names its resource (or an accepted alias) in its root.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import generate


def scan_command(target: Path, output: Path, extra: list[str] | None = None) -> list[str]:
    """The console script next to this interpreter, or `python -m anyscale_lint`."""
    script = Path(sys.executable).parent / "anyscale-lint"
    base = [str(script)] if script.exists() else [sys.executable, "-m", "anyscale_lint"]
    return [*base, "scan", "-f", "json", "-o", str(output), *(extra or []), str(target)]


def _root_of(result: dict[str, object]) -> str:
    """The generated root a result belongs to: the first part of its file or deployment."""
    location = result.get("location")
    where = location.get("path") if isinstance(location, dict) else None
    parts = Path(str(where or result.get("deployment") or "")).parts
    # The scan runs from the corpus directory on `roots`.
    return parts[1] if len(parts) > 1 and parts[0] == "roots" else (parts[0] if parts else "")


def failures(results: list[dict[str, object]]) -> dict[str, set[tuple[str, str]]]:
    """Per root, the (rule, resource) pairs that fail (not suppressed, not baselined)."""
    failed: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for result in results:
        if result.get("outcome") != "fail" or result.get("suppressed") or result.get("baselined"):
            continue
        failed[_root_of(result)].add((str(result["rule_id"]), str(result.get("resource"))))
    return failed


@dataclass
class Score:
    """What the scan found against what the manifest planted."""

    planted: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    # The same, counting only roots whose mistakes are all simple (the deployment is found).
    planted_alone: Counter[str] = field(default_factory=Counter)
    found_alone: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    decoy_false: list[str] = field(default_factory=list)
    clean_false: list[str] = field(default_factory=list)
    collateral: Counter[str] = field(default_factory=Counter)
    roots: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        """Planted failures found / planted (1.0 when nothing was planted)."""
        total = sum(self.planted.values())
        return sum(self.found.values()) / total if total else 1.0


def score(manifest: dict[str, object], results: list[dict[str, object]]) -> Score:
    """Compare the scan's results with the manifest."""
    failed = failures(results)
    result = Score()
    for root in manifest["roots"]:  # type: ignore[attr-defined]
        name, kind = root["root"], root["kind"]
        result.roots[kind] += 1
        got = failed.get(name, set())
        planted_pairs = set()
        alone = set(root["shapes"]) <= set(generate.SIMPLE)
        for entry in root["expected"]:
            shape = entry["shape"]
            addresses = {entry["resource"], *entry["also"]}
            planted_pairs |= {(entry["rule"], a) for a in addresses}
            result.planted[shape] += 1
            result.planted_alone[shape] += alone
            if any((entry["rule"], a) in got for a in addresses):
                result.found[shape] += 1
                result.found_alone[shape] += alone
            else:
                result.missed.append(f"{name}: {shape}: {entry['rule']} {entry['resource']}")
        if kind == "decoy":
            banned = set(root["must_not_fail"])
            result.decoy_false += [f"{name}: {r} {a}" for r, a in sorted(got) if r in banned]
        elif kind == "clean":
            result.clean_false += [f"{name}: {r} {a}" for r, a in sorted(got)]
        else:
            for rule, _ in got - planted_pairs:
                result.collateral[rule] += 1
    return result


def report(result: Score, command: list[str], shown: int = 25) -> str:
    """The printed figures."""
    lines = [f"command: {shlex.join(command)}"]
    lines.append("roots: " + ", ".join(f"{n} {kind}" for kind, n in sorted(result.roots.items())))
    lines.append(
        f"{'shape':<22} {'found':>5} / {'planted':<7} recall   (in roots with only simple mistakes)"
    )
    for shape in generate.SHAPES:
        planted = result.planted[shape]
        if planted:
            found = result.found[shape]
            line = f"{shape:<22} {found:>5} / {planted:<7} {found / planted:.2f}"
            alone, found_alone = result.planted_alone[shape], result.found_alone[shape]
            if alone:
                line += f"     {found_alone} / {alone} {found_alone / alone:.2f}"
            lines.append(line)
    total, found = sum(result.planted.values()), sum(result.found.values())
    lines.append(f"{'total':<22} {found:>5} / {total:<7} {result.recall:.2f}")
    decoys = result.roots["decoy"]
    lines.append(f"false failures on {decoys} decoy roots: {len(result.decoy_false)}")
    lines += [f"  {line}" for line in result.decoy_false[:shown]]
    lines.append(
        f"false failures on {result.roots['clean']} clean roots: {len(result.clean_false)}"
    )
    lines += [f"  {line}" for line in result.clean_false[:shown]]
    if result.missed:
        lines.append(f"missed ({len(result.missed)}):")
        lines += [f"  {line}" for line in result.missed[:shown]]
    if result.collateral:
        by_rule = ", ".join(f"{r} {n}" for r, n in sorted(result.collateral.items()))
        lines.append(f"unplanted failures on roots with mistakes (not scored): {by_rule}")
    return "\n".join(lines)


def scan(corpus: Path, output: Path, env: dict[str, str] | None = None) -> list[str]:
    """Run the scan over corpus/roots into output (JSON); return the command."""
    command = scan_command(Path("roots"), output)
    completed = subprocess.run(
        command, cwd=corpus, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode not in (0, 1):
        sys.exit(f"scan exited {completed.returncode}: {completed.stderr.strip()[-2000:]}")
    return command


def main() -> None:
    """Generate, scan and print the recall report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="number of roots (default 100)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=generate.DEFAULT_OUT)
    parser.add_argument("--shown", type=int, default=25, help="lines listed per section")
    arguments = parser.parse_args()
    corpus = arguments.out.resolve()
    manifest = generate.generate(corpus, arguments.count, arguments.seed)
    output = corpus / "results.json"
    env = {**os.environ, "NO_COLOR": "1"}
    command = scan(corpus, output, env)
    results = json.loads(output.read_text(encoding="utf-8"))["results"]
    print(f"corpus: {arguments.count} roots, seed {arguments.seed}, in {corpus}")
    print(report(score(manifest, results), command, arguments.shown))


if __name__ == "__main__":
    main()
