"""Loading only the modules that differ gives exactly what loading every module gives."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sphinxext.releasediff import api_parse
from sphinxext.releasediff.api import compare_api
from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.model import ApiChange

from .archives import Tree, make_sdist

Result = tuple[tuple[ApiChange, ...], tuple[str, ...]]


def both_ways(folder: Path, old: Tree, new: Tree) -> tuple[Result, Result]:
    paths = []
    for side, (version, tree) in enumerate((("1.0", old), ("1.1", new))):
        (folder / str(side)).mkdir(parents=True, exist_ok=True)
        paths.append(make_sdist(folder / str(side), "demo", version, tree))
    archives = [read_archive(path) for path in paths]
    full = compare_api(*archives, incremental=False)
    return full, compare_api(*archives, incremental=True)


def names(result: Result) -> dict[str, tuple[str, str | None, str | None, bool]]:
    return {c.name: (c.change, c.old, c.new, c.breaking) for c in result[0]}


# Each case: an unchanged module whose names change only through a module that differs.
Case = tuple[
    dict[str, str], dict[str, str | None], dict[str, tuple[str, str | None, str | None, bool]]
]
CROSS_MODULE: dict[str, Case] = {
    "re-export of a changed private class from a package __init__": (
        {
            "demo/__init__.py": "from ._impl import Client\n",
            "demo/_impl.py": "class Client:\n    def get(self, a):\n        pass\n",
        },
        {"demo/_impl.py": "class Client:\n    def get(self, a, b):\n        pass\n"},
        {"demo.Client.get": ("changed", "get(a)", "get(a, b)", True)},
    ),
    "wildcard import": (
        {
            "demo/__init__.py": "",
            "demo/api.py": "from ._core import *\n__all__ = ['run']\n",
            "demo/_core.py": "__all__ = ['run']\ndef run(x):\n    pass\n",
        },
        {"demo/_core.py": "__all__ = ['run']\ndef run(x, y):\n    pass\n"},
        {"demo.api.run": ("changed", "run(x)", "run(x, y)", True)},
    ),
    "__all__ from another module's __all__": (
        {
            "demo/__init__.py": "from . import _a\nfrom ._a import *\n__all__ = _a.__all__\n",
            "demo/_a.py": "__all__ = ['f']\ndef f():\n    pass\ndef g():\n    pass\n",
        },
        {"demo/_a.py": "__all__ = ['f', 'g']\ndef f():\n    pass\ndef g():\n    pass\n"},
        {"demo.g": ("added", None, "g()", False)},
    ),
    "subclass in an unchanged module of a changed base": (
        {
            "demo/__init__.py": "",
            "demo/base.py": "class Base:\n    def __init__(self, a):\n        pass\n",
            "demo/child.py": "from .base import Base\nclass Child(Base):\n    pass\n",
            "demo/grand.py": "from . import child\nclass Grand(child.Child):\n    pass\n",
        },
        {"demo/base.py": "class Base:\n    def __init__(self, a, b):\n        pass\n"},
        {
            "demo.base.Base": ("changed", "Base(a)", "Base(a, b)", True),
            "demo.child.Child": ("changed", "Child(a)", "Child(a, b)", True),
            "demo.grand.Grand": ("changed", "Grand(a)", "Grand(a, b)", True),
        },
    ),
    "a base taken under another name": (
        {
            "demo/__init__.py": "",
            "demo/base.py": "class Base:\n    def __init__(self, a):\n        pass\n",
            "demo/child.py": "from .base import Base as _B\nclass Child(_B):\n    pass\n",
        },
        {"demo/base.py": "class Base:\n    def __init__(self):\n        pass\n"},
        {
            "demo.base.Base": ("changed", "Base(a)", "Base()", True),
            "demo.child.Child": ("changed", "Child(a)", "Child()", True),
        },
    ),
    "alias chain through an unchanged module": (
        {
            "demo/__init__.py": "from ._mid import thing\n",
            "demo/_mid.py": "from ._deep import thing\n",
            "demo/_deep.py": "def thing(a):\n    pass\n",
        },
        {"demo/_deep.py": "thing = 3\n"},
        {"demo.thing": ("changed", "thing(a)", "thing = 3", True)},
    ),
    "a module moved": (
        {
            "demo/__init__.py": "from .old_place import Tool\n",
            "demo/old_place.py": "class Tool:\n    pass\n",
        },
        {
            "demo/__init__.py": "from .new_place import Tool\n",
            "demo/old_place.py": None,
            "demo/new_place.py": "class Tool:\n    def run(self):\n        pass\n",
        },
        {
            "demo.old_place": ("removed", "demo.old_place", None, True),
            "demo.new_place": ("added", None, "demo.new_place", False),
        },
    ),
    "a dataclass whose base dataclass gained a field": (
        {
            "demo/__init__.py": "",
            "demo/base.py": (
                "from dataclasses import dataclass\n@dataclass\nclass Base:\n    a: int\n"
            ),
            "demo/child.py": (
                "from dataclasses import dataclass\nfrom .base import Base\n"
                "@dataclass\nclass Child(Base):\n    b: int = 0\n"
            ),
        },
        {
            "demo/base.py": (
                "from dataclasses import dataclass\n@dataclass\nclass Base:\n    a: int\n"
                "    c: int = 1\n"
            )
        },
        {
            "demo.base.Base": ("changed", "Base(a: int)", "Base(a: int, c: int = 1)", False),
            "demo.base.Base.c": ("added", None, "c: int = 1", False),
            "demo.child.Child": (
                "changed",
                "Child(a: int, b: int = 0)",
                "Child(a: int, c: int = 1, b: int = 0)",
                True,
            ),
        },
    ),
    "a re-exporting module's own subclass of a changed base, and its subclass": (
        {
            "demo/__init__.py": "from ._impl import Base\nclass Child(Base):\n    pass\n",
            "demo/_impl.py": "class Base:\n    def __init__(self, a):\n        pass\n",
            "demo/leaf.py": "from . import Child\nclass Leaf(Child):\n    pass\n",
            "demo/other.py": "from ._impl import Base\nclass Other:\n    pass\n",
        },
        {"demo/_impl.py": "class Base:\n    def __init__(self, a, b):\n        pass\n"},
        {
            "demo.Base": ("changed", "Base(a)", "Base(a, b)", True),
            "demo.Child": ("changed", "Child(a)", "Child(a, b)", True),
            "demo.leaf.Leaf": ("changed", "Leaf(a)", "Leaf(a, b)", True),
        },
    ),
    "a re-exporting module's own function annotated with a changed type alias": (
        {
            "demo/__init__.py": (
                "from ._types import Pathish\nfrom ._impl import run\n"
                "def open_it(p: Pathish) -> None:\n    pass\n"
            ),
            "demo/_types.py": "Pathish = str\n",
            "demo/_impl.py": "def run():\n    pass\n",
        },
        {"demo/_types.py": "Pathish = str | bytes\n"},
        {
            # The same key on both sides (``p: Pathish``): open_it is the same to callers.
            "demo.Pathish": ("changed", "Pathish = str", "Pathish = str | bytes", False),
        },
    ),
    "a re-export of an unchanged module's class, taken from another one": (
        {
            "demo/__init__.py": "from ._a import Tool\nfrom ._impl import run\n",
            "demo/_a.py": "class Tool:\n    def __init__(self, a):\n        pass\n",
            "demo/_b.py": ("from ._c import Tool\n"),
            "demo/_c.py": (
                "class Tool:\n    def __init__(self, a, b):\n        pass\n"
                "    def use(self):\n        pass\n"
            ),
            "demo/_impl.py": "def run():\n    pass\n",
        },
        {"demo/__init__.py": "from ._b import Tool\nfrom ._impl import run\n"},
        {
            "demo.Tool": ("changed", "Tool(a)", "Tool(a, b)", True),
            "demo.Tool.use": ("added", None, "use()", False),
        },
    ),
    "a re-export added of an unchanged module's class": (
        {
            "demo/__init__.py": "from ._impl import run\n",
            "demo/_a.py": "class Tool:\n    def go(self, a):\n        pass\n",
            "demo/_impl.py": "def run():\n    pass\n",
        },
        {"demo/__init__.py": "from ._impl import run\nfrom ._a import Tool\n"},
        {"demo.Tool": ("added", None, "Tool()", False)},
    ),
    "re-exports of unchanged names beside a changed one": (
        {
            "demo/__init__.py": (
                "from ._a import Tool, helper, LIMIT\nfrom ._mid import deep\n"
                "from ._impl import run\n"
            ),
            "demo/_a.py": (
                "LIMIT = 3\nclass Tool:\n    def go(self, a):\n        pass\n"
                "def helper(x):\n    pass\n"
            ),
            "demo/_mid.py": "from ._deep import deep\n",
            "demo/_deep.py": "def deep(x, y=1):\n    pass\n",
            "demo/_impl.py": "def run(a):\n    pass\n",
        },
        {"demo/_impl.py": "def run(a, b):\n    pass\n"},
        {"demo.run": ("changed", "run(a)", "run(a, b)", True)},
    ),
    "a name moved and imported back through unchanged modules": (
        {
            "demo/__init__.py": "",
            "demo/core.py": "def f(a):\n    pass\n",
            "demo/_impl.py": "from ._deep import f\n",
            "demo/_deep.py": "def f(a, b):\n    pass\n",
        },
        {"demo/core.py": "from ._impl import f\n"},
        {"demo.core.f": ("changed", "f(a)", "f(a, b)", True)},
    ),
    "a removed re-export through an unchanged module's star import": (
        {
            "demo/__init__.py": "",
            "demo/a.py": "def F(x):\n    pass\n",
            "demo/sub/__init__.py": "from .c import F\n",
            "demo/sub/c.py": "from ..a import *\n",
        },
        {"demo/sub/__init__.py": ""},
        {"demo.sub.F": ("removed", "F(x)", None, True)},
    ),
    "a removed re-export through an unchanged module's two star imports": (
        {
            "demo/__init__.py": "",
            "demo/a.py": "def F(x):\n    pass\n",
            "demo/b.py": "def F(x, y):\n    pass\n",
            "demo/sub/__init__.py": "from .c import F\n",
            "demo/sub/c.py": "from ..a import *\nfrom ..b import *\n",
        },
        {"demo/sub/__init__.py": ""},
        {"demo.sub.F": ("removed", "F(x, y)", None, True)},
    ),
    # The star import's source is read through past its __all__, as numpy's, extended
    # by calls, needs (api_load._through_star_imports): on both loads alike.
    "a removed re-export through a star import whose module's __all__ leaves it out": (
        {
            "demo/__init__.py": "",
            "demo/a.py": "__all__ = ['G']\ndef F(x):\n    pass\ndef G():\n    pass\n",
            "demo/sub/__init__.py": "from .c import F\n",
            "demo/sub/c.py": "from ..a import *\n",
        },
        {"demo/sub/__init__.py": ""},
        {"demo.sub.F": ("removed", "F(x)", None, True)},
    ),
}


@pytest.mark.parametrize("case", sorted(CROSS_MODULE))
def test_incremental_equals_full_across_modules(tmp_path: Path, case: str) -> None:
    old, edits, expected = CROSS_MODULE[case]
    new = {path: text for path, text in {**old, **edits}.items() if text is not None}
    full, incremental = both_ways(tmp_path, old, new)
    assert names(full) == expected
    assert incremental == full


def visits_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the API comparison parses, in order, from now on."""
    visited: list[str] = []
    real_visit = api_parse.visit_module

    def counting_visit(name: str, filepath: PurePosixPath, code: str, **kw: Any) -> object:
        visited.append(str(filepath))
        return real_visit(name, filepath, code, **kw)

    monkeypatch.setattr("sphinxext.releasediff.api_load.visit_module", counting_visit)
    return visited


