"""The ``tar -tv`` style member listings of both archives, as a unified diff.

Mode, owner, group, size, mtime and link targets are compared here, member by
member (SPEC: "compared in the listing, not reported as content changes").
Names are shown with control and bidi characters made visible, so one member
is always one line.
"""

from __future__ import annotations

import math
import time

from .model import Comparison, Member, MemberKind
from .safety import visible
from .textdiff import unified_diff

__all__ = ["format_mtime", "listing_diff", "listing_line"]

_KIND_MARK = {
    MemberKind.DIR: "d",
    MemberKind.SYMLINK: "l",
    MemberKind.HARDLINK: "h",
    MemberKind.OTHER: "?",
}
# time.gmtime covers this range on every platform Python supports.
_LATEST = 253402300799  # 9999-12-31 23:59:59 UTC


def format_mtime(mtime: float | None) -> str:
    """A member's time as ``YYYY-MM-DD HH:MM:SS``, or words for one that cannot be shown."""
    if mtime is None:
        return "?"
    if math.isnan(mtime) or math.isinf(mtime):
        return f"(invalid: {mtime})"
    if not -62135596800 <= mtime <= _LATEST:
        return f"(out of range: {mtime:.0f})"
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(mtime))
    except (OverflowError, OSError, ValueError):
        return f"(out of range: {mtime:.0f})"


def listing_line(member: Member) -> str:
    """Type and mode, owner/group, size, mtime, name (and link target)."""
    kind = _KIND_MARK.get(member.kind, "-")
    owner = visible(_account(member.uname, member.uid))
    group = visible(_account(member.gname, member.gid))
    target = f" -> {visible(member.linkname)}" if member.linkname else ""
    suffix = "/" if member.kind == MemberKind.DIR else ""
    path = f"{visible(member.path)}{suffix}" if member.path else "./"
    when = (
        f"invalid ({visible(member.mtime_invalid)})"
        if member.mtime_invalid
        else format_mtime(member.mtime)
    )
    return (
        f"{kind}{_permissions(member.mode)} {owner}/{group} {member.size:>10} {when} {path}{target}"
    )


def listing_diff(comparison: Comparison) -> str:
    """Both listings, sorted by path, as a unified diff ("" when they are the same)."""

    def listing(members: tuple[Member, ...]) -> bytes:
        lines = (listing_line(m) + "\n" for m in sorted(members, key=_by_path))
        return "".join(lines).encode("utf-8", "surrogateescape")

    return unified_diff(
        listing(comparison.old_members),
        listing(comparison.new_members),
        f"a/{visible(comparison.old.filename)}",
        f"b/{visible(comparison.new.filename)}",
        context=comparison.context,
    ).text


def _by_path(member: Member) -> tuple[str, str]:
    return member.path, member.name


def _account(name: str, number: int | None) -> str:
    if name:
        return name
    return "?" if number is None else str(number)


def _permissions(mode: int | None) -> str:
    if mode is None:
        return "?????????"
    marks = "rwxrwxrwx"
    return "".join(mark if mode & (1 << (8 - i)) else "-" for i, mark in enumerate(marks))
