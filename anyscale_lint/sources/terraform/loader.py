"""Find Terraform roots under the scanned paths and build one cloud model per root."""

from __future__ import annotations

import gc
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.model import (
    CloudModel,
    ParseError,
    Unknown,
)
from anyscale_lint.reading import os_reason
from anyscale_lint.sources.files import read_text, scan_root
from anyscale_lint.sources.terraform import official, parser, root_model, validate
from anyscale_lint.sources.terraform.budget import Budget
from anyscale_lint.sources.terraform.builder import build_model
from anyscale_lint.sources.terraform.evaluation import internal_error
from anyscale_lint.sources.terraform.markers import type_model
from anyscale_lint.sources.terraform.module import (
    ModuleFiles,
    ModuleInstance,
    constant,
)
from anyscale_lint.sources.terraform.sensitivity import Sensitivity
from anyscale_lint.sources.terraform.syntax import Body, body_from_json, body_from_tree
from anyscale_lint.sources.terraform.variables import declared_type, root_variables

# Text let go between two full garbage collections in `release` (parsed, about 7x as much).
COLLECT_AFTER = 4_000_000

# Directories Terraform and tools create that never hold the user's configuration.
SKIPPED_DIRS = {
    ".terraform",
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".terragrunt-cache",
}


@dataclass
class TerraformOptions:
    """Inputs that shape evaluation: variable files and values, known account and region."""

    var_files: Sequence[Path] = ()
    cli_vars: Sequence[tuple[str, str]] = ()
    account_id: str | None = None
    environ: dict[str, str] | None = None
    # Read terraform.tfvars and *.auto.tfvars as Terraform does (off to measure defaults only).
    automatic_var_files: bool = True


def display_path(path: Path) -> str:
    """A path relative to the working directory when under it, else absolute."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


def _is_override(path: Path) -> bool:
    """`override.tf` and `*_override.tf` (and their .tf.json forms), which Terraform merges."""
    stem = path.name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def _identity(directory: Path) -> tuple[int, int] | None:
    """A directory's (device, inode), or None when it cannot be read."""
    try:
        status = directory.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def is_terraform_file(path: Path) -> bool:
    """`.tf` and `.tf.json` files."""
    return path.name.endswith((".tf", ".tf.json"))


