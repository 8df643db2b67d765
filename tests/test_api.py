"""Public API changes between two releases, found statically (never importing the package)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from sphinxext.releasediff import api as api_module
from sphinxext.releasediff import api_load, api_modules
from sphinxext.releasediff.api import Param, api_counts, api_summary, breaking_change, compare_api
from sphinxext.releasediff.api_shown import shown_pair
from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.cli import main
from sphinxext.releasediff.compare import CompareOptions, compare
from sphinxext.releasediff.model import ApiChange
from sphinxext.releasediff.report import ApiSection, build_report
from sphinxext.releasediff.settings import Settings

from .archives import Tree, make_sdist, make_wheel

Row = tuple[str, str, str | None, str | None, bool]


def api_pair(
    tmp_path: Path, old: Tree, new: Tree, kind: str = "sdist", *, incremental: bool = True
) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
    folders = tmp_path / "o", tmp_path / "n"
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    make = make_wheel if kind == "wheel" else make_sdist
    old_path = make(folders[0], "demo", "1.0", old)
    new_path = make(folders[1], "demo", "1.1", new)
    return compare_api(read_archive(old_path), read_archive(new_path), incremental=incremental)


def rows(tmp_path: Path, old: Tree, new: Tree, kind: str = "sdist") -> dict[str, Row]:
    changes, _notes = api_pair(tmp_path, old, new, kind)
    return {c.name: (c.change, c.kind, c.old, c.new, c.breaking) for c in changes}


def module(source: str) -> Tree:
    return {"demo/__init__.py": "", "demo/core.py": source}


# --- each change kind ------------------------------------------------------------------


def test_added_removed_and_changed_names_with_kinds_and_texts(tmp_path: Path) -> None:
    old = module(
        "LIMIT = 10\n"
        "def fetch(url, timeout=5):\n    pass\n"
        "def gone(x):\n    pass\n"
        "class Client:\n"
        "    retries = 3\n"
        "    def __init__(self, host):\n        self.host = host\n"
        "    def get(self, path):\n        pass\n"
    )
    new = module(
        "LIMIT = 20\n"
        "def fetch(url, timeout=5, *, verify=True) -> bytes:\n    pass\n"
        "def fresh(x: int) -> str:\n    pass\n"
        "class Client:\n"
        "    retries = 3\n"
        "    def __init__(self, host, port):\n        self.host = host\n"
        "    def get(self, path):\n        pass\n"
        "    def post(self, path, body=None):\n        pass\n"
        "class Server:\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.LIMIT": ("changed", "attribute", "LIMIT = 10", "LIMIT = 20", False),
        "demo.core.fetch": (
            "changed",
            "function",
            "fetch(url, timeout=5)",
            "fetch(url, timeout=5, *, verify=True) -> bytes",
            False,
        ),
        "demo.core.gone": ("removed", "function", "gone(x)", None, True),
        "demo.core.fresh": ("added", "function", None, "fresh(x: int) -> str", False),
        "demo.core.Client": ("changed", "class", "Client(host)", "Client(host, port)", True),
        "demo.core.Client.post": ("added", "method", None, "post(path, body=None)", False),
        "demo.core.Server": ("added", "class", None, "Server()", False),
    }


def test_results_are_ordered_by_name_and_the_same_on_every_run(tmp_path: Path) -> None:
    old = module("def b():\n    pass\ndef a():\n    pass\n")
    new = module("def c():\n    pass\nclass A:\n    def z(self):\n        pass\n")
    first = api_pair(tmp_path / "1", old, new)
    second = api_pair(tmp_path / "2", old, new)
    assert first == second
    names = [change.name for change in first[0]]
    assert names == ["demo.core.A", "demo.core.a", "demo.core.b", "demo.core.c"]


def test_a_removed_module_or_class_is_one_entry_not_one_per_member(tmp_path: Path) -> None:
    old = {
        "demo/__init__.py": "",
        "demo/old.py": "def f():\n    pass\nclass K:\n    def m(self):\n        pass\n",
        "demo/core.py": "class C:\n    def m(self):\n        pass\n    x = 1\n",
    }
    new = {
        "demo/__init__.py": "",
        "demo/core.py": "",
        "demo/fresh/__init__.py": "def g():\n    pass\n",
    }
    assert rows(tmp_path, old, new) == {
        "demo.old": ("removed", "module", "demo.old", None, True),
        "demo.core.C": ("removed", "class", "C()", None, True),
        "demo.fresh": ("added", "module", None, "demo.fresh", False),
    }


def test_a_module_that_became_a_package_is_no_change(tmp_path: Path) -> None:
    source = "def f(a):\n    pass\n"
    old = {"demo/__init__.py": "", "demo/util.py": source}
    new = {"demo/__init__.py": "", "demo/util/__init__.py": source}
    assert rows(tmp_path, old, new) == {}


def test_a_method_moved_to_a_base_class_is_still_there(tmp_path: Path) -> None:
    old = module("class Base:\n    pass\nclass Sub(Base):\n    def run(self, x):\n        pass\n")
    new = module("class Base:\n    def run(self, x):\n        pass\nclass Sub(Base):\n    pass\n")
    assert rows(tmp_path, old, new) == {
        "demo.core.Base.run": ("added", "method", None, "run(x)", False),
    }


def test_a_method_that_changed_as_it_moved_to_a_base_is_a_change(tmp_path: Path) -> None:
    old = module("class Base:\n    pass\nclass Sub(Base):\n    def run(self, x):\n        pass\n")
    new = module("class Base:\n    def run(self):\n        pass\nclass Sub(Base):\n    pass\n")
    assert rows(tmp_path, old, new)["demo.core.Sub.run"] == (
        "changed",
        "method",
        "run(x)",
        "run()",
        True,
    )


_PRIVATE_BASE = (
    "class _Mixin:\n    def close(self):\n        pass\n"
    "class _Base(_Mixin):\n    limit = {limit}\n    def run(self, {params}):\n        pass\n"
    "    def _helper(self):\n        pass\n"
    "class Public:\n    def close(self, now=False):\n        pass\n"
)


@pytest.mark.parametrize("incremental", [True, False])
@pytest.mark.parametrize("apart", [True, False], ids=["base-in-own-module", "same-module"])
def test_members_a_public_class_takes_from_a_private_base_are_its_own(
    tmp_path: Path, incremental: bool, apart: bool
) -> None:
    subclasses = (
        "class Session(_Base):\n    pass\n"
        "class Client(Public, _Base):\n    def own(self):\n        pass\n"
    )

    def tree(limit: int, params: str) -> Tree:
        base = _PRIVATE_BASE.format(limit=limit, params=params)
        if not apart:
            return module(base + subclasses)
        # The subclasses' module is the same text in both releases.
        imports = "from ._base import _Base, Public\n"
        return {"demo/__init__.py": "", "demo/_base.py": base, "demo/core.py": imports + subclasses}

    changes, _notes = api_pair(tmp_path, tree(1, "a"), tree(2, "a, b"), incremental=incremental)
    got = {c.name: (c.change, c.old, c.new, c.breaking) for c in changes}
    # Client.close is Public's (first in method resolution order), not _Mixin's.
    assert got == {
        "demo.core.Client.limit": ("changed", "limit = 1", "limit = 2", False),
        "demo.core.Client.run": ("changed", "run(a)", "run(a, b)", True),
        "demo.core.Session.limit": ("changed", "limit = 1", "limit = 2", False),
        "demo.core.Session.run": ("changed", "run(a)", "run(a, b)", True),
    }


def test_a_private_base_with_no_change_adds_no_entries(tmp_path: Path) -> None:
    source = "class _Base:\n    def run(self, a):\n        pass\nclass Session(_Base):\n    pass\n"
    old = module(source)
    new = module(source + "def added():\n    pass\n")
    assert rows(tmp_path, old, new) == {
        "demo.core.added": ("added", "function", None, "added()", False),
    }


def _speedups_pair(old_impl: str, new_impl: str, fallback: tuple[str, str]) -> tuple[Tree, Tree]:
    init = "try:\n    from ._speedups import escape\nexcept ImportError:\n    def escape(s{}):\n        pass\n"
    return (
        {"demo/__init__.py": init.format(fallback[0]), "demo/_speedups.py": old_impl},
        {"demo/__init__.py": init.format(fallback[1]), "demo/_speedups.py": new_impl},
    )


@pytest.mark.parametrize("incremental", [True, False])
def test_an_import_the_success_path_of_a_try_takes_from_the_release_wins(
    tmp_path: Path, incremental: bool
) -> None:
    """The import succeeds at run time, so the handler's fallback is not the API."""
    old, new = _speedups_pair(
        "def escape(s):\n    pass\n", "def escape(s, quote):\n    pass\n", ("", "")
    )
    changes, _notes = api_pair(tmp_path, old, new, incremental=incremental)
    assert [(c.change, c.name, c.old, c.new, c.breaking) for c in changes] == [
        ("changed", "demo.escape", "escape(s)", "escape(s, quote)", True)
    ]
    # The fallback changing alone is no change of what callers get.
    old, new = _speedups_pair(
        "def escape(s):\n    pass\n", "def escape(s):\n    pass\n", ("", ", x")
    )
    changes, _notes = api_pair(tmp_path / "fallback", old, new, incremental=incremental)
    assert changes == ()


def test_a_try_whose_import_the_release_cannot_satisfy_is_its_fallback(tmp_path: Path) -> None:
    """A compiled ``_speedups`` (no Python source), or a module that lacks the name: what
    the release shows is the fallback."""
    compiled = [
        {**{k: v for k, v in tree.items() if k != "demo/_speedups.py"}, "demo/_speedups.c": "/**/"}
        for tree in _speedups_pair("", "", ("", ", quote"))
    ]
    assert rows(tmp_path / "c", compiled[0], compiled[1]) == {
        "demo.escape": ("changed", "function", "escape(s)", "escape(s, quote)", True)
    }
    old, new = _speedups_pair(
        "def other(s):\n    pass\n", "def other(s):\n    pass\n", ("", ", quote")
    )
    assert rows(tmp_path / "lacks", old, new) == {
        "demo.escape": ("changed", "function", "escape(s)", "escape(s, quote)", True)
    }


def test_a_try_that_imports_from_its_own_module_is_its_fallback(tmp_path: Path) -> None:
    """``from .core import escape`` inside ``core``, before ``escape`` is bound, fails at
    run time: the handler's definition is the API, not an import of itself."""
    source = "try:\n    from .core import escape\nexcept ImportError:\n    def escape(s{}):\n        pass\n"
    assert rows(tmp_path, module(source.format("")), module(source.format(", quote"))) == {
        "demo.core.escape": ("changed", "function", "escape(s)", "escape(s, quote)", True)
    }


def test_attributes_show_annotation_and_value_instance_attributes_no_value(tmp_path: Path) -> None:
    old = module(
        "TIMEOUT: float = 1.5\n"
        "class Config:\n"
        "    name: str\n"
        "    def __init__(self, path):\n        self.path = path\n"
    )
    new = module(
        "TIMEOUT: float = 2.5\n"
        "class Config:\n"
        "    name: str | None\n"
        "    def __init__(self, path):\n        self.path = str(path)\n        self.size: int = 0\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.TIMEOUT": (
            "changed",
            "attribute",
            "TIMEOUT: float = 1.5",
            "TIMEOUT: float = 2.5",
            False,
        ),
        "demo.core.Config.name": ("changed", "attribute", "name: str", "name: str | None", False),
        "demo.core.Config.size": ("added", "attribute", None, "size: int", False),
    }


def test_properties_are_attributes_and_a_method_turned_property_breaks(tmp_path: Path) -> None:
    decorators = "def cached_property(f):\n    return f\n"
    old = module(
        decorators + "class C:\n"
        "    @property\n    def size(self) -> int:\n        return 1\n"
        "    def area(self):\n        return 1\n"
        "    @cached_property\n    def cost(self):\n        return 1\n"
    )
    new = module(
        decorators + "class C:\n"
        "    @property\n    def size(self) -> float:\n        return 1\n"
        "    @property\n    def area(self):\n        return 1\n"
        "    cost = 3\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.C.size": ("changed", "attribute", "size: int", "size: float", False),
        "demo.core.C.area": ("changed", "attribute", "area()", "area", True),
        "demo.core.C.cost": ("changed", "attribute", "cost", "cost = 3", False),
    }


def test_kind_changes_break_unless_both_are_called_the_same_way(tmp_path: Path) -> None:
    old = module(
        "def connect(host, port=0):\n    pass\n"
        "def VALUE():\n    pass\n"
        "class Item:\n    def __init__(self, a):\n        pass\n"
    )
    new = module(
        "class connect:\n    def __init__(self, host, port=0):\n        pass\n"
        "VALUE = 3\n"
        "def Item(a, b):\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.connect": (
            "changed",
            "class",
            "connect(host, port=0)",
            "connect(host, port=0)",
            False,
        ),
        "demo.core.VALUE": ("changed", "attribute", "VALUE()", "VALUE = 3", True),
        "demo.core.Item": ("changed", "function", "Item(a)", "Item(a, b)", True),
    }


def test_a_callable_that_was_or_becomes_the_value_of_a_call_is_not_known_to_break(
    tmp_path: Path,
) -> None:
    """werkzeug 3.1's ``def clear(self)`` was ``clear = _calls_update("clear")``; markupsafe
    3.0's ``def upper(self)`` was ``upper = _simple_escaping_wrapper(str.upper)``."""
    factory = "def _wraps(name):\n    return lambda self: None\n"
    old = module(
        factory + "class Mixin:\n    clear = _wraps('clear')\n    def update(self):\n        pass\n"
        "    size = 3\n"
        "make = _wraps('make')\n"
    )
    new = module(
        factory
        + "class Mixin:\n    def clear(self):\n        pass\n    update = _wraps('update')\n"
        "    def size(self):\n        pass\n"
        "class make:\n    pass\n"
    )
    changes, _notes = api_pair(tmp_path, old, new)
    assert [(c.name, c.kind, c.old, c.new, c.breaking, c.why) for c in changes] == [
        (
            "demo.core.Mixin.clear",
            "method",
            "clear = _wraps('clear')",
            "clear()",
            False,
            "was the value of a call: not known to break",
        ),
        (
            "demo.core.Mixin.size",
            "method",
            "size = 3",
            "size()",
            True,
            "was an attribute, now a method",
        ),
        (
            "demo.core.Mixin.update",
            "attribute",
            "update()",
            "update = _wraps('update')",
            False,
            "now the value of a call: not known to break",
        ),
        (
            "demo.core.make",
            "class",
            "make = _wraps('make')",
            "make()",
            False,
            "was the value of a call: not known to break",
        ),
    ]


