"""Pair the members of two archives, classify each pair and diff it.

Pairing follows SPEC "Comparing — the rules": after the top folder is stripped
(done by the reader) and a wheel's versioned ``.dist-info``/``.data`` folders
are mapped onto each other, members pair by path; the rest pair as renames by
identical content, then by line similarity above a threshold.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Protocol

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .identity import names_release
from .metadata import compare_metadata
from .model import (
    ApiChange,
    Archive,
    Comparison,
    FileChange,
    Member,
    MemberKind,
    Notable,
    Status,
)
from .notable import find_notable
from .progress import Progress, no_progress
from .record import compare_record
from .safety import has_bidi
from .textdiff import (
    MAX_DIFF_LINES,
    is_binary,
    line_similarity,
    split_lines,
    text_with_nuls,
    unified_diff,
)

__all__ = [
    "CompareOptions",
    "ExecCheck",
    "MemberPair",
    "changes_by_status",
    "compare",
    "member_pairs",
]

# setuptools' namespace-package start-up file, NAME-VER-pyX.Y-nspkg.pth, at a wheel's root.
_VERSIONED_NSPKG_PTH = re.compile(r"^([^/]+-[^/-]+)-py\d+(?:\.\d+)*-nspkg\.pth$")
# Above this many candidate pairs, renames by similarity are only looked for
# between files with the same base name, which keeps a moved tree linear.
_MAX_SIMILARITY_PAIRS = 40_000
# The time bound on renames by similarity: comparing two line multisets costs
# about the smaller one's distinct lines. Past this total for all candidate
# pairs, only files with the same base name are compared.
_MAX_SIMILARITY_WORK = 10_000_000
_SCORE_OVERHEAD = 5  # one call costs about as much as five lines
_OVER_FILE_LIMIT = "over the per-file size limit"
_Candidate = tuple[Member, Member]
# A file with less than this many bytes of non-blank text (or under 3 non-blank
# lines) is tiny: its content is no evidence of a rename (SPEC, docs/comparing.rst).
_TINY_BYTES = 32
# Identical files pair by the most trailing path parts in common, up to this many.
_CLOSE_PARTS = 4


@dataclass(frozen=True, slots=True)
class CompareOptions:
    context: int = 3
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rename_threshold: float = 0.5
    max_diff_lines: int = 0
    # Compare the public API (parses every module of both releases: the costly part).
    api: bool = True


# Two paired members (one is None when added or removed) and, for a rename, their similarity.
MemberPair = tuple[Member | None, Member | None, float | None]


class ExecCheck(Protocol):
    """The exec check of :func:`.notable.find_notable`, run elsewhere while the files are
    compared (:mod:`.exec_worker`); asked for its entries once they are."""

    def result(self, old: Archive, new: Archive, files: Sequence[FileChange]) -> Sequence[Notable]:
        """What :func:`.notable.exec_notables` finds in ``files``."""


def compare(
    old: Archive,
    new: Archive,
    options: CompareOptions | None = None,
    progress: Progress = no_progress,
    exec_check: ExecCheck | None = None,
) -> Comparison:
    options = options or CompareOptions()
    selected = member_pairs(old, new, options)
    changes = [
        _classify(_Pair(old, o, new, n, similar), options)
        for o, n, similar in progress(selected, "comparing files")
    ]
    moved = tuple(
        (o, n)
        for (o, n, _), change in zip(selected, changes, strict=True)
        if change is None and o is not None and n is not None and o.path != n.path
    )
    files = tuple(sorted((_with_record_rows(old, new, c) for c in changes if c), key=_sort_key))
    metadata = tuple(compare_metadata(old, new))
    api, api_notes = _compare_api(old, new, options) if options.api else (None, ())
    selected_files = files_filter(options)
    exec_found = None if exec_check is None else exec_check.result(old, new, files)
    return Comparison(
        old=old.facts,
        new=new.facts,
        files=files,
        identical=sum(1 for change in changes if change is None),
        moved=moved,
        metadata=metadata,
        # The listing shows the members the filters take, as the files table does.
        old_members=_members_selected(old.members, selected_files),
        new_members=_members_selected(new.members, selected_files),
        context=options.context,
        warnings=tuple(_pair_warnings(old, new)),
        notable=find_notable(old, new, files, metadata, selected_files, exec_found),
        api=api,
        api_notes=api_notes,
    )


def member_pairs(old: Archive, new: Archive, options: CompareOptions) -> list[MemberPair]:
    """The pairs :func:`compare` classifies: by pairing key, then renames; those the
    ``--include``/``--exclude`` filters take."""
    old_files = _by_key(old.members, old.facts.wheel_stem)
    new_files = _by_key(new.members, new.facts.wheel_stem)
    same_key = [(old_files[k], new_files[k]) for k in sorted(old_files.keys() & new_files.keys())]
    removed = [old_files[key] for key in sorted(old_files.keys() - new_files.keys())]
    added = [new_files[key] for key in sorted(new_files.keys() - old_files.keys())]
    renames = _find_renames(old, removed, new, added, options.rename_threshold)
    renamed_old = {id(rename[0]) for rename in renames}
    renamed_new = {id(rename[1]) for rename in renames}
    # (old, new, similarity): the similarity is None unless the pair is a rename.
    pairs: list[MemberPair] = [(o, n, None) for o, n in same_key]
    pairs.extend(renames)
    pairs.extend((m, None, None) for m in removed if id(m) not in renamed_old)
    pairs.extend((None, m, None) for m in added if id(m) not in renamed_new)
    return [pair for pair in pairs if _selected(pair[:2], options)]


def _compare_api(
    old: Archive, new: Archive, options: CompareOptions
) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
    from .api import compare_api

    return compare_api(old, new, selected=files_filter(options))


def files_filter(options: CompareOptions) -> Callable[[Sequence[str]], bool] | None:
    """What ``--include``/``--exclude`` accept of a file's paths on both sides; None: all."""
    if not options.include and not options.exclude:
        return None
    return functools.partial(_paths_selected, options=options)


