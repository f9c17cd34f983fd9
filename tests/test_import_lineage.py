"""A plan carried between stores (a laptop, a colleague's store, a team server)
comes back without undoing a save made meanwhile: revisions of two stores are not
comparable, so a file counts as based on the stored plan only if it descends from
that very save (models.lineage)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXED_NOW

from sip_tui.demo import load_demo
from sip_tui.models.interchange import parse_document
from sip_tui.models.lineage import based_on
from sip_tui.models.plan import Plan
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store.store import ImportConflict

LATER = FIXED_NOW + dt.timedelta(hours=2)


def _store(folder: Path) -> PlanService:
    return PlanService(PlanStore(folder, user="test"), clock=lambda: LATER)


def _carry(source: PlanService, plan_id: str, target: PlanService, tmp_path: Path, name: str) -> Plan:
    """Export the plan from one store and import it into another, as a person would."""
    path = source.export_json_file(source.open(plan_id), tmp_path / f"{name}.json")
    return target.import_document(parse_document(path.read_bytes())).plan


def _edit(service: PlanService, plan_id: str, **fields: str) -> Plan:
    plan = service.open(plan_id)
    for name, value in fields.items():
        setattr(plan, name, value)
    return service.save(plan)


@pytest.fixture
def office_and_laptop(tmp_path: Path) -> tuple[PlanService, PlanService, str]:
    office, laptop = _store(tmp_path / "office"), _store(tmp_path / "laptop")
    load_demo(office)
    plan_id = next(s.id for s in office.scan().summaries if s.name == "Alva Påhittad")
    _carry(office, plan_id, laptop, tmp_path, "to-laptop")
    return office, laptop, plan_id


def test_a_file_from_a_store_that_saved_more_often_does_not_undo_a_save_made_meanwhile(office_and_laptop, tmp_path):
    office, laptop, plan_id = office_and_laptop
    _edit(office, plan_id, strengths="Sparad på kontoret")
    for word in ("ett", "två", "tre", "fyra"):  # the laptop saves more often: its revisions run ahead
        _edit(laptop, plan_id, situation=f"Sparad på datorn: {word}")
    back = laptop.export_json_file(laptop.open(plan_id), tmp_path / "back.json")
    document = parse_document(back.read_bytes())

    with pytest.raises(ImportConflict):
        office.import_document(document)

    assert office.open(plan_id).strengths == "Sparad på kontoret", "the office's save stays"
    choices = office.import_choices(document)
    assert choices is not None, "the two are the same version: the facilitator chooses field by field"
    assert {(c.section, c.field) for c in choices.changes} == {("situation", ""), ("strengths", "")}


def test_a_plan_passed_back_and_forth_comes_back_whole_each_time_the_other_side_waited(office_and_laptop, tmp_path):
    office, laptop, plan_id = office_and_laptop
    for word in ("ett", "två"):
        _edit(laptop, plan_id, situation=f"Sparad på datorn: {word}")

    came_back = _carry(laptop, plan_id, office, tmp_path, "back")

    assert came_back.situation == "Sparad på datorn: två", "nothing was saved at the office meanwhile"
    _edit(office, plan_id, strengths="Kontoret fortsätter")
    assert _carry(office, plan_id, laptop, tmp_path, "out-again").strengths == "Kontoret fortsätter"
    _edit(laptop, plan_id, situation="Och datorn igen")
    assert _carry(laptop, plan_id, office, tmp_path, "back-again").situation == "Och datorn igen"


def test_a_laptop_that_went_on_from_a_file_the_office_took_in_is_asked_about_not_taken_unseen(
    office_and_laptop, tmp_path
):
    """The office took the laptop's file in; the laptop went on without taking the
    office's plan back. The office's copy may hold what the file held beyond the
    laptop's saves (a file is text anyone can edit), so the next file is a choice."""
    office, laptop, plan_id = office_and_laptop
    _edit(laptop, plan_id, situation="Sparad på datorn")
    _carry(laptop, plan_id, office, tmp_path, "back")
    _edit(laptop, plan_id, strengths="Datorn fortsatte")
    again = laptop.export_json_file(laptop.open(plan_id), tmp_path / "again.json")
    document = parse_document(again.read_bytes())

    with pytest.raises(ImportConflict):
        office.import_document(document)
    choices = office.import_choices(document)
    assert choices is not None and [(c.section, c.field) for c in choices.changes] == [("strengths", "")]


def test_an_old_export_of_the_same_store_is_still_refused_and_a_recovery_file_of_the_current_save_is_taken(
    tmp_path,
):
    office = _store(tmp_path / "office")
    load_demo(office)
    plan_id = next(s.id for s in office.scan().summaries if s.name == "Alva Påhittad")
    old = office.export_json_file(office.open(plan_id), tmp_path / "old.json")
    _edit(office, plan_id, situation="Sparad efter exporten")
    with pytest.raises(ImportConflict):
        office.import_document(parse_document(old.read_bytes()))

    unsaved = office.open(plan_id)
    unsaved.strengths = "Skrivet när disken var full"
    kept = office.save_recovery(unsaved, office.versions(plan_id))  # nothing saved since: it applies
    imported = office.import_document(parse_document(kept.read_bytes())).plan
    assert (imported.situation, imported.strengths) == ("Sparad efter exporten", "Skrivet när disken var full")


def test_each_store_counts_its_own_writes_in_one_entry(office_and_laptop, tmp_path):
    office, laptop, plan_id = office_and_laptop
    at_office = office.open(plan_id)
    arrived = laptop.open(plan_id)
    assert arrived.line and arrived.line != at_office.line, "each store has its own line for the plan"
    assert arrived.seen == {**at_office.seen, arrived.line: arrived.revision}, "what the office had, and the import"
    first, second = _edit(laptop, plan_id, situation="a"), _edit(laptop, plan_id, situation="b")
    assert second.seen == {**at_office.seen, arrived.line: second.revision}, "one entry per store, however many saves"
    assert first.seen[arrived.line] < second.seen[arrived.line]
    back = _carry(laptop, plan_id, office, tmp_path, "back")
    assert back.line == at_office.line
    assert back.seen == {arrived.line: second.revision, at_office.line: back.revision}, "taking a file in is a write"


def test_a_store_from_before_lines_had_ids_compares_revisions_as_before():
    current = Plan(revision=5, updated_at=FIXED_NOW)
    assert based_on(Plan(id=current.id, revision=5, updated_at=FIXED_NOW), current)
    assert not based_on(Plan(id=current.id, revision=4, updated_at=FIXED_NOW), current)
    assert not based_on(Plan(id=current.id, revision=5, updated_at=LATER), current)
