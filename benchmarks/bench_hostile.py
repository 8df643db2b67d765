"""Time and peak memory of the command on every case of the hostile corpus.

Runs ``release-diff OLD NEW --format json`` on each case of tests/hostile.py (as
the tests do, bombs at 96 MiB against a 32 MiB limit) and on full-size bombs
(1.5 GiB of zeros against the default 1 GiB limit), a 600 MiB GNU long name,
900 long names of 1 MiB, and a sparse member of 1 GiB, one process per case, and
prints each case's outcome, wall time and peak RSS. Every case should stay
under 10 s and 512 MiB.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import gzip
import sys
import tarfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.bench_engine import WORK, python_module, timed
from tests.archives import MTIME
from tests.hostile import (
    CASES,
    Case,
    header_bomb,
    old_archive,
    sparse_header,
    write_bomb,
)

SECONDS, MEBIBYTES = 10.0, 512


def _full_bomb(compression: str) -> Callable[[Path], Path]:
    """1.5 GiB of zeros in one member, against the default 1 GiB limit (built once)."""

    def build(folder: Path) -> Path:
        path = folder / f"demo-1.1.tar.{compression}"
        return path if path.exists() else write_bomb(path, compression, 3 << 29)

    return build


def _once(build: Callable[[Path], Path], name: str) -> Callable[[Path], Path]:
    def cached(folder: Path) -> Path:
        path = folder / name
        return path if path.exists() else build(path)

    return cached


def _long_name_600mib(path: Path) -> Path:
    """A GNU long name header declaring 600 MiB, with its 600 MiB, in about 600 KB."""
    header = tarfile.TarInfo("././@LongLink")
    header.type, header.size = tarfile.GNUTYPE_LONGNAME, 600 << 20
    with gzip.open(path, "wb", 6) as stream:
        stream.write(header.tobuf(format=tarfile.GNU_FORMAT))
        for _ in range(600):
            stream.write(b"n" * (1 << 20))
        stream.write(bytes(2048))
    return path


def _sparse_under_limit(path: Path) -> Path:
    """A sparse member of 1 GiB less 1 MiB (within the default limit) in a few KB."""
    chunk = b"sparse\n".ljust(512, b"\x00")
    raw = sparse_header("demo-1.1/holes", (1 << 30) - (1 << 20), 512) + chunk + bytes(1024)
    path.write_bytes(gzip.compress(raw, 9, mtime=MTIME))
    return path


FULL_SIZE = [
    *(
        Case(f"{name}-full", _full_bomb(kind), ("error", "limit", "more than 1,073,741,824 bytes"))
        for name, kind in (("gzip-bomb", "gz"), ("bzip2-bomb", "bz2"), ("xz-bomb", "xz"))
    ),
    Case(
        "long-name-600mib-full",
        _once(_long_name_600mib, "demo-1.1.tar.gz"),
        ("error", "limit", "more than 1,048,576 bytes in one header"),
    ),
    Case(
        "long-names-900mib-full",
        _once(lambda path: header_bomb(path, 900, "name"), "demo-1.1.tar.gz"),
        ("error", "limit", "more than 33,554,432 bytes of member names"),
    ),
    Case(
        "sparse-1gib-full",
        _once(_sparse_under_limit, "demo-1.1.tar.gz"),
        ("label", "holes"),
    ),
]


def main(argv: Sequence[str] | None = None) -> int:
    root = WORK / "hostile"
    print(f"{'case':<34} {'exit':>4} {'seconds':>8} {'peak RSS MiB':>13}  within limits")
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
        run = timed(command)
        seconds, status = run.seconds, run.status
        mib = ((run.main_rss or 0) + sum(run.worker_rss)) / 2**20  # workers' count too
        ok = seconds < SECONDS and mib < MEBIBYTES
        worst = max(worst, 0 if ok else 1)
        print(f"{case.name:<34} {status:>4} {seconds:>8.2f} {mib:>13.0f}  {'yes' if ok else 'NO'}")
    return worst


if __name__ == "__main__":
    sys.exit(main())
