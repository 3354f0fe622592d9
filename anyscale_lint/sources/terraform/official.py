"""Module calls to Anyscale's official Terraform modules, read from this project's descriptions.

Anyscale's AWS module repository is not downloaded (and its HCL is not copied here): each
module this project understands is described under `anyscale_lint/data/anyscale_modules/`, in
Terraform written for the rules (inputs with their documented defaults, the resources the rules
read, the documented outputs). A call resolves to its description as if it were a local module,
located at the call, with a notice naming the module version the description was written for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from anyscale_lint.model import SourceSpan
from anyscale_lint.sources.terraform.syntax import Attribute, Block, Body

DESCRIPTIONS = Path(__file__).resolve().parent.parent.parent / "data" / "anyscale_modules"
INDEX = DESCRIPTIONS / "index.json"
# `github.com/anyscale/<repo>`, `git::https://github.com/anyscale/<repo>.git`, with an optional
# `//modules/<name>` and `?ref=<ref>`.
_SOURCE = re.compile(
    r"^(?:git::)?(?:https://)?github\.com/anyscale/(?P<repo>[\w.-]+?)(?:\.git)?"
    r"(?://(?P<path>[^?]*?))?/?(?:\?(?P<query>.*))?$"
)
# The registry address of the same repository: `anyscale/anyscale-cloudfoundation-modules/aws`.
_REGISTRY = re.compile(
    r"^(?:registry\.terraform\.io/)?anyscale/(?P<name>[\w-]+)/(?P<provider>[\w-]+)"
    r"(?://(?P<path>[^?]*?))?/?$"
)


@dataclass(frozen=True)
class Description:
    """A described official module: its directory and the version it was written for."""

    name: str
    directory: Path
    written_for: str
    pinned: str | None

    def for_call(self, body: Body, call: SourceSpan, given: Iterable[str]) -> tuple[Body, str]:
        """The description located at the call, and what the call's notice says after its
        location and name: what it is understood from, and what the description leaves out."""
        return located_at(body, call), self.notice(ignored_inputs(body, given))

    def notice(self, ignored: list[str]) -> str:
        """What the call is understood from, and what it leaves out."""
        text = (
            f"is understood from anyscale-lint's description of {self.name} "
            f"(written for {self.written_for})"
        )
        if self.pinned is not None and self.pinned != self.written_for:
            text += f"; the call pins {self.pinned}, which may differ from that description"
        if ignored:
            text += f"; the description does not cover its inputs {', '.join(ignored)}"
        return text


@cache
def _index() -> dict[str, Any]:
    """The index of descriptions (package data)."""
    data: dict[str, Any] = json.loads(INDEX.read_text(encoding="utf-8"))
    return data


def _ref(query: str | None) -> str | None:
    """The `ref=` of a source's query string."""
    for pair in (query or "").split("&"):
        key, _, value = pair.partition("=")
        if key == "ref" and value:
            return value
    return None


def described(source: Any, version: Any) -> Description | None:
    """The description of an official module call's source, or None (not official, or not
    described)."""
    if not isinstance(source, str):
        return None
    index = _index()
    match = _SOURCE.match(source.strip())
    registry = _REGISTRY.match(source.strip()) if match is None else None
    if match is not None:
        repo, path, ref = match["repo"], match["path"], _ref(match["query"])
    elif registry is not None:
        address = f"terraform-{registry['provider']}-{registry['name']}"
        repo, path, ref = address, registry["path"], None
    else:
        return None
    repository = index["repositories"].get(repo)
    if repository is None:
        return None
    # No path is the repository's root module, which composes the submodules.
    entry = repository["modules"].get((path or "").strip("/"))
    if entry is None:
        return None
    # An entry is the description's name, or the name and the commit it was written for
    # when that is not the repository's.
    name, written_for = (
        (entry, repository["written_for"])
        if isinstance(entry, str)
        else (entry["description"], entry["written_for"])
    )
    pinned = ref or (version if isinstance(version, str) else None)
    return Description(name, DESCRIPTIONS / name, written_for, pinned)


def is_description(directory: Path) -> bool:
    """Whether a resolved directory is this package's descriptions (or one of them): package
    data that a scan must never take for the user's Terraform."""
    return directory == DESCRIPTIONS or DESCRIPTIONS in directory.parents


def ignored_inputs(body: Body, given: Iterable[str]) -> list[str]:
    """The inputs a call gives that the description does not declare (so does not describe)."""
    declared = {block.labels[0] for block in body.blocks_of("variable") if block.labels}
    return sorted(set(given) - declared)


def located_at(body: Body, call: SourceSpan) -> Body:
    """A description's body with every block, attribute and expression located at the call:
    findings in a described module point at the user's code, not at this package's data."""
    line = SourceSpan(call.path, call.start_line, call.start_line)
    return Body(
        {
            name: Attribute(name, replace(a.expr, path=call.path, line=call.start_line), line)
            for name, a in body.attributes.items()
        },
        [Block(b.type, list(b.labels), located_at(b.body, call), call) for b in body.blocks],
    )
