"""A small model of the web app (or event handlers) defined in one file, for
the rules that care about requests: which functions are request handlers,
dependencies, middleware, lifespans and `on_event` handlers, which plain
`def` handlers the framework calls directly on the event loop, and which
functions run on every request (handlers, their dependencies, and the
same-file functions they call or schedule as background tasks,
transitively).

What registers a handler is each framework's entry
(`asynclint.knowledge.frameworks`): decorators and methods of its apps and
routers, wherever the app is built (at module level, in a factory
function, imported from another module of the project), route objects
(`Route("/", f)`), class-based views and middleware classes.

Built lazily, once per file, and only for files that import a framework.
"""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass, field
from pathlib import Path

from asynclint.knowledge.frameworks import (
    ASGI_PARAMETERS,
    FRAMEWORKS,
    Framework,
    framework_of_app,
)
from asynclint.lazy import cst
from asynclint.model.expr import from_cst
from asynclint.model.resolve import known, one
from asynclint.rule import walk

_FUNCTIONS = ("function", "async_function")


@dataclass
class AppModel:
    endpoints: dict[int, cst.FunctionDef] = field(default_factory=dict)
    handled_by: dict[int, Framework] = field(default_factory=dict)  # endpoint -> the framework that runs it
    dependencies: dict[int, cst.FunctionDef] = field(default_factory=dict)
    lifespans: dict[int, cst.FunctionDef] = field(default_factory=dict)
    event_handlers: list[tuple[cst.CSTNode, str, cst.FunctionDef | None]] = field(default_factory=list)
    # Function -> the endpoint (or dependency) through which a request reaches it.
    per_request: dict[int, cst.FunctionDef] = field(default_factory=dict)
    # Plain `def` handlers the framework calls on the event loop -> that framework.
    on_loop: dict[int, Framework] = field(default_factory=dict)

    def is_endpoint(self, function: cst.CSTNode | None) -> bool:
        return function is not None and id(function) in self.endpoints

    def framework(self, function: cst.CSTNode | None) -> Framework | None:
        """The framework that runs this endpoint."""
        return self.handled_by.get(id(function)) if function is not None else None

    def request_entry(self, function: cst.CSTNode | None) -> cst.FunctionDef | None:
        """The endpoint or dependency whose requests run `function`, if any."""
        if function is None or id(function) in self.lifespans:
            return None
        return self.per_request.get(id(function))

    def runs_on_loop(self, function: cst.CSTNode | None) -> Framework | None:
        """The framework that calls this plain `def` handler directly on the event loop, if one does."""
        return self.on_loop.get(id(function)) if function is not None else None


@dataclass
class _Piece:
    """What one top-level statement registered, as writes to the model to
    replay: (field, how: "set", "setdefault" or "append", function, value),
    each function of another statement by its scope key (its node may be new)."""

    node: cst.CSTNode
    frameworks: tuple[Framework, ...]
    views_before: dict[str, Framework]  # the view classes defined above it, which its classes may extend
    writes: list[tuple] = field(default_factory=list)
    defs: set[int] = field(default_factory=set)  # ids of its own defs
    # (what, a def of its own) -> the keys of the functions it calls ("calls") or depends on ("dependencies")
    found: dict[tuple[str, int], list[str]] = field(default_factory=dict)


class AppPieces:
    """Each top-level statement's piece of a document's web app model, kept
    from one version to the next (the language server's): a statement whose
    meaning did not change (`asynclint.incremental` walks it no more)
    registers the same functions, so its writes are replayed, not found again."""

    def __init__(self) -> None:
        self._pieces: dict[int, _Piece] = {}
        self.owners: dict[int, _Piece] = {}  # a def's id -> the piece of its statement, for the last model built

    def keep_only(self, nodes) -> None:
        """Forget every piece but those of these statements (the ones not walked again)."""
        self._pieces = {id(node): piece for node in nodes if (piece := self._pieces.get(id(node))) is not None and piece.node is node}

    def get(self, node: cst.CSTNode, frameworks: tuple, views: dict) -> _Piece | None:
        piece = self._pieces.get(id(node))
        if piece is None or piece.node is not node or piece.frameworks != frameworks or piece.views_before != views:
            return None
        return piece

    def keep(self, piece: _Piece) -> None:
        self._pieces[id(piece.node)] = piece


