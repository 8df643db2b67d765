"""One module's source parsed once and visited by griffe on its statements only.

``griffe.visit`` compiles the text and walks every node of the tree, the
expressions inside statements included, though none of its handlers is for an
expression. Here the tree is compiled once (function bodies other than
``__init__`` pruned first, as griffe does, when ``prune_source`` is installed)
and griffe's visitor walks statements only. The same tree tells where an
``__init__`` sets instance attributes by unpacking, which griffe leaves out.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

import griffe

from .api_branches import SIX_FLAGS, platform_test, version_test
from .api_modules import PRUNE
from .api_scope import ModuleNames
from .api_strings import install as install_annotation_strings

__all__ = ["EXTRA", "Shipped", "Unpacked", "visit_module"]

# The key of this package's facts in a griffe object's ``extra``.
EXTRA = "releasediff"


_prune = PRUNE
install_annotation_strings()

# The fields of a node that hold statements (``ast.ExceptHandler`` and
# ``ast.match_case`` included), in the order of ``_fields``.
_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")
_COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.With,
    ast.AsyncWith,
    ast.Try,
    ast.TryStar,
    ast.Match,
)
# A module's or class's ``try``: the way that succeeds (its body, then its ``else``) first,
# then the handlers, so that what the package defines as its fallback is what is compared
# wherever the success path is written (packaging 24.1 moved ``ExceptionGroup =
# ExceptionGroup`` from the body to the ``else``, before and after its fallback class).
_TRY_ORDER = ("body", "orelse", "handlers", "finalbody")
_TRIES = (ast.Try, ast.TryStar)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_CLASS_LABELS = frozenset({"class-attribute", "instance-attribute"})
_MODULE_LABELS = frozenset({"module-attribute"})
_NO_EXTENSIONS = griffe.Extensions()
_A_BLOCK_THAT_RUNS: ast.AST = ast.With.__new__(ast.With)
# A made ``def``'s type parameters, a field from Python 3.12 on.
_NO_TYPE_PARAMS: dict[str, Any] = {"type_params": []} if sys.version_info >= (3, 12) else {}

# An ``__init__``'s unpacked ``self.x`` targets by the ``__init__``'s line range as griffe
# records it (from its first decorator): the attribute names and their lines.
Unpacked = dict[tuple[int, int], list[tuple[str, int]]]
# A module of the release: what its text binds, and the text.
Shipped = tuple[ModuleNames, bytes]


def visit_module(
    name: str,
    filepath: PurePosixPath,
    code: str,
    *,
    parent: griffe.Module | None,
    loader: griffe.GriffeLoader,
    flags: Mapping[str, bool] | None = None,
    stub: bool = False,
    shipped: Callable[[str], Shipped | None] | None = None,
) -> tuple[griffe.Module, Unpacked]:
    """The module griffe builds from ``code``, and its ``__init__`` methods' unpacked targets.

    ``flags``: names bound to tests on the Python version, by dotted path
    (:func:`.api_branches.version_flags`). ``shipped``: the names and source text of the
    release's modules by dotted name, None for a module it does not ship. Raises what
    ``compile`` raises on source that does not parse.
    """
    tree = _compile(code, str(filepath))
    found: Unpacked = {}
    _note_scope(tree.body, found, in_class=False)
    visitor = _StatementVisitor(
        name,
        filepath,  # type: ignore[arg-type]
        code,
        _NO_EXTENSIONS,
        parent,
        lines_collection=loader.lines_collection,
        modules_collection=loader.modules_collection,
    )
    visitor.flags = flags or {}
    if shipped is not None:
        visitor.shipped = shipped
    visitor.stub = stub
    visitor.declared = {}
    module = visitor.module(tree)
    if module.exports is not None:
        _read_export_calls(tree.body, module)
    return module, found


# What griffe reads of an ``__all__`` value: lists, tuples and sets of strings, other
# modules' ``__all__`` and their sums.
_READABLE_EXPORTS = (
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.BinOp,
    ast.Starred,
    ast.Add,
    ast.Load,
)


def _read_export_calls(body: list[ast.stmt], module: griffe.Module) -> None:
    """What griffe does not read of ``__all__``: calls on it, and values it cannot read.

    ``__all__.append("CapsuleType")`` (typing_extensions) and ``.extend([...])`` or
    ``.remove(...)`` of strings are applied. A value or call griffe cannot read leaves the
    module read as one without ``__all__``: griffe gave numpy 2.1's ``__all__ =
    list(__numpy_submodules__ | set(_core.__all__) | ...)`` as empty, so the module
    would offer nothing.
    """
    added: list[str] = []
    removed: set[str] = set()
    for statement in _module_level(body):
        if isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            value = statement.value
            if (
                value is not None
                and any(_is_exports(target) for target in targets)
                and not all(isinstance(node, _READABLE_EXPORTS) for node in ast.walk(value))
            ):
                module.exports = None
                return
        elif isinstance(statement, ast.Expr) and (called := _exports_call(statement.value)):
            names = _call_strings(*called)
            if names is None:
                module.exports = None
                return
            method, strings = names
            if method == "remove":
                removed.update(strings)
            else:
                added.extend(strings)
    if module.exports is not None and (added or removed):
        kept = [entry for entry in module.exports if entry not in removed]
        module.exports = kept + [name for name in added if name not in kept]


def _is_exports(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _exports_call(node: ast.expr) -> tuple[str, ast.Call] | None:
    """The method and the call of ``__all__.extend(...)``, ``__all__.append(...)`` and the
    like, or None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and _is_exports(node.func.value)
    ):
        return node.func.attr, node
    return None


