"""A version or keyword argument -> a release archive on disk.

Sources, in order: local folders (``find_links``), the download cache, then a
PEP 691 (JSON) or PEP 503 (HTML) simple index. Files are recognised by name
with ``packaging.utils``; downloads are verified against the index's hash and
written atomically into the cache, then reused without touching the network.
No index host is known here: the URL comes from configuration or
``PIP_INDEX_URL``.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

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

from . import __version__
from .errors import ReleaseDiffError

__all__ = [
    "KEYWORDS",
    "NetworkError",
    "ReleaseFile",
    "ResolveError",
    "ResolvedPair",
    "Resolver",
    "Sources",
    "index_url_from_environment",
    "is_version_argument",
    "resolve_pair",
]

KEYWORDS = ("previous", "latest", "current")
DEFAULT_USER_AGENT = f"sphinxext-releasediff/{__version__}"
_JSON_TYPE = "application/vnd.pypi.simple.v1+json"
_ACCEPT = f"{_JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
_CHUNK = 1 << 16
_PREFERRED_HASHES = ("sha256", "sha512", "sha384", "sha224", "blake2b")


class ResolveError(ReleaseDiffError):
    """No release matches an argument, or an argument cannot be resolved."""

    subtype = "resolve"


class NetworkError(ReleaseDiffError):
    """The index could not be reached, or a download failed or did not verify."""

    subtype = "network"


@dataclass(frozen=True, slots=True)
class Sources:
    """Where releases are looked for, and how the index is reached."""

    find_links: tuple[Path, ...] = ()
    index_url: str | None = None
    cache_dir: Path | None = None
    offline: bool = False
    timeout: float = 30.0
    tls_verify: bool = True
    tls_cacerts: str | Mapping[str, str] | None = None
    user_agent: str = ""

    @property
    def agent(self) -> str:
        return self.user_agent or DEFAULT_USER_AGENT


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """One file of one release, in a folder or on an index."""

    filename: str
    version: Version
    kind: str  # "sdist" or "wheel"
    tags: frozenset[Tag]
    location: str  # a local path, or a URL on the index
    hashes: Mapping[str, str] = field(default_factory=dict)
    yanked: bool = False

    @property
    def local(self) -> bool:
        return "://" not in self.location

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


def index_url_from_environment() -> str | None:
    return os.environ.get("PIP_INDEX_URL") or None


class Resolver:
    """Finds and fetches the files of one package, listing each source at most once."""

    def __init__(self, package: str, dist: str, sources: Sources) -> None:
        self.package = package
        self.name: NormalizedName = canonicalize_name(package)
        self.dist = dist
        self.sources = sources
        self._local: list[ReleaseFile] | None = None
        self._index: list[ReleaseFile] | None = None

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
        if argument == "latest":
            return self._newest(lambda version: True, new_version, label, "no release")
        if argument == "previous":
            if new_version is None:
                raise ResolveError(label, "needs NEW to be a version or a release file name")
            return self._newest(
                lambda version: version < new_version,
                new_version,
                label,
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
        # A pinned version needs no listing of the index when a local file has it.
        found = [f for f in self._local_files() if f.version == version]
        if not found:
            found = [f for f in self._index_files() if f.version == version]
        if not found:
            raise ResolveError(
                self._label(version), f"no {self.dist} of that version in {self._where()}"
            )
        return self._best_file(found)

    def _newest(
        self,
        accept: Callable[[Version], bool],
        new_version: Version | None,
        label: str,
        missing: str,
    ) -> ReleaseFile:
        """The highest release ``accept`` takes; pre-releases only when NEW is one."""
        files = [f for f in self._all_files() if not f.yanked and accept(f.version)]
        allow_pre = new_version is not None and new_version.is_prerelease
        finals = [
            f
            for f in files
            if allow_pre or not (f.version.is_prerelease or f.version.is_devrelease)
        ]
        if not finals:
            raise ResolveError(label, f"{missing} ({self.dist}) in {self._where()}")
        newest = max(f.version for f in finals)
        return self._best_file([f for f in finals if f.version == newest])

    def _best_file(self, files: Sequence[ReleaseFile]) -> ReleaseFile:
        """Local before index; sdists: .tar.gz before .zip; wheels: pure first, then by name."""

        def rank(file: ReleaseFile) -> tuple[bool, bool, bool, str]:
            return (
                not file.local,
                file.kind == "wheel" and not file.pure,
                not file.filename.endswith(".tar.gz"),
                file.filename,
            )

        return min(files, key=rank)

    def _label(self, version: Version) -> str:
        return f"{self.package} {version}"

    def _where(self) -> str:
        places = [str(folder) for folder in self.sources.find_links]
        if self.sources.cache_dir:
            places.append("the download cache")
        if self.sources.index_url and not self.sources.offline:
            places.append(self.sources.index_url)
        where = ", ".join(places) or "no source"
        if not self.sources.find_links and not self.sources.index_url:
            where += " (no find-links folder and no index URL are set)"
        elif self.sources.offline and self.sources.index_url:
            where += " (offline: the index was not asked)"
        return where

    # Listing ----------------------------------------------------------------

    def _all_files(self) -> list[ReleaseFile]:
        return [*self._local_files(), *self._index_files()]

    def _local_files(self) -> list[ReleaseFile]:
        if self._local is None:
            folders = [*self.sources.find_links]
            if self.sources.cache_dir:
                folders.append(self._cache_folder())
            self._local = [
                file
                for folder in folders
                for file in self._release_files(
                    (path.name, str(path)) for path in sorted(_files_in(folder))
                )
            ]
        return self._local

    def _index_files(self) -> list[ReleaseFile]:
        if self._index is None:
            self._index = []
            if self.sources.index_url and not self.sources.offline:
                self._index = list(self._list_index(self.sources.index_url))
        return self._index

    def _release_files(self, entries: Iterable[tuple[str, str]]) -> Iterator[ReleaseFile]:
        for filename, location in entries:
            file = _release_file(filename, location, self.name, self.dist)
            if file is not None:
                yield file

    def _list_index(self, index_url: str) -> Iterator[ReleaseFile]:
        page_url = urllib.parse.urljoin(index_url.rstrip("/") + "/", f"{self.name}/")
        try:
            with self._open(page_url, accept=_ACCEPT) as response:
                content_type = response.headers.get_content_type()
                body = response.read()
        except urllib.error.HTTPError as exc:
            exc.close()  # an HTTP error holds the connection open until closed
            if exc.code == 404:
                return
            raise NetworkError(page_url, f"HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise NetworkError(page_url, _network_reason(exc)) from None
        links = _parse_json_page(body) if content_type == _JSON_TYPE else _parse_html_page(body)
        for filename, url, hashes, yanked in links:
            file = _release_file(
                filename, urllib.parse.urljoin(page_url, url), self.name, self.dist
            )
            if file is not None:
                yield ReleaseFile(
                    file.filename, file.version, file.kind, file.tags, file.location, hashes, yanked
                )

    # Fetching ---------------------------------------------------------------

    def fetch(self, file: ReleaseFile) -> Path:
        """The file on disk: local as it is; from the index, verified, via the cache."""
        if file.local:
            return Path(file.location)
        if self.sources.cache_dir is None:
            raise ResolveError(file.filename, "no cache folder to download into")
        target = self._cache_folder() / file.filename
        if target.is_file() and _verifies(target, file.hashes):
            return target
        if self.sources.offline:
            raise NetworkError(file.filename, "not in the cache, and offline mode is on")
        algorithm = next((name for name in _PREFERRED_HASHES if name in file.hashes), None)
        if algorithm is None:
            raise NetworkError(file.location, "the index gives no hash to verify the download with")
        self._download(file, target, algorithm)
        return target

    def _download(self, file: ReleaseFile, target: Path, algorithm: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.new(algorithm)
        handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=".part-", delete=False)  # noqa: SIM115
        try:
            with handle, self._open(file.location, accept="*/*") as response:
                expected = response.headers.get("Content-Length")
                size = 0
                while chunk := response.read(_CHUNK):
                    digest.update(chunk)
                    handle.write(chunk)
                    size += len(chunk)
            if expected is not None and expected.isdigit() and int(expected) != size:
                raise NetworkError(
                    file.location, f"download ended early ({size:,} of {int(expected):,} bytes)"
                )
            if digest.hexdigest() != file.hashes[algorithm].lower():
                raise NetworkError(
                    file.location, f"{algorithm} of the download does not match the index"
                )
            os.replace(handle.name, target)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise NetworkError(file.location, f"HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise NetworkError(file.location, _network_reason(exc)) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(handle.name)

    def _cache_folder(self) -> Path:
        assert self.sources.cache_dir is not None
        return self.sources.cache_dir / self.name

    def _open(self, url: str, accept: str) -> http.client.HTTPResponse:
        headers = {"Accept": accept, "User-Agent": self.sources.agent}
        request = urllib.request.Request(url, headers=headers)
        context = _ssl_context(url, self.sources) if url.startswith("https:") else None
        response = urllib.request.urlopen(request, timeout=self.sources.timeout, context=context)
        return cast("http.client.HTTPResponse", response)


@dataclass(frozen=True, slots=True)
class ResolvedPair:
    old: Path
    new: Path
    # A keyword was resolved: the answer may change when a release is published.
    uses_keyword: bool


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
        return ResolvedPair(old_path, new_path, uses_keyword=False)
    package = package or _project_of(new_path or old_path)
    if not package:
        argument = new if new_path is None else old
        raise ResolveError(argument, "a version argument needs the package name (package option)")
    resolver = Resolver(package, dist, sources)
    with _naming(package, new):
        new_file = resolver.choose(new, None, current) if new_path is None else None
        new_version = new_file.version if new_file else _version_of(new_path)
    with _naming(package, old):
        old_file = resolver.choose(old, new_version, current) if old_path is None else None
        old_fetched = old_path or resolver.fetch(cast("ReleaseFile", old_file))
    with _naming(package, new):
        new_fetched = new_path or resolver.fetch(cast("ReleaseFile", new_file))
    return ResolvedPair(old_fetched, new_fetched, uses_keyword=old in KEYWORDS or new in KEYWORDS)


@contextlib.contextmanager
def _naming(package: str, argument: str) -> Iterator[None]:
    """Errors name the package and the argument they arose from (``demo previous: …``)."""
    try:
        yield
    except ReleaseDiffError as exc:
        prefix = f"{package} {argument}"
        if exc.source.startswith(prefix):
            raise
        raise type(exc)(prefix, f"{exc.source}: {exc.reason}") from None


def _identity_of(path: Path | None) -> tuple[str, Version] | None:
    if path is None:
        return None
    try:
        if path.name.endswith(".whl"):
            name, version, _build, _tags = parse_wheel_filename(path.name)
            return name, version
        return parse_sdist_filename(path.name)
    except (InvalidSdistFilename, InvalidWheelFilename, InvalidVersion):
        return None


def _project_of(path: Path | None) -> str | None:
    identity = _identity_of(path)
    return identity[0] if identity else None


def _version_of(path: Path | None) -> Version | None:
    identity = _identity_of(path)
    return identity[1] if identity else None


def _files_in(folder: Path) -> list[Path]:
    try:
        return [path for path in folder.iterdir() if path.is_file()]
    except OSError:
        return []


def _release_file(
    filename: str, location: str, name: NormalizedName, dist: str
) -> ReleaseFile | None:
    """The release a file name stands for, when it is the package's and of the kind asked for."""
    try:
        if filename.endswith(".whl"):
            wheel_name, version, _build, tags = parse_wheel_filename(filename)
            kind, project = "wheel", wheel_name
        else:
            project, version = parse_sdist_filename(filename)
            kind, tags = "sdist", frozenset()
    except (InvalidSdistFilename, InvalidWheelFilename, InvalidVersion):
        return None
    if canonicalize_name(project) != name or kind != dist:
        return None
    return ReleaseFile(filename, version, kind, tags, location)


