"""What a reviewer checks first: changes that run code, add capabilities or change terms.

Each finding is a delta between the releases (something added or changed in
NEW), never a property of NEW alone, and a version bump is never one. The rules
are documented in ``docs/comparing.rst`` ("Notable changes").
"""

from __future__ import annotations

import ast
import bisect
import configparser
import dataclasses
import functools
import io
import json
import posixpath
import re
import sys
import tokenize
import tomllib
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence, Set
from typing import Any

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from .borrowed import Borrowed, ReleaseModules
from .buildcode import build_references, imported_at_build, setup_cfg_sections
from .callnames import GLOBALS, LOOP_METHODS, RUN_TIME_NAME, CallNames, literal_text
from .callscan import CallScanner
from .metadata import (
    UNREADABLE_ENTRY_POINTS,
    declared_license_files,
    parse_entry_points,
    requirement_changes,
)
from .model import (
    NOTABLE_KINDS,
    Archive,
    FileChange,
    Member,
    MemberKind,
    MetadataChange,
    Notable,
    Status,
)
from .safety import visible
from .shipped import imported_unshipped, is_shipped_code, named_unshipped

__all__ = ["exec_notables", "find_notable"]

_CONTENT_STATUSES = frozenset({Status.ADDED, Status.MODIFIED, Status.RENAMED, Status.TYPE_CHANGED})
_DETAIL_CHARS = 1_000
_LINES_SHOWN = 5


def find_notable(
    old: Archive,
    new: Archive,
    files: Sequence[FileChange],
    metadata: Sequence[MetadataChange],
    selected: Callable[[Sequence[str]], bool] | None = None,
    exec_found: Iterable[Notable] | None = None,
) -> tuple[Notable, ...]:
    """The notable changes from OLD to NEW, one per (kind, path, detail), ordered by kind, path.

    ``selected`` is ``--include``/``--exclude`` (``compare.files_filter``): an entry in
    a file is kept when the files compared hold it or the filter takes its path, as the
    Files and API sections do; entries from the metadata (no path) are always kept.
    ``exec_found``: what :func:`exec_notables` found, when it ran elsewhere.
    """
    files = [_through_links(old, new, change) for change in files]
    changed = [change for change in files if _content_changed(change)]
    found = [
        *_pth_files(old, new, files),
        *_start_up_modules(new, files),
        *_entry_points(old, new, files),
        *_jupyter(old, new, files),
        *_build(old, new, files),
        *_binaries(new, changed),
        *_native_sources(new, files),
        *_dependencies(old, new, metadata),
        *_python(metadata),
        *_project_table(old, new, metadata),
        *_requirement_files(old, new, metadata),
        *_licenses(old, new, files, metadata),
        *(_exec(old, new, files) if exec_found is None else exec_found),
    ]
    if selected is not None:
        compared = {change.path for change in files}
        found = [
            entry
            for entry in found
            if entry.path is None or entry.path in compared or selected([entry.path])
        ]
    return tuple(sorted(dict.fromkeys(found), key=_order))


def exec_notables(old: Archive, new: Archive, files: Sequence[FileChange]) -> tuple[Notable, ...]:
    """The exec check alone, on the changes :func:`find_notable` is given: it needs their
    members and status only (see :func:`.compare.changes_by_status`)."""
    return tuple(_exec(old, new, [_through_links(old, new, change) for change in files]))


def _through_links(old: Archive, new: Archive, change: FileChange) -> FileChange:
    """A symlink to a file of its archive read as that file, at the link's path: a build
    runs ``setup.py -> ci/impl.py`` as ``ci/impl.py``, and an sdist's build copies a
    module linked to ``../data/init.tmpl`` into the wheel."""
    before = _link_target(old, change.old)
    after = _link_target(new, change.new)
    if before is change.old and after is change.new:
        return change
    return dataclasses.replace(change, old=before, new=after)


def _link_target(archive: Archive, member: Member | None) -> Member | None:
    if member is None or member.kind != MemberKind.SYMLINK:
        return member
    path = member.path
    for _hop in range(_MAX_LINK_HOPS):
        link = _last_member(archive, path)
        if link is None or link.kind != MemberKind.SYMLINK:
            break
        path = posixpath.normpath(posixpath.join(posixpath.dirname(path), link.linkname))
    target = _last_member(archive, path)
    if target is None or target.kind != MemberKind.FILE:
        return member
    return dataclasses.replace(target, name=member.name, path=member.path)


_MAX_LINK_HOPS = 8


def _last_member(archive: Archive, path: str) -> Member | None:
    return next((m for m in reversed(archive.members) if m.path == path), None)


def _order(notable: Notable) -> tuple[int, str, str]:
    return NOTABLE_KINDS.index(notable.kind), notable.path or "", notable.detail


def _content_changed(change: FileChange) -> bool:
    """Whether NEW holds a file whose content is new or different (not a pure move)."""
    if change.status not in _CONTENT_STATUSES or change.new is None:
        return False
    if change.new.kind != MemberKind.FILE:
        return False
    return change.old is None or change.old.sha256 != change.new.sha256


def _arrivals(
    files: Iterable[FileChange], role: Callable[[str], str | None]
) -> Iterator[FileChange]:
    """The changes a check reads: files in a role of the check whose content is new or
    changed, and files renamed into a role they did not have (``hook.txt`` moved, unchanged,
    to ``hook.pth``; ``tools/make.py`` to ``setup.py``), as added: what they were before
    is no evidence for what they are now."""
    for change in files:
        if change.new is None or change.new.kind != MemberKind.FILE:
            continue
        if change.old is not None and change.old.path == change.new.path:
            # A role is the path's: at the same path only new content arrives (most
            # members are unchanged, and a role is no cheaper than a digest compared).
            if _content_changed(change) and role(change.new.path) is not None:
                yield change
            continue
        now = role(change.new.path)
        if now is None:
            continue
        if change.old is not None and role(change.old.path) != now:
            yield dataclasses.replace(change, old=None)
        elif _content_changed(change):
            yield change


def _side(archive: Archive, member: Member | None) -> bytes:
    """A member's bytes; empty when absent, a link, or over the per-file limit."""
    if member is None or member.kind != MemberKind.FILE:
        return b""
    return archive.content(member) or b""


def _short(text: str) -> str:
    """One line, whole up to :data:`_DETAIL_CHARS`; past them cut, saying how much is left
    (a payload at the end of a long ``.pth`` line must not vanish behind an ellipsis)."""
    text = " ".join(text.split())
    if len(text) <= _DETAIL_CHARS:
        return text
    left = len(text) - _DETAIL_CHARS
    return f"{text[:_DETAIL_CHARS]}… ({left:,} more characters: see the diff)"


def _base_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _versionless(text: str, version: str | None) -> str:
    """``text`` with the release's own version spelled as a placeholder, also as the
    start of a tuple of its numbers (Django's ``VERSION = (5, 1, 0, "final", 0)``)."""
    if not version:
        return text
    text = re.sub(rf"(?<![\w.])v?{re.escape(version)}(?!\.?\w)", "<version>", text)
    try:
        release = Version(version).release
    except InvalidVersion:
        return text
    numbers = r"\s*,\s*".join(str(number) for number in release)
    return re.sub(rf"\(\s*{numbers}(?:\s*,\s*0)*(?=\s*[,)])", "(<version>", text)


# --- pth ------------------------------------------------------------------


