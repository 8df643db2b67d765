"""One release's side of the API comparison: its modules loaded with griffe, step by step.

:class:`SideWork` holds one release's griffe trees and takes the steps
:class:`.api.ApiComparison` asks for; :class:`LocalSide` runs them in this
process. A side may as well live in a worker process (:mod:`.api_worker`):
every step takes and returns plain values.
"""

from __future__ import annotations

import ast
import builtins
import collections
import contextlib
import functools
import importlib
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

import griffe

from .api import ApiEntry, Param, SideResult, entry_digest
from .api_aliases import TypeAliases
from .api_branches import version_flags
from .api_modules import (
    MAX_DEPTH,
    MAX_ROUNDS,
    ModuleSource,
    ModuleTable,
    Parts,
    decode_source,
    module_table,
    unreadable_reason,
)
from .api_parse import EXTRA, Shipped, Unpacked, visit_module
from .api_scope import ModuleNames, module_names
from .collector import collector_paused
from .model import Archive

__all__ = ["LocalSide", "SideWork"]


# Paths one round of :meth:`_Reader.needed` looks up at most: Django 5.1 takes 2,500 a side.
MAX_LOOKUPS = 200_000


class _Mro:
    """``Class.mro()`` remembered: griffe computes each class's linearisation anew from its
    bases' every time, which on Django cost more than parsing the modules."""

    def __init__(self) -> None:
        self.known: dict[int, list[griffe.Class]] = {}

    def __call__(self, cls: griffe.Class) -> list[griffe.Class]:
        return self._linear(cls, ())[1:]

    def _linear(self, cls: griffe.Class, seen: tuple[str, ...]) -> list[griffe.Class]:
        known = self.known.get(id(cls))
        if known is not None:
            return known
        seen = (*seen, cls.path)
        bases = [base for base in cls.resolved_bases if isinstance(base, griffe.Class)]
        for base in bases:
            if base.path in seen:
                raise ValueError(f"inheritance cycle: {' -> '.join((*seen, base.path))}")
        linear = [cls]
        if bases:
            linear += griffe.c3linear_merge(*[self._linear(base, seen) for base in bases], bases)
        self.known[id(cls)] = linear
        return linear

    def clear(self) -> None:
        self.known.clear()


@dataclass(slots=True)
class _Side:
    """One release read for its API: names, the classes holding them, and what failed."""

    api: dict[str, ApiEntry] = field(default_factory=dict)
    classes: dict[str, griffe.Class] = field(default_factory=dict)
    # Module paths whose source could not be read: names under them are not compared.
    unread: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    modules: int = 0
    mro: _Mro = field(default_factory=_Mro)
    aliases: TypeAliases = field(default_factory=TypeAliases)
    # Modules that define a module-level ``__getattr__``, with their source text.
    dynamic: dict[str, str] = field(default_factory=dict)
    # Modules that bind names at run time past what they spell (``globals().update``, a
    # module ``__getattr__``): a name their ``__all__`` lists exists though only
    # ``if TYPE_CHECKING:`` binds it for the eye.
    binding_at_run_time: set[str] = field(default_factory=set)


class LocalSide:
    """A :class:`.api.SideRunner` that runs each step in this process when it is waited for."""

    def __init__(self, modules: ModuleTable) -> None:
        self.work = SideWork(modules)
        self.modules = modules
        self._steps: collections.deque[tuple[str, tuple[Any, ...]]] = collections.deque()

    @classmethod
    def of(cls, archive: Archive) -> LocalSide:
        return cls(module_table(archive))

    def start(self, step: str, *args: Any) -> None:
        # Run when waited for: until then this process does other work without the
        # trees the step builds (each collection pass of the garbage collector walks them).
        self._steps.append((step, args))

    def wait(self) -> Any:
        assert self._steps, "wait() without a step started"
        step, args = self._steps.popleft()
        return self.work.run(step, *args)


def _add_unpacked_instance_attributes(module: griffe.Module, unpacked: Unpacked) -> None:
    """Instance attributes a class's ``__init__`` sets by unpacking, which griffe leaves out
    (Django 5.1's ``self._regex, self.converters = ...`` read as ``converters`` removed)."""
    if not unpacked:
        return
    for cls in _classes(module):
        init = cls.members.get("__init__")
        if not isinstance(init, griffe.Function) or init.lineno is None or init.endlineno is None:
            continue
        for name, lineno in unpacked.get((init.lineno, init.endlineno), ()):
            if name not in cls.members:
                attribute = griffe.Attribute(name, lineno=lineno, endlineno=lineno)
                attribute.labels.add("instance-attribute")
                cls.set_member(name, attribute)


def _classes(scope: griffe.Object) -> Iterator[griffe.Class]:
    """The classes defined in a module or class, nested ones included (to MAX_DEPTH)."""
    pending = [scope]
    while pending:
        for member in pending.pop().members.values():
            if isinstance(member, griffe.Class) and member.path.count(".") < MAX_DEPTH:
                yield member
                pending.append(member)


