"""Fixes as code: a rule's `NodeFix` applied to the tree, and as the text
edits between the old and new source (JSON output, editors).

Both the engine (spelling fixes out) and the fixer (applying them) need
this, so it is a module of its own that imports neither. It is not in
`rule.py`: every rule imports that before anything is parsed, and this
module needs libcst itself (a transformer class, the codemod's import adder).
"""

from __future__ import annotations

import difflib

from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor

from asynclint.diagnostics import Edit, Position
from asynclint.lazy import cst
from asynclint.rule import NodeFix


class _Replace(cst.CSTTransformer):
    """Replaces original nodes by identity; an outer replacement wins."""

    def __init__(self, replacements: dict[int, object]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        return self.replacements.get(id(original_node), updated_node)


def apply_node_fixes(module: cst.Module, fixes: list[NodeFix]) -> cst.Module:
    """The module with the fixes' replacements made and their imports added."""
    replacements: dict[int, object] = {}
    for fix in fixes:
        for original, replacement in fix.replacements:
            replacements[id(original)] = replacement
    fixed = module.visit(_Replace(replacements))
    imports = [spec for fix in fixes for spec in fix.imports]
    if imports:
        context = CodemodContext()
        for spec in imports:
            if isinstance(spec, tuple):
                AddImportsVisitor.add_needed_import(context, spec[0], spec[1])
            else:
                AddImportsVisitor.add_needed_import(context, spec)
        fixed = AddImportsVisitor(context).transform_module(fixed)
    return fixed


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
