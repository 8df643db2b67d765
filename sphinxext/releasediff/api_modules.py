"""Which files of a release are its importable modules, and which of them the API
comparison must parse: the griffe-free half of :mod:`.api`, so that the process
that coordinates the two sides never imports griffe.
"""

from __future__ import annotations

import ast
import io
import keyword
import posixpath
import re
import tokenize
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from . import api_scope
from .model import Archive, Member, MemberKind

__all__ = [
    "MAX_DEPTH",
    "MAX_MODULES",
    "MAX_MODULE_BYTES",
    "MAX_ROUNDS",
    "MAX_SOURCE_BYTES",
    "PRUNE",
    "ModuleSource",
    "ModuleTable",
    "Parts",
    "decode_source",
    "differing_modules",
    "module_table",
    "scope_of",
    "unreadable_reason",
]

# A module by its dotted name, as parts: ``("pkg", "core")``.
Parts = tuple[str, ...]

# A module larger than this is not read for the API (generated tables, vendored
# bundles): it says nothing a reader needs and its parse would dominate the cost.
MAX_MODULE_BYTES = 1 << 20
# Past this many modules or bytes of source a side, the rest is not read: the
# time is the parse, about a millisecond a module.
MAX_MODULES = 10_000
MAX_SOURCE_BYTES = 128 << 20


# Deeper module paths than this are not importable in practice; a hostile tree
# must not drive the recursive walks below.
MAX_DEPTH = 40


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
        "doc_src",
        "docs",
        "docs_src",
        "docs_source",
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


@dataclass(frozen=True, slots=True)
class ModuleSource:
    parts: tuple[str, ...]
    path: str
    package: bool
    data: bytes | None
    # Equal on both sides when the module is the same file: content and layout.
    identity: tuple[str, bool, bool] = ("", False, False)


def _package_sources(archive: Archive) -> list[ModuleSource]:
    """The importable modules of the release, as dotted parts, preferring ``.py`` over stubs
    but for a ``.py`` that only imports its names."""
    files = {
        member.path: member
        for member in archive.members
        if member.kind == MemberKind.FILE and member.path.endswith((".py", ".pyi"))
    }
    found: dict[tuple[str, ...], tuple[bool, bool, str]] = {}
    stubs: dict[tuple[tuple[str, ...], bool], str] = {}
    build_only = _backend_folders(archive)
    for root in _source_roots(archive, files):
        for path in files:
            if not path.startswith(root) or path.startswith(build_only):
                continue
            module = _module_parts(path[len(root) :])
            if module is None:
                continue
            parts, package, stub = module
            if stub:
                stubs.setdefault((parts, package), path)
            # A package wins over a same-named module, as import does; source over stub;
            # a wheel's .data/purelib/ (a later root) over its root, as pip installs it.
            rank = (package, not stub, path)
            known = found.get(parts)
            if known is None or rank[:2] > known[:2] or (root and rank[:2] == known[:2]):
                found[parts] = rank
    _stubs_for_facades(archive, files, found, stubs)
    for parts in _test_suites(files, found):
        del found[parts]
    imported = _ImportedFolders(archive, files, found)
    importable = _importable(found, imported) & _installed(archive, found)
    return [
        ModuleSource(
            parts,
            path,
            package,
            archive.content(files[path]),
            (files[path].sha256, package, path.endswith(".pyi")),
        )
        for parts, (package, _source, path) in sorted(found.items())
        if parts in importable
    ]


def _test_suites(
    files: Iterable[str], found: Mapping[Parts, tuple[bool, bool, str]]
) -> list[Parts]:
    """The modules of a folder named ``test`` inside a package that is its test suite: most
    of its modules are ``test_*`` (python-dateutil's ``dateutil/test/``), where
    ``django/test/`` (``client``, ``testcases``, ``utils``) is API."""
    tallies: dict[str, list[int]] = {}
    for path in files:
        parts = path.split("/")
        if parts[-1] == "__init__.py" or "test" not in parts[1:-1]:
            continue
        folder = "/".join(parts[: parts.index("test", 1) + 1]) + "/"
        tally = tallies.setdefault(folder, [0, 0])
        tally[0 if parts[-1].startswith("test_") else 1] += 1
    suites = tuple(folder for folder, (tests, others) in tallies.items() if tests > others)
    if not suites:
        return []
    return [parts for parts, (_package, _source, path) in found.items() if path.startswith(suites)]


