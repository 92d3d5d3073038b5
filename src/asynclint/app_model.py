"""A small model of the web app defined in one file, for the rules that
care about requests: which names are FastAPI/Starlette apps and routers,
which functions are endpoints, dependencies, middleware, lifespans and
`on_event` handlers, and which functions run on every request (endpoints,
their dependencies, and the same-file functions they call or schedule as
background tasks, transitively).

Built lazily, once per file, and only for files that import a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asynclint.knowledge.web import (
    APP_CLASSES,
    DEPENDS,
    ENDPOINT_DECORATORS,
    PER_REQUEST_DECORATORS,
    ROUTE_ADDERS,
)
from asynclint.lazy import cst
from asynclint.rule import walk


@dataclass
class AppModel:
    apps: set[str] = field(default_factory=set)  # module-level names of apps and routers
    endpoints: dict[int, cst.FunctionDef] = field(default_factory=dict)
    dependencies: dict[int, cst.FunctionDef] = field(default_factory=dict)
    lifespans: dict[int, cst.FunctionDef] = field(default_factory=dict)
    event_handlers: list[tuple[cst.CSTNode, str, cst.FunctionDef | None]] = field(default_factory=list)
    # Function -> the endpoint (or dependency) through which a request reaches it.
    per_request: dict[int, cst.FunctionDef] = field(default_factory=dict)

    def is_endpoint(self, function: cst.CSTNode | None) -> bool:
        return function is not None and id(function) in self.endpoints

    def request_entry(self, function: cst.CSTNode | None) -> cst.FunctionDef | None:
        """The endpoint or dependency whose requests run `function`, if any."""
        if function is None or id(function) in self.lifespans:
            return None
        return self.per_request.get(id(function))


def build_app_model(ctx) -> AppModel:
    model = AppModel()
    if not any(m.split(".")[0] in ("fastapi", "starlette") for m in ctx.imported_modules):
        return model
    functions: dict[str, cst.FunctionDef] = {}
    statements = list(_module_statements(ctx.module))
    for stmt in statements:
        if isinstance(stmt, cst.FunctionDef):
            functions[stmt.name.value] = stmt
    for stmt in statements:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                _record_app(ctx, small, model, functions)
    for function in functions.values():
        _record_decorators(ctx, function, model)
    _record_dependencies(ctx, model, functions)
    _record_reach(model, functions)
    return model


def _module_statements(module: cst.Module):
    """Top-level statements, looking into if/try blocks (not into defs)."""
    pending = list(module.body)
    while pending:
        stmt = pending.pop(0)
        yield stmt
        if isinstance(stmt, (cst.If, cst.Try)):
            blocks = [stmt.body]
            if isinstance(stmt, cst.If) and stmt.orelse is not None:
                blocks.append(stmt.orelse.body if isinstance(stmt.orelse, cst.Else) else stmt.orelse)
            for block in blocks:
                if isinstance(block, cst.IndentedBlock):
                    pending.extend(block.body)
                elif isinstance(block, cst.If):
                    pending.append(block)


def _record_app(ctx, small: cst.BaseSmallStatement, model: AppModel, functions) -> None:
    value = getattr(small, "value", None)
    if isinstance(small, (cst.Assign, cst.AnnAssign)) and isinstance(value, cst.Call):
        if ctx.resolve(value.func) in APP_CLASSES:
            targets = small.targets if isinstance(small, cst.Assign) else [small]
            for target in targets:
                if isinstance(target.target, cst.Name):
                    model.apps.add(target.target.value)
            for arg in value.args:
                if arg.keyword is not None and arg.keyword.value == "lifespan" and isinstance(arg.value, cst.Name):
                    lifespan = functions.get(arg.value.value)
                    if lifespan is not None:
                        model.lifespans[id(lifespan)] = lifespan
    elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        call = small.value
        if not _is_app_method(call.func, model):
            return
        method = call.func.attr.value
        if method in ROUTE_ADDERS and len(call.args) >= 2:
            endpoint = _function_arg(call.args[1].value, functions)
            if endpoint is not None:
                model.endpoints[id(endpoint)] = endpoint
        elif method == "add_event_handler" and call.args:
            handler = _function_arg(call.args[1].value, functions) if len(call.args) > 1 else None
            model.event_handlers.append((call, _string(call.args[0].value) or "", handler))


def _is_app_method(func: cst.BaseExpression, model: AppModel) -> bool:
    return isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in model.apps


def _function_arg(expr: cst.BaseExpression, functions) -> cst.FunctionDef | None:
    return functions.get(expr.value) if isinstance(expr, cst.Name) else None


def _string(expr: cst.BaseExpression) -> str | None:
    return expr.evaluated_value if isinstance(expr, cst.SimpleString) else None


def _record_decorators(ctx, function: cst.FunctionDef, model: AppModel) -> None:
    for decorator in function.decorators:
        call = decorator.decorator
        if not isinstance(call, cst.Call) or not _is_app_method(call.func, model):
            continue
        method = call.func.attr.value
        if method in ENDPOINT_DECORATORS:
            model.endpoints[id(function)] = function
            for arg in call.args:
                if arg.keyword is not None and arg.keyword.value == "dependencies":
                    for dependency in _depends_in(ctx, arg.value):
                        model.dependencies.setdefault(id(dependency), dependency)
        elif method in PER_REQUEST_DECORATORS:
            model.per_request[id(function)] = function
        elif method == "on_event":
            event = _string(call.args[0].value) if call.args else None
            model.event_handlers.append((decorator, event or "", function))


def _depends_in(ctx, expr: cst.CSTNode) -> list[cst.FunctionDef]:
    """Functions named in `Depends(f)` / `Security(f)` anywhere inside expr."""
    found: list[cst.FunctionDef] = []
    for node in _calls_in(expr):
        if ctx.resolve(node.func) in DEPENDS and node.args:
            target = node.args[0].value
            if isinstance(target, cst.Name):
                binding = ctx.lookup(target.value, scope="")
                if binding is not None and isinstance(binding.node, cst.FunctionDef):
                    found.append(binding.node)
    return found


def _alias_depends(ctx, annotation: cst.BaseExpression) -> list[cst.FunctionDef]:
    """`SessionDep` where `SessionDep = Annotated[Session, Depends(get_session)]`."""
    if isinstance(annotation, cst.Name):
        binding = ctx.lookup(annotation.value, scope="")
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
                            return _depends_in(ctx, small.value)
    return []


def _record_dependencies(ctx, model: AppModel, functions) -> None:
    pending = list(model.endpoints.values()) + list(model.dependencies.values())
    seen: set[int] = set()
    while pending:
        function = pending.pop()
        if id(function) in seen:
            continue
        seen.add(id(function))
        found = _depends_in(ctx, function.params)
        for param in function.params.params + function.params.kwonly_params:
            if param.annotation is not None:
                found.extend(_alias_depends(ctx, param.annotation.annotation))
        for dependency in found:
            if id(dependency) not in model.endpoints:
                model.dependencies.setdefault(id(dependency), dependency)
            pending.append(dependency)


def _record_reach(model: AppModel, functions: dict[str, cst.FunctionDef]) -> None:
    """Everything endpoints and dependencies call (or schedule) in this file."""
    roots = [*model.endpoints.values(), *model.dependencies.values(), *model.per_request.values()]
    for root in roots:
        model.per_request.setdefault(id(root), root)
        pending = [root]
        while pending:
            function = pending.pop()
            for callee in _called_functions(function, functions):
                if id(callee) not in model.per_request and id(callee) not in model.lifespans:
                    model.per_request[id(callee)] = root
                    pending.append(callee)


def _called_functions(function: cst.FunctionDef, functions: dict[str, cst.FunctionDef]) -> list[cst.FunctionDef]:
    """Same-file module-level functions that `function` calls, or passes to
    a call (`add_task(job, x)`, `run_in_threadpool(job)`)."""
    found: list[cst.FunctionDef] = []
    for node in _calls_in(function.body):
        for expr in [node.func, *(arg.value for arg in node.args)]:
            if isinstance(expr, cst.Name) and expr.value in functions:
                found.append(functions[expr.value])
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