def test_only_what_differs_and_what_it_reaches_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    visited = visits_counted(monkeypatch)
    old = {
        "demo/__init__.py": "",
        # A run-time import that is not API: followed only for a name one side lacks.
        "demo/changed.py": "from .other0 import h0\ndef f(a):\n    pass\n",
        "demo/user.py": "from .changed import f\ndef g():\n    pass\n",
        **{f"demo/other{n}.py": f"def h{n}():\n    pass\n" for n in range(5)},
    }
    new = {**old, "demo/changed.py": "from .other0 import h0\ndef f(a, b):\n    pass\n"}
    full, _incremental = both_ways(tmp_path, old, new)
    visited.clear()
    archives = [read_archive(next((tmp_path / side).iterdir())) for side in ("0", "1")]
    assert compare_api(*archives) == full
    # demo/user.py imports the changed module but re-exports nothing: not parsed.
    assert visited == ["demo/__init__.py", "demo/changed.py"] * 2


@pytest.mark.parametrize(
    ("case", "parsed"),
    [
        # Noted by where they lead: _a, _mid and _deep define or pass on what they
        # offer, and nothing they import differs.
        (
            "re-exports of unchanged names beside a changed one",
            ["__init__", "__init__", "_impl", "_impl"],
        ),
        # The re-export differs: what it leads to is read on each side, for its entry.
        (
            "a re-export of an unchanged module's class, taken from another one",
            ["__init__", "__init__", "_a", "_b", "_c"],
        ),
    ],
)
def test_re_exports_of_unchanged_names_are_read_only_when_they_differ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, parsed: list[str]
) -> None:
    old, edits, _expected = CROSS_MODULE[case]
    new = {path: text for path, text in {**old, **edits}.items() if text is not None}
    full, _incremental = both_ways(tmp_path, old, new)
    visited = visits_counted(monkeypatch)
    archives = [read_archive(next((tmp_path / side).iterdir())) for side in ("0", "1")]
    assert compare_api(*archives) == full
    assert sorted(PurePosixPath(path).stem for path in visited) == parsed


