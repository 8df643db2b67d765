"""Time to read one archive: tarfile's header parser against FastTarInfo, in one run.

    python benchmarks/bench_archive.py [--repeat N] ARCHIVE...

For each tar archive it prints, best of N: ``gzip -dc`` of it (the baseline),
``read_archive`` with stock ``tarfile.TarInfo`` headers, with ``FastTarInfo``
for ustar headers only (PAX headers read by tarfile) and with ``FastTarInfo``,
and iterating ``TarFile.next()`` over the uncompressed tar with each header
class (headers alone, no decompression or hashing). The cases take turns in
each of the N rounds, so a busy machine slows them alike.
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from subprocess import DEVNULL
from unittest import mock

sys.path.insert(0, str(Path(__file__).parent.parent))

from sphinxext.releasediff import archive
from sphinxext.releasediff.tarheader import FastTarInfo


class UstarOnlyFastTarInfo(FastTarInfo):
    """FastTarInfo with tarfile's own PAX header reading."""

    _proc_pax = tarfile.TarInfo._proc_pax  # type: ignore[attr-defined]


def best_in_turns(repeat: int, runs: Sequence[Callable[[], object]]) -> list[float]:
    """Each run's best time over ``repeat`` rounds, every run once per round."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, spent in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            spent.append(time.perf_counter() - start)
    return [min(spent) for spent in times]


def _read_with(header_class: type[tarfile.TarInfo], path: Path) -> None:
    with mock.patch.object(archive, "FastTarInfo", header_class):
        archive.read_archive(path)


def _iterate_headers(header_class: type[tarfile.TarInfo], tar_bytes: bytes) -> None:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:", tarinfo=header_class) as tar:
        while tar.next() is not None:
            pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("archives", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print(f"{'archive':<28} {'case':<34} {'seconds':>8} {'x gzip -dc':>10}")
    headers = (
        ("stock", tarfile.TarInfo),
        ("ustar-only Fast", UstarOnlyFastTarInfo),
        ("FastTarInfo", FastTarInfo),
    )
    for path in args.archives:
        gzip_command = ["gzip", "-dc", str(path)]
        tar_bytes = gzip.decompress(path.read_bytes())
        cases: list[tuple[str, Callable[[], object]]] = [
            ("gzip -dc (baseline)", partial(subprocess.run, gzip_command, stdout=DEVNULL))
        ]
        cases += [(f"read_archive, {label}", partial(_read_with, h, path)) for label, h in headers]
        cases += [
            (f"tar.next() only, {label}", partial(_iterate_headers, h, tar_bytes))
            for label, h in headers
        ]
        times = best_in_turns(args.repeat, [run for _label, run in cases])
        rows = [(label, seconds) for (label, _run), seconds in zip(cases, times, strict=True)]
        baseline = rows[0][1]
        for case, seconds in rows:
            print(f"{path.name:<28} {case:<34} {seconds:>8.2f} {seconds / baseline:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
