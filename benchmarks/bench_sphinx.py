"""An HTML build of one page holding a large release diff, with defaults.

Times ``sphinx-build -b html`` of a one-page project whose page holds a
``release-diff`` of a large pair — Django 5.0.8 -> 5.1 sdists fetched from the
configured index (``--index-url`` or ``$PIP_INDEX_URL``), else the synthetic
pair of ``bench_engine.py`` — against the same build with the directive
removed, in one run, and prints the ratio, peak memory and the page's size.
Then the part Sphinx adds apart from the engine: each build times the
directive's engine call (resolve, read, compare, report) and reports its CPU
seconds; what the build spends beyond the engine and beyond the build without
the directive is what the page costs in Sphinx (nodes, transforms, pickling,
writing). CPU seconds of the main process, less disturbed by a busy machine.

    python benchmarks/bench_sphinx.py [--repeat N] [--pair PACKAGE OLD NEW] [--synthetic]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.bench_engine import Run, best_of, mib, python_module
from benchmarks.installed import compile_package
from benchmarks.pairs import add_pair_arguments, chosen_pair

PAGE = """Release 4.3
===========

What changed since 4.2.

{directive}
"""
DIRECTIVE = ".. release-diff:: /{old} /{new}\n"
CONF = """import sys
sys.path.insert(0, {folder!r})
extensions = ["sphinxext.releasediff", "bench_timing"]
project = "bench"
"""
# Loaded by both projects: appends "engine-wall engine-cpu cpu" for each build to TIMINGS.
TIMING_EXTENSION = """
import time
from pathlib import Path
from sphinxext.releasediff import directive

engine = [0.0, 0.0]
release_report = directive.release_report

def timed(*args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return release_report(*args, **kwargs)
    finally:
        engine[0] += time.perf_counter() - wall
        engine[1] += time.process_time() - cpu

directive.release_report = timed

def record(app, exception):
    with open(Path(__file__).with_name("timings.txt"), "a") as timings:
        timings.write(f"{engine[0]} {engine[1]} {time.process_time()}\\n")

def setup(app):
    app.connect("build-finished", record)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
"""
TIMINGS = "timings.txt"


def make_project(folder: Path, old: Path, new: Path, with_directive: bool) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(old, folder)
    shutil.copy(new, folder)
    (folder / "conf.py").write_text(CONF.format(folder=str(folder)))
    (folder / "bench_timing.py").write_text(TIMING_EXTENSION)
    directive = DIRECTIVE.format(old=old.name, new=new.name) if with_directive else ""
    (folder / "index.rst").write_text(PAGE.format(directive=directive))
    return folder


def build_command(project: Path, output: Path) -> list[str]:
    """A fresh html build, wrapped to print the peak RSS of Sphinx and of our worker."""
    return python_module("sphinx", "-q", "-E", "-b", "html", str(project), str(output))


def best(project: Path, output: Path, repeat: int) -> Run:
    shutil.rmtree(output, ignore_errors=True)
    return best_of(repeat, build_command(project, output))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    add_pair_arguments(parser)
    args = parser.parse_args(argv)
    old, new, which = chosen_pair(args)
    print(which)
    print(compile_package())
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        plain = make_project(work / "plain", old, new, with_directive=False)
        diffed = make_project(work / "diffed", old, new, with_directive=True)
        baseline = best(plain, work / "out-plain", args.repeat)
        with_diff = best(diffed, work / "out-diffed", args.repeat)
        page = (work / "out-diffed" / "index.html").stat().st_size
        doctree = (work / "out-diffed" / ".doctrees" / "index.doctree").stat().st_size
        plain_timings, diffed_timings = timings(plain), timings(diffed)
    print(f"{'case':<32} {'seconds':>8} {'x baseline':>10} {'main MiB':>9} {'workers MiB':>11}")
    for label, run in (
        ("html build, directive removed", baseline),
        ("html build, release-diff", with_diff),
    ):
        ratio = run.seconds / baseline.seconds
        print(
            f"{label:<32} {run.seconds:>8.2f} {ratio:>10.2f} {mib(run.main_rss):>9} "
            f"{'+'.join(mib(peak) for peak in run.worker_rss) or '-':>11}"
        )
    print(f"page size: {page / 1e6:.2f} MB; doctree {doctree / 1e6:.2f} MB")
    engine_wall = min(timing[0] for timing in diffed_timings)
    engine_cpu = min(timing[1] for timing in diffed_timings)
    beyond_engine = min(timing[2] - timing[1] for timing in diffed_timings)
    baseline_cpu = min(timing[2] for timing in plain_timings)
    print(
        f"in the build (best of {args.repeat}): engine call {engine_wall:.2f} s "
        f"({engine_cpu:.2f} s CPU here); Sphinx part, CPU beyond the engine and the build "
        f"without the directive: {beyond_engine - baseline_cpu:.2f} s"
    )
    return 0


def timings(project: Path) -> list[tuple[float, ...]]:
    """What each build of ``project`` recorded: engine wall and CPU seconds, CPU seconds."""
    lines = (project / TIMINGS).read_text().splitlines()
    return [tuple(float(field) for field in line.split()) for line in lines]


if __name__ == "__main__":
    sys.exit(main())
