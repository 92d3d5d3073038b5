"""Checks files: the per-file pipeline and running it over many files.

Per file: the rules' triggers (no parse when none matches), the module's
model from Python's own parser and each rule's first look at it (no libcst
parse when no rule could fire), one libcst parse, one traversal for every
rule left, then suppressions and positions only when something was found.
"""

from __future__ import annotations

import ast
import dataclasses
import fnmatch
import gc
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from asynclint import registry
from asynclint.analysis.blocking import blocking_test
from asynclint.cache import DigestOf, file_state, result_cache
from asynclint.compiled import compile_error
from asynclint.config import Settings
from asynclint.context import FileContext
from asynclint.diagnostics import Diagnostic, FileResult, Fix, Position
from asynclint.discovery import project_root
from asynclint.guard import masked, oversized, python_tree
from asynclint.knowledge.blocking import chain_codes
from asynclint.knowledge.libraries import PREVIEW_CHAIN_ENDS
from asynclint.lazy import cst
from asynclint.model.build import build_model
from asynclint.model.facts import ModuleModel
from asynclint.modules import module_name_for
from asynclint.positions import codes_cut_from_text, positions_for, source_text, statement_of
from asynclint.project import ModelStore, Project
from asynclint.rule import Report, Rule, RuleCrash, Traversal, walk
from asynclint.screen import FirstLook, Lookups
from asynclint.suppression import parse_suppressions

# Below this many files the cost of starting workers outweighs the gain.
PARALLEL_THRESHOLD = 24


