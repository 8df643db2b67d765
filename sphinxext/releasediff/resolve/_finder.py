"""The releases of one package across its sources, each source listed at most once.

Folders (``find_links``) first, then the download cache, then the index. A
pinned version found on disk needs no network. When the index cannot be
reached and ``Sources.fallback_when_unreachable`` is on, ``previous`` and
``latest`` are chosen from the files on disk and a warning says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import InvalidVersion, Version

from ..safety import visible
from ._cache import DownloadCache, Writer
from ._choose import ReleaseFile, best_file, nearest_versions, newest, release_file
from ._http import check_scheme, get
from ._index import Listing, project_page_url, read_listing
from ._shared import NetworkError, ResolveError, Sources, UnreachableError, shown_path

__all__ = ["Finder"]

_MAX_REFUSED_SHOWN = 3


class Finder:
    def __init__(self, package: str, dist: str, sources: Sources) -> None:
        self.package = package
        self.name: NormalizedName = canonicalize_name(package)
        self.dist = dist
        self.sources = sources
        self.cache = DownloadCache(sources.cache_dir, self.name) if sources.cache_dir else None
        self.warnings: list[str] = []
        self._local: list[ReleaseFile] | None = None
        self._index: list[ReleaseFile] | None = None
        self._unreachable: UnreachableError | None = None

    # Choosing ---------------------------------------------------------------

    def choose(
        self, argument: str, new_version: Version | None, current: str | None
    ) -> ReleaseFile:
        """The file an argument names. ``new_version`` is NEW's, for ``previous``."""
        label = f"{self.package} {argument}"
        if argument == "current":
            if not current:
                raise ResolveError(label, "needs the Sphinx project's release to be set")
            return self._exact(self._parse(current, "the project's release"))
        allow_pre = new_version is not None and new_version.is_prerelease
        if argument == "latest":
            return self._newest(label, lambda version: True, allow_pre, "no release")
        if argument == "previous":
            if new_version is None:
                raise ResolveError(label, "needs NEW to be a version or a release file name")
            return self._newest(
                label,
                lambda version: version < new_version,
                allow_pre,
                f"no release before {new_version}",
            )
        return self._exact(self._parse(argument, "a version"))

    def _parse(self, text: str, what: str) -> Version:
        try:
            return Version(text)
        except InvalidVersion:
            raise ResolveError(
                f"{self.package} {text}", f"{what} is not a PEP 440 version"
            ) from None

    def _exact(self, version: Version) -> ReleaseFile:
        found = [f for f in self._local_files() if f.version == version]
        if not found:
            found = [f for f in self._index_files() if f.version == version]
        if found:
            return best_file(found)
        known = [f.version for f in self._all_files() if f.kind == self.dist]
        reason = f"no {self.dist} of that version in {self._where()}"
        nearest = nearest_versions(known, version)
        if nearest:
            reason += f"; nearest: {', '.join(nearest)}"
        other = sorted({f.kind for f in self._all_files() if f.version == version} - {self.dist})
        if other:
            reason += f" (there is a {' and a '.join(other)} of {version})"
        raise ResolveError(f"{self.package} {version}", reason)

    def _newest(
        self, label: str, accept: Callable[[Version], bool], allow_pre: bool, missing: str
    ) -> ReleaseFile:
        """The best file of the highest release ``accept`` takes, from every source."""
        local = self._local_files()
        try:
            remote = self._index_files()
        except UnreachableError as exc:
            chosen = newest(local, accept, allow_pre)
            if not self.sources.fallback_when_unreachable or not chosen:
                raise
            file = best_file(chosen)
            self.warnings.append(
                f"{label}: {exc.source}: {exc.reason}; chose {file.version} from "
                f"{self._where(index=False)} instead (the index may have a newer one)"
            )
            return file
        chosen = newest([*local, *remote], accept, allow_pre)
        if not chosen:
            raise ResolveError(label, f"{missing} ({self.dist}) in {self._where()}")
        return best_file(chosen)

    def _where(self, *, index: bool = True) -> str:
        places = [shown_path(folder, self.sources) for folder in self.sources.find_links]
        if self.cache:
            places.append("the download cache")
        asks_index = index and self.sources.index_url and not self.sources.offline
        if asks_index and self.sources.index_url:
            places.append(self.sources.index_url)
        where = ", ".join(places) or "no source"
        if not index:
            return where
        if not self.sources.find_links and not self.sources.index_url:
            where += " (no find-links folder and no index URL are set)"
        elif self.sources.offline and self.sources.index_url:
            where += " (offline: the index was not asked)"
        return where

    # Listing ----------------------------------------------------------------

    def _all_files(self) -> list[ReleaseFile]:
        """Files of every kind, from every source that answers."""
        try:
            return [*self._local_any(), *self._index_any()]
        except UnreachableError:
            return self._local_any()

    def _local_files(self) -> list[ReleaseFile]:
        return [file for file in self._local_any() if file.kind == self.dist]

    def _index_files(self) -> list[ReleaseFile]:
        return [file for file in self._index_any() if file.kind == self.dist]

    def _local_any(self) -> list[ReleaseFile]:
        if self._local is None:
            paths = [path for folder in self.sources.find_links for path in _files_in(folder)]
            if self.cache:
                paths.extend(self.cache.files())
            found = (release_file(path.name, str(path), self.name) for path in paths)
            self._local = [file for file in found if file is not None]
        return self._local

    def _index_any(self) -> list[ReleaseFile]:
        if self._unreachable is not None:
            raise self._unreachable
        if self._index is None:
            index_url = self.sources.index_url
            if not index_url or self.sources.offline:
                self._index = []
                return self._index
            try:
                listing = read_listing(project_page_url(index_url, self.name), self.sources)
            except UnreachableError as exc:
                self._unreachable = exc
                raise
            self._note_refused(listing)
            self._index = []
            for link in listing.links:
                file = release_file(link.filename, link.url, self.name)
                if file is not None:
                    self._index.append(
                        replace(file, hashes=link.hashes, yanked=link.yanked, remote=True)
                    )
        return self._index

    def _note_refused(self, listing: Listing) -> None:
        if not listing.refused:
            return
        shown = "; ".join(
            f"{visible(name)} ({reason})" for name, reason in listing.refused[:_MAX_REFUSED_SHOWN]
        )
        more = len(listing.refused) - _MAX_REFUSED_SHOWN
        if more > 0:
            shown += f"; and {more:,} more"
        count = len(listing.refused)
        self.warnings.append(
            f"{self.package}: {visible(listing.url)}: left out {count:,} "
            f"file{'s' if count != 1 else ''} with unsafe names: {shown}"
        )

    # Fetching ---------------------------------------------------------------

    def fetch(self, file: ReleaseFile) -> Path:
        """The file on disk: local as it is; from the index, verified, via the cache."""
        if file.local:
            return Path(file.location)
        if self.cache is None:
            raise ResolveError(file.filename, "no cache folder to download into")
        cached = self.cache.cached(file.filename, file.hashes)
        if cached is not None:
            return cached
        if self.sources.offline:
            raise NetworkError(file.filename, "not in the cache, and offline mode is on")
        check_scheme(file.location)
        return self.cache.store(
            file.filename, file.location, file.hashes, partial(self._download, file.location)
        )

    def _download(self, url: str, write: Writer) -> None:
        get(url, self.sources, accept="*/*", max_bytes=self.sources.max_download_bytes, sink=write)

    def shown(self, file: ReleaseFile) -> str:
        """How a resolved file is named in messages: never an absolute path."""
        for folder in self.sources.find_links:
            if file.local and Path(file.location).parent == folder:
                return f"{shown_path(folder, self.sources)}/{file.filename}"
        return file.filename


def _files_in(folder: Path) -> list[Path]:
    try:
        return sorted(path for path in folder.iterdir() if path.is_file())
    except OSError:
        return []
