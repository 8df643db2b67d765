"""Time of renames by evidence and of the notable-changes pass, on synthetic pairs.

Builds each pair in memory, then prints one table from one run: the whole
``compare()`` and, apart, ``find_notable()`` on its result.

- ``empty-move``: 3,000 empty ``__init__.py`` moved into ``src/`` (identical
  tiny files: pairing by content and trailing path parts).
- ``edited-modules``: 600 modules of 300 lines, each with 5 lines edited and
  half of them importing ``subprocess`` (the ``exec`` pass parses those).

    python benchmarks/bench_notable.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.model import Archive
from sphinxext.releasediff.notable import find_notable
from tests.archives import Tree, make_sdist


def empty_move() -> tuple[Tree, Tree]:
    old = {f"pkg/m{i}/__init__.py": "" for i in range(3000)}
    return old, {f"src/{path}": "" for path in old}


def edited_modules() -> tuple[Tree, Tree]:
    def module(i: int, edit: bool) -> str:
        head = "import subprocess\n" if i % 2 else "import json\n"
        body = "".join(
            f"def f{j}(x):\n    return x + {j * (2 if edit and j % 60 == 0 else 1)}\n"
            for j in range(150)
        )
        return head + body

    old = {f"pkg/m{i}.py": module(i, False) for i in range(600)}
    new = {f"pkg/m{i}.py": module(i, True) for i in range(600)}
    return old, new


def main() -> None:
    print(f"{'pair':<16} {'compare':>9} {'find_notable':>13} {'notable':>8}")
    for name, build in (("empty-move", empty_move), ("edited-modules", edited_modules)):
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            (root / "o").mkdir()
            (root / "n").mkdir()
            old_tree, new_tree = build()
            old: Archive = read_archive(make_sdist(root / "o", "demo", "1.0", old_tree))
            new: Archive = read_archive(make_sdist(root / "n", "demo", "1.1", new_tree))
            start = time.perf_counter()
            comparison = compare(old, new)
            compare_time = time.perf_counter() - start
            start = time.perf_counter()
            find_notable(old, new, comparison.files, comparison.metadata)
            notable_time = time.perf_counter() - start
            print(
                f"{name:<16} {compare_time:>8.2f}s {notable_time:>12.2f}s"
                f" {len(comparison.notable):>8}"
            )


if __name__ == "__main__":
    main()
