"""The Word export read back the way a participant reads the handed-out plan:
every goal, need, insats, the coordinator, the follow-up and every participant
in its own section, in the right order, and nothing from anyone else's plan."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph

from sip_tui import i18n
from sip_tui.catalogue import STRINGS
from sip_tui.demo import load_demo
from sip_tui.export import docx as docx_export
from sip_tui.export.docx import TemplateError, write_docx
from sip_tui.export.template import REQUIRED_STYLES, TEXT_WIDTH, base_template_bytes
from sip_tui.i18n import label, t
from sip_tui.models.enums import Body, GoalTerm, InsatsStatus, LifeArea, MeetingForm
from sip_tui.models.plan import (
    Consent,
    Coordinator,
    FollowUp,
    Goal,
    Insats,
    Meeting,
    Need,
    Participant,
    Person,
    Plan,
)
from sip_tui.settings import Settings

ORG = "Exempelby kommun"

SECTIONS_AGREED = [
    "docx.h.goals",
    "docx.h.situation",
    "docx.h.needs",
    "docx.h.insatser",
    "docx.h.responsibility",
    "docx.h.followup",
    "docx.h.participants",
    "docx.h.consent",
    "docx.h.distribution",
    "docx.h.agreement",
    "docx.h.signatures",
]


# -- reading a .docx back ---------------------------------------------------------------


class Read:
    """An exported document as a participant sees it: blocks in order, split by Heading 1."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = Document(str(path))
        self.blocks: list[tuple[str, str]] = []  # (style name or "cell", text)
        for item in self.doc.iter_inner_content():
            if isinstance(item, Paragraph):
                self.blocks.append((item.style.name, item.text))
            else:
                assert isinstance(item, Table)
                for row in item.rows:
                    for cell in _unique_cells(row):
                        self.blocks.append((_cell_kind(cell), cell.text))
        self.headings = [text for style, text in self.blocks if style == "Heading 1"]
        self.sections: dict[str, str] = {}
        current = ""
        for style, text in self.blocks:
            if style == "Heading 1":
                current = text
                self.sections[current] = ""
            elif current:
                self.sections[current] += text + "\n"
        title_at = next(i for i, (style, _) in enumerate(self.blocks) if style == "Title")
        self.easy_read = "\n".join(text for _, text in self.blocks[:title_at])
        self.text = "\n".join(text for _, text in self.blocks)

    def section(self, key: str, **params: object) -> str:
        return self.sections[t(key, **params)]

    def row_with(self, text: str, columns: list[str] | None = None) -> list[str]:
        """The cells of the table row that contains ``text`` (in a table with these column headers)."""
        for table in self.doc.tables:
            if columns is not None and [cell.text for cell in _unique_cells(table.rows[0])] != columns:
                continue
            for row in table.rows:
                cells = [cell.text for cell in _unique_cells(row)]
                if any(text in cell for cell in cells):
                    return cells
        raise AssertionError(f"no table row contains {text!r}")

    def header_text(self) -> str:
        return "\n".join(p.text for p in self.doc.sections[0].header.paragraphs)

    def footer_text(self) -> str:
        return "\n".join(p.text for p in self.doc.sections[0].footer.paragraphs)


def participant_columns() -> list[str]:
    return [t("docx.col.name"), t("docx.col.role"), t("docx.col.organisation"), t("docx.col.attended")]


def _cell_kind(cell) -> str:
    """A table's caption (a heading in its first row) reads as that heading; other cells as "cell"."""
    style = cell.paragraphs[0].style.name
    return style if style.startswith("Heading") else "cell"


def _unique_cells(row):
    seen = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def package_text(path: Path) -> str:
    """Every XML part of the package (body, header, footer, metadata) as one string."""
    with zipfile.ZipFile(path) as package:
        return "\n".join(
            package.read(name).decode("utf-8") for name in package.namelist() if name.endswith((".xml", ".rels"))
        )


# -- plans ---------------------------------------------------------------------------------


@pytest.fixture
def demo(service) -> dict[str, Plan]:
    """The demo plans as the store holds them, by first name: Alva draft, Bo and Cecilia
    agreed v1, David agreed v2 after a follow-up, Elin closed."""
    load_demo(service)
    plans = [service.open(plan_id) for plan_id in service.store.plan_ids()]
    return {plan.person.first_name: plan for plan in plans}


def export(service, plan: Plan, path: Path, **settings) -> Read:
    service.settings = Settings(organisation=ORG, **settings)
    service.export_docx(plan, path)
    return Read(path)


_ENDING = " SLUTET PÅ MÅLET"
LONG_GOAL = ("Jag vill kunna laga mat själv och bjuda min syster på middag varje söndag. " * 80)[
    : 5000 - len(_ENDING)
] + _ENDING
ARABIC_NAME = "محمد عبد الله"
HEBREW_NAME = "שרה כהן"
ARABIC_GOAL = "أريد أن أعمل في مخبز وأن أتعلم اللغة السويدية"


