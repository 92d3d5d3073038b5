"""`asynclint -`: source from stdin, named by --stdin-filename."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BAD = b"import time\n\nasync def f():\n    time.sleep(1)\n"


def run(args: list[str], stdin: bytes, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "asynclint", *args], input=stdin, capture_output=True, cwd=cwd)


def test_stdin_is_named_stdin_by_default(tmp_path: Path) -> None:
    proc = run(["--output-format", "concise", "-"], BAD, tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.decode().startswith("stdin:4:5: AL102")


def test_stdin_filename_names_it_and_selects_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nper-file-ignores = { "scripts/*" = ["AL102"] }\n')
    proc = run(["--output-format", "concise", "--stdin-filename", "app/main.py", "-"], BAD, tmp_path)
    assert proc.stdout.decode().startswith("app/main.py:4:5: AL102")
    ignored = run(["--stdin-filename", "scripts/tool.py", "-"], BAD, tmp_path)
    assert ignored.returncode == 0


def test_stdin_fix_prints_the_fixed_source(tmp_path: Path) -> None:
    proc = run(["--fix", "--stdin-filename", "app.py", "-"], BAD, tmp_path)
    assert proc.returncode == 0
    assert proc.stdout == b"import time\nimport asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"
    assert b"1 fixed" in proc.stderr
