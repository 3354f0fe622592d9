"""Reading the file system safely: the file() sandbox, devices and FIFOs, unreadable paths.

Issue 10, items 4, 7, 13 and 17. Every scan runs in a subprocess with a 30 s timeout, only as a
guard against a hang (a FIFO or /dev/zero blocks or reads forever when opened).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from anyscale_lint.sources.files import scan_root
from anyscale_lint.sources.terraform.loader import TerraformSource
from tests.conftest import REPO, as_nobody, console_script
from tests.function_cases import Unresolved, instance_at, matches, module_dir

GOOD = 'resource "aws_security_group" "g" {\n  name = "g"\n}\n'
SYNTAX_FIX = "Fix the syntax error"


def _cli(
    *args: str, cwd: Path, unprivileged: bool = False, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    command = [str(console_script()), *args]
    if unprivileged and os.geteuid() == 0:
        command = [*as_nobody(), *command]
        # The default cache directory is under root's home, which nobody cannot write.
        environment["ANYSCALE_LINT_CACHE_DIR"] = str(cwd / ".cache-nobody")
    result = subprocess.run(
        command, cwd=cwd, env=environment, capture_output=True, text=True, timeout=30
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A temporary directory an unprivileged user can enter (pytest's tmp_path is root's only)."""
    directory = Path(tempfile.mkdtemp(prefix="anyscale-lint-fs-"))
    directory.chmod(0o777)
    try:
        yield directory
    finally:
        for path in [directory, *directory.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o777)
        shutil.rmtree(directory)


def _readable_by_all(directory: Path) -> None:
    for path in [directory, *directory.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o777 if path.is_dir() else 0o666)


# ---- item 4: file() reads only inside the scanned tree ---------------------------------------

REGISTER_FROM_PASSWD = """
locals {
  first_line = trimspace(split("\\n", file("/etc/passwd"))[0])
}
output "register" {
  value = "anyscale cloud register --provider aws --name ${local.first_line} --region us-west-2"
}
"""


def test_file_outside_the_scanned_tree_is_not_read_from_another_working_directory(
    tmp_path: Path,
) -> None:
    scanned = tmp_path / "scan"
    scanned.mkdir()
    (scanned / "main.tf").write_text(REGISTER_FROM_PASSWD)
    # From the repository, the old boundary (the common ancestor of the working directory and
    # the scanned path) was `/`.
    result = _cli("ready", str(scanned), cwd=REPO)
    assert "root:" not in result.stdout + result.stderr


def test_a_root_outside_the_working_directory_reads_nothing_outside_its_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "scan"
    root.mkdir()
    (root / "main.tf").write_text('output "x" {\n  value = file("/etc/passwd")\n}\n')
    monkeypatch.chdir(REPO)
    model, _ = TerraformSource(REPO).evaluate_root(root, scan_root(root))
    (output,) = model.outputs
    assert matches(output.value, Unresolved("outside the scanned tree")), output.value


def test_a_symlink_escaping_the_tree_is_not_read_whatever_the_working_directory(
    tmp_path: Path,
) -> None:
    scanned = tmp_path / "scan"
    scanned.mkdir()
    (tmp_path / "secret.txt").write_text("s3cr3t-value")
    (scanned / "link.txt").symlink_to(tmp_path / "secret.txt")
    (scanned / "main.tf").write_text(
        'output "register" {\n  value = "anyscale cloud register --provider aws '
        '--name ${file("link.txt")} --region us-west-2"\n}\n'
    )
    # From the parent directory, the old boundary (the common ancestor of the working
    # directory and the scanned path) held the secret.
    result = _cli("ready", "scan", cwd=tmp_path)
    assert "s3cr3t-value" not in result.stdout + result.stderr
    model, _ = TerraformSource(tmp_path).evaluate_root(scanned, scan_root(scanned))
    (output,) = model.outputs
    assert matches(output.value, Unresolved("outside the scanned tree")), output.value


