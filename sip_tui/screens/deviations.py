"""The deviation overview (outside meeting mode): deviations across every
plan, replies overdue first, filtered by agency and category; Enter handles
the chosen one (send to the unit, record the answer, close, systemfel).

It shows no names: a deviation is about the cooperation, and its row names
the category, agency and unit only."""

from __future__ import annotations

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Footer, Label, Select, Static, TextArea

from ..describe import error_text
from ..i18n import field_error, label, t
from ..models.deviations import DeviationError, reply_overdue, select_deviations
from ..models.enums import DEVIATION_CATEGORIES, Body, DeviationStatus, DeviationType
from ..models.facts import DeviationFacts
from ..models.followup import PlanSummary
from ..service import StoreError
from ..widgets.fields import TypedArea
from ..widgets.literal import literal
from .commands import BACK_HOME, CANCEL, CommandScreen, CommandTable


def _label(enum: type, code: str) -> str:
    try:
        return label(enum(code))
    except ValueError:  # a hand-edited code
        return code


class DeviationsScreen(CommandScreen[None]):
    DEFAULT_CSS = """
    DeviationsScreen #deviation-filters { height: auto; }
    DeviationsScreen #deviation-filters Select { width: 34; }
    DeviationsScreen #deviation-table { height: 1fr; }
    """
    COMMAND_TABLE = CommandTable(BACK_HOME)
    BINDINGS = COMMAND_TABLE.bindings()
    summaries: list[PlanSummary] | None = None

    def compose(self) -> ComposeResult:
        yield Label(t("deviations.title"), classes="section-title")
        yield Static(t("deviations.intro"), classes="hint")
        with Horizontal(id="deviation-filters"):
            yield Select([(label(b), b.value) for b in Body], prompt=t("deviations.all_bodies"), id="filter-body", compact=True)
            yield Select(
                [(label(c), c.value) for c in DEVIATION_CATEGORIES], prompt=t("deviations.all_types"), id="filter-type", compact=True
            )
            yield Checkbox(t("deviations.only_open"), True, id="filter-open", compact=True)
            yield Checkbox(t("deviations.only_overdue"), False, id="filter-overdue", compact=True)
        yield Static("", id="deviation-counts")
        table = DataTable(id="deviation-table", cursor_type="row", zebra_stripes=True)
        cols = ("date", "type", "body", "unit", "status", "reply_by")
        table.add_columns(*(t(f"deviations.col.{c}") for c in cols))
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_list()

    @work(thread=True, exclusive=True, group="deviations")
    def refresh_list(self) -> None:
        try:
            summaries = self.app.service.scan().summaries  # type: ignore[attr-defined]
        except StoreError as error:  # a team's database out of reach: said here, the app stays
            self.app.call_from_thread(self.notify, error_text(error), severity="error", markup=False, timeout=12)
        else:
            self.app.call_from_thread(self._loaded, summaries)

    def _loaded(self, summaries: list[PlanSummary]) -> None:
        self.summaries = summaries
        self._fill()

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self._fill()

    def _fill(self) -> None:
        if self.summaries is None:
            return
        today = self.app.service.today()  # type: ignore[attr-defined]
        body = self.query_one("#filter-body", Select).value
        category = self.query_one("#filter-type", Select).value
        rows = select_deviations(
            self.summaries,
            today,
            body=None if body is Select.NULL else str(body),
            category=None if category is Select.NULL else str(category),
            only_open=self.query_one("#filter-open", Checkbox).value,
            only_overdue=self.query_one("#filter-overdue", Checkbox).value,
        )
        table = self.query_one("#deviation-table", DataTable)
        table.clear()
        for plan_id, d in rows:
            status = _label(DeviationStatus, d.status)
            if reply_overdue(d.status, d.reply_by, today):
                status = f"{status} {t('deviations.overdue')}"
            cells = (d.date or "–", _label(DeviationType, d.type), _label(Body, d.body), literal(d.unit or "–"), status, d.reply_by or "–")
            table.add_row(*cells, key=f"{plan_id}:{d.id}")
        every = [d for s in self.summaries for d in s.facts.deviations]
        self.query_one("#deviation-counts", Static).update(
            t(
                "deviations.counts",
                open=sum(d.status != DeviationStatus.CLOSED for d in every),
                overdue=sum(reply_overdue(d.status, d.reply_by, today) for d in every),
                total=len(every),
            )
            if rows
            else t("deviations.none")
        )

    @on(DataTable.RowSelected, "#deviation-table")
    def _handle(self, event: DataTable.RowSelected) -> None:
        plan_id, deviation_id = str(event.row_key.value).split(":")
        deviation = next(
            d for s in self.summaries or [] if s.id == plan_id for d in s.facts.deviations if d.id == deviation_id
        )
        self.app.push_screen(DeviationDialog(plan_id, deviation), lambda _: self.refresh_list())

    def action_back(self) -> None:
        self.app.pop_screen()


