"""Start-up: each command imports what it uses, and every option is still in its --help."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from anyscale_lint.providers.aws import RESOURCE_INPUTS
from tests.conftest import run_cli

# Runs the CLI in this interpreter, then lists the modules it imported.
PROBE = """
import sys
from anyscale_lint.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("IMPORTED", " ".join(sorted(sys.modules)), file=sys.stderr)
"""


def _imported(*args: str, cwd: Path | None = None) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("IMPORTED "))
    return set(line.split()[1:])


def test_version_imports_neither_the_model_nor_the_providers() -> None:
    imported = _imported("--version")
    assert not {m for m in imported if m.startswith(("anyscale_lint.", "yaml", "lark"))} - {
        "anyscale_lint.cli",
        "anyscale_lint.cli_options",
        "anyscale_lint.cli_live",
        "anyscale_lint.cli_catalog",
    }


def test_a_scan_imports_neither_the_live_audit_nor_unused_formats(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" { bucket = "x" }\n')
    imported = _imported("scan", "main.tf", cwd=tmp_path)
    assert "anyscale_lint.formatters.text" in imported  # the probe saw the scan
    unused = (
        "anyscale_lint.live",
        "anyscale_lint.sources.aws_live",
        "anyscale_lint.sources.gcp_live",
        "anyscale_lint.sources.live.",
        "google.",
        "anyscale_lint.readiness",
        "anyscale_lint.formatters.sarif",
        "anyscale_lint.formatters.junit",
        "xml.etree",
        "multiprocessing",  # the pool of workers, for large trees only
        "concurrent.futures",
    )
    assert not {m for m in imported if m.startswith(unused)}


@pytest.mark.parametrize("command", ["live", "ready"])
def test_every_register_flag_is_in_the_help(command: str) -> None:
    shown = run_cli(command, "--help").stdout
    for spec in RESOURCE_INPUTS:
        for flag in spec.flags:
            assert f"--{flag}" in shown, (command, flag)
    assert "--private-network" in shown and "--name TEXT" in shown


def test_register_flags_keep_their_place_and_parse() -> None:
    shown = run_cli("live", "--help").stdout
    first = re.search(rf"^  --{RESOURCE_INPUTS[0].flags[0]}[ ,]", shown, re.MULTILINE)
    assert first is not None
    assert shown.index("--name TEXT") < first.start() < shown.index("  --private-network")
    done = run_cli("live", "--provider", "gcp", f"--{RESOURCE_INPUTS[0].flags[-1]}", "x")
    assert done.returncode == 2
    assert f"--{RESOURCE_INPUTS[0].flags[-1]} is an option of live --provider aws" in done.stderr
