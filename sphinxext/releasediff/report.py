"""The report view model: what every human-readable format shows, decided once.

:func:`build_report` turns a :class:`~.model.Comparison` and the
:class:`~.settings.Settings` into ordered sections holding finished strings:
the wording of each status and empty state, table rows, the diffstat, which
diffs are shown and where the line budgets cut them. Every string from an
archive is already made safe to show (control and bidi characters visible).
The formatters in ``render/`` only lay these out; none decides anything.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence, Set
from dataclasses import dataclass, field

from .api_patterns import patterns_first_rows_last
from .api_shown import shown_pair
from .api_summary import api_summary
from .listing import listing_diff
from .model import (
    ApiChange,
    ArchiveFacts,
    Comparison,
    FileChange,
    Member,
    MemberKind,
    MetadataChange,
    Notable,
    Status,
)
from .safety import visible
from .settings import DIRECTIVE, Settings, option_spelling
from .textdiff import NUL_SHOWN

__all__ = [
    "API_ARROW",
    "API_COLUMNS",
    "API_WIDTHS",
    "DIFFSTAT_ROWS",
    "ApiRow",
    "ApiSection",
    "ArtifactRow",
    "ArtifactsSection",
    "DiffBlock",
    "DiffsSection",
    "DiffstatRow",
    "FileRow",
    "FilesSection",
    "ListingSection",
    "MetadataRow",
    "MetadataSection",
    "NotableRow",
    "NotableSection",
    "Report",
    "Section",
    "SummarySection",
    "TextDiff",
    "build_report",
    "cut_diff",
    "diffstat_marks",
    "diffstat_scale",
    "format_similarity",
    "plural",
    "rename_path",
    "summary_bar",
]

MINUS = "\u2212"
ARROW = "\u2192"
# The API table's columns and their widths (%) in the page: old and new share the last,
# one above the other, where five columns left each signature a sixth of a narrow theme.
API_COLUMNS = ("change", "kind", "name", "old / new")
API_WIDTHS = (14, 10, 26, 50)
API_ARROW = f" {ARROW} "
NOTABLE_LABELS = {
    "pth": ".pth import line",
    "entry-point": "entry point",
    "build": "build-time code",
    "binary": "native binary",
    "dependency": "dependency",
    "python": "Requires-Python",
    "license": "license",
    "exec": "code that runs or reaches the network",
}


def shown(text: str | None) -> str:
    """A name or value from an archive, with control and bidi characters made visible."""
    return visible(text or "")


def shown_diff(text: str) -> str:
    """A diff to show a reader: tabs and newlines kept, other controls made visible."""
    return visible(text, keep="\n\t")


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def format_similarity(similarity: float) -> str:
    """A percentage that never rounds a near-identical file up to 100 %."""
    if similarity >= 1.0:
        return "100 %"
    return f"{math.floor(similarity * 1000) / 10:.1f} %"


def format_mode(mode: int | None) -> str:
    return "?" if mode is None else f"{mode:o}"


def diffstat_scale(rows: Sequence[DiffstatRow | FileRow], width: int) -> float:
    """Marks per changed line, so the widest file fills ``width`` columns."""
    widest = max((row.insertions + row.deletions for row in rows), default=0)
    return 1.0 if widest <= width else width / widest


def diffstat_marks(insertions: int, deletions: int, scale: float, width: int) -> tuple[int, int]:
    """How many ``+`` and ``-`` marks a file gets: at least one for any change."""
    plus = math.ceil(insertions * scale) if insertions else 0
    minus = math.ceil(deletions * scale) if deletions else 0
    return min(plus, width), min(minus, width)


def summary_bar(insertions: int, deletions: int, width: int) -> tuple[int, int, int]:
    """The summary's bar: ``+``, ``-`` and unchanged marks in proportion, ``width`` in all."""
    total = insertions + deletions
    if not total:
        return 0, 0, width
    plus = round(width * insertions / total)
    if insertions and not plus:
        plus = 1
    minus = min(width - plus, round(width * deletions / total))
    if deletions and not minus and plus > 1:
        plus, minus = plus - 1, 1
    return plus, minus, width - plus - minus


# The summary's diffstat lists at most this many files, those that changed the most
# lines (Django 5.0.8 -> 5.1 gave 861 lines); the Files section lists every file.
DIFFSTAT_ROWS = 25


