"""Tar header parsing for the common case, with tarfile's own parser for everything else.

Stock ``TarInfo.frombuf`` turns each of a header's eight number fields into a
string and back and sums the block twice for its checksums: about half of the
time tarfile takes to list a large sdist. :class:`FastTarInfo` reads a block
with one precompiled struct when the header is the usual kind (octal numbers, a
checksum that matches unsigned, not old GNU sparse) and hands any other block to
``tarfile.TarInfo.frombuf`` unchanged, so an odd or hostile header is parsed, or
refused, exactly as tarfile does.
"""

from __future__ import annotations

import re
import struct
import tarfile
from typing import Self

__all__ = ["FastTarInfo"]

# name, mode, uid, gid, size, mtime, chksum, type, linkname, (magic and version
# skipped), uname, gname, devmajor, devminor, prefix, (padding skipped)
_HEADER = struct.Struct("100s8s8s8s12s12s8sc100s8x32s32s8s8s155s12x")
_OCTAL_DIGITS = b"01234567"
# The numbers as GNU tar, bsdtar and Python write them: zero-padded octal ending
# in NUL, the checksum with six digits, NUL and a space; no device numbers or
# zero-padded ones. Matched in one step; any other spelling is read field by field.
_WRITTEN_NUMBERS = re.compile(
    rb"([0-7]{7})\0([0-7]{7})\0([0-7]{7})\0([0-7]{11})\0([0-7]{11})\0([0-7]{6})\0 "
)
_WRITTEN_DEVICES = re.compile(rb"\0{16}|([0-7]{7})\0([0-7]{7})\0")


def _octal(field: bytes) -> int | None:
    """An octal number field as tarfile reads it, or None when it is not plain octal."""
    digits = field.split(b"\0", 1)[0].strip(b" ")
    if not digits:
        return 0
    if digits.translate(None, _OCTAL_DIGITS):
        return None
    return int(digits, 8)


def _octals(*fields: bytes) -> list[int] | None:
    numbers = [_octal(field) for field in fields]
    return None if None in numbers else numbers  # type: ignore[return-value]


def _written_numbers(buf: bytes) -> list[int] | None:
    """chksum, mode, uid, gid, size, mtime, devmajor, devminor when spelled as tar writes them."""
    numbers = _WRITTEN_NUMBERS.match(buf, 100)
    devices = _WRITTEN_DEVICES.match(buf, 329)
    if numbers is None or devices is None:
        return None
    mode, uid, gid, size, mtime, chksum = numbers.groups()
    major, minor = devices.groups(b"0")
    return [
        int(chksum, 8),
        int(mode, 8),
        int(uid, 8),
        int(gid, 8),
        int(size, 8),
        int(mtime, 8),
        int(major, 8),
        int(minor, 8),
    ]


def _text(field: bytes, encoding: str, errors: str) -> str:
    return field.partition(b"\0")[0].decode(encoding, errors)


class FastTarInfo(tarfile.TarInfo):
    """A TarInfo whose ``frombuf`` is fast on ordinary headers and stock on the rest."""

    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> Self:
        parsed = cls._parse_common(bytes(buf), encoding, errors)
        return parsed if parsed is not None else super().frombuf(buf, encoding, errors)

    @classmethod
    def _parse_common(cls, buf: bytes, encoding: str, errors: str) -> Self | None:
        if len(buf) != tarfile.BLOCKSIZE:
            return None
        (name, mode, uid, gid, size, mtime, chksum_field, kind, linkname, uname, gname,
         devmajor, devminor, prefix) = _HEADER.unpack(buf)  # fmt: skip
        if kind == tarfile.GNUTYPE_SPARSE:
            return None
        numbers = _written_numbers(buf) or _octals(
            chksum_field, mode, uid, gid, size, mtime, devmajor, devminor
        )
        # The checksum counts its own field as eight spaces (256).
        if numbers is None or numbers[0] != 256 + sum(buf) - sum(chksum_field):
            return None
        chksum = numbers[0]
        info = cls()
        info.name = _text(name, encoding, errors)
        info.mode, info.uid, info.gid, info.size, info.mtime = numbers[1:6]
        info.chksum = chksum
        info.type = kind
        info.linkname = _text(linkname, encoding, errors)
        info.uname = _text(uname, encoding, errors)
        info.gname = _text(gname, encoding, errors)
        info.devmajor, info.devminor = numbers[6:]
        full_prefix = _text(prefix, encoding, errors)
        # The same normalisations as tarfile: a V7 folder is a file named with a
        # trailing slash; a folder loses its slashes; a ustar prefix joins the name.
        if info.type == tarfile.AREGTYPE and info.name.endswith("/"):
            info.type = tarfile.DIRTYPE
        if info.isdir():
            info.name = info.name.rstrip("/")
        if full_prefix and info.type not in tarfile.GNU_TYPES:
            info.name = full_prefix + "/" + info.name
        return info
