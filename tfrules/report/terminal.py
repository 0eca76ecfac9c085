"""The programme dashboard for a terminal of any width, 80 columns included.

Each section's figures are laid out as tables that fit the width: a column is
as wide as its widest figure or the longest word of its heading, so headings
wrap between words and are never cut; a section with more figures than fit
is split into several tables. Councils are shown by name, their ONS codes in
a legend under the tables.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from tfrules.data.councils import COUNCIL_NAMES
from tfrules.report.dashboard import TOTAL, Dashboard, cell

#: Characters a column takes beside its text: one space either side and a border.
_COLUMN_EXTRA = 3


def short_council(label: str) -> str:
    """`Leeds (E08000035)` -> `Leeds`; a code with no known name stays a code."""
    name, _, rest = label.partition(" (")
    return name if rest.endswith(")") and rest[:-1] in COUNCIL_NAMES else label


def _text_width(heading: str, values: Sequence[str]) -> int:
    longest_word = max((len(word) for word in heading.split()), default=0)
    return max(longest_word, *(len(v) for v in values))


def _packed(widths: Sequence[int], room: int) -> Iterator[range]:
    """Consecutive runs of columns whose widths fit in `room` (at least one each)."""
    start, used = 0, 0
    for index, width in enumerate(widths):
        needed = width + _COLUMN_EXTRA
        if index > start and used + needed > room:
            yield range(start, index)
            start, used = index, 0
        used += needed
    if start < len(widths):
        yield range(start, len(widths))


def dashboard_tables(dashboard: Dashboard, width: int) -> list[RenderableType]:
    """The dashboard's sections as tables that fit in `width` columns."""
    rows = list(dashboard.table.iter_rows(named=True))
    councils = [short_council(row["council"]) for row in rows]
    council_width = max(len(name) for name in [*councils, "council"])
    room = max(width - council_width - _COLUMN_EXTRA - 1, 1)
    out: list[RenderableType] = []
    for section, columns in dashboard.sections.items():
        cells = {c: [cell(dashboard, c, row[c]) for row in rows] for c in columns}
        widths = [_text_width(c, cells[c]) for c in columns]
        parts = list(_packed(widths, room))
        for number, part in enumerate(parts, start=1):
            title = section if len(parts) == 1 else f"{section} ({number} of {len(parts)})"
            table = Table(
                title=title,
                title_style="bold",
                title_justify="left",
                box=box.SQUARE,
                show_edge=True,
            )
            table.add_column("council", min_width=council_width, no_wrap=True)
            for index in part:
                table.add_column(
                    columns[index],
                    justify="right",
                    min_width=widths[index],
                    max_width=widths[index],
                )
            for row_index, name in enumerate(councils):
                style = "bold" if rows[row_index]["council"] == TOTAL else None
                figures = [cells[columns[i]][row_index] for i in part]
                table.add_row(name, *figures, style=style)
            out.append(table)
    legend = [
        f"{short_council(row['council'])}: {row['council'].rpartition('(')[2].rstrip(')')}"
        for row in rows
        if row["council"] != TOTAL and short_council(row["council"]) != row["council"]
    ]
    if legend:
        out.append(Text("Councils by ONS code: " + "; ".join(legend), style="dim"))
    return out


def print_dashboard_tables(dashboard: Dashboard, terminal: Console) -> None:
    for renderable in dashboard_tables(dashboard, terminal.width):
        terminal.print(renderable)
