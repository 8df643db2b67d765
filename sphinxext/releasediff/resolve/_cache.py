"""The download cache: one folder per project, files named as on the index.

A download streams into a hidden temporary file next to its target while its
hash is computed, and is renamed into place only once it verified, so the cache
never holds a partial or unverified file under a release's name. Whatever
stops a download (a dropped connection, a hash mismatch, a size cap, the
deadline) removes the temporary file; one left by a killed process is removed
by a later download into the same folder once it is a day old.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from packaging.utils import NormalizedName

from ._names import unsafe_name_reason
from ._shared import NetworkError

__all__ = ["PREFERRED_HASHES", "DownloadCache", "preferred_hash"]

PREFERRED_HASHES = ("sha256", "sha512", "sha384", "sha224", "blake2b")
_TEMPORARY_PREFIX = ".part-"
# A temporary file this old belongs to a process that was killed mid-download;
# a download in progress is younger than any timeout anyone sets.
STALE_SECONDS = 24 * 3600

Writer = Callable[[bytes], None]


def preferred_hash(hashes: Mapping[str, str]) -> str | None:
    return next((name for name in PREFERRED_HASHES if name in hashes), None)


class DownloadCache:
    def __init__(self, root: Path, project: NormalizedName) -> None:
        self.folder = root / project

    def files(self) -> list[Path]:
        """The release files in the cache, sorted; temporary files are hidden and left out."""
        try:
            return sorted(
                path
                for path in self.folder.iterdir()
                if not path.name.startswith(".") and path.is_file()
            )
        except OSError:
            return []

    def path_for(self, filename: str) -> Path:
        reason = unsafe_name_reason(filename)
        if reason is not None:
            raise NetworkError(filename, f"not a safe file name ({reason})")
        return self.folder / filename

    def cached(self, filename: str, hashes: Mapping[str, str]) -> Path | None:
        """The cached file, when it is there and matches the index's hash (if any)."""
        path = self.path_for(filename)
        if not path.is_file():
            return None
        algorithm = preferred_hash(hashes)
        if algorithm is None:
            return path  # a cached file was verified when it was written
        digest = hashlib.new(algorithm)
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        return path if _same(digest.hexdigest(), hashes[algorithm]) else None

    def store(
        self,
        filename: str,
        source: str,
        hashes: Mapping[str, str],
        download: Callable[[Writer], None],
    ) -> Path:
        """Run ``download`` into the cache; keep the file only when its hash matches."""
        target = self.path_for(filename)
        algorithm = preferred_hash(hashes)
        if algorithm is None:
            raise NetworkError(source, "the index gives no hash to verify the download with")
        self.folder.mkdir(parents=True, exist_ok=True)
        self._remove_stale_temporaries()
        digest = hashlib.new(algorithm)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, before the rename)
            dir=self.folder, prefix=_TEMPORARY_PREFIX, delete=False
        )
        try:
            with handle:

                def write(chunk: bytes) -> None:
                    digest.update(chunk)
                    handle.write(chunk)

                download(write)
            if not _same(digest.hexdigest(), hashes[algorithm]):
                raise NetworkError(source, f"{algorithm} of the download does not match the index")
            os.replace(handle.name, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(handle.name)
        return target

    def _remove_stale_temporaries(self) -> None:
        cutoff = time.time() - STALE_SECONDS
        for path in self.folder.glob(f"{_TEMPORARY_PREFIX}*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < cutoff:
                    path.unlink()


def _same(digest: str, expected: str) -> bool:
    return hmac.compare_digest(digest.encode(), expected.strip().lower().encode("utf-8", "replace"))
