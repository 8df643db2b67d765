"""One git-style patch that ``patch -p1`` applies inside the old tree (top folder stripped).

Binary files, links and files over the size limit cannot travel in a text
patch; they are listed in comment lines before the first ``diff --git``,
which ``patch`` ignores.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from ..model import Comparison, FileChange, Member, MemberKind, Status

__all__ = ["render_patch"]

_REGULAR = 0o100000
# git's object ids for "no file" and for the empty blob. GNU patch needs an
# ``index`` line to create or delete an empty file, which has no hunk.
_NO_BLOB = "0000000"
_EMPTY_BLOB = "e69de29"


def render_patch(comparison: Comparison) -> bytes:
    """The patch as bytes: each file's part in its own encoding, so bytes round-trip."""
    skipped = [change for change in comparison.files if not _fits(change)]
    parts = [f"# not in this patch ({_why_not(c)}): {c.path}\n".encode() for c in skipped]
    for change in sorted(comparison.files, key=_apply_order):
        if _fits(change):
            parts.append("".join(_file_patch(change)).encode(change.encoding))
    for old, new in comparison.moved:
        parts.append(_move(old, new).encode())
    return b"".join(parts)


def _move(old: Member, new: Member) -> str:
    """An unchanged file whose versioned folder was renamed (a wheel's .dist-info)."""
    return (
        f"diff --git a/{old.path} b/{new.path}\n"
        f"similarity index 100%\nrename from {old.path}\nrename to {new.path}\n"
    )


def _apply_order(change: FileChange) -> tuple[int, str]:
    """Removals first, so a path freed by one can be taken by another."""
    return (0 if change.status == Status.REMOVED else 1, change.path)


def _fits(change: FileChange) -> bool:
    members = [m for m in (change.old, change.new) if m is not None]
    return not change.binary and all(m.kind == MemberKind.FILE for m in members)


def _why_not(change: FileChange) -> str:
    return "binary" if change.binary else "not a regular file"


def _file_patch(change: FileChange) -> Iterator[str]:
    old, new = change.old, change.new
    yield f"diff --git a/{change.old_path or change.path} b/{change.path}\n"
    if old is None and new is not None:
        yield f"new file mode {_git_mode(new)}\n"
        if not new.size:
            yield f"index {_NO_BLOB}..{_EMPTY_BLOB}\n"
    elif new is None and old is not None:
        yield f"deleted file mode {_git_mode(old)}\n"
        if not old.size:
            yield f"index {_EMPTY_BLOB}..{_NO_BLOB}\n"
    elif old is not None and new is not None:
        if old.mode is not None and new.mode is not None and old.mode != new.mode:
            yield f"old mode {_git_mode(old)}\nnew mode {_git_mode(new)}\n"
        if old.path != new.path:
            similarity = math.floor((change.similarity or 1.0) * 100)
            yield f"similarity index {similarity}%\nrename from {old.path}\nrename to {new.path}\n"
    if change.diff:
        yield change.diff


def _git_mode(member: Member) -> str:
    mode = member.mode if member.mode is not None else 0o644
    return f"{_REGULAR | (0o755 if mode & 0o111 else 0o644):o}"
