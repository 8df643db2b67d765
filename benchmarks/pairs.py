"""The release pairs the benchmarks measure: a real one from the configured index, or synthetic.

``real_pair("django", "5.0.8", "5.1")`` fetches both sdists with the
project's own resolver from ``--index-url`` or ``$PIP_INDEX_URL`` (no index
host is written here) into ``benchmarks/_work/cache``; with no index, or
offline, it returns None and the caller falls back to the synthetic pair of
``bench_engine.build_pair()``, equally large. Every benchmark prints which
pair it measured. ``--pair-files OLD NEW`` measures two archives already on disk.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from sphinxext.releasediff.errors import ReleaseDiffError
from sphinxext.releasediff.resolve import Sources, resolve_pair

WORK = Path(__file__).parent / "_work"
DEFAULT = ("django", "5.0.8", "5.1")


def add_pair_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--pair",
        nargs=3,
        metavar=("PACKAGE", "OLD", "NEW"),
        default=DEFAULT,
        help="a real release pair to fetch from the index (default: django 5.0.8 5.1)",
    )
    parser.add_argument(
        "--pair-files",
        nargs=2,
        type=Path,
        metavar=("OLD", "NEW"),
        help="measure these two archive files (no index, no synthetic pair)",
    )
    parser.add_argument("--index-url", help="a simple index (default: $PIP_INDEX_URL)")
    parser.add_argument(
        "--synthetic", action="store_true", help="measure the synthetic pair even with an index"
    )


def real_pair(package: str, old: str, new: str, index_url: str | None) -> tuple[Path, Path] | None:
    """Both sdists from the index (cached), or None when there is no index or it fails."""
    url = index_url or os.environ.get("PIP_INDEX_URL")
    if not url:
        return None
    sources = Sources(index_url=url, cache_dir=WORK / "cache", timeout=120)
    try:
        pair = resolve_pair(
            old, new, package=package, dist="sdist", sources=sources, current=None, path_of=Path
        )
    except ReleaseDiffError as exc:
        print(f"(could not fetch {package} {old} and {new}: {exc}; using the synthetic pair)")
        return None
    return pair.old, pair.new


def chosen_pair(args: argparse.Namespace) -> tuple[Path, Path, str]:
    """The pair to measure and a line saying which it is."""
    from benchmarks.bench_engine import build_pair

    if args.pair_files:
        old_file, new_file = args.pair_files
        return old_file, new_file, f"pair: files {old_file} -> {new_file}"
    if not args.synthetic:
        package, old, new = args.pair
        found = real_pair(package, old, new, args.index_url)
        if found:
            return found[0], found[1], f"pair: {package} {old} -> {new} sdists from the index"
    old_path, new_path = build_pair()
    return old_path, new_path, "pair: synthetic (bench_engine.build_pair), no index configured"
