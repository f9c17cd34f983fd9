"""What only the team's PostgreSQL store has to show, on a real server the suite
starts: the database itself refuses to change an agreed version, the schema is
created and migrated by `store init` and a newer one is refused, every opening
and export is logged, overviews come from SQL, a dropped connection is retried
and a lost server is reported in plain words without the password, plans move
between a folder and a database, and an open overview hears a colleague's save."""

from __future__ import annotations

import datetime as dt
import socket
import struct
import threading
from pathlib import Path

import psycopg
import pytest
from conftest import FIXED_NOW
from pg_server import new_database

from sip_tui.demo import demo_plans
from sip_tui.i18n import t
from sip_tui.models import lifecycle
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store.postgres import SCHEMA_VERSION, PostgresStore, Unreachable, mask_url

T0 = FIXED_NOW


def plan():
    return demo_plans(T0.date())[1][0]


@pytest.fixture
def store(postgres_url, tmp_path) -> PostgresStore:
    store = PostgresStore(postgres_url, tmp_path / "local", user="anna", clock=lambda: T0)
    yield store
    store.close()


def agreed(store: PostgresStore):
    saved = store.save(plan())
    return store.save(lifecycle.agree(saved, [saved.person.name], T0))


# -- the database guards agreed versions itself ---------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE plan_versions SET doc = jsonb_set(doc, '{situation}', '\"ändrad\"')",
        "DELETE FROM plan_versions",
        "TRUNCATE plan_versions CASCADE",
        "UPDATE access_log SET by_user = 'någon annan'",
        "DELETE FROM access_log",
    ],
)
def test_plain_sql_cannot_change_or_remove_an_agreed_version_or_the_access_log(store, postgres_url, statement):
    saved = agreed(store)
    store.log_access(saved.id, "open")
    before = store.versions(saved.id), store.access_log(saved.id)
    with psycopg.connect(postgres_url) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)
    assert (store.versions(saved.id), store.access_log(saved.id)) == before


# -- schema ----------------------------------------------------------------------


def test_store_init_creates_the_schema_once_and_a_newer_one_is_refused(postgres_server, cli):
    url = new_database(postgres_server, schema=False)
    run = cli("--store", url, "list")
    assert run.code == 1 and "store init" in run.err  # not yet initialised: says what to do

    first = cli("--store", url, "store", "init")
    assert first.code == 0 and t("cli.store_init_done", version=SCHEMA_VERSION, before=0) in first.out
    again = cli("--store", url, "store", "init")
    assert again.code == 0 and f"(var {SCHEMA_VERSION})" in again.out
    assert cli("--store", url, "list").code == 0

    with psycopg.connect(url) as conn:
        conn.execute("INSERT INTO sip_tui_schema (version) VALUES (99)")
        tables_before = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
    refused = cli("--store", url, "store", "init")
    assert refused.code == 1 and "99" in refused.err and "nyare" in refused.err
    opened = cli("--store", url, "list")
    assert opened.code == 1 and "99" in opened.err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT max(version) FROM sip_tui_schema").fetchone()[0] == 99
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == tables_before


def test_store_init_on_a_folder_says_it_needs_none(cli, tmp_path):
    run = cli("--store", tmp_path / "store", "store", "init")
    assert run.code == 1 and "postgresql://" in run.err


# -- access log ----------------------------------------------------------------


def test_opening_exporting_and_searching_are_logged_with_who_and_when(store, postgres_url, cli, tmp_path):
    saved = store.save(plan())
    bertil = PostgresStore(postgres_url, tmp_path / "local", user="bertil", clock=lambda: T0)
    service = PlanService(bertil, clock=lambda: T0)
    service.open(saved.id)
    service.export_json_file(saved, tmp_path / "out.json")
    assert [s.id for s in bertil.search(saved.person.name.split()[0].upper())] == [saved.id]
    bertil.close()

    assert [(a["by"], a["action"]) for a in store.access_log(saved.id)] == [
        ("bertil", "open"),
        ("bertil", "export"),
        ("bertil", "search"),
    ]
    run = cli("--store", postgres_url, "log", saved.id[:6])
    assert run.code == 0
    lines = run.out.splitlines()
    assert "anna" in lines[1] and "skapade planen" in lines[1]
    assert [line.split()[-1] for line in lines[2:]] == ["öppnade", "exporterade", "fram"]
    entries = cli("--store", postgres_url, "log", saved.id, "--json").json()
    assert [e["action"] for e in entries] == ["change", "open", "export", "search"]