def frameworks_used(imported: set[str], resolver) -> list[Framework]:
    """The frameworks a module may register code with: those it imports, and
    those whose apps it imports from another module of its project (`from
    .server import sio`, then `@sio.event`)."""
    roots = {name.split(".")[0] for name in imported}
    found = [framework for framework in FRAMEWORKS if framework.modules & roots]
    for qualname in imported:
        if qualname.split(".")[0] in _FRAMEWORK_ROOTS or resolver.home(qualname) is None:
            continue
        typ, instance = resolver.follow(qualname)
        framework = framework_of_app(typ) if instance and typ is not None else None
        if framework is not None and framework not in found:
            found.append(framework)
    return found


_FRAMEWORK_ROOTS: frozenset[str] = frozenset().union(*(framework.modules for framework in FRAMEWORKS))


def build_app_model(ctx) -> AppModel:
    frameworks = frameworks_used(ctx.imported_modules, ctx.resolver)
    if not frameworks:
        return AppModel()
    builder = _Builder(ctx, frameworks)
    pieces = getattr(ctx, "app_pieces", None)
    if pieces is None:
        walk(ctx.module, builder)
    else:
        builder.statements(pieces)
    model = builder.model
    for framework in frameworks:
        for name in _routed_from_beside(ctx.path, framework):
            function = ctx.defs.get(name)
            if function is not None:
                builder._handler(function, framework)
        for name in _named_in_settings(ctx, framework):
            builder._settings_middleware(name, framework)
    _record_dependencies(ctx, model)
    _record_reach(ctx, model)
    return model