def _pth_files(old: Archive, new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """``.pth`` lines that ``site`` executes (those starting with ``import`` + space or
    tab), and path lines that put start-up code on ``sys.path``."""
    wheel = new.facts.kind == "wheel"
    paths: _MemberPaths | None = None  # made for the first path line: most releases have none
    for change in _arrivals(files, lambda path: _pth_role(path, wheel=wheel)):
        old_lines = set(_pth_lines(_side(old, change.old)))
        added = [line for line in _pth_lines(_side(new, change.new)) if line not in old_lines]
        imports = [line for line in added if line.startswith(("import ", "import\t"))]
        what = "new .pth file" if change.old is None else ".pth file changed,"
        inside = _pth_role(change.path, wheel=wheel) == "inside"
        # Installed in a package folder, where site reads none, code that passes the
        # folder to site.addsitedir would run it.
        does = "in a package folder, run only if the folder is made a site dir" if inside else ""
        if imports:
            more = f" (and {len(imports) - 1} more import lines)" if len(imports) > 1 else ""
            # The line that does most is shown: a harmless first line hid the payload.
            shown = max(imports, key=len)
            detail = f"{what} {does or 'runs code at start-up'}: {_short(shown)}{more}"
            yield Notable("pth", change.path, detail)
        for line in added:
            if line in imports:
                continue
            paths = paths or _MemberPaths(new)
            reached = paths.start_up_on(change.path, line)
            if reached is not None:
                detail = f"{what} {does or 'puts start-up code on sys.path'}: {line} ({reached})"
                yield Notable("pth", change.path, _short(detail))


# Where ``site`` reads a wheel's ``.pth`` files once it is installed: site-packages.
_SITE_FOLDER = r"[^/]+\.data/(?:purelib/|platlib/|data/(?:lib/python[^/]*|Lib)/site-packages/)"
_SITE_PREFIX = re.compile(f"^{_SITE_FOLDER}")
# The data scheme is the environment's prefix: outside a virtual environment (a Docker
# image's Python, conda, pyenv) ``lib/python3.X`` is the standard library's folder, on
# ``sys.path`` before site-packages.
_STANDARD_FOLDER = re.compile(r"^[^/]+\.data/data/(?:lib/python\d[^/]*|Lib)/(?!site-packages/)")
_SITE_PTH = re.compile(rf"^(?:{_SITE_FOLDER})?[^/]+\.pth$")


def _pth_role(path: str, *, wheel: bool) -> str | None:
    """Every ``.pth`` file is read; in a wheel, one that lands in site-packages is the one
    ``site`` runs, so a file moved there from a subfolder arrives."""
    if not path.endswith(".pth"):
        return None
    return "site" if not wheel or _SITE_PTH.match(path) else "inside"


# Modules ``site`` imports at every interpreter start when they are on the path.
_START_UP_NAMES = frozenset({"sitecustomize", "usercustomize"})
# What an import finds by a module's name: its source, bytecode, an extension module.
_IMPORTED_SUFFIXES = ("py", "pyc", "so", "pyd")


def _start_up_module(path: str) -> str | None:
    """The start-up module a path below a ``sys.path`` folder is (or is in), if one is:
    ``sitecustomize.py``, ``sitecustomize.cpython-311-x86_64-linux-gnu.so``, the
    package ``sitecustomize/`` and what it holds."""
    first, slash, _rest = path.partition("/")
    if slash:
        return f"the {first} package" if first in _START_UP_NAMES else None
    stem, _dot, suffix = first.partition(".")
    return first if stem in _START_UP_NAMES and suffix.endswith(_IMPORTED_SUFFIXES) else None


class _MemberPaths:
    """NEW's member paths, to tell what a ``.pth`` path line puts on ``sys.path``."""

    def __init__(self, archive: Archive) -> None:
        self._archive = archive
        self._files = {m.path: m for m in archive.members if m.kind == MemberKind.FILE}
        self._by_folder: defaultdict[str, list[str]] = defaultdict(list)
        for path in self._files:
            parts = path.split("/")
            for cut in range(1, len(parts)):
                self._by_folder["/".join(parts[:cut])].append("/".join(parts[cut:]))

    def start_up_on(self, pth: str, line: str) -> str | None:
        """What start-up code the path ``line`` of ``pth`` reaches: a start-up module in
        a folder of the release, or in a zip file of it."""
        folder = posixpath.normpath(posixpath.join(posixpath.dirname(pth), line.strip()))
        member = self._files.get(folder)
        data = self._archive.content(member) if member is not None else None
        for below in sorted(self._by_folder.get(folder, ())) or _zip_names(data):
            module = _start_up_module(below)
            if module is not None:
                return f"site imports {module} from there at every interpreter start"
        return None


def _zip_names(data: bytes | None) -> list[str]:
    """The names a zip file on ``sys.path`` holds (zipimport reads it as zipfile does)."""
    if not data or not data.startswith(b"PK"):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as nested:
            return sorted(nested.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return []


def _start_up_modules(new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """``sitecustomize`` or ``usercustomize`` added or changed where it is installed into
    site-packages: a wheel's root (or ``.data/purelib``), an sdist's top, ``src/`` or a
    top folder that is no package (``package_dir = {"": "lib"}``)."""
    wheel = new.facts.kind == "wheel"
    packages = {
        m.path.rpartition("/")[0] for m in new.members if _base_name(m.path) == "__init__.py"
    }

    def on_site(path: str) -> str:
        if wheel:
            return _STANDARD_FOLDER.sub("", _SITE_PREFIX.sub("", path, count=1), count=1)
        first, slash, rest = path.partition("/")
        return rest if slash and first not in packages and not _SKIPPED_TOP.match(first) else path

    def role(path: str) -> str | None:
        return "start-up" if _start_up_module(on_site(path)) is not None else None

    for change in _arrivals(files, role):
        what = "added" if change.old is None else "changed"
        module = on_site(change.path)
        detail = f"{module} {what}: site imports it at every interpreter start"
        yield Notable("pth", change.path, detail)
    if wheel:
        yield from _standard_library_files(files, role)


def _standard_library_files(
    files: Sequence[FileChange], start_up: Callable[[str], str | None]
) -> Iterator[Notable]:
    """Modules a wheel installs into the standard library's folder (outside a virtual
    environment): ``json/__init__.py`` there is imported in place of the standard one."""

    def role(path: str) -> str | None:
        module = path.endswith((".py", ".pyc", ".so", ".pyd"))
        return (
            "standard" if module and _STANDARD_FOLDER.match(path) and not start_up(path) else None
        )

    for change in _arrivals(files, role):
        module = _STANDARD_FOLDER.sub("", change.path, count=1)
        what = "added" if change.old is None else "changed"
        top = module.split("/")[0].split(".")[0]
        does = (
            f"imported in place of the standard module {top}"
            if top in sys.stdlib_module_names
            else "importable before site-packages"
        )
        detail = (
            f"{module} {what} in the standard library's folder: outside a virtual "
            f"environment it is {does}"
        )
        yield Notable("pth", change.path, detail)


# Top folders of an sdist whose modules are not installed as top-level ones.
_SKIPPED_TOP = re.compile(r"^(?:tests?|testing|docs?|examples?|benchmarks?|bench)$")


def _pth_lines(data: bytes) -> list[str]:
    """The lines site acts on: not blank, not comments."""
    text = data.decode("utf-8-sig", "replace")
    return [
        line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


def _import_lines(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", "replace")
    return [line.rstrip() for line in text.splitlines() if line.startswith(("import ", "import\t"))]


# --- entry points ---------------------------------------------------------

_UNREADABLE_DETAIL = (
    "entry_points.txt unreadable: a line in a section has no '=' "
    "(importlib.metadata, and so pip and pluggy, fail on it)"
)
_GROUP_WORDS = {"console_scripts": "console script", "gui_scripts": "GUI script"}
_PYPROJECT_GROUPS = {"scripts": "console_scripts", "gui-scripts": "gui_scripts"}
_DATA_SCRIPT = re.compile(r"^[^/]+\.data/scripts/[^/]+$")
# A wheel's ``.data/data/`` lands in the environment's prefix: ``bin/`` is on PATH.
_DATA_ON_PATH = re.compile(r"^[^/]+\.data/data/(?:bin|Scripts)/[^/]+$")


def _script_role(path: str) -> str | None:
    return "script" if _DATA_SCRIPT.match(path) or _DATA_ON_PATH.match(path) else None


def _entry_points(old: Archive, new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """Scripts and plugin entry points added, or pointed at another target."""
    yield from _declared_changes(_entry_point_sources(old), _entry_point_sources(new))
    for change in _arrivals(files, _script_role):
        if change.old is None:
            detail = f"script added: {_base_name(change.path)} (installed on PATH)"
            yield Notable("entry-point", change.path, detail)
        elif change.new is not None and not _is_python_script(_side(new, change.new)):
            # A Python one is read by the exec check; a shell script's commands are not.
            detail = f"script changed: {_base_name(change.path)} (installed on PATH, not Python)"
            yield Notable("entry-point", change.path, detail)


# Configuration Jupyter reads from the environment's prefix at every start: a server
# extension enabled there is imported by jupyter_server (or the classic notebook), a
# kernel spec's argv is the command run when the kernel is picked. A wheel installs
# them from .data/data/; an sdist keeps them in jupyter-config/ or etc/jupyter/.
_JUPYTER_CONFIG = re.compile(
    r"(?:^[^/]+\.data/data/etc/jupyter|(?:^|/)(?:jupyter[-_]config|etc/jupyter))"
    r"/(?:(?:nbconfig/)?[\w.-]+\.d/[^/]+\.json|[^/]+\.json|[^/]+_config\.py)$"
)
# IPython (and so every ipykernel) reads sys.prefix/etc/ipython: its exec_lines and
# startup files run at every start.
_IPYTHON_CONFIG = re.compile(r"^[^/]+\.data/data/etc/ipython/(?:[^/]+\.py|profile_[^/]+/.+\.py)$")
_JUPYTER_KERNEL = re.compile(
    r"(?:^[^/]+\.data/data/share/jupyter|(?:^|/)share/jupyter)/kernels/([^/]+)/kernel\.json$"
)
# The config keys whose names Jupyter imports; an nbconfig section's loads front-end code.
_JUPYTER_EXTENSION_KEYS = (
    ("ServerApp", "jpserver_extensions"),
    ("NotebookApp", "jpserver_extensions"),
    ("NotebookApp", "nbserver_extensions"),
    ("load_extensions",),
)


def _jupyter_role(path: str) -> str | None:
    if _JUPYTER_KERNEL.search(path):
        return "kernel"
    if _IPYTHON_CONFIG.match(path):
        return "ipython"
    return "config" if _JUPYTER_CONFIG.search(path) else None


def _jupyter(old: Archive, new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """Jupyter server extensions enabled, and kernel commands, that a wheel installs."""
    for change in _arrivals(files, _jupyter_role):
        before, after = _json_of(_side(old, change.old)), _json_of(_side(new, change.new))
        if change.old is not None and before == after and after is not None:
            continue  # layout only
        role = _jupyter_role(change.path)
        if role == "kernel":
            yield Notable("entry-point", change.path, _kernel_detail(change, before, after))
            continue
        if change.path.endswith(".py"):
            app = "IPython" if role == "ipython" else "Jupyter"
            what = "added" if change.old is None else "changed"
            detail = f"{app} configuration {what}: Python it runs at every start"
            yield Notable("entry-point", change.path, detail)
            continue
        enabled = sorted(_jupyter_enabled(after) - _jupyter_enabled(before))
        if enabled:
            names = ", ".join(enabled)
            detail = f"Jupyter extension enabled: {names} (imported when Jupyter starts)"
        else:
            what = "added" if change.old is None else "changed"
            unread = "" if after is not None else ", not valid JSON"
            detail = f"Jupyter configuration {what}{unread} (read when Jupyter starts)"
        yield Notable("entry-point", change.path, _short(detail))


def _kernel_detail(change: FileChange, before: object, after: object) -> str:
    match = _JUPYTER_KERNEL.search(change.path)
    name = match.group(1) if match else "?"
    argv = after.get("argv") if isinstance(after, dict) else None
    command = " ".join(map(str, argv)) if isinstance(argv, list) else "(no readable argv)"
    if change.old is None:
        return _short(f"Jupyter kernel added: {name} runs {command}")
    was = before.get("argv") if isinstance(before, dict) else None
    if was == argv:
        return _short(f"Jupyter kernel spec changed: {name} (still runs {command})")
    return _short(f"Jupyter kernel command changed: {name} runs {command}")


def _jupyter_enabled(config: object) -> set[str]:
    """The extension names a config file turns on."""
    enabled: set[str] = set()
    for keys in _JUPYTER_EXTENSION_KEYS:
        value = config
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict):
            enabled.update(str(name) for name, on in value.items() if on)
    return enabled


def _json_of(data: bytes) -> object:
    """The parsed JSON, or None when it does not parse (or is absent)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None


# An entry point: (group, name) → target.
_Declared = dict[tuple[str, str], str]


def _declared_changes(
    before: Mapping[str, tuple[str, _Declared]], after: Mapping[str, tuple[str, _Declared]]
) -> Iterator[Notable]:
    """Each entry point a file declares anew or with another target, once, compared with
    what the same file declared before: a file that did not change (a decoy
    ``x/other.dist-info/entry_points.txt``) cannot mask one that did. One declared before
    in another file with the same target has only moved."""
    targets_before: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for _path, declared in before.values():
        for entry, target in declared.items():
            targets_before[entry].add(target)
    told: set[tuple[str, str]] = set()
    for source, (path, declared) in after.items():  # pyproject.toml first, then by path
        same_file = before.get(source, ("", {}))[1]
        for (group, name), target in sorted(declared.items()):
            previous = same_file.get((group, name))
            if previous is None and target in targets_before[group, name]:
                continue
            if previous is None and targets_before[group, name]:
                previous = sorted(targets_before[group, name])[0]
            if previous == target or (group, name) in told:
                continue
            told.add((group, name))
            if group == UNREADABLE_ENTRY_POINTS:
                yield Notable("entry-point", path, _UNREADABLE_DETAIL)
                continue
            words = _GROUP_WORDS.get(group)
            label = f"{words} " if words else f"entry point [{group}] "
            if previous is None:
                yield Notable("entry-point", path, f"{label}added: {name} = {target}")
            else:
                detail = f"{label}target changed: {name} = {previous} → {target}"
                yield Notable("entry-point", path, detail)


def _entry_point_sources(archive: Archive) -> dict[str, tuple[str, _Declared]]:
    """By the key a file pairs on: its path and the entry points it declares. A wheel's
    are those of its own ``.dist-info`` (the one installers read); an sdist's those of
    ``pyproject.toml`` and of ``*.egg-info/entry_points.txt``."""
    sources: dict[str, tuple[str, _Declared]] = {}
    sdist = archive.facts.kind != "wheel"
    pyproject = _pyproject(archive) if sdist else {}
    project = pyproject.get("project")
    tool = pyproject.get("tool")
    if isinstance(project, dict) or isinstance(tool, dict):
        declared: _Declared = {}
        groups = [
            *(_pyproject_groups(project) if isinstance(project, dict) else ()),
            *(_tool_groups(tool) if isinstance(tool, dict) else ()),
        ]
        for group_name, table in groups:
            for name, target in table.items():
                declared.setdefault((group_name, str(name).strip()), _tool_target(target))
        sources["pyproject.toml"] = ("pyproject.toml", declared)
    if sdist:
        for path, declared in _setuptools_entry_points(archive).items():
            sources[path] = (path, declared)
    stem = archive.facts.wheel_stem
    for member in sorted(archive.members, key=lambda m: m.path):
        own = stem is not None and member.path == f"{stem}.dist-info/entry_points.txt"
        if not (own or (stem is None and _is_entry_points_file(member.path))):
            continue
        declared = {}
        for group, entries in sorted(parse_entry_points(archive.content(member)).items()):
            if group == UNREADABLE_ENTRY_POINTS:
                declared[group, ""] = ""
            for name, target in entries.items():
                declared.setdefault((group, name.strip()), _target(target))
        key = ".dist-info/entry_points.txt" if own else member.path
        sources[key] = (member.path, declared)
    return sources


def _entry_point_modules(archive: Archive) -> set[str]:
    """The modules the archive's entry points load (``demo.testing.plugin`` of
    ``demo.testing.plugin:hook [extra]``)."""
    modules = set()
    for _path, declared in _entry_point_sources(archive).values():
        for target in declared.values():
            module = target.split(":", 1)[0].split("[", 1)[0].split()[0] if target else ""
            if module:
                modules.add(module)
    return modules


def _pyproject_groups(project: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for key, group in _PYPROJECT_GROUPS.items():
        table = project.get(key)
        if isinstance(table, dict):
            yield group, table
    plugins = project.get("entry-points")
    if isinstance(plugins, dict):
        for group, table in plugins.items():
            if isinstance(table, dict):
                yield str(group), table


def _tool_groups(tool: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Entry points poetry-core and flit_core make the wheel's from their own tables:
    ``[tool.poetry.scripts]``, ``[tool.poetry.plugins."group"]``, ``[tool.flit.scripts]``,
    ``[tool.flit.entrypoints."group"]``."""
    for backend, scripts, plugins in (
        ("poetry", "scripts", "plugins"),
        ("flit", "scripts", "entrypoints"),
    ):
        table = tool.get(backend)
        if not isinstance(table, dict):
            continue
        if isinstance(table.get(scripts), dict):
            yield "console_scripts", table[scripts]
        for group, entries in (table.get(plugins) or {}).items():
            if isinstance(entries, dict):
                yield str(group), entries


def _tool_target(value: object) -> str:
    """A poetry script may be a table: ``{callable = "demo.cli:main"}``,
    ``{reference = "bin/run", type = "file"}``."""
    if isinstance(value, dict):
        value = value.get("callable") or value.get("reference") or value
    return _target(value)


def _setuptools_entry_points(archive: Archive) -> dict[str, _Declared]:
    """What an sdist's ``setup.cfg`` (``[options.entry_points]``) and ``setup.py`` (a
    literal ``entry_points=`` given to ``setup()``) declare, which the build writes into the
    wheel's ``entry_points.txt``."""
    found: dict[str, _Declared] = {}
    groups = setup_cfg_sections(_top_text(archive, "setup.cfg")).get("options.entry_points")
    if groups is not None:
        text = "".join(f"[{group}]\n{value}\n" for group, value in groups.items())
        found["setup.cfg"] = _declared_in(text.encode())
    tree = _parsed(_top_text(archive, "setup.py").encode())
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Call) and _calls_setup(node.func):
            for keyword in node.keywords:
                if keyword.arg == "entry_points" and isinstance(keyword.value, ast.Dict):
                    found["setup.py"] = _declared_in(_entry_points_text(keyword.value).encode())
    return found


def _entry_points_text(table: ast.Dict) -> str:
    """A literal ``{"console_scripts": ["demo = demo.cli:main"]}`` as entry_points.txt."""
    lines = []
    for key, value in zip(table.keys, table.values, strict=True):
        group = literal_text(key) if key is not None else None
        if group is None:
            continue
        lines.append(f"[{group}]")
        items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
        lines.extend(text for item in items if (text := literal_text(item)) is not None)
    return "\n".join(lines) + "\n"


def _declared_in(text: bytes) -> _Declared:
    declared: _Declared = {}
    for group, entries in sorted(parse_entry_points(text).items()):
        if group == UNREADABLE_ENTRY_POINTS:
            continue
        for name, target in entries.items():
            declared.setdefault((group, name.strip()), _target(target))
    return declared


def _is_entry_points_file(path: str) -> bool:
    parts = path.split("/")
    if parts[-1] != "entry_points.txt" or len(parts) > 3:
        return False
    return parts[-2].endswith((".dist-info", ".egg-info"))


def _target(value: object) -> str:
    """An entry point's ``module:attr [extras]``, spaced one way."""
    text = " ".join(str(value).split())
    return re.sub(r"\s*:\s*", ":", text)


# --- build ----------------------------------------------------------------

_BUILD_FILES_TOP = {"setup.py": "build script", "setup.cfg": "setuptools configuration"}
_BUILD_FILES_ANYWHERE = {
    "CMakeLists.txt": "CMake build file",
    "meson.build": "Meson build file",
    "meson.options": "Meson options file",
    "meson_options.txt": "Meson options file",
}
# What the native builds read besides those: CMake modules ``include()`` pulls in (with
# ``execute_process``, ``FetchContent``), Meson's subproject wraps (where the source is
# downloaded from), Cargo's manifest and configuration (crates, build scripts,
# ``rustc-wrapper``); not their tests' or docs'.
_BUILD_FILE_PATTERNS = (
    (re.compile(r"\.cmake$"), "CMake module"),
    (re.compile(r"(?:^|/)subprojects/[^/]+\.wrap$"), "Meson subproject wrap"),
    (re.compile(r"(?:^|/)Cargo\.toml$"), "Cargo manifest"),
    (re.compile(r"(?:^|/)\.cargo/config(?:\.toml)?$"), "Cargo configuration"),
)
_BUILD_HOOKS_TOP = ("hatch_build.py", "pdm_build.py", "build.py")
# setup.cfg sections that configure linters and test runners, not the build, and the
# packaging commands' own settings (``[egg_info] tag_build =``, which setuptools writes
# into every sdist; ``[bdist_wheel] universal = 1``): they name no code. Entry points are
# the entry-point kind's.
_TOOL_SECTIONS = re.compile(
    r"^(flake8|pycodestyle|pep8|pydocstyle|pylint.*|isort|mypy.*|coverage:.*|tool:.*"
    r"|bumpversion.*|codespell|doc8|yapf|check-manifest|zest\.releaser|pytest|nosetests"
    r"|egg_info|bdist_wheel|wheel|sdist|options\.entry_points)$"
)


def _build(old: Archive, new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """Code or configuration that runs when the sdist is built (wheels are already built)."""
    if new.facts.kind == "wheel":
        return
    old_pyproject, new_pyproject = _pyproject(old), _pyproject(new)
    yield from _build_system(old_pyproject, new_pyproject, files)
    yield from _build_references(old, new, old_pyproject, new_pyproject)
    backend, hooks = _build_hook_paths(new_pyproject)
    modules = _backend_modules(new_pyproject)
    versions = old.facts.version, new.facts.version
    new_paths = frozenset(member.path for member in new.members)
    imported = frozenset(_imported_at_build(new, new_pyproject))
    # A module moved (requests/__version__.py to src/requests/) is compared with what the
    # build imported before at its old path, not taken as added.
    imported |= frozenset(_imported_at_build(old, old_pyproject)) - new_paths

    def role(path: str) -> str | None:
        if path in imported and path not in _BUILD_FILES_TOP:
            return _IMPORTED_AT_BUILD
        kind = _build_file_kind(path, backend, hooks, new_paths)
        if kind in _BACKEND_WORDS and not _is_under(path, modules):
            # Another module of the folder: the build can import it, it is not the backend.
            return _BACKEND_WORDS[kind]
        return kind

    for change in _arrivals(files, role):
        what = role(change.path)
        assert what is not None
        detail = _build_file_change(
            what, change, _side(old, change.old), _side(new, change.new), versions
        )
        if detail:
            yield Notable("build", change.path, detail)
    yield from _build_bytecode(new_paths, backend, files)


_IMPORTED_AT_BUILD = "code the build imports"


def _imported_at_build(archive: Archive, pyproject: Mapping[str, Any]) -> tuple[str, ...]:
    paths = [member.path for member in archive.members]
    setup_cfg, setup_py = _top_text(archive, "setup.cfg"), _top_text(archive, "setup.py")
    read = functools.partial(_top_text, archive)
    return imported_at_build(pyproject, setup_cfg, setup_py, paths, read)


def _top_text(archive: Archive, path: str) -> str:
    member = next((m for m in archive.members if m.path == path), None)
    return _side(archive, member).decode("utf-8", "replace")


def _build_references(
    old: Archive, new: Archive, before: Mapping[str, Any], after: Mapping[str, Any]
) -> Iterator[Notable]:
    """Code the build configuration names, added or re-pointed (see :mod:`.buildcode`)."""
    old_references = build_references(before, _top_text(old, "setup.cfg"))
    for reference in sorted(build_references(after, _top_text(new, "setup.cfg")).values()):
        was = old_references.get(reference.what)
        if was is None:
            detail = f"{reference.what} added: {reference.target}"
        elif was.target != reference.target:
            detail = f"{reference.what} changed: {was.target} → {reference.target}"
        else:
            continue
        yield Notable("build", reference.path, _short(detail))


def _build_bytecode(
    new_paths: frozenset[str], backend: Sequence[str], files: Sequence[FileChange]
) -> Iterator[Notable]:
    """An sdist's bytecode a build may import: in ``__pycache__`` beside its source, which
    a build that imports the source (the backend, a module ``setup.py`` imports) runs in
    its place when its header matches the source's size and mtime, which the sdist's tar
    header sets (pip and build keep it; PyYAML 6.0.2 shipped its backend's); and a
    ``.pyc`` with no source beside it, which Python imports as it is (in ``backend-path``
    the backend's own entry says so). Each detail in one entry past five files."""

    def role(path: str) -> str | None:
        return _build_bytecode_detail(path, new_paths, backend)

    by_detail: dict[str, list[str]] = {_CACHED_BUILD_BYTECODE: [], _SOURCELESS_BUILD_BYTECODE: []}
    for change in _arrivals(files, role):
        detail = role(change.path)
        assert detail is not None  # an arrival has its role
        by_detail[detail].append(change.path)
    for detail, paths in by_detail.items():
        if len(paths) <= _NAMED_FILES:
            yield from (Notable("build", path, detail) for path in sorted(paths))
        else:
            yield Notable("build", None, _short(f"{detail}: {_files_named(paths)}"))


def _build_bytecode_detail(
    path: str, new_paths: frozenset[str], backend: Sequence[str]
) -> str | None:
    if not path.endswith(".pyc") or not is_shipped_code(path.removesuffix("c")):
        return None
    cached_source = _source_of_cached(path)
    if cached_source is not None:
        return _CACHED_BUILD_BYTECODE if cached_source in new_paths else None
    if path.removesuffix("c") in new_paths or _is_under(path, backend):
        return None
    return _SOURCELESS_BUILD_BYTECODE


_CACHED_BUILD_BYTECODE = (
    "bytecode in __pycache__ beside its source: a build importing the source may run it "
    "instead, and it is not checked"
)
_SOURCELESS_BUILD_BYTECODE = (
    "bytecode without its source: a build importing it runs it, and it is not checked"
)


def _source_of_cached(path: str) -> str | None:
    """``pkg/mod.py`` for ``pkg/__pycache__/mod.cpython-312.pyc`` (or ``.opt-1.pyc``)."""
    folder, _slash, name = path.rpartition("/")
    if not name.endswith(".pyc") or folder.rpartition("/")[2] != "__pycache__":
        return None
    parent = folder.rpartition("/")[0]
    module = name.partition(".")[0]
    return f"{parent}/{module}.py" if parent else f"{module}.py"


def _build_file_kind(
    path: str, backend: tuple[str, ...], hooks: tuple[str, ...], new_paths: frozenset[str]
) -> str | None:
    if path in _BUILD_FILES_TOP:
        return _BUILD_FILES_TOP[path]
    if _base_name(path) in _BUILD_FILES_ANYWHERE:
        return _BUILD_FILES_ANYWHERE[_base_name(path)]
    for pattern, kind in _BUILD_FILE_PATTERNS:
        if pattern.search(path) and is_shipped_code(path):
            return kind
    if path in _BUILD_HOOKS_TOP or path in hooks:
        return "build hook"
    if _is_under(path, backend):
        return _backend_code_kind(path, new_paths)
    return None


def _backend_code_kind(path: str, new_paths: frozenset[str]) -> str | None:
    """What the build imports from ``backend-path``: Python source, and bytecode that
    Python imports for want of a source (``x.pyc`` with no ``x.py`` beside it).

    Data files are not code, other bytecode is :func:`_build_bytecode`'s,
    and native libraries are kind ``binary``.
    """
    if path.endswith(".py"):
        return "in-tree build backend"
    sourceless = path.endswith(".pyc") and path.removesuffix("c") not in new_paths
    if sourceless and "__pycache__" not in path.split("/"):
        return "in-tree build backend bytecode without source"
    return None


def _build_file_change(
    what: str,
    change: FileChange,
    before: bytes,
    after: bytes,
    versions: tuple[str | None, str | None],
) -> str | None:
    """A detail for a changed build file, or None when only the release's version moved."""
    if change.old is None:
        values_only = what == _IMPORTED_AT_BUILD and _only_literals(
            after.decode("utf-8", "replace")
        )
        return None if values_only else f"{what} added"
    old_text = _versionless(before.decode("utf-8", "replace"), versions[0])
    new_text = _versionless(after.decode("utf-8", "replace"), versions[1])
    if change.path == "setup.cfg":
        sections = _changed_sections(old_text, new_text)
        if sections is not None:
            return f"{what} changed: {', '.join(sections)}" if sections else None
    if _same_code(change.path, old_text, new_text):
        return None
    if what == _IMPORTED_AT_BUILD and _only_literals(old_text) and _only_literals(new_text):
        return None  # values only (requests' __version__.py): importing it runs nothing
    return f"{what} changed"


def _same_code(path: str, old_text: str, new_text: str) -> bool:
    """Equal but for comments and layout (Python), or for trailing spaces and blank lines;
    ``setup.py`` also but for the literal text it describes the project with."""
    if path.endswith(".py"):
        try:
            trees = ast.parse(old_text), ast.parse(new_text)
            if path == "setup.py":
                trees = _without_descriptions(trees[0]), _without_descriptions(trees[1])
            return ast.dump(trees[0]) == ast.dump(trees[1])
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    return _lines(old_text) == _lines(new_text)


def _only_literals(text: str) -> bool:
    """A module of plain assignments of literal values (and a docstring), which runs
    nothing when imported."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.Expr) and _is_literal(statement.value):
            continue
        value = statement.value if isinstance(statement, ast.AnnAssign) else None
        if value is not None and _is_literal(value):
            continue
        return False
    return True


# What ``setup()`` is told only to describe the project (certifi 2024.12.14 added a
# classifier): literal values of these are data, which the metadata table shows. Not
# requirements, entry points or packages: what the build does comes from them.
_DESCRIBING_KEYWORDS = frozenset(
    {
        "author",
        "author_email",
        "classifiers",
        "description",
        "download_url",
        "keywords",
        "license",
        "long_description",
        "long_description_content_type",
        "maintainer",
        "maintainer_email",
        "platforms",
        "project_urls",
        "url",
    }
)


def _without_descriptions(tree: ast.Module) -> ast.Module:
    """The tree with each literal value of a describing keyword of a ``setup(...)`` call,
    and each module-level literal assigned to a name such a keyword is given, left out."""
    described: Counter[str] = Counter()
    loaded: Counter[str] = Counter()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            loaded[node.id] += 1
        if isinstance(node, ast.Call) and _calls_setup(node.func):
            for keyword in node.keywords:
                if keyword.arg not in _DESCRIBING_KEYWORDS:
                    continue
                if isinstance(keyword.value, ast.Name):
                    described[keyword.value.id] += 1
                elif _is_literal(keyword.value):
                    keyword.value = ast.Constant(None)
    # A name used for more than describing (``URL`` given to ``url=`` and cloned too) is
    # what the build does.
    described = Counter({name: n for name, n in described.items() if loaded[name] == n})
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id in described
            and _is_literal(statement.value)
        ):
            statement.value = ast.Constant(None)
    return tree


def _calls_setup(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name == "setup"


def _is_literal(node: ast.expr) -> bool:
    """Text and numbers, and lists, tuples, sets and dicts of them, nothing computed."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return all(_is_literal(item) for item in node.elts)
    if isinstance(node, ast.Dict):
        return all(key is not None and _is_literal(key) for key in node.keys) and all(
            _is_literal(value) for value in node.values
        )
    return False


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def _changed_sections(old_text: str, new_text: str) -> list[str] | None:
    """The build-relevant setup.cfg sections that differ; None when either does not parse."""
    before, after = _config_sections(old_text), _config_sections(new_text)
    if before is None or after is None:
        return None
    names = sorted(before.keys() | after.keys())
    return [f"[{name}]" for name in names if before.get(name) != after.get(name)]


def _config_sections(text: str) -> dict[str, dict[str, str]] | None:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return None
    return {
        name: {
            key: " ".join(value.split())
            for key, value in parser.items(name)
            if name != "metadata" or _READS_THE_TREE.search(value)
        }
        for name in parser.sections()
        if not _TOOL_SECTIONS.match(name)
    }


# A [metadata] value the build works out from the tree (``version = attr: pkg.__version__``
# reads, and may import, the package); the others are data the metadata section shows.
_READS_THE_TREE = re.compile(r"^\s*(?:attr|file)\s*:")


def _pyproject(archive: Archive) -> dict[str, Any]:
    """The top-level ``pyproject.toml`` parsed, ``{"": reason}`` when it does not parse."""
    member = next((m for m in archive.members if m.path == "pyproject.toml"), None)
    data = _side(archive, member)
    if not data:
        return {}
    try:
        return tomllib.loads(data.decode("utf-8", "replace"))
    except tomllib.TOMLDecodeError as error:
        return {"": str(error)}
    except RecursionError:
        return {"": "nested too deeply"}


def _build_system(
    before: Mapping[str, Any], after: Mapping[str, Any], files: Sequence[FileChange]
) -> Iterator[Notable]:
    if "" in after:
        if any(change.path == "pyproject.toml" and _content_changed(change) for change in files):
            detail = (
                f"pyproject.toml does not parse ({_short(after[''])}): [build-system] not checked"
            )
            yield Notable("build", "pyproject.toml", detail)
        return
    old_table, new_table = _table(before, "build-system"), _table(after, "build-system")
    if old_table == new_table:
        return
    yield from _build_requirements(old_table.get("requires"), new_table.get("requires"))
    for key, label in (("build-backend", "build backend"), ("backend-path", "backend-path")):
        old_value, new_value = old_table.get(key), new_table.get(key)
        if old_value != new_value and new_value is not None:
            detail = f"{label}: {_shown(old_value)} → {_shown(new_value)}"
            yield Notable("build", "pyproject.toml", _short(detail))


def _table(document: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def _shown(value: object) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "(empty)"
    return str(value)


def _build_requirements(before: object, after: object) -> Iterator[Notable]:
    """``[build-system] requires``: installed and run to build the sdist, so kind ``build``.

    Compared as Requires-Dist is: lines of one name with other markers are other entries.
    """
    changes = requirement_changes("build requirement", _listed(before), _listed(after))
    for change in changes:
        if change.change == "added":
            detail = f"build requirement added: {change.new}"
        elif change.change == "changed":
            detail = f"build requirement changed: {change.old} → {change.new}"
        else:
            continue
        yield Notable("build", "pyproject.toml", _short(detail))


def _listed(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


# What a file under ``backend-path`` is called when it is not the backend module.
_BACKEND_WORDS = {
    "in-tree build backend": "build code in backend-path",
    "in-tree build backend bytecode without source": (
        "build bytecode without source in backend-path"
    ),
}


def _is_under(path: str, files: Sequence[str]) -> bool:
    """Whether ``path`` is one of the files, or in one of the folders (ending in ``/``)."""
    return any(path == file or (file.endswith("/") and path.startswith(file)) for file in files)


def _backend_modules(pyproject: Mapping[str, Any]) -> tuple[str, ...]:
    """Where the backend module itself may be: ``build-backend`` in each ``backend-path``
    folder, as a module file or a package folder."""
    system = _table(pyproject, "build-system")
    module = str(system.get("build-backend") or "").partition(":")[0].strip().replace(".", "/")
    folders = system.get("backend-path")
    if not module or not isinstance(folders, list):
        return ()
    found: list[str] = []
    for folder in folders:
        prefix = str(folder).strip().strip("/").removeprefix("./")
        base = "" if prefix in ("", ".") else f"{prefix}/"
        found.extend((f"{base}{module}.py", f"{base}{module}/"))
    return tuple(found)


def _build_hook_paths(pyproject: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Files the build runs from the sdist: ``backend-path`` folders, and custom build hooks.

    A folder is given with a trailing slash; ``backend-path = ["."]`` names only
    the backend module itself (``backend.py`` or ``backend/``).
    """
    paths: list[str] = []
    hooks: list[str] = []
    system = _table(pyproject, "build-system")
    backend = str(system.get("build-backend") or "").partition(":")[0].strip()
    folders = system.get("backend-path")
    for folder in folders if isinstance(folders, list) else []:
        prefix = str(folder).strip().strip("/").removeprefix("./")
        if prefix in ("", "."):
            if backend:
                module = backend.replace(".", "/")
                paths.extend((f"{module}.py", f"{module}/"))
        else:
            paths.append(f"{prefix}/")
    tool = _table(pyproject, "tool")
    hatch = _table(tool, "hatch")
    hatch_hooks = [_table(_table(hatch, section), "hooks") for section in ("build", "metadata")]
    # A hook of one build target: [tool.hatch.build.targets.wheel.hooks.custom].
    targets = _table(_table(hatch, "build"), "targets")
    hatch_hooks.extend(_table(_table(targets, name), "hooks") for name in sorted(targets))
    for hatch_hook in hatch_hooks:
        custom = _table(hatch_hook, "custom")
        if custom:
            hooks.append(str(custom.get("path") or "hatch_build.py"))
    poetry_build = _table(tool, "poetry").get("build")
    script = poetry_build.get("script") if isinstance(poetry_build, dict) else poetry_build
    if isinstance(script, str):
        hooks.append(script)
    return tuple(paths), tuple(hooks)


# --- binaries -------------------------------------------------------------

_NATIVE_SUFFIX = re.compile(r"\.(so(\.\d+)*|pyd|dll|dylib|a|lib)$", re.IGNORECASE)
_MACHO_MAGICS = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
_FAT_MAGICS = (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf")


def native_format(data: bytes) -> str | None:
    """``ELF``, ``Mach-O``, ``PE`` or ``ar archive`` from the magic bytes, else None."""
    if data.startswith(b"\x7fELF"):
        return "ELF"
    if data.startswith(b"!<arch>\n"):  # a static library (``.a``, ``.lib``) linked in
        return "ar archive"
    if data.startswith(_MACHO_MAGICS):
        return "Mach-O"
    # A Java class file shares the fat Mach-O magic; its version there is 45 or more.
    if data.startswith(_FAT_MAGICS) and len(data) >= 8 and int.from_bytes(data[4:8]) < 45:
        return "Mach-O"
    if data.startswith(b"MZ") and len(data) >= 0x40:
        offset = int.from_bytes(data[0x3C:0x40], "little")
        if data[offset : offset + 4] == b"PE\0\0":
            return "PE"
    return None


def _binaries(new: Archive, changed: Sequence[FileChange]) -> Iterator[Notable]:
    for change in changed:
        assert change.new is not None
        data = new.content(change.new)
        found = native_format(data) if data is not None else None
        suffix = _NATIVE_SUFFIX.search(change.path)
        if data is None and suffix is None and _unread(change.new):
            # Not read, so not known not to be one (an ELF named engine.bin that code
            # loads with ctypes); a module is told by the exec check.
            size = f"{change.new.size:,} bytes"
            what = "new file" if change.old is None else "file changed"
            detail = f"{what} over the per-file size limit ({size}): not read, not checked"
            yield Notable("binary", change.path, detail)
            continue
        if found is None and suffix is None:
            continue
        what = found or f"{suffix.group(0) if suffix else ''} file"
        size = f"{change.new.size:,} bytes"
        if change.old is None:
            detail = f"new native binary ({what}, {size})"
        else:
            detail = f"native binary changed ({what}, {change.old.size:,} → {size})"
        yield Notable("binary", change.path, detail)


def _unread(member: Member) -> bool:
    """A file with bytes that were not kept (over the per-file limit), other than a module."""
    return (
        member.kind == MemberKind.FILE
        and member.size > 0
        and not member.path.endswith((".py", ".pyw"))
    )


# Source an sdist's build compiles into the native extensions users import: the exec
# check reads none of it.
_NATIVE_SOURCE = re.compile(
    r"\.(c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx|inc|inl|ipp|tcc|tpp|s|asm|cu|cuh|i|swg"
    r"|pyx|pxd|pxi|rs|zig|f|for|ftn|f77|f90|f95|f03|f08|m|mm)$",
    re.IGNORECASE,
)
_NAMED_FILES = 5


def _native_sources(new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """One entry for an sdist's changed native sources (C, C++, assembly, CUDA, SWIG,
    Cython, Rust, Zig, Fortran)."""
    if new.facts.kind != "sdist":
        return
    paths = [
        change.path for change in _arrivals(files, _native_source_role) if change.new is not None
    ]
    if not paths:
        return
    detail = (
        f"native source changed, compiled when installed and not checked: {_files_named(paths)}"
    )
    yield Notable("binary", None, _short(detail))


def _files_named(paths: Sequence[str]) -> str:
    """``7 files (a, b, c, d, e, and 2 more)``: the first _NAMED_FILES in order."""
    ordered = sorted(paths)
    named = ", ".join(visible(path) for path in ordered[:_NAMED_FILES])
    unnamed = len(ordered) - _NAMED_FILES
    more = f", and {unnamed} more" if unnamed > 0 else ""
    return f"{len(ordered)} file{'s' if len(ordered) > 1 else ''} ({named}{more})"


def _native_source_role(path: str) -> str | None:
    return "native" if _NATIVE_SOURCE.search(path) and is_shipped_code(path) else None


# --- dependencies, Requires-Python, license --------------------------------


def _dependencies(
    old: Archive, new: Archive, metadata: Sequence[MetadataChange]
) -> Iterator[Notable]:
    """Requirements added or changed; a pin moved in step with the release's own version is not."""
    versions = old.facts.version, new.facts.version
    for change in metadata:
        if not change.field.startswith("Requires-Dist") or change.new is None:
            continue
        url = _url_of(change.new)
        developers_only = _only_for_developers(change.new) and (
            change.old is None or _only_for_developers(change.old)
        )
        if url is None and developers_only:
            continue  # still in the metadata table: not what users install
        if change.change == "added":
            words = "direct URL reference added" if url else "requirement added"
            yield Notable("dependency", None, _short(f"{words}: {change.new}"))
        elif change.change == "changed" and change.old is not None:
            if _versionless(change.old, versions[0]) == _versionless(change.new, versions[1]):
                continue
            words = "direct URL reference" if url else "requirement changed"
            if _extra_dropped(change.old, change.new):
                # isort 5.13: pip-api was for one extra, now every install gets it.
                words = "requirement now installed without an extra"
            what = f" ({change.detail})" if change.detail else ""
            detail = f"{words}{what}: {change.old} → {change.new}"
            yield Notable("dependency", None, _short(detail))


def _extra_dropped(before: str, after: str) -> bool:
    """Whether a requirement only an extra asked for is asked for by every install now."""
    try:
        old, new = Requirement(before), Requirement(after)
    except InvalidRequirement:
        return False
    return _names_an_extra(old) and not _names_an_extra(new)


def _names_an_extra(requirement: Requirement) -> bool:
    if requirement.marker is None:
        return False
    unquoted = _MARKER_VALUE.sub("", str(requirement.marker))
    return _EXTRA_WORD.search(unquoted) is not None


_MARKER_VALUE = re.compile(r"\"[^\"]*\"|'[^']*'")
_EXTRA_WORD = re.compile(r"\bextra\b")


# Extras a project's own developers install (tests, docs, linters), not its users.
_DEVELOPER_EXTRAS = frozenset(
    {
        "benchmark",
        "benchmarks",
        "check",
        "checks",
        "ci",
        "cov",
        "coverage",
        "dev",
        "develop",
        "development",
        "doc",
        "docs",
        "documentation",
        "format",
        "lint",
        "linting",
        "mypy",
        "qa",
        "style",
        "test",
        "testing",
        "tests",
        "tests-mypy",
        "tox",
        "type",
        "types",
        "typing",
    }
)


# Words that start only a developers' extra's name: ``format-toml``, ``check-jsonschema``
# and ``types-yaml`` may be features users install, ``format`` alone is a formatter's.
_DEVELOPER_PREFIXES = (
    _DEVELOPER_EXTRAS
    - {"check", "checks", "format", "style"}
    - {
        "type",
        "types",
        "typing",
    }
)


def _developers_extra(extra: str) -> bool:
    """``tests``, ``docs``, ``tests-no-zope``, ``dev_tools``: named for a developers' task."""
    name = canonicalize_name(extra)
    return name in _DEVELOPER_EXTRAS or name.split("-")[0] in _DEVELOPER_PREFIXES


def _only_for_developers(line: str) -> bool:
    """A requirement only a developers' extra installs (``pytest; extra == "tests"``).

    attrs 23.2.0 -> 24.2.0 listed 26 such lines as notable, all test, docs and
    dev pins; an extra users install (``socks``) still counts, and so does a
    line whose marker also holds without the extra (``... or python_version < "3.8"``).
    """
    try:
        marker = Requirement(line).marker
    except InvalidRequirement:
        return False
    extras = re.findall(r"""\bextra\s*==\s*["']([^"']+)["']""", str(marker or ""))
    if marker is None or not extras:
        return False
    if not all(_developers_extra(extra) for extra in extras):
        return False
    text = str(marker)
    # Variables no place sets are the reviewer's own machine's: another's may hold them.
    if any(variable in text for variable in _UNPLACED_VARIABLES):
        return False
    machines = _MACHINES if "platform_machine" in text else ("x86_64",)
    return not any(
        _holds(marker, {"extra": "", "platform_machine": machine, **place})
        for place in _PLACES
        for machine in machines
    )


# Marker variables a release may name that the places below do not set.
_UNPLACED_VARIABLES = ("platform_release", "platform_version", "implementation_version")
# The machines wheels are built for (Apple silicon says arm64, Linux aarch64).
_MACHINES = ("x86_64", "AMD64", "aarch64", "arm64", "i686", "x86", "ppc64le", "s390x", "armv7l")


def _holds(marker: Marker, place: dict[str, str]) -> bool:
    """Whether a marker holds there; one packaging cannot evaluate (``python_version ~= "3"``:
    no version ``~=`` takes) may hold for all we know."""
    try:
        return marker.evaluate(place)
    except (InvalidMarker, UndefinedComparison, UndefinedEnvironmentName, ValueError):
        return True


# Where a marker is tried without the extra: each Python and platform a release may name.
_PLACES = tuple(
    {
        "python_version": f"3.{minor}",
        "python_full_version": f"3.{minor}.0",
        "sys_platform": os,
        "platform_system": system,
        "os_name": name,
        "implementation_name": implementation,
        "platform_python_implementation": python,
    }
    for minor in range(6, 16)
    for os, system, name in (
        ("linux", "Linux", "posix"),
        ("win32", "Windows", "nt"),
        ("darwin", "Darwin", "posix"),
        ("cygwin", "CYGWIN_NT-10.0", "posix"),
        ("freebsd14", "FreeBSD", "posix"),
    )
    for implementation, python in (("cpython", "CPython"), ("pypy", "PyPy"))
)


def _url_of(line: str) -> str | None:
    try:
        return Requirement(line).url
    except InvalidRequirement:
        return None


def _project_table(
    old: Archive, new: Archive, metadata: Sequence[MetadataChange]
) -> Iterator[Notable]:
    """An sdist's ``[project]`` dependencies and ``requires-python``, which the wheel built
    from it takes, changed where its PKG-INFO (often stale, or absent) does not say so."""
    if new.facts.kind != "sdist":
        return
    before, after = _project_fields(old), _project_fields(new)
    changes = list(requirement_changes("Requires-Dist", before[0], after[0]))
    if before[1] != after[1]:
        changes.append(MetadataChange("Requires-Python", "changed", before[1], after[1]))
    said = {(n.kind, n.detail) for n in (*_dependencies(old, new, metadata), *_python(metadata))}
    for notable in (*_dependencies(old, new, changes), *_python(changes)):
        if (notable.kind, notable.detail) not in said:
            yield dataclasses.replace(notable, path="pyproject.toml")


def _requirement_files(
    old: Archive, new: Archive, metadata: Sequence[MetadataChange]
) -> Iterator[Notable]:
    """Requirements files an sdist's build reads its dependencies from
    (``[tool.setuptools.dynamic] dependencies = {file = ...}``, a ``requirements*.txt``
    that ``setup.py`` names), changed where PKG-INFO (stale, or absent) does not say so."""
    if new.facts.kind != "sdist":
        return
    before, after = _requirements_read(old), _requirements_read(new)
    said = {(n.kind, n.detail) for n in _dependencies(old, new, metadata)}
    for path, lines in sorted(after.items()):
        changes = list(requirement_changes("Requires-Dist", before.get(path, []), lines))
        for notable in _dependencies(old, new, changes):
            if (notable.kind, notable.detail) not in said:
                yield dataclasses.replace(notable, path=path)


# A requirements file ``setup.py`` names (``open("requirements.txt")``).
_REQUIREMENTS_NAMED = re.compile(r"""["']([\w./-]*requirements[\w./-]*\.(?:txt|in))["']""")


def _requirements_read(archive: Archive) -> dict[str, list[str]]:
    """The requirement lines of each requirements file the build reads, by its path."""
    files: dict[str, str] = {}  # path -> the extra its lines are for ("" for none)
    dynamic = _table(_table(_table(_pyproject(archive), "tool"), "setuptools"), "dynamic")
    for path in _file_list(dynamic.get("dependencies")):
        files.setdefault(path, "")
    optional = dynamic.get("optional-dependencies")
    for extra, value in sorted(optional.items()) if isinstance(optional, dict) else ():
        for path in _file_list(value):
            files.setdefault(path, str(extra))
    for path in _REQUIREMENTS_NAMED.findall(_top_text(archive, "setup.py")):
        files.setdefault(path.removeprefix("./"), "")
    read: dict[str, list[str]] = {}
    for path, extra in files.items():
        text = _top_text(archive, path)
        lines = [line.split(" #")[0].strip() for line in text.splitlines()]
        wanted = [line for line in lines if line and not line.startswith(("#", "-"))]
        if extra:
            wanted = [_for_extra(line, extra) for line in wanted]
        read[path] = wanted
    return read


def _file_list(value: object) -> list[str]:
    files = value.get("file") if isinstance(value, dict) else None
    if isinstance(files, str):
        files = [files]
    return [str(path).removeprefix("./") for path in files] if isinstance(files, list) else []


def _for_extra(line: str, extra: str) -> str:
    wanted, _semicolon, marker = line.partition(";")
    condition = (
        f'({marker.strip()}) and extra == "{extra}"' if marker.strip() else f'extra == "{extra}"'
    )
    return f"{wanted.strip()}; {condition}"


def _project_fields(archive: Archive) -> tuple[list[str], str | None]:
    """``[project]``'s requirement lines (extras as markers) and ``requires-python``, as
    written; none for what it declares ``dynamic``."""
    project = _pyproject(archive).get("project")
    if not isinstance(project, dict):
        return [], None
    dynamic = project.get("dynamic")
    dynamic = set(dynamic) if isinstance(dynamic, list) else set()
    lines = [] if "dependencies" in dynamic else _strings(project.get("dependencies"))
    extras = project.get("optional-dependencies")
    if isinstance(extras, dict) and "optional-dependencies" not in dynamic:
        for extra, group in sorted(extras.items()):
            lines.extend(_for_extra(line, extra) for line in _strings(group))
    python = project.get("requires-python")
    return lines, python if isinstance(python, str) and "requires-python" not in dynamic else None


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _python(metadata: Sequence[MetadataChange]) -> Iterator[Notable]:
    for change in metadata:
        if change.field == "Requires-Python":
            detail = f"Requires-Python: {change.old or '(none)'} → {change.new or '(none)'}"
            yield Notable("python", None, _short(detail))


# LICENSE, LICENSE.txt, LICENSE-APACHE, COPYING.LESSER; not licensed.py or license.py.
_LICENSE_FILE = re.compile(r"^(licen[cs]es?|copying)([-._ ].*)?(?<!\.py)$", re.IGNORECASE)
_LICENSE_FOLDERS = frozenset({"licenses", "licences"})
# setuptools declares these as License-File by default; a list of names is no license.
_AUTHOR_LISTS = re.compile(r"^(authors|contributors)", re.IGNORECASE)
# A year, or a list or range of years: "2001, 2002, 2003" and "2001-2024" are alike.
_YEARS = re.compile(r"\b(19|20)\d\d\b(\s*[-–,]\s*(19|20)\d\d\b)*")


def _license_fields(
    metadata: Sequence[MetadataChange],
) -> tuple[dict[str, MetadataChange], bool]:
    """The License and License-Expression changes to report, and whether the release moved
    to License-Expression: a move either way that keeps the license is none."""
    fields = {c.field: c for c in metadata if c.field in ("License", "License-Expression")}
    expression, legacy = fields.get("License-Expression"), fields.get("License")
    if expression is None or legacy is None:
        return fields, expression is not None and expression.change == "added"
    if expression.change == "added" and legacy.change == "removed":
        del fields["License"]
        if _license_name(legacy.old or "") == _license_name(expression.new or ""):
            del fields["License-Expression"]
        else:
            fields["License-Expression"] = dataclasses.replace(
                expression, detail=f"was License: {legacy.old}"
            )
        return fields, True
    # Back from License-Expression to License (httpx 0.28.0, on another build backend).
    back = expression.change == "removed" and legacy.change == "added"
    if back and _license_name(expression.old or "") == _license_name(legacy.new or ""):
        del fields["License"], fields["License-Expression"]
    return fields, expression.change == "added"


def _licenses(
    old: Archive, new: Archive, files: Sequence[FileChange], metadata: Sequence[MetadataChange]
) -> Iterator[Notable]:
    """License fields and classifiers, and license files, changed beyond copyright years.

    Moving to ``License-Expression`` (PEP 639) is one entry, none when the
    expression says what ``License`` said; the license classifiers PEP 639 asks
    to drop then are not reported as removed.
    """
    fields, migrated = _license_fields(metadata)
    for change in fields.values():
        old_value, new_value = _license_value(change.old), _license_value(change.new)
        if _license_name(old_value or "") == _license_name(new_value or ""):
            continue
        was = f" ({change.detail})" if change.detail else ""
        detail = f"{change.field}: {old_value or '(none)'} → {new_value or '(none)'}{was}"
        yield Notable("license", None, _short(detail))
    for change in metadata:
        if change.field != "Classifier":
            continue
        value = change.new or change.old or ""
        if value.startswith("License ::") and not (migrated and change.change == "removed"):
            yield Notable("license", None, f"license classifier {change.change}: {value}")
    declared = declared_license_files(old) | declared_license_files(new)
    for file in files:
        if not _is_own_license_file(file.path, declared) or file.status == Status.MODE_CHANGED:
            continue
        if file.old is not None and file.new is not None:
            before, after = _side(old, file.old), _side(new, file.new)
            if _license_text(before.decode("utf-8", "replace")) == _license_text(
                after.decode("utf-8", "replace")
            ):
                continue
        yield Notable("license", file.path, f"license file {_file_words(file.status)}")


def _license_value(value: str | None) -> str | None:
    """A License field's value; setuptools' ``UNKNOWN`` placeholder means none."""
    return None if value is None or value.strip() == "UNKNOWN" else value


def _license_name(value: str) -> str:
    """A License field as a name: ``Apache 2.0`` and ``Apache-2.0`` are one (``+`` and
    ``.`` still count: ``GPL-2.0+`` is not ``GPL-2.0``)."""
    return re.sub(r"[\s_-]+", "", _license_text(value)).casefold()


def _license_text(text: str) -> str:
    return " ".join(_YEARS.sub("<year>", text).split())


def _is_own_license_file(path: str, declared: frozenset[str]) -> bool:
    """The release's own license, not a test's data or a vendored library's: a license
    file at the top or in a top ``licenses/`` folder, a file named by ``License-File``
    (an sdist's path, a wheel's under ``.dist-info/`` or ``.dist-info/licenses/``), and
    a wheel's ``.dist-info/licenses/``."""
    parts = path.split("/")
    if _AUTHOR_LISTS.match(parts[-1]):
        return False
    if parts[0].endswith(".dist-info") and len(parts) > 1:
        parts = parts[1:]
        if parts[0] == "licenses" and len(parts) > 1:
            return True
    if "/".join(parts) in declared:
        return True
    if len(parts) == 1:
        return bool(_LICENSE_FILE.match(parts[0]))
    return parts[0].lower() in _LICENSE_FOLDERS


def _file_words(status: Status) -> str:
    return {Status.ADDED: "added", Status.REMOVED: "removed"}.get(status, "changed")


# --- exec -----------------------------------------------------------------

# os is posix on Linux and macOS, nt on Windows: the same functions under either name.
_RUNS_COMMAND_FAMILIES = frozenset(
    f"{module}.{family}{tail}"
    for module in ("os", "posix", "nt")
    for family in ("exec", "spawn")
    for tail in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")
) | {f"{module}.{name}" for module in ("os", "posix") for name in ("posix_spawn", "posix_spawnp")}
_RUNS_COMMAND = (
    frozenset(
        {
            "subprocess.run",
            "subprocess.call",
            "subprocess.check_call",
            "subprocess.check_output",
            "subprocess.Popen",
            "subprocess.getoutput",
            "subprocess.getstatusoutput",
            "os.system",
            "os.popen",
            "os.startfile",
            "asyncio.create_subprocess_exec",
            "asyncio.create_subprocess_shell",
            "asyncio.AbstractEventLoop.subprocess_exec",
            "asyncio.AbstractEventLoop.subprocess_shell",
            "pty.spawn",
            "commands.getoutput",
            "commands.getstatusoutput",
            "_posixsubprocess.fork_exec",
            "posix.system",
            "posix.popen",
            "nt.system",
            "nt.popen",
            "nt.startfile",
            "asyncio.subprocess.create_subprocess_exec",
            "asyncio.subprocess.create_subprocess_shell",
            "pydoc.pipepager",
            "webbrowser.get",
            "imaplib.IMAP4_stream",
            "distutils.spawn.spawn",
            "setuptools._distutils.spawn.spawn",
            "multiprocessing.util.spawnv_passfds",
            # The program multiprocessing starts for each spawned worker.
            "multiprocessing.set_executable",
            "multiprocessing.spawn.set_executable",
            "pipes.Template",
            "pydoc.pager",  # runs $PAGER
        }
    )
    | _RUNS_COMMAND_FAMILIES
)
_REACHES_NETWORK = frozenset(
    {
        "socket.socket",
        "socket.create_connection",
        "socket.create_server",
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib.request.build_opener",
        "urllib.urlopen",
        "urllib.urlretrieve",
        "urllib2.urlopen",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
        "httplib.HTTPConnection",
        "httplib.HTTPSConnection",
        "ftplib.FTP",
        "ftplib.FTP_TLS",
        "smtplib.SMTP",
        "smtplib.SMTP_SSL",
        "telnetlib.Telnet",
        "xmlrpc.client.ServerProxy",
        "asyncio.open_connection",
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.request",
        "aiohttp.ClientSession",
        "aiohttp.request",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyname_ex",
        "asyncio.start_server",
        "ssl.wrap_socket",
        "webbrowser.open",
        "webbrowser.open_new",
        "webbrowser.open_new_tab",
        "socket.getfqdn",
        "socket.gethostbyaddr",
        "_socket.socket",
        "ssl.create_connection",
        "ssl.get_server_certificate",
        "smtplib.LMTP",
        "poplib.POP3",
        "poplib.POP3_SSL",
        "imaplib.IMAP4",
        "imaplib.IMAP4_SSL",
        "nntplib.NNTP",
        "multiprocessing.connection.Client",
        "multiprocessing.connection.Listener",
        "http.server.HTTPServer",
        "http.server.ThreadingHTTPServer",
        "socketserver.TCPServer",
        "socketserver.ThreadingTCPServer",
        "socketserver.UDPServer",
        "socketserver.ThreadingUDPServer",
        "xmlrpc.server.SimpleXMLRPCServer",
        "xmlrpc.server.DocXMLRPCServer",
        "wsgiref.simple_server.make_server",
        "wsgiref.simple_server.WSGIServer",
        "requests.api.request",
        "requests.api.get",
        "requests.api.post",
        "requests.api.put",
        "requests.api.patch",
        "requests.api.delete",
        "requests.api.head",
        "requests.api.options",
        "_socket.getaddrinfo",
        "requests.sessions.Session",
        "urllib3.poolmanager.PoolManager",
        "urllib.request.OpenerDirector",
        "urllib.request.URLopener",
        "urllib.request.FancyURLopener",
        "urllib.robotparser.RobotFileParser",
        "logging.handlers.SysLogHandler",
        "logging.handlers.SocketHandler",
        "logging.handlers.DatagramHandler",
        "logging.handlers.HTTPHandler",
        "logging.handlers.SMTPHandler",
    }
)
# Loads that can run any code the data holds, or native code.
_LOADS_CODE = {
    "marshal.loads": "loads a marshalled code object",
    "pickle.load": "loads a pickle, which can run any code",
    "pickle.loads": "loads a pickle, which can run any code",
    "pickle.Unpickler": "loads a pickle, which can run any code",
    # The C module behind pickle, and pickle's pure-Python twins.
    **dict.fromkeys(
        (
            "_pickle.load",
            "_pickle.loads",
            "_pickle.Unpickler",
            "pickle._Unpickler",
            "pickle._load",
            "pickle._loads",
        ),
        "loads a pickle, which can run any code",
    ),
    **dict.fromkeys(
        ("imp.load_source", "imp.load_module", "imp.load_package"),
        "loads Python code from a file",
    ),
    "imp.load_compiled": "loads bytecode from a file",
    "imp.load_dynamic": "loads a native library",
    "_ctypes.dlopen": "loads a native library",
    "_ctypes.LoadLibrary": "loads a native library",
    "importlib.machinery.ExtensionFileLoader": "loads a native library",
    "ctypes.CDLL": "loads a native library",
    "ctypes.cdll.LoadLibrary": "loads a native library",
    "ctypes.PyDLL": "loads a native library",
    "ctypes.WinDLL": "loads a native library",
    "ctypes.OleDLL": "loads a native library",
    "ctypes.windll.LoadLibrary": "loads a native library",
    "ctypes.oledll.LoadLibrary": "loads a native library",
    "ctypes.pydll.LoadLibrary": "loads a native library",
    "runpy.run_path": "runs a file's Python code",
    "runpy.run_module": "runs a module's Python code",
    "marshal.load": "loads a marshalled code object",
    "importlib.machinery.SourceFileLoader": "loads Python code from a file",
    "importlib.machinery.SourcelessFileLoader": "loads bytecode from a file",
    "importlib.util.spec_from_file_location": "loads Python code from a file",
    "ctypes.LibraryLoader": "loads a native library",
    "cProfile.run": "runs source text",
    "cProfile.runctx": "runs source text",
    "profile.run": "runs source text",
    "profile.runctx": "runs source text",
    "timeit.timeit": "runs source text",
    "timeit.repeat": "runs source text",
    "code.InteractiveInterpreter": "runs source text",
    "code.InteractiveConsole": "runs source text",
    "code.interact": "runs source text",
    # fileConfig evaluates the handlers' class names and arguments; listen applies what a
    # socket sends it.
    "logging.config.fileConfig": "runs code its configuration file names",
    "logging.config.listen": "takes logging configurations from a socket, which run code",
    "site.addsitedir": "runs the .pth files of a folder",
    "site.addpackage": "runs a .pth file",
    "zipimport.zipimporter": "imports code from an archive",
    # An import hook runs on every later import, before the module's own code.
    **{
        f"sys.{hooks}.{method}": "installs an import hook"
        for hooks in ("meta_path", "path_hooks")
        for method in ("append", "insert", "extend")
    },
    # Loads that, like pickle's, build any object the data names.
    "yaml.unsafe_load": "loads YAML that can build any object",
    "yaml.unsafe_load_all": "loads YAML that can build any object",
    "dill.load": "loads a pickle, which can run any code",
    "dill.loads": "loads a pickle, which can run any code",
    "cloudpickle.load": "loads a pickle, which can run any code",
    "cloudpickle.loads": "loads a pickle, which can run any code",
    "jsonpickle.decode": "loads a pickle, which can run any code",
    "shelve.open": "opens a shelf, whose pickles can run any code",
    "pdb.run": "runs source text",
    "pdb.runeval": "runs source text",
    "pdb.runctx": "runs source text",
    # Debugger and tracer twins of pdb.run, and what runs code written in text.
    "bdb.Bdb": "makes a debugger whose run() runs source text",
    "trace.Trace": "makes a tracer whose run() runs source text",
    "doctest.run_docstring_examples": "runs the code in a docstring",
    "doctest.testfile": "runs the code in a text file",
    "distutils.core.run_setup": "runs a setup script",
    "setuptools.sandbox.run_setup": "runs a setup script",
    "multiprocessing.reduction.ForkingPickler.loads": "loads a pickle, which can run any code",
    "pkgutil.get_importer": "makes an importer for a path, which can load its code",
    "types.CodeType": "builds a code object from its parts",
    "pip.main": "installs packages, which runs their code",
    "pip._internal.main": "installs packages, which runs their code",
    **{
        f"ctypes.pythonapi.{function}": "runs Python code through the interpreter's C API"
        for function in (
            "PyRun_SimpleString",
            "PyRun_SimpleStringFlags",
            "PyRun_String",
            "PyRun_StringFlags",
            "PyRun_SimpleFile",
            "PyRun_File",
            "Py_CompileString",
            "PyEval_EvalCode",
            "PyImport_ExecCodeModule",
        )
    },
}
# Each item or attribute of these is a library they load (``ctypes.cdll["./x.so"]``,
# ``ctypes.cdll.libc``), of the class named.
_LIBRARY_LOADERS = {
    "ctypes.cdll": "ctypes.CDLL",
    "ctypes.windll": "ctypes.WinDLL",
    "ctypes.oledll": "ctypes.OleDLL",
    "ctypes.pydll": "ctypes.PyDLL",
}
_NETWORK_MODULES = {
    "requests": {"get", "post", "put", "patch", "delete", "head", "options", "request"},
    "httpx": {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"},
}
_NETWORK_CLIENTS = frozenset(
    {"requests.Session", "requests.session", "httpx.Client", "httpx.AsyncClient"}
)
_RUNS_SOURCE = frozenset({"exec", "eval", "compile"})
# Risky by what they are given: PyYAML's load with a loader that builds any object.
_UNSAFE_YAML_LOADERS = frozenset(
    f"yaml.{name}" for name in ("Loader", "UnsafeLoader", "CLoader", "CUnsafeLoader")
)
_YAML_LOADS = frozenset({"yaml.load", "yaml.load_all"})
_RISKY_NAMES = (
    _RUNS_COMMAND
    | _REACHES_NETWORK
    | _NETWORK_CLIENTS
    | {f"{module}.{name}" for module, names in _NETWORK_MODULES.items() for name in names}
    | _LOADS_CODE.keys()
    | _YAML_LOADS
)


def _star_names(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """What ``from os import *`` binds that the check looks for, by module."""
    found: dict[str, set[str]] = {}
    for name in names:
        module, _dot, final = name.rpartition(".")
        found.setdefault(module, set()).add(final)
    return {module: frozenset(finals) for module, finals in found.items()}


_STAR_NAMES = _star_names(_RISKY_NAMES)
# A function looked up in one of these by a name built at run time may be any of its
# risky ones (``getattr(os, "metsys"[::-1])``).
_RISKY_MODULES = frozenset(name.rpartition(".")[0] for name in _RISKY_NAMES) | {
    "builtins",
    GLOBALS,
}
_LOOKED_UP_AT_RUN_TIME = "looked up by a name built at run time"
# Parsing is the cost of this kind: a file that can hold no risky call is not parsed.
_SCANNER = CallScanner(
    names=_RISKY_NAMES | _LIBRARY_LOADERS.keys() | {f"builtins.{name}" for name in _RUNS_SOURCE},
    builtins=_RUNS_SOURCE,
    methods=LOOP_METHODS,
)
_DECODERS = frozenset(
    {
        "base64.b64decode",
        "base64.b32decode",
        "base64.b16decode",
        "base64.b85decode",
        "base64.a85decode",
        "base64.decodebytes",
        "base64.decodestring",
        "base64.urlsafe_b64decode",
        "binascii.a2b_base64",
        "binascii.unhexlify",
        "codecs.decode",
        "zlib.decompress",
        "bz2.decompress",
        "lzma.decompress",
        "gzip.decompress",
        "marshal.loads",
        "bytes.fromhex",
    }
)


def _exec(old: Archive, new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """Calls on added lines of shipped ``.py`` files that run code or reach the network."""
    paths = frozenset(member.path for member in new.members)
    wheel = new.facts.kind == "wheel"
    code_role = _code_roles(new, files)
    modules = ReleaseModules(new, _is_risky_name, _module_wrappers)
    yield from _factories_in_configuration(old, new, files)
    yield from _zips_on_the_path(new, files)
    for change in _arrivals(files, code_role):
        assert change.new is not None
        role = code_role(change.path)
        if role == "bytecode":
            # In a wheel it is installed as it is; an sdist's build makes its own.
            sourceless = change.path.removesuffix("c") not in paths
            if wheel and sourceless and is_shipped_code(change.path):
                detail = "bytecode without its source: Python imports it, it is not checked"
                yield Notable("exec", change.path, detail)
            continue
        if role == "cached bytecode":
            if wheel and is_shipped_code(change.path):
                yield Notable("exec", change.path, _CACHED_BYTECODE)
            continue
        data = new.content(change.new)
        if data is None:
            yield Notable("exec", change.path, "not checked: over the per-file size limit")
            continue
        if role == "script" and not _is_python_script(data):
            continue
        if role == "executed data" and _parsed(data) is None:
            continue  # not Python: the name was spelled for something else
        before = _side(old, change.old)
        called = _called_on_added_lines(before, data)
        borrowed = modules.borrowed(change.path, data, called.__contains__)
        imported = functools.partial(modules.imported_from, change.path)
        yield from _exec_in_file(change.path, before, data, borrowed, imported, called)


# A plain name called: ``run(`` (not ``x.run(``).
_CALLED_NAME = re.compile(rb"(?<![\w.])([A-Za-z_]\w*)[ \t]*\(")


def _called_on_added_lines(before: bytes, after: bytes) -> frozenset[str]:
    """The plain names that lines of ``after`` which ``before`` lacks call, by their text."""
    old_lines = set(before.splitlines())
    added = b"\n".join(line for line in after.splitlines() if line not in old_lines)
    return frozenset(name.decode("ascii") for name in _CALLED_NAME.findall(added))


_ZIPPED_MODULES = (".zip", ".egg", ".pyz", ".whl")


def _zips_on_the_path(new: Archive, files: Sequence[FileChange]) -> Iterator[Notable]:
    """A zip the package ships changed, where a module that touches ``sys.path``
    names it (``sys.path.insert(0, os.path.join(here, "_vendor.zip"))``): Python imports
    from it, and what it holds is not read here."""
    changed = {
        _base_name(change.path).encode(): change.path
        for change in files
        if change.new is not None
        and change.path.endswith(_ZIPPED_MODULES)
        and is_shipped_code(change.path)
        and (change.old is None or change.old.sha256 != change.new.sha256)
    }
    if not changed:
        return
    named: set[bytes] = set()
    for member in new.members:
        if member.kind != MemberKind.FILE or not member.path.endswith((".py", ".pyw")):
            continue  # a .pth's path lines are the pth kind's
        data = new.content(member)
        if data and b"sys.path" in data:
            named.update(name for name in changed if name in data)
    for name in sorted(named):
        detail = "zip of modules on sys.path changed: Python imports from it, not checked"
        yield Notable("exec", changed[name], detail)


# Configuration files a package may hand to ``logging.config.dictConfig`` (after
# ``json.load`` or ``yaml.safe_load``): a factory there is imported and called.
_CONFIGURATION_SUFFIXES = (".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf")
_FACTORY_IN_TEXT = re.compile(
    rb"""["']?(?:\(\)|class)["']?\s*[:=]\s*["']?(?:ext://)?([A-Za-z_][\w.]*\.\w+)"""
)


def _factories_in_configuration(
    old: Archive, new: Archive, files: Sequence[FileChange]
) -> Iterator[Notable]:
    """A logging factory or handler class (``"()": "os.system"``) naming a risky function,
    new in a configuration file the package ships (an unchanged ``dictConfig(json.load(f))``
    calls it)."""
    for change in files:
        member = change.new
        if member is None or member.kind != MemberKind.FILE:
            continue
        if not member.path.endswith(_CONFIGURATION_SUFFIXES) or not is_shipped_code(member.path):
            continue
        if change.old is not None and change.old.sha256 == member.sha256:
            continue
        after = _side(new, member)
        if not _FACTORY_KEY_WORDS.search(after):
            continue
        before = Counter(_FACTORY_IN_TEXT.findall(_side(old, change.old)))
        for name, count in sorted(Counter(_FACTORY_IN_TEXT.findall(after)).items()):
            what = _risk_of_factory(name.decode("ascii", "replace"))
            if what is not None and count > before[name]:
                detail = f"{_builtin_named(name.decode())}() {what}, in a configuration file"
                yield Notable("exec", member.path, detail)


_FACTORY_KEY_WORDS = re.compile(rb"\(\)|\bclass\b")


def _is_risky_name(name: str) -> bool:
    return name in _RUNS_SOURCE or _risk_of_name(name) is not None


def _code_roles(new: Archive, files: Sequence[FileChange]) -> Callable[[str], str | None]:
    """:func:`_code_role`, with the skipped files that NEW's shipped code imports as code."""
    skipped = [
        change.new.path
        for change in files
        if change.new is not None
        and change.new.path.endswith((".py", ".pyw"))
        and _code_role(change.new.path) is None
    ]
    imported = imported_unshipped(new, skipped) if skipped else frozenset()
    if skipped:
        imported |= named_unshipped(skipped, _entry_point_modules(new))
        imported |= _autoloaded(new, skipped)
    executed = _executed_data(new, files)

    def role(path: str) -> str | None:
        if path in executed:
            return "executed data"
        return "code" if path in imported else _code_role(path)

    return role


# A package that imports every module in its folder (a plugin autoloader):
# ``for m in pkgutil.iter_modules(__path__): import_module(f"{__name__}.{m.name}")``.
_LISTS_MODULES = re.compile(rb"\b(?:iter_modules|walk_packages)\s*\(")
_IMPORTS_BY_A_NAME = re.compile(rb"\b(?:import_module|__import__)\s*\(")


def _autoloaded(new: Archive, skipped: Sequence[str]) -> frozenset[str]:
    """The skipped modules (named like tests) directly in a folder whose shipped
    ``__init__.py`` lists its modules and imports them by name."""
    folders = {path.rpartition("/")[0] for path in skipped}
    loading = set()
    for member in new.members:
        folder, _slash, name = member.path.rpartition("/")
        if name != "__init__.py" or folder not in folders or member.kind != MemberKind.FILE:
            continue
        if not is_shipped_code(member.path):
            continue  # a test suite's own loader (tests/__init__.py)
        data = new.content(member) or b""
        if _LISTS_MODULES.search(data) and _IMPORTS_BY_A_NAME.search(data):
            loading.add(folder)
    return frozenset(path for path in skipped if path.rpartition("/")[0] in loading)


# What runs a file's text as Python: exec(open(...).read()), runpy.run_path.
# Two patterns, each starting with its fixed text, which the search skips to: one
# alternation is tried at every byte.
_EXECUTES_TEXT = (re.compile(rb"exec[ \t]*\("), re.compile(rb"run_path[ \t]*\("))
# A quoted file name with a suffix, as such a module names the file it runs.
_QUOTED_FILE_NAME = re.compile(rb"""["']([\w.-]+\.\w+)["']""")


def _executed_data(new: Archive, files: Sequence[FileChange]) -> frozenset[str]:
    """Changed files other than modules whose name, quoted, a shipped module that runs
    text as Python spells (``exec(open(os.path.join(here, "_defaults.cfg")).read())``):
    read as code."""
    candidates = {
        change.new.path: _base_name(change.new.path).encode()
        for change in files
        if change.new is not None
        and change.new.kind == MemberKind.FILE
        and (change.old is None or change.old.sha256 != change.new.sha256)
        and _code_role(change.new.path) is None
        and not change.new.path.endswith((".py", ".pyw"))
        and is_shipped_code(change.new.path)
    }
    if not candidates:
        return frozenset()
    named: set[bytes] = set()
    for member in new.members:
        if member.kind != MemberKind.FILE or not member.path.endswith((".py", ".pyw")):
            continue
        data = new.content(member)
        if not data or (b"exec" not in data and b"run_path" not in data):
            continue  # the cheaper tests first
        if not is_shipped_code(member.path):
            continue
        if any(pattern.search(data) for pattern in _EXECUTES_TEXT):
            named.update(_QUOTED_FILE_NAME.findall(data))
    return frozenset(path for path, name in candidates.items() if name in named)


# Installers that do not compile (pip --no-compile, uv by default) leave a wheel's
# __pycache__ in place, and an unchecked-hash .pyc there is imported whatever the source.
_CACHED_BYTECODE = (
    "bytecode in __pycache__: an install that does not compile may import it in place of "
    "its source; it is not checked"
)


def _code_role(path: str) -> str | None:
    if _script_role(path):
        return "script"  # a Python one is checked as code: it is installed on PATH
    if path.endswith(".pyc"):
        return "cached bytecode" if "__pycache__" in path.split("/") else "bytecode"
    return "code" if path.endswith((".py", ".pyw")) and is_shipped_code(path) else None


def _is_python_script(data: bytes) -> bool:
    first = data[:200].split(b"\n", 1)[0]
    return first.startswith(b"#!") and b"python" in first


# The largest source the exec check parses, as the API comparison (api_modules).
_MAX_PARSED = 1 << 20


def _exec_in_file(
    path: str,
    before: bytes,
    after: bytes,
    borrowed: Mapping[str, Borrowed] | None = None,
    imported: Callable[[str], bool] | None = None,
    called: frozenset[str] | None = None,
) -> Iterator[Notable]:
    """``borrowed``: names the file imports from the release's modules, by the risky
    function each stands for (see :mod:`.borrowed`); ``imported``: whether another
    module of the release imports a name from this one; ``called``: the plain names its
    added lines call (:func:`_called_on_added_lines`)."""
    decoded = _deceptively_encoded(after)
    if decoded is not None:
        encoding, text = decoded
        detail = f"source encoding {encoding}: Python runs other text than the file shows"
        yield Notable("exec", path, _short(detail))
        scanned = text.encode("utf-8", "surrogatepass")
    else:
        scanned = after
    if not borrowed and not _may_call_risky(scanned):  # the cheaper test first
        return
    old_tree, old_walked, old_lines = _read_before(before)
    new_lines = _source_lines(after)
    added = _added_lines(new_lines, old_lines)
    # Lines only taken away can still make a call run at import (its ``def`` removed).
    if not added and not old_lines - Counter(line.strip() for line in new_lines):
        return
    if len(after) > _MAX_PARSED:
        # A parse costs some 300 times the text in memory: 4 MiB of calls took 1.4 GB.
        yield Notable("exec", path, f"not checked: over the {_MAX_PARSED >> 20} MiB it parses")
        return
    try:
        tree = ast.parse(after, filename=path)
    except SyntaxError as error:
        where = f", line {error.lineno}" if error.lineno else ""
        yield Notable("exec", path, f"not checked: does not parse ({_short(error.msg)}{where})")
        return
    except (ValueError, RecursionError, MemoryError):
        yield Notable("exec", path, "not checked: does not parse")
        return
    if called is None:
        called = _called_on_added_lines(before, after)
    new = _Parsed(tree, scanned, added)
    yield from _exec_findings(path, new, (old_tree, old_walked), borrowed, imported, called)


@dataclasses.dataclass(frozen=True, slots=True)
class _Parsed:
    """NEW's side of a changed file, parsed: its tree, its text as Python reads it, the
    numbers of its added lines."""

    tree: ast.Module
    text: bytes
    added: Sequence[int]


def _exec_findings(
    path: str,
    new: _Parsed,
    old: tuple[ast.Module | None, _Walked],
    borrowed: Mapping[str, Borrowed] | None,
    imported: Callable[[str], bool] | None,
    called: frozenset[str],
) -> Iterator[Notable]:
    """The exec entries of a changed file (see :func:`_exec_in_file`)."""
    (tree, added), (old_tree, old_walked) = (new.tree, new.added), old
    found: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
    names = CallNames(tree, _STAR_NAMES)
    imported_as = dict(names.imports)
    functions = {local: name.function for local, name in (borrowed or {}).items()}
    names.imports.update(functions)
    wrappers = _count_wrappers_as_wrapped(tree, names, called)
    wrappers |= {local for local, name in (borrowed or {}).items() if name.through}

    @functools.cache
    def old_names() -> CallNames | None:
        if old_tree is None:
            return None
        resolver = CallNames(old_tree, _STAR_NAMES)
        for local, name in functions.items():
            # The same import before stood for the same function: its calls count alike.
            if resolver.imports.get(local) == imported_as.get(local):
                resolver.imports[local] = name
        _count_wrappers_as_wrapped(old_tree, resolver, called)
        return resolver

    implicit = _implicit_kinds(new.text)
    versions = _Versions(
        old_tree, old_names, tree, names, added, implicit, imported, frozenset(wrappers)
    )
    for name, what, line in _uncalled(versions):
        found[name, what].append(line)
    given = _risky_calls_found(versions, old_walked, found)
    for name, what, target, line in _risky_bindings(versions):
        given[name, what, f", bound to the name {target}"].append(line)
    for (name, what), lines in sorted(found.items()):
        yield Notable("exec", path, f"{name}() {what} ({_line_list(sorted(set(lines)))})")
    for (name, what, why), lines in sorted(given.items()):
        if name not in {found_name for found_name, _what in found}:
            detail = f"{name}() {what} ({_line_list(sorted(set(lines)))}){why}"
            yield Notable("exec", path, _short(detail))


def _module_wrappers(data: bytes) -> dict[str, str]:
    """:func:`risky_wrappers` of another module's text, for :mod:`.borrowed`."""
    if not _may_call_risky(data):
        return {}
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    return risky_wrappers(tree, CallNames(tree, _STAR_NAMES))


def _count_wrappers_as_wrapped(
    tree: ast.Module, names: CallNames, called: Collection[str]
) -> set[str]:
    """A call of one of the module's wrappers that added lines call counts as a call of
    what it wraps; their names (those no import shadows)."""
    counted = set()
    for name, wrapped in risky_wrappers(tree, names, called).items():
        if name not in names.imports:
            names.imports[name] = wrapped
            counted.add(name)
    return counted


def risky_wrappers(
    tree: ast.Module, names: CallNames, only: Collection[str] | None = None
) -> dict[str, str]:
    """The module-level functions (of the names ``only`` holds) that hand a parameter on
    to a risky call, by name, with the risky function each wraps: ``def run(cmd): return
    os.system(cmd)`` makes an added ``run("id")`` a command run."""
    wrappers: dict[str, str] = {}
    for statement in tree.body:
        if not isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if only is not None and statement.name not in only:
            continue
        parameters = set(_parameters(statement.args)) - {"self", "cls"}
        if not parameters:
            continue
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call) or not _given_one_of(node, parameters):
                continue
            name = names.called(node)
            if name is not None and _risk_of(node, name, names) is not None:
                wrappers[statement.name] = name
                break
    return wrappers


def _given_one_of(call: ast.Call, parameters: Set[str]) -> bool:
    """Whether a call's command or target (its positional arguments, the keywords that
    choose) uses one of ``parameters``."""
    chosen = [k.value for k in call.keywords if k.arg is None or k.arg in _CHOOSING_KEYWORDS]
    return any(
        isinstance(part, ast.Name) and part.id in parameters
        for argument in (*call.args, *chosen)
        for part in ast.walk(argument)
    )


def _risky_bindings(versions: _Versions) -> Iterator[tuple[str, str, str, int]]:
    """(name, what it does, the module's name for it, line) for a risky function bound
    to a module-level name on an added line, which OLD did not bind to it, and which
    another module of the release imports: it may call it (``run = os.system`` over
    ``run = shlex.split`` in ``_compat.py``, ``from ._compat import run`` unchanged)."""
    added, imported = versions.added, versions.imported
    if imported is None:
        return
    fresh = [
        binding
        for binding in _module_bindings(versions.tree, versions.names)
        if _on_added_lines(binding[2], added) and _risk_of_reference(binding[1]) is not None
    ]
    if not fresh:
        return
    old = versions.old()
    before = (
        set()
        if old is None
        else {(target, name) for target, name, _node in _module_bindings(old[0], old[1])}
    )
    # What the module calls itself is judged by its calls (``e = eval``, ``e("1 + 1")``).
    called = {
        node.func.id
        for node in ast.walk(versions.tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    for target, name, node in fresh:
        what = _risk_of_reference(name)
        # ``imported`` the last: the first time it is asked, it reads every module.
        if what and (target, name) not in before and target not in called and imported(target):
            yield name, what, target, node.lineno


_NAMING_VALUES = (ast.Name, ast.Attribute, ast.Call, ast.Subscript)


def _module_bindings(tree: ast.Module, names: CallNames) -> Iterator[tuple[str, str, ast.stmt]]:
    """(name, the dotted name its value stands for, the statement) of the module's plain
    ``name = value`` statements, in its blocks (``if``, ``try``) too."""
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        statement = statements.pop()
        if isinstance(statement, ast.If | ast.Try | ast.TryStar | ast.With):
            for block in ("body", "orelse", "handlers", "finalbody"):
                for part in getattr(statement, block, ()):
                    statements.extend(part.body if isinstance(part, ast.ExceptHandler) else [part])
            continue
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign):
            targets, value = [statement.target], statement.value
        else:
            continue
        if not isinstance(value, _NAMING_VALUES) or (name := names.callee(value)) is None:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id, name, statement


def _risky_calls_found(
    versions: _Versions, old_walked: _Walked, found: defaultdict[tuple[str, str], list[int]]
) -> defaultdict[tuple[str, str, str], list[int]]:
    """Adds to ``found`` the lines of risky calls NEW makes more often than OLD; returns
    those of unchanged calls given a name bound anew, by the name."""
    walked = _walked(versions.tree, versions.added)
    risky = list(_risky_calls(walked, versions.added, versions.names))
    given: defaultdict[tuple[str, str, str], list[int]] = defaultdict(list)
    if not risky:
        return given
    wanted = {name for _call, _scope, name, _what, _arg in risky}
    old_calls = _call_signatures(versions.old_names(), old_walked.calls, wanted)
    new_calls = _call_signatures(versions.names, walked.calls, wanted)
    for call, scope, name, what, changed_argument in risky:
        callee = call.func.id if isinstance(call.func, ast.Name) else None
        if changed_argument is not None:
            # What a wrapper is given was chosen for what it does (attrs' code generation
            # through _compile_and_eval): only a new call of one counts.
            if callee not in versions.wrappers:
                given[name, what, f", given {changed_argument}"].append(call.lineno)
            continue
        # As many such calls as before: an old one of which only what does not choose
        # the command or the target was edited (``universal_newlines=True`` ->
        # ``text=True``), or in which a parameter was renamed, is not new.
        signature = (name, _arguments(call, scope), scope.at_import)
        more = new_calls[signature] > old_calls[signature]
        if more and not scope.at_import:
            # Moved from import time into a function runs it less, not anew.
            anywhere = signature[:2]
            more = _either_way(new_calls, anywhere) > _either_way(old_calls, anywhere)
        if more:
            through = f" through {callee}()" if callee in versions.wrappers else ""
            found[name, what + through].append(call.lineno)
    return given


def _either_way(calls: Counter[tuple[str, str, bool]], call: tuple[str, str]) -> int:
    """How many calls of a name with these arguments, at import or not."""
    return calls[(*call, True)] + calls[(*call, False)]


def _parsed(data: bytes) -> ast.Module | None:
    if len(data) > _MAX_PARSED:
        return None  # as if no call was there before: each call in NEW counts
    try:
        return ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _call_signatures(
    names: CallNames | None,
    calls: Sequence[tuple[ast.Call, _Scope]],
    wanted: Collection[str],
) -> Counter[tuple[str, str, bool]]:
    """How many calls of each (callee's dotted name, arguments, whether it runs at
    import) the file makes, of the callees ``wanted``."""
    signatures: Counter[tuple[str, str, bool]] = Counter()
    if names is None:
        return signatures
    for node, scope in calls:
        name = names.called(node)
        if name is not None and name in wanted:
            signatures[name, _arguments(node, scope), scope.at_import] += 1
    return signatures


@dataclasses.dataclass(slots=True)
class _Scope:
    """A function's (or the module's) parameters, each by its place, and the names its
    statements on added lines bind, each with the first such line."""

    params: dict[str, str] = dataclasses.field(default_factory=dict)
    rebound: dict[str, int] = dataclasses.field(default_factory=dict)
    outer: _Scope | None = None
    # Whether its calls run when the module is imported: the module's own do (its class
    # bodies' too), a function's and those under ``if __name__ == "__main__":`` do not.
    at_import: bool = True

    def rebound_at(self, name: str) -> int | None:
        """The added line binding ``name`` as this scope sees it, if one does."""
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.rebound:
                return scope.rebound[name]
            if name in scope.params:
                return None  # a parameter: what a caller passes
            scope = scope.outer
        return None


@dataclasses.dataclass(slots=True)
class _Walked:
    """What one walk of a tree finds: its calls with the scope of each, the lines inside
    its strings that span lines."""

    calls: list[tuple[ast.Call, _Scope]] = dataclasses.field(default_factory=list)
    in_strings: set[int] = dataclasses.field(default_factory=set)


_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_BINDING_NODES = (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)
_IMPORT_NODES = (ast.Import, ast.ImportFrom)
_BINDINGS = _BINDING_NODES + _IMPORT_NODES


def _walked(tree: ast.Module | None, added: Sequence[int] = ()) -> _Walked:
    """With ``added``, each scope's names bound on added lines are noted too."""
    walked = _Walked()
    stack: list[tuple[ast.AST, _Scope]] = [] if tree is None else [(tree, _Scope())]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, ast.If) and scope.outer is None and _is_main_guard(node.test):
            guarded = _Scope(outer=scope, at_import=False)
            stack.extend((statement, guarded) for statement in node.body)
            stack.extend((part, scope) for part in (node.test, *node.orelse))
            continue
        if isinstance(node, _FUNCTION_NODES):
            inner = _Scope(_parameters(node.args), outer=scope, at_import=False)
            body = node.body if isinstance(node.body, list) else [node.body]
            stack.extend((statement, inner) for statement in body)
            # Defaults, annotations and decorators are evaluated where the def is.
            outside = [node.args, *getattr(node, "decorator_list", ())]
            stack.extend((part, scope) for part in outside)
            returns = getattr(node, "returns", None)
            if returns is not None:
                stack.append((returns, scope))
            continue
        if added and isinstance(node, _BINDINGS) and _on_added_lines(node, added):
            for name in _bound_names(node):
                scope.rebound.setdefault(name, node.lineno)
        if isinstance(node, ast.Call):
            walked.calls.append((node, scope))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
            end = node.end_lineno or node.lineno
            if end > node.lineno:
                walked.in_strings.update(range(node.lineno, end + 1))
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                stack.extend([(item, scope) for item in value if isinstance(item, ast.AST)])
            elif isinstance(value, ast.AST) and not isinstance(value, _CONTEXTS):
                stack.append((value, scope))
    return walked


# ``Load``, ``Store``, ``Del``: in every name, holding nothing (ast.iter_child_nodes
# gives them too: a third of the nodes walked).
_CONTEXTS = (ast.expr_context,)


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round."""
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = (test.left, test.comparators[0])
    named = any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides)
    return named and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


def _parameters(arguments: ast.arguments) -> dict[str, str]:
    """Each parameter's name → its place (``0``, ``*``, ``**``, a keyword's own name)."""
    places = {a.arg: str(i) for i, a in enumerate([*arguments.posonlyargs, *arguments.args])}
    places.update({a.arg: f"kw {a.arg}" for a in arguments.kwonlyargs})
    if arguments.vararg is not None:
        places[arguments.vararg.arg] = "*"
    if arguments.kwarg is not None:
        places[arguments.kwarg.arg] = "**"
    return places


def _bound_names(node: ast.AST) -> Iterator[str]:
    if isinstance(node, _IMPORT_NODES):
        for alias in node.names:
            yield alias.asname or alias.name.split(".")[0]
        return
    targets: list[ast.expr]
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
        targets = [node.target]
    else:
        return
    for target in targets:
        for part in ast.walk(target):
            if isinstance(part, ast.Name):
                yield part.id


# The keyword arguments of a risky call that choose its command, its code or its target
# (or that may: ``**options``); others (``text=True``, ``timeout=5``) do not.
_CHOOSING_KEYWORDS = frozenset(
    {"args", "shell", "executable", "preexec_fn", "env", "cmd", "command", "argv", "file"}
    | {"url", "fullurl", "host", "address", "data", "source", "code", "object", "name"}
    | {"path", "filename", "target", "module", "mod_name", "path_name", "run_name"}
)
_PARAMETER_NAME = re.compile(r"Name\(id='(\w+)'")
# The names risky functions give their first parameter (subprocess's ``args``, os.system's
# ``command``, urlopen's ``url``), as a call may pass it.
_FIRST_PARAMETERS = frozenset({"args", "command", "cmd", "url", "fullurl"})


def _arguments(call: ast.Call, scope: _Scope | None = None) -> str:
    """A call's positional arguments and the keywords that choose what it does, with the
    names of the parameters of the function it is in spelled as their places."""
    positional = list(call.args)
    keywords = call.keywords
    first = next((k for k in keywords if k.arg in _FIRST_PARAMETERS), None)
    if not positional and first is not None:
        # ``run(args=cmd)`` is ``run(cmd)``: the command's first parameter, by name.
        positional, keywords = [first.value], [k for k in keywords if k is not first]
    chosen = [
        ast.Tuple(elts=[ast.Constant(keyword.arg), keyword.value], ctx=ast.Load())
        for keyword in keywords
        if keyword.arg is None or keyword.arg in _CHOOSING_KEYWORDS
    ]
    text = ast.dump(ast.Tuple(elts=[*positional, *chosen], ctx=ast.Load()))
    params = scope.params if scope is not None else {}
    if not params:
        return text

    def place(match: re.Match[str]) -> str:
        name = match[1]
        return f"Name(id='<parameter {params[name]}>'" if name in params else match[0]

    return _PARAMETER_NAME.sub(place, text)


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _may_call_risky(data: bytes) -> bool:
    """A cheap first look at the text (see callscan.py): no wrong no, few wrong yeses.

    Each pattern is tried only where a plain search finds the words it needs: a pattern
    with no fixed text to start from is tried at every byte (on Django's changed modules
    the two below took a quarter of this look)."""
    return (
        _SCANNER.may_call(data)
        or (_spells_any(data, _FACTORY_KEY_WORDS_QUOTED) and _FACTORY_KEY.search(data) is not None)
        or (_spells_any(data, _IMPORT_HOOK_WORDS) and _IMPORT_HOOKS.search(data) is not None)
        or _RUNNING_VARIABLE_WORDS.search(data) is not None
        or b"__globals__" in data
    )


def _spells_any(data: bytes, words: tuple[bytes, ...]) -> bool:
    return any(word in data for word in words)


# A logging configuration's factory (``"()"``) or handler class, named by a string that
# needs no import in sight: ``dictConfig`` imports it and calls it with the other keys.
_FACTORY_KEYS = ("()", "class")
_FACTORY_KEY = re.compile(
    rb"""["'](?:"""
    + b"|".join(re.escape(key).encode() for key in _FACTORY_KEYS)
    + rb""")["']\s*:\s*[rRuU]?["'](?:ext://)?[\w.]+\.\w"""
)
# What every match of _FACTORY_KEY holds: a key and its closing quote.
_FACTORY_KEY_WORDS_QUOTED = tuple(
    key.encode() + quote for key in _FACTORY_KEYS for quote in (b'"', b"'")
)


def _on_added_lines(node: ast.AST, added: Sequence[int]) -> bool:
    lineno: int = getattr(node, "lineno", 0)
    start = bisect.bisect_left(added, lineno)
    return start < len(added) and added[start] <= (getattr(node, "end_lineno", None) or lineno)


def _read_before(data: bytes) -> tuple[ast.Module | None, _Walked, Counter[str]]:
    """The old file's tree, what a walk of it finds, and how often it has each line,
    stripped, but those inside a string that spans lines: a docstring's example
    ``os.system(cmd)`` is no evidence the call was there."""
    lines = _source_lines(data)
    tree = _parsed(data) if data else None
    walked = _walked(tree)
    code = Counter(
        line.strip()
        for number, line in enumerate(lines, start=1)
        if number not in walked.in_strings
    )
    return tree, walked, code


def _added_lines(lines: Sequence[str], old_lines: Counter[str]) -> list[int]:
    """The numbers of the lines whose text, spaces aside, the new file has more often
    than the old one: each line of a text that is new, and each copy of a text that is
    repeated (an old call's lines, ``subprocess.run(`` / ``cmd,`` / ``)``, copied to
    module level). Which copy is the new one cannot be told: the call counts then tell
    whether a call is."""
    stripped = [line.strip() for line in lines]
    counts = Counter(stripped)
    return [
        number
        for number, text in enumerate(stripped, start=1)
        if text and counts[text] > old_lines[text]
    ]


def _deceptively_encoded(data: bytes) -> tuple[str, str] | None:
    """The declared encoding and the text Python reads, when that text differs from what
    the bytes show in their ASCII part (``# coding: unicode_escape`` turns ``\\u000a`` into
    a line end, UTF-7 ``+AAo-`` too): the scan reads the text Python reads."""
    # Python takes a cookie on the first or second line however long the first is.
    if b"coding" not in b"\n".join(data.split(b"\n", 2)[:2]):
        return None
    try:
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding in ("utf-8", "utf-8-sig"):
            return None
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None  # Python cannot read it either: it does not parse
    shown = data.decode("latin-1")
    if [c for c in text if c < "\x80"] == [c for c in shown if c < "\x80"]:
        return None
    return encoding, text


def _source_lines(data: bytes) -> list[str]:
    """Lines as Python numbers them (it reads CR, LF and CRLF as line ends)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        text = data.decode(encoding, "replace")
    except LookupError:
        text = data.decode("utf-8", "replace")
    return re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))


def _line_list(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:_LINES_SHOWN])
    more = ", …" if len(lines) > _LINES_SHOWN else ""
    return f"line{'s' if len(lines) > 1 else ''} {shown}{more}"


def _risky_calls(
    walked: _Walked, added: Sequence[int], names: CallNames
) -> Iterator[tuple[ast.Call, _Scope, str, str, str | None]]:
    """(call, its scope, the callee's dotted name, what it does, the changed argument)
    for each call worth a look: one on an added line (its callee, or an argument that
    chooses its command or target: an old call of which only other keywords were edited
    is not new), one whose callee's name is bound anew (``run = os.system`` over
    ``run = shlex.split``, the ``run(cmd)`` untouched), and one given a name bound on an
    added line (``CMD = [...]`` edited, ``subprocess.run(CMD)`` untouched), with that
    name."""
    for node, scope in sorted(walked.calls, key=lambda pair: (pair[0].lineno, pair[0].col_offset)):
        chosen = [k.value for k in node.keywords if k.arg is None or k.arg in _CHOOSING_KEYWORDS]
        changed_argument = None
        if not any(_on_added_lines(part, added) for part in (node.func, *node.args, *chosen)):
            root = _root_name(node.func)
            if root is None or scope.rebound_at(root) is None:
                changed_argument = _rebound_argument([*node.args, *chosen], scope)
                # A call at import is looked at however it got there (moved out of a
                # function, its ``__main__`` guard edited away): the counts tell.
                if changed_argument is None and not scope.at_import:
                    continue
        name = names.called(node)
        what = _risk_of(node, name, names) if name is not None else None
        if name is not None and what is not None:
            yield node, scope, name, what, changed_argument


def _rebound_argument(arguments: Sequence[ast.expr], scope: _Scope) -> str | None:
    """``NAME, changed on line N`` for the first name in ``arguments`` bound on an added
    line."""
    for argument in arguments:
        for part in ast.walk(argument):
            if isinstance(part, ast.Name) and (line := scope.rebound_at(part.id)) is not None:
                return f"{part.id}, changed on line {line}"
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class _Versions:
    """A changed file's trees: OLD's, whose names are resolved when first asked for, and
    NEW's, with the numbers of its added lines."""

    old_tree: ast.Module | None
    old_names: Callable[[], CallNames | None]
    tree: ast.Module
    names: CallNames
    added: Sequence[int]
    # What implicit loads NEW's text can hold (_implicit_kinds).
    implicit: frozenset[str] = frozenset()
    # Whether another module of the release imports a name from this one.
    imported: Callable[[str], bool] | None = None
    # The names that stand for a risky function they wrap (see risky_wrappers).
    wrappers: frozenset[str] = frozenset()

    def old(self) -> tuple[ast.Module, CallNames] | None:
        resolver = self.old_names()
        return None if self.old_tree is None or resolver is None else (self.old_tree, resolver)


def _uncalled(versions: _Versions) -> Iterator[tuple[str, str, int]]:
    """What added lines run or load with no call of it: handed on, or implicitly."""
    yield from _risky_references(versions)
    yield from _implicit_loads(versions)


def _risky_references(versions: _Versions) -> Iterator[tuple[str, str, int]]:
    """(name, what it does, line) for risky functions handed on uncalled on added lines
    (``Thread(target=os.system, ...)``, ``atexit.register(subprocess.run, cmd)``), where
    NEW hands each on, with the same positional arguments beside it, more often than OLD."""
    tree, names, added = versions.tree, versions.names, versions.added

    def within(node: ast.AST) -> bool:
        return not hasattr(node, "lineno") or _on_added_lines(node, added)

    fresh = [
        (node, name, what, handed_to)
        for node, name, handed_to in names.references(tree, within)
        if _on_added_lines(node, added) and (what := _risk_of_reference(name))
    ]
    if not fresh:
        return
    before: Counter[tuple[str, str]] = Counter()
    old = versions.old()
    if old is not None:
        before.update(_handed_on(old[1], old[0]))
    after = Counter(_handed_on(names, tree))
    for node, name, what, handed_to in fresh:
        signature = (name, _arguments(handed_to) if handed_to else "")
        if after[signature] > before[signature]:
            yield name, what, getattr(node, "lineno", 0)


def _implicit_loads(versions: _Versions) -> Iterator[tuple[str, str, int]]:
    """(name, what it does, line) for code run with no call in sight, on added lines, more
    often than OLD: a library taken from a ``ctypes`` loader, a logging configuration's
    ``"()"`` factory named by a string (``dictConfig`` imports and calls it)."""
    kinds = versions.implicit
    if not kinds:
        return
    found_new = list(_implicit_in(versions.tree, versions.names, kinds))
    fresh = [(node, found) for node, found in found_new if _on_added_lines(node, versions.added)]
    if not fresh:
        return
    before: Counter[tuple[str, str, str]] = Counter()
    old = versions.old()
    if old is not None:
        before.update(found for _node, found in _implicit_in(*old, kinds))
    after = Counter(found for _node, found in found_new)
    for node, found in fresh:
        if after[found] > before[found]:
            yield found[0], found[1], getattr(node, "lineno", 0)


def _implicit_kinds(text: bytes) -> frozenset[str]:
    """Which implicit loads a text can hold: a ``ctypes`` loader only where it names
    ctypes or imports by name, a logging factory only where a ``"()"`` or ``"class"`` key
    names a dotted string. The walk they take costs as much as the rest of the check."""
    kinds = set()
    if any(word in text for word in (b"ctypes", b"__import__", b"import_module")):
        kinds.add("loader")
    if _FACTORY_KEY.search(text) is not None:
        kinds.add("factory")
    if _IMPORT_HOOKS.search(text) is not None:
        kinds.add("hook")
    if _RUNNING_VARIABLE_WORDS.search(text):
        kinds.add("variable")
    return frozenset(kinds)


# Environment variables that choose code or a command another program runs, set by the
# package: (what is then run, what it does).
_STARTS = "subprocess.Popen"  # what the programs this process starts see
_RUNNING_VARIABLES = {
    "PYTHONBREAKPOINT": ("breakpoint", "calls the function PYTHONBREAKPOINT names"),
    "PYTHONSTARTUP": (_STARTS, "starts Pythons that run the PYTHONSTARTUP file set"),
    "PYTHONPATH": (_STARTS, "starts Pythons with the PYTHONPATH set on their module path"),
    "PYTHONHOME": (_STARTS, "starts Pythons with another standard library (PYTHONHOME)"),
    "LD_PRELOAD": (_STARTS, "starts programs that load the LD_PRELOAD library set"),
    "LD_LIBRARY_PATH": (_STARTS, "starts programs that load libraries from LD_LIBRARY_PATH"),
    "DYLD_INSERT_LIBRARIES": (_STARTS, "starts programs that load DYLD_INSERT_LIBRARIES"),
    "GIT_SSH_COMMAND": (_STARTS, "starts git, which runs the GIT_SSH_COMMAND set"),
    "GIT_SSH": (_STARTS, "starts git, which runs the GIT_SSH set"),
    "GIT_ASKPASS": (_STARTS, "starts git, which runs the GIT_ASKPASS set"),
    "SSH_ASKPASS": (_STARTS, "starts ssh, which runs the SSH_ASKPASS set"),
    "GIT_EXTERNAL_DIFF": (_STARTS, "starts git, which runs the GIT_EXTERNAL_DIFF set"),
    "BROWSER": ("webbrowser.open", "runs the BROWSER command set"),
    "PIP_INDEX_URL": (_STARTS, "starts pip, which installs from the PIP_INDEX_URL set"),
    "PIP_EXTRA_INDEX_URL": (_STARTS, "starts pip, which installs from PIP_EXTRA_INDEX_URL"),
}
_SETS_VARIABLE = frozenset({"putenv", "setdefault", "__setitem__"})


def _variables_set(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    """The variables of :data:`_RUNNING_VARIABLES` a statement or call sets, with their
    values: ``os.environ[...] = v``, ``os.putenv(..., v)``, ``environ.setdefault(..., v)``,
    ``environ.update(...=v)``."""
    pairs: list[tuple[ast.expr | str, ast.expr]]
    if isinstance(node, ast.Assign):
        pairs = [(t.slice, node.value) for t in node.targets if isinstance(t, ast.Subscript)]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        pairs = _set_by_call(node, node.func.attr)
    else:
        return
    for key_node, value in pairs:
        key = key_node if isinstance(key_node, str) else literal_text(key_node)
        if key in _RUNNING_VARIABLES:
            yield key, value


def _set_by_call(call: ast.Call, method: str) -> list[tuple[ast.expr | str, ast.expr]]:
    if method in _SETS_VARIABLE and len(call.args) >= 2:
        return [(call.args[0], call.args[1])]
    if method != "update":
        return []
    pairs: list[tuple[ast.expr | str, ast.expr]] = [
        (k.arg, k.value) for k in call.keywords if k.arg is not None
    ]
    for argument in call.args:
        if isinstance(argument, ast.Dict):
            pairs.extend(
                (key, value)
                for key, value in zip(argument.keys, argument.values, strict=True)
                if key is not None
            )
    return pairs


def _variables_found(node: ast.AST) -> Iterator[tuple[ast.AST, tuple[str, str, str]]]:
    for variable, value in _variables_set(node):
        program, does = _RUNNING_VARIABLES[variable]
        yield node, (program, does, f"{variable}={ast.dump(value)}")


_RUNNING_VARIABLE_WORDS = re.compile(
    "|".join(map(re.escape, sorted(_RUNNING_VARIABLES, key=len, reverse=True))).encode()
)


# ``sys.meta_path[:0] = [Finder()]``, ``sys.path_hooks += [...]``: a hook installed with no
# call (the calls, ``append`` and the like, are risky names of their own).
_IMPORT_HOOKS = re.compile(rb"\b(?:meta_path|path_hooks|path_importer_cache|__import__\s*=)")
# What every match of _IMPORT_HOOKS holds (path_importer_cache holds path_hooks' "path_").
_IMPORT_HOOK_WORDS = (b"meta_path", b"path_hooks", b"path_importer_cache", b"__import__")
_HOOK_LISTS = frozenset({"sys.meta_path", "sys.path_hooks", "sys.path_importer_cache"})
# What every import statement calls: bound anew, it sees (and may replace) each import.
_IMPORT_FUNCTIONS = frozenset({"builtins.__import__", "__import__"})


def _implicit_in(
    tree: ast.Module, names: CallNames, kinds: frozenset[str]
) -> Iterator[tuple[ast.AST, tuple[str, str, str]]]:
    """Each node that runs code implicitly, with (name, what, what tells it apart)."""
    loaders, factories, hooks = "loader" in kinds, "factory" in kinds, "hook" in kinds
    variables = "variable" in kinds
    for node in ast.walk(tree):
        if hooks and isinstance(node, ast.Assign | ast.AugAssign):
            yield from _hooks_assigned(node, names)
        if variables:
            yield from _variables_found(node)
        if loaders and isinstance(node, ast.Subscript | ast.Attribute):
            loader = names.callee(node.value)
            if loader not in _LIBRARY_LOADERS:
                continue
            if isinstance(node, ast.Attribute):
                if node.attr.startswith("_") or node.attr == "LoadLibrary":
                    continue  # a call of LoadLibrary is a risky call of its own
                key = node.attr
            else:
                key = ast.dump(node.slice)
            yield node, (_LIBRARY_LOADERS[loader], "loads a native library", key)
        elif factories and isinstance(node, ast.Dict):
            for key_node, value in zip(node.keys, node.values, strict=True):
                factory = value.value if isinstance(value, ast.Constant) else None
                if _is_factory_key(key_node) and isinstance(factory, str):
                    # dictConfig resolves "ext://os.system" as it does "os.system".
                    factory = factory.removeprefix("ext://")
                    what = _risk_of_factory(factory)
                    if what is not None:
                        yield value, (_builtin_named(factory), what, "")


def _hooks_assigned(
    node: ast.Assign | ast.AugAssign, names: CallNames
) -> Iterator[tuple[ast.AST, tuple[str, str, str]]]:
    """``sys.meta_path[:0] = [...]``, ``sys.meta_path += [...]``, ``sys.path_hooks = [...]``."""
    for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
        held = target.value if isinstance(target, ast.Subscript) else target
        hook = names.callee(held) if isinstance(held, ast.Attribute | ast.Name) else None
        if hook in _HOOK_LISTS:
            yield node, (hook, "installs an import hook", ast.dump(node.value))
        elif isinstance(target, ast.Attribute) and names.callee(target) in _IMPORT_FUNCTIONS:
            yield node, ("builtins.__import__", "installs an import hook", ast.dump(node.value))


def _is_factory_key(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value in _FACTORY_KEYS


def _builtin_named(name: str) -> str:
    """``exec`` for ``builtins.exec``, as calls of the builtins are named."""
    bare = name.removeprefix("builtins.")
    return bare if bare in _RUNS_SOURCE else name


def _risk_of_factory(name: str) -> str | None:
    """What a logging factory named by a dotted string does when called."""
    name = _builtin_named(name)
    if name in _RUNS_SOURCE:
        return "runs code from non-literal input, named as a logging factory"
    what = _risk_of_name(name)
    return None if what is None else f"{what}, named as a logging factory"


def _handed_on(names: CallNames, tree: ast.Module) -> Iterator[tuple[str, str]]:
    for _node, name, handed_to in names.references(tree):
        yield name, _arguments(handed_to) if handed_to else ""


def _risk_of_reference(name: str) -> str | None:
    """What a function handed on does when called; classes (``socket.socket``,
    ``subprocess.Popen``) are named in type tests and hints too often to count."""
    if not name.rpartition(".")[2][:1].islower() or name == "socket.socket":
        return None
    if name in _RUNS_SOURCE:
        return "runs code from non-literal input"
    if name in _LIBRARY_LOADERS:
        return None  # what it loads is seen where an item is taken (_implicit_loads)
    return _risk_of_name(name)


def _risk_of(call: ast.Call, name: str, names: CallNames, depth: int = 0) -> str | None:
    """What a call of ``name`` does that is worth a look, or None."""
    if name in _YAML_LOADS:
        return _unsafe_yaml(call, names)
    if name in _RUNS_SOURCE:
        if not _plainly_named(call.func):
            # ``__builtins__.__dict__["ex" + "ec"]("...")``: hidden, whatever it runs.
            return "runs source text, reached by a look-up by name"
        return _runs_source(call, names, depth)
    return _risk_of_name(name)


def _unsafe_yaml(call: ast.Call, names: CallNames) -> str | None:
    """``yaml.load(f, Loader=yaml.UnsafeLoader)`` (or ``yaml.Loader``, positional too)."""
    loaders = [k.value for k in call.keywords if k.arg == "Loader"] + call.args[1:2]
    for loader in loaders:
        if names.callee(loader) in _UNSAFE_YAML_LOADERS:
            return "loads YAML that can build any object"
    return None


def _risk_of_name(name: str) -> str | None:
    """What calling ``name`` does, also reached through another module that holds the
    risky one (``subprocess.os.system``, ``shutil.os.system``,
    ``pip._vendor.requests.get``)."""
    # A relative name is the package's own module: ``from . import subprocess`` is not
    # the standard one, ``from ._vendor import requests`` holds requests.
    relative = name.startswith(".")
    parts = name.lstrip(".").split(".")
    for start in range(1 if relative else 0, len(parts) - 1):
        what = _risk_of_exact(".".join(parts[start:]))
        if what is not None:
            return what
    return None


def _risk_of_exact(name: str) -> str | None:
    module, _dot, final = name.rpartition(".")
    if final == RUN_TIME_NAME:
        return _LOOKED_UP_AT_RUN_TIME if module in _RISKY_MODULES else None
    if name in _LOADS_CODE:
        return _LOADS_CODE[name]
    if module in _LIBRARY_LOADERS and not final.startswith("_"):
        return "loads a native library"
    if name in _RUNS_COMMAND:
        return "runs a command"
    if _reaches_network(name):
        return "reaches the network"
    return None


def _plainly_named(func: ast.expr) -> bool:
    """A name or a chain of attributes: ``exec``, ``builtins.exec``."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name)


# How deep source text handed to exec is read for the calls it makes.
_MAX_EXEC_NESTING = 8


def _runs_source(call: ast.Call, names: CallNames, depth: int) -> str | None:
    """Why an exec/eval/compile call is notable: its input is not a literal, or is a
    literal that makes a risky call itself."""
    source = call.args[0] if call.args else None
    if source is None:
        source = next((k.value for k in call.keywords if k.arg in ("source", "object")), None)
    if source is None:
        return None
    text = literal_text(source)
    if isinstance(source, ast.Constant) and isinstance(source.value, bytes):
        text = source.value.decode("utf-8", "replace")  # exec(b"...") runs it as well
    if text is not None:
        return _literal_source_risk(text, names, depth)
    if isinstance(source, ast.Constant):
        return None  # no source at all
    for node in ast.walk(source):
        if isinstance(node, ast.Call):
            decoder = names.callee(node.func)
            if decoder in _DECODERS:
                return f"runs a decoded payload ({decoder})"
    return "runs code from non-literal input"


def _literal_source_risk(text: str, outer: CallNames, depth: int) -> str | None:
    """``exec("import os; os.system(cmd)")``: the risky call the text makes, if any."""
    if depth >= _MAX_EXEC_NESTING or len(text) > _MAX_PARSED:
        return None
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    walked = _walked(tree)
    names = CallNames(tree, _STAR_NAMES)
    # The text runs in the file's namespace: what the file imported is there too.
    names.imports = {**outer.imports, **names.imports}
    for node, _scope in walked.calls:
        name = names.called(node)
        what = _risk_of(node, name, names, depth + 1) if name is not None else None
        if name is not None and what is not None:
            return f"runs source text that calls {name}() ({what})"
    return None


def _reaches_network(name: str) -> bool:
    if name in _REACHES_NETWORK or name in _NETWORK_CLIENTS:
        return True
    module, _, function = name.rpartition(".")
    return function in _NETWORK_MODULES.get(module, ())
