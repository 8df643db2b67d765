"""``--format patch`` on random pairs of trees: ``patch -p1`` gives the new tree exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.cli import main
from sphinxext.releasediff.model import MemberKind

from .archives import make_sdist


def tree_of(path: Path) -> dict[str, bytes]:
    """The regular files of an archive by stripped path, as patch would leave them on disk."""
    archive = read_archive(path)
    return {
        member.path: archive.content(member) or b""
        for member in archive.members
        if member.kind == MemberKind.FILE
    }


# Paths from a fixed set, so that no path is both a file and a folder.
_PATHS = st.sampled_from(
    [
        "a.py",
        "b.py",
        "README",
        "pkg/__init__.py",
        "pkg/core.py",
        "pkg/sub/deep.txt",
        "src/pkg/core.py",
        "src/pkg/__init__.py",
        "docs/index.rst",
        "empty",
    ]
)
_LINES = st.lists(
    st.sampled_from(
        [
            b"import os\n",
            b"x = 1\n",
            b"\n",
            b"def f():\n",
            b"    pass\n",
            b"caf\xe9\n",
            "é\n".encode(),
            b"end\r\n",
            b"tail",
        ]
    ),
    max_size=25,
)
_CONTENT = _LINES.map(
    lambda lines: (
        b"".join(line for line in lines if line != b"tail") + (b"tail" if b"tail" in lines else b"")
    )
)
_TREE = st.dictionaries(_PATHS, _CONTENT, max_size=8)


@st.composite
def _pairs(draw: st.DrawFn) -> tuple[dict[str, bytes], dict[str, bytes]]:
    old = draw(_TREE)
    new = dict(old)
    for path in draw(st.lists(st.sampled_from(sorted(old)), unique=True)) if old else []:
        action = draw(st.sampled_from(["edit", "remove", "move"]))
        content = new.pop(path)
        if action == "edit":
            new[path] = draw(_CONTENT)
        elif action == "move":
            new[draw(_PATHS)] = content
    new.update(draw(_TREE))
    return old, new


@given(pair=_pairs(), context=st.integers(min_value=0, max_value=4))
def test_patch_format_reproduces_the_new_tree(
    pair: tuple[dict[str, bytes], dict[str, bytes]], context: int
) -> None:
    from .test_cli import apply_tree_patch

    old_tree, new_tree = pair
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "o").mkdir()
        (folder / "n").mkdir()
        old = make_sdist(folder / "o", "demo", "1.0", old_tree)
        new = make_sdist(folder / "n", "demo", "1.1", new_tree)
        patch_file = folder / "out.patch"
        main(
            [
                str(old),
                str(new),
                "--format",
                "patch",
                "--context",
                str(context),
                "--output",
                str(patch_file),
            ]
        )
        for tool in ("patch", "git" if context else "git-zero-context"):
            result = apply_tree_patch(tree_of(old), patch_file.read_bytes(), folder / tool, tool)
            assert result == tree_of(new)