class _Builder:
    """One walk of the file: each decorator, call and class is asked whether
    it registers code that runs per request (or once), in the scope it is
    evaluated in."""

    def __init__(self, ctx, frameworks: list[Framework]) -> None:
        self.ctx = ctx
        self.model = AppModel()
        self.scopes: list[str] = [""]
        self.frameworks = frameworks
        self.views: dict[str, Framework] = {}  # keys of this file's view classes
        self.decorators = 0  # inside a decorator: evaluated in the scope around the def
        self.piece: _Piece | None = None  # the statement's piece being recorded

    def statements(self, pieces: AppPieces) -> None:
        """Walk the module statement by statement, replaying the pieces kept."""
        frameworks = tuple(self.frameworks)
        pieces.owners = {}
        for node in self.ctx.module.body:
            piece = pieces.get(node, frameworks, self.views)
            if piece is None or not self._replay(piece):
                piece = self.piece = _Piece(node, frameworks, dict(self.views))
                walk(node, self)
                self.piece = None
                pieces.keep(piece)
            pieces.owners.update(dict.fromkeys(piece.defs, piece))

    def _replay(self, piece: _Piece) -> bool:
        """Make a piece's writes (False, and none made, when a function it names is gone)."""
        defs, writes = self.ctx.defs, []
        for name, how, function, value in piece.writes:
            if type(function) is str:
                function = defs.get(function)
                if function is None:
                    return False
            writes.append((name, how, function, value))
        for write in writes:
            self._write(*write)
        return True

    def _write(self, name: str, how: str, function, value=None) -> None:
        """One write to the model: `name` its field (`views`: the builder's), its id the function's."""
        if self.piece is not None:
            key = self.ctx.def_keys.get(id(function)) if function is not None else None
            ref = key if key is not None and self.ctx.defs.get(key) is function else function
            self.piece.writes.append((name, how, ref, value))
        if name == "views":
            self.views[value[0]] = value[1]
        elif how == "append":
            self.model.event_handlers.append((value[0], value[1], function))
        elif how == "setdefault":
            getattr(self.model, name).setdefault(id(function), function if value is None else value)
        else:
            getattr(self.model, name)[id(function)] = function if value is None else value

    # ------------------------------------------------------------ walk
    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind is cst.FunctionDef:
            for decorator in node.decorators:
                self._decorator(node, decorator)
            if self.piece is not None:
                self.piece.defs.add(id(node))
            if _is_asgi_call(node) and any(framework.asgi for framework in self.frameworks):
                self._write("per_request", "set", node)
            self.scopes.append(self.ctx.def_keys.get(id(node), self.scopes[-1]))
        elif kind is cst.ClassDef:
            key = f"{self.scopes[-1]}.{node.name.value}" if self.scopes[-1] else node.name.value
            self._class(node, key)
            self.scopes.append(key)
        elif kind is cst.Decorator:
            self.decorators += 1
        elif kind is cst.Call:
            self._call(node)
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        kind = type(node)
        if kind is cst.FunctionDef or kind is cst.ClassDef:
            self.scopes.pop()
        elif kind is cst.Decorator:
            self.decorators -= 1

    @property
    def scope(self) -> str:
        """The scope the node being visited is evaluated in (a decorator's: the one around its def)."""
        return self.scopes[-2] if self.decorators and len(self.scopes) > 1 else self.scopes[-1]

    # ------------------------------------------------------------ names
    def _app(self, expr: cst.BaseExpression, scope: str | None = None) -> Framework | None:
        """The framework whose app, router or route table `expr` may be (`app`, or `app.router`)."""
        scope = self.scope if scope is None else scope
        for typ in known(self.ctx.resolver.value_type(scope, from_cst(expr))):
            framework = framework_of_app(typ)
            if framework is not None and framework in self.frameworks:
                return framework
        if isinstance(expr, cst.Attribute):
            framework = self._app(expr.value, scope)
            if framework is not None and expr.attr.value in framework.router_attributes:
                return framework
        return None

    def _qualname(self, expr: cst.BaseExpression, scope: str | None = None) -> str | None:
        return one(self.ctx.resolver.resolve(self.scope if scope is None else scope, from_cst(expr)))

    def _function(self, expr: cst.BaseExpression | None, scope: str | None = None) -> cst.FunctionDef | None:
        """The def of this file a handler argument names (`f`, `self.f`)."""
        scope = self.scope if scope is None else scope
        if isinstance(expr, cst.Name):
            binding = self.ctx.resolver.binding(scope, expr.value)
            if binding is not None and binding.kind in _FUNCTIONS and binding.function:
                return self.ctx.defs.get(binding.function)
        elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            owner = self.ctx.resolver.enclosing_class(scope)
            return self.ctx.defs.get(f"{owner}.{expr.attr.value}") if owner is not None else None
        return None

    def _sibling(self, expr: cst.BaseExpression, scope: str) -> cst.FunctionDef | None:
        """The def of this file that a bare name in the same scope names (a method beside it, in a class body)."""
        if not isinstance(expr, cst.Name):
            return None
        return self.ctx.defs.get(f"{scope}.{expr.value}" if scope else expr.value)

    def _class_methods(self, expr: cst.BaseExpression | None, names) -> list[cst.FunctionDef]:
        """Methods of this file's class `expr` names (`Middleware(Cls)`)."""
        if not isinstance(expr, cst.Name):
            return []
        binding = self.ctx.resolver.binding(self.scope, expr.value)
        if binding is None or binding.kind != "class" or not binding.target:
            return []
        return [self.ctx.defs[key] for name in names if (key := f"{binding.target}.{name}") in self.ctx.defs]

    # ------------------------------------------------------------ registration
    def _handler(self, function: cst.FunctionDef, framework: Framework, in_thread: bool | None = None) -> None:
        """A request handler; `in_thread`: what its registration says of a plain def (None: the framework's default)."""
        if function.name.value in framework.once_handlers:
            self._write("lifespans", "set", function)
            return
        self._write("endpoints", "set", function)
        self._write("handled_by", "setdefault", function, framework)
        if function.asynchronous is None and framework.sync_handlers == "loop" and not in_thread:
            self._write("on_loop", "set", function, framework)

    def _decorator(self, function: cst.FunctionDef, decorator: cst.Decorator) -> None:
        expr = decorator.decorator
        call = expr if isinstance(expr, cst.Call) else None
        target = call.func if call is not None else expr
        outer = self.scopes[-1]
        if isinstance(target, cst.Attribute):
            framework = self._app(target.value, outer)
            if framework is not None:
                self._app_decorator(function, decorator, call, target.attr.value, framework)
                return
            group = self._sibling(target.value, outer)  # `@lastfm.group()`, `lastfm` a command group
            framework = self.model.framework(group) if self.model.is_endpoint(group) else None
            if framework is not None and target.attr.value in framework.subcommand_decorators:
                self._handler(function, framework)
                return
        qualname = self._qualname(target, outer)
        for framework in self.frameworks:
            if qualname in framework.handler_decorators:
                self._handler(function, framework, _thread_keyword(call, framework))

    def _app_decorator(self, function, decorator, call, method: str, framework: Framework) -> None:
        if method in framework.route_decorators:
            self._handler(function, framework, _thread_keyword(call, framework))
            for arg in call.args if call is not None else ():
                if arg.keyword is not None and arg.keyword.value == "dependencies":
                    for dependency in _depends_in(self.ctx, arg.value, self.scopes[-1]):
                        self._write("dependencies", "setdefault", dependency)
        elif method in framework.per_request_decorators:
            self._write("per_request", "set", function)
            if function.asynchronous is None and framework.sync_handlers == "loop":
                self._write("on_loop", "set", function, framework)
        elif method in framework.event_decorators:
            event = _string(call.args[0].value) if call is not None and call.args else None
            self._write("event_handlers", "append", function, (decorator, event or ""))
        elif method in framework.startup_decorators:
            self._write("lifespans", "set", function)

    def _call(self, call: cst.Call) -> None:
        func = call.func
        if isinstance(func, cst.Attribute):
            framework = self._app(func.value)
            if framework is not None:
                self._app_call(call, func.attr.value, framework)
                return
            inner = func.value
            if isinstance(inner, cst.Attribute):
                framework = self._app(inner.value)  # `app.on_startup.append(f)`
                if (
                    framework is not None
                    and inner.attr.value in framework.startup_lists
                    and func.attr.value in framework.list_adders
                ):
                    for arg in call.args:
                        self._lifespan(arg.value)
                    return
        qualname = self._qualname(func)
        if qualname is None:
            return
        for framework in self.frameworks:
            position = framework.route_classes.get(qualname)
            if position is not None:
                handler = _argument(call, position, framework.handler_keywords)
                function = self._function(handler) if handler is not None else None
                if function is not None:
                    self._handler(function, framework)
                return
            if qualname in framework.middleware_wrappers:
                self._middleware_class(call.args[0].value if call.args else None, framework)
                return
            if qualname in framework.apps:
                self._app_arguments(call, framework)
                return

    def _app_call(self, call: cst.Call, method: str, framework: Framework) -> None:
        position = framework.route_adders.get(method)
        if position is not None:
            handler = _argument(call, position, framework.handler_keywords)
            function = self._function(handler) if handler is not None else None
            if function is not None:
                self._handler(function, framework)
        elif method in framework.event_adders and call.args:
            handler = self._function(call.args[1].value) if len(call.args) > 1 else None
            self._write("event_handlers", "append", handler, (call, _string(call.args[0].value) or ""))
        elif method in framework.middleware_adders and call.args:
            self._middleware_class(call.args[0].value, framework)

    def _app_arguments(self, call: cst.Call, framework: Framework) -> None:
        """`FastAPI(lifespan=f)`, `web.Application(middlewares=[m])`."""
        for arg in call.args:
            if arg.keyword is None:
                continue
            if arg.keyword.value in framework.lifespan_keywords:
                for element in _elements(arg.value):
                    self._lifespan(element)
            elif arg.keyword.value in framework.handler_lists:
                self._handlers_listed(arg.value, framework)
            elif arg.keyword.value in framework.middleware_keywords:
                for element in _elements(arg.value):
                    function = self._function(element)
                    if function is not None:
                        self._write("per_request", "set", function)

    def _handlers_listed(self, expr: cst.BaseExpression, framework: Framework, scope: str | None = None) -> None:
        """`functions=[job, other]`: this file's functions named in the list are handlers."""
        for element in _elements(expr):
            function = self._function(element, scope)
            if function is not None:
                self._handler(function, framework)

    def _settings(self, node: cst.ClassDef, framework: Framework) -> None:
        """A settings class (arq's `WorkerSettings`): `functions = [...]` lists handlers, `on_startup = f`
        names what runs once."""
        outer = self.scopes[-1]
        for target, value in _class_assignments(node):
            if target in framework.handler_lists:
                self._handlers_listed(value, framework, outer)
            elif target in framework.lifespan_keywords:
                function = self._function(value, outer)
                if function is not None:
                    self._write("lifespans", "set", function)

    def _lifespan(self, expr: cst.BaseExpression) -> None:
        function = self._function(expr)
        if function is not None:
            self._write("lifespans", "set", function)

    def _middleware_class(self, expr: cst.BaseExpression | None, framework: Framework) -> None:
        for method in self._class_methods(expr, framework.middleware_methods):
            self._write("per_request", "set", method)

    def _settings_middleware(self, name: str, framework: Framework) -> None:
        """A middleware class or factory of this file that the settings list."""
        methods = _methods(self.ctx, name, framework.middleware_methods)
        if not methods and name in self.ctx.defs:  # a factory: its inner functions handle each request
            methods = [function for key, function in self.ctx.defs.items() if key.startswith(name + ".")]
        for method in methods:
            self.model.per_request[id(method)] = method

    def _class(self, node: cst.ClassDef, key: str) -> None:
        """A class-based view, a middleware class or a settings class."""
        outer = self.scopes[-1]
        for framework in self.frameworks:
            if framework.settings_classes:
                self._settings(node, framework)
        for base in node.bases:
            if base.keyword is not None:
                continue
            qualname = self._qualname(base.value, outer)
            if qualname is None:
                continue
            local = qualname.removeprefix(self.ctx.local_prefix + ".")
            framework = self.views.get(local) if local != qualname else None
            for candidate in self.frameworks:
                if framework is None and qualname in candidate.views:
                    framework = candidate
                if qualname in candidate.middleware_bases:
                    for method in _methods(self.ctx, key, candidate.middleware_methods):
                        self._write("per_request", "set", method)
            if framework is not None:
                self._write("views", "set", None, (key, framework))
                for method in _view_methods(self.ctx, key, framework):
                    self._handler(method, framework)


