"""Reading input files safely: size limits, binary files, encodings, unreadable paths."""

from __future__ import annotations

import os
from pathlib import Path

from anyscale_lint.model import ParseError
from anyscale_lint.reading import MAX_FILE_BYTES as MAX_FILE_BYTES  # where it used to live
from anyscale_lint.reading import UnreadableFile, read_regular


def read_bytes(path: Path, shown: str) -> bytes | ParseError:
    """The bytes of a regular file within the size limit, or a read error."""
    try:
        return read_regular(path)
    except UnreadableFile as error:
        return ParseError(shown, None, error.reason, kind="read")


def read_text(path: Path, shown: str) -> str | ParseError:
    """The file's text (BOM stripped, CRLF kept for the parser), or a read error."""
    data = read_bytes(path, shown)
    if isinstance(data, ParseError):
        return data
    if b"\x00" in data:
        return ParseError(shown, None, "binary file (contains NUL bytes)", kind="read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return ParseError(
            shown, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x})", kind="read"
        )


def scan_root(path: Path) -> Path:
    """The tree a scanned path belongs to: its git work tree, else the directory itself."""
    resolved = Path(os.path.realpath(path))
    start = resolved if resolved.is_dir() else resolved.parent
    # Looking for `.git` (a directory, or a file in linked work trees) costs a stat per
    # level, where running git would cost a process.
    for directory in (start, *start.parents):
        if os.path.lexists(directory / ".git"):
            return directory
    return start
