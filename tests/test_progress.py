"""The progress line: on a terminal, once a run takes a while; never in a
pipe, for CI formats or with -q."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from asynclint import progress
from tests.test_cli import BAD, run


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def no_delay(monkeypatch) -> None:
    """The line at once (a real run shows it after a second)."""
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.01)


def test_the_line_counts_files_and_names_the_slowest_phase(no_delay) -> None:
    terminal = FakeTerminal()
    line = progress.Progress(terminal)
    line.add_files(3)
    with line.phase("finding files"):
        pass
    with line.phase("checking"):
        line.file_done()
        time.sleep(0.1)
        text = terminal.getvalue()
    line.close()
    assert "\r\033[Kasynclint: checked 1/3 files, " in text and "slowest: checking (" in text
    assert terminal.getvalue().endswith("\r\033[K")  # cleared before anything else is printed


def test_a_quick_run_shows_nothing() -> None:
    terminal = FakeTerminal()
    line = progress.Progress(terminal)
    line.add_files(1)
    line.file_done()
    line.close()
    assert terminal.getvalue() == ""


@pytest.fixture
def files(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("")
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def slow_checks(monkeypatch) -> None:
    """Each file takes a moment, so that the line is drawn during the run."""
    from asynclint import engine

    check_file = engine.Checker.check_file

    def slowly(self, path):
        time.sleep(0.05)
        return check_file(self, path)

    monkeypatch.setattr(engine.Checker, "check_file", slowly)


@pytest.mark.parametrize(
    "args, shown",
    [
        (["."], True),
        (["--output-format", "concise", "."], True),
        (["-q", "."], False),
        (["--output-format", "github", "."], False),
        (["--output-format", "json", "."], False),
        (["--show-files", "."], False),
    ],
)
def test_the_command_line_shows_it_on_a_terminal_only(files: Path, no_delay, monkeypatch, capsys, args, shown) -> None:
    slow_checks(monkeypatch)
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    run(["--no-cache", *args], capsys)
    assert ("checked 3/3 files" in terminal.getvalue() or "checked 2/3 files" in terminal.getvalue()) is shown
    if shown:
        assert "slowest: checking" in terminal.getvalue() and terminal.getvalue().endswith("\r\033[K")


def test_not_in_a_pipe(files: Path, no_delay, monkeypatch, capsys) -> None:
    slow_checks(monkeypatch)
    code, _, err = run(["--no-cache", "."], capsys)  # capsys: stderr is no terminal
    assert code == 1 and "checked" not in err
