"""`tfrules lsp`: the language server an editor starts."""

from __future__ import annotations

from tfrules.cli.common import app


@app.command()
def lsp() -> None:
    """Run the language server, for editors (VS Code, Neovim, Emacs, Helix, ...).

    The server talks the Language Server Protocol over standard input and
    output; an editor starts it, nobody types to it. It reports the same
    errors as 'tfrules check' as you type, and gives hover, go to
    definition, references, completion, outline, formatting, rename, quick
    fixes and a 'Run test' lens on each test. Setting it up in each editor is
    in docs/editors.md.
    """
    from tfrules.lsp.server import serve

    serve()
