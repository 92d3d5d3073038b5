"""Check and fix every Python file under some folders (by default the
standard library): asynclint must never fail inside, and its fixes (unsafe
ones included) must give code that compiles, that fixing again leaves as it
is, and that differs from the file only in the statements holding a fixed
finding (and the imports at the top, where a fix adds one). Nothing is
written: fixes are made in memory.

    python scripts/corpus_check.py [FOLDER ...] [--jobs N] [--limit N]

Prints the figures and each problem; exits 1 when there is one.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import os
import sys
import sysconfig
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import Checker
from asynclint.fixes import fix_source, is_applicable

SETTINGS = Settings(select=("AL",), preview=True)
_checker: Checker | None = None


def python_files(folders: list[Path]) -> list[Path]:
    out = []
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if "site-packages" not in path.parts and path.is_file():
                out.append(path)
    return out


def _compiles(source: bytes) -> bool:
    try:
        compile(source, "<corpus>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def _allowed_lines(source: bytes, fixed_lines: set[int]) -> set[int]:
    """The lines a fix may change: those of each top-level statement holding
    a fixed finding, and the leading docstring and imports with the line
    after them (where an import is added)."""
    tree = ast.parse(source)
    allowed: set[int] = set()
    for stmt in tree.body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))])
        span = range(first, (stmt.end_lineno or stmt.lineno) + 1)
        if fixed_lines.intersection(span):
            allowed.update(span)
    head = 0
    for stmt in tree.body:
        is_docstring = head == 0 and isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
        if not (is_docstring or isinstance(stmt, (ast.Import, ast.ImportFrom))):
            head = stmt.lineno
            break
        head = (stmt.end_lineno or stmt.lineno) + 1
    allowed.update(range(1, head + 2))
    # a comment on a line of its own (a stale suppression) lies between statements
    allowed.update(line + offset for line in fixed_lines for offset in (0, 1))
    return allowed


def _changed_lines(old: bytes, new: bytes) -> set[int]:
    """Lines of the old source a diff to the new one changes (an insertion counts for the line it follows)."""
    a = old.decode("utf-8", "replace").splitlines()
    b = new.decode("utf-8", "replace").splitlines()
    changed: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed.update(range(i1 + 1, i2 + 1) if i2 > i1 else (max(i1, 1),))
    return changed


def check_one(path: str) -> dict:
    global _checker
    if _checker is None:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
        _checker = Checker(SETTINGS)
    out: dict = {"path": path, "problems": [], "findings": 0, "fixable": 0, "fixed": 0, "changed": False, "codes": Counter()}
    try:
        source = Path(path).read_bytes()
    except OSError as error:
        out["problems"].append(f"cannot read: {error}")
        return out
    analysis = _checker.analyze(source, path)
    out["problems"] += [error for error in analysis.result.errors if "internal error" in error]
    out["findings"] = len(analysis.result.diagnostics)
    out["codes"] = Counter(d.code for d in analysis.result.diagnostics)
    fixable = [
        (report, diagnostic)
        for report, diagnostic in zip(analysis.reports, analysis.result.diagnostics)
        if is_applicable(report.fix, unsafe=True)
    ]
    out["fixable"] = len(fixable)
    if not fixable or not _compiles(source):
        return out
    outcome = fix_source(_checker, source, path, unsafe=True)
    out["problems"] += [error for error in outcome.final.result.errors if "internal error" in error]
    out["fixed"] = len(outcome.applied)
    out["changed"] = outcome.source != source
    out["codes_fixed"] = Counter(code for code, _ in outcome.applied)
    out["dropped"] = list(outcome.dropped)
    if not out["changed"]:
        return out
    if not _compiles(outcome.source):
        out["problems"].append("the fixed file does not compile")
        return out
    again = fix_source(_checker, outcome.source, path, unsafe=True)
    if again.source != outcome.source:
        out["problems"].append("fixing again changes the file")
    stray = _changed_lines(source, outcome.source) - _allowed_lines(source, {d.start.line for _, d in fixable})
    if stray:
        out["problems"].append(f"the fixes change lines outside the fixed statements: {sorted(stray)[:5]}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, help="only the first N files")
    arguments = parser.parse_args()
    folders = arguments.folders or [Path(sysconfig.get_paths()["stdlib"])]
    files = [str(path) for path in python_files(folders)][: arguments.limit]
    with ProcessPoolExecutor(max_workers=arguments.jobs) as pool:
        results = list(pool.map(check_one, files, chunksize=8))
    problems = [(r["path"], problem) for r in results for problem in r["problems"]]
    codes = sum((r["codes"] for r in results), Counter())
    fixed_codes = sum((r.get("codes_fixed", Counter()) for r in results), Counter())
    dropped = [d for r in results for d in r.get("dropped", ())]
    print(f"folders: {', '.join(map(str, folders))}")
    print(f"files: {len(files)}; findings: {sum(r['findings'] for r in results)} ({', '.join(f'{c} {n}' for c, n in sorted(codes.items()))})")
    print(f"fixable: {sum(r['fixable'] for r in results)}; fixed: {sum(r['fixed'] for r in results)} "
          f"({', '.join(f'{c} {n}' for c, n in sorted(fixed_codes.items()))}) in {sum(r['changed'] for r in results)} files; "
          f"fixes dropped: {len(dropped)}")
    for line in dropped[:20]:
        print(f"  dropped: {line}")
    print(f"problems: {len(problems)}")
    for path, problem in problems:
        print(f"  {path}: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
