"""Checks a `schema` declaration and builds the resolved `Schema` from it."""

from __future__ import annotations

from tfrules import diagnostics as diag
from tfrules.model import types as T
from tfrules.model.schema import Column, Level, Schema, Table
from tfrules.syntax import ast

_COLUMN_TYPES = {**T.SCALAR_TYPE_NAMES, "count": T.INT}
_LITERAL_FITS = {
    T.Kind.BOOL: {"bool"},
    T.Kind.INT: {"int"},
    T.Kind.DECIMAL: {"int", "decimal"},
    T.Kind.PERCENT: {"percent"},
    T.Kind.MONEY: {"money"},
    T.Kind.DATE: {"date"},
    T.Kind.TEXT: {"text"},
}


def build_schema(file: ast.SchemaFile) -> tuple[Schema, list[diag.Diagnostic]]:
    problems: list[diag.Diagnostic] = []
    entities = [t for t in file.tables if isinstance(t, ast.EntityDecl)]
    entity_tables = {e.name: e.table or f"{e.name}s" for e in entities}
    tables: list[Table] = []
    seen: dict[str, ast.Span] = {}

    def claim(name: str, span: ast.Span) -> None:
        if name in seen:
            problems.append(diag.error("E102", f"the schema declares '{name}' twice", span))
        seen[name] = span

    households = [e for e in entities if e.owner is None]
    persons = [e for e in entities if e.owner is not None]
    if len(households) != 1 or len(persons) != 1:
        problems.append(
            diag.error(
                "E110",
                "a schema declares exactly two entities: the household, and a person who is "
                "a 'member of' it",
                file.span,
                "entity household ... / entity person ... member of household by household_id",
            )
        )
    for entity in entities:
        claim(entity_tables[entity.name], entity.span)
        level = Level.HOUSEHOLD if entity.owner is None else Level.PERSON
        columns = _columns(entity.columns, problems)
        if entity.key is None:
            problems.append(
                diag.error(
                    "E110",
                    f"the entity '{entity.name}' has no key",
                    entity.span,
                    f"add a line 'key {entity.name}_id'",
                )
            )
        owner_table = owner_key = None
        if entity.owner is not None:
            owner, owner_key = entity.owner
            owner_table = entity_tables.get(owner)
            if owner_table is None:
                problems.append(_unknown_entity(owner, entity.span, entity_tables))
        if entity.aged_by is not None and not any(c.name == entity.aged_by for c in columns):
            problems.append(
                diag.error(
                    "E105",
                    f"'aged by {entity.aged_by}' names no column of '{entity.name}'",
                    entity.span,
                )
            )
        council = _council_column(entity, level, columns, problems)
        key_columns = tuple(
            Column(name, T.TEXT) for name in (entity.key, owner_key) if name is not None
        )
        tables.append(
            Table(
                name=entity_tables[entity.name],
                level=level,
                columns=key_columns + columns,
                key=entity.key,
                owner=owner_table,
                owner_key=owner_key,
                title=entity.title,
                entity=entity.name,
                aged_by=entity.aged_by,
                council=council,
            )
        )
    for events in (t for t in file.tables if isinstance(t, ast.EventsDecl)):
        claim(events.name, events.span)
        owner_table = entity_tables.get(events.owner)
        if owner_table is None:
            problems.append(_unknown_entity(events.owner, events.span, entity_tables))
        columns = (Column(events.owner_key, T.TEXT), *_columns(events.columns, problems))
        names = {c.name for c in columns}
        date_like = [events.dated] if events.dated else []
        date_like += list(events.spanning or ())
        for name in (*date_like, *(events.termly or ())):
            if name not in names:
                problems.append(
                    diag.error(
                        "E105",
                        f"'{name}' is not a column of '{events.name}'",
                        events.span,
                        "declare the column below the table's clauses",
                    )
                )
        if not (events.dated or events.spanning or events.termly):
            problems.append(
                diag.warning(
                    "W010",
                    f"'{events.name}' says neither 'dated', 'spanning' nor 'termly': "
                    "time windows and 'latest' cannot be used on it",
                    events.span,
                )
            )
        tables.append(
            Table(
                name=events.name,
                level=Level.EVENT,
                columns=tuple(columns),
                owner=owner_table,
                owner_key=events.owner_key,
                date_column=events.dated,
                span=events.spanning,
                term=events.termly,
                optional=True,
                empty_when_missing=events.empty_when_missing,
                title=events.title,
            )
        )
    return Schema(file.name, tuple(tables), file.title), problems


