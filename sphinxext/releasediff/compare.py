"""Pair the members of two archives, classify each pair and diff it.

Pairing follows SPEC "Comparing — the rules": after the top folder is stripped
(done by the reader) and a wheel's versioned ``.dist-info``/``.data`` folders
are mapped onto each other, members pair by path; the rest pair as renames by
identical content, then by line similarity above a threshold.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .api import compare_api
from .metadata import compare_metadata
from .model import Archive, Comparison, FileChange, Member, MemberKind, Status
from .safety import has_bidi
from .textdiff import is_binary, line_similarity, split_lines, unified_diff

__all__ = ["CompareOptions", "compare"]

_VERSIONED_WHEEL_FOLDER = re.compile(r"^[^/]+-[^/-]+\.(dist-info|data)(?=/|$)")
# Files with a line longer than this are compared by hash: diffing them helps no
# reader and a single 50 MB line would flood the report.
MAX_LINE_BYTES = 1 << 16
# Above this many candidate pairs, renames by similarity are only looked for
# between files with the same base name, which keeps a moved tree linear.
_MAX_SIMILARITY_PAIRS = 40_000


@dataclass(frozen=True, slots=True)
class CompareOptions:
    context: int = 3
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rename_threshold: float = 0.5
    max_diff_lines: int = 0
    # Compare the public API (parses every module of both releases: the costly part).
    api: bool = True


def compare(old: Archive, new: Archive, options: CompareOptions | None = None) -> Comparison:
    options = options or CompareOptions()
    old_files = _by_key(old.members, old.facts.kind)
    new_files = _by_key(new.members, new.facts.kind)
    same_key = [(old_files[k], new_files[k]) for k in sorted(old_files.keys() & new_files.keys())]
    removed = [old_files[key] for key in sorted(old_files.keys() - new_files.keys())]
    added = [new_files[key] for key in sorted(new_files.keys() - old_files.keys())]
    renames = _find_renames(old, removed, new, added, options.rename_threshold)
    renamed_old = {id(rename[0]) for rename in renames}
    renamed_new = {id(rename[1]) for rename in renames}
    # (old, new, similarity): the similarity is None unless the pair is a rename.
    pairs: list[tuple[Member | None, Member | None, float | None]] = [
        (o, n, None) for o, n in same_key
    ]
    pairs.extend(renames)
    pairs.extend((m, None, None) for m in removed if id(m) not in renamed_old)
    pairs.extend((None, m, None) for m in added if id(m) not in renamed_new)
    selected = [pair for pair in pairs if _selected(pair[:2], options)]
    changes = [_classify(_Pair(old, o, new, n, similar), options) for o, n, similar in selected]
    moved = tuple(
        (o, n)
        for (o, n, _), change in zip(selected, changes, strict=True)
        if change is None and o is not None and n is not None and o.path != n.path
    )
    api, api_notes = compare_api(old, new) if options.api else (None, ())
    return Comparison(
        old=old.facts,
        new=new.facts,
        files=tuple(sorted((c for c in changes if c), key=_sort_key)),
        identical=sum(1 for change in changes if change is None),
        moved=moved,
        metadata=tuple(compare_metadata(old, new)),
        old_members=old.members,
        new_members=new.members,
        context=options.context,
        warnings=tuple(_pair_warnings(old, new)),
        api=api,
        api_notes=api_notes,
    )


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


def pairing_key(path: str, kind: str) -> str:
    """The path members pair on: a wheel's ``NAME-VER.dist-info/`` becomes ``.dist-info/``."""
    if kind == "wheel":
        return _VERSIONED_WHEEL_FOLDER.sub(lambda match: "." + match.group(1), path)
    return path


def _by_key(members: Sequence[Member], kind: str) -> dict[str, Member]:
    """Non-folder members by pairing key; of duplicate names the last wins, as in tar."""
    return {
        pairing_key(member.path, kind): member
        for member in members
        if member.kind != MemberKind.DIR and member.path
    }


def _selected(pair: tuple[Member | None, ...], options: CompareOptions) -> bool:
    paths = [member.path for member in pair if member is not None]
    if options.include and not any(_matches(path, options.include) for path in paths):
        return False
    return not any(_matches(path, options.exclude) for path in paths)


def _matches(path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(path, pattern) for pattern in patterns)


def _find_renames(
    old: Archive, removed: Sequence[Member], new: Archive, added: Sequence[Member], threshold: float
) -> list[tuple[Member, Member, float]]:
    """Pair removed with added members, with their similarity: identical content first."""
    renames: list[tuple[Member, Member, float]] = []
    candidates_old = [m for m in removed if m.kind == MemberKind.FILE]
    candidates_new = [m for m in added if m.kind == MemberKind.FILE]
    by_hash: defaultdict[str, list[Member]] = defaultdict(list)
    for member in candidates_new:
        by_hash[member.sha256].append(member)
    unmatched_old: list[Member] = []
    for member in candidates_old:
        same = by_hash.get(member.sha256)
        if same:
            renames.append((member, same.pop(0), 1.0))
        else:
            unmatched_old.append(member)
    taken = {id(pair[1]) for pair in renames}
    unmatched_new = [m for m in candidates_new if id(m) not in taken]
    old_text = _text_profiles(old, unmatched_old)
    new_text = _text_profiles(new, unmatched_new)
    renames.extend(_similar_pairs(old_text, new_text, threshold))
    return renames


