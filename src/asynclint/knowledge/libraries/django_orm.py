"""Django's ORM: a query runs when a `QuerySet` is evaluated (a terminal
call such as `get` or `count`, iterating it, `list(qs)`, `len(qs)`) or a
model is saved, never while the chain is built (`filter`, `exclude`, ...).
In async code Django raises `SynchronousOnlyOperation` instead of running
it (AL105); the `a`-prefixed twins (`aget`, `acount`, `asave`, ...) return
coroutines (AL201, AL202).

Checked in django 5.2's source: `utils.asyncio.async_unsafe` guards
`db.backends.base.base.BaseDatabaseWrapper.connect` and `.cursor`;
`db.models.query.QuerySet.__iter__`, `__len__` and `__bool__` run
`_fetch_all`, and each of its `a`-methods is `sync_to_async` of the sync
one; `db.models.base.Model.asave` / `adelete` / `arefresh_from_db` likewise;
`db.models.fields.related_descriptors` builds the related managers
(`create_reverse_many_to_one_manager`, `create_forward_many_to_many_manager`)
with `aadd`, `aremove`, `aclear`, `aset`. A manager passes every `QuerySet`
method on (`db.models.manager.BaseManager._get_queryset_methods`).

What an awaited twin gives (`await Book.objects.aget(pk=1)`, `afirst`, `acreate`, ...) and what
`async for` over a queryset gives are model instances (`QuerySet.__aiter__`; `values()` gives
dicts). `QuerySet.as_manager()` and `BaseManager.from_queryset(...)` build a manager class with the
queryset's public methods copied on (`_get_queryset_methods`).

A project model's related manager (`user.orders`, through a
`ForeignKey(User, related_name="orders")` or the default `order_set`) is a
manager: the resolver finds it from the project's model classes.
"""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library

MANAGER = "django.db.models.Manager"
# What a relation's accessor gives (Django builds the class in `related_descriptors`; this names it).
RELATED_MANAGER = "django.db.models.fields.related_descriptors.RelatedManager"
_MANAGERS = (MANAGER, RELATED_MANAGER)
_QUERYSET = "django.db.models.QuerySet"
MODEL = "django.db.models.Model"
_ADVICE = (
    "Django raises `SynchronousOnlyOperation` here: `await` the `a`-prefixed twin (`aget`, `acount`, `asave`, ...), "
    "iterate with `async for`, or run the query in `asgiref.sync.sync_to_async`"
)

# QuerySet methods that give another QuerySet and run nothing: the chain is built lazily.
_LAZY = (
    "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "annotate", "alias", "values",
    "values_list", "distinct", "only", "defer", "using", "none", "reverse", "extra", "select_for_update", "union",
    "intersection", "difference", "dates", "datetimes", "complex_filter",
)
# QuerySet methods that run a query, with their async twins' names the `a`-prefixed ones.
_TERMINAL = (
    "get", "first", "last", "count", "exists", "create", "get_or_create", "update_or_create", "update", "delete",
    "bulk_create", "bulk_update", "aggregate", "in_bulk", "latest", "earliest", "contains", "explain", "iterator",
)
# Calls that fill a queryset's cache of related objects: a related manager read where one is made may
# be answered from it, without a query.
PREFETCHES = frozenset({"prefetch_related", "prefetch_related_objects", "Prefetch"})
# The related manager's calls such a cache answers (iterating `user.orders.all()` too).
PREFETCH_ANSWERS = frozenset({"all", "count", "exists"})
# A related manager's own writes (`user.groups.add(group)`).
_RELATED_WRITES = ("add", "remove", "clear", "set")
# QuerySet methods whose result is one instance (`get`, `first`, ...: `await Book.objects.aget(pk=1)` gives a Book).
_ONE_INSTANCE = ("get", "first", "last", "create", "latest", "earliest")
# Lazy methods whose result iterates over instances (`values()` gives dicts, `dates()` dates).
_OF_INSTANCES = tuple(m for m in _LAZY if m not in ("values", "values_list", "dates", "datetimes"))
_MODEL_IO = ("save", "delete", "refresh_from_db")
# What the sync ORM's callers in a thread are given: `sync_to_async(f)` (and channels' subclass).
_SYNC_TO_ASYNC = "asgiref.sync.SyncToAsync"

