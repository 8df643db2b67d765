"""One git-style patch that ``patch -p1`` and ``git apply`` accept inside the old tree
(top folder stripped).

Every file the report lists is either in the patch or named in a comment line
before the first ``diff --git`` (which both tools ignore) with the reason:
changed binary content, a link, a file compared by hash only, or a permission
change git cannot express (only the owner's execute bit travels, as
``100644``/``100755``). Such a permission change shared by more than ten files
is one line with their count: a build machine's umask turns a whole release from 0664 to
0644, and one line says that. Such a change is not written as ``old mode
100664``/``new mode 100644``: GNU patch would apply it, git would warn for
each file and apply only the execute bit, so the two tools would give other
trees. Names are quoted as git quotes them: in double quotes,
with C escapes for control characters, quotes and backslashes, and octal
escapes for every byte above 0x7e, so the header lines are ASCII whatever the
content's encoding.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator

from ..model import Comparison, FileChange, Member, MemberKind, Status

__all__ = ["git_quote", "render_patch"]

_REGULAR = 0o100000
# A reason shared by more files than this is one comment line with their count.
_NAMED_FILES = 10
_MODE_NOTE = "# mode not in this patch"
# git's object ids for "no file" and for the empty blob. GNU patch needs an
# ``index`` line to create or delete an empty file, which has no hunk.
_NO_BLOB = "0000000"
_EMPTY_BLOB = "e69de29"
_C_ESCAPES = {
    0x07: "\\a",
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0B: "\\v",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def render_patch(comparison: Comparison) -> bytes:
    """The patch as bytes: each file's part in its own encoding, so bytes round-trip."""
    notes: list[tuple[str, str]] = []
    parts: list[bytes] = []
    for change in sorted(comparison.files, key=_apply_order):
        mode_reason = _mode_left_out(change)
        if mode_reason is not None:
            notes.append((f"{_MODE_NOTE} ({mode_reason})", change.path))
        reason = _left_out(change)
        if reason is None:
            parts.append("".join(_file_patch(change)).encode(change.encoding))
        elif reason != mode_reason:
            notes.append((f"# not in this patch ({reason})", change.path))
    for old, new in comparison.moved:
        if old.kind == MemberKind.FILE and new.kind == MemberKind.FILE:
            parts.append("".join(_rename_header(old, new, 100)).encode())
        else:
            notes.append(("# not in this patch (a moved link)", new.path))
    return "".join(_note_lines(notes)).encode() + b"".join(parts)


def _note_lines(notes: list[tuple[str, str]]) -> Iterator[str]:
    """One line per file; a permission change of many files, as a build machine's umask
    gives a whole release (0664 to 0644), is one line with their count, where its first
    was. Binary files and links are always named: the reader has to copy them."""
    counts = Counter(reason for reason, _path in notes)
    counted: set[str] = set()
    for reason, path in notes:
        if counts[reason] <= _NAMED_FILES or not reason.startswith(_MODE_NOTE):
            yield f"{reason}: {git_quote(path)}\n"
        elif reason not in counted:
            counted.add(reason)
            yield f"{reason}: {counts[reason]:,} files (named by the report's --listing)\n"


def git_quote(path: str) -> str:
    """``path`` as git writes it in a patch: as is, or C-quoted when a byte needs it."""
    raw = path.encode("utf-8", "surrogateescape")
    if all(0x20 <= byte < 0x7F and byte not in _C_ESCAPES for byte in raw):
        return path
    return '"' + "".join(_quoted_byte(byte) for byte in raw) + '"'


def _quoted_byte(byte: int) -> str:
    if byte in _C_ESCAPES:
        return _C_ESCAPES[byte]
    if 0x20 <= byte < 0x7F:
        return chr(byte)
    return f"\\{byte:03o}"


def _apply_order(change: FileChange) -> tuple[int, str]:
    """Removals first, so a path freed by one can be taken by another."""
    return (0 if change.status == Status.REMOVED else 1, change.path)


