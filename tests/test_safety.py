"""Text made safe to show, and the labels for unsafe members."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from sphinxext.releasediff.model import Member, MemberKind
from sphinxext.releasediff.safety import archive_problems, has_bidi, visible


@pytest.mark.parametrize(
    ("text", "keep", "shown"),
    [
        ("plain text", "", "plain text"),
        ("\x1b[2Jclear", "", "\\x1b[2Jclear"),
        ("line\r\n", "\n", "line\u240d\n"),
        ("tab\tkept", "\t", "tab\tkept"),
        ("tab\tescaped", "", "tab\\x09escaped"),
        ("admin\u202e \u2066# check\u2069", "", "admin<U+202E> <U+2066># check<U+2069>"),
        ("zero\u200bwidth", "", "zero<U+200B>width"),
        ("nul\x00", "", "nul\\x00"),
        ("c1\x9b", "", "c1\\x9b"),
        ("ünïcödé ✓", "", "ünïcödé ✓"),
    ],
)
def test_visible(text: str, keep: str, shown: str) -> None:
    assert visible(text, keep) == shown


def test_every_hidden_character_is_made_visible() -> None:
    hidden = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp")
    ]
    assert all(visible(char) != char for char in hidden)


def test_has_bidi() -> None:
    assert has_bidi("x\u2067y")
    assert not has_bidi("plain")


def member(name: str, kind: MemberKind = MemberKind.FILE, linkname: str = "") -> Member:
    return Member(name, name.split("/", 1)[-1], kind, 0o644, 0, 0, "", "", 0, 0.0, linkname, "")


def test_problems_are_capped_with_a_count() -> None:
    members = [member(f"top/../x{i}") for i in range(30)]
    problems = archive_problems(members)
    assert len(problems) == 21
    assert problems[-1] == "… and 10 more"


def test_relative_symlink_inside_is_fine() -> None:
    members = [
        member("top/a/b"),
        member("top/a/link", MemberKind.SYMLINK, "b"),
        member("top/up", MemberKind.SYMLINK, "a/../a/b"),
    ]
    assert archive_problems(members) == ()
