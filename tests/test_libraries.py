"""The libraries' entries: each fact in one place, codes that exist, and
the namespaces' idea of which methods are API calls."""

from __future__ import annotations

from collections import Counter

import pytest

from asynclint import registry
from asynclint.knowledge import blocking, libraries
from asynclint.knowledge.library import Namespace
from asynclint.knowledge.types import RESULT_TYPES, canonical


def test_each_library_is_named_once() -> None:
    counts = Counter(library.name for library in libraries.LIBRARIES)
    assert [name for name, count in counts.items() if count > 1] == []


@pytest.mark.parametrize("field", ["builds", "aliases", "elements", "attributes"])
def test_each_name_is_known_to_one_library(field: str) -> None:
    """Two libraries saying what one name is would leave the answer to their order."""
    counts = Counter(key for library in libraries.LIBRARIES for key in getattr(library, field))
    assert [name for name, count in counts.items() if count > 1] == []


def test_each_blocking_call_is_listed_once() -> None:
    names = Counter(
        name for library in libraries.LIBRARIES for calls in library.blocking for name in calls.names
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_codes_are_blocking_rules() -> None:
    rules = registry.all_rules()
    assert libraries.CODES <= set(rules)
    assert all(code in libraries.CODES for code in ("AL101", "AL106", "AL110", "AL111"))


def test_names_are_canonical() -> None:
    """A table keyed by an alias would never be looked up."""
    named = [
        *libraries.BLOCKING_CALLS, *libraries.RESULT_TYPES, *libraries.COROUTINES, *libraries.POOLS,
        *libraries.TIMEOUT_CALLS,
    ]
    assert [name for name in named if canonical(name) != name] == []


def test_pools_and_namespace_types_are_built_by_something() -> None:
    """A pool or namespace no call builds could only be met through an
    annotation; a namespace may also be a built type's member (`repo.git`) or
    a module's (`openai.chat`), or what a generated class is built as (a gRPC stub)."""
    built = set(RESULT_TYPES.values()) | {typ for generated in libraries.GENERATED for typ in generated.types.values()}
    assert set(libraries.POOLS) - built == set()
    namespaces = {namespace.type for namespace, _, _ in libraries.BLOCKING_NAMESPACES}
    namespaces |= {namespace.type for namespace in libraries.COROUTINE_NAMESPACES}
    unbuilt = {
        typ for typ in namespaces
        if typ not in built and typ.rpartition(".")[0] not in built and not typ.rpartition(".")[2].islower()
    }
    assert unbuilt == set()


def test_a_namespace_covers_every_method_but_pure_and_private_ones() -> None:
    client = Namespace("sdk.Client", pure=frozenset({"with_options"}))
    assert client.covers("sdk.Client.chat.completions.create")
    assert client.covers("sdk.Client.close_all")
    assert not client.covers("sdk.Client.with_options")
    assert not client.covers("sdk.Client._request")
    assert not client.covers("sdk.ClientFactory.build")
    shallow = Namespace("sdk.Client", depth=1, capitalised_are_local=True)
    assert shallow.covers("sdk.Client.get_object")
    assert not shallow.covers("sdk.Client.meta.events")
    assert not shallow.covers("sdk.Client.Table")


def test_boto3_clients_are_a_namespace() -> None:
    assert blocking.lookup("boto3.Client.get_object").code == "AL106"
    assert blocking.lookup("boto3.Resource.Table") is None
    assert blocking.lookup("boto3.Client.generate_presigned_url") is None


def test_the_rule_command_names_the_libraries_a_rule_covers(capsys) -> None:
    from asynclint.cli import main

    with pytest.raises(SystemExit):
        main(["rule", "AL106"])
    shown = capsys.readouterr().out
    assert "## Libraries" in shown
    for name in ("`boto3`", "`openai`", "`anthropic`", "`slack_sdk`", "`docker`"):
        assert name in shown
    assert libraries.reported_under("AL602") == []
    assert "`redis`" in libraries.libraries_section("AL201")  # its asyncio client


def test_the_libraries_page_lists_every_entry() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parent.parent / "docs" / "libraries.md").read_text(encoding="utf-8")
    assert all(f"| `{library.name}` |" in page for library in libraries.LIBRARIES)
