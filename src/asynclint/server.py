"""`asynclint server`: a language server over stdio (needs `asynclint[lsp]`).

Diagnostics on open, change and save, pushed and pulled (a document, or
every Python file of every workspace folder); code actions for each fix,
for "add `# noqa: CODE`", and a fix-all action; the commands
`asynclint.fixAll` and `asynclint.addNoqa` (for a whole document); hover
with the documentation of the rules found under the cursor. Each file gets
the settings of its nearest configuration, as the command line gives them,
the client's settings on top (`select`, `extend-select`, `ignore`,
`preview`: initializationOptions, workspace/didChangeConfiguration); a
configuration error is told once (a message, and a diagnostic on the file),
and a configuration file saved or changed on disk has every open document
checked again. A module saved or changed on disk has the open documents
whose findings rest on it checked again.

Typing sends a change per keystroke: a change after a pause is checked at
once, the changes of a burst once they pause for `DEBOUNCE_SECONDS`, so a
burst is checked (and published) for its last version. libcst parses again
only the statements a change touched (`asynclint.reparse`), and the rules
walk again only those and what depends on them (`asynclint.incremental`);
the module's model and its web app model are put together from each
statement's piece, kept from the last version. Full garbage collections
wait until the documents rest (`Collector`).
A fix's edits are built only when a code action asks for the finding.
Columns are counted in the position encoding negotiated with the client
(UTF-16 unless it offers UTF-8 or UTF-32). stdin is read a whole message at
a time (`MessageReader`).
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from asynclint import __version__, registry
from asynclint.config import ConfigError, Configurations, Settings
from asynclint.diagnostics import Applicability, Diagnostic, Edit
from asynclint.discovery import discover
from asynclint.engine import Analysis, Checker
from asynclint.fixes import fix_source
from asynclint.incremental import StatementRunner
from asynclint.model.build import ModelPieces
from asynclint.modules import module_name_for
from asynclint.reparse import Reparser
from asynclint.rule import Report
from asynclint.suppression import NOQA
from asynclint.urls import rule_url

FIX_ALL_KIND = "source.fixAll.asynclint"
QUICK_FIX_KIND = "quickfix"
FIX_ALL_COMMAND = "asynclint.fixAll"  # arguments: the document's URI
ADD_NOQA_COMMAND = "asynclint.addNoqa"
CONFIG_FILES = ("pyproject.toml", "asynclint.toml")
# The client's own settings (initializationOptions, workspace/didChangeConfiguration,
# under "asynclint" or not): what they override, as the command line's options do.
CLIENT_SETTINGS = {"select": "select", "extend-select": "extend_select", "extendSelect": "extend_select",
                   "ignore": "ignore", "preview": "preview"}

# A configuration error that names its file: `path:line:column: reason` or `path: reason`.
_CONFIG_ERROR = re.compile(r"^(?P<path>.*?\.toml)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<reason>.+)$", re.DOTALL)

# A pause in a document's changes: longer than between the changes of one
# edit (or the messages read after a long check), shorter than between keystrokes.
DEBOUNCE_SECONDS = 0.025

# Python's collector, in a full collection, goes through every object that
# survived the younger ones, and an open document's trees and models are
# many: one in the middle of a check would take longer than the check. So what
# each check leaves is set aside (`gc.freeze`), and collected once the
# documents rest this long.
IDLE_COLLECT_SECONDS = 2.0

# LSP's line breaks (str.splitlines also breaks at form feeds and others).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def lsp_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def lsp_column(line_text: str, column: int, encoding: str = "utf-16") -> int:
    """LSP's 0-based column, in the negotiated encoding's code units, for our
    1-based code-point column."""
    prefix = line_text[: max(column - 1, 0)]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


def noqa_edit_text(line_text: str, code: str) -> tuple[int, str]:
    """Where (code-point column, 0-based) and what to insert to silence `code` on a line."""
    match = NOQA.search(line_text)
    if match is None:
        stripped = line_text.rstrip()
        return len(stripped), f"  # noqa: {code}"
    if match.group("codes"):
        return match.end("codes"), f", {code}"
    return -1, ""  # a bare `# noqa` already silences everything


def kind_wanted(kind: str, only: list[str] | None) -> bool:
    """Whether a code action of this kind answers a request for `only` (a
    kind covers its sub-kinds: `source` asks for `source.fixAll.asynclint`)."""
    return only is None or any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)


class Collector:
    """Full garbage collections while no check is due (see `IDLE_COLLECT_SECONDS`)."""

    def __init__(self, idle_seconds: float = IDLE_COLLECT_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._due: asyncio.TimerHandle | None = None

    def checked(self) -> None:
        """A check is over: set aside what it left, and collect once nothing more is checked for a while."""
        gc.freeze()
        if self._due is not None:
            self._due.cancel()
        try:
            self._due = asyncio.get_running_loop().call_later(self.idle_seconds, self.collect)
        except RuntimeError:  # no event loop: collected when a check next runs in one
            self._due = None

    def collect(self) -> None:
        self._due = None
        gc.unfreeze()
        gc.collect()
        gc.freeze()


@dataclass
class Finding:
    """A diagnostic as we know it, as the client sees it, and the report behind it (its fix)."""

    ours: Diagnostic
    theirs: object  # lsprotocol.types.Diagnostic
    report: Report | None


@dataclass
class Checked:
    """A document's version as last checked: what the code actions work from."""

    version: int | None
    source: str
    lines: list[str]
    analysis: Analysis
    findings: list[Finding] = field(default_factory=list)


