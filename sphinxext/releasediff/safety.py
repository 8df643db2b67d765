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
from collections import Counter
from collections.abc import Iterable, Iterator

from .model import Member, MemberKind

__all__ = ["BIDI_CONTROLS", "archive_problems", "has_bidi", "visible"]

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
    if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cf", "Zl", "Zp"):
        return f"<U+{ord(char):04X}>"
    if unicodedata.category(char) == "Cc":
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"<U+{ord(char):04X}>"
    return char


def archive_problems(members: Iterable[Member]) -> tuple[str, ...]:
    """Plain sentences about unsafe or odd members; at most twenty, then a count."""
    members = list(members)
    found = [*_name_problems(members), *_duplicate_problems(members), *_link_problems(members)]
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


def _duplicate_problems(members: Iterable[Member]) -> Iterator[str]:
    counts = Counter(member.path for member in members if member.kind != MemberKind.DIR)
    for path, count in sorted(counts.items()):
        if count > 1:
            yield f"duplicate member ({count} times; the last one is compared): {visible(path)}"


def _link_problems(members: list[Member]) -> Iterator[str]:
    names = {member.name.rstrip("/") for member in members}
    symlinks = {
        member.path: member.linkname for member in members if member.kind == MemberKind.SYMLINK
    }
    for member in members:
        link = f"{visible(member.path)} -> {visible(member.linkname)}"
        if member.kind == MemberKind.SYMLINK:
            if _link_target(member.path, member.linkname) is None:
                yield f"symlink points outside the archive: {link}"
            elif _loops(member.path, symlinks):
                yield f"symlink loop: {link}"
        elif member.kind == MemberKind.HARDLINK and member.linkname.rstrip("/") not in names:
            yield f"hardlink to a member not in the archive: {link}"


def _link_target(path: str, linkname: str) -> str | None:
    """Where a symlink points inside the archive (stripped paths), or None when outside."""
    if linkname.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(path), linkname))
    if target == ".." or target.startswith("../"):
        return None
    return target


def _loops(start: str, symlinks: dict[str, str]) -> bool:
    seen = {start}
    current = start
    for _ in range(_MAX_LINK_HOPS):
        target = _link_target(current, symlinks[current])
        if target is None or target not in symlinks:
            return False
        if target in seen:
            return True
        seen.add(target)
        current = target
    return True
