"""Which Python files can hold a call to one of a set of dotted names, judged by their text.

Parsing is what the notable ``exec`` check costs: on Django 5.0.8 -> 5.1 it
parsed 57 changed files because each imported ``os``, ``urllib`` or ``http``,
though none called a risky function. A call the check reports is a callee
resolved through the file's imports (``subprocess.run``, ``sp.run`` after
``import subprocess as sp``, ``run`` after ``from subprocess import run``) or a
bare builtin, so the file must import something on the way to a risky name and
then spell the rest of it where code names it (after a dot, or first in a
string: "the file system" in a comment is no ``os.system``; of a deeper name,
its next part and its last, ``meta_path`` and ``append``; a builtin's name
followed by another word is prose), or look a name up by a string (``getattr(os, ...)``,
``__import__``, ``sys.modules``, a star import of such a module), where the rest
need not be spelled. :meth:`CallScanner.may_call` looks for exactly that
in the text, and answers yes whenever it cannot tell (non-ASCII text, whose
text that cannot be decoded, or an import it cannot read; other text is
read with its characters normalised as Python normalises identifiers): a yes only costs
a parse, a wrong no would hide a call.
"""

from __future__ import annotations

import io
import re
import tokenize
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

__all__ = ["CallScanner", "import_bindings"]

# ``from M import (a, b as c)`` / ``from M import a, b`` / ``import a.b as c, d``: anywhere
# in a line (``if x: import os``, ``x = 1; import os``), across backslash continuations,
# with comments inside the parentheses.
_GAP = rb"(?:[ \t\f]|\\\r?\n)"  # blanks, and line ends escaped by a backslash
# Each pattern starts with its keyword and looks behind it for a word boundary: a
# pattern that starts with a look-behind is searched for at every byte, ten times slower.
_FROM_IMPORT = re.compile(
    rb"from(?<!\wfrom)" + _GAP + rb"+([\w.]+)" + _GAP + rb"+import\b" + _GAP + rb"*"
    # A comment in brackets runs to its line end: so a text splits into the pieces one way
    # only (``#`` alone as a piece made 22 ``#`` in an unclosed bracket take 0.25 s, and
    # each one more twice that).
    rb"(\((?:[^)#]|#[^\n]*\n)*\)|(?:[^\n;#\\]|\\\r?\n)*)"
)
_IMPORT = re.compile(rb"import(?<!\wimport)" + _GAP + rb"+((?:[^\n;#\\]|\\\r?\n)*)")
_COMMENT = re.compile(r"#[^\n]*")
# Text that imports a module by a name spelled in string literals (the parse knows no
# other), or reaches the builtins' namespace: any module may follow.
_IMPORTS_BY_NAME = re.compile(
    rb"(?:__import__|import_module|resolve_name)\s*\(\s*(?:name\s*=\s*)?[(\s*\[]*[rbfuRBFU]{0,2}[\"'](?!\.)"
    rb"|__builtins__"
)
# Text that looks a name up in a module it holds (``getattr(os, "system")``,
# ``os.__dict__[...]``, ``vars(os)[...]``, ``sys.modules[...]``, ``attrgetter``;
# "getattr" is in ``__getattribute__`` too).
_LOOKUPS_BY_NAME = re.compile(rb"getattr|attrgetter|methodcaller|__dict__|\bvars\b|\bmodules\b")
_LOOKUP_ROOTS = frozenset({"sys", "builtins"})
# The words the two patterns above need, looked for first: an alternation with no
# common start is tried at every byte (0.3-0.5 s over Django's 2,200 modules).
_IMPORT_WORDS = (b"__import__", b"import_module", b"resolve_name", b"__builtins__")
_LOOKUP_WORDS = (b"getattr", b"attrgetter", b"methodcaller", b"__dict__", b"vars", b"modules")
# ``globals()["run"]``, ``locals()[...]``, ``vars()[...]``: any name of the file's own.
_NAMESPACE_WORDS = (b"globals", b"locals", b"vars")
_NAMESPACE_LOOKUP = re.compile(rb"\b(?:globals|locals|vars)\s*\(\s*\)\s*\[")
_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")


# ``__import__(n)``, ``import_module(name)``: a module named by a variable.
_IMPORTS_BY_VARIABLE = re.compile(
    rb"(?:__import__|import_module)\s*\(\s*(?:name\s*=\s*)?([A-Za-z_]\w*)\s*[,)]"
)


