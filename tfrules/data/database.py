"""Database sources: a table or query read with Apache Arrow's ADBC driver for
PostgreSQL, which runs the query in the database and hands back Arrow columns.

A mapping names a connection (`from database housing table "rent_accounts"`);
its address is given at run time, never in a rule file: `--database
housing=postgresql://user:password@host/db` on the command line, or the
environment variable `TFRULES_DATABASE_HOUSING`. The address and its password
never appear in a message: every error from the connector is cleaned of them.

Only the columns a run needs are asked for: the query's columns are looked up
first (`... WHERE 1 = 0`, which returns no rows), then those wanted are
selected from it, so the database sends nothing else. A column of a type Arrow
has no equivalent for (PostgreSQL's `numeric`) comes as its text, which the
mapping then reads exactly (an amount is never a float).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

import polars as pl
import pyarrow as pa

from tfrules.model.mapping import CheckedMapping, SourceSpec

ENV_PREFIX = "TFRULES_DATABASE_"
HIDDEN = "***"
#: The kinds of address tfrules reads.
SCHEMES = ("postgresql", "postgres")


class DatabaseProblem(Exception):
    """A database source cannot be read; the message never holds an address."""


def env_name(database: str) -> str:
    """The environment variable that may hold the address of connection `database`."""
    return ENV_PREFIX + re.sub(r"\W", "_", database).upper()


def connection_address(database: str, connections: Mapping[str, str]) -> str:
    address = connections.get(database) or os.environ.get(env_name(database))
    if not address:
        raise DatabaseProblem(
            f"no address is given for the database '{database}': run with "
            f"--database {database}=ADDRESS, or set the environment variable "
            f"{env_name(database)} (such as postgresql://user@host:5432/name)"
        )
    return address


def unaddressed(mapping: CheckedMapping | None, connections: Mapping[str, str]) -> list[str]:
    """The databases a mapping reads that have no address given, by option or environment."""
    if mapping is None:
        return []
    named = {
        spec.database
        for table in mapping.tables.values()
        for spec in table.sources
        if spec.database is not None
    }
    return sorted(n for n in named if not (connections.get(n) or os.environ.get(env_name(n))))


def read_database(
    spec: SourceSpec, connections: Mapping[str, str], wanted: set[str]
) -> pl.DataFrame:
    """The rows of a database source, with only the `wanted` columns it has
    (all of them when `wanted` is empty)."""
    assert spec.database is not None
    address = connection_address(spec.database, connections)
    scheme = address.split("://", 1)[0].lower() if "://" in address else ""
    if scheme not in SCHEMES:
        raise DatabaseProblem(
            f"the address of the database '{spec.database}' is not a PostgreSQL address: "
            "tfrules reads PostgreSQL databases, addressed as postgresql://user@host:port/name"
        )
    if spec.kind == "table":
        base = spec.target.strip()
    else:
        base = "(" + spec.target.strip().rstrip(";") + ") AS tfrules_query"
    try:
        with _connect(address) as connection:
            probe = _read(connection, f"SELECT * FROM {base} WHERE 1 = 0")
            names = [n for n in probe.columns if not wanted or n in wanted]
            if not names:
                return probe
            selected = ", ".join(_quoted(n) for n in names)
            return _read(connection, f"SELECT {selected} FROM {base}")
    except DatabaseProblem:
        raise
    except Exception as error:  # the driver's own kinds of error
        raise DatabaseProblem(clean(str(error), address)) from None


def _connect(address: str) -> Any:
    import adbc_driver_postgresql.dbapi  # imported here: only database sources need it

    return adbc_driver_postgresql.dbapi.connect(address)


def _read(connection: Any, query: str) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(query)
        table = cursor.fetch_arrow_table()
    columns = [_plain(column) for column in table.columns]
    return pl.from_arrow(pa.Table.from_arrays(columns, names=table.column_names))  # type: ignore[return-value]


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column of a type Arrow has no equivalent for, as the text it is stored as."""
    if isinstance(column.type, pa.BaseExtensionType):
        return pa.chunked_array(
            [chunk.storage for chunk in column.chunks], column.type.storage_type
        )
    return column


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def clean(text: str, address: str) -> str:
    """`text` without the address, its password or its user's credentials."""
    secrets = {address}
    try:
        parts = urlsplit(address)
    except ValueError:
        parts = None
    if parts is not None:
        if parts.password:
            secrets |= {parts.password, unquote(parts.password)}
        if parts.netloc and "@" in parts.netloc:
            secrets.add(parts.netloc.rsplit("@", 1)[0])
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, HIDDEN)
    first = text.strip().splitlines()[0] if text.strip() else "the database refused the query"
    return first
