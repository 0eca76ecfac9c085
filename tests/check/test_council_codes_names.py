"""Every council that ran the programme is named: reports, hints and
completion know all 152 upper-tier councils of 2012 and the later codes."""

from __future__ import annotations

from tfrules.check.council_codes import ONS_CODE, likely_code
from tfrules.data.councils import COUNCIL_NAMES, COUNCILS_2012, council_name


def test_every_council_of_2012_is_named_by_a_well_formed_code() -> None:
    assert len(COUNCILS_2012) == 152
    assert all(ONS_CODE.fullmatch(code) for code in COUNCIL_NAMES)
    assert council_name("E06000001") == "Hartlepool (E06000001)"
    assert council_name("E99999999") == "E99999999"


def test_a_council_named_by_its_name_is_suggested_its_code() -> None:
    assert likely_code("Hartlepool") == "E06000001"
    assert likely_code("Isle of Wight") == "E06000046"
    # recoded while the programme ran: the 2012 code is suggested
    assert likely_code("Gateshead") == "E08000020"