@dataclass
class TerraformSource:
    """Loads module directories once each and evaluates roots."""

    boundary: Path
    options: TerraformOptions = field(default_factory=TerraformOptions)
    modules: dict[Path, ModuleFiles | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    # Directories that could not be listed, met while discovering roots or loading modules.
    directory_errors: list[ParseError] = field(default_factory=list)
    # What discovery left out on purpose, and why.
    notices: list[str] = field(default_factory=list)
    # Characters of Terraform text read, parsed or not (what the process pool weighs).
    characters: int = 0
    # Read and parse errors of module directories whose parsed files were let go.
    released: dict[Path, list[ParseError]] = field(default_factory=dict)
    # Local module calls of each directory met while finding the roots.
    calls: dict[Path, list[Path]] = field(default_factory=dict)
    _released_characters: int = 0

    def load(self, directory: Path) -> ModuleFiles | None:
        """The parsed files of a module directory (cached), or None if it has none."""
        directory = directory.resolve()
        if directory in self.modules:
            return self.modules[directory]
        try:
            # Everything but directories: a FIFO or a device named `.tf` is reported, not skipped.
            paths = sorted(
                p for p in directory.iterdir() if is_terraform_file(p) and not p.is_dir()
            )
        except OSError as error:
            # os.path.exists, not Path.exists: a name too long for the system is no error here.
            if os.path.exists(directory):  # noqa: PTH110
                self._unreadable_directory(error)
            self.modules[directory] = None
            return None
        if not paths:
            self.modules[directory] = None
            return None
        body = Body()
        files: list[str] = []
        errors: list[ParseError] = []
        overrides: list[Body] = []
        for path in paths:
            shown = display_path(path)
            files.append(shown)
            parsed = self._parse(path, shown, errors)
            if isinstance(parsed, ParseError):
                errors.append(parsed)
                continue
            if _is_override(path):
                overrides.append(parsed)
                continue
            body.attributes.update(parsed.attributes)
            body.blocks.extend(parsed.blocks)
        body.blocks, duplicates = validate.unique_blocks(body.blocks)
        errors.extend(duplicates)
        # Override files redefine blocks on purpose (Terraform merges them): read after the rest.
        for parsed in overrides:
            body.attributes.update(parsed.attributes)
            body.blocks.extend(parsed.blocks)
        module = ModuleFiles(directory, files, body, errors)
        self.modules[directory] = module
        self.released.pop(directory, None)
        return module

    def _parse(self, path: Path, shown: str, problems: list[ParseError]) -> Body | ParseError:
        text = read_text(path, shown)
        if isinstance(text, ParseError):
            return text
        self.texts[shown] = text
        self.characters += len(text)
        if path.name.endswith(".json"):
            try:
                document = jsontext.loads(text)
            except jsontext.JsonInputError as error:
                return ParseError(shown, error.line, error.message, column=error.column)
            if not isinstance(document, dict):
                return ParseError(shown, 1, "a .tf.json file must hold a JSON object")
            return body_from_json(document, text, shown)
        try:
            parsed = parser.parse(text)
        except parser.HclSyntaxError as error:
            return ParseError(shown, error.line, error.message, column=error.column)
        # A syntax error drops only the top-level item it is in; the rest is evaluated.
        problems += [
            ParseError(shown, error.line, error.message, column=error.column)
            for error in parsed.errors
        ]
        body = body_from_tree(parsed.body, text, shown)
        problems += validate.hcl_problems(parsed.body, parsed.heredocs, shown)
        problems += validate.label_problems(body)
        return body

    # ---- roots ------------------------------------------------------------------------------

    def module_dirs(self, start: Path, boundary: Path | None = None) -> list[Path]:
        """Directories under `start` that hold Terraform files (no symlink loops, no escapes)."""
        inside = Path(os.path.realpath(boundary or scan_root(start)))
        found: list[Path] = []
        if official.is_description(Path(os.path.realpath(start))):
            self.notices.append(
                f"{display_path(start)}: skipped, anyscale-lint's own descriptions of Anyscale's "
                "official modules (package data), not Terraform to scan"
            )
            return found
        # A directory's (device, inode) finds symlink loops without resolving every path,
        # which costs a system call per path component in large repositories.
        seen: set[tuple[int, int]] = set()
        # Scanning anyscale-lint's own checkout meets its descriptions of the official modules:
        # package data, never roots (found by identity, so a link or another name is skipped too).
        descriptions = _identity(official.DESCRIPTIONS)
        for current, dirnames, filenames in os.walk(
            start, followlinks=True, onerror=self._unreadable_directory
        ):
            try:
                status = Path(current).stat()
            except OSError:
                dirnames[:] = []
                continue
            identity = (status.st_dev, status.st_ino)
            if identity in seen or identity == descriptions:
                dirnames[:] = []
                continue
            seen.add(identity)
            dirnames[:] = [
                name
                for name in sorted(dirnames)
                if name not in SKIPPED_DIRS
                and not name.startswith(".")
                and self._stays_inside(Path(current, name), inside)
            ]
            if any(name.endswith((".tf", ".tf.json")) for name in filenames):
                found.append(Path(current).resolve())
        return found

    def _stays_inside(self, path: Path, boundary: Path) -> bool:
        """Whether a directory met while walking is in the scanned tree (said when it is not)."""
        # Only a symbolic link can lead out; following one to `/` would walk the whole disk.
        if not path.is_symlink():
            return True
        target = Path(os.path.realpath(path))
        if target == boundary or boundary in target.parents:
            return True
        self.notices.append(
            f"{display_path(path)}: skipped, a symbolic link to {target}, outside the scanned tree"
        )
        return False

    def _unreadable_directory(self, error: OSError) -> None:
        path = Path(error.filename) if error.filename else None
        shown = display_path(path) if path else "(directory)"
        self.directory_errors.append(ParseError(shown, None, os_reason(error, path), kind="read"))

    def local_calls(self, directory: Path) -> list[Path]:
        """Directories a module directory calls as local modules (`source = "./..."`)."""
        module = self.load(directory)
        if module is None:
            return []
        called: list[Path] = []
        for block in module.body.blocks_of("module"):
            source = block.body.attributes.get("source")
            value = source.expr.tree if source else None
            text = source.expr.source().strip('"') if source else ""
            if value is not None and text.startswith(("./", "../")):
                called.append((module.directory / text).resolve())
        return called

    def roots(self, directories: Sequence[Path]) -> list[Path]:
        """Directories that no other scanned directory calls as a local module.

        Directories that only call each other (a module cycle, a module calling itself) are
        reached from no root: the first of each such group is a root too, so that the cycle
        is reported at its call rather than the directories being dropped.
        """
        # A description file named on the command line reaches here without the walk.
        directories = [d for d in directories if not official.is_description(d.resolve())]
        calls = {directory: self._discovered_calls(directory) for directory in directories}
        self.calls.update(calls)
        called = {
            target
            for directory, targets in calls.items()
            for target in targets
            if target != directory
        }
        roots = [d for d in directories if d not in called]
        reached: set[Path] = set()
        for start in [*roots, *directories]:
            if start in reached:
                continue
            if start in called:
                roots.append(start)  # reached from no root: a cycle's first directory
            pending = [start]
            while pending:
                current = pending.pop()
                if current not in reached:
                    reached.add(current)
                    pending.extend(calls.get(current, ()))
        chosen = set(roots)
        return [d for d in directories if d in chosen]

    def _discovered_calls(self, directory: Path) -> list[Path]:
        """`local_calls`, without parsing a directory whose text can hold no local call."""
        # Finding the roots must not hold every parsed file of a large corpus: a directory
        # is parsed when its root is evaluated, and let go after (see `release`).
        directory = directory.resolve()
        if directory in self.modules:
            return self.local_calls(directory)
        try:
            paths = sorted(
                p for p in directory.iterdir() if is_terraform_file(p) and not p.is_dir()
            )
        except OSError:
            return self.local_calls(directory)  # reports the directory as `load` does
        size = 0
        for path in paths:
            text = read_text(path, display_path(path))
            # A local call needs a `module` block and a source starting with ./ or ../.
            if isinstance(text, ParseError) or ("module" in text and "./" in text):
                return self.local_calls(directory)
            size += len(text)
        self.characters += size
        return []

    def reached(self, root: Path) -> set[Path]:
        """The directories a root reaches through local module calls, itself included."""
        reached: set[Path] = set()
        pending = [root.resolve()]
        while pending:
            current = pending.pop()
            if current not in reached:
                reached.add(current)
                pending.extend(self.calls.get(current, ()))
        return reached

    def release(self, needed: Mapping[Path, int]) -> None:
        """Let go of the parsed files of every module directory no longer `needed` (count 0)."""
        # Their errors are kept for the report; a directory loaded again is parsed again.
        for directory, module in list(self.modules.items()):
            if module is not None and needed.get(directory, 0) <= 0:
                self.released[directory] = module.errors
                del self.modules[directory]
                for path in module.files:
                    text = self.texts.pop(path, None)
                    if text is not None:
                        parser.forget(text)
                        self._released_characters += len(text)
        # What is not frozen is this root's evaluation: cheap to walk, and cyclic.
        gc.collect()
        if self._released_characters > COLLECT_AFTER:
            # Parsing moves what is alive out of the collector's reach (gc.freeze), cycles of
            # let-go trees with it: give them back now and then, not after every root, as
            # a full collection walks everything still alive.
            self._released_characters = 0
            gc.unfreeze()
            gc.collect()

    # ---- evaluation -------------------------------------------------------------------------

    def evaluate_root(
        self, directory: Path, boundary: Path | None = None
    ) -> tuple[CloudModel, list[ParseError]]:
        """The cloud model of one root module, reading files only under `boundary`."""
        # Parsing freezes what is alive (see parser.parse): the local modules are parsed
        # before the evaluation's objects exist, so those can be collected after.
        for called in sorted(self.reached(directory) - {directory.resolve()}):
            self.load(called)
        module = self.load(directory)
        model = CloudModel(
            root=display_path(directory),
            source_kind="terraform",
            rule_source="terraform",
            ids_assigned_at_apply=True,
            single_account=True,
        )
        if module is None:
            return model, []
        model.files = list(module.files)
        errors: list[ParseError] = []
        problems: list[ParseError] = []
        try:
            self._evaluate(module, model, errors, problems, boundary or self.boundary)
        except Exception as error:  # a bug outside any one expression or resource
            errors.append(internal_error(model.root, None, error))
        # An expression evaluated from several places reports its problem once.
        errors.extend(dict.fromkeys(problems))
        return model, errors

    def _evaluate(
        self,
        module: ModuleFiles,
        model: CloudModel,
        errors: list[ParseError],
        problems: list[ParseError],
        boundary: Path,
    ) -> None:
        variables = {b.labels[0]: b for b in module.body.blocks_of("variable") if b.labels}
        types = {
            name: declared_type(block.body.attributes.get("type"))
            for name, block in variables.items()
        }
        values, var_errors, sources = root_variables(
            module.directory,
            types,
            self.options.var_files,
            self.options.cli_vars,
            display_path,
            self.options.environ,
            self.options.automatic_var_files,
        )
        errors.extend(var_errors)
        model.notes.extend(f"variables from {source}" for source in sources)
        settings: dict[str, Any] = {
            "account_id": self.options.account_id,
            "root_dir": module.directory,
            "problems": problems,
        }
        inputs = {name: constant(value) for name, value in values.items()}
        budget = Budget()
        sensitivity = Sensitivity(model.sensitive_values)
        root = ModuleInstance(
            module,
            "",
            inputs,
            self.load,
            boundary,
            model.unknown_reasons,
            settings,
            budget=budget,
            sensitivity=sensitivity,
        )
        # Values given for sensitive variables (tfvars, --var, TF_VAR_*) are sensitive even
        # where they are never read, e.g. quoted in an error about the variable file.
        for name, block in variables.items():
            if name in values and root.declared_sensitive(block):
                sensitivity.register(values[name])
        regions = settings["provider_regions"] = root_model.provider_settings(root, "region")
        settings["provider_projects"] = root_model.provider_settings(root, "project")
        region = settings["region"] = regions.get("aws")
        if region is None:
            # A root without an aws provider: the google provider's region is the cloud's.
            region = regions.get("google")
        model.region = region if isinstance(region, (str, Unknown)) else None
        build_model(root, model)
        root_model.outputs(root, model)
        root_model.sensitive(root, variables, model, sensitivity)
        root_model.ignores(root, model, self.texts)
        type_model(model)
        errors.extend(budget.errors)
        model.notices.extend(budget.notices)
        root_model.unread_modules(root, settings, model)

    def all_errors(self) -> list[ParseError]:
        """Parse and read errors of every loaded module directory and unreadable directory."""
        errors = {**self.released}
        errors.update((d, module.errors) for d, module in self.modules.items() if module)
        loaded = [error for module_errors in errors.values() for error in module_errors]
        return [*loaded, *dict.fromkeys(self.directory_errors)]
