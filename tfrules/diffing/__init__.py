"""`tfrules diff`: two versions of the rules compared on the same households.

One module per job: `versions` (the two rulesets: two names, what-ifs, or a
file at a git revision), `changes` (which rules differ, and why),
`plan` (both versions in one plan), `counts` (transitions and totals),
`samples` (households to look at, explained), `result`, the renderers
(`render_terminal`, `render_markdown`, `render_json`) and `gate`. The API
is `tfrules.diff(...)` (`compute.diff`).
"""