# Sections ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffstatRow:
    path: str
    anchor: str | None
    insertions: int
    deletions: int
    # Words for a file with no lines to count ("binary", "mode 644 → 755").
    brief: str


@dataclass(frozen=True, slots=True)
class SummarySection:
    title: str
    counts: str
    insertions: int
    deletions: int
    # Lines under the headline: kinds differ, mode-only count, notable kinds, API counts.
    notes: tuple[str, ...]
    # Said when nothing differs.
    identical: str | None
    # At most DIFFSTAT_ROWS files; ``diffstat_more`` says what the others add up to.
    diffstat: tuple[DiffstatRow, ...]
    diffstat_more: str | None
    # Problems with the archives and odd pairs, one sentence each.
    warnings: tuple[str, ...]
    name: str = "summary"
    heading: str = ""

    @property
    def line(self) -> str:
        return f"{self.title}: {self.counts}"


@dataclass(frozen=True, slots=True)
class NotableRow:
    kind: str
    label: str
    path: str | None
    anchor: str | None
    detail: str


@dataclass(frozen=True, slots=True)
class NotableSection:
    rows: tuple[NotableRow, ...]
    empty: str = (
        "Nothing notable: no .pth import line, entry point, build-time code, native binary, "
        "dependency, Requires-Python, license or code-execution change."
    )
    name: str = "notable"
    heading: str = "Notable changes"


@dataclass(frozen=True, slots=True)
class ApiRow:
    change: str
    name: str
    kind: str
    old: str
    new: str
    breaking: bool
    # How it breaks callers, when that is known: shown with the mark.
    why: str = ""

    @property
    def mark(self) -> str:
        """`` (breaking: …)`` after the change, a reason alone when it is not breaking
        (a removal a module's ``__getattr__`` may still serve), or nothing."""
        if not self.breaking:
            return f" ({self.why})" if self.why else ""
        return f" (breaking: {self.why})" if self.why else " (breaking)"


@dataclass(frozen=True, slots=True)
class ApiSection:
    rows: tuple[ApiRow, ...]
    notes: tuple[str, ...]
    # One line a member changed alike in many names (see :mod:`.api_patterns`), shown
    # before the rows under ``patterns_lead``; their rows come after the others.
    patterns: tuple[str, ...] = ()
    patterns_lead: str = ""
    empty: str = "No public name was added, removed or changed."
    name: str = "api"
    heading: str = "API"


@dataclass(frozen=True, slots=True)
class ArtifactRow:
    label: str
    old: str
    new: str

    @property
    def differs(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True, slots=True)
class ArtifactsSection:
    rows: tuple[ArtifactRow, ...]
    name: str = "artifacts"
    heading: str = "Artifacts"


@dataclass(frozen=True, slots=True)
class MetadataRow:
    field: str
    change: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class TextDiff:
    """A long text field shown as a diff of its own (the description)."""

    title: str
    diff: str


@dataclass(frozen=True, slots=True)
class MetadataSection:
    rows: tuple[MetadataRow, ...]
    diffs: tuple[TextDiff, ...]
    empty: str = "No metadata field changed."
    name: str = "metadata"
    heading: str = "Package metadata"


@dataclass(frozen=True, slots=True)
class FileRow:
    path: str
    # Set when the file was renamed or moved: the path it had.
    old_path: str | None
    anchor: str | None
    status: str
    size: str
    lines: str
    insertions: int
    deletions: int


@dataclass(frozen=True, slots=True)
class FilesSection:
    counts: str
    rows: tuple[FileRow, ...]
    # One line for the files whose mode alone changed, grouped by change.
    mode_only: str | None
    name: str = "files"
    heading: str = "Files"


@dataclass(frozen=True, slots=True)
class DiffBlock:
    anchor: str
    path: str
    status: str
    notes: tuple[str, ...]
    # What is shown (escaped, cut at max_diff_lines), or None.
    diff: str | None


@dataclass(frozen=True, slots=True)
class DiffsSection:
    blocks: tuple[DiffBlock, ...]
    collapse: bool
    # Said once for the section: the diffs the report's line budget left out.
    notes: tuple[str, ...] = ()
    name: str = "diffs"
    heading: str = "Diffs"


