"""Field-level changes in core metadata (PKG-INFO / METADATA), WHEEL and entry points."""

from __future__ import annotations

import importlib.metadata
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from email.parser import BytesHeaderParser

from packaging.metadata import RawMetadata, parse_email
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from .identity import metadata_member
from .model import Archive, MetadataChange
from .textdiff import unified_diff

__all__ = [
    "UNREADABLE_ENTRY_POINTS",
    "compare_metadata",
    "declared_license_files",
    "parse_entry_points",
    "requirement_changes",
]

_EGG_INFO_REQUIRES = "Requires-Dist (requires.txt)"
# Values longer than this, or of several lines, are shown as a diff.
_LONG_VALUE = 200

# Core metadata fields in the order a reviewer cares about them, with their
# header spelling. Fields not listed here follow, sorted.
_FIELDS: dict[str, str] = {
    "name": "Name",
    "version": "Version",
    "requires_python": "Requires-Python",
    "requires_dist": "Requires-Dist",
    "egg_info_requires": _EGG_INFO_REQUIRES,
    "provides_extra": "Provides-Extra",
    "requires_external": "Requires-External",
    "classifiers": "Classifier",
    "license": "License",
    "license_expression": "License-Expression",
    "license_files": "License-File",
    "project_urls": "Project-URL",
    "home_page": "Home-page",
    "download_url": "Download-URL",
    "summary": "Summary",
    "author": "Author",
    "author_email": "Author-email",
    "maintainer": "Maintainer",
    "maintainer_email": "Maintainer-email",
    "keywords": "Keywords",
    "platforms": "Platform",
    "supported_platforms": "Supported-Platform",
    "dynamic": "Dynamic",
    "description_content_type": "Description-Content-Type",
    "metadata_version": "Metadata-Version",
    "description": "Description",
}


# Fields holding project or extra names: ``Foo_Bar`` and ``foo-bar`` are one name.
_CANONICAL_NAME_FIELDS = frozenset({"name", "provides_extra"})


def compare_metadata(old: Archive, new: Archive) -> list[MetadataChange]:
    old_wheel, new_wheel = old.facts.kind == "wheel", new.facts.kind == "wheel"
    old_fields = _with_egg_info(old, _parse_core(old, old_wheel))
    new_fields = _with_egg_info(new, _parse_core(new, new_wheel))
    changes = list(_core_changes(*_requirements_as_one_field(old_fields, new_fields)))
    if old_wheel or new_wheel:
        changes.extend(_wheel_file_changes(old, new))
        changes.extend(_entry_point_changes(old, new))
    return changes


def declared_license_files(archive: Archive) -> frozenset[str]:
    """The ``License-File`` values of the archive's core metadata."""
    raw = _parse_core(archive, archive.facts.kind == "wheel")
    return frozenset(raw.get("license_files") or ())


def _parse_core(archive: Archive, wheel: bool) -> RawMetadata:
    stem = archive.facts.wheel_stem
    member = metadata_member(archive.members, archive.contents, wheel=wheel, stem=stem)
    data = archive.content(member) if member else None
    if data is None:
        return {}
    raw, _unparsed = parse_email(data)
    if "description" in raw and _HEADER_DESCRIPTION.search(_headers(data)):
        raw["description"] = _unfolded(raw["description"])
    return raw


# A Description given as a header (Metadata-Version 1.x) rather than as the body.
_HEADER_DESCRIPTION = re.compile(rb"^Description[ \t]*:", re.IGNORECASE | re.MULTILINE)


def _headers(data: bytes) -> bytes:
    """The header part of a core metadata file: up to its first blank line."""
    end = re.search(rb"\r?\n\r?\n", data)
    return data if end is None else data[: end.start()]


def _unfolded(text: str) -> str:
    """A header Description's text as written: its later lines carry the 8 columns
    setuptools indented them by, or the 7 spaces and ``|`` the spec describes (six 1.16's
    PKG-INFO; 1.17 puts it in the body, where it is not indented)."""
    first, *rest = text.split("\n")
    # The header's last line ended in a newline too, as a body's does.
    return "\n".join([first, *map(_unindented, rest)]).rstrip("\n") + "\n"


