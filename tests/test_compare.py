"""Pairing and classifying members of two releases."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinxext.releasediff.archive import Limits, read_archive
from sphinxext.releasediff.compare import CompareOptions, compare, is_tiny
from sphinxext.releasediff.model import Comparison, FileChange, Status
from sphinxext.releasediff.render.patch import render_patch

from .archives import Entry, Tree, make_sdist, make_tar, make_wheel, make_zip

BODY = "".join(f"line {i}\n" for i in range(40))


def diff_sdists(
    tmp_path: Path,
    old: Tree,
    new: Tree,
    fmt: str = "tar.gz",
    **options: object,
) -> Comparison:
    (tmp_path / "o").mkdir(parents=True)
    (tmp_path / "n").mkdir(parents=True)
    old_path = make_sdist(tmp_path / "o", "demo", "1.0", old, fmt=fmt)
    new_path = make_sdist(tmp_path / "n", "demo", "1.1", new, fmt=fmt)
    return compare(read_archive(old_path), read_archive(new_path), CompareOptions(**options))  # type: ignore[arg-type]


def changes(comparison: Comparison) -> dict[str, FileChange]:
    return {change.path: change for change in comparison.files}


def statuses(comparison: Comparison) -> list[tuple[str | None, str | None, str]]:
    return [(c.old_path, c.new_path, str(c.status)) for c in comparison.files]


def test_versioned_top_folder_is_stripped_so_unchanged_files_pair(tmp_path: Path) -> None:
    tree = {"a.py": "a\n", "pkg/VERSION": "23.03.8\n"}
    comparison = diff_sdists(tmp_path, tree, {**tree, "pkg/VERSION": "23.03.9\n"})
    assert statuses(comparison) == [
        ("PKG-INFO", "PKG-INFO", "modified"),
        ("pkg/VERSION", "pkg/VERSION", "modified"),
    ]
    assert comparison.identical == 1
    assert changes(comparison)["pkg/VERSION"].diff == (
        "--- a/pkg/VERSION\n+++ b/pkg/VERSION\n@@ -1 +1 @@\n-23.03.8\n+23.03.9\n"
    )


def test_added_and_removed(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"old.txt": "bye\n"}, {"new.txt": "hi\n"})
    assert statuses(comparison)[1:] == [(None, "new.txt", "added"), ("old.txt", None, "removed")]
    by_path = changes(comparison)
    assert by_path["new.txt"].status == Status.ADDED
    assert by_path["new.txt"].diff == "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n"
    assert by_path["old.txt"].status == Status.REMOVED
    assert by_path["old.txt"].diff == "--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"


def test_rename_with_identical_content(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"a.py": BODY}, {"b.py": BODY})
    change = changes(comparison)["b.py"]
    assert (change.status, change.old_path, change.similarity, change.diff) == (
        Status.RENAMED,
        "a.py",
        1.0,
        None,
    )


def test_rename_with_one_line_changed_is_honestly_similar(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"a.py": BODY}, {"b.py": BODY.replace("line 7\n", "seven\n")}
    )
    change = changes(comparison)["b.py"]
    assert change.status == Status.RENAMED
    assert change.similarity == pytest.approx(0.975)
    assert change.diff is not None
    assert change.diff.startswith("--- a/a.py\n+++ b/b.py\n@@ -5,7 +5,7 @@\n")
    assert (change.insertions, change.deletions) == (1, 1)


def test_dissimilar_files_are_not_paired(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"a.py": BODY}, {"b.py": "something else\n"})
    assert statuses(comparison)[1:] == [("a.py", None, "removed"), (None, "b.py", "added")]


def test_rename_threshold_is_configurable(tmp_path: Path) -> None:
    half = BODY[: len(BODY) // 2]
    new = {"b.py": half + "".join(f"other {i}\n" for i in range(25))}
    assert (
        changes(diff_sdists(tmp_path / "1", {"a.py": BODY}, new, rename_threshold=0.3))[
            "b.py"
        ].status
        == Status.RENAMED
    )
    assert (
        changes(diff_sdists(tmp_path / "2", {"a.py": BODY}, new, rename_threshold=0.6))[
            "b.py"
        ].status
        == Status.ADDED
    )


def test_package_moved_into_src(tmp_path: Path) -> None:
    old = {f"pkg/mod{i}.py": f"# module {i}\n{BODY}" for i in range(30)}
    new = {f"src/pkg/mod{i}.py": f"# module {i}\n{BODY}" for i in range(30)}
    new["src/pkg/mod3.py"] += "extra = True\n"
    comparison = diff_sdists(tmp_path, old, new)
    moved = [c for c in comparison.files if c.status == Status.RENAMED]
    assert len(moved) == 30
    assert all(c.old_path == "pkg/" + (c.new_path or "")[len("src/pkg/") :] for c in moved)
    assert changes(comparison)["src/pkg/mod3.py"].insertions == 1


def test_large_move_pairs_by_base_name(tmp_path: Path) -> None:
    old = {f"pkg/m{i}.py": f"value = {i}\n{BODY}" for i in range(250)}
    new = {f"src/pkg/m{i}.py": f"value = {i}\n{BODY}" for i in range(250)}
    new["src/pkg/m7.py"] = "value = 'seven'\n" + BODY
    comparison = diff_sdists(tmp_path, old, new)
    assert changes(comparison)["src/pkg/m7.py"].old_path == "pkg/m7.py"
    assert sum(c.status == Status.RENAMED for c in comparison.files) == 250


def test_binary_files_are_not_diffed(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"logo.png": b"\x89PNG\x00\x01"}, {"logo.png": b"\x89PNG\x00\x02\x03"}
    )
    change = changes(comparison)["logo.png"]
    assert (change.status, change.binary, change.diff, change.insertions) == (
        Status.MODIFIED,
        True,
        None,
        0,
    )
    assert change.old is not None
    assert change.new is not None
    assert (change.old.size, change.new.size) == (6, 7)


def test_non_utf8_text(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"l.txt": "caf\xe9\n".encode("latin-1")}, {"l.txt": "th\xe9\n".encode("latin-1")}
    )
    change = changes(comparison)["l.txt"]
    assert (change.binary, change.encoding) == (False, "latin-1")
    assert change.diff is not None
    assert change.diff.endswith("-caf\xe9\n+th\xe9\n")


def test_crlf_and_final_newline(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"w.bat": b"@echo off\r\nexit"}, {"w.bat": b"@echo off\r\nexit\r\n"}
    )
    assert changes(comparison)["w.bat"].diff == (
        "--- a/w.bat\n+++ b/w.bat\n@@ -1,2 +1,2 @@\n @echo off\r\n-exit\n\\ No newline at end of file\n+exit\r\n"
    )


def test_empty_files_with_other_names_are_not_renames(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"keep": "", "gone": ""}, {"keep": "", "py.typed": ""})
    assert statuses(comparison)[1:] == [("gone", None, "removed"), (None, "py.typed", "added")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Django: one empty line paired 50 % with a two-line README.
        (
            {"Django.egg-info/not-zip-safe": "\n"},
            {"tests/gis_tests/data/geoip2/README": "\nThe files here come from GeoIP2.\n"},
        ),
        # urllib3: two empty files in unrelated folders paired as a 100 % rename.
        ({"changelog.d/.gitignore": ""}, {"dummyserver/__init__.py": ""}),
        # An empty package marker moved between unrelated packages.
        ({"pkg/old/__init__.py": ""}, {"pkg/new/marker.py": ""}),
        # A one-line module and a one-line file with a different name.
        ({"pkg/version.py": "VERSION = 1\n"}, {"pkg/data/config.ini": "VERSION = 1\n"}),
    ],
)
def test_tiny_files_are_no_evidence_of_a_rename(
    tmp_path: Path, old: dict[str, str], new: dict[str, str]
) -> None:
    comparison = diff_sdists(tmp_path, old, new)
    assert sorted(str(c.status) for c in comparison.files if c.path != "PKG-INFO") == [
        "added",
        "removed",
    ]


def test_tiny_files_with_the_same_base_name_pair_by_closest_path(tmp_path: Path) -> None:
    old = {"pkg/a/__init__.py": "", "pkg/b/__init__.py": "", "pkg/b/VERSION": "1\n"}
    new = {"src/pkg/a/__init__.py": "", "src/pkg/b/__init__.py": "", "src/pkg/b/VERSION": "1\n"}
    assert statuses(diff_sdists(tmp_path, old, new))[1:] == [
        ("pkg/a/__init__.py", "src/pkg/a/__init__.py", "renamed"),
        ("pkg/b/VERSION", "src/pkg/b/VERSION", "renamed"),
        ("pkg/b/__init__.py", "src/pkg/b/__init__.py", "renamed"),
    ]


def test_a_moved_tree_of_empty_files_pairs_each_with_its_own(tmp_path: Path) -> None:
    old = {f"pkg/m{i}/__init__.py": "" for i in range(300)}
    new = {f"src/pkg/m{i}/__init__.py": "" for i in range(300)}
    moved = diff_sdists(tmp_path, old, new).files[1:]
    assert len(moved) == 300
    assert all(c.old_path == (c.new_path or "").removeprefix("src/") for c in moved)


def test_identical_content_prefers_same_base_name_then_parent(tmp_path: Path) -> None:
    old = {"a/LICENSE": BODY, "b/LICENSE": BODY}
    new = {"x/b/COPYING": BODY, "x/b/LICENSE": BODY, "x/a/LICENSE": BODY}
    assert statuses(diff_sdists(tmp_path, old, new))[1:] == [
        ("a/LICENSE", "x/a/LICENSE", "renamed"),
        (None, "x/b/COPYING", "added"),
        ("b/LICENSE", "x/b/LICENSE", "renamed"),
    ]


def test_larger_identical_files_pair_across_names(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"docs/old.txt": BODY}, {"notes/new.md": BODY})
    assert statuses(comparison)[1:] == [("docs/old.txt", "notes/new.md", "renamed")]


def test_similar_files_prefer_same_base_name_at_equal_score(tmp_path: Path) -> None:
    old = {"pkg/util.py": BODY}
    new = {"pkg2/aaa.py": BODY + "x = 1\n", "pkg2/util.py": BODY + "y = 2\n"}
    assert statuses(diff_sdists(tmp_path, old, new))[1:] == [
        (None, "pkg2/aaa.py", "added"),
        ("pkg/util.py", "pkg2/util.py", "renamed"),
    ]


@pytest.mark.parametrize(
    ("data", "tiny"),
    [
        (b"", True),
        (b"\n\n\n", True),
        (b"x = 1\n", True),
        (b"from .core import main, run, helper\n", True),
        (b"a\nb\nc\n", True),
        (b"first = 1000000\nsecond = 2000000\nthird = 3000000\n", False),
        (b"\x00" * 200, False),
        # Two long lines are still only two lines of evidence.
        (b"a" * 5000 + b"\n" + b"b" * 100 + b"\n", True),
        (b" " * 5000 + b"x\ny\n", True),
        (b" " * 5000 + b"".join(b"line %d\n" % i for i in range(10)), False),
        (None, False),
    ],
)
def test_is_tiny(data: bytes | None, tiny: bool) -> None:
    assert is_tiny(data) is tiny


def test_mode_only_change(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"run.sh": Entry(b"echo\n", mode=0o644)}, {"run.sh": Entry(b"echo\n", mode=0o755)}
    )
    change = changes(comparison)["run.sh"]
    assert (change.status, change.diff) == (Status.MODE_CHANGED, None)


def test_mtime_and_owner_are_not_content_changes(tmp_path: Path) -> None:
    comparison = diff_sdists(
        tmp_path, {"a": Entry(b"x", mtime=1)}, {"a": Entry(b"x", mtime=2, uname="other", uid=5)}
    )
    assert "a" not in changes(comparison)


def test_symlinks(tmp_path: Path) -> None:
    old: Tree = {
        "t1": "1\n",
        "t2": "2\n",
        "link": Entry(kind="symlink", target="t1"),
        "same": Entry(kind="symlink", target="t1"),
    }
    new: Tree = {
        "t1": "1\n",
        "t2": "2\n",
        "link": Entry(kind="symlink", target="t2"),
        "same": Entry(kind="symlink", target="t1"),
    }
    by_path = changes(diff_sdists(tmp_path, old, new))
    assert by_path["link"].status == Status.MODIFIED
    assert by_path["link"].diff is None
    assert "same" not in by_path


def test_type_change(tmp_path: Path) -> None:
    by_path = changes(
        diff_sdists(tmp_path, {"conf": "x = 1\n"}, {"conf": Entry(kind="symlink", target="other")})
    )
    assert by_path["conf"].status == Status.TYPE_CHANGED


def test_zip_sdist_pairs_with_tar_sdist(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", {"a": "1\n"}, fmt="zip"))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", {"a": "2\n"}))
    assert statuses(compare(old, new)) == [
        ("PKG-INFO", "PKG-INFO", "modified"),
        ("a", "a", "modified"),
    ]


def test_wheel_dist_info_folders_map_across_versions(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    pth = "import sys, types, os\n"
    old_tree = {"demo/__init__.py": "v = 1\n", "demo-1.0-py3.11-nspkg.pth": pth}
    new_tree = {"demo/__init__.py": "v = 2\n", "demo-1.1-py3.11-nspkg.pth": pth}
    old = read_archive(make_wheel(tmp_path / "o", "demo", "1.0", old_tree))
    new = read_archive(make_wheel(tmp_path / "n", "demo", "1.1", new_tree))
    comparison = compare(old, new)
    assert statuses(comparison) == [
        ("demo-1.0.dist-info/METADATA", "demo-1.1.dist-info/METADATA", "modified"),
        ("demo-1.0.dist-info/RECORD", "demo-1.1.dist-info/RECORD", "modified"),
        ("demo/__init__.py", "demo/__init__.py", "modified"),
    ]
    assert comparison.identical == 2  # WHEEL, moved with its folder, and the .pth
    assert [(o.path, n.path) for o, n in comparison.moved] == [
        ("demo-1.0-py3.11-nspkg.pth", "demo-1.1-py3.11-nspkg.pth"),
        ("demo-1.0.dist-info/WHEEL", "demo-1.1.dist-info/WHEEL"),
    ]


def test_only_the_wheels_own_versioned_names_pair(tmp_path: Path) -> None:
    """Other files of the shape NAME-VER.dist-info/, NAME-VER.data/ or
    NAME-VER-pyX.Y-nspkg.pth are compared by path, each on its own."""
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    pth = "import sys, types, os\n"
    old_tree = {"demo-1.0-py3.11-nspkg.pth": pth, "b-2.data/purelib/x.py": "1\n"}
    new_tree = {
        "demo-1.1-py3.11-nspkg.pth": pth,
        "aaa-0-py3-nspkg.pth": "import os\n",
        "a-1.data/purelib/x.py": "2\n",
        "b-2.data/purelib/x.py": "1\n",
        "zzz-9.dist-info/METADATA": "Name: zzz\n",
    }
    old = read_archive(make_wheel(tmp_path / "o", "demo", "1.0", old_tree))
    new = read_archive(make_wheel(tmp_path / "n", "demo", "1.1", new_tree))
    assert (old.facts.wheel_stem, new.facts.wheel_stem) == ("demo-1.0", "demo-1.1")
    added = [c.path for c in compare(old, new).files if c.status.value == "added"]
    assert added == ["a-1.data/purelib/x.py", "aaa-0-py3-nspkg.pth", "zzz-9.dist-info/METADATA"]
    assert new.facts.problems[-1] == (
        "2 .dist-info folders at the root (demo-1.1.dist-info, zzz-9.dist-info): installers "
        "refuse such a wheel; its own is demo-1.1.dist-info, the others are plain files"
    )


def test_a_file_a_wheel_installs_twice_is_warned_about_and_its_data_copy_read(
    tmp_path: Path,
) -> None:
    """pip installs NAME-VER.data/purelib/x over the root's x: the API reads that copy."""
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    root = {"demo/__init__.py": "def connect(host):\n    pass\n"}
    twice = {
        **root,
        "demo-1.1.data/purelib/demo/__init__.py": "def connect(host, port):\n    pass\n",
    }
    old = read_archive(make_wheel(tmp_path / "o", "demo", "1.0", root))
    new = read_archive(make_wheel(tmp_path / "n", "demo", "1.1", twice))
    assert new.facts.problems == (
        "installed twice to one place: demo/__init__.py and "
        "demo-1.1.data/purelib/demo/__init__.py; pip leaves the second, which is what the API "
        "compares",
    )
    api = compare(old, new).api
    assert api is not None
    assert [(c.name, c.new, c.breaking) for c in api] == [
        ("demo.connect", "connect(host, port)", True)
    ]