def test_the_boundary_is_the_git_work_tree_holding_the_scanned_path(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    root = repository / "envs" / "prod"
    root.mkdir(parents=True)
    assert scan_root(root) == repository.resolve()
    assert scan_root(root / "main.tf") == repository.resolve()
    outside = tmp_path / "plain"
    outside.mkdir()
    assert scan_root(outside) == outside.resolve()
    assert scan_root(outside / "main.tf") == outside.resolve()


def test_a_root_reads_common_files_of_its_repository(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "common").mkdir()
    (repository / "common" / "name.txt").write_text("common-name")
    root = repository / "envs" / "prod"
    root.mkdir(parents=True)
    (root / "main.tf").write_text(
        'output "register" {\n  value = "anyscale cloud register --provider aws '
        '--name ${file("../../common/name.txt")} --region us-west-2"\n}\n'
    )
    result = _cli("ready", str(root), cwd=tmp_path)
    assert "--name common-name" in result.stdout


def test_path_root_is_the_root_module_directory(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "name.txt").write_text("top-of-repository")
    root = repository / "envs" / "prod"
    root.mkdir(parents=True)
    (root / "name.txt").write_text("root-module")
    (root / "main.tf").write_text(
        'output "register" {\n  value = "anyscale cloud register --provider aws '
        '--name ${file("${path.root}/name.txt")} --region us-west-2"\n}\n'
    )
    result = _cli("ready", ".", cwd=root)
    assert "--name root-module" in result.stdout


def test_discovery_does_not_follow_a_symlink_out_of_the_tree(tmp_path: Path) -> None:
    scanned = tmp_path / "scan"
    (scanned / "inner").mkdir(parents=True)
    (scanned / "inner" / "main.tf").write_text(GOOD)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "main.tf").write_text("this is not HCL {")
    (scanned / "to-inner").symlink_to(scanned / "inner")
    (scanned / "to-outside").symlink_to(tmp_path / "outside")
    # A link to / once walked the whole file system.
    (scanned / "to-root").symlink_to("/")
    result = _cli("scan", ".", cwd=scanned)
    assert result.returncode == 0, result.stdout
    assert "to-outside: skipped, a symbolic link to" in result.stdout
    assert "to-root: skipped, a symbolic link to /, outside the scanned tree" in result.stdout
    assert "to-inner: skipped" not in result.stdout


def test_functions_that_would_read_or_list_files_outside_read_nothing(tmp_path: Path) -> None:
    # fileset() and filebase64() are not evaluated at all; this keeps them from being added
    # without the sandbox.
    directory = module_dir(tmp_path, '[fileset("/", "etc/*"), filebase64("/etc/passwd")]')
    value = instance_at(directory).local("x")
    assert matches(value, [Unresolved("not evaluated"), Unresolved("not evaluated")]), value


def test_file_of_a_fifo_is_unknown(tmp_path: Path) -> None:
    directory = module_dir(tmp_path, 'file("fifo")')
    os.mkfifo(directory / "fifo")
    value = instance_at(directory).local("x")
    assert matches(value, Unresolved("not a regular file (FIFO)")), value


def test_file_of_an_oversized_file_is_unknown(tmp_path: Path) -> None:
    directory = module_dir(tmp_path, 'file("big.txt")')
    (directory / "big.txt").write_bytes(b"x" * (5 * 1024 * 1024 + 1))
    value = instance_at(directory).local("x")
    assert matches(value, Unresolved("over the 5 MB limit")), value