def adversarial_plan() -> Plan:
    """RTL names, emoji, a 5,000-character goal, 30 insatser and control characters
    patched in after validation (the model itself refuses them)."""
    today = dt.date(2026, 3, 10)
    goals = [
        Goal(text=ARABIC_GOAL, term=GoalTerm.SHORT),
        Goal(text="Cykla till jobbet 🚲 varje dag 💪🏽", term=GoalTerm.SHORT),
        Goal(text=LONG_GOAL, term=GoalTerm.LONG),
    ]
    needs = [
        Need(area=LifeArea.HOUSING, description="Behöver en egen lägenhet 🏠", goal_ids=[goals[0].id]),
        Need(area=LifeArea.WORK, description="Behöver praktik", goal_ids=[goals[1].id, goals[2].id]),
    ]
    bodies = list(Body)
    insatser = [
        Insats(
            what=f"Insats nummer {n:02d}: " + ("steg för steg " * (n % 4 + 1)).strip(),
            need_ids=[needs[n % 2].id],
            body=bodies[n % len(bodies)],
            unit=f"Enhet {n:02d}",
            contact=f"Kontakt {n:02d}",
            start=today,
            done_by=today + dt.timedelta(days=30 + n),
        )
        for n in range(30)
    ]
    plan = Plan(
        person=Person(name=ARABIC_NAME, interpreter_needed=True, interpreter_language="arabiska"),
        meeting=Meeting(date=today, place="Rum 🌻 3"),
        consent=Consent(given=True, actors="Kommunen, Regionen", information="Allt som behövs", date=today),
        participants=[
            Participant(name=HEBREW_NAME, role="Tolk", organisation="Tolkförmedlingen", body=Body.OTHER),
            Participant(name="Zoë Ångström-Øberg", role="Socialsekreterare", organisation="Socialtjänsten"),
        ],
        situation="Bor hos en vän.\nVill flytta.",
        goals=goals,
        needs=needs,
        insatser=insatser,
        responsible=Body.KOMMUN,
        coordinator=Coordinator(name="Zoë Ångström-Øberg", body=Body.KOMMUN, phone="0470-12 34 56"),
        followup=FollowUp(date=today + dt.timedelta(days=30), start_time=dt.time(9, 30), form=MeetingForm.PHONE),
    )
    # the exporter must strip what the model would never let in
    plan.situation = "Bor hos\x00 en vän.\x07\nVill\x0b flytta.\x1f"
    plan.goals[1].text = "Cykla till\x08 jobbet 🚲 varje dag 💪🏽\ufffe"
    plan.participants[1].role = "Social\x01sekreterare"
    return plan


# -- content and order -------------------------------------------------------------------------


def test_agreed_plan_has_every_part_in_its_own_section_in_order(service, demo, tmp_path):
    plan = demo["Bo"]
    doc = export(service, plan, tmp_path / "bo.docx")

    assert doc.headings == [t(key) for key in SECTIONS_AGREED]
    goals = doc.section("docx.h.goals")
    for goal in plan.goals:
        assert goal.text in goals
    assert doc.section("docx.h.situation").count(plan.situation) == 1
    assert plan.strengths in doc.section("docx.h.situation")
    needs = doc.section("docx.h.needs")
    for need in plan.needs:
        assert need.description in needs
        assert label(need.area) in needs
    insatser = doc.section("docx.h.insatser")
    for insats in plan.insatser:
        assert insats.what in insatser
    responsibility = doc.section("docx.h.responsibility")
    assert plan.coordinator.name in responsibility
    assert plan.coordinator.phone in responsibility
    assert plan.coordinator.email in responsibility
    assert label(Body.KOMMUN) in responsibility
    followup = doc.section("docx.h.followup")
    assert plan.followup.date.isoformat() in followup
    assert "kl. 10.00–11.00" in followup
    assert plan.followup.place in followup
    assert plan.followup.called_by in followup
    participants = doc.section("docx.h.participants")
    for participant in plan.participants:
        assert participant.name in participants
        cells = doc.row_with(participant.name, participant_columns())
        assert cells == [
            participant.name,
            participant.role,
            participant.organisation,
            t("docx.yes") if participant.attended else t("docx.no"),
        ]
    assert doc.row_with(plan.person.name, participant_columns()) == [
        plan.person.name,
        t("docx.person_role"),
        "–",
        t("docx.yes"),
    ]
    consent = doc.section("docx.h.consent")
    assert plan.consent.actors in consent
    assert plan.consent.information in consent
    assert plan.consent.valid_until.isoformat() in consent
    assert t("docx.consent_withdraw") in consent
    distribution = doc.section("docx.h.distribution")
    assert all(r.name in distribution for r in plan.distribution)
    agreement = doc.section("docx.h.agreement")
    assert ", ".join(plan.agreement.by) in agreement
    assert f"{plan.meeting.date.isoformat()} kl. 11.30" in agreement, "agreed at the meeting"
    signatures = doc.section("docx.h.signatures")
    for name in [plan.person.name] + [p.name for p in plan.participants]:
        assert name in signatures


