"""The project: its modules' models, read on demand, and the questions
that cross modules.

The files a run checks may call functions of modules the run was not asked
about (pre-commit passes only the changed files). A qualified name is
mapped to its module's file under the project root; the first question
that needs the module reads its model (from the store, or from Python's
own parser), and every question is answered from models:

* is a project function an `async def` whose call gives a coroutine (AL201)?
* does a sync project function reach a blocking call through sync project
  calls, and through which chain (AL109)?
* does a project function build a new HTTP client, itself or through the
  project functions it calls, sync or async (AL301: on every request)?
* does a sync project function return a new HTTP client, for its caller to
  close (AL303)?
* does a project function hand back the await of work in a worker thread
  (`return loop.run_in_executor(...)`), so that a timeout around its call
  cannot stop the work (AL604)?
* does a sync project function start an event loop (`asyncio.run`) on every
  call, itself or through the sync project functions it calls (AL205 from
  async code, AL212 from a sync endpoint)?
* does a sync project function read a context variable in its own body
  (`request_id.get()`), so that it needs its caller's context (AL214)?

Each is asked two ways. A rule asks what is certain (each call's callee
as its names are where it is made, see `Resolver.call_target`); the first
look asks what may be (any callee the resolver allows). Both walk the same
models with the same search, so the first look cannot miss what a rule
then finds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from asynclint import __version__
from asynclint.cache import file_state, sha256_hex, write_json_atomically
from asynclint.knowledge.coroutines import EVENT_LOOP_RUNNERS, defined_as
from asynclint.knowledge.libraries import PREVIEW_CHAIN_ENDS
from asynclint.knowledge.types import RESULT_TYPES
from asynclint.knowledge.web import CLIENT_CLASSES, TRANSPARENT_DECORATORS
from asynclint.model.build import build_model
from asynclint.model.expr import dotted
from asynclint.model.facts import MODEL_FORMAT, CallSite, ModuleModel
from asynclint.model.resolve import AT_THE_END, Resolver, known, one


@dataclass(frozen=True)
class Link:
    """The blocking call at the end of a chain."""

    qualname: str
    path: str
    line: int

    @property
    def name(self) -> str:
        return self.qualname.removeprefix("builtins.")


class ModelStore:
    """Module models on disk, valid while their file keeps its size and
    modification time: a run reads the models of unchanged modules instead
    of parsing them, and the workers of one run share what each has parsed.
    Written like the cache (temporary file, then rename)."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.fingerprint = f"{__version__}:{MODEL_FORMAT}:{fingerprint}"

    def _entry(self, path: str, module: str) -> Path:
        key = f"{self.fingerprint}\0{os.path.abspath(path)}\0{module}"
        digest = sha256_hex(key.encode())[:40]
        return self.directory / digest[:2] / f"{digest}.json"

    def load(self, path: str, module: str) -> ModuleModel | None:
        try:
            data = json.loads(self._entry(path, module).read_text(encoding="utf-8"))
            if data["state"] != file_state(path):
                return None
            return ModuleModel.from_json(data["model"])
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None  # missing, from another version, or corrupt: parse the module again

    def save(self, path: str, module: str, model: ModuleModel, state: list[int] | None) -> None:
        if state is not None:
            write_json_atomically(self._entry(path, module), {"state": state, "model": model.to_json()})


# A module as the run knows it: its file's absolute path and its name.
ModuleKey = tuple[str, str]


@dataclass
class Module:
    """A project module as the run knows it."""

    path: Path
    model: ModuleModel
    resolver: Resolver
    state: list[int] | None  # its file's state when read (None: a buffer, not the disk)
    digest: str | None = None  # of what it exports (see `exports_digest`), once asked
    # The modules its resolver has read names of (its answers rest on them, see `Project.dependencies`).
    leans: set[ModuleKey] = field(default_factory=set)

    @cached_property
    def key(self) -> ModuleKey:
        return (os.path.abspath(self.path), self.model.module)


class _WorldOf:
    """The project as one module's resolver sees it: what it locates there is recorded as leant on."""

    def __init__(self, project: Project, module: Module) -> None:
        self.project = project
        self.module = module

    def locate(self, qualname: str) -> tuple[Resolver, str] | None:
        found = self.project.locate(qualname, str(self.module.path))
        if found is None:
            return None
        other, rest = found
        if other is not self.module:
            self.module.leans.add(other.key)
        return other.resolver, rest


