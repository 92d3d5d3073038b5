"""Output formats: SARIF against the official schema, GitHub annotations,
GitLab Code Quality, JUnit, pylint."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest

from asynclint.cli import main

HERE = Path(__file__).parent
BAD = (
    "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"
    "    loop = asyncio.get_event_loop()\n    return loop\n\n\nasync def g():\n    time.sleep(1)\n"
)


def run(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "app.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_sarif_validates_against_the_official_schema(project: Path, capsys) -> None:
    code, out = run(["--output-format", "sarif", "--no-cache", "pkg/app.py"], capsys)
    document = json.loads(out)
    schema = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    assert code == 1
    [sarif_run] = document["runs"]
    results = sarif_run["results"]
    assert [r["ruleId"] for r in results] == ["AL102", "AL206", "AL102"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6, "startColumn": 5, "endLine": 6, "endColumn": 18}
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/app.py"
    rule_ids = [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]]
    assert rule_ids[results[1]["ruleIndex"]] == "AL206"
    assert results[1]["fixes"][0]["description"]["text"] == "Use `asyncio.get_running_loop()`"
    # Same line text twice: fingerprints differ by occurrence, and survive moving the code down.
    prints = [r["partialFingerprints"]["asynclint/v1"] for r in results]
    assert len(set(prints)) == 3
    (project / "pkg" / "app.py").write_text("\n\n" + BAD)
    _, moved = run(["--output-format", "sarif", "--no-cache", "pkg/app.py"], capsys)
    assert [r["partialFingerprints"]["asynclint/v1"] for r in json.loads(moved)["runs"][0]["results"]] == prints


def test_github_annotations(project: Path, capsys) -> None:
    _, out = run(["--output-format", "github", "pkg/app.py"], capsys)
    first = out.splitlines()[0]
    assert first.startswith("::error title=asynclint (AL102),file=pkg/app.py,line=6,col=5,endLine=6,endColumn=18::AL102 ")
    (project / "pkg" / "multi.py").write_text("import time\n\nasync def f():\n    time.sleep(\n        1)\n")
    _, out = run(["--output-format", "github", "pkg/multi.py"], capsys)
    assert "col=" not in out and "line=4,endLine=5" in out


def test_github_escaping() -> None:
    from asynclint.reporters.github import _escape_data, _escape_property

    assert _escape_data("50%\nnext\r") == "50%25%0Anext%0D"
    assert _escape_property("a:b,c") == "a%3Ab%2Cc"


def test_gitlab_code_quality(project: Path, capsys) -> None:
    _, out = run(["--output-format", "gitlab", "pkg/app.py"], capsys)
    issues = json.loads(out)
    assert issues[0]["check_name"] == "AL102"
    assert issues[0]["location"] == {"path": "pkg/app.py", "lines": {"begin": 6, "end": 6}}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    (project / "pkg" / "app.py").write_text("# moved\n" + BAD)
    _, moved = run(["--output-format", "gitlab", "pkg/app.py"], capsys)
    assert [i["fingerprint"] for i in json.loads(moved)] == [i["fingerprint"] for i in issues]


def test_junit_and_pylint(project: Path, capsys) -> None:
    _, out = run(["--output-format", "junit", "pkg/app.py"], capsys)
    root = ElementTree.fromstring(out.split("\n", 1)[1])
    [suite] = root
    assert suite.get("failures") == "3"
    assert [f.get("type") for f in suite.iter("failure")] == ["AL102", "AL206", "AL102"]
    _, out = run(["--output-format", "pylint", "pkg/app.py"], capsys)
    assert out.splitlines()[0].startswith("pkg/app.py:6: [AL102] ")
