"""Version and keyword arguments: folders, a JSON and an HTML index on 127.0.0.1, faults, cache."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxext.releasediff import __version__
from sphinxext.releasediff.cli import main
from sphinxext.releasediff.errors import LimitError
from sphinxext.releasediff.resolve import (
    MAX_PAGE_BYTES,
    NetworkError,
    ResolveError,
    Sources,
    _index,
    resolve_pair,
)
from sphinxext.releasediff.resolve._names import filename_from_url, unsafe_name_reason
from sphinxext.releasediff.safety import visible

from .archives import make_sdist, make_wheel
from .index_server import Behaviour, serve

VERSIONS = ("0.9", "1.0", "1.1", "1.2rc1", "1.3rc2", "1.3")


@pytest.fixture
def releases(tmp_path: Path) -> Path:
    """demo 0.9 to 1.3 as sdists, and 1.1 as a platform wheel and a pure wheel."""
    folder = tmp_path / "releases"
    folder.mkdir()
    for version in VERSIONS:
        make_sdist(folder, "demo", version, {"demo/__init__.py": f"VERSION = {version!r}\n"})
    make_wheel(
        folder,
        "demo",
        "1.1",
        {"demo/__init__.py": "x = 1\n"},
        tags=("cp311-cp311-manylinux_2_17_x86_64",),
    )
    make_wheel(folder, "demo", "1.1", {"demo/__init__.py": "x = 2\n"}, tags=("py3-none-any",))
    make_sdist(folder, "other", "5.0", {})
    return folder


def names(pair: object) -> tuple[str, str]:
    return pair.old.name, pair.new.name  # type: ignore[attr-defined]


def resolve(
    old: str,
    new: str,
    sources: Sources,
    dist: str = "sdist",
    current: str | None = None,
    package: str | None = "demo",
) -> tuple[str, str]:
    return names(
        resolve_pair(
            old, new, package=package, dist=dist, sources=sources, current=current, path_of=Path
        )
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("1.0", "1.1", ("demo-1.0.tar.gz", "demo-1.1.tar.gz")),
        ("1.0.0", "1.1", ("demo-1.0.tar.gz", "demo-1.1.tar.gz")),  # PEP 440 equality
        ("previous", "1.1", ("demo-1.0.tar.gz", "demo-1.1.tar.gz")),
        ("previous", "latest", ("demo-1.1.tar.gz", "demo-1.3.tar.gz")),  # 1.2rc1 skipped
        ("previous", "1.2rc1", ("demo-1.1.tar.gz", "demo-1.2rc1.tar.gz")),
        (
            "previous",
            "1.3rc2",
            ("demo-1.2rc1.tar.gz", "demo-1.3rc2.tar.gz"),
        ),  # NEW is a pre-release
        ("previous", "1.3", ("demo-1.1.tar.gz", "demo-1.3.tar.gz")),  # 1.2rc1 and 1.3rc2 skipped
        ("0.9", "latest", ("demo-0.9.tar.gz", "demo-1.3.tar.gz")),
        ("previous", "current", ("demo-1.0.tar.gz", "demo-1.1.tar.gz")),
    ],
)
def test_versions_and_keywords_from_a_folder(
    releases: Path, old: str, new: str, expected: tuple[str, str]
) -> None:
    assert resolve(old, new, Sources(find_links=(releases,)), current="1.1") == expected


def test_latest_falls_to_the_highest_final_release(releases: Path) -> None:
    sources = Sources(find_links=(releases,))
    (releases / "demo-1.3.tar.gz").unlink()
    assert resolve("previous", "latest", sources) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")


def test_wheels_prefer_pure_python(releases: Path) -> None:
    sources = Sources(find_links=(releases,))
    assert resolve("1.1", "1.1", sources, dist="wheel") == ("demo-1.1-py3-none-any.whl",) * 2


def test_package_taken_from_a_path_argument(releases: Path) -> None:
    pair = resolve_pair(
        "previous",
        str(releases / "demo-1.1.tar.gz"),
        package=None,
        dist="sdist",
        sources=Sources(find_links=(releases,)),
        current=None,
        path_of=Path,
    )
    assert names(pair) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")
    assert pair.uses_keyword


@pytest.mark.parametrize(
    ("old", "new", "error", "message"),
    [
        (
            "1.0",
            "7.0",
            ResolveError,
            "demo 7.0: no sdist of that version in releases; nearest: 1.3rc2, 1.3",
        ),
        (
            "1.0",
            "1.2",
            ResolveError,
            "demo 1.2: no sdist of that version in releases; nearest: 1.1, 1.2rc1, 1.3rc2, 1.3",
        ),
        (
            "0.1",
            "1.0",
            ResolveError,
            "demo 0.1: no sdist of that version in releases; nearest: 0.9, 1.0",
        ),
        (
            "previous",
            "0.9",
            ResolveError,
            "demo previous: no release before 0.9 (sdist) in releases",
        ),
        ("1.0", "previous", ResolveError, "previous: only OLD can be 'previous'"),
        (
            "1.0",
            "current",
            ResolveError,
            "demo current: needs the Sphinx project's release to be set",
        ),
    ],
)
def test_unresolvable_arguments(
    releases: Path, old: str, new: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        resolve(old, new, Sources(find_links=(releases,), shown_relative_to=releases.parent))
    assert str(info.value) == message


def test_version_arguments_need_a_package(releases: Path) -> None:
    with pytest.raises(ResolveError, match="needs the package name"):
        resolve("1.0", "1.1", Sources(find_links=(releases,)), package=None)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.mark.parametrize("html", [False, True], ids=["pep691-json", "pep503-html"])
def test_index_resolves_downloads_and_caches(releases: Path, cache: Path, html: bool) -> None:
    behaviour = Behaviour(html=html, yanked={"demo-1.3.tar.gz"})
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        assert resolve("previous", "latest", sources) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")
        assert resolve("1.1", "1.3", sources)[1] == "demo-1.3.tar.gz"  # yanked, but pinned
        accept = behaviour.requests
    assert accept.count("/simple/demo/") == 2
    assert sorted(path.name for path in (cache / "demo").iterdir()) == [
        "demo-1.0.tar.gz",
        "demo-1.1.tar.gz",
        "demo-1.3.tar.gz",
    ]
    assert (cache / "demo" / "demo-1.1.tar.gz").read_bytes() == (
        releases / "demo-1.1.tar.gz"
    ).read_bytes()


def test_json_is_asked_for_first(releases: Path, cache: Path) -> None:
    with serve(releases) as server:
        request = urllib.request.Request(
            server.url + "demo/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.loads(response.read())["files"]
        resolve("1.0", "1.1", Sources(index_url=server.url, cache_dir=cache, timeout=5))


def test_cached_release_builds_with_the_server_gone(releases: Path, cache: Path) -> None:
    with serve(releases) as server:
        url = server.url
        resolve("1.0", "1.1", Sources(index_url=url, cache_dir=cache, timeout=5))
    # The server is stopped: exact versions come from the cache without the network.
    assert resolve("1.0", "1.1", Sources(index_url=url, cache_dir=cache, timeout=2)) == (
        "demo-1.0.tar.gz",
        "demo-1.1.tar.gz",
    )


def test_offline_never_touches_the_network(releases: Path, cache: Path) -> None:
    behaviour = Behaviour()
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, offline=True, timeout=5)
        with pytest.raises(ResolveError, match=r"offline: the index was not asked"):
            resolve("1.0", "1.1", sources)
    assert behaviour.requests == []


def cached_names(cache: Path) -> list[str]:
    """Every file in the cache, hidden temporary ones included."""
    return sorted(path.name for path in cache.rglob("*") if path.is_file())


def no_partial_files(cache: Path) -> bool:
    return not any(path.is_file() for path in cache.rglob("*")) if cache.exists() else True


@pytest.mark.parametrize(
    ("fault", "error", "reason"),
    [
        (Behaviour(page_status=500), NetworkError, "HTTP 500"),
        (Behaviour(file_status=404), NetworkError, "HTTP 404"),
        (Behaviour(truncate=True), NetworkError, "download ended early"),
        (
            Behaviour(wrong_hash=True),
            NetworkError,
            "sha256 of the download does not match the index",
        ),
        (Behaviour(delay=1.5), NetworkError, "timed out"),
    ],
    ids=["http-500", "http-404-file", "truncated", "hash-mismatch", "timeout"],
)
def test_faults_leave_nothing_unverified_and_the_next_try_works(
    releases: Path, cache: Path, fault: Behaviour, error: type[Exception], reason: str
) -> None:
    with serve(releases, fault) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=0.5)
        with pytest.raises(error) as info:
            resolve("1.0", "1.1", sources)
        assert str(info.value).startswith("demo 1.1: ") or str(info.value).startswith("demo 1.0: ")
        assert reason in str(info.value)
        assert no_partial_files(cache)
        # The server is fixed: the next build succeeds.
        server.behaviour = Behaviour()
        assert resolve("1.0", "1.1", Sources(index_url=server.url, cache_dir=cache, timeout=5)) == (
            "demo-1.0.tar.gz",
            "demo-1.1.tar.gz",
        )


def test_a_killed_download_is_cleaned_up_later(releases: Path, cache: Path) -> None:
    folder = cache / "demo"
    folder.mkdir(parents=True)
    stale, fresh = folder / ".part-stale", folder / ".part-fresh"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"in progress elsewhere")
    day_ago = time.time() - 24 * 3600 - 60
    os.utime(stale, (day_ago, day_ago))
    with serve(releases) as server:
        resolve("1.0", "1.0", Sources(index_url=server.url, cache_dir=cache, timeout=5))
    assert cached_names(cache) == [".part-fresh", "demo-1.0.tar.gz"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_not_running(cache: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple/"
    with pytest.raises(NetworkError) as info:
        resolve("1.0", "1.1", Sources(index_url=url, cache_dir=cache, timeout=2))
    assert str(info.value).startswith(f"demo 1.1: {url}demo/: ")
    assert "refused" in str(info.value).lower()


def test_project_unknown_to_the_index(releases: Path, cache: Path) -> None:
    with (
        serve(releases) as server,
        pytest.raises(ResolveError, match=r"nothing-here 1\.1: no sdist of that version"),
    ):
        resolve(
            "1.0",
            "1.1",
            Sources(index_url=server.url, cache_dir=cache, timeout=5),
            package="nothing-here",
        )


def test_command_line_with_an_index(
    releases: Path, cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(releases) as server:
        out = tmp_path / "out.json"
        status = main(
            [
                "previous",
                "latest",
                "--package",
                "demo",
                "--index-url",
                server.url,
                "--cache-dir",
                str(cache),
                "--format",
                "json",
                "--output",
                str(out),
            ]
        )
    assert status == 1
    data = json.loads(out.read_text())
    assert (data["old"]["version"], data["new"]["version"]) == ("1.1", "1.3")


def test_command_line_with_folders_and_pip_index_url(
    releases: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(releases) as server:
        monkeypatch.setenv("PIP_INDEX_URL", server.url)
        out = tmp_path / "out.json"
        assert (
            main(
                [
                    "1.0",
                    "1.3",
                    "--package",
                    "demo",
                    "--cache-dir",
                    str(cache),
                    "--format",
                    "json",
                    "--output",
                    str(out),
                ]
            )
            == 1
        )
        assert json.loads(out.read_text())["new"]["version"] == "1.3"
    local = tmp_path / "local"
    local.mkdir()
    (local / "demo-1.3.tar.gz").write_bytes((releases / "demo-1.3.tar.gz").read_bytes())
    assert (
        main(
            [
                "1.3",
                "1.3",
                "--package",
                "demo",
                "--find-links",
                str(local),
                "--offline",
                "--output",
                str(out),
            ]
        )
        == 0
    )


def test_command_line_failure_is_one_line(cache: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple/"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinxext.releasediff",
            "previous",
            "1.1",
            "--package",
            "demo",
            "--index-url",
            url,
            "--cache-dir",
            str(cache),
            "--timeout",
            "2",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"release-diff: demo 1.1: {url}demo/: ")
    assert result.stderr.count("\n") == 1


@pytest.fixture
def pypiserver(releases: Path) -> Iterator[str]:
    """A real package index (pypiserver), with fallback to any upstream index disabled."""
    executable = Path(sys.executable).parent / "pypi-server"
    if not executable.exists():
        pytest.fail("pypiserver is not installed; it is in the test extras")
    port = free_port()
    process = subprocess.Popen(
        [
            str(executable),
            "run",
            "-p",
            str(port),
            "-i",
            "127.0.0.1",
            "--disable-fallback",
            "--hash-algo",
            "sha256",
            str(releases),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/simple/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("pypiserver did not start")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_pypiserver(pypiserver: str, cache: Path) -> None:
    sources = Sources(index_url=pypiserver, cache_dir=cache, timeout=10)
    assert resolve("previous", "latest", sources) == ("demo-1.1.tar.gz", "demo-1.3.tar.gz")
    assert resolve("1.1", "1.1", sources, dist="wheel") == ("demo-1.1-py3-none-any.whl",) * 2
    assert resolve("previous", "1.3rc2", sources)[0] == "demo-1.2rc1.tar.gz"


# Messages name no absolute path of the build machine -------------------------


def test_a_missing_kind_is_named(releases: Path) -> None:
    with pytest.raises(ResolveError) as info:
        resolve("1.0", "1.1", Sources(find_links=(releases,)), dist="wheel")
    assert str(info.value).endswith("nearest: 1.1 (there is a sdist of 1.0)")


def test_paths_are_shown_relative_to_the_configured_folder(releases: Path) -> None:
    sources = Sources(find_links=(releases,), shown_relative_to=releases.parent)
    pair = resolve_pair(
        "previous",
        str(releases / "demo-1.1.tar.gz"),
        package=None,
        dist="sdist",
        sources=sources,
        current=None,
        path_of=Path,
    )
    assert (pair.old_display, pair.new_display) == (
        "releases/demo-1.0.tar.gz",
        str(releases / "demo-1.1.tar.gz"),  # a path argument, as it was given
    )
    outside = Sources(find_links=(releases,), shown_relative_to=releases / "elsewhere")
    with pytest.raises(ResolveError) as info:
        resolve("1.0", "8.0", outside)
    assert str(info.value).startswith("demo 8.0: no sdist of that version in releases;")
    assert str(releases.parent) not in str(info.value)


def test_relative_folders_are_shown_as_given(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(releases.parent)
    pair = resolve_pair(
        "1.0",
        "latest",
        package="demo",
        dist="sdist",
        sources=Sources(find_links=(Path("releases"),)),
        current=None,
        path_of=Path,
    )
    assert (pair.old_display, pair.new_display) == (
        "releases/demo-1.0.tar.gz",
        "releases/demo-1.3.tar.gz",
    )
    assert pair.warnings == ()


# File names from an index -----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "demo-1.0.tar.gz",
        "demo-1.0.zip",
        "Demo_Tools-1.0.tar.gz",
        "demo-1!2.0-py3-none-any.whl",
        "demo-1.0+local.7-py3-none-any.whl",
        "demo-1.0-1-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    ],
)
def test_safe_names(name: str) -> None:
    assert unsafe_name_reason(name) is None


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("", "empty name"),
        ("demo-1.0-py3-none-any/../../x.whl", "a path separator"),
        ("../demo-1.0.tar.gz", "a path separator"),
        ("demo-1.0.tar.gz/", "a path separator"),
        ("..\\demo-1.0.tar.gz", "a path separator"),
        ("demo-1.0-py3-none-any\\x.whl", "a path separator"),
        ("..", "'..'"),
        ("demo-1.0..tar.gz", "'..'"),
        (".demo-1.0.tar.gz", "a leading dot"),
        ("demo-1.0.tar.gz\x00.whl", "control, format or bidirectional characters"),
        ("demo-1.0\x1b[2J.tar.gz", "control, format or bidirectional characters"),
        ("demo-1.0\u202egz.rat.tar.gz", "control, format or bidirectional characters"),
        ("demo-1.0\u200b.tar.gz", "control, format or bidirectional characters"),
        ("demo-1.0%2F..%2Fx.tar.gz", "'..'"),
        ("demo-1.0%2Fx.tar.gz", "'%' left after percent-decoding once"),
        ("demo%2D1.0.tar.gz", "'%' left after percent-decoding once"),
        ("C:demo-1.0.tar.gz", "characters other than letters, digits and . _ + ! -"),
        ("demo-1.0\uff0fx.tar.gz", "characters other than letters, digits and . _ + ! -"),
        ("demo-1.0\u2025x.tar.gz", "characters other than letters, digits and . _ + ! -"),
        ("demo 1.0.tar.gz", "characters other than letters, digits and . _ + ! -"),
        ("d" * 250 + "-1.0.tar.gz", "longer than 255 bytes"),
    ],
)
def test_unsafe_names(name: str, reason: str) -> None:
    assert unsafe_name_reason(name) == reason


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://host/files/demo-1.0.tar.gz", "demo-1.0.tar.gz"),
        ("/files/demo-1.0.tar.gz?x=1#sha256=00", "demo-1.0.tar.gz"),
        ("/files/demo-1.0-py3-none-any%2F..%2F..%2Fx.whl", "demo-1.0-py3-none-any/../../x.whl"),
        ("/files/%2E%2E", ".."),
        ("/files/demo%252F..%252Fx.tar.gz", "demo%2F..%2Fx.tar.gz"),  # decoded once only
        ("/files/demo-1.0.tar.gz%00", "demo-1.0.tar.gz\x00"),
    ],
)
def test_names_from_urls_are_decoded_once(url: str, name: str) -> None:
    assert filename_from_url(url) == name
    if name != "demo-1.0.tar.gz":
        assert unsafe_name_reason(name) is not None


HOSTILE_ENTRIES = {
    # packaging 24.2 parses this as demo 9.9, a pure wheel.
    "demo-9.9-py3-none-any/../../escape.whl": "/files/demo-9.9-py3-none-any%2F..%2F..%2Fescape.whl",
    "demo-9.8.tar.gz/../../../escape.tar.gz": "/files/demo-9.8.tar.gz%2F..%2F..%2F..%2Fescape.tar.gz",
    "demo%2D9.7.tar.gz": "/files/demo%252D9.7.tar.gz",  # double-encoded
    ".demo-9.6.tar.gz": "/files/.demo-9.6.tar.gz",
    "demo-9.5\u202e.tar.gz": "/files/demo-9.5%E2%80%AE.tar.gz",
}


@pytest.mark.parametrize("html", [False, True], ids=["pep691-json", "pep503-html"])
@pytest.mark.parametrize("dist", ["sdist", "wheel"])
def test_unsafe_names_on_an_index_never_reach_the_cache(
    releases: Path, cache: Path, tmp_path: Path, html: bool, dist: str
) -> None:
    behaviour = Behaviour(html=html, extra=dict(HOSTILE_ENTRIES))
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        pair = resolve_pair(
            "previous" if dist == "sdist" else "1.1",  # there is one wheel release
            "latest",
            package="demo",
            dist=dist,
            sources=sources,
            current=None,
            path_of=Path,
        )
    expected = (
        ("demo-1.1.tar.gz", "demo-1.3.tar.gz")
        if dist == "sdist"
        else ("demo-1.1-py3-none-any.whl",) * 2
    )
    assert names(pair) == expected
    assert not any(
        "/files/demo-9" in request or "/files/.demo" in request for request in behaviour.requests
    )
    assert sorted(path.name for path in tmp_path.rglob("*escape*")) == []
    assert sorted(path.relative_to(cache).as_posix() for path in cache.rglob("*")) == [
        "demo",
        *(f"demo/{name}" for name in sorted(set(expected))),
    ]
    (warning,) = pair.warnings
    assert warning.startswith(f"demo: {server.url}demo/: left out 5 files with unsafe names: ")
    assert "demo-9.9-py3-none-any/../../escape.whl (a path separator)" in warning
    assert "; and 2 more" in warning
    assert "\u202e" not in warning


def test_shown_unsafe_names_are_visible(releases: Path, cache: Path) -> None:
    behaviour = Behaviour(extra={"demo-9.5\u202e\x1b[2J.tar.gz": "/files/x"})
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        pair = resolve_pair(
            "1.0",
            "latest",
            package="demo",
            dist="sdist",
            sources=sources,
            current=None,
            path_of=Path,
        )
    assert pair.warnings == (
        f"demo: {server.url}demo/: left out 1 file with unsafe names: "
        "demo-9.5<U+202E>\\x1b[2J.tar.gz (control, format or bidirectional characters)",
    )


# Only http and https -----------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "scheme"),
    [
        # Each ends in the file's name: a PEP 503 page names a file by its URL.
        ("file:///etc/demo-1.3.tar.gz", "'file:'"),
        ("ftp://127.0.0.1/demo-1.3.tar.gz", "'ftp:'"),
        ("data:application/gzip,/demo-1.3.tar.gz", "'data:'"),
        ("javascript:alert(1)//demo-1.3.tar.gz", "'javascript:'"),
    ],
)
@pytest.mark.parametrize("html", [False, True], ids=["pep691-json", "pep503-html"])
def test_links_that_are_not_http_are_refused(
    releases: Path, cache: Path, link: str, scheme: str, html: bool
) -> None:
    behaviour = Behaviour(html=html, urls={"demo-1.3.tar.gz": link})
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        with pytest.raises(NetworkError) as info:
            resolve("1.0", "1.3", sources)
    assert str(info.value) == (
        f"demo 1.3: {link}: only http and https URLs are followed, not {scheme}"
    )
    assert cached_names(cache) == ["demo-1.0.tar.gz"]


@pytest.mark.parametrize(
    ("target", "scheme"),
    [("file:///etc/passwd", "'file:'"), ("ftp://127.0.0.1/x.tar.gz", "'ftp:'")],
)
@pytest.mark.parametrize("what", ["page", "file"])
def test_redirects_that_are_not_http_are_refused(
    releases: Path, cache: Path, target: str, scheme: str, what: str
) -> None:
    path = "/simple/demo/" if what == "page" else "/files/demo-1.3.tar.gz"
    with serve(releases, Behaviour(redirects={path: target})) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        with pytest.raises(NetworkError) as info:
            resolve("1.0", "1.3", sources)
    assert str(info.value) == (
        f"demo 1.3: {target}: only http and https URLs are followed, not {scheme}"
    )
    assert cached_names(cache) == ([] if what == "page" else ["demo-1.0.tar.gz"])


def test_http_redirects_are_followed(releases: Path, cache: Path) -> None:
    behaviour = Behaviour(
        urls={"demo-1.3.tar.gz": "/old/demo-1.3.tar.gz"},
        redirects={
            "/old/demo-1.3.tar.gz": "/files/demo-1.3.tar.gz",
            "/mirror/demo/": "/simple/demo/",
        },
    )
    with serve(releases, behaviour) as server:
        sources = Sources(index_url=server.root + "/mirror/", cache_dir=cache, timeout=5)
        assert resolve("1.0", "1.3", sources) == ("demo-1.0.tar.gz", "demo-1.3.tar.gz")
    assert "/old/demo-1.3.tar.gz" in behaviour.requests
    assert (cache / "demo" / "demo-1.3.tar.gz").read_bytes() == (
        releases / "demo-1.3.tar.gz"
    ).read_bytes()


def test_an_index_url_without_a_scheme_is_refused(cache: Path) -> None:
    with pytest.raises(NetworkError) as info:
        resolve("previous", "latest", Sources(index_url="127.0.0.1/simple/", cache_dir=cache))
    assert str(info.value) == (
        "demo latest: 127.0.0.1/simple/demo/: not a URL (no http:// or https://)"
    )


def test_the_user_agent_is_sent(releases: Path, cache: Path) -> None:
    behaviour = Behaviour()
    with serve(releases, behaviour) as server:
        resolve("1.0", "1.0", Sources(index_url=server.url, cache_dir=cache, timeout=5))
        resolve(
            "1.1",
            "1.1",
            Sources(index_url=server.url, cache_dir=cache, timeout=5, user_agent="docs-bot/2"),
        )
    assert behaviour.agents == [f"sphinxext-releasediff/{__version__}"] * 2 + ["docs-bot/2"] * 2


def test_a_redirect_loop_ends(releases: Path, cache: Path) -> None:
    with serve(releases, Behaviour(redirects={"/simple/demo/": "/simple/demo/"})) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        with pytest.raises(NetworkError, match=r"demo/: more than 10 redirects$"):
            resolve("previous", "latest", sources)


# Deadlines and size caps -------------------------------------------------------


@pytest.mark.parametrize("what", ["page", "file"])
def test_a_trickling_server_is_stopped_at_the_deadline(
    releases: Path, cache: Path, what: str
) -> None:
    # A byte every 0.2 s never trips a per-read timeout of 1 s; the deadline must.
    fault = Behaviour(trickle_page=0.2) if what == "page" else Behaviour(trickle=0.2)
    with serve(releases, fault) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=1)
        with pytest.raises(NetworkError) as info:
            resolve("1.0", "1.1", sources)
    assert str(info.value).endswith(": timed out after 1 s")
    assert no_partial_files(cache)


def test_a_listing_over_its_cap_is_refused_from_its_length(releases: Path, cache: Path) -> None:
    fault = Behaviour(huge_page=MAX_PAGE_BYTES + 1)
    with serve(releases, fault) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=10)
        with pytest.raises(LimitError) as info:
            resolve("previous", "latest", sources)
    assert str(info.value) == (
        f"demo latest: {server.url}demo/: 67,108,865 bytes, over the cap of 67,108,864"
    )


def test_a_listing_over_its_cap_is_stopped_while_it_streams(
    releases: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_index, "MAX_PAGE_BYTES", 100_000)
    fault = Behaviour(huge_page=1_000_000, huge_page_declared=False)
    with serve(releases, fault) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=10)
        with pytest.raises(LimitError) as info:
            resolve("previous", "latest", sources)
    assert str(info.value) == f"demo latest: {server.url}demo/: more than the cap of 100,000 bytes"


def test_a_download_over_its_cap_leaves_nothing(releases: Path, cache: Path) -> None:
    with serve(releases) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5, max_download_bytes=100)
        with pytest.raises(LimitError) as info:
            resolve("1.0", "1.1", sources)
        size = (releases / "demo-1.0.tar.gz").stat().st_size
        assert str(info.value) == (
            f"demo 1.0: {server.root}/files/demo-1.0.tar.gz: {size:,} bytes, over the cap of 100"
        )
        assert no_partial_files(cache)


def test_a_dropped_connection_leaves_nothing(releases: Path, cache: Path) -> None:
    with serve(releases, Behaviour(drop=True)) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        with pytest.raises(NetworkError) as info:
            resolve("1.0", "1.1", sources)
    reason = str(info.value).removeprefix(f"demo 1.0: {server.root}/files/demo-1.0.tar.gz: ")
    assert reason.startswith(("connection lost (", "download ended early ("))
    assert no_partial_files(cache)


def test_an_error_from_the_index_is_shown_visibly(releases: Path, cache: Path) -> None:
    fault = Behaviour(page_status=403, reason="Forbidden\x1b[2J\x9b31m")
    with serve(releases, fault) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        with pytest.raises(NetworkError) as info:
            resolve("previous", "latest", sources)
    assert str(info.value) == f"demo latest: {server.url}demo/: HTTP 403 Forbidden\\x1b[2J\\x9b31m"


@pytest.mark.parametrize("hidden", ["\u202e", "\x07"])
def test_an_index_url_with_hidden_characters_is_shown_visibly(
    releases: Path, cache: Path, hidden: str
) -> None:
    with serve(releases) as server:
        url = f"{server.root}/simple{hidden}/"
        with pytest.raises(NetworkError) as info:
            resolve("previous", "latest", Sources(index_url=url, cache_dir=cache, timeout=2))
    shown = visible(hidden)
    assert str(info.value).startswith(
        f"demo latest: {server.root}/simple{shown}/demo/: not a valid URL"
    )
    assert hidden not in str(info.value)


def test_an_unreachable_url_with_hidden_characters_is_shown_visibly(cache: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple\u202e/\x07"
    with pytest.raises(NetworkError) as info:
        resolve("previous", "latest", Sources(index_url=url, cache_dir=cache, timeout=2))
    message = str(info.value)
    assert message.startswith("demo latest: http://127.0.0.1:")
    assert message.endswith("/simple<U+202E>/\\x07/demo/: connection refused")
    assert "\u202e" not in message
    assert "\x07" not in message


def test_requests_go_through_a_proxy_from_the_environment(
    releases: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    behaviour = Behaviour()
    with serve(releases, behaviour) as server:
        monkeypatch.setenv("http_proxy", server.root)
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        sources = Sources(index_url="http://index.invalid/simple/", cache_dir=cache, timeout=5)
        assert resolve("1.0", "1.1", sources) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")
    assert behaviour.requests == [
        "http://index.invalid/simple/demo/",
        "http://index.invalid/files/demo-1.0.tar.gz",
        "http://index.invalid/files/demo-1.1.tar.gz",
    ]


# Across builds: an unreachable index -------------------------------------------


def fill_cache(releases: Path, cache: Path, *versions: str) -> None:
    with serve(releases) as server:
        sources = Sources(index_url=server.url, cache_dir=cache, timeout=5)
        for version in versions:
            resolve(version, version, sources)


UNREACHABLE = {
    "refused": ("connection refused",),
    "dns": ("host not found",),
    "timeout": ("timed out after 1 s",),
    "http-503": ("HTTP 503 Service Unavailable",),
}


@contextlib.contextmanager
def unreachable_index(releases: Path, how: str) -> Iterator[str]:
    if how == "refused":
        yield f"http://127.0.0.1:{free_port()}/simple/"
    elif how == "dns":
        yield "http://index.invalid/simple/"
    else:
        fault = Behaviour(delay=2) if how == "timeout" else Behaviour(page_status=503)
        with serve(releases, fault) as server:
            yield server.url


@pytest.mark.parametrize("how", list(UNREACHABLE))
def test_keywords_fall_back_to_the_cache_and_folders_when_the_index_is_unreachable(
    releases: Path, cache: Path, tmp_path: Path, how: str
) -> None:
    fill_cache(releases, cache, "1.0", "1.1")
    folder = tmp_path / "local"
    folder.mkdir()
    shutil.copy(releases / "demo-0.9.tar.gz", folder)
    with unreachable_index(releases, how) as url:
        sources = Sources(
            find_links=(folder,),
            index_url=url,
            cache_dir=cache,
            timeout=1,
            fallback_when_unreachable=True,
            shown_relative_to=tmp_path,
        )
        pair = resolve_pair(
            "previous",
            "latest",
            package="demo",
            dist="sdist",
            sources=sources,
            current=None,
            path_of=Path,
        )
    assert names(pair) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")
    (reason,) = UNREACHABLE[how]
    shown = tuple(re.sub(r"host not found \([^)]*\)", "host not found", w) for w in pair.warnings)
    assert shown == (
        f"demo latest: {url}demo/: {reason}; chose 1.1 from local, the download cache instead "
        "(the index may have a newer one)",
        f"demo previous: {url}demo/: {reason}; chose 1.0 from local, the download cache instead "
        "(the index may have a newer one)",
    )
    assert str(tmp_path) not in "".join(pair.warnings)


def test_without_the_fallback_an_unreachable_index_is_an_error(releases: Path, cache: Path) -> None:
    fill_cache(releases, cache, "1.0", "1.1")
    url = f"http://127.0.0.1:{free_port()}/simple/"
    with pytest.raises(NetworkError, match=r"^demo latest: .*: connection refused$"):
        resolve("previous", "latest", Sources(index_url=url, cache_dir=cache, timeout=1))


def test_the_fallback_is_deterministic_and_asks_the_index_once(releases: Path, cache: Path) -> None:
    fill_cache(releases, cache, "1.0", "1.1", "1.3rc2")
    with serve(releases, Behaviour(page_status=500)) as server:
        sources = Sources(
            index_url=server.url, cache_dir=cache, timeout=5, fallback_when_unreachable=True
        )
        first = resolve_pair(
            "previous",
            "latest",
            package="demo",
            dist="sdist",
            sources=sources,
            current=None,
            path_of=Path,
        )
        second = resolve_pair(
            "previous",
            "latest",
            package="demo",
            dist="sdist",
            sources=sources,
            current=None,
            path_of=Path,
        )
        assert server.behaviour.requests == ["/simple/demo/", "/simple/demo/"]
    assert first == second
    assert names(first) == ("demo-1.0.tar.gz", "demo-1.1.tar.gz")  # 1.3rc2 is a pre-release


def test_the_fallback_needs_a_release_on_disk(releases: Path, cache: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/simple/"
    sources = Sources(index_url=url, cache_dir=cache, timeout=1, fallback_when_unreachable=True)
    with pytest.raises(NetworkError, match=r"^demo latest: .*demo/: connection refused$"):
        resolve("previous", "latest", sources)
    # A pinned version not on disk cannot be chosen from it either.
    fill_cache(releases, cache, "1.0")
    with pytest.raises(NetworkError, match=r"^demo 1\.1: .*demo/: connection refused$"):
        resolve("1.0", "1.1", sources)


def test_a_client_error_is_not_a_reason_to_fall_back(releases: Path, cache: Path) -> None:
    fill_cache(releases, cache, "1.0", "1.1")
    with serve(releases, Behaviour(page_status=401)) as server:
        sources = Sources(
            index_url=server.url, cache_dir=cache, timeout=5, fallback_when_unreachable=True
        )
        with pytest.raises(NetworkError, match=r"HTTP 401 Unauthorized$"):
            resolve("previous", "latest", sources)
