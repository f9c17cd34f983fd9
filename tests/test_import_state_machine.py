"""A state machine over the store and import (hypothesis): two windows save,
agree and start follow-ups on one plan while files are exported, edited, tampered
with and imported, with and without --replace, and recovery files are kept and
imported. Whatever the order:

- the stored plan is always the last acknowledged write: an import without
  --replace never overwrites a save the file was not made from;
- an import with --replace keeps the plan it replaced, restorable;
- an agreed version never changes, and an agreed plan is its version;
- a file made from the current save, untampered, always imports (the rules do
  not refuse everything).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from conftest import FIXED_NOW
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sip_tui.demo import demo_plans
from sip_tui.models.enums import PlanStatus
from sip_tui.models.interchange import dump_document, parse_document
from sip_tui.models.lifecycle import LifecycleError
from sip_tui.models.plan import SAVE_BOOKKEEPING, Plan
from sip_tui.service import PlanService
from sip_tui.store import PlanStore
from sip_tui.store.store import ImportConflict, OlderImport, StaleRevision, VersionConflict

BOOKKEEPING = SAVE_BOOKKEEPING
WINDOWS = st.sampled_from([0, 1])
WORDS = st.sampled_from(["Ett", "Två", "Tre", "Fyra", "Fem"])
INDEX = st.integers(0, 1_000)


def content(plan: Plan) -> dict:
    return plan.model_dump(mode="json", exclude=BOOKKEEPING)


class Clock:
    """Seconds apart, the same day: every save has its own time stamp."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


class ImportMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sip-import-machine-"))
        clock = Clock()
        self.services = [PlanService(PlanStore(self.folder, user=user), clock=clock) for user in ("anna", "bo")]
        plan = demo_plans(FIXED_NOW.date())[1][0]  # complete: ready to agree
        saved = self.services[0].save(plan)
        self.plan_id = saved.id
        self.ack = 1  # number of acknowledged writes so far
        self.acked = content(saved)  # the stored plan after the last acknowledged write
        self.agreed: dict[int, dict] = {}  # agreed versions as first stored
        # Each window: its working copy and the acknowledged write it was opened at.
        self.windows: list[tuple[Plan, int]] = [(saved, self.ack), (saved.model_copy(deep=True), self.ack)]
        # Files: the document's text, the acknowledged write it was made from, and
        # whether an agreed version in it was changed by hand.
        self.files: list[tuple[str, int, bool]] = []

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def store(self) -> PlanStore:
        return self.services[0].store

    def acknowledged(self, plan: Plan) -> None:
        self.ack += 1
        self.acked = content(plan)
        if plan.status == PlanStatus.AGREED:
            self.agreed.setdefault(plan.version, content(plan))

    # -- two windows ---------------------------------------------------------------------

    @rule(window=WINDOWS)
    def reopen(self, window: int) -> None:
        self.windows[window] = (self.services[window].open(self.plan_id), self.ack)

    @rule(window=WINDOWS, word=WORDS)
    def edit(self, window: int, word: str) -> None:
        plan, _ = self.windows[window]
        if plan.editable:
            plan.situation = f"{plan.situation[:40]} {word}"
            plan.change_reason = f"Ändrat: {word}"

    @rule(window=WINDOWS)
    def save(self, window: int) -> None:
        self.write(window, lambda service, plan: service.save(plan))

    @rule(window=WINDOWS)
    def agree(self, window: int) -> None:
        self.write(window, lambda service, plan: service.agree(plan, ["Bo Exempelsson"]))

    @rule(window=WINDOWS)
    def start_followup(self, window: int) -> None:
        self.write(window, lambda service, plan: service.start_followup(plan))

    def write(self, window: int, action) -> None:
        service, (plan, base) = self.services[window], self.windows[window]
        try:
            saved = action(service, plan.model_copy(deep=True))
        except LifecycleError:
            return
        except StaleRevision:
            assert base != self.ack, "a window opened at the last write may save"
            # The app keeps the unsaved plan in a recovery file, and the window reopens the plan.
            event("recovery file kept")
            recovery = service.save_recovery(plan)
            self.files.append((recovery.read_text(encoding="utf-8"), base, False))
            self.reopen(window)
            return
        assert base == self.ack, "a save from an older state was refused"
        event(f"saved: {saved.status.value} v{saved.version}")
        self.acknowledged(saved)
        self.windows[window] = (saved, self.ack)

    # -- files ---------------------------------------------------------------------------------

    @rule()
    def export(self) -> None:
        text = dump_document(self.store.load(self.plan_id), self.store.versions(self.plan_id))
        self.files.append((text, self.ack, False))

    @precondition(lambda self: self.files)
    @rule(index=INDEX, word=WORDS)
    def edit_file(self, index: int, word: str) -> None:
        text, base, tampered = self.files[index % len(self.files)]
        document = json.loads(text)
        document["plan"]["goals"][0]["text"] = f"Mål: {word}"
        changes_agreed = document["plan"]["status"] == PlanStatus.AGREED.value
        self.files.append((json.dumps(document, ensure_ascii=False), base, tampered or changes_agreed))

    @precondition(lambda self: any(json.loads(text)["versions"] for text, _, _ in self.files))
    @rule(index=INDEX, word=WORDS)
    def tamper_with_a_version(self, index: int, word: str) -> None:
        with_versions = [f for f in self.files if json.loads(f[0])["versions"]]
        text, base, _ = with_versions[index % len(with_versions)]
        document = json.loads(text)
        document["versions"][0]["situation"] = f"Ändrad i efterhand: {word}"
        self.files.append((json.dumps(document, ensure_ascii=False), base, True))

    @precondition(lambda self: self.files)
    @rule(index=INDEX, replace=st.booleans())
    def import_file(self, index: int, replace: bool) -> None:
        text, base, tampered = self.files[index % len(self.files)]
        document = parse_document(text)
        before = self.store.load(self.plan_id)
        service = self.services[0]
        try:
            outcome = service.import_document(document, replace=replace)
        except (ImportConflict, OlderImport, VersionConflict) as error:
            event(f"import refused: {type(error).__name__}")
            made_from_current = base == self.ack
            assert not (made_from_current and not tampered), f"a file of the current save was refused: {error.code}"
            if isinstance(error, ImportConflict):
                assert not replace and not made_from_current
            return
        assert not tampered, "a changed agreed version was imported"
        event(f"import {'unchanged' if outcome.unchanged else 'written'}{' (replace)' if replace else ''}")
        after = self.store.load(self.plan_id)
        assert content(after) == content(document.plan)
        if outcome.unchanged:
            assert content(before) == content(after)
            return
        if not replace:
            assert base == self.ack or content(before) == content(after), "a save the file did not know was lost"
        elif base != self.ack and content(before) != content(after):
            assert outcome.kept is not None, "--replace keeps what it replaced"
            assert content(parse_document(outcome.kept.read_bytes()).plan) == content(before)
            self.files.append((outcome.kept.read_text(encoding="utf-8"), self.ack, False))
        self.acknowledged(after)

    # -- what always holds -----------------------------------------------------------------

    @invariant()
    def the_stored_plan_is_the_last_acknowledged_write(self) -> None:
        assert content(self.store.load(self.plan_id)) == self.acked

    @invariant()
    def agreed_versions_never_change(self) -> None:
        stored = {v.version: content(v) for v in self.store.versions(self.plan_id)}
        assert stored == self.agreed
        plan = self.store.load(self.plan_id)
        if plan.status == PlanStatus.AGREED:
            assert content(plan) == self.agreed[plan.version], "an agreed plan is its version"


ImportMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_saves_exports_and_imports_never_lose_an_acknowledged_save = ImportMachine.TestCase
