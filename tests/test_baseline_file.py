"""The baseline file format: loading valid files, and clear errors for bad ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anyscale_lint.engine.baseline import BaselineError, load_baseline


def write_json(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


ENTRY = {
    "fingerprint": "0" * 32,
    "rule": "AWS-SG-005",
    "deployment": "infra",
    "resource": "aws_security_group.anyscale",
    "message": "SSH is open.",
}


def valid_document() -> dict[str, object]:
    return {"version": 1, "tool": "anyscale-lint", "generated": "2025-06-30", "findings": [ENTRY]}


def test_valid_document_loads(tmp_path: Path) -> None:
    baseline = load_baseline(write_json(tmp_path / "ok.json", valid_document()))
    assert [e.rule for e in baseline.entries] == ["AWS-SG-005"]


def test_missing_baseline_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"nowhere\.json: baseline file not found"):
        load_baseline(tmp_path / "nowhere.json")


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "version": 1,\n  "findings": [,]\n}\n', encoding="utf-8")
    with pytest.raises(BaselineError, match=r"broken\.json:3:16: invalid JSON"):
        load_baseline(path)


def test_other_version_is_refused(tmp_path: Path) -> None:
    path = write_json(tmp_path / "v2.json", dict(valid_document(), version=2))
    with pytest.raises(BaselineError, match=r"v2\.json: unsupported baseline version 2"):
        load_baseline(path)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"tool": "checkov"}, "key tool"),
        ({"findings": {}}, "key findings"),
        ({"generated": "yesterday"}, "key generated"),
        ({"findings": [{"rule": "AWS-SG-005"}]}, "key findings.0"),
        ({"findings": [dict(ENTRY, fingerprint="xyz")]}, "key findings.0.fingerprint"),
    ],
)
def test_schema_violation_names_the_key(
    tmp_path: Path, change: dict[str, object], key: str
) -> None:
    path = write_json(tmp_path / "bad.json", dict(valid_document(), **change))
    with pytest.raises(BaselineError) as raised:
        load_baseline(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {key}:"), message


def test_not_an_object_is_a_schema_error(tmp_path: Path) -> None:
    path = write_json(tmp_path / "list.json", [1, 2])
    with pytest.raises(BaselineError, match=r"list\.json: key \(top level\)"):
        load_baseline(path)
