"""Read an `anyscale cloud register --resource-file` YAML (CloudDeployment) as register flags.

The file's keys map to the flags they replace (REQUIREMENTS.md section 5), so one check
compares a hand-written command and a resource file with the code alike; each flag keeps the
line of its key for findings.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from anyscale_lint.model import Origin, ParseError, RegisterCommand, SourceSpan, Unknown
from anyscale_lint.providers.aws import AWS_INPUTS
from anyscale_lint.sources.excerpt import shorten_quoted
from anyscale_lint.sources.files import read_text

# (section, key) -> register flag. Lists become comma-separated values, as on the command line.
_FLAGS = {
    (None, "provider"): "provider",
    **{spec.resource_file_key: spec.flag for spec in AWS_INPUTS if spec.resource_file_key},
}


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(item, yaml.ScalarNode) for item in node.value
    ):
        return ",".join(str(item.value) for item in node.value)
    return None


def _mapping(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): (key, value) for key, value in node.value}


def read_resource_file(path: Path, shown: str) -> RegisterCommand | ParseError:
    """The resource file as register flags (with each key's line), or why it cannot be read."""
    text = read_text(path, shown)
    if isinstance(text, ParseError):
        return text
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or type(error).__name__
        return ParseError(shown, line, f"not valid YAML: {shorten_quoted(problem)}")
    except RecursionError:
        return ParseError(shown, None, "not valid YAML: nested too deeply to read")
    if not isinstance(root, yaml.MappingNode):
        return ParseError(shown, 1, "a resource file is a YAML mapping (CloudDeployment)")
    top = _mapping(root)
    flags: dict[str, str | Unknown] = {}
    origins: dict[str, Origin] = {}
    for (section, key), flag in _FLAGS.items():
        holder = top if section is None else _mapping(top[section][1]) if section in top else {}
        if key not in holder:
            continue
        key_node, value_node = holder[key]
        value = _scalar(value_node)
        line = key_node.start_mark.line + 1
        if value is None:
            return ParseError(shown, line, f"{key} must be a string or a list of strings")
        flags[flag] = value.lower() if flag == "provider" else value
        origins[flag] = SourceSpan(shown, line, value_node.end_mark.line + 1)
    if "networking_mode" in top:
        key_node, value_node = top["networking_mode"]
        if str(getattr(value_node, "value", "")).upper() == "PRIVATE":
            flags["private-network"] = ""
            line = key_node.start_mark.line + 1
            origins["private-network"] = SourceSpan(shown, line, line)
    end = max(1, text.count("\n"))
    return RegisterCommand(
        text, flags, SourceSpan(shown, 1, end), flag_origins=origins, source=shown
    )
