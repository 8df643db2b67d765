"""The ``release-diff`` command: compare two release archives from the shell.

Exit status as ``diff``: 0 no differences, 1 differences, 2 trouble.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .archive import DEFAULT_LIMITS, Limits, read_pair
from .compare import CompareOptions, compare
from .errors import ReleaseDiffError
from .model import Comparison
from .render.json import render_json
from .render.markdown import render_markdown
from .render.patch import render_patch
from .render.text import render_text
from .resolve import Sources, index_url_from_environment, resolve_pair

__all__ = ["main"]

_PROG = "release-diff"

_RENDERERS: dict[str, Callable[[Comparison, bool], bytes]] = {
    "text": lambda comparison, listing: render_text(comparison, listing).encode(),
    "markdown": lambda comparison, listing: render_markdown(comparison, listing).encode(),
    "json": lambda comparison, _listing: render_json(comparison).encode(),
    "patch": lambda comparison, _listing: render_patch(comparison),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description="Show what changed between two releases of a Python package "
        "(sdists, wheels, tar or zip archives).",
    )
    parser.add_argument(
        "old", metavar="OLD", help="the older archive: a path, a version, or 'previous' or 'latest'"
    )
    parser.add_argument(
        "new", metavar="NEW", help="the newer archive: a path, a version, or 'latest'"
    )
    parser.add_argument(
        "--package",
        metavar="NAME",
        help="the package that version arguments name (default: taken from a "
        "path argument's file name)",
    )
    parser.add_argument(
        "--dist",
        choices=["sdist", "wheel"],
        default="sdist",
        help="which file of a release to compare (default sdist)",
    )
    parser.add_argument(
        "--find-links",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder holding release files (repeatable); looked in first",
    )
    parser.add_argument(
        "--index-url",
        metavar="URL",
        help="a PEP 691 or PEP 503 simple index (default: $PIP_INDEX_URL)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never touch the network: folders and the download cache only",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where downloads are kept (default: ~/.cache/sphinxext-releasediff)",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="bound on every network request (default 30)",
    )
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
        "--max-members",
        type=_count,
        default=DEFAULT_LIMITS.max_members,
        metavar="N",
        help=f"refuse an archive of more members (default {DEFAULT_LIMITS.max_members:,})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_count,
        default=DEFAULT_LIMITS.max_bytes,
        metavar="N",
        help=f"refuse an archive that unpacks to more bytes (default {DEFAULT_LIMITS.max_bytes:,})",
    )
    parser.add_argument(
        "--max-file-bytes",
        type=_count,
        default=DEFAULT_LIMITS.max_file_bytes,
        metavar="N",
        help="compare larger files by size and sha256 only "
        f"(default {DEFAULT_LIMITS.max_file_bytes:,})",
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


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text!r}")
    return value


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sphinxext-releasediff"


def _sources(args: argparse.Namespace) -> Sources:
    return Sources(
        find_links=tuple(Path(folder) for folder in args.find_links),
        index_url=args.index_url or index_url_from_environment(),
        cache_dir=Path(args.cache_dir) if args.cache_dir else _default_cache(),
        offline=args.offline,
        timeout=args.timeout,
    )


def _globs(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(glob.strip() for value in values for glob in value.split(",") if glob.strip())


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        pair = resolve_pair(
            args.old,
            args.new,
            package=args.package,
            dist=args.dist,
            sources=_sources(args),
            current=None,
            path_of=Path,
        )
        options = CompareOptions(
            context=args.context,
            include=_globs(args.include),
            exclude=_globs(args.exclude),
            rename_threshold=args.rename_threshold,
            max_diff_lines=0 if args.format == "patch" else args.max_diff_lines,
        )
        limits = Limits(args.max_members, args.max_bytes, args.max_file_bytes)
        old, new = read_pair(pair.old, pair.new, limits)
        comparison = compare(old, new, options)
        _write(_RENDERERS[args.format](comparison, args.listing), args.output)
    except ReleaseDiffError as exc:
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
