"""Mutated tar and zip archives: the engine raises its own error or gives a result, nothing else."""

from __future__ import annotations

import io
import tarfile
import tempfile
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext.releasediff.archive import Limits, read_archive
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.errors import ReleaseDiffError
from sphinxext.releasediff.model import MemberKind
from sphinxext.releasediff.render.json import render_json
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import build_report
from sphinxext.releasediff.settings import Settings

from .archives import Entry, Tree, make_sdist, make_wheel

LISTED = Settings(show=(*Settings().show, "listing"))

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


_PARTS = ["a", "A", "b", "é", "e\u0301", ".", "..", "", "d"]
_KINDS = [tarfile.REGTYPE, tarfile.DIRTYPE, tarfile.SYMTYPE, tarfile.LNKTYPE, b"Z"]


@st.composite
def hostile_tar(draw: st.DrawFn) -> bytes:
    """Members with non-canonical, duplicate and case-folded names, links between them,
    and odd timestamps: what the reader and the labels must take without a traceback."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for _ in range(draw(st.integers(min_value=1, max_value=12))):
            parts = draw(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4))
            info = tarfile.TarInfo("top/" + "/".join(parts))
            info.type = draw(st.sampled_from(_KINDS))
            target = draw(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4))
            info.linkname = "/".join(target)
            info.pax_headers = {"mtime": draw(st.sampled_from(["1", "inf", "nan", "-1e300"]))}
            data = draw(st.binary(max_size=8)) if info.type in (tarfile.REGTYPE, b"Z") else b""
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=150, deadline=None)
@given(data=hostile_tar())
def test_hostile_names_and_links_compare_and_render(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "demo-1.0.tar"
        path.write_bytes(data)
        archive = read_archive(path, LIMITS)
        same = compare(archive, archive)
        assert same.files == ()
        render_text(build_report(same, LISTED))
        render_json(build_report(same, LISTED)).encode("utf-8")
        other = Path(name) / "good.tar"
        other.write_bytes(SEEDS["tar"])
        render_text(build_report(compare(read_archive(other, LIMITS), archive), LISTED)).encode(
            "utf-8"
        )


@st.composite
def hostile_zip(draw: st.DrawFn) -> bytes:
    """Zip entries with any mode bits, folder names holding data, and dates that are not."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names are the point
        for _ in range(draw(st.integers(min_value=1, max_value=10))):
            parts = draw(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=4))
            name = "top/" + "/".join(parts) + draw(st.sampled_from(["", "/"]))
            info = zipfile.ZipInfo(name, (2023, 7, 6, 4, 38, 8))
            info.create_system = draw(st.sampled_from([0, 3]))
            info.external_attr = draw(st.integers(min_value=0, max_value=0xFFFF)) << 16
            archive.writestr(info, draw(st.binary(max_size=8)))
    data = bytearray(buffer.getvalue())
    at = data.find(b"PK\x01\x02")
    data[at + 12 : at + 16] = draw(st.binary(min_size=4, max_size=4))  # any DOS date and time
    return bytes(data)


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=150, deadline=None)
@given(data=hostile_zip())
def test_hostile_zips_compare_and_render(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "demo-1.0.zip"
        path.write_bytes(data)
        archive = read_archive(path, LIMITS)
        assert all(m.kind in (MemberKind.FILE, MemberKind.DIR) for m in archive.members)
        same = compare(archive, archive)
        assert same.files == ()
        render_text(build_report(same, LISTED)).encode("utf-8")
        render_json(build_report(same, LISTED)).encode("utf-8")
