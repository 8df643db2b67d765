"""A corpus of hostile and broken archives, built on demand, with what each must give.

Each case builds NEW against a harmless OLD (``demo-1.0.tar.gz``). ``expect`` is
``("error", subtype, words)``: the engine refuses with one line holding
``words``; or ``("label", words)``: it compares, and the report says ``words``.
Used by tests/test_hostile.py and benchmarks/bench_hostile.py.
"""

from __future__ import annotations

import bz2
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
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for index in range(200_001):
            tar.addfile(tarfile.TarInfo(f"demo-1.1/f{index}"))
    path = folder / "demo-1.1.tar.gz"
    path.write_bytes(gzip.compress(buffer.getvalue(), 1))
    return path


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
        ("label", "duplicate member (2 times; the last one is compared): a"),
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
]
