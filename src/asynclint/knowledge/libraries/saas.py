"""SaaS and infrastructure SDKs whose sync clients reach the network on
every API call (AL106)."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library, Namespace

_THREAD = "run it with `await {to_thread}(...)`"
# stripe's resources, called on the class: `stripe.Customer.create(...)`.
_STRIPE_RESOURCES = (
    "Account", "Balance", "BalanceTransaction", "Charge", "Coupon", "Customer", "Dispute", "Event", "Invoice",
    "InvoiceItem", "PaymentIntent", "PaymentLink", "PaymentMethod", "Payout", "Price", "Product", "PromotionCode",
    "Refund", "SetupIntent", "Subscription", "SubscriptionItem", "TaxRate", "Transfer", "checkout.Session",
    "billing_portal.Session",
)
_STRIPE_METHODS = frozenset(
    {"create", "retrieve", "modify", "update", "delete", "list", "search", "cancel", "confirm", "capture", "pay",
     "finalize_invoice", "void_invoice", "send_invoice", "attach", "detach", "expire", "resume", "upcoming",
     "list_line_items", "create_reversal", "close"}
)
_K8S_APIS = (
    "CoreV1Api", "AppsV1Api", "BatchV1Api", "CustomObjectsApi", "NetworkingV1Api", "RbacAuthorizationV1Api",
    "AutoscalingV1Api", "AutoscalingV2Api", "PolicyV1Api", "StorageV1Api", "ApiextensionsV1Api", "VersionApi",
)

LIBRARIES = (
    Library(
        "stripe",
        builds={"stripe.StripeClient": "stripe.StripeClient"},
        blocking=(
            Calls("AL106", "use the method's `_async` twin and `await` it (`await stripe.Customer.retrieve_async(...)`)", tuple(
                f"stripe.{resource}.{m}"
                for resource in _STRIPE_RESOURCES
                for m in ("create", "retrieve", "modify", "delete", "list", "search")
            ), namespaces=(Namespace("stripe.StripeClient", methods=_STRIPE_METHODS),)),
        ),
        coroutines=tuple(
            f"stripe.{resource}.{m}_async"
            for resource in _STRIPE_RESOURCES
            for m in ("create", "retrieve", "modify", "delete", "list", "search")
        ),
    ),
    Library(
        "slack_sdk",
        builds={
            "slack_sdk.WebClient": "slack_sdk.WebClient",
            "slack_sdk.web.async_client.AsyncWebClient": "slack_sdk.web.async_client.AsyncWebClient",
        },
        blocking=(
            Calls("AL106", "use `slack_sdk.web.async_client.AsyncWebClient` and `await` it", namespaces=(
                Namespace("slack_sdk.WebClient", depth=1),
            )),
        ),
        coroutine_namespaces=(Namespace("slack_sdk.web.async_client.AsyncWebClient", depth=1),),
        aliases={
            "slack_sdk.web.WebClient": "slack_sdk.WebClient",
            "slack_sdk.web.client.WebClient": "slack_sdk.WebClient",
            "slack_sdk.web.AsyncWebClient": "slack_sdk.web.async_client.AsyncWebClient",
        },
    ),
    Library(
        "twilio",
        builds={"twilio.rest.Client": "twilio.rest.Client"},
        blocking=(
            # `client.messages(sid)` picks a record locally; its `fetch()` is the request.
            Calls("AL106", "use twilio's `AsyncTwilioHttpClient` and the `_async` methods", namespaces=(
                Namespace("twilio.rest.Client", methods=frozenset(
                    {"create", "fetch", "update", "delete", "list", "stream", "page"}
                )),
            )),
        ),
    ),
    Library(
        "sendgrid",
        builds={"sendgrid.SendGridAPIClient": "sendgrid.SendGridAPIClient"},
        blocking=(
            Calls("AL106", _THREAD, namespaces=(
                Namespace("sendgrid.SendGridAPIClient", methods=frozenset({"send", "get", "post", "put", "patch", "delete"})),
            )),
        ),
        aliases={"sendgrid.sendgrid.SendGridAPIClient": "sendgrid.SendGridAPIClient"},
    ),
    Library(
        "docker",
        builds={
            "docker.from_env": "docker.DockerClient",
            "docker.DockerClient": "docker.DockerClient",
            "docker.DockerClient.from_env": "docker.DockerClient",
            "docker.DockerClient.containers.get": "docker.models.containers.Container",
            "docker.DockerClient.containers.run": "docker.models.containers.Container",
            "docker.DockerClient.containers.create": "docker.models.containers.Container",
        },
        blocking=(
            Calls("AL106", "use `aiodocker`, or run it with `await {to_thread}(...)`", (
                "docker.from_env", "docker.DockerClient", "docker.DockerClient.from_env",
            ), namespaces=(
                Namespace("docker.DockerClient", pure=frozenset({"close"})),
                Namespace("docker.models.containers.Container", depth=1),
            )),
        ),
        aliases={"docker.client.DockerClient": "docker.DockerClient", "docker.client.from_env": "docker.from_env"},
    ),
    Library(
        "kubernetes",
        builds={f"kubernetes.client.{api}": f"kubernetes.client.{api}" for api in _K8S_APIS},
        blocking=(
            Calls("AL106", "use `kubernetes_asyncio`, or run it with `await {to_thread}(...)`", namespaces=tuple(
                Namespace(f"kubernetes.client.{api}", depth=1, pure=frozenset({"api_client"})) for api in _K8S_APIS
            )),
        ),
    ),
)
