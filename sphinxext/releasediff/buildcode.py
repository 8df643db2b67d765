"""What an sdist's build imports from the sdist besides its build files, for the notable
``build`` kind.

``setup.py``, ``setup.cfg``, the build backend and the hooks named by their
default names are known files. The build also imports code the configuration
names: a setuptools command class (``[tool.setuptools.cmdclass]``, setup.cfg's
``cmdclass``), a module ``attr:`` reads a value from (``[tool.setuptools.dynamic]``,
setup.cfg's ``version = attr: pkg.VERSION``: setuptools imports it when the
value is not a literal), a pdm ``custom-hook`` path, and the sdist's own
top-level modules ``setup.py`` imports (``from _build_helpers import cmdclass``).
What the configuration names is compared as references (:class:`BuildReference`).
"""

from __future__ import annotations

import ast
import configparser
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BuildReference", "build_references", "imported_at_build", "setup_cfg_sections"]


@dataclass(frozen=True, order=True)
class BuildReference:
    """Code the build configuration names: ``what`` (``command class build_py``) is
    ``target`` (``_custom_build.BuildPy``), in ``path`` (``pyproject.toml``)."""

    what: str
    target: str
    path: str


def build_references(pyproject: Mapping[str, Any], setup_cfg: str) -> dict[str, BuildReference]:
    """What the configuration names for the build to import or run, by what it is: a
    reference moved from ``setup.cfg`` to ``pyproject.toml`` keeps its key."""
    found = {ref.what: ref for ref in _setup_cfg_references(setup_cfg)}
    found.update((ref.what, ref) for ref in _pyproject_references(pyproject))
    return found


def _pyproject_references(pyproject: Mapping[str, Any]) -> Iterator[BuildReference]:
    tool = _table(pyproject, "tool")
    setuptools = _table(tool, "setuptools")
    for name, target in _table(setuptools, "cmdclass").items():
        yield BuildReference(f"command class {name}", str(target), "pyproject.toml")
    for name, value in _table(setuptools, "dynamic").items():
        attr = value.get("attr") if isinstance(value, dict) else None
        if isinstance(attr, str):
            yield BuildReference(f"{name} read by importing", attr, "pyproject.toml")
    hook = _table(_table(tool, "pdm"), "build").get("custom-hook")
    if isinstance(hook, str):
        yield BuildReference("pdm custom-hook", hook, "pyproject.toml")
    hatch = _table(tool, "hatch")
    hooks = {"hatch build hook": _table(_table(hatch, "build"), "hooks")}
    hooks["hatch metadata hook"] = _table(_table(hatch, "metadata"), "hooks")
    for target, table in _table(_table(hatch, "build"), "targets").items():
        if isinstance(table, dict):
            hooks[f"hatch {target} build hook"] = _table(table, "hooks")
    for what, table in hooks.items():
        for name, options in table.items():
            path = options.get("path") if isinstance(options, dict) else None
            shown = path if isinstance(path, str) else "a plugin"
            yield BuildReference(f"{what} {name}", shown, "pyproject.toml")


def _setup_cfg_references(setup_cfg: str) -> Iterator[BuildReference]:
    config = setup_cfg_sections(setup_cfg)
    for section in ("metadata", "options"):
        for key, text in config.get(section, {}).items():
            if key == "cmdclass":
                for line in text.splitlines():
                    name, _equals, target = line.partition("=")
                    if target.strip():
                        what = f"command class {name.strip()}"
                        yield BuildReference(what, target.strip(), "setup.cfg")
            elif text.strip().startswith("attr:"):
                target = text.strip().removeprefix("attr:").strip()
                yield BuildReference(f"{key} read by importing", target, "setup.cfg")


def imported_at_build(
    pyproject: Mapping[str, Any],
    setup_cfg: str,
    setup_py: str,
    paths: Iterable[str],
    read: Callable[[str], str] = lambda _path: "",
) -> tuple[str, ...]:
    """The sdist's files that the configuration makes the build import, of ``paths``
    (``read`` gives a file's text)."""
    present = frozenset(paths)
    roots = _source_roots(pyproject, setup_cfg)
    found: set[str] = set()
    for module in _named_modules(pyproject, setup_cfg):
        found.update(_module_files(module, roots, present))
    for module, attribute in _attr_values(pyproject, setup_cfg):
        for path in _module_files(module, roots, present):
            # setuptools reads a literal (``__version__ = "3.10.0"``) without importing.
            if not _assigns_a_literal(read(path), attribute):
                found.add(path)
    tree = _parsed(setup_py)
    if tree is not None:
        script_roots = (*roots, *_path_folders(tree))
        for module in _local_imports(tree):
            found.update(_module_files(module, script_roots, present))
        found.update(_executed_files(tree, present))
    hook = _table(_table(_table(pyproject, "tool"), "pdm"), "build").get("custom-hook")
    if isinstance(hook, str) and hook.strip("./") in present:
        found.add(hook.strip("./"))
    return tuple(sorted(found))