def _text_profiles(archive: Archive, members: Sequence[Member]) -> dict[Member, Counter[bytes]]:
    """Each text member's lines as a multiset, for similarity."""
    profiles: dict[Member, Counter[bytes]] = {}
    for member in members:
        data = archive.content(member)
        if data and not is_binary(data):
            profiles[member] = Counter(split_lines(data))
    return profiles


def _similar_pairs(
    old: dict[Member, Counter[bytes]], new: dict[Member, Counter[bytes]], threshold: float
) -> list[tuple[Member, Member, float]]:
    scored: list[tuple[float, str, str, Member, Member]] = []
    for old_member, new_member in _candidate_pairs(list(old), list(new)):
        score = line_similarity(old[old_member], new[new_member])
        if score >= threshold:
            scored.append((-score, old_member.path, new_member.path, old_member, new_member))
    scored.sort(key=lambda item: item[:3])
    used: set[Member] = set()
    pairs: list[tuple[Member, Member, float]] = []
    for negative_score, _old_path, _new_path, old_member, new_member in scored:
        if old_member in used or new_member in used:
            continue
        used.update((old_member, new_member))
        pairs.append((old_member, new_member, -negative_score))
    return pairs


def _candidate_pairs(
    old: Sequence[Member], new: Sequence[Member]
) -> Iterable[tuple[Member, Member]]:
    if len(old) * len(new) <= _MAX_SIMILARITY_PAIRS:
        return ((o, n) for o in old for n in new)
    by_name: defaultdict[str, list[Member]] = defaultdict(list)
    for member in new:
        by_name[member.path.rsplit("/", 1)[-1]].append(member)
    return ((o, n) for o in old for n in by_name.get(o.path.rsplit("/", 1)[-1], ()))


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
    old, new = pair.old, pair.new
    if old is None or new is None:
        return _content_change(Status.ADDED if old is None else Status.REMOVED, pair, options)
    if old.kind != new.kind:
        return _content_change(Status.TYPE_CHANGED, pair, options)
    same_content = old.sha256 == new.sha256 and old.linkname == new.linkname
    if same_content and pair.similarity is None:
        mode_changed = old.mode is not None and new.mode is not None and old.mode != new.mode
        return _mode_change(pair, old, new) if mode_changed else None
    status = Status.MODIFIED if pair.similarity is None else Status.RENAMED
    return _content_change(status, pair, options)


def _mode_change(pair: _Pair, old: Member, new: Member) -> FileChange:
    data = pair.old_content()
    return FileChange(
        status=Status.MODE_CHANGED,
        old=old,
        new=new,
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
    old, new = pair.old, pair.new
    old_data, new_data = pair.old_content(), pair.new_content()
    similarity = pair.similarity
    hashed_only = _hash_only_reason(old_data, new_data)
    if hashed_only is not None or old_data is None or new_data is None:
        # Over the per-file limit counts as binary; a text file with a long line does not.
        binary = old_data is None or new_data is None
        return FileChange(
            status, old, new, binary, similarity, 0, 0, None, False, 0, "utf-8", hashed_only
        )
    if is_binary(old_data) or is_binary(new_data):
        return FileChange(status, old, new, True, similarity, 0, 0, None, False, 0, "utf-8")
    diff = unified_diff(
        old_data,
        new_data,
        f"a/{old.path}" if old else "/dev/null",
        f"b/{new.path}" if new else "/dev/null",
        context=options.context,
        max_lines=options.max_diff_lines,
    )
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


def _hash_only_reason(old_data: bytes | None, new_data: bytes | None) -> str | None:
    """Why a pair is compared by size and sha256 only, if it is."""
    if old_data is None or new_data is None:
        return "over the per-file size limit"
    if _longest_line(old_data) > MAX_LINE_BYTES or _longest_line(new_data) > MAX_LINE_BYTES:
        return f"a line is longer than {MAX_LINE_BYTES:,} bytes (minified or generated)"
    return None


def _longest_line(data: bytes) -> int:
    if len(data) <= MAX_LINE_BYTES:
        return len(data)
    return max(len(line) for line in data.split(b"\n"))


def _changes_bidi(diff: str) -> bool:
    """Whether an added or removed line holds bidirectional controls (Trojan Source)."""
    if not has_bidi(diff):
        return False
    return any(line[:1] in "+-" and has_bidi(line) for line in diff.splitlines()[2:])
