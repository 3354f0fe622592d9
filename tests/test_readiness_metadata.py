"""The readiness report and the register inputs read rule metadata and the parts table: a new
rule or a flag alias needs no change under readiness/ or in the checks."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.engine import registry
from anyscale_lint.engine.context import CheckContext
from anyscale_lint.readiness.build import SECTIONS, build_readiness
from tests.conftest import REPO

NEW_RULE = "AWS-S3-999"


def _bucket_named_prod(ctx: CheckContext) -> None:
    bucket = ctx.deployment.bucket
    if bucket is None:
        ctx.not_evaluated(ctx.deployment.key, "no bucket")
    elif "prod" in str(bucket.name):
        ctx.fail(bucket, f"{bucket.address} is named for prod (test rule)", value=str(bucket.name))
    else:
        ctx.passed(bucket)


@pytest.fixture
def added_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that exists only in this test: its metadata says section S3, input bucket."""
    template = registry.load_metadata()["AWS-S3-001"]
    meta = replace(
        template,
        id=NEW_RULE,
        name="test-bucket-name",
        title="Test rule added by the test",
        severity="high",
        readiness_section="S3",
        readiness_inputs=("bucket",),
    )
    monkeypatch.setitem(registry.load_metadata(), NEW_RULE, meta)
    monkeypatch.setitem(registry._CHECKS, NEW_RULE, _bucket_named_prod)


def test_a_rule_added_in_the_test_appears_in_its_section_and_input(added_rule: None) -> None:
    report = lint([str(REPO / "examples" / "aws-insecure" / "prod")], LintOptions())
    assert any(r.rule_id == NEW_RULE and r.outcome == "fail" for r in report.results)
    (deployment,) = build_readiness(report).deployments
    s3 = next(section for section in deployment.sections if section.name == "S3")
    assert NEW_RULE in {count.rule_id for count in s3.rules}
    rows = {item.name: item for item in deployment.checklist}
    assert NEW_RULE in {line.rule_id for line in rows["S3 bucket"].rules}
    others = [name for name, item in rows.items() if name != "S3 bucket"]
    assert all(NEW_RULE not in {line.rule_id for line in rows[n].rules} for n in others)
    assert any(r.rule_id == NEW_RULE for r in deployment.requirements)


def test_messages_name_a_flag_alias_as_the_user_wrote_it(tmp_path: Path) -> None:
    root = tmp_path / "legacy"
    shutil.copytree(REPO / "examples" / "aws-insecure" / "legacy", root)
    outputs = root / "outputs.tf"
    outputs.write_text(
        outputs.read_text(encoding="utf-8").replace(
            "--s3-bucket-id ${aws_s3_bucket.legacy.id}", "--s3-bucket-id no-such-bucket"
        ),
        encoding="utf-8",
    )
    report = lint([str(root)], LintOptions(select=["AWS-REG-004"]))
    messages = [r.message for r in report.results if r.outcome == "fail"]
    assert any("--s3-bucket-id no-such-bucket" in m for m in messages), messages
    assert not any("--cloud-storage-bucket-name" in m for m in messages), messages
    (deployment,) = build_readiness(report).deployments
    bucket_row = next(item for item in deployment.checklist if item.name == "S3 bucket")
    assert bucket_row.status == "fail"


def test_every_rule_names_a_known_section() -> None:
    for meta in registry.load_metadata().values():
        assert meta.readiness_section in SECTIONS, meta.id
