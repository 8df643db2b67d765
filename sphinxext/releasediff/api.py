"""Public API changes between two releases, found statically.

The package is never imported or executed: each module's source is read from
the archive in memory and handed to griffe, which builds the object tree
(classes, functions, attributes, ``__all__``, re-exports) from the source text.
The tree is then flattened to one signature per public dotted name, and the two
releases' names are compared under the breaking rules in :func:`breaking_change`.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import io
import keyword
import posixpath
import tokenize
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

import griffe
from packaging.utils import canonicalize_name

from . import api_scope
from .api_parse import Unpacked, visit_module
from .api_scope import reads_for_api
from .api_summary import api_counts, api_summary
from .metadata import top_folder_file
from .model import ApiChange, Archive, MemberKind

__all__ = [
    "MAX_MODULES",
    "MAX_MODULE_BYTES",
    "MAX_NOTES",
    "MAX_SOURCE_BYTES",
    "MAX_TEXT",
    "Param",
    "api_counts",
    "api_summary",
    "breaking_change",
    "breaking_reason",
    "compare_api",
    "reads_for_api",
]

# A module larger than this is not read for the API (generated tables, vendored
# bundles): it says nothing a reader needs and its parse would dominate the cost.
MAX_MODULE_BYTES = 1 << 20
# Signatures and values longer than this are cut, with an ellipsis, before comparing.
MAX_TEXT = 300
# Past this many modules or bytes of source a side, the rest is not read: the
# time is the parse, about a millisecond a module.
MAX_MODULES = 10_000
MAX_SOURCE_BYTES = 128 << 20
# Notes past this many a side are counted, not listed.
MAX_NOTES = 10
# Deeper module paths than this are not importable in practice; a hostile tree
# must not drive the recursive walks below.
_MAX_DEPTH = 40

# Top-level folders and modules of a source tree that are never the package.
_NOT_PACKAGES = frozenset(
    {
        "bench",
        "benchmark",
        "benchmarks",
        "build",
        "ci",
        "dist",
        "doc",
        "docs",
        "example",
        "examples",
        "script",
        "scripts",
        "test",
        "testing",
        "tests",
        "tools",
        "venv",
    }
)
_NOT_MODULES = frozenset(
    {
        "conftest",
        "fabfile",
        "manage",
        "noxfile",
        "runtests",
        "setup",
        "tasks",
        "versioneer",
    }
)
_WHEEL_INSTALLED_DATA = ("purelib", "platlib")


_POSITIONAL = frozenset({"positional-only", "positional or keyword"})
_CALLABLE_KINDS = frozenset({"class", "function", "method"})


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter as callers see it: ``kind`` is a griffe ``ParameterKind`` value."""

    name: str
    kind: str
    default: str | None = None
    annotation: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None and self.kind not in _VARIADIC

    def text(self) -> str:
        stars = {"variadic positional": "*", "variadic keyword": "**"}.get(self.kind, "")
        text = stars + self.name
        if self.annotation is not None:
            text += f": {self.annotation}"
        if self.default is not None and not stars:
            text += f" = {self.default}" if self.annotation is not None else f"={self.default}"
        return text


_VARIADIC = frozenset({"variadic positional", "variadic keyword"})


@dataclass(frozen=True, slots=True)
class _Api:
    """One public name on one side: its kind, its text and, for callables, its parameters."""

    kind: str
    text: str = field(compare=False)
    params: tuple[Param, ...] | None = field(default=None, compare=False)
    # What is compared: the text with annotations in one spelling, so that
    # ``Optional[List[str]]`` becoming ``list[str] | None`` is no change.
    key: str = ""


@dataclass(frozen=True, slots=True)
class _Source:
    parts: tuple[str, ...]
    path: str
    package: bool
    data: bytes | None
    # Equal on both sides when the module is the same file: content and layout.
    identity: tuple[str, bool, bool] = ("", False, False)


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

    api: dict[str, _Api] = field(default_factory=dict)
    classes: dict[str, griffe.Class] = field(default_factory=dict)
    # Module paths whose source could not be read: names under them are not compared.
    unread: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    modules: int = 0
    mro: _Mro = field(default_factory=_Mro)
    # Modules that define a module-level ``__getattr__``, with their source text.
    dynamic: dict[str, str] = field(default_factory=dict)


