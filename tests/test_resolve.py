"""Version and keyword arguments: folders, a JSON and an HTML index on 127.0.0.1, faults, cache."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sphinxext.releasediff.cli import main
from sphinxext.releasediff.resolve import (
    NetworkError,
    ResolveError,
    Sources,
    resolve_pair,
)

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
        ("1.0", "7.0", ResolveError, "demo 7.0: no sdist of that version in {releases}"),
        (
            "previous",
            "0.9",
            ResolveError,
            "demo previous: no release before 0.9 (sdist) in {releases}",
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
        resolve(old, new, Sources(find_links=(releases,)))
    assert str(info.value) == message.format(releases=releases)


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
