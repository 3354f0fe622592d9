"""The on-disk cache: nothing read from it runs code or changes a judgement; bad entries rebuild."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
import shlex
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from anyscale_lint.cache import SEAL_BYTES
from anyscale_lint.paths import rules_dir, schemas_dir
from tests.conftest import REPO, run_cli

TARGET = "examples/aws-insecure"


def _scan(cache: Path | None) -> tuple[int, str, str]:
    env = {"ANYSCALE_LINT_CACHE_DIR": str(cache)} if cache else {"ANYSCALE_LINT_NO_CACHE": "1"}
    result = run_cli("scan", TARGET, "-f", "json", env=env)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def reference() -> tuple[int, str, str]:
    """The scan without any cache: what every cached run must print."""
    code, stdout, stderr = _scan(None)
    assert code == 1 and '"severity": "critical"' in stdout, stderr
    return code, stdout, stderr


@pytest.fixture(scope="module")
def populated(tmp_path_factory: pytest.TempPathFactory, reference: tuple[int, str, str]) -> Path:
    """A cache directory filled by one scan (tests copy it, then damage the copy)."""
    cache = tmp_path_factory.mktemp("populated") / "cache"
    assert _scan(cache) == reference
    return cache


def _copy(populated: Path, tmp_path: Path) -> Path:
    cache = tmp_path / "cache"
    shutil.copytree(populated, cache, symlinks=True)
    return cache


class _Payload:
    """Unpickling this writes the marker file (what a crafted cache entry could do)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return os.system, (f"echo pwned > {shlex.quote(str(self.marker))}",)


