"""reStructuredText, to paste into documentation that does not load the extension.

Headings are rubrics (they never clash with the page's own section levels),
tables are ``list-table`` directives and diffs ``code-block:: diff``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .. import report as rp
from ..report import Report

__all__ = ["render_rst"]

_SPECIAL = re.compile(r"([\\`*_|])")


def render_rst(report: Report) -> str:
    parts = [_WRITERS[type(section)](section) for section in report.sections]
    return "\n".join(part for part in parts if part)


def _escape(text: str) -> str:
    """Plain text: markup characters escaped, so nothing in it becomes markup."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _literal(text: str) -> str:
    if not text:
        return ""
    if "``" in text or text != text.strip() or text.endswith("`"):
        return _escape(text)
    return f"``{text}``"


def _rubric(text: str) -> str:
    return f".. rubric:: {_escape(text)}\n\n"


# docutils refuses a line over 10,000 characters (its line_length_limit): a minified
# JSON line of botocore's failed a -W build that included the output.
_LONGEST_LINE = 9_000


def _code(body: str) -> str:
    lines = "".join(
        f"   {_within_limit(line)}" if line.strip() else "\n" for line in body.splitlines(True)
    )
    return f".. code-block:: diff\n\n{lines}{'' if lines.endswith(chr(10)) else chr(10)}"


def _within_limit(line: str) -> str:
    text = line.rstrip("\r\n")
    if len(text) <= _LONGEST_LINE:
        return line
    left_out = len(text) - _LONGEST_LINE
    return f"{text[:_LONGEST_LINE]} … ({left_out:,} more characters on this line not shown)\n"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: str) -> str:
    def row(cells: Sequence[str]) -> str:
        first, *rest = (cell or "\\ " for cell in cells)
        return f"   * - {first}\n" + "".join(f"     - {cell}\n" for cell in rest)

    return (
        f".. list-table::\n   :header-rows: 1\n   :widths: {widths}\n\n"
        + row(header)
        + "".join(row(cells) for cells in rows)
    )


def _bullets(lines: Sequence[str]) -> str:
    return "".join(f"- {_escape(line)}\n" for line in lines)


def _summary(section: rp.SummarySection) -> str:
    text = f"**{_escape(section.title)}**: {_escape(section.counts)}\n"
    notes = [*section.notes, *([section.identical] if section.identical else [])]
    if notes:
        text += "\n" + _bullets(notes)
    if section.warnings:
        items = "".join(f"   - {_escape(line)}\n" for line in section.warnings)
        text += f"\n.. warning::\n\n{items}"
    return text


def _notable(section: rp.NotableSection) -> str:
    if not section.rows:
        return _rubric(section.heading) + _escape(section.empty) + "\n"
    rows = [[_escape(r.label), _literal(r.path or ""), _escape(r.detail)] for r in section.rows]
    return _rubric(section.heading) + _table(["kind", "path", "detail"], rows, "20 35 45")


def _api(section: rp.ApiSection) -> str:
    text = _rubric(section.heading)
    if section.patterns:
        text += f"{_escape(section.patterns_lead)}\n\n{_bullets(section.patterns)}\n"
    if section.rows:
        rows = [
            [
                row.change
                + (" **(breaking)**" if row.breaking else "")
                + (f" {_literal(row.why)}" if row.why else ""),
                row.kind,
                _literal(row.name),
                _literal(row.old),
                _literal(row.new),
            ]
            for row in section.rows
        ]
        text += _table(["change", "kind", "name", "old", "new"], rows, "12 10 26 26 26")
    else:
        text += _escape(section.empty) + "\n"
    return text + "".join(f"\n{_escape(note)}\n" for note in section.notes)


def _artifacts(section: rp.ArtifactsSection) -> str:
    rows = [
        [f"**{row.label}**" if row.differs else row.label, _literal(row.old), _literal(row.new)]
        for row in section.rows
    ]
    return _rubric(section.heading) + _table(["", "old", "new"], rows, "16 42 42")


def _metadata(section: rp.MetadataSection) -> str:
    if not section.rows:
        return _rubric(section.heading) + _escape(section.empty) + "\n"
    rows = [
        [_escape(row.field), row.change, _literal(row.old), _literal(row.new)]
        for row in section.rows
    ]
    text = _rubric(section.heading) + _table(["field", "change", "old", "new"], rows, "26 12 31 31")
    for diff in section.diffs:
        text += f"\n{_escape(diff.title)}:\n\n" + _code(diff.diff)
    return text


def _files(section: rp.FilesSection) -> str:
    text = _rubric(section.heading) + _escape(section.counts) + "\n"
    if section.mode_only:
        text += f"\n{_escape(section.mode_only)}\n"
    if not section.rows:
        return text
    rows = [
        [
            _literal(row.path) + (f" ← {_literal(row.old_path)}" if row.old_path else ""),
            row.status,
            _escape(row.size),
            _escape(row.lines),
        ]
        for row in section.rows
    ]
    return text + "\n" + _table(["path", "change", "size", "lines"], rows, "46 14 16 24")


def _diffs(section: rp.DiffsSection) -> str:
    if not section.blocks and not section.notes:
        return ""
    notes = "".join(f"{_escape(note)}\n\n" for note in section.notes)
    return _rubric(section.heading) + notes + "\n".join(_block(b) for b in section.blocks)


def _block(block: rp.DiffBlock) -> str:
    text = f"**{_escape(block.path)}** ({block.status})\n"
    if block.notes:
        text += "\n" + _bullets(block.notes)
    if block.diff:
        text += "\n" + _code(block.diff)
    return text


def _listing(section: rp.ListingSection) -> str:
    body = _code(section.diff) if section.diff else _escape(section.empty) + "\n"
    return _rubric(section.heading) + body


_WRITERS: dict[type, Callable[..., str]] = {
    rp.SummarySection: _summary,
    rp.NotableSection: _notable,
    rp.ApiSection: _api,
    rp.ArtifactsSection: _artifacts,
    rp.MetadataSection: _metadata,
    rp.FilesSection: _files,
    rp.DiffsSection: _diffs,
    rp.ListingSection: _listing,
}
