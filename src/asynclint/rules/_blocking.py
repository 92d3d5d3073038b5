"""Shared logic of the blocking-call rules (AL101-AL108, AL110).

Each rule only names its code; which callables block lives in
`asynclint.knowledge.blocking`. A call is reported when it is made in async
context, resolves to a table entry of the rule's code, and is not directly
awaited (an awaited sync call is AL202's finding, which says more).
"""

from __future__ import annotations

from asynclint.analysis.blocking import blocking_entry, display_name
from asynclint.lazy import cst
from asynclint.rule import Rule


class BlockingCallRule(Rule):
    """Base class; subclasses set code, name, summary and the docstring."""

    verb = "blocks the event loop"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        wanted = lookups.blocking(frozenset({cls.code}))
        return facts.has_async and facts.may_call(wanted, lambda call: call.in_async and not call.awaited)

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        if not ctx.in_async:
            return
        found = blocking_entry(ctx, node)
        if found is None or found[1].code != self.code or ctx.is_awaited(node):
            return
        qualname, entry = found
        message = f"{display_name(ctx, node, qualname)} {self.verb}; {entry.advice_for(ctx.library)}"
        self.report(node, message, self.fix_for(node))

    def fix_for(self, node: cst.Call):
        """A fix for the call, for rules that have one."""
        return None
