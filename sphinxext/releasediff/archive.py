"""Read release archives (tar, gzip/bzip2/xz tar, zip, wheel) in memory, with limits.

Nothing is extracted to disk and nothing from an archive is executed. The whole
compressed stream is read to its end, so a truncated or corrupt archive is
reported as such instead of being half compared.
"""

from __future__ import annotations

import bz2
import collections
import contextlib
import dataclasses
import datetime
import gzip
import hashlib
import lzma
import math
import os
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Protocol

from .errors import ArchiveError, LimitError, ReleaseDiffError
from .identity import DIST_INFO, Identity, identify
from .model import Archive, ArchiveFacts, GzipHeader, Member, MemberKind
from .safety import archive_problems, canonical_path, visible
from .tarheader import FastTarInfo
from .workers import READER, Worker, WorkerError, WorkerStartError, take_spare, workers_pay

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "NewRead",
    "held_old_archive",
    "pair_read",
    "read_archive",
    "read_pair",
    "read_pair_with",
]

_CHUNK = 1 << 20
# No single read by tarfile is larger than a block, but a GNU long name or a PAX
# header is read whole: one larger than this is refused before it is read.
_MAX_HEADER = 1 << 20
# Names, link targets and PAX records stay in memory with every member; real
# archives hold a few MiB of them at most.
_MAX_METADATA = 32 << 20
_HEAD = 64 << 10  # enough for the tar magic and a gzip header's original name
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
    struct.error,
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


DEFAULT_LIMITS = Limits()


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
                self.source, f"more than {self.limit:,} bytes uncompressed", "max_bytes"
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


def read_pair(
    old: str | os.PathLike[str], new: str | os.PathLike[str], limits: Limits | None = None
) -> tuple[Archive, Archive]:
    """Both archives; when both are broken OLD's error is the one raised (see :func:`pair_read`)."""
    with pair_read(old, new, limits) as (old_archive, new_archive, _worker):
        return old_archive, new_archive


@contextlib.contextmanager
def pair_read(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    limits: Limits | None = None,
    new_read: NewRead | None = None,
) -> Iterator[tuple[Archive, Archive, Worker | None]]:
    """Both archives, and the worker that read OLD and still holds it (None if none did).

    ``new_read`` is called with the worker, NEW and the digests of the contents the
    worker holds as soon as both are read (when OLD is read in a worker): to hand the
    worker more work, which it starts once it has sent OLD back.

    They share one content store: a file identical in both is held once. OLD is
    read in a worker process while this one reads NEW (threads gain nothing:
    tarfile's header parsing holds the GIL); without one (small archives, a
    single CPU, ``RELEASEDIFF_WORKERS=0``, or none can start) both are read
    here, OLD first. The result is the same either way. The worker is stopped
    when the block ends.
    """
    worker = _worker_for(old, new)
    with worker or contextlib.nullcontext():
        archives = None
        if worker is not None:
            try:
                archives = read_pair_with(worker, old, new, limits, new_read)
            except WorkerStartError:
                worker = None
        if archives is None:
            contents: dict[str, bytes] = {}
            archives = read_archive(old, limits, contents), read_archive(new, limits, contents)
        yield (*archives, worker)


# What pair_read calls with the worker, NEW, and the digests of the contents the worker holds.
NewRead = Callable[[Worker, Archive, frozenset[str]], None]