@dataclass(frozen=True, slots=True)
class ListingSection:
    diff: str | None
    empty: str = "The member listings are the same."
    name: str = "listing"
    heading: str = "Listing"


Section = (
    SummarySection
    | NotableSection
    | ApiSection
    | ArtifactsSection
    | MetadataSection
    | FilesSection
    | DiffsSection
    | ListingSection
)


@dataclass(frozen=True, slots=True)
class Report:
    comparison: Comparison
    settings: Settings
    sections: tuple[Section, ...]
    # The file changes the report lists and diffs (content or type changed), and,
    # for JSON, each file's diff as shown with whether it was cut.
    listed: tuple[FileChange, ...] = field(repr=False)
    shown_diffs: dict[int, tuple[str | None, int]] = field(repr=False, compare=False)

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    @property
    def summary_line(self) -> str:
        summary = self.section("summary")
        if isinstance(summary, SummarySection):
            return summary.line
        return f"{title_line(self.comparison)}: {counts_line(self.comparison)}"


# Building ----------------------------------------------------------------------


def build_report(
    comparison: Comparison, settings: Settings, id_prefix: str = "", where: str = DIRECTIVE
) -> Report:
    """Every section the settings show, in :data:`~.settings.SECTIONS` order.

    ``id_prefix`` starts each anchor, so several release diffs on one page stay apart;
    ``where`` (the directive or the command) decides how notes name an option.
    """
    listed = tuple(change for change in comparison.files if not _mode_only(change))
    anchors = {id(change): _anchor(id_prefix, i) for i, change in enumerate(listed)}
    shown_diffs = _shown_diffs(listed, settings)
    texts = _diff_texts(listed, shown_diffs)
    notable_paths = {entry.path for entry in comparison.notable if entry.path}
    within = _within_line_budget(listed, texts, settings.max_total_diff_lines, notable_paths)
    # Files whose diff the line budget leaves out get no block, so nothing links to one.
    over = {id(c) for c in listed if texts[id(c)][0] is not None and id(c) not in within}
    linked = (
        {key: anchor for key, anchor in anchors.items() if key not in over}
        if "diffs" in settings.show
        else {}
    )
    budget_note = _budget_note(len(over), settings, where)
    makers: dict[str, Callable[[], Section]] = {
        "summary": lambda: _summary(comparison, listed, linked, "files" in settings.show),
        "notable": lambda: _notable(comparison, listed, linked),
        "api": lambda: _api(comparison),
        "artifacts": lambda: ArtifactsSection(tuple(artifact_rows(comparison.old, comparison.new))),
        "metadata": lambda: _metadata(comparison.metadata),
        "files": lambda: _files(comparison, listed, linked),
        "diffs": lambda: _diffs(
            [c for c in listed if id(c) not in over],
            anchors,
            texts,
            settings,
            where,
            (budget_note, shared_mode_change(comparison.files)),
        ),
        "listing": lambda: ListingSection(shown_diff(listing_diff(comparison)) or None),
    }
    sections = tuple(makers[name]() for name in settings.show if name in makers)
    return Report(comparison, settings, sections, listed, shown_diffs)


def _anchor(prefix: str, index: int) -> str:
    return f"{prefix}-file-{index + 1}" if prefix else f"file-{index + 1}"


def _mode_only(change: FileChange) -> bool:
    return change.status == Status.MODE_CHANGED


def title_line(comparison: Comparison) -> str:
    old, new = comparison.old, comparison.new
    name = shown(new.name or old.name or new.filename)
    if old.name and new.name and old.name != new.name:
        name = f"{shown(old.name)} {ARROW} {shown(new.name)}"
    versions = f"{shown(old.version or old.filename)} {ARROW} {shown(new.version or new.filename)}"
    kind = new.kind if new.kind == old.kind else f"{old.kind} {ARROW} {new.kind}"
    return f"{name} {versions} ({kind})"


