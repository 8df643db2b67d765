"""The comparison as docutils nodes, for Sphinx.

Only standard nodes are used, except :class:`diff_details` and
:class:`diff_summary`, which HTML builders render as ``<details>`` and
``<summary>``; :class:`PlainDetails` turns them into standard nodes for
every other builder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxTranslator

from ..model import Comparison, FileChange, MetadataChange
from . import common

__all__ = [
    "SECTIONS",
    "PlainDetails",
    "RenderOptions",
    "depart_diff_details",
    "depart_diff_summary",
    "diff_details",
    "diff_summary",
    "render_nodes",
    "visit_diff_details",
    "visit_diff_summary",
]

SECTIONS = ("summary", "artifacts", "metadata", "files", "diffs", "listing")
# Sphinx leaves nodes with this class out of the search index: diff bodies and
# file tables would fill it with every token of the code.
_NO_SEARCH = "no-search"
_HTML_BUILDERS = ("html", "dirhtml", "singlehtml")
Cell = nodes.Node | str | list[nodes.Node]


class diff_details(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """A collapsible block: ``<details>`` in HTML, a plain container elsewhere."""


class diff_summary(nodes.General, nodes.TextElement):  # noqa: N801
    """The always-visible title of a :class:`diff_details`."""


@dataclass(frozen=True, slots=True)
class RenderOptions:
    show: tuple[str, ...] = ("summary", "artifacts", "metadata", "files", "diffs")
    collapse: bool = False
    # Ids of this release diff start with it, so several on one page stay unique.
    id_prefix: str = "releasediff"
    # Diff lines one release diff may show in all; later files get a note instead.
    max_total_diff_lines: int = 20_000
    caption: str = ""


def render_nodes(comparison: Comparison, options: RenderOptions) -> nodes.container:
    # Paths, versions and code must be shown as they are: no typographic quotes.
    container = nodes.container(
        classes=["releasediff"], ids=[options.id_prefix], support_smartquotes=False
    )
    if options.caption:
        container += nodes.rubric(options.caption, options.caption, classes=["releasediff-caption"])
    anchors = {
        id(change): f"{options.id_prefix}-{common.file_anchor(i)}"
        for i, change in enumerate(comparison.files)
    }
    builders = {
        "summary": lambda: [*_summary(comparison), *_problems(comparison)],
        "artifacts": lambda: _artifacts(comparison),
        "metadata": lambda: _metadata(comparison),
        "files": lambda: _files(comparison, anchors, "diffs" in options.show),
        "diffs": lambda: _diffs(comparison, anchors, options),
        "listing": lambda: _listing(comparison, options),
    }
    for section in SECTIONS:
        if section in options.show:
            container.extend(builders[section]())
    return container


def _text(text: str, classes: Sequence[str] = ()) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=list(classes))


def _literal(text: str) -> nodes.Node:
    return nodes.literal(text, text) if text else nodes.Text("")


def _heading(text: str) -> nodes.rubric:
    return nodes.rubric(text, text, classes=["releasediff-heading"])


def _summary(comparison: Comparison) -> list[nodes.Node]:
    summary = comparison.summary
    paragraph = nodes.paragraph(classes=["releasediff-summary"])
    paragraph += nodes.strong(text=common.title_line(comparison))
    paragraph += nodes.Text(": " + common.counts_line(summary) + " ")
    paragraph += _bar(summary.insertions, summary.deletions, width=10)
    if not comparison.has_differences:
        return [
            paragraph,
            _text("The two archives hold the same files and metadata.", ["releasediff-identical"]),
        ]
    return [paragraph]


def _problems(comparison: Comparison) -> list[nodes.Node]:
    """The archives' problems and odd pairs, in an admonition every builder shows."""
    lines = common.problem_lines(comparison)
    if not lines:
        return []
    admonition = nodes.warning(classes=["releasediff-problems"])
    items = nodes.bullet_list()
    for line in lines:
        item = nodes.list_item()
        item += _text(line)
        items += item
    admonition += items
    return [admonition]


