"""Facts about the file being checked that every rule reads.

The context is updated by the engine's single traversal (``enter``/``leave``
for every node, before the rules see it) and answers:

* where we are: the stack of function / lambda / class frames, whether the
  code runs in async context, the parent of the current node;
* what a name means: an import table of our own (module level and function
  level, aliases, ``from x import y``), shadowing by local bindings, and the
  evident type of local names (``client = httpx.Client()``, parameters
  annotated ``session: Session``) so ``client.get`` resolves to
  ``httpx.Client.get``;
* which async library the file uses, for advice.

It deliberately avoids libcst's Scope/QualifiedName providers, which cost
several parses per file.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from asynclint.knowledge.types import PATH_TYPES, RESULT_TYPES, canonical
from asynclint.lazy import cst

BUILTIN_NAMES = frozenset(dir(builtins))

BindingKind = Literal["import", "instance", "function", "async_function", "class", "alias", "other"]


@dataclass(frozen=True)
class Binding:
    """What a name is bound to. ``target`` is a qualified name for imports,
    a qualified type for instances and type aliases, the def node's name for
    functions and classes."""

    kind: BindingKind
    target: str = ""
    node: cst.CSTNode | None = None
    annotated: bool = False  # the type comes from an annotation, not from a constructor


UNKNOWN = Binding("other")

@cache
def _binds_on_enter() -> frozenset[type]:
    return frozenset({cst.Import, cst.ImportFrom, cst.For, cst.CompFor, cst.ExceptHandler, cst.Global, cst.Nonlocal})


@cache
def _binds_on_leave() -> frozenset[type]:
    return frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign, cst.WithItem, cst.NamedExpr, cst.FunctionDef, cst.ClassDef})


@dataclass
class Frame:
    """One lexical scope: the module, a function, a lambda or a class body."""

    kind: Literal["module", "function", "lambda", "class"]
    node: cst.CSTNode | None
    body: cst.CSTNode | None
    is_async: bool = False
    bindings: dict[str, Binding] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)


@dataclass
class ClassInfo:
    """Methods of a class in this file, and its annotated attribute types."""

    node: cst.ClassDef
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)
    attribute_types: dict[str, str] = field(default_factory=dict)


def dotted_name(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def _module_of_import(node: cst.ImportFrom) -> str:
    dots = "." * len(node.relative)
    module = dotted_name(node.module) if node.module is not None else ""
    return dots + (module or "")


def _import_bindings(node: cst.Import | cst.ImportFrom) -> list[tuple[str, Binding]]:
    out = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append((alias.asname.name.value, Binding("import", full)))
            else:
                head = full.split(".")[0]
                out.append((head, Binding("import", head)))
        return out
    if isinstance(node.names, cst.ImportStar):
        return out
    module = _module_of_import(node)
    for alias in node.names:
        name = alias.name.value if isinstance(alias.name, cst.Name) else dotted_name(alias.name) or ""
        bound = name
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            bound = alias.asname.name.value
        sep = "" if module.endswith(".") else "."
        out.append((bound, Binding("import", f"{module}{sep}{name}")))
    return out


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in _target_names(el.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _is_none(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


class FileContext:
    """Shared, incrementally updated facts about one file."""

    def __init__(self, module: cst.Module, path: str = "<string>", module_name: str = "") -> None:
        self.module = module
        self.path = path
        self.module_name = module_name
        self.frames: list[Frame] = [Frame("module", module, module)]
        self._binds_on_enter, self._binds_on_leave = _binds_on_enter(), _binds_on_leave()
        self.node_stack: list[cst.CSTNode] = []
        self.classes: dict[str, ClassInfo] = {}
        self.imported_modules: set[str] = set()
        self._pending_bodies: dict[int, Frame] = {}
        self._callee_cache: tuple[cst.Call | None, str | None] = (None, None)
        self._memo: dict[tuple, Any] = {}
        self.settings: Any = None  # the run's Settings, set by the engine
        # Async defs of other project modules: qualified name -> "path:line".
        # Filled by the whole-project analysis; empty when checking one file.
        self.project_coroutines: dict[str, str] = {}
        self.project: Any = None  # the run's ProjectIndex, for whole-project facts (AL109)
        self.file_state: list[int] | None = None  # the file's [mtime, size] when it was read, if from disk
        self.text: str | None = None  # the decoded source, when at hand: positions come cheaper from it
        self._app = None
        self._scan_module(module)
        self.library = self._detect_library()

    # ------------------------------------------------------------ module scan
    def _scan_module(self, module: cst.Module) -> None:
        """Record top-level bindings (through if/try/with blocks, not into defs)."""
        seen: dict[str, list[Binding]] = {}
        class_nodes: list[cst.ClassDef] = []

        def add(name: str, binding: Binding) -> None:
            seen.setdefault(name, []).append(binding)

        def scan(statements) -> None:
            for stmt in statements:
                if isinstance(stmt, cst.SimpleStatementLine):
                    for small in stmt.body:
                        self._scan_small_statement(small, add)
                elif isinstance(stmt, cst.FunctionDef):
                    kind = "async_function" if stmt.asynchronous else "function"
                    add(stmt.name.value, Binding(kind, stmt.name.value, stmt))
                elif isinstance(stmt, cst.ClassDef):
                    add(stmt.name.value, Binding("class", stmt.name.value, stmt))
                    class_nodes.append(stmt)
                elif isinstance(stmt, (cst.If, cst.Try, cst.TryStar, cst.With, cst.For, cst.While)):
                    for block in self._blocks_of(stmt):
                        scan(block)

        # Twice: values like `client = httpx.Client()` resolve only once the
        # imports are known, wherever they appear in the module.
        bindings = self.frames[0].bindings
        for _ in range(2):
            seen.clear()
            class_nodes.clear()
            scan(module.body)
            for name, found in seen.items():
                bindings[name] = self._merge(found)
        for node in class_nodes:  # after the imports, so attribute types resolve
            self.classes[node.name.value] = self._scan_class(node)

    @staticmethod
    def _blocks_of(stmt: cst.BaseCompoundStatement):
        blocks = [stmt.body]
        if isinstance(stmt, cst.If):
            orelse = stmt.orelse
            while orelse is not None:
                blocks.append(orelse.body)
                orelse = orelse.orelse if isinstance(orelse, cst.If) else None
        if isinstance(stmt, (cst.Try, cst.TryStar)):
            blocks.extend(h.body for h in stmt.handlers)
            if stmt.orelse is not None:
                blocks.append(stmt.orelse.body)
            if stmt.finalbody is not None:
                blocks.append(stmt.finalbody.body)
        if isinstance(stmt, (cst.For, cst.While)) and stmt.orelse is not None:
            blocks.append(stmt.orelse.body)
        return [b.body for b in blocks if isinstance(b, cst.IndentedBlock)] + [
            [b] for b in blocks if isinstance(b, cst.SimpleStatementSuite)
        ]

    def _scan_small_statement(self, small: cst.BaseSmallStatement, add) -> None:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            for name, binding in _import_bindings(small):
                add(name, binding)
                self.imported_modules.add(binding.target)
        elif isinstance(small, cst.Assign):
            binding = self._binding_for_value(small.value, module_level=True)
            for target in small.targets:
                for name in _target_names(target.target):
                    add(name, binding if isinstance(target.target, cst.Name) else UNKNOWN)
        elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
            typ = self.annotation_type(small.annotation.annotation)
            if typ and typ.split(".")[-1] == "TypeAlias" and small.value is not None:
                add(small.target.value, self._binding_for_value(small.value, module_level=True))
            elif typ:
                add(small.target.value, Binding("instance", typ))
            else:
                add(small.target.value, self._binding_for_value(small.value, module_level=True))

    @staticmethod
    def _merge(found: list[Binding]) -> Binding:
        """One binding for a name bound several times at module level.

        `try: import x` / `except ImportError: x = None` keeps the import.
        """
        real = [b for b in found if b.kind != "none"]
        if not real:
            return UNKNOWN
        if all(b == real[0] for b in real):
            return real[0]
        imports = [b for b in real if b.kind == "import"]
        if imports and all(b == imports[0] for b in imports) and len(imports) == len(real):
            return imports[0]
        return UNKNOWN

    def _scan_class(self, node: cst.ClassDef) -> ClassInfo:
        """Methods, and attribute types from class-level annotations and from
        `self.x = Type(...)` / `self.x: Type = ...` directly in `__init__`."""
        info = ClassInfo(node)
        if not isinstance(node.body, cst.IndentedBlock):
            return info
        for stmt in node.body.body:
            if isinstance(stmt, cst.FunctionDef):
                info.methods[stmt.name.value] = stmt
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        typ = self.annotation_type(small.annotation.annotation)
                        if typ:
                            info.attribute_types[small.target.value] = typ
        init = info.methods.get("__init__")
        if init is not None and isinstance(init.body, cst.IndentedBlock):
            for stmt in init.body.body:
                if not isinstance(stmt, cst.SimpleStatementLine):
                    continue
                for small in stmt.body:
                    target, typ = None, None
                    if isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target, typ = small.targets[0].target, self.result_type(small.value)
                    elif isinstance(small, cst.AnnAssign):
                        target, typ = small.target, self.annotation_type(small.annotation.annotation)
                    if (
                        typ
                        and isinstance(target, cst.Attribute)
                        and isinstance(target.value, cst.Name)
                        and target.value.value == "self"
                    ):
                        info.attribute_types.setdefault(target.attr.value, typ)
        return info

    def _detect_library(self) -> str:
        roots = {m.split(".")[0] for m in self.imported_modules}
        if "anyio" in roots:
            return "anyio"
        if "trio" in roots and not roots & {"fastapi", "starlette"}:
            return "trio"
        return "asyncio"

    def remember(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A fact about this file computed once, however many visits ask for it
        (whether a function yields, say, asked at each of its call sites)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ------------------------------------------------------------- traversal
    def enter(self, node: cst.CSTNode) -> None:
        self.node_stack.append(node)
        frame = self._pending_bodies.pop(id(node), None)
        if frame is not None:
            self.frames.append(frame)
            return
        node_type = type(node)
        if node_type is cst.FunctionDef:
            frame = Frame("function", node, node.body, is_async=node.asynchronous is not None)
            for param in _all_params(node.params):
                frame.bindings[param.name.value] = self._binding_for_param(param)
            self._pending_bodies[id(node.body)] = frame
        elif node_type is cst.Lambda:
            frame = Frame("lambda", node, node.body)
            for param in _all_params(node.params):
                frame.bindings[param.name.value] = UNKNOWN
            self._pending_bodies[id(node.body)] = frame
        elif node_type is cst.ClassDef:
            self._pending_bodies[id(node.body)] = Frame("class", node, node.body)
        elif len(self.frames) > 1 and node_type in self._binds_on_enter:
            self._bind_on_enter(node)

    def leave(self, node: cst.CSTNode) -> None:
        if len(self.frames) > 1:
            if self.frames[-1].body is node:
                self.frames.pop()
            elif type(node) in self._binds_on_leave:
                self._bind_on_leave(node)
        self.node_stack.pop()

    def _bind_on_enter(self, node: cst.CSTNode) -> None:
        """Bindings visible from the start of a statement (imports, loop targets)."""
        frame = self.frames[-1]
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            for name, binding in _import_bindings(node):
                frame.bindings[name] = binding
        elif isinstance(node, (cst.For, cst.CompFor)):
            # Comprehension targets leak into the frame here: that can only
            # hide a module name, never invent one.
            for name in _target_names(node.target):
                frame.bindings[name] = UNKNOWN
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            for name in _target_names(node.name.name):
                frame.bindings[name] = UNKNOWN
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                frame.global_names.add(item.name.value)

    def _bind_on_leave(self, node: cst.CSTNode) -> None:
        """Bindings made once a statement or expression has been evaluated."""
        frame = self.frames[-1]
        if isinstance(node, cst.Assign):
            binding = self._binding_for_value(node.value)
            for target in node.targets:
                single = isinstance(target.target, cst.Name)
                for name in _target_names(target.target):
                    self._set(frame, name, binding if single else UNKNOWN)
        elif isinstance(node, cst.AnnAssign) and isinstance(node.target, cst.Name):
            typ = self.annotation_type(node.annotation.annotation)
            binding = Binding("instance", typ, annotated=True) if typ else self._binding_for_value(node.value)
            self._set(frame, node.target.value, binding)
        elif isinstance(node, cst.AugAssign):
            for name in _target_names(node.target):
                self._set(frame, name, UNKNOWN)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            single = isinstance(node.asname.name, cst.Name)
            binding = self._binding_for_value(node.item) if single else UNKNOWN
            for name in _target_names(node.asname.name):
                self._set(frame, name, binding)
        elif isinstance(node, cst.NamedExpr):
            for name in _target_names(node.target):
                self._set(frame, name, self._binding_for_value(node.value))
        elif isinstance(node, cst.FunctionDef) and frame.kind != "class":
            kind = "async_function" if node.asynchronous else "function"
            self._set(frame, node.name.value, Binding(kind, "", node))
        elif isinstance(node, cst.ClassDef) and frame.kind != "class":
            self._set(frame, node.name.value, UNKNOWN)

    @staticmethod
    def _set(frame: Frame, name: str, binding: Binding) -> None:
        if name not in frame.global_names:
            frame.bindings[name] = binding

    def _binding_for_value(self, value: cst.BaseExpression | None, module_level: bool = False) -> Binding:
        if value is None:
            return UNKNOWN
        if _is_none(value):
            return Binding("none") if module_level else UNKNOWN  # type: ignore[arg-type]
        if isinstance(value, cst.Await):
            value = value.expression
        typ = self.result_type(value) if isinstance(value, cst.Call) else None
        if typ:
            return Binding("instance", typ)
        if module_level and isinstance(value, cst.Subscript):
            alias = self.annotation_type(value)
            if alias:
                return Binding("alias", alias)
        return UNKNOWN

    def _binding_for_param(self, param: cst.Param) -> Binding:
        if param.annotation is not None:
            typ = self.annotation_type(param.annotation.annotation)
            if typ:
                return Binding("instance", typ, annotated=True)
        return UNKNOWN

    # ------------------------------------------------------------- queries
    @property
    def in_async(self) -> bool:
        """True inside an `async def` body, not in a nested def, lambda or class."""
        return self.frames[-1].is_async

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost enclosing def, if the current code is directly in one."""
        node = self.frames[-1].node
        return node if isinstance(node, cst.FunctionDef) else None

    @property
    def enclosing_class(self) -> ClassInfo | None:
        """The class whose method we are in (for `self.x` / `cls.x`)."""
        for i in range(len(self.frames) - 1, 0, -1):
            if self.frames[i].kind == "class":
                node = self.frames[i].node
                assert isinstance(node, cst.ClassDef)
                return self.classes.get(node.name.value) or self._scan_class(node)
        return None

    def parent(self, node: cst.CSTNode | None = None, levels: int = 1) -> cst.CSTNode | None:
        """The parent of the node being visited (or of `node`, if it is on the stack)."""
        stack = self.node_stack
        index = len(stack) - 1
        if node is not None:
            while index >= 0 and stack[index] is not node:
                index -= 1
        index -= levels
        return stack[index] if index >= 0 else None

    def is_awaited(self, node: cst.CSTNode) -> bool:
        return isinstance(self.parent(node), cst.Await)

    @property
    def app(self):
        """The web app model of this file (endpoints, dependencies, lifespan), built once."""
        if self._app is None:
            from asynclint.app_model import build_app_model

            self._app = build_app_model(self)
        return self._app

    def callee(self, call: cst.Call) -> str | None:
        """`resolve(call.func)`, remembered for the node all rules are visiting."""
        cached_node, cached = self._callee_cache
        if cached_node is call:
            return cached
        name = self._callee_name(call)
        self._callee_cache = (call, name)
        return name

    def _callee_name(self, call: cst.Call) -> str | None:
        """What a call calls: calling an instance (`SessionLocal()` with
        `SessionLocal = async_sessionmaker(...)`) is its type's `__call__`."""
        name = self.resolve(call.func)
        if name is not None and self._is_instance(call.func):
            return name + ".__call__"
        return name

    def _is_instance(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            binding = self.lookup(expr.value)
            return binding is not None and binding.kind == "instance"
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            cls = self.enclosing_class
            return cls is not None and expr.attr.value in cls.attribute_types
        return isinstance(expr, cst.Call)

    def lookup(self, name: str) -> Binding | None:
        """The binding of a bare name here, or None for an unbound name."""
        frames = self.frames
        for i in range(len(frames) - 1, 0, -1):
            frame = frames[i]
            if frame.kind == "class" and i != len(frames) - 1:
                continue  # class bodies are not visible from their methods
            if name in frame.global_names:
                break
            binding = frame.bindings.get(name)
            if binding is not None:
                return binding
        return frames[0].bindings.get(name)

    def resolve(self, expr: cst.BaseExpression) -> str | None:
        """The canonical qualified name an expression stands for, or None.

        `r.get` with `import requests as r` -> `requests.get`; `open` ->
        `builtins.open`; `client.get` with `client = httpx.Client()` ->
        `httpx.Client.get`; `Path(p).read_text` -> `pathlib.Path.read_text`.
        A name bound locally to something unknown resolves to None.
        """
        attrs: list[str] = []
        while isinstance(expr, cst.Attribute):
            attrs.append(expr.attr.value)
            expr = expr.value
        if isinstance(expr, cst.Name) and expr.value == "self" and attrs:
            cls = self.enclosing_class
            typ = cls.attribute_types.get(attrs[-1]) if cls is not None else None
            if typ is not None and self.lookup("self") in (None, UNKNOWN):
                attrs.pop()
                base = typ
            else:
                base = self._resolve_name(expr.value)
        elif isinstance(expr, cst.Name):
            base = self._resolve_name(expr.value)
        elif isinstance(expr, cst.Call):
            base = self.result_type(expr)
        elif isinstance(expr, cst.Await):
            base = self.result_type(expr.expression) if isinstance(expr.expression, cst.Call) else None
        elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
            # `base / "name"` is a path when `base` is one.
            left = self.resolve(expr.left)
            base = left if left in PATH_TYPES else None
        else:
            base = None
        if base is None:
            return None
        if not attrs:
            return canonical(base)
        # Resolve step by step so that `sqlmodel.Session` maps onto SQLAlchemy's.
        name = canonical(base)
        for attr in reversed(attrs):
            name = canonical(f"{name}.{attr}")
        return name

    def _resolve_name(self, name: str) -> str | None:
        if name in ("self", "cls"):
            cls = self.enclosing_class
            binding = self.lookup(name)
            if cls is not None and (binding is None or binding.kind == "other"):
                return f"{self.local_prefix}.{cls.node.name.value}"
        binding = self.lookup(name)
        if binding is None:
            return f"builtins.{name}" if name in BUILTIN_NAMES else None
        if binding.kind in ("import", "instance", "alias"):
            return binding.target
        if binding.kind in ("function", "async_function", "class") and binding.target:
            return f"{self.local_prefix}.{binding.target}"
        return None

    def result_type(self, call: cst.BaseExpression) -> str | None:
        """The qualified type a call evaluates to, when the tables know it
        (or when it instantiates a class of this file)."""
        if not isinstance(call, cst.Call):
            return None
        callee = self._callee_name(call)
        if callee is None:
            return None
        typ = RESULT_TYPES.get(callee)
        if typ is None and callee.startswith(self.local_prefix + "."):
            if callee[len(self.local_prefix) + 1 :] in self.classes:
                typ = callee
        return typ

    @property
    def local_prefix(self) -> str:
        """How qualified names of this file's own definitions start."""
        return self.module_name or "<module>"

    def local_function(self, qualname: str) -> cst.FunctionDef | None:
        """The def of this file's module-level function or class method
        named `qualname` (`app.fetch`, `app.Service.run`), if any."""
        prefix = self.local_prefix + "."
        if not qualname.startswith(prefix):
            return None
        parts = qualname[len(prefix) :].split(".")
        if len(parts) == 1:
            binding = self.frames[0].bindings.get(parts[0])
            node = binding.node if binding is not None else None
            return node if isinstance(node, cst.FunctionDef) else None
        if len(parts) == 2 and parts[0] in self.classes:
            return self.classes[parts[0]].methods.get(parts[1])
        return None

    def annotation_type(self, annotation: cst.BaseExpression) -> str | None:
        """The type an annotation names: `Session`, `Optional[Session]`,
        `Session | None`, `Annotated[Session, Depends(...)]`, or an alias of one."""
        if isinstance(annotation, cst.Subscript):
            head = self.resolve(annotation.value)
            elements = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
            if head in ("typing.Annotated", "typing_extensions.Annotated", "typing.Optional") and elements:
                return self.annotation_type(elements[0])
            return None
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            if _is_none(annotation.right):
                return self.annotation_type(annotation.left)
            if _is_none(annotation.left):
                return self.annotation_type(annotation.right)
            return None
        if isinstance(annotation, (cst.Name, cst.Attribute)):
            if isinstance(annotation, cst.Name):
                binding = self.lookup(annotation.value)
                if binding is not None and binding.kind == "alias":
                    return binding.target
            name = self.resolve(annotation)
            if name is None or name.startswith("builtins."):
                return None
            return name
        return None

    def code_for(self, node: cst.CSTNode) -> str:
        """The source text of a node, for messages."""
        return self.module.code_for_node(node)


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    if isinstance(params.star_arg, cst.Param):
        out.append(params.star_arg)
    if params.star_kwarg is not None:
        out.append(params.star_kwarg)
    return out
