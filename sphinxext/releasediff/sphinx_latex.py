"""LaTeX output that every engine can set.

pdflatex (Sphinx's default engine for most languages) has no glyph for most of
Unicode, and a character it cannot set stops the build. For pdflatex only, a
post-transform rewrites the text of release diffs: the renderer's own signs
become ASCII, and any other character pdflatex cannot set is shown as
``<U+XXXX>``. Literal blocks (Sphinx's ``Verbatim``) keep only ASCII and
Latin-1. Unicode engines (xelatex, lualatex) and the Japanese ones keep the
text. For every engine, long unbroken words in inline literals (hashes, paths)
get break points, and diff blocks wrap long lines, so nothing runs off the page.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape

__all__ = ["SafeLatexText", "escape_for_pdflatex", "setup"]

# The renderer's wording, as pdflatex-friendly ASCII.
_SIGNS = {"\N{MINUS SIGN}": "-", "\N{RIGHTWARDS ARROW}": "->", "\N{LEFTWARDS ARROW}": "<-"}
# Outside verbatim, pdflatex (inputenc utf8, fontenc T1, textcomp, as Sphinx sets it up)
# also sets Latin Extended-A and this punctuation; Sphinx maps a few more itself.
_TEXT_EXTRA = frozenset(
    "\N{EN DASH}\N{EM DASH}\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{SINGLE LOW-9 QUOTATION MARK}\N{LEFT DOUBLE QUOTATION MARK}"
    "\N{RIGHT DOUBLE QUOTATION MARK}\N{DOUBLE LOW-9 QUOTATION MARK}\N{DAGGER}"
    "\N{DOUBLE DAGGER}\N{BULLET}\N{HORIZONTAL ELLIPSIS}\N{PER MILLE SIGN}"
    "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}"
    "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}\N{EURO SIGN}"
    "\N{RIGHTWARDS ARROW}\N{CHECK MARK}"
)
# Latin Extended-A less what T1 has no glyph for (Ħ ħ ĸ Ŀ ŀ ŉ Ŧ ŧ ſ).
_LATIN_EXTENDED_A = frozenset(range(0x100, 0x180)) - {
    0x126,
    0x127,
    0x138,
    0x13F,
    0x140,
    0x149,
    0x166,
    0x167,
    0x17F,
}
# A run this long without a space gets break points (see _parts).
_LONG_WORD = re.compile(r"\S{20,}")
_SEGMENT = re.compile(r"[^/_.\-]+[/_.\-]*|[/_.\-]+")
_CHUNK = 8
_UNICODE_ENGINES = ("xelatex", "lualatex")
# Characters Sphinx writes as math (``\\(\\pm\\)``) even in verbatim; Sphinx's forced
# wrapping of verbatim lines stops the build on them ("Extra }, or forgotten $"), so
# under pdflatex they are escaped too, and with other engines such a block is not forced.
_MATH_IN_VERBATIM = frozenset(
    char
    for char, tex in (*texescape.tex_replacements, *texescape.unicode_tex_replacements)
    if r"\(" in tex
)
# Unicode engines get only the first list.
_MATH_IN_UNICODE_VERBATIM = frozenset(
    char for char, tex in texescape.tex_replacements if r"\(" in tex
)


def _settable_in_verbatim(char: str) -> bool:
    code = ord(char)
    plain = char in "\n\t" or 0x20 <= code < 0x7F or 0xA0 <= code <= 0xFF
    return plain and char not in _MATH_IN_VERBATIM


def _settable_in_text(char: str) -> bool:
    code = ord(char)
    return (
        char in "\n\t"
        or 0x20 <= code < 0x7F
        or 0xA0 <= code <= 0xFF
        or ord(char) in _LATIN_EXTENDED_A
        or char in _TEXT_EXTRA
    )


def escape_for_pdflatex(text: str, verbatim: bool) -> str:
    """``text`` with every character pdflatex cannot set shown as ``<U+XXXX>``."""
    # The pattern finds the few characters that may need a change, at C speed: a
    # large diff is almost all printable ASCII.
    return _MAYBE_CHANGED[verbatim].sub(lambda match: _escaped_char(match.group(), verbatim), text)


def _escaped_char(char: str, verbatim: bool) -> str:
    if char in _SIGNS and (verbatim or char != "\N{RIGHTWARDS ARROW}"):
        return _SIGNS[char]
    settable = _settable_in_verbatim if verbatim else _settable_in_text
    return char if settable(char) else f"<U+{ord(char):04X}>"


# What may change: a character these patterns skip is one _escaped_char keeps as it is.
_OUTSIDE_LATIN_1 = "[^\t\n\x20-\x7e\xa0-\xff]"
_MAYBE_CHANGED = {
    True: re.compile(f"{_OUTSIDE_LATIN_1}|[{re.escape(''.join(sorted(_MATH_IN_VERBATIM)))}]"),
    False: re.compile(_OUTSIDE_LATIN_1),
}


class SafeLatexText(SphinxPostTransform):
    """Release diffs in LaTeX: text pdflatex can set, and break points in long words."""

    default_priority = 210  # after PlainDetails, before the writer highlights
    builders = ("latex",)

    def run(self, **kwargs: Any) -> None:
        pdflatex = self.config.latex_engine == "pdflatex"
        for container in list(self.document.findall(nodes.container)):
            if "releasediff" not in container["classes"]:
                continue
            if pdflatex:
                _escape_text(container)
            _add_break_points(container)
            math = (
                _MATH_IN_UNICODE_VERBATIM
                if self.config.latex_engine in _UNICODE_ENGINES
                else _MATH_IN_VERBATIM
            )
            for block in list(container.findall(nodes.literal_block)):
                _wrap_long_lines(block, math)


def _escape_text(container: nodes.Element) -> None:
    for block in list(container.findall(nodes.literal_block)):
        text = escape_for_pdflatex(block.astext(), verbatim=True)
        if text != block.astext():
            # Sphinx highlights a literal block only while its source equals its text.
            block.rawsource = text
            block.children = []
            block.append(nodes.Text(text))
    for text_node in list(container.findall(nodes.Text)):
        if isinstance(text_node.parent, nodes.literal_block):
            continue
        escaped = escape_for_pdflatex(str(text_node), verbatim=False)
        if escaped != str(text_node) and text_node.parent is not None:
            text_node.parent.replace(text_node, nodes.Text(escaped))


def _add_break_points(container: nodes.Element) -> None:
    """Long hashes and paths may break after ``/``, ``_``, ``.``, ``-`` or every few characters."""
    for text_node in list(container.findall(nodes.Text)):
        parent = text_node.parent
        if parent is None or isinstance(parent, nodes.literal_block | nodes.raw):
            continue
        text = str(text_node)
        if not _LONG_WORD.search(text):
            continue
        index = parent.index(text_node)
        parent.remove(text_node)
        for offset, piece in enumerate(_broken(text)):
            parent.insert(index + offset, piece)


def _broken(text: str) -> list[nodes.Node]:
    """``text`` as Text nodes with ``\\allowbreak`` between the pieces of its long words."""
    pieces: list[nodes.Node] = []
    position = 0
    for match in _LONG_WORD.finditer(text):
        if match.start() > position:
            pieces.append(nodes.Text(text[position : match.start()]))
        for number, part in enumerate(_parts(match.group())):
            if number:
                pieces.append(nodes.raw("", r"\allowbreak{}", format="latex"))
            pieces.append(nodes.Text(part))
        position = match.end()
    if position < len(text):
        pieces.append(nodes.Text(text[position:]))
    return pieces


def _parts(word: str) -> list[str]:
    """A long word cut after each separator, and inside any stretch longer than _CHUNK * 2."""
    parts: list[str] = []
    for segment in _SEGMENT.findall(word):
        rest = segment
        while len(rest) > _CHUNK * 2:
            parts.append(rest[:_CHUNK])
            rest = rest[_CHUNK:]
        parts.append(rest)
    return parts


def _wrap_long_lines(block: nodes.literal_block, math: frozenset[str]) -> None:
    """A diff line too long for the page wraps even where it has no space."""
    parent = block.parent
    if parent is None or not math.isdisjoint(block.astext()):
        return
    index = parent.index(block)
    parent.insert(
        index, nodes.raw("", r"\begingroup\sphinxsetup{verbatimforcewraps}", format="latex")
    )
    parent.insert(index + 2, nodes.raw("", r"\endgroup", format="latex"))


def setup(app: Sphinx) -> None:
    app.add_post_transform(SafeLatexText)
