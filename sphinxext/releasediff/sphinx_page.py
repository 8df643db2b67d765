"""HTML page glue: the script that opens linked diffs, and a scrolling box per table.

The stylesheet keeps a minimum width for each table, below which words would
break mid-word; a narrower page scrolls the table inside its own box
(``div.releasediff-scroll``) instead of the whole page.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset_file

__all__ = ["ScrollingTables", "copy_static", "setup"]

_STATIC = Path(__file__).parent / "static"
_JS = "releasediff.js"
_SCROLL = "releasediff-scroll"


class ScrollingTables(SphinxPostTransform):
    """Each release-diff table in HTML sits in a box that scrolls sideways."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for table in list(self.document.findall(nodes.table)):
            parent = table.parent
            if "releasediff-table" not in table["classes"] or parent is None:
                continue
            if _SCROLL in parent.get("classes", []):
                continue
            box = nodes.container(classes=[_SCROLL])
            # Not replace_self: that would give the box the table's classes and ids.
            parent.replace(table, box)
            box += table


def _scripted(app: Sphinx) -> bool:
    """HTML builders get the script; EPUB does not (readers run no scripts, as a rule)."""
    return app.builder.format == "html" and not app.builder.name.startswith("epub")


def _add_script(app: Sphinx) -> None:
    if _scripted(app):
        app.add_js_file(_JS, defer="defer")
        copy_static(app, _JS)


def copy_static(app: Sphinx, name: str) -> None:
    """Put one of the extension's static files in the output before any page is written,
    so that pages link it with Sphinx's ``?v=`` checksum and browsers do not keep a
    stale copy after an upgrade of the extension."""
    destination = Path(app.builder.outdir) / "_static"
    destination.mkdir(parents=True, exist_ok=True)
    # From Sphinx 8, copying over an existing file warns unless forced (incremental builds).
    if "force" in inspect.signature(copy_asset_file).parameters:
        copy_asset_file(_STATIC / name, destination, force=True)
    else:
        copy_asset_file(_STATIC / name, destination)


def setup(app: Sphinx) -> None:
    app.add_post_transform(ScrollingTables)
    app.connect("builder-inited", _add_script)
