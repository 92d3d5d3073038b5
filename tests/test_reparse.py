"""Reparsing an edited document: the tree equals a whole parse of the new text,
and the statements' code cut from the text equals their generated code."""

from __future__ import annotations

import random

import libcst as cst
import pytest

from asynclint.reparse import Reparser
from tests.helpers import FIXTURES

# What edits insert: characters that change how lines join and blocks end.
PIECES = ["x", " ", "\n", "    ", "(", ")", ":", "#", "'", '"', "\\\n", "def g():\n    pass\n", "\n\n",
          "    # c\n", "@d\n", "else:\n", '"""', "\t", "\r\n", "    \n"]


def _whole(text: str) -> cst.Module | None:
    try:
        return cst.parse_module(text.encode("utf-8"))
    except (cst.ParserSyntaxError, RecursionError):
        return None


def test_random_edits_of_the_fixtures_reparse_to_the_whole_parse() -> None:
    rng = random.Random(19)
    compared = reused = 0
    for path in sorted(FIXTURES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if _whole(text) is None:
            continue
        reparser = Reparser()
        previous = reparser.parse(text.encode("utf-8"), "doc.py")
        for _ in range(12):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                new = text[:at] + rng.choice(PIECES) + text[at:]
            else:
                new = text[:at] + text[at + rng.randint(1, 5):]
            whole = _whole(new)
            if whole is None or whole.code != new:  # a syntax error, or text libcst cannot write back
                continue
            module = reparser.parse(new.encode("utf-8"), "doc.py")
            assert module.deep_equals(whole), (path, at)
            assert all(reparser.statement_code(module, stmt) == module.code_for_node(stmt) for stmt in module.body)
            assert (module.default_indent, module.default_newline, module.has_trailing_newline, module.encoding) == (
                whole.default_indent, whole.default_newline, whole.has_trailing_newline, whole.encoding)
            compared += 1
            reused += any(a is b for a, b in zip(module.body, previous.body))
            text, previous = new, module
    assert compared > 300
    assert reused > compared // 3  # edits past a file's first block keep the other statements' trees


def test_a_syntax_error_is_the_whole_parses() -> None:
    broken = b"import os\n\n\ndef f():\n    pass\n\n\ndef g(:\n    pass\n"
    reparser = Reparser()
    reparser.parse(b"import os\n\n\ndef f():\n    pass\n\n\ndef g():\n    pass\n", "doc.py")
    with pytest.raises(cst.ParserSyntaxError) as whole:
        cst.parse_module(broken)
    with pytest.raises(cst.ParserSyntaxError) as reparsed:
        reparser.parse(broken, "doc.py")
    assert (reparsed.value.raw_line, reparsed.value.raw_column) == (whole.value.raw_line, whole.value.raw_column)


def test_random_edits_of_the_fixtures_give_pythons_whole_tree() -> None:
    import ast
    import warnings

    from asynclint.guard import python_tree

    rng = random.Random(23)
    compared = reused = 0
    for path in sorted(FIXTURES.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        reparser = Reparser()
        if not isinstance(reparser.python_tree(text.encode("utf-8"), "doc.py"), ast.Module):
            continue
        previous = python_tree(text.encode("utf-8"))
        for _ in range(12):
            at = rng.randrange(len(text) + 1)
            if rng.random() < 0.7:
                new = text[:at] + rng.choice([*PIECES, "\x0c", "a; b\n", "\r"]) + text[at:]
            else:
                new = text[:at] + text[at + rng.randint(1, 5):]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SyntaxWarning)
                whole = python_tree(new.encode("utf-8"))
                tree = reparser.python_tree(new.encode("utf-8"), "doc.py")
            if not isinstance(whole, ast.Module):
                assert not isinstance(tree, ast.Module), (path, at)
                reparser = Reparser()
                reparser.python_tree(text.encode("utf-8"), "doc.py")
                continue
            assert ast.dump(tree, include_attributes=True) == ast.dump(whole, include_attributes=True), (path, at)
            compared += 1
            reused += any(a is b for a, b in zip(tree.body, previous.body))
            text, previous = new, tree
    assert compared > 300
    assert reused > compared // 5  # small files: most edits touch what a whole parse decides