def counts_line(comparison: Comparison) -> str:
    """``861 files changed, 31 added, 10 removed, 1 renamed; +21,942 −11,018 lines``.

    As SPEC.md's summary gives it, every clause always there, so that a script
    finds each count at its place; N counts every file whose content or type
    changed, the added, removed and renamed ones among them (as ``git diff
    --stat`` counts), mode-only changes apart.
    """
    summary = comparison.summary
    return (
        f"{plural(summary.changed, 'file')} changed, {summary.added:,} added, "
        f"{summary.removed:,} removed, {summary.renamed:,} renamed; "
        f"+{summary.insertions:,} {MINUS}{summary.deletions:,} lines"
    )


def _summary(
    comparison: Comparison,
    listed: Sequence[FileChange],
    anchors: dict[int, str],
    files_shown: bool,
) -> SummarySection:
    summary = comparison.summary
    identical = None
    if not comparison.has_differences:
        identical = "The two archives hold the same files and metadata."
    diffstat, more = _diffstat(listed, anchors, files_shown)
    return SummarySection(
        title=title_line(comparison),
        counts=counts_line(comparison),
        insertions=summary.insertions,
        deletions=summary.deletions,
        notes=tuple(_summary_notes(comparison)),
        identical=identical,
        diffstat=diffstat,
        diffstat_more=more,
        warnings=tuple(problem_lines(comparison)),
    )


def _diffstat(
    listed: Sequence[FileChange], anchors: dict[int, str], files_shown: bool
) -> tuple[tuple[DiffstatRow, ...], str | None]:
    """The diffstat's rows, in path order: past :data:`DIFFSTAT_ROWS` files, those that
    changed the most lines, and a line saying what the rest add up to."""
    rows = [
        DiffstatRow(_stat_path(c), anchors.get(id(c)), *c.shown_counts, brief(c)) for c in listed
    ]
    if len(rows) <= DIFFSTAT_ROWS:
        return tuple(rows), None
    # A stable sort: of files with as many changed lines, the first in path order.
    by_size = sorted(range(len(rows)), key=lambda i: -(rows[i].insertions + rows[i].deletions))
    kept = frozenset(by_size[:DIFFSTAT_ROWS])
    left = [row for i, row in enumerate(rows) if i not in kept]
    lines = f"+{sum(r.insertions for r in left):,} {MINUS}{sum(r.deletions for r in left):,} lines"
    where = "; Files lists every file" if files_shown else ""
    more = f"\u2026 and {plural(len(left), 'more file')}, none larger ({lines}){where}"
    return tuple(row for i, row in enumerate(rows) if i in kept), more


def _stat_path(change: FileChange) -> str:
    """A file's name in the diffstat; a rename as git's --stat writes it, the parts both
    paths share outside braces: ``skyline/{cli.py => commands/cli.py}``."""
    if change.status != Status.RENAMED or not change.old_path:
        return shown(change.path)
    return rename_path(shown(change.old_path), shown(change.path))


def rename_path(old: str, new: str) -> str:
    """``old => new`` with the leading and trailing folders they share taken out of braces."""
    start = 0
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            break
        if a == "/":
            start = index + 1
    end = 0
    room = min(len(old), len(new)) - start
    for index in range(room):
        a = old[len(old) - 1 - index]
        if a != new[len(new) - 1 - index]:
            break
        if a == "/":
            end = index + 1
    if not start and not end:
        return f"{old} => {new}"
    middle_old = old[start : len(old) - end]
    middle_new = new[start : len(new) - end]
    return f"{old[:start]}{{{middle_old} => {middle_new}}}{old[len(old) - end :]}"


def _summary_notes(comparison: Comparison) -> Iterator[str]:
    old, new = comparison.old, comparison.new
    if old.kind != new.kind:
        yield (
            f"Different kinds of artifact: an {old.kind} against a {new.kind}; "
            "their layouts differ, so some files may show as added and removed."
        )
    mode_only = comparison.summary.mode_changed
    if mode_only:
        yield f"{plural(mode_only, 'file')} changed mode only (not counted above)."
    if comparison.notable:
        kinds = [NOTABLE_LABELS[kind] for kind in _kinds_in_order(comparison.notable)]
        yield f"{len(comparison.notable):,} notable: {', '.join(kinds)}."
    if comparison.api:
        yield f"API: {api_summary(comparison.api)}."


def _kinds_in_order(notable: Sequence[Notable]) -> list[str]:
    return list(dict.fromkeys(entry.kind for entry in notable))


