"""Shared by the editor tests: a council's folder of rule files (a local
ruleset extending the shipped national.phase1, a pilot extending that local
one, a file with a mistake in it, an untidy one) and positions in texts."""

from __future__ import annotations

import textwrap
from pathlib import Path

LOCAL = """\
ruleset local.testshire.phase1 "Testshire: local criterion (phase 1)"
    extends national.phase1
    applies to E08000035

parameter concern_window "How far back we look" = 12 months

criterion domestic_abuse "Domestic abuse in the window"
    = any member has police_incidents where category = domestic_abuse, in the last concern_window

criterion local "Domestic abuse, or a child in need"
    = domestic_abuse or any member has social_care where status = child_in_need, active

test "domestic abuse meets the local criterion"
    as of 2013-01-15
    household H1
        member A born 1980-05-01
    police_incidents A: incident_date 2012-11-03, category domestic_abuse
    expect domestic_abuse = true, local = true

test "a test that fails"
    as of 2013-01-15
    household H1
        member A born 1980-05-01
    expect domestic_abuse = true
"""

PILOT = """\
ruleset local.testshire.pilot "Testshire: a pilot built on the local ruleset"
    extends local.testshire.phase1

criterion pilot_family "Abuse at home, and no job"
    = domestic_abuse and work
"""

MISSPELT = """\
ruleset local.misspelt.phase1 "A misspelt name"
    extends national.phase1

criterion local "Out of work"
    = wrk
"""

UNFORMATTED = """\
ruleset local.untidy.phase1 "Untidy"
  extends national.phase1
criterion local = work   and   education
"""


#: A council's base ruleset left with a syntax error, and a ruleset built on it.
BROKEN_BASE = """\
ruleset local.halfway.base "Half written"
    extends national.phase1

criterion local = work and
"""

ON_BROKEN_BASE = """\
ruleset local.halfway.pilot "Built on a half-written ruleset"
    extends local.halfway.base

criterion pilot = local
"""


def write_council(folder: Path) -> Path:
    files = {
        "local.tfr": LOCAL,
        "pilot.tfr": PILOT,
        "misspelt.tfr": MISSPELT,
        "untidy.tfr": UNFORMATTED,
        "halfway/base.tfr": BROKEN_BASE,
        "halfway/pilot.tfr": ON_BROKEN_BASE,
    }
    (folder / "halfway").mkdir()
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def position_of(text: str, needle: str, occurrence: int = 0, offset: int = 0) -> tuple[int, int]:
    """The 0-based line and character of `needle` (its `occurrence`-th) in `text`."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)
