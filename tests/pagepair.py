"""A release pair that stresses the page: long paths, renames, wide lines, non-Latin text."""

from __future__ import annotations

import shutil
from pathlib import Path

from .archives import Tree, make_sdist

LONG_DIR = "src/wide_package/subpackage_with_a_rather_long_name/another_level_deeper"
CJK_OLD = "# 中文注释：旧的说明\nGREETING = 'こんにちは'\nRUSSIAN = 'Привет'\n"
CJK_NEW = (
    "# 中文注释：新的说明\nGREETING = '안녕하세요'\nRUSSIAN = 'Здравствуйте'\nEMOJI = '✓ ✗ →'\n"
)
BODY = "".join(f"line {n}\n" for n in range(40))
LATIN1 = "".join(chr(c) for c in range(0xA1, 0x100) if c != 0xAD)
ALL_TEXT = (
    LATIN1
    + "".join(chr(c) for c in range(0x100, 0x180))
    + "–—‘’‚“”„†‡•…‰‹›€→✓ Ω Ж ✗ 😀 \N{COMBINING ACUTE ACCENT}"
)
WIDE = "x = '" + "very_long_identifier_" * 12 + "'\n"
# Long dotted API names: a narrow column breaks them after a dot, not inside a name.
REGISTRY = (
    "class ConfigurationSourceRegistry:\n"
    "    def register_configuration_source(self, name, *, priority=0):\n"
    "        pass\n"
)


def make_page_pair(folder: Path) -> tuple[Path, Path]:
    """wide 1.0 -> 2.0: a rename with a long path, non-Latin text, a very long line."""
    old: Tree = {
        f"{LONG_DIR}/module_with_an_even_longer_file_name_for_wrapping.py": BODY,
        "src/wide_package/i18n.py": CJK_OLD,
        "src/wide_package/core.py": "def f():\n    return 1\n" + BODY,
        "src/wide_package/gone.py": "GONE = 1\n",
        "README.rst": "Wide\n====\n\nCafé déjà vu.\n",
    }
    new: Tree = {
        f"{LONG_DIR}/renamed_module_with_an_even_longer_file_name_for_wrapping.py": BODY.replace(
            "line 5\n", "line five\n"
        ),
        "src/wide_package/i18n.py": CJK_NEW,
        "src/wide_package/core.py": "def f():\n    return 2\n" + BODY + WIDE,
        "src/wide_package/added.py": "ADDED = 1\n",
        "src/wide_package/configuration_registries.py": REGISTRY,
        "docs/说明.txt": "中文文档 😀\n",
        "README.rst": "Wide\n====\n\nCafé déjà vu — naïve.\n" + LATIN1 + "\n",
    }
    for side in ("old", "new"):
        (folder / side).mkdir(parents=True, exist_ok=True)
    summary = "Summary: 中文 ünïcödé"
    # Every character pdflatex is trusted to set outside verbatim, and then some it is not:
    # the latexpdf test compiles them all.
    keywords = "Keywords: " + ALL_TEXT
    return (
        make_sdist(folder / "old", "wide", "1.0", old, metadata=("Requires-Dist: attrs>=20",)),
        make_sdist(
            folder / "new",
            "wide",
            "2.0",
            new,
            metadata=("Requires-Dist: attrs>=22", summary, keywords),
        ),
    )


def page_project(folder: Path) -> Path:
    """A copy of the ``test-page`` root with the wide archives in ``archives/``."""
    srcdir = folder / "src"
    shutil.copytree(Path(__file__).parent / "roots" / "test-page", srcdir)
    (srcdir / "archives").mkdir()
    for archive in make_page_pair(folder / "pair"):
        shutil.copy(archive, srcdir / "archives")
    return srcdir
