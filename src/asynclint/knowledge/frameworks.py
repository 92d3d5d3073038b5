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

# What a FastAPI or Starlette `def` endpoint holds while it runs.
ANYIO_TOKENS = "one of AnyIO's 40 worker-thread tokens (shared with sync dependencies and background tasks)"

# What a plain def handler run with `loop.run_in_executor(None, ...)` holds while it runs.
EXECUTOR_THREADS = "one of the event loop's default executor threads"

# The parameters of an ASGI app's `__call__`, after `self`.
ASGI_PARAMETERS = ("scope", "receive", "send")

HTTP_METHODS: frozenset[str] = frozenset({"get", "post", "put", "patch", "delete", "options", "head", "trace"})


@dataclass(frozen=True)
class Framework:
    name: str
    # Import roots that bring the framework in: a file importing none of them registers nothing with it.
    modules: frozenset[str]
    # Classes whose instances register handlers: apps, routers, blueprints, route tables.
    apps: frozenset[str] = frozenset()
    # Attributes of an app that register handlers the way the app does (`app.router.add_get(...)`).
    router_attributes: frozenset[str] = frozenset()
    # `@app.<method>(...)` (or `@app.<method>`) registers the function as a request handler.
    route_decorators: frozenset[str] = frozenset()
    # `app.<method>(..., handler, ...)`: the method registers the function at this argument position.
    route_adders: dict[str, int] = field(default_factory=dict)
    # `@<handler>.<method>(...)` on a handler the framework registered (a discord.py command group): the
    # decorated function is a sub-command, a handler too.
    subcommand_decorators: frozenset[str] = frozenset()
    # `@<decorator>(...)` registers the function as a request handler wherever it is (Litestar's `@get`).
    handler_decorators: frozenset[str] = frozenset()
    # `Route("/", handler)`: objects naming a handler at this argument position, wherever they are built
    # (in a list of routes, a variable, another module).
    route_classes: dict[str, int] = field(default_factory=dict)
    # Files beside a module that route requests to its functions with `route_classes` (Django's `urls.py`
    # naming `views.index`): the module's functions they name are handlers.
    routing_files: frozenset[str] = frozenset()
    # Settings modules (glob patterns under the project root) whose lists of dotted paths name middleware
    # (Django's `MIDDLEWARE`): a class named there has `middleware_methods`, a function named there is a
    # factory whose inner functions run on every request.
    settings_files: tuple[str, ...] = ()
    settings_lists: frozenset[str] = frozenset()
    # Keywords that name the handler where no positional argument does (`Route("/", endpoint=f)`).
    handler_keywords: frozenset[str] = frozenset()
    # Class-based views: subclasses of these have handler methods of these names, or whose names start
    # with `view_method_prefix` (`on_message` of a python-socketio namespace or a discord.py client).
    views: frozenset[str] = frozenset()
    view_methods: frozenset[str] = frozenset()
    view_method_prefix: str = ""
    # Handlers (or view methods) of these names run once, when the app starts or connects, not per event
    # (discord.py's `setup_hook`, `on_ready`): what they build is shared, as a lifespan's is.
    once_handlers: frozenset[str] = frozenset()
    # `App(<keyword>=[f, g])`, or the same name assigned in a settings class of a module that imports the
    # framework (arq's `WorkerSettings.functions`): the functions listed are handlers.
    handler_lists: frozenset[str] = frozenset()
    settings_classes: bool = False
    # `@app.<method>(...)` registers a function that runs on every request, though it is no handler
    # (middleware, exception handlers).
    per_request_decorators: frozenset[str] = frozenset()
    # Middleware classes: subclasses of `middleware_bases`, or classes given to `app.<middleware_adders>(C)`
    # or `<middleware_wrappers>(C)`; their `middleware_methods` run on every request.
    middleware_bases: frozenset[str] = frozenset()
    middleware_adders: frozenset[str] = frozenset()
    middleware_wrappers: frozenset[str] = frozenset()
    middleware_methods: frozenset[str] = frozenset()
    # An ASGI framework: a class with `async def __call__(self, scope, receive, send)` is an ASGI app or
    # middleware, called for every request.
    asgi: bool = False
    # `App(<keyword>=[f])`: middleware functions, run on every request.
    middleware_keywords: frozenset[str] = frozenset()
    # What runs once around the app's life, where a shared client belongs: `App(<keyword>=f)` (or a settings
    # class's `<keyword> = f`), `@app.<startup_decorator>`, `app.<startup_list>.<list_adder>(f)`.
    lifespan_keywords: frozenset[str] = frozenset()
    startup_decorators: frozenset[str] = frozenset()
    startup_lists: frozenset[str] = frozenset()
    list_adders: frozenset[str] = frozenset({"append", "extend", "insert"})
    # `@app.<method>("startup")` / `app.<method>("startup", f)`: a start-up or shut-down handler by event
    # name, deprecated in favour of the lifespan (AL305).
    event_decorators: frozenset[str] = frozenset()
    event_adders: frozenset[str] = frozenset()
    # `@app.<method>` / `@<decorator>` register a function that the framework calls as a plain function
    # and never awaits: an `async def` registered there never runs (AL209).
    task_decorators: frozenset[str] = frozenset()
    task_functions: frozenset[str] = frozenset()
    # `Depends(f)`-style markers: the framework runs `f` on every request of the handler that declares it.
    dependency_markers: frozenset[str] = frozenset()
    # How the framework calls a plain `def` handler: "thread" (in a worker thread, the loop stays free),
    # "loop" (directly on the event loop: a blocking call there blocks every request) or "refused" (it
    # takes coroutine functions only, and raises for a plain def).
    sync_handlers: str = "thread"
    # A registration keyword that, given `True`, runs a plain def handler in a thread instead.
    thread_keyword: str = ""
    # What a plain def handler run in a thread holds while it waits (AL501's message).
    thread_pool: str = "one of the threads that run plain def handlers"
    # What a handler runs once for (AL301's message), and where code that runs once belongs.
    unit: str = "request"
    run_once: str = "the app's lifespan"
    # Where the behaviour above was checked: the framework's file and function, and its version.
    checked: str = ""


