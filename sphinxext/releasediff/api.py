"""Public API changes between two releases, found statically.

The package is never imported or executed: each module's source is read from
the archive in memory and handed to griffe (:mod:`.api_load`), which builds the
object tree (classes, functions, attributes, ``__all__``, re-exports) from the
source text. The tree is flattened to one signature per public dotted name,
and the two releases' names are compared here under the breaking rules in
:func:`breaking_change`. Each release's side may be loaded in a process of
its own (:mod:`.api_worker`); this module imports no griffe.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import re
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from packaging.version import InvalidVersion, Version

from .api_modules import MAX_ROUNDS, ModuleTable, Parts, differing_modules, scope_of
from .api_scope import reads_for_api
from .api_shown import MAX_TEXT
from .api_summary import api_counts, api_summary
from .model import ApiChange, Archive

if TYPE_CHECKING:
    from .api_load import LocalSide

__all__ = [
    "MAX_NOTES",
    "MAX_TEXT",
    "ApiComparison",
    "ApiEntry",
    "Param",
    "SideResult",
    "SideRunner",
    "api_counts",
    "api_summary",
    "breaking_change",
    "breaking_reason",
    "compare_api",
    "local_side",
    "reads_for_api",
]

# Notes past this many a side are counted, not listed.
MAX_NOTES = 10

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

    @property
    def positional(self) -> bool:
        """Whether a caller may pass it by position."""
        return self.kind in _POSITIONAL

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
class ApiEntry:
    """One public name on one side: its kind, its text and, for callables, its parameters."""

    kind: str
    text: str = field(compare=False)
    params: tuple[Param, ...] | None = field(default=None, compare=False)
    # What is compared: the text with annotations in one spelling, so that
    # ``Optional[List[str]]`` becoming ``list[str] | None`` is no change.
    key: str = ""
    # The key with the release's type aliases spelled out, when it names one: see
    # :mod:`.api_aliases` and :func:`same_entry`.
    spelled: str | None = field(default=None, compare=False)
    # For a name imported from outside the release (``from typing import ParamSpec``), the
    # path it leads to: what it is there is not known.
    imported: str | None = field(default=None, compare=False)
    # The test of the branch that alone defines it, which Linux does not take
    # (``sys.platform == 'win32'``): it does not exist everywhere.
    only_where: str | None = field(default=None, compare=False)
    # An attribute whose value a call makes (``clear = _calls_update("clear")``): what it
    # is, a method perhaps, is not known.
    made_by_call: bool = field(default=False, compare=False)
    # A function written as ``@overload`` signatures only (a stub's): each one's
    # parameters; ``params`` is then None.
    overloads: tuple[tuple[Param, ...], ...] = field(default=(), compare=False)
    # Not a member of the class here, which has a base from outside the release that may
    # hold it (setuptools 70's ``build`` lost its ``get_sub_commands``, distutils' has it).
    maybe_inherited_from: str | None = field(default=None, compare=False)
    # Bound by its module still, but left out of the module's ``__all__``: not public.
    left_out_of_all: bool = field(default=False, compare=False)
    # A function a decorator makes a command-line command (``@click.command()``).
    command_line: bool = field(default=False, compare=False)

    @property
    def spelled_key(self) -> str:
        return self.key if self.spelled is None else self.spelled


def same_entry(old: ApiEntry | None, new: ApiEntry | None) -> bool:
    """Whether two entries of one name are the same to callers: of one kind, with the same
    key, or the same key once each side's type aliases are spelled out (``x: StrPath``
    for ``x: Union[str, os.PathLike[str]]``)."""
    if old is None or new is None:
        return old is new
    if old.kind != new.kind:
        return False
    if old.spelled_key == new.spelled_key:
        return True
    # The same words, but a private alias they name now stands for another type
    # (pydantic-core 2.23.4's ``include: _IncEx``): no entry of its own says so.
    return old.key == new.key and not _names_private(old.key)


def _names_private(key: str) -> bool:
    return _PRIVATE_NAME.search(key) is not None


# An underscored name in a signature or value (``_IncEx``, ``mod._Alias``), not a dunder.
_PRIVATE_NAME = re.compile(r"(?<![\w])_(?!_)[A-Za-z]\w*")


# Whether a name is compared, given the files of the module that offers it on either side
# (the files table's --include and --exclude).
FileFilter = Callable[[Sequence[str]], bool]


def compare_api(
    old: Archive, new: Archive, *, incremental: bool = True, selected: FileFilter | None = None
) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
    """The public names added, removed or changed from OLD to NEW, ordered by name, and notes.

    A module that cannot be read on either side (it does not parse, it is too
    large) is left out of the comparison on both sides and named in a note, so
    that it does not show as removed. With ``selected``, only names whose
    module's file it accepts are listed. Both sides are loaded in this process.
    """
    sides = local_side(old), local_side(new)
    if incremental:
        return ApiComparison(*sides, selected=selected).result()
    for side in sides:
        side.start("load_all")
    return _compared((sides[0].wait(), sides[1].wait()), sides, selected)


def local_side(archive: Archive) -> LocalSide:
    """A side loaded in this process."""
    from .api_load import LocalSide  # griffe, imported only where a side is loaded

    return LocalSide.of(archive)


class SideRunner(Protocol):
    """Runs one release's :class:`.api_load.SideWork` steps, here or in another process.

    :meth:`start` begins a step and :meth:`wait` returns its result; a runner
    elsewhere works while this process goes on, so both sides proceed at once.
    """

    modules: ModuleTable

    def start(self, step: str, *args: Any) -> None: ...

    def wait(self) -> Any: ...


def entry_digest(entry: ApiEntry) -> bytes:
    """What :func:`same_entry` compares: 16 bytes of the kind and key, 16 of the kind and
    the key spelled out, and one that says whether the key names a private name (see
    :func:`digests_differ`)."""
    private = b"\1" if _names_private(entry.key) else b"\0"
    return _digest(entry.kind, entry.key) + _digest(entry.kind, entry.spelled_key) + private


def _digest(kind: str, key: str) -> bytes:
    text = f"{kind}\0{key}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(text, digest_size=16).digest()


def digests_differ(old: bytes, new: bytes) -> bool:
    """Whether two :func:`entry_digest` values are of entries that are not the same."""
    if old[16:32] == new[16:32]:
        return False
    return old[:16] != new[:16] or old[32:] == b"\1"


@dataclass(frozen=True, slots=True)
class SideResult:
    """What one side's comparison needs of the other: names, and what was not read.

    Names come with the digest of their entry: most names are the same on both
    sides, and only the entries that differ, or that one side lacks, are asked
    for (step ``entries``). On Django that is 800 of 20,000 entries, whose
    unpickling took this process 0.3 s.
    """

    api: Mapping[str, bytes]
    unread: frozenset[str]
    notes: tuple[str, ...]
    modules: int
    # Modules that define a module-level ``__getattr__``, with their source text.
    dynamic: Mapping[str, str]
    # Names whose entry only says where they are re-exported from (see SideWork.realize).
    symbolic: frozenset[str] = frozenset()


class ApiComparison:
    """The incremental comparison of two releases' APIs, each side run by its own runner.

    Both sides' first step is started at once: with runners in other processes
    (see :mod:`.api_worker`) they proceed while the caller does other work
    before asking for :meth:`result`. Both sides take the same steps in step
    with each other, so the result is the same wherever they run.
    """

    def __init__(
        self, old: SideRunner, new: SideRunner, selected: FileFilter | None = None
    ) -> None:
        self._old, self._new = old, new
        self._selected = selected
        differing = frozenset(differing_modules(old.modules, new.modules))
        # The modules that differ are parsed at once; what can change through them is
        # found meanwhile (a scan of every unchanged module: 0.15 s on Django) and follows.
        # Of the unchanged modules found, only what they re-export can differ (unless a
        # class of theirs inherits a changed constructor: see result), so their own
        # definitions are not described, nor followed. A re-export of a name that an
        # unchanged module defines is the same on both sides: noted by where it leads,
        # and loaded only if the other side differs.
        self._full = differing
        self._start_both("rounds", differing, frozenset(), self._full)
        self._scope = scope_of(old.modules, new.modules, differing)
        # Those with a try importing from a module that differs may fall back to a
        # definition of their own (and back): read whole.
        trying = self._scope.trying_imports_from(differing)
        self._full = differing | trying
        self._affected = frozenset(self._scope.reexport_closure(differing | trying))
        self._start_both("rounds", self._affected, self._affected, self._full)

    def result(self) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
        (old_first, new_first), (old_then, new_then) = self._wait_both(), self._wait_both()
        wanted = self._rounds_joined(old_first | old_then, new_first | new_then)
        base_words = frozenset(self._scope.base_words())
        changed = _changed_classes(*self._both("shapes", self._affected, base_words))
        # A re-exporting module with a class based on a changed class is read whole, and
        # the shapes of its classes tell whether theirs changed in turn.
        promoted = self._scope.basing_on(self._affected - self._full, changed)
        while promoted:
            self._full |= promoted
            wanted = self._rounds_joined(*self._both("rounds", wanted, *self._sets()))
            changed |= _changed_classes(*self._both("shapes", promoted, base_words))
            promoted = self._scope.basing_on(self._affected - self._full, changed)
        more = self._scope.subclass_closure(set(self._affected), changed)
        if more:
            self._affected |= more
            self._full |= more
            self._rounds_joined(*self._both("rounds", wanted | more, *self._sets()))
        sides = self._old, self._new
        results = _realized(self._both("finish", *self._sets()), sides)
        return _compared(results, sides, self._selected)

    def _sets(self) -> tuple[frozenset[Parts], frozenset[Parts]]:
        """The affected and the full modules, as the sides' steps take them."""
        return self._affected, self._full

    def _start_both(self, step: str, *args: Any) -> None:
        self._old.start(step, *args)
        self._new.start(step, *args)

    def _wait_both(self) -> tuple[Any, Any]:
        return self._old.wait(), self._new.wait()

    def _both(self, step: str, *args: Any) -> tuple[Any, Any]:
        """One step on both sides at once."""
        self._start_both(step, *args)
        return self._wait_both()

    def _rounds_joined(self, old: frozenset[Parts], new: frozenset[Parts]) -> frozenset[Parts]:
        """Rounds on both sides until each has loaded what either side's names lead to."""
        for _round in range(MAX_ROUNDS):
            if old == new:
                break
            old, new = self._both("rounds", old | new, *self._sets())
        return old | new


