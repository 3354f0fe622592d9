"""Short, single-line quotes of bad input for error messages.

An error quotes the offending token so the user can find it, but a token may be a whole
unterminated string or heredoc, i.e. a private key: a quote is one line of at most 40
characters, and the callers never quote the body of a string or heredoc.
"""

from __future__ import annotations

MAX_EXCERPT = 40


def excerpt(text: str) -> str:
    """The first line of the text, cut to 40 characters (`...` when cut), quoted."""
    lines = text.strip().splitlines()
    first = lines[0] if lines else ""
    cut = len(first) > MAX_EXCERPT or len(lines) > 1
    if len(first) > MAX_EXCERPT:
        first = first[: MAX_EXCERPT - 3]
    return repr(first + "...") if cut else repr(first)
