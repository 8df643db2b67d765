"""One GET over HTTP(S): redirects checked, a deadline for the whole request, a size cap.

``http.client`` is used directly, not ``urllib.request``: a socket timeout bounds
each read, so a server trickling one byte a second would never time out there.
Here a watchdog shuts the socket at the deadline, whatever the request is doing.
Only ``http`` and ``https`` URLs are followed, as the first URL and after every
redirect. Proxies come from the usual environment variables.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._shared import (
    HttpStatusError,
    NetworkError,
    Sources,
    TooLargeError,
    UnreachableError,
    shown_path,
)

__all__ = ["Fetched", "check_scheme", "get"]

_SCHEMES = ("http", "https")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10
_CHUNK = 1 << 16

Sink = Callable[[bytes], None]


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    size: int


def check_scheme(url: str) -> None:
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if not scheme:
        raise NetworkError(url, "not a URL (no http:// or https://)")
    if scheme not in _SCHEMES:
        raise NetworkError(url, f"only http and https URLs are followed, not '{scheme}:'")


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(self.end - time.monotonic(), 0.0)

    @property
    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def error(self, url: str) -> UnreachableError:
        return UnreachableError(url, f"timed out after {self.seconds:g} s")


def get(url: str, sources: Sources, *, accept: str, max_bytes: int, sink: Sink) -> Fetched:
    """GET ``url`` into ``sink``, within ``sources.timeout`` seconds and ``max_bytes`` bytes."""
    deadline = _Deadline(sources.timeout)
    headers = {"Accept": accept, "User-Agent": sources.agent, "Accept-Encoding": "identity"}
    for _hop in range(_MAX_REDIRECTS + 1):
        check_scheme(url)
        if deadline.passed:
            raise deadline.error(url)
        location = _get_once(url, headers, sources, deadline, max_bytes, sink)
        if isinstance(location, Fetched):
            return location
        url = location
    raise NetworkError(url, f"more than {_MAX_REDIRECTS} redirects")


def _get_once(
    url: str,
    headers: Mapping[str, str],
    sources: Sources,
    deadline: _Deadline,
    max_bytes: int,
    sink: Sink,
) -> Fetched | str:
    """The response to one request, or the URL a redirect points to."""
    try:
        connection, target = _connection(url, sources, deadline)
    except (ValueError, http.client.InvalidURL) as exc:
        raise NetworkError(url, f"not a valid URL ({exc})") from None
    watchdog: threading.Timer | None = None
    response: http.client.HTTPResponse | None = None
    try:
        connection.connect()
        watchdog = _watch(connection, deadline)
        connection.request("GET", target, headers=dict(headers))
        response = connection.getresponse()
        if response.status in _REDIRECTS:
            location = response.getheader("Location")
            if not location:
                raise NetworkError(url, f"HTTP {response.status} redirect without a Location")
            return urllib.parse.urljoin(url, location)
        if response.status != 200:
            if response.status >= 500:
                raise UnreachableError(url, f"HTTP {response.status} {response.reason}".rstrip())
            raise HttpStatusError(url, response.status, response.reason)
        size = _stream(url, response, deadline, max_bytes, sink)
        return Fetched(url, response.headers.get_content_type(), size)
    except ssl.SSLCertVerificationError as exc:
        # Before ValueError, which it also is. Not "unreachable": the index answered,
        # and a certificate that does not verify is no reason to fall back to disk.
        raise NetworkError(url, _reason(exc)) from None
    except (ValueError, http.client.InvalidURL) as exc:
        # http.client refuses control characters and non-ASCII in a request.
        raise NetworkError(url, f"not a valid URL ({exc})") from None
    except (OSError, http.client.HTTPException) as exc:
        if deadline.passed or isinstance(exc, TimeoutError):
            raise deadline.error(url) from None
        raise UnreachableError(url, _reason(exc)) from None
    finally:
        if watchdog is not None:
            watchdog.cancel()
        if response is not None:
            response.close()  # the socket stays open while its response does
        connection.close()


def _stream(
    url: str, response: http.client.HTTPResponse, deadline: _Deadline, max_bytes: int, sink: Sink
) -> int:
    length = _content_length(response)
    if length is not None and length > max_bytes:
        raise TooLargeError(url, f"{length:,} bytes, over the cap of {max_bytes:,}")
    size = 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise TooLargeError(url, f"more than the cap of {max_bytes:,} bytes")
        try:
            sink(chunk)
        except OSError as exc:
            raise NetworkError(url, f"cannot keep the download ({exc.strerror or exc})") from None
        if deadline.passed:
            raise deadline.error(url)
    if deadline.passed:  # the watchdog shut the socket: the end of data is not the end
        raise deadline.error(url)
    if length is not None and size != length:
        raise NetworkError(url, f"download ended early ({size:,} of {length:,} bytes)")
    return size


def _content_length(response: http.client.HTTPResponse) -> int | None:
    value = response.getheader("Content-Length")
    return int(value) if value is not None and value.strip().isdigit() else None


def _connection(
    url: str, sources: Sources, deadline: _Deadline
) -> tuple[http.client.HTTPConnection, str]:
    """A connection for ``url`` (through a proxy when one is set) and the request target."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if not host:
        raise NetworkError(url, "no host in the URL")
    try:
        port = parts.port
    except ValueError:
        raise NetworkError(url, "not a valid port") from None
    target = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy = _proxy_for(parts.scheme, host)
    timeout = max(deadline.remaining(), 0.001)
    if parts.scheme == "https":
        context = _ssl_context(url, sources)
        if proxy is None:
            return http.client.HTTPSConnection(host, port, timeout=timeout, context=context), target
        connection = http.client.HTTPSConnection(*proxy, timeout=timeout, context=context)
        connection.set_tunnel(host, port)
        return connection, target
    if proxy is None:
        return http.client.HTTPConnection(host, port, timeout=timeout), target
    # A plain HTTP proxy is sent the whole URL.
    return http.client.HTTPConnection(*proxy, timeout=timeout), url


