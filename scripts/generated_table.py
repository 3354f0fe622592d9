"""What the table generators share: `--check` against the committed file, and writing it.

A generator module gives `build_table(date)`, `serialize(table)`, `_describe_difference(old,
new)` and a one-line `summary(table, text)`; `run` does the rest.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Table = dict[str, Any]


def check(
    output: Path,
    script: str,
    build_table: Callable[[str], Table],
    serialize: Callable[[Table], str],
    describe: Callable[[Table, Table], list[str]],
) -> int:
    """Return 0 if `output` matches what would be generated (ignoring the date), else 1."""
    try:
        committed_text = output.read_text(encoding="utf-8")
        committed = json.loads(committed_text)
    except FileNotFoundError:
        print(f"{output}: missing; run {script}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as exc:
        print(f"{output}: unreadable ({exc}); regenerate it", file=sys.stderr)
        return 1
    if not isinstance(committed, dict):
        print(f"{output}: not a JSON object; regenerate it", file=sys.stderr)
        return 1
    # Reuse the committed date so that only real content (or format) changes are reported.
    generated = committed.get("generated")
    expected = build_table(generated if isinstance(generated, str) else "")
    if committed_text == serialize(expected):
        print(f"{output}: up to date ({expected['source']})")
        return 0
    print(
        f"{output} is stale compared with {expected['source']}:\n"
        + "\n".join(describe(committed, expected))
        + f"\nRe-run: python {script}",
        file=sys.stderr,
    )
    return 1


def run(
    argv: list[str] | None,
    *,
    description: str,
    default_output: Path,
    script: str,
    build_table: Callable[[str], Table],
    serialize: Callable[[Table], str],
    describe: Callable[[Table, Table], list[str]],
    summary: Callable[[Table, str], str],
) -> int:
    """The command line of a generator: write the table, or `--check` it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--output",
        type=Path,
        default=default_output,
        help=f"where to write the table (default: {default_output})",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the existing file differs (ignoring the generated date)",
    )
    args = parser.parse_args(argv)
    output: Path = args.output
    if args.check:
        return check(output, script, build_table, serialize, describe)
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    table = build_table(today)
    text = serialize(table)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}: {summary(table, text)} ({table['source']})")
    return 0
