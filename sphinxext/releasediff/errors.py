"""The engine's one error type: every problem a user can act on."""

from __future__ import annotations

from typing import Any

__all__ = ["ArchiveError", "LimitError", "ReleaseDiffError", "SettingError"]


class ReleaseDiffError(Exception):
    """A problem with the input, reported as one line naming the file and the reason."""

    subtype = "archive"
    # The setting that would fix it, when one would (``package``): each caller names it
    # as its reader sets it (``--package``, ``:package:``).
    option: str | None = None

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (to cross from a worker process) by its attributes: the
        # subclasses' constructors take other arguments than the message.
        return _rebuilt, (type(self), str(self), self.__dict__)


def _rebuilt(kind: type[ReleaseDiffError], message: str, state: dict[str, Any]) -> ReleaseDiffError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ArchiveError(ReleaseDiffError):
    """An archive is missing, unreadable, corrupt or not an archive at all."""


class LimitError(ReleaseDiffError):
    """An archive is over one of the configured limits (``option`` names the setting)."""

    subtype = "limit"

    def __init__(self, source: str, reason: str, option: str | None = None) -> None:
        super().__init__(source, reason)
        self.option = option


class SettingError(ReleaseDiffError):
    """An environment setting has a value that means nothing."""

    subtype = "config"
