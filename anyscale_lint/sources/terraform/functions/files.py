"""File functions, relative to the module directory and never outside the scanned tree."""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path
from typing import Any

from anyscale_lint.model import ParseError
from anyscale_lint.sources.files import read_bytes
from anyscale_lint.sources.terraform.evaluation import EvalError
from anyscale_lint.sources.terraform.functions.base import (
    as_map,
    as_text,
    function,
    reason_of,
    shown,
)
from anyscale_lint.sources.terraform.markers import is_known


def _directories(ev: Any) -> tuple[Path, Path]:
    module_dir, boundary = getattr(ev, "module_dir", None), getattr(ev, "boundary", None)
    if module_dir is None or boundary is None:
        raise EvalError("files cannot be read here")
    return Path(module_dir), Path(os.path.realpath(boundary))


def _inside(ev: Any, path: Any) -> Path:
    module_dir, boundary = _directories(ev)
    # realpath, unlike Path.resolve, does not raise on a symlink loop: reading reports it.
    target = Path(os.path.realpath(module_dir / as_text(path)))
    if boundary not in target.parents and target != boundary:
        raise EvalError(f"{path} is outside the scanned tree ({boundary})")
    return target


def _read(ev: Any, path: Any) -> str:
    data = read_bytes(_inside(ev, path), str(path))
    if isinstance(data, ParseError):
        raise EvalError(f"cannot read {path}: {data.message}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EvalError(f"{path} is not valid UTF-8") from None


@function("file")
def _file(ev: Any, path: Any) -> Any:
    return _read(ev, path)


@function("fileexists")
def _fileexists(ev: Any, path: Any) -> Any:
    target = _inside(ev, path)
    if target.exists() and not target.is_file():
        raise EvalError(f"{path} is not a regular file")
    return target.is_file()


_TEMPLATE_VARIABLE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _lexical(value: Any) -> Any:
    # Terraform iterates maps in key order; Python dicts keep the order they were written in.
    if isinstance(value, dict):
        return {key: _lexical(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_lexical(item) for item in value]
    return value


@function("templatefile", partial=True)
def _templatefile(ev: Any, path: Any, variables: Any) -> Any:
    if not is_known(path):
        return ev.unknown(f"templatefile({shown(path)}, ...)", reason_of(ev, path))
    names = as_map(variables)
    for name in names:
        if not _TEMPLATE_VARIABLE.fullmatch(name):
            raise EvalError(f"invalid template variable name {name!r}")
    return ev.template(_read(ev, path), _lexical(names))


@function("abspath")
def _abspath(ev: Any, path: Any) -> Any:
    # Relative to the working directory (path.cwd), cleaned but without resolving symlinks.
    _, boundary = _directories(ev)
    cwd = getattr(ev, "cwd", None) or boundary
    return posixpath.normpath(str(cwd / as_text(path)))


def _clean(path: str) -> str:
    """Go's path.Clean: no empty, "." or resolvable ".." segments; "" becomes "."."""
    rooted = path.startswith("/")
    segments: list[str] = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == ".." and segments and segments[-1] != "..":
            segments.pop()
        elif segment != ".." or not rooted:
            segments.append(segment)
    cleaned = "/".join(segments)
    return "/" + cleaned if rooted else cleaned or "."


@function("dirname", partial=True)
def _dirname(ev: Any, path: Any) -> Any:
    text = as_text(path)
    return _clean(text[: text.rfind("/") + 1])


@function("basename", partial=True)
def _basename(ev: Any, path: Any) -> Any:
    text = as_text(path)
    if not text:
        return "."
    stripped = text.rstrip("/")
    return stripped.rsplit("/", 1)[-1] if stripped else "/"
