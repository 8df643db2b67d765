"""The dotted name a call's callee stands for, as far as a file's own text tells.

Through the file's imports (``import subprocess as sp``; ``from os import *``
binds the names it is told a module has), through plain assignments
(``run = os.system``), and through the lookups code uses to hide a name:
``getattr(os, "system")``, ``__import__("os")``, ``importlib.import_module``,
``sys.modules["os"]``, ``os.__dict__["system"]``, ``vars(os)["system"]``,
``__builtins__["exec"]``, with the name spelled by literals, ``+`` and
``"".join``. A bare ``exec``, ``eval``, ``compile``, ``getattr``, ``vars`` or
``__import__`` the file neither imports nor binds is the builtin.
Nothing is run: a name built at run time (``chr(115) + ...``) is not known, and
a look-up by one stands for :data:`RUN_TIME_NAME` in the module it is made in.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator, Mapping

__all__ = ["GLOBALS", "LOOP_METHODS", "RUN_TIME_NAME", "CallNames", "literal_text"]

# How deep names are followed through assignments and nested lookups, and how many
# steps one callee may take (crafted files bind names to each other many times over).
_MAX_DEPTH = 12
_MAX_STEPS = 400
# The builtins that run source text or look a name up by a string, and the namespace
# they live in.
_BUILTINS_LOOKED_FOR = frozenset(
    {"exec", "eval", "compile", "__import__", "getattr", "vars", "globals", "locals"}
    | {"__builtins__"}
)
# What these return when called with nothing: the namespace a name is looked up in.
_NAMESPACES = frozenset({"builtins.globals", "builtins.locals", "builtins.vars"})
# Assignments to one name that are followed: enough for a decoy bound before or after.
_MAX_BINDINGS = 4
# What a look-up by a name the text does not spell (``getattr(os, "metsys"[::-1])``,
# ``vars(os)[chr(115) + ...]``) finds, as the last part of a dotted name.
RUN_TIME_NAME = "<run-time name>"
# What a function's ``__globals__`` holds: the names of a module not known here.
GLOBALS = "<a function's __globals__>"


# asyncio event loop methods that run a command, known by their names on any value.
LOOP_METHODS = frozenset({"subprocess_exec", "subprocess_shell"})


class CallNames:
    """Resolves expressions of one parsed file to dotted names."""

    def __init__(self, tree: ast.Module, star_names: Mapping[str, Iterable[str]]) -> None:
        statements = list(_statements(tree))
        self.imports = _imported_names(statements, star_names)
        self._tree = tree
        self._defined: set[str] | None = None
        # Plain ``name = expression`` bindings that may name something: the first one
        # that resolves counts (a name bound twice is read as either).
        self._assigned: dict[str, list[ast.expr]] = {}
        for name, value in _bindings(statements):
            bound = self._assigned.setdefault(name, [])
            if len(bound) < _MAX_BINDINGS:
                bound.append(value)
        self._steps = 0
        # Names resolved through assignments (a name followed to nothing is tried again:
        # its steps may have run out).
        self._known: dict[str, str] = {}
        self._statements = statements
        self._texts: dict[str, set[str | None]] | None = None

    @property
    def defined(self) -> set[str]:
        """Names the file binds itself (a ``def compile`` is not the builtin)."""
        if self._defined is None:
            found = (_bound_name(node) for node in ast.walk(self._tree))
            self._defined = {name for name in found if name is not None}
        return self._defined

    def callee(self, func: ast.expr) -> str | None:
        """The dotted name ``func`` stands for (``builtins.`` dropped), or None."""
        self._steps = _MAX_STEPS
        name = self.dotted(func, 0)
        if name == f"builtins.{RUN_TIME_NAME}":
            return name  # any builtin, named as such
        return name.removeprefix("builtins.") if name else None

    def called(self, call: ast.Call) -> str | None:
        """The dotted name a call calls: its callee's, or, for
        ``operator.methodcaller("system", cmd)(os)``, the method it calls on its argument;
        an event loop's method by its name alone (``loop.subprocess_shell(...)``: the
        loop is a value, not a name)."""
        func = call.func
        if isinstance(func, ast.Call) and func.args and len(call.args) == 1:
            self._steps = _MAX_STEPS
            if self.dotted(func.func, 0) == "operator.methodcaller":
                target = self.dotted(call.args[0], 0)
                return _attribute(target, literal_text(func.args[0]))
        while isinstance(func, ast.Attribute) and func.attr == "__call__":
            func = func.value  # ``os.system.__call__(cmd)`` calls ``os.system``
        name = self.callee(func)
        if name is None and isinstance(func, ast.Attribute) and func.attr in LOOP_METHODS:
            return f"asyncio.AbstractEventLoop.{func.attr}"
        return name

    def references(
        self, tree: ast.AST, within: Callable[[ast.AST], bool] | None = None
    ) -> Iterator[tuple[ast.expr, str, ast.Call | None]]:
        """Expressions used as values that stand for a dotted name (``builtins.`` dropped),
        with the call they are handed to, if any: ``Thread(target=os.system)``,
        ``atexit.register(getattr(os, "system"), cmd)``.

        Not a call's callee (that is :meth:`callee`'s), nor parameter and return
        annotations, class bases
        and the classes ``isinstance`` tests, which name types and call nothing. With
        ``within``, parts of the tree it refuses are skipped.
        """
        # Each node with whether it is itself a value (a callee, or the value a plain
        # assignment binds to a name, followed where the name is used, is not), and the
        # call it is an argument of.
        stack: list[tuple[ast.AST, bool, ast.Call | None]] = [(tree, False, None)]
        while stack:
            node, is_value, handed_to = stack.pop()
            if within is not None and not within(node):
                continue
            if is_value and isinstance(node, _NAMING) and _loaded(node):
                name = self.callee(node)
                if name is not None:
                    yield node, name, handed_to
                    continue
            if isinstance(node, ast.Call):
                # What tests or describes a function (``isinstance(x, socket.socket)``,
                # ``functools.wraps(subprocess.run)``) does not call it: what it is given
                # is read, not held; calls inside are still looked into.
                held = not self._describes(node.func)
                stack.append((node.func, False, None))
                stack.extend((arg, held, node) for arg in node.args)
                stack.extend((keyword.value, held, node) for keyword in node.keywords)
                continue
            if isinstance(node, ast.ClassDef):
                # A base names a class (``class Shell(subprocess.Popen)``); what is inside
                # one (``Base[os.system]``), and the class keywords, which
                # ``__init_subclass__`` is given, are values.
                stack.extend((base, False, None) for base in node.bases)
                stack.extend((keyword.value, True, None) for keyword in node.keywords)
                # A decorator is called with the class.
                stack.extend((decorator, True, None) for decorator in node.decorator_list)
                stack.extend((statement, False, None) for statement in node.body)
                continue
            if isinstance(node, ast.Attribute):
                # What an attribute is taken of is looked in, not handed on
                # (``os.system.__name__``, a loaded library's ``libc.system``).
                stack.append((node.value, False, None))
                continue
            if isinstance(node, ast.Compare):
                # ``webbrowser.open is not None`` tests a name, it hands nothing on.
                stack.extend((part, False, None) for part in (node.left, *node.comparators))
                continue
            bound = isinstance(node, ast.Assign | ast.AnnAssign) and _binds_names(node)
            value = getattr(node, "value", None)
            unpacked = isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Tuple | ast.List) for target in node.targets
            )
            if bound and unpacked and isinstance(value, ast.Tuple | ast.List):
                # ``run, n = os.system, 1``: each part is bound, as a value alone is.
                stack.extend((part, False, None) for part in value.elts)
                continue
            stack.extend(
                (child, isinstance(child, ast.expr) and not (bound and field == "value"), None)
                for field, child in _fields(node)
                if field not in _NOT_VALUES or not isinstance(node, _NOT_VALUES[field])
            )

    def _describes(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name) and func.id not in self.imports:
            return func.id in _DESCRIBING_BUILTINS or func.id in _TYPE_TESTS
        name = self.callee(func)
        return name is not None and (name in _DESCRIBING or name.startswith("inspect."))

    def dotted(self, node: ast.expr, depth: int) -> str | None:
        self._steps -= 1
        if depth > _MAX_DEPTH or self._steps < 0:
            return None
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value, depth + 1)
            if base:
                return f"{base}.{node.attr}"
            # ``class Tools: run = os.system`` then ``Tools.run(cmd)``.
            if isinstance(node.value, ast.Name):
                return self._name(f"{node.value.id}.{node.attr}", depth + 1, builtin=False)
            return None
        if isinstance(node, ast.NamedExpr):
            return self.dotted(node.value, depth + 1)
        if isinstance(node, ast.Call):
            return self._looked_up(node, depth)
        if isinstance(node, ast.Subscript):
            return self._item(node, depth)
        return None

    def _name(self, name: str, depth: int, *, builtin: bool = True) -> str | None:
        if name in self.imports:
            return self.imports[name]
        if name in self._known:
            return self._known[name]
        for value in self._assigned.get(name, ()):
            found = self.dotted(value, depth + 1)
            if found:
                self._known[name] = found
                return found
        # Only the builtins a check looks for: whether the file rebinds one takes a walk
        # of the whole tree.
        if not builtin or name not in _BUILTINS_LOOKED_FOR or name in self.defined:
            return None
        return "builtins" if name == "__builtins__" else f"builtins.{name}"

    def _looked_up(self, call: ast.Call, depth: int) -> str | None:
        """What a call that looks a module or attribute up by name returns."""
        looked_up = self._looked_up_by_method(call, depth)
        if looked_up is not None:
            return looked_up
        func = self.dotted(call.func, depth + 1)
        func = func.removeprefix("builtins.") if func else None
        args = _spread(call.args)
        if not args and call.keywords:
            # ``import_module(name="os")``, ``__import__(name="os")``
            args = [k.value for k in call.keywords if k.arg == "name"][:1]
        if not args or func is None:
            return None
        first = self._text(args[0])
        if func.endswith(".__dict__.get"):  # ``os.__dict__.get("system")``
            return _attribute(func.removesuffix(".__dict__.get"), first)
        if func in ("__import__", "importlib.__import__"):
            if not first or first.startswith("."):
                return None
            return first if _has_fromlist(call) else first.split(".")[0]
        if func == "importlib.import_module":
            return first if first and not first.startswith(".") else None
        if func == "sys.modules.get":
            return first
        if func == "pkgutil.resolve_name":  # ``"os:system"`` or ``"os.system"``
            return first.replace(":", ".") if first and not first.startswith(".") else None
        if func == "getattr" and len(args) >= 2:
            return _attribute(self.dotted(args[0], depth + 1), self._text(args[1]))
        if func == "functools.reduce" and len(args) == 3:
            return self._reduced(args, depth)
        return None

    def _text(self, node: ast.expr) -> str | None:
        """:func:`literal_text`, also of a name the file binds only to that text
        (``n = "o" "s"`` then ``__import__(n)``)."""
        text = literal_text(node)
        if text is not None or not isinstance(node, ast.Name):
            return text
        if self._texts is None:
            self._texts = {}
            for statement in self._statements:
                if isinstance(statement, ast.Assign):
                    targets, value = statement.targets, statement.value
                elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                    targets, value = [statement.target], statement.value
                else:
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        self._texts.setdefault(target.id, set()).add(literal_text(value))
        texts = self._texts.get(node.id, set())
        return next(iter(texts)) if len(texts) == 1 else None

    def _reduced(self, args: list[ast.expr], depth: int) -> str | None:
        """``functools.reduce(getattr, ["path", "join"], os)``: ``os.path.join``."""
        step, names, start = args
        if self.dotted(step, depth + 1) != "builtins.getattr":
            return None
        if not isinstance(names, ast.List | ast.Tuple) or not names.elts:
            return None
        found = self.dotted(start, depth + 1)
        for name in names.elts:
            found = _attribute(found, literal_text(name))
        return found

    def _looked_up_by_method(self, call: ast.Call, depth: int) -> str | None:
        """``os.__getattribute__("system")``, ``object.__getattribute__(os, "system")``,
        ``operator.attrgetter("system")(os)``, ``vars(os).get("system")``."""
        func, args = call.func, call.args
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and isinstance(func.value, ast.Call)
            and len(func.value.args) == 1
            and self.dotted(func.value.func, depth + 1) == "builtins.vars"
            and args
        ):  # ``vars(os).get("system")``
            return _attribute(self.dotted(func.value.args[0], depth + 1), literal_text(args[0]))
        if isinstance(func, ast.Attribute) and func.attr == "__getattribute__" and args:
            holder = func.value if len(args) == 1 else args[0]
            base = self.dotted(holder, depth + 1)
            if base == "builtins.object" and len(args) == 1:
                return None
            return _attribute(base, literal_text(args[-1]))
        if (
            isinstance(func, ast.Call)
            and len(func.args) == 1
            and len(args) == 1
            and self.dotted(func.func, depth + 1) == "operator.attrgetter"
        ):
            return _attribute(self.dotted(args[0], depth + 1), literal_text(func.args[0]))
        return None

    def _item(self, node: ast.Subscript, depth: int) -> str | None:
        """``sys.modules["os"]``, ``os.__dict__["system"]``, ``vars(os)["system"]``,
        ``__builtins__["exec"]``."""
        key = literal_text(node.slice)
        value = node.value
        if isinstance(value, ast.Attribute) and value.attr == "__globals__":
            # ``f.__globals__["sys" + "tem"]``: any name of the module some function is
            # from (one reached through ``().__class__.__base__.__subclasses__()``).
            return f"{GLOBALS}.{RUN_TIME_NAME}"
        if self._is_namespace(value, depth):
            # ``globals()["__builtins__"]``, ``locals()["run"]``: a name of the file's own.
            return self._name(key, depth + 1) if key else None
        if isinstance(value, ast.Attribute) and value.attr == "__dict__":
            base = self.dotted(value.value, depth + 1)
        elif isinstance(value, ast.Call) and len(value.args) == 1 and not value.keywords:
            is_vars = self.dotted(value.func, depth + 1) == "builtins.vars"
            base = self.dotted(value.args[0], depth + 1) if is_vars else None
        else:
            base = self.dotted(value, depth + 1)
            if base == "sys.modules":
                return key or None  # a module named at run time: imports do that too
            if base != "builtins":
                return None
        return _attribute(base, key)

    def _is_namespace(self, node: ast.expr, depth: int) -> bool:
        """``globals()``, ``locals()``, ``vars()``: the file's own names."""
        return (
            isinstance(node, ast.Call)
            and not node.args
            and not node.keywords
            and self.dotted(node.func, depth + 1) in _NAMESPACES
        )


