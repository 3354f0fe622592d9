"""Paths of findings relative to the source root (git root, else the scanned directory)."""

from __future__ import annotations

import functools
from pathlib import Path

from anyscale_lint.model import CloudRef, Origin


def source_root(start: str) -> Path:
    """The git root above `start`, else `start` itself."""
    # Resolve before the cached lookup: a relative path means another directory after chdir.
    return _source_root(Path(start).resolve())


@functools.lru_cache(maxsize=64)
def _source_root(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if (candidate / ".git").exists():
            return candidate
    return path


def display_path(path: str, root: Path) -> str:
    """`path` relative to `root` with forward slashes (an absolute path when outside it)."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def relative_uri(path: str, root: Path) -> str:
    """A forward-slash URI of `path` relative to `root` (absolute when outside it)."""
    shown = display_path(path, root)
    return Path(shown).as_uri() if Path(shown).is_absolute() else shown


def display_location(origin: Origin | None, root: Path) -> str:
    """`path:line` of a source span, the identifier of a cloud resource, else empty."""
    if origin is None:
        return ""
    if isinstance(origin, CloudRef):
        return origin.identifier
    return f"{display_path(origin.path, root)}:{origin.start_line}"


def scan_root(inputs: list[str]) -> Path:
    """The source root for a run: the git root of the first input (or the working dir)."""
    first = inputs[0] if inputs else str(Path.cwd())
    start = first if Path(first).is_dir() else str(Path(first).parent or ".")
    return source_root(start)
