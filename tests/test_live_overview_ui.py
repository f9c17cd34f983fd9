"""A team's database: the follow-up overview and the home screen that are open
on one laptop show a colleague's save from another, without a key press."""

from __future__ import annotations

from conftest import FIXED_NOW
from test_followups_ui import agreed_plan, open_overview
from ui_helpers import until

from sip_tui.app import build_app
from sip_tui.service import PlanService
from sip_tui.store.postgres import PostgresStore


def service_for(url: str, folder, user: str) -> PlanService:
    return PlanService(PostgresStore(url, folder, user=user), clock=lambda: FIXED_NOW)


async def test_an_open_overview_shows_a_colleagues_new_follow_up(postgres_url, tmp_path):
    mine = service_for(postgres_url, tmp_path / "anna", "anna")
    colleague = service_for(postgres_url, tmp_path / "bertil", "bertil")
    agreed_plan(mine, "Anna Först", 3)
    app = build_app(mine)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_overview(pilot)
        assert [e.plan.name for e in screen.visible_entries()] == ["Anna Först"]

        agreed_plan(colleague, "Bertil Sedan", -2)  # saved on another laptop

        def shows_both() -> bool:
            return [e.plan.name for e in screen.visible_entries()] == ["Bertil Sedan", "Anna Först"]

        await until(pilot, shows_both)
        await pilot.press("escape")
        await until(pilot, lambda: len(app.summaries) == 2)

        agreed_plan(colleague, "Cecilia Sist", 20)
        await until(pilot, lambda: len(app.summaries) == 3)  # the home screen's counts follow too
    mine.store.close()
    colleague.store.close()