class DeviationDialog(ModalScreen[None], CommandScreen[None]):
    """The next step of one deviation's process."""

    DEFAULT_CSS = """
    DeviationDialog { align: center middle; }
    DeviationDialog .dialog { max-width: 80; height: auto; }
    DeviationDialog #deviation-answer { height: 5; }
    """
    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()

    def __init__(self, plan_id: str, deviation: DeviationFacts) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.deviation = deviation

    def compose(self) -> ComposeResult:
        d = self.deviation
        with VerticalScroll(classes="dialog"):
            yield Label(f"{_label(DeviationType, d.type)} · {_label(Body, d.body)}", classes="dialog-title")
            yield Static(literal(f"{t('deviations.col.status')}: {_label(DeviationStatus, d.status)}"), id="deviation-state")
            if d.status == DeviationStatus.SENT:
                area = TypedArea(id="deviation-answer")  # a pasted answer keeps no control characters
                area.border_title = t("field.deviations.answer")
                yield area
            yield Static("", id="deviation-error", classes="error")
            with Horizontal(classes="dialog-buttons"):
                if d.status == DeviationStatus.REGISTERED:
                    yield Button(t("deviations.send"), id="deviation-send", variant="primary")
                if d.status == DeviationStatus.SENT:
                    yield Button(t("deviations.answer"), id="deviation-answer-button", variant="primary")
                if d.status == DeviationStatus.ANSWERED:
                    yield Button(t("deviations.close"), id="deviation-close", variant="primary")
                yield Checkbox(t("deviations.systemfel"), d.systemfel, id="deviation-systemfel")
                yield Button(t("app.cancel"), id="deviation-cancel")

    @on(Button.Pressed, "#deviation-send")
    def _send(self) -> None:
        self._step("send")

    @on(Button.Pressed, "#deviation-answer-button")
    def _answer(self) -> None:
        self._step("answer", self.query_one("#deviation-answer", TextArea).text)

    @on(Button.Pressed, "#deviation-close")
    def _close(self) -> None:
        self._step("close")

    @on(Checkbox.Changed, "#deviation-systemfel")
    def _systemfel(self, event: Checkbox.Changed) -> None:
        try:
            self.app.service.mark_systemfel(self.plan_id, self.deviation.id, event.value)  # type: ignore[attr-defined]
        except StoreError as error:
            self._error(error_text(error))

    def _step(self, step: str, answer: str = "") -> None:
        try:
            changed = self.app.service.advance_deviation(self.plan_id, self.deviation.id, step, answer)  # type: ignore[attr-defined]
        except DeviationError as error:
            self._error(t(f"deviation.error.{error.code}"))
            return
        except StoreError as error:
            self._error(error_text(error))
            return
        except ValidationError as error:  # the answer: too long (its text is never shown)
            first = error.errors(include_url=False)[0]
            self._error(field_error(first["type"], first["msg"], **dict(first.get("ctx") or {})))
            return
        self.app.notify(t("deviations.done", status=label(changed.status)))
        self.dismiss(None)

    def _error(self, message: str) -> None:
        self.query_one("#deviation-error", Static).update(literal("⚠ " + message))

    @on(Button.Pressed, "#deviation-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