BODY_ONLY = "def f(a):\n    return a\n\nclass C:\n    def m(self):\n        return 1\n"
BODY_EDITED = (
    "def f(a):\n    # longer now\n    b = a\n    return b\n\n"
    "class C:\n    def m(self):\n        return 2\n"
)
INIT = "class C:\n    def __init__(self):\n        self.x = {}\n"
GETATTR = "def __getattr__(name):\n    {}\n"


@pytest.mark.parametrize(
    ("old_text", "new_text", "parsed"),
    [
        (BODY_ONLY, BODY_EDITED, False),
        # What pruning keeps is compared: __init__'s body, module-level values.
        (INIT.format(1), INIT.format(2), True),
        (BODY_ONLY + "X = '''a\nb'''\n", BODY_ONLY + "X = '''a\n\nb'''\n", True),
        (BODY_ONLY, BODY_ONLY.replace("def f(a)", "def f(a, b)"), True),
        # A module's __getattr__ says in its body which names it serves.
        (GETATTR.format("return 1"), GETATTR.format("raise AttributeError(name)"), True),
    ],
    ids=["function bodies", "__init__ body", "a module-level string", "a signature", "getattr"],
)
def test_a_module_changed_only_in_function_bodies_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old_text: str, new_text: str, parsed: bool
) -> None:
    visited = visits_counted(monkeypatch)
    old = {"demo/__init__.py": "", "demo/mod.py": old_text}
    full, _incremental = both_ways(tmp_path, old, {**old, "demo/mod.py": new_text})
    visited.clear()
    archives = [read_archive(next((tmp_path / side).iterdir())) for side in ("0", "1")]
    assert compare_api(*archives) == full
    assert ("demo/mod.py" in visited) is parsed


