"""The anonymous indicator report: counts across plans for a period.

Built from the summaries' ``PlanFacts`` (no plan model is built). Every count
from 1 to 4 is suppressed ("<5") by ``shown`` — the one rule every output
(screen, JSON, CSV, Word) goes through, via ``Row.cells`` — and so is a
percentage or median that rests on such a count. Codes only: the labels are the caller's.

Secondary suppression (``protect``): where counts add up to a total that is
shown (a row, a column, the plans held or closed), a single suppressed count
could be recomputed by subtraction; another count of the same sum is then hidden
too ("x": not shown, to protect a small count), until no sum has exactly one
hidden count.

Who is counted (one place):
- plans requested / held / agreed / closed: the request, first meeting, first
  agreement or closure dated in the period; followed up: a follow-up held in it;
- the people met (age, gender, sysselsättning and försörjning before, the
  person present, interpreter): first meeting in the period;
- after, and where people moved on: plans closed in the period;
- deviations: dated in the period; replies overdue: as of ``today``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .deviations import reply_overdue
from .enums import CLOSURE_REASONS, DEVIATION_CATEGORIES, Body, DeviationStatus, Gender, Income, Occupation, Outcome
from .facts import PlanFacts
from .followup import PlanSummary

SMALL_CELL_MAX = 4
SUPPRESSED = "<5"
HIDDEN = "x"  # a count of 5 or more, hidden so that a suppressed one cannot be recomputed
DEFAULT_AGE_BANDS = (18, 25)  # lower bounds: 18–24 and 25+
WITHIN_DAYS = 21  # from request to first meeting
UNKNOWN = "unknown"  # a row for "not recorded"
TOTAL = "total"

WORK_OR_STUDIES = {Occupation.WORK, Occupation.STUDIES}
# Moved on (Visa vägen's indicators): from the sysselsättning at closure, or,
# when none was recorded, the reason for closure.
ACTIVITY_OCCUPATIONS = {Occupation.INTERNSHIP, Occupation.STUDIES, Occupation.REHABILITATION}
ACTIVITY_REASONS = {Outcome.INTERNSHIP, Outcome.STUDIES, Outcome.REHABILITATION, Outcome.OTHER_INSATS}


def shown(count: int) -> int | str:
    """A count as it may be shown: 1 to 4 is "<5"."""
    return SUPPRESSED if 1 <= count <= SMALL_CELL_MAX else count


def suppressed(count: int) -> bool:
    return 1 <= count <= SMALL_CELL_MAX


def percent(count: int, base: int) -> float | None:
    """``count`` as a share of ``base``; None when either is suppressed or the base is 0
    (3 of 40 shown as 7.5 % would give the 3 away)."""
    if base <= 0 or suppressed(count) or suppressed(base):
        return None
    return round(100 * count / base, 1)


Cell = tuple[int, int]  # (row index, column index) in a table
# Counts that add up to a total: the total is a cell of the table, or a count
# shown elsewhere in the report (the plans held, the deviations in all).
Sum = tuple[tuple[Cell, ...], Cell | int]


@dataclass(frozen=True)
class Row:
    key: str  # a code: an enum value, an age band ("18–24"), UNKNOWN, TOTAL or a report key
    counts: tuple[int, ...]  # raw, never shown as they are: use cells()
    hidden: frozenset[int] = frozenset()  # columns hidden by secondary suppression

    def is_hidden(self, column: int) -> bool:
        return suppressed(self.counts[column]) or column in self.hidden

    def cells(self) -> tuple[int | str, ...]:
        return tuple(HIDDEN if i in self.hidden else shown(c) for i, c in enumerate(self.counts))


@dataclass(frozen=True)
class Table:
    key: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    row_enum: str = ""  # the enum that labels the rows ("" for report keys or literal bands)
    column_enum: str = ""
    bases: tuple[int, ...] = ()  # per column: percentages of these (none when empty)
    chart: bool = False  # a bar chart reads faster than the table (first column)

    def percents(self, row: Row) -> tuple[float | None, ...]:
        if not self.bases:
            return ()
        return tuple(
            None if row.is_hidden(i) else percent(c, b) for i, (c, b) in enumerate(zip(row.counts, self.bases, strict=True))
        )


@dataclass(frozen=True)
class Report:
    start: dt.date | None
    end: dt.date | None
    today: dt.date
    tables: tuple[Table, ...]
    median_days: float | None  # request to first meeting; None when fewer than 5 plans
    median_base: int

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def to_json(self) -> dict:
        """Counts as shown (suppressed), never the raw ones."""
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "suppressed_below": SMALL_CELL_MAX + 1,
            "median_days_to_first_meeting": self.median_days,
            "tables": [
                {
                    "key": table.key,
                    "columns": list(table.columns),
                    "rows": [
                        {"key": row.key, "counts": list(row.cells()), "percent": list(table.percents(row))}
                        for row in table.rows
                    ],
                }
                for table in self.tables
            ],
        }


def protect(table: Table, sums: list[Sum]) -> Table:
    """Secondary suppression: while a sum has exactly one hidden count among its
    parts and its total, hide the smallest nonzero part still shown (a zero is
    never hidden: "x" says 5 or more), else the total when it is a cell."""
    hidden = {(r, c) for r, row in enumerate(table.rows) for c, n in enumerate(row.counts) if suppressed(n)}

    def value(cell: Cell) -> int:
        return table.rows[cell[0]].counts[cell[1]]

    def total_hidden(total: Cell | int) -> bool:
        return total in hidden if isinstance(total, tuple) else suppressed(total)

    changed = True
    while changed:
        changed = False
        for parts, total in sums:
            if sum(part in hidden for part in parts) + total_hidden(total) != 1:
                continue
            shown_parts = [part for part in parts if part not in hidden and value(part) > 0]
            if shown_parts:
                hidden.add(min(shown_parts, key=value))
            elif isinstance(total, tuple):
                hidden.add(total)
            else:
                continue  # parts that do not add up to the total given: nothing to recompute from
            changed = True
    rows = tuple(
        replace(row, hidden=frozenset(c for c in range(len(row.counts)) if (r, c) in hidden and not suppressed(row.counts[c])))
        for r, row in enumerate(table.rows)
    )
    return replace(table, rows=rows)


def column_sums(rows: range, columns: range, totals: list[Cell | int]) -> list[Sum]:
    """Each column's cells in ``rows`` add up to its total."""
    return [(tuple((r, c) for r in rows), total) for c, total in zip(columns, totals, strict=True)]