def _attribute(base: str | None, name: str | None) -> str | None:
    """``base.name``; with no name spelled, what a look-up in ``base`` by a name built at
    run time finds."""
    if not base or name == "":
        return None
    return f"{base}.{name if name is not None else RUN_TIME_NAME}"


_TYPE_TESTS = frozenset({"isinstance", "issubclass"})
# Calls that read what a function is, without calling it.
_DESCRIBING_BUILTINS = frozenset(
    {"type", "id", "callable", "repr", "str", "hash", "print", "hasattr", "dir", "format"}
)
_DESCRIBING = frozenset(
    {"functools.wraps", "functools.update_wrapper", "typing.cast", "pydoc.render_doc"}
)
_NAMING = (ast.Name, ast.Attribute, ast.Subscript, ast.Call)
# Fields that hold types, not values, by the nodes that have them.
# A variable's annotation is a value: ``__annotations__`` holds it, and a class's
# ``__init_subclass__`` (dataclass-style) may call it.
_NOT_VALUES: dict[str, type | tuple[type, ...]] = {
    "annotation": ast.arg,
    "returns": (ast.FunctionDef, ast.AsyncFunctionDef),
}


def _loaded(node: ast.expr) -> bool:
    return not isinstance(getattr(node, "ctx", None), ast.Store | ast.Del)


