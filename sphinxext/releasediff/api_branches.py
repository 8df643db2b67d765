"""Which branch of a module's or class's ``if`` the API is read from.

The API is the one the newest Python sees: a test on ``sys.version_info`` is
decided for a Python 3 newer than any released, and only the branch it takes
is read (Sphinx 8.0 defines ``cd`` under ``if sys.version_info < (3, 11):``
only: on current Pythons it is gone), and so for a name bound to such a test
(Django 5.1's ``if not PY311:`` backport of ``enterClassContext``), read
through an imported module too (``if utils.PY3:``, six's ``PY2`` and ``PY3``).

Platforms are peers, not a sequence: both branches of a test on
``sys.platform``, ``os.name`` or ``platform.system()`` are read, the one
Linux takes last, so that where both define a name Linux's definition is the
one compared, however the test is written. Interpreters are peers alike, CPython
the one read last: ``hasattr(sys, "pypy_version_info")``,
``platform.python_implementation()``, ``sys.implementation.name`` and
``"__pypy__" in sys.builtin_module_names`` (msgpack's fallback binds
``newlist_hint`` from ``__pypy__`` on PyPy and to a function elsewhere).
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "NEWEST_PYTHON",
    "SIX_FLAGS",
    "NameFlag",
    "platform_test",
    "version_flags",
    "version_test",
]

# Newer than any release: ``sys.version_info >= (3, 11)`` holds, ``< (3, 11)`` does not.
NEWEST_PYTHON = (3, 1000, 0, "final", 0)
_LINUX = {
    "sys.platform": "linux",
    "os.name": "posix",
    "platform.system()": "Linux",
    "platform.python_implementation()": "CPython",
    "sys.implementation.name": "cpython",
}
# ``hasattr(sys, name)`` on CPython on Linux, for the names that tell another interpreter
# or platform.
_SYS_HAS = {"pypy_version_info": False, "pypy_translation_info": False, "getwindowsversion": False}


class _BuiltinModules:
    """``sys.builtin_module_names`` as far as it tells the interpreter: CPython has no
    ``__pypy__``; of any other name nothing is known (a test on it is not decided)."""

    def __contains__(self, name: object) -> bool:
        if name == "__pypy__":
            return False
        raise TypeError(f"{name!r}: not known")


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda left, right: left in right,
    ast.NotIn: lambda left, right: left not in right,
}


# What a name in a test stands for (``PY311``, ``utils.PY3``), where it is bound to a test
# on the version: Django's ``PY311 = sys.version_info >= (3, 11)``.
NameFlag = Callable[[str], bool | None]

# six is vendored or imported by name, its flags read as ``six.PY2``.
SIX_FLAGS = {"PY2": False, "PY3": True, "PY34": True}


def version_test(test: ast.expr, flag: NameFlag | None = None) -> bool | None:
    """Whether the newest Python takes an ``if`` on ``sys.version_info`` (or on a name
    ``flag`` knows as such a test); None: not such a test."""
    return _decided(test, _version_value, flag)


def platform_test(test: ast.expr) -> bool | None:
    """Whether Linux takes an ``if`` on the platform; None: not such a test."""
    return _decided(test, _platform_value)


_FLAG = re.compile(rb"^([A-Za-z_]\w*)[ \t]*=[ \t]*(sys\.version_info\b[^\n#]*)", re.MULTILINE)


def version_flags(sources: Iterable[tuple[str, bytes]]) -> dict[str, bool]:
    """Module-level names bound to a test on ``sys.version_info``, by dotted path, and what
    the newest Python makes of them (``django.utils.version.PY311``: True)."""
    flags: dict[str, bool] = {}
    for module, data in sources:
        if b"version_info" not in data:
            continue
        for match in _FLAG.finditer(data):
            try:
                test = ast.parse(match[2].decode().strip(), mode="eval").body
            except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
                continue
            taken = version_test(test)
            if taken is not None:
                flags[f"{module}.{match[1].decode()}"] = taken
    return flags


def _decided(
    test: ast.expr, value_of: Callable[[ast.expr], object], flag: NameFlag | None = None
) -> bool | None:
    """The test's truth when each operand it compares is a constant or known to ``value_of``."""
    if isinstance(test, ast.Name | ast.Attribute) and flag is not None:
        dotted = _dotted(test)
        return flag(dotted) if dotted else None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = _decided(test.operand, value_of, flag)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        parts = [_decided(value, value_of, flag) for value in test.values]
        if None in parts:
            return None
        return all(parts) if isinstance(test.op, ast.And) else any(parts)
    if isinstance(test, ast.Call) and _dotted(test.func).endswith(".startswith"):
        return _startswith(test, value_of)
    if isinstance(test, ast.Call):
        value = value_of(test)  # ``hasattr(sys, "pypy_version_info")``
        return value if isinstance(value, bool) else None
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    compare = _COMPARE.get(type(test.ops[0]))
    left = value_of(test.left) if _constant(test.left) is None else _constant(test.left)
    right = _constant(test.comparators[0])
    if right is None and isinstance(left, str):  # ``"__pypy__" in sys.builtin_module_names``
        right = value_of(test.comparators[0])
    if compare is None or left is None or right is None:
        return None
    try:
        return bool(compare(left, right))
    except TypeError:  # ``sys.version_info < "3"``: not decided
        return None


def _startswith(call: ast.Call, value_of: Callable[[ast.expr], object]) -> bool | None:
    """``sys.platform.startswith("win")``."""
    assert isinstance(call.func, ast.Attribute)
    subject = value_of(call.func.value)
    prefix = _constant(call.args[0]) if len(call.args) == 1 and not call.keywords else None
    if not isinstance(subject, str) or not isinstance(prefix, str | tuple):
        return None
    try:
        return subject.startswith(prefix)
    except TypeError:
        return None


def _version_value(node: ast.expr) -> object:
    """What ``sys.version_info``, a slice or an item of it, or ``.major``/``.minor`` is."""
    if _dotted(node) == "sys.version_info":
        return NEWEST_PYTHON
    if isinstance(node, ast.Attribute) and _dotted(node.value) == "sys.version_info":
        return {"major": NEWEST_PYTHON[0], "minor": NEWEST_PYTHON[1]}.get(node.attr)
    if isinstance(node, ast.Subscript) and _dotted(node.value) == "sys.version_info":
        index = node.slice
        if isinstance(index, ast.Slice) and index.lower is None and index.step is None:
            upper = _constant(index.upper) if index.upper is not None else None
            return NEWEST_PYTHON[:upper] if isinstance(upper, int) else None
        item = _constant(index)
        return NEWEST_PYTHON[item] if isinstance(item, int) and 0 <= item < 2 else None
    return None


def _platform_value(node: ast.expr) -> object:
    if isinstance(node, ast.Call) and not node.args and not node.keywords:
        return _LINUX.get(f"{_dotted(node.func)}()")
    if isinstance(node, ast.Call):
        return _has(node)
    if _dotted(node) == "sys.builtin_module_names":
        return _BuiltinModules()
    return _LINUX.get(_dotted(node))


def _has(call: ast.Call) -> bool | None:
    """``hasattr(sys, "pypy_version_info")`` as CPython on Linux answers it."""
    if _dotted(call.func) != "hasattr" or len(call.args) != 2 or call.keywords:
        return None
    subject, name = call.args
    attribute = _constant(name)
    if _dotted(subject) != "sys" or not isinstance(attribute, str):
        return None
    return _SYS_HAS.get(attribute)


def _constant(node: ast.expr) -> object:
    """A constant, or a tuple, list or set of constants; None otherwise."""
    if isinstance(node, ast.Constant) and node.value is not None:
        return node.value
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = [_constant(element) for element in node.elts]
        return None if None in items else tuple(items)
    return None


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` for a chain of names, else the empty string."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""
