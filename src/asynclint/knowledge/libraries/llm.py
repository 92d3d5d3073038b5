"""LLM SDKs: their sync clients send an HTTP request on every API call
(AL106), often a slow one (a completion can take a minute); their async
twins give coroutines."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library, Namespace, Timeout

_ASYNC_CLIENT = "use `{twin}` and `await` it"


def _use(twin: str) -> str:
    return _ASYNC_CLIENT.replace("{twin}", twin)


# Members of an OpenAI-style client (Stainless-built SDKs: openai, anthropic)
# that do no I/O: copies of the client, event hooks, webhook checks.
_CLIENT_LOCAL = frozenset(
    {"with_options", "copy", "with_middleware", "is_closed", "close", "platform_headers", "on", "off", "once",
     "parse_event", "unwrap", "verify_signature", "parse_unverified"}
)
# Methods of the async clients that are plain: they return an async
# paginator, stream manager or connection manager (used with `async for` /
# `async with`), not a coroutine.
_ASYNC_PLAIN = _CLIENT_LOCAL | {
    "with_streaming_response", "list", "list_items", "list_files", "list_events", "list_rate_limits", "stream",
    "connect", "send", "content", "search", "create_and_run_stream", "create_and_stream",
    "submit_tool_outputs_stream", "activate", "deactivate", "for_result", "tool_runner", "worker", "thread", "poller",
}
# Each client owns an httpx pool (`SyncAPIClient.__init__` in openai's
# `src/openai/_base_client.py` builds one unless given `http_client=`), closes
# it on `close()`, at the end of a `with` block and when garbage-collected
# (`SyncHttpxClientWrapper.__del__`).
_OPENAI_CLIENTS = ("openai.OpenAI", "openai.AzureOpenAI", "openai.AsyncOpenAI", "openai.AsyncAzureOpenAI")
_ANTHROPIC_CLIENTS = ("anthropic.Anthropic", "anthropic.AsyncAnthropic")
_COHERE_CLIENTS = ("cohere.Client", "cohere.ClientV2", "cohere.AsyncClient", "cohere.AsyncClientV2")
# `openai.chat.completions.create(...)`: the module's default client.
_OPENAI_MODULE_RESOURCES = (
    "chat", "completions", "embeddings", "files", "images", "audio", "moderations", "models", "fine_tuning", "beta",
    "batches", "uploads", "responses", "vector_stores", "conversations", "evals", "containers", "realtime", "videos",
)

# LangChain's chat models, LLMs and embeddings, by package: each `invoke`,
# `batch` or `stream` is a request (`ainvoke`, `abatch`, `astream` are the
# async ones); `bind_tools(...)` and the like give a model that does the same.
_LANGCHAIN_MODELS = {
    "langchain_openai": ("ChatOpenAI", "AzureChatOpenAI", "OpenAI", "AzureOpenAI"),
    "langchain_anthropic": ("ChatAnthropic",),
    "langchain_google_genai": ("ChatGoogleGenerativeAI",),
    "langchain_google_vertexai": ("ChatVertexAI",),
    "langchain_ollama": ("ChatOllama", "OllamaLLM"),
    "langchain_cohere": ("ChatCohere",),
    "langchain_mistralai": ("ChatMistralAI",),
    "langchain_groq": ("ChatGroq",),
    "langchain_aws": ("ChatBedrock", "ChatBedrockConverse"),
    "langchain_core.language_models": ("BaseChatModel", "BaseLLM", "BaseLanguageModel"),
}
_LANGCHAIN_EMBEDDINGS = {
    "langchain_openai": ("OpenAIEmbeddings", "AzureOpenAIEmbeddings"),
    "langchain_google_genai": ("GoogleGenerativeAIEmbeddings",),
    "langchain_ollama": ("OllamaEmbeddings",),
    "langchain_cohere": ("CohereEmbeddings",),
    "langchain_core.embeddings": ("Embeddings",),
}
_CHAT_MODELS = tuple(f"{package}.{cls}" for package, classes in _LANGCHAIN_MODELS.items() for cls in classes)
_EMBEDDINGS = tuple(f"{package}.{cls}" for package, classes in _LANGCHAIN_EMBEDDINGS.items() for cls in classes)
_MODEL_WRAPPERS = ("bind_tools", "bind", "with_structured_output", "with_retry", "with_config", "with_fallbacks")

LIBRARIES = (
    Library(
        "openai",
        builds={
            **{cls: cls for cls in ("openai.OpenAI", "openai.AzureOpenAI", "openai.AsyncOpenAI", "openai.AsyncAzureOpenAI")},
            **{f"{cls}.{m}": cls for cls in ("openai.OpenAI", "openai.AzureOpenAI", "openai.AsyncOpenAI",
                                             "openai.AsyncAzureOpenAI") for m in ("with_options", "copy")},
        },
        blocking=(
            Calls("AL106", _use("openai.AsyncOpenAI"), namespaces=(
                *(Namespace(cls, pure=_CLIENT_LOCAL) for cls in ("openai.OpenAI", "openai.AzureOpenAI")),
                *(Namespace(f"openai.{resource}", pure=_CLIENT_LOCAL) for resource in _OPENAI_MODULE_RESOURCES),
            )),
        ),
        coroutine_namespaces=tuple(
            Namespace(cls, pure=_ASYNC_PLAIN) for cls in ("openai.AsyncOpenAI", "openai.AsyncAzureOpenAI")
        ),
        pools=_OPENAI_CLIENTS,
        pools_closed_when_dropped=_OPENAI_CLIENTS,
        # A 600 s default; `timeout=None` waits forever (`_base_client.py`: only a timeout
        # not given at all becomes the default).
        timeout=Timeout(tuple(f"{cls}{m}" for cls in _OPENAI_CLIENTS for m in ("", ".with_options", ".copy"))),
        async_only=("openai.AsyncOpenAI", "openai.AsyncAzureOpenAI"),
        aliases={
            "openai.Client": "openai.OpenAI",
            "openai.AsyncClient": "openai.AsyncOpenAI",
            "openai._client.OpenAI": "openai.OpenAI",
            "openai._client.AsyncOpenAI": "openai.AsyncOpenAI",
            "openai.lib.azure.AzureOpenAI": "openai.AzureOpenAI",
            "openai.lib.azure.AsyncAzureOpenAI": "openai.AsyncAzureOpenAI",
        },
    ),
    Library(
        "anthropic",
        builds={
            **{cls: cls for cls in ("anthropic.Anthropic", "anthropic.AsyncAnthropic")},
            **{f"{cls}.{m}": cls for cls in ("anthropic.Anthropic", "anthropic.AsyncAnthropic")
               for m in ("with_options", "copy", "with_middleware")},
        },
        blocking=(
            Calls("AL106", _use("anthropic.AsyncAnthropic"), namespaces=(
                Namespace("anthropic.Anthropic", pure=_CLIENT_LOCAL | {"tool_runner"}),
            )),
        ),
        coroutine_namespaces=(Namespace("anthropic.AsyncAnthropic", pure=_ASYNC_PLAIN),),
        # the same generated client as openai's (`src/anthropic/_base_client.py`): a 600 s default
        pools=_ANTHROPIC_CLIENTS,
        pools_closed_when_dropped=_ANTHROPIC_CLIENTS,
        timeout=Timeout(tuple(f"{cls}{m}" for cls in _ANTHROPIC_CLIENTS for m in ("", ".with_options", ".copy"))),
        async_only=("anthropic.AsyncAnthropic",),
        aliases={
            "anthropic.Client": "anthropic.Anthropic",
            "anthropic.AsyncClient": "anthropic.AsyncAnthropic",
            "anthropic._client.Anthropic": "anthropic.Anthropic",
            "anthropic._client.AsyncAnthropic": "anthropic.AsyncAnthropic",
        },
    ),
    Library(
        "cohere",
        builds={cls: cls for cls in _COHERE_CLIENTS},
        blocking=(
            Calls("AL106", _use("cohere.AsyncClientV2"), namespaces=tuple(
                # `tokenize`/`detokenize` run offline by default
                Namespace(cls, pure=frozenset({"tokenize", "detokenize"}))
                for cls in ("cohere.Client", "cohere.ClientV2")
            )),
        ),
        # (`chat_stream` is an async generator, not a coroutine.)
        coroutine_namespaces=tuple(
            Namespace(cls, pure=frozenset({"tokenize", "detokenize", "chat_stream", "generate_stream"}))
            for cls in ("cohere.AsyncClient", "cohere.AsyncClientV2")
        ),
        # `BaseCohere.__init__` / `AsyncBaseCohere.__init__` (`src/cohere/base_client.py`, cohere 7.3.1) build
        # an httpx client unless given `httpx_client=`; only `with` / `async with` closes it (`Client.__exit__`
        # in `src/cohere/client.py`: no `close()`, no `__del__`), and the async clients have no plain `with`.
        # No timeout entry: `timeout=None` there means the SDK's 300 s default.
        pools=_COHERE_CLIENTS,
        async_only=("cohere.AsyncClient", "cohere.AsyncClientV2"),
    ),
    Library(
        "google-genai",
        builds={
            "google.genai.Client": "google.genai.Client",
            # a chat session is built locally; sending a message is the request
            "google.genai.Client.chats.create": "google.genai.chats.Chat",
        },
        blocking=(
            Calls("AL106", "use the client's `.aio` API (`await client.aio.models.generate_content(...)`)", namespaces=(
                # `.aio` is the async API; `chats.create` and `live` do no I/O of their own
                Namespace("google.genai.Client", pure=frozenset({"aio", "chats", "live", "close"})),
                Namespace("google.genai.chats.Chat", pure=frozenset({"get_history"})),
            )),
        ),
        coroutine_namespaces=(Namespace("google.genai.Client.aio", pure=frozenset({"chats", "live"})),),
        # `BaseApiClient.__init__` (`google/genai/_api_client.py`) builds an httpx client (and an
        # async one) unless `http_options` brings its own; `Client.close()`, `with` and `__del__`
        # close it (`google/genai/client.py`).
        pools=("google.genai.Client",),
        pools_closed_when_dropped=("google.genai.Client",),
        # `HttpOptions.timeout` defaults to None, which the SDK passes to httpx on every
        # request: no timeout at all (pydantic-ai #4031 found requests hanging forever).
        timeout=Timeout(
            ("google.genai.Client",), required=True, keyword="http_options",
            advice="pass `http_options=types.HttpOptions(timeout=...)` (in milliseconds)",
        ),
        aliases={"google.genai.client.Client": "google.genai.Client"},
    ),
    Library(
        "google-generativeai",
        builds={
            "google.generativeai.GenerativeModel": "google.generativeai.GenerativeModel",
            "google.generativeai.GenerativeModel.start_chat": "google.generativeai.ChatSession",
        },
        blocking=(
            Calls("AL106", "use the `_async` method (`await model.generate_content_async(...)`)", (
                *(f"google.generativeai.GenerativeModel.{m}" for m in ("generate_content", "count_tokens")),
                "google.generativeai.ChatSession.send_message",
                *(f"google.generativeai.{f}" for f in ("embed_content", "list_models", "get_model", "upload_file",
                                                       "generate_text", "generate_embeddings")),
            )),
        ),
        coroutines=(
            *(f"google.generativeai.GenerativeModel.{m}" for m in ("generate_content_async", "count_tokens_async")),
            "google.generativeai.ChatSession.send_message_async",
            "google.generativeai.embed_content_async",
        ),
        aliases={"google.generativeai.generative_models.GenerativeModel": "google.generativeai.GenerativeModel",
                 "google.generativeai.generative_models.ChatSession": "google.generativeai.ChatSession"},
    ),
    Library(
        "langchain",
        builds={
            **{cls: cls for cls in (*_CHAT_MODELS, *_EMBEDDINGS)},
            **{f"{cls}.{m}": cls for cls in _CHAT_MODELS for m in _MODEL_WRAPPERS},
            "langchain.chat_models.init_chat_model": "langchain_core.language_models.BaseChatModel",
        },
        blocking=(
            Calls("AL106", "use `await model.ainvoke(...)` (`abatch`, `astream` for the others)", tuple(
                f"{cls}.{m}" for cls in _CHAT_MODELS for m in ("invoke", "batch", "stream", "predict", "generate")
            )),
            Calls("AL106", "use `await embeddings.aembed_query(...)` (`aembed_documents`)", tuple(
                f"{cls}.{m}" for cls in _EMBEDDINGS for m in ("embed_query", "embed_documents")
            )),
        ),
        coroutines=(
            *(f"{cls}.{m}" for cls in _CHAT_MODELS for m in ("ainvoke", "abatch", "apredict", "agenerate")),
            *(f"{cls}.{m}" for cls in _EMBEDDINGS for m in ("aembed_query", "aembed_documents")),
        ),
        aliases={
            "langchain_openai.chat_models.ChatOpenAI": "langchain_openai.ChatOpenAI",
            "langchain_openai.chat_models.base.ChatOpenAI": "langchain_openai.ChatOpenAI",
            "langchain_anthropic.chat_models.ChatAnthropic": "langchain_anthropic.ChatAnthropic",
            "langchain_core.language_models.chat_models.BaseChatModel": "langchain_core.language_models.BaseChatModel",
            "langchain.chat_models.base.init_chat_model": "langchain.chat_models.init_chat_model",
            "langchain_community.chat_models.ChatOllama": "langchain_ollama.ChatOllama",
            "langchain_community.chat_models.ChatOpenAI": "langchain_openai.ChatOpenAI",
            "langchain.chat_models.ChatOpenAI": "langchain_openai.ChatOpenAI",
            "langchain_community.embeddings.OpenAIEmbeddings": "langchain_openai.OpenAIEmbeddings",
        },
    ),
    Library(
        "litellm",
        builds={"litellm.Router": "litellm.Router"},
        blocking=(
            Calls("AL106", "use `await litellm.acompletion(...)` (the `a`-prefixed function)", tuple(
                f"{owner}.{f}"
                for owner in ("litellm", "litellm.Router")
                for f in ("completion", "embedding", "image_generation", "transcription", "text_completion",
                          "responses", "rerank", "speech", "moderation")
            )),
        ),
        coroutines=tuple(
            f"{owner}.a{f}"
            for owner in ("litellm", "litellm.Router")
            for f in ("completion", "embedding", "image_generation", "transcription", "text_completion", "responses",
                      "rerank", "speech", "moderation")
        ),
    ),
)
