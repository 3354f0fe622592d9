"""Terraform's spelling of values it cannot resolve, and their conversion into the model.

Inside this source a partly known string keeps each unresolved part as an interpolation
marker (`arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/x`), because
Terraform's functions and operators work on text. When the model is complete, `type_model`
turns every such string into a `Partial` of text, `Ref`s (attributes of resources of the
model) and `Unknown`s, so nothing above the sources reads the markers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from anyscale_lint.model import CloudModel, S3Bucket, SourceSpan, Unknown
from anyscale_lint.model.values import Part, Partial, Ref

# IAM policy variables (`${aws:username}`, written `$${aws:username}` in HCL) stay text.
_POLICY_VARIABLE = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9_/.*?-]+")
# A bucket's ARN spelled from its generated name (`arn:aws:s3:::${aws_s3_bucket.b.id}`).
_BUCKET_ARN = re.compile(r"arn:aws:s3:::\$\{([^${}]+)\.(?:id|bucket)\}")


@dataclass(frozen=True)
class MarkerMatch:
    """One marker in a string, with the part of `re.Match`'s interface the callers use."""

    text: str
    begin: int
    finish: int

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, number: int = 0) -> str:
        """0: the marker; 1: the expression inside it."""
        return (
            self.text[self.begin : self.finish]
            if number == 0
            else self.text[self.begin + 2 : self.finish - 1]
        )


def _closing(text: str, start: int) -> int:
    """The index of the `}` closing the marker whose expression starts at `start`, or -1.
    An expression may hold braces (`[for x in y : { k = x }]`) and quoted strings."""
    depth, index, quoted = 0, start, False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    return -1


class _Markers:
    """Finds the markers in a string: a scanner, since expressions nest braces and colons."""

    def finditer(self, text: str) -> Iterator[MarkerMatch]:
        begin = text.find("${")
        while begin >= 0:
            close = _closing(text, begin + 2)
            if close < 0:
                return
            inner = text[begin + 2 : close]
            if inner.strip() and not _POLICY_VARIABLE.fullmatch(inner):
                yield MarkerMatch(text, begin, close + 1)
                begin = text.find("${", close + 1)
            else:
                begin = text.find("${", begin + 2)

    def findall(self, text: str) -> list[str]:
        return [found.group(1) for found in self.finditer(text)]

    def search(self, text: str) -> MarkerMatch | None:
        return next(self.finditer(text), None)

    def split(self, text: str) -> list[str]:
        """Known text and expressions, alternating (as `re.split` with one group)."""
        pieces: list[str] = []
        position = 0
        for found in self.finditer(text):
            pieces += [text[position : found.start()], found.group(1)]
            position = found.end()
        return [*pieces, text[position:]]


MARKER = _Markers()


def marker(expression: str) -> str:
    """The marker standing for an unresolved expression inside a string."""
    return f"${{{expression}}}"


def unknown(expression: str, reason: str) -> Unknown:
    """An Unknown that messages spell as Terraform does."""
    return Unknown(expression, reason, marker(expression))


def unknown_parts(value: object) -> list[str]:
    """The unresolved references inside an evaluated value (an Unknown or marked text)."""
    if isinstance(value, Unknown):
        return [value.expression]
    if isinstance(value, str):
        return MARKER.findall(value)
    if isinstance(value, (list, tuple)):
        return [part for item in value for part in unknown_parts(item)]
    return []


def is_known(value: Any) -> bool:
    """True when an evaluated value (recursively) holds no Unknown and no marker."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, str):
        return MARKER.search(value) is None
    if isinstance(value, (list, tuple)):
        return all(is_known(item) for item in value)
    if isinstance(value, dict):
        return all(is_known(item) for item in value.values())
    return True


class _Typer:
    """Converts marked strings of one model into `Partial`s."""

    def __init__(self, model: CloudModel) -> None:
        self.model = model
        self.memo: dict[str, Partial] = {}

    def part(self, expression: str) -> Part:
        target, _, attribute = expression.rpartition(".")
        if target in self.model.resources and attribute.isidentifier():
            return Ref(target, attribute)
        reason = self.model.unknown_reasons.get(expression, "not known statically")
        return unknown(expression, reason)

    def text(self, value: str) -> str:
        if isinstance(value, Partial) or "${" not in value:
            return value
        found = self.memo.get(value)
        if found is None:
            pieces = MARKER.split(self._bucket_arns(value))
            # split() alternates known text and the expressions between the markers.
            parts = [p if n % 2 == 0 else self.part(p) for n, p in enumerate(pieces)]
            found = self.memo[value] = Partial(parts, value)
        return found

    def _bucket_arns(self, value: str) -> str:
        """The text with each ARN built from a bucket's generated name spelled as that bucket's
        ARN (`${aws_s3_bucket.b.arn}`, as the bucket's own ARN is), so that a policy naming
        `arn:aws:s3:::${aws_s3_bucket.b.id}/*` is known to name that bucket's objects."""

        def canonical(found: re.Match[str]) -> str:
            target = found.group(1)
            if isinstance(self.model.resources.get(target), S3Bucket):
                return marker(f"{target}.arn")
            return found.group(0)

        return _BUCKET_ARN.sub(canonical, value)

    def value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (Unknown, SourceSpan, int, float, bool)) or value is None:
            return value
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, tuple):
            return tuple(self.value(item) for item in value)
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self.dataclass(value)
        return value

    def dataclass(self, value: Any) -> Any:
        changes = {}
        for each in dataclasses.fields(value):
            if each.name in _SOURCE_TEXT or not each.init:
                continue
            old = getattr(value, each.name)
            new = self.value(old)
            if new is not old:
                changes[each.name] = new
        if not changes:
            return value
        if type(value).__dataclass_params__.frozen:
            return dataclasses.replace(value, **changes)
        for name, new in changes.items():
            setattr(value, name, new)
        return value


# Fields holding source text or identities rather than evaluated values.
_SOURCE_TEXT = frozenset({"expression", "key", "address", "origin", "root", "files", "notes"})


def type_model(model: CloudModel) -> None:
    """Replace every marked string of the model's values by a `Partial`."""
    typer = _Typer(model)
    for key, resource in list(model.resources.items()):
        model.resources[key] = typer.value(resource)
    model.unplaced_routes = typer.value(model.unplaced_routes)
    model.register_commands = typer.value(model.register_commands)
    model.outputs = typer.value(model.outputs)
    model.region = typer.value(model.region)
