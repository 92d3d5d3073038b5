"""AL002: a `# noqa: ALnnn` code that suppresses nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from asynclint.diagnostics import Applicability, FixClass
from asynclint.lazy import cst
from asynclint.rule import NodeFix, Report, Rule
from asynclint.suppression import NOQA


@dataclass
class NoqaComment:
    node: cst.Comment
    parent: cst.CSTNode | None
    statement: cst.CSTNode | None
    codes: list[str]


class UnusedNoqa(Rule):
    """
    ## What it does
    Flags a code in a `# noqa: AL...` comment that suppressed nothing in this
    run: the finding it once silenced is gone (fixed, or the code moved), or
    the code does not exist. Codes of other tools, codes of rules not enabled
    for the file, and a bare `# noqa` are left alone.

    ## Why is this bad?
    A stale suppression silences the next, real finding on that line without
    anyone noticing, and tells readers the line has a problem it no longer
    has.

    ## Example
    ```python
    import asyncio

    async def pause():
        await asyncio.sleep(1)  # noqa: AL102
    ```

    ## Use instead
    ```python
    import asyncio

    async def pause():
        await asyncio.sleep(1)
    ```

    ## Fix safety
    Safe: removing a code that suppresses nothing changes no finding; the
    comment goes away when no code is left, other tools' codes and any text
    around them are kept.
    """

    code = "AL002"
    name = "unused-noqa"
    summary = "`# noqa` code that suppresses nothing"
    fix_class = FixClass.SAFE
    triggers = (rb"[nN][oO][qQ][aA][^\n]*AL[0-9]",)
    triggered_is_enough = "comments are all it reads, and its trigger finds the `# noqa` comments that name our codes"

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.comments: list[NoqaComment] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        match = NOQA.search(node.value)
        if match is None or not match.group("codes"):
            return
        codes = [c.upper() for c in re.split(r"[\s,]+", match.group("codes")) if c]
        if any(code.startswith("AL") for code in codes):
            self.comments.append(NoqaComment(node, self.ctx.parent(node), self.ctx.statement, codes))

    def unused(self, line_of, used: set[tuple[int, str]], enabled: set[str], known: set[str]) -> list[Report]:
        """Reports for codes no finding on their line used; `line_of(node)` gives a comment's line."""
        reports = []
        for comment in self.comments:
            line = line_of(comment.node)
            unused = [
                code
                for code in comment.codes
                if code.startswith("AL") and (code in enabled or code not in known) and (line, code) not in used
            ]
            if not unused:
                continue
            unknown = [c for c in unused if c not in known]
            what = "unknown rule code" if unknown == unused else "unused suppression"
            message = f"{what} in `# noqa`: {', '.join(unused)}"
            reports.append(Report(self.code, comment.node, message, self._fix(comment, unused), None, comment.statement))
        return reports

    @staticmethod
    def _fix(comment: NoqaComment, unused: list[str]) -> NodeFix | None:
        text = comment.node.value
        match = NOQA.search(text)
        kept = [c for c in comment.codes if c not in unused]
        if kept:
            new_text = text[: match.start("codes")] + ", ".join(kept) + text[match.end("codes") :]
            return NodeFix(Applicability.SAFE, "Remove unused codes", ((comment.node, comment.node.with_changes(value=new_text)),))
        before = text[: match.start()].rstrip()
        if before and before != "#":
            return NodeFix(Applicability.SAFE, "Remove the unused `# noqa`", ((comment.node, comment.node.with_changes(value=before)),))
        parent = comment.parent
        if isinstance(parent, cst.TrailingWhitespace):
            bare = parent.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
            return NodeFix(Applicability.SAFE, "Remove the unused `# noqa`", ((parent, bare),))
        if isinstance(parent, cst.EmptyLine):
            return NodeFix(Applicability.SAFE, "Remove the unused `# noqa`", ((parent, cst.RemovalSentinel.REMOVE),))
        return None
