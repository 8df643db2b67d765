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


def apply_tree_patch(old_tree: dict[str, bytes], patch: bytes, folder: Path) -> dict[str, bytes]:
    """Write the old tree, run ``patch -p1`` in it, read back what is there."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path, data in old_tree.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    subprocess.run(
        ["patch", "-p1", "--batch", "--silent", "--binary"],
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
