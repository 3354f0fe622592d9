"""Terraform plan and state JSON (`terraform show -json`) into the model.

A plan's `planned_values` and `resource_changes` give each resource's values, with what is
known only after apply marked in `after_unknown`; a state's `values` give them all. Both go
through the same builder as the HCL, so every rule reads them alike. When the HCL the plan
was made from is scanned with it, findings point at the HCL blocks, and the register command
is read from the HCL outputs when the plan knows its value only after apply.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.model import (
    CloudModel,
    OutputValue,
    ParseError,
    RegisterCommand,
    SourceSpan,
    Unknown,
)
from anyscale_lint.reading import UnreadableFile, read_start
from anyscale_lint.sources.files import read_text
from anyscale_lint.sources.register_command import (
    find_register_command,
    flag_spellings,
    parse_flags,
)
from anyscale_lint.sources.terraform.builder import Builder
from anyscale_lint.sources.terraform.items import Item
from anyscale_lint.sources.terraform.markers import marker, type_model, unknown
from anyscale_lint.sources.terraform.plan_item import AFTER_APPLY, PlanItem, Scope

# The format versions this reader was written for; a newer minor version is read the same way.
SUPPORTED_MAJOR = 1
# Keys only Terraform's JSON output has, in whatever order it was written (`jq -S` sorts).
_HEAD = re.compile(
    rb'"(?:terraform_version|planned_values|resource_changes|provider_config|root_module)"'
)


def is_terraform_json(path: Path) -> bool:
    """Whether a JSON file looks like `terraform show -json` output (plan or state)."""
    try:
        head = read_start(path, 65536)
    except UnreadableFile:
        return False  # the policy reader reports why it cannot be read
    return _HEAD.search(head) is not None


@dataclass
class _Document:
    path: str
    text: str
    data: dict[str, Any]

    @property
    def is_plan(self) -> bool:
        return "planned_values" in self.data or "resource_changes" in self.data

    def line_of(self, address: str) -> int:
        """The line where the resource's address is first written (1 when not found)."""
        found = self.text.find(f'"address": "{address}"')
        if found < 0:
            found = self.text.find(f'"address":"{address}"')
        return self.text.count("\n", 0, found) + 1 if found >= 0 else 1


def read_plan(
    path: Path, shown: str, hcl: CloudModel | None = None
) -> tuple[CloudModel, list[ParseError]] | ParseError:
    """The model of a plan or state JSON file, or why it cannot be read."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        data = jsontext.loads(text)
    except jsontext.JsonInputError as error:
        return ParseError(shown, error.line, f"invalid JSON: {error.message}", column=error.column)
    if not isinstance(data, dict):
        return ParseError(shown, 1, "a Terraform JSON document is an object")
    version = str(data.get("format_version", ""))
    major = version.split(".", 1)[0]
    if not major.isdigit() or int(major) != SUPPORTED_MAJOR:
        return ParseError(
            shown,
            1,
            f"format_version {version!r} is not supported (this version reads 1.x)",
        )
    document = _Document(shown, text, data)
    return _build(document, hcl)


def _build(document: _Document, hcl: CloudModel | None) -> tuple[CloudModel, list[ParseError]]:
    kind = "terraform_plan" if document.is_plan else "terraform_state"
    model = CloudModel(
        root=hcl.root if hcl is not None else document.path,
        source_kind=kind,
        ids_assigned_at_apply=True,
        single_account=True,
    )
    model.files = [document.path, *(hcl.files if hcl is not None else [])]
    settings: dict[str, Any] = {
        "problems": [],
        "provider_regions": _provider_settings(document.data, "region"),
        "provider_projects": _provider_settings(document.data, "project"),
    }
    items = list(_items(document, model, hcl))
    builder = Builder(items, model, settings)
    builder.build()
    if hcl is not None:
        _fill_from_code(model, hcl)
    model.region = _region(document.data)
    _outputs(document, model, hcl, builder.index)
    _sensitive(document.data, model)
    if hcl is not None:
        model.ignores = list(hcl.ignores)
        model.notes = [*hcl.notes]
    model.notes.append(f"values from {document.path} (Terraform {_version(document.data)})")
    type_model(model)
    problems: list[ParseError] = settings["problems"]
    return model, problems


def _fill_from_code(model: CloudModel, hcl: CloudModel) -> None:
    """Values the plan knows only after apply, taken from the HCL where it knows them (a
    policy that names an ARN is partly known in the code, and wholly unknown in the plan)."""
    for key, resource in model.resources.items():
        written = hcl.resources.get(key)
        if written is not None and type(written) is type(resource):
            model.resources[key] = _filled(resource, written)
    for expression, reason in hcl.unknown_reasons.items():
        model.unknown_reasons.setdefault(expression, reason)


def _filled(planned: Any, written: Any) -> Any:
    if isinstance(planned, Unknown):
        usable = written is not None and not isinstance(written, Unknown)
        return written if planned.reason == AFTER_APPLY and usable else planned
    if dataclasses.is_dataclass(planned) and type(planned) is type(written):
        changes = {
            f.name: _filled(getattr(planned, f.name), getattr(written, f.name))
            for f in dataclasses.fields(planned)
            if f.init
        }
        return dataclasses.replace(planned, **changes)  # type: ignore[type-var]
    if isinstance(planned, tuple) and isinstance(written, tuple):
        return tuple(
            _filled(item, _counterpart(item, written, n)) for n, item in enumerate(planned)
        )
    return planned


def _counterpart(item: Any, written: tuple[Any, ...], number: int) -> Any:
    """The element of the code's tuple that stands for this one: a model object with the same
    first field (a policy's label) at the same place, else the only one with it."""
    if not dataclasses.is_dataclass(item):
        return written[number] if number < len(written) else None
    first = dataclasses.fields(item)[0].name

    def same(other: Any) -> bool:
        return type(other) is type(item) and getattr(other, first) == getattr(item, first)

    if number < len(written) and same(written[number]):
        return written[number]
    matches = [other for other in written if same(other)]
    return matches[0] if len(matches) == 1 else None


def _version(data: dict[str, Any]) -> str:
    return str(data.get("terraform_version", "unknown version"))


def _modules(
    module: Any, scope: Scope | None, pointer: str
) -> Iterator[tuple[dict[str, Any], Scope | None, str]]:
    """Each module of `planned_values`/`values` with its configuration scope and JSON pointer."""
    if not isinstance(module, dict):
        return
    yield module, scope, pointer
    for number, child in enumerate(module.get("child_modules", []) or []):
        if not isinstance(child, dict):
            continue
        name = str(child.get("address", "")).rsplit("module.", 1)[-1].split("[", 1)[0]
        inner = scope.child(name) if scope is not None else None
        yield from _modules(child, inner, f"{pointer}/child_modules/{number}")


def _changes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    changes: dict[str, dict[str, Any]] = {}
    for change in data.get("resource_changes", []) or []:
        if isinstance(change, dict) and isinstance(change.get("change"), dict):
            changes[str(change.get("address"))] = change["change"]
    return changes


def _items(document: _Document, model: CloudModel, hcl: CloudModel | None) -> Iterator[Item]:
    data = document.data
    section = "planned_values" if document.is_plan else "values"
    values = data.get(section)
    configuration = data.get("configuration", {})
    root_config = configuration.get("root_module") if isinstance(configuration, dict) else None
    scope = Scope("", root_config) if isinstance(root_config, dict) else None
    changes = _changes(data)
    root = (values or {}).get("root_module")
    found = [
        (resource, module_scope, f"{pointer}/resources/{number}")
        for module, module_scope, pointer in _modules(root, scope, f"/{section}/root_module")
        for number, resource in enumerate(module.get("resources", []) or [])
        if isinstance(resource, dict) and resource.get("mode") == "managed"
    ]
    instances: dict[str, list[str]] = {}
    for resource, _, _ in found:
        address = str(resource.get("address", ""))
        instances.setdefault(_base(address), []).append(address)
    for resource, module_scope, pointer in found:
        address = str(resource.get("address", ""))
        change = changes.get(address, {})
        after = change.get("after") if change else resource.get("values")
        if change and "delete" in change.get("actions", []) and after is None:
            continue
        yield PlanItem(
            kind=str(resource.get("type", "")),
            resource_address=address,
            values=after if isinstance(after, dict) else {},
            unknown_marks=_marks(change.get("after_unknown")),
            expressions=_expressions(module_scope, resource),
            scope=module_scope,
            where=_span(document, hcl, address, pointer),
            reasons=model.unknown_reasons,
            index=resource.get("index"),
            instances=instances,
        )


def _base(address: str) -> str:
    """An instance's address without its `count`/`for_each` key."""
    return re.sub(r"\[[^\]]*\]$", "", address)


def _marks(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _expressions(scope: Scope | None, resource: dict[str, Any]) -> dict[str, Any]:
    """The configuration expressions of a resource (by its address without instance key)."""
    if scope is None:
        return {}
    name = f"{resource.get('type')}.{resource.get('name')}"
    for declared in scope.config.get("resources", []) or []:
        if isinstance(declared, dict) and declared.get("address") == name:
            expressions = declared.get("expressions")
            return expressions if isinstance(expressions, dict) else {}
    return {}


def _span(document: _Document, hcl: CloudModel | None, address: str, pointer: str) -> SourceSpan:
    """The HCL block the resource was declared in, else its place in the JSON document."""
    if hcl is not None:
        for candidate in (address, _base(address)):
            if candidate in hcl.block_spans:
                return hcl.block_spans[candidate]
    line = document.line_of(address)
    return SourceSpan(document.path, line, line, pointer)


def _region(data: dict[str, Any]) -> str | Unknown | None:
    """The aws provider's region, else (a root without one) the google provider's."""
    regions = _provider_settings(data, "region")
    return regions.get("aws", regions.get("google"))


def _provider_settings(data: dict[str, Any], attribute: str) -> dict[str, str | Unknown]:
    """An attribute of each aws and google provider configuration (`aws`, `google.west`)."""
    configuration = data.get("configuration", {})
    providers = configuration.get("provider_config", {}) if isinstance(configuration, dict) else {}
    found: dict[str, str | Unknown] = {}
    for key, provider in (providers if isinstance(providers, dict) else {}).items():
        if not isinstance(provider, dict) or provider.get("name") not in _PROVIDERS:
            continue
        expressions = provider.get("expressions", {})
        written = expressions.get(attribute) if isinstance(expressions, dict) else None
        if isinstance(written, dict):
            found[str(key)] = _provider_value(data, written, str(key), attribute)
    return found


_PROVIDERS = frozenset({"aws", "google", "google-beta"})


def _provider_value(
    data: dict[str, Any], written: dict[str, Any], provider: str, attribute: str
) -> str | Unknown:
    if isinstance(written.get("constant_value"), str):
        return str(written["constant_value"])
    variables = data.get("variables", {})
    for reference in written.get("references") or []:
        if isinstance(reference, str) and reference.startswith("var."):
            value = (variables.get(reference[4:]) or {}).get("value")
            if isinstance(value, str):
                return value
    return unknown(f"provider.{provider}.{attribute}", f"the provider's {attribute} is not known")


def _outputs(
    document: _Document, model: CloudModel, hcl: CloudModel | None, index: dict[str, str]
) -> None:
    """Root outputs with their values (Unknown when known only after apply); the register
    command comes from the HCL when the plan does not know the output's value."""
    data = document.data
    planned = data.get("planned_values", {}) if document.is_plan else data.get("values", {})
    recorded = (planned or {}).get("outputs", {}) or {}
    changes = data.get("output_changes", {}) or {}
    line = document.line_of("outputs")
    for name, output in recorded.items():
        if not isinstance(output, dict):
            continue
        change = changes.get(name, {}) if isinstance(changes, dict) else {}
        if isinstance(change, dict) and change.get("after_unknown") is True:
            value: object = unknown(f"output.{name}", AFTER_APPLY)
        else:
            value = change.get("after", output.get("value")) if change else output.get("value")
        origin = next((o.origin for o in (hcl.outputs if hcl else []) if o.address == name), None)
        model.outputs.append(
            OutputValue(
                name,
                name,
                value,
                f"output.{name}",
                origin or SourceSpan(document.path, line, line),
                bool(output.get("sensitive")),
            )
        )
    if hcl is None:
        for output in model.outputs:
            command = _register_command(output, index)
            if command is not None:
                model.register_commands.append(command)
    if hcl is not None:
        model.register_commands = list(hcl.register_commands)
        known = {o.name for o in model.outputs}
        model.outputs += [o for o in hcl.outputs if not o.in_root or o.name not in known]


def _sensitive(data: dict[str, Any], model: CloudModel) -> None:
    """Values the plan marks sensitive (resources and outputs) are never printed."""
    for change in data.get("resource_changes", []) or []:
        inner = change.get("change", {}) if isinstance(change, dict) else {}
        if isinstance(inner, dict):
            _collect(inner.get("after"), inner.get("after_sensitive"), model.sensitive_values)
    for section in ("planned_values", "values"):
        outputs = (data.get(section) or {}).get("outputs", {}) or {}
        for output in outputs.values():
            if isinstance(output, dict) and output.get("sensitive"):
                _collect(output.get("value"), True, model.sensitive_values)


def _collect(value: Any, marks: Any, found: set[str]) -> None:
    if marks is True:
        if isinstance(value, (dict, list)):
            items = value.values() if isinstance(value, dict) else value
            for item in items:
                _collect(item, True, found)
        elif value is not None and not isinstance(value, bool):
            found.add(str(value))
            # A sensitive document (a policy) keeps its parts secret once it is parsed.
            if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
                _collect(_json_or_none(value), True, found)
        return
    if isinstance(value, dict) and isinstance(marks, dict):
        for key, item in value.items():
            _collect(item, marks.get(key), found)
    elif isinstance(value, list) and isinstance(marks, list):
        for item, mark in zip(value, marks, strict=False):
            _collect(item, mark, found)


def _json_or_none(text: str) -> Any:
    try:
        return jsontext.loads(text)
    except jsontext.JsonInputError:
        return None


def _register_command(output: OutputValue, index: dict[str, str]) -> RegisterCommand | None:
    """The register command a known output holds. Its literal IDs and ARNs that the state
    records for a resource become references to it, as the code's own command would have."""
    command = find_register_command(output.value) if isinstance(output.value, str) else None
    if command is None:
        return None
    flags: dict[str, str | Unknown] = {
        flag: ",".join(_linked(item, index) for item in value.split(","))
        for flag, value in parse_flags(command).items()
    }
    return RegisterCommand(
        command.strip(),
        flags,
        output.origin,
        output.name,
        source=f"output {output.name}",
        spellings=flag_spellings(command),
    )


def _linked(item: str, index: dict[str, str]) -> str:
    """A literal ID, ARN or name of a modelled resource as a reference to its ID or ARN."""
    address = index.get(item.strip())
    if address is None or item.strip().startswith("${"):
        return item
    attribute = "arn" if item.strip().startswith("arn:") else "id"
    return marker(f"{address}.{attribute}")