class _Reader:
    """One release's modules loaded into griffe, all at once or a chosen set in rounds."""

    def __init__(self, table: ModuleTable) -> None:
        self.filename = table.filename
        self.side = _Side(unread=set(table.unread), notes=list(table.notes))
        self.budget_notes = len(table.notes)
        self.sources = table.sources
        self.folders = table.folders
        self.version_flags = version_flags(
            (".".join(parts), source.data or b"") for parts, source in table.sources.items()
        )
        self.loader = griffe.GriffeLoader(
            allow_inspection=False, extensions=griffe.load_extensions()
        )
        self.modules: dict[Parts, griffe.Module] = {}
        self.tried: set[Parts] = set()
        # Notes of visits, by module, so that rounds give the order one visit gives.
        self.visit_notes: list[tuple[tuple[int, Parts], str]] = []
        self.step_notes: dict[str, None] = {}
        # What :meth:`needed` followed already, and what waits for a module to be visited.
        self.followed: set[tuple[str, str]] = set()
        self.blocked: list[tuple[str, str]] = []
        # The affected modules whose names were followed: own definitions too (True), or
        # re-exports only.
        self.referenced: dict[Parts, bool] = {}
        # Dotted paths of the modules whose names are compared; None: all of them.
        self.affected: set[str] | None = None
        # Of the affected modules, those whose own definitions may differ (see
        # :meth:`.api.ApiComparison`); the others only re-export. None: all of them.
        self.full: frozenset[Parts] | None = None
        # The re-exports of settled names (see :meth:`settled`) the last describe noted
        # by where they lead, by dotted name; and the scans that tell.
        self.symbolic: dict[str, griffe.Alias] = {}
        self.names: dict[Parts, ModuleNames | None] = {}
        # The re-exports not followed for being settled: followed once no longer so.
        self.settled_skipped: dict[tuple[str, str], None] = {}

    def visit(self, wanted: Iterable[Parts]) -> None:
        """Visit each wanted module's source text under its parent, parents first."""
        fresh = (self.folders & set(wanted)) - self.tried
        for parts in sorted(fresh, key=_visit_order):
            self.tried.add(parts)
            parent = self.modules.get(parts[:-1]) if len(parts) > 1 else None
            if len(parts) > 1 and parent is None:
                continue  # its package could not be read
            module = self._module(parts, self.sources.get(parts), parent)
            if module is None:
                continue
            self.modules[parts] = module
            _note_star_imports(module)
            if parent is None:
                self.loader.modules_collection.set_member(module.path, module)
            else:
                parent.set_member(parts[-1], module)

    def resolve(self) -> None:
        """Expand ``__all__`` and wildcards, resolve aliases, let extensions finish the tree.

        Safe to run again after more modules were visited: what was expanded
        stays so, and what could not be is tried again.
        """
        loader = self.loader
        for _parts, module in sorted(self.modules.items()):
            self._guard(module.path, loader.expand_exports, module)
        tops = self._tops()
        for top in tops:
            if top.path in self.side.unread:
                continue
            package = [module for parts, module in self.modules.items() if parts[0] == top.name]
            tangle = _star_tangle(package)
            if tangle:
                self._leave_out(top.path, tangle)
                _drop_star_imports(package)  # resolve_aliases would expand them too
                continue
            self._guard(top.path, loader.expand_wildcards, top, external=False)
        self._guard("aliases", loader.resolve_aliases, external=False)
        if not self._mentions(b"dataclass"):
            return  # the extension would find nothing to do, at the cost of every MRO
        for top in tops:
            self._guard(top.path, _fire_package_event, loader, top)

    def _mentions(self, word: bytes) -> bool:
        return any(word in (self.sources[p].data or b"") for p in self.modules if p in self.sources)

    def describe(self) -> _Side:
        """Flatten the trees to public names; the side's notes in a stable order."""
        side = self.side
        side.aliases = TypeAliases(self.modules.values(), self.loader.modules_collection)
        full = None if self.full is None else {".".join(parts) for parts in self.full}
        walker = _Walker(side, self.affected, full, self.settled_target)
        for top in self._tops():
            if top.name.startswith("_"):
                continue
            try:
                walker.module(top, top.path)
            except Exception as exc:  # a tree griffe built but cannot describe
                self._leave_out(top.path, exc)
        try:
            walker.finish()
        except Exception as exc:
            self._leave_out("re-exports", exc)
        self.symbolic = walker.symbolic
        walker_notes = side.notes[self.budget_notes :]
        del side.notes[self.budget_notes :]
        side.notes.extend(note for _key, note in sorted(self.visit_notes, key=lambda n: n[0]))
        side.notes.extend(self.step_notes)
        side.notes.extend(walker_notes)
        side.modules = len(self.modules) + len(self.sources.keys() - self.tried)
        return side

    def _tops(self) -> list[griffe.Module]:
        return [module for parts, module in sorted(self.modules.items()) if len(parts) == 1]

    def _leave_out(self, what: str, why: Exception | str) -> None:
        """A part that could not be read is compared on neither side, and said."""
        self.side.unread.add(what)
        reason = why if isinstance(why, str) else _reason(why)
        self.side.notes.append(f"{self.filename}: {what}: left out of the API: {reason}")

    def _guard(self, what: str, step: Callable[..., object], *args: object, **kw: object) -> None:
        """Run one griffe step; a failure on odd input is a note, never a lost comparison."""
        try:
            step(*args, **kw)
        except Exception as exc:  # griffe raises many kinds on hostile trees
            self.step_notes[f"{self.filename}: {what}: not fully resolved: {_reason(exc)}"] = None

    def _note_unread(self, parts: Parts, note: str) -> None:
        self.side.unread.add(".".join(parts))
        self.visit_notes.append((_visit_order(parts), f"{self.filename}: {note}"))

    def _module(
        self, parts: Parts, source: ModuleSource | None, parent: griffe.Module | None
    ) -> griffe.Module | None:
        loader = self.loader
        # A virtual path made of identifiers only: griffe reads no file, it only
        # needs the name to tell a package's __init__ from a plain module.
        folder = PurePosixPath(*parts)
        if source is None:
            return griffe.Module(
                parts[-1],
                filepath=[folder],  # type: ignore[list-item]
                parent=parent,
                modules_collection=loader.modules_collection,
                lines_collection=loader.lines_collection,
            )
        reason = unreadable_reason(source)
        code = None if reason else decode_source(source.data or b"")
        if code is None:
            self._note_unread(parts, f"{source.path} {reason or 'cannot be decoded'}")
            return None
        filepath = folder / "__init__.py" if source.package else folder.with_suffix(".py")
        try:
            module, unpacked = visit_module(
                parts[-1],
                filepath,
                code,
                parent=parent,
                loader=loader,
                flags=self.version_flags,
                stub=source.path.endswith(".pyi"),
                shipped=self._shipped,
            )
        except Exception as exc:  # SyntaxError, ValueError, RecursionError, …
            self._note_unread(parts, f"{source.path} does not parse: {_reason(exc)}")
            return None
        _add_unpacked_instance_attributes(module, unpacked)
        if isinstance(module.members.get("__getattr__"), griffe.Function):
            self.side.dynamic[module.path] = code
            self.side.binding_at_run_time.add(module.path)
        if "globals()" in code:
            self.side.binding_at_run_time.add(module.path)
        return module

    def _shipped(self, dotted: str) -> Shipped | None:
        parts = tuple(dotted.split("."))
        names = self._names_of(parts)
        return None if names is None else (names, self.sources[parts].data or b"")

    def needed(self, affected: Iterable[Parts]) -> set[Parts]:
        """Modules not yet visited that names of the affected modules lead to.

        Followed by name, not by import: re-exported names (through aliases,
        wildcards and ``__all__`` taken from elsewhere) to where they are
        defined, and classes to their bases, so that kinds, signatures and
        inherited constructors come out as a full load gives them.
        """
        pending, self.blocked = self.blocked, []
        # What was settled may not be any more: ``full`` grew.
        pending.extend(self.settled_skipped)
        self.settled_skipped = {}
        for parts in sorted(affected):
            own = self.full is None or parts in self.full
            if parts in self.referenced and self.referenced[parts] >= own:
                continue  # followed already, as far
            module = self.modules.get(parts)
            if module is not None:
                pending.extend(_references(module, own=own))
                self.referenced[parts] = own
        missing: set[Parts] = set()
        budget = MAX_LOOKUPS
        while pending:
            item = pending.pop()
            if item in self.followed:
                continue
            if item[1] == "alias" and self.settled(item[0]):
                self.settled_skipped[item] = None
                continue
            budget -= 1
            if budget < 0:
                # Crafted bases (``class C(C.a, C.b)``) could double the paths on every lap.
                self.step_notes[
                    f"{self.filename}: names not fully followed (over {MAX_LOOKUPS:,} lookups)"
                ] = None
                break
            path, mode = item
            before = len(pending)
            found = self._lookup(path, missing, pending, mode)
            if mode == "alias" and len(pending) > before + 1:
                # Several places may hold the name (two star imports, two bases): which
                # one does, only their loaded trees tell, so none is passed over as
                # settled (settled_target follows one way on only).
                pending[before:] = [(onward, "name") for onward, _mode in pending[before:]]
            if isinstance(found, _Blocked):
                self.blocked.append(item)
                continue
            self.followed.add(item)
            if found is not None:
                pending.extend(_follow(found, mode))
        return missing

    def settled(self, path: str) -> bool:
        """Whether a dotted path names what a module read whole on neither side (outside
        ``full``: the same on both) defines itself, or imports from where it is settled
        in turn: then what it is, is the same on both sides, found by its bytes alone."""
        if self.full is None:
            return False
        parts = tuple(path.split("."))
        for _hop in range(MAX_DEPTH):
            module, name = parts[:-1], parts[-1]
            if module not in self.folders or module in self.full or parts in self.folders:
                return False
            names = self._names_of(module)
            if names is None or names.opaque:
                return False
            if name not in names.imported:
                return name in names.defined
            source = names.imported[name]
            if source is None or name in names.defined:
                return False
            parts = (*source[0], source[1])
        return False

    def _names_of(self, module: Parts) -> ModuleNames | None:
        if module not in self.names:
            source = self.sources.get(module)
            data = source.data if source is not None else None
            self.names[module] = (
                None
                if source is None or data is None
                else module_names(module, source.package, data)
            )
        return self.names[module]

    def settled_target(self, alias: griffe.Alias) -> str | None:
        """The first settled path an alias leads to through the loaded modules, if any."""
        path = alias.target_path
        for _hop in range(MAX_DEPTH * 4):
            if self.settled(path):
                return path
            onward: list[tuple[str, str]] = []
            found = self._lookup(path, set(), onward, "alias")
            if isinstance(found, griffe.Alias) and not found.wildcard:
                path = found.target_path
            elif found is None and len(onward) == 1:
                # On through the one star import, base or alias on the way, as needed
                # followed it (``from .c import F`` where c has ``from .a import *``).
                path = onward[0][0]
            else:
                return None
        return None

    def _lookup(
        self, path: str, missing: set[Parts], pending: list[tuple[str, str]], mode: str = "name"
    ) -> griffe.Object | griffe.Alias | _Blocked | None:
        """The object at a dotted path in the raw tree, or _Blocked when its module is not
        visited yet (it goes to ``missing``); a path leading on through an alias or a
        wildcard goes to ``pending``."""
        parts = tuple(path.split("."))
        if len(parts) > MAX_DEPTH:
            return None  # no name is this deep
        depth = next((d for d in range(len(parts), 0, -1) if parts[:d] in self.folders), 0)
        if not depth:
            return None  # outside the release
        if parts[:depth] not in self.modules:
            if parts[:depth] in self.tried:
                return None  # it could not be read
            missing.add(parts[:depth])
            return _Blocked()
        obj: griffe.Object | griffe.Alias = self.modules[parts[:depth]]
        for index in range(depth, len(parts)):
            rest = ".".join(parts[index:])
            if isinstance(obj, griffe.Alias):
                pending.append((f"{obj.target_path}.{rest}", mode))
                return None
            member = obj.members.get(parts[index])
            if member is None:
                pending.extend((f"{there}.{rest}", mode) for there in self._elsewhere(obj))
                return None
            obj = member
        return obj

    def _elsewhere(self, obj: griffe.Object) -> list[str]:
        """Where a name missing from a module or class may still come from: its bases, or
        the release's modules it imports ``*`` from.

        A wildcard import of a module that is not read (SQLAlchemy's ``testing.suite``
        imports ``*`` from twenty ``test_*`` modules) leads nowhere: followed, each lap
        would put every such import in front of the path again, without end.
        """
        if isinstance(obj, griffe.Class):
            return _base_paths(obj)
        return [path for path in _elsewhere(obj) if tuple(path.split(".")) in self.folders]

    def reach(self, paths: Iterable[str]) -> None:
        """Load what the dotted paths lead to, and resolve again if anything was loaded.

        Run-time imports that are not API are followed here, for the few names one
        side lacks, not in every round: on Django they were 86 of 520 modules loaded.
        """
        self.blocked.extend((path, "name") for path in paths)
        visited = len(self.modules)
        for _round in range(MAX_ROUNDS):
            missing = self.needed(())
            if not missing:
                break
            self.visit({parts[:depth] for parts in missing for depth in range(1, len(parts) + 1)})
        if len(self.modules) > visited:
            self.resolve()


