"""sphinxext-releasediff: release diffs of Python packages, in Sphinx and on the command line.

``extensions = ["sphinxext.releasediff"]`` in ``conf.py`` enables the
``release-diff`` directive. The engine (``archive``, ``compare``, ``render``)
and the ``release-diff`` command do not import Sphinx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["__version__", "setup"]

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """The Sphinx extension entry point (imported lazily so the command stays light)."""
    from .sphinx_setup import setup as setup_extension

    return setup_extension(app)
