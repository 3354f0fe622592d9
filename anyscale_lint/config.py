"""Load and validate the configuration: `.anyscale-lint.yaml` or `[tool.anyscale-lint]`."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyscale_lint.engine.suppress import Waiver
from anyscale_lint.paths import schemas_dir
from anyscale_lint.reading import UnreadableFile, read_regular_text
from anyscale_lint.sources.excerpt import MAX_EXCERPT, clip, shorten_quoted

CONFIG_NAMES = (".anyscale-lint.yaml", ".anyscale-lint.yml")


class ConfigError(ValueError):
    """A configuration problem: names the file, the key and what was expected."""


@dataclass
class Config:
    """The validated configuration (empty when there is no file)."""

    path: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """A top-level setting."""
        return self.data.get(key, default)

    def waivers(self) -> list[Waiver]:
        """The config's waivers."""
        source = self.path or "config"
        return [
            Waiver(w["rule"], w["resource"], w["reason"], w.get("expires"), source)
            for w in self.data.get("waivers", [])
        ]


def _toml(path: Path) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    text = _read(path)
    try:
        document = tomllib.loads(text)
    except ValueError as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read: nested too deeply") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: key tool: must be a table ([tool])")
    section = tool.get("anyscale-lint")
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: key tool.anyscale-lint: must be a table ([tool.anyscale-lint])")
    return section


def _read(path: Path) -> str:
    """A configuration file's text; never opens a device or a FIFO."""
    try:
        return read_regular_text(path)
    except UnreadableFile as error:
        raise ConfigError(error.located(path)) from None


def _validate(data: Any, shown: str) -> dict[str, Any]:
    import jsonschema

    if not isinstance(data, dict):
        raise ConfigError(f"{shown}: the configuration must be a mapping of settings")
    schema = json.loads((schemas_dir() / "config.schema.json").read_text(encoding="utf-8"))
    errors = sorted(
        jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        error = errors[0]
        key = ".".join(str(p) for p in error.path) or "(top level)"
        expected = error.schema.get("description") if isinstance(error.schema, dict) else None
        hint = f" ({expected})" if expected else ""
        raise ConfigError(f"{shown}: key {key}: {schema_message(error)}{hint}")
    return data


def load_config(explicit: str | None, start: Path | None = None) -> Config:
    """The configuration from --config, or found in the working directory; empty if none."""
    if explicit:
        path = Path(explicit)
        if not os.path.lexists(path):
            raise ConfigError(f"{explicit}: configuration file not found")
        return _from_file(path)
    directory = start or Path.cwd()
    # Whatever exists under a config name is read, so a FIFO or a broken link is reported.
    for name in CONFIG_NAMES:
        if os.path.lexists(directory / name):
            return _from_file(directory / name)
    pyproject = directory / "pyproject.toml"
    if os.path.lexists(pyproject):
        section = _toml(pyproject)
        if section is not None:
            return Config(str(pyproject), _validate(section, f"{pyproject} [tool.anyscale-lint]"))
    return Config()


def _from_file(path: Path) -> Config:
    import yaml  # only when there is a YAML config to read

    if path.name == "pyproject.toml" or path.suffix == ".toml":
        section = _toml(path)
        return Config(str(path), _validate(section or {}, f"{path} [tool.anyscale-lint]"))
    text = _read(path)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise ConfigError(f"{path}{where}: invalid YAML: {shorten_quoted(problem)}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid YAML: nested too deeply") from None
    return Config(str(path), _validate(data, str(path)))


def schema_message(error: Any) -> str:
    """A JSON Schema error's message with the offending value clipped to a short excerpt."""
    shown = repr(error.instance)
    message = str(error.message)
    if len(shown) > MAX_EXCERPT and shown in message:
        return " ".join(message.replace(shown, clip(shown)).split())
    return shorten_quoted(message)