def _imports_by_a_bound_text(data: bytes) -> bool:
    """Whether a variable a dynamic import is given is bound to a string's text in the
    file (``n = "o" "s"``, ``name = "".join([...])``): the parse follows that."""
    for match in _IMPORTS_BY_VARIABLE.finditer(data):
        name = re.escape(match.group(1))
        bound = rb"(?<![\w.])" + name + rb"\s*(?::[^=\n]*)?=\s*(?:[rbfuRBFU]{0,2}[\"'(\[]|\w*[\"'])"
        if re.search(bound, data):
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Binding:
    """A local name an import binds, and the dotted name it stands for."""

    local: str
    dotted: str


class CallScanner:
    """Knows the dotted names worth a parse: exact names, and bare builtins."""

    def __init__(
        self, names: Iterable[str], builtins: Iterable[str], methods: Iterable[str] = ()
    ) -> None:
        """``methods``: risky on whatever value they are called (an event loop's)."""
        self._names = frozenset(names)
        self._method_words = tuple(method.encode() for method in sorted(methods))
        words = b"|".join(map(re.escape, self._method_words))
        self._methods = re.compile(rb"\.\s*(?:" + words + rb")\s*\(") if words else None
        self._bare = [_bare_word(name) for name in sorted(builtins)]
        self._below: dict[str, _Rest] = {}
        self._lookups: dict[str, re.Pattern[bytes]] = {}
        # The first part of each name (``os``, ``subprocess``, ``requests``).
        self._heads = frozenset(name.split(".")[0] for name in self._names)
        words = b"|".join(re.escape(head).encode() for head in sorted(self._heads))
        self._head_after_dot = re.compile(rb"\.[ \t]*(" + words + rb")[ \t]*\.")
        # Every module on the way to a name: what a lookup by name (``getattr(os, ...)``)
        # or a star import must start from.
        self._modules = frozenset(
            name.rsplit(".", depth)[0]
            for name in self._names
            for depth in range(1, name.count(".") + 1)
        )

    def may_call(self, data: bytes) -> bool:
        """Whether the text can hold a call to one of the names (never a wrong no)."""
        if not data.isascii():
            normalised = _identifiers_normalised(data)
            if normalised is None:
                return True
            data = normalised
        # Python ends a line at CR as well: an old Mac file is one line to the patterns.
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if any(pattern.search(data) for pattern in self._bare):
            return True
        methods = self._methods
        if methods and any(word in data for word in self._method_words) and methods.search(data):
            return True
        if any(word in data for word in _IMPORT_WORDS) and (
            _IMPORTS_BY_NAME.search(data) or _imports_by_a_bound_text(data)
        ):
            return True
        if any(word in data for word in _NAMESPACE_WORDS) and _NAMESPACE_LOOKUP.search(data):
            return True
        try:
            bindings = list(_bindings(data))
        except ValueError:
            return True
        looks_up = any(word in data for word in _LOOKUP_WORDS) and (
            _LOOKUPS_BY_NAME.search(data) is not None
        )
        # Most texts never name a risky module after a dot (``subprocess.os``): then no
        # attribute chain is read.
        after_dot = self._head_after_dot
        reach = _Reach(data, after_dot) if after_dot.search(data) else None
        return any(self._uses(binding, data, looks_up, reach) for binding in bindings)

    def _through_module(self, local: str, data: bytes, reach: _Reach) -> bool:
        """Whether the text reaches a risky module as an attribute of what ``local`` binds
        (``subprocess.os``, ``shutil.os``, ``pip._vendor.requests``): the rest of the
        name is then looked for below that module."""
        for head in reach.heads_after(local, self._heads):
            rest = self._rest_of(head)
            if rest is not None and rest.named_in(data):
                return True
        return False

    def _looked_up_in(self, local: str, data: bytes) -> bool:
        """Whether the text looks a name up in the module bound to ``local``, or binds
        that module to another name (``m = os``), which the parse then follows."""
        pattern = self._lookups.get(local)
        if pattern is None:
            word = re.escape(local).encode()
            # ``getattr(os, "O_BINARY", 0)``: a whole name in one literal is spelled out,
            # and the rest-of-name test sees it.
            pattern = re.compile(
                rb"getattr\s*\(\s*" + word + rb"\b(?!\s*,\s*[\"'][\w.]*[\"']\s*[,)])"
                rb"|\bvars\s*\(\s*" + word + rb"\b"
                rb"|(?<![\w.])" + word + rb"\s*\.\s*(?:__dict__|modules|__getattribute__)\b"
                rb"|__getattribute__\s*\(\s*" + word + rb"\b"
                # ``attrgetter(name)(os)``, ``methodcaller("system", cmd)(os)``: what
                # they are given may hold brackets.
                rb"|attrgetter\b|methodcaller\b"
                rb"|\breduce\b"  # ``functools.reduce(getattr, ["system"], os)``
                # ``g = getattr``, then ``g(os, name)``: any call may be the look-up.
                rb"|=\s*(?:builtins\s*\.\s*)?getattr\s*(?:[\n;#),]|$)"
                rb"|=\s*" + word + rb"\s*(?:[\n;#),]|$)"
            )
            self._lookups[local] = pattern
        return pattern.search(data) is not None

    def _uses(self, binding: _Binding, data: bytes, looks_up: bool, reach: _Reach | None) -> bool:
        dotted = binding.dotted
        # ``from os import *``, ``getattr(os, "sys" + "tem")``: the rest of the name
        # need not be spelled.
        if binding.local == "*":
            return dotted in self._modules
        if reach is not None and self._through_module(binding.local, data, reach):
            return True
        module = dotted in self._modules or dotted in _LOOKUP_ROOTS
        if module and looks_up and self._looked_up_in(binding.local, data):
            return True
        if dotted in self._names:
            # The name itself: it must be used somewhere besides its import.
            return len(_word(binding.local).findall(data)) >= 2
        # ``from pip._vendor import requests``: a risky module held by another package.
        relative = dotted.startswith(".")
        parts = dotted.lstrip(".").split(".")
        for start in range(1 if relative else 0, len(parts)):
            rest = self._rest_of(".".join(parts[start:]))
            if rest is not None and rest.named_in(data):
                return True
        return False

    def _rest_of(self, dotted: str) -> _Rest | None:
        """The rest of the names below a module (None: no names), where code can name
        it: after a dot (``os.system``, ``m.system`` after ``m = os``, ``os.\\`` and a
        line end), or first in a string (``getattr(os, "system")``). Prose ("the file
        system") is no call. Of a deeper name, its next part and its last are both
        spelled (``sys.meta_path`` and ``.append``): every file has an ``.append``."""
        if dotted not in self._modules:
            return None  # most imports (a package's own modules) lead to no risky name
        if dotted not in self._below:
            below = dotted + "."
            rests = [
                name[len(below) :].split(".") for name in self._names if name.startswith(below)
            ]
            pairs = frozenset((parts[0], parts[-1]) for parts in rests)
            words = "|".join(
                re.escape(word) for word in sorted({w for pair in pairs for w in pair})
            )
            pattern = re.compile(_NAMED_AFTER + b"(" + words.encode() + rb")\b")
            self._below[dotted] = _Rest(pattern, pairs)
        return self._below[dotted]