def _council_column(
    entity: ast.EntityDecl,
    level: Level,
    columns: tuple[Column, ...],
    problems: list[diag.Diagnostic],
) -> str | None:
    """The column `council NAME` declares: one of the household's own columns."""
    if entity.council is None:
        return None
    if level is not Level.HOUSEHOLD:
        problems.append(
            diag.error(
                "E110",
                f"'council {entity.council}' belongs to the household entity, not '{entity.name}'",
                entity.span,
                "move the line to the household entity",
            )
        )
        return None
    column = next((c for c in columns if c.name == entity.council), None)
    if column is None:
        problems.append(
            diag.error(
                "E105",
                f"'council {entity.council}' names no column of '{entity.name}'",
                entity.span,
                diag.did_you_mean(entity.council, [c.name for c in columns])
                or f"declare the column: {entity.council}: text",
            )
        )
        return None
    if column.type.kind not in (T.Kind.TEXT, T.Kind.ERROR):
        problems.append(
            diag.error(
                "E203",
                f"the council column '{entity.council}' holds ONS codes, so it must be text, "
                f"not {column.type}",
                entity.span,
                f"declare it: {entity.council}: text",
            )
        )
        return None
    return entity.council


def _unknown_entity(name: str, span: ast.Span, known: dict[str, str]) -> diag.Diagnostic:
    return diag.error(
        "E103", f"there is no entity '{name}' in this schema", span, diag.did_you_mean(name, known)
    )


def _columns(
    decls: tuple[ast.ColumnDecl, ...], problems: list[diag.Diagnostic]
) -> tuple[Column, ...]:
    columns: list[Column] = []
    seen: set[str] = set()
    for decl in decls:
        if decl.name in seen:
            problems.append(
                diag.error("E102", f"the column '{decl.name}' is declared twice", decl.span)
            )
            continue
        seen.add(decl.name)
        type_ref = decl.type
        non_negative = False
        if type_ref.values:
            column_type = T.category(type_ref.values)
        elif type_ref.name in _COLUMN_TYPES and type_ref.name not in ("duration",):
            column_type = _COLUMN_TYPES[type_ref.name]
            non_negative = type_ref.name == "count"
        else:
            problems.append(
                diag.error(
                    "E108",
                    f"'{type_ref.name or type_ref}' is not a column type",
                    type_ref.span,
                    diag.did_you_mean(type_ref.name or "", _COLUMN_TYPES)
                    or "column types: bool, int, count, decimal, money, percent, date, text, "
                    "or a list of values such as {autumn, spring, summer}",
                )
            )
            column_type = T.ERROR
        default = _default(decl, column_type, problems)
        columns.append(
            Column(
                decl.name,
                column_type,
                nullable=decl.optional,
                non_negative=non_negative,
                default=default,
                title=decl.title,
            )
        )
    return tuple(columns)


def _default(decl: ast.ColumnDecl, column_type: T.Type, problems: list[diag.Diagnostic]) -> object:
    literal = decl.default
    if literal is None:
        return None
    if column_type.kind is T.Kind.CATEGORY:
        fits = literal.kind == "text" and literal.value in column_type.values
    else:
        fits = literal.kind in _LITERAL_FITS.get(column_type.kind, set())
    if not fits:
        problems.append(
            diag.error(
                "E202",
                f"the default of '{decl.name}' does not fit its type {column_type}",
                literal.span,
            )
        )
        return None
    return literal.value
