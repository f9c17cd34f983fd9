"""The app on a team's PostgreSQL database, as a facilitator meets it: a server
that does not answer at start is waited for (said in plain words, without the
password, tried again by itself and at a key) and home opens once it answers; a
server lost mid-meeting keeps what was typed and saves it when it is back; a
search on home is written to the access log as the plans it showed, never the
text typed; a row damaged by plain SQL is marked on home, never a crash.

The server tests stop and start a real PostgreSQL server of their own."""

from __future__ import annotations

import re

import psycopg
import pytest
from conftest import FIXED_NOW
from pg_server import stoppable_server  # noqa: F401  (a server the tests stop and start)
from textual.widgets import Input, OptionList
from ui_helpers import type_into, until, widget_text

from sip_tui.app import build_app
from sip_tui.demo import demo_plans
from sip_tui.screens import home as home_module
from sip_tui.screens import waiting as waiting_module
from sip_tui.screens.home import HomeScreen
from sip_tui.screens.waiting import StoreWaitScreen
from sip_tui.service import PlanService
from sip_tui.store.postgres import PostgresStore, Unreachable

NEVER = 3600.0


def a_plan(name: str):
    plan = demo_plans(FIXED_NOW.date())[1][0]
    plan.person.name = name
    return plan


def service_for(url: str, folder, check: bool = True) -> PlanService:
    return PlanService(PostgresStore(url, folder, user="anna", check_schema=check), clock=lambda: FIXED_NOW)


def listed(app) -> list[str]:
    """The plans home lists, as shown."""
    options = app.screen.query_one("#matches", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def with_password(url: str) -> str:
    """The same server with a password in the URL (the test server trusts local
    connections, so it is ignored there, but it must never be shown)."""
    return url.replace("postgres:@", "postgres:hemligt-lösen@", 1)


# -- the server does not answer at start ---------------------------------------------


async def test_a_server_away_at_start_is_waited_for_and_home_opens_when_it_answers(
    stoppable_server, tmp_path, monkeypatch  # noqa: F811
):
    url = with_password(stoppable_server.url)
    monkeypatch.setattr(waiting_module, "RETRY_DELAYS_S", (NEVER, 0.3))  # after the first failed try: soon
    stoppable_server.stop()
    try:
        service = service_for(url, tmp_path / "local", check=False)
        with pytest.raises(Unreachable) as away:
            service.reach_store()
        app = build_app(service, autosave_delay=NEVER, store_problem=away.value)
        async with app.run_test(size=(110, 30)) as pilot:
            await until(pilot, lambda: "försöker igen om" in widget_text(app.screen))
            shown = widget_text(app.screen)
            assert isinstance(app.screen, StoreWaitScreen)
            assert "svarar inte" in shown and "postgres:***@" in shown and "hemligt" not in shown
            next_try = re.search(r"Servern svarar inte – försöker igen om (\d+) s", shown)
            assert next_try and int(next_try[1]) > 3000  # the next try is far off

            await pilot.press("r")  # try now: the server is still away, so it waits again
            await until(pilot, lambda: "försöker igen om 1 s" in widget_text(app.screen))
            assert isinstance(app.screen, StoreWaitScreen)

            stoppable_server.start()
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))  # tried again by itself
            await until(pilot, lambda: app.screen.query("#matches"))
        service.store.close()
    finally:
        stoppable_server.start()


async def test_quitting_while_waiting_for_the_server_works(tmp_path):
    service = service_for("postgresql://anna:hemligt@127.0.0.1:1/sip?connect_timeout=2", tmp_path, check=False)
    app = build_app(service, autosave_delay=NEVER, store_problem=Unreachable("postgresql://anna:***@127.0.0.1:1/sip"))
    async with app.run_test(size=(110, 30)) as pilot:
        assert isinstance(app.screen, StoreWaitScreen)
        await pilot.press("escape")
        await until(pilot, lambda: not app.is_running)


def test_the_app_starts_waiting_when_the_server_does_not_answer(cli, monkeypatch):
    started: list = []
    monkeypatch.setattr("sip_tui.app.run_app", lambda app: started.append(app.store_problem) or 0)
    run = cli("--store", "postgresql://anna:hemligt@127.0.0.1:1/sip?connect_timeout=2")
    assert run.code == 0 and "hemligt" not in run.out + run.err
    assert isinstance(started[0], Unreachable) and "hemligt" not in started[0].file


# -- the server goes away mid-meeting ------------------------------------------------


async def test_a_server_lost_mid_meeting_keeps_the_edits_and_saves_them_when_it_is_back(
    stoppable_server, tmp_path, monkeypatch  # noqa: F811
):
    monkeypatch.setattr("sip_tui.app.SAVE_RETRY_DELAYS_S", (0.3,))
    service = service_for(stoppable_server.url, tmp_path / "local")
    plan = service.save(a_plan("Ida Avbrott"))
    app = build_app(service, autosave_delay=0.05)
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            app.open_plan(plan.id)
            await until(pilot, lambda: app.screen.query("#f-person-phone"))
            stoppable_server.stop()
            await type_into(pilot, "#f-person-phone", "070-123")
            await until(pilot, lambda: "servern svarar inte" in app.save_status)
            assert app.screen.query_one("#f-person-phone", Input).value == "070-123"  # what was typed stays
            assert app.session.dirty

            stoppable_server.start()  # no key pressed: the save is tried again by itself
            await until(pilot, lambda: app.save_status.startswith("✓"))
        assert service.store.load(plan.id).person.phone == "070-123"
    finally:
        stoppable_server.start()
        service.store.close()


