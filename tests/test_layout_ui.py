"""What the facilitator sees and where the cursor is: row dialogs, card tab
order, the remove question, and every meeting screen at 80x24 (and in English)."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Button, DataTable, Input, Label, Static, TextArea
from ui_helpers import screen_text, settled, type_into, until

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.i18n import set_language
from sip_tui.models.enums import Body, DeviationType, InsatsStatus
from sip_tui.models.personnummer import mask_typed as personnummer_mask
from sip_tui.models.plan import Deviation, Participant
from sip_tui.screens.dialogs import ConfirmScreen, ItemFormScreen
from sip_tui.screens.items import short
from sip_tui.screens.step import STEP_IDS
from sip_tui.widgets.columns import fit_widths
from sip_tui.widgets.link_list import LinkList
from sip_tui.widgets.stepper import StepLink, fit_header

NAME = "Bo Exempelsson"
REASON = "Uppföljning: samtalsstödet fortsätter, AF:s kartläggning försenad."


def draft(service, name: str = NAME):
    """A complete plan still being worked on (editable)."""
    return service.save(_complete_plan(name, "19850312-2387", dt.date(2026, 3, 10), dt.date(2026, 5, 12)))


def in_followup(service, name: str = NAME):
    """An agreed plan in its follow-up meeting, as the demo's revised plan is."""
    plan = service.agree(draft(service, name), [name, "Karin Demo"])
    plan = service.start_followup(plan)
    plan.insatser[0].status = InsatsStatus.ONGOING
    plan.insatser[0].note = "Har gått på fyra samtal, sover bättre."
    plan.insatser[3].status = InsatsStatus.NOT_STARTED
    plan.deviations.append(
        Deviation(
            date=dt.date(2026, 3, 10),
            type=DeviationType.INSATS_LATE,
            body=Body.AF,
            description="Kartläggningen blev inte av inom en månad som avtalat.",
        )
    )
    return service.save(plan)


async def open_step(pilot, plan_id: str, step_id: str) -> None:
    pilot.app.open_plan(plan_id)
    await pilot.pause()
    pilot.app.goto_step(step_id)
    await until(pilot, lambda: getattr(pilot.app.screen, "STEP_ID", None) == step_id)
    await settled(pilot)


async def type_here(pilot, text: str) -> None:
    """Type where the cursor is, without choosing a field first (the facilitator's
    next keys after Ctrl+N): the first key pressed, the rest pasted."""
    await pilot.press(_character_to_key(text[0]))
    pilot.app.post_message(events.Paste(text[1:]))
    await pilot.pause()


def fits_on_screen(widget, width: int) -> bool:
    return widget.region.right <= width and widget.virtual_size.width <= widget.size.width


# -- 1. row dialogs start in their first field ------------------------------------------


async def test_ctrl_n_new_participant_takes_the_typed_name(service):
    plan = draft(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "consent")
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        await type_here(pilot, "Karin Kommun")
        assert app.session.plan.participants[-1].name == "Karin Kommun"


async def test_ctrl_n_new_insats_takes_the_typed_what(service):
    plan = draft(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_here(pilot, "Boendestöd två gånger i veckan")
        assert app.session.plan.insatser[-1].what == "Boendestöd två gånger i veckan"


async def test_add_deviation_button_starts_in_its_first_field(service):
    plan = in_followup(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        app.screen.query_one("#add-deviations", Button).press()
        await until(pilot, lambda: isinstance(app.screen, ItemFormScreen) and app.focused is not None)
        deviation = app.session.plan.deviations[-1]
        assert app.focused is app.screen.query_one(f"#f-deviations-{deviation.id}-date")
        await type_here(pilot, "2026-03-11")  # the prefilled meeting day is selected: typing replaces it
        assert app.session.plan.deviations[-1].date == dt.date(2026, 3, 11)


async def test_enter_on_a_row_opens_its_form_in_the_first_field(service):
    plan = draft(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "consent")
        app.screen.query_one("#table-participants").focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        second = app.session.plan.participants[1]
        assert app.focused is app.screen.query_one(f"#f-participants-{second.id}-name", Input)


async def test_a_read_only_row_opens_on_its_done_button(service):
    plan = service.agree(draft(service), [NAME])
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "consent")
        app.screen.query_one("#table-participants").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        assert app.focused is app.screen.query_one("#done", Button)


# -- 2. need card: tab in reading order, remove last --------------------------------------


async def test_need_card_tabs_from_area_to_description_to_goals_to_remove(service):
    plan = draft(service)
    need = plan.needs[0]
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "needs")
        app.screen.query_one(f"#f-needs-{need.id}-area").focus()
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(f"#f-needs-{need.id}-description", TextArea)
        await pilot.press("tab")
        assert isinstance(app.focused, LinkList)
        assert app.focused in app.screen.query_one(f"#card-{need.id}").query(LinkList)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one(f"#remove-{need.id}", Button), "removing comes last"


