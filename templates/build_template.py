"""Build ``templates/bao_cao.docx``, the default report template, reproducibly.

Run from the repository root with the project's virtual environment::

    python templates/build_template.py [OUT.docx]

The result is an ordinary Word document with docxtpl/Jinja tags that a clerk can open, restyle
and reword in Word or LibreOffice. Layout follows Nghị định 30/2020/NĐ-CP, Phụ lục I: A4
portrait, margins 20/20/30/15 mm, Times New Roman, page numbers centred in the top margin from
page 2, the two-column header and signature blocks as borderless tables.

Conventions used in the template (see ``danvan_cli.context.build_context`` for every variable):

* ``{%p … %}`` paragraphs (shown small and grey in the template) hold control tags and vanish
  when the report is rendered; ``{%tr … %}`` does the same for table rows;
* filters: ``so`` (7.506), ``dem`` (counts: 07, 120; leading zero switchable), ``tp`` (7,02),
  ``pt`` (64,38%), ``ngay`` (22/02/2024), ``ngay_thang`` (ngày 05 tháng 02 năm 2025),
  ``hoa`` (Vietnamese upper case).

The zip is written with fixed timestamps, so the same script gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

OUT = Path(__file__).with_name("bao_cao.docx")
FONT = "Times New Roman"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# Column widths in millimetres (text width = 210 - 30 - 15 = 165 mm).
TEXT_WIDTH = 165.0
# The header table reaches 8 mm into the left margin, as is usual, so that a long unit name
# ("PHƯỜNG HOÀNG VĂN THỤ") stays on one line and the national motto fits at 13 pt.
HEADER_LEFT, HEADER_RIGHT, HEADER_INDENT = 72.0, 101.0, -8.0
CLOSING_LEFT, CLOSING_RIGHT = 78.0, 87.0
CELL_MARGIN = 1.9  # left/right cell margin of a table cell

# Child order of the property elements we touch (ECMA-376 Part 1: pPr §17.3.1.26, rPr
# §17.3.2.28, tblPr §17.4.60, trPr §17.4.82). Word rejects a file whose properties are out of
# order, so every child we add is inserted at its place.
_SEQUENCES = {
    qn("w:pPr"): [
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ],
    qn("w:rPr"): [
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
    ],
    qn("w:tblPr"): [
        "w:tblStyle",
        "w:tblpPr",
        "w:tblOverlap",
        "w:bidiVisual",
        "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize",
        "w:tblW",
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    ],
    qn("w:trPr"): [
        "w:cnfStyle",
        "w:divId",
        "w:gridBefore",
        "w:gridAfter",
        "w:wBefore",
        "w:wAfter",
        "w:cantSplit",
        "w:trHeight",
        "w:tblHeader",
        "w:tblCellSpacing",
        "w:jc",
        "w:hidden",
        "w:ins",
        "w:del",
        "w:trPrChange",
    ],
}

J = WD_ALIGN_PARAGRAPH.JUSTIFY
C = WD_ALIGN_PARAGRAPH.CENTER
L = WD_ALIGN_PARAGRAPH.LEFT


# --- low-level helpers ---------------------------------------------------------------------


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _set_fonts(rpr: OxmlElement) -> None:
    """Times New Roman for every script (ascii, hAnsi, complex script, East Asian)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _place(rpr, OxmlElement("w:rFonts"))
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for name in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(name), FONT)


def _place(parent: OxmlElement, child: OxmlElement) -> OxmlElement:
    """Insert ``child`` where the schema wants it: Word rejects out-of-order properties."""
    names = [qn(tag) for tag in _SEQUENCES.get(parent.tag, ())]
    if child.tag in names:
        successors = names[names.index(child.tag) + 1 :]
        for index, sibling in enumerate(parent):
            if sibling.tag in successors:
                parent.insert(index, child)
                return child
    parent.append(child)
    return child


def _get_or_add(parent: OxmlElement, tag: str) -> OxmlElement:
    child = parent.find(qn(tag))
    if child is None:
        child = _place(parent, OxmlElement(tag))
    return child


def _style(
    doc: Document,
    name: str,
    *,
    style_id: str | None = None,
    base: str | None = "Normal",
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: int | None = J,
    first_line: float | None = 1.27,
    before: float = 0,
    after: float = 6,
    line: float = 1.2,
    keep_next: bool = False,
    color: RGBColor | None = None,
) -> object:
    """Create (or reset) a paragraph style."""
    styles = doc.styles
    if name in [s.name for s in styles]:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if style_id:
            style.element.set(qn("w:styleId"), style_id)
    if base is not None:
        style.base_style = styles[base]
    style.quick_style = True
    ppr = style.element.get_or_add_pPr()
    for child in list(ppr):
        if child.tag in {qn("w:spacing"), qn("w:ind"), qn("w:jc"), qn("w:contextualSpacing")}:
            ppr.remove(child)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(first_line) if first_line else Cm(0)
    fmt.left_indent = Cm(0)
    fmt.right_indent = Cm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    rpr = style.element.get_or_add_rPr()
    for child in list(rpr):
        rpr.remove(child)
    _set_fonts(rpr)
    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = color if color is not None else RGBColor(0, 0, 0)
    # Complex-script size and weight follow the Latin ones.
    rpr_el = style.element.get_or_add_rPr()
    _get_or_add(rpr_el, "w:szCs").set(qn("w:val"), str(int(size * 2)))
    if bold:
        _get_or_add(rpr_el, "w:bCs")
    if italic:
        _get_or_add(rpr_el, "w:iCs")
    return style


def _setup_styles(doc: Document) -> None:
    styles_el = doc.styles.element
    # Document defaults: Times New Roman 14, Vietnamese, no spacing.
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _get_or_add(rpr, "w:sz").set(qn("w:val"), "28")
    _get_or_add(rpr, "w:szCs").set(qn("w:val"), "28")
    lang = _get_or_add(rpr, "w:lang")
    for attribute in list(lang.attrib):
        del lang.attrib[attribute]
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = _get_or_add(ppr, "w:spacing")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    # No style may fall back on the theme's Calibri/Cambria.
    for fonts in styles_el.iter(qn("w:rFonts")):
        parent = fonts.getparent()
        _set_fonts(parent)

    _style(doc, "Normal", base=None, align=None, first_line=None, after=0, line=1.0)
    _style(doc, "Nội dung", style_id="NoiDung", keep_next=False)
    for level, (bold, italic) in enumerate(
        [(True, False), (True, False), (True, False), (True, True)], start=1
    ):
        _style(doc, f"Heading {level}", bold=bold, italic=italic, keep_next=True)
    _style(
        doc,
        "Đầu văn bản",
        style_id="DauVanBan",
        size=13,
        align=C,
        first_line=None,
        after=0,
        line=1.0,
    )
    _style(doc, "Bảng", style_id="Bang", size=12, align=C, first_line=None, after=0, line=1.0)
    _style(
        doc, "Nơi nhận", style_id="NoiNhan", size=11, align=L, first_line=None, after=0, line=1.0
    )
    _style(
        doc,
        "Lệnh mẫu",
        style_id="LenhMau",
        size=9,
        align=L,
        first_line=None,
        after=0,
        line=1.0,
        color=RGBColor(0x80, 0x80, 0x80),
    )
    _style(doc, "Header", size=14, align=C, first_line=None, after=0, line=1.0)