async def test_home_that_loses_the_server_keeps_its_list_and_reads_again_when_it_is_back(
    stoppable_server, tmp_path  # noqa: F811
):
    service = service_for(stoppable_server.url, tmp_path / "local")
    service.save(a_plan("Ida Hemma"))
    app = build_app(service, autosave_delay=NEVER)
    try:
        async with app.run_test(size=(110, 30)) as pilot:
            await until(pilot, lambda: app.screen.query("#matches") and app.summaries)
            problems = app.screen.query_one("#store-problems")
            known = list(app.summaries)
            stoppable_server.stop()
            app.screen.refresh_plans()  # as a colleague's save or coming back from a meeting would
            await until(pilot, lambda: problems.display and "går inte att nå" in widget_text(app.screen))
            assert app.summaries == known  # the list stays as it was
            stoppable_server.start()  # heard by the listener: home reads the plans again by itself
            await until(pilot, lambda: not problems.display)
    finally:
        stoppable_server.start()
        service.store.close()


async def test_the_report_and_the_deviations_say_a_lost_server_and_the_app_stays(
    stoppable_server, tmp_path  # noqa: F811
):
    service = service_for(stoppable_server.url, tmp_path / "local")
    service.save(a_plan("Ida Hemma"))
    app = build_app(service, autosave_delay=NEVER)
    try:
        async with app.run_test(size=(110, 30), notifications=True) as pilot:
            await until(pilot, lambda: app.screen.query("#matches") and app.summaries)
            stoppable_server.stop()
            app.show_report()
            await until(pilot, lambda: "går inte att nå" in widget_text(app.screen))
            app.screen.action_back()
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
            app.show_deviations()
            await until(pilot, lambda: any("går inte att nå" in str(n.message) for n in app._notifications))
            assert app.is_running, "no crash: the facilitator goes back home and on"
            app.screen.action_back()
            await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    finally:
        stoppable_server.start()
        service.store.close()
    assert app.return_code in (None, 0)


# -- the access log: searches on home --------------------------------------------------


async def test_a_search_on_home_logs_the_plans_it_showed_never_the_text(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setattr(home_module, "SEARCH_LOGGED_AFTER_S", 0.05)
    service = service_for(postgres_url, tmp_path / "local")
    found = service.save(a_plan("Astrid Andersson"))
    other = service.save(a_plan("Bertil Berg"))
    app = build_app(service, autosave_delay=NEVER)

    def searches(plan_id: str) -> list[dict]:
        return [a for a in service.store.access_log(plan_id) if a["action"] == "search"]

    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: len(app.summaries) == 2)
        await type_into(pilot, "#search", "ander")
        await until(pilot, lambda: searches(found.id))
        app.screen.query_one("#search", Input).value = "astrid ander"  # the same plan still shown: logged once
        await until(pilot, lambda: app.screen.query_one("#matches", OptionList).option_count == 1)
        await pilot.press("escape")  # hidden again: nothing more to log
        await until(pilot, lambda: all(w.is_finished for w in app.workers if w.group == "search-log"))
    assert [(a["by"], a["action"]) for a in searches(found.id)] == [("anna", "search")]
    assert searches(other.id) == []  # not shown, not logged
    with psycopg.connect(postgres_url) as conn:
        logged = conn.execute("SELECT row_to_json(a)::text FROM access_log a").fetchall()
    assert not any("ander" in row[0].lower() for row in logged)  # never what was typed
    service.store.close()


async def test_a_search_shown_just_before_quitting_is_logged_all_the_same(postgres_url, tmp_path, monkeypatch):
    monkeypatch.setattr(home_module, "SEARCH_LOGGED_AFTER_S", 3600)  # the pause never comes: the app quits first
    service = service_for(postgres_url, tmp_path / "local")
    found = service.save(a_plan("Astrid Andersson"))
    app = build_app(service, autosave_delay=NEVER)
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: len(app.summaries) == 1)
        await type_into(pilot, "#search", "ander")
        await until(pilot, lambda: app.screen.query_one("#matches", OptionList).option_count == 1)
        await pilot.press("ctrl+q")
    assert [a["action"] for a in service.store.access_log(found.id)].count("search") == 1
    service.store.close()


# -- a row damaged by plain SQL ----------------------------------------------------------


async def test_a_row_damaged_by_plain_sql_is_marked_on_home_and_the_others_open(postgres_url, tmp_path):
    service = service_for(postgres_url, tmp_path / "local")
    damaged = service.save(a_plan("Trasig Rad"))
    whole = service.save(a_plan("Hel Rad"))
    with psycopg.connect(postgres_url) as conn:
        conn.execute("UPDATE plans SET doc = jsonb_set(doc, '{meeting,date}', '\"inte ett datum\"') WHERE id = %s", (damaged.id,))
    app = build_app(service, autosave_delay=NEVER)
    async with app.run_test(size=(110, 30)) as pilot:
        await until(pilot, lambda: len(app.summaries) == 2)
        await pilot.press("v")  # reveal the list
        await until(pilot, lambda: len(listed(app)) == 2)
        assert listed(app)[0].startswith("Hel Rad · Utkast") and "⚠" not in listed(app)[0]
        assert listed(app)[1].startswith("Trasig Rad · ⚠ skadad – kan inte öppnas")
    assert [s.id for s in service.scan().summaries if s.damaged] == [damaged.id]
    assert service.open(whole.id).person.name == "Hel Rad"
    service.store.close()