STARLETTE = Framework(
    name="Starlette",
    modules=frozenset({"starlette"}),
    apps=frozenset({"starlette.applications.Starlette", "starlette.routing.Router"}),
    route_decorators=frozenset({"route", "websocket_route"}),
    route_adders={"add_route": 1, "add_websocket_route": 1},
    route_classes={"starlette.routing.Route": 1, "starlette.routing.WebSocketRoute": 1},
    handler_keywords=frozenset({"endpoint"}),
    views=frozenset({"starlette.endpoints.HTTPEndpoint", "starlette.endpoints.WebSocketEndpoint"}),
    view_methods=HTTP_METHODS | {"on_connect", "on_receive", "on_disconnect"},
    per_request_decorators=frozenset({"middleware", "exception_handler"}),
    middleware_bases=frozenset({"starlette.middleware.base.BaseHTTPMiddleware"}),
    middleware_adders=frozenset({"add_middleware"}),
    middleware_wrappers=frozenset({"starlette.middleware.Middleware"}),
    middleware_methods=frozenset({"dispatch", "__call__"}),
    asgi=True,
    lifespan_keywords=frozenset({"lifespan", "on_startup", "on_shutdown"}),
    event_decorators=frozenset({"on_event"}),
    event_adders=frozenset({"add_event_handler"}),
    sync_handlers="thread",
    thread_pool=ANYIO_TOKENS,
    checked=(
        "starlette 0.41 and 1.10: routing.request_response runs a plain def endpoint with "
        "concurrency.run_in_threadpool, endpoints.HTTPEndpoint.dispatch a plain def method the same way; "
        "routing.Router.add_event_handler / on_event (gone in 1.x)"
    ),
)

