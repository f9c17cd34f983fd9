"""The anonymous indicator report: a generated store with known counts gives
exactly those counts in the screen, JSON, CSV and Word report, and no output
ever shows a count from 1 to 4."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from ui_helpers import until, widget_text

from sip_tui.app import build_app
from sip_tui.models.enums import Body, DeviationStatus, DeviationType, Gender, Income, Occupation, Outcome, PlanStatus
from sip_tui.models.facts import DeviationFacts, PlanFacts
from sip_tui.models.followup import PlanSummary
from sip_tui.models.plan import Agreement, Closure, Deviation, Indicators, Person, Plan, Situation
from sip_tui.models.report import HIDDEN, SUPPRESSED, TOTAL, build_report, shown

PERIOD = ("--from", "2025-01-01", "--to", "2025-12-31")


def _plan(first_meeting, requested, gender=None, birth_year=None, pnr=None, before=None, income=()):
    plan = Plan(person=Person(name="Påhittad Person", personnummer=pnr))
    plan.meeting.date = first_meeting
    plan.meeting.initiated_on = requested
    plan.indicators = Indicators(
        gender=gender, birth_year=birth_year, before=Situation(occupation=before, income=list(income))
    )
    return plan


def known_store(service) -> None:
    """15 people met in 2025 (7 women aged 22, 6 men aged 45, 2 men aged 20), one met in 2024;
    9 deviations (6 late insatser at the region in Q1, sent and overdue; 3 consent problems at the kommun in Q2)."""
    for _ in range(7):
        plan = _plan(dt.date(2025, 2, 10), dt.date(2025, 2, 1), Gender.WOMAN, 2003, None, Occupation.JOB_SEEKING,
                     [Income.SOCIAL_ASSISTANCE])
        plan.status = PlanStatus.CLOSED
        plan.indicators.after = Situation(occupation=Occupation.WORK, income=[Income.NO_PUBLIC])
        plan.closure = Closure(date=dt.date(2025, 6, 1), outcome=Outcome.WORK)
        service.save(plan)
    for index in range(6):
        plan = _plan(dt.date(2025, 3, 5), dt.date(2025, 1, 1), Gender.MAN, None, "19800101-0001", Occupation.NONE,
                     [Income.SICKNESS_BENEFIT])
        plan.status, plan.version = PlanStatus.AGREED, 1
        plan.agreement = Agreement(at=dt.datetime(2025, 3, 5, 10, tzinfo=dt.UTC), by=["Påhittad Person"])
        if index == 0:
            plan.deviations = [
                *(Deviation(date=dt.date(2025, 2, 1 + n), type=DeviationType.INSATS_LATE, body=Body.REGION,
                            status=DeviationStatus.SENT, reply_by=dt.date(2025, 3, 1)) for n in range(6)),
                *(Deviation(date=dt.date(2025, 5, 1 + n), type=DeviationType.CONSENT, body=Body.KOMMUN)
                  for n in range(3)),
            ]
        service.save(plan)
    for _ in range(2):
        service.save(_plan(dt.date(2025, 4, 1), dt.date(2025, 3, 20), Gender.MAN, 2005))
    service.save(_plan(dt.date(2024, 5, 1), dt.date(2024, 4, 1), Gender.WOMAN, 1990))


def _rows(report_json: dict, key: str) -> dict[str, list]:
    table = next(t for t in report_json["tables"] if t["key"] == key)
    return {row["key"]: row["counts"] for row in table["rows"]}


# Secondary suppression hides a count of 5 or more ("x") wherever a sum shown
# would give a "<5" away: the two men of 18–24 (row and column), then each count
# that a hidden one left alone in its row or column, the men of 25+ included.
EXPECTED = {
    ("plans", "requested"): [15],
    ("plans", "held"): [15],
    ("plans", "agreed"): [6],
    ("plans", "closed"): [7],
    ("plans", "followed_up"): [0],
    ("age_gender", "18–24"): [HIDDEN, SUPPRESSED, 0, 0, 0, HIDDEN],
    ("age_gender", "25+"): [0, HIDDEN, 0, 0, 0, HIDDEN],
    ("age_gender", "total"): [HIDDEN, HIDDEN, 0, 0, 0, 15],
    ("occupation", "arbetssokande"): [7, 0],
    ("occupation", "ingen"): [HIDDEN, 0],  # 15 held - 7 - 6 would give the 2 not recorded away
    ("occupation", "unknown"): [SUPPRESSED, 0],
    ("occupation", "forvarvsarbete"): [0, 7],
    ("income", "ingen_offentlig"): [0, 7],
    ("moved_on", "work_or_studies"): [7],
    ("moved_on", "to_work"): [7],
    ("moved_on", "to_activity"): [0],
    ("closure_reasons", "arbete"): [7],
    ("process", "within_days"): [9, 15],
    ("process", "person_present"): [15, 15],
    ("deviations", "insats_forsenad|region"): [HIDDEN, 0, HIDDEN],  # 9 in all - 6 would give the 3 away
    ("deviations", "samtycke|kommun"): [0, SUPPRESSED, SUPPRESSED],
    ("deviation_status", "replies_overdue"): [6],
    ("deviation_status", "open"): [9],
    ("deviation_status", "total"): [9],
}


def test_json_gives_exactly_the_known_counts(service, store_dir, cli):
    known_store(service)
    run = cli("--store", store_dir, "report", *PERIOD, "--json")
    assert run.code == 0, run.err
    report = run.json()
    for (table, row), counts in EXPECTED.items():
        assert _rows(report, table)[row] == counts, (table, row)
    assert report["median_days_to_first_meeting"] == 12
    deviations = next(t for t in report["tables"] if t["key"] == "deviations")
    assert deviations["columns"] == ["2025-Q1", "2025-Q2", "total"]
    moved = next(t for t in report["tables"] if t["key"] == "moved_on")
    assert moved["rows"][0]["percent"] == [100.0]


def test_csv_gives_the_same_counts(service, store_dir, cli, tmp_path):
    known_store(service)
    out = tmp_path / "rapport.csv"
    assert cli("--store", store_dir, "report", *PERIOD, "--csv", out).code == 0
    lines = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    by_cell = {(r["table"], r["row"], r["column"]): r["count"] for r in lines}
    assert by_cell["age_gender", "18–24", "kvinna"] == HIDDEN
    assert by_cell["age_gender", "18–24", "man"] == SUPPRESSED
    assert by_cell["plans", "requested", "count"] == "15"
    assert by_cell["deviation_status", "replies_overdue", "count"] == "6"
    assert by_cell["deviations", "samtycke|kommun", "2025-Q2"] == SUPPRESSED
    assert out.stat().st_mode & 0o777 == 0o600


def test_word_report_gives_the_same_counts_and_draws_bars(service, store_dir, cli, tmp_path):
    known_store(service)
    out = tmp_path / "rapport.docx"
    assert cli("--store", store_dir, "report", *PERIOD, "--docx", out).code == 0
    document = Document(str(out))
    rows = {tuple(c.text for c in row.cells) for table in document.tables for row in table.rows}
    assert ("18–24", HIDDEN, SUPPRESSED, "0", "0", "0", HIDDEN) in rows
    assert ("Totalt", HIDDEN, HIDDEN, "0", "0", "0", "15") in rows
    assert ("Begärda", "15") in rows
    assert ("Avslutade", "7") in rows
    assert ("Svar försenade", "6") in rows
    images = [p for p in document.part.package.parts if p.content_type == "image/png"]
    assert images, "the charts are PNG images"
    assert all(p.blob.startswith(b"\x89PNG") for p in images)


def test_text_report_names_no_one(service, store_dir, cli):
    known_store(service)
    run = cli("--store", store_dir, "report", *PERIOD)
    assert run.code == 0
    assert "Påhittad" not in run.out and "19800101" not in run.out
    assert "Begärda" in run.out and SUPPRESSED in run.out


def test_a_reversed_period_or_a_bad_date_gets_a_message(store_dir, cli, capsys):
    run = cli("--store", store_dir, "report", "--from", "2025-12-01", "--to", "2025-01-01")
    assert run.code == 1 and "--from" in run.err
    with pytest.raises(SystemExit) as usage:
        cli("--store", store_dir, "report", "--from", "igår")
    assert usage.value.code == 2 and "ÅÅÅÅ-MM-DD" in capsys.readouterr().err


async def test_report_screen_shows_the_known_counts_and_bars(service):
    known_store(service)
    app = build_app(service)
    async with app.run_test(size=(120, 60)) as pilot:
        app.show_report()
        await until(pilot, lambda: getattr(app.screen, "report", None) is not None)
        app.screen.query_one("#report-from").value = "2025-01-01"
        app.screen.query_one("#report-to").value = "2025-12-31"
        app.screen.report = None
        app.screen.refresh_report()
        await until(pilot, lambda: app.screen.report is not None)
        await until(pilot, lambda: "█" in widget_text(app.screen))
        text = widget_text(app.screen)
        plans = str(app.screen.query_one("#report-plans").render())
        assert "Begärda" in plans and "15" in plans
        ages = str(app.screen.query_one("#report-age_gender").render())
        assert "18–24" in ages and f" {HIDDEN} " in ages and SUPPRESSED in ages and " 15" in ages
        assert "Påhittad" not in text


# -- suppression in every output -------------------------------------------------


@given(st.integers(min_value=0, max_value=10_000))
def test_shown_never_gives_a_count_from_1_to_4(count):
    assert shown(count) == (SUPPRESSED if 1 <= count <= 4 else count)


facts = st.builds(
    PlanFacts,
    requested_on=st.sampled_from(["", "2025-01-05", "2025-02-10"]),
    first_meeting_on=st.sampled_from(["", "2025-02-01", "2025-03-01"]),
    closed_on=st.sampled_from(["", "2025-06-01"]),
    closure_reason=st.sampled_from([o.value for o in Outcome]),
    age=st.one_of(st.none(), st.integers(10, 80)),
    gender=st.sampled_from(["", *(g.value for g in Gender)]),
    before_occupation=st.sampled_from(["", *(o.value for o in Occupation)]),
    after_occupation=st.sampled_from(["", *(o.value for o in Occupation)]),
    deviations=st.lists(
        st.builds(DeviationFacts, id=st.just("a1"), date=st.sampled_from(["2025-02-01", "2025-08-01"]),
                  type=st.sampled_from([d.value for d in DeviationType]), body=st.sampled_from([b.value for b in Body]),
                  unit=st.just(""), status=st.sampled_from([s.value for s in DeviationStatus]),
                  reply_by=st.sampled_from(["", "2025-03-01"]), systemfel=st.booleans()),
        max_size=6,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(facts, max_size=30))
def test_no_output_shows_a_count_from_1_to_4(many):
    from sip_tui.export.report import csv_bytes, text_lines

    summaries = [PlanSummary(f"p{i}", "", "avslutad", 1, None, "", "", "", facts=f) for i, f in enumerate(many)]
    report = build_report(summaries, dt.date(2026, 1, 1))
    for table in report.to_json()["tables"]:
        for row in table["rows"]:
            assert not any(isinstance(c, int) and 1 <= c <= 4 for c in row["counts"])
            assert all(p is None or p in (0.0, 100.0) or 0 < p < 100 for p in row["percent"])
    for line in csv.DictReader(io.StringIO(csv_bytes(report).decode("utf-8-sig"))):
        assert line["count"] not in {"1", "2", "3", "4"}
    for line in text_lines(report)[4:]:  # after the heading, which explains the rule
        assert not any(cell in {"1", "2", "3", "4"} for cell in line.split())
    if report.median_base < 5:
        assert report.median_days is None


def test_a_share_of_a_suppressed_count_is_not_shown():
    few = [PlanFacts(closed_on="2025-06-01", after_occupation="forvarvsarbete")] * 3
    many = [PlanFacts(closed_on="2025-06-01", after_occupation="ingen")] * 20
    summaries = [PlanSummary(f"p{i}", "", "avslutad", 1, None, "", "", "", facts=f) for i, f in enumerate(few + many)]
    table = build_report(summaries, dt.date(2026, 1, 1)).table("moved_on")
    row = next(r for r in table.rows if r.key == "work_or_studies")
    assert row.cells() == (SUPPRESSED,)
    assert table.percents(row) == (None,)  # 3 of 23 as 13.0 % would give the 3 away


def test_old_plans_without_indicators_still_load_and_count(service, store_dir, cli):
    plan = Plan.model_validate({"person": {"name": "X"}, "deviations": [{"id": "abc", "type": "remiss_bollad"}]})
    service.save(plan)
    assert service.open(plan.id).deviations[0].status == DeviationStatus.REGISTERED
    assert cli("--store", store_dir, "report", "--json").code == 0


@pytest.mark.parametrize("bands,age,band", [((18, 25), 24, "18–24"), ((18, 25), 25, "25+"), ((18, 25, 65), 70, "65+")])
def test_age_bands_are_configurable(bands, age, band):
    from sip_tui.models.report import age_band

    assert age_band(age, bands) == band


# -- secondary suppression: no "<5" can be worked out from a sum ------------------


def _derivable(parts: list, total) -> bool:
    """One value of a sum not shown, and every other one shown: total minus the rest gives it."""
    return [isinstance(v, int) for v in [*parts, total]].count(False) == 1


def _sums_of(report_json: dict) -> list[tuple[list, object]]:
    """Every sum a reader of the report can form from what it shows (parts, total)."""
    tables = {t["key"]: t for t in report_json["tables"]}
    plans = {row["key"]: row["counts"][0] for row in tables["plans"]["rows"]}
    sums = []
    grid = [row["counts"] for row in tables["age_gender"]["rows"]]
    for row in grid:  # each age band (and the total row): its genders add up to its total
        sums.append((row[:-1], row[-1]))
    for column in range(len(grid[0])):  # each gender (and the total column): its bands add up to the total row
        sums.append(([row[column] for row in grid[:-1]], grid[-1][column]))
    sums.append(([grid[-1][-1]], plans["held"]))
    occupation = [row["counts"] for row in tables["occupation"]["rows"]]
    sums.append(([row[0] for row in occupation], plans["held"]))
    sums.append(([row[1] for row in occupation], plans["closed"]))
    sums.append(([row["counts"][0] for row in tables["closure_reasons"]["rows"]], plans["closed"]))
    status = {row["key"]: row["counts"][0] for row in tables["deviation_status"]["rows"]}
    sums.append(([status["open"], status["closed"]], status["total"]))
    deviations = [row["counts"] for row in tables["deviations"]["rows"]]
    for row in deviations:
        sums.append((row[:-1], row[-1]))
    if deviations:
        sums.append(([row[-1] for row in deviations], status["total"]))
    return sums


@settings(max_examples=80, deadline=None)
@given(st.lists(facts, max_size=40))
def test_no_suppressed_count_can_be_worked_out_from_a_total(many):
    summaries = [PlanSummary(f"p{i}", "", "avslutad", 1, None, "", "", "", facts=f) for i, f in enumerate(many)]
    report = build_report(summaries, dt.date(2026, 1, 1))
    shown_json = report.to_json()
    for parts, total in _sums_of(shown_json):
        assert not _derivable(parts, total), (parts, total)
    for table, shown_table in zip(report.tables, shown_json["tables"], strict=True):
        for row, shown_row in zip(table.rows, shown_table["rows"], strict=True):
            shares = table.percents(row) or (None,) * len(row.counts)
            for raw, cell, share in zip(row.counts, row.cells(), shares, strict=True):
                if cell == HIDDEN:
                    assert raw >= 5 and share is None  # hidden, never misstated, and no share gives it away
                elif cell != SUPPRESSED:
                    assert cell == raw  # what is shown is the true count
            assert shown_row["counts"] == list(row.cells())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=1, max_size=5))
def test_protect_leaves_no_row_or_column_with_one_hidden_count(grid):
    """Any table of counts with its row and column totals."""
    from sip_tui.models.report import Row, Table, column_sums, protect, row_sums

    rows = [Row(str(i), (*counts, sum(counts))) for i, counts in enumerate(grid)]
    totals = tuple(sum(r.counts[c] for r in rows) for c in range(4))
    table = Table("t", ("a", "b", "c", TOTAL), (*rows, Row(TOTAL, totals)))
    last_row, every_row, every_column = len(rows), range(len(rows) + 1), range(4)
    sums = row_sums(every_row, range(3), [(r, 3) for r in every_row]) + column_sums(
        range(last_row), every_column, [(last_row, c) for c in every_column]
    )
    cells = [row.cells() for row in protect(table, sums).rows]
    for row in cells:
        assert not _derivable(list(row[:-1]), row[-1])
    for column in every_column:
        assert not _derivable([row[column] for row in cells[:-1]], cells[-1][column])
    for raw_row, shown_row in zip(table.rows, cells, strict=True):
        for raw, cell in zip(raw_row.counts, shown_row, strict=True):
            assert cell == shown(raw) or (cell == HIDDEN and raw >= 5)
