"""Which modules the API comparison has to parse: what differs, and what can change through it.

A module whose source is byte-identical in both releases has the same API on
both sides unless a name it offers comes from a module that differs. That
happens in two ways only: it re-exports (a package ``__init__``, a module with
``__all__`` or a wildcard import), or one of its classes inherits its
constructor from a class whose constructor changed. Both are found here with a
cheap scan of the unchanged sources' bytes; a false positive costs a parse, a
miss would cost exactness, so the scan errs wide.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .model import Member, MemberKind

__all__ = ["ModuleFacts", "ModuleNames", "Scope", "module_names", "reads_for_api"]

Parts = tuple[str, ...]

# Matched at the start of a line holding the word the statement needs ("import",
# "class"), found first with a plain search: the same matches as ``^...`` patterns
# under re.M, several times faster than trying each line (Django: 0.37 -> 0.1 s).
_FROM_IMPORT = re.compile(
    rb"[ \t]*from[ \t]+(\.*)[ \t]*([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^#\n]*)"
)
_IMPORT = re.compile(rb"[ \t]*import[ \t]+([^#\n;]+)")
_STAR_IMPORT = re.compile(rb"import[ \t]*(?:\([ \t]*)?\*")
_CLASS = re.compile(rb"[ \t]*class[ \t]+(\w+)[ \t]*(?:\[[^\]]*\])?[ \t]*(\([^)]*\))?")
_RENAME = re.compile(rb"\b(\w+)[ \t]+as[ \t]+(\w+)")
# A module-level ``try`` whose body imports: what the import brings, or the handler's
# fallback when the module no longer has it, is the module's (api_parse's try rule).
_TRY_IMPORT = re.compile(
    rb"^try[ \t]*:[^\n]*\n(?:(?:[ \t]+[^\n]*)?\n)*?[ \t]+(?:from[ \t]+\S+[ \t]+)?import[ \t]", re.M
)
_WORD = re.compile(rb"[A-Za-z_]\w*")


@dataclass(frozen=True, slots=True)
class ModuleFacts:
    """What the scan finds in one module's bytes."""

    imports: frozenset[Parts]
    reexports: bool
    class_names: frozenset[str]
    # Every word in the class statements' base lists.
    base_words: frozenset[str]
    # ``original -> local`` names of ``import ... as ...``.
    renames: tuple[tuple[str, str], ...]
    # A module-level ``try`` imports: a name it imports from a module that no longer
    # binds it becomes the handler's fallback, a definition of this module's own.
    try_imports: bool = False


def scan(parts: Parts, package: bool, data: bytes, known: frozenset[Parts]) -> ModuleFacts:
    """The modules a source imports (as far as they are in ``known``) and its class facts."""
    here = parts if package else parts[:-1]
    imported: set[Parts] = set()
    renames: list[tuple[str, str]] = []
    for line in _lines_with(data, b"import"):
        if match := _FROM_IMPORT.match(data, line):
            dots, name, names = len(match.group(1)), match.group(2), match.group(3)
            if dots:
                if dots - 1 > len(here):
                    continue
                base = here[: len(here) - dots + 1]
            else:
                base = ()
            target = base + tuple(part.decode() for part in name.split(b".") if part)
            imported.update(target[:depth] for depth in range(1, len(target) + 1))
            imported.update((*target, word.decode()) for word in _WORD.findall(names))
            renames.extend(_renames(names))
        elif match := _IMPORT.match(data, line):
            for word in match.group(1).split(b","):
                if not word.strip():
                    continue
                dotted = tuple(part.decode() for part in word.split()[0].split(b"."))
                imported.update(dotted[:depth] for depth in range(1, len(dotted) + 1))
            renames.extend(_renames(match.group(1)))
    class_names: set[str] = set()
    base_words: set[str] = set()
    for line in _lines_with(data, b"class"):
        if match := _CLASS.match(data, line):
            class_names.add(match.group(1).decode())
            if match.group(2):
                base_words.update(word.decode() for word in _WORD.findall(match.group(2)))
    return ModuleFacts(
        imports=frozenset(imported & known) - {parts},
        reexports=package or b"__all__" in data or _STAR_IMPORT.search(data) is not None,
        try_imports=b"try" in data and _TRY_IMPORT.search(data) is not None,
        class_names=frozenset(class_names),
        base_words=frozenset(base_words),
        renames=tuple(renames),
    )


@dataclass(frozen=True, slots=True)
class ModuleNames:
    """What one module's bytes say its module-level names are bound to."""

    # Bound by a statement at column 0: ``def``, ``class``, ``name =``, ``name: T``.
    defined: frozenset[str]
    # Bound by an import anywhere in the text: ``local -> (module, name)`` for
    # ``from module import name as local``; None for what ``import`` binds.
    imported: Mapping[str, tuple[Parts, str] | None]
    # Names may come from elsewhere unseen: a ``*`` import, a module ``__getattr__``, an
    # ``__all__`` built from other modules.
    opaque: bool


_TOP_DEFINITION = re.compile(
    rb"^(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)|^(\w+)[ \t]*(?::[^=\n]*)?(?:=(?!=)|$)", re.M
)
_IMPORT_ITEM = re.compile(rb"([\w.]+)(?:[ \t]+as[ \t]+(\w+))?")
_OPAQUE = re.compile(
    rb"^def[ \t]+__getattr__|__all__[ \t]*(?:\+=|\.)|\.__all__|__all__[ \t]*=[^\n\[(]*\w"
)


