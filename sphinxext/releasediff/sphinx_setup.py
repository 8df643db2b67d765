"""Sphinx glue: config values, the directive, the HTML node, the stylesheet."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file

from . import __version__, sphinx_latex, sphinx_outdated, sphinx_page
from .archive import DEFAULT_LIMITS
from .directive import ReleaseDiff
from .render import nodes as diff_nodes

__all__ = ["setup"]

LOGGER = logging.getLogger(__name__)
_STATIC = Path(__file__).parent / "static"
_CSS = "releasediff.css"

# name: (default, types); all change the output, so all rebuild the environment.
_CONFIG: dict[str, tuple[Any, tuple[type, ...]]] = {
    "releasediff_context": (3, (int,)),
    "releasediff_max_diff_lines": (1000, (int,)),
    "releasediff_max_total_diff_lines": (20_000, (int,)),
    "releasediff_show": (("summary", "artifacts", "metadata", "files", "diffs"), (list, tuple)),
    "releasediff_collapse": (False, (bool,)),
    "releasediff_include": ((), (list, tuple)),
    "releasediff_exclude": ((), (list, tuple)),
    "releasediff_rename_threshold": (0.5, (float, int)),
    "releasediff_package": (None, (str, type(None))),
    "releasediff_dist": ("sdist", (str,)),
    "releasediff_find_links": ((), (list, tuple)),
    "releasediff_index_url": (None, (str, type(None))),
    "releasediff_cache_dir": (None, (str, type(None))),
    "releasediff_offline": (False, (bool,)),
    "releasediff_timeout": (30.0, (float, int)),
    "releasediff_max_members": (DEFAULT_LIMITS.max_members, (int,)),
    "releasediff_max_bytes": (DEFAULT_LIMITS.max_bytes, (int,)),
    "releasediff_max_file_bytes": (DEFAULT_LIMITS.max_file_bytes, (int,)),
}


def setup(app: Sphinx) -> dict[str, Any]:
    for name, (default, types) in _CONFIG.items():
        app.add_config_value(name, default, "env", types=types)
    app.add_directive("release-diff", ReleaseDiff)
    app.add_node(
        diff_nodes.diff_details,
        html=(diff_nodes.visit_diff_details, diff_nodes.depart_diff_details),
    )
    app.add_node(
        diff_nodes.diff_summary,
        html=(diff_nodes.visit_diff_summary, diff_nodes.depart_diff_summary),
    )
    app.add_post_transform(diff_nodes.PlainDetails)
    app.connect("config-inited", _check_config)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("build-finished", _copy_stylesheet)
    sphinx_page.setup(app)
    sphinx_latex.setup(app)
    sphinx_outdated.setup(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }


def _check_config(app: Sphinx, config: Config) -> None:
    """A config value of the wrong type or range: warn, and use the default."""
    for name, (default, types) in _CONFIG.items():
        value = config[name]
        problem = _problem(name, value, types)
        if problem:
            LOGGER.warning(
                "%s %s; using the default %r",
                name,
                problem,
                default,
                type="releasediff",
                subtype="config",
            )
            config[name] = default
    _anchor_folders(app, config)


def _anchor_folders(app: Sphinx, config: Config) -> None:
    """Folders in the config are relative to the folder of conf.py."""
    confdir = Path(app.confdir)
    config.releasediff_find_links = [str(confdir / f) for f in config.releasediff_find_links]
    if config.releasediff_cache_dir:
        config.releasediff_cache_dir = str(confdir / config.releasediff_cache_dir)


def _problem(name: str, value: object, types: tuple[type, ...]) -> str | None:
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        names = " or ".join("None" if t is type(None) else t.__name__ for t in types)
        return f"must be {names}, not {type(value).__name__}"
    if isinstance(value, int | float) and not isinstance(value, bool) and value < 0:
        return "must not be negative"
    if name == "releasediff_rename_threshold" and isinstance(value, int | float) and value > 1:
        return "must be between 0 and 1"
    if name == "releasediff_dist" and value not in ("sdist", "wheel"):
        return "must be 'sdist' or 'wheel'"
    if name == "releasediff_timeout" and isinstance(value, int | float) and value <= 0:
        return "must be more than 0"
    if name == "releasediff_show" and isinstance(value, list | tuple):
        unknown = [item for item in value if item not in diff_nodes.SECTIONS]
        if unknown or not value:
            return f"holds {unknown or 'nothing'}; choose from {', '.join(diff_nodes.SECTIONS)}"
    return None


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
