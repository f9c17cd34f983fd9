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
from .models.offer import (
    COLUMNS,
    Offer,
    OfferStatus,
    Provider,
    RowError,
    SearchContext,
    SearchIndex,
    TableError,
    error_field,
    merge,
)
from .store import StoreError
from .store.offers import (
    CatalogueFileError,
    CatalogueStore,
    InsatsHistory,
    catalogue_csv,
    catalogue_json,
    insats_history,
    read_catalogue_file,
    write_export,
)

ERRORS_SHOWN = 200  # a file with every row wrong: the first ones say enough
_OS_ERRORS = {
    FileNotFoundError: "offers.import.not_found",
    IsADirectoryError: "offers.import.is_folder",
    PermissionError: "offers.import.no_access",
}


class ImportRefused(ValueError):
    """An import that changed nothing: ``lines`` say why, in the UI language."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"{len(lines)} line(s)")
        self.lines = lines


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

    def import_typed(self, text: str) -> tuple[int, int]:
        """Import the file whose path a facilitator typed or pasted; returns (added, updated).
        ImportRefused says, in the UI language, why nothing changed."""
        path = checked_path(text)
        try:
            return self.import_file(path)
        except CatalogueFileError as error:
            raise ImportRefused([file_error(error)]) from None
        except TableError as error:
            raise ImportRefused(table_errors(error)) from None
        except OSError as error:
            raise unreadable(error) from None

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


# -- an import's errors in the UI language (the CLI and the catalogue screen) --


def row_error(error: RowError) -> str:
    """``Rad 3, kolumn "Ålder från": Ska vara ett heltal.`` in the UI language."""
    if error.code in OWN_ERRORS:
        message = t(f"offers.error.{error.code}", **{k: v for k, v in error.context.items() if k == "max"})
    else:
        message = field_error(error.code, "", **error.context)
    if not error.column:
        return t("offers.error.at_row", row=error.row, message=message)
    return t("offers.error.at_cell", row=error.row, column=error.column, message=message)


def table_errors(error: TableError) -> list[str]:
    """A refused file's errors, one line each (the first ``ERRORS_SHOWN``), under a count."""
    lines = [t("offers.import.failed", count=len(error.errors))]
    lines += [row_error(item) for item in error.errors[:ERRORS_SHOWN]]
    if len(error.errors) > ERRORS_SHOWN:
        lines.append(t("cli.catalogue_more_errors", count=len(error.errors) - ERRORS_SHOWN))
    return lines


def file_error(error: CatalogueFileError) -> str:
    if error.code in FILE_ERRORS:
        return t(f"offers.error.{error.code}", **error.context)
    return field_error(error.code, "", **error.context)


OWN_ERRORS = {
    "column_unknown",
    "column_repeated",
    "column_missing",
    "cells_beyond_header",
    "too_many_rows",
    "age_max_below_min",
    "name_missing",
    "id_repeated",
}
FILE_ERRORS = {
    "catalogue_file_type",
    "catalogue_not_ours",
    "catalogue_newer",
    "catalogue_no_entries",
    "catalogue_not_table",
    "catalogue_not_xlsx",
    "catalogue_too_big",
}


def checked_path(text: str) -> Path:
    """The file a facilitator typed or pasted the path of, to be read (a plan, a
    catalogue); ImportRefused when nothing was typed or it names a folder."""
    path = typed_path(text)
    if path is None:
        raise ImportRefused([t("offers.import.no_path")])
    if path.is_dir():  # (Windows reports reading a folder as a permission error)
        raise ImportRefused([t("offers.import.is_folder")])
    return path


def unreadable(error: OSError) -> ImportRefused:
    """Why a typed file could not be read; names no path (the typed one is on screen)."""
    return ImportRefused([t(_OS_ERRORS.get(type(error), "offers.import.unreadable"))])


def typed_path(text: str) -> Path | None:
    """A path as a facilitator types or pastes it: Windows' "Copy as path" puts it
    in quotes, and ``~`` is the home folder. None when nothing was typed."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return Path(text).expanduser() if text else None
