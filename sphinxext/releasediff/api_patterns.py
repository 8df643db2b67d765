"""One member changed alike across many names, said once and listed last.

Pygments 2.18 added ``version_added`` to 576 lexer classes and changed the
``url`` of 281: 857 of its 1,004 API rows, among which its one new method
is hard to find. Where at least :data:`PATTERN_AT` rows make the same change
to a member of the same name and kind, the API section says so in one line
and lists those rows after the others. Every row is still listed; JSON keeps
them all in name order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .model import ApiChange

__all__ = ["PATTERN_AT", "Pattern", "patterns_first_rows_last"]

# Rows of one change to one member name that make a pattern.
PATTERN_AT = 10


@dataclass(frozen=True, slots=True)
class Pattern:
    """``count`` names had their member ``member`` (a ``kind``) ``change``-d."""

    change: str
    kind: str
    member: str
    count: int
    breaking: int

    @property
    def line(self) -> str:
        breaking = f", {self.breaking:,} of them breaking" if self.breaking else ""
        where = {"added": "to", "removed": "from"}.get(self.change, "in")
        return f"{self.member}: {self.kind} {self.change} {where} {self.count:,} names{breaking}"


def _key(change: ApiChange) -> tuple[str, str, str]:
    return change.change, change.kind, change.name.rpartition(".")[2]


def patterns_first_rows_last(
    changes: Sequence[ApiChange],
) -> tuple[tuple[Pattern, ...], tuple[ApiChange, ...]]:
    """The patterns, largest first, and the changes in the order shown: those in no
    pattern by name, then each pattern's by name."""
    counts = Counter(_key(change) for change in changes)
    keys = sorted(
        (key for key, count in counts.items() if count >= PATTERN_AT),
        key=lambda key: (-counts[key], key[2], key[0], key[1]),
    )
    if not keys:
        return (), tuple(changes)
    rank = {key: index for index, key in enumerate(keys)}
    ordered = sorted(
        changes, key=lambda change: (rank.get(_key(change), -1), change.name, change.change)
    )
    patterns = tuple(
        Pattern(
            *key,
            count=counts[key],
            breaking=sum(1 for change in changes if change.breaking and _key(change) == key),
        )
        for key in keys
    )
    return patterns, tuple(ordered)