def _call_strings(method: str, call: ast.Call) -> tuple[str, list[str]] | None:
    """The method and the strings of ``__all__.append("x")``, ``.extend(["x", "y"])`` or
    ``.remove("x")``; None for any other call."""
    if len(call.args) != 1 or call.keywords:
        return None
    argument = call.args[0]
    if method in {"append", "remove"}:
        items = [argument]
    elif method == "extend" and isinstance(argument, ast.List | ast.Tuple):
        items = list(argument.elts)
    else:
        return None
    strings = [
        item.value
        for item in items
        if isinstance(item, ast.Constant) and isinstance(item.value, str)
    ]
    return (method, strings) if len(strings) == len(items) else None


def _module_level(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """A module's statements and those of the blocks in them, not inside definitions."""
    for statement in body:
        yield statement
        if isinstance(statement, _COMPOUND):
            for block in _blocks(statement):
                yield from _module_level(block)


def _compile(code: str, filename: str) -> ast.Module:
    """The tree ``griffe.visit`` would visit: of the pruned source when it compiles."""
    pruned = _prune(code) if _prune is not None and "def" in code else None
    if pruned is not None:
        try:
            return _parse(pruned, filename)
        except SyntaxError:
            pass  # Ruff and CPython disagree: CPython's verdict on the text decides
    return _parse(code, filename)


def _parse(code: str, filename: str) -> ast.Module:
    tree = compile(code, filename, "exec", flags=ast.PyCF_ONLY_AST, optimize=1)
    assert isinstance(tree, ast.Module)
    return tree


class _StatementVisitor(griffe.Visitor):
    """griffe's visitor, stepping into statements only: no expression has a handler."""

    flags: Mapping[str, bool] = {}
    # The names and text of a module of the release by its dotted name (None: not shipped).
    shipped: Callable[[str], Shipped | None] = staticmethod(lambda _name: None)
    # A stub's ``x: int`` declares a module attribute; a module's binds nothing. Those of
    # a module are kept for an assignment that follows (``x: int``, then ``x = f()``).
    stub = False
    declared: dict[str, str | griffe.Expr | None] = {}  # noqa: RUF012 (set per visitor)

    def module(self, tree: ast.Module) -> griffe.Module:
        # No parent link points back into the tree (see _stand_in): it is freed without
        # the cyclic collector, as ``griffe.visit`` frees its own by unlinking.
        self.visit(tree)
        module = self.current.module
        _promote_overloads(module)
        return module

    def visit_classdef(self, node: ast.ClassDef) -> None:
        super().visit_classdef(node)
        cls = self.current.members.get(node.name)
        if isinstance(cls, griffe.Class):
            _promote_overloads(cls)

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, _LOOPS) and not isinstance(self.current, griffe.Function):
            # What a loop in a module or class body binds is the loop's machinery, not
            # API (requests' ``packages.py``: ``for mod in list(sys.modules): ...``).
            return
        in_body = not isinstance(self.current, griffe.Function)
        if in_body and isinstance(node, _TRIES):
            self._visit_try(node)
            return
        for field in _BODIES:
            self._visit_field(node, field)

    def _visit_field(self, node: ast.AST, field: str) -> None:
        for child in getattr(node, field, ()):
            child.parent = _stand_in(node)
            self.visit(child)

    def _visit_try(self, node: ast.Try | ast.TryStar) -> None:
        """A module's or class's ``try``, in :data:`_TRY_ORDER`; a name the success path
        imports from a module of the release that has it keeps that binding over the
        handlers' (``try: from ._impl import f`` / ``except ImportError: def f(...)``):
        that import succeeds, so the handler's fallback never runs."""
        members = self.current.members
        for field in _TRY_ORDER[:2]:
            self._visit_field(node, field)
        kept = {
            name: member
            for name in _bound_in([*node.body, *node.orelse])
            if isinstance(member := members.get(name), griffe.Alias)
            and self._imports_from_release(member)
        }
        for field in _TRY_ORDER[2:]:
            self._visit_field(node, field)
        for name, member in kept.items():
            if members.get(name) is not member:
                self.current.set_member(name, member)

    def _imports_from_release(self, alias: griffe.Alias) -> bool:
        """Whether an import's module is one of the release's sources and binds the name
        (``from .a import f``: ``a`` is shipped and defines or imports ``f``), or is itself
        one.

        Not the module being read, nor a module importing the name from itself: while a
        module runs, an import of it finds none of its later names, so the handler runs."""
        target = alias.target_path
        module, _dot, name = target.rpartition(".")
        if not module or self.current.module.path in (target, module):
            return False
        if self.shipped(target) is not None:
            return True
        found = self.shipped(module)
        if found is None:
            return False
        names, text = found
        if name in names.imported:
            return names.imported[name] != (tuple(module.split(".")), name)
        return names.opaque or name in names.defined or _binds_indented(text, name)

    def visit_delete(self, node: ast.Delete) -> None:
        """``del name`` in a module or class body unbinds the name, as at run time (a
        ``def connect`` followed by ``del connect`` leaves no ``connect``)."""
        scope = self.current
        if not isinstance(scope, (griffe.Module, griffe.Class)):
            return
        for target in node.targets:
            names = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            for name in names:
                if isinstance(name, ast.Name) and name.id in scope.members:
                    scope.del_member(name.id)

    def visit_if(self, node: ast.If) -> None:
        guarded = self.type_guarded
        if not isinstance(self.current, (griffe.Module, griffe.Class)):
            super().visit_if(node)
        elif isinstance(self.current, griffe.Module) and _is_main_guard(node.test):
            return  # a script's demo (rich's prompt.py: ``doggie = Prompt.ask(...)``)
        else:
            self._visit_branches(node)
        # griffe clears the flag after any ``if``, even one inside ``if TYPE_CHECKING:``.
        self.type_guarded = guarded

    def _visit_branches(self, node: ast.If) -> None:
        """The branches :mod:`.api_branches` reads, in its order; under ``if TYPE_CHECKING:``
        the body does not exist at run time and the ``else`` does."""
        taken = version_test(node.test, self._flag)
        if taken is not None:
            self._visit_block(node, node.body if taken else node.orelse, runs=True)
            return
        if _is_type_checking(node.test):
            guarded = self.type_guarded
            self.type_guarded = True
            self._visit_block(node, node.body)
            self.type_guarded = guarded
            self._forget_type_only(_bound_in(node.orelse))
            self._visit_block(node, node.orelse, runs=True)
            return
        on_linux = platform_test(node.test)
        if on_linux is None:
            super().visit_if(node)
            return
        linux, other = (node.body, node.orelse) if on_linux else (node.orelse, node.body)
        present = set(self.current.members)
        self._visit_block(node, other)
        self._visit_block(node, linux, runs=True)
        if other:
            where = (
                ast.unparse(node.test) if other is node.body else f"not {ast.unparse(node.test)}"
            )
            self._mark_platform_only(other, present | _bound_in(linux), where)

    def _forget_type_only(self, names: set[str]) -> None:
        """Drop what ``if TYPE_CHECKING:`` bound of the names its ``else`` binds: griffe keeps
        a name's first binding in an ``if`` (platformdirs 4.3.6's ``PlatformDirs = _Result``
        for type checkers, ``PlatformDirs = _set_platform_dir_class()`` at run time)."""
        members = self.current.members
        for name in sorted(names):
            member = members.get(name)
            if member is not None and not member.runtime:
                self.current.del_member(name)

    def _mark_platform_only(self, block: list[ast.stmt], elsewhere: set[str], where: str) -> None:
        """Mark what only a branch Linux does not take defines (``def connect`` under
        ``if sys.platform == "win32":``): it does not exist everywhere."""
        first, last = block[0].lineno, block[-1].end_lineno or block[-1].lineno
        for name in _bound_in(block) - elsewhere:
            member = self.current.members.get(name)
            if isinstance(member, griffe.Alias) or member is None:
                continue
            if member.lineno is not None and first <= member.lineno <= last:
                member.extra[EXTRA]["only_where"] = where

    def _flag(self, name: str) -> bool | None:
        """What the newest Python makes of a name bound, here or where it is imported
        from, to a test on the Python version: ``PY311``, or ``utils.PY3`` through an
        imported module (six's own flags included)."""
        first, _dot, rest = name.partition(".")
        member = self.current.module.members.get(first)
        if isinstance(member, griffe.Alias):
            path = f"{member.target_path}.{rest}" if rest else member.target_path
        elif isinstance(member, griffe.Attribute) and not rest:
            path = member.path
        else:
            return None
        known = self.flags.get(path)
        module, _dot, flag = path.rpartition(".")
        if known is None and (module == "six" or module.endswith(".six")):
            return SIX_FLAGS.get(flag)
        return known

    def _visit_block(self, node: ast.If, block: list[ast.stmt], *, runs: bool = False) -> None:
        """A branch's statements; with ``runs``, the branch the API is read from: griffe
        keeps a name's binding before an ``if`` over the ``if``'s own (``X = 0``, then
        ``X = 2`` in the branch Linux takes), so its statements are given a ``with`` as
        their parent, a block that runs, where the later binding wins."""
        parent = _stand_in(_A_BLOCK_THAT_RUNS if runs else node)
        for child in block:
            child.parent = parent  # type: ignore[attr-defined]
            self.visit(child)

    def visit_assign(self, node: ast.Assign) -> None:
        if self._rebinds_through_calls(node) or self._rewraps_own_method(node):
            return
        function = _lambda_as_def(node) if not isinstance(self.current, griffe.Function) else None
        if function is not None:
            # A function as callers use it, as a ``def`` of the same parameters is
            # (msgpack 1.1 wrote ``def newlist_hint(size)`` for ``= lambda size: []``).
            function.parent = node.parent  # type: ignore[attr-defined]
            self.visit(function)
            return
        super().visit_assign(node)
        if isinstance(self.current, (griffe.Module, griffe.Class)):
            self._add_unpacked(node)

    def handle_attribute(
        self, node: ast.Assign | ast.AnnAssign, annotation: str | griffe.Expr | None = None
    ) -> None:
        """griffe's, except that ``self.x = x`` in ``__init__`` keeps the class body's value
        of ``x`` (mypy 1.10's ``raw_id: int = 0`` read as ``raw_id: int = raw_id``): the
        value ``__init__`` assigns is an expression over its locals."""
        if isinstance(self.current, griffe.Module) and not self.stub:
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            name = target.id if isinstance(target, ast.Name) else None
            if node.value is None:
                # anyio 4.4's ``key: str`` for a loop's variable: no attribute.
                if name is not None:
                    self.declared[name] = annotation
                return
            if annotation is None and name is not None:
                annotation = self.declared.get(name)
        cls = self.current.parent if _is_init(self.current) else None
        if not isinstance(cls, griffe.Class):
            super().handle_attribute(node, annotation)
            return
        kept = {name: _class_value(cls, name) for name in _self_names(node)}
        super().handle_attribute(node, annotation)
        for name, value in kept.items():
            attribute = cls.members.get(name)
            if value is not None and isinstance(attribute, griffe.Attribute):
                attribute.value = value

    def _rebinds_through_calls(self, node: ast.Assign) -> bool:
        """Whether a class or function of this scope is rebound to a call it is passed to:
        still that class or function, decorated after its definition (attrs 24's
        ``Converter = _add_hash(_add_eq(_add_repr(Converter, ...)))``)."""
        target = node.targets[0] if len(node.targets) == 1 else None
        if not isinstance(target, ast.Name) or isinstance(self.current, griffe.Function):
            return False
        defined = self.current.members.get(target.id)
        if not isinstance(defined, (griffe.Class, griffe.Function)):
            return False
        return _passed_to_call(node.value, target.id)

    def _rewraps_own_method(self, node: ast.Assign) -> bool:
        """``f = staticmethod(f)`` (or ``classmethod``, ``property``) after ``def f`` in a
        class: the method, labelled as the decorator would (docutils' ``Trace.fatal =
        classmethod(fatal)``), so that its parameters show as callers pass them."""
        target = node.targets[0] if len(node.targets) == 1 else None
        value = node.value
        if not isinstance(target, ast.Name) or not isinstance(self.current, griffe.Class):
            return False
        if not isinstance(value, ast.Call) or value.keywords or len(value.args) != 1:
            return False
        argument, defined = value.args[0], self.current.members.get(target.id)
        if not isinstance(argument, ast.Name) or argument.id != target.id:
            return False
        if not isinstance(defined, griffe.Function) or not _rewraps_method(value.func):
            return False
        label = _called_name(value.func)
        defined.labels.add(label if label in {"staticmethod", "classmethod"} else "property")
        return True

    def _add_unpacked(self, node: ast.Assign) -> None:
        """The names a module or class body binds by unpacking, which griffe leaves out
        (Django 5.1's ``password1, password2 = SetPasswordMixin.create_password_fields()``)."""
        scope = self.current
        in_class = isinstance(scope, griffe.Class)
        for target in node.targets:
            if not isinstance(target, (ast.Tuple, ast.List)):
                continue
            for element in _unpacked_elements(target):
                if isinstance(element, ast.Name) and element.id not in scope.members:
                    attribute = griffe.Attribute(
                        element.id,
                        lineno=node.lineno,
                        endlineno=node.end_lineno,
                        runtime=not self.type_guarded,
                    )
                    attribute.labels |= _CLASS_LABELS if in_class else _MODULE_LABELS
                    scope.set_member(element.id, attribute)

    # griffe dispatches on this table, not on method names.
    _visitor = {  # noqa: RUF012 (read only, as griffe's own)
        **griffe.Visitor._visitor,
        ast.If: visit_if,
        ast.Assign: visit_assign,
        ast.Delete: visit_delete,
        ast.ClassDef: visit_classdef,
    }

    def _get_docstring(self, node: ast.AST, *, strict: bool = False) -> griffe.Docstring | None:
        return None  # never compared; griffe makes one per object and looks one up per attribute