def _members_selected(
    members: tuple[Member, ...], selected: Callable[[Sequence[str]], bool] | None
) -> tuple[Member, ...]:
    if selected is None:
        return members
    return tuple(member for member in members if selected([member.path]))


def _with_record_rows(old: Archive, new: Archive, change: FileChange) -> FileChange:
    """A wheel's RECORD pair also carries its rows compared as a set (see record.py)."""
    if new.facts.kind != "wheel" or change.old is None or change.new is None:
        return change
    old_stem, new_stem = old.facts.wheel_stem, new.facts.wheel_stem
    if pairing_key(change.new.path, new_stem) != ".dist-info/RECORD" or change.binary:
        return change
    before, after = old.content(change.old), new.content(change.new)
    if before is None or after is None:
        return change
    rows = compare_record(
        before,
        after,
        lambda path: pairing_key(path, old_stem),
        lambda path: pairing_key(path, new_stem),
    )
    return dataclasses.replace(change, record=rows)


def _pair_warnings(old: Archive, new: Archive) -> Iterator[str]:
    """Odd pairs are still compared, with a word about it."""
    old_name, new_name = old.facts.name, new.facts.name
    if old_name and new_name and canonicalize_name(old_name) != canonicalize_name(new_name):
        yield f"the archives hold different packages: {old_name} and {new_name}"
    try:
        old_version = Version(old.facts.version or "")
        new_version = Version(new.facts.version or "")
    except InvalidVersion:
        return
    if old_version > new_version:
        yield f"OLD ({old_version}) is newer than NEW ({new_version})"


def _sort_key(change: FileChange) -> tuple[str, str]:
    return change.path, change.old_path or ""