FASTAPI = Framework(
    name="FastAPI",
    modules=frozenset({"fastapi"}),
    apps=frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI", "fastapi.APIRouter", "fastapi.routing.APIRouter"}),
    route_decorators=STARLETTE.route_decorators | HTTP_METHODS | {"api_route", "websocket"},
    route_adders={**STARLETTE.route_adders, "add_api_route": 1, "add_api_websocket_route": 1},
    route_classes={"fastapi.routing.APIRoute": 1, "fastapi.routing.APIWebSocketRoute": 1},
    handler_keywords=STARLETTE.handler_keywords,
    per_request_decorators=STARLETTE.per_request_decorators,
    middleware_adders=STARLETTE.middleware_adders,
    middleware_methods=STARLETTE.middleware_methods,
    asgi=True,
    lifespan_keywords=STARLETTE.lifespan_keywords,
    event_decorators=STARLETTE.event_decorators,
    event_adders=STARLETTE.event_adders,
    dependency_markers=frozenset(
        {"fastapi.Depends", "fastapi.Security", "fastapi.params.Depends", "fastapi.params.Security"}
    ),
    sync_handlers="thread",
    thread_pool=ANYIO_TOKENS,
    checked=(
        "fastapi 0.115 and 0.165: routing.run_endpoint_function awaits a coroutine function and runs any "
        "other with run_in_threadpool; dependencies.utils.solve_dependencies does the same for dependencies"
    ),
)

AIOHTTP = Framework(
    name="aiohttp",
    modules=frozenset({"aiohttp"}),
    apps=frozenset(
        {"aiohttp.web.Application", "aiohttp.web_app.Application", "aiohttp.web.RouteTableDef",
         "aiohttp.web_routedef.RouteTableDef"}
    ),
    router_attributes=frozenset({"router"}),
    route_decorators=HTTP_METHODS | {"route", "view"},
    route_adders={
        **{f"add_{method}": 1 for method in HTTP_METHODS - {"trace"}}, "add_route": 2, "add_view": 1,
    },
    route_classes={
        **{f"aiohttp.web.{method}": 1 for method in HTTP_METHODS - {"trace"}}, "aiohttp.web.route": 2,
        "aiohttp.web.view": 1,
    },
    handler_keywords=frozenset({"handler"}),
    views=frozenset({"aiohttp.web.View", "aiohttp.web_urldispatcher.View"}),
    view_methods=HTTP_METHODS,
    middleware_keywords=frozenset({"middlewares"}),
    startup_lists=frozenset({"on_startup", "on_cleanup", "on_shutdown", "cleanup_ctx"}),
    sync_handlers="loop",
    checked=(
        "aiohttp 3.14: web_urldispatcher.AbstractRoute.__init__ wraps a plain function handler in an "
        "async wrapper that calls it on the loop (deprecated); web_app.Application.on_startup / "
        "cleanup_ctx run once"
    ),
)

SANIC = Framework(
    name="Sanic",
    modules=frozenset({"sanic"}),
    apps=frozenset({"sanic.Sanic", "sanic.app.Sanic", "sanic.Blueprint", "sanic.blueprints.Blueprint"}),
    route_decorators=HTTP_METHODS - {"trace"} | {"route", "websocket"},
    route_adders={"add_route": 0, "add_websocket_route": 0},
    views=frozenset({"sanic.views.HTTPMethodView"}),
    view_methods=HTTP_METHODS,
    per_request_decorators=frozenset({"middleware", "on_request", "on_response", "exception"}),
    startup_decorators=frozenset(
        {"listener", "before_server_start", "after_server_start", "before_server_stop", "after_server_stop",
         "main_process_start", "main_process_ready", "main_process_stop", "reload_process_start",
         "reload_process_stop"}
    ),
    sync_handlers="loop",
    checked=(
        "sanic 25.12: app.Sanic.handle_request calls the handler and awaits the result only if it is "
        "awaitable; views.HTTPMethodView.dispatch_request likewise; request middleware the same way"
    ),
)