_STAND_INS: dict[type[ast.AST], ast.AST] = {}


def _lambda_as_def(node: ast.Assign) -> ast.FunctionDef | None:
    """``name = lambda params: value`` as the ``def name(params)`` it is to its callers."""
    if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
        return None
    if not isinstance(node.value, ast.Lambda):
        return None
    function = ast.FunctionDef(
        name=node.targets[0].id,
        args=node.value.args,
        body=[ast.Return(node.value.body)],
        decorator_list=[],
        returns=None,
        **_NO_TYPE_PARAMS,
    )
    return ast.copy_location(function, node)


def _stand_in(node: ast.AST) -> ast.AST:
    """An empty node of the type of ``node``, as the parent griffe sees of its statements.

    griffe reads a statement's parent for its type only (an ``if``'s or ``except``'s
    assignment does not replace the one before), and to look for the docstring after
    each attribute among the parent's children, a scan of them all per attribute that
    took an eighth of Django's visits: the stand-in has no children, and docstrings
    are never compared. Made without ``__init__``, so that it has no fields at all.
    """
    kind = type(node)
    stand_in = _STAND_INS.get(kind)
    if stand_in is None:
        stand_in = _STAND_INS[kind] = kind.__new__(kind)
    return stand_in


def _is_init(scope: griffe.Object) -> bool:
    return isinstance(scope, griffe.Function) and scope.name == "__init__"


