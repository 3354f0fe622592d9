"""What the live collector tells a progress display: its phases and its API calls."""

from __future__ import annotations

from typing import Protocol

# The phases of one account and region (the collector names the last five).
PHASES = ("identity", "network", "IAM roles and policies", "S3", "EFS", "MemoryDB")


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
