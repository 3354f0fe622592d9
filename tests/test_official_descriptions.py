"""A scan never takes anyscale-lint's descriptions of the official modules for the user's roots."""

from __future__ import annotations

import json
from pathlib import Path

from anyscale_lint.sources.terraform import official
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import REPO, run_cli

# ---- the descriptions are package data, never roots -------------------------------------------


def test_walking_the_package_finds_no_description_as_a_root() -> None:
    source = TerraformSource(Path.cwd())
    assert source.module_dirs(REPO / "anyscale_lint") == []
    found = source.module_dirs(REPO / "tests" / "fixtures" / "official_modules")
    assert {d.name for d in found} == {"secure", "ssh-open"}


def test_a_link_to_the_descriptions_is_not_walked_either(tmp_path: Path) -> None:
    # Skipped by the directory's identity, not its name: a link under another name is too.
    (tmp_path / "main.tf").write_text('resource "aws_vpc" "v" {}\n', encoding="utf-8")
    (tmp_path / "vendored").symlink_to(official.DESCRIPTIONS)
    source = TerraformSource(Path.cwd())
    assert source.module_dirs(tmp_path, Path("/")) == [tmp_path.resolve()]


def test_a_description_named_on_the_command_line_is_no_root() -> None:
    source = TerraformSource(Path.cwd())
    directory = (official.DESCRIPTIONS / "aws-anyscale-vpc").resolve()
    assert source.roots([directory]) == []
    run = run_cli("scan", str(official.DESCRIPTIONS), "-f", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["results"] == []
    assert any("package data" in notice for notice in report["notices"]), report["notices"]
