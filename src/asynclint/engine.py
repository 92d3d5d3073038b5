"""Checks files: the per-file pipeline and running it over many files.

Per file: prefilter on the rules' triggers (no parse when no rule can
fire), one libcst parse, one traversal for every enabled rule, then
suppressions and positions only when something was found.
"""

from __future__ import annotations

import ast
import fnmatch
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import libcst as cst

from asynclint import registry
from asynclint.config import Settings
from asynclint.context import FileContext
from asynclint.diagnostics import Diagnostic, FileResult, Position
from asynclint.positions import positions_for, statement_of
from asynclint.rule import Report, Rule, RuleCrash, Traversal, compile_triggers
from asynclint.suppression import parse_suppressions

# Below this many files the cost of starting workers outweighs the gain.
PARALLEL_THRESHOLD = 24


class Checker:
    """The enabled rules for one configuration, prepared once per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        rules = registry.all_rules()
        self.rules: list[type[Rule]] = [rules[code] for code in settings.enabled_codes()]
        self.trigger = compile_triggers([r for r in self.rules if r.code != "AL001"])

    def rules_for(self, path: str) -> list[type[Rule]]:
        ignored = per_file_ignored(path, self.settings)
        if not ignored:
            return self.rules
        return [r for r in self.rules if not any(r.code.startswith(prefix) for prefix in ignored)]

    def check_file(self, path: str) -> FileResult:
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            result = FileResult(path)
            result.errors.append(f"{path}: cannot read file: {exc.strerror or exc}")
            return result
        return self.check_source(source, path)

    def check_source(self, source: bytes, path: str) -> FileResult:
        result = FileResult(path)
        rules = self.rules_for(path)
        syntax_enabled = any(r.code == "AL001" for r in rules)
        rules = [r for r in rules if r.code != "AL001"]
        if not rules and not syntax_enabled:
            return result
        if rules and self.trigger is not None and not self.trigger.search(source):
            return result  # nothing any enabled rule looks for
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            if syntax_enabled:
                result.diagnostics.append(_syntax_error_from(source, path, exc))
            return result
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            if syntax_enabled:
                message = f"syntax error: cannot decode the file ({_first_line(exc)}); declare its encoding (PEP 263)"
                result.diagnostics.append(_syntax_error(path, message, 1, 1))
            return result
        except RecursionError:
            result.errors.append(f"{path}: internal error: the file is nested too deeply to parse")
            return result
        if not rules:
            return result
        ctx = FileContext(module, path=path, module_name=module_name_for(path))
        ctx.settings = self.settings
        instances = [rule(ctx) for rule in rules]
        try:
            module.visit(Traversal(ctx, instances))
        except RuleCrash as crash:  # a rule bug must not stop the run
            cause = crash.__cause__
            result.errors.append(f"{path}: internal error in {crash.code}: {type(cause).__name__}: {cause}")
            return result
        except RecursionError:
            result.errors.append(f"{path}: internal error: the file is nested too deeply to check")
            return result
        except Exception as exc:
            result.errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
            return result
        reports: list[Report] = []
        for instance in instances:
            try:
                instance.finish()
            except Exception as exc:
                result.errors.append(f"{path}: internal error in {instance.code}: {type(exc).__name__}: {exc}")
            reports.extend(instance.reports)
        if reports:
            result.diagnostics.extend(self._diagnostics(module, source, path, reports))
        return result

    def _diagnostics(self, module: cst.Module, source: bytes, path: str, reports: list[Report]) -> list[Diagnostic]:
        suppressions = parse_suppressions(_text(source, module))
        wanted = [(r.node, r.statement) for r in reports]
        wanted += [(r.related, statement_of(module, r.related)) for r in reports if r.related is not None]
        positions = positions_for(module, wanted)
        names = registry.all_rules()
        out = []
        seen = set()
        for report in reports:
            span = positions[report.node]
            start = Position(span.start.line, span.start.column + 1)
            key = (report.code, start)
            if key in seen or suppressions.suppresses(start.line, report.code):
                continue
            seen.add(key)
            end = Position(span.end.line, span.end.column + 1)
            message = report.message
            if report.related is not None:
                message = message.replace("{related_line}", str(positions[report.related].start.line))
            out.append(Diagnostic(report.code, names[report.code].name, message, path, start, end, None, start.line))
        out.sort(key=lambda d: d.sort_key)
        return out


def _text(source: bytes, module: cst.Module) -> str:
    """The file's text, decoded as the parser decoded it (cheaper than regenerating it)."""
    try:
        return source.decode(module.encoding).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return module.code


def _syntax_error(path: str, message: str, line: int, column: int) -> Diagnostic:
    start = Position(max(line, 1), max(column, 1))
    return Diagnostic("AL001", "syntax-error", message, path, start, start, None, None)


def _syntax_error_from(source: bytes, path: str, exc: cst.ParserSyntaxError) -> Diagnostic:
    """AL001 at the error's position. CPython's own parser, when it also
    rejects the file, names the error and its position more precisely."""
    try:
        compile(source, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        if error.lineno:
            return _syntax_error(path, f"syntax error: {error.msg}", error.lineno, error.offset or 1)
    except (ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        pass
    return _syntax_error(path, f"syntax error: {exc.message}", exc.raw_line, exc.raw_column + 1)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def per_file_ignored(path: str, settings: Settings) -> tuple[str, ...]:
    """Codes `per-file-ignores` switches off for this path."""
    if not settings.per_file_ignores:
        return ()
    absolute = os.path.abspath(path)
    try:
        relative = Path(absolute).relative_to(settings.config_dir).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    name = os.path.basename(path)
    out: list[str] = []
    for pattern, codes in settings.per_file_ignores:
        bare = pattern[3:] if pattern.startswith("**/") else pattern
        if (
            fnmatch.fnmatchcase(relative, pattern)
            or fnmatch.fnmatchcase(relative, bare)
            or fnmatch.fnmatchcase(name, pattern)
            or fnmatch.fnmatchcase(relative, pattern.rstrip("/") + "/*")
        ):
            out.extend(codes)
    return tuple(out)


def module_name_for(path: str) -> str:
    """A dotted module name from the file's package directories (`pkg.sub.mod`)."""
    p = Path(os.path.abspath(path))
    parts = [] if p.stem == "__init__" else [p.stem]
    directory = p.parent
    while (directory / "__init__.py").is_file() and directory != directory.parent:
        parts.append(directory.name)
        directory = directory.parent
    return ".".join(reversed(parts)) or p.stem


# ---------------------------------------------------------------- many files
_worker: Checker | None = None


def _init_worker(settings: Settings) -> None:
    global _worker
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    _worker = Checker(settings)


def _check_in_worker(path: str) -> FileResult:
    assert _worker is not None
    return _worker.check_file(path)


@cache
def _checker(settings: Settings) -> Checker:
    return Checker(settings)


def check_paths(files: list[str], settings: Settings, jobs: int | None = None) -> list[FileResult]:
    """Check files, in parallel when there are enough of them to pay for it."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
        checker = _checker(settings)
        return [checker.check_file(f) for f in files]
    chunk = max(1, min(32, len(files) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(settings,)) as pool:
        return list(pool.map(_check_in_worker, files, chunksize=chunk))


def check_source(source: str | bytes, path: str = "<string>", settings: Settings | None = None) -> FileResult:
    """Check one source text: the entry point for tests and editors."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    return _checker(settings or Settings()).check_source(data, path)
