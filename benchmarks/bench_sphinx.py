"""An HTML build of one page holding a large release diff, with defaults.

Times ``sphinx-build -b html`` of a one-page project whose page holds a
``release-diff`` of a large pair — Django 5.0.8 -> 5.1 sdists fetched from the
configured index (``--index-url`` or ``$PIP_INDEX_URL``), else the synthetic
pair of ``bench_engine.py`` — against the same build with the directive
removed, in one run, and prints the ratio, peak memory and the page's size.

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
from benchmarks.pairs import add_pair_arguments, chosen_pair

PAGE = """Release 4.3
===========

What changed since 4.2.

{directive}
"""
DIRECTIVE = ".. release-diff:: /{old} /{new}\n"


def make_project(folder: Path, old: Path, new: Path, with_directive: bool) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(old, folder)
    shutil.copy(new, folder)
    (folder / "conf.py").write_text('extensions = ["sphinxext.releasediff"]\nproject = "bench"\n')
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
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        plain = make_project(work / "plain", old, new, with_directive=False)
        diffed = make_project(work / "diffed", old, new, with_directive=True)
        baseline = best(plain, work / "out-plain", args.repeat)
        with_diff = best(diffed, work / "out-diffed", args.repeat)
        page = (work / "out-diffed" / "index.html").stat().st_size
        doctree = (work / "out-diffed" / ".doctrees" / "index.doctree").stat().st_size
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