def _proxy_for(scheme: str, host: str) -> tuple[str, int | None] | None:
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    parts = urllib.parse.urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return (parts.hostname or "", parts.port)


def _watch(connection: http.client.HTTPConnection, deadline: _Deadline) -> threading.Timer:
    """Shut the socket at the deadline; a blocked read then returns at once."""
    sock = connection.sock

    def shut() -> None:
        if sock is not None:
            # The plain socket's shutdown: an SSL socket's would unwrap the session.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(deadline.remaining(), shut)
    watchdog.daemon = True
    watchdog.start()
    return watchdog


def _ssl_context(url: str, sources: Sources) -> ssl.SSLContext:
    """The system's trusted CAs, or those of ``tls_cacerts`` (a file or a folder, or a
    mapping of host, or host:port as Sphinx keys it, to one) for this URL's host."""
    if not sources.tls_verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    cacerts = _cacerts_for(url, sources.tls_cacerts)
    try:
        if cacerts and os.path.isdir(cacerts):
            return ssl.create_default_context(capath=cacerts)
        return ssl.create_default_context(cafile=cacerts or None)
    except OSError as exc:
        shown = shown_path(Path(cacerts or ""), sources)
        reason = _cacerts_problem(exc)
        raise NetworkError(url, f"cannot use the TLS CA certificates {shown} ({reason})") from None


def _cacerts_problem(exc: OSError) -> str:
    if isinstance(exc, ssl.SSLError):  # read, but not certificates
        return str(exc.reason or exc).replace("_", " ").lower()
    return exc.strerror or str(exc)


def _cacerts_for(url: str, cacerts: str | Mapping[str, str] | None) -> str | None:
    if not isinstance(cacerts, Mapping):
        return cacerts
    netloc = urllib.parse.urlsplit(url).netloc.rpartition("@")[2]
    host = urllib.parse.urlsplit(url).hostname or ""
    return cacerts.get(netloc) or cacerts.get(host)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not verified ({exc.verify_message or exc})"
    if isinstance(exc, http.client.IncompleteRead):
        return "download ended early (connection closed)"
    if isinstance(exc, ConnectionError):
        return f"connection lost ({exc.strerror or type(exc).__name__})"
    return str(exc).strip() or type(exc).__name__
