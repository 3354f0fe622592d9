"""Where a resource came from: a span in a file, or a reference to live cloud state."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceSpan:
    """A region of a source file (1-based lines, inclusive)."""

    path: str
    start_line: int
    end_line: int
    # A JSON pointer into the file, where lines do not say enough (one-line plan JSON).
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.start_line}"


@dataclass(frozen=True)
class CloudRef:
    """A resource in live cloud state: its ARN or ID, and where the console shows it."""

    provider: str
    account: str | None
    region: str | None
    identifier: str
    console_url: str | None = None

    def __str__(self) -> str:
        return self.identifier


Origin = SourceSpan | CloudRef
