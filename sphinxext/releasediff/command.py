"""The ``release-diff`` entry point: workers started before the command's own imports.

Importing the engine takes a third of a second, during which a second CPU
would idle. When the arguments name two archive files large enough for
workers to pay, they are started first and import their modules meanwhile;
:mod:`.cli` then takes them (or starts its own, or none, as without this).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from .workers import API_SIDE, READER, close_spares, prestart, workers_pay

__all__ = ["main"]

_ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar", ".zip", ".whl")
_PACKAGE = __name__.rpartition(".")[0]


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        _prestart_for(arguments)
        from .cli import main as run_command

        return run_command(arguments)
    except KeyboardInterrupt:  # during the imports; the command handles its own
        return 130
    except Exception as exc:  # a bug: exit as trouble, never as "differences" (1)
        if os.environ.get("RELEASEDIFF_TRACEBACK"):
            raise
        print(_internal_error(exc), file=sys.stderr)
        return 2
    finally:
        close_spares()


def _internal_error(exc: BaseException) -> str:
    """One line for a bug report: what failed, and where."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    text = " ".join(str(exc).split())[:300]
    return (
        f"release-diff: internal error ({type(exc).__name__}{where}): {text}; "
        "please report it (RELEASEDIFF_TRACEBACK=1 shows the traceback)"
    )


def _prestart_for(arguments: Sequence[str]) -> None:
    """Workers for two archive files, and for NEW's API side unless ``--show`` leaves it out.

    A guess from the raw arguments: a wrong one starts a worker nothing takes
    (it is stopped at the end) or none (the command starts its own).
    """
    archives = [
        argument
        for argument in arguments
        if argument.lower().endswith(_ARCHIVE_SUFFIXES) and os.path.isfile(argument)
    ]
    try:
        if len(archives) != 2 or not workers_pay(archives):
            return
    except Exception:  # a bad RELEASEDIFF_WORKERS: the command says so
        return
    purposes = {READER: (f"{_PACKAGE}.archive", f"{_PACKAGE}.api_load")}
    if _shows_api(arguments):
        purposes[API_SIDE] = (f"{_PACKAGE}.api_load", f"{_PACKAGE}.api_worker")
    prestart(purposes)


def _shows_api(arguments: Sequence[str]) -> bool:
    """Whether the API is compared: not for a patch, nor when ``--show`` leaves it out."""
    if _value(arguments, "--format") == "patch":
        return False
    show = _value(arguments, "--show")
    return show is None or "api" in show


def _value(arguments: Sequence[str], flag: str) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == flag:
            return arguments[index + 1] if index + 1 < len(arguments) else ""
        if argument.startswith(flag + "="):
            return argument.removeprefix(flag + "=")
    return None