async def test_text_typed_after_tab_from_the_area_goes_into_the_need(service):
    plan = draft(service)
    need = plan.needs[0]
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "needs")
        app.screen.query_one(f"#f-needs-{need.id}-area").focus()
        await pilot.pause()
        await pilot.press("tab", "ctrl+a")  # ctrl+a: to the start of the text
        await type_here(pilot, "Mycket ")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen), "Enter does not ask to remove the need"
        description = app.session.plan.needs[0].description
        assert description.startswith("Mycket ") and "Sömnproblem" in description, "Enter is a new line in the need"
        assert len(app.session.plan.needs) == 3


# -- 3. the remove question names the row --------------------------------------------------


async def remove_question(pilot, table_id: str, row: int) -> str:
    table = pilot.app.screen.query_one(table_id, DataTable)
    table.focus()
    table.move_cursor(row=row)
    await pilot.press("delete")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen)
    return str(pilot.app.screen.query_one(".dialog-question", Static).render())


async def test_remove_question_names_the_insats_shortened(service):
    plan = draft(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        question = await remove_question(pilot, "#table-insatser", 1)
        assert question.startswith("Ta bort raden ”Arbetsträning på kommunens")
        assert "…" in question and "två förmiddagar i veckan" not in question, "shortened"
        await pilot.click("#no")
        await pilot.pause()
        assert len(app.session.plan.insatser) == 5


async def test_remove_question_names_the_participant_and_markup_is_shown_as_typed(service):
    plan = draft(service)
    plan.participants.append(Participant(name="Anna [/b] [bold]Fet", role="Kurator"))
    plan = service.save(plan)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_step(pilot, plan.id, "consent")
        assert "Anna [/b] [bold]Fet" in screen_text(pilot), "the table shows the name as typed"
        assert await remove_question(pilot, "#table-participants", 0) == "Ta bort raden ”Karin Demo”?"
        await pilot.click("#no")
        await pilot.pause()
        assert await remove_question(pilot, "#table-participants", 4) == "Ta bort raden ”Anna [/b] [bold]Fet”?"
        await pilot.click("#yes")
        await pilot.pause()
        assert [p.name for p in app.session.plan.participants][-1] == "Johan Prov"


async def test_remove_question_for_an_empty_row_gives_its_number(service):
    plan = draft(service)
    plan.participants.append(Participant())
    plan = service.save(plan)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_step(pilot, plan.id, "consent")
        assert await remove_question(pilot, "#table-participants", 4) == "Ta bort rad 5 (tom)?"


# -- 4a. step 2 at 80x24: the participants show --------------------------------------------


async def test_consent_step_at_80x24_shows_every_participant(service):
    plan = draft(service)
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "consent")
        assert app.focused is app.screen.query_one("#f-consent-given"), "nothing tabbed yet"
        shown = screen_text(pilot)
        for participant in plan.participants:
            assert participant.name in shown, participant.name
        table = app.screen.query_one("#table-participants", DataTable)
        assert table.size.height >= len(plan.participants) + 1
        assert fits_on_screen(table, 80), "every column on screen"


async def test_participants_table_grows_with_its_rows(service):
    plan = draft(service)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "consent")
        table = app.screen.query_one("#table-participants", DataTable)
        before = table.size.height
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_here(pilot, "Nina Ny")
        await pilot.press("enter")  # Enter in the name field adds the row
        await until(pilot, lambda: table.size.height == before + 1)
        assert "Nina Ny" in screen_text(pilot)