class Checker:
    """The enabled rules for one configuration, prepared once per process."""

    def __init__(
        self,
        settings: Settings,
        fix_edits: bool = False,
        cache_dir: str | None = None,
        model_dir: str | None = None,
        screening: bool = True,
    ) -> None:
        self.settings = settings
        self.screening = screening  # off only to test that the first look never hides a finding
        self.spell_out_fixes = fix_edits  # fixes as text edits too (JSON output, editors)
        self.cache_dir = cache_dir
        self.cache = result_cache(cache_dir, settings, fix_edits) if cache_dir is not None else None
        if model_dir is None and cache_dir is not None:
            model_dir = os.path.join(cache_dir, "models")
        self.models = ModelStore(Path(model_dir), settings.fingerprint()) if model_dir is not None else None
        self.projects: dict[Path, Project] = {}
        self._roots: dict[str, Path] = {}
        self.rules: list[type[Rule]] = [registry.rule_class(code) for code in settings.enabled_codes()]
        self.unfixable = {rule.code for rule in self.rules} - settings.fixable_codes()  # their fixes dropped
        self._patterns = {t: re.compile(t) for rule in self.rules for t in rule.triggers}
        self._needles = {t: needles_of(t) for t in self._patterns}
        # How a source becomes Python's tree and libcst's (the language server reparses only what changed).
        self.parse_python: Callable[[bytes, str], ast.Module | SyntaxError | None] = lambda source, path: python_tree(source)
        self.parse: Callable[[bytes, str], cst.Module] = lambda source, path: cst.parse_module(source)
        # How Python's tree becomes the module's model (the language server reuses its statements' models).
        self.build_model: Callable[..., ModuleModel | None] = (
            lambda source, name, is_package, gather, tree, path: build_model(source, name, is_package, gather, tree)
        )
        # A top-level statement's code, for positions (the language server knows it from the text).
        self.statement_code: Callable[[cst.Module, cst.CSTNode], str] | None = None
        # Reported nodes' ranges within their statements, kept for the next version (the language server's).
        self.positions_memo: dict[int, tuple] | None = None
        # Each top-level statement's defs, kept for the next version (the language server's).
        self.defs_memo: dict[int, tuple] | None = None
        # How the rules run over a module (the language server walks again only what a change touched).
        self.run_rules: Callable[[cst.Module, FileContext, list[type[Rule]], list[str]], tuple[list[Report], Rule | None]] = run_rules

    def project_for(self, path: str) -> Project:
        """The project the file belongs to (nearest pyproject.toml or .git)."""
        directory = os.path.dirname(os.path.abspath(path))
        root = self._roots.get(directory)
        if root is None:
            root = self._roots[directory] = project_root(Path(directory))
        if root not in self.projects:
            blocks = blocking_test(chain_codes(frozenset(self.settings.enabled_codes())), self.settings, chain_end=True)
            if not self.settings.preview:
                ends = blocks

                def blocks(qualname: str) -> bool:
                    return ends(qualname) and qualname not in PREVIEW_CHAIN_ENDS

            self.projects[root] = Project(
                root,
                blocks,
                self.models,
                self.settings.result_types(),
            )
        return self.projects[root]

    def forget_projects(self) -> None:
        """Drop what was learnt about other modules (an editor saved one of them)."""
        self.projects.clear()

    def rules_for(self, path: str) -> list[type[Rule]]:
        ignored = per_file_ignored(path, self.settings)
        if not ignored:
            return self.rules
        return [r for r in self.rules if not any(r.code.startswith(prefix) for prefix in ignored)]

    def check_file(self, path: str) -> FileResult:
        state = file_state(path)  # before reading: a later edit then never matches it
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            result = FileResult(path)
            result.errors.append(f"{path}: cannot read file: {exc.strerror or exc}")
            return result
        if self.cache is None:
            return self.analyze(source, path, state).result
        project = self.project_for(path)
        cached = self.cache.load(path, source, self.digest_of(project))
        if cached is not None:
            return cached
        project.consulted.clear()
        result = self.analyze(source, path, state).result
        own = os.path.abspath(path)
        consulted = project.dependencies((own, module_name_for(path)))
        deps = {dep: (module, project.digest(dep, module)) for dep, module in consulted.items() if dep != own}
        self.cache.store(path, source, result, deps, state)
        return result

    @staticmethod
    def digest_of(project: Project) -> DigestOf:
        """How the cache asks for a consulted module's digest now."""
        return lambda path, module, stored: project.digest(path, module)

    def triggered(self, rules: list[type[Rule]], source: bytes) -> list[type[Rule]]:
        """The rules whose triggers occur in the source: only they can fire."""
        found: dict[bytes, bool] = {}
        out = []
        for rule in rules:
            for trigger in rule.triggers:
                if trigger not in found:
                    needles = self._needles[trigger]
                    # a plain substring test first: much cheaper than the regex, and usually enough
                    maybe = needles is None or any(needle in source for needle in needles)
                    found[trigger] = maybe and self._patterns[trigger].search(source) is not None
                if found[trigger]:
                    out.append(rule)
                    break
        return out

    def screened(
        self, rules: list[type[Rule]], look: FirstLook | None, path: str, state: list[int] | None = None
    ) -> list[type[Rule]]:
        """The rules that could fire, judged from the module's model (see
        `asynclint.screen`; all of them when Python cannot parse the file)."""
        if not rules or look is None or not self.screening:
            return rules
        lookups = Lookups(self.project_for(path), path, look, self.settings)
        # First without looking into other modules: if some rule could fire
        # regardless, the file is parsed anyway and the rest can find out there.
        lookups.assume = True
        kept, certain = [], False
        for rule in rules:
            lookups.assumed = False
            if _could_fire(rule, look, lookups):
                kept.append(rule)
                certain = certain or not lookups.assumed
        if kept and not certain:
            lookups.assume = False
            kept = [rule for rule in kept if _could_fire(rule, look, lookups)]
        return kept

    def check_source(self, source: bytes, path: str) -> FileResult:
        return self.analyze(source, path).result

    def analyze(self, source: bytes, path: str, state: list[int] | None = None) -> Analysis:
        """Check one file's source, keeping the tree and the surviving reports
        (which carry the fixes) next to the diagnostics. `state` is the file's
        [mtime, size] when the source was read from disk. A crash is one
        error line for the file: the run goes on with the others."""
        try:
            return self._analyze(source, path, state)
        except Exception as exc:
            result = FileResult(path)
            result.errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
            return Analysis(result)

    def _analyze(self, source: bytes, path: str, state: list[int] | None) -> Analysis:
        result = FileResult(path)
        analysis = Analysis(result)
        rules = self.rules_for(path)
        enabled = {r.code for r in rules}
        syntax_enabled = "AL001" in enabled
        rules = [r for r in rules if r.code != "AL001"]
        if not rules and not syntax_enabled:
            return analysis
        module_name = module_name_for(path)
        model = look = None
        if rules:
            rules = self.triggered(rules, source)
        tree = self.parse_python(source, path)  # or the syntax error Python reports
        python_parsed = isinstance(tree, ast.Module)
        if python_parsed and syntax_enabled:
            error = compile_error(tree, source, path)  # `await` outside `async def`, which only compiling rejects
            if error is not None:
                result.diagnostics.append(_syntax_error(path, f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1))
                return analysis
        # The parse guard: expressions too big for libcst (or the model) are
        # masked before either sees the file (see asynclint.guard).
        parts = oversized(tree, source) if python_parsed else []
        for part in parts:
            result.warnings.append(f"{path}:{part.line}: not checked: {part.reason}; the rest of the file is")
        checked_source = masked(source, parts) if parts else source
        if parts:
            tree = python_tree(checked_source)
            if not isinstance(tree, ast.Module):  # the columns did not match the bytes (a legacy encoding)
                result.warnings.append(f"{path}: skipped: {parts[0].reason} on line {parts[0].line} could not be set aside")
                return analysis
        if rules and python_parsed:
            gather = frozenset(kind for rule in rules for kind in rule.first_look_nodes)
            model = self.build_model(checked_source, module_name, path.endswith("__init__.py"), gather, tree, path)
            if model is not None:
                look = FirstLook(model, self.project_for(path).remember(path, model, state).resolver)
        if rules:
            rules = self.screened(rules, look, path, state)
            if model is not None:
                model.nodes.clear()  # the first look is over: the syntax tree need not stay
        if isinstance(tree, SyntaxError) and tree.msg in _PYTHON_SHAPE_LIMITS:
            # Python's own limit (libcst could take hours on such a file)
            if syntax_enabled:
                result.diagnostics.append(_syntax_error(path, f"syntax error: {tree.msg}", tree.lineno or 1, tree.offset or 1))
            return analysis
        if not rules:
            # Nothing any enabled rule looks for. Python's own parser still
            # catches a syntax error; libcst's parse below confirms it
            # (Python knows only its own syntax), and no rule runs.
            if not syntax_enabled or python_parsed:
                return analysis
        try:
            module = self.parse(checked_source, path)
        except cst.ParserSyntaxError as exc:
            if python_parsed:  # Python reads it: never a syntax error
                result.warnings.append(f"{path}: skipped: libcst cannot parse it ({_first_line(exc)})")
            elif syntax_enabled:
                result.diagnostics.append(_syntax_error_from(source, path, exc))
            return analysis
        except (UnicodeDecodeError, LookupError, SyntaxError) as exc:
            if syntax_enabled:
                message = f"syntax error: cannot decode the file ({_first_line(exc)}); declare its encoding (PEP 263)"
                result.diagnostics.append(_syntax_error(path, message, 1, 1))
            return analysis
        except RecursionError:
            result.warnings.append(f"{path}: skipped: it is nested too deeply to analyse")
            return analysis
        if not parts:  # a masked tree is not the file: nothing is fixed in it
            analysis.module = module
        if not rules:
            return analysis
        resolver = look.resolver if look is not None else None
        if model is None:  # libcst reads syntax this Python's parser does not
            model = _model_of_newer_syntax(module, module_name, path.endswith("__init__.py"))
            if model is not None:
                resolver = self.project_for(path).remember(path, model, state).resolver
        ctx = FileContext(
            module,
            path,
            module_name,
            model if model is not None else ModuleModel(module_name, path.endswith("__init__.py")),
            self.settings,
            self.project_for(path),
            state,
            source_text(checked_source, module),
            resolver,
            self.defs_memo,
        )
        try:
            reports, noqa_rule = self.run_rules(module, ctx, rules, result.errors)
        except RuleCrash as crash:  # a rule bug must not stop the run
            cause = crash.__cause__
            result.errors.append(f"{path}: internal error in {crash.code}: {type(cause).__name__}: {cause}")
            return analysis
        except RecursionError:
            result.errors.append(f"{path}: internal error: the file is nested too deeply to check")
            return analysis
        except Exception as exc:
            result.errors.append(f"{path}: internal error: {type(exc).__name__}: {exc}")
            return analysis
        if parts:
            reports = [dataclasses.replace(report, fix=None) for report in reports]
        elif self.unfixable:
            reports = [dataclasses.replace(r, fix=None) if r.code in self.unfixable else r for r in reports]
        if reports or (noqa_rule is not None and noqa_rule.comments):
            statements = tree.body if isinstance(tree, ast.Module) else None
            pairs = self._diagnostics(module, ctx.text, path, reports, noqa_rule, enabled, statements)
            analysis.reports = [report for report, _ in pairs]
            result.diagnostics.extend(diagnostic for _, diagnostic in pairs)
        return analysis

    def _diagnostics(
        self,
        module: cst.Module,
        text: str,
        path: str,
        reports: list[Report],
        noqa_rule=None,
        enabled: set[str] = frozenset(),
        statements: list[ast.stmt] | None = None,
    ) -> list[tuple[Report, Diagnostic]]:
        """Diagnostics for the reports no `# noqa` suppresses, sorted; then,
        when AL002 runs, the `# noqa` codes that suppressed nothing.
        `statements` are Python's tree of the text, which spares generating
        the reported statements' code to find them in it."""
        suppressions = parse_suppressions(text)
        wanted = [(r.node, r.statement) for r in reports]
        wanted += [(r.related, statement_of(module, r.related)) for r in reports if r.related is not None]
        if noqa_rule is not None:
            wanted += [(c.node, c.statement) for c in noqa_rule.comments]
        code_of = self.statement_code
        if code_of is None and statements is not None:
            code_of = codes_cut_from_text(module, text, statements)
        positions = positions_for(module, wanted, text, code_of, self.positions_memo)
        spell = _FixSpeller(module, text) if self.spell_out_fixes else None
        out = self._surviving(module, path, reports, suppressions, positions, spell)
        if noqa_rule is not None:
            unused = noqa_rule.unused(
                lambda node: positions[node].start.line, suppressions.used, enabled, set(registry.codes())
            )
            out += self._surviving(module, path, unused, suppressions, positions, spell)
        out.sort(key=lambda pair: pair[1].sort_key)
        return out

    def _surviving(self, module, path, reports, suppressions, positions, spell) -> list[tuple[Report, Diagnostic]]:
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
            fix = None
            if report.fix is not None:
                edits = spell(report) if spell is not None else ()
                fix = Fix(report.fix.applicability, report.fix.message, edits)
            diagnostic = Diagnostic(report.code, registry.name_of(report.code), message, path, start, end, fix, start.line)
            out.append((report, diagnostic))
        return out


