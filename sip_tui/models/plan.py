"""The SIP plan and its parts (pydantic v2). See shared/domain/SIP.md."""

from __future__ import annotations

import datetime as dt
import re
import typing
import unicodedata
import uuid
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from . import personnummer
from .enums import (
    HUVUDMAN,
    Body,
    ConsentForm,
    DeviationStatus,
    DeviationType,
    Gender,
    GoalTerm,
    Income,
    InsatsStatus,
    LifeArea,
    MeetingForm,
    MeetingKind,
    Occupation,
    Outcome,
    PlanStatus,
)

# Tab, newline and carriage return are text; every other C0/C1 control
# character (NUL included) is refused rather than silently dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SHORT_MAX = 200
LONG_MAX = 20_000
# Size limits: far above any real plan, low enough that a hand-made or damaged
# file cannot freeze a step (100,000 goals took the Mål step past 1.3 GB).
ITEMS_MAX = 100  # rows in one list: goals, needs, insatser, participants ...
LINKS_MAX = ITEMS_MAX  # goal_ids of a need, need_ids of an insats
SIGNERS_MAX = 100  # names under one agreement
PENDING_MAX = 1_000  # kept invalid inputs; one per field at most
PENDING_KEY_MAX = 200  # a field path such as insatser.<id>.done_by
VERSION_MAX = 9_999  # agreed versions of one plan
REVISION_MAX = 10**12  # saves of one plan
LINES_MAX = 100  # stores a plan has been saved in (models.lineage)
LINE_PATTERN = r"^[a-f0-9]{1,32}$"
# What a store sets on every save: says nothing of what the plan holds.
SAVE_BOOKKEEPING = frozenset({"revision", "created_at", "updated_at", "line", "seen"})
# An item id names widgets and field paths (goals.<id>.text): letters and digits
# only. The app makes 12 hex digits (new_id); the demo uses the same.
ITEM_ID_PATTERN = r"^[A-Za-z0-9]{1,64}$"
_PENDING_KEY = re.compile(r"^[A-Za-z0-9_.]+$")


