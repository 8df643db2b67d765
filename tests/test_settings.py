"""Every option, valid and invalid, from the command and from Sphinx: one wording."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from sphinxext.releasediff.cli import main
from sphinxext.releasediff.settings import (
    CLI,
    CONFIG,
    DIRECTIVE,
    OPTIONS,
    OptionError,
    Settings,
    config_value,
    parse_option,
)

from .test_cli import make_pair

MakeApp = Any

VALID: list[tuple[str, str, object]] = [
    ("package", "demo", "demo"),
    ("package", "  Demo-Pkg ", "Demo-Pkg"),
    ("dist", "wheel", "wheel"),
    ("dist", "sdist", "sdist"),
    ("context", "0", 0),
    ("context", " 12 ", 12),
    ("include", "src/*, *.py", ("src/*", "*.py")),
    ("include", "", ()),
    ("exclude", "PKG-INFO", ("PKG-INFO",)),
    ("show", "files, summary", ("summary", "files")),
    ("show", "listing,diffs,diffs", ("diffs", "listing")),
    ("fail_on", "pth, binary", ("pth", "binary")),
    ("fail_on", "all", ("all",)),
    ("fail_on", "", ()),
    ("max_diff_lines", "0", 0),
    ("max_total_diff_lines", "500", 500),
    ("collapse", "", True),
    ("collapse", "no", False),
    ("collapse", "Yes", True),
    ("rename_threshold", "0.75", 0.75),
    ("rename_threshold", "1", 1.0),
    ("find_links", "dist", ("dist",)),
    ("index_url", "http://127.0.0.1:1/simple/", "http://127.0.0.1:1/simple/"),
    ("cache_dir", "cache", "cache"),
    ("offline", "true", True),
    ("timeout", "2.5", 2.5),
    ("max_members", "10", 10),
    ("max_bytes", "1048576", 1048576),
    ("max_file_bytes", "0", 0),
]

INVALID: list[tuple[str, str, str]] = [
    ("package", " ", "is empty"),
    ("dist", "egg", "'egg' is not 'sdist' or 'wheel'"),
    ("context", "three", "'three' is not a whole number of 0 or more"),
    ("context", "-1", "'-1' is not a whole number of 0 or more"),
    ("context", "2.5", "'2.5' is not a whole number of 0 or more"),
    (
        "show",
        "files, everything",
        "'everything' is not among summary, notable, api, artifacts, metadata, files, diffs, "
        "listing",
    ),
    (
        "show",
        "",
        "names nothing: give one or more of summary, notable, api, artifacts, metadata, files, diffs, listing",
    ),
    (
        "fail_on",
        "pth, spam",
        "'spam' is not among pth, entry-point, build, binary, dependency, python, license, "
        "exec, all",
    ),
    ("max_diff_lines", "many", "'many' is not a whole number of 0 or more"),
    ("max_total_diff_lines", "-5", "'-5' is not a whole number of 0 or more"),
    ("collapse", "maybe", "'maybe' is not true or false"),
    ("rename_threshold", "2", "'2' is not between 0 and 1"),
    ("rename_threshold", "half", "'half' is not a number"),
    ("timeout", "0", "'0' is not more than 0"),
    ("timeout", "nan", "'nan' is not more than 0"),
    ("offline", "sometimes", "'sometimes' is not true or false"),
    ("max_members", "1e6", "'1e6' is not a whole number of 0 or more"),
]


def test_every_option_is_in_the_tables() -> None:
    names = {option.name for option in OPTIONS}
    assert {name for name, *_ in VALID} == names
    assert {name for name, *_ in INVALID} <= names


@pytest.mark.parametrize(("name", "text", "value"), VALID)
def test_valid_values(name: str, text: str, value: object) -> None:
    assert parse_option(name, text) == value


@pytest.mark.parametrize(("name", "text", "reason"), INVALID)
def test_invalid_values(name: str, text: str, reason: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_option(name, text)
    assert caught.value.reason == reason


# Flags (offline) take no value on the command line.
CLI_INVALID = [
    case
    for case in INVALID
    if CLI in (option := {o.name: o for o in OPTIONS}[case[0]]).where
    and not isinstance(option.default, bool)
]


@pytest.mark.parametrize(("name", "text", "reason"), CLI_INVALID)
def test_the_command_gives_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, reason: str
) -> None:
    option = {o.name: o for o in OPTIONS}[name]
    old, new = make_pair(tmp_path)
    assert main([str(old), str(new), f"{option.flag}={text}"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"release-diff: {option.flag}: {reason}\n"


def test_command_line_flags_and_their_settings(tmp_path: Path) -> None:
    from sphinxext.releasediff.cli import _parser, settings_from_args

    args = _parser().parse_args(
        ["a", "b", "--show", "summary", "--show", "files,metadata", "--find-links", "x,y"]
    )
    settings = settings_from_args(args)
    assert settings.show == ("summary", "metadata", "files")
    assert settings.find_links == ("x,y",)  # a folder's name may hold a comma
    assert settings_from_args(_parser().parse_args(["a", "b"])) == Settings()


def test_each_option_is_declared_where_it_applies() -> None:
    where = {option.name: option.where for option in OPTIONS}
    assert where["collapse"] == {DIRECTIVE, CONFIG}
    assert where["max_diff_lines"] == {DIRECTIVE, CONFIG, CLI}
    assert where["show"] == {DIRECTIVE, CONFIG, CLI}
    assert DIRECTIVE not in where["find_links"]


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("context", "3", "must be a whole number, not str"),
        ("context", True, "must be a whole number, not bool"),
        ("show", "files", "must be a list of strings, not str"),
        ("show", ["files", 3], "must be a list of strings"),
        ("collapse", 1, "must be True or False, not int"),
        ("rename_threshold", 2, "'2' is not between 0 and 1"),
        ("timeout", -1, "'-1' is not more than 0"),
    ],
)
def test_invalid_config_values(name: str, value: object, reason: str) -> None:
    with pytest.raises(OptionError) as caught:
        config_value(name, value)
    assert caught.value.reason == reason


def test_config_values_parse_like_text() -> None:
    assert config_value("show", ["files", "summary"]) == ("summary", "files")
    assert config_value("rename_threshold", 1) == 1.0
    assert config_value("package", None) is None


DIRECTIVE_INVALID = [
    case for case in INVALID if DIRECTIVE in {o.name: o for o in OPTIONS}[case[0]].where
]
DIRECTIVE_PAGE = """\
Page
====

