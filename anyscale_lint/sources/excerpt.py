"""Short, single-line quotes of bad input for error messages.

An error quotes the offending token so the user can find it, but a token may be a whole
unterminated string or heredoc, i.e. a private key: a quote is one line of at most 40
characters, and the callers never quote the body of a string or heredoc.
"""

from __future__ import annotations

import re

MAX_EXCERPT = 40
# A quoted token in a library's message ('...' or "..."), longer than an excerpt.
_LONG_QUOTED = re.compile(rf"'[^'\n]{{{MAX_EXCERPT},}}'|\"[^\"\n]{{{MAX_EXCERPT},}}\"")


def clip(text: str) -> str:
    """The first line of the text, cut to 40 characters (ending `...` when cut)."""
    lines = text.strip().splitlines()
    first = lines[0] if lines else ""
    if len(first) > MAX_EXCERPT:
        return first[: MAX_EXCERPT - 3] + "..."
    return first + "..." if len(lines) > 1 else first


def excerpt(text: str) -> str:
    """`clip`, quoted."""
    return repr(clip(text))


def shorten_quoted(message: str) -> str:
    """A library's message (YAML, JSON Schema) on one line, each long quoted token clipped."""
    line = " ".join(message.split())
    return _LONG_QUOTED.sub(lambda match: excerpt(match.group(0)[1:-1]), line)
