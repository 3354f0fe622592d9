"""The evaluation budget of one root: value sizes, iterations, wall time, module instances.

Input is untrusted: a few lines can describe values that double at each step. Whatever
exceeds the budget becomes Unknown with a located notice, and the scan goes on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from anyscale_lint.model import ParseError

# Far above what a real configuration needs; low enough that each stays well under a second.
MAX_STRING = 1_000_000  # characters in one string
MAX_NODES = 1_000_000  # values inside one value, a part shared N times counted N times
MAX_TEXT = 10 * MAX_STRING  # characters in all the strings of one value, counted the same way
MAX_ITERATIONS = 200_000  # for / %{for} elements in one expression (its own work)
MAX_SECONDS = 5.0  # evaluation time of one root (CPU seconds)
MAX_INSTANCES = 1_000  # module instances in one root
# The clock is read once per this many evaluation steps.
_CLOCK_EVERY = 1024


class BudgetExceeded(Exception):
    """An expression over the budget. Not an EvalError: try() and can() must not absorb it."""


class Budget:
    """What one root may still spend; shared by every evaluator of the root."""

    def __init__(
        self, seconds: float = MAX_SECONDS, clock: Callable[[], float] = time.process_time
    ) -> None:
        # CPU time of this process, not wall time: on a loaded CI runner the same input must
        # give the same results, and the work it bounds is the same.
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds
        self._steps = 0
        self._out_of_time = False
        self.iterations = 0
        self.instances = 0
        self.notices: list[str] = []
        self._noticed: set[str] = set()
        self.errors: list[ParseError] = []
        # id -> (value, nodes, characters): the value is kept so that its id is never reused.
        self._sizes: dict[int, tuple[Any, int, int]] = {}

    def step(self) -> None:
        """One evaluation step; BudgetExceeded once the root's time is spent."""
        self._steps += 1
        if not self._steps % _CLOCK_EVERY and self._clock() > self._deadline:
            self._out_of_time = True
        if self._out_of_time:
            raise BudgetExceeded(f"evaluating this root took more than {self.seconds:g} s")

    def iterate(self, count: int) -> None:
        """Account for `count` loop iterations of the current expression."""
        self.iterations += count
        if self.iterations > MAX_ITERATIONS:
            raise BudgetExceeded(f"more than {MAX_ITERATIONS:,} loop iterations")

    def check(self, value: Any) -> None:
        """BudgetExceeded when a value is too large."""
        if isinstance(value, str):
            self.check_text(len(value))
        elif isinstance(value, (list, dict)):
            nodes, characters = self.measure(value)
            if nodes > MAX_NODES:
                raise BudgetExceeded(f"a value of more than {MAX_NODES:,} elements")
            if characters > MAX_TEXT:
                raise BudgetExceeded(f"a value holding more than {MAX_TEXT:,} characters")

    @staticmethod
    def check_text(length: int) -> None:
        """BudgetExceeded for a string of `length` characters (checked before building it)."""
        if length > MAX_STRING:
            raise BudgetExceeded(f"a string longer than {MAX_STRING:,} characters")

    def measure(self, value: Any) -> tuple[int, int]:
        """Values and string characters inside a value; each container measured once per root."""
        if isinstance(value, str):
            return 1, len(value)
        if not isinstance(value, (list, dict)):
            return 1, 0
        known = self._sizes.get(id(value))
        if known is not None and known[0] is value:
            return known[1], known[2]
        nodes, characters = 1, 0
        for item in value.values() if isinstance(value, dict) else value:
            inner_nodes, inner_characters = self.measure(item)
            nodes += inner_nodes
            characters += inner_characters
            if nodes > MAX_NODES or characters > MAX_TEXT:
                break
        self._sizes[id(value)] = (value, nodes, characters)
        return nodes, characters

    def notice(self, where: str, reason: str) -> None:
        """Record a located notice once (once per root for running out of time)."""
        if self._out_of_time:
            key, text = (
                "time",
                f"{where}: evaluation budget exceeded ({reason}); the rest of the root is unknown",
            )
        else:
            key = text = f"{where}: evaluation budget exceeded ({reason}); the value is unknown"
        if key not in self._noticed:
            self._noticed.add(key)
            self.notices.append(text)
