"""Pack the example source trees in ``docs/examples/NAME-VERSION/`` into release archives.

Runs when the docs build starts: each tree becomes an sdist
(``_archives/NAME-VERSION.tar.gz``) and a wheel
(``_archives/NAME-VERSION-py3-none-any.whl``), byte for byte the same on
every build, and rewritten only when their bytes change, so Sphinx re-reads
the gallery only when an example really changed.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

MTIME = 1_700_000_000  # a fixed time, so that archives are reproducible
ZIP_TIME = (2023, 11, 14, 22, 13, 20)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", build_examples)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def build_examples(app: Sphinx, config: Config) -> None:
    source = Path(app.srcdir)
    output = source / "_archives"
    output.mkdir(exist_ok=True)
    for tree in sorted((source / "examples").iterdir()):
        name, version = tree.name.rsplit("-", 1)
        files = _files(tree, version)
        _write_if_changed(output / f"{name}-{version}.tar.gz", _sdist(name, version, files))
        wheel = output / f"{name}-{version}-py3-none-any.whl"
        _write_if_changed(wheel, _wheel(name, version, files))


def _files(tree: Path, version: str) -> dict[str, bytes]:
    files = {
        path.relative_to(tree).as_posix(): path.read_bytes()
        for path in sorted(tree.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }
    # A binary file that changes between releases, made here rather than committed.
    files["src/skyline/data/palette.bin"] = _palette(version)
    return files


def _palette(version: str) -> bytes:
    seed = hashlib.sha256(f"palette {version}".encode())
    colours = b"".join(hashlib.sha256(seed.digest() + bytes([i])).digest()[:3] for i in range(64))
    return b"PAL\x00\x01" + colours


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _sdist(name: str, version: str, files: dict[str, bytes]) -> bytes:
    top = f"{name}-{version}"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folders = sorted(
            {"/".join(p.split("/")[:i]) for p in files for i in range(1, p.count("/") + 1)}
        )
        for folder in ["", *folders]:
            info = tarfile.TarInfo(f"{top}/{folder}".rstrip("/"))
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, MTIME
            tar.addfile(info)
        for path, data in sorted(files.items()):
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size, info.mode, info.mtime = len(data), 0o644, MTIME
            tar.addfile(info, io.BytesIO(data))
    compressed = io.BytesIO()
    with gzip.GzipFile(f"{top}.tar", "wb", 9, compressed, mtime=MTIME) as stream:
        stream.write(raw.getvalue())
    return compressed.getvalue()


def _wheel(name: str, version: str, files: dict[str, bytes]) -> bytes:
    dist_info = f"{name}-{version}.dist-info"
    members = {
        path.removeprefix("src/"): data for path, data in files.items() if path.startswith("src/")
    }
    members[f"{dist_info}/METADATA"] = files["PKG-INFO"]
    members[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: example_releases\n"
        b"Root-Is-Purelib: true\nTag: py3-none-any\n"
    )
    scripts = tomllib.loads(files["pyproject.toml"].decode())["project"].get("scripts", {})
    if scripts:
        lines = "".join(f"{key} = {value}\n" for key, value in sorted(scripts.items()))
        members[f"{dist_info}/entry_points.txt"] = f"[console_scripts]\n{lines}".encode()
    record = "".join(
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},{len(data)}\n"
        for path, data in sorted(members.items())
    )
    members[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, ZIP_TIME)
            info.create_system, info.external_attr = 3, (0o100644 << 16)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