# -- 4b. step 5 in a follow-up at 80x24 -----------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_followup_insatser_fit_80_columns_with_the_hint_on_screen(service, language):
    set_language(language)
    plan = in_followup(service)
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        assert app.screen.query_one("#step-body").scroll_y == 0, "the step opens at its top"
        shown = screen_text(pilot)
        hint = app.screen.query_one(".hint.warning", Label)
        assert hint.region.y >= app.screen.query_one("#step-body").region.y, "the hint is not scrolled away"
        assert hint.size.height >= 2, "the hint wraps"
        if language == "sv":
            assert "Uppföljning: välj varje insats" in shown and "och en anteckning." in shown
            assert "Ej påbörjad" in shown and "Har gått på fyra" in shown
        else:
            assert "and a note." in shown and "Not started" in shown
        for table_id in ("#table-insatser", "#table-deviations"):
            assert fits_on_screen(app.screen.query_one(table_id, DataTable), 80), table_id


async def test_followup_insatser_at_160_columns_show_more_of_each_insats(service):
    plan = in_followup(service)
    app = build_app(service)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        shown = screen_text(pilot)
    assert "Samtalsstöd för sömn och oro, varannan vecka" in shown
    assert "Har gått på fyra samtal, sover bättre." in shown
    assert "Arbetsförmedlingen" in shown, "full labels when there is room"


# -- 4c/4d. step row and meeting bar ----------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_step_row_and_bar_fit_80_columns_on_every_step(service, language):
    set_language(language)
    plan = in_followup(service)
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        for step_id in STEP_IDS:
            app.goto_step(step_id)
            await pilot.pause()
            links = list(app.screen.query(StepLink))
            assert [link.step_id for link in links] == STEP_IDS
            for number, link in enumerate(links, start=1):
                assert str(number) in str(link.render())
                assert link.region.right <= 80, f"step {number} is on screen ({step_id})"
            current = next(link for link in links if link.step_id == step_id)
            assert "▶" in str(current.render()) and len(str(current.render())) > 3, "the current step keeps its name"
            who = app.screen.query_one("#who", Label)
            heading = app.screen.query_one("#step-heading", Label)
            status = app.screen.query_one("#save-status", Label)
            who_text, heading_text = str(who.render()), str(heading.render())
            assert who_text == f"SIP · {NAME}", f"the whole name ({step_id})"
            assert who.region.x + cell_len(who_text) < heading.region.x, f"a space before the step ({step_id})"
            assert heading_text.startswith("Steg" if language == "sv" else "Step")
            assert heading.region.right <= status.region.x


async def test_swedish_step_row_keeps_its_names_at_80_and_the_english_one_at_160(service):
    plan = draft(service)
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        assert [str(link.render()).strip() for link in app.screen.query(StepLink)][:2] == ["1 Person", "2 Samtycke"]
    set_language("en")
    app = build_app(service)
    async with app.run_test(size=(160, 45)) as pilot:
        await open_step(pilot, plan.id, "insatser")
        texts = [str(link.render()).strip() for link in app.screen.query(StepLink)]
        assert texts[5] == "6 Responsibility" and texts[6] == "7 Review"
        assert str(app.screen.query_one("#step-heading", Label).render()) == "Step 5 of 7: Insatser and who provides them"


async def test_step_row_compacts_and_restores_when_the_terminal_is_resized(service):
    set_language("en")
    plan = draft(service)
    app = build_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_step(pilot, plan.id, "goals")
        assert "Responsibility" in screen_text(pilot)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: all(link.region.right <= 80 for link in app.screen.query(StepLink)))
        assert str(app.screen.query_one("#who", Label).render()) == f"SIP · {NAME}"
        await pilot.resize_terminal(120, 30)
        await until(pilot, lambda: "Responsibility" in screen_text(pilot))


def test_fit_header_shortens_the_step_first_then_the_name():
    name, status = "Bo Exempelsson", "✓ Sparat 10:42"
    assert fit_header(160, name, status, STEP_IDS, "insatser") == (
        "SIP · Bo Exempelsson",
        "Steg 5 av 7: Insatser och vem som ansvarar",
    )
    assert fit_header(80, name, status, STEP_IDS, "responsibility") == ("SIP · Bo Exempelsson", "Steg 6 av 7: Ansvar")
    assert fit_header(50, name, status, STEP_IDS, "responsibility") == ("SIP · Bo Exempelsson", "Steg 6 av 7")
    assert fit_header(44, name, status, STEP_IDS, "responsibility") == ("SIP · Bo Exempelsson", "6/7")
    assert fit_header(40, name, status, STEP_IDS, "responsibility") == ("SIP · Bo", "Steg 6 av 7")
    long_name = "Maja-Lisa Andersdotter Påhittad Långnamnsson"
    who, heading = fit_header(80, long_name, status, STEP_IDS, "goals")
    assert who.startswith("SIP · Maja-Lisa") and heading.startswith("Steg 3 av 7")
    for width in (20, 30, 50, 80, 120):
        who, heading = fit_header(width, long_name, status, STEP_IDS, "goals")
        assert cell_len(who) + 1 + cell_len(heading) + 2 + cell_len(status) + 2 <= max(width, 30)


