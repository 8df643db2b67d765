"""Unified diffs of byte content that ``patch`` applies exactly.

The diff itself is libgit2's xdiff (through pygit2), which stays fast on
repetitive input where a longest-matching-block search goes quadratic. Lines
are compared as bytes, so line endings (CRLF, a missing final newline) and
undecodable bytes are kept as they are. The text is decoded once at the end
with one encoding per file pair: UTF-8 when both sides are valid UTF-8,
otherwise Latin-1, which maps every byte to one character and back.

The cost bound: a pair is not diffed (the caller compares it by hash and says
why) when a line is longer than :data:`MAX_LINE_BYTES`, or when more than
:data:`MAX_DIFF_LINES` lines, both sides together, lie between the common
start and the common end of the two files. xdiff's time grows with those
lines; at the bound two unrelated files of 250,000 short lines each take
about 1.3 s on one core (``benchmarks/bench_textdiff.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pygit2
from pygit2.enums import DiffOption

__all__ = [
    "MAX_DIFF_LINES",
    "MAX_LINE_BYTES",
    "NO_NEWLINE",
    "UnifiedDiff",
    "choose_encoding",
    "diff_cost_reason",
    "is_binary",
    "line_similarity",
    "split_lines",
    "unified_diff",
]

NO_NEWLINE = b"\\ No newline at end of file\n"
# A line longer than this is minified or generated: diffing it helps no reader
# and a single 30 MB line would flood the report.
MAX_LINE_BYTES = 1 << 16
MAX_DIFF_LINES = 500_000
# Signatures of compiled and compressed files, each holding a byte text never
# starts with; such files are binary even before their first NUL.
_BINARY_MAGIC = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O, 32 and 64 bit, both byte orders
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"\x00asm",  # WebAssembly
    b"\x1f\x8b",  # gzip
    b"PK\x03\x04",  # zip, wheel, jar
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstd
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
)
_COMPARE_BLOCK = 1 << 16
_DIFF_FLAGS = DiffOption.FORCE_TEXT


@dataclass(frozen=True, slots=True)
class UnifiedDiff:
    text: str
    encoding: str
    insertions: int
    deletions: int
    truncated: bool
    omitted_lines: int
    # Why the pair was not diffed (past the cost bound); then text is empty.
    hashed_only: str | None = None


def is_binary(data: bytes) -> bool:
    """Binary by content: a NUL byte, or the signature of a compiled or compressed file.

    git looks for a NUL in the first 8,000 bytes only; a NUL further on (a shared
    object with a long run of text-like bytes first) makes the file no text a
    reader or ``patch`` can use either. A Windows executable needs no signature
    here: its ``PE\\0\\0`` header holds NULs.
    """
    return b"\x00" in data or data.startswith(_BINARY_MAGIC)


NUL_SHOWN = "\u2400"  # ␀, SYMBOL FOR NULL


def text_with_nuls(data: bytes) -> bytes | None:
    """Text that only its NUL bytes make binary, with each NUL shown as ␀, or None.

    gcc compiles a C file with a NUL in a comment, and setuptools reads a setup.cfg
    holding one: a few NULs must not hide the rest of a change. Text here is valid
    UTF-8 with no binary signature, no control byte but tab, line ends, form feed, escape
    and NUL, and NULs at most one byte in sixteen, and a few, or one in a thousand.
    """
    if data.startswith(_BINARY_MAGIC):
        return None
    nuls = data.count(b"\x00")
    if nuls * 16 > len(data) or nuls > max(4, len(data) // 1000):
        return None
    if data.translate(None, _TEXT_BYTES).replace(b"\x00", b""):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return data.replace(b"\x00", NUL_SHOWN.encode())


# The bytes a text holds freely: all but C0 controls (tab, line ends, form feed and
# escape aside) and DEL.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 and b != 0x7F) + b"\t\n\r\x0b\x0c\x1b"


def split_lines(data: bytes) -> list[bytes]:
    """Lines ending in ``\\n`` (kept); the last one may lack it. Only ``\\n`` ends a line."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def choose_encoding(*sides: bytes) -> str:
    try:
        for side in sides:
            side.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"


def line_similarity(old: Counter[bytes], new: Counter[bytes]) -> float:
    """The share of lines two files have in common, from 0.0 to 1.0."""
    total = old.total() + new.total()
    if total == 0:
        return 1.0
    if len(old) > len(new):
        old, new = new, old
    common = sum(min(count, new[line]) for line, count in old.items() if line in new)
    return 2 * common / total


