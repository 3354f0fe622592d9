"""Run a command with stderr on a pseudo-terminal, as a user at a terminal would."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path


def stderr_on_terminal(args: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    """What the command writes to stderr when stderr is a (pseudo-)terminal."""
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            assert ready, "hang guard: no output and no exit in 60 s"
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=60)
    finally:
        os.close(master)
    return b"".join(chunks).decode()