def row_sums(rows: range, columns: range, totals: list[Cell | int]) -> list[Sum]:
    """Each row's cells in ``columns`` add up to its total."""
    return [(tuple((r, c) for c in columns), total) for r, total in zip(rows, totals, strict=True)]


def age_band_keys(bands: tuple[int, ...]) -> tuple[str, ...]:
    """(18, 25) -> ("0–17", "18–24", "25+")."""
    bounds = sorted(set(bands))
    keys = [f"0–{bounds[0] - 1}"] if bounds and bounds[0] > 0 else []
    for low, high in zip(bounds, [*bounds[1:], None], strict=True):
        keys.append(f"{low}+" if high is None else f"{low}–{high - 1}")
    return tuple(keys)


def age_band(age: int | None, bands: tuple[int, ...]) -> str:
    if age is None or age < 0:
        return UNKNOWN
    keys = age_band_keys(bands)
    bounds = sorted(set(bands))
    index = sum(1 for bound in bounds if age >= bound) - (0 if bounds and bounds[0] > 0 else 1)
    return keys[index]


def quarter(iso: str) -> str:
    return f"{iso[:4]}-Q{(int(iso[5:7]) - 1) // 3 + 1}"


def build_report(
    summaries: Iterable[PlanSummary],
    today: dt.date,
    start: dt.date | None = None,
    end: dt.date | None = None,
    age_bands: tuple[int, ...] = DEFAULT_AGE_BANDS,
) -> Report:
    low, high = (start.isoformat() if start else ""), (end.isoformat() if end else "\uffff")

    def within(iso: str) -> bool:
        return bool(iso) and low <= iso <= high

    facts = [s.facts for s in summaries if not s.damaged]
    met = [f for f in facts if within(f.first_meeting_on)]
    closed = [f for f in facts if within(f.closed_on)]
    followups = [fu for f in facts for fu in f.followups if within(fu.held)]
    deviations = [d for f in facts for d in f.deviations if within(d.date)]
    waits = [_days(f.requested_on, f.first_meeting_on) for f in met if f.requested_on]
    waits = [w for w in waits if w is not None and w >= 0]

    plans = Table(
        "plans",
        ("count",),
        tuple(
            Row(key, (n,))
            for key, n in (
                ("requested", sum(within(f.requested_on) for f in facts)),
                ("held", len(met)),
                ("agreed", sum(within(f.agreed_on) for f in facts)),
                ("followed_up", sum(any(within(fu.held) for fu in f.followups) for f in facts)),
                ("closed", len(closed)),
            )
        ),
        chart=True,
    )
    return Report(
        start,
        end,
        today,
        (
            plans,
            _age_gender(met, age_bands),
            _before_after(
                "occupation", Occupation, met, closed, lambda f, when: _one(getattr(f, f"{when}_occupation")), True
            ),
            # several sources of income per person: the column adds up to no count shown
            _before_after(
                "income", Income, met, closed, lambda f, when: getattr(f, f"{when}_income") or (UNKNOWN,), False
            ),
            _moved_on(closed),
            _closure_reasons(closed),
            _process(met, followups, waits),
            _deviations(deviations),
            _deviation_status(deviations, today),
        ),
        statistics.median(waits) if len(waits) > SMALL_CELL_MAX else None,
        len(waits),
    )