def _run(
    paragraph: object,
    text: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size: float | None = None,
) -> None:
    run = paragraph.add_run(text)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size is not None:
        run.font.size = Pt(size)


class Writer:
    """Appends paragraphs to the document body or to a table cell."""

    def __init__(self, container: object) -> None:
        self.container = container
        self._fresh = hasattr(container, "_tc")  # a new cell holds one empty paragraph

    def p(self, text: str = "", style: str = "Nội dung", **run: object) -> object:
        if self._fresh:
            paragraph = self.container.paragraphs[0]
            paragraph.style = style
            self._fresh = False
        else:
            paragraph = self.container.add_paragraph(style=style)
        if text:
            _run(paragraph, text, **run)  # type: ignore[arg-type]
        return paragraph

    def tag(self, text: str) -> object:
        """A ``{%p … %}`` control paragraph (removed at render time)."""
        return self.p(text, style="Lệnh mẫu")

    def h(self, level: int, text: str) -> object:
        return self.p(text, style=f"Heading {level}")

    def rule(self, width_mm: float, box_mm: float, after: float = 0) -> object:
        """An empty, 3-point-high paragraph whose bottom border draws a centred solid line
        ``width_mm`` long inside a box ``box_mm`` wide (the cell's or page's text width).
        Indents bound the border, which Word and LibreOffice both honour."""
        paragraph = self.p(style="Đầu văn bản")
        side = max((box_mm - width_mm) / 2, 0)
        ppr = paragraph._p.get_or_add_pPr()
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for key, value in (
            ("w:val", "single"),
            ("w:sz", "6"),
            ("w:space", "0"),
            ("w:color", "auto"),
        ):
            bottom.set(qn(key), value)
        borders.append(bottom)
        _place(ppr, borders)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Mm(side)
        fmt.right_indent = Mm(side)
        fmt.space_after = Pt(after)
        mark = _place(ppr, OxmlElement("w:rPr"))
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "6")
        mark.append(size)
        return paragraph


def _borderless_table(doc: Document, widths: list[float], indent: float | None = None) -> object:
    """One borderless row; centred, or ``indent`` mm from the left margin (may be negative)."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    if indent is None:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    else:
        tbl_ind = _get_or_add(tbl_pr, "w:tblInd")
        tbl_ind.set(qn("w:w"), _twips(indent))
        tbl_ind.set(qn("w:type"), "dxa")
    borders = _get_or_add(tbl_pr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    _fix_widths(table, widths)
    _get_or_add(table.rows[0]._tr.get_or_add_trPr(), "w:cantSplit")
    return table


def _fix_widths(table: object, widths: list[float]) -> None:
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = _get_or_add(tbl_pr, "w:tblW")
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), _twips(sum(widths)))
    layout = tbl_pr.get_or_add_tblLayout()
    layout.set(qn("w:type"), "fixed")
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), _twips(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


# --- the document --------------------------------------------------------------------------


def _page_setup(doc: Document) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)
    section.header_distance = Mm(8)
    section.footer_distance = Mm(8)
    section.gutter = Mm(0)
    # Page number centred in the top margin, from page 2 on (Nghị định 30, Phụ lục I).
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.style = doc.styles["Header"]
    for kind, text in (
        ("begin", None),
        (None, " PAGE "),
        ("separate", None),
        (None, "2"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text
    section.first_page_header.paragraphs[0].style = doc.styles["Header"]


def _header(doc: Document) -> None:
    table = _borderless_table(doc, [HEADER_LEFT, HEADER_RIGHT], HEADER_INDENT)
    left = Writer(table.cell(0, 0))
    left.p("ỦY BAN NHÂN DÂN", style="Đầu văn bản", bold=True)
    left.p("{{ unit.full|hoa }}", style="Đầu văn bản", bold=True)
    left.rule(22, HEADER_LEFT - 2 * CELL_MARGIN, after=6)
    left.p(
        "Số: {% if doc_number %}{{ doc_number }}{% else %}      {% endif %}/BC-UBND",
        style="Đầu văn bản",
    )
    right = Writer(table.cell(0, 1))
    right.p("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", style="Đầu văn bản", bold=True)
    right.p("Độc lập - Tự do - Hạnh phúc", style="Đầu văn bản", bold=True, size=14)
    right.rule(61, HEADER_RIGHT - 2 * CELL_MARGIN, after=6)
    right.p("{{ place_date }}", style="Đầu văn bản", italic=True, size=14)


def _title(body: Writer) -> None:
    title = body.p("BÁO CÁO", style="Đầu văn bản", bold=True, size=14)
    title.paragraph_format.space_before = Pt(18)
    # "… 9 tháng đầu năm;" / "phương hướng, nhiệm vụ …" on two lines, as the seed has it.
    summary = body.p(style="Đầu văn bản")
    head = summary.add_run("Kết quả công tác dân vận chính quyền {{ period.title_head }}")
    head.add_break()
    summary.add_run("{{ period.title_tail }}")
    for run in summary.runs:
        run.bold = True
        run.font.size = Pt(14)
    body.rule(45, TEXT_WIDTH, after=12)


def _notes(body: Writer, key: str, defaults: list[str]) -> None:
    """The clerk's NoiDung paragraphs for ``key``, else the default prose."""
    body.tag(f"{{%p for t in notes.{key} %}}")
    body.p("{{ t }}")
    body.tag("{%p else %}")
    for text in defaults:
        body.p(text)
    body.tag("{%p endfor %}")