@dataclass(frozen=True, slots=True)
class _Rest:
    """The names below a module, as code must spell them to reach one."""

    # Each part in ``pairs``, where code names it (the word is group 1).
    words: re.Pattern[bytes]
    # Of each name, the part right below the module and the last part (the same for most).
    pairs: frozenset[tuple[str, str]]

    def named_in(self, data: bytes) -> bool:
        found: set[str] = set()
        for match in self.words.finditer(data):
            word = match.group(1).decode()
            found.add(word)
            if any(first in found and last in found for first, last in self.pairs):
                return True
        return False


# A dot, and what may stand between it and the name in brackets (blanks, line ends,
# comments, a backslash's line end), or a quote. A comment runs to its line end: each
# text splits into these pieces one way only, so no search backtracks far (``#`` alone
# as a piece made a line of 25 ``#`` after a dot take 2 s).
_NAMED_AFTER = rb"(?:[\"']|\.(?:[ \t\f\r\n\\]|#[^\n]*\n)*)"
# After a bare name, code has an operator, a bracket, a line end or a comment, or one of
# these keywords; another word ("compile the text") is prose.
_AFTER_A_NAME = ("if", "else", "and", "or", "not", "in", "is", "for", "as", "from", "async")


_DOT = re.compile(rb"[ \t]*\.[ \t]*")


