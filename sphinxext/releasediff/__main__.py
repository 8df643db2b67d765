"""``python -m sphinxext.releasediff``: the ``release-diff`` command."""

import sys

from .cli import main

sys.exit(main())