SOCKETIO = Framework(
    name="python-socketio",
    modules=frozenset({"socketio"}),
    apps=frozenset(
        {"socketio.AsyncServer", "socketio.async_server.AsyncServer", "socketio.AsyncClient",
         "socketio.async_client.AsyncClient"}
    ),
    route_decorators=frozenset({"event", "on"}),
    route_adders={"on": 1},
    handler_keywords=frozenset({"handler"}),
    views=frozenset(
        {"socketio.AsyncNamespace", "socketio.async_namespace.AsyncNamespace", "socketio.AsyncClientNamespace",
         "socketio.async_namespace.AsyncClientNamespace"}
    ),
    view_method_prefix="on_",
    sync_handlers="loop",
    unit="event",
    run_once="the app's start-up",
    checked=(
        "python-socketio 5.18: async_server.AsyncServer._trigger_event and async_client.AsyncClient."
        "_trigger_event await a coroutine function handler and call any other directly; "
        "async_namespace.AsyncNamespace.trigger_event does the same with its `on_<event>` methods"
    ),
)

LITESTAR = Framework(
    name="Litestar",
    modules=frozenset({"litestar"}),
    handler_decorators=frozenset(
        {f"litestar.{method}" for method in HTTP_METHODS - {"options", "trace"}}
        | {"litestar.route", "litestar.websocket", "litestar.handlers.get", "litestar.handlers.post",
           "litestar.handlers.put", "litestar.handlers.patch", "litestar.handlers.delete",
           "litestar.handlers.route", "litestar.handlers.websocket"}
    ),
    apps=frozenset({"litestar.Litestar", "litestar.app.Litestar", "litestar.Router", "litestar.router.Router"}),
    lifespan_keywords=frozenset({"lifespan", "on_startup", "on_shutdown"}),
    sync_handlers="loop",
    thread_keyword="sync_to_thread",
    thread_pool=EXECUTOR_THREADS,
    checked=(
        "litestar 2.25: handlers.http_handlers.base.HTTPRouteHandler wraps a sync handler for a thread only "
        "when sync_to_thread is true (unset: a warning, and routes.http calls it on the loop); "
        "concurrency.sync_to_thread runs it in the loop's executor"
    ),
)

QUART = Framework(
    name="Quart",
    modules=frozenset({"quart"}),
    apps=frozenset({"quart.Quart", "quart.app.Quart", "quart.Blueprint", "quart.blueprints.Blueprint"}),
    route_decorators=HTTP_METHODS - {"head", "options", "trace"} | {"route", "websocket"},
    route_adders={"add_url_rule": 2, "add_websocket": 2},
    handler_keywords=frozenset({"view_func"}),
    views=frozenset({"quart.views.MethodView"}),
    view_methods=HTTP_METHODS,
    per_request_decorators=frozenset(
        {"before_request", "after_request", "before_websocket", "after_websocket", "errorhandler",
         "teardown_request"}
    ),
    startup_decorators=frozenset({"before_serving", "after_serving", "while_serving"}),
    sync_handlers="thread",
    thread_pool=EXECUTOR_THREADS,
    checked="quart 0.22: app.Quart.ensure_async runs a plain def handler with utils.run_sync in an executor",
)

DJANGO = Framework(
    name="Django",
    modules=frozenset({"django"}),
    route_classes={"django.urls.path": 1, "django.urls.re_path": 1},
    routing_files=frozenset({"urls.py"}),
    handler_keywords=frozenset({"view"}),
    views=frozenset({"django.views.View", "django.views.generic.View", "django.views.generic.base.View"}),
    view_methods=HTTP_METHODS,
    settings_files=("settings.py", "*/settings.py", "*/settings/*.py", "src/*/settings.py", "src/*/settings/*.py"),
    settings_lists=frozenset({"MIDDLEWARE"}),
    middleware_methods=frozenset(
        {"__call__", "process_request", "process_view", "process_response", "process_exception",
         "process_template_response"}
    ),
    asgi=True,
    sync_handlers="thread",
    thread_pool="Django's one thread for sync code (sync views run there one at a time under ASGI)",
    checked=(
        "django 5.2: core.handlers.base.BaseHandler.adapt_method_mode wraps a sync view with "
        "asgiref.sync_to_async (thread_sensitive) under ASGI; BaseHandler.load_middleware imports each "
        "settings.MIDDLEWARE path and calls it with get_response, adapting a sync or async middleware to the "
        "handler's mode (sync_capable / async_capable); utils.deprecation.MiddlewareMixin.__acall__ runs "
        "process_request / process_response in sync_to_async; core.asgi.get_asgi_application builds the ASGI app"
    ),
)

