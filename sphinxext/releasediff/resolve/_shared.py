"""What every part of resolving needs: the sources, the errors, and how paths are shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..errors import LimitError, ReleaseDiffError
from ..safety import visible

__all__ = [
    "DEFAULT_MAX_DOWNLOAD_BYTES",
    "DEFAULT_USER_AGENT",
    "MAX_PAGE_BYTES",
    "HttpStatusError",
    "NetworkError",
    "ResolveError",
    "Sources",
    "TooLargeError",
    "UnreachableError",
    "shown_path",
]

DEFAULT_USER_AGENT = f"sphinxext-releasediff/{__version__}"
# A listing of tens of thousands of files is a few MiB; more is not an index page.
MAX_PAGE_BYTES = 64 << 20
# Large compiled wheels reach hundreds of MiB; an archive above this is not worth comparing.
DEFAULT_MAX_DOWNLOAD_BYTES = 1 << 30


class ResolveError(ReleaseDiffError):
    """No release matches an argument, or an argument cannot be resolved."""

    subtype = "resolve"

    def __init__(self, source: str, reason: str, option: str | None = None) -> None:
        super().__init__(visible(source), visible(reason))
        self.option = option


class NetworkError(ReleaseDiffError):
    """The index answered badly, or a download failed or did not verify."""

    subtype = "network"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(visible(source), visible(reason))


class UnreachableError(NetworkError):
    """The index could not be asked at all: refused, unknown host, timed out, or HTTP 5xx.

    ``previous`` and ``latest`` may then fall back to the files on disk.
    """


class HttpStatusError(NetworkError):
    """The server answered with an HTTP status other than 200 (and not a redirect)."""

    def __init__(self, source: str, status: int, reason: str) -> None:
        super().__init__(source, f"HTTP {status} {reason}".rstrip())
        self.status = status


class TooLargeError(LimitError):
    """A listing page or a download is over its size cap."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(visible(source), visible(reason))


@dataclass(frozen=True, slots=True)
class Sources:
    """Where releases are looked for, and how the index is reached.

    ``timeout`` bounds each whole request (connecting, the headers and the body).
    With ``fallback_when_unreachable``, ``previous`` and ``latest`` are chosen
    from the folders and the cache when the index cannot be reached, and the
    resolved pair carries a warning saying so; a caller that does not show
    ``ResolvedPair.warnings`` should leave it off. Paths in messages are shown
    relative to ``shown_relative_to`` (default: the working directory).
    """

    find_links: tuple[Path, ...] = ()
    index_url: str | None = None
    cache_dir: Path | None = None
    offline: bool = False
    timeout: float = 30.0
    tls_verify: bool = True
    tls_cacerts: str | Mapping[str, str] | None = None
    user_agent: str = ""
    max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES
    fallback_when_unreachable: bool = False
    shown_relative_to: Path | None = None

    @property
    def agent(self) -> str:
        return self.user_agent or DEFAULT_USER_AGENT


def shown_path(path: Path, sources: Sources) -> str:
    """``path`` as the user configured it, never the build machine's absolute path.

    Relative paths are shown as they are; absolute ones relative to
    ``sources.shown_relative_to`` (or the working directory) when inside it,
    else by their last component.
    """
    if not path.is_absolute():
        return path.as_posix()
    base = sources.shown_relative_to or Path.cwd()
    try:
        return path.relative_to(base).as_posix() or "."
    except ValueError:
        return path.name
