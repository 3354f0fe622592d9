"""Terraform's built-in functions, as documented, for static evaluation.

Each function takes the evaluator (for Unknown bookkeeping and file access) and its evaluated
arguments. A whole-Unknown argument makes most results Unknown; strings with `${...}`
markers pass through the string-building functions so partly known values keep their parts.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anyscale_lint.model import Unknown, is_known
from anyscale_lint.sources.terraform.evaluator import MAX_COLLECTION, EvalError, _number_text

Function = Callable[[Any, list[Any]], Any]
FUNCTIONS: dict[str, Function] = {}


def function(
    name: str, *, partial: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function; unless `partial`, any not-fully-known argument gives Unknown."""

    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        def call(evaluator: Any, arguments: list[Any]) -> Any:
            check = _not_wholly_unknown if partial else is_known
            for argument in arguments:
                if not check(argument):
                    reason = (
                        argument.reason
                        if isinstance(argument, Unknown)
                        else "an argument is known only after apply"
                    )
                    shown = ", ".join(_show(a) for a in arguments)
                    return evaluator.unknown(f"{name}({shown})", reason)
            return implementation(evaluator, *arguments)

        FUNCTIONS[name] = call
        return implementation

    return register


def _not_wholly_unknown(value: Any) -> bool:
    return not isinstance(value, Unknown)


def _show(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.expression
    text = json.dumps(value, default=str)
    return text if len(text) < 60 else text[:57] + "..."


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, str):
        return value
    raise EvalError(f"expected a string, got {type(value).__name__}")


def _list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    raise EvalError(f"expected a list, got {type(value).__name__}")


