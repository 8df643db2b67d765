"""Sphinx configuration for the sphinxext-releasediff documentation."""

from __future__ import annotations

import sys
from pathlib import Path

from sphinxext.releasediff import __version__

# The gallery's example archives are packed from docs/examples/ by a small local extension.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinxext-releasediff"
author = "sphinxext-releasediff developers"
copyright = "2026, sphinxext-releasediff developers"
version = release = __version__

extensions = ["myst_parser", "sphinxext.releasediff", "example_releases", "option_docs"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_archives", "examples"]
html_theme = "alabaster"
nitpicky = True

releasediff_max_diff_lines = 200
# The gallery's version arguments are looked up among the packed examples.
releasediff_package = "skyline"
releasediff_find_links = ["_archives"]
releasediff_offline = True

# The prose quotes the renderer's signs (U+2212 minus, U+240D for a carriage return,
# U+2400 for a NUL byte);
# pdflatex, Sphinx's default engine, sets them only when told how.
latex_elements = {
    "preamble": r"""
\DeclareUnicodeCharacter{2212}{\ensuremath{-}}
\DeclareUnicodeCharacter{240D}{\textsc{cr}}
\DeclareUnicodeCharacter{2400}{\textsc{nul}}
""",
}
