"""The comparison model: plain dataclasses passed from the engine to renderers.

Nothing here knows about docutils or any output format.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

__all__ = [
    "NOTABLE_KINDS",
    "ApiChange",
    "Archive",
    "ArchiveFacts",
    "Comparison",
    "FileChange",
    "GzipHeader",
    "Member",
    "MemberKind",
    "MetadataChange",
    "Notable",
    "RecordRow",
    "Status",
    "Summary",
    "stored_content",
]


class MemberKind(enum.StrEnum):
    FILE = "file"
    DIR = "dir"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"
    OTHER = "other"


class Status(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    RENAMED = "renamed"
    MODE_CHANGED = "mode-changed"
    TYPE_CHANGED = "type-changed"


@dataclass(frozen=True, slots=True)
class Member:
    """One archive member. ``name`` is as stored; ``path`` has the top folder stripped."""

    name: str
    path: str
    kind: MemberKind
    mode: int | None
    uid: int | None
    gid: int | None
    uname: str
    gname: str
    size: int
    mtime: float | None
    linkname: str
    sha256: str
    # The stored timestamp as text when no date can show it ("inf", "nan", "1e+20
    # (out of range)", a zip date that is not a date); ``mtime`` is then None.
    mtime_invalid: str | None = None

    def __reduce__(self) -> tuple[type[Member], tuple[object, ...]]:
        # Pickled as its fields: a worker sends 10,000 members of a large sdist, in
        # half the time the state of a slots class takes.
        return Member, tuple(getattr(self, name) for name in _MEMBER_FIELDS)


_MEMBER_FIELDS = tuple(field.name for field in fields(Member))


@dataclass(frozen=True, slots=True)
class GzipHeader:
    """The gzip header facts ``file(1)`` shows."""

    original_name: str | None
    mtime: int
    compression: str | None
    os: str


@dataclass(frozen=True, slots=True)
class ArchiveFacts:
    """What is known about one archive file as a whole."""

    path: str
    filename: str
    name: str | None
    version: str | None
    kind: str
    format: str
    size: int
    sha256: str
    members: int
    uncompressed_size: int
    gzip: GzipHeader | None
    top_folder: str | None
    # What is odd or unsafe in the archive (names, links, duplicates), in plain words.
    problems: tuple[str, ...] = ()
    # A wheel's own NAME-VER: its NAME-VER.dist-info/ folder is the one installers read.
    wheel_stem: str | None = None


def stored_content(contents: Mapping[str, bytes], member: Member) -> bytes | None:
    """A file member's bytes from a store keyed by sha256; None for a link or a folder."""
    return contents.get(member.sha256) if member.kind == MemberKind.FILE else None


@dataclass(frozen=True, slots=True)
class Archive:
    """An archive read into memory: facts, members in stored order, and their content.

    ``contents`` maps the sha256 of a file's bytes to the bytes, so a file is
    held once however many members, or archives of a pair, hold it; the two
    archives of a pair share one store. A member over the per-file limit, a
    link or a folder has no content. Of duplicate names each member has its own.
    """

    facts: ArchiveFacts
    members: tuple[Member, ...]
    contents: Mapping[str, bytes] = field(repr=False, compare=False)

    def content(self, member: Member) -> bytes | None:
        return stored_content(self.contents, member)

    def dist_info_file(self, leaf: str) -> bytes | None:
        """A file of the wheel's own ``.dist-info`` folder (see ``ArchiveFacts.wheel_stem``);
        without one, of the first such folder at the root."""
        if self.facts.wheel_stem is None:
            return self.top_folder_file(".dist-info/" + leaf)
        path = f"{self.facts.wheel_stem}.dist-info/{leaf}"
        found = next((m for m in reversed(self.members) if m.path == path), None)
        return self.content(found) if found is not None else None

    def top_folder_file(self, ending: str) -> bytes | None:
        """A file one folder down whose path ends with ``ending`` (``.egg-info/top_level.txt``).

        Of several folders the first by path; of copies of one path, the last
        stored, which extraction keeps."""
        found = sorted(
            (
                m
                for m in reversed(self.members)
                if m.path.count("/") == 1 and m.path.endswith(ending)
            ),
            key=lambda m: m.path,
        )
        return self.content(found[0]) if found else None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """A row of a wheel's ``RECORD`` whose path or hash changed (the rows compared as a set).

    ``change`` is ``added``, ``removed`` or ``changed``; ``path`` is as NEW writes it
    (OLD's when removed) and ``old_path`` as OLD writes it (None when added): a
    wheel's ``.dist-info`` folder is named for each side's version;
    ``old``/``new`` are the ``algorithm=digest`` values.
    """

    change: str
    path: str
    old: str | None
    new: str | None
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class FileChange:
    """One pair of members that is not identical (one side is None when added or removed)."""

    status: Status
    old: Member | None
    new: Member | None
    binary: bool
    similarity: float | None
    insertions: int
    deletions: int
    diff: str | None
    truncated: bool
    omitted_lines: int
    encoding: str
    # Why the content is compared by size and sha256 only, when it is not diffed
    # though it is text: a side over the per-file size limit, a very long line, or
    # past the diff cost bound (textdiff.MAX_DIFF_LINES).
    hashed_only: str | None = None
    # A changed line holds bidirectional control characters (CVE-2021-42574).
    bidi: bool = False
    # For a wheel's RECORD: the rows whose path or hash changed, its order aside
    # (empty when only the order changed); None for every other file.
    record: tuple[RecordRow, ...] | None = None

    @property
    def shown_counts(self) -> tuple[int, int]:
        """Lines added and removed as a reader counts them: a RECORD counts its changed rows."""
        if self.record is not None:
            return (
                sum(1 for row in self.record if row.new is not None),
                sum(1 for row in self.record if row.old is not None),
            )
        return self.insertions, self.deletions

    @property
    def old_path(self) -> str | None:
        return self.old.path if self.old else None

    @property
    def new_path(self) -> str | None:
        return self.new.path if self.new else None

    @property
    def path(self) -> str:
        """The path a reader knows the file by: the new one unless it was removed."""
        member = self.new or self.old
        assert member is not None
        return member.path


