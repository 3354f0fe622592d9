"""Shared test helpers: the repository root and running the installed console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

if TYPE_CHECKING:
    from tests.gcp_fake import FakeGoogle

REPO = Path(__file__).resolve().parents[1]

# A bounded profile for CI (2 cores, shared with the rest of the suite).
settings.register_profile("ci", max_examples=60, deadline=None)
settings.register_profile("dev", max_examples=150, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def console_script() -> Path:
    """The installed `anyscale-lint` entry point of the running environment."""
    script = Path(sys.executable).parent / "anyscale-lint"
    if not script.exists():
        pytest.fail(f"console script not installed at {script}: run `pip install -e .[test]`")
    return script


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `anyscale-lint ARGS` in a subprocess through its real entry point."""
    environment = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [str(console_script()), *args],
        cwd=cwd or REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def as_nobody() -> list[str]:
    """The command prefix that runs a command as `nobody` (permissions do not bite root)."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop to an unprivileged user")
    # A checkout under a directory other users cannot search (mktemp -d makes it 0700) cannot
    # be run from as nobody at all: the test would only measure where it was cloned.
    blocked = next((d for d in (REPO, *REPO.parents) if not d.stat().st_mode & 0o001), None)
    if blocked is not None:
        pytest.skip(f"{blocked} is not searchable by other users: nobody cannot reach the checkout")
    # setpriv execs the console script itself: the venv's interpreter is reached through
    # root's home, which a process already running as nobody could not traverse.
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]


# The fake Google APIs serving each reference GCP deployment, one server per test module.
@pytest.fixture(scope="module")
def ready_fake() -> Iterator[FakeGoogle]:
    from tests.gcp_fake import load, serve

    with serve(load("ready")) as fake:
        yield fake


@pytest.fixture(scope="module")
def insecure_fake() -> Iterator[FakeGoogle]:
    from tests.gcp_fake import load, serve

    with serve(load("insecure")) as fake:
        yield fake