def _unindented(line: str) -> str:
    if line.startswith(("       |", " " * 8)):
        return line[8:]
    return line if line.strip() else ""


def _with_egg_info(archive: Archive, raw: RawMetadata) -> dict[str, object]:
    """Older setuptools wrote no Requires-Dist into an sdist's PKG-INFO, only into
    ``*.egg-info/requires.txt``: use that, under its own field name, when PKG-INFO has none."""
    fields: dict[str, object] = dict(raw)
    if "requires_dist" in fields or archive.facts.kind != "sdist":
        return fields
    data = archive.top_folder_file(".egg-info/requires.txt")
    if data is not None:
        fields["egg_info_requires"] = _parse_requires_txt(data.decode("utf-8", "replace"))
    return fields


def _requirements_as_one_field(
    old: dict[str, object], new: dict[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """When one side's requirements are in PKG-INFO and the other's only in requires.txt
    (setuptools began writing Requires-Dist), they are compared as one list, line by line:
    requests 2.31.0 -> 2.32.3 asks for the same six, not six new ones."""
    sides = (old, new)
    if any("requires_dist" in side for side in sides) and any(
        "egg_info_requires" in side for side in sides
    ):
        for side in sides:
            if "egg_info_requires" in side:
                side["requires_dist"] = side.pop("egg_info_requires")
    return old, new


def _parse_requires_txt(text: str) -> list[str]:
    """``requires.txt`` lines as Requires-Dist strings; ``[extra:marker]`` sections become
    markers."""
    requirements: list[str] = []
    condition = ""
    for line in (raw.strip() for raw in text.splitlines()):
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            extra, _, marker = line[1:-1].partition(":")
            parts = [f"({marker})" if marker else "", f'extra == "{extra}"' if extra else ""]
            condition = " and ".join(part for part in parts if part)
            continue
        requirements.append(f"{line}; {condition}" if condition else line)
    return requirements


def _core_changes(
    old_fields: Mapping[str, object], new_fields: Mapping[str, object]
) -> Iterator[MetadataChange]:
    keys = old_fields.keys() | new_fields.keys()
    ordered = [key for key in _FIELDS if key in keys] + sorted(keys - _FIELDS.keys())
    for key in ordered:
        title = _FIELDS.get(key) or key.replace("_", "-").title()
        before, after = old_fields.get(key), new_fields.get(key)
        if before == after:
            continue
        if key in ("requires_dist", "egg_info_requires"):
            yield from requirement_changes(title, _strings(before), _strings(after))
        elif key in _CANONICAL_NAME_FIELDS:
            yield from _canonical_changes(title, _strings(before), _strings(after))
        elif key == "description" or _long_text(before) or _long_text(after):
            yield _description_change(title, _text(before), _text(after), key)
        elif isinstance(before, dict) or isinstance(after, dict):
            yield from _mapping_changes(title, _mapping(before), _mapping(after))
        elif isinstance(before, list) or isinstance(after, list):
            yield from _list_changes(title, _strings(before), _strings(after))
        else:
            yield _scalar_change(title, _text(before) or None, _text(after) or None)


def _strings(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    return [] if value is None else [str(value)]


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _mapping(value: object) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _scalar_change(title: str, before: str | None, after: str | None) -> MetadataChange:
    change = "added" if before is None else "removed" if after is None else "changed"
    return MetadataChange(field=title, change=change, old=before, new=after)


def _list_changes(title: str, before: list[str], after: list[str]) -> Iterator[MetadataChange]:
    for item in sorted(set(before) - set(after)):
        yield MetadataChange(field=title, change="removed", old=item, new=None)
    for item in sorted(set(after) - set(before)):
        yield MetadataChange(field=title, change="added", old=None, new=item)


def _mapping_changes(
    title: str, before: dict[str, str], after: dict[str, str]
) -> Iterator[MetadataChange]:
    for label in sorted(before.keys() | after.keys()):
        old, new = before.get(label), after.get(label)
        if old != new:
            change = _scalar_change(title, old, new)
            yield MetadataChange(title, change.change, old, new, detail=label)


def _long_text(value: object) -> bool:
    """A License text or a long Summary: shown as a diff of its own, not in a table cell."""
    return isinstance(value, str) and ("\n" in value.strip() or len(value) > _LONG_VALUE)


def _description_change(
    title: str, before: str, after: str, key: str = "description"
) -> MetadataChange:
    name = key.replace("_", "-")
    diff = unified_diff(
        before.encode("utf-8", "surrogateescape"),
        after.encode("utf-8", "surrogateescape"),
        f"a/{name}",
        f"b/{name}",
    )
    change = "added" if not before else "removed" if not after else "changed"
    summary = f"+{diff.insertions} −{diff.deletions} lines"
    if diff.hashed_only is not None:
        summary = f"not diffed, {diff.hashed_only}"
    return MetadataChange(title, change, None, None, detail=summary, diff=diff.text or None)


def _canonical_changes(title: str, before: list[str], after: list[str]) -> Iterator[MetadataChange]:
    """Names compared by their canonical form; a change of spelling alone is no change."""
    old_names = {canonicalize_name(name): name for name in before}
    new_names = {canonicalize_name(name): name for name in after}
    if title == "Name" and old_names and new_names:
        if old_names.keys() != new_names.keys():
            yield _scalar_change(title, before[0], after[0])
        return
    for key in sorted(old_names.keys() - new_names.keys()):
        yield MetadataChange(field=title, change="removed", old=old_names[key], new=None)
    for key in sorted(new_names.keys() - old_names.keys()):
        yield MetadataChange(field=title, change="added", old=None, new=new_names[key])


def requirement_changes(
    title: str, before: Iterable[str], after: Iterable[str]
) -> Iterator[MetadataChange]:
    """Requirements compared per project: added, removed, or changed (saying what changed).

    Lines of one project are distinct entries (one per marker or extra, say): an
    identical line is no change, the others pair up by marker and extras, then by
    marker, then by what they ask for, and one left on each side pairs as a change;
    any others are added or removed.
    """
    old_by_name, new_by_name = _requirements_by_name(before), _requirements_by_name(after)
    for name in sorted(old_by_name.keys() | new_by_name.keys()):
        old = list(old_by_name.get(name, []))
        new = list(new_by_name.get(name, []))
        for requirement in list(old):
            if requirement in new:
                old.remove(requirement)
                new.remove(requirement)
        for before_req, after_req in _pair_requirements(old, new):
            detail = _requirement_difference(before_req, after_req)
            yield MetadataChange(title, "changed", str(before_req), str(after_req), detail=detail)
        yield from _list_changes(title, [str(r) for r in old], [str(r) for r in new])


def _pair_requirements(
    old: list[Requirement | str], new: list[Requirement | str]
) -> list[tuple[Requirement | str, Requirement | str]]:
    """Take matching old and new lines of one project out of both lists, as pairs."""
    pairs: list[tuple[Requirement | str, Requirement | str]] = []
    for same in (_marker_and_extras_of, _marker_of, _request_of):
        for before in list(old):
            match = next((after for after in new if same(after) == same(before)), None)
            if match is not None and same(before) is not None:
                old.remove(before)
                new.remove(match)
                pairs.append((before, match))
    if len(old) == 1 and len(new) == 1:
        pairs.append((old.pop(), new.pop()))
    return pairs


def _marker_of(requirement: Requirement | str) -> str | None:
    if isinstance(requirement, str):
        return None
    return str(requirement.marker or "")


def _marker_and_extras_of(requirement: Requirement | str) -> str | None:
    if isinstance(requirement, str):
        return None
    return f"{_marker_of(requirement)}[{','.join(_canonical_extras(requirement))}]"


def _request_of(requirement: Requirement | str) -> str | None:
    """What a line asks for, marker aside: extras, specifier and URL."""
    if isinstance(requirement, str):
        return None
    extras = ",".join(_canonical_extras(requirement))
    return f"[{extras}]{requirement.specifier}@{requirement.url or ''}"


def _requirements_by_name(lines: Iterable[str]) -> dict[str, list[Requirement | str]]:
    grouped: defaultdict[str, list[Requirement | str]] = defaultdict(list)
    for line in lines:
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            grouped[line].append(line)
            continue
        grouped[canonicalize_name(requirement.name)].append(requirement)
    # A line given twice is one requirement.
    return {
        name: sorted({str(line): line for line in group}.values(), key=str)
        for name, group in grouped.items()
    }


def _requirement_difference(old: Requirement | str, new: Requirement | str) -> str:
    if isinstance(old, str) or isinstance(new, str):
        return "requirement"
    parts = [
        label
        for label, before, after in (
            ("extras", _canonical_extras(old), _canonical_extras(new)),
            ("specifier", str(old.specifier), str(new.specifier)),
            ("marker", str(old.marker or ""), str(new.marker or "")),
            ("url", old.url or "", new.url or ""),
        )
        if before != after
    ]
    return ", ".join(parts) or "name spelling"


def _canonical_extras(requirement: Requirement) -> list[str]:
    return sorted(canonicalize_name(extra) for extra in requirement.extras)


def _dist_info_file(archive: Archive, leaf: str) -> bytes | None:
    return archive.dist_info_file(leaf)


def _wheel_file_changes(old: Archive, new: Archive) -> Iterator[MetadataChange]:
    before = _parse_wheel_file(_dist_info_file(old, "WHEEL"))
    after = _parse_wheel_file(_dist_info_file(new, "WHEEL"))
    for key in sorted(before.keys() | after.keys()):
        old_values, new_values = before.get(key, []), after.get(key, [])
        if old_values == new_values:
            continue
        title = f"WHEEL {key}"
        if key == "Tag":
            yield from _list_changes(title, old_values, new_values)
        else:
            yield _scalar_change(title, " ".join(old_values) or None, " ".join(new_values) or None)


def _parse_wheel_file(data: bytes | None) -> dict[str, list[str]]:
    if not data:
        return {}
    message = BytesHeaderParser().parsebytes(data)
    fields: defaultdict[str, list[str]] = defaultdict(list)
    for key, value in message.items():
        fields[key].append(str(value).strip())
    return {key: sorted(values) for key, values in fields.items()}


def _entry_point_changes(old: Archive, new: Archive) -> Iterator[MetadataChange]:
    before = parse_entry_points(_dist_info_file(old, "entry_points.txt"))
    after = parse_entry_points(_dist_info_file(new, "entry_points.txt"))
    for group in sorted(before.keys() | after.keys()):
        title = f"entry points [{group}]"
        yield from _mapping_changes(title, before.get(group, {}), after.get(group, {}))


def parse_entry_points(data: bytes | None) -> dict[str, dict[str, str]]:
    """Group → name → target, read as ``importlib.metadata`` reads the file (and so pip
    when it makes scripts, and pluggy when it loads plugins): lines before the first
    section are skipped, ``;`` starts no comment, an indented line is an entry of its own.
    A name declared twice in a group has each of its targets, the first first (the one
    ``EntryPoints[name]`` and pluggy take; pip keeps the last)."""
    if not data:
        return {}
    try:
        entries = _EntryPointsFile(data.decode("utf-8", "replace")).entry_points
    except (TypeError, ValueError):  # a line without "=" in a section: importers fail too
        return {UNREADABLE_ENTRY_POINTS: {}}
    groups: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        targets = groups.setdefault(entry.group, {}).setdefault(entry.name, [])
        if entry.value not in targets:
            targets.append(entry.value)
    return {
        group: {name: _targets_text(targets) for name, targets in names.items()}
        for group, names in groups.items()
    }


UNREADABLE_ENTRY_POINTS = "(unreadable entry_points.txt)"


def _targets_text(targets: list[str]) -> str:
    first, *again = targets
    return f"{first} (declared again as {', '.join(again)})" if again else first


class _EntryPointsFile(importlib.metadata.Distribution):
    """A distribution that is its ``entry_points.txt`` alone."""

    def __init__(self, text: str) -> None:
        self._text = text

    def read_text(self, filename: str | os.PathLike[str]) -> str | None:
        return self._text if filename == "entry_points.txt" else None

    def locate_file(self, path: str | os.PathLike[str]) -> importlib.metadata.PackagePath:
        raise FileNotFoundError(path)  # entry points never ask for a file
