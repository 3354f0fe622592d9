"""The benchmark corpus generator: deterministic, its manifest complete, every root parseable."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

GENERATOR = REPO / "benchmarks" / "generate.py"
SEED = 7
MARKER = re.compile(r"# mistake: (\w+)")


def _generate(out: Path, count: int = 5, seed: int = SEED) -> dict[str, object]:
    completed = subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--count",
            str(count),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def _tree(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): p.read_text(encoding="utf-8")
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_corpus_and_another_seed_another(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a")
    second = _generate(tmp_path / "b")
    other = _generate(tmp_path / "c", seed=SEED + 1)
    assert first == second
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")
    assert other["seed"] == SEED + 1


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path: Path) -> None:
    small = _generate(tmp_path / "small", count=3)
    large = _generate(tmp_path / "large", count=5)
    assert small["roots"] == large["roots"][:3]  # type: ignore[index]
    for root in ("root-0000", "root-0001", "root-0002"):
        assert _tree(tmp_path / "small/roots" / root) == _tree(tmp_path / "large/roots" / root)


def test_manifest_lists_every_planted_mistake(tmp_path: Path) -> None:
    manifest = _generate(tmp_path, count=12)
    roots = manifest["roots"]
    assert isinstance(roots, list) and len(roots) == 12
    kinds = {root["kind"] for root in roots}
    assert {"clean", "mistakes"} <= kinds
    for root in roots:
        text = "\n".join(_tree(tmp_path / "roots" / root["root"]).values())
        marked = set(MARKER.findall(text))
        listed = {entry["mistake"] for entry in root["expected"]}
        assert marked == listed, root["root"]
        for entry in root["expected"]:
            kind, name = entry["resource"].split("[")[0].split(".")
            assert f'resource "{kind}" "{name}"' in text, entry
        if root["kind"] == "clean":
            assert not root["expected"] and not marked
        if root["kind"] == "decoy":
            assert "AWS-NET-001" in root["must_not_fail"]
            assert "AWS-IAM-005" not in root["must_not_fail"]  # Anyscale's documented gap
            assert "anyscale/" in text and "cloudfoundation-modules" in text


def test_every_generated_root_parses(tmp_path: Path) -> None:
    _generate(tmp_path)
    completed = run_cli("scan", "-f", "json", str(tmp_path / "roots"), cwd=tmp_path)
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    assert report["errors"] == []
    assert not [r for r in report["results"] if r["rule_id"] == "CORE-001"]
    scanned = {Path(r["location"]["path"]).parts[-2] for r in report["results"] if r["location"]}
    assert scanned == {f"root-{i:04d}" for i in range(5)}
