"""Every rule, by code, and the selection logic of `select`/`ignore`.

Choosing rules reads the generated catalogue; the rule classes (and libcst
with them) are imported only when a file is checked or a rule described,
and a check imports the modules of the rules it runs only.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from asynclint.catalog import RULES
from asynclint.diagnostics import Default

if TYPE_CHECKING:
    from asynclint.rule import Rule


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Code -> rule class, from every module in `asynclint.rules` (one rule each)."""
    import pkgutil  # listing the package: for the docs and the catalogue, not for a check

    from asynclint import rules as rules_package

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(rules_package.__path__):
        if info.name.startswith("_"):
            continue
        rule = _rule_in(info.name)
        if rule.code in found:
            raise RuntimeError(f"rule code {rule.code} is defined twice")
        found[rule.code] = rule
    return dict(sorted(found.items()))


@cache
def rule_class(code: str) -> type[Rule]:
    """The class of one rule, from its module, named after the catalogue
    (AL102, `blocking-sleep`: `asynclint/rules/al102_blocking_sleep.py`)."""
    name, _ = RULES[code]
    rule = _rule_in(f"{code.lower()}_{name.replace('-', '_')}")
    if rule.code != code:
        raise RuntimeError(f"the module of {code} defines {rule.code}")
    return rule


def _rule_in(module_name: str) -> type[Rule]:
    """The one rule a module of `asynclint.rules` defines."""
    from asynclint.rule import Rule

    module = importlib.import_module(f"asynclint.rules.{module_name}")
    classes = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj.__module__ == module.__name__
        and "code" in vars(obj)
    ]
    if len(classes) != 1:
        raise RuntimeError(f"rule module {module_name} must define exactly one rule, found {len(classes)}")
    return classes[0]


def codes() -> list[str]:
    return list(RULES)


def name_of(code: str) -> str:
    """A rule's name (`blocking-sleep`), from the catalogue."""
    return RULES[code][0]


def by_name() -> dict[str, str]:
    """Rule name -> code."""
    return {name: code for code, (name, _) in RULES.items()}


def is_selector(text: str) -> bool:
    """Whether text selects at least one rule (a code, a prefix like `AL1`, or `AL`)."""
    return any(code.startswith(text) for code in RULES)


def normalize_selector(text: str) -> str:
    """Accept codes, prefixes and kebab-case rule names; return a code prefix."""
    text = text.strip()
    code = by_name().get(text)
    if code is not None:
        return code
    upper = text.upper()
    if upper == "ALL":
        return "AL"
    return upper


def select_rules(
    select: list[str] | None,
    extend_select: list[str],
    ignore: list[str],
    preview: bool,
) -> list[str]:
    """The codes of the enabled rules.

    The most specific selector wins (`ignore = ["AL1"]` with
    `extend-select = ["AL102"]` keeps AL102); on a tie `ignore` wins. Without
    `select`, rules that are on by default are selected (and preview rules
    with `preview`). Opt-in rules need a selector that names them or a
    prefix of them. Preview rules never run without `preview`.
    """
    enabling = list(select or []) + list(extend_select)
    enabled = []
    for code, (_, default_name) in RULES.items():
        default = Default[default_name]
        if default is Default.PREVIEW and not preview:
            continue
        enable = max((len(s) for s in enabling if code.startswith(s)), default=-1)
        if select is None and default is not Default.OPT_IN:
            enable = max(enable, 0)
        disable = max((len(s) for s in ignore if code.startswith(s)), default=-1)
        if enable >= 0 and enable > disable:
            enabled.append(code)
    return enabled
