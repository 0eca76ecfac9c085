"""Benchmark: how soon the language server reports a change in a 500-line file.

    python bench/lsp_latency.py [--lines 500] [--edits 40]

Starts `tfrules lsp` as an editor does (over stdio), opens a generated
council ruleset of about 500 lines that extends the shipped national.phase1,
then makes edits one at a time in the middle of the file, each as an
incremental change: first, alternately misspelling a rule's name and putting
it right (typing within a line); then, alternately adding a line break and
taking it away (which moves every declaration below it). For each edit it
measures the time from sending the change to receiving the diagnostics of
that version of the file (with E101 after a misspelling, without it after the
fix). Prints the median, the 90th percentile and the slowest of each kind,
and the server's CPU time per edit (read from /proc, so steadier than the
wall-clock times on a shared machine).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as L
from pygls.lsp.client import LanguageClient

HEADER = """\
ruleset local.benchshire.phase1 "Benchshire: a generated local ruleset"
    extends national.phase1
    applies to E08000035

criterion local "Any of the generated problems"
    = problem_0 or problem_1
"""

BLOCK = """
parameter window_{i} "How far back block {i} looks" = {months} months
    source "generated benchmark, block {i}"

criterion child_{i} "A child in block {i}" for person
    = age >= 5 and age <= 15

measure recent_{i} "Offences in the window" for person
    = count offences where proven, in the last window_{i}, age at offence_date < 18

criterion problem_{i} "A problem in block {i}"
    source "generated benchmark"
    = any child_{i} member where recent_{i} >= 1
      or any member has asb where kind in {{asbo, injunction}}, in the last 6 months
      or (any member has benefit_claims where benefit in {{JSA, ESA}}, active) at attached_on

measure amount_{i} "An amount in block {i}": money
    = if problem_{i} is true then £{money} else £0

criterion combined_{i} "Combined {i}"
    = at least 2 of [problem_{i}, {previous}, attached_on is known]
      and (sum sessions_possible over school_terms where in the last 3 terms) >= 0
"""


def generate(lines: int) -> str:
    parts = [HEADER]
    i = 0
    while sum(p.count("\n") for p in parts) < lines:
        previous = f"problem_{i - 1}" if i else "crime_asb"
        parts.append(BLOCK.format(i=i, months=6 + i % 12, money=100 + i, previous=previous))
        i += 1
    return "".join(parts)


async def measure(lines: int, edits: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tfrules-lsp-bench-"))
    path = folder / "benchshire.tfr"
    text = generate(lines)
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    arrived: dict[int, tuple[float, list[L.Diagnostic]]] = {}
    client = LanguageClient("tfrules-bench", "1")

    @client.feature(L.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(_client: LanguageClient, params: L.PublishDiagnosticsParams) -> None:
        if params.uri == uri and params.version is not None:
            arrived[params.version] = (time.perf_counter(), list(params.diagnostics))

    script = Path(sys.executable).with_name("tfrules")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tfrules.cli.main"]
    started = time.perf_counter()
    await client.start_io(*command, "lsp")
    folders = [L.WorkspaceFolder(folder.as_uri(), "bench")]
    await client.initialize_async(
        L.InitializeParams(capabilities=L.ClientCapabilities(), workspace_folders=folders)
    )
    client.initialized(L.InitializedParams())
    ready = time.perf_counter() - started

    async def wait(version: int, sent: float) -> tuple[float, list[L.Diagnostic]]:
        while version not in arrived:
            await asyncio.sleep(0.001)
        at, found = arrived[version]
        return at - sent, found

    sent = time.perf_counter()
    client.text_document_did_open(
        L.DidOpenTextDocumentParams(L.TextDocumentItem(uri, "tfrules", 1, text))
    )
    first, found = await wait(1, sent)
    assert not [d for d in found if d.severity == L.DiagnosticSeverity.Error], found[:3]
    lines_of = text.split("\n")
    target = next(n for n in range(len(lines_of) // 2, len(lines_of)) if "problem_" in lines_of[n]
                  and lines_of[n].lstrip().startswith("= at least"))  # fmt: skip
    column = lines_of[target].index("problem_")
    typing, breaking = [], []
    cpu: dict[str, float] = {}
    server_pid = client._server.pid if client._server is not None else None
    for version in range(2, 2 * edits + 2):
        odd = version % 2 == 0
        if version in (2, edits + 2):
            cpu["typing" if version == 2 else "breaking"] = -_cpu_seconds(server_pid)
        if version == edits + 2:
            cpu["typing"] += _cpu_seconds(server_pid)
        if version < edits + 2:  # a name misspelt, then put right
            new, old = ("problme_", "problem_") if odd else ("problem_", "problme_")
            where = L.Range(L.Position(target, column), L.Position(target, column + len(old)))
            times, misspelt = typing, odd
        else:  # a line break added before the line, then taken away
            new = "\n" if odd else ""
            end = L.Position(target + 1, 0) if not odd else L.Position(target, 0)
            where = L.Range(L.Position(target, 0), end)
            times, misspelt = breaking, False
        change = L.TextDocumentContentChangePartial(range=where, text=new)
        sent = time.perf_counter()
        client.text_document_did_change(
            L.DidChangeTextDocumentParams(L.VersionedTextDocumentIdentifier(version, uri), [change])
        )
        elapsed, found = await wait(version, sent)
        assert any(d.code == "E101" for d in found) == misspelt, found[:3]
        times.append(elapsed)
    cpu["breaking"] += _cpu_seconds(server_pid)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    lines_count = text.count("\n")
    print(f"file: {lines_count:,} lines, extending national.phase1; {edits} edits of each kind")
    print(f"server started and initialised: {ready:.2f} s")
    print(f"first diagnostics after opening the file: {first:.3f} s")
    for label, times, kind in (
        ("a name changed", typing, "typing"),
        ("a line break", breaking, "breaking"),
    ):
        times.sort()
        median = statistics.median(times) * 1000
        print(
            f"{label + ':':16} change -> diagnostics: median {median:.0f} ms, "
            f"90th percentile {times[int(len(times) * 0.9) - 1] * 1000:.0f} ms, "
            f"slowest {times[-1] * 1000:.0f} ms; "
            f"server CPU {cpu[kind] / len(times) * 1000:.0f} ms an edit"
        )


def _cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of a process so far (Linux)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--lines", type=int, default=500)
    options.add_argument("--edits", type=int, default=40)
    args = options.parse_args()
    asyncio.run(measure(args.lines, args.edits))


if __name__ == "__main__":
    main()
