"""Per-rule fixtures: every `tests/fixtures/<ID>/(pass|fail)/<case>/` is one test.

Each case holds a small Terraform root module or a bare IAM policy JSON file, and an
`expected.yaml` naming every result of the rule (resource address -> outcome, or a mapping of
`outcome`, and optionally `severity` when it differs from the rule's default and `message`, a
fragment every result's message of that resource must contain). Optional keys:
`xfail` (a known bug, with the reason) and `also_select` (rules that must run beside the rule,
for CORE-002 to see the findings an ignore hides). A `.anyscale-lint.yaml` in the case is the
case's configuration, loaded as the CLI loads it from the working directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import load_config
from anyscale_lint.engine.registry import registered_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KINDS = ("pass", "fail")
# Sources a case can exercise; `live` is tested through snapshots elsewhere.
CASE_SOURCES = ("terraform", "iam_json")
# Rules about the inputs themselves: no bad value can come through a variable.
INPUT_RULES = ("CORE-001", "CORE-002")
INDIRECTION = ("var.", "local.", "module.")


@dataclass(frozen=True)
class Pinned:
    """What a case pins beyond the outcome for one resource."""

    severity: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class Observed:
    """One resource's results of the rule in a case."""

    outcome: str
    severities: frozenset[str]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One fixture directory and what it expects."""

    rule: str
    kind: str
    name: str
    path: Path
    results: dict[str, str]
    pinned: dict[str, Pinned]
    xfail: str | None
    also_select: tuple[str, ...]

    @property
    def test_id(self) -> str:
        return f"{self.rule}-{self.kind}-{self.name}"

    @property
    def source(self) -> str:
        """`terraform` when the case holds Terraform files, else `iam_json`."""
        terraform = any(self.path.rglob("*.tf")) or any(self.path.rglob("*.tf.json"))
        return "terraform" if terraform else "iam_json"

    def terraform_text(self) -> str:
        """The text of every `.tf` and `.tfvars` file of the case (submodules included)."""
        files = [*self.path.rglob("*.tf"), *self.path.rglob("*.tfvars")]
        return "\n".join(path.read_text(encoding="utf-8") for path in sorted(files))


def load_cases() -> list[Case]:
    """Every fixture case, sorted by rule, kind and name."""
    cases = []
    for path in sorted(FIXTURES.glob("*/*/*/expected.yaml")):
        directory = path.parent
        rule, kind = directory.parent.parent.name, directory.parent.name
        if kind not in KINDS:
            continue
        data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == rule, f"{path}: rule {data['rule']} is not its directory's"
        results, pinned = _expectations(path, data.get("results") or {})
        cases.append(
            Case(
                rule=rule,
                kind=kind,
                name=directory.name,
                path=directory,
                results=results,
                pinned=pinned,
                xfail=data.get("xfail"),
                also_select=tuple(data.get("also_select") or ()),
            )
        )
    return cases


def _expectations(path: Path, raw: dict[Any, Any]) -> tuple[dict[str, str], dict[str, Pinned]]:
    """Outcomes per resource, and what is pinned beyond them."""
    outcomes: dict[str, str] = {}
    pinned: dict[str, Pinned] = {}
    for resource, expected in raw.items():
        if isinstance(expected, dict):
            unknown_keys = set(expected) - {"outcome", "severity", "message"}
            assert not unknown_keys, f"{path}: {resource}: unknown keys {sorted(unknown_keys)}"
            outcomes[str(resource)] = str(expected["outcome"])
            pinned[str(resource)] = Pinned(expected.get("severity"), expected.get("message"))
        else:
            outcomes[str(resource)] = str(expected)
    return outcomes, pinned


CASES = load_cases()


def observe_case(case: Case, monkeypatch: pytest.MonkeyPatch) -> dict[str, Observed]:
    """The rule's results in the case directory, per resource.

    Not-evaluated results count only where the case lists them.
    """
    monkeypatch.chdir(case.path)
    options = LintOptions(config=load_config(None, Path()), select=[case.rule, *case.also_select])
    report = lint(["."], options)
    assert not [e for e in report.errors if e.kind == "internal"], report.errors
    found: dict[str, Observed] = {}
    for result in report.results:
        if result.rule_id != case.rule:
            continue
        if result.outcome == "not-evaluated" and case.results.get(result.resource) != (
            "not-evaluated"
        ):
            continue
        previous = found.get(result.resource)
        if previous is None:
            previous = Observed(result.outcome, frozenset(), ())
        assert previous.outcome == result.outcome, (
            f"{result.resource}: both {previous.outcome} and {result.outcome} for {case.rule}"
        )
        found[result.resource] = Observed(
            result.outcome,
            previous.severities | {result.severity},
            (*previous.messages, result.message),
        )
    return found


def run_case(case: Case, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The rule's results in the case directory, as {resource: outcome}."""
    return {resource: seen.outcome for resource, seen in observe_case(case, monkeypatch).items()}


def mismatches(case: Case, observed: dict[str, Observed], default_severity: str) -> list[str]:
    """How the observed results differ from the case's expectations (empty when they match)."""
    found = {resource: seen.outcome for resource, seen in observed.items()}
    problems = [] if found == case.results else [f"outcomes {found} != {case.results}"]
    for resource, seen in observed.items():
        expected = case.pinned.get(resource, Pinned())
        if seen.outcome == "fail":
            severity = expected.severity or default_severity
            if seen.severities != {severity}:
                problems.append(f"{resource}: severity {sorted(seen.severities)} != {severity}")
        if expected.message and not all(expected.message in m for m in seen.messages):
            problems.append(f"{resource}: no {expected.message!r} in {list(seen.messages)}")
    return problems


DEFAULT_SEVERITY = {meta.id: meta.severity for meta, _ in registered_rules()}


def _param(case: Case) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=case.test_id, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_rule_fixture(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    observed = observe_case(case, monkeypatch)
    assert not mismatches(case, observed, DEFAULT_SEVERITY[case.rule])
    found = {resource: seen.outcome for resource, seen in observed.items()}
    outcomes = set(found.values())
    if case.kind == "pass":
        assert not outcomes & {"fail", "unknown"}, found
    else:
        assert "fail" in outcomes, found


def test_every_rule_has_fixtures() -> None:
    by_rule: dict[str, list[Case]] = {}
    for case in CASES:
        by_rule.setdefault(case.rule, []).append(case)
    missing = []
    for meta, _ in registered_rules():
        cases = by_rule.get(meta.id, [])
        for source in (s for s in meta.sources if s in CASE_SOURCES):
            for kind in KINDS:
                if not any(c.kind == kind and c.source == source for c in cases):
                    missing.append(f"{meta.id}: no {kind} case for {source}")
        if meta.id in INPUT_RULES or "terraform" not in meta.sources:
            # Rules about the inputs themselves, and live-only rules (CORE-003, whose cases
            # arrive with the live source), have no Terraform value to route through a variable.
            continue
        if not any(
            c.kind == "fail" and any(marker in c.terraform_text() for marker in INDIRECTION)
            for c in cases
        ):
            missing.append(f"{meta.id}: no fail case gets its bad value through var/local/module")
    unknown_rules = sorted(set(by_rule) - {meta.id for meta, _ in registered_rules()})
    assert not unknown_rules, f"fixtures for rules that do not exist: {unknown_rules}"
    assert not missing, "\n".join(missing)
