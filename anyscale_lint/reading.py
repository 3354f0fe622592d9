"""Opening only regular files, within a size limit: devices and FIFOs are never opened."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 5 * 1024 * 1024

_NOT_REGULAR = {
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
}


class UnreadableFile(Exception):
    """A path that was not read: why, in the report's words, and the line when it is known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line

    def located(self, path: object) -> str:
        """`path:line: reason`, or `path: reason`."""
        where = f"{path}:{self.line}" if self.line else str(path)
        return f"{where}: {self.reason}"


def _irregular(mode: int) -> str | None:
    """Why a file of this mode is not read (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFDIR:
        return "is a directory"
    return f"not a regular file ({_NOT_REGULAR.get(kind, 'special file')})"


def _oversized(size: int) -> str | None:
    if size <= MAX_FILE_BYTES:
        return None
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return f"file is {size:,} bytes, over the {limit} MB limit"


def os_reason(error: OSError, path: Path | None = None) -> str:
    """What an OSError met reading a path means, in the report's words."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if error.errno == errno.ENOENT:
        if path is not None and path.is_symlink():
            return "broken symbolic link"
        return "no such file or directory"
    return f"cannot read: {error.strerror or error}"


def _read(path: Path, size: int, *, whole: bool) -> bytes:
    """Up to `size` bytes of a regular file; with `whole`, the file within the size limit."""
    try:
        # Checked before opening: opening a FIFO blocks, a device may act on being opened.
        problem = _irregular(path.stat().st_mode)
        if problem is None:
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
            descriptor = os.open(path, flags)
            with os.fdopen(descriptor, "rb") as handle:
                # The path may have been replaced since the stat: judge what was opened.
                status = os.fstat(descriptor)
                problem = _irregular(status.st_mode) or (
                    _oversized(status.st_size) if whole else None
                )
                data = b"" if problem else handle.read(size)
            if whole:
                problem = problem or _oversized(len(data))
    except OSError as error:
        raise UnreadableFile(os_reason(error, path)) from None
    if problem:
        raise UnreadableFile(problem)
    return data


def read_start(path: Path, size: int) -> bytes:
    """The first bytes of a regular file, to tell what it holds (UnreadableFile says why not)."""
    return _read(path, size, whole=False)


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file within the size limit (UnreadableFile says why not)."""
    return _read(path, MAX_FILE_BYTES + 1, whole=True)


def read_regular_text(path: Path) -> str:
    """A regular file's UTF-8 text (UnreadableFile naming the line of a bad byte)."""
    data = read_regular(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableFile(f"not valid UTF-8 (byte 0x{data[error.start]:02x})", line) from None