def _map(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise EvalError(f"expected a map, got {type(value).__name__}")


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise EvalError("expected a number")
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    raise EvalError(f"expected a whole number, got {value!r}")


# ---- encoding -------------------------------------------------------------------------------


def encode_json(value: Any) -> str:
    """jsonencode: compact, sorted object keys, and <, >, & escaped as Terraform does."""

    def plain(item: Any) -> Any:
        if isinstance(item, Unknown):
            return str(item)
        if isinstance(item, dict):
            return {key: plain(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [plain(inner) for inner in item]
        if isinstance(item, float) and item.is_integer():
            return int(item)
        return item

    text = json.dumps(plain(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@function("jsonencode", partial=True)
def _jsonencode(ev: Any, value: Any) -> Any:
    return encode_json(value)


@function("jsondecode")
def _jsondecode(ev: Any, text: Any) -> Any:
    try:
        return json.loads(_text(text))
    except json.JSONDecodeError as error:
        raise EvalError(f"invalid JSON: {error}") from None


@function("yamldecode")
def _yamldecode(ev: Any, text: Any) -> Any:
    import yaml  # rare in deployment code; keep it off the start-up path

    try:
        return yaml.safe_load(_text(text))
    except yaml.YAMLError as error:
        raise EvalError(f"invalid YAML: {error}") from None


@function("base64encode")
def _base64encode(ev: Any, text: Any) -> Any:
    return base64.b64encode(_text(text).encode()).decode()


@function("base64decode")
def _base64decode(ev: Any, text: Any) -> Any:
    try:
        return base64.b64decode(_text(text), validate=True).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise EvalError(f"invalid base64: {error}") from None


# ---- strings --------------------------------------------------------------------------------

_FORMAT = re.compile(r"%(%|[-+ #0]*\d*(?:\.\d+)?[sdfqvtbeEgGxXo])")


@function("format", partial=True)
def _format(ev: Any, spec: Any, *arguments: Any) -> Any:
    remaining = list(arguments)

    def replace(match: re.Match[str]) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        if not remaining:
            raise EvalError("not enough arguments for format")
        value = remaining.pop(0)
        kind = verb[-1]
        if kind in "sv" and isinstance(value, str):
            return value
        if kind == "q":
            return json.dumps(_text(value))
        if kind == "d":
            return ("%" + verb).replace("v", "d") % _int(value)
        if kind in "feEgG":
            return ("%" + verb) % float(value)
        if kind in "xXob":
            return format(_int(value), kind.replace("b", "b"))
        if kind == "t":
            return "true" if value else "false"
        return _text(value) if not isinstance(value, (list, dict)) else encode_json(value)

    return _FORMAT.sub(replace, _text(spec))


@function("join", partial=True)
def _join(ev: Any, separator: Any, *lists: Any) -> Any:
    items = [item for values in lists for item in _list(values)]
    if any(isinstance(item, Unknown) for item in items):
        return ev.unknown(f"join({_show(separator)}, ...)", "an element is not known")
    return _text(separator).join(_text(item) for item in items)


@function("split", partial=True)
def _split(ev: Any, separator: Any, text: Any) -> Any:
    return _text(text).split(_text(separator)) if _text(text) else [""]


@function("replace")
def _replace(ev: Any, text: Any, search: Any, replacement: Any) -> Any:
    search_text = _text(search)
    if len(search_text) > 1 and search_text.startswith("/") and search_text.endswith("/"):
        pattern = re.compile(search_text[1:-1])
        return pattern.sub(re.sub(r"\$\{?(\w+)\}?", r"\\g<\1>", _text(replacement)), _text(text))
    return _text(text).replace(search_text, _text(replacement))


for _name, _op in {
    "lower": str.lower,
    "upper": str.upper,
    "trimspace": str.strip,
}.items():
    function(_name)(lambda ev, text, _op=_op: _op(_text(text)))


@function("title")
def _title(ev: Any, text: Any) -> Any:
    return re.sub(r"\b\w", lambda m: m.group(0).upper(), _text(text))


@function("trim")
def _trim(ev: Any, text: Any, characters: Any) -> Any:
    return _text(text).strip(_text(characters))


@function("trimprefix", partial=True)
def _trimprefix(ev: Any, text: Any, prefix: Any) -> Any:
    return _text(text).removeprefix(_text(prefix))


@function("trimsuffix", partial=True)
def _trimsuffix(ev: Any, text: Any, suffix: Any) -> Any:
    return _text(text).removesuffix(_text(suffix))


@function("startswith")
def _startswith(ev: Any, text: Any, prefix: Any) -> Any:
    return _text(text).startswith(_text(prefix))


@function("endswith")
def _endswith(ev: Any, text: Any, suffix: Any) -> Any:
    return _text(text).endswith(_text(suffix))


@function("strcontains")
def _strcontains(ev: Any, text: Any, part: Any) -> Any:
    return _text(part) in _text(text)


@function("substr")
def _substr(ev: Any, text: Any, offset: Any, length: Any) -> Any:
    value, start, count = _text(text), _int(offset), _int(length)
    if start < 0:
        start += len(value)
    return value[start:] if count == -1 else value[start : start + count]


def _compile(pattern: Any) -> re.Pattern[str]:
    try:
        # RE2 named groups are written (?P<name>...), which Python accepts as well.
        return re.compile(_text(pattern))
    except re.error as error:
        raise EvalError(f"invalid regular expression: {error}") from None


def _match_value(match: re.Match[str]) -> Any:
    if match.re.groupindex:
        return match.groupdict()
    if match.re.groups:
        return list(match.groups())
    return match.group(0)


@function("regex")
def _regex(ev: Any, pattern: Any, text: Any) -> Any:
    match = _compile(pattern).search(_text(text))
    if match is None:
        raise EvalError("pattern did not match")
    return _match_value(match)


@function("regexall")
def _regexall(ev: Any, pattern: Any, text: Any) -> Any:
    return [_match_value(match) for match in _compile(pattern).finditer(_text(text))]


@function("tostring", partial=True)
def _tostring(ev: Any, value: Any) -> Any:
    return None if value is None else _text(value)


@function("tonumber")
def _tonumber(ev: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        number = float(_text(value))
    except ValueError:
        raise EvalError(f"cannot convert {value!r} to a number") from None
    return int(number) if number.is_integer() else number


@function("tobool")
def _tobool(ev: Any, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"cannot convert {value!r} to a bool")


# ---- collections ----------------------------------------------------------------------------


@function("length", partial=True)
def _length(ev: Any, value: Any) -> Any:
    if isinstance(value, str):
        if not is_known(value):
            return ev.unknown(f"length({_show(value)})", "the string is known only after apply")
        return len(value)
    if isinstance(value, (list, dict)):
        return len(value)
    raise EvalError("length() needs a string, list or map")


@function("concat", partial=True)
def _concat(ev: Any, *lists: Any) -> Any:
    return [item for values in lists for item in _list(values)]


@function("merge", partial=True)
def _merge(ev: Any, *maps: Any) -> Any:
    result: dict[str, Any] = {}
    for value in maps:
        if value is not None:
            result.update(_map(value))
    return result


@function("lookup", partial=True)
def _lookup(ev: Any, mapping: Any, key: Any, *default: Any) -> Any:
    values = _map(mapping)
    if not is_known(key):
        return ev.unknown(f"lookup(..., {_show(key)})", "the key is known only after apply")
    if _text(key) in values:
        return values[_text(key)]
    if default:
        return default[0]
    raise EvalError(f"key {key!r} not found and no default given")


@function("element", partial=True)
def _element(ev: Any, values: Any, index: Any) -> Any:
    items = _list(values)
    if not items:
        raise EvalError("element() of an empty list")
    return items[_int(index) % len(items)]


@function("index")
def _index(ev: Any, values: Any, value: Any) -> Any:
    items = _list(values)
    if value not in items:
        raise EvalError("value not found")
    return items.index(value)


@function("keys", partial=True)
def _keys(ev: Any, mapping: Any) -> Any:
    return sorted(_map(mapping))


@function("values", partial=True)
def _values(ev: Any, mapping: Any) -> Any:
    values = _map(mapping)
    return [values[key] for key in sorted(values)]


@function("contains")
def _contains(ev: Any, values: Any, value: Any) -> Any:
    return value in _list(values)


def _unique(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if item not in result:
            result.append(item)
    return result


@function("distinct", partial=True)
def _distinct(ev: Any, values: Any) -> Any:
    return _unique(_list(values))


@function("flatten", partial=True)
def _flatten(ev: Any, values: Any) -> Any:
    def walk(items: list[Any]) -> list[Any]:
        flat: list[Any] = []
        for item in items:
            flat.extend(walk(item) if isinstance(item, list) else [item])
        return flat

    return walk(_list(values))


@function("compact", partial=True)
def _compact(ev: Any, values: Any) -> Any:
    return [item for item in _list(values) if item not in (None, "")]


@function("coalesce", partial=True)
def _coalesce(ev: Any, *values: Any) -> Any:
    for value in values:
        if value not in (None, ""):
            return value
    raise EvalError("no non-null, non-empty argument")


@function("coalescelist", partial=True)
def _coalescelist(ev: Any, *lists: Any) -> Any:
    for values in lists:
        if _list(values):
            return values
    raise EvalError("no non-empty list")


@function("one", partial=True)
def _one(ev: Any, values: Any) -> Any:
    items = _list(values)
    if len(items) > 1:
        raise EvalError("one() needs a list of at most one element")
    return items[0] if items else None


@function("range")
def _range(ev: Any, *arguments: Any) -> Any:
    numbers = [_int(a) for a in arguments]
    start, stop, step = (0, numbers[0], 1) if len(numbers) == 1 else (*numbers, 1)[:3]
    if step == 0:
        raise EvalError("range() step cannot be zero")
    size = max(0, (stop - start + step - (1 if step > 0 else -1)) // step)
    if size > MAX_COLLECTION:
        raise EvalError(f"range() of more than {MAX_COLLECTION} elements")
    return list(range(start, stop, step))


@function("slice", partial=True)
def _slice(ev: Any, values: Any, start: Any, end: Any) -> Any:
    items = _list(values)
    first, last = _int(start), _int(end)
    if not 0 <= first <= last <= len(items):
        raise EvalError("slice() indexes out of range")
    return items[first:last]


@function("zipmap", partial=True)
def _zipmap(ev: Any, keys: Any, values: Any) -> Any:
    key_list, value_list = _list(keys), _list(values)
    if len(key_list) != len(value_list):
        raise EvalError("zipmap() needs lists of the same length")
    return {_text(key): value for key, value in zip(key_list, value_list, strict=False)}


@function("setunion", partial=True)
def _setunion(ev: Any, *sets: Any) -> Any:
    return _unique([item for values in sets for item in _list(values)])


@function("setintersection")
def _setintersection(ev: Any, first: Any, *others: Any) -> Any:
    return [item for item in _unique(_list(first)) if all(item in _list(o) for o in others)]


@function("setsubtract")
def _setsubtract(ev: Any, first: Any, second: Any) -> Any:
    return [item for item in _unique(_list(first)) if item not in _list(second)]


@function("toset", partial=True)
def _toset(ev: Any, values: Any) -> Any:
    items = _unique(_list(values))
    return (
        sorted(items, key=lambda v: (not isinstance(v, str), str(v)))
        if all(is_known(i) for i in items)
        else items
    )


@function("tolist", partial=True)
def _tolist(ev: Any, values: Any) -> Any:
    return list(_list(values))


@function("tomap", partial=True)
def _tomap(ev: Any, values: Any) -> Any:
    return dict(_map(values))


@function("reverse", partial=True)
def _reverse(ev: Any, values: Any) -> Any:
    return list(reversed(_list(values)))


@function("sort")
def _sort(ev: Any, values: Any) -> Any:
    return sorted(_text(v) for v in _list(values))


@function("max")
def _max(ev: Any, *numbers: Any) -> Any:
    return max(numbers)


@function("min")
def _min(ev: Any, *numbers: Any) -> Any:
    return min(numbers)


# ---- network --------------------------------------------------------------------------------


def _network(prefix: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(_text(prefix), strict=False)
    except ValueError as error:
        raise EvalError(f"invalid CIDR {prefix!r}: {error}") from None


@function("cidrsubnet")
def _cidrsubnet(ev: Any, prefix: Any, newbits: Any, netnum: Any) -> Any:
    network = _network(prefix)
    bits, number = _int(newbits), _int(netnum)
    new_prefix = network.prefixlen + bits
    if new_prefix > network.max_prefixlen or not 0 <= number < 2**bits:
        raise EvalError(f"cannot make subnet {number} of {bits} extra bits in {network}")
    size = 2 ** (network.max_prefixlen - new_prefix)
    address = network.network_address + number * size
    return f"{address}/{new_prefix}"


@function("cidrsubnets")
def _cidrsubnets(ev: Any, prefix: Any, *newbits: Any) -> Any:
    network = _network(prefix)
    results = []
    cursor = int(network.network_address)
    for bits in newbits:
        new_prefix = network.prefixlen + _int(bits)
        size = 2 ** (network.max_prefixlen - new_prefix)
        cursor = (cursor + size - 1) // size * size
        if cursor + size > int(network.broadcast_address) + 1:
            raise EvalError(f"not enough space in {network}")
        address = (
            ipaddress.IPv4Address(cursor) if network.version == 4 else ipaddress.IPv6Address(cursor)
        )
        results.append(f"{address}/{new_prefix}")
        cursor += size
    return results


@function("cidrhost")
def _cidrhost(ev: Any, prefix: Any, hostnum: Any) -> Any:
    network = _network(prefix)
    number = _int(hostnum)
    if number < 0:
        number += network.num_addresses
    if not 0 <= number < network.num_addresses:
        raise EvalError(f"host {hostnum} is outside {network}")
    return str(network.network_address + number)


@function("cidrnetmask")
def _cidrnetmask(ev: Any, prefix: Any) -> Any:
    return str(_network(prefix).netmask)


# ---- files ----------------------------------------------------------------------------------


def _inside(ev: Any, path: Any) -> Path:
    module_dir: Path = ev.module_dir
    target = (module_dir / _text(path)).resolve()
    boundary: Path = ev.boundary
    if boundary not in target.parents and target != boundary:
        raise EvalError(f"{path} is outside the scanned directory")
    return target


@function("file")
def _file(ev: Any, path: Any) -> Any:
    try:
        return _inside(ev, path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise EvalError(f"cannot read {path}: {error.strerror}") from None


@function("fileexists")
def _fileexists(ev: Any, path: Any) -> Any:
    return _inside(ev, path).is_file()


@function("templatefile", partial=True)
def _templatefile(ev: Any, path: Any, variables: Any) -> Any:
    if not is_known(path):
        return ev.unknown(f"templatefile({_show(path)}, ...)", "the template path is not known")
    try:
        source = _inside(ev, path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise EvalError(f"cannot read {path}: {error.strerror}") from None
    return ev.template(source, _map(variables))


@function("abspath")
def _abspath(ev: Any, path: Any) -> Any:
    return str((ev.module_dir / _text(path)).resolve())


@function("dirname", partial=True)
def _dirname(ev: Any, path: Any) -> Any:
    text = _text(path)
    return text.rsplit("/", 1)[0] if "/" in text else "."


@function("basename", partial=True)
def _basename(ev: Any, path: Any) -> Any:
    return _text(path).rstrip("/").rsplit("/", 1)[-1]


# ---- values known only at apply time ---------------------------------------------------------


@function("timestamp")
def _timestamp(ev: Any) -> Any:
    return ev.unknown("timestamp()", "the time of apply")


@function("uuid")
def _uuid(ev: Any) -> Any:
    return ev.unknown("uuid()", "a random value chosen at apply")
