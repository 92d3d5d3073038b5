"""The GitHub Action (action.yml), its steps run as a runner runs a composite
action's: bash, with the step's environment and working directory, and the
`${{ }}` expressions filled in from the inputs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.helpers import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INSTALL = "Install asynclint"
BAD = "import time\n\n\nasync def handler():\n    time.sleep(1)\n"


@dataclass
class Runner:
    """What the steps see: the inputs, the checkout and the runner's folders."""

    workspace: Path
    temp: Path
    inputs: dict[str, str] = field(default_factory=dict)
    action_path: Path = REPO

    def value(self, expression: str) -> str | bool:
        """The few expression forms action.yml uses; any other fails the test."""
        if expression == "github.action_path":
            return str(self.action_path)
        if match := re.fullmatch(r"inputs\.([\w-]+)", expression):
            return self.input(match[1])
        if match := re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", expression):
            return self.input(match[1]) == match[2]
        raise AssertionError(f"the test does not know the expression {expression!r}")

    def input(self, name: str) -> str:
        return self.inputs.get(name, ACTION["inputs"][name].get("default", ""))

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: str(self.value(m[1])), text)

    def runs(self, step: dict) -> bool:
        condition = step.get("if")
        if condition is None:
            return True
        match = EXPRESSION.fullmatch(condition.strip())
        return bool(self.value(match[1] if match else condition.strip()))

    def run_step(self, step: dict) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in ("CI_PROJECT_DIR", "GITHUB_WORKSPACE")}
        env.update(RUNNER_TEMP=str(self.temp), GITHUB_WORKSPACE=str(self.workspace))
        env.update({name: self.expand(str(value)) for name, value in step.get("env", {}).items()})
        cwd = self.workspace / self.expand(step.get("working-directory", "."))
        return subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )

    def run(self, skip: tuple[str, ...] = ()) -> dict[str, subprocess.CompletedProcess | dict]:
        """Each step that runs: a shell step's process, or a `uses` step's inputs."""
        done: dict[str, subprocess.CompletedProcess | dict] = {}
        for step in ACTION["runs"]["steps"]:
            if step["name"] in skip or not self.runs(step):
                continue
            if "uses" in step:
                done[step["name"]] = {key: self.expand(str(value)) for key, value in step.get("with", {}).items()}
                continue
            done[step["name"]] = self.run_step(step)
            if done[step["name"]].returncode != 0:
                break
        return done


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    service = workspace / "services" / "api"
    service.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(workspace)], check=True)
    (service / "pyproject.toml").write_text("[project]\nname = 'api'\n")
    (service / "app.py").write_text(BAD)
    return workspace


def installed_here(runner: Runner) -> None:
    """Stands in for the install step: this environment's asynclint where the action puts it."""
    bin_dir = runner.temp / "asynclint-venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "asynclint").symlink_to(Path(sys.executable).parent / "asynclint")


def test_the_action_is_composite_and_installs_from_its_checkout() -> None:
    assert ACTION["runs"]["using"] == "composite"
    [install] = [step for step in ACTION["runs"]["steps"] if step["name"] == INSTALL]
    assert install["env"]["ASYNCLINT_SOURCE"] == "${{ github.action_path }}"


def test_the_action_annotates_and_fails_on_findings(monorepo: Path, tmp_path: Path) -> None:
    runner = Runner(monorepo, tmp_path / "runner", {"working-directory": "services/api"})
    installed_here(runner)
    steps = runner.run(skip=(INSTALL,))
    assert list(steps) == ["Annotate the findings"]
    annotate = steps["Annotate the findings"]
    assert annotate.returncode == 1
    assert annotate.stdout.startswith("::error title=asynclint (AL102),file=services/api/app.py,line=5,")


def test_the_action_uploads_sarif_when_asked(monorepo: Path, tmp_path: Path) -> None:
    runner = Runner(monorepo, tmp_path / "runner", {"working-directory": "services/api", "upload-sarif": "true"})
    installed_here(runner)
    steps = runner.run(skip=(INSTALL,))
    assert list(steps) == ["Write the SARIF report", "Upload the SARIF report", "Annotate the findings"]
    upload = steps["Upload the SARIF report"]
    # The upload step reads the file from the workspace, where the report step wrote it.
    document = json.loads((monorepo / upload["sarif_file"]).read_text())
    [result] = document["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "services/api/app.py"
    assert steps["Annotate the findings"].returncode == 1