def test_include_and_exclude(tmp_path: Path) -> None:
    old = {"src/a.py": "1\n", "src/b.txt": "1\n", "docs/c.py": "1\n"}
    new = {"src/a.py": "2\n", "src/b.txt": "2\n", "docs/c.py": "2\n"}
    included = diff_sdists(tmp_path / "1", old, new, include=("src/*",), exclude=("*.txt",))
    assert [c.path for c in included.files] == ["src/a.py"]
    py_only = diff_sdists(tmp_path / "2", old, new, include=("*.py",))
    assert [c.path for c in py_only.files] == ["docs/c.py", "src/a.py"]


def test_file_over_size_limit_is_compared_by_hash(tmp_path: Path) -> None:
    old_path = make_tar(tmp_path / "a.tar.gz", {"big": b"a" * 2000}, top="a")
    new_path = make_tar(tmp_path / "b.tar.gz", {"big": b"b" * 2000}, top="b")
    limits = Limits(max_file_bytes=1000)
    change = compare(read_archive(old_path, limits), read_archive(new_path, limits)).files[0]
    assert (change.status, change.binary, change.diff) == (Status.MODIFIED, True, None)


def test_plain_archives_and_zip(tmp_path: Path) -> None:
    old = read_archive(make_zip(tmp_path / "x.zip", {"a": "1\n"}))
    new = read_archive(make_zip(tmp_path / "y.zip", {"a": "2\n"}))
    assert statuses(compare(old, new)) == [("a", "a", "modified")]


