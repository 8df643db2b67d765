"""Sphinx configuration for the sphinxext-releasediff documentation."""

from __future__ import annotations

from sphinxext.releasediff import __version__

project = "sphinxext-releasediff"
author = "sphinxext-releasediff developers"
copyright = "2026, sphinxext-releasediff developers"
version = release = __version__

extensions: list[str] = []
exclude_patterns = ["_build", "examples"]
html_theme = "alabaster"
nitpicky = True