# -- 4e. earlier versions at 80 columns -------------------------------------------------------


async def test_versions_at_80_columns_show_the_change_reason(service):
    plan = in_followup(service)
    plan.change_reason = REASON
    plan.followup.date, plan.followup.held = dt.date(2026, 9, 1), False  # the next follow-up is booked
    plan = service.agree(plan, [NAME, "Karin Demo"])
    app = build_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_plan(plan.id)
        await pilot.pause()
        app.show_versions()
        await until(
            pilot, lambda: bool(app.screen.query("#versions-table")) and app.screen.query_one("#versions-table", DataTable).row_count
        )
        await settled(pilot)
        table = app.screen.query_one("#versions-table", DataTable)
        assert fits_on_screen(table, 80), "the reason column is on screen"
        shown = screen_text(pilot)
        assert "Ändringsorsak" in shown
        for word in REASON.split():
            assert word in shown, word  # wrapped in its column, not cut
        assert "Läs version 2" in shown
        await pilot.press("up")
        await pilot.pause()
        assert "Läs version 1" in screen_text(pilot), "choosing a version still works"


# -- 5. the personnummer mask ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("19850312-2387", "19850312-••••"),  # valid, 12 digits
        ("198503122387", "19850312-••••"),
        ("850312-2387", "19850312-••••"),  # valid, 10 digits: shown in the canonical form
        ("19850312-2388", "19850312-••••"),  # wrong check digit: the same format
        ("198503122388", "19850312-••••"),
        ("8503122388", "850312-••••"),  # was 85031223•••• (two of the last four digits)
        ("850312-2388", "850312-••••"),
        ("850312+2388", "850312+••••"),
        ("19850312", "1985-••••"),  # half-typed: never its last four digits
        ("19850312-23", "198503-••••"),
        ("123", "••••"),
        ("abc", "••••"),
        ("", ""),
    ],
)
def test_personnummer_mask_hides_the_last_four_digits_in_one_format(typed, shown):
    assert personnummer_mask(typed) == shown


def test_personnummer_mask_never_shows_any_of_the_last_four_digits():
    for digits in ("8503122388", "198503122388", "19850312238", "850312238", "1985031223", "12345678"):
        for text in (digits, digits[:6] + "-" + digits[6:], " " + digits + " "):
            masked = personnummer_mask(text)
            assert masked.endswith("••••")
            assert digits[-4:] not in masked.replace("-", "").replace("+", "")
            assert not any(masked.replace("•", "").replace("-", "").endswith(d) for d in (digits[-4:], digits[-2:]))


async def test_invalid_personnummer_shows_masked_once_the_field_is_left(service):
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_into(pilot, "#f-person-personnummer", "8503122388")
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.query_one("#f-person-personnummer", Input).value == "850312-••••"
        assert "2388" not in screen_text(pilot)
        assert app.session.plan.pending_input["person.personnummer"] == "8503122388", "kept as typed"


# -- helpers -------------------------------------------------------------------------------------


def test_fit_widths_shares_what_is_left_and_keeps_headings():
    headers = ["Insats", "Ansvarar", "Status", "Anteckning"]
    rows = [("x" * 60, "Region", "Ej påbörjad", "y" * 40)]
    widths = fit_widths(headers, rows, (0, 3), 74)
    assert sum(widths) + 2 * len(widths) <= 74
    assert widths[1:3] == [8, 11] and widths[0] >= 20 and widths[3] >= 20
    assert fit_widths(headers, [("kort", "Region", "Klar", "")], (0, 3), 74) == [6, 8, 6, 10]
    assert short("Samtalsstöd för sömn och oro", 12) == "Samtalsstöd…"