def pairing_key(path: str, stem: str | None) -> str:
    """The path members pair on. For a wheel whose own folders are ``stem`` (``NAME-VER``,
    :attr:`.ArchiveFacts.wheel_stem`), ``NAME-VER.dist-info/`` becomes ``.dist-info/``,
    ``NAME-VER.data/`` ``.data/`` and its ``NAME-VER-pyX.Y-nspkg.pth`` ``-nspkg.pth``; any
    other path, however alike (``aaa-0.dist-info/``), is its own."""
    if stem is None:
        return path
    for suffix in (".dist-info", ".data"):
        folder = stem + suffix
        if path == folder or path.startswith(folder + "/"):
            return path[len(stem) :]
    nspkg = _VERSIONED_NSPKG_PTH.match(path)
    if nspkg and names_release(nspkg.group(1), *_project_and_version(stem)):
        return "-nspkg.pth"
    return path


def _project_and_version(stem: str) -> tuple[str, str]:
    project, _dash, version = stem.rpartition("-")
    return project, version


def _by_key(members: Sequence[Member], stem: str | None) -> dict[str, Member]:
    """Non-folder members by pairing key; of duplicate names the last wins, as in tar."""
    return {
        pairing_key(member.path, stem): member
        for member in members
        if member.kind != MemberKind.DIR and member.path
    }


def _selected(pair: tuple[Member | None, ...], options: CompareOptions) -> bool:
    return _paths_selected([member.path for member in pair if member is not None], options)


def _paths_selected(paths: Sequence[str], options: CompareOptions) -> bool:
    if options.include and not any(_matches(path, options.include) for path in paths):
        return False
    return not any(_matches(path, options.exclude) for path in paths)


def _matches(path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(path, pattern) for pattern in patterns)


def _find_renames(
    old: Archive, removed: Sequence[Member], new: Archive, added: Sequence[Member], threshold: float
) -> list[tuple[Member, Member, float]]:
    """Pair removed with added members, with their similarity: identical content first.

    Tiny files (see :func:`is_tiny`) are no evidence on their own: they pair only
    with a file of the same base name.
    """
    candidates_old = [m for m in removed if m.kind == MemberKind.FILE]
    candidates_new = [m for m in added if m.kind == MemberKind.FILE]
    tiny = {
        id(member)
        for archive, members in ((old, candidates_old), (new, candidates_new))
        for member in members
        if is_tiny(archive.content(member))
    }
    renames = _identical_pairs(candidates_old, candidates_new, tiny)
    taken = {id(member) for pair in renames for member in pair[:2]}
    unmatched_old = [m for m in candidates_old if id(m) not in taken]
    unmatched_new = [m for m in candidates_new if id(m) not in taken]
    old_text = _text_profiles(old, unmatched_old)
    new_text = _text_profiles(new, unmatched_new)
    renames.extend(_similar_pairs(old_text, new_text, threshold, tiny))
    return renames


def is_tiny(data: bytes | None) -> bool:
    """Too small to show that two files are one: under 3 non-blank lines or 32 bytes of text.

    A file over the per-file limit (no content) is not tiny.
    """
    if data is None:
        return False
    if len(data[:4096].translate(None, b" \t\r\n\x0b\x0c")) >= _TINY_BYTES:
        head = data[:4096].splitlines()
        if sum(1 for line in head if line.strip()) >= 3 or is_binary(data):
            return False
    elif len(data.translate(None, b" \t\r\n\x0b\x0c")) < _TINY_BYTES:
        return True
    return not is_binary(data) and sum(1 for line in data.splitlines() if line.strip()) < 3


def _base_name(member: Member) -> str:
    return member.path.rsplit("/", 1)[-1]


def _closeness(old: Member, new: Member) -> tuple[bool, int]:
    """How alike two paths are, for ranking: same base name, then folders shared from the end."""
    old_parts, new_parts = old.path.split("/"), new.path.split("/")
    shared = 0
    for old_part, new_part in zip(reversed(old_parts), reversed(new_parts), strict=False):
        if old_part != new_part:
            break
        shared += 1
    return old_parts[-1] == new_parts[-1], shared


