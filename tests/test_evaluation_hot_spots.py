"""Work done once that a scan used to repeat per rule, statement or result (the same output)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.checks import aws_iam_permissions
from anyscale_lint.formatters import FORMATTERS
from tests.conftest import REPO

EXAMPLE = REPO / "examples" / "aws-insecure"


def test_sarif_resolves_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    report = lint([str(EXAMPLE.relative_to(REPO))], LintOptions())
    expected = FORMATTERS["sarif"](report)
    resolved: Counter[str] = Counter()
    original = Path.resolve

    def counted(self: Path, strict: bool = False) -> Path:
        resolved[str(self)] += 1
        return original(self, strict)

    monkeypatch.setattr(Path, "resolve", counted)
    assert FORMATTERS["sarif"](report) == expected
    located = [r for r in report.findings() if getattr(r.location, "path", None)]
    assert len(located) > len({r.location.path for r in located})  # files named many times
    assert resolved and max(resolved.values()) == 1, resolved.most_common(3)


def test_the_s3_actions_of_an_action_set_are_picked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # `s3:*` statements in several policies, judged by two rules: one filtering of the set.
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("ANYSCALE_LINT_WORKERS", raising=False)
    aws_iam_permissions._s3_only.cache_clear()
    lint([os.path.relpath(EXAMPLE, REPO)], LintOptions(select=["AWS-IAM-009", "AWS-IAM-010"]))
    info = aws_iam_permissions._s3_only.cache_info()
    assert info.hits >= info.misses > 0  # the second rule reuses every set the first filtered
