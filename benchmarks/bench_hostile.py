"""Time and peak memory of the command on every case of the hostile corpus.

Runs ``release-diff OLD NEW --format json`` on each case of tests/hostile.py (as
the tests do, bombs at 96 MiB against a 32 MiB limit) and on full-size bombs
(1.5 GiB of zeros against the default 1 GiB limit), one process per case, and
prints each case's outcome, wall time and peak RSS. Every case should stay
under 10 s and 512 MiB.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.bench_engine import WORK, python_module, timed
from tests.hostile import CASES, Case, old_archive, write_bomb

SECONDS, MEBIBYTES = 10.0, 512


def _full_bomb(compression: str) -> Callable[[Path], Path]:
    """1.5 GiB of zeros in one member, against the default 1 GiB limit (built once)."""

    def build(folder: Path) -> Path:
        path = folder / f"demo-1.1.tar.{compression}"
        return path if path.exists() else write_bomb(path, compression, 3 << 29)

    return build


FULL_SIZE = [
    Case(f"{name}-full", _full_bomb(kind), ("error", "limit", "more than 1,073,741,824 bytes"))
    for name, kind in (("gzip-bomb", "gz"), ("bzip2-bomb", "bz2"), ("xz-bomb", "xz"))
]


def main(argv: Sequence[str] | None = None) -> int:
    root = WORK / "hostile"
    print(f"{'case':<22} {'exit':>4} {'seconds':>8} {'peak RSS MiB':>13}  within limits")
    worst = 0
    for case in [*CASES, *FULL_SIZE]:
        folder = root / case.name
        (folder / "old").mkdir(parents=True, exist_ok=True)
        (folder / "new").mkdir(exist_ok=True)
        old = old_archive(folder / "old")
        new = case.build(folder / "new")
        command = python_module(
            "sphinxext.releasediff",
            str(old),
            str(new),
            *case.flags,
            "--format",
            "json",
            "--output",
            str(folder / "report.json"),
        )
        seconds, peak, status = timed(command)
        mib = (peak or 0) / 2**20
        ok = seconds < SECONDS and mib < MEBIBYTES
        worst = max(worst, 0 if ok else 1)
        print(f"{case.name:<22} {status:>4} {seconds:>8.2f} {mib:>13.0f}  {'yes' if ok else 'NO'}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
