"""The pre-commit hook, run for real with `pre-commit try-repo` on this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

pytestmark = pytest.mark.skipif(
    not Path(PRE_COMMIT).exists() or shutil.which("git") is None or not (REPO / ".git").exists(),
    reason="needs git, pre-commit and a git checkout of asynclint",
)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_fails_on_a_bad_file_and_passes_once_fixed(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    git("init", "-q", cwd=project)
    git("config", "user.email", "test@example.invalid", cwd=project)
    git("config", "user.name", "test", cwd=project)
    app = project / "app.py"
    app.write_text("import time\n\n\nasync def handler():\n    time.sleep(1)\n")
    git("add", "app.py", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def hook() -> subprocess.CompletedProcess:
        return subprocess.run(
            [PRE_COMMIT, "try-repo", str(REPO), "asynclint", "--all-files"],
            cwd=project, capture_output=True, text=True, env=env, timeout=600,
        )

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app.py:5:5: AL102" in failed.stdout

    app.write_text("import asyncio\n\n\nasync def handler():\n    await asyncio.sleep(1)\n")
    git("add", "app.py", cwd=project)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_hook_gives_each_service_its_own_configuration(tmp_path: Path) -> None:
    from tests.helpers import MONOREPO_FINDINGS, monorepo

    (tmp_path / "project").mkdir()
    project = monorepo(tmp_path / "project")
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}

    def hook(name: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PRE_COMMIT, "try-repo", str(REPO), name, "--all-files"],
            cwd=project, capture_output=True, text=True, env=env, timeout=600,
        )

    check = hook("asynclint")
    assert check.returncode == 1, check.stdout + check.stderr
    for path, line, code in MONOREPO_FINDINGS:
        assert f"{path}:{line}:5: {code}" in check.stdout, check.stdout
    # and not what the other service's settings would let through
    assert "svc_a/app.py:6:5: AL102" not in check.stdout, check.stdout
    assert "svc_b/app.py:7:5: AL101" not in check.stdout, check.stdout
    # pre-commit names every file, excluded ones too: the hooks force the excludes
    assert "migrations" not in check.stdout, check.stdout
    migration = project / "svc_b" / "migrations" / "m0001.py"
    before = migration.read_text()
    hook("asynclint-fix")
    assert "asyncio.sleep" in (project / "svc_b" / "app.py").read_text()
    assert migration.read_text() == before
