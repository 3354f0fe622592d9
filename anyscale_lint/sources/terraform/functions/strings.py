"""String functions: join, split, replace, case, trimming, substrings, prefixes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from anyscale_lint.model import Unknown
from anyscale_lint.sources.terraform.functions.base import (
    as_int,
    as_list,
    as_text,
    function,
    reason_of,
    shown,
)
from anyscale_lint.sources.terraform.functions.graphemes import graphemes
from anyscale_lint.sources.terraform.functions.regex import compile_re2, find_all
from anyscale_lint.sources.terraform.markers import MARKER, MarkerMatch, is_known


@function("join", partial=True)
def _join(ev: Any, separator: Any, *lists: Any) -> Any:
    items = [item for values in lists for item in as_list(values)]
    for item in items:
        if isinstance(item, Unknown):
            return ev.unknown(f"join({shown(separator)}, ...)", item.reason)
    texts = [as_text(item) for item in items]
    joiner = as_text(separator)
    # A long separator between many items: the length is known before it is allocated.
    ev.budget.check_text(sum(map(len, texts)) + len(joiner) * max(len(texts) - 1, 0))
    return joiner.join(texts)


def _split_known_parts(text: str, separator: str) -> list[str]:
    # A marker stands for one unknown value: split around it, never inside it.
    pieces = [""]
    position = 0
    for marker in [*MARKER.finditer(text), None]:
        end = marker.start() if marker else len(text)
        first, *rest = text[position:end].split(separator)
        pieces[-1] += first
        pieces.extend(rest)
        if marker:
            pieces[-1] += marker.group(0)
            position = marker.end()
    return pieces


@function("split", partial=True)
def _split(ev: Any, separator: Any, text: Any) -> Any:
    separator_text, whole = as_text(separator), as_text(text)
    if separator_text:
        return _split_known_parts(whole, separator_text)
    # Go's strings.Split with an empty separator splits into single characters.
    if not is_known(whole):
        return ev.unknown(f'split("", {shown(text)})', reason_of(ev, whole))
    return list(whole)


def _expand(replacement: str, match: Any) -> str:
    """Go's regexp Expand: $1, ${1}, $name and ${name} insert groups; $$ is a dollar sign."""

    def group(name: str) -> str:
        key: int | str = int(name) if name.isdigit() else name
        try:
            return match.group(key) or ""
        except IndexError:  # no such group: Go inserts nothing
            return ""

    output: list[str] = []
    position = 0
    while position < len(replacement):
        char = replacement[position]
        reference = _REFERENCE.match(replacement, position + 1) if char == "$" else None
        if char == "$" and replacement.startswith("$$", position):
            output.append("$")
            position += 2
        elif reference:
            output.append(group(reference.group(1) or reference.group(2)))
            position = reference.end()
        else:
            output.append(char)
            position += 1
    return "".join(output)


_REFERENCE = re.compile(r"\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+)")


@function("replace")
def _replace(ev: Any, text: Any, search: Any, replacement: Any) -> Any:
    search_text, value, with_text = as_text(search), as_text(text), as_text(replacement)
    if len(search_text) > 1 and search_text.startswith("/") and search_text.endswith("/"):
        output, position, length = [], 0, 0
        for match in find_all(compile_re2(search_text[1:-1]), value):
            output += [value[position : match.start()], _expand(with_text, match)]
            length += len(output[-2]) + len(output[-1])
            ev.budget.check_text(length)  # each match may insert a long replacement
            position = match.end()
        return "".join([*output, value[position:]])
    count = value.count(search_text) if search_text else len(value) + 1
    ev.budget.check_text(len(value) + count * (len(with_text) - len(search_text)))
    return value.replace(search_text, with_text)


def _simple_case(text: str, change: Callable[[str], str]) -> str:
    # Go maps each character on its own (Unicode's simple mappings): "ß" stays "ß" in upper
    # case and a final "Σ" becomes "σ", where Python's full mappings give "SS" and "ς".
    changed = (change(char) for char in text)
    return "".join(
        new if len(new) == 1 else "i" if char == "\u0130" else char
        for char, new in zip(text, changed, strict=True)
    )


@function("lower")
def _lower(ev: Any, text: Any) -> Any:
    return _simple_case(as_text(text), str.lower)


@function("upper")
def _upper(ev: Any, text: Any) -> Any:
    return _simple_case(as_text(text), str.upper)


@function("trimspace")
def _trimspace(ev: Any, text: Any) -> Any:
    return as_text(text).strip()


@function("title")
def _title(ev: Any, text: Any) -> Any:
    return re.sub(r"\b\w", lambda m: m.group(0).upper(), as_text(text))


@function("trim")
def _trim(ev: Any, text: Any, characters: Any) -> Any:
    return as_text(text).strip(as_text(characters))


def _markers(text: str) -> list[MarkerMatch]:
    return list(MARKER.finditer(text))


@function("trimprefix", partial=True)
def _trimprefix(ev: Any, text: Any, prefix: Any) -> Any:
    value, cut = as_text(text), as_text(prefix)
    markers = _markers(value)
    # Whether an unknown part starts the string decides the result, so it is not known.
    if not is_known(cut) or (markers and markers[0].start() < len(cut)):
        return ev.unknown(
            f"trimprefix({shown(text)}, {shown(prefix)})", reason_of(ev, [value, cut])
        )
    return value.removeprefix(cut)


@function("trimsuffix", partial=True)
def _trimsuffix(ev: Any, text: Any, suffix: Any) -> Any:
    value, cut = as_text(text), as_text(suffix)
    markers = _markers(value)
    if not is_known(cut) or (markers and markers[-1].end() > len(value) - len(cut)):
        return ev.unknown(
            f"trimsuffix({shown(text)}, {shown(suffix)})", reason_of(ev, [value, cut])
        )
    return value.removesuffix(cut)


@function("startswith")
def _startswith(ev: Any, text: Any, prefix: Any) -> Any:
    return as_text(text).startswith(as_text(prefix))


@function("endswith")
def _endswith(ev: Any, text: Any, suffix: Any) -> Any:
    return as_text(text).endswith(as_text(suffix))


@function("strcontains")
def _strcontains(ev: Any, text: Any, part: Any) -> Any:
    return as_text(part) in as_text(text)


@function("substr")
def _substr(ev: Any, text: Any, offset: Any, length: Any) -> Any:
    characters, start, count = graphemes(as_text(text)), as_int(offset), as_int(length)
    if start < 0:
        start += len(characters)
    # An offset still before the start counts from the start; any negative length means "rest".
    rest = characters[max(start, 0) :]
    return "".join(rest if count < 0 else rest[:count])


# POSIX classes RE2 accepts inside brackets, as Python character ranges.
