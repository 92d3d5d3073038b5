"""One file that crashes the checker is one error line for that file; the
other files' findings are still reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from asynclint import engine
from asynclint.batch import check_paths
from asynclint.config import Settings

BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def test_a_crash_in_one_file_is_an_error_for_it_alone(tmp_path: Path, monkeypatch) -> None:
    for name in ("a.py", "crash.py", "z.py"):
        (tmp_path / name).write_text(BLOCKING)
    positions = engine.positions_for

    def crash_on_one_file(module, wanted, text=None, code_of=None, memo=None):
        if "crash" in (text or ""):
            raise KeyError(1397)
        return positions(module, wanted, text, code_of, memo)

    monkeypatch.setattr(engine, "positions_for", crash_on_one_file)
    (tmp_path / "crash.py").write_text(BLOCKING + "# crash\n")
    files = [str(tmp_path / name) for name in ("a.py", "crash.py", "z.py")]
    results = check_paths(files, Settings(config_dir=str(tmp_path)), jobs=1)
    assert [[d.code for d in r.diagnostics] for r in results] == [["AL102"], [], ["AL102"]]
    assert results[1].errors == [f"{files[1]}: internal error: KeyError: 1397"]
    assert results[0].errors == results[2].errors == []


# Loaded by every process of the run below (PYTHONPATH): in a worker
# process, checking or fixing a file named dies.py ends the process at once,
# as a crash in native code would.
DYING_WORKER = """
import multiprocessing, os
import asynclint.engine

checked = asynclint.engine.Checker.check_file


def check_file(self, path):
    if path.endswith("dies.py") and multiprocessing.parent_process() is not None:
        os._exit(3)
    return checked(self, path)


asynclint.engine.Checker.check_file = check_file
import asynclint.fixes

fix_file = asynclint.fixes.fix_file


def dying_fix_file(checker, path, unsafe):
    if path.endswith("dies.py") and multiprocessing.parent_process() is not None:
        os.kill(os.getpid(), 9)
    return fix_file(checker, path, unsafe)


asynclint.fixes.fix_file = dying_fix_file
"""


def _run_with_a_dying_worker(tmp_path: Path, *options: str) -> subprocess.CompletedProcess:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(DYING_WORKER)
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text("")
    for number in range(40):
        (project / f"m{number:02}.py").write_text(BLOCKING)
    (project / "dies.py").write_text(BLOCKING)
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), *sys.path])}
    command = [sys.executable, "-m", "asynclint", "--no-cache", "--jobs", "2", "--output-format", "concise", *options, "."]
    return subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=300, check=False)


def test_a_worker_that_dies_is_replaced_and_its_file_reported(tmp_path: Path) -> None:
    done = _run_with_a_dying_worker(tmp_path)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if "dies.py" in line]
    assert errors == ["asynclint: dies.py: internal error: the process checking it died (exit status 3); the other files are checked"]
    reported = sorted(line.split(":")[0] for line in done.stdout.splitlines() if "AL102" in line)
    assert reported == [f"m{number:02}.py" for number in range(40)]


def test_a_worker_killed_while_fixing_leaves_its_file_and_fixes_the_others(tmp_path: Path) -> None:
    done = _run_with_a_dying_worker(tmp_path, "--fix")
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if "dies.py" in line]
    assert errors == ["asynclint: dies.py: internal error: the process checking it died (killed by SIGKILL); the other files are checked"]
    project = tmp_path / "project"
    assert (project / "dies.py").read_text() == BLOCKING
    assert all("await asyncio.sleep(1)" in (project / f"m{number:02}.py").read_text() for number in range(40))
