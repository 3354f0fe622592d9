"""The record of one live audit, the call log every collector keeps, and the errors that
end an audit before it starts (an SDK not installed) or stop a forbidden call."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anyscale_lint.model import CloudModel, ParseError
from anyscale_lint.sources.live.faults import Fault
from anyscale_lint.sources.live.progress import Progress, label


class MissingExtra(RuntimeError):
    """The cloud SDK of a provider is not installed: the message names the extra to install."""


class ReadOnlyViolation(RuntimeError):
    """An operation that could change the cloud was refused before any request."""


class SessionError(RuntimeError):
    """Credentials could not be found, or the identity to audit as could not be taken."""


@dataclass
class Audit:
    """One account (or project) and region: its model, what could not be collected, calls."""

    model: CloudModel
    errors: list[ParseError]
    calls: int


def stopped(
    model: CloudModel, message: str, phases: Sequence[str], progress: Progress, calls: int = 0
) -> Audit:
    """An audit that ended before its collector ran (no credentials, say): its phases all end
    here, and why it stopped is its one collection error."""
    for phase in phases:
        progress.phase(label(phase, str(model.region)))
    return Audit(model, [ParseError(model.root, None, message, kind="collection")], calls)


class CallLog:
    """Counts calls (from any worker thread) and keeps the reads that failed, for CORE-003."""

    def __init__(self, on_call: Callable[[], None]) -> None:
        self._on_call = on_call
        self._lock = threading.Lock()
        self.calls = 0
        self.faults: list[tuple[str, Fault]] = []

    def count(self) -> None:
        """One more call sent."""
        with self._lock:
            self.calls += 1
        self._on_call()

    def fault(self, subject: str, fault: Fault) -> Fault:
        """Record a failed read of `subject` (an absent resource is a fact, not a failure)."""
        if not fault.missing:
            with self._lock:
                self.faults.append((subject, fault))
        return fault


def collection_errors(faults: list[tuple[str, Fault]]) -> list[ParseError]:
    """One collection error per failed read, deduplicated and sorted."""
    errors = {
        ParseError(subject, None, fault.reason(), kind="collection") for subject, fault in faults
    }
    return sorted(errors, key=lambda e: (e.path, e.message))
