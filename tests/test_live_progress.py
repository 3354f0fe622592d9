"""The live audit's progress bar: drawn on a terminal (a pseudo-terminal here), never when
stderr is not one, with --quiet or under CI; it has no colour, so NO_COLOR keeps it."""

from __future__ import annotations

import io
import os
import re
import subprocess
from collections.abc import Iterator

import pytest

from anyscale_lint.progress_bar import ProgressBar
from tests.conftest import console_script
from tests.live_seed import REGION
from tests.terminal import stderr_on_terminal


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "AWS_PROFILE")}
    return {
        **env,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        **extra,
    }


def _args(endpoint: str, *extra: str) -> list[str]:
    return [
        str(console_script()),
        "live",
        "--region",
        REGION,
        "--endpoint-url",
        endpoint,
        "--max-attempts",
        "1",
        "--vpc-id",
        "vpc-0123456789abcdef0",
        "-f",
        "json",
        *extra,
    ]


def test_the_bar_is_drawn_on_a_terminal_and_erased(endpoint: str) -> None:
    shown = stderr_on_terminal(_args(endpoint), _env(NO_COLOR="1"))
    frames = [f.rstrip() for f in shown.split("\r") if f.strip()]
    assert frames, repr(shown)
    assert all(re.fullmatch(r"\[[#.]{20}\] \d/6 phases  \d+ calls(  .+)?", f) for f in frames)
    assert "1/6 phases" in shown and "network (us-west-2)" in shown
    assert re.fullmatch(r"\[#{20}\] 6/6 phases  \d+ calls  .+ \(us-west-2\)", frames[-1])
    assert shown.endswith("\r") and not shown.split("\r")[-2].strip()  # erased at the end
    assert "\x1b" not in shown  # no colour, no escape sequence


def test_nothing_on_stderr_without_a_terminal(endpoint: str) -> None:
    done = subprocess.run(_args(endpoint), env=_env(), capture_output=True, timeout=60)
    assert done.stdout.startswith(b"{")
    assert done.stderr == b""


@pytest.mark.parametrize(("flag", "extra"), [("--quiet", {}), ("-q", {}), ("", {"CI": "true"})])
def test_nothing_on_a_terminal_with_quiet_or_in_ci(
    endpoint: str, flag: str, extra: dict[str, str]
) -> None:
    args = _args(endpoint, *[f for f in [flag] if f])
    assert stderr_on_terminal(args, _env(**extra)) == ""


def test_the_bar_line() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, shown=True)
    bar.start(12)
    bar.call()
    bar.call()
    bar.phase("identity (us-west-2)")
    assert bar.line() == f"[{'#'}{'.' * 19}] 1/12 phases  2 calls  identity (us-west-2)"
    bar.close()
    assert stream.getvalue().endswith("\r" + " " * len(bar.line()) + "\r")
    silent = io.StringIO()
    hidden = ProgressBar(silent, shown=False)
    hidden.start(6)
    hidden.call()
    hidden.close()
    assert silent.getvalue() == "" and hidden.calls == 1
