"""The phases of a live AWS audit (the display protocol is shared: sources/live/progress.py)."""

from __future__ import annotations

from anyscale_lint.sources.live.progress import Progress, Silent, label

__all__ = ["PHASES", "Progress", "Silent", "label"]

# The phases of one account and region (the collector names the last five).
PHASES = ("identity", "network", "IAM roles and policies", "S3", "EFS", "MemoryDB")
