"""What evaluating a root adds to its model besides resources: provider regions, outputs
and register commands, sensitive values, inline ignores and the module calls not read."""

from __future__ import annotations

from typing import Any

from anyscale_lint.model import (
    CloudModel,
    OutputValue,
    RegisterCommand,
    SourceSpan,
    Unknown,
    UnreadModule,
)
from anyscale_lint.sources.ignores import find_ignores
from anyscale_lint.sources.register_command import (
    find_register_command,
    flag_spellings,
    parse_flags,
)
from anyscale_lint.sources.terraform.items import walk
from anyscale_lint.sources.terraform.module import ModuleInstance, module_instances
from anyscale_lint.sources.terraform.sensitivity import Sensitivity


def unread_modules(root: ModuleInstance, settings: dict[str, Any], model: CloudModel) -> None:
    """Name every module call that was not read, in a notice each."""
    # Listing the instances meets every call, whatever the rules go on to read.
    list(module_instances(root))
    calls: list[UnreadModule] = list(dict.fromkeys(settings.get("unread_modules", [])))
    model.unread_modules.extend(calls)
    model.notices.extend(
        f"{call.origin}: {call.describe()} was not read ({call.why}): every value that "
        "depends on its outputs is unknown"
        for call in calls
    )


def provider_settings(root: ModuleInstance, attribute: str) -> dict[str, Any]:
    """An attribute (`region`, `project`) of each aws and google provider configuration, by
    the name resources use for it: `aws`, `aws.<alias>`, `google`, `google-beta.<alias>`."""
    found: dict[str, Any] = {}
    for block in root.files.body.blocks_of("provider"):
        attributes = block.body.attributes
        if block.labels not in (["aws"], ["google"], ["google-beta"]):
            continue
        if attribute not in attributes:
            continue
        label = block.labels[0]
        alias = root.evaluator.evaluate(attributes["alias"].expr) if "alias" in attributes else None
        name = f"{label}.{alias}" if isinstance(alias, str) else label
        found[name] = root.evaluator.evaluate(attributes[attribute].expr)
    return found


def outputs(root: ModuleInstance, model: CloudModel) -> None:
    """Every output of the root and its module instances, and the register commands."""
    for instance in module_instances(root):
        for name, block in instance.outputs.items():
            attribute = block.body.attributes.get("value")
            if attribute is None:
                continue
            value = instance.evaluator.evaluate(attribute.expr)
            flag = block.body.attributes.get("sensitive")
            sensitive = flag is not None and instance.evaluator.evaluate(flag.expr) is True
            described = block.body.attributes.get("description")
            description = instance.evaluator.evaluate(described.expr) if described else None
            model.outputs.append(
                OutputValue(
                    instance.prefix + name,
                    name,
                    value,
                    attribute.expr.source(),
                    block.span,
                    sensitive,
                    description if isinstance(description, str) else "",
                )
            )
            command = find_register_command(value) if isinstance(value, str) else None
            if command is not None and instance is root:
                flags: dict[str, str | Unknown] = dict(parse_flags(command))
                model.register_commands.append(
                    RegisterCommand(
                        command.strip(),
                        flags,
                        block.span,
                        name,
                        source=f"output {name}",
                        spellings=flag_spellings(command),
                    )
                )


def sensitive(
    root: ModuleInstance,
    variables: dict[str, Any],
    model: CloudModel,
    sensitivity: Sensitivity,
) -> None:
    """Sensitive variables' values (defaults too) and sensitive outputs' values."""
    for name, block in variables.items():
        if root.declared_sensitive(block):
            sensitivity.register(root.variable(name))
    for output in model.outputs:
        if output.sensitive:
            sensitivity.register(output.value)


def ignores(root: ModuleInstance, model: CloudModel, texts: dict[str, str]) -> None:
    """The inline ignore comments of the root's files, and where each block is written."""
    spans: dict[str, list[tuple[SourceSpan, str]]] = {}
    for item in walk(root):
        block = item.instance.block
        base = item.address.split("[", 1)[0] if item.address.endswith("]") else item.address
        spans.setdefault(block.span.path, []).append((block.span, base))
        model.block_spans[item.address] = block.span
    for path, blocks in spans.items():
        text = texts.get(path)
        if text is not None and "anyscale-lint:ignore" in text:
            model.ignores.extend(find_ignores(text, path, blocks))
    for path in model.files:
        if path not in spans and "anyscale-lint:ignore" in texts.get(path, ""):
            model.ignores.extend(find_ignores(texts[path], path, []))
