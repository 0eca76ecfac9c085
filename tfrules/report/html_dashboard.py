"""The programme dashboard as one self-contained web page.

Charts are Vega-Lite specifications made with Altair and drawn in the browser
by vega-embed, whose script (from vl-convert, a Python package: no network, no
CDN) is inlined once in the page. Every chart has its figures as a table under
it, so they can be read without the chart, by a screen reader, and copied.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from decimal import Decimal

import altair as alt
import polars as pl
import vl_convert

from tfrules.report.dashboard import money_text
from tfrules.report.figures import AVERAGE, COUNCIL, FigureData

_WIDTH = 520


def _chart(figure: FigureData) -> alt.TopLevelMixin:
    data = figure.frame
    if figure.key == "variation":
        bars = (
            alt.Chart()
            .transform_filter(alt.datum.council != AVERAGE)
            .mark_bar()
            .encode(
                x=alt.X("rate %:Q", title="rate (%)"),
                y=alt.Y(f"{COUNCIL}:N", title=None),
                tooltip=[COUNCIL, "measure", "families", "out of", "rate %"],
            )
        )
        average = (
            alt.Chart()
            .transform_filter(alt.datum.council == AVERAGE)
            .mark_rule(color="black", strokeWidth=2)
            .encode(x="rate %:Q")
        )
        return (
            alt.layer(bars, average, data=data)
            .properties(width=_WIDTH, height=130)
            .facet(
                row=alt.Row(
                    "measure:N",
                    title=None,
                    sort=list(dict.fromkeys(data["measure"].to_list())),
                    header=alt.Header(
                        labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top"
                    ),
                )
            )
        )
    if figure.key == "funnel":
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                y=alt.Y("stage:N", title=None),
                x=alt.X("families:Q"),
                color=alt.Color("stage:N", legend=None),
                row=alt.Row(f"{COUNCIL}:N", title=None),
                tooltip=[COUNCIL, "stage", "families"],
            )
            .properties(width=_WIDTH, height=90)
        )
    if figure.key == "unknowns":
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                y=alt.Y(f"{COUNCIL}:N", title=None),
                x=alt.X("sum(families):Q", title="families with identification unknown"),
                color=alt.Color("missing data:N", legend=alt.Legend(orient="bottom", columns=1)),
                tooltip=[COUNCIL, "missing data", "families"],
            )
            .properties(width=_WIDTH)
        )
    if figure.key == "overlap":
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                y=alt.Y(f"{COUNCIL}:N", title=None),
                x=alt.X("families:Q"),
                color=alt.Color("scheme:N", legend=alt.Legend(orient="bottom")),
                row=alt.Row("families who are:N", title=None),
                tooltip=[COUNCIL, "families who are", "scheme", "families"],
            )
            .properties(width=_WIDTH)
        )
    if figure.key == "savings":
        pounds = data.drop_nulls("amount").with_columns(
            pl.col("amount").cast(pl.Float64).alias("pounds")
        )
        return (
            alt.Chart(pounds)
            .mark_bar()
            .encode(
                y=alt.Y(f"{COUNCIL}:N", title=None),
                x=alt.X("pounds:Q", title="£", axis=alt.Axis(format=",.0f")),
                color=alt.Color("amount of:N", legend=alt.Legend(orient="bottom")),
                yOffset="amount of:N",
                tooltip=[COUNCIL, "amount of", alt.Tooltip("pounds:Q", format=",.2f")],
            )
            .properties(width=_WIDTH)
        )
    if figure.key == "savings_by_agency":
        pounds = data.drop_nulls("amount").with_columns(
            pl.col("amount").cast(pl.Float64).alias("pounds")
        )
        return (
            alt.Chart(pounds)
            .mark_bar()
            .encode(
                y=alt.Y(f"{COUNCIL}:N", title=None),
                x=alt.X("pounds:Q", title="£", axis=alt.Axis(format=",.0f")),
                color=alt.Color("agency:N", legend=alt.Legend(orient="bottom", columns=3)),
                tooltip=[COUNCIL, "agency", alt.Tooltip("pounds:Q", format=",.2f")],
            )
            .properties(width=_WIDTH)
        )
    if figure.key == "money":
        # the chart plots pounds as numbers; the exact amounts are in the table under it
        pounds = data.with_columns(pl.col("amount").cast(pl.Float64).alias("pounds"))
        return (
            alt.Chart(pounds)
            .mark_bar()
            .encode(
                y=alt.Y("amount of:N", title=None),
                x=alt.X("pounds:Q", title="£", axis=alt.Axis(format=",.0f")),
                color=alt.Color("programme:N", legend=alt.Legend(orient="bottom")),
                row=alt.Row(f"{COUNCIL}:N", title=None),
                yOffset="programme:N",
                tooltip=[COUNCIL, "programme", "amount of", alt.Tooltip("pounds:Q", format=",.2f")],
            )
            .properties(width=_WIDTH)
        )
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("quarter:O", title=None),
            y=alt.Y("families:Q"),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom")),
            tooltip=["quarter", "series", "families"],
        )
        .properties(width=_WIDTH + 100)
    )


def _cell(value: object) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _table(frame: pl.DataFrame, caption: str) -> str:
    e = html.escape
    numeric = {c for c, t in frame.schema.items() if t.is_numeric()}
    head = "".join(
        f'<th scope="col"{" class=n" if c in numeric else ""}>{e(c)}</th>' for c in frame.columns
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if c in numeric else ''}>{e(_cell(v))}</td>"
            for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.iter_rows()
    )
    return (
        f"<table><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


_STYLE = """
body{font-family:system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:72rem;
line-height:1.45;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.5rem;border-top:1px solid #ccc;
padding-top:1rem}
.chart{overflow-x:auto;max-width:100%}
details{margin:.5rem 0 1rem}
.tablewrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#444}
"""


def render_page(
    figures: Sequence[FigureData],
    *,
    as_of: dt.date,
    rulesets: dict[str, str],
    notes: Sequence[str] = (),
) -> str:
    """The whole page: one HTML file with its scripts inlined."""
    e = html.escape
    bundle = vl_convert.javascript_bundle()
    sections: list[str] = []
    scripts: list[str] = []
    for number, figure in enumerate(figures, start=1):
        spec = _chart(figure).to_dict()
        target = f"chart-{figure.key}"
        sections.append(
            f'<section id="{e(figure.key)}"><h2>{number}. {e(figure.title)}</h2>'
            f'<p class="note">{e(figure.description)}</p>'
            f'<div class="chart" id="{target}" role="img" aria-label="{e(figure.title)}"></div>'
            f'<div class="tablewrap">{_table(figure.figures, figure.title + ": the figures")}</div>'
            "</section>"
        )
        scripts.append(
            f"vegaEmbed({json.dumps('#' + target)}, {json.dumps(spec, default=str)}, "
            '{"renderer": "svg", "actions": false}).catch(function (error) {'
            f" document.getElementById({json.dumps(target)}).textContent = "
            '"The chart could not be drawn: " + error; });'
        )
    used = "".join(f"<li>{e(p)}: <code>{e(r)}</code></li>" for p, r in rulesets.items())
    extra = "".join(f"<li>{e(n)}</li>" for n in notes)
    contents = "".join(f'<li><a href="#{e(f.key)}">{e(f.title)}</a></li>' for f in figures)
    # the inlined bundle is a classic script; '</script' cannot occur inside it
    safe_bundle = bundle.replace("</script", "<\\/script")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Programme dashboard, as of {as_of}</title>
<style>{_STYLE}</style>
<script>{safe_bundle}</script>
</head><body>
<h1>Programme dashboard, as of {as_of}</h1>
<ul>{used}{extra}</ul>
<nav aria-label="Contents"><ol>{contents}</ol></nav>
{"".join(sections)}
<script>{"".join(scripts)}</script>
</body></html>
"""