@pytest.mark.parametrize(
    "old_b",
    ["from .a import *\n", "from .a import K\n"],
    ids=["through a wildcard", "through an import"],
)
def test_a_base_that_an_unchanged_module_imports_through_a_changed_one(
    tmp_path: Path, old_b: str
) -> None:
    """``c`` is unchanged and takes K from ``_b``, which no longer takes it from ``a``."""
    common = {
        "demo/__init__.py": "",
        "demo/a.py": "class K:\n    def __init__(self, a):\n        pass\n",
        "demo/sub/__init__.py": "",
        "demo/sub/c.py": "from .._b import K\nclass J(K):\n    pass\n",
    }
    full, incremental = both_ways(
        tmp_path, {**common, "demo/_b.py": old_b}, {**common, "demo/_b.py": ""}
    )
    assert names(full) == {"demo.sub.c.J": ("changed", "J(a)", "J(...)", False)}
    assert incremental == full


# --- generated packages --------------------------------------------------------------

MODULES = ("demo/__init__.py", "demo/a.py", "demo/_b.py", "demo/sub/__init__.py", "demo/sub/c.py")
IMPORTS = (
    "",
    "from .a import *\n",
    "from ._b import K\n",
    "from . import _b\n",
    "try:\n    from ._b import K\nexcept ImportError:\n    class K:\n        pass\n",
)
IMPORTS_IN_SUB = (
    "",
    "from ..a import *\n",
    "from .._b import K\n",
    "from .c import F\n",
    "try:\n    from .c import F\nexcept ImportError:\n    def F(z):\n        pass\n",
)
BODIES = (
    "",
    "def F(x):\n    pass\n",
    "def F(x, y=1):\n    pass\n",
    # The first F with another body, a line longer: the same API.
    "def F(x):\n    y = x\n    return y\n",
    "class K:\n    def __init__(self, a):\n        pass\n",
    "class K:\n    def __init__(self, a, *, b):\n        pass\n",
    "class J(K):\n    pass\n",
    "__all__ = ['F', 'K']\n",
    "F = 3\n",
)


