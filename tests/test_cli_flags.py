"""The flags ruff users reach for, as ruff behaves: --show-files,
--show-settings, -v, -o, --config KEY=VALUE, --isolated, --fixable /
--unfixable / --extend-fixable, --fix-only, --exit-non-zero-on-fix, --no-fix,
colour, --statistics, `.ignore` files, one-line messages."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import BAD, CLEAN, run

# AL102 (fixable: adds `import asyncio`) and AL206 (fixable, no import)
TWO_FIXABLE = "import asyncio\nimport time\n\nasync def handler():\n    time.sleep(1)\n    return asyncio.get_event_loop()\n"
ANSI = "\033["


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n[tool.asynclint]\nignore = ['AL110']\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def test_show_files_lists_what_a_run_would_check_and_checks_nothing(project: Path, capsys) -> None:
    (project / "b.py").write_text(BAD)
    (project / "a.py").write_text(CLEAN)
    (project / "build").mkdir()
    (project / "build" / "gen.py").write_text(BAD)
    code, out, _ = run(["--show-files", "."], capsys)
    assert code == 0
    assert out.splitlines() == [str(project / "a.py"), str(project / "b.py")]


def test_show_settings_names_the_file_its_configuration_and_its_rules(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        "[project]\nrequires-python = '>=3.9'\n[tool.asynclint]\nper-file-ignores = { 'tests/*' = ['AL1'] }\n"
    )
    (project / "tests").mkdir()
    (project / "tests" / "t.py").write_text(BAD)
    code, out, _ = run(["--show-settings", "tests/t.py"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [f"Resolved settings for: {project / 'tests' / 't.py'}", f"Settings path: {project / 'pyproject.toml'}"]
    assert 'target-version = "py39"' in lines
    enabled = next(line for line in lines if line.startswith("enabled-rules = "))
    assert '"AL201"' in enabled and '"AL102"' not in enabled  # the per-file ignore applied
    assert "AL102" not in out.split("# the rules")[0] or "Found" not in out  # nothing was checked


def test_verbose_says_which_configuration_and_what_the_cache_held(project: Path, capsys) -> None:
    (project / "app.py").write_text(BAD)
    _, _, quiet_err = run(["--no-cache", "app.py"], capsys)
    assert "verbose" not in quiet_err
    _, _, err = run(["-v", "app.py"], capsys)
    assert f"1 file with the settings of {project / 'pyproject.toml'} (target py311)" in err
    assert "0 results from the cache, 1 checked" in err
    _, _, err = run(["--verbose", "app.py"], capsys)
    assert "1 result from the cache, 0 checked" in err


def test_output_file_holds_the_report_and_its_summary(project: Path, capsys) -> None:
    (project / "app.py").write_text(BAD)
    code, out, _ = run(["-o", "reports/lint.txt", "--output-format", "concise", "--color", "always", "app.py"], capsys)
    assert code == 1 and out == ""
    text = (project / "reports" / "lint.txt").read_text()
    assert text.startswith(f"{ANSI}1mapp.py{ANSI}0m:4:5: ")  # `--color always`: in the file too
    assert "Found 1 error." in text
    run(["-o", "reports/lint.txt", "--output-format", "concise", "app.py"], capsys)
    assert (project / "reports" / "lint.txt").read_text().startswith("app.py:4:5: AL102")  # auto: a file, no colour
    code, out, _ = run(["--output-file", "lint.json", "--output-format", "json", "app.py"], capsys)
    assert code == 1 and out == "" and json.loads((project / "lint.json").read_text())[0]["code"] == "AL102"


def test_config_settings_override_every_configuration(project: Path, capsys) -> None:
    (project / "app.py").write_text(BAD)
    assert run(["--config", "ignore = ['AL102']", "app.py"], capsys)[0] == 0
    assert run(["--config", 'per-file-ignores."app.py" = ["AL1"]', "app.py"], capsys)[0] == 0
    # with a configuration file named too, and on top of it
    (project / "other.toml").write_text("select = ['AL2']\n")
    assert run(["--config", "other.toml", "app.py"], capsys)[0] == 0
    assert run(["--config", "other.toml", "--config", "select = ['AL1']", "app.py"], capsys)[0] == 1


@pytest.mark.parametrize(
    "value, message",
    [
        ("selct = ['AL1']", "--config: unknown key `selct` (did you mean `select`?)"),
        ("preview = 'yes'", "--config: `preview` must be true or false"),
        ("ignore = ['AL999']", "--config: `ignore` has unknown rule code `AL999`"),
        ("extend = '../pyproject.toml'", "--config: `extend` belongs in a configuration file"),
        ("not toml at all", "--config 'not toml at all' is neither a configuration file nor a `KEY = VALUE` setting"),
        ("missing.toml", "config file not found: missing.toml"),
    ],
)
def test_a_bad_config_setting_is_an_error_naming_it(project: Path, capsys, value: str, message: str) -> None:
    (project / "app.py").write_text(BAD)
    code, out, err = run(["--config", value, "app.py"], capsys)
    assert code == 2 and message in err and out == ""


def test_isolated_ignores_every_configuration_file(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text("[tool.asynclint]\nignore = ['AL102']\n")
    (project / "app.py").write_text(BAD)
    assert run(["app.py"], capsys)[0] == 0
    assert run(["--isolated", "app.py"], capsys)[0] == 1
    assert run(["--isolated", "--ignore", "AL102", "app.py"], capsys)[0] == 0
    code, _, err = run(["--isolated", "--config", "pyproject.toml", "app.py"], capsys)
    assert code == 2 and "--isolated" in err


def test_unfixable_rules_offer_no_fix(project: Path, capsys) -> None:
    (project / "app.py").write_text(TWO_FIXABLE)
    _, out, _ = run(["--output-format", "json", "--unfixable", "AL102", "--no-cache", "app.py"], capsys)
    fixes = {item["code"]: item["fix"] for item in json.loads(out)}
    assert fixes["AL102"] is None and fixes["AL206"] is not None
    _, out, _ = run(["--output-format", "concise", "--unfixable", "AL102", "app.py"], capsys)
    assert "AL102 `time.sleep`" in out and "AL206 [*]" in out and "[*] 1 fixable" in out
    assert run(["--fix", "--unfixable", "AL102", "app.py"], capsys)[0] == 1
    assert "time.sleep(1)" in (project / "app.py").read_text()
    assert "get_running_loop" in (project / "app.py").read_text()


def test_fixable_replaces_and_extend_fixable_adds(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text("[tool.asynclint]\nfixable = ['AL206']\n")
    (project / "app.py").write_text(TWO_FIXABLE)
    _, out, _ = run(["--output-format", "concise", "app.py"], capsys)
    assert "AL206 [*]" in out and "AL102 `" in out
    _, out, _ = run(["--output-format", "concise", "--extend-fixable", "AL102", "app.py"], capsys)
    assert "AL206 [*]" in out and "AL102 [*]" in out
    _, out, _ = run(["--output-format", "concise", "--fixable", "AL102", "app.py"], capsys)
    assert "AL206 `" in out and "AL102 [*]" in out


def test_fix_only_reports_nothing_and_exits_0(project: Path, capsys) -> None:
    remaining = "\nasync def other(client):\n    import requests\n    requests.get('https://x', timeout=1)\n"
    (project / "app.py").write_text(TWO_FIXABLE + remaining)
    code, out, _ = run(["--fix-only", "app.py"], capsys)
    assert (code, out) == (0, "Fixed 2 errors.\n")
    assert "asyncio.sleep" in (project / "app.py").read_text()
    (project / "app.py").write_text(TWO_FIXABLE + remaining)
    assert run(["--fix-only", "-q", "app.py"], capsys)[:2] == (0, "")
    code, _, _ = run(["--fix-only", "app.py"], capsys)  # nothing left to fix
    assert code == 0


def test_exit_non_zero_on_fix(project: Path, capsys) -> None:
    (project / "app.py").write_text(TWO_FIXABLE)
    assert run(["--fix", "app.py"], capsys)[0] == 0  # everything fixed
    (project / "app.py").write_text(TWO_FIXABLE)
    code, out, _ = run(["--fix", "--exit-non-zero-on-fix", "app.py"], capsys)
    assert code == 1 and "2 fixed, 0 remaining" in out
    assert run(["--fix", "--exit-non-zero-on-fix", "app.py"], capsys)[0] == 0  # nothing changed this time
    (project / "app.py").write_text(TWO_FIXABLE)
    assert run(["--fix-only", "--exit-non-zero-on-fix", "app.py"], capsys)[0] == 1


def test_fix_in_the_configuration_and_no_fix(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text("[tool.asynclint]\nfix = true\n")
    (project / "app.py").write_text(TWO_FIXABLE)
    assert run(["--no-fix", "app.py"], capsys)[0] == 1
    assert (project / "app.py").read_text() == TWO_FIXABLE
    assert run(["app.py"], capsys)[0] == 0
    assert "asyncio.sleep" in (project / "app.py").read_text()


def test_colour_follows_color_no_color_and_force_color(project: Path, capsys, monkeypatch) -> None:
    (project / "app.py").write_text(BAD)
    assert ANSI not in run(["app.py"], capsys)[1]  # not a terminal
    assert f"{ANSI}1;31mAL102" in run(["--color", "always", "app.py"], capsys)[1]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI in run(["app.py"], capsys)[1]
    assert ANSI not in run(["--color", "never", "app.py"], capsys)[1]
    assert ANSI not in run(["--output-format", "json", "app.py"], capsys)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI not in run(["app.py"], capsys)[1]


def test_colour_on_a_terminal_unless_no_color(project: Path) -> None:
    (project / "app.py").write_text(BAD)

    def on_a_terminal(**env: str) -> str:
        leader, follower = pty.openpty()
        environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
        subprocess.run([sys.executable, "-m", "asynclint", "app.py"], stdout=follower, stderr=subprocess.DEVNULL,
                       env={**environment, "TERM": "xterm", **env}, timeout=120, check=False)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return b"".join(chunks).decode()

    assert f"{ANSI}1;31mAL102" in on_a_terminal()
    assert "AL102" in on_a_terminal(NO_COLOR="1") and ANSI not in on_a_terminal(NO_COLOR="1")


def test_statistics_count_fixable_findings(project: Path, capsys) -> None:
    (project / "app.py").write_text(TWO_FIXABLE + "\nasync def f():\n    import requests\n    requests.get('u', timeout=1)\n")
    code, out, _ = run(["--statistics", "--unfixable", "AL206", "app.py"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "1\tAL101\t[ ] blocking-http-call",
        "1\tAL102\t[*] blocking-sleep",
        "1\tAL206\t[ ] get-event-loop-in-coroutine",
        "Found 3 errors.",
        "[*] 1 fixable with the `--fix` option.",
    ]
    assert run(["--statistics", "-q", "app.py"], capsys)[1].count("\n") == 3
    _, out, _ = run(["--statistics", "--output-format", "json", "app.py"], capsys)
    rows = {row["code"]: row for row in json.loads(out)}
    assert rows["AL102"] == {"code": "AL102", "name": "blocking-sleep", "count": 1, "fixable": True, "fixable_count": 1}
    assert rows["AL101"]["fixable"] is False and rows["AL101"]["fixable_count"] == 0


def test_ignore_files_are_honoured_like_gitignore(project: Path, capsys) -> None:
    for name in ("app.py", "generated.py", "kept.py"):
        (project / name).write_text(BAD)
    (project / ".gitignore").write_text("kept.py\n")
    (project / ".ignore").write_text("generated.py\n!kept.py\n")  # read after .gitignore: it takes kept.py back
    _, out, _ = run(["--show-files", "."], capsys)
    assert out.splitlines() == [str(project / "app.py"), str(project / "kept.py")]
    _, out, _ = run(["--show-files", "--no-respect-gitignore", "."], capsys)
    assert len(out.splitlines()) == 3


def test_advice_over_several_lines_stays_on_one_line(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.asynclint.extend-blocking-calls]\n"acme.charge" = """use acme.acharge\n  (the async client)\nof the SDK"""\n'
    )
    (project / "app.py").write_text("import acme\n\nasync def pay():\n    acme.charge()\n")
    advice = "use acme.acharge (the async client) of the SDK"
    for output_format in ("concise", "pylint", "full"):
        _, out, _ = run(["--output-format", output_format, "-q", "app.py"], capsys)
        headline = out.splitlines()[0]
        assert headline.endswith(advice), (output_format, out)
    _, out, _ = run(["--output-format", "concise", "-q", "app.py"], capsys)
    assert len(out.splitlines()) == 1


def test_the_readme_documents_every_option_of_check() -> None:
    import click

    from asynclint.cli import check
    from tests.helpers import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = [
        name for param in check.params if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts) if name.startswith("--") and name not in ("--help",)
    ]
    assert [name for name in names if f"`{name}" not in readme and f" {name}" not in readme] == []
