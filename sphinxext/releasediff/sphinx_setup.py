"""Sphinx glue: config values, the directive, the HTML nodes, the stylesheet."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from . import __version__, sphinx_config, sphinx_latex, sphinx_nodes, sphinx_outdated, sphinx_page
from .directive import ReleaseDiff

__all__ = ["setup"]

_CSS = "releasediff.css"


def setup(app: Sphinx) -> dict[str, Any]:
    sphinx_config.setup(app)
    sphinx_nodes.setup(app)
    app.add_directive("release-diff", ReleaseDiff)
    app.connect("builder-inited", _add_stylesheet)
    sphinx_page.setup(app)
    sphinx_latex.setup(app)
    sphinx_outdated.setup(app)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _add_stylesheet(app: Sphinx) -> None:
    if app.builder.format == "html":
        app.add_css_file(_CSS)
        sphinx_page.copy_static(app, _CSS)
