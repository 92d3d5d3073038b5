"""Regenerate the rule table in README.md and docs/rules/*.md from the rules'
own metadata and docstrings. `--check` exits 1 when anything is stale."""

from __future__ import annotations

import sys
from pathlib import Path

from asynclint import registry

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
RULE_DOCS = ROOT / "docs" / "rules"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"


def rules_table() -> str:
    rows = ["| code | name | what it flags | default | fix |", "|---|---|---|---|---|"]
    for rule in registry.all_rules().values():
        rows.append(
            f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | {rule.summary} "
            f"| {rule.default.value} | {rule.fix_class.value} |"
        )
    return "\n".join(rows)


def rule_page(rule) -> str:
    return (
        f"# {rule.code} {rule.name}\n\n"
        f"Default: **{rule.default.value}**. Fix: **{rule.fix_class.value}**.\n\n"
        f"{rule.documentation()}\n"
    )


def expected_files() -> dict[Path, str]:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    files = {README: f"{head}{START}\n{rules_table()}\n{END}{tail}"}
    for rule in registry.all_rules().values():
        files[RULE_DOCS / f"{rule.code}.md"] = rule_page(rule)
    return files


def main() -> int:
    check = "--check" in sys.argv
    stale = []
    expected = expected_files()
    for path, content in expected.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != content:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
    orphans = [p for p in RULE_DOCS.glob("*.md") if p not in expected]
    for orphan in orphans:
        stale.append(orphan)
        if not check:
            orphan.unlink()
    for path in stale:
        print(f"{'stale' if check else 'updated'}: {path.relative_to(ROOT)}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
