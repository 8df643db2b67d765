"""A process's own peak RSS, for the benchmarks (kept light: a worker imports it at its end)."""

from __future__ import annotations


def own_peak_kib() -> int:
    """VmHWM of this process in KiB: its peak RSS since it started its program (exec)."""
    with open("/proc/self/status") as status:
        return int(next(line.split()[1] for line in status if line.startswith("VmHWM")))
