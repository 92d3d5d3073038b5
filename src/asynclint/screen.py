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
        self._targeted: list[tuple[CallSite, frozenset[str]]] | None = None

    def targets(self, call: CallSite) -> frozenset[str]:
        """What a call may call."""
        return known(self.resolver.call_targets(call))

    def getters(self) -> frozenset[str]:
        """The project property getters the file's attribute reads in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.getters(scope, expr)) for expr, scope in self.model.reads))

    def entered(self) -> frozenset[str]:
        """The project `__enter__` methods the file's plain `with`s in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.enters(scope, expr)) for expr, scope in self.model.enters))

    def setters(self) -> frozenset[str]:
        """The project property setters the file's attribute assignments in async code may run."""
        resolver = self.resolver
        return frozenset().union(*(known(resolver.setters(scope, expr)) for expr, scope in self.model.writes))

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
        return self._ask(lambda: self.project.coroutine_location(qualname, self.path) is not None)
