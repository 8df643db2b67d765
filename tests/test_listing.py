"""The member listing diff: old and new line of a member side by side, a diff patch applies."""

from __future__ import annotations

import subprocess
from pathlib import Path
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxext.releasediff.archive import read_pair
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.listing import listing_diff, listing_line
from sphinxext.releasediff.model import Comparison, Member, MemberKind

from .archives import Entry, make_sdist

MTIME = 1_688_618_288


def test_a_mode_change_shows_at_its_path_when_every_mtime_changed(tmp_path: Path) -> None:
    names = [f"pkg/mod_{number}.py" for number in range(6)]
    old_tree = {name: Entry(b"x = 1\n", mtime=MTIME) for name in names}
    new_tree = {name: Entry(b"x = 1\n", mtime=MTIME + 86_400) for name in names}
    new_tree["pkg/mod_3.py"] = Entry(b"x = 1\n", mode=0o755, mtime=MTIME + 86_400)
    for side in ("o", "n"):
        (tmp_path / side).mkdir()
    old = make_sdist(tmp_path / "o", "demo", "1.0", old_tree)
    new = make_sdist(tmp_path / "n", "demo", "1.1", new_tree)
    lines = listing_diff(compare(*read_pair(old, new))).splitlines()
    at = lines.index("--rw-r--r-- runner/docker          6 2023-07-06 04:38:08 pkg/mod_3.py")
    assert lines[at + 1] == "+-rwxr-xr-x runner/docker          6 2023-07-07 04:38:08 pkg/mod_3.py"
    marks = [line[0] for line in lines[2:] if not line.startswith("@@")]
    assert "".join(marks).count("-+") >= len(names)  # each member's old line, then its new


_PATHS = st.sampled_from(["a", "b", "b/c", "d.txt", "e", "f/g.py", "z"])
_MEMBER = st.tuples(_PATHS, st.sampled_from([0o644, 0o755]), st.integers(0, 3))


def _member(path: str, mode: int, size: int) -> Member:
    return Member(
        f"top/{path}", path, MemberKind.FILE, mode, 0, 0, "u", "g", size, 0.0, "", "0" * 64
    )


def _comparison(old: list[Member], new: list[Member], context: int) -> Comparison:
    return Comparison(
        old=SimpleNamespace(filename="demo-1.0.tar.gz"),  # type: ignore[arg-type]
        new=SimpleNamespace(filename="demo-1.1.tar.gz"),  # type: ignore[arg-type]
        files=(),
        identical=0,
        moved=(),
        metadata=(),
        old_members=tuple(old),
        new_members=tuple(new),
        context=context,
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_MEMBER, max_size=8), st.lists(_MEMBER, max_size=8), st.integers(0, 3))
def test_the_listing_diff_turns_the_old_listing_into_the_new(
    tmp_path: Path, old: list[tuple[str, int, int]], new: list[tuple[str, int, int]], context: int
) -> None:
    old_members = sorted((_member(*item) for item in old), key=lambda m: (m.path, m.name))
    new_members = sorted((_member(*item) for item in new), key=lambda m: (m.path, m.name))
    comparison = _comparison(old_members, new_members, context)
    before = "".join(listing_line(member) + "\n" for member in old_members)
    after = "".join(listing_line(member) + "\n" for member in new_members)
    diff = listing_diff(comparison)
    assert (diff == "") == (before == after)
    if not diff:
        return
    listing = tmp_path / "listing"
    listing.write_text(before, encoding="utf-8")
    applied = subprocess.run(
        ["patch", "-s", "-o", "-", str(listing)],
        input=diff.encode(),
        capture_output=True,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr.decode()
    assert applied.stdout.decode() == after
