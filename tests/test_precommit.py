"""The published hooks through the real `pre-commit` program, installed from this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conftest import REPO

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
# pip's and pre-commit's words for an index it could not reach (no network, no proxy).
NETWORK_FAILURES = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
    "ProxyError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)
SSH_FROM_ANYWHERE = """
  ingress {
    description = "SSH for debugging"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
"""

pytestmark = pytest.mark.slow


def _unavailable(reason: str) -> NoReturn:
    """Skip where pre-commit cannot be set up; in CI that is a failure, never a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def _new_repo(directory: Path) -> Path:
    directory.mkdir(parents=True)
    _git(directory, "init", "-q")
    for key, value in (
        ("user.name", "anyscale-lint tests"),
        ("user.email", "tests@example.invalid"),
        ("commit.gpgsign", "false"),
    ):
        _git(directory, "config", key, value)
    return directory


def _snapshot(destination: Path) -> str:
    """Commit this checkout's working tree (uncommitted and untracked files too) to a new repo."""
    # Not `pre-commit try-repo`: its shadow commit takes only staged and modified tracked
    # files (`git add -u`), so a new file (the hook manifest itself, before its first commit)
    # would be missing, and it installs the hook into a throwaway store on every call,
    # ignoring PRE_COMMIT_HOME. Nor `rev: HEAD` of the checkout, which tests committed work
    # only. A snapshot commit used as an ordinary `repo:` + `rev:` tests exactly the working
    # tree and installs once per module.
    try:
        listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        _unavailable(f"{REPO} is not a git checkout: {error}")
    _new_repo(destination)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git(destination, "add", "-A")
    _git(destination, "commit", "-q", "-m", "snapshot of the working tree")
    return _git(destination, "rev-parse", "HEAD").strip()


@dataclass
class HookRepo:
    """A user's repository whose .pre-commit-config.yaml uses the hooks of this checkout."""

    path: Path
    env: dict[str, str]

    def run(self, hook: str) -> subprocess.CompletedProcess[str]:
        """`pre-commit run HOOK` on the staged files, as a commit would."""
        return subprocess.run(
            [str(PRE_COMMIT), "run", hook, "--color", "never"],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def stage(self, *paths: str) -> None:
        """`git add` the paths."""
        _git(self.path, "add", "--", *paths)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> HookRepo:
    """Install the hooks once per module, in a pre-commit cache of its own."""
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is not installed at {PRE_COMMIT}: run `pip install -e .[test]`")
    base = tmp_path_factory.mktemp("pre-commit")
    revision = _snapshot(base / "anyscale-lint")
    # Variables a surrounding git hook may set would point git at the wrong repository.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(PRE_COMMIT_HOME=str(base / "cache"), NO_COLOR="1")
    work = _new_repo(base / "work")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {base / 'anyscale-lint'}\n    rev: {revision}\n"
        "    hooks:\n      - id: anyscale-lint\n      - id: anyscale-lint-iam\n",
        encoding="utf-8",
    )
    _git(work, "add", ".pre-commit-config.yaml")
    _git(work, "commit", "-q", "-m", "pre-commit configuration")
    installed = subprocess.run(
        [str(PRE_COMMIT), "install-hooks"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if installed.returncode != 0:
        log = base / "cache" / "pre-commit.log"
        output = installed.stdout + installed.stderr
        output += log.read_text(encoding="utf-8") if log.exists() else ""
        if any(word in output for word in NETWORK_FAILURES):
            _unavailable(f"pre-commit could not install the hook (no package index?):\n{output}")
        pytest.fail(f"pre-commit install-hooks failed:\n{output}")
    return HookRepo(work, env)


def test_terraform_hook_fails_on_ssh_from_anywhere_and_passes_when_fixed(
    hook_repo: HookRepo,
) -> None:
    shutil.copytree(REPO / "examples" / "aws-ready", hook_repo.path / "cloud")
    group = hook_repo.path / "cloud" / "modules" / "network" / "security_group.tf"
    good = group.read_text(encoding="utf-8")
    anchor = "  vpc_id      = aws_vpc.anyscale.id\n"
    assert anchor in good
    group.write_text(good.replace(anchor, anchor + SSH_FROM_ANYWHERE), encoding="utf-8")
    hook_repo.stage("cloud")

    failed = hook_repo.run("anyscale-lint")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "AWS-SG-005" in failed.stdout
    assert "cloud/modules/network/security_group.tf:" in failed.stdout

    group.write_text(good, encoding="utf-8")
    hook_repo.stage("cloud")
    passed = hook_repo.run("anyscale-lint")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_iam_hook_checks_policies_and_skips_other_json(hook_repo: HookRepo) -> None:
    policies = hook_repo.path / "policies"
    policies.mkdir()
    (policies / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    hook_repo.stage("policies")
    passed = hook_repo.run("anyscale-lint-iam")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    (policies / "trust.json").write_text(
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
        '"Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}\n'
    )
    hook_repo.stage("policies")
    failed = hook_repo.run("anyscale-lint-iam")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "AWS-IAM-002" in failed.stdout and "policies/trust.json:1" in failed.stdout
