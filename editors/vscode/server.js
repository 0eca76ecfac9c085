// How the extension starts the language server: `tfrules lsp`, or what the
// settings tfrules.server.command and tfrules.server.args say. Kept apart from
// extension.js (which needs VS Code) so that it can be tested on its own.
"use strict";

/**
 * The command and arguments, from settings read with `get(name, default)`;
 * `${workspaceFolder}` in them stands for the folder open in VS Code.
 */
function serverCommand(settings, workspaceFolder) {
  const expand = (text) => text.split("${workspaceFolder}").join(workspaceFolder || ".");
  return {
    command: expand(settings.get("server.command", "tfrules")),
    args: settings.get("server.args", ["lsp"]).map(expand),
  };
}

module.exports = { serverCommand };
