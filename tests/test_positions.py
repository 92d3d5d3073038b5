"""Positions computed per reported statement agree with libcst's whole-module
positions, on every fixture (CRLF, tabs, comments and decorators included)."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from asynclint.positions import positions_for
from tests.helpers import FIXTURES, findings

SAMPLES = sorted(FIXTURES.rglob("*.py"))[:40]
EXTRA = [
    b"# header\r\n\r\nimport time\r\nasync def f():\r\n\ttime.sleep(1)\r\n",
    b"x = 1; y = 2\nclass A:\n    @dec\n    async def m(self):\n        '''doc\n        more'''\n        return (1,\n            2)\n",
    b"\xef\xbb\xbfimport os\n\n\n@a\n@b\ndef f():\n    pass\n",
]


def every_statement_node(module: cst.Module):
    out = []

    class Collect(cst.CSTVisitor):
        def __init__(self, statement):
            super().__init__()
            self.statement = statement

        def on_visit(self, node):
            out.append((node, self.statement))
            return True

    for statement in module.body:
        statement.visit(Collect(statement))
    return out


EXTRA += [
    # the same statement twice: finding it in the text is ambiguous, counting is not
    b"import time\n\nasync def f():\n    time.sleep(1)\n\nasync def f():\n    time.sleep(1)\n",
    b"x = 1\r\nx = 1\r\nasync def g():\r\n    x = 1\r\n",
    # the same call several times in one statement, once also in a comment
    b"import time\nclass A:\n    async def f(self):\n        time.sleep(1)\n        time.sleep(1)\n",
    b"import time\nclass A:\n    async def f(self):\n        time.sleep(1)  # time.sleep(1)\n        time.sleep(1)\n",
    # calls over several lines inside blocks: their text is indented more than their code
    (
        b"import aiohttp\nclass T:\n    async def f(self, loop):\n        s = aiohttp.ClientSession(\n            loop=loop,\n"
        b"            timeout=t(\n                1),  # (\n        )\n        g('''a\nb''',\n          c)\n"
        b"        g('''a\nb''',\n          c)\n"
    ),
]


@pytest.mark.parametrize("with_text", [False, True], ids=["counted", "found in text"])
@pytest.mark.parametrize("source", [p.read_bytes() for p in SAMPLES] + EXTRA)
def test_statement_positions_match_module_positions(source: bytes, with_text: bool) -> None:
    module = cst.parse_module(source)
    wanted = every_statement_node(module)[::7]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    text = source.decode(module.encoding).removeprefix("\ufeff") if with_text else None
    actual = positions_for(module, wanted, text)
    for node, _ in wanted:
        assert actual[node] == expected[node], module.code_for_node(node)


def test_statements_are_found_in_the_text_unless_their_code_repeats() -> None:
    from asynclint.positions import _found_in

    source = "import time\n\n# a comment\nasync def f():\n    time.sleep(1)\n"
    module = cst.parse_module(source)
    last = module.body[-1]
    assert _found_in(source, module, {id(last)})[id(last)][:2] == (2, 12)  # its blank and comment lines start it
    twice = cst.parse_module(source + source[11:])
    assert _found_in(twice.code, twice, {id(twice.body[-1])}) is None


@pytest.mark.parametrize("source", [p.read_bytes() for p in SAMPLES] + EXTRA)
def test_calls_and_names_found_in_the_text_match_module_positions(source: bytes) -> None:
    module = cst.parse_module(source)
    wanted = [(n, s) for n, s in every_statement_node(module) if isinstance(n, (cst.Call, cst.Name, cst.Attribute, cst.Await))]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    text = source.decode(module.encoding).removeprefix("\ufeff")
    actual = positions_for(module, wanted, text)
    for node, _ in wanted:
        assert actual[node] == expected[node], module.code_for_node(node)


def test_a_node_reported_without_its_statement_is_found() -> None:
    source = "import os\n\n@app.on_event('startup')\nasync def start():\n    pass\n"
    module = cst.parse_module(source)
    decorator = module.body[-1].decorators[0]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert positions_for(module, [(decorator, None)], source)[decorator] == expected[decorator]


def test_a_call_over_several_indented_lines_is_found_in_the_text() -> None:
    from asynclint.positions import _found_in, _spelled_in

    source = EXTRA[-1].decode()
    module = cst.parse_module(source)
    statement = module.body[-1]
    calls = [n for n, holder in every_statement_node(module) if holder is statement and isinstance(n, cst.Call)]
    found = _found_in(source, module, {id(statement)})[id(statement)]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    multi_line = [call for call in calls if "\n" in module.code_for_node(call)]
    assert len(multi_line) == 4  # ClientSession(...), t(...) and the two g(...) twins
    for call in multi_line:
        assert _spelled_in(module, statement, found, call) == expected[call]



# Comments and blank lines outside every statement: before the first, after
# the last (libcst keeps them in the module's header and footer), at the end
# of a block, in a file with no statement at all.
EDGES = [
    "x = 1\n# noqa: AL102\n",
    "x = 1\n# noqa: AL102",
    "x = 1\r\n\r\n# noqa: AL102\r\n\r\n",
    "# noqa: AL102\n",
    "# noqa: AL102\n\nx = 1\n",
    "\n\n",
    "",
    "import time\nasync def f():\n    time.sleep(1)\n    # noqa: AL102\n\n# noqa: AL102\n",
]


def every_node(module: cst.Module) -> list[cst.CSTNode]:
    out = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node):
            out.append(node)
            return True

    module.visit(Collect())
    return out


@pytest.mark.parametrize("with_text", [False, True], ids=["counted", "found in text"])
@pytest.mark.parametrize("source", EDGES)
def test_comments_outside_every_statement_have_positions(source: str, with_text: bool) -> None:
    module = cst.parse_module(source)
    comments = [node for node in every_node(module) if isinstance(node, (cst.Comment, cst.EmptyLine))]
    wanted = [(node, _line_holding(module, node)) for node in comments]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    actual = positions_for(module, wanted, source if with_text else None)
    for node, _ in wanted:
        assert actual[node] == expected[node], module.code_for_node(node)


def _line_holding(module: cst.Module, node: cst.CSTNode) -> cst.CSTNode | None:
    """The header or footer line a node is or sits in (what a traversal gives
    as its statement), else None (a comment inside a statement: searched for)."""
    edges = (*module.header, *module.footer)
    return next((line for line in edges if line is node or line.comment is node), None)


@pytest.mark.parametrize("source", EDGES)
def test_a_noqa_comment_outside_every_statement_is_checked_like_any_other(source: str) -> None:
    found = findings(source)  # no internal error
    lines = source.splitlines()
    noqa_lines = {number for number, line in enumerate(lines, 1) if "# noqa: AL102" in line}
    assert {line for line, code in found if code == "AL002"} == noqa_lines


TEXTS_TO_CUT = [
    "# a header\n\nimport os\n\n\n# about f\n@dec\n# between\n@dec2(\n    1,\n)\ndef f():\n    pass\n    # the block's own\n\n# the next one's\nx = 1; y = 2\nclass C:\n    z = (\n        3\n    )\n# a footer\n",
    "import os\nos.getcwd()",  # no newline at the end
    "if True:\n    pass\nelse:\n    pass\n\n\n\n",
    "async def f():\n    return [\n        1,\n    ]\nasync def g(): pass\n",
]


@pytest.mark.parametrize("text", [*TEXTS_TO_CUT, *(p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.py")))])
def test_statement_codes_cut_from_the_text_are_the_generated_ones(text: str) -> None:
    import ast

    from asynclint.positions import codes_cut_from_text

    module = cst.parse_module(text)
    code_of = codes_cut_from_text(module, text, ast.parse(text).body) if module.body else None
    if code_of is None:
        assert not module.body or "\r" in text or "\f" in text
        return
    for stmt in module.body:
        assert code_of(module, stmt) == module.code_for_node(stmt)


def test_a_decorator_written_apart_from_its_at_sign_is_not_cut() -> None:
    import ast

    from asynclint.positions import codes_cut_from_text

    text = "@(\n    dec\n)\ndef f():\n    pass\n"
    module = cst.parse_module(text)
    assert codes_cut_from_text(module, text, ast.parse(text).body) is None
