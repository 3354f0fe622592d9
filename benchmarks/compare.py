"""anyscale-lint against Checkov on the same seeded corpus: wall time, peak memory, recall.

    python benchmarks/compare.py [--sizes 10,100,1000] [--checkov /work/checkov-venv/bin/checkov]
                                 [--runs 1] [--seed 20261202] [--timeout 1800]

For each corpus size the generator (benchmarks/generate.py) writes N roots into
benchmarks/corpus/n<N>/ (root i is the same in every size). Each run, interleaved so that load
on the machine falls on both tools alike: anyscale-lint with an empty cache directory (cold),
Checkov (when --checkov names its executable) with the custom policies in
benchmarks/checkov_policies/, then anyscale-lint again on the cache the cold run filled (warm).
Wall time is measured around each child; peak memory is the child's maximum resident set from
wait4(2). The table shows the medians over --runs, the Checkov / anyscale-lint ratios, and the
recall of each tool against the manifest (Checkov only has policies for some shapes) and
their failures on clean and decoy roots.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import checkov_score
import generate
import recall

HERE = Path(__file__).resolve().parent
POLICIES = HERE / "checkov_policies"
CHECK_IDS = [f"CKV_ANYSCALE_{n}" for n in range(1, 7)]


@dataclass
class Measure:
    """One child: wall time, CPU time (user + system) in s, peak resident set in MB, exit code,
    and the 1-minute load average when it started (the machine is shared)."""

    seconds: float
    cpu: float
    megabytes: float
    code: int
    load: float


def measure(
    command: Sequence[str], cwd: Path, env: dict[str, str], stdout: Path, timeout: float
) -> Measure:
    """Run command, its stdout to a file; time it and read its CPU time and peak RSS (wait4)."""
    load = os.getloadavg()[0]
    with stdout.open("wb") as out, Path(os.devnull).open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        # A hang guard only: a killed child shows as a negative exit code.
        timer = threading.Timer(timeout, child.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measure(seconds, cpu, usage.ru_maxrss / 1024, child.returncode, load)


def checkov_command(checkov: str) -> list[str]:
    """Checkov on the corpus's roots with only the benchmark's custom policies."""
    return [
        checkov,
        "-d",
        "roots",
        "--framework",
        "terraform",
        "--skip-download",
        "--external-checks-dir",
        str(POLICIES),
        "--check",
        ",".join(CHECK_IDS),
        "-o",
        "json",
        "--quiet",
    ]


@dataclass
class Row:
    """The figures of one corpus size."""

    size: int
    files: int
    cold: list[Measure]
    warm: list[Measure]
    checkov: list[Measure]
    recall: float
    false: int
    checkov_recall: float | None
    checkov_false: int | None


def _median(values: list[Measure], attribute: str) -> float:
    return float(statistics.median(getattr(m, attribute) for m in values))


def run_size(
    size: int, seed: int, runs: int, checkov: str | None, timeout: float, env: dict[str, str]
) -> tuple[Row, list[list[str]]]:
    """Generate the corpus of `size` roots and measure both tools on it."""
    corpus = HERE / "corpus" / f"n{size}"
    manifest = generate.generate(corpus, size, seed)
    files = sum(1 for p in (corpus / "roots").rglob("*") if p.is_file())
    scan = recall.scan_command(Path("roots"), Path("ours.json"))
    commands = [scan] + ([checkov_command(checkov)] if checkov else [])
    cold: list[Measure] = []
    warm: list[Measure] = []
    other: list[Measure] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="anyscale-lint-bench-cache-") as cache:
            ours_env = {**env, "ANYSCALE_LINT_CACHE_DIR": cache}
            cold.append(measure(scan, corpus, ours_env, corpus / "ours.out", timeout))
            if checkov:
                other.append(measure(commands[1], corpus, env, corpus / "checkov.json", timeout))
            warm.append(measure(scan, corpus, ours_env, corpus / "ours.out", timeout))
    results = json.loads((corpus / "ours.json").read_text(encoding="utf-8"))["results"]
    ours = recall.score(manifest, results)
    theirs: tuple[float | None, int | None] = (None, None)
    if checkov:
        theirs = checkov_score.score(manifest, corpus / "checkov.json")
    false = len(ours.decoy_false) + len(ours.clean_false)
    return Row(size, files, cold, warm, other, ours.recall, false, *theirs), commands


def _runs(rows: list[Row]) -> str:
    """Per size and tool: medians of wall time, CPU time, peak memory and load."""
    lines = [
        "| roots | files | run | wall s | CPU s | peak MB | load at start |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for label, values in (
            ("anyscale-lint cold", row.cold),
            ("anyscale-lint warm", row.warm),
            ("Checkov", row.checkov),
        ):
            if values:
                lines.append(
                    f"| {row.size} | {row.files} | {label} | {_median(values, 'seconds'):.1f} "
                    f"| {_median(values, 'cpu'):.1f} | {_median(values, 'megabytes'):.0f} "
                    f"| {_median(values, 'load'):.1f} |"
                )
    return "\n".join(lines)


def _ratios(rows: list[Row]) -> str:
    """Per size: Checkov / anyscale-lint ratios, recall and false failures of both."""
    lines = [
        "| roots | Checkov / ours cold: wall | CPU | memory | Checkov / ours warm: wall "
        "| recall ours | recall Checkov | false failures ours | false failures Checkov |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.checkov:
            ratio = {
                key: _median(row.checkov, key) / _median(row.cold, key)
                for key in ("seconds", "cpu", "megabytes")
            }
            warm = _median(row.checkov, "seconds") / _median(row.warm, "seconds")
            checkov = (
                f"{ratio['seconds']:.2f}x | {ratio['cpu']:.2f}x | {ratio['megabytes']:.2f}x "
                f"| {warm:.2f}x"
            )
            their_recall, their_false = f"{row.checkov_recall:.2f}", str(row.checkov_false)
        else:
            checkov, their_recall, their_false = "- | - | - | -", "-", "-"
        lines.append(
            f"| {row.size} | {checkov} | {row.recall:.2f} | {their_recall} | {row.false} "
            f"| {their_false} |"
        )
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    """The Markdown tables of the run."""
    return _runs(rows) + "\n\n" + _ratios(rows)


def main(argv: list[str] | None = None) -> None:
    """Run every size and print the table and the commands."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated root counts")
    parser.add_argument("--checkov", help="the checkov executable of its own virtualenv")
    parser.add_argument("--runs", type=int, default=1, help="interleaved runs per size")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per child")
    arguments = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    rows: list[Row] = []
    commands: list[list[str]] = []
    for size in (int(s) for s in arguments.sizes.split(",")):
        row, commands = run_size(
            size, arguments.seed, arguments.runs, arguments.checkov, arguments.timeout, env
        )
        rows.append(row)
        failed = [m.code for m in row.cold + row.warm if m.code not in (0, 1)]
        failed += [m.code for m in row.checkov if m.code not in (0, 1)]
        if failed:
            print(f"warning: {size} roots: a child exited {failed} (timeout or crash)")
        print(f"{size} roots done", flush=True)
    print(f"\n{os.cpu_count()} cores; median of {arguments.runs} interleaved run(s)\n")
    print(table(rows))
    print("\ncommands (run from benchmarks/corpus/n<N>/):")
    for command in commands:
        print("  " + shlex.join(command))
    print("  cold: ANYSCALE_LINT_CACHE_DIR=<new empty directory>; warm: the same directory again")


if __name__ == "__main__":
    main()