def _realized(
    results: tuple[SideResult, SideResult], sides: tuple[SideRunner, SideRunner]
) -> tuple[SideResult, SideResult]:
    """The results with each re-export noted by where it leads described in full, where
    the other side's entry of that name differs."""
    old, new = results
    symbolic = old.symbolic | new.symbolic
    if not symbolic:
        return results
    names = _Names.of(old.api, new.api, old.unread | new.unread).differing(old.api, new.api)
    wanted = [name for name in names.names if name in symbolic]
    if not wanted:
        return results
    asked = [[name for name in wanted if name in result.symbolic] for result in results]
    for side, names_asked in zip(sides, asked, strict=True):
        side.start("realize", names_asked)
    described = sides[0].wait(), sides[1].wait()
    old, new = (
        _with_described(result, names_asked, digests)
        for result, names_asked, digests in zip(results, asked, described, strict=True)
    )
    return old, new


def _with_described(
    result: SideResult, names: Sequence[str], digests: Mapping[str, bytes]
) -> SideResult:
    api = {name: digest for name, digest in result.api.items() if name not in names}
    api.update(digests)
    return replace(result, api=api, symbolic=result.symbolic - set(names))


def _compared(
    results: tuple[SideResult, SideResult],
    sides: tuple[SideRunner, SideRunner],
    selected: FileFilter | None,
) -> tuple[tuple[ApiChange, ...], tuple[str, ...]]:
    """The changes between two sides' results, and their notes."""
    old_result, new_result = results
    notes = [
        *_capped(sides[0].modules.filename, old_result.notes),
        *_capped(sides[1].modules.filename, new_result.notes),
    ]
    if not old_result.modules and not new_result.modules:
        notes.append("no Python modules found in either archive")
    unread = old_result.unread | new_result.unread
    names = _Names.of(old_result.api, new_result.api, unread).differing(
        old_result.api, new_result.api
    )
    inherited, (old_entries, new_entries) = _inherited_and_entries(sides, names)
    versions = sides[0].modules.version, sides[1].modules.version
    changes = [
        _served_by_getattr(change, new_result.dynamic)
        for change in _changes(old_entries, new_entries, names, *inherited)
        if not release_versions(change, *versions)
    ]
    if selected is not None:
        tables = [side.modules for side in sides]
        changes = [c for c in changes if _in_selected_files(c.name, tables, selected)]
    return tuple(sorted(changes, key=lambda change: change.name)), tuple(notes)


