"""The agreed plan as a Word document to hand out.

``write_docx`` opens the organisation's template (or sip_tui/templates/sip-base.docx,
or the same template built in memory), replaces its body with the plan and
fills the header and footer placeholders. Every label comes from the
catalogue in the UI language. Nothing here prints a personnummer unless
``settings.export_personnummer`` is set.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import os
import re
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.oxml import serialize_part_xml
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.styles import CT_Style
from docx.shared import Cm, Length, RGBColor
from docx.styles import BabelFish

from .. import i18n
from ..describe import describe_changes
from ..i18n import label, t
from ..models.enums import (
    HUVUDMAN,
    Body,
    GoalTerm,
    InsatsStatus,
    LifeArea,
    MeetingForm,
    PlanStatus,
)
from ..models.plan import Goal, Insats, Plan
from ..settings import DEFAULT_TIMEZONE, Settings
from .template import (
    FACTS_STYLE,
    REQUIRED_STYLES,
    SHADE,
    TABLE_STYLE,
    TEXT_WIDTH,
    base_template_bytes,
    set_compatibility_mode,
    write_header_footer,
)
from .template import set_language as set_rpr_language
from .text import ExportError, write_atomically, xml_safe

# Inside the package, so a wheel ships it (package-data in pyproject.toml).
DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "sip-base.docx"
LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}

DRAFT_COLOUR = RGBColor(0xB4, 0x53, 0x09)
# "Min plan" holds at most this much, so it fits one page whatever the plan's size.
EASY_GOALS = 3
EASY_GOAL_CHARS = 160
EASY_INSATSER = 5
EASY_INSATS_CHARS = 90
# Measured on LibreOffice's A4 render of the base template (Arial 16 pt at 1.15).
EASY_PAGE_CM = 25.4  # the body's height; the estimates below run about 15% above the render
EASY_LINE_CM = 0.72
EASY_TITLE_CM = 1.5
EASY_HEADING_CM = 1.12  # 18 pt with the space before and after
EASY_PARAGRAPH_GAP_CM = 0.15
EASY_CHARS_PER_LINE = 62  # a 17 cm line holds about 66
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOTX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


class TemplateError(ExportError):
    """The Word template cannot be used."""


# -- public entry point -----------------------------------------------------------


def write_docx(
    plan: Plan,
    previous_version: Plan | None,
    settings: Settings,
    path: str | os.PathLike[str],
    language: str | None = None,
) -> Path:
    """Write ``plan`` as a .docx at ``path`` (atomically) in ``language`` ("sv"
    or "en"; the UI's unless given); returns the path. The UI keeps its language
    while the document is written."""
    template = prepared_template(settings)
    with i18n.writing_in(language or i18n.language()):
        document = Document(io.BytesIO(template.package))
        _prepare(document, plan, settings, template)
        _PlanWriter(document, plan, previous_version, settings, template.style_ids).write()
        _use_styles(document, template.styles_for(_language_tag()))
        buffer = io.BytesIO()
        document.save(buffer)
    return write_atomically(Path(path), buffer.getvalue())


def _language_tag() -> str:
    return LANGUAGE_TAGS.get(i18n.language(), "sv-SE")


# -- template ----------------------------------------------------------------------


@functools.cache
def _built_template() -> bytes:
    return base_template_bytes()


class PreparedTemplate:
    """A template opened, checked and made ready once, for every export from it.

    Reading the template's styles (hundreds of kilobytes of XML) and writing
    them back took longer than writing the plan. The styles are read once
    here and kept as the bytes each export saves (one version for each
    language the spell-check is set to); an export opens ``package``: the
    template with its body emptied, its header and footer in place and a
    stand-in for the styles."""

    def __init__(self, data: bytes, path: Path) -> None:
        document = _open_docx(data, path)
        check_styles(document, path)
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        first = document.sections[0]
        if first.header.is_linked_to_previous and first.footer.is_linked_to_previous:
            write_header_footer(first)  # a template without header and footer gets ours
        set_compatibility_mode(document)
        styles = _styles_by_name(document.styles.element)
        self.style_ids = _style_ids(styles)
        self._styles_element = document.styles.element
        self._styles_lock = threading.Lock()
        self._styles: dict[str, bytes] = {}
        self.styles_for(LANGUAGE_TAGS[i18n.LANGUAGES[0]])  # the default language ready before the first export
        _use_styles(document, _STYLES_STAND_IN)
        buffer = io.BytesIO()
        document.save(buffer)
        self.package = buffer.getvalue()

    def styles_for(self, tag: str) -> bytes:
        """The styles part with the spell-check language ``tag`` (w:lang) set."""
        with self._styles_lock:
            if tag not in self._styles:
                element = self._styles_element
                defaults = element.find(qn("w:docDefaults"))
                if defaults is not None:
                    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
                    if rpr is not None:
                        set_rpr_language(rpr, tag)
                styles = _styles_by_name(element)
                for name in REQUIRED_STYLES:
                    set_rpr_language(styles[BabelFish.ui2internal(name)].get_or_add_rPr(), tag)
                self._styles[tag] = serialize_part_xml(element)
            return self._styles[tag]


_STYLES_STAND_IN = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{_W_NS}"/>'.encode()
_TEMPLATES: dict[bytes, PreparedTemplate] = {}  # by the template's content
_TEMPLATES_LOCK = threading.Lock()
_TEMPLATES_KEPT = 4


def prepared_template(settings: Settings) -> PreparedTemplate:
    """The template ``settings`` name (or the default), prepared once per content:
    an organisation that edits its template gets the edited one."""
    if settings.template:
        path = Path(settings.template).expanduser()
        if not path.is_file():
            raise TemplateError("docx.error.template_not_found", path=path)
        try:
            data = path.read_bytes()
        except OSError:
            raise TemplateError("docx.error.template_unreadable", path=path) from None
    else:
        path = DEFAULT_TEMPLATE
        data = DEFAULT_TEMPLATE.read_bytes() if DEFAULT_TEMPLATE.is_file() else _built_template()
    digest = hashlib.sha256(data).digest()
    with _TEMPLATES_LOCK:  # the app prepares the template in the background; an export waits for it
        template = _TEMPLATES.get(digest)
        if template is None:
            template = PreparedTemplate(data, path)
            if len(_TEMPLATES) >= _TEMPLATES_KEPT:
                _TEMPLATES.pop(next(iter(_TEMPLATES)))
            _TEMPLATES[digest] = template
        return template


def _use_styles(document: DocumentObject, styles: bytes) -> None:
    """Save ``styles`` as the document's styles part, in place of what it holds."""
    part = document.part
    for relationship in part.rels.values():
        if relationship.reltype == RT.STYLES and not relationship.is_external:
            held = relationship.target_part
            relationship._target = Part(held.partname, held.content_type, styles, held.package)


def _open_docx(data: bytes, path: Path) -> DocumentObject:
    """A .docx, or a .dotx (Word template) read as a document."""
    try:
        return Document(io.BytesIO(_dotx_as_docx(data)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError, OSError):
        raise TemplateError("docx.error.template_unreadable", path=path) from None
    except Exception as error:  # lxml syntax errors and the like: a broken file, not a bug here
        if type(error).__module__.startswith("lxml"):
            raise TemplateError("docx.error.template_unreadable", path=path) from None
        raise


def _dotx_as_docx(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as source:
            types = source.read("[Content_Types].xml")
            if _DOTX_MAIN.encode() not in types:
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in source.infolist():
                    content = source.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        content = content.replace(_DOTX_MAIN.encode(), _DOCX_MAIN.encode())
                    target.writestr(item, content)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError):
        return data  # python-docx gives the error


def check_styles(document: DocumentObject, path: Path | str) -> None:
    """Raise TemplateError naming the first style the export needs but the template lacks."""
    styles = document.styles
    for name, kind in REQUIRED_STYLES.items():
        if name not in styles:
            raise TemplateError("docx.error.style_missing", style=name, path=path)
        if styles[name].type != kind:
            raise TemplateError("docx.error.style_wrong_type", style=name, path=path)


def _prepare(document: DocumentObject, plan: Plan, settings: Settings, template: PreparedTemplate) -> None:
    """The header and footer filled in, the draft marked, the metadata set."""
    tag = _language_tag()
    values = {
        "{title}": t("docx.header_title"),
        "{organisation}": settings.organisation,
        "{version}": _version_short(plan),
        "{date}": _iso(_document_date(plan, settings)),
        "{page}": t("docx.page"),
        "{of}": t("docx.page_of"),
    }
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if not part.is_linked_to_previous:
                for paragraph in part._element.iter(qn("w:p")):
                    _fill_placeholders(paragraph, values)

    if plan.editable:
        _mark_draft_on_every_page(document, template.style_ids.get("Header"))

    props = document.core_properties
    props.title = t("docx.header_title")
    props.author = xml_safe(settings.organisation)
    props.last_modified_by = xml_safe(settings.organisation)
    props.subject = props.comments = props.keywords = props.category = props.content_status = ""
    props.identifier = props.version = ""
    props.language = tag
    props.revision = 1
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now
    props.last_printed = dt.datetime(2000, 1, 1)


def _mark_draft_on_every_page(document: DocumentObject, header_style: str | None) -> None:
    """A draft says so on every page: a line under the header text, in every header
    the sections use (first page and even pages included)."""
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if part.is_linked_to_previous:
                continue
            paragraph = part.add_paragraph()
            paragraph._p.style = header_style
            run = paragraph.add_run(t("docx.draft_marker"))
            run.bold = True
            run.font.color.rgb = DRAFT_COLOUR


def _fill_placeholders(paragraph, values: dict[str, str]) -> None:
    """Replace ``{placeholders}`` in a paragraph, even when Word split one over several runs."""
    nodes = list(paragraph.iter(qn("w:t")))
    text = "".join(node.text or "" for node in nodes)
    if "{" not in text:
        return
    for placeholder, value in values.items():
        while True:
            nodes = list(paragraph.iter(qn("w:t")))
            text = "".join(node.text or "" for node in nodes)
            start = text.find(placeholder)
            if start < 0:
                break
            end = start + len(placeholder)
            offset, placed = 0, False
            for node in nodes:
                node_text = node.text or ""
                node_start, node_end = offset, offset + len(node_text)
                offset = node_end
                if node_end <= start or node_start >= end:
                    continue
                cut_from, cut_to = max(start, node_start) - node_start, min(end, node_end) - node_start
                insert = "" if placed else xml_safe(value)
                placed = True
                node.text = node_text[:cut_from] + insert + node_text[cut_to:]
                node.set(qn("xml:space"), "preserve")


# -- small text helpers -------------------------------------------------------------


def _clean(value: object) -> str:
    return xml_safe("" if value is None else str(value)).strip()


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else "–"


def _clock(time: dt.time) -> str:
    return t("docx.clock", hour=time.hour, minute=time.minute)


def _time_span(start: dt.time | None, end: dt.time | None) -> str:
    """"kl. 10.00–11.30", or "kl. 10.00" when no end was booked: never an invented end."""
    if start is None:
        return ""
    if end is None:
        return t("docx.time_from", start=_clock(start))
    return t("docx.time_range", start=_clock(start), end=_clock(end))


def organisation_time(moment: dt.datetime, settings: Settings) -> dt.datetime:
    """``moment`` on the organisation's clock (Europe/Stockholm unless set), not
    the exporting machine's: a plan agreed at 10.00 in Växjö says 10.00 even when
    exported on a laptop set to UTC. A naive time is taken as it was stored."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(organisation_zone(settings))


def organisation_zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ValueError, ZoneInfoNotFoundError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def _date_words(day: dt.date) -> str:
    text = t(
        "docx.date_words",
        weekday=t(f"docx.weekday.{day.weekday()}"),
        day=day.day,
        month=t(f"docx.month.{day.month}"),
        year=day.year,
    )
    return text[:1].upper() + text[1:]


def _day_words(day: dt.date) -> str:
    return t("docx.date_day_words", day=day.day, month=t(f"docx.month.{day.month}"), year=day.year)


def _yes_no(value: bool) -> str:
    return t("docx.yes") if value else t("docx.no")


def _document_date(plan: Plan, settings: Settings) -> dt.date | None:
    if plan.agreement and not plan.editable:
        return organisation_time(plan.agreement.at, settings).date()
    return plan.meeting.date


def _version_short(plan: Plan) -> str:
    if plan.editable:
        return t("docx.version_draft", version=plan.version + 1)
    return t("docx.version_n", version=plan.version)


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(_clean(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_STRONG_RTL = ("R", "AL")
_FIRST_RTL = "\u0590"  # no right-to-left letter comes before Hebrew
RTL_SHARE = 0.8  # a paragraph is right-to-left when its letters are (nearly) all right-to-left


def is_rtl(text: str) -> bool:
    """Right-to-left text (Arabic, Hebrew, Persian, Syriac, Thaana, N'Ko ...):
    its letters are right-to-left but for a stray Latin word or two. Mixed text
    such as "فاطمة الأحمد, God man, 070-111 22 33" is not: that line reads left to
    right with the name as a right-to-left run in it."""
    if not text or max(text) < _FIRST_RTL:
        return False
    rtl = ltr = 0
    for char in text[:2000]:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > 0 and rtl >= RTL_SHARE * (rtl + ltr)


def direction_runs(text: str, paragraph_rtl: bool) -> list[tuple[str, bool]]:
    """``text`` cut into (part, right_to_left) runs. A run of the other direction
    than the paragraph spans from its first to its last strong letter; the spaces
    and punctuation around it stay with the paragraph's direction, so a comma after
    an Arabic name stays after it."""
    if not paragraph_rtl and (not text or max(text) < _FIRST_RTL):
        return [(text, False)] if text else []  # no right-to-left letter in it: the common case

    def strong(char: str) -> bool | None:
        kind = unicodedata.bidirectional(char)
        return True if kind in _STRONG_RTL else False if kind == "L" else None

    other = not paragraph_rtl
    runs: list[tuple[str, bool]] = []
    index, length = 0, len(text)
    while index < length:
        start = next((i for i in range(index, length) if strong(text[i]) is other), length)
        if start > index:
            runs.append((text[index:start], paragraph_rtl))
        if start == length:
            break
        end = start
        last = start
        while end < length and strong(text[end]) is not paragraph_rtl:
            if strong(text[end]) is other:
                last = end
            end += 1
        runs.append((text[start : last + 1], other))
        index = last + 1
    return runs


def _easy_height(text: str, line_cm: float = EASY_LINE_CM) -> float:
    """A cautious estimate of a "Min plan" paragraph's height on the page."""
    lines = max(1, -(-len(text) // EASY_CHARS_PER_LINE))
    return lines * line_cm + EASY_PARAGRAPH_GAP_CM


def _joined(*parts: str) -> str:
    return ", ".join(p for p in map(_clean, parts) if p)


def _by_on(who: str, day: dt.date | None) -> str:
    return ", ".join(p for p in (_clean(who), _iso(day) if day else "") if p)


def _unit_and_body(unit: str, body: Body | None) -> str:
    """"Socialtjänsten, Region Kronoberg", not "..., Region" again: the body's
    name is added only when the unit does not already say it."""
    unit = _clean(unit)
    name = label(body) if body else ""
    if name and name.casefold() in unit.casefold():
        return unit
    return ", ".join(p for p in (unit, name) if p)


def _who(insats: Insats) -> str:
    return ", ".join(part for part in (_clean(insats.unit), _clean(insats.contact)) if part)


@dataclass(frozen=True)
class Line:
    """One paragraph: optional bold ``lead`` run, then ``text``."""

    text: str
    style: str = "Table text"
    lead: str = ""
    bold: bool = False
    italic: bool = False


def _styles_by_name(styles_element) -> dict[str, CT_Style]:
    """The template's styles by their name in styles.xml ("heading 1"), read in one
    pass: python-docx searches all of them for each style it is asked for."""
    styles: dict[str, CT_Style] = {}
    name_tag, value = qn("w:name"), qn("w:val")
    for style in styles_element.iterchildren(qn("w:style")):
        name = style.find(name_tag)
        if name is not None and name.get(value) is not None:
            styles.setdefault(name.get(value), style)
    return styles


def _style_ids(styles: dict[str, CT_Style]) -> dict[str, str | None]:
    """The id of each style the export uses, by its name ("Heading 1"); None for
    the default paragraph style, which a paragraph gets by naming none."""
    ids: dict[str, str | None] = {}
    for name in (*REQUIRED_STYLES, "Header"):
        style = styles.get(BabelFish.ui2internal(name))
        if style is not None:
            default = style.type == WD_STYLE_TYPE.PARAGRAPH and style.default
            ids[name] = None if default else style.styleId
    return ids


# -- the writer ------------------------------------------------------------------------


class _PlanWriter:
    """Writes the plan's body as WordprocessingML text, parsed once at the end.

    Building the body with python-docx's calls (a few for each of thousands of
    paragraphs, runs and cells) made the export several times slower than
    saving the document; the XML here is what those calls wrote."""

    def __init__(
        self,
        document: DocumentObject,
        plan: Plan,
        previous: Plan | None,
        settings: Settings,
        style_ids: dict[str, str | None],
    ) -> None:
        self.doc = document
        self.plan = plan
        self.previous = previous
        self.settings = settings
        self.goal_numbers = {goal.id: number for number, goal in enumerate(self._goals_in_order(), start=1)}
        self.parts: list[str] = []  # the body's paragraphs and tables, in order
        self._style_ids = style_ids

    def style_id(self, name: str) -> str | None:
        """The id of the style named ``name``; None for the default paragraph style."""
        return self._style_ids[name]

    def body_elements(self) -> list:
        """The written body as elements, ready to go before the section properties."""
        return list(parse_xml(f'<w:body xmlns:w="{_W_NS}">{"".join(self.parts)}</w:body>'))

    # -- building blocks

    def paragraph(
        self,
        text: str = "",
        style: str = "Normal",
        *,
        lead: str = "",
        bold: bool = False,
        italic: bool = False,
        keep_with_next: bool = False,
        page_break_before: bool = False,
        boxed: bool = False,
    ) -> None:
        line = Line(text, style, lead, bold, italic)
        self.parts.append(self._paragraph_xml(line, keep_with_next, page_break_before, boxed))

    def _paragraph_xml(
        self,
        line: Line,
        keep_with_next: bool = False,
        page_break_before: bool = False,
        boxed: bool = False,
        space_after_zero: bool = False,
    ) -> str:
        """One w:p: its properties in schema order, then the lead (bold) and the
        text as runs; each run right-to-left only when its script is, the
        paragraph only when its whole text is."""
        lead, text = _clean(line.lead), xml_safe(line.text).strip()
        rtl = is_rtl(lead + " " + text) if lead or text else False
        style_id = self.style_id(line.style)
        properties = "".join(
            (
                f'<w:pStyle w:val="{_attr(style_id)}"/>' if style_id else "",
                "<w:keepNext/>" if keep_with_next else "",
                "<w:pageBreakBefore/>" if page_break_before else "",
                _BOX if boxed else "",
                "<w:bidi/>" if rtl else "",
                '<w:spacing w:after="0"/>' if space_after_zero else "",
            )
        )
        runs = ""
        if lead:
            runs += _runs_xml(lead + (" " if text else ""), rtl, bold=True)
        if text:
            runs += _runs_xml(text, rtl, bold=line.bold, italic=line.italic)
        return f"<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>" if properties else f"<w:p>{runs}</w:p>"

    def text_block(self, text: str, style: str = "Normal", *, keep_last_with_next: bool = False) -> int:
        """Long free text: one paragraph per line the author wrote; how many."""
        lines = [line for line in _clean(text).splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            self.paragraph(line, style, keep_with_next=keep_last_with_next and number == len(lines))
        return len(lines)

    def heading(self, key: str, level: int = 1, **params: object) -> None:
        self.paragraph(t(key, **params), f"Heading {level}")

    def bullet(self, text: str, *, lead: str = "", style: str = "List Bullet") -> None:
        self.paragraph(text, style, lead=lead)

    def table(
        self,
        headers: Sequence[str] | None,
        rows: Iterable[Sequence[str | Line | list[Line]]],
        widths_cm: Sequence[float],
        *,
        style: str = TABLE_STYLE,
        min_row_height_cm: float | None = None,
        keep_together: bool = False,
        caption: Line | None = None,
    ) -> None:
        """A table; its ``caption`` (a heading over the whole width) and column
        headers repeat at the top of every page the table continues on."""
        widths = [width.twips for width in _scaled(widths_cm)]
        # the header style's fill and bold go to the column headers, never to a caption
        first_row = bool(headers) and not caption
        first_column = style == FACTS_STYLE
        style_id = self.style_id(style)
        out = [
            "<w:tbl><w:tblPr>",
            f'<w:tblStyle w:val="{_attr(style_id)}"/>' if style_id else "",
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>',
            f'<w:tblLook w:firstRow="{int(first_row)}" w:lastRow="0" w:firstColumn="{int(first_column)}"'
            f' w:lastColumn="0" w:noHBand="0" w:noVBand="1" w:val="{"04A0" if first_row else "0080"}"/>',
            "</w:tblPr><w:tblGrid>",
            *(f'<w:gridCol w:w="{width}"/>' for width in widths),
            "</w:tblGrid>",
        ]
        grid: list[list[list[Line]]] = []  # rows of cells of paragraphs
        if caption:
            grid.append([[caption]])
        if headers:
            grid.append([[Line(text, "Table text", bold=True)] for text in headers])
        header_rows = len(grid)
        for row in rows:
            cells = []
            for index, content in enumerate(row):
                lines = content if isinstance(content, list) else [content]
                lines = [line if isinstance(line, Line) else Line(line) for line in lines]
                if style == FACTS_STYLE and index == 0:
                    lines = [Line(line.text, line.style, line.lead, True, line.italic) for line in lines]
                cells.append([line for line in lines if _clean(line.text) or _clean(line.lead)] or [Line("")])
            if len(cells) != len(widths):
                raise ValueError("a table row has as many cells as the table has columns")
            grid.append(cells)
        height = f'<w:trHeight w:val="{Cm(min_row_height_cm).twips}" w:hRule="atLeast"/>' if min_row_height_cm else ""
        for number, cells in enumerate(grid):
            # kept together: every row with the next; a caption always stays with the column headers
            keep = (keep_together and number < len(grid) - 1) or (bool(caption and headers) and number == 1)
            if number < header_rows:
                out.append("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
            else:
                out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}</w:trPr>")
            if caption and number == 0:
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{sum(widths)}" w:type="dxa"/><w:gridSpan w:val="{len(widths)}"/>')
                out.append(f"{_CAPTION_BORDERS}</w:tcPr>{self._paragraph_xml(caption, keep)}</w:tc></w:tr>")
                continue
            shade = _HEADER_SHADE if headers and number == header_rows - 1 else ""
            for width, lines in zip(widths, cells, strict=True):
                paragraphs = "".join(self._paragraph_xml(line, keep) for line in lines)
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraphs}</w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))
        # a little air after a table, without an empty paragraph the reader sees
        self.parts.append(self._paragraph_xml(Line("", "Small"), space_after_zero=True))

    def facts(self, rows: Sequence[tuple[str, str | list[Line]]]) -> None:
        kept = [(key, value) for key, value in rows if (value if isinstance(value, list) else _clean(value))]
        if kept:
            self.table(None, kept, (4.6, 12.4), style=FACTS_STYLE, keep_together=True)

    # -- the document

    def write(self) -> None:
        if self.settings.easy_read_page:
            self.easy_read_page()
        self.title()
        self.goals()
        self.why()
        self.situation()
        self.needs()
        self.insatser()
        self.responsibility()
        self.followup()
        self.participants()
        self.consent()
        self.distribution()
        self.agreement()
        self.changes()
        self.deviations()
        self.closure()
        self.signatures()
        section = self.doc.element.body.find(qn("w:sectPr"))
        for element in self.body_elements():
            if section is not None:
                section.addprevious(element)
            else:
                self.doc.element.body.append(element)

    def easy_read_page(self) -> None:
        """"Min plan": one page whatever the plan's size. Long goals and many
        insatser are cut short, with a pointer to the full plan."""
        plan = self.plan
        self.paragraph(t("docx.easy.title"), "Easy read title")
        intro = self._easy_intro()
        if intro:
            self.paragraph(intro, "Easy read")
        goals = [goal for goal in self._goals_in_order() if _clean(goal.text)]
        cut = False
        if goals:
            self.paragraph(t("docx.easy.goals" if len(goals) > 1 else "docx.easy.goal"), "Easy read heading")
            for goal in goals[:EASY_GOALS]:
                text = _short(goal.text, EASY_GOAL_CHARS)
                cut = cut or text != " ".join(_clean(goal.text).split())
                self.paragraph(text, "Easy read")
            cut = cut or len(goals) > EASY_GOALS
        active = [i for i in plan.insatser if i.status not in (InsatsStatus.DONE, InsatsStatus.CANCELLED)]
        active = [i for i in active if _clean(i.what)]
        lines = {insats.id: self._easy_insats_line(insats) for insats in active[:EASY_INSATSER]}
        # what the page holds besides the insatser decides how many of them fit
        used = _easy_height(t("docx.easy.title"), EASY_TITLE_CM) + (_easy_height(intro) if intro else 0)
        used += sum(_easy_height(_short(g.text, EASY_GOAL_CHARS)) for g in goals[:EASY_GOALS])
        groups = len({i.body == Body.PERSON for i in active[:EASY_INSATSER]})
        used += EASY_HEADING_CM * (1 + groups) + self._easy_reserved()
        shown: list[Insats] = []
        for insats in active[:EASY_INSATSER]:
            height = _easy_height(lines[insats.id][1] + lines[insats.id][0])
            if used + height > EASY_PAGE_CM:
                break
            used += height
            shown.append(insats)
        mine = [i for i in shown if i.body == Body.PERSON]
        others = [i for i in shown if i.body != Body.PERSON]
        if mine:
            self.paragraph(t("docx.easy.i_do"), "Easy read heading")
            for insats in mine:
                self.paragraph(lines[insats.id][1], "Easy read", lead=lines[insats.id][0])
        if others:
            self.paragraph(t("docx.easy.others_do"), "Easy read heading")
            for insats in others:
                self.paragraph(lines[insats.id][1], "Easy read", lead=lines[insats.id][0])
        if len(active) > len(shown):
            more = len(active) - len(shown)
            self.paragraph(t("docx.easy.more_one") if more == 1 else t("docx.easy.more", count=more), "Easy read")
        elif cut:
            self.paragraph(t("docx.easy.see_plan"), "Easy read")
        self._easy_coordinator()
        if plan.status == PlanStatus.CLOSED:
            return  # a closed plan has no next meeting
        self._easy_next()

    def _easy_reserved(self) -> float:
        """The height of "Jag kan ringa till" and "Nästa möte" with their lines."""
        plan, coordinator, followup = self.plan, self.plan.coordinator, self.plan.followup
        lines = [_clean(coordinator.name), _clean(coordinator.phone), _clean(coordinator.email)]
        height = EASY_HEADING_CM + sum(_easy_height(line) for line in lines if line) if any(lines) else 0.0
        if plan.status != PlanStatus.CLOSED:
            booked = followup.date and not followup.held
            later = [_clean(followup.place), _clean(followup.called_by)] if booked else []
            height += EASY_HEADING_CM + _easy_height("x") * (2 if booked else 1)
            height += sum(_easy_height(line) for line in later if line)
        return height + _easy_height("x")  # the "and N more" line

    def _easy_insats_line(self, insats: Insats) -> tuple[str, str]:
        """(lead, text) of an insats on "Min plan": who, what, from when, and the contact's phone."""
        details = " ".join(p for p in (self._easy_when(insats), self._easy_contact(insats)) if p)
        text = _short(insats.what, EASY_INSATS_CHARS) + (f" {details}" if details else "")
        if insats.body == Body.PERSON:
            return self._easy_when(insats), _short(insats.what, EASY_INSATS_CHARS)
        return f"{_clean(insats.unit) or label(insats.body)}:", text

    def _easy_intro(self) -> str:
        plan = self.plan
        day = plan.meeting.date
        if plan.status == PlanStatus.CLOSED and plan.closure:
            return t("docx.easy.closed", date=_day_words(plan.closure.date))
        if plan.editable:
            return t("docx.easy.draft")
        if day is None:
            return ""
        if not plan.person_attended:
            return t("docx.easy.intro_absent", date=_day_words(day))
        return t("docx.easy.intro", date=_day_words(day))

    @staticmethod
    def _easy_when(insats: Insats) -> str:
        if insats.start and insats.done_by:
            return t("docx.easy.from_until", start=_iso(insats.start), end=_iso(insats.done_by))
        if insats.start:
            return t("docx.easy.from", start=_iso(insats.start))
        if insats.done_by:
            return t("docx.easy.until", end=_iso(insats.done_by))
        return ""

    def _easy_contact(self, insats: Insats) -> str:
        contact = _clean(insats.contact)
        phone = self._participant_contact(contact)
        text = ", ".join(p for p in (contact, phone) if p)
        return t("docx.easy.contact", contact=text) if text else ""

    def _participant_contact(self, name: str) -> str:
        """The phone or e-mail typed for the participant named ``name``, if any."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            return ""
        for participant in self.plan.participants:
            if " ".join(participant.name.split()).casefold() == wanted:
                return _clean(participant.contact)
        return ""

    def _easy_coordinator(self) -> None:
        coordinator = self.plan.coordinator
        if not (_clean(coordinator.name) or _clean(coordinator.phone)):
            return
        self.paragraph(t("docx.easy.call"), "Easy read heading")
        name = ", ".join(part for part in (_clean(coordinator.name), _clean(coordinator.unit)) if part)
        if name:
            self.paragraph(name, "Easy read")
        if _clean(coordinator.phone):
            self.paragraph(t("docx.easy.phone", phone=_clean(coordinator.phone)), "Easy read")
        if _clean(coordinator.email):
            self.paragraph(t("docx.easy.email", email=_clean(coordinator.email)), "Easy read")

    def _easy_next(self) -> None:
        followup = self.plan.followup
        self.paragraph(t("docx.easy.next"), "Easy read heading")
        if not followup.date or followup.held:
            self.paragraph(t("docx.easy.no_next"), "Easy read")
            return
        when = _date_words(followup.date)
        if followup.start_time:
            when = t("docx.easy.when_at", date=when, time=_clock(followup.start_time))
        self.paragraph(when + ".", "Easy read")
        form_key = {
            MeetingForm.IN_PERSON: "docx.easy.form_in_person",
            MeetingForm.PHONE: "docx.easy.form_phone",
            MeetingForm.DIGITAL: "docx.easy.form_digital",
        }[followup.form]
        self.paragraph(t(form_key), "Easy read")
        if _clean(followup.place):
            self.paragraph(_clean(followup.place), "Easy read", lead=t("docx.easy.where"))
        if _clean(followup.called_by):
            self.paragraph(t("docx.easy.called_by", name=_clean(followup.called_by)), "Easy read")

    def title(self) -> None:
        plan = self.plan
        self.paragraph(t("docx.title"), "Title", page_break_before=self.settings.easy_read_page)
        self.paragraph(plan.person.name, "Subtitle")
        if plan.editable:
            self.paragraph(t("docx.draft_notice", version=plan.version + 1), "Normal", bold=True, boxed=True)
        person = plan.person
        rows: list[tuple[str, str | list[Line]]] = [(t("docx.f.name"), person.name)]
        if self.settings.export_personnummer and person.personnummer:
            rows.append((t("docx.f.personnummer"), person.personnummer))
        rows.append((t("docx.f.address"), person.address))
        rows.append((t("docx.f.contact"), _joined(person.phone, person.email)))
        if person.representative and _clean(person.representative.name):
            rep = person.representative
            rows.append((t("docx.f.representative"), _joined(rep.name, rep.relation, rep.contact)))
        language = _clean(person.interpreter_language)
        if person.interpreter_needed:
            rows.append((t("docx.f.interpreter"), t("docx.interpreter_in", language=language) if language else t("docx.yes")))
        elif language:
            rows.append((t("docx.f.language"), language))
        rows.append((t("docx.f.communication"), person.communication))
        meeting = plan.meeting
        when = " ".join(p for p in (_iso(meeting.date), _time_span(meeting.start_time, meeting.end_time)) if p)
        rows.append((t("docx.f.meeting"), f"{when} · {label(meeting.kind)}"))
        rows.append((t("docx.f.meeting_place"), _joined(label(meeting.form), meeting.place)))
        rows.append((t("docx.f.chair"), meeting.chair))
        rows.append((t("docx.f.secretary"), meeting.secretary))
        rows.append((t("docx.f.requested"), _by_on(meeting.requested_by, meeting.requested_on)))
        rows.append((t("docx.f.initiated"), _by_on(meeting.initiated_by, meeting.initiated_on)))
        rows.append((t("docx.f.version"), self._version_long()))
        rows.append((t("docx.f.status"), label(plan.status)))
        self.facts(rows)

    def why(self) -> None:
        """What prompted the SIP and the question the meeting answers."""
        meeting = self.plan.meeting
        if not (_clean(meeting.reason) or _clean(meeting.question)):
            return
        self.heading("docx.h.why")
        if _clean(meeting.reason):
            self.heading("docx.h.reason", 2)
            self.text_block(meeting.reason)
        if _clean(meeting.question):
            self.heading("docx.h.question", 2)
            self.text_block(meeting.question)

    def _version_long(self) -> str:
        plan = self.plan
        if plan.editable:
            return t("docx.version_draft", version=plan.version + 1)
        if plan.agreement:
            return t("docx.version_agreed", version=plan.version, date=self._agreed_on())
        return t("docx.version_n", version=plan.version)

    def _agreed_on(self) -> str:
        agreement = self.plan.agreement
        return _iso(organisation_time(agreement.at, self.settings).date()) if agreement else "–"

    def _goals_in_order(self) -> list[Goal]:
        short = [g for g in self.plan.goals if g.term == GoalTerm.SHORT]
        long = [g for g in self.plan.goals if g.term == GoalTerm.LONG]
        return short + long

    def goals(self) -> None:
        goals = [goal for goal in self._goals_in_order() if _clean(goal.text)]
        if not goals:
            return
        self.heading("docx.h.goals")
        self.paragraph(t("docx.goals_intro"), "Small")
        for goal in goals:
            number = self.goal_numbers[goal.id]
            parent = self.goal_numbers.get(goal.parent_id or "")
            if parent:
                caption = t("docx.subgoal_caption", number=number, parent=parent, term=label(goal.term))
            else:
                caption = t("docx.goal_caption", number=number, term=label(goal.term))
            if goal.reached is not None:
                caption += " · " + t("docx.goal_reached" if goal.reached else "docx.goal_not_reached")
            self.paragraph(caption, "Small", bold=True, keep_with_next=True)
            self.text_block(goal.text, "Goal")
        if _clean(self.plan.goals_differ):
            self.paragraph(t("docx.goals_differ"), "Small", bold=True, keep_with_next=True)
            self.text_block(self.plan.goals_differ)

    def situation(self) -> None:
        plan = self.plan
        parts = (
            ("docx.h.situation_now", plan.situation),
            ("docx.h.strengths", plan.strengths),
            ("docx.h.earlier_actions", plan.earlier_actions),
            ("docx.h.earlier_actions_effect", plan.earlier_actions_effect),
        )
        if not any(_clean(text) for _, text in parts):
            return
        self.heading("docx.h.situation")
        for key, text in parts:
            if _clean(text):
                self.heading(key, 2)
                self.text_block(text)

    def _goal_refs(self, goal_ids: list[str]) -> str:
        numbers = sorted({self.goal_numbers[g] for g in goal_ids if g in self.goal_numbers})
        return ", ".join(str(n) for n in numbers)

    def needs(self) -> None:
        needs = self.plan.needs
        if not needs:
            return
        self.heading("docx.h.needs")
        for area in LifeArea:
            in_area = [need for need in needs if need.area == area]
            if not in_area:
                continue
            self.paragraph(label(area), "Heading 2")
            for need in in_area:
                refs = self._goal_refs(need.goal_ids)
                # "Hör till mål" stays on the page of the need it captions
                self.text_block(need.description, keep_last_with_next=bool(refs))
                if refs:
                    self.paragraph(t("docx.need_goals", goals=refs), "Small")

    def insatser(self) -> None:
        plan = self.plan
        self.heading("docx.h.insatser")
        if not plan.insatser:
            self.paragraph(t("docx.no_insatser"))
            return
        others_started = False
        for body in Body:
            group = [insats for insats in plan.insatser if insats.body == body]
            if not group:
                continue
            if body in HUVUDMAN:
                self._insats_table(group, t("docx.insatser.huvudman", body=label(body)), "Heading 2")
            else:
                if not others_started:
                    self.paragraph(t("docx.insatser.others"), "Heading 2")
                    others_started = True
                self._insats_table(group, label(body), "Heading 3")

    def _insats_table(self, group: list[Insats], caption: str, caption_style: str) -> None:
        rows: list[list[str | list[Line]]] = []
        for insats in group:
            areas = []
            for need_id in insats.need_ids:
                need = self.plan.need(need_id)
                if need and label(need.area) not in areas:
                    areas.append(label(need.area))
            what = [Line(insats.what or "–")]
            if areas:
                what.append(Line(", ".join(areas), "Small", lead=t("docx.insats.for_need")))
            goal_number = self.goal_numbers.get(insats.goal_id or "")
            if goal_number:
                what.append(Line(str(goal_number), "Small", lead=t("docx.insats.for_goal")))
            if _clean(insats.note):
                what.append(Line(insats.note, "Small", lead=t("docx.insats.note"), italic=True))
            who = [Line(insats.unit), Line(insats.contact, "Small")] if _who(insats) else [Line("–")]
            phone = self._participant_contact(insats.contact)
            if phone:
                who.append(Line(phone, "Small"))
            rows.append([what, who, self._insats_when(insats), label(insats.status)])
        headers = [t("docx.col.insats"), t("docx.col.unit_contact"), t("docx.col.when"), t("docx.col.status")]
        self.table(headers, rows, (6.7, 4.6, 3.3, 2.4), caption=Line(caption, caption_style))

    def _insats_when(self, insats: Insats) -> list[Line]:
        """Start and done-by; with one date, which of the two it is; a done-by
        date passed while the insats is still open is flagged."""
        lines = []
        if insats.start or not insats.done_by:
            lines.append(Line(_iso(insats.start), lead=t("docx.insats.start")))
        if insats.done_by:
            lines.append(Line(_iso(insats.done_by), lead=t("docx.insats.done_by")))
            today = _document_date(self.plan, self.settings)
            still_open = insats.status not in (InsatsStatus.DONE, InsatsStatus.CANCELLED)
            if today and still_open and insats.done_by < today:
                lines.append(Line(t("docx.insats.overdue"), bold=True))
        return lines

    def responsibility(self) -> None:
        plan = self.plan
        coordinator = plan.coordinator
        self.heading("docx.h.responsibility")
        self.facts(
            [
                (t("docx.f.responsible"), label(plan.responsible) if plan.responsible else t("docx.not_decided")),
                (t("docx.f.coordinator"), coordinator.name or t("docx.not_decided")),
                (t("docx.f.coordinator_unit"), _unit_and_body(coordinator.unit, coordinator.body)),
                (t("docx.f.phone"), coordinator.phone),
                (t("docx.f.email"), coordinator.email),
            ]
        )

    def followup(self) -> None:
        followup = self.plan.followup
        if self.plan.status == PlanStatus.CLOSED:
            return  # the plan is closed: the closure says so, and there is no next meeting
        self.heading("docx.h.followup")
        if not followup.date or followup.held:
            self.paragraph(t("docx.followup_none"))
            return
        when = _time_span(followup.start_time, followup.end_time)
        self.facts(
            [
                (t("docx.f.followup_date"), f"{_iso(followup.date)} ({t(f'docx.weekday.{followup.date.weekday()}')})"),
                (t("docx.f.followup_time"), when),
                (t("docx.f.followup_form"), label(followup.form)),
                (t("docx.f.followup_place"), followup.place),
                (t("docx.f.called_by"), followup.called_by),
                (t("docx.f.invitees"), followup.invitees),
            ]
        )

    def participants(self) -> None:
        plan = self.plan
        self.heading("docx.h.participants")
        rows: list[list[str | Line | list[Line]]] = [
            [plan.person.name or "–", t("docx.person_role"), "–", _yes_no(plan.person_attended)]
        ]
        meeting = plan.meeting
        roles: dict[str, list[str]] = {}
        for key, name in (("docx.role.chair", meeting.chair), ("docx.role.secretary", meeting.secretary)):
            folded = " ".join(name.split()).casefold()
            if folded:
                roles.setdefault(folded, []).append(t(key))
        for participant in plan.others:
            organisation = _clean(participant.organisation) or label(participant.body)
            role = ", ".join(
                p
                for p in (
                    _clean(participant.role),
                    t("docx.relative") if participant.relative else "",
                    *roles.get(" ".join(participant.name.split()).casefold(), []),
                )
                if p
            )
            who = [Line(participant.name or "–"), Line(participant.contact, "Small")]
            rows.append([who, role or "–", organisation, _yes_no(participant.attended)])
        headers = [t("docx.col.name"), t("docx.col.role"), t("docx.col.organisation"), t("docx.col.attended")]
        self.table(headers, rows, (4.6, 4.4, 5.8, 2.2))
        if not plan.person_attended:
            reason = _clean(plan.person_absent_reason)
            self.paragraph(reason or "–", lead=t("docx.person_absent", name=plan.person.first_name or "–"))

    def consent(self) -> None:
        consent = self.plan.consent
        self.heading("docx.h.consent")
        given = t("docx.consent_given") if consent.given else t("docx.consent_missing")
        if consent.given and consent.form:
            given = f"{given}, {label(consent.form).lower()}"
        rows: list[tuple[str, str | list[Line]]] = [
            (t("docx.f.consent"), given),
            (t("docx.f.consent_date"), _iso(consent.date) if consent.date else ""),
            (t("docx.f.consent_actors"), consent.actors),
            (t("docx.f.consent_information"), consent.information),
            (t("docx.f.consent_until"), _iso(consent.valid_until) if consent.valid_until else ""),
            (t("docx.f.consent_withdrawn"), _iso(consent.withdrawn_on) if consent.withdrawn_on else ""),
            (t("docx.f.consent_not_covered"), consent.not_covered),
        ]
        # the note first, kept with the table it explains
        self.paragraph(t("docx.consent_withdraw"), "Small", keep_with_next=True)
        self.facts(rows)

    def distribution(self) -> None:
        recipients = [r for r in self.plan.distribution if _clean(r.name) or _clean(r.organisation)]
        if not recipients:
            return
        self.heading("docx.h.distribution")
        for recipient in recipients:
            parts = [p for p in (_clean(recipient.name), _clean(recipient.organisation)) if p]
            self.bullet(" – ".join(parts))

    def agreement(self) -> None:
        plan = self.plan
        self.heading("docx.h.agreement")
        agreement = plan.agreement
        if plan.editable:
            self.paragraph(t("docx.agreement_draft", version=plan.version + 1))
            if agreement:
                self.paragraph(t("docx.agreement_last", version=plan.version, date=self._agreed_on()), "Small")
            return
        if agreement is None:
            return
        at = organisation_time(agreement.at, self.settings)
        self.facts(
            [
                (t("docx.f.agreed_at"), t("docx.date_time", date=_iso(at.date()), time=_clock(at.time()))),
                (t("docx.f.agreed_by"), ", ".join(_clean(name) for name in agreement.by)),
                (t("docx.f.version"), str(plan.version)),
            ]
        )

    def changes(self) -> None:
        plan = self.plan
        reason = plan.change_reason if plan.editable else (plan.agreement.change_reason if plan.agreement else "")
        reason = _clean(reason) or _clean(plan.change_reason)
        previous = self.previous
        lines = change_lines(previous, plan, self.settings.export_personnummer) if previous is not None else []
        if not (lines or (reason and plan.version >= 1 and (previous is not None or plan.version >= 2))):
            return
        if previous is not None:
            self.heading("docx.h.changes_since", version=previous.version)
        else:
            self.heading("docx.h.changes")
        if reason:
            self.paragraph(reason, lead=t("docx.change_reason"))
        if lines:
            self.paragraph(t("docx.changes_list"), "Small", bold=True, keep_with_next=True)
            for line in lines:
                self.bullet(line)

    def deviations(self) -> None:
        deviations = self.plan.deviations
        if not deviations:
            return
        self.heading("docx.h.deviations")
        rows = [
            [_iso(d.date) if d.date else "–", label(d.type), label(d.body), d.description or "–"] for d in deviations
        ]
        headers = [t("docx.col.date"), t("docx.col.deviation"), t("docx.col.actor"), t("docx.col.description")]
        self.table(headers, rows, (2.3, 3.9, 4.0, 6.8))

    def closure(self) -> None:
        closure = self.plan.closure
        if closure is None:
            return
        self.heading("docx.h.closure")
        self.facts(
            [
                (t("docx.f.closed_on"), _iso(closure.date)),
                (t("docx.f.outcome"), label(closure.outcome)),
                (t("docx.f.closure_note"), closure.note),
            ]
        )

    def signatures(self) -> None:
        """Those who attended sign that they agree (a draft only says that they
        will); those absent are listed as taking part in the plan; the person
        signs for a copy of the plan."""
        plan = self.plan
        self.paragraph(t("docx.h.signatures"), "Heading 1", keep_with_next=True)
        intro = t("docx.signatures_draft") if plan.editable else t("docx.signatures_intro")
        self.paragraph(intro, "Small", keep_with_next=True)
        signers: list[list[Line]] = []
        absent: list[str] = []
        person_name = plan.person.name or " "
        if plan.person_attended:
            signers.append([Line(person_name), Line(t("docx.person_role"), "Small")])
        else:
            absent.append(_joined(plan.person.name, t("docx.person_role")))
        rep = plan.person.representative
        if rep and _clean(rep.name):
            signers.append([Line(rep.name), Line(rep.relation or t("docx.f.representative"), "Small")])
        for participant in plan.others:
            detail = _joined(participant.role, participant.organisation)
            if participant.attended:
                signers.append([Line(participant.name or " "), Line(detail, "Small")])
            else:
                absent.append(_joined(participant.name, detail))
        headers = [t("docx.col.signature"), t("docx.col.name_print"), t("docx.col.date")]
        if signers:
            # Signatures stay on one page with their heading. It also keeps
            # LibreOffice (7.4) from losing every row after the first when the
            # table would otherwise split right after that row.
            rows: list[list[str | list[Line]]] = [["", signer, ""] for signer in signers]
            self.table(headers, rows, (7.0, 6.6, 3.4), min_row_height_cm=1.5, keep_together=True)
        if absent:
            self.paragraph(t("docx.signatures_absent"), "Small", bold=True, keep_with_next=True)
            for line in absent:
                self.bullet(line)
        self.paragraph(t("docx.copy_received"), "Heading 3", keep_with_next=True)
        self.table(
            headers,
            [["", [Line(person_name), Line(t("docx.person_role"), "Small")], ""]],
            (7.0, 6.6, 3.4),
            min_row_height_cm=1.5,
            keep_together=True,
        )


# -- table helpers ------------------------------------------------------------------------


def _scaled(widths_cm: Sequence[float]) -> list[Length]:
    """Column widths that add up to the text width exactly."""
    total = sum(widths_cm)
    return [Length(int(TEXT_WIDTH * width / total)) for width in widths_cm]


_RUN_BREAKS = re.compile(r"([\t\r\n])")
_HEADER_SHADE = f'<w:shd w:val="clear" w:color="auto" w:fill="{SHADE}"/>'
# a caption row reads as a heading: no rules but the one under it, in line with the headings outside
_CAPTION_BORDERS = (
    '<w:tcBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:right w:val="nil"/></w:tcBorders>'
    '<w:tcMar><w:left w:w="0" w:type="dxa"/></w:tcMar>'
)
# the draft notice: a framed, tinted paragraph
_BOX = (
    "<w:pBdr>"
    + "".join(f'<w:{edge} w:val="single" w:sz="8" w:space="4" w:color="B45309"/>' for edge in ("top", "left", "bottom", "right"))
    + '</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="FFF4E5"/>'
)


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _runs_xml(text: str, paragraph_rtl: bool, *, bold: bool = False, italic: bool = False) -> str:
    """``text`` as runs, one per stretch of one direction."""
    out = []
    for part, rtl in direction_runs(text, paragraph_rtl):
        properties = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + ("<w:rtl/>" if rtl else "")
        out.append(f"<w:r><w:rPr>{properties}</w:rPr>" if properties else "<w:r>")
        out.append(_run_content(part))
        out.append("</w:r>")
    return "".join(out)


def _run_content(text: str) -> str:
    """A run's text, a tab as w:tab and a line break as w:br (as Word types them)."""
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>'
    out = []
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            out.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(out)


# -- what changed ---------------------------------------------------------------------------


def change_lines(previous: Plan | None, plan: Plan, show_personnummer: bool = False) -> list[str]:
    """What changed since ``previous``, one line per change, as the versions screen
    lists them. Without ``show_personnummer`` (the document leaves it out) a changed
    personnummer is only said to have changed: not even its birth date is printed."""
    if previous is None:
        return []
    return [str(line) for line in describe_changes(previous, plan, personnummer_shown=show_personnummer)]


__all__ = ["DEFAULT_TEMPLATE", "TemplateError", "change_lines", "check_styles", "is_rtl", "write_docx"]
