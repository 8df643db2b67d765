"""Progress on long comparisons: a terminal line from the command, Sphinx's own display."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

from sphinxext.releasediff.progress import LONG, terminal_progress

from .archives import make_sdist

MakeApp = Any


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_rewritten_and_cleared() -> None:
    stream = _Terminal()
    items = list(range(LONG))
    assert list(terminal_progress(stream, "release-diff")(items, "comparing files")) == items
    written = stream.getvalue()
    assert written.startswith(f"\rrelease-diff: comparing files 1/{LONG:,}\x1b[K")
    assert written.endswith("\r\x1b[K")
    assert "\n" not in written


def test_piped_output_and_short_work_get_nothing() -> None:
    piped = io.StringIO()
    assert list(terminal_progress(piped, "x")(list(range(LONG)), "w")) == list(range(LONG))
    terminal = _Terminal()
    assert list(terminal_progress(terminal, "x")([1, 2, 3], "w")) == [1, 2, 3]
    assert piped.getvalue() == terminal.getvalue() == ""


def big_pair(folder: Path) -> tuple[Path, Path]:
    old = {f"pkg/m{i}.py": f"x = {i}\n" for i in range(LONG + 10)}
    new = {**old, "pkg/m7.py": "x = 'seven'\n"}
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    return make_sdist(folder / "a", "demo", "1.0", old), make_sdist(
        folder / "b", "demo", "1.1", new
    )


def test_sphinx_shows_progress_in_twenty_steps(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    for archive in big_pair(tmp_path):
        shutil.copy(archive, srcdir)
    (srcdir / "conf.py").write_text('extensions = ["sphinxext.releasediff"]\n')
    (srcdir / "index.rst").write_text(
        "Big\n===\n\n.. release-diff:: demo-1.0.tar.gz demo-1.1.tar.gz\n"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    steps = re.findall(r"releasediff: comparing files \(index\) \[\s*\d+%\] ([\d,]+)/", status)
    assert len(steps) == 20
    assert steps[-1] == f"{LONG + 10 + 1:,}"  # and PKG-INFO
