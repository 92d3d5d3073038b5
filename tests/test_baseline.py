"""Baselines: record today's findings, report only new ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asynclint.cli import main

OLD = "import time\n\nasync def a():\n    time.sleep(1)\n\nasync def b():\n    time.sleep(1)\n"


def run(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--no-cache", "--output-format", "concise", *args])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def test_baseline_reports_only_new_findings(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text("")
    app = tmp_path / "app.py"
    app.write_text(OLD)
    code, _, err = run(["--write-baseline", "baseline.json", "."], capsys)
    assert code == 0 and "recorded 2 findings" in err
    data = json.loads((tmp_path / "baseline.json").read_text())
    assert data["findings"] == [{"file": "app.py", "code": "AL102", "line": "time.sleep(1)", "count": 2}]

    # Lines moved down: still known.
    app.write_text("# a new header\n\n" + OLD)
    code, out, err = run(["--baseline", "baseline.json", "."], capsys)
    assert code == 0 and "2 findings suppressed by the baseline" in err
    assert "AL102" not in out

    # A new finding (a third identical line, and a different one) is reported.
    app.write_text(OLD + "\nasync def c():\n    time.sleep(1)\n    open('x')\n")
    code, out, _ = run(["--baseline", "baseline.json", "."], capsys)
    assert code == 1
    assert [line.split()[1] for line in out.splitlines() if ": AL" in line] == ["AL102", "AL103"]


def test_rewriting_prunes_fixed_findings(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(OLD)
    run(["--write-baseline", "b.json", "."], capsys)
    (tmp_path / "app.py").write_text(OLD.replace("time.sleep(1)\n\nasync def b", "pass\n\nasync def b"))
    run(["--write-baseline", "b.json", "."], capsys)
    assert json.loads((tmp_path / "b.json").read_text())["findings"][0]["count"] == 1


def test_bad_baseline_file_is_a_clear_error(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.py").write_text(OLD)
    (tmp_path / "b.json").write_text("[1, 2]")
    code, _, err = run(["--baseline", "b.json", "."], capsys)
    assert code == 2 and "not a valid asynclint baseline" in err
    code, _, err = run(["--baseline", "missing.json", "."], capsys)
    assert code == 2 and "baseline file not found" in err