def _evidence(old: Member, new: Member, tiny: Set[int]) -> bool:
    """A tiny file says nothing about where it went unless its base name stayed."""
    if id(old) in tiny or id(new) in tiny:
        return _base_name(old) == _base_name(new)
    return True


def _identical_pairs(
    old: Sequence[Member], new: Sequence[Member], tiny: Set[int]
) -> list[tuple[Member, Member, float]]:
    """Pairs by identical content; of several candidates the closest path wins.

    Candidates are indexed by content and the last few path parts, so a moved
    tree of thousands of identical files (empty ``__init__.py``) pairs in
    linear time: the most trailing parts in common first, then the same base
    name, then (not for tiny files) any name.
    """
    # Identical content is equally tiny on both sides: only the old side is checked.
    index: defaultdict[tuple[str, tuple[str, ...]], deque[Member]] = defaultdict(deque)
    for member in new:
        parts = tuple(member.path.split("/"))
        for depth in range(_CLOSE_PARTS + 1):
            index[member.sha256, parts[len(parts) - depth :] if depth else ()].append(member)
    used: set[int] = set()
    pairs: list[tuple[Member, Member, float]] = []
    for member in old:
        parts = tuple(member.path.split("/"))
        deepest = 0 if id(member) in tiny else -1
        for depth in range(min(len(parts), _CLOSE_PARTS), deepest, -1):
            key = parts[len(parts) - depth :] if depth else ()
            best = _first_unused(index.get((member.sha256, key)), used)
            if best is not None:
                used.add(id(best))
                pairs.append((member, best, 1.0))
                break
    return pairs


def _first_unused(candidates: deque[Member] | None, used: set[int]) -> Member | None:
    while candidates:
        if id(candidates[0]) not in used:
            return candidates[0]
        candidates.popleft()
    return None


def _text_profiles(archive: Archive, members: Sequence[Member]) -> dict[Member, Counter[bytes]]:
    """Each text member's lines as a multiset, for similarity; files past the diff
    cost bound have none (they still pair by identical content)."""
    profiles: dict[Member, Counter[bytes]] = {}
    for member in members:
        data = archive.content(member)
        if data and not is_binary(data) and data.count(b"\n") <= MAX_DIFF_LINES:
            profiles[member] = Counter(split_lines(data))
    return profiles


def _similar_pairs(
    old: dict[Member, Counter[bytes]],
    new: dict[Member, Counter[bytes]],
    threshold: float,
    tiny: Set[int] = frozenset(),
) -> list[tuple[Member, Member, float]]:
    scored: list[tuple[float, bool, int, str, str, Member, Member]] = []
    for old_member, new_member in _bounded_pairs(old, new, threshold):
        if not _evidence(old_member, new_member, tiny):
            continue
        score = line_similarity(old[old_member], new[new_member])
        if score >= threshold:
            same_name, shared = _closeness(old_member, new_member)
            scored.append(
                (
                    -score,
                    not same_name,
                    -shared,
                    old_member.path,
                    new_member.path,
                    old_member,
                    new_member,
                )
            )
    scored.sort(key=lambda item: item[:5])
    used: set[Member] = set()
    pairs: list[tuple[Member, Member, float]] = []
    for negative_score, *_ranks, old_member, new_member in scored:
        if old_member in used or new_member in used:
            continue
        used.update((old_member, new_member))
        pairs.append((old_member, new_member, -negative_score))
    return pairs


