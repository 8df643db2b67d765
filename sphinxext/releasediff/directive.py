"""The ``release-diff`` directive: options -> the pipeline -> nodes.

Every problem becomes one warning (``type="releasediff"``) and a short notice
in the page; the build goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.display import status_iterator
from sphinx.util.docutils import SphinxDirective

from .errors import ReleaseDiffError
from .pipeline import Outcome, failing_notable, release_report, sources_for
from .progress import LONG
from .render.nodes import render_nodes
from .report import problem_lines
from .resolve import is_version_argument
from .safety import visible
from .settings import (
    DIRECTIVE,
    OPTIONS,
    OptionError,
    Settings,
    option_spelling,
    parse_option,
    spelled,
)
from .sphinx_config import confdir_of, settings_from_config
from .sphinx_nodes import release_diff_body
from .sphinx_outdated import note_archive

__all__ = ["ReleaseDiff"]

LOGGER = logging.getLogger(__name__)
T = TypeVar("T")
_PROGRESS_STEPS = 20
_TABLE_OPTIONS = {option.dashed: option for option in OPTIONS if DIRECTIVE in option.where}


class ReleaseDiff(SphinxDirective):
    """``.. release-diff:: OLD NEW`` — what changed between two release archives."""

    required_arguments = 2
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], object]]] = dict.fromkeys(
        [*_TABLE_OPTIONS, "caption", "name"], directives.unchanged
    )

    def run(self) -> list[nodes.Node]:
        # Path arguments found on disk, fingerprinted once they are read.
        self._located: list[Path] = []
        old_argument, new_argument = self.arguments
        settings = self._settings()
        # Unique across pages too, for singlehtml, and stable between builds.
        serial = self.env.new_serialno("releasediff")
        id_prefix = nodes.make_id(f"releasediff-{self.env.docname}-{serial}")
        try:
            outcome = release_report(
                settings,
                old_argument,
                new_argument,
                sources=self._sources(settings),
                locate=self._archive_path,
                current=self.config.release or None,
                id_prefix=id_prefix,
                progress=self._progress,
            )
        except _Unavailable as failure:
            return [self._fail(failure.subtype, failure.message)]
        except ReleaseDiffError as exc:
            for path in self._located:  # found, but not read: fingerprint them here
                note_archive(self.env, self.env.docname, path)
            if any(is_version_argument(argument) for argument in self.arguments):
                # A release may be published or fetched by the next build: look again then.
                self.env.note_reread()
            needs = f" ({option_spelling(exc.option, DIRECTIVE)})" if exc.option else ""
            return [self._fail(exc.subtype, f"{self._shown(exc.source)}: {exc.reason}{needs}")]
        self._note_resolved(outcome)
        self._warn_about(outcome, settings)
        caption = self.options.get("caption", "").strip()
        container = render_nodes(outcome.report, id_prefix, caption, body=release_diff_body.of)
        named = container[0] if caption else container
        self.add_name(named)
        if not isinstance(named, nodes.Element) or not named.get("names"):
            return [container]
        # LaTeX writes no label for a container's ids: a target before it gives one, so
        # that :ref: to :name: resolves in the PDF too (HTML writes nothing for it).
        return [nodes.target("", "", refid=named["ids"][0]), container]

    # Arguments -------------------------------------------------------------

    def _archive_path(self, argument: str) -> Path:
        """An archive path as ``literalinclude`` reads it; noted as a dependency."""
        relative, absolute = self.env.relfn2path(argument, self.env.docname)
        path = Path(absolute)
        # Noted even when missing: Sphinx then reads the page again until the file appears.
        self.env.note_dependency(str(path))
        if not path.is_file():
            note_archive(self.env, self.env.docname, path)
            where = "" if relative == argument else f" (looked for {relative} in the source folder)"
            raise _Unavailable("archive", f"{argument}: no such archive file{where}")
        self._located.append(path)
        return path

    def _note_resolved(self, outcome: Outcome) -> None:
        """Resolved files are dependencies; a keyword's answer can change at any time."""
        pair, comparison = outcome.pair, outcome.comparison
        for path, facts in ((pair.old, comparison.old), (pair.new, comparison.new)):
            self.env.note_dependency(str(path))
            # The reader hashed the archive already: no second read of it.
            note_archive(self.env, self.env.docname, path, facts.sha256)
        if pair.uses_keyword:
            self.env.note_reread()

    def _sources(self, settings: Settings) -> Any:
        config = self.config
        return sources_for(
            settings,
            Path(self.env.doctreedir) / "releasediff-cache",
            tls_verify=config.tls_verify,
            tls_cacerts=config.tls_cacerts or None,
            user_agent=config.user_agent or "",
            shown_relative_to=confdir_of(config),
        )

    def _shown(self, source: str) -> str:
        """A path as the page's author knows it: relative to the source folder."""
        try:
            return Path(source).relative_to(self.env.srcdir).as_posix()
        except ValueError:
            return source

    def _progress(self, items: Sequence[T], what: str) -> Iterator[T]:
        """Sphinx's own progress display, in twenty steps (one line each in a log)."""
        if len(items) < LONG:
            yield from items
            return
        step = -(-len(items) // _PROGRESS_STEPS)
        chunks = [items[start : start + step] for start in range(0, len(items), step)]
        ends = {id(chunk): min(len(items), (i + 1) * step) for i, chunk in enumerate(chunks)}
        for chunk in status_iterator(
            chunks,
            f"releasediff: {what} ({self.env.docname}) ",
            "darkgreen",
            len(chunks),
            0,  # one status line per step, at any verbosity
            stringify_func=lambda chunk: f"{ends[id(chunk)]:,}/{len(items):,}",
        ):
            yield from chunk

    # Options ---------------------------------------------------------------

    def _settings(self) -> Settings:
        settings = settings_from_config(self.config)
        changes: dict[str, Any] = {}
        refused: set[str] = set()
        for dashed, option in _TABLE_OPTIONS.items():
            if dashed not in self.options:
                continue
            try:
                changes[option.name] = parse_option(option.name, str(self.options[dashed] or ""))
            except OptionError as exc:
                refused.add(option.name)
                default = getattr(settings, option.name)
                self._warn(
                    "option", f":{dashed}: {exc.reason}; using the default {spelled(default)}"
                )
        settings = settings.replace(**changes)
        self._check_combinations(settings, refused)
        return settings

    def _check_combinations(self, settings: Settings, refused: set[str]) -> None:
        """Options that do nothing together; one already refused is not warned about again."""
        if settings.collapse and "diffs" not in settings.show:
            self._warn("option", ":collapse: has no effect when :show: leaves out diffs")
        if any(is_version_argument(argument) for argument in self.arguments):
            return
        for name in ("package", "dist"):
            if name in self.options and name not in refused:
                self._warn(
                    "option",
                    f":{name}: applies only to version arguments; both arguments are paths",
                )

    # Warnings --------------------------------------------------------------

    def _warn_about(self, outcome: Outcome, settings: Settings) -> None:
        for warning in outcome.pair.warnings:
            self._warn("network", warning)
        for problem in problem_lines(outcome.comparison):
            self._warn("archive", problem)
        for entry in failing_notable(outcome.comparison, settings):
            where = f"{visible(entry.path)}: " if entry.path else ""
            self._warn("notable", f"notable change ({entry.kind}): {where}{visible(entry.detail)}")

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
