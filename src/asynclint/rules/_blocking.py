"""Shared logic of the blocking-call rules (AL101-AL108, AL110, AL111) and
of the rules that follow chains of sync project helpers (AL109, AL111).

Each rule only names its code; which callables block lives in
`asynclint.knowledge.blocking`. A call is reported when it is made in async
context, resolves to a table entry of the rule's code, and is not directly
awaited (an awaited sync call is AL202's finding, which says more): the
rule's call pattern, from which its first look comes too.

A chain (`verify_password -> bcrypt.checkpw`) is found once, by the project
(`Project.blocking_chain`), and reported by one rule: the one that owns the
code of the blocking call it ends at (`ChainRule.reports_chain_to`), so a
call is never reported twice.
"""

from __future__ import annotations

from asynclint.analysis.blocking import display_name
from asynclint.knowledge import blocking
from asynclint.lazy import cst
from asynclint.model.facts import CallSite
from asynclint.rule import CallPattern, Report, Rule


def in_async_not_awaited(call: CallSite) -> bool:
    return call.in_async and not call.awaited and not call.unblocked


class BlockingCallRule(Rule):
    """Base class; subclasses set code, name, summary and the docstring."""

    verb = "blocks the event loop"

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.calls = CallPattern(blocking=frozenset({cls.code}), where=in_async_not_awaited)

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        ctx = self.ctx
        entry = blocking.lookup(callee, ctx.settings.blocking_extras() if ctx.settings is not None else None)
        message = f"{display_name(ctx, node, callee)} {self.verb}; {entry.advice_for(ctx.library)}"
        self.report(node, message, self.fix_for(node))

    def fix_for(self, node: cst.Call):
        """A fix for the call, for rules that have one."""
        return None


def may_reach_blocking(facts, lookups) -> bool:
    """The first look of a chain rule: a call from async code into a sync
    function, here or in another module, that may block, or an attribute
    read or assignment there that may run a property getter or setter that
    may block, or a plain `with` whose `__enter__` may block."""
    candidates = [call for call in facts.calls if call.in_async and not call.awaited]
    if any(lookups.reaches_blocking(target) for call in candidates for target in facts.targets(call)):
        return True
    run = facts.getters() | facts.setters() | facts.entered()
    return any(lookups.reaches_blocking(function) for function in run)


def shown_chain(ctx, written: cst.CSTNode, chain) -> str:
    """A chain for a message: what the code wrote (when it says more than the
    first step), the functions on the way, and the call at the end, with its place."""
    steps, end = chain
    code = ctx.code_for(written)
    shown = [code] if code != steps[0] and len(code) <= 60 and "\n" not in code else []
    names = " -> ".join([*shown, *(step.replace(":", ".") for step in steps), end.name])
    return f"{names} ({end.path}:{end.line})"


class ChainRule(Rule):
    """Reports calls, in async context, of sync project functions that reach
    a blocking call whose code `reports_chain_to` accepts (see `finish`)."""

    # What the message says of the blocking call at the end, and what to do.
    consequence = "which blocks the event loop; run it with `await asyncio.to_thread(...)` or make the chain async"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        return may_reach_blocking(facts, lookups)

    def reports_chain_to(self, code: str | None) -> bool:
        """Whether a chain ending at a blocking call of this code is this rule's."""
        raise NotImplementedError

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (the call, attribute read or assignment, what it does, the function it runs, its statement)
        self.candidates: list[tuple[cst.Call | cst.Attribute, str, str, cst.CSTNode | None]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.in_async and not self.ctx.is_awaited(node):
            callee = self.ctx.callee(node)
            if callee is not None and not callee.startswith("builtins."):
                self.candidates.append((node, "calls", callee, self.ctx.statement))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.ctx.in_async and self.ctx.model.enters and not self.ctx.parent().asynchronous:
            enter = self.ctx.entered(node.item)
            if enter is not None:
                self.candidates.append((node.item, "enters", enter, self.ctx.statement))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.ctx.in_async or not (self.ctx.model.reads or self.ctx.model.writes):
            return
        parent = self.ctx.parent()
        if type(parent) is cst.Call and parent.func is node:
            return  # a call: visit_Call's
        if type(parent) in (cst.AssignTarget, cst.AnnAssign, cst.AugAssign) and parent.target is node:
            accessor, does = self.ctx.setter(node), "sets"
        else:
            accessor, does = self.ctx.getter(node), "reads"
        if accessor is not None:
            self.candidates.append((node, does, accessor, self.ctx.statement))

    def finish(self) -> None:
        project = self.ctx.project
        if project is None:
            return
        extras = self.ctx.settings.blocking_extras() if self.ctx.settings is not None else None
        for node, does, callee, statement in self.candidates:
            chain = project.blocking_chain(callee, self.ctx.path)
            if not chain:
                continue
            entry = blocking.lookup(chain[1].qualname, extras)
            if not self.reports_chain_to(entry.code if entry is not None else None):
                continue
            written = node.func if does == "calls" else node
            message = f"{does} {shown_chain(self.ctx, written, chain)}, {self.consequence}"
            self.reports.append(Report(self.code, node, message, None, None, statement))
