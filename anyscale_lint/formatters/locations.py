"""Paths of findings relative to the source root (git root, else the scanned directory)."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import quote

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


# RFC 3986 pchar less ":", which may not appear in a relative reference's first segment;
# unreserved characters are always kept by `quote`, and everything else is percent-encoded.
SEGMENT_SAFE = "!$&'()*+,;=@"


def encode_relative(path: str) -> str:
    """A forward-slash relative path as an RFC 3986 relative reference, each segment encoded."""
    # fsencode: names that are not valid UTF-8 keep their bytes (surrogate escapes).
    return "/".join(quote(os.fsencode(part), safe=SEGMENT_SAFE) for part in path.split("/"))


def directory_uri(directory: Path) -> str:
    """The absolute `file:` URI of a directory, ending in `/` as a SARIF base URI must."""
    uri = directory.resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


def source_roots(inputs: list[str]) -> list[Path]:
    """The distinct source roots of a run's inputs in input order, none inside another."""
    roots: list[Path] = []
    for item in inputs or [str(Path.cwd())]:
        root = source_root(item if Path(item).is_dir() else str(Path(item).parent))
        if root not in roots:
            roots.append(root)
    return [r for r in roots if not any(o != r and r.is_relative_to(o) for o in roots)]


def is_repository(root: Path) -> bool:
    """True when `root` is the top of a git work tree."""
    return (root / ".git").exists()


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
