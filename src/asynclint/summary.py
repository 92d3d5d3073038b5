"""What whole-project analysis needs to know about one module, collected in
the same traversal as the rules: its functions, whether each is async, the
calls each makes (resolved names), and the blocking calls each makes
directly, with lines."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from asynclint.rules._blocking import blocking_entry


@dataclass
class FunctionSummary:
    name: str  # relative to the module: `helper`, `Client.fetch`
    is_async: bool
    line: int = 0
    calls: list[str] = field(default_factory=list)  # resolved names of what it calls
    blocking: list[tuple[str, str, int]] = field(default_factory=list)  # (qualname, code, line)


@dataclass
class FileSummary:
    path: str
    module: str
    functions: dict[str, FunctionSummary] = field(default_factory=dict)


def relative_name(ctx, function: cst.FunctionDef) -> str | None:
    """`helper` or `Client.fetch` for module-level functions and methods; None
    for nested defs. Works before and after the function's own frame is entered."""
    scopes = [f for f in ctx.frames[1:] if f.node is not function]
    if not scopes:
        return function.name.value
    if len(scopes) == 1 and scopes[0].kind == "class":
        return f"{scopes[0].node.name.value}.{function.name.value}"
    return None


def absolute(ctx, qualname: str) -> str:
    """Resolve a relative import target (`..utils.helper`) against the module's package."""
    if not qualname.startswith("."):
        return qualname
    dots = len(qualname) - len(qualname.lstrip("."))
    package = ctx.module_name.split(".")
    if not ctx.path.endswith("__init__.py"):
        package = package[:-1]
    base = package[: len(package) - (dots - 1)] if dots > 1 else package
    rest = qualname[dots:]
    return ".".join([*base, rest]) if rest else ".".join(base)


class SummaryCollector:
    """Fed by a rule's visits; builds the FileSummary of the file being checked."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.summary = FileSummary(ctx.path, ctx.module_name)
        # (function summary, index into its blocking calls or -1 for its def, node, statement)
        self.pending_lines: list[tuple[FunctionSummary, int, cst.CSTNode, cst.CSTNode | None]] = []

    def function_entered(self, node: cst.FunctionDef) -> None:
        name = relative_name(self.ctx, node)
        if name is not None:
            summary = FunctionSummary(name, node.asynchronous is not None)
            self.summary.functions[name] = summary
            stack = self.ctx.node_stack
            self.pending_lines.append((summary, -1, node.name, stack[1] if len(stack) > 1 else None))

    def call_seen(self, node: cst.Call) -> None:
        function = self.ctx.function
        if function is None:
            return
        name = relative_name(self.ctx, function)
        summary = self.summary.functions.get(name) if name else None
        if summary is None:
            return
        callee = self.ctx.callee(node)
        if callee is None:
            return
        stack = self.ctx.node_stack
        statement = stack[1] if len(stack) > 1 else None
        found = blocking_entry(self.ctx, node)
        if found is not None:
            summary.blocking.append((found[0], found[1].code, 0))
            self.pending_lines.append((summary, len(summary.blocking) - 1, node, statement))
        else:
            summary.calls.append(absolute(self.ctx, callee))

    def finish(self, positions_for) -> FileSummary:
        """Fill in lines (positions are computed for these nodes only) and return the summary."""
        if self.pending_lines:
            positions = positions_for(self.ctx.module, [(node, stmt) for _, _, node, stmt in self.pending_lines])
            for summary, index, node, _ in self.pending_lines:
                line = positions[node].start.line
                if index < 0:
                    summary.line = line
                else:
                    qualname, code, _ = summary.blocking[index]
                    summary.blocking[index] = (qualname, code, line)
        return self.summary