@pytest.mark.parametrize("annotation", ["type", "type[Opts]", "Callable[..., Opts]", "'type'"])
def test_a_name_bound_to_a_class_or_function_is_it_however_annotated(
    tmp_path: Path, annotation: str
) -> None:
    """marshmallow 3.24: ``OPTIONS_CLASS = SchemaOpts  # type: type`` became
    ``OPTIONS_CLASS: type = SchemaOpts``: the same class, no change."""
    body = "class Opts:\n    def __init__(self, meta):\n        pass\ndef helper(x):\n    pass\n"
    old = module(body + "Alias = Opts\nclass Schema:\n    OPTIONS = Opts\n    HELP = helper\n")
    new = module(
        body + f"Alias: {annotation} = Opts\nclass Schema:\n    OPTIONS: {annotation} = Opts\n"
        "    HELP: object = helper\n"
    )
    assert rows(tmp_path, old, new) == {}
    changed = module(body.replace("meta", "meta, more") + f"Alias: {annotation} = Opts\n")
    assert rows(tmp_path / "2", module(body + "Alias = Opts\n"), changed)["demo.core.Alias"] == (
        "changed",
        "class",
        "Alias(meta)",
        "Alias(meta, more)",
        True,
    )


@pytest.mark.parametrize("bases", ["t.Generic[K]", "t.Protocol", "abc.ABC", "object", "Base[K]"])
def test_bases_that_give_no_constructor_leave_a_class_taking_nothing(
    tmp_path: Path, bases: str
) -> None:
    """werkzeug 3.1's ``class ImmutableDictMixin(t.Generic[K, V])`` was ``class
    ImmutableDictMixin:``: still ``ImmutableDictMixin()``, not ``(...)``."""
    head = (
        "import abc\nimport typing as t\nK = t.TypeVar('K')\nclass Base(t.Generic[K]):\n    pass\n"
    )
    old = module(head + "class Mixin:\n    pass\nclass Other(Outside):\n    pass\n")
    new = module(
        head + f"class Mixin({bases}):\n    pass\nclass Other(Outside, t.Generic[K]):\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {}
    from_outside = module(
        head + "from elsewhere import Thing\nclass Mixin(Thing, t.Generic[K]):\n    pass\n"
    )
    assert rows(tmp_path / "2", old, from_outside)["demo.core.Mixin"] == (
        "changed",
        "class",
        "Mixin()",
        "Mixin(...)",
        False,
    )


def test_dataclass_fields_are_the_constructor(tmp_path: Path) -> None:
    old = module(
        "from dataclasses import dataclass\n@dataclass\nclass Point:\n    x: int\n    y: int = 0\n"
    )
    new = module(
        "from dataclasses import dataclass\n@dataclass\nclass Point:\n    x: int\n    y: int = 0\n    z: int\n"
    )
    found = rows(tmp_path, old, new)
    assert found["demo.core.Point"] == (
        "changed",
        "class",
        "Point(x: int, y: int = 0)",
        "Point(x: int, y: int = 0, z: int)",
        True,
    )


GENERIC_INIT = "    def __init__(self, *args, **kwargs):\n        pass\n"


@pytest.mark.parametrize(
    ("old_body", "new_body", "expected"),
    [
        # __new__ says what callers pass when __init__ takes anything.
        (
            GENERIC_INIT,
            "    def __new__(cls, host, port=80):\n        pass\n" + GENERIC_INIT,
            ("Client(*args, **kwargs)", "Client(host, port=80)", True),
        ),
        # Without an __init__ in the release.
        (
            "    def __new__(cls, host):\n        pass\n",
            "    def __new__(cls, host, port):\n        pass\n",
            ("Client(host)", "Client(host, port)", True),
        ),
        # An __init__ that names its parameters is what callers pass.
        (
            "    def __init__(self, host):\n        pass\n",
            "    def __new__(cls, *args, **kwargs):\n        pass\n"
            "    def __init__(self, host, port=1):\n        pass\n",
            ("Client(host)", "Client(host, port=1)", False),
        ),
    ],
    ids=["__new__ over a generic __init__", "__new__ alone", "__init__ named"],
)
def test_a_constructor_is_read_from_new_where_init_takes_anything(
    tmp_path: Path, old_body: str, new_body: str, expected: tuple[str, str, bool]
) -> None:
    old = module("class Base:\n" + old_body + "class Client(Base):\n    pass\n")
    new = module("class Base:\n" + new_body + "class Client(Base):\n    pass\n")
    found = rows(tmp_path, old, new)
    old_text, new_text, breaking = expected
    assert found["demo.core.Client"] == ("changed", "class", old_text, new_text, breaking)


# --- the breaking rules ----------------------------------------------------------------

BREAKING_RULES = [
    ("f(a)", "f(a, b)", True),  # new required parameter
    ("f(a)", "f(a, *, b)", True),  # new required keyword-only parameter
    ("f(a)", "f(a, b=1)", False),  # new parameter with a default
    ("f(a, *, b=1)", "f(a, *, c=2, b=1)", False),  # keyword-only order does not matter
    ("f(a, b)", "f(a)", True),  # removed
    ("f(a, b)", "f(a, c)", True),  # renamed
    ("f(a, b)", "f(a, *, b)", True),  # became keyword-only
    ("f(a, b)", "f(a, b, /)", True),  # became positional-only
    ("f(a, /, b)", "f(a, b)", False),  # positional-only widened
    ("f(*, a)", "f(a)", False),  # keyword-only widened
    ("f(a, b=1)", "f(a, b)", True),  # default removed
    ("f(a, b=1)", "f(a, b=2)", False),  # default changed
    ("f(a, b)", "f(b, a)", True),  # positional order changed
    ("f(a, c=1)", "f(a, b=2, c=1)", True),  # a new parameter pushes c to another position
    ("f(a, *args)", "f(a)", True),  # *args removed
    ("f(a, **kw)", "f(a)", True),  # **kwargs removed
    ("f(a, *args)", "f(a, *items)", False),  # *args renamed
    ("f(a, *, b=None)", "f(a, **kw)", False),  # keyword-only taken by **kwargs
    ("f(a, b=None)", "f(a, **kw)", True),  # b could be passed by position
    ("f(a, b=None)", "f(a, *args, **kw)", False),  # taken either way
    ("f(x, /)", "f(y, /)", False),  # callers cannot name a positional-only parameter
    ("f(a: int) -> int", "f(a: str) -> str", False),  # annotations are not checked
]


@pytest.mark.parametrize(("old", "new", "breaking"), BREAKING_RULES)
def test_breaking_rules_for_functions(tmp_path: Path, old: str, new: str, breaking: bool) -> None:
    found = rows(tmp_path, module(f"def {old}:\n    pass\n"), module(f"def {new}:\n    pass\n"))
    assert found == {"demo.core.f": ("changed", "function", old, new, breaking)}


@pytest.mark.parametrize(("old", "new", "breaking"), BREAKING_RULES[:8])
def test_breaking_rules_for_methods_ignore_self(
    tmp_path: Path, old: str, new: str, breaking: bool
) -> None:
    def source(signature: str) -> Tree:
        with_self = signature.replace("f(", "f(self, ", 1).replace("(self, )", "(self)")
        return module(f"class C:\n    def {with_self}:\n        pass\n")

    found = rows(tmp_path, source(old), source(new))
    assert found == {"demo.core.C.f": ("changed", "method", old, new, breaking)}


def test_static_and_class_methods(tmp_path: Path) -> None:
    old = module(
        "class C:\n"
        "    @staticmethod\n    def s(a):\n        pass\n"
        "    @classmethod\n    def c(cls, a):\n        pass\n"
    )
    new = module(
        "class C:\n"
        "    @staticmethod\n    def s(a, b):\n        pass\n"
        "    @classmethod\n    def c(cls, a, b=0):\n        pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.C.s": ("changed", "method", "s(a)", "s(a, b)", True),
        "demo.core.C.c": ("changed", "method", "c(a)", "c(a, b=0)", False),
    }


def test_breaking_change_on_parameters_directly() -> None:
    a = Param("a", "positional or keyword")
    b_default = Param("b", "positional or keyword", default="1")
    assert breaking_change([a], [a, b_default]) is False
    assert breaking_change([a, b_default], [a]) is True
    assert breaking_change([a], [a, Param("b", "keyword-only")]) is True
    assert breaking_change([a], [Param("a", "variadic positional")]) is True


# --- what is public -------------------------------------------------------------------


def test_private_names_at_any_level_are_not_api(tmp_path: Path) -> None:
    old: Tree = {"demo/__init__.py": ""}
    new: Tree = {
        "demo/__init__.py": "",
        "demo/core.py": (
            "def _helper():\n    pass\n"
            "class _Hidden:\n    def shown(self):\n        pass\n"
            "class Open:\n"
            "    def _internal(self):\n        pass\n"
            "    def __repr__(self):\n        return ''\n"
            "    def __secret(self):\n        pass\n"
            "_CACHE = {}\n"
        ),
        "demo/_impl.py": "def visible_name():\n    pass\n",
        "demo/_vendor/six.py": "def wraps():\n    pass\n",
        "_demo_speedups.py": "def fast():\n    pass\n",
    }
    assert rows(tmp_path, old, new) == {
        "demo.core": ("added", "module", None, "demo.core", False),
    }
    changed = {
        **new,
        "demo/core.py": str(new["demo/core.py"])
        + "class Open2:\n    def _x(self):\n        pass\n",
    }
    assert set(rows(tmp_path / "2", new, changed)) == {"demo.core.Open2"}


def test_dunder_all_limits_the_names_of_a_module(tmp_path: Path) -> None:
    old = module("__all__ = ['listed']\ndef listed():\n    pass\ndef unlisted():\n    pass\n")
    new = module(
        "__all__ = ['listed', 'later']\n"
        "def listed(x):\n    pass\n"
        "def unlisted(y):\n    pass\n"
        "def later():\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.listed": ("changed", "function", "listed()", "listed(x)", True),
        "demo.core.later": ("added", "function", None, "later()", False),
    }


@pytest.mark.parametrize(
    "exports",
    [
        # numpy 2.1: griffe reads no call and no set union, and gave an empty __all__.
        "__all__ = list(set(_impl.__all__) | {'helper'})",
        # griffe skips methods called on __all__: the module offered only 'helper'.
        "__all__ = ['helper']\n__all__.extend(_impl.__all__)",
        # Calls with strings are read (typing_extensions: __all__.append("CapsuleType")).
        "__all__ = ['helper']\nif True:\n    __all__.append('compute')",
        "__all__ = ['helper', 'other']\n__all__.extend(['compute'])\n__all__.remove('other')",
    ],
)
def test_an_unreadable_dunder_all_is_no_dunder_all(tmp_path: Path, exports: str) -> None:
    impl = "__all__ = ['compute']\ndef compute(x):\n    pass\n"
    init = f"from . import _impl\nfrom ._impl import compute\ndef helper():\n    pass\n{exports}\n"
    old = {"demo/__init__.py": init, "demo/_impl.py": impl}
    new = {**old, "demo/_impl.py": impl.replace("(x)", "(x, y)")}
    assert rows(tmp_path, old, new) == {
        "demo.compute": ("changed", "function", "compute(x)", "compute(x, y)", True),
    }


def test_names_a_call_puts_in_dunder_all_resolve_through_star_imports(tmp_path: Path) -> None:
    """numpy's ``numeric.py`` runs ``extend_all(arrayprint)`` after ``from .arrayprint import
    *``; in 2.1 ``_core`` also gained a submodule ``printoptions``, which the function of that
    name rebinds at run time. ``numpy.printoptions`` was no alias on one side and a module on
    the other: a false removal."""

    def tree(extra: Tree) -> Tree:
        return {
            "demo/__init__.py": "from ._core import show, config\n",
            "demo/_core/__init__.py": "from .numeric import *\n",
            "demo/_core/numeric.py": (
                "__all__ = ['base']\nfrom .printing import *\nfrom . import printing\n"
                "def base():\n    pass\nextend_all(printing)\n"
            ),
            "demo/_core/printing.py": (
                "__all__ = ['show', 'config']\ndef show(value, width=80):\n    pass\n"
                "def config(**options):\n    pass\n"
            ),
            **extra,
        }

    new = tree(
        {
            "demo/_core/printing.py": (
                "__all__ = ['show', 'config']\nfrom .config import state\n"
                "def show(value, width=80, *, sign=None):\n    pass\n"
                "def config(**options):\n    pass\n"
            ),
            "demo/_core/config.py": "state = {}\n",
        }
    )
    assert rows(tmp_path, tree({}), new) == {
        "demo.show": (
            "changed",
            "function",
            "show(value, width=80)",
            "show(value, width=80, *, sign=None)",
            False,
        ),
    }


def test_star_imports_of_every_module_from_every_other_are_searched_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crafted release: 10 modules that each import ``*`` from all the others (as many
    as the limit on entangled star imports lets through), and names imported from them
    that none defines."""
    stars = "".join(f"from .m{n} import *\n" for n in range(10))
    init = "".join(f"from .m0 import missing{n}\n" for n in range(40))
    tree: dict[str, str] = {f"demo/m{n}.py": stars for n in range(10)}
    tree["demo/__init__.py"] = init
    new = {**tree, "demo/__init__.py": init + "def f():\n    pass\n"}
    calls: list[str] = []
    search = api_load._star_imported

    def counted(module: Any, name: str, *rest: Any) -> Any:
        calls.append(name)
        return search(module, name, *rest)

    monkeypatch.setattr(api_load, "_star_imported", counted)
    found = rows(tmp_path, tree, new)
    assert found["demo.f"] == ("added", "function", None, "f()", False)
    assert len(calls) < 40 * 10 * 2 * 4  # each module once a name, a side (a few passes)


def _chain(length: int, names: int) -> dict[str, str]:
    """Modules that each import ``*`` from the one before, ``names`` functions each."""
    tree = {
        f"demo/m{i}.py": (f"from .m{i - 1} import *\n" if i else "")
        + "".join(f"def f{i}_{j}():\n    pass\n" for j in range(names))
        for i in range(length)
    }
    tree["demo/__init__.py"] = f"from .m{length - 1} import *\n"
    return tree


@pytest.mark.parametrize(
    ("tree", "reason"),
    [
        # griffe took a minute to expand 100 such modules, and grows with the cube.
        (_chain(60, 30), "star imports too entangled (cost "),
        # 160 modules that all import * from each other took it four minutes.
        (
            {
                **{
                    f"demo/m{i}.py": "".join(f"from .m{j} import *\n" for j in range(20))
                    for i in range(20)
                },
                "demo/__init__.py": "from .m0 import *\n",
            },
            "401 star imports (more than 300)",
        ),
    ],
    ids=["chain", "all-to-all"],
)
def test_entangled_star_imports_leave_the_package_out_with_a_note(
    tmp_path: Path, tree: dict[str, str], reason: str
) -> None:
    new = {**tree, "demo/__init__.py": tree["demo/__init__.py"] + "def added():\n    pass\n"}
    changes, notes = api_pair(tmp_path, tree, new)
    assert changes == ()
    prefix = f"demo: left out of the API: {reason}"
    assert [note.split(": ", 1)[1][: len(prefix)] for note in notes] == [prefix] * 2


def test_a_short_chain_of_star_imports_is_expanded(tmp_path: Path) -> None:
    tree = _chain(4, 30)
    new = {**tree, "demo/m0.py": tree["demo/m0.py"] + "def g():\n    pass\n"}
    assert rows(tmp_path, tree, new) == {
        # Re-exported by the package; the modules between import it, not offer it.
        "demo.g": ("added", "function", None, "g()", False),
        "demo.m0.g": ("added", "function", None, "g()", False),
    }


def test_dunder_all_built_from_submodules_lists(tmp_path: Path) -> None:
    def tree(extra: str) -> Tree:
        return {
            "demo/__init__.py": (
                "from .shapes import *\n"
                "from .shapes import __all__ as shapes_all\n"
                "from .colours import Red\n"
                "__all__ = shapes_all + ['Red']\n"
            ),
            "demo/shapes.py": f"__all__ = ['Circle'{extra}]\nclass Circle:\n    pass\nclass Square:\n    pass\n",
            "demo/colours.py": "class Red:\n    pass\nclass Blue:\n    pass\n",
        }

    found = rows(tmp_path, tree(""), tree(", 'Square'"))
    assert found == {
        "demo.Square": ("added", "class", None, "Square()", False),
        "demo.shapes.Square": ("added", "class", None, "Square()", False),
    }


def test_reexports_in_a_package_init_are_api_imports_elsewhere_are_not(tmp_path: Path) -> None:
    old = {
        "demo/__init__.py": "import os\nfrom typing import Any\nfrom .core import Client, connect\n",
        "demo/core.py": (
            "from os.path import join\nfrom .util import helper\n"
            "class Client:\n    def get(self):\n        pass\n"
            "def connect(a):\n    pass\n"
        ),
        "demo/util.py": "def helper():\n    pass\n",
    }
    new = {
        **old,
        "demo/__init__.py": "import os\nfrom typing import Any\nfrom .core import Client\n",
        "demo/core.py": (
            "from .util import helper\n"
            "class Client:\n    def get(self, path):\n        pass\n"
            "def connect(a):\n    pass\n"
        ),
    }
    # The members of Client show once, where it is defined; its re-export is the class itself.
    assert rows(tmp_path, old, new) == {
        "demo.connect": ("removed", "function", "connect(a)", None, True),
        "demo.core.Client.get": ("changed", "method", "get()", "get(path)", True),
    }


def test_members_of_a_class_reexported_from_a_private_module_show_under_the_public_name(
    tmp_path: Path,
) -> None:
    def tree(method: str) -> Tree:
        return {
            "demo/__init__.py": "from ._impl import Engine\n__all__ = ['Engine']\n",
            "demo/_impl.py": f"class Engine:\n    def {method}:\n        pass\n",
        }

    assert rows(tmp_path, tree("start(self)"), tree("start(self, fast)")) == {
        "demo.Engine.start": ("changed", "method", "start()", "start(fast)", True),
    }


def test_a_name_that_became_an_import_from_outside_is_not_compared_beyond_that(
    tmp_path: Path,
) -> None:
    """typing_extensions 4.11 -> 4.12 on Python 3.13: ``ParamSpec`` went from a class of
    its own to ``from typing import ParamSpec``, whose members are not known here, and
    ``AsyncContextManager = typing.AsyncContextManager`` became an import of the same."""
    exports = "__all__ = ['AsyncCM', 'Deque', 'ParamSpec', 'Spec']\n"
    old = exports + (
        "import collections, typing\n"
        "AsyncCM = typing.AsyncContextManager\n"
        "Deque = collections.deque\n"
        "class ParamSpec:\n    args = 1\n    def __init__(self, name): pass\n"
        "class Spec:\n    def run(self): pass\n"
    )
    new = exports + (
        "from typing import AsyncContextManager as AsyncCM, ParamSpec\n"
        "from collections import deque as Deque\n"
        "from other import Spec\n"
    )
    assert rows(tmp_path, module(old), module(new)) == {
        "demo.core.ParamSpec": (
            "changed",
            "attribute",
            "ParamSpec(name)",
            "from typing import ParamSpec",
            False,
        ),
        "demo.core.Spec": ("changed", "attribute", "Spec()", "from other import Spec", False),
    }
    changes, _notes = api_pair(tmp_path / "back", module(new), module(old))
    assert [(c.change, c.name, c.breaking, c.why) for c in changes] == [
        (
            "changed",
            f"demo.core.{name}",
            False,
            "before imported from outside the release: not compared",
        )
        for name in ("ParamSpec", "Spec")
    ]


def test_a_name_a_plain_module_now_imports_from_outside_is_not_removed(tmp_path: Path) -> None:
    """black 24.8 -> 24.10: ``Middleware = Callable[...]`` became ``from aiohttp.typedefs
    import Middleware``; ``blackd.middlewares.Middleware`` still imports."""
    old = "from typing import Callable\nMiddleware = Callable[[int], int]\n"
    new = "from aiohttp.typedefs import Middleware\n"
    assert rows(tmp_path, module(old), module(new)) == {
        "demo.core.Middleware": (
            "changed",
            "attribute",
            "Middleware = Callable[[int], int]",
            "from aiohttp.typedefs import Middleware",
            False,
        )
    }


def test_del_unbinds_a_name_in_a_module_or_class_body(tmp_path: Path) -> None:
    """``del connect`` after ``def connect`` leaves no ``connect``, as at run time."""
    old = (
        "def connect(host):\n    pass\nclass C:\n    def run(self): pass\n    def go(self): pass\n"
    )
    new = old.replace("    def go(self): pass\n", "    def go(self): pass\n    del run\n")
    new += "del connect\ndef later(): pass\ndel (later,)\n"
    assert rows(tmp_path, module(old), module(new)) == {
        "demo.core.C.run": ("removed", "method", "run()", None, True),
        "demo.core.connect": ("removed", "function", "connect(host)", None, True),
    }


def test_a_builtin_bound_to_its_own_name_is_outside_the_release(tmp_path: Path) -> None:
    """packaging 24.1 -> 24.2 (read for the newest Python): the fallback class
    ExceptionGroup became ``ExceptionGroup = ExceptionGroup``, Python's own."""
    old = "class ExceptionGroup(Exception):\n    exceptions = ()\n    def __init__(self, m): pass\n"
    new = "ExceptionGroup = ExceptionGroup\n"
    changes, _notes = api_pair(tmp_path, module(old), module(new))
    assert [(c.change, c.name, c.new, c.breaking, c.why) for c in changes] == [
        (
            "changed",
            "demo.core.ExceptionGroup",
            "ExceptionGroup = ExceptionGroup",
            False,
            "now imported from outside the release: not compared",
        )
    ]


def test_unresolvable_exported_names_are_listed_as_imports(tmp_path: Path) -> None:
    old = {"demo/__init__.py": "from external.lib import Thing\n__all__ = ['Thing']\n"}
    new = {"demo/__init__.py": "from external.other import Thing\n__all__ = ['Thing']\n"}
    assert rows(tmp_path, old, new) == {
        "demo.Thing": (
            "changed",
            "attribute",
            "from external.lib import Thing",
            "from external.other import Thing",
            False,
        ),
    }


def test_cyclic_reexports_do_not_crash(tmp_path: Path) -> None:
    tree: Tree = {
        "demo/__init__.py": "from .a import x\nfrom .b import y\n__all__ = ['x', 'y']\n",
        "demo/a.py": "from .b import x\n",
        "demo/b.py": "from .a import x\ny = 1\n",
    }
    changes, _notes = api_pair(tmp_path, tree, {**tree, "demo/b.py": "from .a import x\ny = 2\n"})
    assert [(c.name, c.old, c.new) for c in changes] == [
        ("demo.b.y", "y = 1", "y = 2"),
        ("demo.y", "y = 1", "y = 2"),
    ]


# --- which files are the package ---------------------------------------------------------


def test_src_layout_and_flat_layout_give_the_same_api(tmp_path: Path) -> None:
    package = {"demo/__init__.py": "def run(a):\n    pass\n"}
    flat = {**package, "setup.py": "def setup_stuff():\n    pass\n"}
    src = {f"src/{path}": source for path, source in package.items()}
    src["setup.py"] = "def other():\n    pass\n"
    assert rows(tmp_path, flat, src) == {}
    changed = {"src/demo/__init__.py": "def run(a, b):\n    pass\n", "conftest.py": ""}
    assert rows(tmp_path / "2", flat, changed) == {
        "demo.run": ("changed", "function", "run(a)", "run(a, b)", True),
    }


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_a_stub_only_package_types_the_module_it_is_named_for(tmp_path: Path, kind: str) -> None:
    """PEP 561: ``demo-stubs/`` (typeshed's ``types-*`` releases) holds ``demo``'s API.
    ``Incomplete``, typeshed's alias of ``Any``, is no change from ``Any``."""
    old = {
        "demo-stubs/__init__.pyi": "from typing import Any\n\nLIMIT: Any\n",
        "demo-stubs/client.pyi": "class Client:\n    def get(self, url): ...\n",
        "demo-stubs/METADATA.toml": 'version = "1.0"\n',
    }
    new = {
        "demo-stubs/__init__.pyi": "from _typeshed import Incomplete\n\nLIMIT: Incomplete\n",
        "demo-stubs/client.pyi": (
            "class Client:\n    def get(self, url: str, *, timeout: float) -> bytes: ...\n"
        ),
    }
    if kind == "sdist":
        old["demo_stubs.egg-info/top_level.txt"] = new["demo_stubs.egg-info/top_level.txt"] = (
            "demo-stubs\n"
        )
    assert rows(tmp_path, old, new, kind) == {
        "demo.client.Client.get": (
            "changed",
            "method",
            "get(url)",
            "get(url: str, *, timeout: float) -> bytes",
            True,
        ),
    }


def test_a_stub_stands_in_for_a_module_beside_it_that_only_imports(tmp_path: Path) -> None:
    """msgspec 0.18.6's ``json.py`` takes ``encode`` from the compiled ``_core``; its new
    ``order`` parameter shows in ``json.pyi`` only. A module with code of its own is read."""
    facade = '"""JSON."""\nfrom ._core import json_encode as encode\n__all__ = ["encode"]\n'
    own = "def run(a):\n    pass\n"
    old = {
        "demo/__init__.py": "",
        "demo/json.py": facade,
        "demo/json.pyi": "def encode(obj, *, hook=None) -> bytes: ...\n",
        "demo/tool.py": own,
        "demo/tool.pyi": "def run(a: int) -> None: ...\n",
        # scikit-image's packages take their names from their stubs through lazy_loader.
        "demo/lazy/__init__.py": (
            "import lazy_loader as lazy\n"
            "__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)\n"
        ),
        "demo/lazy/__init__.pyi": "__all__ = ['Thing']\nclass Thing:\n    pass\n",
    }
    new = {
        **old,
        "demo/json.pyi": "def encode(obj, *, hook=None, order=None) -> bytes: ...\n",
        "demo/tool.pyi": "def run(a: int, b: int) -> None: ...\n",
        "demo/lazy/__init__.pyi": "__all__ = ['Thing']\nclass Thing:\n    def go(self): ...\n",
    }
    assert rows(tmp_path, old, new, "wheel") == {
        "demo.lazy.Thing.go": ("added", "method", None, "go()", False),
        "demo.json.encode": (
            "changed",
            "function",
            "encode(obj, *, hook=None) -> bytes",
            "encode(obj, *, hook=None, order=None) -> bytes",
            False,
        ),
    }


def test_a_module_importing_from_sources_of_the_release_is_read_not_its_stub(
    tmp_path: Path,
) -> None:
    """attrs 24.1's ``attrs/__init__.py`` takes its names from the package ``attr``, in
    the release as source: its ``__all__`` and imports are the API (``attrs.Converter``
    is new), not what ``attrs/__init__.pyi`` says (it defined ``asdict`` itself in 23.2,
    with a ``tuple_keys`` the run-time function does not take)."""
    lib = {
        "attr/__init__.py": "from ._next import asdict\nfrom ._make import Factory\n",
        "attr/_next.py": "def asdict(inst, *, recurse=True):\n    pass\n",
        "attr/_make.py": "class Factory:\n    def __init__(self, f):\n        pass\n",
    }
    facade = "from attr import Factory{}\nfrom attr._next import asdict\n__all__ = [{}]\n"
    old = {
        **lib,
        "attrs/__init__.py": facade.format("", "'asdict', 'Factory'"),
        "attrs/__init__.pyi": "def asdict(inst, *, recurse=True, tuple_keys=False): ...\n",
    }
    new = {
        **lib,
        "attr/_make.py": lib["attr/_make.py"] + "class Converter:\n    pass\n",
        "attr/__init__.py": lib["attr/__init__.py"] + "from ._make import Converter\n",
        "attrs/__init__.py": facade.format(", Converter", "'asdict', 'Factory', 'Converter'"),
        "attrs/__init__.pyi": "from attr import asdict as asdict\n",
    }
    assert rows(tmp_path, old, new, "wheel") == {
        "attr.Converter": ("added", "class", None, "Converter()", False),
        "attrs.Converter": ("added", "class", None, "Converter()", False),
    }


def test_functions_written_as_overloads_only_are_their_signatures(tmp_path: Path) -> None:
    """Stubs write a function as ``@overload`` signatures with no implementation (attrs'
    ``define``, typeshed's ``LookupDict.get``): each is read, and a call one of the old
    signatures took that no new one takes breaks."""
    head = "from typing import overload\n"
    old = {
        "demo-stubs/__init__.pyi": head + "def define(x: int | None = ...) -> int: ...\n"
        "@overload\ndef pick(a: int) -> int: ...\n@overload\ndef pick(a: str) -> str: ...\n"
        "class L:\n    @overload\n    def get(self, key: str) -> int: ...\n"
        "    @overload\n    def get(self, key: str, default: int) -> int: ...\n"
        "mutable = define\n"
        "@overload\ndef take(a: int) -> None: ...\n@overload\ndef take(a: int, b: int) -> None: ...\n",
    }
    new = {
        "demo-stubs/__init__.pyi": head
        + "@overload\ndef define(x: int) -> int: ...\n@overload\ndef define(x: None = ...) -> int: ...\n"
        "@overload\ndef pick(a: int) -> int: ...\n@overload\ndef pick(a: bytes) -> bytes: ...\n"
        "class L:\n    pass\n"
        "mutable = define\n"
        "@overload\ndef take(a: int) -> None: ...\n@overload\ndef take(a: str) -> None: ...\n",
    }
    changes, _notes = api_pair(tmp_path, old, new, "wheel")
    assert [(c.change, c.name, c.kind, c.old, c.new, c.breaking, c.why) for c in changes] == [
        (
            "removed",
            "demo.L.get",
            "method",
            "get(key: str) -> int; get(key: str, default: int) -> int",
            None,
            True,
            None,
        ),
        (
            "changed",
            "demo.define",
            "function",
            "define(x: int | None = ...) -> int",
            "define(x: int) -> int; define(x: None = ...) -> int",
            False,
            None,
        ),
        (
            "changed",
            "demo.mutable",
            "function",
            "mutable(x: int | None = ...) -> int",
            "mutable(x: int) -> int; mutable(x: None = ...) -> int",
            False,
            None,
        ),
        (
            "changed",
            "demo.pick",
            "function",
            "pick(a: int) -> int; pick(a: str) -> str",
            "pick(a: int) -> int; pick(a: bytes) -> bytes",
            False,
            None,
        ),
        (
            "changed",
            "demo.take",
            "function",
            "take(a: int) -> None; take(a: int, b: int) -> None",
            "take(a: int) -> None; take(a: str) -> None",
            True,
            "no new signature takes what an old one took",
        ),
    ]


def test_a_test_suite_package_and_docs_sources_are_not_api(tmp_path: Path) -> None:
    """python-dateutil's ``dateutil/test/`` (test_*.py modules) and typer's ``docs_src/``
    are not API; django's ``django/test/`` (client, utils) is."""
    old = {
        "demo/__init__.py": "",
        "other/__init__.py": "",
        "other/test/__init__.py": "",
        "other/test/client.py": "class Client:\n    pass\n",
        "other/test/utils.py": "def override():\n    pass\n",
    }
    new = {
        **old,
        "demo/test/__init__.py": "",
        "demo/test/_common.py": "class Helper:\n    pass\n",
        "demo/test/test_parser.py": "def test_it():\n    pass\n",
        "demo/test/test_tz.py": "def test_tz():\n    pass\n",
        "other/test/client.py": "class Client:\n    def get(self):\n        pass\n",
        "docs_src/__init__.py": "",
        "docs_src/tutorial001.py": "def main():\n    pass\n",
    }
    assert sorted(rows(tmp_path, old, new, "wheel")) == ["other.test.client.Client.get"]


def test_a_package_kept_in_a_plain_folder_is_named_without_it(tmp_path: Path) -> None:
    """SQLAlchemy's sdist keeps ``lib/sqlalchemy`` (setuptools' ``package-dir``)."""
    flat = {"demo/__init__.py": "def run(a):\n    pass\n", "tools/__init__.py": ""}
    lib = {
        "lib/demo/__init__.py": "def run(a, b):\n    pass\n",
        "lib/demo/core.py": "class Engine:\n    pass\n",
        "tools/__init__.py": "",
    }
    assert rows(tmp_path, flat, lib) == {
        "demo.core": ("added", "module", None, "demo.core", False),
        "demo.run": ("changed", "function", "run(a)", "run(a, b)", True),
    }
    # A top-level package of the project's name wins over a folder that holds another.
    both = {**lib, "demo/__init__.py": "def run(a):\n    pass\n"}
    assert "demo.run" not in rows(tmp_path / "2", flat, both)


def test_wildcards_from_modules_left_out_lead_nowhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLAlchemy's ``testing/suite/__init__.py`` imports ``*`` from twenty ``test_*``
    modules, which are not API: each lookup put them all in front of the path again."""
    suite = "".join(f"from .test_{n} import *\n" for n in range(20))
    tree = {f"demo/suite/test_{n}.py": f"def check_{n}():\n    pass\n" for n in range(20)}
    old = {**tree, "demo/__init__.py": "", "demo/suite/__init__.py": suite}
    new = {**old, "demo/suite/__init__.py": suite + "def extra():\n    pass\n"}
    lookups: list[str] = []
    lookup = api_load._Reader._lookup

    def counted(reader: api_load._Reader, path: str, *rest: Any) -> Any:
        lookups.append(path)
        return lookup(reader, path, *rest)

    monkeypatch.setattr(api_load._Reader, "_lookup", counted)
    assert rows(tmp_path, old, new) == {
        "demo.suite.extra": ("added", "function", None, "extra()", False),
    }
    assert len(lookups) < 200


def test_crafted_bases_that_multiply_lookups_stop_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_load, "MAX_LOOKUPS", 500)
    crafted = "class C(C.a, C.b, C.c):\n    pass\n"
    old = module(crafted + "def f(a):\n    pass\n")
    new = module(crafted + "def f(a, b):\n    pass\n")
    changes, notes = api_pair(tmp_path, old, new)
    assert [(c.name, c.breaking) for c in changes] == [("demo.core.f", True)]
    assert any("names not fully followed (over 500 lookups)" in note for note in notes)


def test_tests_docs_and_tooling_are_not_api(tmp_path: Path) -> None:
    old: Tree = {"demo/__init__.py": ""}
    new: Tree = {
        "demo/__init__.py": "",
        "demo/tests/__init__.py": "",
        "demo/tests/test_core.py": "def test_x():\n    pass\n",
        "demo/test_inline.py": "def test_y():\n    pass\n",
        "demo/conftest.py": "def fixture():\n    pass\n",
        "demo/templates/page.py": "def not_a_module():\n    pass\n",
        "tests/__init__.py": "",
        "tests/test_all.py": "def test_z():\n    pass\n",
        "test/__init__.py": "",
        "docs/conf.py": "project = 'x'\n",
        "examples/__init__.py": "def example():\n    pass\n",
        "benchmarks/__init__.py": "",
        "setup.py": "",
        "noxfile.py": "def session():\n    pass\n",
        "conftest.py": "",
        "demo/testing.py": "def helper():\n    pass\n",
        "demo-1.0.data/x.py": "",
    }
    # demo.testing is a module of the package (like django.test): only tests folders go.
    assert rows(tmp_path, old, new) == {
        "demo.testing": ("added", "module", None, "demo.testing", False),
    }


def test_wheel_packages_single_modules_and_namespace_packages(tmp_path: Path) -> None:
    old: Tree = {
        "demo/__init__.py": "def run():\n    pass\n",
        "single.py": "X = 1\n",
        "nspace/plugin/__init__.py": "def hook():\n    pass\n",
    }
    new: Tree = {
        "demo/__init__.py": "def run(fast=False):\n    pass\n",
        "single.py": "X = 2\n",
        "nspace/plugin/__init__.py": "def hook(a):\n    pass\n",
        "demo-1.1.data/purelib/extra_mod.py": "def extra():\n    pass\n",
        "demo-1.1.data/scripts/tool.py": "def main():\n    pass\n",
    }
    assert rows(tmp_path, old, new, kind="wheel") == {
        "demo.run": ("changed", "function", "run()", "run(fast=False)", False),
        "single.X": ("changed", "attribute", "X = 1", "X = 2", False),
        "nspace.plugin.hook": ("changed", "function", "hook()", "hook(a)", True),
        "extra_mod": ("added", "module", None, "extra_mod", False),
    }


def test_a_stub_gives_the_api_of_a_module_with_no_source(tmp_path: Path) -> None:
    old: Tree = {"demo/__init__.py": "", "demo/fast.pyi": "def crunch(data: bytes) -> int: ...\n"}
    new: Tree = {
        "demo/__init__.py": "",
        "demo/fast.pyi": "def crunch(data: bytes, level: int) -> int: ...\n",
        "demo/core.py": "def run():\n    pass\n",
        "demo/core.pyi": "def run() -> None: ...\ndef only_in_stub() -> None: ...\n",
    }
    assert rows(tmp_path, old, new) == {
        "demo.fast.crunch": (
            "changed",
            "function",
            "crunch(data: bytes) -> int",
            "crunch(data: bytes, level: int) -> int",
            True,
        ),
        "demo.core": ("added", "module", None, "demo.core", False),
    }


# --- what cannot be read ---------------------------------------------------------------


def test_a_module_that_does_not_parse_is_noted_not_reported_as_removed(tmp_path: Path) -> None:
    old = {
        "demo/__init__.py": "",
        "demo/core.py": "def f(a):\n    pass\n",
        "demo/broken.py": "def g(a):\n    pass\n",
    }
    new = {
        "demo/__init__.py": "",
        "demo/core.py": "def f(a, b):\n    pass\n",
        "demo/broken.py": "def g(a:\n    pass\n",
    }
    changes, notes = api_pair(tmp_path, old, new)
    assert [(c.name, c.breaking) for c in changes] == [("demo.core.f", True)]
    assert len(notes) == 1
    assert notes[0].startswith("demo-1.1.tar.gz: demo/broken.py does not parse: ")
    assert "(line 1)" in notes[0]


def test_a_package_init_that_does_not_parse_hides_the_package_on_both_sides(
    tmp_path: Path,
) -> None:
    old = {"demo/__init__.py": "", "demo/sub/__init__.py": "", "demo/sub/a.py": "X = 1\n"}
    new = {**old, "demo/sub/__init__.py": "def (\n", "demo/sub/a.py": "X = 2\n"}
    changes, notes = api_pair(tmp_path, old, new)
    assert changes == ()
    assert [note.split(" does not parse")[0] for note in notes] == [
        "demo-1.1.tar.gz: demo/sub/__init__.py"
    ]


def test_odd_sources_are_notes_never_errors(tmp_path: Path) -> None:
    old: Tree = {"demo/__init__.py": "", "demo/nul.py": "X = 1\n", "demo/latin.py": "NAME = ''\n"}
    new: Tree = {
        "demo/__init__.py": "",
        "demo/nul.py": b"X = 1\x00\n",
        "demo/latin.py": "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\n".encode("latin-1"),
        "demo/badcode.py": b"# coding: no-such-codec\nX = 1\n",
        "demo/deep.py": "X = " + "(" * 300 + "1" + ")" * 300 + "\n",
    }
    changes, notes = api_pair(tmp_path, old, new)
    assert [(c.name, c.new) for c in changes] == [("demo.latin.NAME", "NAME = 'café'")]
    assert sorted(note.split(": ")[1] for note in notes) == [
        "demo/badcode.py cannot be decoded",
        "demo/deep.py does not parse",
        "demo/nul.py does not parse",
    ]


def test_a_module_over_the_size_limit_is_skipped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_modules, "MAX_MODULE_BYTES", 100)
    old = module("def f(a):\n    pass\n")
    new = module("def f(a, b):\n    pass\n" + "# padding\n" * 20)
    changes, notes = api_pair(tmp_path, old, new)
    assert changes == ()
    assert notes == ("demo-1.1.tar.gz: demo/core.py is over 100 bytes: not read for the API",)


def test_long_values_are_compared_and_kept_whole(tmp_path: Path) -> None:
    # The change is past where a reader's formats cut the text: it counts, and JSON has it all.
    old_table = "TABLE = [" + ", ".join(str(i) for i in range(500)) + "]"
    new_table = "TABLE = [" + ", ".join(str(i) for i in range(501)) + "]"
    changes, _notes = api_pair(tmp_path, module(old_table + "\n"), module(new_table + "\n"))
    assert [(c.name, c.old, c.new) for c in changes] == [("demo.core.TABLE", old_table, new_table)]


def test_long_texts_are_shown_cut_where_they_differ() -> None:
    old = "a" * 400
    new = "a" * 350 + "b" + "a" * 49
    shown_old, shown_new = "a" * 100 + "…" + "a" * 90, "a" * 100 + "…" + "a" * 40 + "b" + "a" * 49
    assert shown_pair(old, new) == (shown_old, shown_new)
    longer = "a" * 350 + "b" + "a" * 400
    assert shown_pair(old, longer)[1] == "a" * 100 + "…" + "a" * 40 + "b" + "a" * 157 + "…"
    assert shown_pair(old, "a" * 300) == ("a" * 100 + "…" + "a" * 140, "a" * 300)


def test_long_texts_that_differ_early_are_cut_at_the_end() -> None:
    old, new = "x" + "a" * 400, "y" + "a" * 400
    assert shown_pair(old, new) == ("x" + "a" * 298 + "…", "y" + "a" * 298 + "…")
    assert shown_pair(None, new) == (None, "y" + "a" * 298 + "…")
    assert shown_pair("short", "shorter") == ("short", "shorter")


def test_every_format_shows_where_long_signatures_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """rich 13.8's Column gained a field past the 300th character: the two lines looked alike."""
    fields = ", ".join(f"option_{i}=None" for i in range(40))
    old = module(f"def build({fields}):\n    pass\n")
    new = module(f"def build({fields}, extra=None):\n    pass\n")
    old_path, new_path = (
        make_sdist(tmp_path, "demo", "1.0", old),
        make_sdist(tmp_path, "demo", "1.1", new),
    )
    whole_old, whole_new = f"build({fields})", f"build({fields}, extra=None)"
    # The start, then from 40 characters before the first difference (the old ")"), each
    # piece cut between words: no "opti…" or "…_37=None".
    shown = (
        "build(option_0=None, option_1=None, option_2=None, option_3=None, option_4=None, "
        "option_5=None, …option_37=None, option_38=None, option_39=None"
    )
    shown_old, shown_new = f"{shown})", f"{shown}, extra=None)"
    assert len(whole_old) > 400
    for fmt in ("text", "markdown", "rst"):
        assert main([str(old_path), str(new_path), "--show", "api", "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert shown_old in out, fmt
        assert shown_new in out, fmt
    # HTML, LaTeX and the other Sphinx builders write the report's rows.
    settings = Settings(show=("api",))
    comparison = compare(read_archive(old_path), read_archive(new_path), settings.compare_options)
    (section,) = build_report(comparison, settings, "p").sections
    assert isinstance(section, ApiSection)
    assert [(row.old, row.new) for row in section.rows] == [(shown_old, shown_new)]
    assert main([str(old_path), str(new_path), "--format", "json"]) == 1
    (row,) = json.loads(capsys.readouterr().out)["api"]
    assert (row["old"], row["new"]) == (whole_old, whole_new)


def test_no_python_at_all_is_said(tmp_path: Path) -> None:
    changes, notes = api_pair(tmp_path, {"data.txt": "a"}, {"data.txt": "b"})
    assert changes == ()
    assert notes == ("no Python modules found in either archive",)


def test_the_package_is_never_imported(tmp_path: Path) -> None:
    trap = "raise SystemExit('imported!')\ndef f():\n    pass\n"
    tree = {"trapdemo/__init__.py": trap, "trapdemo/sub.py": trap}
    assert rows(tmp_path, tree, {**tree, "trapdemo/sub.py": trap + "def g():\n    pass\n"}) == {
        "trapdemo.sub.g": ("added", "function", None, "g()", False),
    }
    assert "trapdemo" not in sys.modules


# --- counts, and the comparison ----------------------------------------------------------


def test_counts_and_summary_phrase() -> None:
    changes = [
        ApiChange("added", "a", "function", None, "a()", breaking=False),
        ApiChange("added", "b", "function", None, "b()", breaking=False),
        ApiChange("removed", "c", "function", "c()", None, breaking=True),
        ApiChange("changed", "d", "function", "d()", "d(x)", breaking=True),
    ]
    assert api_counts(changes) == {"added": 2, "removed": 1, "changed": 1, "breaking": 2}
    assert api_summary(changes) == "2 added, 1 removed, 1 changed (2 breaking)"
    assert api_summary(changes[:2]) == "2 added"
    assert api_summary([]) == ""


def test_compare_carries_the_api_and_can_skip_it(tmp_path: Path) -> None:
    for folder in ("o", "n"):
        (tmp_path / folder).mkdir()
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", module("def f():\n    pass\n")))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", module("def f(x):\n    pass\n")))
    comparison = compare(old, new)
    assert comparison.api == (
        ApiChange("changed", "demo.core.f", "function", "f()", "f(x)", True, "new required: x"),
    )
    assert comparison.api_notes == ()
    skipped = compare(old, new, CompareOptions(api=False))
    assert skipped.api is None


# --- a real-world package: the standard library's json, as two sdists --------------------


def test_real_world_sdist_pair_built_from_the_standard_library(tmp_path: Path) -> None:
    source = Path(json.__file__).parent
    tree: dict[str, str] = {
        f"jsonpkg/{path.relative_to(source).as_posix()}": path.read_text(encoding="utf-8")
        for path in sorted(source.rglob("*.py"))
    }
    tree = {path: text.replace("from json", "from jsonpkg") for path, text in tree.items()}
    edited = dict(tree)
    init = edited["jsonpkg/__init__.py"]
    edited["jsonpkg/__init__.py"] = init.replace(
        "def dumps(obj, *, skipkeys=False,", "def dumps(obj, *, skip_keys=False,"
    ).replace("def load(fp, *,", "def load(fp, encoding, *,")
    assert edited["jsonpkg/__init__.py"] != init
    decoder = edited["jsonpkg/decoder.py"]
    edited["jsonpkg/decoder.py"] = decoder.replace(
        "    def raw_decode(self, s, idx=0):", "    def raw_decode(self, s, idx=0, strict=None):"
    ).replace("def py_scanstring(s, end, strict=True,", "def py_scanstring(s, end, strictly=True,")
    del edited["jsonpkg/tool.py"]
    found = rows(tmp_path, tree, edited)
    assert set(found) == {
        "jsonpkg.dumps",
        "jsonpkg.load",
        "jsonpkg.decoder.JSONDecoder.raw_decode",
        "jsonpkg.tool",
    }
    assert found["jsonpkg.tool"] == ("removed", "module", "jsonpkg.tool", None, True)
    # dumps takes **kw: a renamed keyword-only parameter still goes somewhere.
    assert found["jsonpkg.dumps"][0::4] == ("changed", False)
    assert found["jsonpkg.load"][0::4] == ("changed", True)
    # py_scanstring changed too, but decoder's __all__ does not list it.
    assert found["jsonpkg.load"][3] is not None
    assert found["jsonpkg.load"][3].startswith("load(fp, encoding, *, cls=None")
    assert found["jsonpkg.decoder.JSONDecoder.raw_decode"] == (
        "changed",
        "method",
        "raw_decode(s, idx=0)",
        "raw_decode(s, idx=0, strict=None)",
        False,
    )
    # The re-exported classes are API where __all__ lists them.
    unchanged = rows(tmp_path / "same", tree, tree)
    assert unchanged == {}


def test_typing_imported_under_any_name_is_typing(tmp_path: Path) -> None:
    """itsdangerous 2.2 dropped ``import typing as _t`` (and its private aliases built
    with it, ``_t_opt_any = _t.Optional[_t.Any]``) for plain spellings: 62 entries that
    were no change."""
    old = module(
        "import typing as _t\n_t_opt_any = _t.Optional[_t.Any]\n"
        "def want(s: _t.Optional[_t.Union[str, bytes]] = None) -> _t.List[str]:\n    pass\n"
        "class Bad:\n    def __init__(self, message: str, payload: _t_opt_any = None):\n"
        "        pass\n"
    )
    new = module(
        "import typing as t\n"
        "def want(s: str | bytes | None = None) -> list[str]:\n    pass\n"
        "class Bad:\n    def __init__(self, message: str, payload: t.Any | None = None):\n"
        "        pass\n"
    )
    assert rows(tmp_path, old, new) == {}


def test_the_same_types_spelled_anew_are_no_change(tmp_path: Path) -> None:
    old = module(
        "import typing\nfrom typing import Dict, List, Optional, Union\n"
        "def f(a: Optional[List[str]], b: Union[int, str] = 0) -> Dict[str, typing.Tuple[int]]:\n"
        "    pass\n"
        "class C:\n    x: typing.Optional[int]\n    y: Optional[int]\n"
        "def g() -> typing.Generator[bytes, None, None]:\n    pass\n"
        "def h() -> typing.Generator[bytes, int, None]:\n    pass\n"
    )
    new = module(
        "def f(a: list[str] | None, b: int | str = 0) -> dict[str, tuple[int]]:\n    pass\n"
        "class C:\n    x: int | None\n    y: str | None\n"
        "def g() -> Generator[bytes]:\n    pass\n"  # PEP 696's defaults (urllib3 2.3.0)
        "def h() -> Generator[bytes, None]:\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.C.y": ("changed", "attribute", "y: Optional[int]", "y: str | None", False),
        "demo.core.h": (
            "changed",
            "function",
            "h() -> typing.Generator[bytes, int, None]",
            "h() -> Generator[bytes, None]",
            False,
        ),
    }


def test_a_failure_while_describing_leaves_that_package_out_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = api_load._describe

    def fragile(obj: object, name: str, mro: object) -> object:
        if name == "boom":
            raise ValueError("odd expression")
        return real(obj, name, mro)  # type: ignore[arg-type]

    monkeypatch.setattr(api_load, "_describe", fragile)
    old = {"demo/__init__.py": "def boom():\n    pass\n", "other.py": "def f():\n    pass\n"}
    new = {"demo/__init__.py": "def boom(x):\n    pass\n", "other.py": "def f(x):\n    pass\n"}
    changes, notes = api_pair(tmp_path, old, new)
    assert [change.name for change in changes] == ["other.f"]
    assert notes == (
        "demo-1.0.tar.gz: demo: left out of the API: ValueError: odd expression",
        "demo-1.1.tar.gz: demo: left out of the API: ValueError: odd expression",
    )


def test_many_unreadable_modules_give_a_bounded_number_of_notes(tmp_path: Path) -> None:
    python2 = "print 'hello'\n"
    old: Tree = {"demo/__init__.py": "", **{f"demo/m{i:02}.py": python2 for i in range(25)}}
    changes, notes = api_pair(tmp_path, old, old, incremental=False)
    assert changes == ()
    assert len(notes) == 2 * (api_module.MAX_NOTES + 1)
    assert notes[0].startswith("demo-1.0.tar.gz: demo/m00.py does not parse: ")
    assert notes[api_module.MAX_NOTES] == "demo-1.0.tar.gz: 15 more files not read for the API"
    assert notes[-1] == "demo-1.1.tar.gz: 15 more files not read for the API"


def test_odd_dunder_all_and_deep_trees_do_not_crash(tmp_path: Path) -> None:
    deep = "/".join(f"d{i}" for i in range(60))
    tree: Tree = {
        "demo/__init__.py": "__all__ = 5\ndef f():\n    pass\n",
        "demo/two.py": "__all__ = [name() for name in x] + list(y)\ndef g():\n    pass\n",
        "demo/three.py": "__all__ = ('h',)\n__all__ += other.__all__\ndef h():\n    pass\n",
        **{f"{deep[: 3 * depth]}/__init__.py": "" for depth in range(1, 61)},
    }
    changed = {**tree, "demo/three.py": "__all__ = ('h',)\ndef h(x):\n    pass\n"}
    found = rows(tmp_path, tree, changed)
    assert found == {"demo.three.h": ("changed", "function", "h()", "h(x)", True)}


def test_over_the_module_budget_the_rest_is_left_out_on_both_sides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api_modules, "MAX_MODULES", 3)
    old: Tree = {"demo/__init__.py": "", **{f"demo/m{i}.py": "X = 1\n" for i in range(5)}}
    new: Tree = {"demo/__init__.py": "", **{f"demo/m{i}.py": "X = 2\n" for i in range(5)}}
    changes, notes = api_pair(tmp_path, old, new)
    assert [change.name for change in changes] == ["demo.m0.X", "demo.m1.X"]
    assert notes == (
        "demo-1.0.tar.gz: 3 of 6 modules not read for the API"
        " (over 3 modules or 134,217,728 bytes)",
        "demo-1.1.tar.gz: 3 of 6 modules not read for the API"
        " (over 3 modules or 134,217,728 bytes)",
    )


