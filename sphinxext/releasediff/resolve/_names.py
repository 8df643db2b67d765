"""File names from an index, checked before one of them becomes a path in the cache.

``packaging`` parses names; it does not promise they are safe as paths (24.2
accepts ``demo-1.0-py3-none-any/../../x.whl`` as a wheel name). So the
project checks them itself. A name from a PEP 503 page is the last path
segment of its URL, percent-decoded once; a name from a PEP 691 page is taken
as it is. What is left must be one plain path component made of the
characters sdist and wheel names use. A ``%`` left after that one decoding
(``%252F`` decodes to ``%2F``) is refused, not kept: no release file name has
one, and a name that still looks encoded is a name some other tool would
decode again.
"""

from __future__ import annotations

import re
import urllib.parse

from ..safety import visible

__all__ = ["MAX_NAME_BYTES", "filename_from_url", "unsafe_name_reason"]

MAX_NAME_BYTES = 255  # the longest file name common file systems allow
# Letters, digits and the punctuation of normalised names, versions and tags.
_ALLOWED = re.compile(r"[A-Za-z0-9._+!-]+")


def filename_from_url(url: str) -> str:
    """The last path segment of ``url``, percent-decoded once."""
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rsplit("/", 1)[-1], errors="replace")


def unsafe_name_reason(name: str) -> str | None:
    """Why ``name`` may not be a file in the cache, or None when it may."""
    if not name:
        return "empty name"
    if visible(name) != name:
        return "control, format or bidirectional characters"
    if "/" in name or "\\" in name:
        return "a path separator"
    if ".." in name:
        return "'..'"
    if name.startswith("."):
        return "a leading dot"
    if "%" in name:
        return "'%' left after percent-decoding once"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"longer than {MAX_NAME_BYTES} bytes"
    if not _ALLOWED.fullmatch(name):
        return "characters other than letters, digits and . _ + ! -"
    return None
