"""The release-diff command: every format exactly, exit codes, errors, determinism, patches."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sphinxext.releasediff.cli import main

from .archives import Entry, Tree, make_sdist, make_wheel

CORE_OLD = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(8))
UTIL = "".join(f"line {i}\n" for i in range(40))


def make_pair(folder: Path) -> tuple[Path, Path]:
    """demo 1.0 -> 1.1: a bit of everything a release changes."""
    old: Tree = {
        "pkg/core.py": CORE_OLD,
        "pkg/old.py": "OLD = True\n",
        "pkg/util.py": UTIL,
        "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "run.sh": Entry(b"#!/bin/sh\necho hi\n", mode=0o644),
        "same.txt": "unchanged\n",
    }
    new: Tree = {
        "pkg/core.py": CORE_OLD.replace("return 3", "return 33"),
        "pkg/new.py": "NEW = True\n",
        "pkg/helpers.py": UTIL.replace("line 20\n", "line twenty\n"),
        "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
        "run.sh": Entry(b"#!/bin/sh\necho hi\n", mode=0o755),
        "same.txt": "unchanged\n",
    }
    (folder / "old").mkdir()
    (folder / "new").mkdir()
    return (
        make_sdist(folder / "old", "demo", "1.0", old, metadata=("Requires-Dist: attrs>=20",)),
        make_sdist(
            folder / "new",
            "demo",
            "1.1",
            new,
            metadata=("Requires-Dist: attrs>=22", "Requires-Dist: packaging"),
        ),
    )


def run(*args: str | Path, output: Path) -> int:
    return main([*map(str, args), "--output", str(output)])


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    return make_pair(tmp_path)


@pytest.fixture(autouse=True)
def no_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output is laid out for $COLUMNS when set: the goldens are for 80."""
    monkeypatch.delenv("COLUMNS", raising=False)


GOLDEN = Path(__file__).parent / "expected"


def normalised(text: str, folder: Path, old: Path, new: Path) -> str:
    """Output with what depends on the machine (paths, compressed bytes) replaced by tokens."""
    import hashlib

    for label, path in (("OLD", old), ("NEW", new)):
        text = text.replace(hashlib.sha256(path.read_bytes()).hexdigest(), f"<{label}_SHA256>")
        size = path.stat().st_size
        text = text.replace(f"{size:,} bytes", f"<{label}_SIZE> bytes")
        text = text.replace(f'"size": {size},', f'"size": "<{label}_SIZE>",')
    return text.replace(str(folder), "<TMP>")


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os_environ_update():
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


def os_environ_update() -> bool:
    import os

    return os.environ.get("RELEASEDIFF_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize(
    ("fmt", "golden", "extra"),
    [
        ("text", "demo.txt", ()),
        ("text", "demo-listing.txt", ("--listing",)),
        ("markdown", "demo.md", ()),
        ("json", "demo.json", ()),
        ("patch", "demo.patch", ()),
        ("text", "demo-context1.txt", ("--context", "1", "--max-diff-lines", "6")),
    ],
)
def test_format_output_exactly(
    tmp_path: Path, pair: tuple[Path, Path], fmt: str, golden: str, extra: tuple[str, ...]
) -> None:
    output = tmp_path / "out"
    assert run(*pair, "--format", fmt, *extra, output=output) == 1
    check_golden(golden, normalised(output.read_text(encoding="utf-8"), tmp_path, *pair))


def test_json_schema_fields(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    output = tmp_path / "out.json"
    run(*pair, "--format", "json", output=output)
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["schema"] == 2
    archive_keys = {
        "path",
        "filename",
        "name",
        "version",
        "kind",
        "format",
        "size",
        "sha256",
        "members",
        "uncompressed_size",
        "gzip",
    }
    assert archive_keys <= data["old"].keys()
    assert data["summary"] == {
        "added": 1,
        "removed": 1,
        "modified": 3,
        "renamed": 1,
        "changed": 6,
        "mode_changed": 1,
        "identical": 1,
        "insertions": 6,
        "deletions": 5,
    }
    file_keys = {
        "status",
        "old_path",
        "new_path",
        "old_member",
        "new_member",
        "old_size",
        "new_size",
        "binary",
        "similarity",
        "insertions",
        "deletions",
        "diff",
        "truncated",
    }
    by_path = {f["new_path"] or f["old_path"]: f for f in data["files"]}
    assert all(file_keys <= f.keys() for f in data["files"])
    renamed = by_path["pkg/helpers.py"]
    assert (renamed["status"], renamed["old_path"], renamed["similarity"]) == (
        "renamed",
        "pkg/util.py",
        0.975,
    )
    assert renamed["old_member"] == "demo-1.0/pkg/util.py"
    assert by_path["pkg/new.py"]["old_path"] is None
    assert by_path["logo.png"]["diff"] is None
    assert by_path["logo.png"]["binary"] is True


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "patch"])
def test_same_inputs_same_bytes(tmp_path: Path, pair: tuple[Path, Path], fmt: str) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    run(*pair, "--format", fmt, output=first)
    run(*pair, "--format", fmt, output=second)
    assert first.read_bytes() == second.read_bytes()


