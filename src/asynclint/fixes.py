"""Applying fixes: rules describe fixes as tree edits (`NodeFix`); this
module applies them (`asynclint.edits`), checks the result and repeats
until nothing changes, one file at a time or in the engine's workers.

Fixes are applied on the tree, so libcst regenerates untouched code byte
for byte (comments, line endings, a BOM included). A round's fixes must not
overlap (the outer one wins; the inner is found again next round). The new
source must parse (with libcst and, for syntax this Python knows, with
`compile`) and must not bring a finding the old one did not have; otherwise
the round's fixes are retried one by one and the bad ones dropped.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from asynclint import engine
from asynclint.config import Settings
from asynclint.diagnostics import Applicability
from asynclint.edits import apply_node_fixes
from asynclint.engine import Analysis, Checker
from asynclint.lazy import cst
from asynclint.rule import NodeFix, Report

MAX_ROUNDS = 10


def is_applicable(fix: NodeFix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def parses(code: bytes) -> bool:
    try:
        cst.parse_module(code)
    except (cst.ParserSyntaxError, RecursionError, UnicodeDecodeError):
        return False
    try:
        compile(code, "<fixed>", "exec", dont_inherit=True)
    except SyntaxError as error:
        # Syntax newer than this interpreter: libcst's word is final.
        return "invalid syntax" not in str(error.msg) and "was never closed" not in str(error.msg)
    except (ValueError, RecursionError, MemoryError):
        return True
    return True


@dataclass
class FixOutcome:
    """What fixing one file did."""

    source: bytes
    applied: list[tuple[str, str]] = field(default_factory=list)  # (code, fix message)
    dropped: list[str] = field(default_factory=list)  # why a fix was not applied
    final: Analysis | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def _counts(analysis: Analysis) -> Counter:
    return Counter(d.code for d in analysis.result.diagnostics)


def fix_source(checker: Checker, source: bytes, path: str, unsafe: bool = False) -> FixOutcome:
    """Apply the applicable fixes to a file's source until it is stable."""
    outcome = FixOutcome(source)
    analysis = checker.analyze(source, path)
    rejected: set[tuple[str, str]] = set()
    for _ in range(MAX_ROUNDS):
        candidates = [
            r for r in analysis.reports
            if is_applicable(r.fix, unsafe) and (r.code, r.message) not in rejected
        ]
        if analysis.module is None or not candidates:
            break
        accepted = _apply_round(checker, analysis, candidates, path, outcome, rejected)
        if accepted is None:
            continue
        analysis = accepted
    else:
        outcome.dropped.append(f"{path}: fixes did not converge after {MAX_ROUNDS} rounds")
    outcome.final = analysis
    return outcome


def _descendants(node: cst.CSTNode) -> set[int]:
    found: set[int] = set()

    class Collect(cst.CSTVisitor):
        def on_visit(self, child: cst.CSTNode) -> bool:
            found.add(id(child))
            return True

    node.visit(Collect())
    return found


def non_overlapping(reports: list[Report]) -> list[Report]:
    """Reports whose fixes touch disjoint parts of the tree, first come first kept;
    the others wait for the next round."""
    taken: set[int] = set()
    kept = []
    for report in reports:
        touched = set().union(*(_descendants(original) for original, _ in report.fix.replacements))
        if touched & taken:
            continue
        taken |= touched
        kept.append(report)
    return kept


def _apply_round(checker, analysis, candidates: list[Report], path, outcome, rejected) -> Analysis | None:
    """Try the round's fixes together, then one by one; returns the new analysis."""
    candidates = non_overlapping(candidates)
    batches = [candidates] if len(candidates) > 1 else []
    batches += [[candidate] for candidate in candidates]
    for batch in batches:
        new_source = apply_node_fixes(analysis.module, [r.fix for r in batch]).bytes
        if new_source == outcome.source:
            continue
        problem = _problem_with(checker, analysis, batch, new_source, path)
        if problem is None:
            outcome.source = new_source
            outcome.applied.extend((r.code, r.fix.message) for r in batch)
            return checker.analyze(new_source, path)
        if len(batch) == 1:
            rejected.add((batch[0].code, batch[0].message))
            outcome.dropped.append(f"{path}: {batch[0].code} fix not applied: {problem}")
    for candidate in candidates:
        rejected.add((candidate.code, candidate.message))
    return None


def _problem_with(checker, analysis, batch: list[Report], new_source: bytes, path: str) -> str | None:
    if not parses(new_source):
        return "the result would not parse"
    after = checker.analyze(new_source, path)
    expected = _counts(analysis) - Counter(r.code for r in batch)
    introduced = [code for code, count in _counts(after).items() if count > expected.get(code, 0)]
    if introduced:
        return f"it would introduce {', '.join(sorted(introduced))}"
    return None


def write_atomically(path: str, data: bytes) -> None:
    """Replace a file's bytes in one step, keeping its permissions."""
    mode = os.stat(path).st_mode
    directory = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".asynclint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


@dataclass
class FileFix:
    """The outcome of fixing one file, small enough to send between processes."""

    path: str
    original: bytes
    fixed: bytes
    applied: list[tuple[str, str]]
    dropped: list[str]
    result: object  # the FileResult of the fixed source

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def fix_file(checker: Checker, path: str, unsafe: bool) -> FileFix:
    from asynclint.diagnostics import FileResult

    try:
        with open(path, "rb") as handle:
            original = handle.read()
    except OSError as exc:
        result = FileResult(path)
        result.errors.append(f"{path}: cannot read file: {exc.strerror or exc}")
        return FileFix(path, b"", b"", [], [], result)
    outcome = fix_source(checker, original, path, unsafe)
    return FileFix(path, original, outcome.source, outcome.applied, outcome.dropped, outcome.final.result)


def _fix_in_worker(path: str) -> FileFix:
    assert engine._worker is not None
    return fix_file(engine._worker, path, engine._unsafe_fixes)


def fix_paths(files: list[str], settings: Settings, unsafe: bool, jobs: int | None = None, on_done=None) -> list[FileFix]:
    """Fix files (without writing them): one `FileFix` each, in the engine's
    worker processes when there are enough files (`on_done`: see `engine._run_all`)."""
    return engine._run_all(_fix_in_worker, files, settings, jobs, False, unsafe, on_done=on_done)


def unified_diff(fix: FileFix) -> str:
    """A unified diff of a fixed file, for `--diff`."""
    def lines(data: bytes) -> list[str]:
        return data.decode("utf-8", errors="replace").splitlines(keepends=True)

    diff = difflib.unified_diff(lines(fix.original), lines(fix.fixed), f"a/{fix.path}", f"b/{fix.path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
