"""Handing out the plan from the command line and from the meeting screen:
the files land where the user asked (a file name or a folder), are readable
by Word and calendar apps, are readable only by their owner, and a target
that cannot be written gives a clear message, never a traceback."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from docx import Document
from icalendar import Calendar
from textual.command import CommandList, CommandPalette
from ui_helpers import palette_highlights, screen_text, until

from sip_tui.app import build_app
from sip_tui.demo import load_demo
from sip_tui.i18n import t
from sip_tui.service import export_filename
from sip_tui.settings import Settings

POSIX = os.name == "posix"


@pytest.fixture
def demo_ids(service) -> dict[str, str]:
    """The demo store (at the ``store_dir`` the CLI is pointed at), plan ids by first name."""
    load_demo(service)
    return {service.open(i).person.first_name: i for i in service.store.plan_ids()}


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- command line --------------------------------------------------------------------------------


def test_export_writes_word_and_calendar_files_and_says_where(cli, store_dir, demo_ids, service, tmp_path):
    docx_out, ics_out = tmp_path / "ut" / "bo.docx", tmp_path / "ut" / "bo.ics"
    run = cli("--store", store_dir, "export", demo_ids["Bo"][:8], "--docx", docx_out, "--ics", ics_out)
    assert run.code == 0, run.err
    assert run.out.splitlines() == [f"Skrev {docx_out}", f"Skrev {ics_out}"]
    plan = service.open(demo_ids["Bo"])
    text = docx_text(docx_out)
    assert "Min plan" in text and plan.goals[0].text in text and plan.person.name in text
    [event] = Calendar.from_ical(ics_out.read_bytes()).walk("VEVENT")
    assert event.decoded("dtstart").date() == plan.followup.date
    assert sorted(p.name for p in docx_out.parent.iterdir()) == ["bo.docx", "bo.ics"]  # no temp files left


def test_export_into_a_folder_uses_the_default_file_names(cli, store_dir, demo_ids, service, tmp_path):
    folder = tmp_path / "Planer"
    folder.mkdir()
    plan = service.open(demo_ids["Bo"])
    run = cli("--store", store_dir, "export", demo_ids["Bo"], "--docx", folder, "--ics", folder, "--json", folder)
    assert run.code == 0, run.err
    day = plan.meeting.date.isoformat()
    stem = f"SIP-Bo-{day}-v1-{plan.id[:4]}"
    names = [f"{stem}.docx", f"{stem}.ics", f"{stem}.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert run.out.splitlines() == [f"Skrev {folder / name}" for name in (names[2], names[0], names[1])]
    assert plan.goals[0].text in docx_text(folder / names[0])
    assert ".tmp" not in run.out and run.err == ""
    # the file name carries the first name, date and version, never the personnummer or surname
    assert plan.person.personnummer == "19900101-0017"
    assert not any("0017" in name or "900101" in name or "Exempelsson" in name for name in names)


def test_draft_and_revised_plans_are_named_by_their_version(service, demo_ids):
    draft, revised = service.open(demo_ids["Alva"]), service.open(demo_ids["David"])
    assert export_filename(draft, "docx") == f"SIP-Alva-{draft.meeting.date.isoformat()}-utkast-{draft.id[:4]}.docx"
    assert export_filename(revised, "docx") == f"SIP-David-{revised.meeting.date.isoformat()}-v2-{revised.id[:4]}.docx"


def test_two_people_with_the_same_first_name_met_the_same_day_get_their_own_files(service, demo_ids, tmp_path):
    anna_a, anna_b = service.new_plan(), service.new_plan()
    anna_a.person.name, anna_b.person.name = "Anna Andersson", "Anna Berg"
    paths = {service.export_docx(plan, tmp_path) for plan in (anna_a, anna_b)}
    assert len(paths) == 2 and all(path.is_file() for path in paths)


def test_unwritable_target_is_a_clear_message_and_exit_1(cli, store_dir, demo_ids, tmp_path):
    not_a_folder = tmp_path / "anteckning.txt"
    not_a_folder.write_text("en fil, inte en mapp", encoding="utf-8")
    target = not_a_folder / "bo.docx"
    run = cli("--store", store_dir, "export", demo_ids["Bo"], "--docx", target)
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith(f"sip-tui: {not_a_folder}: kan inte skrivas (")
    assert ".tmp" not in run.err and "kan inte läsas" not in run.err
    assert not_a_folder.read_text(encoding="utf-8") == "en fil, inte en mapp"


def test_unwritable_target_in_english(cli, store_dir, demo_ids, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    run = cli("--store", store_dir, "--lang", "en", "export", demo_ids["Bo"], "--ics", blocker / "x.ics")
    assert run.code == 1
    assert run.err.startswith(f"sip-tui: {blocker}: cannot be written (")


@pytest.mark.skipif(not POSIX or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_read_only_folder_is_a_clear_message(cli, store_dir, demo_ids, tmp_path):
    folder = tmp_path / "låst"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        run = cli("--store", store_dir, "export", demo_ids["Bo"], "--docx", folder / "bo.docx")
    finally:
        folder.chmod(0o700)
    assert run.code == 1
    assert run.err.startswith(f"sip-tui: {folder / 'bo.docx'}: kan inte skrivas (")
    assert list(folder.iterdir()) == []


def test_calendar_file_of_a_plan_without_a_followup_is_a_clear_message(cli, store_dir, demo_ids, tmp_path):
    run = cli("--store", store_dir, "export", demo_ids["Alva"], "--ics", tmp_path / "alva.ics")
    assert run.code == 1
    assert run.err == f"sip-tui: {t('ics.error.no_followup')}\n"
    assert not (tmp_path / "alva.ics").exists()


def test_broken_template_in_settings_is_a_clear_message(cli, store_dir, demo_ids, tmp_path):
    (store_dir / "settings.json").write_text(f'{{"template": "{tmp_path / "borta.docx"}"}}', encoding="utf-8")
    run = cli("--store", store_dir, "export", demo_ids["Bo"], "--docx", tmp_path / "bo.docx")
    assert run.code == 1
    assert "Hittar inte Word-mallen" in run.err and str(tmp_path / "borta.docx") in run.err
    assert not (tmp_path / "bo.docx").exists()


@pytest.mark.skipif(not POSIX, reason="POSIX file permissions")
def test_exported_files_are_readable_by_their_owner_only(cli, store_dir, demo_ids, tmp_path):
    old = tmp_path / "bo.docx"
    old.write_bytes(b"an older export, world-readable")
    old.chmod(0o644)
    outs = {"--docx": old, "--ics": tmp_path / "bo.ics", "--json": tmp_path / "bo.json"}
    args = [item for pair in outs.items() for item in pair]
    previous = os.umask(0o022)  # the usual umask, which would give 0644
    try:
        assert cli("--store", store_dir, "export", demo_ids["Bo"], *args).code == 0
    finally:
        os.umask(previous)
    for path in outs.values():
        assert mode(path) == 0o600, path
    assert Document(str(old)).paragraphs  # replaced by the real document


# -- the meeting screen ---------------------------------------------------------------------------


async def open_review(pilot, app, plan_id: str) -> None:
    app.open_plan(plan_id)
    await pilot.pause()
    assert app.screen.STEP_ID == "review"  # an agreed plan opens on its review step


def notifications(app) -> list[tuple[str, str]]:
    return [(n.severity, n.message) for n in app._notifications]


async def test_ctrl_e_on_the_review_step_writes_the_word_file_and_says_where(service, demo_ids, tmp_path):
    exports = tmp_path / "Dokument" / "SIP"
    service.settings = Settings(organisation="Exempelby kommun", export_dir=exports)
    plan = service.open(demo_ids["Bo"])
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await open_review(pilot, app, plan.id)
        await pilot.press("ctrl+e")
        await pilot.pause()
        docx_path = exports / export_filename(plan, "docx")
        ics_path = exports / export_filename(plan, "ics")
        files = f"{docx_path.name}\n{ics_path.name}"
        assert notifications(app) == [("information", t("app.exported", folder="SIP", files=files))]
        await until(pilot, lambda: "Sparade i mappen SIP" in screen_text(pilot))  # the toast the room sees: not the full path
    text = docx_text(docx_path)
    assert (
        "Min plan" in text
        and plan.goals[0].text in text
        and "Exempelby kommun" in Document(str(docx_path)).sections[0].header.paragraphs[0].text
    )
    assert Calendar.from_ical(ics_path.read_bytes()).walk("VEVENT")
    if POSIX:
        assert mode(docx_path) == mode(ics_path) == 0o600


async def test_command_palette_offers_export(service, demo_ids, tmp_path):
    service.settings = Settings(export_dir=tmp_path / "ut")
    plan = service.open(demo_ids["Bo"])
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot, app, plan.id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"word")
        await until(pilot, palette_highlights(pilot, t("app.cmd.export")))
        assert isinstance(app.screen, CommandPalette)
        offered = [str(option.prompt) for option in app.screen.query_one(CommandList).options]
        assert offered and offered[0].startswith(t("app.cmd.export"))
        assert not (tmp_path / "ut").exists()  # only chosen, not yet done
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "ut" / export_filename(plan, "docx")).is_file()
        assert notifications(app)[-1][0] == "information"


async def test_export_that_cannot_be_written_is_explained_in_the_app(service, demo_ids, tmp_path):
    blocker = tmp_path / "ut"
    blocker.write_text("en fil där exportmappen skulle vara", encoding="utf-8")
    service.settings = Settings(export_dir=blocker)
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot, app, demo_ids["Bo"])
        await pilot.press("ctrl+e")
        await pilot.pause()
        [(severity, message)] = notifications(app)
        assert severity == "error"
        assert message.startswith("Kunde inte spara ut: "), "the file's short name, not its full path"
        assert str(tmp_path) not in message
        assert app.screen.STEP_ID == "review"  # still in the meeting


async def test_draft_without_followup_exports_the_word_file_only(service, demo_ids, tmp_path):
    service.settings = Settings(export_dir=tmp_path / "ut")
    draft = service.open(demo_ids["Alva"])
    app = build_app(service, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_plan(draft.id)
        await pilot.pause()
        app.goto_step("review")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
    assert [p.name for p in (tmp_path / "ut").iterdir()] == [export_filename(draft, "docx")]
    assert "Utkast" in docx_text(tmp_path / "ut" / export_filename(draft, "docx"))
