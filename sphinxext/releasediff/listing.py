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
    """Both listings, sorted by path, as a unified diff ("" when they are the same).

    A member on both sides whose line changed shows its old line right above its
    new one, so that a mode or owner change is seen at its path, even when every
    mtime changed (a plain diff of the two listings gives all the old lines,
    then all the new ones).
    """
    lines = _paired(
        sorted(comparison.old_members, key=_by_path), sorted(comparison.new_members, key=_by_path)
    )
    if all(mark == " " for mark, _line in lines):
        return ""
    header = f"--- a/{visible(comparison.old.filename)}\n+++ b/{visible(comparison.new.filename)}\n"
    return header + "".join(_hunks(lines, comparison.context))


def _paired(old: list[Member], new: list[Member]) -> list[tuple[str, str]]:
    """(" " | "-" | "+", line) for each member of the merged listings, by path."""
    lines: list[tuple[str, str]] = []
    old_at = new_at = 0
    while old_at < len(old) and new_at < len(new):
        before, after = old[old_at], new[new_at]
        # Paired by path (the versioned top folder stripped), in order among copies.
        if before.path < after.path:
            lines.append(("-", listing_line(before)))
            old_at += 1
        elif after.path < before.path:
            lines.append(("+", listing_line(after)))
            new_at += 1
        else:
            lines.extend(_member_lines(listing_line(before), listing_line(after)))
            old_at, new_at = old_at + 1, new_at + 1
    lines.extend(("-", listing_line(member)) for member in old[old_at:])
    lines.extend(("+", listing_line(member)) for member in new[new_at:])
    return lines


def _member_lines(before: str, after: str) -> list[tuple[str, str]]:
    return [(" ", before)] if before == after else [("-", before), ("+", after)]


def _hunks(lines: list[tuple[str, str]], context: int) -> list[str]:
    """Unified hunks of the marked lines, ``context`` unchanged lines around each change."""
    changed = [index for index, (mark, _line) in enumerate(lines) if mark != " "]
    spans: list[list[int]] = []
    for index in changed:
        if spans and index - spans[-1][1] <= 2 * context + 1:
            spans[-1][1] = index
        else:
            spans.append([index, index])
    # Lines of each side before each index, counted once (a sum per hunk is quadratic).
    old_before, new_before = [0], [0]
    for mark, _line in lines:
        old_before.append(old_before[-1] + (mark != "+"))
        new_before.append(new_before[-1] + (mark != "-"))
    out = []
    for first, last in spans:
        start, end = max(0, first - context), min(len(lines), last + context + 1)
        old_range = _range(old_before[start], old_before[end] - old_before[start])
        new_range = _range(new_before[start], new_before[end] - new_before[start])
        out.append(f"@@ -{old_range} +{new_range} @@\n")
        out.extend(f"{mark}{line}\n" for mark, line in lines[start:end])
    return out


def _range(before: int, count: int) -> str:
    """A hunk's range as diff writes it: ``3`` for one line, ``2,0`` for none (after line 2)."""
    if count == 1:
        return str(before + 1)
    return f"{before + 1 if count else before},{count}"


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
