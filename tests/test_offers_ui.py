"""The insats catalogue in the meeting and on its own screen, driven like a facilitator."""

from __future__ import annotations

import datetime as dt

from textual import events
from ui_helpers import post_keys, screen_text, settled, until

from sip_tui.app import build_app
from sip_tui.i18n import set_language
from sip_tui.models.enums import Body, LifeArea
from sip_tui.models.offer import Offer, OfferStatus, Provider
from sip_tui.models.plan import Insats, Need, OfferSource, Person, Plan
from sip_tui.screens.dialogs import NewRowScreen
from sip_tui.screens.offers import CatalogueScreen, ImportOffersScreen, OfferFormScreen

KBT = Offer(
    id="kbt1",
    name="KBT i primärvården",
    provider=Provider.REGION,
    unit="Vårdcentralen Norr",
    life_areas=[LifeArea.MENTAL_HEALTH],
    contact_name="Olle Exempel",
    phone="070-174 06 10",
    last_checked=dt.date(2026, 1, 1),
)
KBT_YOUTH = Offer(
    id="kbt2",
    name="KBT för unga",
    provider=Provider.REGION,
    unit="Ungdomsmottagningen",
    life_areas=[LifeArea.MENTAL_HEALTH],
    age_min=13,
    age_max=25,
    last_checked=dt.date(2026, 1, 1),
)
KBT_WORK = Offer(
    id="kbt3",
    name="KBT-grupp inför arbete",
    provider=Provider.AF,
    unit="AF Exempelby",
    life_areas=[LifeArea.WORK],
    last_checked=dt.date(2024, 1, 1),  # not checked for more than 12 months
)


def _plan_with_need(service) -> Plan:
    need = Need(area=LifeArea.MENTAL_HEALTH, description="Sömnproblem")
    plan = Plan(person=Person(name="Maja Påhittad", personnummer="19850312-2387"), needs=[need])
    plan.meeting.date = service.today()
    return service.save(plan)


async def _open_insatser(pilot, plan_id: str) -> None:
    app = pilot.app
    app.open_plan(plan_id)
    await settled(pilot)
    app.goto_step("insatser")
    await until(pilot, lambda: getattr(app.screen, "STEP_ID", "") == "insatser")
    await settled(pilot)


