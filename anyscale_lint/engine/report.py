"""The report of one run: every result, the inputs and their errors, and the exit code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from anyscale_lint.engine.context import Settings
from anyscale_lint.engine.findings import Result, severity_rank
from anyscale_lint.engine.registry import RuleMeta
from anyscale_lint.model import Deployment, ParseError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3


@dataclass
class Report:
    """Everything a formatter needs; formatters read nothing else."""

    version: str
    inputs: list[str]
    results: list[Result]
    rules: list[RuleMeta]
    deployments: list[Deployment] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    settings: Settings = field(default_factory=Settings)
    fail_on: str = "medium"
    fail_on_unknown: bool = False
    # SARIF `automationDetails.id` (`--category`): one per root or job in code scanning.
    category: str | None = None
    # Values no output may show (sensitive variables, outputs and what is computed from them).
    sensitive_values: frozenset[str] = frozenset()

    def findings(self) -> list[Result]:
        """Failures and unknowns, suppressed ones included, most severe first."""
        return [r for r in self.results if r.is_finding]

    def rule(self, rule_id: str) -> RuleMeta | None:
        """Metadata of a selected rule."""
        return next((r for r in self.rules if r.id == rule_id), None)

    def gating(self) -> list[Result]:
        """Active findings at or above the threshold (unknowns only with fail_on_unknown)."""
        threshold = severity_rank(self.fail_on)
        return [
            r
            for r in self.results
            if r.active
            and severity_rank(r.severity) >= threshold
            and (r.outcome == "fail" or self.fail_on_unknown)
        ]

    def incomplete(self) -> bool:
        """True when an input could not be read, parsed or evaluated."""
        return bool(self.errors)

    def exit_code(self, exit_zero: bool = False) -> int:
        """3 incomplete (wins), 1 findings at or above fail-on (0 with exit_zero), else 0."""
        if self.incomplete():
            return EXIT_INCOMPLETE
        if self.gating() and not exit_zero:
            return EXIT_FINDINGS
        return EXIT_OK

    def counts_by_rule(self) -> dict[str, Counter[str]]:
        """pass/fail/unknown/not-evaluated counts per rule ID."""
        counts: dict[str, Counter[str]] = {rule.id: Counter() for rule in self.rules}
        for result in self.results:
            counts.setdefault(result.rule_id, Counter())[result.outcome] += 1
        return counts

    def summary(self) -> dict[str, int]:
        """Active failing findings by severity, plus unknown, suppressed and error counts."""
        summary = dict.fromkeys(("critical", "high", "medium", "low", "info"), 0)
        for result in self.results:
            if result.active and result.outcome == "fail":
                summary[result.severity] += 1
        summary["unknown"] = sum(1 for r in self.results if r.active and r.outcome == "unknown")
        summary["suppressed"] = sum(
            1 for r in self.results if r.is_finding and r.suppression is not None
        )
        summary["baselined"] = sum(1 for r in self.results if r.is_finding and r.baselined)
        summary["errors"] = len(self.errors)
        return summary
