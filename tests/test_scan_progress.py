"""scan's progress bar: on a terminal (a pseudo-terminal here) for a scan that lasts, never when
stderr is not one, with --quiet or under CI."""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pytest

from anyscale_lint.progress_bar import ProgressBar
from tests.conftest import console_script
from tests.terminal import stderr_on_terminal

ROOT = 'resource "aws_s3_bucket" "b" {{ bucket = "anyscale-data-{index}" }}\n'


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("progress")
    for index in range(3):
        root = base / f"env-{index}"
        root.mkdir()
        (root / "main.tf").write_text(ROOT.format(index=index))
    return base


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "ANYSCALE_LINT_WORKERS")}
    # The bar waits a second before it is drawn; these scans take less.
    return {**env, "NO_COLOR": "1", "ANYSCALE_LINT_PROGRESS_AFTER": "0", **extra}


def _scan(*extra: str) -> list[str]:
    return [str(console_script()), "scan", ".", "-f", "json", *extra]


def test_the_bar_counts_roots_on_a_terminal_and_is_erased(tree: Path) -> None:
    shown = stderr_on_terminal(_scan(), _env(), tree)
    frames = [f.rstrip() for f in shown.split("\r") if f.strip()]
    assert frames, repr(shown)
    assert all(re.fullmatch(r"\[[#.]{20}\] \d/3 roots(  env-\d)?", f) for f in frames), frames
    assert frames[-1] == f"[{'#' * 20}] 3/3 roots  env-2"
    assert shown.endswith("\r") and not shown.split("\r")[-2].strip()  # erased at the end
    assert "\x1b" not in shown


def test_a_short_scan_draws_nothing(tree: Path) -> None:
    env = {k: v for k, v in _env().items() if k != "ANYSCALE_LINT_PROGRESS_AFTER"}
    assert stderr_on_terminal(_scan(), env, tree) == ""


@pytest.mark.parametrize(("flag", "extra"), [("--quiet", {}), ("-q", {}), ("", {"CI": "true"})])
def test_nothing_on_a_terminal_with_quiet_or_in_ci(
    tree: Path, flag: str, extra: dict[str, str]
) -> None:
    args = _scan(*[f for f in [flag] if f])
    assert stderr_on_terminal(args, _env(**extra), tree) == ""


def test_nothing_on_stderr_without_a_terminal(tree: Path) -> None:
    done = subprocess.run(_scan(), cwd=tree, env=_env(), capture_output=True, timeout=60)
    assert done.stdout.startswith(b"{")
    assert done.stderr == b""


def test_quiet_is_in_the_help() -> None:
    done = subprocess.run(
        [str(console_script()), "scan", "--help"], capture_output=True, text=True, timeout=60
    )
    assert "-q, --quiet" in done.stdout


def test_the_bar_waits_before_it_is_drawn() -> None:
    now = [100.0]
    stream = io.StringIO()
    bar = ProgressBar(
        stream, shown=True, unit="roots", calls=False, delay=1.0, clock=lambda: now[0]
    )
    bar.start(4)
    bar.phase("env-0")
    assert stream.getvalue() == ""
    now[0] += 1.5
    bar.phase("env-1")
    assert stream.getvalue() == f"\r[{'#' * 10}{'.' * 10}] 2/4 roots  env-1"
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * len(bar.line()) + "\r")
