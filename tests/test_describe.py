"""The plan in words (sip_tui.describe): one list of changes for the versions
screen and the Word document, one caption per field, one way to shorten text."""

from __future__ import annotations

import datetime as dt
import unicodedata

from conftest import FIXED_NOW
from docx import Document
from hypothesis import given
from hypothesis import strategies as st
from ui_helpers import until

from sip_tui.app import build_app
from sip_tui.demo import _complete_plan
from sip_tui.describe import caption, describe_changes, plan_sections, shorten, value_text
from sip_tui.i18n import label, set_language, t
from sip_tui.models.diff import ITEM_TITLE
from sip_tui.models.enums import Body, DeviationType, InsatsStatus
from sip_tui.models.plan import ITEM_SECTIONS, Deviation, FollowUp, Goal, Participant, Person, Plan
from sip_tui.screens.versions import VersionsScreen
from sip_tui.service import PlanService
from sip_tui.settings import Settings
from sip_tui.store import PlanStore

TODAY = FIXED_NOW.date()
FIRST_NUMBER, CORRECTED_NUMBER = "19751224-1238", "19751224-1246"
MARKUP_GOAL = "[b]Egen[/b] bostad [/x] till hösten"


def revised(service) -> Plan:
    """Agreed as version 1, then as version 2 with a corrected personnummer, an
    insats under way, a new goal typed with markup and a deviation."""
    meeting = TODAY - dt.timedelta(days=60)
    plan = _complete_plan("David Testman", FIRST_NUMBER, meeting, TODAY - dt.timedelta(days=3))
    at_meeting = dt.datetime.combine(meeting, dt.time(11, 30), tzinfo=FIXED_NOW.tzinfo)
    plan = service.agree(service.save(plan), ["David Testman", "Karin Demo"], at=at_meeting)
    plan = service.start_followup(plan)
    plan.person.personnummer = CORRECTED_NUMBER
    plan.insatser[0].status = InsatsStatus.ONGOING
    plan.goals.append(Goal(text=MARKUP_GOAL))
    plan.needs[0].goal_ids.append(plan.goals[-1].id)
    plan.deviations.append(Deviation(date=TODAY, type=DeviationType.INSATS_LATE, body=Body.AF, description="Sent."))
    plan.followup = FollowUp(date=TODAY + dt.timedelta(days=40), start_time=dt.time(13, 0), called_by="Karin Demo")
    plan.change_reason = "Uppföljning."
    return service.agree(plan, ["David Testman", "Karin Demo"])


def screen_changes(text: str) -> list[str]:
    """"Section: change" for each change the versions screen lists under a section title."""
    lines, section = [], ""
    for line in text.splitlines()[1:]:  # under the "from version 1 to version 2" heading
        if line.startswith("  • "):
            lines.append(f"{section}: {line[4:]}")
        elif line.strip():
            section = line
    return lines


def document_changes(path) -> list[str]:
    """The bullets under the document's "what changed since version 1" heading."""
    paragraphs = Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == t("docx.h.changes_since", version=1))
    bullets = []
    for paragraph in paragraphs[start + 1 :]:
        if paragraph.style.name == "Heading 1":
            break
        if paragraph.style.name == "List Bullet":
            bullets.append(paragraph.text)
    return bullets


async def test_the_versions_screen_and_the_word_document_list_the_same_changes(service, tmp_path):
    plan = revised(service)
    service.settings = Settings(export_personnummer=True)  # the document may print the number: still masked here
    app = build_app(service)
    async with app.run_test(size=(120, 50)) as pilot:
        app.open_plan(plan.id)
        await until(pilot, lambda: app.session is not None)
        app.show_versions()
        await until(pilot, lambda: isinstance(app.screen, VersionsScreen) and app.screen.versions)
        await until(pilot, lambda: "•" in str(app.screen.query_one("#changes-text").render()))
        on_screen = screen_changes(str(app.screen.query_one("#changes-text").render()))
    on_paper = document_changes(service.export_docx(plan, tmp_path / "david.docx"))

    assert on_screen == on_paper
    said = "\n".join(on_screen)
    assert f"{label(InsatsStatus.PLANNED)} → {label(InsatsStatus.ONGOING)}" in said
    assert t("versions.added", item=MARKUP_GOAL) in said, "user text as typed, markup and all"
    assert "19751224-•••• → 19751224-••••" in said, "a corrected personnummer: the birth date, never the number"
    assert "1238" not in said and "1246" not in said
    assert plan.goals[-1].id not in said, "a link is named by the goal's text, not its id"