class _Blocked:
    """A path whose module is not visited yet."""


def _visit_order(parts: Parts) -> tuple[int, Parts]:
    return len(parts), parts


def _references(module: griffe.Module, *, own: bool = True) -> Iterator[tuple[str, str]]:
    """What an affected module's names lead to; without ``own``, its re-exports only."""
    exports = module.exports
    strings_only = exports is None or all(isinstance(entry, str) for entry in exports)
    names = _exports(module) if strings_only else None
    yield from _export_references(module)
    annotated: set[str] | None = None
    for name, member in module.members.items():
        if isinstance(member, griffe.Alias):
            if member.wildcard:
                yield member.wildcard, "wildcard"
            elif not strings_only or _alias_is_api(module, member, names):
                yield member.target_path, "alias"
            elif own:
                # An imported type alias is spelled out in the annotations naming it.
                annotated = _annotation_names(module) if annotated is None else annotated
                if name in annotated:
                    yield member.target_path, "name"
        elif own and isinstance(member, griffe.Class):
            yield member.path, "name"


def _annotation_names(scope: griffe.Object, depth: int = 0) -> set[str]:
    """The first names of the annotations in a module or class, of its members at any depth."""
    found: set[str] = set()
    for member in scope.members.values():
        if isinstance(member, griffe.Function):
            expressions = [member.returns, *(p.annotation for p in member.parameters)]
        elif isinstance(member, griffe.Attribute):
            expressions = [member.annotation]
        elif isinstance(member, griffe.Class) and depth < MAX_DEPTH:
            found |= _annotation_names(member, depth + 1)
            continue
        else:
            continue
        for expression in expressions:
            if isinstance(expression, griffe.Expr):
                found.update(_first_name(e) for e in expression.iterate(flat=True))
    return found


def _first_name(element: str | griffe.Expr) -> str:
    if isinstance(element, griffe.ExprName) and not isinstance(element.parent, griffe.ExprName):
        return element.name
    return ""


def _export_references(module: griffe.Module) -> Iterator[tuple[str, str]]:
    """``__all__`` entries taken from another module's ``__all__``."""
    for entry in module.exports or ():
        if isinstance(entry, griffe.Expr):
            with contextlib.suppress(Exception):
                yield entry.canonical_path.removesuffix(".__all__"), "exports"


def _follow(obj: griffe.Object | griffe.Alias, mode: str) -> Iterator[tuple[str, str]]:
    """The paths an object found by :meth:`_Reader.needed` leads to in turn."""
    if isinstance(obj, griffe.Alias):
        yield (obj.wildcard, "wildcard") if obj.wildcard else (obj.target_path, mode)
    elif isinstance(obj, griffe.Class):
        yield from ((base, "name") for base in _base_paths(obj))
        for member in obj.members.values():
            if isinstance(member, griffe.Alias):
                yield member.target_path, "name"
            elif isinstance(member, griffe.Class):
                yield member.path, "name"
    elif isinstance(obj, griffe.Module):
        yield from _export_references(obj)
        if mode == "wildcard":
            names = _exports(obj)
            for name, member in obj.members.items():
                if (names is None and not name.startswith("_")) or (names and name in names):
                    # Each becomes the importer's re-export of it.
                    yield from (
                        _follow(member, "alias")
                        if isinstance(member, griffe.Alias)
                        else [(member.path, "alias")]
                    )


def _elsewhere(obj: griffe.Object) -> list[str]:
    """Where a name missing from a module or class may still come from."""
    if isinstance(obj, griffe.Class):
        return _base_paths(obj)
    return _star_sources(obj)


def _star_sources(module: griffe.Object) -> list[str]:
    """The modules a module imports ``*`` from, as long as griffe has not expanded them."""
    return [
        member.wildcard
        for member in module.members.values()
        if isinstance(member, griffe.Alias) and member.wildcard
    ]


def _base_paths(cls: griffe.Class) -> list[str]:
    paths = []
    for base in cls.bases:
        with contextlib.suppress(Exception):
            paths.append(base if isinstance(base, str) else base.canonical_path)
    return paths


def _fire_package_event(loader: griffe.GriffeLoader, top: griffe.Module) -> None:
    """Let griffe's built-in extensions finish the tree (dataclass ``__init__`` signatures)."""
    loader.extensions.call("on_package", pkg=top, loader=loader)


class SideWork:
    """One release's side of the API comparison, as the steps :class:`.api.ApiComparison` takes.

    Each step is named, takes and returns plain values (they may cross to
    another process), and keeps the release's trees here for the next step.
    """

    _STEPS = frozenset(
        {"rounds", "shapes", "finish", "realize", "inherited", "load_all", "entries"}
    )

    def __init__(self, modules: ModuleTable) -> None:
        self.reader = _Reader(modules)
        self._described: dict[str, ApiEntry] = {}

    def run(self, step: str, *args: Any) -> Any:
        if step not in self._STEPS:
            raise ValueError(f"no API step {step!r}")
        with griffe.logger.disable(), collector_paused():
            return getattr(self, step)(*args)

    def rounds(
        self, wanted: frozenset[Parts], affected: frozenset[Parts], full: frozenset[Parts]
    ) -> frozenset[Parts]:
        """Load the wanted modules, then what the affected modules' names lead to (the
        ``full`` ones' own definitions too, the others' re-exports unless settled), until
        nothing more is needed here; the modules loaded (the other side may need more)."""
        self.reader.full = full
        loading = set(wanted)
        for _round in range(MAX_ROUNDS):
            loading |= {parts[:depth] for parts in loading for depth in range(1, len(parts))}
            self.reader.visit(loading)
            needed = self.reader.needed(affected)
            if needed <= loading:
                break
            loading |= needed
        return frozenset(loading)

    def shapes(self, affected: frozenset[Parts], names: frozenset[str]) -> dict[str, str]:
        return _class_shapes(self.reader, affected, names)

    def finish(
        self, affected: frozenset[Parts] | None, full: frozenset[Parts] | None = None
    ) -> SideResult:
        """Resolve and describe; with ``affected``, only those modules' names are described
        (of those outside ``full``, their re-exports; a re-export of a settled name by
        where it leads, until :meth:`realize`)."""
        reader = self.reader
        reader.full = full
        reader.affected = None if affected is None else {".".join(parts) for parts in affected}
        reader.resolve()
        side = reader.describe()
        self._described = side.api
        return SideResult(
            api={name: entry_digest(entry) for name, entry in side.api.items()},
            unread=frozenset(side.unread),
            notes=tuple(side.notes),
            modules=side.modules,
            dynamic=side.dynamic,
            symbolic=frozenset(reader.symbolic),
        )

    def realize(self, names: Sequence[str]) -> dict[str, bytes]:
        """Describe the re-exports :meth:`finish` noted by where they lead, of ``names``,
        as a full load does; the digests of their entries and of the members listed under
        them. Their modules are loaded now: on Django 5.1, 93 of 400 a side were loaded
        only for re-exports that are the same on both sides."""
        reader = self.reader
        aliases = [(name, reader.symbolic.pop(name)) for name in names if name in reader.symbolic]
        if not aliases:
            return {}
        side = reader.side
        loaded = len(reader.modules)
        reader.reach(alias.target_path for _name, alias in aliases)
        if len(reader.modules) > loaded:
            side.aliases = TypeAliases(reader.modules.values(), reader.loader.modules_collection)
        return _realized(reader, side, aliases)

    def load_all(self) -> SideResult:
        self.reader.visit(self.reader.folders)
        return self.finish(None)

    def entries(self, names: Sequence[str]) -> dict[str, ApiEntry]:
        """The entries :meth:`finish` described, of those of ``names`` this side lists."""
        described = self._described
        return {name: described[name] for name in names if name in described}

    def inherited(self, names: Sequence[str]) -> dict[str, ApiEntry | None]:
        """What this side still has of names only the other side lists: from a class's
        base, or a module's import of what moved elsewhere."""
        reader = self.reader
        side = reader.side
        reader.reach(_import_targets(reader.modules, names))
        return {
            name: _inherited(side, name)
            or _imported(reader.modules, side, name)
            or _left_out_of_all(reader.modules, name)
            for name in names
        }


