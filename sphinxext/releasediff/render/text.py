"""Plain text for a terminal: the report laid out in aligned columns."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import report as rp
from ..report import Report

__all__ = ["DEFAULT_WIDTH", "render_text"]

# The width when there is no terminal to ask, as git's --stat uses.
DEFAULT_WIDTH = 80
# The fewest columns a diffstat's bar and its names are given, however narrow the width.
_FEWEST_BAR_COLUMNS = 6
_FEWEST_NAME_COLUMNS = 10


def render_text(report: Report, width: int = DEFAULT_WIDTH) -> str:
    """The report; ``width`` bounds the summary's diffstat lines (the terminal's columns)."""
    writers = {**_SECTION_WRITERS, rp.SummarySection: lambda s: _summary(s, width)}
    parts = [writers[type(section)](section) for section in report.sections]
    return "\n".join(part for part in parts if part)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _heading(text: str) -> str:
    return f"{text}\n\n"


def _summary(section: rp.SummarySection, width: int) -> str:
    # Warnings right under the line they qualify ("OLD is newer than NEW"), not after
    # the diffstat.
    lines = [section.line, *(f"  ! {warning}" for warning in section.warnings)]
    lines.extend(f"  {note}" for note in section.notes)
    if section.identical:
        lines.append(f"  {section.identical}")
    lines.extend(_diffstat(section.diffstat, width))
    if section.diffstat_more:
        lines.append(f" {section.diffstat_more}")
    return "\n".join(lines) + "\n"


def _diffstat(rows: Sequence[rp.DiffstatRow], width: int) -> list[str]:
    """``name | count bar`` lines within ``width`` columns, laid out as git's --stat:
    names and bar in full when they fit; else the bar gets at most 3/8 of the width and
    names are cut at the front (``…/LC_MESSAGES/django.po``)."""
    if not rows:
        return []
    most = max(row.insertions + row.deletions for row in rows)
    number_width = len(str(most))
    # " " name " | " count " " bar, and one column left free at the end.
    fixed = number_width + 6
    name_width = max(len(row.path) for row in rows)
    bar_width = most
    if name_width + bar_width + fixed > width:
        bar_width = min(bar_width, max(_FEWEST_BAR_COLUMNS, width * 3 // 8 - fixed))
        if name_width > width - fixed - bar_width:
            name_width = max(_FEWEST_NAME_COLUMNS, width - fixed - bar_width)
        else:
            bar_width = width - fixed - name_width
    scale = rp.diffstat_scale(rows, bar_width)
    lines = []
    for row in rows:
        total = row.insertions + row.deletions
        plus, minus = rp.diffstat_marks(row.insertions, row.deletions, scale, bar_width)
        stat = f"{total:>{number_width}} {'+' * plus}{'-' * minus}" if total else row.brief
        lines.append(f" {_cut_name(row.path, name_width):<{name_width}} | {stat}".rstrip())
    return lines


def _cut_name(path: str, width: int) -> str:
    """A path within ``width`` columns: its end kept, from a folder boundary when one is near."""
    if len(path) <= width:
        return path
    tail = path[len(path) - (width - 1) :]
    slash = tail.find("/")
    return "\u2026" + (tail[slash:] if slash > 0 else tail)


def _notable(section: rp.NotableSection) -> str:
    if not section.rows:
        return _heading(section.heading) + f"  {section.empty}\n"
    rows = [[row.label, row.path or "", row.detail] for row in section.rows]
    return _heading(section.heading) + _table(["kind", "path", "detail"], rows)


def _api(section: rp.ApiSection) -> str:
    """One line a name, aligned; under it the old and the new signature, as in a diff
    (two signatures side by side made lines of 800 characters on Django)."""
    text = _heading(section.heading)
    if not section.rows:
        text += f"  {section.empty}\n"
    if section.patterns:
        text += f"  {section.patterns_lead}\n" + "".join(f"    {p}\n" for p in section.patterns)
        text += "\n"
    heads = [[row.change, row.kind, row.name + row.mark] for row in section.rows]
    widths = [max(len(head[i]) for head in heads) for i in range(2)] if heads else []
    for row, (change, kind, name) in zip(section.rows, heads, strict=True):
        text += f"  {change:<{widths[0]}}  {kind:<{widths[1]}}  {name}\n"
        # A module's "signature" is its dotted name, said once already.
        text += f"      - {row.old}\n" if row.old and row.old != row.name else ""
        text += f"      + {row.new}\n" if row.new and row.new != row.name else ""
    return text + "".join(f"  {note}\n" for note in section.notes)


def _artifacts(section: rp.ArtifactsSection) -> str:
    rows = [[("* " if row.differs else "  ") + row.label, row.old, row.new] for row in section.rows]
    return _heading(f"{section.heading} (* differs)") + _table(["", "old", "new"], rows)


def _metadata(section: rp.MetadataSection) -> str:
    if not section.rows:
        return _heading(section.heading) + f"  {section.empty}\n"
    rows = [[row.field, row.change, row.old, row.new] for row in section.rows]
    text = _heading(section.heading) + _table(["field", "change", "old", "new"], rows)
    for diff in section.diffs:
        text += f"\n{diff.title}\n\n{diff.diff}"
    return text


def _files(section: rp.FilesSection) -> str:
    text = _heading(section.heading) + f"  {section.counts}\n"
    if section.mode_only:
        text += f"  {section.mode_only}\n"
    if not section.rows:
        return text
    rows = [
        [
            row.status,
            row.path + (f" (from {row.old_path})" if row.old_path else ""),
            row.size,
            row.lines,
        ]
        for row in section.rows
    ]
    return text + "\n" + _table(["change", "path", "size", "lines"], rows)


def _diffs(section: rp.DiffsSection) -> str:
    if not section.blocks and not section.notes:
        return ""
    notes = "".join(f"  {note}\n\n" for note in section.notes)
    return _heading(section.heading) + notes + "\n".join(_block(b) for b in section.blocks)


def _block(block: rp.DiffBlock) -> str:
    header = f"==== {block.path} ({block.status})"
    notes = "".join(f"  {note}\n" for note in block.notes)
    return f"{header}\n{notes}\n{block.diff}" if block.diff else f"{header}\n{notes}"


def _listing(section: rp.ListingSection) -> str:
    return _heading(section.heading) + (section.diff or f"  {section.empty}\n")


_SECTION_WRITERS: dict[type, Callable[..., str]] = {
    rp.SummarySection: _summary,
    rp.NotableSection: _notable,
    rp.ApiSection: _api,
    rp.ArtifactsSection: _artifacts,
    rp.MetadataSection: _metadata,
    rp.FilesSection: _files,
    rp.DiffsSection: _diffs,
    rp.ListingSection: _listing,
}