#: For each document group: what the unit did on the bases cited ("Thực hiện A; B, …") and
#: the topic that introduces the documents it issued in the period ("Về …, trong … đã ban
#: hành …"; empty for a plain "Trong …, … đã ban hành …").
CITATIONS = {
    "lanh_dao_chi_dao": (
        "{{ unit.ubnd }} lãnh đạo, chỉ đạo triển khai công tác dân vận chính quyền trên địa bàn "
        "{{ unit.kind_lower }}",
        "",
    ),
    "tuyen_truyen": (
        "{{ unit.ubnd }} chỉ đạo tuyên truyền, phổ biến sâu rộng đến cán bộ, công chức và Nhân dân",
        "tuyên truyền, phổ biến",
    ),
    "cai_cach_hanh_chinh": (
        "{{ unit.ubnd }} tập trung chỉ đạo thực hiện các nhiệm vụ cải cách hành chính",
        "cải cách hành chính",
    ),
    "thu_tuc_hanh_chinh": (
        "{{ unit.ubnd }} triển khai kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, "
        "một cửa liên thông",
        "kiểm soát thủ tục hành chính",
    ),
    "tiep_cong_dan": (
        "{{ unit.ubnd }} tổ chức tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản "
        "ánh theo đúng quy định",
        "tiếp công dân, giải quyết khiếu nại, tố cáo",
    ),
    "dan_van_kheo": (
        "{{ unit.ubnd }} chỉ đạo các ban, ngành, đoàn thể triển khai phong trào thi đua “Dân "
        "vận khéo”",
        "phong trào thi đua “Dân vận khéo”",
    ),
    "phoi_hop_mttq": (
        "{{ unit.ubnd }} phối hợp, tạo điều kiện để Mặt trận Tổ quốc và các tổ chức chính trị - "
        "xã hội thực hiện giám sát, phản biện xã hội, góp ý xây dựng Đảng, xây dựng chính quyền",
        "phối hợp với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
    ),
}


def _cited(key: str) -> str:
    """The citations of ``bases.G`` or ``issued.G``, joined by "; "."""
    return (
        f"{{% for d in {key} %}}{{{{ d.citation }}}}{{% if not loop.last %}}; {{% endif %}}"
        "{% endfor %}"
    )


def _citations(body: Writer, group: str) -> None:
    """A group's documents in two sentences: the bases the period's work rests on (other
    issuers' documents and the unit's own older ones) as "Thực hiện …", then the unit's own
    documents dated inside the window as issued in the period."""
    tail, topic = CITATIONS[group]
    body.tag(f"{{%p if bases.{group} %}}")
    body.p(f"Thực hiện {_cited(f'bases.{group}')}, {tail}.")
    body.tag("{%p endif %}")
    body.tag(f"{{%p if issued.{group} %}}")
    lead = f"Về {topic}, trong" if topic else "Trong"
    body.p(
        f"{lead} {{{{ period.in_period_text }}}}{'' if topic else ','} {{{{ unit.ubnd }}}} đã "
        f"ban hành {{% if issued.{group}|length > 1 %}}các văn bản: {{% endif %}}"
        f"{_cited(f'issued.{group}')}."
    )
    body.tag("{%p endif %}")


SECTION_I = [
    "Trong {{ period.in_period_text }}, tình hình chính trị, kinh tế - xã hội trên địa bàn "
    "{{ unit.kind_lower }} cơ bản ổn định; quốc phòng, an ninh được bảo đảm, trật tự an toàn "
    "xã hội được giữ vững. Các chương trình, nhiệm vụ trọng tâm theo nghị quyết của Đảng ủy, "
    "Hội đồng nhân dân {{ unit.kind_lower }} được triển khai đồng bộ; đời sống vật chất và "
    "tinh thần của Nhân dân từng bước được cải thiện; cán bộ, đảng viên và Nhân dân đồng "
    "thuận, tin tưởng vào sự lãnh đạo của Đảng và sự quản lý, điều hành của chính quyền.",
    "Bên cạnh những thuận lợi, địa phương vẫn còn gặp một số khó khăn: quy mô sản xuất, kinh "
    "doanh còn nhỏ, thu nhập của một bộ phận người dân chưa ổn định; thời tiết, dịch bệnh và "
    "biến động giá cả tiềm ẩn nhiều yếu tố khó lường. Điều đó đòi hỏi chính quyền phải làm "
    "tốt hơn nữa công tác dân vận, lắng nghe và giải quyết kịp thời những kiến nghị chính "
    "đáng của Nhân dân, củng cố khối đại đoàn kết toàn dân, tạo sự đồng thuận trong thực hiện "
    "nhiệm vụ phát triển kinh tế - xã hội năm {{ period.year }}.",
]

SECTION_II_1 = [
    "Ủy ban nhân dân {{ unit.kind_lower }} xác định công tác dân vận chính quyền là nhiệm vụ "
    "thường xuyên, gắn liền với việc thực hiện các chỉ tiêu phát triển kinh tế - xã hội của "
    "địa phương. Ngay từ đầu năm, Chủ tịch Ủy ban nhân dân {{ unit.kind_lower }} đã phân công "
    "nhiệm vụ cụ thể cho các thành viên Ủy ban và công chức chuyên môn; chỉ đạo các ban, "
    "ngành, đoàn thể và các {{ unit.village_word }} xây dựng kế hoạch thực hiện phù hợp với "
    "chức năng, nhiệm vụ và tình hình thực tế.",
    "Việc triển khai công tác dân vận được lồng ghép trong các cuộc họp giao ban, hội nghị "
    "chuyên đề; kết quả thực hiện được theo dõi, đôn đốc và sơ kết định kỳ, qua đó kịp thời "
    "chấn chỉnh những tồn tại, bảo đảm các nhiệm vụ đề ra được thực hiện nghiêm túc, đúng "
    "tiến độ.",
]

SECTION_II_2 = [
    "Công tác thông tin, tuyên truyền về dân vận chính quyền được thực hiện bằng nhiều hình "
    "thức phù hợp: lồng ghép trong các hội nghị của Đảng ủy, chính quyền, Mặt trận Tổ quốc và "
    "các đoàn thể; phát trên hệ thống truyền thanh cơ sở; đăng tải trên trang thông tin điện "
    "tử và các nhóm mạng xã hội của {{ unit.kind_lower }} và của các {{ unit.village_word }}.",
    "Nội dung tuyên truyền tập trung vào quan điểm của Đảng về công tác dân vận trong tình "
    "hình mới, Quy chế công tác dân vận của hệ thống chính trị, Luật Thực hiện dân chủ ở cơ sở "
    "và các chủ trương, chính sách liên quan trực tiếp đến quyền, lợi ích của người dân. Nhờ "
    "đó, nhận thức và trách nhiệm của cán bộ, công chức trong việc gần dân, lắng nghe và phục "
    "vụ Nhân dân tiếp tục được nâng lên.",
]