def _clean_text(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError("text_control_chars", "control characters are not allowed")
    return _nfc(value)


def _nfc(value: str) -> str:
    """Text is kept in NFC, so "Åsa" typed as A + combining ring (NFD, as some
    keyboards and pasted macOS text give it) equals "Åsa" and is found by search.
    A few characters grow under NFC (U+FB2A, U+0958, CJK compatibility ideographs):
    a text NFC would lengthen is kept as typed, so text within its limit stays within it."""
    normalized = unicodedata.normalize("NFC", value)
    return normalized if len(normalized) <= len(value) else value


ShortText = Annotated[str, Field(max_length=SHORT_MAX), AfterValidator(_clean_text)]
LongText = Annotated[str, Field(max_length=LONG_MAX), AfterValidator(_clean_text)]
ItemId = Annotated[str, Field(pattern=ITEM_ID_PATTERN)]


def _field_path(value: str) -> str:
    if not _PENDING_KEY.match(value):
        raise PydanticCustomError("pending_key", "not a field path")
    return value


PendingKey = Annotated[str, Field(max_length=PENDING_KEY_MAX), AfterValidator(_field_path)]


def new_id() -> str:
    return uuid.uuid4().hex[:12]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Representative(Part):
    name: ShortText = ""
    relation: ShortText = ""  # god man, förvaltare, vårdnadshavare ...
    contact: ShortText = ""


class Person(Part):
    name: ShortText = ""
    personnummer: str | None = None
    phone: ShortText = ""
    email: ShortText = ""
    address: ShortText = ""
    interpreter_needed: bool = False
    interpreter_language: ShortText = ""  # the person's language, kept even without an interpreter
    communication: ShortText = ""  # needs beyond an interpreter: sign language, easy-read, hearing loop ...
    representative: Representative | None = None

    @field_validator("personnummer", mode="before")
    @classmethod
    def _valid_personnummer(cls, value: object) -> object:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise PydanticCustomError("pnr_format", "invalid personnummer")
        try:
            return personnummer.normalize(value)
        except personnummer.PersonnummerError as error:
            raise PydanticCustomError(error.code, "invalid personnummer") from None

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""


class Meeting(Part):
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: ShortText = ""
    form: MeetingForm = MeetingForm.IN_PERSON
    kind: MeetingKind = MeetingKind.FIRST
    initiated_by: ShortText = ""
    initiated_on: dt.date | None = None
    requested_on: dt.date | None = None  # the date the SIP was requested (begäran)
    requested_by: ShortText = ""
    reason: LongText = ""  # what prompted the SIP
    question: LongText = ""  # frågeställning: the question the meeting answers
    chair: ShortText = ""  # mötesledare
    secretary: ShortText = ""  # sekreterare

    @model_validator(mode="after")
    def _times_in_order(self) -> Meeting:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise PydanticCustomError("end_before_start", "end time is not after start time")
        return self


class Consent(Part):
    given: bool = False
    form: ConsentForm | None = None
    date: dt.date | None = None
    actors: ShortText = ""  # which actors may share information
    information: LongText = ""  # which information may be shared
    valid_until: dt.date | None = None
    withdrawn_on: dt.date | None = None
    not_covered: LongText = ""  # what the consent does not cover

    @property
    def in_force(self) -> bool:
        return self.given and self.withdrawn_on is None


class Participant(Part):
    id: ItemId = Field(default_factory=new_id)
    name: ShortText = ""
    role: ShortText = ""
    organisation: ShortText = ""
    body: Body = Body.OTHER
    attended: bool = True
    contact: ShortText = ""
    relative: bool = False  # närstående


class Goal(Part):
    id: ItemId = Field(default_factory=new_id)
    text: LongText = ""
    term: GoalTerm = GoalTerm.SHORT
    parent_id: ItemId | None = None  # a delmål names the overall goal it leads to
    reached: bool | None = None  # at a follow-up: is the goal reached? None until judged


class Need(Part):
    id: ItemId = Field(default_factory=new_id)
    area: LifeArea = LifeArea.OTHER
    description: LongText = ""
    goal_ids: list[ItemId] = Field(default_factory=list, max_length=LINKS_MAX)


class OfferSource(Part):
    """The catalogue entry (``models.offer``) an insats was filled from, as it
    was when chosen: the plan keeps this copy, whatever the catalogue says later."""

    offer_id: ItemId
    name: ShortText = ""
    chosen_on: dt.date | None = None


class Insats(Part):
    id: ItemId = Field(default_factory=new_id)
    what: LongText = ""
    need_ids: list[ItemId] = Field(default_factory=list, max_length=LINKS_MAX)
    goal_id: ItemId | None = None  # the delmål the insats works towards
    body: Body = Body.KOMMUN
    unit: ShortText = ""  # verksamhet
    contact: ShortText = ""
    start: dt.date | None = None
    done_by: dt.date | None = None
    status: InsatsStatus = InsatsStatus.PLANNED
    note: LongText = ""  # follow-up note
    source: OfferSource | None = None  # chosen from the insats catalogue

    @model_validator(mode="after")
    def _dates_in_order(self) -> Insats:
        if self.start and self.done_by and self.done_by < self.start:
            raise PydanticCustomError("done_by_before_start", "done-by date is before the start date")
        return self


class Coordinator(Part):
    name: ShortText = ""
    body: Body | None = None
    unit: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""

    @field_validator("body")
    @classmethod
    def _huvudman_only(cls, value: Body | None) -> Body | None:
        if value is not None and value not in HUVUDMAN:
            raise PydanticCustomError("not_huvudman", "must be kommun or region")
        return value


class FollowUp(Part):
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    form: MeetingForm = MeetingForm.IN_PERSON
    place: ShortText = ""  # room, address or link
    called_by: ShortText = ""
    invitees: LongText = ""  # who is invited to the next follow-up
    neutral_location: bool = False  # the invite names no place that tells what help the person gets
    held: bool = False

    @model_validator(mode="after")
    def _times_in_order(self) -> FollowUp:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise PydanticCustomError("end_before_start", "end time is not after start time")
        return self


class Recipient(Part):
    id: ItemId = Field(default_factory=new_id)
    name: ShortText = ""
    organisation: ShortText = ""


class Deviation(Part):
    """Something in the cooperation that went wrong, and its handling
    (registered -> sent to the unit -> answered -> closed; see models/deviations.py)."""

    id: ItemId = Field(default_factory=new_id)
    date: dt.date | None = None
    type: DeviationType = DeviationType.OTHER
    other_text: ShortText = ""  # the category in words, for "annat"
    body: Body = Body.OTHER
    unit: ShortText = ""  # the unit (verksamhet) concerned
    description: LongText = ""  # what happened, without personal details
    reported_by: ShortText = ""
    status: DeviationStatus = DeviationStatus.REGISTERED
    sent_on: dt.date | None = None
    reply_by: dt.date | None = None
    answer: LongText = ""
    answered_on: dt.date | None = None
    closed_on: dt.date | None = None
    systemfel: bool = False  # a recurring problem in the system, not a single case


class Situation(Part):
    """Sysselsättning and försörjning at one point (the first meeting, or closure)."""

    occupation: Occupation | None = None
    income: list[Income] = Field(default_factory=list, max_length=len(Income))

    @field_validator("income")
    @classmethod
    def _no_public_alone(cls, value: list[Income]) -> list[Income]:
        if Income.NO_PUBLIC in value and len(set(value)) > 1:
            raise PydanticCustomError("income_no_public", "no public income excludes the others")
        return list(dict.fromkeys(value))

    @staticmethod
    def ticked(before: list[str], chosen: list[str]) -> list[Income]:
        """The sources of income after a tick in a list of them: "ingen offentlig
        försörjning" just ticked clears the others, and another ticked clears it."""
        added = set(chosen) - set(before)
        if Income.NO_PUBLIC in added:
            return [Income.NO_PUBLIC]
        keep = {code for code in chosen if not (added and code == Income.NO_PUBLIC)}
        return [income for income in Income if income in keep]


class Indicators(Part):
    """What the anonymous indicator report counts (Finsam follow-up)."""

    gender: Gender | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)  # when there is no personnummer
    before: Situation = Field(default_factory=Situation)  # at the first meeting
    after: Situation = Field(default_factory=Situation)  # at closure
    interpreter_met: bool = False  # an interpreter was there when one was needed


