"""What a new user found in the command's output on real releases (Django 5.0.8 -> 5.1,
pip 24.0 -> 24.1), each checked on a small pair of its kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.cli import main
from sphinxext.releasediff.compare import CompareOptions, compare
from sphinxext.releasediff.render.json import to_json_data
from sphinxext.releasediff.render.patch import render_patch
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import build_report, rename_path
from sphinxext.releasediff.settings import Settings

from .archives import Tree, make_sdist
from .test_cli import make_pair
from .test_record import wheel

# Long enough that a name and its bar do not both fit in 80 columns.
DEEP = "src/package/subpackage/deeply/nested/folder"


@pytest.fixture(autouse=True)
def no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)


def sdists(tmp_path: Path, old: Tree, new: Tree) -> tuple[Path, Path]:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    return (
        make_sdist(tmp_path / "o", "demo", "1.0", old),
        make_sdist(tmp_path / "n", "demo", "1.1", new),
    )


def thirty_modules(tmp_path: Path) -> tuple[Path, Path]:
    """Module ``m{i}`` gains ``i + 1`` lines: 31 changed files with PKG-INFO's version."""
    old = {f"{DEEP}/module_{i:02}.py": "x = 0\n" for i in range(30)}
    new = {path: text + "y = 1\n" * (i + 1) for i, (path, text) in enumerate(old.items())}
    return sdists(tmp_path, old, new)


def text_of(*args: str | Path, output: Path) -> str:
    assert main([*map(str, args), "--output", str(output)]) == 1
    return output.read_text(encoding="utf-8")


def diffstat(text: str) -> list[str]:
    """The summary's lines that start with one space (its notes start with two)."""
    head = text.split("\n\n", maxsplit=1)[0].splitlines()
    return [line for line in head if line.startswith(" ") and not line.startswith("  ")]


def test_the_diffstat_lists_the_largest_files_within_80_columns(tmp_path: Path) -> None:
    text = text_of(*thirty_modules(tmp_path), output=tmp_path / "out")
    lines = diffstat(text)
    # The 25 files that changed the most lines, in path order; the rest in one line.
    assert len(lines) == 26
    # 56 columns of name, a count of 2 digits and a bar of 30 do not fit: the bar gets
    # 3/8 of the width (22 columns), the names the rest (50), cut at a folder.
    assert lines[0] == " …/subpackage/deeply/nested/folder/module_05.py     |  6 +++++"
    assert lines[-2] == " …/subpackage/deeply/nested/folder/module_29.py     | 30 " + "+" * 22
    assert lines[-1] == " … and 6 more files, none larger (+16 −1 lines); Files lists every file"
    assert max(len(line) for line in lines) <= 80


def test_the_diffstat_follows_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    lines = diffstat(text_of(*thirty_modules(tmp_path), output=tmp_path / "out"))
    # A bar of at most 3/8 of the width (14 columns), the names cut at a folder.
    assert lines[0] == " …/deeply/nested/folder/module_05.py    |  6 +++"
    assert lines[-2] == " …/deeply/nested/folder/module_29.py    | 30 " + "+" * 14
    assert max(len(line) for line in lines[:-1]) <= 60


def test_a_short_diffstat_is_whole_and_unscaled(tmp_path: Path) -> None:
    old, new = make_pair(tmp_path)
    report = build_report(compare(*read_pair(old, new)), Settings())
    lines = render_text(report, width=200).splitlines()
    assert lines[4:10] == [
        " PKG-INFO                    | 5 +++--",
        " logo.png                    | binary",
        " pkg/core.py                 | 2 +-",
        " pkg/{util.py => helpers.py} | 2 +-",  # a rename as git --stat writes it
        " pkg/new.py                  | 1 +",
        " pkg/old.py                  | 1 -",
    ]


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        ("skyline/cli.py", "skyline/commands/cli.py", "skyline/{cli.py => commands/cli.py}"),
        ("a/b/c.py", "a/d/c.py", "a/{b => d}/c.py"),
        ("src/a.py", "lib/a.py", "{src => lib}/a.py"),
        ("x.py", "y.py", "x.py => y.py"),
    ],
)
def test_a_rename_in_the_diffstat_braces_what_changed(old: str, new: str, shown: str) -> None:
    assert rename_path(old, new) == shown