def create_server():
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("asynclint", __version__)
    checkers: dict[tuple, Checker] = {}
    checked: dict[str, Checked] = {}
    pending: dict[str, asyncio.TimerHandle] = {}
    last_change: dict[str, float] = {}  # when each document last changed (time.monotonic)
    check_ended = [float("-inf")]  # when the last check was published: changes read after it queued up during it
    depends_on: dict[str, set[str]] = {}  # each open document's findings rest on these other module files
    reparser = Reparser()  # one tree per open document, shared by the configurations
    model_pieces = ModelPieces()  # each open document's statements' models
    collector = Collector()
    converted_of: dict[str, dict[tuple, object]] = {}  # each document's diagnostics in LSP's terms, by what makes them
    client_settings: dict = {}  # what the client's settings override
    configurations: list[Configurations | None] = [None]  # kept while the files they read stay the same
    config_errors: dict[str, str | None] = {}  # each configuration error reported, and the file it is shown on

    def settings_of(path: str) -> Settings:
        """A file's settings, as the command line would give them, the client's settings on top;
        with a configuration error (reported once), the defaults. The configurations are read
        again once a file they were read from (or looked for in) changes."""
        try:
            known = configurations[0]
            if known is None or not known.unchanged():
                known = configurations[0] = Configurations(client_overrides())
            return known.for_file(path)
        except ConfigError as exc:
            config_error(str(exc))
            return Settings()

    def client_overrides() -> dict:
        try:
            return overrides_of(client_settings)
        except ConfigError as exc:
            config_error(str(exc))
            return {}

    def config_error(message: str) -> None:
        """Tell of a configuration error once: a message, and a diagnostic on the file it names."""
        if message in config_errors:
            return
        match = _CONFIG_ERROR.match(message)
        config_errors[message] = None
        text = f"asynclint: {message} (the default settings are used until it is fixed)"
        server.window_show_message(types.ShowMessageParams(types.MessageType.Error, text))
        server.window_log_message(types.LogMessageParams(types.MessageType.Error, text))
        if match is None or not os.path.isfile(match["path"]):
            return
        uri = Path(os.path.abspath(match["path"])).as_uri()
        config_errors[message] = uri
        line, column = int(match["line"] or 1) - 1, int(match["column"] or 1) - 1
        at = types.Position(line=line, character=column)
        shown = types.Diagnostic(range=types.Range(start=at, end=at), message=match["reason"],
                                 severity=types.DiagnosticSeverity.Error, source="asynclint")
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[shown]))

    def configuration_changed() -> None:
        """A configuration file or the client's settings changed: errors are
        told again if they remain, and every open document is checked again."""
        for uri in set(config_errors.values()) - {None}:
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        config_errors.clear()
        configurations[0] = None
        for uri in list(checked):
            if uri in server.workspace.text_documents:
                publish(uri)

    def checker_for(path: str) -> Checker:
        settings = settings_of(path)
        key = (settings,)
        if key not in checkers:
            checkers[key] = Checker(settings)
            checkers[key].parse = reparser.parse
            checkers[key].parse_python = reparser.python_tree
            checkers[key].build_model = model_pieces.build_model
            checkers[key].statement_code = reparser.statement_code
            checkers[key].run_rules = StatementRunner(reparser.statement_code)
            checkers[key].positions_memo = {}
            checkers[key].defs_memo = {}
            # the first look would choose the rules again for each version: every rule it
            # lets through finds the same, and the statements kept need the same rules
            checkers[key].screening = False
        return checkers[key]

    def encoding() -> str:
        kind = server.workspace.position_encoding or types.PositionEncodingKind.Utf16
        return getattr(kind, "value", kind)  # "utf-16", whether the kind or its value

    def position(lines: list[str], line: int, column: int) -> types.Position:
        """An LSP position for our 1-based line and code-point column."""
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return types.Position(line=line - 1, character=lsp_column(text, column, encoding()))

    def to_lsp(d: Diagnostic, lines: list[str], docs_url: str | None) -> types.Diagnostic:
        url = rule_url(d.code, docs_url)
        return types.Diagnostic(
            range=types.Range(start=position(lines, d.start.line, d.start.column), end=position(lines, d.end.line, d.end.column)),
            message=d.message,
            severity=types.DiagnosticSeverity.Warning,
            code=d.code,
            code_description=types.CodeDescription(href=url) if url else None,
            source="asynclint",
        )

    def is_python(uri: str) -> bool:
        document = server.workspace.text_documents.get(uri)
        return (document is not None and document.language_id == "python") or uri_to_path(uri).endswith((".py", ".pyi"))

    def check(uri: str) -> Checked:
        document = server.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        source = document.source
        checker = checker_for(path)
        project = checker.project_for(path)
        project.consulted.clear()
        analysis = checker.analyze(source.encode("utf-8"), path)
        own = os.path.abspath(path)
        depends_on[uri] = set(project.dependencies((own, module_name_for(path)))) - {own}
        lines = lsp_lines(source)
        diagnostics = analysis.result.diagnostics
        # the reports behind the diagnostics, in the same order (none behind a syntax error)
        reports = analysis.reports if len(analysis.reports) == len(diagnostics) else [None] * len(diagnostics)
        # a diagnostic as the client sees it, kept while it and the lines it spans stay the same
        known, converted = converted_of.get(uri, {}), {}
        findings = []
        for d, report in zip(diagnostics, reports):
            key = (d, _line(lines, d.start.line), _line(lines, d.end.line), encoding(), checker.settings.docs_url)
            theirs = converted[key] = known.get(key) or to_lsp(d, lines, checker.settings.docs_url)
            findings.append(Finding(d, theirs, report))
        converted_of[uri] = converted
        checked[uri] = Checked(document.version, source, lines, analysis, findings)
        return checked[uri]

    def publish(uri: str) -> None:
        """Check the document as it is now and send its diagnostics."""
        cancel_pending(uri)
        if uri not in server.workspace.text_documents:
            return  # closed meanwhile
        result = check(uri)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=result.version, diagnostics=[f.theirs for f in result.findings])
        )
        collector.checked()
        check_ended[0] = time.monotonic()

    def cancel_pending(uri: str) -> None:
        handle = pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def publish_soon(uri: str) -> None:
        """Publish now after a pause in the document's changes, else once they
        pause (each change of a burst postpones it). Changes that arrived
        while a check ran are read right after it: they are a burst too."""
        now = time.monotonic()
        previous = max(last_change.get(uri, float("-inf")), check_ended[0])
        last_change[uri] = now
        if uri not in pending and now - previous >= DEBOUNCE_SECONDS:
            publish(uri)
            return
        cancel_pending(uri)
        pending[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, publish, uri)

    def current(uri: str) -> Checked:
        """The findings of the document's current version (checked now if a check is due)."""
        if uri not in server.workspace.text_documents:
            found = check(uri)  # not open: as it is on disk, published by no one
            checked.pop(uri, None)
            converted_of.pop(uri, None)
            depends_on.pop(uri, None)
            reparser.forget(uri_to_path(uri))
            model_pieces.forget(uri_to_path(uri))
            for checker in checkers.values():
                checker.run_rules.forget(uri_to_path(uri))
            return found
        document = server.workspace.get_text_document(uri)
        known = checked.get(uri)
        if known is None or uri in pending or known.version != document.version or known.source != document.source:
            publish(uri)
        return checked[uri]

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        if is_python(params.text_document.uri):
            publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        if is_python(params.text_document.uri):
            publish_soon(params.text_document.uri)

    def files_changed(paths: set[str]) -> None:
        """Module files changed on disk: what was learnt of them is dropped, and
        the open documents whose findings rest on them are checked again."""
        for checker in checkers.values():
            checker.forget_projects()
        for uri in list(checked):
            if uri_to_path(uri) not in paths and depends_on.get(uri, set()) & paths:
                publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(uri_to_path(uri)) in CONFIG_FILES:
            configuration_changed()
        elif is_python(uri):
            files_changed({os.path.abspath(uri_to_path(uri))})
            publish(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls, params: types.DidChangeWatchedFilesParams) -> None:
        paths = {os.path.abspath(uri_to_path(change.uri)) for change in params.changes}
        if any(os.path.basename(path) in CONFIG_FILES for path in paths):
            configuration_changed()
        files_changed({path for path in paths if path.endswith((".py", ".pyi"))})

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        if params.settings is not None:  # clients that only ask for settings send none
            client_settings.clear()
            client_settings.update(ours(params.settings))
        configuration_changed()

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams) -> None:
        client_settings.update(ours(params.initialization_options))

    @server.feature(types.INITIALIZED)
    def initialized(ls, params: types.InitializedParams) -> None:
        watching = server.client_capabilities.workspace and server.client_capabilities.workspace.did_change_watched_files
        if watching and watching.dynamic_registration:  # ask to hear of Python files changed outside the editor
            server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="asynclint-watched-files",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    types.FileSystemWatcher(glob_pattern="**/*.py"),
                    *(types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILES),
                ]),
            )]))
        server.window_log_message(types.LogMessageParams(types.MessageType.Info, startup_line()))

    def startup_line() -> str:
        """The version, and each workspace folder's configuration (or the current directory's)."""
        folders = [uri_to_path(uri) for uri in server.workspace.folders] or [os.getcwd()]
        parts = []
        for folder in folders:
            settings = settings_of(os.path.join(folder, "__init__.py"))
            config = settings.config_file or "no configuration file (defaults)"
            parts.append(f"{folder}: {config}, {len(settings.enabled_codes())} rules"
                         + (", preview on" if settings.preview else ""))
        own = f"; client settings {client_settings}" if client_settings else ""
        return (f"asynclint {__version__} language server (Python {sys.version.split()[0]}, "
                f"{encoding()} columns); " + "; ".join(parts) + own)

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC, types.DiagnosticOptions(inter_file_dependencies=True, workspace_diagnostics=True))
    def pull_diagnostics(ls, params: types.DocumentDiagnosticParams) -> types.RelatedFullDocumentDiagnosticReport:
        return types.RelatedFullDocumentDiagnosticReport(items=[f.theirs for f in current(params.text_document.uri).findings])

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    def workspace_diagnostics(ls, params: types.WorkspaceDiagnosticParams) -> types.WorkspaceDiagnosticReport:
        """Every Python file of every workspace folder, as a check of the folder
        finds them (open documents as they are in the editor)."""
        folders = [uri_to_path(uri) for uri in server.workspace.folders]
        found = discover(folders, Configurations(client_overrides())).files if folders else []
        uris = dict.fromkeys([*(Path(os.path.abspath(path)).as_uri() for path in found), *(u for u in checked if is_python(u))])
        items = []
        for uri in uris:
            result = current(uri)
            items.append(types.WorkspaceFullDocumentDiagnosticReport(
                uri=uri, version=result.version, items=[f.theirs for f in result.findings]))
        return types.WorkspaceDiagnosticReport(items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: types.HoverParams) -> types.Hover | None:
        """The documentation of the rules whose findings are under the cursor."""
        at = types.Range(start=params.position, end=params.position)
        codes = dict.fromkeys(f.ours.code for f in current(params.text_document.uri).findings if overlaps(f.theirs.range, at))
        rules = registry.all_rules()
        pages = [f"**{code}** {rules[code].name}\n\n{rules[code].documentation()}" for code in codes if code in rules]
        if not pages:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(pages)))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel_pending(uri)
        checked.pop(uri, None)
        converted_of.pop(uri, None)
        last_change.pop(uri, None)
        depends_on.pop(uri, None)
        reparser.forget(uri_to_path(uri))
        model_pieces.forget(uri_to_path(uri))
        for checker in checkers.values():
            checker.run_rules.forget(uri_to_path(uri))
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def overlaps(a: types.Range, b: types.Range) -> bool:
        """Whether two ranges share a position (touching counts: a cursor at a finding's end is on it)."""
        return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)

    def text_edits(lines: list[str], edits: tuple[Edit, ...]) -> list[types.TextEdit]:
        return [
            types.TextEdit(
                range=types.Range(start=position(lines, e.start.line, e.start.column), end=position(lines, e.end.line, e.end.column)),
                new_text=e.content,
            )
            for e in edits
        ]

    def fix_action(uri: str, document: Checked, finding: Finding) -> types.CodeAction | None:
        # libcst's codemod, imported only when a fix is asked for
        from asynclint.edits import fix_edits, fix_edits_in_place

        report, module = finding.report, document.analysis.module
        if report is None or report.fix is None or module is None:
            return None
        edits = None
        if report.statement is not None:
            edits = fix_edits_in_place(module, report.fix, report.statement, document.source)
        if edits is None:
            edits = fix_edits(module, report.fix)
        if not edits:
            return None
        safe = report.fix.applicability is Applicability.SAFE
        return types.CodeAction(
            title=f"{report.code}: {report.fix.message}" + ("" if safe else " (unsafe)"),
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[finding.theirs],
            edit=types.WorkspaceEdit(changes={uri: text_edits(document.lines, edits)}),
            is_preferred=safe,
        )

    def noqa_action(uri: str, document: Checked, finding: Finding) -> types.CodeAction | None:
        ours = finding.ours
        line_number = ours.noqa_line or ours.start.line
        text = _line(document.lines, line_number)
        column, insert = noqa_edit_text(text, ours.code)
        if not insert:
            return None
        at = position(document.lines, line_number, column + 1)
        return types.CodeAction(
            title=f"Add `# noqa: {ours.code}`",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[finding.theirs],
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=types.Range(start=at, end=at), new_text=insert)]}),
        )

    def fix_all_action(uri: str, document: Checked) -> types.CodeAction | None:
        path = uri_to_path(uri)
        outcome = fix_source(checker_for(path), document.source.encode("utf-8"), path, unsafe=False)
        if not outcome.applied:
            return None
        end = types.Position(line=len(document.lines), character=0)
        return types.CodeAction(
            title="asynclint: fix all safe fixes",
            kind=FIX_ALL_KIND,
            edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
                range=types.Range(start=types.Position(line=0, character=0), end=end),
                new_text=outcome.source.decode("utf-8"),
            )]}),
        )

    def apply(label: str, uri: str, edits: list[types.TextEdit]) -> None:
        if edits:
            server.workspace_apply_edit(types.ApplyWorkspaceEditParams(
                edit=types.WorkspaceEdit(changes={uri: edits}), label=label))

    @server.command(FIX_ALL_COMMAND)
    def fix_all_command(ls, *arguments) -> None:
        """Apply every safe fix to the document named (its URI, or `{"uri": ...}`)."""
        uri = _uri_argument(arguments)
        action = fix_all_action(uri, current(uri))
        if action is not None:
            apply("asynclint: fix all safe fixes", uri, action.edit.changes[uri])

    @server.command(ADD_NOQA_COMMAND)
    def add_noqa_command(ls, *arguments) -> None:
        """Silence every finding of the document named with a `# noqa: CODE` on its line."""
        uri = _uri_argument(arguments)
        document = current(uri)
        codes: dict[int, list[str]] = {}
        for finding in document.findings:
            if finding.ours.code not in ("AL001", "AL002"):  # a syntax error, an unused `# noqa`
                line = finding.ours.noqa_line or finding.ours.start.line
                codes.setdefault(line, []).extend(c for c in [finding.ours.code] if c not in codes.get(line, []))
        edits = []
        for line, found in sorted(codes.items()):
            column, insert = noqa_edit_text(_line(document.lines, line), ", ".join(found))
            if insert:
                at = position(document.lines, line, column + 1)
                edits.append(types.TextEdit(range=types.Range(start=at, end=at), new_text=insert))
        apply("asynclint: add `# noqa` to every finding", uri, edits)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_actions(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        document = current(uri)
        only = params.context.only
        actions: list[types.CodeAction | None] = []
        if kind_wanted(QUICK_FIX_KIND, only):
            for finding in document.findings:
                if overlaps(finding.theirs.range, params.range):
                    actions += [fix_action(uri, document, finding), noqa_action(uri, document, finding)]
        safe_fix = any(f.ours.fix is not None and f.ours.fix.applicability is Applicability.SAFE for f in document.findings)
        if safe_fix and kind_wanted(FIX_ALL_KIND, only):
            actions.append(fix_all_action(uri, document))
        return [action for action in actions if action is not None]

    return server


def _uri_argument(arguments: tuple) -> str:
    """A command's document: its URI, given alone or as `{"uri": ...}` (or a text document identifier)."""
    if not arguments:
        raise ValueError("the command needs the document's URI")
    first = arguments[0]
    if isinstance(first, dict):
        first = first.get("uri") or first.get("textDocument", {}).get("uri")
    if not isinstance(first, str):
        raise ValueError("the command needs the document's URI")
    return first


def ours(settings: object) -> dict:
    """The client's settings for asynclint: those under "asynclint", or all of them."""
    if isinstance(settings, dict) and isinstance(settings.get("asynclint"), dict):
        return settings["asynclint"]
    return settings if isinstance(settings, dict) else {}


def overrides_of(settings: dict) -> dict:
    """What the client's settings override, as the command line would (an unknown one is an error)."""
    overrides = {}
    for key, value in settings.items():
        if key not in CLIENT_SETTINGS:
            raise ConfigError(f"client settings: unknown key `{key}` (known: select, extend-select, ignore, preview)")
        overrides[CLIENT_SETTINGS[key]] = value
    return overrides


def _key(position) -> tuple[int, int]:
    return position.line, position.character


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


class MessageReader:
    """stdin for pygls's message loop, read a whole message at a time.

    pygls reads each header line and the body with a call of its own in a
    worker thread, and each call hands over between the threads twice;
    here the worker reads the headers and the body the Content-Length
    header gives at once, and the loop's later calls for that message are
    answered from what it read, without a hand-over."""

    CONTENT_LENGTH = re.compile(rb"^Content-Length: (\d+)\r\n$")  # as pygls reads it

    def __init__(self, stdin, executor) -> None:
        self.stdin, self.executor = stdin, executor
        self.unread: bytes = b""  # the rest of the message read last

    def _message(self) -> bytes:
        """The header lines up to the blank one, and the body they announce (short at the end of the input)."""
        parts, length = [], 0
        while True:
            line = self.stdin.readline()
            parts.append(line)
            match = self.CONTENT_LENGTH.fullmatch(line)
            if match and not length:
                length = int(match.group(1))
            if not line or not line.strip():
                break
        if line and length:
            parts.append(self.stdin.read(length))
        return b"".join(parts)

    async def readline(self) -> bytes:
        if not self.unread:
            self.unread = await asyncio.get_running_loop().run_in_executor(self.executor, self._message)
        end = self.unread.find(b"\n") + 1 or len(self.unread)
        line, self.unread = self.unread[:end], self.unread[end:]
        return line

    async def readexactly(self, n: int) -> bytes:
        if not self.unread:
            return await asyncio.get_running_loop().run_in_executor(self.executor, self.stdin.read, n)
        data, self.unread = self.unread[:n], self.unread[n:]
        return data


def serve() -> None:
    """The server over stdio, pygls's message loop reading through `MessageReader`."""
    import threading

    from pygls.io_ import StdoutWriter, run_async

    server = create_server()
    server._stop_event = threading.Event()  # what pygls's shutdown sets to end the loop
    server.protocol.set_writer(StdoutWriter(sys.stdout.buffer))
    try:
        asyncio.run(run_async(
            stop_event=server._stop_event,
            reader=MessageReader(sys.stdin.buffer, server.thread_pool),
            protocol=server.protocol,
            error_handler=server.report_server_error,
        ))
    except (BrokenPipeError, KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
