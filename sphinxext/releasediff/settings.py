"""Every option, declared once: name, default, parser, help, and where it is set.

Directive options (``:max-diff-lines:``), config values
(``releasediff_max_diff_lines``) and command-line flags (``--max-diff-lines``)
are all made from :data:`OPTIONS`, and all read into one frozen
:class:`Settings`, so their defaults, validation and wording cannot drift.
A value that does not parse raises :class:`OptionError` with the same reason
everywhere; the command prints it, Sphinx warns and keeps the default.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .archive import DEFAULT_LIMITS, Limits
from .compare import CompareOptions
from .model import NOTABLE_KINDS

__all__ = [
    "CLI",
    "CONFIG",
    "DEFAULT_SHOW",
    "DIRECTIVE",
    "FAIL_ON_KINDS",
    "OPTIONS",
    "SECTIONS",
    "Option",
    "OptionError",
    "Settings",
    "config_value",
    "option_spelling",
    "parse_items",
    "parse_option",
]

# Every section of a report, in the order every format shows them.
SECTIONS = ("summary", "notable", "api", "artifacts", "metadata", "files", "diffs", "listing")
DEFAULT_SHOW = ("summary", "notable", "api", "artifacts", "metadata", "files", "diffs")
FAIL_ON_KINDS = (*NOTABLE_KINDS, "all")
_TRUE = ("", "true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")

# Where an option can be set.
DIRECTIVE, CONFIG, CLI = "directive", "config", "cli"


class OptionError(ValueError):
    """An option value that cannot be used: ``option`` names it, ``reason`` says why."""

    def __init__(self, option: str, reason: str) -> None:
        super().__init__(reason)
        self.option = option
        self.reason = reason


# Parsers: text (a directive option, a flag, a config value as text) -> value.
# Each raises ValueError with a reason that reads after the option's name.


def _whole_number(text: str) -> int:
    if not re.fullmatch(r"\s*\d+\s*", text):
        raise ValueError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{text!r} is not between 0 and 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not value > 0:  # also refuses nan
        raise ValueError(f"{text!r} is not more than 0")
    return value


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


def _name(text: str) -> str:
    if not text.strip():
        raise ValueError("is empty")
    return text.strip()


def _dist(text: str) -> str:
    if text.strip() not in ("sdist", "wheel"):
        raise ValueError(f"{text!r} is not 'sdist' or 'wheel'")
    return text.strip()


def _text(text: str) -> str:
    return text.strip()


def _list(text: str) -> tuple[str, ...]:
    """Comma-separated items, blanks dropped."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _choices(allowed: tuple[str, ...], empty_ok: bool) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        chosen = _list(text)
        unknown = [item for item in chosen if item not in allowed]
        if not chosen and not empty_ok:
            raise ValueError(f"names nothing: give one or more of {', '.join(allowed)}")
        if unknown:
            named = ", ".join(repr(item) for item in unknown)
            raise ValueError(f"{named} is not among {', '.join(allowed)}")
        # In the canonical order, each once: the order of the page, not of the option.
        return tuple(item for item in allowed if item in chosen)

    return parse


_sections = _choices(SECTIONS, empty_ok=False)
_fail_on = _choices(FAIL_ON_KINDS, empty_ok=True)


@dataclass(frozen=True, slots=True)
class Option:
    """One option. ``name`` is the :class:`Settings` field; the directive option and
    flag are ``name`` with dashes, the config value ``releasediff_`` + ``name``."""

    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str
    where: frozenset[str]
    metavar: str = "VALUE"
    # A list option: config values are lists, text values comma-separated.
    many: bool = False
    # Config values may be None (unset).
    optional: bool = False
    # A list option whose items may not be split at commas (folder paths).
    split: bool = True

    @property
    def dashed(self) -> str:
        return self.name.replace("_", "-")

    @property
    def config_name(self) -> str:
        return f"releasediff_{self.name}"

    @property
    def flag(self) -> str:
        return f"--{self.dashed}"

    def spelled_default(self) -> str:
        return spelled(self.default)


