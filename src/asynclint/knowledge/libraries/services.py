"""Messaging, search, storage, git and remote-shell clients, and the data
files pandas reads whole (AL103, AL104, AL106, AL108)."""

from __future__ import annotations

from asynclint.knowledge.library import Calls, Library, Namespace, Timeout

_THREAD = "run it with `await {to_thread}(...)`"
_ELASTICSEARCH_CLIENTS = ("elasticsearch.Elasticsearch", "elasticsearch.AsyncElasticsearch")

LIBRARIES = (
    Library(
        "celery",
        builds={"celery.result.AsyncResult": "celery.result.AsyncResult"},
        blocking=(
            Calls("AL108", "poll `result.ready()` with `await {sleep}(...)` between, or `await {to_thread}(result.get)`",
                  ("celery.result.AsyncResult.get", "celery.result.AsyncResult.wait")),
        ),
        aliases={"celery.AsyncResult": "celery.result.AsyncResult"},
    ),
    Library(
        "paramiko",
        builds={"paramiko.SSHClient": "paramiko.SSHClient", "paramiko.SSHClient.open_sftp": "paramiko.SFTPClient"},
        blocking=(
            Calls("AL106", "use `asyncssh`, or run it with `await {to_thread}(...)`", (
                *(f"paramiko.SSHClient.{m}" for m in ("connect", "exec_command", "invoke_shell", "open_sftp")),
                *(f"paramiko.SFTPClient.{m}" for m in ("get", "put", "open", "listdir", "listdir_attr", "stat",
                                                       "remove", "rename", "mkdir", "rmdir", "chdir")),
            )),
        ),
        aliases={"paramiko.client.SSHClient": "paramiko.SSHClient", "paramiko.sftp_client.SFTPClient": "paramiko.SFTPClient"},
    ),
    Library(
        "dnspython",
        builds={"dns.resolver.Resolver": "dns.resolver.Resolver"},
        blocking=(
            Calls("AL106", "use `dns.asyncresolver` and `await` it", (
                "dns.resolver.resolve", "dns.resolver.query", "dns.resolver.resolve_address",
                "dns.resolver.Resolver.resolve", "dns.resolver.Resolver.query",
            )),
        ),
    ),
    Library(
        "pika",
        builds={"pika.BlockingConnection": "pika.BlockingConnection",
                "pika.BlockingConnection.channel": "pika.adapters.blocking_connection.BlockingChannel"},
        blocking=(
            Calls("AL106", "use `aio-pika` and `await` it", (
                "pika.BlockingConnection",
                *(f"pika.BlockingConnection.{m}" for m in ("channel", "process_data_events", "sleep", "close")),
                *(f"pika.adapters.blocking_connection.BlockingChannel.{m}"
                  for m in ("basic_publish", "basic_get", "basic_consume", "start_consuming", "queue_declare",
                            "exchange_declare", "queue_bind", "basic_ack", "basic_qos", "consume")),
            )),
        ),
    ),
    Library(
        "kafka-python",
        builds={"kafka.KafkaProducer": "kafka.KafkaProducer", "kafka.KafkaConsumer": "kafka.KafkaConsumer",
                "kafka.KafkaProducer.send": "kafka.producer.future.FutureRecordMetadata"},
        blocking=(
            Calls("AL106", "use `aiokafka` and `await` it", (
                "kafka.KafkaProducer", "kafka.KafkaConsumer",
                *(f"kafka.KafkaProducer.{m}" for m in ("flush", "close")),
                *(f"kafka.KafkaConsumer.{m}" for m in ("poll", "commit", "close")),
                "kafka.producer.future.FutureRecordMetadata.get",
            )),
        ),
    ),
    Library(
        "confluent-kafka",
        builds={"confluent_kafka.Producer": "confluent_kafka.Producer", "confluent_kafka.Consumer": "confluent_kafka.Consumer"},
        blocking=(
            Calls("AL106", "call it with `timeout=0` between `await`s, or run it with `await {to_thread}(...)`", (
                "confluent_kafka.Producer.flush",
                *(f"confluent_kafka.Consumer.{m}" for m in ("poll", "consume", "commit", "close")),
            )),
        ),
    ),
    Library(
        "elasticsearch",
        # `options(...)` copies the client onto the same transport
        builds={**{cls: cls for cls in _ELASTICSEARCH_CLIENTS},
                **{f"{cls}.options": cls for cls in _ELASTICSEARCH_CLIENTS}},
        blocking=(
            Calls("AL106", "use `elasticsearch.AsyncElasticsearch` and `await` it", namespaces=(
                Namespace("elasticsearch.Elasticsearch", pure=frozenset({"options", "close", "transport"})),
            )),
        ),
        coroutine_namespaces=(
            Namespace("elasticsearch.AsyncElasticsearch", pure=frozenset({"options", "transport"})),
        ),
        # Each client builds a transport whose nodes hold a connection pool (elastic-transport 9.4's
        # `_node/_http_urllib3.py`: an urllib3 `HTTPConnectionPool`; `_node/_http_aiohttp.py`: an aiohttp
        # session); `close()` (awaited for the async one) and `with` / `async with` close them
        # (elasticsearch 9.5's `_sync/client/__init__.py`, `_async/client/__init__.py`: no `__del__`).
        pools=_ELASTICSEARCH_CLIENTS,
        # A 10 s default (`NodeConfig.request_timeout`); `request_timeout=None` reaches urllib3 as no
        # timeout, and aiohttp as `ClientTimeout(total=0)`: none either.
        timeout=Timeout(
            tuple(f"{cls}{m}" for cls in _ELASTICSEARCH_CLIENTS for m in ("", ".options")),
            keyword="request_timeout",
        ),
        async_only=("elasticsearch.AsyncElasticsearch",),
    ),
    Library(
        "google-cloud-storage",
        builds={
            "google.cloud.storage.Client": "google.cloud.storage.Client",
            "google.cloud.storage.Client.bucket": "google.cloud.storage.Bucket",
            "google.cloud.storage.Bucket.blob": "google.cloud.storage.Blob",
            "google.cloud.storage.Client.get_bucket": "google.cloud.storage.Bucket",
        },
        blocking=(
            Calls("AL106", _THREAD, (
                *(f"google.cloud.storage.Client.{m}" for m in ("get_bucket", "list_buckets", "list_blobs",
                                                               "create_bucket", "lookup_bucket")),
                *(f"google.cloud.storage.Bucket.{m}" for m in ("get_blob", "list_blobs", "exists", "reload",
                                                               "delete_blob", "delete_blobs", "copy_blob", "create")),
                *(f"google.cloud.storage.Blob.{m}"
                  for m in ("upload_from_string", "upload_from_filename", "upload_from_file", "download_as_bytes",
                            "download_as_text", "download_to_filename", "download_to_file", "exists", "delete",
                            "reload", "rewrite", "patch", "make_public")),
            )),
        ),
    ),
    Library(
        "azure-storage-blob",
        builds={
            "azure.storage.blob.BlobServiceClient": "azure.storage.blob.BlobServiceClient",
            "azure.storage.blob.BlobServiceClient.from_connection_string": "azure.storage.blob.BlobServiceClient",
            "azure.storage.blob.BlobServiceClient.get_container_client": "azure.storage.blob.ContainerClient",
            "azure.storage.blob.BlobServiceClient.get_blob_client": "azure.storage.blob.BlobClient",
            "azure.storage.blob.ContainerClient.get_blob_client": "azure.storage.blob.BlobClient",
        },
        blocking=(
            Calls("AL106", "use `azure.storage.blob.aio` and `await` it", (
                *(f"azure.storage.blob.BlobClient.{m}"
                  for m in ("upload_blob", "download_blob", "delete_blob", "exists", "get_blob_properties",
                            "set_blob_metadata", "start_copy_from_url")),
                *(f"azure.storage.blob.ContainerClient.{m}"
                  for m in ("upload_blob", "download_blob", "delete_blob", "create_container", "delete_container",
                            "exists", "get_container_properties", "delete_blobs")),
                *(f"azure.storage.blob.BlobServiceClient.{m}"
                  for m in ("create_container", "delete_container", "get_service_properties", "get_account_information")),
            )),
        ),
    ),
    Library(
        "GitPython",
        builds={"git.Repo.clone_from": "git.Repo", "git.Repo.init": "git.Repo"},
        blocking=(
            Calls("AL104", "run git with `await {subprocess}(...)`, or `await {to_thread}(...)`", (
                "git.Repo.clone_from", "git.Repo.init",
                *(f"git.Repo.{m}" for m in ("is_dirty", "iter_commits", "archive")),
            ), namespaces=(
                # `repo.git.status()` runs `git status`
                Namespace("git.Repo.git", depth=1),
                Namespace("git.Repo.remotes", methods=frozenset({"pull", "push", "fetch"})),
            )),
        ),
    ),
    Library(
        "pandas",
        blocking=(
            Calls("AL103", _THREAD, tuple(
                f"pandas.read_{kind}"
                for kind in ("csv", "excel", "json", "parquet", "feather", "pickle", "sql", "sql_query", "sql_table",
                             "html", "xml", "table", "fwf", "hdf", "orc", "sas", "spss", "stata")
            )),
        ),
    ),
)
