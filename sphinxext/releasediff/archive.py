"""Read release archives (tar, gzip/bzip2/xz tar, zip, wheel) in memory, with limits.

Nothing is extracted to disk and nothing from an archive is executed. The whole
compressed stream is read to its end, so a truncated or corrupt archive is
reported as such instead of being half compared.
"""

from __future__ import annotations

import bz2
import calendar
import contextlib
import dataclasses
import gzip
import hashlib
import lzma
import os
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from .errors import ArchiveError, LimitError
from .identity import identify
from .model import Archive, ArchiveFacts, GzipHeader, Member, MemberKind

__all__ = ["Limits", "read_archive"]

_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_BZIP2_MAGIC = b"BZh"
_XZ_MAGIC = b"\xfd7zXZ\x00"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_GZIP_OS = {0: "FAT", 3: "Unix", 7: "Macintosh", 11: "NTFS", 255: "unknown"}
_GZIP_LEVEL = {2: "max compression", 4: "max speed"}


# What the stdlib readers raise on damaged input; gzip's BadGzipFile is an OSError.
_READ_ERRORS = (
    tarfile.TarError,
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    lzma.LZMAError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep a hostile archive from exhausting memory or time."""

    max_members: int = 100_000
    max_bytes: int = 1 << 30
    max_file_bytes: int = 32 << 20


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Budget:
    """Counts uncompressed bytes as they are produced and stops at the limit."""

    def __init__(self, source: str, limit: int) -> None:
        self.source = source
        self.limit = limit
        self.used = 0

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise LimitError(
                self.source, f"more than {self.limit:,} bytes uncompressed (limit max_bytes)"
            )


class _MeteredStream:
    """A read-only stream that charges every byte it yields to a budget."""

    def __init__(self, inner: _Readable, budget: _Budget) -> None:
        self._inner = inner
        self._budget = budget

    def read(self, size: int = -1) -> bytes:
        data = self._inner.read(_CHUNK if size < 0 else min(size, _CHUNK))
        self._budget.spend(len(data))
        return data

    def drain(self) -> None:
        while self.read(_CHUNK):
            pass


def read_archive(path: str | os.PathLike[str], limits: Limits | None = None) -> Archive:
    """Read the archive at ``path``; raise :class:`ArchiveError` or :class:`LimitError`."""
    limits = limits or Limits()
    source = os.fspath(path)
    size, digest, magic = _file_facts(source)
    file_format = _detect_format(source, magic)
    budget = _Budget(source, limits.max_bytes)
    try:
        if file_format == "zip":
            members = _read_zip(source, limits, budget)
            gzip_header = None
        else:
            gzip_header = _read_gzip_header(source) if file_format == "tar.gz" else None
            members = _read_tar(source, file_format, limits, budget)
    except (ArchiveError, LimitError):
        raise
    except _READ_ERRORS as exc:
        raise ArchiveError(source, f"corrupt {file_format} archive ({_describe(exc)})") from None
    top_folder = _top_folder(members) if not source.endswith(".whl") else None
    stripped = tuple(_strip(member, top_folder) for member in members)
    identity = identify(Path(source).name, stripped)
    facts = ArchiveFacts(
        path=source,
        filename=Path(source).name,
        name=identity.name,
        version=identity.version,
        kind=identity.kind,
        format="wheel" if identity.kind == "wheel" and file_format == "zip" else file_format,
        size=size,
        sha256=digest,
        members=len(stripped),
        uncompressed_size=sum(member.size for member in stripped),
        gzip=gzip_header,
        top_folder=top_folder,
    )
    return Archive(facts=facts, members=stripped)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _file_facts(source: str) -> tuple[int, str, bytes]:
    """Size, sha256 and leading bytes of the archive file itself."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(512)
            digest = hashlib.sha256(head)
            size = len(head)
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        raise ArchiveError(source, "no such file") from None
    except IsADirectoryError:
        raise ArchiveError(source, "is a directory, not an archive") from None
    except OSError as exc:
        raise ArchiveError(source, exc.strerror or _describe(exc)) from None
    return size, digest.hexdigest(), head


def _detect_format(source: str, head: bytes) -> str:
    if not head:
        raise ArchiveError(source, "empty file, not an archive")
    if head.startswith(_GZIP_MAGIC):
        return "tar.gz"
    if head.startswith(_BZIP2_MAGIC):
        return "tar.bz2"
    if head.startswith(_XZ_MAGIC):
        return "tar.xz"
    if head.startswith(_ZIP_MAGICS):
        return "zip"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    raise ArchiveError(source, "not a tar or zip archive (unrecognised content)")


def _decompressed(raw: IO[bytes], file_format: str) -> contextlib.AbstractContextManager[_Readable]:
    """The tar stream inside: the decompressors check CRCs and lengths at the end."""
    if file_format == "tar.gz":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if file_format == "tar.bz2":
        return bz2.BZ2File(raw, mode="rb")
    if file_format == "tar.xz":
        return lzma.LZMAFile(raw, mode="rb")
    return contextlib.nullcontext(raw)


def _read_tar(source: str, file_format: str, limits: Limits, budget: _Budget) -> list[Member]:
    members: list[Member] = []
    with open(source, "rb") as raw, _decompressed(raw, file_format) as decompressed:
        stream = _MeteredStream(decompressed, budget)
        with tarfile.open(fileobj=stream, mode="r|") as tar:  # type: ignore[call-overload]
            for info in _iter_tar(tar):
                _check_count(source, len(members) + 1, limits)
                data = tar.extractfile(info) if info.isreg() else None
                members.append(_tar_member(info, data, limits))
        stream.drain()
    return members


def _iter_tar(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while (info := tar.next()) is not None:
        yield info


def _tar_member(info: tarfile.TarInfo, content: IO[bytes] | None, limits: Limits) -> Member:
    digest, data = _hash_and_keep(content, limits) if content else (_EMPTY_SHA, None)
    kind = _tar_kind(info)
    return Member(
        name=info.name,
        path=_normalise(info.name),
        kind=kind,
        mode=stat.S_IMODE(info.mode),
        uid=info.uid,
        gid=info.gid,
        uname=info.uname,
        gname=info.gname,
        size=info.size if kind == MemberKind.FILE else 0,
        mtime=float(info.mtime),
        linkname=info.linkname,
        sha256=digest,
        data=data if kind == MemberKind.FILE else None,
    )


def _tar_kind(info: tarfile.TarInfo) -> MemberKind:
    if info.isreg():
        return MemberKind.FILE
    if info.isdir():
        return MemberKind.DIR
    if info.issym():
        return MemberKind.SYMLINK
    if info.islnk():
        return MemberKind.HARDLINK
    return MemberKind.OTHER


_EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def _hash_and_keep(content: _Readable, limits: Limits) -> tuple[str, bytes | None]:
    """Hash a member's content; keep it in memory only up to the per-file limit."""
    digest = hashlib.sha256()
    kept: list[bytes] | None = []
    size = 0
    while chunk := content.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if kept is not None:
            kept.append(chunk)
            if size > limits.max_file_bytes:
                kept = None
    return digest.hexdigest(), (b"".join(kept) if kept is not None else None)


def _check_count(source: str, count: int, limits: Limits) -> None:
    if count > limits.max_members:
        raise LimitError(source, f"more than {limits.max_members:,} members (limit max_members)")


def _read_zip(source: str, limits: Limits, budget: _Budget) -> list[Member]:
    members: list[Member] = []
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        _check_count(source, len(infos), limits)
        for info in infos:
            if info.flag_bits & 0x1:
                raise ArchiveError(source, f"member {info.filename!r} is encrypted")
            with archive.open(info) as content:
                metered = _MeteredStream(content, budget)
                members.append(_zip_member(info, metered, limits))
    return members


def _zip_member(info: zipfile.ZipInfo, content: _Readable, limits: Limits) -> Member:
    unix_mode = info.external_attr >> 16 if info.create_system == 3 else 0
    digest, data = _hash_and_keep(content, limits)
    kind = _zip_kind(info, unix_mode)
    return Member(
        name=info.filename,
        path=_normalise(info.filename),
        kind=kind,
        mode=stat.S_IMODE(unix_mode) if unix_mode else None,
        uid=None,
        gid=None,
        uname="",
        gname="",
        size=info.file_size if kind == MemberKind.FILE else 0,
        mtime=float(calendar.timegm((*info.date_time, 0, 0, 0))),
        linkname=data.decode("utf-8", "replace") if kind == MemberKind.SYMLINK and data else "",
        sha256=digest if kind == MemberKind.FILE else _EMPTY_SHA,
        data=data if kind == MemberKind.FILE else None,
    )


def _zip_kind(info: zipfile.ZipInfo, unix_mode: int) -> MemberKind:
    if info.is_dir():
        return MemberKind.DIR
    if stat.S_ISLNK(unix_mode):
        return MemberKind.SYMLINK
    if unix_mode and not stat.S_ISREG(unix_mode):
        return MemberKind.OTHER
    return MemberKind.FILE


def _read_gzip_header(source: str) -> GzipHeader:
    """The first gzip member's header (RFC 1952): the facts ``file(1)`` prints."""
    with open(source, "rb") as handle:
        head = handle.read(10)
        if len(head) < 10:
            raise ArchiveError(source, "truncated gzip header")
        _magic, _method, flags, mtime, extra_flags, os_code = struct.unpack("<HBBIBB", head)
        if flags & 0x04:
            (extra_length,) = struct.unpack("<H", handle.read(2))
            handle.read(extra_length)
        original_name = _read_zero_terminated(handle) if flags & 0x08 else None
    return GzipHeader(
        original_name=original_name,
        mtime=mtime,
        compression=_GZIP_LEVEL.get(extra_flags),
        os=_GZIP_OS.get(os_code, f"code {os_code}"),
    )


def _read_zero_terminated(handle: IO[bytes], limit: int = 4096) -> str:
    collected = bytearray()
    while len(collected) < limit and (byte := handle.read(1)) not in (b"", b"\x00"):
        collected += byte
    return collected.decode("latin-1")


def _normalise(name: str) -> str:
    """A member name as a relative path: no leading ``./`` or ``/``, no trailing ``/``."""
    path = name
    while path.startswith("./"):
        path = path[2:]
    return path.strip("/")


def _top_folder(members: list[Member]) -> str | None:
    """The one folder that holds every member (``name-1.0`` in an sdist), if any."""
    tops = {member.path.split("/", 1)[0] for member in members if member.path}
    if len(tops) != 1:
        return None
    (top,) = tops
    holds_others = any(member.path.startswith(top + "/") for member in members)
    return top if holds_others else None


def _strip(member: Member, top_folder: str | None) -> Member:
    if top_folder is None:
        return member
    path = member.path[len(top_folder) + 1 :] if member.path != top_folder else ""
    return dataclasses.replace(member, path=path)
