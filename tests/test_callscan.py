"""The text scan that decides which changed Python files the exec check parses.

Its contract: never a wrong no. A file it passes over must be one the full
check (parse and resolve every call) finds nothing in.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxext.releasediff import notable
from sphinxext.releasediff.model import Notable


def may_call(source: str) -> bool:
    return notable._may_call_risky(source.encode("utf-8"))


def found_by_full_check(data: bytes, monkeypatch: pytest.MonkeyPatch) -> list[Notable]:
    """What the exec check reports with every line added and the scan switched off."""
    with monkeypatch.context() as patched:
        patched.setattr(notable, "_may_call_risky", lambda _data: True)
        found = list(notable._exec_in_file("pkg/mod.py", b"", data))
    return [entry for entry in found if not entry.detail.startswith("not checked")]


@pytest.mark.parametrize(
    "source",
    [
        "import subprocess\nsubprocess.run(cmd)\n",
        "import subprocess as sp\nsp.check_output(cmd)\n",
        "from subprocess import run\nrun(cmd)\n",
        "from subprocess import run as go\ngo(cmd)\n",
        "from subprocess import (\n    PIPE,  # for pipes (see run)\n    Popen,\n)\nPopen(cmd)\n",
        "from subprocess \\\n    import check_call\ncheck_call(cmd)\n",
        "if True: import os\nos.system(cmd)\n",
        "x = 1; import os\nos.execv(path, args)\n",
        "import os\n(os\n .spawnl)(mode, path)\n",
        "import os.path\nos.popen(cmd)\n",
        "import urllib.request\nurllib.request.urlopen(url)\n",
        "from urllib import request\nrequest.urlopen(url)\n",
        "import requests\nrequests.post(url)\n",
        "import socket\nsocket.create_connection(address)\n",
        "import marshal\nmarshal.loads(blob)\n",
        "import builtins\nbuiltins.exec(code)\n",
        "from builtins import eval as e\ne(code)\n",
        "exec(code)\n",
        "value = eval(text)\n",
        "ｅｘｅｃ(code)\n",  # Python reads identifiers NFKC-normalised
        "import ｏｓ\nｏｓ.ｓｙｓｔｅｍ(cmd)\n",
        '"""Docs that import\nthings."""\nimport os\nos.system(cmd)\n',
        '"""from x import (see below"""\nfrom os import system\nsystem(cmd)\n',
        "import subprocess\rsubprocess.run(cmd)\r",  # old Mac line ends: Python takes them
        "import subprocess\r\nsubprocess.run(cmd)\r\n",
        "import\x0cos\nos.system(cmd)\n",  # a form feed is a blank to Python
        "from\x0csubprocess\x0cimport\x0crun\nrun(cmd)\n",
        # Names looked up by a string: the rest of the name need not be spelled.
        "__import__('sub' + 'process').run(cmd)\n",
        "import importlib\nimportlib.import_module(\n    'sub' + 'process').run(cmd)\n",
        "import os\ngetattr(os, 'sys' + 'tem')(cmd)\n",
        "import os\nos.__dict__['sys' + 'tem'](cmd)\n",
        "import sys\nsys.modules['o' + 's'].system(cmd)\n",
        "__builtins__['ex' + 'ec'](code)\n",
        "from os import *\nsystem(cmd)\n",
        "import os\nos.__getattribute__('sys' + 'tem')(cmd)\n",
        "import os\nobject.__getattribute__(os, 'sys' + 'tem')(cmd)\n",
        "import os, operator\noperator.attrgetter('sys' + 'tem')(os)(cmd)\n",
        # The rest of the name after a dot: bound to another name, in brackets, spelled.
        "import os\nshell = os\nshell.system(cmd)\n",
        "import os\n(os.  # the shell\n    system)(cmd)\n",
        "import os\nos.\\\n    system(cmd)\n",
        "import os\ngetattr(os, 'system')(cmd)\n",
        "import os\nos.spawnvpe(mode, path, args, env)\n",
        # A bare builtin as code uses it: called, handed on, in an expression.
        "map(eval, texts)\n",
        "run = compile if fast else parse\n",
        "eval  (text)\n",
        "handlers = [exec]\n",
        "def compile(self):\n    return compile(self.text, 'x', 'exec')\n",
        "from os import system\nglobals()['sys' + 'tem'](cmd)\n",
        "import functools, os\nfunctools.reduce(getattr, ['sys' + 'tem'], os)(cmd)\n",
        "__import__(*['os']).system(cmd)\n",
        # A deeper name: its next part and its last part, each where code names it.
        "import sys\nsys.meta_path.insert(0, Finder())\n",
        "import sys\nhooks = sys.meta_path\nhooks.append(Finder())\n",
        "from sys import path_hooks\npath_hooks.append(hook)\n",
        "import ctypes\nlib = ctypes.cdll['x.so']\n",
        # A logging factory named by a string needs no import in sight.
        "LOGGING = {'h': {'()': 'os.system', 'command': cmd}}\n",
        # A module named by a variable bound to text, getattr under another name.
        "n = 'o' 's'\nm = __import__(n)\nm.system(cmd)\n",
        "import importlib\nname = ''.join(['o', 's'])\nimportlib.import_module(name).system(c)\n",
        "import os\ng = getattr\ng(os, 'sys' + 'tem')(cmd)\n",
        # An event loop's method, on whatever value holds the loop.
        "async def f(loop):\n    await loop.subprocess_shell(Protocol, cmd)\n",
    ],
)
def test_a_file_that_can_call_a_risky_name_is_parsed(source: str) -> None:
    assert may_call(source)


@pytest.mark.parametrize(
    "source",
    [
        "import os\nos.path.join(a, b)\n",
        "from os import path\npath.exists(p)\n",
        "import urllib.parse\nurllib.parse.quote(s)\n",
        "from http import HTTPStatus\nHTTPStatus.OK\n",
        "import re\nPATTERN = re.compile(r'x')\n",
        "from subprocess import run\n",  # imported, never used
        "def execute(): pass\nexecute()\n",
        '"""We import things lazily."""\nvalue = 1\n',
        "import asyncio\nasyncio.run(main())\n",
        "import json\ngetattr(json, name)(text)\n",
        "from os.path import *\njoin(a, b)\n",
        # A module named at run time: the parse would not know it either.
        "import importlib\nimportlib.import_module(name).run(cmd)\n",
        # The rest of a risky name in prose, or another module's function of that name.
        "import os\n# Ask the file system first.\nos.stat(p)\n",
        "import os\ncursor.execute(sql)\nsys.executable\n",
        "import os\nif method == 'spawn':\n    os.getpid()\n",
        # A builtin's name as prose or as a name given by def or class.
        '"""Parse and compile the template; compile it once."""\n',
        "class Node:\n    def compile(self, compiler):\n        return compiler.compile(self)\n",
        "class eval:\n    pass\n",
        # The last part of a deeper name alone: ``sys`` and an ``.append`` elsewhere.
        "import sys\nsys.exit(main())\nitems.append(x)\n",
        "import logging\nlogging.getLogger(__name__).handlers.append(h)\n",
        "attrs = {'class': 'btn btn-primary'}\n",
    ],
)
def test_a_file_that_cannot_call_one_is_not_parsed(source: str) -> None:
    assert not may_call(source)


_MODULES = ["os", "subprocess", "socket", "urllib.request", "urllib", "requests", "marshal", "re"]
_ATTRIBUTES = ["system", "run", "Popen", "urlopen", "get", "loads", "compile", "join", "execv"]


@st.composite
def uses(draw: st.DrawFn, local: str, call: str, attribute: str) -> list[str]:
    """Lines that use an imported name, or a builtin, in one of many layouts."""
    found: list[str] = []
    layout = draw(st.integers(0, 6))
    if layout == 6:
        # Looked up by a name built at run time.
        built = draw(st.sampled_from(["'metsys'[::-1]", "chr(115) + 'ystem'", "name"]))
        form = draw(
            st.sampled_from(
                [
                    "getattr({local}, {built})(argument)",
                    "vars({local})[{built}](argument)",
                    "import operator\noperator.attrgetter({built})({local})(argument)",
                    "import operator\noperator.methodcaller({built}, argument)({local})",
                    "globals()[{built}](argument)",
                    "import functools\nfunctools.reduce(getattr, [{built}], {local})(argument)",
                ]
            )
        )
        found.append(form.format(local=local, built=built))
    elif layout == 5:
        # Bound to another name, and reached from it in brackets across a comment.
        found.append(f"held = {local}")
        found.append(f"(held.  # held\n    {attribute})(argument)")
    elif layout == 4:
        # A builtin handed on, or used beside a keyword.
        builtin = draw(st.sampled_from(["exec", "eval", "compile"]))
        form = draw(st.sampled_from(["map({}, xs)", "f = {} if a else b", "[{}]", "{} (x)"]))
        found.append(form.format(builtin))
        found.append(f"# prose: {builtin} the {attribute} system")
    elif layout == 3:
        # Looked up by a string spelled in two parts.
        head, tail = attribute[:2], attribute[2:]
        found.append(f"getattr({local}, '{head}' + '{tail}')(argument)")
    elif layout == 0:
        found.append(f"{call}(argument)")
    elif layout == 1:
        found.append(f"result = (\n    {call}\n)(\n    argument,\n)")
    else:
        found.append(f"value = {draw(st.sampled_from(['exec', 'eval', 'x.compile']))}(text)")
    return found


@st.composite
def python_files(draw: st.DrawFn) -> str:
    """Imports in every spelling, calls in every layout, and prose around them."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        module = draw(st.sampled_from(_MODULES))
        attribute = draw(st.sampled_from(_ATTRIBUTES))
        alias = draw(st.sampled_from(["", "sp", "_x"]))
        form = draw(st.integers(0, 5))
        local = alias or module.split(".")[0]
        gap = draw(st.sampled_from([" ", "\t", "\x0c", " \\\n "]))
        if form == 0:
            lines.append(f"import{gap}{module}" + (f" as {alias}" if alias else ""))
            call = f"{alias or module}.{attribute}"
        elif form == 1:
            imported = f"from{gap}{module}{gap}import{gap}{attribute}"
            lines.append(imported + (f" as {alias}" if alias else ""))
            call = alias or attribute
        elif form == 2:
            lines.append(f"from {module} import (\n    {attribute},  # note (x)\n)")
            call = attribute
        elif form == 3:
            lines.append(f"if True: import {module}")
            call = f"{module}.{attribute}"
        elif form == 4:
            lines.append(f'"""Prose: import {local}\nfrom the import (docs"""')
            call = f"{local}.{attribute}"
        else:
            lines.append(f"from {module} \\\n    import {attribute}")
            call = attribute
        lines += draw(uses(local, call, attribute))
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return ("\n".join(lines) + "\n").replace("\n", line_end)


@settings(max_examples=300, deadline=None)
@given(python_files())
def test_the_scan_never_skips_a_file_the_full_check_reports(source: str) -> None:
    data = source.encode("utf-8")
    monkeypatch = pytest.MonkeyPatch()
    try:
        if found_by_full_check(data, monkeypatch):
            assert notable._may_call_risky(data), source
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize(
    "source",
    [
        "import os\nx.#" + "#" * 4000 + "\n",
        "import os\nx." + " # c" * 4000 + "\n",
        "import os\n" + "os.\\\n# note #\n" * 2000,
        "compile" + " " * 20000 + "\n",
        "from x import (a, " + "#" * 4000 + "\n",
    ],
)
def test_the_scan_reads_long_runs_of_comment_and_blank_in_one_pass(source: str) -> None:
    # Each would take hours if a pattern could split the run in many ways (a line of
    # 25 ``#`` after a dot once took 2 s).
    assert may_call(source) is source.startswith("compile")