.. release-diff:: archives/demo-1.0.tar.gz archives/demo-1.1.tar.gz
   :{option}: {value}
"""


@pytest.mark.sphinx("text")
def test_the_directive_warns_with_the_same_wording(make_app: MakeApp, tmp_path: Path) -> None:
    """One build holding every invalid directive option, one page each."""
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    archives = srcdir / "archives"
    archives.mkdir()
    for archive in make_pair(tmp_path):
        shutil.copy(archive, archives)
    pages = []
    for index, (name, text, _reason) in enumerate(DIRECTIVE_INVALID):
        option = {o.name: o for o in OPTIONS}[name]
        page = f"p{index}"
        (srcdir / f"{page}.rst").write_text(
            DIRECTIVE_PAGE.format(option=option.dashed, value=text), encoding="utf-8"
        )
        pages.append(page)
    toctree = "\n".join(f"   {page}" for page in pages)
    (srcdir / "index.rst").write_text(f"Index\n=====\n\n.. toctree::\n\n{toctree}\n")
    (srcdir / "conf.py").write_text('extensions = ["sphinxext.releasediff"]\n')
    app: SphinxTestApp = make_app("text", srcdir=srcdir)
    app.build()
    warnings = re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())
    for index, (name, _text, reason) in enumerate(DIRECTIVE_INVALID):
        option = {o.name: o for o in OPTIONS}[name]
        default = Settings().__getattribute__(name)
        spelled = ", ".join(default) or "(none)" if isinstance(default, tuple) else str(default)
        expected = (
            f"p{index}.rst:4: WARNING: :{option.dashed}: {reason}; using the default {spelled}"
        )
        assert expected in warnings, expected
