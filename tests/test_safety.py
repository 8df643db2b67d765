"""Text made safe to show, and the labels for unsafe members."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinxext.releasediff import safety
from sphinxext.releasediff.model import Member, MemberKind
from sphinxext.releasediff.safety import (
    BIDI_CONTROLS,
    archive_problems,
    canonical_path,
    has_bidi,
    visible,
)


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


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("setup.py", "setup.py"),
        ("./setup.py", "setup.py"),
        ("././a//b/", "a/b"),
        ("a/./b/.", "a/b"),
        ("/etc/passwd", "etc/passwd"),
        ("//a", "a"),
        ("a/../b", "b"),
        ("a/../../b", "../b"),
        ("..", ".."),
        (".", ""),
        ("./", ""),
        ("/", ""),
        ("a\\b", "a\\b"),
    ],
)
def test_canonical_path(name: str, path: str) -> None:
    assert canonical_path(name) == path


def stored(name: str, kind: MemberKind = MemberKind.FILE, linkname: str = "") -> Member:
    """A member of an archive without a top folder: its path is its canonical name."""
    return Member(name, canonical_path(name), kind, 0o644, 0, 0, "", "", 0, 0.0, linkname, "")


LINK, HARD, DIR = MemberKind.SYMLINK, MemberKind.HARDLINK, MemberKind.DIR


@pytest.mark.parametrize(
    ("members", "problems"),
    [
        (
            [stored("a", LINK, "."), stored("a/b", LINK, "..")],
            [
                "symlink points outside the archive: a/b -> ..",
                "member written through a symlink, landing on b: a/b",
            ],
        ),
        (
            [stored("q", LINK, "."), stored("p", LINK, "q/..")],
            ["symlink points outside the archive: p -> q/.."],
        ),
        # judged against every link, whichever comes first
        ([stored("p", LINK, "q/.."), stored("q", LINK, "sub/deeper")], []),
        (
            [stored("p", LINK, "q/.."), stored("q", LINK, ".")],
            ["symlink points outside the archive: p -> q/.."],
        ),
        ([stored("x", LINK, "x")], ["symlink loop: x -> x"]),
        (
            [stored("a", LINK, "b/c"), stored("b", LINK, "a")],
            ["symlink loop: a -> b/c", "symlink loop: b -> a"],
        ),
        (
            [stored("s", LINK, "/etc/shadow")],
            ["symlink points outside the archive: s -> /etc/shadow"],
        ),
        ([stored("d/s", LINK, "../../x")], ["symlink points outside the archive: d/s -> ../../x"]),
        ([stored("d/s", LINK, "../x")], []),
    ],
)
def test_links_are_judged_where_they_resolve(members: list[Member], problems: list[str]) -> None:
    assert list(archive_problems(members)) == problems


def test_members_written_through_earlier_links() -> None:
    members = [
        stored("setup.py"),
        stored("d", LINK, "."),
        stored("d/setup.py"),
        stored("up", LINK, ".."),
        stored("up/x.pth"),
        stored("alias", LINK, "setup.py"),
        stored("alias"),
        stored("d/new-link", LINK, "setup.py"),
        stored("loop", LINK, "loop"),
        stored("loop/x"),
    ]
    assert [p for p in archive_problems(members) if p.startswith("member")] == [
        "member written through a symlink, landing on setup.py: d/setup.py",
        "member written outside the archive through a symlink: up/x.pth",
        "member written through a symlink, landing on setup.py: alias",
        "member written through a symlink, landing on new-link: d/new-link",
        "member written through a symlink loop: loop/x",
    ]


def test_a_link_after_the_member_does_not_redirect_it() -> None:
    assert archive_problems([stored("d/a"), stored("e", LINK, "d")]) == ()


def test_hardlinks_link_to_earlier_members_by_canonical_name() -> None:
    members = [
        stored("a"),
        stored("h1", HARD, "./a"),
        stored("h2", HARD, "b"),
        stored("h3", HARD, "nowhere"),
        stored("b"),
    ]
    assert archive_problems(members) == (
        "hardlink to a member stored after it (extraction fails): h2 -> b",
        "hardlink to a member not in the archive: h3 -> nowhere",
    )


def test_duplicates_are_found_after_normalisation() -> None:
    members = [
        stored("a/b"),
        stored("./a//b"),
        stored("a/./b/."),
        stored("a", DIR),
        stored("a/", DIR),
    ]
    assert archive_problems(members) == (
        "duplicate member (3 times; the last one is compared, as an installer would keep it): "
        "a/b (stored as 'a/b', './a//b', 'a/./b/.'; kept: #3 'a/./b/.')",
    )


def test_a_file_and_a_folder_at_one_path() -> None:
    members = [stored("a"), stored("a/", DIR), stored("f"), stored("f/inner")]
    assert archive_problems(members) == (
        "both a file and a folder (an installer fails on it): a",
        "both a file and a folder (an installer fails on it): f",
    )


def test_names_that_differ_only_by_case_are_noted_not_merged() -> None:
    members = [
        stored("README"),
        stored("readme"),
        stored("Readme"),
        stored("src/A.py"),
        stored("src/a.py"),
    ]
    assert archive_problems(members) == (
        "names that differ only by case or Unicode normalisation (one file on macOS or "
        "Windows): README, Readme, readme",
        "names that differ only by case or Unicode normalisation (one file on macOS or "
        "Windows): src/A.py, src/a.py",
    )


def test_names_windows_takes_for_one_for_their_trailing_dots_and_spaces() -> None:
    """pip on Windows writes ``__init__.py.`` over ``__init__.py``."""
    members = [stored("demo/__init__.py"), stored("demo/__init__.py."), stored("demo /x.py")]
    members.append(stored("demo/x.py"))
    assert archive_problems(members) == (
        "names that differ only by trailing dots or spaces (one file on Windows, which "
        "drops them): demo/__init__.py, demo/__init__.py.",
        "names that differ only by trailing dots or spaces (one file on Windows, which "
        "drops them): demo /x.py, demo/x.py",
    )


def test_a_file_named_as_the_root() -> None:
    assert archive_problems([stored("./"), stored(".", DIR)]) == (
        "a file named as the archive's root, which no installer can write: ./",
    )


def test_reader_notes_come_after_name_problems() -> None:
    problems = archive_problems([stored("../x")], ["a note from the reader"])
    assert problems == ("unsafe member name ('..'): ../x", "a note from the reader")


def test_lone_surrogates_are_made_visible() -> None:
    assert visible("a\udcffb") == "a<U+DCFF>b"


def test_names_that_differ_only_by_unicode_normalisation() -> None:
    nfc, nfd = "caf\u00e9.py", "cafe\u0301.py"
    assert archive_problems([stored(nfc), stored(nfd)]) == (
        "names that differ only by case or Unicode normalisation (one file on macOS or "
        f"Windows): {nfd}, {nfc}",
    )


def test_links_that_expand_into_each_other_stop_at_a_budget() -> None:
    """Each link walks 2,000 components to reach the next: the checks stop, and say so."""
    links = [stored(f"l{i}", LINK, "./" * 2000 + f"l{i + 1}") for i in range(1000)]
    problems = archive_problems([*links, stored("l0/x")])
    assert problems[0].startswith("symlink loop: l0 -> ././")
    assert problems[0].endswith("… (4,002 characters)")
    assert problems[-1] == "… and 981 more"  # 1,000 links and l0/x


def test_link_resolution_stops_when_the_archives_budget_is_spent() -> None:
    from sphinxext.releasediff.safety import _resolve, _Steps

    budget = _Steps()
    budget.left = 3
    assert _resolve("a/b/c", {}, budget) == ("inside", "a/b/c")
    assert _resolve("a", {}, budget) == ("unjudged", "")


def test_long_names_are_cut_short_in_problems() -> None:
    (problem,) = archive_problems([stored("../" + "x" * 5000)])
    assert problem == "unsafe member name ('..'): ../" + "x" * 197 + "… (5,003 characters)"


@pytest.mark.parametrize("control", sorted(BIDI_CONTROLS))
def test_has_bidi_finds_every_control_in_any_text(control: str) -> None:
    assert has_bidi(f"Привет {control} мир")
    assert has_bidi(control)
    assert not has_bidi("Привет мир, こんにちは \u200d")  # a joiner is no bidi control


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)), st.sampled_from(["", "\n\t", "\n"]))
def test_visible_on_ascii_text_is_the_full_pattern_s_result(text: str, keep: str) -> None:
    full = safety._hidden(keep).sub(lambda match: safety._visible_char(match.group(), keep), text)
    assert visible(text, keep) == full
