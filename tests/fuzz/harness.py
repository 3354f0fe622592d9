"""Run fuzz inputs through the lint in killable worker processes and classify each outcome.

One input is a tree written to `fuzz/` in a fresh temporary directory. Unless it carries a
config file (which would change every root's results), an untouched copy of
examples/aws-insecure/legacy sits beside it as `control/` and both are scanned: the control's
results must be those it has when scanned alone. Every format is rendered, so a formatter
crash counts too. The per-input timeout is CPU time (RLIMIT_CPU), so a loaded machine does not
turn slow inputs into timeouts; a wall-clock limit (3x by default) catches an input that
blocks without using CPU. A worker past either is killed and replaced.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import re
import resource
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from tests.fuzz.mutation import EXAMPLES, Tree
from tests.fuzz.strategies import CONFIG_NAME

CONTROL = EXAMPLES / "aws-insecure" / "legacy"
OK, PARSE_ERROR, INTERNAL, TIMEOUT, LOST = "ok", "parse-error", "internal", "timeout", "lost"
KINDS = (OK, PARSE_ERROR, INTERNAL, TIMEOUT, LOST)
# A runaway input should fail inside its worker (MemoryError), not take the machine down.
MEMORY_LIMIT = 2 * 1024**3
# How an internal error shows in a message (not "traceback": an input may quote that word).
_MARKERS = ("internal error", "is a bug")


@dataclass(frozen=True)
class Outcome:
    """How one input ended: its kind and, for a failure, a short signature to group by."""

    kind: str
    signature: str = ""


def _frame(error: BaseException) -> str:
    """The innermost frame of the package in a traceback: where the bug is."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "anyscale_lint" in f.filename]
    if not frames:
        return "outside anyscale_lint"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} {last.name}"


def _generalised(text: str) -> str:
    """A message with its numbers and quoted parts blanked, so one bug is one signature."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text.splitlines()[0] if text else "")
    return re.sub(r"\d+", "N", text)[:120]


def _findings(report: Any, root: str) -> list[tuple[Any, ...]]:
    """The results and errors of the deployments under `root`, comparable across runs.

    Messages are left out: a value the fuzzed root marks sensitive is redacted wherever it
    appears, the control root's messages included, which is redaction working, not a loss.
    """
    results = sorted(
        (r.deployment, r.rule_id, r.resource, r.outcome, r.severity, str(r.location))
        for r in report.results
        if r.deployment == root or r.deployment.startswith(root + "/")
    )
    errors = sorted(
        ("error", e.path, str(e.line), e.kind)
        for e in report.errors
        if e.path == root or e.path.startswith(root + "/")
    )
    return results + errors


def _scan(paths: list[str], config_dir: Path | None) -> tuple[Any, list[str]]:
    """Lint `paths` in the working directory and render every format."""
    from anyscale_lint.api import LintOptions, lint
    from anyscale_lint.config import Config, load_config
    from anyscale_lint.formatters import FORMATTERS

    config = load_config(None, start=config_dir) if config_dir else Config()
    report = lint(paths, LintOptions(config=config))
    rendered = [render(report) for render in FORMATTERS.values()]
    return report, rendered


_baseline: list[tuple[Any, ...]] | None = None


def _control_baseline() -> list[tuple[Any, ...]]:
    """The control root's results when scanned alone, once per worker."""
    global _baseline
    if _baseline is None:
        with tempfile.TemporaryDirectory(prefix="fuzz-control-") as work:
            os.chdir(work)
            shutil.copytree(CONTROL, "control")
            report, _ = _scan(["control"], None)
            os.chdir("/")
            _baseline = _findings(report, "control")
    return _baseline


def write_tree(tree: Tree, directory: Path, control: bool) -> list[str]:
    """Lay the input (and the control root) out under `directory`; the paths to scan."""
    for name, data in tree.items():
        target = directory / "fuzz" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if not control:
        return ["fuzz"]
    shutil.copytree(CONTROL, directory / "control")
    return ["fuzz", "control"]


