"""The heavy sections of a report (API, files, diffs, listing) written straight to HTML.

The directive hands these sections to HTML builders as one node whose HTML
is written here, instead of tens of thousands of docutils nodes that every
Sphinx transform would walk and every pickle would store. The tables and
text are what Sphinx itself writes for the standard nodes of
:mod:`.nodes`, byte for byte (tables of class ``docutils``, literal ``code``
spans; the tests compare them), so themes and the extension's stylesheet
treat both alike. Diffs are Pygments-style ``highlight`` blocks with its
``gd``/``gi``/``gu`` line classes, classed here in one pass without Pygments,
each file in a ``<details>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from .. import report as rp

__all__ = ["HEAVY_SECTIONS", "breakable_code", "render_html_sections"]

# The sections written here; the others stay docutils nodes.
HEAVY_SECTIONS = ("api", "files", "diffs", "listing")
_ROW_BAR_WIDTH = 12
_FILE_COLUMNS = (("path", 46), ("change", 14), ("size", 16), ("lines", 24))
_API_COLUMNS = tuple(zip(rp.API_COLUMNS, rp.API_WIDTHS, strict=True))
# What docutils' HTML writers escape in text (quotes stay; ``@`` against harvesters).
_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", ">": "&gt;", "@": "&#64;"})
# docutils' split of an inline literal into words and spaces.
_WORDS_AND_SPACES = re.compile(r"[^ \n]+| +|\n")


def render_html_sections(sections: Sequence[rp.Section]) -> str:
    return "".join(_WRITERS[type(section)](section) for section in sections)


def _encode(text: str) -> str:
    return text.translate(_SPECIAL)


def _code(text: str, breaks: str = "") -> str:
    """As Sphinx writes an inline literal: words in ``pre`` spans, runs of spaces kept;
    a ``<wbr>`` after each of the ``breaks`` characters."""
    if not text:
        return ""
    parts = []
    for token in _WORDS_AND_SPACES.findall(_encode(text)):
        if token.strip():
            parts.append(f'<span class="pre">{_with_breaks(token, breaks)}</span>')
        elif token in {" ", "\n"}:
            parts.append(token)
        else:
            parts.append("&#160;" * (len(token) - 1) + " ")
    return f'<code class="docutils literal notranslate">{"".join(parts)}</code>'


def _with_breaks(word: str, breaks: str) -> str:
    for mark in breaks:
        word = word.replace(mark, mark + "<wbr>")
    return word


def breakable_code(text: str) -> str:
    """An inline literal that a narrow column breaks after a dot, colon or slash rather
    than inside a word (Alabaster split ``Form.field_order`` and ``skyline.cli:main``)."""
    return _code(text, "./:")


def _heading(text: str) -> str:
    return f'<p class="releasediff-heading rubric">{_encode(text)}</p>\n'


def _paragraph(text: str, classes: str = "") -> str:
    attribute = f' class="{classes}"' if classes else ""
    return f"<p{attribute}>{_encode(text)}</p>\n"


def _files(section: rp.FilesSection) -> str:
    parts = [_heading(section.heading), _paragraph(section.counts)]
    if section.mode_only:
        parts.append(_paragraph(section.mode_only, "releasediff-mode-only"))
    if section.rows:
        scale = rp.diffstat_scale(section.rows, _ROW_BAR_WIDTH)
        rows = [
            (_path_cell(row), _encode(row.status), _encode(row.size), _lines_cell(row, scale))
            for row in section.rows
        ]
        parts.append(_table("releasediff-files", _FILE_COLUMNS, rows, [""] * len(rows)))
    return "".join(parts)


def _api(section: rp.ApiSection) -> str:
    parts = [_heading(section.heading)]
    if section.patterns:
        parts.append(_paragraph(section.patterns_lead, "releasediff-patterns"))
        items = "".join(f"<li><p>{_encode(line)}</p></li>\n" for line in section.patterns)
        parts.append(f'<ul class="releasediff-patterns simple">\n{items}</ul>\n')
    if section.rows:
        rows = [
            (_api_change(row), _encode(row.kind), breakable_code(row.name), _signatures(row))
            for row in section.rows
        ]
        marks = ["releasediff-breaking " if row.breaking else "" for row in section.rows]
        parts.append(_table("releasediff-api", _API_COLUMNS, rows, marks))
    else:
        parts.append(_paragraph(section.empty, "releasediff-empty"))
    parts.extend(_paragraph(note, "releasediff-note") for note in section.notes)
    return "".join(parts)


def _signatures(row: rp.ApiRow) -> str:
    """As nodes.py writes the cell: old and new, each in a span, an arrow between."""
    parts = []
    if row.old:
        parts.append(f'<span class="releasediff-old">{_code(row.old)}</span>')
    if row.old and row.new:
        parts.append(f'<span class="releasediff-arrow">{_encode(rp.API_ARROW)}</span>')
    if row.new:
        parts.append(f'<span class="releasediff-new">{_code(row.new)}</span>')
    return "".join(parts)


def _api_change(row: rp.ApiRow) -> str:
    if not row.breaking:  # as nodes.py writes it
        return _encode(f"{row.change}: {row.why}" if row.why else row.change)
    why = f": {_encode(row.why)}" if row.why else ""
    return f"{_encode(row.change)} <strong>(breaking)</strong>{why}"


def _table(
    classes: str,
    columns: Sequence[tuple[str, int]],
    rows: Sequence[Sequence[str]],
    row_classes: Sequence[str],
) -> str:
    """A table as Sphinx writes one with given column widths, in its scrolling box.

    ``rows`` hold finished cell markup; ``row_classes`` a class prefix per row.
    """
    total = sum(width for _, width in columns)
    widths = "".join(f'<col style="width: {width / total:.1%}" />\n' for _, width in columns)
    header = "".join(f'<th class="head"><p>{name}</p></th>\n' for name, _ in columns)
    # Sphinx numbers the header row first: body rows start even.
    body = "".join(
        f'<tr class="{row_class}row-{"odd" if index % 2 else "even"}">'
        + "".join(f"<td><p>{cell}</p></td>\n" for cell in cells)
        + "</tr>\n"
        for index, (cells, row_class) in enumerate(zip(rows, row_classes, strict=True))
    )
    return (
        # In a box of its own that scrolls sideways on a narrow page (see the stylesheet).
        '<div class="releasediff-scroll docutils container">\n'
        f'<table class="releasediff-table {classes} docutils align-default">\n'
        f"<colgroup>\n{widths}</colgroup>\n"
        f'<thead>\n<tr class="row-odd">{header}</tr>\n</thead>\n<tbody>\n{body}</tbody>\n'
        "</table>\n</div>\n"
    )


def _path_cell(row: rp.FileRow) -> str:
    target = _code(row.path)
    if row.anchor:
        target = f'<a class="reference internal" href="#{_encode(row.anchor)}">{target}</a>'
    if row.old_path:
        return f"{target} ← {_code(row.old_path)}"
    return target


def _lines_cell(row: rp.FileRow, scale: float) -> str:
    if not (row.insertions or row.deletions):
        return _encode(row.lines)
    plus, minus = rp.diffstat_marks(row.insertions, row.deletions, scale, _ROW_BAR_WIDTH)
    marks = "+" * plus + "-" * minus
    bar = f'<span class="releasediff-rowbar releasediff-plus-{plus}">{marks}</span>'
    return f"{_encode(row.lines)} {bar}"


def _diffs(section: rp.DiffsSection) -> str:
    if not section.blocks and not section.notes:
        return ""
    notes = "".join(_paragraph(note, "releasediff-note") for note in section.notes)
    blocks = "".join(_block(block, section.collapse) for block in section.blocks)
    return _heading(section.heading) + notes + blocks


def _block(block: rp.DiffBlock, collapse: bool) -> str:
    opened = "" if collapse else ' open="open"'
    parts = [
        f'<details class="releasediff-file no-search" id="{_encode(block.anchor)}"{opened}>\n'
        f"<summary>{_code(block.path)} ({_encode(block.status)})</summary>\n"
    ]
    if block.notes:
        items = "".join(f"<li><p>{_encode(note)}</p></li>\n" for note in block.notes)
        parts.append(f'<ul class="releasediff-notes simple">\n{items}</ul>\n')
    if block.diff:
        parts.append(diff_block(block.diff))
    parts.append("</details>\n")
    return "".join(parts)


def diff_block(diff: str, classes: str = "releasediff-diff") -> str:
    """A unified diff as Sphinx's Pygments block for ``language="diff"`` writes it."""
    lines = "".join(_diff_line(line) for line in diff.splitlines(keepends=True))
    return (
        f'<div class="{classes} highlight-diff notranslate"><div class="highlight">'
        f"<pre><span></span>{lines}</pre></div>\n</div>\n"
    )


def _diff_line(line: str) -> str:
    text = line.rstrip("\n")
    newline = line[len(text) :]
    kind = _LINE_CLASS.get(text[:1])
    if text.startswith(("--- ", "+++ ")):
        kind = "gh"
    if kind is None:
        if text.startswith(" "):
            return f'<span class="w"> </span>{escape(text[1:])}{newline}'
        return f"{escape(text)}{newline}"
    return f'<span class="{kind}">{escape(text)}</span>{newline}'


# The Pygments token classes of the diff lexer: deleted, inserted, hunk header,
# and the ``\ No newline at end of file`` marker as a comment.
_LINE_CLASS = {"-": "gd", "+": "gi", "@": "gu", "\\": "c"}


def _listing(section: rp.ListingSection) -> str:
    if not section.diff:
        return _heading(section.heading) + _paragraph(section.empty, "no-search")
    return _heading(section.heading) + diff_block(section.diff, "releasediff-diff no-search")


_WRITERS: dict[type, Callable[..., str]] = {
    rp.ApiSection: _api,
    rp.FilesSection: _files,
    rp.DiffsSection: _diffs,
    rp.ListingSection: _listing,
}
