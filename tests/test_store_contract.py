"""The store's contract, run against both backends: the file store (one TinyDB
file per plan) and the team's PostgreSQL store. Whatever a facilitator does,
both behave the same: saves carry revisions and stale ones are refused, agreed
versions never change, the change log says who changed what and when, damaged
plans are reported and never written over, and two processes saving at once
lose nothing."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from pg_server import new_database

from sip_tui.demo import demo_plans
from sip_tui.i18n import t
from sip_tui.models import lifecycle
from sip_tui.models.enums import DeviationType, Outcome, PlanStatus
from sip_tui.models.plan import Closure, Deviation, Plan
from sip_tui.store import PlanStore, StoreError
from sip_tui.store.postgres import PostgresStore
from sip_tui.store.store import (
    CHANGE_COALESCE,
    ImportConflict,
    NotFound,
    OlderImport,
    StaleRevision,
    Unreadable,
    VersionConflict,
)

T0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
CONTEXT = multiprocessing.get_context("spawn")
TIMEOUT_S = 60


class Clock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass
class Backend:
    """How a test reaches one backend: ``open(user)`` is another client of the same
    store (another laptop, another process); ``damage(plan_id)`` spoils a stored plan
    the way that backend can be spoiled (a hand-edited file, an SQL UPDATE)."""

    name: str
    location: str
    open: Callable[..., object]
    damage: Callable[[str], None]
    fingerprint: Callable[[str], object]  # what is stored for a plan, to show nothing changed


def _file_backend(root: Path, clock: Clock) -> Backend:
    def damage(plan_id: str) -> None:
        path = root / "plans" / f"{plan_id}.json"
        path.write_text(path.read_text().replace('"status":"', '"status":"trasig-'))

    return Backend(
        "file",
        str(root),
        lambda user="anna": PlanStore(root, user=user, clock=clock),
        damage,
        lambda plan_id: (root / "plans" / f"{plan_id}.json").read_bytes(),
    )


def _postgres_backend(url: str, clock: Clock, tmp_path: Path) -> Backend:
    def damage(plan_id: str) -> None:
        with psycopg.connect(url) as conn:
            conn.execute("UPDATE plans SET doc = jsonb_set(doc, '{status}', '\"trasig\"') WHERE id = %s", (plan_id,))

    def fingerprint(plan_id: str) -> object:
        with psycopg.connect(url) as conn:
            plan = conn.execute("SELECT revision, doc FROM plans WHERE id = %s", (plan_id,)).fetchone()
            versions = conn.execute("SELECT version, doc FROM plan_versions WHERE plan_id = %s", (plan_id,)).fetchall()
            changes = conn.execute("SELECT count(*) FROM plan_changes WHERE plan_id = %s", (plan_id,)).fetchone()
        return plan, sorted(versions), changes

    stores: list[PostgresStore] = []

    def open_store(user: str = "anna") -> PostgresStore:
        store = PostgresStore(url, tmp_path / "local", user=user, clock=clock)
        stores.append(store)
        return store

    return Backend("postgres", url, open_store, damage, fingerprint)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["file", "postgres"])
def backend(request, tmp_path, clock) -> Backend:
    if request.param == "file":
        return _file_backend(tmp_path / "store", clock)
    url = new_database(request.getfixturevalue("postgres_server"))
    return _postgres_backend(url, clock, tmp_path)


@pytest.fixture
def store(backend):
    return backend.open()


def complete_plan() -> Plan:
    return demo_plans(T0.date())[1][0]


def agree(store, plan: Plan, clock: Clock) -> Plan:
    return store.save(lifecycle.agree(plan, [plan.person.name, plan.coordinator.name], clock.now))


def content(plan: Plan) -> dict:
    data = plan.model_dump(mode="json")
    for key in ("revision", "updated_at", "created_at"):
        data.pop(key)
    return data


# -- saves and revisions ---------------------------------------------------------


def test_saving_bumps_the_revision_and_loads_back_the_same_plan(store, clock):
    plan = store.save(complete_plan())
    assert plan.revision == 1 and plan.created_at == T0 and plan.updated_at == T0
    clock.advance(minutes=1)
    plan.situation = "Har börjat på praktik."
    plan = store.save(plan)
    assert plan.revision == 2
    loaded = store.load(plan.id)
    assert loaded == plan
    assert store.exists(plan.id) and plan.id in store.plan_ids()


def test_a_stale_save_is_refused_with_the_same_message_and_nothing_changes(backend, store):
    plan = store.save(complete_plan())
    colleague = backend.open("bertil")
    theirs = colleague.load(plan.id)
    theirs.situation = "Bertils ändring"
    colleague.save(theirs)
    before = backend.fingerprint(plan.id)

    plan.situation = "Annas ändring"
    with pytest.raises(StaleRevision) as caught:
        store.save(plan)

    assert caught.value.params == {"stored": 2, "yours": 1}
    assert backend.fingerprint(plan.id) == before
    assert store.load(plan.id).situation == "Bertils ändring"
    assert t(caught.value.code, file=caught.value.file, **caught.value.params) == t("store.stale")


def test_a_new_plan_with_an_existing_id_is_a_stale_save(store):
    plan = store.save(complete_plan())
    with pytest.raises(StaleRevision):
        store.save(plan.model_copy(update={"revision": 0}))


def test_missing_plans_and_bad_ids_are_not_found(store):
    for bad in ("finnsinte", "../etc/passwd", "", "a b"):
        with pytest.raises(NotFound):
            store.load(bad)
    assert store.plan_ids() == []


# -- agreed versions -----------------------------------------------------------


def test_agreed_versions_are_kept_in_order_and_never_change(store, clock):
    plan = agree(store, store.save(complete_plan()), clock)
    clock.advance(days=30)
    plan = store.save(lifecycle.start_followup(plan, clock.now.date()))
    plan.situation = "Har fått praktikplats."
    plan.followup.date = clock.now.date() + dt.timedelta(days=60)
    plan.followup.held = False
    plan.change_reason = "Uppföljning: praktik ordnad."
    plan = agree(store, plan, clock)

    versions = store.versions(plan.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].situation == "Har fått praktikplats." != versions[0].situation

    plan.situation = "Ändrad i efterhand"
    with pytest.raises(VersionConflict) as caught:
        store.save(plan)
    assert caught.value.params == {"version": 2}
    assert store.versions(plan.id)[1].situation == "Har fått praktikplats."


def test_a_deviation_on_an_agreed_plan_saves_and_leaves_the_version_as_agreed(store, clock):
    """A deviation is reported at any time: no part of the agreed version."""
    plan = agree(store, store.save(complete_plan()), clock)
    agreed = content(store.versions(plan.id)[0])
    plan.deviations.append(Deviation(date=clock.now.date(), type=DeviationType.NO_MANDATE, description="Inget mandat"))
    saved = store.save(plan)
    assert store.load(plan.id).deviations[-1].description == "Inget mandat"
    assert saved.status == PlanStatus.AGREED and saved.version == 1
    assert [content(v) for v in store.versions(plan.id)] == [agreed]


def test_closing_keeps_the_agreed_snapshot(store, clock):
    plan = agree(store, store.save(complete_plan()), clock)
    agreed = content(store.versions(plan.id)[0])
    closed = store.save(lifecycle.close(plan, Closure(date=clock.now.date(), outcome=Outcome.WORK)))
    assert closed.status == PlanStatus.CLOSED
    assert [content(v) for v in store.versions(plan.id)] == [agreed]


def test_import_refuses_a_changed_agreed_version_and_an_older_plan(backend, store, clock):
    plan = agree(store, store.save(complete_plan()), clock)
    before = backend.fingerprint(plan.id)
    forged = store.versions(plan.id)[0].model_copy(update={"situation": "Förfalskad"})
    with pytest.raises(VersionConflict):
        store.import_document(plan, [forged])
    with pytest.raises(OlderImport):
        store.import_document(plan.model_copy(update={"version": 0, "status": PlanStatus.DRAFT}), [])
    assert backend.fingerprint(plan.id) == before


def test_import_of_an_old_save_is_refused_unless_replacing(store, clock):
    plan = store.save(complete_plan())
    old = plan.model_copy(deep=True)
    clock.advance(minutes=1)
    plan.situation = "Sparad senare"
    plan = store.save(plan)
    old.strengths = "Från en gammal export"
    with pytest.raises(ImportConflict):
        store.import_document(old, [])
    replaced = store.import_document(old, [], replacing=plan.revision)
    assert replaced.revision == plan.revision + 1
    assert store.load(plan.id).strengths == "Från en gammal export"


# -- change log ------------------------------------------------------------------


def when(entry: dict, key: str) -> dt.datetime:
    return dt.datetime.fromisoformat(entry[key])


def test_change_log_records_who_when_and_what(backend, store, clock):
    plan = store.save(complete_plan())
    clock.advance(minutes=5)
    plan.situation = "Ny situation"
    plan = store.save(plan)
    clock.advance(seconds=CHANGE_COALESCE.total_seconds() + 60)
    plan.strengths = "Efter en paus"
    plan = store.save(plan)
    clock.advance(minutes=1)
    colleague = backend.open("bertil")
    plan = colleague.save(colleague.load(plan.id).model_copy(update={"situation": "Bertils ändring"}))
    store.save(store.load(plan.id))  # an unchanged save adds nothing

    changes = store.changes(plan.id)
    assert [c["by"] for c in changes] == ["anna", "anna", "bertil"]
    assert changes[0]["what"] == ["created", "situation"]
    assert when(changes[0], "from") == T0 and when(changes[0], "to") == T0 + dt.timedelta(minutes=5)
    assert changes[1]["what"] == ["strengths"]
    assert changes[2]["what"] == ["situation"] and changes[2]["revision"] == 4
    assert when(changes[2], "from") == clock.now


def test_agreeing_starts_a_new_change_entry(store, clock):
    plan = store.save(complete_plan())
    clock.advance(minutes=1)
    plan = agree(store, plan, clock)
    changes = store.changes(plan.id)
    assert len(changes) == 2 and changes[1]["version"] == 1 and "status" in changes[1]["what"]


# -- damaged input ---------------------------------------------------------------


def test_a_damaged_plan_is_reported_never_written_over_and_the_others_stay_usable(backend, store):
    damaged = store.save(complete_plan())
    other = store.save(complete_plan())
    backend.damage(damaged.id)
    before = backend.fingerprint(damaged.id)

    with pytest.raises(Unreadable) as caught:
        store.load(damaged.id)
    assert damaged.id in t(caught.value.code, file=caught.value.file, **caught.value.params)
    with pytest.raises(Unreadable):
        store.save(damaged.model_copy(update={"situation": "skriver över"}))
    assert backend.fingerprint(damaged.id) == before

    assert store.load(other.id) == other
    listed = {s.id: s.damaged for s in store.scan().summaries}
    assert listed == {damaged.id: True, other.id: False}  # listed, marked, never a crash


def test_scan_summarises_every_plan(store, clock):
    draft = store.save(complete_plan())
    agreed = agree(store, store.save(complete_plan()), clock)
    summaries = {s.id: s for s in store.scan().summaries}
    assert set(summaries) == {draft.id, agreed.id}
    assert summaries[agreed.id].status == PlanStatus.AGREED and summaries[agreed.id].version == 1
    assert summaries[agreed.id].name == agreed.person.name
    assert summaries[agreed.id].followup_date == agreed.followup.date


# -- two processes -----------------------------------------------------------------


def _open(kind: str, location: str, user: str):
    if kind == "file":
        return PlanStore(Path(location), user=user)
    return PostgresStore(location, Path(tempfile.mkdtemp()), user=user)


def _save_many(kind: str, location: str, worker: int, plan_ids: list[str], barrier, results) -> None:
    store = _open(kind, location, f"worker{worker}")
    plans = [store.load(plan_id) for plan_id in plan_ids]
    barrier.wait()
    try:
        for number in range(10):
            for index, plan in enumerate(plans):
                plans[index] = store.save(plan.model_copy(update={"situation": f"{worker}:{number}"}))
        results.put((worker, "ok"))
    except StoreError as error:
        results.put((worker, error.code))


def _race(kind: str, location: str, worker: int, plan_id: str, barrier, results) -> None:
    store = _open(kind, location, f"worker{worker}")
    for round_number in range(8):
        plan = store.load(plan_id)
        barrier.wait()
        try:
            store.save(plan.model_copy(update={"situation": f"{round_number}:{worker}"}))
            results.put((round_number, worker, "saved"))
        except StoreError as error:
            results.put((round_number, worker, error.code))
        barrier.wait()


def _run(target, args_for) -> None:
    processes = [CONTEXT.Process(target=target, args=args_for(worker)) for worker in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(TIMEOUT_S)
        if process.is_alive():
            process.kill()
    assert [p.exitcode for p in processes] == [0, 0]


def test_two_processes_saving_different_plans_keep_everything(backend, store):
    ids = [[store.save(complete_plan()).id for _ in range(2)] for _ in range(2)]
    barrier, results = CONTEXT.Barrier(2), CONTEXT.Queue()
    _run(_save_many, lambda w: (backend.name, backend.location, w, ids[w], barrier, results))
    assert sorted(results.get(timeout=TIMEOUT_S) for _ in range(2)) == [(0, "ok"), (1, "ok")]
    for worker, plan_ids in enumerate(ids):
        for plan_id in plan_ids:
            plan = store.load(plan_id)
            assert plan.situation == f"{worker}:9" and plan.revision == 11


def test_two_processes_saving_one_plan_never_both_win(backend, store):
    plan_id = store.save(complete_plan()).id
    barrier, results = CONTEXT.Barrier(2), CONTEXT.Queue()
    _run(_race, lambda w: (backend.name, backend.location, w, plan_id, barrier, results))
    outcomes: dict[int, list] = {}
    for _ in range(16):
        round_number, worker, outcome = results.get(timeout=TIMEOUT_S)
        outcomes.setdefault(round_number, []).append((worker, outcome))
    final = store.load(plan_id)
    assert final.revision == 1 + 8  # exactly one save per round
    for round_number, pair in outcomes.items():
        winners = [w for w, outcome in pair if outcome == "saved"]
        assert len(winners) == 1, pair
        assert sorted(o for _, o in pair) == ["saved", "store.stale"]
        if round_number == 7:
            assert final.situation == f"7:{winners[0]}"


def test_log_prints_who_changed_the_plan_and_when(backend, store, cli):
    saved = store.save(complete_plan())
    run = cli("--store", backend.location, "log", saved.id[:8])
    assert run.code == 0
    header, entry = run.out.splitlines()
    assert header.split() == ["När", "Vem", "Vad"]
    assert entry.split()[2:] == ["anna", "skapade", "planen"]
    assert entry.startswith(T0.astimezone().strftime("%Y-%m-%d %H:%M"))  # in this computer's time zone
