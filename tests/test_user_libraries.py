"""`[tool.asynclint.libraries.NAME]`: a team's own library, declared with
the built-in entries' schema, validated, and checked like them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from asynclint.config import (
    ConfigError,
    RawConfig,
    Settings,
    UserLibrary,
    build_settings,
)
from asynclint.engine import Checker

ACME = {
    "types": ["acme.Client"],
    "builds": {"acme.connect": "acme.Client"},
    "namespaces": ["acme.Client"],
    "pure": ["with_options"],
    "blocking": ["acme.fetch_report"],
    "advice": "use `acme.AsyncClient`",
}


def settings_from(values: dict) -> Settings:
    return build_settings(RawConfig({"select": ["AL"], **values}, Path("svc/pyproject.toml")), {})


def found(source: str, settings: Settings, tmp_path: Path) -> list[tuple[int, str, str]]:
    (tmp_path / "pyproject.toml").write_text("")
    path = str(tmp_path / "app.py")
    results = [
        Checker(settings, screening=screening).check_source(textwrap.dedent(source).encode(), path)
        for screening in (False, True)
    ]
    assert results[0].diagnostics == results[1].diagnostics  # the first look agrees
    return [(d.start.line, d.code, d.message) for d in results[0].diagnostics]


def test_a_declared_library_is_parsed_into_its_entry() -> None:
    settings = settings_from({"libraries": {"acme": ACME}})
    assert settings.libraries == (
        UserLibrary(
            "acme", ("acme.Client",), (("acme.connect", "acme.Client"),), ("acme.Client",), ("with_options",),
            ("acme.fetch_report",), "AL106", "use `acme.AsyncClient`",
        ),
    )
    assert settings.result_types()["acme.connect"] == "acme.Client"
    extras = settings.blocking_extras()
    assert extras.find("acme.Client.chat.completions.create").code == "AL106"
    assert extras.find("acme.Client.with_options") is None
    assert extras.find("acme.fetch_report").advice == "use `acme.AsyncClient`"


def test_every_method_under_a_namespace_blocks_in_every_form(tmp_path: Path) -> None:
    settings = settings_from({"libraries": {"acme": {**ACME, "code": "AL105"}}})
    source = """
        import acme

        CLIENT = acme.connect()


        class Service:
            def __init__(self):
                self.client = acme.Client()

            async def run(self):
                self.client.users.get(1)


        async def handler(given: acme.Client):
            client = acme.connect()
            client.chat.completions.create(model="m")
            client.with_options(timeout=1)
            given.ping()
            CLIENT.files.upload(b"")
            acme.fetch_report()
            with acme.Client() as inner:
                inner.close_all()
            acme.Client()
    """
    lines = [(line, code) for line, code, _ in found(source, settings, tmp_path)]
    assert lines == [(12, "AL105"), (17, "AL105"), (19, "AL105"), (20, "AL105"), (21, "AL105"), (23, "AL105")]


def test_without_the_declaration_nothing_is_reported(tmp_path: Path) -> None:
    source = "import acme\n\nasync def f():\n    acme.connect().users.get(1)\n"
    assert found(source, settings_from({}), tmp_path) == []
    assert [code for _, code, _ in found(source, settings_from({"libraries": {"acme": ACME}}), tmp_path)] == ["AL106"]


def test_libraries_of_an_extended_configuration_add_up() -> None:
    base = RawConfig({"libraries": {"acme": ACME}}, Path("pyproject.toml"))
    top = RawConfig({"libraries": {"other": {"blocking": ["other.fetch"]}}}, Path("svc/pyproject.toml"), base)
    settings = build_settings(top, {})
    assert [library.name for library in settings.libraries] == ["acme", "other"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"acme": {**ACME, "namespace": ["acme.Client"]}}, r"`libraries.acme` has unknown key `namespace` \(did you mean `namespaces`\?\)"),
        ({"acme": {"types": ["Client"], "blocking": ["acme.f"]}}, r"`libraries.acme.types` has `Client`, not a qualified name"),
        ({"acme": {"blocking": "acme.f"}}, r"`libraries.acme.blocking` must be a list of strings"),
        ({"acme": {"blocking": ["acme.f"], "code": "AL301"}}, r"`libraries.acme.code` must be one of AL101,"),
        ({"acme": {"builds": {"acme.connect": 3}, "blocking": ["acme.f"]}}, r"`libraries.acme.builds` must be a table"),
        ({"acme": {"namespaces": ["acme.C"], "pure": ["a.b"]}}, r"`libraries.acme.pure` has `a.b`, not a member name"),
        ({"acme": {"types": ["acme.Client"]}}, r"`libraries.acme` names no blocking call"),
        ({"acme": ["acme.f"]}, r"`libraries.acme` must be a table"),
        (["acme"], r"`libraries` must be a table of libraries"),
    ],
)
def test_a_bad_declaration_names_the_file_and_key(table, message: str) -> None:
    with pytest.raises(ConfigError, match=r"^svc/pyproject.toml: " + message):
        settings_from({"libraries": table})


def test_a_bad_declaration_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    from asynclint.cli import main

    (tmp_path / "pyproject.toml").write_text('[tool.asynclint.libraries.acme]\ntypes = ["acme.Client"]\n')
    (tmp_path / "app.py").write_text("async def f():\n    pass\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["app.py"])
    assert exit_info.value.code == 2
    assert "pyproject.toml: `libraries.acme` names no blocking call" in capsys.readouterr().err
