"""CPU time of visiting every module of two releases with griffe, per way of visiting.

    python benchmarks/bench_visit.py OLD NEW [--repeat N]

Each variant loads all modules of both archives into griffe (``_Reader.visit``,
no resolving), in turns, ``--repeat`` times; the table gives the best CPU
seconds and the ratio to the first row, measured in the same run:

- ``griffe.visit``: the visit as it was: griffe compiles (pruning function
  bodies natively when ``prune_source`` is installed) and walks every node;
  the unpacked ``self.a, self.b = ...`` targets found with a regex on the lines;
- the same without ``prune_source``;
- ``parsed once, docstrings made``: as used, but making griffe's docstrings;
- ``parsed once, statements only``: :mod:`sphinxext.releasediff.api_parse`.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import griffe
from griffe._internal.agents import parser as griffe_parser

from sphinxext.releasediff import api_load, api_parse
from sphinxext.releasediff.api_modules import module_table
from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.model import Archive

_UNPACKING = re.compile(r"^\s*\(?\s*(?:[\w.]+\s*,\s*)+\*?[\w.]+\s*,?\s*\)?\s*=(?!=)")
_SELF_TARGET = re.compile(r"(?<![\w.])self\.([A-Za-z_]\w*)(?![\w.])")


def griffe_visit(
    name: str,
    filepath: PurePosixPath,
    code: str,
    *,
    parent: griffe.Module | None,
    loader: griffe.GriffeLoader,
) -> tuple[griffe.Module, api_parse.Unpacked]:
    """The visit before api_parse: ``griffe.visit`` and a regex over each ``__init__``'s lines."""
    module = griffe.visit(
        name,
        filepath,  # type: ignore[arg-type]
        code,
        extensions=griffe.Extensions(),
        parent=parent,
        modules_collection=loader.modules_collection,
        lines_collection=loader.lines_collection,
    )
    unpacked: api_parse.Unpacked = {}
    lines: list[str] | None = None
    for cls in api_load._classes(module):
        init = cls.members.get("__init__")
        if not isinstance(init, griffe.Function) or init.lineno is None or init.endlineno is None:
            continue
        lines = code.splitlines() if lines is None else lines
        for number in range(init.lineno, min(init.endlineno, len(lines))):
            match = _UNPACKING.match(lines[number])
            if match is not None:
                found = [(attr, number + 1) for attr in _SELF_TARGET.findall(match.group(0))]
                unpacked.setdefault((init.lineno, init.endlineno), []).extend(found)
    return module, unpacked


@contextlib.contextmanager
def patched(target: object, name: str, value: object) -> Iterator[None]:
    saved = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, saved)


def variants() -> dict[str, Callable[[], contextlib.AbstractContextManager[None]]]:
    def before() -> contextlib.AbstractContextManager[None]:
        return patched(api_load, "visit_module", griffe_visit)

    @contextlib.contextmanager
    def before_unpruned() -> Iterator[None]:
        with before(), patched(griffe_parser, "prune_source", None):
            yield

    return {
        "griffe.visit": before,
        "griffe.visit, no prune_source": before_unpruned,
        "parsed once, docstrings made": lambda: patched(
            api_parse._StatementVisitor, "_get_docstring", griffe.Visitor._get_docstring
        ),
        "parsed once, statements only": contextlib.nullcontext,
    }


def visit_all(archives: list[Archive]) -> float:
    cpu = time.process_time()
    for archive in archives:
        reader = api_load._Reader(module_table(archive))
        reader.visit(reader.folders)
    return time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs=2, type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    archives = [read_archive(path) for path in options.archives]
    ways = variants()
    best = dict.fromkeys(ways, float("inf"))
    with griffe.logger.disable():
        for _ in range(options.repeat):
            for label, way in ways.items():
                gc.collect()
                gc.disable()
                with way():
                    best[label] = min(best[label], visit_all(archives))
                gc.enable()
    print(" -> ".join(path.name for path in options.archives))
    print(f"{'visit':<30} {'best CPU s':>10} {'ratio':>6}")
    first = best["griffe.visit"]
    for label, seconds in best.items():
        print(f"{label:<30} {seconds:>10.2f} {seconds / first:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