def test_exit_zero_when_nothing_differs(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    assert run(pair[0], pair[0], output=tmp_path / "out") == 0
    assert "The two archives hold the same files and metadata." in (tmp_path / "out").read_text(
        encoding="utf-8"
    )


def command(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxext.releasediff", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_module_entry_point_and_stdout(pair: tuple[Path, Path]) -> None:
    result = command(*pair, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["schema"] == 2
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.tar.gz", None, "no such file"),
        ("empty.tar.gz", b"", "empty file, not an archive"),
        ("t.whl", b"hello " * 100, "not a tar or zip archive (unrecognised content)"),
        ("cut.tar.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 20, "corrupt tar.gz archive"),
    ],
)
def test_errors_are_one_line_exit_2(
    tmp_path: Path, pair: tuple[Path, Path], name: str, content: bytes | None, reason: str
) -> None:
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    result = command(pair[0], bad)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"release-diff: {bad}: {reason}")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_one_line(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    result = command(*pair, "--output", tmp_path / "no" / "such" / "dir" / "out")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "No such file or directory" in result.stderr


def test_include_exclude_flags(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    output = tmp_path / "out.json"
    run(
        *pair, "--format", "json", "--include", "pkg/*,*.sh", "--exclude", "*/old.py", output=output
    )
    paths = [f["new_path"] or f["old_path"] for f in json.loads(output.read_text())["files"]]
    assert paths == ["pkg/core.py", "pkg/helpers.py", "pkg/new.py", "run.sh"]


PATCH_TOOLS = {
    "patch": ["patch", "-p1", "--batch", "--silent", "--binary"],
    "git": ["git", "apply"],
    # git wants a line of context around each hunk unless told otherwise.
    "git-zero-context": ["git", "apply", "--unidiff-zero"],
}


def apply_tree_patch(
    old_tree: dict[str, bytes], patch: bytes, folder: Path, tool: str = "patch"
) -> dict[str, bytes]:
    """Write the old tree, run ``patch -p1`` (or ``git apply``) in it, read back what is there."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path, data in old_tree.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    subprocess.run(
        PATCH_TOOLS[tool],
        input=patch,
        cwd=folder,
        check=True,
        capture_output=True,
    )
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_patch_turns_old_tree_into_new(tmp_path: Path, pair: tuple[Path, Path]) -> None:
    output = tmp_path / "demo.patch"
    run(*pair, "--format", "patch", output=output)
    from .test_cli_trees import tree_of

    old_tree, new_tree = tree_of(pair[0]), tree_of(pair[1])
    result = apply_tree_patch(old_tree, output.read_bytes(), tmp_path / "work")
    expected = {path: data for path, data in new_tree.items() if path != "logo.png"}
    result.pop("logo.png")  # binary: listed in a comment, not patched
    assert result == expected
    assert (tmp_path / "work" / "run.sh").stat().st_mode & 0o777 == 0o755


def test_patch_moves_a_wheels_dist_info(tmp_path: Path) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = make_wheel(tmp_path / "o", "demo", "1.0", {"demo/__init__.py": "v = 1\n"})
    new = make_wheel(
        tmp_path / "n", "demo", "1.1", {"demo/__init__.py": "v = 2\n", "demo/extra.py": ""}
    )
    output = tmp_path / "wheel.patch"
    assert run(old, new, "--format", "patch", output=output) == 1
    from .test_cli_trees import tree_of

    result = apply_tree_patch(tree_of(old), output.read_bytes(), tmp_path / "work")
    assert result == tree_of(new)


def write_archive_tree(archive: Path, folder: Path) -> None:
    """An archive's regular files on disk (top folder stripped), with their permissions."""
    from sphinxext.releasediff.archive import read_archive
    from sphinxext.releasediff.model import MemberKind

    contents = read_archive(archive)
    folder.mkdir(parents=True)
    for member in contents.members:
        if member.kind == MemberKind.FILE:
            target = folder / member.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(contents.content(member) or b"")
            target.chmod((member.mode or 0o644) & 0o777)


def disk_tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode & 0o777)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def apply_with_both_tools(
    tmp_path: Path, old: Path, new: Path
) -> tuple[bytes, dict[str, tuple[bytes, int]], dict[str, tuple[bytes, int]]]:
    """The patch from OLD to NEW, and the old tree after ``patch -p1`` and after ``git apply``."""
    output = tmp_path / "out.patch"
    run(old, new, "--format", "patch", output=output)
    patch = output.read_bytes()
    results = []
    for tool in (
        ["patch", "-p1", "--batch", "--silent", "--binary"],
        ["git", "apply", "--check"],
        ["git", "apply"],
    ):
        folder = tmp_path / f"applied-{tool[0]}"
        if tool[-1] == "--check":
            shutil.rmtree(folder, ignore_errors=True)
            write_archive_tree(old, folder)
        elif tool[0] == "patch":
            write_archive_tree(old, folder)
        done = subprocess.run(tool, input=patch, cwd=folder, capture_output=True, check=False)
        assert done.returncode == 0, (tool, done.stdout, done.stderr)
        if tool[-1] != "--check":
            results.append(disk_tree(folder))
    return patch, results[0], results[1]


def notes(patch: bytes) -> list[str]:
    return [line.decode() for line in patch.splitlines() if line.startswith(b"# ")]


ODD_NAMES = [
    "docs/with space.txt",
    'docs/with "quotes".txt',
    "docs/with\ttab.txt",
    "docs/with\nnewline.txt",
    "docs/café.txt",
    "docs/back\\slash.txt",
]


def test_patch_of_every_kind_of_change_applies_with_patch_and_git(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    old: Tree = {
        **{name: f"old {i}\n" for i, name in enumerate(ODD_NAMES)},
        "group-write.txt": Entry(b"same\n", mode=0o664),
        "group-write-edited.txt": Entry(b"one\n", mode=0o664),
        "run.sh": Entry(b"#!/bin/sh\n", mode=0o644),
        "empty-removed.txt": "",
        "gone.txt": "gone\n",
        "no-final-newline.txt": "a\nb",
        "crlf.txt": b"a\r\nb\r\n",
        "latin1.txt": b"caf\xe9\n",
        "logo.png": png,
        "old-place/blob.bin": png + b"moved",
        "removed.bin": b"\x7fELF\x02" + b"\x00" * 8,
        "min.js": "x" * 70_000,
        "link": Entry(kind="symlink", target="run.sh"),
    }
    new: Tree = {
        **{name: f"new {i}\n" for i, name in enumerate(ODD_NAMES)},
        "group-write.txt": Entry(b"same\n", mode=0o644),
        "group-write-edited.txt": Entry(b"two\n", mode=0o644),
        "run.sh": Entry(b"#!/bin/sh\n", mode=0o755),
        "empty-added.txt": "",
        "no-final-newline.txt": "a\nc",
        "crlf.txt": b"a\r\nc\r\n",
        "latin1.txt": b"caf\xe8\n",
        "logo.png": png + b"\x00\x01",
        "new.png": png + b"\x02",
        "new-place/blob.bin": png + b"moved",
        "min.js": "y" * 70_000,
        "link": Entry(kind="symlink", target="gone.txt"),
    }
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old_path = make_sdist(tmp_path / "o", "demo", "1.0", old)
    new_path = make_sdist(tmp_path / "n", "demo", "1.1", new)
    patch, by_patch, by_git = apply_with_both_tools(tmp_path, old_path, new_path)
    assert notes(patch) == [
        "# not in this patch (binary): removed.bin",  # removals first, as they apply
        "# mode not in this patch (mode 0664 to 0644, which git cannot express): "
        "group-write-edited.txt",
        "# mode not in this patch (mode 0664 to 0644, which git cannot express): group-write.txt",
        "# not in this patch (not a regular file): link",
        "# not in this patch (binary): logo.png",
        "# not in this patch (compared by hash only: a line is longer than 65,536 bytes "
        "(minified or generated)): min.js",
        "# not in this patch (binary): new.png",
    ]
    assert b'diff --git "a/docs/with\\ttab.txt" "b/docs/with\\ttab.txt"\n' in patch
    assert b'--- "a/docs/with\\nnewline.txt"\n' in patch
    assert b'+++ "b/docs/caf\\303\\251.txt"\n' in patch
    assert b'+++ "b/docs/with \\"quotes\\".txt"\t\n' in patch
    assert b"--- a/docs/with space.txt\t\n" in patch
    assert b"rename from old-place/blob.bin\nrename to new-place/blob.bin\n" in patch
    assert b"old mode 100644\nnew mode 100644" not in patch
    expected = disk_tree_of(new_path, tmp_path / "expected")
    # What the patch leaves alone keeps its old content; the new binary is not made.
    kept = disk_tree_of(old_path, tmp_path / "kept")
    for path in ("logo.png", "min.js", "group-write.txt", "removed.bin"):
        expected[path] = kept[path]
    del expected["new.png"]
    # Its content travels; its permissions are as each tool leaves a rewritten file.
    del expected["group-write-edited.txt"]
    for result in (by_patch, by_git):
        assert result.pop("group-write-edited.txt")[0] == b"two\n"
        assert result == expected


def test_a_mode_change_of_up_to_ten_files_names_each(tmp_path: Path) -> None:
    def tree(mode: int) -> dict[str, str | Entry]:
        group = {f"g{i:02}.txt": Entry(b"same\n", mode=mode) for i in range(11)}
        few = {f"x{i}.sh": Entry(b"run\n", mode=mode | 0o111) for i in range(10)}
        binaries = {f"b{i:02}.bin": Entry(b"\0%d" % (mode + i), mode=mode) for i in range(11)}
        return {**group, **few, **binaries}

    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old_path = make_sdist(tmp_path / "o", "demo", "1.0", tree(0o664))
    new_path = make_sdist(tmp_path / "n", "demo", "1.1", tree(0o644))
    patch, by_patch, by_git = apply_with_both_tools(tmp_path, old_path, new_path)
    assert notes(patch) == [
        "# mode not in this patch (mode 0664 to 0644, which git cannot express): 22 files"
        " (named by the report's --listing)",
        *(f"# not in this patch (binary): b{i:02}.bin" for i in range(11)),
        *(
            f"# mode not in this patch (mode 0775 to 0755, which git cannot express): x{i}.sh"
            for i in range(10)
        ),
    ]
    # Both tools leave the same tree: the new contents, the old permissions.
    kept = disk_tree_of(old_path, tmp_path / "kept")
    kept["PKG-INFO"] = disk_tree_of(new_path, tmp_path / "expected")["PKG-INFO"]
    # The binaries do not travel: the reader copies them.
    assert by_patch == by_git == kept


def disk_tree_of(archive: Path, folder: Path) -> dict[str, tuple[bytes, int]]:
    write_archive_tree(archive, folder)
    return disk_tree(folder)


def test_wheel_dist_info_move_with_changed_metadata_applies_with_patch_and_git(
    tmp_path: Path,
) -> None:
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = make_wheel(tmp_path / "o", "demo", "1.0", {"demo/__init__.py": "v = 1\n"})
    new = make_wheel(
        tmp_path / "n", "demo", "1.1", {"demo/__init__.py": "v = 2\n", "demo/extra.py": ""}
    )
    patch, by_patch, by_git = apply_with_both_tools(tmp_path, old, new)
    metadata_header = (
        b"diff --git a/demo-1.0.dist-info/METADATA b/demo-1.1.dist-info/METADATA\nsimilarity index "
    )
    similarity = patch.split(metadata_header, 1)[1].split(b"%", 1)[0]
    assert 0 < int(similarity) < 100
    assert (
        b"diff --git a/demo-1.0.dist-info/WHEEL b/demo-1.1.dist-info/WHEEL\nsimilarity index 100%\n"
    ) in patch
    assert notes(patch) == []
    expected = disk_tree_of(new, tmp_path / "expected")
    assert by_patch == expected
    assert by_git == expected


def test_a_very_large_patch_applies_with_patch_and_git(tmp_path: Path) -> None:
    # As pip 24.0 -> 24.1: thousands of files, most of them with a permission change
    # git cannot express (664 to 644), some edited, moved, added and removed.
    body = "".join(f"line {i}\n" for i in range(30))
    old: dict[str, str | Entry] = {}
    new: dict[str, str | Entry] = {}
    for i in range(3000):
        name = f"pkg/sub{i % 30}/m{i}.py"
        old[name] = Entry(body.encode(), mode=0o664)
        text = body.replace("line 7\n", f"line seven {i}\n") if i % 3 == 0 else body
        new[name] = Entry(text.encode(), mode=0o644 if i % 5 else 0o755)
    for i in range(100):
        old[f"old/r{i}.txt"] = f"rename {i}\n{body}"
        new[f"new/r{i}.txt"] = f"rename {i}\n{body}line 30\n"
        old[f"gone/g{i}.txt"] = f"gone {i}\n"
        new[f"added/a{i}.txt"] = f"added {i}\n"
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old_path = make_sdist(tmp_path / "o", "demo", "1.0", old)
    new_path = make_sdist(tmp_path / "n", "demo", "1.1", new)
    patch, by_patch, by_git = apply_with_both_tools(tmp_path, old_path, new_path)
    assert patch.count(b"\n") > 15_000
    # 664 to 644: files not made executable (i % 5), edited (i % 3) or not; 664 to 755
    # travels as 100644 to 100755.
    assert notes(patch) == [
        "# mode not in this patch (mode 0664 to 0644, which git cannot express): 2,400 files"
        " (named by the report's --listing)"
    ]
    expected = disk_tree_of(new_path, tmp_path / "expected")
    for result in (by_patch, by_git):
        assert {path: data for path, (data, _mode) in result.items()} == {
            path: data for path, (data, _mode) in expected.items()
        }
        executable = {path for path, (_data, mode) in result.items() if mode & 0o100}
        assert executable == {f"pkg/sub{i % 30}/m{i}.py" for i in range(0, 3000, 5)}


@pytest.mark.parametrize(
    ("path", "quoted"),
    [
        ("pkg/plain name.py", "pkg/plain name.py"),
        ("tab\there", '"tab\\there"'),
        ("new\nline", '"new\\nline"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("café", '"caf\\303\\251"'),
        ("bell\x07\x1b\x7f", '"bell\\a\\033\\177"'),
        ("latin1-\udce9.txt", '"latin1-\\351.txt"'),  # an undecodable byte in the tar name
    ],
)
def test_names_are_quoted_as_git_quotes_them(path: str, quoted: str) -> None:
    from sphinxext.releasediff.render.patch import git_quote

    assert git_quote(path) == quoted


def test_a_warning_is_right_under_the_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = make_pair(tmp_path)
    assert main([str(new), str(old)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "  ! OLD (1.1) is newer than NEW (1.0)"


@pytest.mark.parametrize("output_format", ["text", "markdown", "json", "rst", "patch"])
def test_stdout_and_output_file_hold_the_same_bytes(
    tmp_path: Path,
    pair: tuple[Path, Path],
    capsysbinary: pytest.CaptureFixture[bytes],
    output_format: str,
) -> None:
    arguments = [*map(str, pair), "--format", output_format]
    assert main(arguments) == 1
    written = capsysbinary.readouterr().out
    assert run(*arguments, output=tmp_path / "out") == 1
    assert (tmp_path / "out").read_bytes() == written
    assert written.endswith(b"\n")
    if output_format == "json":
        assert json.loads(written)["schema"] == 2


def test_a_reader_that_stops_early_gets_no_error(tmp_path: Path) -> None:
    """``release-diff OLD NEW | head -1``: quiet, and the status still says what differs."""
    lines = "".join(f"line {number}\n" for number in range(20_000))
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
    old = make_sdist(tmp_path / "a", "demo", "1.0", {"big.txt": lines})
    new = make_sdist(tmp_path / "b", "demo", "1.1", {"big.txt": lines.replace("line", "LINE")})
    command = [
        sys.executable,
        "-m",
        "sphinxext.releasediff",
        str(old),
        str(new),
        "--format",
        "json",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        assert process.stdout.read(10) == b'{\n  "schem'
        process.stdout.close()
        errors = process.stderr.read()
        assert process.wait() == 1
    assert errors == b""


def test_a_limit_is_named_as_the_flag_that_sets_it(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*map(str, pair), "--max-members", "3"]) == 2
    error = capsys.readouterr().err
    assert error.endswith(": more than 3 members (--max-members)\n")
    assert error.count("\n") == 1


def test_the_collector_is_paused_while_comparing_and_writing_then_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a comparison builds is kept until it ends: no collector pass walks it (0.4 s
    on Django); the caller's collector runs again afterwards (a Sphinx build goes on)."""
    import gc

    from sphinxext.releasediff import cli, pipeline

    seen: list[tuple[str, bool]] = []
    real_compare, real_write = pipeline.compare, cli._write  # type: ignore[attr-defined]

    def compare(*args: object, **kwargs: object) -> object:
        seen.append(("compare", gc.isenabled()))
        return real_compare(*args, **kwargs)  # type: ignore[arg-type]

    def write(*args: object) -> None:
        seen.append(("write", gc.isenabled()))
        real_write(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "compare", compare)
    monkeypatch.setattr(cli, "_write", write)
    old, new = make_pair(tmp_path)
    assert gc.isenabled()
    assert main([str(old), str(new), "--format", "json", "-o", str(tmp_path / "out.json")]) == 1
    assert seen == [("compare", False), ("write", False)]
    assert gc.isenabled()


def test_a_bug_exits_as_trouble_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Never 1 ("differences") for a crash: a CI gate would read it as a pass."""
    from sphinxext.releasediff import cli, command

    def broken(_arguments: object) -> int:
        raise RuntimeError("Undefined <Op('~=')>\non '3.6' and '3'")

    monkeypatch.setattr(cli, "main", broken)
    monkeypatch.delenv("RELEASEDIFF_TRACEBACK", raising=False)
    assert command.main(["a.whl", "b.whl"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("release-diff: internal error (RuntimeError at test_cli.py:")
    assert error.endswith(
        "Undefined <Op('~=')> on '3.6' and '3'; please report it "
        "(RELEASEDIFF_TRACEBACK=1 shows the traceback)\n"
    )
    assert error.count("\n") == 1
    monkeypatch.setenv("RELEASEDIFF_TRACEBACK", "1")
    with pytest.raises(RuntimeError):
        command.main(["a.whl", "b.whl"])


def test_json_says_where_links_point_and_gives_them_no_digest(tmp_path: Path) -> None:
    """docutils 0.21.1 turned test data files into links: a digest of no bytes said
    nothing of where they lead."""
    old: Tree = {"a.css": "body {}\n", "link": Entry(kind="symlink", target="a.css")}
    new: Tree = {
        "a.css": Entry(kind="symlink", target="../shared/a.css"),
        "link": Entry(kind="symlink", target="b.css"),
    }
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    pair = (
        make_sdist(tmp_path / "o", "demo", "1.0", old),
        make_sdist(tmp_path / "n", "demo", "1.1", new),
    )
    output = tmp_path / "out.json"
    run(*pair, "--format", "json", output=output)
    rows = {row["new_path"]: row for row in json.loads(output.read_text())["files"]}
    facts = {
        path: (
            row["status"],
            row["old_sha256"] is None,
            row["new_sha256"],
            row["old_link"],
            row["new_link"],
        )
        for path, row in rows.items()
        if path in ("a.css", "link")
    }
    assert facts == {
        "a.css": ("type-changed", False, None, None, "../shared/a.css"),
        "link": ("modified", True, None, "a.css", "b.css"),
    }


def test_fail_on_exits_3_and_says_which_kinds_on_stderr(tmp_path: Path) -> None:
    old_tree: Tree = {"demo/__init__.py": "", "setup.py": "from setuptools import setup\n"}
    new_tree: Tree = {
        **old_tree,
        "demo_hook.pth": "import os; os.system('id')\n",
        "setup.py": "import os\nos.system('id')\n",
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old = make_sdist(tmp_path / "a", "demo", "1.0", old_tree)
    new = make_sdist(tmp_path / "b", "demo", "1.1", new_tree)
    result = command(old, new, "--fail-on", "pth, build", "--show", "summary")
    assert result.returncode == 3
    assert result.stderr == (
        "release-diff: notable changes of kinds --fail-on names: "
        ".pth import line (1), build-time code (1)\n"
    )
    # Kinds it does not name: the usual status, nothing on stderr.
    other = command(old, new, "--fail-on", "binary", "--show", "summary")
    assert (other.returncode, other.stderr) == (1, "")
