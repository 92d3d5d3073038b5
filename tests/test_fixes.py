"""Fixes: exact before/after pairs, idempotence, byte preservation, the CLI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import libcst as cst
import pytest

from asynclint import registry
from asynclint.cli import main
from asynclint.config import Settings
from asynclint.diagnostics import FixClass
from asynclint.engine import Checker
from asynclint.fixes import fix_source, parses
from tests.helpers import EVERY_RULE, FIXTURES

FIX_CASES = sorted(p for p in (FIXTURES / "fixes").glob("*/*.py") if not p.name.endswith(".fixed.py"))


# Unused-noqa fixes need the rules whose codes the comments name.
FIX_SELECTION = {"AL002": ("AL0", "AL1")}


def fix_with(code: str, source: bytes, path: str = "case.py"):
    checker = Checker(Settings(select=FIX_SELECTION.get(code, (code,)), preview=True))
    return checker, fix_source(checker, source, path, unsafe=True)


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_pair(case: Path) -> None:
    code = case.parent.name
    checker, outcome = fix_with(code, case.read_bytes(), str(case))
    expected = case.with_name(case.stem + ".fixed.py").read_bytes()
    assert outcome.source == expected
    assert outcome.applied and not outcome.dropped
    assert parses(outcome.source)
    before = sum(d.code == code for d in checker.analyze(case.read_bytes(), str(case)).result.diagnostics)
    after = sum(d.code == code for d in checker.analyze(outcome.source, str(case)).result.diagnostics)
    assert after == before - len(outcome.applied)
    _, again = fix_with(code, outcome.source, str(case))
    assert again.source == outcome.source and not again.applied


def test_every_fixable_rule_has_a_fix_pair() -> None:
    fixable = {code for code, rule in registry.all_rules().items() if rule.fix_class is not FixClass.NONE}
    covered = {case.parent.name for case in FIX_CASES}
    assert fixable <= covered, sorted(fixable - covered)


@pytest.mark.parametrize("chapter", sorted((FIXTURES / "chapter05").glob("*.py")), ids=lambda p: p.name)
def test_chapter_fixed_end_to_end(chapter: Path) -> None:
    checker = Checker(EVERY_RULE)
    outcome = fix_source(checker, chapter.read_bytes(), str(chapter), unsafe=True)
    assert parses(outcome.source)
    again = fix_source(checker, outcome.source, str(chapter), unsafe=True)
    assert again.source == outcome.source


def test_unsafe_fixes_need_the_flag() -> None:
    source = b"async def save():\n    pass\n\nasync def handler():\n    save()\n"
    checker = Checker(Settings())
    assert fix_source(checker, source, "a.py", unsafe=False).source == source
    assert b"await save()" in fix_source(checker, source, "a.py", unsafe=True).source


def test_bytes_outside_the_fix_are_kept() -> None:
    source = (
        "\ufeff# -*- coding: utf-8 -*-\r\nimport time\r\n\r\n\r\nasync def f():\r\n"
        "\tx = 'caf\u00e9'  # trailing  \r\n\ttime.sleep(1)  # noqa: E501\r\n\treturn x\r\n"
    ).encode("utf-8")
    _, outcome = fix_with("AL102", source)
    expected = source.replace(b"\ttime.sleep(1)", b"\tawait asyncio.sleep(1)").replace(
        b"import time\r\n", b"import time\r\nimport asyncio\r\n"
    )
    assert outcome.source == expected


def test_fix_that_breaks_code_is_dropped(monkeypatch) -> None:
    from asynclint.rule import NodeFix
    from asynclint.rules import al206_get_event_loop_in_coroutine as module

    real_report = module.GetEventLoopInCoroutine.report

    def broken_report(self, node, message, fix=None, related=None):
        bad = NodeFix(fix.applicability, fix.message, ((node, cst.Name("lambda")),))
        real_report(self, node, message, bad, related)

    monkeypatch.setattr(module.GetEventLoopInCoroutine, "report", broken_report)
    source = b"import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n"
    _, outcome = fix_with("AL206", source)
    assert outcome.source == source
    assert outcome.dropped and "would not parse" in outcome.dropped[0]


def run(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_cli_fix_diff_and_show_fixes(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.py"
    original = b"import asyncio\nimport time\n\nasync def f():\n    time.sleep(1)\n    return asyncio.get_event_loop()\n"
    bad.write_bytes(original)
    os.chmod(bad, 0o640)

    code, out, _ = run(["--diff", "bad.py"], capsys)
    assert code == 1 and "+    await asyncio.sleep(1)" in out and "-    time.sleep(1)" in out
    assert bad.read_bytes() == original

    code, out, err = run(["--fix", "--show-fixes", "--output-format", "concise", "bad.py"], capsys)
    assert code == 0
    assert "Found 2 errors (2 fixed, 0 remaining)." in out
    assert "1 x AL102 (blocking-sleep)" in err
    assert b"await asyncio.sleep(1)" in bad.read_bytes()
    assert oct(bad.stat().st_mode & 0o777) == "0o640"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".asynclint-")]

    assert run(["--diff", "bad.py"], capsys)[0] == 0


def test_chapter_directory_fixes_in_a_copy(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "chapter05"
    shutil.copytree(FIXTURES / "chapter05", copy)
    code, out, _ = run(["--fix", "--unsafe-fixes", "--select", "AL", "--preview", "--output-format", "concise", str(copy)], capsys)
    assert code == 1  # what has no fix remains
    assert "fixed" in out
    for path in copy.glob("*.py"):
        assert parses(path.read_bytes())


def _apply(text: str, edits) -> str:
    """Line-level edits (1-based, end exclusive) applied to a text, last first."""
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        lines[edit.start.line - 1 : edit.end.line - 1] = [edit.content]
    return "".join(lines)


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_fix_built_in_place_gives_the_text_of_the_whole_module_fixed(case: Path) -> None:
    """The editor's fast edits (statements regenerated alone) equal the module's."""
    from asynclint.edits import apply_node_fixes, fix_edits_in_place

    code = case.parent.name
    checker = Checker(Settings(select=FIX_SELECTION.get(code, (code,)), preview=True))
    analysis = checker.analyze(case.read_bytes(), str(case))
    text = case.read_bytes().decode("utf-8")  # its line breaks as they are
    placed = 0
    for report in analysis.reports:
        if report.fix is None:
            continue
        edits = fix_edits_in_place(analysis.module, report.fix, report.statement, text)
        if edits is not None:
            placed += 1
            assert _apply(text, edits) == apply_node_fixes(analysis.module, [report.fix]).code
    assert placed or code == "AL002"  # unused-noqa fixes edit comments outside the statement tree


def test_a_fix_built_in_place_adds_its_import_after_a_docstring_and_the_imports() -> None:
    from asynclint.edits import fix_edits_in_place

    text = '"""Doc."""\nimport time\n# the app\nclass A:\n    pass\n\n\nasync def f():\n    time.sleep(1)\n'
    analysis = Checker(Settings(select=("AL102",))).analyze(text.encode(), "case.py")
    [report] = analysis.reports
    edits = fix_edits_in_place(analysis.module, report.fix, report.statement, text)
    assert _apply(text, edits) == (
        '"""Doc."""\nimport time\nimport asyncio\n\n# the app\nclass A:\n    pass\n\n\nasync def f():\n    await asyncio.sleep(1)\n'
    )


@pytest.mark.parametrize("head", [
    "", "import asyncio\n", "import asyncio as aio\n", "from asyncio import *\n", "import os, asyncio\n",
    "import asyncio.subprocess\n", '"""Doc."""\nimport asyncio\n', "x = 1\nimport asyncio\n",
])
def test_a_fix_built_in_place_imports_what_the_whole_modules_fix_imports(head: str) -> None:
    from asynclint.edits import apply_node_fixes, fix_edits_in_place

    text = head + "import time\n\n\nasync def f():\n    time.sleep(1)\n"
    analysis = Checker(Settings(select=("AL102",))).analyze(text.encode(), "case.py")
    [report] = analysis.reports
    edits = fix_edits_in_place(analysis.module, report.fix, report.statement, text)
    assert _apply(text, edits) == apply_node_fixes(analysis.module, [report.fix]).code


def test_a_bad_fix_among_many_costs_a_few_checks_not_one_per_fix(monkeypatch) -> None:
    """A round tries its fixes together, then in halves: one bad fix among 64
    is found with a handful of checks, and the 63 good ones are made."""
    from asynclint.rule import NodeFix
    from asynclint.rules import al206_get_event_loop_in_coroutine as module

    real_report = module.GetEventLoopInCoroutine.report

    def one_broken(self, node, message, fix=None, related=None):
        if cst.Module([]).code_for_node(node) == "asyncio.get_event_loop( )":
            fix = NodeFix(fix.applicability, fix.message, ((node, cst.Name("lambda")),))
        real_report(self, node, message, fix, related)

    monkeypatch.setattr(module.GetEventLoopInCoroutine, "report", one_broken)
    calls = "asyncio.get_event_loop({})"
    source = "import asyncio\n" + "".join(
        f"\n\nasync def handler_{n}():\n    return {calls.format(' ' if n == 13 else '')}\n" for n in range(64)
    )
    checker = Checker(Settings(select=("AL206",)))
    checks = []
    real_analyze = checker.analyze
    monkeypatch.setattr(checker, "analyze", lambda *args: checks.append(1) or real_analyze(*args))
    outcome = fix_source(checker, source.encode(), "case.py")
    assert len(outcome.applied) == 63
    assert outcome.source.count(b"get_running_loop()") == 63 and b"get_event_loop( )" in outcome.source
    assert [d for d in outcome.dropped if "would not parse" in d] == [outcome.dropped[0]] and len(outcome.dropped) == 1
    assert len(checks) <= 16


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_rounds_fixes_made_in_place_give_the_whole_modules_text(case: Path) -> None:
    """The fixer regenerates only the statements its fixes change; the text
    equals the whole module's regenerated with all of them made."""
    from asynclint.edits import apply_node_fixes, fixed_in_place, layout_of
    from asynclint.fixes import non_overlapping

    code = case.parent.name
    checker = Checker(Settings(select=FIX_SELECTION.get(code, (code,)), preview=True))
    analysis = checker.analyze(case.read_bytes(), str(case))
    reports = non_overlapping([r for r in analysis.reports if r.fix is not None])
    text = case.read_bytes().decode("utf-8")
    layout = layout_of(analysis.module, text)
    fixed = fixed_in_place(analysis.module, [r.fix for r in reports], [r.statement for r in reports], layout)
    assert fixed == apply_node_fixes(analysis.module, [r.fix for r in reports]).code


@pytest.mark.parametrize("case", FIX_CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_edits_of_json_output_come_from_each_fixs_statement(case: Path, monkeypatch) -> None:
    """Each fix's edits regenerate its statement alone, not the whole module
    (that made JSON output of a file with many fixes quadratic), and give
    the text of the whole module with that fix made."""
    from asynclint import edits

    code = case.parent.name
    source = case.read_bytes()
    monkeypatch.setattr(edits, "fix_edits", lambda module, fix: pytest.fail("the whole module was regenerated"))
    checker = Checker(Settings(select=FIX_SELECTION.get(code, (code,)), preview=True), fix_edits=True)
    analysis = checker.analyze(source, str(case))
    pairs = [(r, d) for r, d in zip(analysis.reports, analysis.result.diagnostics) if d.fix is not None]
    assert pairs
    for report, diagnostic in pairs:
        assert _apply(source.decode(), diagnostic.fix.edits) == edits.apply_node_fixes(analysis.module, [report.fix]).code
