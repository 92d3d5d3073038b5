"""On-disk cache of per-file results, so that an unchanged file costs a read
and a hash.

An entry is keyed by the file's path, asynclint's version and the effective
configuration, and holds the content hash it was computed for plus the
files of the project it consulted (AL109 chains, cross-module AL201) with
their size, modification time and the digest of the facts read from them.
An entry whose consulted files are unchanged is used as is; when one has
changed, the entry still holds if that file's facts have the same digest and
no message of the entry shows a line of it (an edit elsewhere in a helper
module does not re-check every caller).
Entries are written to a temporary file and renamed, so concurrent runs
(pre-commit batches) never see half an entry; an unreadable entry is
ignored and rewritten.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from asynclint import __version__
from asynclint.diagnostics import (
    Applicability,
    Diagnostic,
    Edit,
    FileResult,
    Fix,
    Position,
)

CACHE_DIR_NAME = ".asynclint_cache"

# (consulted file, its module name, the digest stored) -> the digest of the same kind now
DigestOf = Callable[[str, str, str], "str | None"]


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of data, in hex."""
    import hashlib  # it loads OpenSSL: only runs that read or write a cache need it

    return hashlib.sha256(data).hexdigest()


def file_state(path: str) -> list[int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return [stat.st_mtime_ns, stat.st_size]


class Cache:
    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self._root = str(directory)
        self.fingerprint = f"{__version__}:{fingerprint}"
        self._ready = False

    def _entry_path(self, path: str) -> Path:
        return Path(self._entry_name(path))

    def _entry_name(self, path: str) -> str:
        # Plain strings: this runs for every file of a warm run.
        key = sha256_hex(f"{self.fingerprint}\0{os.path.abspath(path)}".encode())[:40]
        return os.path.join(self._root, key[:2], f"{key}.json")

    def _read(self, path: str, content: bytes | None) -> dict | None:
        """The entry for this content; with no content, for the file as it was
        checked if its size and modification time are unchanged."""
        try:
            with open(self._entry_name(path), encoding="utf-8") as handle:
                data = json.load(handle)
            if data["fingerprint"] != self.fingerprint:
                return None
            if content is None:
                return data if data["state"] is not None and data["state"] == file_state(path) else None
            return data if data["hash"] == _digest(content) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, from another version, or corrupt: recompute

    def load_unchanged(self, path: str) -> FileResult | None:
        """`load` without reading the file, when it has not been touched since
        it was checked (a warm run then costs a stat and a small read per file)."""
        data = self._read(path, None)
        return self._holds(path, data, None, None) if data is not None else None

    def load(self, path: str, content: bytes, digest_of: DigestOf | None = None) -> FileResult | None:
        """The cached result, if it still holds. Without `digest_of`, only when
        every consulted file is unchanged; with it, also when the changed ones
        kept their facts (the entry is then refreshed)."""
        data = self._read(path, content)
        return self._holds(path, data, content, digest_of) if data is not None else None

    def _holds(self, path: str, data: dict, content: bytes | None, digest_of: DigestOf | None) -> FileResult | None:
        try:
            changed = [dep for dep, (*state, _, _) in data["deps"].items() if file_state(dep) != state]
            result = _result_from(path, data["result"])
            if not changed:
                return result
            if digest_of is None:
                return None
            for dep in changed:
                _, _, module, digest = data["deps"][dep]
                if digest is None or _shows(result, dep) or digest_of(dep, module, digest) != digest:
                    return None
        except (ValueError, KeyError, TypeError):
            return None
        if content is not None:  # refreshed, so that the next run is a plain hit
            deps = {dep: (module, digest) for dep, (_, _, module, digest) in data["deps"].items()}
            self.store(path, content, result, deps, data["state"])
        return result

    def content_matches(self, path: str, content: bytes) -> bool:
        """Whether an entry exists for exactly this content (its consulted files aside)."""
        return self._read(path, content) is not None

    def store(
        self,
        path: str,
        content: bytes,
        result: FileResult,
        deps: dict[str, tuple[str, str | None]],
        state: list[int] | None = None,
    ) -> None:
        """Remember a result; `deps` maps each consulted file to (its module
        name, the digest of its facts); `state` is the file's size and
        modification time from before its content was read."""
        if result.errors or result.warnings:
            return  # internal errors are not worth remembering, a warning is said again on every run
        entry = {
            "fingerprint": self.fingerprint,
            "hash": _digest(content),
            "state": state,
            "deps": {dep: [*(file_state(dep) or [None, None]), *deps[dep]] for dep in sorted(deps)},
            "result": [_diagnostic_to_json(d) for d in result.diagnostics],
        }
        target = self._entry_path(path)
        try:
            self._prepare(target.parent)
        except OSError:
            return  # a read-only tree still gets checked, just not cached
        write_json_atomically(target, entry)

    def _prepare(self, directory: Path) -> None:
        if not self._ready:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# Created by asynclint: a cache, never to be committed.\n*\n", encoding="utf-8")
            self._ready = True
        directory.mkdir(exist_ok=True)


def write_json_atomically(target: Path, data: object) -> None:
    """Write to a temporary file, then rename: a concurrent reader sees the
    old file or the new one, never half of one. Failures are ignored (what
    is not stored is computed again)."""
    import tempfile  # with shutil and the compression modules: only runs that write need it

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps(data))  # `dumps` runs the C encoder; `dump` does not
        os.replace(temporary, target)
    except OSError:
        pass


def result_cache(cache_dir: str, settings, fix_edits: bool) -> Cache:
    """The cache of results for this configuration (fix edits spelled out or not)."""
    return Cache(Path(cache_dir), f"{settings.fingerprint()}:{int(fix_edits)}")


def _shows(result: FileResult, dep: str) -> bool:
    """Whether a message may show a line of `dep` (such entries need the exact file)."""
    name = os.path.basename(dep)
    return any(name in d.message for d in result.diagnostics)


def _digest(content: bytes) -> str:
    return sha256_hex(content)


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
