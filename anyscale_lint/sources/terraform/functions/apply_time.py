"""Functions whose value exists only when Terraform applies: timestamp, uuid."""

from __future__ import annotations

from typing import Any

from anyscale_lint.sources.terraform.functions.base import function


@function("timestamp")
def _timestamp(ev: Any) -> Any:
    return ev.unknown("timestamp()", "the time of apply")


@function("uuid")
def _uuid(ev: Any) -> Any:
    return ev.unknown("uuid()", "a random value chosen at apply")
