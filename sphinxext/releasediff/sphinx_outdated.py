"""Pages are read again when an archive they compare changes, whatever its mtime.

Sphinx rereads a page when a dependency's mtime is newer than the page's last
read; an archive replaced by an older copy (``cp -p``, a download keeping the
server's date, a ``git checkout``) is missed. The directive calls
:func:`note_archive` for each archive it reads; the environment keeps the
archive's size, mtime, ctime, inode and SHA-256, and ``env-get-outdated``
compares them with the file as it is now. The hash is computed again only
when a stat field differs (no program can set the ctime back), so an
untouched archive costs one ``stat``, and a touched one with the same bytes
is not read again. A page whose
archive was missing is read again on every build until it appears.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

__all__ = ["Fingerprint", "fingerprint", "note_archive", "outdated_docs", "setup"]

# Attribute on the environment: {docname: {absolute path: Fingerprint, or None if missing}}.
_ATTRIBUTE = "releasediff_archives"
Archives = dict[str, dict[str, "Fingerprint | None"]]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    sha256: str


def fingerprint(path: Path, sha256: str | None = None) -> Fingerprint | None:
    """What identifies the file's content now; ``None`` if it cannot be read.

    ``sha256``, when the caller has just hashed the file while reading it, spares
    reading it again.
    """
    try:
        with path.open("rb") as stream:
            status = os.fstat(stream.fileno())
            digest = sha256 or hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None
    return Fingerprint(
        status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, digest
    )


def _archives(env: BuildEnvironment) -> Archives:
    archives: Archives | None = getattr(env, _ATTRIBUTE, None)
    if archives is None:
        archives = {}
        setattr(env, _ATTRIBUTE, archives)
    return archives


def note_archive(
    env: BuildEnvironment, docname: str, path: Path | str, sha256: str | None = None
) -> None:
    """Remember the archive ``path`` that page ``docname`` compares, as it is now.

    ``sha256`` is the digest the archive reader computed, if it read the file."""
    absolute = str(Path(path).absolute())
    paths = _archives(env).setdefault(docname, {})
    # The directive notes an archive both as named and as resolved: hash it once.
    if absolute in paths and _same_content(absolute, paths[absolute]):
        return
    paths[absolute] = fingerprint(Path(absolute), sha256)


def _same_content(path: str, known: Fingerprint | None) -> Fingerprint | None:
    """The file's fingerprint if it still holds the bytes ``known`` was taken of."""
    if known is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    if status.st_size != known.size:
        return None
    if (status.st_mtime_ns, status.st_ctime_ns, status.st_ino) == (
        known.mtime_ns,
        known.ctime_ns,
        known.inode,
    ):
        return known
    now = fingerprint(Path(path))
    return now if now is not None and now.sha256 == known.sha256 else None


def outdated_docs(env: BuildEnvironment) -> list[str]:
    """Pages whose archives changed, went missing, or were missing at the last read.

    An archive touched but holding the same bytes gets its new stat fields, so it is
    not hashed again at the next build.
    """
    outdated = []
    for docname, paths in sorted(_archives(env).items()):
        if docname not in env.found_docs:
            continue
        for path, known in paths.items():
            now = _same_content(path, known)
            if now is None:
                outdated.append(docname)
                break
            paths[path] = now
    return outdated


def _on_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    return [docname for docname in outdated_docs(env) if docname not in changed | added]


def _on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _archives(env).pop(docname, None)


def _on_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
) -> None:
    mine = _archives(env)
    theirs = _archives(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", _on_get_outdated)
    app.connect("env-purge-doc", _on_purge_doc)
    app.connect("env-merge-info", _on_merge_info)
