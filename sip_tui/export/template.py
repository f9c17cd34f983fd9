"""The default base template for the Word export (sip_tui/templates/sip-base.docx).

An organisation may copy sip-base.docx, change fonts, colours, logo and
header, and point ``settings.json`` ``template`` at its copy. The export fills
the body and the placeholders below; it needs the styles in ``REQUIRED_STYLES``.

Placeholders (in the header and footer, replaced at export time in the UI
language): ``{title}``, ``{organisation}``, ``{version}``, ``{date}``,
``{page}`` and ``{of}`` (the words around the PAGE / NUMPAGES fields).
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .text import SHARED_MODE, write_atomically

LANG_TAG = "sv-SE"
FONT = "Arial"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)  # calm dark blue for headings
TEXT = RGBColor(0x22, 0x22, 0x22)
MUTED = RGBColor(0x55, 0x55, 0x55)
RULE = "BFBFBF"  # light grey lines
SHADE = "E8EEF5"  # table header shading

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM = Cm(2.0), Cm(2.3), Cm(2.0)
TEXT_WIDTH = Cm(21.0 - 2 * 2.0)

TABLE_STYLE = "SIP Table"
FACTS_STYLE = "SIP Facts"

# Style name -> style type: the export refuses a template that lacks one.
REQUIRED_STYLES: dict[str, WD_STYLE_TYPE] = {
    "Normal": WD_STYLE_TYPE.PARAGRAPH,
    "Title": WD_STYLE_TYPE.PARAGRAPH,
    "Subtitle": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 1": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 2": WD_STYLE_TYPE.PARAGRAPH,
    "Heading 3": WD_STYLE_TYPE.PARAGRAPH,
    "List Bullet": WD_STYLE_TYPE.PARAGRAPH,
    "Goal": WD_STYLE_TYPE.PARAGRAPH,
    "Small": WD_STYLE_TYPE.PARAGRAPH,
    "Table text": WD_STYLE_TYPE.PARAGRAPH,
    "Easy read title": WD_STYLE_TYPE.PARAGRAPH,
    "Easy read heading": WD_STYLE_TYPE.PARAGRAPH,
    "Easy read": WD_STYLE_TYPE.PARAGRAPH,
    TABLE_STYLE: WD_STYLE_TYPE.TABLE,
    FACTS_STYLE: WD_STYLE_TYPE.TABLE,
}


# -- small XML helpers (element order matters to Word) -------------------------


def set_child(parent, tag: str, **attrs: str):
    """Replace ``parent``'s ``tag`` child with a new one, in schema order."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = OxmlElement(tag, {qn(f"w:{key}"): value for key, value in attrs.items()})
    sequence = getattr(parent, "_tag_seq", ())
    if tag in sequence:
        parent.insert_element_before(element, *sequence[sequence.index(tag) + 1 :])
    else:
        parent.append(element)
    return element


def set_language(rpr, tag: str) -> None:
    """Spell-check language of a run-properties element (w:lang)."""
    lang = rpr.find(qn("w:lang"))
    bidi = lang.get(qn("w:bidi")) if lang is not None else None
    attrs = {"val": tag, "eastAsia": tag}
    attrs["bidi"] = bidi or "ar-SA"
    set_child(rpr, "w:lang", **attrs)


def set_fonts(rpr, name: str) -> None:
    set_child(rpr, "w:rFonts", ascii=name, hAnsi=name, cs=name, eastAsia=name)


def set_size(rpr, points: float) -> None:
    """Latin and complex-script size together, so Arabic is as large as Swedish."""
    half_points = str(round(points * 2))
    set_child(rpr, "w:sz", val=half_points)
    set_child(rpr, "w:szCs", val=half_points)


def _border(parent, tag: str, size: int = 4, color: str = RULE, space: int = 0) -> None:
    set_child(parent, tag, val="single", sz=str(size), space=str(space), color=color)


