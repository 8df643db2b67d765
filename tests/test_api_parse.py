"""A module parsed once and visited on statements only gives the objects ``griffe.visit`` gives."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path, PurePosixPath

import griffe
import pytest

from sphinxext.releasediff import api_parse

from .test_api import module, rows

# Each source exercises one cut: what is cut must leave griffe's objects as they were.
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
    "if TYPE_CHECKING is cleared by any if griffe visits": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from os import PathLike
            class Hinted:
                def __init__(self):
                    if self:
                        pass
                    for x in ():
                        if x:
                            call()
            AFTER = 1
            def after(): pass
        RUNTIME = 2
    """,
    "init under if, overloads, properties": """
        import sys
        from typing import overload
        class Picked:
            if sys.version_info >= (3, 12):
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
    """griffe.visit's objects and visit_module's, all cuts made but that of private methods
    (tested apart, below: their objects are gone, by design)."""
    code = textwrap.dedent(source)
    path = PurePosixPath("demo/core.py")
    with griffe.logger.disable(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(api_parse, "_unused_private", lambda _statement, _text: False)
        plain = griffe.visit("core", Path(path), code, extensions=griffe.Extensions())
        parsed, _unpacked = api_parse.visit_module(
            "core", path, code, parent=None, loader=griffe.GriffeLoader()
        )
    return shape(plain), shape(parsed)


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_the_cut_tree_gives_what_griffe_visit_gives(case: str) -> None:
    plain, parsed = both_visits(SOURCES[case])
    assert parsed == plain


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_without_native_pruning_the_same(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api_parse, "_prune", None)
    plain, parsed = both_visits(SOURCES[case])
    assert parsed == plain


def test_the_cuts_are_made() -> None:
    """What the cuts leave of a tree: no expression statements, ``__init__`` bodies cut to
    ``self.x`` assignments and the blocks and ``if`` statements holding them."""
    tree = ast.parse(textwrap.dedent(SOURCES["init bodies"]) + '"""Trailing."""\nf()\n')
    api_parse._cut_scope(tree.body, [], "", in_class=False)
    assert ast.unparse(tree) == textwrap.dedent(
        """\
        class Client:

            def __init__(self, host, port=0, *args, **kwargs):
                self.host = host
                self.port: int = port
                for item in args:
                    self.last = item
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
                if port:
                    self.port = port
                else:
                    self.port = 80
                    self.fallback: bool = True"""
    )


def test_no_parent_links_are_left_on_the_tree() -> None:
    """griffe links nodes to their parents while it visits; left, each tree is a cycle that
    only the cyclic collector frees (which is paused while the trees are built)."""
    code = textwrap.dedent(SOURCES["init bodies"] + SOURCES["docstrings and calls"])
    tree = ast.parse(code)
    visitor = api_parse._StatementVisitor(
        "core", Path("core.py"), code, griffe.Extensions(), lines_collection=None
    )
    visitor.module(tree)
    assert [node for node in ast.walk(tree) if "parent" in vars(node)] == []


def test_unpacked_targets_are_read_from_their_line() -> None:
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
        ]
    }


def test_unpacking_inside_a_cut_block_still_makes_attributes(tmp_path: Path) -> None:
    """The unpacking is noted before the ``__init__`` body is cut."""
    before = "class Route:\n    def __init__(self, r):\n        pass\n"
    after = (
        "class Route:\n    def __init__(self, r):\n"
        "        for item in r:\n            self.head, self.tail = item\n"
    )
    assert rows(tmp_path, module(before), module(after)) == {
        "demo.core.Route.head": ("added", "attribute", None, "head", False),
        "demo.core.Route.tail": ("added", "attribute", None, "tail", False),
    }


# --- private methods nothing names ---------------------------------------------------

PRIVATE = {
    "named by a public name": (
        "class A:\n    def _impl(self, x):\n        pass\n    run = _impl\n",
        {"demo.core.A.run": "run(x)"},
    ),
    "named under an if": (
        "class A:\n    if True:\n        def __impl(self, x):\n            pass\n"
        "    run = __impl\n",
        {"demo.core.A.run": "run(x)"},
    ),
    "unnamed": (
        "class A:\n    def _helper(self):\n        pass\n    def __eq__(self, other):\n"
        "        return self._helper()\n    def go(self, y=1):\n        pass\n",
        {"demo.core.A.go": "go(y=1)"},
    ),
}


@pytest.mark.parametrize("case", sorted(PRIVATE))
def test_only_private_methods_nothing_names_are_cut(tmp_path: Path, case: str) -> None:
    source, expected = PRIVATE[case]
    found = rows(tmp_path, module("class A:\n    pass\n"), module(source))
    assert {name: row[3] for name, row in found.items()} == expected


def test_a_modules_private_function_is_kept(tmp_path: Path) -> None:
    """Another module may import it under a public name."""
    old = module("def _impl(x):\n    pass\n")
    new = {**old, "demo/__init__.py": "from .core import _impl as impl\n"}
    assert rows(tmp_path, old, new) == {"demo.impl": ("added", "function", None, "impl(x)", False)}


def test_the_private_methods_cut() -> None:
    source = (
        "class A:\n"
        "    def _once(self): pass\n"
        "    def __repr__(self): pass\n"
        "    __str__ = __repr__\n"
        "    def __init__(self): pass\n"
        "    def _get(self): pass\n"
        "    def _get_all(self): pass\n"
        "    @property\n    def _size(self): pass\n"
        "    @_size.setter\n    def _size(self, value): pass\n"
        "    @_decorator\n    def public(self): pass\n"
        "    def _decorator(f): pass\n"
        "def _module_level(): pass\n"
    )
    tree = ast.parse(source)
    api_parse._cut_scope(tree.body, [], source, in_class=False)
    kept = [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]
    assert kept == [
        "_module_level",
        "__repr__",
        "__init__",
        "_get",
        "_size",
        "_size",
        "public",
        "_decorator",
    ]