CELERY = Framework(
    name="Celery",
    modules=frozenset({"celery"}),
    apps=frozenset({"celery.Celery", "celery.app.base.Celery"}),
    task_decorators=frozenset({"task"}),
    task_functions=frozenset({"celery.shared_task", "celery.app.shared_task"}),
    checked="celery 5.7: app.trace.build_tracer calls the task function (`fun(*args, **kwargs)`) and never awaits it",
)

# aiogram's events: each is an observer attribute of a router (`router.message`), called as a decorator
# (`@router.message(F.text)`) or given the handler (`router.message.register(f)`).
AIOGRAM_EVENTS = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
     "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
     "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
     "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
     "chat_join_request", "chat_boost", "removed_chat_boost", "error", "errors"}
)

# aiogram 2's forms of the same: `@dp.message_handler(...)`, `dp.register_message_handler(f, ...)`.
AIOGRAM_2_DECORATORS = frozenset(
    {"message_handler", "edited_message_handler", "channel_post_handler", "edited_channel_post_handler",
     "inline_handler", "chosen_inline_handler", "callback_query_handler", "shipping_query_handler",
     "pre_checkout_query_handler", "poll_handler", "poll_answer_handler", "my_chat_member_handler",
     "chat_member_handler", "chat_join_request_handler", "errors_handler"}
)

AIOGRAM = Framework(
    name="aiogram",
    modules=frozenset({"aiogram"}),
    apps=frozenset(
        {"aiogram.Router", "aiogram.dispatcher.router.Router", "aiogram.Dispatcher",
         "aiogram.dispatcher.dispatcher.Dispatcher"}
    ),
    router_attributes=AIOGRAM_EVENTS,
    route_decorators=AIOGRAM_EVENTS | AIOGRAM_2_DECORATORS,
    route_adders={"register": 0, **{f"register_{name}": 0 for name in AIOGRAM_2_DECORATORS}},
    views=frozenset(
        {f"aiogram.handlers.{name}" for name in (
            "BaseHandler", "MessageHandler", "CallbackQueryHandler", "ChosenInlineResultHandler", "ErrorHandler",
            "InlineQueryHandler", "PollHandler", "PreCheckoutQueryHandler", "ShippingQueryHandler",
            "ChatMemberHandler",
        )}
    ),
    view_methods=frozenset({"handle"}),
    per_request_decorators=frozenset({"middleware", "outer_middleware"}),
    middleware_bases=frozenset({"aiogram.BaseMiddleware", "aiogram.dispatcher.middlewares.base.BaseMiddleware"}),
    middleware_methods=frozenset({"__call__"}),
    startup_decorators=frozenset({"startup", "shutdown"}),
    startup_lists=frozenset({"startup", "shutdown"}),
    list_adders=frozenset({"register"}),
    sync_handlers="thread",
    thread_pool=EXECUTOR_THREADS,
    unit="update",
    run_once="a start-up handler (`@dp.startup()`; in aiogram 2, `on_startup`)",
    checked=(
        "aiogram 3.31: dispatcher.event.handler.CallableObject.call awaits a coroutine function handler and "
        "runs any other in a thread of the loop's default executor; dispatcher.router.Router.startup / "
        "shutdown observers run once; aiogram 2.25 (dispatcher.handler.Handler.notify) awaits every handler, "
        "so its plain def handlers fail rather than run"
    ),
)