def _left_out(change: FileChange) -> str | None:
    """Why a listed change cannot travel in the patch, or None when it can."""
    old, new = change.old, change.new
    if any(m.kind != MemberKind.FILE for m in (old, new) if m is not None):
        return "not a regular file"
    if change.hashed_only is not None:
        return f"compared by hash only: {change.hashed_only}"
    if change.truncated:
        return "its diff was cut"
    same_content = old is not None and new is not None and old.sha256 == new.sha256
    if change.binary and not same_content:
        return "binary"
    if change.status == Status.MODE_CHANGED and old is not None and old.path == change.path:
        return _mode_left_out(change)
    return None


def _mode_left_out(change: FileChange) -> str | None:
    """A permission change git cannot express (664 to 644): only the owner's x bit travels."""
    old, new = change.old, change.new
    if old is None or new is None or old.mode is None or new.mode is None:
        return None
    if old.mode & 0o7777 == new.mode & 0o7777 or _git_mode(old) != _git_mode(new):
        return None
    return f"mode {_permissions(old)} to {_permissions(new)}, which git cannot express"


def _file_patch(change: FileChange) -> Iterator[str]:
    old, new = change.old, change.new
    if old is not None and new is not None and old.path != new.path:
        similarity = change.similarity if change.similarity is not None else 1.0
        yield from _rename_header(old, new, math.floor(similarity * 100))
    else:
        yield f"diff --git {_label('a', change.path)} {_label('b', change.path)}\n"
        if old is not None and new is not None and _git_mode(old) != _git_mode(new):
            yield f"old mode {_git_mode(old)}\nnew mode {_git_mode(new)}\n"
    if old is None and new is not None:
        yield f"new file mode {_git_mode(new)}\n"
        if not new.size:
            yield f"index {_NO_BLOB}..{_EMPTY_BLOB}\n"
    elif new is None and old is not None:
        yield f"deleted file mode {_git_mode(old)}\n"
        if not old.size:
            yield f"index {_EMPTY_BLOB}..{_NO_BLOB}\n"
    if change.diff:
        yield f"--- {_label('a', old.path) if old else '/dev/null'}{_tab(old)}\n"
        yield f"+++ {_label('b', new.path) if new else '/dev/null'}{_tab(new)}\n"
        yield _hunks(change)


def _rename_header(old: Member, new: Member, similarity: int) -> Iterator[str]:
    yield f"diff --git {_label('a', old.path)} {_label('b', new.path)}\n"
    if _git_mode(old) != _git_mode(new):
        yield f"old mode {_git_mode(old)}\nnew mode {_git_mode(new)}\n"
    yield f"similarity index {similarity}%\n"
    yield f"rename from {git_quote(old.path)}\nrename to {git_quote(new.path)}\n"


def _hunks(change: FileChange) -> str:
    """The diff after the ``---``/``+++`` lines the engine wrote with unquoted labels.

    The engine writes ``--- LABEL\\n+++ LABEL\\n`` and replaces what its encoding
    cannot hold one character for one, so the header's length is known.
    """
    assert change.diff is not None
    old_label = f"a/{change.old.path}" if change.old else "/dev/null"
    new_label = f"b/{change.new.path}" if change.new else "/dev/null"
    hunks = change.diff[len(f"--- {old_label}\n+++ {new_label}\n") :]
    assert hunks.startswith("@@ -"), "the engine's diff header is not the expected one"
    return hunks


def _label(prefix: str, path: str) -> str:
    return git_quote(f"{prefix}/{path}")


def _tab(member: Member | None) -> str:
    """git ends a ``---``/``+++`` name holding a space with a tab, so GNU patch reads it whole."""
    return "\t" if member is not None and " " in member.path else ""


def _git_mode(member: Member) -> str:
    """The only regular-file modes git knows: the owner's execute bit decides."""
    mode = member.mode if member.mode is not None else 0o644
    return f"{_REGULAR | (0o755 if mode & 0o100 else 0o644):o}"


def _permissions(member: Member) -> str:
    return f"{(member.mode or 0) & 0o7777:04o}"
