"""The README's rule table and docs/rules/ are generated from the rules; they
must be up to date (run `python scripts/update_docs.py`)."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO


def test_generated_docs_are_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "update_docs.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, "docs are stale; run `python scripts/update_docs.py`:\n" + proc.stdout + proc.stderr


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in readme
    assert ci.rstrip().splitlines()[-1] == "python -m pytest"
