"""The seed reports' changes all show, with the same changed lines, and so do the ones they miss."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sphinxext.releasediff.archive import read_archive
from sphinxext.releasediff.compare import compare
from sphinxext.releasediff.model import Comparison

from . import seeds
from .archives import make_sdist

Trees = tuple[dict[str, str], dict[str, str]]


def run_seed(
    tmp_path: Path, name: str, versions: tuple[str, str], make: Callable[[], Trees]
) -> Comparison:
    old, new = make()
    old_path = make_sdist(tmp_path, name, versions[0], old)
    new_path = make_sdist(tmp_path, name, versions[1], new)
    return compare(read_archive(old_path), read_archive(new_path))


def changed_lines(comparison: Comparison) -> dict[str, list[str]]:
    return {
        change.path: [
            line
            for line in (change.diff or "").splitlines()
            if line[:1] in "+-" and not line.startswith(("+++ ", "--- "))
        ]
        for change in comparison.files
    }


def test_seed_000_kernel_helper(tmp_path: Path) -> None:
    comparison = run_seed(
        tmp_path, "backend.ai-kernel-helper", ("23.3.8", "23.3.9"), seeds.seed_000
    )
    assert [(c.path, str(c.status)) for c in comparison.files] == [
        ("PKG-INFO", "modified"),
        ("ai/backend/helpers/VERSION", "modified"),  # the seed report misses this one
        ("backend.ai_kernel_helper.egg-info/PKG-INFO", "modified"),
        ("setup.py", "modified"),
    ]
    assert changed_lines(comparison) == {
        "PKG-INFO": ["-Version: 23.3.8", "+Version: 23.3.9"],
        "ai/backend/helpers/VERSION": ["-23.03.8", "+23.03.9"],
        "backend.ai_kernel_helper.egg-info/PKG-INFO": ["-Version: 23.3.8", "+Version: 23.3.9"],
        "setup.py": ['-    \'version\': """23.03.8', '+    \'version\': """23.03.9'],
    }
    assert comparison.identical == 11  # __init__.py, requires.txt and the rest: counted, not listed
    assert [(m.field, m.old, m.new) for m in comparison.metadata] == [
        ("Version", "23.3.8", "23.3.9")
    ]
    assert all(c.similarity is None for c in comparison.files)


def test_seed_002_kernel_helper(tmp_path: Path) -> None:
    comparison = run_seed(
        tmp_path, "backend.ai-kernel-helper", ("23.3.2", "23.3.3"), seeds.seed_002
    )
    lines = changed_lines(comparison)
    classifier = "Classifier: Programming Language :: Python :: 3.11"
    assert lines["PKG-INFO"] == ["-Version: 23.3.2", "+Version: 23.3.3", f"+{classifier}"]
    assert lines["backend.ai_kernel_helper.egg-info/PKG-INFO"] == lines["PKG-INFO"]
    assert lines["backend_shim.py"] == [
        "-os.makedirs(dist_dir, exist_ok=True)",
        "+# Python 2.7 doesn't have the exist_ok arg on os.makedirs().",
        "+try:",
        "+    os.makedirs(dist_dir)",
        "+except OSError as e:",
        "+    if e.errno != errno.EEXIST:",
        "+        raise",
        "+",
    ]
    assert lines["setup.py"] == [
        "+        'Programming Language :: Python :: 3.11',",
        '-    \'version\': """23.03.2',
        '+    \'version\': """23.03.3',
    ]
    assert lines["ai/backend/helpers/VERSION"] == ["-23.03.2", "+23.03.3"]
    assert [(m.field, m.change, m.new) for m in comparison.metadata] == [
        ("Version", "changed", "23.3.3"),
        ("Classifier", "added", "Programming Language :: Python :: 3.11"),
    ]


def test_seed_004_backend_common(tmp_path: Path) -> None:
    comparison = run_seed(tmp_path, "backend.ai-common", ("23.3.8", "23.3.9"), seeds.seed_004)
    lines = changed_lines(comparison)
    assert lines["backend.ai_common.egg-info/requires.txt"] == [
        "-backend.ai-plugin==23.03.8",
        "+backend.ai-plugin==23.03.9",
    ]
    assert lines["setup.py"] == [
        "-        'backend.ai-plugin==23.03.8',",
        "+        'backend.ai-plugin==23.03.9',",
        '-    \'version\': """23.03.8',
        '+    \'version\': """23.03.9',
    ]
    setup = next(c for c in comparison.files if c.path == "setup.py")
    assert setup.diff is not None
    assert setup.diff.count("\n@@ ") == 2
    assert lines["ai/backend/common/VERSION"] == ["-23.03.8", "+23.03.9"]
    assert comparison.identical == len(seeds.COMMON_MODULES) + 1  # the modules and backend_shim.py
    repin = [m for m in comparison.metadata if m.field == "Requires-Dist"]
    assert [(m.change, m.old, m.new, m.detail) for m in repin] == [
        ("changed", "backend.ai-plugin==23.03.8", "backend.ai-plugin==23.03.9", "specifier"),
    ]


@pytest.mark.parametrize("make", [seeds.seed_000, seeds.seed_002, seeds.seed_004])
def test_no_seed_member_is_paired_by_fuzzy_guess(tmp_path: Path, make: Callable[[], Trees]) -> None:
    comparison = run_seed(tmp_path, "pkg", ("1.0", "1.1"), make)
    assert all(c.old_path == c.new_path for c in comparison.files)