def _realized(
    reader: _Reader, side: _Side, aliases: Sequence[tuple[str, griffe.Alias]]
) -> dict[str, bytes]:
    """The entries of re-exports described as :meth:`_Walker.finish` describes them."""
    for name, _alias in aliases:
        del side.api[name]
    before = set(side.api)
    # What is public where it is defined, as the walker of a full load notes it.
    walker = _Walker(side, only=set())
    for top in reader._tops():
        if not top.name.startswith("_"):
            with contextlib.suppress(Exception):
                walker.module(top, top.path)
    walker.aliases = list(aliases)
    try:
        walker.finish()
    except Exception as exc:
        reader._leave_out("re-exports", exc)
    realized = {name for name, _alias in aliases} | (side.api.keys() - before)
    return {name: entry_digest(side.api[name]) for name in sorted(realized) if name in side.api}


def _class_shapes(
    reader: _Reader, affected: Iterable[Parts], names: frozenset[str]
) -> dict[str, str]:
    shapes: dict[str, str] = {}
    mro = _Mro()
    wildcards = _Wildcards(reader)
    full = reader.full
    for parts in sorted(affected):
        module = reader.modules.get(parts)
        if module is None:
            continue
        if full is None or parts in full:
            for cls in _classes(module):
                if cls.name in names:
                    shapes[cls.path] = _shape(cls, mro)
        for name, origin in _imported_bases(wildcards, module, names):
            shapes[f"{module.path}.{name}"] = origin
    return shapes