async def test_choosing_an_entry_fills_the_insats_and_a_later_catalogue_edit_leaves_the_plan(service):
    service.catalogue.load_offers([KBT_WORK, KBT_YOUTH, KBT])
    plan = _plan_with_need(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_insatser(pilot, plan.id)
        # Ctrl+N, type, Tab to the list, Enter: all at machine speed.
        post_keys(app, "ctrl+n", "k", "b", "t", "tab", "enter")
        await settled(pilot)
        assert isinstance(app.screen, NewRowScreen)
        insats = app.session.plan.insatser[-1]
        # A 40-year-old with a mental-health need: the adult KBT first, not the youth one nor the AF group.
        assert insats.what == "KBT i primärvården (Vårdcentralen Norr)"
        assert insats.body == Body.REGION
        assert insats.unit == "Vårdcentralen Norr"
        assert insats.contact == "Olle Exempel, 070-174 06 10"
        assert insats.source is not None and insats.source.offer_id == "kbt1"
        assert app.screen.query_one("#f-insatser-" + insats.id + "-unit").value == "Vårdcentralen Norr"
        app.screen.query_one("#done").press()
        await settled(pilot)
        assert app.wait_for_save()
    saved = service.open(plan.id).insatser[0]
    # The catalogue changes later: the plan keeps what was chosen.
    service.catalogue.save_offer(KBT.model_copy(update={"unit": "Vårdcentralen Syd", "contact_name": "Ny Person"}))
    service.catalogue.retire("kbt1")
    again = service.open(plan.id).insatser[0]
    assert again == saved
    assert again.unit == "Vårdcentralen Norr" and again.source.name == "KBT i primärvården"


async def test_enter_in_the_search_takes_the_best_match_and_keeps_the_dialog_open(service):
    service.catalogue.load_offers([KBT_WORK, KBT])
    plan = _plan_with_need(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_insatser(pilot, plan.id)
        post_keys(app, "ctrl+n", "a", "r", "b", "e", "t", "enter")
        await settled(pilot)
        assert isinstance(app.screen, NewRowScreen)
        assert app.session.plan.insatser[-1].what == "KBT-grupp inför arbete (AF Exempelby)"
        assert app.session.plan.insatser[-1].body == Body.AF


async def test_down_walks_the_matches_and_enter_picks_the_one_highlighted(service):
    service.catalogue.load_offers([KBT_WORK, KBT_YOUTH, KBT])
    plan = _plan_with_need(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_insatser(pilot, plan.id)
        post_keys(app, "ctrl+n", "k", "b", "t")
        await settled(pilot)
        # The adult KBT first, then the AF group (the youth clinic is for 13-25: last).
        assert "KBT i primärvården" in screen_text(pilot).split("KBT-grupp inför arbete")[0]
        post_keys(app, "down", "down", "enter")
        await settled(pilot)
        assert app.session.plan.insatser[-1].what == "KBT-grupp inför arbete (AF Exempelby)"
        assert isinstance(app.screen, NewRowScreen)


async def test_free_text_still_works_and_tab_skips_a_hidden_list(service):
    service.catalogue.load_offers([KBT])
    plan = _plan_with_need(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_insatser(pilot, plan.id)
        post_keys(app, "ctrl+n", "tab", "E", "g", "e", "n")
        await settled(pilot)
        insats = app.session.plan.insatser[-1]
        assert insats.what == "Egen"
        assert insats.source is None


async def test_catalogue_screen_flags_unchecked_entries_counts_plans_and_adds_an_entry(service):
    service.catalogue.load_offers([KBT, KBT_WORK])
    plan = _plan_with_need(service)
    plan.insatser.append(Insats(what="KBT", source=OfferSource(offer_id="kbt1", name="KBT i primärvården")))
    service.save(plan)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.screen.query("#search"))
        post_keys(app, "k")
        await settled(pilot)
        assert isinstance(app.screen, CatalogueScreen)
        await until(pilot, lambda: app.screen.plans_by_offer is not None)
        await settled(pilot)
        text = screen_text(pilot)
        assert "⚠ 2024-01-01" in text  # not checked for 12 months
        assert "1 ej kontrollerade på 12 månader" in text
        assert "Maja" not in text  # counted, never named
        table = app.screen.query_one("#offer-table")
        row = [str(c) for c in table.get_row("kbt1")]
        assert row[-1] == "1"
        post_keys(app, "ctrl+n")
        await settled(pilot)
        assert isinstance(app.screen, OfferFormScreen)
        post_keys(app, "B", "o", "e", "n", "d", "e", "s", "t", "ö", "d")
        await settled(pilot)
        app.screen.query_one("#offer-age_min").value = "30"
        app.screen.query_one("#offer-age_max").value = "20"
        app.screen.query_one("#offer-save").press()  # a press is no key: wait for what it sets off
        await until(pilot, lambda: "Ålder till" in str(app.screen.query_one("#offer-errors").render()))
        assert isinstance(app.screen, OfferFormScreen)  # refused: the highest age is below the lowest
        app.screen.query_one("#offer-age_max").value = "65"
        app.screen.query_one("#offer-save").press()
        await until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    added = [o for o in service.catalogue.offers() if o.name == "Boendestöd"]
    assert len(added) == 1 and added[0].age_max == 65 and added[0].last_checked == service.today()
    assert added[0].status == OfferStatus.ACTIVE


async def test_text_matching_nothing_in_the_catalogue_becomes_the_insats_on_enter(service):
    service.catalogue.load_offers([KBT])
    plan = _plan_with_need(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 40)) as pilot:
        await _open_insatser(pilot, plan.id)
        post_keys(app, "ctrl+n", *"Promenadgrupp", "enter", "escape")
        await settled(pilot)
        # Typed, so Esc asks before discarding; the text was kept as the insats.
        assert app.session.plan.insatser[-1].what == "Promenadgrupp"
        assert app.session.plan.insatser[-1].source is None
        assert not isinstance(app.screen, NewRowScreen)  # the question is on top


async def _open_import(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.screen.query("#search"))
    post_keys(app, "k")
    await until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    await settled(pilot)
    post_keys(app, "ctrl+o")
    await until(pilot, lambda: isinstance(app.screen, ImportOffersScreen))
    await settled(pilot)


def _import_message(app) -> str:
    return str(app.screen.query_one("#offer-import-message").render())


async def _import(pilot, typed: str) -> None:
    """Paste a path into the dialog and press Enter; wait for the answer."""
    app = pilot.app
    field = app.screen.query_one("#offer-import-path")
    field.value = ""
    app.post_message(events.Paste(typed))
    post_keys(app, "enter")
    await settled(pilot)
    await until(pilot, lambda: not isinstance(app.screen, ImportOffersScreen) or "…" not in _import_message(app))
    await settled(pilot)


async def test_a_file_imported_from_the_catalogue_screen_is_checked_whole_and_each_bad_cell_named(service, tmp_path):
    service.catalogue.load_offers([KBT])
    path = tmp_path / "insatser från kollegan.csv"
    header = "Insats;Verksamhet;Huvudman/aktör;Ålder från;Telefon"
    path.write_text(
        "\r\n".join(
            [
                header,
                "KBT i primärvården;Vårdcentralen Norr;Region;18;070-174 06 11",  # the same entry: updated
                "Budgetrådgivning;Konsumentvägledningen;kommun;tolv;",
                "[b]Ny[/b];Fritidsgården;Kommunen;;",
            ]
        ),
        encoding="utf-8",
    )
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await _open_import(pilot)
        await _import(pilot, f'"{path}"')  # as Windows' "Copy as path" pastes it
        assert isinstance(app.screen, ImportOffersScreen)
        message = _import_message(app)
        assert "Inget lästes in – 2 fel:" in message
        assert "Rad 3, kolumn ”Ålder från”: " in message
        assert "Rad 4, kolumn ”Huvudman/aktör”: " in message
        assert "tolv" not in message and "Budget" not in message  # rows and columns are named, values are not
        assert [o.id for o in service.catalogue.offers()] == ["kbt1"]  # nothing changed
        path.write_text(
            "\r\n".join(
                [
                    header,
                    "KBT i primärvården;Vårdcentralen Norr;Region;18;070-174 06 11",
                    "Budgetrådgivning;Konsumentvägledningen;kommun;12;",
                    "[b]Ny[/b];Fritidsgården;kommun;;",
                ]
            ),
            encoding="utf-8",
        )
        await _import(pilot, str(path))
        assert isinstance(app.screen, CatalogueScreen)
        assert list(app._notifications)[-1].message == "Katalogen är uppdaterad: 2 nya, 1 uppdaterade insatser."
        await settled(pilot)
        text = screen_text(pilot)
        assert "[b]Ny[/b]" in text and "Budgetrådgivning" in text  # shown literally, in the table now
        assert "3 av 3 insatser" in text
    offers = {o.name: o for o in service.catalogue.offers()}
    assert offers["KBT i primärvården"].id == "kbt1" and offers["KBT i primärvården"].phone == "070-174 06 11"
    assert offers["Budgetrådgivning"].age_min == 12


async def test_the_import_dialog_explains_a_path_it_cannot_read_in_the_ui_language(service, tmp_path):
    service.catalogue.load_offers([KBT])
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    set_language("en")
    try:
        app = build_app(service, autosave_delay=0.05)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.screen.query("#search"))
            app.show_catalogue()
            await until(pilot, lambda: isinstance(app.screen, CatalogueScreen) and app.screen.query("#offer-import"))
            await settled(pilot)
            app.screen.query_one("#offer-import").press()  # the button does what Ctrl+O does
            await until(pilot, lambda: isinstance(app.screen, ImportOffersScreen))
            await settled(pilot)
            answers = {}
            for typed in ("   ", str(tmp_path / "missing.xlsx"), str(tmp_path), str(tmp_path / "notes.txt")):
                await _import(pilot, typed)
                answers[typed.strip()] = _import_message(app)
            assert answers[""] == "Type or paste the path to the file."
            assert answers[str(tmp_path / "missing.xlsx")] == "The file does not exist – check the path."
            assert answers[str(tmp_path)] == "That is a folder – give a file in it."
            assert ".json" in answers[str(tmp_path / "notes.txt")]  # the file types it reads
            assert all(str(tmp_path) not in answer for answer in answers.values())
            post_keys(app, "escape")
            await until(pilot, lambda: isinstance(app.screen, CatalogueScreen))
    finally:
        set_language("sv")
    assert [o.id for o in service.catalogue.offers()] == ["kbt1"]
