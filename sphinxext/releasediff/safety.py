"""What is unsafe in an archive, and text made safe to show.

Archives are untrusted. Member names and file contents may hold terminal escape
sequences, or bidirectional controls that make code read differently from how
it runs (CVE-2021-42574, "Trojan Source"). Nothing here is executed or
extracted; this module only labels such things and makes them visible.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from .model import Member, MemberKind

__all__ = ["BIDI_CONTROLS", "archive_problems", "canonical_path", "has_bidi", "visible"]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI_SORTED = tuple(sorted(BIDI_CONTROLS))
# Cc, Zl, Zp and the Cf (format) characters of Unicode 15, as a regex class.
_HIDDEN_CLASS = (
    "\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff"  # lone surrogates: names decoded with surrogateescape
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# The characters of the unsafe names that are not absolute and hold no '..'.
_UNSAFE_CHARACTER = re.compile(r"[\\\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
_MAX_PROBLEMS = 20
_MAX_LINK_HOPS = 40
_MAX_SHOWN = 200


def has_bidi(text: str) -> bool:
    # isascii() is a flag of the string, not a scan: most diffs end here. Otherwise a
    # search for each control is three times faster than one for the class of them.
    return not text.isascii() and any(control in text for control in _BIDI_SORTED)


def visible(text: str, keep: str = "") -> str:
    """``text`` with control, format and bidirectional characters shown as escapes.

    Characters in ``keep`` (a diff keeps ``\\n`` and ``\\t``) are left alone; a
    carriage return shows as ``␍`` so line endings stay visible.
    """
    if text.isascii() and _ascii_hidden(keep).search(text) is None:
        return text  # the usual case, found by a pattern of 33 characters, not thousands
    return _hidden(keep).sub(lambda match: _visible_char(match.group(), keep), text)


@functools.cache
def _ascii_hidden(keep: str) -> re.Pattern[str]:
    """The ASCII characters of :func:`_hidden`'s class: the C0 controls and DEL."""
    kept = "".join(re.escape(char) for char in keep)
    return re.compile(f"(?![{kept}])[\x00-\x1f\x7f]" if kept else "[\x00-\x1f\x7f]")


@functools.cache
def _hidden(keep: str) -> re.Pattern[str]:
    """Control characters, line and paragraph separators and Unicode format (Cf)
    characters, bidirectional controls among them, less those in ``keep``."""
    kept = "".join(re.escape(char) for char in keep)
    return re.compile(f"(?![{kept}])[{_HIDDEN_CLASS}]" if kept else f"[{_HIDDEN_CLASS}]")


def _visible_char(char: str, keep: str) -> str:
    if char in keep:
        return char
    if char == "\r":
        return "\u240d"
    if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cf", "Zl", "Zp", "Cs"):
        return f"<U+{ord(char):04X}>"
    if unicodedata.category(char) == "Cc":
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"<U+{ord(char):04X}>"
    return char


def _shown(name: str) -> str:
    """A name in a problem's sentence: visible, and cut short when very long."""
    if len(name) > _MAX_SHOWN:
        return visible(name[:_MAX_SHOWN]) + f"… ({len(name):,} characters)"
    return visible(name)


def canonical_path(name: str) -> str:
    """Where a member name lands on extraction, as posixpath resolves it.

    Leading ``/``, ``./``, empty and ``.`` components and a trailing ``/`` go, and
    ``a/../b`` is ``b``; ``..`` that climbs above the top stays. The archive's
    root itself is ``""``.
    """
    path = posixpath.normpath(name.lstrip("/"))
    return "" if path == "." else path


def archive_problems(members: Iterable[Member], notes: Iterable[str] = ()) -> tuple[str, ...]:
    """Plain sentences about unsafe or odd members; at most twenty, then a count.

    ``notes`` are what the reader found that members do not show (a zip entry's
    mode, a folder entry holding data); they come after the name problems.
    """
    members = list(members)
    found = [
        *_name_problems(members),
        *notes,
        *_duplicate_problems(members),
        *_file_and_folder_problems(members),
        *_case_problems(members),
        *_windows_problems(members),
        *_link_problems(members),
        *_written_through_links(members),
    ]
    found.extend(
        f"special file ({member.kind}): {_shown(member.name)}"
        for member in members
        if member.kind == MemberKind.OTHER
    )
    if len(found) > _MAX_PROBLEMS:
        more = len(found) - _MAX_PROBLEMS
        found = [*found[:_MAX_PROBLEMS], f"… and {more:,} more"]
    return tuple(found)