def classify(tree: Tree) -> Outcome:
    """Scan one input in this process and say how it went."""
    from anyscale_lint.config import ConfigError

    control = CONFIG_NAME not in tree
    baseline = _control_baseline() if control else []
    with tempfile.TemporaryDirectory(prefix="fuzz-") as work:
        os.chdir(work)
        paths = write_tree(tree, Path(work), control)
        try:
            report, rendered = _scan(paths, None if control else Path(work) / "fuzz")
        except ConfigError:
            return Outcome(PARSE_ERROR)
        except Exception as error:  # the point: anything escaping the lint is a bug
            return Outcome(INTERNAL, f"{type(error).__name__} at {_frame(error)}")
        finally:
            os.chdir("/")
    for problem in report.errors:
        if problem.kind == "internal" or any(m in problem.message.lower() for m in _MARKERS):
            return Outcome(INTERNAL, f"{problem.kind} error: {_generalised(problem.message)}")
    for result in report.results:
        if any(m in result.message.lower() for m in _MARKERS):
            return Outcome(INTERNAL, f"{result.rule_id}: {_generalised(result.message)}")
    if any("Traceback (most recent call last)" in text for text in rendered):
        return Outcome(INTERNAL, "a traceback in the rendered output")
    if control and _findings(report, "control") != baseline:
        return Outcome(LOST, "the control root's results changed")
    if report.errors or any(r.rule_id == "CORE-001" for r in report.results):
        return Outcome(PARSE_ERROR)
    return Outcome(OK)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _address_space() -> int:
    """The process's virtual size (a forked worker inherits its parent's, inputs included)."""
    try:
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _serve(connection: Connection, timeout: float) -> None:
    """Worker loop: receive trees, send outcomes, until the pipe closes."""
    # MEMORY_LIMIT more than what the worker starts with: a long run's parent holds all the
    # inputs, and a worker forked from it must not spend its allowance on them.
    limit = _address_space() + MEMORY_LIMIT
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    while True:
        try:
            tree = connection.recv()
        except EOFError:
            return
        # SIGXCPU (which ends the process) once this input has used `timeout` s of CPU.
        # Only the soft limit: the hard one can never be raised again without privilege.
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(_cpu_seconds() + timeout), hard))
        try:
            outcome = classify(tree)
        except MemoryError:
            outcome = Outcome(INTERNAL, "MemoryError")
        connection.send(outcome)


class _Worker:
    """One worker process and the input it is working on."""

    def __init__(self, context: Any, timeout: float) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, timeout), daemon=True)
        self.process.start()
        child.close()
        self.task: int | None = None
        self.deadline = 0.0

    def submit(self, index: int, tree: Tree, timeout: float) -> None:
        self.task, self.deadline = index, time.monotonic() + timeout
        # A dead worker's pipe reads as closed: `run` reports it there.
        with contextlib.suppress(OSError):
            self.connection.send(tree)

    def stop(self) -> None:
        self.connection.close()
        self.process.kill()
        self.process.join()


class Runner:
    """A pool of killable workers; `run` yields (index, outcome) as inputs finish."""

    def __init__(
        self, workers: int = 2, timeout: float = 10.0, wall_timeout: float | None = None
    ) -> None:
        # fork: workers start with the package already imported.
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.timeout = timeout
        self.wall_timeout = wall_timeout if wall_timeout is not None else 3 * timeout
        self.workers = [_Worker(self.context, timeout) for _ in range(workers)]

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.timeout)

    def run(self, trees: Iterable[Tree]) -> Iterator[tuple[int, Outcome]]:
        """Classify every tree, in parallel; outcomes come in completion order."""
        pending = enumerate(trees)
        busy = 0
        exhausted = False
        while True:
            for worker in self.workers:
                if worker.task is None and not exhausted:
                    item = next(pending, None)
                    if item is None:
                        exhausted = True
                    else:
                        worker.submit(item[0], item[1], self.wall_timeout)
                        busy += 1
            if busy == 0:
                return
            working = [w for w in self.workers if w.task is not None]
            soonest = min(w.deadline for w in working)
            ready = wait([w.connection for w in working], max(0.0, soonest - time.monotonic()))
            for worker in list(working):
                index = worker.task
                assert index is not None
                if worker.connection in ready:
                    try:
                        outcome = worker.connection.recv()
                    except (EOFError, OSError):  # closed, or reset with input unread
                        outcome = self._died(worker)
                        self._replace(worker)
                    else:
                        worker.task = None
                elif time.monotonic() >= worker.deadline:
                    outcome = Outcome(TIMEOUT, f"over {self.wall_timeout:g} s wall clock")
                    self._replace(worker)
                else:
                    continue
                busy -= 1
                yield index, outcome

    def _died(self, worker: _Worker) -> Outcome:
        """Why a worker's pipe closed: its CPU limit, or a crash of the interpreter."""
        worker.process.join(5)
        code = worker.process.exitcode
        if code == -signal.SIGXCPU:
            return Outcome(TIMEOUT, f"over {self.timeout:g} s of CPU")
        return Outcome(INTERNAL, f"worker died (exit code {code})")

    def classify(self, tree: Tree) -> Outcome:
        """One input's outcome, with the timeouts enforced."""
        [(_, outcome)] = list(self.run([tree]))
        return outcome
