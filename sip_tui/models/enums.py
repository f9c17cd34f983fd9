"""Closed vocabularies of a SIP. Values are stable codes stored in files;
labels live in the catalogue (``sip_tui.i18n``) under ``enum.<Class>.<value>``."""

from __future__ import annotations

from enum import StrEnum


class Body(StrEnum):
    """Who answers for an insats: a huvudman (kommun, region) or another actor."""

    KOMMUN = "kommun"
    REGION = "region"
    FK = "forsakringskassan"
    AF = "arbetsformedlingen"
    SCHOOL = "skola"
    PERSON = "personen"
    RELATIVES = "narstaende"
    OTHER = "annan"


HUVUDMAN = (Body.KOMMUN, Body.REGION)


class InsatsStatus(StrEnum):
    PLANNED = "planerad"
    NOT_STARTED = "ej_paborjad"
    ONGOING = "pagar"
    DONE = "klar"
    CANCELLED = "avbruten"


class LifeArea(StrEnum):
    HOUSING = "boende"
    ECONOMY = "ekonomi"
    WORK = "arbete"
    PHYSICAL_HEALTH = "fysisk_halsa"
    MENTAL_HEALTH = "psykisk_halsa"
    ADDICTION = "missbruk"
    RELATIONS = "relationer"
    LEISURE = "fritid"
    DAILY_LIFE = "vardag"
    FAMILY = "familj"
    LEGAL = "rattsligt"
    OTHER = "annat"


class MeetingForm(StrEnum):
    IN_PERSON = "mote"
    PHONE = "telefon"
    DIGITAL = "digitalt"


class MeetingKind(StrEnum):
    FIRST = "forsta"
    FOLLOW_UP = "uppfoljning"


class ConsentForm(StrEnum):
    ORAL = "muntligt"
    WRITTEN = "skriftligt"


class GoalTerm(StrEnum):
    SHORT = "kort"
    LONG = "lang"


class PlanStatus(StrEnum):
    DRAFT = "utkast"
    AGREED = "upprattad"
    FOLLOW_UP = "uppfoljning"
    CLOSED = "avslutad"


class Outcome(StrEnum):
    WORK = "arbete"
    STUDIES = "studier"
    INTERNSHIP = "praktik"
    REHABILITATION = "rehabilitering"
    RIGHT_BENEFIT = "ratt_ersattning"
    NEED_MET = "behov_tillgodosett"
    DECLINED = "avbojt"
    MOVED = "flyttat"
    OTHER = "annat"
    OTHER_INSATS = "annan_insats"
    DISCONTINUED = "avbrutet"


# The reasons for closure offered for a new closure (the Finsam follow-up's list).
# The other Outcome codes stay readable: plans closed before keep them.
CLOSURE_REASONS = (
    Outcome.WORK,
    Outcome.STUDIES,
    Outcome.OTHER_INSATS,
    Outcome.MOVED,
    Outcome.DISCONTINUED,
    Outcome.OTHER,
)


class DeviationType(StrEnum):
    """A deviation's category. The codes are stable: reports count by them."""

    SIP_LATE = "sip_ej_i_tid"
    ACTOR_ABSENT = "aktor_franvarande"  # an invited party did not come or did not answer
    NO_MANDATE = "mandat_saknades"
    NO_RESPONSIBILITY = "ansvar_ej_taget"
    INSATS_LATE = "insats_forsenad"  # not carried out, or late
    FOLLOWUP_LATE = "uppfoljning_ej_i_tid"
    INFORMATION = "information_ej_overford"
    CONSENT = "samtycke"
    NOT_INVOLVED = "personen_ej_delaktig"
    OTHER = "annat"
    # Earlier categories: still read from stored plans, no longer offered.
    REFERRAL_BOUNCED = "remiss_bollad"
    WAITED_WITHOUT_INSATS = "vantan_utan_insats"


DEVIATION_CATEGORIES = tuple(DeviationType)[:10]


class DeviationStatus(StrEnum):
    """A deviation's process: registered -> sent to the unit -> answered -> closed."""

    REGISTERED = "registrerad"
    SENT = "skickad"
    ANSWERED = "besvarad"
    CLOSED = "stangd"


class Gender(StrEnum):
    WOMAN = "kvinna"
    MAN = "man"
    OTHER = "annat"
    UNSTATED = "vill_inte_ange"


class Occupation(StrEnum):
    """Sysselsättning, at the first meeting and at closure."""

    WORK = "forvarvsarbete"
    STUDIES = "studier"
    JOB_SEEKING = "arbetssokande"
    INTERNSHIP = "praktik"
    REHABILITATION = "rehabilitering"
    NONE = "ingen"
    OTHER = "annan"


class Income(StrEnum):
    """Försörjning; several may apply, except NO_PUBLIC, which excludes the others."""

    SOCIAL_ASSISTANCE = "ekonomiskt_bistand"
    SICKNESS_BENEFIT = "sjukpenning"
    ACTIVITY_COMPENSATION = "aktivitetsersattning"
    SICKNESS_COMPENSATION = "sjukersattning"
    ACTIVITY_SUPPORT = "aktivitetsstod"
    UNEMPLOYMENT = "a_kassa"
    STUDENT_AID = "studiemedel"
    OTHER = "annan"
    NO_PUBLIC = "ingen_offentlig"
