"""A version or keyword argument -> a release archive on disk.

Sources, in order: local folders (``find_links``), the download cache, then a
PEP 691 (JSON) or PEP 503 (HTML) simple index. No index host is known here:
the URL comes from configuration or ``PIP_INDEX_URL``.

The package is split by concern:

- ``_choose``: versions, the keywords, pre-releases, yanked files, which file;
- ``_finder``: the releases of one package across folders, cache and index;
- ``_index``: reading a project's page on a simple index;
- ``_http``: one GET with a deadline, a size cap, TLS and only http(s) URLs;
- ``_cache``: the download cache, atomic and verified;
- ``_names``: file names from an index, checked before they become paths;
- ``_shared``: the sources, the errors, how paths are shown.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

from ..errors import ReleaseDiffError
from ._choose import KEYWORDS, ReleaseFile, identity_of, is_version_argument
from ._finder import Finder
from ._shared import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_USER_AGENT,
    MAX_PAGE_BYTES,
    NetworkError,
    ResolveError,
    Sources,
    TooLargeError,
    UnreachableError,
)

__all__ = [
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_USER_AGENT",
    "KEYWORDS",
    "MAX_PAGE_BYTES",
    "Finder",
    "NetworkError",
    "ReleaseFile",
    "ResolveError",
    "ResolvedPair",
    "Resolver",
    "Sources",
    "TooLargeError",
    "UnreachableError",
    "index_url_from_environment",
    "is_version_argument",
    "resolve_pair",
]

Resolver = Finder  # the name before the split


@dataclass(frozen=True, slots=True)
class ResolvedPair:
    old: Path
    new: Path
    # A keyword was resolved: the answer may change when a release is published.
    uses_keyword: bool
    # Things the user should know although both sides resolved (subtype "network"):
    # the index was unreachable and a keyword was chosen from disk, or index entries
    # with unsafe file names were left out. One line each, characters made visible.
    warnings: tuple[str, ...] = ()
    # Each side as messages should name it: a path argument as given, a resolved
    # file by its name (under its find-links folder, shown relative).
    old_display: str = ""
    new_display: str = ""


def index_url_from_environment() -> str | None:
    return os.environ.get("PIP_INDEX_URL") or None


def resolve_pair(
    old: str,
    new: str,
    *,
    package: str | None,
    dist: str,
    sources: Sources,
    current: str | None,
    path_of: Callable[[str], Path],
) -> ResolvedPair:
    """Both arguments as archive files; ``path_of`` turns a path argument into a path."""
    if new == "previous":
        raise ResolveError(new, "only OLD can be 'previous'")
    old_path = None if is_version_argument(old) else path_of(old)
    new_path = None if is_version_argument(new) else path_of(new)
    if old_path is not None and new_path is not None:
        return ResolvedPair(old_path, new_path, False, (), old, new)
    package = package or _project_of(new_path or old_path)
    if not package:
        argument = new if new_path is None else old
        raise ResolveError(argument, "a version argument needs the package name", "package")
    finder = Finder(package, dist, sources)
    with _naming(package, new):
        new_file = finder.choose(new, None, current) if new_path is None else None
        new_version = new_file.version if new_file else _version_of(new_path)
    with _naming(package, old):
        old_file = finder.choose(old, new_version, current) if old_path is None else None
        old_fetched = old_path or finder.fetch(_present(old_file))
    with _naming(package, new):
        new_fetched = new_path or finder.fetch(_present(new_file))
    return ResolvedPair(
        old_fetched,
        new_fetched,
        uses_keyword=old in KEYWORDS or new in KEYWORDS,
        warnings=tuple(dict.fromkeys(finder.warnings)),
        old_display=old if old_file is None else finder.shown(old_file),
        new_display=new if new_file is None else finder.shown(new_file),
    )


def _present(file: ReleaseFile | None) -> ReleaseFile:
    assert file is not None
    return file


@contextlib.contextmanager
def _naming(package: str, argument: str) -> Iterator[None]:
    """Errors name the package and the argument they arose from (``demo previous: …``)."""
    try:
        yield
    except ReleaseDiffError as exc:
        prefix = f"{package} {argument}"
        if exc.source.startswith(prefix):
            raise
        # The same class, with whatever else it carries (an HTTP status…).
        renamed = type(exc).__new__(type(exc))
        renamed.__dict__.update(vars(exc))
        renamed.source, renamed.reason = prefix, f"{exc.source}: {exc.reason}"
        renamed.args = (f"{renamed.source}: {renamed.reason}",)
        raise renamed from None


def _project_of(path: Path | None) -> str | None:
    identity = identity_of(path.name) if path else None
    return identity[0] if identity else None


def _version_of(path: Path | None) -> Version | None:
    identity = identity_of(path.name) if path else None
    return identity[1] if identity else None