def _name_problems(members: Iterable[Member]) -> Iterator[str]:
    for member in members:
        reasons = _unsafe_name_reasons(member.name)
        if reasons:
            yield f"unsafe member name ({', '.join(reasons)}): {_shown(member.name)}"
        elif member.kind != MemberKind.DIR and not member.path:
            root = _shown(member.name)
            yield f"a file named as the archive's root, which no installer can write: {root}"


def _unsafe_name_reasons(name: str) -> list[str]:
    maybe_absolute = name.startswith("/") or name[1:2] == ":"
    if not maybe_absolute and ".." not in name and not _UNSAFE_CHARACTER.search(name):
        return []  # most names, in one search
    reasons = []
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        reasons.append("absolute path")
    if ".." in name.replace("\\", "/").split("/"):
        reasons.append("'..'")
    if "\\" in name:
        reasons.append("backslash")
    if "\x00" in name:
        reasons.append("NUL")
    if _CONTROL.search(name):
        reasons.append("control characters")
    if has_bidi(name):
        reasons.append("bidirectional controls")
    return reasons


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"'{_shown(name)}'" for name in names)


def _duplicate_problems(members: Iterable[Member]) -> Iterator[str]:
    """Members that land on one path: extraction writes each in turn, so the last stays."""
    files = [member for member in members if member.kind != MemberKind.DIR]
    if len({member.path for member in files}) == len(files):
        return
    by_path: defaultdict[str, list[Member]] = defaultdict(list)
    for member in files:
        by_path[member.path].append(member)
    for path, copies in sorted(by_path.items()):
        if len(copies) > 1:
            yield (
                f"duplicate member ({len(copies)} times; the last one is compared, "
                f"as an installer would keep it): {_shown(path)} "
                f"(stored as {_quoted(member.name for member in copies)}; "
                f"kept: #{len(copies)} '{_shown(copies[-1].name)}')"
            )


def _file_and_folder_problems(members: Iterable[Member]) -> Iterator[str]:
    """A path that is both a file and a folder (``a`` and ``a/``): extraction fails."""
    folders: set[str] = set()
    files: set[str] = set()
    for member in members:
        if member.kind == MemberKind.DIR:
            folders.add(member.path)
        elif member.kind != MemberKind.SYMLINK:  # a link to a folder may hold members
            files.add(member.path)
        parent = member.path
        while "/" in parent:
            parent = parent.rsplit("/", 1)[0]
            if parent in folders:
                break
            folders.add(parent)
    for path in sorted(files & folders):
        if path:
            yield f"both a file and a folder (an installer fails on it): {_shown(path)}"


def _case_problems(members: Iterable[Member]) -> Iterator[str]:
    """Paths that a case-insensitive file system (Windows, macOS) takes for one, and
    those macOS takes for one for their Unicode normalisation (NFC and NFD)."""
    why = "names that differ only by case or Unicode normalisation (one file on macOS or Windows)"
    yield from _written_as_one(members, _folded, why)


def _windows_problems(members: Sequence[Member]) -> Iterator[str]:
    """Paths Windows takes for one because it drops a name's trailing dots and spaces
    (``__init__.py.`` is written over ``__init__.py``)."""
    why = (
        "names that differ only by trailing dots or spaces (one file on Windows, which drops them)"
    )
    # Without such a name every path is its own spelling: nothing to group (on Django's
    # sdist the grouping was half of this module's time).
    if any(_ENDS_IN_DOT_OR_SPACE.search(member.path) for member in members):
        yield from _written_as_one(members, _without_trailing_dots, why)


def _written_as_one(
    members: Iterable[Member], spelling: Callable[[str], str], why: str
) -> Iterator[str]:
    """The paths a file system writes as one file, as it spells them, each group once."""
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    for path in {member.path for member in members if member.path}:
        spellings[spelling(path)].add(path)
    for _spelling, paths in sorted(spellings.items()):
        if len(paths) > 1:
            yield f"{why}: {', '.join(_shown(path) for path in sorted(paths))}"


# A part of a path that ends in a dot or a space.
_ENDS_IN_DOT_OR_SPACE = re.compile(r"[. ](?:/|$)")


def _without_trailing_dots(path: str) -> str:
    return "/".join(part.rstrip(". ") for part in path.split("/"))


def _folded(path: str) -> str:
    """The spelling case-insensitive, normalising file systems take ``path`` for."""
    if path.isascii():  # casefold is lower, and NFD changes nothing
        return path.lower()
    return unicodedata.normalize("NFD", path.casefold())


