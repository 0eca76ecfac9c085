"""Which files of a data folder feed which table, and which feed none.

A file feeds a table when it is named after it (`offences.csv`,
`offences.parquet`) or when a mapping's `from` line names it (a name or a
pattern such as `Police *.csv`, matched without regard to capitals, inside
sub-folders only when the pattern says so). A data file that feeds nothing is
never passed over in silence: it is listed, with the table it may have been
meant for (`police.csv` -> police_incidents), unless the mapping says to
`ignore` it.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
from pathlib import Path, PurePosixPath

import attrs

from tfrules.data.file_names import MAPPING_NAME as MAPPING_NAME  # said once, there
from tfrules.model.mapping import FILE_SUFFIXES, CheckedMapping
from tfrules.model.schema import Schema

#: Files that look like data, and so are reported when they feed no table.
DATA_SUFFIXES = (*FILE_SUFFIXES, ".xls", ".ods")
CANONICAL_SUFFIXES = (".parquet", ".csv")


@attrs.frozen
class Unmatched:
    """A data file that feeds no table, and the table it may have been meant for."""

    path: str
    suggestion: str | None = None

    def describe(self) -> str:
        if self.suggestion is None:
            return self.path
        return f"{self.path} (did you mean {self.suggestion}?)"


@attrs.frozen
class Inventory:
    #: The files (or database sources) feeding each table supplied.
    sources: dict[str, tuple[str, ...]]
    unmatched: tuple[Unmatched, ...]
    #: Tables of the schema that nothing supplies.
    not_supplied: tuple[str, ...]
    #: (table, file name or pattern) of each file a mapping gives that is not there.
    not_found: tuple[tuple[str, str], ...] = ()


def list_files(folder: Path) -> list[str]:
    """Every file under `folder` (hidden ones left out), as relative POSIX paths."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                found.append((Path(root) / name).relative_to(folder).as_posix())
    return found


def matches(pattern: str, files: list[str]) -> list[str]:
    """The files a mapping's file name or pattern names, without regard to capitals."""
    wanted = PurePosixPath(pattern.replace("\\", "/").strip()).parts
    found = []
    for path in files:
        parts = PurePosixPath(path).parts
        if len(parts) == len(wanted) and all(
            fnmatch.fnmatchcase(p.lower(), w.lower()) for p, w in zip(parts, wanted, strict=True)
        ):
            found.append(path)
    return sorted(found, key=str.lower)


def canonical_file(table: str, files: list[str]) -> list[str]:
    return [f for f in files if f in (table + suffix for suffix in CANONICAL_SUFFIXES)]


def take_inventory(
    folder: Path, schema: Schema, mapping: CheckedMapping | None = None
) -> Inventory:
    return inventory_of(list_files(folder), schema, mapping)


def inventory_of(
    files: list[str], schema: Schema, mapping: CheckedMapping | None = None
) -> Inventory:
    """The inventory of a location's files (relative POSIX paths), however listed."""
    claimed: set[str] = set()
    sources: dict[str, tuple[str, ...]] = {}
    not_found: list[tuple[str, str]] = []
    for table in schema.tables:
        mapped = mapping.table(table.name) if mapping is not None else None
        if mapped is not None and mapped.sources:
            used: list[str] = []
            for spec in mapped.sources:
                if spec.is_file:
                    found = matches(spec.target, files)
                    used += found
                    claimed |= set(found)
                    if not found:
                        not_found.append((table.name, spec.target))
                else:
                    used.append(spec.describe())
            if used:
                sources[table.name] = tuple(used)
        else:
            found = canonical_file(table.name, files)
            claimed |= set(found)
            if found:
                sources[table.name] = tuple(found)
    ignored = mapping.ignore if mapping is not None else ()
    unmatched = [
        Unmatched(path, suggest(path, [t.name for t in schema.tables]))
        for path in files
        if path not in claimed
        and Path(path).suffix.lower() in DATA_SUFFIXES
        and not any(matches(pattern, [path]) for pattern in ignored)
    ]
    missing = tuple(t.name for t in schema.tables if t.name not in sources)
    return Inventory(sources, tuple(unmatched), missing, tuple(not_found))


#: Words of file names, and the canonical table each usually means.
TABLE_WORDS = {
    "people": "persons",
    "person": "persons",
    "individuals": "persons",
    "members": "persons",
    "family": "households",
    "families": "households",
    "household": "households",
    "schools": "school_terms",
    "school": "school_terms",
    "attendance": "school_terms",
    "exclusions": "school_terms",
    "benefits": "benefit_claims",
    "benefit": "benefit_claims",
    "dwp": "benefit_claims",
    "police": "police_incidents",
    "incidents": "police_incidents",
    "crime": "offences",
    "offending": "offences",
    "yot": "offences",
    "rent": "housing",
    "tenancy": "housing",
    "care": "social_care",
    "social": "social_care",
    "prison": "custody",
    "jobs": "employment_spells",
    "employment": "employment_spells",
    "referrals": "work_referrals",
    "payments": "claims",
}


def suggest(path: str, tables: list[str]) -> str | None:
    """The table a file's name is closest to, if one is close."""
    stem = re.sub(r"[^a-z0-9]+", "_", PurePosixPath(path).stem.lower()).strip("_")
    if not stem:
        return None
    starting = [t for t in tables if t.startswith(stem) or stem.startswith(t)]
    if starting:
        return min(starting, key=len)
    close = difflib.get_close_matches(stem, tables, n=1, cutoff=0.6)
    if close:
        return close[0]
    for word in stem.split("_"):
        meant = TABLE_WORDS.get(word)
        if meant in tables:
            return meant
    return None
