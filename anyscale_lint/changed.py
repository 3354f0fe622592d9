"""Changed-files mode: the roots that use the changed files, and the results that concern them."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from anyscale_lint.engine.report import Report
from anyscale_lint.model import SourceSpan
from anyscale_lint.reading import UnreadableFile, read_regular
from anyscale_lint.sources.terraform.loader import (
    TerraformSource,
    display_path,
    is_terraform_file,
)

VARIABLE_SUFFIXES = (".tfvars", ".tfvars.json")
TEMPLATE_SUFFIX = ".tmpl"
# `source = "./x"` in HCL, `"source": "../x"` in .tf.json.
LOCAL_SOURCE = re.compile(r'source"?\s*[=:]\s*"\.\.?/')


@dataclass
class ChangedScope:
    """What to scan for a set of changed files, and where the results that concern them lie."""

    # For `lint`: the Terraform files of every root to evaluate, and changed IAM JSON files.
    inputs: list[str] = field(default_factory=list)
    # Results located in these module directories or these files are kept, and every result
    # of the deployments of these roots; the rest is dropped.
    kept_dirs: set[Path] = field(default_factory=set)
    kept_files: set[Path] = field(default_factory=set)
    kept_roots: set[Path] = field(default_factory=set)
    notices: list[str] = field(default_factory=list)


def changed_scope(paths: Sequence[str]) -> ChangedScope:
    """Expand changed files to the roots that use their modules and the directories to keep."""
    scope = ChangedScope()
    source = TerraformSource(Path.cwd())
    changed_modules: dict[Path, set[Path]] = {}
    for raw in paths:
        path = Path(raw)
        resolved = path.resolve()
        if path.is_dir():
            scope.notices.append(f"{raw}: skipped, --changed-only takes files, not directories")
        elif is_terraform_file(path) or path.name.endswith((*VARIABLE_SUFFIXES, TEMPLATE_SUFFIX)):
            module = _module_of(resolved)
            if module is None:
                scope.notices.append(f"{raw}: skipped, no Terraform module directory holds it")
                continue
            if path.name.endswith(VARIABLE_SUFFIXES):
                # Variable values show up in the resources they flow into, anywhere in the root.
                scope.kept_roots.add(module)
            scope.kept_dirs.add(module)
            changed_modules.setdefault(_search_root(module), set()).add(module)
        elif path.suffix == ".json" or not path.exists():
            # IAM JSON is scanned as given; lint reports a missing path as unreadable.
            scope.inputs.append(raw)
            scope.kept_files.add(resolved)
        else:
            scope.notices.append(f"{raw}: skipped, not a Terraform, variable or template file")
    roots: list[str] = []
    for search_root, modules in changed_modules.items():
        for root in _roots_using(source, search_root, modules):
            roots.extend(display_path(p) for p in sorted(root.iterdir()) if is_terraform_file(p))
    scope.inputs = list(dict.fromkeys([*roots, *scope.inputs]))
    return scope


def _roots_using(source: TerraformSource, search_root: Path, modules: set[Path]) -> list[Path]:
    """The roots under `search_root` that call one of `modules`, directly or through others."""
    callers: dict[Path, list[Path]] = {}
    for directory in source.module_dirs(search_root):
        # Parsing every directory of a large repository costs seconds; a text test finds
        # the few that can call a local module.
        if _may_call_local_module(directory):
            for called in source.local_calls(directory):
                callers.setdefault(called, []).append(directory)
    roots: list[Path] = []
    seen: set[Path] = set()
    pending = sorted(modules)
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        if directory in callers:
            pending.extend(callers[directory])
        else:
            roots.append(directory)
    return sorted(roots)


def _search_root(directory: Path) -> Path:
    """Where the roots that may use a module live: its git repository, else the working dir."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    cwd = Path.cwd().resolve()
    return cwd if cwd == directory or cwd in directory.parents else directory


def _may_call_local_module(directory: Path) -> bool:
    """Whether a Terraform file of the directory has a `source = "./..."` (or "../") at all."""
    for path in directory.iterdir():
        if is_terraform_file(path):
            try:
                text = read_regular(path).decode("utf-8", errors="replace")
            except UnreadableFile:
                return True
            if LOCAL_SOURCE.search(text):
                return True
    return False


def _module_of(changed: Path) -> Path | None:
    """The module directory a changed file belongs to (a deleted file's, too)."""
    if not changed.name.endswith(TEMPLATE_SUFFIX):
        return changed.parent if _holds_terraform(changed.parent) else None
    # A template lives beside the module that reads it or in a subdirectory of it.
    limit = _search_root(changed.parent)
    for candidate in (changed.parent, *changed.parent.parents):
        if _holds_terraform(candidate):
            return candidate
        if candidate == limit:
            break
    return None


def _holds_terraform(directory: Path) -> bool:
    try:
        return any(is_terraform_file(path) for path in directory.iterdir())
    except OSError:
        return False


def keep_changed(report: Report, scope: ChangedScope) -> Report:
    """The report without the results and input errors located outside the changed modules."""

    @functools.cache
    def concerns(path: str) -> bool:
        resolved = Path(path).resolve()
        return resolved in scope.kept_files or resolved.parent in scope.kept_dirs

    whole = {d.key for d in report.deployments if Path(d.model.root).resolve() in scope.kept_roots}
    results = [
        result
        for result in report.results
        if result.deployment in whole
        or (isinstance(result.location, SourceSpan) and concerns(result.location.path))
    ]
    # An internal error is a bug met while evaluating a root that uses a changed module, so
    # that module's results may be incomplete: it stays, wherever it is located.
    errors = [e for e in report.errors if e.kind == "internal" or concerns(e.path)]
    return replace(
        report, results=results, errors=errors, notices=[*scope.notices, *report.notices]
    )
