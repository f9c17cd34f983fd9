"""Typing into a meeting: dates and times as people write them, and nothing typed is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sip_tui.meeting import MeetingSession
from sip_tui.models.entry import clean_typed


@pytest.fixture
def session(service):
    return MeetingSession(service, service.new_plan())


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13:30", dt.time(13, 30)),
        ("13.30", dt.time(13, 30)),
        ("1330", dt.time(13, 30)),
        ("9", dt.time(9, 0)),
        ("9.05", dt.time(9, 5)),
        (" 10 ", dt.time(10, 0)),
    ],
)
def test_times_as_people_write_them(session, typed, stored):
    assert session.set("followup.start_time", typed) is None
    assert session.plan.followup.start_time == stored


@pytest.mark.parametrize(
    ("typed", "stored"), [("2027-2-10", dt.date(2027, 2, 10)), ("2027-02-10", dt.date(2027, 2, 10))]
)
def test_dates_with_one_digit_month_or_day(session, typed, stored):
    assert session.set("followup.date", typed) is None
    assert session.plan.followup.date == stored


@pytest.mark.parametrize("typed", ["12/3", "25:00", "13:75", "2027-13-01", "2027-02-30", "kl 10", "10:5"])
def test_what_is_not_a_time_or_date_is_explained_and_kept(session, typed):
    path = "followup.date" if "-" in typed or "/" in typed else "followup.start_time"
    message = session.set(path, typed)
    assert message, "a specific message in the UI language"
    assert session.plan.pending_input[path] == typed, "kept as typed"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=st.text(max_size=12))
def test_any_text_in_a_time_or_date_field_is_accepted_or_explained(service, typed):
    session = MeetingSession(service, service.new_plan())  # the service only gives "today" here
    for path in ("followup.date", "followup.start_time"):
        message = session.set(path, typed)
        kept = clean_typed(typed)  # as typed, less control characters (text pasted from a PDF)
        assert message is None or (message and session.plan.pending_input[path] == kept)


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "2200-01-01"])
def test_a_date_a_plan_cannot_hold_is_explained_and_kept(session, typed):
    """Beyond the plan's date range (a calendar export would overflow): the range is named."""
    from sip_tui.i18n import t
    from sip_tui.models.plan import DATE_MAX, DATE_MIN

    message = session.set("followup.date", typed)
    assert message == t("error.date_out_of_range", min=DATE_MIN.isoformat(), max=DATE_MAX.isoformat())
    assert session.plan.pending_input["followup.date"] == typed
    assert session.plan.followup.date is None
    assert session.set("followup.date", DATE_MAX.isoformat()) is None, "the last day it holds"
    assert session.plan.followup.date == DATE_MAX and "followup.date" not in session.plan.pending_input