def _self_names(node: ast.Assign | ast.AnnAssign) -> list[str]:
    """The ``x`` of each ``self.x`` an assignment sets."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [
        target.attr
        for target in targets
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
    ]


def _class_value(cls: griffe.Class, name: str) -> str | griffe.Expr | None:
    member = cls.members.get(name)
    if isinstance(member, griffe.Attribute) and "class-attribute" in member.labels:
        return member.value
    return None


def _passed_to_call(value: ast.expr, name: str) -> bool:
    """Whether ``value`` is a call that ``name`` is passed to, directly or through calls
    (``wraps(g)(f)``, ``a(b(f))``), none of them one that makes a method something else
    (``f = staticmethod(f)``, ``x = property(x)``: labelled by ``_rewraps_own_method``)."""
    if not isinstance(value, ast.Call) or _rewraps_method(value.func):
        return False
    if any(isinstance(arg, ast.Name) and arg.id == name for arg in value.args):
        return True
    return any(_passed_to_call(inner, name) for inner in (value.func, *value.args))


def _rewraps_method(func: ast.expr) -> bool:
    name = _called_name(func)
    return name in {"staticmethod", "classmethod"} or name.endswith("property")


def _called_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return (
        isinstance(test, ast.Attribute)
        and test.attr == "TYPE_CHECKING"
        and isinstance(test.value, ast.Name)
        and test.value.id in {"typing", "typing_extensions", "t"}
    )


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round."""
    if (
        not isinstance(test, ast.Compare)
        or len(test.ops) != 1
        or not isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = [test.left, test.comparators[0]]
    names = [side.id for side in sides if isinstance(side, ast.Name)]
    texts = [side.value for side in sides if isinstance(side, ast.Constant)]
    return names == ["__name__"] and texts == ["__main__"]


def _note_scope(body: list[ast.stmt], found: Unpacked, *, in_class: bool) -> None:
    """Note where the ``__init__`` methods of a module's or class's classes unpack, in the
    scopes griffe visits them in (a class's body and the blocks in it)."""
    for statement in body:
        if isinstance(statement, ast.ClassDef):
            _note_scope(statement.body, found, in_class=True)
        elif isinstance(statement, _FUNCTIONS):
            if in_class and statement.name == "__init__":
                _note_unpacking(statement, found)
        elif isinstance(statement, _COMPOUND):
            for block in _blocks(statement):
                _note_scope(block, found, in_class=in_class)


def _blocks(statement: ast.AST) -> Iterator[list[ast.stmt]]:
    """The statement lists inside a compound statement, handlers' and cases' included."""
    for field in _BODIES:
        items = getattr(statement, field, ())
        if items and isinstance(items[0], ast.stmt):
            yield items
        else:
            yield from (item.body for item in items)


def _note_unpacking(init: ast.FunctionDef | ast.AsyncFunctionDef, found: Unpacked) -> None:
    """The ``self.x`` targets of an ``__init__``'s assignments to a tuple or list
    (``self._regex, self.converters = ...``, on one line or over several), which griffe
    leaves out: it reads ``self.x = ...`` only."""
    targets = [
        (element.attr, element.lineno)
        for node in _statements(init.body)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, (ast.Tuple, ast.List))
        for element in _unpacked_elements(target)
        if isinstance(element, ast.Attribute)
        and isinstance(element.value, ast.Name)
        and element.value.id == "self"
    ]
    if targets:
        first = init.decorator_list[0].lineno if init.decorator_list else init.lineno
        found.setdefault((first, init.end_lineno or init.lineno), []).extend(targets)


