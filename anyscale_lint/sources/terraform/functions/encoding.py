"""Encoding functions: jsonencode, jsondecode, yamldecode, base64encode, base64decode."""

from __future__ import annotations

import base64
import datetime
import json
import math
from typing import Any

from anyscale_lint import jsontext
from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.evaluator import MAX_COLLECTION
from anyscale_lint.sources.terraform.functions.base import as_text, function
from anyscale_lint.sources.terraform.operators import number_text


def json_string(text: str) -> str:
    # Go's encoder escapes these for HTML safety, and Terraform keeps that for compatibility.
    quoted = json.dumps(text, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        quoted = quoted.replace(char, escape)
    return quoted.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def encode_json(value: Any) -> str:
    """jsonencode: compact, sorted object keys, and <, >, &, U+2028, U+2029 escaped."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise EvalError("infinity cannot be written as JSON")
        return number_text(value)
    if isinstance(value, str):
        return json_string(value)
    if isinstance(value, Unknown):
        return json_string(str(value))
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode_json(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=str)
        return "{" + ",".join(f"{json_string(str(k))}:{encode_json(value[k])}" for k in keys) + "}"
    raise EvalError(f"cannot encode a {type(value).__name__} as JSON")


@function("jsonencode", partial=True)
def _jsonencode(ev: Any, value: Any) -> Any:
    return encode_json(value)


@function("jsondecode")
def _jsondecode(ev: Any, text: Any) -> Any:
    try:
        return jsontext.loads(as_text(text))
    except jsontext.JsonInputError as error:
        where = f" at line {error.line} column {error.column}" if error.column else ""
        raise EvalError(f"{error.message}{where}") from None


def _rfc3339(moment: datetime.date) -> str:
    # Go's time.RFC3339: whole seconds, "Z" for UTC; dates alone are midnight UTC.
    if not isinstance(moment, datetime.datetime):
        return f"{moment.isoformat()}T00:00:00Z"
    offset = moment.utcoffset()
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if not offset:
        return text + "Z"
    zone = moment.strftime("%z")
    return f"{text}{zone[:3]}:{zone[3:]}"


def _from_yaml(value: Any, ancestors: tuple[int, ...], budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise EvalError(f"YAML with more than {MAX_COLLECTION * 10} values (aliases expanded)")
    if isinstance(value, (list, dict)):
        if id(value) in ancestors:
            raise EvalError("an alias refers to an anchor from inside its own definition")
        inner = (*ancestors, id(value))
        if isinstance(value, list):
            return [_from_yaml(item, inner, budget) for item in value]
        return {as_text(key): _from_yaml(item, inner, budget) for key, item in value.items()}
    if isinstance(value, datetime.date):
        return _rfc3339(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, float) and math.isnan(value):
        raise EvalError("YAML NaN is not supported")
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise EvalError(f"unsupported YAML value of type {type(value).__name__}")


@function("yamldecode")
def _yamldecode(ev: Any, text: Any) -> Any:
    import yaml  # rare in deployment code; keep it off the start-up path

    try:
        loaded = yaml.safe_load(as_text(text))
    except yaml.YAMLError as error:
        raise EvalError(f"invalid YAML: {error}") from None
    return _from_yaml(loaded, (), [MAX_COLLECTION * 10])


@function("base64encode")
def _base64encode(ev: Any, text: Any) -> Any:
    return base64.b64encode(as_text(text).encode()).decode()


@function("base64decode")
def _base64decode(ev: Any, text: Any) -> Any:
    try:
        return base64.b64decode(as_text(text), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise EvalError(f"invalid base64: {error}") from None
