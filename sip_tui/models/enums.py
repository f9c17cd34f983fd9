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


class DeviationType(StrEnum):
    ACTOR_ABSENT = "aktor_franvarande"
    INSATS_LATE = "insats_forsenad"
    REFERRAL_BOUNCED = "remiss_bollad"
    WAITED_WITHOUT_INSATS = "vantan_utan_insats"
    OTHER = "annat"
