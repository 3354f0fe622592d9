"""`ready --register-command` and `--resource-file`: the command about to be run decides the
networking mode, unless --network-mode or the config fixes it."""

from __future__ import annotations

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
