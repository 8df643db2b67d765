"""The heavy sections written straight to HTML: exact markup, escaping, and the same content."""

from __future__ import annotations

from pathlib import Path

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.render.html import diff_block, render_html_sections
from sphinxext.releasediff.report import build_report
from sphinxext.releasediff.settings import Settings

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
        '<p class="rubric releasediff-heading">Files</p>\n'
        "<p>6 files changed, 1 identical file not listed.</p>\n"
        '<p class="releasediff-mode-only">1 file changed mode only: 644 → 755 (1).</p>\n'
        '<div class="releasediff-scroll docutils container">\n'
        '<table class="releasediff-table colwidths-given releasediff-files docutils align-default">'
    )
    assert (
        '<tr class="row-odd"><td><p><a class="reference internal" href="#p-file-4">'
        '<code class="docutils literal notranslate"><span class="pre">pkg/helpers.py</span></code>'
        '</a> ← <code class="docutils literal notranslate"><span class="pre">pkg/util.py</span>'
        "</code></p></td>\n<td><p>renamed</p></td>\n<td><p>310 → 314</p></td>\n"
        '<td><p>+1 −1 <span class="releasediff-rowbar releasediff-plus-1">+-</span></p></td>\n'
        "</tr>\n"
    ) in html
    assert html.count('<details class="releasediff-file no-search"') == 6
    assert 'id="p-file-1">\n<summary>' in html  # collapsed: no open attribute
    assert "<li><p>renamed from pkg/util.py (97.5 % similar)</p></li>" in html
    assert '<span class="gi">+    return 33</span>' in html
    assert "run.sh" not in html


def test_a_literal_keeps_its_spaces_as_sphinx_writes_them(tmp_path: Path) -> None:
    from sphinxext.releasediff.render.html import _code

    assert _code("a  b<") == (
        '<code class="docutils literal notranslate"><span class="pre">a</span>&#160; '
        '<span class="pre">b&lt;</span></code>'
    )