def test_file_of_a_fifo_does_not_hang_the_scan(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('output "x" {\n  value = file("fifo")\n}\n' + GOOD)
    os.mkfifo(tmp_path / "fifo")
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


# ---- item 7: devices and FIFOs are never opened ----------------------------------------------


def test_a_tf_symlink_to_a_device_is_a_read_error(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text(GOOD)
    (tmp_path / "zero.tf").symlink_to("/dev/zero")
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3
    assert "zero.tf could not be read: not a regular file (character device)" in result.stdout


@pytest.mark.parametrize("name", ["main.tf", "policy.json", "terraform.tfvars"])
def test_a_fifo_in_the_scanned_tree_is_a_read_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "good.tf").write_text(GOOD + 'variable "v" {\n  default = 1\n}\n')
    os.mkfifo(tmp_path / name)
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3, result.stdout
    assert f"{name} could not be read: not a regular file (FIFO)" in result.stdout


def test_a_fifo_given_as_an_argument_is_a_read_error(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "policy.json")
    result = _cli("scan", "policy.json", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3, result.stdout
    assert "policy.json could not be read: not a regular file (FIFO)" in result.stdout


def test_a_var_file_that_is_a_device_is_a_read_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD + 'variable "v" {\n  default = 1\n}\n')
    result = _cli("scan", ".", "--var-file", "/dev/zero", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3, result.stdout
    assert "/dev/zero could not be read: not a regular file (character device)" in result.stdout


def test_a_resource_file_that_is_a_device_is_a_read_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    result = _cli("ready", ".", "--resource-file", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 3, result.stdout
    assert "/dev/zero" in result.stdout and "not a regular file (character device)" in result.stdout


def test_a_register_command_file_that_is_a_device_is_a_read_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    result = _cli("ready", ".", "--register-command", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "/dev/zero" in result.stdout and "not a regular file (character device)" in result.stdout


@pytest.mark.parametrize("command", ["scan", "ready"])
def test_a_config_that_is_a_device_is_a_config_error(tmp_path: Path, command: str) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    result = _cli(command, ".", "--config", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero: not a regular file (character device)" in result.stderr


def test_a_fifo_config_in_the_working_directory_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    os.mkfifo(tmp_path / ".anyscale-lint.yaml")
    result = _cli("scan", ".", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert ".anyscale-lint.yaml: not a regular file (FIFO)" in result.stderr


def test_a_baseline_that_is_a_device_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    result = _cli("scan", ".", "--baseline", "/dev/zero", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "/dev/zero: not a regular file (character device)" in result.stderr


# ---- item 13: unreadable directories are read errors -----------------------------------------


def test_an_unreadable_directory_given_directly_is_a_read_error(shared_tmp: Path) -> None:
    locked = shared_tmp / "locked"
    locked.mkdir()
    (locked / "main.tf").write_text(GOOD)
    _readable_by_all(shared_tmp)
    locked.chmod(0)
    result = _cli("scan", "locked", "--exit-zero", cwd=shared_tmp, unprivileged=True)
    assert result.returncode == 3, result.stdout
    assert "locked could not be read: permission denied" in result.stdout
    assert "no Terraform or IAM JSON files found" not in result.stdout


def test_an_unreadable_subdirectory_is_a_read_error(shared_tmp: Path) -> None:
    (shared_tmp / "main.tf").write_text(GOOD)
    for name in ("locked", "policies"):
        (shared_tmp / name).mkdir()
    (shared_tmp / "locked" / "main.tf").write_text(GOOD)
    (shared_tmp / "policies" / "policy.json").write_text("{}")
    _readable_by_all(shared_tmp)
    (shared_tmp / "locked").chmod(0)
    (shared_tmp / "policies").chmod(0)
    result = _cli("scan", ".", "--exit-zero", cwd=shared_tmp, unprivileged=True)
    assert result.returncode == 3, result.stdout
    assert "locked could not be read: permission denied" in result.stdout
    assert "policies could not be read: permission denied" in result.stdout


def test_an_unreadable_called_module_directory_is_a_read_error(shared_tmp: Path) -> None:
    (shared_tmp / "root").mkdir()
    (shared_tmp / "module").mkdir()
    (shared_tmp / "root" / "main.tf").write_text('module "m" {\n  source = "../module"\n}\n')
    (shared_tmp / "module" / "main.tf").write_text('output "x" {\n  value = 1\n}\n')
    _readable_by_all(shared_tmp)
    (shared_tmp / "module").chmod(0)
    result = _cli("scan", "root", "--exit-zero", cwd=shared_tmp, unprivileged=True)
    assert result.returncode == 3, result.stdout
    assert "module could not be read: permission denied" in result.stdout


# ---- item 17: read errors are not syntax errors ----------------------------------------------


def test_a_permission_error_has_its_own_fix(shared_tmp: Path) -> None:
    (shared_tmp / "good.tf").write_text(GOOD)
    (shared_tmp / "secret.tf").write_text(GOOD)
    _readable_by_all(shared_tmp)
    (shared_tmp / "secret.tf").chmod(0)
    result = _cli("scan", ".", "--exit-zero", cwd=shared_tmp, unprivileged=True)
    assert result.returncode == 3
    assert "secret.tf could not be read: permission denied" in result.stdout
    assert SYNTAX_FIX not in result.stdout


def test_a_symlink_loop_is_named_and_has_its_own_fix(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text(GOOD)
    (tmp_path / "loop.tf").symlink_to(tmp_path / "loop.tf")
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3
    assert "loop.tf could not be read: symbolic link loop" in result.stdout
    assert SYNTAX_FIX not in result.stdout


def test_a_symlink_loop_given_as_an_argument_is_named(tmp_path: Path) -> None:
    (tmp_path / "loop.tf").symlink_to(tmp_path / "loop.tf")
    result = _cli("scan", "loop.tf", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3
    assert "symbolic link loop" in result.stdout and "broken symbolic link" not in result.stdout


def test_a_device_read_error_has_its_own_fix(tmp_path: Path) -> None:
    (tmp_path / "good.tf").write_text(GOOD)
    os.mkfifo(tmp_path / "fifo.tf")
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3
    assert SYNTAX_FIX not in result.stdout


def test_a_syntax_error_keeps_the_syntax_fix(tmp_path: Path) -> None:
    (tmp_path / "bad.tf").write_text('resource "aws_security_group" "g" {\n')
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 3 and SYNTAX_FIX in result.stdout


@pytest.mark.parametrize("command", ["scan", "ready"])
@pytest.mark.parametrize("name", [".anyscale-lint.yaml", "pyproject.toml"])
def test_a_config_that_is_not_utf8_names_the_file(tmp_path: Path, name: str, command: str) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    (tmp_path / name).write_bytes(b"# caf\xe9\n")
    result = _cli(command, ".", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"{name}:1: not valid UTF-8" in result.stderr


def test_a_rules_cache_that_is_not_utf8_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(GOOD)
    cache = tmp_path / "cache"
    environment = {"ANYSCALE_LINT_CACHE_DIR": str(cache)}
    assert _cli("scan", ".", "--exit-zero", cwd=tmp_path, env=environment).returncode == 0
    (cached,) = cache.glob("rules-*.json.sealed")
    cached.write_bytes(b"\xff\xfe not json")
    result = _cli("scan", ".", "--exit-zero", cwd=tmp_path, env=environment)
    assert result.returncode == 0, result.stderr
    assert cached.read_bytes()[32:].startswith(b'{"validated"')  # after the entry's seal
