"""`ready --register-command` and `--resource-file`: the command about to be run decides the
networking mode, unless --network-mode or the config fixes it; a value it gives that the code
knows only in part is unknown, never a missing resource."""

from __future__ import annotations

import shutil
from pathlib import Path

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.config import Config
from tests.conftest import REPO

LEGACY = REPO / "examples" / "aws-insecure" / "legacy"
COMMAND = (
    "anyscale cloud register --provider aws --name legacy --region us-west-2 "
    "--vpc-id $(terraform output -raw vpc_id) {extra}"
)


def _mode(extra: str, **options: object) -> tuple[str, str]:
    given = LintOptions(register_command=COMMAND.format(extra=extra), **options)  # type: ignore[arg-type]
    [deployment] = [d for d in lint([str(LEGACY)], given).deployments if d.identified]
    return deployment.network_mode, deployment.network_mode_source


def test_the_code_alone_decides_public() -> None:
    [deployment] = lint([str(LEGACY)], LintOptions()).deployments
    assert deployment.network_mode == "public"


def test_a_given_command_with_private_network_makes_it_private() -> None:
    mode, source = _mode("--private-network")
    assert mode == "private"
    assert "--register-command" in source and "has --private-network" in source


def test_the_network_mode_option_still_wins() -> None:
    mode, source = _mode("--private-network", network_mode="public")
    assert (mode, source) == ("public", "--network-mode")


def test_the_config_still_wins(tmp_path: Path) -> None:
    config = Config(str(tmp_path / ".anyscale-lint.yaml"), {"network_mode": "public"})
    mode, _ = _mode("--private-network", config=config)
    assert mode == "public"


def test_a_bucket_named_from_the_account_is_unknown_not_missing(tmp_path: Path) -> None:
    root = tmp_path / "legacy"
    shutil.copytree(LEGACY, root)
    s3 = root / "s3.tf"
    s3.write_text(
        'data "aws_caller_identity" "current" {}\n'
        + s3.read_text(encoding="utf-8").replace(
            "bucket = var.bucket_name",
            'bucket = "${data.aws_caller_identity.current.account_id}-anyscale"',
            1,
        ),
        encoding="utf-8",
    )
    command = COMMAND.format(extra="--cloud-storage-bucket-name 123456789012-anyscale")
    report = lint([str(root)], LintOptions(register_command=command, select=["AWS-REG-004"]))
    about_bucket = [r for r in report.results if "123456789012-anyscale" in r.message]
    assert about_bucket and all(r.outcome == "unknown" for r in about_bucket), about_bucket
    assert "aws_s3_bucket.legacy" in about_bucket[0].message
    assert "aws_account_id" in about_bucket[0].message