def run_rules(module: cst.Module, ctx: FileContext, rules: list[type[Rule]], errors: list[str]) -> tuple[list[Report], Rule | None]:
    """The rules in one walk of the whole module, then each one's `finish`:
    their reports, and AL002's instance (the `# noqa` comments it read). A
    rule's crash while walking raises `RuleCrash`; one in `finish` is a line in `errors`."""
    instances = [rule(ctx) for rule in rules]
    walk(module, Traversal(ctx, instances))
    return finish_rules(instances, ctx.path, errors), next((i for i in instances if i.code == "AL002"), None)


def finish_rules(instances: list[Rule], path: str, errors: list[str]) -> list[Report]:
    """Each rule's `finish`, then every rule's reports, rule by rule."""
    reports: list[Report] = []
    for instance in instances:
        try:
            instance.finish()
        except Exception as exc:
            errors.append(f"{path}: internal error in {instance.code}: {type(exc).__name__}: {exc}")
        reports.extend(instance.reports)
    return reports


class _FixSpeller:
    """A file's fixes as text edits, each generating the code of the
    statements it changes alone (its statement's place in the text is found
    once for all), else the whole module's."""

    def __init__(self, module: cst.Module, text: str) -> None:
        from asynclint import (
            edits,  # needs libcst's codemod: only once a file is parsed
        )

        self.edits, self.module, self.text = edits, module, text
        self.layout = edits.layout_of(module, text)

    def __call__(self, report: Report) -> tuple:
        if self.layout is not None and report.statement is not None:
            placed = self.edits.fix_edits_in_place(self.module, report.fix, report.statement, self.text, self.layout)
            if placed is not None:
                return placed
        return self.edits.fix_edits(self.module, report.fix)


