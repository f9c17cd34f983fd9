"""The insats catalogue ("Kartoteket") on screen.

- ``OfferPicker``: search-as-you-type over the catalogue inside a new insats's
  dialog (step 5). Choosing an entry copies what, body, unit and contact into
  the insats and records the entry (``Insats.source``): the plan keeps its own
  copy, so a later catalogue edit never changes it.
- ``UsedBefore``: type-ahead for unit and contact from earlier plans and the catalogue.
- ``CatalogueScreen`` and ``OfferFormScreen``: browse, search, add, edit and
  retire entries, outside meeting mode. An entry shows how many plans chose
  it, never which.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.events import Blur, Click, Focus, Key
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.suggester import Suggester
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, SelectionList, Static, TextArea

from ..describe import error_text
from ..i18n import label, t
from ..models.enums import LifeArea
from ..models.offer import Offer, OfferStatus, Provider, SearchContext, age_on, insats_fields
from ..models.plan import OfferSource
from ..service import StoreError
from ..widgets.fields import HARMLESS, Check, TypedInput, as_text, widget_id
from ..widgets.literal import literal, literal_text, plain
from .commands import CANCEL, Command, CommandScreen, CommandTable
from .dialogs import ConfirmScreen, FileImportScreen
from .items import short, short_label

if TYPE_CHECKING:
    from ..meeting import MeetingSession

PICKER_MATCHES = 8  # options shown under the search: what fits a dialog at 80x24


def describe(offer: Offer) -> str:
    """One line for a match: name · unit · provider (· paused)."""
    parts = [offer.name, offer.unit, short_label(offer.provider)]
    if offer.status != OfferStatus.ACTIVE:
        parts.append(label(offer.status).lower())
    return " · ".join(part for part in parts if part)


def search_context(session: MeetingSession, insats_id: str) -> SearchContext:
    """The life areas of the needs this insats is for (then of the plan's other needs) and the person's age."""
    plan = session.plan
    insats = next((i for i in plan.insatser if i.id == insats_id), None)
    linked_ids = set(insats.need_ids) if insats else set()
    linked = frozenset(n.area for n in plan.needs if n.id in linked_ids)
    other = frozenset(n.area for n in plan.needs) - linked
    age = age_on(plan.person.personnummer, plan.meeting.date or session.service.today())
    return SearchContext(linked=linked, other=other, age=age)


class OfferSearch(TypedInput):
    """The picker's search box. Matches follow the value as it changes, not a
    later message: a Tab typed right behind the text finds the list already
    there (the input gate lets text through at once).

    Its scrollable width follows the text without a layout: Input's own
    ``virtual_size`` is a layout reactive, and each key typed would re-lay-out
    the whole dialog (a one-line box's width never depends on its text)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def watch_value(self, value: str) -> None:
        picker = self.parent
        if isinstance(picker, OfferPicker):
            picker.show_matches(value)

    def _on_key(self, event: Key) -> None:
        if event.key == "down":
            matches = self.screen.query_one("#offer-matches", OfferMatches)
            if matches.allow_focus():
                event.stop()
                event.prevent_default()
                matches.focus()


class OfferMatches(Widget, can_focus=True):
    """The best matches under the search, one line each. Always the same height
    and always displayed, and it paints its own lines: a key typed in the search
    repaints these lines and nothing else. (An OptionList that changes its
    options, size or display re-lays-out the whole dialog on every key.)
    Focusable only while it shows matches, so Tab from a blank search goes on
    to the free-text field."""

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("home", "move(-1000)", show=False),
        Binding("end", "move(1000)", show=False),
        Binding("enter", "choose", show=False),
    ]
    COMPONENT_CLASSES = {"offer-matches--highlight", "offer-matches--note"}
    DEFAULT_CSS = """
    OfferMatches > .offer-matches--highlight { background: $block-cursor-blurred-background; }
    OfferMatches:focus > .offer-matches--highlight {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: bold;
    }
    OfferMatches > .offer-matches--note { color: $text-muted; }
    """

    class Chosen(Message):
        def __init__(self, offer: Offer) -> None:
            super().__init__()
            self.offer = offer

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.styles.height = PICKER_MATCHES
        self.offers: list[Offer] = []
        self.lines: list[str] = []
        self.note = ""
        self.cursor = 0

    def show(self, offers: list[Offer], note: str = "") -> None:
        """Show these entries (best first) with the first highlighted, or ``note`` when there are none."""
        self.offers = offers
        self.lines = [plain(describe(offer)) for offer in offers]
        self.note = note
        self.cursor = 0
        self.refresh()

    def allow_focus(self) -> bool:
        return bool(self.offers)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The styles are worked out once for the lines asked for, not once a line.
        base = self.rich_style
        styles = {
            "highlight": base + self.get_component_rich_style("offer-matches--highlight"),
            "note": base + self.get_component_rich_style("offer-matches--note"),
        }
        return [self._line(y, base, styles) for y in range(crop.y, crop.bottom)]

    def _line(self, y: int, base: Style, styles: dict[str, Style]) -> Strip:
        width = self.size.width
        if y < len(self.lines):
            text, style = self.lines[y], styles["highlight"] if y == self.cursor else base
        elif y == 0 and self.note:
            text, style = self.note, styles["note"]
        else:
            return Strip.blank(width, base)
        return Strip([Segment(f" {text}", style)]).adjust_cell_length(width, style)

    def action_move(self, step: int) -> None:
        if step == -1 and self.cursor == 0:
            self.screen.focus_previous()  # back up into the search
            return
        self.cursor = max(0, min(len(self.offers) - 1, self.cursor + step))
        self.refresh()

    def action_choose(self) -> None:
        if self.offers:
            self.post_message(self.Chosen(self.offers[self.cursor]))

    def _on_click(self, event: Click) -> None:
        line = event.get_content_offset(self)
        if line is not None and line.y < len(self.offers):
            self.cursor = line.y
            self.action_choose()

    def _on_focus(self, event: Focus) -> None:
        self.refresh()

    def _on_blur(self, event: Blur) -> None:
        self.refresh()


class OfferPicker(Vertical):
    """Search the catalogue and fill the insats ``insats_id`` from the chosen entry."""

    DEFAULT_CSS = """
    OfferPicker { height: auto; margin: 0 1 1 0; }
    OfferPicker > Label { color: $text-muted; }
    OfferPicker > #offer-chosen { color: $success; height: 1; }
    """

    def __init__(self, insats_id: str) -> None:
        super().__init__(id="offer-picker")
        self.insats_id = insats_id
        self.matches: list[Offer] = []
        self.shown = OfferMatches(id="offer-matches")

    def compose(self) -> ComposeResult:
        yield Label(t("offers.picker_label"))
        yield OfferSearch(
            placeholder=t("offers.picker_placeholder"), id="offer-search", compact=True, highlighter=HARMLESS
        )
        yield self.shown
        yield Static("", id="offer-chosen")

    def on_mount(self) -> None:
        catalogue = self.app.service.catalogue  # type: ignore[attr-defined]
        try:
            catalogue.index()
        except StoreError as error:
            message = error_text(error)
            self.query_one("#offer-chosen", Static).update(literal(t("offers.load_failed", message=message)))
        self.app.run_worker(catalogue.history, thread=True, group="insats-history")  # for UsedBefore
        self.call_after_refresh(self._prepare)

    def _prepare(self) -> None:
        """Work out this meeting's part of the ranking once the dialog is painted,
        not on the first key; then, off the UI thread, every first key's matches."""
        session = self.app.session  # type: ignore[attr-defined]
        if session is None:
            return
        try:
            index = self.app.service.catalogue.index()  # type: ignore[attr-defined]
        except StoreError:
            return
        context = search_context(session, self.insats_id)
        index.search("", context, limit=1)
        prepare = partial(index.prepare_first_keys, context, PICKER_MATCHES)
        self.run_worker(prepare, thread=True, group="offer-first-keys", exit_on_error=False)

    def show_matches(self, text: str) -> None:
        """The best matches for ``text``, painted in the list's own lines (no layout)."""
        wanted = text.strip()
        self.matches = self._search(text) if wanted else []
        self.shown.show(self.matches, t("offers.picker_none") if wanted and not self.matches else "")

    def _search(self, text: str) -> list[Offer]:
        try:
            index = self.app.service.catalogue.index()  # type: ignore[attr-defined]
        except StoreError:
            return []
        context = search_context(self.app.session, self.insats_id)  # type: ignore[attr-defined]
        return index.search(text, context, limit=PICKER_MATCHES)

    @on(Input.Submitted, "#offer-search")
    def _choose_first(self, event: Input.Submitted) -> None:
        """Enter in the search takes the best match (it is the first shown); with no
        match the text typed becomes the insats, as free text. Never closes the dialog."""
        event.stop()
        if self.matches:
            self.choose(self.matches[0])
        elif event.value.strip():
            self.write_freely(event.value.strip())

    def write_freely(self, text: str) -> None:
        form: Any = self.screen
        path = f"insatser.{self.insats_id}.what"
        form.apply(path, text)
        _show_value(self.screen, path, text)
        for what in self.screen.query(f"#{widget_id(path)}"):
            what.focus()

    @on(OfferMatches.Chosen)
    def _chosen(self, event: OfferMatches.Chosen) -> None:
        event.stop()
        self.choose(event.offer)

    def choose(self, offer: Offer) -> None:
        """Copy the entry into the insats, through the form like typed values, and record where it came from."""
        form: Any = self.screen
        session = self.app.session  # type: ignore[attr-defined]
        base = f"insatser.{self.insats_id}"
        for name, value in insats_fields(offer).items():
            path = f"{base}.{name}"
            form.apply(path, getattr(value, "value", value))
            _show_value(self.screen, path, value)
        source = OfferSource(offer_id=offer.id, name=offer.name, chosen_on=session.service.today())
        form.apply(f"{base}.source", source)
        search = self.query_one("#offer-search", Input)
        with search.prevent(Input.Changed):
            search.value = ""
        self.query_one("#offer-chosen", Static).update(literal(t("offers.chosen", name=offer.name)))
        for start in self.screen.query(f"#{widget_id(base + '.start')}"):
            start.focus()


def _show_value(screen: Screen, path: str, value: object) -> None:
    """Put a value chosen from the catalogue into its field without an echo edit."""
    for widget in screen.query(f"#{widget_id(path)}"):
        if isinstance(widget, TextArea):
            with widget.prevent(TextArea.Changed):
                widget.text = str(value)
        elif isinstance(widget, Select):
            with widget.prevent(Select.Changed):
                widget.value = getattr(value, "value", value)
        elif isinstance(widget, Input):
            with widget.prevent(Input.Changed):
                widget.value = str(value)


class UsedBefore(Suggester):
    """Completes a unit or a contact from earlier plans and the catalogue
    (→ or End takes it). Earlier plans count once they have been read."""

    def __init__(self, app: Any, kind: str) -> None:
        super().__init__(use_cache=False, case_sensitive=False)
        self.app, self.kind = app, kind

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            return None
        catalogue = self.app.service.catalogue
        history = catalogue.cached_history()
        known = list(getattr(history, f"{self.kind}s", [])) if history else []
        try:
            offers = catalogue.index().offers
        except StoreError:
            offers = []
        known += [o.unit if self.kind == "unit" else o.contact for o in offers]
        wanted = value.casefold()
        return next((k for k in known if k.casefold().startswith(wanted) and len(k) > len(value)), None)


# -- the catalogue screen ------------------------------------------------------


CATALOGUE_COMMANDS = CommandTable(
    Command("add", "offers.new", "offers.cmd.add_help", key="ctrl+n", footer="offers.key.add", id="offer-add"),
    Command(
        "import",
        "offers.import.title",
        "cli.cmd.catalogue_import",
        key="ctrl+o",
        footer="offers.key.import",
        id="offer-import-key",
    ),
    Command("retire", "offers.key.retire", "offers.cmd.retire_help", key="delete", palette=False, id="offer-retire"),
    Command("search", "offers.key.search", "offers.cmd.search_help", key="slash", palette=False, id="offer-search-key"),
    Command("back", "offers.key.back", "offers.cmd.back_help", key="escape", id="offer-back"),
)


class CatalogueScreen(CommandScreen[None]):
    COMMAND_TABLE = CATALOGUE_COMMANDS
    BINDINGS = CATALOGUE_COMMANDS.bindings()
    DEFAULT_CSS = """
    CatalogueScreen { padding: 0 1; }
    CatalogueScreen #offer-title { text-style: bold; margin: 1 0 0 0; }
    CatalogueScreen #offer-count { color: $text-muted; }
    CatalogueScreen #offer-import { margin: 0 0 1 0; }
    CatalogueScreen DataTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.offers: list[Offer] = []
        self.plans_by_offer: dict[str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Label(t("offers.title"), id="offer-title")
        yield Input(placeholder=t("offers.search_placeholder"), id="offer-filter", compact=True, highlighter=HARMLESS)
        yield Static("", id="offer-count")
        yield Button(t("offers.import.button"), id="offer-import", compact=True)
        yield DataTable(id="offer-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#offer-table", DataTable).focus()
        self._count_plans()

    @work(thread=True, exclusive=True, group="offer-usage")
    def _count_plans(self) -> None:
        history = self.app.service.catalogue.history(refresh=True)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show_usage, dict(history.plans_by_offer))

    def _show_usage(self, counts: dict[str, int]) -> None:
        self.plans_by_offer = counts
        self.fill()

    def reload(self) -> None:
        try:
            self.offers = self.app.service.catalogue.index(refresh=True).offers  # type: ignore[attr-defined]
        except StoreError as error:
            self.offers = []
            self.notify(error_text(error), severity="error", markup=False)
        self.fill()

    @on(Input.Changed, "#offer-filter")
    def _filter(self) -> None:
        self.fill()

    def shown(self) -> list[Offer]:
        text = self.query_one("#offer-filter", Input).value
        if not text.strip():
            return sorted(self.offers, key=lambda o: (o.status == OfferStatus.ENDED, o.name.casefold()))
        return self.app.service.catalogue.index().search(text)  # type: ignore[attr-defined]

    def fill(self) -> None:
        table = self.query_one("#offer-table", DataTable)
        cursor = table.cursor_row
        table.clear(columns=True)
        for key in ("offers.field.name", "offers.field.provider", "offers.field.unit", "offers.col.areas"):
            table.add_column(t(key))
        for key in ("offers.field.status", "offers.col.checked", "offers.col.plans"):
            table.add_column(t(key))
        today = self.app.service.today()  # type: ignore[attr-defined]
        offers = self.shown()
        for offer in offers:
            checked = as_text(offer.last_checked) or "–"
            if offer.needs_check(today):
                checked = f"{t('offers.unchecked_mark')} {checked}"
            plans = "…" if self.plans_by_offer is None else str(self.plans_by_offer.get(offer.id, 0))
            cells = (
                short(offer.name, 40),
                short_label(offer.provider),
                short(offer.unit, 30),
                short(", ".join(label(a) for a in offer.life_areas), 24),
                label(offer.status),
                checked,
                plans,
            )
            table.add_row(*(literal_text(c, multiline=False) for c in cells), key=offer.id)
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1), scroll=False)
        unchecked = sum(1 for o in self.offers if o.needs_check(today) and o.status != OfferStatus.ENDED)
        count = t("offers.count", shown=len(offers), total=len(self.offers))
        if unchecked:
            count += " · " + t("offers.count_unchecked", count=unchecked)
        self.query_one("#offer-count", Static).update(count)

    def _current(self) -> Offer | None:
        table = self.query_one("#offer-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return next((o for o in self.offers if o.id == row_key.value), None)

    @on(DataTable.RowSelected, "#offer-table")
    def _edit(self, event: DataTable.RowSelected) -> None:
        offer = next((o for o in self.offers if o.id == event.row_key.value), None)
        if offer is not None:
            self._open_form(offer)

    def action_add(self) -> None:
        self._open_form(None)

    def _open_form(self, offer: Offer | None) -> None:
        used = None if self.plans_by_offer is None or offer is None else self.plans_by_offer.get(offer.id, 0)

        def closed(saved: bool | None) -> None:
            if saved:
                self.reload()
            self.query_one("#offer-table", DataTable).focus()

        self.app.push_screen(OfferFormScreen(offer, used), closed)

    @on(Button.Pressed, "#offer-import")
    def action_import(self) -> None:
        def closed(counts: tuple[int, int] | None) -> None:
            if counts is not None:
                added, updated = counts
                self.notify(t("offers.import.done", added=added, updated=updated))
                self.reload()
            self.query_one("#offer-table", DataTable).focus()

        self.app.push_screen(ImportOffersScreen(), closed)

    def action_retire(self) -> None:
        offer = self._current()
        if offer is None or offer.status == OfferStatus.ENDED or isinstance(self.focused, Input):
            return

        def answered(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.app.service.catalogue.retire(offer.id)  # type: ignore[attr-defined]
            except StoreError as error:
                self.notify(error_text(error), severity="error", markup=False)
                return
            self.notify(t("offers.retired"))
            self.reload()

        question = t("offers.confirm_retire", name=short(offer.name, 60))
        self.app.push_screen(ConfirmScreen(question, t("offers.retire"), t("offers.keep")), answered)

    def action_search(self) -> None:
        self.query_one("#offer-filter", Input).focus()

    def action_back(self) -> None:
        filter_box = self.query_one("#offer-filter", Input)
        if self.focused is filter_box and filter_box.value:
            filter_box.value = ""
            return
        self.app.pop_screen()



class ImportOffersScreen(FileImportScreen["tuple[int, int] | None"]):
    """Read entries from a file the facilitator names: JSON, CSV or .xlsx.
    Every row is checked first; with a single error nothing changes and each
    error is listed by row and column. Dismissed with (added, updated)."""

    IDS = "offer-import"
    TITLE_KEY, HINT_KEY, PLACEHOLDER_KEY = "offers.import.title", "offers.import.hint", "offers.import.placeholder"

    def read(self, typed: str) -> tuple[int, int]:
        return self.app.service.catalogue.import_typed(typed)  # type: ignore[attr-defined]


_TEXT_FIELDS = (
    "name",
    "unit",
    "target_group",
    "referral",
    "requirements",
    "contact_name",
    "phone",
    "email",
    "address",
    "languages",
    "cost",
    "area_served",
)
_NUMBER_FIELDS = ("age_min", "age_max")
_DATE_FIELDS = ("ends_on", "last_checked")


class OfferFormScreen(ModalScreen[bool], CommandScreen[bool]):
    """Add or edit one catalogue entry; Spara checks every field first. Dismissed with True when saved."""

    COMMAND_TABLE = CommandTable(CANCEL)
    BINDINGS = COMMAND_TABLE.bindings()
    DEFAULT_CSS = """
    OfferFormScreen .offer-error { color: $error; }
    OfferFormScreen SelectionList { height: auto; max-height: 8; }
    """

    def __init__(self, offer: Offer | None, used_in: int | None) -> None:
        super().__init__()
        self.offer = offer
        self.used_in = used_in

    def compose(self) -> ComposeResult:
        offer = self.offer or Offer(name="-", last_checked=None)
        values = offer.model_dump() if self.offer else {"life_areas": [], "status": OfferStatus.ACTIVE}
        with VerticalScroll(classes="dialog item-form", can_focus=False):
            yield Label(t("offers.edit") if self.offer else t("offers.new"), classes="dialog-title")
            if self.offer is not None:
                usage = t("offers.used_unknown") if self.used_in is None else t("offers.used_in", count=self.used_in)
                yield Label(usage, classes="hint")
            yield self._input("name", values)
            with Grid(classes="form-grid"):
                yield self._select("provider", list(Provider), values.get("provider", Provider.KOMMUN))
                yield self._input("unit", values)
                yield self._select("status", list(OfferStatus), values.get("status", OfferStatus.ACTIVE))
                for name in _TEXT_FIELDS[2:] + _NUMBER_FIELDS + _DATE_FIELDS:
                    yield self._input(name, values)
            yield Label(t("offers.field.description"))
            area = TextArea(values.get("description", "") or "", id="offer-description", compact=True)
            area.styles.height = 3
            yield area
            yield Label(t("offers.field.life_areas"))
            chosen = set(values.get("life_areas", []))
            yield SelectionList[str](
                *[(label(a), a.value, a in chosen) for a in LifeArea], id="offer-life_areas", compact=True
            )
            yield Check(t("offers.field.self_referral"), bool(values.get("self_referral")), id="offer-self_referral")
            yield Static("", id="offer-errors", classes="offer-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("offers.save"), id="offer-save", variant="primary")
                yield Button(t("app.cancel"), id="offer-cancel")

    def _input(self, name: str, values: dict) -> Vertical:
        box = Vertical(classes="offer-field")
        box.compose_add_child(Label(t(f"offers.field.{name}")))
        placeholder = t("field.date_placeholder") if name in _DATE_FIELDS else ""
        box.compose_add_child(
            TypedInput(
                as_text(values.get(name)),
                id=f"offer-{name}",
                compact=True,
                highlighter=HARMLESS,
                placeholder=placeholder,
            )
        )
        box.styles.height = "auto"
        return box

    def _select(self, name: str, options: list, value: Any) -> Vertical:
        box = Vertical(classes="offer-field")
        box.compose_add_child(Label(t(f"offers.field.{name}")))
        choices = [(label(o), o.value) for o in options]
        box.compose_add_child(
            Select(choices, value=getattr(value, "value", value), allow_blank=False, id=f"offer-{name}", compact=True)
        )
        box.styles.height = "auto"
        return box

    def on_mount(self) -> None:
        self.query_one("#offer-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "offer-save":
            self.save()
        elif event.button.id == "offer-cancel":
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def entered(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.offer.id} if self.offer else {}
        for name in _TEXT_FIELDS + _NUMBER_FIELDS + _DATE_FIELDS:
            text = self.query_one(f"#offer-{name}", Input).value.strip()
            if name in _NUMBER_FIELDS + _DATE_FIELDS:
                data[name] = text or None
            else:
                data[name] = text
        data["provider"] = self.query_one("#offer-provider", Select).value
        data["status"] = self.query_one("#offer-status", Select).value
        data["description"] = self.query_one("#offer-description", TextArea).text
        data["life_areas"] = list(self.query_one("#offer-life_areas", SelectionList).selected)
        data["self_referral"] = self.query_one("#offer-self_referral", Check).value
        return data

    def save(self) -> None:
        catalogue = self.app.service.catalogue  # type: ignore[attr-defined]
        try:
            offer = catalogue.validate(self.entered())
        except ValueError as error:
            self.query_one("#offer-errors", Static).update(literal(str(error), multiline=True))
            return
        if offer.last_checked is None:
            offer = offer.model_copy(update={"last_checked": self.app.service.today()})  # type: ignore[attr-defined]
        try:
            catalogue.save_offer(offer)
        except StoreError as error:
            self.notify(error_text(error), severity="error", markup=False)
            return
        self.notify(t("offers.saved"))
        self.dismiss(True)
