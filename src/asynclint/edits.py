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

import difflib
import re

from asynclint.diagnostics import Edit, Position
from asynclint.lazy import cst
from asynclint.rule import NodeFix


class _Replace(cst.CSTTransformer):
    """Replaces original nodes by identity; an outer replacement wins."""

    def __init__(self, replacements: dict[int, object]) -> None:
        super().__init__()
        self.replacements = replacements
        self.replaced = 0

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


def fix_edits_in_place(module: cst.Module, fix: NodeFix, statement: cst.CSTNode, text: str) -> tuple[Edit, ...] | None:
    """A single fix as text edits, generating the code of the statements it
    changes only, not the whole module's (an editor asks for one fix in a
    large file): its top-level statement, and for imports the module's
    leading imports and the statement after them, all the import adder
    reads. `text` is the module's source. None when the fix reaches beyond
    them or they are not found in the text: `fix_edits` then."""
    index = next((i for i, stmt in enumerate(module.body) if stmt is statement), None)
    if index is None:
        return None
    head = _import_head(module) if fix.imports else 0
    parts = ([(0, head)] if head else []) + ([(index, index + 1)] if index >= head else [])
    replace = _Replace({id(original): replacement for original, replacement in fix.replacements})
    edits: list[Edit] = []
    for low, high in parts:
        part = module.with_changes(header=module.header if low == 0 else (), body=module.body[low:high], footer=(), has_trailing_newline=True)
        fixed = part.visit(replace)
        if low == 0 and not _imported(module, head, fix.imports):
            fixed = _with_imports(fixed, fix.imports)
        old = part.code
        found = 0 if low == 0 else text.find(old)
        if not text.startswith(old, found) or (low > 0 and text.find(old, found + 1) >= 0):
            return None
        before = len(_NEWLINE.findall(text, 0, found))
        edits += [
            Edit(Position(edit.start.line + before, 1), Position(edit.end.line + before, 1), edit.content)
            for edit in edits_between(old, fixed.code)
        ]
    if replace.replaced < len(fix.replacements):
        return None
    return tuple(edits)


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