def _unpacked_elements(target: ast.Tuple | ast.List) -> Iterator[ast.expr]:
    """The names a tuple or list target binds, nested and starred ones included."""
    for element in target.elts:
        bound = element.value if isinstance(element, ast.Starred) else element
        if isinstance(bound, (ast.Tuple, ast.List)):
            yield from _unpacked_elements(bound)
        else:
            yield bound


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a body and of the blocks inside it, nested definitions' included."""
    for statement in body:
        yield statement
        if isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
            yield from _statements(statement.body)
        elif isinstance(statement, _COMPOUND):
            for block in _blocks(statement):
                yield from _statements(block)


def _promote_overloads(scope: griffe.Module | griffe.Class) -> None:
    """A function written only as ``@overload`` signatures, as stubs write them: griffe
    keeps them aside for an implementation that never comes. The last stands for the
    function, all of them its overloads."""
    for name, overloads in list(scope.overloads.items()):
        if overloads and name not in scope.members:
            last = overloads[-1]
            last.overloads = list(overloads)
            scope.set_member(name, last)
            del scope.overloads[name]


def _bound_in(block: list[ast.stmt]) -> set[str]:
    """The names a block's statements bind at its own level (nested ``if``/``try``
    blocks included, definitions' bodies not)."""
    names: set[str] = set()
    for statement in _module_level(block):
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(
                t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name)
            )
        elif isinstance(statement, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in statement.names)
    return names


def _binds_indented(text: bytes, name: str) -> bool:
    """Whether an indented statement binds ``name`` (under an ``if`` or a ``try``): the
    scan of :func:`.api_scope.module_names` sees column 0 only."""
    spelled = re.escape(name.encode())
    pattern = rb"^[ \t]+(?:(?:async[ \t]+)?def|class)[ \t]+%s\b|^[ \t]+%s[ \t]*(?::[^=\n]*)?=(?!=)"
    return re.search(pattern % (spelled, spelled), text, re.M) is not None
