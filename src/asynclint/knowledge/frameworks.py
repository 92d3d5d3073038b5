"""Web and event frameworks: how each one registers the code that runs per
request (or per event), what runs once around it, and how it runs a plain
`def` handler.

One entry per framework. The request-path rules (AL301, AL501, AL502,
AL305) and the blocking-call rules read these entries through the app model
(`asynclint.app_model`); a new framework is a new entry plus fixtures.
Each entry says where its behaviour was checked in the framework's own
source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HTTP_METHODS: frozenset[str] = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "trace"})


@dataclass(frozen=True)
class Framework:
    name: str
    # Import roots that bring the framework in: a file importing none of them registers nothing with it.
    modules: frozenset[str]
    # Classes whose instances register handlers: apps, routers, blueprints, route tables.
    apps: frozenset[str] = frozenset()
    # `@app.<method>(...)` registers the function as a request handler.
    route_decorators: frozenset[str] = frozenset()
    # `app.<method>(..., handler, ...)`: the method registers the function at this argument position.
    route_adders: dict[str, int] = field(default_factory=dict)
    # `@app.<method>(...)` registers a function that runs on every request, though it is no handler
    # (middleware, exception handlers).
    per_request_decorators: frozenset[str] = frozenset()
    # `App(<keyword>=f)` runs `f` once around the app's life: where a shared client belongs.
    lifespan_keywords: frozenset[str] = frozenset()
    # `@app.<method>("startup")` / `app.<method>("startup", f)` registers a start-up or shut-down handler.
    event_decorators: frozenset[str] = frozenset()
    event_adders: frozenset[str] = frozenset()
    # `Depends(f)`-style markers: the framework runs `f` on every request of the handler that declares it.
    dependency_markers: frozenset[str] = frozenset()
    # How the framework calls a plain `def` handler: "thread" (in a worker thread, the loop stays free)
    # or "loop" (directly on the event loop: a blocking call there blocks every request).
    sync_handlers: str = "thread"
    # Where the behaviour above was checked: the framework's file and function, and its version.
    checked: str = ""

    @property
    def registering_methods(self) -> frozenset[str]:
        """The app methods that register per-request code."""
        return self.route_decorators | frozenset(self.route_adders) | self.per_request_decorators


STARLETTE = Framework(
    name="Starlette",
    modules=frozenset({"starlette"}),
    apps=frozenset({"starlette.applications.Starlette", "starlette.routing.Router"}),
    route_decorators=frozenset({"route", "websocket_route"}),
    route_adders={"add_route": 1, "add_websocket_route": 1},
    per_request_decorators=frozenset({"middleware", "exception_handler"}),
    lifespan_keywords=frozenset({"lifespan"}),
    event_decorators=frozenset({"on_event"}),
    event_adders=frozenset({"add_event_handler"}),
    sync_handlers="thread",
    checked=(
        "starlette 0.41: routing.request_response runs a plain def endpoint with "
        "concurrency.run_in_threadpool; routing.Router.add_event_handler / on_event"
    ),
)

FASTAPI = Framework(
    name="FastAPI",
    modules=frozenset({"fastapi"}),
    apps=frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter"}),
    route_decorators=STARLETTE.route_decorators | HTTP_METHODS | {"api_route", "websocket"},
    route_adders={**STARLETTE.route_adders, "add_api_route": 1},
    per_request_decorators=STARLETTE.per_request_decorators,
    lifespan_keywords=STARLETTE.lifespan_keywords,
    event_decorators=STARLETTE.event_decorators,
    event_adders=STARLETTE.event_adders,
    dependency_markers=frozenset(
        {"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"}
    ),
    sync_handlers="thread",
    checked=(
        "fastapi 0.115: routing.run_endpoint_function awaits a coroutine function and runs any other "
        "with run_in_threadpool; dependencies.utils.solve_dependencies does the same for dependencies"
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (FASTAPI, STARLETTE)


def framework_of_app(qualname: str) -> Framework | None:
    """The framework whose app (or router) class this is."""
    for framework in FRAMEWORKS:
        if qualname in framework.apps:
            return framework
    return None