SECTION_II_3_1 = [
    "- Cán bộ, công chức {{ unit.kind_lower }} thường xuyên được quán triệt về đạo đức công "
    "vụ, văn hóa công sở và quy tắc ứng xử; thái độ tiếp xúc, hướng dẫn người dân ngày càng "
    "niềm nở, tận tình, đúng mực.",
    "- Kỷ luật, kỷ cương hành chính được duy trì nghiêm; cán bộ, công chức làm việc đúng giờ, "
    "đeo thẻ khi thi hành công vụ, không gây khó khăn, phiền hà cho tổ chức, công dân trong "
    "giải quyết công việc.",
    "- Phong cách “Trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân” được cụ "
    "thể hóa bằng việc lắng nghe ý kiến của Nhân dân tại các buổi tiếp công dân, hội nghị đối "
    "thoại và sinh hoạt ở {{ unit.village_word }}; những vướng mắc phát sinh được xem xét, trả "
    "lời kịp thời, công khai.",
    "- Việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh theo Chỉ thị số "
    "05-CT/TW của Bộ Chính trị được gắn với nhiệm vụ chuyên môn của từng cán bộ, công chức; "
    "mỗi người đăng ký việc làm cụ thể để tự rèn luyện và nêu gương.",
]

SECTION_II_3_2_A = [
    "Cải cách hành chính tiếp tục được xác định là khâu đột phá trong quản lý, điều hành của "
    "chính quyền {{ unit.kind_lower }}. {{ unit.ubnd }} ban hành kế hoạch cải cách hành chính "
    "năm {{ period.year }}, phân công rõ người, rõ việc, rõ thời hạn và thường xuyên kiểm tra, "
    "đôn đốc việc thực hiện.",
    "Gắn cải cách hành chính với chuyển đổi số, {{ unit.ubnd }} đẩy mạnh sử dụng văn bản "
    "điện tử, chữ ký số trong xử lý công việc; hướng dẫn người dân sử dụng dịch vụ công trực "
    "tuyến, thanh toán trực tuyến và các kênh phản ánh, kiến nghị trên nền tảng số; quy chế "
    "làm việc và chế độ thông tin, báo cáo được thực hiện nền nếp.",
]

SECTION_II_3_2_B = [
    "Bộ thủ tục hành chính thuộc thẩm quyền giải quyết của cấp {{ unit.kind_lower }} được "
    "niêm yết công khai, đầy đủ tại Bộ phận Tiếp nhận và Trả kết quả và trên trang thông tin "
    "điện tử; khi có quyết định công bố mới, danh mục thủ tục được cập nhật kịp thời. Các nội "
    "dung phải công khai theo Luật Thực hiện dân chủ ở cơ sở được thông báo rộng rãi để Nhân "
    "dân biết, bàn, kiểm tra và giám sát.",
    "Bộ phận Một cửa được bố trí công chức có năng lực, trách nhiệm; hồ sơ được tiếp nhận, số "
    "hóa và luân chuyển trên hệ thống thông tin giải quyết thủ tục hành chính; trường hợp giải "
    "quyết quá hạn đều có văn bản xin lỗi và hẹn lại thời gian trả kết quả.",
]

SECTION_II_3_2_C = [
    "{{ unit.ubnd }} duy trì lịch tiếp công dân định kỳ của Chủ tịch, bố trí công chức tiếp "
    "công dân thường xuyên tại trụ sở; nội quy, lịch tiếp được niêm yết công khai. Các vụ việc "
    "thuộc thẩm quyền được phân loại, giao bộ phận chuyên môn xem xét và trả lời người dân "
    "đúng trình tự, thời hạn; vụ việc phức tạp được tổ chức đối thoại, phối hợp với Mặt trận "
    "Tổ quốc và các đoàn thể để vận động, giải thích.",
]

SECTION_II_4 = [
    "{{ unit.ubnd }} thường xuyên nhắc nhở, kiểm tra việc chấp hành kỷ luật, kỷ cương hành "
    "chính, giờ giấc làm việc và thái độ phục vụ Nhân dân của cán bộ, công chức; việc đánh "
    "giá, xếp loại cán bộ, công chức được gắn với kết quả thực hiện nhiệm vụ và mức độ hài "
    "lòng của người dân.",
]

SECTION_II_5 = [
    "Phong trào thi đua “Dân vận khéo” được phát động đến các ban, ngành, đoàn thể và các "
    "{{ unit.village_word }}, gắn với nhiệm vụ chính trị của từng đơn vị và các phong trào thi "
    "đua yêu nước. Các đơn vị đăng ký xây dựng mô hình, điển hình cụ thể, thiết thực, phù hợp "
    "với điều kiện thực tế; quá trình thực hiện được theo dõi, hướng dẫn và đánh giá định kỳ.",
]

SECTION_II_6 = [
    "{{ unit.ubnd }} thực hiện nghiêm quy chế phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam "
    "{{ unit.kind_lower }} và các tổ chức chính trị - xã hội; định kỳ mời đại diện Mặt trận, "
    "các đoàn thể dự các phiên họp của Ủy ban nhân dân, các hội nghị sơ kết, tổng kết để nắm "
    "bắt và tiếp thu ý kiến đóng góp.",
    "Các kiến nghị của Mặt trận Tổ quốc, các đoàn thể qua hoạt động giám sát, phản biện xã "
    "hội và qua tổng hợp ý kiến cử tri được {{ unit.ubnd }} xem xét, chỉ đạo giải quyết và "
    "thông tin lại kịp thời. Sự phối hợp này góp phần tăng cường mối quan hệ gắn bó giữa chính "
    "quyền với Nhân dân, phát huy quyền làm chủ của Nhân dân trong xây dựng Đảng, xây dựng "
    "chính quyền.",
]

SECTION_III_1 = [
    "Công tác dân vận chính quyền trong kỳ được triển khai có kế hoạch, gắn với nhiệm vụ "
    "chính trị của địa phương; ý thức trách nhiệm, tinh thần phục vụ Nhân dân của đội ngũ cán "
    "bộ, công chức có chuyển biến tích cực. Thủ tục hành chính được giải quyết công khai, minh "
    "bạch; công tác tiếp công dân, xử lý đơn thư được thực hiện đúng quy định, không để phát "
    "sinh điểm nóng. Quan hệ phối hợp giữa chính quyền với Mặt trận Tổ quốc và các đoàn thể "
    "ngày càng chặt chẽ, góp phần củng cố niềm tin của Nhân dân đối với Đảng và chính quyền.",
]

SECTION_III_2 = [
    "Việc cụ thể hóa các nội dung công tác dân vận ở một số ban, ngành còn chậm, chưa sát với "
    "thực tế; một số cán bộ, công chức chưa chủ động nắm bắt tâm tư, nguyện vọng của Nhân dân. "
    "Tỷ lệ hồ sơ nộp trực tuyến ở một số lĩnh vực chưa cao; việc sơ kết, nhân rộng các mô hình "
    "“Dân vận khéo” có nơi chưa kịp thời; chế độ thông tin, báo cáo của một vài đơn vị còn "
    "chậm.",
]

