"""AL704 (preview): a lazy-loaded relationship, or an attribute expired by a commit, read on an `AsyncSession` object."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from asynclint.diagnostics import Default
from asynclint.knowledge.sqlalchemy import (
    ASYNC_SESSION,
    AWAITABLE_ATTRS,
    DEFAULT_LAZY,
    EXPIRE_ON_COMMIT,
    EXPIRING_SESSION_MAKERS,
    ITERATED,
    LOADER_OPTIONS_METHOD,
    LOADS_WHEN_READ,
    MAPPED_ANNOTATION,
    MAPPED_ATTRIBUTE_FUNCTIONS,
    RELATIONSHIP_FUNCTIONS,
    RESULT_STEPS,
    SELECT_FUNCTIONS,
    SESSION_ADDS,
    SESSION_COMMIT,
    SESSION_GETS,
    SESSION_QUERIES,
    STATEMENT_METHODS,
)
from asynclint.lazy import cst
from asynclint.model.expr import from_ast, from_cst
from asynclint.model.resolve import AT_THE_END, known, one
from asynclint.rule import Rule, walk

# Where the objects the rule follows come from: a statement's class, a get's class, an added object.
_TAKES_AN_OBJECT = SELECT_FUNCTIONS | SESSION_GETS | SESSION_ADDS
_EVERYTHING = "*"  # among the covered names: loader options the rule cannot read, which may load anything


@dataclass(frozen=True)
class _Loaded:
    """What a name holds: a query's result, its scalars, a list of instances or one instance."""

    kind: str  # "result", "scalars", "list" or "object"
    model: str  # the mapped class's qualified name
    covered: frozenset[str]  # the relationships its loader options name
    query: str  # the session call, for the message
    session: str = ""  # the name of the session it came through
    expired: tuple[cst.CSTNode | None, cst.Call] | None = None  # the block of the commit that expired it, and the commit


