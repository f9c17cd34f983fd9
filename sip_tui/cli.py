"""The ``sip-tui`` command. Exit codes: 0 ok, 1 user error (message on
stderr, never a traceback), 2 usage, 141 when whoever read the output
stopped reading (``sip-tui list | head -1``): quietly, as a command ended by
SIGPIPE would. Everything a command prints (an echoed id or file name, a
plan's name) passes through one filter that escapes control and bidi
characters: user text never drives the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar, cast

from . import __version__
from .describe import error_text, section_titles
from .i18n import LANGUAGES, choose_language, due_in_words, field_error, label, set_language, t
from .models.enums import PlanStatus
from .models.followup import PlanSummary, select
from .service import AmbiguousId, PlanService, create_service, local_now
from .settings import (
    is_database_url,
    load_settings,
    local_data_dir,
    preferences_path,
    settings_folder,
    store_location,
    store_path,
)
from .store import PlanStore, ScanResult, StoreError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID  # loaded only when a bar shows

    from .models.interchange import PlanDocument

LANG_ENV = "SIP_TUI_LANG"
CLOSED_PIPE_EXIT = 128 + 13  # 128 + SIGPIPE: what a shell reports for `yes | head -1`
# A progress bar (on a terminal) when a command reads at least this many files.
PROGRESS_MIN = 20
# Controls (escape sequences, carriage return; tab and newline are layout) and the
# bidi controls that reorder what follows them on the line.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
T = TypeVar("T")


class UserError(Exception):
    """Ends the command with exit code 1 and this message."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sip-tui", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"sip-tui {__version__}")
    parser.add_argument("--store", metavar="PATH", help=t("cli.opt.store"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.opt.lang"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    importer = commands.add_parser("import", help=t("cli.cmd.import"), description=t("cli.cmd.import"))
    importer.add_argument("files", nargs="+", metavar="FILE.json", type=Path, help=t("cli.opt.files"))
    importer.add_argument("--replace", action="store_true", help=t("cli.opt.replace"))

    exporter = commands.add_parser("export", help=t("cli.cmd.export"), description=t("cli.cmd.export"))
    exporter.add_argument("plan", metavar="PLAN", help=t("cli.opt.plan"))
    exporter.add_argument("--json", metavar="OUT", dest="json_out", help=t("cli.opt.json_out"))
    exporter.add_argument("--docx", metavar="OUT", dest="docx_out", help=t("cli.opt.docx_out"))
    exporter.add_argument("--ics", metavar="OUT", dest="ics_out", help=t("cli.opt.ics_out"))
    exporter.add_argument("--pdf", metavar="OUT", dest="pdf_out", help=t("cli.opt.pdf_out"))

    lister = commands.add_parser("list", help=t("cli.cmd.list"), description=t("cli.cmd.list"))
    lister.add_argument("--json", action="store_true", help=t("cli.opt.json"))

    followups = commands.add_parser("followups", help=t("cli.cmd.followups"), description=t("cli.cmd.followups"))
    followups.add_argument("--overdue", action="store_true", help=t("cli.opt.overdue"))
    followups.add_argument("--within", type=_non_negative, metavar="DAYS", help=t("cli.opt.within"))
    followups.add_argument("--json", action="store_true", help=t("cli.opt.json"))

    log = commands.add_parser("log", help=t("cli.cmd.log"), description=t("cli.cmd.log"))
    log.add_argument("plan", metavar="PLAN", help=t("cli.opt.plan"))
    log.add_argument("--json", action="store_true", help=t("cli.opt.json"))

    store = commands.add_parser("store", help=t("cli.cmd.store"), description=t("cli.cmd.store"))
    store_commands = store.add_subparsers(dest="store_command", metavar="COMMAND", required=True)
    store_commands.add_parser("init", help=t("cli.cmd.store_init"), description=t("cli.cmd.store_init"))
    copier = store_commands.add_parser("copy", help=t("cli.cmd.store_copy"), description=t("cli.cmd.store_copy"))
    copier.add_argument("source", metavar="FROM", help=t("cli.opt.copy_from"))
    copier.add_argument("target", metavar="TO", help=t("cli.opt.copy_to"))

    _add_catalogue_parser(commands)
    reporter = commands.add_parser("report", help=t("cli.cmd.report"), description=t("cli.cmd.report"))
    reporter.add_argument("--from", dest="start", type=_date_arg, metavar="DATE", help=t("cli.opt.from"))
    reporter.add_argument("--to", dest="end", type=_date_arg, metavar="DATE", help=t("cli.opt.to"))
    formats = reporter.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    formats.add_argument("--csv", metavar="OUT", dest="csv_out", help=t("cli.opt.csv_out"))
    formats.add_argument("--docx", metavar="OUT", dest="docx_out", help=t("cli.opt.report_docx"))

    commands.add_parser("demo", help=t("cli.cmd.demo"), description=t("cli.cmd.demo"))
    commands.add_parser("schema", help=t("cli.cmd.schema"), description=t("cli.cmd.schema"))
    return parser


def _add_catalogue_parser(commands: argparse._SubParsersAction) -> None:
    catalogue = commands.add_parser("catalogue", help=t("cli.cmd.catalogue"), description=t("cli.cmd.catalogue"))
    actions = catalogue.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)
    lister = actions.add_parser("list", help=t("cli.cmd.catalogue_list"), description=t("cli.cmd.catalogue_list"))
    lister.add_argument("--search", metavar="TEXT", default="", help=t("cli.opt.catalogue_search"))
    lister.add_argument("--area", metavar="AREA", help=t("cli.opt.catalogue_area"))
    lister.add_argument("--body", metavar="BODY", help=t("cli.opt.catalogue_body"))
    lister.add_argument("--json", action="store_true", help=t("cli.opt.json"))
    importer = actions.add_parser(
        "import", help=t("cli.cmd.catalogue_import"), description=t("cli.cmd.catalogue_import")
    )
    importer.add_argument("file", metavar="FILE", type=Path, help=t("cli.opt.catalogue_file"))
    exporter = actions.add_parser(
        "export", help=t("cli.cmd.catalogue_export"), description=t("cli.cmd.catalogue_export")
    )
    kind = exporter.add_mutually_exclusive_group(required=True)
    kind.add_argument("--json", metavar="OUT", dest="json_out", type=Path, help=t("cli.opt.catalogue_json"))
    kind.add_argument("--csv", metavar="OUT", dest="csv_out", type=Path, help=t("cli.opt.catalogue_csv"))


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(text) from None
    if value < 0:
        raise argparse.ArgumentTypeError(text)
    return value


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_date", value=text)) from None


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of ``name`` (``--lang en`` or ``--lang=en``), read before argparse:
    the language must be set before the help texts are made."""
    for index, arg in enumerate(argv):
        if arg == name and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _language(argv: Sequence[str]) -> str:
    """``--lang``, else ``SIP_TUI_LANG``, else the store's settings.json, else Swedish."""
    for choice in (_option(argv, "--lang"), os.environ.get(LANG_ENV)):
        if choice in LANGUAGES:
            return choice
    settings = load_settings(settings_folder(store_location(_option(argv, "--store"))))  # read only when needed
    return choose_language(settings.language)


class EscapingWriter(io.TextIOBase):
    """A text stream that writes control and bidi characters as ``\\uXXXX``:
    readable on a terminal and still valid inside JSON strings."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_UNSAFE_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


def _escaping(stream: TextIO) -> TextIO:
    return stream if isinstance(stream, EscapingWriter) else cast(TextIO, EscapingWriter(stream))


def _raw(stream: TextIO) -> TextIO:
    return stream.stream if isinstance(stream, EscapingWriter) else stream  # type: ignore[return-value]


@contextmanager
def _raw_output() -> Iterator[None]:
    """The real streams, for the TUI, which draws with escape codes of its own."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _raw(sys.stdout), _raw(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = streams


def main(argv: Sequence[str] | None = None, clock: Callable[[], dt.datetime] = local_now) -> int:
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(streams[0]), EscapingWriter(streams[1])
    try:
        code = _run(argv, clock)
        sys.stdout.flush()  # here, not at exit: a closed pipe is caught below
        return code
    except BrokenPipeError:
        _silence(streams[0])
        return CLOSED_PIPE_EXIT
    finally:
        sys.stdout, sys.stderr = streams


def _silence(stdout: TextIO) -> None:
    """The reader has gone: point stdout at the null device, so the flush at exit
    prints no "Exception ignored" message."""
    with suppress(OSError, ValueError):  # no file descriptor (tests capture stdout)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())


def _run(argv: Sequence[str] | None, clock: Callable[[], dt.datetime]) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_language(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.store is not None and not args.store.strip():
        parser.error(t("cli.store_empty"))  # else "" would quietly mean the default store
    if args.command == "schema":  # needs no store
        return cmd_schema()
    try:
        if args.command == "store":  # before opening the store: init makes it usable, copy names its own
            return cmd_store(args)
        store = open_store(store_location(args.store), check=args.command is not None)  # the app reaches the database itself
        for folder in store.folders_open_to_others():
            print(t("cli.store_open_to_others", path=folder), file=sys.stderr)
        if args.command is None:
            from .app import create_app, run_app  # Textual loads only for the TUI

            app = create_app(store, clock=clock, preferences=preferences_path(), exit_signals=True)
            with _raw_output():
                return run_app(app)  # 1 after an unexpected error
        return COMMANDS[args.command](create_service(store, clock=clock), args)
    except UserError as error:
        print(f"sip-tui: {error}", file=sys.stderr)
        return 1
    except StoreError as error:
        print(f"sip-tui: {error_text(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # stdout closed: main() ends quietly
        raise
    except OSError as error:
        print(f"sip-tui: {t('cli.file_unreadable', file=error.filename or '', reason=error.strerror)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"sip-tui: {t('cli.interrupted')}", file=sys.stderr)
        return 1


def open_store(location: str | None, check: bool = True):
    """The store at ``location``: a PostgreSQL database for a postgresql:// URL
    (psycopg loads only then; ``check``: reach it and check its schema now), else
    the folder (the default folder if None)."""
    if is_database_url(location):
        from .store.postgres import PostgresStore

        return PostgresStore(location, local_data_dir(), check_schema=check)
    root = store_path(location)
    if root.exists() and not root.is_dir():
        raise UserError(t("cli.store_not_folder", path=root))
    return PlanStore(root)


def cmd_store(args: argparse.Namespace) -> int:
    if args.store_command == "init":
        location = store_location(args.store)
        if not is_database_url(location):
            raise UserError(t("cli.store_init_folder"))
        from .store.postgres import init_schema

        before, now = init_schema(location)
        print(t("cli.store_init_done", version=now, before=before))
        return 0
    from .store.copy import copy_store

    with ProgressBar("cli.progress_copy") as progress:
        report = copy_store(open_store(args.source), open_store(args.target), progress)
    for plan_id, theirs, yours in report.newer_in_target:
        print(t("cli.copy_newer", file=plan_id, theirs=theirs, yours=yours), file=sys.stderr)
    for plan_id, theirs, yours in report.mismatched:
        print(t("cli.copy_mismatch", file=plan_id, theirs=theirs, yours=yours), file=sys.stderr)
    problems = _report_problems(report.errors)
    print(t("cli.copy_done", copied=len(report.copied), unchanged=len(report.unchanged)))
    return 1 if problems or report.newer_in_target or report.mismatched else 0


def cmd_log(service: PlanService, args: argparse.Namespace) -> int:
    entries = service.log(_resolve(service, args.plan))
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
    elif not entries:
        print(t("cli.no_log"))
    else:
        rows = [(e["at"][:16].replace("T", " "), e["by"], _log_action(e)) for e in entries]
        _print_table(("cli.col.when", "cli.col.who", "cli.col.what"), rows)
    return 0


def _log_action(entry: dict) -> str:
    """What an entry of the log did, the changed parts named as the plan names its sections."""
    if entry["action"] != "change":
        return t(f"log.{entry['action']}")
    if "created" in entry["what"]:  # and perhaps edited straight after, in the same entry
        return t("log.created")
    return t("log.changed", what=", ".join(section_titles(entry["what"])))


def cmd_import(service: PlanService, args: argparse.Namespace) -> int:
    from .models.interchange import DocumentError, parse_document  # the document model loads only to import
    from .store.store import ImportConflict, OlderImport

    failed = False
    for path in with_progress(args.files, "cli.progress_import"):
        try:
            document = parse_document(path.read_bytes())
            outcome = service.import_document(document, replace=args.replace)
        except OSError as error:
            print(t("cli.file_unreadable", file=path, reason=error.strerror), file=sys.stderr)
            failed = True
            continue
        except DocumentError as error:
            print(t("cli.import_failed", file=path, count=len(error.errors)), file=sys.stderr)
            for item in error.errors:
                message = field_error(item.code, item.detail, **item.context)
                print(f"  {item.path}: {message}", file=sys.stderr)
            failed = True
            continue
        except (ImportConflict, OlderImport) as error:  # based on an older save: list what differs, change nothing
            print(f"{path}: {error_text(error)}", file=sys.stderr)
            _print_conflicts(service, document)
            failed = True
            continue
        except StoreError as error:  # e.g. an agreed version that differs: report it, go on with the next file
            print(f"{path}: {error_text(error)}", file=sys.stderr)
            failed = True
            continue
        if outcome.is_new:
            action = t("cli.import_added")
        else:
            action = t("cli.import_unchanged") if outcome.unchanged else t("cli.import_updated")
        print(t("cli.import_ok", file=path, action=action))
        if outcome.kept:
            print(t("cli.import_replaced", path=outcome.kept))
    return 1 if failed else 0


def _print_conflicts(service: PlanService, document: PlanDocument) -> None:
    """The fields an import refused as based on an older save would change: paths
    in the file only, no values (the terminal may be on a shared screen)."""
    conflicts = service.import_conflicts(document)
    if not conflicts:
        return
    print(t("cli.import_conflict_fields"), file=sys.stderr)
    for conflict in conflicts:
        print(f"    {conflict.path}", file=sys.stderr)
    print(t("cli.import_conflict_choose"), file=sys.stderr)


def cmd_export(service: PlanService, args: argparse.Namespace) -> int:
    from .export.text import ExportError  # python-docx loads only for a Word file

    if not (args.json_out or args.docx_out or args.ics_out or args.pdf_out):
        raise UserError(t("cli.export_nothing"))
    plan_id = _resolve(service, args.plan)
    plan = service.open(plan_id)
    # Each OUT is a file, or an existing folder to get the default file name
    # (SIP-<first name>-<date>-v<N>-<id>.<ext>). Files are written owner-only.
    jobs: list[tuple[Path, Callable[[Path], Path | None]]] = []
    if args.json_out:
        jobs.append((args.json_out, lambda out: service.export_json_file(plan, out)))
    if args.docx_out:
        jobs.append((args.docx_out, lambda out: service.export_docx(plan, out)))
    if args.pdf_out:
        jobs.append((args.pdf_out, lambda out: service.export_pdf(plan, out)))
    if args.ics_out:
        # A cancellation for a follow-up that moved or a plan that closed goes first:
        # a closed plan or a passed date then gives a message, never a silent invite.
        jobs.append((args.ics_out, lambda out: service.export_ics_cancellation(plan, out)))
        jobs.append((args.ics_out, lambda out: service.export_ics(plan, out)))
    for out, write in jobs:
        try:
            written = write(out)
        except OSError as error:
            raise UserError(
                t("cli.file_unwritable", file=error.filename or out, reason=error.strerror or error)
            ) from None
        except ExportError as error:  # a catalogue message in the UI language
            raise UserError(str(error)) from None
        if written is not None:
            print(t("cli.export_written", path=written))
    return 0


def _resolve(service: PlanService, prefix: str) -> str:
    try:
        return service.resolve_id(prefix)
    except AmbiguousId:
        raise UserError(t("cli.plan_ambiguous", prefix=prefix)) from None


def cmd_list(service: PlanService, args: argparse.Namespace) -> int:
    result = _scan(service)
    summaries = sorted(result.summaries, key=lambda s: s.name.casefold())
    if args.json:
        print(json.dumps([s.to_json() for s in summaries], ensure_ascii=False, indent=2))
    elif not summaries:
        print(t("cli.no_plans"))
    else:
        rows = [(s.id[:8], s.name, _status(s), str(s.version or "–"), _date(s.followup_date)) for s in summaries]
        _print_table(("cli.col.id", "cli.col.name", "cli.col.status", "cli.col.version", "cli.col.followup"), rows)
    damaged = _report_damaged(summaries)
    return _report_problems(result.errors) or damaged


def _status(summary: PlanSummary) -> str:
    if not summary.damaged:
        return label(PlanStatus(summary.status))
    try:
        return f"{label(PlanStatus(summary.status))}, {t('cli.damaged')}"
    except ValueError:  # the damage may be the status itself
        return t("cli.damaged")


def _report_damaged(summaries: list[PlanSummary]) -> int:
    """Plans that are listed but will not open: named by file (a random id), never by the person."""
    damaged = [s for s in summaries if s.damaged]
    if not damaged:
        return 0
    print(t("cli.damaged_plans", count=len(damaged)), file=sys.stderr)
    for summary in damaged:
        print(f"  {summary.id}.json", file=sys.stderr)
    return 1


def _scan(service: PlanService) -> ScanResult:
    with ProgressBar("cli.progress_scan") as progress:
        return service.scan(progress)


def cmd_followups(service: PlanService, args: argparse.Namespace) -> int:
    with ProgressBar("cli.progress_scan") as progress:
        result = service.scan_followups(progress)
    entries = select(service.followups(result.summaries), overdue_only=args.overdue, within=args.within)
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
    elif not entries:
        print(t("cli.no_followups"))
    else:
        rows = [
            (
                label(e.group),
                due_in_words(e.days),
                _date(e.plan.followup_date),
                e.plan.name,
                e.plan.coordinator,
                e.plan.id[:8],
            )
            for e in entries
        ]
        _print_table(
            ("cli.col.status", "cli.col.when", "cli.col.followup", "cli.col.name", "cli.col.coordinator", "cli.col.id"),
            rows,
        )
    return _report_problems(result.errors)


def cmd_catalogue(service: PlanService, args: argparse.Namespace) -> int:
    from . import offer_cli  # the insats catalogue's commands

    return offer_cli.run(service, args)


def cmd_report(service: PlanService, args: argparse.Namespace) -> int:
    """Anonymous counts only: no plan is named, not even a damaged one (see `sip-tui list`)."""
    from .export.report import text_lines
    from .export.text import ExportError

    if args.start and args.end and args.start > args.end:
        raise UserError(t("cli.period_reversed"))
    result = _scan(service)
    report = service.report(result.summaries, args.start, args.end)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif args.csv_out or args.docx_out:
        kind, out = ("csv", args.csv_out) if args.csv_out else ("docx", args.docx_out)
        try:
            written = service.export_report(report, out, kind)
        except OSError as error:
            raise UserError(t("cli.file_unwritable", file=error.filename or out, reason=error.strerror or error)) from None
        except ExportError as error:
            raise UserError(str(error)) from None
        print(t("cli.export_written", path=written))
    else:
        print("\n".join(text_lines(report)))
    return _report_problems(result.errors)


def cmd_demo(service: PlanService, args: argparse.Namespace) -> int:
    from .demo import load_demo

    count = load_demo(service)
    print(t("cli.demo_done", count=count, store=getattr(service.store, "display", service.store.root)))
    return 0


def cmd_schema() -> int:
    from .models.interchange import schema

    print(json.dumps(schema(), ensure_ascii=False, indent=2))
    return 0


class ProgressBar:
    """Called as ``progress(done, total)``: a transient bar on stderr for a long
    run (``PROGRESS_MIN`` items or more), only when stderr is a terminal, never
    in a pipe or a log. Rich loads only then."""

    def __init__(self, key: str) -> None:
        self.key = key
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if total < PROGRESS_MIN or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            # While the bar shows, rich prints what goes to stderr (and to stdout, if that
            # is the terminal too) above it; a piped stdout is left alone.
            console = Console(file=_raw(sys.stderr))
            self._bar = Progress(console=console, transient=True, redirect_stdout=sys.stdout.isatty())
            self._task = self._bar.add_task(t(self.key), total=total)
            self._bar.start()  # replaces sys.stdout/stderr with rich's proxies, restored by stop()
            sys.stdout, sys.stderr = _escaping(sys.stdout), _escaping(sys.stderr)
        if self._task is not None:
            self._bar.update(self._task, completed=done)

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def with_progress(items: Sequence[T], key: str) -> Iterator[T]:
    """``items`` one by one, with a ProgressBar while they are worked on."""
    with ProgressBar(key) as progress:
        for done, item in enumerate(items):
            progress(done, len(items))
            yield item
        progress(len(items), len(items))


COMMANDS: dict[str, Callable[[PlanService, argparse.Namespace], int]] = {
    "import": cmd_import,
    "export": cmd_export,
    "list": cmd_list,
    "followups": cmd_followups,
    "log": cmd_log,
    "report": cmd_report,
    "demo": cmd_demo,
    "catalogue": cmd_catalogue,
}


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _print_table(header_keys: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> None:
    header = tuple(t(key) for key in header_keys)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _report_problems(errors: list[StoreError]) -> int:
    if not errors:
        return 0
    print(t("cli.store_problems", count=len(errors)), file=sys.stderr)
    for error in errors:
        print(f"  {error_text(error)}", file=sys.stderr)
    return 1