def test_an_in_tree_build_backend_is_not_api(tmp_path: Path) -> None:
    """PyYAML 6.0.2's sdist: ``backend-path = ["packaging"]`` holds build code, not a package."""
    pyproject = (
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "_backend"\n'
        'backend-path = ["packaging/"]\n'
    )
    old: Tree = {"demo/__init__.py": "def f(): ...\n"}
    new: Tree = {
        **old,
        "pyproject.toml": pyproject,
        "packaging/_backend.py": "def build_sdist(d): ...\n",
        "packaging/helpers.py": "def public(): ...\n",
        "demo/extra.py": "def g(): ...\n",
    }
    assert sorted(rows(tmp_path, old, new)) == ["demo.extra"]


def test_a_method_replaced_by_a_name_for_an_equal_function_is_no_change(tmp_path: Path) -> None:
    old = module(
        "def concat(self, compiler, connection, **extra):\n    pass\n"
        "class Old(Exception):\n    pass\n"
        "class Pair:\n"
        "    def as_sqlite(self, compiler, connection, **extra):\n        pass\n"
        "    def run(self, a):\n        pass\n"
        "    go = run\n"
        "Warning = Old\n"
    )
    new = module(
        "def concat(self, compiler, connection, **extra):\n    pass\n"
        "class Old(Exception):\n    pass\n"
        "class Pair:\n"
        "    as_sqlite = concat\n"
        "    def run(self, a, b):\n        pass\n"
        "    go = run\n"
        "class Warning(Exception):\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Pair.run": ("changed", "method", "run(a)", "run(a, b)", True),
        "demo.core.Pair.go": ("changed", "method", "go(a)", "go(a, b)", True),
    }


