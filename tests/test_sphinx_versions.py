"""The directive with version and keyword arguments, from folders and an index."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sphinx.testing.util import SphinxTestApp

from .archives import make_sdist
from .index_server import Behaviour, serve
from .test_resolve import VERSIONS
from .test_sphinx import parse_warnings, warnings

ROOTS = Path(__file__).parent / "roots"
MakeApp = Callable[..., SphinxTestApp]


def versions_project(tmp_path: Path, with_folder: bool = True) -> Path:
    srcdir = tmp_path / "versions"
    shutil.copytree(ROOTS / "test-versions", srcdir)
    folder = srcdir / "releases" if with_folder else tmp_path / "index-files"
    folder.mkdir()
    for version in VERSIONS:
        make_sdist(folder, "demo", version, {"demo/__init__.py": f"VERSION = {version!r}\n"})
    return srcdir


def text(app: SphinxTestApp, page: str) -> str:
    return (Path(app.outdir) / f"{page}.txt").read_text(encoding="utf-8")


def test_keywords_and_versions_from_find_links(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = versions_project(tmp_path)
    app = make_app("text", srcdir=srcdir, warningiserror=True)
    app.build()
    assert "[releasediff." not in warnings(app)
    assert "**demo 1.0 → 1.1 (sdist)**" in text(app, "index")  # previous current, release = 1.1
    assert "**demo 0.9 → 1.3 (sdist)**" in text(app, "pinned")
    assert "index" in app.env.reread_always  # a keyword's answer can change
    assert "pinned" not in app.env.reread_always


def test_index_download_then_cache_with_the_server_gone(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = versions_project(tmp_path, with_folder=False)
    with serve(tmp_path / "index-files") as server:
        overrides = {"releasediff_find_links": [], "releasediff_index_url": server.url}
        app = make_app("text", srcdir=srcdir, confoverrides=overrides)
        app.build()
        assert "[releasediff." not in warnings(app)
        url = server.url
    assert "**demo 0.9 → 1.3 (sdist)**" in text(app, "pinned")
    cached = sorted(
        path.name for path in (Path(app.doctreedir) / "releasediff-cache" / "demo").iterdir()
    )
    assert cached == ["demo-0.9.tar.gz", "demo-1.0.tar.gz", "demo-1.1.tar.gz", "demo-1.3.tar.gz"]
    # Server gone, fresh environment: the pinned page builds from the cache; the keyword
    # page falls back to the releases on disk and says so.
    again = make_app(
        "text",
        srcdir=srcdir,
        freshenv=True,
        confoverrides={
            "releasediff_find_links": [],
            "releasediff_index_url": url,
            "releasediff_timeout": 2,
        },
    )
    again.build()
    found = parse_warnings(warnings(again))
    assert [(loc.rsplit(":", 1)[-1], kind) for loc, _msg, kind in found] == [
        ("8", "releasediff.network")
    ]
    assert found[0][0].endswith("index.rst:8")
    # NEW (current = 1.1) is in the cache; OLD (previous) needs the index's list.
    assert found[0][1].startswith(f"demo previous: {url}demo/: ")
    assert "**demo 0.9 → 1.3 (sdist)**" in text(again, "pinned")
    assert "chose 1.0 from the download cache instead" in found[0][1]
    assert "**demo 1.0 → 1.1 (sdist)**" in text(again, "index")


def test_network_faults_are_warnings_and_the_build_goes_on(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = versions_project(tmp_path, with_folder=False)
    with serve(tmp_path / "index-files", Behaviour(wrong_hash=True)) as server:
        overrides = {"releasediff_find_links": [], "releasediff_index_url": server.url}
        app = make_app("text", srcdir=srcdir, confoverrides=overrides)
        app.build()
    found = parse_warnings(warnings(app))
    assert {kind for _loc, _msg, kind in found} == {"releasediff.network"}
    assert any(
        "sha256 of the download does not match the index" in msg for _loc, msg, _kind in found
    )
    assert all(msg.startswith("demo ") for _loc, msg, _kind in found)
    assert not list((Path(app.doctreedir) / "releasediff-cache").rglob("*.tar.gz"))
    assert "Pinned" in text(app, "pinned")


def test_offline_uses_only_folders_and_cache(make_app: MakeApp, tmp_path: Path) -> None:
    srcdir = versions_project(tmp_path, with_folder=False)
    behaviour = Behaviour()
    with serve(tmp_path / "index-files", behaviour) as server:
        overrides = {
            "releasediff_find_links": [],
            "releasediff_index_url": server.url,
            "releasediff_offline": True,
        }
        app = make_app("text", srcdir=srcdir, confoverrides=overrides)
        app.build()
    assert behaviour.requests == []
    assert {kind for _loc, _msg, kind in parse_warnings(warnings(app))} == {"releasediff.resolve"}


def test_an_unknown_version_is_looked_for_again_without_build_paths(
    make_app: MakeApp, tmp_path: Path
) -> None:
    srcdir = versions_project(tmp_path)
    (srcdir / "pinned.rst").write_text("Pinned\n======\n\n.. release-diff:: 0.9 7.0\n")
    app = make_app("text", srcdir=srcdir)
    app.build()
    shown = warnings(app)
    assert "demo 7.0" in shown
    assert "[releasediff.resolve]" in shown
    assert "pinned" in app.env.reread_always  # publishing 7.0 fixes the page without -E
    page = text(app, "pinned")
    assert "Release diff not available" in page
    assert str(tmp_path) not in page
    message = shown.split("WARNING: ", 1)[1]  # after Sphinx's own location
    assert str(tmp_path) not in message
    assert "no sdist of that version in releases, the download cache" in message
    make_sdist(srcdir / "releases", "demo", "7.0", {"demo/__init__.py": "VERSION = '7.0'\n"})
    again = make_app("text", srcdir=srcdir)
    again.build()
    assert "**demo 0.9 → 7.0 (sdist)**" in text(again, "pinned")


def test_an_unreachable_index_falls_back_to_folders_with_a_network_warning(
    make_app: MakeApp, tmp_path: Path
) -> None:
    from .test_resolve import free_port

    srcdir = versions_project(tmp_path)
    url = f"http://127.0.0.1:{free_port()}/simple/"
    app = make_app("text", srcdir=srcdir, confoverrides={"releasediff_index_url": url})
    app.build()
    shown = warnings(app)
    assert "**demo 1.0 → 1.1 (sdist)**" in text(app, "index")  # previous current, from disk
    assert "connection refused; chose 1.0 from releases" in shown
    assert "[releasediff.network]" in shown
    assert str(tmp_path) not in shown.split("WARNING: ", 1)[1]