@dataclass
class Analysis:
    """A checked file: its diagnostics, and for the fixer the tree and the
    reports behind the diagnostics (same order)."""

    result: FileResult
    module: cst.Module | None = None
    reports: list[Report] = field(default_factory=list)


_REGEX_SYNTAX = re.compile(rb"[\[\](){}*+?^$|\\]")


def needles_of(trigger: bytes) -> list[bytes] | None:
    """Substrings one of which a text must hold for the trigger to match
    (`requests|httpx` -> `requests`, `httpx`; `\\bawait\\b` -> `await`), or
    None when the trigger is not such a list of words."""
    out = []
    for part in trigger.split(b"|"):
        part = part.replace(rb"\b", b"").replace(rb"\.", b".")
        if not part or _REGEX_SYNTAX.search(part):
            return None
        out.append(part)
    return out


def _could_fire(rule: type[Rule], facts, lookups) -> bool:
    try:
        return rule.screen(facts, lookups)
    except Exception:  # a first look's bug must not hide findings
        return True


def _model_of_newer_syntax(module: cst.Module, name: str, is_package: bool) -> ModuleModel | None:
    """The model of a file whose syntax is newer than the running Python's:
    type parameters and `type` statements (3.12) are written the older way
    first (`def f[T]()` as `def f()`, `type X = int` as `X = int`), on the
    same lines, for Python's parser."""
    try:
        older = module.visit(_without_type_parameters()()).code.encode("utf-8")
    except Exception:  # a tree libcst cannot write back: no model
        return None
    return build_model(older, name, is_package)


