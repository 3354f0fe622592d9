"""User-perceived characters (grapheme clusters), as Terraform counts them in strings."""

from __future__ import annotations

import unicodedata

# Terraform counts characters as Unicode grapheme clusters. This follows the rules of UAX #29
# that matter in practice: CR LF, combining marks, variation selectors, emoji modifiers and
# ZWJ sequences, regional-indicator pairs (flags) and Hangul jamo.


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or code in (0x200C, 0x200D)
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def _control(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and not _extends(char))


def _regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def _hangul(char: str) -> str:
    code = ord(char)
    if 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C:
        return "L"
    if 0x1160 <= code <= 0x11A7 or 0xD7B0 <= code <= 0xD7C6:
        return "V"
    if 0x11A8 <= code <= 0x11FF or 0xD7CB <= code <= 0xD7FB:
        return "T"
    if 0xAC00 <= code <= 0xD7A3:
        return "LV" if (code - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _joins(cluster: str, char: str) -> bool:
    previous = cluster[-1]
    if previous == "\r" and char == "\n":
        return True
    if _control(previous) or _control(char):
        return False
    if _extends(char):
        return True
    if previous == "\u200d" and (ord(char) >= 0x1F000 or unicodedata.category(char) == "So"):
        return True
    if _regional(previous) and _regional(char):
        # Flags are pairs of regional indicators: join only the second of each pair.
        run = len(cluster) - len(cluster.rstrip("".join(c for c in cluster if _regional(c))))
        return run % 2 == 1
    before, after = _hangul(previous), _hangul(char)
    return (
        (before == "L" and after in ("L", "V", "LV", "LVT"))
        or (before in ("LV", "V") and after in ("V", "T"))
        or (before in ("LVT", "T") and after == "T")
    )


def graphemes(text: str) -> list[str]:
    clusters: list[str] = []
    for char in text:
        if clusters and _joins(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters
