"""Which Python files of a release users run: not tests, docs, examples or benchmarks,
unless the code users run imports them.

The exec check skips test and documentation files: a ``subprocess.run`` in a
test is not what an install runs. But a wheel installs every file it holds,
and an sdist's package folders are installed whole, so ``pkg/tests/_check.py``
runs as soon as ``pkg/__init__.py`` says ``from .tests import _check``. A
skipped file is taken back as code when a shipped module imports it (read
with the API comparison's cheap scan of import statements, relative imports
resolved) or names its dotted path in a string (``importlib.import_module``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from .api_scope import scan
from .model import Archive, MemberKind

__all__ = [
    "NOT_SHIPPED_FOLDERS",
    "absolute_parts",
    "imported_unshipped",
    "is_shipped_code",
    "module_parts",
]

NOT_SHIPPED_FOLDERS = frozenset(
    {
        "tests", "test", "testing", "docs", "doc", "examples", "example",
        "benchmarks", "benchmark", "bench",
    }
)  # fmt: skip
_SOURCE_SUFFIXES = (".py", ".pyw")
# A dotted module name in quotes, relative ones too (``import_module(".tests.x", __name__)``).
_QUOTED_DOTTED = re.compile(rb"""["'](\.*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)["']""")
# Two quoted parts of a dotted name joined, by ``+`` or side by side: ``"demo." + "testing"``.
_JOINED_PARTS = re.compile(rb"""(["'])([\w.]*)\1[ \t]*\+?[ \t]*(["'])([\w.]*)\3""")
_IMPORTS_BY_NAME = (b"import_module", b"__import__")

Parts = tuple[str, ...]


def is_shipped_code(path: str) -> bool:
    """Not a test, documentation, example or benchmark file (those are not what users run)."""
    parts = [part.lower() for part in path.split("/")]
    name = parts[-1]
    if any(part in NOT_SHIPPED_FOLDERS for part in parts[:-1]):
        return False
    is_test = name.startswith("test_") or name.endswith("_test.py")
    return not is_test and name not in ("conftest.py", "tests.py")


def imported_unshipped(archive: Archive, candidates: Iterable[str]) -> frozenset[str]:
    """The candidate paths (``.py`` files :func:`is_shipped_code` skips) that a shipped
    module of the archive imports."""
    wanted = _module_names(candidates)
    if not wanted:
        return frozenset()
    known = frozenset(key[:depth] for key in wanted for depth in range(1, len(key) + 1))
    # A module that imports a candidate spells the folder (or file) name that makes the
    # candidate unshipped (``tests``): most modules do not.
    names = sorted({key[_first_unshipped(key)].encode() for key in wanted})
    spelled = re.compile(rb"\b(?:" + b"|".join(map(re.escape, names)) + rb")\b")
    found: set[str] = set()
    for member in archive.members:
        path = member.path
        if member.kind != MemberKind.FILE or not path.endswith(_SOURCE_SUFFIXES):
            continue
        if not is_shipped_code(path):
            continue
        data = archive.content(member)
        # A plain search for the names first: six times faster than the pattern.
        if not data or not any(name in data for name in names) or not spelled.search(data):
            continue
        parts, package = module_parts(path)
        facts = scan(parts, package, data, known)
        found.update(wanted[name] for name in facts.imports if name in wanted)
        if any(word in data for word in _IMPORTS_BY_NAME):
            for dotted in _QUOTED_DOTTED.findall(_joined(data)):
                name = _absolute(dotted.decode(), parts, package)
                if name in wanted:
                    found.add(wanted[name])
    return frozenset(found)


def _joined(data: bytes) -> bytes:
    """The text with quoted parts of names that are joined written as one."""
    for _round in range(8):  # "a." + "b." + "c": each round joins one more
        joined = _JOINED_PARTS.sub(rb"\1\2\4\1", data)
        if joined == data:
            break
        data = joined
    return data


def named_unshipped(candidates: Iterable[str], modules: Iterable[str]) -> frozenset[str]:
    """The candidate paths that importing the dotted ``modules`` imports (each module and
    the packages above it): an entry point's ``demo.testing.plugin:hook`` loads
    ``demo/testing/__init__.py`` and ``demo/testing/plugin.py``."""
    wanted = {
        parts[:depth]
        for dotted in modules
        if (parts := tuple(dotted.split(".")))
        for depth in range(1, len(parts) + 1)
    }
    found = set()
    for path in candidates:
        if path.endswith(_SOURCE_SUFFIXES) and module_parts(path)[0] in wanted:
            found.add(path)
    return frozenset(found)


def _absolute(dotted: str, parts: Parts, package: bool) -> Parts:
    """A quoted module name as parts, a relative one (``.tests.x``) taken from the module
    at ``parts`` as ``import_module(name, __name__)`` takes it (as ``__package__``: near
    enough, and a wrong guess only costs a check)."""
    return absolute_parts(dotted, parts, package) or tuple(dotted.lstrip(".").split("."))


def absolute_parts(dotted: str, here: Parts, package: bool) -> Parts | None:
    """A dotted name as the module at ``here`` (a package's ``__init__`` when ``package``)
    imports it, as absolute parts: ``.x`` is a sibling, ``..x`` one level up. None when
    the dots climb past the top."""
    stripped = dotted.lstrip(".")
    dots = len(dotted) - len(stripped)
    names = tuple(part for part in stripped.split(".") if part)
    if not dots:
        return names
    base = here if package else here[:-1]
    if dots - 1 > len(base):
        return None
    return base[: len(base) - dots + 1] + names


def _module_names(candidates: Iterable[str]) -> dict[Parts, str]:
    """Each dotted name a candidate may be imported by: its whole path as parts, and each
    tail of it that starts at or above its test folder (``pkg.tests.x``, ``tests.x`` for
    ``src/pkg/tests/x.py``), to the candidate's path."""
    names: dict[Parts, str] = {}
    for path in sorted(candidates):
        if not path.endswith(_SOURCE_SUFFIXES):
            continue
        parts, _package = module_parts(path)
        if not parts:
            continue
        for start in range(_first_unshipped(parts) + 1):
            tail = parts[start:]
            if start == 0 or len(tail) >= 2:
                names.setdefault(tail, path)
    return names


def _first_unshipped(parts: Sequence[str]) -> int:
    """The index of the first folder that makes the module unshipped (the module itself
    when its name does)."""
    for index, part in enumerate(parts[:-1]):
        if part.lower() in NOT_SHIPPED_FOLDERS:
            return index
    return len(parts) - 1


def module_parts(path: str) -> tuple[Parts, bool]:
    """``a/b/c.py`` → ((a, b, c), False); ``a/b/__init__.py`` → ((a, b), True)."""
    parts = tuple(path.removesuffix(".pyw").removesuffix(".py").split("/"))
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False
