"""The type aliases a release defines, spelled out to compare the annotations that name them.

``def f(x: StrPath)`` with ``StrPath = Union[str, os.PathLike[str]]`` takes
what ``def f(x: Union[str, os.PathLike[str]])`` took: a release that names
its types this way changes no caller. Each entry's key is therefore also
written with the aliases it names replaced by their values (see
:attr:`.api.ApiEntry.spelled`), and two entries are the same when either
spelling agrees. A changed alias is one row of its own, not one for every
function whose annotation names it, since those keep their written key.

An alias is a module-level name bound to a type expression: a name, a dotted
name, a subscript (``dict[str, int]``, ``Callable[[int], str]``), a ``|``
union, or anything at all when annotated ``TypeAlias``, or a ``type`` statement.
A call (``TypeVar("T")``, ``NewType("UserId", int)``) makes a new type, not an alias.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

import griffe

__all__ = ["TypeAliases"]

# Aliases of aliases are followed this deep: a cycle (``A = B``, ``B = A``) stops here.
_MAX_DEPTH = 8
_WORD = re.compile(r"[A-Za-z_]\w*")
_TYPE_EXPRESSIONS = (griffe.ExprName, griffe.ExprAttribute, griffe.ExprSubscript)
# Aliases defined outside any release: typeshed's stubs (``types-*``) write ``Incomplete``,
# ``Incomplete: TypeAlias = Any`` in ``_typeshed``, for a type not worked out yet.
_OUTSIDE: dict[str, str | griffe.Expr] = {"_typeshed.Incomplete": "Any"}


class TypeAliases:
    """One release's module-level type aliases, by the path they are defined at."""

    def __init__(
        self,
        modules: Iterable[griffe.Module] = (),
        collection: griffe.ModulesCollection | None = None,
    ) -> None:
        self._collection = collection
        self._values: dict[str, str | griffe.Expr] = dict(_OUTSIDE)
        for module in modules:
            for name, member in module.members.items():
                value = _alias_value(member)
                if value is not None:
                    self._values[f"{module.path}.{name}"] = value
        self._names = frozenset(path.rpartition(".")[2] for path in self._values)

    def named_in(self, text: str) -> bool:
        """Whether a text (an entry's key) may name one of the aliases: a cheap first test."""
        return bool(self._names) and any(word in self._names for word in _WORD.findall(text))

    def spell(self, annotation: str | griffe.Expr | None) -> str | None:
        """The annotation with each alias it names replaced by the alias's value."""
        if annotation is None:
            return None
        return self._spelled(annotation, 0)

    def _spelled(self, expr: str | griffe.Expr, depth: int) -> str:
        if isinstance(expr, str):
            return expr
        if isinstance(expr, griffe.ExprName | griffe.ExprAttribute):
            value = self._value_named(expr, depth)
            if value is not None:
                return value
            if isinstance(expr, griffe.ExprName):
                return expr.name
        return "".join(self._spelled(element, depth) for element in expr.iterate(flat=False))

    def _value_named(self, expr: griffe.ExprName | griffe.ExprAttribute, depth: int) -> str | None:
        last = expr if isinstance(expr, griffe.ExprName) else expr.last
        if last.name not in self._names or depth >= _MAX_DEPTH:
            return None
        try:
            path = expr.canonical_path
        except Exception:  # griffe cannot resolve the name in its scope
            return None
        value = self._values.get(path)
        if value is None:
            value = self._values.get(self._final_path(path), None)
        if value is None:
            return None
        # Parenthesised so that a union stays one operand; the key's unparse drops
        # what is not needed.
        return f"({_unquoted(self._spelled(value, depth + 1))})"

    def _final_path(self, path: str) -> str:
        """Where an imported name leads, through re-exports."""
        if self._collection is None:
            return path
        try:
            found = self._collection.get_member(path)
            if isinstance(found, griffe.Alias):
                found = found.final_target
        except Exception:  # an import griffe cannot follow (outside the release, a cycle)
            return path
        return str(found.path)


def _alias_value(member: griffe.Object | griffe.Alias) -> str | griffe.Expr | None:
    """The value of a module-level type alias, or None for any other member."""
    if isinstance(member, griffe.TypeAlias):
        return member.value
    if not isinstance(member, griffe.Attribute) or member.value is None:
        return None
    annotation = member.annotation
    if annotation is not None:
        declared = str(annotation).rpartition(".")[2] == "TypeAlias"
        return member.value if declared else None
    if isinstance(member.value, griffe.ExprBinOp) and member.value.operator == "|":
        return member.value
    return member.value if isinstance(member.value, _TYPE_EXPRESSIONS) else None


def _unquoted(text: str) -> str:
    """A forward reference's text (``'dict[str, int]'``) as the expression it names."""
    if text[:1] not in {"'", '"'}:
        return text
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text
    return value if isinstance(value, str) else text
