"""The strings of an annotation that are values, not types: ``Literal``'s and ``Annotated``'s.

griffe reads a string in an annotation as a forward reference and shows it as
the name it spells (``x: "Foo"`` is ``x: Foo``), except inside ``Literal[...]``,
which it knows by its canonical path. A package that takes ``Literal`` from a
compat module of its own (``from .compat import Literal``) loses the quotes
(``Literal[r, w]``), and ``Annotated``'s metadata loses them always
(``Annotated[int, doc]``): a value read as a name, and two different values
that spell the same name compared as equal (``"r"`` and ``r``).

:func:`install` puts a builder for subscripts in griffe's table that marks the
strings of a subscript of any ``Literal`` (a name or attribute so called, or
imported so) and those after the first argument of any ``Annotated`` as values, and leaves
everything else to griffe's own builder. Without the table (a griffe that builds
another way) nothing is installed, and annotations read as griffe reads them.
"""

from __future__ import annotations

import ast
from typing import Any

import griffe

__all__ = ["install"]

_Builder = Any  # griffe's builders take (node, parent, **options)


def _called(node: ast.expr, built: str | griffe.Expr) -> str:
    """What a subscript's value is: the last part of its name, or of the path it was
    imported from (``from typing import Annotated as A``)."""
    if isinstance(node, ast.Name) and isinstance(built, griffe.ExprName):
        try:
            return built.canonical_path.rpartition(".")[2]
        except Exception:  # a name griffe cannot resolve yet: as spelled
            return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


def _subscript_builder(table: dict[type, _Builder], stock: _Builder) -> _Builder:
    def build(
        node: ast.Subscript,
        parent: griffe.Module | griffe.Class,
        *,
        parse_strings: bool = False,
        literal_strings: bool = False,
        **options: Any,
    ) -> griffe.Expr:
        if (
            parse_strings
            and not literal_strings
            and isinstance(node.value, ast.Name | ast.Attribute)
        ):
            called = _called(node.value, table[type(node.value)](node.value, parent, **options))
            if called == "Literal":
                literal_strings = True
            elif called == "Annotated" and isinstance(node.slice, ast.Tuple):
                return _annotated(table, node, node.slice, parent, options)
        return stock(  # type: ignore[no-any-return]
            node,
            parent,
            parse_strings=parse_strings,
            literal_strings=literal_strings,
            **options,
        )

    return build


def _annotated(
    table: dict[type, _Builder],
    node: ast.Subscript,
    arguments: ast.Tuple,
    parent: griffe.Module | griffe.Class,
    options: dict[str, Any],
) -> griffe.Expr:
    """``Annotated[T, metadata...]``: T a type (its strings forward references), the
    metadata values."""

    def built(element: ast.expr, **flags: bool) -> str | griffe.Expr:
        return table[type(element)](element, parent, **options, **flags)  # type: ignore[no-any-return]

    elements = [
        built(element, parse_strings=True, literal_strings=index > 0)
        for index, element in enumerate(arguments.elts)
    ]
    left = built(node.value)
    assert not isinstance(left, str)  # a name or an attribute builds an expression
    return griffe.ExprSubscript(left, griffe.ExprTuple(elements, implicit=bool(elements)))


def install() -> None:
    """Put the subscript builder in griffe's table, once."""
    try:
        from griffe._internal import expressions
    except ImportError:
        return
    table = getattr(expressions, "_node_map", None)
    if not isinstance(table, dict) or ast.Subscript not in table:
        return
    stock = table[ast.Subscript]
    if getattr(stock, "__module__", None) == __name__:
        return
    table[ast.Subscript] = _subscript_builder(table, stock)