def test_without_files_the_diffstat_does_not_point_to_them(tmp_path: Path) -> None:
    old, new = read_pair(*thirty_modules(tmp_path))
    settings = Settings(show=("summary",))
    text = render_text(build_report(compare(old, new, settings.compare_options), settings))
    assert text.splitlines()[-1] == " … and 6 more files, none larger (+16 −1 lines)"


def test_diffs_the_budget_leaves_out_are_one_line_naming_the_flag(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    text = text_of(
        *pair, "--max-total-diff-lines", "9", "--max-diff-lines", "2", output=tmp_path / "out"
    )
    assert text.count("not shown: this release diff") == 1
    assert (
        "Diffs\n\n  3 diffs not shown: this release diff reached its limit of 9 diff lines "
        "(--max-total-diff-lines); the files Notable names, then code and metadata, were given "
        "theirs first, removed files theirs last, and the Files table lists every file.\n\n"
        "==== PKG-INFO (modified)\n"
    ) in text
    # 4 + 4 lines of the budget; helpers.py's 10 did not fit, and has no block.
    assert "==== pkg/core.py (modified)\n" in text
    assert "==== pkg/helpers.py" not in text
    alone = text_of(*pair, "--max-total-diff-lines", "9", "--show", "diffs", output=tmp_path / "d")
    assert alone.splitlines()[2].endswith("removed files theirs last.")


def test_the_counts_line_has_every_clause_at_its_place(tmp_path: Path) -> None:
    """As SPEC.md gives it, for scripts; the Files section says "No file changed" itself."""
    old, new = sdists(tmp_path, {"a.bin": b"\x00\x01", "b.txt": "b\n"}, {"a.bin": b"\x00\x02"})
    text = text_of(old, new, "--exclude", "PKG-INFO", output=tmp_path / "out")
    assert text.startswith(
        "demo 1.0 → 1.1 (sdist): 2 files changed, 0 added, 1 removed, 0 renamed; +0 −1 lines\n"
    )
    assert main([str(old), str(old), "--exclude", "PKG-INFO", "-o", str(tmp_path / "same")]) == 0
    same = (tmp_path / "same").read_text(encoding="utf-8").splitlines()
    assert (
        same[0]
        == "demo 1.0 → 1.0 (sdist): 0 files changed, 0 added, 0 removed, 0 renamed; +0 −0 lines"
    )
    assert "  No file changed, 2 identical files not listed." in same


def test_json_says_the_summary_total(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    text = text_of(*pair, "--format", "json", output=tmp_path / "out.json")
    summary = json.loads(text)["summary"]
    parts = ("modified", "added", "removed", "renamed")
    assert summary["changed"] == sum(summary[part] for part in parts) == 6


BUILD_OLD: Tree = {
    "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61"]\n',
    "setup.py": "from setuptools import setup\nsetup()\n",
    "pkg/core.py": "X = 1\n",
}
BUILD_NEW: Tree = {
    "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\n',
    "setup.py": "from setuptools import setup\nimport os\nsetup()\n",
    "pkg/core.py": "X = 2\n",
}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            CompareOptions(),
            [
                ("build", "pyproject.toml"),
                ("build", "setup.py"),
            ],
        ),
        (CompareOptions(include=("pkg/*",)), []),
        (CompareOptions(exclude=("pyproject.toml",)), [("build", "setup.py")]),
        (CompareOptions(include=("pyproject.toml",)), [("build", "pyproject.toml")]),
    ],
)
def test_notable_follows_include_and_exclude(
    tmp_path: Path, options: CompareOptions, expected: list[tuple[str, str]]
) -> None:
    old, new = read_pair(*sdists(tmp_path, BUILD_OLD, BUILD_NEW))
    notable = compare(old, new, options).notable
    assert [(entry.kind, entry.path) for entry in notable] == expected