def _worker_for(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> Worker | None:
    if not workers_pay((old, new)):
        return None
    spare = take_spare(READER)
    if spare is not None:
        return spare
    try:
        return Worker()
    except WorkerStartError:
        return None


def read_pair_with(
    worker: Worker,
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    limits: Limits | None = None,
    new_read: NewRead | None = None,
) -> tuple[Archive, Archive]:
    """Read OLD in ``worker`` and NEW here at once; the worker keeps OLD afterwards.

    Only the contents NEW does not hold come back from the worker. Raises
    :class:`WorkerStartError` when the worker never started (nothing is lost:
    the caller reads both itself).
    """
    old_source = os.fspath(old)
    worker.submit(_READ_OLD_CALL, old_source, limits)
    contents: dict[str, bytes] = {}
    new_error: ReleaseDiffError | None = None
    try:
        new_archive = read_archive(new, limits, contents)
    except ReleaseDiffError as error:
        new_error = error
    try:
        held: frozenset[str] = worker.result()  # OLD's error, raised first
        if new_error is not None:
            raise new_error
        worker.submit(_OLD_WITHOUT_CALL, frozenset(contents))
        if new_read is not None:
            new_read(worker, new_archive, held)
        old_archive: Archive = worker.result()
    except WorkerStartError:
        raise
    except WorkerError as error:
        raise ArchiveError(old_source, f"not read: {error}") from None
    contents.update(old_archive.contents)
    return replace(old_archive, contents=contents), new_archive


# In a worker process: the OLD archive it read, kept for later calls.
_HELD: dict[str, Archive] = {}
# The functions read_pair_with calls in the worker, by name.
_READ_OLD_CALL = f"{__name__}:_read_old_here"
_OLD_WITHOUT_CALL = f"{__name__}:_old_archive_without"


def _read_old_here(source: str, limits: Limits | None) -> frozenset[str]:
    """Read OLD and keep it; the digests of the contents it holds go back."""
    _HELD["old"] = read_archive(source, limits)
    return frozenset(_HELD["old"].contents)


def _old_archive_without(digests: frozenset[str]) -> Archive:
    """OLD as read in this worker, with only the contents whose sha256 is not in ``digests``."""
    held = _HELD["old"]
    contents = {digest: data for digest, data in held.contents.items() if digest not in digests}
    return replace(held, contents=contents)


def held_old_archive() -> Archive:
    """In the worker that read a pair's OLD archive: that archive, with all its contents."""
    return _HELD["old"]


def read_archive(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    contents: dict[str, bytes] | None = None,
) -> Archive:
    """Read the archive at ``path``; raise :class:`ArchiveError` or :class:`LimitError`.

    File contents go into ``contents`` (by sha256), a store the other archive of
    a pair may share: bytes already there are not kept again.
    """
    limits = limits or Limits()
    contents = {} if contents is None else contents
    source = os.fspath(path)
    size, digest, head = _file_facts(source)
    file_format = _detect_format(source, head)
    budget = _Budget(source, limits.max_bytes)
    notes: list[str] = []
    try:
        if file_format == "zip":
            members, top_folder = _read_zip(source, limits, budget, notes, contents)
        else:
            members, top_folder = _read_tar(source, file_format, limits, budget, notes, contents)
    except (ArchiveError, LimitError):
        raise
    except _READ_ERRORS as exc:
        raise ArchiveError(source, f"corrupt {file_format} archive ({_describe(exc)})") from None
    identity = identify(Path(source).name, members, contents)
    facts = ArchiveFacts(
        path=source,
        filename=Path(source).name,
        name=identity.name,
        version=identity.version,
        kind=identity.kind,
        format="wheel" if identity.kind == "wheel" and file_format == "zip" else file_format,
        size=size,
        sha256=digest,
        members=len(members),
        uncompressed_size=sum(member.size for member in members),
        gzip=_parse_gzip_header(source, head) if file_format == "tar.gz" else None,
        top_folder=top_folder,
        problems=(
            *archive_problems(members, notes),
            *_other_dist_info(members, identity),
            *_installed_twice(members, identity),
        ),
        wheel_stem=identity.wheel_stem,
    )
    return Archive(facts=facts, members=members, contents=contents)


def _installed_twice(members: Sequence[Member], identity: Identity) -> list[str]:
    """A wheel's files that ``.data/purelib/`` or ``platlib/`` install where a file at its
    root goes too: site-packages; pip leaves the ``.data`` copy there."""
    if identity.kind != "wheel" or identity.wheel_stem is None:
        return []
    prefixes = tuple(f"{identity.wheel_stem}.data/{scheme}/" for scheme in ("purelib", "platlib"))
    files = [member.path for member in members if member.kind == MemberKind.FILE]
    at_root = set(files)
    found = []
    for path in files:
        for prefix in prefixes:
            if path.startswith(prefix) and path[len(prefix) :] in at_root:
                found.append(
                    f"installed twice to one place: {visible(path[len(prefix) :])} and "
                    f"{visible(path)}; pip leaves the second, which is what the API compares"
                )
    return found[:20]


def _other_dist_info(members: Sequence[Member], identity: Identity) -> list[str]:
    """A wheel's ``.dist-info`` folders at its root besides its own: installers refuse it."""
    if identity.kind != "wheel":
        return []
    folders = sorted(
        {
            member.path.split("/", 1)[0]
            for member in members
            if "/" in member.path and member.path.split("/", 1)[0].endswith(DIST_INFO)
        }
    )
    if len(folders) < 2:
        return []
    own = f"{identity.wheel_stem}{DIST_INFO}" if identity.wheel_stem else "none of them"
    return [
        f"{len(folders)} .dist-info folders at the root ({', '.join(map(visible, folders))}): "
        f"installers refuse such a wheel; its own is {visible(own)}, the others are plain files"
    ]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def _file_facts(source: str) -> tuple[int, str, bytes]:
    """Size, sha256 and first bytes of the archive file itself."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(_HEAD)
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


class _ForwardReader:
    """A forward-only file over a decompressing stream, for tarfile's random-access mode.

    tarfile skips member data by seeking forward, which this does by reading
    on; it also looks one byte back before each header, which the kept tail of
    the previous block serves. The stream is read in blocks of a mebibyte, so
    decompression runs in large steps (without the GIL) and tarfile's many small
    reads are slices. Every byte decompressed is charged to the budget, so a bomb
    is stopped while it inflates; no more than two blocks are ever held. The
    bytes of the last read stay held until the next one, so a seek back to its
    start works: FastTarInfo reads a PAX header again that way when it leaves
    the header to tarfile.
    """

    _TAIL = 4096

    def __init__(self, stream: _Readable, budget: _Budget) -> None:
        self._stream = stream
        self._budget = budget
        self._buffer = b""
        self._start = 0  # stream offset of self._buffer[0]
        self._cursor = 0
        self._exhausted = False

    def tell(self) -> int:
        return self._cursor

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence != 0 or offset < self._start:
            raise OSError(f"cannot seek back to {offset} in a compressed stream")
        self._cursor = offset
        return offset

    def read(self, size: int = -1) -> bytes:
        begin = self._cursor - self._start
        end = begin + size
        if end > len(self._buffer) or not 0 <= size <= _MAX_HEADER:
            return self._read_past_buffer(size)
        self._cursor += size
        return self._buffer[begin:end]

    def drain(self) -> None:
        """Read to the end of the stream, so its checksum and length are checked."""
        while not self._exhausted:
            self._refill(keep=False)

    def _read_past_buffer(self, size: int) -> bytes:
        if size < 0:
            size = _CHUNK
        if size > _MAX_HEADER:  # payloads are read in chunks of _CHUNK, no larger
            raise LimitError(
                self._budget.source,
                f"a member header (GNU long name or PAX record) of {size:,} bytes: "
                f"more than {_MAX_HEADER:,} bytes in one header, refused unread",
            )
        while self._cursor + size > self._start + len(self._buffer) and not self._exhausted:
            self._refill()
        begin = self._cursor - self._start
        data = self._buffer[begin : begin + size]
        self._cursor += len(data)
        return data

    def _refill(self, keep: bool = True) -> None:
        chunk = self._stream.read(_CHUNK)
        self._budget.spend(len(chunk))
        if not chunk:
            self._exhausted = True
            return
        end = self._start + len(self._buffer)
        # Keep what the cursor has not read yet, and a short tail before it.
        keep_from = max(self._start, min(self._cursor, end) - self._TAIL) if keep else end
        self._buffer = self._buffer[keep_from - self._start :] + chunk
        self._start = keep_from


def _read_tar(
    source: str,
    file_format: str,
    limits: Limits,
    budget: _Budget,
    notes: list[str],
    contents: dict[str, bytes],
) -> tuple[tuple[Member, ...], str | None]:
    """Members, and into ``contents`` the files up to the per-file limit, in one pass."""
    entries: list[tuple[tarfile.TarInfo, str, str]] = []  # with sha256 and canonical path
    with open(source, "rb") as raw, _decompressed(raw, file_format) as stream:
        reader = _ForwardReader(stream, budget)
        # Names that are not UTF-8 are shown with \x escapes: no lone surrogates
        # reach the model, whose text every format must be able to write.
        with tarfile.open(  # type: ignore[call-overload]
            fileobj=reader, mode="r:", errors="backslashreplace", tarinfo=FastTarInfo
        ) as tar:
            metadata = 0
            while (info := tar.next()) is not None:
                _check_count(source, len(entries) + 1, limits)
                if info.size < 0:
                    raise ArchiveError(
                        source, f"member {visible(info.name)!r} declares a negative size"
                    )
                metadata += _metadata_size(info)
                if metadata > _MAX_METADATA:
                    raise LimitError(
                        source,
                        f"more than {_MAX_METADATA:,} bytes of member names and headers "
                        "(a header bomb)",
                    )
                digest = _EMPTY_SHA
                if _is_tar_file(info):
                    digest, data = _tar_payload(source, tar, info, reader, limits, budget)
                    if data is not None:
                        contents.setdefault(digest, data)
                    if not info.isreg():
                        notes.append(_unknown_type_note(info))
                entries.append((info, digest, canonical_path(info.name)))
        reader.drain()
    top = _top_folder_of((path, info.isdir()) for info, _digest, path in entries)
    members = tuple(_tar_member(info, digest, _strip(path, top)) for info, digest, path in entries)
    return _hardlinks_as_files(members, notes), top


def _hardlinks_as_files(members: tuple[Member, ...], notes: list[str]) -> tuple[Member, ...]:
    """Each hardlink as the file extraction writes: the copy of its target stored last
    before it, as tarfile, pip and GNU tar read it. A target stored again after the link
    does not change the link (``setup.py`` linked to an evil ``ci/impl.py``, then a benign
    ``ci/impl.py``: pip builds the evil one), which a note says."""
    if not any(member.kind == MemberKind.HARDLINK for member in members):
        return members
    latest: dict[str, Member] = {}
    stored = collections.Counter(canonical_path(member.name) for member in members)
    resolved: list[Member] = []
    for stored_member in members:
        member, target = stored_member, None
        if member.kind == MemberKind.HARDLINK:
            target = latest.get(canonical_path(member.linkname))
        if target is not None:
            member = dataclasses.replace(
                member, kind=MemberKind.FILE, size=target.size, sha256=target.sha256, linkname=""
            )
            if stored[canonical_path(target.name)] > 1:
                notes.append(
                    f"hardlink {visible(member.path)} -> {visible(target.path)}: compared "
                    "as the copy of its target stored before it, which extraction writes"
                )
        resolved.append(member)
        if member.kind == MemberKind.FILE:
            latest[canonical_path(member.name)] = member
    return tuple(resolved)


def _metadata_size(info: tarfile.TarInfo) -> int:
    """What a member's names and PAX records hold in memory, in characters."""
    records = info.pax_headers
    keys, values = sum(map(len, records)), sum(map(len, records.values()))
    return len(info.name) + len(info.linkname) + keys + values


def _is_tar_file(info: tarfile.TarInfo) -> bool:
    """Whether extraction writes the member as a file: tarfile (and so pip) extracts a
    member of a type it does not know as a regular file, with its data."""
    return info.isreg() or info.type not in tarfile.SUPPORTED_TYPES


def _unknown_type_note(info: tarfile.TarInfo) -> str:
    kind = info.type.decode("latin-1")
    return (
        f"tar member of unknown type {visible(kind)!r} is extracted as a file, "
        f"and compared as one: {visible(info.name)}"
    )


def _tar_payload(
    source: str,
    tar: tarfile.TarFile,
    info: tarfile.TarInfo,
    reader: _ForwardReader,
    limits: Limits,
    budget: _Budget,
) -> tuple[str, bytes | None]:
    """A member's sha256, and its bytes when it is within the per-file limit."""
    if info.issparse():
        # The holes read back as zeros that no decompressor produced: charge the
        # declared size before any of it is made.
        budget.spend(info.size)
        handle = tar.extractfile(info)
        sparse_digest, data, _size = (
            _hash_and_keep(handle, limits) if handle else (_EMPTY_SHA, b"", 0)
        )
        return sparse_digest, data
    reader.seek(info.offset_data)
    digest = hashlib.sha256()
    kept: list[bytes] | None = [] if info.size <= limits.max_file_bytes else None
    left = info.size
    while left > 0:
        chunk = reader.read(min(left, _CHUNK))
        if not chunk:
            raise ArchiveError(source, f"truncated: member {visible(info.name)!r} ends early")
        digest.update(chunk)
        if kept is not None:
            kept.append(chunk)
        left -= len(chunk)
    return digest.hexdigest(), b"".join(kept) if kept is not None else None


def _tar_member(info: tarfile.TarInfo, digest: str, path: str) -> Member:
    kind = _tar_kind(info)
    mtime, mtime_invalid = _timestamp(info.mtime)
    return Member(
        name=info.name,
        path=path,
        kind=kind,
        mode=stat.S_IMODE(info.mode),
        uid=info.uid,
        gid=info.gid,
        uname=info.uname,
        gname=info.gname,
        size=info.size if kind == MemberKind.FILE else 0,
        mtime=mtime,
        linkname=info.linkname,
        sha256=digest,
        mtime_invalid=mtime_invalid,
    )


def _tar_kind(info: tarfile.TarInfo) -> MemberKind:
    if _is_tar_file(info):
        return MemberKind.FILE
    if info.isdir():
        return MemberKind.DIR
    if info.issym():
        return MemberKind.SYMLINK
    if info.islnk():
        return MemberKind.HARDLINK
    return MemberKind.OTHER


# The instants a date can be shown for: years 1 to 9999.
_EARLIEST = -62_135_596_800
_LATEST = 253_402_300_800


def _timestamp(value: float) -> tuple[float | None, str | None]:
    """A member's mtime, or None and the stored value as text when no date can show it."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, str(value)
    if not _EARLIEST <= value < _LATEST:
        return None, f"{value} (out of range)"
    return float(value), None


def _zip_timestamp(
    date_time: tuple[int, int, int, int, int, int],
) -> tuple[float | None, str | None]:
    """A zip entry's DOS date and time as a timestamp, or None and the fields as stored."""
    try:
        moment = datetime.datetime(*date_time, tzinfo=datetime.UTC)
    except ValueError:
        year, month, day, hour, minute, second = date_time
        shown = f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        return None, f"{shown} (not a date)"
    return moment.timestamp(), None


_EMPTY_SHA = hashlib.sha256(b"").hexdigest()


def _hash_and_keep(content: _Readable, limits: Limits) -> tuple[str, bytes | None, int]:
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
    return digest.hexdigest(), (b"".join(kept) if kept is not None else None), size


def _check_count(source: str, count: int, limits: Limits) -> None:
    if count > limits.max_members:
        raise LimitError(source, f"more than {limits.max_members:,} members", "max_members")


def _read_zip(
    source: str, limits: Limits, budget: _Budget, notes: list[str], contents: dict[str, bytes]
) -> tuple[tuple[Member, ...], str | None]:
    entries: list[tuple[zipfile.ZipInfo, str]] = []
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        _check_count(source, len(infos), limits)
        notes.extend(_checked_layout(source, archive, infos))
        for info in infos:
            if info.flag_bits & 0x1:
                raise ArchiveError(source, f"member {visible(info.filename)!r} is encrypted")
            with archive.open(info) as content:
                digest, data, size = _hash_and_keep(_MeteredStream(content, budget), limits)
            if size != info.file_size:
                raise ArchiveError(
                    source,
                    f"zip entry {visible(info.orig_filename)!r} declares {info.file_size:,} "
                    f"bytes but holds {size:,}",
                )
            if data is not None and not info.is_dir():
                contents.setdefault(digest, data)
            entries.append((info, digest))
    top = _top_folder_of((canonical_path(info.orig_filename), info.is_dir()) for info, _ in entries)
    members = tuple(_zip_member(info, digest, top) for info, digest in entries)
    notes.extend(note for info, digest in entries if (note := _zip_note(info, digest, contents)))
    return members, top


def _checked_layout(
    source: str, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> list[str]:
    """Entries whose data overlap are a zip bomb's trick: each byte may belong to one entry.

    Returns a note for bytes no entry of the central directory holds: before the first
    entry (a whole other zip prepended, which a reader of local headers takes first), or
    between entries beyond a data descriptor's 24."""
    assert archive.fp is not None
    end_of_previous = 0
    unreferenced: list[tuple[int, int]] = []
    for info in sorted(infos, key=lambda item: item.header_offset):
        name = visible(info.filename)
        if info.header_offset < end_of_previous:
            raise ArchiveError(source, f"zip entries overlap at {name!r} (a zip bomb's trick)")
        slack = 0 if end_of_previous == 0 else _DATA_DESCRIPTOR_BYTES
        if info.header_offset - end_of_previous > slack:
            unreferenced.append((end_of_previous, info.header_offset))
        archive.fp.seek(info.header_offset + 26)
        lengths = archive.fp.read(4)
        if len(lengths) != 4:
            raise ArchiveError(source, f"truncated zip entry {name!r}")
        name_length, extra_length = struct.unpack("<HH", lengths)
        end_of_previous = info.header_offset + 30 + name_length + extra_length + info.compress_size
    start_dir = getattr(archive, "start_dir", None)
    if (
        isinstance(start_dir, int)
        and infos
        and start_dir - end_of_previous > _DATA_DESCRIPTOR_BYTES
    ):
        unreferenced.append((end_of_previous, start_dir))
    if not unreferenced:
        return []
    total = sum(end - start for start, end in unreferenced)
    first = unreferenced[0]
    return [
        f"{total:,} bytes that no entry of the central directory holds (first at offset "
        f"{first[0]:,}): a reader that walks local headers, not the directory, sees other files"
    ]


# A data descriptor after an entry's data: signature, crc, and 64-bit sizes at most.
_DATA_DESCRIPTOR_BYTES = 24


_ZIP_FILE_TYPES = {
    stat.S_IFDIR: "folder",
    stat.S_IFCHR: "character device",
    stat.S_IFBLK: "block device",
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
    stat.S_IFLNK: "symlink",
}


def _unix_mode(info: zipfile.ZipInfo) -> int:
    return info.external_attr >> 16 if info.create_system == 3 else 0


def _zip_member(info: zipfile.ZipInfo, digest: str, top: str | None) -> Member:
    unix_mode = _unix_mode(info)
    kind = MemberKind.DIR if info.is_dir() else MemberKind.FILE
    mtime, mtime_invalid = _zip_timestamp(info.date_time)
    return Member(
        name=info.orig_filename,
        path=_strip(canonical_path(info.orig_filename), top),
        kind=kind,
        mode=stat.S_IMODE(unix_mode) if unix_mode else None,
        uid=None,
        gid=None,
        uname="",
        gname="",
        size=info.file_size if kind == MemberKind.FILE else 0,
        mtime=mtime,
        linkname="",
        sha256=digest if kind == MemberKind.FILE else _EMPTY_SHA,
        mtime_invalid=mtime_invalid,
    )


def _zip_note(info: zipfile.ZipInfo, digest: str, contents: Mapping[str, bytes]) -> str | None:
    """What an entry's mode or name claims that installers do not do.

    pip and ``zipfile`` make a folder of a name ending in ``/`` and write every
    other entry as a file, whatever its mode's file-type bits say: a "symlink"
    is installed as a file holding its target.
    """
    name = visible(info.orig_filename)
    if info.is_dir():
        if info.file_size:
            return f"folder entry holds {info.file_size:,} bytes that installers ignore: {name}"
        return None
    claimed = _ZIP_FILE_TYPES.get(stat.S_IFMT(_unix_mode(info)))
    if claimed is None:
        return None
    target = ""
    if claimed == "symlink" and digest in contents:
        text = contents[digest][:200].decode("utf-8", "backslashreplace")
        target = f" (to {visible(text)})"
    return f"zip entry marked as a {claimed}{target} is written as a file by installers: {name}"


def _parse_gzip_header(source: str, head: bytes) -> GzipHeader:
    """The first gzip member's header (RFC 1952): the facts ``file(1)`` prints."""
    if len(head) < 10:
        raise ArchiveError(source, "truncated gzip header")
    _magic, _method, flags, mtime, extra_flags, os_code = struct.unpack_from("<HBBIBB", head)
    offset = 10
    if flags & 0x04 and len(head) >= offset + 2:
        offset += 2 + struct.unpack_from("<H", head, offset)[0]
    original_name = None
    if flags & 0x08:
        end = head.find(b"\x00", offset)
        original_name = head[offset : end if end >= 0 else len(head)].decode("latin-1")
    return GzipHeader(
        original_name=original_name,
        mtime=mtime,
        compression=_GZIP_LEVEL.get(extra_flags),
        os=_GZIP_OS.get(os_code, f"code {os_code}"),
    )


def _top_folder_of(paths: Iterable[tuple[str, bool]]) -> str | None:
    """The one folder that holds every member (``name-1.0`` in an sdist), if any.

    ``paths`` are canonical paths, each with whether it is a folder. Paths that
    climb out with ``..`` are outside any folder and do not count. A lone
    ``*.dist-info`` folder is a wheel's and is never stripped; a file where the
    folder would be means there is none.
    """
    top: str | None = None
    holds_others = top_is_file = False
    for path, is_dir in paths:
        if not path or path == ".." or path.startswith("../"):
            continue
        first, _, rest = path.partition("/")
        if top is None:
            top = first
        elif first != top:
            return None
        holds_others = holds_others or bool(rest)
        top_is_file = top_is_file or (not rest and not is_dir)
    if top is None or not holds_others or top_is_file or top.endswith(".dist-info"):
        return None
    return top


def _strip(path: str, top: str | None) -> str:
    if top is None:
        return path
    if path == top:
        return ""
    return path[len(top) + 1 :] if path.startswith(top + "/") else path
