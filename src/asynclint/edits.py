"""Fixes as code: a rule's `NodeFix` applied to the tree, and as the text
edits between the old and new source (JSON output, editors).

Both the engine (spelling fixes out) and the fixer (applying them) need
this, so it is a module of its own that imports neither. It is not in
`rule.py`: every rule imports that before anything is parsed, and this
module needs libcst itself (a transformer class, the codemod's import adder).
The import adder comes with libcst's codemod package, whose import costs
more than a whole small run: it is imported by the first fix that adds an
import, not by a run that only reports.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from asynclint.diagnostics import Edit, Position
from asynclint.lazy import cst
from asynclint.rule import DESCEND, DESCEND_ALL, NodeFix, trivia, walk


class _Replace(cst.CSTTransformer):
    """Replaces original nodes by identity; an outer replacement wins. With
    `paths` (the ids of the replaced nodes and of the nodes above them) it
    rebuilds only those, not every node it passes."""

    def __init__(self, replacements: dict[int, object], paths: set[int] | None = None) -> None:
        super().__init__()
        self.replacements = replacements
        self.paths = paths
        self.replaced = 0

    def on_visit(self, node) -> bool:
        return self.paths is None or id(node) in self.paths

    def on_leave(self, original_node, updated_node):
        replacement = self.replacements.get(id(original_node))
        if replacement is None:
            return updated_node
        self.replaced += 1
        return replacement


def apply_node_fixes(module: cst.Module, fixes: list[NodeFix]) -> cst.Module:
    """The module with the fixes' replacements made and their imports added."""
    replacements: dict[int, object] = {}
    for fix in fixes:
        for original, replacement in fix.replacements:
            replacements[id(original)] = replacement
    fixed = module.visit(_Replace(replacements))
    imports = [spec for fix in fixes for spec in fix.imports]
    return _with_imports(fixed, imports) if imports else fixed


def _with_imports(module: cst.Module, imports) -> cst.Module:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    context = CodemodContext()
    for spec in imports:
        if isinstance(spec, tuple):
            AddImportsVisitor.add_needed_import(context, spec[0], spec[1])
        else:
            AddImportsVisitor.add_needed_import(context, spec)
    return AddImportsVisitor(context).transform_module(module)


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest line-level edits that turn `old` into `new` (1-based, end exclusive)."""
    import difflib  # fixes spelled out as edits only: --fix writes the fixed text

    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(Edit(Position(i1 + 1, 1), Position(i2 + 1, 1), "".join(new_lines[j1:j2])))
    return tuple(edits)


def fix_edits(module: cst.Module, fix: NodeFix) -> tuple[Edit, ...]:
    """A single fix as text edits."""
    return edits_between(module.code, apply_node_fixes(module, [fix]).code)



_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass
class Layout:
    """Where each top-level statement's code lies in a module's text, found
    once per text (a fix then needs no search of the text)."""

    text: str
    starts: list[int]
    ends: list[int]
    index: dict[int, int]  # a statement's id (or a header or footer line's) -> its place in the body
    _breaks: list[int] | None = field(default=None, repr=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line an offset of the text lies on."""
        if self._breaks is None:
            self._breaks = [match.end() for match in _NEWLINE.finditer(self.text)]
        return bisect.bisect_right(self._breaks, offset) + 1


def layout_of(module: cst.Module, text: str) -> Layout | None:
    """The module's layout in its text, None when their code does not add up to it."""
    from asynclint.reparse import statement_spans

    spans = statement_spans(module, text)
    if spans is None:
        return None
    index = {id(stmt): place for place, stmt in enumerate(module.body)}
    index.update({id(line): 0 for line in module.header})
    index.update({id(line): len(module.body) - 1 for line in module.footer})
    return Layout(text, spans.starts, spans.ends, index)


def fix_edits_in_place(
    module: cst.Module, fix: NodeFix, statement: cst.CSTNode, text: str, layout: Layout | None = None
) -> tuple[Edit, ...] | None:
    """A single fix as text edits, generating the code of the statements it
    changes only, not the whole module's (an editor asks for one fix in a
    large file): its top-level statement, and for imports the module's
    leading imports and the statement after them, all the import adder
    reads. `text` is the module's source, `layout` where its statements lie
    (else they are searched for). None when the fix reaches beyond them or
    they are not found in the text: `fix_edits` then."""
    parts = _fixed_parts(module, [fix], [statement], text, layout)
    if parts is None:
        return None
    edits: list[Edit] = []
    for start, _, old, new in parts:
        before = layout.line_of(start) - 1 if layout is not None else len(_NEWLINE.findall(text, 0, start))
        edits += [
            Edit(Position(edit.start.line + before, 1), Position(edit.end.line + before, 1), edit.content)
            for edit in edits_between(old, new)
        ]
    return tuple(edits)


