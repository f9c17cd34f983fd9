"""What must be in place before a plan may be agreed, beyond the fields
being filled: consent with a scope that is still valid, a follow-up that has
not already passed."""

from __future__ import annotations

import datetime as dt

import pytest

from sip_tui.demo import _complete_plan
from sip_tui.i18n import t
from sip_tui.models import lifecycle
from sip_tui.models.rules import missing_for_agreement

MEETING = dt.date(2026, 3, 10)
AT_MEETING = dt.datetime(2026, 3, 10, 11, 30)


def complete():
    return _complete_plan("Maja Påhittad", None, MEETING, MEETING + dt.timedelta(days=60))


def codes(plan, today=MEETING) -> list[str]:
    return [m.code for m in missing_for_agreement(plan, today)]


def test_a_complete_plan_lacks_nothing():
    assert codes(complete()) == []


@pytest.mark.parametrize("field", ["actors", "information"])
def test_consent_without_its_scope_is_not_enough(field):
    plan = complete()
    setattr(plan.consent, field, "  ")
    assert codes(plan) == ["consent_scope"]


def test_expired_consent_is_named_with_its_date():
    plan = complete()
    plan.consent.valid_until = MEETING - dt.timedelta(days=1)
    [item] = missing_for_agreement(plan, MEETING)
    assert item.step == "consent"
    assert t(f"missing.{item.code}", **item.params).startswith("Samtycket gällde till 2026-03-09")


def test_consent_valid_through_today_is_enough():
    plan = complete()
    plan.consent.valid_until = MEETING
    assert codes(plan) == []


def test_a_follow_up_already_passed_must_be_rebooked():
    plan = complete()
    plan.followup.date = MEETING - dt.timedelta(days=1)
    plan.meeting.date = MEETING - dt.timedelta(days=30)
    [item] = missing_for_agreement(plan, MEETING)
    assert (item.code, item.step) == ("followup_past", "responsibility")
    assert "2026-03-09" in t("missing.followup_past", **item.params)


def test_agreement_is_refused_for_what_is_missing_on_the_agreement_day():
    plan = complete()
    plan.consent.valid_until = MEETING + dt.timedelta(days=10)
    lifecycle.agree(plan, ["Maja Påhittad"], AT_MEETING)  # fine on the meeting day
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.agree(plan, ["Maja Påhittad"], AT_MEETING + dt.timedelta(days=20))
    assert [m.code for m in refused.value.missing] == ["consent_expired"]



def test_names_pasted_with_control_or_bidi_characters_are_agreed_cleaned():
    """A name copied from a list in Word: the agreement keeps the name, not the
    characters that would make the plan unsaveable (and the meeting crash)."""
    agreed = lifecycle.agree(complete(), ["Maja Påhittad", "Olle\x01 Berg\u202e", "\x07"], AT_MEETING)
    assert agreed.agreement.by == ["Maja Påhittad", "Olle Berg"]

def test_rows_left_half_filled_are_named_by_number():
    from sip_tui.models.plan import Goal, Need, Participant

    plan = complete()
    plan.participants.append(Participant(role="Kurator"))
    plan.goals.append(Goal(text="  "))
    plan.needs.append(Need())
    missing = missing_for_agreement(plan, MEETING)
    assert [(m.code, m.step, m.params["number"]) for m in missing] == [
        ("participant_name", "consent", str(len(plan.participants))),
        ("goal_text", "goals", str(len(plan.goals))),
        ("need_text", "needs", str(len(plan.needs))),
    ]


def test_a_new_version_needs_its_change_reason():
    plan = lifecycle.start_followup(lifecycle.agree(complete(), ["Maja Påhittad"], AT_MEETING), MEETING)
    plan.followup.date, plan.followup.held = MEETING + dt.timedelta(days=90), False
    assert codes(plan) == ["change_reason"]
    plan.change_reason = "Ny tid för uppföljningen."
    assert codes(plan) == []
