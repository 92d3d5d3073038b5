"""What a run imports: a small run must not pay for what it does not use
(libcst's codemod, a process pool, the XML library of one CI format, the
package metadata reader). Checked by name in a fresh process, not timed:
bench/startup.py times it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint import registry
from asynclint.catalog import RULES

FINDING = "import time\n\nasync def handler():\n    time.sleep(1)\n"
FIXABLE = "import asyncio\n\nasync def handler():\n    return asyncio.get_event_loop()\n"

# Modules whose import a reporting run does not need, each with why it is heavy.
HEAVY = {
    "libcst.codemod": "the import adder of fixes: more than a whole small run",
    "libcst.matchers": "imported by the codemod, a second of its own on a slow machine",
    "multiprocessing": "the process pool, for runs of many files only",
    "concurrent.futures.process": "the process pool",
    "importlib.metadata": "the package metadata reader, with the email parser",
    "email": "the package metadata reader's parser",
    "xml.etree": "the JUnit format's XML",
    "pathspec": "ignore files, read only in a folder walk",
    "pygls": "the language server",
    "lsprotocol": "the language server",
}


def _modules_of_run(folder: Path, *args: str) -> tuple[set[str], str]:
    """The modules imported by `asynclint ARGS` run in `folder`, and its output."""
    script = (
        "import json, sys\n"
        "from asynclint.cli import main\n"
        f"sys.argv = ['asynclint', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=folder, capture_output=True, text=True, timeout=120)
    head, _, modules = run.stderr.rpartition("\nMODULES ")
    assert modules, run.stderr
    return set(json.loads(modules)), run.stdout + head


# What the plain run (one file with a finding, the default format, no cache, no
# configuration file) does without, besides HEAVY, each with what needs it.
NOT_ON_THE_PLAIN_RUN = {
    "asynclint.fixes": "--fix and --diff",
    "asynclint.edits": "fixes spelled out as edits (JSON, SARIF, editors)",
    "asynclint.baseline": "--baseline and --write-baseline",
    "asynclint.server": "the language server",
    "asynclint.pool": "runs of many files",
    "asynclint.reporters.github": "--output-format github",
    "asynclint.reporters.gitlab": "--output-format gitlab",
    "asynclint.reporters.json_format": "--output-format json",
    "asynclint.reporters.junit": "--output-format junit",
    "asynclint.reporters.sarif": "--output-format sarif",
    "hashlib": "the cache's digests (it loads OpenSSL)",
    "tempfile": "the cache's writes and a pool's shared models (with shutil and the compression modules)",
    "tomllib": "configuration files and --config settings",
    "difflib": "suggestions for a misspelt name",
    "pkgutil": "listing every rule module (rule docs, the catalogue)",
}


def _heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules or any(m.startswith(name + ".") for m in modules))


@pytest.mark.parametrize("output_format", ["full", "concise", "github", "gitlab", "pylint"])
def test_a_run_that_finds_something_imports_nothing_heavy(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "app.py").write_text(FINDING)
    modules, output = _modules_of_run(tmp_path, "--no-cache", "--output-format", output_format, "app.py")
    assert "AL102" in output
    assert "libcst" in modules  # the file was parsed
    assert _heavy(modules) == []


@pytest.mark.parametrize("output_format", ["json", "sarif"])
def test_fixes_spelled_out_need_the_codemod_only_to_add_an_import(tmp_path: Path, output_format: str) -> None:
    """JSON and SARIF spell out each fix's edits: a fix that adds no import
    needs no import adder; one that adds `import asyncio` does."""
    (tmp_path / "app.py").write_text(FIXABLE)
    modules, output = _modules_of_run(tmp_path, "--no-cache", "--output-format", output_format, "app.py")
    assert "AL206" in output and "get_running_loop" in output
    assert _heavy(modules) == []
    (tmp_path / "app.py").write_text(FINDING)  # the fix adds `import asyncio`
    modules, output = _modules_of_run(tmp_path, "--no-cache", "--output-format", output_format, "app.py")
    assert "AL102" in output and "import asyncio" in output
    assert "libcst.codemod" in modules


def test_a_clean_file_needs_no_parser(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import json\n\ndef load(text):\n    return json.loads(text)\n")
    modules, output = _modules_of_run(tmp_path, "--no-cache", "app.py")
    assert "All checks passed!" in output
    assert "libcst" not in modules
    assert _heavy(modules) == []



def test_project_urls_are_read_without_importlib_metadata_and_agree_with_it() -> None:
    from importlib import metadata

    from asynclint import urls

    assert urls._installed_metadata() is not None, "the fast path finds the installed METADATA"
    entries = metadata.metadata("asynclint").get_all("Project-URL")
    expected = {label.strip().lower(): url.strip() for label, _, url in (e.partition(",") for e in entries)}
    urls.project_urls.cache_clear()
    assert urls.project_urls() == expected and "documentation" in expected


def test_the_plain_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(FINDING)
    modules, output = _modules_of_run(tmp_path, "--no-cache", "app.py")
    assert "AL102" in output
    assert {"libcst", "asynclint.reporters.text", "asynclint.rules.al102_blocking_sleep"} <= modules
    assert _heavy(modules) == []
    assert sorted(name for name in NOT_ON_THE_PLAIN_RUN if name in modules) == []


def _rule_modules(modules: set[str]) -> set[str]:
    return {name for name in modules if name.startswith("asynclint.rules.al")}


def _modules_of(codes) -> set[str]:
    return {registry.rule_class(code).__module__ for code in codes}


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        ((), [code for code, (_, default) in RULES.items() if default == "ON"]),
        (("--select", "AL102"), ["AL102"]),
        (("--preview", "--extend-select", "AL501"), [code for code, (_, default) in RULES.items() if default != "OPT_IN"] + ["AL501"]),
    ],
    ids=["defaults", "one-selected", "preview-and-an-opt-in"],
)
def test_a_check_imports_the_modules_of_the_rules_it_runs_only(tmp_path: Path, args: tuple[str, ...], codes: list[str]) -> None:
    (tmp_path / "app.py").write_text(FINDING)
    modules, output = _modules_of_run(tmp_path, "--no-cache", *args, "app.py")
    assert "AL102" in output
    assert _rule_modules(modules) == _modules_of(codes)


def test_every_rule_is_found_by_its_catalogue_name() -> None:
    assert {code: registry.rule_class(code) for code in RULES} == registry.all_rules()


def test_a_run_leaves_nothing_for_the_collection_at_exit(tmp_path: Path) -> None:
    """Python's last collection, as the process exits, would walk every object
    left and free the cyclic ones (libcst's classes, the rules' tables): memory
    the system takes back anyway. The run sets them aside first."""
    (tmp_path / "app.py").write_text(FINDING)
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: sys.stderr.write(f'\\nTRACKED {len(gc.get_objects())}'))  # runs last\n"
        "from asynclint.cli import main\n"
        "main(['--no-cache', 'app.py'])\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "AL102" in run.stdout
    _, _, tracked = run.stderr.rpartition("\nTRACKED ")
    assert int(tracked) < 1000, run.stderr  # some 30,000 objects otherwise


def test_fixing_a_file_needs_no_diff_machinery(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(FIXABLE)
    modules, _ = _modules_of_run(tmp_path, "--no-cache", "--fix", "app.py")
    assert "get_running_loop" in (tmp_path / "app.py").read_text()
    assert "difflib" not in modules  # --diff's
    assert "libcst.codemod" not in modules  # the fix adds no import