def release_versions(change: ApiChange, old_version: str | None, new_version: str | None) -> bool:
    """Whether a changed attribute only went from OLD's version to NEW's (``VERSION = (5, 0,
    8, 'final', 0)`` to ``(5, 1, 0, 'final', 0)`` in Django 5.1), which the summary says."""
    if change.change != "changed" or change.kind != "attribute" or not old_version:
        return False
    before, _eq, old_value = (change.old or "").partition(" = ")
    after, _eq, new_value = (change.new or "").partition(" = ")
    return (
        before == after
        and _spells_version(old_value, old_version)
        and _spells_version(new_value, new_version)
    )


# No spelling of a release is longer: a longer value is not parsed to tell (21 of the 76
# attributes changed in Django 5.1 are longer, one 8,757 characters).
_MAX_VERSION_TEXT = 100


def _spells_version(value: str, version: str | None) -> bool:
    """``'2.7.0'``, ``(2, 7)`` or ``(2, 7, 0, 'final', 0)`` for release 2.7.0."""
    if not value or not version or len(value) > _MAX_VERSION_TEXT:
        return False
    try:
        literal = ast.literal_eval(value)
        release = Version(version or "").release
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, InvalidVersion):
        return False
    if isinstance(literal, str):
        return _release(literal) == _trimmed(release)
    if isinstance(literal, tuple):
        numbers = list(itertools.takewhile(lambda item: type(item) is int, literal))
        return bool(numbers) and _trimmed(tuple(numbers)) == _trimmed(release)
    return False


