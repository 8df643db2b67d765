"""The exec check in the worker that read OLD, beside the file comparison.

The exec check (calls on added lines that run code or reach the network,
:func:`.notable.exec_notables`) parses and walks the changed modules: on
Django 5.0.8 → 5.1 two thirds of the comparison's time after reading. When the
API is not compared, the worker that read OLD (:func:`.archive.pair_read`)
would idle meanwhile. As soon as NEW is read it is sent what it lacks of NEW
(the members, and the contents OLD does not hold); it pairs the members as
:func:`.compare.compare` does and finds the exec entries from their members
and status alone, while this process diffs the files. When the worker stops,
the check runs here. The result is the same either way.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Sequence

from .archive import held_old_archive
from .compare import CompareOptions, changes_by_status, member_pairs
from .model import Archive, FileChange, Notable
from .notable import exec_notables
from .workers import Worker, WorkerError

__all__ = ["ExecStep"]

_CHECK_CALL = f"{__name__}:_check_here"


class ExecStep:
    """An :class:`.compare.ExecCheck`: in the worker :meth:`hand_new` is given, or here."""

    def __init__(self, options: CompareOptions) -> None:
        self._options = options
        self._worker: Worker | None = None

    def hand_new(self, worker: Worker, new: Archive, held: frozenset[str]) -> None:
        """An :data:`.archive.NewRead`: send ``worker`` (holding OLD and the contents
        ``held``) NEW's members and the contents it lacks, and start the check there."""
        missing = {
            member.sha256: data
            for member in new.members
            if member.sha256 not in held and (data := new.content(member)) is not None
        }
        part = dataclasses.replace(new, contents=missing)
        with contextlib.suppress(WorkerError):
            worker.submit(_CHECK_CALL, part, self._options)
            self._worker = worker

    def result(self, old: Archive, new: Archive, files: Sequence[FileChange]) -> Sequence[Notable]:
        if self._worker is None:
            return exec_notables(old, new, files)
        worker, self._worker = self._worker, None
        with contextlib.suppress(WorkerError):  # stopped (killed): checked here
            found: tuple[Notable, ...] = worker.result()
            return found
        return exec_notables(old, new, files)


def _check_here(part: Archive, options: CompareOptions) -> tuple[Notable, ...]:
    """In the worker: NEW is ``part``, with the contents it shares with OLD taken from OLD."""
    old = held_old_archive()
    new = dataclasses.replace(part, contents={**old.contents, **part.contents})
    files = changes_by_status(member_pairs(old, new, options))
    return exec_notables(old, new, files)
