"""Names of English upper-tier councils by ONS local-authority code, for
reports (data carry only the code)."""

from __future__ import annotations

COUNCIL_NAMES: dict[str, str] = {
    "E08000035": "Leeds",
    "E10000012": "Essex",
    "E09000002": "Barking and Dagenham",
    "E10000008": "Devon",
    "E08000021": "Newcastle upon Tyne",
    "E08000003": "Manchester",
    "E08000025": "Birmingham",
    "E08000012": "Liverpool",
    "E08000019": "Sheffield",
    "E06000023": "Bristol",
    "E09000028": "Southwark",
    "E10000017": "Lancashire",
    "E10000016": "Kent",
    "E10000030": "Surrey",
}


def council_name(code: str) -> str:
    """`Leeds (E08000035)`, or the code alone when the name is not known."""
    name = COUNCIL_NAMES.get(code)
    return f"{name} ({code})" if name else code
