"""The parse guard: expressions too big for libcst are masked, the rest of
the file is checked at its true lines, and what was masked is said."""

from __future__ import annotations

import ast

from asynclint.engine import check_source
from asynclint.fixes import fix_source
from asynclint.engine import Checker
from asynclint.guard import MAX_HEIGHT, MAX_PIECES, MAX_TERMS, masked, oversized
from tests.helpers import EVERY_RULE

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def parts_of(source: str):
    data = source.encode()
    return oversized(ast.parse(data), data)


def test_each_limit_is_measured_from_the_outermost_expression() -> None:
    assert parts_of("x = " + " + ".join(["1"] * (MAX_HEIGHT - 10))) == []
    assert [p.reason for p in parts_of("x = " + " + ".join(["1"] * (MAX_HEIGHT + 1)))] == [
        f"an expression nested more than {MAX_HEIGHT} deep"
    ]
    assert parts_of("x = " + " or ".join(["a"] * MAX_TERMS)) == []
    assert len(parts_of("x = " + " or ".join(["a"] * (MAX_TERMS + 1)))) == 1
    assert len(parts_of("x = " + " < ".join(["a"] * (MAX_TERMS + 1)))) == 1
    assert parts_of("x = (" + " ".join(["'ab'"] * MAX_PIECES) + ")") == []
    assert len(parts_of("x = (" + " ".join(["'ab'"] * (MAX_PIECES + 1)) + ")")) == 1
    assert parts_of("x = '" + "a" * 100_000 + "'") == []  # one long string is one piece


def test_masking_keeps_every_line_break_and_the_code_around() -> None:
    big = " +\n  ".join(["1"] * (MAX_HEIGHT + 1))
    source = f"a = 1; b = ({big}); c = ({big})\r\nd = 2\n"
    parts = parts_of(source)
    assert len(parts) == 2
    result = masked(source.encode(), parts)
    assert result.count(b"\n") == source.count("\n") and result.count(b"\r\n") == 1
    assert ast.parse(result)  # still Python
    assert result.startswith(b"a = 1; b = ((...\n") and result.endswith(b")\r\nd = 2\n")


def test_a_file_libcst_cannot_parse_but_python_can_is_never_a_syntax_error(monkeypatch) -> None:
    # with the guard's limit out of the way, libcst rejects 5,000 concatenated strings
    monkeypatch.setattr("asynclint.guard.MAX_PIECES", 10**9)
    source = BLOCKING + "x = (" + "\n    ".join(f"'piece {i}'" for i in range(5000)) + ")\n"
    result = check_source(source, "gen.py", EVERY_RULE)
    assert [d.code for d in result.diagnostics] == []
    assert len(result.warnings) == 1 and result.warnings[0].startswith("gen.py: skipped: libcst cannot parse it")


def test_findings_elsewhere_are_reported_but_never_fixed_in_a_masked_file() -> None:
    source = BLOCKING + "x = " + " and ".join(["a"] * (MAX_TERMS * 3)) + "\n"
    result = check_source(source, "big.py", EVERY_RULE)
    assert [(d.code, d.start.line, d.fix) for d in result.diagnostics] == [("AL102", 5, None)]
    assert result.warnings == [f"big.py:6: not checked: an expression {MAX_TERMS * 3:,} terms long; the rest of the file is"]
    outcome = fix_source(Checker(EVERY_RULE), source.encode(), "big.py", unsafe=True)
    assert outcome.source == source.encode()
