"""Makes docs/examples/anytown/: a small council extract in the council's own
shape, from synthetic canonical data, and the canonical data it was made from
(tests/docs/anytown_canonical/), which the docs' tests hold it to.

    python tests/docs/make_anytown.py

Run it again only if the example is to change: the files are shipped as made.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import polars as pl
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from strategies.extract_strategies import pounds as pounds_text

from tfrules.data.synth import generate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "anytown"
CANONICAL = Path(__file__).resolve().parent / "anytown_canonical"
HOUSEHOLDS, SEED = 40, 2015
COUNCIL = "E06000099"

POLICE_TYPES = {
    "domestic_abuse": "Domestic Abuse",
    "burglary": "Burglary Dwelling",
    "criminal_damage": "Criminal Damage",
    "violence": "Assault",
    "other": "Other",
}
BENEFITS = {
    "JSA": "Jobseeker's Allowance",
    "ESA": "Employment and Support Allowance",
    "IB": "Incapacity Benefit",
    "IS": "Income Support",
    "CA": "Carer's Allowance",
    "SDA": "Severe Disablement Allowance",
    "UC": "Universal Credit",
    "HB": "Housing Benefit",
}
TERMS = {"autumn": "Autumn Term", "spring": "Spring Term", "summer": "Summer Term"}
CLAIMS = {
    "attachment": "Attachment fee",
    "results": "Results",
    "progress_to_work": "Progress to work",
    "employment": "Continuous employment",
}


def uk(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def yes_no(column: str) -> pl.Expr:
    return pl.when(pl.col(column)).then(pl.lit("Yes")).when(~pl.col(column)).then(pl.lit("No"))


def pounds(column: str) -> pl.Expr:
    return pounds_text(pl.col(column))


def main() -> None:
    frames = generate(HOUSEHOLDS, seed=SEED)
    frames["households"] = frames["households"].with_columns(pl.lit(COUNCIL).alias("la_code"))
    CANONICAL.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.write_parquet(CANONICAL / f"{name}.parquet")
    EXAMPLE.mkdir(parents=True, exist_ok=True)
    for old in EXAMPLE.iterdir():
        if old.suffix in (".csv", ".xlsx"):
            old.unlink()

    frames["households"].select(
        pl.col("household_id").alias("Family ID"),
        uk("attached_on").alias("Date Attached"),
    ).write_csv(EXAMPLE / "Families.csv")
    _people(frames["persons"], EXAMPLE / "Early Help extract.xlsx")

    police = frames["police_incidents"].with_columns(
        uk("incident_date").alias("Date"),
        pl.col("category").replace_strict(POLICE_TYPES).alias("Incident Type"),
    )
    half = police.height // 2
    police[:half].select(
        pl.col("person_id").alias("Person Ref"), "Date", "Incident Type"
    ).write_csv(EXAMPLE / "Police - North.csv")
    south = (
        police[half:]
        .select(pl.col("person_id").alias("PERSON_ID"), "Date", "Incident Type")
        .write_csv(separator=";")
    )
    (EXAMPLE / "Police - South.csv").write_bytes(south.encode("cp1252"))

    frames["school_terms"].select(
        pl.col("person_id").alias("Pupil Ref"),
        pl.format("{}/{}", "academic_year", (pl.col("academic_year") + 1) % 100).alias(
            "Academic Year"
        ),
        pl.col("term").replace_strict(TERMS).alias("Term"),
        pl.col("sessions_possible").alias("Possible Sessions"),
        pl.col("sessions_authorised_absence").alias("Authorised Absence"),
        pl.col("sessions_unauthorised_absence").alias("Unauthorised Absence"),
        pl.col("fixed_exclusions").alias("Fixed Exclusions"),
        yes_no("permanently_excluded").alias("Permanently Excluded"),
        yes_no("alternative_provision").alias("In PRU"),
        yes_no("on_roll").alias("On Roll"),
    ).write_csv(EXAMPLE / "School Attendance.csv")

    frames["benefit_claims"].select(
        pl.col("person_id").alias("Person Ref"),
        pl.col("benefit").replace_strict(BENEFITS).alias("Benefit"),
        uk("start_date").alias("Start"),
        uk("end_date").alias("End"),
    ).write_csv(EXAMPLE / "DWP Benefits.csv")

    frames["housing"].select(
        pl.col("household_id").alias("Family ID"),
        uk("recorded_on").alias("Date"),
        pounds("rent_arrears").alias("Arrears"),
        yes_no("eviction_notice").alias("Notice Served"),
    ).write_csv(EXAMPLE / "Rent Accounts.csv")

    frames["claims"].select(
        pl.col("household_id").alias("Family ID"),
        uk("claimed_on").alias("Claimed"),
        pl.col("claim").replace_strict(CLAIMS).alias("Claim Type"),
        pounds("amount").alias("Amount"),
    ).write_csv(EXAMPLE / "Claims.csv")

    for name in ("offences", "asb", "employment_spells", "work_referrals", "social_care"):
        frames[name].write_csv(EXAMPLE / f"{name}.csv")
    for name in ("health", "custody"):
        frames[name].write_csv(EXAMPLE / f"{name}.csv")


def _people(persons: pl.DataFrame, path: Path) -> None:
    book = xlsxwriter.Workbook(str(path))
    notes = book.add_worksheet("Notes")
    notes.write(0, 0, "Anytown Council Early Help: people in families known to the service")
    sheet = book.add_worksheet("People")
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write(0, 0, "People known to Early Help, March 2015")
    sheet.write_row(2, 0, ["Person ID", "Family ID", "Date of Birth"])
    for number, row in enumerate(persons.iter_rows(named=True), start=3):
        sheet.write(number, 0, row["person_id"])
        sheet.write(number, 1, row["household_id"])
        born: dt.date = row["date_of_birth"]
        sheet.write_datetime(number, 2, dt.datetime(born.year, born.month, born.day), dates)
    book.close()


if __name__ == "__main__":
    main()
