"""Evaluate Terraform roots in forked worker processes when there is enough to evaluate to pay.

Roots are independent: each has its own evaluation budget and builds its own model. Workers
are forked after every module directory was parsed (finding the roots parses them all), so
they start with the parsed files in memory and send back only the model, which is small.
Results come back in the order of the roots, so the report is the one a single process
writes, byte for byte.

`ANYSCALE_LINT_WORKERS` (internal, for tests and measurements) fixes the number of processes:
1 evaluates in this process, 2 or more always uses a pool.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from anyscale_lint.engine.judge import Judge, Judgement
from anyscale_lint.model import CloudModel, ParseError
from anyscale_lint.sources.terraform.loader import TerraformSource

WORKERS_ENV = "ANYSCALE_LINT_WORKERS"
# Below this much Terraform text the pool costs about what it saves. Measured on 2 cores: a
# worker spends ~1 ms a root more than one process would (the model sent back, pages copied
# on write) and forking costs ~20 ms, while evaluation runs at ~1-2.5 MB of text a second; 100
# one-file roots (150 KB) lose a little, 200 (300 KB) gain a little, 48 roots of the examples
# (770 KB) take 0.20 s instead of 0.30 s. forkserver workers would import and parse everything
# again: 3-6 times slower than one process on every corpus tried.
MIN_CHARACTERS = 300_000

# A root's model and errors, and its judgement when it was judged as it was evaluated (then
# the model is the judgement's, slimmed when the judge slims).
Evaluated = tuple[CloudModel, list[ParseError], Judgement | None]
# What a worker sends back: the root's model, errors and judgement, then the errors of module
# directories the worker loaded (modules outside the scanned paths) and unreadable directories.
WorkerResult = tuple[
    CloudModel,
    list[ParseError],
    Judgement | None,
    list[tuple[Path, list[ParseError]]],
    list[ParseError],
]

# The parent's source and judge, set before the fork: the workers inherit them, the source
# with the parsed files.
_source: list[TerraformSource] = []
_judge: list[Judge | None] = []


def worker_count(roots: int, characters: int) -> int:
    """How many processes evaluate `roots` roots of `characters` of text (1: no pool)."""
    forced = os.environ.get(WORKERS_ENV, "")
    if forced.isdigit():
        wanted = int(forced)
    elif characters < MIN_CHARACTERS:
        return 1
    else:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # A process running other threads (an editor integration, a test runner) is never forked:
    # a lock another thread holds would stay held in the child.
    if wanted < 2 or roots < 2 or threading.active_count() > 1:
        return 1
    # Imported here: multiprocessing costs a small scan ~10 ms of start-up.
    import multiprocessing

    # Only fork gives the workers the parsed files; other start methods would parse again.
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(wanted, roots)


def evaluate_in_worker(root: Path, boundary: Path, judged: bool) -> WorkerResult:
    """Evaluate (and judge) one root in a worker; also what the worker had to load that the
    parent lacks."""
    source = _source[0]
    known = set(source.modules)
    unreadable = len(source.directory_errors)
    model, errors, judgement = _evaluated(source, _judge[0] if judged else None, root, boundary)
    loaded = [
        (directory, module.errors)
        for directory, module in source.modules.items()
        if directory not in known and module is not None and module.errors
    ]
    # A worker holds one root's parsed files at a time; what a later root calls is parsed again.
    source.release({})
    return model, errors, judgement, loaded, source.directory_errors[unreadable:]


def _evaluated(
    source: TerraformSource, judge: Judge | None, root: Path, boundary: Path
) -> Evaluated:
    model, errors = source.evaluate_root(root, boundary)
    if judge is None:
        return model, errors, None
    judgement = judge(model)
    return judgement.model, errors, judgement


class RootEvaluator:
    """Evaluates roots in order, in this process or in a pool of forked workers."""

    def __init__(self, source: TerraformSource, workers: int, judge: Judge | None = None) -> None:
        self.source = source
        self.workers = workers
        # Judges each root as it is evaluated, except the roots in `unjudged`.
        self.judge = judge
        self.unjudged: set[Path] = set()
        self._loaded: dict[Path, list[ParseError]] = {}
        self._unreadable: list[ParseError] = []

    def evaluate(self, roots: Sequence[tuple[Path, Path]]) -> Iterator[Evaluated]:
        """The model and errors of each (root, boundary), in the order given."""
        if self.workers < 2 or len(roots) < 2:
            yield from self._streamed(roots)
            return
        from concurrent.futures.process import BrokenProcessPool

        done = 0
        try:
            for model, errors, judgement, loaded, unreadable in self._pooled(roots):
                done += 1
                for directory, module_errors in loaded:
                    if directory not in self.source.modules:
                        self._loaded.setdefault(directory, module_errors)
                self._unreadable.extend(unreadable)
                yield model, errors, judgement
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the rest is evaluated here, as without a
            # pool, so a crash shows itself the same way.
            yield from self._streamed(roots[done:])

    def _streamed(self, roots: Sequence[tuple[Path, Path]]) -> Iterator[Evaluated]:
        """Evaluate in this process, letting go of each root's parsed files once evaluated."""
        # How many roots still to evaluate reach each directory: a shared local module is
        # kept until its last root is done.
        needed: Counter[Path] = Counter()
        for root, _ in roots:
            needed.update(self.source.reached(root))
        for root, boundary in roots:
            yield _evaluated(self.source, self._judge_of(root), root, boundary)
            needed.subtract(self.source.reached(root))
            self.source.release(needed)

    def _pooled(self, roots: Sequence[tuple[Path, Path]]) -> Iterator[WorkerResult]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _source[:] = [self.source]
        _judge[:] = [self.judge]
        # Objects that survive the fork are not touched by the collector in the workers, so
        # their pages stay shared; buffered output must not be written twice.
        gc.freeze()
        sys.stdout.flush()
        sys.stderr.flush()
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_ignore_interrupts,
        )
        try:
            # A few chunks per worker: fewer round trips, yet a slow root does not hold back
            # the others for long.
            chunk = max(1, len(roots) // (self.workers * 4))
            yield from pool.map(
                evaluate_in_worker,
                [root for root, _ in roots],
                [boundary for _, boundary in roots],
                [self._judge_of(root) is not None for root, _ in roots],
                chunksize=chunk,
            )
        except BaseException:
            # Interrupted: do not wait for the roots not yet evaluated.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        else:
            pool.shutdown()
            # The workers are done with what they inherited: the parsed files (and the cycles
            # among them, frozen for the fork) are let go before the report is built.
            self.source.release({})
            gc.unfreeze()
            gc.collect()
        finally:
            _source.clear()
            _judge.clear()

    def _judge_of(self, root: Path) -> Judge | None:
        return None if root in self.unjudged else self.judge

    def errors(self) -> list[ParseError]:
        """Read and parse errors of every module loaded, here or in a worker."""
        # Their order does not reach the report: errors are given to the model holding their
        # file and sorted by path and line.
        extra = [error for errors in self._loaded.values() for error in errors]
        known = set(self.source.directory_errors)
        unreadable = [error for error in dict.fromkeys(self._unreadable) if error not in known]
        return [*self.source.all_errors(), *extra, *unreadable]


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent stops the scan and the workers with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
