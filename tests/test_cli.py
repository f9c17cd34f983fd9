"""The ``sip-tui`` command: in-process through ``cli.main`` with a fixed clock,
and a few real runs of the installed command. Exit codes: 0 ok, 1 user
error (message on stderr, never a traceback), 2 usage."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXED_NOW as NOW

from sip_tui.cli import main
from sip_tui.i18n import t
from sip_tui.models.plan import SAVE_BOOKKEEPING
from sip_tui.store import PlanStore

TODAY = NOW.date()
DEMO_NAMES = ["Alva Påhittad", "Bo Exempelsson", "Cecilia Fiktiv", "David Testman", "Elin Demosson"]
BOOKKEEPING = SAVE_BOOKKEEPING


@pytest.fixture
def demo_store(cli, store_dir) -> Path:
    assert cli("--store", store_dir, "demo").code == 0
    return store_dir


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def plan_files(store: Path) -> list[Path]:
    return sorted((store / "plans").glob("*.json"))


def ids_by_name(cli, store: Path) -> dict[str, str]:
    return {s["name"]: s["id"] for s in cli("--store", store, "list", "--json").json()}


# -- usage -------------------------------------------------------------------------


def test_help_exits_0(cli, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in ("import", "export", "list", "followups", "demo", "schema"):
        assert command in out


@pytest.mark.parametrize(
    "argv",
    [["bogus"], ["list", "--bogus"], ["followups", "--within", "-1"], ["followups", "--within", "x"], ["export"]],
)
def test_usage_errors_exit_2(store_dir, capsys, argv):
    with pytest.raises(SystemExit) as caught:
        main(["--store", str(store_dir), *argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


# -- demo, list, followups ------------------------------------------------------------


def test_demo_then_list(cli, demo_store):
    run = cli("--store", demo_store, "list")
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert lines[0].split() == ["Id", "Namn", "Status", "Version", "Uppföljning"]
    assert [name for name in DEMO_NAMES if name in run.out] == DEMO_NAMES
    assert len(lines) == 1 + len(DEMO_NAMES)
    row = next(line for line in lines if "Cecilia Fiktiv" in line)
    assert "Upprättad" in row and (TODAY - dt.timedelta(days=9)).isoformat() in row


def test_list_json(cli, demo_store):
    run = cli("--store", demo_store, "list", "--json")
    assert run.code == 0
    summaries = run.json()
    assert [s["name"] for s in summaries] == DEMO_NAMES  # sorted by name
    by_name = {s["name"]: s for s in summaries}
    assert by_name["Alva Påhittad"]["status"] == "utkast" and by_name["Alva Påhittad"]["version"] == 0
    assert by_name["David Testman"]["version"] == 2
    assert by_name["Elin Demosson"]["status"] == "avslutad"
    assert by_name["Bo Exempelsson"]["followup_date"] == (TODAY + dt.timedelta(days=5)).isoformat()
    assert all(len(s["id"]) == 32 for s in summaries)


def test_list_in_english(cli, demo_store):
    run = cli("--store", demo_store, "--lang", "en", "list")
    assert run.out.splitlines()[0].split() == ["Id", "Name", "Status", "Version", "Follow-up"]
    assert "Agreed" in run.out


def test_empty_store(cli, store_dir):
    assert cli("--store", store_dir, "list").out.strip() == t("cli.no_plans")
    assert cli("--store", store_dir, "list", "--json").json() == []
    assert cli("--store", store_dir, "followups").out.strip() == t("cli.no_followups")


def test_followups(cli, demo_store):
    run = cli("--store", demo_store, "followups")
    assert run.code == 0 and run.err == ""
    lines = run.out.splitlines()
    assert len(lines) == 4  # header + overdue, soon, later; drafts and closed plans are not follow-ups
    assert "Cecilia Fiktiv" in lines[1] and "9 dagar försenad" in lines[1] and "Försenade" in lines[1]
    assert "Bo Exempelsson" in lines[2] and "om 5 dagar" in lines[2]
    assert "David Testman" in lines[3] and "om 40 dagar" in lines[3]


def test_followups_overdue(cli, demo_store):
    run = cli("--store", demo_store, "followups", "--overdue")
    assert run.code == 0
    assert "Cecilia Fiktiv" in run.out
    assert "Bo Exempelsson" not in run.out and "David Testman" not in run.out


def test_followups_within_json(cli, demo_store):
    run = cli("--store", demo_store, "followups", "--within", "7", "--json")
    assert run.code == 0
    entries = run.json()
    assert [(e["name"], e["group"], e["days"]) for e in entries] == [
        ("Cecilia Fiktiv", "overdue", -9),
        ("Bo Exempelsson", "soon", 5),
    ]
    assert entries[0]["followup_date"] == (TODAY - dt.timedelta(days=9)).isoformat()
    assert entries[1]["followup_date"] == (TODAY + dt.timedelta(days=5)).isoformat()
    assert entries[1]["followup_time"] == "10:00"
    assert entries[1]["coordinator"] == "Karin Demo"
    wide = cli("--store", demo_store, "followups", "--within", "40", "--json").json()
    assert [e["name"] for e in wide] == ["Cecilia Fiktiv", "Bo Exempelsson", "David Testman"]


# -- export and import ----------------------------------------------------------------


def test_export_then_import_into_a_fresh_store_round_trips(cli, demo_store, tmp_path):
    exports = []
    for name, plan_id in ids_by_name(cli, demo_store).items():
        out = tmp_path / f"{name.split()[0]}.json"
        run = cli("--store", demo_store, "export", plan_id[:10], "--json", out)
        assert run.code == 0 and str(out) in run.out
        exports.append(out)

    fresh = tmp_path / "fresh"
    run = cli("--store", fresh, "import", *exports)
    assert run.code == 0, run.err
    assert run.out.count("importerad (ny)") == len(DEMO_NAMES)
    assert cli("--store", fresh, "list", "--json").json() == cli("--store", demo_store, "list", "--json").json()

    old, new = PlanStore(demo_store), PlanStore(fresh)
    for plan_id in old.plan_ids():
        assert new.load(plan_id).model_dump(mode="json", exclude=BOOKKEEPING) == old.load(plan_id).model_dump(
            mode="json", exclude=BOOKKEEPING
        )
        assert new.load(plan_id).created_at == old.load(plan_id).created_at
        assert [v.model_dump(mode="json") for v in new.versions(plan_id)] == [
            v.model_dump(mode="json") for v in old.versions(plan_id)
        ]

    # Importing the same files again changes nothing (no open window is made stale) and keeps the agreed versions.
    before = snapshot(fresh / "plans")
    again = cli("--store", fresh, "import", *exports)
    assert again.code == 0 and again.out.count("importerad (oförändrad)") == len(DEMO_NAMES)
    assert snapshot(fresh / "plans") == before


def test_import_of_a_file_with_errors_changes_nothing_and_names_every_path(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["David Testman"]
    good = tmp_path / "david.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", good).code == 0
    document = json.loads(good.read_text(encoding="utf-8"))
    plan = document["plan"]
    plan["person"]["personnummer"] = "19751224-1239"  # wrong check digit
    plan["insatser"][0]["status"] = "kanske"  # not an insats status
    plan["insatser"][1]["done_by"] = "2020-01-01"  # before its start
    plan["followup"]["date"] = "2026-02-30"  # no such day
    plan["situation"] = "Nul\x00tecken"
    plan["coordinator"]["body"] = "forsakringskassan"
    plan["shoe_size"] = 44
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = snapshot(demo_store)

    run = cli("--store", demo_store, "import", bad)

    assert run.code == 1
    assert run.out == ""
    assert snapshot(demo_store) == before
    lines = run.err.splitlines()
    assert lines[0] == t("cli.import_failed", file=bad, count=7)
    expected = {
        "$.plan.person.personnummer": t("error.pnr_checksum"),
        "$.plan.insatser[0].status": "Okänt värde; tillåtna:",
        "$.plan.insatser[1]": t("error.done_by_before_start"),
        "$.plan.followup.date": t("error.date_from_datetime_parsing"),
        "$.plan.situation": t("error.text_control_chars"),
        "$.plan.coordinator.body": t("error.not_huvudman"),
        "$.plan.shoe_size": t("error.extra_forbidden"),
    }
    for path, message in expected.items():
        assert any(line.strip().startswith(f"{path}: {message}") for line in lines[1:]), (path, run.err)
    assert "'planerad'" in run.err  # the enum message lists the allowed values
    assert "Ogiltigt värde" not in run.err  # no generic fallback messages
    assert len(lines) == 1 + len(expected)


def test_import_of_invalid_json_and_missing_files(cli, store_dir, tmp_path):
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"format": "sip-tui-plan", "plan": {"id": ', encoding="utf-8")
    missing = tmp_path / "missing.json"
    run = cli("--store", store_dir, "import", truncated, missing)
    assert run.code == 1
    assert f"{truncated}: inte importerad, 1 fel:" in run.err
    assert "$: Filen är inte giltig JSON" in run.err
    assert str(missing) in run.err and "kan inte läsas" in run.err
    assert cli("--store", store_dir, "list", "--json").json() == []


def test_import_reports_a_changed_agreed_version_and_goes_on_with_the_next_file(cli, demo_store, tmp_path):
    ids = ids_by_name(cli, demo_store)
    tampered, draft = tmp_path / "tampered.json", tmp_path / "draft.json"
    assert cli("--store", demo_store, "export", ids["David Testman"], "--json", tampered).code == 0
    assert cli("--store", demo_store, "export", ids["Alva Påhittad"], "--json", draft).code == 0
    document = json.loads(tampered.read_text(encoding="utf-8"))
    document["versions"][0]["situation"] = "Ändrad i efterhand"
    tampered.write_text(json.dumps(document), encoding="utf-8")
    document = json.loads(draft.read_text(encoding="utf-8"))
    document["plan"]["situation"] = "Uppdaterad genom import"
    draft.write_text(json.dumps(document), encoding="utf-8")
    david = next(p for p in plan_files(demo_store) if p.name.startswith(ids["David Testman"]))
    before = david.read_bytes()

    run = cli("--store", demo_store, "import", tampered, draft)

    assert run.code == 1
    assert f"{tampered}: " in run.err and "Version 1 finns redan" in run.err
    assert david.read_bytes() == before
    assert f"{draft}: importerad (uppdaterad)" in run.out
    assert PlanStore(demo_store).load(ids["Alva Påhittad"]).situation == "Uppdaterad genom import"


def test_import_of_another_format_is_refused(cli, store_dir, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": "something-else", "format_version": 9, "plan": {}}), encoding="utf-8")
    run = cli("--store", store_dir, "import", other)
    assert run.code == 1
    assert "$.format:" in run.err and "$.format_version:" in run.err


def test_export_needs_a_target_and_a_known_plan(cli, demo_store, tmp_path):
    run = cli("--store", demo_store, "export", "ffff")
    assert run.code == 1 and t("cli.export_nothing") in run.err
    run = cli("--store", demo_store, "export", "ffffffffff", "--json", tmp_path / "x.json")
    assert run.code == 1 and "Hittar ingen plan" in run.err
    assert not (tmp_path / "x.json").exists()


def test_schema_prints_valid_json(cli, store_dir):
    run = cli("--store", store_dir, "schema")
    assert run.code == 0
    schema = run.json()
    assert schema["type"] == "object"
    assert {"format", "format_version", "plan", "versions"} <= set(schema["properties"])
    assert "Plan" in schema["$defs"]
    assert not store_dir.exists(), "printing the schema creates no store"


def test_a_store_path_that_is_a_file_is_named_as_such(cli, tmp_path):
    not_a_folder = tmp_path / "plans.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    run = cli("--store", not_a_folder, "list")
    assert run.code == 1
    assert run.err == f"sip-tui: {not_a_folder} är en fil, inte en mapp. Ange en mapp för planerna med --store eller SIP_TUI_STORE.\n"
    assert cli("--store", not_a_folder, "schema").code == 0, "the schema needs no store"


# -- a damaged plan file --------------------------------------------------------------------


def truncate_one(store: Path) -> tuple[Path, bytes]:
    """Cut short a plan the demo saved more than once (a .bak lies beside it)."""
    victim = next(path for path in plan_files(store) if path.with_name(path.name + ".bak").exists())
    damaged = victim.read_bytes()[:123]
    victim.write_bytes(damaged)
    return victim, damaged


def test_truncated_plan_file_is_named_left_alone_and_the_others_listed(cli, demo_store):
    victim, damaged = truncate_one(demo_store)
    run = cli("--store", demo_store, "list")
    assert run.code == 1
    assert victim.name in run.err
    assert t("store.unreadable_backup", file=victim.name) in run.err  # the demo saved it twice
    assert victim.read_bytes() == damaged
    assert len(run.out.splitlines()) == 1 + len(DEMO_NAMES) - 1  # header and the four readable plans

    listed = cli("--store", demo_store, "list", "--json")
    assert listed.code == 1 and len(listed.json()) == len(DEMO_NAMES) - 1
    followups = cli("--store", demo_store, "followups", "--json")
    assert followups.code == 1 and victim.name in followups.err
    assert victim.read_bytes() == damaged


# -- real processes ----------------------------------------------------------------------


def command() -> list[str]:
    installed = Path(sys.executable).with_name("sip-tui")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "sip_tui"]


def run_process(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SIP_TUI_LANG", "SIP_TUI_STORE")}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, **kwargs)
    assert "Traceback" not in done.stderr
    return done


def test_real_command_help_and_usage_error():
    assert run_process([*command(), "--help"]).returncode == 0
    done = run_process([sys.executable, "-m", "sip_tui", "bogus"])
    assert done.returncode == 2
    assert "invalid choice" in done.stderr or "ogiltigt val" in done.stderr


def test_real_command_lists_around_a_truncated_file(cli, demo_store):
    victim, damaged = truncate_one(demo_store)
    done = run_process([*command(), "--store", str(demo_store), "list"])
    assert done.returncode == 1
    assert victim.name in done.stderr
    assert victim.read_bytes() == damaged
    readable = [name for name in DEMO_NAMES if name in done.stdout]
    assert len(readable) == len(DEMO_NAMES) - 1

    done = run_process([sys.executable, "-m", "sip_tui", "--store", str(demo_store), "followups", "--json"])
    assert done.returncode == 1 and victim.name in done.stderr
    assert isinstance(json.loads(done.stdout), list)
    assert victim.read_bytes() == damaged


# -- hand-edited and hostile files ---------------------------------------------------


def test_a_hand_edited_plan_of_the_wrong_shape_is_reported_not_a_traceback(cli, demo_store):
    victim = plan_files(demo_store)[0]
    data = json.loads(victim.read_text(encoding="utf-8"))
    data["plan"]["1"]["person"]["name"] = 5
    victim.write_text(json.dumps(data), encoding="utf-8")
    run = cli("--store", demo_store, "list")
    assert run.code == 1
    assert victim.name in run.err
    assert len(run.out.strip().splitlines()) == 1 + 4, "the other four plans are still listed"


def test_import_of_a_plan_id_that_cannot_name_a_file_is_refused_by_path(cli, demo_store, tmp_path):
    plan_id = next(iter(ids_by_name(cli, demo_store).values()))
    exported = tmp_path / "plan.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", exported).code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["plan"]["id"] = "../plan-1"
    exported.write_text(json.dumps(data), encoding="utf-8")
    run = cli("--store", tmp_path / "fresh", "import", exported)
    assert run.code == 1
    assert "$.plan.id" in run.err and "bokstäver" in run.err


def test_stale_temp_files_from_a_killed_save_are_cleaned_up(cli, demo_store):
    debris = demo_store / "plans" / ".abc.json.x1y2.tmp"
    debris.write_bytes(b'{"half a')
    old = os.stat(debris).st_mtime - 7200
    os.utime(debris, (old, old))
    fresh = demo_store / "plans" / ".def.json.z3.tmp"
    fresh.write_bytes(b"in flight")
    assert cli("--store", demo_store, "list").code == 0
    assert not debris.exists(), "a two-hour-old temp file is debris"
    assert fresh.exists(), "a temp file being written right now is left alone"
