"""Tar header parsing for the common case, with tarfile's own parser for everything else.

Stock ``TarInfo.frombuf`` turns each of a header's eight number fields into a
string and back and sums the block twice for its checksums: about half of the
time tarfile takes to list a large sdist. :class:`FastTarInfo` reads a block
with one precompiled struct when the header is the usual kind (octal numbers, a
checksum that matches unsigned, not old GNU sparse) and hands any other block to
``tarfile.TarInfo.frombuf`` unchanged, so an odd or hostile header is parsed, or
refused, exactly as tarfile does.

A PAX extended header (every member of Django's sdist has one, for its
fractional mtime) is handled alike: records of the plain kind
(UTF-8 keys such as ``mtime`` and ``path``, framed as the standard says) are
read in a few slices, and any other header goes to tarfile's ``_proc_pax``.
"""

from __future__ import annotations

import re
import struct
import tarfile
import zlib
from typing import Self

__all__ = ["FastTarInfo"]

# name, mode, uid, gid, size, mtime, chksum, type, linkname, (magic and version
# skipped), uname, gname, devmajor, devminor, prefix, (padding skipped)
_HEADER = struct.Struct("100s8s8s8s12s12s8sc100s8x32s32s8s8s155s12x")
_OCTAL_DIGITS = b"01234567"
# The numbers as GNU tar, bsdtar and Python write them: zero-padded octal ending
# in NUL, the checksum with six digits, NUL and a space; no device numbers or
# zero-padded ones. Matched in one step from offset 100 (the 173 bytes between
# the checksum and the device numbers are skipped); any other spelling is read
# field by field.
_WRITTEN_NUMBERS = re.compile(
    rb"([0-7]{7})\0([0-7]{7})\0([0-7]{7})\0([0-7]{11})\0([0-7]{11})\0([0-7]{6})\0 "
    rb".{173}(?:\0{16}|([0-7]{7})\0([0-7]{7})\0)",
    re.DOTALL,
)
# PAX keys read on the fast path: tarfile decodes them and their values the
# same way (strict UTF-8 when that works), and none changes how the header is
# read (hdrcharset, GNU.sparse.* do: those headers go to tarfile).
_PLAIN_PAX_KEYS = {
    key.encode(): key
    for key in (
        "path", "linkpath", "size", "mtime", "atime", "ctime",
        "uid", "gid", "uname", "gname", "comment",
    )
}  # fmt: skip
# What frombuf sets from a header block; parsed PAX header blocks, by their
# bytes, encoding and error handler, as the values of these fields.
_HEADER_FIELDS = (
    "name", "mode", "uid", "gid", "size", "mtime", "chksum", "type",
    "linkname", "uname", "gname", "devmajor", "devminor",
)  # fmt: skip
_PARSED_PAX_BLOCKS: dict[tuple[bytes, str, str], tuple[object, ...]] = {}
_MAX_PARSED_PAX_BLOCKS = 256
# Python 3.11.10 made tarfile refuse length fields over 20 digits.
_MAX_LENGTH_DIGITS = 20
# Later tarfile versions read the header after a PAX header with their own
# _fromtarfile, which skips frombuf and treats a trailing slash differently:
# there every PAX header is left to tarfile.
_DIRCHECK_TARFILE = hasattr(tarfile.TarInfo, "_fromtarfile")


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
    if numbers is None:
        return None
    mode, uid, gid, size, mtime, chksum, major, minor = numbers.groups(b"0")
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


def _byte_sum(block: bytes) -> int:
    """``sum(block)`` of a 512-byte block, in C: Adler-32 started at 0 holds the sum
    of its bytes modulo 65,521 in its low 16 bits, exact for 256 bytes (at most
    65,280)."""
    return (zlib.adler32(block[:256], 0) & 0xFFFF) + (zlib.adler32(block[256:], 0) & 0xFFFF)


def _text(field: bytes, encoding: str, errors: str) -> str:
    if field[0] == 0:  # most link names, prefixes and a PAX header's user names
        return ""
    return field.partition(b"\0")[0].decode(encoding, errors)


