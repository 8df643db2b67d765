"""The ``release-diff`` command: compare two release archives from the shell.

Exit status as ``diff``: 0 no differences, 1 differences, 2 trouble; with
``--fail-on``, 3 when a notable change of those kinds was found.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .collector import collector_paused
from .errors import ReleaseDiffError
from .model import Notable
from .pipeline import failing_notable, release_report, sources_for
from .progress import terminal_progress
from .render.json import json_chunks
from .render.markdown import render_markdown
from .render.patch import render_patch
from .render.rst import render_rst
from .render.text import DEFAULT_WIDTH, render_text
from .report import NOTABLE_LABELS, Report
from .safety import visible
from .settings import (
    CLI,
    OPTIONS,
    Option,
    OptionError,
    Settings,
    option_spelling,
    parse_items,
    parse_option,
)

__all__ = ["EXIT_DIFFERENT", "EXIT_NOTABLE", "EXIT_SAME", "EXIT_TROUBLE", "main"]

_PROG = "release-diff"
EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE, EXIT_NOTABLE = 0, 1, 2, 3

# Each writes its output in pieces (JSON as it is encoded); text fits the given width.
_RENDERERS: dict[str, Callable[[Report, int], Iterable[bytes]]] = {
    "text": lambda report, width: [render_text(report, width).encode()],
    "markdown": lambda report, width: [render_markdown(report).encode()],
    "json": lambda report, width: json_chunks(report),
    "patch": lambda report, width: [render_patch(report.comparison)],
    "rst": lambda report, width: [render_rst(report).encode()],
}
# What a patch leaves out, as the flags that would ask for it: it holds every file
# change, whole (see docs/cli.rst, "The patch format").
_NOT_IN_A_PATCH = ("show", "max_diff_lines", "max_total_diff_lines", "listing")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, as every other error of the command."""
        self.exit(EXIT_TROUBLE, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    for option in OPTIONS:
        if CLI in option.where:
            _add_option(parser, option)
    parser.add_argument(
        "--format",
        choices=sorted(_RENDERERS),
        default="text",
        help="text (default), markdown, json, rst, or patch (a git-style patch of the release)",
    )
    parser.add_argument(
        "--listing",
        action="store_true",
        help="also show the tar -tv style member listing diff (same as adding 'listing' to --show)",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _add_option(parser: argparse.ArgumentParser, option: Option) -> None:
    name = option.name
    # An option with no default says so in its own help ("default: $PIP_INDEX_URL"); an
    # unset flag or an empty list says nothing worth a "(default: …)".
    meaningful = option.default not in (None, False, ())
    shown = f" (default: {option.spelled_default()})" if meaningful else ""
    help_text = f"{option.help}{shown}"
    if isinstance(option.default, bool):
        parser.add_argument(option.flag, dest=name, action="store_true", help=help_text)
    elif option.many:
        parser.add_argument(
            option.flag,
            dest=name,
            action="append",
            metavar=option.metavar,
            help=help_text + "; repeatable",
        )
    else:
        parser.add_argument(option.flag, dest=name, metavar=option.metavar, help=help_text)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """The settings the flags give; raises :class:`OptionError` for a bad value."""
    changes: dict[str, Any] = {}
    for option in OPTIONS:
        if CLI not in option.where:
            continue
        value = getattr(args, option.name)
        if value is None or value is False:
            continue
        if value is True:
            changes[option.name] = True
        elif isinstance(value, list):
            changes[option.name] = parse_items(option.name, value)
        else:
            changes[option.name] = parse_option(option.name, value)
    settings = Settings().replace(**changes)
    if args.listing and "listing" not in settings.show:
        settings = settings.replace(show=(*settings.show, "listing"))
    if args.format == "patch":
        # A patch carries every line, and no section: the API is not compared.
        settings = settings.replace(max_diff_lines=0, max_total_diff_lines=0, show=("diffs",))
    return settings


def _ignored_by_patch(args: argparse.Namespace) -> str | None:
    """A warning naming the flags given that a patch cannot follow, or None."""
    given = [name for name in _NOT_IN_A_PATCH if getattr(args, name) not in (None, False)]
    if args.format != "patch" or not given:
        return None
    flags = ", ".join("--" + name.replace("_", "-") for name in given)
    return f"--format patch holds every file change, whole, and no sections: {flags} ignored"


def _terminal_width(destination: str | None) -> int:
    """The columns text output may fill, as git's --stat finds them: ``$COLUMNS``, else
    the terminal's width when writing to one, else 80."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdecimal() and int(columns) > 0:
        return int(columns)
    if destination in (None, "-") and sys.stdout.isatty():
        try:
            return os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):
            pass
    return DEFAULT_WIDTH


def _error_line(exc: ReleaseDiffError) -> str:
    """The error as one line; an option it asks for is named as the command's flag."""
    line = str(exc)
    if exc.option is not None:
        line += f" ({option_spelling(exc.option, CLI)})"
    return visible(line)


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "sphinxext-releasediff"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from_args(args)
    except OptionError as exc:
        flag = "--" + exc.option.replace("_", "-")
        print(f"{_PROG}: {flag}: {visible(exc.reason)}", file=sys.stderr)
        return EXIT_TROUBLE
    ignored = _ignored_by_patch(args)
    if ignored:
        print(f"{_PROG}: warning: {ignored}", file=sys.stderr)
    try:
        outcome = release_report(
            settings,
            args.old,
            args.new,
            sources=sources_for(settings, _default_cache()),
            progress=terminal_progress(sys.stderr, _PROG),
            where=CLI,
        )
        for warning in outcome.pair.warnings:
            print(f"{_PROG}: warning: {warning}", file=sys.stderr)
        rendered = _RENDERERS[args.format](outcome.report, _terminal_width(args.output))
        with collector_paused():  # rendering is lazy: it runs as it is written
            _write(rendered, args.output)
    except ReleaseDiffError as exc:
        print(f"{_PROG}: {_error_line(exc)}", file=sys.stderr)
        return EXIT_TROUBLE
    except OSError as exc:
        where = visible(str(exc.filename or args.output or "standard output"))
        print(f"{_PROG}: {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
    failing = failing_notable(outcome.comparison, settings)
    if failing:
        # Said on stderr too: the report written may not hold the notable section.
        print(f"{_PROG}: {_failing_line(failing)}", file=sys.stderr)
        return EXIT_NOTABLE
    return EXIT_DIFFERENT if outcome.comparison.has_differences else EXIT_SAME


def _failing_line(failing: Sequence[Notable]) -> str:
    """``notable changes of kinds --fail-on names: build-time code (2), Requires-Python
    (1)``, kinds in the order the report gives them."""
    counts = Counter(entry.kind for entry in failing)
    kinds = ", ".join(
        f"{NOTABLE_LABELS.get(kind, kind)} ({count:,})" for kind, count in counts.items()
    )
    return f"notable changes of kinds --fail-on names: {kinds}"


def _write(pieces: Iterable[bytes], destination: str | None) -> None:
    if destination is None or destination == "-":
        try:
            sys.stdout.buffer.writelines(pieces)
            sys.stdout.buffer.flush()
        except BrokenPipeError:
            # The reader has what it wanted (``| head``): stop quietly, as diff and git do,
            # with nothing left for the interpreter to flush into the closed pipe.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    with Path(destination).open("wb") as output:
        output.writelines(pieces)
