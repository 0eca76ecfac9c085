"""Hypothesis strategies for small data sets in the canonical model (docs/data-model.md).

A drawn `DataSet` holds 1-4 households with 0-5 members each and, per event
table, 0-6 rows per owner, as Polars frames in the canonical dtypes. It is
made to hit edges rather than to look realistic:

- dates come mostly from a small pool of boundary dates around a few
  reference dates (`REFERENCE_DATES`: month ends, 29 February, the Easter
  Sundays and Mondays of 2012-2014, 31 July / 1 August, 31 March / 1 April)
  and around their windows: exactly 12 months, 6 months, 26 weeks and
  13 weeks before, and the days either side;
- births make members turn 5, 16 or 18 on a reference date (or the day
  before or after), or fall on 29 February;
- nullable columns (attached_on, end_date) are null or not, households may
  have no members;
- each event table is supplied with rows, supplied but empty, left out of
  the frames altogether, or supplied and named in `missing=` (both ways of
  "not supplied");
- school terms come with gaps and with duplicated (academic_year, term) rows,
  session counts around the 10% and 15% absence thresholds.

Every data set is valid under the contract (absences <= sessions possible,
end >= start, counts >= 0, known categories, owners that exist), which
`tfrules.data.validate` confirms in the tests.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import polars as pl
from hypothesis import strategies as st

from tfrules.interpret.household import HouseholdData, households_from_frames
from tfrules.model.schema import Level, Schema
from tfrules.semantics import calendar
from tfrules.semantics.dtypes import dtype

D = dt.date
DAY = dt.timedelta(days=1)

#: Dates a run is made at (as_of) or a family attached on: each is an edge of
#: a month, a financial year, a school term or February.
REFERENCE_DATES: tuple[dt.date, ...] = (
    D(2012, 2, 29),
    D(2012, 3, 31),
    D(2012, 4, 1),
    D(2012, 4, 8),  # Easter Sunday 2012: the last day of the spring term
    D(2012, 4, 9),  # Easter Monday 2012: the first day of the summer term
    D(2012, 7, 31),
    D(2012, 8, 1),
    D(2012, 12, 31),
    D(2013, 1, 1),
    D(2013, 2, 28),
    D(2013, 3, 31),  # Easter Sunday 2013 (and the end of the financial year)
    D(2013, 4, 1),  # Easter Monday 2013
    D(2013, 7, 31),
    D(2013, 8, 31),
    D(2014, 2, 28),
    D(2014, 4, 20),  # Easter Sunday 2014
    D(2014, 4, 21),  # Easter Monday 2014
    D(2014, 8, 1),
    D(2015, 3, 31),
    D(2016, 2, 29),
)

FIRST_DAY, LAST_DAY = D(2009, 1, 1), D(2016, 12, 31)

PERSON_TABLES = (
    "school_terms",
    "offences",
    "asb",
    "benefit_claims",
    "employment_spells",
    "work_referrals",
    "social_care",
    "police_incidents",
    "health",
    "custody",
)
HOUSEHOLD_TABLES = ("housing", "claims")
EVENT_TABLES = PERSON_TABLES + HOUSEHOLD_TABLES

CATEGORIES: dict[str, tuple[str, ...]] = {
    "term": calendar.TERMS,
    "kind": (
        "incident",
        "asbo",
        "injunction",
        "acceptable_behaviour_contract",
        "housing_intervention",
    ),
    "benefit": ("JSA", "ESA", "IB", "IS", "CA", "SDA", "UC", "HB"),
    "programme": ("work_programme", "esf_families"),
    "status": ("child_in_need", "child_protection_plan", "looked_after"),
    "category": ("burglary", "domestic_abuse", "criminal_damage", "violence", "other"),
    "condition": ("substance_misuse", "mental_health", "new_mother_vulnerable"),
    "claim": ("attachment", "results", "progress_to_work", "employment"),
}

MONEY_EDGES = tuple(
    Decimal(v)
    for v in ("0.00", "0.01", "100.00", "499.99", "500.00", "500.01", "1600.00", "3200.00",
              "4000.00", "4000.01")
)  # fmt: skip


# ---------------------------------------------------------------- boundary dates


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


@functools.cache
def boundary_dates(refs: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """The edges of every window ending at one of `refs`, and the days either side.

    Sorted, without repeats; the reference dates themselves come first, so
    that shrinking moves towards them.
    """
    found: dict[dt.date, None] = dict.fromkeys(refs)
    for ref in refs:
        starts = [
            ref,
            calendar.add_months(ref, -12),
            calendar.add_months(ref, -6),
            calendar.add_months(ref, -1),
            add_days(ref, -7 * 26),
            add_days(ref, -7 * 13),
            add_days(ref, -7 * 52),
        ]
        now = calendar.term_index(ref)
        for index in (now - 3, now - 1, now):
            first, last = calendar.term_bounds(index)
            starts += [first, last]
        for start in starts:
            for delta in (-1, 0, 1):
                found.setdefault(add_days(start, delta))
    return tuple(found)


def reference_dates() -> st.SearchStrategy[dt.date]:
    return st.sampled_from(REFERENCE_DATES)


def as_of_dates(data: DataSet) -> st.SearchStrategy[dt.date]:
    """A run date for `data`: mostly one of the dates it was built around."""
    around = st.sampled_from(data.refs)
    return st.one_of(*[around] * 7, reference_dates())


@functools.cache
def edge_dates(refs: tuple[dt.date, ...]) -> st.SearchStrategy[dt.date]:
    """Mostly a boundary date around `refs`; now and then any date."""
    pool = st.sampled_from(boundary_dates(refs))
    anywhere = st.dates(FIRST_DAY, LAST_DAY)
    return st.one_of(pool, pool, pool, pool, pool, anywhere)


# ---------------------------------------------------------------- the data set


@attrs.frozen
class DataSet:
    """Canonical tables as eager frames.

    A table absent from `frames`, or present and named in `missing`, was not
    supplied. `refs` are the reference dates the data was built around (draw
    as_of from them).
    """

    frames: Mapping[str, pl.DataFrame]
    missing: frozenset[str] = frozenset()
    refs: tuple[dt.date, ...] = ()

    def lazy(self) -> dict[str, pl.LazyFrame]:
        return {name: frame.lazy() for name, frame in self.frames.items()}

    @property
    def household_ids(self) -> list[str]:
        return self.frames["households"]["household_id"].to_list()

    def households(self, schema: Schema) -> list[HouseholdData]:
        return list(households_from_frames(schema, self.frames, self.missing))

    def not_supplied(self, schema: Schema) -> frozenset[str]:
        return frozenset(
            t.name
            for t in schema.event_tables
            if t.name not in self.frames or t.name in self.missing
        )

    def map_frames(self, change: Any) -> DataSet:
        """A copy with `change(name, frame)` applied to every frame."""
        return attrs.evolve(self, frames={n: change(n, f) for n, f in self.frames.items()})

    def only(self, household_ids: Iterable[str]) -> DataSet:
        """The data of some households only (their members and events)."""
        keep = set(household_ids)
        persons = self.frames["persons"].filter(pl.col("household_id").is_in(sorted(keep)))
        people = persons["person_id"].to_list()

        def cut(name: str, frame: pl.DataFrame) -> pl.DataFrame:
            if name == "persons":
                return persons
            if "person_id" in frame.columns and name != "persons":
                return frame.filter(pl.col("person_id").is_in(people))
            return frame.filter(pl.col("household_id").is_in(sorted(keep)))

        return self.map_frames(cut)


@functools.cache
def canonical_schema() -> Schema:
    """The canonical schema, built from the shipped `canonical.tfr`."""
    from tfrules.check.schema_build import build_schema
    from tfrules.check.workspace import bundled_rulesets_dir
    from tfrules.syntax.parser import parse_text

    path = bundled_rulesets_dir() / "schema" / "canonical.tfr"
    parsed = parse_text(path.read_text(encoding="utf-8"), str(path))
    schema, problems = build_schema(parsed.file)  # type: ignore[arg-type]
    assert not problems, problems
    return schema


@functools.cache
def table_dtypes(name: str) -> dict[str, pl.DataType]:
    table = canonical_schema().table(name)
    assert table is not None
    return {c.name: dtype(c.type) for c in table.columns}


def make_frame(name: str, rows: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """A frame of table `name` in the canonical dtypes (empty if no rows)."""
    schema = table_dtypes(name)
    columns = {c: [row[c] for row in rows] for c in schema}
    return pl.DataFrame(columns, schema=schema)


# ---------------------------------------------------------------- rows


class Chooser:
    """Choices decoded from one drawn integer, digit by digit (mixed radix).

    Drawing one integer per row rather than one value per column keeps
    generation fast; 0 decodes to the first option of every choice, so
    shrinking the integer moves a row towards the first (most typical) edge.
    """

    def __init__(self, number: int) -> None:
        self.number = number

    def index(self, size: int) -> int:
        self.number, digit = divmod(self.number, size)
        return digit

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.index(len(options))]

    def integer(self, low: int, high: int) -> int:
        return low + self.index(high - low + 1)

    def chance(self, one_in: int) -> bool:
        """True one time in `one_in`."""
        return self.index(one_in) == one_in - 1


ROW_NUMBERS = st.integers(0, 2**64 - 1)
ANY_DAY = tuple(D(2009, 1, 1) + dt.timedelta(days=d) for d in range(0, 8 * 366))


@functools.cache
def window_edges(refs: tuple[dt.date, ...]) -> tuple[dt.date, ...]:
    """The first day in, and the last day out, of the usual windows ending at `refs`:
    12, 6 and 1 months, 52, 26 and 13 weeks, the last 3 terms; and the day itself."""
    found: dict[dt.date, None] = {}
    for ref in refs:
        found.setdefault(ref)
        for months in (12, 6, 1):
            out = calendar.add_months(ref, -months)
            found.setdefault(add_days(out, 1))
            found.setdefault(out)
        for weeks in (26, 13, 52):
            out = add_days(ref, -7 * weeks)
            found.setdefault(add_days(out, 1))
            found.setdefault(out)
        now = calendar.term_index(ref)
        first, last = calendar.term_bounds(now - 3)[0], calendar.term_bounds(now - 1)[1]
        for day in (first, add_days(first, -1), last, add_days(last, 1)):
            found.setdefault(day)
        found.setdefault(add_days(ref, 1))
    return tuple(found)


def _date(c: Chooser, refs: tuple[dt.date, ...]) -> dt.date:
    """Often the edge of a usual window ending at one of `refs`; else a boundary
    date around them; now and then any date."""
    how = c.index(20)
    if how < 9:
        return c.pick(window_edges(refs))
    if how < 17:
        return c.pick(boundary_dates(refs))
    return c.pick(ANY_DAY)


def _end_date(c: Chooser, start: dt.date, refs: tuple[dt.date, ...]) -> Any:
    """Null (still going) or a date on or after `start`: often exactly 13 or
    26 weeks on (give or take a day), or a boundary date."""
    how = c.index(5)
    if how == 1:
        return None
    if how in (0, 2):
        weeks = c.pick((26, 13, 0, 1, 52))
        return add_days(start, 7 * weeks + (c.integer(-1, 1) if weeks else 0))
    end = _date(c, refs)
    return end if end >= start else add_days(start, c.integer(0, 200))


def _sessions(c: Chooser) -> tuple[int, int, int]:
    """(possible, authorised, unauthorised) around the 10% and 15% thresholds."""
    possible = c.pick((100, 20, 0, 60, 130, 140, 7, 1))
    threshold = (3 * possible + 19) // 20  # the least count at or above 15%
    unauthorised = c.pick((threshold, 0, max(threshold - 1, 0), threshold + 1, possible))
    unauthorised = min(unauthorised, possible)
    room = possible - unauthorised
    authorised = c.pick((0, room // 10, room // 10 + 1, room, possible // 10))
    return possible, min(authorised, room), unauthorised


@functools.cache
def _term_choices(refs: tuple[dt.date, ...]) -> tuple[tuple[int, str], ...]:
    """The terms just before and at each reference date (latest first)."""
    indices: dict[int, None] = {}
    for ref in refs:
        now = calendar.term_index(ref)
        for index in range(now - 1, now - 5, -1):
            indices.setdefault(index)
        indices.setdefault(now)
    return tuple((i // 3, calendar.TERMS[i % 3]) for i in indices)


def person_event_row(
    number: int, table: str, person: str, refs: tuple[dt.date, ...]
) -> dict[str, Any]:
    c = Chooser(number)
    row: dict[str, Any] = {"person_id": person}
    if table == "school_terms":
        year, term = c.pick(_term_choices(refs))
        possible, authorised, unauthorised = _sessions(c)
        row.update(
            academic_year=year,
            term=term,
            sessions_possible=possible,
            sessions_authorised_absence=authorised,
            sessions_unauthorised_absence=unauthorised,
            fixed_exclusions=c.pick((0, 3, 1, 2, 4)),
            permanently_excluded=c.chance(5),
            alternative_provision=c.chance(5),
            on_roll=not c.chance(5),
        )
    elif table == "offences":
        row.update(offence_date=_date(c, refs), proven=not c.chance(3))
    elif table in ("asb", "health"):
        column = "kind" if table == "asb" else "condition"
        row.update(recorded_on=_date(c, refs), **{column: c.pick(CATEGORIES[column])})
    elif table in ("benefit_claims", "employment_spells", "social_care", "custody"):
        start = _date(c, refs)
        row.update(start_date=start, end_date=_end_date(c, start, refs))
        if table == "benefit_claims":
            row["benefit"] = c.pick(CATEGORIES["benefit"])
        if table == "social_care":
            row["status"] = c.pick(CATEGORIES["status"])
    elif table == "work_referrals":
        row.update(referred_on=_date(c, refs), programme=c.pick(CATEGORIES["programme"]))
    elif table == "police_incidents":
        row.update(incident_date=_date(c, refs), category=c.pick(CATEGORIES["category"]))
    else:  # pragma: no cover
        raise ValueError(table)
    return row


def _money(c: Chooser) -> Decimal:
    if c.chance(3):
        return Decimal(c.integer(0, 500_000)).scaleb(-2)
    return c.pick(MONEY_EDGES)


def household_event_row(
    number: int, table: str, household: str, refs: tuple[dt.date, ...]
) -> dict[str, Any]:
    c = Chooser(number)
    if table == "housing":
        return {
            "household_id": household,
            "recorded_on": _date(c, refs),
            "rent_arrears": _money(c),
            "eviction_notice": c.chance(3),
        }
    return {
        "household_id": household,
        "claimed_on": _date(c, refs),
        "claim": c.pick(CATEGORIES["claim"]),
        "amount": _money(c),
    }


def birth_date(draw: st.DrawFn, refs: tuple[dt.date, ...]) -> dt.date:
    """Mostly a birthday that makes the member 5, 16 or 18 (or 15, 17) on a
    reference date, give or take a day; else 29 February or any date."""
    how = draw(st.integers(0, 9))
    if how <= 5:
        ref = draw(st.sampled_from(refs))
        years = draw(st.sampled_from((18, 16, 5, 15, 17, 4, 19)))
        try:
            born = ref.replace(year=ref.year - years)
        except ValueError:  # 29 February in a common year
            born = D(ref.year - years, 2, 28)
        return add_days(born, draw(st.integers(-1, 1)))
    if how == 6:
        return D(draw(st.sampled_from((1996, 2000, 2008, 1992, 2012))), 2, 29)
    if how == 7:
        return draw(st.dates(D(1995, 1, 1), D(2014, 12, 31)))
    return draw(st.dates(D(1940, 1, 1), D(1995, 12, 31)))


HOUSEHOLD_IDS = ("H1", "H2", "H10", "h3", "A7", "Z", "H 5", "H4")
LA_CODES = ("E08000035", "E06000001", "E09000001")

#: How an event table comes: with rows, empty, left out of `frames`, or given and named missing.
TABLE_STATES = ("rows",) * 10 + ("empty", "absent", "missing")


@st.composite
def datasets(
    draw: st.DrawFn,
    tables: Iterable[str] | None = None,
    refs: tuple[dt.date, ...] | None = None,
    min_households: int = 1,
    max_households: int = 4,
    max_members: int = 5,
    max_rows: int = 6,
    states: Sequence[str] = TABLE_STATES,
) -> DataSet:
    """A small canonical data set; `tables` limits the event tables drawn
    (the others are left out, so read as not supplied)."""
    wanted = EVENT_TABLES if tables is None else tuple(t for t in EVENT_TABLES if t in set(tables))
    if refs is None:
        refs = (draw(reference_dates()),)
        if draw(st.integers(0, 3)) == 0:
            refs += (draw(reference_dates().filter(lambda d: d not in refs)),)
    dates = edge_dates(refs)
    household_ids = draw(
        st.lists(
            st.sampled_from(HOUSEHOLD_IDS),
            min_size=min_households,
            max_size=max_households,
            unique=True,
        )
    )
    households, persons = [], []
    for number, household in enumerate(household_ids):
        attached = draw(st.integers(0, 9))
        attached_on = (
            None if attached <= 2 else draw(st.sampled_from(refs)) if attached <= 6 else draw(dates)
        )
        households.append(
            {
                "household_id": household,
                "la_code": draw(st.sampled_from(LA_CODES)),
                "attached_on": attached_on,
            }
        )
        members = draw(st.integers(0, max_members))
        for index in range(members):
            persons.append(
                {
                    "person_id": f"P{number}{index}",
                    "household_id": household,
                    "date_of_birth": birth_date(draw, refs),
                }
            )
    frames: dict[str, pl.DataFrame] = {
        "households": make_frame("households", households),
        "persons": make_frame("persons", persons),
    }
    missing: set[str] = set()
    for table in wanted:
        state = draw(st.sampled_from(states))
        if state == "absent":
            continue
        rows: list[dict[str, Any]] = []
        if state in ("rows", "missing"):
            if table in PERSON_TABLES:
                for person in persons:
                    rows += [
                        person_event_row(n, table, person["person_id"], refs)
                        for n in draw(st.lists(ROW_NUMBERS, max_size=max_rows))
                    ]
            else:
                for household in households:
                    rows += [
                        household_event_row(n, table, household["household_id"], refs)
                        for n in draw(st.lists(ROW_NUMBERS, max_size=max_rows))
                    ]
        frames[table] = make_frame(table, rows)
        if state == "missing":
            missing.add(table)
    return DataSet(frames, frozenset(missing), refs)


# ---------------------------------------------------------------- transformations


def shuffled(data: DataSet, seed: int) -> DataSet:
    """Every table with its rows in another order."""
    return data.map_frames(lambda _, frame: frame.sample(fraction=1.0, shuffle=True, seed=seed))


def renamed(data: DataSet, prefix: str) -> DataSet:
    """The same data with every household and person id prefixed."""

    def rename(_: str, frame: pl.DataFrame) -> pl.DataFrame:
        ids = [c for c in ("household_id", "person_id") if c in frame.columns]
        return frame.with_columns(pl.lit(prefix) + pl.col(c) for c in ids)

    return data.map_frames(rename)


def stacked(parts: Sequence[DataSet]) -> DataSet:
    """Several data sets (with distinct ids) as one; they must agree on which
    tables are supplied."""
    first = parts[0]
    frames = {
        name: pl.concat([p.frames[name] for p in parts], how="vertical") for name in first.frames
    }
    return attrs.evolve(first, frames=frames)


def person_ids(data: DataSet) -> list[str]:
    return data.frames["persons"]["person_id"].to_list()


def owner_level(table: str) -> Level:
    return Level.PERSON if table in PERSON_TABLES else Level.HOUSEHOLD