def _verifies(path: Path, hashes: Mapping[str, str]) -> bool:
    algorithm = next((name for name in _PREFERRED_HASHES if name in hashes), None)
    if algorithm is None:
        return True  # a cached file was verified when it was written
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest() == hashes[algorithm].lower()


Link = tuple[str, str, dict[str, str], bool]


def _parse_json_page(body: bytes) -> list[Link]:
    """PEP 691: ``files`` with ``filename``, ``url``, ``hashes`` and ``yanked``."""
    try:
        page = json.loads(body)
        return [
            (
                str(item["filename"]),
                str(item["url"]),
                {str(k).lower(): str(v) for k, v in dict(item.get("hashes") or {}).items()},
                bool(item.get("yanked", False)),
            )
            for item in page.get("files", [])
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NetworkError("index page", f"not a PEP 691 JSON page ({exc})") from None


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[Link] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        attributes = dict(attrs)
        href = attributes.get("href")
        if not href:
            return
        url, _, fragment = href.partition("#")
        hashes = {}
        if "=" in fragment:
            algorithm, _, value = fragment.partition("=")
            hashes[algorithm.lower()] = value
        filename = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        self.links.append((filename, url, hashes, "data-yanked" in attributes))


def _parse_html_page(body: bytes) -> list[Link]:
    """PEP 503: one anchor per file, the hash in the URL fragment, PEP 592 ``data-yanked``."""
    collector = _LinkCollector()
    collector.feed(body.decode("utf-8", "replace"))
    return collector.links


def _ssl_context(url: str, sources: Sources) -> ssl.SSLContext:
    cacerts = sources.tls_cacerts
    if isinstance(cacerts, Mapping):
        cacerts = cacerts.get(urllib.parse.urlsplit(url).hostname or "")
    context = ssl.create_default_context(cafile=cacerts or None)
    if not sources.tls_verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _network_reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return "timed out"
    return str(reason).strip() or type(exc).__name__
