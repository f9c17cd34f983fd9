"""Step 5: insatser — what, for which need, who answers for it, when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Label

from ..i18n import label, t
from ..models.enums import Body, InsatsStatus
from ..models.plan import Insats
from ..widgets.fields import as_text
from .bound import BoundForm
from .items import ItemSpec, ItemsSection
from .needs import links, short
from .step import StepScreen


def insats_form(form: BoundForm, item: Insats) -> ComposeResult:
    base = f"insatser.{item.id}"
    yield form.area(f"{base}.what", height=2)
    needs = [(f"{label(need.area)}: {short(need.description, 40)}", need.id) for need in form.session.plan.needs]
    if needs:
        yield links(f"{base}.need_ids", t("field.insatser.need_ids"), needs, item.need_ids)
    with Grid(classes="form-grid"):
        yield form.choice(f"{base}.body", list(Body))
        yield form.text(f"{base}.unit")
        yield form.text(f"{base}.contact")
        yield form.choice(f"{base}.status", list(InsatsStatus))
        yield form.date(f"{base}.start")
        yield form.date(f"{base}.done_by")
    yield form.area(f"{base}.note", height=2)


INSATSER = ItemSpec(
    section="insatser",
    new=Insats,
    columns=(
        "col.insats",
        "field.insatser.body",
        "field.insatser.unit",
        "field.insatser.contact",
        "col.start",
        "col.done_by",
        "field.insatser.status",
    ),
    row=lambda i: (
        short(i.what, 40),
        label(i.body),
        i.unit,
        i.contact,
        as_text(i.start),
        as_text(i.done_by),
        label(i.status),
    ),
    form=insats_form,
)


class InsatserStep(StepScreen):
    STEP_ID = "insatser"

    def compose_step(self) -> ComposeResult:
        yield Label(t("hint.insatser"), classes="hint")
        yield ItemsSection(INSATSER, t("section.insatser"), t("app.add_insats"), self.session.read_only)
