// The server the extension starts, driven from Node with the protocol library
// the extension's client is built on: `tfrules lsp` over stdio reports a
// misspelt name as E101 on its line, and hovers a national rule.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { pathToFileURL } = require("node:url");
const rpc = require("vscode-jsonrpc/node");
const { serverCommand } = require("../server");

/** `tfrules` from TFRULES_COMMAND, else the repository's virtual environment. */
function tfrules() {
  return (
    process.env.TFRULES_COMMAND || path.join(__dirname, "..", "..", "..", ".venv", "bin", "tfrules")
  );
}

test("the server reports errors and answers hover", { timeout: 60000 }, async () => {
  const settings = { get: (name, fallback) => (name === "server.command" ? tfrules() : fallback) };
  const { command, args } = serverCommand(settings);
  assert.deepStrictEqual(args, ["lsp"]);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tfrules-vscode-"));
  const file = path.join(folder, "council.tfr");
  const text =
    'ruleset local.council.phase1 "A council"\n    extends national.phase1\n\n' +
    'criterion local "Out of work"\n    = wrk or work\n';
  fs.writeFileSync(file, text);
  const uri = pathToFileURL(file).href;

  const server = spawn(command, args, { stdio: ["pipe", "pipe", "inherit"] });
  const connection = rpc.createMessageConnection(
    new rpc.StreamMessageReader(server.stdout),
    new rpc.StreamMessageWriter(server.stdin)
  );
  const published = new Promise((resolve) => {
    connection.onNotification("textDocument/publishDiagnostics", (params) => {
      if (params.uri === uri) resolve(params.diagnostics);
    });
  });
  connection.listen();
  try {
    await connection.sendRequest("initialize", {
      processId: process.pid,
      rootUri: pathToFileURL(folder).href,
      capabilities: {},
      workspaceFolders: [{ uri: pathToFileURL(folder).href, name: "council" }],
    });
    connection.sendNotification("initialized", {});
    connection.sendNotification("textDocument/didOpen", {
      textDocument: { uri, languageId: "tfrules", version: 1, text },
    });
    const diagnostics = await published;
    const e101 = diagnostics.filter((d) => d.code === "E101");
    assert.strictEqual(e101.length, 1);
    assert.strictEqual(e101[0].range.start.line, 4);
    assert.match(e101[0].message, /unknown name 'wrk'/);

    const hover = await connection.sendRequest("textDocument/hover", {
      textDocument: { uri },
      position: { line: 4, character: 14 },
    });
    assert.match(hover.contents.value, /criterion work/);
    assert.match(hover.contents.value, /national\.phase1/);
    await connection.sendRequest("shutdown");
    connection.sendNotification("exit");
  } finally {
    connection.dispose();
    server.kill();
  }
});