@cache
def _without_type_parameters() -> type:
    """The transformer (built on first use: libcst is imported only when a file is parsed)."""

    class WithoutTypeParameters(cst.CSTTransformer):
        def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
            return updated.with_changes(type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace(""))

        def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
            return updated.with_changes(type_parameters=None, whitespace_after_type_parameters=cst.SimpleWhitespace(""))

        def leave_TypeAlias(self, original: cst.TypeAlias, updated: cst.TypeAlias) -> cst.Assign:
            return cst.Assign(targets=[cst.AssignTarget(updated.name)], value=updated.value)

    return WithoutTypeParameters


def _syntax_error(path: str, message: str, line: int, column: int) -> Diagnostic:
    start = Position(max(line, 1), max(column, 1))
    return Diagnostic("AL001", "syntax-error", message, path, start, start, None, None)


# Syntax errors that are Python's own limits on a file's shape.
_PYTHON_SHAPE_LIMITS = frozenset({"too many nested parentheses"})


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


# ---------------------------------------------------------------- many files
_worker: Checker | None = None


# Whether the fixer's tasks (`fixes.fix_paths`) apply unsafe fixes too.
_unsafe_fixes = False


def _init_worker(
    settings: Settings, fix_edits: bool, unsafe: bool, cache_dir: str | None = None, model_dir: str | None = None
) -> None:
    global _worker, _unsafe_fixes
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    _collect_garbage_rarely()
    _worker = Checker(settings, fix_edits, cache_dir, model_dir)
    _unsafe_fixes = unsafe