def compare_api(
    old: Archive, new: Archive, *, incremental: bool = True
) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
    """The public names added, removed or changed from OLD to NEW, ordered by name, and notes.

    A module that cannot be read on either side (it does not parse, it is too
    large) is left out of the comparison on both sides and named in a note, so
    that it does not show as removed.
    """
    with griffe.logger.disable(), _no_cyclic_gc():
        old_side, new_side = _read_sides(old, new, incremental=incremental)
    notes = [
        *_capped(old.facts.filename, old_side.notes),
        *_capped(new.facts.filename, new_side.notes),
    ]
    if not old_side.modules and not new_side.modules:
        notes.append("no Python modules found in either archive")
    unread = old_side.unread | new_side.unread
    changes = [_served_by_getattr(c, new_side) for c in _changes(old_side, new_side, unread)]
    return tuple(sorted(changes, key=lambda change: change.name)), tuple(notes)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the trees are built.

    A tree holds hundreds of thousands of objects linked to their parents, and
    each collection pass walks all of them: on 3,000 modules the collector took
    half of the time. Nothing built here is garbage until the comparison ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _capped(filename: str, notes: Sequence[str]) -> list[str]:
    """At most MAX_NOTES notes a side: a Python 2 package must not fill the page."""
    if len(notes) <= MAX_NOTES:
        return list(notes)
    left_out = len(notes) - MAX_NOTES
    return [*notes[:MAX_NOTES], f"{filename}: {left_out} more files not read for the API"]


# --- which files are the package -------------------------------------------------------


def _package_sources(archive: Archive) -> list[_Source]:
    """The importable modules of the release, as dotted parts, preferring ``.py`` over stubs."""
    files = {
        member.path: member
        for member in archive.members
        if member.kind == MemberKind.FILE and member.path.endswith((".py", ".pyi"))
    }
    found: dict[tuple[str, ...], tuple[bool, bool, str]] = {}
    build_only = _backend_folders(archive)
    for root in _source_roots(archive.facts.kind, files):
        for path in files:
            if not path.startswith(root) or path.startswith(build_only):
                continue
            module = _module_parts(path[len(root) :])
            if module is None:
                continue
            parts, package, stub = module
            # A package wins over a same-named module, as import does; source over stub.
            rank = (package, not stub, path)
            if parts not in found or rank[:2] > found[parts][:2]:
                found[parts] = rank
    importable = _importable(found) & _installed(archive, found)
    return [
        _Source(
            parts,
            path,
            package,
            archive.content(files[path]),
            (files[path].sha256, package, path.endswith(".pyi")),
        )
        for parts, (package, _source, path) in sorted(found.items())
        if parts in importable
    ]


def _installed(archive: Archive, found: Mapping[Parts, object]) -> set[Parts]:
    """The modules an sdist installs, as far as it says: the top-level names setuptools
    lists in ``*.egg-info/top_level.txt``; else, beside a package named as the project,
    not a top-level helper folder such as ``utils/`` (Sphinx's release scripts)."""
    tops = {parts[0] for parts in found}
    if archive.facts.kind == "sdist":
        listed = _top_level_txt(archive) & tops
        if listed:
            tops = listed
        elif archive.facts.name and _import_name(archive.facts.name) in tops:
            tops -= _HELPER_FOLDERS
    return {parts for parts in found if parts[0] in tops}


# Top-level folders of an sdist that hold a project's own tooling beside its package.
_HELPER_FOLDERS = frozenset({"utils", "util", "devtools", "dev", "misc", "maint", "build_tools"})


def _import_name(project: str) -> str:
    return canonicalize_name(project).replace("-", "_")


def _top_level_txt(archive: Archive) -> set[str]:
    data = top_folder_file(archive, ".egg-info/top_level.txt")
    if not data:
        return set()
    return {line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()}


def _backend_folders(archive: Archive) -> tuple[str, ...]:
    """An sdist's in-tree build backend folders (``backend-path``): build code, not API."""
    if archive.facts.kind != "sdist":
        return ()
    member = next((m for m in reversed(archive.members) if m.path == "pyproject.toml"), None)
    data = archive.content(member) if member else None
    if not data:
        return ()
    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return ()
    system = table.get("build-system")
    paths = system.get("backend-path") if isinstance(system, dict) else None
    if not isinstance(paths, list):
        return ()
    folders = (posixpath.normpath(path).strip("/") for path in paths if isinstance(path, str))
    return tuple(f"{folder}/" for folder in folders if folder not in ("", ".", ".."))


def _source_roots(kind: str, files: Iterable[str]) -> list[str]:
    if kind == "wheel":
        data_roots = sorted(
            {
                "/".join(path.split("/")[:2]) + "/"
                for path in files
                if path.split("/")[0].endswith(".data")
                and path.count("/") >= 2
                and path.split("/")[1] in _WHEEL_INSTALLED_DATA
            }
        )
        return ["", *data_roots]
    paths = list(files)
    if any(path.startswith("src/") and _module_parts(path[4:]) for path in paths):
        return ["src/"]
    return [""]