def _plain_pax_records(buf: bytes) -> dict[str, str] | None:
    """The records of a PAX header, or None unless every tarfile version reads them alike.

    Python 3.11.10 tightened tarfile's PAX parsing; on records framed as the
    standard says, with known keys and UTF-8 values, followed by NUL padding
    or nothing, the old and new parsers give the same dictionary. hdrcharset is
    looked for anywhere by the old parser, even inside another record's value.
    """
    if b"hdrcharset" in buf:
        return None
    records: dict[str, str] = {}
    pos, end_of_buf = 0, len(buf)
    while pos < end_of_buf and buf[pos] != 0:
        space = buf.find(b" ", pos, pos + _MAX_LENGTH_DIGITS + 1)
        digits = buf[pos:space]
        if space < 0 or not digits.isdigit():
            return None
        end = pos + int(digits)
        # The shortest record is "5 x=\n"; the last byte of each is a newline.
        if end - pos < 5 or end > end_of_buf or buf[end - 1] != 0x0A:
            return None
        raw_key, equals, raw_value = buf[space + 1 : end - 1].partition(b"=")
        key = _PLAIN_PAX_KEYS.get(raw_key)
        if key is None or not equals:
            return None
        try:
            records[key] = raw_value.decode("utf-8")
        except UnicodeDecodeError:
            return None
        pos = end
    return records


class FastTarInfo(tarfile.TarInfo):
    """A TarInfo whose ``frombuf`` and PAX header reading are fast on ordinary
    headers and stock on the rest.

    It reads archives opened for random access (mode ``r:``): an unusual PAX
    header is read again by tarfile after a seek back to its start.
    """

    @classmethod
    def frombuf(cls, buf: bytes | bytearray, encoding: str, errors: str) -> Self:
        block = bytes(buf)
        if block[156:157] == tarfile.XHDTYPE:
            return cls._pax_block(block, encoding, errors)
        parsed = cls._parse_common(block, encoding, errors)
        return parsed if parsed is not None else super().frombuf(buf, encoding, errors)

    @classmethod
    def _pax_block(cls, block: bytes, encoding: str, errors: str) -> Self:
        """A PAX header block: parsed once, then copied when the same 512 bytes recur
        (they differ from one member to the next in their size field at most)."""
        key = (block, encoding, errors)
        fields = _PARSED_PAX_BLOCKS.get(key)
        if fields is None:
            parsed = cls._parse_common(block, encoding, errors)
            info = parsed if parsed is not None else super().frombuf(block, encoding, errors)
            if len(_PARSED_PAX_BLOCKS) >= _MAX_PARSED_PAX_BLOCKS:
                _PARSED_PAX_BLOCKS.clear()
            _PARSED_PAX_BLOCKS[key] = tuple(getattr(info, name) for name in _HEADER_FIELDS)
            return info
        info = cls()
        for name, value in zip(_HEADER_FIELDS, fields, strict=True):
            setattr(info, name, value)
        return info

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
        if numbers is None or numbers[0] != 256 + _byte_sum(buf) - sum(chksum_field):
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

    # _block, _apply_pax_info, _proc_pax and SubsequentHeaderError are tarfile's
    # own, missing from its type stubs.
    def _proc_pax(self, tar: tarfile.TarFile) -> Self:
        # Global headers, and the headers after one, are left to tarfile:
        # their records combine with the ones already read.
        if self.type != tarfile.XHDTYPE or tar.pax_headers or _DIRCHECK_TARFILE:
            return self._stock_proc_pax(tar)
        start = tar.fileobj.tell()
        records = _plain_pax_records(tar.fileobj.read(self._block(self.size)))  # type: ignore[attr-defined]
        if records is None:
            tar.fileobj.seek(start)
            return self._stock_proc_pax(tar)
        # What tarfile does after parsing the records of a header without GNU
        # sparse keys.
        try:
            member = self.fromtarfile(tar)
        except tarfile.HeaderError as error:
            raise tarfile.SubsequentHeaderError(str(error)) from None  # type: ignore[attr-defined]
        member._apply_pax_info(records, tar.encoding, tar.errors)  # type: ignore[attr-defined]
        member.offset = self.offset
        if "size" in records:
            offset = member.offset_data
            if member.isreg() or member.type not in tarfile.SUPPORTED_TYPES:
                offset += member._block(member.size)  # type: ignore[attr-defined]
            tar.offset = offset
        return member

    def _stock_proc_pax(self, tar: tarfile.TarFile) -> Self:
        return tarfile.TarInfo._proc_pax(self, tar)  # type: ignore[attr-defined, no-any-return]