def _one(code: str) -> tuple[str, ...]:
    return (code or UNKNOWN,)


def _days(first: str, second: str) -> int | None:
    if not first or not second:
        return None
    return (dt.date.fromisoformat(second) - dt.date.fromisoformat(first)).days


def _age_gender(met: list[PlanFacts], bands: tuple[int, ...]) -> Table:
    genders = [g.value for g in Gender] + [UNKNOWN]
    counts = Counter((age_band(f.age, bands), f.gender or UNKNOWN) for f in met)
    rows = []
    for band in [*age_band_keys(bands), UNKNOWN]:
        cells = [counts[band, g] for g in genders]
        rows.append(Row(band, (*cells, sum(cells))))
    totals = [sum(r.counts[i] for r in rows) for i in range(len(genders) + 1)]
    table = Table("age_gender", (*genders, TOTAL), (*rows, Row(TOTAL, tuple(totals))), column_enum="Gender", chart=False)
    last_row, last_column = len(rows), len(genders)
    every_row, every_column = range(last_row + 1), range(last_column + 1)
    return protect(
        table,
        row_sums(every_row, range(last_column), [(r, last_column) for r in every_row])
        + column_sums(range(last_row), every_column, [(last_row, c) for c in every_column]),
    )


def _before_after(key, enum, met, closed, codes, one_each: bool) -> Table:
    """Rows per code, columns before (the people met) and after (the plans closed).
    ``one_each``: one code per plan, so a column adds up to the plans held (closed)."""
    before = Counter(c for f in met for c in codes(f, "before"))
    after = Counter(c for f in closed for c in codes(f, "after"))
    rows = tuple(Row(code, (before[code], after[code])) for code in [*(e.value for e in enum), UNKNOWN])
    table = Table(key, ("before", "after"), rows, row_enum=enum.__name__, bases=(len(met), len(closed)), chart=True)
    return protect(table, column_sums(range(len(rows)), range(2), [len(met), len(closed)]) if one_each else [])


