"""The package's modules compiled to bytecode before measuring, as an install leaves them.

pip compiles a wheel's modules as it installs them. An editable install writes
the bytecode at the first import, unless ``PYTHONDONTWRITEBYTECODE`` is set
(as on these machines): then every run compiles the sources again, 0.28 s of
CPU in each of the command's three processes, which no installed user pays.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import sphinxext.releasediff

__all__ = ["compile_package"]


def compile_package() -> str:
    """Write the package's bytecode (``__pycache__``, as ``pip install`` does); a line
    for the table's notes."""
    folder = Path(sphinxext.releasediff.__file__).parent
    compileall.compile_dir(str(folder), quiet=1)
    return "the package's bytecode written first, as an install does"