def _link_problems(members: list[Member]) -> Iterator[str]:
    """Symlinks judged by where they resolve in the extracted tree, following the
    other links (a link to ``.``, or through another link), not by their text."""
    symlinks = {
        member.path: member.linkname for member in members if member.kind == MemberKind.SYMLINK
    }
    first_index: dict[str, int] = {}
    if any(member.kind == MemberKind.HARDLINK for member in members):
        for index, member in enumerate(members):
            first_index.setdefault(canonical_path(member.name), index)
    budget = _Steps()
    for index, member in enumerate(members):
        if member.kind not in (MemberKind.SYMLINK, MemberKind.HARDLINK):
            continue
        link = f"{_shown(member.path)} -> {_shown(member.linkname)}"
        if member.kind == MemberKind.SYMLINK:
            where, _landing = _resolve(
                posixpath.join(posixpath.dirname(member.path), member.linkname), symlinks, budget
            )
            if where == _OUTSIDE:
                yield f"symlink points outside the archive: {link}"
            elif where == _LOOP:
                yield f"symlink loop: {link}"
            elif where == _UNJUDGED:
                yield f"symlink not judged (too many links to follow in this archive): {link}"
        elif member.kind == MemberKind.HARDLINK:
            # tar extraction links to a member stored before the link, by canonical name.
            target = first_index.get(canonical_path(member.linkname))
            if target is None:
                yield f"hardlink to a member not in the archive: {link}"
            elif target > index:
                yield f"hardlink to a member stored after it (extraction fails): {link}"


def _written_through_links(members: Iterable[Member]) -> Iterator[str]:
    """Members that extraction writes through a symlink stored before them: a file
    over a link writes the link's target, and a folder that is a link moves all
    it holds (``d -> .`` makes ``d/setup.py`` land on ``setup.py``)."""
    earlier: dict[str, str] = {}
    budget = _Steps()
    for member in members:
        if earlier and member.path:
            over_a_link = member.kind == MemberKind.FILE and member.path in earlier
            route = member.path if over_a_link else posixpath.dirname(member.path)
            if route and _passes_a_link(route, earlier):
                where, landing = _resolve(route, earlier, budget)
                if not over_a_link:
                    landing = posixpath.join(landing, posixpath.basename(member.path))
                yield _through_link_text(member, where, landing)
        if member.kind == MemberKind.SYMLINK:
            earlier[member.path] = member.linkname


def _passes_a_link(path: str, links: dict[str, str]) -> bool:
    prefix = ""
    for part in path.split("/"):
        prefix = f"{prefix}/{part}" if prefix else part
        if prefix in links:
            return True
    return False


def _through_link_text(member: Member, where: str, landing: str) -> str:
    path = _shown(member.path)
    if where == _OUTSIDE:
        return f"member written outside the archive through a symlink: {path}"
    if where == _LOOP:
        return f"member written through a symlink loop: {path}"
    if where == _UNJUDGED:
        return f"member written through a symlink, not followed (too many links): {path}"
    return f"member written through a symlink, landing on {_shown(landing) or './'}: {path}"


_INSIDE, _OUTSIDE, _LOOP, _UNJUDGED = "inside", "outside", "loop", "unjudged"
# What one resolution may take before it counts as a loop (Linux gives up after 40
# links, or a path of 4,096 bytes), and what all of an archive's may take.
_MAX_STEPS = 4096
_MAX_ARCHIVE_STEPS = 1_000_000


class _Steps:
    """The path components an archive's link checks may still walk: a few links that
    expand into each other must not make a check take minutes."""

    def __init__(self) -> None:
        self.left = _MAX_ARCHIVE_STEPS


def _resolve(path: str, symlinks: dict[str, str], budget: _Steps) -> tuple[str, str]:
    """Where ``path`` leads from the archive's root, following ``symlinks`` (path to
    target) at every component: inside (and the path reached), outside, a loop, or
    unjudged once the archive's budget of steps is spent."""
    if path.startswith("/"):
        return _OUTSIDE, ""
    resolved: list[str] = []  # each entry is the whole path reached so far
    pending = path.split("/")[::-1]
    hops = steps = 0
    while pending:
        part = pending.pop()
        steps += 1
        if steps > _MAX_STEPS:
            return _LOOP, ""
        budget.left -= 1
        if budget.left < 0:
            return _UNJUDGED, ""
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return _OUTSIDE, ""
            resolved.pop()
            continue
        reached = f"{resolved[-1]}/{part}" if resolved else part
        target = symlinks.get(reached)
        if target is None:
            resolved.append(reached)
            continue
        hops += 1
        if hops > _MAX_LINK_HOPS:
            return _LOOP, ""
        if target.startswith("/"):
            return _OUTSIDE, ""
        pending.extend(target.split("/")[::-1])
    return _INSIDE, resolved[-1] if resolved else ""