class Closure(Part):
    date: dt.date
    outcome: Outcome
    note: LongText = ""


class Agreement(Part):
    at: dt.datetime
    by: list[ShortText] = Field(default_factory=list, max_length=SIGNERS_MAX)  # the person first
    change_reason: LongText = ""


class Plan(Part):
    # Letters and digits only: the id names the plan's file.
    id: str = Field(default_factory=lambda: uuid.uuid4().hex, pattern=r"^[A-Za-z0-9]{1,64}$")
    revision: int = Field(default=0, ge=0, le=REVISION_MAX)  # store revision: bumped on every save
    version: int = Field(default=0, ge=0, le=VERSION_MAX)  # last agreed version; 0 until first agreed
    status: PlanStatus = PlanStatus.DRAFT
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    # This store's id for the plan's line of saves, and the last save of every store's
    # line that this plan has seen (models.lineage): an import is based on the stored
    # plan only if it has seen every save the stored plan has. Empty in a plan saved
    # before lines had ids.
    line: str = Field(default="", pattern=r"^[a-f0-9]{0,32}$")
    seen: dict[Annotated[str, Field(pattern=LINE_PATTERN)], Annotated[int, Field(ge=0, le=REVISION_MAX)]] = Field(
        default_factory=dict, max_length=LINES_MAX
    )

    person: Person = Field(default_factory=Person)
    meeting: Meeting = Field(default_factory=Meeting)
    consent: Consent = Field(default_factory=Consent)
    participants: list[Participant] = Field(default_factory=list, max_length=ITEMS_MAX)
    person_attended: bool = True
    person_absent_reason: LongText = ""

    situation: LongText = ""
    strengths: LongText = ""
    earlier_actions: LongText = ""  # earlier and current actions
    earlier_actions_effect: LongText = ""  # how they work ("Hur fungerar det?")
    goals_differ: LongText = ""  # where the person's goal and an actor's differ
    goals: list[Goal] = Field(default_factory=list, max_length=ITEMS_MAX)
    needs: list[Need] = Field(default_factory=list, max_length=ITEMS_MAX)
    insatser: list[Insats] = Field(default_factory=list, max_length=ITEMS_MAX)

    responsible: Body | None = None  # övergripande ansvar: kommun or region
    coordinator: Coordinator = Field(default_factory=Coordinator)
    followup: FollowUp = Field(default_factory=FollowUp)
    distribution: list[Recipient] = Field(default_factory=list, max_length=ITEMS_MAX)

    deviations: list[Deviation] = Field(default_factory=list, max_length=ITEMS_MAX)
    indicators: Indicators = Field(default_factory=Indicators)
    agreement: Agreement | None = None  # of the last agreed version
    change_reason: LongText = ""  # why this revision differs from the last version
    closure: Closure | None = None

    # Raw text of fields the facilitator typed but that did not validate yet,
    # keyed by field path, so an invalid entry is saved and never dropped.
    pending_input: dict[PendingKey, LongText] = Field(default_factory=dict, max_length=PENDING_MAX)

    @field_validator("responsible")
    @classmethod
    def _huvudman_only(cls, value: Body | None) -> Body | None:
        if value is not None and value not in HUVUDMAN:
            raise PydanticCustomError("not_huvudman", "must be kommun or region")
        return value

    @model_validator(mode="after")
    def _item_ids_unique(self) -> Plan:
        """Each item id once in the plan: it names the item's widgets and field paths."""
        first: dict[str, str] = {}
        for section in ITEM_SECTIONS:
            for index, item in enumerate(getattr(self, section)):
                where = f"{section}[{index}].id"
                if item.id in first:
                    raise PydanticCustomError(
                        "id_duplicate", "item id repeated", {"subpath": where, "first": first[item.id]}
                    )
                first[item.id] = where
        return self

    @model_validator(mode="after")
    def _followup_after_meeting(self) -> Plan:
        followup = self.followup
        if self.meeting.date and followup.date and not followup.held and followup.date < self.meeting.date:
            raise PydanticCustomError("followup_before_meeting", "follow-up is before the meeting")
        return self

    @property
    def editable(self) -> bool:
        return self.status in (PlanStatus.DRAFT, PlanStatus.FOLLOW_UP)

    @property
    def others(self) -> list[Participant]:
        """The participants besides the person, who is always listed (and signs)
        first: a facilitator often adds the person as a participant too."""
        me = self.person.name.strip().casefold()
        return [p for p in self.participants if not me or p.name.strip().casefold() != me]

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def need(self, need_id: str) -> Need | None:
        return next((n for n in self.needs if n.id == need_id), None)


def _holds_items(annotation: object) -> bool:
    """A list of models that each carry an id: goals, insatser, participants ..."""
    if typing.get_origin(annotation) is not list:
        return False
    (item,) = typing.get_args(annotation)
    return isinstance(item, type) and "id" in getattr(item, "model_fields", {})


# The plan's lists of items, in the order of the plan, read from the model itself.
ITEM_SECTIONS = tuple(name for name, field in Plan.model_fields.items() if _holds_items(field.annotation))
