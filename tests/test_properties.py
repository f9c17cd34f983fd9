"""Properties of the model (hypothesis): every plan the model accepts survives
the JSON interchange format and the store unchanged; every hostile or
invalid input is either kept faithfully or refused with a catalogue message
that names the field. Plus unit tests of personnummer."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import unicodedata
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from sip_tui import i18n
from sip_tui.models import personnummer
from sip_tui.models.enums import (
    HUVUDMAN,
    Body,
    ConsentForm,
    DeviationType,
    GoalTerm,
    InsatsStatus,
    LifeArea,
    MeetingForm,
    MeetingKind,
    Outcome,
    PlanStatus,
)
from sip_tui.models.interchange import DocumentError, dump_document, field_errors, json_path, parse_document
from sip_tui.models.plan import (
    LONG_MAX,
    SAVE_BOOKKEEPING,
    SHORT_MAX,
    Deviation,
    Goal,
    Insats,
    Need,
    Participant,
    Person,
    Plan,
    Recipient,
)
from sip_tui.store import PlanStore

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
BOOKKEEPING = SAVE_BOOKKEEPING

# -- text ------------------------------------------------------------------------------

RTL = ["مرحبا، أريد أن أعمل بدوام جزئي", "שלום, אני רוצה לגור לבד", "ئەز دخوازم کار بکەم", "سلام دنیا"]
EMOJI = ["👩‍👩‍👧‍👦", "🇸🇪🇸🇾", "✅ klart 🎉", "🧑🏽‍🦯 behöver ledsagning", "🏳️‍🌈"]
OTHER = [
    "Åsa Öberg-Ängström",
    "a\tb\nc\r\nd",  # tab, newline and CR are text
    "\u202eomvänd text\u202c",  # right-to-left override (a format character, allowed)
    "Z\u0308\u0324a\u0301\u0316l\u0350g\u0357o",  # stacked combining marks
    "\ufeffbom först",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 utanför BMP",
    "\u00a0\u2028\u2029 mellanslag",
    "' OR 1=1; --",
    '{"plan": "json i texten"}',
    "",
]
SAMPLES = RTL + EMOJI + OTHER
CONTROL = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]]

text_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r")
free_text = st.text(text_chars, max_size=30)
short_text = st.one_of(free_text, st.sampled_from(SAMPLES), st.text(text_chars, min_size=SHORT_MAX, max_size=SHORT_MAX))


def _repeat(piece: str, size: int) -> str:
    return (piece * (size // max(len(piece), 1) + 1))[:size] if piece else "x" * size


ten_thousand = st.builds(_repeat, st.sampled_from([s for s in SAMPLES if s]), st.just(10_000))
long_text = st.one_of(short_text, ten_thousand)

# -- values ------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
zones = st.sampled_from(
    [
        None,
        dt.UTC,
        dt.timezone(dt.timedelta(hours=1)),
        dt.timezone(dt.timedelta(hours=2)),
        dt.timezone(-dt.timedelta(hours=5, minutes=30)),
    ]
)
datetimes = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=zones)
ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ids = st.one_of(st.uuids().map(lambda u: u.hex[:12]), st.text(ID_CHARS, min_size=1, max_size=64))
# Kept-input keys are field paths: letters, digits, "_" and ".".
pending_keys = st.text(ID_CHARS + "_.", min_size=1, max_size=20)
bodies = st.sampled_from(list(Body))
huvudman = st.sampled_from(list(HUVUDMAN))


def enum(cls):
    return st.sampled_from([m.value for m in cls])


def check_digit(nine: str) -> int:
    return personnummer.luhn_check_digit(nine)


@st.composite
def valid_personnummer(draw, coordination=None) -> str:
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)))
    coordination = draw(st.booleans()) if coordination is None else coordination
    day = born.day + (personnummer.COORDINATION_DAY_OFFSET if coordination else 0)
    serial = draw(st.integers(0, 999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born.year}{nine[2:4]}{day:02d}-{serial:03d}{check_digit(nine)}"


@st.composite
def optional_time_pair(draw) -> tuple[dt.time | None, dt.time | None]:
    first = draw(st.none() | st.times())
    if first is None or first == dt.time.max:
        return first, None
    later = draw(
        st.none()
        | st.times(min_value=(dt.datetime.combine(dt.date(2000, 1, 1), first) + dt.timedelta(microseconds=1)).time())
    )
    return first, later


@st.composite
def plan_data(draw) -> dict:
    """The fields of a plan the model accepts, as Python values."""
    meeting_date = draw(st.none() | dates)
    goals = draw(st.lists(st.fixed_dictionaries({"id": ids, "text": long_text, "term": enum(GoalTerm)}), max_size=3))
    goal_ids = [g["id"] for g in goals]
    needs = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "id": ids,
                    "area": enum(LifeArea),
                    "description": long_text,
                    "goal_ids": st.lists(st.sampled_from(goal_ids), max_size=2) if goal_ids else st.just([]),
                }
            ),
            max_size=3,
        )
    )
    insatser = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.none() | dates)
        done_by = draw(st.none() | (st.dates(min_value=start, max_value=dt.date(2100, 12, 31)) if start else dates))
        insatser.append(
            {
                "id": draw(ids),
                "what": draw(long_text),
                "need_ids": [n["id"] for n in needs[: draw(st.integers(0, len(needs)))]],
                "body": draw(bodies),
                "unit": draw(short_text),
                "contact": draw(short_text),
                "start": start,
                "done_by": done_by,
                "status": draw(enum(InsatsStatus)),
                "note": draw(long_text),
            }
        )
    held = draw(st.booleans())
    if meeting_date and not held:
        followup_date = draw(st.none() | st.dates(min_value=meeting_date, max_value=dt.date(2100, 12, 31)))
    else:
        followup_date = draw(st.none() | dates)
    start_time, end_time = draw(optional_time_pair())
    status = draw(enum(PlanStatus))
    return unique_ids({
        "id": uuid.uuid4().hex,
        "version": draw(st.integers(0, 20)),
        "status": status,
        "person": {
            "name": draw(short_text),
            "personnummer": draw(st.none() | valid_personnummer()),
            "phone": draw(short_text),
            "email": draw(short_text),
            "address": draw(short_text),
            "interpreter_needed": draw(st.booleans()),
            "interpreter_language": draw(short_text),
            "representative": draw(
                st.none() | st.fixed_dictionaries({"name": short_text, "relation": short_text, "contact": short_text})
            ),
        },
        "meeting": {
            "date": meeting_date,
            "place": draw(short_text),
            "form": draw(enum(MeetingForm)),
            "kind": draw(enum(MeetingKind)),
            "initiated_by": draw(short_text),
            "initiated_on": draw(st.none() | dates),
        },
        "consent": {
            "given": draw(st.booleans()),
            "form": draw(st.none() | enum(ConsentForm)),
            "date": draw(st.none() | dates),
            "actors": draw(short_text),
            "information": draw(long_text),
            "valid_until": draw(st.none() | dates),
            "withdrawn_on": draw(st.none() | dates),
        },
        "participants": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "id": ids,
                        "name": short_text,
                        "role": short_text,
                        "organisation": short_text,
                        "body": bodies,
                        "attended": st.booleans(),
                        "contact": short_text,
                        "relative": st.booleans(),
                    }
                ),
                max_size=4,
            )
        ),
        "person_attended": draw(st.booleans()),
        "person_absent_reason": draw(long_text),
        "situation": draw(long_text),
        "strengths": draw(long_text),
        "goals": goals,
        "needs": needs,
        "insatser": insatser,
        "responsible": draw(st.none() | huvudman),
        "coordinator": {
            "name": draw(short_text),
            "body": draw(st.none() | huvudman),
            "unit": draw(short_text),
            "phone": draw(short_text),
            "email": draw(short_text),
        },
        "followup": {
            "date": followup_date,
            "start_time": start_time,
            "end_time": end_time,
            "form": draw(enum(MeetingForm)),
            "place": draw(short_text),
            "called_by": draw(short_text),
            "held": held,
        },
        "distribution": draw(
            st.lists(st.fixed_dictionaries({"name": short_text, "organisation": short_text}), max_size=3)
        ),
        "deviations": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "id": ids,
                        "date": st.none() | dates,
                        "type": enum(DeviationType),
                        "body": bodies,
                        "description": long_text,
                    }
                ),
                max_size=2,
            )
        ),
        "agreement": draw(
            st.none()
            | st.fixed_dictionaries(
                {"at": datetimes, "by": st.lists(short_text, max_size=3), "change_reason": long_text}
            )
        ),
        "change_reason": draw(long_text),
        "closure": draw(
            st.none() | st.fixed_dictionaries({"date": dates, "outcome": enum(Outcome), "note": long_text})
        ),
        "pending_input": draw(st.dictionaries(pending_keys, long_text, max_size=3)),
    })


def unique_ids(data: dict) -> dict:
    """Each item id once in the plan, as the model requires: a repeated one gets a suffix."""
    seen: set[str] = set()
    for section in ("participants", "goals", "needs", "insatser", "distribution", "deviations"):
        for item in data[section]:
            if "id" in item:
                base, number = item["id"][:56], 0
                while item["id"] in seen:
                    number += 1
                    item["id"] = f"{base}x{number}"
                seen.add(item["id"])
    return data


plans = plan_data().map(Plan.model_validate)


def content(plan: Plan) -> dict:
    return plan.model_dump(mode="json", exclude=BOOKKEEPING)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> PlanStore:
    return PlanStore(tmp_path_factory.mktemp("properties") / "store", user="hypothesis")


# -- accepted plans round-trip unchanged ------------------------------------------------


@SETTINGS
@given(plan=plans, versions=st.lists(plans, max_size=2))
def test_every_accepted_plan_survives_the_json_format(plan, versions):
    # Versions as the store keeps them: agreed snapshots of this plan, numbered 1..plan.version.
    versions = [
        v.model_copy(update={"id": plan.id, "status": PlanStatus.AGREED, "version": n}) for n, v in enumerate(versions, 1)
    ]
    plan = plan.model_copy(update={"version": max(plan.version, len(versions))})
    document = parse_document(dump_document(plan, versions))
    assert document.plan == plan
    assert document.plan.model_dump(mode="json") == plan.model_dump(mode="json")
    assert [v.model_dump(mode="json") for v in document.versions] == [v.model_dump(mode="json") for v in versions]
    # And the dump of the parsed plan is byte-for-byte the same document.
    assert dump_document(document.plan, document.versions) == dump_document(plan, versions)


@SETTINGS
@given(plan=plans)
def test_every_accepted_plan_survives_the_store(store, plan):
    plan = plan.model_copy(update={"id": uuid.uuid4().hex, "revision": 0})
    saved = store.save(plan)
    loaded = store.load(plan.id)
    assert content(loaded) == content(plan)
    assert loaded == saved
    agreed = plan.status in (PlanStatus.AGREED, PlanStatus.CLOSED) and plan.version
    assert [content(v) for v in store.versions(plan.id)] == ([content(plan)] if agreed else [])
    assert plan.id in {s.id for s in store.scan().summaries}
    # The export of the stored plan imports back to the same plan.
    document = parse_document(dump_document(loaded, store.versions(plan.id)))
    assert document.plan == loaded


# -- hostile and invalid input: kept faithfully, or refused with a clear message ----------

SHORT_FIELDS = [
    ("person", "name"),
    ("person", "phone"),
    ("person", "email"),
    ("person", "address"),
    ("person", "interpreter_language"),
    ("meeting", "place"),
    ("meeting", "initiated_by"),
    ("consent", "actors"),
    ("participants", 0, "name"),
    ("participants", 0, "organisation"),
    ("insatser", 0, "unit"),
    ("insatser", 0, "contact"),
    ("coordinator", "name"),
    ("coordinator", "email"),
    ("followup", "place"),
    ("followup", "called_by"),
    ("distribution", 0, "name"),
]
LONG_FIELDS = [
    ("situation",),
    ("strengths",),
    ("person_absent_reason",),
    ("change_reason",),
    ("consent", "information"),
    ("goals", 0, "text"),
    ("needs", 0, "description"),
    ("insatser", 0, "what"),
    ("insatser", 0, "note"),
    ("deviations", 0, "description"),
    ("pending_input", "insatser.0.start"),
]
ENUM_FIELDS = [
    (("status",), PlanStatus),
    (("meeting", "form"), MeetingForm),
    (("meeting", "kind"), MeetingKind),
    (("consent", "form"), ConsentForm),
    (("goals", 0, "term"), GoalTerm),
    (("needs", 0, "area"), LifeArea),
    (("insatser", 0, "body"), Body),
    (("insatser", 0, "status"), InsatsStatus),
    (("participants", 0, "body"), Body),
    (("responsible",), Body),
    (("coordinator", "body"), Body),
    (("followup", "form"), MeetingForm),
    (("deviations", 0, "type"), DeviationType),
]
ITEM_MODELS = {
    "participants": Participant,
    "insatser": Insats,
    "goals": Goal,
    "needs": Need,
    "deviations": Deviation,
    "distribution": Recipient,
}


def put(data: dict, path: tuple, value: object) -> None:
    """Set ``data[path]``, adding a first list item (all defaults) when the list is empty."""
    target = data
    for part, following in itertools.pairwise(path):
        if isinstance(following, int) and not target[part]:
            target[part].append(ITEM_MODELS[part]().model_dump(mode="json"))
        target = target[part]
    target[path[-1]] = value


ACCEPT = "accept"


HOSTILE_KINDS = [
    "pnr_checksum",
    "pnr_date",
    "pnr_format",
    "done_by_before_start",
    "followup_before_meeting",
    "end_before_start",
    "enum",
    "not_huvudman",
    "control",
    "short_10k",
    "long_10k",
    "too_long_20k",
    "rtl_emoji",
    "wrong_type",
]


@st.composite
def hostile(draw, kind: str) -> tuple[dict, tuple, str, tuple]:
    """A plan as JSON with one hostile or invalid value: (data, path, expected code or ACCEPT, error location)."""
    data = draw(plan_data().map(lambda d: Plan.model_validate(d).model_dump(mode="json")))
    pnr = ("person", "personnummer")
    if kind == "pnr_checksum":
        good = draw(valid_personnummer())
        wrong = (int(good[-1]) + draw(st.integers(1, 9))) % 10
        value = draw(st.sampled_from([good[:-1] + str(wrong), (good[:-1] + str(wrong)).replace("-", "")]))
        put(data, pnr, value)
        return data, pnr, "pnr_checksum", pnr
    if kind == "pnr_date":
        year = draw(st.integers(1900, 2025))
        month = draw(st.integers(0, 99))
        if 1 <= month <= 12:
            last = ((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)).day
            day = draw(st.sampled_from([0, *range(last + 1, 61), *range(last + 61, 100)]))
        else:
            day = draw(st.integers(1, 28))
        serial = draw(st.integers(0, 999))
        nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
        put(data, pnr, f"{year}{nine[2:6]}-{nine[6:]}{check_digit(nine)}")
        return data, pnr, "pnr_date", pnr
    if kind == "pnr_format":
        value = draw(
            st.one_of(
                st.text(max_size=20).filter(lambda s: s != "" and not _looks_like_pnr(s)),
                st.sampled_from(["19850312-238", "1985-03-12-2387", "19850312/2387", "850312--2387", "١٩٨٥٠٣١٢-٢٣٨٧"]),
                st.integers(),
                st.booleans(),
                st.lists(st.integers(), max_size=2),
            )
        )
        put(data, pnr, value)
        return data, pnr, "pnr_format", pnr
    if kind == "done_by_before_start":
        start = draw(st.dates(min_value=dt.date(1900, 1, 2), max_value=dt.date(2100, 12, 31)))
        done_by = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=start - dt.timedelta(days=1)))
        put(data, ("insatser", 0, "start"), start.isoformat())
        put(data, ("insatser", 0, "done_by"), done_by.isoformat())
        return data, ("insatser", 0, "done_by"), "done_by_before_start", ("insatser", 0)
    if kind == "followup_before_meeting":
        meeting = draw(st.dates(min_value=dt.date(1900, 1, 2), max_value=dt.date(2100, 12, 31)))
        followup = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=meeting - dt.timedelta(days=1)))
        put(data, ("meeting", "date"), meeting.isoformat())
        put(data, ("followup", "date"), followup.isoformat())
        put(data, ("followup", "held"), False)
        return data, ("followup", "date"), "followup_before_meeting", ()
    if kind == "end_before_start":
        end = draw(st.times(max_value=dt.time(23, 59)))
        start = draw(st.times(min_value=end))
        put(data, ("followup", "start_time"), start.isoformat())
        put(data, ("followup", "end_time"), end.isoformat())
        return data, ("followup", "end_time"), "end_before_start", ("followup",)
    if kind == "enum":
        path, cls = draw(st.sampled_from(ENUM_FIELDS))
        values = {m.value for m in cls}
        put(data, path, draw(st.one_of(free_text, st.sampled_from(RTL + EMOJI)).filter(lambda s: s not in values)))
        return data, path, "enum", path
    if kind == "not_huvudman":
        path = draw(st.sampled_from([("responsible",), ("coordinator", "body")]))
        put(data, path, draw(st.sampled_from([b.value for b in Body if b not in HUVUDMAN])))
        return data, path, "not_huvudman", path
    if kind == "control":
        path = draw(st.sampled_from(SHORT_FIELDS + LONG_FIELDS))
        base = draw(st.sampled_from(SAMPLES))[:150]
        at = draw(st.integers(0, len(base)))
        put(data, path, base[:at] + draw(st.sampled_from(CONTROL)) + base[at:])
        return data, path, "text_control_chars", path
    if kind == "short_10k":
        path = draw(st.sampled_from(SHORT_FIELDS))
        put(data, path, draw(ten_thousand))
        return data, path, "string_too_long", path
    if kind == "long_10k":
        path = draw(st.sampled_from(LONG_FIELDS))
        # In NFC, as the model keeps text: a cut through "e" + combining accent would compose.
        put(data, path, unicodedata.normalize("NFC", draw(ten_thousand)))
        return data, path, ACCEPT, path
    if kind == "too_long_20k":
        path = draw(st.sampled_from(LONG_FIELDS))
        put(data, path, _repeat(draw(st.sampled_from(SAMPLES[:-1])), LONG_MAX + 1))
        return data, path, "string_too_long", path
    if kind == "rtl_emoji":
        path = draw(st.sampled_from(SHORT_FIELDS + LONG_FIELDS))
        put(data, path, " ".join(draw(st.lists(st.sampled_from(RTL + EMOJI), min_size=1, max_size=4)))[:SHORT_MAX])
        return data, path, ACCEPT, path
    # wrong_type: a value of the wrong JSON type or shape
    path, value, code, location = draw(st.sampled_from(WRONG_TYPES))
    put(data, path, value)
    return data, path, code, location


WRONG_TYPES = [
    (("meeting", "date"), "2026-02-30", "date_from_datetime_parsing", ("meeting", "date")),
    (("meeting", "date"), "30/1/2026", "date_from_datetime_parsing", ("meeting", "date")),
    (("meeting", "date"), "2026-03-10T10:15", "date_from_datetime_inexact", ("meeting", "date")),
    (("followup", "start_time"), "25:00", "time_parsing", ("followup", "start_time")),
    (("person_attended",), "kanske", "bool_parsing", ("person_attended",)),
    (("version",), "ett", "int_parsing", ("version",)),
    (("goals",), "en lista", "list_type", ("goals",)),
    (("situation",), 42, "string_type", ("situation",)),
    (("person",), None, "model_type", ("person",)),
    (("agreement",), {"at": "igår"}, "datetime_from_date_parsing", ("agreement", "at")),
    (("closure",), {"outcome": "arbete"}, "missing", ("closure", "date")),
    (("person", "shoe_size"), 44, "extra_forbidden", ("person", "shoe_size")),
]


def _looks_like_pnr(text: str) -> bool:
    """Has the shape of a personnummer (so a wrong one is a date or check-digit error, not a format error)."""
    return re.fullmatch(r"(\d{2})?\d{6}[-+]?\d{4}", text.strip().replace(" ", ""), re.ASCII) is not None


def get(data: dict, path: tuple) -> object:
    for part in path:
        data = data[part]
    return data


@pytest.mark.parametrize("kind", HOSTILE_KINDS)
@settings(SETTINGS, max_examples=8)
@given(data=st.data())
def test_hostile_input_is_kept_faithfully_or_refused_with_a_clear_message(store, kind, data):
    data, path, expected, location = data.draw(hostile(kind))
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        assert expected != ACCEPT, f"refused {path}: {error}"
        errors = error.errors(include_url=False)
        assert (expected, location) in [(e["type"], e["loc"]) for e in errors], errors
        for item in field_errors(error):
            assert i18n.has(f"error.{item.code}"), item
            message = i18n.field_error(item.code, item.detail, **item.context)
            assert message != i18n.t("error.generic", detail=item.detail)
            assert "{" not in message and "Traceback" not in message
        # The import path reports the same errors, each at its JSON path in the document.
        with pytest.raises(DocumentError) as caught:
            parse_document(_document_json(data))
        paths = [e.path for e in caught.value.errors]
        assert json_path(("plan", *location)) in paths
        return
    assert expected == ACCEPT, f"accepted {path} = {get(data, path)!r}, expected {expected}"
    assert plan.model_dump(mode="json") == data  # faithful: nothing changed or dropped
    assert get(plan.model_dump(mode="json"), path) == get(data, path)
    assert parse_document(dump_document(plan, [])).plan == plan
    stored = store.save(plan.model_copy(update={"id": uuid.uuid4().hex, "revision": 0}))
    assert content(store.load(stored.id)) == content(stored)
    assert get(store.load(stored.id).model_dump(mode="json"), path) == get(data, path)


def _document_json(plan: dict) -> str:
    return json.dumps({"format": "sip-tui-plan", "format_version": 1, "plan": plan, "versions": []}, ensure_ascii=False)


# -- personnummer ------------------------------------------------------------------------

TODAY = dt.date(2026, 3, 10)


def test_valid_12_digits_with_and_without_hyphen():
    assert personnummer.normalize("19850312-2387") == "19850312-2387"
    assert personnummer.normalize("198503122387") == "19850312-2387"
    assert personnummer.normalize(" 1985 0312-2387 ") == "19850312-2387"
    assert personnummer.normalize("20121212-1212", today=TODAY) == "20121212-1212"


def test_valid_10_digits_infer_the_century():
    assert personnummer.normalize("850312-2387", today=TODAY) == "19850312-2387"
    assert personnummer.normalize("8503122387", today=TODAY) == "19850312-2387"
    assert personnummer.normalize("121212-1212", today=TODAY) == "20121212-1212"
    # The year is never in the future: on 2026-03-10, "26" is 2026 and "27" is 1927.
    assert personnummer.normalize("260101-" + _serial_and_check("260101", "123"), today=TODAY).startswith("2026")
    assert personnummer.normalize("270101-" + _serial_and_check("270101", "123"), today=TODAY).startswith("1927")


def test_plus_marks_a_person_aged_100_or_more():
    assert personnummer.normalize("850312+2387", today=TODAY) == "18850312-2387"
    assert personnummer.normalize("121212+1212", today=TODAY) == "19121212-1212"


def _serial_and_check(yymmdd: str, serial: str) -> str:
    return serial + str(personnummer.luhn_check_digit(yymmdd + serial))


def test_samordningsnummer_day_plus_60():
    number = "19850372-" + _serial_and_check("850372", "238")
    assert personnummer.normalize(number) == number
    assert personnummer.is_coordination_number(number)
    assert not personnummer.is_coordination_number("19850312-2387")
    # Day 91 is 31 + 60: valid in March, impossible in April.
    assert personnummer.normalize("19850391-" + _serial_and_check("850391", "001"))
    with pytest.raises(personnummer.PersonnummerError) as caught:
        personnummer.normalize("19850491-" + _serial_and_check("850491", "001"))
    assert caught.value.code == "pnr_date"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19850312-2388", "pnr_checksum"),
        ("850312-2380", "pnr_checksum"),
        ("19851312-" + _serial_and_check("851312", "238"), "pnr_date"),
        ("19850230-" + _serial_and_check("850230", "238"), "pnr_date"),
        ("19850300-" + _serial_and_check("850300", "238"), "pnr_date"),
        ("19850360-" + _serial_and_check("850360", "238"), "pnr_date"),
        ("", "pnr_format"),
        ("abc", "pnr_format"),
        ("19850312-238", "pnr_format"),
        ("1985-03-12-2387", "pnr_format"),
        ("19850312--2387", "pnr_format"),
        ("19850312\x002387", "pnr_format"),
        ("١٩٨٥٠٣١٢-٢٣٨٧", "pnr_format"),  # Arabic-Indic digits are not a Swedish personnummer
        ("１９８５０３１２-２３８７", "pnr_format"),  # nor full-width ones
    ],
)
def test_invalid_personnummer_names_what_is_wrong(raw, code):
    with pytest.raises(personnummer.PersonnummerError) as caught:
        personnummer.normalize(raw, today=TODAY)
    assert caught.value.code == code
    assert raw not in str(caught.value) or raw == ""  # the number itself is never in the message
    # And through the model, as a catalogue message on the field.
    if raw:
        with pytest.raises(ValidationError) as invalid:
            Person(personnummer=raw)
        (error,) = invalid.value.errors()
        assert error["type"] == code and error["loc"] == ("personnummer",)
        assert i18n.has(f"error.{code}")


def test_empty_personnummer_is_none():
    assert Person(personnummer="").personnummer is None
    assert Person(personnummer=None).personnummer is None


def test_masking_shows_the_birth_date_only():
    assert personnummer.mask("19850312-2387") == "19850312-••••"
    assert personnummer.mask("19850372-2383") == "19850372-••••"
    assert personnummer.mask(None) == ""
    assert personnummer.mask("") == ""


@SETTINGS
@given(number=valid_personnummer(), wrong=st.integers(1, 9))
def test_every_valid_number_normalizes_to_itself_and_every_other_check_digit_is_refused(number, wrong):
    assert personnummer.normalize(number) == number
    assert personnummer.normalize(number.replace("-", "")) == number
    assert personnummer.mask(number) == number[:9] + "••••"
    bad = number[:-1] + str((int(number[-1]) + wrong) % 10)
    with pytest.raises(personnummer.PersonnummerError) as caught:
        personnummer.normalize(bad)
    assert caught.value.code == "pnr_checksum"


def test_a_text_over_the_limit_is_refused_with_a_message_naming_the_limit():
    with pytest.raises(ValidationError) as caught:
        Person(name="x" * (SHORT_MAX + 1))
    (item,) = field_errors(caught.value)
    assert item.code == "string_too_long"
    assert f"{SHORT_MAX}" in i18n.field_error(item.code, item.detail, **item.context)
    assert Person(name="x" * SHORT_MAX).name == "x" * SHORT_MAX  # the limit itself is allowed
