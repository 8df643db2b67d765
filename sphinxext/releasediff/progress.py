"""Progress for long comparisons: a callable that yields the items it is given.

The engine calls ``progress(items, what)`` around its long loops; the command
passes :func:`terminal_progress` (a line on a terminal's stderr, nothing in
piped output) and the directive Sphinx's ``status_iterator``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Protocol, TextIO, TypeVar

__all__ = ["Progress", "no_progress", "terminal_progress"]

T = TypeVar("T")
# Below this many items a loop is quick and says nothing.
LONG = 500
_EVERY_SECONDS = 0.1


class Progress(Protocol):
    def __call__(self, items: Sequence[T], what: str) -> Iterator[T]: ...


def no_progress(items: Sequence[T], what: str) -> Iterator[T]:
    return iter(items)


class terminal_progress:  # noqa: N801 (used like a function)
    """``release-diff: comparing files 431/860`` on ``stream``, rewritten in place.

    Only when ``stream`` is a terminal; the line is cleared when the loop ends.
    """

    def __init__(self, stream: TextIO, prog: str) -> None:
        self._stream = stream
        self._prog = prog

    def __call__(self, items: Sequence[T], what: str) -> Iterator[T]:
        if len(items) < LONG or not self._stream.isatty():
            yield from items
            return
        shown_at = 0.0
        total = len(items)
        try:
            for done, item in enumerate(items, 1):
                now = time.monotonic()
                if now - shown_at >= _EVERY_SECONDS:
                    self._stream.write(f"\r{self._prog}: {what} {done:,}/{total:,}\x1b[K")
                    self._stream.flush()
                    shown_at = now
                yield item
        finally:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
