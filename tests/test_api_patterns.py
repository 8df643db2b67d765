"""One member changed alike in many names: said once, its rows listed after the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinxext.releasediff.api_patterns import PATTERN_AT, patterns_first_rows_last
from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.model import ApiChange
from sphinxext.releasediff.render.markdown import render_markdown
from sphinxext.releasediff.render.rst import render_rst
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import ApiSection, Report, build_report
from sphinxext.releasediff.settings import Settings

from .archives import make_sdist
from .rawpages import MakeApp, raw_and_node_pages


def _added(name: str, kind: str = "attribute", text: str = "x") -> ApiChange:
    return ApiChange("added", name, kind, None, text, breaking=False)


def test_rows_of_one_member_changed_in_many_names_make_a_pattern() -> None:
    lexers = [_added(f"pkg.L{index:02}.version_added") for index in range(PATTERN_AT)]
    urls = [
        ApiChange("changed", f"pkg.L{index:02}.url", "attribute", "a", "b", breaking=False)
        for index in range(PATTERN_AT + 1)
    ]
    few = [_added(f"pkg.M{index}.url") for index in range(PATTERN_AT - 1)]
    calls = [
        ApiChange("changed", f"pkg.P{index:02}.__call__", "method", "f(a)", "f(b)", breaking=True)
        for index in range(PATTERN_AT)
    ]
    lone = _added("pkg.helper", "function", "helper()")
    changes = sorted([*lexers, *urls, *few, *calls, lone], key=lambda change: change.name)
    patterns, ordered = patterns_first_rows_last(changes)
    assert [pattern.line for pattern in patterns] == [
        "url: attribute changed in 11 names",
        "__call__: method changed in 10 names, 10 of them breaking",
        "version_added: attribute added to 10 names",
    ]
    # The added url rows are too few (9) to make a pattern of their own.
    assert ordered == (*few, lone, *urls, *calls, *lexers)
    assert sorted(ordered, key=lambda change: change.name) == changes


def test_without_a_pattern_the_rows_keep_their_order() -> None:
    changes = tuple(_added(f"pkg.L{index}.version_added") for index in range(PATTERN_AT - 1))
    assert patterns_first_rows_last(changes) == ((), changes)
    assert patterns_first_rows_last(()) == ((), ())


def lexer_pair(folder: Path) -> tuple[Path, Path]:
    """lex 1.0 -> 1.1: twelve lexer classes gain ``version_added``, one function is new."""
    classes = "".join(f"class L{index:02}:\n    name = 'l{index}'\n" for index in range(12))
    added = "".join(
        f"class L{index:02}:\n    name = 'l{index}'\n    version_added = '1.{index}'\n"
        for index in range(12)
    )
    old = {"lex/__init__.py": classes}
    new = {"lex/__init__.py": added + "def find(name):\n    pass\n"}
    for side in ("old", "new"):
        (folder / side).mkdir(parents=True)
    return make_sdist(folder / "old", "lex", "1.0", old), make_sdist(
        folder / "new", "lex", "1.1", new
    )


def _report(folder: Path) -> Report:
    settings = Settings()
    old, new = read_pair(*lexer_pair(folder))
    return build_report(compare(old, new, settings.compare_options), settings, "p")


def test_every_format_says_the_pattern_and_lists_its_rows_last(tmp_path: Path) -> None:
    report = _report(tmp_path)
    (api,) = (section for section in report.sections if isinstance(section, ApiSection))
    assert api.patterns == ("version_added: attribute added to 12 names",)
    assert [row.name for row in api.rows] == [
        "lex.find",
        *(f"lex.L{index:02}.version_added" for index in range(12)),
    ]
    lead = "Changes repeated in many names, their rows listed after the other 1:"
    assert api.patterns_lead == lead
    assert (
        f"API\n\n  {lead}\n    version_added: attribute added to 12 names\n\n"
        "  added  function   lex.find\n      + find(name)\n"
        "  added  attribute  lex.L00.version_added\n      + version_added = '1.0'\n"
    ) in render_text(report)
    assert (
        f"{lead}\n\n- version\\_added: attribute added to 12 names\n\n| change |"
        in render_markdown(report)
    )
    assert f"{lead}\n\n- version\\_added: attribute added to 12 names\n\n" in render_rst(report)


def test_the_raw_html_pattern_lines_are_what_sphinx_writes_for_their_nodes(
    make_app: MakeApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw, from_nodes = raw_and_node_pages(
        make_app, tmp_path, monkeypatch, lexer_pair(tmp_path / "pair"), "Lex"
    )
    expected = (
        '<p class="releasediff-patterns">Changes repeated in many names, their rows listed after '
        'the other 1:</p>\n<ul class="releasediff-patterns simple">\n'
        "<li><p>version_added: attribute added to 12 names</p></li>\n</ul>\n"
    )
    assert expected in raw
    assert expected in from_nodes
