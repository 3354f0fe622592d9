"""The composite GitHub Action: action.yml against GitHub's schema, and its step run locally."""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from anyscale_lint.github_action import scan_command
from tests.conftest import REPO
from tests.test_sarif import sarif_validator

ACTION = REPO / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")
ISSUE_INPUTS = {
    "path",
    "config",
    "fail-on",
    "format",
    "sarif-file",
    "category",
    "baseline",
    "var-files",
    "version",
    "job-summary",
    "annotations",
}


def action() -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def test_action_validates_against_the_github_action_schema() -> None:
    checker = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_inputs_reach_the_scripts_through_env_only() -> None:
    spec = action()
    inputs = spec["inputs"]
    assert isinstance(inputs, dict) and set(inputs) >= ISSUE_INPUTS
    assert inputs["job-summary"]["default"] == "true" and inputs["annotations"]["default"] == "true"
    outputs = spec["outputs"]
    assert isinstance(outputs, dict) and set(outputs) == {"sarif-file", "findings", "exit-code"}
    runs = spec["runs"]
    assert isinstance(runs, dict) and runs["using"] == "composite"
    referenced = set()
    for step in runs["steps"]:
        assert "${{" not in step["run"], f"expression inside run: of {step['name']}"
        referenced |= {
            value.split("inputs.", 1)[1].rstrip(" }")
            for value in step.get("env", {}).values()
            if "inputs." in value
        }
    assert referenced == set(inputs)


def run_step(tmp_path: Path, **inputs: str) -> tuple[int, str, Path, Path]:
    """Run the action's scan step with a fake GITHUB_STEP_SUMMARY and GITHUB_OUTPUT."""
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    summary.write_text("earlier step\n", encoding="utf-8")
    env = {
        **os.environ,
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        **{f"INPUT_{name.upper().replace('-', '_')}": value for name, value in inputs.items()},
    }
    result = subprocess.run(
        [sys.executable, "-m", "anyscale_lint.github_action"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout, summary, outputs


def test_local_run_writes_outputs_summary_sarif_and_annotations(tmp_path: Path) -> None:
    code, stdout, summary, outputs = run_step(
        tmp_path,
        path=str(REPO / "examples" / "aws-insecure"),
        category="insecure",
        **{"sarif-file": "out/results.sarif", "format": ""},
    )
    assert code == 1
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    assert written["exit-code"] == "1" and written["sarif-file"] == "out/results.sarif"
    # 64: prod's two offending CIDR rules are two AWS-SG-004 findings (one per rule).
    assert int(written["findings"]) == 64
    text = summary.read_text()
    assert text.startswith("earlier step\n# Anyscale readiness: ❌ NOT READY")
    assert "```mermaid" in text
    annotations = [line for line in stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 64
    assert annotations[0].startswith("::error file=examples/aws-insecure/")


def test_sarif_file_and_category(tmp_path: Path) -> None:
    code, _, _, _ = run_step(
        tmp_path, path=str(REPO / "examples" / "aws-ready"), category="ready", format=""
    )
    assert code == 0
    log = json.loads((tmp_path / "anyscale-lint.sarif").read_text())
    sarif_validator().validate(log)
    assert log["runs"][0]["automationDetails"]["id"] == "ready/"


def test_summary_and_annotations_can_be_turned_off(tmp_path: Path) -> None:
    code, stdout, summary, outputs = run_step(
        tmp_path,
        path=str(REPO / "examples" / "aws-insecure" / "legacy"),
        format="",
        annotations="false",
        **{"job-summary": "false"},
    )
    assert code == 1
    assert not any(line.startswith("::") for line in stdout.splitlines())
    assert summary.read_text() == "earlier step\n"
    assert "exit-code=1" in outputs.read_text()


def test_inputs_become_scan_options(tmp_path: Path) -> None:
    env = {
        "INPUT_PATH": "infra/prod, infra/staging",
        "INPUT_CONFIG": "lint.yaml",
        "INPUT_FAIL_ON": "high",
        "INPUT_FORMAT": "text junit:junit.xml",
        "INPUT_SARIF_FILE": "r.sarif",
        "INPUT_CATEGORY": "prod",
        "INPUT_BASELINE": "baseline.json",
        "INPUT_VAR_FILES": "prod.tfvars\nshared.tfvars",
        "INPUT_ANNOTATIONS": "true",
    }
    command = scan_command(env, tmp_path / "r.json", None)
    assert command[1:4] == ["-m", "anyscale_lint", "scan"]
    arguments = command[4:]
    assert arguments[:2] == ["infra/prod", "infra/staging"]
    pairs = list(itertools.pairwise(arguments))
    for pair in [
        ("-f", "text"),
        ("-f", "junit:junit.xml"),
        ("-f", "github"),
        ("-f", "sarif:r.sarif"),
        ("--config", "lint.yaml"),
        ("--fail-on", "high"),
        ("--category", "prod"),
        ("--baseline", "baseline.json"),
        ("--var-file", "prod.tfvars"),
        ("--var-file", "shared.tfvars"),
    ]:
        assert pair in pairs, pair
    assert not any(a.startswith("readiness:") for a in arguments)


def _step_env(step: dict[str, object], values: dict[str, str]) -> dict[str, str]:
    """The step's `env:` with each `${{ ... }}` expression replaced as GitHub would."""
    env = dict(os.environ)
    for name, expression in dict(step.get("env") or {}).items():  # type: ignore[call-overload]
        env[str(name)] = EXPRESSION.sub(lambda m: values.get(m.group(1), ""), str(expression))
    return env


@pytest.mark.slow
def test_both_steps_run_as_written_in_action_yml(tmp_path: Path) -> None:
    steps = action()["runs"]["steps"]  # type: ignore[index]
    venv = tmp_path / "runner-temp" / "anyscale-lint-venv"
    values = {
        "github.action_path": str(REPO),
        "runner.temp": str(tmp_path / "runner-temp"),
        "inputs.version": "",
        "inputs.python": sys.executable,
        "inputs.path": str(REPO / "examples" / "aws-ready"),
        "inputs.format": "text",
        "inputs.sarif-file": "anyscale-lint.sarif",
        "inputs.job-summary": "true",
        "inputs.annotations": "true",
        "inputs.category": "ready",
    }
    install = subprocess.run(
        ["bash", "-c", steps[0]["run"]],
        env=_step_env(steps[0], values),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        reason = f"cannot install the action's checkout: {install.stderr[-400:]}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    assert (venv / "bin" / "python").is_file()
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = _step_env(steps[1], values)
    env.update(GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs))
    scan = subprocess.run(
        ["bash", "-c", steps[1]["run"]], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "Readiness" not in scan.stdout and "OK:" in scan.stdout
    assert "exit-code=0" in outputs.read_text() and "findings=0" in outputs.read_text()
    assert summary.read_text().startswith("# Anyscale readiness: ✅ READY")
    assert json.loads((tmp_path / "anyscale-lint.sarif").read_text())["runs"][0][
        "automationDetails"
    ] == {"id": "ready/"}
