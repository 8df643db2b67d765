"""Reading archives: every format, by content, with the facts the report shows."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from sphinxext.releasediff.archive import Limits, read_archive
from sphinxext.releasediff.errors import ArchiveError, LimitError
from sphinxext.releasediff.model import MemberKind

from .archives import MTIME, Entry, make_sdist, make_tar, make_wheel, make_zip

TREE = {"pkg/__init__.py": "x = 1\n", "README": "hello\n"}


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("tar.gz", "tar.gz"), ("tar.bz2", "tar.bz2"), ("tar.xz", "tar.xz"), ("zip", "zip")],
)
def test_sdist_formats(tmp_path: Path, fmt: str, expected: str) -> None:
    archive = read_archive(make_sdist(tmp_path, "demo", "1.0", TREE, fmt=fmt))
    facts = archive.facts
    assert (facts.name, facts.version, facts.kind, facts.format) == (
        "demo",
        "1.0",
        "sdist",
        expected,
    )
    assert facts.top_folder == "demo-1.0"
    files = {m.path: archive.content(m) for m in archive.members if m.kind == MemberKind.FILE}
    assert files["pkg/__init__.py"] == b"x = 1\n"
    assert "demo-1.0/pkg/__init__.py" in {m.name for m in archive.members}


def test_plain_tar_recognised_by_content_not_extension(tmp_path: Path) -> None:
    path = make_tar(tmp_path / "odd-name.zip", TREE, top="demo-1.0", compression="none")
    facts = read_archive(path).facts
    assert facts.format == "tar"
    assert facts.kind == "archive"
    assert facts.gzip is None


def test_gzip_tar_with_wrong_extension(tmp_path: Path) -> None:
    path = make_tar(tmp_path / "release.bin", TREE, top="x", compression="gz")
    assert read_archive(path).facts.format == "tar.gz"


def test_gzip_header_facts(tmp_path: Path) -> None:
    path = make_sdist(tmp_path, "demo", "1.0", TREE)
    header = read_archive(path).facts.gzip
    assert header is not None
    assert (header.original_name, header.mtime, header.compression, header.os) == (
        "demo-1.0.tar",
        MTIME,
        "max compression",
        "unknown",  # Python's gzip writes OS 255
    )


def test_archive_facts(tmp_path: Path) -> None:
    path = make_sdist(tmp_path, "demo", "1.0", TREE)
    facts = read_archive(path).facts
    assert facts.size == path.stat().st_size
    assert facts.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert facts.members == 5  # top folder, PKG-INFO, README, pkg/, pkg/__init__.py
    pkg_info = len(b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
    assert facts.uncompressed_size == len(b"x = 1\n") + len(b"hello\n") + pkg_info


def test_member_facts(tmp_path: Path) -> None:
    tree = {
        "run.sh": Entry(b"#!/bin/sh\n", mode=0o755),
        "link": Entry(kind="symlink", target="run.sh"),
        "hard": Entry(kind="hardlink", target="demo-1.0/run.sh"),
        "fifo": Entry(kind="fifo"),
    }
    members = {
        m.path: m
        for m in read_archive(make_tar(tmp_path / "d.tar.gz", tree, top="demo-1.0")).members
    }
    run = members["run.sh"]
    assert (run.kind, run.mode, run.uid, run.gid, run.uname, run.gname, run.size, run.mtime) == (
        MemberKind.FILE,
        0o755,
        1001,
        123,
        "runner",
        "docker",
        10,
        float(MTIME),
    )
    assert (members["link"].kind, members["link"].linkname) == (MemberKind.SYMLINK, "run.sh")
    assert (members["hard"].kind, members["hard"].linkname) == (
        MemberKind.HARDLINK,
        "demo-1.0/run.sh",
    )
    assert members["fifo"].kind == MemberKind.OTHER
    assert members[""].kind == MemberKind.DIR


def test_zip_modes_and_symlinks(tmp_path: Path) -> None:
    tree = {"bin/tool": Entry(b"x", mode=0o755), "alias": Entry(kind="symlink", target="bin/tool")}
    members = {m.path: m for m in read_archive(make_zip(tmp_path / "d.zip", tree, top="d")).members}
    assert members["bin/tool"].mode == 0o755
    assert (members["alias"].kind, members["alias"].linkname) == (MemberKind.SYMLINK, "bin/tool")


def test_wheel_identity_and_no_top_folder(tmp_path: Path) -> None:
    path = make_wheel(tmp_path, "demo-pkg", "2.0", {"demo_pkg/__init__.py": ""})
    archive = read_archive(path)
    assert (archive.facts.name, archive.facts.version, archive.facts.kind) == (
        "demo-pkg",
        "2.0",
        "wheel",
    )
    assert archive.facts.format == "wheel"
    assert archive.facts.top_folder is None
    assert "demo_pkg-2.0.dist-info/METADATA" in {m.path for m in archive.members}


def test_identity_from_pkg_info_when_file_name_says_nothing(tmp_path: Path) -> None:
    sdist = make_sdist(tmp_path, "Demo.Pkg", "1.0rc1", TREE)
    renamed = sdist.rename(tmp_path / "upload.tar.gz")
    facts = read_archive(renamed).facts
    assert (facts.name, facts.version, facts.kind) == ("Demo.Pkg", "1.0rc1", "sdist")


def test_name_spelling_from_metadata_when_same_project(tmp_path: Path) -> None:
    facts = read_archive(make_sdist(tmp_path, "backend.ai-common", "23.3.8", TREE)).facts
    assert (facts.name, facts.version) == ("backend.ai-common", "23.3.8")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file, not an archive"),
        (b"hello, I am text\n" * 40, "not a tar or zip archive (unrecognised content)"),
    ],
)
def test_not_an_archive(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.tar.gz"
    path.write_bytes(content)
    with pytest.raises(ArchiveError) as info:
        read_archive(path)
    assert str(info.value) == f"{path}: {reason}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no such file"):
        read_archive(tmp_path / "missing.tar.gz")


def test_directory_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="is a directory"):
        read_archive(tmp_path)


@pytest.mark.parametrize("fmt", ["tar.gz", "tar.bz2", "tar.xz", "zip"])
def test_truncated_archive_is_reported_not_half_compared(tmp_path: Path, fmt: str) -> None:
    path = make_sdist(tmp_path, "demo", "1.0", {"big.txt": "line\n" * 20000}, fmt=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    with pytest.raises(ArchiveError) as info:
        read_archive(path)
    assert str(info.value).startswith(f"{path}: ")


def test_bad_gzip_crc_is_reported(tmp_path: Path) -> None:
    path = make_sdist(tmp_path, "demo", "1.0", TREE)
    data = bytearray(path.read_bytes())
    data[-8] ^= 0xFF  # the CRC32 in the gzip trailer
    path.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match=r"corrupt tar\.gz archive"):
        read_archive(path)


def test_bad_zip_crc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "d.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("d/a.txt", b"payload-payload")
    data = path.read_bytes().replace(b"payload-payload", b"PAYLOAD-payload", 1)
    path.write_bytes(data)
    with pytest.raises(ArchiveError, match="corrupt zip archive"):
        read_archive(path)


def test_member_limit_is_enforced_while_reading(tmp_path: Path) -> None:
    tree = {f"f{i}": "" for i in range(50)}
    path = make_tar(tmp_path / "many.tar.gz", tree, top="many")
    with pytest.raises(LimitError, match="more than 10 members"):
        read_archive(path, Limits(max_members=10))


def test_byte_limit_is_enforced_while_decompressing(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo("bomb/zeros")
        info.size = 50 << 20
        tar.addfile(info, io.BytesIO(bytes(info.size)))
    path = tmp_path / "bomb.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue(), 9))
    assert path.stat().st_size < 200_000
    with pytest.raises(LimitError, match=r"more than 1,048,576 bytes uncompressed"):
        read_archive(path, Limits(max_bytes=1 << 20))


def test_large_member_is_hashed_not_kept(tmp_path: Path) -> None:
    path = make_tar(tmp_path / "big.tar.gz", {"big": b"x" * 5000, "small": b"y"}, top="t")
    archive = read_archive(path, Limits(max_file_bytes=1000))
    members = {m.path: m for m in archive.members}
    assert archive.content(members["big"]) is None
    assert members["big"].size == 5000
    assert members["big"].sha256 == hashlib.sha256(b"x" * 5000).hexdigest()
    assert archive.content(members["small"]) == b"y"
