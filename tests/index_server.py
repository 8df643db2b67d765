"""A static simple index (PEP 691 JSON or PEP 503 HTML) served on 127.0.0.1, with faults on demand."""

from __future__ import annotations

import hashlib
import html
import json
import threading
import time
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
    truncate: bool = False
    wrong_hash: bool = False
    delay: float = 0.0
    yanked: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)


class IndexServer(ThreadingHTTPServer):
    # Closing the server waits for requests in progress, so no socket outlives it.
    daemon_threads = False
    block_on_close = True

    def __init__(self, folder: Path, behaviour: Behaviour) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.folder = folder
        self.behaviour = behaviour

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/simple/"


class _Handler(BaseHTTPRequestHandler):
    server: IndexServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        behaviour = self.server.behaviour
        behaviour.requests.append(self.path)
        time.sleep(behaviour.delay)
        if self.path.startswith("/simple/"):
            self._page(self.path.removeprefix("/simple/").strip("/"))
        elif self.path.startswith("/files/"):
            self._file(self.path.removeprefix("/files/"))
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
        if not files:
            self._send(404, b"no such project", "text/plain")
            return
        entries = [
            (
                path.name,
                f"/files/{path.name}",
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.name in behaviour.yanked,
            )
            for path in files
        ]
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
        self.wfile.write(data[: len(data) // 2] if behaviour.truncate else data)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(folder: Path, behaviour: Behaviour | None = None) -> Iterator[IndexServer]:
    """Serve ``folder`` as an index until the block ends."""
    server = IndexServer(folder, behaviour or Behaviour())
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
