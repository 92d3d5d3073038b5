"""Output formats: SARIF against the official schema, GitHub annotations,
GitLab Code Quality, JUnit, pylint."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from junitparser import JUnitXml

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


@pytest.fixture(autouse=True)
def outside_ci(monkeypatch) -> None:
    """The CI's checkout variables would move the repository root."""
    for variable in ("GITHUB_WORKSPACE", "CI_PROJECT_DIR"):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "app.py").write_text(BAD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def repository(tmp_path: Path, monkeypatch) -> Path:
    """A git repository whose service folder has its own pyproject.toml, and a
    file whose name needs percent-encoding in a URI."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    service = tmp_path / "services" / "api v2"
    (service / "pkg").mkdir(parents=True)
    (service / "pyproject.toml").write_text("[project]\nname = 'api'\n")
    (service / "pkg" / "50%:app.py").write_text(BAD)
    return tmp_path


def sarif_schema_validator():
    """The official schema, with URI formats checked (jsonschema checks a format
    only when a validator for it is installed: make sure this one is)."""
    schema = json.loads((HERE / "data" / "sarif-schema-2.1.0.json").read_text())
    checker = jsonschema.FormatChecker()
    assert not checker.conforms("a b", "uri-reference") and not checker.conforms("a b", "uri")
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def test_sarif_validates_against_the_official_schema(project: Path, capsys) -> None:
    code, out = run(["--output-format", "sarif", "--no-cache", "pkg/app.py"], capsys)
    document = json.loads(out)
    sarif_schema_validator().validate(document)
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


def junit_report(args: list[str], capsys, tmp_path: Path) -> JUnitXml:
    """The report as a JUnit consumer reads it (which also checks it is well formed)."""
    out = run(["--output-format", "junit", "--no-cache", *args], capsys)[1]
    report = tmp_path / "report.xml"
    report.write_text(out, encoding="utf-8")
    return JUnitXml.fromfile(str(report))


def test_junit_has_a_failing_test_case_per_finding(project: Path, capsys, tmp_path: Path) -> None:
    (project / "pkg" / "other.py").write_text(BAD)
    report = junit_report(["pkg"], capsys, tmp_path)
    assert (report.tests, report.failures, report.errors) == (6, 6, 0)
    suites = list(report)
    assert [suite.name for suite in suites] == ["pkg/app.py", "pkg/other.py"]
    assert [(suite.tests, suite.failures) for suite in suites] == [(3, 3), (3, 3)]
    cases = list(suites[0])
    assert [case.name for case in cases] == [
        "AL102 blocking-sleep at 6:5", "AL206 get-event-loop-in-coroutine at 7:12", "AL102 blocking-sleep at 12:5",
    ]
    assert {case.classname for case in cases} == {"pkg/app.py"}
    [failure] = cases[0].result
    assert failure.type == "AL102"
    assert failure.message.startswith("AL102 `time.sleep` blocks the event loop")
    assert failure.text.startswith("pkg/app.py:6:5: AL102 ")


def test_junit_of_a_clean_run_is_one_passing_case(project: Path, capsys, tmp_path: Path) -> None:
    (project / "pkg" / "app.py").write_text("import asyncio\n")
    report = junit_report(["pkg"], capsys, tmp_path)
    assert (report.tests, report.failures, report.errors) == (1, 0, 0)
    [suite] = report
    [case] = suite
    assert case.is_passed and case.name == "no findings"


def test_junit_escapes_control_characters(project: Path, capsys, tmp_path: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.asynclint.extend-blocking-calls]\n"acme.charge" = "use \\u001b[1macme.acharge\\u0000"\n'
    )
    (project / "pkg" / "pay\x01.py").write_text("import acme\n\n\nasync def pay():\n    acme.charge()\n")
    report = junit_report(["pkg/pay\x01.py"], capsys, tmp_path)
    [suite] = report
    [case] = suite
    [failure] = case.result
    assert suite.name == case.classname == "pkg/pay\\x01.py"
    assert failure.message.endswith("use \\x1b[1macme.acharge\\x00")
    assert failure.text.startswith("pkg/pay\\x01.py:5:5: AL106 ")


def test_pylint(project: Path, capsys) -> None:
    _, out = run(["--output-format", "pylint", "pkg/app.py"], capsys)
    assert out.splitlines()[0].startswith("pkg/app.py:6: [AL102] ")


def ci_outputs(capsys, paths: list[str]) -> dict[str, str]:
    return {
        fmt: run(["--output-format", fmt, "--no-cache", *paths], capsys)[1]
        for fmt in ("sarif", "github", "gitlab")
    }


def test_ci_paths_are_from_the_repository_root_whatever_the_working_directory(
    repository: Path, monkeypatch, capsys
) -> None:
    service = repository / "services" / "api v2"
    monkeypatch.chdir(repository)
    from_top = ci_outputs(capsys, ["services/api v2/pkg"])
    monkeypatch.chdir(service / "pkg")
    from_inside = ci_outputs(capsys, ["."])
    assert from_inside == from_top

    document = json.loads(from_top["sarif"])
    sarif_schema_validator().validate(document)
    [sarif_run] = document["runs"]
    location = sarif_run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "services/api%20v2/pkg/50%25%3Aapp.py", "uriBaseId": "%SRCROOT%"}
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repository.resolve().as_uri() + "/"
    assert "file=services/api v2/pkg/50%25%3Aapp.py," in from_top["github"]
    paths = {issue["location"]["path"] for issue in json.loads(from_top["gitlab"])}
    assert paths == {"services/api v2/pkg/50%:app.py"}


def test_ci_checkout_variables_set_the_root(repository: Path, monkeypatch, capsys) -> None:
    service = repository / "services" / "api v2"
    monkeypatch.chdir(service)
    monkeypatch.setenv("CI_PROJECT_DIR", str(service))
    [issue, *_] = json.loads(run(["--output-format", "gitlab", "pkg"], capsys)[1])
    assert issue["location"]["path"] == "pkg/50%:app.py"
    # A checkout the job does not run in is not the root.
    monkeypatch.setenv("CI_PROJECT_DIR", str(repository / "elsewhere"))
    [issue, *_] = json.loads(run(["--output-format", "gitlab", "pkg"], capsys)[1])
    assert issue["location"]["path"] == "services/api v2/pkg/50%:app.py"


def test_a_file_outside_the_repository_is_an_absolute_uri(repository: Path, tmp_path_factory, monkeypatch, capsys) -> None:
    outside = tmp_path_factory.mktemp("outside") / "app.py"
    outside.write_text(BAD)
    monkeypatch.chdir(repository)
    document = json.loads(run(["--output-format", "sarif", "--no-cache", str(outside)], capsys)[1])
    sarif_schema_validator().validate(document)
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.resolve().as_uri()}