def _stubs_for_facades(
    archive: Archive,
    files: Mapping[str, Member],
    found: dict[Parts, tuple[bool, bool, str]],
    stubs: Mapping[tuple[Parts, bool], str],
) -> None:
    """The stub in place of a module beside it that only imports its names, from where no
    source of the release shows them: msgspec's ``json.py`` takes ``encode`` from the
    compiled ``_core``, and ``json.pyi`` says what it takes. attrs 24.1's
    ``attrs/__init__.py`` takes its names from the package ``attr``, whose sources say
    what they are: it is read, not its stub."""
    sourced = {parts for parts, (_package, source, _path) in found.items() if source}
    known = set(found)
    for parts, (package, source, path) in list(found.items()):
        stub = stubs.get((parts, package))
        if not source or stub is None:
            continue
        imports = _only_imports(archive.content(files[path]))
        if imports is not None and not _all_from_sources(imports, parts, package, known, sourced):
            found[parts] = (package, False, stub)


def _only_imports(data: bytes | None) -> list[ast.Import | ast.ImportFrom] | None:
    """A module's imports, when its top-level statements are all imports, beside its
    docstring and dunder assignments (``__all__``, ``__version__``); else None."""
    if not data or len(data) > MAX_MODULE_BYTES:
        return None
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    imports: list[ast.Import | ast.ImportFrom] = []
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            imports.append(statement)
        elif not _passes_on(statement):
            return None
        elif _attaches_stub(statement):
            return []  # the names are the stub's
    return imports or None


def _attaches_stub(statement: ast.stmt) -> bool:
    """lazy_loader's ``... = lazy.attach_stub(__name__, __file__)``, which reads the stub."""
    value = getattr(statement, "value", None)
    if not isinstance(value, ast.Call):
        return False
    function = value.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name == "attach_stub"


def _all_from_sources(
    imports: Iterable[ast.Import | ast.ImportFrom],
    parts: Parts,
    package: bool,
    known: Set[Parts],
    sourced: Set[Parts],
) -> bool:
    """Whether every import names a module of the release that has a ``.py`` source (or a
    name of one): then what the module imports can be read where it is defined."""
    here = parts if package else parts[:-1]
    imports = list(imports)
    for statement in imports:
        if isinstance(statement, ast.Import):
            targets = [tuple(alias.name.split(".")) for alias in statement.names]
        else:
            if statement.level > len(here) + 1:
                return False
            base = here[: len(here) - statement.level + 1] if statement.level else ()
            base += tuple(statement.module.split(".")) if statement.module else ()
            # ``from . import converters`` names a module; ``from ._core import encode`` a name.
            targets = [
                (*base, alias.name) if (*base, alias.name) in known else base
                for alias in statement.names
            ]
        if not all(target in sourced for target in targets):
            return False
    return bool(imports)


def _passes_on(statement: ast.stmt) -> bool:
    """A docstring, or an assignment to dunder names only (lazy_loader's
    ``__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)``, which takes
    the names from the stub)."""
    if isinstance(statement, ast.Expr):
        return isinstance(statement.value, ast.Constant)
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, ast.AnnAssign | ast.AugAssign):
        targets = [statement.target]
    names = [
        name
        for target in targets
        for name in (target.elts if isinstance(target, ast.Tuple) else [target])
    ]
    return bool(names) and all(
        isinstance(name, ast.Name) and name.id.startswith("__") and name.id.endswith("__")
        for name in names
    )


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


STUBS_SUFFIX = "-stubs"

# Top-level folders of an sdist that hold a project's own tooling beside its package.
_HELPER_FOLDERS = frozenset({"utils", "util", "devtools", "dev", "misc", "maint", "build_tools"})


def _import_name(project: str) -> str:
    return canonicalize_name(project).replace("-", "_")


def _top_level_txt(archive: Archive) -> set[str]:
    data = archive.top_folder_file(".egg-info/top_level.txt")
    if not data:
        return set()
    lines = (line.strip() for line in data.decode("utf-8", "replace").splitlines())
    return {line.removesuffix(STUBS_SUFFIX) for line in lines if line}


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


def _source_roots(archive: Archive, files: Iterable[str]) -> list[str]:
    if archive.facts.kind == "wheel":
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
    paths = set(files)
    if any(path.startswith("src/") and _module_parts(path[4:]) for path in paths):
        return ["src/"]
    return [_package_folder(archive, paths)]