class _Wildcards:
    """Each loaded module's wildcard imports, listed once: Django's base-list names times
    its modules' members cost more than visiting the modules when listed per name."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.known: dict[str, tuple[griffe.Module | None, list[str]]] = {}

    def of(self, path: str) -> tuple[griffe.Module | None, list[str]]:
        """The loaded module at ``path`` (None: not loaded) and its wildcard imports."""
        known = self.known.get(path)
        if known is None:
            module = self.reader.modules.get(tuple(path.split(".")))
            known = module, [] if module is None else _elsewhere(module)
            self.known[path] = known
        return known


def _imported_bases(
    wildcards: _Wildcards, module: griffe.Module, names: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """(name, where from) for each base-list name a module offers by importing it, or
    through a wildcard import of a loaded module that has it: a class based on such a
    name changes when what the name leads to does (``from ._b import K`` where ``_b``
    no longer takes ``K`` from ``a``)."""
    imported = _elsewhere(module)
    for name, member in module.members.items():
        if name in names and isinstance(member, griffe.Alias) and not member.wildcard:
            yield name, f"import {member.target_path}"
    if not imported:
        return
    for name in sorted(names - module.members.keys()):
        origin = _through_wildcards(wildcards, imported, name, set())
        if origin is not None:
            yield name, origin


def _through_wildcards(
    wildcards: _Wildcards, imported: Iterable[str], name: str, seen: set[str]
) -> str | None:
    """Where a wildcard import takes ``name`` from, as far as the loaded modules say."""
    for wildcard in imported:
        if wildcard in seen or len(seen) > MAX_DEPTH:
            continue
        seen.add(wildcard)
        target, further = wildcards.of(wildcard)
        if target is None:
            continue  # not loaded: the same in both releases
        member = target.members.get(name)
        if isinstance(member, griffe.Alias):
            return f"import {member.target_path}"
        if member is not None:
            return f"{wildcard}.{name}"
        origin = _through_wildcards(wildcards, further, name, seen)
        if origin is not None:
            return origin
    return None


def _shape(cls: griffe.Class, mro: _Mro) -> str:
    try:
        params = _constructor(cls, mro)
        linear = [cls, *mro(cls)]
        if len(cls.resolved_bases) < len(cls.bases) and _has_wildcards(cls.module):
            return f"unknown {id(cls)}"  # a base from a wildcard not expanded yet
    except Exception as exc:  # any failure is a shape too
        return f"error: {exc!r}"
    shape = f"{_params_text(params) if params is not None else '...'} {[c.path for c in linear]}"
    # A subclass lists what it takes from a private base (see _listed_members).
    shape += repr([_member_shapes(c) for c in linear if _private_path(c.path)])
    if any("dataclass" in str(decorator.value) for c in linear for decorator in c.decorators):
        shape += repr(
            [
                (name, str(member.annotation), str(member.value))
                for c in linear
                for name, member in c.members.items()
                if isinstance(member, griffe.Attribute)
            ]
        )
    return shape


def _member_shapes(cls: griffe.Class) -> list[tuple[str, str]]:
    """A class's public members as plain text: what a subclass's entries of them hold."""
    return [
        (name, _member_shape(member))
        for name, member in sorted(cls.members.items())
        if _public_member(name)
    ]


def _member_shape(member: griffe.Object | griffe.Alias) -> str:
    if isinstance(member, griffe.Alias):
        return f"import {member.target_path}"
    if isinstance(member, griffe.Function):
        params = [(p.name, p.kind, str(p.default), str(p.annotation)) for p in member.parameters]
        return f"{sorted(member.labels)} {params} {member.returns}"
    if isinstance(member, griffe.Attribute):
        return f"{sorted(member.labels)} {member.annotation} {member.value}"
    return f"{member.kind.value} {member.path}"


def _has_wildcards(module: griffe.Module) -> bool:
    return bool(_star_sources(module))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.msg:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"{exc.msg}{where}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Walker:
    """Flatten griffe trees to ``{dotted name: ApiEntry}``, public names only.

    Public: no underscored part; at module level, listed in ``__all__`` when
    the module defines it. Imported names count only where ``__all__`` lists
    them or where a package's ``__init__`` re-exports them from its own modules.
    Members of a re-exported class are listed under the re-export only when the
    class itself is not public where it is defined (``pkg._impl.Client``).

    With ``only``, modules outside it are loaded only for what they define:
    their public names are noted, not described, since both sides have them
    alike. Of those in it, the ones outside ``full`` (None: all) only re-export:
    their own definitions are noted too, and their re-exports described.
    """

    def __init__(
        self,
        side: _Side,
        only: set[str] | None = None,
        full: set[str] | None = None,
        settled_target: Callable[[griffe.Alias], str | None] | None = None,
    ) -> None:
        self.side = side
        self.only = only
        self.full = full
        self.settled_target = settled_target
        # Re-exports of names no change reaches, by dotted name: see finish.
        self.symbolic: dict[str, griffe.Alias] = {}
        self.aliases: list[tuple[str, griffe.Alias]] = []
        # Public names of the modules outside ``only``.
        self.elsewhere: set[str] = set()

    def module(self, module: griffe.Module, path: str) -> None:
        if self.only is not None and path not in self.only:
            self._note_names(module, path)
            return
        self.side.api[path] = _api("module", path)
        exports = _exports(module)
        own = self.full is None or path in self.full
        binds_more = path in self.side.binding_at_run_time

        def promised(name: str) -> bool:
            return binds_more and exports is not None and name in exports

        for name, member in sorted(module.members.items()):
            # A name imported or set under ``if TYPE_CHECKING:`` does not exist at run time
            # (Sphinx 7.4's NoneType, though ``__all__`` listed it), unless the module
            # binds names another way and ``__all__`` lists it (pkg_resources 70's
            # ``globals().update``, websockets 13's module ``__getattr__``).
            if name.startswith("_") or not (member.runtime or promised(name)):
                continue
            member_path = f"{path}.{name}"
            if isinstance(member, griffe.Alias):
                if _alias_is_api(module, member, exports):
                    self.aliases.append((member_path, member))
            elif isinstance(member, griffe.Module):
                if member_path.count(".") < MAX_DEPTH:
                    self.module(member, member_path)
            elif exports is None or name in exports:
                if own:
                    self.object(member, member_path)
                else:
                    self._note_object(member, member_path)

    def object(self, obj: griffe.Object, path: str, *, members: bool = True) -> None:
        api = _describe(obj, path.rsplit(".", 1)[-1], self.side)
        if api is None:
            return
        self.side.api[path] = api
        if isinstance(obj, griffe.Class) and members and path.count(".") < MAX_DEPTH:
            self.side.classes[path] = obj
            for name, member in _listed_members(obj, self.side.mro):
                if not _public_member(name):
                    continue
                target = _target(member)
                if target is not None and not isinstance(target, griffe.Module):
                    self.object(target, f"{path}.{name}")

    def _note_names(self, module: griffe.Module, path: str) -> None:
        """The names :meth:`module` would give, without describing them."""
        self.elsewhere.add(path)
        exports = _exports(module)
        for name, member in module.members.items():
            if name.startswith("_") or isinstance(member, griffe.Alias):
                continue
            member_path = f"{path}.{name}"
            if isinstance(member, griffe.Module):
                if member_path.count(".") < MAX_DEPTH:
                    self.module(member, member_path)
            elif exports is None or name in exports:
                self._note_object(member, member_path)

    def _note_object(self, obj: griffe.Object, path: str) -> None:
        if not isinstance(obj, _DESCRIBED):
            return
        self.elsewhere.add(path)
        if isinstance(obj, griffe.Class) and path.count(".") < MAX_DEPTH:
            for name, member in _listed_members(obj, self.side.mro):
                target = _target(member) if _public_member(name) else None
                if target is not None and not isinstance(target, griffe.Module):
                    self._note_object(target, f"{path}.{name}")

    def finish(self) -> None:
        """Re-exports last, once every object is known at its own public place."""
        defined = set(self.side.api) | self.elsewhere
        for path, alias in self.aliases:
            settled = self.settled_target(alias) if self.settled_target else None
            if settled is not None:
                # The same on both sides: noted by where it leads, described only if
                # the other side differs (SideWork.realize).
                self.symbolic[path] = alias
                self.side.api[path] = ApiEntry(_RE_EXPORT, settled, key=settled)
                continue
            target = _target(alias)
            if target is None:
                self.side.api[path] = _import_from_outside(alias)
            elif not isinstance(target, griffe.Module):
                self.object(target, path, members=target.path not in defined)


def _listed_members(cls: griffe.Class, mro: _Mro) -> list[tuple[str, griffe.Object | griffe.Alias]]:
    """A class's members as its entries list them, by name: its own, and those it takes
    from bases that are no API of their own (``class Session(_Base)``), which callers reach
    only through the class. A member a public base has is that base's entry; it also
    hides the same name of a private base later in method resolution order."""
    try:
        bases = mro(cls)
    except Exception:  # bases griffe cannot linearise or resolve
        bases = []
    if not any(_private_path(base.path) for base in bases):
        return sorted(cls.members.items())  # most classes: what they define is all
    members: dict[str, griffe.Object | griffe.Alias | None] = dict(cls.members)
    for base in bases:
        private = _private_path(base.path)
        for name, member in base.members.items():
            members.setdefault(name, member if private else None)
    return sorted((name, member) for name, member in members.items() if member is not None)


def _private_path(path: str) -> bool:
    """Whether a dotted path has an underscored part, which no public entry has."""
    return any(part.startswith("_") and not part.startswith("__") for part in path.split("."))


# The kind of a re-export noted by where it leads (see _Walker.finish); never shown.
_RE_EXPORT = "re-export"


def _public_member(name: str) -> bool:
    """A class member callers use: not underscored, or ``__call__``, which an instance is
    called through (pluggy's ``HookspecMarker``)."""
    return not name.startswith("_") or name == "__call__"


_DESCRIBED = (griffe.Class, griffe.Function, griffe.Attribute, griffe.TypeAlias)


def _exports(module: griffe.Module) -> set[str] | None:
    if module.exports is None:
        return None
    return {export for export in module.exports if isinstance(export, str)}


def _alias_is_api(module: griffe.Module, alias: griffe.Alias, exports: set[str] | None) -> bool:
    if exports is not None:
        return alias.name in exports
    if not module.is_init_module:
        return False
    # From inside the package itself: ``werkzeug/debug/__init__.py`` importing
    # ``from ..http import parse_cookie`` for its own use re-exports nothing.
    inside = alias.target_path.startswith(f"{module.path}.")
    return inside and _top(_last_target(alias)) == _top(module.path)


def _top(path: str) -> str:
    return path.split(".", 1)[0]


def _last_target(alias: griffe.Alias) -> str:
    """Where a chain of imports ends: an ``__init__`` importing a name its own module took
    from the standard library (docutils' ``from ._html_base import url2pathname``) passes
    on an import, not its package's API."""
    path = alias.target_path
    for _step in range(MAX_DEPTH):
        try:
            found = alias.modules_collection.get_member(path)
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return path
        if not isinstance(found, griffe.Alias):
            return str(found.path)
        path = found.target_path
    return path


def _target(member: griffe.Object | griffe.Alias) -> griffe.Object | None:
    """What a member is, through its imports; None where they lead nowhere griffe knows."""
    if not isinstance(member, griffe.Alias):
        return member
    try:
        target = member.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return _through_star_imports(member, 0, set())
    if isinstance(target, griffe.Module) and not member.wildcard:
        return _bound_over_submodule(target) or target
    return target


# Star imports followed at most this deep for a name griffe could not resolve.
_STAR_DEPTH = 4


def _through_star_imports(alias: griffe.Alias, depth: int, seen: set[int]) -> griffe.Object | None:
    """The object a name comes to a module by through its ``*`` imports, when griffe could
    not resolve it because a call put it in ``__all__`` (numpy's ``numeric.py`` runs
    ``extend_all(arrayprint)``, so ``numpy._core.printoptions`` is the function that
    ``from .arrayprint import *`` brings): the source modules' own members decide."""
    owner, _dot, name = alias.target_path.rpartition(".")
    try:
        module = alias.modules_collection.get_member(owner) if owner else None
    except Exception:  # a path outside the release
        return None
    if not isinstance(module, griffe.Module) or depth >= _STAR_DEPTH:
        return None
    return _star_imported(module, name, depth, seen)


# griffe's expansion of ``*`` imports grows with the cube of a chain's length, and more in
# cycles: 100 modules each importing ``*`` from the one before, 50 names each, took a
# minute; 160 that all import ``*`` from each other, four. The releases seen have at most
# 40 star imports (Django 5.1: 36) and a cost far below this.
MAX_STAR_IMPORTS = 300
MAX_STAR_COST = 100_000


def _star_tangle(modules: Sequence[griffe.Module]) -> str | None:
    """Why a package's ``*`` imports are too entangled to expand, or None.

    The cost is, over the modules that import ``*``, the names that come to each
    through its chain of star imports times the chain's length.
    """
    by_path = {module.path: module for module in modules}
    stars = {
        m.path: [s for s in m.extra["releasediff"].get("stars", ()) if s in by_path]
        for m in modules
    }
    edges = sum(len(sources) for sources in stars.values())
    if edges > MAX_STAR_IMPORTS:
        return f"{edges:,} star imports (more than {MAX_STAR_IMPORTS:,})"
    names = {path: sum(not n.startswith("_") for n in by_path[path].members) for path in by_path}
    reach: dict[str, tuple[int, int]] = {}

    def measure(path: str, visiting: set[str]) -> tuple[int, int]:
        known = reach.get(path)
        if known is not None:
            return known
        if path in visiting:
            return 0, 0  # a cycle: its names are counted where it was entered
        visiting.add(path)
        closure, depth = names[path], 0
        for source in stars[path]:
            their_closure, their_depth = measure(source, visiting)
            closure, depth = closure + their_closure, max(depth, their_depth + 1)
        visiting.discard(path)
        reach[path] = closure, depth
        return closure, depth

    cost = 0
    for path, sources in stars.items():
        if sources:
            closure, depth = measure(path, set())
            cost += closure * depth
    if cost > MAX_STAR_COST:
        return f"star imports too entangled (cost {cost:,}, more than {MAX_STAR_COST:,})"
    return None


def _drop_star_imports(modules: Iterable[griffe.Module]) -> None:
    for module in modules:
        for name, member in list(module.members.items()):
            if isinstance(member, griffe.Alias) and member.wildcard:
                module.del_member(name)


def _note_star_imports(module: griffe.Module) -> None:
    """Keep where a module imports ``*`` from: griffe drops those aliases as it expands them."""
    module.extra["releasediff"]["stars"] = _star_sources(module)


def _star_imported(
    module: griffe.Module, name: str, depth: int, seen: set[int]
) -> griffe.Object | None:
    """``name`` as the ``*`` imports of ``module`` bring it, each module searched once (a
    crafted release could have every module import ``*`` from every other)."""
    for star in module.extra["releasediff"].get("stars", ()):
        try:
            source = module.modules_collection.get_member(star)
        except Exception:  # a star import from outside the release
            continue
        if not isinstance(source, griffe.Module) or id(source) in seen:
            continue
        seen.add(id(source))
        found = source.members.get(name)
        if isinstance(found, griffe.Alias):
            try:
                return found.final_target
            except (griffe.AliasResolutionError, griffe.CyclicAliasError):
                deeper = _through_star_imports(found, depth + 1, seen)
                if deeper is not None:
                    return deeper
        elif found is not None and not isinstance(found, griffe.Module):
            return found
        if depth + 1 < _STAR_DEPTH:
            deeper = _star_imported(source, name, depth + 1, seen)
            if deeper is not None:
                return deeper
    return None


def _bound_over_submodule(module: griffe.Module) -> griffe.Object | None:
    """What a package's ``*`` imports bind to the name of one of its submodules, if any.

    The import runs after the submodule was first imported, and rebinds the package's
    name: numpy 2.1's ``numpy._core.printoptions`` is the function from
    ``arrayprint``, not the module ``printoptions`` that ``arrayprint`` imports.
    """
    package = module.parent
    if not isinstance(package, griffe.Module):
        return None
    return _star_imported(package, module.name, 0, {id(package), id(module)})


def _import_from_outside(alias: griffe.Alias) -> ApiEntry:
    """``from typing import X``, compared as ``X = typing.X`` is: the same object."""
    target = alias.target_path
    module, _dot, name = target.rpartition(".")
    rename = f" as {alias.name}" if name != alias.name else ""
    text = f"from {module} import {name}{rename}" if module else f"import {name}{rename}"
    key = alias.name + _value_key(f" = {target}")
    return replace(_api("attribute", text, key=key), imported=target)


def _describe(obj: griffe.Object, name: str, side: _Side) -> ApiEntry | None:
    """An object's kind and text as a reader calls it (``f(a, b=1, *, c) -> int``), and its
    key spelled out when it names one of the release's type aliases."""
    entry = _described(obj, name, side.mro)
    if entry is None:
        return None
    where = obj.extra[EXTRA].get("only_where") if EXTRA in obj.extra else None
    if where:
        entry = replace(
            entry,
            text=f"{entry.text} (only where {where})",
            key=_only_where(entry.key, where),
            only_where=where,
        )
    if not side.aliases.named_in(entry.key):
        return entry
    spelled = _described(obj, name, side.mro, side.aliases)
    if spelled is None or spelled.key == entry.key:
        return entry
    return replace(entry, spelled=_only_where(spelled.key, where))


def _only_where(key: str, where: str | None) -> str:
    return f"{key} [only where {where}]" if where else key


def _described(
    obj: griffe.Object, name: str, mro: _Mro, aliases: TypeAliases | None = None
) -> ApiEntry | None:
    """:func:`_describe`'s entry, with annotations as written or, with ``aliases``, with
    the aliases they name spelled out.

    ``name = other`` naming a function or class of the same scope is described
    as what it names: ``as_sqlite = pipes_concat_sql`` in a class is a method.
    """
    in_class = isinstance(obj.parent, griffe.Class)
    if isinstance(obj, griffe.Attribute):
        obj = _assigned_callable(obj) or obj
    if isinstance(obj, griffe.Class):
        params = _constructor(obj, mro, aliases)
        if params is None:
            return _api("class", f"{name}(...)")
        return _api(
            "class",
            f"{name}({_params_text(params)})",
            params,
            key=f"{name}({_params_text(_canonical_params(params))})",
        )
    if isinstance(obj, griffe.Function):
        returns = _annotation(obj.returns, aliases)
        if _is_property(obj):
            if returns is None:
                return _api("attribute", name)
            return _api("attribute", f"{name}: {returns}", key=f"{name}: {_canonical(returns)}")
        kind = "method" if in_class else "function"
        overloads = obj.overloads if obj.overloads and obj in obj.overloads else None
        if overloads is not None:
            return _overloaded(kind, name, overloads, in_class, aliases)
        params, text, key = _signature(obj, name, in_class, aliases, returns)
        entry = _api(kind, text, params, key=key)
        return replace(entry, command_line=True) if _is_command(obj) else entry
    if isinstance(obj, griffe.Attribute):
        return _attribute_api(obj, name, aliases)
    if isinstance(obj, griffe.TypeAlias):
        return _api("attribute", f"{name} = {obj.value}")
    return None


def _is_command(function: griffe.Function) -> bool:
    """Whether a decorator makes the function a command-line command: click's
    ``@click.command``/``@click.group``, a group's or a typer app's ``.command()``; its
    parameters are the command line's options and arguments, not what a caller passes."""
    for decorator in function.decorators:
        value = decorator.value
        called = value.function if isinstance(value, griffe.ExprCall) else value
        spelled = str(called)
        if spelled.rsplit(".", 1)[-1] in ("command", "group") and (
            isinstance(value, griffe.ExprCall) or spelled.startswith("click.")
        ):
            return True
    return False


def _signature(
    function: griffe.Function,
    name: str,
    in_class: bool,
    aliases: TypeAliases | None,
    returns: str | None,
) -> tuple[tuple[Param, ...], str, str]:
    """A function's parameters as callers pass them, its text, and its key."""
    params = _bound(
        tuple(_param(p, aliases) for p in function.parameters), in_class, function.labels
    )
    text = f"{name}({_params_text(params)})" + (f" -> {returns}" if returns else "")
    key = f"{name}({_params_text(_canonical_params(params))})"
    key += f" -> {_canonical(returns)}" if returns else ""
    return params, text, key


def _overloaded(
    kind: str,
    name: str,
    overloads: Sequence[griffe.Function],
    in_class: bool,
    aliases: TypeAliases | None,
) -> ApiEntry:
    """A function written as ``@overload`` signatures only, as stubs write them (attrs'
    ``define``, typeshed's): each signature, in order, ``; `` between them."""
    forms = [
        _signature(form, name, in_class, aliases, _annotation(form.returns, aliases))
        for form in overloads
    ]
    text = "; ".join(form[1] for form in forms)
    key = "; ".join(form[2] for form in forms)
    entry = _api(kind, text, key=key)
    return replace(entry, overloads=tuple(form[0] for form in forms))


def _assigned_callable(attribute: griffe.Attribute) -> griffe.Function | griffe.Class | None:
    """The function or class ``name = other`` names in its class or module, annotated or
    not (marshmallow 3.24's ``OPTIONS_CLASS: type = SchemaOpts`` is still the class)."""
    value = attribute.value
    if not isinstance(value, griffe.ExprName) or value.parent is not attribute.parent:
        return None
    if _instance_only(attribute):
        return None
    scopes = [attribute.parent, attribute.module]
    for scope in scopes:
        target = scope.members.get(value.name) if scope is not None else None
        if isinstance(target, griffe.Function | griffe.Class):
            return target
    return None


def _api(
    kind: str, text: str, params: tuple[Param, ...] | None = None, key: str | None = None
) -> ApiEntry:
    text = _one_line(text)
    return ApiEntry(kind, text, params, _one_line(key) if key is not None else text)


def _canonical_params(params: tuple[Param, ...]) -> tuple[Param, ...]:
    return tuple(
        replace(param, annotation=_canonical(param.annotation))
        if param.annotation is not None
        else param
        for param in params
    )


_TYPING_BUILTINS = {
    "Dict": "dict",
    "FrozenSet": "frozenset",
    "List": "list",
    "Set": "set",
    "Tuple": "tuple",
    "Type": "type",
}


# How modules name ``typing`` (``import typing as t`` in the Pallets projects).
_TYPING_MODULES = frozenset({"typing", "typing_extensions", "t", "te"})


class _OneSpelling(ast.NodeTransformer):
    """``typing.List[X]`` as ``list[X]``, ``Optional[X]`` as ``X | None``, ``Union[A, B]``
    as ``A | B`` (PEP 585 and 604 spellings of the same types); in an annotation, a
    forward reference ``'Markdown'`` as ``Markdown`` (rich 13.8 dropped the quotes under
    ``from __future__ import annotations``)."""

    def __init__(self, *, annotation: bool) -> None:
        self.annotation = annotation

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if not self.annotation or not isinstance(node.value, str):
            return node
        try:
            quoted = ast.parse(node.value.strip(), mode="eval").body
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return node
        unquoted: ast.AST = self.visit(quoted)
        return unquoted

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        # In an annotation a qualified name is the name imported (see visit_Attribute).
        name = _typing_name(node.value, any_module=self.annotation)
        if name == "Literal":
            # Its strings are values, not forward references.
            return ast.Subscript(self.visit(node.value), node.slice)
        self.generic_visit(node)
        if name == "Annotated" and self.annotation:
            return _without_docs(node)
        if name == "Optional":
            return ast.BinOp(node.slice, ast.BitOr(), ast.Constant(None))
        if name == "Union":
            members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            union = members[0]
            for member in members[1:]:
                union = ast.BinOp(union, ast.BitOr(), member)
            return union
        if name not in _NOT_GENERICS and _any_arguments(node):
            return node.value  # ``Callable[..., Any]`` is ``Callable``, ``IO[Any]`` is ``IO``
        if name in _NONE_DEFAULTS:
            return _without_none_defaults(node, _NONE_DEFAULTS[name])
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(_TYPING_BUILTINS.get(node.id, node.id))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        typing_module = isinstance(node.value, ast.Name) and node.value.id in _TYPING_MODULES
        # In an annotation, ``pathlib.Path`` is ``Path`` imported (pytest 8.3 switched).
        if typing_module or (self.annotation and _dotted_name(node)):
            return ast.Name(_TYPING_BUILTINS.get(node.attr, node.attr))
        return self.generic_visit(node)


# Generics whose last type parameters default to None (PEP 696, Python 3.13's typing):
# ``Generator[bytes, None, None]`` is ``Generator[bytes]`` (urllib3 2.3.0 switched).
_NONE_DEFAULTS = {"Generator": 2, "AsyncGenerator": 1}


def _without_none_defaults(node: ast.Subscript, defaults: int) -> ast.expr:
    if not isinstance(node.slice, ast.Tuple):
        return node
    items = list(node.slice.elts)
    while len(items) > 1 and defaults > 0 and _is_none(items[-1]):
        items.pop()
        defaults -= 1
    if len(items) == 1:
        return ast.Subscript(node.value, items[0])
    return ast.Subscript(node.value, ast.Tuple(items))


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _dotted_name(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _without_docs(node: ast.Subscript) -> ast.expr:
    """``Annotated[T, Doc("...")]`` without its ``Doc`` texts, which document the name
    (PEP 727; FastAPI's typo fixes in them are no change); ``T`` when nothing else is left."""
    if not isinstance(node.slice, ast.Tuple):
        return node
    kept = [item for item in node.slice.elts[1:] if not _is_doc(item)]
    if not kept:
        return node.slice.elts[0]
    return ast.Subscript(node.value, ast.Tuple([node.slice.elts[0], *kept]))


def _is_doc(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _typing_name(node.func) == "Doc"


# Subscripted forms whose arguments are not a generic's type parameters.
_NOT_GENERICS = frozenset({"Annotated", "ClassVar", "Final", "Required", "NotRequired", "ReadOnly"})


def _any_arguments(node: ast.Subscript) -> bool:
    """Whether a generic's arguments are all ``Any`` (or ``...``), which a bare generic means
    too; for a tuple only ``[Any, ...]``: ``tuple[Any]`` holds one item."""
    items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
    if isinstance(node.value, ast.Name) and node.value.id == "tuple":
        return len(items) == 2 and _is_any(items[0]) and _is_ellipsis(items[1])
    return all(_is_any(item) or _is_ellipsis(item) for item in items)


def _is_any(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "Any"


def _is_ellipsis(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _typing_name(node: ast.expr, *, any_module: bool = False) -> str | None:
    """The name of ``X`` or of ``typing.X``; with ``any_module``, of ``m.X`` whatever the
    module is imported as (itsdangerous 2.1's ``import typing as _t``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if any_module or node.value.id in _TYPING_MODULES else None
    return None


@functools.lru_cache(maxsize=4096)
def _canonical(annotation: str, *, value: bool = False) -> str:
    """One spelling of an annotation (or, with ``value``, of a type alias's value, whose
    strings stay strings) for comparing; as written when it is not an expression."""
    try:
        tree = ast.parse(annotation, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return annotation
    try:
        return ast.unparse(_OneSpelling(annotation=not value).visit(tree))
    except (RecursionError, ValueError, AttributeError):
        return annotation


def _is_property(function: griffe.Function) -> bool:
    """Read as an attribute: ``@property``, ``functools.cached_property`` and look-alikes
    (``django.utils.functional.cached_property``) which griffe does not label."""
    if "property" in function.labels:
        return True
    return any(
        str(decorator.value).rsplit(".", 1)[-1].endswith("property")
        for decorator in function.decorators
    )


def _attribute_api(
    attribute: griffe.Attribute, name: str, aliases: TypeAliases | None = None
) -> ApiEntry:
    """``name: annotation = value``, compared with the annotation in one spelling.

    Each expression is rendered once: griffe renders them anew on every ``str``.
    """
    if _rebinds_a_builtin(attribute):
        # ``ExceptionGroup = ExceptionGroup``: Python's own, outside the release.
        entry = _api("attribute", f"{name} = {attribute.value}")
        return replace(entry, imported=f"builtins.{attribute.name}")
    annotation = _annotation(attribute.annotation, aliases)
    value = ""
    # An instance attribute's value is an expression over __init__'s locals: noise.
    if attribute.value is not None and not _instance_only(attribute):
        value = f" = {attribute.value}"
    if annotation is None:
        entry = _api("attribute", name + value, key=name + _value_key(value))
    elif _canonical(annotation) == "TypeAlias":
        # ``X: TypeAlias = T`` is the alias ``X = T`` declared for type checkers.
        entry = _api("attribute", f"{name}: {annotation}{value}", key=name + _value_key(value))
    else:
        text = f"{name}: {annotation}{value}"
        entry = _api("attribute", text, key=f"{name}: {_canonical(annotation)}{value}")
    if isinstance(attribute.value, griffe.ExprCall):
        return replace(entry, made_by_call=True)
    return entry


# A value that may be a type the one spelling rewrites: an older spelling (``Optional[str]``,
# ``t.List[int]``), a generic of ``Any`` or a ``|`` union. Both sides of a change must be
# rewritten: numpy 2.1's ``DTypeLike: TypeAlias = np.dtype[Any] | None | ...`` was
# ``DTypeLike = Union[np.dtype[Any], None, ...]``.
_TYPE_SPELLING = re.compile(
    r"\b(?:Optional|Union|List|Dict|Set|FrozenSet|Tuple|Type)\[|\b(?:typing|t|te)\.|\bAny\b|\|"
)


_BUILTIN_NAMES = frozenset(dir(builtins))


def _rebinds_a_builtin(attribute: griffe.Attribute) -> bool:
    """``X = X`` for a builtin ``X`` at module level (packaging 24.2's ``ExceptionGroup``
    on Python 3.11 and later)."""
    value = attribute.value
    return (
        isinstance(value, griffe.ExprName)
        and value.name == attribute.name
        and value.name in _BUILTIN_NAMES
        and attribute.annotation is None
        and isinstance(attribute.parent, griffe.Module)
    )


def _value_key(value: str) -> str:
    """`` = value``, a type alias's in one spelling (Sphinx 8's ``TitleGetter: TypeAlias =
    Callable[[Node], str | None]`` was ``TitleGetter = Callable[[Node], Optional[str]]``)."""
    if not _TYPE_SPELLING.search(value):
        return value
    return f" = {_canonical(value.removeprefix(' = '), value=True)}"


def _instance_only(attribute: griffe.Attribute) -> bool:
    labels = attribute.labels
    return "instance-attribute" in labels and "class-attribute" not in labels


def _constructor(
    cls: griffe.Class, mro: _Mro, aliases: TypeAliases | None = None
) -> tuple[Param, ...] | None:
    """The parameters callers pass to the class, when its ``__init__`` is in the release.

    A call goes to ``__new__`` and then ``__init__`` with the same arguments: where
    ``__init__`` takes anything (``*args, **kwargs``) or is not in the release and
    ``__new__`` says what it takes, ``__new__``'s parameters are the constructor's.
    """
    fields = _generated_init(cls, aliases)
    if fields is not None:
        return fields
    init = _constructor_part(cls, "__init__", mro, aliases)
    new = _constructor_part(cls, "__new__", mro, aliases)
    if new is not None and not _takes_anything(new) and (init is None or _takes_anything(init)):
        return new
    if init is not None:
        return init
    if not cls.bases or _bases_add_no_constructor(cls, mro):
        return ()
    return None


# Class decorators of attrs that write ``__init__`` from the class's fields.
_ATTRS_DECORATORS = frozenset(
    f"{module}.{name}"
    for module in ("attr", "attrs")
    for name in ("s", "attrs", "define", "mutable", "frozen", "dataclass")
)
# What declares an attrs field by a call: ``attr.ib()``, ``attrs.field()``.
_ATTRS_FIELDS = frozenset({"attr.ib", "attr.attrib", "attrs.field", "attr.field"})


def _generated_init(cls: griffe.Class, aliases: TypeAliases | None) -> tuple[Param, ...] | None:
    """The parameters of an ``__init__`` that attrs or ``typing.NamedTuple`` writes from
    the class's fields (griffe writes a dataclass's), when the class does not write one."""
    if "__init__" in cls.members and "__new__" not in cls.members:
        return None
    decorator = next((d for d in cls.decorators if _decorator_path(d) in _ATTRS_DECORATORS), None)
    named_tuple = any(str(base).rsplit(".", 1)[-1] == "NamedTuple" for base in cls.bases)
    if decorator is None and not named_tuple:
        return None
    keyword_only = decorator is not None and "kw_only=True" in str(decorator.value).replace(" ", "")
    by_annotation = named_tuple or _decorator_path(decorator) not in ("attr.s", "attr.attrs")
    params = []
    methods = [
        (f.lineno or 0, f.endlineno or 0)
        for f in cls.members.values()
        if isinstance(f, griffe.Function)
    ]
    for name, member in cls.members.items():
        if not isinstance(member, griffe.Attribute):
            continue
        line = member.lineno or 0
        if any(start <= line <= end for start, end in methods):
            continue  # ``self.x = ...`` in a method: no field
        call = member.value if isinstance(member.value, griffe.ExprCall) else None
        declared = call is not None and _call_path(call) in _ATTRS_FIELDS
        if not declared and (not by_annotation or member.annotation is None):
            continue
        if "instance-attribute" not in member.labels:
            continue  # ``kind: ClassVar[str]``: griffe labels it the class's alone
        options = (
            {a.name: str(a.value) for a in call.arguments if isinstance(a, griffe.ExprKeyword)}
            if declared and call is not None
            else {}
        )
        if options.get("init") == "False":
            continue
        if declared:
            default = "..." if {"default", "factory"} & options.keys() else None
        else:
            default = None if member.value is None else str(member.value)
        kind = (
            "keyword-only"
            if keyword_only or options.get("kw_only") == "True"
            else "positional or keyword"
        )
        shown = name if named_tuple else name.lstrip("_")
        params.append(Param(shown, kind, default, _annotation(member.annotation, aliases)))
    return tuple(params)


def _decorator_path(decorator: griffe.Decorator | None) -> str:
    """Where a decorator (or the function a decorator call calls) leads."""
    if decorator is None:
        return ""
    value = decorator.value
    called = value.function if isinstance(value, griffe.ExprCall) else value
    return _expr_path(called) or str(called)


def _call_path(call: griffe.ExprCall) -> str:
    return _expr_path(call.function)


def _expr_path(expr: str | griffe.Expr) -> str:
    """Where a name or dotted name leads ("" for other expressions, or one griffe cannot
    resolve)."""
    if not isinstance(expr, griffe.ExprName | griffe.ExprAttribute):
        return ""
    try:
        return expr.canonical_path
    except Exception:  # a name griffe cannot resolve
        return ""


# Bases from outside the release that give a class no constructor of their own.
_NO_CONSTRUCTOR_BASES = frozenset({"object", "Generic", "Protocol", "ABC"})


def _bases_add_no_constructor(cls: griffe.Class, mro: _Mro) -> bool:
    """Whether every base, down the classes of the release it names, is one of the
    release's or ``Generic[...]``, ``Protocol`` or ``ABC`` (werkzeug 3.1's
    ``class ImmutableDictMixin(t.Generic[K, V])``, which was based on nothing): none then
    has an ``__init__`` or ``__new__`` (the caller looked), and the class takes nothing."""
    try:
        linear = [cls, *mro(cls)]
    except Exception:  # bases griffe cannot linearise or resolve
        return False
    for klass in linear:
        try:
            resolved = {
                base.name for base in klass.resolved_bases if isinstance(base, griffe.Class)
            }
        except Exception:
            return False
        for base in klass.bases:
            name = str(base).split("[", 1)[0].rsplit(".", 1)[-1]
            if name not in resolved and name not in _NO_CONSTRUCTOR_BASES:
                return False
    return True


def _constructor_part(
    cls: griffe.Class, name: str, mro: _Mro, aliases: TypeAliases | None
) -> tuple[Param, ...] | None:
    member = _class_member(cls, name, mro)
    target = _target(member) if member is not None else None
    if not isinstance(target, griffe.Function):
        return None
    # __new__ is a static method that takes the class first, as __init__ takes self.
    return _bound(tuple(_param(p, aliases) for p in target.parameters), True, set())


def _takes_anything(params: tuple[Param, ...]) -> bool:
    return all(param.kind in ("variadic positional", "variadic keyword") for param in params)


def _class_member(cls: griffe.Class, name: str, mro: _Mro) -> griffe.Object | griffe.Alias | None:
    """A class's own member, else the first base's in method resolution order.

    Looked up along the MRO rather than with ``all_members``, which wraps every
    inherited member of the class in a new alias: on a large tree that costs seconds.
    """
    if name in cls.members:
        return cls.members[name]
    try:
        bases = mro(cls)
    except Exception:  # bases griffe cannot linearise or resolve
        return None
    return next((base.members[name] for base in bases if name in base.members), None)


def _bound(params: tuple[Param, ...], in_class: bool, labels: set[str]) -> tuple[Param, ...]:
    """A method's parameters without ``self``/``cls``, which callers never pass."""
    if in_class and "staticmethod" not in labels and params and params[0].positional:
        return params[1:]
    return params


def _param(parameter: griffe.Parameter, aliases: TypeAliases | None = None) -> Param:
    kind = parameter.kind.value if parameter.kind else "positional or keyword"
    default = None if parameter.default is None else str(parameter.default)
    return Param(parameter.name, kind, default, _annotation(parameter.annotation, aliases))


def _annotation(annotation: str | griffe.Expr | None, aliases: TypeAliases | None) -> str | None:
    if annotation is None:
        return None
    return str(annotation) if aliases is None else aliases.spell(annotation)


def _params_text(params: Sequence[Param]) -> str:
    texts: list[str] = []
    previous = ""
    for param in params:
        if previous == "positional-only" and param.kind != "positional-only":
            texts.append("/")
        if param.kind == "keyword-only" and previous not in {"keyword-only", "variadic positional"}:
            texts.append("*")
        texts.append(param.text())
        previous = param.kind
    if previous == "positional-only":
        texts.append("/")
    return ", ".join(texts)


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text else text


def _inherited(side: _Side, name: str) -> ApiEntry | None:
    """A class member the class still (or already) has from a base class, if any."""
    owner, _dot, member = name.rpartition(".")
    cls = side.classes.get(owner)
    if cls is None:
        return None
    found = _class_member(cls, member, side.mro)
    target = _target(found) if found is not None else None
    if target is not None:
        return _describe(target, member, side)
    outside = _base_from_outside(cls, side.mro)
    if outside is None or _standard_class_lacks(outside, member):
        return None
    return ApiEntry("method", "", maybe_inherited_from=outside)


# Standard modules whose import does something (opens a browser, prints, needs a screen).
_NOT_IMPORTED = frozenset({"antigravity", "this", "idlelib", "turtle", "turtledemo", "tkinter"})


def _standard_class_lacks(path: str, member: str) -> bool:
    """Whether ``path`` is a class of the standard library (``Exception``,
    ``argparse.ArgumentParser``) that has no ``member``: the standard library, unlike the
    package, is there to look in."""
    module_name, _dot, qualified = path.rpartition(".")
    module_name = module_name or "builtins"
    top = module_name.split(".")[0]
    if top not in sys.stdlib_module_names or top in _NOT_IMPORTED:
        return False
    try:
        found: object = importlib.import_module(module_name)
        for part in qualified.split("."):
            found = getattr(found, part)
    except Exception:  # not there in this Python: not known
        return False
    return isinstance(found, type) and not hasattr(found, member)


# Bases from outside the release whose members are only dunders a class's own override.
_PLAIN_BASES = frozenset(
    {"object", "typing.Generic", "typing.Protocol", "abc.ABC", "typing.NamedTuple"}
    | {"typing_extensions.Protocol", "typing.TypedDict", "typing_extensions.TypedDict"}
)


def _base_from_outside(cls: griffe.Class, mro: _Mro) -> str | None:
    """The first base of the class, or of its bases in the release, that the release does
    not hold (``argparse.ArgumentParser``), if any."""
    tops = set(cls.modules_collection.members)
    try:
        classes = [cls, *mro(cls)]
    except Exception:  # bases griffe cannot linearise or resolve
        classes = [cls]
    for current in classes:
        for written in current.bases:
            # ``Generic[T]``, ``Base[int]``: the class subscripted.
            base = written.left if isinstance(written, griffe.ExprSubscript) else written
            if not isinstance(base, griffe.ExprName | griffe.ExprAttribute):
                continue  # made by a call: what it holds is not known either way
            path = base.canonical_path
            if path in _PLAIN_BASES or path.split(".")[0] in tops:
                continue
            return path
    return None


def _import_targets(modules: dict[Parts, griffe.Module], names: Iterable[str]) -> list[str]:
    """Where the run-time imports of these names lead (see :func:`_imported`)."""
    targets = []
    for name in names:
        alias = _runtime_import(modules, name)
        if alias is not None:
            targets.append(alias.target_path)
    return targets


def _runtime_import(modules: dict[Parts, griffe.Module], name: str) -> griffe.Alias | None:
    """A module's run-time import (not a wildcard) of the name's last part, if it has one."""
    owner, _dot, member = name.rpartition(".")
    module = modules.get(tuple(owner.split(".")))
    alias = module.members.get(member) if module is not None else None
    if not isinstance(alias, griffe.Alias) or alias.wildcard or not alias.runtime:
        return None
    return alias


def _left_out_of_all(modules: dict[Parts, griffe.Module], name: str) -> ApiEntry | None:
    """A marker for a name its module still binds at run time but leaves out of
    ``__all__`` (websockets 13's ``http11.parse_headers``)."""
    owner, _dot, member = name.rpartition(".")
    module = modules.get(tuple(owner.split(".")))
    if module is None or member.startswith("_"):
        return None
    exports = _exports(module)
    found = module.members.get(member)
    if exports is None or member in exports or found is None or not found.runtime:
        return None
    return ApiEntry("attribute", "", left_out_of_all=True)


def _imported(modules: dict[Parts, griffe.Module], side: _Side, name: str) -> ApiEntry | None:
    """What a module's run-time import of ``name`` leads to: where it resolves in the release,
    a function moved to another module and imported back is still there (``from .impl
    import f`` where ``def f`` was); elsewhere, an import from outside."""
    alias = _runtime_import(modules, name)
    if alias is None:
        return None
    exports = _exports(alias.parent) if isinstance(alias.parent, griffe.Module) else None
    if exports is not None and alias.name not in exports:
        # Left out of ``__all__`` on purpose (cattrs 24.1's gen): no longer public, though
        # importable, as for a name the module defines.
        return None
    target = _target(alias)
    if target is None:
        # From outside the release (black 24.10's ``blackd.middlewares.Middleware``, once
        # its own, now ``from aiohttp.typedefs import Middleware``): still importable.
        return _import_from_outside(alias) if alias.target_path else None
    if isinstance(target, griffe.Module):
        return None
    return _describe(target, name.rpartition(".")[2], side)