def test_a_facilitator_role_with_the_readmes_grants_works_and_is_named_in_the_logs(postgres_url, tmp_path, monkeypatch):
    monkeypatch.delenv("SIP_TUI_USER", raising=False)
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    grants = [line for line in readme.splitlines() if line.startswith("GRANT ") and "sip_team" in line]
    assert len(grants) >= 4
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        for role in ("sip_team", "anna_f"):
            admin.execute(f"DROP ROLE IF EXISTS {role}")
        admin.execute("CREATE ROLE sip_team")
        admin.execute("CREATE ROLE anna_f LOGIN IN ROLE sip_team")
        for grant in grants:
            admin.execute(grant)
    if "postgres:@" not in postgres_url:
        pytest.skip("logs in as a new role only on the suite's own server (trust authentication)")
    as_anna = postgres_url.replace("postgres:@", "anna_f@")
    try:
        store = PostgresStore(as_anna, tmp_path)
        saved = store.save(lifecycle.agree(store.save(plan()), ["Anna"], T0))
        PlanService(store).open(saved.id)
        assert store.changes(saved.id)[-1]["by"] == "anna_f"
        assert store.access_log(saved.id)[-1]["by"] == "anna_f"
        store.close()
        with psycopg.connect(as_anna) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM plan_versions")
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("DROP OWNED BY anna_f, sip_team")
            admin.execute("DROP ROLE anna_f")
            admin.execute("DROP ROLE sip_team")


def test_the_user_is_the_connections_role_unless_a_name_is_configured(postgres_url, tmp_path, monkeypatch):
    monkeypatch.delenv("SIP_TUI_USER", raising=False)
    with psycopg.connect(postgres_url) as conn:
        role = conn.execute("SELECT current_user").fetchone()[0]
    assert PostgresStore(postgres_url, tmp_path).user == role
    monkeypatch.setenv("SIP_TUI_USER", "Anna Andersson")
    assert PostgresStore(postgres_url, tmp_path).user == "Anna Andersson"


# -- overviews in SQL --------------------------------------------------------------


def test_followups_and_list_print_the_same_as_the_file_store(postgres_url, cli, tmp_path):
    folder = tmp_path / "store"
    assert cli("--store", folder, "demo").code == 0
    assert cli("store", "copy", folder, postgres_url).code == 0
    for command in (["followups", "--json"], ["list", "--json"], ["followups", "--overdue"]):
        from_folder = cli("--store", folder, *command)
        from_database = cli("--store", postgres_url, *command)
        assert from_database.out == from_folder.out and from_database.code == from_folder.code == 0
    assert cli("--store", postgres_url, "followups", "--json").json()  # the demo has follow-ups


def test_search_matches_every_word_whatever_the_case_and_accents(store):
    anna = store.save(plan())
    other = plan()
    other.person.name = "Ève 100%_Öberg"
    other = store.save(other)
    first = anna.person.name.split()[0]
    assert [s.id for s in store.search(first.lower())] == [anna.id]
    assert [s.id for s in store.search("e\u0300ve öBERG")] == [other.id]  # NFD typed, NFC stored
    assert [s.id for s in store.search("100%_")] == [other.id]
    assert [s.id for s in store.search("%")] == [other.id]  # a literal percent sign, not a wildcard
    assert store.search("   ") == []


# -- faults ------------------------------------------------------------------------


def test_a_dropped_connection_is_retried_on_a_new_one(store, postgres_url):
    saved = store.save(plan())
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    saved.situation = "Skrivet efter avbrottet"
    again = store.save(saved)
    assert again.revision == 2 and store.load(saved.id).situation == "Skrivet efter avbrottet"


