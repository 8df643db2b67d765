"""Wording and numbers shared by every renderer, so all formats say the same."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..model import ArchiveFacts, Comparison, FileChange, Member, MemberKind, Status, Summary
from ..safety import visible
from ..textdiff import unified_diff

__all__ = [
    "ArtifactRow",
    "artifact_rows",
    "brief",
    "change_notes",
    "diffstat_bar",
    "file_anchor",
    "format_similarity",
    "listing_diff",
    "listing_line",
    "plural",
    "problem_lines",
    "shown",
    "shown_diff",
    "size_change",
    "summary_line",
    "title_line",
]

_MINUS = "\u2212"
_ARROW = "\u2192"


def title_line(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    name = shown(new.name or old.name or new.filename)
    if old.name and new.name and old.name != new.name:
        name = f"{shown(old.name)} {_ARROW} {shown(new.name)}"
    versions = f"{shown(old.version or old.filename)} {_ARROW} {shown(new.version or new.filename)}"
    kind = new.kind if new.kind == old.kind else f"{old.kind} {_ARROW} {new.kind}"
    return f"{name} {versions} ({kind})"


def shown(text: str | None) -> str:
    """A name or value from an archive, with control and bidi characters made visible."""
    return visible(text or "")


def shown_diff(text: str) -> str:
    """A diff to show a reader: tabs and newlines kept, other controls made visible."""
    return visible(text, keep="\n\t")


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def counts_line(summary: Summary) -> str:
    files = "file" if summary.changed == 1 else "files"
    return (
        f"{summary.changed} {files} changed, {summary.added} added, {summary.removed} removed, "
        f"{summary.renamed} renamed; +{summary.insertions} {_MINUS}{summary.deletions} lines"
    )


def summary_line(comparison: Comparison) -> str:
    return f"{title_line(comparison)}: {counts_line(comparison.summary)}"


def format_similarity(similarity: float) -> str:
    """A percentage that never rounds a near-identical file up to 100 %."""
    if similarity >= 1.0:
        return "100 %"
    return f"{math.floor(similarity * 1000) / 10:.1f} %"


def format_mode(mode: int | None) -> str:
    return "?" if mode is None else f"{mode:o}"


def size_change(change: FileChange) -> str:
    old = f"{change.old.size:,}" if change.old else ""
    new = f"{change.new.size:,}" if change.new else ""
    if change.old and change.new:
        return old if old == new else f"{old} {_ARROW} {new}"
    return old or new


def lines_change(change: FileChange) -> str:
    if change.binary:
        return "binary"
    if change.insertions or change.deletions:
        return f"+{change.insertions} {_MINUS}{change.deletions}"
    return ""


def brief(change: FileChange) -> str:
    """A few words for a change that has no lines to count."""
    if change.binary:
        return "binary"
    notes = change_notes(change)
    return notes[0] if notes else str(change.status)


def change_notes(change: FileChange) -> list[str]:
    """Plain sentences about a change that the diff itself does not show."""
    old, new = change.old, change.new
    notes: list[str] = []
    if change.status == Status.RENAMED and old and change.similarity is not None:
        similar = format_similarity(change.similarity)
        notes.append(f"renamed from {shown(old.path)} ({similar} similar)")
    elif old and new and old.path != new.path:
        notes.append(f"was {shown(old.path)}")
    if old and new and old.kind != new.kind:
        notes.append(f"type changed: {old.kind} {_ARROW} {new.kind}")
    if old and new and old.mode is not None and new.mode is not None and old.mode != new.mode:
        notes.append(f"mode {format_mode(old.mode)} {_ARROW} {format_mode(new.mode)}")
    notes.extend(_link_notes(old, new))
    notes.extend(_content_notes(change))
    return notes


def _link_notes(old: Member | None, new: Member | None) -> Iterator[str]:
    links = (MemberKind.SYMLINK, MemberKind.HARDLINK)
    old_target = shown(old.linkname) if old and old.kind in links else None
    new_target = shown(new.linkname) if new and new.kind in links else None
    if old_target is not None and new_target is not None and old_target != new_target:
        yield f"link target {old_target} {_ARROW} {new_target}"
    elif old_target is None and new_target is not None:
        yield f"{new.kind if new else 'link'} to {new_target}"
    elif new_target is None and old_target is not None:
        yield f"was a {old.kind if old else 'link'} to {old_target}"


def _content_notes(change: FileChange) -> Iterator[str]:
    sides = [m for m in (change.old, change.new) if m is not None and m.kind == MemberKind.FILE]
    if change.bidi:
        yield (
            "WARNING: changed lines hold bidirectional control characters, which can make "
            "code read differently from how it runs (CVE-2021-42574); they are shown as <U+…>"
        )
    if change.hashed_only:
        yield f"{change.hashed_only}: compared by size and sha256 only; " + _binary_facts(change)
    elif change.binary and sides:
        yield "binary file: " + _binary_facts(change)
    if change.encoding != "utf-8":
        yield "not valid UTF-8: shown as Latin-1"
    if change.diff and "\r\n" in change.diff:
        yield "has CRLF line endings (shown as \u240d)"
    if change.status in (Status.ADDED, Status.REMOVED) and sides and not sides[0].size:
        yield "empty file"
    if change.truncated:
        yield f"diff cut short: {plural(change.omitted_lines, 'more line')} not shown"


def _binary_facts(change: FileChange) -> str:
    def side(member: Member | None) -> str:
        return "absent" if member is None else f"{member.size:,} bytes, sha256 {member.sha256[:16]}"

    return f"{side(change.old)} {_ARROW} {side(change.new)}"


def diffstat_bar(change: FileChange, scale: float, width: int = 40) -> tuple[int, int]:
    """How many ``+`` and ``-`` marks a file gets in a diffstat of ``width`` columns."""
    plus = math.ceil(change.insertions * scale) if change.insertions else 0
    minus = math.ceil(change.deletions * scale) if change.deletions else 0
    return min(plus, width), min(minus, width)


def diffstat_scale(files: Sequence[FileChange], width: int = 40) -> float:
    widest = max((c.insertions + c.deletions for c in files), default=0)
    return 1.0 if widest <= width else width / widest


def file_anchor(index: int) -> str:
    return f"file-{index + 1}"


@dataclass(frozen=True, slots=True)
class ArtifactRow:
    label: str
    old: str
    new: str

    @property
    def differs(self) -> bool:
        return self.old != self.new


def artifact_rows(old: ArchiveFacts, new: ArchiveFacts) -> list[ArtifactRow]:
    rows = [
        ArtifactRow("file name", shown(old.filename), shown(new.filename)),
        ArtifactRow("kind", old.kind, new.kind),
        ArtifactRow("format", old.format, new.format),
        ArtifactRow("size", f"{old.size:,} bytes", f"{new.size:,} bytes"),
        ArtifactRow(
            "uncompressed", f"{old.uncompressed_size:,} bytes", f"{new.uncompressed_size:,} bytes"
        ),
        ArtifactRow("members", f"{old.members:,}", f"{new.members:,}"),
        ArtifactRow("sha256", old.sha256, new.sha256),
    ]
    if old.gzip or new.gzip:
        rows.extend(_gzip_rows(old, new))
    return rows


def _gzip_rows(old: ArchiveFacts, new: ArchiveFacts) -> list[ArtifactRow]:
    def get(facts: ArchiveFacts, what: str) -> str:
        header = facts.gzip
        if header is None:
            return ""
        if what == "name":
            return shown(header.original_name) or "(none)"
        if what == "mtime":
            return _gzip_time(header.mtime)
        if what == "level":
            return header.compression or "normal"
        return header.os

    labels = [("name", "gzip name"), ("mtime", "gzip mtime"), ("level", "gzip level")]
    labels.append(("os", "gzip OS"))
    return [ArtifactRow(label, get(old, what), get(new, what)) for what, label in labels]


def _gzip_time(mtime: int) -> str:
    if not mtime:
        return "(none)"
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(mtime))


def listing_line(member: Member) -> str:
    """A ``tar -tv`` style line: type and mode, owner/group, size, mtime, name."""
    kind = {"dir": "d", "symlink": "l", "hardlink": "h", "other": "?"}.get(member.kind, "-")
    mode = _permissions(member.mode)
    owner = shown(_account(member.uname, member.uid))
    group = shown(_account(member.gname, member.gid))
    when = (
        time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(member.mtime))
        if member.mtime is not None
        else "?"
    )
    target = f" -> {shown(member.linkname)}" if member.linkname else ""
    suffix = "/" if member.kind == MemberKind.DIR else ""
    path = f"{shown(member.path)}{suffix}" if member.path else "./"
    return f"{kind}{mode} {owner}/{group} {member.size:>10} {when} {path}{target}"


def _account(name: str, number: int | None) -> str:
    if name:
        return name
    return "?" if number is None else str(number)


def _permissions(mode: int | None) -> str:
    if mode is None:
        return "?????????"
    marks = "rwxrwxrwx"
    return "".join(mark if mode & (1 << (8 - i)) else "-" for i, mark in enumerate(marks))


def _by_path(member: Member) -> str:
    return member.path


def listing_diff(comparison: Comparison, context: int = 3) -> str:
    """The member listings of both archives (top folder stripped) as a unified diff."""
    old = "".join(listing_line(m) + "\n" for m in sorted(comparison.old_members, key=_by_path))
    new = "".join(listing_line(m) + "\n" for m in sorted(comparison.new_members, key=_by_path))
    return unified_diff(
        old.encode("utf-8", "surrogateescape"),
        new.encode("utf-8", "surrogateescape"),
        f"a/{comparison.old.filename}",
        f"b/{comparison.new.filename}",
        context=context,
    ).text


def problem_lines(comparison: Comparison) -> list[str]:
    """Everything a reader should be warned of, one sentence each."""
    lines = list(comparison.warnings)
    for side, facts in (("OLD", comparison.old), ("NEW", comparison.new)):
        lines.extend(f"{side} {shown(facts.filename)}: {problem}" for problem in facts.problems)
    bidi = [shown(change.path) for change in comparison.files if change.bidi]
    if bidi:
        lines.append(
            "bidirectional control characters in changed lines (CVE-2021-42574): " + ", ".join(bidi)
        )
    return lines