def _option(
    name: str,
    default: Any,
    parse: Callable[[str], Any],
    help: str,
    where: Iterable[str] = (DIRECTIVE, CONFIG, CLI),
    **extra: Any,
) -> Option:
    return Option(name, default, parse, help, frozenset(where), **extra)


OPTIONS: tuple[Option, ...] = (
    _option(
        "package",
        None,
        _name,
        "the package that version arguments name (default: from a path argument's file name)",
        metavar="NAME",
        optional=True,
    ),
    _option(
        "dist",
        "sdist",
        _dist,
        "which file of a release version arguments pick: sdist or wheel",
        metavar="sdist|wheel",
    ),
    _option("context", 3, _whole_number, "lines of context around each change", metavar="N"),
    _option(
        "include",
        (),
        _list,
        "only files whose path matches one of these shell patterns (comma-separated)",
        metavar="GLOB",
        many=True,
    ),
    _option(
        "exclude",
        (),
        _list,
        "leave out files whose path matches one of these shell patterns (comma-separated)",
        metavar="GLOB",
        many=True,
    ),
    _option(
        "show",
        DEFAULT_SHOW,
        _sections,
        f"the sections to show, from {', '.join(SECTIONS)}",
        metavar="SECTIONS",
        many=True,
    ),
    _option(
        "fail_on",
        (),
        _fail_on,
        f"notable kinds that fail the check: {', '.join(FAIL_ON_KINDS)}",
        metavar="KINDS",
        many=True,
    ),
    _option(
        "max_diff_lines",
        1000,
        _whole_number,
        "cut each file's diff after N lines; 0 never cuts (a patch is never cut)",
        metavar="N",
    ),
    _option(
        "max_total_diff_lines",
        20_000,
        _whole_number,
        "diff lines one report shows in all; later files get a note instead; 0: no limit",
        metavar="N",
    ),
    _option(
        "collapse",
        False,
        _flag,
        "start each file's diff closed (HTML)",
        where=(DIRECTIVE, CONFIG),
    ),
    _option(
        "rename_threshold",
        0.5,
        _fraction,
        "pair a removed and an added file as a rename when at least this share of "
        "their lines is common (0 to 1)",
        where=(CONFIG, CLI),
        metavar="F",
    ),
    _option(
        "find_links",
        (),
        _list,
        "folders holding release files, looked in first",
        where=(CONFIG, CLI),
        metavar="DIR",
        many=True,
        split=False,
    ),
    _option(
        "index_url",
        None,
        _name,
        "a PEP 691 or PEP 503 simple index (default: $PIP_INDEX_URL)",
        where=(CONFIG, CLI),
        metavar="URL",
        optional=True,
    ),
    _option(
        "cache_dir",
        None,
        _name,
        "where downloads are kept",
        where=(CONFIG, CLI),
        metavar="DIR",
        optional=True,
    ),
    _option(
        "offline",
        False,
        _flag,
        "never touch the network: folders and the download cache only",
        where=(CONFIG, CLI),
    ),
    _option(
        "timeout",
        30.0,
        _seconds,
        "seconds a network request may take in all",
        where=(CONFIG, CLI),
        metavar="SECONDS",
    ),
    _option(
        "max_members",
        DEFAULT_LIMITS.max_members,
        _whole_number,
        "refuse an archive of more members",
        where=(CONFIG, CLI),
        metavar="N",
    ),
    _option(
        "max_bytes",
        DEFAULT_LIMITS.max_bytes,
        _whole_number,
        "refuse an archive that unpacks to more bytes",
        where=(CONFIG, CLI),
        metavar="N",
    ),
    _option(
        "max_file_bytes",
        DEFAULT_LIMITS.max_file_bytes,
        _whole_number,
        "compare larger files by size and sha256 only",
        where=(CONFIG, CLI),
        metavar="N",
    ),
)