def test_a_lost_server_keeps_the_edits_and_never_shows_the_password(tmp_path, cli):
    url = "postgresql://anna:hemligt-lösen@127.0.0.1:1/sip?connect_timeout=2"
    with pytest.raises(Unreachable) as caught:
        PostgresStore(url, tmp_path)
    message = t(caught.value.code, file=caught.value.file, **caught.value.params)
    assert "hemligt" not in message and "anna:***@127.0.0.1:1" in message and "försök igen" in message

    run = cli("--store", url, "list")
    assert run.code == 1 and "hemligt" not in run.err + run.out and "går inte att nå" in run.err


def test_a_save_while_the_server_is_gone_is_kept_in_a_recovery_file(store, postgres_url, tmp_path):
    saved = store.save(plan())
    store.url = store.url.replace("/sip_tui_test", "/gone_sip_tui_test")  # the next connection fails
    store.close()
    saved.situation = "Skrivet under mötet"
    service = PlanService(store, clock=lambda: T0)
    with pytest.raises(Unreachable):
        service.save(saved)
    kept = service.save_recovery(saved)
    assert kept.parent == tmp_path / "local" / "recovery"
    assert "Skrivet under mötet" in kept.read_text()


SSL_REQUEST = 80877103  # the first packet of a client that asks for TLS (PostgreSQL protocol)


