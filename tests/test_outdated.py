"""Pages are read again when their archives change, whatever the files' times say."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.sphinx_outdated import Fingerprint, fingerprint, note_archive

from .archives import make_sdist
from .test_sphinx import project

MakeApp = Callable[..., SphinxTestApp]
LONG_AGO = 946_684_800  # 2000-01-01: older than any build


def _build(make_app: MakeApp, srcdir: Path, **kwargs: object) -> tuple[SphinxTestApp, list[str]]:
    """Build again; the pages Sphinx read."""
    app = make_app("html", srcdir=srcdir, **kwargs)
    read: list[str] = []
    app.connect("env-before-read-docs", lambda _app, _env, docnames: read.extend(sorted(docnames)))
    app.build()
    return app, read


def _replace_with_older(target: Path, folder: Path, body: str) -> None:
    """Put another archive where ``target`` was, dated long before the last build."""
    folder.mkdir()
    made = make_sdist(folder, "demo", "1.1", {"pkg/core.py": body})
    shutil.copy(made, target)
    os.utime(target, (LONG_AGO, LONG_AGO))


def _page(app: SphinxTestApp, name: str) -> str:
    return (Path(app.outdir) / f"{name}.html").read_text(encoding="utf-8")


def test_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "a.tar.gz"
    path.write_bytes(b"abc")
    found = fingerprint(path)
    assert isinstance(found, Fingerprint)
    assert found.size == 3
    assert found.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert found.inode == path.stat().st_ino
    assert fingerprint(tmp_path / "missing.tar.gz") is None


def test_replaced_archive_with_an_older_mtime_is_noticed(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "incremental")
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    _build(make_app, srcdir)
    _replace_with_older(srcdir / "archives" / "demo-1.1.tar.gz", tmp_path / "v2", "SENTINEL = 1\n")
    app, read = _build(make_app, srcdir)
    assert read == ["uses_old", "uses_other"]
    assert "SENTINEL" in _page(app, "uses_old")
    assert "SENTINEL" in _page(app, "uses_other")
    # Nothing changed since: nothing is read, and the record is up to date.
    assert _build(make_app, srcdir)[1] == []


def test_same_bytes_with_other_times_are_not_read_again(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "incremental")
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    _build(make_app, srcdir)
    archive = srcdir / "archives" / "demo-1.0.tar.gz"
    copy = tmp_path / "copy.tar.gz"
    shutil.copy(archive, copy)
    os.replace(copy, archive)  # a new inode and ctime, the same bytes
    os.utime(archive, (LONG_AGO, LONG_AGO))
    assert _build(make_app, srcdir)[1] == []


def test_rewritten_in_place_with_the_old_mtime_is_noticed(
    make_app: MakeApp, tmp_path: Path
) -> None:
    """Same size, same inode, mtime set back: only the ctime and the hash tell."""
    srcdir = project(tmp_path, "incremental")
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    _build(make_app, srcdir)
    archive = srcdir / "archives" / "other-1.0.tar.gz"
    before = archive.stat()
    replacement = (srcdir / "archives" / "demo-1.1.tar.gz").read_bytes()
    data = replacement[: before.st_size].ljust(before.st_size, b"\0")
    with archive.open("r+b") as stream:
        stream.write(data)
    os.utime(archive, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert archive.stat().st_ino == before.st_ino
    assert archive.stat().st_size == before.st_size
    assert _build(make_app, srcdir)[1] == ["uses_other"]


def test_page_whose_archive_is_missing_is_read_again(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "incremental")
    # other-1.0.tar.gz does not exist yet: uses_other shows a notice.
    app, read = _build(make_app, srcdir)
    assert "Release diff not available" in _page(app, "uses_other")
    assert _build(make_app, srcdir)[1] == ["uses_other"]
    assert _build(make_app, srcdir)[1] == ["uses_other"]
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    os.utime(srcdir / "archives" / "other-1.0.tar.gz", (LONG_AGO, LONG_AGO))
    app, read = _build(make_app, srcdir)
    assert read == ["uses_other"]
    assert "Release diff not available" not in _page(app, "uses_other")
    assert _build(make_app, srcdir)[1] == []


def test_removed_page_is_forgotten(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "incremental")
    shutil.copy(srcdir / "archives" / "demo-1.0.tar.gz", srcdir / "archives" / "other-1.0.tar.gz")
    app, _ = _build(make_app, srcdir)
    archives = srcdir / "archives"
    assert app.env.releasediff_archives == {  # type: ignore[attr-defined]
        "uses_old": {
            str(archives / "demo-1.0.tar.gz"): fingerprint(archives / "demo-1.0.tar.gz"),
            str(archives / "demo-1.1.tar.gz"): fingerprint(archives / "demo-1.1.tar.gz"),
        },
        "uses_other": {
            str(archives / "other-1.0.tar.gz"): fingerprint(archives / "other-1.0.tar.gz"),
            str(archives / "demo-1.1.tar.gz"): fingerprint(archives / "demo-1.1.tar.gz"),
        },
    }
    (srcdir / "uses_other.rst").unlink()
    (srcdir / "index.rst").write_text(
        (srcdir / "index.rst").read_text(encoding="utf-8").replace("   uses_other\n", ""),
        encoding="utf-8",
    )
    app, _ = _build(make_app, srcdir)
    assert sorted(app.env.releasediff_archives) == ["uses_old"]  # type: ignore[attr-defined]


def test_parallel_read_merges_the_records(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = project(tmp_path, "parallel")
    app, read = _build(make_app, srcdir, parallel=2)
    assert app.parallel == 2
    pages = sorted(name for name in read if name.startswith("page"))
    assert len(pages) == 8
    assert sorted(app.env.releasediff_archives) == pages  # type: ignore[attr-defined]
    _replace_with_older(srcdir / "archives" / "demo-1.1.tar.gz", tmp_path / "v2", "SENTINEL = 1\n")
    app, read = _build(make_app, srcdir, parallel=2)
    assert read == pages


def test_note_archive_hashes_once_per_page(tmp_path: Path) -> None:
    env = SimpleNamespace(found_docs={"page"})
    archive = tmp_path / "a.tar.gz"
    archive.write_bytes(b"one")
    note_archive(env, "page", archive)  # type: ignore[arg-type]
    first = env.releasediff_archives["page"][str(archive)]
    note_archive(env, "page", archive)  # type: ignore[arg-type]
    assert env.releasediff_archives["page"][str(archive)] is first
