"""Reading input files safely: size limits, binary files, encodings, unreadable paths."""

from __future__ import annotations

from pathlib import Path

from anyscale_lint.model import ParseError

MAX_FILE_BYTES = 5 * 1024 * 1024


def read_text(path: Path, shown: str) -> str | ParseError:
    """The file's text (BOM stripped, CRLF kept for the parser), or a read error."""
    try:
        if path.is_symlink() and not path.exists():
            return ParseError(shown, None, "broken symbolic link", kind="read")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            return ParseError(
                shown, None, f"file is {size:,} bytes, over the {limit} MB limit", kind="read"
            )
        data = path.read_bytes()
    except PermissionError:
        return ParseError(shown, None, "permission denied", kind="read")
    except OSError as error:
        return ParseError(shown, None, f"cannot read: {error.strerror or error}", kind="read")
    if b"\x00" in data:
        return ParseError(shown, None, "binary file (contains NUL bytes)", kind="read")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return ParseError(
            shown, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x})", kind="read"
        )
