"""bench/lsp.py: its generated files hold findings, and its client completes a session."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from asynclint.engine import check_source
from tests.helpers import REPO

pytest.importorskip("pygls")


def _bench():
    spec = importlib.util.spec_from_file_location("bench_lsp", REPO / "bench" / "lsp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("lines", [50, 2000])
def test_generated_file_has_the_size_asked_and_findings(lines: int) -> None:
    text = _bench().generate(lines)
    assert text.count("\n") == lines
    codes = {d.code for d in check_source(text, "service.py").diagnostics}
    assert {"AL102", "AL109", "AL206"} <= codes


def test_benchmark_runs_a_session_against_the_server() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "lsp.py"), "--lines", "50", "--edits", "2", "--bursts", "1", "--no-ruff"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith("| 50 lines")]
    assert len(rows) == 5
    assert not any("| > " in row for row in rows)  # nothing timed out
