"""The command line and the files it leaves (issue 9): file and folder modes,
export targets, killed exports, a closed stdout, echoed user text, damaged
plans in `list`, decomposed Unicode, progress bars, and the personnummer in
the Word change list. Real processes where the behaviour is about processes
(a closed pipe, SIGKILL, a terminal on stderr)."""

from __future__ import annotations

import json
import os
import select
import signal
import stat
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from sip_tui.cli import CLOSED_PIPE_EXIT, PROGRESS_MIN
from sip_tui.demo import load_demo
from sip_tui.files import POSIX, TEMP_SUFFIX, backup_path
from sip_tui.i18n import field_error, t
from sip_tui.models.interchange import dump_document
from sip_tui.models.plan import Person, Plan
from sip_tui.service import PlanService
from sip_tui.settings import Settings
from sip_tui.store import PlanStore
from sip_tui.store.store import Unreadable

ROOT = Path(__file__).resolve().parents[1]
posix_only = pytest.mark.skipif(not POSIX, reason="POSIX file modes, signals and terminals")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("SIP_TUI_LANG", "SIP_TUI_STORE")}


def sip_tui(*argv: str | Path) -> list[str]:
    """This checkout's command (run from ROOT), not whichever sip-tui is installed."""
    return [sys.executable, "-m", "sip_tui", *(str(a) for a in argv)]


@pytest.fixture
def demo_store(cli, store_dir) -> Path:
    assert cli("--store", store_dir, "demo").code == 0
    return store_dir


def plan_id(cli, store: Path, first_name: str) -> str:
    return next(s["id"] for s in cli("--store", store, "list", "--json").json() if s["name"].startswith(first_name))


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


# -- 7: the Word change list and the personnummer ------------------------------------------------


def package_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "\n".join(package.read(n).decode("utf-8") for n in package.namelist() if n.endswith(".xml"))


@pytest.fixture
def revised_david(service) -> Plan:
    """David's plan (agreed v2, v1 had 19751224-1238) with a corrected personnummer."""
    load_demo(service)
    david = next(p for p in map(service.open, service.store.plan_ids()) if p.person.first_name == "David")
    assert service.versions(david.id)[0].person.personnummer == "19751224-1238"
    plan = david.model_copy(deep=True)
    plan.person.personnummer = "19751224-1246"
    return plan


def test_word_change_list_prints_no_part_of_the_personnummer_when_the_setting_is_off(service, revised_david, tmp_path):
    service.settings = Settings()  # export_personnummer off, the default
    out = service.export_docx(revised_david, tmp_path / "david.docx")
    text = package_text(out)
    assert "19751224" not in text and "751224" not in text, "not even the birth date"
    assert "••••" not in text
    said = t("describe.changed", what=t("field.person.personnummer"))
    assert f"{t('section.person')}: {said}" in text, "that it changed is still said"


def test_word_change_list_with_the_setting_on_still_masks_the_old_and_new_number(service, revised_david, tmp_path):
    service.settings = Settings(export_personnummer=True)
    text = package_text(service.export_docx(revised_david, tmp_path / "david.docx"))
    assert "19751224-•••• → 19751224-••••" in text  # the person's own row prints the number, as the setting says


# -- 8: modes, locks, store folders ------------------------------------------------------------


@posix_only
def test_lock_files_are_owner_only(service):
    plan = service.save(service.new_plan())
    locks = list(service.store.locks_dir.iterdir())
    assert locks, "a save takes the plan's lock"
    assert [mode(lock) for lock in locks] == [0o600]
    assert service.open(plan.id).revision == 1


@posix_only
def test_export_folders_the_app_creates_are_owner_only(cli, demo_store, tmp_path):
    out = tmp_path / "exports" / "2026" / "alva.json"
    assert cli("--store", demo_store, "export", plan_id(cli, demo_store, "Alva"), "--json", out).code == 0
    assert mode(tmp_path / "exports") == 0o700 and mode(tmp_path / "exports" / "2026") == 0o700
    assert mode(out) == 0o600