class LazyLoadInAsyncSession(Rule):
    """
    ## What it does
    Flags reading a relationship attribute (`parent.children`) of a
    project ORM model on an object loaded through an `AsyncSession` query
    in the same coroutine (`await session.execute(select(Parent))` then
    `.scalars().first()`, `.one()`, `.all()` or a loop or comprehension over them,
    `await session.scalar(...)`, `await session.get(Parent, id)`) when the
    relationship is loaded lazily (`relationship(...)` without `lazy=`, or
    `lazy="select"`) and the query has no loader option naming it
    (`.options(selectinload(Parent.children))`, `joinedload`, ...).

    The model may be declared in another module, with
    `Mapped[list["Child"]] = relationship(...)` or a classic
    `relationship("Child")`. The rule stays quiet when it cannot see
    where the object came from, when the relationship loads eagerly
    (`lazy="selectin"`, `"joined"`, `"subquery"`, `"immediate"`), raises
    on its own (`"raise"`), never loads (`"noload"`) or has an API of its
    own (`"dynamic"`, `"write_only"`), when `lazy=` is not a literal, when
    the object was given to an awaited call first (`await
    session.refresh(obj, ["children"])`, a helper that may load it), after
    `await obj.awaitable_attrs.children`, and when a model class declares
    `__mapper_args__`.

    It also flags reading a mapped attribute (a column or relationship) of
    such an object, or of one given to `session.add(...)`, after `await
    session.commit()` in the same block, when the session expires its
    objects on commit: made in the coroutine by `AsyncSession(...)` or by a
    module-level `async_sessionmaker(...)` (of this module or another),
    neither given `expire_on_commit=False` (see AL703), and the object not
    refreshed in between (`await session.refresh(obj)`).

    ## Why is this bad?
    A lazy relationship is loaded by a query the first time it is read.
    An `AsyncSession` cannot run a query implicitly from an attribute
    access: the read raises `sqlalchemy.exc.MissingGreenlet`
    ("greenlet_spawn has not been called; can't call await_only() here").
    SQLAlchemy's asyncio documentation ("Preventing Implicit IO when Using
    AsyncSession", docs.sqlalchemy.org/en/20/orm/extensions/asyncio.html) says to load such relationships eagerly, with a loader
    option or the relationship's `lazy=`, or to await
    `obj.awaitable_attrs.<name>` (`AsyncAttrs`). A commit expires every
    object of the session by default, so that the next read of any of its
    attributes reloads it with a query, which raises the same error; the
    same page advises `expire_on_commit=False`. Tests with objects built in
    memory do not show it: the error comes with the first real query.

    ## Example
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class Parent(Base):
        __tablename__ = "parent"
        id: Mapped[int] = mapped_column(primary_key=True)
        children: Mapped[list["Child"]] = relationship()

    class Child(Base):
        __tablename__ = "child"
        id: Mapped[int] = mapped_column(primary_key=True)
        parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))

    async def child_count(session: AsyncSession, parent_id: int) -> int:
        result = await session.execute(select(Parent).where(Parent.id == parent_id))
        parent = result.scalars().one()
        return len(parent.children)
    ```

    ## Use instead
    ```python
    from sqlalchemy import ForeignKey, select
    from sqlalchemy.ext.asyncio import AsyncSession
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, selectinload

    class Base(DeclarativeBase):
        pass

    class Parent(Base):
        __tablename__ = "parent"
        id: Mapped[int] = mapped_column(primary_key=True)
        children: Mapped[list["Child"]] = relationship()

    class Child(Base):
        __tablename__ = "child"
        id: Mapped[int] = mapped_column(primary_key=True)
        parent_id: Mapped[int] = mapped_column(ForeignKey("parent.id"))

    async def child_count(session: AsyncSession, parent_id: int) -> int:
        statement = select(Parent).where(Parent.id == parent_id).options(selectinload(Parent.children))
        parent = (await session.execute(statement)).scalars().one()
        return len(parent.children)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL704"
    name = "lazy-load-in-async-session"
    summary = "lazy-loaded relationship, or attribute expired by a commit, read on an `AsyncSession` object (`MissingGreenlet`)"
    default = Default.PREVIEW
    triggers = (rb"await\s[^\n]*\.(?:execute|get|get_one|scalars?)\(",)

    first_look_nodes = (ast.Call,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # an awaited query of an AsyncSession, and in async code a `select(X)`, `session.get(X, ...)`
        # or `session.add(x)` whose X the model can name: the objects the rule follows come from those
        if not look.may_call(frozenset(SESSION_QUERIES), lambda call: call.in_async and call.awaited):
            return False
        for node, scope, in_async in look.nodes_of(ast.Call):
            if not in_async or not node.args or not look.may_call_one_of(scope, from_ast(node.func), _TAKES_AN_OBJECT):
                continue
            first = from_ast(node.args[0])
            if known(look.resolver.resolve(scope, first)) or known(look.resolver.value_type(scope, first)):
                return True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None:
            return
        key = self.ctx.def_keys.get(id(node))
        if key is not None and key in self.ctx.model.scopes:
            walk(node.body, _Function(self, key))

    # ------------------------------------------------------------ what the model says
    def resolve(self, key: str, expr: cst.BaseExpression) -> str | None:
        return one(self.ctx.resolver.resolve(key, from_cst(expr), AT_THE_END))

    def callee(self, key: str, call: cst.Call) -> str | None:
        expr = from_cst(call)
        return one(self.ctx.resolver.callee(key, expr, AT_THE_END)) if expr is not None else None

    def _declared(self, model: str, attr: str):
        """Where a project model class declares an attribute in its body (or a
        base's), and how: (resolver, class key, the bound value) or None."""
        resolver = self.ctx.resolver
        home = resolver.home(model)
        if home is None or home[1] not in home[0].model.classes:
            return None
        declaring, key = home
        if isinstance(declaring.owner(key, "__mapper_args__"), tuple):
            return None
        owner = declaring.owner(key, attr)
        if not isinstance(owner, tuple):
            return None
        declaring, key = owner
        bounds = declaring.model.classes[key].attributes.get(attr, [])
        if len(bounds) != 1 or bounds[0][0] != key:
            return None
        return declaring, key, bounds[0][1]

    def lazy_relationship(self, model: str, attr: str) -> str | None:
        """The class declaring `attr` as a relationship loaded when read, if
        `model` is a project class where it is one (see the docstring)."""
        found = self._declared(model, attr)
        if found is None:
            return None
        declaring, key, bound = found
        value = bound[2] if bound[0] == "annotated" else bound[1]
        if value is None or value[0] != "call":
            return None
        if one(declaring.resolve(key, value[1], bound[-1])) not in RELATIONSHIP_FUNCTIONS:
            return None
        given = declaring.model.keywords.get(f"{key}.{attr}", [])
        if len(given) != 1 or "**" in given[0]:
            return None
        lazy = given[0].get("lazy", DEFAULT_LAZY)
        return f"{declaring.prefix}.{key}" if lazy in LOADS_WHEN_READ else None

    def mapped_attribute(self, model: str, attr: str) -> bool:
        """Whether `attr` is a column or relationship a project model maps (`mapped_column(...)`,
        `Column(...)`, `relationship(...)`, or an annotation `Mapped[...]`)."""
        found = self._declared(model, attr)
        if found is None:
            return False
        declaring, key, bound = found
        value = bound[2] if bound[0] == "annotated" else bound[1]
        if value is not None and value[0] == "call":
            return one(declaring.resolve(key, value[1], bound[-1])) in MAPPED_ATTRIBUTE_FUNCTIONS
        annotation = bound[1] if bound[0] == "annotated" else None
        return (
            value is None and annotation is not None and annotation[0] == "subscript"
            and one(declaring.resolve(key, annotation[1], bound[-1])) == MAPPED_ANNOTATION
        )

    def expires_on_commit(self, key: str, call: cst.Call) -> str | None:
        """How a call makes a session that expires its objects on commit
        (`AsyncSession(engine)`, `SessionLocal()` of a module-level
        `async_sessionmaker(engine)`), for the message: None when it does not, or it cannot be told."""
        callee = self.callee(key, call)
        if callee not in EXPIRING_SESSION_MAKERS or any(arg.star for arg in call.args):
            return None
        if any(arg.keyword is not None and arg.keyword.value == EXPIRE_ON_COMMIT for arg in call.args):
            return None
        if callee == ASYNC_SESSION:
            return f"`{self.ctx.code_for(call.func)}(...)` without `{EXPIRE_ON_COMMIT}=False`"
        if not isinstance(call.func, cst.Name):
            return None
        given = self._factory_keywords(key, call.func.value)
        if given is None or len(given) != 1 or EXPIRE_ON_COMMIT in given[0] or "**" in given[0]:
            return None
        return f"`{call.func.value}`, made without `{EXPIRE_ON_COMMIT}=False`"

    def _factory_keywords(self, key: str, name: str) -> list[dict] | None:
        """The keywords a module-level factory's call was given (this module's or an imported one)."""
        resolver = self.ctx.resolver
        if name in resolver.model.scopes[key].bindings:
            return None
        binding = resolver.binding(key, name, AT_THE_END)
        if binding is not None and binding.kind == "import":
            home = resolver.home(binding.target)
            return home[0].model.keywords.get(home[1]) if home is not None and home[1] else None
        if name in resolver.model.scopes[""].bindings:
            return resolver.model.keywords.get(name)
        return None


class _Function:
    """One walk of an `async def`'s own code (nested defs, lambdas and classes
    left out), in source order: what each name holds as it is bound, and the
    relationship reads on the objects followed."""

    def __init__(self, rule: LazyLoadInAsyncSession, key: str) -> None:
        self.rule = rule
        self.key = key
        self.bindings = rule.ctx.model.scopes[key].bindings
        self.held: dict[str, _Loaded] = {}  # name -> what it holds
        self.statements: dict[str, list[cst.BaseExpression]] = {}  # name -> the values assigned to it so far
        self.reported: set[tuple[str, str]] = set()
        self.stack: list[cst.CSTNode] = []
        self.expiring: dict[str, str] = {}  # session name -> how it comes to expire its objects on commit

    # ------------------------------------------------------------ walk
    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack.append(node)
        kind = type(node)
        if kind in (cst.FunctionDef, cst.Lambda, cst.ClassDef):
            return False
        if kind is cst.For:
            self._for(node.target, node.iter)
        elif kind in (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp):
            for_in = node.for_in  # bound before its element is evaluated, which libcst visits first
            while for_in is not None:
                self._for(for_in.target, for_in.iter)
                for_in = for_in.inner_for_in
        elif kind is cst.WithItem:
            self._session(node.asname.name if node.asname is not None else None, node.item)
        elif kind is cst.Call:
            self._added(node)
        elif kind is cst.Attribute:
            self._read(node)
        elif kind is cst.Await and isinstance(node.expression, cst.Call):
            self._awaited(node.expression)
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        self.stack.pop()
        if type(node) is cst.Assign:
            self._assigned(node)

    # ------------------------------------------------------------ bindings
    def _bound_once(self, name: str) -> bool:
        return len(self.bindings.get(name, ())) == 1

    def _assigned(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if not isinstance(target, cst.Name):
            for assign_target in node.targets:
                for name in _names(assign_target.target):
                    self.held.pop(name, None)
            return
        name = target.value
        self.statements.setdefault(name, []).append(node.value)
        self._session(target, node.value)
        loaded = self._value(node.value) if self._bound_once(name) else None
        if loaded is not None:
            self.held[name] = loaded
        else:
            self.held.pop(name, None)

    def _for(self, target: cst.BaseExpression, iterated: cst.BaseExpression) -> None:
        """A `for` or comprehension target: an instance when it iterates over a query's instances."""
        if not isinstance(target, cst.Name):
            return
        name = target.value
        source = self._value(iterated)
        kind = ITERATED.get(source.kind) if source is not None else None
        if kind is not None and self._bound_once(name):
            self.held[name] = replace(source, kind=kind)
        else:
            self.held.pop(name, None)

    # ------------------------------------------------------------ values
    def _value(self, expr: cst.BaseExpression) -> _Loaded | None:
        """What an expression gives: an awaited session query, a step on a result, a name that holds one."""
        if isinstance(expr, cst.Name):
            return self.held.get(expr.value)
        if isinstance(expr, cst.Await) and isinstance(expr.expression, cst.Call):
            return self._query(expr.expression)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and not expr.args:
            base = self._value(expr.func.value)
            kind = RESULT_STEPS.get((base.kind, expr.func.attr.value)) if base is not None else None
            return replace(base, kind=kind) if kind is not None else None
        return None

    def _query(self, call: cst.Call) -> _Loaded | None:
        callee = self.rule.callee(self.key, call)
        kind = SESSION_QUERIES.get(callee)
        positional = [arg for arg in call.args if arg.keyword is None]
        if kind is None or not positional or positional[0].star:
            return None
        if callee in SESSION_GETS:
            model = self._model(positional[0].value)
            options = next((arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value == "options"), None)
            if isinstance(options, (cst.List, cst.Tuple)):
                covered = _named_in([_as_argument(element) for element in options.elements])
            else:
                covered = frozenset({_EVERYTHING}) if options is not None else frozenset()
            selected = (model, covered) if model is not None else None
        else:
            selected = self._statement(positional[0].value, frozenset())
        if selected is None:
            return None
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        session = receiver.value if isinstance(receiver, cst.Name) else ""
        return _Loaded(kind, selected[0], selected[1], self.rule.ctx.code_for(call.func), session)

    def _statement(self, expr: cst.BaseExpression, seen: frozenset[str]) -> tuple[str, frozenset[str]] | None:
        """The mapped class a `select(...)` statement selects, and the names its
        loader options mention. A name assigned statements that build on it
        (`query = query.where(...)`) selects what all its values select ("" in
        the inner answers: whatever the name holds), with all their options."""
        if isinstance(expr, cst.Name):
            name = expr.value
            if name in seen:
                return "", frozenset()
            values = self.statements.get(name)
            if not values or {bound[0] for bound in self.bindings.get(name, ())} != {"value"}:
                return None
            found = [self._statement(value, seen | {name}) for value in values]
            if None in found:
                return None
            models = {model for model, _ in found if model}
            return (models.pop(), frozenset().union(*(names for _, names in found))) if len(models) == 1 else None
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in STATEMENT_METHODS:
            inner = self._statement(func.value, seen)
            if inner is None or func.attr.value != LOADER_OPTIONS_METHOD:
                return inner
            return inner[0], inner[1] | _named_in(expr.args)
        positional = [arg for arg in expr.args if arg.keyword is None]
        if self.rule.callee(self.key, expr) not in SELECT_FUNCTIONS or len(positional) != 1 or positional[0].star:
            return None
        model = self._model(positional[0].value)
        return (model, frozenset()) if model is not None else None

    def _model(self, expr: cst.BaseExpression) -> str | None:
        """The project class an expression names."""
        name = self.rule.resolve(self.key, expr)
        home = self.rule.ctx.resolver.home(name) if name is not None else None
        return name if home is not None and home[1] in home[0].model.classes else None

    # ------------------------------------------------------------ sessions
    def _session(self, target: cst.BaseExpression | None, value: cst.BaseExpression) -> None:
        """`async with SessionLocal() as session`, `session = AsyncSession(engine)`: whether it expires on commit."""
        if not isinstance(target, cst.Name):
            return
        how = self.rule.expires_on_commit(self.key, value) if isinstance(value, cst.Call) else None
        if how is not None and self._bound_once(target.value):
            self.expiring[target.value] = how
        else:
            self.expiring.pop(target.value, None)

    def _added(self, call: cst.Call) -> None:
        """`session.add(obj)`: the object is the session's, and expired by its commit."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)) or len(call.args) != 1:
            return
        obj = call.args[0].value
        if not isinstance(obj, cst.Name) or obj.value in self.held or not self._bound_once(obj.value):
            return
        if self.rule.callee(self.key, call) not in SESSION_ADDS:
            return
        model = one(self.rule.ctx.resolver.value_type(self.key, ("name", obj.value), AT_THE_END))
        if model is not None:  # pending, its relationships are not loaded from the database
            self.held[obj.value] = _Loaded("object", model, frozenset({_EVERYTHING}), "", func.value.value)

    # ------------------------------------------------------------ uses
    def _awaited(self, call: cst.Call) -> None:
        """An object given to an awaited call may be loaded there (`session.refresh(obj, [...])`):
        no longer followed. A commit of a session that expires on commit expires its objects."""
        for arg in call.args:
            if isinstance(arg.value, cst.Name):
                self.held.pop(arg.value.value, None)
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return
        session = func.value.value
        if session not in self.expiring or self.rule.callee(self.key, call) != SESSION_COMMIT:
            return
        block = next((node for node in reversed(self.stack) if isinstance(node, cst.IndentedBlock)), None)
        for name, loaded in list(self.held.items()):
            if loaded.session == session and loaded.kind == "object" and loaded.expired is None:
                self.held[name] = replace(loaded, expired=(block, call))

    def _read(self, node: cst.Attribute) -> None:
        value = node.value
        if isinstance(value, cst.Attribute) and value.attr.value == AWAITABLE_ATTRS and isinstance(value.value, cst.Name):
            loaded = self.held.get(value.value.value)
            if loaded is not None:  # `await obj.awaitable_attrs.children`: loaded from here on
                self.held[value.value.value] = replace(loaded, covered=loaded.covered | {node.attr.value})
            return
        if not isinstance(value, cst.Name):
            return
        name, attr = value.value, node.attr.value
        loaded = self.held.get(name)
        if loaded is None or loaded.kind != "object" or (name, attr) in self.reported or self._assigned_to(node):
            return
        if loaded.expired is not None and self._after_commit(node, name, attr, loaded):
            return
        if _EVERYTHING in loaded.covered or attr in loaded.covered:
            return
        declared = self.rule.lazy_relationship(loaded.model, attr)
        if declared is None:
            return
        self.reported.add((name, attr))
        model = loaded.model.rpartition(".")[2]
        self.rule.report(
            node,
            f"`{name}.{attr}` is a relationship of `{declared}` loaded lazily, and `{name}` comes "
            f"from `{loaded.query}` without a loader option for it: reading it needs a query an `AsyncSession` "
            f"cannot run implicitly (`MissingGreenlet`); add `.options(selectinload({model}.{attr}))` to the "
            f"query, declare it with `lazy=\"selectin\"`, or `await {name}.awaitable_attrs.{attr}`",
        )

    def _after_commit(self, node: cst.Attribute, name: str, attr: str, loaded: _Loaded) -> bool:
        """A mapped attribute read after the commit that expired the object, in the commit's block: reported."""
        block, commit = loaded.expired
        if block is None or not any(parent is block for parent in self.stack):
            return False
        if not self.rule.mapped_attribute(loaded.model, attr):
            return False
        self.reported.add((name, attr))
        self.rule.report(
            node,
            f"`{name}.{attr}` is read after `{self.rule.ctx.code_for(commit.func)}()` (line {{related_line}}), "
            f"which expired `{name}`: the session comes from {self.expiring[loaded.session]}, so the read "
            f"reloads the object with a query an `AsyncSession` cannot run implicitly (`MissingGreenlet`); "
            f"read it before the commit, `await {loaded.session}.refresh({name})` after it, or give the factory "
            f"`expire_on_commit=False`",
            related=commit,
        )
        return True

    def _assigned_to(self, node: cst.Attribute) -> bool:
        parent = self.stack[-2] if len(self.stack) > 1 else None
        return isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.Del)) and getattr(parent, "target", None) is node


def _named_in(args) -> frozenset[str]:
    """The relationship names loader options mention (`selectinload(Parent.children)`,
    `joinedload(A.b).selectinload(B.c)`, `"children"`); everything when an option
    holds what the rule cannot read (a name, `*options`, `Load(Parent)`)."""
    names: set[str] = set()
    pending = list(args)
    while pending:
        arg = pending.pop()
        value = arg.value
        if arg.star or not isinstance(value, cst.Call):
            return frozenset({_EVERYTHING})
        if isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Call):
            pending.append(cst.Arg(value.func.value))  # a chained option
        for inner in value.args:
            if isinstance(inner.value, cst.Attribute):
                names.add(inner.value.attr.value)
            elif isinstance(inner.value, cst.SimpleString) and isinstance(inner.value.evaluated_value, str):
                names.add(inner.value.evaluated_value)
            elif isinstance(inner.value, cst.Call) and inner.keyword is None:
                pending.append(inner)
            elif inner.keyword is None:
                return frozenset({_EVERYTHING})
    return frozenset(names)


def _as_argument(element: cst.BaseElement) -> cst.Arg:
    return cst.Arg(element.value, star="*" if isinstance(element, cst.StarredElement) else "")


def _names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _names(element.value)]
    return []
