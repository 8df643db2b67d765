"""A wheel's ``RECORD`` compared as a set of rows, so a reordered file shows no change."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from .model import RecordRow

__all__ = ["compare_record"]


def compare_record(
    old: bytes,
    new: bytes,
    old_key: Callable[[str], str] = lambda path: path,
    new_key: Callable[[str], str] | None = None,
) -> tuple[RecordRow, ...]:
    """The rows whose path or hash changed, by path; each side's key maps its paths to
    what pairs across releases (a wheel's versioned ``.dist-info`` folder); NEW's is OLD's
    unless given."""
    before, after = _rows(old, old_key), _rows(new, new_key or old_key)
    found: list[RecordRow] = []
    for paired in sorted(before.keys() | after.keys()):
        old_row, new_row = before.get(paired), after.get(paired)
        if old_row is None:
            assert new_row is not None
            found.append(RecordRow("added", new_row[0], None, new_row[1]))
        elif new_row is None:
            found.append(RecordRow("removed", old_row[0], old_row[1], None, old_row[0]))
        elif old_row[1] != new_row[1]:
            found.append(RecordRow("changed", new_row[0], old_row[1], new_row[1], old_row[0]))
    return tuple(found)


def _rows(data: bytes, key: Callable[[str], str]) -> dict[str, tuple[str, str]]:
    """Pairing key → (path, hash) for each row; of repeated paths the last wins."""
    rows: dict[str, tuple[str, str]] = {}
    text = data.decode("utf-8", "replace")
    for row in csv.reader(io.StringIO(text, newline="")):
        if row and row[0]:
            rows[key(row[0])] = (row[0], row[1] if len(row) > 1 else "")
    return rows
