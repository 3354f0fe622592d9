"""Terraform modules as Terraform sees them: variables, locals, resources, data, calls, outputs.

A `ModuleInstance` resolves every top-level name an expression can use, lazily and with
cycle detection, and creates child instances for local module calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from anyscale_lint.model import COMPUTED, ParseError, Unknown, UnreadModule
from anyscale_lint.sources.terraform import data_sources, official
from anyscale_lint.sources.terraform.budget import MAX_INSTANCES, Budget
from anyscale_lint.sources.terraform.downloaded import downloaded_copy
from anyscale_lint.sources.terraform.evaluation import EvalError, UndeclaredError
from anyscale_lint.sources.terraform.evaluator import Evaluator
from anyscale_lint.sources.terraform.functions import FUNCTIONS
from anyscale_lint.sources.terraform.markers import is_known, unknown
from anyscale_lint.sources.terraform.namespaces import (
    ModuleOutputs,
    ResourceObject,
    Table,
    UncountedResource,
)
from anyscale_lint.sources.terraform.numeric import whole_count
from anyscale_lint.sources.terraform.operators import to_number
from anyscale_lint.sources.terraform.sensitivity import Sensitivity
from anyscale_lint.sources.terraform.syntax import Attribute, Block, Body


def constant(value: Any) -> Callable[[], Any]:
    """A module input whose value is already known (root variables)."""
    return lambda: value


@dataclass
class ModuleFiles:
    """The parsed files of one module directory."""

    directory: Path
    files: list[str]
    body: Body
    errors: list[ParseError] = field(default_factory=list)


@dataclass(frozen=True)
class Instance:
    """One instance of a resource, data source or module call (count/for_each expanded)."""

    address: str
    block: Block
    variables: dict[str, Any]


class ModuleInstance:
    """One instance of a module, with its inputs."""

    def __init__(
        self,
        files: ModuleFiles,
        prefix: str,
        inputs: dict[str, Callable[[], Any]],
        loader: Callable[[Path], ModuleFiles | None],
        boundary: Path,
        reasons: dict[str, str],
        settings: dict[str, Any],
        depth: int = 0,
        budget: Budget | None = None,
        callers: tuple[Path, ...] = (),
        sensitivity: Sensitivity | None = None,
    ) -> None:
        self.files = files
        self.prefix = prefix
        self.inputs = inputs
        self.loader = loader
        self.settings = settings
        self.depth = depth
        self.budget = budget or Budget()
        # The directories of the module calls that led here, the root first (cycle detection).
        self.callers = (*callers, files.directory.resolve())
        self.evaluator = Evaluator(
            self.resolve, reasons, FUNCTIONS, settings.setdefault("problems", []), self.budget
        )
        self.evaluator.module_dir = files.directory  # type: ignore[attr-defined]
        self.evaluator.boundary = boundary  # type: ignore[attr-defined]
        # Terraform runs in the root module's directory: path.root and path.cwd are it.
        self.root_dir: Path = settings.get("root_dir") or boundary
        self.evaluator.cwd = self.root_dir  # type: ignore[attr-defined]
        self.evaluator.sensitivity = sensitivity
        self.sensitivity = sensitivity
        self.boundary = boundary
        body = files.body
        self.variables = {b.labels[0]: b for b in body.blocks_of("variable") if b.labels}
        self.locals: dict[str, Attribute] = {}
        for block in body.blocks_of("locals"):
            self.locals.update(block.body.attributes)
        self.resources = {
            (b.labels[0], b.labels[1]): b for b in body.blocks_of("resource") if len(b.labels) == 2
        }
        self.data = {
            (b.labels[0], b.labels[1]): b for b in body.blocks_of("data") if len(b.labels) == 2
        }
        self.calls = {b.labels[0]: b for b in body.blocks_of("module") if b.labels}
        self.outputs = {b.labels[0]: b for b in body.blocks_of("output") if b.labels}
        self._local_values: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._children: dict[str, list[tuple[str, ModuleInstance | Unknown]]] = {}
        self.resource_types = {kind for kind, _ in self.resources}

    # ---- names ----------------------------------------------------------------------------

    def resolve(self, name: str) -> Any:
        """The value of a top-level name in this module."""
        if name == "var":
            return Table(self.prefix + "var", self.variable)
        if name == "local":
            return Table(self.prefix + "local", self.local)
        if name == "module":
            return Table(self.prefix + "module", self.module_value)
        if name == "data":
            return Table(
                self.prefix + "data",
                lambda kind: Table(f"{self.prefix}data.{kind}", lambda n: self.data_value(kind, n)),
            )
        if name == "path":
            return {
                "module": str(self.files.directory),
                "root": str(self.root_dir),
                "cwd": str(self.root_dir),
            }
        if name == "terraform":
            return {"workspace": "default"}
        if name in self.resource_types:
            return Table(self.prefix + name, lambda n: self.resource_value(name, n))
        if name in ("count", "each", "self"):
            raise EvalError(f"{name} is not available here")
        raise UndeclaredError(f"{name!r} is not declared in this module")

    def variable(self, name: str) -> Any:
        """The value of `var.name`: input, else default, else Unknown naming the variable."""
        block = self.variables.get(name)
        if block is None:
            raise UndeclaredError(f"variable {name!r} is not declared")
        supplier = self.inputs.get(name)
        if supplier is not None:
            return self._read(block, supplier())
        default = block.body.attributes.get("default")
        if default is not None:
            return self._read(block, self.evaluator.evaluate(default.expr))
        label = f"var.{name}" if not self.prefix else f"{self.prefix}var.{name}"
        where = (
            f"in a .tfvars file, TF_VAR_{name} or --var {name}=VALUE"
            if not self.prefix
            else "by the module call"
        )
        return self.evaluator.unknown(label, f"variable {name} has no value: set it {where}")

    def _read(self, block: Block, value: Any) -> Any:
        """A variable's or output's value, registered when the block says it is sensitive."""
        if self.sensitivity is not None and self.declared_sensitive(block):
            self.sensitivity.register(value)
        return value

    def declared_sensitive(self, block: Block) -> bool:
        """Whether a variable or output block says `sensitive = true`."""
        flag = block.body.attributes.get("sensitive")
        return flag is not None and self.evaluator.evaluate(flag.expr) is True

    def local(self, name: str) -> Any:
        """The value of `local.name`, with cycle detection."""
        if name in self._local_values:
            return self._local_values[name]
        attribute = self.locals.get(name)
        if attribute is None:
            raise UndeclaredError(f"local {name!r} is not declared")
        if name in self._evaluating:
            return self.evaluator.unknown(f"local.{name}", "locals refer to each other in a cycle")
        self._evaluating.add(name)
        try:
            value = self.evaluator.evaluate(attribute.expr)
        finally:
            self._evaluating.discard(name)
        self._local_values[name] = value
        return value

    # ---- resources and data ---------------------------------------------------------------

    def instances(self, block: Block, base: str) -> list[Instance]:
        """The instances of a resource, data source or module block (count / for_each)."""
        attributes = block.body.attributes
        if "count" in attributes:
            count = self._count(attributes["count"])
            if isinstance(count, Unknown):
                index = self.evaluator.unknown(f"{base}.count", count.reason)
                return [Instance(base, block, {"count": {"index": index}})]
            return [
                Instance(f"{base}[{i}]", block, {"count": {"index": i}})
                for i in range(min(count, 1000))
            ]
        if "for_each" in attributes:
            collection = self.evaluator.evaluate(attributes["for_each"].expr)
            if isinstance(collection, dict):
                items = list(collection.items())
            elif isinstance(collection, list) and is_known(collection):
                items = [(str(item), item) for item in collection]
            else:
                reason = (
                    collection.reason
                    if isinstance(collection, Unknown)
                    else "for_each is not a known map or set"
                )
                each = self.evaluator.unknown(f"{base}.for_each", reason)
                return [Instance(base, block, {"each": {"key": each, "value": each}})]
            return [
                Instance(f'{base}["{key}"]', block, {"each": {"key": key, "value": value}})
                for key, value in items
            ]
        return [Instance(base, block, {})]

    def _count(self, attribute: Attribute) -> int | Unknown:
        """A block's `count`: a whole number from 0, else Unknown (and Terraform's error)."""
        count = self.evaluator.evaluate(attribute.expr)
        if isinstance(count, Unknown):
            return count
        try:
            if isinstance(count, bool) or not isinstance(count, (int, float, str)):
                raise EvalError("a number is required")
            return whole_count(to_number(count))
        except EvalError as error:
            message = (
                f'Invalid count argument: the given "count" argument value is unsuitable: {error}'
            )
            self.evaluator.invalid(attribute.expr, message)
            return unknown(attribute.expr.source(), message)

    def resource_instances(self) -> Iterator[tuple[str, str, Instance]]:
        """Every resource instance of this module: (type, name, instance)."""
        for (kind, name), block in self.resources.items():
            for instance in self.instances(block, f"{self.prefix}{kind}.{name}"):
                yield kind, name, instance

    def resource_value(self, kind: str, name: str) -> Any:
        """The value of `kind.name`: an object, or a list/map of them with count/for_each."""
        block = self.resources.get((kind, name))
        if block is None:
            raise UndeclaredError(f"resource {kind}.{name} is not declared")
        return self._collection(
            block, f"{self.prefix}{kind}.{name}", lambda i: ResourceObject(self, kind, i)
        )

    def data_value(self, kind: str, name: str) -> Any:
        """The value of `data.kind.name`."""
        block = self.data.get((kind, name))
        if block is None:
            raise UndeclaredError(f"data source {kind}.{name} is not declared")
        base = f"{self.prefix}data.{kind}.{name}"
        return self._collection(block, base, lambda i: data_sources.make(self, kind, i))

    def _collection(self, block: Block, base: str, make: Callable[[Instance], Any]) -> Any:
        instances = self.instances(block, base)
        attributes = block.body.attributes
        if "count" not in attributes and "for_each" not in attributes:
            return make(instances[0])
        if len(instances) == 1 and instances[0].address == base:
            # count/for_each is not known: the one symbolic instance stands for all.
            return UncountedResource(base, instances[0], make)
        if "count" in attributes:
            return [make(instance) for instance in instances]  # `count = 0` gives []
        return {instance.variables["each"]["key"]: make(instance) for instance in instances}

    def attribute(self, instance: Instance, name: str) -> Any:
        """Evaluate one attribute of an instance's block (None when not set)."""
        attribute = instance.block.body.attributes.get(name)
        if attribute is None:
            return None
        return self.evaluator.evaluate(attribute.expr, instance.variables)

    def computed(self, address: str, name: str) -> str:
        """A marker for an attribute only the provider knows."""
        marker = f"{address}.{name}"
        self.evaluator.reasons.setdefault(marker, COMPUTED)
        return f"${{{marker}}}"

    # ---- module calls ---------------------------------------------------------------------

    def children(self, name: str) -> list[tuple[str, ModuleInstance | Unknown]]:
        """The instances of module call `name` (an Unknown for modules that are not read)."""
        if name in self._children:
            return self._children[name]
        block = self.calls[name]
        base = f"{self.prefix}module.{name}"
        result: list[tuple[str, ModuleInstance | Unknown]] = []
        self._children[name] = result
        source = (
            self.evaluator.evaluate(block.body.attributes["source"].expr)
            if "source" in block.body.attributes
            else None
        )
        for instance in self.instances(block, base):
            result.append((instance.address, self._child(instance, source)))
        return result

    def _child(self, instance: Instance, source: Any) -> ModuleInstance | Unknown:
        address = instance.address
        local = isinstance(source, str) and source.startswith(("./", "../"))
        directory = (self.files.directory / source).resolve() if local else None
        description = None
        if directory is None:
            # A registry or git source: the copy `terraform init` downloaded, if there is one,
            # else this project's description of an official Anyscale module.
            directory, why = downloaded_copy(self.root_dir, address, self.settings)
            if directory is None:
                version = instance.block.body.attributes.get("version")
                description = official.described(
                    source, self.evaluator.evaluate(version.expr) if version else None
                )
                if description is None:
                    return self._unread(instance, source, why)
                directory = description.directory
        if self.depth > 20:
            return unknown(address, "modules nested more than 20 deep")
        if directory in self.callers:
            cycle = (*self.callers[self.callers.index(directory) :], directory)
            return self._call_error(
                instance, "module cycle: " + " -> ".join(map(self._shown, cycle))
            )
        self.budget.instances += 1
        if self.budget.instances > MAX_INSTANCES:
            return self._call_error(
                instance, f"more than {MAX_INSTANCES:,} module instances in this root; not expanded"
            )
        files = self.loader(directory)
        if files is None:
            return self._unread(instance, source, "its directory holds no Terraform files")
        reserved = {"source", "version", "count", "for_each", "providers", "depends_on"}
        if description is not None:
            given = set(instance.block.body.attributes) - reserved
            located, notice = description.for_call(files.body, instance.block.span, given)
            files = ModuleFiles(files.directory, files.files, located)
            notice = f"{instance.block.span}: {address} ({source}) {notice}"
            # The calls a description makes (the root module's submodules) are its own: the
            # user's call is named once, in the notice of the description it resolved to.
            inside = official.is_description(self.files.directory.resolve())
            if not inside and notice not in self.budget.notices:
                self.budget.notices.append(notice)
        inputs: dict[str, Callable[[], Any]] = {
            key: partial(self.evaluator.evaluate, attribute.expr, instance.variables)
            for key, attribute in instance.block.body.attributes.items()
            if key not in reserved
        }
        return ModuleInstance(
            files,
            address + ".",
            inputs,
            self.loader,
            self.boundary,
            self.evaluator.reasons,
            self.settings,
            self.depth + 1,
            self.budget,
            self.callers,
            self.sensitivity,
        )

    def _unread(self, instance: Instance, source: Any, why: str) -> Unknown:
        """A module call that is not read: recorded for the notice, its outputs unknown."""
        inputs = " ".join(
            attribute.expr.source()
            for key, attribute in instance.block.body.attributes.items()
            if key not in ("source", "version")
        )
        receives = tuple(
            f"{self.prefix}{kind}.{name}"
            for kind, name in self.resources
            if re.search(rf"(?<![\w.]){re.escape(kind)}\.{re.escape(name)}\b", inputs)
        )
        call = UnreadModule(instance.address, str(source), instance.block.span, why, receives)
        self.settings.setdefault("unread_modules", []).append(call)
        return unknown(instance.address, f"{call.describe()} was not read: {why}")

    def _call_error(self, instance: Instance, message: str) -> Unknown:
        """A module call Terraform would reject or the budget refuses: located, not expanded."""
        # An input error (CORE-001, exit 3), not a notice: the calls it leaves out may hold
        # resources that are then never checked, so the result is incomplete.
        span = instance.block.span
        error = ParseError(span.path, span.start_line, message)
        if error not in self.budget.errors:
            self.budget.errors.append(error)
        return unknown(instance.address, message)

    @staticmethod
    def _shown(directory: Path) -> str:
        """A module directory as locations show paths: relative to the working directory when
        under it, else absolute."""
        try:
            return str(directory.relative_to(Path.cwd().resolve())) or "."
        except ValueError:
            return str(directory)

    def module_value(self, name: str) -> Any:
        """The value of `module.name`: its outputs (a list or map of them with count/for_each)."""
        if name not in self.calls:
            raise UndeclaredError(f"module {name!r} is not declared")
        children = self.children(name)
        values = [
            (address, ModuleOutputs(address, child, self.evaluator.unknown))
            for address, child in children
        ]
        attributes = self.calls[name].body.attributes
        expanded = not values or values[0][0].endswith("]")
        if "count" in attributes and expanded:
            return [value for _, value in values]
        if "for_each" in attributes and expanded:
            return {address.rsplit('["', 1)[1][:-2]: value for address, value in values}
        return values[0][1]

    def output(self, name: str) -> Any:
        """The value of one of this module's outputs."""
        block = self.outputs.get(name)
        if block is None or "value" not in block.body.attributes:
            raise UndeclaredError(f"output {name!r} is not declared")
        return self._read(block, self.evaluator.evaluate(block.body.attributes["value"].expr))


def module_instances(root: ModuleInstance) -> Iterator[ModuleInstance]:
    """The root and every local module instance below it, depth first."""
    yield root
    for name in root.calls:
        for _, child in root.children(name):
            if isinstance(child, ModuleInstance):
                yield from module_instances(child)
