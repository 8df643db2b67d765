"""A static simple index (PEP 691 JSON or PEP 503 HTML) served on 127.0.0.1, with faults on demand."""

from __future__ import annotations

import hashlib
import html
import json
import socket
import ssl
import struct
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


@dataclass
class Behaviour:
    """What the server does; tests change it between requests."""

    html: bool = False
    page_status: int = 200
    file_status: int = 200
    truncate: bool = False  # send half a file, then end the response cleanly
    drop: bool = False  # send half a file, then reset the connection
    wrong_hash: bool = False
    delay: float = 0.0  # before answering
    trickle: float = 0.0  # seconds between bytes of a file, when set
    trickle_page: float = 0.0  # seconds between bytes of a listing, when set
    reason: str = ""  # the HTTP reason phrase of an error status
    huge_page: int = 0  # a listing of this many bytes, or with this Content-Length
    huge_page_declared: bool = True  # send the Content-Length of a huge page
    yanked: set[str] = field(default_factory=set)
    # A listing entry's URL instead of /files/NAME (file:, ftp:, data: links…).
    urls: dict[str, str] = field(default_factory=dict)
    # Extra listing entries: file name as the page gives it -> URL.
    extra: dict[str, str] = field(default_factory=dict)
    # Request path -> Location of a 302 answer.
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)


class IndexServer(ThreadingHTTPServer):
    # Closing the server waits for requests in progress, so no socket outlives it.
    daemon_threads = False
    block_on_close = True

    def __init__(
        self, folder: Path, behaviour: Behaviour, tls: ssl.SSLContext | None = None
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.behaviour = behaviour
        self.scheme = "http" if tls is None else "https"
        if tls is not None:
            # The handshake happens in the request's thread: a client that refuses the
            # certificate fails only its own request.
            self.socket = tls.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )

    @property
    def url(self) -> str:
        return f"{self.root}/simple/"

    @property
    def root(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up mid-answer is what many tests do


class _Handler(BaseHTTPRequestHandler):
    server: IndexServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        behaviour = self.server.behaviour
        # A request through a proxy names the whole URL; the path is what it serves.
        path = urllib.parse.urlsplit(self.path).path if "://" in self.path else self.path
        behaviour.requests.append(self.path)
        behaviour.agents.append(self.headers.get("User-Agent", ""))
        time.sleep(behaviour.delay)
        if path in behaviour.redirects:
            self.send_response(302)
            self.send_header("Location", behaviour.redirects[path])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path.startswith("/simple/"):
            self._page(path.removeprefix("/simple/").strip("/"))
        elif path.startswith("/files/"):
            self._file(urllib.parse.unquote(path.removeprefix("/files/")))
        else:
            self._send(404, b"not found", "text/plain")

    def _files(self, project: str) -> list[Path]:
        return sorted(
            path
            for path in self.server.folder.iterdir()
            if path.name.replace("_", "-").lower().startswith(project + "-")
        )

    def _page(self, project: str) -> None:
        behaviour = self.server.behaviour
        files = self._files(project)
        if behaviour.page_status != 200:
            self._send(behaviour.page_status, b"trouble", "text/plain")
            return
        if behaviour.huge_page:
            self._huge_page(behaviour.huge_page, behaviour.huge_page_declared)
            return
        if not files:
            self._send(404, b"no such project", "text/plain")
            return
        entries = [
            (
                path.name,
                behaviour.urls.get(path.name, f"/files/{path.name}"),
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.name in behaviour.yanked,
            )
            for path in files
        ]
        entries += [(name, url, "0" * 64, False) for name, url in behaviour.extra.items()]
        if behaviour.html:
            anchors = "".join(
                f'<a href="{html.escape(url)}#sha256={digest}"{" data-yanked=" if yanked else ""}>'
                f"{html.escape(name)}</a><br>\n"
                for name, url, digest, yanked in entries
            )
            self._send(
                200, f"<!DOCTYPE html><html><body>{anchors}</body></html>".encode(), "text/html"
            )
            return
        body = {
            "meta": {"api-version": "1.0"},
            "name": project,
            "files": [
                {"filename": name, "url": url, "hashes": {"sha256": digest}, "yanked": yanked}
                for name, url, digest, yanked in entries
            ],
        }
        self._send(200, json.dumps(body).encode(), "application/vnd.pypi.simple.v1+json")

    def _huge_page(self, size: int, declared: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if declared:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        block = b"<br>" * (1 << 14)
        sent = 0
        while sent < size:
            self.wfile.write(block[: size - sent])
            sent += len(block)
        self.close_connection = True

    def _file(self, name: str) -> None:
        behaviour = self.server.behaviour
        path = self.server.folder / name
        if behaviour.file_status != 200 or not path.is_file():
            self._send(
                behaviour.file_status if behaviour.file_status != 200 else 404, b"no", "text/plain"
            )
            return
        data = path.read_bytes()
        if behaviour.wrong_hash:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if behaviour.truncate or behaviour.drop:
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            if behaviour.drop:
                self._reset()
            return
        self._body(data, behaviour.trickle)

    def _reset(self) -> None:
        """Close with a TCP reset, as a dropped connection looks to the client."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _body(self, data: bytes, pause: float) -> None:
        if not pause:
            self.wfile.write(data)
            return
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(pause)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status, self.server.behaviour.reason or None)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._body(body, self.server.behaviour.trickle_page)


@contextmanager
def serve(
    folder: Path, behaviour: Behaviour | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[IndexServer]:
    """Serve ``folder`` as an index until the block ends, over HTTPS when given ``tls``."""
    server = IndexServer(folder, behaviour or Behaviour(), tls)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