# A step of a chain: the module and the key of the function.
Step = tuple[Module, str]


@dataclass
class _Walk:
    """One question's depth-first search (see `Project._chain`)."""

    certain: bool
    # "blocking", "client" or "event loop": which calls end a chain and which functions it passes (see `_ends`)
    question: str = "blocking"
    # A constructor's chain follows only the calls made on every path: its optional
    # arguments switch on what a plain `Config(app)` never runs (`log_config="x.json"`).
    every_path: bool = False
    depth: dict[tuple[Path, str], int] = field(default_factory=dict)  # the functions being explored, by depth
    # functions found not to block while a function they rest on was still being explored:
    # the shallowest depth they rest on, and the modules their answer read
    explored: dict[tuple[Path, str], tuple[int, frozenset[tuple[str, str]]]] = field(default_factory=dict)
    low: int = 0  # the shallowest depth the current exploration leaned on


class Project:
    """The modules under one project root, and the questions that cross them."""

    def __init__(
        self,
        root: Path,
        blocks: Callable[[str], bool],
        store: ModelStore | None = None,
        result_types: Mapping[str, str] = RESULT_TYPES,
    ) -> None:
        self.root = root
        self.blocks = blocks  # whether a qualified name is a blocking call a chain ends at
        self.result_types = result_types  # what a library call builds, the configuration's libraries included
        self.store = store
        self.search_roots = [root, root / "src"]
        self.files: dict[str, Path | None] = {}  # module -> its file under the root or src/
        self.files_near: dict[tuple[str, tuple[Path, ...]], Path | None] = {}  # (module, directories near) -> file
        self._directories: dict[str, tuple[Path, ...]] = {}  # caller's path -> its directory and its top package's
        self._listings: dict[Path, tuple[frozenset[str], frozenset[str]]] = {}  # directory -> its file and folder names
        self.modules: dict[tuple[str, str], Module | None] = {}  # (absolute path, module name) -> what the run read
        self.checked: dict[str, Module] = {}  # module name -> a file the run checks (its text counts over the disk)
        # (qualified name, near) -> the function found, and the module file read for it (see `function`)
        self.functions: dict[tuple[str, str], tuple[Step | None, tuple[str, str] | None]] = {}
        self.located: dict[tuple[str, str], tuple[Module, str] | None] = {}  # (qualname, caller's path) -> `locate`
        self.consulted_by_function: tuple[str, str] | None = None
        # (module file, function, certain, question, every path) -> the chain found (None: none), and the modules it rests on
        self.chains: dict[tuple[Path, str, bool, str, bool], tuple[list | None, frozenset[tuple[str, str]]]] = {}
        # Module files the current check read, with their module names (for the cache).
        self.consulted: dict[str, str] = {}

    # ------------------------------------------------------------ modules
    def module_file(self, module: str, near: str | None = None) -> Path | None:
        """The file of a project module: under the root, `src/`, beside the
        caller, or beside the caller's top package (an app in a folder that
        is no package, as PEP 420 allows: its imports start there)."""
        if module not in self.files:
            self.files[module] = self._find(module, self.search_roots)
        found = self.files[module]
        if found is not None or near is None:
            return found
        near_dirs = self._directories.get(near)
        if near_dirs is None:
            directory = Path(near).resolve().parent
            top = directory
            while (top / "__init__.py").is_file() and top.parent != top:
                top = top.parent
            near_dirs = self._directories[near] = (directory, top) if top != directory else (directory,)
        key = (module, near_dirs)
        if key not in self.files_near:
            self.files_near[key] = self._find(module, list(near_dirs))
        return self.files_near[key]

    def _find(self, module: str, bases: list[Path]) -> Path | None:
        parts = module.split(".")
        if not all(part.isidentifier() for part in parts):
            return None
        *packages, last = parts
        for base in bases:
            directory = base
            for part in packages:
                if part not in self._listing(directory)[1]:
                    break
                directory = directory / part
            else:
                files, directories = self._listing(directory)
                if f"{last}.py" in files:
                    return directory / f"{last}.py"
                if last in directories and "__init__.py" in self._listing(directory / last)[0]:
                    return directory / last / "__init__.py"
        return None

    def _listing(self, directory: Path) -> tuple[frozenset[str], frozenset[str]]:
        """The names of a directory's files and of its folders, read once
        (a module is looked for beside many callers, most names are no module)."""
        found = self._listings.get(directory)
        if found is None:
            files, directories = set(), set()
            try:
                with os.scandir(directory) as entries:
                    for entry in entries:
                        try:
                            if entry.is_file():
                                files.add(entry.name)
                            elif entry.is_dir():
                                directories.add(entry.name)
                        except OSError:
                            continue
            except OSError:
                pass
            found = self._listings[directory] = (frozenset(files), frozenset(directories))
        return found

    def remember(self, path: str, model: ModuleModel, state: list[int] | None) -> Module:
        """The model of a file the run is checking (no second parse when
        another file asks; an editor's buffer counts over the disk). Not
        stored: a later question about it costs one parse, and stores it."""
        key = (os.path.abspath(path), model.module)
        known_module = self.modules.get(key)
        if known_module is not None and (state is None or known_module.state != state):
            # Another text than the one earlier answers came from (an editor's buffer): what
            # other modules' resolvers concluded may rest on it, so they start afresh.
            self.chains.clear()
            for other in self.modules.values():
                if other is not None:
                    other.resolver, other.leans = Resolver(other.model, _WorldOf(self, other), self.result_types), set()
        # a resolver of its own: the first look's holds every answer of the file's check
        module = self.modules[key] = self._module(Path(path), model, state)
        if not (path.endswith(".pyi") and self.module_file(model.module, path) is not None):
            self.checked[model.module] = module  # (beside its stub, the code Python runs answers)
        self.functions.clear()
        self.located.clear()
        return module

    def _module(self, path: Path, model: ModuleModel, state: list[int] | None) -> Module:
        module = Module(path, model, None, state)
        module.resolver = Resolver(model, _WorldOf(self, module), self.result_types)
        return module

    def module(self, path: Path, module: str) -> Module | None:
        """A module's model: known to the run, from the store, or parsed (then stored)."""
        key = (os.path.abspath(path), module)
        if key not in self.modules:
            state = file_state(str(path))
            model = self.store.load(str(path), module) if self.store is not None else None
            if model is None:
                try:
                    source = path.read_bytes()
                except OSError:
                    source = None
                model = build_model(source, module, path.name == "__init__.py") if source is not None else None
                if model is not None and self.store is not None:
                    self.store.save(str(path), module, model, state)
            self.modules[key] = self._module(path, model, state) if model is not None else None
        return self.modules[key]

    def locate(self, qualname: str, near: str) -> tuple[Module, str] | None:
        """The project module with the longest name that starts `qualname`,
        and the rest of the name (`""`: the module itself)."""
        memo = (qualname, near)
        if memo not in self.located:
            self.located[memo] = self._locate(qualname, near)
        found = self.located[memo]
        if found is not None:
            self.consulted[found[0].key[0]] = found[0].key[1]
        return found

    def _locate(self, qualname: str, near: str) -> tuple[Module, str] | None:
        parts = qualname.split(".")
        for split in range(len(parts), 0, -1):
            name = ".".join(parts[:split])
            found = self.checked.get(name)
            if found is None:
                path = self.module_file(name, near)
                if path is None:
                    continue
                found = self.module(path, name)
            return (found, ".".join(parts[split:])) if found is not None else None
        return None

    def function(self, qualname: str, near: str) -> Step | None:
        """The module and key of the project function a qualified name
        denotes (`pkg.utils.helper`, `pkg.utils.Client.get`), if any."""
        memo = (qualname, near)
        if memo not in self.functions:
            self.consulted_by_function = None
            self.functions[memo] = (self._function(qualname, near), self.consulted_by_function)
        found, consulted = self.functions[memo]
        if consulted is not None:
            self.consulted[consulted[0]] = consulted[1]
        return found

    def _function(self, qualname: str, near: str) -> Step | None:
        located = self.locate(qualname, near)
        if located is None or not located[1]:
            return None
        module, rest = located
        if rest in module.model.classes:  # constructing a class runs its `__init__`, maybe a base's
            init, is_value = module.resolver.member(rest, "__init__") or (None, False)
            found = self._function(init, near) if init is not None and not is_value and init != qualname else None
        else:
            function = module.resolver.local_function(qualname)
            found = (module, function.key) if function is not None else None
        self.consulted_by_function = module.key
        return found

    def dependencies(self, own: ModuleKey | None) -> dict[str, str]:
        """The module files the current check's answers rest on (file -> module
        name): those it consulted, and what their resolvers (and its own) leant on."""
        found = dict(self.consulted)
        todo = [*((path, name) for path, name in found.items())]
        if own is not None:
            todo.append(own)
        seen = set(todo)
        while todo:
            module = self.modules.get(todo.pop())
            for key in module.leans if module is not None else ():
                if key not in seen:
                    seen.add(key)
                    found[key[0]] = key[1]
                    todo.append(key)
        return found

    def digest(self, path: str, module: str) -> str | None:
        """What other modules can learn from a module, as its file reads now
        (the cache's test of whether a result that read it still holds)."""
        key = (os.path.abspath(path), module)
        known_module = self.modules.get(key)
        if known_module is None or known_module.state is None or known_module.state != file_state(path):
            self.modules.pop(key, None)  # read it again
            self.functions.clear()
        found = self.module(Path(path), module)
        if found is None:
            return None
        if found.digest is None:
            found.digest = exports_digest(found)
        return found.digest

    def display(self, path: Path | str) -> str:
        try:
            return os.path.relpath(Path(path).resolve(), self.root)
        except ValueError:
            return str(path)

    # ------------------------------------------------------------ questions
    def coroutine_definition(self, qualname: str, near: str) -> str | None:
        """Where `qualname` is defined (`async def at path:line`) when it is a project
        function whose call gives a coroutine."""
        found = self.function(qualname, near)
        if found is None:
            return None
        module, key = found
        function = module.model.functions[key]
        if not module.resolver.returns_coroutine(function):
            return None
        return defined_as(function.is_async, f"{self.display(module.path)}:{function.line}")

    def new_client(self, qualname: str, near: str) -> str | None:
        """The client class a sync project function builds and returns on
        every call (`return httpx.Client(...)`, every `return` alike), if so."""
        found = self.function(qualname, near)
        if found is None:
            return None
        module, key = found
        function = module.model.functions[key]
        if function.is_async or function.is_generator or not self._passes(_Walk(True, "client"), module, key):
            return None
        built = set()
        for value in function.returned:
            callee = one(module.resolver.callee(key, value, AT_THE_END)) if value and value[0] == "call" else None
            built.add(callee if callee in CLIENT_CLASSES else None)
        return one(frozenset(built))

    def thread_work(self, qualname: str, near: str, runners: Collection[str]) -> Link | None:
        """The call of one of `runners` (`loop.run_in_executor`) whose
        awaitable a project function returns on every call (`return
        loop.run_in_executor(...)`, a name bound once to it, or, from an
        `async def`, `return await ...` of it), if it does."""
        found = self.function(qualname, near)
        if found is None:
            return None
        module, key = found
        function = module.model.functions[key]
        if function.is_generator or not function.returned:
            return None
        links = {self._returned_runner(module, key, value, function.is_async, runners) for value in function.returned}
        return one(frozenset(links))

    def _returned_runner(self, module: Module, key: str, value, is_async: bool, runners: Collection[str]) -> Link | None:
        if is_async:
            value = value[1] if value is not None and value[0] == "await" else None
        elif value is not None and value[0] == "name":  # `task = loop.run_in_executor(...)`, then `return task`
            bound = module.model.scopes[key].bindings.get(value[1], [])
            value = bound[0][1] if len(bound) == 1 and bound[0][0] == "value" else None
        if value is None or value[0] != "call":
            return None
        callee = one(module.resolver.callee(key, value, AT_THE_END))
        if callee not in runners:
            return None
        line = next((call.line for call in module.model.calls_in(key) if call.func == value[1]), 0)
        return Link(callee, self.display(module.path), line)

    def context_read(self, qualname: str, near: str, reads: Collection[str], writes: Collection[str]) -> Link | None:
        """The first call of one of `reads` (`request_id.get()`) a sync project
        function makes in its own body, if it makes one and none of `writes`
        (a function that sets the variables it reads needs no caller's values).
        The link's name is the call as written."""
        found = self.function(qualname, near)
        if found is None:
            return None
        module, key = found
        if module.model.functions[key].is_async:
            return None
        calls = [(call, module.resolver.call_target(call)) for call in module.model.calls_in(key)]
        if any(target in writes for _, target in calls):
            return None
        read = next((call for call, target in calls if target in reads), None)
        if read is None:
            return None
        return Link(f"{dotted(read.func) or read.name}()", self.display(module.path), read.line)

    def reaches_blocking(self, qualname: str, near: str, certain: bool = True) -> bool:
        return self.blocking_chain(qualname, near, certain) is not None

    def blocking_chain(self, qualname: str, near: str, certain: bool = True) -> tuple[list[str], Link] | None:
        """The chain from a sync project function down to a blocking call, if
        any: the functions called on the way, and the blocking call."""
        return self._ask(qualname, near, _Walk(certain))

    def client_chain(self, qualname: str, near: str, certain: bool = True) -> tuple[list[str], Link] | None:
        """The chain from a project function down to where it builds a new
        HTTP client (every call of the function builds one), if any."""
        return self._ask(qualname, near, _Walk(certain, "client"))

    def event_loop_chain(self, qualname: str, near: str, certain: bool = True) -> tuple[list[str], Link] | None:
        """The chain from a sync project function down to where it starts an
        event loop (`asyncio.run`, `loop.run_until_complete`) on every call,
        if any. Only calls made on every path count: a helper that starts a
        loop only when none is running (`except RuntimeError: asyncio.run(...)`)
        is written for both worlds. A module that imports `nest_asyncio`
        (which allows nested loops) ends no chain."""
        return self._ask(qualname, near, _Walk(certain, "event loop"))

    def _ask(self, qualname: str, near: str, walk: _Walk) -> tuple[list[str], Link] | None:
        found = self.function(qualname, near)
        if found is None:
            return None
        constructor = found[1].endswith(".__init__") and not qualname.endswith(".__init__")
        walk.every_path = constructor or walk.question == "event loop"
        touched: set[tuple[str, str]] = set()
        chain = self._chain(*found, walk, touched)
        self.consulted.update(touched)
        if chain is None:
            return None
        steps, (module, call, target) = chain
        return [key for _, key in steps], Link(target, self.display(module.path), call.line)

    def _ends(self, walk: _Walk, module: Module, call: CallSite, targets: list[str]) -> str | None:
        """The target a call ends the walk's chain at, if it does."""
        if walk.question == "blocking":
            if call.unblocked:
                return None
            # (a call the chains reach only in preview ends one only where its function makes it on every path)
            return next(
                (target for target in targets
                 if self.blocks(target) and not (call.conditional and target in PREVIEW_CHAIN_ENDS)),
                None,
            )
        if walk.question == "event loop":
            return _event_loop_runner(module, call, targets)
        if call.use not in _FRESH_USES:  # `self.client = ...`: kept for later calls, maybe built once
            return None
        return next((target for target in targets if target in CLIENT_CLASSES), None)

    def _passes(self, walk: _Walk, module: Module, key: str) -> bool:
        """Whether the walk's chains go through a function: a blocking chain
        through sync functions only (not one its decorator runs in a worker
        thread, `@sync_to_async`); a client chain through any function
        that neither remembers what it built (`global`, a caching decorator)
        nor is decorated in a way the model cannot see through."""
        function = module.model.functions[key]
        if walk.question in ("blocking", "event loop"):  # (a `@sync_to_async` def runs in a worker thread)
            return not function.is_async and not module.resolver.made_coroutine_function(function)
        if module.model.scopes[key].global_names:
            return False
        outer = key.rpartition(".")[0]
        return all(
            decorator is not None and one(module.resolver.resolve(outer, decorator)) in TRANSPARENT_DECORATORS
            for decorator in function.decorators
        )

    def _targets(self, module: Module, call: CallSite, certain: bool) -> list[str]:
        if certain:
            target = module.resolver.call_target(call)
            return [target] if target is not None else []
        return sorted(known(module.resolver.call_targets(call)))

    def _chain(self, module: Module, key: str, walk: _Walk, touched: set[tuple[str, str]]):
        """(steps, (module, call, blocking name)) down to a blocking call, or
        None: a sync function's own blocking call first, then the chains of
        the project functions it calls, in source order. A depth-first
        search over one question (`walk`), each function explored once in
        it: an answer is remembered for good when it rests on no function
        still being explored (Tarjan's low links tell which)."""
        path = module.path
        memo = (path, key, walk.certain, walk.question, walk.every_path)
        touched.add(module.key)  # for the cache: the module file read, and its name
        if memo in self.chains:
            chain, paths = self.chains[memo]
            touched.update(paths)
            return chain
        if not self._passes(walk, module, key):
            return None
        at = (path, key)
        if at in walk.depth:  # on the path being explored: a cycle
            walk.low = min(walk.low, walk.depth[at])
            return None
        if at in walk.explored:  # no by the time it was explored, resting on the same cycles
            low, paths = walk.explored[at]
            walk.low = min(walk.low, low)
            touched.update(paths)
            return None
        depth = walk.depth[at] = len(walk.depth)
        outer_low, walk.low = walk.low, depth
        mine = {module.key}
        calls = [
            (call, self._targets(module, call, walk.certain))
            for call in module.model.calls_in(key)
            if not (walk.every_path and call.conditional)
        ]
        chain = None
        for call, targets in calls:
            end = self._ends(walk, module, call, targets)
            if end is not None:
                chain = ([(module, key)], (module, call, end))
                break
        for call, targets in calls:
            for target in targets:
                if chain is not None:
                    break
                if target.startswith("builtins."):
                    continue
                local = module.resolver.local_function(target)
                callee = (module, local.key) if local is not None else self.function(target, str(path))
                rest = self._chain(*callee, walk, mine) if callee is not None else None
                if rest is not None:
                    chain = ([(module, key), *rest[0]], rest[1])
        del walk.depth[at]
        low, walk.low = walk.low, min(outer_low, walk.low)
        touched.update(mine)
        if chain is not None or low >= depth:
            self.chains[memo] = (chain, frozenset(mine))
        else:
            walk.explored[at] = (low, frozenset(mine))
        return chain


