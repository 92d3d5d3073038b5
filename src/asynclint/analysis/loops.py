"""Shared by the concurrency rules: small, bounded looks inside a loop body."""

from __future__ import annotations

from asynclint.lazy import cst


class BodyFacts:
    """What a block does, not counting nested functions and classes (a
    client of `asynclint.rule.walk`: `visit_<Node>` methods, False to skip)."""

    def __init__(self) -> None:
        self.awaits: list[cst.Await] = []
        self.exits = False  # break, continue, return or yield
        self.assigned: set[str] = set()
        self.collects = False  # `x.append(...)`, `x.add(...)`, `x[k] = ...`
        self.async_withs = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        handler = getattr(self, f"visit_{type(node).__name__}", None)
        return handler is None or handler(node) is not False

    def on_leave(self, node: cst.CSTNode) -> None:
        pass

    def visit_FunctionDef(self, _: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, _: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, _: cst.Lambda) -> bool:
        return False

    def visit_Await(self, node: cst.Await) -> None:
        self.awaits.append(node)

    def visit_Break(self, _: cst.Break) -> None:
        self.exits = True

    def visit_Continue(self, _: cst.Continue) -> None:
        self.exits = True

    def visit_Return(self, _: cst.Return) -> None:
        self.exits = True

    def visit_Yield(self, _: cst.Yield) -> None:
        self.exits = True

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            self.async_withs += 1
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                self.assigned.add(item.asname.name.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("append", "add", "extend"):
            self.collects = True

    def _targets(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.assigned.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._targets(element.value)
        elif isinstance(target, cst.Subscript):
            self.collects = True


def body_facts(node: cst.CSTNode) -> BodyFacts:
    from asynclint.rule import walk

    facts = BodyFacts()
    walk(node, facts)
    return facts


def names_in(node: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Collect(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            found.add(name.value)

    node.visit(Collect())
    return found