def _bounded_pairs(
    old: dict[Member, Counter[bytes]], new: dict[Member, Counter[bytes]], threshold: float
) -> list[tuple[Member, Member]]:
    """The candidate pairs worth scoring, within the time bound.

    Two files whose line counts alone keep them under the threshold are not
    scored: their similarity is at most 2·min/(sum) of the counts. Past the
    bound only files with the same base name are scored, and past it again only
    the first pairs in path order that fit.
    """
    totals = {member: lines.total() for member, lines in (*old.items(), *new.items())}

    def can_reach(pair: tuple[Member, Member]) -> bool:
        small, large = sorted((totals[pair[0]], totals[pair[1]]))
        return 2 * small >= threshold * (small + large)

    def within_bound(candidates: Iterable[_Candidate]) -> tuple[list[_Candidate], bool]:
        pairs: list[_Candidate] = []
        work = 0
        for pair in filter(can_reach, candidates):
            work += _SCORE_OVERHEAD + min(len(old[pair[0]]), len(new[pair[1]]))
            if work > _MAX_SIMILARITY_WORK:
                return pairs, False
            pairs.append(pair)
        return pairs, True

    old_members, new_members = list(old), list(new)
    pairs, complete = within_bound(_candidate_pairs(old_members, new_members))
    if complete:
        return pairs
    return within_bound(_same_name_pairs(old_members, new_members))[0]


def _candidate_pairs(
    old: Sequence[Member], new: Sequence[Member]
) -> Iterable[tuple[Member, Member]]:
    if len(old) * len(new) <= _MAX_SIMILARITY_PAIRS:
        return ((o, n) for o in old for n in new)
    return _same_name_pairs(old, new)


def _same_name_pairs(
    old: Sequence[Member], new: Sequence[Member]
) -> Iterator[tuple[Member, Member]]:
    by_name: defaultdict[str, list[Member]] = defaultdict(list)
    for member in new:
        by_name[_base_name(member)].append(member)
    return ((o, n) for o in old for n in by_name.get(_base_name(o), ()))


@dataclass(frozen=True, slots=True)
class _Pair:
    """Two paired members (one may be missing) and the archives holding their content."""

    old_archive: Archive
    old: Member | None
    new_archive: Archive
    new: Member | None
    # Set for a pair made by content (a rename): the share of lines in common.
    similarity: float | None

    def old_content(self) -> bytes | None:
        return _content(self.old_archive, self.old)

    def new_content(self) -> bytes | None:
        return _content(self.new_archive, self.new)


def _content(archive: Archive, member: Member | None) -> bytes | None:
    """What a side holds for diffing: empty when absent or a link, None when too large."""
    if member is None or member.kind != MemberKind.FILE:
        return b""
    return archive.content(member)


def _classify(pair: _Pair, options: CompareOptions) -> FileChange | None:
    """The change between two paired members, or None when they are identical.

    A pair made by content is a rename; a versioned folder mapped across
    releases (a wheel's ``.dist-info``) is not.
    """
    status = _status(pair.old, pair.new, pair.similarity)
    if status is None:
        return None
    if status == Status.MODE_CHANGED:
        return _mode_change(pair)
    return _content_change(status, pair, options)


def _status(old: Member | None, new: Member | None, similarity: float | None) -> Status | None:
    if old is None or new is None:
        return Status.ADDED if old is None else Status.REMOVED
    if old.kind != new.kind:
        return Status.TYPE_CHANGED
    same_content = old.sha256 == new.sha256 and old.linkname == new.linkname
    if same_content and similarity is None:
        mode_changed = old.mode is not None and new.mode is not None and old.mode != new.mode
        return Status.MODE_CHANGED if mode_changed else None
    return Status.MODIFIED if similarity is None else Status.RENAMED


def changes_by_status(pairs: Iterable[MemberPair]) -> list[FileChange]:
    """The changes :func:`compare` finds in ``pairs``, in its order, with their members
    and status alone: no content is read, nothing is diffed."""
    changes = [
        FileChange(status, old, new, False, similarity, 0, 0, None, False, 0, "utf-8")
        for old, new, similarity in pairs
        if (status := _status(old, new, similarity)) is not None
    ]
    return sorted(changes, key=_sort_key)


