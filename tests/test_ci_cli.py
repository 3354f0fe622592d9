"""CI options of `scan` through the console script: baseline, SARIF category, github, junit."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import REPO, run_cli
from tests.test_sarif import sarif_validator

LEGACY = REPO / "examples" / "aws-insecure" / "legacy"


def copy_legacy(tmp_path: Path) -> Path:
    root = tmp_path / "legacy"
    shutil.copytree(LEGACY, root)
    return root


def test_baseline_round_trip_survives_moved_and_reformatted_code(tmp_path: Path) -> None:
    root = copy_legacy(tmp_path)
    baseline = tmp_path / "baseline.json"
    written = run_cli("scan", "legacy", "--write-baseline", str(baseline), cwd=tmp_path)
    assert written.returncode == 0, written.stdout
    recorded = json.loads(baseline.read_text())["findings"]
    assert len(recorded) >= 15
    # Move the security group to another file, lower down and reindented.
    group = (root / "security_group.tf").read_text()
    (root / "security_group.tf").unlink()
    moved = "\n".join("  " + line if line.startswith("  ") else line for line in group.split("\n"))
    (root / "zz_moved.tf").write_text("# moved here\n\n\n" + moved)
    again = run_cli("scan", "legacy", "--baseline", str(baseline), "-f", "json", cwd=tmp_path)
    assert again.returncode == 0, again.stdout
    report = json.loads(again.stdout)
    findings = [r for r in report["results"] if r["outcome"] in ("fail", "unknown")]
    assert findings and all(r["baselined"] for r in findings)
    assert report["summary"]["baselined"] == len(recorded)
    moved_group = [r for r in findings if r["resource"] == "aws_security_group.legacy"]
    assert moved_group and all(r["location"]["path"].endswith("zz_moved.tf") for r in moved_group)


def test_new_finding_fails_and_update_drops_fixed_entries(tmp_path: Path) -> None:
    root = copy_legacy(tmp_path)
    baseline = tmp_path / "baseline.json"
    run_cli("scan", "legacy", "--write-baseline", str(baseline), cwd=tmp_path)
    before = len(json.loads(baseline.read_text())["findings"])
    group = root / "security_group.tf"
    group.write_text(group.read_text().replace('"0.0.0.0/0"', '"10.0.0.0/8"'))
    result = run_cli("scan", "legacy", "--baseline", str(baseline), cwd=tmp_path)
    assert result.returncode == 1
    assert "no longer match (fixed findings)" in result.stdout
    updated = run_cli(
        "scan", "legacy", "--baseline", str(baseline), "--update-baseline", cwd=tmp_path
    )
    assert updated.returncode == 1  # the new finding still fails: update adds nothing
    after = json.loads(baseline.read_text())["findings"]
    assert 0 < len(after) < before
    rules = {entry["rule"] for entry in after}
    assert not rules & {"AWS-SG-005", "AWS-SG-006"}  # fixed: no longer open to the internet
    assert "AWS-IAM-011" in rules  # still there: kept


def test_baseline_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run_cli("scan", "examples/aws-ready", "--baseline", str(tmp_path / "none.json"))
    assert missing.returncode == 2
    assert "none.json: baseline file not found" in missing.stderr
    alone = run_cli("scan", "examples/aws-ready", "--update-baseline")
    assert alone.returncode == 2
    assert "--update-baseline needs --baseline" in alone.stderr


def test_sarif_with_category_validates(tmp_path: Path) -> None:
    target = tmp_path / "results.sarif"
    result = run_cli("scan", "examples/aws-insecure", "--category", "x", "-f", f"sarif:{target}")
    assert result.returncode == 1
    log = json.loads(target.read_text())
    sarif_validator().validate(log)
    run = log["runs"][0]
    assert run["automationDetails"]["id"] == "x/"
    assert (
        len(run["results"])
        == sum(1 for r in run["results"] if r["ruleId"].startswith(("AWS-", "CORE-")))
        > 50
    )


def test_github_and_junit_formats_through_the_cli(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = run_cli("scan", "examples/aws-insecure", "-f", "github", "-f", f"junit:{junit}")
    assert result.returncode == 1
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert commands and all(
        line.startswith(("::error ", "::warning ", "::notice ")) for line in commands
    )
    assert any("file=examples/aws-insecure/legacy/security_group.tf" in c for c in commands)
    suites = ET.parse(junit).getroot()
    assert suites.tag == "testsuites"
    failures = int(suites.attrib["failures"])
    assert failures == sum(len(s.findall("testcase/failure")) for s in suites) > 50
