"""The project's own classes followed the same way from the real pre-commit
hook (only the changed files named) and the real language server."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, expected_findings
from tests.test_precommit import PRE_COMMIT, REPO, git
from tests.test_server import Client

SERVICE = FIXTURES / "projects" / "service"
ENDPOINTS = ("app/routes.py", "app/jobs.py", "app/forecasts.py")


def expected(root: Path) -> set[tuple[str, int, str]]:
    return {(name, line, code) for name in ENDPOINTS for line, code in expected_findings(root / name)}


@pytest.mark.skipif(not Path(PRE_COMMIT).exists() or shutil.which("git") is None, reason="needs git and pre-commit")
def test_pre_commit_names_only_the_changed_files_and_follows_the_rest(tmp_path: Path) -> None:
    project = tmp_path / "service"
    shutil.copytree(SERVICE, project)
    git("init", "-q", cwd=project)
    git("add", ".", cwd=project)
    run = subprocess.run(
        [PRE_COMMIT, "try-repo", str(REPO), "asynclint", "--files", *ENDPOINTS],
        cwd=project, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")},
    )
    assert run.returncode == 1, run.stdout + run.stderr
    found = set()
    for line in run.stdout.splitlines():
        parts = line.split(":")
        if len(parts) > 3 and parts[0].startswith("app/") and parts[3].strip().startswith("AL"):
            found.add((parts[0], int(parts[1]), parts[3].split()[0]))
    assert found == expected(project)


def test_the_language_server_follows_the_projects_classes(tmp_path: Path) -> None:
    project = tmp_path / "service"
    shutil.copytree(SERVICE, project)
    (project / "pyproject.toml").write_text('[tool.asynclint]\nselect = ["AL"]\n')
    client = Client(project)
    try:
        client.request("initialize", {"processId": None, "rootUri": project.as_uri(), "capabilities": {}})
        client.send({"method": "initialized", "params": {}})
        found = set()
        for name in ENDPOINTS:
            path = project / name
            client.send({"method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "python", "version": 1, "text": path.read_text()}}})
            published = client.wait_for("textDocument/publishDiagnostics")["params"]
            assert published["uri"] == path.as_uri()
            found |= {(name, d["range"]["start"]["line"] + 1, d["code"]) for d in published["diagnostics"]}
        assert found == expected(project)
        client.request("shutdown", {})
        client.send({"method": "exit"})
        assert client.process.wait(timeout=10) == 0
    finally:
        if client.process.poll() is None:
            client.process.kill()
