"""Roots evaluated in worker processes give the same bytes, in the same order, as one process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import REPO

SECRET = "s3cr3t-value-never-shown"

ROOT = """
provider "aws" {{ region = "us-west-2" }}

variable "external_id" {{ default = "org_abc-{index}" }}

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
      Condition = {{ StringEquals = {{ "sts:ExternalId" = var.external_id }} }}
    }}]
  }})
  tags = {{ note = "token ${{var.token}}" }}
}}

resource "aws_s3_bucket" "data" {{ bucket = "anyscale-data-{index}" }}

resource "aws_security_group" "nodes" {{
  name = "anyscale-nodes-{index}"
  ingress {{
    from_port   = {port}
    to_port     = {port}
    protocol    = "tcp"
    cidr_blocks = ["{cidr}"]
  }}
}}

module "shared" {{ source = "../../modules/shared" }}
"""

SHARED = """
resource "aws_s3_bucket" "logs" { bucket = "anyscale-logs" }
resource "aws_s3_bucket" "logs" { bucket = "a duplicate, reported once" }
"""


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve roots calling a module outside the scanned directory, one with a syntax error."""
    base = tmp_path_factory.mktemp("parallel")
    shared = base / "modules" / "shared"
    shared.mkdir(parents=True)
    (shared / "main.tf").write_text(SHARED)
    for index in range(12):
        root = base / "envs" / f"env-{index:02d}"
        root.mkdir(parents=True)
        text = ROOT.format(
            index=index,
            secret=SECRET,
            port=(22, 443, 8265)[index % 3],
            cidr=("0.0.0.0/0", "10.0.0.0/8")[index % 2],
        )
        (root / "main.tf").write_text(text)
    (base / "envs" / "env-05" / "broken.tf").write_text('resource "aws_vpc" "v" {\n  cidr = \n')
    return base / "envs"


# Replaces the worker function with one that also says which process evaluated the root; with
# fork, the workers inherit the replacement.
PROBE = """
import os, sys
from anyscale_lint import root_pool
from anyscale_lint.cli import main

original = root_pool.evaluate_in_worker

def traced(root, boundary, judged):
    os.write(2, f"evaluated in {os.getpid()}\\n".encode())  # one write: workers interleave
    return original(root, boundary, judged)

root_pool.evaluate_in_worker = traced
print(f"parent {os.getpid()}", file=sys.stderr)
main(sys.argv[1:])
"""


def _scan(tree: Path, workers: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"NO_COLOR": "1", "ANYSCALE_LINT_WORKERS": workers, "PYTHONPATH": str(REPO)})
    return subprocess.run(
        [sys.executable, "-c", PROBE, "scan", str(tree), *args],
        cwd=tree.parent,
        env=env,
        capture_output=True,
        timeout=120,
    )


def _evaluating_processes(done: subprocess.CompletedProcess[bytes]) -> tuple[str, set[str]]:
    lines = done.stderr.decode().splitlines()
    parent = next(line.split()[1] for line in lines if line.startswith("parent "))
    return parent, {line.split()[-1] for line in lines if line.startswith("evaluated in ")}


@pytest.mark.parametrize("fmt", ["json", "sarif", "text"])
def test_the_pool_gives_the_serial_output(tree: Path, fmt: str) -> None:
    serial = _scan(tree, "1", "-f", fmt)
    pooled = _scan(tree, "2", "-f", fmt)
    assert serial.returncode == pooled.returncode == 3  # the syntax error: partial results
    assert pooled.stdout == serial.stdout
    assert b"env-11" in serial.stdout and b"CORE-001" in serial.stdout
    # Read while evaluating: loaded in the workers, its parse problems reported all the same.
    assert b"modules/shared/main.tf" in serial.stdout
    assert SECRET.encode() not in pooled.stdout and SECRET.encode() not in pooled.stderr
    assert _evaluating_processes(serial)[1] == set()  # no worker
    parent, evaluators = _evaluating_processes(pooled)
    assert len(evaluators) == 2 and parent not in evaluators
    # Nothing else on stderr: no progress bar off a terminal, no complaint from the pool's exit.
    assert all(
        line.startswith((b"parent ", b"evaluated in ")) for line in pooled.stderr.splitlines()
    )


def test_few_roots_stay_in_one_process(tree: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ANYSCALE_LINT_WORKERS"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "scan", str(tree), "-f", "json"],
        cwd=tree.parent,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 3
    assert _evaluating_processes(done)[1] == set()


def test_a_process_running_threads_is_never_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    from anyscale_lint import root_pool
    from anyscale_lint.root_pool import MIN_CHARACTERS, worker_count

    with monkeypatch.context() as alone:  # as if the test runner ran no other thread
        alone.setattr(root_pool.threading, "active_count", lambda: 1)
        alone.setenv("ANYSCALE_LINT_WORKERS", "2")
        assert worker_count(12, 0) == 2
        alone.delenv("ANYSCALE_LINT_WORKERS")
        assert worker_count(12, MIN_CHARACTERS - 1) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert worker_count(12, MIN_CHARACTERS * 10) == 1
        monkeypatch.setenv("ANYSCALE_LINT_WORKERS", "2")
        assert worker_count(12, MIN_CHARACTERS * 10) == 1
    finally:
        stop.set()
        thread.join()