def first_packet_to(url_template: str, tmp_path) -> tuple[int, BaseException | None]:
    """Connect to a stand-in server that answers "no TLS here"; returns the request
    code of the client's first packet and what connecting raised."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    codes: list[int] = []

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            packet = connection.recv(8)
            codes.append(struct.unpack("!ii", packet)[1] if len(packet) == 8 else -1)
            connection.sendall(b"N")  # this server does not speak TLS

    server = threading.Thread(target=answer, daemon=True)
    server.start()
    try:
        PostgresStore(url_template.format(port=port), tmp_path)
        raised = None
    except Unreachable as error:
        raised = error
    server.join(5)
    listener.close()
    return codes[0], raised


def test_tls_options_in_the_url_are_honoured(tmp_path):
    url = "postgresql://anna:hemligt@127.0.0.1:{port}/sip?sslmode=%s&gssencmode=disable&connect_timeout=3"
    code, raised = first_packet_to(url % "require", tmp_path)
    assert code == SSL_REQUEST  # the client asked for TLS first …
    assert isinstance(raised, Unreachable)  # … and would not go on without it
    assert "hemligt" not in t(raised.code, file=raised.file, **raised.params)
    code, _ = first_packet_to(url % "disable", tmp_path)
    assert code != SSL_REQUEST


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://anna:s3cr%40t@db.kommun.se/sip", "postgresql://anna:***@db.kommun.se/sip"),
        ("postgresql://db.kommun.se/sip?user=anna&password=s3cret", "postgresql://db.kommun.se/sip?user=anna&password=***"),
        ("postgresql://anna@db.kommun.se/sip", "postgresql://anna@db.kommun.se/sip"),
    ],
)
def test_urls_are_shown_without_passwords(url, shown):
    assert mask_url(url) == shown


# -- moving plans -----------------------------------------------------------------


def test_copy_moves_plans_with_versions_and_logs_both_ways(postgres_url, postgres_server, cli, tmp_path):
    folder = tmp_path / "laptop"
    assert cli("--store", folder, "demo").code == 0
    source = PlanStore(folder)
    ids = source.plan_ids()

    run = cli("store", "copy", folder, postgres_url)
    assert run.code == 0 and f"{len(ids)} plan" in run.out
    database = PostgresStore(postgres_url, tmp_path / "local")
    assert database.plan_ids() == ids
    for plan_id in ids:
        assert database.load(plan_id) == source.load(plan_id)
        assert database.versions(plan_id) == source.versions(plan_id)
        assert moments(database.changes(plan_id)) == moments(source.changes(plan_id))
    database.log_access(ids[0], "open")

    back = tmp_path / "back"
    assert cli("store", "copy", postgres_url, back).code == 0
    returned = PlanStore(back)
    assert returned.plan_ids() == ids
    assert [returned.load(i).revision for i in ids] == [source.load(i).revision for i in ids]
    assert [a["action"] for a in returned.access_log(ids[0])] == ["open"]

    again = cli("store", "copy", folder, postgres_url)
    assert again.code == 0 and f"{len(ids)} fanns redan" in again.out
    database.close()


def moments(changes: list[dict]) -> list[dict]:
    """A change log with its times as moments: each store writes them in its own time zone."""
    return [{**c, "from": dt.datetime.fromisoformat(c["from"]), "to": dt.datetime.fromisoformat(c["to"])} for c in changes]


def test_copy_refuses_to_overwrite_a_newer_plan(postgres_url, cli, tmp_path):
    folder = tmp_path / "laptop"
    laptop = PlanStore(folder)
    saved = laptop.save(plan())
    assert cli("store", "copy", folder, postgres_url).code == 0
    database = PostgresStore(postgres_url, tmp_path / "local", user="bertil")
    newer = database.load(saved.id)
    newer.situation = "Bertils nyare ändring"
    database.save(newer)

    run = cli("store", "copy", folder, postgres_url)
    assert run.code == 1 and saved.id in run.err and "nyare" in run.err
    assert database.load(saved.id).situation == "Bertils nyare ändring"
    database.close()


def test_copy_goes_in_batches_reports_a_damaged_plan_and_brings_an_older_copy_up_to_date(
    postgres_url, cli, tmp_path, monkeypatch
):
    monkeypatch.setattr("sip_tui.store.copy.BATCH", 2)  # five plans: three batches
    folder = tmp_path / "laptop"
    laptop = PlanStore(folder, user="anna")
    plans = [laptop.save(plan()) for _ in range(5)]
    assert cli("store", "copy", folder, postgres_url).code == 0
    moved_on = laptop.load(plans[0].id)
    moved_on.situation = "Skrivet på laptopen efter flytten"
    moved_on = laptop.save(moved_on)  # the database's copy is now older
    damaged = folder / "plans" / f"{plans[1].id}.json"
    damaged.write_text(damaged.read_text().replace('"status":"', '"status":"trasig-'))
    added = laptop.save(plan())

    run = cli("store", "copy", folder, postgres_url)
    assert run.code == 1 and plans[1].id in run.err  # the damaged plan, named by its id; the others go on
    assert "Kopierade 2 plan" in run.out and "3 fanns redan" in run.out
    database = PostgresStore(postgres_url, tmp_path / "local")
    assert database.load(moved_on.id) == moved_on
    assert database.load(added.id) == added and len(database.changes(added.id)) == 1
    assert database.load(plans[1].id) == plans[1]  # the good copy from before stays
    assert sorted(database.plan_ids()) == sorted([p.id for p in plans] + [added.id])
    database.close()


# -- live overview -----------------------------------------------------------------


def test_a_colleagues_save_is_heard_by_an_open_overview(store, postgres_url, tmp_path):
    heard: list[str] = []
    got_one, stop = threading.Event(), threading.Event()

    def on_change(plan_id: str) -> None:
        heard.append(plan_id)
        got_one.set()

    listener = threading.Thread(target=store.listen, args=(on_change, stop), daemon=True)
    listener.start()
    colleague = PostgresStore(postgres_url, tmp_path / "local", user="bertil")
    try:
        saved = None
        for _ in range(20):  # the listener may not be listening yet: save until it hears one
            saved = colleague.save(saved or plan())
            if got_one.wait(0.5):
                break
        assert heard and heard[0] == saved.id
    finally:
        stop.set()
        listener.join(5)
        colleague.close()



def test_a_save_waiting_for_a_colleagues_save_says_so_once(store, postgres_url):
    saved = store.save(plan())
    waited: list[str] = []
    with psycopg.connect(postgres_url) as colleague:
        colleague.execute("SELECT 1 FROM plans WHERE id = %s FOR UPDATE", (saved.id,))  # their save in progress
        releaser = threading.Timer(0.5, colleague.commit)
        releaser.start()
        again = store.save(saved, on_wait=lambda: waited.append("waiting"))
        releaser.join()
    assert waited == ["waiting"] and again.revision == 2


def test_report_prints_the_same_from_the_database_as_from_the_folder(postgres_url, cli, tmp_path):
    folder = tmp_path / "store"
    assert cli("--store", folder, "demo").code == 0
    assert cli("store", "copy", folder, postgres_url).code == 0
    from_folder = cli("--store", folder, "report", "--json")
    from_database = cli("--store", postgres_url, "report", "--json")
    assert from_folder.code == from_database.code == 0
    assert from_database.json() == from_folder.json()
