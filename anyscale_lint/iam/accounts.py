"""AWS account IDs that look like a mistyped copy of another (Anyscale's, in a trust policy)."""

from __future__ import annotations

import re

from anyscale_lint.providers.aws import ANYSCALE_ACCOUNT_ID

# Account IDs have 12 digits; a digit dropped or doubled leaves 11 or 13.
_DIGITS = re.compile(r"^\d{10,14}$")
# One or two edits (a digit wrong, missing, added, or two adjacent digits swapped) or one swap
# of two distant digits: a 12-digit account another customer owns is almost never this close.
_MAX_EDITS = 2


def typo_of_anyscale_account(account: str, anyscale_account: str = ANYSCALE_ACCOUNT_ID) -> bool:
    """Whether an account ID (digits only, not an ARN) looks like a typo of Anyscale's."""
    return bool(_DIGITS.match(account)) and looks_like_typo(account, anyscale_account)


def looks_like_typo(account: str, intended: str) -> bool:
    """Whether `account` differs from `intended` by a slip of the keyboard, not by identity."""
    # The distance is at least the difference in length: skip the table for long text.
    if account == intended or abs(len(account) - len(intended)) > _MAX_EDITS:
        return False
    if len(account) == len(intended) and sorted(account) == sorted(intended):
        differing = [i for i, (a, b) in enumerate(zip(account, intended, strict=True)) if a != b]
        if len(differing) == 2:
            return True
    return _edit_distance(account, intended) <= _MAX_EDITS


def _edit_distance(first: str, second: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and adjacent
    transpositions each count one."""
    rows = [list(range(len(second) + 1))]
    for i, left in enumerate(first, 1):
        row = [i] + [0] * len(second)
        for j, right in enumerate(second, 1):
            row[j] = min(
                rows[-1][j] + 1,
                row[j - 1] + 1,
                rows[-1][j - 1] + (left != right),
            )
            if i > 1 and j > 1 and left == second[j - 2] and first[i - 2] == right:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]
