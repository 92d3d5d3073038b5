"""A stub `grpc_tools.protoc` generates (`greeter_pb2_grpc.GreeterStub`) is
what the channel it is built on makes it: on a sync channel each RPC call
blocks (AL106), in every form the stub reaches a call, alike with and
without the first look; on a `grpc.aio` channel, or one that cannot be
told, it is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Checker

# What the generator writes (trimmed): the stub's RPCs are multi-callables of an unannotated channel.
STUBS = '''\
class GreeterStub(object):
    def __init__(self, channel):
        self.SayHello = channel.unary_unary("/helloworld.Greeter/SayHello")
        self.ListGreetings = channel.unary_stream("/helloworld.Greeter/ListGreetings")
'''
IMPORTS = (
    "import grpc\nimport grpc.aio\n\nimport installed_pb2_grpc\nfrom app import greeter_pb2_grpc\n"
    "from app.greeter_pb2_grpc import GreeterStub\n"
)

# (the statements of an `async def`, module-level lines) -> the last line is reported
FORMS = {
    "direct": ('return GreeterStub(grpc.insecure_channel("localhost:50051")).SayHello(request)', ""),
    "local": (('channel = grpc.secure_channel("api:443", credentials)\nstub = GreeterStub(channel)\n'
              "return stub.SayHello(request)"), ""),
    "module global": ("return STUB.SayHello.with_call(request)",
                      'STUB = greeter_pb2_grpc.GreeterStub(grpc.insecure_channel("localhost:50051"))'),
    "with": (('with grpc.insecure_channel("localhost:50051") as channel:\n'
             "    return GreeterStub(channel).SayHello(request)"), ""),
    "streaming": (('stub = GreeterStub(grpc.insecure_channel("localhost:50051"))\n'
                  "return [reply for reply in stub.ListGreetings(request)]"), ""),
    "a stub outside the project": (('stub = installed_pb2_grpc.InstalledStub(grpc.insecure_channel("x"))\n'
                                   "return stub.Fetch(request)"), ""),
    "self": ("return self.stub.SayHello(request)", "self"),
    "an intercepted channel": (('channel = grpc.intercept_channel(grpc.insecure_channel("x"), interceptor)\n'
                                "return GreeterStub(channel).SayHello(request)"), ""),
}
# The same stub left alone: its channel unknown or asynchronous, or a call that returns at once.
CLEAN = {
    "a channel parameter": ("return GreeterStub(channel).SayHello(request)", "channel"),
    "an annotated stub": ("return stub.SayHello(request)", "stub: GreeterStub"),
    "an aio channel": (('async with grpc.aio.insecure_channel("localhost:50051") as channel:\n'
                       "    return await GreeterStub(channel).SayHello(request)"), ""),
    "a future": ('return GreeterStub(grpc.insecure_channel("localhost:50051")).SayHello.future(request)', ""),
    "a class not named a stub": ('return greeter_pb2_grpc.Greeter(grpc.insecure_channel("x")).SayHello(request)', ""),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("grpc")
    (root / "pyproject.toml").write_text("")
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "greeter_pb2_grpc.py").write_text(STUBS)
    return root


def snippet(body: str, top: str, params: str = "") -> str:
    lines = body.splitlines()
    if top == "self":
        head = ["class Client:", "    def __init__(self):",
                '        self.stub = GreeterStub(grpc.insecure_channel("localhost:50051"))', "",
                "    async def greet(self, request):"]
        return IMPORTS + "\n\n" + "\n".join([*head, *(f"        {line}" for line in lines)]) + "\n"
    module = [top, "", ""] if top else []
    signature = ", ".join(p for p in ("request", "credentials", "interceptor", params) if p)
    return IMPORTS + "\n\n" + "\n".join([*module, f"async def greet({signature}):", *(f"    {line}" for line in lines)]) + "\n"


def diagnostics(project: Path, source: str, screening: bool) -> list:
    path = project / "app" / "client.py"
    path.write_text(source)
    result = Checker(Settings(select=("AL",), preview=True), screening=screening).check_file(str(path))
    assert not result.errors
    return [(d.code, d.start.line) for d in result.diagnostics]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_sync_stubs_calls_are_reported_with_and_without_the_first_look(form: str, project: Path) -> None:
    source = snippet(*FORMS[form])
    found = diagnostics(project, source, screening=False)
    assert found == [("AL106", source.count("\n"))], f"{form}: {found}\n{source}"
    assert diagnostics(project, source, screening=True) == found


@pytest.mark.parametrize("form", sorted(CLEAN))
def test_a_stub_on_an_unknown_or_async_channel_is_left_alone(form: str, project: Path) -> None:
    body, params = CLEAN[form]
    source = snippet(body, "", params)
    assert diagnostics(project, source, screening=False) == [], source


def test_the_stub_is_what_its_channel_makes_it_not_what_the_class_says(project: Path) -> None:
    """The generated class is the same for both channels: two stubs of it in one function differ."""
    source = snippet('sync = GreeterStub(grpc.insecure_channel("a"))\nsync.SayHello(request)\n'
                     'async with grpc.aio.insecure_channel("b") as channel:\n'
                     "    await GreeterStub(channel).SayHello(request)", "")
    assert diagnostics(project, source, screening=False) == [("AL106", source.count("\n") - 2)]
