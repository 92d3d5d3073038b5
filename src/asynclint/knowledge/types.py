"""What type a call returns, so that `client = httpx.Client()` makes
`client.get` resolve to `httpx.Client.get`.

Keys are qualified callables; values are the qualified type of the result.
A class maps to itself. Names are canonical (see `canonical`). What the
libraries build comes from their entries (`asynclint.knowledge.libraries`);
the web frameworks' types are here.
"""

from __future__ import annotations

from asynclint.knowledge import libraries
from asynclint.knowledge.libraries import django_orm
from asynclint.knowledge.web import APP_CLASSES

RESULT_TYPES: dict[str, str] = {
    # web apps and routers
    **{app: app for app in APP_CLASSES},
    "fastapi.BackgroundTasks": "fastapi.BackgroundTasks",
    # what the libraries' constructors and factories build
    **libraries.RESULT_TYPES,
}

# Generated classes whose instance is what the argument they are built on makes it (a gRPC stub).
GENERATED = libraries.GENERATED

# Calls whose result is named by the project class they are given (`MyQuerySet.as_manager()`).
OF_GIVEN_CLASS: dict[str, str] = libraries.OF_GIVEN_CLASS

# What iterating over a call's result gives: `for item in path.iterdir()` makes `item` a path.
ELEMENT_TYPES: dict[str, str] = libraries.ELEMENT_TYPES

# What reading an attribute of a known type gives (`path.parent` is a path).
ATTRIBUTE_TYPES: dict[str, str] = libraries.ATTRIBUTE_TYPES

# The generic types a FastAPI dependency that yields is annotated with: the first argument is what it gives.
YIELDING_TYPES = frozenset({
    f"{module}.{name}"
    for module in ("typing", "collections.abc", "typing_extensions")
    for name in ("Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator", "AsyncIterable")
})

# The spellings of FastAPI's `Depends` and `Security`: a parameter defaulting to one gets its provider's value.
DEPENDS_FUNCTIONS = frozenset({
    "fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security",
    "fastapi.param_functions.Depends", "fastapi.param_functions.Security",
})
# Their last names: the model keeps such a call's provider for the first look.
DEPENDENCY_MARKERS = frozenset(name.rpartition(".")[2] for name in DEPENDS_FUNCTIONS)

# Decorators that make a generator a context manager: `with f() as x` binds what it yields.
CONTEXT_MANAGER_DECORATORS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})

# Decorators that make a method's value an attribute read.
PROPERTY_DECORATORS = frozenset({"builtins.property", "functools.cached_property"})

# `-> Self` names the class the method is called on.
SELF_TYPES = frozenset({"typing.Self", "typing_extensions.Self"})

# Types whose `/` operator builds another path of the same type.
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "anyio.Path", "trio.Path"})

# Django's relations: a field of a model class naming another gives that one's instances a reverse
# accessor (`user.orders`), which no class body shows: the resolver finds it from the project's models.
RELATION_FIELDS: dict[str, str] = django_orm.RELATION_FIELDS
RELATED_MANAGER = django_orm.RELATED_MANAGER  # what a "manager" accessor gives
RELATIONS_BASE = django_orm.MODEL  # the library base whose subclasses have them

# Different spellings of one thing, mapped to the name the tables use.
ALIASES: dict[str, str] = {
    "starlette.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.background.BackgroundTasks": "fastapi.BackgroundTasks",
    "fastapi.Request": "starlette.requests.Request",
    "fastapi.requests.Request": "starlette.requests.Request",
    **libraries.ALIASES,
}

# Libraries with the same API, treated alike everywhere (httpx2 continues httpx).
SAME_API_PREFIXES: dict[str, str] = libraries.SAME_API_PREFIXES


def canonical(qualname: str) -> str:
    """The spelling the knowledge tables use for a qualified name."""
    for prefix, target in SAME_API_PREFIXES.items():
        if qualname.startswith(prefix):
            qualname = target + qualname[len(prefix):]
            break
    return ALIASES.get(qualname, qualname)