def test_args_inserted_before_keywords_makes_them_keyword_only_which_breaks(
    tmp_path: Path,
) -> None:
    old = module(
        "class Model:\n    def save(self, force_insert=False, using=None):\n        pass\n"
    )
    new = module(
        "class Model:\n    def save(self, *args, force_insert=False, using=None):\n        pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Model.save": (
            "changed",
            "method",
            "save(force_insert=False, using=None)",
            "save(*args, force_insert=False, using=None)",
            True,
        )
    }


def test_a_breaking_change_says_how_it_breaks(tmp_path: Path) -> None:
    def p(name: str, kind: str = "positional or keyword", default: str | None = None) -> Param:
        return Param(name, kind, default)

    args, kwargs = p("args", "variadic positional"), p("kw", "variadic keyword")
    old = (p("a"), p("b", default="1"), p("c", default="2"), args, kwargs)
    assert api_module.breaking_reason(old, old) is None
    assert api_module.breaking_reason(old, (p("a"), p("b"), p("c", default="2"), kwargs)) == (
        "default removed: b; removed: *args"
    )
    assert (
        api_module.breaking_reason(
            (p("x", default="F"), p("y", default="None")),
            (args, p("x", "keyword-only", "F"), p("y", "keyword-only", "None")),
        )
        == "became keyword-only: x, y"
    )
    assert api_module.breaking_reason((p("a"), p("b")), (p("b"), p("a"), p("z"))) == (
        "moved: a, b; new required: z"
    )
    changes, _notes = api_pair(
        tmp_path,
        module("class Model:\n    def save(self, force_insert=False):\n        pass\n"),
        module("class Model:\n    save = 3\n"),
    )
    assert [(c.name, c.breaking, c.why) for c in changes] == [
        ("demo.core.Model.save", True, "was a method, now an attribute")
    ]


