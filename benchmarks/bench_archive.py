"""Time to read one archive: tarfile's header parser against FastTarInfo, in one run.

    python benchmarks/bench_archive.py [--repeat N] ARCHIVE...

For each tar archive it prints, best of N: ``gzip -dc`` of it (the baseline),
``read_archive`` with stock ``tarfile.TarInfo`` headers and with
``FastTarInfo`` headers, and iterating ``TarFile.next()`` over the uncompressed
tar with each header class (headers alone, no decompression or hashing).
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


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _read_with(header_class: type[tarfile.TarInfo], path: Path) -> None:
    with mock.patch.object(archive, "FastTarInfo", header_class):
        archive.read_archive(path)


def _iterate_headers(header_class: type[tarfile.TarInfo], tar_bytes: bytes) -> None:
    with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:", tarinfo=header_class) as tar:
        while tar.next() is not None:
            pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("archives", nargs="+", type=Path)
    args = parser.parse_args(argv)
    print(f"{'archive':<28} {'case':<30} {'seconds':>8} {'x gzip -dc':>10}")
    headers = (("stock", tarfile.TarInfo), ("FastTarInfo", FastTarInfo))
    for path in args.archives:
        gzip_command = ["gzip", "-dc", str(path)]
        baseline = best_of(args.repeat, partial(subprocess.run, gzip_command, stdout=DEVNULL))
        tar_bytes = gzip.decompress(path.read_bytes())
        rows = [("gzip -dc (baseline)", baseline)]
        for label, header in headers:
            reading = partial(_read_with, header, path)
            rows.append((f"read_archive, {label}", best_of(args.repeat, reading)))
        for label, header in headers:
            iterating = partial(_iterate_headers, header, tar_bytes)
            rows.append((f"tar.next() only, {label}", best_of(args.repeat, iterating)))
        for case, seconds in rows:
            print(f"{path.name:<28} {case:<30} {seconds:>8.2f} {seconds / baseline:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