def _routed_from_beside(path: str, framework: Framework) -> set[str]:
    """The names of a module's functions that a routing file beside it routes
    to (`path("polls/", views.index)` in the `urls.py` next to `views.py`)."""
    own = Path(path)
    names: set[str] = set()
    for routing in framework.routing_files:
        beside = own.with_name(routing)
        if own.name == routing or not beside.is_file():
            continue
        try:
            tree = ast.parse(beside.read_bytes())
        except (SyntaxError, ValueError, OSError):
            continue
        routers = {qualname.rpartition(".")[2]: position for qualname, position in framework.route_classes.items()}
        imported = {  # `from .views import index`
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").rpartition(".")[2] == own.stem
            for alias in node.names
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            position = routers.get(func.id if isinstance(func, ast.Name) else getattr(func, "attr", ""))
            if position is None or len(node.args) <= position:
                continue
            view = node.args[position]
            if isinstance(view, ast.Attribute) and isinstance(view.value, ast.Name) and view.value.id == own.stem:
                names.add(view.attr)
            elif isinstance(view, ast.Name) and view.id in imported:
                names.add(view.id)
    return names


def _named_in_settings(ctx, framework: Framework) -> set[str]:
    """The names of this module's classes and functions that a settings
    module of the project lists (`MIDDLEWARE = ["shop.middleware.Timing"]`)."""
    if not framework.settings_lists or not ctx.module_name:
        return set()
    root = ctx.project.root if ctx.project is not None else Path(ctx.path).resolve().parent
    module = ctx.module_name
    names = set()
    for path in _settings_paths(Path(root), framework.settings_files):
        for dotted in _listed(path, framework.settings_lists):
            owner, _, name = dotted.rpartition(".")
            if owner and (module == owner or module.endswith("." + owner) or owner.endswith("." + module)):
                names.add(name)
    return names


@functools.cache
def _settings_paths(root: Path, patterns: tuple[str, ...]) -> tuple[Path, ...]:
    return tuple(sorted({path for pattern in patterns for path in root.glob(pattern) if path.is_file()}))


def _listed(path: Path, lists: frozenset[str]) -> tuple[str, ...]:
    """The strings a settings file assigns (or adds) to one of these names."""
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _listed_in(path, stat.st_mtime_ns, stat.st_size, lists)


@functools.lru_cache(maxsize=256)
def _listed_in(path: Path, _mtime: int, _size: int, lists: frozenset[str]) -> tuple[str, ...]:
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return ()
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        if any(isinstance(target, ast.Name) and target.id in lists for target in targets) and node.value is not None:
            found += [
                element.value for element in ast.walk(node.value)
                if isinstance(element, ast.Constant) and isinstance(element.value, str)
            ]
    return tuple(found)


def _is_asgi_call(function: cst.FunctionDef) -> bool:
    """`async def __call__(self, scope, receive, send)`: an ASGI app or middleware, called per request."""
    names = tuple(param.name.value for param in function.params.params[1:])
    return function.asynchronous is not None and function.name.value == "__call__" and names == ASGI_PARAMETERS


def _methods(ctx, class_key: str, names) -> list[cst.FunctionDef]:
    return [ctx.defs[key] for name in names if (key := f"{class_key}.{name}") in ctx.defs]


def _view_methods(ctx, class_key: str, framework: Framework) -> list[cst.FunctionDef]:
    """A view class's handler methods: those the framework names, and those with its prefix (`on_message`)."""
    found = _methods(ctx, class_key, framework.view_methods)
    prefix = framework.view_method_prefix
    if prefix:
        start, named = f"{class_key}.{prefix}", {id(function) for function in found}
        found += [
            function for key, function in ctx.defs.items()
            if key.startswith(start) and "." not in key[len(start):] and id(function) not in named
        ]
    return found


def _class_assignments(node: cst.ClassDef):
    """`name = value` statements directly in a class body."""
    for statement in node.body.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
                    yield small.targets[0].target.value, small.value
                elif isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
                    yield small.target.value, small.value


def _argument(call: cst.Call, position: int, keywords) -> cst.BaseExpression | None:
    """The argument at a position, or given by one of these keywords."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if position < len(positional):
        return positional[position].value
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in keywords:
            return arg.value
    return None


def _elements(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """The elements of a literal list or tuple, or the expression itself."""
    if isinstance(expr, (cst.List, cst.Tuple)):
        return [element.value for element in expr.elements if not isinstance(element, cst.StarredElement)]
    return [expr]


def _thread_keyword(call: cst.Call | None, framework: Framework) -> bool | None:
    """What a registration's keyword says of where a plain def runs (`sync_to_thread=True`)."""
    if call is None or not framework.thread_keyword:
        return None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == framework.thread_keyword:
            value = arg.value
            return isinstance(value, cst.Name) and value.value == "True"
    return None


def _string(expr: cst.BaseExpression) -> str | None:
    return expr.evaluated_value if isinstance(expr, cst.SimpleString) else None


_DEPENDENCY_MARKERS: frozenset[str] = frozenset().union(*(f.dependency_markers for f in FRAMEWORKS))


def _depends_in(ctx, expr: cst.CSTNode, scope: str) -> list[cst.FunctionDef]:
    """Functions named in `Depends(f)` / `Security(f)` anywhere inside expr,
    which is evaluated in `scope` (with the file's final bindings: the answer
    must not depend on where the rules' walk was when the app model was asked for)."""
    found: list[cst.FunctionDef] = []
    for node in _calls_in(expr):
        if one(ctx.resolver.resolve(scope, from_cst(node.func))) in _DEPENDENCY_MARKERS and node.args:
            target = node.args[0].value
            if isinstance(target, cst.Name):
                binding = ctx.resolver.binding("", target.value)
                function = ctx.defs.get(binding.function) if binding is not None and binding.function else None
                if function is not None:
                    found.append(function)
    return found


def _alias_depends(ctx, annotation: cst.BaseExpression) -> list[cst.FunctionDef]:
    """`SessionDep` where `SessionDep = Annotated[Session, Depends(get_session)]`."""
    if isinstance(annotation, cst.Name):
        binding = ctx.resolver.binding("", annotation.value)
        if binding is not None and binding.kind == "alias":
            for stmt in ctx.module.body:
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        if (
                            isinstance(small, cst.Assign)
                            and len(small.targets) == 1
                            and isinstance(small.targets[0].target, cst.Name)
                            and small.targets[0].target.value == annotation.value
                        ):
                            return _depends_in(ctx, small.value, "")
    return []


def _record_dependencies(ctx, model: AppModel) -> None:
    pending = list(model.endpoints.values()) + list(model.dependencies.values())
    seen: set[int] = set()
    while pending:
        function = pending.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        for dependency in _remembered(ctx, function, "dependencies", _dependency_keys):
            if id(dependency) not in model.endpoints:
                model.dependencies.setdefault(id(dependency), dependency)
            pending.append(dependency)


def _dependency_keys(ctx, function: cst.FunctionDef) -> list[str]:
    """The scope keys of the functions a def's parameters depend on (`Depends(f)`, or an alias of one)."""
    outer = ctx.def_keys.get(id(function), "").rpartition(".")[0]
    found = _depends_in(ctx, function.params, outer)
    for param in function.params.params + function.params.kwonly_params:
        if param.annotation is not None:
            found.extend(_alias_depends(ctx, param.annotation.annotation))
    return [ctx.def_keys[id(dependency)] for dependency in found]


def _record_reach(ctx, model: AppModel) -> None:
    """Everything endpoints and dependencies call (or schedule) in this file."""
    roots = [*model.endpoints.values(), *model.dependencies.values(), *model.per_request.values()]
    for root in roots:
        model.per_request.setdefault(id(root), root)
        pending = [root]
        while pending:
            function = pending.pop()
            for callee in _called_functions(ctx, function):
                if id(callee) not in model.per_request and id(callee) not in model.lifespans:
                    model.per_request[id(callee)] = root
                    pending.append(callee)


def _called_functions(ctx, function: cst.FunctionDef) -> list[cst.FunctionDef]:
    """This file's functions that `function` calls, or passes to a call
    (`add_task(job, x)`, `run_in_threadpool(job)`), by their bare name or as
    `self.method` of its own class."""
    return _remembered(ctx, function, "calls", _called_keys)


def _remembered(ctx, function: cst.FunctionDef, what: str, find) -> list[cst.FunctionDef]:
    """The functions `find(ctx, function)` gives the scope keys of, found once
    while the piece of the model of `function`'s statement is kept (see `AppPieces`)."""
    pieces = getattr(ctx, "app_pieces", None)
    piece = pieces.owners.get(id(function)) if pieces is not None else None
    keys = piece.found.get((what, id(function))) if piece is not None else None
    if keys is None or not all(key in ctx.defs for key in keys):
        keys = find(ctx, function)
        if piece is not None:
            piece.found[(what, id(function))] = keys
    return [ctx.defs[key] for key in keys]


def _called_keys(ctx, function: cst.FunctionDef) -> list[str]:
    """The scope keys of the functions `function` calls (see `_called_functions`)."""
    found: list[str] = []
    key = ctx.def_keys.get(id(function))
    if key is None:
        return found
    resolver, defs = ctx.resolver, ctx.defs
    class_key = resolver.enclosing_class(key)
    for node in _calls_in(function.body):
        for expr in [node.func, *(arg.value for arg in node.args)]:
            if isinstance(expr, cst.Name):
                binding = resolver.binding(key, expr.value)
                if binding is not None and binding.kind in _FUNCTIONS and binding.function in defs:
                    found.append(binding.function)
            elif (
                class_key is not None
                and isinstance(expr, cst.Attribute)
                and isinstance(expr.value, cst.Name)
                and expr.value.value == "self"
                and f"{class_key}.{expr.attr.value}" in defs
            ):
                found.append(f"{class_key}.{expr.attr.value}")
    return found


class _Calls:
    """Collects the calls under a node, in libcst's order (for `walk`)."""

    def __init__(self) -> None:
        self.found: list[cst.Call] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) is cst.Call:
            self.found.append(node)
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        pass


def _calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """The calls in a subtree, found by the rules' own walk (libcst's `visit`
    rebuilds every node on the way back up) and remembered for the node: an
    editor checks a file again and again, and its unchanged statements keep
    their nodes (`asynclint.reparse`)."""
    known = _CALLS.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    calls = _Calls()
    walk(node, calls)
    if len(_CALLS) >= _CALLS_KEPT:
        _CALLS.clear()
    _CALLS[id(node)] = (node, calls.found)  # the node is kept too: its id stays its own
    return calls.found


_CALLS: dict[int, tuple[cst.CSTNode, list[cst.Call]]] = {}
_CALLS_KEPT = 4096
