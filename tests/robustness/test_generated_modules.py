"""Property: on any module Python's grammar allows (hypothesmith writes
them), asynclint never fails inside, and `--fix --unsafe-fixes` gives code
that still compiles and that fixing again leaves as it is.

Ten examples from the grammar in the default run; `python -m pytest -m slow`
runs a thousand, from the grammar and from libcst's node types."""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asynclint.engine import Checker
from asynclint.fixes import fix_source
from tests.helpers import EVERY_RULE

# Code with findings and fixes, put before the generated module half of the time.
WITH_FIXES = (
    "import asyncio\nimport time\n\n\nasync def handler():\n"
    "    time.sleep(1)\n    loop = asyncio.get_event_loop()\n    save()\n\n\nasync def save():\n    pass\n"
)


@st.composite
def modules(draw, generated) -> str:
    code = draw(generated)
    if draw(st.booleans()):
        code = WITH_FIXES + "\n" + code
    return code


def _compiles(source: bytes) -> bool:
    try:
        compile(source, "generated.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return False
    return True


def check_generated(code: str) -> None:
    source = code.encode("utf-8", errors="surrogatepass")
    checker = Checker(EVERY_RULE)
    result = checker.check_source(source, "generated.py")
    assert not [error for error in result.errors if "internal error" in error], result.errors
    outcome = fix_source(checker, source, "generated.py", unsafe=True)
    assert not [error for error in outcome.final.result.errors if "internal error" in error]
    if _compiles(source):
        assert _compiles(outcome.source)
    again = fix_source(checker, outcome.source, "generated.py", unsafe=True)
    assert again.source == outcome.source and not again.applied


PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


@settings(PROPERTY, max_examples=10)
@given(modules(hypothesmith.from_grammar()))
def test_generated_modules_are_checked_and_fixed_without_fault(code: str) -> None:
    check_generated(code)


@pytest.mark.slow
@settings(PROPERTY, max_examples=1000)
@given(modules(hypothesmith.from_grammar() | hypothesmith.from_node()))
def test_many_generated_modules_are_checked_and_fixed_without_fault(code: str) -> None:
    check_generated(code)