def _notable(
    comparison: Comparison, listed: Sequence[FileChange], anchors: dict[int, str]
) -> NotableSection:
    by_path = {change.path: anchors.get(id(change)) for change in listed}
    return NotableSection(
        tuple(
            NotableRow(
                kind=entry.kind,
                label=NOTABLE_LABELS.get(entry.kind, entry.kind),
                path=shown(entry.path) if entry.path is not None else None,
                anchor=by_path.get(entry.path) if entry.path is not None else None,
                detail=shown(entry.detail),
            )
            for entry in comparison.notable
        )
    )


def _api(comparison: Comparison) -> ApiSection:
    patterns, changes = patterns_first_rows_last(comparison.api or ())
    rows = tuple(_api_row(change) for change in changes)
    notes = tuple(shown(note) for note in comparison.api_notes)
    if comparison.api is None:
        notes = ("The API was not compared.", *notes)
    if not patterns:
        return ApiSection(rows, notes)
    others = len(rows) - sum(pattern.count for pattern in patterns)
    lead = (
        f"Changes repeated in many names, their rows listed after the other {others:,}:"
        if others
        else "Changes repeated in many names:"
    )
    return ApiSection(rows, notes, tuple(shown(p.line) for p in patterns), lead)


def _api_row(change: ApiChange) -> ApiRow:
    """A change as shown: long texts cut where the reader sees how they differ."""
    old, new = shown_pair(change.old, change.new)
    return ApiRow(
        change=change.change,
        name=shown(change.name),
        kind=change.kind,
        old=shown(old),
        new=shown(new),
        breaking=change.breaking,
        why=shown(change.why) if change.why else "",
    )


def _metadata(changes: Sequence[MetadataChange]) -> MetadataSection:
    rows = tuple(
        MetadataRow(_field_label(change), change.change, shown(change.old), shown(change.new))
        for change in changes
    )
    diffs = tuple(
        TextDiff(f"{change.field} ({change.detail})", shown_diff(change.diff))
        for change in changes
        if change.diff
    )
    return MetadataSection(rows, diffs)


def _field_label(change: MetadataChange) -> str:
    if change.detail and not change.diff:
        return f"{shown(change.field)} ({shown(change.detail)})"
    return shown(change.field)


def _files(
    comparison: Comparison, listed: Sequence[FileChange], anchors: dict[int, str]
) -> FilesSection:
    clauses = [f"{plural(len(listed), 'file')} changed" if listed else "No file changed"]
    if comparison.identical:
        clauses.append(f"{plural(comparison.identical, 'identical file')} not listed")
    counts = ", ".join(clauses) + "."
    rows = tuple(
        FileRow(
            path=shown(change.path),
            old_path=shown(change.old_path)
            if change.old_path and change.old_path != change.path
            else None,
            anchor=anchors.get(id(change)),
            status=file_status(change),
            size=size_change(change),
            lines=lines_change(change),
            insertions=change.shown_counts[0],
            deletions=change.shown_counts[1],
        )
        for change in listed
    )
    return FilesSection(counts, rows, _mode_only_line(comparison.files))


# Files named of each group of mode-only changes: the listing (``:listing:``) names all.
MODE_ONLY_NAMED = 10


def _mode_only_line(files: Sequence[FileChange]) -> str | None:
    """``5,947 files changed mode only: 664 → 644 (5,940: a.py; …; and 5,930 more),
    644 → 755 (7: bin/x; …)``: each group names its files, up to MODE_ONLY_NAMED."""
    groups: dict[tuple[str, str], list[str]] = {}
    for change in files:
        if _mode_only(change) and change.old and change.new:
            key = (format_mode(change.old.mode), format_mode(change.new.mode))
            groups.setdefault(key, []).append(shown(change.path))
    if not groups:
        return None
    total = sum(map(len, groups.values()))
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    spelled = ", ".join(
        f"{old} {ARROW} {new} ({_named_paths(paths)})" for (old, new), paths in ordered
    )
    return f"{plural(total, 'file')} changed mode only: {spelled}."


def _named_paths(paths: list[str]) -> str:
    named = "; ".join(sorted(paths)[:MODE_ONLY_NAMED])
    more = len(paths) - MODE_ONLY_NAMED
    return f"{len(paths):,}: {named}" + (f"; and {more:,} more" if more > 0 else "")


