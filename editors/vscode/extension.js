// The tfrules extension: starts `tfrules lsp` (the language server that
// ships with tfrules) for .tfr files and connects VS Code to it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");
const { serverCommand } = require("./server");

let client;

/** How to start the server, from the settings (tfrules.server.command and .args). */
function serverOptions(settings) {
  const folders = vscode.workspace.workspaceFolders;
  const folder = folders && folders.length ? folders[0].uri.fsPath : undefined;
  return { ...serverCommand(settings, folder), transport: TransportKind.stdio };
}

function clientOptions() {
  return {
    documentSelector: [
      { scheme: "file", language: "tfrules" },
      { scheme: "untitled", language: "tfrules" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/*.tfr"),
    },
  };
}

async function activate(context) {
  const settings = vscode.workspace.getConfiguration("tfrules");
  client = new LanguageClient("tfrules", "tfrules", serverOptions(settings), clientOptions());
  context.subscriptions.push(
    vscode.commands.registerCommand("tfrules.restartServer", () => client.restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("tfrules.server")) {
        vscode.window.showInformationMessage(
          "tfrules: run 'tfrules: Restart the language server' to use the new settings."
        );
      }
    })
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `tfrules: could not start '${settings.get("server.command", "tfrules")} lsp' ` +
        `(${error.message}). Install tfrules (pip install tfrules) or set ` +
        "tfrules.server.command to its full path."
    );
  }
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
