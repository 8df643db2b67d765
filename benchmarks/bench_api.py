"""Time and memory of the API comparison on a big synthetic package.

Builds two sdists in memory holding one package of ``--modules`` modules
(3,000 by default: 60 sub-packages of 50 modules, each module with classes,
methods, functions and constants), where one module in ten changes a
signature, gains a function or loses one, then prints the API comparison's
CPU and wall time, the number of changes and the peak RSS.

With ``--real OLD NEW`` it times two real archives instead, loading every
module (the baseline) and only what differs, in the same run, and says
whether the two results are equal.

    python benchmarks/bench_api.py [--modules N] [--repeat N] [--real OLD NEW]
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from sphinxext.releasediff.api import api_summary, compare_api
from sphinxext.releasediff.archive import read_archive

PER_PACKAGE = 50


def module_source(index: int, changed: bool) -> str:
    extra = ", *, strict=False" if changed and index % 3 == 0 else ""
    lines = [f'"""Module {index}."""', "", "from __future__ import annotations", ""]
    lines.append(f"LIMIT_{index} = {index}")
    for number in range(4):
        lines += [
            "",
            f"class Thing{number}:",
            f'    """Thing {number}."""',
            "",
            f"    kind: str = 'thing-{number}'",
            "",
            "    def __init__(self, name: str, size: int = 0) -> None:",
            "        self.name = name",
            "        self.size = size",
            "",
            f"    def run(self, data: bytes, retries: int = 3{extra}) -> int:",
            "        total = 0",
            "        for chunk in data.split(b'\\n'):",
            "            total += len(chunk) * retries",
            "        return total",
            "",
            "    @property",
            "    def label(self) -> str:",
            "        return self.name.upper()",
        ]
    for number in range(6):
        lines += ["", f"def helper_{number}(value, *args, **kwargs):", "    return value"]
    if changed and index % 3 == 1:
        lines += ["", "def added_later(x):", "    return x"]
    if not (changed and index % 3 == 2):
        lines += ["", "def removed_later(x):", "    return x"]
    return "\n".join(lines) + "\n"


def make_sdist(folder: Path, version: str, modules: int, changed: bool) -> Path:
    top = f"bigpkg-{version}"
    files = {f"{top}/PKG-INFO": f"Metadata-Version: 2.1\nName: bigpkg\nVersion: {version}\n"}
    files[f"{top}/src/bigpkg/__init__.py"] = "from .sub0.mod0 import Thing0\n"
    for index in range(modules):
        package = f"{top}/src/bigpkg/sub{index // PER_PACKAGE}"
        files.setdefault(f"{package}/__init__.py", "")
        files[f"{package}/mod{index}.py"] = module_source(index, changed and index % 10 == 0)
    path = folder / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--real", nargs=2, metavar=("OLD", "NEW"), type=Path)
    options = parser.parse_args(argv)
    if options.real:
        old_path, new_path = options.real
        return compare_real(old_path, new_path, repeat=options.repeat)
    with tempfile.TemporaryDirectory() as folder:
        old = read_archive(make_sdist(Path(folder), "1.0", options.modules, changed=False))
        new = read_archive(make_sdist(Path(folder), "1.1", options.modules, changed=True))
    for _ in range(options.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        changes, notes = compare_api(old, new)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{options.modules} modules a side: api {cpu:.2f} s CPU, {wall:.2f} s wall; "
            f"{len(changes)} changes ({api_summary(changes)}); {len(notes)} notes"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")
    return 0


def compare_real(old_path: Path, new_path: Path, repeat: int) -> int:
    """A table of the API step's CPU seconds on a real pair, full load against incremental."""
    old, new = read_archive(old_path), read_archive(new_path)
    results = {}
    print(f"{old_path.name} -> {new_path.name}")
    print(f"{'load':<12} {'best CPU s':>10} {'wall s':>8} {'changes':>8}")
    for incremental in (False, True):
        timings = []
        for _ in range(repeat):
            cpu, wall = time.process_time(), time.perf_counter()
            results[incremental] = compare_api(old, new, incremental=incremental)
            timings.append((time.process_time() - cpu, time.perf_counter() - wall))
        best = min(timings)
        label = "incremental" if incremental else "full"
        print(f"{label:<12} {best[0]:>10.2f} {best[1]:>8.2f} {len(results[incremental][0]):>8}")
    print(f"equal: {results[False] == results[True]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