class _Reach:
    """The risky modules a text names after a dot (``subprocess.os.system``), by the first
    name of the chain they stand in, found from those places alone."""

    def __init__(self, data: bytes, head_after_dot: re.Pattern[bytes]) -> None:
        self._after: dict[str, set[str]] = {}
        for match in head_after_dot.finditer(data):
            start = match.start()
            while start > 0 and data[start - 1] in _CHAIN_BYTES:
                start -= 1
            first = _DOT.split(data[start : match.start()].strip())[0]
            if first:
                self._after.setdefault(first.decode(), set()).add(match.group(1).decode())

    def heads_after(self, local: str, heads: frozenset[str]) -> set[str]:
        """The names among ``heads`` that stand after ``local`` and a dot somewhere."""
        return self._after.get(local, set()) & heads


_CHAIN_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_. \t")


def _identifiers_normalised(data: bytes) -> bytes | None:
    """The text as UTF-8 with every character NFKC-normalised, as Python reads identifiers
    (``ｅｘｅｃ`` is ``exec``); None when it cannot be decoded. Strings change too, which
    can only add matches."""
    try:
        encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
    return unicodedata.normalize("NFKC", text).encode("utf-8", "surrogatepass")


def _word(name: str) -> re.Pattern[bytes]:
    """``name`` as a whole word."""
    word = re.escape(name)
    return re.compile(f"{word}(?<!\\w{word})\\b".encode())


def _bare_word(name: str) -> re.Pattern[bytes]:
    """``name`` used bare, as code uses it: not an attribute (``re.compile`` is no
    builtin), not the name a ``def`` or ``class`` gives, not followed by a word that
    is no keyword."""
    word = re.escape(name)
    keywords = "|".join(_AFTER_A_NAME)
    pattern = (
        f"{word}(?<![.\\w]{word})(?<!def {word})(?<!class {word})\\b"
        f"(?![ \\t]+(?!(?:{keywords})\\b)[A-Za-z0-9_])"
    )
    return re.compile(pattern.encode())


def import_bindings(data: bytes) -> Iterator[tuple[str, str]]:
    """(local name, dotted name) for what each import statement of the text binds, as
    :meth:`CallScanner.may_call` reads them; raises ValueError on an unreadable list."""
    text = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    for binding in _bindings(text):
        if binding.local != "*":
            yield binding.local, binding.dotted


def _bindings(data: bytes) -> Iterator[_Binding]:
    """What each import statement binds.

    A real statement always reads as a list of dotted names with optional
    ``as`` names; an item on one line that does not is prose (a docstring saying
    "import this") and binds nothing; prose that does read as an import only
    costs a parse. Parentheses may span lines, and so swallow real statements
    after prose: an unreadable list in them raises ValueError.
    """
    keywords: set[int] = set()
    for match in _FROM_IMPORT.finditer(data):
        keywords.add(data.rindex(b"import", match.start(), match.start(2)))
        module = match.group(1).decode()
        for name, alias in _import_list(match.group(2)):
            if name != "*":
                yield _Binding(alias or name, f"{module}.{name}")
            else:
                yield _Binding("*", module)
    for match in _IMPORT.finditer(data):
        if match.start() in keywords:
            continue  # the ``import`` of a ``from ... import``
        for name, alias in _import_list(match.group(1)):
            # ``import a.b`` binds ``a``; ``import a.b as c`` binds ``c`` to ``a.b``.
            head = name.split(".")[0]
            yield _Binding(alias, name) if alias else _Binding(head, head)


def _import_list(raw: bytes) -> Iterator[tuple[str, str | None]]:
    text = raw.decode().replace("\\\r\n", " ").replace("\\\n", " ")
    text = _COMMENT.sub(" ", text).strip()
    strict = text.startswith("(")
    for item in text.removeprefix("(").removesuffix(")").split(","):
        words = item.split()
        if words == ["*"]:
            yield "*", None
        elif len(words) == 1 and _NAME.fullmatch(words[0]):
            yield words[0], None
        elif len(words) == 3 and _NAME.fullmatch(words[0]) and words[1] == "as":
            yield words[0], words[2]
        elif strict and words:
            raise ValueError(item)
