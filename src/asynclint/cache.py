"""On-disk cache of per-file results, so that an unchanged file costs a read
and a hash.

An entry is keyed by the file's path, asynclint's version and the effective
configuration, and holds the content hash it was computed for plus the
files of the project it consulted (AL109 chains, cross-module AL201) with
their size and modification time: an entry is used only if all still match.
Entries are written to a temporary file and renamed, so concurrent runs
(pre-commit batches) never see half an entry; an unreadable entry is
ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from asynclint import __version__
from asynclint.diagnostics import Applicability, Diagnostic, Edit, FileResult, Fix, Position

CACHE_DIR_NAME = ".asynclint_cache"


def file_state(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


class Cache:
    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = f"{__version__}:{fingerprint}"
        self._ready = False

    def _entry_path(self, path: str) -> Path:
        key = hashlib.sha256(f"{self.fingerprint}\0{os.path.abspath(path)}".encode()).hexdigest()[:40]
        return self.directory / key[:2] / f"{key}.json"

    def load(self, path: str, content: bytes) -> FileResult | None:
        try:
            data = json.loads(self._entry_path(path).read_text(encoding="utf-8"))
            if data["fingerprint"] != self.fingerprint or data["hash"] != _digest(content):
                return None
            if any(file_state(dep) != state for dep, state in data["deps"].items()):
                return None
            return _result_from(path, data["result"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, from another version, or corrupt: recompute

    def store(self, path: str, content: bytes, result: FileResult, deps: set[str]) -> None:
        if result.errors:
            return  # internal errors are not worth remembering
        entry = {
            "fingerprint": self.fingerprint,
            "hash": _digest(content),
            "deps": {dep: file_state(dep) for dep in sorted(deps)},
            "result": [_diagnostic_to_json(d) for d in result.diagnostics],
        }
        target = self._entry_path(path)
        try:
            self._prepare(target.parent)
            handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(entry, out)
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only tree still gets checked, just not cached

    def _prepare(self, directory: Path) -> None:
        if not self._ready:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by asynclint: a cache, never to be committed.\n*\n", encoding="utf-8")
            self._ready = True
        directory.mkdir(exist_ok=True)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _position(data) -> Position:
    return Position(int(data[0]), int(data[1]))


def _diagnostic_to_json(d: Diagnostic) -> dict:
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [[e.start.line, e.start.column, e.end.line, e.end.column, e.content] for e in d.fix.edits],
        }
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "start": [d.start.line, d.start.column],
        "end": [d.end.line, d.end.column],
        "noqa": d.noqa_line,
        "fix": fix,
    }


def _result_from(path: str, items: list) -> FileResult:
    result = FileResult(path)
    for item in items:
        fix = None
        if item["fix"] is not None:
            edits = tuple(Edit(Position(a, b), Position(c, d), text) for a, b, c, d, text in item["fix"]["edits"])
            fix = Fix(Applicability(item["fix"]["applicability"]), item["fix"]["message"], edits)
        result.diagnostics.append(
            Diagnostic(
                item["code"], item["name"], item["message"], path,
                _position(item["start"]), _position(item["end"]), fix, item["noqa"],
            )
        )
    return result