def test_instance_attributes_set_by_unpacking_are_attributes(tmp_path: Path) -> None:
    """Django 5.1's ``self._regex, self.converters = ...`` read as ``converters`` removed."""
    before = "class Route:\n    def __init__(self, r):\n        self.converters = f(r)\n"
    after = (
        "class Route:\n    def __init__(self, r):\n"
        "        self._regex, self.converters = f(r)\n"
        "        (self.strict, self.name) = (True, r)\n"
        "        left, right = self.converters, self.other\n"
    )
    found = rows(tmp_path, module(before), module(after))
    assert found == {
        "demo.core.Route.name": ("added", "attribute", None, "name", False),
        "demo.core.Route.strict": ("added", "attribute", None, "strict", False),
    }


def test_an_sdist_helper_folder_beside_the_package_is_not_api(tmp_path: Path) -> None:
    """Sphinx's sdist ships utils/ (release scripts) beside sphinx/: not installed."""
    old = {**module("def f(): pass\n"), "utils/__init__.py": "", "utils/bump.py": "X = 1\n"}
    new = {**module("def f(): pass\n"), "utils/__init__.py": "", "utils/bump.py": "Y = 1\n"}
    assert rows(tmp_path, old, new) == {}


def test_top_level_txt_says_which_packages_an_sdist_installs(tmp_path: Path) -> None:
    listed = {"demo.egg-info/top_level.txt": "demo\nextra\n"}
    old = {**module(""), **listed, "extra/__init__.py": "", "other/__init__.py": ""}
    new = {**old, "extra/__init__.py": "def e(): pass\n", "other/__init__.py": "def o(): pass\n"}
    assert set(rows(tmp_path, old, new)) == {"extra.e"}


def test_removing_an_underscored_keyword_only_option_is_not_breaking(tmp_path: Path) -> None:
    """Sphinx 8.0 dropped copyfile's ``*, __overwrite_warning__=True``: private to Sphinx."""
    before = "def copy(src, dest, *, force=False, __overwrite_warning__=True):\n    pass\n"
    after = "def copy(src, dest, *, force=False):\n    pass\n"
    found = rows(tmp_path, module(before), module(after))
    assert found["demo.core.copy"][0] == "changed"
    assert found["demo.core.copy"][4] is False
    without_force = "def copy(src, dest):\n    pass\n"
    assert rows(tmp_path / "2", module(before), module(without_force))["demo.core.copy"][4]


def test_a_bare_annotation_binds_nothing_in_a_module_but_declares_in_a_stub(
    tmp_path: Path,
) -> None:
    """anyio 4.4 annotated its loop's variables (``key: str``, ``value: Any``) at module
    level; 4.6 dropped them: no names removed. A stub's ``LIMIT: int`` is its attribute;
    a module's annotation still reads on the assignment that follows it."""
    loop = "for key, value in list(locals().items()):\n    pass\n"
    old = {
        "demo/__init__.py": "from typing import Any\nkey: str\nvalue: Any\n" + loop,
        "demo/later.py": "TIMEOUT: float\nTIMEOUT = 1.5\n",
        "demo/fast.pyi": "LIMIT: int\n",
    }
    new = {
        "demo/__init__.py": loop,
        "demo/later.py": "TIMEOUT: float = 1.5\n",
        "demo/fast.pyi": "",
    }
    assert rows(tmp_path, old, new) == {
        "demo.fast.LIMIT": ("removed", "attribute", "LIMIT: int", None, True)
    }


def test_names_under_type_checking_are_not_api(tmp_path: Path) -> None:
    """Sphinx 7.4.7 imported NoneType under ``if TYPE_CHECKING:`` only: no such name at run time."""
    before = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    NoneType = type(None)\n"
        "__all__ = ['NoneType', 'f']\ndef f(): pass\n"
    )
    after = "__all__ = ['f']\ndef f(): pass\n"
    assert rows(tmp_path, module(before), module(after)) == {}


