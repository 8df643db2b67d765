"""Plain text for a terminal."""

from __future__ import annotations

from ..model import Comparison, FileChange
from . import common

__all__ = ["render_text"]


def render_text(comparison: Comparison, listing: bool = False) -> str:
    sections = [
        _summary(comparison),
        _problems(comparison),
        _artifacts(comparison),
        _metadata(comparison),
        _files(comparison),
        *(_file_diff(change) for change in comparison.files),
    ]
    if listing:
        sections.append("Listing\n\n" + (common.listing_diff(comparison) or "(same members)\n"))
    return "\n".join(section for section in sections if section)


def _summary(comparison: Comparison) -> str:
    lines = [common.summary_line(comparison)]
    scale = common.diffstat_scale(comparison.files)
    width = max((len(common.shown(change.path)) for change in comparison.files), default=0)
    for change in comparison.files:
        plus, minus = common.diffstat_bar(change, scale)
        bar = f"{change.insertions + change.deletions:>5} {'+' * plus}{'-' * minus}"
        stat = bar if change.insertions or change.deletions else common.brief(change)
        lines.append(f" {common.shown(change.path):<{width}} | {stat}".rstrip())
    if not comparison.files:
        lines.append(" no file differs")
    return "\n".join(lines) + "\n"


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = ["  " + "  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))]
    for row in rows:
        out.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in out) + "\n"


def _problems(comparison: Comparison) -> str:
    lines = common.problem_lines(comparison)
    if not lines:
        return ""
    return "Warnings\n\n" + "".join(f"  ! {line}\n" for line in lines)


def _artifacts(comparison: Comparison) -> str:
    rows = [
        [("* " if row.differs else "  ") + row.label, row.old, row.new]
        for row in common.artifact_rows(comparison.old, comparison.new)
    ]
    return "Artifacts (* differs)\n\n" + _table(rows, ["", "old", "new"])


def _metadata(comparison: Comparison) -> str:
    if not comparison.metadata:
        return "Metadata\n\n  no changes\n"
    rows = [
        [
            change.field + (f" [{change.detail}]" if change.detail and not change.diff else ""),
            change.change,
            common.shown(change.old),
            common.shown(change.new),
        ]
        for change in comparison.metadata
    ]
    text = "Metadata\n\n" + _table(rows, ["field", "change", "old", "new"])
    for change in comparison.metadata:
        if change.diff:
            text += f"\n{change.field} ({change.detail})\n\n{common.shown_diff(change.diff)}"
    return text


def _files(comparison: Comparison) -> str:
    identical = f"{comparison.identical} identical (not listed)"
    if not comparison.files:
        return f"Files: none changed, {identical}\n"
    rows = [
        [
            str(change.status),
            common.shown(change.path),
            common.size_change(change),
            common.lines_change(change),
        ]
        for change in comparison.files
    ]
    changed = len(comparison.files)
    heading = f"Files: {changed} changed, {identical}\n\n"
    return heading + _table(rows, ["change", "path", "size", "lines"])


def _file_diff(change: FileChange) -> str:
    header = f"==== {common.shown(change.path)} ({change.status})"
    notes = "".join(f"  {note}\n" for note in common.change_notes(change))
    body = common.shown_diff(change.diff or "")
    return f"{header}\n{notes}\n{body}" if body else f"{header}\n{notes}"
