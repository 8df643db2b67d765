"""A worker process to run part of the work beside this one: pickles over two pipes.

tarfile's parsing holds the GIL, so a second thread does not read a second
archive any faster; a second process does. The worker is a fresh interpreter
(``python -m sphinxext.releasediff.workers``), not a fork: Sphinx or a
program using this library may hold threads, and ``multiprocessing``'s spawn
would import the caller's ``__main__`` again.

The parent names a function as ``"package.module:function"`` and sends its
arguments; the worker imports the module, calls it, and sends back the result
or the exception raised, which :meth:`Worker.result` raises again. A module
may keep state in the worker between calls (its globals live as long as the
worker). Calls are answered in order, one at a time.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import IO, Any, Literal, Self

from .errors import SettingError

__all__ = [
    "API_SIDE",
    "READER",
    "WORKER_MIN_BYTES",
    "Worker",
    "WorkerError",
    "WorkerMemoryError",
    "WorkerStartError",
    "close_spares",
    "memory_cap",
    "prestart",
    "take_spare",
    "workers_pay",
    "workers_setting",
]

# Written by the worker first, so that the parent can tell a worker that never
# started (another program answered, or none) from one that stopped later.
_HELLO = b"releasediff-worker 1\n"
_STOP_TIMEOUT = 10.0
# Below this size of the two archive files together, starting a worker process
# (about 0.07 s) costs more than reading OLD beside NEW saves.
WORKER_MIN_BYTES = 4 << 20
# What workers are started ahead for (see prestart): reading OLD, and NEW's API side.
READER, API_SIDE = "reader", "api-side"
# What a pipe holds before a write blocks (Linux's default; smaller elsewhere is fine).
_PIPE_CAPACITY = 1 << 16


class WorkerError(Exception):
    """The worker stopped before it answered."""


class WorkerStartError(WorkerError):
    """No worker could be started: the work is to be done in this process."""


class WorkerMemoryError(WorkerError):
    """The worker stopped itself as it grew past :func:`memory_cap`: the same work in this
    process would grow as far, so it is not to be done again here."""


# The exit status of a worker that stopped itself for its size.
_OVER_MEMORY = 86
_MEMORY_CHECK_SECONDS = 0.2


def memory_cap() -> int:
    """The resident size, in bytes, past which a worker stops: half the machine's memory,
    at most 8 GiB (``RELEASEDIFF_WORKER_MIB`` sets it, for tests). A comparison of Django
    5.1 peaks at 113 MiB a worker; SQLAlchemy 2.0.36, before a fix, grew to 12 GB."""
    setting = os.environ.get("RELEASEDIFF_WORKER_MIB", "")
    if setting.isdigit():
        return int(setting) << 20
    try:
        physical = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        physical = 16 << 30
    return min(8 << 30, physical // 2)


def _watch_memory(cap: int) -> None:
    """In a worker: stop the process once it is resident past ``cap`` bytes."""
    page = os.sysconf("SC_PAGE_SIZE")
    while True:
        try:
            with open("/proc/self/statm", "rb") as statm:
                resident = int(statm.read().split()[1]) * page
        except (OSError, ValueError, IndexError):
            return  # no /proc: no watch
        if resident > cap:
            os.write(2, f"release-diff worker: over {cap >> 20:,} MiB, stopping\n".encode())
            os._exit(_OVER_MEMORY)
        time.sleep(_MEMORY_CHECK_SECONDS)


def workers_setting() -> Literal["off", "on", "auto"]:
    """``off`` on one CPU or with ``RELEASEDIFF_WORKERS=0``; ``on`` with ``=1``; else ``auto``.

    Any other value is an error: a mistyped setting must not pass for the default.

    With ``auto`` the caller decides by the amount of work whether a worker pays.
    """
    setting = os.environ.get("RELEASEDIFF_WORKERS", "").strip()
    if setting not in ("", "0", "1"):
        raise SettingError(
            "RELEASEDIFF_WORKERS", f"{setting!r} is not 0 (no workers) or 1 (always workers)"
        )
    if setting == "0" or (os.cpu_count() or 1) < 2:
        return "off"
    return "on" if setting == "1" else "auto"


def workers_pay(paths: Iterable[str | os.PathLike[str]]) -> bool:
    """Whether reading these archives pays for a worker (see :func:`workers_setting`)."""
    setting = workers_setting()
    if setting != "auto":
        return setting == "on"
    sizes = 0
    for path in paths:
        with contextlib.suppress(OSError):
            sizes += os.stat(path).st_size
    return sizes >= WORKER_MIN_BYTES


class Worker:
    """One worker process; use as a context manager, so it is always stopped and reaped."""

    def __init__(self, preload: Sequence[str] = ()) -> None:
        """Start a worker that imports the ``preload`` modules while it waits for a call."""
        # The worker searches modules where this process does, so it imports this
        # same copy of the package; -P keeps its working folder out of the path.
        search_path = [os.getcwd() if entry == "" else entry for entry in sys.path]
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(search_path)}
        if not sys.executable:  # an embedded interpreter may not know its program
            raise WorkerStartError("cannot start a worker process (no sys.executable)")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__, *preload],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=environment,
                # A group of its own: Ctrl-C on a terminal interrupts the parent, which
                # stops its workers (see __exit__), and no worker prints a traceback.
                process_group=0,
            )
        except (OSError, ValueError, TypeError) as exc:
            raise WorkerStartError(f"cannot start a worker process ({exc})") from None
        self._started = False
        self._pending = 0
        # A large call is written by a thread (see submit), and what stopped it.
        self._writer: threading.Thread | None = None
        self._write_error: OSError | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def busy(self) -> bool:
        """Whether a call submitted has not been answered yet."""
        return self._pending > 0

    def submit(self, function: str, *args: Any) -> None:
        """Ask the worker to call ``function``; :meth:`result` waits for the answer.

        A call larger than a pipe holds, and any call behind one, is written by a
        thread, so that this process goes on while the worker starts and reads it (a
        module table: 0.2 s; the call after it another 0.13 s on Sphinx 8).
        """
        request = pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL)
        if self._writer is not None and not self._writer.is_alive():
            self._wait_for_writer()
        if self._writer is None and len(request) <= _PIPE_CAPACITY:
            self._write(request)
            self._wait_for_writer()
        else:  # calls reach the worker in the order submitted
            self._writer = threading.Thread(
                target=self._write_after, args=(self._writer, request), daemon=True
            )
            self._writer.start()
        self._pending += 1

    def _write_after(self, previous: threading.Thread | None, request: bytes) -> None:
        if previous is not None:
            previous.join()
        if self._write_error is None:
            self._write(request)

    def _write(self, request: bytes) -> None:
        """Write a call; a broken pipe (the worker has ended) is kept for _wait_for_writer."""
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(request)
            self._process.stdin.flush()
        except OSError as error:
            self._write_error = error

    def _wait_for_writer(self) -> None:
        """Wait until the calls written by threads are written; raise if the worker has
        ended (it may never have started)."""
        if self._writer is not None:
            self._writer.join()  # each writer joins the one before it
            self._writer = None
        if self._write_error is not None:
            self._write_error = None
            self._expect_hello()
            raise self._stopped()

    def result(self) -> Any:
        """The answer to the oldest call submitted: its result, or its exception raised.

        A later call may still be being written: it is not waited for (the worker may be
        writing this answer meanwhile, and would wait for it to be read)."""
        assert self._process.stdout is not None
        assert self._pending > 0, "result() without a call submitted"
        self._pending -= 1
        if self._writer is not None and not self._writer.is_alive():
            self._wait_for_writer()
        self._expect_hello()
        try:
            succeeded, value = pickle.load(self._process.stdout)
        except (EOFError, OSError, pickle.UnpicklingError):
            raise self._stopped() from None
        if not succeeded:
            raise value
        return value

    def call(self, function: str, *args: Any) -> Any:
        self.submit(function, *args)
        return self.result()

    def close(self, kill: bool = False) -> None:
        """Stop the worker (at once with ``kill``) and reap it."""
        process = self._process
        if kill:
            process.kill()
        if self._writer is not None:  # it ends when the worker has read the call, or has died
            self._writer.join()
        with contextlib.suppress(OSError):
            if process.stdin:
                process.stdin.close()
        try:
            process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After an error the worker may still be busy: it is not waited for.
        self.close(kill=error is not None or self._pending > 0)

    def _expect_hello(self) -> None:
        if self._started:
            return
        assert self._process.stdout is not None
        if self._process.stdout.read(len(_HELLO)) != _HELLO:
            raise WorkerStartError(f"the worker process did not start ({self._status()})")
        self._started = True

    def _stopped(self) -> WorkerError:
        status = self._status()
        if self._process.returncode == _OVER_MEMORY:
            return WorkerMemoryError(f"a worker process grew past {memory_cap() >> 20:,} MiB")
        return WorkerError(f"the worker process stopped before it answered ({status})")

    def _status(self) -> str:
        try:
            code = self._process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return "it does not answer"
        if code < 0:
            return f"killed by signal {-code}"
        return f"exit status {code}"


# Workers started ahead of need (see :func:`prestart`), by what they are for.
_SPARES: dict[str, Worker] = {}


def prestart(purposes: Mapping[str, Sequence[str]]) -> None:
    """Start a worker for each purpose now, importing its modules, for :func:`take_spare`.

    The command starts them before its own imports, so that the workers' start
    overlaps it (0.3 s on a large pair). One that cannot start is left out:
    the caller starts one, or works alone, as without this.
    """
    for purpose, preload in purposes.items():
        if purpose not in _SPARES:
            with contextlib.suppress(WorkerStartError):
                _SPARES[purpose] = Worker(preload)


def take_spare(purpose: str) -> Worker | None:
    """The worker started ahead for ``purpose`` (it is then the taker's to close), if any."""
    return _SPARES.pop(purpose, None)


def close_spares() -> None:
    """Stop the workers started ahead that nothing took."""
    while _SPARES:
        _SPARES.popitem()[1].close()


def _function(name: str) -> Any:
    module, _, attribute = name.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _answer(name: str, args: tuple[Any, ...]) -> bytes:
    try:
        reply: tuple[bool, Any] = (True, _function(name)(*args))
    except Exception as exc:  # every error goes back to the parent, to be raised there
        reply = (False, exc)
    try:
        return pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # a result or an error that cannot be pickled
        error = RuntimeError(f"{name}: cannot send back {type(reply[1]).__name__} ({exc})")
        return pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL)


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The worker's loop: answer each call until the parent closes the pipe."""
    try:
        replies.write(_HELLO)
        replies.flush()
        while True:
            try:
                name, args = pickle.load(requests)
            except EOFError:
                return
            replies.write(_answer(name, args))
            replies.flush()
    except BrokenPipeError:
        return  # the parent has gone (it stopped on an error or an interrupt)


def main() -> None:
    # What the calls build (an archive read, griffe's trees) lives until the worker ends:
    # a pass of the cyclic collector would walk all of it and free nothing (see collector).
    gc.disable()
    threading.Thread(target=_watch_memory, args=(memory_cap(),), daemon=True).start()
    replies = os.fdopen(os.dup(1), "wb")
    # Nothing a called function prints may reach the pipe the answers go through.
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    for module in sys.argv[1:]:
        with contextlib.suppress(Exception):  # a call that needs it raises it again
            importlib.import_module(module)
    serve(sys.stdin.buffer, replies)
    # Every answer is flushed and nothing else needs closing: exit without tearing down
    # what the calls built (griffe's trees for a large package: 0.7 s the parent waited).
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
