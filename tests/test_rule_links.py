"""Every format that can link to a rule's page does: SARIF `helpUri`, JSON
`url`, the `full` format's footer; the base comes from `docs-url` or the
project's own `[project.urls]`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from asynclint.cli import main
from asynclint.urls import rule_url
from tests.helpers import REPO
from tests.test_reporters import sarif_schema_validator

BAD = "import time\n\nasync def handler():\n    time.sleep(1)\n"
OWN_DOCS = "https://docs.example.com/asynclint"


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "bad.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def project_url(label: str) -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"][label]


def test_the_default_base_is_the_documentation_url_of_the_project() -> None:
    assert rule_url("AL102") == project_url("Documentation") + "/rules/AL102.md"
    # The page the link names is in the repository, where the docs' URL says.
    assert (REPO / "docs" / "rules" / "AL102.md").is_file()
    assert rule_url("AL102", OWN_DOCS + "/") == OWN_DOCS + "/rules/AL102.md"


def test_every_format_links_to_the_rule(project: Path, capsys) -> None:
    page = rule_url("AL102")
    _, out, _ = run(["--no-cache", "bad.py"], capsys)
    assert out.splitlines()[4] == f"  = docs: {page}"
    [item] = json.loads(run(["--output-format", "json", "bad.py"], capsys)[1])
    assert item["url"] == page
    document = json.loads(run(["--output-format", "sarif", "bad.py"], capsys)[1])
    sarif_schema_validator().validate(document)
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == project_url("Homepage")
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert rules["AL102"]["helpUri"] == page
    assert all(rule["helpUri"] == rule_url(code) for code, rule in rules.items())


def test_docs_url_setting_moves_the_links(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(f"[tool.asynclint]\ndocs-url = '{OWN_DOCS}'\n")
    [item] = json.loads(run(["--output-format", "json", "bad.py"], capsys)[1])
    assert item["url"] == OWN_DOCS + "/rules/AL102.md"
    document = json.loads(run(["--output-format", "sarif", "bad.py"], capsys)[1])
    assert document["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].startswith(OWN_DOCS + "/rules/")
    assert f"= docs: {OWN_DOCS}/rules/AL102.md" in run(["bad.py"], capsys)[1]


@pytest.mark.parametrize("value", ["'docs/rules'", "'https://x y'", "3"])
def test_a_docs_url_that_is_no_url_is_a_configuration_error(project: Path, capsys, value: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.asynclint]\ndocs-url = {value}\n")
    code, _, err = run(["bad.py"], capsys)
    assert code == 2
    assert "pyproject.toml: `docs-url` must be an absolute URL" in err
