"""The insats catalogue ("Kartoteket") as screens and the CLI use it: search,
add, edit, retire, import and export. Screens never touch the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import ValidationError

from .catalogue import STRINGS
from .i18n import field_error, has, t
from .models.enums import LifeArea
from .models.offer import COLUMNS, Offer, OfferStatus, Provider, SearchContext, SearchIndex, error_field, merge
from .store import StoreError
from .store.offers import (
    CatalogueStore,
    InsatsHistory,
    catalogue_csv,
    catalogue_json,
    insats_history,
    read_catalogue_file,
    write_export,
)


class CatalogueService:
    def __init__(self, root: Path, today: Callable[[], dt.date]) -> None:
        self.store = CatalogueStore(root)
        self.plans_dir = Path(root) / "plans"
        self.today = today
        self._index: SearchIndex | None = None
        self._history: InsatsHistory | None = None

    # -- reading ---------------------------------------------------------------

    def offers(self) -> list[Offer]:
        return self.store.load()

    def index(self, refresh: bool = False) -> SearchIndex:
        """The catalogue ready for search-as-you-type, built once per app run
        (and again after a change made here)."""
        if self._index is None or refresh:
            self._index = SearchIndex(self.store.load())
        return self._index

    def search(
        self,
        text: str = "",
        areas: Iterable[LifeArea] = (),
        providers: Iterable[Provider] = (),
        context: SearchContext = SearchContext(),
    ) -> list[Offer]:
        return self.index().search(text, context, areas=areas, providers=providers)

    def history(self, refresh: bool = False) -> InsatsHistory:
        """Units, contacts and catalogue choices of the stored plans (reads every
        plan file: call it off the UI thread)."""
        if self._history is None or refresh:
            self._history = insats_history(self.plans_dir)
        return self._history

    def is_empty(self) -> bool:
        """No catalogue to pick from (a damaged one is not empty: the picker says what is wrong)."""
        try:
            return not self.index().offers
        except StoreError:
            return False

    def cached_history(self) -> InsatsHistory | None:
        """The plans' insatser if already read (never reads: safe on the UI thread)."""
        return self._history

    # -- changing ----------------------------------------------------------------

    @staticmethod
    def validate(data: dict) -> Offer:
        """An entry from a form; ValueError with one line per refused field, in the UI language."""
        try:
            return Offer.model_validate(data)
        except ValidationError as error:
            lines = []
            for item in error.errors(include_url=False, include_input=False):
                field = error_field(item)
                key = f"offers.error.{item['type']}"
                message = t(key) if has(key) else field_error(item["type"], "", **dict(item.get("ctx") or {}))
                lines.append(f"{t(f'offers.field.{field}')}: {message}" if has(f"offers.field.{field}") else message)
            raise ValueError("\n".join(lines)) from None

    def save_offer(self, offer: Offer) -> Offer:
        """Add an entry, or replace the one with its id."""

        def put(offers: list[Offer]) -> list[Offer]:
            found = [i for i, o in enumerate(offers) if o.id == offer.id]
            if found:
                offers[found[0]] = offer
            else:
                offers.append(offer)
            return offers

        self._changed(self.store.change(put))
        return offer

    def retire(self, offer_id: str) -> None:
        """An entry that is no longer offered is ended, not deleted: plans may name it."""

        def end(offers: list[Offer]) -> list[Offer]:
            return [
                o.model_copy(update={"status": OfferStatus.ENDED, "ends_on": o.ends_on or self.today()})
                if o.id == offer_id
                else o
                for o in offers
            ]

        self._changed(self.store.change(end))

    def import_file(self, path: Path) -> tuple[int, int]:
        """Add a file's entries (every row checked first); returns (added, updated)."""
        incoming = read_catalogue_file(path, column_aliases(), value_aliases())
        counts = (0, 0)

        def add(offers: list[Offer]) -> list[Offer]:
            nonlocal counts
            merged, added, updated = merge(offers, incoming)
            counts = (added, updated)
            return merged

        self._changed(self.store.change(add))
        return counts

    def load_offers(self, offers: list[Offer]) -> None:
        """Add entries as an import would (the demo catalogue)."""
        self._changed(self.store.change(lambda current: merge(current, offers)[0]))

    def export(self, path: Path, kind: str) -> Path:
        offers = self.store.load()
        data = catalogue_csv(offers) if kind == "csv" else catalogue_json(offers)
        return write_export(path, data)

    def _changed(self, offers: list[Offer]) -> None:
        self._index = SearchIndex(offers)


def column_aliases() -> dict[str, str]:
    """Column headings an import understands besides the field names: the
    catalogue's own field labels in Swedish and English."""
    return {text: field for field in COLUMNS for text in STRINGS.get(f"offers.field.{field}", ())}


def value_aliases() -> dict[str, str]:
    """Provider, status and life-area labels (both languages, and short ones
    such as FK and AF) as the codes they stand for."""
    aliases: dict[str, str] = {}
    for enum in (Provider, OfferStatus, LifeArea):
        for member in enum:
            for suffix in ("", ".short"):
                for text in STRINGS.get(f"enum.{enum.__name__}.{member.value}{suffix}", ()):
                    aliases[text] = member.value
    for short in ("FK", "AF"):
        aliases[short] = Provider.FK.value if short == "FK" else Provider.AF.value
    return aliases
