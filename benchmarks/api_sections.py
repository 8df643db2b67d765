"""Dump the API section of ``release-diff --format json`` for the real pairs, and compare dumps.

    python benchmarks/api_sections.py DIR              # write DIR/<pair>.json
    python benchmarks/api_sections.py DIR --against BEFORE   # and compare with BEFORE/

Each dump holds the ``api`` key and ``api_notes`` (when present) exactly as the
command wrote them; ``--against`` says for each pair whether the bytes are equal.
Beside it, ``<archive>.side.json`` holds every public name of each archive, fully
loaded, with its kind, text and compared key: what is equal on both sides of a pair
never shows in the section, so a visit that changed it would go unseen there.
Pairs whose archives are missing are skipped and said.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import griffe

from sphinxext.releasediff.api import _Reader
from sphinxext.releasediff.archive import read_archive

PAIRS = (
    ("/tmp/real/Django-5.0.8.tar.gz", "/tmp/real/Django-5.1.tar.gz"),
    ("/tmp/real/sphinx-7.4.7.tar.gz", "/tmp/real/sphinx-8.0.0.tar.gz"),
    ("/tmp/real/botocore-1.34.130.tar.gz", "/tmp/real/botocore-1.34.131.tar.gz"),
    ("/tmp/real-api/attrs-23.2.0.tar.gz", "/tmp/real-api/attrs-24.2.0.tar.gz"),
    ("/tmp/real-api/click-8.1.3.tar.gz", "/tmp/real-api/click-8.1.7.tar.gz"),
    ("/tmp/real-api/requests-2.31.0.tar.gz", "/tmp/real-api/requests-2.32.3.tar.gz"),
    ("/tmp/real-api/rich-13.7.1.tar.gz", "/tmp/real-api/rich-13.8.0.tar.gz"),
)


def api_section(old: str, new: str) -> bytes:
    command = [sys.executable, "-m", "sphinxext.releasediff", old, new, "--format", "json"]
    report = json.loads(subprocess.run(command, capture_output=True, check=False).stdout)
    section = {key: report[key] for key in ("api", "api_notes") if key in report}
    return json.dumps(section, indent=1, ensure_ascii=False).encode()


def side_names(path: str) -> bytes:
    """Every public name of one archive, all modules loaded."""
    with griffe.logger.disable():
        reader = _Reader(read_archive(Path(path)))
        reader.visit(reader.folders)
        reader.resolve()
        side = reader.describe()
    names = {name: [api.kind, api.text, api.key] for name, api in sorted(side.api.items())}
    return json.dumps({"names": names, "notes": side.notes}, indent=0).encode()


def compared(folder: Path, against: Path | None, name: str, data: bytes) -> str:
    (folder / name).write_bytes(data)
    if against is None:
        return ""
    return "equal" if (against / name).read_bytes() == data else "DIFFERENT"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--against", type=Path, help="a folder of earlier dumps to compare with")
    options = parser.parse_args()
    options.folder.mkdir(parents=True, exist_ok=True)
    differing = 0
    for old, new in PAIRS:
        if not (Path(old).exists() and Path(new).exists()):
            print(f"{Path(old).name}: archives missing, skipped")
            continue
        name = Path(old).name.removesuffix(".tar.gz")
        data = api_section(old, new)
        verdicts = [compared(options.folder, options.against, f"{name}.json", data)]
        for path in (old, new):
            side = side_names(path)
            side_name = f"{Path(path).name}.side.json"
            verdicts.append(compared(options.folder, options.against, side_name, side))
        differing += "DIFFERENT" in verdicts
        changes = len(json.loads(data).get("api", []))
        print(f"{name:<22} {changes:>5} api entries {' '.join(verdicts)}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
