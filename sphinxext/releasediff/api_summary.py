"""API changes counted and said in one phrase, for summary lines (no griffe needed here)."""

from __future__ import annotations

from collections.abc import Iterable

from .model import ApiChange

__all__ = ["api_counts", "api_summary"]


def api_counts(changes: Iterable[ApiChange]) -> dict[str, int]:
    """How many names were added, removed and changed, and how many of them break callers."""
    counts = {"added": 0, "removed": 0, "changed": 0, "breaking": 0}
    for change in changes:
        counts[change.change] += 1
        counts["breaking"] += change.breaking
    return counts


def api_summary(changes: Iterable[ApiChange]) -> str:
    """One phrase for a summary line: ``3 added, 1 removed (1 breaking)``; empty for no change."""
    counts = api_counts(changes)
    parts = [f"{counts[key]} {key}" for key in ("added", "removed", "changed") if counts[key]]
    if not parts:
        return ""
    breaking = f" ({counts['breaking']} breaking)" if counts["breaking"] else ""
    return ", ".join(parts) + breaking
