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
from collections.abc import Iterable, Iterator

from .model import Member, MemberKind

__all__ = ["BIDI_CONTROLS", "archive_problems", "canonical_path", "has_bidi", "visible"]

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
# Cc, Zl, Zp and the Cf (format) characters of Unicode 15, as a regex class.
_HIDDEN_CLASS = (
    "\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff"  # lone surrogates: names decoded with surrogateescape
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_MAX_PROBLEMS = 20
_MAX_LINK_HOPS = 40


def has_bidi(text: str) -> bool:
    return _BIDI.search(text) is not None


def visible(text: str, keep: str = "") -> str:
    """``text`` with control, format and bidirectional characters shown as escapes.

    Characters in ``keep`` (a diff keeps ``\\n`` and ``\\t``) are left alone; a
    carriage return shows as ``␍`` so line endings stay visible.
    """
    return _hidden(keep).sub(lambda match: _visible_char(match.group(), keep), text)


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
        *_link_problems(members),
        *_written_through_links(members),
    ]
    found.extend(
        f"special file ({member.kind}): {visible(member.name)}"
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
            yield f"unsafe member name ({', '.join(reasons)}): {visible(member.name)}"
        elif member.kind != MemberKind.DIR and not member.path:
            root = visible(member.name)
            yield f"a file named as the archive's root, which no installer can write: {root}"


def _unsafe_name_reasons(name: str) -> list[str]:
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
    return ", ".join(f"'{visible(name)}'" for name in names)


def _duplicate_problems(members: Iterable[Member]) -> Iterator[str]:
    """Members that land on one path: extraction writes each in turn, so the last stays."""
    by_path: defaultdict[str, list[Member]] = defaultdict(list)
    for member in members:
        if member.kind != MemberKind.DIR:
            by_path[member.path].append(member)
    for path, copies in sorted(by_path.items()):
        if len(copies) > 1:
            yield (
                f"duplicate member ({len(copies)} times; the last one is compared, "
                f"as an installer would keep it): {visible(path)} "
                f"(stored as {_quoted(member.name for member in copies)}; "
                f"kept: #{len(copies)} '{visible(copies[-1].name)}')"
            )


def _file_and_folder_problems(members: Iterable[Member]) -> Iterator[str]:
    """A path that is both a file and a folder (``a`` and ``a/``): extraction fails."""
    kinds: defaultdict[str, set[bool]] = defaultdict(set)
    for member in members:
        if member.kind != MemberKind.SYMLINK:  # a link to a folder may hold members
            kinds[member.path].add(member.kind == MemberKind.DIR)
        parent = member.path
        while "/" in parent:
            parent = parent.rsplit("/", 1)[0]
            if True in kinds[parent]:
                break
            kinds[parent].add(True)
    for path, is_dir in sorted(kinds.items()):
        if len(is_dir) > 1 and path:
            yield f"both a file and a folder (an installer fails on it): {visible(path)}"


def _case_problems(members: Iterable[Member]) -> Iterator[str]:
    """Paths that a case-insensitive file system (Windows, macOS) takes for one, and
    those macOS takes for one for their Unicode normalisation (NFC and NFD)."""
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    for member in members:
        if member.path:
            spellings[unicodedata.normalize("NFD", member.path.casefold())].add(member.path)
    for _folded, paths in sorted(spellings.items()):
        if len(paths) > 1:
            yield (
                "names that differ only by case or Unicode normalisation (one file on "
                f"macOS or Windows): {', '.join(visible(path) for path in sorted(paths))}"
            )


def _link_problems(members: list[Member]) -> Iterator[str]:
    """Symlinks judged by where they resolve in the extracted tree, following the
    other links (a link to ``.``, or through another link), not by their text."""
    symlinks = {
        member.path: member.linkname for member in members if member.kind == MemberKind.SYMLINK
    }
    for index, member in enumerate(members):
        link = f"{visible(member.path)} -> {visible(member.linkname)}"
        if member.kind == MemberKind.SYMLINK:
            where, _landing = _resolve(
                posixpath.join(posixpath.dirname(member.path), member.linkname), symlinks
            )
            if where == _OUTSIDE:
                yield f"symlink points outside the archive: {link}"
            elif where == _LOOP:
                yield f"symlink loop: {link}"
        elif member.kind == MemberKind.HARDLINK:
            yield from _hardlink_problem(member, index, members, link)


def _hardlink_problem(
    member: Member, index: int, members: list[Member], link: str
) -> Iterator[str]:
    """tar extraction links to a member stored before the link, found by canonical name."""
    target = canonical_path(member.linkname)
    if any(canonical_path(other.name) == target for other in members[:index]):
        return
    if any(canonical_path(other.name) == target for other in members[index + 1 :]):
        yield f"hardlink to a member stored after it (extraction fails): {link}"
    else:
        yield f"hardlink to a member not in the archive: {link}"


def _written_through_links(members: Iterable[Member]) -> Iterator[str]:
    """Members that extraction writes through a symlink stored before them: a file
    over a link writes the link's target, and a folder that is a link moves all
    it holds (``d -> .`` makes ``d/setup.py`` land on ``setup.py``)."""
    earlier: dict[str, str] = {}
    for member in members:
        if earlier and member.path:
            over_a_link = member.kind == MemberKind.FILE and member.path in earlier
            route = member.path if over_a_link else posixpath.dirname(member.path)
            if route and _passes_a_link(route, earlier):
                where, landing = _resolve(route, earlier)
                if not over_a_link:
                    landing = posixpath.join(landing, posixpath.basename(member.path))
                yield _through_link_text(member, where, landing)
        if member.kind == MemberKind.SYMLINK:
            earlier[member.path] = member.linkname


def _passes_a_link(path: str, links: dict[str, str]) -> bool:
    parts = path.split("/")
    return any("/".join(parts[:depth]) in links for depth in range(1, len(parts) + 1))


def _through_link_text(member: Member, where: str, landing: str) -> str:
    path = visible(member.path)
    if where == _OUTSIDE:
        return f"member written outside the archive through a symlink: {path}"
    if where == _LOOP:
        return f"member written through a symlink loop: {path}"
    return f"member written through a symlink, landing on {visible(landing) or './'}: {path}"


_INSIDE, _OUTSIDE, _LOOP = "inside", "outside", "loop"


def _resolve(path: str, symlinks: dict[str, str]) -> tuple[str, str]:
    """Where ``path`` leads from the archive's root, following ``symlinks`` (path to
    target) at every component: inside (and the path reached), outside, or a loop."""
    if path.startswith("/"):
        return _OUTSIDE, ""
    resolved: list[str] = []
    pending = path.split("/")[::-1]
    hops = 0
    while pending:
        part = pending.pop()
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return _OUTSIDE, ""
            resolved.pop()
            continue
        resolved.append(part)
        target = symlinks.get("/".join(resolved))
        if target is None:
            continue
        hops += 1
        if hops > _MAX_LINK_HOPS:
            return _LOOP, ""
        resolved.pop()
        if target.startswith("/"):
            return _OUTSIDE, ""
        pending.extend(target.split("/")[::-1])
    return _INSIDE, "/".join(resolved)