def _mode_change(pair: _Pair) -> FileChange:
    data = pair.old_content()
    return FileChange(
        status=Status.MODE_CHANGED,
        old=pair.old,
        new=pair.new,
        binary=bool(data and is_binary(data)),
        similarity=None,
        insertions=0,
        deletions=0,
        diff=None,
        truncated=False,
        omitted_lines=0,
        encoding="utf-8",
    )


def _content_change(status: Status, pair: _Pair, options: CompareOptions) -> FileChange:
    """Binary is decided first, from the content; then text past the cost bound is
    compared by hash; the rest is diffed."""
    old, new = pair.old, pair.new
    old_data, new_data = pair.old_content(), pair.new_content()
    similarity = pair.similarity
    if old_data is None or new_data is None:
        # Over the per-file limit counts as binary: the content was not read.
        return _undiffed(status, pair, True, _OVER_FILE_LIMIT)
    if is_binary(old_data) or is_binary(new_data):
        return _nul_text_change(status, pair, options, old_data, new_data)
    diff = unified_diff(
        old_data,
        new_data,
        f"a/{old.path}" if old else "/dev/null",
        f"b/{new.path}" if new else "/dev/null",
        context=options.context,
        max_lines=options.max_diff_lines,
    )
    if diff.hashed_only is not None:
        return _undiffed(status, pair, False, diff.hashed_only)
    if similarity is None and old is not None and new is not None and old.path != new.path:
        # A versioned folder mapped across releases: how much of the file moved unchanged.
        similarity = line_similarity(Counter(split_lines(old_data)), Counter(split_lines(new_data)))
    return FileChange(
        status=status,
        old=old,
        new=new,
        binary=False,
        similarity=similarity,
        insertions=diff.insertions,
        deletions=diff.deletions,
        diff=diff.text or None,
        truncated=diff.truncated,
        omitted_lines=diff.omitted_lines,
        encoding=diff.encoding,
        bidi=_changes_bidi(diff.text),
    )


def _nul_text_change(
    status: Status, pair: _Pair, options: CompareOptions, old_data: bytes, new_data: bytes
) -> FileChange:
    """A binary pair, with a diff to read (never in the patch: it is binary) when both sides
    are text that only NUL bytes make binary, each NUL shown as ␀."""
    old_text, new_text = text_with_nuls(old_data), text_with_nuls(new_data)
    if old_text is None or new_text is None:
        return _undiffed(status, pair, True, None)
    old, new = pair.old, pair.new
    diff = unified_diff(
        old_text if old else b"",
        new_text if new else b"",
        f"a/{old.path}" if old else "/dev/null",
        f"b/{new.path}" if new else "/dev/null",
        context=options.context,
        max_lines=options.max_diff_lines,
    )
    if diff.hashed_only is not None or not diff.text:
        return _undiffed(status, pair, True, diff.hashed_only)
    return dataclasses.replace(
        _undiffed(status, pair, True, None),
        insertions=diff.insertions,
        deletions=diff.deletions,
        diff=diff.text,
        truncated=diff.truncated,
        omitted_lines=diff.omitted_lines,
        bidi=_changes_bidi(diff.text),
    )


def _undiffed(status: Status, pair: _Pair, binary: bool, hashed_only: str | None) -> FileChange:
    """A change shown by size and hash: binary, or text past a bound (``hashed_only``)."""
    return FileChange(
        status,
        pair.old,
        pair.new,
        binary,
        pair.similarity,
        0,
        0,
        None,
        False,
        0,
        "utf-8",
        hashed_only,
    )


def _changes_bidi(diff: str) -> bool:
    """Whether an added line holds bidirectional controls (Trojan Source).

    Removing them is no risk: a release that takes them out is not flagged."""
    if not has_bidi(diff):
        return False
    return any(line[:1] == "+" and has_bidi(line) for line in diff.splitlines()[2:])
