"""Which package and version an archive holds, and whether it is an sdist or a wheel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from packaging.metadata import parse_email
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from .model import Member, stored_content

__all__ = [
    "DIST_INFO",
    "Contents",
    "Identity",
    "identify",
    "metadata_member",
    "names_release",
    "wheel_stem",
]

# File bytes by their sha256, as Archive.contents holds them.
Contents = Mapping[str, bytes]


@dataclass(frozen=True, slots=True)
class Identity:
    name: str | None
    version: str | None
    kind: str  # "sdist", "wheel" or "archive"
    # A wheel's own ``NAME-VER``: its ``NAME-VER.dist-info/`` is the one installers read.
    wheel_stem: str | None = None


def identify(filename: str, members: Iterable[Member], contents: Contents) -> Identity:
    """Name and version from the file name, else from the archive's own metadata."""
    members = list(members)
    from_name = _from_filename(filename)
    wheel = from_name.kind == "wheel" if from_name else None
    stem = None
    if from_name and wheel:
        stem = wheel_stem((member.path for member in members), from_name.name, from_name.version)
    metadata = metadata_member(members, contents, wheel=wheel, stem=stem)
    from_metadata = _from_metadata(metadata, contents) if metadata else None
    if from_name:
        return replace(_prefer_spelling(from_name, from_metadata), wheel_stem=stem)
    if from_metadata:
        return from_metadata
    return Identity(name=None, version=None, kind="archive")


def wheel_stem(paths: Iterable[str], name: str | None, version: str | None) -> str | None:
    """The ``NAME-VER`` of the wheel's own ``.dist-info`` folder at its root: the one named
    for the wheel's project and version, as installers require, else the only one there.
    Another such folder (``aaa-0.dist-info/``) is no more than files of that name."""
    folders = sorted(
        {
            path.split("/", 1)[0].removesuffix(DIST_INFO)
            for path in paths
            if "/" in path and path.split("/", 1)[0].endswith(DIST_INFO)
        }
    )
    for folder in folders:
        if names_release(folder, name, version):
            return folder
    return folders[0] if len(folders) == 1 else None


DIST_INFO = ".dist-info"


def names_release(stem: str, name: str | None, version: str | None) -> bool:
    """Whether ``NAME-VER`` names this project and version, in any spelling of either."""
    project, _dash, written = stem.rpartition("-")
    if not project or not name or not version:
        return False
    if canonicalize_name(project) != canonicalize_name(name):
        return False
    try:
        return Version(written) == Version(version)
    except InvalidVersion:
        return written == version


def metadata_member(
    members: Iterable[Member],
    contents: Contents,
    wheel: bool | None = None,
    stem: str | None = None,
) -> Member | None:
    """The core metadata file: ``PKG-INFO`` of an sdist or ``METADATA`` of a wheel, that of
    its own ``.dist-info`` folder (``stem``) when it is known.

    Of copies at one path, the last is the one extraction leaves, so it is the one read.
    """
    last = {member.path: member for member in members}
    members = [member for member in last.values() if stored_content(contents, member) is not None]
    if wheel is not True:
        for member in members:
            if member.path == "PKG-INFO":
                return member
    if wheel is not False:
        candidates = sorted(
            (m for m in members if _is_wheel_metadata(m.path)),
            key=lambda m: (m.path != f"{stem}{DIST_INFO}/METADATA", m.path),
        )
        if candidates:
            return candidates[0]
    return None


def _is_wheel_metadata(path: str) -> bool:
    folder, _, leaf = path.partition("/")
    return folder.endswith(".dist-info") and leaf == "METADATA"


def _from_filename(filename: str) -> Identity | None:
    if filename.endswith(".whl"):
        try:
            name, version, _build, _tags = parse_wheel_filename(filename)
        except InvalidWheelFilename:
            return None
        return Identity(name=name, version=str(version), kind="wheel")
    try:
        name, version = parse_sdist_filename(filename)
    except InvalidSdistFilename:
        return None
    return Identity(name=name, version=str(version), kind="sdist")


def _from_metadata(member: Member, contents: Contents) -> Identity | None:
    raw, _unparsed = parse_email(stored_content(contents, member) or b"")
    name, version = raw.get("name"), raw.get("version")
    if not name:
        return None
    kind = "sdist" if member.path == "PKG-INFO" else "wheel"
    return Identity(name=name, version=version, kind=kind)


def _prefer_spelling(from_name: Identity, from_metadata: Identity | None) -> Identity:
    """Keep the metadata's spelling of the name when it is the same project."""
    if (
        from_metadata
        and from_metadata.name
        and from_name.name
        and canonicalize_name(from_metadata.name) == canonicalize_name(from_name.name)
    ):
        return Identity(name=from_metadata.name, version=from_name.version, kind=from_name.kind)
    return from_name