def _moved_on(closed: list[PlanFacts]) -> Table:
    def occupation(f: PlanFacts) -> str:
        return f.after_occupation

    work_or_studies = sum(occupation(f) in WORK_OR_STUDIES for f in closed)
    activity = sum(
        occupation(f) in ACTIVITY_OCCUPATIONS or (not occupation(f) and f.closure_reason in ACTIVITY_REASONS)
        for f in closed
    )
    work = sum(occupation(f) == Occupation.WORK or (not occupation(f) and f.closure_reason == Outcome.WORK) for f in closed)
    rows = (Row("work_or_studies", (work_or_studies,)), Row("to_activity", (activity,)), Row("to_work", (work,)))
    return Table("moved_on", ("count",), rows, bases=(len(closed),), chart=True)


def _closure_reasons(closed: list[PlanFacts]) -> Table:
    """The reasons offered today, then any earlier reason still found on a closed plan."""
    counts = Counter(f.closure_reason or UNKNOWN for f in closed)
    earlier = [o.value for o in Outcome if o not in CLOSURE_REASONS and counts[o.value]]
    keys = [*(o.value for o in CLOSURE_REASONS), *earlier, UNKNOWN]
    rows = tuple(Row(k, (counts[k],)) for k in keys)
    table = Table("closure_reasons", ("count",), rows, row_enum="Outcome", bases=(len(closed),), chart=True)
    return protect(table, column_sums(range(len(rows)), range(1), [len(closed)]))


def _process(met: list[PlanFacts], followups: list, waits: list[int]) -> Table:
    """Each row a count and the count it is a share of."""
    needed = [f for f in met if f.interpreter_needed]
    rows = (
        Row("within_days", (sum(w <= WITHIN_DAYS for w in waits), len(waits))),
        Row("followups_on_time", (sum(fu.on_time for fu in followups), len(followups))),
        Row("person_present", (sum(f.person_present for f in met), len(met))),
        Row("interpreter_met", (sum(f.interpreter_met for f in needed), len(needed))),
    )
    return Table("process", ("count", "of"), rows)


def _deviations(deviations: list) -> Table:
    """Category × body × quarter: a row per category and body, a column per quarter."""
    quarters = sorted({quarter(d.date) for d in deviations})
    counts = Counter((d.type, d.body, quarter(d.date)) for d in deviations)
    pairs = sorted(
        {(d.type, d.body) for d in deviations},
        key=lambda p: (_order(DEVIATION_CATEGORIES, p[0]), _order(list(Body), p[1])),
    )
    rows = []
    for kind, body in pairs:
        cells = [counts[kind, body, q] for q in quarters]
        rows.append(Row(f"{kind}|{body}", (*cells, sum(cells))))
    table = Table("deviations", (*quarters, TOTAL), tuple(rows), row_enum="DeviationType|Body")
    every_row, last = range(len(rows)), len(quarters)
    # A row adds up to its total; the totals add up to the deviations in all (shown in deviation_status).
    sums = row_sums(every_row, range(last), [(r, last) for r in every_row])
    return protect(table, [*sums, *column_sums(every_row, range(last, last + 1), [len(deviations)])])


def _deviation_status(deviations: list, today: dt.date) -> Table:
    rows = (
        Row("open", (sum(d.status != DeviationStatus.CLOSED for d in deviations),)),
        Row("replies_overdue", (sum(reply_overdue(d.status, d.reply_by, today) for d in deviations),)),
        Row("systemfel", (sum(d.systemfel for d in deviations),)),
        Row("closed", (sum(d.status == DeviationStatus.CLOSED for d in deviations),)),
        Row(TOTAL, (len(deviations),)),
    )
    # open and closed add up to the total
    return protect(Table("deviation_status", ("count",), rows), [(((0, 0), (3, 0)), (4, 0))])


def _order(values, code: str) -> int:
    codes = [str(v.value) if hasattr(v, "value") else str(v) for v in values]
    return codes.index(code) if code in codes else len(codes)
