"""Import never loses a save or changes an agreed version, and refuses files that
would break the app: ids that cannot name a row, sizes no plan has. Each test is
written from a reproduction in issue 9."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import FIXED_NOW

from sip_tui.demo import load_demo
from sip_tui.i18n import set_language, t
from sip_tui.models.interchange import parse_document
from sip_tui.models.plan import ITEM_ID_PATTERN, ITEMS_MAX, PENDING_MAX, VERSION_MAX, Goal, Plan, new_id
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store.store import StaleRevision, Unreadable

LATER = FIXED_NOW + dt.timedelta(hours=2)
PYDANTIC_WORDS = ("should", "Input", "Value error", "Ogiltigt värde", "Invalid value")


@pytest.fixture
def demo_store(cli, store_dir) -> Path:
    assert cli("--store", store_dir, "demo").code == 0
    return store_dir


def ids_by_name(cli, store: Path) -> dict[str, str]:
    return {s["name"]: s["id"] for s in cli("--store", store, "list", "--json").json()}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def later_service(store: Path) -> PlanService:
    """Another window, two hours after the CLI's fixed clock."""
    return PlanService(PlanStore(store, user="olle"), clock=lambda: LATER)


def write(path: Path, document: dict) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# -- 1. an older export or a recovery file never rolls a later save back ----------------------


def test_an_old_export_is_refused_after_the_plan_was_edited_and_replace_keeps_the_edit_restorable(
    cli, demo_store, tmp_path
):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    old = tmp_path / "old.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", old).code == 0
    window = later_service(demo_store)
    edited = window.open(plan_id)
    edited.situation = "Skrivet efter exporten"
    edited.goals.append(Goal(text="Ett nytt mål"))
    edited = window.save(edited)
    before = files(demo_store / "plans")

    run = cli("--store", demo_store, "import", old)

    assert run.code == 1 and run.out == ""
    assert files(demo_store / "plans") == before, "nothing changed"
    assert f"{old}: " in run.err
    assert "2026-03-10 10:42" in run.err and "2026-03-10 12:42" in run.err, "when each was saved"
    sections = f"{t('section.situation')}, {t('section.goals')}."
    assert sections in run.err, "which sections differ, as the plan names them"
    assert "    $.plan.situation\n" in run.err
    assert f"    $.plan.goals (id {edited.goals[-1].id})\n" in run.err, "a row only the stored plan has"
    assert "Skrivet efter exporten" not in run.err and "Ett nytt mål" not in run.err, "paths only, no typed values"
    assert "--replace" in run.err

    replaced = cli("--store", demo_store, "import", "--replace", old)

    assert replaced.code == 0, replaced.err
    assert "importerad (uppdaterad)" in replaced.out
    store = PlanStore(demo_store)
    assert store.load(plan_id).situation == "Första mötet pågår."
    kept = next((demo_store / "recovery").glob(f"{plan_id}-*-replaced.json"))
    assert str(kept) in replaced.out
    assert parse_document(kept.read_bytes()).plan.situation == "Skrivet efter exporten"

    # The replaced plan comes back the same way, and the old export is then the older one again.
    restored = cli("--store", demo_store, "import", "--replace", kept)
    assert restored.code == 0, restored.err
    assert store.load(plan_id).situation == "Skrivet efter exporten"
    assert [g.text for g in store.load(plan_id).goals][-1] == "Ett nytt mål"
    assert cli("--store", demo_store, "import", old).code == 1


def test_a_recovery_file_after_the_other_window_saved_lists_both_sides_and_loses_neither(cli, demo_store):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    mine, theirs = later_service(demo_store), later_service(demo_store)
    first, second = mine.open(plan_id), theirs.open(plan_id)
    second.meeting.place = "Biblioteket"
    theirs.save(second)
    first.strengths = "Envis och rolig"
    with pytest.raises(StaleRevision):
        mine.save(first)
    recovery = mine.save_recovery(first)  # what the app does when the meeting is left

    run = cli("--store", demo_store, "import", recovery)

    assert run.code == 1
    stored = PlanStore(demo_store).load(plan_id)
    assert stored.meeting.place == "Biblioteket", "the other window's save is kept"
    assert "    $.plan.strengths\n" in run.err and "    $.plan.meeting.place\n" in run.err
    # For a screen: each conflicting field with both values, to choose between.
    conflicts = {c.path: c for c in mine.import_conflicts(parse_document(recovery.read_bytes()))}
    assert (conflicts["$.plan.strengths"].stored, conflicts["$.plan.strengths"].imported) == ("", "Envis och rolig")
    assert (conflicts["$.plan.meeting.place"].stored, conflicts["$.plan.meeting.place"].imported) == (
        "Biblioteket",
        "Vårdcentralen Norr",
    )
    assert set(conflicts) == {"$.plan.strengths", "$.plan.meeting.place"}


