"""The insats catalogue in the store folder, beside the plans:

    <root>/catalogue.json       {"format": "sip-tui-catalogue", "schema_version": 1, "offers": [...]}
    <root>/catalogue.json.bak   the previous good copy
    <root>/locks/catalogue.lock cross-process lock while it is changed

Written through the same crash-safe ``atomic_write`` as the plans. It holds no
personal data about a person; colleagues share it by export and import. A file
that is damaged or of a newer schema is reported and never written over.

Also here: reading catalogue files to import (JSON, CSV, Excel), and the
insatser of the stored plans (how often an entry was chosen; units and contacts
typed before), read without loading whole plans.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import ValidationError

from ..files import atomic_write, backup_path, make_private_folder
from ..models.offer import (
    COLUMNS,
    OFFERS_MAX,
    SCHEMA_VERSION,
    CatalogueDocument,
    Offer,
    RowError,
    TableError,
    error_field,
    offer_row,
    offers_from_table,
)
from .storage import UnreadableFile, encode, read_json
from .store import LOCK_TIMEOUT_S, SUFFIX, Busy, NewerSchema, ReadFailed, Unreadable, _write_error

CATALOGUE_FILE = "catalogue.json"
XLSX_MAX_BYTES = 50_000_000  # a zip bomb is refused before it is unpacked


class CatalogueStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.path = self.root / CATALOGUE_FILE
        self.locks_dir = self.root / "locks"

    def load(self) -> list[Offer]:
        """The stored entries; [] before the first is saved."""
        try:
            data = read_json(self.path)
        except UnreadableFile as error:
            if error.reason:
                raise ReadFailed(self.path.name, reason=error.reason) from None
            raise self._damaged() from None
        if data is None:
            return []
        version = data.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            raise NewerSchema(self.path.name, version=version)
        try:
            return CatalogueDocument.model_validate(data).offers
        except (ValidationError, RecursionError):
            raise self._damaged() from None

    def change(self, edit: Callable[[list[Offer]], list[Offer]]) -> list[Offer]:
        """Read, ``edit`` and write the catalogue under its lock, so two colleagues
        saving at once both keep their change. Returns the entries written."""
        with self._locked():
            offers = edit(self.load())
            document = CatalogueDocument(offers=offers)  # refuses what would not read back
            try:
                atomic_write(self.path, encode(document.model_dump(mode="json")))
            except OSError as error:
                raise _write_error(self.path, error) from None
            return offers

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            make_private_folder(self.locks_dir)
            lock = FileLock(str(self.locks_dir / "catalogue.lock"), timeout=LOCK_TIMEOUT_S, mode=0o600)
            lock.acquire()
        except Timeout:
            raise Busy(self.path.name) from None
        except OSError as error:
            raise _write_error(self.path, error) from None
        try:
            yield
        finally:
            lock.release()

    def _damaged(self) -> Unreadable:
        return Unreadable(self.path.name, backup=self.path.exists() and backup_path(self.path).is_file())


# -- the plans' insatser -------------------------------------------------------


@dataclass
class InsatsHistory:
    """What the stored plans' insatser say: how many plans chose each catalogue
    entry, and the units and contacts typed before (offered again as you type)."""

    plans_by_offer: Counter = field(default_factory=Counter)
    units: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)


def insats_history(plans_dir: Path) -> InsatsHistory:
    """Read every plan file's insatser (current state and agreed versions); a
    file that will not read is skipped: the plan list reports it elsewhere."""
    history = InsatsHistory()
    units: Counter = Counter()
    contacts: Counter = Counter()
    try:
        names = [e.name for e in os.scandir(plans_dir) if e.name.endswith(SUFFIX) and e.is_file()]
    except OSError:
        return history
    for name in names:
        chosen: set[str] = set()
        for insats in _insatser(plans_dir / name):
            source = insats.get("source")
            if isinstance(source, dict) and isinstance(source.get("offer_id"), str):
                chosen.add(source["offer_id"])
            for key, counter in (("unit", units), ("contact", contacts)):
                value = insats.get(key)
                if isinstance(value, str) and value.strip():
                    counter[value.strip()] += 1
        history.plans_by_offer.update(chosen)
    history.units = [text for text, _ in units.most_common()]
    history.contacts = [text for text, _ in contacts.most_common()]
    return history


def _insatser(path: Path) -> Iterator[dict]:
    try:
        data = read_json(path)
    except (UnreadableFile, OSError):
        return
    if not isinstance(data, dict):
        return
    for table in ("plan", "versions"):
        docs = data.get(table)
        if not isinstance(docs, dict):
            continue
        for doc in docs.values():
            items = doc.get("insatser") if isinstance(doc, dict) else None
            if isinstance(items, list):
                yield from (item for item in items if isinstance(item, dict))


# -- files to import and export -------------------------------------------------


class CatalogueFileError(ValueError):
    """A catalogue file that cannot be read as a table at all: ``code`` is an error type."""

    def __init__(self, code: str, **context: object) -> None:
        super().__init__(code)
        self.code = code
        self.context = context


def read_catalogue_file(
    path: Path, column_aliases: dict[str, str], value_aliases: dict[str, str]
) -> list[Offer]:
    """Entries from a .json, .csv or .xlsx file, every row checked first
    (TableError lists each refused value by row and column)."""
    suffix = path.suffix.casefold()
    if suffix == ".xlsx":
        header, rows = _xlsx_table(path)
    elif suffix == ".csv":
        header, rows = _csv_table(path.read_bytes())
    elif suffix == ".json":
        return _json_offers(path.read_bytes())
    else:
        raise CatalogueFileError("catalogue_file_type")
    return offers_from_table(header, rows, column_aliases, value_aliases)


def _json_offers(raw: bytes) -> list[Offer]:
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise CatalogueFileError("json_not_utf8") from None
    except json.JSONDecodeError as error:
        raise CatalogueFileError("json_invalid", line=error.lineno) from None
    except (ValueError, RecursionError):
        raise CatalogueFileError("json_too_deep") from None
    entries = data.get("offers") if isinstance(data, dict) else data
    if isinstance(data, dict) and data.get("format") not in (None, "sip-tui-catalogue"):
        raise CatalogueFileError("catalogue_not_ours")
    if isinstance(data, dict) and isinstance(data.get("schema_version"), int) and data["schema_version"] > SCHEMA_VERSION:
        raise CatalogueFileError("catalogue_newer", version=data["schema_version"])
    if not isinstance(entries, list):
        raise CatalogueFileError("catalogue_no_entries")
    offers, errors = [], []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        try:
            offer = Offer.model_validate(entry)
        except ValidationError as error:
            for item in error.errors(include_url=False, include_input=False):
                errors.append(RowError(number, error_field(item), item["type"], dict(item.get("ctx") or {})))
            continue
        except RecursionError:
            errors.append(RowError(number, "", "json_too_deep", {}))
            continue
        if offer.id in seen:
            errors.append(RowError(number, "id", "id_repeated", {}))
        seen.add(offer.id)
        offers.append(offer)
    if len(offers) > OFFERS_MAX:
        errors.append(RowError(OFFERS_MAX + 1, "", "too_many_rows", {"max": OFFERS_MAX}))
    if errors:
        raise TableError(errors)
    return offers


def _csv_table(raw: bytes) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A CSV as Excel saves it: UTF-8 (with or without BOM), else Windows-1252;
    separated by semicolons (Swedish Excel), commas or tabs."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise CatalogueFileError("catalogue_not_table")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise CatalogueFileError("catalogue_not_table") from None
    if not lines:
        raise CatalogueFileError("catalogue_no_entries")
    return lines[0], ((number, cells) for number, cells in enumerate(lines[1:], start=2))


def _xlsx_table(path: Path) -> tuple[list[object], Iterator[tuple[int, tuple]]]:
    """The first sheet of a workbook; its first row names the columns."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook  # loads only when a workbook is imported

    if path.stat().st_size > XLSX_MAX_BYTES:
        raise CatalogueFileError("catalogue_too_big")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError):
        raise CatalogueFileError("catalogue_not_xlsx") from None
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    except Exception:  # a damaged sheet inside a good zip raises openpyxl's own errors
        raise CatalogueFileError("catalogue_not_xlsx") from None
    finally:
        with suppress(Exception):
            book.close()
    if not rows:
        raise CatalogueFileError("catalogue_no_entries")
    return list(rows[0]), ((number, row) for number, row in enumerate(rows[1:], start=2))


def catalogue_json(offers: list[Offer]) -> bytes:
    return CatalogueDocument(offers=offers).model_dump_json(indent=2).encode("utf-8")


def catalogue_csv(offers: list[Offer]) -> bytes:
    """Semicolons and a BOM: Excel with Swedish settings opens it with åäö intact."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_spreadsheet_safe(offer_row(offer)) for offer in offers)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _spreadsheet_safe(cells: list[str]) -> list[str]:
    """A cell starting with = + - @ would run as a formula in Excel: a quote keeps it text."""
    return [f"'{cell}" if cell[:1] in ("=", "+", "-", "@") and not _number(cell) else cell for cell in cells]


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def write_export(path: Path, data: bytes) -> Path:
    make_private_folder(path.parent)
    atomic_write(path, data, keep_backup=False)
    return path


__all__ = [
    "CATALOGUE_FILE",
    "CatalogueFileError",
    "CatalogueStore",
    "InsatsHistory",
    "TableError",
    "catalogue_csv",
    "catalogue_json",
    "insats_history",
    "read_catalogue_file",
    "write_export",
]