def file_status(change: FileChange) -> str:
    """The change as the Files table says it: a rename with its similarity."""
    if change.status == Status.RENAMED and change.similarity is not None:
        return f"renamed, {format_similarity(change.similarity)}"
    return str(change.status)


def size_change(change: FileChange) -> str:
    old = f"{change.old.size:,}" if change.old else ""
    new = f"{change.new.size:,}" if change.new else ""
    if change.old and change.new:
        return old if old == new else f"{old} {ARROW} {new}"
    return old or new


def lines_change(change: FileChange) -> str:
    if change.binary and change.diff is not None:
        return f"+{change.insertions:,} {MINUS}{change.deletions:,}, binary"
    if change.binary:
        if change.old is None:
            return "binary, new"
        if change.new is None:
            return "binary, gone"
        return "binary"
    if change.record is not None:
        return f"{plural(len(change.record), 'row')} changed" if change.record else "order only"
    if change.insertions or change.deletions:
        return f"+{change.insertions:,} {MINUS}{change.deletions:,}"
    return ""


def record_view(change: FileChange) -> str | None:
    """A RECORD's changed rows as a diff to read (not to apply: the patch has the real one)."""
    if not change.record:
        return None
    old_path, new_path = change.old_path or change.path, change.path
    lines = [f"--- a/{old_path}\n", f"+++ b/{new_path}\n"]
    for row in change.record:
        if row.old is not None:
            lines.append(f"-{row.old_path or row.path},{row.old}\n")
        if row.new is not None:
            lines.append(f"+{row.path},{row.new}\n")
    return "".join(lines)


def brief(change: FileChange) -> str:
    """A few words for a change that has no lines to count."""
    if change.binary or change.record is not None:
        return lines_change(change)
    notes = change_notes(change)
    return notes[0] if notes else str(change.status)


def _shown_diffs(
    listed: Sequence[FileChange], settings: Settings
) -> dict[int, tuple[str | None, int]]:
    """Each listed file's diff as shown (cut at ``max_diff_lines``) and the lines left out."""
    result: dict[int, tuple[str | None, int]] = {}
    for change in listed:
        if change.diff is None:
            result[id(change)] = (None, change.omitted_lines)
            continue
        text, omitted = cut_diff(change.diff, settings.max_diff_lines)
        result[id(change)] = (text, omitted + change.omitted_lines)
    return result


def cut_diff(diff: str, max_lines: int) -> tuple[str, int]:
    """The ``---``/``+++`` headers and ``max_lines`` lines after them, and how many were cut.

    Hunk headers and ``\\ No newline at end of file`` markers count as lines.
    """
    if max_lines <= 0:
        return diff, 0
    lines = diff.splitlines(keepends=True)
    body = lines[2:]
    if len(body) <= max_lines:
        return diff, 0
    return "".join(lines[: 2 + max_lines]), len(body) - max_lines


def _diff_texts(
    listed: Sequence[FileChange], shown_diffs: dict[int, tuple[str | None, int]]
) -> dict[int, tuple[str | None, int]]:
    """What each file's block shows and the lines cut: a wheel's RECORD shows its changed
    rows instead of its diff."""
    return {
        id(change): (record_view(change), 0)
        if change.record is not None
        else shown_diffs[id(change)]
        for change in listed
    }


def _budget_note(left_out: int, settings: Settings, where: str) -> str | None:
    """One line for every diff the report's line budget left out."""
    if not left_out:
        return None
    limit = settings.max_total_diff_lines
    files = ", and the Files table lists every file" if "files" in settings.show else ""
    return (
        f"{plural(left_out, 'diff')} not shown: this release diff reached its limit of "
        f"{plural(limit, 'diff line')} ({option_spelling('max_total_diff_lines', where)}); "
        "the files Notable names, then code and metadata, were given theirs first, "
        f"removed files theirs last{files}."
    )


