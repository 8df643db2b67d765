"""The heavy sections of a report (files, diffs, listing) written straight to HTML.

The directive hands these sections to HTML builders as one node whose HTML
is written here, instead of tens of thousands of docutils nodes that every
Sphinx transform would walk and every pickle would store. The markup is what
Sphinx itself writes for the same standard nodes (tables of class
``docutils``, literal ``code`` spans, Pygments' ``highlight`` blocks with its
``gd``/``gi``/``gu`` line classes), so themes and the extension's stylesheet
treat both alike. Diff lines are classed here in one pass, without Pygments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape

from .. import report as rp

__all__ = ["HEAVY_SECTIONS", "render_html_sections"]

# The sections written here; the others stay docutils nodes.
HEAVY_SECTIONS = ("files", "diffs", "listing")
_ROW_BAR_WIDTH = 12
_FILE_WIDTHS = (46, 14, 16, 24)


def render_html_sections(sections: Sequence[rp.Section]) -> str:
    return "".join(_WRITERS[type(section)](section) for section in sections)


def _code(text: str) -> str:
    """As Sphinx writes an inline literal: words in ``pre`` spans, runs of spaces kept."""
    parts = []
    for token in _WORDS_AND_SPACES.findall(text):
        if token.strip():
            parts.append(f'<span class="pre">{escape(token)}</span>')
        else:
            parts.append("&#160;" * (len(token) - 1) + " ")
    return f'<code class="docutils literal notranslate">{"".join(parts)}</code>'


_WORDS_AND_SPACES = re.compile(r"\S+| +|\s")


def _heading(text: str) -> str:
    return f'<p class="rubric releasediff-heading">{escape(text)}</p>\n'


def _paragraph(text: str, classes: str = "") -> str:
    attribute = f' class="{classes}"' if classes else ""
    return f"<p{attribute}>{escape(text)}</p>\n"


def _files(section: rp.FilesSection) -> str:
    parts = [_heading(section.heading), _paragraph(section.counts)]
    if section.mode_only:
        parts.append(_paragraph(section.mode_only, "releasediff-mode-only"))
    if section.rows:
        # In a box of its own that scrolls sideways on a narrow page (see the stylesheet).
        parts.append(
            '<div class="releasediff-scroll docutils container">\n'
            + _files_table(section.rows)
            + "</div>\n"
        )
    return "".join(parts)


def _files_table(rows: Sequence[rp.FileRow]) -> str:
    scale = rp.diffstat_scale(rows, _ROW_BAR_WIDTH)
    columns = "".join(f'<col style="width: {width}.0%" />\n' for width in _FILE_WIDTHS)
    header = "\n".join(
        f'<th class="head"><p>{name}</p></th>' for name in ("path", "change", "size", "lines")
    )
    body = "".join(
        f'<tr class="row-{"odd" if index % 2 else "even"}">'
        f"<td><p>{_path_cell(row)}</p></td>\n"
        f"<td><p>{escape(row.status)}</p></td>\n"
        f"<td><p>{escape(row.size)}</p></td>\n"
        f"<td><p>{_lines_cell(row, scale)}</p></td>\n</tr>\n"
        for index, row in enumerate(rows)
    )
    return (
        '<table class="releasediff-table colwidths-given releasediff-files docutils '
        f'align-default">\n<colgroup>\n{columns}</colgroup>\n'
        f'<thead>\n<tr class="row-odd">{header}\n</tr>\n</thead>\n<tbody>\n{body}</tbody>\n'
        "</table>\n"
    )


def _path_cell(row: rp.FileRow) -> str:
    target = _code(row.path)
    if row.anchor:
        target = f'<a class="reference internal" href="#{escape(row.anchor)}">{target}</a>'
    if row.old_path:
        return f"{target} ← {_code(row.old_path)}"
    return target


def _lines_cell(row: rp.FileRow, scale: float) -> str:
    if not (row.insertions or row.deletions):
        return escape(row.lines)
    plus, minus = rp.diffstat_marks(row.insertions, row.deletions, scale, _ROW_BAR_WIDTH)
    bar = "+" * plus + "-" * minus
    return (
        f'{escape(row.lines)} <span class="releasediff-rowbar releasediff-plus-{plus}">{bar}</span>'
    )


def _diffs(section: rp.DiffsSection) -> str:
    if not section.blocks:
        return ""
    blocks = "".join(_block(block, section.collapse) for block in section.blocks)
    return _heading(section.heading) + blocks


def _block(block: rp.DiffBlock, collapse: bool) -> str:
    opened = "" if collapse else ' open="open"'
    parts = [
        f'<details class="releasediff-file no-search" id="{escape(block.anchor)}"{opened}>\n'
        f"<summary>{_code(block.path)} ({escape(block.status)})</summary>\n"
    ]
    if block.notes:
        items = "".join(f"<li><p>{escape(note)}</p></li>\n" for note in block.notes)
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
    rp.FilesSection: _files,
    rp.DiffsSection: _diffs,
    rp.ListingSection: _listing,
}