def _release(text: str) -> tuple[int, ...] | None:
    try:
        return _trimmed(Version(text).release)
    except InvalidVersion:
        return None


def _trimmed(release: tuple[int, ...]) -> tuple[int, ...]:
    """A release without its trailing zeros: 5.1 is 5.1.0."""
    end = len(release)
    while end > 1 and release[end - 1] == 0:
        end -= 1
    return release[:end]


def _in_selected_files(name: str, tables: Sequence[ModuleTable], selected: FileFilter) -> bool:
    """Whether the filter accepts the files of the module offering ``name`` (a name in a
    namespace folder, which has no file, is kept)."""
    parts = tuple(name.split("."))
    for depth in range(len(parts), 0, -1):
        files = [
            table.sources[parts[:depth]].path for table in tables if parts[:depth] in table.sources
        ]
        if files:
            return selected(files)
    return True


_Entries = Mapping[str, ApiEntry]
_Inherited = Mapping[str, ApiEntry | None]


def _inherited_and_entries(
    sides: tuple[SideRunner, SideRunner], names: _Names
) -> tuple[tuple[_Inherited, _Inherited], tuple[_Entries, _Entries]]:
    """What each side's classes have, from a base, of the names only the other side lists;
    and each side's entries of the names compared, both steps started on both sides at once."""
    old, new = sides
    old.start("inherited", names.added)
    new.start("inherited", names.removed)
    old.start("entries", names.names)
    new.start("entries", names.names)
    inherited = old.wait(), new.wait()
    return inherited, (old.wait(), new.wait())


def _capped(filename: str, notes: Sequence[str]) -> list[str]:
    """At most MAX_NOTES notes a side: a Python 2 package must not fill the page."""
    if len(notes) <= MAX_NOTES:
        return list(notes)
    left_out = len(notes) - MAX_NOTES
    return [*notes[:MAX_NOTES], f"{filename}: {left_out} more files not read for the API"]


def _changed_classes(old: Mapping[str, str], new: Mapping[str, str]) -> set[str]:
    """Names of the classes whose constructor or bases may differ, by their shapes.

    Shapes are read before aliases are resolved and wildcards expanded, so this
    errs wide: a class with a base that does not resolve in a module with
    wildcard imports counts as changed, and so does a dataclass whose fields
    changed. Only classes whose name some unchanged module's base list
    mentions are read.
    """
    return {
        path.rsplit(".", 1)[-1]
        for path in old.keys() | new.keys()
        if old.get(path) != new.get(path)
    }


@dataclass(frozen=True, slots=True)
class _Names:
    """The names compared, and those one side lists under an enclosing name both have:
    the other side's class may still have them from a base."""

    names: list[str]
    added: list[str]
    removed: list[str]

    @classmethod
    def of(cls, old: Mapping[str, object], new: Mapping[str, object], unread: Set[str]) -> _Names:
        names = sorted((old.keys() | new.keys()) - _under(unread, old, new))
        removed = {name for name in names if name not in new}
        added = {name for name in names if name not in old}
        return cls(
            names,
            [name for name in names if name in added and _parent_in(name, added)],
            [name for name in names if name in removed and _parent_in(name, removed)],
        )

    def differing(self, old: Mapping[str, bytes], new: Mapping[str, bytes]) -> _Names:
        """Only the names that can make a change: listed added or removed, or on both sides
        with entries that differ."""
        listed = set(self.added) | set(self.removed)
        names = [
            name
            for name in self.names
            if name in listed
            or (name in old and name in new and digests_differ(old[name], new[name]))
        ]
        return replace(self, names=names)