def _bar(insertions: int, deletions: int, width: int) -> nodes.inline:
    """A diffstat bar: ``+`` and ``-`` marks in proportion, coloured by the stylesheet."""
    total = insertions + deletions
    plus = round(width * insertions / total) if total else 0
    if insertions and not plus:
        plus = 1
    minus = min(width - plus, round(width * deletions / total)) if total else 0
    if deletions and not minus and plus > 1:
        plus, minus = plus - 1, 1
    bar = nodes.inline(classes=["releasediff-bar"])
    bar += nodes.inline(text="+" * plus, classes=["releasediff-add"])
    bar += nodes.inline(text="-" * minus, classes=["releasediff-del"])
    bar += nodes.inline(text="·" * (width - plus - minus), classes=["releasediff-same"])
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


def _artifacts(comparison: Comparison) -> list[nodes.Node]:
    rows = common.artifact_rows(comparison.old, comparison.new)
    cells: list[list[Cell]] = [
        [row.label, _marked(row.old, row.differs), _marked(row.new, row.differs)] for row in rows
    ]
    marks = [["releasediff-differs"] if row.differs else [] for row in rows]
    table = _table(["", "old", "new"], cells, ["releasediff-artifacts"], [16, 42, 42], marks)
    return [_heading("Artifacts"), table]


def _marked(text: str, differs: bool) -> nodes.Node:
    """A cell value, in bold where the two sides differ, so every builder shows it."""
    literal = _literal(text)
    if not differs or not text:
        return literal
    strong = nodes.strong()
    strong += literal
    return strong


def _metadata(comparison: Comparison) -> list[nodes.Node]:
    heading = _heading("Package metadata")
    if not comparison.metadata:
        return [heading, _text("No metadata field changed.")]
    rows: list[list[Cell]] = [
        [
            _field_label(change),
            change.change,
            _literal(common.shown(change.old)),
            _literal(common.shown(change.new)),
        ]
        for change in comparison.metadata
    ]
    table = _table(
        ["field", "change", "old", "new"], rows, ["releasediff-metadata"], [26, 12, 31, 31]
    )
    result: list[nodes.Node] = [heading, table]
    for change in comparison.metadata:
        if change.diff:
            result.append(_text(f"{change.field} ({change.detail}):"))
            result.append(_diff_block(common.shown_diff(change.diff)))
    return result


def _field_label(change: MetadataChange) -> str:
    if change.detail and not change.diff:
        return f"{change.field} ({change.detail})"
    return change.field


def _files(comparison: Comparison, anchors: dict[int, str], linked: bool) -> list[nodes.Node]:
    summary = comparison.summary
    heading = _heading("Files")
    counts = _text(
        f"{common.plural(len(comparison.files), 'file')} changed, "
        f"{common.plural(summary.identical, 'identical file')} not listed."
    )
    if not comparison.files:
        return [heading, counts]
    scale = common.diffstat_scale(comparison.files, width=12)
    rows: list[list[Cell]] = [
        [
            _path_cell(change, anchors[id(change)] if linked else None),
            str(change.status),
            common.size_change(change),
            _lines_cell(change, scale),
        ]
        for change in comparison.files
    ]
    table = _table(
        ["path", "change", "size", "lines"], rows, ["releasediff-files"], [46, 14, 16, 24]
    )
    return [heading, counts, table]


def _path_cell(change: FileChange, anchor: str | None) -> list[nodes.Node]:
    target: nodes.Node = _literal(common.shown(change.path))
    if anchor:
        reference = nodes.reference("", "", internal=True, refid=anchor)
        reference += target
        target = reference
    if change.old_path and change.old_path != change.path:
        return [target, nodes.Text(" ← "), _literal(common.shown(change.old_path))]
    return [target]


