"""A scan lets go of each root's parsed files once evaluated: same output, memory per root."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.cli import main
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import REPO

SECRET = "s3cr3t-streamed-never-shown"

ROOT = """
provider "aws" {{ region = "us-west-2" }}

variable "token" {{
  default   = "{secret}"
  sensitive = true
}}

resource "aws_iam_role" "control_plane" {{
  name = "anyscale-cp-{index}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ AWS = "arn:aws:iam::525325868955:root" }}
    }}]
  }})
  tags = {{ note = "token ${{var.token}}" }}
}}

# anyscale-lint:ignore AWS-S3-007 reason="TLS enforced by an SCP"
resource "aws_s3_bucket" "data" {{ bucket = "anyscale-data-{index}" }}

resource "aws_security_group" "nodes" {{
  name = "anyscale-nodes-{index}"
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }}
}}
"""

SHARED = """
resource "aws_s3_bucket" "logs" { bucket = "anyscale-logs" }
resource "aws_s3_bucket" "logs" { bucket = "a duplicate, reported once" }
"""

CALL = 'module "shared" { source = "../../modules/shared" }\n'


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve roots, half calling a local module of the tree, one with a syntax error."""
    base = tmp_path_factory.mktemp("streaming") / "infra"
    shared = base / "modules" / "shared"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(SHARED)
    for index in range(12):
        root = base / "envs" / f"env-{index:02d}"
        root.mkdir(parents=True)
        text = ROOT.format(index=index, secret=SECRET, port=(22, 443, 8265)[index % 3])
        (root / "main.tf").write_text(text + (CALL if index % 2 else ""))
    (base / "envs" / "env-05" / "broken.tf").write_text('resource "aws_vpc" "v" {\n  cidr = \n')
    return base


def _unstreamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every directory parsed while finding the roots and kept to the end, as before."""
    monkeypatch.setattr(TerraformSource, "_discovered_calls", TerraformSource.local_calls)
    monkeypatch.setattr(TerraformSource, "release", lambda self, needed: None)


def _outputs(tree: Path, out: Path, run: object) -> dict[str, str]:
    """json, sarif and text of a scan with a baseline, written by `run(args)`."""
    baseline = tree / "baseline.json"
    args = [
        "scan",
        str(tree),
        "--baseline",
        str(baseline),
        "-f",
        f"json:{out}/report.json",
        "-f",
        f"sarif:{out}/report.sarif",
        "-f",
        f"text:{out}/report.txt",
    ]
    run(args)  # type: ignore[operator]
    return {
        name: (out / name).read_text() for name in ("report.json", "report.sarif", "report.txt")
    }


def _in_process(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 3), result.output


def _subprocess(workers: str) -> object:
    def run(args: list[str]) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "ANYSCALE_LINT_WORKERS": workers}
        completed = subprocess.run(
            [sys.executable, "-m", "anyscale_lint", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode in (1, 3), completed.stderr

    return run


@pytest.fixture(scope="module")
def expected(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The outputs of the scan that keeps every parsed file, one process."""
    written = subprocess.run(
        [
            sys.executable,
            "-m",
            "anyscale_lint",
            "scan",
            str(tree),
            "--select",
            "AWS-SG",
            "--write-baseline",
            str(tree / "baseline.json"),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (tree / "baseline.json").is_file(), written.stderr
    with pytest.MonkeyPatch.context() as patch:
        _unstreamed(patch)
        patch.setenv("ANYSCALE_LINT_WORKERS", "1")
        return _outputs(tree, tmp_path_factory.mktemp("expected"), _in_process)


def test_the_expected_scan_shows_what_the_tree_holds(expected: dict[str, str]) -> None:
    report = expected["report.json"]
    assert "env-05/broken.tf" in report  # the syntax error
    assert '"kind": "inline"' in report  # the inline ignore
    assert '"baselined": true' in report
    assert SECRET not in "".join(expected.values())


@pytest.mark.parametrize("workers", ["1", "2"])
def test_streamed_scan_writes_the_same_bytes(
    tree: Path, expected: dict[str, str], tmp_path: Path, workers: str
) -> None:
    assert _outputs(tree, tmp_path, _subprocess(workers)) == expected


def test_a_shared_module_is_parsed_once_and_every_root_let_go(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANYSCALE_LINT_WORKERS", "1")
    sources: list[TerraformSource] = []
    loads: list[Path] = []
    original_load = TerraformSource.load

    def load(self: TerraformSource, directory: Path) -> object:
        if self not in sources:
            sources.append(self)
        if directory.resolve() not in self.modules:
            loads.append(directory.resolve())
        return original_load(self, directory)

    monkeypatch.setattr(TerraformSource, "load", load)
    lint([str(tree)])
    shared = (tree / "modules" / "shared").resolve()
    assert loads.count(shared) == 1
    assert not [m for m in sources[0].modules.values() if m is not None]
    assert not sources[0].texts


def _generated(out: Path, count: int) -> Path:
    subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "generate.py"),
            "--count",
            str(count),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out / "roots"


def _peak(roots: Path, keep_models: bool) -> int:
    """Peak traced memory of an in-process scan of `roots`, in bytes."""
    parser._PARSED.clear()
    gc.collect()
    tracemalloc.start()
    try:
        lint([str(roots)], LintOptions(keep_models=keep_models))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("keep_models", "bound"),
    [
        # `scan` (no readiness report): each root is judged as it is evaluated and only its
        # results and a summary of its deployments stay, 2.0x when measured; keeping every
        # model makes it 2.4x, and holding the parsed files of the whole corpus as well made
        # it 3.6x.
        (False, 2.25),
        # `ready` and `-f readiness` keep every deployment's model for the report.
        (True, 3.0),
    ],
    ids=["scan", "readiness"],
)
def test_memory_does_not_grow_with_the_number_of_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_models: bool, bound: float
) -> None:
    monkeypatch.setenv("ANYSCALE_LINT_WORKERS", "1")
    # Ten roots hold a decoy (Anyscale's official root module, the largest root to evaluate):
    # the peak of both scans includes the evaluation of one.
    few = _generated(tmp_path / "few", 10)
    _peak(few, keep_models)  # imports and caches of a first scan are not what is measured
    peak_few = _peak(few, keep_models)
    # Six times the roots: what grows is what the report keeps per root.
    peak_many = _peak(_generated(tmp_path / "many", 60), keep_models)
    assert peak_many < peak_few * bound, (peak_few, peak_many)


def test_a_slim_scan_reports_what_a_full_one_does(tree: Path) -> None:
    """Judging each root as it is evaluated and letting its model go changes no result."""
    full = lint([str(tree)], LintOptions(keep_models=True))
    slim = lint([str(tree)], LintOptions(keep_models=False))
    assert slim.results == full.results
    assert slim.errors == full.errors and slim.notices == full.notices
    assert [d.key for d in slim.deployments] == [d.key for d in full.deployments]
    assert any(d.model.resources for d in full.deployments)
    # What a slim deployment keeps: enough for every findings format, none of the resources.
    for light, whole in zip(slim.deployments, full.deployments, strict=True):
        assert not light.model.resources and light.bucket is None
        assert light.model.files == whole.model.files
        assert light.model.ignores == whole.model.ignores
        assert light.identifications == whole.identifications
        assert light.network_mode == whole.network_mode
