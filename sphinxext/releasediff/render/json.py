"""The stable machine-readable form (``"schema": 1``), documented in docs/cli.rst."""

from __future__ import annotations

import json
from typing import Any

from ..model import ArchiveFacts, Comparison, FileChange, MetadataChange

__all__ = ["SCHEMA_VERSION", "render_json", "to_json_data"]

SCHEMA_VERSION = 1


def render_json(comparison: Comparison) -> str:
    return json.dumps(to_json_data(comparison), indent=2, ensure_ascii=False) + "\n"


def to_json_data(comparison: Comparison) -> dict[str, Any]:
    summary = comparison.summary
    return {
        "schema": SCHEMA_VERSION,
        "old": _archive(comparison.old),
        "new": _archive(comparison.new),
        "summary": {
            "added": summary.added,
            "removed": summary.removed,
            "modified": summary.modified,
            "renamed": summary.renamed,
            "identical": summary.identical,
            "insertions": summary.insertions,
            "deletions": summary.deletions,
        },
        "warnings": list(comparison.warnings),
        "metadata": [_metadata(change) for change in comparison.metadata],
        "files": [_file(change) for change in comparison.files],
    }


def _archive(facts: ArchiveFacts) -> dict[str, Any]:
    gzip = facts.gzip
    return {
        "path": facts.path,
        "filename": facts.filename,
        "name": facts.name,
        "version": facts.version,
        "kind": facts.kind,
        "format": facts.format,
        "size": facts.size,
        "sha256": facts.sha256,
        "members": facts.members,
        "uncompressed_size": facts.uncompressed_size,
        "top_folder": facts.top_folder,
        "problems": list(facts.problems),
        "gzip": None
        if gzip is None
        else {
            "original_name": gzip.original_name,
            "mtime": gzip.mtime,
            "compression": gzip.compression,
            "os": gzip.os,
        },
    }


def _metadata(change: MetadataChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "change": change.change,
        "old": change.old,
        "new": change.new,
        "detail": change.detail,
        "diff": change.diff,
    }


def _file(change: FileChange) -> dict[str, Any]:
    old, new = change.old, change.new
    return {
        "status": str(change.status),
        "old_path": change.old_path,
        "new_path": change.new_path,
        "old_member": old.name if old else None,
        "new_member": new.name if new else None,
        "old_kind": str(old.kind) if old else None,
        "new_kind": str(new.kind) if new else None,
        "old_size": old.size if old else None,
        "new_size": new.size if new else None,
        "old_mode": old.mode if old else None,
        "new_mode": new.mode if new else None,
        "old_sha256": old.sha256 if old else None,
        "new_sha256": new.sha256 if new else None,
        "binary": change.binary,
        "similarity": None if change.similarity is None else round(change.similarity, 4),
        "insertions": change.insertions,
        "deletions": change.deletions,
        "encoding": change.encoding,
        "diff": change.diff,
        "truncated": change.truncated,
        "omitted_lines": change.omitted_lines,
        "hashed_only": change.hashed_only,
        "bidi": change.bidi,
    }
