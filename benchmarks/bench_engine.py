"""Time and memory of the engine on a pair shaped like a large framework sdist.

Builds (once, cached under benchmarks/_work/) two sdists of about 7,000 members
and 45 MB uncompressed, with about 800 changed text files and a few renames,
then prints one table from one run: the engine's wall time for ``--format
json`` as a ratio to only decompressing both archives with ``gzip -dc``, its
peak RSS, and diffoscope's time when diffoscope is installed.

    python benchmarks/bench_engine.py [--repeat N] [--pair PACKAGE OLD NEW] [--synthetic]
                                      [--pair-files OLD NEW]

With an index (``--index-url`` or ``$PIP_INDEX_URL``) it measures Django
5.0.8 -> 5.1 sdists fetched from it; without one, the synthetic pair.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

WORK = Path(__file__).parent / "_work"
sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.installed import compile_package  # noqa: E402
from benchmarks.pairs import add_pair_arguments, chosen_pair  # noqa: E402

_MODULE = "sphinxext.releasediff"
NO_API_SECTIONS = "summary,notable,artifacts,metadata,files,diffs"

MEMBERS = 7000
CHANGED = 800
RENAMED = 12
SEED = 20261121
_WORDS = [
    "self",
    "return",
    "def",
    "class",
    "import",
    "from",
    "if",
    "else",
    "elif",
    "for",
    "while",
    "in",
    "not",
    "and",
    "or",
    "None",
    "True",
    "False",
    "value",
    "result",
    "request",
    "response",
    "model",
    "field",
    "query",
    "cache",
    "settings",
    "template",
    "context",
    "view",
    "url",
    "path",
    "name",
    "data",
    "items",
    "key",
    "args",
    "kwargs",
    "super",
    "init",
    "get",
    "set",
    "list",
    "dict",
    "str",
    "int",
    "bool",
    "raise",
    "except",
    "try",
    "finally",
    "with",
    "as",
    "lambda",
    "yield",
    "assert",
    "pass",
    "break",
    "continue",
    "global",
]


def _source_file(rng: random.Random, size: int) -> bytes:
    """Python-looking text of about ``size`` bytes."""
    lines: list[str] = []
    total = 0
    while total < size:
        indent = "    " * rng.randint(0, 3)
        words = " ".join(rng.choices(_WORDS, k=rng.randint(2, 10)))
        line = f"{indent}{words}\n"
        lines.append(line)
        total += len(line)
    return "".join(lines).encode()


def _edit(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        index = rng.randrange(len(lines))
        lines[index] = b"    changed = " + str(rng.random()).encode()
    return b"\n".join(lines)


def _trees() -> tuple[dict[str, bytes], dict[str, bytes]]:
    rng = random.Random(SEED)
    old: dict[str, bytes] = {}
    for index in range(MEMBERS - 40):
        folder = f"framework/{['db', 'http', 'core', 'contrib', 'utils', 'tests'][index % 6]}"
        folder += f"/pkg{index % 97}"
        if index % 50 == 0:
            old[f"{folder}/asset{index}.bin"] = rng.randbytes(rng.randint(2_000, 40_000))
        else:
            old[f"{folder}/module{index}.py"] = _source_file(rng, rng.randint(500, 11_800))
    new = dict(old)
    text_paths = sorted(path for path in old if path.endswith(".py"))
    for path in rng.sample(text_paths, CHANGED):
        new[path] = _edit(rng, old[path])
    for path in rng.sample(sorted(set(text_paths) - {p for p in new if new[p] != old[p]}), RENAMED):
        new[path.replace("/module", "/renamed_module")] = new.pop(path)
    return old, new


def _write_sdist(path: Path, top: str, tree: dict[str, bytes]) -> None:
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename=f"{top}.tar", mode="wb", fileobj=raw, mtime=0) as stream,
        tarfile.open(fileobj=stream, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        folders: set[str] = set()
        for name in sorted(tree):
            parts = name.split("/")
            for depth in range(1, len(parts)):
                folder = "/".join(parts[:depth])
                if folder not in folders:
                    folders.add(folder)
                    info = tarfile.TarInfo(f"{top}/{folder}")
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size, info.mode = len(tree[name]), 0o644
            tar.addfile(info, io.BytesIO(tree[name]))


def build_pair() -> tuple[Path, Path]:
    WORK.mkdir(exist_ok=True)
    old_path, new_path = WORK / "framework-4.2.tar.gz", WORK / "framework-4.3.tar.gz"
    if not (old_path.exists() and new_path.exists()):
        old, new = _trees()
        header = b"Metadata-Version: 2.1\nName: framework\nVersion: %s\n"
        old["PKG-INFO"], new["PKG-INFO"] = header % b"4.2", header % b"4.3"
        _write_sdist(old_path, "framework-4.2", old)
        _write_sdist(new_path, "framework-4.3", new)
    return old_path, new_path


# Runs a module as ``python -m`` would, then prints its own peak RSS (VmHWM, which
# starts afresh at exec, so the forked benchmark process is not counted), and that
# of every worker process it used, which each reports just before it is stopped.
_PEAK_WRAPPER = """
import runpy, sys
from benchmarks.peak import own_peak_kib
from sphinxext.releasediff import workers
worker_peaks = []
stop = workers.Worker.close
def close(self, kill=False):
    if not kill:
        worker_peaks.append(self.call("benchmarks.peak:own_peak_kib"))
    stop(self, kill)
