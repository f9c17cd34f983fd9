"""Importing a plan in the app (issue 9, item 1): a recovery file or an old export
read after the plan was saved again never undoes that save. The facilitator sees
the fields that differ, side by side, and chooses; nothing is lost on either side."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import FIXED_NOW
from textual import events
from ui_helpers import post_keys, settled, until

from sip_tui.app import build_app
from sip_tui.demo import load_demo
from sip_tui.i18n import set_language, t
from sip_tui.models.interchange import parse_document
from sip_tui.models.plan import SAVE_BOOKKEEPING, Goal, Person, Plan
from sip_tui.screens.import_plan import ImportChoiceScreen, ImportPlanScreen
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.widgets.choice_table import ChoiceTable

LATER = FIXED_NOW + dt.timedelta(hours=2)


def _window(store: Path) -> PlanService:
    """Another window on the same store, two hours later."""
    return PlanService(PlanStore(store, user="olle"), clock=lambda: LATER)


def _alva(service: PlanService) -> Plan:
    load_demo(service)
    summary = next(s for s in service.scan().summaries if s.name == "Alva Påhittad")
    return service.open(summary.id)


def _edited_after_export(service: PlanService, store: Path, tmp_path: Path) -> tuple[Path, Plan, Plan]:
    """Alva's plan exported, then edited and saved in another window; the export then
    edited too (the recovery file of a window whose save failed looks the same)."""
    plan = _alva(service)
    old = service.export_json_file(plan, tmp_path / "alva.json")
    window = _window(store)
    edited = window.open(plan.id)
    edited.situation = "Skrivet i det andra fönstret"
    edited.goals.append(Goal(text="Ett mål från det andra fönstret"))
    edited = window.save(edited)
    document = json.loads(old.read_text(encoding="utf-8"))
    document["plan"]["strengths"] = "Styrka [b]från[/b] filen"
    document["plan"]["person"]["phone"] = "070-111 22 33"
    old.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return old, plan, edited


def _message(app) -> str:
    return str(app.screen.query_one("#import-message").render())


async def _open_dialog(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.screen.query("#search"))
    post_keys(app, "i")
    await until(pilot, lambda: isinstance(app.screen, ImportPlanScreen))
    await settled(pilot)


async def _import(pilot, typed: str) -> None:
    """Paste a path into the dialog and press Enter; wait for the answer."""
    app = pilot.app
    app.screen.query_one("#import-path").value = ""
    app.post_message(events.Paste(typed))
    post_keys(app, "enter")
    await settled(pilot)
    await until(pilot, lambda: not isinstance(app.screen, ImportPlanScreen) or "…" not in _message(app))
    await settled(pilot)


def _rows(app) -> list[tuple[str, ...]]:
    table = app.screen.query_one(ChoiceTable)
    return [tuple(str(cell) for cell in table.get_row_at(row)) for row in range(table.row_count)]


def _row_of(app, what: str) -> int:
    return next(index for index, row in enumerate(_rows(app)) if row[0].endswith(what))


def _notices(app) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


def _recovery_files(store: Path) -> list[Path]:
    return sorted((store / "recovery").glob("*.json"))


async def test_an_old_export_shows_what_differs_and_saves_only_the_fields_taken_from_the_file(
    service, store_dir, tmp_path
):
    old, exported, edited = _edited_after_export(service, store_dir, tmp_path)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_dialog(pilot)
        await _import(pilot, f'"{old}"')  # as Windows' "Copy as path" pastes it
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query(ChoiceTable))
        await settled(pilot)
        rows = _rows(app)
        assert rows == [
            (f"{t('section.person')}: {t('field.person.phone')}", "–", "070-111 22 33", "Sparat"),
            (
                f"{t('section.situation')}: {t('field.situation')}",
                "Skrivet i det andra fönstret",
                exported.situation,
                "Sparat",
            ),
            (f"{t('section.situation')}: {t('field.strengths')}", "–", "Styrka [b]från[/b] filen", "Sparat"),
            (f"{t('section.goals.item')}: Ett mål från det andra fönstret", "raden finns", "–", "Sparat"),
        ], "each differing field once, both sides in words, the stored side chosen until changed"
        phone, strengths = _row_of(app, t("field.person.phone")), _row_of(app, t("field.strengths"))
        post_keys(app, *["down"] * phone, "space", *["down"] * (strengths - phone), "enter", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, ImportChoiceScreen))
        await until(pilot, lambda: "recovery/" in _notices(app))
        assert "Planen är sparad med 2 uppgifter från filen." in _notices(app)
        assert str(store_dir) not in _notices(app), "the shared screen gets no full path"

    saved = service.open(edited.id)
    assert saved.person.phone == "070-111 22 33" and saved.strengths == "Styrka [b]från[/b] filen", "taken"
    assert saved.situation == "Skrivet i det andra fönstret", "the other window's save is kept"
    assert [g.text for g in saved.goals][-1] == "Ett mål från det andra fönstret", "and its new goal"
    (kept,) = _recovery_files(store_dir)
    assert kept.name.endswith("-replaced.json")
    assert parse_document(kept.read_bytes()).plan == edited, "the plan as it was stays restorable"


async def test_leaving_the_choice_changes_nothing_and_all_from_the_file_takes_every_row(service, store_dir, tmp_path):
    old, _, edited = _edited_after_export(service, store_dir, tmp_path)
    before = (store_dir / "plans").joinpath(f"{edited.id}.json").read_bytes()
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_dialog(pilot)
        await _import(pilot, str(old))
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query(ChoiceTable))
        post_keys(app, "f", "escape")
        await until(pilot, lambda: app.screen.query("#search"))
        await settled(pilot)
        assert (store_dir / "plans").joinpath(f"{edited.id}.json").read_bytes() == before, "left: nothing changed"
        assert not _recovery_files(store_dir)

        await _open_dialog(pilot)
        await _import(pilot, str(old))
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query(ChoiceTable))
        post_keys(app, "f")
        await settled(pilot)
        assert {row[3] for row in _rows(app)} == {"Filen"}
        assert "4 uppgifter skiljer · 4 tas från filen" in str(app.screen.query_one("#import-choice-status").render())
        post_keys(app, "ctrl+s")
        await until(pilot, lambda: "recovery/" in _notices(app))

    file_plan = parse_document(old.read_bytes()).plan
    saved = service.open(edited.id)
    assert saved.model_dump(exclude=set(SAVE_BOOKKEEPING)) == file_plan.model_dump(
        exclude=set(SAVE_BOOKKEEPING)
    ), "every row from the file: the plan is the file's"


async def test_a_plan_saved_again_while_choosing_is_not_overwritten(service, store_dir, tmp_path):
    old, _, edited = _edited_after_export(service, store_dir, tmp_path)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_dialog(pilot)
        await _import(pilot, str(old))
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query(ChoiceTable))
        window = _window(store_dir)
        again = window.open(edited.id)
        again.strengths = "Sparat medan du valde"
        window.save(again)
        post_keys(app, "f", "ctrl+s")
        await until(pilot, lambda: t("import.choose.stale") in _notices(app))
    assert service.open(edited.id).strengths == "Sparat medan du valde"
    assert not _recovery_files(store_dir)


async def test_a_recovery_file_is_chosen_from_the_list_without_typing_its_path(service, store_dir, tmp_path):
    plan = _alva(service)
    unsaved = plan.model_copy(deep=True)
    unsaved.situation = "Skrivet när disken var full"
    service.save_recovery(unsaved, service.versions(plan.id))  # what the app keeps when a save fails
    window = _window(store_dir)
    other = window.open(plan.id)
    other.goals[0].text = "Ändrat i ett annat fönster"
    window.save(other)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await _open_dialog(pilot)
        listed = app.screen.query_one("#import-recovery")
        assert listed.option_count == 1
        label = str(listed.get_option_at_index(0).prompt)
        assert label.startswith("Sparad ") and plan.id[:6] in label and "Alva" not in label, "no name on the list"
        post_keys(app, "tab", "enter")
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query(ChoiceTable))
        await settled(pilot)
        rows = _rows(app)
        assert [row[1:3] for row in rows] == [
            ("Första mötet pågår.", "Skrivet när disken var full"),
            ("Ändrat i ett annat fönster", plan.goals[0].text),
        ]
        post_keys(app, "space", "ctrl+s")  # the cursor is on the first row: the recovered situation
        await until(pilot, lambda: "recovery/" in _notices(app))
    saved = service.open(plan.id)
    assert saved.situation == "Skrivet när disken var full" and saved.goals[0].text == "Ändrat i ett annat fönster"


async def test_a_new_plan_is_added_and_a_bad_file_is_refused_field_by_field_in_the_ui_language(
    service, store_dir, tmp_path
):
    elsewhere = PlanService(PlanStore(tmp_path / "other laptop", user="x"), clock=lambda: FIXED_NOW)
    plan = elsewhere.save(Plan(person=Person(name="Nils Påhittad")))
    good = elsewhere.export_json_file(plan, tmp_path / "nils.json")
    bad = tmp_path / "bad.json"
    document = json.loads(good.read_text(encoding="utf-8"))
    document["plan"]["goals"] = [{"id": "a b", "text": "x"}]
    bad.write_text(json.dumps(document), encoding="utf-8")
    set_language("en")
    try:
        app = build_app(service, autosave_delay=0.05)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await _open_dialog(pilot)
            answers = {}
            for typed in ("  ", str(tmp_path / "missing.json"), str(bad)):
                await _import(pilot, typed)
                answers[typed.strip()] = _message(app)
            assert answers[""] == "Type or paste the path to the file."
            assert answers[str(tmp_path / "missing.json")] == "The file does not exist – check the path."
            assert answers[str(bad)].startswith("Nothing was imported – 1 error(s):\n$.plan.goals[0].id: ")
            assert not service.scan().summaries, "nothing was imported"
            await _import(pilot, str(good))
            await until(pilot, lambda: "imported as a new plan" in _notices(app))
            assert "Nils" not in _notices(app)
    finally:
        set_language("sv")
    assert [s.name for s in service.scan().summaries] == ["Nils Påhittad"]


async def test_a_plan_whose_follow_up_began_after_the_file_was_made_is_not_mixed_with_it(service, store_dir, tmp_path):
    load_demo(service)
    summary = next(s for s in service.scan().summaries if s.name == "Bo Exempelsson")  # agreed, version 1
    agreed = service.open(summary.id)
    old = service.export_json_file(agreed, tmp_path / "bo.json")
    window = _window(store_dir)
    followup = window.start_followup(window.open(agreed.id))
    followup.situation = "Skrivet på uppföljningsmötet"
    window.save(followup)
    before = (store_dir / "plans" / f"{agreed.id}.json").read_bytes()
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _open_dialog(pilot)
        await _import(pilot, str(old))
        assert isinstance(app.screen, ImportPlanScreen), "no choice between an agreed version and its follow-up"
        message = _message(app)
        assert t("import.not_choosable") in message
        assert message.startswith("Filen bygger på planen som den sparades"), message
    assert (store_dir / "plans" / f"{agreed.id}.json").read_bytes() == before
