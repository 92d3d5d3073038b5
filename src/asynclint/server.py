"""`asynclint server`: a language server over stdio (needs `asynclint[lsp]`).

Diagnostics on open, change and save; code actions for each fix, for
"add `# noqa: CODE`", and a fix-all action; configuration from the
workspace's pyproject.toml, found from each document's path.
"""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from asynclint import __version__
from asynclint.config import ConfigError, Settings, settings_for
from asynclint.diagnostics import Diagnostic
from asynclint.engine import Checker
from asynclint.fixes import fix_source
from asynclint.suppression import NOQA

FIX_ALL_KIND = "source.fixAll.asynclint"


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def utf16_column(line_text: str, column: int) -> int:
    """LSP's 0-based UTF-16 column for our 1-based code-point column."""
    prefix = line_text[: max(column - 1, 0)]
    return len(prefix.encode("utf-16-le")) // 2


def noqa_edit_text(line_text: str, code: str) -> tuple[int, str]:
    """Where (code-point column, 0-based) and what to insert to silence `code` on a line."""
    match = NOQA.search(line_text)
    if match is None:
        stripped = line_text.rstrip()
        return len(stripped), f"  # noqa: {code}"
    if match.group("codes"):
        return match.end("codes"), f", {code}"
    return -1, ""  # a bare `# noqa` already silences everything


def create_server():
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("asynclint", __version__)
    checkers: dict[tuple, Checker] = {}
    findings: dict[str, list[tuple[Diagnostic, types.Diagnostic]]] = {}

    def checker_for(path: str) -> Checker:
        try:
            settings = settings_for(path)
        except ConfigError as exc:
            server.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"asynclint: {exc}"))
            settings = Settings()
        key = (settings,)
        if key not in checkers:
            checkers[key] = Checker(settings, fix_edits=True)
        return checkers[key]

    def to_lsp(d: Diagnostic, lines: list[str]) -> types.Diagnostic:
        def position(line: int, column: int) -> types.Position:
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            return types.Position(line=line - 1, character=utf16_column(text, column))

        return types.Diagnostic(
            range=types.Range(start=position(d.start.line, d.start.column), end=position(d.end.line, d.end.column)),
            message=d.message,
            severity=types.DiagnosticSeverity.Warning,
            code=d.code,
            source="asynclint",
        )

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        result = checker_for(path).check_source(document.source.encode("utf-8"), path)
        lines = document.source.splitlines()
        pairs = [(d, to_lsp(d, lines)) for d in result.diagnostics]
        findings[uri] = pairs
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=[p for _, p in pairs])
        )

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        for checker in checkers.values():
            checker.forget_projects()  # the saved file may be another's helper module
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        findings.pop(params.text_document.uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_actions(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = server.workspace.get_text_document(uri)
        lines = document.source.splitlines()
        wanted = params.range
        actions = []
        for ours, theirs in findings.get(uri, []):
            if theirs.range.end.line < wanted.start.line or theirs.range.start.line > wanted.end.line:
                continue
            if ours.fix is not None and ours.fix.edits:
                edits = [
                    types.TextEdit(
                        range=types.Range(
                            start=types.Position(line=e.start.line - 1, character=utf16_column(_line(lines, e.start.line), e.start.column)),
                            end=types.Position(line=e.end.line - 1, character=utf16_column(_line(lines, e.end.line), e.end.column)),
                        ),
                        new_text=e.content,
                    )
                    for e in ours.fix.edits
                ]
                actions.append(types.CodeAction(
                    title=f"{ours.code}: {ours.fix.message}" + (" (unsafe)" if ours.fix.applicability.value == "unsafe" else ""),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[theirs],
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                    is_preferred=ours.fix.applicability.value == "safe",
                ))
            line_number = ours.noqa_line or ours.start.line
            text = _line(lines, line_number)
            column, insert = noqa_edit_text(text, ours.code)
            if insert:
                at = types.Position(line=line_number - 1, character=utf16_column(text, column + 1))
                actions.append(types.CodeAction(
                    title=f"Add `# noqa: {ours.code}`",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[theirs],
                    edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=at, end=at), new_text=insert)]}),
                ))
        path = uri_to_path(uri)
        outcome = fix_source(checker_for(path), document.source.encode("utf-8"), path, unsafe=False)
        if outcome.applied:
            end = types.Position(line=len(lines) + 1, character=0)
            actions.append(types.CodeAction(
                title="asynclint: fix all safe fixes",
                kind=FIX_ALL_KIND,
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
                    range=types.Range(start=types.Position(line=0, character=0), end=end),
                    new_text=outcome.source.decode("utf-8"),
                )]}),
            ))
        return actions

    return server


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def serve() -> None:
    create_server().start_io()