def _diffs(
    blocked: Sequence[FileChange],
    anchors: dict[int, str],
    texts: dict[int, tuple[str | None, int]],
    settings: Settings,
    where: str,
    said_once: tuple[str | None, SharedMode | None],
) -> DiffsSection:
    budget_note, shared = said_once
    cut_option = option_spelling("max_diff_lines", where)
    blocks: list[DiffBlock] = []
    folded = 0
    for change in blocked:
        text, omitted = texts[id(change)]
        notes = change_notes(change, shared.modes if shared else None)
        folded += shared is not None and _mode_pair(change) == shared.modes
        if change.record is not None:
            notes.append(_record_note(change))
        if omitted:
            notes.append(f"diff cut short: {plural(omitted, 'more line')} not shown ({cut_option})")
        blocks.append(
            DiffBlock(
                anchor=anchors[id(change)],
                path=shown(change.path),
                status=str(change.status),
                notes=tuple(notes),
                diff=shown_diff(text) if text else None,
            )
        )
    section_notes = [budget_note] if budget_note else []
    if shared is not None and folded:
        section_notes.append(shared.note(folded))
    return DiffsSection(tuple(blocks), settings.collapse, tuple(section_notes))


# A mode change that at least this many files share, and this share of the files whose
# mode changed, is the release's own (Django 5.1: 664 -> 644 for 7,353 files): the Diffs
# section says it once instead of under each of 1,406 diffs.
SHARED_MODE_MIN_FILES = 20
SHARED_MODE_SHARE = 0.9


@dataclass(frozen=True, slots=True)
class SharedMode:
    """The mode change most of a release's files share, and how many files have it."""

    modes: tuple[int, int]
    files: int

    def note(self, folded: int) -> str:
        old, new = (format_mode(mode) for mode in self.modes)
        return (
            f"Mode {old} {ARROW} {new}, the release's change for {plural(self.files, 'file')}, "
            f"is not repeated under the {plural(folded, 'diff')} below that share it."
        )


def shared_mode_change(files: Sequence[FileChange]) -> SharedMode | None:
    """The one mode change (old, new) made to nine in ten of the files whose mode changed,
    when that is at least :data:`SHARED_MODE_MIN_FILES` files; never one that makes a file
    executable (each such file is named under its diff)."""
    pairs = Counter(pair for pair in map(_mode_pair, files) if pair is not None)
    if not pairs:
        return None
    modes, count = min(pairs.items(), key=lambda item: (-item[1], item[0]))
    gains_execute = modes[1] & ~modes[0] & 0o111
    if count < SHARED_MODE_MIN_FILES or count < SHARED_MODE_SHARE * pairs.total() or gains_execute:
        return None
    return SharedMode(modes, count)


def _mode_pair(change: FileChange) -> tuple[int, int] | None:
    """A file's mode before and after, when both are known and differ."""
    old, new = change.old, change.new
    if old is None or new is None or old.mode is None or new.mode is None:
        return None
    return (old.mode, new.mode) if old.mode != new.mode else None


# What a reviewer reads first: code, build and install configuration, metadata. Once the
# line budget is short, these get their diffs before documentation, data and translations
# (Sphinx 7.4.7 -> 8.0.0: 56 .po catalogs took the budget from 143 .py files).
_CODE_SUFFIXES = (
    ".py",
    ".pyi",
    ".pyx",
    ".pxd",
    ".pth",
    ".c",
    ".h",
    ".cc",
    ".cpp",
    ".cxx",
    ".hpp",
    ".rs",
    ".go",
    ".java",
    ".js",
    ".mjs",
    ".ts",
    ".sh",
    ".bat",
    ".ps1",
    ".toml",
    ".cfg",
    ".ini",
)
_CODE_NAMES = frozenset(
    {
        "PKG-INFO",
        "METADATA",
        "WHEEL",
        "RECORD",
        "entry_points.txt",
        "requires.txt",
        "MANIFEST.in",
        "Makefile",
        "CMakeLists.txt",
        "meson.build",
    }
)


def _reviewed_first(change: FileChange) -> bool:
    name = change.path.rsplit("/", 1)[-1]
    return name in _CODE_NAMES or name.endswith(_CODE_SUFFIXES)


def _within_line_budget(
    listed: Sequence[FileChange],
    texts: dict[int, tuple[str | None, int]],
    limit: int,
    notable_paths: Set[str] = frozenset(),
) -> set[int]:
    """The files whose diff is shown within ``limit`` lines in all (0: no limit).

    In :func:`_budget_rank` order, path order within each rank: a diff is shown
    while it fits in what is left, so a budget spent to 0 shows no more.
    """
    if limit <= 0:
        return {id(change) for change in listed}
    left = limit
    within: set[int] = set()
    for change in sorted(listed, key=lambda change: _budget_rank(change, notable_paths)):
        text = texts[id(change)][0]
        if text is None:
            continue
        lines = text.count("\n")
        if lines <= left:
            within.add(id(change))
            left -= lines
    return within


