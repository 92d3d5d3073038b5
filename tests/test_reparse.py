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


_FOUR = (
    "import os\n\n\ndef f():\n    return 1\n\n\ndef g():\n    x = 'a'\n    return x\n\n\n"
    "def h():\n    return 3\n\n\ndef i():\n    return 4\n"
)
_ACROSS = _FOUR.replace("return x\n\n\ndef h():", "return x + 1\n\n\ndef h(y=1):")  # a change from g into h


def test_the_neighbours_parsed_again_beside_a_change_keep_their_nodes() -> None:
    reparser = Reparser()
    old = reparser.parse(_FOUR.encode("utf-8"), "doc.py")
    new = reparser.parse(_ACROSS.encode("utf-8"), "doc.py")
    assert new.deep_equals(cst.parse_module(_ACROSS))
    assert [a is b for a, b in zip(new.body, old.body)] == [True, True, False, False, True]
    assert reparser.statement_code(new, new.body[4]) == "\n\ndef i():\n    return 4\n"


def test_a_neighbour_whose_code_changed_gets_its_new_node() -> None:
    """Blank lines removed between h and i: i's code (its leading lines) is not what it was."""
    reparser = Reparser()
    old = reparser.parse(_FOUR.encode("utf-8"), "doc.py")
    new_text = _ACROSS.replace("return 3\n\n\ndef i", "return 3\ndef i")
    new = reparser.parse(new_text.encode("utf-8"), "doc.py")
    assert new.deep_equals(cst.parse_module(new_text))
    assert new.body[1] is old.body[1] and new.body[4] is not old.body[4]
    assert reparser.statement_code(new, new.body[4]) == "def i():\n    return 4\n"


def test_pythons_neighbours_parsed_again_keep_their_nodes_moved() -> None:
    import ast

    reparser = Reparser()
    old = reparser.python_tree(_FOUR.encode("utf-8"), "doc.py")
    new_text = _ACROSS.replace("x = 'a'", "x = 'ab'\n    y = 2")  # and a line more in g
    new = reparser.python_tree(new_text.encode("utf-8"), "doc.py")
    assert ast.dump(new, include_attributes=True) == ast.dump(ast.parse(new_text), include_attributes=True)
    assert [a is b for a, b in zip(new.body, old.body)] == [True, True, False, False, True]
    assert new.body[4].lineno == 18  # moved one line down


def test_a_change_within_a_statement_parses_that_statement_alone(monkeypatch) -> None:
    import asynclint.reparse as reparse

    parsed = []
    whole_parse = cst.parse_module

    def recording(source):
        parsed.append(source)
        return whole_parse(source)

    reparser = Reparser()
    reparser.parse(_FOUR.encode("utf-8"), "doc.py")
    monkeypatch.setattr(reparse.cst, "parse_module", recording)
    new_text = _FOUR.replace("x = 'a'", "x = 'ab'")
    new = reparser.parse(new_text.encode("utf-8"), "doc.py")
    assert new.deep_equals(whole_parse(new_text))
    assert parsed == ["\n\ndef g():\n    x = 'ab'\n    return x\n\n\npass\n"]  # g and the lines before h


def test_a_change_within_a_statement_gives_python_that_statements_lines_alone(monkeypatch) -> None:
    import ast

    import asynclint.reparse as reparse

    parsed = []
    whole_parse = ast.parse

    def recording(source, *args, **kwargs):
        parsed.append(source)
        return whole_parse(source, *args, **kwargs)

    reparser = Reparser()
    old = reparser.python_tree(_FOUR.encode("utf-8"), "doc.py")
    monkeypatch.setattr(reparse.ast, "parse", recording)
    new_text = _FOUR.replace("x = 'a'", "x = 'ab'\n    y = 2")
    new = reparser.python_tree(new_text.encode("utf-8"), "doc.py")
    monkeypatch.undo()
    assert ast.dump(new, include_attributes=True) == ast.dump(ast.parse(new_text), include_attributes=True)
    assert parsed == ["def g():\n    x = 'ab'\n    y = 2\n    return x\n\n\n"]  # g and the lines up to h
    assert [a is b for a, b in zip(new.body, old.body)] == [True, True, False, True, True]
    assert (new.body[3].lineno, new.body[4].lineno) == (14, 18)  # h and i moved one line down
    decorated = new_text.replace("    return x\n", "    return x\n@app.get('/')\n")  # decorates h: not g's alone
    tree = reparser.python_tree(decorated.encode("utf-8"), "doc.py")
    assert ast.dump(tree, include_attributes=True) == ast.dump(ast.parse(decorated), include_attributes=True)


def test_a_change_that_takes_the_next_statements_leading_lines_is_parsed_with_its_neighbours() -> None:
    """An indented comment after a simple statement leads the next one; a
    block added after the statement takes it: the next statement's node changes too."""
    text = "import os\n\n\ndef f():\n    pass\n\n\nx = 1\n    # about g\ndef g():\n    pass\n"
    reparser = Reparser()
    old = reparser.parse(text.encode("utf-8"), "doc.py")
    new_text = text.replace("x = 1\n", "x = 10\nif x:\n    y = 2\n")  # a change within `x = 1`
    new = reparser.parse(new_text.encode("utf-8"), "doc.py")
    whole = cst.parse_module(new_text)
    assert new.deep_equals(whole)
    assert new.body[-1] is not old.body[-1] and not new.body[-1].leading_lines  # the comment is the block's now
    assert all(reparser.statement_code(new, stmt) == new.code_for_node(stmt) for stmt in new.body)
