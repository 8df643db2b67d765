"""Risky functions a file takes from the release's own modules, for the exec check.

The check reads one file at a time, so a call split across files hid from it:
``pkg/_compat.py`` says ``run = os.system`` (or ``from subprocess import
check_call as run``), and ``pkg/__init__.py`` adds ``from ._compat import run``
and ``run(cmd)``. Here the names a file imports from the release (relative
imports, or its own top-level packages) are followed into the modules that
define them, a few steps deep, and those that stand for a risky function are
given back by local name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .callscan import import_bindings
from .model import Archive, MemberKind
from .shipped import absolute_parts, module_parts

__all__ = ["Borrowed", "ReleaseModules"]

Parts = tuple[str, ...]
# How many modules a name is followed through (``from ._impl import run`` in ``_compat``).
_MAX_HOPS = 3
# The largest module read here, as the exec check's own limit.
_MAX_BYTES = 1 << 20


class ReleaseModules:
    """The release's Python modules, read on demand (their imports and plain module-level
    assignments, by pattern: no module is parsed), each at most once."""

    def __init__(
        self,
        archive: Archive,
        risky: Callable[[str], bool],
        wrappers: Callable[[bytes], dict[str, str]] | None = None,
    ) -> None:
        """``wrappers``: of a module's text, its functions that hand a parameter on to a
        risky function, with the function each wraps (the text is parsed: only asked for
        a module that defines the name looked for)."""
        self._archive = archive
        self._risky = risky
        self._wrappers = wrappers
        self._wrapped: dict[Parts, dict[str, str]] = {}
        self._files = {
            module_parts(member.path): member
            for member in archive.members
            if member.kind == MemberKind.FILE and member.path.endswith(".py")
        }
        self._tops = frozenset(parts[0] for parts, _package in self._files if parts)
        self._texts: dict[Parts, _ModuleText | None] = {}
        self._imported: frozenset[Parts] | None = None

    def borrowed(
        self, path: str, data: bytes, called: Callable[[str], bool] | None = None
    ) -> dict[str, Borrowed]:
        """Local name → the risky function it stands for, of what the file imports from the
        release; a function that wraps one only where ``called`` says the file calls it
        anew (the function's module is parsed)."""
        here, package = module_parts(path)
        found: dict[str, Borrowed] = {}
        try:
            bindings = list(import_bindings(data))
        except ValueError:
            return found
        for local, dotted in bindings:
            target = self._absolute(dotted, here, package)
            if target is None:
                continue
            name = self._follow(target, _MAX_HOPS, called is not None and called(local))
            if name is not None:
                found[local] = name
        return found

    def imported_from(self, path: str, name: str) -> bool:
        """Whether a module of the release imports ``name`` from the module at ``path``
        (``from ._compat import run``)."""
        if self._imported is None:
            self._imported = frozenset(self._imports())
        here, _package = module_parts(path)
        return (*here, name) in self._imported

    def _imports(self) -> Iterator[Parts]:
        """The absolute dotted names the release's modules import, as parts."""
        for (parts, package), _member in self._files.items():
            text = self._module_text(parts)
            for dotted in text.bindings.values() if text is not None else ():
                names = absolute_parts(dotted, parts, package)
                if names:
                    yield names

    def _absolute(self, dotted: str, here: Parts, package: bool) -> Parts | None:
        """An imported dotted name as absolute parts, when it is in the release."""
        names = absolute_parts(dotted, here, package)
        return names if names and names[0] in self._tops else None

    def _follow(self, target: Parts, hops: int, wrapper: bool = False) -> Borrowed | None:
        """What ``module.attr`` stands for, when that is a risky function (or, with
        ``wrapper``, a function that wraps one)."""
        if hops <= 0 or len(target) < 2:
            return None
        module, attr = target[:-1], target[-1]
        text = self._module_text(module)
        if text is None:
            return None
        bindings = text.bindings
        dotted = bindings.get(attr)
        if dotted is None:
            assigned = text.assigned.get(attr)
            if assigned is None:
                return self._wrapped_by(module, attr) if wrapper else None
            head, _dot, rest = assigned.partition(".")
            base = bindings.get(head)
            if base is None:
                return None
            dotted = f"{base}.{rest}" if rest else base
        if self._risky(dotted):
            return Borrowed(dotted)
        # Taken in turn from another module of the release.
        onward = self._absolute(dotted, module, (module, True) in self._files)
        return self._follow(onward, hops - 1, wrapper) if onward is not None else None

    def _wrapped_by(self, module: Parts, function: str) -> Borrowed | None:
        """The risky function that ``module.function``, a function of the release, hands
        its argument on to (``def run(cmd): return os.system(cmd)``)."""
        if self._wrappers is None:
            return None
        data = self._module_data(module)
        if data is None or not re.search(_DEF % re.escape(function.encode()), data, re.M):
            return None
        if module not in self._wrapped:
            self._wrapped[module] = self._wrappers(data)
        wrapped = self._wrapped[module].get(function)
        return None if wrapped is None else Borrowed(wrapped, through=function)

    def _module_data(self, module: Parts) -> bytes | None:
        member = self._files.get((module, False)) or self._files.get((module, True))
        data = self._archive.content(member) if member is not None else None
        return data if data is not None and len(data) <= _MAX_BYTES else None

    def _module_text(self, module: Parts) -> _ModuleText | None:
        if module not in self._texts:
            data = self._module_data(module)
            text = None
            if data is not None:
                try:
                    text = _ModuleText(dict(import_bindings(data)), _assignments(data))
                except ValueError:
                    text = None
            self._texts[module] = text
        return self._texts[module]


@dataclass(frozen=True, slots=True)
class Borrowed:
    """The risky function a borrowed name stands for; ``through``, the release's function
    that wraps it, when the name is one (``def run(cmd): return os.system(cmd)``)."""

    function: str
    through: str | None = None


@dataclass(frozen=True, slots=True)
class _ModuleText:
    """What a module's imports bind and its plain assignments name, read without parsing."""

    bindings: dict[str, str]
    assigned: dict[str, str]


# A module-level ``def NAME(`` (``async def`` too).
_DEF = rb"^(?:async[ \t]+)?def[ \t]+%s[ \t]*\("
# ``name = a.b`` or ``name: T = a.b`` at the start of a line, the value a dotted name.
_ASSIGNMENT = re.compile(
    rb"^([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*([A-Za-z_][\w.]*)[ \t]*(?:#[^\n]*)?\r?$",
    re.MULTILINE,
)


def _assignments(data: bytes) -> dict[str, str]:
    """Module-level ``name = a.b`` bindings; of a name bound twice, the last (which is
    what importers get)."""
    return {name.decode(): value.decode() for name, value in _ASSIGNMENT.findall(data)}