OPTIONS_BY_NAME: Mapping[str, Option] = {option.name: option for option in OPTIONS}


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that decides a report, read once from config and options or argv."""

    package: str | None = None
    dist: str = "sdist"
    context: int = 3
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    show: tuple[str, ...] = DEFAULT_SHOW
    fail_on: tuple[str, ...] = ()
    max_diff_lines: int = 1000
    max_total_diff_lines: int = 20_000
    collapse: bool = False
    rename_threshold: float = 0.5
    find_links: tuple[str, ...] = ()
    index_url: str | None = None
    cache_dir: str | None = None
    offline: bool = False
    timeout: float = 30.0
    max_members: int = DEFAULT_LIMITS.max_members
    max_bytes: int = DEFAULT_LIMITS.max_bytes
    max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def limits(self) -> Limits:
        return Limits(self.max_members, self.max_bytes, self.max_file_bytes)

    @property
    def compare_options(self) -> CompareOptions:
        # Diffs are made whole; the report cuts what it shows, and a patch needs all.
        return CompareOptions(
            context=self.context,
            include=self.include,
            exclude=self.exclude,
            rename_threshold=self.rename_threshold,
            api="api" in self.show,
        )

    @property
    def failing_kinds(self) -> frozenset[str]:
        """The notable kinds that fail the check (``all`` spelled out)."""
        if "all" in self.fail_on:
            return frozenset(NOTABLE_KINDS)
        return frozenset(self.fail_on)


def _check_defaults() -> None:
    """The table and the dataclass agree: one default per option."""
    fields = {field.name: field.default for field in dataclasses.fields(Settings)}
    assert fields == {option.name: option.default for option in OPTIONS}, "OPTIONS and Settings"


_check_defaults()


def parse_option(name: str, text: str) -> Any:
    """An option's value from text; raises :class:`OptionError`."""
    option = OPTIONS_BY_NAME[name]
    try:
        return option.parse(text)
    except ValueError as exc:
        raise OptionError(name, str(exc)) from None


def parse_items(name: str, items: Iterable[str]) -> Any:
    """A list option's value from several texts (repeated flags, a config list)."""
    option = OPTIONS_BY_NAME[name]
    if not option.split:
        return tuple(item.strip() for item in items if item.strip())
    return parse_option(name, ",".join(items))


def config_value(name: str, value: object) -> Any:
    """A ``releasediff_*`` config value checked by the same parser as its text form."""
    option = OPTIONS_BY_NAME[name]
    if value is None and option.optional:
        return None
    if option.many:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise OptionError(name, f"must be a list of strings, not {type(value).__name__}")
        if not all(isinstance(item, str) for item in value):
            raise OptionError(name, "must be a list of strings")
        return parse_items(name, value)
    expected = type(option.default) if option.default is not None else str
    if not _is_instance(value, expected):
        raise OptionError(name, f"must be {_type_name(expected)}, not {type(value).__name__}")
    return parse_option(name, str(value))


def _is_instance(value: object, expected: type) -> bool:
    if isinstance(value, bool):
        return expected is bool
    if expected is float:
        return isinstance(value, int | float)
    return isinstance(value, expected)


def _type_name(expected: type) -> str:
    return {"int": "a whole number", "float": "a number", "bool": "True or False"}.get(
        expected.__name__, "a string"
    )


def option_spelling(name: str, where: str) -> str:
    """An option as a reader of that output sets it: ``--max-diff-lines`` for the
    command, ``:max-diff-lines: or releasediff_max_diff_lines`` for the directive."""
    option = OPTIONS_BY_NAME[name]
    if where == CLI:
        return option.flag
    if DIRECTIVE not in option.where:  # a limit is set in conf.py only
        return option.config_name
    return f":{option.dashed}: or {option.config_name}"


def spelled(value: object) -> str:
    """A default as a reader would write it."""
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)