def test_a_document_without_the_personnummer_only_says_that_it_changed(service):
    plan = revised(service)
    first = service.versions(plan.id)[0]
    lines = [str(line) for line in describe_changes(first, plan, personnummer_shown=False)]
    assert f"{t('section.person')}: {t('describe.changed', what=t('field.person.personnummer'))}" in lines
    assert not any("19751224" in line or "••••" in line for line in lines)


def test_no_change_no_lines(service):
    plan = revised(service)
    assert describe_changes(plan, plan.model_copy(deep=True)) == []


def test_the_log_names_what_changed_as_the_plan_names_its_sections(service, store_dir, cli):
    plan = service.save(_complete_plan("Bo Exempelsson", None, TODAY, TODAY + dt.timedelta(days=30)))
    later = PlanService(PlanStore(store_dir, user="test"), clock=lambda: FIXED_NOW + dt.timedelta(hours=2))
    plan.goals[0].text = "Ett nytt mål."
    plan.situation = "Bor hos sin bror."
    later.save(plan)
    lines = cli("--store", store_dir, "log", plan.id).out.splitlines()
    assert lines[1].endswith(t("log.created"))
    assert lines[2].endswith(t("log.changed", what=f"{t('section.situation')}, {t('section.goals')}"))
    assert "goals" not in lines[2] and "situation" not in lines[2]


def test_values_are_said_in_words_in_the_language_chosen():
    assert value_text(InsatsStatus.ONGOING) == label(InsatsStatus.ONGOING) != InsatsStatus.ONGOING.value
    assert value_text(dt.date(2026, 3, 10)) == "2026-03-10"
    assert (value_text(dt.time(9, 5)), value_text(True), value_text(None), value_text("")) == ("09.05", "Ja", "–", "–")
    set_language("en")
    assert (value_text(dt.time(9, 5)), value_text(False)) == ("09:05", "No")


def test_a_field_of_a_list_item_has_the_caption_of_its_list():
    assert caption("insatser.a1b2c3.status") == t("field.insatser.status")
    assert caption("person.name") == t("field.person.name")
    assert caption("hand.edited.path") == "hand.edited.path", "an unknown path is shown as it is"


def test_every_list_of_items_in_the_model_is_named():
    """The lists are read from the model: a new one without a title field fails here, not on screen."""
    assert set(ITEM_SECTIONS) == set(ITEM_TITLE)
    assert {"goals", "insatser", "participants"} <= set(ITEM_SECTIONS)


def test_shorten_collapses_whitespace_and_marks_a_cut():
    assert shorten("Samtalsstöd  för\nsömn och oro", 12) == "Samtalsstöd…"
    assert shorten("  kort\ttext ", 20) == "kort text"
    assert shorten("abc", 0) == ""


def test_shorten_never_splits_a_character_from_its_accents_or_joiners():
    decomposed = unicodedata.normalize("NFD", "Åsa Öberg")
    assert shorten(decomposed, 3) == unicodedata.normalize("NFD", "Ås") + "…"
    family = "👨\u200d👩\u200d👧"
    assert shorten(family * 3, 5) == family * 2 + "…", "a wide emoji counts two cells, the joined family one emoji"
    assert shorten("日本語の計画", 5) == "日本…"


@given(st.text(), st.integers(min_value=1, max_value=40))
def test_shorten_fits_and_keeps_the_start(text, limit):
    collapsed = " ".join(text.split())
    short = shorten(text, limit)
    if short.endswith("…") and short != collapsed:
        assert collapsed.startswith(short[:-1].rstrip())
        assert len(short) <= len(collapsed)
    else:
        assert short == collapsed
    assert "\n" not in short and "  " not in short
    if text.isascii():
        assert len(short) <= limit


def test_a_participant_without_an_organisation_has_no_stray_comma():
    plan = Plan(person=Person(name="Maja Påhittad"))
    plan.participants = [Participant(name="Amira", role="dotter", body=Body.OTHER)]
    sections = {section.title: [line.text for line in section.lines] for section in plan_sections(plan)}
    participants = sections[t("section.participants")]
    assert any(line.startswith("• Amira – dotter (") for line in participants)
    assert not any(",  (" in line or ", (" in line for line in participants)
