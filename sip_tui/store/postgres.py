"""The team's shared plan store on PostgreSQL (psycopg 3).

Same contract as the file store (``PlanStore``): a save carries the plan's
revision and is refused when stale; agreed versions are insert-only; the change
log records who, when and what. In addition every opening, export and search of
a plan is written to an access log.

    sip_tui_schema   the applied migrations (``sip-tui store init``)
    plans            one row per plan: the plan as JSON, its revision, and the
                     overview columns (name, status, follow-up date …) kept in
                     step with each save, so overviews never load a plan;
                     ``outside_write`` marks a row written by anything but
                     sip-tui, whose document overviews then check (damaged?)
    plan_versions    agreed versions; a trigger refuses UPDATE, DELETE, TRUNCATE
    plan_changes     the change log
    access_log       who opened, exported or searched which plan; insert-only

Identity: the configured name (``SIP_TUI_USER``) or else the connection's role.
Recovery files and crash reports stay on the laptop, in ``local_root``.
Passwords never appear in messages: the URL is shown masked (``mask_url``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import threading
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from ..models.enums import PlanStatus
from ..models.facts import EMPTY_FACTS, PlanFacts
from ..models.followup import PlanSummary
from ..models.lineage import based_on, carried_in, saved_at
from ..models.plan import Plan
from .storage import others_can_read, write_kept_file
from .store import (
    _BOOKKEEPING,
    CHANGE_COALESCE,
    ImportConflict,
    NewerSchema,
    NotFound,
    OlderImport,
    ScanResult,
    StaleRevision,
    StoreError,
    Unreadable,
    VersionConflict,
    _agreed_content,
    _content,
    _import_snapshots,
    _now,
    _when,
    differing_sections,
)

NOTIFY_CHANNEL = "sip_tui_plans"
CONNECT_TIMEOUT_S = 5
# Each statement gives up after this long (a lost server, a row locked by a hung client).
STATEMENT_TIMEOUT_MS = 15_000
ACCESS_ACTIONS = ("open", "export", "search")
T = TypeVar("T")

# Versioned migrations: (version, SQL). Applied in order, each in its own
# transaction, by `sip-tui store init`. Never edit one that has shipped: add the next.
MIGRATIONS: list[tuple[int, str]] = [
    (
        1,
        """
        CREATE TABLE plans (
            id text PRIMARY KEY,
            revision integer NOT NULL CHECK (revision > 0),
            version integer NOT NULL,
            doc jsonb NOT NULL,
            name text NOT NULL,
            name_key text NOT NULL,
            status text NOT NULL,
            followup_date date,
            followup_time text NOT NULL,
            coordinator text NOT NULL,
            responsible text NOT NULL,
            insats_statuses text[] NOT NULL,
            facts jsonb NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX plans_followup ON plans (followup_date, followup_time, id)
            WHERE status IN ('upprattad', 'uppfoljning') AND followup_date IS NOT NULL;
        CREATE INDEX plans_name_key ON plans (name_key text_pattern_ops);

        CREATE TABLE plan_versions (
            plan_id text NOT NULL REFERENCES plans (id),
            version integer NOT NULL CHECK (version > 0),
            status text NOT NULL,
            doc jsonb NOT NULL,
            stored_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (plan_id, version)
        );

        CREATE TABLE plan_changes (
            seq bigserial PRIMARY KEY,
            plan_id text NOT NULL REFERENCES plans (id),
            from_at timestamptz NOT NULL,
            to_at timestamptz NOT NULL,
            by_user text NOT NULL,
            what text[] NOT NULL,
            revision integer NOT NULL,
            version integer NOT NULL
        );
        CREATE INDEX plan_changes_plan ON plan_changes (plan_id, seq);

        CREATE TABLE access_log (
            seq bigserial PRIMARY KEY,
            plan_id text NOT NULL,
            at timestamptz NOT NULL DEFAULT now(),
            by_user text NOT NULL,
            action text NOT NULL CHECK (action IN ('open', 'export', 'search'))
        );
        CREATE INDEX access_log_plan ON access_log (plan_id, seq);

        -- Agreed versions and the access log are insert-only, whoever connects.
        CREATE FUNCTION sip_tui_insert_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'sip-tui: % is insert-only', TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER plan_versions_insert_only BEFORE UPDATE OR DELETE ON plan_versions
            FOR EACH ROW EXECUTE FUNCTION sip_tui_insert_only();
        CREATE TRIGGER plan_versions_no_truncate BEFORE TRUNCATE ON plan_versions
            FOR EACH STATEMENT EXECUTE FUNCTION sip_tui_insert_only();
        CREATE TRIGGER access_log_insert_only BEFORE UPDATE OR DELETE ON access_log
            FOR EACH ROW EXECUTE FUNCTION sip_tui_insert_only();
        CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
            FOR EACH STATEMENT EXECUTE FUNCTION sip_tui_insert_only();
        """,
    ),
    (
        2,
        # A plan row written by anything but sip-tui (plain SQL, a hand-made restore) is
        # marked: its document may not validate and its overview columns may not match
        # it, so overviews read that row's document and mark it damaged if it does not
        # validate. sip-tui's own connections say who they are with a session setting.
        """
        ALTER TABLE plans ADD COLUMN outside_write boolean NOT NULL DEFAULT false;
        CREATE INDEX plans_outside_write ON plans (id) WHERE outside_write;
        CREATE FUNCTION sip_tui_mark_outside_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.outside_write := coalesce(current_setting('sip_tui.client', true), '') <> 'sip-tui';
            RETURN NEW;
        END $$;
        CREATE TRIGGER plans_outside_write BEFORE INSERT OR UPDATE ON plans
            FOR EACH ROW EXECUTE FUNCTION sip_tui_mark_outside_write();
        """,
    ),
]
SCHEMA_VERSION = MIGRATIONS[-1][0]
_SCHEMA_TABLE = "sip_tui_schema"
_INIT_LOCK = 0x5_1B_7E1  # advisory lock: two `store init` at once apply each migration once


class Unreachable(StoreError):
    """The server cannot be reached, or the connection dropped: nothing was saved."""

    code = "store.unreachable"
    retry_later = True  # the server may come back: a save is tried again by itself


class NotInitialised(StoreError):
    """The database has no sip-tui schema yet, or an older one: `sip-tui store init`."""

    code = "store.db_not_initialised"


class DatabaseNewerSchema(NewerSchema):
    code = "store.db_newer_schema"


def mask_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by ``***`` (also one given
    as a ``password=`` query parameter)."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            credentials, _, host = netloc.rpartition("@")
            user = credentials.split(":", 1)[0]
            netloc = f"{user}:***@{host}" if ":" in credentials else f"{user}@{host}"
        query = re.sub(r"(?i)(^|&)(password)=[^&]*", r"\1\2=***", parts.query)
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "postgresql://…"


def _name_key(text: str) -> str:
    """A name as search compares it (as ``PlanService.search`` does): NFC, case-folded."""
    return unicodedata.normalize("NFC", text).casefold()


def _summary_columns(doc: dict, versions: dict[int, dict]) -> dict:
    """The overview columns of a plan, by the same rule the file store's scan uses
    (``versions``: the plan's agreed versions by number, for the report's facts)."""
    summary = PlanSummary.from_raw(doc, {str(number): v for number, v in versions.items()})
    return {
        "name": summary.name,
        "name_key": _name_key(summary.name),
        "status": summary.status,
        "followup_date": summary.followup_date,
        "followup_time": summary.followup_time,
        "coordinator": summary.coordinator,
        "responsible": summary.responsible,
        "insats_statuses": list(summary.insats_statuses),
        "facts": Jsonb(summary.facts.to_json()),
    }


_COLUMNS = "SELECT id, name, status, version, followup_date, followup_time, coordinator, responsible, insats_statuses"
# A row written outside sip-tui brings its document along, to be checked (migration 2).
_OUTSIDE_DOC = "CASE WHEN outside_write THEN doc END"
_WITH_FACTS = f"{_COLUMNS}, facts, {_OUTSIDE_DOC} FROM plans"  # everything a summary holds: `list`, home, the report
_SUMMARY_SELECT = f"{_COLUMNS}, NULL, {_OUTSIDE_DOC} FROM plans"  # the follow-up overview and search need no facts
_IN_OVERVIEW = f"status IN ('{PlanStatus.AGREED.value}', '{PlanStatus.FOLLOW_UP.value}') AND followup_date IS NOT NULL"


def _summary_from_row(row: tuple) -> PlanSummary:
    """A plan's summary from its overview columns; for a row written outside sip-tui,
    from its document instead, marked damaged if the document does not validate
    (as the file store marks a hand-edited file). Unreadable if it is not a plan at all."""
    plan_id, name, status, version, due, time, coordinator, responsible, insatser, facts, outside_doc = row
    summary = PlanSummary(
        id=plan_id,
        name=name,
        status=status,
        version=version,
        followup_date=due,
        followup_time=time,
        coordinator=coordinator,
        responsible=responsible,
        insats_statuses=tuple(insatser),
        facts=PlanFacts.from_json(facts) if facts else EMPTY_FACTS,
    )
    if outside_doc is None:
        return summary
    try:
        from_doc = PlanSummary.from_raw(outside_doc)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise Unreadable(plan_id) from None
    try:
        Plan.model_validate(outside_doc)
        damaged = False
    except ValidationError:
        damaged = True
    return dataclasses.replace(from_doc, id=plan_id, facts=summary.facts, damaged=damaged)


def _summaries(rows: list[tuple]) -> ScanResult:
    result = ScanResult()
    for row in rows:
        try:
            result.summaries.append(_summary_from_row(row))
        except StoreError as error:
            result.errors.append(error)
    return result


class PostgresStore:
    """The store interface of ``PlanStore`` on a PostgreSQL database."""

    def __init__(
        self,
        url: str,
        local_root: Path,
        user: str | None = None,
        clock: Callable[[], dt.datetime] = _now,
        check_schema: bool = True,
    ) -> None:
        self.url = url
        self.display = mask_url(url)
        self.root = Path(local_root)  # recovery files, crash reports and settings stay on this laptop
        self.clock = clock
        self._configured_user = user or os.environ.get("SIP_TUI_USER") or None
        self._conn: psycopg.Connection | None = None
        self._lock = threading.RLock()  # one connection, used from the UI thread and its workers
        self.user = self._configured_user or ""
        if check_schema:
            self.check()

    def check(self) -> None:
        """Reach the server, check the schema and learn who is connected: Unreachable,
        NotInitialised or DatabaseNewerSchema if the store cannot be used (yet)."""

        def work(cur: psycopg.Cursor):
            _check_schema(cur)
            if not self.user:
                cur.execute("SELECT current_user")
                self.user = cur.fetchone()[0]

        self._run(work)

    # -- connection ----------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with suppress(psycopg.Error):
                    self._conn.close()
                self._conn = None

    def _connect(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self.close()
            conn = connect(self.url)
            # Rows this connection writes are sip-tui's own (migration 2's trigger marks any other).
            conn.execute("SELECT set_config('sip_tui.client', 'sip-tui', false)")
            conn.commit()
            self._conn = conn
        return self._conn

    def _run(self, work: Callable[[psycopg.Cursor], T]) -> T:
        """``work(cursor)`` in one transaction. A dropped connection (a restarted
        server, a laptop that slept) is retried once on a new one; after that the
        failure is Unreachable: the caller keeps the typed edits in a recovery file."""
        with self._lock:
            for attempt in range(2):
                try:
                    conn = self._connect()
                    with conn.transaction(), conn.cursor() as cur:
                        return work(cur)
                except (psycopg.OperationalError, psycopg.InterfaceError):
                    dropped = self._conn is None or self._conn.closed or self._conn.broken
                    self.close()
                    if attempt or not dropped:  # e.g. a statement timeout: not a dropped connection
                        raise Unreachable(self.display) from None
            raise Unreachable(self.display)  # not reached: the loop returns or raises

    def folders_open_to_others(self) -> list[Path]:
        return [self.root] if self.root.is_dir() and others_can_read(self.root) else []

    # -- reading -------------------------------------------------------------

    def path(self, plan_id: str) -> str:
        """The plan's name in messages (its random id): the file store's counterpart is its file name."""
        if not plan_id or not plan_id.isalnum():
            raise NotFound(plan_id[:40])
        return plan_id

    def exists(self, plan_id: str) -> bool:
        name = self.path(plan_id)

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT 1 FROM plans WHERE id = %s", (name,))
            return cur.fetchone() is not None

        return self._run(work)

    def load(self, plan_id: str) -> Plan:
        name = self.path(plan_id)

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT doc FROM plans WHERE id = %s", (name,))
            return cur.fetchone()

        row = self._run(work)
        if row is None:
            raise NotFound(name)
        return _plan_from(name, row[0])

    def versions(self, plan_id: str) -> list[Plan]:
        name = self.path(plan_id)

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT doc FROM plans WHERE id = %s", (name,))
            row = cur.fetchone()
            if row is None:
                raise NotFound(name)
            _plan_from(name, row[0])  # a damaged plan is damaged for its versions too, as in the file store
            cur.execute("SELECT doc FROM plan_versions WHERE plan_id = %s ORDER BY version", (name,))
            return [_plan_from(name, doc) for (doc,) in cur.fetchall()]

        return self._run(work)

    def changes(self, plan_id: str) -> list[dict]:
        name = self.path(plan_id)

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT 1 FROM plans WHERE id = %s", (name,))
            if cur.fetchone() is None:
                raise NotFound(name)
            cur.execute(
                "SELECT from_at, to_at, by_user, what, revision, version FROM plan_changes"
                " WHERE plan_id = %s ORDER BY seq",
                (name,),
            )
            return [
                {"from": f.isoformat(), "to": t.isoformat(), "by": by, "what": list(what), "revision": r, "version": v}
                for f, t, by, what, r, v in cur.fetchall()
            ]

        return self._run(work)

    def plan_ids(self) -> list[str]:
        def work(cur: psycopg.Cursor):
            cur.execute("SELECT id FROM plans ORDER BY id")
            return [plan_id for (plan_id,) in cur.fetchall()]

        return self._run(work)

    def scan(self, progress: Callable[[int, int], object] | None = None) -> ScanResult:
        """Summaries of every plan from the overview columns: no plan is loaded."""

        def work(cur: psycopg.Cursor):
            cur.execute(_WITH_FACTS + " ORDER BY id")
            return _summaries(cur.fetchall())

        return self._run(work)

    def scan_followups(self, progress: Callable[[int, int], object] | None = None) -> ScanResult:
        """Only the plans a follow-up overview shows (agreed, with a date), from an index;
        and rows written outside sip-tui, whose columns may not tell (read from their documents)."""

        def work(cur: psycopg.Cursor):
            cur.execute(f"{_SUMMARY_SELECT} WHERE {_IN_OVERVIEW} AND NOT outside_write")
            rows = cur.fetchall()
            cur.execute(f"{_SUMMARY_SELECT} WHERE outside_write")
            return _summaries(rows + cur.fetchall())

        return self._run(work)

    def count(self) -> dict[str, int]:
        """Plans per status."""

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT status, count(*) FROM plans GROUP BY status")
            return dict(cur.fetchall())

        return self._run(work)

    def search(self, text: str) -> list[PlanSummary]:
        """Plans whose person's name contains every word of ``text`` (NFC, case-folded),
        as ``PlanService.search`` matches; each match is written to the access log."""
        words = _name_key(text).split()
        if not words:
            return []
        patterns = ["%" + re.sub(r"([\\%_])", r"\\\1", word) + "%" for word in words]

        def work(cur: psycopg.Cursor):
            cur.execute(_SUMMARY_SELECT + " WHERE name_key LIKE ALL (%s) ORDER BY name_key, id", (patterns,))
            found = _summaries(cur.fetchall()).summaries
            self._log_accesses(cur, [s.id for s in found], "search")
            return found

        return self._run(work)

    # -- access log ----------------------------------------------------------

    def log_access(self, plan_id: str, action: str) -> None:
        def work(cur: psycopg.Cursor):
            self._log_accesses(cur, [self.path(plan_id)], action)

        return self._run(work)

    def log_accesses(self, plan_ids: list[str], action: str) -> None:
        """One entry per plan, all in one transaction (the plans a search showed)."""
        names = [self.path(plan_id) for plan_id in plan_ids]

        def work(cur: psycopg.Cursor):
            self._log_accesses(cur, names, action)

        return self._run(work)

    def _log_accesses(self, cur: psycopg.Cursor, plan_ids: list[str], action: str) -> None:
        if plan_ids:
            cur.executemany(
                "INSERT INTO access_log (plan_id, at, by_user, action) VALUES (%s, %s, %s, %s)",
                [(plan_id, self.clock(), self.user, action) for plan_id in plan_ids],
            )

    def access_log(self, plan_id: str) -> list[dict]:
        name = self.path(plan_id)

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT at, by_user, action FROM access_log WHERE plan_id = %s ORDER BY seq", (name,))
            return [{"at": at.isoformat(), "by": by, "action": action} for at, by, action in cur.fetchall()]

        return self._run(work)

    # -- files on this laptop ------------------------------------------------

    def write_recovery(self, plan_id: str, document: bytes, stamp: str) -> Path:
        return write_kept_file(self.root / "recovery", f"{self.path(plan_id)}-{stamp}", ".json", document)

    def write_crash_report(self, report: bytes, stamp: str) -> Path:
        return write_kept_file(self.root / "crash", f"crash-{stamp}", ".txt", report)

    # -- writing -------------------------------------------------------------

    def save(self, plan: Plan, on_wait: Callable[[], object] | None = None) -> Plan:
        """Save the current state in one transaction; StaleRevision unless the stored
        revision is the one this plan was loaded at (compare-and-set). ``on_wait`` is
        called once if another client's save of the plan holds its row first."""
        name = self.path(plan.id)

        def work(cur: psycopg.Cursor):
            stored = _locked_row(cur, name, on_wait)
            stored_revision = stored[0] if stored else 0
            if stored is not None and stored_revision != plan.revision:
                raise StaleRevision(name, stored=stored_revision, yours=plan.revision)
            if stored is not None:
                _plan_from(name, stored[1])  # a damaged plan is never written over
            agreed = plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED) and plan.version
            return self._commit(cur, stored, plan, [plan] if agreed else [])

        return self._run(work)

    def import_document(self, plan: Plan, versions: list[Plan], replacing: int | None = None) -> Plan:
        """As ``PlanStore.import_document``: the same refusals, one transaction."""
        name = self.path(plan.id)

        def work(cur: psycopg.Cursor):
            snapshots = _import_snapshots(plan, versions)
            stored_versions = _stored_versions(cur, name)
            _check_versions_unchanged(name, stored_versions, snapshots)
            stored = _locked_row(cur, name)
            if stored is None:
                return self._commit(cur, None, carried_in(plan, None), snapshots)
            current = _plan_from(name, stored[1])
            if plan.version < current.version:
                raise OlderImport(name, stored=current.version, yours=plan.version)
            changed = _content(plan.model_dump(mode="json")) != _content(current.model_dump(mode="json"))
            adds_versions = any(v.version not in stored_versions for v in snapshots)
            if not changed and not adds_versions:
                return current
            if changed and replacing is None and not based_on(plan, current):
                raise ImportConflict(
                    name,
                    yours=plan.revision,
                    yours_saved=_when(plan.updated_at),
                    stored=current.revision,
                    stored_saved=_when(current.updated_at),
                    sections=differing_sections(current, plan),  # named in words by describe.error_text
                )
            if replacing is not None and replacing != current.revision:
                raise StaleRevision(name, stored=current.revision, yours=replacing)
            base = carried_in(plan, current).model_copy(update={"revision": max(current.revision, plan.revision)})
            return self._commit(cur, stored, base, snapshots)

        return self._run(work)

    def _commit(self, cur: psycopg.Cursor, stored: tuple | None, plan: Plan, snapshots: list[Plan]) -> Plan:
        name = plan.id
        existing = _stored_versions(cur, name)
        new_snapshots: dict[int, dict] = {}
        for snapshot in snapshots:
            doc = snapshot.model_dump(mode="json")
            before = new_snapshots.get(snapshot.version) or existing.get(snapshot.version)
            if before is None:
                new_snapshots[snapshot.version] = doc
            elif (
                before.get("status") == PlanStatus.AGREED
                and doc["status"] == PlanStatus.AGREED
                and _agreed_content(before) != _agreed_content(doc)  # deviations are reported after agreement
            ):
                raise VersionConflict(name, version=snapshot.version)
        now = self.clock()
        saved = plan.model_copy(
            update={
                "revision": plan.revision + 1,
                "updated_at": now,
                "created_at": plan.created_at or now,
                **saved_at(plan, plan.revision + 1),
            }
        )
        doc = saved.model_dump(mode="json")
        columns = _summary_columns(doc, {**existing, **new_snapshots})
        values = {
            **columns,
            "id": name,
            "revision": saved.revision,
            "version": saved.version,
            "doc": Jsonb(doc),
            "created_at": saved.created_at,
            "updated_at": now,
        }
        if stored is None:
            names = list(values)
            cur.execute(
                sql.SQL("INSERT INTO plans ({}) VALUES ({}) ON CONFLICT (id) DO NOTHING").format(
                    sql.SQL(", ").join(map(sql.Identifier, names)), sql.SQL(", ").join(map(sql.Placeholder, names))
                ),
                values,
            )
            if cur.rowcount != 1:  # another process created it in the same instant
                raise StaleRevision(name, stored=1, yours=0)
        else:
            names = [n for n in values if n != "id"]
            cur.execute(
                sql.SQL("UPDATE plans SET {} WHERE id = %(id)s AND revision = %(expected)s").format(
                    sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(n), sql.Placeholder(n)) for n in names)
                ),
                {**values, "expected": stored[0]},
            )
            if cur.rowcount != 1:
                raise StaleRevision(name, stored=stored[0], yours=plan.revision)
        if new_snapshots:
            cur.executemany(
                "INSERT INTO plan_versions (plan_id, version, status, doc) VALUES (%s, %s, %s, %s)",
                [(name, number, snap["status"], Jsonb(snap)) for number, snap in new_snapshots.items()],
            )
        self._log_change(cur, stored[1] if stored else {}, doc, now)
        cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, name))
        return saved

    def _log_change(self, cur: psycopg.Cursor, old: dict, new: dict, now: dt.datetime) -> None:
        sections = sorted(k for k in new if k not in _BOOKKEEPING and old.get(k) != new[k]) if old else ["created"]
        if not sections:
            return
        cur.execute(
            "SELECT seq, by_user, version, to_at, what FROM plan_changes WHERE plan_id = %s ORDER BY seq DESC LIMIT 1",
            (new["id"],),
        )
        last = cur.fetchone()
        if last and last[1] == self.user and last[2] == new["version"] and now - last[3] <= CHANGE_COALESCE:
            cur.execute(
                "UPDATE plan_changes SET to_at = %s, what = %s, revision = %s WHERE seq = %s",
                (now, sorted(set(last[4]) | set(sections)), new["revision"], last[0]),
            )
        else:
            cur.execute(
                "INSERT INTO plan_changes (plan_id, from_at, to_at, by_user, what, revision, version)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (new["id"], now, now, self.user, sections, new["revision"], new["version"]),
            )

    # -- moving plans ----------------------------------------------------------

    def put_copy(self, plan: Plan, versions: list[Plan], changes: list[dict], accesses: list[dict]) -> None:
        """Store a plan exactly as another store holds it (revision, versions, logs):
        `sip-tui store copy`. The caller has checked that nothing newer is overwritten."""
        name = self.path(plan.id)
        doc = plan.model_dump(mode="json")

        def work(cur: psycopg.Cursor):
            stored = _locked_row(cur, name)
            if stored is not None and stored[0] > plan.revision:
                raise StaleRevision(name, stored=stored[0], yours=plan.revision)
            stored_versions = _stored_versions(cur, name)
            _check_versions_unchanged(name, stored_versions, versions)
            all_versions = {v.version: v.model_dump(mode="json") for v in versions} | stored_versions
            values = {
                **_summary_columns(doc, all_versions),
                "id": name,
                "revision": plan.revision,
                "version": plan.version,
                "doc": Jsonb(doc),
                "created_at": plan.created_at or self.clock(),
                "updated_at": plan.updated_at or self.clock(),
            }
            names = list(values)
            cur.execute(
                sql.SQL("INSERT INTO plans ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, names)),
                    sql.SQL(", ").join(map(sql.Placeholder, names)),
                    sql.SQL(", ").join(sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(n)) for n in names),
                ),
                values,
            )
            cur.executemany(
                "INSERT INTO plan_versions (plan_id, version, status, doc) VALUES (%s, %s, %s, %s)",
                [
                    (name, v.version, v.status.value, Jsonb(v.model_dump(mode="json")))
                    for v in versions
                    if v.version not in stored_versions
                ],
            )
            cur.execute("DELETE FROM plan_changes WHERE plan_id = %s", (name,))
            cur.executemany(
                "INSERT INTO plan_changes (plan_id, from_at, to_at, by_user, what, revision, version)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(name, c["from"], c["to"], c["by"], list(c["what"]), c["revision"], c["version"]) for c in changes],
            )
            cur.execute("SELECT count(*) FROM access_log WHERE plan_id = %s", (name,))
            already = cur.fetchone()[0]
            cur.executemany(
                "INSERT INTO access_log (plan_id, at, by_user, action) VALUES (%s, %s, %s, %s)",
                [(name, a["at"], a["by"], a["action"]) for a in accesses[already:]],
            )
            cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, name))

        return self._run(work)

    def read_copies(self, plan_ids: list[str]) -> dict[str, tuple[dict, list[dict], list[dict], list[dict]]]:
        """Plans as stored, for `sip-tui store copy`: (doc, version docs, changes,
        accesses) by id, for a whole batch in four queries."""

        def work(cur: psycopg.Cursor):
            cur.execute("SELECT id, doc FROM plans WHERE id = ANY(%s) ORDER BY id", (plan_ids,))
            found = {plan_id: (doc, [], [], []) for plan_id, doc in cur.fetchall()}
            cur.execute("SELECT plan_id, doc FROM plan_versions WHERE plan_id = ANY(%s) ORDER BY version", (plan_ids,))
            for plan_id, doc in cur.fetchall():
                found[plan_id][1].append(doc)
            cur.execute(
                "SELECT plan_id, from_at, to_at, by_user, what, revision, version FROM plan_changes"
                " WHERE plan_id = ANY(%s) ORDER BY seq",
                (plan_ids,),
            )
            for plan_id, f, t, by, what, r, v in cur.fetchall():
                entry = {"from": f.isoformat(), "to": t.isoformat(), "by": by, "what": list(what), "revision": r, "version": v}
                found[plan_id][2].append(entry)
            cur.execute(
                "SELECT plan_id, at, by_user, action FROM access_log WHERE plan_id = ANY(%s) ORDER BY seq", (plan_ids,)
            )
            for plan_id, at, by, action in cur.fetchall():
                if plan_id in found:
                    found[plan_id][3].append({"at": at.isoformat(), "by": by, "action": action})
            return found

        return self._run(work)

    def held_copies(self, plan_ids: list[str]) -> dict[str, tuple[dict, int]]:
        """Of these plans, those stored here: (doc, number of agreed versions) by id."""

        def work(cur: psycopg.Cursor):
            cur.execute(
                "SELECT p.id, p.doc, (SELECT count(*) FROM plan_versions v WHERE v.plan_id = p.id)"
                " FROM plans p WHERE p.id = ANY(%s)",
                (plan_ids,),
            )
            return {plan_id: (doc, count) for plan_id, doc, count in cur.fetchall()}

        return self._run(work)

    def copy_inventory(self, plan_ids: list[str]) -> dict[str, tuple[int, int]]:
        """(revision, number of agreed versions) of each of these plans stored here."""

        def work(cur: psycopg.Cursor):
            cur.execute(
                "SELECT p.id, p.revision, (SELECT count(*) FROM plan_versions v WHERE v.plan_id = p.id)"
                " FROM plans p WHERE p.id = ANY(%s)",
                (plan_ids,),
            )
            return {plan_id: (revision, count) for plan_id, revision, count in cur.fetchall()}

        return self._run(work)

    def put_new_copies(self, items: list) -> bool:
        """Store plans this database does not hold yet, exactly as another store holds
        them (``PlanCopy``: plan, versions, changes, accesses), in one transaction.
        False, and nothing stored, if another client created one of them meanwhile."""
        plans, versions, changes, accesses = [], [], [], []
        for item in items:
            plan = item.plan
            doc = plan.model_dump(mode="json")
            version_docs = {v.version: v.model_dump(mode="json") for v in item.versions}
            plans.append(
                {
                    **_summary_columns(doc, version_docs),
                    "id": plan.id,
                    "revision": plan.revision,
                    "version": plan.version,
                    "doc": Jsonb(doc),
                    "created_at": plan.created_at or self.clock(),
                    "updated_at": plan.updated_at or self.clock(),
                }
            )
            versions += [(plan.id, number, v["status"], Jsonb(v)) for number, v in version_docs.items()]
            changes += [
                (plan.id, c["from"], c["to"], c["by"], list(c["what"]), c["revision"], c["version"]) for c in item.changes
            ]
            accesses += [(plan.id, a["at"], a["by"], a["action"]) for a in item.accesses]
        def work(cur: psycopg.Cursor):
            cur.execute("SAVEPOINT copy_batch")
            try:
                if plans:
                    names = list(plans[0])
                    _copy_rows(cur, "plans", names, [tuple(row[n] for n in names) for row in plans])
            except psycopg.errors.UniqueViolation:
                cur.execute("ROLLBACK TO SAVEPOINT copy_batch")
                return False
            _copy_rows(cur, "plan_versions", ["plan_id", "version", "status", "doc"], versions)
            _copy_rows(
                cur, "plan_changes", ["plan_id", "from_at", "to_at", "by_user", "what", "revision", "version"], changes
            )
            # Access entries of these ids already here (a plan copied in before and removed) are not doubled.
            cur.execute("SELECT DISTINCT plan_id FROM access_log WHERE plan_id = ANY(%s)", ([i.id for i in items],))
            logged = {plan_id for (plan_id,) in cur.fetchall()}
            _copy_rows(
                cur, "access_log", ["plan_id", "at", "by_user", "action"], [a for a in accesses if a[0] not in logged]
            )
            cur.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, ""))
            return True

        return self._run(work)

    # -- live overview ---------------------------------------------------------

    def listen(self, on_change: Callable[[str], object], stop: threading.Event) -> None:
        """Call ``on_change(plan_id)`` whenever any client saves a plan, until ``stop``
        is set. Blocks: run it in a worker thread. A lost connection is retried; once
        it is back, ``on_change("")`` says saves may have been missed meanwhile."""
        missed = False
        while not stop.is_set():
            try:
                with connect(self.url, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(NOTIFY_CHANNEL)))
                    if missed:
                        missed = False
                        on_change("")
                    while not stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            on_change(note.payload)
            except (psycopg.Error, Unreachable):  # the server is away: listen again when it is back
                missed = True
                stop.wait(2.0)


