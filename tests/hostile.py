"""A corpus of hostile and broken archives, built on demand, with what each must give.

Each case builds NEW against a harmless OLD (``demo-1.0.tar.gz``). ``expect`` is
``("error", subtype, words)``: the engine refuses with one line holding
``words``; or ``("label", words)``: it compares, and the report says ``words``.
Used by tests/test_hostile.py and benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import bz2
import functools
import gzip
import io
import lzma
import struct
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from .archives import MTIME, Entry, make_sdist, tar_bytes, with_folders

Expect = tuple[str, ...]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    expect: Expect
    # Command-line flags for the case (the Sphinx tests set the matching config values).
    flags: tuple[str, ...] = ()


BOMB_LIMIT = 32 << 20
BOMB_FLAGS = ("--max-bytes", str(BOMB_LIMIT))


def old_archive(folder: Path) -> Path:
    return make_sdist(folder, "demo", "1.0", {"demo/__init__.py": "x = 1\n", "README": "hi\n"})


def _tar(folder: Path, members: dict[str, Entry], compression: str = "gz") -> Path:
    raw = tar_bytes(members)
    data = {
        "gz": lambda: gzip.compress(raw, 9, mtime=MTIME),
        "bz2": lambda: bz2.compress(raw),
        "xz": lambda: lzma.compress(raw),
        "none": lambda: raw,
    }[compression]()
    path = folder / f"demo-1.1.tar{'' if compression == 'none' else '.' + compression}"
    path.write_bytes(data)
    return path


def _with(extra: dict[str, Entry]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        members = with_folders({"demo/__init__.py": "x = 2\n", "README": "hi\n"}, "demo-1.1")
        members.update(extra)
        return _tar(folder, members)

    return build


def _duplicate(folder: Path) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for content in (b"first\n", b"second\n"):
            info = tarfile.TarInfo("demo-1.1/a")
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    path = folder / "demo-1.1.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue()))
    return path


def _nul_name(folder: Path) -> Path:
    """zipfile will not write a NUL in a name; patch one into both headers."""
    path = _zip(folder, [("demo-1.1/a#.txt", b"x")])
    path.write_bytes(path.read_bytes().replace(b"a#.txt", b"a\x00.txt"))
    return path


def _zip(folder: Path, entries: list[tuple[str, bytes]]) -> Path:
    path = folder / "demo-1.1.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, (2023, 7, 6, 4, 38, 8)), data)
    return path


def write_bomb(path: Path, compression: str, size: int) -> Path:
    """A tar holding one member of ``size`` zero bytes, compressed to a tiny file."""
    header = tarfile.TarInfo(f"{path.name.split('.tar')[0]}/zeros")
    header.size = size
    chunk = bytes(1 << 24)
    with _compressed_writer(path, compression) as stream:
        stream.write(header.tobuf(format=tarfile.PAX_FORMAT))
        for _ in range(size // len(chunk)):
            stream.write(chunk)
        stream.write(bytes(size % len(chunk)) + bytes(1024))
    return path


def _compressed_writer(path: Path, compression: str) -> IO[bytes]:
    if compression == "gz":
        return cast("IO[bytes]", gzip.open(path, "wb", 1))
    if compression == "bz2":
        return bz2.open(path, "wb", 1)
    return lzma.open(path, "wb", preset=0)


def _bomb(compression: str) -> Callable[[Path], Path]:
    """A member of 96 MiB of zeros, a few hundred KB compressed, three times the limit."""
    return lambda folder: write_bomb(
        folder / f"demo-1.1.tar.{compression}", compression, 3 * BOMB_LIMIT
    )


def _zip_bomb_declared_size(folder: Path) -> Path:
    """A zip whose entry claims a size far beyond what it holds."""
    path = _zip(folder, [("demo-1.1/big.txt", b"a" * 1000)])
    data = bytearray(path.read_bytes())
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        data[at + size_offset : at + size_offset + 4] = struct.pack("<I", 0xFFFFFFF0)
    path.write_bytes(bytes(data))
    return path


def _zip_overlap(folder: Path) -> Path:
    """Two central-directory entries that point at the same data (the overlap bomb)."""
    path = _zip(folder, [("demo-1.1/a.txt", b"z" * 5000), ("demo-1.1/b.txt", b"y")])
    data = bytearray(path.read_bytes())
    second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
    data[second + 42 : second + 46] = struct.pack("<I", 0)  # local header offset of entry 2 -> 0
    path.write_bytes(bytes(data))
    return path


def _zip_encrypted(folder: Path) -> Path:
    path = _zip(folder, [("demo-1.1/secret.txt", b"secret")])
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + flag_offset] |= 0x1
    path.write_bytes(bytes(data))
    return path


def _many_members(folder: Path) -> Path:
    """Hundreds of thousands of members, over the 100,000 default limit."""
    path = folder / "demo-1.1.tar.gz"
    path.write_bytes(_many_members_bytes())
    return path


@functools.cache
def _many_members_bytes() -> bytes:
    """Built once per test run: the command and the directive tests both use it."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for index in range(200_001):
            tar.addfile(tarfile.TarInfo(f"demo-1.1/f{index}"))
    return gzip.compress(buffer.getvalue(), 1)


