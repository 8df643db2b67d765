"""The engine's one error type: every problem a user can act on."""

from __future__ import annotations

__all__ = ["ArchiveError", "LimitError", "ReleaseDiffError"]


class ReleaseDiffError(Exception):
    """A problem with the input, reported as one line naming the file and the reason."""

    subtype = "archive"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ArchiveError(ReleaseDiffError):
    """An archive is missing, unreadable, corrupt or not an archive at all."""


class LimitError(ReleaseDiffError):
    """An archive is over one of the configured limits."""

    subtype = "limit"
