"""One comparison, every format: the same sections in the same order, the same counts and files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.model import Status
from sphinxext.releasediff.render.json import to_json_data
from sphinxext.releasediff.render.markdown import render_markdown
from sphinxext.releasediff.render.nodes import render_nodes
from sphinxext.releasediff.render.rst import render_rst
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import Report, build_report, cut_diff
from sphinxext.releasediff.settings import SECTIONS, Settings

from .archives import make_sdist
from .test_cli import make_pair

ALL = Settings(show=SECTIONS)


@pytest.fixture
def report(tmp_path: Path) -> Report:
    old, new = read_pair(*make_pair(tmp_path))
    return build_report(compare(old, new, ALL.compare_options), ALL, "rd")


def headings(report: Report) -> list[str]:
    return [section.heading for section in report.sections if section.heading]


def text_headings(text: str, candidates: list[str]) -> list[str]:
    """The candidate headings as they appear on a line of their own, in order."""
    found = []
    for line in text.splitlines():
        for heading in candidates:
            if line in (heading, f"### {heading}", f"{heading} (* differs)"):
                found.append(heading)
    return found


def node_headings(container: nodes.Element) -> list[str]:
    return [
        rubric.astext()
        for rubric in container.findall(nodes.rubric)
        if "releasediff-heading" in rubric["classes"]
    ]


def listed_paths(report: Report) -> list[str]:
    return [change.path for change in report.listed]


def test_sections_follow_the_one_order(report: Report) -> None:
    assert [section.name for section in report.sections] == list(SECTIONS)
    assert headings(report) == [
        "Notable changes",
        "API",
        "Artifacts",
        "Package metadata",
        "Files",
        "Diffs",
        "Listing",
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown", "nodes", "rst"])
def test_every_format_shows_the_same_sections_counts_and_files(report: Report, fmt: str) -> None:
    expected = headings(report)
    if fmt == "rst":
        body = render_rst(report)
        shown_headings = [
            line.removeprefix(".. rubric:: ")
            for line in body.splitlines()
            if line.startswith(".. rubric:: ")
        ]
        body = body.replace("\\", "")
    elif fmt == "nodes":
        container = render_nodes(report, "rd")
        shown_headings = node_headings(container)
        body = container.astext()
    else:
        body = render_text(report) if fmt == "text" else render_markdown(report)
        shown_headings = text_headings(body, expected)
    assert shown_headings == expected
    # N is the sum of the kinds after it (PKG-INFO, logo.png, core.py modified).
    counts = "6 files changed, 1 added, 1 removed, 1 renamed; +6 −5 lines"
    assert counts in body
    assert "1 file changed mode only: 644 → 755 (1: run.sh)." in body
    files = body[body.index("6 files changed, 1 identical file not listed.") :]
    positions = [files.index(path) for path in listed_paths(report)]
    assert positions == sorted(positions)
    # Mode only: named in the grouped line, with no row or diff of its own.
    assert body.split("Listing")[0].count("run.sh") == 1


def test_json_agrees_with_the_report(report: Report) -> None:
    data = to_json_data(report)
    summary = report.comparison.summary
    assert data["summary"]["mode_changed"] == 1
    assert data["summary"]["modified"] == summary.modified == 3
    content = [
        f["new_path"] or f["old_path"] for f in data["files"] if f["status"] != "mode-changed"
    ]
    assert content == listed_paths(report)
    assert [f["new_path"] for f in data["files"] if f["status"] == "mode-changed"] == ["run.sh"]
    assert list(data) == [
        "schema",
        "old",
        "new",
        "summary",
        "warnings",
        "notable",
        "api",
        "api_notes",
        "metadata",
        "files",
        "listing",
    ]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_show_leaves_out_what_it_does_not_name(tmp_path: Path, fmt: str) -> None:
    settings = Settings(show=("summary", "metadata"))
    old, new = read_pair(*make_pair(tmp_path))
    report = build_report(compare(old, new, settings.compare_options), settings)
    body = render_text(report) if fmt == "text" else render_markdown(report)
    assert "@@" not in body
    assert "return 33" not in body
    assert "Package metadata" in body
    assert "Artifacts" not in body
    assert "Files" not in body


def test_the_line_budgets_cut_in_the_report(tmp_path: Path) -> None:
    old, new = read_pair(*make_pair(tmp_path))
    comparison = compare(old, new, Settings().compare_options)
    report = build_report(comparison, Settings(max_diff_lines=2, max_total_diff_lines=9))
    diffs = report.section("diffs")
    assert diffs is not None
    blocks = {block.path: block for block in diffs.blocks}  # type: ignore[union-attr]
    assert (
        blocks["PKG-INFO"].diff
        == "--- a/PKG-INFO\n+++ b/PKG-INFO\n@@ -1,4 +1,5 @@\n Metadata-Version: 2.1\n"
    )
    assert blocks["PKG-INFO"].notes == (
        "diff cut short: 6 more lines not shown (:max-diff-lines: or releasediff_max_diff_lines)",
    )
    shown = [path for path, block in blocks.items() if block.diff]
    assert shown == ["PKG-INFO", "pkg/core.py"]  # 4 + 4 lines of the budget of 9
    # The three left out get no block and no note of their own: one line says it, once.
    assert list(blocks) == ["PKG-INFO", "logo.png", "pkg/core.py"]
    assert diffs.notes == (  # type: ignore[union-attr]
        "3 diffs not shown: this release diff reached its limit of 9 diff lines "
        "(:max-total-diff-lines: or releasediff_max_total_diff_lines); the files Notable "
        "names, then code and metadata, were given theirs first, removed files theirs last, "
        "and the Files table lists every file.",
    )
    files = report.section("files")
    linked = {row.path: row.anchor for row in files.rows}  # type: ignore[union-attr]
    assert linked["pkg/core.py"] is not None
    assert linked["pkg/helpers.py"] is None  # no diff block to link to
    data = to_json_data(report)
    pkg_info = next(f for f in data["files"] if f["new_path"] == "PKG-INFO")
    assert pkg_info["truncated"] is True
    assert pkg_info["omitted_lines"] == 6


@pytest.mark.parametrize(
    ("diff", "max_lines", "expected"),
    [
        ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", 0, ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", 0)),
        ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", 3, ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", 0)),
        ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n", 2, ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n", 1)),
        (
            "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+y\n",
            2,
            ("--- a\n+++ b\n@@ -1 +1 @@\n-x\n", 2),
        ),
    ],
)
def test_cut_diff(diff: str, max_lines: int, expected: tuple[str, int]) -> None:
    assert cut_diff(diff, max_lines) == expected


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "patch"])
def test_output_is_the_same_bytes_in_separate_processes(tmp_path: Path, fmt: str) -> None:
    old, new = make_pair(tmp_path)
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinxext.releasediff",
                str(old),
                str(new),
                "--format",
                fmt,
                "--listing",
            ],
            capture_output=True,
            env=env,
            check=False,
        )
        assert result.returncode == 1, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    if fmt == "json":
        assert json.loads(outputs[0])["summary"]["mode_changed"] == 1


def test_mode_only_changes_are_grouped_by_change(tmp_path: Path) -> None:
    from .archives import Entry, make_sdist

    old_tree = {f"m{i}.py": Entry(b"x\n", mode=0o664) for i in range(5)}
    new_tree = {f"m{i}.py": Entry(b"x\n", mode=0o644 if i < 4 else 0o755) for i in range(5)}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old_path = make_sdist(tmp_path / "a", "demo", "1.0", old_tree)
    new_path = make_sdist(tmp_path / "b", "demo", "1.1", new_tree)
    comparison = compare(*read_pair(old_path, new_path))
    assert {change.status for change in comparison.files} >= {Status.MODE_CHANGED}
    report = build_report(comparison, Settings())
    text = render_text(report)
    assert (
        "5 files changed mode only: 664 → 644 (4: m0.py; m1.py; m2.py; m3.py), 664 → 755 (1: m4.py)."
        in text
    )
    # PKG-INFO's version only; no identical file, so no "0 identical files" clause.
    assert re.search(r"^  1 file changed\.$", text, re.MULTILINE)
    assert text.startswith(
        "demo 1.0 → 1.1 (sdist): 1 file changed, 0 added, 0 removed, 0 renamed; +1 −1 lines\n"
    )
    assert "==== m0.py" not in text


def test_an_sdist_against_a_wheel_is_said_once(tmp_path: Path) -> None:
    from .archives import make_wheel

    tree = {"demo/__init__.py": "x = 1\n"}
    old_path = make_sdist_in(tmp_path / "a", tree)
    new_path = make_wheel(mkdir(tmp_path / "b"), "demo", "1.1", tree)
    report = build_report(compare(*read_pair(old_path, new_path)), Settings())
    for body in (render_text(report), render_markdown(report)):
        assert body.count("Different kinds of artifact: an sdist against a wheel") == 1
    assert "demo 1.0 → 1.1 (sdist → wheel)" in render_text(report)


def test_an_added_or_removed_binary_says_new_or_gone(tmp_path: Path) -> None:
    old_path = make_sdist_in(tmp_path / "a", {"gone.so": b"\x7fELF\x00old", "keep.py": "x\n"})
    new_path = make_sdist_in(
        tmp_path / "b", {"new.pyc": b"\xa7\r\r\n\x00\x00\x00\x00", "keep.py": "x\n"}, "1.1"
    )
    report = build_report(compare(*read_pair(old_path, new_path)), Settings())
    text = render_text(report)
    assert re.search(r"added +new\.pyc +8 +binary, new", text)
    assert re.search(r"removed +gone\.so +8 +binary, gone", text)
    assert "binary file: new → 8 bytes, sha256 " in text
    assert re.search(r"binary file: 8 bytes, sha256 [0-9a-f]{16} → gone", text)


def mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def make_sdist_in(folder: Path, tree: dict[str, Any], version: str = "1.0") -> Path:
    from .archives import make_sdist

    return make_sdist(mkdir(folder), "demo", version, tree)


def test_rst_builds_cleanly_without_the_extension(make_app: Any, tmp_path: Path) -> None:
    old, new = read_pair(*make_pair(tmp_path))
    report = build_report(compare(old, new, ALL.compare_options), ALL)
    srcdir = mkdir(tmp_path / "src")
    (srcdir / "conf.py").write_text("")
    (srcdir / "index.rst").write_text("Release\n=======\n\n" + render_rst(report))
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue()) == ""
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert "return 33" in page
    assert "renamed from pkg/util.py (97.5 % similar)" in page


def test_a_record_shows_its_changed_rows_not_its_reordering(tmp_path: Path) -> None:
    import zipfile

    from .archives import make_wheel

    def wheel(folder: Path, version: str, rows: list[str]) -> Path:
        path = make_wheel(mkdir(folder), "demo", version, {"demo/a.py": "a\n", "demo/b.py": "b\n"})
        # Rewrite RECORD with the given rows (make_wheel writes its own, sorted).
        with zipfile.ZipFile(path) as source:
            items = [(info, source.read(info)) for info in source.infolist()]
        with zipfile.ZipFile(path, "w") as target:
            record = "".join(f"{row}\n" for row in rows).encode()
            for info, data in items:
                target.writestr(info, record if info.filename.endswith("/RECORD") else data)
        return path

    old = wheel(tmp_path / "a", "1.0", ["demo/a.py,sha256=AAA,2", "demo/b.py,sha256=BBB,2"])
    new = wheel(tmp_path / "b", "1.1", ["demo/b.py,sha256=BBB,2", "demo/a.py,sha256=CCC,2"])
    report = build_report(compare(*read_pair(old, new)), Settings())
    text = render_text(report)
    assert "demo-1.1.dist-info/RECORD (from demo-1.0.dist-info/RECORD)" in text
    assert "1 row changed" in text
    assert (
        "--- a/demo-1.0.dist-info/RECORD\n+++ b/demo-1.1.dist-info/RECORD\n"
        "-demo/a.py,sha256=AAA\n+demo/a.py,sha256=CCC\n"
    ) in text
    assert "-demo/b.py" not in text
    data = to_json_data(report)
    (record,) = [f for f in data["files"] if f["new_path"].endswith("RECORD")]
    assert record["record"] == [
        {
            "change": "changed",
            "path": "demo/a.py",
            "old_path": "demo/a.py",
            "old": "sha256=AAA",
            "new": "sha256=CCC",
        }
    ]
    assert record["diff"].count("\n") > 4  # the real diff stays for programs and patches
    assert report.comparison.summary.insertions == 1 + 1  # the changed row, and METADATA's version


def test_a_spent_diff_budget_shows_no_more_diffs(tmp_path: Path) -> None:
    old, new = read_pair(*make_pair(tmp_path))
    comparison = compare(old, new, Settings().compare_options)
    # PKG-INFO's 10 lines spend the budget exactly; nothing after it may be shown.
    report = build_report(comparison, Settings(max_total_diff_lines=10))
    diffs = report.section("diffs")
    shown = [block.path for block in diffs.blocks if block.diff]  # type: ignore[union-attr]
    assert shown == ["PKG-INFO"]


def test_taking_bidi_controls_out_is_no_warning(tmp_path: Path) -> None:
    trojan = "access = 'user\u202e \u2066# admin\u2069 \u2066'\n"
    added = compare(
        *read_pair(
            make_sdist_in(tmp_path / "a", {"x.py": "access = 1\n"}),
            make_sdist_in(tmp_path / "b", {"x.py": trojan}, "1.1"),
        )
    )
    removed = compare(
        *read_pair(
            make_sdist_in(tmp_path / "c", {"x.py": trojan}),
            make_sdist_in(tmp_path / "d", {"x.py": "access = 1\n"}, "1.1"),
        )
    )
    assert [change.bidi for change in added.files if change.path == "x.py"] == [True]
    assert [change.bidi for change in removed.files if change.path == "x.py"] == [False]


def test_markdown_tables_show_a_pipe_in_code_as_a_pipe(tmp_path: Path) -> None:
    """``str | None`` in an API row: GitHub-style tables need ``\\|``; ``&#124;`` showed as written."""
    from markdown_it import MarkdownIt

    from .archives import make_sdist

    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", {"demo/__init__.py": "def f(x: int): pass\n"})
    new_tree = {"demo/__init__.py": "def f(x: int | None): pass\n"}
    new = make_sdist(tmp_path / "n", "demo", "1.1", new_tree)
    body = render_markdown(build_report(compare(*read_pair(old, new)), Settings()))
    html = MarkdownIt("commonmark").enable("table").render(body)
    assert "<code>f(x: int | None)</code>" in html
    assert "&amp;#124;" not in html