def _corrupt(how: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = _with({})(folder)
        data = bytearray(path.read_bytes())
        if how == "crc":
            data[-8] ^= 0xFF
        elif how == "truncated":
            del data[len(data) // 2 :]
        elif how == "garbage":
            data += b"this is not gzip"
        elif how == "header":
            raw = bytearray(gzip.decompress(bytes(data)))
            raw[148:156] = b"9999999\x00"  # the first header's checksum
            data = bytearray(gzip.compress(bytes(raw)))
        path.write_bytes(bytes(data))
        return path

    return build


def _plain(content: bytes) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "demo-1.1.tar.gz"
        path.write_bytes(content)
        return path

    return build


def _nested(folder: Path) -> Path:
    inner = gzip.compress(tar_bytes(with_folders({"payload.py": "import os\n"}, "inner")))
    return _with({"demo-1.1/vendor/inner.tar.gz": Entry(inner)})(folder)


def _text(name: str, data: bytes) -> Callable[[Path], Path]:
    return _with({f"demo-1.1/{name}": Entry(data)})


def _zip_modes(entries: list[tuple[str, int, bytes]]) -> Callable[[Path], Path]:
    """A zip of ``(name, unix mode, data)`` entries besides a changed ``demo/__init__.py``."""

    def build(folder: Path) -> Path:
        path = folder / "demo-1.1.zip"
        rows = [("demo-1.1/demo/__init__.py", 0o644, b"x = 2\n"), *entries]
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, mode, data in rows:
                info = zipfile.ZipInfo(name, (2023, 7, 6, 4, 38, 8))
                info.create_system = 3
                info.external_attr = mode << 16
                archive.writestr(info, data)
        return path

    return build


def _wheel_writestr(folder: Path) -> Path:
    """``ZipFile.writestr(name, data)``: mode 0o600 and no file-type bits, as many tools write."""
    path = folder / "demo-1.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("demo/__init__.py", "x = 2\n")
        archive.writestr("demo-1.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: demo\n")
    return path


def _zip_bad_date(folder: Path) -> Path:
    """A DOS date with month 0 and day 0 and a time of 31:63:62 in the central directory."""
    path = _zip_modes([])(folder)
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    data[at + 12 : at + 16] = struct.pack("<HH", 0xFFFF, 43 << 9)
    path.write_bytes(bytes(data))
    return path


def _tar_items(items: list[tuple[tarfile.TarInfo, bytes]]) -> Callable[[Path], Path]:
    """A gzip tar of the harmless NEW members followed by ``items`` as given."""

    def build(folder: Path) -> Path:
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for info, data in items:
                tar.addfile(info, io.BytesIO(data))
        path = folder / "demo-1.1.tar.gz"
        raw = without_end(tar_bytes(_new_tree())) + buffer.getvalue()
        path.write_bytes(gzip.compress(raw, 6, mtime=MTIME))
        return path

    return build


def without_end(raw: bytes) -> bytes:
    """A tar without its end-of-archive zero blocks, to append more headers to."""
    while raw.endswith(bytes(512)):
        raw = raw[:-512]
    return raw


def _new_tree() -> dict[str, Entry]:
    return with_folders({"demo/__init__.py": "x = 2\n", "README": "hi\n"}, "demo-1.1")


def _info(
    name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, **pax: str
) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.size, info.mtime = kind, len(data), MTIME
    info.pax_headers = pax
    return info, data


def _link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tuple[tarfile.TarInfo, bytes]:
    info, data = _info(name, kind=kind)
    info.linkname = target
    return info, data


def _tar_names(names: list[str], data: bytes = b"changed\n") -> Callable[[Path], Path]:
    return _tar_items([_info(name, data) for name in names])


def _huge_header(kind: bytes) -> Callable[[Path], Path]:
    """A GNU long name or PAX header that declares 600 MiB, in a few KiB: refused unread."""

    def build(folder: Path) -> Path:
        header = tarfile.TarInfo("././@LongLink")
        header.type, header.size = kind, 600 << 20
        raw = without_end(tar_bytes(_new_tree())) + header.tobuf(format=tarfile.GNU_FORMAT)
        path = folder / "demo-1.1.tar.gz"
        path.write_bytes(gzip.compress(raw + bytes(1 << 20), 6, mtime=MTIME))
        return path

    return build


def _number(value: int) -> bytes:
    """A 12-byte tar number field: octal, or GNU base-256 when octal is too short."""
    if value < 8**11:
        return b"%011o\x00" % value
    return b"\x80" + value.to_bytes(11, "big")


def sparse_header(name: str, real_size: int, stored: int) -> bytes:
    """An old-GNU sparse member header: one chunk of ``stored`` bytes at offset 0."""
    info = tarfile.TarInfo(name)
    info.type, info.size = tarfile.GNUTYPE_SPARSE, stored
    block = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    block[386:410] = _number(0) + _number(stored)
    block[483:495] = _number(real_size)
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\x00 " % sum(block[:512])
    return bytes(block[:512])


def _sparse(real_size: int) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        chunk = b"sparse\n".ljust(512, b"\x00")
        raw = without_end(tar_bytes(_new_tree())) + sparse_header("demo-1.1/holes", real_size, 512)
        path = folder / "demo-1.1.tar.gz"
        path.write_bytes(gzip.compress(raw + chunk + bytes(1024), 6, mtime=MTIME))
        return path

    return build


def header_bomb(path: Path, members: int, record: str) -> Path:
    """``members`` files, each with a GNU long name or a PAX comment of just under 1 MiB."""
    size = (1 << 20) - 4096
    buffer = io.BytesIO()
    fmt = tarfile.GNU_FORMAT if record == "name" else tarfile.PAX_FORMAT
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as tar:
        for index in range(members):
            name = f"demo-1.1/{index:04d}" + ("n" * size if record == "name" else "")
            info = tarfile.TarInfo(name)
            if record == "pax":
                info.pax_headers = {"comment": f"{index}" + "c" * size}
            tar.addfile(info)
    path.write_bytes(gzip.compress(buffer.getvalue(), 6, mtime=MTIME))
    return path


def _non_utf8_name(folder: Path) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(
        fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT, encoding="latin-1"
    ) as tar:
        for name, data in [("demo-1.1/demo/__init__.py", b"x = 2\n"), ("demo-1.1/\xff.py", b"y\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    path = folder / "demo-1.1.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue(), 6, mtime=MTIME))
    return path


def _different_package(folder: Path) -> Path:
    return make_sdist(folder, "other", "1.1", {"other/__init__.py": ""})


def _older(folder: Path) -> Path:
    return make_sdist(folder, "demo", "0.5", {"demo/__init__.py": "x = 0\n"})


CASES = [
    Case(
        "dotdot-name",
        _with({"demo-1.1/../../evil.txt": Entry(b"x")}),
        ("label", "unsafe member name ('..')"),
    ),
    Case(
        "absolute-name",
        _with({"/etc/evil.conf": Entry(b"x")}),
        ("label", "unsafe member name (absolute path)"),
    ),
    Case(
        "backslash-name",
        lambda f: _zip(f, [("demo-1.1\\..\\evil.txt", b"x"), ("demo-1.1/a", b"")]),
        ("label", "backslash"),
    ),
    Case("nul-name", _nul_name, ("label", "NUL")),
    Case(
        "escape-name",
        _with({"demo-1.1/\x1b[2J\x1b[31mred.txt": Entry(b"x")}),
        ("label", "\\x1b[2J"),
    ),
    Case("bidi-name", _with({"demo-1.1/\u202etxt.exe": Entry(b"x")}), ("label", "<U+202E>txt.exe")),
    Case(
        "duplicate-name",
        _duplicate,
        ("label", "duplicate member (2 times; the last one is compared, as an installer"),
    ),
    Case(
        "symlink-outside",
        _with({"demo-1.1/passwd": Entry(kind="symlink", target="../../../etc/passwd")}),
        ("label", "symlink points outside the archive: passwd -> ../../../etc/passwd"),
    ),
    Case(
        "symlink-absolute",
        _with({"demo-1.1/shadow": Entry(kind="symlink", target="/etc/shadow")}),
        ("label", "symlink points outside the archive: shadow -> /etc/shadow"),
    ),
    Case(
        "symlink-loop",
        _with(
            {
                "demo-1.1/a": Entry(kind="symlink", target="b"),
                "demo-1.1/b": Entry(kind="symlink", target="a"),
            }
        ),
        ("label", "symlink loop: a -> b"),
    ),
    Case(
        "hardlink-outside",
        _with({"demo-1.1/h": Entry(kind="hardlink", target="/etc/passwd")}),
        ("label", "hardlink to a member not in the archive: h -> /etc/passwd"),
    ),
    Case(
        "fifo",
        _with({"demo-1.1/pipe": Entry(kind="fifo")}),
        ("label", "special file (other): demo-1.1/pipe"),
    ),
    Case(
        "device",
        _with({"demo-1.1/sda": Entry(kind="device")}),
        ("label", "special file (other): demo-1.1/sda"),
    ),
    Case(
        "gzip-bomb",
        _bomb("gz"),
        ("error", "limit", "more than 33,554,432 bytes uncompressed"),
        BOMB_FLAGS,
    ),
    Case(
        "bzip2-bomb",
        _bomb("bz2"),
        ("error", "limit", "more than 33,554,432 bytes uncompressed"),
        BOMB_FLAGS,
    ),
    Case(
        "xz-bomb",
        _bomb("xz"),
        ("error", "limit", "more than 33,554,432 bytes uncompressed"),
        BOMB_FLAGS,
    ),
    Case(
        "zip-declared-size",
        _zip_bomb_declared_size,
        ("error", "archive", "declares 4,294,967,280 bytes but holds 1,000"),
    ),
    Case("zip-overlap", _zip_overlap, ("error", "archive", "zip entries overlap")),
    Case("many-members", _many_members, ("error", "limit", "more than 100,000 members")),
    Case(
        "bad-crc", _corrupt("crc"), ("error", "archive", "corrupt tar.gz archive (CRC check failed")
    ),
    Case("bad-header", _corrupt("header"), ("error", "archive", "corrupt tar.gz archive")),
    Case("truncated", _corrupt("truncated"), ("error", "archive", "corrupt tar.gz archive")),
    Case("trailing-garbage", _corrupt("garbage"), ("error", "archive", "corrupt tar.gz archive")),
    Case("encrypted-zip", _zip_encrypted, ("error", "archive", "is encrypted")),
    Case(
        "not-an-archive",
        _plain(b"#!/bin/sh\necho not an archive\n" * 30),
        ("error", "archive", "not a tar or zip archive"),
    ),
    Case("empty-file", _plain(b""), ("error", "archive", "empty file, not an archive")),
    Case("nested-archive", _nested, ("label", "vendor/inner.tar.gz")),
    Case(
        "line-of-50mb",
        _text("min.js", b"var a=1;" * 6_250_000),
        ("label", "over the per-file size limit"),
    ),
    Case(
        "long-line",
        _text("min.js", b"var a=1;" * 250_000),
        ("label", "a line is longer than 65,536 bytes"),
    ),
    Case(
        "bidi-content",
        _text("access.py", "if user != 'admin\u202e \u2066# check\u2069 \u2066':\n".encode()),
        ("label", "bidirectional control characters in changed lines"),
    ),
    Case(
        "different-package",
        _different_package,
        ("label", "the archives hold different packages: demo and other"),
    ),
    Case("old-newer", _older, ("label", "OLD (1.0) is newer than NEW (0.5)")),
    # Zip entries are files to installers whatever their mode's file-type bits say.
    Case(
        "zip-mode-no-type-bits",
        _zip_modes([("demo-1.1/README", 0o644, b"hi\n")]),
        ("label", "+x = 2"),
    ),
    Case("wheel-writestr", _wheel_writestr, ("label", "+x = 2")),
    Case(
        "zip-mode-folder-bits-on-file",
        _zip_modes([("demo-1.1/setup.py", 0o40755, b"import os\n")]),
        (
            "label",
            "zip entry marked as a folder is written as a file by installers: demo-1.1/setup.py",
        ),
    ),
    Case(
        "zip-mode-fifo-bits",
        _zip_modes([("demo-1.1/run.py", 0o10644, b"import os\n")]),
        ("label", "+import os"),
    ),
    Case(
        "zip-mode-device-bits",
        _zip_modes([("demo-1.1/dev.py", 0o20644, b"import sys\n")]),
        ("label", "zip entry marked as a character device is written as a file"),
    ),
    Case(
        "zip-folder-with-data",
        _zip_modes([("demo-1.1/hidden/", 0o40755, b"payload")]),
        ("label", "folder entry holds 7 bytes that installers ignore: demo-1.1/hidden/"),
    ),
    Case(
        "zip-file-and-folder",
        _zip_modes([("demo-1.1/a", 0o100644, b"x"), ("demo-1.1/a/", 0o40755, b"")]),
        ("label", "both a file and a folder (an installer fails on it): a"),
    ),
    Case(
        "zip-symlink-is-a-file",
        _zip_modes([("demo-1.1/run.py", 0o120644, b"import os\n")]),
        ("label", "+import os"),
    ),
    Case(
        "tar-unknown-type",
        _tar_items([_info("demo-1.1/run.py", b"import os\n", b"Z")]),
        ("label", "tar member of unknown type 'Z' is extracted as a file"),
    ),
    Case(
        "tar-unknown-type-diffed",
        _tar_items([_info("demo-1.1/run.py", b"import os\n", b"Z")]),
        ("label", "+import os"),
    ),
    # Names that are not canonical land on one file.
    Case(
        "dot-slash-duplicate",
        _tar_names(["./demo-1.1/demo/__init__.py"]),
        (
            "label",
            "(stored as 'demo-1.1/demo/__init__.py', './demo-1.1/demo/__init__.py'; kept: #2",
        ),
    ),
    Case(
        "double-slash-duplicate",
        _tar_names(["demo-1.1//demo//__init__.py"]),
        (
            "label",
            "demo/__init__.py (stored as 'demo-1.1/demo/__init__.py', 'demo-1.1//demo//__init__.py'",
        ),
    ),
    Case(
        "trailing-dot-duplicate",
        _tar_names(["demo-1.1/demo/__init__.py/."]),
        (
            "label",
            "duplicate member (2 times; the last one is compared, as an installer would keep it): demo/__init__.py",
        ),
    ),
    Case(
        "dot-component-duplicate",
        _tar_names(["demo-1.1/./demo/./__init__.py"]),
        ("label", "kept: #2 'demo-1.1/./demo/./__init__.py'"),
    ),
    Case(
        "dotdot-inside-duplicate",
        _tar_names(["demo-1.1/demo/../demo/__init__.py"]),
        ("label", "duplicate member (2 times"),
    ),
    Case(
        "file-named-as-top-folder",
        _tar_names(["demo-1.1/."]),
        ("label", "both a file and a folder (an installer fails on it): demo-1.1"),
    ),
    Case(
        "file-named-as-root",
        _tar_names(["./"]),
        ("label", "a file named as the archive's root, which no installer can write: ./"),
    ),
    Case(
        "name-normalises-to-dotdot",
        _tar_names(["demo-1.1/../.."]),
        ("label", "unsafe member name ('..'): demo-1.1/../.."),
    ),
    Case(
        "names-differ-by-case",
        _tar_names(["demo-1.1/readme"]),
        (
            "label",
            "names that differ only by case or Unicode normalisation (one file on macOS or Windows): README, readme",
        ),
    ),
    Case(
        "hardlink-to-later-member",
        _tar_items(
            [
                _link("demo-1.1/h", "demo-1.1/later", tarfile.LNKTYPE),
                _info("demo-1.1/later", b"later\n"),
            ]
        ),
        ("label", "hardlink to a member stored after it (extraction fails): h -> demo-1.1/later"),
    ),
    # Links judged by where they resolve, through earlier links.
    Case(
        "symlink-through-dot-link",
        _tar_items([_link("demo-1.1/a", "."), _link("demo-1.1/a/b", "..")]),
        ("label", "symlink points outside the archive: a/b -> .."),
    ),
    Case(
        "symlink-through-another-link",
        _tar_items([_link("demo-1.1/q", "."), _link("demo-1.1/p", "q/..")]),
        ("label", "symlink points outside the archive: p -> q/.."),
    ),
    Case(
        "symlink-chain-outside",
        _tar_items(
            [
                _link("demo-1.1/l1", "l2/x"),
                _link("demo-1.1/l2", "l3/.."),
                _link("demo-1.1/l3", ".."),
            ]
        ),
        ("label", "symlink points outside the archive: l1 -> l2/x"),
    ),
    Case(
        "symlinks-expanding-into-each-other",
        _tar_items([_link(f"demo-1.1/l{i}", "./" * 2000 + f"l{i + 1}") for i in range(2000)]),
        ("label", "symlink loop: l0 -> ././"),
    ),
    Case(
        "file-written-through-folder-link",
        _tar_items([_link("demo-1.1/d", "."), _info("demo-1.1/d/README", b"evil\n")]),
        ("label", "member written through a symlink, landing on README: d/README"),
    ),
    Case(
        "file-written-over-link",
        _tar_items([_link("demo-1.1/x", "demo/__init__.py"), _info("demo-1.1/x", b"evil\n")]),
        ("label", "member written through a symlink, landing on demo/__init__.py: x"),
    ),
    Case(
        "file-written-outside-through-link",
        _tar_items([_link("demo-1.1/up", "../.."), _info("demo-1.1/up/evil.pth", b"import os\n")]),
        ("label", "member written outside the archive through a symlink: up/evil.pth"),
    ),
    # Headers and sparse members count against the limits.
    Case(
        "gnu-long-name-600mib",
        _huge_header(tarfile.GNUTYPE_LONGNAME),
        (
            "error",
            "limit",
            "a member header (GNU long name or PAX record) of 629,145,600 bytes: more than 1,048,576",
        ),
    ),
    Case(
        "gnu-long-link-600mib",
        _huge_header(tarfile.GNUTYPE_LONGLINK),
        ("error", "limit", "of 629,145,600 bytes: more than 1,048,576 bytes in one header"),
    ),
    Case(
        "pax-header-600mib",
        _huge_header(tarfile.XHDTYPE),
        ("error", "limit", "of 629,145,600 bytes: more than 1,048,576 bytes in one header"),
    ),
    Case(
        "sparse-8gib",
        _sparse((8 << 30) - 1),
        ("error", "limit", "more than 1,073,741,824 bytes uncompressed"),
    ),
    Case(
        "long-names-40mib",
        lambda folder: header_bomb(folder / "demo-1.1.tar.gz", 40, "name"),
        ("error", "limit", "more than 33,554,432 bytes of member names and headers"),
    ),
    Case(
        "pax-records-40mib",
        lambda folder: header_bomb(folder / "demo-1.1.tar.gz", 40, "pax"),
        ("error", "limit", "more than 33,554,432 bytes of member names and headers"),
    ),
    # Timestamps no date can show.
    *(
        Case(
            f"mtime-{label}",
            _tar_items([_info("demo-1.1/when.py", b"t = 1\n", mtime=value)]),
            ("label", "+t = 1"),
            ("--listing",),
        )
        for label, value in (
            ("inf", "inf"),
            ("nan", "nan"),
            ("-inf", "-inf"),
            ("1e30", "1e30"),
            ("huge-int", "9" * 40),
        )
    ),
    Case(
        "pax-negative-size",
        _tar_items([_info("demo-1.1/a.py", b"y\n", size="-1")]),
        ("error", "archive", "member 'demo-1.1/a.py' declares a negative size"),
    ),
    Case("zip-date-not-a-date", _zip_bad_date, ("label", "+x = 2"), ("--listing",)),
    Case("non-utf8-name", _non_utf8_name, ("label", "\\xff.py")),
]
