"""Facts from the whole project, found on demand.

The files a run checks may call functions of modules the run was not asked
about (pre-commit passes only the changed files). The index maps a
qualified name to its module's file under the project root, summarises that
module the first time a chain needs it (one parse, no rules), and answers
two questions: which project functions are `async def`, and whether a sync
project function reaches a blocking call through sync project calls.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asynclint import __version__
from asynclint.cache import file_state, write_json_atomically
from asynclint.context import FileContext
from asynclint.lazy import cst
from asynclint.model.build import build_model
from asynclint.model.facts import ModuleModel
from asynclint.positions import source_text
from asynclint.rule import Rule, Traversal, walk
from asynclint.summary import FileSummary, FunctionSummary, SummaryCollector, absolute

MAX_CHAIN = 12


@dataclass(frozen=True)
class Link:
    """The blocking call at the end of a chain."""

    name: str
    path: str
    line: int


class SummaryStore:
    """Module summaries on disk (and the models of modules, see
    `asynclint.screen.ProjectFacts`), valid while their file keeps its size
    and modification time: a run reads the facts of unchanged modules
    instead of parsing them, and the workers of one run share what each has
    parsed. Written like the cache (temporary file, then rename)."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = f"{__version__}:{fingerprint}"

    def _entry(self, path: str, module: str, kind: str = "summary") -> Path:
        key = f"{self.fingerprint}\0{os.path.abspath(path)}\0{module}\0{kind}"
        digest = hashlib.sha256(key.encode()).hexdigest()[:40]
        return self.directory / digest[:2] / f"{digest}.json"

    def load(self, path: str, module: str, settings) -> FileSummary | None:
        try:
            data = json.loads(self._entry(path, module).read_text(encoding="utf-8"))
            if data["state"] != file_state(path):
                return None
            return FileSummary.from_json(data["summary"], later_lines(path, module, settings))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, summary: FileSummary, state: list[int] | None) -> None:
        if state is None:
            return
        write_json_atomically(self._entry(summary.path, summary.module), {"state": state, "summary": summary.to_json()})

    def load_model(self, path: str, module: str) -> ModuleModel | None:
        try:
            data = json.loads(self._entry(path, module, "model").read_text(encoding="utf-8"))
            if data["state"] != file_state(path):
                return None
            return ModuleModel.from_json(data["model"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save_model(self, path: str, module: str, model: ModuleModel, state: list[int] | None) -> None:
        if state is not None:
            write_json_atomically(self._entry(path, module, "model"), {"state": state, "model": model.to_json()})


class ProjectIndex:
    def __init__(self, root: Path, settings, store: SummaryStore | None = None) -> None:
        self.root = root
        self.settings = settings
        self.store = store
        self.search_roots = [root, root / "src"]
        self.summaries: dict[str, FileSummary | None] = {}  # module name -> summary
        self.chains: dict[str, list | None] = {}
        self.files: dict[str, Path | None] = {}  # module -> its file under the root or src/
        self.files_near: dict[tuple[str, Path], Path | None] = {}  # (module, caller's directory) -> file
        self._directories: dict[str, Path] = {}  # caller's path -> its resolved directory
        # Files whose facts the current check used, with their module name (for the cache).
        self.consulted: dict[str, str] = {}
        self.fingerprints: dict[str, tuple[list[int] | None, str | None]] = {}  # path -> (its state, `code_fingerprint`)
        # A cheaper view that over-approximates (the screen's, from the stdlib
        # parser): when it says no, no module needs a libcst parse to agree.
        self.rough: Any = None

    # ------------------------------------------------------------ modules
    def register(self, summary: FileSummary, state: list[int] | None = None) -> None:
        """A module the run has already analysed (no second parse); `state`
        is its file's state when it was read, for the summary store."""
        self.summaries[summary.module] = summary
        if self.store is not None:
            self.store.save(summary, state)

    def module_file(self, module: str, near: str | None = None) -> Path | None:
        """The file of a project module: under the root, `src/`, or beside the caller."""
        if module not in self.files:
            self.files[module] = self._find(module, self.search_roots)
        found = self.files[module]
        if found is not None or near is None:
            return found
        near_dir = self._directories.get(near)
        if near_dir is None:
            near_dir = self._directories[near] = Path(near).resolve().parent
        key = (module, near_dir)
        if key not in self.files_near:
            self.files_near[key] = self._find(module, [near_dir])
        return self.files_near[key]

    @staticmethod
    def _find(module: str, bases: list[Path]) -> Path | None:
        parts = module.split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        for base in bases:
            for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
                if candidate.is_file():
                    return candidate
        return None

    def summary(self, module: str, near: str | None = None) -> FileSummary | None:
        if module not in self.summaries:
            path = self.module_file(module, near)
            self.summaries[module] = self._read(str(path), module) if path is not None else None
        found = self.summaries[module]
        if found is not None:
            self.consulted[os.path.abspath(found.path)] = module
        return found

    def _read(self, path: str, module: str) -> FileSummary | None:
        """A module's summary from the store, or from a parse (then stored)."""
        if self.store is not None:
            stored = self.store.load(path, module, self.settings)
            if stored is not None:
                return stored
        state = file_state(path)
        summary = summarise(Path(path), module, self.settings)
        if summary is not None and self.store is not None:
            self.store.save(summary, state)
        return summary

    def digest(self, path: str, module: str, stored: str | None = None) -> str | None:
        """The digest of a module's facts as read now, for revalidating cached
        results: its summary's, with a fingerprint of its code
        (`summary+code`). Given the stored one, a module changed only in
        comments, formatting or lines keeps it without a libcst parse."""
        code = self._code_fingerprint(path)
        if stored is not None and code is not None and stored.endswith("+" + code):
            return stored
        summary = self.summaries.get(module)
        if summary is None or os.path.abspath(summary.path) != os.path.abspath(path):
            summary = self._read(path, module)
        if summary is None:
            return None
        digest = summary.digest()
        if stored is not None and stored.split("+")[0] == digest:
            return stored  # other code, the same facts
        return f"{digest}+{code}"

    def _code_fingerprint(self, path: str) -> str | None:
        state = file_state(path)
        known = self.fingerprints.get(path)
        if known is None or known[0] != state:
            known = self.fingerprints[path] = (state, code_fingerprint(path))
        return known[1]

    def function(self, qualname: str, near: str | None = None) -> tuple[FileSummary, FunctionSummary] | None:
        """The project function a qualified name denotes (`pkg.utils.helper`, `pkg.utils.Client.get`)."""
        parts = qualname.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:split])
            if module in self.summaries or self.module_file(module, near) is not None:
                summary = self.summary(module, near)
                if summary is None:
                    return None
                found = summary.functions.get(".".join(parts[split:]))
                return (summary, found) if found is not None else None
        return None

    # ------------------------------------------------------------ questions
    def coroutine_location(self, qualname: str, near: str | None = None) -> str | None:
        """`path:line` when `qualname` is an `async def` of the project."""
        if self._rough_says_no(qualname, near, coroutine=True):
            return None
        found = self.function(qualname, near)
        if found is None or not found[1].returns_coroutine:
            return None
        summary, function = found
        return f"{self.display(summary.path)}:{summary.line_of(function.name)}"

    def is_coroutine(self, qualname: str, near: str | None = None) -> bool:
        """`coroutine_location` without the line (which can cost a parse)."""
        if self._rough_says_no(qualname, near, coroutine=True):
            return False
        found = self.function(qualname, near)
        return found is not None and found[1].returns_coroutine

    def reaches_blocking(self, qualname: str, near: str | None = None) -> bool:
        """`blocking_chain` without the lines (which can cost a parse)."""
        return self._chain(qualname, near, set()) is not None

    def blocking_chain(self, qualname: str, near: str | None = None) -> tuple[list[str], Link] | None:
        """The chain from a sync project function down to a blocking call, if
        any: the functions called on the way, and the blocking call."""
        steps = self._chain(qualname, near, set())
        if steps is None:
            return None
        summary, function = steps[-1]
        blocked = function.blocking[0][0].removeprefix("builtins.")
        link = Link(blocked, self.display(summary.path), summary.line_of(function.name, 0))
        return [function.name for _, function in steps], link

    def _chain(self, qualname: str, near: str | None, visiting: set[str]):
        """[(summary, function), ...] down to a function that blocks directly."""
        if qualname in self.chains:
            return self.chains[qualname]
        if self._rough_says_no(qualname, near, coroutine=False):
            return None
        if qualname in visiting or len(visiting) >= MAX_CHAIN:
            return None  # a cycle, or deep enough: no answer from this path
        found = self.function(qualname, near)
        if found is None or found[1].is_async:
            self.chains[qualname] = None
            return None
        summary, function = found
        result = None
        if function.blocking:
            result = [found]
        else:
            visiting.add(qualname)
            for callee in function.calls:
                rest = self._chain(callee, summary.path, visiting)
                if rest is not None:
                    result = [found, *rest]
                    break
            visiting.discard(qualname)
        if result is not None or not visiting:
            self.chains[qualname] = result
        return result

    def _rough_says_no(self, qualname: str, near: str | None, coroutine: bool) -> bool:
        """Whether the rough view rules the answer out, where the precise one
        would have to parse a module (it knows none of the name's modules yet)."""
        if self.rough is None or near is None or self._known(qualname, near):
            return False
        if coroutine:
            return not self.rough.is_coroutine(qualname, near)
        return not self.rough.reaches_blocking(qualname, near)

    def _known(self, qualname: str, near: str) -> bool:
        """Whether the precise answer needs no parse: a module the name may
        belong to is summarised already, or its summary is in the store."""
        parts = qualname.split(".")
        modules = [".".join(parts[:split]) for split in range(len(parts) - 1, 0, -1)]
        if any(module in self.summaries for module in modules):
            return True
        if self.store is None:
            return False
        for module in modules:
            path = self.module_file(module, near)
            if path is not None:
                stored = self.store.load(str(path), module, self.settings)
                if stored is not None:
                    self.summaries[module] = stored
                return stored is not None
        return False

    def display(self, path: str) -> str:
        try:
            return os.path.relpath(Path(path).resolve(), self.root)
        except ValueError:
            return path


