"""The report as standard docutils nodes (no Sphinx), for the directive.

Each file's diff is a ``container`` of class ``releasediff-file`` whose first
child is its bold title: every builder prints it plainly. For HTML the
directive writes the heavy sections with :mod:`.html` instead (``<details>``
per file; see ``sphinx_nodes.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

from docutils import nodes

from .. import report as rp
from ..report import Report, Section
from .html import HEAVY_SECTIONS

__all__ = ["breakable_literal", "render_nodes", "section_nodes"]


class breakable_literal(nodes.literal):  # noqa: N801 (docutils node naming)
    """An inline literal (an import path, an entry point, a file path) that HTML breaks
    after its dots, colons and slashes (see :func:`.html.breakable_code`); every other
    writer takes it for a plain literal."""


# Sphinx leaves nodes with this class out of the search index: diff bodies and
# file tables would fill it with every token of the code.
_NO_SEARCH = "no-search"
_ROW_BAR_WIDTH = 12
_SUMMARY_BAR_WIDTH = 10
Cell = nodes.Node | str | list[nodes.Node]


def render_nodes(
    report: Report,
    id_prefix: str,
    caption: str = "",
    body: Callable[[Sequence[Section]], nodes.Node] | None = None,
) -> nodes.container:
    """The report as one container; ``body``, if given, stands in for each run of
    heavy sections (API, files, diffs, listing), which the caller renders its own way."""
    # Paths, versions and code must be shown as they are: no typographic quotes.
    container = nodes.container(classes=["releasediff"], ids=[id_prefix], support_smartquotes=False)
    if caption:
        container += nodes.rubric(caption, caption, classes=["releasediff-caption"])
    # Each run of heavy sections becomes one body, in its place.
    for heavy, sections in groupby(
        report.sections, key=lambda section: body is not None and section.name in HEAVY_SECTIONS
    ):
        if heavy and body is not None:
            container += body(list(sections))
        else:
            container.extend(node for section in sections for node in section_nodes(section))
    return container


def section_nodes(section: Section) -> list[nodes.Node]:
    return _SECTION_WRITERS[type(section)](section)


def _text(text: str, classes: Sequence[str] = ()) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=list(classes))


def _literal(text: str) -> nodes.Node:
    return nodes.literal(text, text) if text else nodes.Text("")


def _breakable(text: str) -> nodes.Node:
    return breakable_literal(text, text) if text else nodes.Text("")


def _heading(text: str) -> nodes.rubric:
    return nodes.rubric(text, text, classes=["releasediff-heading"])


def _bullets(lines: Iterable[str], classes: Sequence[str] = ()) -> nodes.bullet_list:
    items = nodes.bullet_list(classes=list(classes))
    for line in lines:
        item = nodes.list_item()
        item += _text(line)
        items += item
    return items


def _reference(target: nodes.Node, anchor: str | None) -> nodes.Node:
    if not anchor:
        return target
    reference = nodes.reference("", "", internal=True, refid=anchor)
    reference += target
    return reference


def _summary(section: rp.SummarySection) -> list[nodes.Node]:
    paragraph = nodes.paragraph(classes=["releasediff-summary"])
    paragraph += nodes.strong(text=section.title)
    paragraph += nodes.Text(": " + section.counts + " ")
    paragraph += _bar(section.insertions, section.deletions)
    result: list[nodes.Node] = [paragraph]
    if section.notes:
        result.append(_bullets(section.notes, ["releasediff-summary-notes"]))
    if section.identical:
        result.append(_text(section.identical, ["releasediff-identical"]))
    if section.warnings:
        admonition = nodes.warning(classes=["releasediff-problems"])
        admonition += _bullets(section.warnings)
        result.append(admonition)
    return result


def _bar(insertions: int, deletions: int) -> nodes.inline:
    """A diffstat bar: ``+`` and ``-`` marks in proportion, coloured by the stylesheet."""
    plus, minus, same = rp.summary_bar(insertions, deletions, _SUMMARY_BAR_WIDTH)
    bar = nodes.inline(classes=["releasediff-bar"])
    bar += nodes.inline(text="+" * plus, classes=["releasediff-add"])
    bar += nodes.inline(text="-" * minus, classes=["releasediff-del"])
    bar += nodes.inline(text="·" * same, classes=["releasediff-same"])
    return bar


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    classes: Sequence[str],
    widths: Sequence[int],
    row_classes: Sequence[Sequence[str]] | None = None,
) -> nodes.table:
    table = nodes.table(classes=["releasediff-table", "colwidths-given", *classes])
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=width) for width in widths)
    head = nodes.thead()
    head += _row(headers)
    group += head
    body = nodes.tbody()
    for index, cells in enumerate(rows):
        body += _row(cells, row_classes[index] if row_classes else ())
    group += body
    return table


def _row(cells: Sequence[Cell], classes: Sequence[str] = ()) -> nodes.row:
    row = nodes.row(classes=list(classes))
    for cell in cells:
        paragraph = nodes.paragraph()
        if isinstance(cell, str):
            paragraph += nodes.Text(cell)
        elif isinstance(cell, list):
            paragraph.extend(cell)
        else:
            paragraph += cell
        entry = nodes.entry()
        entry += paragraph
        row += entry
    return row


def _notable(section: rp.NotableSection) -> list[nodes.Node]:
    heading = _heading(section.heading)
    if not section.rows:
        return [heading, _text(section.empty, ["releasediff-empty"])]
    rows: list[list[Cell]] = [
        [
            row.label,
            [_reference(_breakable(row.path), row.anchor)] if row.path else "",
            row.detail,
        ]
        for row in section.rows
    ]
    kinds = [[f"releasediff-notable-{row.kind}"] for row in section.rows]
    table = _table(["kind", "path", "detail"], rows, ["releasediff-notable"], [20, 35, 45], kinds)
    return [heading, table]


def _api(section: rp.ApiSection) -> list[nodes.Node]:
    result: list[nodes.Node] = [_heading(section.heading)]
    if section.patterns:
        result.append(_text(section.patterns_lead, ["releasediff-patterns"]))
        result.append(_bullets(section.patterns, ["releasediff-patterns"]))
    if section.rows:
        rows: list[list[Cell]] = [
            [_api_change(row), row.kind, _literal(row.name), _signatures(row)]
            for row in section.rows
        ]
        marks = [["releasediff-breaking"] if row.breaking else [] for row in section.rows]
        result.append(
            _table(
                [*rp.API_COLUMNS],
                rows,
                ["releasediff-api"],
                [*rp.API_WIDTHS],
                marks,
            )
        )
    else:
        result.append(_text(section.empty, ["releasediff-empty"]))
    result.extend(_text(note, ["releasediff-note"]) for note in section.notes)
    return result


def _signatures(row: rp.ApiRow) -> list[nodes.Node]:
    """Old and new in one cell, old first, each in a span of its own: HTML stacks them
    (one a line, marked − and +), other builders write them in a line with an arrow."""
    cell: list[nodes.Node] = []
    if row.old:
        cell.append(nodes.inline("", "", _literal(row.old), classes=["releasediff-old"]))
    if row.old and row.new:
        cell.append(nodes.inline(rp.API_ARROW, rp.API_ARROW, classes=["releasediff-arrow"]))
    if row.new:
        cell.append(nodes.inline("", "", _literal(row.new), classes=["releasediff-new"]))
    return cell


def _api_change(row: rp.ApiRow) -> Cell:
    if not row.breaking:  # a reason may still be said: a removal a shim may serve
        return f"{row.change}: {row.why}" if row.why else row.change
    cell: list[nodes.Node] = [nodes.Text(row.change + " "), nodes.strong(text="(breaking)")]
    if row.why:
        cell.append(nodes.Text(f": {row.why}"))
    return cell


def _artifacts(section: rp.ArtifactsSection) -> list[nodes.Node]:
    cells: list[list[Cell]] = [
        [row.label, _marked(row.old, row.differs), _marked(row.new, row.differs)]
        for row in section.rows
    ]
    marks = [["releasediff-differs"] if row.differs else [] for row in section.rows]
    table = _table(["", "old", "new"], cells, ["releasediff-artifacts"], [16, 42, 42], marks)
    return [_heading(section.heading), table]


def _marked(text: str, differs: bool) -> nodes.Node:
    """A cell value, in bold where the two sides differ, so every builder shows it."""
    literal = _literal(text)
    if not differs or not text:
        return literal
    strong = nodes.strong()
    strong += literal
    return strong


def _metadata(section: rp.MetadataSection) -> list[nodes.Node]:
    heading = _heading(section.heading)
    if not section.rows:
        return [heading, _text(section.empty)]
    rows: list[list[Cell]] = [
        [row.field, row.change, _breakable(row.old), _breakable(row.new)] for row in section.rows
    ]
    table = _table(
        ["field", "change", "old", "new"], rows, ["releasediff-metadata"], [26, 12, 31, 31]
    )
    result: list[nodes.Node] = [heading, table]
    for diff in section.diffs:
        result.append(_text(f"{diff.title}:"))
        result.append(_diff_block(diff.diff))
    return result


def _files(section: rp.FilesSection) -> list[nodes.Node]:
    result: list[nodes.Node] = [_heading(section.heading), _text(section.counts)]
    if section.mode_only:
        result.append(_text(section.mode_only, ["releasediff-mode-only"]))
    if not section.rows:
        return result
    scale = rp.diffstat_scale(section.rows, _ROW_BAR_WIDTH)
    rows: list[list[Cell]] = [
        [_path_cell(row), row.status, row.size, _lines_cell(row, scale)] for row in section.rows
    ]
    result.append(
        _table(["path", "change", "size", "lines"], rows, ["releasediff-files"], [46, 14, 16, 24])
    )
    return result


def _path_cell(row: rp.FileRow) -> list[nodes.Node]:
    target = _reference(_literal(row.path), row.anchor)
    if row.old_path:
        return [target, nodes.Text(" ← "), _literal(row.old_path)]
    return [target]


def _lines_cell(row: rp.FileRow, scale: float) -> list[nodes.Node]:
    if not (row.insertions or row.deletions):
        return [nodes.Text(row.lines)]
    plus, minus = rp.diffstat_marks(row.insertions, row.deletions, scale, _ROW_BAR_WIDTH)
    # One node for the bar (this table can have thousands of rows): the stylesheet
    # colours the first ``plus`` characters green and the rest red.
    bar = nodes.inline(
        text="+" * plus + "-" * minus, classes=["releasediff-rowbar", f"releasediff-plus-{plus}"]
    )
    return [nodes.Text(row.lines + " "), bar]


def _diffs(section: rp.DiffsSection) -> list[nodes.Node]:
    if not section.blocks and not section.notes:
        return []
    return [
        _heading(section.heading),
        *(_text(note, ["releasediff-note"]) for note in section.notes),
        *(_file_block(block) for block in section.blocks),
    ]


def _file_block(block: rp.DiffBlock) -> nodes.container:
    """A file's diff, printed plainly (these nodes reach every builder but HTML)."""
    container = nodes.container(classes=["releasediff-file", _NO_SEARCH])
    # A target, not the container's id: LaTeX writes labels for targets, so links
    # from the files and notable tables resolve in a PDF too.
    container += nodes.target("", "", ids=[block.anchor])
    title = nodes.paragraph(classes=["releasediff-file-title"])
    strong = nodes.strong()
    strong += _literal(block.path)
    strong += nodes.Text(f" ({block.status})")
    title += strong
    container += title
    if block.notes:
        container += _bullets(block.notes, ["releasediff-notes"])
    if block.diff:
        container += _diff_block(block.diff)
    return container


def _diff_block(text: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language="diff", classes=["releasediff-diff"])
    block["highlight_args"] = {}
    return block


def _listing(section: rp.ListingSection) -> list[nodes.Node]:
    body: nodes.Element
    body = _diff_block(section.diff) if section.diff else _text(section.empty)
    body["classes"].append(_NO_SEARCH)
    return [_heading(section.heading), body]


_SECTION_WRITERS: dict[type, Callable[..., list[nodes.Node]]] = {
    rp.SummarySection: _summary,
    rp.NotableSection: _notable,
    rp.ApiSection: _api,
    rp.ArtifactsSection: _artifacts,
    rp.MetadataSection: _metadata,
    rp.FilesSection: _files,
    rp.DiffsSection: _diffs,
    rp.ListingSection: _listing,
}
