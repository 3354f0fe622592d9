"""The user's on-disk cache: private files of plain data, read only when they are safe to read.

Nothing here runs code on load (entries are bytes the caller decodes as JSON). An entry is read
only from a directory owned by this user and writable by no one else, and only when it is a
regular file owned by this user, not group/other-writable and at most MAX_ENTRY_BYTES long;
anything else (a symlink, a FIFO, a directory, a foreign file) reads as a miss. Entries are
written 0600 in a 0700 directory, atomically. An unusable directory is silently bypassed.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path

from anyscale_lint.paths import cache_dir

# Entries larger than this are never read (the rules validation entry is a few bytes).
MAX_ENTRY_BYTES = 8 * 1024 * 1024
# Each entry starts with an HMAC-SHA256 of its name and content under this user's key.
SEAL_BYTES = 32
# Sealed entries are not JSON files: a scan of a tree that holds the cache skips them.
SUFFIX = ".sealed"

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO put in place of an entry must not block the open
    | getattr(os, "O_CLOEXEC", 0)
)


def _owned_and_private(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and info.st_uid != getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def private_dir() -> Path | None:
    """The cache directory, created 0700; None when caching is off or the directory is unsafe."""
    if os.environ.get("ANYSCALE_LINT_NO_CACHE"):
        return None
    directory = cache_dir()
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = directory.stat()
        if not stat.S_ISDIR(info.st_mode) or not _owned_and_private(info):
            return None
        if stat.S_IMODE(info.st_mode) & 0o077:
            # Older versions created it with the default umask; our own directory can be closed.
            directory.chmod(0o700)
    except OSError:
        return None
    return directory


def _state_dir() -> Path:
    """Where the cache key lives: beside, never inside, the cache directory."""
    explicit = os.environ.get("ANYSCALE_LINT_STATE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "anyscale-lint"


def _key() -> bytes | None:
    """This user's secret for sealing entries, created on first use (0600 in a 0700 dir).

    A cached entry decides what is checked (the rules validation), so an entry someone else
    wrote (a CI cache restored from an untrusted branch, a shared directory) must not be used:
    only entries
    sealed with this key are, and the key is not in the cache directory that travels.
    """
    directory = _state_dir()
    path = directory / "cache-key"
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _owned_and_private(directory.stat()):
            return None
        if not path.exists():
            descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(secrets.token_bytes(32))
            Path(temporary).replace(path)
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode) or not _owned_and_private(info):
                return None
            if stat.S_IMODE(info.st_mode) & 0o077:
                return None
            key = os.read(descriptor, 64)
        finally:
            os.close(descriptor)
    except OSError:
        return None
    return key if len(key) == 32 else None


def _seal(key: bytes, name: str, data: bytes) -> bytes:
    return hmac.new(key, name.encode() + b"\0" + data, hashlib.sha256).digest()


def read_entry(name: str) -> bytes | None:
    """The bytes of the cache entry `name`, or None when it is missing, unsafe to read, or not
    sealed with this user's key."""
    directory = private_dir()
    key = _key() if directory is not None else None
    if directory is None or key is None:
        return None
    sealed = _read_raw(directory, name + SUFFIX)
    if sealed is None or len(sealed) < SEAL_BYTES:
        return None
    seal, data = sealed[:SEAL_BYTES], sealed[SEAL_BYTES:]
    return data if hmac.compare_digest(seal, _seal(key, name, data)) else None


def _read_raw(directory: Path, name: str) -> bytes | None:
    try:
        descriptor = os.open(directory / name, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if (
            not stat.S_ISREG(info.st_mode)
            or not _owned_and_private(info)
            or info.st_size > MAX_ENTRY_BYTES
        ):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(MAX_ENTRY_BYTES + 1)
        return data if len(data) <= MAX_ENTRY_BYTES else None
    except OSError:
        return None
    finally:
        os.close(descriptor)


def write_entry(name: str, data: bytes) -> None:
    """Store `data` as entry `name` (0600, atomic, sealed with this user's key); skipped
    silently when the cache is unusable."""
    directory = private_dir()
    key = _key() if directory is not None else None
    if directory is None or key is None or len(data) + SEAL_BYTES > MAX_ENTRY_BYTES:
        return
    data = _seal(key, name, data) + data
    try:
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(directory / (name + SUFFIX))
    except OSError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