def _old_grammar_digest() -> str:
    import hcl2

    grammar = (Path(hcl2.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
    return hashlib.sha256(f"{grammar}{sys.version_info[:2]}".encode()).hexdigest()[:16]


def _old_rules_cache_name() -> str:
    paths = sorted(rules_dir().glob("*.yaml"))
    digest = hashlib.sha256(
        (schemas_dir() / "rule.schema.json").read_bytes()
        + b"".join(path.name.encode() + path.read_bytes() for path in paths)
    ).hexdigest()[:20]
    return f"rules-{digest}.json"


def _old_paths(cache: Path) -> list[Path]:
    """Every file the pickle-based cache read: the grammar, the rules and each file's tree."""
    grammar = _old_grammar_digest()
    version = f"py{sys.version_info[0]}{sys.version_info[1]}"
    paths = [cache / f"hcl2-grammar-{grammar}-{version}.bin", cache / _old_rules_cache_name()]
    for tf in sorted((REPO / TARGET).rglob("*.tf")):
        text = tf.read_text(encoding="utf-8")
        key = hashlib.sha256(f"{grammar}\0{text}".encode()).hexdigest()
        paths.append(cache / "trees" / key[:2] / f"{key}.pickle")
    return paths


def _entries(cache: Path) -> Iterator[Path]:
    return (path for path in sorted(cache.rglob("*")) if path.is_file())


@pytest.mark.parametrize("rules_too", [False, True], ids=["grammar-and-trees", "everywhere"])
def test_crafted_pickles_never_run(
    tmp_path: Path, reference: tuple[int, str, str], populated: Path, rules_too: bool
) -> None:
    cache = _copy(populated, tmp_path)  # every current entry is replaced below
    marker = tmp_path / "marker"
    payload = pickle.dumps(_Payload(marker))
    targets = set(_old_paths(cache)) | set(_entries(cache))
    for path in targets:
        if path.suffix == ".json" and not rules_too:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        # Lark's grammar cache starts with a hash line and then unpickles; cover both layouts.
        path.write_bytes(b"0\n" + payload if path.suffix == ".bin" else payload)
    outcome = _scan(cache)
    assert not marker.exists()
    assert outcome == reference


def test_edited_rules_cache_changes_no_finding(
    tmp_path: Path, reference: tuple[int, str, str], populated: Path
) -> None:
    cache = _copy(populated, tmp_path)
    documents = []
    for path in sorted(rules_dir().glob("*.yaml")):
        import yaml

        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["severity"] = "info"
        documents.append(document)
    forged = json.dumps(documents)
    for path in [cache / _old_rules_cache_name(), *_entries(cache)]:
        if path.suffix in (".json", ".sealed"):
            path.write_text(forged, encoding="utf-8")
    code, stdout, _ = _scan(cache)
    assert '"severity": "critical"' in stdout
    assert (code, stdout) == reference[:2]


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff garbage \xfe")


def _not_utf8(path: Path) -> None:
    path.write_bytes(b'{"format": "\xff\xfe"}')


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: max(1, path.stat().st_size // 2)])


def _foreign_json(path: Path) -> None:
    path.write_text(json.dumps({"format": 999, "tool": "0.0.0", "data": [1, 2]}), encoding="utf-8")


def _wrong_shape(path: Path) -> None:
    path.write_text(json.dumps([[["x"]] * 3, {"a": None}]), encoding="utf-8")


def _deep_json(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")


def _huge(path: Path) -> None:
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: costs no disk


def _directory(path: Path) -> None:
    path.unlink()
    (path / "inner").mkdir(parents=True)


def _symlink(path: Path) -> None:
    path.unlink()
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


CORRUPTIONS = [
    _garbage,
    _not_utf8,
    _truncated,
    _foreign_json,
    _wrong_shape,
    _deep_json,
    _huge,
    _directory,
    _symlink,
    _fifo,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_corrupt_entries_are_ignored_and_rebuilt(
    tmp_path: Path, reference: tuple[int, str, str], populated: Path, corrupt: Any
) -> None:
    cache = _copy(populated, tmp_path)
    entries = list(_entries(cache))
    assert entries
    for path in entries:
        corrupt(path)
    assert _scan(cache) == reference  # no error, no warning, no hang (run_cli has a timeout)
    for path in entries:
        if path.is_file() and not path.is_symlink():
            assert path.stat().st_size < 50 * 1024 * 1024
            # Rewritten as a valid entry: the seal, then JSON.
            json.loads(path.read_bytes()[SEAL_BYTES:].decode("utf-8"))
    assert _scan(cache) == reference


def test_an_entry_sealed_by_another_key_is_not_used(
    tmp_path: Path, reference: tuple[int, str, str], populated: Path
) -> None:
    # A cache restored from elsewhere (a CI cache from an untrusted branch) holds well-formed
    # entries that this user's key did not seal: each is rebuilt, never used.
    cache = _copy(populated, tmp_path)
    before = {path.name: path.read_bytes() for path in _entries(cache)}
    state = tmp_path / "other-state"
    result = run_cli(
        "scan",
        TARGET,
        "-f",
        "json",
        env={"ANYSCALE_LINT_CACHE_DIR": str(cache), "ANYSCALE_LINT_STATE_DIR": str(state)},
    )
    assert (result.returncode, result.stdout, result.stderr) == reference
    after = {path.name: path.read_bytes() for path in _entries(cache)}
    assert before.keys() == after.keys()
    # Each entry was rebuilt and sealed again under the new key.
    for name, data in before.items():
        assert after[name][:SEAL_BYTES] != data[:SEAL_BYTES]
    assert (state / "cache-key").stat().st_mode & 0o777 == 0o600


def test_a_tampered_entry_is_not_used(
    tmp_path: Path, reference: tuple[int, str, str], populated: Path
) -> None:
    cache = _copy(populated, tmp_path)
    entry = next(path for path in _entries(cache) if path.name.startswith("rules-"))
    data = bytearray(entry.read_bytes())
    # A well-formed change of the payload (one of its digits), the seal left as it was.
    position = next(i for i in range(len(data) - 1, SEAL_BYTES, -1) if chr(data[i]).isdigit())
    data[position] = ord("1") if data[position] != ord("1") else ord("2")
    entry.write_bytes(bytes(data))
    assert _scan(cache) == reference
    assert entry.read_bytes() != bytes(data)  # rebuilt and sealed again


def test_cache_is_private(tmp_path: Path, reference: tuple[int, str, str]) -> None:
    cache = tmp_path / "cache"
    assert _scan(cache) == reference
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    entries = list(_entries(cache))
    assert entries
    for path in cache.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert not list(cache.rglob("*.tmp"))


def test_existing_cache_dir_is_made_private(
    tmp_path: Path, reference: tuple[int, str, str]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o755)
    cache.chmod(0o755)
    assert _scan(cache) == reference
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_unusable_cache_dir_is_bypassed(tmp_path: Path, reference: tuple[int, str, str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert _scan(blocker / "cache") == reference


def test_no_cache_writes_nothing(tmp_path: Path, reference: tuple[int, str, str]) -> None:
    cache = tmp_path / "cache"
    env = {"ANYSCALE_LINT_CACHE_DIR": str(cache), "ANYSCALE_LINT_NO_CACHE": "1"}
    result = run_cli("scan", TARGET, "-f", "json", env=env)
    assert (result.returncode, result.stdout, result.stderr) == reference
    assert not cache.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only directory")
def test_read_only_cache_dir_is_bypassed(tmp_path: Path, reference: tuple[int, str, str]) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o500)
    try:
        assert _scan(cache) == reference
    finally:
        cache.chmod(0o700)


def test_parsing_keeps_nothing_on_disk(populated: Path) -> None:
    """tree-sitter's grammar is compiled C and a parse costs less than loading one: the only
    entry a scan writes is the rules validation (benchmarks/cache.py has the figures)."""
    names = [path.name for path in _entries(populated)]
    assert names and all(name.startswith("rules-valid-") for name in names), names


def test_no_module_can_unpickle() -> None:
    unpicklers = re.compile(r"^\s*(?:import|from)\s+(?:pickle|marshal|shelve|dill)\b", re.MULTILINE)
    offenders = [
        path.relative_to(REPO)
        for path in sorted((REPO / "anyscale_lint").rglob("*.py"))
        if unpicklers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_no_cache_writes_and_reads_nothing(tmp_path: Path, reference: tuple[int, str, str]) -> None:
    cache = tmp_path / "cache"
    env = {"ANYSCALE_LINT_CACHE_DIR": str(cache)}
    result = run_cli("scan", "--no-cache", TARGET, "-f", "json", env=env)
    assert (result.returncode, result.stdout) == reference[:2]
    assert not cache.exists() or not any(cache.rglob("*"))
    assert "--no-cache" in run_cli("scan", "--help").stdout
