"""The hostile corpus through the command and the directive: clear errors or labelled results."""

from __future__ import annotations

import html
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.cli import main

from .hostile import BOMB_LIMIT, CASES, Case, old_archive
from .test_sphinx import parse_warnings, warnings

MakeApp = Callable[..., SphinxTestApp]


def build_case(case: Case, folder: Path) -> tuple[Path, Path]:
    (folder / "old").mkdir(parents=True)
    (folder / "new").mkdir()
    return old_archive(folder / "old"), case.build(folder / "new")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_command(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = build_case(case, tmp_path)
    output = tmp_path / "report.txt"
    status = main([str(old), str(new), *case.flags, "--output", str(output)])
    captured = capsys.readouterr()
    if case.expect[0] == "error":
        _kind, _subtype, words = case.expect
        assert status == 2
        assert captured.err.startswith(f"release-diff: {new}: ")
        assert words in captured.err
        assert captured.err.count("\n") == 1
        assert "Traceback" not in captured.err
    else:
        assert status == 1  # every case differs from OLD, and the difference is shown
        assert captured.err == ""
        report = output.read_text(encoding="utf-8")
        assert case.expect[1] in report
        # Nothing raw reaches a terminal: no escape, bidi or other control characters.
        assert not any(ch in report for ch in "\x1b\u202e\u2066\u2069\x00")


def test_directive(make_app: MakeApp, tmp_path: Path) -> None:
    """Every case on one page: one warning each, with location; notices; the build finishes."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    lines = ["Hostile\n=======\n"]
    for case in CASES:
        old, new = build_case(case, tmp_path / case.name)
        (srcdir / case.name).mkdir()
        shutil.copy(old, srcdir / case.name / "old.tar.gz")
        shutil.copy(new, srcdir / case.name / new.name)
        lines.append(
            f".. release-diff:: {case.name}/old.tar.gz {case.name}/{new.name}\n   :show: summary, files, diffs\n"
        )
    (srcdir / "index.rst").write_text("\n".join(lines), encoding="utf-8")
    (srcdir / "conf.py").write_text(
        'extensions = ["sphinxext.releasediff"]\nshow_warning_types = True\n'
        f"releasediff_max_bytes = {2 * BOMB_LIMIT}\n"  # bombs are 3x BOMB_LIMIT
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    found = parse_warnings(warnings(app))
    page = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    for case in CASES:
        mine = [
            (loc, msg, kind)
            for loc, msg, kind in found
            if f"/{case.name}/" in msg or case.name in msg
        ]
        if case.expect[0] == "error":
            _kind, subtype, words = case.expect
            if subtype == "limit":  # one byte limit for the page: which limit is hit first varies
                words = "more than"
            assert any(
                kind == f"releasediff.{subtype}" and words in msg for _loc, msg, kind in mine
            ), case.name
        elif not case.expect[1].startswith("+"):  # a label (not a diff line) shows on the page
            assert html.escape(case.expect[1], quote=False) in page, case.name
        assert all(loc.startswith(str(srcdir / "index.rst") + ":") for loc, _msg, _kind in found)
    assert page.count("Release diff not available") == sum(c.expect[0] == "error" for c in CASES)
    assert "\x1b" not in page
    assert "\u202e" not in page
    labelled = [
        kind for _loc, msg, kind in found if kind == "releasediff.archive" and "unsafe" in msg
    ]
    assert labelled


def snapshot(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*")}


def test_nothing_is_written_outside_the_cache(make_app: MakeApp, tmp_path: Path) -> None:
    """Whatever names and links the archives hold, a build writes only its output and cache."""
    corpus = [case for case in CASES if case.expect[0] == "label"]
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    lines = ["Hostile\n=======\n"]
    for case in corpus:
        old, new = build_case(case, tmp_path / "cases" / case.name)
        shutil.copy(old, srcdir / f"{case.name}-old.tar.gz")
        shutil.copy(new, srcdir / f"{case.name}-{new.name}")
        lines.append(
            f".. release-diff:: {case.name}-old.tar.gz {case.name}-{new.name}\n   :show: summary, files, diffs, listing\n"
        )
    (srcdir / "index.rst").write_text("\n".join(lines), encoding="utf-8")
    (srcdir / "conf.py").write_text('extensions = ["sphinxext.releasediff"]\n')
    before = snapshot(tmp_path)
    parent_before = set(os.listdir(tmp_path.parent))
    app = make_app("html", srcdir=srcdir, builddir=tmp_path / "build")
    app.build()
    for case in corpus:
        old, new = tmp_path / "cases" / case.name / "old", tmp_path / "cases" / case.name / "new"
        main(
            [
                str(next(old.iterdir())),
                str(next(new.iterdir())),
                "--output",
                str(tmp_path / "build" / "cli.txt"),
            ]
        )
    created = snapshot(tmp_path) - before
    assert created, "the build wrote its output"
    assert all(path.startswith("build") for path in created), sorted(created)[:5]
    assert set(os.listdir(tmp_path.parent)) == parent_before
    assert not Path("/etc/evil.conf").exists()
