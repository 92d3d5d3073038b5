"""The first look: which rules could fire on a file, from its model alone.

libcst's parse is the largest cost of a check, and most files of a project
hold no finding. The module's model (`asynclint.model`, from Python's own
parser, about ten times cheaper) is built first; each rule's `screen`
answers from it whether the rule could fire, and a file no rule could fire
on is never given to libcst.

A screen asks the same resolver the rule then asks, and takes every
meaning the resolver allows where the rule takes only a certain one: it
may say yes when the rule finds nothing, never the reverse. Questions
about other modules go to the project (`asynclint.project`), asked for
what may be rather than what is certain.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

from asynclint.analysis.blocking import blocking_test
from asynclint.app_model import frameworks_used
from asynclint.knowledge.coroutines import COROUTINE_FUNCTIONS
from asynclint.knowledge.frameworks import FRAMEWORKS, Framework
from asynclint.knowledge.types import DEPENDENCY_MARKERS
from asynclint.knowledge.web import APP_CLASSES
from asynclint.model.facts import CallSite, ModuleModel
from asynclint.model.resolve import Resolver, known

if TYPE_CHECKING:
    from asynclint.project import Project
    from asynclint.rule import CallPattern

Wanted = Collection[str] | Callable[[str], bool]


def _test(wanted: Wanted) -> Callable[[str], bool]:
    return wanted if callable(wanted) else wanted.__contains__


class FirstLook:
    """What a screen reads: a module's model and what its calls may call."""

    def __init__(self, model: ModuleModel, resolver: Resolver | None = None) -> None:
        self.model = model
        self.resolver = resolver or Resolver(model)
        self.calls = model.calls
        self._targets: dict[int, frozenset[str]] = {}  # id of a call -> what it may call, asked once
        self._uses: dict[int, tuple[dict, dict, set]] = {}  # id of a def -> `_stores_and_reads`
        self._loop_scopes: frozenset[str] | None = None
        self._frameworks: list[Framework] | None = None

    def targets(self, call: CallSite) -> frozenset[str]:
        """What a call may call."""
        found = self._targets.get(id(call))
        if found is None:
            found = self._targets[id(call)] = known(self.resolver.call_targets(call))
        return found

    def dependencies(self) -> frozenset[str]:
        """What the providers of the file's dependency markers (`Depends(get_db)`)
        may be. A marker whose provider the model cannot follow (`Depends()`, a
        lambda, a local def) is left out: the rule cannot follow it either."""
        found: set[str] = set()
        for call in self.calls:
            if call.name in DEPENDENCY_MARKERS and call.provider is not None:
                found |= known(self.resolver.resolve(call.scope, call.provider))
        return frozenset(found)

    def getters(self) -> frozenset[str]:
        """The project property getters the file's attribute reads in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.getters(scope, expr)) for expr, scope in self.model.reads))

    def entered(self) -> frozenset[str]:
        """The project `__enter__` methods the file's plain `with`s in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.enters(scope, expr)) for expr, scope in self.model.enters))

    def entered_types(self) -> frozenset[str]:
        """The types of what the file's plain `with`s in async code may enter."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.value_type(scope, expr)) for expr, scope in self.model.enters))

    def setters(self) -> frozenset[str]:
        """The project property setters the file's attribute assignments in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.setters(scope, expr)) for expr, scope in self.model.writes))

    def may_call(self, wanted: Wanted, where: Callable[[CallSite], bool]) -> bool:
        """Whether a call the filter accepts may call one of `wanted`."""
        test, targets = _test(wanted), self.targets  # (a call is resolved only once a filter accepts it)
        return any(where(call) and any(map(test, targets(call))) for call in self.calls)

    def may_match(self, wanted: Wanted, pattern: CallPattern) -> bool:
        """Whether a call may match a rule's call pattern: made where the pattern
        says, or directly in a plain def a framework may call on the event loop."""
        if self.may_call(wanted, pattern.where):
            return True
        on_loop = pattern.on_loop
        if on_loop is None or not self.loop_scopes():
            return False
        scopes = self.loop_scopes()
        return self.may_call(wanted, lambda call: call.scope in scopes and on_loop(call))

    def loop_scopes(self) -> frozenset[str]:
        """The keys of the file's plain defs that a framework may call directly
        on the event loop: handlers and middleware of a framework that runs
        plain defs there (see `asynclint.knowledge.frameworks`). When the file
        gives handlers to a call (`app.add_route(f, "/")`), any plain def may be one."""
        if self._loop_scopes is None:
            self._loop_scopes = self._find_loop_scopes()
        return self._loop_scopes

    def frameworks(self) -> list[Framework]:
        """The frameworks the module may register code with (see `asynclint.app_model.frameworks_used`)."""
        if self._frameworks is None:
            self._frameworks = frameworks_used(self.model.imported, self.resolver)
        return self._frameworks

    def _find_loop_scopes(self) -> frozenset[str]:
        frameworks = [f for f in self.frameworks() if f.sync_handlers == "loop"]
        if not frameworks:
            return frozenset()
        plain = {key: f for key, f in self.model.functions.items() if not f.is_async and "<lambda>" not in key}
        adders = {name for framework in frameworks for name in framework.route_adders}
        routes = {name for framework in frameworks for name in framework.route_classes}
        if any(call.name in adders or not self.targets(call).isdisjoint(routes) for call in self.calls):
            return frozenset(plain)
        resolver = self.resolver
        found = set()
        for key, function in plain.items():
            outer = key.rpartition(".")[0]
            for framework in frameworks:
                methods = framework.route_decorators | framework.per_request_decorators
                for decorator in function.decorators:
                    target = decorator[1] if decorator is not None and decorator[0] == "call" else decorator
                    if target is None:
                        continue
                    if target[0] == "attr" and target[2] in methods and self.may_be(outer, target[1], framework.apps) or not known(resolver.resolve(outer, target)).isdisjoint(framework.handler_decorators):
                        found.add(key)
                cls = self.model.classes.get(outer)
                name = key.rpartition(".")[2]
                prefix = framework.view_method_prefix
                if cls is not None and (name in framework.view_methods or prefix and name.startswith(prefix)):
                    scope = outer.rpartition(".")[0]
                    if any(self.may_be(scope, base, framework.views) for base in cls.bases if base is not None):
                        found.add(key)
        return frozenset(found)

    def may_register_async_tasks(self) -> bool:
        """Whether an `async def` of the file may be registered as a task with a
        framework that never awaits its tasks (`@app.task` with Celery)."""
        # (the app is often imported from the project's own module, `from .celery import app`: not the framework)
        frameworks = [f for f in FRAMEWORKS if f.task_decorators or f.task_functions]
        for key, function in self.model.functions.items():
            if not function.is_async:
                continue
            outer = key.rpartition(".")[0]
            for decorator in function.decorators:
                target = decorator[1] if decorator is not None and decorator[0] == "call" else decorator
                if target is None:
                    continue
                for framework in frameworks:
                    on_app = target[0] == "attr" and target[2] in framework.task_decorators
                    if on_app and self.may_be(outer, target[1], framework.apps):
                        return True
                    if self.may_be(outer, target, framework.task_functions):
                        return True
        return False

    def calls_on_app(self, methods: frozenset[str]) -> bool:
        """Whether the file calls one of these methods on a web app or router
        (`app.get(...)` with `app = FastAPI()` in the scope of the call, the
        module's or a factory function's): how endpoints, event handlers and
        middleware are registered."""
        return any(
            call.name in methods
            and call.func[0] == "attr"
            and not known(self.resolver.resolve(call.scope, call.func[1])).isdisjoint(APP_CLASSES)
            for call in self.calls
            if call.func is not None
        )

    def may_register_handlers(self, per_request: bool) -> bool:
        """Whether the file may register a request handler with a framework
        (see `asynclint.knowledge.frameworks`), or with `per_request` any
        code that runs on every request (middleware too): a registering
        method called or used as a decorator on one of its apps, a route
        object or handler decorator, a class-based view or middleware class."""
        frameworks = self.frameworks()
        if any(framework.routing_files or framework.settings_classes for framework in frameworks):
            return True  # a routing file beside it may name its functions (Django's `urls.py`), or a settings class
        return bool(frameworks) and (
            self._registers_on_apps(frameworks, per_request)
            or self._builds_routes(frameworks, per_request)
            or self._subclasses(frameworks, per_request)
        )

    def _registers_on_apps(self, frameworks: list[Framework], per_request: bool) -> bool:
        def methods(framework: Framework) -> frozenset[str]:
            found = framework.route_decorators | frozenset(framework.route_adders)
            return found | framework.per_request_decorators | framework.middleware_adders if per_request else found

        def on_app(scope: str, func, framework: Framework) -> bool:
            if func is None or func[0] != "attr" or func[2] not in methods(framework):
                return False
            receiver = func[1]
            if receiver[0] == "attr" and receiver[2] in framework.router_attributes:
                receiver = receiver[1]  # `app.router.add_get`
            return not known(self.resolver.resolve(scope, receiver)).isdisjoint(framework.apps)

        registrations = [(call.scope, call.func) for call in self.calls]
        for key, function in self.model.functions.items():  # bare decorators: `@sio.event`
            registrations += [(key.rpartition(".")[0], decorator) for decorator in function.decorators]
        return any(on_app(scope, func, framework) for scope, func in registrations for framework in frameworks)

    def _builds_routes(self, frameworks: list[Framework], per_request: bool) -> bool:
        """Route objects, handler decorators, middleware wrappers, apps given middleware."""
        wanted: set[str] = set()
        for framework in frameworks:
            wanted |= set(framework.route_classes) | framework.handler_decorators
            if per_request:
                wanted |= framework.middleware_wrappers | (framework.apps if framework.middleware_keywords else set())
        return any(not self.targets(call).isdisjoint(wanted) for call in self.calls)

    def _subclasses(self, frameworks: list[Framework], per_request: bool) -> bool:
        """A class-based view or middleware class (or a class of this file, which may derive from one),
        or an ASGI app's `__call__`."""
        functions = self.model.functions
        if per_request and any(framework.asgi for framework in frameworks) and any(
            key.rpartition(".")[2] == "__call__" and function.is_async for key, function in functions.items()
        ):
            return True
        wanted: set[str] = set()
        for framework in frameworks:
            wanted |= framework.views | (framework.middleware_bases if per_request else frozenset())
        own = self.model.prefix + "."
        for key, cls in self.model.classes.items():
            outer = key.rpartition(".")[0]
            for base in cls.bases:
                found = known(self.resolver.resolve(outer, base))
                if not found.isdisjoint(wanted) or any(name.startswith(own) for name in found):
                    return True
        return False

    def may_be_own_coroutine(self, call: CallSite) -> bool:
        """Whether a call may be of a def of this file whose call gives a coroutine."""
        resolver, functions = self.resolver, self.model.functions
        if call.func is not None and call.func[0] == "name":
            for binding in resolver.bindings(call.scope, call.func[1]):
                if binding.function is not None and resolver.returns_coroutine(functions[binding.function]):
                    return True
        for target in self.targets(call):
            local = resolver.local_function(target)
            if local is not None and resolver.returns_coroutine(local):
                return True
        return False

    def may_give_coroutine(self, scope: str, func, lookups: Lookups | None, called: bool = True) -> bool:
        """Whether calling `func` (`called`: what calling it calls), an
        expression of the model's shapes, may give a coroutine: a def of this
        file whose call gives one (a local def too), or, unless `lookups` is
        None, a library's coroutine function or another project module's `async def`."""
        if func is None:
            return False
        resolver = self.resolver
        if func[0] == "name" and any(
            resolver.returns_coroutine(self.model.functions[binding.function])
            for binding in resolver.bindings(scope, func[1])
            if binding.function in self.model.functions
        ):
            return True
        found = resolver.callee(scope, ("call", func)) if called else resolver.resolve(scope, func)
        for target in known(found):
            local = resolver.local_function(target)
            if local is not None:
                if resolver.returns_coroutine(local):
                    return True
            elif lookups is not None and (target in COROUTINE_FUNCTIONS or lookups.is_project_coroutine(target)):
                return True
        return False

    def first_use_of_stored(self, call: CallSite) -> tuple[str | None, str]:
        """The local name a call's value is stored in (`task = create_task(...)`),
        and what first becomes of it in source order after the call, as a rule
        following the name finds out: "unused" (no later read of the name in its
        def), "returned" (`return task` reads it first) or "used". It needs the
        defs among the first look's nodes."""
        function = self.innermost_def(call.line)
        uses = self._stores_and_reads(function) if function is not None else None
        name = uses[0].get((call.line, call.column)) if uses is not None else None
        if name is None:
            return None, "unused"
        after = [at for at in uses[1].get(name, ()) if at > (call.line, call.column)]
        if not after:
            return name, "unused"
        return name, "returned" if min(after) in uses[2] else "used"

    def innermost_def(self, line: int) -> ast.AST | None:
        """The innermost def whose lines hold `line` (the defs must be among the first look's nodes)."""
        defs = [node for kind in (ast.FunctionDef, ast.AsyncFunctionDef) for node, _, _ in self.nodes_of(kind)]
        holding = [node for node in defs if node.lineno <= line <= node.end_lineno]
        return max(holding, key=lambda node: node.lineno, default=None)

    def _stores_and_reads(self, function: ast.AST) -> tuple[dict, dict, set]:
        """A def's calls stored in a name (position -> name), the positions
        where it reads each name, and those of the names it returns."""
        found = self._uses.get(id(function))
        if found is None:
            stores, reads, returned = {}, {}, set()
            for node in ast.walk(function):
                kind = type(node)
                if kind is ast.Name and type(node.ctx) is ast.Load:
                    reads.setdefault(node.id, []).append((node.lineno, node.col_offset))
                elif kind in (ast.Assign, ast.AnnAssign) and type(node.value) is ast.Call:
                    target = node.targets[0] if kind is ast.Assign else node.target
                    if type(target) is ast.Name:
                        stores[(node.value.lineno, node.value.col_offset)] = target.id
                elif kind is ast.Return and type(node.value) is ast.Name:
                    returned.add((node.value.lineno, node.value.col_offset))
            found = self._uses[id(function)] = (stores, reads, returned)
        return found

    @property
    def has_async_defs(self) -> bool:
        return any(function.is_async for function in self.model.functions.values())

    def nodes_of(self, kind: type) -> list[tuple[ast.AST, str, bool]]:
        """The module's syntax nodes of a kind a rule's first look asked for
        (`Rule.first_look_nodes`): (node, its scope's key, in an `async def`)."""
        return self.model.nodes.get(kind, [])

    def may_be(self, scope: str, expr, wanted: Collection[str]) -> bool:
        """Whether an expression (of the model's shapes) may stand for one of `wanted`."""
        return not known(self.resolver.resolve(scope, expr)).isdisjoint(wanted)

    def may_call_one_of(self, scope: str, func, wanted: Collection[str]) -> bool:
        """Whether calling `func` (an expression of the model's shapes) may call one of `wanted`."""
        return func is not None and not known(self.resolver.callee(scope, ("call", func))).isdisjoint(wanted)


NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def suspends(node: ast.AST) -> bool:
    """An `await`, `async for`, `async with` or async comprehension: where a coroutine may suspend."""
    return isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith)) or (isinstance(node, ast.comprehension) and node.is_async)


def own_nodes(body: list[ast.stmt]):
    """The nodes of a block, nested defs, lambdas and classes left out (they run elsewhere)."""
    pending = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, NESTED_SCOPES):
            continue
        yield node
        pending.extend(ast.iter_child_nodes(node))


class Lookups:
    """What screens may ask beyond the file: the project's functions (through
    the run's project index) and the user's own blocking calls."""

    def __init__(self, project: Project | None, path: str, look: FirstLook, settings) -> None:
        self.project = project
        self.path = path
        self.own_prefix = look.model.prefix + "."
        self.settings = settings
        self.blocking_codes: dict[str, str | None] = {}  # what the tables say of a name, asked once
        self._callees: dict[int, Callable[[str], bool]] = {}  # id of a rule's pattern -> its test
        # Asking another module may mean parsing it. While `assume` is set,
        # such questions are answered yes without asking, and `assumed`
        # records that an answer rests on that.
        self.assume = False
        self.assumed = False

    def blocking(self, codes: frozenset[str]) -> Callable[[str], bool]:
        return blocking_test(codes, self.settings, self.blocking_codes)

    def callees(self, pattern: CallPattern) -> Callable[[str], bool]:
        """The test of a call pattern's callees, built once per file."""
        found = self._callees.get(id(pattern))
        if found is None:
            found = self._callees[id(pattern)] = pattern.test(self.settings, self.blocking_codes)
        return found

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
        return self._ask(lambda: self.project.reaches_blocking(qualname, self.path, certain=False))

    def starts_event_loop(self, qualname: str) -> bool:
        """Whether a sync project function (of this file or another) may start an event loop on every call."""
        if self.project is None or qualname.startswith("builtins."):
            return False
        return self._ask(lambda: self.project.event_loop_chain(qualname, self.path, certain=False) is not None)

    def returns_thread_work(self, qualname: str, runners: Collection[str]) -> bool:
        """Whether a project function (of this file or another) returns the awaitable of one of `runners`."""
        if self.project is None or qualname.startswith("builtins."):
            return False
        return self._ask(lambda: self.project.thread_work(qualname, self.path, runners) is not None)

    def reads_context(self, qualname: str, reads: Collection[str], writes: Collection[str]) -> bool:
        """Whether a sync project function (of this file or another) reads a context variable it does not set."""
        if self.project is None or qualname.startswith("builtins."):
            return False
        return self._ask(lambda: self.project.context_read(qualname, self.path, reads, writes) is not None)

    def builds_client(self, qualname: str) -> bool:
        """Whether another project module's function may build a new HTTP client on every call."""
        if self.project is None or qualname.startswith(("builtins.", self.own_prefix)):
            return False
        return self._ask(lambda: self.project.client_chain(qualname, self.path, certain=False) is not None)

    def is_client_factory(self, qualname: str) -> bool:
        """Whether a project function may return a new HTTP client on every call."""
        if self.project is None or qualname.startswith("builtins."):
            return False
        return self._ask(lambda: self.project.new_client(qualname, self.path) is not None)

    def is_project_coroutine(self, qualname: str) -> bool:
        """Whether another project module's function may be an `async def`."""
        if self.project is None or qualname.startswith(("builtins.", self.own_prefix)):
            return False
        return self._ask(lambda: self.project.coroutine_definition(qualname, self.path) is not None)
