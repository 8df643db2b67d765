"""An HTML build of one page holding the large synthetic release pair, with defaults.

Times ``sphinx-build -b html`` of a one-page project whose page holds a
``release-diff`` of the pair from ``bench_engine.py``, against the same build
with the directive removed, in one run, and prints the ratio and the page's
size.

    python benchmarks/bench_sphinx.py [--repeat N]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

from benchmarks.bench_engine import build_pair

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


def build_seconds(project: Path, output: Path) -> float:
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-q", "-E", "-b", "html", str(project), str(output)]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    old, new = build_pair()
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        plain = make_project(work / "plain", old, new, with_directive=False)
        diffed = make_project(work / "diffed", old, new, with_directive=True)
        baseline = min(build_seconds(plain, work / "out-plain") for _ in range(args.repeat))
        with_diff = min(build_seconds(diffed, work / "out-diffed") for _ in range(args.repeat))
        page = (work / "out-diffed" / "index.html").stat().st_size
    print(f"{'case':<32} {'seconds':>8} {'x baseline':>10}")
    print(f"{'html build, directive removed':<32} {baseline:>8.2f} {1.0:>10.2f}")
    print(f"{'html build, release-diff':<32} {with_diff:>8.2f} {with_diff / baseline:>10.2f}")
    print(f"page size: {page / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
