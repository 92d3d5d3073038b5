"""The command line contract: paths, formats, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint.cli import main

BAD = "import time\n\nasync def handler():\n    time.sleep(1)\n"
CLEAN = "import asyncio\n\nasync def handler():\n    await asyncio.sleep(1)\n"


def run(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_codes_and_concise_format(project: Path, capsys) -> None:
    (project / "bad.py").write_text(BAD)
    (project / "good.py").write_text(CLEAN)
    code, out, _ = run(["--output-format", "concise", "."], capsys)
    assert code == 1
    assert out.splitlines()[0] == "bad.py:4:5: AL102 [*] `time.sleep` blocks the event loop; use `await asyncio.sleep(...)`"
    assert out.splitlines()[-2:] == ["Found 1 error.", "[*] 1 fixable with the `--fix` option."]
    code, out, _ = run(["good.py"], capsys)
    assert (code, out.strip()) == (0, "All checks passed!")
    assert run(["--exit-zero", "bad.py"], capsys)[0] == 0


def test_full_format_shows_the_line_and_a_caret(project: Path, capsys) -> None:
    (project / "bad.py").write_text(BAD)
    _, out, _ = run(["bad.py"], capsys)
    assert "4 |     time.sleep(1)" in out
    assert "  |     ^^^^^^^^^^^^^" in out


def test_json_uses_ruff_field_names(project: Path, capsys) -> None:
    (project / "bad.py").write_text(BAD)
    code, out, _ = run(["--output-format", "json", "bad.py"], capsys)
    assert code == 1
    [item] = json.loads(out)
    assert item["code"] == "AL102" and item["name"] == "blocking-sleep"
    assert item["filename"] == str(project / "bad.py")
    assert item["location"] == {"row": 4, "column": 5}
    assert item["end_location"] == {"row": 4, "column": 18}
    assert item["noqa_row"] == 4
    assert {"fix", "url", "message"} <= set(item)


def test_usage_and_config_errors_exit_2(project: Path, capsys) -> None:
    assert run(["--no-such-option"], capsys)[0] == 2
    code, _, err = run(["--select", "AL999", "."], capsys)
    assert code == 2 and "AL999" in err
    (project / "pyproject.toml").write_text("[tool.asynclint]\nslect = ['AL1']\n")
    code, _, err = run(["."], capsys)
    assert code == 2 and "unknown key `slect`" in err and "did you mean `select`" in err
    (project / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    code, out, err = run(["missing_dir"], capsys)
    assert code == 2 and "missing_dir: no such file or subcommand" in err and out == ""
    code, out, err = run(["missing_dir/app.py"], capsys)
    assert code == 2 and "missing_dir/app.py: no such file or directory" in err and out == ""


def test_select_ignore_and_statistics(project: Path, capsys) -> None:
    (project / "bad.py").write_text(BAD + "\nasync def other():\n    time.sleep(2)\n")
    assert run(["--ignore", "AL102", "bad.py"], capsys)[0] == 0
    assert run(["--select", "AL2", "bad.py"], capsys)[0] == 0
    code, out, _ = run(["--statistics", "bad.py"], capsys)
    assert code == 1 and out.splitlines()[0] == "2\tAL102\t[*] blocking-sleep"  # ruff's rows
    assert out.splitlines()[1:] == ["Found 2 errors.", "[*] 2 fixable with the `--fix` option."]


def test_per_file_ignores(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.asynclint]\nper-file-ignores = { "scripts/*" = ["AL1"] }\n')
    (project / "scripts").mkdir()
    (project / "scripts" / "tool.py").write_text(BAD)
    (project / "app.py").write_text(BAD)
    code, out, _ = run(["--output-format", "concise", "."], capsys)
    assert code == 1
    assert "app.py:4:5" in out and "tool.py" not in out


def test_syntax_error_is_reported_and_other_files_still_checked(project: Path, capsys) -> None:
    (project / "broken.py").write_text("async def handler(:\n    pass\n")
    (project / "bad.py").write_text(BAD)
    code, out, err = run(["--output-format", "concise", "."], capsys)
    assert code == 1 and not err
    lines = out.splitlines()
    assert lines[0] == "bad.py:4:5: AL102 [*] `time.sleep` blocks the event loop; use `await asyncio.sleep(...)`"
    assert lines[1].startswith("broken.py:1:19: AL001 syntax error: ")


def test_awkward_files_are_handled(project: Path, capsys) -> None:
    (project / "empty.py").write_text("")
    (project / "latin1.py").write_bytes(b"async def f():\n    s = '\xe9t\xe9'\n")
    (project / "declared.py").write_bytes(b"# -*- coding: latin-1 -*-\nasync def f():\n    s = '\xe9t\xe9'\n")
    (project / "bom.py").write_bytes(b"\xef\xbb\xbf" + BAD.encode())
    (project / "crlf.py").write_bytes(BAD.replace("\n", "\r\n").encode())
    (project / "loop").mkdir()
    os.symlink(project / "loop", project / "loop" / "again")
    code, out, err = run(["--output-format", "concise", "."], capsys)
    assert not err
    assert "latin1.py:1:1: AL001 syntax error: cannot decode the file" in out
    assert "declared.py" not in out and "empty.py" not in out
    assert "bom.py:4:5: AL102" in out and "crlf.py:4:5: AL102" in out
    assert code == 1


def test_generated_five_megabyte_file(project: Path, capsys) -> None:
    # Like a generated descriptor module: long literal lines, then real code.
    blob = "ab" * 1000
    body = "".join(f"DATA_{i} = b'{blob}'\n" for i in range(2_500))
    (project / "generated.py").write_text(body + BAD)
    assert (project / "generated.py").stat().st_size > 5_000_000
    code, out, _ = run(["--output-format", "concise", "generated.py"], capsys)
    assert code == 1 and "generated.py:2504:5: AL102" in out


def test_rule_command(capsys) -> None:
    code, out, _ = run(["rule", "AL102"], capsys)
    assert code == 0 and out.startswith("# AL102 blocking-sleep") and "## Why is this bad?" in out
    code, out, _ = run(["rule", "blocking-sleep"], capsys)
    assert code == 0 and "AL102" in out
    code, out, _ = run(["rule", "--all"], capsys)
    assert code == 0 and "AL102  blocking-sleep" in out
    code, _, err = run(["rule", "AL999"], capsys)
    assert code == 2 and "unknown rule" in err


def test_version_and_module_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "asynclint", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("asynclint, version ")


def test_internal_error_in_a_rule_is_reported_and_the_run_continues(project: Path, capsys, monkeypatch) -> None:
    from asynclint.rules import al102_blocking_sleep

    def explode(self, node, call, callee):
        raise ValueError("boom")

    monkeypatch.setattr(al102_blocking_sleep.BlockingSleep, "on_call", explode)
    (project / "bad.py").write_text(BAD)
    code, _, err = run(["--select", "AL102", "bad.py"], capsys)
    assert code == 2
    assert "internal error in AL102: ValueError: boom" in err and "bad.py" in err


def test_no_files_found_is_a_warning(project: Path, capsys) -> None:
    (project / "notes.txt").write_text("")
    code, _, err = run(["."], capsys)
    assert code == 0 and "no Python files found" in err


def test_no_respect_gitignore(project: Path, capsys) -> None:
    (project / ".git").mkdir()
    (project / ".gitignore").write_text("vendored/\n")
    (project / "vendored").mkdir()
    (project / "vendored" / "lib.py").write_text(BAD)
    assert run(["."], capsys)[0] == 0
    assert run(["--no-respect-gitignore", "."], capsys)[0] == 1


def test_syntax_error_in_a_file_no_rule_would_look_at(project: Path, capsys) -> None:
    (project / "plain.py").write_text("def f(:\n    return 1\n")
    (project / "fine.py").write_text("x = 1\n")
    code, out, _ = run(["--output-format", "concise", "."], capsys)
    assert code == 1 and out.startswith("plain.py:1:7: AL001 syntax error")


def test_undecodable_file_without_triggers(project: Path, capsys) -> None:
    (project / "legacy.py").write_bytes(b"name = '\xe9t\xe9'\n")
    code, out, _ = run(["--output-format", "concise", "legacy.py"], capsys)
    assert code == 1 and "legacy.py:1:1: AL001 syntax error: cannot decode the file" in out


def test_force_exclude_skips_excluded_files_even_when_named(tmp_path: Path, tmp_path_factory, monkeypatch, capsys) -> None:
    from tests.helpers import monorepo

    monkeypatch.chdir(monorepo(tmp_path))
    migration = "svc_b/migrations/m0001.py"  # svc_b extends the root's extend-exclude = ["migrations"]
    code, out, _ = run(["--no-cache", "--output-format", "concise", migration], capsys)
    assert (code, out.splitlines()[0].split(": ")[0]) == (1, f"{migration}:6:5")  # named: checked
    for args in (["--force-exclude", migration], ["--force-exclude", "svc_b/migrations"],
                 ["--force-exclude", migration, "svc_a/app.py"]):
        code, out, err = run(["--no-cache", "--output-format", "concise", *args], capsys)
        assert "migrations" not in out, args
    assert code == 1 and "svc_a/app.py:7:5: AL101" in out
    (tmp_path / "svc_b" / "pyproject.toml").write_text('[tool.asynclint]\nextend = "../pyproject.toml"\nforce-exclude = true\n')
    assert run(["--no-cache", migration], capsys)[0] == 0
    assert run(["--no-cache", "--no-force-exclude", migration], capsys)[0] == 1
    # a folder it is in counts only below its configuration's folder
    build = tmp_path_factory.mktemp("outside") / "build"
    build.mkdir()
    (build / "app.py").write_text(BAD)
    monkeypatch.chdir(build)  # no configuration: the defaults, which exclude `build`
    assert run(["--no-cache", "--force-exclude", "."], capsys)[0] == 1
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc_b" / "pyproject.toml").write_text('[tool.asynclint]\nforce-exclude = true\nexclude = ["svc_b"]\n')
    assert run(["--no-cache", "svc_b/app.py"], capsys)[0] == 1


def test_force_exclude_leaves_an_excluded_stdin_file_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["migrations"]\nforce-exclude = true\n')
    for args in (["--stdin-filename", "migrations/m1.py", "-"], ["--fix", "--stdin-filename", "migrations/m1.py", "-"]):
        proc = subprocess.run([sys.executable, "-m", "asynclint", *args], input=BAD.encode(), capture_output=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == (BAD.encode() if "--fix" in args else b"")
    proc = subprocess.run([sys.executable, "-m", "asynclint", "--stdin-filename", "app.py", "-"], input=BAD.encode(), capture_output=True, cwd=tmp_path)
    assert proc.returncode == 1


def asynclint(args: list[str], cwd: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """A run in its own process: the language server must not start where a folder is meant."""
    return subprocess.run([sys.executable, "-m", "asynclint", *args], input=stdin, capture_output=True, cwd=cwd, timeout=120)


def lsp(*messages: dict) -> bytes:
    bodies = [json.dumps({"jsonrpc": "2.0", **m}).encode() for m in messages]
    return b"".join(f"Content-Length: {len(b)}\r\n\r\n".encode() + b for b in bodies)


def test_a_folder_named_like_a_subcommand_is_checked_with_a_note(project: Path) -> None:
    for name in ("server", "rule"):
        (project / name).mkdir()
        (project / name / "app.py").write_text(BAD)
        proc = asynclint([name, "--output-format", "concise"], project)
        assert proc.returncode == 1, proc.stderr
        assert proc.stdout.decode().startswith(f"{name}/app.py:4:5: AL102")
        assert f"note: `{name}` is a folder here, so it is checked" in proc.stderr.decode()
    assert asynclint(["server"], project).returncode == 1
    assert asynclint(["check", "server", "-q"], project).returncode == 1
    # the command's own arguments make it the command
    explained = asynclint(["rule", "AL102"], project)
    assert explained.returncode == 0 and explained.stdout.startswith(b"# AL102") and b"note" not in explained.stderr
    session = lsp(
        {"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"id": 2, "method": "shutdown"},
        {"method": "exit"},
    )
    served = asynclint(["server", "--stdio"], project, stdin=session)
    assert served.returncode == 0, served.stderr
    assert b'"name":"asynclint"' in served.stdout.replace(b" ", b"") and b"note" not in served.stderr


def test_an_unknown_word_is_no_such_file_or_subcommand(project: Path, capsys) -> None:
    code, out, err = run(["rules", "AL101"], capsys)
    assert code == 2 and out == ""
    assert "asynclint: error: rules: no such file or subcommand; did you mean `rule`?" in err
    (project / "rules").mkdir()  # a folder of that name is checked
    (project / "rules" / "app.py").write_text(CLEAN)
    assert run(["rules"], capsys)[:2] == (0, "All checks passed!\n")


def test_select_replaces_the_configured_select_and_extend_select(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.asynclint]\nselect = ["AL2"]\nextend-select = ["AL110"]\n')
    (project / "app.py").write_text("import os\nimport time\n\nasync def handler(path):\n    os.path.exists(path)\n    time.sleep(1)\n")
    assert [line.split()[1] for line in run(["--no-cache", "-q", "--output-format", "concise", "app.py"], capsys)[1].splitlines()] == ["AL110"]
    code, out, _ = run(["--no-cache", "-q", "--output-format", "concise", "--select", "AL102", "app.py"], capsys)
    assert [line.split()[1] for line in out.splitlines()] == ["AL102"]
