"""`tfrules lsp`: the language server, over stdio (pygls).

Each handler converts the editor's positions, asks the project for the
file's analysis (made once per change) and converts the answer back; the
work itself is in the modules beside this one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as L
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from tfrules import __version__
from tfrules.lsp import actions, convert, navigation, symbols
from tfrules.lsp.completion import complete
from tfrules.lsp.hover import hover
from tfrules.lsp.project import Project
from tfrules.lsp.tests_lens import Outcome, run_test, tests_of
from tfrules.lsp.text import SourceText

RUN_TEST = "tfrules.runTest"
TEST_SOURCE = "tfrules test"

_COMPLETION_KINDS = {
    "rule": L.CompletionItemKind.Function,
    "parameter": L.CompletionItemKind.Constant,
    "column": L.CompletionItemKind.Field,
    "value": L.CompletionItemKind.EnumMember,
    "table": L.CompletionItemKind.Struct,
    "keyword": L.CompletionItemKind.Keyword,
    "builtin": L.CompletionItemKind.Variable,
    "function": L.CompletionItemKind.Function,
    "ruleset": L.CompletionItemKind.Module,
    "schema": L.CompletionItemKind.Module,
    "type": L.CompletionItemKind.TypeParameter,
    "entity": L.CompletionItemKind.Class,
}
_SYMBOL_KINDS = {
    "ruleset": L.SymbolKind.Module,
    "schema": L.SymbolKind.Module,
    "parameter": L.SymbolKind.Constant,
    "criterion": L.SymbolKind.Boolean,
    "measure": L.SymbolKind.Function,
    "test": L.SymbolKind.Event,
    "table": L.SymbolKind.Struct,
    "column": L.SymbolKind.Field,
}


class RequestFailed(JsonRpcException):
    """A request the server cannot carry out, with the reason for the editor to show."""

    CODE = -32803


class TfrulesServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "tfrules", __version__, text_document_sync_kind=L.TextDocumentSyncKind.Incremental
        )
        self.project = Project()
        self.uris: dict[Path, str] = {}
        #: The last run of each test: (file, test number) -> (document version, outcome).
        self.outcomes: dict[tuple[Path, int], tuple[int, Outcome]] = {}

    # ---------------------------------------------------------------- helpers
    def path_of(self, uri: str) -> Path:
        found = to_fs_path(uri)
        return Path(found if found is not None else uri).resolve()

    def uri_of(self, path: Path) -> str:
        return self.uris.get(path) or from_fs_path(str(path)) or path.as_uri()

    def source_of(self, path: Path) -> SourceText:
        return SourceText(self.project.text_of(path) or "", str(path))

    @property
    def codec(self):
        return self.workspace.position_codec

    def position(self, uri: str, position: L.Position):
        path = self.path_of(uri)
        analysis = self.project.analysis(path)
        line, column = convert.from_position(position, analysis.view.source, self.codec)
        return analysis, line, column

    def location(self, path: Path, span) -> L.Location:
        return L.Location(
            self.uri_of(path), convert.to_range(span, self.source_of(path), self.codec)
        )

    def markup(self, text: str, formats: list[L.MarkupKind] | None) -> L.MarkupContent:
        """Markdown, or plain text for an editor that does not show Markdown."""
        if formats is not None and L.MarkupKind.Markdown not in formats:
            return L.MarkupContent(L.MarkupKind.PlainText, text.replace("**", "").replace("`", ""))
        return L.MarkupContent(L.MarkupKind.Markdown, text)

    def hover_formats(self) -> list[L.MarkupKind] | None:
        document = self.client_capabilities.text_document
        found = document.hover if document else None
        return (found.content_format or []) if found else []

    def completion_formats(self) -> list[L.MarkupKind] | None:
        document = self.client_capabilities.text_document
        found = document.completion.completion_item if document and document.completion else None
        return (found.documentation_format or []) if found else []

    def version_of(self, path: Path) -> int | None:
        document = self.project.documents.get(path)
        return document.version if document is not None else None

    # ---------------------------------------------------------------- diagnostics
    def publish(self, path: Path) -> None:
        analysis = self.project.analysis(path)
        source = SourceText(analysis.text, analysis.display)
        found = [convert.to_diagnostic(d, source, self.codec) for d in analysis.diagnostics]
        version = self.version_of(path)
        for (tested, _), (run_version, outcome) in self.outcomes.items():
            if tested == path and run_version == version:
                for failure in outcome.failures:
                    found.append(
                        L.Diagnostic(
                            convert.to_range(failure.span, source, self.codec),
                            f"test failed: {failure.message}",
                            severity=L.DiagnosticSeverity.Warning,
                            source=TEST_SOURCE,
                        )
                    )
        self.text_document_publish_diagnostics(
            L.PublishDiagnosticsParams(self.uri_of(path), found, version)
        )

    def changed(self, path: Path) -> None:
        """Publish the diagnostics of a changed file and of the council's own
        rulesets it extends (open or not), then of the open files built on it."""
        self.publish(path)
        for base in self.project.analysis(path).bases:
            self.publish(base)
        for other in self.project.dependents(path):
            self.publish(other)


def make_server() -> TfrulesServer:
    server = TfrulesServer()

    @server.feature(L.INITIALIZE)
    def initialize(ls: TfrulesServer, params: L.InitializeParams) -> None:
        roots = [ls.path_of(f.uri) for f in params.workspace_folders or []]
        if not roots and params.root_uri:
            roots = [ls.path_of(params.root_uri)]
        elif not roots and params.root_path:
            roots = [Path(params.root_path).resolve()]
        ls.project = Project(roots)
        from tfrules.syntax.ast_parser import ast_parser
        from tfrules.syntax.grammar import parser

        # loaded once, here, rather than at the first keystroke: the parser
        # that builds the AST (diagnostics) and the one that builds Lark's
        # tree (completion, formatting)
        ast_parser()
        parser()

    @server.feature(L.INITIALIZED)
    def initialized(ls: TfrulesServer, params: L.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace
        dynamic = watched and watched.did_change_watched_files
        if dynamic and dynamic.dynamic_registration:
            options = L.DidChangeWatchedFilesRegistrationOptions(
                [L.FileSystemWatcher(glob_pattern="**/*.tfr")]
            )
            ls.client_register_capability(
                L.RegistrationParams(
                    [L.Registration("tfrules-files", L.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)]
                )
            )

    @server.feature(L.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: TfrulesServer, params: L.DidOpenTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        ls.uris[path] = params.text_document.uri
        ls.project.open(path, params.text_document.text, params.text_document.version)
        ls.changed(path)

    @server.feature(L.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: TfrulesServer, params: L.DidChangeTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        path = ls.path_of(params.text_document.uri)
        ls.project.change(path, document.source, params.text_document.version)
        ls.changed(path)

    @server.feature(L.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: TfrulesServer, params: L.DidCloseTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        ls.project.close(path)
        ls.text_document_publish_diagnostics(
            L.PublishDiagnosticsParams(params.text_document.uri, [])
        )
        for other in ls.project.dependents(path):
            ls.publish(other)

    @server.feature(L.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def files_changed(ls: TfrulesServer, params: L.DidChangeWatchedFilesParams) -> None:
        ls.project.files_changed()
        for path in list(ls.project.documents):
            ls.publish(path)

    @server.feature(L.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: TfrulesServer, params: L.DidChangeWorkspaceFoldersParams) -> None:
        for folder in params.event.removed:
            ls.project.remove_root(ls.path_of(folder.uri))
        for folder in params.event.added:
            ls.project.add_root(ls.path_of(folder.uri))
        for path in list(ls.project.documents):
            ls.publish(path)

    @server.feature(L.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: TfrulesServer, params: L.HoverParams) -> L.Hover | None:
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        found = hover(analysis, line, column)
        if found is None:
            return None
        text, span = found
        return L.Hover(
            ls.markup(text, ls.hover_formats()),
            convert.to_range(span, analysis.view.source, ls.codec),
        )

    @server.feature(L.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: TfrulesServer, params: L.DefinitionParams) -> list[L.Location]:
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        return [ls.location(d.path, d.span) for d in navigation.definition(analysis, line, column)]

    @server.feature(L.TEXT_DOCUMENT_REFERENCES)
    def references(ls: TfrulesServer, params: L.ReferenceParams) -> list[L.Location]:
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        found = navigation.references(
            ls.project, analysis, line, column, params.context.include_declaration
        )
        return [ls.location(r.path, r.span) for r in found]

    @server.feature(
        L.TEXT_DOCUMENT_COMPLETION,
        L.CompletionOptions(trigger_characters=[" ", "{", ",", "=", ":", "."]),
    )
    def completion(ls: TfrulesServer, params: L.CompletionParams) -> L.CompletionList:
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        items = []
        formats = ls.completion_formats()
        for rank, suggestion in enumerate(complete(analysis, line, column)):
            item = L.CompletionItem(
                suggestion.label,
                kind=_COMPLETION_KINDS.get(suggestion.kind, L.CompletionItemKind.Text),
                detail=suggestion.detail,
                sort_text=f"{rank:05d}",
            )
            if suggestion.documentation:
                item.documentation = ls.markup(suggestion.documentation, formats)
            if suggestion.replaces:
                start = L.Position(
                    params.position.line, params.position.character - suggestion.replaces
                )
                item.text_edit = L.TextEdit(L.Range(start, params.position), suggestion.label)
            items.append(item)
        return L.CompletionList(is_incomplete=False, items=items)

    @server.feature(L.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def document_symbols(
        ls: TfrulesServer, params: L.DocumentSymbolParams
    ) -> list[L.DocumentSymbol]:
        analysis = ls.project.analysis(ls.path_of(params.text_document.uri))
        source = analysis.view.source

        def convert_symbol(symbol: symbols.Symbol) -> L.DocumentSymbol:
            return L.DocumentSymbol(
                name=symbol.name,
                kind=_SYMBOL_KINDS[symbol.kind],
                range=convert.to_range(symbol.span, source, ls.codec),
                selection_range=convert.to_range(symbol.name_span, source, ls.codec),
                detail=symbol.detail,
                children=[convert_symbol(c) for c in symbol.children],
            )

        return [convert_symbol(s) for s in symbols.outline(analysis.view.tree, source)]

    @server.feature(L.TEXT_DOCUMENT_FORMATTING)
    def formatting(
        ls: TfrulesServer, params: L.DocumentFormattingParams
    ) -> list[L.TextEdit] | None:
        from tfrules.syntax.formatter import format_text

        analysis = ls.project.analysis(ls.path_of(params.text_document.uri))
        result = format_text(analysis.text, analysis.display)
        if result.text is None:
            ls.window_show_message(
                L.ShowMessageParams(
                    L.MessageType.Warning,
                    "tfrules: the file has syntax errors, so it was not formatted",
                )
            )
            return None
        if result.text == analysis.text:
            return []
        source = analysis.view.source
        end = L.Position(len(source.lines), 0)
        whole = L.Range(L.Position(0, 0), end)
        return [L.TextEdit(whole, result.text)]

    @server.feature(L.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: TfrulesServer, params: L.PrepareRenameParams):
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        try:
            occurrence = navigation.rename_target(analysis, line, column)
        except navigation.RenameError as exc:
            raise RequestFailed(str(exc)) from None
        return L.PrepareRenamePlaceholder(
            convert.to_range(occurrence.span, analysis.view.source, ls.codec),
            occurrence.target.name,
        )

    @server.feature(L.TEXT_DOCUMENT_RENAME)
    def rename(ls: TfrulesServer, params: L.RenameParams) -> L.WorkspaceEdit:
        analysis, line, column = ls.position(params.text_document.uri, params.position)
        try:
            edits = navigation.rename(ls.project, analysis, line, column, params.new_name)
        except navigation.RenameError as exc:
            raise RequestFailed(str(exc)) from None
        changes = {}
        for path, spans in edits.items():
            source = ls.source_of(path)
            changes[ls.uri_of(path)] = [
                L.TextEdit(convert.to_range(s, source, ls.codec), new) for s, new in spans
            ]
        return L.WorkspaceEdit(changes=changes)

    @server.feature(
        L.TEXT_DOCUMENT_CODE_ACTION,
        L.CodeActionOptions(code_action_kinds=[L.CodeActionKind.QuickFix]),
    )
    def code_actions(ls: TfrulesServer, params: L.CodeActionParams) -> list[L.CodeAction]:
        analysis = ls.project.analysis(ls.path_of(params.text_document.uri))
        source = analysis.view.source
        found = []
        for diagnostic in params.context.diagnostics:
            data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
            if diagnostic.source != convert.SOURCE or not data.get("hint"):
                continue
            span = convert.to_span(diagnostic.range, source, ls.codec)
            for fix in actions.fixes(
                source, str(diagnostic.code), data.get("message", ""), data["hint"], span
            ):
                edit = L.TextEdit(convert.to_range(fix.span, source, ls.codec), fix.replacement)
                found.append(
                    L.CodeAction(
                        fix.title,
                        kind=L.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=L.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
                    )
                )
        if len(found) == 1:
            found[0].is_preferred = True
        return found

    @server.feature(L.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: TfrulesServer, params: L.CodeLensParams) -> list[L.CodeLens]:
        path = ls.path_of(params.text_document.uri)
        analysis = ls.project.analysis(path)
        source = analysis.view.source
        lenses = []
        for index, test in enumerate(tests_of(analysis)):
            last = ls.outcomes.get((path, index))
            title = "▶ Run test"
            if last is not None:
                version, outcome = last
                mark = "✔" if outcome.passed else "✘"
                if version == ls.version_of(path):
                    title = f"{mark} {outcome.summary} · ▶ Run again"
                else:
                    title = f"▶ Run test (last run {'passed' if outcome.passed else 'failed'})"
            start = L.Position(test.span.line - 1, 0)
            lenses.append(
                L.CodeLens(
                    L.Range(start, start),
                    L.Command(
                        title=title, command=RUN_TEST, arguments=[params.text_document.uri, index]
                    ),
                )
            )
        del source
        return lenses

    @server.command(RUN_TEST)
    async def run_test_command(ls: TfrulesServer, uri: str, index: int) -> dict:
        path = ls.path_of(uri)
        analysis = ls.project.analysis(path)
        version = ls.version_of(path)
        outcome = await asyncio.to_thread(run_test, analysis, int(index))
        ls.outcomes[(path, int(index))] = (version or 0, outcome)
        ls.publish(path)
        kind = L.MessageType.Info if outcome.passed else L.MessageType.Warning
        title = tests_of(analysis)[int(index)].title if int(index) < len(tests_of(analysis)) else ""
        ls.window_show_message(L.ShowMessageParams(kind, f'test "{title}": {outcome.summary}'))
        capabilities = ls.client_capabilities.workspace
        if capabilities and capabilities.code_lens and capabilities.code_lens.refresh_support:
            ls.workspace_code_lens_refresh(None)
        return {"passed": outcome.passed, "summary": outcome.summary}

    return server


def serve() -> None:
    make_server().start_io()
