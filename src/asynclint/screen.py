"""The first look: which rules could fire on a file, from its model alone.

libcst's parse is the largest cost of a check, and most files of a project
hold no finding. The module's model (`asynclint.model`, from Python's own
parser, about ten times cheaper) is built first; each rule's `screen`
answers from it whether the rule could fire, and a file no rule could fire
on is never given to libcst.

A screen asks the same resolver the rule then asks, and takes every
meaning the resolver allows where the rule takes only a certain one: it
may say yes when the rule finds nothing, never the reverse. Other modules
are looked at the same way, for the rules that follow calls across the
project (`ProjectFacts`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.cache import file_state
from asynclint.knowledge.web import APP_CLASSES
from asynclint.model.build import build_model
from asynclint.model.facts import CallSite, ModuleModel
from asynclint.model.resolve import Resolver, known

Wanted = Collection[str] | Callable[[str], bool]


def _test(wanted: Wanted) -> Callable[[str], bool]:
    return wanted if callable(wanted) else wanted.__contains__


class FirstLook:
    """What a screen reads: a module's model and what its calls may call."""

    def __init__(self, model: ModuleModel, resolver: Resolver | None = None) -> None:
        self.model = model
        self.resolver = resolver or Resolver(model)
        self.calls = model.calls
        self.has_async = model.has_async
        self.gathers_in_loop = model.gathers_in_loop
        self.idle_async_work = model.idle_async_work
        self._targeted: list[tuple[CallSite, frozenset[str]]] | None = None

    def targets(self, call: CallSite) -> frozenset[str]:
        """What a call may call."""
        return known(self.resolver.call_targets(call))

    def may_call(self, wanted: Wanted, where: Callable[[CallSite], bool]) -> bool:
        """Whether a call the filter accepts may call one of `wanted`."""
        if self._targeted is None:  # every screen asks: resolve each call once
            self._targeted = [(call, found) for call in self.calls if (found := self.targets(call))]
        test = _test(wanted)
        return any(where(call) and any(map(test, found)) for call, found in self._targeted)

    def calls_on_app(self, methods: frozenset[str]) -> bool:
        """Whether the file calls one of these methods on a web app or router
        its module builds (`app.get(...)` with `app = FastAPI()` at module
        level): how endpoints, event handlers and middleware are registered."""
        return any(
            call.name in methods
            and call.func[0] == "attr"
            and call.func[1][0] == "name"
            and not known(self.resolver.resolve("", call.func[1])).isdisjoint(APP_CLASSES)
            for call in self.calls
            if call.func is not None
        )

    def may_be_own_coroutine(self, call: CallSite) -> bool:
        """Whether a call may be of an `async def` of this file whose call gives a coroutine."""
        resolver, functions = self.resolver, self.model.functions
        if call.func is not None and call.func[0] == "name":
            for binding in resolver.bindings(call.scope, call.func[1]):
                if binding.kind == "async_function" and resolver.returns_coroutine(functions[binding.function]):
                    return True
        for target in self.targets(call):
            local = resolver.local_function(target)
            if local is not None and resolver.returns_coroutine(local):
                return True
        return False

    @property
    def has_async_defs(self) -> bool:
        return any(function.is_async for function in self.model.functions.values())

    @property
    def idle_guards(self) -> set[str]:
        """What the `async with` blocks that never suspend may call."""
        return set().union(*(known(self.resolver.callee(scope, ("call", expr))) for scope, expr in self.model.idle_guards if expr))

    @property
    def handlers_in_async(self) -> list[set[str] | None]:
        """What each `except` of async code that may end without raising may
        catch; None when it catches everything or the model cannot tell."""
        out: list[set[str] | None] = []
        for handler in self.model.handlers_in_async:
            if handler is None:
                out.append(None)
                continue
            scope, caught = handler
            answers = [self.resolver.resolve(scope, expr) for expr in caught]
            out.append(None if any(None in a for a in answers) else set().union(*answers))
        return out


