"""The cyclic garbage collector, paused while a comparison builds what it keeps.

Each pass of the collector walks every container object alive, and a
comparison keeps hundreds of thousands of them (members, contents, diffs,
griffe's trees) until it ends, none of them garbage: on Django 5.0.8 → 5.1 the
collector took 0.3 s of the command's 3 s, and half of the time of loading
3,000 modules. Memory that is freed by reference counting is freed as before;
cycles made meanwhile are collected once the collector runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["collector_paused"]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, if it runs; nested blocks are fine."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
