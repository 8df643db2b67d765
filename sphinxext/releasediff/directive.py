"""The ``release-diff`` directive: options -> archives -> comparison -> nodes.

Every problem becomes one warning (``type="releasediff"``) and a short notice
in the page; the build goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .archive import Limits, read_pair
from .compare import CompareOptions, compare
from .errors import ReleaseDiffError
from .render.common import problem_lines
from .render.nodes import SECTIONS, RenderOptions, render_nodes
from .resolve import (
    ResolvedPair,
    Sources,
    index_url_from_environment,
    is_version_argument,
    resolve_pair,
)
from .sphinx_outdated import note_archive

__all__ = ["ReleaseDiff"]

LOGGER = logging.getLogger(__name__)
_TRUE = ("", "true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Settings:
    compare: CompareOptions
    render: RenderOptions


class ReleaseDiff(SphinxDirective):
    """``.. release-diff:: OLD NEW`` — what changed between two release archives."""

    required_arguments = 2
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = dict.fromkeys(
        [
            "package",
            "dist",
            "context",
            "include",
            "exclude",
            "show",
            "max-diff-lines",
            "collapse",
            "caption",
            "name",
        ],
        directives.unchanged,
    )

    def run(self) -> list[nodes.Node]:
        old_argument, new_argument = self.arguments
        settings = self._settings()
        try:
            pair = resolve_pair(
                old_argument,
                new_argument,
                package=self._option("package", _name, self.config.releasediff_package),
                dist=self._option("dist", _dist, self.config.releasediff_dist),
                sources=self._sources(),
                current=self.config.release or None,
                path_of=self._archive_path,
            )
            self._note_resolved(pair)
            comparison = compare(*read_pair(pair.old, pair.new, self._limits()), settings.compare)
        except _Unavailable as failure:
            return [self._fail(failure.subtype, failure.message)]
        except ReleaseDiffError as exc:
            reason = f"{self._shown(exc.source)}: {exc.reason}"
            return [self._fail(exc.subtype, reason)]
        for problem in problem_lines(comparison):
            self._warn("archive", problem)
        container = render_nodes(comparison, settings.render)
        named = container[0] if settings.render.caption else container
        self.add_name(named)
        return [container]

    # Arguments -------------------------------------------------------------

    def _archive_path(self, argument: str) -> Path:
        """An archive path as ``literalinclude`` reads it; noted as a dependency."""
        _relative, absolute = self.env.relfn2path(argument, self.env.docname)
        path = Path(absolute)
        # Noted even when missing: Sphinx then reads the page again until the file appears.
        self.env.note_dependency(str(path))
        note_archive(self.env, self.env.docname, path)
        if not path.is_file():
            raise _Unavailable("archive", f"{argument}: no such archive file")
        return path

    def _note_resolved(self, pair: ResolvedPair) -> None:
        """Resolved files are dependencies; a keyword's answer can change at any time."""
        for path in (pair.old, pair.new):
            self.env.note_dependency(str(path))
            note_archive(self.env, self.env.docname, path)
        if pair.uses_keyword:
            self.env.note_reread()

    def _limits(self) -> Limits:
        config = self.config
        return Limits(
            max_members=config.releasediff_max_members,
            max_bytes=config.releasediff_max_bytes,
            max_file_bytes=config.releasediff_max_file_bytes,
        )

    def _sources(self) -> Sources:
        config = self.config
        # Folders were made absolute (relative to conf.py) when the config was read.
        cache = config.releasediff_cache_dir
        return Sources(
            find_links=tuple(Path(folder) for folder in config.releasediff_find_links),
            index_url=config.releasediff_index_url or index_url_from_environment(),
            cache_dir=Path(cache) if cache else Path(self.env.doctreedir) / "releasediff-cache",
            offline=config.releasediff_offline,
            timeout=float(config.releasediff_timeout),
            tls_verify=config.tls_verify,
            tls_cacerts=config.tls_cacerts or None,
            user_agent=config.user_agent or "",
        )

    def _shown(self, source: str) -> str:
        """A path as the page's author knows it: relative to the source folder."""
        try:
            return Path(source).relative_to(self.env.srcdir).as_posix()
        except ValueError:
            return source

    # Options ---------------------------------------------------------------

    def _settings(self) -> _Settings:
        config = self.config
        context = self._option("context", _whole_number, config.releasediff_context)
        max_lines = self._option("max-diff-lines", _whole_number, config.releasediff_max_diff_lines)
        show = self._option("show", _sections, tuple(config.releasediff_show))
        collapse = self._option("collapse", _flag, config.releasediff_collapse)
        include = self._option("include", _globs, tuple(config.releasediff_include))
        exclude = self._option("exclude", _globs, tuple(config.releasediff_exclude))
        self._check_combinations(show, collapse)
        serial = self.env.new_serialno("releasediff")
        return _Settings(
            compare=CompareOptions(
                context=context,
                include=include,
                exclude=exclude,
                rename_threshold=config.releasediff_rename_threshold,
                max_diff_lines=max_lines,
            ),
            render=RenderOptions(
                show=show,
                collapse=collapse,
                # Unique across pages too, for singlehtml, and stable between builds.
                id_prefix=nodes.make_id(f"releasediff-{self.env.docname}-{serial}"),
                max_total_diff_lines=config.releasediff_max_total_diff_lines,
                caption=self.options.get("caption", "").strip(),
            ),
        )

    def _option(self, name: str, parse: Callable[[str], T], default: T) -> T:
        if name not in self.options:
            return default
        try:
            return parse(str(self.options[name] or ""))
        except ValueError as exc:
            self._warn("option", f":{name}: {exc}; using the default {_spelled(default)}")
            return default

    def _check_combinations(self, show: tuple[str, ...], collapse: bool) -> None:
        if collapse and "diffs" not in show:
            self._warn("option", ":collapse: has no effect when :show: leaves out diffs")
        if any(is_version_argument(argument) for argument in self.arguments):
            return
        for name in ("package", "dist"):
            if name in self.options:
                self._warn(
                    "option",
                    f":{name}: applies only to version arguments; both arguments are paths",
                )

    # Failures --------------------------------------------------------------

    def _warn(self, subtype: str, message: str) -> None:
        LOGGER.warning(message, type="releasediff", subtype=subtype, location=self.get_location())

    def _fail(self, subtype: str, message: str) -> nodes.Node:
        """Warn, and leave a notice where the release diff would be.

        The caption and ``:name:`` stay, so references to it still resolve.
        """
        self._warn(subtype, message)
        notice = nodes.container(classes=["releasediff", "releasediff-error"])
        caption = self.options.get("caption", "").strip()
        if caption:
            notice += nodes.rubric(caption, caption, classes=["releasediff-caption"])
        text = f"Release diff not available: {message}"
        notice += nodes.paragraph(text, text)
        self.add_name(notice[0] if caption else notice)
        return notice


class _Unavailable(Exception):  # noqa: N818 (not an error of ours: a missing input)
    def __init__(self, subtype: str, message: str) -> None:
        super().__init__(message)
        self.subtype = subtype
        self.message = message


def _name(text: str) -> str | None:
    if not text.strip():
        raise ValueError("is empty")
    return text.strip()


def _dist(text: str) -> str:
    if text.strip() not in ("sdist", "wheel"):
        raise ValueError(f"{text!r} is not 'sdist' or 'wheel'")
    return text.strip()


def _whole_number(text: str) -> int:
    if not re.fullmatch(r"\s*\d+\s*", text):
        raise ValueError(f"{text!r} is not a whole number of 0 or more")
    return int(text)


def _flag(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


def _globs(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _sections(text: str) -> tuple[str, ...]:
    chosen = _globs(text)
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown or not chosen:
        raise ValueError(f"{', '.join(unknown) or 'nothing'} is not among {', '.join(SECTIONS)}")
    return tuple(name for name in SECTIONS if name in chosen)


def _spelled(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)