def test_code_gets_its_diff_before_translations_when_lines_run_short(tmp_path: Path) -> None:
    """Sphinx 7.4.7 -> 8.0.0: .po catalogs, first in path order, took the whole budget."""
    from .archives import make_sdist

    def tree(value: int) -> dict[str, str]:
        catalog = "".join(f'msgid "m{n}"\nmsgstr "v{value}{n}"\n' for n in range(10))
        return {"a/locale/de.po": catalog, "pkg/core.py": f"LIMIT = {value}\n"}

    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", tree(1))
    new = make_sdist(tmp_path / "n", "demo", "1.1", tree(2))
    comparison = compare(*read_pair(old, new), Settings().compare_options)
    report = build_report(comparison, Settings(max_total_diff_lines=20))
    diffs = report.section("diffs")
    assert diffs is not None
    blocks = {block.path: block for block in diffs.blocks}  # type: ignore[union-attr]
    assert blocks["pkg/core.py"].diff is not None
    assert blocks["PKG-INFO"].diff is not None
    assert "a/locale/de.po" not in blocks
    assert diffs.notes[0].startswith("1 diff not shown: ")  # type: ignore[union-attr]
    assert "then code and metadata, were given theirs first" in diffs.notes[0]  # type: ignore[union-attr]


def test_rst_output_keeps_lines_within_what_docutils_reads(tmp_path: Path) -> None:
    """botocore's minified JSON: a line over 10,000 characters is an error for docutils."""
    import docutils.core

    from sphinxext.releasediff.render.rst import render_rst

    from .archives import make_sdist

    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", {"data.json": "[" + "1," * 6000 + "1]\n"})
    new = make_sdist(tmp_path / "n", "demo", "1.1", {"data.json": "[" + "2," * 6000 + "2]\n"})
    body = render_rst(build_report(compare(*read_pair(old, new)), Settings()))
    assert max(len(line) for line in body.splitlines()) < 10_000
    assert "(3,004 more characters on this line not shown)" in body  # -[1,...] is 12,004
    docutils.core.publish_doctree(body, settings_overrides={"halt_level": 3, "report_level": 5})