def connect(url: str, **options: object) -> psycopg.Connection:
    """A connection with a short connect timeout unless the URL sets one. TLS and
    other options in the URL (sslmode, sslrootcert …) are passed on unchanged."""
    extra: dict[str, object] = {}
    if "connect_timeout" not in url:
        extra["connect_timeout"] = CONNECT_TIMEOUT_S
    if "options" not in url:
        extra["options"] = f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
    try:
        return psycopg.connect(url, **extra, **options)
    except psycopg.OperationalError:
        raise Unreachable(mask_url(url)) from None
    except psycopg.ProgrammingError:  # a malformed URL
        raise Unreachable(mask_url(url)) from None


def _copy_rows(cur: psycopg.Cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Many rows into a table with COPY: one statement, not one round trip a row."""
    if not rows:
        return
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _locked_row(cur: psycopg.Cursor, plan_id: str, on_wait: Callable[[], object] | None = None) -> tuple | None:
    """The stored (revision, doc), locked until the transaction ends: a second save of the same plan waits."""
    if on_wait is not None:
        cur.execute("SAVEPOINT first_try")
        try:
            cur.execute("SELECT revision, doc FROM plans WHERE id = %s FOR UPDATE NOWAIT", (plan_id,))
            row = cur.fetchone()
            cur.execute("RELEASE SAVEPOINT first_try")
            return row
        except psycopg.errors.LockNotAvailable:
            cur.execute("ROLLBACK TO SAVEPOINT first_try")
            on_wait()
    cur.execute("SELECT revision, doc FROM plans WHERE id = %s FOR UPDATE", (plan_id,))
    return cur.fetchone()


def _stored_versions(cur: psycopg.Cursor, plan_id: str) -> dict[int, dict]:
    cur.execute("SELECT version, doc FROM plan_versions WHERE plan_id = %s", (plan_id,))
    return dict(cur.fetchall())


def _check_versions_unchanged(name: str, stored: dict[int, dict], snapshots: list[Plan]) -> None:
    seen: dict[int, dict] = {}
    for snapshot in snapshots:
        doc = _agreed_content(snapshot.model_dump(mode="json"))
        existing = seen.get(snapshot.version)
        if existing is None and snapshot.version in stored:
            existing = _agreed_content(_plan_from(name, stored[snapshot.version]).model_dump(mode="json"))
        if existing is None:
            seen[snapshot.version] = doc
        elif existing.get("status") == doc.get("status") and existing != doc:
            raise VersionConflict(name, version=snapshot.version)


def _plan_from(name: str, doc: object) -> Plan:
    try:
        return Plan.model_validate(doc)
    except ValidationError:
        raise Unreadable(name) from None


# -- schema ----------------------------------------------------------------------


def _schema_version(cur: psycopg.Cursor) -> int | None:
    cur.execute("SELECT to_regclass(%s)", (_SCHEMA_TABLE,))
    if cur.fetchone()[0] is None:
        return None
    cur.execute(sql.SQL("SELECT max(version) FROM {}").format(sql.Identifier(_SCHEMA_TABLE)))
    return cur.fetchone()[0] or 0


def _check_schema(cur: psycopg.Cursor) -> None:
    version = _schema_version(cur)
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseNewerSchema("", version=version, known=SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        raise NotInitialised("", version=version or 0, known=SCHEMA_VERSION)


def init_schema(url: str) -> tuple[int, int]:
    """Create or migrate the schema; returns (version before, version now). A
    database of a newer schema than this sip-tui knows is refused and left unchanged."""
    with connect(url) as conn:
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_INIT_LOCK,))
                before = _schema_version(cur)
                if before is not None and before > SCHEMA_VERSION:
                    raise DatabaseNewerSchema("", version=before, known=SCHEMA_VERSION)
                if before is None:
                    cur.execute(
                        sql.SQL(
                            "CREATE TABLE {} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
                        ).format(sql.Identifier(_SCHEMA_TABLE))
                    )
                for version, script in MIGRATIONS:
                    if version > (before or 0):
                        cur.execute(script)
                        cur.execute(
                            sql.SQL("INSERT INTO {} (version) VALUES (%s)").format(sql.Identifier(_SCHEMA_TABLE)),
                            (version,),
                        )
                _try_trigram_index(cur)
        except psycopg.OperationalError:
            raise Unreachable(mask_url(url)) from None
    return before or 0, SCHEMA_VERSION


def _try_trigram_index(cur: psycopg.Cursor) -> None:
    """A trigram index makes name search (`LIKE '%word%'`) use an index; pg_trgm is a
    contrib extension some servers lack, and search works (slower) without it."""
    cur.execute("SAVEPOINT trigram")
    try:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cur.execute("CREATE INDEX IF NOT EXISTS plans_name_trgm ON plans USING gin (name_key gin_trgm_ops)")
        cur.execute("RELEASE SAVEPOINT trigram")
    except psycopg.Error:
        cur.execute("ROLLBACK TO SAVEPOINT trigram")
