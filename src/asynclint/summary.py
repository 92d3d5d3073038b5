"""What whole-project analysis needs to know about one module, collected in
the same traversal as the rules: its functions, whether each is async, the
calls each makes (resolved names), and the blocking calls each makes
directly.

Line numbers are found one at a time, only when a finding shows them
(`line_of`): computing positions costs more than the parse, and most
summaries are never shown to anyone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from asynclint.analysis.blocking import CHAIN_CODES, blocking_entry
from asynclint.analysis.coroutines import returns_coroutine
from asynclint.lazy import cst
from asynclint.modules import absolute_in
from asynclint.positions import positions_for


@dataclass
class FunctionSummary:
    name: str  # relative to the module: `helper`, `Client.fetch`
    is_async: bool
    returns_coroutine: bool = False  # an `async def` that is not a generator and keeps its decorators' promise
    line: int = 0
    calls: list[str] = field(default_factory=list)  # resolved names of what it calls
    blocking: list[tuple[str, int]] = field(default_factory=list)  # (blocking callable, line)


@dataclass
class FileSummary:
    path: str
    module: str
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    # Finds a line not known yet (0): (function, index of a blocking call or -1 for the def) -> line
    locate: Callable[[str, int], int] | None = None

    def line_of(self, name: str, index: int = -1) -> int:
        """The line of a function's def, or of one of its blocking calls."""
        function = self.functions[name]
        line = function.line if index < 0 else function.blocking[index][1]
        if line == 0 and self.locate is not None:
            line = self.locate(name, index)
            if index < 0:
                function.line = line
            else:
                function.blocking[index] = (function.blocking[index][0], line)
        return line

    def facts(self) -> list:
        """What other modules can learn from this one, lines left out."""
        return [
            [f.name, f.is_async, f.returns_coroutine, f.calls, [name for name, _ in f.blocking]]
            for f in self.functions.values()
        ]

    def digest(self) -> str:
        """Changes only when the facts change (not when a comment or a line shifts)."""
        return hashlib.sha256(json.dumps(self.facts()).encode()).hexdigest()[:32]

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "module": self.module,
            "facts": self.facts(),
            "lines": [[f.line, [line for _, line in f.blocking]] for f in self.functions.values()],
        }

    @classmethod
    def from_json(cls, data: dict, locate: Callable[[str, int], int]) -> FileSummary:
        """A stored summary (lines not known then are 0); `locate` finds those."""
        summary = cls(data["path"], data["module"], locate=locate)
        for (name, is_async, gives_coroutine, calls, blocking), (line, blocking_lines) in zip(data["facts"], data["lines"]):
            summary.functions[name] = FunctionSummary(
                name, is_async, gives_coroutine, line, list(calls), list(zip(blocking, blocking_lines))
            )
        return summary


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
    return absolute_in(ctx.module_name, ctx.path.endswith("__init__.py"), qualname)


class SummaryCollector:
    """Fed by a rule's visits; builds the FileSummary of the file being traversed."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.summary = FileSummary(ctx.path, ctx.module_name)
        # Where lines will come from: (function, index into its blocking calls or -1 for its def, node, statement).
        self.nodes: list[tuple[FunctionSummary, int, cst.CSTNode, cst.CSTNode | None]] = []

    def _statement(self) -> cst.CSTNode | None:
        return self.ctx.statement

    def function_entered(self, node: cst.FunctionDef) -> None:
        name = relative_name(self.ctx, node)
        if name is not None:
            summary = FunctionSummary(name, node.asynchronous is not None)
            summary.returns_coroutine = returns_coroutine(self.ctx, node) if summary.is_async else False
            self.summary.functions[name] = summary
            self.nodes.append((summary, -1, node.name, self._statement()))

    def call_seen(self, node: cst.Call) -> None:
        function = self.ctx.function
        name = relative_name(self.ctx, function) if function is not None else None
        summary = self.summary.functions.get(name) if name else None
        if summary is None:
            return
        found = blocking_entry(self.ctx, node)
        if found is not None and found[1].code in CHAIN_CODES:
            summary.blocking.append((found[0], 0))
            self.nodes.append((summary, len(summary.blocking) - 1, node, self._statement()))
            return
        callee = self.ctx.callee(node)
        if callee is not None:
            summary.calls.append(absolute(self.ctx, callee))

    def locate(self, name: str, index: int) -> int:
        """A line from the live tree (see `FileSummary.locate`): positions for this one node."""
        function = self.summary.functions[name]
        for owner, at, node, statement in self.nodes:
            if owner is function and at == index:
                return positions_for(self.ctx.module, [(node, statement)], self.ctx.text)[node].start.line
        return 0