@posix_only
@pytest.mark.parametrize("folder_mode", [0o2770, 0o750])
def test_opening_an_existing_store_never_changes_its_mode(cli, store_dir, folder_mode):
    """A team folder (group access, setgid) stays as the team set it, even for a plain `list`."""
    store_dir.mkdir()
    os.chmod(store_dir, folder_mode)
    run = cli("--store", store_dir, "list")
    assert run.code == 0
    assert mode(store_dir) == folder_mode
    assert t("cli.store_open_to_others", path=store_dir) not in run.err, "no one outside owner and group can read it"
    assert mode(store_dir / "plans") == 0o700, "folders it creates are private"


@posix_only
def test_a_store_others_can_read_is_warned_about_and_left_alone(cli, store_dir):
    store_dir.mkdir()
    os.chmod(store_dir, 0o755)
    run = cli("--store", store_dir, "list")
    assert run.code == 0
    assert mode(store_dir) == 0o755
    assert t("cli.store_open_to_others", path=store_dir) in run.err


def test_an_empty_store_option_is_a_usage_error(cli, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SIP_TUI_STORE", str(tmp_path / "would-be-used"))
    for value in ("", "  "):
        with pytest.raises(SystemExit) as caught:
            cli("--store", value, "list")
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert "usage:" in err and t("cli.store_empty") in err
    assert not (tmp_path / "would-be-used").exists()


@posix_only
def test_export_refuses_a_symlink_and_a_special_file_and_changes_neither(cli, demo_store, tmp_path):
    plan = plan_id(cli, demo_store, "Bo")
    precious = tmp_path / "precious.txt"
    precious.write_text("mine")
    link = tmp_path / "link.docx"
    link.symlink_to(precious)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for option, out in (("--docx", link), ("--json", fifo)):
        run = cli("--store", demo_store, "export", plan, option, out)
        assert run.code == 1
        assert t("export.error.not_a_file", file=out) in run.err
    assert link.is_symlink() and precious.read_text() == "mine"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temp_files(tmp_path) == []


def test_an_out_ending_in_a_slash_is_a_folder_made_for_the_export(cli, demo_store, tmp_path):
    folder = tmp_path / "new-folder"
    run = cli("--store", demo_store, "export", plan_id(cli, demo_store, "Bo"), "--json", f"{folder}{os.sep}")
    assert run.code == 0
    assert folder.is_dir(), "not a file named new-folder"
    [written] = folder.iterdir()
    assert written.name.startswith("SIP-Bo-") and written.suffix == ".json"
    assert json.loads(written.read_text())["plan"]["person"]["name"] == "Bo Exempelsson"
    if POSIX:
        assert mode(folder) == 0o700


STALLED_WRITER = """
import os, sys, time
from pathlib import Path
from sip_tui.export.text import write_atomically

def stall(fd):  # the data is in the temp file; stop before the rename, as a kill would
    print("writing", flush=True)
    time.sleep(120)

os.fsync = stall
write_atomically(Path(sys.argv[1]), b"half an export")
"""


def start_stalled_export(target: Path) -> subprocess.Popen:
    writer = subprocess.Popen(
        [sys.executable, "-c", STALLED_WRITER, str(target)], cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env()
    )
    assert writer.stdout.readline() == "writing\n"
    return writer


@posix_only
def test_a_killed_export_leaves_a_temp_file_that_the_next_export_removes(cli, demo_store, tmp_path):
    folder = tmp_path / "exports"
    plan = plan_id(cli, demo_store, "Cecilia")
    writer = start_stalled_export(folder / "cecilia.docx")
    try:
        [left] = temp_files(folder)
        # A writer still at work keeps its temp file, whoever exports meanwhile.
        assert cli("--store", demo_store, "export", plan, "--json", folder / "other.json").code == 0
        assert temp_files(folder) == [left]
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    assert temp_files(folder) == [left], "a kill leaves its temp file behind"

    assert cli("--store", demo_store, "export", plan, "--json", folder / "again.json").code == 0
    assert temp_files(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["again.json", "other.json"]
    assert "cecilia" not in " ".join(os.listdir(folder)), "the killed export wrote no file"


def test_export_leaves_other_programs_temp_files_alone(cli, demo_store, tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    theirs = [folder / ".report.docx.abc123.tmp", folder / "~$plan.docx.tmp"]
    for path in theirs:
        path.write_text("someone else's")
    assert cli("--store", demo_store, "export", plan_id(cli, demo_store, "Bo"), "--json", folder).code == 0
    assert all(path.read_text() == "someone else's" for path in theirs)


# -- 9: a closed stdout, echoed user text, Swedish messages -----------------------------------------


@posix_only
@pytest.mark.parametrize("args", [["schema"], ["list"], ["followups", "--json"], ["list", "--json"]])
def test_a_closed_stdout_ends_quietly(cli, demo_store, args):
    """`sip-tui schema | head -1`: the reader closes the pipe before the command writes."""
    process = subprocess.Popen(
        sip_tui("--store", demo_store, *args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env()
    )
    process.stdout.close()
    err = process.stderr.read().decode()
    process.wait(timeout=60)
    assert err == "", "no traceback, no 'Broken pipe', no 'Exception ignored'"
    assert process.returncode == CLOSED_PIPE_EXIT


@posix_only
def test_head_reads_the_first_line_and_the_command_ends_quietly(cli, demo_store):
    shell = f"{' '.join(sip_tui('--store', demo_store, 'schema'))} | head -1; echo status=${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env())
    assert done.stdout.splitlines()[0] == "{"
    assert done.stderr == ""
    assert done.stdout.splitlines()[-1] in ("status=0", f"status={CLOSED_PIPE_EXIT}")


def test_an_unexpected_error_in_a_command_prints_where_not_what(cli, demo_store, monkeypatch):
    """Issue 9 item 6 on the command line: a bug's traceback would print the exception's
    text, and pydantic puts the typed value there (input_value=...)."""
    import sip_tui.cli

    alva = plan_id(cli, demo_store, "Alva")

    def failing_list(service, args) -> int:
        plan = service.open(alva)
        raise ValueError(f"input_value={plan.person.name!r} {plan.person.personnummer}")

    monkeypatch.setitem(sip_tui.cli.COMMANDS, "list", failing_list)
    run = cli("--store", demo_store, "list")
    assert run.code == 1
    assert t("cli.crashed") in run.err
    assert "builtins.ValueError" in run.err and "failing_list" in run.err, "where it happened"
    name, number = PlanStore(demo_store).load(alva).person.name, PlanStore(demo_store).load(alva).person.personnummer
    assert number and name not in run.err and number not in run.err and number[:8] not in run.err


def test_a_plan_argument_with_escape_codes_is_shown_escaped(cli, demo_store):
    run = cli("--store", demo_store, "export", "ab\x1b[2J\x1b]0;pwned\x07\u202ecd", "--json", "x.json")
    assert run.code == 1
    assert "\x1b" not in run.err and "\x07" not in run.err and "\u202e" not in run.err
    assert "ab\\u001b[2J\\u001b]0;pwned\\u0007\\u202ecd" in run.err


def test_a_name_with_a_bidi_override_is_listed_escaped_and_json_stays_valid(cli, service, store_dir):
    service.save(Plan(person=Person(name="Anna \u202eLindqvist")))
    table = cli("--store", store_dir, "list")
    assert "\u202e" not in table.out and "Anna \\u202eLindqvist" in table.out
    listed = cli("--store", store_dir, "list", "--json")
    assert "\u202e" not in listed.out
    assert listed.json()[0]["name"] == "Anna \u202eLindqvist", "the JSON escape reads back as the name"


def test_a_number_that_is_not_finite_is_refused_in_swedish(cli, store_dir, tmp_path):
    document = json.loads(dump_document(Plan(person=Person(name="Siv Tal")), []))
    document["plan"]["version"] = "NaN"
    text = json.dumps(document).replace('"NaN"', "NaN")  # Python's json reads NaN
    path = tmp_path / "nan.json"
    path.write_text(text)
    run = cli("--store", store_dir, "import", path)
    assert run.code == 1
    assert "Input should" not in run.err
    assert t("error.finite_number") in run.err


def test_invalid_json_is_explained_in_swedish_with_its_line(cli, store_dir, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "plan": \n}')
    run = cli("--store", store_dir, "import", path)
    assert t("error.json_invalid", line=3) in run.err
    assert "Expecting" not in run.err


def test_an_unknown_validation_error_shows_no_english():
    assert field_error("some_future_pydantic_type", "Input should be something") == t("error.generic")
    assert field_error("less_than_equal", "Input should be less than or equal to 5", le=5) == t(
        "error.less_than_equal", le=5
    )
    assert field_error("less_than_equal", "Input should be ...", le=object()) == t("error.generic")


# -- 10: damaged plans in `list`, NFD names --------------------------------------------------


def test_a_damaged_file_without_a_backup_does_not_promise_one(cli, service, store_dir):
    plan = service.save(service.new_plan())  # saved once: no .bak
    path = service.store.path(plan.id)
    assert not backup_path(path).exists()
    path.write_text('{"plan": {"1": {"id"')
    run = cli("--store", store_dir, "list")
    assert run.code == 1
    assert t("store.unreadable", file=path.name) in run.err
    assert ".bak" not in run.err


def test_a_damaged_file_with_a_backup_points_to_it(cli, service, store_dir):
    plan = service.save(service.new_plan())
    plan = service.save(plan)  # the second save keeps the first as .bak
    path = service.store.path(plan.id)
    path.write_text("{")
    run = cli("--store", store_dir, "list")
    assert t("store.unreadable_backup", file=path.name) in run.err


def break_validation(path: Path) -> None:
    """Readable JSON of the right shape whose plan fails validation (a hand edit)."""
    data = json.loads(path.read_text())
    data["plan"]["1"]["meeting"]["date"] = "den tolfte"
    path.write_text(json.dumps(data))


def test_list_marks_a_plan_that_fails_validation(cli, demo_store):
    bo = plan_id(cli, demo_store, "Bo")
    path = demo_store / "plans" / f"{bo}.json"
    break_validation(path)
    with pytest.raises(Unreadable):  # opening says "skadad" ...
        PlanService(PlanStore(demo_store)).open(bo)

    table = cli("--store", demo_store, "list")  # ... and so does the list
    assert table.code == 1
    [row] = [line for line in table.out.splitlines() if "Bo Exempelsson" in line]
    assert t("cli.damaged") in row
    assert sum(t("cli.damaged") in line for line in table.out.splitlines()) == 1
    assert f"{bo}.json" in table.err and "Bo Exempelsson" not in table.err, "stderr names the file, not the person"

    listed = {s["id"]: s for s in cli("--store", demo_store, "list", "--json").json()}
    assert listed[bo]["damaged"] is True
    assert [s["damaged"] for i, s in listed.items() if i != bo] == [False] * 4

    again = cli("--store", demo_store, "list", "--json")  # from the summary cache: still marked
    assert {s["id"]: s["damaged"] for s in again.json()}[bo] is True


def test_followups_mark_a_plan_that_fails_validation(cli, demo_store):
    """The overview on the command line: a damaged plan with a follow-up due is not listed as if fine."""
    bo = plan_id(cli, demo_store, "Bo")
    break_validation(demo_store / "plans" / f"{bo}.json")

    run = cli("--store", demo_store, "followups")

    assert run.code == 1
    [row] = [line for line in run.out.splitlines() if "Bo Exempelsson" in line]
    assert t("cli.damaged") in row
    assert sum(t("cli.damaged") in line for line in run.out.splitlines()) == 1
    assert f"{bo}.json" in run.err and "Bo Exempelsson" not in run.err
    listed = cli("--store", demo_store, "followups", "--json")
    assert listed.code == 1 and [e["id"] for e in listed.json() if e["damaged"]] == [bo]


def test_a_plan_whose_status_is_damaged_is_listed_as_damaged(cli, demo_store):
    bo = plan_id(cli, demo_store, "Bo")
    path = demo_store / "plans" / f"{bo}.json"
    data = json.loads(path.read_text())
    data["plan"]["1"]["status"] = "halvklar"
    path.write_text(json.dumps(data))
    run = cli("--store", demo_store, "list")
    assert run.code == 1
    [row] = [line for line in run.out.splitlines() if "Bo Exempelsson" in line]
    assert t("cli.damaged") in row


def test_a_repaired_plan_is_no_longer_marked(cli, demo_store):
    bo = plan_id(cli, demo_store, "Bo")
    path = demo_store / "plans" / f"{bo}.json"
    good = path.read_text()
    break_validation(path)
    assert {s["id"]: s["damaged"] for s in cli("--store", demo_store, "list", "--json").json()}[bo] is True
    path.write_text(good)
    os.utime(path, ns=(0, 1))  # a different mtime, as a real edit gives; the cache must notice
    assert {s["id"]: s["damaged"] for s in cli("--store", demo_store, "list", "--json").json()}[bo] is False


def test_a_name_typed_in_decomposed_unicode_is_saved_in_nfc_and_found(service):
    nfd = unicodedata.normalize("NFD", "Åsa Öberg")
    assert nfd != "Åsa Öberg"
    plan = service.save(Plan.model_validate({"person": {"name": nfd}}))
    stored = json.loads(service.store.path(plan.id).read_text())["plan"]["1"]["person"]["name"]
    assert stored == "Åsa Öberg"
    summaries = service.scan().summaries
    for query in ("åsa", unicodedata.normalize("NFD", "åsa öberg"), unicodedata.normalize("NFD", "Öberg")):
        assert [s.id for s in service.search(summaries, query)] == [plan.id], query


def test_a_decomposed_name_already_on_file_is_found_by_a_composed_query(service):
    plan = service.save(Plan(person=Person(name="Ola")))
    path = service.store.path(plan.id)
    data = json.loads(path.read_text())
    data["plan"]["1"]["person"]["name"] = unicodedata.normalize("NFD", "Ölund Ärla")  # written by another tool
    path.write_text(json.dumps(data, ensure_ascii=False))
    assert [s.id for s in service.search(service.scan().summaries, "ölund ärla")] == [plan.id]


def test_nfc_never_pushes_text_past_its_limit():
    """A few characters grow under NFC (U+FB2A becomes two): such text is kept as typed,
    so a text at its limit is accepted, saved and read back unchanged."""
    at_limit = "\ufb2a" * 200
    plan = Plan.model_validate({"person": {"name": at_limit}})
    assert plan.person.name == at_limit
    assert Plan.model_validate(plan.model_dump(mode="json")).person.name == at_limit
    decomposed = unicodedata.normalize("NFD", "Åsa") * 60  # 240 characters typed, 180 in NFC
    assert Plan.model_validate({"person": {"name": decomposed[:200]}}).person.name == unicodedata.normalize(
        "NFC", decomposed[:200]
    )


# -- 11: progress bars on a terminal only ------------------------------------------------------


def run_with_terminal_stderr(argv: list[str]) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (as in an interactive shell) and stdout a pipe."""
    master, slave = os.openpty()
    process = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, env={**env(), "TERM": "xterm-256color"}
    )
    os.close(slave)
    terminal = b""
    try:
        while select.select([master], [], [], 60)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the command has exited and closed the terminal
                break
            if not chunk:
                break
            terminal += chunk
    finally:
        os.close(master)
    out = process.stdout.read().decode()
    process.wait(timeout=60)
    return process.returncode, out, terminal.decode(errors="replace")


def interchange_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"plan-{n}.json"
        path.write_text(dump_document(Plan(person=Person(name=f"Person {n}")), []))
        paths.append(path)
    return paths


@posix_only
def test_import_of_many_files_shows_progress_on_a_terminal_only(store_dir, tmp_path):
    files = interchange_files(tmp_path / "in", PROGRESS_MIN + 5)
    code, out, terminal = run_with_terminal_stderr(sip_tui("--store", store_dir, "import", *files))
    assert code == 0
    assert t("cli.progress_import") in terminal
    assert out.splitlines() == [t("cli.import_ok", file=f, action=t("cli.import_added")) for f in files]
    assert "\x1b" not in out

    piped = subprocess.run(
        sip_tui("--store", tmp_path / "other", "import", *files), cwd=ROOT, capture_output=True, text=True, env=env()
    )
    assert piped.returncode == 0 and piped.stderr == ""


@posix_only
def test_list_of_many_plans_shows_progress_on_a_terminal_only(store_dir, tmp_path):
    store = PlanStore(store_dir, user="test")
    for n in range(PROGRESS_MIN + 5):
        store.save(Plan(person=Person(name=f"Person {n}")))
    code, out, terminal = run_with_terminal_stderr(sip_tui("--store", store_dir, "list", "--json"))
    assert code == 0
    assert t("cli.progress_scan") in terminal
    assert len(json.loads(out)) == PROGRESS_MIN + 5

    piped = subprocess.run(sip_tui("--store", store_dir, "list"), cwd=ROOT, capture_output=True, text=True, env=env())
    assert piped.returncode == 0 and piped.stderr == ""


@posix_only
def test_a_short_list_shows_no_progress_even_on_a_terminal(demo_store):
    code, _, terminal = run_with_terminal_stderr(sip_tui("--store", demo_store, "list"))
    assert code == 0 and terminal == ""
