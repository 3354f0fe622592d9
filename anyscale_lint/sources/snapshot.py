"""The model as JSON (`live --save-snapshot`) and back (`scan snapshot.json`), losslessly.

A snapshot is recognised by its top-level marker `"anyscale_lint_snapshot": 1`. Model
objects are written as JSON objects with a `$type` naming their class; tuples become arrays
and are read back as tuples; the collection errors of the run travel with the model, so a
re-check offline gives the same findings (schemas/snapshot.schema.json).
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import anyscale_lint.model as model_package
from anyscale_lint.model import CloudModel, ParseError, Partial, RegisterCommand
from anyscale_lint.reading import UnreadableFile, read_start
from anyscale_lint.sources.files import read_text

MARKER = "anyscale_lint_snapshot"
VERSION = 1
_TYPES: dict[str, type[Any]] = {
    name: cls
    for name in model_package.__all__
    if isinstance(cls := getattr(model_package, name), type) and dataclasses.is_dataclass(cls)
}
_FLAGS = (
    "holds_network",
    "judge_all_resources",
    "ids_assigned_at_apply",
    "single_account",
    "one_deployment",
)


def encode(value: Any) -> Any:
    """A model value as JSON-ready data."""
    if isinstance(value, Partial):
        return {"$type": "Partial", "parts": encode(list(value.parts)), "spelled": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$type": type(value).__name__, **fields}
    if isinstance(value, (list, tuple)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


def decode(value: Any) -> Any:
    """Model values from snapshot data (arrays become tuples, `$type` objects their class)."""
    if isinstance(value, list):
        return tuple(decode(item) for item in value)
    if isinstance(value, dict):
        if value.get("$type") == "Partial":
            return Partial(decode(value.get("parts", [])), str(value.get("spelled", "")))
        if "$type" in value:
            cls = _TYPES.get(str(value["$type"]))
            if cls is None:
                raise ValueError(f"unknown $type {value['$type']!r}")
            names = {f.name for f in dataclasses.fields(cls) if f.init}
            return cls(**{k: decode(v) for k, v in value.items() if k in names})
        return {key: decode(item) for key, item in value.items()}
    return value


def dump_snapshot(model: CloudModel, errors: list[ParseError]) -> dict[str, Any]:
    """A model and its collection errors as a snapshot document."""
    return {
        MARKER: VERSION,
        "root": model.root,
        "source_kind": model.source_kind,
        **{flag: getattr(model, flag) for flag in _FLAGS},
        "region": encode(model.region),
        "resources": [encode(model.resources[key]) for key in sorted(model.resources)],
        "unplaced_routes": encode(model.unplaced_routes),
        "register_commands": encode(model.register_commands),
        "uncounted": dict(model.uncounted),
        "unknown_reasons": dict(model.unknown_reasons),
        "notes": list(model.notes),
        "errors": encode(errors),
    }


def write_snapshots(path: Path, snapshots: list[dict[str, Any]]) -> None:
    """One snapshot, or several (one per account and region) in a list under `snapshots`."""
    document = snapshots[0] if len(snapshots) == 1 else {MARKER: VERSION, "snapshots": snapshots}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def is_snapshot(path: Path) -> bool:
    """Whether a JSON file starts like a snapshot (cheap: reads the first bytes only)."""
    try:
        head = read_start(path, 256)
    except UnreadableFile:
        return False  # the policy reader reports why it cannot be read
    return f'"{MARKER}"'.encode() in head


def _load_one(data: dict[str, Any], shown: str) -> tuple[CloudModel, list[ParseError]]:
    model = CloudModel(
        root=str(data["root"]),
        source_kind=str(data["source_kind"]),
        # Snapshots hold live state (`live --save-snapshot`): the catalog's `live` rules apply.
        rule_source="live",
        holds_network=bool(data.get("holds_network", True)),
        judge_all_resources=bool(data.get("judge_all_resources", False)),
        ids_assigned_at_apply=bool(data.get("ids_assigned_at_apply", False)),
        single_account=bool(data.get("single_account", False)),
        one_deployment=bool(data.get("one_deployment", False)),
        region=decode(data.get("region")),
    )
    for item in data.get("resources", []):
        model.add(decode(item))
    model.unplaced_routes = list(decode(data.get("unplaced_routes", [])))
    commands = decode(data.get("register_commands", []))
    model.register_commands = [c for c in commands if isinstance(c, RegisterCommand)]
    model.uncounted = dict(data.get("uncounted", {}))
    model.unknown_reasons = dict(data.get("unknown_reasons", {}))
    model.notes = [*data.get("notes", []), f"re-checked offline from the snapshot {shown}"]
    errors = [e for e in decode(data.get("errors", [])) if isinstance(e, ParseError)]
    return model, errors


def read_snapshot(path: Path, shown: str) -> list[tuple[CloudModel, list[ParseError]]] | ParseError:
    """The models (and their collection errors) a snapshot holds, or why it cannot be read."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        return ParseError(shown, error.lineno, f"not valid JSON: {error.msg}")
    import jsonschema

    from anyscale_lint.paths import schemas_dir

    schema_file = schemas_dir() / "snapshot.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    problem = next(iter(jsonschema.Draft202012Validator(schema).iter_errors(document)), None)
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "(top level)"
        return ParseError(shown, None, f"not a valid snapshot at {where}: {problem.message}")
    parts = document.get("snapshots", [document])
    try:
        return [_load_one(part, shown) for part in parts]
    except (TypeError, ValueError) as error:
        return ParseError(shown, None, f"not a valid snapshot: {error}")
