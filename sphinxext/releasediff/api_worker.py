"""The API comparison in two worker processes, one a release, beside the file comparison.

Loading both releases' modules with griffe is the largest single cost of a big
package. Each side of :class:`.api.ApiComparison` runs in a worker of its own:
OLD's in the worker that read OLD and still holds it (see
:func:`.archive.pair_read`), NEW's in a second worker sent NEW's module table.
Both start at once and proceed while this process compares the files, which
it has to do anyway; a thread here takes the comparison's later steps as soon
as the workers answer, not when the files are compared (on Sphinx 8 the workers
would wait 0.25 s for that). Only plain values (module sets, class shapes,
digests of described names, the entries that differ) cross the pipes, and this
process never imports griffe. Without workers, or when one stops, the
comparison runs here. The result is the same either way.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

from .api import ApiComparison, FileFilter, SideRunner, compare_api, local_side
from .api_modules import ModuleTable, module_table
from .archive import held_old_archive
from .model import ApiChange, Archive
from .workers import API_SIDE, Worker, WorkerError, WorkerMemoryError, take_spare

if TYPE_CHECKING:
    from .api_load import LocalSide

__all__ = ["ApiStep"]

ApiResult = tuple[tuple[ApiChange, ...], tuple[str, ...]]
_HOLD_OLD_CALL = f"{__name__}:_hold_old_side"
_HOLD_CALL = f"{__name__}:_hold_side"
_STEP_CALL = f"{__name__}:_side_step"


class ApiStep:
    """An API comparison started now, in workers when there are; :meth:`result` ends it.

    :meth:`close` stops the worker it starts for NEW (``contextlib.closing``).
    """

    def __init__(
        self, worker: Worker | None, old: Archive, new: Archive, selected: FileFilter | None = None
    ) -> None:
        self._archives = old, new
        self._selected = selected
        self._new_worker: Worker | None = None
        self._outcome: ApiResult | Exception | None = None
        self._thread: threading.Thread | None = None
        if worker is not None:
            with contextlib.suppress(WorkerError):
                comparison = self._start(worker, old, new)
                self._thread = threading.Thread(
                    target=self._finish, args=(comparison,), name="releasediff-api", daemon=True
                )
                self._thread.start()

    def _start(self, old_worker: Worker, old: Archive, new: Archive) -> ApiComparison:
        # Each worker is given its side first: it imports griffe and makes its reader
        # while this process makes the module tables and finds what differs.
        old_worker.submit(_HOLD_OLD_CALL)
        new_side: SideRunner
        try:
            self._new_worker = take_spare(API_SIDE) or Worker()
            new_table = module_table(new)
            self._new_worker.submit(_HOLD_CALL, new_table)
            new_side = _RemoteSide(self._new_worker, new_table)
        except WorkerError:
            new_side = local_side(new)
        old_side = _RemoteSide(old_worker, module_table(old))
        return ApiComparison(old_side, new_side, self._selected)

    def _finish(self, comparison: ApiComparison) -> None:
        """In the thread: the comparison's later steps, and its result or error."""
        try:
            self._outcome = comparison.result()
        except Exception as error:  # raised again by result(), in the caller's thread
            self._outcome = error

    def result(self) -> ApiResult:
        if self._thread is not None:
            self._thread.join()
            outcome, self._thread = self._outcome, None
            if isinstance(outcome, Exception) and not isinstance(outcome, WorkerError):
                raise outcome
            if outcome is not None and not isinstance(outcome, Exception):
                return outcome
            if isinstance(outcome, WorkerMemoryError):
                # Done here, it would grow as far in this process (a docs build, say).
                return (), (f"API not compared: {outcome}",)
            # A worker stopped (killed): do it all here.
        return compare_api(*self._archives, selected=self._selected)

    def close(self) -> None:
        """Stop the worker started for NEW: at once if it is still busy, after an error
        (the thread, left waiting on a worker, ends when the workers are stopped)."""
        if self._new_worker is not None:
            busy = self._new_worker.busy or self._thread is not None
            self._new_worker.close(kill=busy)


class _RemoteSide:
    """A :class:`.api.SideRunner` whose steps run in a worker, on the side it was given.

    The worker's first answer is to the call that gave it its side.
    """

    def __init__(self, worker: Worker, modules: ModuleTable) -> None:
        self._worker = worker
        self.modules = modules
        self._held = False

    def start(self, step: str, *args: Any) -> None:
        self._worker.submit(_STEP_CALL, step, args)

    def wait(self) -> Any:
        if not self._held:
            self._worker.result()
            self._held = True
        return self._worker.result()


# In a worker: the side it holds, kept from one step to the next.
_SIDE: dict[str, LocalSide] = {}


def _hold_old_side() -> None:
    from .api_load import LocalSide

    _SIDE["side"] = LocalSide.of(held_old_archive())


def _hold_side(modules: ModuleTable) -> None:
    from .api_load import LocalSide

    _SIDE["side"] = LocalSide(modules)


def _side_step(step: str, args: tuple[Any, ...]) -> Any:
    side = _SIDE["side"]
    side.start(step, *args)
    return side.wait()
