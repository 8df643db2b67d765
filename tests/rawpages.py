"""One page built twice: with the raw HTML the extension writes, and with its nodes only."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff import sphinx_nodes

MakeApp = Callable[..., SphinxTestApp]


def _page(make_app: MakeApp, srcdir: Path, builddir: Path) -> str:
    app = make_app("html", srcdir=srcdir, builddir=builddir, freshenv=True)
    app.build()
    return (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def raw_and_node_pages(
    make_app: MakeApp,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    archives: Sequence[Path],
    title: str,
) -> tuple[str, str]:
    """The page comparing ``archives`` as HTML builds write it, then as other builders do."""
    srcdir = folder / "src"
    srcdir.mkdir()
    for archive in archives:
        shutil.copy(archive, srcdir)
    old, new = (archive.name for archive in archives)
    (srcdir / "conf.py").write_text('extensions = ["sphinxext.releasediff"]\n')
    (srcdir / "index.rst").write_text(
        f"{title}\n{'=' * len(title)}\n\n.. release-diff:: {old} {new}\n"
    )
    raw = _page(make_app, srcdir, folder / "raw")
    # Every builder but HTML gets the standard nodes; here HTML gets them too.
    monkeypatch.setattr(sphinx_nodes, "HTML_BUILDERS", ())
    return raw, _page(make_app, srcdir, folder / "nodes")
