"""The insats catalogue ("Kartoteket"): what each agency and project offers,
so coordinators know what exists and whom to call. Fields follow the Open
Referral HSDS service (name, description, eligibility, application process,
contact, languages, fees, service area, status).

The catalogue holds no personal data about the people plans are made for;
a plan keeps its own copy of what was chosen (``Insats.source``), so a later
catalogue edit never changes a plan. Pure module: no Textual, no store.
"""

from __future__ import annotations

import datetime as dt
import heapq
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import islice
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .enums import Body, LifeArea
from .plan import ItemId, LongText, ShortText, new_id

FORMAT = "sip-tui-catalogue"
SCHEMA_VERSION = 1
OFFERS_MAX = 50_000  # far above a county's catalogue; low enough that a damaged file cannot freeze a screen
AGE_MAX = 130
# An entry not checked for this long is flagged on the catalogue screen.
CHECK_EVERY = dt.timedelta(days=365)


class Provider(StrEnum):
    """The body that offers an insats. Civil society has no Body of its own in
    a plan: an entry of theirs becomes an insats by "another actor"."""

    KOMMUN = "kommun"
    REGION = "region"
    FK = "forsakringskassan"
    AF = "arbetsformedlingen"
    SCHOOL = "skola"
    CIVIL_SOCIETY = "civilsamhalle"
    OTHER = "annan"


class OfferStatus(StrEnum):
    ACTIVE = "aktiv"
    PAUSED = "pausad"
    ENDED = "avslutad"


_BODY_OF = {
    Provider.KOMMUN: Body.KOMMUN,
    Provider.REGION: Body.REGION,
    Provider.FK: Body.FK,
    Provider.AF: Body.AF,
    Provider.SCHOOL: Body.SCHOOL,
}


def error_field(error: dict) -> str:
    """The field a validation error of an Offer belongs to; the rules across
    fields name the one to correct."""
    if error["loc"]:
        return str(error["loc"][0])
    return _RULE_FIELD.get(error["type"], "")


_RULE_FIELD = {"age_max_below_min": "age_max", "name_missing": "name"}


class Offer(BaseModel):
    """One entry of the catalogue."""

    model_config = ConfigDict(extra="forbid")

    id: ItemId = Field(default_factory=new_id)
    name: ShortText
    provider: Provider = Provider.OTHER
    unit: ShortText = ""  # verksamhet
    description: LongText = ""
    life_areas: list[LifeArea] = Field(default_factory=list, max_length=len(LifeArea))
    target_group: ShortText = ""
    age_min: int | None = Field(default=None, ge=0, le=AGE_MAX)
    age_max: int | None = Field(default=None, ge=0, le=AGE_MAX)
    referral: ShortText = ""  # who may refer
    self_referral: bool = False
    requirements: ShortText = ""  # what is needed to get in
    contact_name: ShortText = ""
    phone: ShortText = ""
    email: ShortText = ""
    address: ShortText = ""  # a street address or a link
    languages: ShortText = ""
    cost: ShortText = ""
    area_served: ShortText = ""
    status: OfferStatus = OfferStatus.ACTIVE
    ends_on: dt.date | None = None  # project-funded insatser end
    last_checked: dt.date | None = None

    @model_validator(mode="after")
    def _ages_in_order(self) -> Offer:
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise PydanticCustomError("age_max_below_min", "the highest age is below the lowest")
        return self

    @model_validator(mode="after")
    def _named(self) -> Offer:
        if not self.name.strip():
            raise PydanticCustomError("name_missing", "an entry needs a name")
        return self

    @property
    def body(self) -> Body:
        """Who answers for the insats in a plan."""
        return _BODY_OF.get(self.provider, Body.OTHER)

    @property
    def contact(self) -> str:
        """The contact as one line of a plan's insats: name and phone (or e-mail)."""
        return ", ".join(part for part in (self.contact_name, self.phone or self.email) if part)

    def needs_check(self, today: dt.date) -> bool:
        return self.last_checked is None or today - self.last_checked > CHECK_EVERY

    def serves_age(self, age: int) -> bool:
        return (self.age_min is None or age >= self.age_min) and (self.age_max is None or age <= self.age_max)


