"""Find Terraform roots under the scanned paths and build one cloud model per root."""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyscale_lint.model import (
    CloudModel,
    OutputValue,
    ParseError,
    RegisterCommand,
    SourceSpan,
    Unknown,
)
from anyscale_lint.sources.files import read_text
from anyscale_lint.sources.ignores import find_ignores
from anyscale_lint.sources.register_command import find_register_command, parse_flags
from anyscale_lint.sources.terraform import parser
from anyscale_lint.sources.terraform.builder import build_model, walk
from anyscale_lint.sources.terraform.module import (
    ModuleFiles,
    ModuleInstance,
    constant,
    module_instances,
)
from anyscale_lint.sources.terraform.sensitivity import Sensitivity
from anyscale_lint.sources.terraform.syntax import Body, body_from_json, body_from_tree
from anyscale_lint.sources.terraform.variables import declared_type, root_variables

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

    def load(self, directory: Path) -> ModuleFiles | None:
        """The parsed files of a module directory (cached), or None if it has none."""
        directory = directory.resolve()
        if directory in self.modules:
            return self.modules[directory]
        try:
            paths = sorted(
                p
                for p in directory.iterdir()
                if is_terraform_file(p) and (p.is_file() or p.is_symlink())
            )
        except OSError:
            self.modules[directory] = None
            return None
        if not paths:
            self.modules[directory] = None
            return None
        body = Body()
        files: list[str] = []
        errors: list[ParseError] = []
        for path in paths:
            shown = display_path(path)
            files.append(shown)
            parsed = self._parse(path, shown)
            if isinstance(parsed, ParseError):
                errors.append(parsed)
                continue
            body.attributes.update(parsed.attributes)
            body.blocks.extend(parsed.blocks)
        module = ModuleFiles(directory, files, body, errors)
        self.modules[directory] = module
        return module

    def _parse(self, path: Path, shown: str) -> Body | ParseError:
        text = read_text(path, shown)
        if isinstance(text, ParseError):
            return text
        self.texts[shown] = text
        if path.name.endswith(".json"):
            try:
                document = json.loads(text)
            except json.JSONDecodeError as error:
                return ParseError(
                    shown, error.lineno, f"invalid JSON: {error.msg}", column=error.colno
                )
            if not isinstance(document, dict):
                return ParseError(shown, 1, "a .tf.json file must hold a JSON object")
            return body_from_json(document, text, shown)
        try:
            tree = parser.parse(text)
        except parser.HclSyntaxError as error:
            return ParseError(shown, error.line, error.message, column=error.column)
        return body_from_tree(tree, text, shown)

    # ---- roots ------------------------------------------------------------------------------

    def module_dirs(self, start: Path) -> list[Path]:
        """Directories under `start` that hold Terraform files (no symlink loops)."""
        found: list[Path] = []
        # A directory's (device, inode) finds symlink loops without resolving every path,
        # which costs a system call per path component in large repositories.
        seen: set[tuple[int, int]] = set()
        for current, dirnames, filenames in os.walk(start, followlinks=True):
            try:
                status = Path(current).stat()
            except OSError:
                dirnames[:] = []
                continue
            identity = (status.st_dev, status.st_ino)
            if identity in seen:
                dirnames[:] = []
                continue
            seen.add(identity)
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIPPED_DIRS and not d.startswith(".")
            )
            if any(name.endswith((".tf", ".tf.json")) for name in filenames):
                found.append(Path(current).resolve())
        return found

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
        """Directories that no other scanned directory calls as a local module."""
        called = {target for directory in directories for target in self.local_calls(directory)}
        return [d for d in directories if d not in called]

    # ---- evaluation -------------------------------------------------------------------------

    def evaluate_root(self, directory: Path) -> tuple[CloudModel, list[ParseError]]:
        """The cloud model of one root module, with the errors met on the way."""
        module = self.load(directory)
        model = CloudModel(root=display_path(directory), source_kind="terraform")
        if module is None:
            return model, []
        model.files = list(module.files)
        errors: list[ParseError] = []
        try:
            self._evaluate(module, model, errors)
        except Exception as error:
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            errors.append(
                ParseError(
                    model.root, None, f"internal error while evaluating: {detail}", kind="internal"
                )
            )
        return model, errors

    def _evaluate(self, module: ModuleFiles, model: CloudModel, errors: list[ParseError]) -> None:
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
        settings: dict[str, Any] = {"account_id": self.options.account_id}
        inputs = {name: constant(value) for name, value in values.items()}
        sensitivity = Sensitivity(model.sensitive_values)
        root = ModuleInstance(
            module,
            "",
            inputs,
            self.load,
            self.boundary,
            model.unknown_reasons,
            settings,
            sensitivity=sensitivity,
        )
        # Values given for sensitive variables (tfvars, --var, TF_VAR_*) are sensitive even
        # where they are never read, e.g. quoted in an error about the variable file.
        for name, block in variables.items():
            if name in values and root.declared_sensitive(block):
                sensitivity.register(values[name])
        settings["provider_regions"] = self._provider_regions(root)
        region = settings["region"] = settings["provider_regions"].get("aws")
        model.region = region if isinstance(region, (str, Unknown)) else None
        build_model(root, model)
        self._outputs(root, model)
        self._sensitive(root, variables, model, sensitivity)
        self._ignores(root, model)

    @staticmethod
    def _provider_regions(root: ModuleInstance) -> dict[str, Any]:
        """The region of each aws provider configuration: `aws`, `aws.<alias>`."""
        regions: dict[str, Any] = {}
        for block in root.files.body.blocks_of("provider"):
            attributes = block.body.attributes
            if block.labels != ["aws"] or "region" not in attributes:
                continue
            alias = (
                root.evaluator.evaluate(attributes["alias"].expr) if "alias" in attributes else None
            )
            name = f"aws.{alias}" if isinstance(alias, str) else "aws"
            regions[name] = root.evaluator.evaluate(attributes["region"].expr)
        return regions

    @staticmethod
    def _outputs(root: ModuleInstance, model: CloudModel) -> None:
        """Every output of the root and its module instances, and the register commands."""
        for instance in module_instances(root):
            for name, block in instance.outputs.items():
                attribute = block.body.attributes.get("value")
                if attribute is None:
                    continue
                value = instance.evaluator.evaluate(attribute.expr)
                flag = block.body.attributes.get("sensitive")
                sensitive = flag is not None and instance.evaluator.evaluate(flag.expr) is True
                model.outputs.append(
                    OutputValue(
                        instance.prefix + name,
                        name,
                        value,
                        attribute.expr.source(),
                        block.span,
                        sensitive,
                    )
                )
                command = find_register_command(value) if isinstance(value, str) else None
                if command is not None and instance is root:
                    flags: dict[str, str | Unknown] = dict(parse_flags(command))
                    model.register_commands.append(
                        RegisterCommand(
                            command.strip(), flags, block.span, name, source=f"output {name}"
                        )
                    )

    @staticmethod
    def _sensitive(
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

    def _ignores(self, root: ModuleInstance, model: CloudModel) -> None:
        spans: dict[str, list[tuple[SourceSpan, str]]] = {}
        for item in walk(root):
            block = item.instance.block
            base = item.address.split("[", 1)[0] if item.address.endswith("]") else item.address
            spans.setdefault(block.span.path, []).append((block.span, base))
        for path, blocks in spans.items():
            text = self.texts.get(path)
            if text is not None and "anyscale-lint:ignore" in text:
                model.ignores.extend(find_ignores(text, path, blocks))
        for path in model.files:
            if path not in spans and "anyscale-lint:ignore" in self.texts.get(path, ""):
                model.ignores.extend(find_ignores(self.texts[path], path, []))

    def all_errors(self) -> list[ParseError]:
        """Parse and read errors of every loaded module directory."""
        return [error for module in self.modules.values() if module for error in module.errors]
