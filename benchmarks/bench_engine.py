"""Time and memory of the engine on a pair shaped like a large framework sdist.

Builds (once, cached under benchmarks/_work/) two sdists of about 7,000 members
and 45 MB uncompressed, with about 800 changed text files and a few renames,
then prints one table from one run: the engine's wall time for ``--format
json`` as a ratio to only decompressing both archives with ``gzip -dc``, its
peak RSS, and diffoscope's time when diffoscope is installed.

    python benchmarks/bench_engine.py [--repeat N] [--pair PACKAGE OLD NEW] [--synthetic]

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
import time
from collections.abc import Sequence
from pathlib import Path

WORK = Path(__file__).parent / "_work"
sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.pairs import add_pair_arguments, chosen_pair  # noqa: E402

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
# starts afresh at exec, so the forked benchmark process is not counted).
_PEAK_WRAPPER = """
import runpy, sys
module, sys.argv = sys.argv[1], sys.argv[1:]
code = 0
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
except SystemExit as exit:
    code = exit.code
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
sys.stderr.write(f"peak-kib {peak}\\n")
sys.exit(code)
"""


def timed(command: Sequence[str]) -> tuple[float, int | None, int]:
    """Wall seconds, peak RSS in bytes (for a wrapped Python module) and exit status."""
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    peaks = [line for line in result.stderr.decode().splitlines() if line.startswith("peak-kib ")]
    return elapsed, int(peaks[-1].split()[1]) * 1024 if peaks else None, result.returncode


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-c", _PEAK_WRAPPER, module, *args]


def best_of(repeat: int, command: Sequence[str]) -> tuple[float, int | None]:
    runs = [timed(command) for _ in range(repeat)]
    peaks = [m for _, m, _status in runs if m is not None]
    return min(t for t, _m, _status in runs), max(peaks) if peaks else None


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
    _describe_pair(old, new)
    decompress_only = sum(
        best_of(args.repeat, ["gzip", "-dc", str(path)])[0] for path in (old, new)
    )
    engine = python_module(
        "sphinxext.releasediff", str(old), str(new), "--format", "json", "--output", os.devnull
    )
    startup = best_of(args.repeat, python_module("sphinxext.releasediff", "--version"))
    engine_time, engine_rss = best_of(args.repeat, engine)
    no_api = best_of(args.repeat, [*engine, "--show", "summary,notable,artifacts,metadata,files"])
    rows = [
        ("gzip -dc both (baseline)", decompress_only, None),
        ("python start + import", startup[0], startup[1]),
        ("release-diff --format json", engine_time, engine_rss),
        ("  the same without api", no_api[0], no_api[1]),
    ]
    if shutil.which("diffoscope"):
        diffoscope = best_of(
            1, ["diffoscope", "--no-progress", "--text", os.devnull, str(old), str(new)]
        )
        rows.append(("diffoscope --text", diffoscope[0], diffoscope[1]))
    print(f"{'case':<28} {'seconds':>8} {'x baseline':>10} {'peak RSS MiB':>13}")
    for label, seconds, rss in rows:
        memory = f"{rss / 2**20:.0f}" if rss is not None else "-"
        print(f"{label:<28} {seconds:>8.2f} {seconds / decompress_only:>10.2f} {memory:>13}")
    if not shutil.which("diffoscope"):
        print("diffoscope: not installed, not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
