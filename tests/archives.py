"""Build release archives for tests: sdists, wheels, zips, tars, deterministic to the byte."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MTIME = 1_688_618_288  # 2023-07-06 04:38:08 UTC, as in the seed reports


@dataclass(frozen=True)
class Entry:
    """One member with everything a tar header can say."""

    data: bytes = b""
    kind: str = "file"  # file, dir, symlink, hardlink, fifo, device
    mode: int = 0o644
    target: str = ""
    mtime: int = MTIME
    uid: int = 1001
    gid: int = 123
    uname: str = "runner"
    gname: str = "docker"


Tree = Mapping[str, "bytes | str | Entry"]


def entry(value: bytes | str | Entry) -> Entry:
    if isinstance(value, Entry):
        return value
    return Entry(data=value.encode() if isinstance(value, str) else value)


def with_folders(tree: Tree, top: str | None) -> dict[str, Entry]:
    """The tree under ``top/``, with a folder entry before its contents, as setuptools writes."""
    members: dict[str, Entry] = {}
    prefix = f"{top}/" if top else ""
    if top:
        members[top] = Entry(kind="dir", mode=0o755)
    for path in sorted(tree):
        parts = path.split("/")
        for depth in range(1, len(parts)):
            folder = prefix + "/".join(parts[:depth])
            members.setdefault(folder, Entry(kind="dir", mode=0o755))
        members[prefix + path] = entry(tree[path])
    return members


def tar_bytes(members: Mapping[str, Entry]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, item in members.items():
            info = tarfile.TarInfo(name)
            info.mode, info.mtime = item.mode, item.mtime
            info.uid, info.gid, info.uname, info.gname = item.uid, item.gid, item.uname, item.gname
            info.type = {
                "file": tarfile.REGTYPE,
                "dir": tarfile.DIRTYPE,
                "symlink": tarfile.SYMTYPE,
                "hardlink": tarfile.LNKTYPE,
                "fifo": tarfile.FIFOTYPE,
                "device": tarfile.CHRTYPE,
            }[item.kind]
            info.linkname = item.target
            info.size = len(item.data) if item.kind == "file" else 0
            tar.addfile(info, io.BytesIO(item.data) if item.kind == "file" else None)
    return buffer.getvalue()


def compress(data: bytes, compression: str, original_name: str = "", mtime: int = MTIME) -> bytes:
    if compression == "gz":
        buffer = io.BytesIO()
        with gzip.GzipFile(
            filename=original_name, mode="wb", fileobj=buffer, compresslevel=9, mtime=mtime
        ) as stream:
            stream.write(data)
        return buffer.getvalue()
    if compression == "bz2":
        return bz2.compress(data)
    if compression == "xz":
        return lzma.compress(data)
    return data


def make_tar(
    path: Path, tree: Tree, top: str | None = None, compression: str = "gz", mtime: int = MTIME
) -> Path:
    raw = tar_bytes(with_folders(tree, top))
    original = path.name.removesuffix(".gz").removesuffix(".tgz")
    if path.name.endswith(".tgz"):
        original += ".tar"
    path.write_bytes(compress(raw, compression, original_name=original, mtime=mtime))
    return path


def make_zip(path: Path, tree: Tree, top: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, item in with_folders(tree, top).items():
            info = zipfile.ZipInfo(
                name + ("/" if item.kind == "dir" else ""), (2023, 7, 6, 4, 38, 8)
            )
            info.create_system = 3
            kind_bits = {"file": 0o100000, "dir": 0o040000, "symlink": 0o120000}[item.kind]
            info.external_attr = (kind_bits | item.mode) << 16
            info.compress_type = zipfile.ZIP_STORED if item.kind == "dir" else zipfile.ZIP_DEFLATED
            payload = item.target.encode() if item.kind == "symlink" else item.data
            archive.writestr(info, payload)
    return path


def pkg_info(name: str, version: str, *extra: str, body: str = "") -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", *extra]
    return "\n".join(lines) + "\n" + (f"\n{body}" if body else "")


def make_sdist(
    folder: Path,
    name: str,
    version: str,
    tree: Tree,
    fmt: str = "tar.gz",
    metadata: tuple[str, ...] = (),
) -> Path:
    """An sdist ``name-version.tar.gz`` (or .zip) with a versioned top folder and PKG-INFO."""
    top = f"{name}-{version}"
    full = {"PKG-INFO": pkg_info(name, version, *metadata), **tree}
    if fmt == "zip":
        return make_zip(folder / f"{top}.zip", full, top=top)
    return make_tar(folder / f"{top}.{fmt}", full, top=top, compression=fmt.rsplit(".", 1)[-1])


def make_wheel(
    folder: Path,
    name: str,
    version: str,
    tree: Tree,
    metadata: tuple[str, ...] = (),
    tags: tuple[str, ...] = ("py3-none-any",),
    entry_points: str = "",
) -> Path:
    """A wheel with ``name-version.dist-info/`` holding METADATA, WHEEL and RECORD."""
    dist_info = f"{name.replace('-', '_')}-{version}.dist-info"
    wheel_file = "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
    wheel_file += "".join(f"Tag: {tag}\n" for tag in tags)
    full: dict[str, bytes | str | Entry] = dict(tree)
    full[f"{dist_info}/METADATA"] = pkg_info(name, version, *metadata)
    full[f"{dist_info}/WHEEL"] = wheel_file
    if entry_points:
        full[f"{dist_info}/entry_points.txt"] = entry_points
    full[f"{dist_info}/RECORD"] = "".join(f"{path},,\n" for path in sorted(full))
    members = {path: entry(value) for path, value in full.items()}
    filename = f"{name.replace('-', '_')}-{version}-{tags[0]}.whl"
    path = folder / filename
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member_name, item in members.items():
            info = zipfile.ZipInfo(member_name, (2023, 7, 6, 4, 38, 8))
            info.create_system = 3
            info.external_attr = (0o100000 | item.mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, item.data)
    return path
