// The extension's manifest and files agree: what package.json names exists
// and is valid, and the settings start the server as documented.
"use strict";

const test = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

test("the language, its configuration and grammar are contributed", () => {
  const [language] = manifest.contributes.languages;
  assert.strictEqual(language.id, "tfrules");
  assert.deepStrictEqual(language.extensions, [".tfr"]);
  const configuration = JSON.parse(fs.readFileSync(path.join(root, language.configuration), "utf8"));
  assert.strictEqual(configuration.comments.lineComment, "#");
  assert.deepStrictEqual(configuration.brackets.map((pair) => pair.join("")), ["()", "[]", "{}"]);
  const [grammar] = manifest.contributes.grammars;
  const tmLanguage = JSON.parse(fs.readFileSync(path.join(root, grammar.path), "utf8"));
  assert.strictEqual(tmLanguage.scopeName, grammar.scopeName);
  for (const include of tmLanguage.patterns) {
    assert.ok(tmLanguage.repository[include.include.slice(1)], include.include);
  }
});

test("the server is started as 'tfrules lsp' unless the settings say otherwise", () => {
  const properties = manifest.contributes.configuration.properties;
  assert.strictEqual(properties["tfrules.server.command"].default, "tfrules");
  assert.deepStrictEqual(properties["tfrules.server.args"].default, ["lsp"]);
  assert.ok(fs.existsSync(path.join(root, manifest.main)));
});

test("${workspaceFolder} in the settings is the open folder", () => {
  const { serverCommand } = require("../server");
  const settings = { get: (name, fallback) => (name === "server.command" ? "${workspaceFolder}/.venv/bin/tfrules" : fallback) };
  assert.deepStrictEqual(serverCommand(settings, "/home/me/rules"), {
    command: "/home/me/rules/.venv/bin/tfrules",
    args: ["lsp"],
  });
});
