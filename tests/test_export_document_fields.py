"""Issue 11: what the meeting records is printed, in its section, in every state
of the plan (draft, agreed, follow-up, closed), and the document's states,
times and right-to-left runs read back from the .docx."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_export_docx import adversarial_plan, export, pdf_pages, to_pdf

from sip_tui.demo import load_demo
from sip_tui.export.docx import write_docx
from sip_tui.i18n import t
from sip_tui.models.enums import GoalTerm, MeetingKind, Outcome, PlanStatus
from sip_tui.models.plan import Agreement, Closure, Goal, Insats, Participant, Representative
from sip_tui.settings import Settings

FIELDS = {
    "start": "10.00",
    "end": "11.30",
    "reason": "Flera aktörer men ingen helhet",
    "question": "Hur får Bo ett eget boende?",
    "requested_by": "Bo själv via telefon",
    "chair": "Karin Demo",
    "secretary": "Sekreterare Sara",
    "earlier": "Boendestöd sedan 2025",
    "effect": "Fungerar bra på vardagar",
    "differ": "Bo vill bo i stan; kommunen erbjuder lägenhet i Ryd",
    "communication": "Teckenspråk och hörslinga",
    "language": "arabiska",
    "not_covered": "Uppgifter om tidigare vård",
    "invitees": "Bo, Karin och Arbetsförmedlingen",
    "address": "Storgatan 1, 352 30 Växjö",
    "phone": "070-000 00 01",
    "email": "bo@example.org",
    "participant_contact": "0470-99 99 99",
    "initiated_by": "Socialtjänsten Initiator",
}


def recorded(plan, state: str):
    plan = plan.model_copy(deep=True)
    meeting = plan.meeting
    meeting.start_time, meeting.end_time = dt.time(10, 0), dt.time(11, 30)
    meeting.reason, meeting.question = FIELDS["reason"], FIELDS["question"]
    meeting.requested_on, meeting.requested_by = dt.date(2026, 2, 1), FIELDS["requested_by"]
    meeting.chair, meeting.secretary = FIELDS["chair"], FIELDS["secretary"]
    meeting.initiated_by, meeting.initiated_on = FIELDS["initiated_by"], dt.date(2026, 1, 20)
    plan.earlier_actions, plan.earlier_actions_effect = FIELDS["earlier"], FIELDS["effect"]
    plan.goals_differ = FIELDS["differ"]
    person = plan.person
    person.communication, person.interpreter_needed = FIELDS["communication"], False
    person.interpreter_language = FIELDS["language"]
    person.address, person.phone, person.email = FIELDS["address"], FIELDS["phone"], FIELDS["email"]
    plan.consent.not_covered = FIELDS["not_covered"]
    plan.followup.invitees = FIELDS["invitees"]
    overall = Goal(text="Ett eget liv", term=GoalTerm.LONG)
    sub = Goal(text="Ett eget kontrakt", term=GoalTerm.SHORT, parent_id=overall.id)
    plan.goals = [sub, overall]
    plan.insatser.append(Insats(what="Söka lägenheter varje vecka", goal_id=sub.id, contact="Olle Kontakt"))
    plan.participants.append(Participant(name="Olle Kontakt", role="Boendestöd", contact=FIELDS["participant_contact"]))
    plan.person.representative = Representative(name="God Man", relation="god man")
    if state == "draft":
        plan.status, plan.agreement = PlanStatus.DRAFT, None
    elif state == "followup":
        plan.status, meeting.kind = PlanStatus.FOLLOW_UP, MeetingKind.FOLLOW_UP
        sub.reached = True
    elif state == "closed":
        plan.status = PlanStatus.CLOSED
        plan.closure = Closure(date=dt.date(2026, 6, 1), outcome=Outcome.NEED_MET)
    return plan


@pytest.fixture
def demo(service):
    load_demo(service)
    return {plan.person.first_name: plan for plan in map(service.open, service.store.plan_ids())}


STATES = ["draft", "agreed", "followup", "closed"]


@pytest.mark.parametrize("state", STATES)
def test_every_recorded_field_is_printed_in_its_section(service, demo, tmp_path, state):
    plan = recorded(demo["Bo"], state)
    doc = export(service, plan, tmp_path / f"{state}.docx")
    front = doc.text[: doc.text.index(t("docx.h.goals"))]  # the title's facts
    for key in ("address", "phone", "email", "communication", "language", "chair", "secretary", "requested_by", "initiated_by"):
        assert FIELDS[key] in front, key
    assert "2026-02-01" in front and "2026-01-20" in front
    assert f"kl. {FIELDS['start']}–{FIELDS['end']}" in front
    why = doc.section("docx.h.why")
    assert FIELDS["reason"] in why and FIELDS["question"] in why
    situation = doc.section("docx.h.situation")
    assert FIELDS["earlier"] in situation and FIELDS["effect"] in situation
    goals = doc.section("docx.h.goals")
    assert FIELDS["differ"] in goals
    assert t("docx.subgoal_caption", number=1, parent=2, term="kort sikt").split(" · ")[0] in goals
    assert (t("docx.goal_reached") in goals) == (state == "followup")
    row = doc.row_with("Söka lägenheter varje vecka")
    assert f"{t('docx.insats.for_goal')} 1" in row[0]
    assert FIELDS["participant_contact"] in row[1]  # the contact's phone from the participant list
    assert FIELDS["participant_contact"] in doc.section("docx.h.participants")
    assert "mötesledare" in doc.section("docx.h.participants")  # Karin's role in the meeting
    assert FIELDS["not_covered"] in doc.section("docx.h.consent")
    signatures = doc.section("docx.h.signatures")
    assert t("docx.copy_received") in signatures
    if state == "closed":
        assert t("docx.h.followup") not in doc.headings
        assert t("docx.easy.next") not in doc.easy_read
        assert t("docx.easy.closed", date="den 1 juni 2026") in doc.easy_read
    else:
        assert FIELDS["invitees"] in doc.section("docx.h.followup")
    if state in ("draft", "followup"):
        assert t("docx.signatures_intro") not in doc.text  # no "we agree" in a draft
        assert t("docx.signatures_draft") in signatures
        assert t("docx.draft_marker") in doc.header_text()
        assert t("docx.easy.intro", date="x").split("{")[0][:10] not in doc.easy_read
    else:
        assert t("docx.signatures_intro") in signatures
        assert t("docx.draft_marker") not in doc.header_text()


def test_absent_person_is_listed_as_taking_part_and_min_plan_does_not_say_together(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.person_attended, plan.person_absent_reason = False, "Sjuk"
    plan.participants[-1].attended = False
    doc = export(service, plan, tmp_path / "absent.docx")
    assert "tillsammans" not in doc.easy_read
    assert t("docx.easy.intro_absent", date="").split("{")[0][:15] in doc.easy_read
    signatures = doc.section("docx.h.signatures")
    signing, absent = signatures.split(t("docx.signatures_absent"))
    assert plan.participants[-1].name in absent and plan.participants[-1].name not in signing.split(t("docx.copy_received"))[0]
    assert plan.person.name in absent


def test_no_invented_end_time_and_agreement_on_the_organisations_clock(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.followup.end_time = None
    # agreed 09:15 UTC = 10:15 in Stockholm (winter), whatever the machine's zone
    plan.agreement = Agreement(at=dt.datetime(2026, 3, 1, 9, 15, tzinfo=dt.UTC), by=["Bo"])
    doc = export(service, plan, tmp_path / "times.docx")
    followup = doc.section("docx.h.followup")
    assert "kl. 10.00" in followup and "–" not in followup.split("kl. 10.00")[1].split("\n")[0]
    assert "2026-03-01 kl. 10.15" in doc.section("docx.h.agreement")
    doc = export(service, plan, tmp_path / "times-utc.docx", timezone="UTC")
    assert "2026-03-01 kl. 09.15" in doc.section("docx.h.agreement")


def test_word_opens_without_compatibility_mode(service, demo, tmp_path):
    doc = export(service, demo["Bo"], tmp_path / "mode.docx")
    with zipfile.ZipFile(doc.path) as package:
        settings = package.read("word/settings.xml").decode()
    assert 'w:name="compatibilityMode"' in settings
    assert 'w:val="15"' in settings.split('w:name="compatibilityMode"')[1][:120]


def test_a_mixed_line_keeps_its_order_and_only_the_arabic_run_is_right_to_left(tmp_path):
    plan = adversarial_plan()
    plan.person.representative = Representative(name="فاطمة الأحمد", relation="God man", contact="070-111 22 33")
    path = write_docx(plan, None, Settings(), tmp_path / "mixed.docx")
    doc = Document(str(path))
    cells = [p for table in doc.tables for cell in table._cells for p in cell.paragraphs]
    [line] = [p for p in cells if p.text == "فاطمة الأحمد, God man, 070-111 22 33"]
    assert line._p.pPr is None or line._p.pPr.find(qn("w:bidi")) is None  # the paragraph reads left to right
    runs = [(r.text, bool(r.font.rtl)) for r in line.runs]
    assert runs == [("فاطمة الأحمد", True), (", God man, 070-111 22 33", False)]


def test_overdue_done_by_is_flagged_and_one_date_says_which(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.insatser.append(Insats(what="Gammal insats", done_by=dt.date(2025, 1, 1)))
    plan.insatser.append(Insats(what="Bara start", start=dt.date(2026, 5, 1)))
    doc = export(service, plan, tmp_path / "late.docx")
    late = doc.row_with("Gammal insats")[2]
    assert t("docx.insats.overdue") in late and t("docx.insats.start") not in late
    assert t("docx.insats.done_by") not in doc.row_with("Bara start")[2]


def test_coordinator_unit_does_not_repeat_the_body(service, demo, tmp_path):
    plan = demo["Bo"].model_copy(deep=True)
    plan.coordinator.unit = "Socialtjänsten, Tingsryds kommun"
    doc = export(service, plan, tmp_path / "unit.docx")
    assert "Tingsryds kommun, Kommun" not in doc.section("docx.h.responsibility")
    assert "Socialtjänsten, Tingsryds kommun" in doc.section("docx.h.responsibility")


# -- rendered by LibreOffice ------------------------------------------------------------------


def test_rendered_draft_is_marked_on_every_page_and_min_plan_is_one_page_with_30_insatser(tmp_path):
    plan = adversarial_plan()  # 30 insatser, a 5,000-character goal; a draft
    path = write_docx(plan, None, Settings(organisation="Exempelby kommun"), tmp_path / "thirty.docx")
    pages = pdf_pages(to_pdf(path, tmp_path))
    if not pages:
        pytest.skip("pdftotext is not installed")
    assert len(pages) > 3
    for page in pages:
        assert t("docx.draft_marker") in page
    min_plan = [n for n, page in enumerate(pages) if t("docx.easy.title") in page.split(t("docx.draft_marker"), 1)[1][:40]]
    assert min_plan == [0]  # "Min plan" is the first page and only that
    assert t("docx.title") in pages[1]  # the full plan starts on page 2
    more = re.search(r"Och (\d+) saker till", pages[0])
    assert more and 25 <= int(more.group(1)) < 30  # the rest is summed up, pointing to the full plan


# -- PDF ----------------------------------------------------------------------------------------


def _bo_id(cli, store) -> str:
    plans = cli("--store", store, "list", "--json").json()
    return next(p["id"] for p in plans if p["name"].startswith("Bo "))


def test_cli_pdf_is_the_plan_through_libreoffice(cli, store_dir, tmp_path):
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    assert cli("--store", store_dir, "demo").code == 0
    out = tmp_path / "bo.pdf"
    run = cli("--store", store_dir, "export", _bo_id(cli, store_dir), "--pdf", out)
    assert run.code == 0, run.err
    assert out.read_bytes().startswith(b"%PDF")
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600
    pages = pdf_pages(out)
    if pages:
        assert t("docx.easy.title") in pages[0] and "Bo Exempelsson" in pages[1]


def test_pdf_without_libreoffice_says_so_clearly(cli, store_dir, tmp_path, monkeypatch):
    assert cli("--store", store_dir, "demo").code == 0
    monkeypatch.setattr(shutil, "which", lambda name: None)
    out = tmp_path / "bo.pdf"
    run = cli("--store", store_dir, "export", _bo_id(cli, store_dir), "--pdf", out)
    assert run.code == 1
    assert t("pdf.error.no_libreoffice") in run.err
    assert not out.exists()