def test_insatser_are_grouped_kommun_region_then_other_actors_with_every_detail(service, demo, tmp_path):
    plan = demo["Bo"]
    doc = export(service, plan, tmp_path / "bo.docx")
    start = doc.blocks.index(("Heading 1", t("docx.h.insatser")))
    end = doc.blocks.index(("Heading 1", t("docx.h.responsibility")))
    group_of: dict[str, str] = {}
    groups: list[str] = []
    for style, text in doc.blocks[start:end]:
        if style in ("Heading 2", "Heading 3"):
            groups.append(text)
        for insats in plan.insatser:
            if style == "cell" and insats.what in text:
                group_of[insats.what] = groups[-1]

    assert groups == [
        t("docx.insatser.huvudman", body=label(Body.KOMMUN)),
        t("docx.insatser.huvudman", body=label(Body.REGION)),
        t("docx.insatser.others"),
        label(Body.FK),
        label(Body.AF),
        label(Body.PERSON),
    ]
    for insats in plan.insatser:
        expected = (
            t("docx.insatser.huvudman", body=label(insats.body))
            if insats.body in (Body.KOMMUN, Body.REGION)
            else label(insats.body)
        )
        assert group_of[insats.what] == expected
        what, who, when, status = doc.row_with(insats.what)
        assert insats.unit in who and insats.contact in who
        assert f"{t('docx.insats.start')} {insats.start.isoformat()}" in when
        if insats.done_by:
            assert f"{t('docx.insats.done_by')} {insats.done_by.isoformat()}" in when
        else:  # one date: it says it is the start, and no empty done-by is printed
            assert t("docx.insats.done_by") not in when
        assert status == label(insats.status)
        need = plan.need(insats.need_ids[0])
        assert label(need.area) in what  # which need it answers


def test_needs_name_their_goals_and_goals_are_numbered_short_term_first(service, demo, tmp_path):
    plan = demo["Bo"]
    doc = export(service, plan, tmp_path / "bo.docx")
    goals = doc.section("docx.h.goals")
    assert goals.index(t("docx.goal_caption", number=1, term=label(GoalTerm.SHORT))) < goals.index(plan.goals[0].text)
    assert goals.index(t("docx.goal_caption", number=2, term=label(GoalTerm.LONG))) < goals.index(plan.goals[1].text)
    numbers = {goal.id: n for n, goal in enumerate(sorted(plan.goals, key=lambda g: g.term != GoalTerm.SHORT), 1)}
    for need in plan.needs:
        at = doc.blocks.index(("Normal", need.description))
        heading = next(text for style, text in reversed(doc.blocks[:at]) if style == "Heading 2")
        assert heading == label(need.area)
        refs = ", ".join(str(numbers[g]) for g in need.goal_ids)
        assert doc.blocks[at + 1] == ("Small", t("docx.need_goals", goals=refs))


def test_revised_plan_says_what_changed_and_why_and_lists_the_deviation(service, demo, tmp_path):
    plan = demo["David"]
    assert plan.version == 2
    doc = export(service, plan, tmp_path / "david.docx")
    changes_heading = t("docx.h.changes_since", version=1)
    assert doc.headings[-4:] == [t("docx.h.agreement"), changes_heading, t("docx.h.deviations"), t("docx.h.signatures")]
    changes = doc.sections[changes_heading]
    assert plan.agreement.change_reason in changes
    assert f"{label(InsatsStatus.PLANNED)} → {label(InsatsStatus.ONGOING)}" in changes
    assert "Har gått på fyra samtal" in changes
    assert "10.00 → 13.00" in changes  # times as people write them, not 10:00:00
    deviations = doc.section("docx.h.deviations")
    assert plan.deviations[0].description in deviations
    assert label(plan.deviations[0].type) in deviations
    # the follow-up booked at the follow-up meeting, not the one that was held
    assert plan.followup.date.isoformat() in doc.section("docx.h.followup")
    assert "kl. 13.00" in doc.section("docx.h.followup")
    assert "14.00" not in doc.section("docx.h.followup"), "no end time is invented when none was booked"


def test_closed_plan_shows_closure(service, demo, tmp_path):
    plan = demo["Elin"]
    doc = export(service, plan, tmp_path / "elin.docx")
    assert t("docx.h.closure") in doc.headings
    closure = doc.section("docx.h.closure")
    assert label(plan.closure.outcome) in closure
    assert plan.closure.note in closure
    assert plan.closure.date.isoformat() in closure


