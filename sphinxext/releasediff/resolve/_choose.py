"""Choosing a release: versions, the keywords, pre-releases, yanked files, which file.

Pure functions over the files found; nothing here reads a folder or the network.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from packaging.tags import Tag
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    NormalizedName,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

__all__ = [
    "KEYWORDS",
    "ReleaseFile",
    "best_file",
    "identity_of",
    "is_version_argument",
    "nearest_versions",
    "newest",
    "release_file",
]

KEYWORDS = ("previous", "latest", "current")


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """One file of one release, in a folder, in the cache or on an index."""

    filename: str
    version: Version
    kind: str  # "sdist" or "wheel"
    tags: frozenset[Tag]
    location: str  # a local path, or a URL on the index
    hashes: Mapping[str, str] = field(default_factory=dict)
    yanked: bool = False
    remote: bool = False

    @property
    def local(self) -> bool:
        return not self.remote

    @property
    def pure(self) -> bool:
        """A wheel for any platform and ABI (``py3-none-any``)."""
        return any(tag.abi == "none" and tag.platform == "any" for tag in self.tags)


def is_version_argument(argument: str) -> bool:
    """A keyword or a PEP 440 version, as opposed to an archive path."""
    if argument in KEYWORDS:
        return True
    try:
        Version(argument)
    except InvalidVersion:
        return False
    return True


def identity_of(filename: str) -> tuple[NormalizedName, Version, str, frozenset[Tag]] | None:
    """Project, version, kind and tags a release file name stands for, or None."""
    try:
        if filename.endswith(".whl"):
            project, version, _build, tags = parse_wheel_filename(filename)
            return project, version, "wheel", tags
        project, version = parse_sdist_filename(filename)
    except (InvalidSdistFilename, InvalidWheelFilename, InvalidVersion):
        return None
    return canonicalize_name(project), version, "sdist", frozenset()


def release_file(filename: str, location: str, name: NormalizedName) -> ReleaseFile | None:
    """The release file ``filename`` is, when it is one of project ``name``'s."""
    identity = identity_of(filename)
    if identity is None or canonicalize_name(identity[0]) != name:
        return None
    _project, version, kind, tags = identity
    return ReleaseFile(filename, version, kind, tags, location)


def newest(
    files: Iterable[ReleaseFile], accept: Callable[[Version], bool], allow_pre: bool
) -> list[ReleaseFile]:
    """The highest release ``accept`` takes: not yanked, finals unless ``allow_pre``."""
    candidates = [
        file
        for file in files
        if not file.yanked
        and accept(file.version)
        and (allow_pre or not (file.version.is_prerelease or file.version.is_devrelease))
    ]
    if not candidates:
        return []
    highest = max(file.version for file in candidates)
    return [file for file in candidates if file.version == highest]


def best_file(files: Sequence[ReleaseFile]) -> ReleaseFile:
    """Local before index; sdists: .tar.gz before .zip; wheels: pure first, then by name."""

    def rank(file: ReleaseFile) -> tuple[bool, bool, bool, str]:
        return (
            file.remote,
            file.kind == "wheel" and not file.pure,
            not file.filename.endswith(".tar.gz"),
            file.filename,
        )

    return min(files, key=rank)


def nearest_versions(versions: Iterable[Version], wanted: Version, each_side: int = 2) -> list[str]:
    """Up to ``each_side`` existing versions just below ``wanted`` and just above it."""
    known = sorted(set(versions) - {wanted})
    at = bisect.bisect_left(known, wanted)
    return [str(version) for version in known[max(at - each_side, 0) : at + each_side]]
