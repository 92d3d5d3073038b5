"""Scaffold a rule: `python scripts/new_rule.py AL999 my-rule-name`.

Writes the rule module with its docstring sections and a call pattern (the
calls the rule is about, from which its first look comes too; a rule about
something other than calls replaces it with `visit_<Node>` methods and a
`screen` of its own), and positive/negative fixtures to fill in. Then run `python scripts/update_docs.py`, which also
adds the rule to `src/asynclint/catalog.py` (until then it cannot be selected).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULE = '''"""{code}: {summary}"""

from __future__ import annotations

from asynclint.lazy import cst  # libcst, imported only when a file is parsed
from asynclint.model.facts import CallSite
from asynclint.rule import CallPattern, Rule


class {cls}(Rule):
    """
    ## What it does
    TODO: what the rule flags.

    ## Why is this bad?
    TODO: the runtime consequence.

    ## Example
    ```python
    TODO
    ```

    ## Use instead
    ```python
    TODO
    ```

    ## Fix safety
    No fix.
    """

    code = "{code}"
    name = "{name}"
    summary = "{summary}"
    # The calls the rule is about and how they are made (see `CallSite`): the
    # first look asks whether the module may make one, the traversal hands
    # each one made for sure to `on_call`.
    calls = CallPattern(frozenset({{"package.module.function"}}), where=lambda call: call.in_async)

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        self.report(node, f"`{{callee}}` ...")
'''


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not re.fullmatch(r"AL\d{3}", argv[0]) or not re.fullmatch(r"[a-z]+(-[a-z]+)*", argv[1]):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    code, name = argv
    module = ROOT / "src" / "asynclint" / "rules" / f"{code.lower()}_{name.replace('-', '_')}.py"
    fixtures = ROOT / "fixtures" / "rules" / code
    if module.exists() or fixtures.exists():
        print(f"{code} already exists", file=sys.stderr)
        return 1
    cls = "".join(part.capitalize() for part in name.split("-"))
    module.write_text(RULE.format(code=code, name=name, cls=cls, summary=name.replace("-", " ")), encoding="utf-8")
    fixtures.mkdir(parents=True)
    (fixtures / "positive.py").write_text(f"# Code that {code} must flag: end each such line with `# expect: {code}`.\n")
    (fixtures / "negative.py").write_text(f"# Idioms {code} must leave alone.\n")
    print(
        f"wrote {module.relative_to(ROOT)} and {fixtures.relative_to(ROOT)}/; now run scripts/update_docs.py, "
        "and scripts/update_goldens.py once the fixtures have cases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
