"""A wheel's RECORD compared as a set of rows."""

from __future__ import annotations

import zipfile
from pathlib import Path

from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.compare import compare, pairing_key
from sphinxext.releasediff.model import RecordRow
from sphinxext.releasediff.record import compare_record


def wheel(folder: Path, version: str, record: str, files: dict[str, str]) -> Path:
    folder.mkdir()
    path = folder / f"demo-{version}-py3-none-any.whl"
    dist_info = f"demo-{version}.dist-info"
    members = {
        **files,
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: demo\nVersion: {version}\n",
        f"{dist_info}/RECORD": record,
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, (2023, 7, 6, 4, 38, 8))
            info.external_attr = 0o100644 << 16
            archive.writestr(info, text)
    return path


def test_reordered_record_shows_only_rows_that_changed(tmp_path: Path) -> None:
    old_record = (
        "demo/__init__.py,sha256=AAA,10\n"
        "demo/core.py,sha256=BBB,20\n"
        "demo/gone.py,sha256=CCC,30\n"
        "demo-1.0.dist-info/METADATA,sha256=MMM,50\n"
        "demo-1.0.dist-info/RECORD,,\n"
    )
    new_record = (
        "demo-1.1.dist-info/RECORD,,\r\n"
        "demo-1.1.dist-info/METADATA,sha256=NNN,50\r\n"
        "demo/new.py,sha256=DDD,40\r\n"
        "demo/core.py,sha256=BBB,20\r\n"
        '"demo/__init__.py",sha256=AAA,10\r\n'
    )
    old = read_archive(wheel(tmp_path / "o", "1.0", old_record, {"demo/core.py": "x"}))
    new = read_archive(wheel(tmp_path / "n", "1.1", new_record, {"demo/core.py": "x"}))
    [record] = [c for c in compare(old, new).files if c.path.endswith("RECORD")]
    assert record.record == (
        RecordRow(
            "changed",
            "demo-1.1.dist-info/METADATA",
            "sha256=MMM",
            "sha256=NNN",
            "demo-1.0.dist-info/METADATA",
        ),
        RecordRow("removed", "demo/gone.py", "sha256=CCC", None, "demo/gone.py"),
        RecordRow("added", "demo/new.py", None, "sha256=DDD"),
    )
    # The unified diff is still there for the patch.
    assert record.diff is not None


def test_only_the_order_changed_gives_no_rows() -> None:
    old = b"a.py,sha256=1,1\nb.py,sha256=2,2\n"
    new = b"b.py,sha256=2,2\na.py,sha256=1,1\n"
    assert compare_record(old, new) == ()


def test_size_alone_and_blank_lines_are_no_change() -> None:
    old = b"a.py,sha256=1,1\n\n"
    new = b"a.py,sha256=1,\n"
    assert compare_record(old, new) == ()


def test_paths_map_with_the_pairing_key() -> None:
    def old_key(path: str) -> str:
        return pairing_key(path, "x-1.0")

    def new_key(path: str) -> str:
        return pairing_key(path, "x-2.0")

    old = b"x-1.0.data/scripts/tool,sha256=1,1\n"
    new = b"x-2.0.data/scripts/tool,sha256=1,1\n"
    assert compare_record(old, new, old_key, new_key) == ()
    # Another project's folder of that shape is not the wheel's own.
    other = b"y-2.0.data/scripts/tool,sha256=1,1\n"
    assert len(compare_record(old, other, old_key, new_key)) == 2
    assert compare_record(old, new) == (
        RecordRow(
            "removed", "x-1.0.data/scripts/tool", "sha256=1", None, "x-1.0.data/scripts/tool"
        ),
        RecordRow("added", "x-2.0.data/scripts/tool", None, "sha256=1"),
    )


def test_other_files_carry_no_rows(tmp_path: Path) -> None:
    old = read_archive(wheel(tmp_path / "o", "1.0", "a,,\n", {"demo/RECORD": "1\n"}))
    new = read_archive(wheel(tmp_path / "n", "1.1", "b,,\n", {"demo/RECORD": "2\n"}))
    rows = {c.path: c.record for c in compare(old, new).files}
    assert rows["demo/RECORD"] is None
    assert rows["demo-1.1.dist-info/RECORD"] == (
        RecordRow("removed", "a", "", None, "a"),
        RecordRow("added", "b", None, ""),
    )