def blocking_test(codes: frozenset[str], settings, known_codes: dict[str, str | None] | None = None) -> Callable[[str], bool]:
    """Whether a qualified name is a blocking call the tables (or the user's
    `extend-blocking-calls`) report under one of these codes; `known_codes`
    keeps the tables' answers (qualified name -> code) between tests."""
    from asynclint.knowledge import blocking

    extras = settings.blocking_extras() if settings is not None else None
    found = {} if known_codes is None else known_codes

    def test(qualname: str) -> bool:
        if qualname not in found:
            entry = blocking.lookup(qualname, extras)
            found[qualname] = entry.code if entry is not None else None
        return found[qualname] in codes

    return test


class ProjectFacts:
    """The first look's view of other project modules: their models, read
    on demand (module files are found by the project index, which parses
    nothing for that)."""

    def __init__(self, index, blocks: Callable[[str], bool]) -> None:
        self.index = index
        self.blocks = blocks  # what counts as blocking for AL109's chains
        self.modules: dict[tuple[str, str], tuple[ModuleModel, Resolver] | None] = {}  # (absolute path, module name) ->
        self.states: dict[tuple[str, str], list[int] | None] = {}  # ... and its file's state when read
        # (module file, function) -> (may it block, the module files that answer rests on)
        self.blocking: dict[tuple[Path, str], tuple[bool, frozenset[Path]]] = {}
        # Module files the current file's first look read (for the cache): path -> module name
        self.consulted: dict[str, str] = {}
        self.module_names: dict[Path, str] = {}

    def _model(self, path: Path, module: str) -> tuple[ModuleModel, Resolver] | None:
        key = (os.path.abspath(path), module)
        if key not in self.modules:
            state = self.states[key] = file_state(str(path))
            store = self.index.store  # models of unchanged modules are read, not parsed again
            model = store.load_model(str(path), module) if store is not None else None
            if model is None:
                try:
                    source = path.read_bytes()
                except OSError:
                    source = None
                model = build_model(source, module, path.name == "__init__.py") if source is not None else None
                if model is not None and store is not None:
                    store.save_model(str(path), module, model, state)
            self.modules[key] = (model, Resolver(model)) if model is not None else None
        return self.modules[key]

    def remember(self, path: str, model: ModuleModel, resolver: Resolver, state: list[int] | None = None) -> None:
        """The model of a file the run has looked at (no second parse when
        another file asks); `state` is its file's when it was read from disk."""
        key = (os.path.abspath(path), model.module)
        self.modules[key] = (model, resolver)
        self.states[key] = state

    def function(self, qualname: str, near: str) -> tuple[Path, ModuleModel, Resolver, str] | None:
        """The module file, its model and resolver, and the key of a project function."""
        parts = qualname.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:split])
            path = self.index.module_file(module, near)
            if path is not None:
                self.consulted[os.path.abspath(path)] = module
                self.module_names[path] = module
                found = self._model(path, module)
                if found is None:
                    return None
                model, resolver = found
                function = resolver.local_function(qualname)
                return (path, model, resolver, function.key) if function is not None else None
        return None

    def is_coroutine(self, qualname: str, near: str) -> bool:
        found = self.function(qualname, near)
        if found is not None and self._is_own(found[0], near):
            return True  # the file being checked may differ from the disk (an editor's buffer)
        return found is not None and found[2].returns_coroutine(found[1].functions[found[3]])

    def reaches_blocking(self, qualname: str, near: str, here: tuple[ModuleModel, Resolver] | None = None) -> bool:
        """Whether a project function may reach a blocking call; `here` is the
        model of the file being checked (it may be newer than the disk)."""
        if here is not None and here[1].local_function(qualname) is not None:
            found = (Path(near), *here, here[1].local_function(qualname).key)
        else:
            found = self.function(qualname, near)
            if found is None:
                return False
            if self._is_own(found[0], near):
                return True  # see is_coroutine
        touched: set[Path] = set()
        result = self._reaches(*found, _Walk(), touched)
        touched.discard(Path(near))
        self.consulted.update({os.path.abspath(p): self.module_names[p] for p in touched if p in self.module_names})
        return result

    @staticmethod
    def _is_own(path: Path, near: str) -> bool:
        return os.path.abspath(path) == os.path.abspath(near)

    def digest(self, path: str, module: str) -> str | None:
        """The digest of a module's model as the file reads now."""
        key = (os.path.abspath(path), module)
        state = self.states.get(key)
        if state is None or state != file_state(path):
            self.modules.pop(key, None)  # read it again
        found = self._model(Path(path), module)
        return "ast:" + found[0].digest() if found is not None else None

    def _reaches(self, path: Path, model: ModuleModel, resolver: Resolver, key: str, walk: _Walk, touched: set) -> bool:
        """Whether a sync function may reach a blocking call: directly, or
        through a project function it may call. A depth-first search over
        one question (`walk`), each function explored once in it: a yes is
        remembered for good, and so is a no that rests on no function still
        being explored (Tarjan's low links tell which)."""
        memo = (path, key)
        touched.add(path)
        if memo in self.blocking:
            found, paths = self.blocking[memo]
            touched.update(paths)
            return found
        if model.functions[key].is_async:
            return False
        if memo in walk.depth:  # on the path being explored: a cycle
            walk.low = min(walk.low, walk.depth[memo])
            return False
        if memo in walk.explored:  # no by the time it was explored, resting on the same cycles
            low, paths = walk.explored[memo]
            walk.low = min(walk.low, low)
            touched.update(paths)
            return False
        depth = walk.depth[memo] = len(walk.depth)
        outer_low, walk.low = walk.low, depth
        mine: set[Path] = {path}
        targets = {t for call in model.calls_in(key) if not call.awaited for t in known(resolver.call_targets(call))}
        found = any(map(self.blocks, targets))
        for target in targets:
            if found:
                break
            if target.startswith("builtins."):
                continue
            local = resolver.local_function(target)
            other = (path, model, resolver, local.key) if local is not None else self.function(target, str(path))
            found = other is not None and self._reaches(*other, walk, mine)
        del walk.depth[memo]
        low, walk.low = walk.low, min(outer_low, walk.low)
        touched.update(mine)
        if found or low >= depth:
            self.blocking[memo] = (found, frozenset(mine))
        else:
            walk.explored[memo] = (low, frozenset(mine))
        return found