def test_an_export_of_the_current_save_imports_with_its_edits(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    current = tmp_path / "current.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", current).code == 0
    document = json.loads(current.read_text(encoding="utf-8"))
    document["plan"]["situation"] = "Redigerad i filen"

    run = cli("--store", demo_store, "import", write(current, document))

    assert run.code == 0 and "importerad (uppdaterad)" in run.out
    assert PlanStore(demo_store).load(plan_id).situation == "Redigerad i filen"
    assert not (demo_store / "recovery").exists(), "nothing replaced, nothing to keep"


def test_replace_refuses_when_the_plan_is_saved_again_after_its_copy_was_kept(demo_store, cli, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    old = tmp_path / "old.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", old).code == 0
    window = later_service(demo_store)
    plan = window.open(plan_id)
    plan.situation = "Andra fönstret"
    window.save(plan)
    store = PlanStore(demo_store)
    current = store.load(plan_id)
    plan = current.model_copy(update={"strengths": "Sparad efter kopian"})
    store.save(plan)  # between the copy and the replace

    with pytest.raises(StaleRevision):
        store.import_document(parse_document(old.read_bytes()).plan, [], replacing=current.revision)
    assert store.load(plan_id).strengths == "Sparad efter kopian"


# -- 2. an agreed version never changes ------------------------------------------------------


def test_an_edited_agreed_version_is_refused_and_the_plan_goes_on(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["David Testman"]
    exported = tmp_path / "david.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", exported).code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert (document["plan"]["status"], document["plan"]["version"]) == ("upprattad", 2)
    document["plan"]["goals"][0]["text"] = "Ändrad efter att version 2 upprättades"
    before = files(demo_store / "plans")

    run = cli("--store", demo_store, "import", write(exported, document))

    assert run.code == 1
    assert t("store.version_conflict", version=2) in run.err
    assert files(demo_store / "plans") == before
    service = later_service(demo_store)
    plan = service.open(plan_id)
    assert plan.goals[0].text == service.versions(plan_id)[1].goals[0].text != "Ändrad efter att version 2 upprättades"
    # A later save is no VersionConflict: the follow-up starts on the agreed text.
    assert service.start_followup(plan).version == 2

    # --replace never changes an agreed version either, nor does a fresh store take a self-contradicting file.
    assert cli("--store", demo_store, "import", "--replace", exported).code == 1
    assert service.open(plan_id).goals[0].text == service.versions(plan_id)[1].goals[0].text
    fresh = cli("--store", tmp_path / "fresh", "import", exported)
    assert fresh.code == 1 and t("store.version_conflict", version=2) in fresh.err


def test_an_edited_version_in_the_versions_list_is_refused_even_with_replace(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["David Testman"]
    exported = tmp_path / "david.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", exported).code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["versions"][0]["goals"][0]["text"] = "Förfalskad version 1"
    before = files(demo_store / "plans")

    run = cli("--store", demo_store, "import", "--replace", write(exported, document))

    assert run.code == 1 and t("store.version_conflict", version=1) in run.err
    assert files(demo_store / "plans") == before


# -- 3. item ids ------------------------------------------------------------------------------

BAD_IDS = ["a b", "a.b", "../../etc/x", "x\x1b[2Jy", "", "é", "a" * 65]


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_an_item_id_that_cannot_name_a_row_is_refused_by_path(cli, demo_store, tmp_path, bad_id):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    exported = tmp_path / "alva.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", exported).code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["plan"]["goals"].append({"id": bad_id, "text": "Ett mål"})
    before = files(demo_store / "plans")

    run = cli("--store", demo_store, "import", write(exported, document))

    assert run.code == 1
    assert f"  $.plan.goals[1].id: {t('error.string_pattern_mismatch')}" in run.err
    assert "\x1b" not in run.err
    assert files(demo_store / "plans") == before


def test_an_id_used_twice_in_a_plan_is_refused_naming_both_rows(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["Bo Exempelsson"]
    exported = tmp_path / "bo.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", exported).code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["plan"]["goals"] = [{"id": "same", "text": "Ett"}, {"id": "same", "text": "Två"}]

    run = cli("--store", tmp_path / "fresh", "import", write(exported, document))

    assert run.code == 1
    expected = t("error.id_duplicate", first="$.plan.goals[0].id")
    assert f"  $.plan.goals[1].id: {expected}" in run.err
    assert not (tmp_path / "fresh" / "plans").exists() or not list((tmp_path / "fresh" / "plans").iterdir())


def test_a_stored_file_edited_by_hand_to_repeat_an_id_is_reported_not_opened(store_dir):
    service = PlanService(PlanStore(store_dir), clock=lambda: FIXED_NOW)
    plan = service.save(Plan(goals=[Goal(text="Ett"), Goal(text="Två")]))
    path = service.store.path(plan.id)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["plan"]["1"]["goals"][1]["id"] = data["plan"]["1"]["goals"][0]["id"]
    path.write_text(json.dumps(data), encoding="utf-8")
    path.with_name(path.name + ".bak").unlink(missing_ok=True)
    with pytest.raises(Unreadable):
        service.open(plan.id)