class CatalogueDocument(BaseModel):
    """The catalogue file in the store, and its JSON export."""

    model_config = ConfigDict(extra="forbid", title="Insats catalogue (sip-tui)")

    format: Literal["sip-tui-catalogue"] = FORMAT
    schema_version: Literal[1] = SCHEMA_VERSION
    offers: list[Offer] = Field(default_factory=list, max_length=OFFERS_MAX)

    @model_validator(mode="after")
    def _ids_unique(self) -> CatalogueDocument:
        seen: set[str] = set()
        for index, offer in enumerate(self.offers):
            if offer.id in seen:
                raise PydanticCustomError("id_duplicate", "entry id repeated", {"subpath": f"offers[{index}].id"})
            seen.add(offer.id)
        return self


def insats_fields(offer: Offer) -> dict[str, object]:
    """What choosing an entry copies into an insats."""
    what = offer.name if not offer.unit else f"{offer.name} ({offer.unit})"
    return {"what": what, "body": offer.body, "unit": offer.unit, "contact": offer.contact}


def merge(current: Sequence[Offer], incoming: Iterable[Offer]) -> tuple[list[Offer], int, int]:
    """``current`` with ``incoming`` added: an entry with the same id, or with the
    same name and unit, is updated in place. Returns (offers, added, updated)."""
    offers = list(current)
    by_id = {offer.id: index for index, offer in enumerate(offers)}
    by_name = {_identity(offer): index for index, offer in enumerate(offers)}
    added = updated = 0
    for offer in incoming:
        index = by_id.get(offer.id, by_name.get(_identity(offer)))
        if index is None:
            by_id[offer.id] = by_name[_identity(offer)] = len(offers)
            offers.append(offer)
            added += 1
        else:
            if offers[index] != offer.model_copy(update={"id": offers[index].id}):
                updated += 1
            offers[index] = offer.model_copy(update={"id": offers[index].id})
    return offers, added, updated


def _identity(offer: Offer) -> tuple[str, str]:
    return folded(offer.name), folded(offer.unit)


