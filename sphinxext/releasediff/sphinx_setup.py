"""Sphinx glue: config values, the directive, the HTML nodes, the stylesheet."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

from . import __version__, sphinx_config, sphinx_latex, sphinx_nodes, sphinx_outdated, sphinx_page
from .directive import ReleaseDiff

__all__ = ["setup"]

_STATIC = Path(__file__).parent / "static"
_CSS = "releasediff.css"


def setup(app: Sphinx) -> dict[str, Any]:
    sphinx_config.setup(app)
    sphinx_nodes.setup(app)
    app.add_directive("release-diff", ReleaseDiff)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("build-finished", _copy_stylesheet)
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


def _copy_stylesheet(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        destination = Path(app.builder.outdir) / "_static"
        # From Sphinx 8, copying over an existing file warns unless forced (incremental builds).
        if "force" in inspect.signature(copy_asset_file).parameters:
            copy_asset_file(_STATIC / _CSS, destination, force=True)
        else:
            copy_asset_file(_STATIC / _CSS, destination)