def _budget_rank(change: FileChange, notable_paths: Set[str]) -> tuple[bool, bool, bool, bool]:
    """Which diffs the line budget gives lines first: the files Notable names, then code and
    metadata before the rest; a removed file's body (all ``-`` lines) after every other diff,
    an added file's after the edits (pip 24.1's 56 removed vendored files took the budget
    before the vendored ``tags.py`` Notable named)."""
    return (
        change.path not in notable_paths,
        change.status == Status.REMOVED,
        not _reviewed_first(change),
        change.status == Status.ADDED,
    )


def _record_note(change: FileChange) -> str:
    if not change.record:
        return "RECORD compared as a set of rows: only their order changed"
    return (
        f"RECORD compared as a set of rows: {plural(len(change.record), 'row')} whose path or "
        "hash changed (order ignored; a patch carries the whole diff)"
    )


# Wording shared by the sections --------------------------------------------------


def change_notes(change: FileChange, said_elsewhere: tuple[int, int] | None = None) -> list[str]:
    """Plain sentences about a change that the diff itself does not show; a mode change
    equal to ``said_elsewhere`` (old, new) is left out (see :func:`shared_mode_change`)."""
    old, new = change.old, change.new
    notes: list[str] = []
    if change.status == Status.RENAMED and old and change.similarity is not None:
        similar = format_similarity(change.similarity)
        notes.append(f"renamed from {shown(old.path)} ({similar} similar)")
    elif old and new and old.path != new.path:
        notes.append(f"was {shown(old.path)}")
    if old and new and old.kind != new.kind:
        notes.append(f"type changed: {old.kind} {ARROW} {new.kind}")
    modes = _mode_pair(change)
    if modes is not None and modes != said_elsewhere:
        notes.append(f"mode {format_mode(modes[0])} {ARROW} {format_mode(modes[1])}")
    notes.extend(_link_notes(old, new))
    notes.extend(_content_notes(change))
    return notes


def _link_notes(old: Member | None, new: Member | None) -> Iterator[str]:
    links = (MemberKind.SYMLINK, MemberKind.HARDLINK)
    old_target = shown(old.linkname) if old and old.kind in links else None
    new_target = shown(new.linkname) if new and new.kind in links else None
    if old_target is not None and new_target is not None and old_target != new_target:
        yield f"link target {old_target} {ARROW} {new_target}"
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
    elif change.binary and sides and change.diff is not None:
        yield (
            f"text but for NUL bytes, shown as {NUL_SHOWN}: binary to diff and patch tools, "
            "so not in the patch; " + _binary_facts(change)
        )
    elif change.binary and sides:
        yield "binary file: " + _binary_facts(change)
    if change.encoding != "utf-8":
        yield "not valid UTF-8: shown as Latin-1"
    if change.diff and change.record is None and "\r\n" in change.diff:
        yield "has CRLF line endings (shown as \u240d)"
    if change.status in (Status.ADDED, Status.REMOVED) and sides and not sides[0].size:
        yield "empty file"


def _binary_facts(change: FileChange) -> str:
    def side(member: Member | None, absent: str) -> str:
        if member is None:
            return absent
        return f"{member.size:,} bytes, sha256 {member.sha256[:16]}"

    return f"{side(change.old, 'new')} {ARROW} {side(change.new, 'gone')}"


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


def problem_lines(comparison: Comparison) -> list[str]:
    """Everything a reader should be warned of, one sentence each."""
    lines = [shown(warning) for warning in comparison.warnings]
    for side, facts in (("OLD", comparison.old), ("NEW", comparison.new)):
        lines.extend(f"{side} {shown(facts.filename)}: {problem}" for problem in facts.problems)
    bidi = [shown(change.path) for change in comparison.files if change.bidi]
    if bidi:
        lines.append(
            "bidirectional control characters in changed lines (CVE-2021-42574): " + ", ".join(bidi)
        )
    return lines
