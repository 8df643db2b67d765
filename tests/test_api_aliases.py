"""Type aliases: an annotation that names one is the same as one that spells it out."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from sphinxext.releasediff.api import ApiEntry, digests_differ, entry_digest, same_entry
from sphinxext.releasediff.api_load import _describe, _Side

from .test_api import rows

STR_PATH = "import os\nfrom typing import Union\n"


def test_naming_an_alias_for_the_spelled_out_type_is_no_change(tmp_path: Path) -> None:
    old = {
        "demo/__init__.py": STR_PATH
        + "def f(x: Union[str, os.PathLike[str]]) -> None: ...\n"
        + "def g(x: 'dict[str, int]') -> 'dict[str, int]': ...\n"
        + "class C:\n    def __init__(self, path: Union[str, os.PathLike[str]]): ...\n"
        + "    where: Union[str, os.PathLike[str]]\n"
    }
    new = {
        "demo/__init__.py": STR_PATH
        + "from typing_extensions import TypeAlias\n"
        + "StrPath = Union[str, os.PathLike[str]]\n"
        + "Counts: TypeAlias = 'dict[str, int]'\n"
        + "def f(x: StrPath) -> None: ...\n"
        + "def g(x: Counts) -> Counts: ...\n"
        + "class C:\n    def __init__(self, path: StrPath): ...\n"
        + "    where: StrPath\n"
    }
    assert rows(tmp_path, old, new) == {
        "demo.Counts": ("added", "attribute", None, "Counts: TypeAlias = 'dict[str, int]'", False),
        "demo.StrPath": (
            "added",
            "attribute",
            None,
            "StrPath = Union[str, os.PathLike[str]]",
            False,
        ),
    }


def test_an_alias_imported_from_another_module_or_named_through_it(tmp_path: Path) -> None:
    types = STR_PATH + "StrPath = Union[str, os.PathLike[str]]\nPaths = list[StrPath]\n"
    old = {
        "demo/__init__.py": "",
        "demo/types.py": types,
        "demo/io.py": STR_PATH
        + "def read(x: Union[str, os.PathLike[str]]) -> None: ...\n"
        + "def many(xs: list[Union[str, os.PathLike[str]]] | None) -> None: ...\n",
    }
    new = {
        "demo/__init__.py": "",
        "demo/types.py": types,
        "demo/io.py": "from . import types\nfrom .types import Paths\n"
        + "def read(x: types.StrPath) -> None: ...\n"
        + "def many(xs: Paths | None) -> None: ...\n",
    }
    assert rows(tmp_path, old, new) == {}


def test_a_changed_alias_is_one_row_not_one_per_user(tmp_path: Path) -> None:
    old = {"demo/__init__.py": "Number = int\ndef f(x: Number) -> Number: ...\n"}
    new = {"demo/__init__.py": "Number = int | float\ndef f(x: Number) -> Number: ...\n"}
    assert rows(tmp_path, old, new) == {
        "demo.Number": ("changed", "attribute", "Number = int", "Number = int | float", False),
    }


def test_an_annotation_that_narrows_what_the_alias_took_is_a_change(tmp_path: Path) -> None:
    old = {"demo/__init__.py": "StrPath = str | bytes\ndef f(x: StrPath) -> None: ...\n"}
    new = {"demo/__init__.py": "StrPath = str | bytes\ndef f(x: str) -> None: ...\n"}
    assert rows(tmp_path, old, new) == {
        "demo.f": ("changed", "function", "f(x: StrPath) -> None", "f(x: str) -> None", False),
    }


@pytest.mark.parametrize(
    "definition",
    [
        "Name = NewType('Name', str)",  # a new type, not an alias
        "Name = TypeVar('Name')",
        "Name = 'str'",  # a string, unless declared a TypeAlias
    ],
)
def test_calls_and_plain_strings_are_not_aliases(tmp_path: Path, definition: str) -> None:
    head = "from typing import NewType, TypeVar\n" + definition + "\n"
    old = {"demo/__init__.py": head + "def f(x: str) -> None: ...\n"}
    new = {"demo/__init__.py": head + "def f(x: Name) -> None: ...\n"}
    assert rows(tmp_path, old, new) == {
        "demo.f": ("changed", "function", "f(x: str) -> None", "f(x: Name) -> None", False),
    }


def test_aliases_of_each_other_stop(tmp_path: Path) -> None:
    cycle = "A = B\nB = A\n"
    old = {"demo/__init__.py": cycle + "def f(x: A) -> None: ...\n"}
    new = {"demo/__init__.py": cycle + "def f(x: B) -> None: ...\n"}
    assert rows(tmp_path, old, new) == {
        "demo.f": ("changed", "function", "f(x: A) -> None", "f(x: B) -> None", False),
    }


def test_a_class_alias_names_the_class(tmp_path: Path) -> None:
    body = "class Path: ...\nPurePath = Path\n"
    old = {"demo/__init__.py": body + "def f(x: Path) -> None: ...\n"}
    new = {"demo/__init__.py": body + "def f(x: PurePath) -> None: ...\n"}
    assert rows(tmp_path, old, new) == {}


def test_same_entry_takes_either_spelling() -> None:
    named = ApiEntry("function", "f(x: P)", key="f(x: P)", spelled="f(x: str | bytes)")
    spelled = ApiEntry("function", "f(x: str | bytes)", key="f(x: str | bytes)")
    other = ApiEntry("function", "f(x: Q)", key="f(x: Q)", spelled="f(x: str)")
    assert same_entry(named, spelled)
    assert same_entry(spelled, named)
    assert not same_entry(named, other)
    assert not same_entry(named, None)
    assert same_entry(None, None)
    assert not same_entry(named, ApiEntry("attribute", "f(x: P)", key="f(x: P)"))
    assert entry_digest(spelled)[:16] == entry_digest(spelled)[16:32]
    assert entry_digest(named)[16:32] == entry_digest(spelled)[16:32]


def test_a_private_alias_that_now_stands_for_another_type_is_a_change() -> None:
    """pydantic-core 2.23.4: ``include: _IncEx`` read the same, but ``_IncEx`` went from
    a set to a mapping, and no entry of its own says so (it is private)."""
    before = ApiEntry("function", "f(x: _IncEx)", key="f(x: _IncEx)", spelled="f(x: set[int])")
    after = ApiEntry(
        "function", "f(x: _IncEx)", key="f(x: _IncEx)", spelled="f(x: dict[int, bool])"
    )
    assert not same_entry(before, after)
    assert digests_differ(entry_digest(before), entry_digest(after))
    # A public alias has an entry of its own, which shows the change once.
    public = ApiEntry("function", "f(x: IncEx)", key="f(x: IncEx)", spelled="f(x: set[int])")
    respelled = dataclasses.replace(public, spelled="f(x: dict[int, bool])")
    assert same_entry(public, respelled)
    assert not digests_differ(entry_digest(public), entry_digest(respelled))


def test_describing_without_aliases_leaves_the_key_alone() -> None:
    import griffe

    module = griffe.visit("m", filepath=Path("m.py"), code="def f(x: int) -> int: ...\n")
    entry = _describe(module["f"], "f", _Side())
    assert entry == ApiEntry("function", "f(x: int) -> int", key="f(x: int) -> int")
    assert entry is not None
    assert entry.spelled is None


def test_an_alias_respelled_and_declared_a_type_alias_is_no_change(tmp_path: Path) -> None:
    """numpy 2.1: ``DTypeLike = Union[np.dtype[Any], None, type[Any]]`` became
    ``DTypeLike: TypeAlias = np.dtype[Any] | None | type[Any]``; each side in one spelling."""
    head = "from typing import Any, TypeAlias, Union\nimport numpy as np\n"
    old = {"demo/__init__.py": head + "DTypeLike = Union[np.dtype[Any], None, type[Any]]\n"}
    new = {"demo/__init__.py": head + "DTypeLike: TypeAlias = np.dtype[Any] | None | type[Any]\n"}
    assert rows(tmp_path, old, new) == {}


def test_a_function_naming_a_changed_private_alias_shows_it_spelled_out(tmp_path: Path) -> None:
    old = {"demo/__init__.py": "_Mode = int\ndef run(mode: _Mode) -> None: ...\n"}
    new = {"demo/__init__.py": "_Mode = int | str\ndef run(mode: _Mode) -> None: ...\n"}
    assert rows(tmp_path, old, new) == {
        "demo.run": (
            "changed",
            "function",
            "run(mode: int) -> None",
            "run(mode: int | str) -> None",
            False,
        )
    }
    # A public alias is its own entry: the functions naming it are not listed again.
    public_old = {"demo/__init__.py": "Mode = int\ndef run(mode: Mode) -> None: ...\n"}
    public_new = {"demo/__init__.py": "Mode = int | str\ndef run(mode: Mode) -> None: ...\n"}
    assert set(rows(tmp_path / "public", public_old, public_new)) == {"demo.Mode"}