def _module_source(path: str, imports: int, body: int) -> str:
    choices = IMPORTS_IN_SUB if path.startswith("demo/sub/") else IMPORTS
    if BODIES[body].startswith("class J(K)") and imports != 2:
        # Valid Python binds K where J uses it: griffe would look an unbound base up in
        # the parent package (which import never does), and the incremental load
        # follows imports, not that.
        return choices[2] + BODIES[body]
    return choices[imports] + BODIES[body]


sources = st.tuples(st.integers(0, len(IMPORTS) - 1), st.integers(0, len(BODIES) - 1))
packages = st.fixed_dictionaries(dict.fromkeys(MODULES, sources))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=packages, edits=st.dictionaries(st.sampled_from(MODULES), sources, max_size=2))
# Found by this test under CI's profile: a removed re-export through a star import.
@example(
    old={
        "demo/__init__.py": (0, 0),
        "demo/a.py": (0, 1),
        "demo/_b.py": (0, 0),
        "demo/sub/__init__.py": (3, 0),
        "demo/sub/c.py": (1, 0),
    },
    edits={"demo/sub/__init__.py": (0, 0)},
)
def test_incremental_equals_full_on_generated_packages(
    old: dict[str, tuple[int, int]], edits: dict[str, tuple[int, int]]
) -> None:
    new = {**old, **edits}
    with tempfile.TemporaryDirectory() as folder:
        full, incremental = both_ways(
            Path(folder),
            {path: _module_source(path, *choice) for path, choice in old.items()},
            {path: _module_source(path, *choice) for path, choice in new.items()},
        )
    assert incremental[0] == full[0]
    # What griffe could not resolve in modules that are not loaded is not said.
    assert set(incremental[1]) <= set(full[1])


def test_only_the_entries_that_differ_come_back_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``finish`` answers with digests; ``entries`` is asked only for the names that can
    make a row (on Django 800 of 20,000), and the result is the same."""
    from sphinxext.releasediff.api import SideResult
    from sphinxext.releasediff.api_load import SideWork

    steps: list[tuple[str, tuple[Any, ...], Any]] = []
    real_run = SideWork.run

    def recording_run(self: SideWork, step: str, *args: Any) -> Any:
        result = real_run(self, step, *args)
        steps.append((step, args, result))
        return result

    monkeypatch.setattr(SideWork, "run", recording_run)
    kept = "".join(f"def same{n}(a):\n    pass\n" for n in range(30))
    old = {"demo/__init__.py": "", "demo/mod.py": kept + "def f(a):\n    pass\n"}
    new = {
        "demo/__init__.py": "",
        "demo/mod.py": kept + "def f(a, b):\n    pass\ndef g():\n    pass\n",
    }
    full, incremental = both_ways(tmp_path, old, new)
    assert incremental == full
    assert names(incremental) == {
        "demo.mod.f": ("changed", "f(a)", "f(a, b)", True),
        "demo.mod.g": ("added", None, "g()", False),
    }
    finished = [result for step, _args, result in steps if isinstance(result, SideResult)]
    assert len(finished) == 4, "load_all (full), then finish (incremental); two sides each"
    digests = [digest for result in finished for digest in result.api.values()]
    assert {(type(digest), len(digest)) for digest in digests} == {(bytes, 33)}
    asked = [args[0] for step, args, _result in steps if step == "entries"]
    assert asked == [["demo.mod.f", "demo.mod.g"]] * 4, "full, then incremental; two sides each"
    sent = [sorted(result) for step, _args, result in steps if step == "entries"]
    assert sent == [["demo.mod.f"], ["demo.mod.f", "demo.mod.g"]] * 2
