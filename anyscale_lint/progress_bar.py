"""A progress bar on stderr (live audit phases, scanned roots): one line rewritten with `\r`,
on a terminal only."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TextIO

_WIDTH = 20


def bar_shown(stream: TextIO, quiet: bool) -> bool:
    """Only on a terminal, never with --quiet or under CI (it has no colour: NO_COLOR keeps it)."""
    terminal = bool(getattr(stream, "isatty", lambda: False)())
    return terminal and not quiet and not os.environ.get("CI")


def _columns(stream: TextIO) -> int:
    try:
        # A terminal whose size was never set reports 0 columns.
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, OSError, ValueError):
        return 80


class ProgressBar:
    """`[#####.....] 4/9 phases  23 calls  network (us-west-2)`; close() clears it.

    `unit` names what is counted, `calls` shows the API call count, and nothing is drawn
    until `delay` seconds have passed (a quick run leaves no trace).
    """

    def __init__(
        self,
        stream: TextIO,
        shown: bool,
        unit: str = "phases",
        calls: bool = True,
        delay: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._shown = shown
        self._unit = unit
        self._show_calls = calls
        self._clock = clock
        self._draw_from = clock() + delay
        self._lock = threading.Lock()
        self._drawn = 0
        self.total = 0
        self.done = 0
        self.calls = 0
        self.last = ""

    def start(self, phases: int) -> None:
        """The audit has this many phases in all."""
        with self._lock:
            self.total = phases
            self._draw()

    def call(self) -> None:
        """One more API call."""
        with self._lock:
            self.calls += 1
            self._draw()

    def phase(self, label: str) -> None:
        """A phase (or whatever `unit` counts) ended."""
        with self._lock:
            self.done += 1
            self.last = label
            self._draw()

    def line(self) -> str:
        """The bar as shown."""
        filled = _WIDTH * self.done // self.total if self.total else 0
        text = f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {self.done}/{self.total} {self._unit}"
        if self._show_calls:
            text += f"  {self.calls} calls"
        return f"{text}  {self.last}" if self.last else text

    def _draw(self) -> None:
        if not self._shown or (not self._drawn and self._clock() < self._draw_from):
            return
        # A line longer than the terminal would wrap, and `\r` would only rewrite its tail.
        line = self.line()[: _columns(self._stream) - 1]
        self._stream.write("\r" + line.ljust(self._drawn))
        self._stream.flush()
        self._drawn = max(self._drawn, len(line))

    def close(self) -> None:
        """Erase the bar, leaving the cursor where it started."""
        with self._lock:
            if self._drawn:
                self._stream.write("\r" + " " * self._drawn + "\r")
                self._stream.flush()
                self._drawn = 0