def folded(text: str) -> str:
    """For comparing: NFC, case-folded, one space between words."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


# -- search ----------------------------------------------------------------


@dataclass(frozen=True)
class SearchContext:
    """What the meeting knows that makes an entry likelier: the life areas of
    the needs the insats is for (``linked``), of the plan's other needs, and the person's age."""

    linked: frozenset[LifeArea] = frozenset()
    other: frozenset[LifeArea] = frozenset()
    age: int | None = None


class SearchIndex:
    """The catalogue prepared for search-as-you-type, so a keystroke over 5,000
    entries costs a few ms: each entry's text is folded once, entries are kept
    in name order (ties need no comparing), the part of the score that does not
    depend on the words is worked out once per meeting context, a query that
    extends the last one (the next key typed) searches only the last one's
    matches, and recent results are kept (a Backspace finds them again). The
    first key of a search, the only one that scans every entry, can be worked
    out ahead for a meeting (``prepare_first_keys``)."""

    RECENT = 64

    def __init__(self, offers: Iterable[Offer], include_ended: bool = True) -> None:
        kept = [o for o in offers if include_ended or o.status != OfferStatus.ENDED]
        self.offers = sorted(kept, key=lambda o: folded(o.name))
        self._names = [" " + folded(o.name) for o in self.offers]
        self._texts = [
            folded(" ".join((o.name, o.unit, o.description, o.target_group, o.area_served, o.provider.value)))
            for o in self.offers
        ]
        self._base: dict[SearchContext, tuple[list[int], list[int]]] = {}
        self._last: tuple[str, list[int]] = ("", [])
        self._recent: dict[tuple, list[Offer]] = {}
        self._first: dict[tuple[SearchContext, int], dict[str, tuple[list[int], list[Offer]]]] = {}

    def search(
        self,
        text: str,
        context: SearchContext = SearchContext(),
        limit: int | None = None,
        areas: Iterable[LifeArea] = (),
        providers: Iterable[Provider] = (),
    ) -> list[Offer]:
        """Entries containing every word of ``text`` (all when it is blank), best first."""
        query = " ".join(folded(text).split())
        wanted_areas, wanted_providers = frozenset(areas), frozenset(providers)
        first = self._first.get((context, limit or 0), {}).get(query) if len(query) == 1 else None
        if first is not None and not wanted_areas and not wanted_providers:
            self._last = (query, first[0])  # the next key searches these matches
            return list(first[1])
        key = (query, context, limit, wanted_areas, wanted_providers)
        if key not in self._recent:
            if len(self._recent) >= self.RECENT:
                self._recent.clear()
            self._recent[key] = self._search(query, context, limit, wanted_areas, wanted_providers)
        return list(self._recent[key])

    def prepare_first_keys(self, context: SearchContext, limit: int) -> None:
        """Work out the ``limit`` best for every one-character query in this
        context (a few ms a character over 5,000 entries: call it off the UI
        thread). It writes only its own table, in one step, so a search running
        meanwhile is unaffected."""
        texts = self._texts
        characters = sorted({c for text in texts for c in text} - {" "})
        prepared = {}
        for character in characters:
            candidates = [i for i, text in enumerate(texts) if character in text]
            best = self._best(candidates, [character], context, limit)
            prepared[character] = (candidates, [self.offers[i] for _, i in best])
        self._first[(context, limit)] = prepared

    def _search(
        self,
        query: str,
        context: SearchContext,
        limit: int | None,
        wanted_areas: frozenset[LifeArea],
        wanted_providers: frozenset[Provider],
    ) -> list[Offer]:
        words = query.split()
        candidates = self._matching(query, words)
        if wanted_areas or wanted_providers:
            offers = self.offers
            candidates = [
                i
                for i in candidates
                if (not wanted_areas or not wanted_areas.isdisjoint(offers[i].life_areas))
                and (not wanted_providers or offers[i].provider in wanted_providers)
            ]
        if limit is None:
            ranked = [(-total, i) for total, i in zip(self._totals(candidates, words, context), candidates, strict=True)]
            return [self.offers[i] for _, i in sorted(ranked)]  # ties in name order
        return [self.offers[i] for _, i in self._best(candidates, words, context, limit)]

    def _totals(self, candidates: Sequence[int], words: list[str], context: SearchContext) -> list[int]:
        """Each candidate's score: the meeting's part, and the words found in its name
        (at its start or a word's start more)."""
        base, names = self._base_scores(context), self._names
        totals = [base[i] for i in candidates]
        for word in words:
            spaced = " " + word
            totals = [
                total + (0 if word not in names[i] else 30 if names[i].startswith(spaced) else 20 if spaced in names[i] else 10)
                for total, i in zip(totals, candidates, strict=True)
            ]
        return totals

    def _best(
        self, candidates: list[int], words: list[str], context: SearchContext, limit: int
    ) -> list[tuple[int, int]]:
        """The ``limit`` best as (-score, index), without scoring every candidate:
        only the entries with a word in their name can gain on their meeting
        score, so the rest are taken in the order that score alone gives."""
        names = self._names
        named: set[int] = set()
        for word in words:
            named.update([i for i in candidates if word in names[i]])
        scored = list(named)
        best = [(-total, i) for total, i in zip(self._totals(scored, words, context), scored, strict=True)]
        wanted = set(candidates) if len(candidates) < len(self.offers) else None
        base = self._base_scores(context)
        rest = (i for i in self._order(context) if i not in named and (wanted is None or i in wanted))
        best += [(-base[i], i) for i in islice(rest, limit)]
        return heapq.nsmallest(limit, best)

    def _matching(self, query: str, words: list[str]) -> list[int]:
        """Entries containing every word; a query that only adds to the last one
        searches the last one's matches."""
        if not words:
            return list(range(len(self.offers)))
        last, matched = self._last
        candidates = matched if last and query.startswith(last) else range(len(self.offers))
        texts = self._texts
        for word in words:
            candidates = [i for i in candidates if word in texts[i]]
        self._last = (query, candidates)
        return candidates

    def _base_scores(self, context: SearchContext) -> list[int]:
        """What the meeting makes likelier, per entry: the need's life area, the
        person's age; a paused or ended entry last."""
        return self._prepared(context)[0]

    def _order(self, context: SearchContext) -> list[int]:
        """Every entry, best meeting score first (ties in name order)."""
        return self._prepared(context)[1]

    def _prepared(self, context: SearchContext) -> tuple[list[int], list[int]]:
        prepared = self._base.get(context)
        if prepared is None:  # (read once and kept: ``prepare_first_keys`` may run in another thread)
            if len(self._base) >= self.RECENT:
                self._base.clear()
            scores = [_base_score(offer, context) for offer in self.offers]
            prepared = (scores, sorted(range(len(scores)), key=lambda i: (-scores[i], i)))
            self._base[context] = prepared
        return prepared


def _base_score(offer: Offer, context: SearchContext) -> int:
    areas = offer.life_areas
    score = 0
    if not context.linked.isdisjoint(areas):
        score += 40
    elif not context.other.isdisjoint(areas):
        score += 15
    if context.age is not None and (offer.age_min is not None or offer.age_max is not None):
        score += 20 if offer.serves_age(context.age) else -40
    if offer.status != OfferStatus.ACTIVE:
        score -= 100
    return score


def age_on(personnummer: str | None, today: dt.date) -> int | None:
    """The person's age from a canonical personnummer (YYYYMMDD-NNNN); a
    samordningsnummer's day is 60 higher."""
    if not personnummer:
        return None
    try:
        day = int(personnummer[6:8])
        born = dt.date(int(personnummer[:4]), int(personnummer[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# -- tables (CSV, Excel) -----------------------------------------------------

COLUMNS = tuple(Offer.model_fields)  # the column names of an export, in this order
_LIST_SEPARATORS = (";", "|", "\n")
_YES = {"1", "true", "yes", "ja", "x", "j", "y"}
_NO = {"", "0", "false", "no", "nej", "n"}


@dataclass(frozen=True)
class RowError:
    """A value an import refuses: ``row`` as the spreadsheet numbers it (the
    header is row 1), ``column`` as the file names it, ``code`` an error type."""

    row: int
    column: str
    code: str
    context: dict


class TableError(ValueError):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def offers_from_table(
    header: Sequence[object],
    rows: Iterable[tuple[int, Sequence[object]]],
    column_aliases: dict[str, str] | None = None,
    value_aliases: dict[str, str] | None = None,
) -> list[Offer]:
    """Entries from a table whose first row names the columns (our field names,
    or any alias such as the Swedish headings). ``rows`` are (row number, cells).
    Every row is checked before anything is returned: TableError lists each
    refused value by row and column; blank rows are skipped."""
    aliases = {folded(k): v for k, v in (column_aliases or {}).items()}
    values = {folded(k): v for k, v in (value_aliases or {}).items()}
    columns: list[str | None] = []
    errors: list[RowError] = []
    for heading in header:
        text = "" if heading is None else str(heading).strip()
        key = folded(text)
        field = key if key in COLUMNS else aliases.get(key)
        if text and field is None:
            errors.append(RowError(1, text, "column_unknown", {}))
        if field is not None and field in columns:
            errors.append(RowError(1, text, "column_repeated", {}))
        columns.append(field)
    if "name" not in columns:
        errors.append(RowError(1, "name", "column_missing", {}))
    if errors:
        raise TableError(errors)
    headings = [str(h).strip() if h is not None else "" for h in header]
    heading_of = {field: heading for field, heading in zip(columns, headings, strict=True) if field}
    offers: list[Offer] = []
    for number, cells in rows:
        if all(_blank(cell) for cell in cells):
            continue
        if len(offers) >= OFFERS_MAX:
            errors.append(RowError(number, "", "too_many_rows", {"max": OFFERS_MAX}))
            break
        if len(cells) > len(columns) and not all(_blank(c) for c in cells[len(columns) :]):
            errors.append(RowError(number, "", "cells_beyond_header", {}))
            continue
        data: dict[str, object] = {}
        for field, cell in zip(columns, cells, strict=False):
            if field is not None and not _blank(cell):
                data[field] = _cell_value(field, cell, values)
        try:
            offers.append(Offer.model_validate(data))
        except ValidationError as error:
            for item in error.errors(include_url=False, include_input=False):
                field = error_field(item)
                errors.append(RowError(number, heading_of.get(field, field), item["type"], dict(item.get("ctx") or {})))
    if errors:
        raise TableError(errors)
    return offers


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell_value(field: str, cell: object, values: dict[str, str]) -> object:
    """A cell as the model takes it: a spreadsheet's dates, numbers and labels."""
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if field in ("age_min", "age_max") and isinstance(cell, int):
        return cell
    text = str(cell).strip()
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]  # quoted on export so a spreadsheet keeps it text
    if field == "life_areas":
        for sep in _LIST_SEPARATORS:
            text = text.replace(sep, ";")
        parts = [p.strip() for p in text.split(";") if p.strip()]
        return [values.get(folded(p), folded(p)) for p in parts]
    if field in ("provider", "status"):
        return values.get(folded(text), folded(text))
    if field == "self_referral":
        key = folded(text)
        return True if key in _YES else False if key in _NO else text
    return text


def offer_row(offer: Offer) -> list[str]:
    """One entry as the cells of an export row (``COLUMNS``), codes not labels:
    a file that reads back the same in either UI language."""
    data = offer.model_dump(mode="json")
    cells = []
    for field in COLUMNS:
        value = data[field]
        if isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, bool):
            value = "ja" if value else "nej"
        cells.append("" if value is None else str(value))
    return cells
