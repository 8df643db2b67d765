"""Unified diffs of byte content that ``patch`` applies exactly.

Lines are compared as bytes, so line endings (CRLF, a missing final newline)
and undecodable bytes are kept as they are. The text is decoded once at the
end with one encoding per file pair: UTF-8 when both sides are valid UTF-8,
otherwise Latin-1, which maps every byte to one character and back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

__all__ = [
    "NO_NEWLINE",
    "UnifiedDiff",
    "choose_encoding",
    "is_binary",
    "line_similarity",
    "split_lines",
    "unified_diff",
]

NO_NEWLINE = b"\\ No newline at end of file\n"
_BINARY_SNIFF = 8000

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True, slots=True)
class UnifiedDiff:
    text: str
    encoding: str
    insertions: int
    deletions: int
    truncated: bool
    omitted_lines: int


def is_binary(data: bytes) -> bool:
    """Binary by content: a NUL byte near the start, as git and diff decide."""
    return b"\x00" in data[:_BINARY_SNIFF]


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


def unified_diff(
    old: bytes,
    new: bytes,
    old_label: str,
    new_label: str,
    context: int = 3,
    max_lines: int = 0,
) -> UnifiedDiff:
    """The unified diff turning ``old`` into ``new``; ``max_lines`` > 0 cuts it."""
    a, b = split_lines(old), split_lines(new)
    opcodes = _opcodes(a, b)
    deletions = sum(i2 - i1 for tag, i1, i2, _, _ in opcodes if tag in ("replace", "delete"))
    insertions = sum(j2 - j1 for tag, _, _, j1, j2 in opcodes if tag in ("replace", "insert"))
    encoding = choose_encoding(old, new)
    lines: list[bytes] = []
    if insertions or deletions:
        lines.append(f"--- {old_label}\n".encode(encoding, "replace"))
        lines.append(f"+++ {new_label}\n".encode(encoding, "replace"))
        for group in _group(opcodes, context):
            lines.extend(_hunk(a, b, group))
    kept, omitted = _cut(lines, max_lines)
    return UnifiedDiff(
        text=b"".join(kept).decode(encoding),
        encoding=encoding,
        insertions=insertions,
        deletions=deletions,
        truncated=omitted > 0,
        omitted_lines=omitted,
    )


def _cut(lines: list[bytes], max_lines: int) -> tuple[list[bytes], int]:
    """Keep the file headers and ``max_lines`` lines after them (hunk headers and
    no-newline markers count as lines)."""
    if max_lines <= 0:
        return lines, 0
    headers, body = lines[:2], [piece for line in lines[2:] for piece in _physical(line)]
    if len(body) <= max_lines:
        return lines, 0
    return headers + body[:max_lines], len(body) - max_lines


def _physical(line: bytes) -> list[bytes]:
    if line.endswith(NO_NEWLINE) and line != NO_NEWLINE:
        return [line[: -len(NO_NEWLINE)], NO_NEWLINE]
    return [line]


def _opcodes(a: Sequence[bytes], b: Sequence[bytes]) -> list[Opcode]:
    """difflib opcodes, after trimming the common head and tail that most edits leave."""
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    middle = SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], False)
    opcodes: list[Opcode] = []
    if head:
        opcodes.append(("equal", 0, head, 0, head))
    for tag, i1, i2, j1, j2 in middle.get_opcodes():
        if i1 != i2 or j1 != j2:
            opcodes.append((tag, i1 + head, i2 + head, j1 + head, j2 + head))
    if tail:
        opcodes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return opcodes


def _group(opcodes: list[Opcode], context: int) -> Iterator[list[Opcode]]:
    """Split opcodes into hunks with ``context`` equal lines around each change."""
    if not any(tag != "equal" for tag, *_ in opcodes):
        return
    codes = list(opcodes)
    if codes[0][0] == "equal":
        _tag, i1, i2, j1, j2 = codes[0]
        codes[0] = ("equal", max(i1, i2 - context), i2, max(j1, j2 - context), j2)
    if codes[-1][0] == "equal":
        _tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = ("equal", i1, min(i2, i1 + context), j1, min(j2, j1 + context))
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        start_old, start_new = i1, j1
        if tag == "equal" and i2 - i1 > 2 * context and group:
            group.append(("equal", i1, i1 + context, j1, j1 + context))
            yield group
            group = []
            start_old, start_new = i2 - context, j2 - context
        group.append((tag, start_old, i2, start_new, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _hunk(a: Sequence[bytes], b: Sequence[bytes], group: list[Opcode]) -> Iterator[bytes]:
    first, last = group[0], group[-1]
    old_range = _range(first[1], last[2])
    new_range = _range(first[3], last[4])
    yield f"@@ -{old_range} +{new_range} @@\n".encode("ascii")
    for tag, i1, i2, j1, j2 in group:
        if tag == "equal":
            yield from (_line(b" ", line) for line in a[i1:i2])
            continue
        yield from (_line(b"-", line) for line in a[i1:i2])
        yield from (_line(b"+", line) for line in b[j1:j2])


def _range(start: int, stop: int) -> str:
    """A hunk range as GNU diff writes it: ``start`` for one line, ``start,count`` else."""
    count = stop - start
    if count == 1:
        return str(start + 1)
    return f"{start + 1 if count else start},{count}"


def _line(prefix: bytes, line: bytes) -> bytes:
    if line.endswith(b"\n"):
        return prefix + line
    return prefix + line + b"\n" + NO_NEWLINE
