"""LaTeX output: pdflatex gets only text it can set; Unicode engines keep the text."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.sphinx_latex import _escaped_char, _parts, escape_for_pdflatex

from .pagepair import page_project

MakeApp = Callable[..., SphinxTestApp]
# What Sphinx's pdflatex setup sets outside verbatim, besides Latin-1 (see sphinx_latex).
TEXT_EXTRA = set("–—‘’‚“”„†‡•…‰‹›€→✓") | {chr(c) for c in range(0x100, 0x180)} - set("ĦħĸĿŀŉŦŧſ")


def test_escape_in_text() -> None:
    assert escape_for_pdflatex("中文 é −1 → ← ✓ — Ω 😀", verbatim=False) == (
        "<U+4E2D><U+6587> é -1 → <- ✓ — <U+03A9> <U+1F600>"
    )


def test_escape_in_verbatim() -> None:
    assert escape_for_pdflatex("+中文 é −1 → ← ✓ — ő ±²\t\n", verbatim=True) == (
        "+<U+4E2D><U+6587> é -1 -> <- <U+2713> <U+2014> <U+0151> <U+00B1><U+00B2>\t\n"
    )


def test_latin_extended_a_without_t1_glyphs_is_escaped() -> None:
    assert escape_for_pdflatex("Łódź Ħ ſ", verbatim=False) == "Łódź <U+0126> <U+017F>"


def test_escape_leaves_latin1_and_shows_c1_controls() -> None:
    assert escape_for_pdflatex("Café déjà vu ÿ\x85", verbatim=True) == "Café déjà vu ÿ<U+0085>"


@pytest.mark.parametrize("verbatim", [True, False])
def test_only_characters_that_stay_as_they_are_are_skipped(verbatim: bool) -> None:
    """The fast path (a pattern for what may change) agrees with the rule for each character."""
    characters = [chr(code) for code in (*range(0x3000), 0xFFFD, 0x1F600, 0x10FFFF)]
    expected = "".join(_escaped_char(char, verbatim) for char in characters)
    assert escape_for_pdflatex("".join(characters), verbatim) == expected


def test_long_words_break_after_separators_and_in_long_stretches() -> None:
    assert _parts("src/wide_package/x.py") == ["src/", "wide_", "package/", "x.", "py"]
    digest = "c618c0ee6a234b12e9bbc340119a678cb02cd240391819df9a0ccf55a1a38f55"
    assert _parts(digest) == [
        "c618c0ee",
        "6a234b12",
        "e9bbc340",
        "119a678c",
        "b02cd240",
        "391819df",
        "9a0ccf55a1a38f55",
    ]
    assert "".join(_parts(digest)) == digest


def _body(tex: str) -> str:
    return tex[tex.index(r"\begin{document}") :]


def _verbatim_blocks(tex: str) -> list[str]:
    return re.findall(r"\\begin\{sphinxVerbatim\}.*?\\end\{sphinxVerbatim\}", tex, re.DOTALL)


def _latex(make_app: MakeApp, tmp_path: Path, engine: str) -> tuple[SphinxTestApp, str]:
    app = make_app(
        "latex",
        srcdir=page_project(tmp_path),
        confoverrides={"latex_engine": engine},
        warningiserror=True,
    )
    app.build()
    return app, (Path(app.outdir) / "page.tex").read_text(encoding="utf-8")


def test_pdflatex_gets_only_what_it_can_set(make_app: MakeApp, tmp_path: Path) -> None:
    _app, tex = _latex(make_app, tmp_path, "pdflatex")
    body = _body(tex)
    unsettable = {c for c in body if ord(c) > 0xFF and c not in TEXT_EXTRA}
    assert unsettable == set()
    assert "\N{MINUS SIGN}" not in body
    verbatim = _verbatim_blocks(body)
    assert len(verbatim) >= 8
    for block in verbatim:
        assert all(ord(c) <= 0xFF for c in block), block
    # Escapes are visible, in text (metadata, file names) and in diffs.
    assert r"\textless{}U+4E2D\textgreater{}\textless{}U+6587\textgreater{}" in body
    assert r"\PYG{g+gi}{+\PYGZsh{} \PYGZlt{}U+4E2D\PYGZgt{}\PYGZlt{}U+6587\PYGZgt{}" in body
    assert r"\PYGZlt{}U+1F600\PYGZgt{}" in body
    assert "Café déjà vu" in body
    # Counts read "+12 -9", without the minus sign pdflatex lacks.
    assert re.search(r"\+\d+ \\sphinxhyphen\{\}\d+ lines", body)


def test_long_hashes_and_paths_break_and_diff_lines_wrap(make_app: MakeApp, tmp_path: Path) -> None:
    _app, tex = _latex(make_app, tmp_path, "pdflatex")
    body = _body(tex)
    assert re.search(r"\{[0-9a-f]{8}(\\allowbreak\{\}[0-9a-f]{8}){6}[0-9a-f]{8}\}", body)
    assert r"another\_\allowbreak{}level\_\allowbreak{}deeper/\allowbreak{}" in body
    blocks = _verbatim_blocks(body)
    # Sphinx's forced wrapping fails on the characters it writes as math (± ² …): those
    # blocks wrap only where Sphinx's Verbatim can by itself.
    with_math = [block for block in blocks if r"\(" in block]
    assert with_math == []
    forced = body.count(r"\begingroup\sphinxsetup{verbatimforcewraps}")
    assert forced == len(blocks) - len(with_math) >= 8
    assert body.count(r"\endgroup") >= forced


@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_unicode_engines_keep_the_text(make_app: MakeApp, tmp_path: Path, engine: str) -> None:
    _app, tex = _latex(make_app, tmp_path, engine)
    body = _body(tex)
    assert "U+4E2D" not in body
    assert "+Summary: 中文 ünïcödé" in body
    assert "中文文档 😀" in body
    assert "\N{MINUS SIGN}" in body
    assert r"\allowbreak{}" in body
    # Sphinx writes ✓ as math even here: that block wraps without forcing.
    blocks = _verbatim_blocks(body)
    with_math = [block for block in blocks if r"\(" in block]
    assert len(with_math) == 4  # PKG-INFO and i18n.py, in each of the two release diffs
    forced = body.count(r"\begingroup\sphinxsetup{verbatimforcewraps}")
    assert forced == len(blocks) - 4


def test_other_builders_are_untouched(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("html", srcdir=page_project(tmp_path), warningiserror=True)
    app.build()
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "U+4E2D" not in page
    assert "allowbreak" not in page
    assert "中文文档 😀" in page
    assert "\N{MINUS SIGN}" in page
    # The script that opens linked diffs comes with HTML builders, as the stylesheet does.
    assert re.search(r'<script defer="defer" src="_static/releasediff\.js\?v=[0-9a-f]{8}"', page)
    assert (Path(app.outdir) / "_static" / "releasediff.js").is_file()
    assert page.count('<div class="releasediff-scroll docutils container">') == 6


def test_epub_gets_no_script(make_app: MakeApp, tmp_path: Path) -> None:
    app = make_app("epub", srcdir=page_project(tmp_path), warningiserror=True)
    app.build()
    page = (Path(app.outdir) / "index.xhtml").read_text(encoding="utf-8")
    assert "releasediff.js" not in page
    assert "releasediff.css" in page
    assert not (Path(app.outdir) / "_static" / "releasediff.js").exists()


@pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk (TeX Live) is not installed")
def test_latexpdf_with_pdflatex_succeeds(make_app: MakeApp, tmp_path: Path) -> None:
    app, _tex = _latex(make_app, tmp_path, "pdflatex")
    outdir = Path(app.outdir)
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error", "page.tex"],
        cwd=outdir,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        timeout=300,
    )
    log = (outdir / "page.log").read_text(encoding="latin-1")
    assert result.returncode == 0, log[-3000:]
    assert (outdir / "page.pdf").stat().st_size > 10_000
    assert "not set up for use with LaTeX" not in log
    # Nothing runs off the page: no line box wider than the text.
    assert "Overfull \\hbox" not in log


def test_a_named_release_diff_is_a_label_in_latex(make_app: MakeApp, tmp_path: Path) -> None:
    """``:ref:`` to ``:name:`` resolved in HTML; the PDF had no \\label for it."""
    srcdir = page_project(tmp_path)
    index = srcdir / "index.rst"
    index.write_text(index.read_text() + "\nSee :ref:`the wide diff <wide-diff>`.\n")
    app = make_app("latex", srcdir=srcdir, warningiserror=True)
    app.build()
    tex = (Path(app.outdir) / "page.tex").read_text(encoding="utf-8")
    target = re.search(r"\\hyperref\[\\detokenize\{(index:[^}]+)\}\]\{[^\n]*the wide diff", tex)
    assert target is not None
    assert rf"\label{{\detokenize{{{target.group(1)}}}}}" in tex
