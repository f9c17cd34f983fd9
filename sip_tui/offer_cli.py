"""``sip-tui catalogue list|import|export``: the insats catalogue (Kartoteket)
on the command line. Messages name a row and a column, never a value."""

from __future__ import annotations

import argparse
import json
import sys

from .cli import UserError, _print_table
from .i18n import label, t
from .models.enums import LifeArea
from .models.offer import Provider, TableError, folded
from .offer_service import ERRORS_SHOWN, file_error, row_error, value_aliases
from .service import PlanService
from .store.offers import CatalogueFileError


def run(service: PlanService, args: argparse.Namespace) -> int:
    action = args.catalogue_command
    if action == "list":
        return cmd_list(service, args)
    if action == "import":
        return cmd_import(service, args)
    return cmd_export(service, args)


def cmd_list(service: PlanService, args: argparse.Namespace) -> int:
    areas = [_choice(LifeArea, args.area, "cli.catalogue_bad_area")] if args.area else []
    providers = [_choice(Provider, args.body, "cli.catalogue_bad_body")] if args.body else []
    offers = service.catalogue.search(args.search, areas=areas, providers=providers)
    today = service.today()
    if args.json:
        print(json.dumps([o.model_dump(mode="json") for o in offers], ensure_ascii=False, indent=2))
    elif not offers:
        print(t("cli.catalogue_empty"))
    else:
        rows = [
            (
                o.id[:8],
                o.name,
                label(o.provider),
                o.unit,
                label(o.status) + (f", {t('offers.unchecked')}" if o.needs_check(today) else ""),
            )
            for o in offers
        ]
        _print_table(("cli.col.id", "offers.field.name", "offers.field.provider", "offers.field.unit", "cli.col.status"), rows)
    return 0


def _choice(enum: type, text: str, error_key: str):
    aliases = {folded(k): v for k, v in value_aliases().items()}
    code = aliases.get(folded(text), folded(text))
    try:
        return enum(code)
    except ValueError:
        raise UserError(t(error_key, allowed=", ".join(m.value for m in enum))) from None


def cmd_import(service: PlanService, args: argparse.Namespace) -> int:
    path = args.file
    try:
        added, updated = service.catalogue.import_file(path)
    except CatalogueFileError as error:
        raise UserError(f"{path}: {file_error(error)}") from None
    except TableError as error:
        print(t("cli.catalogue_import_failed", file=path, count=len(error.errors)), file=sys.stderr)
        for item in error.errors[:ERRORS_SHOWN]:
            print(f"  {row_error(item)}", file=sys.stderr)
        if len(error.errors) > ERRORS_SHOWN:
            print(f"  {t('cli.catalogue_more_errors', count=len(error.errors) - ERRORS_SHOWN)}", file=sys.stderr)
        return 1
    print(t("cli.catalogue_imported", file=path, added=added, updated=updated))
    return 0


def cmd_export(service: PlanService, args: argparse.Namespace) -> int:
    out, kind = (args.json_out, "json") if args.json_out else (args.csv_out, "csv")
    if out.is_dir():
        out = out / f"insatskatalog.{kind}"
    try:
        written = service.catalogue.export(out, kind)
    except OSError as error:
        raise UserError(t("cli.file_unwritable", file=error.filename or out, reason=error.strerror or error)) from None
    print(t("cli.export_written", path=written))
    return 0