DISCORD = Framework(
    name="discord.py",
    modules=frozenset({"discord"}),
    apps=frozenset(
        {"discord.Client", "discord.client.Client", "discord.AutoShardedClient", "discord.ext.commands.Bot",
         "discord.ext.commands.bot.Bot", "discord.ext.commands.AutoShardedBot",
         "discord.app_commands.CommandTree", "discord.app_commands.tree.CommandTree"}
    ),
    router_attributes=frozenset({"tree"}),
    route_decorators=frozenset({"event", "listen", "command", "hybrid_command", "group", "hybrid_group",
                                "context_menu"}),
    route_adders={"add_listener": 0},
    subcommand_decorators=frozenset({"command", "group"}),
    handler_decorators=frozenset(
        {"discord.ext.commands.command", "discord.ext.commands.core.command", "discord.ext.commands.group",
         "discord.ext.commands.hybrid_command", "discord.ext.commands.hybrid_group",
         "discord.ext.commands.Cog.listener", "discord.ext.commands.cog.Cog.listener",
         "discord.app_commands.command", "discord.app_commands.commands.command",
         "discord.app_commands.context_menu"}
    ),
    views=frozenset(
        {"discord.Client", "discord.client.Client", "discord.AutoShardedClient", "discord.ext.commands.Bot",
         "discord.ext.commands.bot.Bot", "discord.ext.commands.AutoShardedBot"}
    ),
    view_method_prefix="on_",
    once_handlers=frozenset({"setup_hook", "on_ready", "on_connect", "on_shard_ready", "on_shard_connect"}),
    sync_handlers="refused",
    unit="event",
    run_once="`setup_hook`",
    checked=(
        "discord.py 2.7: client.Client.event, ext.commands.core.Command.__init__, ext.commands.cog.Cog.listener "
        "and ext.commands.bot.BotBase.add_listener raise TypeError for a plain def; client.Client.dispatch "
        "schedules the `on_<event>` handler as a task per event; Client.setup_hook runs once, before connecting"
    ),
)

ARQ = Framework(
    name="arq",
    modules=frozenset({"arq"}),
    apps=frozenset({"arq.Worker", "arq.worker.Worker"}),
    route_classes={"arq.func": 0, "arq.worker.func": 0, "arq.cron": 0, "arq.cron.cron": 0},
    handler_keywords=frozenset({"coroutine"}),
    handler_lists=frozenset({"functions", "cron_jobs"}),
    settings_classes=True,
    lifespan_keywords=frozenset({"on_startup", "on_shutdown"}),
    sync_handlers="refused",
    unit="job",
    run_once="`on_startup` (kept in `ctx`)",
    checked=(
        "arq 0.28: worker.func and cron.cron raise RuntimeError for a plain def; worker.Worker.main awaits "
        "on_startup(ctx) once before polling, and run_job runs each job as a task with that ctx"
    ),
)

WEBSOCKETS = Framework(
    name="websockets",
    modules=frozenset({"websockets"}),
    route_classes={
        "websockets.serve": 0, "websockets.unix_serve": 0, "websockets.asyncio.server.serve": 0,
        "websockets.asyncio.server.unix_serve": 0, "websockets.server.serve": 0,
        "websockets.legacy.server.serve": 0, "websockets.legacy.server.unix_serve": 0,
    },
    handler_keywords=frozenset({"handler", "ws_handler"}),
    sync_handlers="refused",
    unit="connection",
    run_once="the code that starts the server",
    checked=(
        "websockets 17.4: asyncio.server.serve wraps the handler in protocol_handler, which awaits "
        "`handler(connection)` once per connection (a plain def fails there); the sync server, "
        "websockets.sync.server.serve, runs handlers in threads and is not this entry"
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (
    FASTAPI, STARLETTE, AIOHTTP, SANIC, SOCKETIO, LITESTAR, QUART, DJANGO, CELERY, AIOGRAM, DISCORD, ARQ, WEBSOCKETS,
)


# The bytes that a file registering anything with a framework contains (a rule's trigger).
FRAMEWORK_TRIGGER: bytes = "|".join(sorted(set().union(*(f.modules for f in FRAMEWORKS)))).encode()
# ... and a file whose plain defs a framework may run on the event loop (the blocking-call rules' trigger).
LOOP_FRAMEWORK_TRIGGER: bytes = "|".join(
    sorted(set().union(*(f.modules for f in FRAMEWORKS if f.sync_handlers == "loop")))
).encode()


def framework_of_app(qualname: str) -> Framework | None:
    """The framework whose app (or router) class this is."""
    for framework in FRAMEWORKS:
        if qualname in framework.apps:
            return framework
    return None
