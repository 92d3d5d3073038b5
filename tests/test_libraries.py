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
    """A pool or namespace no call builds could only be met through an annotation."""
    built = set(RESULT_TYPES.values())
    namespaces = {namespace.type for namespace, _, _ in libraries.BLOCKING_NAMESPACES}
    assert (set(libraries.POOLS) | namespaces) - built == set()


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
