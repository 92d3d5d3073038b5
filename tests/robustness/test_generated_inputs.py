"""Generated inputs that used to crash, hang or mislead asynclint: each shape
is checked in its own process with a time limit, and must end with the
blocking call on line 5 reported, no internal error and no false syntax
error. The default sizes reproduce each defect; `-m slow` runs ten times
bigger ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FINDING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"  # AL102 on line 5
TIME_LIMIT = 60  # seconds; each case takes about one here


def sum_of(n: int) -> str:
    return "x = " + " + ".join(["1"] * n)


def and_chain(n: int) -> str:
    return "x = " + " and ".join(["a"] * n)


def call_chain(n: int) -> str:
    return "x = a" + ".m()" * n


def concatenation(n: int) -> str:
    return "x = (" + "\n    ".join(f"'piece {i}'" for i in range(n)) + "\n)"


SHAPES = {  # the sizes that crashed or hung, and the warning each gives now
    "sum": (sum_of, 10_000, "an expression nested more than 500 deep"),
    "and chain": (and_chain, 20_000, "an expression 20,000 terms long"),
    "call chain": (call_chain, 3_000, "an expression nested more than 500 deep"),
    "concatenation": (concatenation, 20_000, "a string of 20,000 implicitly concatenated pieces"),
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "asynclint", "--no-cache", "--output-format", "concise", *args]
    env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIME_LIMIT, env=env)


def assert_checked(done: subprocess.CompletedProcess, name: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "internal error" not in done.stderr
    assert "AL001" not in done.stdout
    assert f"{name}:5:5: AL102" in done.stdout


SHAPE_CASES = [
    case
    for shape, (_, size, _) in SHAPES.items()
    for case in (
        pytest.param(shape, size, id=f"{shape}-{size}"),
        pytest.param(shape, size * 10, id=f"{shape}-{size * 10}", marks=pytest.mark.slow),
    )
]


@pytest.mark.parametrize(("shape", "size"), SHAPE_CASES)
def test_an_expression_too_big_for_libcst_is_named_and_the_rest_is_checked(tmp_path: Path, shape: str, size: int) -> None:
    build, _, _ = SHAPES[shape]
    (tmp_path / "big.py").write_text(FINDING + build(size) + "\n")
    done = run("big.py", cwd=tmp_path)
    assert_checked(done, "big.py")
    assert "asynclint: warning: big.py:6: not checked: " in done.stderr
    reason = SHAPES[shape][2].replace("20,000", f"{size:,}")
    assert reason in done.stderr


def test_parentheses_nested_deeper_than_python_allows_are_its_syntax_error(tmp_path: Path) -> None:
    (tmp_path / "deep.py").write_text(FINDING + "x = " + "f(" * 2000 + ")" * 2000 + "\n")
    done = run("deep.py", cwd=tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "deep.py:6:" in done.stdout and "AL001 syntax error: too many nested parentheses" in done.stdout


def test_a_trailing_own_line_noqa_is_checked_like_any_other(tmp_path: Path) -> None:
    (tmp_path / "noqa.py").write_text(FINDING + "x = 1\n# noqa: AL102\n")
    done = run("noqa.py", cwd=tmp_path)
    assert_checked(done, "noqa.py")
    assert "noqa.py:7:1: AL002" in done.stdout


def test_a_named_pipe_in_a_walked_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(FINDING)
    os.mkfifo(tmp_path / "pipe.py")
    done = run(".", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "a.py:5:5: AL102" in done.stdout and "pipe.py" not in done.stdout + done.stderr
