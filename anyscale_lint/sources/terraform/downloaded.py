"""Remote module calls read from the copies `terraform init` keeps under .terraform/modules.

`.terraform/modules/modules.json` maps each call's key (`vpc`, `vpc.subnets` for a call inside
it) to the directory of its copy. The tool never downloads; a call with no copy is not read,
and a copy outside the root's directory (a hostile index) is refused.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.model import ParseError
from anyscale_lint.sources.files import read_text

INDEX = Path(".terraform") / "modules" / "modules.json"
_INDEX_KEY = re.compile(r"\[[^\]]*\]")


def call_key(address: str) -> str:
    """`module.vpc.module.subnets["a"]` -> `vpc.subnets`: the key modules.json uses."""
    names = _INDEX_KEY.sub("", address).split(".")
    return ".".join(names[index + 1] for index, name in enumerate(names) if name == "module")


def _index(root: Path) -> dict[str, str] | str:
    """The call keys and their directories, or why there are none."""
    path = root / INDEX
    if not path.is_file():
        return "remote sources are not downloaded (no .terraform/modules/modules.json)"
    text = read_text(path, str(INDEX))
    if isinstance(text, ParseError):
        return f"{INDEX} cannot be read: {text.message}"
    try:
        data = jsontext.loads(text)
    except jsontext.JsonInputError as error:
        return f"{INDEX} is not valid JSON: {error.message}"
    modules = data.get("Modules") if isinstance(data, dict) else None
    if not isinstance(modules, list):
        return f"{INDEX} lists no Modules"
    return {
        str(entry["Key"]): str(entry["Dir"])
        for entry in modules
        if isinstance(entry, dict)
        and isinstance(entry.get("Key"), str)
        and isinstance(entry.get("Dir"), str)
    }


def downloaded_copy(root: Path, address: str, settings: dict[str, Any]) -> tuple[Path | None, str]:
    """The directory of a call's downloaded copy, or None and why it is not read."""
    index = settings.get("downloaded_modules")
    if index is None:
        index = settings["downloaded_modules"] = _index(root)
    if isinstance(index, str):
        return None, index
    key = call_key(address)
    written = index.get(key)
    if written is None:
        return None, f"{INDEX} has no copy of it (run terraform init)"
    directory = (root / written).resolve()
    if not directory.is_relative_to(root.resolve()):
        return None, f"{INDEX} places its copy outside the root ({written}); not read"
    return directory, ""