def test_output_order_is_by_path(tmp_path: Path) -> None:
    old = {"b": "1\n", "a": "1\n", "c/d": "1\n"}
    new = {"b": "2\n", "a": "2\n", "c/d": "2\n"}
    assert [c.path for c in diff_sdists(tmp_path, old, new).files] == ["PKG-INFO", "a", "b", "c/d"]


def test_a_shared_object_with_a_long_run_before_its_first_nul_is_binary(tmp_path: Path) -> None:
    # As cryptography's _rust.abi3.so: no newline for far more than the long-line bound.
    old = b"\x7fELF\x02\x01\x01" + b"\x90" * 100_000 + b"\x00tail"
    comparison = diff_sdists(tmp_path, {"_rust.abi3.so": old}, {"_rust.abi3.so": old + b"\x01"})
    change = changes(comparison)["_rust.abi3.so"]
    assert (change.binary, change.hashed_only, change.diff) == (True, None, None)


def test_a_text_file_with_a_nul_after_the_first_8000_bytes_is_binary(tmp_path: Path) -> None:
    old = b"text\n" * 3000 + b"\x00"
    comparison = diff_sdists(tmp_path, {"data.txt": old}, {"data.txt": old + b"more\n"})
    assert changes(comparison)["data.txt"].binary


def test_text_with_a_long_line_is_compared_by_hash(tmp_path: Path) -> None:
    comparison = diff_sdists(tmp_path, {"min.js": "x" * 70_000}, {"min.js": "y" * 70_000})
    change = changes(comparison)["min.js"]
    assert (change.binary, change.diff, change.insertions) == (False, None, 0)
    assert change.hashed_only == "a line is longer than 65,536 bytes (minified or generated)"