class _Summarise(Rule):
    """Feeds a SummaryCollector during a traversal (a module summarised for facts only)."""

    code = "AL109"
    name = "summary"
    summary = "collects a module summary"
    triggers = ()

    def __init__(self, ctx: FileContext, collector: SummaryCollector) -> None:
        super().__init__(ctx)
        self.collector = collector

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.collector.function_entered(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.collector.call_seen(node)


def summarise(path: Path, module: str, settings) -> FileSummary | None:
    """Parse a module the run needs facts from, and summarise it (no rules run).
    Its lines are found later, one at a time, and only if a finding shows them."""
    collector = _collect(path, module, settings)
    if collector is None:
        return None
    collector.summary.locate = later_lines(str(path), module, settings)
    return collector.summary


def _collect(path: Path, module: str, settings) -> SummaryCollector | None:
    try:
        source = path.read_bytes()
        tree = cst.parse_module(source)
    except (OSError, cst.ParserSyntaxError, UnicodeDecodeError, LookupError, SyntaxError, RecursionError):
        return None
    model = build_model(source, module, path.name == "__init__.py") or ModuleModel(module, path.name == "__init__.py")
    ctx = FileContext(tree, str(path), module, model, settings, text=source_text(source, tree))
    collector = SummaryCollector(ctx)
    try:
        walk(tree, Traversal(ctx, [_Summarise(ctx, collector)]))
    except RecursionError:
        return None
    return collector


def later_lines(path: str, module: str, settings) -> Callable[[str, int], int]:
    """Finds a summary's lines in its file (see `FileSummary.locate`): a def's
    from Python's own parser, a blocking call's from a fresh libcst parse."""

    def locate(name: str, index: int) -> int:
        if index < 0:
            return def_lines(Path(path)).get(name, 0)
        collector = _collect(Path(path), module, settings)
        return collector.locate(name, index) if collector is not None and name in collector.summary.functions else 0

    return locate


def code_fingerprint(path: str) -> str | None:
    """A hash of a module's syntax tree: the same when only comments,
    formatting or line numbers change (several times cheaper than a libcst parse)."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()[:32]


def def_lines(path: Path) -> dict[str, int]:
    """The lines of the defs a summary names (`helper`, `Client.fetch`; the
    last one when a name is defined twice), from Python's own parser."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    lines: dict[str, int] = {}

    def scan(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines[prefix + child.name] = child.lineno
            elif isinstance(child, ast.ClassDef):
                if not prefix:
                    scan(child, child.name + ".")
            elif isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                scan(child, prefix)  # a block: `if`, `try`, `with`, ...

    scan(tree, "")
    return lines


class ProjectCoroutines:
    """The context's view of `async def`s in other project modules (for AL201)."""

    def __init__(self, index: ProjectIndex, ctx: FileContext) -> None:
        self.index = index
        self.ctx = ctx

    def get(self, qualname: str) -> str | None:
        if qualname.startswith(self.ctx.local_prefix + "."):
            return None  # this file's own functions are the context's business
        return self.index.coroutine_location(absolute(self.ctx, qualname), self.ctx.path)
