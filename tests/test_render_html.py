"""The heavy sections written straight to HTML: exact markup, escaping, the same as Sphinx writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sphinx.search.en import SearchEnglish

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.render.html import diff_block, render_html_sections
from sphinxext.releasediff.render.nodes import section_nodes
from sphinxext.releasediff.report import ApiSection, Report, Section, build_report
from sphinxext.releasediff.settings import Settings
from sphinxext.releasediff.sphinx_nodes import release_diff_body

from .archives import make_sdist
from .rawpages import MakeApp, raw_and_node_pages
from .test_cli import make_pair


def test_a_diff_block_has_pygments_line_classes_and_escapes() -> None:
    diff = (
        "--- a/x.html\n+++ b/x.html\n@@ -1,2 +1,2 @@\n <p>\n-a & b\n+a &amp; <b>\n"
        "\\ No newline at end of file\n"
    )
    assert diff_block(diff) == (
        '<div class="releasediff-diff highlight-diff notranslate"><div class="highlight"><pre>'
        '<span></span><span class="gh">--- a/x.html</span>\n'
        '<span class="gh">+++ b/x.html</span>\n'
        '<span class="gu">@@ -1,2 +1,2 @@</span>\n'
        '<span class="w"> </span>&lt;p&gt;\n'
        '<span class="gd">-a &amp; b</span>\n'
        '<span class="gi">+a &amp;amp; &lt;b&gt;</span>\n'
        '<span class="c">\\ No newline at end of file</span>\n'
        "</pre></div>\n</div>\n"
    )


def test_files_and_diffs(tmp_path: Path) -> None:
    settings = Settings(show=("files", "diffs"), collapse=True)
    old, new = read_pair(*make_pair(tmp_path))
    report = build_report(compare(old, new, settings.compare_options), settings, "p")
    html = render_html_sections(report.sections)
    assert html.startswith(
        '<p class="releasediff-heading rubric">Files</p>\n'
        "<p>6 files changed, 1 identical file not listed.</p>\n"
        '<p class="releasediff-mode-only">1 file changed mode only: 644 → 755 (1: run.sh).</p>\n'
        '<div class="releasediff-scroll docutils container">\n'
        '<table class="releasediff-table releasediff-files docutils align-default">'
    )
    assert (
        '<tr class="row-odd"><td><p><a class="reference internal" href="#p-file-4">'
        '<code class="docutils literal notranslate"><span class="pre">pkg/helpers.py</span></code>'
        '</a> ← <code class="docutils literal notranslate"><span class="pre">pkg/util.py</span>'
        "</code></p></td>\n<td><p>renamed, 97.5 %</p></td>\n<td><p>310 → 314</p></td>\n"
        '<td><p>+1 −1 <span class="releasediff-rowbar releasediff-plus-1">+-</span></p></td>\n'
        "</tr>\n"
    ) in html
    assert html.count('<details class="releasediff-file no-search"') == 6
    assert 'id="p-file-1">\n<summary>' in html  # collapsed: no open attribute
    assert "<li><p>renamed from pkg/util.py (97.5 % similar)</p></li>" in html
    assert '<span class="gi">+    return 33</span>' in html
    assert html.count("run.sh") == 1  # mode only: named in the grouped line, no row


def test_a_literal_keeps_its_spaces_as_sphinx_writes_them(tmp_path: Path) -> None:
    from sphinxext.releasediff.render.html import _code

    assert _code("a  b<") == (
        '<code class="docutils literal notranslate"><span class="pre">a</span>&#160; '
        '<span class="pre">b&lt;</span></code>'
    )


def quirk_pair(folder: Path) -> tuple[Path, Path]:
    """quirk 1.0 -> 1.1: API values and a path with every character HTML escapes, and more."""
    old = {
        "quirk/__init__.py": 'A = \'<a & "b">\'\nB = 1\n\ndef f(x, y="@home  two"):\n    pass\n',
        "quirk/it's @here.txt": "x\n",
    }
    new = {
        "quirk/__init__.py": "A = '<a & \"c\">'\nC = 2\n\ndef f(x):\n    pass\n",
        "quirk/it's @here.txt": "y\n",
    }
    for side in ("old", "new"):
        (folder / side).mkdir(parents=True)
    return (
        make_sdist(folder / "old", "quirk", "1.0", old),
        make_sdist(folder / "new", "quirk", "1.1", new),
    )


def quirk_report(folder: Path) -> Report:
    settings = Settings()
    old, new = read_pair(*quirk_pair(folder))
    return build_report(compare(old, new, settings.compare_options), settings, "p")


def test_the_api_table(tmp_path: Path) -> None:
    (api,) = (section for section in quirk_report(tmp_path).sections if section.name == "api")
    html = render_html_sections([api])
    code = '<code class="docutils literal notranslate">'
    assert html.startswith(
        '<p class="releasediff-heading rubric">API</p>\n'
        '<div class="releasediff-scroll docutils container">\n'
        '<table class="releasediff-table releasediff-api docutils align-default">\n'
        '<colgroup>\n<col style="width: 14.0%" />\n<col style="width: 10.0%" />\n'
        '<col style="width: 26.0%" />\n<col style="width: 50.0%" />\n'
        "</colgroup>\n<thead>\n"
        '<tr class="row-odd"><th class="head"><p>change</p></th>\n'
        '<th class="head"><p>kind</p></th>\n<th class="head"><p>name</p></th>\n'
        '<th class="head"><p>old / new</p></th>\n</tr>\n'
        "</thead>\n<tbody>\n"
        '<tr class="row-even"><td><p>changed</p></td>\n<td><p>attribute</p></td>\n'
        f'<td><p>{code}<span class="pre">quirk.<wbr>A</span></code></p></td>\n'
        f'<td><p><span class="releasediff-old">{code}<span class="pre">A</span> '
        '<span class="pre">=</span> <span class="pre">\'&lt;a</span> <span class="pre">&amp;</span> '
        '<span class="pre">&quot;b&quot;&gt;\'</span></code></span>'
        '<span class="releasediff-arrow"> → </span>'
        f'<span class="releasediff-new">{code}<span class="pre">A</span> '
    )
    # A removal has only its old text; an addition only its new.
    assert (
        '<tr class="releasediff-breaking row-odd"><td><p>removed <strong>(breaking)</strong></p></td>\n'
        "<td><p>attribute</p></td>\n"
        f'<td><p>{code}<span class="pre">quirk.<wbr>B</span></code></p></td>\n'
        f'<td><p><span class="releasediff-old">{code}<span class="pre">B</span> '
        '<span class="pre">=</span> <span class="pre">1</span></code></span></p></td>\n</tr>\n'
    ) in html
    assert (
        f'<td><p><span class="releasediff-new">{code}<span class="pre">C</span> '
        '<span class="pre">=</span> <span class="pre">2</span></code></span></p></td>\n'
    ) in html
    assert (
        '<tr class="releasediff-breaking row-odd"><td><p>changed <strong>(breaking)</strong>: '
        "removed: y</p></td>\n<td><p>function</p></td>\n"
    ) in html
    # Runs of spaces are kept, as Sphinx keeps them; @ is written as docutils writes it.
    assert '<span class="pre">y=\'&#64;home</span>&#160; <span class="pre">two\')</span>' in html
    assert html.endswith("</tbody>\n</table>\n</div>\n")


def test_an_empty_api_section_says_so(tmp_path: Path) -> None:
    section = ApiSection(rows=(), notes=("The API was not compared.",))
    assert render_html_sections([section]) == (
        '<p class="releasediff-heading rubric">API</p>\n'
        '<p class="releasediff-empty">No public name was added, removed or changed.</p>\n'
        '<p class="releasediff-note">The API was not compared.</p>\n'
    )


def _box(page: str, heading: str) -> str:
    """From a section's heading to the end of its table's box."""
    start = page.index(f'<p class="releasediff-heading rubric">{heading}</p>')
    end = page.index("</table>\n</div>\n", start)
    return page[start : end + len("</table>\n</div>\n")]


def test_raw_tables_are_what_sphinx_writes_for_their_nodes(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, from_nodes = raw_and_node_pages(
        make_app, tmp_path, monkeypatch, quirk_pair(tmp_path / "pair"), "Quirks"
    )
    assert "<details" in raw
    assert "<details" not in from_nodes
    headings = re.compile(r'<p class="releasediff-heading rubric">([^<]+)</p>')
    assert headings.findall(raw) == headings.findall(from_nodes)
    assert headings.findall(raw) == [
        "Notable changes",
        "API",
        "Artifacts",
        "Package metadata",
        "Files",
        "Diffs",
    ]
    # Besides the places a name may break after a dot, which only HTML has.
    assert _box(raw, "API").replace(".<wbr>", ".") == _box(from_nodes, "API")
    assert _box(raw, "Files") == _box(from_nodes, "Files")
    assert 'it\'s</span> <span class="pre">&#64;here.txt' in _box(raw, "Files")


def test_the_api_words_reach_the_search_index_as_its_nodes_would(tmp_path: Path) -> None:
    (api,) = (section for section in quirk_report(tmp_path).sections if section.name == "api")
    english = SearchEnglish({})
    from_nodes = " ".join(node.astext() for node in section_nodes(api))
    assert english.split(release_diff_body.of([api]).astext()) == english.split(from_nodes)
    assert release_diff_body.of([api, *_files_and_diffs(tmp_path)]).astext() == (
        release_diff_body.of([api]).astext()
    )


def _files_and_diffs(tmp_path: Path) -> list[Section]:
    names = ("files", "diffs")
    return [
        section for section in quirk_report(tmp_path / "again").sections if section.name in names
    ]
