"""The language server end to end: `tfrules lsp` started as a subprocess and
driven over stdio by a real LSP client (pytest-lsp), as an editor drives it."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsp_support import position_of
from lsprotocol import types as L
from pytest_lsp import ClientServerConfig, LanguageClient

from tfrules.syntax.formatter import format_text

_SCRIPT = Path(sys.executable).with_name("tfrules")
SERVER = (
    [str(_SCRIPT), "lsp"]
    if _SCRIPT.exists()
    else [sys.executable, "-c", "from tfrules.cli.main import run; run()", "lsp"]
)
module = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient, council: Path):
    capabilities = L.ClientCapabilities(
        workspace=L.WorkspaceClientCapabilities(
            code_lens=L.CodeLensWorkspaceClientCapabilities(refresh_support=False)
        ),
        text_document=L.TextDocumentClientCapabilities(
            hover=L.HoverClientCapabilities(content_format=[L.MarkupKind.Markdown]),
            completion=L.CompletionClientCapabilities(
                completion_item=L.ClientCompletionItemOptions(
                    documentation_format=[L.MarkupKind.Markdown]
                )
            ),
            rename=L.RenameClientCapabilities(prepare_support=True),
        ),
    )
    params = L.InitializeParams(
        capabilities=capabilities,
        workspace_folders=[L.WorkspaceFolder(council.as_uri(), "council")],
    )
    await lsp_client.initialize_session(params)
    lsp_client.opened = {}  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    """Open (or, if open, replace the text of) a document; its URI."""
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8") if text is None else text
    opened: dict[str, int] = client.opened  # type: ignore[attr-defined]
    client.diagnostics.pop(uri, None)
    if uri in opened:
        opened[uri] += 1
        change = L.TextDocumentContentChangeWholeDocument(text=text)
        client.text_document_did_change(
            L.DidChangeTextDocumentParams(
                L.VersionedTextDocumentIdentifier(opened[uri], uri), [change]
            )
        )
    else:
        opened[uri] = 1
        client.text_document_did_open(
            L.DidOpenTextDocumentParams(L.TextDocumentItem(uri, "tfrules", 1, text))
        )
    return uri


async def diagnostics(
    client: LanguageClient, uri: str, until=lambda found: True
) -> list[L.Diagnostic]:
    for _ in range(500):
        found = client.diagnostics.get(uri)
        if found is not None and until(found):
            return list(found)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri}: {client.diagnostics.get(uri)}")


def document(uri: str) -> L.TextDocumentIdentifier:
    return L.TextDocumentIdentifier(uri)


@module
async def test_a_misspelt_name_gives_e101_at_its_line(client: LanguageClient, council: Path):
    uri = open_document(client, council / "misspelt.tfr")
    found = await diagnostics(client, uri)
    e101 = [d for d in found if d.code == "E101"]
    assert len(e101) == 1
    assert e101[0].range.start == L.Position(4, 6)
    assert e101[0].range.end == L.Position(4, 9)
    assert e101[0].message.startswith("unknown name 'wrk'")
    assert "did you mean 'work'" in e101[0].message

    actions = await client.text_document_code_action_async(
        L.CodeActionParams(document(uri), e101[0].range, L.CodeActionContext(diagnostics=e101))
    )
    assert actions is not None
    fix = next(
        a for a in actions if isinstance(a, L.CodeAction) and a.title == "Change 'wrk' to 'work'"
    )
    assert fix.edit is not None and fix.edit.changes is not None
    assert [(e.range, e.new_text) for e in fix.edit.changes[uri]] == [(e101[0].range, "work")]


@module
async def test_hover_on_a_national_rule_from_a_local_file(client: LanguageClient, council: Path):
    path = council / "pilot.tfr"
    uri = open_document(client, path)
    line, character = position_of(path.read_text(), "and work", offset=5)
    result = await client.text_document_hover_async(
        L.HoverParams(document(uri), L.Position(line, character))
    )
    assert result is not None and isinstance(result.contents, L.MarkupContent)
    text = result.contents.value
    assert text.startswith("**criterion work**")
    assert "about the household" in text
    assert "defined in `national.phase1`" in text
    assert result.range == L.Range(L.Position(line, character - 1), L.Position(line, character + 3))


@module
async def test_definition_goes_into_the_shipped_national_ruleset(
    client: LanguageClient, council: Path
):
    path = council / "pilot.tfr"
    uri = open_document(client, path)
    line, character = position_of(path.read_text(), "and work", offset=4)
    found = await client.text_document_definition_async(
        L.DefinitionParams(document(uri), L.Position(line, character))
    )
    assert isinstance(found, list) and len(found) == 1
    target = found[0]
    assert target.uri.endswith("/national/phase1.tfr")
    national = Path(target.uri.removeprefix("file://")).read_text(encoding="utf-8").split("\n")
    start = target.range.start
    assert national[start.line].startswith("criterion work")
    assert national[start.line][start.character : target.range.end.character] == "work"

    # and into the council's own ruleset that this one extends
    line, character = position_of(path.read_text(), "domestic_abuse and")
    found = await client.text_document_definition_async(
        L.DefinitionParams(document(uri), L.Position(line, character))
    )
    assert isinstance(found, list) and found[0].uri == (council / "local.tfr").as_uri()
    assert found[0].range.start.line == 6


@module
async def test_completion_offers_the_values_of_a_category(client: LanguageClient, council: Path):
    text = (council / "local.tfr").read_text().replace("testshire.phase1", "testshire.typing") + (
        "\ncriterion burglary = any member has police_incidents where category = "
    )
    uri = open_document(client, council / "typing.tfr", text)
    line = text.count("\n")
    result = await client.text_document_completion_async(
        L.CompletionParams(document(uri), L.Position(line, len(text.split("\n")[-1])))
    )
    assert isinstance(result, L.CompletionList)
    labels = [item.label for item in result.items]
    values = ["burglary", "domestic_abuse", "criminal_damage", "violence", "other"]
    assert labels[: len(values)] == sorted(values)
    assert "incident_date" in labels  # the columns of police_incidents follow
    kinds = {item.label: item.kind for item in result.items}
    assert kinds["burglary"] == L.CompletionItemKind.EnumMember


@module
async def test_formatting_lays_out_the_file_as_tfrules_fmt(client: LanguageClient, council: Path):
    path = council / "untidy.tfr"
    uri = open_document(client, path)
    edits = await client.text_document_formatting_async(
        L.DocumentFormattingParams(
            document(uri), L.FormattingOptions(tab_size=4, insert_spaces=True)
        )
    )
    assert edits is not None and len(edits) == 1
    original = path.read_text()
    expected = format_text(original, str(path)).text
    assert expected is not None and expected != original
    assert edits[0].new_text == expected
    assert edits[0].range.start == L.Position(0, 0)
    assert edits[0].range.end.line >= original.count("\n")


@module
async def test_rename_a_rule_across_the_workspace(client: LanguageClient, council: Path):
    path = council / "pilot.tfr"
    uri = open_document(client, path)
    line, character = position_of(path.read_text(), "domestic_abuse and")
    prepared = await client.text_document_prepare_rename_async(
        L.PrepareRenameParams(document(uri), L.Position(line, character))
    )
    assert (
        isinstance(prepared, L.PrepareRenamePlaceholder)
        and prepared.placeholder == "domestic_abuse"
    )
    edit = await client.text_document_rename_async(
        L.RenameParams(document(uri), L.Position(line, character), "family_abuse")
    )
    assert edit is not None and edit.changes is not None
    local = (council / "local.tfr").as_uri()
    assert set(edit.changes) == {uri, local}
    assert len(edit.changes[uri]) == 1
    # the declaration, its use in 'local', and the two expectations of the tests
    assert len(edit.changes[local]) == 4
    assert {e.new_text for e in edit.changes[local]} == {"family_abuse"}

    with pytest.raises(Exception, match="ships with tfrules"):
        line, character = position_of(path.read_text(), "and work", offset=4)
        await client.text_document_rename_async(
            L.RenameParams(document(uri), L.Position(line, character), "jobs")
        )


@module
async def test_references_across_the_workspace(client: LanguageClient, council: Path):
    path = council / "local.tfr"
    uri = open_document(client, path)
    line, character = position_of(path.read_text(), "domestic_abuse")
    found = await client.text_document_references_async(
        L.ReferenceParams(
            text_document=document(uri),
            position=L.Position(line, character),
            context=L.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    files = sorted(Path(r.uri).name for r in found)
    assert files == ["local.tfr"] * 4 + ["pilot.tfr"]


@module
async def test_a_code_lens_runs_a_test_and_shows_the_result(client: LanguageClient, council: Path):
    uri = open_document(client, council / "local.tfr")
    lenses = await client.text_document_code_lens_async(L.CodeLensParams(document(uri)))
    assert lenses is not None and [lens.command.title for lens in lenses] == ["▶ Run test"] * 2
    results = []
    for lens in lenses:
        results.append(
            await client.workspace_execute_command_async(
                L.ExecuteCommandParams(lens.command.command, lens.command.arguments)
            )
        )
    assert [r["passed"] for r in results] == [True, False]
    lenses = await client.text_document_code_lens_async(L.CodeLensParams(document(uri)))
    titles = [lens.command.title for lens in lenses]
    assert titles[0].startswith("✔ passed")
    assert titles[1].startswith("✘ failed: H1.domestic_abuse: expected true, got false")
    found = await diagnostics(client, uri, lambda ds: any(d.source == "tfrules test" for d in ds))
    failed = [d for d in found if d.source == "tfrules test"]
    line, character = position_of((council / "local.tfr").read_text(), "domestic_abuse = true\n")
    assert len(failed) == 1 and failed[0].range.start == L.Position(line, character)


@module
async def test_a_change_to_a_base_ruleset_rechecks_the_open_files_built_on_it(
    client: LanguageClient, council: Path
):
    pilot = open_document(client, council / "pilot.tfr")
    assert not [
        d for d in await diagnostics(client, pilot) if d.severity == L.DiagnosticSeverity.Error
    ]
    text = (council / "local.tfr").read_text()
    client.diagnostics.pop(pilot, None)
    open_document(client, council / "local.tfr", text.replace("domestic_abuse", "abuse_at_home"))
    found = await diagnostics(client, pilot, lambda ds: any(d.code == "E101" for d in ds))
    assert any("unknown name 'domestic_abuse'" in d.message for d in found)
    client.diagnostics.pop(pilot, None)
    open_document(client, council / "local.tfr", text)
    found = await diagnostics(client, pilot)
    assert not [d for d in found if d.code == "E101"]


@module
async def test_outline_and_a_file_with_a_syntax_error(client: LanguageClient, council: Path):
    text = (council / "local.tfr").read_text() + "\ncriterion half_written = any member where\n"
    uri = open_document(client, council / "broken.tfr", text)
    found = await diagnostics(client, uri)
    assert [d.code for d in found] == ["E012"]
    symbols = await client.text_document_document_symbol_async(
        L.DocumentSymbolParams(document(uri))
    )
    assert symbols is not None and len(symbols) == 1
    ruleset = symbols[0]
    assert isinstance(ruleset, L.DocumentSymbol) and ruleset.name == "local.testshire.phase1"
    names = [child.name for child in ruleset.children or []]
    assert names[:3] == ["concern_window", "domestic_abuse", "local"]
    # what the parser recovers still answers hover
    line, character = position_of(text, "concern_window", occurrence=1)
    result = await client.text_document_hover_async(
        L.HoverParams(document(uri), L.Position(line, character))
    )
    assert result is not None and "12 months" in result.contents.value


@module
async def test_errors_of_the_rulesets_a_file_extends_are_shown_too(
    client: LanguageClient, council: Path
):
    uri = open_document(client, council / "halfway" / "pilot.tfr")
    found = await diagnostics(client, uri)
    assert [d.code for d in found] == ["E103"]
    assert "there is no ruleset 'local.halfway.base'" in found[0].message
    base = await diagnostics(client, (council / "halfway" / "base.tfr").as_uri())
    assert [(d.code, d.range.start.line) for d in base] == [("E012", 3)]
