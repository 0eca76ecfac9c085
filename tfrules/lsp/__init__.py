"""Editor support: the `tfrules lsp` language server and what it is built from.

The server answers an editor's questions (diagnostics, hover, go to
definition, references, completion, outline, formatting, rename, quick fixes,
running a test) from the checker's own results: names and types are never
worked out a second time here.
"""
