"""AWS account IDs: whether one is a slip of the keyboard away from Anyscale's."""

from __future__ import annotations

import re

from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID

# Account IDs have 12 digits; a digit dropped or doubled leaves 11 or 13.
_DIGITS = re.compile(r"^\d{10,14}$")
# "One or two edits or a digit transposition away" (issue 12): further is another account.
_MAX_EDITS = 2


def typo_of_anyscale_account(account: str, anyscale_account: str = ANYSCALE_ACCOUNT_ID) -> bool:
    """Whether an account ID differs from Anyscale's by one or two edits (a digit wrong,
    missing or added, or two neighbours swapped), so it looks like a typo of it."""
    if account == anyscale_account or not _DIGITS.match(account):
        return False
    return _edit_distance(account, anyscale_account) <= _MAX_EDITS


def _edit_distance(left: str, right: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    neighbouring characters each count as one edit."""
    rows = [[0] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left) + 1):
        rows[i][0] = i
    for j in range(len(right) + 1):
        rows[0][j] = j
    for i in range(1, len(left) + 1):
        for j in range(1, len(right) + 1):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            swapped = left[i - 1] == right[j - 2] and left[i - 2] == right[j - 1]
            if i > 1 and j > 1 and swapped:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(left)][len(right)]