def _lines_cell(change: FileChange, scale: float) -> list[nodes.Node]:
    if change.binary:
        return [nodes.Text("binary")]
    if not (change.insertions or change.deletions):
        return [nodes.Text(common.brief(change))]
    plus, minus = common.diffstat_bar(change, scale, width=12)
    # One node for the bar (this table can have thousands of rows): the stylesheet
    # colours the first ``plus`` characters green and the rest red.
    bar = nodes.inline(
        text="+" * plus + "-" * minus, classes=["releasediff-rowbar", f"releasediff-plus-{plus}"]
    )
    return [nodes.Text(common.lines_change(change) + " "), bar]


def _diffs(
    comparison: Comparison, anchors: dict[int, str], options: RenderOptions
) -> list[nodes.Node]:
    if not comparison.files:
        return []
    budget = options.max_total_diff_lines
    result: list[nodes.Node] = [_heading("Diffs")]
    for change in comparison.files:
        lines = change.diff.count("\n") if change.diff else 0
        shown = budget <= 0 or lines <= budget
        result.append(_file_block(change, anchors[id(change)], options.collapse, shown))
        if shown and budget > 0:
            budget -= lines
    return result


def _file_block(change: FileChange, anchor: str, collapse: bool, shown: bool) -> diff_details:
    details = diff_details(
        ids=[anchor], classes=["releasediff-file", _NO_SEARCH], open=not collapse
    )
    title = diff_summary()
    title += _literal(common.shown(change.path))
    title += nodes.Text(f" ({change.status})")
    details += title
    notes = common.change_notes(change)
    if change.diff and not shown:
        notes.append(
            "diff not shown: this release diff reached its limit of diff lines "
            "(releasediff_max_total_diff_lines)"
        )
    if notes:
        note_list = nodes.bullet_list(classes=["releasediff-notes"])
        for note in notes:
            item = nodes.list_item()
            item += _text(note)
            note_list += item
        details += note_list
    if change.diff and shown:
        details += _diff_block(common.shown_diff(change.diff))
    return details


def _diff_block(text: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text, language="diff", classes=["releasediff-diff"])
    block["highlight_args"] = {}
    return block


def _listing(comparison: Comparison, options: RenderOptions) -> list[nodes.Node]:
    text = common.listing_diff(comparison, context=comparison.context)
    body: nodes.Element = _diff_block(text) if text else _text("The member listings are the same.")
    body["classes"].append(_NO_SEARCH)
    return [_heading("Listing"), body]


class PlainDetails(SphinxPostTransform):
    """Outside HTML, a collapsible block becomes a container with a bold title."""

    default_priority = 200

    def is_supported(self) -> bool:
        # Sphinx 9 knows the builder class on the environment; before, on the app.
        builder = getattr(self.env, "_builder_cls", None) or self.app.builder
        return builder.name not in _HTML_BUILDERS

    def run(self, **kwargs: Any) -> None:
        for details in list(self.document.findall(diff_details)):
            container = nodes.container(ids=details["ids"], classes=details["classes"])
            for child in details.children:
                if isinstance(child, diff_summary):
                    title = nodes.paragraph(classes=["releasediff-file-title"])
                    strong = nodes.strong()
                    strong.extend(child.children)
                    title += strong
                    container += title
                else:
                    container += child
            details.replace_self(container)


def visit_diff_details(translator: SphinxTranslator, node: diff_details) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    translator.body.append(translator.starttag(node, "details", **attributes))  # type: ignore[attr-defined]


def depart_diff_details(translator: SphinxTranslator, node: diff_details) -> None:
    translator.body.append("</details>\n")  # type: ignore[attr-defined]


def visit_diff_summary(translator: SphinxTranslator, node: diff_summary) -> None:
    translator.body.append(translator.starttag(node, "summary", suffix=""))  # type: ignore[attr-defined]


def depart_diff_summary(translator: SphinxTranslator, node: diff_summary) -> None:
    translator.body.append("</summary>\n")  # type: ignore[attr-defined]