def test_draft_is_marked_and_empty_sections_are_left_out(service, demo, tmp_path):
    plan = demo["Alva"]
    doc = export(service, plan, tmp_path / "alva.docx")
    assert t("docx.draft_notice", version=1) in doc.text
    assert t("docx.version_draft", version=1) in doc.footer_text()
    for absent in ("docx.h.needs", "docx.h.distribution", "docx.h.deviations", "docx.h.closure", "docx.h.changes"):
        assert t(absent) not in doc.headings
    # the law's parts are always there, saying what is missing
    assert t("docx.no_insatser") in doc.section("docx.h.insatser")
    assert t("docx.followup_none") in doc.section("docx.h.followup")
    assert t("docx.agreement_draft", version=1) in doc.section("docx.h.agreement")


# -- privacy ----------------------------------------------------------------------------------------


def test_personnummer_only_with_the_setting(service, demo, tmp_path):
    plan = demo["Bo"]
    pnr = plan.person.personnummer
    assert pnr == "19900101-0017"
    without = export(service, plan, tmp_path / "without.docx")
    raw = package_text(without.path)
    for form in (pnr, pnr.replace("-", ""), pnr[2:], pnr[2:].replace("-", "")):
        assert form not in raw
    assert t("docx.f.personnummer") not in without.text

    with_pnr = export(service, plan, tmp_path / "with.docx", export_personnummer=True)
    assert with_pnr.row_with(t("docx.f.personnummer")) == [t("docx.f.personnummer"), pnr]


def test_nothing_of_another_plan_appears(service, demo, tmp_path):
    bo, alva = demo["Bo"], demo["Alva"]
    strange = adversarial_plan()
    first = export(service, bo, tmp_path / "bo-1.docx")
    export(service, alva, tmp_path / "alva.docx")
    write_docx(strange, None, Settings(organisation=ORG), tmp_path / "strange.docx")
    again = export(service, bo, tmp_path / "bo-2.docx")
    for doc in (first, again):
        raw = package_text(doc.path)
        for foreign in (alva.person.name, "Påhittad", alva.goals[0].text, alva.situation, ARABIC_NAME, HEBREW_NAME):
            assert foreign not in raw
        for other in ("Cecilia", "Fiktiv", "David", "Testman", "Elin", "Demosson"):
            assert other not in raw
    assert first.text == again.text


def test_metadata_carries_no_personal_data(service, demo, tmp_path):
    plan = demo["Bo"]
    doc = export(service, plan, tmp_path / "bo.docx")
    props = doc.doc.core_properties
    assert props.author == ORG
    assert plan.person.name not in " ".join(
        str(value) for value in (props.title, props.subject, props.comments, props.keywords, props.last_modified_by)
    )


# -- robustness ---------------------------------------------------------------------------------------


def test_adversarial_plan_exports_whole_and_clean(tmp_path):
    plan = adversarial_plan()
    path = write_docx(plan, None, Settings(organisation=ORG), tmp_path / "strange.docx")
    doc = Read(path)
    raw = package_text(path)
    for char in ("\x00", "\x01", "\x07", "\x08", "\x0b", "\x1f", "\ufffe"):
        assert char not in raw
    goals = doc.section("docx.h.goals")
    assert len(LONG_GOAL) == 5000
    assert LONG_GOAL in goals  # all 5,000 characters, nothing cut
    assert "Cykla till jobbet 🚲 varje dag 💪🏽" in goals
    assert ARABIC_GOAL in goals
    situation = doc.section("docx.h.situation")
    assert "Bor hos en vän." in situation and "Vill flytta." in situation
    insatser = doc.section("docx.h.insatser")
    for insats in plan.insatser:
        assert insats.what in insatser
    assert insatser.count("Insats nummer") == 30
    participants = doc.section("docx.h.participants")
    assert HEBREW_NAME in participants
    assert doc.row_with("Zoë Ångström-Øberg", participant_columns())[1] == "Socialsekreterare"
    assert ARABIC_NAME in doc.blocks[doc.blocks.index(("Title", t("docx.title"))) + 1][1]


def test_markup_tabs_and_line_breaks_in_typed_text_print_as_typed(tmp_path):
    plan = adversarial_plan()
    plan.insatser[0].what = 'Stöd <b>&amp; "mer"</b> [b]fet[/b]\tmed tab\nand en ny rad'
    plan.participants[1].organisation = "Socialtjänsten & <Region>"
    doc = Read(write_docx(plan, None, Settings(organisation="Kommun & <Co>"), tmp_path / "typed.docx"))
    assert doc.row_with("Stöd <b>")[0].startswith('Stöd <b>&amp; "mer"</b> [b]fet[/b]\tmed tab\nand en ny rad')
    assert doc.row_with("Zoë Ångström-Øberg", participant_columns())[2] == "Socialtjänsten & <Region>"
    assert "Kommun & <Co>" in doc.header_text()


