"""An index over HTTPS: a real TLS server on 127.0.0.1 with a certificate from a test CA."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.cli import main
from sphinxext.releasediff.resolve import NetworkError, Sources

from .index_server import IndexServer, serve
from .test_resolve import releases, resolve
from .test_sphinx import parse_warnings, warnings
from .test_sphinx_versions import versions_project
from .tls import OPENSSL, Certificates, make_certificates

__all__ = ["releases"]  # the fixture, used by name

pytestmark = pytest.mark.skipif(OPENSSL is None, reason="openssl makes the test certificates")


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_index(releases: Path, certificates: Certificates) -> Iterator[IndexServer]:
    with serve(releases, tls=certificates.server_context()) as server:
        yield server


def sources(server: IndexServer, cache: Path, **tls: object) -> Sources:
    return Sources(index_url=server.url, cache_dir=cache, timeout=5, **tls)  # type: ignore[arg-type]


@pytest.mark.parametrize("keyed", ["file", "host", "host:port"])
def test_verified_with_the_ca_given(
    https_index: IndexServer, certificates: Certificates, tmp_path: Path, keyed: str
) -> None:
    ca = str(certificates.ca)
    cacerts = {
        "file": ca,
        "host": {"127.0.0.1": ca, "example.org": str(certificates.other_ca)},
        # As Sphinx's own tls_cacerts is keyed: the URL's host and port.
        "host:port": {f"127.0.0.1:{https_index.server_address[1]}": ca},
    }[keyed]
    cache = tmp_path / "cache"
    pair = resolve("previous", "latest", sources(https_index, cache, tls_cacerts=cacerts))
    assert pair == ("demo-1.1.tar.gz", "demo-1.3.tar.gz")
    assert sorted(path.name for path in (cache / "demo").iterdir()) == [
        "demo-1.1.tar.gz",
        "demo-1.3.tar.gz",
    ]
    assert https_index.url.startswith("https://127.0.0.1:")


def test_a_folder_of_cas_is_read_as_one(
    https_index: IndexServer, certificates: Certificates, tmp_path: Path
) -> None:
    folder = tmp_path / "cas"
    folder.mkdir()
    # OpenSSL finds a CA in a folder by the hash of its subject.
    subject_hash = _subject_hash(certificates.ca)
    (folder / f"{subject_hash}.0").write_bytes(certificates.ca.read_bytes())
    tls = {"tls_cacerts": str(folder)}
    assert resolve("1.0", "1.1", sources(https_index, tmp_path / "cache", **tls)) == (
        "demo-1.0.tar.gz",
        "demo-1.1.tar.gz",
    )


def _subject_hash(certificate: Path) -> str:
    assert OPENSSL is not None
    done = subprocess.run(
        [OPENSSL, "x509", "-hash", "-noout", "-in", str(certificate)],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("cacerts", ["none", "other CA", "other host"])
def test_refused_without_the_ca(
    https_index: IndexServer, certificates: Certificates, tmp_path: Path, cacerts: str
) -> None:
    tls_cacerts = {
        "none": None,
        "other CA": str(certificates.other_ca),
        "other host": {"localhost": str(certificates.ca)},
    }[cacerts]
    cache = tmp_path / "cache"
    with pytest.raises(NetworkError) as info:
        resolve("1.0", "1.1", sources(https_index, cache, tls_cacerts=tls_cacerts))
    assert str(info.value) == (
        f"demo 1.1: {https_index.url}demo/: TLS certificate not verified"
        " (unable to get local issuer certificate)"
    )
    assert not cache.exists() or not list(cache.rglob("*.tar.gz"))


def test_tls_verify_off_accepts_any_certificate(https_index: IndexServer, tmp_path: Path) -> None:
    tls = {"tls_verify": False, "tls_cacerts": str(tmp_path / "not-read.pem")}
    assert resolve("1.0", "1.1", sources(https_index, tmp_path / "cache", **tls)) == (
        "demo-1.0.tar.gz",
        "demo-1.1.tar.gz",
    )


@pytest.mark.parametrize("problem", ["missing", "not PEM"])
def test_ca_certificates_that_cannot_be_read_are_one_line(
    https_index: IndexServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if problem == "not PEM":
        Path("ca.pem").write_text("not a certificate\n")
        reason = "no certificate or crl found"
    else:
        reason = "No such file or directory"
    tls = {"tls_cacerts": str(tmp_path / "ca.pem")}
    with pytest.raises(NetworkError) as info:
        resolve("1.0", "1.1", sources(https_index, tmp_path / "cache", **tls))
    assert str(info.value) == (
        f"demo 1.1: {https_index.url}demo/: cannot use the TLS CA certificates ca.pem ({reason})"
    )


def test_command_line_refuses_an_unverified_index_in_one_line(
    https_index: IndexServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["previous", "latest", "--package", "demo", "--index-url", https_index.url]
    status = main([*arguments, "--cache-dir", str(tmp_path / "cache"), "--timeout", "5"])
    assert status == 2
    error = capsys.readouterr().err
    assert error == (
        f"release-diff: demo latest: {https_index.url}demo/: TLS certificate not verified"
        " (unable to get local issuer certificate)\n"
    )


def test_command_line_uses_the_ca_openssl_is_told_of(
    https_index: IndexServer,
    certificates: Certificates,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    arguments = ["1.0", "1.1", "--package", "demo", "--index-url", https_index.url]
    output = tmp_path / "out.txt"
    status = main([*arguments, "--cache-dir", str(tmp_path / "cache"), "--output", str(output)])
    assert status == 1  # they differ
    assert "demo 1.0 → 1.1" in output.read_text().splitlines()[0]


def test_sphinx_tls_cacerts_and_tls_verify_apply(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, certificates: Certificates
) -> None:
    srcdir = versions_project(tmp_path, with_folder=False)
    with serve(tmp_path / "index-files", tls=certificates.server_context()) as server:
        for tls, expected in (
            ({"tls_cacerts": {"127.0.0.1": str(certificates.ca)}}, set()),
            ({}, {"releasediff.network"}),
            ({"tls_verify": False}, set()),
        ):
            overrides = {"releasediff_find_links": [], "releasediff_index_url": server.url, **tls}
            app = make_app("text", srcdir=srcdir, freshenv=True, confoverrides=overrides)
            app.build()
            found = parse_warnings(warnings(app))
            assert {kind for _loc, _msg, kind in found} == expected, tls
            assert all("TLS certificate not verified" in msg for _loc, msg, _kind in found)
            shutil.rmtree(Path(app.doctreedir) / "releasediff-cache", ignore_errors=True)