@pytest.mark.parametrize(
    ("base", "method", "expected"),
    [
        # argparse's has it: still there.
        ("argparse.ArgumentParser", "format_help", (False, "argparse.ArgumentParser")),
        ("Exception", "to_dict", (True, None)),  # the standard library's has none
        ("thirdparty.Base", "run", (False, "thirdparty.Base")),  # not known: may be there
        ("demo.core.Local", "run", (True, None)),  # the release's own: read
    ],
)
def test_a_method_override_removed_from_a_class_with_a_base_from_outside(
    tmp_path: Path, base: str, method: str, expected: tuple[bool, str | None]
) -> None:
    """setuptools 70's ``build`` dropped ``get_sub_commands``: distutils' base has it."""
    head = f"import argparse, thirdparty\nclass Local:\n    pass\nclass Sub({base}):\n"
    before = head + f"    def {method}(self):\n        pass\n"
    after = head + "    pass\n"
    changes, _notes = api_pair(tmp_path, module(before), module(after))
    [change] = [c for c in changes if c.name == f"demo.core.Sub.{method}"]
    breaking, inherited_from = expected
    assert (change.change, change.breaking) == ("removed", breaking)
    if inherited_from is None:
        assert change.why is None
    else:
        assert change.why == f"may still be inherited from {inherited_from}, outside the release"


def test_a_command_line_commands_parameters_do_not_break_callers(tmp_path: Path) -> None:
    """celery 5.4 renamed the ``action`` argument of ``@click.command() def control`` to
    ``command``: the command line is unchanged, and nobody calls it with ``action=``."""
    code = "import click\n@click.command()\n@click.argument('{0}')\ndef control({0}):\n    pass\n"
    found = rows(tmp_path, module(code.format("action")), module(code.format("command")))
    assert found == {
        "demo.core.control": ("changed", "function", "control(action)", "control(command)", False)
    }
    changes, _notes = api_pair(
        tmp_path / "why", module(code.format("action")), module(code.format("command"))
    )
    assert changes[0].why == "a command-line command: its parameters are options and arguments"


def test_the_init_attrs_and_named_tuple_write_from_fields(tmp_path: Path) -> None:
    """cattrs 23.2's ``@define class MultiStrategyDispatch`` took ``fallback_factory``
    (its ``_fallback_factory`` field): a required field added breaks callers."""
    before = (
        "import attr, attrs\nfrom typing import NamedTuple, ClassVar\n"
        "@attrs.define\nclass Point:\n    x: int\n    _y: int = 0\n    kind: ClassVar[str] = 'p'\n"
        "    def move(self):\n        self.moved: bool = True\n"
        "@attr.s\nclass Old:\n    a = attr.ib()\n    b = attr.ib(default=1)\n    c = attr.ib(init=False)\n"
        "@attrs.frozen(kw_only=True)\nclass Options:\n    name: str\n"
        "class Pair(NamedTuple):\n    left: int\n    right: int = 0\n"
    )
    after = before.replace(
        "    _y: int = 0\n", "    _y: int = 0\n    z: int = attrs.field()\n"
    ).replace("    right: int = 0\n", "    right: int\n")
    found = rows(tmp_path, module(before), module(after))
    assert found["demo.core.Point"] == (
        "changed",
        "class",
        "Point(x: int, y: int = 0)",
        "Point(x: int, y: int = 0, z: int)",
        True,
    )
    assert found["demo.core.Pair"] == (
        "changed",
        "class",
        "Pair(left: int, right: int = 0)",
        "Pair(left: int, right: int)",
        True,
    )
    described, _notes = api_pair(tmp_path / "same", module(before), module(before))
    assert described == ()
    assert "demo.core.Old" not in found
    assert "demo.core.Options" not in found


def test_names_a_new_all_leaves_out_are_removed_alike_and_say_so(tmp_path: Path) -> None:
    """cattrs 24.1 gave cattrs.gen an ``__all__``: what it left out, defined there or
    imported from a private module, is no longer public, all alike."""
    lc = {"demo/sub/_lc.py": "def helper(a, b=1):\n    pass\n"}
    body = "from ._lc import helper\ndef override(x):\n    pass\ndef keep(x):\n    pass\n"
    old = {"demo/__init__.py": "", "demo/sub/__init__.py": body, **lc}
    new = {**old, "demo/sub/__init__.py": "__all__ = ['keep']\n" + body}
    new["demo/sub/_lc.py"] = "def helper(a, b=1, c=2):\n    pass\n"
    changes, _notes = api_pair(tmp_path, old, new)
    why = "no longer in the module's __all__, though the module still binds it"
    assert [(c.change, c.name, c.breaking, c.why) for c in changes] == [
        ("removed", "demo.sub.helper", True, why),
        ("removed", "demo.sub.override", True, why),
    ]


def test_a_name_all_lists_is_api_under_type_checking_where_the_module_binds_more(
    tmp_path: Path,
) -> None:
    """pkg_resources 70 moved ``working_set = None`` and its kin under ``if TYPE_CHECKING:``
    and sets them with ``globals().update``; websockets 13 binds its ``__all__`` at run
    time through a module ``__getattr__``: neither name was removed."""
    init = "def _init():\n    globals().update(working_set=object())\n_init()\n"
    before = "__all__ = ['working_set']\nworking_set = None\n" + init
    after = (
        "from typing import TYPE_CHECKING\n__all__ = ['working_set']\n"
        + init
        + "if TYPE_CHECKING:\n    working_set = None\n"
    )
    assert rows(tmp_path, module(before), module(after)) == {}
    lazy = (
        "import typing\n__all__ = {0}\nif typing.TYPE_CHECKING:\n    from .impl import {1}\n"
        "else:\n    def __getattr__(name):\n        import importlib\n"
        "        return getattr(importlib.import_module('.impl', __name__), name)\n"
    )
    impl = {"demo/impl.py": "def connect(host): pass\ndef serve(handler): pass\n"}
    old = {"demo/__init__.py": lazy.format("['connect', 'serve']", "connect, serve"), **impl}
    new = {"demo/__init__.py": lazy.format("['connect']", "connect"), **impl}
    assert rows(tmp_path / "lazy", old, new) == {
        "demo.serve": ("removed", "function", "serve(handler)", None, True)
    }


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("def Dirs(): pass", {}),
        ("from .impl import Dirs", {}),
        # What a call returns is not known: it may be the same function.
        (
            "Dirs = _pick()",
            {"demo.Dirs": ("changed", "attribute", "Dirs()", "Dirs = _pick()", False)},
        ),
    ],
)
def test_what_the_else_of_type_checking_binds_is_api_though_type_checkers_see_another(
    tmp_path: Path, statement: str, expected: dict[str, Row]
) -> None:
    """platformdirs 4.3.6: ``PlatformDirs = _Result`` for type checkers, and at run time
    ``PlatformDirs = _set_platform_dir_class()``: still there, not removed."""
    impl = {"demo/impl.py": "def Dirs(): pass\n"}
    before = {"demo/__init__.py": "from .impl import Dirs\n", **impl}
    guarded = (
        "from typing import TYPE_CHECKING\ndef _pick(): pass\nif TYPE_CHECKING:\n    Dirs = int\n"
    )
    after = {"demo/__init__.py": f"{guarded}else:\n    {statement}\n", **impl}
    assert rows(tmp_path, before, after) == expected
    typed_only = {"demo/__init__.py": guarded, **impl}
    assert rows(tmp_path / "2", before, typed_only) == {
        "demo.Dirs": ("removed", "function", "Dirs()", None, True)
    }


def test_a_name_a_new_module_getattr_may_serve_is_not_known_to_break(tmp_path: Path) -> None:
    """Sphinx 8.0's intersphinx serves removed names through a deprecating __getattr__."""
    before = "def normalize(app): pass\ndef fetch(): pass\ndef kept(): pass\n"
    after = (
        "def kept(): pass\n_DEPRECATED = {'normalize': kept}\n"
        "def __getattr__(name):\n    return _DEPRECATED[name]\n"
    )
    changes, _notes = api_pair(tmp_path, module(before), module(after))
    assert [(c.change, c.name, c.breaking, c.why) for c in changes] == [
        ("removed", "demo.core.fetch", True, None),
        ("removed", "demo.core.normalize", False, "the module's __getattr__ may still serve it"),
    ]
    # One that only raises for it serves nothing.
    raising = (
        "def __getattr__(name):\n    if name == 'normalize':\n"
        "        raise AttributeError('normalize was removed')\n    raise AttributeError(name)\n"
    )
    changes, _notes = api_pair(tmp_path / "raising", module(before), module(raising))
    assert [(c.name, c.breaking) for c in changes] == [
        ("demo.core.fetch", True),
        ("demo.core.kept", True),
        ("demo.core.normalize", True),
    ]


@pytest.mark.parametrize("workers", ["0", "1"])
@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ([], ["demo.core.fetch", "demo.extra", "demo.pkg.inner.Client.go"]),
        (["--exclude", "demo/extra.py"], ["demo.core.fetch", "demo.pkg.inner.Client.go"]),
        (["--include", "demo/core.py"], ["demo.core.fetch"]),
        (["--include", "demo/pkg/*", "--exclude", "*/__init__.py"], ["demo.pkg.inner.Client.go"]),
    ],
)
def test_include_and_exclude_filter_the_api_by_the_module_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: str,
    filters: list[str],
    names: list[str],
) -> None:
    """A name is listed when its module's file is: the files table's filters apply."""
    monkeypatch.setenv("RELEASEDIFF_WORKERS", workers)
    common = {"demo/__init__.py": "", "demo/pkg/__init__.py": ""}
    old = {
        **common,
        "demo/core.py": "def fetch(url):\n    pass\n",
        "demo/pkg/inner.py": "class Client:\n    def go(self):\n        pass\n",
    }
    new = {
        **common,
        "demo/core.py": "def fetch(url, timeout):\n    pass\n",
        "demo/extra.py": "def ping():\n    pass\n",
        "demo/pkg/inner.py": "class Client:\n    def go(self, fast):\n        pass\n",
    }
    old_path, new_path = (
        make_sdist(tmp_path, "demo", "1.0", old),
        make_sdist(tmp_path, "demo", "1.1", new),
    )
    output = tmp_path / "out.json"
    code = main([str(old_path), str(new_path), "--format", "json", "-o", str(output), *filters])
    assert code == 1
    assert [row["name"] for row in json.loads(output.read_bytes())["api"]] == names


