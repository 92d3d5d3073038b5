"""Each rule's docstring is its user documentation: it must have the fixed
sections, and its examples must behave as documented (Example fires, Use
instead does not)."""

from __future__ import annotations

import re

import pytest

from asynclint import registry
from asynclint.diagnostics import Default
from tests.helpers import codes

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety")
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
RULES = [r for code, r in registry.all_rules().items() if code not in ("AL001",)]
# Rules whose examples need more than one file or the run's other findings.
NOT_SELF_CONTAINED = {"AL002", "AL109", "AL213"}  # AL213: its example must be a test module


def _section(doc: str, title: str) -> str:
    start = doc.index(title) + len(title)
    following = [doc.index(s) for s in SECTIONS if s in doc and doc.index(s) > start]
    return doc[start : min(following, default=len(doc))]


@pytest.mark.parametrize("rule", registry.all_rules().values(), ids=lambda r: r.code)
def test_docstring_has_every_section(rule) -> None:
    doc = rule.documentation()
    for title in SECTIONS:
        assert title in doc, f"{rule.code} docstring lacks {title!r}"
    assert re.fullmatch(r"AL\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
    assert rule.summary


@pytest.mark.parametrize("rule", [r for r in RULES if r.code not in NOT_SELF_CONTAINED], ids=lambda r: r.code)
def test_example_fires_and_use_instead_does_not(rule) -> None:
    doc = rule.documentation()
    examples = CODE_BLOCK.findall(_section(doc, "## Example"))
    alternatives = CODE_BLOCK.findall(_section(doc, "## Use instead"))
    assert examples, f"{rule.code}: no python block under Example"
    for example in examples:
        assert rule.code in codes(example), f"{rule.code}: its Example does not fire:\n{example}"
    for alternative in alternatives:
        assert rule.code not in codes(alternative), f"{rule.code}: its Use instead fires:\n{alternative}"


def test_catalog_defaults_match_the_spec() -> None:
    """Opt-in and preview rules as RULES.md assigns them."""
    opt_in = {"AL304", "AL501", "AL703"}
    preview = {"AL211", "AL212", "AL213", "AL214", "AL401", "AL402", "AL403", "AL502", "AL604", "AL704"}
    for code, rule in registry.all_rules().items():
        if code in opt_in:
            assert rule.default is Default.OPT_IN, code
        elif code in preview:
            assert rule.default is Default.PREVIEW, code
        else:
            assert rule.default is Default.ON, code