def _package_folder(archive: Archive, paths: Set[str]) -> str:
    """Where an sdist keeps its package: the top, or a plain folder holding the package
    named as the project or in ``top_level.txt`` (SQLAlchemy's ``lib/sqlalchemy``, from
    setuptools' ``package-dir = {"" = "lib"}``) when the top has no such package."""
    names = _top_level_txt(archive)
    if archive.facts.name:
        names.add(_import_name(archive.facts.name))
    if any(f"{name}/__init__.py" in paths or f"{name}.py" in paths for name in names):
        return ""
    folders = sorted(
        path.split("/", 1)[0] + "/"
        for path in paths
        if path.count("/") == 2 and path.split("/")[1] in names and path.endswith("/__init__.py")
    )
    for folder in folders:
        if f"{folder}__init__.py" not in paths:
            return folder
    return ""


def _module_parts(relative: str) -> tuple[tuple[str, ...], bool, bool] | None:
    """A file's module name under a source root, whether it is a package, and whether a stub."""
    stub = relative.endswith(".pyi")
    parts = relative.removesuffix(".pyi" if stub else ".py").split("/")
    if len(parts) > 1 and parts[0].endswith(STUBS_SUFFIX):
        # A stub-only package (PEP 561): ``requests-stubs/`` types the module ``requests``.
        parts[0] = parts[0].removesuffix(STUBS_SUFFIX)
        stub = True
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        return None
    package = parts[-1] == "__init__"
    if package:
        parts.pop()
    if not parts or len(parts) > MAX_DEPTH or not _is_api_path(parts, package):
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


def _importable(
    found: Mapping[tuple[str, ...], tuple[bool, bool, str]], imported: Callable[[Parts], bool]
) -> set[tuple[str, ...]]:
    """Modules import can reach: under regular packages all the way up, or namespace folders.

    A folder without ``__init__.py`` inside a regular package holds scripts or
    templates, not modules (griffe skips them too), unless the package imports
    from it (flask 3.0's ``sansio/``: ``from .sansio.app import App``); at the
    top, a chain of such folders is a namespace package.
    """
    packages = {parts for parts, (package, _source, _path) in found.items() if package}
    importable: set[tuple[str, ...]] = set()
    for parts in found:
        inside_regular = False
        for depth in range(1, len(parts)):
            if parts[:depth] in packages:
                inside_regular = True
            elif inside_regular and not imported(parts[:depth]):
                break
        else:
            importable.add(parts)
    return importable


class _ImportedFolders:
    """Whether a folder without ``__init__.py`` is named by an import in a module of its
    top-level package (``from .sansio.app import App``, ``import flask.sansio.app``,
    ``from . import sansio``); each folder's answer is looked up once."""

    def __init__(
        self,
        archive: Archive,
        files: Mapping[str, Member],
        found: Mapping[Parts, tuple[bool, bool, str]],
    ) -> None:
        self.archive, self.files, self.found = archive, files, found
        self.known: dict[Parts, bool] = {}

    def __call__(self, folder: Parts) -> bool:
        known = self.known.get(folder)
        if known is None:
            known = self.known[folder] = self._named_by_an_import(folder)
        return known

    def _named_by_an_import(self, folder: Parts) -> bool:
        leaf = re.escape(folder[-1].encode())
        pattern = re.compile(
            rb"^[ \t]*(?:from[ \t]+[\w.]*(?<![\w])" + leaf + rb"\b"
            rb"|import[ \t]+[\w.]*\." + leaf + rb"\b"
            rb"|from[ \t]+\.+[ \t]+import[ \t][^\n]*\b" + leaf + rb"\b)",
            re.MULTILINE,
        )
        for parts, (_package, _source, path) in self.found.items():
            if parts[0] == folder[0] and parts[: len(folder)] != folder:
                data = self.archive.content(self.files[path]) or b""
                if pattern.search(data):
                    return True
        return False


@dataclass(frozen=True, slots=True)
class ModuleTable:
    """A release's importable modules by dotted parts, and every package folder above them.

    Modules past the reading budget are not in ``sources``: they are in
    ``unread``, and a note says so.
    """

    filename: str
    sources: Mapping[Parts, ModuleSource]
    folders: frozenset[Parts]
    unread: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    version: str | None = None


def module_table(archive: Archive) -> ModuleTable:
    """The modules of a release read for the API, in name order, within the budget."""
    filename = archive.facts.filename
    sources = _package_sources(archive)
    read, unread, notes = _within_budget(filename, sources)
    by_parts = {source.parts: source for source in read}
    folders = _with_namespace_folders(by_parts)
    return ModuleTable(filename, by_parts, folders, unread, notes, archive.facts.version)


