"""How each register flag's value is written, for any provider.

Each value is a literal when the code fixes it (a bucket name, a region), else
`$(terraform output -raw NAME)` when a root output holds exactly that value (read after
`terraform apply`), else a marked placeholder with the output to add. A sensitive value is
never a literal: it is read from a root output holding exactly it, else a placeholder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from anyscale_lint.engine.redaction import Redactor
from anyscale_lint.engine.unresolved import unresolved
from anyscale_lint.model import Deployment, Resource, comma_items, is_known, refers_to
from anyscale_lint.providers.registry import provider_table
from anyscale_lint.readiness.model import PlannedValue
from anyscale_lint.readiness.plan_values import literal, same_attributes

# Whether a value (an output's, a flag's) stands for a resource's attribute.
Matcher = Callable[[object], bool]


def _holds(resource: Resource, attribute: str, value_literal: str | None = None) -> Matcher:
    """Whether a value is this attribute of the resource: a reference to it (or to an
    attribute holding the same value), or its literal value."""
    same = same_attributes(resource, attribute)
    return lambda value: (
        refers_to(value, resource.key, same)
        or (value_literal is not None and value == value_literal)
    )


class Planner:
    """The values of one deployment's register flags, and the outputs to add for them."""

    def __init__(self, deployment: Deployment) -> None:
        self.deployment = deployment
        self.model = deployment.model
        self.inputs = provider_table(deployment.provider).by_flag
        self.outputs_to_add: list[str] = []
        command = deployment.register_command
        self.flags = command.flags if command else {}
        self.redactor = Redactor(self.model.sensitive_values)

    def guarded(self, value: PlannedValue) -> PlannedValue:
        """A sensitive literal becomes `$(terraform output -raw NAME)` or a placeholder."""
        if value.source != "literal" or not self.redactor.is_sensitive(value.text):
            return value
        output = next(
            (o.name for o in self.model.outputs if o.in_root and o.value == value.text), None
        )
        if output is not None:
            return replace(
                value,
                text=f"$(terraform output -raw {output})",
                source="output",
                output=output,
                note="sensitive: read from the output after apply",
            )
        spec = self.inputs.get(value.flag)
        placeholder = spec.placeholder if spec else value.flag.upper().replace("-", "_")
        return replace(
            value,
            text=f"<{placeholder}>",
            source="placeholder",
            note="sensitive, so not printed: add a root output holding it (sensitive = true) "
            "and use $(terraform output -raw NAME)",
        )

    def root_output(self, wanted: Sequence[Matcher], joined: bool) -> str | None:
        """A root output whose value is exactly these values (one string, or joined by commas)."""
        for output in self.model.outputs:
            if not output.in_root or output.sensitive:
                continue
            value = output.value
            if isinstance(value, str):
                parts = comma_items(value) if joined else [value]
                if len(parts) == len(wanted) and all(
                    holds(p) for p, holds in zip(parts, wanted, strict=True)
                ):
                    return output.name
        return None

    def suggestion(self, flag: str, resources: Sequence[Resource], attribute: str) -> str:
        """The output block to add so the value can be read after apply; returns its name."""
        name = self.inputs[flag].output_name
        references = [self.module_output(r, attribute) or f"{r.key}.{attribute}" for r in resources]
        listed = self.list_output(resources, attribute) if len(resources) > 1 else None
        if listed is not None:
            references, value = [listed], f'join(",", {listed})'
        elif len(references) == 1:
            value = references[0]
        else:
            value = f'join(",", [{", ".join(references)}])'
        block = f'output "{name}" {{ value = {value} }}'
        hidden = [r for r in references if r.startswith("module.") and r.count(".") > 2]
        if hidden:
            block += (
                f"  # {', '.join(hidden)} is inside a module: expose it as an output of that "
                "module and refer to module.<name>.<output>"
            )
        self.outputs_to_add.append(block)
        return name

    def list_output(self, resources: Sequence[Resource], attribute: str) -> str | None:
        """An expression the root can join: a list output holding exactly these values."""
        wanted = [_holds(r, attribute) for r in resources]
        for output in self.model.outputs:
            value = output.value
            if not isinstance(value, list) or len(value) != len(wanted):
                continue
            if all(holds(v) for v, holds in zip(value, wanted, strict=True)):
                if output.in_root:
                    return output.expression
                if output.address.count("module.") == 1:
                    return output.address
        return None

    def module_output(self, resource: Resource, attribute: str) -> str | None:
        """`module.x.out` when a direct child module's output is exactly the resource's value."""
        holds = _holds(resource, attribute)
        for output in self.model.outputs:
            if output.in_root or output.address.count("module.") != 1:
                continue
            if holds(output.value):
                return output.address
        return None

    def part(self, flag: str, resources: Sequence[Resource]) -> PlannedValue:
        """The value of a flag that names resources (the parts identification found)."""
        spec = self.inputs[flag]
        attribute, placeholder = spec.attribute, spec.placeholder
        addresses = ", ".join(r.address for r in resources)
        literals = [literal(r, attribute, self.deployment) for r in resources]
        if resources and all(literals):
            text = ",".join(v for v in literals if v)
            return PlannedValue(flag, text, "literal", addresses)
        written = self.flags.get(flag)
        if isinstance(written, str) and written and is_known(written):
            # The code's register command gives the value literally (an ARN pasted in).
            return PlannedValue(flag, written, "literal", addresses, note="as the code writes it")
        wanted = [_holds(r, attribute, lit) for r, lit in zip(resources, literals, strict=True)]
        output = self.root_output(wanted, joined=len(resources) > 1) if resources else None
        if output is not None:
            return PlannedValue(
                flag, f"$(terraform output -raw {output})", "output", addresses, output
            )
        if not resources:
            # A part the code declares where it was not read is unknown, not missing.
            reason = unresolved(self.deployment, spec.part)
            note = f"not known: {reason}" if reason else "not found in the code"
            return PlannedValue(flag, f"<{placeholder}>", "placeholder", None, note=note)
        name = self.suggestion(flag, resources, attribute)
        return PlannedValue(
            flag,
            f"<{placeholder}>",
            "placeholder",
            addresses,
            note=f"known after apply; add output {name!r} and use $(terraform output -raw {name})",
        )

    def given(self, flag: str, fallback: object = None, missing: str = "") -> PlannedValue:
        """A value the register command (or the config) fixes: the name, the region."""
        value: object = self.flags.get(flag)
        if value is None:
            value = fallback
        if isinstance(value, str) and value and is_known(value):
            return PlannedValue(flag, value, "literal")
        placeholder = self.inputs[flag].placeholder
        note = missing or "not given in the code"
        return PlannedValue(flag, f"<{placeholder}>", "placeholder", note=note)
