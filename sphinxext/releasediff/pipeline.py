"""One path from two arguments to a report, for the directive and the command alike.

settings + OLD + NEW -> resolved archive files -> archives read -> comparison
-> report. The callers only say how a path argument becomes a file (the
directive resolves it against the document and notes it as a dependency) and
map what comes back: warnings and dependencies for Sphinx, exit codes for
the command.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .api_worker import ApiStep
from .archive import pair_read
from .collector import collector_paused
from .compare import compare, files_filter
from .exec_worker import ExecStep
from .model import Comparison, Notable
from .progress import Progress, no_progress
from .report import Report, build_report
from .resolve import ResolvedPair, Sources, index_url_from_environment, resolve_pair
from .settings import DIRECTIVE, Settings

__all__ = ["Outcome", "failing_notable", "release_report", "sources_for"]


@dataclass(frozen=True, slots=True)
class Outcome:
    pair: ResolvedPair
    comparison: Comparison
    report: Report


def sources_for(
    settings: Settings,
    cache_fallback: Path,
    *,
    tls_verify: bool = True,
    tls_cacerts: str | Mapping[str, str] | None = None,
    user_agent: str = "",
    shown_relative_to: Path | None = None,
) -> Sources:
    """Where releases are looked for, from the settings (folders already absolute)."""
    return Sources(
        find_links=tuple(Path(folder) for folder in settings.find_links),
        index_url=settings.index_url or index_url_from_environment(),
        cache_dir=Path(settings.cache_dir) if settings.cache_dir else cache_fallback,
        offline=settings.offline,
        timeout=settings.timeout,
        tls_verify=tls_verify,
        tls_cacerts=tls_cacerts,
        user_agent=user_agent,
        # Both callers show ResolvedPair.warnings: a keyword can be answered from disk.
        fallback_when_unreachable=True,
        shown_relative_to=shown_relative_to,
    )


def release_report(
    settings: Settings,
    old: str,
    new: str,
    *,
    sources: Sources,
    locate: Callable[[str], Path] = Path,
    current: str | None = None,
    id_prefix: str = "",
    progress: Progress = no_progress,
    where: str = DIRECTIVE,
) -> Outcome:
    """Resolve, read, compare and report; raises :class:`~.errors.ReleaseDiffError`.

    ``where`` is the caller (the directive or the command), for the report's wording."""
    pair = resolve_pair(
        old,
        new,
        package=settings.package,
        dist=settings.dist,
        sources=sources,
        current=current,
        path_of=locate,
    )
    options = settings.compare_options
    # Without the API to compare, the worker that reads OLD would idle: it runs the exec check.
    exec_step = None if options.api else ExecStep(options)
    new_read = None if exec_step is None else exec_step.hand_new
    read = pair_read(pair.old, pair.new, settings.limits, new_read)
    with collector_paused(), read as (old_archive, new_archive, worker):
        if exec_step is not None:
            comparison = compare(old_archive, new_archive, options, progress, exec_step)
        else:
            # The API is compared beside the files, in workers (one a release).
            api_step = ApiStep(worker, old_archive, new_archive, files_filter(options))
            with contextlib.closing(api_step) as api:
                comparison = compare(
                    old_archive, new_archive, replace(options, api=False), progress
                )
                changes, notes = api.result()
            comparison = replace(comparison, api=changes, api_notes=notes)
        report = build_report(comparison, settings, id_prefix, where)
    return Outcome(pair, comparison, report)


def failing_notable(comparison: Comparison, settings: Settings) -> list[Notable]:
    """The notable entries of the kinds ``fail_on`` names."""
    kinds = settings.failing_kinds
    return [entry for entry in comparison.notable if entry.kind in kinds]
