"""What a live collector tells a progress display (its phases and its API calls), and how a
collector runs its phases' jobs on a thread pool so the display hears when each phase ends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol


class Progress(Protocol):
    """Told the number of phases up front, then of each API call and each phase ended."""

    def start(self, phases: int) -> None:
        """The audit has this many phases in all."""

    def call(self) -> None:
        """One more API call (from any worker thread)."""

    def phase(self, label: str) -> None:
        """A phase ended, e.g. `network (us-west-2)` (from any worker thread)."""


class Silent:
    """No display."""

    def start(self, phases: int) -> None:
        """Nothing to show."""

    def call(self) -> None:
        """Nothing to show."""

    def phase(self, label: str) -> None:
        """Nothing to show."""


def label(phase: str, region: str) -> str:
    """How a phase of one region is shown."""
    return f"{phase} ({region})"


def run_phases(
    phases: dict[str, list[Callable[[], None]]], region: str, workers: int, progress: Progress
) -> None:
    """Run every phase's jobs on one pool; each phase is reported when its last job ends."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        jobs = [
            job
            for name, work in phases.items()
            for job in _submit(pool, label(name, region), work, progress)
        ]
        for job in jobs:
            job.result()


def _submit(
    pool: ThreadPoolExecutor, shown: str, work: list[Callable[[], None]], progress: Progress
) -> list[Future[None]]:
    if not work:
        progress.phase(shown)
        return []
    left = [len(work)]
    lock = threading.Lock()

    def ended(_: Future[None]) -> None:
        with lock:
            left[0] -= 1
            last = left[0] == 0
        if last:
            progress.phase(shown)

    jobs = [pool.submit(job) for job in work]
    for job in jobs:
        job.add_done_callback(ended)
    return jobs
