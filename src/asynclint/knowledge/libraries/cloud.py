"""Cloud SDKs whose clients reach the network on every API call (AL106)."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library, Namespace

_BOTO = "use `aioboto3`/`aiobotocore`, or run it with `await {to_thread}(...)`"
# boto3 client/resource members that never touch the network.
_BOTO3_LOCAL = frozenset(
    {"generate_presigned_url", "generate_presigned_post", "get_paginator", "get_waiter", "can_paginate",
     "close", "meta", "exceptions"}
)

LIBRARIES = (
    Library(
        "boto3",
        builds={
            "boto3.client": "boto3.Client",
            "boto3.resource": "boto3.Resource",
            "boto3.session.Session.client": "boto3.Client",
            "boto3.session.Session.resource": "boto3.Resource",
            "boto3.Session": "boto3.session.Session",
            # sub-resources are built locally; their actions are API calls
            "boto3.Resource.Table": "boto3.resources.Table",
            "boto3.Resource.Bucket": "boto3.resources.Bucket",
            "boto3.Resource.Object": "boto3.resources.Object",
            "boto3.resources.Bucket.Object": "boto3.resources.Object",
            # paginators and waiters are built locally; pages are fetched as `paginate()` is iterated
            "boto3.Client.get_paginator": "boto3.Paginator",
            "boto3.Client.get_waiter": "boto3.Waiter",
            "botocore.session.get_session": "botocore.session.Session",
            "botocore.session.Session.create_client": "boto3.Client",
        },
        # A client owns a urllib3 pool (botocore's `max_pool_connections`, 10 by
        # default) and loads its service model when built; `close()` exists, no
        # `with`: clients are built once and kept, which AL303 does not ask about.
        pools=("boto3.Client", "boto3.Resource"),
        pools_closed_when_dropped=("boto3.Client", "boto3.Resource"),
        # Every other method of a client or resource is an API call;
        # capitalised names (`Table`, `Bucket`) build sub-resources locally.
        blocking=(
            Calls("AL106", _BOTO, ("boto3.Paginator.paginate", "boto3.Waiter.wait"), namespaces=tuple(
                Namespace(typ, pure=_BOTO3_LOCAL, depth=1, capitalised_are_local=True)
                for typ in ("boto3.Client", "boto3.Resource", "boto3.resources.Table", "boto3.resources.Bucket",
                            "boto3.resources.Object")
            )),
        ),
    ),
)
