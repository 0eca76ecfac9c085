"""`applies to` names councils by their ONS local-authority codes (a letter
E, W, S or N and eight digits, such as E08000035). Anything else would match
no household, and a council's local rules would silently never run: E111,
with the code a council name or a mistyped code most likely meant (as a
"did you mean", which an editor offers as a quick fix)."""

from __future__ import annotations

import difflib
import re

from tfrules import diagnostics as diag
from tfrules.data.councils import COUNCIL_NAMES, COUNCILS_2012, COUNCILS_LATER
from tfrules.syntax import ast

ONS_CODE = re.compile(r"[EWSN]\d{8}")


def council_code_problems(file: ast.RulesetFile) -> list[diag.Diagnostic]:
    problems = []
    for index, code in enumerate(file.applies_to):
        if ONS_CODE.fullmatch(code):
            continue
        spans = file.applies_spans
        span = spans[index] if index < len(spans) else file.span
        meant = likely_code(code)
        example = "e.g. E08000035 (Leeds)"
        hint = (
            f"did you mean '{meant}' ({COUNCIL_NAMES[meant]})? A council is named by its "
            f"ONS code, {example}"
            if meant
            else f"a council is named by its ONS code: a letter E, W, S or N and eight digits, "
            f"{example}"
        )
        problems.append(
            diag.error("E111", f"'{code}' is not an ONS local-authority code", span, hint)
        )
    return problems


def likely_code(written: str) -> str | None:
    """The code of the council a name or a mistyped code most likely means."""
    # a council recoded while the programme ran is suggested by its 2012 code
    named = [*COUNCILS_LATER.items(), *COUNCILS_2012.items()]
    by_name = {_plain(name): code for code, name in named}
    plain = _plain(written)
    if plain in by_name:
        return by_name[plain]
    # a name cut short or run on: Newcastle, Leeds_City_Council
    starting = {
        code for name, code in by_name.items() if name.startswith(plain) or plain.startswith(name)
    }
    if len(plain) >= 4 and len(starting) == 1:
        return starting.pop()
    for pool in (by_name, {_plain(code): code for code in COUNCIL_NAMES}):
        close = difflib.get_close_matches(plain, list(pool), n=1, cutoff=0.8)
        if close:
            return pool[close[0]]
    return None


def _plain(text: str) -> str:
    """A name as compared: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower())