def fixed_in_place(
    module: cst.Module, fixes: list[NodeFix], statements: list[cst.CSTNode | None], layout: Layout
) -> str | None:
    """The module's text with the fixes made (each with the top-level
    statement it was reported in), generating code only for the statements
    they change (and the leading imports when they need one): every other
    byte of the text is kept as it is. None when a fix reaches beyond its
    statement: `apply_node_fixes` then."""
    parts = _fixed_parts(module, fixes, statements, layout.text, layout)
    if parts is None:
        return None
    pieces: list[str] = []
    done = 0
    for start, end, _, new in parts:
        pieces += [layout.text[done:start], new]
        done = end
    pieces.append(layout.text[done:])
    return "".join(pieces)


def _fixed_parts(
    module: cst.Module, fixes: list[NodeFix], statements: list[cst.CSTNode | None], text: str, layout: Layout | None
) -> list[tuple[int, int, str, str]] | None:
    """The parts of the text the fixes change, in order, as (start, end,
    old code, new code): each statement holding a fix, and for imports the
    module's first statements, all that the import adder reads. Without a
    layout a part is searched for in the text and never holds the footer."""
    if layout is not None:
        places = [layout.index.get(id(statement)) for statement in statements]
    else:
        places = [next((i for i, stmt in enumerate(module.body) if stmt is statement), None) for statement in statements]
    if None in places or not module.body:
        return None
    imports = [spec for fix in fixes for spec in fix.imports]
    head = _import_head(module) if imports else 0
    if head and _imported(module, head, imports):
        imports = []
    ranges = [(0, head)] if head else []
    ranges += [(place, place + 1) for place in sorted(set(places)) if place >= head]
    replacements = {id(original): replacement for fix in fixes for original, replacement in fix.replacements}
    trivia_too = any(type(original) in trivia() for fix in fixes for original, _ in fix.replacements)
    last = len(module.body)
    pieces = []
    for low, high in ranges:
        to_end = layout is not None and high == last
        part = module.with_changes(
            header=module.header if low == 0 else (),
            body=module.body[low:high],
            footer=module.footer if to_end else (),
            has_trailing_newline=module.has_trailing_newline if to_end else True,
        )
        pieces.append((low, high, to_end, part))
    paths = _Paths(replacements, trivia_too)
    for *_, part in pieces:
        walk(part, paths)
    replace = _Replace(replacements, paths.found)
    parts = []
    for low, high, to_end, part in pieces:
        fixed = part.visit(replace)
        if low == 0 and imports:
            fixed = _with_imports(fixed, imports)
        if layout is not None:  # its code is where the layout says (spared generating it)
            start = 0 if low == 0 else layout.starts[low]
            end = len(text) if to_end else layout.ends[high - 1]
            old = text[start:end]
        else:
            old = part.code
            start = 0 if low == 0 else text.find(old)
            end = start + len(old)
            if not text.startswith(old, start) or (low > 0 and text.find(old, start + 1) >= 0):
                return None
        parts.append((start, end, old, fixed.code))
    if replace.replaced < len(replace.replacements):
        return None
    return parts


class _Paths:
    """For `walk`: collects the ids of the nodes to replace and of the nodes above them."""

    def __init__(self, targets: dict[int, object], trivia_too: bool) -> None:
        self.targets = targets
        self.descend = DESCEND_ALL if trivia_too else DESCEND  # into comments and whitespace only when one is replaced
        self.above: list[int] = []
        self.found: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.targets:
            self.found.update(self.above)
            self.found.add(id(node))
        self.above.append(id(node))
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        self.above.pop()


def _import_head(module: cst.Module) -> int:
    """How many top-level statements the import adder reads: a docstring,
    the imports after it, and the first statement past them."""
    count = 1 if module.body and _is_docstring(module.body[0]) else 0
    while count < len(module.body) and _is_import(module.body[count]):
        count += 1
    return min(count + 1, len(module.body))


def _imported(module: cst.Module, head: int, imports) -> bool:
    """Whether the leading imports hold each import already, as the import
    adder reads them (then it changes nothing, and costs a tenth of a second)."""
    from libcst.helpers import get_full_name_for_node

    modules: set[str] = set()
    names: dict[str, set[str]] = {}
    for stmt in module.body[:head]:
        if not _is_import(stmt):
            continue
        node = stmt.body[0]
        if isinstance(node, cst.Import):
            modules.update(get_full_name_for_node(alias.name) for alias in node.names if alias.asname is None)
        elif not node.relative and node.module is not None:
            found = names.setdefault(get_full_name_for_node(node.module), set())
            if isinstance(node.names, cst.ImportStar):
                found.add("*")
            else:
                found.update(get_full_name_for_node(alias.name) for alias in node.names if alias.asname is None)
    return all(
        spec in modules if isinstance(spec, str) else bool(names.get(spec[0], set()) & {"*", spec[1]}) for spec in imports
    )


def _is_docstring(stmt: cst.CSTNode) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    first = stmt.body[0]
    if isinstance(first, cst.Expr) and isinstance(first.value, cst.SimpleString):
        return True
    return (
        isinstance(first, cst.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0].target, cst.Name)
        and first.targets[0].target.value == "__strict__"
    )


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))
