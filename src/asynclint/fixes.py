"""Applying fixes: rules describe fixes as tree edits (`NodeFix`); this
module applies them (`asynclint.edits`), checks the result and repeats
until nothing changes, one file at a time or in the engine's workers.

Fixes are applied on the tree, and only the top-level statements they
change are generated again: every other byte of the file is kept as it is
(comments, line endings, a BOM included). A round applies all its fixes
that do not overlap (the outer one wins; the inner is found again next
round) and checks the file once. The new source must parse (with libcst
and, for syntax this Python knows, with `compile`) and must not bring a
finding the old one did not have; otherwise the round's fixes are retried
in halves, and the bad ones dropped. docs/architecture.md describes the loop.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field

from asynclint import engine
from asynclint.config import Settings
from asynclint.diagnostics import Applicability
from asynclint.edits import apply_node_fixes, fixed_in_place, layout_of
from asynclint.engine import Analysis, Checker
from asynclint.lazy import cst
from asynclint.positions import source_text
from asynclint.rule import DESCEND_ALL, NodeFix, Report, walk

# Rounds of fixes before giving up on a file whose fixes keep bringing new
# ones (each round applies every fix that does not overlap another).
MAX_ROUNDS = 100


def is_applicable(fix: NodeFix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def parses(code: bytes) -> bool:
    return reparsed(code) is not None


def reparsed(code: bytes) -> cst.Module | None:
    """libcst's tree of the code when both libcst and, for syntax this
    Python knows, `compile` accept it; else None."""
    try:
        module = cst.parse_module(code)
    except (cst.ParserSyntaxError, RecursionError, UnicodeDecodeError):
        return None
    try:
        compile(code, "<fixed>", "exec", dont_inherit=True)
    except SyntaxError as error:
        # Syntax newer than this interpreter: libcst's word is final.
        if "invalid syntax" in str(error.msg) or "was never closed" in str(error.msg):
            return None
    except (ValueError, RecursionError, MemoryError):
        pass
    return module


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
    rejected: set[tuple[str, str, str]] = set()
    for _ in range(MAX_ROUNDS):
        if analysis.module is None:
            break
        candidates = [
            r for r in analysis.reports
            if is_applicable(r.fix, unsafe) and _identity(analysis.module, r) not in rejected
        ]
        if not candidates:
            break
        analysis = _Round(checker, analysis, path, outcome, rejected).run(non_overlapping(candidates))
    else:
        outcome.dropped.append(f"{path}: fixes did not converge after {MAX_ROUNDS} rounds")
    outcome.final = analysis
    return outcome


def _identity(module: cst.Module, report: Report) -> tuple[str, str, str]:
    """What a finding is known by from one round to the next (its node is
    another object once the file is parsed again)."""
    return (report.code, report.message, module.code_for_node(report.node))


class _Descendants:
    """For `walk`: the ids of a node and of every node under it, comments included."""

    descend = DESCEND_ALL

    def __init__(self) -> None:
        self.found: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.found.add(id(node))
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        pass


def _descendants(node: cst.CSTNode) -> set[int]:
    collect = _Descendants()
    walk(node, collect)
    return collect.found


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


class _Round:
    """One round: the fixes are tried all together on the round's tree; when
    the result is wrong, each half is tried (on top of what was accepted so
    far), down to the single fixes, which are dropped. So a round costs one
    check of the fixed file when every fix is good, and a few per bad fix,
    never one per fix."""

    def __init__(self, checker: Checker, analysis: Analysis, path: str, outcome: FixOutcome, rejected: set) -> None:
        self.checker, self.analysis, self.path = checker, analysis, path
        self.outcome, self.rejected = outcome, rejected
        self.source = self.last_source = outcome.source
        self.accepted: list[Report] = []
        self.last: Analysis = analysis  # the check of `last_source`: the round's source with the accepted fixes made
        # Where the statements lie in the source, to regenerate only those a fix changes.
        module = analysis.module
        text = source_text(self.source, module)
        encoded = _encoded(text, module.encoding)
        self.layout = layout_of(module, text) if encoded is not None and self.source.endswith(encoded) else None
        self.prefix = self.source[: len(self.source) - len(encoded)] if self.layout is not None else b""  # a BOM

    def run(self, candidates: list[Report]) -> Analysis:
        self._settle(candidates)
        self.outcome.source = self.last_source
        self.outcome.applied.extend((report.code, report.fix.message) for report in self.accepted)
        return self.last

    def _settle(self, group: list[Report]) -> None:
        problem = self._try(group)
        if problem is None:
            return
        if len(group) > 1:
            middle = len(group) // 2
            self._settle(group[:middle])
            self._settle(group[middle:])
            return
        [report] = group
        self.rejected.add(_identity(self.analysis.module, report))
        if problem:  # a fix that changes nothing is left out without a word
            self.outcome.dropped.append(f"{self.path}: {report.code} fix not applied: {problem}")

    def _try(self, group: list[Report]) -> str | None:
        """None when the round's accepted fixes and these together give a
        file that parses and brings no new finding (then they are accepted);
        else what is wrong ("" for no change at all)."""
        trial = self.accepted + group
        new_source = self._fixed(trial)
        if new_source == self.last_source:
            return ""
        module = reparsed(new_source)
        if module is None:
            return "the result would not parse"
        after = _checked_with(self.checker, new_source, self.path, module)
        expected = _counts(self.analysis) - Counter(r.code for r in trial)
        introduced = [code for code, count in _counts(after).items() if count > expected.get(code, 0)]
        if introduced:
            return f"it would introduce {', '.join(sorted(introduced))}"
        self.accepted = trial
        self.last = after
        self.last_source = new_source
        return None

    def _fixed(self, reports: list[Report]) -> bytes:
        """The round's source with the fixes made: only the statements they
        change are generated again, when their code is found in the text."""
        module = self.analysis.module
        fixes = [r.fix for r in reports]
        if self.layout is not None:
            text = fixed_in_place(module, fixes, [r.statement for r in reports], self.layout)
            encoded = _encoded(text, module.encoding) if text is not None else None
            if encoded is not None:
                return self.prefix + encoded
        return apply_node_fixes(module, fixes).bytes


def _encoded(text: str, encoding: str) -> bytes | None:
    try:
        return text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return None


def _checked_with(checker: Checker, source: bytes, path: str, module: cst.Module) -> Analysis:
    """The check of a source whose libcst tree is at hand (it is not parsed twice)."""
    parse = checker.parse
    checker.parse = lambda code, name: module if code is source else parse(code, name)
    try:
        return checker.analyze(source, path)
    finally:
        checker.parse = parse


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
    return engine._run_all(_fix_in_worker, files, settings, jobs, False, unsafe, lost=_lost_fix, on_done=on_done)


def _lost_fix(path: str, how: str) -> FileFix:
    """A file whose worker process died fixing it: left as it is."""
    return FileFix(path, b"", b"", [], [], engine.lost_file(path, how))


def unified_diff(fix: FileFix) -> str:
    """A unified diff of a fixed file, for `--diff`."""
    import difflib  # --diff only, not --fix

    def lines(data: bytes) -> list[str]:
        return data.decode("utf-8", errors="replace").splitlines(keepends=True)

    diff = difflib.unified_diff(lines(fix.original), lines(fix.fixed), f"a/{fix.path}", f"b/{fix.path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff)