def _within_budget(
    filename: str, sources: list[ModuleSource]
) -> tuple[list[ModuleSource], frozenset[str], tuple[str, ...]]:
    """The modules read, until MAX_MODULES or MAX_SOURCE_BYTES is reached, the rest, and a note.

    The rest are compared on neither side, so a budget hit never reads as removals.
    """
    total = 0
    for count, source in enumerate(sources):
        total += len(source.data or b"")
        if count >= MAX_MODULES or total > MAX_SOURCE_BYTES:
            note = (
                f"{filename}: {len(sources) - count:,} of {len(sources):,} modules not read"
                f" for the API (over {MAX_MODULES:,} modules or {MAX_SOURCE_BYTES:,} bytes)"
            )
            unread = frozenset(".".join(rest.parts) for rest in sources[count:])
            return sources[:count], unread, (note,)
    return sources, frozenset(), ()


def _with_namespace_folders(by_parts: Mapping[Parts, ModuleSource]) -> frozenset[Parts]:
    every = set(by_parts)
    for parts in by_parts:
        every.update(parts[:depth] for depth in range(1, len(parts)))
    return frozenset(every)


# Rounds of following names to modules not yet loaded; chains of re-exports
# and bases in real packages end within a few.
MAX_ROUNDS = 20


def differing_modules(old: ModuleTable, new: ModuleTable) -> set[Parts]:
    """The modules that differ between the releases, or cannot be read on a side.

    A module whose text differs only inside function bodies (other than
    ``__init__``'s) is not among them: the API is read from its text with those
    bodies pruned (:mod:`.api_parse`), which is then the same on both sides.
    On Django 5.1 that is 46 of the 205 modules that changed.
    """
    differing: set[Parts] = set()
    for parts in old.sources.keys() | new.sources.keys():
        before, after = old.sources.get(parts), new.sources.get(parts)
        if before is None or after is None or not _same_api_text(before, after):
            differing.add(parts)
        elif before.data is None or unreadable_reason(before) or decode_source(before.data) is None:
            differing.add(parts)  # read, to give the same notes as a full load
    return differing


def _native_prune() -> Callable[[str], str | None] | None:
    """griffe's native pruning of function bodies (its "faster" extra), if installed."""
    try:
        from prune_source import prune_source
    except ImportError:  # griffe falls back to the whole text too
        return None
    return prune_source


# What griffe prunes a module's text with before it compiles it (None: not installed).
PRUNE = _native_prune()
# Pruning replaces a body with blank lines and ``pass``, as many lines as the body had,
# keeping the comments that open it: a body that grew or shrank leaves more or fewer
# such lines, and nothing else differs.
_PRUNED_BLANKS = re.compile(r"\n(?:[ \t]*(?:#[^\n]*)?\n)+(?=[ \t]*pass(?:\n|$))")


def _same_api_text(before: ModuleSource, after: ModuleSource) -> bool:
    return before.identity == after.identity or _same_outside_bodies(before, after)


def _same_outside_bodies(before: ModuleSource, after: ModuleSource) -> bool:
    """Whether two readable versions of a module are the same once function bodies are
    pruned. A module-level ``__getattr__`` is compared whole: its body says which names
    it serves."""
    if PRUNE is None or before.identity[1:] != after.identity[1:]:
        return False
    if unreadable_reason(before) or unreadable_reason(after):
        return False
    old_text, new_text = decode_source(before.data or b""), decode_source(after.data or b"")
    if old_text is None or new_text is None or "__getattr__" in old_text + new_text:
        return False
    try:
        pruned = [PRUNE(old_text), PRUNE(new_text)]
    except Exception:  # text the native lexer refuses: compared whole
        return False
    if pruned[0] is None or pruned[1] is None:
        return False  # nothing to prune: the texts differ
    return _PRUNED_BLANKS.sub("\n", pruned[0]) == _PRUNED_BLANKS.sub("\n", pruned[1])


def scope_of(old: ModuleTable, new: ModuleTable, differing: Set[Parts]) -> api_scope.Scope:
    """The scan of the modules both releases hold unchanged (see :mod:`.api_scope`)."""
    known = old.folders | new.folders
    facts: dict[Parts, api_scope.ModuleFacts] = {}
    for parts in sorted(old.sources.keys() & new.sources.keys() - differing):
        source = old.sources[parts]
        assert source.data is not None
        facts[parts] = api_scope.scan(parts, source.package, source.data, known)
    return api_scope.Scope(facts)


def unreadable_reason(source: ModuleSource) -> str | None:
    if source.data is None:
        return "is over the per-file size limit: not read for the API"
    if len(source.data) > MAX_MODULE_BYTES:
        return f"is over {MAX_MODULE_BYTES:,} bytes: not read for the API"
    return None


def decode_source(data: bytes) -> str | None:
    """Source text as Python decodes it: a BOM or PEP 263 coding line, else UTF-8."""
    try:
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