def test_the_ids_the_app_makes_and_the_demo_plans_are_valid(service):
    import re

    assert all(re.match(ITEM_ID_PATTERN, new_id()) for _ in range(200))
    assert load_demo(service) == 5
    for plan_id in service.store.plan_ids():
        plan = service.open(plan_id)  # validates ids and their uniqueness
        assert all(v.id == plan.id for v in service.versions(plan_id))


# -- 4. size limits ---------------------------------------------------------------------------


def oversized(name: str) -> dict:
    plan: dict = {"id": "abc123"}
    if name == "goals":
        plan["goals"] = [{"id": f"g{n}", "text": "Mål nummer " + str(n) * 8} for n in range(100_000)]
    elif name == "pending_input":
        plan["pending_input"] = {f"person.f{n}": "x" for n in range(200_000)}
    elif name == "version":
        plan["version"] = int("9" * 4299)
    elif name == "revision":
        plan["revision"] = 10**15
    elif name == "goal_ids":
        plan["needs"] = [{"id": "n1", "goal_ids": [f"g{n}" for n in range(5_000)]}]
    elif name == "pending_key":
        plan["pending_input"] = {"person." + "x" * 10_000: "y"}
    elif name == "agreement_by":
        plan["agreement"] = {"at": "2026-03-10T10:00:00+01:00", "by": ["Namn"] * 1_000}
    return {"format": "sip-tui-plan", "format_version": 1, "plan": plan}


LIMITS = {
    "goals": ("$.plan.goals", "error.too_long", {"max_length": ITEMS_MAX}),
    "pending_input": ("$.plan.pending_input", "error.too_long", {"max_length": PENDING_MAX}),
    "version": ("$.plan.version", "error.less_than_equal", {"le": VERSION_MAX}),
    "revision": ("$.plan.revision", "error.less_than_equal", {"le": 10**12}),
    "goal_ids": ("$.plan.needs[0].goal_ids", "error.too_long", {"max_length": ITEMS_MAX}),
    "pending_key": ('$.plan.pending_input["person.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…]', "error.string_too_long", None),
    "agreement_by": ("$.plan.agreement.by", "error.too_long", {"max_length": 100}),
}


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("name", list(LIMITS))
def test_a_file_beyond_a_limit_is_refused_naming_the_path_in_the_ui_language(cli, store_dir, tmp_path, name, language):
    path, key, params = LIMITS[name]
    big = write(tmp_path / f"{name}.json", oversized(name))

    run = cli("--store", store_dir, "--lang", language, "import", big)

    assert run.code == 1 and run.out == ""
    set_language(language)
    message = t(key, **(params or {"max_length": 200}))
    assert f"  {path}: {message}" in run.err, run.err
    assert not any(word in run.err for word in PYDANTIC_WORDS), run.err
    assert len(run.err.splitlines()) < 10, "one line per problem, not one per row"
    assert not (store_dir / "plans").exists() or not list((store_dir / "plans").iterdir())


def test_a_plan_at_every_limit_still_imports(cli, store_dir, tmp_path):
    plan = {
        "id": "abc123",
        "version": 0,
        "goals": [{"id": f"g{n}", "text": "Mål"} for n in range(ITEMS_MAX)],
        "needs": [{"id": "n1", "goal_ids": [f"g{n}" for n in range(ITEMS_MAX)]}],
        "pending_input": {f"goals.g{n}.text": "x" for n in range(PENDING_MAX)},
    }
    at_limit = write(tmp_path / "full.json", {"format": "sip-tui-plan", "format_version": 1, "plan": plan})
    run = cli("--store", store_dir, "import", at_limit)
    assert run.code == 0, run.err
    assert len(PlanStore(store_dir).load("abc123").goals) == ITEMS_MAX


# -- 12. the benchmark measures valid plans ------------------------------------------------------


def test_the_benchmark_makes_only_plans_the_app_accepts(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent.parent / "bench"))
    import bench

    templates = bench.template_files(tmp_path / "templates")
    bench.make_store(tmp_path / "store", 300, templates, seed=10_000)
    store = PlanStore(tmp_path / "store")
    ids = store.plan_ids()
    assert len(ids) == 300
    overdue = 0
    for plan_id in ids:
        plan = store.load(plan_id)  # refuses (Unreadable) a plan the model does not accept
        store.versions(plan_id)
        overdue += bool(plan.followup.date and plan.followup.date < bench.TODAY)
    assert overdue > 30, "the mix still has overdue follow-ups to list"


def test_two_replaces_in_one_second_keep_both_replaced_plans(cli, demo_store, tmp_path):
    plan_id = ids_by_name(cli, demo_store)["Alva Påhittad"]
    old = tmp_path / "old.json"
    assert cli("--store", demo_store, "export", plan_id, "--json", old).code == 0
    window = later_service(demo_store)
    for text in ("Först", "Sedan"):
        plan = window.open(plan_id)
        plan.situation = text
        window.save(plan)
        assert cli("--store", demo_store, "import", "--replace", old).code == 0  # the fixed clock: the same second
    kept = sorted((demo_store / "recovery").glob(f"{plan_id}-*.json"))
    assert sorted(parse_document(p.read_bytes()).plan.situation for p in kept) == ["Först", "Sedan"]