@dataclass
class _Walk:
    """One question's depth-first search (see `ProjectFacts._reaches`)."""

    depth: dict[tuple[Path, str], int] = field(default_factory=dict)  # the functions being explored, by depth
    # functions found not to block while a function they rest on was still being explored:
    # the shallowest depth they rest on, and the module files their answer read
    explored: dict[tuple[Path, str], tuple[int, frozenset[Path]]] = field(default_factory=dict)
    low: int = 0  # the shallowest depth the current exploration leaned on


class Lookups:
    """What screens may ask beyond the file: the project's functions (through
    the run's project index) and the user's own blocking calls."""

    def __init__(self, project: ProjectFacts | None, path: str, look: FirstLook, settings) -> None:
        self.project = project
        self.path = path
        self.here = (look.model, look.resolver)
        self.own_prefix = look.model.prefix + "."
        self.settings = settings
        self.blocking_codes: dict[str, str | None] = {}  # what the tables say of a name, asked once
        # Asking another module may mean parsing it. While `assume` is set,
        # such questions are answered yes without asking, and `assumed`
        # records that an answer rests on that.
        self.assume = False
        self.assumed = False

    def blocking(self, codes: frozenset[str]) -> Callable[[str], bool]:
        return blocking_test(codes, self.settings, self.blocking_codes)

    def _ask(self, question: Callable[[], bool]) -> bool:
        """The answer to a question about the project's modules, or yes while `assume` is set."""
        if self.assume:
            self.assumed = True
            return True
        return question()

    def reaches_blocking(self, qualname: str) -> bool:
        """Whether a sync project function (of this file or another) may reach a blocking call."""
        if self.project is None or qualname.startswith("builtins."):
            return False
        return self._ask(lambda: self.project.reaches_blocking(qualname, self.path, self.here))

    def is_project_coroutine(self, qualname: str) -> bool:
        """Whether another project module's function may be an `async def`."""
        if self.project is None or qualname.startswith(("builtins.", self.own_prefix)):
            return False
        return self._ask(lambda: self.project.is_coroutine(qualname, self.path))
