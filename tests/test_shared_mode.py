"""A mode change the whole release makes is said once in Diffs, not under each diff."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.model import Comparison
from sphinxext.releasediff.render.html import render_html_sections
from sphinxext.releasediff.render.json import json_bytes
from sphinxext.releasediff.render.markdown import render_markdown
from sphinxext.releasediff.render.patch import render_patch
from sphinxext.releasediff.render.rst import render_rst
from sphinxext.releasediff.render.text import render_text
from sphinxext.releasediff.report import build_report, shared_mode_change
from sphinxext.releasediff.settings import Settings

from .archives import Entry, Tree, make_sdist

Files = dict[str, bytes | str | Entry]

SHOW = Settings(show=("files", "diffs"))
NOTE = "Mode 664 → 644, the release's change for 28 files, is not repeated under the 3 diffs below that share it."


def _pair(tmp_path: Path, old: Tree, new: Tree) -> Comparison:
    paths: list[Path] = []
    for side, (version, tree) in enumerate((("1.0", old), ("1.1", new))):
        (tmp_path / str(side)).mkdir()
        paths.append(make_sdist(tmp_path / str(side), "demo", version, tree))
    return compare(*read_pair(paths[0], paths[1]))


def _release_wide(tmp_path: Path) -> Comparison:
    """25 files 664 -> 644 in mode only, 3 edited ones too, one made executable, one 600."""
    old: Files = {f"data/d{n:02}.txt": Entry(b"same\n", mode=0o664) for n in range(25)}
    new: Files = {f"data/d{n:02}.txt": Entry(b"same\n", mode=0o644) for n in range(25)}
    for n in range(3):
        old[f"pkg/m{n}.py"] = Entry(b"x = 1\n", mode=0o664)
        new[f"pkg/m{n}.py"] = Entry(b"x = 2\n", mode=0o644)
    old["run.sh"] = Entry(b"echo a\n", mode=0o644)
    new["run.sh"] = Entry(b"echo b\n", mode=0o755)
    old["secret.cfg"] = Entry(b"k = 1\n", mode=0o644)
    new["secret.cfg"] = Entry(b"k = 2\n", mode=0o600)
    return _pair(tmp_path, old, new)


def test_the_release_s_mode_change_is_said_once_in_every_format(tmp_path: Path) -> None:
    comparison = _release_wide(tmp_path)
    report = build_report(comparison, SHOW)
    text = render_text(report)
    assert f"\n  {NOTE}\n" in text
    assert "mode 664 → 644" not in text.split(NOTE)[1]
    blocks = re.findall(r"^==== (\S+) \(modified\)\n((?:  .*\n)*)", text, re.MULTILINE)
    notes = {path: body.strip() for path, body in blocks}
    assert notes["run.sh"] == "mode 644 → 755"
    assert notes["secret.cfg"] == "mode 644 → 600"
    assert notes["pkg/m0.py"] == ""
    named = "; ".join(f"data/d{n:02}.txt" for n in range(10))
    assert f"25 files changed mode only: 664 → 644 (25: {named}; and 15 more)." in text
    html = render_html_sections(report.sections)
    for rendered in (render_markdown(report), render_rst(report), html):
        assert NOTE in rendered
        assert rendered.count("mode 644 → 755") == 1
        assert rendered.count("mode 644 → 600") == 1
        assert "mode 664 → 644" not in rendered


def test_json_and_the_patch_keep_every_file_s_modes(tmp_path: Path) -> None:
    comparison = _release_wide(tmp_path)
    data = json.loads(json_bytes(build_report(comparison, SHOW)))
    modes = {f["new_path"]: (f["old_mode"], f["new_mode"]) for f in data["files"]}
    assert modes["pkg/m1.py"] == (0o664, 0o644)
    assert modes["data/d07.txt"] == (0o664, 0o644)
    patch = render_patch(comparison).decode()
    assert "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n" in patch


@pytest.mark.parametrize(
    ("changes", "shared"),
    [
        ({(0o664, 0o644): 25}, (0o664, 0o644)),
        ({(0o664, 0o644): 19}, None),  # too few files to be the release's
        ({(0o664, 0o644): 27, (0o644, 0o600): 3}, (0o664, 0o644)),  # 90%
        ({(0o664, 0o644): 26, (0o644, 0o600): 4}, None),  # 87%
        ({(0o644, 0o755): 40}, None),  # made executable: each file says so
        ({(0o664, 0o644): 12, (0o644, 0o600): 12}, None),
    ],
)
def test_which_mode_change_is_the_release_s(
    tmp_path: Path, changes: dict[tuple[int, int], int], shared: tuple[int, int] | None
) -> None:
    old: Files = {}
    new: Files = {}
    for group, ((before, after), count) in enumerate(changes.items()):
        for n in range(count):
            old[f"g{group}/f{n}.txt"] = Entry(b"a\n", mode=before)
            new[f"g{group}/f{n}.txt"] = Entry(b"b\n", mode=after)
    found = shared_mode_change(_pair(tmp_path, old, new).files)
    assert (found.modes if found else None) == shared
    if found is not None:
        assert found.files == max(changes.values())
