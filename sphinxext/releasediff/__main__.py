"""``python -m sphinxext.releasediff``: the ``release-diff`` command."""

import sys

from .command import main

sys.exit(main())