def test_notable_from_the_metadata_stays_with_a_filter(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", {"a.py": "a\n"}, metadata=("Requires-Dist: x",))
    new = make_sdist(tmp_path / "n", "demo", "1.1", {"a.py": "b\n"}, metadata=("Requires-Dist: y",))
    notable = compare(*read_pair(old, new), CompareOptions(include=("src/*",))).notable
    assert [(entry.kind, entry.path, entry.detail) for entry in notable] == [
        ("dependency", None, "requirement added: y")
    ]


def test_a_record_row_shows_each_sides_dist_info(tmp_path: Path) -> None:
    """pip 24.0 -> 24.1: OLD's rows were shown under NEW's ``pip-24.1.dist-info/``."""

    def record(version: str, digest: str) -> str:
        return f"demo/a.py,sha256=A,2\ndemo-{version}.dist-info/METADATA,sha256={digest},50\n"

    old = wheel(tmp_path / "o", "1.0", record("1.0", "M1"), {"demo/a.py": "a\n"})
    new = wheel(tmp_path / "n", "1.1", record("1.1", "M2"), {"demo/a.py": "a\n"})
    report = build_report(compare(*read_pair(old, new)), Settings())
    assert (
        "--- a/demo-1.0.dist-info/RECORD\n+++ b/demo-1.1.dist-info/RECORD\n"
        "-demo-1.0.dist-info/METADATA,sha256=M1\n"
        "+demo-1.1.dist-info/METADATA,sha256=M2\n"
    ) in render_text(report)
    (row,) = to_json_data(report)["files"][-1]["record"]
    assert row == {
        "change": "changed",
        "path": "demo-1.1.dist-info/METADATA",
        "old_path": "demo-1.0.dist-info/METADATA",
        "old": "sha256=M1",
        "new": "sha256=M2",
    }


def test_a_version_without_a_package_names_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["previous", "latest", "--offline", "--find-links", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "release-diff: latest: a version argument needs the package name (--package)\n"
    )


def test_help_shows_only_defaults_that_say_something(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: False)" not in text
    assert "(default: (none))" not in text
    assert "--offline never touch the network: folders and the download cache only --" in text
    assert "lines of context around each change (default: 3)" in text


def test_a_patch_says_in_one_line_what_it_ignores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = make_pair(tmp_path)
    output = tmp_path / "out.patch"
    args = [str(old), str(new), "--format", "patch", "--output", str(output)]
    assert main([*args, "--show", "summary", "--max-diff-lines", "3"]) == 1
    assert capsys.readouterr().err == (
        "release-diff: warning: --format patch holds every file change, whole, and no "
        "sections: --show, --max-diff-lines ignored\n"
    )
    whole = render_patch(compare(*read_pair(old, new)))
    assert output.read_bytes() == whole
    assert main(args) == 1
    assert capsys.readouterr().err == ""
    assert output.read_bytes() == whole


@pytest.mark.parametrize(("columns", "width"), [("120", 120), ("0", 80), ("wide", 80), ("", 80)])
def test_columns_that_mean_nothing_give_80(
    monkeypatch: pytest.MonkeyPatch, columns: str, width: int
) -> None:
    from sphinxext.releasediff.cli import _terminal_width

    monkeypatch.setenv("COLUMNS", columns)
    assert _terminal_width("out.txt") == width


def test_the_listing_follows_include_and_exclude(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    text = text_of(
        *pair,
        "--show",
        "listing",
        "--include",
        "pkg/*",
        "--exclude",
        "*/old.py",
        output=tmp_path / "out",
    )
    listed = [line.rsplit(" ", 1)[-1] for line in text.splitlines() if line[:1] in " -+"]
    paths = sorted({path for path in listed if path and not path.endswith(".tar.gz")})
    assert paths == ["pkg/core.py", "pkg/helpers.py", "pkg/new.py", "pkg/util.py"]


def test_json_holds_the_listing_when_asked(tmp_path: Path) -> None:
    pair = make_pair(tmp_path)
    assert main([*map(str, pair), "--format", "json", "-o", str(tmp_path / "plain")]) == 1
    assert json.loads((tmp_path / "plain").read_text(encoding="utf-8"))["listing"] is None
    arguments = [*map(str, pair), "--format", "json", "--listing", "-o", str(tmp_path / "with")]
    assert main(arguments) == 1
    listing = json.loads((tmp_path / "with").read_text(encoding="utf-8"))["listing"]
    assert listing.startswith("--- a/demo-1.0.tar.gz\n+++ b/demo-1.1.tar.gz\n@@ ")
    assert "+-rwxr-xr-x runner/docker         18 2023-07-06 04:38:08 run.sh\n" in listing
    same = [str(pair[0]), str(pair[0]), "--format", "json", "--listing", "-o", str(tmp_path / "s")]
    assert main(same) == 0
    assert json.loads((tmp_path / "s").read_text(encoding="utf-8"))["listing"] == ""
