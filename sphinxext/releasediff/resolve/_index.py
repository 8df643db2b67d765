"""A project's page on a simple index: PEP 691 JSON, or PEP 503 HTML.

The JSON form is asked for first. Links are made absolute against the page's
final URL (after redirects, or a ``<base href>``). File names are checked here,
before anything else sees them; entries with unsafe names are left out and
counted, so the caller can say so.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ._http import get
from ._names import filename_from_url, unsafe_name_reason
from ._shared import MAX_PAGE_BYTES, HttpStatusError, NetworkError, Sources

__all__ = ["Link", "Listing", "parse_page", "project_page_url", "read_listing"]

JSON_TYPES = ("application/vnd.pypi.simple.v1+json", "application/vnd.pypi.simple.latest+json")
ACCEPT = f"{JSON_TYPES[0]}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"


@dataclass(frozen=True, slots=True)
class Link:
    filename: str
    url: str  # absolute
    hashes: dict[str, str] = field(default_factory=dict)
    yanked: bool = False


@dataclass(frozen=True, slots=True)
class Listing:
    url: str
    links: tuple[Link, ...] = ()
    # (name as given, why it was refused), in page order.
    refused: tuple[tuple[str, str], ...] = ()


def project_page_url(index_url: str, project: str) -> str:
    return urllib.parse.urljoin(index_url.rstrip("/") + "/", f"{project}/")


def read_listing(page_url: str, sources: Sources) -> Listing:
    """The page's links; an empty listing when the index does not know the project (404)."""
    body = bytearray()
    try:
        fetched = get(page_url, sources, accept=ACCEPT, max_bytes=MAX_PAGE_BYTES, sink=body.extend)
    except HttpStatusError as exc:
        if exc.status in (404, 410):
            return Listing(page_url)
        raise
    return parse_page(bytes(body), fetched.content_type, fetched.url)


def parse_page(body: bytes, content_type: str, page_url: str) -> Listing:
    raw = _json_links(body, page_url) if content_type in JSON_TYPES else _html_links(body, page_url)
    links: list[Link] = []
    refused: list[tuple[str, str]] = []
    for filename, url, hashes, yanked in raw:
        reason = unsafe_name_reason(filename)
        if reason is None:
            links.append(Link(filename, url, hashes, yanked))
        else:
            refused.append((filename, reason))
    return Listing(page_url, tuple(links), tuple(refused))


_RawLink = tuple[str, str, dict[str, str], bool]


def _json_links(body: bytes, page_url: str) -> list[_RawLink]:
    """PEP 691: ``files``, each with ``filename``, ``url``, ``hashes`` and ``yanked``."""
    try:
        page = json.loads(body)
        return [
            (
                str(item["filename"]),
                urllib.parse.urljoin(page_url, str(item["url"])),
                {str(k).lower(): str(v) for k, v in dict(item.get("hashes") or {}).items()},
                bool(item.get("yanked", False)),
            )
            for item in page.get("files", [])
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NetworkError(page_url, f"not a PEP 691 JSON page ({exc})") from None


def _html_links(body: bytes, page_url: str) -> list[_RawLink]:
    """PEP 503: one anchor per file, the hash in the URL fragment, PEP 592 ``data-yanked``."""
    collector = _LinkCollector(page_url)
    collector.feed(body.decode("utf-8", "replace"))
    collector.close()
    return collector.links


class _LinkCollector(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.base = page_url
        self.links: list[_RawLink] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        href = attributes.get("href")
        if tag == "base" and href:
            self.base = urllib.parse.urljoin(self.base, href)
            return
        if tag != "a" or not href:
            return
        url, _, fragment = href.partition("#")
        hashes = {}
        if "=" in fragment:
            algorithm, _, value = fragment.partition("=")
            hashes[algorithm.lower()] = value
        absolute = urllib.parse.urljoin(self.base, url)
        self.links.append((filename_from_url(url), absolute, hashes, "data-yanked" in attributes))