def _named_modules(pyproject: Mapping[str, Any], setup_cfg: str) -> Iterator[str]:
    """Modules the configuration names code in (command classes)."""
    for reference in build_references(pyproject, setup_cfg).values():
        if reference.what.startswith("command class "):
            yield reference.target.rpartition(".")[0]


def _attr_values(pyproject: Mapping[str, Any], setup_cfg: str) -> Iterator[tuple[str, str]]:
    """(module, attribute) of each value read by ``attr:``."""
    for reference in build_references(pyproject, setup_cfg).values():
        if reference.what.endswith(" importing"):
            module, _dot, attribute = reference.target.rpartition(".")
            yield module, attribute


def _assigns_a_literal(text: str, attribute: str) -> bool:
    """Whether a module binds ``attribute`` to a literal at its top level, which
    setuptools' ``attr:`` reads from the text (it imports the module otherwise)."""
    tree = _parsed(text)
    for statement in tree.body if tree is not None else ():
        targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
        named = any(isinstance(t, ast.Name) and t.id == attribute for t in targets)
        value = getattr(statement, "value", None)
        if named and isinstance(statement, ast.Assign | ast.AnnAssign) and value is not None:
            try:
                ast.literal_eval(value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                return False
            return True
    return False


def _module_files(module: str, roots: Iterable[str], present: frozenset[str]) -> Iterator[str]:
    if not module:
        return
    base = module.replace(".", "/")
    for root in roots:
        for path in (f"{root}{base}.py", f"{root}{base}/__init__.py"):
            if path in present:
                yield path


def _source_roots(pyproject: Mapping[str, Any], setup_cfg: str) -> tuple[str, ...]:
    """Where modules are found: the top, ``src/``, and a ``package-dir`` root."""
    roots = ["", "src/"]
    package_dir = _table(_table(_table(pyproject, "tool"), "setuptools"), "package-dir")
    mapped = package_dir.get("")
    if isinstance(mapped, str):
        roots.append(f"{mapped.strip('/')}/")
    for line in (
        setup_cfg_sections(setup_cfg).get("options", {}).get("package_dir", "").splitlines()
    ):
        name, _equals, folder = line.partition("=")
        if name.strip() == "" and folder.strip():
            roots.append(f"{folder.strip().strip('/')}/")
    return tuple(dict.fromkeys(roots))


def _parsed(setup_py: str) -> ast.Module | None:
    try:
        return ast.parse(setup_py)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _local_imports(tree: ast.Module) -> Iterator[str]:
    """The absolute module names ``setup.py`` imports, and the packages above them
    (``from _build.cmds import cmdclass``: ``_build``, ``_build.cmds``, and
    ``_build.cmds.cmdclass`` in case it is a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*"]
            names.append(node.module)
        else:
            continue
        for name in names:
            parts = name.split(".")
            yield from (".".join(parts[:depth]) for depth in range(1, len(parts) + 1))


def _strings(node: ast.AST) -> list[str]:
    return [
        part.value
        for part in ast.walk(node)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    ]


def _path_folders(tree: ast.Module) -> Iterator[str]:
    """Folders ``setup.py`` puts on ``sys.path`` (``sys.path.insert(0, "tools")``)."""
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if not isinstance(func, ast.Attribute) or func.attr not in ("insert", "append"):
            continue
        if isinstance(func.value, ast.Attribute) and func.value.attr == "path":
            for text in _strings(node):
                folder = text.strip().strip("/").removeprefix("./")
                if folder and folder != ".":
                    yield f"{folder}/"


def _executed_files(tree: ast.Module, present: frozenset[str]) -> Iterator[str]:
    """The sdist's ``.py`` files a ``setup.py`` that runs text as Python names
    (``exec(open("demo/_version.py").read())``, also through ``os.path.join``)."""
    if not any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
        in ("exec", "execfile", "run_path")
        for node in ast.walk(tree)
    ):
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        texts = [text.strip("/").removeprefix("./") for text in _strings(node)]
        for candidate in ("/".join(texts), *texts):
            if candidate.endswith(".py") and candidate in present:
                yield candidate


def setup_cfg_sections(text: str) -> dict[str, dict[str, str]]:
    """Each section of a ``setup.cfg`` text, as read for setuptools (nothing if it does
    not parse)."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return {}
    return {name: dict(parser.items(name)) for name in parser.sections()}


def _table(document: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}
