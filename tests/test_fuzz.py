"""Mutated tar and zip archives: the engine raises its own error or gives a result, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext.releasediff.archive import Limits, read_archive
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.errors import ReleaseDiffError
from sphinxext.releasediff.render.json import render_json
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import build_report
from sphinxext.releasediff.settings import Settings

from .archives import Entry, Tree, make_sdist, make_wheel

TREE: Tree = {
    "pkg/__init__.py": "VERSION = '1.0'\n" * 20,
    "pkg/data.bin": b"\x00\x01\x02" * 50,
    "README": "hello\n",
    "link": Entry(kind="symlink", target="README"),
}
LIMITS = Limits(max_members=2000, max_bytes=8 << 20, max_file_bytes=1 << 20)


def _seed_archives() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        return {
            "tar.gz": make_sdist(folder, "demo", "1.0", TREE).read_bytes(),
            "tar": make_sdist(folder, "demo", "1.0", TREE, fmt="tar").read_bytes(),
            "zip": make_sdist(folder, "demo", "1.0", TREE, fmt="zip").read_bytes(),
            "whl": make_wheel(folder, "demo", "1.0", {"demo/__init__.py": "x = 1\n"}).read_bytes(),
        }


SEEDS = _seed_archives()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        action = draw(st.sampled_from(["flip", "set", "cut", "insert", "zero"]))
        position = draw(st.integers(min_value=0, max_value=max(0, len(data) - 1)))
        if action == "flip":
            data[position] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif action == "set":
            data[position] = draw(st.integers(min_value=0, max_value=255))
        elif action == "cut":
            del data[position:]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        else:
            end = position + draw(st.integers(min_value=1, max_value=64))
            data[position:end] = bytes(len(data[position:end]))
        if not data:
            break
    return kind, bytes(data)


@settings(max_examples=300)
@given(case=mutated())
def test_mutated_archives_raise_only_the_engines_error(case: tuple[str, bytes]) -> None:
    kind, data = case
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / f"demo-1.0.{'whl' if kind == 'whl' else kind}"
        path.write_bytes(data)
        good = Path(name) / "good.tar"
        good.write_bytes(SEEDS["tar"])
        message = None
        try:
            archive = read_archive(path, LIMITS)
        except ReleaseDiffError as exc:
            message = str(exc)
        if message is not None:
            assert message.startswith(f"{path}: ")
            assert "\n" not in message
            return
        comparison = compare(read_archive(good, LIMITS), archive)
        render_text(build_report(comparison, Settings()))
        render_json(build_report(comparison, Settings()))


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_seeds_read(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"demo-1.0.{kind}"
    path.write_bytes(SEEDS[kind])
    assert read_archive(path, LIMITS).facts.members > 0