def test_the_line_budget_goes_to_notable_files_first_and_removed_files_last(
    tmp_path: Path,
) -> None:
    """pip 24.1: 56 removed vendored files took the budget before the file Notable named."""
    body = "".join(f"VALUE_{number} = {number}\n" for number in range(8))
    old_tree = {
        "pkg/a_gone.py": body,  # first in path order: 9 lines of '-'
        "pkg/b_data.txt": "one\n",
        "pkg/c_code.py": "X = 1\n",
        "pkg/z_tool.py": "import subprocess\n\n\ndef go():\n    return None\n",
    }
    new_tree = {
        "pkg/b_data.txt": "two\n",
        "pkg/c_code.py": "X = 2\n",
        "pkg/z_tool.py": "import subprocess\n\n\ndef go():\n    return subprocess.run(['ls'])\n",
    }
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", old_tree)
    new = make_sdist(tmp_path / "n", "demo", "1.1", new_tree)
    settings = Settings(show=("notable", "diffs"), exclude=("PKG-INFO",))
    comparison = compare(*read_pair(old, new), settings.compare_options)
    assert [entry.path for entry in comparison.notable] == ["pkg/z_tool.py"]
    settings = settings.replace(max_total_diff_lines=22)
    diffs = build_report(comparison, settings).section("diffs")
    assert diffs is not None
    shown = [block.path for block in diffs.blocks if block.diff]  # type: ignore[union-attr]
    # z_tool.py (Notable, 8 lines), then code (c_code.py, 5), then the text file (5):
    # the removed file's 11 lines come last and no longer fit in the 22.
    assert shown == ["pkg/b_data.txt", "pkg/c_code.py", "pkg/z_tool.py"]
    assert diffs.notes[0].startswith("1 diff not shown: ")  # type: ignore[union-attr]