SECTION_III_3 = [
    "Khối lượng công việc ở cơ sở lớn trong khi đội ngũ cán bộ, công chức còn mỏng, nhiều "
    "người kiêm nhiệm; cơ sở vật chất, hạ tầng số chưa đáp ứng đầy đủ yêu cầu. Một bộ phận "
    "người dân, nhất là người cao tuổi, còn hạn chế trong sử dụng các dịch vụ số; công tác "
    "kiểm tra, đôn đốc có thời điểm chưa thường xuyên, sự phối hợp giữa một số ban, ngành chưa "
    "thật nhịp nhàng.",
]

SECTION_IV = [
    "Tiếp tục tuyên truyền, quán triệt quan điểm, chủ trương của Đảng, chính sách, pháp luật "
    "của Nhà nước về công tác dân vận; nâng cao nhận thức, trách nhiệm của cán bộ, công chức "
    "trong thực hiện dân vận chính quyền.",
    "Đẩy mạnh cải cách hành chính gắn với chuyển đổi số; nâng cao tỷ lệ hồ sơ trực tuyến và "
    "tỷ lệ giải quyết thủ tục hành chính đúng hạn; thực hiện nghiêm việc công khai, minh bạch "
    "và xin lỗi tổ chức, công dân khi để hồ sơ quá hạn.",
    "Duy trì nghiêm lịch tiếp công dân định kỳ, đột xuất của Chủ tịch {{ unit.ubnd }}; giải "
    "quyết kịp thời, dứt điểm các vụ việc khiếu nại, tố cáo, kiến nghị, phản ánh ngay từ cơ "
    "sở, không để phát sinh vụ việc phức tạp, đông người.",
    "Tiếp tục thực hiện phong trào thi đua “Dân vận khéo”; lựa chọn, xây dựng và nhân rộng "
    "các mô hình, điển hình tiêu biểu, gắn với thực hiện Chỉ thị số 05-CT/TW của Bộ Chính "
    "trị.",
    "Phối hợp chặt chẽ với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội trong giám sát, "
    "phản biện xã hội, góp ý xây dựng Đảng, xây dựng chính quyền; nắm chắc tình hình Nhân dân "
    "để kịp thời tham mưu xử lý những vấn đề phát sinh ở cơ sở",
]


def _section_i(body: Writer) -> None:
    body.h(1, "I. ĐẶC ĐIỂM TÌNH HÌNH")
    body.p(
        "{{ unit.title }} thuộc {% if unit.district_full %}{{ unit.district_full }}, "
        "{% endif %}{{ unit.province_full }}"
        "{% if profile.area_km2 %}, có diện tích {{ profile.area_km2|tp }} km²{% endif %}"
        "{% if profile.population %}, dân số {{ profile.population|so }} người{% endif %}"
        "{% if profile.density %}, mật độ dân số khoảng {{ profile.density|so }} người/km²"
        "{% endif %}{% if unit.location %}; {{ unit.location }}{% endif %}."
    )
    body.tag("{%p if profile.villages or profile.party_members or profile.party_cells %}")
    body.p(
        "{% if profile.villages %}{{ unit.kind }} có {{ profile.villages|dem }} "
        "{{ unit.village_word }}{% if profile.party_members or profile.party_cells %}; "
        "{% endif %}{% endif %}"
        "{% if profile.party_members or profile.party_cells %}Đảng bộ {{ unit.kind_lower }} có "
        "{% if profile.party_members %}{{ profile.party_members|dem }} đảng viên"
        "{% if profile.party_cells %}, {% endif %}{% endif %}"
        "{% if profile.party_cells %}{{ profile.party_cells|dem }} chi bộ"
        "{% if unit.party_structure %} (gồm {{ unit.party_structure }}){% endif %}{% endif %}"
        "{% endif %}."
    )
    body.tag("{%p endif %}")
    _notes(body, "I", SECTION_I)


def _section_ii_1_2(body: Writer) -> None:
    body.h(1, "II. KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN {{ period.results_label|hoa }}")
    body.h(2, "1. Công tác lãnh đạo, chỉ đạo")
    _citations(body, "lanh_dao_chi_dao")
    _notes(body, "II_1", SECTION_II_1)
    body.h(2, "2. Công tác tuyên truyền, phổ biến, triển khai thực hiện")
    _citations(body, "tuyen_truyen")
    _notes(body, "II_2", SECTION_II_2)


def _dossier_sentence(body: Writer) -> None:
    body.tag("{%p if dossiers.received or dossiers.carried_over or dossiers.resolved %}")
    body.p(
        "{% if period.from_year_start %}Kết quả tính đến ngày {{ period.cutoff }}"
        "{% else %}Trong {{ period.in_period_text }} (từ ngày {{ period.start }} đến ngày "
        "{{ period.end }}){% endif %}, Bộ phận Tiếp nhận và Trả kết quả "
        "{{ unit.kind_lower }} "
        # Form II.06a counts what there was to settle as carried over plus newly received.
        "{% if dossiers.carried_over %}đã nhận giải quyết "
        "{{ (dossiers.carried_over + dossiers.received)|dem }} hồ sơ, trong đó kỳ trước "
        "chuyển sang {{ dossiers.carried_over|dem }} hồ sơ"
        "{% if dossiers.received %}, mới tiếp nhận {{ dossiers.received|dem }} hồ sơ"
        "{% else %}, không có hồ sơ mới tiếp nhận{% endif %}"
        "{% else %}đã tiếp nhận {{ dossiers.received|dem }} hồ sơ{% endif %}"
        "{% if dossiers.received %} ("
        "{% if dossiers.online %}trực tuyến {{ dossiers.online|dem }} hồ sơ, đạt "
        "{{ dossiers.online_rate|pt }}{% if dossiers.direct or dossiers.postal %}; {% endif %}"
        "{% endif %}"
        "{% if dossiers.direct %}trực tiếp {{ dossiers.direct|dem }} hồ sơ"
        "{% if dossiers.postal %}; {% endif %}{% endif %}"
        "{% if dossiers.postal %}qua dịch vụ bưu chính {{ dossiers.postal|dem }} hồ sơ"
        "{% endif %}){% endif %}"
        "{% if dossiers.resolved %}; đã giải quyết {{ dossiers.resolved|dem }} hồ sơ, trong đó "
        "{% if dossiers.early %}giải quyết trước hạn {{ dossiers.early|dem }} hồ sơ"
        "{% if dossiers.on_time or dossiers.late %}, {% endif %}{% endif %}"
        "{% if dossiers.on_time %}đúng hạn {{ dossiers.on_time|dem }} hồ sơ"
        "{% if dossiers.late %}, {% endif %}{% endif %}"
        "{% if dossiers.late %}quá hạn {{ dossiers.late|dem }} hồ sơ{% endif %}"
        "; tỷ lệ giải quyết đúng hạn đạt {{ dossiers.on_time_rate|pt }}"
        "{% if not dossiers.late %}, không có hồ sơ quá hạn{% endif %}"
        "{% else %}; chưa có hồ sơ nào được giải quyết xong{% endif %}"
        "{% if dossiers.open %}; đang giải quyết {{ dossiers.open|dem }} hồ sơ"
        "{% if dossiers.open_overdue %} (trong đó đã quá hạn {{ dossiers.open_overdue|dem }}"
        " hồ sơ){% endif %}{% endif %}."
    )
    body.tag("{%p else %}")
    body.p(
        "{% if period.from_year_start %}Tính đến ngày {{ period.cutoff }}{% else %}Trong "
        "{{ period.in_period_text }} (từ ngày {{ period.start }} đến ngày {{ period.end }})"
        "{% endif %}, Bộ phận Tiếp nhận và Trả kết quả {{ unit.kind_lower }} chưa tiếp nhận "
        "hồ sơ thủ tục hành chính nào."
    )
    body.tag("{%p endif %}")