def _changes(
    old: Mapping[str, ApiEntry],
    new: Mapping[str, ApiEntry],
    names: _Names,
    inherited_in_old: Mapping[str, ApiEntry | None],
    inherited_in_new: Mapping[str, ApiEntry | None],
) -> Iterator[ApiChange]:
    added, removed = set(names.added), set(names.removed)
    for name in names.names:
        before, after = old.get(name), new.get(name)
        if _inside_an_import_from_outside(name, new if after is None else old):
            continue
        if before is None:
            inherited = inherited_in_old.get(name)
            if inherited is not None and (
                inherited.maybe_inherited_from or inherited.left_out_of_all
            ):
                inherited = None  # not public before: added
            if after is not None and name in added and not same_entry(inherited, after):
                yield _change(name, inherited, after)
        elif after is None:
            inherited = inherited_in_new.get(name)
            if name in removed and not same_entry(inherited, before):
                yield _change(name, before, inherited)
        elif not same_entry(before, after):
            yield _change(name, before, after)


def _inside_an_import_from_outside(name: str, other: Mapping[str, ApiEntry]) -> bool:
    """Whether the name is a member of one the other side imports from outside the release
    (typing_extensions 4.12's ``ParamSpec`` class became ``from typing import ParamSpec`` on
    Python 3.13): what that object has is not known, so its members are not compared."""
    parts = name.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        entry = other.get(".".join(parts[:depth]))
        if entry is not None:
            return entry.imported is not None
    return False


def _under(unread: Set[str], *apis: Mapping[str, object]) -> set[str]:
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


def _served_by_getattr(change: ApiChange, dynamic: Mapping[str, str]) -> ApiChange:
    """A name gone from a module whose new ``__getattr__`` still serves it is not known to
    break callers: a deprecation shim names what it serves in a string (Sphinx 8.0's
    intersphinx: ``_DEPRECATED_OBJECTS = {'normalize_intersphinx_mapping': ...}``)."""
    module, _, name = change.name.rpartition(".")
    source = dynamic.get(module)
    if change.change != "removed" or source is None:
        return change
    if f"'{name}'" not in source and f'"{name}"' not in source:
        return change
    if not _returns_something(source):
        return change  # it only raises (``raise AttributeError('connect was removed')``)
    return replace(change, breaking=False, why="the module's __getattr__ may still serve it")


