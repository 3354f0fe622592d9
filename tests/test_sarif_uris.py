"""SARIF artifact URIs: percent-encoded per RFC 3986, relative to their scanned root's base id."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from anyscale_lint.api import LintOptions, lint
from anyscale_lint.formatters import sarif
from tests.test_sarif import security_group, uri_validator

# Each name is legal on POSIX and means something else in a URI when left raw.
AWKWARD_NAMES = ["pct%41", "a#b", "q?x", "sp ace", "new\nline", "colon:x", "ü-ñ"]


def sarif_log(*paths: Path) -> dict[str, Any]:
    """Scan `paths` and return the SARIF log, validated with URI formats checked."""
    report = lint([str(p) for p in paths], LintOptions(scope="all"))
    log: dict[str, Any] = json.loads(sarif.render(report))
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in uri_validator().iter_errors(log)
    ]
    assert errors == []
    return log


def artifacts(log: dict[str, Any]) -> list[dict[str, Any]]:
    """The artifact locations of every result of the only run."""
    return [
        location["physicalLocation"]["artifactLocation"]
        for result in log["runs"][0]["results"]
        for location in result.get("locations", [])
        if "physicalLocation" in location
    ]


def resolved(log: dict[str, Any], artifact: dict[str, Any]) -> Path:
    """The file an artifact location names, resolved as a SARIF consumer does."""
    bases = log["runs"][0]["originalUriBaseIds"]
    base = bases[artifact["uriBaseId"]]["uri"] if "uriBaseId" in artifact else ""
    parts = urlsplit(urljoin(base, artifact["uri"]))
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("file", "", "", "")
    return Path(unquote(parts.path))


def write_project(directory: Path) -> Path:
    """A security group with an open SSH port (one AWS-SG-005 failure) in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "main.tf").write_text(security_group(), encoding="utf-8")
    return directory / "main.tf"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_awkward_directory_below_the_root_is_encoded(tmp_path: Path, name: str) -> None:
    main = write_project(tmp_path / "proj" / name)
    log = sarif_log(tmp_path / "proj")
    found = artifacts(log)
    assert found
    for artifact in found:
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith(("/", "file:"))
        assert resolved(log, artifact) == main.resolve()


@pytest.mark.parametrize("name", AWKWARD_NAMES)
def test_awkward_scanned_root_is_encoded_in_its_base_uri(tmp_path: Path, name: str) -> None:
    main = write_project(tmp_path / name)
    log = sarif_log(tmp_path / name)
    [base] = log["runs"][0]["originalUriBaseIds"].values()
    assert base["uri"].startswith("file:///") and base["uri"].endswith("/")
    assert Path(unquote(urlsplit(base["uri"]).path)) == (tmp_path / name).resolve()
    for artifact in artifacts(log):
        assert artifact["uri"] == "main.tf"
        assert resolved(log, artifact) == main.resolve()


def test_a_literal_percent_is_encoded_as_percent_25(tmp_path: Path) -> None:
    write_project(tmp_path / "proj" / "pct%41")
    log = sarif_log(tmp_path / "proj")
    assert {a["uri"] for a in artifacts(log)} == {"pct%2541/main.tf"}


def test_each_root_outside_git_has_its_own_base_id(tmp_path: Path) -> None:
    first = write_project(tmp_path / "one")
    second = write_project(tmp_path / "two words")
    log = sarif_log(tmp_path / "one", tmp_path / "two words")
    bases = log["runs"][0]["originalUriBaseIds"]
    assert len(bases) == 2
    for base in bases.values():
        assert base["uri"].startswith("file:///") and base["uri"].endswith("/")
    found = artifacts(log)
    assert len({a["uriBaseId"] for a in found}) == 2
    for artifact in found:
        assert artifact["uri"] == "main.tf"
    assert {resolved(log, a) for a in found} == {first.resolve(), second.resolve()}


def test_inside_git_uris_are_relative_to_the_repository(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
    first = write_project(repo / "infra" / "a#b")
    second = write_project(repo / "other")
    log = sarif_log(repo / "infra", repo / "other")
    assert log["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}
    found = artifacts(log)
    assert {a["uriBaseId"] for a in found} == {"%SRCROOT%"}
    assert {a["uri"] for a in found} == {"infra/a%23b/main.tf", "other/main.tf"}
    assert {resolved(log, a) for a in found} == {first.resolve(), second.resolve()}


def test_a_file_outside_every_root_gets_an_absolute_encoded_uri(tmp_path: Path) -> None:
    main = write_project(tmp_path / "proj")
    report = lint([str(tmp_path / "proj")], LintOptions(scope="all"))
    # Point the report at another root: the finding's file is then outside every root.
    write_project(tmp_path / "else where")
    report.inputs = [str(tmp_path / "else where")]
    log = json.loads(sarif.render(report))
    assert list(uri_validator().iter_errors(log)) == []
    found = [a for a in artifacts(log) if "uriBaseId" not in a]
    assert found
    for artifact in found:
        assert artifact["uri"].startswith("file:///")
        assert resolved(log, artifact) == main.resolve()


def test_git_root_is_srcroot_and_a_root_outside_git_is_numbered(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
    inside = write_project(repo / "infra")
    outside = write_project(tmp_path / "loose")
    log = sarif_log(tmp_path / "loose", repo / "infra")
    assert log["runs"][0]["originalUriBaseIds"] == {
        "%SRCROOT%": {"uri": repo.as_uri() + "/"},
        "ROOT1": {"uri": (tmp_path / "loose").as_uri() + "/"},
    }
    assert {(a["uriBaseId"], a["uri"]) for a in artifacts(log)} == {
        ("%SRCROOT%", "infra/main.tf"),
        ("ROOT1", "main.tf"),
    }
    assert {resolved(log, a) for a in artifacts(log)} == {inside.resolve(), outside.resolve()}
