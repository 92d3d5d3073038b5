"""The rule scaffold writes a rule that declares its call pattern, and the rule loads."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def test_the_scaffold_writes_a_rule_with_a_call_pattern(tmp_path: Path) -> None:
    for part in ("scripts", "src/asynclint/rules", "fixtures/rules"):
        (tmp_path / part).mkdir(parents=True)
    script = tmp_path / "scripts" / "new_rule.py"
    script.write_text((REPO / "scripts" / "new_rule.py").read_text())
    done = subprocess.run([sys.executable, str(script), "AL999", "some-rule"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    module = tmp_path / "src/asynclint/rules/al999_some_rule.py"
    spec = importlib.util.spec_from_file_location("al999_some_rule", module)
    rule_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rule_module)
    rule = rule_module.SomeRule
    assert rule.calls is not None and rule.calls.callees == frozenset({"package.module.function"})
    assert (tmp_path / "fixtures/rules/AL999/positive.py").is_file()