workers.Worker.close = close
module, sys.argv = sys.argv[1], sys.argv[1:]
code = 0
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
sys.stderr.write(f"peak-kib {own_peak_kib()}\\n")
for peak in worker_peaks:
    sys.stderr.write(f"worker-peak-kib {peak}\\n")
sys.exit(code)
"""


@dataclass(frozen=True)
class Run:
    """Best wall time of the repeats, and the largest peaks seen (bytes; None if unknown)."""

    seconds: float
    main_rss: int | None = None
    # Each worker's peak, in the order they stopped.
    worker_rss: tuple[int, ...] = ()
    status: int = 0


def timed(command: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
    """Wall seconds and peak RSS of the wrapped module and of its worker, if it used one."""
    start = time.perf_counter()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env
    )
    elapsed = time.perf_counter() - start
    lines = result.stderr.decode().splitlines()
    workers = tuple(_kib(lines, "worker-peak-kib "))
    return Run(elapsed, _largest(_kib(lines, "peak-kib ")), workers, result.returncode)


def _kib(lines: list[str], prefix: str) -> list[int]:
    return [int(line.removeprefix(prefix)) * 1024 for line in lines if line.startswith(prefix)]


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-c", _PEAK_WRAPPER, module, *args]


def best_of(repeat: int, command: Sequence[str], env: Mapping[str, str] | None = None) -> Run:
    runs = [timed(command, env) for _ in range(repeat)]
    if failed := [run.status for run in runs if run.status not in (0, 1)]:
        sys.exit(f"{' '.join(command[:1])} failed with exit status {failed[0]}")
    return Run(
        min(run.seconds for run in runs),
        _largest(run.main_rss for run in runs),
        max((run.worker_rss for run in runs), key=sum),
    )


def _largest(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None


def _describe_pair(old: Path, new: Path) -> None:
    for path in (old, new):
        with tarfile.open(path) as tar:
            infos = tar.getmembers()
        print(
            f"{path.name}: {len(infos):,} members, {sum(i.size for i in infos) / 1e6:.1f} MB "
            f"unpacked, {path.stat().st_size / 1e6:.1f} MB compressed"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    add_pair_arguments(parser)
    args = parser.parse_args(argv)
    old, new, which = chosen_pair(args)
    print(which)
    print(compile_package())
    _describe_pair(old, new)
    gzip_runs = [best_of(args.repeat, ["gzip", "-dc", str(path)]) for path in (old, new)]
    decompress_only = sum(run.seconds for run in gzip_runs)
    engine = python_module(_MODULE, str(old), str(new), "--format", "json", "--output", os.devnull)
    no_api = [*engine, "--show", NO_API_SECTIONS]
    no_workers = {**os.environ, "RELEASEDIFF_WORKERS": "0"}
    rows = [
        ("gzip -dc both (baseline)", Run(decompress_only)),
        ("python start + import", best_of(args.repeat, python_module(_MODULE, "--version"))),
        ("release-diff --format json", best_of(args.repeat, engine)),
        ("  without api", best_of(args.repeat, no_api)),
        ("  without api, no worker", best_of(args.repeat, no_api, no_workers)),
    ]
    rows.append(("extract both + diff -ruN", _extract_and_diff(old, new, args.repeat)))
    if shutil.which("diffoscope"):
        diffoscope = ["diffoscope", "--no-progress", "--text", os.devnull, str(old), str(new)]
        rows.append(("diffoscope --text", best_of(1, diffoscope)))
    _print_table(rows, decompress_only)
    print(f"without api: --show {NO_API_SECTIONS}")
    print("RSS: each process's own peak (VmHWM); the sum is an upper bound of both at once")
    if not shutil.which("diffoscope"):
        print("diffoscope: not installed, not measured")
    return 0


def _extract_and_diff(old: Path, new: Path, repeat: int) -> Run:
    """What a reviewer does by hand: unpack both with tar, then GNU ``diff -ruN``."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as name:
            start = time.perf_counter()
            folders = []
            for side, archive in (("old", old), ("new", new)):
                folder = Path(name) / side
                folder.mkdir()
                subprocess.run(["tar", "-xf", str(archive), "-C", str(folder)], check=True)
                folders.append(str(next(folder.iterdir())))
            subprocess.run(["diff", "-ruN", *folders], stdout=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - start)
    return Run(min(times))


def _print_table(rows: list[tuple[str, Run]], baseline: float) -> None:
    print(
        f"{'case':<28} {'seconds':>8} {'x baseline':>10} "
        f"{'main MiB':>9} {'workers MiB':>11} {'sum MiB':>8}"
    )
    for label, run in rows:
        total = (run.main_rss or 0) + sum(run.worker_rss)
        workers = "+".join(mib(peak) for peak in run.worker_rss) or "-"
        print(
            f"{label:<28} {run.seconds:>8.2f} {run.seconds / baseline:>10.2f} "
            f"{mib(run.main_rss):>9} {workers:>11} {mib(total or None):>8}"
        )


def mib(size: int | None) -> str:
    return f"{size / 2**20:.0f}" if size is not None else "-"


if __name__ == "__main__":
    sys.exit(main())