def _module_parts(relative: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """A file's module name under a source root, whether it is a package, and whether a stub."""
    stub = relative.endswith(".pyi")
    parts = relative.removesuffix(".pyi" if stub else ".py").split("/")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        return None
    package = parts[-1] == "__init__"
    if package:
        parts.pop()
    if not parts or len(parts) > _MAX_DEPTH or not _is_api_path(parts, package):
        return None
    return tuple(parts), package, stub


def _is_api_path(parts: Sequence[str], package: bool) -> bool:
    """Whether a module path is part of what the release offers, not its tests or tooling."""
    top = parts[0]
    if top in _NOT_PACKAGES or (len(parts) == 1 and not package and top in _NOT_MODULES):
        return False
    if "tests" in parts or "conftest" in parts:
        return False
    leaf = parts[-1]
    return not (not package and (leaf.startswith("test_") or leaf.endswith("_test")))


def _importable(found: Mapping[tuple[str, ...], tuple[bool, bool, str]]) -> set[tuple[str, ...]]:
    """Modules import can reach: under regular packages all the way up, or namespace folders.

    A folder without ``__init__.py`` inside a regular package holds scripts or
    templates, not modules (griffe skips them too); at the top, a chain of such
    folders is a namespace package.
    """
    packages = {parts for parts, (package, _source, _path) in found.items() if package}
    importable: set[tuple[str, ...]] = set()
    for parts in found:
        inside_regular = False
        for depth in range(1, len(parts)):
            if parts[:depth] in packages:
                inside_regular = True
            elif inside_regular:
                break
        else:
            importable.add(parts)
    return importable


# --- reading one side with griffe -----------------------------------------------------


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
    """The classes defined in a module or class, nested ones included (to _MAX_DEPTH)."""
    pending = [scope]
    while pending:
        for member in pending.pop().members.values():
            if isinstance(member, griffe.Class) and member.path.count(".") < _MAX_DEPTH:
                yield member
                pending.append(member)


Parts = tuple[str, ...]


class _Reader:
    """One release's modules loaded into griffe, all at once or a chosen set in rounds."""

    def __init__(self, archive: Archive) -> None:
        self.filename = archive.facts.filename
        self.side = _Side()
        sources = _within_budget(self.filename, _package_sources(archive), self.side)
        self.budget_notes = len(self.side.notes)
        self.sources = {source.parts: source for source in sources}
        self.folders = _with_namespace_folders(self.sources)
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
        self.referenced: set[Parts] = set()
        # Dotted paths of the modules whose names are compared; None: all of them.
        self.affected: set[str] | None = None

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
        walker = _Walker(side, self.affected)
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
        walker_notes = side.notes[self.budget_notes :]
        del side.notes[self.budget_notes :]
        side.notes.extend(note for _key, note in sorted(self.visit_notes, key=lambda n: n[0]))
        side.notes.extend(self.step_notes)
        side.notes.extend(walker_notes)
        side.modules = len(self.modules) + len(self.sources.keys() - self.tried)
        return side

    def _tops(self) -> list[griffe.Module]:
        return [module for parts, module in sorted(self.modules.items()) if len(parts) == 1]

    def _leave_out(self, what: str, exc: Exception) -> None:
        """A part that could not be read is compared on neither side, and said."""
        self.side.unread.add(what)
        self.side.notes.append(f"{self.filename}: {what}: left out of the API: {_reason(exc)}")

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
        self, parts: Parts, source: _Source | None, parent: griffe.Module | None
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
        reason = _unreadable(source)
        code = None if reason else _decode(source.data or b"")
        if code is None:
            self._note_unread(parts, f"{source.path} {reason or 'cannot be decoded'}")
            return None
        filepath = folder / "__init__.py" if source.package else folder.with_suffix(".py")
        try:
            module, unpacked = visit_module(parts[-1], filepath, code, parent=parent, loader=loader)
        except Exception as exc:  # SyntaxError, ValueError, RecursionError, …
            self._note_unread(parts, f"{source.path} does not parse: {_reason(exc)}")
            return None
        _add_unpacked_instance_attributes(module, unpacked)
        if isinstance(module.members.get("__getattr__"), griffe.Function):
            self.side.dynamic[module.path] = code
        return module

    def needed(self, affected: Iterable[Parts]) -> set[Parts]:
        """Modules not yet visited that names of the affected modules lead to.

        Followed by name, not by import: re-exported names (through aliases,
        wildcards and ``__all__`` taken from elsewhere) to where they are
        defined, and classes to their bases, so that kinds, signatures and
        inherited constructors come out as a full load gives them.
        """
        pending, self.blocked = self.blocked, []
        for parts in sorted(set(affected) - self.referenced):
            self.referenced.add(parts)
            module = self.modules.get(parts)
            if module is not None:
                pending.extend(_references(module))
        missing: set[Parts] = set()
        while pending:
            item = pending.pop()
            if item in self.followed:
                continue
            path, mode = item
            found = self._lookup(path, missing, pending)
            if isinstance(found, _Blocked):
                self.blocked.append(item)
                continue
            self.followed.add(item)
            if found is not None:
                pending.extend(_follow(found, mode))
        return missing

    def _lookup(
        self, path: str, missing: set[Parts], pending: list[tuple[str, str]]
    ) -> griffe.Object | griffe.Alias | _Blocked | None:
        """The object at a dotted path in the raw tree, or _Blocked when its module is not
        visited yet (it goes to ``missing``); a path leading on through an alias or a
        wildcard goes to ``pending``."""
        parts = tuple(path.split("."))
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
                pending.append((f"{obj.target_path}.{rest}", "name"))
                return None
            member = obj.members.get(parts[index])
            if member is None:
                pending.extend((f"{elsewhere}.{rest}", "name") for elsewhere in _elsewhere(obj))
                return None
            obj = member
        return obj


class _Blocked:
    """A path whose module is not visited yet."""


def _visit_order(parts: Parts) -> tuple[int, Parts]:
    return len(parts), parts


def _references(module: griffe.Module) -> Iterator[tuple[str, str]]:
    """What an affected module's own names lead to."""
    exports = module.exports
    strings_only = exports is None or all(isinstance(entry, str) for entry in exports)
    names = _exports(module) if strings_only else None
    yield from _export_references(module)
    for member in module.members.values():
        if isinstance(member, griffe.Alias):
            if member.wildcard:
                yield member.wildcard, "wildcard"
            elif not strings_only or _alias_is_api(module, member, names):
                yield member.target_path, "name"
        elif isinstance(member, griffe.Class):
            yield member.path, "name"


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
                    yield from (
                        _follow(member, "name")
                        if isinstance(member, griffe.Alias)
                        else [(member.path, "name")]
                    )


def _elsewhere(obj: griffe.Object) -> list[str]:
    """Where a name missing from a module or class may still come from."""
    if isinstance(obj, griffe.Class):
        return _base_paths(obj)
    return [
        member.wildcard
        for member in obj.members.values()
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


def _within_budget(filename: str, sources: list[_Source], side: _Side) -> list[_Source]:
    """The modules read, in name order, until MAX_MODULES or MAX_SOURCE_BYTES is reached.

    The rest are compared on neither side, so a budget hit never reads as removals.
    """
    total = 0
    for count, source in enumerate(sources):
        total += len(source.data or b"")
        if count >= MAX_MODULES or total > MAX_SOURCE_BYTES:
            side.unread.update(".".join(rest.parts) for rest in sources[count:])
            side.notes.append(
                f"{filename}: {len(sources) - count:,} of {len(sources):,} modules not read"
                f" for the API (over {MAX_MODULES:,} modules or {MAX_SOURCE_BYTES:,} bytes)"
            )
            return sources[:count]
    return sources


def _with_namespace_folders(by_parts: Mapping[Parts, _Source]) -> frozenset[Parts]:
    every = set(by_parts)
    for parts in by_parts:
        every.update(parts[:depth] for depth in range(1, len(parts)))
    return frozenset(every)


# --- loading only what can differ ----------------------------------------------------

# Rounds of following names to modules not yet loaded; chains of re-exports
# and bases in real packages end within a few.
_MAX_ROUNDS = 20


def _read_sides(old: Archive, new: Archive, *, incremental: bool) -> tuple[_Side, _Side]:
    readers = _Reader(old), _Reader(new)
    if incremental:
        _load_what_differs(*readers)
    else:
        for reader in readers:
            reader.visit(reader.folders)
            reader.resolve()
    return readers[0].describe(), readers[1].describe()


def _load_what_differs(old: _Reader, new: _Reader) -> None:
    """Load the modules that differ and those whose API can change through them, on both sides.

    A module left out is byte-identical in both releases and takes no name
    from a module that differs, so its names would be the same on both sides.
    """
    scope, differing = _scope(old, new)
    affected = scope.reexport_closure(differing)
    wanted = set(affected)
    _load_rounds(old, new, wanted, affected)
    more = scope.subclass_closure(
        affected, _changed_classes(old, new, affected, scope.base_words())
    )
    if more:
        affected |= more
        wanted |= more
        _load_rounds(old, new, wanted, affected)
    for reader in (old, new):
        reader.affected = {".".join(parts) for parts in affected}
        reader.resolve()


def _load_rounds(old: _Reader, new: _Reader, wanted: set[Parts], affected: set[Parts]) -> None:
    for _round in range(_MAX_ROUNDS):
        wanted |= {parts[:depth] for parts in wanted for depth in range(1, len(parts))}
        old.visit(wanted)
        new.visit(wanted)
        needed = old.needed(affected) | new.needed(affected)
        if needed <= wanted:
            break
        wanted |= needed


def _scope(old: _Reader, new: _Reader) -> tuple[api_scope.Scope, set[Parts]]:
    """The unchanged modules' scan, and the modules that differ or cannot be read."""
    known = old.folders | new.folders
    differing: set[Parts] = set()
    facts: dict[Parts, api_scope.ModuleFacts] = {}
    for parts in old.sources.keys() | new.sources.keys():
        before, after = old.sources.get(parts), new.sources.get(parts)
        if before is None or after is None or before.identity != after.identity:
            differing.add(parts)
        elif before.data is None or _unreadable(before) or _decode(before.data) is None:
            differing.add(parts)  # read, to give the same notes as a full load
        else:
            facts[parts] = api_scope.scan(parts, before.package, before.data, known)
    return api_scope.Scope(facts), differing


def _changed_classes(
    old: _Reader, new: _Reader, affected: set[Parts], base_words: set[str]
) -> set[str]:
    """Names of the affected modules' classes whose constructor or bases may differ.

    Read before aliases are resolved and wildcards expanded, so it errs wide:
    a class with a base that does not resolve in a module with wildcard
    imports counts as changed, and so does a dataclass whose fields changed.
    Only classes whose name some unchanged module's base list mentions are read.
    """
    shapes = [_class_shapes(reader, affected, base_words) for reader in (old, new)]
    return {
        path.rsplit(".", 1)[-1]
        for path in shapes[0].keys() | shapes[1].keys()
        if shapes[0].get(path) != shapes[1].get(path)
    }


def _class_shapes(reader: _Reader, affected: set[Parts], names: set[str]) -> dict[str, str]:
    shapes: dict[str, str] = {}
    mro = _Mro()
    for module in (reader.modules[parts] for parts in affected if parts in reader.modules):
        for cls in _classes(module):
            if cls.name in names:
                shapes[cls.path] = _shape(cls, mro)
    return shapes


def _shape(cls: griffe.Class, mro: _Mro) -> str:
    try:
        params = _constructor(cls, mro)
        linear = [cls, *mro(cls)]
        if len(cls.resolved_bases) < len(cls.bases) and _has_wildcards(cls.module):
            return f"unknown {id(cls)}"  # a base from a wildcard not expanded yet
    except Exception as exc:  # any failure is a shape too
        return f"error: {exc!r}"
    shape = f"{_params_text(params) if params is not None else '...'} {[c.path for c in linear]}"
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


def _has_wildcards(module: griffe.Module) -> bool:
    return any(isinstance(m, griffe.Alias) and m.wildcard for m in module.members.values())


def _unreadable(source: _Source) -> str | None:
    if source.data is None:
        return "is over the per-file size limit: not read for the API"
    if len(source.data) > MAX_MODULE_BYTES:
        return f"is over {MAX_MODULE_BYTES:,} bytes: not read for the API"
    return None


def _decode(data: bytes) -> str | None:
    """Source text as Python decodes it: a BOM or PEP 263 coding line, else UTF-8."""
    try:
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError) and exc.msg:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"{exc.msg}{where}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# --- flattening a tree to public names ------------------------------------------------


class _Walker:
    """Flatten griffe trees to ``{dotted name: _Api}``, public names only.

    Public: no underscored part; at module level, listed in ``__all__`` when
    the module defines it. Imported names count only where ``__all__`` lists
    them or where a package's ``__init__`` re-exports them from its own package.
    Members of a re-exported class are listed under the re-export only when the
    class itself is not public where it is defined (``pkg._impl.Client``).

    With ``only``, modules outside it are loaded only for what they define:
    their public names are noted, not described, since both sides have them
    alike.
    """

    def __init__(self, side: _Side, only: set[str] | None = None) -> None:
        self.side = side
        self.only = only
        self.aliases: list[tuple[str, griffe.Alias]] = []
        # Public names of the modules outside ``only``.
        self.elsewhere: set[str] = set()

    def module(self, module: griffe.Module, path: str) -> None:
        if self.only is not None and path not in self.only:
            self._note_names(module, path)
            return
        self.side.api[path] = _api("module", path)
        exports = _exports(module)
        for name, member in sorted(module.members.items()):
            # A name imported or set under ``if TYPE_CHECKING:`` does not exist at run time.
            if name.startswith("_") or not member.runtime:
                continue
            member_path = f"{path}.{name}"
            if isinstance(member, griffe.Alias):
                if _alias_is_api(module, member, exports):
                    self.aliases.append((member_path, member))
            elif isinstance(member, griffe.Module):
                if member_path.count(".") < _MAX_DEPTH:
                    self.module(member, member_path)
            elif exports is None or name in exports:
                self.object(member, member_path)

    def object(self, obj: griffe.Object, path: str, *, members: bool = True) -> None:
        api = _describe(obj, path.rsplit(".", 1)[-1], self.side.mro)
        if api is None:
            return
        self.side.api[path] = api
        if isinstance(obj, griffe.Class) and members and path.count(".") < _MAX_DEPTH:
            self.side.classes[path] = obj
            for name, member in sorted(obj.members.items()):
                if name.startswith("_"):
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
                if member_path.count(".") < _MAX_DEPTH:
                    self.module(member, member_path)
            elif exports is None or name in exports:
                self._note_object(member, member_path)

    def _note_object(self, obj: griffe.Object, path: str) -> None:
        if not isinstance(obj, _DESCRIBED):
            return
        self.elsewhere.add(path)
        if isinstance(obj, griffe.Class) and path.count(".") < _MAX_DEPTH:
            for name, member in obj.members.items():
                target = None if name.startswith("_") else _target(member)
                if target is not None and not isinstance(target, griffe.Module):
                    self._note_object(target, f"{path}.{name}")

    def finish(self) -> None:
        """Re-exports last, once every object is known at its own public place."""
        defined = set(self.side.api) | self.elsewhere
        for path, alias in self.aliases:
            target = _target(alias)
            if target is None:
                self.side.api[path] = _api("attribute", _import_text(alias))
            elif not isinstance(target, griffe.Module):
                self.object(target, path, members=target.path not in defined)


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
    own_package = module.path.split(".", 1)[0]
    return alias.target_path.split(".", 1)[0] == own_package


def _target(member: griffe.Object | griffe.Alias) -> griffe.Object | None:
    if not isinstance(member, griffe.Alias):
        return member
    try:
        return member.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None


def _import_text(alias: griffe.Alias) -> str:
    module, _dot, name = alias.target_path.rpartition(".")
    rename = f" as {alias.name}" if name != alias.name else ""
    return f"from {module} import {name}{rename}" if module else f"import {name}{rename}"


def _describe(obj: griffe.Object, name: str, mro: _Mro) -> _Api | None:
    """An object's kind and text as a reader calls it (``f(a, b=1, *, c) -> int``).

    ``name = other`` naming a function or class of the same scope is described
    as what it names: ``as_sqlite = pipes_concat_sql`` in a class is a method.
    """
    in_class = isinstance(obj.parent, griffe.Class)
    if isinstance(obj, griffe.Attribute):
        obj = _assigned_callable(obj) or obj
    if isinstance(obj, griffe.Class):
        params = _constructor(obj, mro)
        if params is None:
            return _api("class", f"{name}(...)")
        return _api(
            "class",
            f"{name}({_params_text(params)})",
            params,
            key=f"{name}({_params_text(_canonical_params(params))})",
        )
    if isinstance(obj, griffe.Function):
        returns = None if obj.returns is None else str(obj.returns)
        if _is_property(obj):
            if returns is None:
                return _api("attribute", name)
            return _api("attribute", f"{name}: {returns}", key=f"{name}: {_canonical(returns)}")
        params = _bound(tuple(_param(p) for p in obj.parameters), in_class, obj.labels)
        kind = "method" if in_class else "function"
        text = f"{name}({_params_text(params)})" + (f" -> {returns}" if returns else "")
        key = f"{name}({_params_text(_canonical_params(params))})"
        key += f" -> {_canonical(returns)}" if returns else ""
        return _api(kind, text, params, key=key)
    if isinstance(obj, griffe.Attribute):
        return _attribute_api(obj, name)
    if isinstance(obj, griffe.TypeAlias):
        return _api("attribute", f"{name} = {obj.value}")
    return None


def _assigned_callable(attribute: griffe.Attribute) -> griffe.Function | griffe.Class | None:
    """The function or class a plain ``name = other`` names in its class or module."""
    value = attribute.value
    if not isinstance(value, griffe.ExprName) or value.parent is not attribute.parent:
        return None
    if attribute.annotation is not None or _instance_only(attribute):
        return None
    scopes = [attribute.parent, attribute.module]
    for scope in scopes:
        target = scope.members.get(value.name) if scope is not None else None
        if isinstance(target, griffe.Function | griffe.Class):
            return target
    return None


def _api(
    kind: str, text: str, params: tuple[Param, ...] | None = None, key: str | None = None
) -> _Api:
    text = _one_line(text)
    return _Api(kind, text, params, _one_line(key) if key is not None else text)


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


class _OneSpelling(ast.NodeTransformer):
    """``typing.List[X]`` as ``list[X]``, ``Optional[X]`` as ``X | None``, ``Union[A, B]``
    as ``A | B`` (PEP 585 and 604 spellings of the same types)."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        name = _typing_name(node.value)
        if name == "Optional":
            return ast.BinOp(node.slice, ast.BitOr(), ast.Constant(None))
        if name == "Union":
            members = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            union = members[0]
            for member in members[1:]:
                union = ast.BinOp(union, ast.BitOr(), member)
            return union
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return ast.Name(_TYPING_BUILTINS.get(node.id, node.id))

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name) and node.value.id == "typing":
            if node.attr in _TYPING_BUILTINS:
                return ast.Name(_TYPING_BUILTINS[node.attr])
            return ast.Name(node.attr)
        return self.generic_visit(node)


def _typing_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.attr if node.value.id == "typing" else None
    return None


@functools.lru_cache(maxsize=4096)
def _canonical(annotation: str) -> str:
    """One spelling of an annotation for comparing; as written when it is not an expression."""
    try:
        tree = ast.parse(annotation, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return annotation
    try:
        return ast.unparse(_OneSpelling().visit(tree))
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


def _attribute_api(attribute: griffe.Attribute, name: str) -> _Api:
    """``name: annotation = value``, compared with the annotation in one spelling.

    Each expression is rendered once: griffe renders them anew on every ``str``.
    """
    annotation = None if attribute.annotation is None else str(attribute.annotation)
    value = ""
    # An instance attribute's value is an expression over __init__'s locals: noise.
    if attribute.value is not None and not _instance_only(attribute):
        value = f" = {attribute.value}"
    if annotation is None:
        return _api("attribute", name + value)
    return _api(
        "attribute",
        f"{name}: {annotation}{value}",
        key=f"{name}: {_canonical(annotation)}{value}",
    )


def _instance_only(attribute: griffe.Attribute) -> bool:
    labels = attribute.labels
    return "instance-attribute" in labels and "class-attribute" not in labels


def _constructor(cls: griffe.Class, mro: _Mro) -> tuple[Param, ...] | None:
    """The parameters callers pass to the class, when its ``__init__`` is in the release."""
    init = _class_member(cls, "__init__", mro)
    target = _target(init) if init is not None else None
    if isinstance(target, griffe.Function):
        return _bound(tuple(_param(p) for p in target.parameters), True, target.labels)
    if not cls.bases:
        return ()
    return None


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
    if in_class and "staticmethod" not in labels and params and params[0].kind in _POSITIONAL:
        return params[1:]
    return params


def _param(parameter: griffe.Parameter) -> Param:
    kind = parameter.kind.value if parameter.kind else "positional or keyword"
    default = None if parameter.default is None else str(parameter.default)
    annotation = None if parameter.annotation is None else str(parameter.annotation)
    return Param(parameter.name, kind, default, annotation)


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


def _clip(text: str) -> str:
    """Texts are compared whole and shown cut: a long table's change still counts."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# --- comparing two sides -------------------------------------------------------------


def _changes(old: _Side, new: _Side, unread: set[str]) -> Iterator[ApiChange]:
    names = sorted((old.api.keys() | new.api.keys()) - _under(unread, old.api, new.api))
    removed = {name for name in names if name not in new.api}
    added = {name for name in names if name not in old.api}
    for name in names:
        before, after = old.api.get(name), new.api.get(name)
        if before is None:
            after = after if _parent_in(name, added) else None
            inherited = _inherited(old, name)
            if after is not None and inherited != after:
                yield _change(name, inherited, after)
        elif after is None:
            before = before if _parent_in(name, removed) else None
            inherited = _inherited(new, name)
            if before is not None and inherited != before:
                yield _change(name, before, inherited)
        elif before != after:
            yield _change(name, before, after)


def _under(unread: set[str], *apis: Mapping[str, _Api]) -> set[str]:
    """Names inside modules that could not be read on one side."""
    if not unread:
        return set()
    return {
        name
        for api in apis
        for name in api
        if any(name == path or name.startswith(path + ".") for path in unread)
    }


def _parent_in(name: str, group: set[str]) -> bool:
    """False when an enclosing name is in the group too: a removed module's members
    are not listed one by one."""
    parts = name.split(".")
    return not any(".".join(parts[:depth]) in group for depth in range(1, len(parts)))


def _inherited(side: _Side, name: str) -> _Api | None:
    """A class member the class still (or already) has from a base class, if any."""
    owner, _dot, member = name.rpartition(".")
    cls = side.classes.get(owner)
    if cls is None:
        return None
    found = _class_member(cls, member, side.mro)
    target = _target(found) if found is not None else None
    return _describe(target, member, side.mro) if target is not None else None


def _served_by_getattr(change: ApiChange, new: _Side) -> ApiChange:
    """A name gone from a module whose new ``__getattr__`` still serves it is not known to
    break callers: a deprecation shim names what it serves in a string (Sphinx 8.0's
    intersphinx: ``_DEPRECATED_OBJECTS = {'normalize_intersphinx_mapping': ...}``)."""
    module, _, name = change.name.rpartition(".")
    source = new.dynamic.get(module)
    if change.change != "removed" or source is None:
        return change
    if f"'{name}'" not in source and f'"{name}"' not in source:
        return change
    return replace(change, breaking=False, why="the module's __getattr__ may still serve it")


def _change(name: str, old: _Api | None, new: _Api | None) -> ApiChange:
    if old is None:
        assert new is not None
        return ApiChange("added", name, new.kind, None, _clip(new.text), breaking=False)
    if new is None:
        return ApiChange("removed", name, old.kind, _clip(old.text), None, breaking=True)
    why = _why_breaking(old, new)
    return ApiChange(
        "changed", name, new.kind, _clip(old.text), _clip(new.text), why is not None, why
    )


def _why_breaking(old: _Api, new: _Api) -> str | None:
    callable_both = old.kind in _CALLABLE_KINDS and new.kind in _CALLABLE_KINDS
    if old.kind != new.kind and not callable_both:
        return f"was {_a(old.kind)}, now {_a(new.kind)}"
    if old.params is None or new.params is None:
        return None
    return breaking_reason(old.params, new.params)


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def breaking_change(old: Sequence[Param], new: Sequence[Param]) -> bool:
    """Whether a call that worked with the old parameters can fail with the new ones
    (see :func:`breaking_reason`)."""
    return breaking_reason(old, new) is not None


def _private_option(param: Param) -> bool:
    return param.kind == "keyword-only" and param.name.startswith("_") and not param.required


def breaking_reason(old: Sequence[Param], new: Sequence[Param]) -> str | None:
    """How a call that worked with the old parameters can fail with the new ones, or None.

    Breaking: a new required parameter; a parameter removed or renamed (unless a
    new ``*args``/``**kwargs`` still takes it); a parameter that became
    keyword-only or positional-only; a default removed; a parameter callers pass
    by position moved to another position (which a new parameter inserted before
    it does); ``*args`` or ``**kwargs`` removed. A new parameter with a default,
    an underscored keyword-only parameter with a default removed (Sphinx 8's
    ``__overwrite_warning__``: no caller is meant to pass it),
    a changed default, a changed annotation or return type are not breaking.
    Every reason found is said, the parameters named, in the old order.
    """
    new_by_name = {param.name: (index, param) for index, param in enumerate(new)}
    matched: set[str] = set()
    new_kinds = {param.kind for param in new}
    takes_args = "variadic positional" in new_kinds
    takes_kwargs = "variadic keyword" in new_kinds
    reasons: dict[str, list[str]] = {}
    for index, before in enumerate(old):
        if before.kind in _VARIADIC:
            if before.kind not in new_kinds:
                reasons.setdefault("removed", []).append(before.text())
            continue
        found = new_by_name.get(before.name)
        if found is None and before.kind == "positional-only":
            # Callers cannot name a positional-only parameter: renaming it is harmless.
            same_place = index < len(new) and new[index].kind == "positional-only"
            found = (index, new[index]) if same_place else None
        if found is None:
            if not _swallowed(before, takes_args=takes_args, takes_kwargs=takes_kwargs) and not (
                _private_option(before)
            ):
                reasons.setdefault("removed", []).append(before.name)
            continue
        new_index, after = found
        matched.add(after.name)
        if after.required and not before.required:
            reasons.setdefault("default removed", []).append(before.name)
        if _narrowed(before.kind, after.kind):
            reasons.setdefault(f"became {after.kind}", []).append(before.name)
        elif before.kind in _POSITIONAL and after.kind in _POSITIONAL and new_index != index:
            reasons.setdefault("moved", []).append(before.name)
    old_names = {param.name for param in old}
    for param in new:
        if param.required and param.name not in old_names | matched:
            reasons.setdefault("new required", []).append(param.name)
    if not reasons:
        return None
    return "; ".join(f"{what}: {', '.join(names)}" for what, names in reasons.items())


def _swallowed(param: Param, *, takes_args: bool, takes_kwargs: bool) -> bool:
    if param.kind == "keyword-only":
        return takes_kwargs
    if param.kind == "positional-only":
        return takes_args
    return takes_args and takes_kwargs


def _narrowed(before: str, after: str) -> bool:
    """Whether a parameter accepts fewer ways of passing it than it did."""
    ways = {
        "positional-only": {"position"},
        "positional or keyword": {"position", "keyword"},
        "keyword-only": {"keyword"},
        "variadic positional": {"position"},
        "variadic keyword": {"keyword"},
    }
    return not ways[before] <= ways[after]