def _collect_garbage_rarely() -> None:
    """A check allocates millions of short-lived libcst nodes, none in a
    cycle. At Python's default thresholds the cycle collector runs every 700
    allocations and walks every model the run keeps: a quarter of a cold
    run's time. It runs a hundred times less often, and what is alive when
    a batch starts (modules, knowledge tables) is kept out of its sight."""
    if gc.get_threshold()[0] < _YOUNG_COLLECTION_THRESHOLD:
        gc.freeze()
        gc.set_threshold(_YOUNG_COLLECTION_THRESHOLD, 50, 100)


_YOUNG_COLLECTION_THRESHOLD = 100_000  # allocations between two collections of the youngest objects


def _check_in_worker(path: str) -> FileResult:
    assert _worker is not None
    return _worker.check_file(path)


def process_checker(settings: Settings, fix_edits: bool, cache_dir: str | None) -> Checker:
    """This process's checker for a configuration: the one that has checked
    files here, if any (what it has read about the project is known)."""
    if _worker is not None and (_worker.settings, _worker.spell_out_fixes, _worker.cache_dir) == (settings, fix_edits, cache_dir):
        return _worker
    return Checker(settings, fix_edits, cache_dir)


@cache
def _checker(settings: Settings, fix_edits: bool = False) -> Checker:
    return Checker(settings, fix_edits)


def _run_all(
    task,
    files: list[str],
    settings: Settings,
    jobs: int | None,
    fix_edits: bool,
    unsafe: bool,
    cache_dir: str | None = None,
    lost: Callable[[str, str], object] | None = None,
    on_done: Callable[[], None] | None = None,
) -> list:
    """Run a per-file task over files, in parallel when there are enough of
    them to pay for it; `lost(path, how)` stands for the result of a file
    whose worker process died on it (see `asynclint.pool`); `on_done` is told
    of each file done (a progress line)."""
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(files) < PARALLEL_THRESHOLD:
        _init_worker(settings, fix_edits, unsafe, cache_dir)
        return [_told(task(f), on_done) for f in files]
    from asynclint.pool import run_in_pool

    chunk = max(1, min(32, len(files) // (workers * 8)))
    with _shared_models(cache_dir) as model_dir:
        initargs = (settings, fix_edits, unsafe, cache_dir, model_dir)
        return run_in_pool(task, files, workers, chunk, _init_worker, initargs, lost or lost_file, on_done)


def _told(result, on_done: Callable[[], None] | None):
    if on_done is not None:
        on_done()
    return result


def lost_file(path: str, how: str) -> FileResult:
    """The result of a file whose worker process died checking it."""
    result = FileResult(path)
    result.errors.append(f"{path}: internal error: the process checking it died ({how}); the other files are checked")
    return result


@contextmanager
def _shared_models(cache_dir: str | None) -> Iterator[str | None]:
    """Where the workers of one run share module models: the cache's store,
    or without a cache a temporary one (a module one worker has parsed is not
    parsed again by the other for its facts)."""
    if cache_dir is not None:
        yield None  # the Checker keeps them under the cache directory
        return
    import tempfile  # a run of many files only

    with tempfile.TemporaryDirectory(prefix="asynclint-models-") as directory:
        yield directory


def check_in_parallel(
    files: list[str], settings: Settings, jobs: int | None, fix_edits: bool, cache_dir: str | None,
    on_done: Callable[[], None] | None = None,
) -> list[FileResult]:
    """Check files (in this order), in worker processes when there are enough."""
    return _run_all(_check_in_worker, files, settings, jobs, fix_edits, False, cache_dir, on_done=on_done)


def check_source(source: str | bytes, path: str = "<string>", settings: Settings | None = None) -> FileResult:
    """Check one source text: the entry point for tests and editors."""
    data = source.encode("utf-8") if isinstance(source, str) else source
    return _checker(settings or Settings()).check_source(data, path)