def _dossier_comparison(body: Writer) -> None:
    """With last year's workbook: how the dossier figures moved ("so với cùng kỳ")."""
    body.tag("{%p if compare.available %}")
    body.p(
        "Số hồ sơ tiếp nhận {{ compare.dossiers.received }}"
        "{% if compare.dossiers.online_rate %}; tỷ lệ hồ sơ tiếp nhận trực tuyến "
        "{{ compare.dossiers.online_rate.change }}{% endif %}"
        "{% if compare.dossiers.on_time_rate %}; tỷ lệ hồ sơ giải quyết đúng hạn "
        "{{ compare.dossiers.on_time_rate.change }}{% endif %}."
    )
    body.tag("{%p endif %}")


def _dossier_table(doc: Document, body: Writer) -> None:
    body.tag("{%p if dossiers.by_field|length > 1 %}")
    caption = body.p(
        "Kết quả tiếp nhận, giải quyết hồ sơ theo lĩnh vực:", style="Nội dung", italic=True
    )
    caption.paragraph_format.keep_with_next = True
    headers = [
        "Lĩnh vực",
        "Tiếp nhận",
        "Trực tuyến",
        "Đã giải quyết",
        "Trước, đúng hạn",
        "Quá hạn",
        "Đang giải quyết",
    ]
    # Every header fits two lines at 12 pt; the field names wrap in their own column.
    widths = [41.0, 19.0, 19.0, 21.0, 22.0, 19.0, 24.0]
    table = doc.add_table(rows=5, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fix_widths(table, widths)
    header_row = table.rows[0]
    _get_or_add(header_row._tr.get_or_add_trPr(), "w:tblHeader")
    for cell, text in zip(header_row.cells, headers, strict=True):
        Writer(cell).p(text, style="Bảng", bold=True)
    Writer(table.cell(1, 0)).p("{%tr for f in dossiers.by_field %}", style="Lệnh mẫu")
    values = [
        "{{ f.field }}",
        "{{ f.received|so }}",
        "{{ f.online|so }}",
        "{{ f.resolved|so }}",
        "{{ (f.early + f.on_time)|so }}",
        "{{ f.late|so }}",
        "{{ f.open|so }}",
    ]
    for index, text in enumerate(values):
        paragraph = Writer(table.cell(2, index)).p(text, style="Bảng")
        if index == 0:
            paragraph.alignment = L
    Writer(table.cell(3, 0)).p("{%tr endfor %}", style="Lệnh mẫu")
    totals = [
        "Tổng cộng",
        "{{ dossiers.received|so }}",
        "{{ dossiers.online|so }}",
        "{{ dossiers.resolved|so }}",
        "{{ (dossiers.early + dossiers.on_time)|so }}",
        "{{ dossiers.late|so }}",
        "{{ dossiers.open|so }}",
    ]
    for index, text in enumerate(totals):
        Writer(table.cell(4, index)).p(text, style="Bảng", bold=True)
    # add_table appends to the body, so the table already sits after the caption.
    spacer = body.p(style="Bảng")
    spacer.paragraph_format.space_after = Pt(6)
    body.tag("{%p endif %}")


def _section_ii_3(doc: Document, body: Writer) -> None:
    body.h(2, "3. Kết quả thực hiện")
    body.h(
        3,
        "3.1. Việc xây dựng và thực hiện chính quyền, cơ quan, đơn vị thân thiện “Của dân, do "
        "dân, vì dân”, “Vì Nhân dân phục vụ”; cán bộ, công chức có phong cách làm việc “Trọng "
        "dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”, “Nghe dân nói, nói dân "
        "hiểu, làm dân tin”",
    )
    _notes(body, "II_3_1", SECTION_II_3_1)
    body.h(
        3,
        "3.2. Kết quả thực hiện cải cách hành chính, công khai, minh bạch, trách nhiệm giải "
        "trình trong hoạt động; công tác đối thoại, tiếp công dân; giải quyết đơn thư khiếu "
        "nại, tố cáo, những bức xúc, kiến nghị của Nhân dân",
    )
    body.h(4, "a) Về công tác cải cách hành chính")
    _citations(body, "cai_cach_hanh_chinh")
    _notes(body, "II_3_2_a", SECTION_II_3_2_A)

    body.h(
        4,
        "b) Về cải cách thủ tục hành chính; công khai, minh bạch, tạo thuận lợi cho Nhân dân "
        "tiếp cận, giám sát hoạt động của cơ quan hành chính nhà nước các cấp, cán bộ, công "
        "chức, viên chức; thực hiện Quy chế dân chủ ở cơ sở gắn với phương châm “Dân biết, dân "
        "bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”",
    )
    _notes(body, "II_3_2_b", SECTION_II_3_2_B)
    _citations(body, "thu_tuc_hanh_chinh")
    body.tag("{%p if procedures.total %}")
    body.p(
        "Hiện nay, {{ unit.ubnd }} đang tiếp nhận, giải quyết {{ procedures.total|dem }} thủ "
        "tục thuộc {{ procedures.fields|dem }} lĩnh vực"
        "{% if procedures.full_online or procedures.partial_online %}; trong đó "
        "{% if procedures.full_online %}{{ procedures.full_online|dem }} thủ tục hành chính "
        "dịch vụ công toàn trình{% if procedures.partial_online %}, {% endif %}{% endif %}"
        "{% if procedures.partial_online %}{{ procedures.partial_online|dem }} thủ tục hành "
        "chính dịch vụ công một phần{% endif %}{% endif %}."
    )
    body.tag("{%p endif %}")
    _dossier_sentence(body)
    _dossier_comparison(body)
    _dossier_table(doc, body)

    body.h(
        4,
        "c) Công tác đối thoại, tiếp công dân, giải quyết khiếu nại, tố cáo những bức xúc, "
        "kiến nghị của Nhân dân",
    )
    _notes(body, "II_3_2_c", SECTION_II_3_2_C)
    _citations(body, "tiep_cong_dan")
    body.tag("{%p if reception.visits %}")
    body.p(
        "Trong {{ period.in_period_text }}, tại trụ sở {{ unit.ubnd }} đã tiếp "
        "{{ reception.visits|dem }} lượt = {{ reception.people|dem }} người = "
        "{{ reception.cases|dem }} vụ việc ({% for k in kinds %}{{ k.label }}: "
        "{{ reception.cases_by_kind[k.key]|dem }} vụ việc{% if not loop.last %}, {% endif %}"
        "{% endfor %}){% if reception.groups %}, trong đó có {{ reception.groups|dem }} đoàn "
        "đông người{% else %}; không có đoàn đông người{% endif %}."
    )
    body.tag("{%p if reception.by_mode.dinh_ky.visits or reception.by_mode.uy_quyen.visits %}")
    body.p(
        "Tiếp định kỳ: {% if reception.by_mode.dinh_ky.visits %}Đồng chí Chủ tịch "
        "{{ unit.ubnd }} tiếp {{ reception.by_mode.dinh_ky.sessions|dem }} buổi = "
        "{{ reception.by_mode.dinh_ky.visits|dem }} lượt = "
        "{{ reception.by_mode.dinh_ky.people|dem }} người = "
        "{{ reception.by_mode.dinh_ky.cases|dem }} vụ việc{% else %}không có công dân đến "
        "trong các buổi tiếp của đồng chí Chủ tịch {{ unit.ubnd }}{% endif %}"
        "{% if reception.by_mode.uy_quyen.visits %}; ủy quyền tiếp "
        "{{ reception.by_mode.uy_quyen.sessions|dem }} buổi = "
        "{{ reception.by_mode.uy_quyen.visits|dem }} lượt = "
        "{{ reception.by_mode.uy_quyen.people|dem }} người = "
        "{{ reception.by_mode.uy_quyen.cases|dem }} vụ việc{% endif %}."
    )
    body.tag("{%p endif %}")
    body.tag("{%p if reception.by_mode.thuong_xuyen.visits or reception.by_mode.dot_xuat.visits %}")
    body.p(
        "{% if reception.by_mode.thuong_xuyen.visits %}Tiếp thường xuyên: "
        "{{ reception.by_mode.thuong_xuyen.visits|dem }} lượt = "
        "{{ reception.by_mode.thuong_xuyen.people|dem }} người = "
        "{{ reception.by_mode.thuong_xuyen.cases|dem }} vụ việc{% endif %}"
        "{% if reception.by_mode.thuong_xuyen.visits and reception.by_mode.dot_xuat.visits %}"
        "; {% endif %}{% if reception.by_mode.dot_xuat.visits %}"
        "{% if reception.by_mode.thuong_xuyen.visits %}t{% else %}T{% endif %}iếp đột xuất: "
        "{{ reception.by_mode.dot_xuat.visits|dem }} lượt = "
        "{{ reception.by_mode.dot_xuat.people|dem }} người = "
        "{{ reception.by_mode.dot_xuat.cases|dem }} vụ việc{% endif %}."
    )
    body.tag("{%p endif %}")
    body.tag("{%p else %}")
    body.p(
        "Trong {{ period.in_period_text }}, không có lượt công dân nào đến trụ sở "
        "{{ unit.ubnd }} để khiếu nại, tố cáo, kiến nghị, phản ánh."
    )
    body.tag("{%p endif %}")
    body.tag("{%p if compare.available %}")
    body.p(
        "Số lượt tiếp công dân {{ compare.reception.visits }}; số người "
        "{{ compare.reception.people.change }}; số vụ việc {{ compare.reception.cases.change }}."
    )
    body.tag("{%p endif %}")
    body.tag("{%p if petitions.received %}")
    body.p(
        "Đã tiếp nhận {{ petitions.received|dem }} đơn"
        "{% if compare.available %}, {{ compare.petitions.received }}{% endif %}; "
        "{% if petitions.processed %}đã xử lý {{ petitions.processed|dem }} đơn"
        "{% else %}chưa có đơn nào được xử lý xong{% endif %}; "
        "{% if petitions.eligible %}số đơn đủ điều kiện xử lý {{ petitions.eligible|dem }} đơn "
        "({% for k in kinds if petitions.eligible_by_kind[k.key] %}{{ k.label }}: "
        "{{ petitions.eligible_by_kind[k.key]|dem }} đơn{% if not loop.last %}, {% endif %}"
        "{% endfor %}){% else %}không có đơn nào đủ điều kiện xử lý{% endif %}."
    )
    body.tag("{%p else %}")
    body.p(
        "Trong kỳ, {{ unit.ubnd }} chưa tiếp nhận đơn nào"
        "{% if compare.available %}, {{ compare.petitions.received }}{% endif %}."
    )
    body.tag("{%p endif %}")


def _section_ii_4_6(body: Writer) -> None:
    body.h(
        2,
        "4. Kết quả kiểm tra, thanh tra, xử lý cán bộ, công chức, viên chức có hành vi cửa "
        "quyền, gây phiền hà cho Nhân dân, xâm phạm quyền và lợi ích chính đáng của Nhân dân",
    )
    _notes(body, "II_4", SECTION_II_4)
    body.p(
        "Trong {{ period.in_period_text }}, trên địa bàn {{ unit.kind_lower }} "
        "{% if discipline.violations %}có {{ discipline.violations|dem }} trường hợp cán bộ, "
        "công chức{% else %}không có trường hợp cán bộ, công chức nào{% endif %} có hành vi "
        "cửa quyền, gây phiền hà, xâm phạm quyền và lợi ích chính đáng của Nhân dân; "
        "{% if discipline.attitude_complaints %}{{ unit.ubnd }} nhận được "
        "{{ discipline.attitude_complaints|dem }} đơn phản ánh về tinh thần, thái độ phục vụ "
        "của cán bộ, công chức{% else %}{{ unit.ubnd }} không nhận được đơn nào phản ánh về "
        "tinh thần, thái độ phục vụ của cán bộ, công chức{% endif %}."
    )

    body.h(
        2,
        "5. Việc phát động và chỉ đạo thực hiện phong trào thi đua “Dân vận khéo” trên các "
        "lĩnh vực kinh tế",
    )
    _citations(body, "dan_van_kheo")
    _notes(body, "II_5", SECTION_II_5)
    body.tag("{%p if models %}")
    body.p(
        "Trong {{ period.in_period_text }}, các mô hình “Dân vận khéo” tiêu biểu gồm: "
        "{% for m in models %}Mô hình “{{ m.name }}” của {{ m.unit }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}. Các mô hình đã góp phần động viên "
        "Nhân dân tham gia phát triển kinh tế, giữ gìn cảnh quan, vệ sinh môi trường và bảo "
        "đảm an ninh, trật tự ở khu dân cư."
    )
    body.tag("{%p else %}")
    body.p(
        "Các ban, ngành, đoàn thể đang tiếp tục xây dựng, hoàn thiện mô hình “Dân vận khéo” "
        "để đánh giá, công nhận trong thời gian tới."
    )
    body.tag("{%p endif %}")

    body.h(
        2,
        "6. Kết quả phối hợp, tạo điều kiện để Mặt trận Tổ quốc Việt Nam, các tổ chức chính "
        "trị - xã hội thực hiện Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày "
        "12/12/2013 của Bộ Chính trị ban hành “Quy chế giám sát và phản biện xã hội của Mặt "
        "trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội”; “Quy định về việc Mặt trận "
        "Tổ quốc Việt Nam, các đoàn thể chính trị - xã hội và Nhân dân tham gia góp ý xây dựng "
        "Đảng, xây dựng chính quyền”",
    )
    _citations(body, "phoi_hop_mttq")
    _notes(body, "II_6", SECTION_II_6)


def _sections_iii_iv(body: Writer) -> None:
    body.h(1, "III. ĐÁNH GIÁ CHUNG")
    body.h(2, "1. Ưu điểm")
    _notes(body, "III_1", SECTION_III_1)
    body.h(2, "2. Hạn chế")
    _notes(body, "III_2", SECTION_III_2)
    body.h(2, "3. Nguyên nhân")
    _notes(body, "III_3", SECTION_III_3)
    body.h(1, "IV. NHIỆM VỤ TRỌNG TÂM {{ period.next_label|hoa }}")
    # The last task is kept with the signature block (never a signature alone on a page).
    body.tag("{%p if notes.IV %}")
    body.tag("{%p for t in notes.IV[:-1] %}")
    body.p("{{ loop.index }}. {{ t }}.")
    body.tag("{%p endfor %}")
    last_note = body.p("{{ notes.IV|length }}. {{ notes.IV[-1] }}./.")
    last_note.paragraph_format.keep_with_next = True
    body.tag("{%p else %}")
    for number, text in enumerate(SECTION_IV, start=1):
        last = number == len(SECTION_IV)
        task = body.p(f"{number}. {text}{'./.' if last else ''}")
        task.paragraph_format.keep_with_next = last
    body.tag("{%p endif %}")


def _closing(doc: Document) -> None:
    spacer = doc.add_paragraph(style="Bảng")
    spacer.paragraph_format.space_after = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    table = _borderless_table(doc, [CLOSING_LEFT, CLOSING_RIGHT])
    left = Writer(table.cell(0, 0))
    left.p("Nơi nhận:", style="Nơi nhận", bold=True, italic=True, size=12)
    left.tag("{%p for r in recipients %}")
    left.p("- {{ r }};", style="Nơi nhận")
    left.tag("{%p else %}")
    for text in (
        "- {{ unit.superior }} (b/c);",
        "- Thường trực Đảng ủy, HĐND {{ unit.kind_lower }} (b/c);",
        "- Ủy ban MTTQ Việt Nam {{ unit.kind_lower }};",
        "- Các ban, ngành, đoàn thể {{ unit.kind_lower }};",
    ):
        left.p(text, style="Nơi nhận")
    left.tag("{%p endfor %}")
    left.p("- Lưu: {{ archive }}.", style="Nơi nhận")

    right = Writer(table.cell(0, 1))
    right.p("TM. ỦY BAN NHÂN DÂN", style="Đầu văn bản", bold=True, size=14)
    right.tag("{%p if signer.deputy %}")
    right.p("KT. CHỦ TỊCH", style="Đầu văn bản", bold=True, size=14)
    right.p("PHÓ CHỦ TỊCH", style="Đầu văn bản", bold=True, size=14)
    right.tag("{%p else %}")
    right.p("CHỦ TỊCH", style="Đầu văn bản", bold=True, size=14)
    right.tag("{%p endif %}")
    for _ in range(4):
        right.p(style="Đầu văn bản", size=14)
    right.p("{{ signer.name }}", style="Đầu văn bản", bold=True, size=14)
    # Word wants a paragraph after a final table.
    doc.add_paragraph(style="Bảng")


def build_document() -> Document:
    doc = Document()
    _setup_styles(doc)
    _page_setup(doc)
    # python-docx starts with one empty paragraph-free body; the header table comes first.
    _header(doc)
    body = Writer(doc)
    _title(body)
    _section_i(body)
    _section_ii_1_2(body)
    _section_ii_3(doc, body)
    _section_ii_4_6(body)
    _sections_iii_iv(body)
    _closing(doc)

    core = doc.core_properties
    core.title = "Báo cáo kết quả công tác dân vận chính quyền {{ period.label }}"
    core.subject = "{{ unit.ubnd_full }}"
    core.author = "{{ unit.ubnd_full }}"
    core.last_modified_by = "danvan"
    core.keywords = "dân vận chính quyền"
    core.comments = "Tạo bằng danvan từ mẫu bao_cao.docx"
    core.category = "Báo cáo"
    core.revision = 1
    core.created = dt.datetime(2024, 1, 1)
    core.modified = dt.datetime(2024, 1, 1)
    return doc


# --- packaging -----------------------------------------------------------------------------

_DROP = {"docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"}


def _tidy_package(data: bytes) -> bytes:
    """Drop the blank-page thumbnail and the legacy stylesWithEffects part, point the theme's
    fonts at Times New Roman, and re-zip with fixed timestamps (reproducible bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        names.sort(key=lambda name: (name != "[Content_Types].xml", name))
        for name in names:
            if name in _DROP:
                continue
            blob = src.read(name)
            if name == "[Content_Types].xml":
                text = blob.decode("utf-8")
                text = re.sub(r'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", text)
                blob = text.encode("utf-8")
            elif name in {"_rels/.rels", "word/_rels/document.xml.rels"}:
                text = blob.decode("utf-8")
                text = re.sub(r'<Relationship [^>]*Target="[^"]*thumbnail.jpeg"[^>]*/>', "", text)
                text = re.sub(r'<Relationship [^>]*Target="stylesWithEffects.xml"[^>]*/>', "", text)
                blob = text.encode("utf-8")
            elif name == "word/theme/theme1.xml":
                text = blob.decode("utf-8")
                text = re.sub(
                    r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rf'\1{FONT}"', text
                )
                blob = text.encode("utf-8")
            elif name == "docProps/core.xml":
                # Created/modified: the report's date, filled at render time.
                text = blob.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    r"\g<1>{{ report_date.iso }}T00:00:00Z",
                    text,
                )
                blob = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob)
    return out.getvalue()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    buffer = io.BytesIO()
    build_document().save(buffer)
    out.write_bytes(_tidy_package(buffer.getvalue()))
    print(f"Đã ghi {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
