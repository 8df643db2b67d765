"""Markdown fit for a pull-request comment (GitHub-flavoured tables and ``<details>``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .. import report as rp
from ..report import Report

__all__ = ["render_markdown"]


def render_markdown(report: Report) -> str:
    parts = [_SECTION_WRITERS[type(section)](section) for section in report.sections]
    return "\n".join(part for part in parts if part)


def _escape(text: str) -> str:
    """Text safe in a table cell or a heading: Markdown punctuation escaped."""
    text = re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)
    return text.replace("\n", " ")


def _code(text: str) -> str:
    """Code in a table cell: GitHub's tables take ``\\|`` for a pipe, also in a code span
    (where an entity such as ``&#124;`` would be shown as written)."""
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text.replace('|', chr(92) + '|')}{pad}{ticks}" if text else ""


def _fence(body: str, language: str = "diff") -> str:
    fence = "`" * max(3, max((len(run) for run in re.findall("`{3,}", body)), default=0) + 1)
    return f"{fence}{language}\n{body}{'' if body.endswith(chr(10)) else chr(10)}{fence}\n"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _heading(text: str) -> str:
    return f"### {_escape(text)}\n\n"


def _summary(section: rp.SummarySection) -> str:
    text = f"## {_escape(section.title)}\n\n{_escape(section.counts)}\n"
    notes = [*section.notes, *([section.identical] if section.identical else [])]
    if notes:
        text += "\n" + "".join(f"- {_escape(note)}\n" for note in notes)
    if section.warnings:
        text += "\n> [!WARNING]\n" + "".join(f"> - {_escape(w)}\n" for w in section.warnings)
    return text


def _notable(section: rp.NotableSection) -> str:
    if not section.rows:
        return _heading(section.heading) + f"{_escape(section.empty)}\n"
    rows = [
        [_escape(row.label), _code(row.path) if row.path else "", _escape(row.detail)]
        for row in section.rows
    ]
    return _heading(section.heading) + _table(["kind", "path", "detail"], rows)


def _api(section: rp.ApiSection) -> str:
    text = _heading(section.heading)
    if section.patterns:
        text += f"{_escape(section.patterns_lead)}\n\n"
        text += "".join(f"- {_escape(line)}\n" for line in section.patterns) + "\n"
    if section.rows:
        rows = [
            [
                row.change
                + (" **(breaking)**" if row.breaking else "")
                + (f" {_code(row.why)}" if row.why else ""),
                row.kind,
                _code(row.name),
                _code(row.old),
                _code(row.new),
            ]
            for row in section.rows
        ]
        text += _table(["change", "kind", "name", "old", "new"], rows)
    else:
        text += f"{_escape(section.empty)}\n"
    return text + "".join(f"\n{_escape(note)}\n" for note in section.notes)


def _artifacts(section: rp.ArtifactsSection) -> str:
    rows = [
        [f"**{row.label}**" if row.differs else row.label, _code(row.old), _code(row.new)]
        for row in section.rows
    ]
    return _heading(section.heading) + _table(["", "old", "new"], rows)


def _metadata(section: rp.MetadataSection) -> str:
    if not section.rows:
        return _heading(section.heading) + f"{_escape(section.empty)}\n"
    rows = [
        [_escape(row.field), row.change, _code(row.old), _code(row.new)] for row in section.rows
    ]
    text = _heading(section.heading) + _table(["field", "change", "old", "new"], rows)
    for diff in section.diffs:
        text += f"\n<details><summary>{_escape(diff.title)}</summary>\n\n"
        text += _fence(diff.diff) + "\n</details>\n"
    return text


def _files(section: rp.FilesSection) -> str:
    text = _heading(section.heading) + f"{_escape(section.counts)}\n"
    if section.mode_only:
        text += f"\n{_escape(section.mode_only)}\n"
    if not section.rows:
        return text
    rows = [
        [
            _code(row.path) + (f" ← {_code(row.old_path)}" if row.old_path else ""),
            row.status,
            row.size,
            row.lines,
        ]
        for row in section.rows
    ]
    return text + "\n" + _table(["path", "change", "size", "lines"], rows)


def _diffs(section: rp.DiffsSection) -> str:
    if not section.blocks and not section.notes:
        return ""
    notes = "".join(f"{_escape(note)}\n\n" for note in section.notes)
    return _heading(section.heading) + notes + "\n".join(_block(b) for b in section.blocks)


def _block(block: rp.DiffBlock) -> str:
    """Closed, as a pull-request comment wants it."""
    notes = "".join(f"- {_escape(note)}\n" for note in block.notes)
    summary = f"<code>{_html(block.path)}</code> ({block.status})"
    body = f"\n{notes}" if notes else ""
    if block.diff:
        body += "\n" + _fence(block.diff)
    return f"<details><summary>{summary}</summary>\n{body}\n</details>\n"


def _listing(section: rp.ListingSection) -> str:
    body = _fence(section.diff) if section.diff else f"{_escape(section.empty)}\n"
    return _heading(section.heading) + body


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
