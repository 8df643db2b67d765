"""The API comparison run in the worker that read OLD, while this process diffs the files.

Parsing both releases' modules is the largest single cost of a big package, and
it needs nothing the file comparison makes: it runs beside it. The worker
still holds OLD with all its contents (see :func:`.archive.pair_read`); it is
sent NEW's facts and members and only the sources it does not already hold
(a module identical in both releases is OLD's bytes). Without a worker, or
when it stops, the comparison runs here. The result is the same either way.
"""

from __future__ import annotations

from collections.abc import Mapping

from .api_scope import reads_for_api
from .archive import held_old_archive
from .model import ApiChange, Archive, ArchiveFacts, Member, MemberKind
from .workers import Worker, WorkerError

__all__ = ["ApiStep"]

ApiResult = tuple[tuple[ApiChange, ...], tuple[str, ...]]
_COMPARE_CALL = f"{__name__}:_compare_with_held_old"


class ApiStep:
    """An API comparison started now, in the worker when there is one; :meth:`result` ends it."""

    def __init__(self, worker: Worker | None, old: Archive, new: Archive) -> None:
        self._worker = worker
        self._old, self._new = old, new
        if worker is not None:
            try:
                worker.submit(_COMPARE_CALL, new.facts, new.members, _sources_to_send(old, new))
            except WorkerError:
                self._worker = None

    def result(self) -> ApiResult:
        if self._worker is not None:
            try:
                result: ApiResult = self._worker.result()
                return result
            except WorkerError:
                pass  # the worker stopped (killed, out of memory): do it here
        return _compare(self._old, self._new)


def _sources_to_send(old: Archive, new: Archive) -> dict[str, bytes]:
    """NEW's contents the API step reads that OLD, held by the worker, does not have."""
    held = {member.sha256 for member in old.members if member.kind == MemberKind.FILE}
    sources: dict[str, bytes] = {}
    for member in new.members:
        if member.sha256 in held or not reads_for_api(member):
            continue
        data = new.content(member)
        if data is not None:
            sources[member.sha256] = data
    return sources


def _compare_with_held_old(
    facts: ArchiveFacts, members: tuple[Member, ...], sources: Mapping[str, bytes]
) -> ApiResult:
    """In the worker: OLD as it read it, against NEW made of its members and the sent sources."""
    old = held_old_archive()
    contents = {**old.contents, **sources}
    return _compare(old, Archive(facts=facts, members=members, contents=contents))


def _compare(old: Archive, new: Archive) -> ApiResult:
    # Imported here: griffe is needed only where the API is compared, mostly the worker.
    from .api import compare_api

    return compare_api(old, new)