def text_api(tmp_path: Path, old: Tree, new: Tree, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``release-diff --show api`` prints for the pair."""
    old_path, new_path = (
        make_sdist(tmp_path, "demo", "1.0", old),
        make_sdist(tmp_path, "demo", "1.1", new),
    )
    assert main([str(old_path), str(new_path), "--show", "api"]) == 1
    return capsys.readouterr().out


def test_the_text_format_puts_each_signature_under_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = module("LIMIT = 10\ndef fetch(url, timeout=5):\n    pass\ndef gone():\n    pass\n")
    new = module("LIMIT = 10\ndef fetch(url, *, timeout=5):\n    pass\nclass Session:\n    pass\n")
    assert text_api(tmp_path, old, new, capsys) == (
        "API\n"
        "\n"
        "  added    class     demo.core.Session\n"
        "      + Session()\n"
        "  changed  function  demo.core.fetch (breaking: became keyword-only: timeout)\n"
        "      - fetch(url, timeout=5)\n"
        "      + fetch(url, *, timeout=5)\n"
        "  removed  function  demo.core.gone (breaking)\n"
        "      - gone()\n"
    )


def test_what_a_loop_in_a_module_or_class_binds_is_not_api(tmp_path: Path) -> None:
    """requests 2.32's packages.py: ``for mod in list(sys.modules): ... mod = ...``."""
    old = module("import sys\nLIMIT = 1\nclass C:\n    def __init__(self):\n        self.a = 1\n")
    new = module(
        "import sys\n"
        "LIMIT = 1\n"
        "for mod in list(sys.modules):\n"
        "    if mod:\n"
        "        imported = sys.modules[mod]\n"
        "        mod = mod.replace('a', 'b')\n"
        "while False:\n"
        "    spun = 1\n"
        "class C:\n"
        "    for _i in range(2):\n"
        "        made = _i\n"
        "    def __init__(self):\n"
        "        for part in (1, 2):\n"
        "            self.b = part\n"
        "        self.a = 1\n"
        "ADDED = 2\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.ADDED": ("added", "attribute", None, "ADDED = 2", False),
        "demo.core.C.b": ("added", "attribute", None, "b", False),
    }


def test_names_bound_by_unpacking_in_a_module_or_class_are_api(tmp_path: Path) -> None:
    """Django 5.1: ``password1, password2 = SetPasswordMixin.create_password_fields()``."""
    old = module(
        "class Form:\n    password1 = field()\n    password2 = field()\nLOW = 1\nHIGH = 2\n"
    )
    new = module(
        "class Form:\n    password1, password2 = fields()\n"
        "LOW, (HIGH, *REST) = 1, (2, 3)\n"
        "a.b, c[0] = 1, 2\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Form.password1": (
            "changed",
            "attribute",
            "password1 = field()",
            "password1",
            False,
        ),
        "demo.core.Form.password2": (
            "changed",
            "attribute",
            "password2 = field()",
            "password2",
            False,
        ),
        "demo.core.HIGH": ("changed", "attribute", "HIGH = 2", "HIGH", False),
        "demo.core.LOW": ("changed", "attribute", "LOW = 1", "LOW", False),
        "demo.core.REST": ("added", "attribute", None, "REST", False),
    }


def test_a_script_block_under_the_main_guard_is_not_api(tmp_path: Path) -> None:
    """rich 13.8's prompt.py: ``if __name__ == "__main__": doggie = Prompt.ask(...)``."""
    old = module("def ask():\n    pass\n")
    new = module(
        "def ask():\n    pass\n"
        "if __name__ == '__main__':\n    doggie = ask()\n    def demo():\n        pass\n"
        "if '__main__' == __name__:\n    also = 1\n"
        "if __name__ != '__main__':\n    imported = 1\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.imported": ("added", "attribute", None, "imported = 1", False),
    }


def test_the_text_format_says_why_a_removal_is_not_breaking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = module("def legacy():\n    pass\n")
    new = module("def __getattr__(name):\n    if name == 'legacy':\n        return print\n")
    assert text_api(tmp_path, old, new, capsys) == (
        "API\n"
        "\n"
        "  removed  function  demo.core.legacy (the module's __getattr__ may still serve it)\n"
        "      - legacy()\n"
    )


# --- branches on the Python version and the platform -------------------------------------


def test_a_name_only_older_pythons_define_is_gone(tmp_path: Path) -> None:
    """Sphinx 8.0 kept ``cd`` under ``if sys.version_info[:2] < (3, 11):`` only."""
    old = module("def cd(target_dir: str):\n    pass\n")
    new = module(
        "import sys\n"
        "class _chdir:\n    def __init__(self, target_dir: str, /):\n        pass\n"
        "if sys.version_info[:2] < (3, 11):\n    cd = _chdir\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.cd": ("removed", "function", "cd(target_dir: str)", None, True),
    }


@pytest.mark.parametrize(
    "test",
    [
        "sys.version_info >= (3, 12)",
        "sys.version_info[0] >= 3",
        "sys.version_info.minor > 8",
        "not sys.version_info < (3, 9)",
        "sys.version_info >= (3, 8) and sys.version_info[:2] != (3, 9)",
    ],
)
def test_the_branch_the_newest_python_takes_is_read(tmp_path: Path, test: str) -> None:
    newest = f"import sys\nif {test}:\n    def f(a):\n        pass\nelse:\n    def f(a, b=0):\n        pass\n"
    flipped = (
        f"import sys\nif not ({test}):\n    def f(a, b=0):\n        pass\n"
        "    OLD_ONLY = 1\nelse:\n    def f(a):\n        pass\n"
    )
    assert rows(tmp_path, module(newest), module(flipped)) == {}
    plain = module("def f(a, b=0):\n    pass\n")
    assert rows(tmp_path / "2", plain, module(newest))["demo.core.f"][2:] == (
        "f(a, b=0)",
        "f(a)",
        True,
    )


def test_class_bodies_and_elif_chains_take_one_branch(tmp_path: Path) -> None:
    old = module(
        "import sys\nclass C:\n"
        "    if sys.version_info < (3, 10):\n        MODE = 'old'\n"
        "    elif sys.version_info < (3, 12):\n        MODE = 'mid'\n"
        "    else:\n        MODE = 'new'\n"
    )
    new = module("class C:\n    MODE = 'new'\n")
    assert rows(tmp_path, old, new) == {}


def test_linux_definitions_win_and_other_platforms_names_stay(tmp_path: Path) -> None:
    old = module(
        "import sys\n"
        "if sys.platform == 'win32':\n    def size(handle):\n        pass\n"
        "else:\n    def size(fd, default=80):\n        pass\n"
    )
    new = module(
        "import os, sys\n"
        "if sys.platform != 'win32':\n    def size(fd, default=80):\n        pass\n"
        "else:\n    def size(handle):\n        pass\n"
        "if os.name == 'nt':\n    def console_mode():\n        pass\n"
    )
    nt_only = "console_mode() (only where os.name == 'nt')"
    assert rows(tmp_path, old, new) == {
        "demo.core.console_mode": ("added", "function", None, nt_only, False)
    }


@pytest.mark.parametrize(
    "test",
    [
        "sys.platform == 'win32'",
        "os.name == 'nt'",
        # Interpreters are peers too: CPython's branch is the one read last.
        "hasattr(sys, 'pypy_version_info')",
        "platform.python_implementation() == 'PyPy'",
        "sys.implementation.name != 'cpython'",
        "'__pypy__' in sys.builtin_module_names",
    ],
)
def test_the_value_linux_on_cpython_binds_is_compared_in_either_branch(
    tmp_path: Path, test: str
) -> None:
    """griffe keeps a name's first binding over an ``if``'s: the branch read last must win
    for values too (msgpack's fallback binds ``newlist_hint`` from ``__pypy__`` first)."""
    source = (
        "import os, platform, sys\nLIMIT = 0\n"
        f"if {test}:\n    LIMIT = {{other}}\n    from __pypy__ import newlist_hint\n"
        "else:\n    LIMIT = {linux}\n    newlist_hint = lambda size: []\n"
    )
    old = module(source.format(other=1, linux=2))
    assert rows(tmp_path, old, module(source.format(other=1, linux=3))) == {
        "demo.core.LIMIT": ("changed", "attribute", "LIMIT = 2", "LIMIT = 3", False)
    }
    assert rows(tmp_path / "other", old, module(source.format(other=4, linux=2))) == {}


def test_the_branch_the_newest_python_takes_rebinds_what_came_before(tmp_path: Path) -> None:
    source = "import sys\nTIMEOUT = 1\nif sys.version_info >= (3, 11):\n    TIMEOUT = {}\n"
    assert rows(tmp_path, module(source.format(2)), module(source.format(3))) == {
        "demo.core.TIMEOUT": ("changed", "attribute", "TIMEOUT = 2", "TIMEOUT = 3", False)
    }


def test_a_lambda_bound_to_a_name_is_the_function_it_is_to_callers(tmp_path: Path) -> None:
    """msgpack 1.1 wrote ``def newlist_hint(size)`` for ``newlist_hint = lambda size: []``."""
    old = module("hint = lambda size: []\nclass K:\n    key = lambda self, x, y=1: x\n")
    same = module(
        "def hint(size):\n    return []\nclass K:\n    def key(self, x, y=1):\n        return x\n"
    )
    assert rows(tmp_path, old, same) == {}
    changed = module(
        "hint = lambda size, *, fill=None: []\nclass K:\n    key = lambda self, x: x\n"
    )
    assert rows(tmp_path / "changed", old, changed) == {
        "demo.core.K.key": ("changed", "method", "key(x, y=1)", "key(x)", True),
        "demo.core.hint": ("changed", "function", "hint(size)", "hint(size, *, fill=None)", False),
    }


def test_a_name_now_defined_only_where_linux_does_not_go_breaks(tmp_path: Path) -> None:
    old = module("import sys\ndef connect(host):\n    pass\nclass Pipe:\n    pass\n")
    on_windows = "if sys.platform == 'win32':\n    "
    # Pipe is defined before the test too: Linux keeps that one.
    new = module(
        f"import sys\n{on_windows}def connect(host):\n        pass\n"
        f"class Pipe:\n    pass\n{on_windows}class Pipe:\n        pass\n"
    )
    found = rows(tmp_path, old, new)
    win_only = "connect(host) (only where sys.platform == 'win32')"
    assert set(found) == {"demo.core.connect"}
    assert found["demo.core.connect"] == ("changed", "function", "connect(host)", win_only, True)
    # Back to everywhere is no break.
    assert rows(tmp_path / "back", new, old)["demo.core.connect"][4] is False


def test_a_class_rebound_to_calls_it_is_passed_to_stays_a_class(tmp_path: Path) -> None:
    """attrs 24's ``Converter = _add_hash(_add_eq(_add_repr(Converter, ...)))``."""
    old = module("def helper():\n    pass\n")
    new = module(
        "import functools\n"
        "def helper():\n    pass\n"
        "class Converter:\n"
        "    def __init__(self, converter, *, takes_self=False):\n        pass\n"
        "Converter = _add_hash(_add_eq(Converter, attrs=1), attrs=1)\n"
        "def wrapped(a):\n    pass\n"
        "wrapped = functools.wraps(helper)(wrapped)\n"
        "class Made:\n    pass\n"
        "Made = make_class()\n"
        "class Old:\n"
        "    def size(self):\n        pass\n"
        "    size = property(size)\n"
        "    def build(a, b):\n        pass\n"
        "    build = staticmethod(build)\n"
        "    def make(cls, x):\n        pass\n"
        "    make = classmethod(make)\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Converter": (
            "added",
            "class",
            None,
            "Converter(converter, *, takes_self=False)",
            False,
        ),
        "demo.core.wrapped": ("added", "function", None, "wrapped(a)", False),
        "demo.core.Made": ("added", "attribute", None, "Made = make_class()", False),
        "demo.core.Old": ("added", "class", None, "Old()", False),
    }
    changes, _notes = api_pair(tmp_path / "2", module("class Old:\n    pass\n"), new)
    assert [(c.name, c.kind, c.new) for c in changes if c.name.startswith("demo.core.Old.")] == [
        ("demo.core.Old.build", "method", "build(a, b)"),
        ("demo.core.Old.make", "method", "make(x)"),
        ("demo.core.Old.size", "attribute", "size"),
    ]


def test_underscored_dataclass_fields_do_not_break_a_constructor(tmp_path: Path) -> None:
    """rich 13.8's Column gained ``highlight`` before its ``_index`` and ``_cells`` fields."""
    before = (
        "from dataclasses import dataclass, field\n@dataclass\nclass Column:\n"
        "    header: str = ''\n    _index: int = 0\n    _cells: list = field(default_factory=list)\n"
    )
    after = before.replace("    _index", "    highlight: bool = False\n    _index")
    changes, _notes = api_pair(tmp_path, module(before), module(after))
    column = next(change for change in changes if change.name == "demo.core.Column")
    assert (column.change, column.breaking, column.why) == ("changed", False, None)


def test_underscored_parameters_with_defaults_are_never_a_reason() -> None:
    def param(name: str, kind: str = "positional or keyword", default: str | None = None) -> Param:
        return Param(name, kind, default)

    old = [param("a"), param("_index", default="0"), param("_cells", default="None")]
    assert api_module.breaking_reason(old, [param("a")]) is None
    moved = [param("a"), param("b", default="1"), param("_cells", default="None")]
    assert api_module.breaking_reason(old, moved) is None
    keyword = [param("a"), param("_index", "keyword-only", "0")]
    assert api_module.breaking_reason(old, keyword) is None
    required = [param("a"), param("_index"), param("_cells", default="None")]
    assert api_module.breaking_reason(old, required) == "default removed: _index"
    # A required underscored parameter is passed by every caller.
    assert api_module.breaking_reason([param("_x"), param("y")], [param("y")]) == (
        "removed: _x; moved: y"
    )


# --- one spelling of types ------------------------------------------------------------------


def test_quoted_and_unquoted_annotations_are_the_same_type(tmp_path: Path) -> None:
    """rich 13.8 dropped forward references' quotes under ``from __future__ import annotations``."""
    old = module(
        "import typing as t\n"
        "def create(markdown: 'Markdown', token: t.Optional['Token']) -> 'Block':\n    pass\n"
        "def mode(kind: t.Literal['r']) -> t.List[str]:\n    pass\n"
    )
    new = module(
        "def create(markdown: Markdown, token: Token | None) -> Block:\n    pass\n"
        "def mode(kind: t.Literal[r]) -> list[str]:\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.mode": (
            "changed",
            "function",
            "mode(kind: t.Literal['r']) -> t.List[str]",
            "mode(kind: t.Literal[r]) -> list[str]",
            False,
        ),
    }


def test_a_type_alias_declared_as_one_is_the_same_alias(tmp_path: Path) -> None:
    """Sphinx 8.0: ``TitleGetter = Callable[[Node], Optional[str]]`` became
    ``TitleGetter: TypeAlias = Callable[[Node], str | None]``."""
    old = module(
        "from typing import Callable, Optional\n"
        "TitleGetter = Callable[[Node], Optional[str]]\nPathMatcher = Callable[[str], bool]\n"
        "Names = t.List['Name']\n"
    )
    new = module(
        "from typing import Callable, TypeAlias\n"
        "TitleGetter: TypeAlias = Callable[[Node], str | None]\n"
        "PathMatcher: TypeAlias = Callable[[str], int]\n"
        "Names: TypeAlias = list[Name]\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.PathMatcher": (
            "changed",
            "attribute",
            "PathMatcher = Callable[[str], bool]",
            "PathMatcher: TypeAlias = Callable[[str], int]",
            False,
        ),
        "demo.core.Names": (
            "changed",
            "attribute",
            "Names = t.List['Name']",
            "Names: TypeAlias = list[Name]",
            False,
        ),
    }


def test_a_generic_of_any_is_the_bare_generic(tmp_path: Path) -> None:
    """Jinja 3.1.4 and click 8.1.7 spelled out ``t.Callable[..., t.Any]`` for ``t.Callable``."""
    old = module(
        "import typing as t\n"
        "def call(f: t.Callable, items: t.Tuple, out: t.Optional[t.IO]) -> t.Dict: pass\n"
        "def pair(p: t.Tuple, q: os.PathLike, flag: typing.Literal[False]) -> None: pass\n"
        "def maybe(value: t.Optional[t.Any] = None) -> None: pass\n"
    )
    new = module(
        "import typing as t\n"
        "def call(f: t.Callable[..., t.Any], items: t.Tuple[t.Any, ...],"
        " out: t.Optional[t.IO[t.Any]]) -> t.Dict[t.Any, t.Any]: pass\n"
        "def pair(p: t.Tuple[t.Any], q: os.PathLike[str], flag: Literal[False]) -> None: pass\n"
        "def maybe(value: t.Any | None = None) -> None: pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.pair": (
            "changed",
            "function",
            "pair(p: t.Tuple, q: os.PathLike, flag: typing.Literal[False]) -> None",
            "pair(p: t.Tuple[t.Any], q: os.PathLike[str], flag: Literal[False]) -> None",
            False,
        ),
    }


def test_a_try_fallback_is_compared_wherever_the_success_path_is_written(
    tmp_path: Path,
) -> None:
    """packaging 24.1 moved ``ExceptionGroup = ExceptionGroup`` into the ``else`` of the try
    whose handler defines the fallback class: 'was a class, now an attribute' it was not."""
    fallback = (
        "    class ExceptionGroup(Exception):\n"
        "        def __init__(self, message, exceptions):\n            pass\n"
    )
    old = module(
        f"try:\n    ExceptionGroup = __builtins__.ExceptionGroup\nexcept AttributeError:\n{fallback}"
    )
    new = module(
        f"try:\n    ExceptionGroup\nexcept NameError:\n{fallback}"
        "else:\n    ExceptionGroup = ExceptionGroup\n"
    )
    assert rows(tmp_path, old, new) == {}


def test_leading_dunder_parameters_are_positional_only_by_convention(tmp_path: Path) -> None:
    """pydantic 2.8: ``create_model(__model_name, *, ...)`` became ``create_model(model_name,
    /, *, ...)``; type checkers read the first as positional-only already (PEP 484)."""
    old = module("def create(__name, *, __config__=None, **fields): pass\n")
    new = module("def create(name, /, *, __config__=None, **fields): pass\n")
    assert rows(tmp_path, old, new)["demo.core.create"][4] is False
    kind = "positional or keyword"
    dunder_later = [Param("a", kind), Param("__b", kind)]
    assert api_module.breaking_reason(dunder_later, [Param("a", kind), Param("b", kind)]) == (
        "removed: __b; new required: b"
    )


def test_a_folder_without_init_that_the_package_imports_from_is_api(tmp_path: Path) -> None:
    """flask 3.0's ``sansio/`` has no ``__init__.py``; ``flask.Blueprint`` inherits its
    constructor from ``.sansio.blueprints``: read as ``Blueprint(...)`` without it."""
    base = "class Base:\n    def __init__(self, name, url_prefix=None):\n        pass\n"
    common: Tree = {
        "demo/__init__.py": "from .blueprints import Blueprint\n",
        "demo/blueprints.py": (
            "from .sansio.blueprints import Base as _Base\nclass Blueprint(_Base):\n    pass\n"
        ),
        "demo/sansio/blueprints.py": base,
        "demo/templates/page.py": "def not_a_module():\n    pass\n",
    }
    changed = {**common, "demo/sansio/blueprints.py": base.replace("name,", "name, import_name,")}
    changed["demo/templates/page.py"] = "def still_not_a_module():\n    pass\n"
    assert rows(tmp_path, common, changed) == {
        "demo.Blueprint": (
            "changed",
            "class",
            "Blueprint(name, url_prefix=None)",
            "Blueprint(name, import_name, url_prefix=None)",
            True,
        ),
        "demo.blueprints.Blueprint": (
            "changed",
            "class",
            "Blueprint(name, url_prefix=None)",
            "Blueprint(name, import_name, url_prefix=None)",
            True,
        ),
        "demo.sansio.blueprints.Base": (
            "changed",
            "class",
            "Base(name, url_prefix=None)",
            "Base(name, import_name, url_prefix=None)",
            True,
        ),
    }


def test_a_name_moved_elsewhere_and_imported_back_is_still_there(tmp_path: Path) -> None:
    """A module's run-time import keeps a moved name importable from it: not removed (nor,
    the other way round, added); compared as what the import leads to."""
    before: Tree = {
        "demo/__init__.py": "",
        "demo/core.py": "def f(a):\n    pass\nclass K:\n    pass\ndef g(a):\n    pass\n",
    }
    after: Tree = {
        "demo/__init__.py": "",
        "demo/core.py": (
            "from typing import TYPE_CHECKING\nfrom demo.impl import f, g\n"
            "if TYPE_CHECKING:\n    from ._k import K\n"
        ),
        "demo/impl.py": "def f(a):\n    pass\ndef g(a, b):\n    pass\n",
        "demo/_k.py": "class K:\n    pass\n",
    }
    moved = {
        "demo.core.K": ("removed", "class", "K()", None, True),
        "demo.core.g": ("changed", "function", "g(a)", "g(a, b)", True),
        "demo.impl": ("added", "module", None, "demo.impl", False),
    }
    assert rows(tmp_path, before, after) == moved
    assert rows(tmp_path / "back", after, before) == {
        "demo.core.K": ("added", "class", None, "K()", False),
        "demo.core.g": ("changed", "function", "g(a, b)", "g(a)", True),
        "demo.impl": ("removed", "module", "demo.impl", None, True),
    }


def test_an_import_of_an_unchanged_module_is_followed_as_a_full_load_does(
    tmp_path: Path,
) -> None:
    """The module the name is imported from did not change: loaded all the same."""
    before: Tree = {
        "demo/__init__.py": "",
        "demo/core.py": "def f(a):\n    pass\n",
        "demo/impl.py": "def f(a):\n    pass\n",
    }
    after: Tree = {**before, "demo/core.py": "from demo.impl import f\n"}
    for incremental in (True, False):
        changes, _notes = api_pair(
            tmp_path / str(incremental), before, after, incremental=incremental
        )
        assert changes == ()


def test_a_name_bound_to_a_version_test_decides_like_the_test(tmp_path: Path) -> None:
    """Django 5.1: ``if not PY311:`` (``PY311 = sys.version_info >= (3, 11)`` in
    django.utils.version) defines a backport of ``enterClassContext`` for Python 3.10."""
    old: Tree = {
        "demo/__init__.py": "",
        "demo/version.py": "import sys\nPY311 = sys.version_info >= (3, 11)\n",
        "demo/core.py": "class Case:\n    pass\n",
    }
    new: Tree = {
        **old,
        "demo/core.py": (
            "import sys\nfrom .version import PY311\nPY38 = sys.version_info[:2] == (3, 8)\n"
            "class Case:\n"
            "    if not PY311:\n        def backport(self):\n            pass\n"
            "    if PY38:\n        def old_only(self):\n            pass\n"
            "    else:\n        def current(self):\n            pass\n"
        ),
    }
    assert rows(tmp_path, old, new) == {
        "demo.core.PY38": (
            "added",
            "attribute",
            None,
            "PY38 = sys.version_info[:2] == (3, 8)",
            False,
        ),
        "demo.core.Case.current": ("added", "method", None, "current()", False),
    }


def test_a_version_flag_reached_through_a_module_decides_like_the_test(tmp_path: Path) -> None:
    """``if utils.PY3:`` (the flag read through an imported module) and six's ``PY2``
    and ``PY3``, imported, vendored or taken by name, decide as the test they stand for."""
    old: Tree = {
        "demo/__init__.py": "",
        "demo/utils.py": "import sys\nPY3 = sys.version_info[0] >= 3\n",
        "demo/_vendor/__init__.py": "",
        "demo/_vendor/six.py": "import sys\nPY2 = sys.version_info[0] == 2\n",
        "demo/core.py": "class Case:\n    pass\n",
    }
    new: Tree = {
        **old,
        "demo/core.py": (
            "import six\nfrom demo import utils\nfrom demo._vendor import six as vsix\n"
            "from six import PY3\n"
            "class Case:\n"
            "    if utils.PY3:\n        def three(self):\n            pass\n"
            "    else:\n        def two(self):\n            pass\n"
            "    if six.PY2:\n        def legacy(self):\n            pass\n"
            "    if not vsix.PY2:\n        def vendored(self):\n            pass\n"
            "    if PY3:\n        def named(self):\n            pass\n"
            "    if six.PY4:\n        def unknown(self):\n            pass\n"
        ),
    }
    assert rows(tmp_path, old, new) == {
        "demo.core.Case.three": ("added", "method", None, "three()", False),
        "demo.core.Case.vendored": ("added", "method", None, "vendored()", False),
        "demo.core.Case.named": ("added", "method", None, "named()", False),
        "demo.core.Case.unknown": ("added", "method", None, "unknown()", False),
    }


# --- round 2: pytest 8.3, FastAPI 0.112, Django 5.1, docutils 0.21 ------------------------


def test_a_qualified_name_in_an_annotation_is_the_name_imported(tmp_path: Path) -> None:
    """pytest 8.3 wrote ``pathlib.Path`` where 8.2 imported ``Path``; a changed type shows."""
    old = module(
        "import os\nfrom pathlib import Path\nfrom ._code import Traceback\n"
        "def f(p: Path, tb: Traceback) -> os.PathLike[str]:\n    pass\n"
        "class C:\n    root: Path\n    def __init__(self, d: Path):\n        pass\n"
        "def g(p: Path) -> None:\n    pass\n"
    )
    new = module(
        "import pathlib\nimport demo._code\nfrom os import PathLike\n"
        "def f(p: pathlib.Path, tb: demo._code.Traceback) -> PathLike[str]:\n    pass\n"
        "class C:\n    root: pathlib.Path\n    def __init__(self, d: pathlib.Path):\n        pass\n"
        "def g(p: pathlib.PurePath) -> None:\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.g": (
            "changed",
            "function",
            "g(p: Path) -> None",
            "g(p: pathlib.PurePath) -> None",
            False,
        ),
    }


def test_doc_texts_in_annotated_are_no_change(tmp_path: Path) -> None:
    """FastAPI 0.112 fixed a typo in ``Annotated[State, Doc("...")]``; the type still counts."""
    old = module(
        "from typing_extensions import Annotated, Doc\n"
        'class App:\n    state: Annotated[State, Doc("You normally woudln\'t")]\n'
        "def route(path: Annotated[str, Query(), Doc('Teh path')], n: Annotated[int, Doc('n')] = 1):\n"
        "    pass\n"
        "def size(n: Annotated[int, Doc('n')]):\n    pass\n"
    )
    new = module(
        "from typing_extensions import Annotated, Doc\n"
        'class App:\n    state: Annotated[State, Doc("You normally wouldn\'t")]\n'
        "def route(path: Annotated[str, Query(), Doc('The path')], n: Annotated[int, Doc('N')] = 1):\n"
        "    pass\n"
        "def size(n: Annotated[float, Doc('n')]):\n    pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.size": (
            "changed",
            "function",
            "size(n: Annotated[int, Doc('n')])",
            "size(n: Annotated[float, Doc('n')])",
            False,
        ),
    }


def test_literal_and_annotated_strings_stay_strings_however_they_are_imported(
    tmp_path: Path,
) -> None:
    """griffe knows ``Literal`` by its canonical path, and reads a string anywhere else in an
    annotation as a forward reference: through a compat module ``Literal['r', 'w']`` showed
    as ``Literal[r, w]``, and ``Annotated``'s metadata always lost its quotes."""
    signature = (
        "def op(mode: Literal[{modes}] = 'r', kind: L['x'] = 'x', ref: 'Foo' = None):\n    pass\n"
        "def an(x: Annotated['Foo', {meta}], y: A[int, 'meta'], z: t.Annotated[int, 'unit']):\n"
        "    pass\n"
    )
    tree = {
        "demo/__init__.py": "",
        "demo/compat.py": "from typing import Literal, Annotated\n",
        "demo/core.py": "from .compat import Literal, Annotated\nfrom .compat import Literal as L\n"
        "import typing as t\nfrom typing import Annotated as A\nclass Foo:\n    pass\n",
    }
    old = {
        **tree,
        "demo/core.py": tree["demo/core.py"] + signature.format(modes="'r', 'w'", meta="'doc'"),
    }
    new = {
        **tree,
        "demo/core.py": tree["demo/core.py"]
        + signature.format(modes="'r', 'w', 'a'", meta="'doc2'"),
    }
    assert rows(tmp_path, old, new) == {
        "demo.core.an": (
            "changed",
            "function",
            "an(x: Annotated[Foo, 'doc'], y: A[int, 'meta'], z: t.Annotated[int, 'unit'])",
            "an(x: Annotated[Foo, 'doc2'], y: A[int, 'meta'], z: t.Annotated[int, 'unit'])",
            False,
        ),
        "demo.core.op": (
            "changed",
            "function",
            "op(mode: Literal['r', 'w'] = 'r', kind: L['x'] = 'x', ref: Foo = None)",
            "op(mode: Literal['r', 'w', 'a'] = 'r', kind: L['x'] = 'x', ref: Foo = None)",
            False,
        ),
    }
    # A string and the name it spells are not the same value.
    named = {
        **tree,
        "demo/core.py": tree["demo/core.py"] + "r = 1\ndef f(m: Literal['r']):\n    pass\n",
    }
    bare = {
        **tree,
        "demo/core.py": tree["demo/core.py"] + "r = 1\ndef f(m: Literal[r]):\n    pass\n",
    }
    assert rows(tmp_path / "named", named, bare)["demo.core.f"][2:4] == (
        "f(m: Literal['r'])",
        "f(m: Literal[r])",
    )


def test_an_attribute_going_from_the_old_release_version_to_the_new_is_no_change(
    tmp_path: Path,
) -> None:
    """Django's ``VERSION``, pytest's ``version_tuple``: the summary names both versions."""
    old = module(
        "VERSION = (1, 0, 0, 'final', 0)\nversion = '1.0'\nversion_tuple: tuple = (1, 0)\n"
        "BUNDLED = '1.0'\nSCHEMA = 1\nLABEL = 'v1.0'\n"
        f"TABLE = (1, 0, '{'x' * 100}')\n"
    )
    new = module(
        "VERSION = (1, 1, 0, 'final', 0)\nversion = '1.1'\nversion_tuple: tuple = (1, 1)\n"
        "BUNDLED = '0.9'\nSCHEMA = 2\nLABEL = 'v1.1'\n"
        f"TABLE = (1, 1, '{'x' * 100}')\n"
    )
    # A value longer than any spelling of a release is not one (nor parsed to tell).
    table = f"'{'x' * 100}')"
    assert rows(tmp_path, old, new) == {
        "demo.core.BUNDLED": ("changed", "attribute", "BUNDLED = '1.0'", "BUNDLED = '0.9'", False),
        "demo.core.SCHEMA": ("changed", "attribute", "SCHEMA = 1", "SCHEMA = 2", False),
        "demo.core.TABLE": (
            "changed",
            "attribute",
            f"TABLE = (1, 0, {table}",
            f"TABLE = (1, 1, {table}",
            False,
        ),
    }


def test_an_init_passing_on_a_standard_library_import_is_no_api(tmp_path: Path) -> None:
    """docutils 0.21's html4css1 stopped importing ``url2pathname`` from ``_html_base``,
    which took it from urllib; a name of the package's own still counts."""
    base: Tree = {
        "demo/_base.py": "from urllib.request import url2pathname\nfrom .sub import Extra\n",
        "demo/sub.py": "class Extra:\n    pass\n",
    }
    old: Tree = {**base, "demo/__init__.py": "from ._base import Extra, url2pathname\n"}
    new: Tree = {**base, "demo/__init__.py": "x = 1\n"}
    assert rows(tmp_path, old, new) == {
        "demo.Extra": ("removed", "class", "Extra()", None, True),
        "demo.x": ("added", "attribute", None, "x = 1", False),
    }


def test_a_class_s_call_method_is_api_other_dunders_are_not(tmp_path: Path) -> None:
    """pluggy 1.5's ``HookspecMarker.__call__`` gained ``warn_on_impl_args``: the marker is
    used by calling it."""
    old = module(
        "class Marker:\n"
        "    def __call__(self, function=None, historic=False):\n        pass\n"
        "    def __repr__(self):\n        pass\n"
    )
    new = module(
        "class Marker:\n"
        "    def __call__(self, function=None, historic=False, warn=None):\n        pass\n"
        "    def __repr__(self, short=False):\n        pass\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Marker.__call__": (
            "changed",
            "method",
            "__call__(function=None, historic=False)",
            "__call__(function=None, historic=False, warn=None)",
            False,
        ),
    }


def test_init_assigning_a_class_attribute_keeps_the_class_value(tmp_path: Path) -> None:
    """mypy 1.11 dropped ``raw_id: int = 0`` from the class body: what ``__init__`` assigns
    (``self.raw_id = raw_id``) is no value of the attribute's."""
    old = module(
        "class Id:\n    raw_id: int = 0\n    timeout = None\n    size = 1\n"
        "    def __init__(self, raw_id, timeout=None):\n"
        "        self.raw_id = raw_id\n        self.timeout = timeout or 5\n"
    )
    new = module(
        "class Id:\n    raw_id: int\n    timeout = None\n    size = 1\n"
        "    def __init__(self, raw_id, timeout=None):\n"
        "        self.raw_id = raw_id\n        self.timeout = timeout\n        self.size = 2\n"
    )
    assert rows(tmp_path, old, new) == {
        "demo.core.Id.raw_id": ("changed", "attribute", "raw_id: int = 0", "raw_id: int", False),
    }


def test_a_sub_package_init_importing_from_its_parent_re_exports_nothing(
    tmp_path: Path,
) -> None:
    """werkzeug 3.0's ``debug/__init__.py`` took ``parse_cookie`` from ``..http`` for its
    own use: only ``werkzeug.http.parse_cookie`` is API."""
    common = {
        "demo/__init__.py": "",
        "demo/http.py": "def parse_cookie(header):\n    pass\n",
        "demo/debug/_impl.py": "def debug_app(app):\n    pass\n",
    }
    old = {**common, "demo/debug/__init__.py": ""}
    new = {
        **common,
        "demo/debug/__init__.py": "from ..http import parse_cookie\nfrom ._impl import debug_app\n",
    }
    assert rows(tmp_path, old, new) == {
        "demo.debug.debug_app": ("added", "function", None, "debug_app(app)", False)
    }
