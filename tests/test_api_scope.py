"""The scan of unchanged modules that tells the API comparison what can change through them."""

from __future__ import annotations

import pytest

from sphinxext.releasediff.api_scope import Scope, module_names, scan

KNOWN = frozenset(
    {
        ("pkg",),
        ("pkg", "core"),
        ("pkg", "core", "Base"),
        ("pkg", "util"),
        ("pkg", "util", "helper"),
        ("pkg", "sub"),
        ("pkg", "sub", "deep"),
        ("other",),
    }
)


def test_imports_of_every_spelling_are_found() -> None:
    source = (
        b"from .core import Base as B\n"
        b"from pkg.util import (\n    helper,\n    other_name as o,\n)\n"
        b"import pkg.sub.deep as deep, other\n"
        b"    from . import util  # indented, inside a block\n"
        b"x = 'import nothing'\n"
        b"from .sub import deep"  # the last line, without a newline
    )
    facts = scan(("pkg", "mod"), False, source, KNOWN)
    assert facts.imports == KNOWN
    # Renames come from import statements only: ``with open() as f`` binds no base.
    assert facts.renames == (("Base", "B"), ("other_name", "o"), ("deep", "deep"))
    assert not facts.reexports


def test_relative_imports_past_the_top_are_ignored() -> None:
    facts = scan(("pkg", "mod"), False, b"from ... import core\nfrom .. import other\n", KNOWN)
    assert facts.imports == {("other",)}


def test_classes_and_the_words_of_their_bases() -> None:
    source = (
        b"class A(B, metaclass=Meta):\n    pass\n"
        b"class Generic[T](\n    core.Base,\n):\n    pass\n"
        b"    class Inner:\n        pass\n"
        b"with open(path) as handle:\n    pass\n"
        b"try:\n    pass\nexcept ImportError as error:\n    pass\n"
        b"subclass = 1\n"
    )
    facts = scan(("pkg", "mod"), False, source, KNOWN)
    assert facts.class_names == {"A", "Generic", "Inner"}
    assert facts.base_words == {"B", "metaclass", "Meta", "core", "Base"}
    assert facts.renames == ()


def test_what_makes_a_module_re_export() -> None:
    def reexports(source: bytes, package: bool = False) -> bool:
        return scan(("pkg", "mod"), package, source, KNOWN).reexports

    assert reexports(b"__all__ = ['x']\n")
    assert reexports(b"from .core import *\n")
    assert reexports(b"from .core import  ( *\n")
    assert reexports(b"", package=True)
    assert not reexports(b"from .core import x\ny = a * b\n")


def test_crlf_lines_are_read_like_lf_lines() -> None:
    lf = b"from .core import Base\nclass C(Base):\n    pass\n"
    crlf = lf.replace(b"\n", b"\r\n")
    assert scan(("pkg", "mod"), False, crlf, KNOWN).imports == {
        ("pkg",),
        ("pkg", "core"),
        ("pkg", "core", "Base"),
    }
    assert scan(("pkg", "mod"), False, crlf, KNOWN).base_words == {"Base"}


def test_reexport_closure_goes_through_modules_that_do_not_reexport() -> None:
    known = KNOWN | {("pkg", "b"), ("pkg", "c")}
    facts = {
        ("pkg",): scan(("pkg",), True, b"from .b import X\n", known),
        ("pkg", "b"): scan(("pkg", "b"), False, b"from .c import X\n", known),
    }
    scope = Scope(facts)
    assert scope.reexport_closure({("pkg", "c")}) == {("pkg", "c"), ("pkg",)}


def test_module_names_tell_what_a_module_defines_and_what_it_imports() -> None:
    source = (
        b"import os, sys as _sys\n"
        b"from .core import (Base, helper as _helper)\n"
        b"from ... import beyond\n"
        b"from pkg.util import thing\n"
        b"try:\n    from fast import speedy\nexcept ImportError:\n    speedy = None\n"
        b"def run(a):\n    local = 1\n"
        b"async def arun():\n    pass\n"
        b"class Tool(Base):\n    inner = 2\n"
        b"LIMIT: int = 3\nDECLARED: str\n"
        b"else_ = 1\nx == 2\nobj.attr = 3\n"
        b"if True:\n    CONDITIONAL = 1\nelse: OTHER = 2\n"
    )
    names = module_names(("pkg", "mod"), False, source)
    # Only what column 0 binds: ``speedy = None`` under ``except``, ``CONDITIONAL`` and
    # ``OTHER`` are left to a full read.
    assert names.defined == {"run", "arun", "Tool", "LIMIT", "DECLARED", "else_"}
    assert names.imported == {
        "os": None,
        "_sys": None,
        "Base": (("pkg", "core"), "Base"),
        "_helper": (("pkg", "core"), "helper"),
        "beyond": None,
        "thing": (("pkg", "util"), "thing"),
        "speedy": (("fast",), "speedy"),
    }
    assert not names.opaque


@pytest.mark.parametrize(
    "source",
    [
        b"from .core import *\n",
        b"def __getattr__(name):\n    pass\n",
        b"__all__ = core.__all__ + ['x']\n",
        b"__all__ = ['x']\n__all__ += extra\n",
        b"__all__ = ['x']\n__all__.extend(more)\n",
        b"__all__ = list_of_names\n",
    ],
    ids=["star import", "module getattr", "__all__ from another", "+=", "extend", "a name"],
)
def test_module_names_are_opaque_where_names_may_come_from_elsewhere(source: bytes) -> None:
    assert module_names(("pkg",), True, source).opaque
    assert not module_names(("pkg",), True, b"__all__ = ['x', 'y']\nx = y = 1\n").opaque
