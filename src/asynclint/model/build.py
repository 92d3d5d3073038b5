"""Builds a module's model from Python's own parser, in one walk.

`ast.parse` costs about a tenth of libcst's parse, so every file is read
this way first; libcst parses only the files a rule could fire on, and its
rules ask this same model what their names and calls are.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

from asynclint.knowledge.sqlalchemy import KEYWORDS_KEPT_FOR
from asynclint.knowledge.types import DEPENDENCY_MARKERS
from asynclint.model.expr import Expr, from_ast
from asynclint.model.facts import (
    CallSite,
    Class,
    Function,
    ModuleModel,
    Scope,
    def_name,
)
from asynclint.modules import absolute_in


def build_model(
    source: bytes, module: str, is_package: bool, gather: frozenset[type] = frozenset(), tree: ast.Module | None = None
) -> ModuleModel | None:
    """The model of a module's source (or of its tree, when already parsed),
    or None if Python cannot parse it (libcst decides then). The syntax nodes
    of the `gather` types are kept too (`ModuleModel.nodes`), for the first
    looks of rules about structure."""
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    builder = _Builder(module, is_package, gather)
    try:
        builder.module(tree)
    except RecursionError:
        return None
    return builder.model


@dataclass
class _Piece:
    """One top-level statement's model, built alone: its line and bindings
    counted from 0, moved to where it stands when put together."""

    node: ast.stmt
    line: int  # the statement's line when it was built
    model: ModuleModel
    seq: int  # the bindings it makes
    unblocked: set[tuple]
    accessed: set[tuple]
    sets_public: bool  # it assigns `__all__` at module level
    # What it adds to a model, moved by (bindings before it, lines): kept while it
    # stays there, as nothing changes what a model holds once built
    moved: tuple | None = None


class ModelPieces:
    """A document's model put together from its top-level statements' models,
    each built alone once (the language server's: a keystroke changes one
    statement, and the reparser keeps the other statements' Python nodes).
    A statement that shares a scope (a def's or a class's) with one above it,
    or that follows a module-level `global` or `x.setblocking(False)`, is built
    in its place instead: what it records depends on what came before. What a
    statement adds, moved to where it stands, is kept too while it stays there
    (a keystroke moves no other statement's lines or binding numbers)."""

    def __init__(self) -> None:
        # by path: what the pieces were built for (the module's name, whether a package, the nodes
        # gathered), and each statement's piece by its node's id
        self._documents: dict[str, tuple[tuple, dict[int, _Piece]]] = {}

    def forget(self, path: str) -> None:
        self._documents.pop(path, None)

    def build_model(
        self, source: bytes, module: str, is_package: bool, gather: frozenset[type], tree: ast.Module | None, path: str
    ) -> ModuleModel | None:
        """What `build_model` gives for the document at `path`."""
        if tree is None:
            return build_model(source, module, is_package, gather)
        built_for, known = self._documents.get(path, ((), {}))
        if built_for != (module, is_package, gather):
            known = {}
        builder = _Builder(module, is_package, gather)
        builder.model.scopes[""] = Scope("module")
        builder.kinds.append("module")
        pieces: dict[int, _Piece] = {}
        in_place = False
        try:
            for statement in tree.body:
                piece = known.get(id(statement))
                if piece is None or piece.node is not statement:
                    piece = _piece(statement, module, is_package, gather)
                pieces[id(statement)] = piece
                if not builder.merge(piece):
                    in_place = True
                    builder.visit(statement)
        except RecursionError:
            return None
        finally:
            if in_place:  # a statement built in place may have added to what the pieces above it hold
                for piece in pieces.values():
                    piece.moved = None
            self._documents[path] = ((module, is_package, gather), pieces)
        return builder.model


def _moved(model: ModuleModel, seq: int, lines: int) -> tuple:
    """A statement's scopes (the module's bindings apart), functions, classes
    and calls, `seq` bindings and `lines` lines further down."""
    scopes, module_bindings = {}, {}
    for key, scope in model.scopes.items():
        bindings = {name: [(*bound[:-1], bound[-1] + seq) for bound in found] for name, found in scope.bindings.items()}
        if key:
            scopes[key] = Scope(scope.kind, bindings, set(scope.global_names))
        else:
            module_bindings = bindings
    functions = {}
    for key, function in model.functions.items():
        functions[key] = moved = copy.copy(function)
        moved.line += lines
    classes = {}
    for key, cls in model.classes.items():
        attributes = {name: [[where, (*bound[:-1], bound[-1] + seq)] for where, bound in found] for name, found in cls.attributes.items()}
        classes[key] = Class(key, cls.bases, list(cls.methods), attributes, list(cls.relations))
    calls = []
    for call in model.calls:
        moved = copy.copy(call)
        moved.line += lines
        moved.seq += seq
        calls.append(moved)
    return scopes, module_bindings, functions, classes, calls


def _piece(statement: ast.stmt, module: str, is_package: bool, gather: frozenset[type]) -> _Piece:
    builder = _Builder(module, is_package, gather)
    builder.module(ast.Module(body=[statement], type_ignores=[]))
    return _Piece(statement, statement.lineno, builder.model, builder.seq, builder.unblocked, builder.accessed, builder.sets_public)


class _Builder:
    def __init__(self, module: str, is_package: bool, gather: frozenset[type]) -> None:
        self.model = ModuleModel(module, is_package)
        self.key = ""  # the current scope's key
        self.kinds: list[str] = []  # kinds of the enclosing scopes, innermost last
        self.functions: list[Function | None] = []  # enclosing defs (None for a lambda or class)
        self.fors = 0  # plain `for` loops around, inside the innermost function
        self.whiles = 0
        self.branches = 0  # branches around (an `if`'s, an `except`'s, ...), inside the innermost function
        self.seq = 0  # bindings so far
        self.gather = gather
        self.unblocked: set[tuple] = set()  # (scope, receiver) of each `x.setblocking(False)` so far
        self.accessed: set[tuple] = set()  # (expr, scope, is a read) of the attribute reads and writes recorded
        self.sets_public = False  # `__all__` assigned at module level

    def merge(self, piece: _Piece) -> bool:
        """Add a top-level statement's model built alone, moved to its line
        and its bindings' numbers, as visiting it here would; False (and
        nothing added) when what came before changes what it records."""
        model, theirs = self.model, piece.model
        module_scope = model.scopes[""]
        if module_scope.global_names or any(key == "" for key, _ in self.unblocked):
            return False
        if any(key in model.scopes for key in theirs.scopes if key):  # (every def and class has its scope)
            return False
        seq, lines = self.seq, piece.node.lineno - piece.line
        if piece.moved is None or piece.moved[:2] != (seq, lines):
            piece.moved = (seq, lines, *_moved(theirs, seq, lines))
        _, _, scopes, bindings, functions, classes, calls = piece.moved
        model.scopes.update(scopes)
        for name, found in bindings.items():
            module_scope.bindings.setdefault(name, []).extend(found)
        module_scope.global_names.update(theirs.scopes[""].global_names)
        model.functions.update(functions)
        model.classes.update(classes)
        model.calls += calls
        model.imported |= theirs.imported
        model.stars += theirs.stars
        if piece.sets_public:
            model.public = theirs.public
        model.reads += theirs.reads
        model.writes += theirs.writes
        model.enters += theirs.enters
        for name, found in theirs.keywords.items():
            model.keywords.setdefault(name, []).extend(found)
        for kind, found in theirs.nodes.items():
            model.nodes.setdefault(kind, []).extend(found)
        self.seq += piece.seq
        self.unblocked |= piece.unblocked
        self.accessed |= piece.accessed
        return True

    # ------------------------------------------------------------ scopes
    def module(self, tree: ast.Module) -> None:
        self.model.scopes[""] = Scope("module")
        self.kinds.append("module")
        for statement in tree.body:
            self.visit(statement)

    @property
    def scope(self) -> Scope:
        return self.model.scopes[self.key]

    def bind(self, name: str, bound: tuple, in_flow: bool = False) -> None:
        """Record a binding, numbered in source order (see `Bound`). Bindings
        `in_flow` (loop targets, `with ... as`, `except ... as`, `+=`, `:=`)
        count only inside defs and classes: a module's names are what its
        imports, assignments, defs and classes bind."""
        scope = self.scope
        if name in scope.global_names or (in_flow and self.key == ""):
            return
        self.seq += 1
        scope.bindings.setdefault(name, []).append((*bound, self.seq))

    def bind_targets(self, target: ast.AST, bound: tuple, in_flow: bool = False) -> None:
        """Bind the names a target assigns: `bound` for a single name, unknown for unpacking."""
        if type(target) is ast.Name:
            self.bind(target.id, bound, in_flow)
            return
        for node in ast.walk(target):
            if type(node) is ast.Name and type(node.ctx) is ast.Store:
                self.bind(node.id, ("unknown",), in_flow)

    def enter(self, name: str, kind: str) -> str:
        outer = self.key
        self.key = f"{outer}.{name}" if outer else name
        self.model.scopes.setdefault(self.key, Scope(kind))
        self.kinds.append(kind)
        return outer

    def leave(self, outer: str) -> None:
        self.key = outer
        self.kinds.pop()

    # ------------------------------------------------------------ walk
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in self.gather and kind is not ast.Call:  # a call is gathered where it is recorded (`call`)
            self.model.nodes.setdefault(kind, []).append((node, self.key, self.in_async))
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, node)
        else:
            self.children(node)

    def children(self, node: ast.AST) -> None:
        leaves = _LEAVES
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if type(value) is list:
                for item in value:
                    if type(item) not in leaves and isinstance(item, ast.AST):
                        self.visit(item)
            elif type(value) not in leaves and isinstance(value, ast.AST):
                self.visit(value)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        is_async = type(node) is ast.AsyncFunctionDef
        model = self.model
        for decorator in node.decorator_list:
            self.visit(decorator)
        self.arguments(node.args, visit_annotations=True)
        if node.returns is not None:
            self.visit(node.returns)
        outer_key, outer_kind = self.key, self.kinds[-1]
        name = def_name(node.name, [from_ast(d) for d in node.decorator_list])
        key = f"{outer_key}.{name}" if outer_key else name
        if outer_kind == "class" and name == node.name:  # a method: no name of the class body (methods do not see those)
            model.classes[outer_key].methods.append(node.name)
        function = model.functions.get(key)
        if function is None:
            function = model.functions[key] = Function(key, is_async, node.lineno)
        else:  # a second def of the name (an `if`/`else`): the last one counts
            function.is_async, function.line = is_async, node.lineno
            function.returned, function.yielded = [], []
        function.decorators = [from_ast(d) for d in node.decorator_list]
        function.returns = annotation(node.returns)
        self.enter(name, "function")
        providers = _providers(node.args)
        for arg in _parameters(node.args):
            self.bind(arg.arg, ("param", annotation(arg.annotation), outer_key, providers.get(arg.arg)))
        self.body(node.body, function)
        self.leave(outer_key)
        if outer_kind != "class":  # bound once defined: its own body sees the name as it was
            self.bind(node.name, ("def", is_async, key))

    def body(self, statements: list[ast.stmt], function: Function) -> None:
        """The body of a def: loops are counted afresh."""
        loops, self.fors, self.whiles, self.branches = (self.fors, self.whiles, self.branches), 0, 0, 0
        self.functions.append(function)
        for statement in statements:
            self.visit(statement)
        self.functions.pop()
        self.fors, self.whiles, self.branches = loops

    def lambda_(self, node: ast.Lambda) -> None:
        self.arguments(node.args, visit_annotations=False)
        outer = self.enter("<lambda>", "lambda")
        for arg in _parameters(node.args):
            self.bind(arg.arg, ("unknown",))
        loops, self.fors, self.whiles, self.branches = (self.fors, self.whiles, self.branches), 0, 0, 0
        self.functions.append(None)
        self.visit(node.body)
        self.functions.pop()
        self.fors, self.whiles, self.branches = loops
        self.leave(outer)

    def arguments(self, args: ast.arguments, visit_annotations: bool) -> None:
        """Annotations and defaults run outside the body (visited parameter
        by parameter, each annotation before its default, as libcst does)."""
        positional = [*args.posonlyargs, *args.args]
        defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
        defaults.update((arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is not None)
        for arg in (*positional, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is None:
                continue
            if visit_annotations and arg.annotation is not None:
                self.visit(arg.annotation)
            if arg in defaults:
                self.visit(defaults[arg])

    def class_(self, node: ast.ClassDef) -> None:
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(expr)
        outer = self.key
        key = f"{outer}.{node.name}" if outer else node.name
        self.model.classes.setdefault(key, Class(key, [from_ast(base) for base in node.bases]))
        self.enter(node.name, "class")
        self.functions.append(None)
        for statement in node.body:
            self.visit(statement)
        self.functions.pop()
        self.leave(outer)
        if self.scope.kind != "class":
            self.bind(node.name, ("class", key))

    def attribute(self, target: ast.expr, bound: tuple) -> None:
        """Record what sets a class's attribute: a name in the class body, or
        `self.<name>` in one of its methods (not in a def nested in one)."""
        kinds = self.kinds
        if kinds[-1] == "class" and type(target) is ast.Name:
            owner = self.key
        elif (
            len(kinds) > 1 and kinds[-1] == "function" and kinds[-2] == "class" and type(target) is ast.Attribute
            and type(target.value) is ast.Name and target.value.id == "self"
        ):
            owner = self.key.rpartition(".")[0]
        else:
            return
        name = target.id if type(target) is ast.Name else target.attr
        self.model.classes[owner].attributes.setdefault(name, []).append([self.key, (*bound, self.seq + 1)])

    def relation(self, name: str, field: ast.Call) -> None:
        """Record a class-level field that names another class (its first
        argument or `to=`: a name, an attribute or a string), with its `related_name`."""
        keywords = {keyword.arg: keyword.value for keyword in field.keywords if keyword.arg}
        target = field.args[0] if field.args else keywords.get("to")
        func = from_ast(field.func)
        if target is None or func is None:
            return
        named = target.value if type(target) is ast.Constant and type(target.value) is str else from_ast(target)
        related = keywords.get("related_name")
        related = related.value if type(related) is ast.Constant and type(related.value) is str else None
        if named is not None:
            self.model.classes[self.key].relations.append([name, func, named, related])

    # -------------------------------------------------------- statements
    def import_(self, node: ast.Import | ast.ImportFrom) -> None:
        if type(node) is ast.Import:
            for alias in node.names:
                target = alias.name if alias.asname else alias.name.split(".")[0]
                self.bind(alias.asname or target, ("import", target))
                if self.key == "":
                    self.model.imported.add(target)
            return
        model = self.model
        base = absolute_in(model.module, model.is_package, "." * node.level + (node.module or ""))
        for alias in node.names:
            if alias.name == "*":  # its names are looked up in the module when it is the project's
                if self.key == "" and base:
                    model.stars.append(base)
                    model.imported.add(base)
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.bind(alias.asname or alias.name, ("import", target))
            if self.key == "":
                model.imported.add(target)

    # An assignment binds once its value is computed: calls in the value see the names as they were.
    def assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1:
            self.keep_keywords(node.targets[0], node.value)
            self.attribute(node.targets[0], ("value", from_ast(node.value), False))
            if self.kinds[-1] == "class" and type(node.targets[0]) is ast.Name and type(node.value) is ast.Call:
                self.relation(node.targets[0].id, node.value)
        if type(node.value) is ast.Call:
            for target in node.targets:
                self.visit(target)
            alone = len(node.targets) == 1 and type(node.targets[0]) is ast.Name
            self.call(node.value, "stored" if alone else "kept")
        else:
            self.children(node)
        for target in node.targets:
            self.bind_targets(target, ("value", from_ast(node.value), self.key == ""))
            if self.key == "" and type(target) is ast.Name and target.id == "__all__":
                self.model.public = _strings(node.value)
                self.sets_public = True

    def keep_keywords(self, target: ast.expr, value: ast.expr | None) -> None:
        """Record the literal keywords of a call the knowledge asks about, assigned to a name of the module or a class body."""
        if type(value) is not ast.Call or type(target) is not ast.Name or self.kinds[-1] not in ("module", "class"):
            return
        func = value.func
        name = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else None
        if name not in KEYWORDS_KEPT_FOR:
            return
        given = {
            keyword.arg or "**": _literal(keyword.value) if keyword.arg is not None else None
            for keyword in value.keywords
        }
        key = f"{self.key}.{target.id}" if self.key else target.id
        self.model.keywords.setdefault(key, []).append(given)

    def ann_assign(self, node: ast.AnnAssign) -> None:
        self.keep_keywords(node.target, node.value)
        self.attribute(node.target, ("annotated", annotation(node.annotation), from_ast(node.value), False))
        if type(node.value) is ast.Call:
            self.visit(node.target)
            self.visit(node.annotation)
            self.call(node.value, "stored" if type(node.target) is ast.Name else "kept")
        else:
            self.children(node)
        if type(node.target) is ast.Name:
            value = from_ast(node.value) if node.value is not None else None
            self.bind(node.target.id, ("annotated", annotation(node.annotation), value, self.key == ""))

    def aug_assign(self, node: ast.AugAssign) -> None:
        if self.key == "" and type(node.target) is ast.Name and node.target.id == "__all__":
            self.model.public = None  # grown at run time: any public name may be in it
            self.sets_public = True
        self.visit(node.target)
        if type(node.value) is ast.Call:
            self.call(node.value, "kept")
        else:
            self.visit(node.value)
        self.bind_targets(node.target, ("unknown",), in_flow=True)

    def named_expr(self, node: ast.NamedExpr) -> None:
        self.children(node)
        self.bind(node.target.id, ("value", from_ast(node.value), False), in_flow=True)

    def with_(self, node: ast.With | ast.AsyncWith) -> None:
        is_async = type(node) is ast.AsyncWith
        for item in node.items:
            self.with_item(item, is_async)
        for statement in node.body:
            self.visit(statement)

    def with_item(self, node: ast.withitem, is_async: bool) -> None:
        context = from_ast(node.context_expr)
        if self.in_async and not is_async and context is not None:  # entering it may run a project `__enter__`
            self.model.enters.append([context, self.key])
        if type(node.context_expr) is ast.Call:
            self.call(node.context_expr, "consumed")
            if node.optional_vars is not None:
                self.visit(node.optional_vars)
        else:
            self.children(node)
        if node.optional_vars is not None:
            self.bind_targets(node.optional_vars, ("entered", context, is_async), in_flow=True)

    def loop(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        kind = type(node)
        if kind is not ast.While:
            self.bind_targets(node.target, ("iter", from_ast(node.iter)), in_flow=True)
        counter = "whiles" if kind is ast.While else "fors"
        setattr(self, counter, getattr(self, counter) + 1)
        self.children(node)
        setattr(self, counter, getattr(self, counter) - 1)

    def comprehension(self, node: ast.comprehension) -> None:
        # Its targets are the comprehension's own; counted here, they can only hide a name, never invent one.
        self.bind_targets(node.target, ("iter", from_ast(node.iter)), in_flow=True)
        self.children(node)

    def except_handler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bind(node.name, ("unknown",), in_flow=True)
        self.children(node)

    def global_(self, node: ast.Global | ast.Nonlocal) -> None:
        self.scope.global_names.update(node.names)

    def return_(self, node: ast.Return) -> None:
        function = self.functions[-1] if self.functions else None
        if function is not None:
            function.returned.append(from_ast(node.value) if node.value is not None else ("none",))
        if type(node.value) is ast.Call:
            self.call(node.value, "returned")
        else:
            self.children(node)

    def expr_statement(self, node: ast.Expr) -> None:
        if type(node.value) is ast.Call:
            self.call(node.value, "dropped")
        else:
            self.visit(node.value)

    def yield_(self, node: ast.Yield | ast.YieldFrom) -> None:
        function = self.functions[-1] if self.functions else None
        if function is not None:
            function.is_generator = True
            if type(node) is ast.Yield:
                function.yielded.append(from_ast(node.value) if node.value is not None else ("none",))
        if type(node.value) is ast.Call:
            self.call(node.value, "kept")
        elif node.value is not None:
            self.visit(node.value)

    def await_(self, node: ast.Await) -> None:
        if type(node.value) is ast.Call:
            self.call(node.value, "awaited")
        else:
            self.visit(node.value)

    def attribute_(self, node: ast.Attribute) -> None:
        if self.in_async and type(node.ctx) is not ast.Del:
            expr = from_ast(node)
            kept = self.model.reads if type(node.ctx) is ast.Load else self.model.writes
            if expr is not None and (expr, self.key, kept is self.model.reads) not in self.accessed:
                self.accessed.add((expr, self.key, kept is self.model.reads))
                kept.append([expr, self.key])
        self.visit(node.value)

    def if_exp(self, node: ast.IfExp) -> None:
        self.branch(node.body)
        self.visit(node.test)  # in source order, as libcst visits them
        self.branch(node.orelse)

    def branch(self, *parts) -> None:
        """Parts that run only on some paths: an `if`'s body and `else`, an
        `except` block, a `case`, the operands after the first of `and` / `or`."""
        self.branches += 1
        for part in parts:
            for node in part if type(part) is list else (part,):
                self.visit(node)
        self.branches -= 1

    def if_(self, node: ast.If) -> None:
        self.visit(node.test)
        self.branch(node.body, node.orelse)

    def bool_op(self, node: ast.BoolOp) -> None:
        self.visit(node.values[0])
        self.branch(node.values[1:])

    def try_(self, node: ast.Try) -> None:
        for statement in node.body:
            self.visit(statement)
        self.branch(node.handlers, node.orelse)
        for statement in node.finalbody:
            self.visit(statement)

    def match_(self, node: ast.Match) -> None:
        self.visit(node.subject)
        self.branch(node.cases)

    def dict_(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):  # each key before its value, as libcst visits them
            if key is not None:
                self.visit(key)
            self.visit(value)

    @property
    def in_async(self) -> bool:
        return bool(self.functions) and self.functions[-1] is not None and self.functions[-1].is_async

    # -------------------------------------------------------------- calls
    def call(self, node: ast.Call, use: str = "other") -> None:
        if ast.Call in self.gather:
            self.model.nodes.setdefault(ast.Call, []).append((node, self.key, self.in_async))
        func = node.func
        name = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else None
        timeout = "missing"
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg == "timeout":
                none = keyword.arg and type(keyword.value) is ast.Constant and keyword.value.value is None
                timeout = "none" if none else "set"
                break
        in_function = len(self.kinds) > 1 and any(k in ("function", "lambda") for k in self.kinds)
        receiver = (self.key, from_ast(func.value)) if type(func) is ast.Attribute else (self.key, None)
        if name in ("setblocking", "settimeout") and receiver[1] is not None and _says_do_not_wait(node):
            self.unblocked.add(receiver)
        self.model.calls.append(
            CallSite(
                from_ast(func), name, use, self.in_async, self.fors > 0, self.whiles > 0, in_function, self.key,
                timeout, node.lineno, node.col_offset, self.seq, receiver in self.unblocked,
                self.branches > 0, from_ast(node.args[0]) if name in DEPENDENCY_MARKERS and node.args else None,
            )
        )
        self.visit(func.value if type(func) is ast.Attribute else func)  # what is called is no read
        for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
            if type(argument) is ast.Call:
                self.call(argument, "consumed")
            else:
                self.visit(argument)


# Nodes with nothing the model records inside (names are read through their
# parents; contexts and operators are words): not walked into.
_LEAVES = frozenset(
    {ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass, ast.Break, ast.Continue,
     *(cls for base in (ast.operator, ast.unaryop, ast.cmpop, ast.boolop) for cls in base.__subclasses__()),
     type(None), str, int}
)


def annotation(node: ast.expr | None) -> Expr | None:
    """An annotation's expression; a string annotation (`"Session"`) is read as the code it holds."""
    if type(node) is ast.Constant and type(node.value) is str:
        try:
            node = ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return None
    return from_ast(node) if node is not None else None


_DEPENDS_NAMES = frozenset({"Depends", "Security"})


def _literal(node: ast.expr) -> str | int | float | bool | None:
    """A keyword's value when it is a string, number or bool written out, else None."""
    if type(node) is ast.Constant and type(node.value) in (str, int, float, bool):
        return node.value
    return None


def _says_do_not_wait(node: ast.Call) -> bool:
    """`x.setblocking(False)` or `x.settimeout(0)`: its calls then raise instead of waiting."""
    if len(node.args) != 1 or node.keywords or type(node.args[0]) is not ast.Constant:
        return False
    value = node.args[0].value
    return value is False or (type(value) in (int, float) and value == 0)


def _strings(node: ast.expr) -> list[str] | None:
    """The strings of a literal list or tuple of strings (`__all__`), else None."""
    if type(node) not in (ast.List, ast.Tuple):
        return None
    if not all(type(item) is ast.Constant and type(item.value) is str for item in node.elts):
        return None
    return [item.value for item in node.elts]


def _providers(args: ast.arguments) -> dict[str, Expr]:
    """Parameters whose default is `Depends(provider)` (FastAPI): name -> ("depends", <Depends>, <provider>)."""
    positional = [*args.posonlyargs, *args.args]
    pairs = [*zip(positional[len(positional) - len(args.defaults):], args.defaults), *zip(args.kwonlyargs, args.kw_defaults)]
    out = {}
    for arg, default in pairs:
        if type(default) is not ast.Call:
            continue
        func = default.func
        name = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else None
        if name not in _DEPENDS_NAMES:
            continue
        provider = default.args[0] if default.args else next(
            (k.value for k in default.keywords if k.arg == "dependency"), None
        )
        if provider is not None and from_ast(provider) is not None and from_ast(func) is not None:
            out[arg.arg] = ("depends", from_ast(func), from_ast(provider))
    return out


def _parameters(args: ast.arguments) -> list[ast.arg]:
    out = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg is not None:
        out.append(args.vararg)
    if args.kwarg is not None:
        out.append(args.kwarg)
    return out


_HANDLERS = {
    ast.FunctionDef: _Builder.function,
    ast.AsyncFunctionDef: _Builder.function,
    ast.Lambda: _Builder.lambda_,
    ast.ClassDef: _Builder.class_,
    ast.Import: _Builder.import_,
    ast.ImportFrom: _Builder.import_,
    ast.Assign: _Builder.assign,
    ast.AnnAssign: _Builder.ann_assign,
    ast.AugAssign: _Builder.aug_assign,
    ast.NamedExpr: _Builder.named_expr,
    ast.With: _Builder.with_,
    ast.AsyncWith: _Builder.with_,
    ast.For: _Builder.loop,
    ast.AsyncFor: _Builder.loop,
    ast.While: _Builder.loop,
    ast.comprehension: _Builder.comprehension,
    ast.ExceptHandler: _Builder.except_handler,
    ast.Global: _Builder.global_,
    ast.Nonlocal: _Builder.global_,
    ast.Return: _Builder.return_,
    ast.Expr: _Builder.expr_statement,
    ast.Yield: _Builder.yield_,
    ast.YieldFrom: _Builder.yield_,
    ast.Await: _Builder.await_,
    ast.Call: _Builder.call,
    ast.Attribute: _Builder.attribute_,
    ast.IfExp: _Builder.if_exp,
    ast.If: _Builder.if_,
    ast.BoolOp: _Builder.bool_op,
    ast.Try: _Builder.try_,
    ast.TryStar: _Builder.try_,
    ast.Match: _Builder.match_,
    ast.Dict: _Builder.dict_,
}