def _binds_names(node: ast.Assign | ast.AnnAssign) -> bool:
    """Whether every target is a name, or a tuple of names as long as a tuple value.

    Not a special name (``__class_getitem__ = os.system`` in a class, a module's
    ``__getattr__``): Python calls what it holds without the code naming it again."""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = node.value
    return all(
        (isinstance(target, ast.Name) and not _special(target.id))
        or (
            isinstance(target, ast.Tuple | ast.List)
            and isinstance(value, ast.Tuple | ast.List)
            and len(target.elts) == len(value.elts)
            and all(isinstance(part, ast.Name) and not _special(part.id) for part in target.elts)
        )
        for target in targets
    )


def _special(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _fields(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.AST):
            yield field, value
        elif isinstance(value, list):
            yield from ((field, item) for item in value if isinstance(item, ast.AST))


def literal_text(node: ast.expr, depth: int = 0) -> str | None:
    """A string the expression spells with literals alone: ``"ex" + "ec"``, ``f"os"``,
    ``"".join(["sys", "tem"])``."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = literal_text(node.left, depth + 1), literal_text(node.right, depth + 1)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.JoinedStr):
        parts = [literal_text(value, depth + 1) for value in node.values]
        return "".join(parts) if all(part is not None for part in parts) else None  # type: ignore[arg-type]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.List | ast.Tuple)
    ):
        glue = literal_text(node.func.value, depth + 1)
        parts = [literal_text(item, depth + 1) for item in node.args[0].elts]
        if glue is None or any(part is None for part in parts):
            return None
        return glue.join(parts)  # type: ignore[arg-type]
    return None


def _spread(args: list[ast.expr]) -> list[ast.expr]:
    """Arguments with literal lists spread out: ``__import__(*["os"])``."""
    spread: list[ast.expr] = []
    for arg in args:
        if isinstance(arg, ast.Starred) and isinstance(arg.value, ast.List | ast.Tuple):
            spread.extend(arg.value.elts)
        else:
            spread.append(arg)
    return spread


def _may_name(value: ast.expr) -> bool:
    return isinstance(value, ast.Name | ast.Attribute | ast.Call | ast.Subscript | ast.NamedExpr)


def _bindings(statements: Iterable[ast.AST]) -> Iterator[tuple[str, ast.expr]]:
    """``name = value`` bindings that may name something: assignments (to each name of a
    tuple unpacked from a tuple, too), annotated ones, and a class body's (``Tools.run``
    for ``run = os.system`` in ``class Tools``). What ``:=`` binds is not followed (it
    sits in any expression): its value counts where it stands, as a call's callee or a
    function handed on."""
    for node in statements:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                yield from _paired(target, node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            yield from _paired(node.target, node.value)
        elif isinstance(node, ast.ClassDef):
            for statement in node.body:
                if isinstance(statement, ast.Assign):
                    for target in statement.targets:
                        for name, value in _paired(target, statement.value):
                            yield f"{node.name}.{name}", value


def _paired(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(target, ast.Name) and _may_name(value):
        yield target.id, value
    elif (
        isinstance(target, ast.Tuple | ast.List)
        and isinstance(value, ast.Tuple | ast.List)
        and len(target.elts) == len(value.elts)
    ):
        for part, part_value in zip(target.elts, value.elts, strict=True):
            yield from _paired(part, part_value)


def _has_fromlist(call: ast.Call) -> bool:
    """Whether ``__import__`` is given a fromlist, which makes it return the named module
    itself rather than its top package."""
    given = call.args[3] if len(call.args) > 3 else None
    for keyword in call.keywords:
        if keyword.arg == "fromlist":
            given = keyword.value
    if given is None:
        return False
    return not (isinstance(given, ast.Constant) and not given.value) and not (
        isinstance(given, ast.List | ast.Tuple) and not given.elts
    )


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement, at any depth, without walking into expressions."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, (ast.stmt, ast.ExceptHandler, ast.match_case))
        )


def _imported_names(
    nodes: Iterable[ast.AST], star_names: Mapping[str, Iterable[str]]
) -> dict[str, str]:
    """Local name → dotted name it was imported as (``import subprocess as sp`` → sp)."""
    names: dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    names[head] = head
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    names[alias.asname or alias.name] = f"{module}.{alias.name}"
                else:
                    for name in star_names.get(module, ()):
                        names.setdefault(name, f"{module}.{name}")
    return names


def _bound_name(node: ast.AST) -> str | None:
    """The name a node binds: a definition, an assignment target, a parameter."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return node.id
    if isinstance(node, ast.arg):
        return node.arg
    return None