def diff_cost_reason(old: bytes, new: bytes) -> str | None:
    """Why diffing this pair is past the cost bound, or None when it is within it."""
    if has_long_line(old) or has_long_line(new):
        return f"a line is longer than {MAX_LINE_BYTES:,} bytes (minified or generated)"
    head = _common_head(old, new)
    tail = _common_tail(old[head:], new[head:])
    between = old.count(b"\n", head, len(old) - tail) + new.count(b"\n", head, len(new) - tail)
    if between > MAX_DIFF_LINES:
        return f"more than {MAX_DIFF_LINES:,} lines differ (the diff cost bound)"
    return None


def has_long_line(data: bytes) -> bool:
    """Whether a line is longer than :data:`MAX_LINE_BYTES`, without splitting ``data``."""
    start = 0
    while len(data) - start > MAX_LINE_BYTES:
        # The last newline in the next window; none means a line longer than it.
        newline = data.rfind(b"\n", start, start + MAX_LINE_BYTES + 1)
        if newline < 0:
            return True
        start = newline + 1
    return False


def _common_head(a: bytes, b: bytes) -> int:
    """The length of the longest common start of ``a`` and ``b``."""
    limit = min(len(a), len(b))
    start = 0
    while start < limit and a[start : start + _COMPARE_BLOCK] == b[start : start + _COMPARE_BLOCK]:
        start += _COMPARE_BLOCK
    low, high = start, min(start + _COMPARE_BLOCK, limit)
    while low < high:  # the answer is in [low, high]
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_tail(a: bytes, b: bytes) -> int:
    return _common_head(a[::-1], b[::-1])


def unified_diff(
    old: bytes,
    new: bytes,
    old_label: str,
    new_label: str,
    context: int = 3,
    max_lines: int = 0,
) -> UnifiedDiff:
    """The unified diff turning ``old`` into ``new``; ``max_lines`` > 0 cuts it.

    Past the cost bound the diff is empty and ``hashed_only`` says why.
    """
    encoding = choose_encoding(old, new)
    if old == new:
        return UnifiedDiff("", encoding, 0, 0, False, 0)
    too_costly = diff_cost_reason(old, new)
    if too_costly is not None:
        return UnifiedDiff("", encoding, 0, 0, False, 0, too_costly)
    patch = pygit2.Patch.create_from(
        old, new, old_as_path="a", new_as_path="b", flag=_DIFF_FLAGS, context_lines=context
    )
    _context, insertions, deletions = patch.line_stats
    data = patch.data
    # libgit2 writes its own file header (``diff --git``, ``index``, ``---``, ``+++``)
    # before the first hunk; the labels are the caller's.
    hunks = without_hunk_context(data[data.index(b"\n@@ -") + 1 :])
    headers = [f"--- {old_label}\n+++ {new_label}\n".encode(encoding, "replace")]
    kept, omitted = _cut(hunks, max_lines)
    return UnifiedDiff(
        text=b"".join([*headers, kept]).decode(encoding),
        encoding=encoding,
        insertions=insertions,
        deletions=deletions,
        truncated=omitted > 0,
        omitted_lines=omitted,
    )


def without_hunk_context(hunks: bytes) -> bytes:
    r"""The hunks with each header ending at its closing ``@@``.

    libgit2 writes the enclosing function after a hunk's ranges; GNU diff and
    our golden files do not, and the function text could end inside a UTF-8
    character. A header is the only line that starts with ``@@`` (every other
    starts with `` ``, ``+``, ``-`` or ``\``), so it is found by searching, not
    by a pattern tried at every byte (a tenth of the Sphinx 8 pair's diff time).
    """
    pieces: list[bytes] = []
    kept_from = 0
    header = 0 if hunks.startswith(b"@@ -") else _next_header(hunks, 0)
    while header >= 0:
        line_end = hunks.find(b"\n", header)
        if line_end < 0:
            line_end = len(hunks)
        close = hunks.find(b" @@", header + 4, line_end)
        if close >= 0:
            pieces.append(hunks[kept_from : close + 3])
            kept_from = line_end
        header = _next_header(hunks, line_end)
    pieces.append(hunks[kept_from:])
    return b"".join(pieces)


def _next_header(hunks: bytes, start: int) -> int:
    found = hunks.find(b"\n@@ -", start)
    return found + 1 if found >= 0 else -1


def _cut(hunks: bytes, max_lines: int) -> tuple[bytes, int]:
    """The first ``max_lines`` lines of the hunks and how many were left out
    (hunk headers and no-newline markers count as lines)."""
    if max_lines <= 0:
        return hunks, 0
    total = hunks.count(b"\n")
    if total <= max_lines:
        return hunks, 0
    end = -1
    for _ in range(max_lines):
        end = hunks.index(b"\n", end + 1)
    return hunks[: end + 1], total - max_lines