def test_right_to_left_paragraphs_are_marked_and_others_are_not(tmp_path):
    path = write_docx(adversarial_plan(), None, Settings(), tmp_path / "rtl.docx")
    doc = Document(str(path))
    paragraphs = list(doc.paragraphs) + [p for table in doc.tables for cell in table._cells for p in cell.paragraphs]

    def marked(paragraph) -> tuple[bool, bool]:
        ppr = paragraph._p.pPr
        bidi = ppr is not None and ppr.find(qn("w:bidi")) is not None
        runs = [r for r in paragraph.runs if r.text]
        return bidi, bool(runs) and all(r.font.rtl for r in runs)

    rtl = [p for p in paragraphs if p.text in (ARABIC_GOAL, ARABIC_NAME, HEBREW_NAME)]
    assert {p.text for p in rtl} == {ARABIC_GOAL, ARABIC_NAME, HEBREW_NAME}
    assert all(marked(p) == (True, True) for p in rtl)
    swedish = [p for p in paragraphs if p.text.startswith(("Insats nummer", "Cykla", "Bor hos"))]
    assert swedish and all(marked(p) == (False, False) for p in swedish)


def test_tables_fit_the_page_and_wrap_long_text(tmp_path):
    path = write_docx(adversarial_plan(), None, Settings(), tmp_path / "wide.docx")
    doc = Document(str(path))
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7  # A4
    text_width = Length(section.page_width - section.left_margin - section.right_margin)
    assert abs(text_width - TEXT_WIDTH) < 1000
    assert len(doc.tables) >= 8
    for table in doc.tables:
        grid = table._tbl.tblGrid
        widths = [int(col.get(qn("w:w"))) for col in grid.findall(qn("w:gridCol"))]
        assert sum(widths) <= text_width.twips + 2
        assert min(widths) >= 1000  # no sliver of a column
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"  # wraps, never widens


def test_writes_atomically_into_new_folders(service, demo, tmp_path):
    target = tmp_path / "new" / "folder" / "plan.docx"
    export(service, demo["Bo"], target)
    assert target.is_file()
    assert [p.name for p in target.parent.iterdir()] == ["plan.docx"]  # no temporary file left behind
    with pytest.raises(OSError):
        write_docx(demo["Bo"], None, Settings(), tmp_path / "new")  # a folder: refused, nothing half-written
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["folder"]


# -- easy-read first page ---------------------------------------------------------------------------------


