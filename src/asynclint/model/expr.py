"""The few shapes of expression the model can say something about, written
the same way from either syntax tree.

Both passes describe an expression in these terms before asking the
resolver what it is, so name resolution and type inference are written
once, for this small language, not once per tree:

    ("name", "client")                  client
    ("attr", <expr>, "get")             <expr>.get
    ("call", <expr>, <expr>)            <expr>(a, ...)  (its first positional argument, or None)
    ("await", <expr>)                   await <expr>
    ("div", <expr>)                     <expr> / ...   (a path joined to more)
    ("subscript", <expr>, (<expr>, ...)) <expr>[a, b]  (annotations)
    ("or", <expr>, <expr>)              a | b          (annotations)
    ("none",)                           None

Anything else is None: the model knows nothing about it. Expressions are
tuples, so they are hashable (memoised answers) and stored as JSON lists.
"""

from __future__ import annotations

import ast

from asynclint.lazy import cst

Expr = tuple


def from_json(data) -> Expr | None:
    """An expression read back from JSON (lists become tuples again)."""
    if data is None:
        return None
    if isinstance(data, list):
        return tuple(from_json(item) if isinstance(item, list) or item is None else item for item in data)
    return data


def dotted(expr: Expr | None) -> str | None:
    """`a.b.c` for a chain of names and attributes, as written; else None (for messages)."""
    if expr is None:
        return None
    if expr[0] == "name":
        return expr[1]
    if expr[0] == "attr":
        base = dotted(expr[1])
        return f"{base}.{expr[2]}" if base is not None else None
    return None


# ------------------------------------------------------------------ ast
def from_ast(node: ast.AST | None) -> Expr | None:
    kind = type(node)
    if kind is ast.Name:
        return ("name", node.id)
    if kind is ast.Attribute:
        base = from_ast(node.value)
        return ("attr", base, node.attr) if base is not None else None
    if kind is ast.Call:
        func = from_ast(node.func)
        if func is None:
            return None
        first = node.args[0] if node.args and type(node.args[0]) is not ast.Starred else None
        return ("call", func, from_ast(first) if first is not None else None)
    if kind is ast.Await:
        inner = from_ast(node.value)
        return ("await", inner) if inner is not None else None
    if kind is ast.BinOp:
        if type(node.op) is ast.Div:
            left = from_ast(node.left)
            return ("div", left) if left is not None else None
        if type(node.op) is ast.BitOr:
            return ("or", from_ast(node.left), from_ast(node.right))
        return None
    if kind is ast.Subscript:
        head = from_ast(node.value)
        if head is None:
            return None
        elements = node.slice.elts if type(node.slice) is ast.Tuple else [node.slice]
        return ("subscript", head, tuple(from_ast(element) for element in elements))
    if kind is ast.Constant and node.value is None:
        return ("none",)
    return None


# --------------------------------------------------------------- libcst
def from_cst(node: cst.CSTNode | None) -> Expr | None:
    kind = type(node)
    if kind is cst.Name:
        return ("none",) if node.value == "None" else ("name", node.value)
    if kind is cst.Attribute:
        base = from_cst(node.value)
        return ("attr", base, node.attr.value) if base is not None else None
    if kind is cst.Call:
        func = from_cst(node.func)
        if func is None:
            return None
        first = node.args[0] if node.args and node.args[0].keyword is None and not node.args[0].star else None
        return ("call", func, from_cst(first.value) if first is not None else None)
    if kind is cst.Await:
        inner = from_cst(node.expression)
        return ("await", inner) if inner is not None else None
    if kind is cst.BinaryOperation:
        if type(node.operator) is cst.Divide:
            left = from_cst(node.left)
            return ("div", left) if left is not None else None
        if type(node.operator) is cst.BitOr:
            return ("or", from_cst(node.left), from_cst(node.right))
        return None
    if kind is cst.Subscript:
        head = from_cst(node.value)
        if head is None:
            return None
        elements = tuple(from_cst(e.slice.value) if type(e.slice) is cst.Index else None for e in node.slice)
        return ("subscript", head, elements)
    return None
