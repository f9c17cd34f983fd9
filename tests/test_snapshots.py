"""Snapshots of the key screens: every meeting step at 80x24, review at 160x45,
dialogs, earlier versions, English and the high-contrast theme.

Every snapshot waits for its screen (not a fixed time) and stops the cursors blinking first."""

from __future__ import annotations

import datetime as dt

import pytest
from ui_helpers import settled, still_cursors, until

from sip_tui.app import AUTOSAVE_DELAY_S, build_app
from sip_tui.demo import _complete_plan
from sip_tui.i18n import set_language, t
from sip_tui.screens.dialogs import HelpScreen, NewRowScreen
from sip_tui.screens.step import STEP_IDS
from sip_tui.screens.versions import VersionsScreen


def _meeting_app(service, autosave_delay: float = AUTOSAVE_DELAY_S):
    plan = _complete_plan("Maja Påhittad", "19850312-2387", dt.date(2026, 3, 10), dt.date(2026, 5, 12))
    plan = service.save(plan)
    app = build_app(service, autosave_delay)

    async def open_step(pilot, step_id: str) -> None:
        app.open_plan(plan.id)
        await settled(pilot)
        app.goto_step(step_id)
        await until(pilot, lambda: getattr(app.screen, "STEP_ID", None) == step_id)
        await still_cursors(pilot)

    return app, plan, open_step


@pytest.mark.parametrize("step_id", STEP_IDS)
def test_step_at_80x24(step_id, service, snap_compare):
    app, _, open_step = _meeting_app(service)
    assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: open_step(pilot, step_id))


def test_review_at_160x45(service, snap_compare):
    app, _, open_step = _meeting_app(service)
    assert snap_compare(app, terminal_size=(160, 45), run_before=lambda pilot: open_step(pilot, "review"))


def test_home_at_80x24(service, snap_compare):
    from sip_tui.demo import load_demo

    load_demo(service)
    app = build_app(service)

    def plans_counted() -> bool:
        counts = app.screen.query("#counts")
        return bool(counts) and str(counts.first().render()) not in ("", t("home.loading"))

    async def settle(pilot) -> None:
        await until(pilot, plans_counted)
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_report_charts_at_100x60(service, snap_compare):
    """The report screen's bar charts over a store with known counts (see test_report)."""
    from test_report import known_store

    known_store(service)
    app = build_app(service)

    async def open_report(pilot) -> None:
        app.show_report()
        await until(pilot, lambda: getattr(app.screen, "report", None) is not None)
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(100, 60), run_before=open_report)


def test_goals_in_english_at_80x24(service, snap_compare):
    set_language("en")
    app, _, open_step = _meeting_app(service)
    assert snap_compare(app, terminal_size=(80, 24), run_before=lambda pilot: open_step(pilot, "goals"))


def test_goals_in_high_contrast_at_80x24(service, snap_compare):
    app, _, open_step = _meeting_app(service)

    async def high_contrast(pilot) -> None:
        app.theme = "sip-high-contrast"
        await open_step(pilot, "goals")

    assert snap_compare(app, terminal_size=(80, 24), run_before=high_contrast)


def test_help_dialog_at_80x24(service, snap_compare):
    app, _, open_step = _meeting_app(service)

    async def help_on_insatser(pilot) -> None:
        await open_step(pilot, "insatser")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=help_on_insatser)


def test_new_row_dialog_at_80x24(service, snap_compare):
    app, _, open_step = _meeting_app(service, autosave_delay=3600.0)  # the bar says "changed", however slow the machine

    async def new_participant(pilot) -> None:
        await open_step(pilot, "consent")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, NewRowScreen))
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=new_participant)


def test_versions_at_80x24(service, snap_compare):
    app, plan, _open_step = _meeting_app(service)
    plan = service.agree(plan, [plan.person.name, plan.coordinator.name])

    async def versions(pilot) -> None:
        app.open_plan(plan.id)
        await settled(pilot)
        app.show_versions()
        await until(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.query("#versions-table"))
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=versions)


def test_import_choices_at_80x24(service, snap_compare, tmp_path):
    """The choice between the stored plan and an import based on an older save."""
    import json

    from sip_tui.models.plan import Goal
    from sip_tui.screens.import_plan import ImportChoiceScreen
    from sip_tui.service import PlanService

    app, plan, _ = _meeting_app(service)
    old = service.export_json_file(plan, tmp_path / "maja.json")
    window = PlanService(service.store, clock=lambda: service.clock() + dt.timedelta(hours=2))
    edited = window.open(plan.id)
    edited.situation = "Skrivet i det andra fönstret"
    edited.goals.append(Goal(text="Ett mål från det andra fönstret"))
    window.save(edited)
    document = json.loads(old.read_text(encoding="utf-8"))
    document["plan"]["person"]["phone"] = "070-111 22 33"
    old.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")

    async def choose(pilot) -> None:
        choices = service.import_choices(service.read_import(str(old)))
        app.push_screen(ImportChoiceScreen(choices))
        await until(pilot, lambda: isinstance(app.screen, ImportChoiceScreen) and app.screen.query("#import-choices"))
        await settled(pilot)
        await still_cursors(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=choose)