def test_easy_read_first_page_then_the_plan(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.insatser[2].status = InsatsStatus.DONE  # finished: not "what happens next"
    doc = export(service, plan, tmp_path / "bo.docx")
    easy = doc.easy_read
    assert doc.blocks[0] == ("Easy read title", t("docx.easy.title"))
    for goal in plan.goals:
        assert goal.text in easy
    for insats in plan.insatser:
        assert (insats.what in easy) == (insats.status != InsatsStatus.DONE)
    assert plan.coordinator.name in easy
    assert t("docx.easy.phone", phone=plan.coordinator.phone) in easy
    day = plan.followup.date
    assert f"{day.day} {t(f'docx.month.{day.month}')} {day.year} klockan 10.00" in easy
    assert plan.followup.place in easy
    for style, _ in doc.blocks[: len(easy.splitlines())]:
        assert style.startswith("Easy read")
    styles = doc.doc.styles
    assert styles["Easy read"].font.size.pt >= 16
    title = next(p for p in doc.doc.paragraphs if p.style.name == "Title")
    assert title.paragraph_format.page_break_before  # the plan starts on a new page


def test_easy_read_page_can_be_turned_off(service, demo, tmp_path):
    doc = export(service, demo["Bo"], tmp_path / "bo.docx", easy_read_page=False)
    assert doc.blocks[0] == ("Title", t("docx.title"))
    assert t("docx.easy.title") not in doc.text
    assert not doc.doc.paragraphs[0].paragraph_format.page_break_before


# -- template, language, header and footer -------------------------------------------------------------------


def test_styles_are_swedish_for_spell_check(service, demo, tmp_path):
    doc = export(service, demo["Bo"], tmp_path / "bo.docx")
    for path in (doc.path, docx_export.DEFAULT_TEMPLATE):
        styles = Document(str(path)).styles.element
        default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
        assert default.get(qn("w:val")) == "sv-SE"
        for name in ("Normal", "Heading 1", "Easy read", "Goal", "Table text"):
            style = Document(str(path)).styles[name]
            assert style.element.rPr.find(qn("w:lang")).get(qn("w:val")) == "sv-SE", name


def test_header_and_footer_carry_title_organisation_version_and_page_numbers(service, demo, tmp_path):
    plan = demo["Bo"]
    doc = export(service, plan, tmp_path / "bo.docx")
    header, footer = doc.header_text(), doc.footer_text()
    assert t("docx.header_title") in header and ORG in header
    assert t("docx.version_n", version=1) in footer
    assert plan.agreement.at.date().isoformat() in footer
    assert footer.split("\t")[1].startswith("Sida ") and " av " in footer
    footer_xml = doc.doc.sections[0].footer._element.xml
    instructions = [node.text.strip() for node in doc.doc.sections[0].footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer_xml.count('w:fldCharType="begin"') == 2
    assert "{" not in header + footer  # every placeholder filled


def test_english_export(service, demo, tmp_path):
    plan = demo["Bo"]
    path = write_docx(plan, None, Settings(organisation=ORG), tmp_path / "en.docx", language="en")
    assert i18n.language() == "sv"  # the UI language is left as it was
    doc = Read(path)
    assert "The person's own goals" in doc.headings
    assert "My plan" in doc.easy_read
    assert "Page " in doc.footer_text()
    lang = doc.doc.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val"))
    assert lang == "en-GB"


def test_english_export_while_the_ui_is_swedish_is_all_english(service, demo, tmp_path, monkeypatch):
    """The language is the export's own: the UI stays Swedish throughout, and the
    document is word for word the one an English UI exports."""
    plan, previous = demo["David"], service._previous_version(demo["David"])
    ui_during_export = []
    write = docx_export._PlanWriter.write

    def recording_write(writer):
        # what the screen, drawn by another thread meanwhile, would read
        with ThreadPoolExecutor(1) as screen:
            ui_during_export.append(screen.submit(i18n.t, "app.yes").result())
        write(writer)

    monkeypatch.setattr(docx_export._PlanWriter, "write", recording_write)
    chosen = Read(write_docx(plan, previous, Settings(organisation=ORG), tmp_path / "chosen.docx", language="en"))
    assert ui_during_export == ["Ja"] and i18n.language() == "sv"
    i18n.set_language("en")
    try:
        english_ui = Read(write_docx(plan, previous, Settings(organisation=ORG), tmp_path / "english-ui.docx"))
    finally:
        i18n.set_language("sv")
    assert chosen.blocks == english_ui.blocks
    assert (chosen.header_text(), chosen.footer_text()) == (english_ui.header_text(), english_ui.footer_text())
    swedish = {sv for key, (sv, en) in STRINGS.items() if key.startswith(("docx.", "enum.")) and sv != en and "{" not in sv}
    typed = set(_strings(plan.model_dump(mode="json")))  # "Arbetsförmedlingen" typed as an organisation stays
    assert not (swedish & {text for _, text in chosen.blocks}) - typed, "no heading, label or value in Swedish"
    assert "The person's own goals" in chosen.headings and t("docx.page") not in chosen.footer_text()


def _strings(value: object):
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _template_without(tmp_path: Path, style: str) -> Path:
    document = Document(str(docx_export.DEFAULT_TEMPLATE))
    element = document.styles[style].element
    element.getparent().remove(element)
    path = tmp_path / f"no-{style}.docx"
    document.save(str(path))
    return path


@pytest.mark.parametrize("style", ["Goal", "Heading 1", "Easy read", "SIP Table"])
def test_template_missing_a_style_gives_a_clear_error(service, demo, tmp_path, style):
    assert style in REQUIRED_STYLES
    template = _template_without(tmp_path, style)
    service.settings = Settings(template=template)
    out = tmp_path / "plan.docx"
    with pytest.raises(TemplateError) as caught:
        service.export_docx(demo["Bo"], out)
    assert caught.value.code == "docx.error.style_missing"
    assert f"”{style}”" in str(caught.value) and str(template) in str(caught.value)
    assert t(caught.value.code, **caught.value.params) == str(caught.value)  # what the app shows
    assert not out.exists()


def test_template_that_is_missing_or_not_a_word_file(tmp_path):
    plan = adversarial_plan()
    with pytest.raises(TemplateError) as caught:
        write_docx(plan, None, Settings(template=tmp_path / "gone.docx"), tmp_path / "out.docx")
    assert caught.value.code == "docx.error.template_not_found"
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        write_docx(plan, None, Settings(template=junk), tmp_path / "out.docx")
    assert caught.value.code == "docx.error.template_unreadable"
    assert not (tmp_path / "out.docx").exists()


def test_reading_a_broken_template_ahead_of_the_export_leaves_the_error_to_the_export(service, demo, tmp_path):
    """The app reads the template while the room reads the review step: a broken
    one must not fail there (nobody asked for a document yet), only the export says so."""
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip", encoding="utf-8")
    service.settings = Settings(template=junk)
    service.prepare_export()
    with pytest.raises(TemplateError) as caught:
        service.export_docx(demo["Bo"], tmp_path / "out.docx")
    assert caught.value.code == "docx.error.template_unreadable"


def test_organisations_own_template_dotx_with_split_placeholders(service, demo, tmp_path):
    document = Document(str(docx_export.DEFAULT_TEMPLATE))
    header = document.sections[0].header.paragraphs[0]
    for run in header.runs:
        run.text = ""
    header.runs[0].text = "Samordningsförbundet – {orga"  # Word often splits a word over runs
    header.runs[1].text = "nisation} – {title}"
    document.styles["Normal"].font.name = "Georgia"
    document.add_paragraph("Instruktion i mallen som inte ska med i planen")
    docx_path = tmp_path / "org.docx"
    document.save(str(docx_path))
    dotx_path = tmp_path / "org.dotx"  # saved by Word as a template
    with zipfile.ZipFile(docx_path) as source, zipfile.ZipFile(dotx_path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)

    doc = export(service, demo["Bo"], tmp_path / "bo.docx", template=dotx_path)
    assert doc.header_text() == f"Samordningsförbundet – {ORG} – {t('docx.header_title')}"
    assert doc.doc.styles["Normal"].font.name == "Georgia"
    assert "Instruktion i mallen" not in doc.text
    assert demo["Bo"].goals[0].text in doc.section("docx.h.goals")


def test_an_edited_template_is_used_from_the_next_export_on(service, demo, tmp_path):
    """The template is read once per content: changing the file takes effect at
    once, and going back to an earlier version of it works too."""
    path = tmp_path / "org.docx"

    def save_template(header: str, font: str) -> None:
        document = Document(str(docx_export.DEFAULT_TEMPLATE))
        paragraph = document.sections[0].header.paragraphs[0]
        for run in paragraph.runs[1:]:
            run.text = ""
        paragraph.runs[0].text = header
        document.styles["Normal"].font.name = font
        document.save(str(path))

    for header, font in (("Kommunen – {title}", "Georgia"), ("Regionen – {title}", "Verdana"), ("Kommunen – {title}", "Georgia")):
        save_template(header, font)
        doc = export(service, demo["Bo"], tmp_path / "bo.docx", template=path)
        assert doc.header_text().startswith(header.replace("{title}", t("docx.header_title")))
        assert doc.doc.styles["Normal"].font.name == font


def test_base_template_is_built_in_memory_when_the_file_is_absent(service, demo, tmp_path, monkeypatch):
    monkeypatch.setattr(docx_export, "DEFAULT_TEMPLATE", tmp_path / "not-installed.docx")
    doc = export(service, demo["Bo"], tmp_path / "bo.docx")
    assert all(name in doc.doc.styles for name in REQUIRED_STYLES)
    assert ORG in doc.header_text()


def test_committed_template_is_what_the_builder_makes():
    """sip_tui/templates/sip-base.docx was regenerated (make template) after the last style change."""
    import io

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {name: package.read(name) for name in package.namelist()}

    assert parts((docx_export.DEFAULT_TEMPLATE).read_bytes()) == parts(base_template_bytes())


# -- rendered by LibreOffice, as a participant gets it printed or as PDF -----------------------------------


def to_pdf(docx_path: Path, out_dir: Path) -> Path:
    """Convert with LibreOffice headless (its own profile, so a running LibreOffice does not interfere)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out_dir / f"{docx_path.stem}.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page (needs pdftotext), words joined by single spaces."""
    if shutil.which("pdftotext") is None:
        return []
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_pdf_opens_on_the_easy_read_page_and_numbers_its_pages(service, demo, tmp_path):
    plan = demo["Bo"]
    pdf = to_pdf(export(service, plan, tmp_path / "bo.docx").path, tmp_path)
    pages = pdf_pages(pdf)
    if not pages:
        return  # the PDF exists; without pdftotext its text cannot be read here
    first = pages[0]
    assert first.startswith(f"{t('docx.header_title')} {ORG} {t('docx.easy.title')}")  # header, then "Min plan"
    assert plan.goals[0].text in first and plan.goals[1].text in first
    assert t("docx.h.goals") not in first and plan.person.name not in first  # the full plan starts on page 2
    assert pages[1].startswith(f"{t('docx.header_title')} {ORG} {t('docx.title')} {plan.person.name}")
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Sida {number} av {len(pages)}"), page[-40:]  # footer fields work


def test_pdf_keeps_every_signature_row(service, demo, tmp_path):
    """The revised demo plan once lost every signature row after the first in
    LibreOffice, when the table split right after that row."""
    plan = demo["David"]
    pdf = to_pdf(export(service, plan, tmp_path / "david.docx").path, tmp_path)
    pages = pdf_pages(pdf)
    if not pages:
        return
    text = " ".join(pages)
    signatures = text[text.index(t("docx.h.signatures")) :]
    for name in [plan.person.name, *(p.name for p in plan.participants)]:
        assert name in signatures, name
    assert all(page.count("Sida ") == 1 for page in pages)  # no blank page left behind either


def test_the_person_added_as_a_participant_too_is_listed_and_signs_once(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.participants.insert(0, Participant(name="bo exempelsson ", role="Personen", body=Body.PERSON))
    doc = export(service, plan, tmp_path / "bo.docx")
    assert doc.section("docx.h.participants").casefold().count("bo exempelsson") == 1
    signing, copy = doc.section("docx.h.signatures").split(t("docx.copy_received"))
    assert signing.casefold().count("bo exempelsson") == 1
    assert copy.casefold().count("bo exempelsson") == 1  # and signs for a copy of the plan
    assert "Karin Demo" in doc.section("docx.h.signatures"), "the others still sign"


def test_a_corrected_personnummer_shows_as_changed_but_never_in_full(service, demo, tmp_path):
    plan = demo["David"].model_copy(deep=True)
    plan.person.personnummer = "19751224-1246"  # corrected in the follow-up; version 1 has 19751224-1238
    doc = export(service, plan, tmp_path / "david.docx")
    changes = doc.sections[t("docx.h.changes_since", version=1)]
    said = t("describe.changed", what=t("field.person.personnummer"))
    assert f"{t('section.person')}: {said}" in changes
    assert "19751224" not in package_text(tmp_path / "david.docx"), "without the setting not even the birth date"


# -- a table continued on a new page ------------------------------------------------------------


def one_body_plan(body: Body = Body.REGION) -> Plan:
    """The 30 insatser all with one body: a table that runs over several pages."""
    plan = adversarial_plan()
    for insats in plan.insatser:
        insats.body = body
    return plan


def test_a_continued_insats_table_repeats_its_caption_and_column_headers(tmp_path):
    path = write_docx(one_body_plan(), None, Settings(organisation=ORG), tmp_path / "long.docx")
    doc = Document(str(path))
    caption = t("docx.insatser.huvudman", body=label(Body.REGION))
    [table] = [table for table in doc.tables if table.rows[0].cells[0].text == caption]
    caption_row, header_row = table.rows[0], table.rows[1]
    assert len(list(_unique_cells(caption_row))) == 1, "the caption spans the table"
    assert table.rows[0].cells[0].paragraphs[0].style.name == "Heading 2"
    assert [cell.text for cell in header_row.cells] == [
        t("docx.col.insats"),
        t("docx.col.unit_contact"),
        t("docx.col.when"),
        t("docx.col.status"),
    ]
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert repeated == [True, True] + [False] * 30  # caption and column headers repeat, the insatser do not
    assert all(insats.what in table._tbl.xml for insats in one_body_plan().insatser)


def test_rendered_table_continued_on_the_next_page_starts_with_its_caption(tmp_path):
    path = write_docx(one_body_plan(), None, Settings(organisation=ORG), tmp_path / "long.docx")
    pages = pdf_pages(to_pdf(path, tmp_path))
    if not pages:
        pytest.skip("pdftotext is not installed")
    caption = t("docx.insatser.huvudman", body=label(Body.REGION))
    columns = " ".join([t("docx.col.insats"), t("docx.col.unit_contact"), t("docx.col.when"), t("docx.col.status")])
    top = f"{t('docx.header_title')} {ORG} {t('docx.draft_marker')} {caption} {columns} Insats nummer"
    started = next(n for n, page in enumerate(pages) if f"{caption} {columns}" in page)
    continued = [n for n, page in enumerate(pages) if page.startswith(top)]
    assert continued and continued[0] == started + 1, "the next page opens with the caption and the column headers"
    for page in pages[started + 1 : continued[-1] + 1]:
        assert page.startswith(top), page[:160]
    assert all(f"Insats nummer {n:02d}:" in " ".join(pages) for n in range(30))


@pytest.mark.parametrize(("insatser", "line"), [(4, "Och en sak till."), (5, "Och 2 saker till.")])
def test_min_plan_counts_what_did_not_fit_in_words(service, tmp_path, monkeypatch, insatser, line):
    monkeypatch.setattr(docx_export, "EASY_INSATSER", 3)  # room for three on "Min plan"
    plan = Plan(person=Person(name="Maja Påhittad"), goals=[Goal(text="Eget boende")])
    plan.insatser = [Insats(what=f"Stöd nummer {n}", body=Body.KOMMUN) for n in range(insatser)]
    read = export(service, plan, tmp_path / "more.docx")
    assert line in read.easy_read