@dataclass(frozen=True, slots=True)
class MetadataChange:
    """One field-level change in the package metadata.

    ``change`` is ``added``, ``removed`` or ``changed``; ``diff`` is set for long
    text fields (the description) that are shown as a unified diff.
    """

    field: str
    change: str
    old: str | None
    new: str | None
    detail: str | None = None
    diff: str | None = None


# The kinds of notable change, in the order a reviewer checks them.
NOTABLE_KINDS = (
    "pth",
    "entry-point",
    "build",
    "binary",
    "dependency",
    "python",
    "license",
    "exec",
)


@dataclass(frozen=True, slots=True)
class Notable:
    """A change a reviewer checks first (SPEC "Notable changes").

    ``kind`` is one of :data:`NOTABLE_KINDS`; ``path`` is the member's path
    (top folder stripped) when the change is in one file, else None.
    """

    kind: str
    path: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class ApiChange:
    """A public name added, removed or changed, found statically.

    ``change`` is ``added``, ``removed`` or ``changed``; ``kind`` is
    ``module``, ``class``, ``function``, ``method`` or ``attribute``;
    ``old``/``new`` are signatures (or values for attributes), None when absent;
    ``why`` says how a breaking change breaks callers (``became keyword-only:
    force_insert``).
    """

    change: str
    name: str
    kind: str
    old: str | None
    new: str | None
    breaking: bool
    # How a changed signature breaks callers, said for readers to check the flag.
    why: str | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of members whose content or type changed; mode-only changes apart."""

    added: int
    removed: int
    modified: int
    renamed: int
    identical: int
    insertions: int
    deletions: int
    mode_changed: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.removed + self.modified + self.renamed


@dataclass(frozen=True, slots=True)
class Comparison:
    old: ArchiveFacts
    new: ArchiveFacts
    files: tuple[FileChange, ...]
    identical: int
    # Identical members whose path changed only with a mapped versioned folder
    # (a wheel's ``NAME-VER.dist-info/``): counted as identical, moved by patches.
    moved: tuple[tuple[Member, Member], ...]
    metadata: tuple[MetadataChange, ...]
    old_members: tuple[Member, ...]
    new_members: tuple[Member, ...]
    context: int
    # Things a reader should know about the pair as a whole (OLD newer than NEW, …).
    warnings: tuple[str, ...] = ()
    # What a reviewer checks first, ordered by kind then path.
    notable: tuple[Notable, ...] = ()
    # Public API changes ordered by name, and notes on what could not be read
    # (a module that does not parse); None when the API was not compared.
    api: tuple[ApiChange, ...] | None = None
    api_notes: tuple[str, ...] = ()

    # Counted once, from ``files`` (each pass over Django's 6,800 changes costs 15 ms).
    summary: Summary = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "summary", _summary_of(self.files, self.identical))

    @property
    def has_differences(self) -> bool:
        return bool(self.files or self.metadata)


def _summary_of(files: Sequence[FileChange], identical: int) -> Summary:
    statuses = Counter(change.status for change in files)
    return Summary(
        added=statuses[Status.ADDED],
        removed=statuses[Status.REMOVED],
        modified=statuses[Status.MODIFIED] + statuses[Status.TYPE_CHANGED],
        renamed=statuses[Status.RENAMED],
        identical=identical,
        insertions=sum(change.shown_counts[0] for change in files),
        deletions=sum(change.shown_counts[1] for change in files),
        mode_changed=statuses[Status.MODE_CHANGED],
    )