def _returns_something(source: str) -> bool:
    """Whether a function's source returns a value anywhere (yes when it does not parse)."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return any(isinstance(node, ast.Return) and node.value is not None for node in ast.walk(tree))


def _change(name: str, old: ApiEntry | None, new: ApiEntry | None) -> ApiChange:
    if old is None:
        assert new is not None
        return ApiChange("added", name, new.kind, None, new.text, breaking=False)
    if new is None:
        return ApiChange("removed", name, old.kind, old.text, None, breaking=True)
    if new.left_out_of_all:
        left_out = "no longer in the module's __all__, though the module still binds it"
        return ApiChange("removed", name, old.kind, old.text, None, True, left_out)
    if new.maybe_inherited_from is not None:
        maybe = f"may still be inherited from {new.maybe_inherited_from}, outside the release"
        return ApiChange("removed", name, old.kind, old.text, None, False, maybe)
    if (old.imported is None) != (new.imported is None):
        when = "before" if new.imported is None else "now"
        unknown = f"{when} imported from outside the release: not compared"
        return ApiChange("changed", name, new.kind, old.text, new.text, False, unknown)
    if old.key == new.key:
        # The same words: a private alias in them stands for another type now, which
        # only its spelling out shows.
        return ApiChange("changed", name, new.kind, old.spelled_key, new.spelled_key, False)
    if _called_either_way(old, new):
        # werkzeug 3.1's ``def clear(self)`` was ``clear = _calls_update("clear")``.
        unknown = "was the value of a call: not known to break"
        if new.made_by_call:
            unknown = "now the value of a call: not known to break"
        return ApiChange("changed", name, new.kind, old.text, new.text, False, unknown)
    if old.command_line or new.command_line:
        command = "a command-line command: its parameters are options and arguments"
        return ApiChange("changed", name, new.kind, old.text, new.text, False, command)
    why = _why_breaking(old, new)
    return ApiChange("changed", name, new.kind, old.text, new.text, why is not None, why)


def _called_either_way(old: ApiEntry, new: ApiEntry) -> bool:
    """Whether a class, function or method is, on the other side, an attribute a call makes."""
    return (old.made_by_call and new.kind in _CALLABLE_KINDS) or (
        new.made_by_call and old.kind in _CALLABLE_KINDS
    )


def _why_breaking(old: ApiEntry, new: ApiEntry) -> str | None:
    callable_both = old.kind in _CALLABLE_KINDS and new.kind in _CALLABLE_KINDS
    if old.kind != new.kind and not callable_both:
        return f"was {_a(old.kind)}, now {_a(new.kind)}"
    if new.only_where and new.only_where != old.only_where:
        return f"now defined only where {new.only_where}"
    if old.overloads or new.overloads:
        return _overloads_reason(old, new)
    if old.params is None or new.params is None:
        return None
    return breaking_reason(old.params, new.params)


def _overloads_reason(old: ApiEntry, new: ApiEntry) -> str | None:
    """Where either side is ``@overload`` signatures: what breaks a call one of the old
    signatures took, when no new signature takes it."""
    old_forms = old.overloads or ((old.params,) if old.params is not None else ())
    new_forms = new.overloads or ((new.params,) if new.params is not None else ())
    if not old_forms or not new_forms:
        return None
    for before in old_forms:
        reasons = [breaking_reason(before, after) for after in new_forms]
        if all(reasons):
            return (
                reasons[0] if len(reasons) == 1 else "no new signature takes what an old one took"
            )
    return None


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def breaking_change(old: Sequence[Param], new: Sequence[Param]) -> bool:
    """Whether a call that worked with the old parameters can fail with the new ones
    (see :func:`breaking_reason`)."""
    return breaking_reason(old, new) is not None


def _private_option(param: Param) -> bool:
    """An underscored parameter with a default: no caller is meant to pass it (a dataclass's
    ``_index: int = 0`` field, Sphinx 8's ``__overwrite_warning__``)."""
    return param.name.startswith("_") and param.default is not None and param.kind not in _VARIADIC


def breaking_reason(old: Sequence[Param], new: Sequence[Param]) -> str | None:
    """How a call that worked with the old parameters can fail with the new ones, or None.

    Breaking: a new required parameter; a parameter removed or renamed (unless a
    new ``*args``/``**kwargs`` still takes it); a parameter that became
    keyword-only or positional-only; a default removed; a parameter callers pass
    by position moved to another position (which a new parameter inserted before
    it does); ``*args`` or ``**kwargs`` removed. A new parameter with a default,
    an underscored parameter with a default removed, moved or made keyword-only
    (Sphinx 8's ``__overwrite_warning__``, a dataclass's ``_index: int = 0``
    field: no caller is meant to pass it), a changed default, a changed
    annotation or return type are not breaking.
    Every reason found is said, the parameters named, in the old order.
    """
    old, new = _conventional(old), _conventional(new)
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
        _note_kept(reasons, before, after, moved=new_index != index)
    old_names = {param.name for param in old}
    for param in new:
        if param.required and param.name not in old_names | matched:
            reasons.setdefault("new required", []).append(param.name)
    if not reasons:
        return None
    return "; ".join(f"{what}: {', '.join(names)}" for what, names in reasons.items())


def _note_kept(reasons: dict[str, list[str]], before: Param, after: Param, *, moved: bool) -> None:
    """How a parameter both sides have can fail a call that passed it."""
    if after.required and not before.required:
        reasons.setdefault("default removed", []).append(before.name)
    if _private_option(before):
        return  # how it may be passed is no caller's concern
    if _narrowed(before.kind, after.kind):
        reasons.setdefault(f"became {after.kind}", []).append(before.name)
    elif moved and before.kind in _POSITIONAL and after.kind in _POSITIONAL:
        reasons.setdefault("moved", []).append(before.name)


def _conventional(params: Sequence[Param]) -> tuple[Param, ...]:
    """Leading ``__name`` parameters as positional-only, as type checkers read them (PEP
    484's convention before PEP 570: pydantic 2.8's ``create_model(__model_name, ...)``
    became ``create_model(model_name, /, ...)``, no change to callers)."""
    conventional = list(params)
    for index, param in enumerate(params):
        if param.kind != "positional or keyword" or not _dunder_prefixed(param.name):
            break
        conventional[index] = replace(param, kind="positional-only")
    return tuple(conventional)


def _dunder_prefixed(name: str) -> bool:
    return name.startswith("__") and not name.endswith("__")


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
