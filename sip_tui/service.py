"""The small API that screens and the CLI call. Screens never touch the
store or build documents themselves."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .export.text import safe_filename_part
from .i18n import field_error, t
from .models import deviations as deviation_process
from .models import lifecycle
from .models.diff import IMPORT_IGNORED, Change, FieldConflict, choosable, conflicting_fields, diff_plans, take_changes
from .models.followup import DEFAULT_WITHIN_DAYS, FollowupEntry, PlanSummary, open_followups
from .models.interchange import PlanDocument, dump_document
from .models.plan import Closure, Deviation, Plan, Situation
from .models.report import Report, build_report
from .offer_service import CatalogueService, ImportRefused, checked_path, unreadable
from .settings import Settings, default_export_dir, load_settings, store_path
from .store import PlanStore, ScanResult, StoreError
from .store.store import ImportConflict, NotFound, StaleRevision  # noqa: F401 (screens catch them from here)


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone().replace(microsecond=0)


class AmbiguousId(LookupError):
    def __init__(self, prefix: str) -> None:
        super().__init__(prefix)
        self.prefix = prefix


class Unsaveable(StoreError):
    """A plan that would not read back: saving it would make it unreadable."""

    code = "store.unsaveable"


def check_readable(plan: Plan) -> None:
    """Refuse what the store could not read back, whoever built the plan."""
    try:
        Plan.model_validate(plan.model_dump(mode="json"))
    except ValidationError as error:
        where = ".".join(str(part) for part in error.errors(include_url=False)[0]["loc"])
        raise Unsaveable(field=where) from None


@dataclass(frozen=True)
class ImportOutcome:
    plan: Plan
    is_new: bool
    unchanged: bool = False  # the stored plan was already the same: nothing written
    kept: Path | None = None  # where the plan an import replaced is kept (--replace)


@dataclass(frozen=True)
class ImportChoices:
    """An import to choose from field by field: the file, the stored plan it was
    compared with, and every change the file would make to it."""

    document: PlanDocument
    stored: Plan
    changes: list[Change]


class PlanService:
    def __init__(
        self, store: PlanStore, settings: Settings | None = None, clock: Callable[[], dt.datetime] = local_now
    ) -> None:
        self.store = store
        self.settings = settings or Settings()
        self.clock = clock
        store.clock = clock
        self.catalogue = CatalogueService(store.root, self.today)  # the insats catalogue (Kartoteket)

    def today(self) -> dt.date:
        return self.clock().date()

    # -- plans -------------------------------------------------------------

    def new_plan(self) -> Plan:
        plan = Plan()
        plan.meeting.date = self.today()
        return plan

    def open(self, plan_id: str) -> Plan:
        plan = self.store.load(plan_id)
        self.store.log_access(plan_id, "open")  # a team's database records who opened which plan
        return plan

    def save(self, plan: Plan, on_wait: Callable[[], object] | None = None) -> Plan:
        """Save ``plan``; ``on_wait`` is called if another window holds its lock first."""
        check_readable(plan)
        return self.store.save(plan, on_wait)

    def agree(self, plan: Plan, agreed_by: list[str], at: dt.datetime | None = None) -> Plan:
        """Agree version N+1 now, or ``at`` the meeting it was agreed in (example data)."""
        return self.save(lifecycle.agree(plan, agreed_by, at or self.clock()))

    def start_followup(self, plan: Plan) -> Plan:
        return self.save(lifecycle.start_followup(plan, self.today()))

    def discard_followup(self, plan: Plan) -> Plan:
        agreed = self._agreed_version(plan, plan.version)
        if agreed is None:
            raise lifecycle.LifecycleError("not_in_followup")
        return self.save(lifecycle.discard_followup(plan, agreed))

    def close(self, plan: Plan, closure: Closure, after: Situation | None = None) -> Plan:
        return self.save(lifecycle.close(plan, closure, after))

    def save_recovery(self, plan: Plan, versions: list[Plan] | None = None, tag: str = "") -> Path:
        """Keep a plan that could not be saved (another window changed it, a full
        disk) as an interchange file in ``<store>/recovery/``: `sip-tui import` reads it.
        The file records the save the plan was based on (its revision), so importing
        it after the plan changed lists what differs instead of undoing that change."""
        document = dump_document(plan, versions or []).encode("utf-8")
        stamp = f"{self.clock():%Y%m%d-%H%M%S}{tag}"
        return self.store.write_recovery(plan.id, document, stamp)

    def write_crash_report(self, report: str) -> Path:
        return self.store.write_crash_report(report.encode("utf-8"), f"{self.clock():%Y%m%d-%H%M%S}")

    def versions(self, plan_id: str) -> list[Plan]:
        return self.store.versions(plan_id)

    def resolve_id(self, prefix: str) -> str:
        """A full plan id from an id or a unique prefix of one."""
        matches = [plan_id for plan_id in self.store.plan_ids() if plan_id.startswith(prefix.strip())]
        if not prefix.strip() or not matches:
            raise NotFound(prefix[:40])
        if len(matches) > 1:
            raise AmbiguousId(prefix)
        return matches[0]

    # -- overviews -----------------------------------------------------------

    def scan(self, progress: Callable[[int, int], None] | None = None) -> ScanResult:
        return self.store.scan(progress)

    def scan_followups(self, progress: Callable[[int, int], None] | None = None) -> ScanResult:
        """The plans a follow-up overview may show (a database answers from an index)."""
        return self.store.scan_followups(progress)

    def reach_store(self) -> None:
        """Connect to a team's database and check its schema (a StoreError says why it
        cannot be used yet); a folder is always there."""
        check = getattr(self.store, "check", None)
        if check is not None:
            check()

    def can_watch_saves(self) -> bool:
        """Whether other clients' saves can be heard (a team's database; a folder cannot)."""
        return hasattr(self.store, "listen")

    def watch_saves(self, on_change: Callable[[str], object], stop: threading.Event) -> None:
        """Call ``on_change(plan_id)`` on every save by anyone, until ``stop`` is set (blocks)."""
        self.store.listen(on_change, stop)  # type: ignore[attr-defined]  # only a database listens (can_watch_saves)

    def followups(self, summaries: list[PlanSummary], within_days: int = DEFAULT_WITHIN_DAYS) -> list[FollowupEntry]:
        return open_followups(summaries, self.today(), within_days)

    def report(
        self, summaries: list[PlanSummary], start: dt.date | None = None, end: dt.date | None = None
    ) -> Report:
        """The anonymous indicator report for a period (from the scan's summaries)."""
        return build_report(summaries, self.today(), start, end, tuple(self.settings.report_age_bands))

    # -- deviations ----------------------------------------------------------

    def save_deviation(self, plan_id: str, deviation: Deviation) -> Plan:
        """Add or replace one deviation of a stored plan, whatever the plan's status:
        a deviation is reported at any time. It is a log about the cooperation, not
        part of the agreed plan, so an agreed version stays as it was agreed."""
        plan = self.store.load(plan_id)
        items = [d for d in plan.deviations if d.id != deviation.id]
        index = next((i for i, d in enumerate(plan.deviations) if d.id == deviation.id), len(items))
        plan.deviations = [*items[:index], deviation, *items[index:]]
        return self.save(plan)

    def advance_deviation(self, plan_id: str, deviation_id: str, step: str, answer: str = "") -> Deviation:
        """The next step of a deviation's process: "send", "answer" or "close".
        Raises DeviationError (a catalogue code) when the process does not allow it."""
        plan = self.store.load(plan_id)
        deviation = next(d for d in plan.deviations if d.id == deviation_id)
        today = self.today()
        if step == "send":
            changed = deviation_process.send(deviation, today, self.settings.deviation_reply_days)
        elif step == "answer":
            changed = deviation_process.answer(deviation, answer, today)
        else:
            changed = deviation_process.close(deviation, today)
        self.save_deviation(plan_id, changed)
        return changed

    def mark_systemfel(self, plan_id: str, deviation_id: str, systemfel: bool) -> Deviation:
        plan = self.store.load(plan_id)
        deviation = next(d for d in plan.deviations if d.id == deviation_id).model_copy(update={"systemfel": systemfel})
        self.save_deviation(plan_id, deviation)
        return deviation

    @staticmethod
    def search(summaries: list[PlanSummary], text: str) -> list[PlanSummary]:
        """Plans whose person's name contains every word of ``text``. Both sides in
        NFC: a name typed with combining accents (NFD) matches one typed precomposed."""
        words = _comparable(text).split()
        if not words:
            return []
        return [s for s in summaries if all(w in _comparable(s.name) for w in words)]

    # -- interchange and export ---------------------------------------------

    def import_document(self, document: PlanDocument, replace: bool = False) -> ImportOutcome:
        """Add or update a plan. A document based on an older save than the stored
        plan is refused (ImportConflict: ``import_conflicts`` lists the fields) unless
        ``replace``: the stored plan is then first kept in a recovery file."""
        plan_id = document.plan.id
        current = self.store.load(plan_id) if self.store.exists(plan_id) else None
        kept, replacing = None, None
        rollback = current is not None and document.plan.version < current.version  # refused by the store anyway
        if replace and current is not None and not rollback and self.import_conflicts(document):
            kept = self.save_recovery(current, self.store.versions(plan_id), "-replaced")
            replacing = current.revision  # refused if saved again after this copy was kept
        plan = self.store.import_document(document.plan, document.versions, replacing=replacing)
        unchanged = current is not None and plan.revision == current.revision
        return ImportOutcome(plan, current is None, unchanged, kept)

    def import_conflicts(self, document: PlanDocument) -> list[FieldConflict]:
        """The fields where a document and the stored plan differ (none for a new plan),
        for the user to choose between when an import is refused as based on an older save."""
        if not self.store.exists(document.plan.id):
            return []
        return conflicting_fields(self.store.load(document.plan.id), document.plan)

    def read_import(self, typed: str) -> PlanDocument:
        """The plan file at a path the facilitator typed or pasted (a recovery file,
        another laptop's export). ImportRefused says why not, field by field."""
        from .models.interchange import DocumentError, parse_document

        path = checked_path(typed)
        try:
            return parse_document(path.read_bytes())
        except OSError as error:
            raise unreadable(error) from None
        except DocumentError as error:
            lines = [t("import.failed", count=len(error.errors))]
            lines += [f"{e.path}: {field_error(e.code, e.detail, **e.context)}" for e in error.errors]
            raise ImportRefused(lines) from None

    def recovery_files(self) -> list[Path]:
        """Plans kept in ``<store>/recovery/`` because they could not be saved (or
        were replaced by an import), newest first: what a facilitator imports back."""
        try:
            files = [path for path in (self.store.root / "recovery").glob("*.json") if path.is_file()]
            return sorted(files, key=lambda path: path.stat().st_mtime, reverse=True)
        except OSError:  # no recovery folder (nothing kept), or it cannot be read
            return []

    def import_choices(self, document: PlanDocument) -> ImportChoices | None:
        """An import refused as based on an older save, as choices: each field where
        the file and the stored plan differ. None when the two cannot be mixed (another
        version, or agreed since): the file can only be refused or replace the plan."""
        current = self.store.load(document.plan.id)
        if not choosable(current, document.plan):
            return None
        return ImportChoices(document, current, diff_plans(current, document.plan, IMPORT_IGNORED))

    def import_chosen(self, choices: ImportChoices, chosen: list[Change]) -> ImportOutcome:
        """Save the stored plan with the chosen fields taken from the file. The plan
        as it was is kept in a recovery file first; StaleRevision if it was saved
        again while the user chose (the choices were made against the older one)."""
        plan_id = choices.stored.id
        current = self.store.load(plan_id)
        if current.revision != choices.stored.revision:
            raise StaleRevision(plan_id, stored=current.revision, yours=choices.stored.revision)
        if not chosen:
            return ImportOutcome(current, is_new=False, unchanged=True)
        merged = take_changes(current, choices.document.plan, chosen)
        kept = self.save_recovery(current, self.store.versions(plan_id), "-replaced")
        return ImportOutcome(self.save(merged), is_new=False, kept=kept)

    def export_json_file(self, plan: Plan, out: str | Path) -> Path:
        """The interchange JSON of a plan written to ``out`` (a file, or a folder for the default name)."""
        from .export.text import write_atomically

        text = dump_document(plan, self.store.versions(plan.id))
        written = write_atomically(self._export_path(plan, out, "json"), text.encode("utf-8"))
        self._log_export(plan)
        return written

    def prepare_export(self) -> None:
        """Import python-docx and read the Word template ahead of the first export,
        so exporting from the review step stays quick (bench_export)."""
        from .export import docx
        from .export.text import ExportError

        with contextlib.suppress(ExportError):  # a broken template: the export says so when asked
            docx.prepared_template(self.settings)

    def export_report(self, report: Report, out: str | Path, kind: str) -> Path:
        """The report as a "csv" or "docx" file at ``out`` (owner-only, as every export)."""
        from .export import report as report_files  # python-docx loads only for a Word file

        path = Path(out).expanduser()
        return report_files.write_docx(report, path) if kind == "docx" else report_files.write_csv(report, path)

    def export_docx(self, plan: Plan, out: str | Path | None = None) -> Path:
        from .export.docx import write_docx  # python-docx loads only when exporting

        path = self._export_path(plan, out, "docx")
        write_docx(plan, self._previous_version(plan), self.settings, path)
        self._log_export(plan)
        return path

    def export_pdf(self, plan: Plan, out: str | Path | None = None) -> Path:
        """The Word document as a PDF (through LibreOffice; PdfError without it)."""
        from .export.docx import write_docx
        from .export.pdf import write_pdf

        previous = self._previous_version(plan)
        path = self._export_path(plan, out, "pdf")
        return write_pdf(lambda docx: write_docx(plan, previous, self.settings, docx), path)

    def export_ics(self, plan: Plan, out: str | Path | None = None) -> Path:
        from .export.ics import write_ics

        path = self._export_path(plan, out, "ics")
        write_ics(plan, self.settings, path, now=self.clock())
        self._log_export(plan)
        return path

    def export_ics_cancellation(self, plan: Plan, out: str | Path | None = None) -> Path | None:
        """A cancellation (METHOD:CANCEL) for the follow-up an earlier invite
        announced when the plan closed or its follow-up moved to another day,
        next to the invite (``<name>-inställt.ics``); None when there is none."""
        from .export.ics import cancelled_followup, write_cancellation

        previous = self._agreed_version(plan, plan.version if plan.editable else plan.version - 1)
        cancelled = cancelled_followup(plan, previous)
        if cancelled is None or cancelled.followup.date is None or cancelled.followup.date <= self.today():
            # a follow-up held today or before took place: nothing to cancel
            return None
        invite = self._export_path(plan, out, "ics")
        path = invite.with_name(f"{invite.stem}-{t('file.cancelled')}.ics")
        write_cancellation(cancelled, plan, self.settings, path, now=self.clock())
        return path

    def log_search(self, plan_ids: list[str]) -> None:
        """A team's database records which plans a search showed (who and when), never
        the text typed: it may be a name or a personnummer. A folder keeps no access log."""
        if plan_ids:
            self.store.log_accesses(plan_ids, "search")

    def _log_export(self, plan: Plan) -> None:
        if self.store.exists(plan.id):  # an unsaved draft exported from the meeting has no log yet
            self.store.log_access(plan.id, "export")

    def log(self, plan_id: str) -> list[dict]:
        """A plan's log, oldest first, times in this computer's time zone: changes
        ({"at", "by", "action": "change", "what"}) and accesses (action "open", "export" or "search")."""
        entries = [
            {"at": c["to"], "by": c["by"], "action": "change", "what": c["what"]} for c in self.store.changes(plan_id)
        ]
        entries += [{**a, "what": []} for a in self.store.access_log(plan_id)]
        for entry in entries:
            entry["at"] = dt.datetime.fromisoformat(entry["at"]).astimezone().isoformat()
        return sorted(entries, key=lambda e: dt.datetime.fromisoformat(e["at"]))

    def _export_path(self, plan: Plan, out: str | Path | None, extension: str) -> Path:
        """``out`` itself, or the default file name in ``out`` when it is a folder
        (in the settings' export folder when ``out`` is None). An ``out`` written
        with a trailing separator ("exports/") means a folder, made if missing."""
        if out is None:
            return default_export_dir(self.settings) / export_filename(plan, extension)
        names_folder = str(out).endswith(("/", os.sep))
        out = Path(out).expanduser()
        return out / export_filename(plan, extension) if names_folder or out.is_dir() else out

    def _previous_version(self, plan: Plan) -> Plan | None:
        """The agreed version before ``plan``'s, to show what changed."""
        return self._agreed_version(plan, plan.version - 1) if plan.version >= 2 else None

    def _agreed_version(self, plan: Plan, number: int) -> Plan | None:
        """Agreed version ``number`` as stored; None if the plan or that version is not in the store."""
        if not self.store.exists(plan.id):
            return None
        return next((v for v in self.store.versions(plan.id) if v.version == number), None)


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def export_filename(plan: Plan, extension: str) -> str:
    """First name, meeting date, version and the start of the plan's random id
    (two Annas met the same day must not overwrite each other): never a personnummer."""
    first = safe_filename_part(plan.person.first_name) or "plan"
    day = (plan.meeting.date or dt.date.today()).isoformat()
    version = f"v{plan.version}" if plan.version else t("file.draft")
    return f"SIP-{first}-{day}-{version}-{plan.id[:4]}.{extension}"


def create_service(
    store: PlanStore | None = None,
    settings: Settings | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> PlanService:
    """The service as the app and the command line run it, each part replaceable
    (tests pass a temporary store and a fixed clock): the store (default: the
    folder of ``SIP_TUI_STORE`` or the platform's data folder), its own
    settings.json (kept in ``store.root``) and this computer's clock."""
    if store is None:
        store = PlanStore(store_path())
    if settings is None:
        settings = load_settings(store.root)
    return PlanService(store, settings, clock or local_now)
