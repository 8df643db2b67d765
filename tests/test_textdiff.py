"""The unified diff engine: exact output, and every diff applies with GNU patch."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sphinxext.releasediff import textdiff
from sphinxext.releasediff.textdiff import (
    MAX_DIFF_LINES,
    MAX_LINE_BYTES,
    diff_cost_reason,
    has_long_line,
    is_binary,
    line_similarity,
    split_lines,
    unified_diff,
    without_hunk_context,
)


def diff(old: bytes, new: bytes, context: int = 3, max_lines: int = 0) -> str:
    return unified_diff(old, new, "a/f", "b/f", context=context, max_lines=max_lines).text


def test_one_changed_line_with_context() -> None:
    old = b"".join(b"line %d\n" % i for i in range(1, 11))
    new = old.replace(b"line 5\n", b"line five\n")
    assert diff(old, new) == (
        "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n"
        "-line 5\n+line five\n line 6\n line 7\n line 8\n"
    )


def test_identical_content_gives_no_diff() -> None:
    result = unified_diff(b"a\n", b"a\n", "a/f", "b/f")
    assert (result.text, result.insertions, result.deletions) == ("", 0, 0)


def test_far_apart_changes_make_two_hunks() -> None:
    old = b"".join(b"%d\n" % i for i in range(1, 21))
    new = old.replace(b"2\n", b"two\n", 1).replace(b"19\n", b"nineteen\n")
    assert diff(old, new, context=1) == (
        "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n 1\n-2\n+two\n 3\n"
        "@@ -18,3 +18,3 @@\n 18\n-19\n+nineteen\n 20\n"
    )


def test_hunk_ranges_follow_gnu_diff_for_empty_sides() -> None:
    assert diff(b"", b"a\n") == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n"
    assert diff(b"a\nb\n", b"") == "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n"
    assert diff(b"a\nb\n", b"a\nx\nb\n", context=0) == "--- a/f\n+++ b/f\n@@ -1,0 +2 @@\n+x\n"


def test_missing_final_newline_is_marked() -> None:
    assert diff(b"a\nb", b"a\nb\n") == (
        "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"
    )
    assert diff(b"a", b"b") == (
        "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n"
        "+b\n\\ No newline at end of file\n"
    )


def test_crlf_is_kept_not_normalised() -> None:
    result = unified_diff(b"a\r\nb\r\n", b"a\r\nc\r\n", "a/f", "b/f")
    assert result.text == "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n"
    changed_ending = unified_diff(b"a\nb\n", b"a\r\nb\n", "a/f", "b/f")
    assert changed_ending.text.splitlines(keepends=True)[3:] == ["-a\n", "+a\r\n", " b\n"]


def test_non_utf8_text_is_decoded_as_latin1_and_round_trips() -> None:
    old, new = "caf\xe9\n".encode("latin-1"), "caf\xe8\n".encode("latin-1")
    result = unified_diff(old, new, "a/f", "b/f")
    assert result.encoding == "latin-1"
    assert result.text.encode("latin-1").endswith(b"-caf\xe9\n+caf\xe8\n")


def test_utf8_text_stays_utf8() -> None:
    result = unified_diff("né\n".encode(), "nó\n".encode(), "a/f", "b/f")
    assert result.encoding == "utf-8"
    assert result.text.endswith("-né\n+nó\n")


def test_counts() -> None:
    result = unified_diff(b"a\nb\nc\n", b"a\nB\nc\nd\n", "a/f", "b/f")
    assert (result.insertions, result.deletions) == (2, 1)


def test_truncation_keeps_the_first_lines_and_counts_the_rest() -> None:
    old = b"".join(b"%d\n" % i for i in range(100))
    result = unified_diff(old, b"", "a/f", "b/f", max_lines=10)
    assert result.truncated
    assert result.text.count("\n") == 2 + 10  # the file headers, then ten lines
    assert result.omitted_lines == 101 - 10  # a hunk header and 100 lines
    assert (result.deletions, result.insertions) == (100, 0)
    assert not unified_diff(old, b"", "a/f", "b/f", max_lines=1000).truncated


def test_split_lines_only_splits_on_newline() -> None:
    assert split_lines(b"a\rb\nc\r\n\nd") == [b"a\rb\n", b"c\r\n", b"\n", b"d"]
    assert split_lines(b"") == []


def test_binary_by_content() -> None:
    assert is_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not is_binary("ünïcode\n".encode())
    assert not is_binary("caf\xe9\r\n\f\x1b[0m\n".encode("latin-1"))


@pytest.mark.parametrize(
    "start",
    [
        b"\x7fELF\x02\x01\x01",
        b"\xcf\xfa\xed\xfe\x07\x01",  # Mach-O 64-bit, little-endian
        b"\xca\xfe\xba\xbe",
        b"\x1f\x8b\x08",
        b"PK\x03\x04",
        b"\xff\xd8\xff\xe0",
    ],
)
def test_compiled_and_compressed_files_are_binary_before_any_nul(start: bytes) -> None:
    assert is_binary(start + b"x" * 100_000)


def test_a_nul_anywhere_is_binary_as_a_long_run_of_bytes_in_a_shared_object() -> None:
    shared_object = b"x" * 100_000 + b"\x00" + b"y" * 200_000
    assert is_binary(shared_object)
    assert not is_binary(b"x" * 100_000)


def test_windows_executable_is_binary_by_the_nul_bytes_of_its_pe_signature() -> None:
    header = b"MZ" + b"\x90" * 0x3A + (0x40).to_bytes(4, "little")
    assert is_binary(header + b"PE\x00\x00" + b"\x90" * 50)
    assert not is_binary(b"MZ is a text that starts like an executable\n" * 3)


def test_long_line_is_found_without_splitting() -> None:
    assert not has_long_line(b"x" * MAX_LINE_BYTES)
    assert has_long_line(b"x" * (MAX_LINE_BYTES + 1))
    assert not has_long_line((b"x" * (MAX_LINE_BYTES - 1) + b"\n") * 5)
    assert has_long_line(b"a\n" * 100_000 + b"x" * (MAX_LINE_BYTES + 1) + b"\nb\n")
    assert not has_long_line(b"a\n" * 100_000 + b"x" * MAX_LINE_BYTES + b"\nb\n")


def test_a_long_line_is_past_the_cost_bound() -> None:
    result = unified_diff(b"x" * 70_000, b"y" * 70_000, "a/f", "b/f")
    assert (result.text, result.insertions, result.deletions) == ("", 0, 0)
    assert result.hashed_only == "a line is longer than 65,536 bytes (minified or generated)"


def test_many_differing_lines_are_past_the_cost_bound() -> None:
    half = MAX_DIFF_LINES // 2
    old = b"same start\n" + b"a\n" * half + b"same end\n"
    within = unified_diff(old, old.replace(b"a\n", b"b\n"), "a/f", "b/f", max_lines=5)
    assert within.hashed_only is None
    assert (within.insertions, within.deletions) == (half, half)
    past = old.replace(b"a\n", b"a\na\n", 1)[:-1] + b"a\nsame end\n"
    assert diff_cost_reason(past, past.replace(b"a\n", b"b\n")) == (
        "more than 500,000 lines differ (the diff cost bound)"
    )


def test_only_the_lines_between_the_first_and_last_difference_count() -> None:
    # Three million lines, one changed: far within the bound.
    old = b"x\n" * 3_000_000
    new = old[:3_000_000] + b"y\n" + old[3_000_002:]
    assert diff_cost_reason(old, new) is None
    result = unified_diff(old, new, "a/f", "b/f")
    assert (result.insertions, result.deletions) == (1, 1)
    assert result.text.count("\n") == 2 + 1 + 3 + 2 + 3


def test_repetitive_input_gives_a_small_exact_diff() -> None:
    old = b"    pass\n" * 20_000
    new = old.replace(b"    pass\n", b"    return\n", 1)
    assert diff(old, new) == "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-    pass\n+    return\n" + (
        "     pass\n" * 3
    )


def test_hunk_headers_carry_no_function_context() -> None:
    old = b"def f():\n" + b"".join(b"    x%d = 1\n" % i for i in range(10))
    new = old.replace(b"x8 = 1", b"x8 = 2")
    assert diff(old, new).splitlines()[2] == "@@ -7,5 +7,5 @@"


def test_nul_bytes_are_diffed_as_text_when_asked() -> None:
    # The caller decides binary first; the engine never answers "Binary files differ".
    assert diff(b"a\x00\n", b"b\x00\n") == "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\x00\n+b\x00\n"


def test_similarity_is_honest_for_one_changed_line_in_forty() -> None:
    old = [b"line %d\n" % i for i in range(40)]
    new = [*old[:20], b"changed\n", *old[21:]]
    assert line_similarity(Counter(old), Counter(new)) == pytest.approx(0.975)
    assert line_similarity(Counter(old), Counter(old)) == 1.0
    assert line_similarity(Counter(old), Counter([b"other\n"])) == 0.0


# Few distinct lines, so that old and new share many and the matcher is exercised.
_LINE = st.sampled_from(
    [
        b"a",
        b"b",
        b"c",
        b"  x = 1",
        b"",
        b"caf\xe9",
        "é".encode(),
        b"\t",
        b"a\rb",  # a carriage return alone does not end a line
        b"\r",
        b"\x0c",  # form feed
        b"\\ No newline at end of file",
        b"--- a/f",
        b"@@ -1 +1 @@",
        b"w" * 5000,
        b"w" * 5000 + b"v",
    ]
)
_ENDING = st.sampled_from([b"\n", b"\n", b"\n", b"\r\n"])
_CONTENT = st.builds(
    lambda lines, endings, final: (
        b"".join(line + ending for line, ending in zip(lines, endings, strict=False))[
            : None if final else -1
        ]
        if lines
        else b""
    ),
    st.lists(_LINE, max_size=30),
    st.lists(_ENDING, min_size=30, max_size=30),
    st.booleans(),
)


def apply_patch(old: bytes, patch_text: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target, patch_file = Path(folder, "f"), Path(folder, "p.diff")
        target.write_bytes(old)
        patch_file.write_bytes(patch_text)
        subprocess.run(
            ["patch", "--batch", "--silent", "--binary", str(target), str(patch_file)],
            check=True,
            capture_output=True,
        )
        return target.read_bytes() if target.exists() else b""


@given(old=_CONTENT, new=_CONTENT, context=st.integers(min_value=0, max_value=5))
def test_every_diff_applies_with_patch_and_gives_the_new_file(
    old: bytes, new: bytes, context: int
) -> None:
    result = unified_diff(old, new, "a/f", "b/f", context=context)
    if old == new:
        assert result.text == ""
        return
    assert apply_patch(old, result.text.encode(result.encoding)) == new


_LIBGIT2_HEADER = re.compile(rb"^(@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@)[^\n]*", re.MULTILINE)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 10_000),
            st.text(alphabet=" @+-\\abc\t\x00é", max_size=12),
            st.lists(
                st.tuples(st.sampled_from([" ", "+", "-", "\\"]), st.text(max_size=8)), max_size=4
            ),
        ),
        max_size=5,
    ),
    st.booleans(),
)
def test_hunk_headers_lose_the_function_text_as_the_pattern_did(
    hunks: list[tuple[int, int, str, list[tuple[str, str]]]], final_newline: bool
) -> None:
    """The search in without_hunk_context gives what the pattern it replaced gave."""
    lines = []
    for old_start, new_start, context, body in hunks:
        lines.append(f"@@ -{old_start},3 +{new_start} @@{context}")
        lines.extend(mark + text.replace("\n", " ") for mark, text in body)
    data = "\n".join(lines).encode("utf-8", "surrogatepass") + (b"\n" if final_newline else b"")
    assert without_hunk_context(data) == _LIBGIT2_HEADER.sub(rb"\1", data)


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (b"/* a \x00 */\nint x;\n", "/* a \u2400 */\nint x;\n".encode()),
        (b"[options]\n# \x00\nx = 1\n", "[options]\n# \u2400\nx = 1\n".encode()),
        (b"\x00\x01", None),  # another control byte: binary
        (b"\x00" * 4 + b"abc", None),  # NULs more than one byte in sixteen
        (b"\x7fELF" + b"x" * 100 + b"\x00", None),  # a signature
        (b"caf\xe9 \x00" + b"x" * 64, None),  # not UTF-8
        (b"x" * 20_000 + b"\x00" * 20, b"x" * 20_000 + "\u2400".encode() * 20),
        (b"x" * 20_000 + b"\x00" * 21, None),  # over one in a thousand
    ],
)
def test_text_that_only_nuls_make_binary(data: bytes, shown: bytes | None) -> None:
    assert textdiff.text_with_nuls(data) == shown