def test_text_past_the_diff_cost_bound_is_compared_by_hash(tmp_path: Path) -> None:
    old = b"a\n" * 300_000
    comparison = diff_sdists(tmp_path, {"table.txt": old}, {"table.txt": old.replace(b"a", b"b")})
    change = changes(comparison)["table.txt"]
    assert (change.binary, change.diff) == (False, None)
    assert change.hashed_only == "more than 500,000 lines differ (the diff cost bound)"


def test_mapped_dist_info_file_with_changed_content_has_its_real_similarity(
    tmp_path: Path,
) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = read_archive(make_wheel(tmp_path / "o", "demo", "1.0", {"demo/__init__.py": "v = 1\n"}))
    new = read_archive(make_wheel(tmp_path / "n", "demo", "1.1", {"demo/__init__.py": "v = 2\n"}))
    metadata = changes(compare(old, new))["demo-1.1.dist-info/METADATA"]
    assert metadata.status == Status.MODIFIED
    assert metadata.similarity is not None
    assert 0 < metadata.similarity < 1
    assert metadata.old is not None
    old_lines = (old.content(metadata.old) or b"").count(b"\n")
    common = old_lines - metadata.deletions
    assert metadata.similarity == pytest.approx(
        2 * common / (2 * old_lines - metadata.deletions + metadata.insertions)
    )


