"""Where the meeting is: "Steg 3 av 7 · Mål och nuläge" and a clickable row of steps.

Both fit the terminal's width: a narrow screen keeps the person's name and the
current step's name, and shortens the rest first."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.events import Resize
from textual.message import Message
from textual.widgets import Static

from ..i18n import t

# Cells around each step link (padding 0 1) and around the row (padding 0 1).
_LINK_PADDING = 2
_ROW_PADDING = 2


class StepLink(Static):
    """One step in the row; the current one is marked ▶ and reversed, not by colour alone."""

    class Chosen(Message):
        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    def __init__(self, number: int, step_id: str, current: bool) -> None:
        marker = "▶" if current else " "
        self.full = f"{marker}{number} {t(f'step.{step_id}.short')}"
        # Compact: the current step keeps its name, the others show their number.
        self.compact = self.full if current else f"{marker}{number}"
        super().__init__(self.full, classes="step-link -current" if current else "step-link", markup=False)
        self.step_id = step_id
        self.tooltip = t(f"step.{step_id}.title")

    def show_compact(self, compact: bool) -> None:
        self.update(self.compact if compact else self.full)

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.step_id))


class Stepper(Horizontal):
    def __init__(self, step_ids: list[str], current: str) -> None:
        super().__init__(id="stepper")
        self.step_ids = step_ids
        self.current = current
        self.compact = False

    def compose(self) -> ComposeResult:
        links = [
            StepLink(number, step_id, step_id == self.current) for number, step_id in enumerate(self.step_ids, start=1)
        ]
        self.compact = not self._fits(links, self.app.size.width)
        for link in links:
            link.show_compact(self.compact)
            yield link

    @staticmethod
    def _fits(links: list[StepLink], width: int) -> bool:
        return sum(cell_len(link.full) + _LINK_PADDING for link in links) + _ROW_PADDING <= width

    def on_resize(self, event: Resize) -> None:
        links = list(self.query(StepLink))
        compact = not self._fits(links, event.size.width)
        if compact != self.compact:
            self.compact = compact
            for link in links:
                link.show_compact(compact)


def step_heading(step_ids: list[str], current: str, form: str = "full") -> str:
    """``full``: "Steg 3 av 7: Nuläge, styrkor och mål"; ``short``: "Steg 3 av 7: Mål";
    ``number``: "Steg 3 av 7"; ``tiny``: "3/7"."""
    number = step_ids.index(current) + 1
    total = len(step_ids)
    if form == "tiny":
        return f"{number}/{total}"
    if form == "number":
        return t("app.step_of_short", number=number, total=total)
    title = t(f"step.{current}.title" if form == "full" else f"step.{current}.short")
    return t("app.step_of", number=number, total=total, title=title)


# The statuses the bar shows while typing: their room is kept whichever is shown.
_EVERYDAY_STATUSES = ("app.status.changed", "app.status.saving")


def status_room(status: str) -> int:
    """Cells the save status keeps in the bar: enough for every everyday status (in
    the UI language, looked up when drawn), more only for a longer one."""
    everyday = [t("app.status.saved_at", time="00:00"), "⚠ " + t("app.status.not_saved")]
    everyday += [t(key) for key in _EVERYDAY_STATUSES]
    return max(cell_len(status), *(cell_len(text) for text in everyday))


def fit_header(width: int, name: str, status: str, step_ids: list[str], current: str) -> tuple[str, str]:
    """The meeting bar's two texts, ``("SIP · <name>", <step heading>)``, fitted to
    ``width`` cells beside the save ``status``: the step heading is shortened
    first, then the name down to the first name, and only then cut."""
    headings = [step_heading(step_ids, current, form) for form in ("full", "short", "number", "tiny")]
    return fit_bar(width, name, headings, status)


def fit_bar(width: int, name: str, headings: list[str], status: str = "") -> tuple[str, str]:
    """``("SIP · <name>", heading)`` for a bar ``width`` cells wide: the first of
    ``headings`` (longest first) that fits beside the full name, else beside the
    first name, else the last heading and the first name cut with …"""
    # padding 0 1, a gap of at least one cell between name and heading, margin 2 before the status
    room = width - 2 - 1 - (cell_len(status) + 2 if status else 0)
    full_name = " ".join(name.split())
    first = full_name.split(" ")[0] if full_name else ""
    for who in dict.fromkeys([full_name, first]):
        for heading in headings:
            if cell_len(f"SIP · {who}") + cell_len(heading) <= room:
                return f"SIP · {who}", heading
    heading = headings[-1]
    cut = first
    while cut and cell_len(f"SIP · {cut}…") + cell_len(heading) > room:
        cut = cut[:-1]
    return (f"SIP · {cut}…" if cut else "SIP"), heading