def add_field(paragraph, instruction: str, cached: str = "1") -> None:
    """A Word field (e.g. PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("result", cached), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instr.text = f" {text} "
            run._r.append(instr)
        elif kind == "result":
            run.text = text
        else:
            run._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


WORD_2013_MODE = "15"


def set_compatibility_mode(document: DocumentObject) -> None:
    """Declare the current Word layout mode: with mode 14 (python-docx's stock
    settings) Word opens the file in "compatibility mode"."""
    settings = document.settings.element
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = set_child(settings, "w:compat")
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), WORD_2013_MODE)
            return
    compat.append(
        OxmlElement(
            "w:compatSetting",
            {
                qn("w:name"): "compatibilityMode",
                qn("w:uri"): "http://schemas.microsoft.com/office/word",
                qn("w:val"): WORD_2013_MODE,
            },
        )
    )


# -- styles --------------------------------------------------------------------


def _paragraph_style(document: DocumentObject, name: str, base: str | None = "Normal"):
    styles = document.styles
    if name in styles:
        style = styles[name]
        # start from a clean slate: drop what the stock style carried
        for tag in ("w:pPr", "w:rPr"):
            for old in style.element.findall(qn(tag)):
                style.element.remove(old)
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base and name != base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _style(
    document: DocumentObject,
    name: str,
    *,
    size: float,
    bold: bool = False,
    color: RGBColor = TEXT,
    before: float = 0,
    after: float = 6,
    line: float = 1.15,
    keep_with_next: bool = False,
    base: str | None = "Normal",
    next_style: str | None = None,
):
    style = _paragraph_style(document, name, base)
    font = style.font
    font.bold = bold
    font.color.rgb = color
    rpr = style.element.get_or_add_rPr()
    if bold:
        set_child(rpr, "w:bCs")
    set_size(rpr, size)
    set_language(rpr, LANG_TAG)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    fmt.keep_with_next = keep_with_next
    fmt.widow_control = True
    if next_style:
        style.next_paragraph_style = document.styles[next_style]
    return style


def _define_styles(document: DocumentObject) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FONT)
    set_size(rpr, 11)
    set_language(rpr, LANG_TAG)

    _style(document, "Normal", size=11, after=6, base=None)
    set_fonts(document.styles["Normal"].element.get_or_add_rPr(), FONT)
    _style(document, "Title", size=22, bold=True, color=ACCENT, after=2, line=1.0, keep_with_next=True)
    _style(document, "Subtitle", size=15, color=TEXT, after=10, line=1.0, keep_with_next=True)
    h1 = _style(document, "Heading 1", size=14.5, bold=True, color=ACCENT, before=16, after=6, keep_with_next=True)
    _border(set_child(h1.element.get_or_add_pPr(), "w:pBdr"), "w:bottom", size=6, color=RULE, space=2)
    _style(document, "Heading 2", size=12, bold=True, color=ACCENT, before=10, after=3, keep_with_next=True)
    _style(document, "Heading 3", size=11, bold=True, color=TEXT, before=8, after=2, keep_with_next=True)
    for level in (1, 2, 3):
        pr = document.styles[f"Heading {level}"].element.get_or_add_pPr()
        set_child(pr, "w:outlineLvl", val=str(level - 1))

    bullet = document.styles["List Bullet"]
    bullet.font.size = None
    set_language(bullet.element.get_or_add_rPr(), LANG_TAG)
    bullet.paragraph_format.space_after = Pt(3)

    goal = _style(document, "Goal", size=13, color=TEXT, before=2, after=10, line=1.2)
    goal_ppr = goal.element.get_or_add_pPr()
    _border(set_child(goal_ppr, "w:pBdr"), "w:left", size=24, color="1F4E79", space=8)
    goal.paragraph_format.left_indent = Cm(0.4)

    _style(document, "Small", size=9.5, color=MUTED, after=4, line=1.1)
    _style(document, "Table text", size=10, after=2, line=1.05)

    _style(document, "Easy read title", size=26, bold=True, color=ACCENT, after=8, line=1.0, keep_with_next=True)
    _style(
        document,
        "Easy read heading",
        size=18,
        bold=True,
        color=ACCENT,
        before=12,
        after=3,
        line=1.0,
        keep_with_next=True,
    )
    _style(document, "Easy read", size=16, after=4, line=1.15)

    for name in ("Header", "Footer"):
        style = document.styles[name]
        style.font.size = Pt(9)
        style.font.color.rgb = MUTED
        rpr = style.element.get_or_add_rPr()
        set_size(rpr, 9)
        set_language(rpr, LANG_TAG)
        ppr = style.element.get_or_add_pPr()
        tabs = set_child(ppr, "w:tabs")
        tabs.append(OxmlElement("w:tab", {qn("w:val"): "right", qn("w:pos"): str(TEXT_WIDTH.twips)}))

    _table_style(document, TABLE_STYLE, grid=True)
    _table_style(document, FACTS_STYLE, grid=False)


def _table_style(document: DocumentObject, name: str, *, grid: bool) -> None:
    """A quiet table style: light rules, shaded header row (grid) or bold first column (facts)."""
    styles = document.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.base_style = styles["Normal Table"]
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:tblPr", "w:tblStylePr"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    ppr = OxmlElement("w:pPr")
    ppr.append(
        OxmlElement(
            "w:spacing", {qn("w:before"): "0", qn("w:after"): "40", qn("w:line"): "252", qn("w:lineRule"): "auto"}
        )
    )
    rpr = OxmlElement("w:rPr")
    rpr.append(OxmlElement("w:sz", {qn("w:val"): "20"}))
    rpr.append(OxmlElement("w:szCs", {qn("w:val"): "20"}))
    rpr.append(OxmlElement("w:lang", {qn("w:val"): LANG_TAG, qn("w:eastAsia"): LANG_TAG, qn("w:bidi"): "ar-SA"}))
    tblpr = OxmlElement("w:tblPr")
    borders = OxmlElement("w:tblBorders")
    edges = ("top", "left", "bottom", "right", "insideH", "insideV") if grid else ("top", "bottom", "insideH")
    for edge in edges:
        borders.append(
            OxmlElement(
                f"w:{edge}",
                {qn("w:val"): "single", qn("w:sz"): "4", qn("w:space"): "0", qn("w:color"): RULE},
            )
        )
    tblpr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 60), ("left", 100), ("bottom", 60), ("right", 100)):
        margins.append(OxmlElement(f"w:{edge}", {qn("w:w"): str(width), qn("w:type"): "dxa"}))
    tblpr.append(margins)
    element.append(ppr)
    element.append(rpr)
    element.append(tblpr)
    conditional = OxmlElement("w:tblStylePr", {qn("w:type"): "firstRow" if grid else "firstCol"})
    cond_rpr = OxmlElement("w:rPr")
    cond_rpr.append(OxmlElement("w:b"))
    cond_rpr.append(OxmlElement("w:bCs"))
    if not grid:
        cond_rpr.append(OxmlElement("w:color", {qn("w:val"): "444444"}))
    conditional.append(cond_rpr)
    if grid:
        tcpr = OxmlElement("w:tcPr")
        tcpr.append(OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): SHADE}))
        conditional.append(OxmlElement("w:tblPr"))
        conditional.append(tcpr)
    element.append(conditional)
    style.quick_style = True


# -- page, header, footer -----------------------------------------------------


def _page_setup(document: DocumentObject) -> None:
    for section in document.sections:
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.left_margin = section.right_margin = MARGIN_SIDE
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.header_distance = section.footer_distance = Cm(1.0)


def write_header_footer(section) -> None:
    """The placeholder header and footer; the export fills the placeholders."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    paragraph.style = "Header"
    title = paragraph.add_run("{title}")
    title.bold = True
    paragraph.add_run("\t{organisation}")
    _border(set_child(paragraph._p.get_or_add_pPr(), "w:pBdr"), "w:bottom", size=4, color=RULE, space=4)

    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.style = "Footer"
    paragraph.add_run("{version} · {date}\t{page} ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" {of} ")
    add_field(paragraph, "NUMPAGES")


# -- the template ---------------------------------------------------------------


def new_base_document() -> DocumentObject:
    """The base template as an in-memory document (python-docx's stock package restyled)."""
    document = Document()
    _define_styles(document)
    _page_setup(document)
    set_compatibility_mode(document)
    write_header_footer(document.sections[0])
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.title = "Samordnad individuell plan (SIP)"
    props.subject = ""
    props.comments = ""
    props.keywords = ""
    props.language = LANG_TAG
    props.revision = 1
    return document


def base_template_bytes() -> bytes:
    buffer = io.BytesIO()
    new_base_document().save(buffer)
    return _reproducible_zip(buffer.getvalue())


def _reproducible_zip(data: bytes) -> bytes:
    """The same package with fixed entry timestamps: rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(item.filename))
    return out.getvalue()


def build_base_template(path: str | os.PathLike[str]) -> Path:
    """Write the default base template to ``path`` (atomically) and return the path."""
    return write_atomically(Path(path), base_template_bytes(), mode=SHARED_MODE)


__all__ = [
    "FACTS_STYLE",
    "LANG_TAG",
    "REQUIRED_STYLES",
    "TABLE_STYLE",
    "TEXT_WIDTH",
    "add_field",
    "base_template_bytes",
    "build_base_template",
    "new_base_document",
    "set_child",
    "set_compatibility_mode",
    "set_language",
    "write_header_footer",
]