def test_similarity_search_past_its_time_bound_keeps_to_same_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinxext.releasediff import compare as compare_module

    other = BODY.replace("line", "other")
    old = {"a/one.py": BODY, "a/two.py": other}
    new = {"b/uno.py": BODY + "uno\n", "b/two.py": other + "2\n"}
    unbounded = diff_sdists(tmp_path / "unbounded", old, new)
    assert statuses(unbounded)[1:] == [
        ("a/two.py", "b/two.py", "renamed"),
        ("a/one.py", "b/uno.py", "renamed"),
    ]
    # Four pairs cost about 4 × (5 + 41) units; 100 leaves room for one.
    monkeypatch.setattr(compare_module, "_MAX_SIMILARITY_WORK", 100)
    bounded = diff_sdists(tmp_path / "bounded", old, new)
    assert statuses(bounded)[1:] == [
        ("a/one.py", None, "removed"),
        ("a/two.py", "b/two.py", "renamed"),
        (None, "b/uno.py", "added"),
    ]


def test_text_that_only_nul_bytes_make_binary_is_shown_not_patched(tmp_path: Path) -> None:
    """gcc compiles a C file with a NUL in a comment: its change must still show."""
    old: Tree = {"x.c": "/* x */\nint f(void) { return 0; }\n", "blob.bin": b"\x00\x01\x02" * 50}
    new: Tree = {
        "x.c": '/* x \x00 */\nint f(void) { system("sh"); return 0; }\n',
        "blob.bin": b"\x00\x01\x03" * 50,
    }
    changes = {c.path: c for c in diff_sdists(tmp_path, old, new).files}
    text = changes["x.c"]
    assert (text.binary, text.insertions, text.deletions) == (True, 2, 2)
    assert text.diff == (
        "--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n-/* x */\n-int f(void) { return 0; }\n"
        '+/* x \u2400 */\n+int f(void) { system("sh"); return 0; }\n'
    )
    assert changes["blob.bin"].diff is None  # a real binary: NULs and controls throughout
    patch = render_patch(diff_sdists(tmp_path / "p", old, new))
    assert b"# not in this patch (binary)" in patch
    assert b"system" not in patch
