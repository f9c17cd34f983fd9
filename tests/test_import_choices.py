"""Choosing field by field between the stored plan and an import (models.diff):
whatever the choice, each field holds exactly the side chosen for it."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sip_tui.describe import change_sides
from sip_tui.models.diff import IMPORT_IGNORED, Change, diff_plans, take_changes
from sip_tui.models.enums import Body, PlanStatus
from sip_tui.models.plan import Goal, Insats, Person, Plan

STORED = Plan(
    person=Person(name="Alva Påhittad", personnummer="19970412-2382", phone="070-1"),
    situation="Sparat nu",
    goals=[Goal(id="g1", text="Eget boende"), Goal(id="g2", text="Bara sparad")],
    insatser=[Insats(id="i1", what="Boendestöd", body=Body.KOMMUN)],
    pending_input={"person.email": "anna@", "insatser.i1.start": "kl 9"},
)
FILE = Plan(
    id=STORED.id,
    person=Person(name="Alva Påhittad", personnummer="19970412-2382", phone="070-2", email="alva@example.se"),
    situation="I filen",
    goals=[Goal(id="g0", text="Bara i filen"), Goal(id="g1", text="Eget boende i stan")],
    insatser=[Insats(id="i1", what="Boendestöd", body=Body.REGION, start=dt.date(2026, 4, 1))],
    pending_input={"insatser.i1.start": "kl 10", "meeting.date": "1 april"},
    change_reason="Ny anledning",
)
CHANGES = diff_plans(STORED, FILE, IMPORT_IGNORED)


def _key(change: Change) -> tuple[str, str, str]:
    return change.section, change.item_id, change.field


def test_every_field_that_differs_is_one_choice_kept_input_and_rows_included():
    assert sorted(map(_key, CHANGES)) == sorted(
        [
            ("person", "", "phone"),
            ("person", "", "email"),
            ("situation", "", ""),
            ("goals", "g0", ""),  # a row only the file has
            ("goals", "g1", "text"),
            ("goals", "g2", ""),  # a row only the stored plan has
            ("insatser", "i1", "body"),
            ("insatser", "i1", "start"),
            ("pending_input", "", "person.email"),
            ("pending_input", "", "insatser.i1.start"),
            ("pending_input", "", "meeting.date"),
            ("change_reason", "", ""),
        ]
    )


@given(st.lists(st.booleans(), min_size=len(CHANGES), max_size=len(CHANGES)))
def test_each_field_holds_the_side_chosen_for_it(taken: list[bool]):
    chosen = [change for change, take in zip(CHANGES, taken, strict=True) if take]
    merged = take_changes(STORED, FILE, chosen)

    still_stored = {_key(change) for change in diff_plans(STORED, merged, IMPORT_IGNORED)}
    still_file = {_key(change) for change in diff_plans(merged, FILE, IMPORT_IGNORED)}
    assert still_stored == {_key(change) for change in chosen}, "what was taken, and only that, changed"
    assert still_file == {_key(change) for change, take in zip(CHANGES, taken, strict=True) if not take}
    assert merged.revision == STORED.revision and merged.status is PlanStatus.DRAFT, "saved as the stored plan"


def test_a_row_taken_from_the_file_stands_where_it_stands_there():
    merged = take_changes(STORED, FILE, [c for c in CHANGES if c.item_id == "g0"])
    assert [g.id for g in merged.goals] == ["g0", "g1", "g2"]


def test_the_two_sides_are_said_in_words_and_a_personnummer_never_in_full():
    plans = (STORED, FILE)
    said = {_key(change): change_sides(change, plans) for change in CHANGES}
    assert said[("goals", "g2", "")][1:] == ("raden finns", "–")
    assert said[("insatser", "i1", "body")] == ("Insats: Boendestöd: Ansvarar", "Kommun", "Region")
    assert said[("goals", "g1", "text")][0] == "Mål: Eget boende i stan: Målet med personens egna ord"
    assert said[("change_reason", "", "")][0] == "Varför ändras planen (ändringsorsak)", "said once"
    assert said[("pending_input", "", "meeting.date")][1:] == ("–", "1 april")
    changed = Plan(id=STORED.id, person=Person(name="Alva Påhittad", personnummer="19970412-2390"))
    (number,) = [c for c in diff_plans(STORED, changed, IMPORT_IGNORED) if c.field == "personnummer"]
    _, before, after = change_sides(number, (STORED, changed))
    assert "2382" not in before and "2390" not in after and before.startswith("19970412")
