"""Markdown fit for a pull-request comment (GitHub-flavoured tables and ``<details>``)."""

from __future__ import annotations

import re

from ..model import Comparison, FileChange
from . import common

__all__ = ["render_markdown"]


def render_markdown(comparison: Comparison, listing: bool = False) -> str:
    parts = [
        f"## {_escape(common.title_line(comparison))}\n",
        _escape(common.counts_line(comparison.summary)) + "\n",
        _problems(comparison),
        _artifacts(comparison),
        _metadata(comparison),
        _files(comparison),
        *(_file_diff(change) for change in comparison.files),
    ]
    if listing:
        parts.append("### Listing\n\n" + _fence(common.listing_diff(comparison) or "(same)\n"))
    return "\n".join(part for part in parts if part)


def _escape(text: str) -> str:
    """Text safe in a table cell or a heading: Markdown punctuation escaped."""
    text = re.sub(r"([\\`*_{}\[\]<>|#])", r"\\\1", text)
    return text.replace("\n", " ")


def _code(text: str) -> str:
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text.replace('|', '&#124;')}{pad}{ticks}" if text else ""


def _fence(body: str, language: str = "diff") -> str:
    fence = "`" * max(3, max((len(run) for run in re.findall("`{3,}", body)), default=0) + 1)
    return f"{fence}{language}\n{body}{'' if body.endswith(chr(10)) else chr(10)}{fence}\n"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _problems(comparison: Comparison) -> str:
    lines = common.problem_lines(comparison)
    if not lines:
        return ""
    return "> [!WARNING]\n" + "".join(f"> - {_escape(line)}\n" for line in lines)


def _artifacts(comparison: Comparison) -> str:
    rows = [
        [f"**{row.label}**" if row.differs else row.label, _code(row.old), _code(row.new)]
        for row in common.artifact_rows(comparison.old, comparison.new)
    ]
    return "### Artifacts\n\n" + _table(["", "old", "new"], rows)


def _metadata(comparison: Comparison) -> str:
    if not comparison.metadata:
        return "### Metadata\n\nNo changes.\n"
    rows = [
        [
            _escape(change.field) + (f" ({_escape(change.detail)})" if change.detail else ""),
            change.change,
            _code(common.shown(change.old)),
            _code(common.shown(change.new)),
        ]
        for change in comparison.metadata
    ]
    text = "### Metadata\n\n" + _table(["field", "change", "old", "new"], rows)
    for change in comparison.metadata:
        if change.diff:
            text += f"\n<details><summary>{_escape(change.field)}</summary>\n\n"
            text += _fence(common.shown_diff(change.diff)) + "\n</details>\n"
    return text


def _files(comparison: Comparison) -> str:
    identical = f"Identical files (not listed): {comparison.identical}."
    if not comparison.files:
        return f"### Files\n\nNo file differs. {identical}\n"
    rows = [
        [
            _code(common.shown(change.path)),
            str(change.status),
            common.size_change(change),
            common.lines_change(change),
        ]
        for change in comparison.files
    ]
    return "### Files\n\n" + _table(["path", "change", "size", "lines"], rows) + f"\n{identical}\n"


def _file_diff(change: FileChange) -> str:
    notes = "".join(f"- {_escape(note)}\n" for note in common.change_notes(change))
    summary = f"<code>{_html(common.shown(change.path))}</code> ({change.status})"
    body = f"\n{notes}" if notes else ""
    if change.diff:
        body += "\n" + _fence(common.shown_diff(change.diff))
    return f"<details><summary>{summary}</summary>\n{body}\n</details>\n"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