# Fields that give the class they name a reverse accessor on its instances, and what reading it gives: the
# related "manager" (`user.orders`, by default `user.order_set`) or the one "instance" (`user.profile`).
RELATION_FIELDS = {
    "django.db.models.ForeignKey": "manager",
    "django.db.models.ManyToManyField": "manager",
    "django.db.models.OneToOneField": "instance",
}

_CONTRIB_MODELS = (
    "auth.models.User", "auth.models.Group", "auth.models.Permission", "auth.models.AbstractUser",
    "auth.models.PermissionsMixin", "auth.base_user.AbstractBaseUser", "auth.models.AbstractBaseUser",
    "contenttypes.models.ContentType", "sessions.models.Session", "sites.models.Site", "admin.models.LogEntry",
)

LIBRARIES = (
    Library(
        "django",
        builds={
            MANAGER: MANAGER,
            _QUERYSET: _QUERYSET,
            MODEL: MODEL,
            # reading a many-to-many field of an instance gives its manager
            "django.db.models.ManyToManyField": RELATED_MANAGER,
            f"{_QUERYSET}.as_manager": MANAGER,
            # the project's user model (a class: its `objects` is the manager)
            "django.contrib.auth.get_user_model": MODEL,
            **{f"{owner}.{m}": _QUERYSET for owner in (*_MANAGERS, _QUERYSET) for m in _LAZY},
            # an instance of the model: its `save()` is a query
            **{f"{owner}.a{m}": MODEL for owner in (*_MANAGERS, _QUERYSET) for m in _ONE_INSTANCE},
        },
        # `as_manager()` of a project queryset gives a manager with every one of its methods
        # (`db.models.manager.BaseManager._get_queryset_methods` copies them): as good as an instance
        # of it here; `from_queryset(...)` a manager class with them (its own methods left unknown).
        of_given_class={f"{_QUERYSET}.as_manager": "receiver", f"{MANAGER}.from_queryset": "argument"},
        elements={
            **{f"{owner}.{m}": MODEL for owner in (*_MANAGERS, _QUERYSET) for m in _OF_INSTANCES},
            **{f"{owner}.aiterator": MODEL for owner in (*_MANAGERS, _QUERYSET)},
        },
        blocking=(
            Calls(
                "AL105",
                _ADVICE,
                (
                    *(f"{owner}.{m}" for owner in (*_MANAGERS, _QUERYSET) for m in _TERMINAL),
                    *(f"{RELATED_MANAGER}.{m}" for m in _RELATED_WRITES),
                    *(f"{MODEL}.{m}" for m in _MODEL_IO),
                ),
                iterated=(_QUERYSET,),
                # real projects' ORM helpers, called from async code, were guarded in 46 of 57 sampled
                # chains (`if commit:`, a running-loop check, `if thread_id is not None`)
                chains_in_preview=True,
            ),
        ),
        coroutines=(
            *(f"{owner}.a{m}" for owner in (*_MANAGERS, _QUERYSET) for m in _TERMINAL if m != "iterator"),
            *(f"{RELATED_MANAGER}.a{m}" for m in _RELATED_WRITES),
            *(f"{MODEL}.a{m}" for m in _MODEL_IO),
        ),
        aliases={
            "django.db.models.manager.Manager": MANAGER,
            "django.db.models.manager.BaseManager": MANAGER,
            "django.db.models.query.QuerySet": _QUERYSET,
            "django.db.models.base.Model": MODEL,
            **{f"django.db.models.fields.related.{field.rpartition('.')[2]}": field for field in RELATION_FIELDS},
            # Django's own models, and the abstract ones a project's user model derives from, are models
            # like the project's: `User.objects.get(...)`, `user.save()`, `member.orders` of an `AbstractUser`
            **{f"django.contrib.{name}": MODEL for name in _CONTRIB_MODELS},
        },
        attributes={f"{MODEL}.objects": MANAGER, f"{MODEL}._default_manager": MANAGER},
    ),
    Library(
        "asgiref",
        builds={
            "asgiref.sync.sync_to_async": _SYNC_TO_ASYNC,
            "channels.db.database_sync_to_async": _SYNC_TO_ASYNC,
        },
        coroutines=(f"{_SYNC_TO_ASYNC}.__call__",),
        aliases={"asgiref.sync.SyncToAsync": _SYNC_TO_ASYNC, "channels.db.DatabaseSyncToAsync": _SYNC_TO_ASYNC},
    ),
)
