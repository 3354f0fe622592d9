"""Rules: metadata from rules/*.yaml joined one-to-one with checks registered by `@rule`."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anyscale_lint import __version__, cache
from anyscale_lint.paths import rules_dir, schemas_dir

if TYPE_CHECKING:
    from anyscale_lint.engine.context import CheckContext

CheckFunction = Callable[["CheckContext"], None]
# Rule ID prefixes of provider rules; any other prefix (CORE) judges every deployment.
_PROVIDERS = {"AWS": "aws", "GCP": "gcp"}
_CHECKS: dict[str, CheckFunction] = {}
# Rules the engine evaluates on its inputs rather than on a deployment (CORE-001, CORE-002).
ENGINE_PHASES: dict[str, str] = {}


class RuleLoadError(RuntimeError):
    """Rule metadata that is invalid or does not match the registered checks."""


@dataclass(frozen=True)
class RuleLevel:
    """One named level of a rule whose failures come at several levels."""

    severity: str
    anyscale_effect: str
    anyscale_blocks: bool


@dataclass(frozen=True)
class RuleMeta:
    """One rule's metadata (see schemas/rule.schema.json)."""

    id: str
    name: str
    severity: str
    title: str
    applies_to: tuple[str, ...]
    sources: tuple[str, ...]
    scope: str
    anyscale_effect: str
    tags: tuple[str, ...]
    remediation: str
    docs: dict[str, str]
    references: tuple[str, ...]
    parameters: dict[str, dict[str, Any]]
    # How Anyscale's register/verify treats a failure, for the readiness report.
    anyscale_blocks: bool = False
    anyscale_strict: bool = False
    anyscale_note: str = ""
    levels: dict[str, RuleLevel] = field(default_factory=dict)
    # Where the readiness report shows the results: section, and register inputs they decide.
    readiness_section: str = ""
    readiness_inputs: tuple[str, ...] = ()
    # Whether the condition makes sense outside Anyscale: under `--scope all` the rule judges
    # every resource of its kind, in every root (rules/*.yaml `hygiene`).
    hygiene: bool = False

    @property
    def provider(self) -> str | None:
        """The provider whose deployments the rule judges (`aws`, `gcp`), from its ID's
        prefix; None for a rule of any deployment (`CORE-`)."""
        return _PROVIDERS.get(self.id.split("-", 1)[0])

    def parameter_defaults(self) -> dict[str, Any]:
        """Each declared parameter's default value."""
        return {name: spec["default"] for name, spec in self.parameters.items()}


def rule(rule_id: str, *, phase: str | None = None) -> Callable[[CheckFunction], CheckFunction]:
    """Register the check for `rule_id` (its metadata lives in rules/<rule_id>.yaml)."""

    def register(check: CheckFunction) -> CheckFunction:
        if rule_id in _CHECKS:
            raise RuleLoadError(f"two checks registered for {rule_id}")
        _CHECKS[rule_id] = check
        if phase:
            ENGINE_PHASES[rule_id] = phase
        return check

    return register


def _validate(documents: list[tuple[Path, Any]]) -> None:
    import jsonschema  # only when the rule files changed since they were last validated

    schema = json.loads((schemas_dir() / "rule.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for path, document in documents:
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            error = errors[0]
            where = "/".join(str(p) for p in error.path) or "(top level)"
            raise RuleLoadError(f"{path.name}: {where}: {error.message}")
        if document["id"] != path.stem:
            raise RuleLoadError(f"{path.name}: id {document['id']} does not match the file name")


def _validated_entry(digest: str) -> str:
    return f"rules-valid-{digest}.json"


def _is_validated(digest: str) -> bool:
    """Whether these exact bytes of the rules and schema were validated before."""
    entry = cache.read_entry(_validated_entry(digest))
    try:
        return entry is not None and json.loads(entry) == {"validated": digest}
    except (ValueError, RecursionError):
        return False


@functools.lru_cache(maxsize=1)
def load_metadata() -> dict[str, RuleMeta]:
    """Every rule's metadata, validated against the schema (validation skipped for known bytes)."""
    import yaml

    paths = sorted(rules_dir().glob("*.yaml"))
    schema_bytes = (schemas_dir() / "rule.schema.json").read_bytes()
    contents = [path.read_bytes() for path in paths]
    # The cache holds only a verdict on exactly these bytes (and this version of the tool); the
    # metadata always comes from the rule files themselves, so a cache entry cannot change it.
    hasher = hashlib.sha256(f"{__version__}\0".encode())
    for part in (
        schema_bytes,
        *(p.name.encode() + b"\0" + c for p, c in zip(paths, contents, strict=True)),
    ):
        hasher.update(len(part).to_bytes(8, "big") + part)
    digest = hasher.hexdigest()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    parsed = [
        (path, yaml.load(content, Loader=loader))
        for path, content in zip(paths, contents, strict=False)
    ]
    if not _is_validated(digest):
        _validate(parsed)
        cache.write_entry(_validated_entry(digest), json.dumps({"validated": digest}).encode())
    documents = [document for _, document in parsed]
    metadata = {}
    for document in documents:
        metadata[document["id"]] = RuleMeta(
            id=document["id"],
            name=document["name"],
            severity=document["severity"],
            title=document["title"],
            applies_to=tuple(document["applies_to"]),
            sources=tuple(document["sources"]),
            scope=document["scope"],
            anyscale_effect=document["anyscale_effect"],
            tags=tuple(document["tags"]),
            remediation=document["remediation"],
            docs=dict(document["docs"]),
            references=tuple(document["references"]),
            parameters=dict(document.get("parameters") or {}),
            anyscale_blocks=document.get(
                "anyscale_blocks", document["anyscale_effect"] in ("fatal", "error")
            ),
            anyscale_strict=document.get("anyscale_strict", document["anyscale_effect"] != "none"),
            anyscale_note=document.get("anyscale_note", ""),
            levels={
                name: RuleLevel(
                    level["severity"],
                    level["anyscale_effect"],
                    level.get("anyscale_blocks", level["anyscale_effect"] in ("fatal", "error")),
                )
                for name, level in (document.get("levels") or {}).items()
            },
            readiness_section=document["readiness"]["section"],
            readiness_inputs=tuple(document["readiness"]["inputs"]),
            hygiene=document["hygiene"],
        )
    return metadata


def registered_rules() -> list[tuple[RuleMeta, CheckFunction]]:
    """Metadata and check of every rule, sorted by ID; fails when the two sets differ."""
    import anyscale_lint.checks  # noqa: F401  - registers every check

    metadata = load_metadata()
    missing_check = sorted(set(metadata) - set(_CHECKS))
    missing_yaml = sorted(set(_CHECKS) - set(metadata))
    if missing_check:
        raise RuleLoadError(f"rules without a check: {', '.join(missing_check)}")
    if missing_yaml:
        raise RuleLoadError(f"checks without rules/<ID>.yaml: {', '.join(missing_yaml)}")
    return [(metadata[rule_id], _CHECKS[rule_id]) for rule_id in sorted(metadata)]


def replace_check(rule_id: str, check: CheckFunction) -> CheckFunction:
    """Swap a rule's check (for the mutation test); returns the previous one."""
    previous = _CHECKS[rule_id]
    _CHECKS[rule_id] = check
    return previous
