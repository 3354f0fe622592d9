"""What the values of `anyscale cloud register` flags name in a model.

A value may be written as a literal (an ID, a name, an ARN, `s3://bucket`), as a reference to
an attribute known only after apply (a `Partial` holding a `Ref`), or, in a hand-written
command, as `$(terraform output -raw NAME)`, which reads a root output of the same model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from anyscale_lint.iam.roles import names_role
from anyscale_lint.model import (
    CloudModel,
    IamRole,
    Partial,
    RegisterCommand,
    Resource,
    S3Bucket,
    Unknown,
    comma_items,
    is_known,
    refers_to,
)
from anyscale_lint.providers.aws import RESOURCE_INPUTS

_OUTPUT_CALL = re.compile(
    r"^\$\(\s*terraform\s+(?:-chdir=\S+\s+)?output\s+(?:-(?:raw|json|no-color)\s+)*"
    r"(?P<name>[A-Za-z_][A-Za-z0-9_-]*)\s*\)$"
)
# Prefixes of IDs AWS assigns at creation: such a literal cannot be matched to code before apply.
_AWS_ID = re.compile(r"^(vpc|subnet|sg|fs)-[0-9a-f]{8,17}$")


def bucket_matches(bucket: S3Bucket, value: str) -> bool:
    """Whether a register flag value (`s3://b`, `b`, ARN, reference) names this bucket."""
    if refers_to(value, bucket.key, ("id", "bucket", "arn")):
        return True
    candidates: set[object] = {bucket.key, bucket.arn}
    if isinstance(bucket.name, str):
        candidates.add(bucket.name)
    if value in candidates:
        return True
    return not isinstance(value, Partial) and (
        value.removeprefix("s3://").removeprefix("arn:aws:s3:::") in candidates
    )


def resource_matches(resource: Resource, value: str) -> bool:
    """Whether a flag value names this resource (ID reference, ARN or name)."""
    if refers_to(value, resource.key, ("id", "arn")):
        return True
    candidates = {resource.key}
    if isinstance(resource.name, str):
        candidates.add(resource.name)
    return (value if isinstance(value, Partial) else value.strip()) in candidates


@dataclass(frozen=True)
class FlagKind:
    """A register flag that names resources: which class, how values match, one or many."""

    flag: str
    part: str
    cls: type[Resource]
    matches: Callable[[Resource, str], bool]
    many: bool = False


def _role(resource: Resource, value: str) -> bool:
    return isinstance(resource, IamRole) and names_role(value, resource)


def _bucket(resource: Resource, value: str) -> bool:
    return isinstance(resource, S3Bucket) and bucket_matches(resource, value)


def matcher(cls: type[Resource]) -> Callable[[Resource, str], bool]:
    """How a flag value is matched to a resource of this class."""
    if cls is IamRole:
        return _role
    if cls is S3Bucket:
        return _bucket
    return resource_matches


RESOURCE_FLAGS = tuple(
    FlagKind(spec.flag, spec.label, spec.cls, matcher(spec.cls), many=spec.many)
    for spec in RESOURCE_INPUTS
    if spec.cls is not None
)


@dataclass(frozen=True)
class FlagValue:
    """A flag's value as written and what it stands for in the model."""

    written: str
    # After reading `$(terraform output ...)`: a string, a list, an Unknown or None.
    value: object
    output: str | None = None
    # Why the value could not be read (an output that is not declared, ...).
    problem: str | None = None


def read_value(model: CloudModel, written: str | Unknown) -> FlagValue:
    """The value a flag stands for, reading `$(terraform output NAME)` from the root outputs."""
    if isinstance(written, Unknown):
        return FlagValue(str(written), written)
    match = _OUTPUT_CALL.match(written.strip())
    if match is None:
        return FlagValue(written, written)
    name = match.group("name")
    output = next((o for o in model.outputs if o.in_root and o.name == name), None)
    if output is None:
        declared = ", ".join(sorted(o.name for o in model.outputs if o.in_root)) or "none"
        return FlagValue(
            written, None, name, f"the root declares no output {name!r} (outputs: {declared})"
        )
    return FlagValue(written, output.value, name)


def items(value: object) -> list[str]:
    """The IDs a value holds: list items, or the parts of a comma-separated string.

    An unresolved part is one item, whatever commas its spelling holds: a join over a module's
    subnet list is some number of IDs, not three pieces (see `comma_items`).
    """
    if isinstance(value, (list, tuple)):
        return [item if isinstance(item, str) else str(item) for item in value]
    if isinstance(value, str):
        return comma_items(value)
    return []


def matching(model: CloudModel, cls: type[Resource], value: str) -> list[Resource]:
    """Resources of the model of this class that the value names."""
    kind = next(k for k in RESOURCE_FLAGS if k.cls is cls)
    return [r for r in model.of_kind(cls) if kind.matches(r, value)]


def anything_matching(model: CloudModel, value: str) -> list[Resource]:
    """Resources of any register-relevant class that the value names."""
    found: list[Resource] = []
    for kind in RESOURCE_FLAGS:
        found += [r for r in model.of_kind(kind.cls) if kind.matches(r, value) and r not in found]
    return found


def partly_known_match(model: CloudModel, cls: type[Resource], value: str) -> Resource | None:
    """A resource of this class whose name or ARN is only partly known (a part read from the
    cloud, a variable without a value) and could be the literal `value`."""
    text = value.removeprefix("s3://")
    for resource in model.of_kind(cls):
        for candidate in (resource.name, getattr(resource, "arn", None)):
            if isinstance(candidate, Partial) and candidate.pattern().fullmatch(text):
                return resource
    return None


def assigned_at_apply(value: str) -> bool:
    """Whether a literal is an ID AWS assigns on creation (cannot match code before apply)."""
    return bool(_AWS_ID.match(value)) or not is_known(value)


def named_count(model: CloudModel, command: RegisterCommand) -> int:
    """How many of a command's resource values name something in the model."""
    count = 0
    for kind in RESOURCE_FLAGS:
        written = command.flags.get(kind.flag)
        if written is None:
            continue
        read = read_value(model, written)
        count += sum(1 for item in items(read.value) if anything_matching(model, item))
    return count
