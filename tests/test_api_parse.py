"""A module parsed once and visited on statements only gives the objects ``griffe.visit`` gives."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path, PurePosixPath

import griffe
import pytest

from sphinxext.releasediff import api_parse

from .test_api import module, rows

# Sources where a visit of statements only could miss what griffe.visit finds.
SOURCES = {
    "docstrings and calls": '''
        """Module docstring."""
        import os
        register(os)
        LIMIT = 3
        """LIMIT's docstring."""
        class Client:
            """Class docstring."""
            print("at class level")
            retries: int = 3
            """retries' docstring."""
            def get(self, path: str = "/") -> bytes:
                """Method docstring."""
                return b""
    ''',
    "init bodies": """
        class Client:
            def __init__(self, host, port=0, *args, **kwargs):
                import socket
                from os import path
                local = 1
                self.host = host
                self.port: int = port
                self.count += 1
                self.items[0] = 1
                self.inner.value = 2
                other.value = 3
                x: int = 4
                print(local)
                for item in args:
                    self.last = item
                    log(item)
                while False:
                    self.never = 1
                with open(path) as handle:
                    self.handle = handle
                try:
                    self.sock = socket.socket()
                except OSError:
                    self.sock = None
                    self.failed = True
                else:
                    self.ok = True
                finally:
                    self.done = True
                match port:
                    case 0:
                        self.default_port = True
                    case _:
                        pass
                def helper(value):
                    self.helped = value
                class Inner:
                    flag = 1
                if port:
                    self.port = port
                else:
                    self.port = 80
                    self.fallback: bool = True
    """,
    "if TYPE_CHECKING": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from os import PathLike
            class Hinted:
                def __init__(self):
                    pass
            def after(): pass
        RUNTIME = 2
    """,
    "init under if, overloads, properties": """
        from typing import overload
        class Picked:
            if FAST:
                def __init__(self, a):
                    self.new = a
            else:
                def __init__(self, a, b=0):
                    self.old = a
            @overload
            def get(self, key: int) -> int: ...
            @overload
            def get(self, key: str) -> str: ...
            def get(self, key):
                return key
            @property
            def size(self) -> int:
                return 1
            @size.setter
            def size(self, value):
                pass
            def __init_subclass__(cls, **kwargs):
                cls.x = 1
        def __init__(self):
            self.module_level = 1
    """,
    "exports and assignments": """
        \"\"\"Doc.\"\"\"
        from .core import a, b
        __all__ = ["a"]
        \"\"\"Exports.\"\"\"
        __all__ += ["b"]
        __all__.extend(["c"])
        try:
            from ._speedups import fast
        except ImportError:
            def fast(x):
                return x
            fast.slow = True
        for _name in ("x", "y"):
            globals()[_name] = 1
        del _name
        VALUE = 1
        if VALUE:
            VALUE = 2
    """,
    "nested classes": """
        class Outer:
            class Inner:
                \"\"\"Inner.\"\"\"
                def __init__(self, a):
                    \"\"\"Init.\"\"\"
                    self.a, self.b = a
                    self.c = a
            def method(self):
                class Hidden:
                    pass
    """,
}


def shape(obj: griffe.Object | griffe.Alias) -> object:
    """What of a griffe object the API reads, members included (a function's excepted)."""
    if isinstance(obj, griffe.Alias):
        return ("alias", obj.target_path, obj.runtime, obj.alias_lineno, obj.alias_endlineno)
    found: list[object] = [obj.kind.value, sorted(obj.labels), obj.runtime]
    found += [obj.lineno, obj.endlineno]
    if isinstance(obj, griffe.Function):
        found.append([(p.name, p.kind, str(p.annotation), str(p.default)) for p in obj.parameters])
        found += [str(obj.returns), [str(d.value) for d in obj.decorators]]
        found.append(len(obj.overloads or ()))
        return found
    if isinstance(obj, griffe.Attribute):
        found += [str(obj.value), str(obj.annotation), obj.setter is not None]
    if isinstance(obj, griffe.Class):
        found += [[str(base) for base in obj.bases], [str(d.value) for d in obj.decorators]]
        found.append({name: len(overloads) for name, overloads in obj.overloads.items()})
    if isinstance(obj, griffe.Module):
        found.append([str(export) for export in obj.exports or ()])
    found.append({name: shape(member) for name, member in sorted(obj.members.items())})
    return found


def both_visits(source: str) -> tuple[object, object]:
    """griffe.visit's objects and visit_module's."""
    code = textwrap.dedent(source)
    path = PurePosixPath("demo/core.py")
    with griffe.logger.disable():
        plain = griffe.visit("core", Path(path), code, extensions=griffe.Extensions())
        parsed, _unpacked = api_parse.visit_module(
            "core", path, code, parent=None, loader=griffe.GriffeLoader()
        )
    return shape(plain), shape(parsed)


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_a_statements_only_visit_gives_what_griffe_visit_gives(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What griffe does not read of __all__ is read after its visit (test below).
    monkeypatch.setattr(api_parse, "_read_export_calls", lambda body, module: None)
    plain, parsed = both_visits(SOURCES[case])
    assert parsed == plain


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_without_native_pruning_the_same(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_parse, "_prune", None)
    monkeypatch.setattr(api_parse, "_read_export_calls", lambda body, module: None)
    plain, parsed = both_visits(SOURCES[case])
    assert parsed == plain


def test_calls_on_dunder_all_are_read_after_griffe_visits() -> None:
    plain, parsed = both_visits(SOURCES["exports and assignments"])
    assert isinstance(plain, list)
    assert isinstance(parsed, list)
    assert ["a", "b"] in plain
    assert ["a", "b", "c"] in parsed


def test_no_parent_link_points_back_into_the_tree() -> None:
    """griffe reads a statement's parent; a link to the real parent makes each tree a cycle
    that only the cyclic collector frees (paused while the trees are built). The parent
    griffe sees is an empty node of the parent's type, with nothing to scan for docstrings."""
    code = textwrap.dedent(SOURCES["init bodies"] + SOURCES["docstrings and calls"])
    tree = ast.parse(code)
    visitor = api_parse._StatementVisitor(
        "core", Path("core.py"), code, griffe.Extensions(), lines_collection=None
    )
    visitor.module(tree)
    nodes = {id(node) for node in ast.walk(tree)}
    seen = {id(node): vars(node)["parent"] for node in ast.walk(tree) if "parent" in vars(node)}
    assert seen
    assert [parent for parent in seen.values() if id(parent) in nodes] == []
    real_parent = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    assert all(type(parent) is type(real_parent[key]) for key, parent in seen.items())
    assert all(not list(ast.iter_child_nodes(parent)) for parent in seen.values())


def test_unpacked_targets_are_read_from_the_tree() -> None:
    """On one line or over several, nested, starred, beside other targets; not an item."""
    code = textwrap.dedent(
        """\
        class Route:
            @decorated
            def __init__(self, r):
                self._regex, self.converters = f(r)
                (self.strict, self.name) = (True, r)
                left, *self.rest = r
                if r:
                    self.a, self.b = r
                (
                    self.spread,
                    self.over_lines,
                ) = r
                x = self.c, self.d = r
                self.e, self.f[0] = r
        """
    )
    module_, unpacked = api_parse.visit_module(
        "core", PurePosixPath("core.py"), code, parent=None, loader=griffe.GriffeLoader()
    )
    init = module_["Route.__init__"]
    assert (init.lineno, init.endlineno) == (2, 14)
    assert unpacked == {
        (2, 14): [
            ("_regex", 4),
            ("converters", 4),
            ("strict", 5),
            ("name", 5),
            ("rest", 6),
            ("a", 8),
            ("b", 8),
            ("spread", 10),
            ("over_lines", 11),
            ("c", 13),
            ("d", 13),
            ("e", 14),
        ]
    }


def test_unpacking_inside_a_block_makes_attributes(tmp_path: Path) -> None:
    before = "class Route:\n    def __init__(self, r):\n        pass\n"
    after = (
        "class Route:\n    def __init__(self, r):\n"
        "        for item in r:\n            self.head, self.tail = item\n"
    )
    assert rows(tmp_path, module(before), module(after)) == {
        "demo.core.Route.head": ("added", "attribute", None, "head", False),
        "demo.core.Route.tail": ("added", "attribute", None, "tail", False),
    }


def test_names_under_type_checking_stay_so_after_an_if_inside() -> None:
    """griffe clears its flag after any ``if``, even one in an ``__init__`` under
    ``if TYPE_CHECKING:``: what followed read as run-time names."""
    code = textwrap.dedent(
        """\
        import typing as t
        if t.TYPE_CHECKING:
            class Hinted:
                def __init__(self):
                    if self:
                        pass
            if FLAG:
                pass
            AFTER = 1
        else:
            OTHERWISE = 2
        """
    )
    parsed, _unpacked = api_parse.visit_module(
        "core", PurePosixPath("core.py"), code, parent=None, loader=griffe.GriffeLoader()
    )
    runtime = {name: member.runtime for name, member in parsed.members.items()}
    assert runtime == {"t": True, "Hinted": False, "AFTER": False, "OTHERWISE": True}
