"""Time of the text diff engine on ordinary and pathological pairs.

Prints one table from one run: for each pair, the time of ``unified_diff``
(libgit2's xdiff through pygit2), the time of the engine it replaced
(``difflib.SequenceMatcher`` without autojunk, after trimming the common head
and tail) as the baseline, and the cost bound's answer. The baseline is skipped
on pairs where it takes minutes unless ``--slow`` is given.

    python benchmarks/bench_textdiff.py [--slow] [--repeat N]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import partial

from sphinxext.releasediff.textdiff import diff_cost_reason, split_lines, unified_diff

SEED = 20261201


@dataclass(frozen=True)
class Case:
    label: str
    old: bytes
    new: bytes
    # The baseline needs minutes here: only measured with --slow.
    slow: bool = False


def _source(rng: random.Random, lines: int) -> list[bytes]:
    words = [b"self", b"return", b"value", b"import", b"def", b"if", b"None", b"data", b"key"]
    return [
        b"    " * rng.randint(0, 3) + b" ".join(rng.choices(words, k=rng.randint(2, 9)))
        for _ in range(lines)
    ]


def _edited(rng: random.Random, lines: list[bytes], edits: int) -> list[bytes]:
    edited = list(lines)
    for _ in range(edits):
        edited[rng.randrange(len(edited))] = b"    changed = %d" % rng.randrange(10**6)
    return edited


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines) + b"\n"


def cases() -> list[Case]:
    rng = random.Random(SEED)
    source = _source(rng, 60_000)
    repeated = [b"    pass"] * 20_000
    blank = [b""] * 60_000
    short = [b"%d" % rng.randrange(10) for _ in range(2_000_000)]
    unrelated = [b"%d" % rng.randrange(10) for _ in range(250_000)]
    slow = True
    return [
        Case("60k-line source, 60 edits", _join(source), _join(_edited(rng, source, 60))),
        Case("20k equal lines, 4 edits", _join(repeated), _join(_edited(rng, repeated, 4)), slow),
        Case("60,000 blank lines, 2 edits", _join(blank), _join(_edited(rng, blank, 2)), slow),
        Case("2M short lines, 1,000 edits", _join(short), _join(_edited(rng, short, 1000)), slow),
        Case(
            "250k vs 250k unrelated lines",
            _join(unrelated),
            _join([b"%d" % rng.randrange(10) for _ in unrelated]),
            True,
        ),
        Case("one 30 MB line", b"x" * 30_000_000, b"x" * 29_999_999 + b"y"),
    ]


def difflib_baseline(old: bytes, new: bytes) -> None:
    """The replaced engine's matching step, which is where its time went."""
    a, b = split_lines(old), split_lines(new)
    head = 0
    limit = min(len(a), len(b))
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], False).get_opcodes()


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow", action="store_true", help="also time difflib where it is slow")
    args = parser.parse_args(argv)
    print(f"{'pair':<32} {'difflib s':>10} {'pygit2 s':>9} {'speed-up':>9}  bound")
    for case in cases():
        engine = best_of(args.repeat, partial(unified_diff, case.old, case.new, "a", "b"))
        bound = diff_cost_reason(case.old, case.new) or "within"
        if case.slow and not args.slow:
            baseline_text, ratio = "skipped", "-"
        else:
            baseline = best_of(1, partial(difflib_baseline, case.old, case.new))
            baseline_text, ratio = f"{baseline:.2f}", f"{baseline / engine:.0f}x"
        print(f"{case.label:<32} {baseline_text:>10} {engine:>9.3f} {ratio:>9}  {bound}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