def _event_loop_runner(module: Module, call: CallSite, targets: list[str]) -> str | None:
    """The event loop a call starts, if it starts one (`run_until_complete`
    exists only on event loops: the method name is trusted on any receiver)."""
    if any(name.split(".")[0] == "nest_asyncio" for name in module.model.imported):
        return None
    found = next((target for target in targets if target in EVENT_LOOP_RUNNERS), None)
    if found is None and call.name == "run_until_complete":
        return "asyncio.AbstractEventLoop.run_until_complete"
    return found


def exports_digest(module: Module) -> str:
    """A digest of what other modules can learn from one: its whole model
    but the lines and columns, which move with every edit above them (the
    cache knows which results show them)."""
    data = module.model.to_json()
    for function in data["functions"].values():
        function["line"] = 0
    for call in data["calls"]:
        call[_LINE] = call[_COLUMN] = 0
    return sha256_hex(json.dumps(data, sort_keys=True).encode())[:32]


# How a call's value is used when every call of its function makes a new one:
# `with Client() as c`, `c = Client()`, `return Client()` (not `self.c = ...`).
_FRESH_USES = frozenset({"consumed", "stored", "returned", "awaited", "dropped"})

_CALL_FIELDS = [f.name for f in fields(CallSite)]
_LINE, _COLUMN = _CALL_FIELDS.index("line"), _CALL_FIELDS.index("column")


class ProjectCoroutines:
    """The context's view of other project modules' functions whose call gives a coroutine (for AL201)."""

    def __init__(self, project: Project, path: str, model: ModuleModel) -> None:
        self.project = project
        self.path = path
        self.model = model

    def get(self, qualname: str) -> str | None:
        if qualname.startswith(self.model.prefix + "."):
            return None  # this file's own functions are the context's business
        return self.project.coroutine_definition(qualname, self.path)
