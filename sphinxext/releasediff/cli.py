"""The ``release-diff`` command: compare two release archives from the shell.

Exit status as ``diff``: 0 no differences, 1 differences, 2 trouble.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from packaging.version import InvalidVersion, Version

from . import __version__
from .archive import Limits, read_pair
from .compare import CompareOptions, compare
from .errors import ReleaseDiffError
from .model import Comparison
from .render.json import render_json
from .render.markdown import render_markdown
from .render.patch import render_patch
from .render.text import render_text

__all__ = ["main"]

_PROG = "release-diff"
_KEYWORDS = ("previous", "latest", "current")

_RENDERERS: dict[str, Callable[[Comparison, bool], bytes]] = {
    "text": lambda comparison, listing: render_text(comparison, listing).encode(),
    "markdown": lambda comparison, listing: render_markdown(comparison, listing).encode(),
    "json": lambda comparison, _listing: render_json(comparison).encode(),
    "patch": lambda comparison, _listing: render_patch(comparison),
}


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Show what changed between two releases of a Python package "
        "(sdists, wheels, tar or zip archives).",
    )
    parser.add_argument("old", metavar="OLD", help="the older archive")
    parser.add_argument("new", metavar="NEW", help="the newer archive")
    parser.add_argument("--format", choices=sorted(_RENDERERS), default="text")
    parser.add_argument(
        "--context",
        type=_count,
        default=3,
        metavar="N",
        help="lines of context around each change (default 3)",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="only files whose path matches (repeatable, or comma-separated)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out files whose path matches (repeatable, or comma-separated)",
    )
    parser.add_argument(
        "--max-diff-lines",
        type=_count,
        default=0,
        metavar="N",
        help="cut each file's diff after N lines (default 0: never; ignored by --format patch)",
    )
    parser.add_argument(
        "--rename-threshold",
        type=_fraction,
        default=0.5,
        metavar="F",
        help="pair a removed and an added file as a rename when at least "
        "this share of their lines is common (0 to 1, default 0.5)",
    )
    parser.add_argument(
        "--listing",
        action="store_true",
        help="also show the tar -tv style member listing diff (text, markdown)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text!r}")
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text!r}")
    return value


def _globs(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(glob.strip() for value in values for glob in value.split(",") if glob.strip())


def _check_archive_argument(argument: str) -> None:
    """A version or keyword where a path was expected is a usage error, for now."""
    if os.path.exists(argument):
        return
    looks_like_version = argument in _KEYWORDS
    try:
        Version(argument)
        looks_like_version = True
    except InvalidVersion:
        pass
    if looks_like_version:
        raise _UsageError(
            f"{argument}: version and keyword arguments are not supported yet; "
            "give the path of an archive"
        )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        for argument in (args.old, args.new):
            _check_archive_argument(argument)
        options = CompareOptions(
            context=args.context,
            include=_globs(args.include),
            exclude=_globs(args.exclude),
            rename_threshold=args.rename_threshold,
            max_diff_lines=0 if args.format == "patch" else args.max_diff_lines,
        )
        limits = Limits()
        old, new = read_pair(args.old, args.new, limits)
        comparison = compare(old, new, options)
        _write(_RENDERERS[args.format](comparison, args.listing), args.output)
    except (ReleaseDiffError, _UsageError) as exc:
        print(f"{_PROG}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{_PROG}: {exc.filename or args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 1 if comparison.has_differences else 0


def _write(output: bytes, destination: str | None) -> None:
    if destination is None or destination == "-":
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
        return
    Path(destination).write_bytes(output)
