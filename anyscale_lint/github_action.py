"""The GitHub Action's step (`python -m anyscale_lint.github_action`), reading `INPUT_*` variables.

One scan writes every format the job needs: workflow-command annotations to the log, SARIF
for code scanning, the readiness report to `$GITHUB_STEP_SUMMARY`, and the JSON report that
the `findings` output is counted from. The step's exit code is the scan's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    return default if not value else value in ("true", "1", "yes")


def _list(value: str) -> list[str]:
    """Values separated by newlines or commas (how multi-value inputs are written)."""
    return [part.strip() for line in value.splitlines() for part in line.split(",") if part.strip()]


def scan_command(env: Mapping[str, str], report: Path, summary: Path | None) -> list[str]:
    """The `anyscale-lint scan` command line the inputs describe."""
    # The interpreter the action installed the tool into, whatever else is on PATH.
    command = [sys.executable, "-m", "anyscale_lint", "scan"]
    command += _list(env.get("INPUT_PATH", "")) or ["."]
    for spec in env.get("INPUT_FORMAT", "").split():
        command += ["-f", spec]
    if _flag(env, "INPUT_ANNOTATIONS", True):
        command += ["-f", "github"]
    command += ["-f", f"sarif:{env.get('INPUT_SARIF_FILE') or 'anyscale-lint.sarif'}"]
    command += ["-f", f"json:{report}"]
    if summary is not None:
        command += ["-f", f"readiness:{summary}"]
    options = {
        "INPUT_CONFIG": "--config",
        "INPUT_FAIL_ON": "--fail-on",
        "INPUT_CATEGORY": "--category",
        "INPUT_BASELINE": "--baseline",
    }
    for variable, option in options.items():
        if env.get(variable, "").strip():
            command += [option, env[variable].strip()]
    for var_file in _list(env.get("INPUT_VAR_FILES", "")):
        command += ["--var-file", var_file]
    return command


def _active_findings(report: Path) -> int:
    """Failures at every severity and unknowns, neither suppressed nor baselined."""
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    counted = ("critical", "high", "medium", "low", "info", "unknown")
    return sum(int(summary[key]) for key in counted)


def _append(path: str | None, text: str) -> None:
    if path:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(text)


def run(env: Mapping[str, str]) -> int:
    """Run the scan, write the job summary and the step outputs; return the scan's exit code."""
    with tempfile.TemporaryDirectory(prefix="anyscale-lint-action-") as scratch:
        report = Path(scratch) / "report.json"
        wants_summary = _flag(env, "INPUT_JOB_SUMMARY", True) and env.get("GITHUB_STEP_SUMMARY")
        summary = Path(scratch) / "readiness.md" if wants_summary else None
        command = scan_command(env, report, summary)
        print("anyscale-lint: " + " ".join(command[3:]), flush=True)
        code = subprocess.run(command, check=False).returncode
        findings = _active_findings(report) if report.is_file() else 0
        if summary is not None and summary.is_file():
            _append(env.get("GITHUB_STEP_SUMMARY"), summary.read_text(encoding="utf-8") + "\n")
    sarif = env.get("INPUT_SARIF_FILE") or "anyscale-lint.sarif"
    _append(
        env.get("GITHUB_OUTPUT"), f"sarif-file={sarif}\nfindings={findings}\nexit-code={code}\n"
    )
    return code


def main() -> None:
    """Entry point of the action's step."""
    sys.exit(run(os.environ))


if __name__ == "__main__":
    main()