def module_names(parts: Parts, package: bool, data: bytes) -> ModuleNames:
    """The scan of a module's bytes for :class:`ModuleNames`: errs towards opaque."""
    bound = (
        (match.group(1) or match.group(2)).decode() for match in _TOP_DEFINITION.finditer(data)
    )
    defined = {name for name in bound if not keyword.iskeyword(name)}
    imported: dict[str, tuple[Parts, str] | None] = {}
    here = parts if package else parts[:-1]
    for line in _lines_with(data, b"import"):
        if match := _FROM_IMPORT.match(data, line):
            dots, name = len(match.group(1)), match.group(2).decode()
            base = here[: len(here) - dots + 1] if dots else ()
            source = base + tuple(part for part in name.split(".") if part)
            outside = dots - 1 >= len(here) if dots else False
            for item in _IMPORT_ITEM.finditer(match.group(3)):
                original, local = item.group(1).decode(), (item.group(2) or item.group(1)).decode()
                imported[local] = None if outside or "." in original else (source, original)
        elif match := _IMPORT.match(data, line):
            for item in _IMPORT_ITEM.finditer(match.group(1)):
                local = item.group(2) or item.group(1).split(b".")[0]
                imported[local.decode()] = None
    opaque = _STAR_IMPORT.search(data) is not None or _OPAQUE.search(data) is not None
    return ModuleNames(frozenset(defined), imported, opaque)


def _lines_with(data: bytes, word: bytes) -> Iterator[int]:
    """Where each line that holds ``word`` starts, in order, each once."""
    found = data.find(word)
    while found >= 0:
        yield data.rfind(b"\n", 0, found) + 1
        end = data.find(b"\n", found)
        if end < 0:
            return
        found = data.find(word, end)


def _renames(names: bytes) -> list[tuple[str, str]]:
    """``original -> local`` of an import's ``x as y``."""
    return [(original.decode(), local.decode()) for original, local in _RENAME.findall(names)]


@dataclass(slots=True)
class Scope:
    """The unchanged modules of a release pair and how they depend on each other."""

    facts: Mapping[Parts, ModuleFacts]
    # module -> the unchanged modules that import it
    importers: dict[Parts, set[Parts]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for parts, facts in self.facts.items():
            for imported in facts.imports:
                self.importers.setdefault(imported, set()).add(parts)

    def base_words(self) -> set[str]:
        """Every name an unchanged module's class statements could take a base by."""
        words: set[str] = set()
        for facts in self.facts.values():
            if facts.base_words:
                words |= facts.base_words
                words.update(original for original, _local in facts.renames)
        return words

    def reexport_closure(self, seeds: Iterable[Parts]) -> set[Parts]:
        """The seeds and every unchanged module that re-exports from them, transitively.

        Through any module: an import chain may pass a module that re-exports
        nothing (``from ._impl import X`` in a plain module), yet a package
        importing X from it re-exports what X became. Such links are not
        returned; their names are followed when loading.
        """
        seeds = set(seeds)
        reached = set(seeds)
        pending = list(reached)
        while pending:
            for importer in self.importers.get(pending.pop(), ()):
                if importer not in reached:
                    reached.add(importer)
                    pending.append(importer)
        return seeds | {parts for parts in reached - seeds if self.facts[parts].reexports}

    def trying_imports_from(self, modules: Iterable[Parts]) -> set[Parts]:
        """The unchanged modules whose module-level ``try`` may import from the modules:
        what the try binds can change with them, so their own definitions are compared."""
        modules = set(modules)
        return {
            parts
            for parts, facts in self.facts.items()
            if facts.try_imports and not facts.imports.isdisjoint(modules)
        }

    def basing_on(self, modules: Iterable[Parts], class_names: set[str]) -> frozenset[Parts]:
        """Those of the modules with a class whose base list names one of the classes."""
        return frozenset(parts for parts in modules if _bases_name(self.facts[parts], class_names))

    def subclass_closure(self, affected: set[Parts], changed_classes: set[str]) -> set[Parts]:
        """Unchanged modules (and their re-exporters) with a class based on a changed class.

        Matched by name: a base list naming a class whose constructor or bases
        changed, directly or through ``import ... as``. A module found this way
        may change the constructors of its own classes, so their names join
        the search until nothing new is found.
        """
        names = set(changed_classes)
        found: set[Parts] = set()
        while True:
            fresh = {
                parts
                for parts, facts in self.facts.items()
                if parts not in affected and parts not in found and _bases_name(facts, names)
            }
            if not fresh:
                return found
            added = self.reexport_closure(fresh) - affected - found
            found |= added
            for parts in added:
                names |= self.facts[parts].class_names


def _bases_name(facts: ModuleFacts, names: set[str]) -> bool:
    if not facts.base_words:
        return False
    if not facts.base_words.isdisjoint(names):
        return True
    local = {alias for original, alias in facts.renames if original in names}
    return not facts.base_words.isdisjoint(local)


def reads_for_api(member: Member) -> bool:
    """Whether the comparison may read this member's content: sources, and pyproject.toml."""
    if member.kind != MemberKind.FILE:
        return False
    return member.path.endswith((".py", ".pyi")) or member.path == "pyproject.toml"
