"""Two processes save at the same moment: different plans are all kept; on the
same plan exactly one save wins, the other is refused with a clear message,
and nothing of the winning save is lost."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import multiprocessing
import warnings
from pathlib import Path

import filelock
import pytest

from sip_tui import i18n
from sip_tui.catalogue import STRINGS
from sip_tui.demo import demo_plans
from sip_tui.store import PlanStore, StoreError
from sip_tui.store.store import Busy

WORKERS = 2
SAVES_EACH = 25
PLANS_EACH = 3
SAME_PLAN_ROUNDS = 15
TIMEOUT_S = 60

# spawn: a fresh interpreter per worker, no state shared with pytest by accident.
CONTEXT = multiprocessing.get_context("spawn")


def _plan():
    return demo_plans(dt.date(2026, 3, 10))[1][0]


def save_own_plans(root: str, worker: int, plan_ids: list[str], barrier, results) -> None:
    """Save each of this worker's plans SAVES_EACH times, starting together with the other worker."""
    store = PlanStore(Path(root), user=f"worker{worker}")
    plans = [store.load(plan_id) for plan_id in plan_ids]
    barrier.wait()
    try:
        for number in range(1, SAVES_EACH + 1):
            for index, plan in enumerate(plans):
                plans[index] = store.save(plan.model_copy(update={"situation": f"{worker}:{number}"}))
        results.put((worker, "ok", None))
    except StoreError as error:
        results.put((worker, "error", (error.code, error.file, error.params)))


def race_on_one_plan(root: str, worker: int, plan_id: str, barrier, results) -> None:
    """Each round: both load the same revision, then both save at once."""
    store = PlanStore(Path(root), user=f"worker{worker}")
    for round_number in range(SAME_PLAN_ROUNDS):
        plan = store.load(plan_id)
        barrier.wait()  # both have loaded the same revision
        plan = plan.model_copy(
            update={"situation": f"round {round_number} by worker {worker}", "strengths": f"worker {worker}"}
        )
        try:
            store.save(plan)
            results.put((round_number, worker, "saved", plan.revision, plan.situation))
        except StoreError as error:
            results.put((round_number, worker, "refused", error.code, (error.file, error.params)))
        barrier.wait()  # both have tried before the next round loads


def run_workers(target, args_for) -> None:
    processes = [CONTEXT.Process(target=target, args=args_for(worker)) for worker in range(WORKERS)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(TIMEOUT_S)
    for process in processes:
        if process.is_alive():
            process.kill()
    assert [p.exitcode for p in processes] == [0] * WORKERS


def drain(results, count: int) -> list:
    return [results.get(timeout=TIMEOUT_S) for _ in range(count)]


def test_two_processes_saving_different_plans_keep_everything(store_dir):
    store = PlanStore(store_dir, user="setup")
    ids = [[store.save(_plan()).id for _ in range(PLANS_EACH)] for _ in range(WORKERS)]
    barrier, results = CONTEXT.Barrier(WORKERS), CONTEXT.Queue()

    run_workers(save_own_plans, lambda w: (str(store_dir), w, ids[w], barrier, results))

    assert sorted(r[:2] for r in drain(results, WORKERS)) == [(w, "ok") for w in range(WORKERS)]
    result = store.scan()
    assert result.errors == []
    assert sorted(s.id for s in result.summaries) == sorted(i for own in ids for i in own)
    for worker, own in enumerate(ids):
        for plan_id in own:
            plan = store.load(plan_id)
            assert plan.situation == f"{worker}:{SAVES_EACH}"
            assert plan.revision == 1 + SAVES_EACH


def test_two_processes_saving_the_same_plan_one_wins_one_is_refused(store_dir):
    store = PlanStore(store_dir, user="setup")
    plan_id = store.save(_plan()).id
    path = store.path(plan_id)
    barrier, results = CONTEXT.Barrier(WORKERS), CONTEXT.Queue()

    run_workers(race_on_one_plan, lambda w: (str(store_dir), w, plan_id, barrier, results))

    by_round: dict[int, list] = {}
    for entry in drain(results, WORKERS * SAME_PLAN_ROUNDS):
        by_round.setdefault(entry[0], []).append(entry)
    assert sorted(by_round) == list(range(SAME_PLAN_ROUNDS))
    winners = []
    for round_number, entries in sorted(by_round.items()):
        outcomes = sorted(e[2] for e in entries)
        assert outcomes == ["refused", "saved"], entries
        winner = next(e for e in entries if e[2] == "saved")
        loser = next(e for e in entries if e[2] == "refused")
        assert winner[3] == round_number + 1  # both loaded the same revision
        winners.append(winner)

        code, (file, params) = loser[3], loser[4]
        assert code == "store.stale"
        assert file == path.name
        assert params == {"stored": round_number + 2, "yours": round_number + 1}
        for language in i18n.LANGUAGES:
            i18n.set_language(language)
            message = i18n.t(code, file=file, **params)
            assert message == STRINGS["store.stale"][i18n.LANGUAGES.index(language)]
            assert "Traceback" not in message
        i18n.set_language("sv")

    # Nothing lost: the stored plan is exactly the last winner's save.
    stored = store.load(plan_id)
    last = winners[-1]
    assert stored.revision == 1 + SAME_PLAN_ROUNDS
    assert stored.situation == last[4]
    assert stored.strengths == f"worker {last[1]}"
    assert store.scan().errors == []
    log = store.changes(plan_id)
    assert log[-1]["revision"] == stored.revision


# -- the plan lock: the store takes flock(2) itself; another sip-tui may take it through filelock --


def test_a_save_refused_while_another_window_holds_the_plans_lock_leaves_the_file_alone(store_dir, monkeypatch):
    monkeypatch.setattr("sip_tui.store.store.LOCK_TIMEOUT_S", 0.2)
    store = PlanStore(store_dir, user="karin")
    plan = store.save(_plan())
    before = store.path(plan.id).read_bytes()
    waited = []
    other_window = filelock.FileLock(str(store.locks_dir / f"{plan.id}.lock"))  # as another sip-tui takes it
    with other_window, pytest.raises(Busy) as refused:
        store.save(plan.model_copy(update={"situation": "Väntar förgäves"}), on_wait=lambda: waited.append(1))
    assert refused.value.file == f"{plan.id}.json"
    assert waited == [1], "the window was told once that it waits"
    assert store.path(plan.id).read_bytes() == before, "nothing written while the other window held the lock"
    saved = store.save(plan.model_copy(update={"situation": "Sparad efteråt"}))
    assert store.load(plan.id).situation == "Sparad efteråt" and saved.revision == plan.revision + 1


def test_a_store_on_a_file_system_without_flock_still_saves(store_dir, monkeypatch):
    """Where flock(2) is not supported (ENOSYS: some network mounts), the plan lock is
    filelock's, which keeps a marker file instead: saves go on as before."""

    def no_flock(fd, operation):
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    store = PlanStore(store_dir, user="karin")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # filelock says it falls back
        plan = store.save(_plan())
        saved = store.save(plan.model_copy(update={"situation": "Utan flock"}))
    assert store.load(plan.id).situation == "Utan flock" and saved.revision == plan.revision + 1
