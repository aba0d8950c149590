"""The report template and its rendering: open the produced .docx and read its text and styles."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from lxml import etree
from support import custom_template

from danvan_cli import render
from danvan_cli.context import build_context
from danvan_cli.errors import DanvanError, OutputExistsError, TemplateError
from danvan_cli.figures import (
    ByKind,
    ByMode,
    DisciplineFigures,
    DocumentFigure,
    DossierFigures,
    FieldDossiers,
    Figures,
    ModeFigures,
    ModelFigure,
    PeriodFigures,
    PetitionFigures,
    ProcedureFigures,
    ProfileFigures,
    ReceptionFigures,
    UnitFigures,
)
from danvan_cli.models import CommuneData, Note, UnitInfo
from danvan_cli.period import Period, parse_period
from danvan_cli.render import (
    ReportTemplate,
    convert_to_pdf,
    default_template_path,
    export_template,
    render_report,
)

SEED = next(
    (
        folder / "seed" / "000_186652bce37bdc0e.txt"
        for folder in (Path(__file__).resolve().parents[2] / "shared", Path("/work/shared"))
        if (folder / "seed" / "000_186652bce37bdc0e.txt").is_file()
    ),
    Path("/work/shared/seed/000_186652bce37bdc0e.txt"),
)
"""The real report beside the repository (../shared/seed), as CI lays it out."""
NINE_MONTHS = parse_period("9m", 2024)
REPORT_DATE = dt.date(2024, 9, 20)
INJECTION = "{{ 7*7 }} {% if true %}x{% endif %} <b>&amp; ]]> a&b \x01\x0b\x1f"

# --- factories: the seed's 9-month figures, by hand -------------------------------------


def seed_info(**fields: Any) -> UnitInfo:
    values: dict[str, Any] = {
        "name": "Tân Hưng",
        "kind": "Xã",
        "district": "Vĩnh Bảo",
        "province": "Hải Phòng",
        "year": 2024,
        "area_km2": 7.02,
        "population": 7506,
        "villages": 7,
        "party_members": 288,
        "party_cells": 13,
        "party_structure": "07 chi bộ nông nghiệp, 03 chi bộ trường học, 01 chi bộ y tế",
        "location": "phía Đông giáp thị trấn Vĩnh Bảo",
        "signer": "Phạm Văn Lượng",
        "recipients": ("Phòng Nội vụ huyện (b/c)", "Các ngành liên quan"),
    }
    return UnitInfo(**(values | fields))


def _field(name: str, received: int, online: int, early: int, late: int) -> FieldDossiers:
    return FieldDossiers(
        field=name,
        received=received,
        online=online,
        direct=received - online,
        resolved=early + late,
        early=early,
        late=late,
        online_rate=round(online / received * 100, 2),
        on_time_rate=round(early / (early + late) * 100, 2),
    )


def seed_figures(
    info: UnitInfo | None = None, period: Period = NINE_MONTHS, **overrides: Any
) -> Figures:
    info = info or seed_info()
    values: dict[str, Any] = {
        "unit": UnitFigures(
            name=info.name, kind=info.kind, province=info.province, district=info.district
        ),
        "period": PeriodFigures(
            code=period.code,
            year=period.year,
            window=period.window,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
            label=period.label,
            next_label=period.next_label,
        ),
        "profile": ProfileFigures(
            area_km2=7.02,
            population=7506,
            density=1069,
            villages=7,
            party_members=288,
            party_cells=13,
        ),
        "reception": ReceptionFigures(
            visits=53,
            people=83,
            cases=49,
            groups=0,
            cases_by_kind=ByKind(kien_nghi=49),
            by_mode=ByMode(
                thuong_xuyen=ModeFigures(sessions=26, visits=26, people=26, cases=26),
                dinh_ky=ModeFigures(sessions=20, visits=20, people=37, cases=17),
                uy_quyen=ModeFigures(sessions=7, visits=7, people=20, cases=6),
            ),
        ),
        "petitions": PetitionFigures(
            received=26, processed=26, eligible=26, eligible_by_kind=ByKind(kien_nghi=26)
        ),
        "dossiers": DossierFigures(
            received=320,
            online=206,
            direct=114,
            resolved=320,
            early=317,
            late=3,
            online_rate=64.38,
            on_time_rate=99.06,
            by_field=[
                _field("Tư pháp - Hộ tịch", 200, 150, 199, 1),
                _field("Đất đai", 120, 56, 118, 2),
            ],
        ),
        "procedures": ProcedureFigures(total=120, fields=13, full_online=47, partial_online=9),
        "documents": [
            DocumentFigure(
                number="51/KH-UBND",
                type="Kế hoạch",
                date="2024-02-20",
                summary="Triển khai nhiệm vụ công tác dân vận năm 2024",
                issuer="UBND huyện Vĩnh Bảo",
                group="lanh_dao_chi_dao",
            ),
            DocumentFigure(
                number="17/KH-UBND",
                type="Kế hoạch",
                date="2024-02-22",
                summary="Về việc triển khai thực hiện nhiệm vụ công tác dân vận chính quyền",
                issuer="UBND xã Tân Hưng",
                group="lanh_dao_chi_dao",
            ),
            DocumentFigure(
                number="03/KH-UBND",
                type="Kế hoạch",
                date="2024-01-03",
                summary="tiếp công dân năm 2024",
                issuer="UBND xã Tân Hưng",
                group="tiep_cong_dan",
            ),
        ],
        "models": [
            ModelFigure(name="Trồng cây xanh", unit="Hội Nông dân xã"),
            ModelFigure(name="Camera an ninh", unit="Công an xã"),
        ],
        "discipline": DisciplineFigures(),
    }
    return Figures(**(values | overrides))


def zero_figures(info: UnitInfo | None = None) -> Figures:
    return seed_figures(
        info,
        profile=ProfileFigures(),
        reception=ReceptionFigures(),
        petitions=PetitionFigures(),
        dossiers=DossierFigures(),
        procedures=ProcedureFigures(),
        documents=[],
        models=[],
        discipline=DisciplineFigures(),
    )


def make_context(
    info: UnitInfo | None = None,
    figures: Figures | None = None,
    notes: tuple[Note, ...] = (),
    leading_zero: bool = True,
    period: Period = NINE_MONTHS,
) -> dict[str, Any]:
    info = info or seed_info()
    data = CommuneData(info=info, notes=notes)
    return build_context(
        data, figures or seed_figures(info, period), period, REPORT_DATE, leading_zero
    )


@pytest.fixture(scope="module")
def template() -> ReportTemplate:
    return ReportTemplate()


Render = Callable[..., Any]


@pytest.fixture
def docx_of(template: ReportTemplate) -> Render:
    """Render a context and open the result with python-docx."""

    def rendered(context: dict[str, Any]) -> Any:
        return Document(io.BytesIO(template.render(context)))

    return rendered


def all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seed_doc(template: ReportTemplate) -> Any:
    return Document(io.BytesIO(template.render(make_context())))


@pytest.fixture(scope="module")
def seed_text(seed_doc: Any) -> str:
    return norm(all_text(seed_doc))


# --- content -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        "53 lượt = 83 người = 49 vụ việc",
        "(khiếu nại: 0 vụ việc, tố cáo: 0 vụ việc, kiến nghị: 49 vụ việc, phản ánh: 0 vụ việc)",
        "Đồng chí Chủ tịch UBND xã tiếp 20 buổi = 20 lượt = 37 người = 17 vụ việc",
        "ủy quyền tiếp 07 buổi = 07 lượt = 20 người = 06 vụ việc",
        "Đã tiếp nhận 26 đơn; đã xử lý 26 đơn; số đơn đủ điều kiện xử lý 26 đơn "
        "(kiến nghị: 26 đơn)",
        "Kết quả tính đến ngày 14/9/2024, Bộ phận Tiếp nhận và Trả kết quả xã đã tiếp nhận "
        "320 hồ sơ (trực tuyến 206 hồ sơ, đạt 64,38%; trực tiếp 114 hồ sơ); đã giải quyết 320 "
        "hồ sơ, trong đó giải quyết trước hạn 317 hồ sơ, quá hạn 03 hồ sơ; tỷ lệ giải quyết "
        "đúng hạn đạt 99,06%.",
        "120 thủ tục thuộc 13 lĩnh vực",
        "47 thủ tục hành chính dịch vụ công toàn trình, 09 thủ tục hành chính dịch vụ công "
        "một phần",
        "Xã Tân Hưng thuộc huyện Vĩnh Bảo, thành phố Hải Phòng, có diện tích 7,02 km²",
        "dân số 7.506 người, mật độ dân số khoảng 1.069 người/km²; phía Đông giáp",
        "Xã có 07 thôn; Đảng bộ xã có 288 đảng viên, 13 chi bộ (gồm 07 chi bộ nông nghiệp",
        "Kế hoạch số 17/KH-UBND ngày 22/02/2024 về việc triển khai thực hiện nhiệm vụ",
        "Kế hoạch số 51/KH-UBND ngày 20/02/2024 về việc triển khai nhiệm vụ công tác dân vận "
        "năm 2024 của UBND huyện Vĩnh Bảo",
        "Kế hoạch số 03/KH-UBND ngày 03/01/2024 về việc tiếp công dân năm 2024",
        "Mô hình “Trồng cây xanh” của Hội Nông dân xã; Mô hình “Camera an ninh” của Công an xã",
        "không có trường hợp cán bộ, công chức nào",
        "không nhận được đơn nào phản ánh về tinh thần, thái độ phục vụ",
        "Tân Hưng, ngày 20 tháng 9 năm 2024",
        "Kết quả công tác dân vận chính quyền 9 tháng đầu năm; phương hướng, nhiệm vụ 3 tháng "
        "cuối năm 2024",
    ],
)
def test_key_sentences(seed_text: str, expected: str) -> None:
    assert expected in seed_text


def test_own_documents_carry_no_issuer(seed_text: str) -> None:
    assert "năm 2024 của UBND xã Tân Hưng" not in seed_text
    assert "của UBND huyện Vĩnh Bảo" in seed_text


def document(number: str, date: str, summary: str, issuer: str, kind: str = "Kế hoạch") -> Any:
    return DocumentFigure(
        number=number,
        type=kind,
        date=date,
        summary=summary,
        issuer=issuer,
        group="lanh_dao_chi_dao",
    )


@pytest.mark.parametrize(
    ("summary", "issuer", "citation"),
    [
        (  # the trích yếu ends with the issuer, spelt "uỷ" where the issuer has "ủy"
            "Về việc học tập chuyên đề năm 2024 của Ban Thường vụ Huyện uỷ",
            "Ban Thường vụ Huyện ủy",
            "Kết luận số 01-KL/TW ngày 18/5/2021 về việc học tập chuyên đề năm 2024 của Ban "
            "Thường vụ Huyện uỷ",
        ),
        (  # the issuer named inside the trích yếu
            "Tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập",
            "Bộ Chính trị",
            "Kết luận số 01-KL/TW ngày 18/5/2021 về việc tiếp tục thực hiện Chỉ thị số 05-CT/TW "
            "của Bộ Chính trị về đẩy mạnh học tập",
        ),
        (  # "UBND" in the issuer, "Ủy ban nhân dân" in the trích yếu
            "Phối hợp giữa Khối Dân vận Đảng ủy và Ủy ban nhân dân xã",
            "Khối Dân vận Đảng ủy và UBND xã",
            "Kết luận số 01-KL/TW ngày 18/5/2021 về việc phối hợp giữa Khối Dân vận Đảng ủy và Ủy "
            "ban nhân dân xã",
        ),
        (  # only part of the issuer's name: it is still said
            "Triển khai nhiệm vụ trên địa bàn huyện Vĩnh Bảo",
            "UBND huyện Vĩnh Bảo",
            "Kết luận số 01-KL/TW ngày 18/5/2021 về việc triển khai nhiệm vụ trên địa bàn huyện "
            "Vĩnh Bảo của UBND huyện Vĩnh Bảo",
        ),
        (  # a word that merely starts like the issuer's last word is not the issuer
            "Thực hiện nhiệm vụ của Bộ Chính trịnh",
            "Bộ Chính trị",
            "Kết luận số 01-KL/TW ngày 18/5/2021 về việc thực hiện nhiệm vụ của Bộ Chính trịnh "
            "của Bộ Chính trị",
        ),
    ],
)
def test_citation_names_the_issuer_once(summary: str, issuer: str, citation: str) -> None:
    cited = document("01-KL/TW", "2021-05-18", summary, issuer, kind="Kết luận")
    context = make_context(figures=seed_figures(documents=[cited]))
    assert [d["citation"] for d in context["documents"]["lanh_dao_chi_dao"]] == [citation]


def test_bases_and_documents_issued_in_a_month(docx_of: Render) -> None:
    """September 2024's window runs 15/8 – 14/9: only the commune's own documents dated in it
    are issued in the period; older ones and other issuers' are the bases it acted on."""
    period = parse_period("t9", 2024)
    documents = [
        document("40/KH-UBND", "2024-08-14", "Tuyên truyền", "UBND xã Tân Hưng"),
        document("41/KH-UBND", "2024-08-15", "Tổ chức đối thoại", "UBND xã Tân Hưng"),
        document("90/KH-UBND", "2024-09-02", "Kiểm tra công vụ", "UBND huyện Vĩnh Bảo"),
        document("42/KH-UBND", "2024-09-14", "Tiếp xúc cử tri", "UBND xã Tân Hưng"),
    ]
    figures = seed_figures(period=period, documents=documents)
    context = make_context(figures=figures, period=period)
    assert [d["number"] for d in context["bases"]["lanh_dao_chi_dao"]] == [
        "40/KH-UBND",
        "90/KH-UBND",
    ]
    assert [d["number"] for d in context["issued"]["lanh_dao_chi_dao"]] == [
        "41/KH-UBND",
        "42/KH-UBND",
    ]
    texts = [p.text for p in docx_of(context).paragraphs]
    start = texts.index("1. Công tác lãnh đạo, chỉ đạo")
    assert texts[start + 1 : start + 3] == [
        "Thực hiện Kế hoạch số 40/KH-UBND ngày 14/8/2024 về việc tuyên truyền; Kế hoạch số "
        "90/KH-UBND ngày 02/9/2024 về việc kiểm tra công vụ của UBND huyện Vĩnh Bảo, UBND xã "
        "lãnh đạo, chỉ đạo triển khai công tác dân vận chính quyền trên địa bàn xã.",
        "Trong tháng 9 năm 2024, UBND xã đã ban hành các văn bản: Kế hoạch số 41/KH-UBND ngày "
        "15/8/2024 về việc tổ chức đối thoại; Kế hoạch số 42/KH-UBND ngày 14/9/2024 về việc "
        "tiếp xúc cử tri.",
    ]


def test_documents_cited_in_their_section(seed_doc: Any) -> None:
    texts = [p.text for p in seed_doc.paragraphs]
    section_ii_1 = texts.index("1. Công tác lãnh đạo, chỉ đạo")
    section_ii_2 = texts.index("2. Công tác tuyên truyền, phổ biến, triển khai thực hiện")
    cited = [i for i, text in enumerate(texts) if "Kế hoạch số 17/KH-UBND" in text]
    assert cited and all(section_ii_1 < i < section_ii_2 for i in cited)
    section_c = next(i for i, text in enumerate(texts) if text.startswith("c) "))
    section_4 = next(i for i, text in enumerate(texts) if text.startswith("4. Kết quả kiểm tra"))
    cited = [i for i, text in enumerate(texts) if "03/KH-UBND" in text]
    assert cited and all(section_c < i < section_4 for i in cited)


def test_headings_in_order(seed_doc: Any) -> None:
    headings = [
        p.text.split(" ", 1)[0] for p in seed_doc.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        "I.",
        "II.",
        "1.",
        "2.",
        "3.",
        "3.1.",
        "3.2.",
        "a)",
        "b)",
        "c)",
        "4.",
        "5.",
        "6.",
        "III.",
        "1.",
        "2.",
        "3.",
        "IV.",
    ]
    texts = [p.text for p in seed_doc.paragraphs]
    assert "II. KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN 9 THÁNG NĂM 2024" in texts
    assert "IV. NHIỆM VỤ TRỌNG TÂM 3 THÁNG CUỐI NĂM 2024" in texts
    assert "III. ĐÁNH GIÁ CHUNG" in texts


def test_default_tasks_numbered_and_closed(seed_doc: Any) -> None:
    texts = [p.text for p in seed_doc.paragraphs if p.text.strip()]
    start = texts.index("IV. NHIỆM VỤ TRỌNG TÂM 3 THÁNG CUỐI NĂM 2024")
    tasks = texts[start + 1 :]
    assert [t.split(" ", 1)[0] for t in tasks] == ["1.", "2.", "3.", "4.", "5."]
    assert tasks[-1].endswith("./.") and not tasks[0].endswith("./.")


def test_dossier_table_by_field(seed_doc: Any) -> None:
    table = next(t for t in seed_doc.tables if t.rows[0].cells[0].text == "Lĩnh vực")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        "Lĩnh vực",
        "Tiếp nhận",
        "Trực tuyến",
        "Đã giải quyết",
        "Trước, đúng hạn",
        "Quá hạn",
        "Đang giải quyết",
    ]
    assert rows[1] == ["Tư pháp - Hộ tịch", "200", "150", "200", "199", "1", "0"]
    assert rows[2] == ["Đất đai", "120", "56", "120", "118", "2", "0"]
    assert rows[3] == ["Tổng cộng", "320", "206", "320", "317", "3", "0"]


def test_no_table_for_a_single_field(docx_of: Render) -> None:
    figures = seed_figures()
    dossiers = figures.dossiers.model_copy(update={"by_field": figures.dossiers.by_field[:1]})
    document = docx_of(make_context(figures=figures.model_copy(update={"dossiers": dossiers})))
    assert not any(t.rows[0].cells[0].text == "Lĩnh vực" for t in document.tables)
    texts = [p.text for p in document.paragraphs]
    dossiers = next(i for i, text in enumerate(texts) if text.startswith("Kết quả tính đến"))
    assert texts[dossiers].endswith("tỷ lệ giải quyết đúng hạn đạt 99,06%.")
    assert texts[dossiers + 1] == (
        "c) Công tác đối thoại, tiếp công dân, giải quyết khiếu nại, tố cáo những bức xúc, "
        "kiến nghị của Nhân dân"
    )


def test_notes_replace_default_prose(docx_of: Render, seed_text: str) -> None:
    default = "Cải cách hành chính tiếp tục được xác định là khâu đột phá"
    assert default in seed_text
    notes = (
        Note(row=2, section="II.3.2.a", text="Đoạn riêng của xã về cải cách."),
        Note(row=3, section="IV", text="1. Nhiệm vụ một;"),
        Note(row=4, section="IV", text="Nhiệm vụ hai."),
    )
    text = norm(all_text(docx_of(make_context(notes=notes))))
    assert default not in text
    assert "Đoạn riêng của xã về cải cách." in text
    assert "1. Nhiệm vụ một. 2. Nhiệm vụ hai./." in text
    # The computed figures stay beside the clerk's prose.
    assert "120 thủ tục thuộc 13 lĩnh vực" in text


# --- layout (Nghị định 30) -----------------------------------------------------------------


def close(actual: int | None, expected: int, tolerance: int = int(Mm(0.2))) -> bool:
    return actual is not None and abs(actual - expected) <= tolerance


def test_page_a4_margins(seed_doc: Any) -> None:
    section = seed_doc.sections[0]
    assert close(section.page_width, Mm(210)) and close(section.page_height, Mm(297))
    assert close(section.top_margin, Mm(20)) and close(section.bottom_margin, Mm(20))
    assert close(section.left_margin, Mm(30)) and close(section.right_margin, Mm(15))


def test_page_numbers_from_page_two(seed_doc: Any) -> None:
    section = seed_doc.sections[0]
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    header_xml = etree.tostring(section.header._element, encoding="unicode")
    assert "PAGE" in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER or (
        section.header.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    )


def test_times_new_roman_everywhere(template: ReportTemplate) -> None:
    data = template.render(make_context())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml") or not name.startswith("word/"):
                continue
            if name == "word/numbering.xml":  # bullet glyphs of the list styles (Symbol)
                continue
            xml = archive.read(name).decode("utf-8")
            tags = " ".join(re.findall(r"<w:rFonts [^>]*>", xml))
            fonts = set(re.findall(r'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"', tags))
            assert fonts <= {"Times New Roman"}, (name, fonts)
            assert "Theme=" not in xml or name == "word/theme/theme1.xml", name
        styles = archive.read("word/styles.xml").decode("utf-8")
        defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S)
        assert defaults is not None
        for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
            assert f'w:{attribute}="Times New Roman"' in defaults.group(0)


def _size(paragraph: Any, run: Any) -> Any:
    return run.font.size or paragraph.style.font.size


def _bold(paragraph: Any, run: Any) -> Any:
    return run.bold if run.bold is not None else paragraph.style.font.bold


def _italic(paragraph: Any, run: Any) -> Any:
    return run.italic if run.italic is not None else paragraph.style.font.italic


def _header_cells(document: Any) -> tuple[list[Any], list[Any]]:
    left, right = document.tables[0].rows[0].cells
    return (
        [p for p in left.paragraphs if p.text.strip()],
        [p for p in right.paragraphs if p.text.strip()],
    )


def test_header_block(seed_doc: Any) -> None:
    left, right = _header_cells(seed_doc)
    assert [p.text for p in left[:2]] == ["ỦY BAN NHÂN DÂN", "XÃ TÂN HƯNG"]
    assert re.fullmatch(r"Số: {4,8}/BC-UBND", left[2].text)
    assert [p.text for p in right] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tân Hưng, ngày 20 tháng 9 năm 2024",
    ]
    for paragraph, size in ((left[0], 13), (left[1], 13), (right[0], 13), (right[1], 14)):
        for run in paragraph.runs:
            assert _bold(paragraph, run), paragraph.text
            assert _size(paragraph, run) == Pt(size), paragraph.text
    assert all(_size(left[2], run) == Pt(13) for run in left[2].runs)
    date = right[2]
    assert all(_italic(date, run) and _size(date, run) == Pt(14) for run in date.runs)
    # Borderless table; solid lines under the unit name and the motto.
    xml = etree.tostring(seed_doc.tables[0]._tbl, encoding="unicode")
    assert 'w:val="nil"' in xml and xml.count("<w:bottom ") >= 2


def test_title_block(seed_doc: Any) -> None:
    paragraphs = [p for p in seed_doc.paragraphs if p.text.strip()]
    title, summary = paragraphs[0], paragraphs[1]
    assert title.text == "BÁO CÁO"
    for paragraph in (title, summary):
        assert paragraph.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(_bold(paragraph, r) and _size(paragraph, r) == Pt(14) for r in paragraph.runs)


def test_body_paragraph_format(seed_doc: Any) -> None:
    body = next(p for p in seed_doc.paragraphs if "53 lượt" in p.text)
    fmt = body.style.paragraph_format
    assert body.paragraph_format.alignment in (None, WD_ALIGN_PARAGRAPH.JUSTIFY)
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert close(fmt.first_line_indent, Cm(1.27), int(Mm(0.1)))
    assert fmt.space_after == Pt(6)
    assert 1.15 <= fmt.line_spacing <= 1.5
    assert body.style.font.size == Pt(14)
    headings = [p for p in seed_doc.paragraphs if p.style.name.startswith("Heading")]
    assert all(h.style.font.bold for h in headings)


def _closing(document: Any) -> tuple[list[str], list[Any]]:
    left, right = document.tables[-1].rows[0].cells
    return [p.text for p in left.paragraphs if p.text], right.paragraphs


def test_closing_chairman(seed_doc: Any) -> None:
    recipients, right = _closing(seed_doc)
    assert recipients == [
        "Nơi nhận:",
        "- Phòng Nội vụ huyện (b/c);",
        "- Các ngành liên quan;",
        "- Lưu: VT.",
    ]
    first = seed_doc.tables[-1].rows[0].cells[0].paragraphs[0]
    assert all(
        _bold(first, r) and _italic(first, r) and _size(first, r) == Pt(12) for r in first.runs
    )
    second = seed_doc.tables[-1].rows[0].cells[0].paragraphs[1]
    assert all(_size(second, r) == Pt(11) for r in second.runs)
    lines = [p.text for p in right if p.text]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Lượng"]
    assert sum(1 for p in right if not p.text) >= 3  # room for the signature
    for paragraph in right:
        for run in paragraph.runs:
            assert _bold(paragraph, run) and _size(paragraph, run) == Pt(14)


def test_closing_deputy_and_archive(docx_of: Render) -> None:
    info = seed_info(
        signer_role="pho_chu_tich",
        signer="Nguyễn Văn B",
        recipients=("- Thường trực Đảng ủy;\n- UBND huyện (b/c)", "Lưu: VT, VP."),
        doc_number="123/BC-UBND",
    )
    document = docx_of(make_context(info=info))
    recipients, right = _closing(document)
    assert recipients == [
        "Nơi nhận:",
        "- Thường trực Đảng ủy;",
        "- UBND huyện (b/c);",
        "- Lưu: VT, VP.",
    ]
    lines = [p.text for p in right if p.text]
    assert lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn B"]
    left, _ = _header_cells(document)
    assert left[-1].text == "Số: 123/BC-UBND"


def test_default_recipients(docx_of: Render) -> None:
    document = docx_of(make_context(info=seed_info(recipients=())))
    recipients, _ = _closing(document)
    assert recipients[1] == "- UBND huyện Vĩnh Bảo (b/c);"
    assert recipients[-1] == "- Lưu: VT."
    assert all(r.startswith("- ") and r.endswith(";") for r in recipients[1:-1])


def test_unit_kind_ward(docx_of: Render) -> None:
    info = seed_info(kind="Phường", name="Hoàng Văn Thụ", village_word="tổ dân phố")
    figures = seed_figures(info, documents=[])
    text = norm(all_text(docx_of(make_context(info=info, figures=figures))))
    assert "PHƯỜNG HOÀNG VĂN THỤ" in text
    assert "Phường Hoàng Văn Thụ thuộc huyện Vĩnh Bảo" in text
    assert "Phường có 07 tổ dân phố; Đảng bộ phường có 288 đảng viên" in text
    assert "tại trụ sở UBND phường đã tiếp 53 lượt" in text
    assert "Hoàng Văn Thụ, ngày 20 tháng 9 năm 2024" in text
    assert "UBND xã" not in text and " xã Tân Hưng" not in text


@pytest.mark.parametrize(
    ("province", "district", "expected"),
    [
        ("Hải Phòng", "Vĩnh Bảo", "thuộc huyện Vĩnh Bảo, thành phố Hải Phòng"),
        ("Tỉnh Nam Định", "Huyện Giao Thủy", "thuộc huyện Giao Thủy, tỉnh Nam Định"),
        ("TP. Hà Nội", "Quận Ba Đình", "thuộc quận Ba Đình, thành phố Hà Nội"),
        ("Quảng Ninh", None, "Xã Tân Hưng thuộc tỉnh Quảng Ninh"),
    ],
)
def test_province_and_district(
    docx_of: Render, province: str, district: str | None, expected: str
) -> None:
    info = seed_info(province=province, district=district)
    assert expected in norm(all_text(docx_of(make_context(info=info))))


def test_town_kind_in_header(docx_of: Render) -> None:
    document = docx_of(make_context(info=seed_info(kind="Thị trấn", name="Vĩnh Bảo")))
    left, _ = _header_cells(document)
    assert left[1].text == "THỊ TRẤN VĨNH BẢO"


def test_leading_zero_switch(docx_of: Render) -> None:
    info = seed_info(party_structure=None)
    text = norm(all_text(docx_of(make_context(info=info, leading_zero=False))))
    assert "Xã có 7 thôn" in text
    assert "quá hạn 3 hồ sơ" in text
    assert "ủy quyền tiếp 7 buổi = 7 lượt = 20 người = 6 vụ việc" in text
    assert "07" not in text.replace("07/", "")  # dates keep their zero padding


def test_zero_figures_read_naturally(docx_of: Render) -> None:
    info = seed_info(
        villages=None,
        party_members=None,
        party_cells=None,
        area_km2=None,
        population=None,
        location=None,
    )
    text = norm(all_text(docx_of(make_context(info=info, figures=zero_figures(info)))))
    assert not re.search(r"\b00\b", text)
    assert "không có lượt công dân nào đến trụ sở UBND xã" in text
    assert "chưa tiếp nhận đơn nào" in text
    assert "chưa tiếp nhận hồ sơ thủ tục hành chính nào" in text
    assert "không có trường hợp cán bộ, công chức nào" in text
    assert "Xã Tân Hưng thuộc huyện Vĩnh Bảo, thành phố Hải Phòng." in text
    assert " 0 lượt" not in text and " 0 hồ sơ" not in text and "0 đơn" not in text


def test_non_zero_discipline(docx_of: Render) -> None:
    figures = seed_figures(discipline=DisciplineFigures(violations=2, attitude_complaints=1))
    text = norm(all_text(docx_of(make_context(figures=figures))))
    assert "có 02 trường hợp cán bộ, công chức có hành vi" in text
    assert "nhận được 01 đơn phản ánh về tinh thần, thái độ phục vụ" in text


# --- safety --------------------------------------------------------------------------------


def test_injected_text_comes_out_literally(template: ReportTemplate) -> None:
    figures = seed_figures(
        documents=[
            DocumentFigure(
                number="01/KH-UBND",
                type="Kế hoạch",
                date="2024-03-01",
                summary=INJECTION,
                issuer="UBND xã Tân Hưng",
                group="tuyen_truyen",
            )
        ],
        models=[ModelFigure(name=INJECTION, unit="Đoàn <Thanh niên> & {{ unit }}")],
    )
    notes = (Note(row=2, section="I", text="Dòng một\nDòng hai {%p endif %} ]]>"),)
    data = template.render(make_context(figures=figures, notes=notes))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        etree.fromstring(archive.read("word/document.xml"))  # well-formed XML
    text = all_text(Document(io.BytesIO(data)))
    literal = "{{ 7*7 }} {% if true %}x{% endif %} <b>&amp; ]]> a&b"
    assert f"về việc {literal}" in text
    assert f"Mô hình “{literal} ” của Đoàn <Thanh niên> & {{{{ unit }}}}" in text
    assert "49 vụ việc" in text and "\x01" not in text and "\x0b" not in text
    assert "Dòng một" in text and "Dòng hai {%p endif %} ]]>" in text


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    path = custom_template(tmp_path, "Xin chào {{ ''.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="không an toàn"):
        ReportTemplate(path).render(make_context())


def test_missing_variable_is_named(tmp_path: Path) -> None:
    path = custom_template(tmp_path, "{{ unit.name }}", "Số liệu: {{ khong_co_bien }}")
    with pytest.raises(TemplateError, match="«khong_co_bien»") as caught:
        ReportTemplate(path).render(make_context())
    assert "báo cáo, ở đoạn «Số liệu: {{ khong_co_bien }}». Sửa lại" in str(caught.value)
    path = custom_template(tmp_path, "{{ reception.visitz }}")
    with pytest.raises(TemplateError, match="«visitz»"):
        ReportTemplate(path).render(make_context())


def test_syntax_error_names_the_paragraph(tmp_path: Path) -> None:
    path = custom_template(tmp_path, "Đầu", "Có {{ unit.name + }} ở đây", "Cuối")
    with pytest.raises(TemplateError) as caught:
        ReportTemplate(path)
    assert "lỗi cú pháp ở đoạn «Có {{ unit.name + }} ở đây»" in str(caught.value)


def test_broken_paragraph_tags_give_template_error(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("{%p if not unit.name %}")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].text = "{%p endif %}"
    path = tmp_path / "hong.docx"
    document.save(str(path))
    with pytest.raises(TemplateError):
        ReportTemplate(path).render(make_context())


# --- the template object -------------------------------------------------------------------


def test_no_line_break_leaks_into_the_text(template: ReportTemplate) -> None:
    """The Jinja source is cut into lines (one paragraph, one paragraph-level tag each) so that
    errors name a paragraph; those breaks never reach a run of text."""
    data = template.render(make_context())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = [t.text or "" for t in root.iter(qn("w:t"))]
    assert len(texts) > 100 and not [t for t in texts if "\n" in t]
    assert b">\n<" not in etree.tostring(root)


def test_render_twice_identical(template: ReportTemplate) -> None:
    context = make_context()
    first, second = template.render(context), template.render(context)
    assert first == second
    assert all_text(Document(io.BytesIO(first))) == all_text(Document(io.BytesIO(second)))


def test_core_properties(seed_doc: Any) -> None:
    core = seed_doc.core_properties
    assert core.title == "Báo cáo kết quả công tác dân vận chính quyền 9 tháng đầu năm 2024"
    assert core.created is not None and core.created.date() == REPORT_DATE


def test_other_periods(docx_of: Render) -> None:
    period = parse_period("q1", 2025)
    text = norm(all_text(docx_of(make_context(period=period))))
    assert "II. KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN QUÝ I NĂM 2025" in text
    assert "IV. NHIỆM VỤ TRỌNG TÂM QUÝ II NĂM 2025" in text
    year = norm(all_text(docx_of(make_context(period=parse_period("12m", 2024)))))
    assert "Kết quả công tác dân vận chính quyền năm 2024; phương hướng, nhiệm vụ năm 2025" in year


def test_properties_in_schema_order(template: ReportTemplate) -> None:
    """Word refuses a file whose pPr/rPr/tblPr/trPr children are out of order."""
    build = _build_script()
    sequences = {tag: [qn(name) for name in names] for tag, names in build["_SEQUENCES"].items()}
    data = template.render(make_context())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in ("word/document.xml", "word/styles.xml", "word/header1.xml"):
            root = etree.fromstring(archive.read(name))
            for tag, order in sequences.items():
                for element in root.iter(tag):
                    positions = [order.index(child.tag) for child in element]
                    assert positions == sorted(positions), (name, tag)


def test_default_template_path_exists() -> None:
    path = default_template_path()
    assert path.is_file() and path.name == "bao_cao.docx"


def _build_script() -> dict[str, Any]:
    script = Path(__file__).resolve().parents[1] / "templates" / "build_template.py"
    namespace: dict[str, Any] = {"__name__": "build_template", "__file__": str(script)}
    exec(compile(script.read_text(encoding="utf-8"), str(script), "exec"), namespace)
    return namespace


def test_template_build_is_reproducible(tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    assert _build_script()["main"](["build", str(out)]) == 0
    assert out.read_bytes() == default_template_path().read_bytes()


# --- writing -------------------------------------------------------------------------------


def test_render_report_atomic_and_no_overwrite(template: ReportTemplate, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    assert render_report(template, make_context(), out, force=False) == out
    Document(str(out))
    out.write_bytes(b"sua tay")
    with pytest.raises(OutputExistsError):
        render_report(template, make_context(), out, force=False)
    assert out.read_bytes() == b"sua tay"
    render_report(template, make_context(), out, force=True)
    assert out.read_bytes() != b"sua tay"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao_cao.docx"]


def test_failed_render_writes_nothing(tmp_path: Path) -> None:
    path = custom_template(tmp_path, "{{ khong_co }}")
    out = tmp_path / "ra.docx"
    with pytest.raises(TemplateError):
        render_report(ReportTemplate(path), make_context(), out, force=False)
    assert not out.exists()


def test_export_template(tmp_path: Path) -> None:
    out = export_template(tmp_path / "mau.docx", force=False)
    assert out.read_bytes() == default_template_path().read_bytes()
    with pytest.raises(OutputExistsError):
        export_template(out, force=False)
    assert export_template(tmp_path, force=False) == tmp_path / "bao_cao.docx"


def test_pdf_without_libreoffice(
    template: ReportTemplate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = render_report(template, make_context(), tmp_path / "bc.docx", force=False)
    monkeypatch.setattr(render, "find_libreoffice", lambda: None)
    with pytest.raises(DanvanError, match="Không tìm thấy LibreOffice"):
        convert_to_pdf(out, force=False)
    assert not (tmp_path / "bc.pdf").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_pdf_with_libreoffice(template: ReportTemplate, tmp_path: Path) -> None:
    out = render_report(template, make_context(), tmp_path / "bc.docx", force=False)
    pdf = convert_to_pdf(out, force=False)
    assert pdf == tmp_path / "bc.pdf" and pdf.read_bytes().startswith(b"%PDF")
    with pytest.raises(OutputExistsError):
        convert_to_pdf(out, force=False)


# --- originality ---------------------------------------------------------------------------


def _seed_paragraphs() -> tuple[list[str], str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    whole = norm(" ".join(line for line in lines if line))
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line:
            continue
        current.append(line)
        if line.endswith((".", ":", "./.", "…")) or re.match(r"^[IVX]+\. |^\d+(\.\d+)*\. ", line):
            paragraphs.append(norm(" ".join(current)))
            current = []
    if current:
        paragraphs.append(norm(" ".join(current)))
    return paragraphs, whole


@pytest.mark.skipif(not SEED.is_file(), reason="seed report not available")
def test_no_prose_copied_from_seed(seed_doc: Any, docx_of: Render) -> None:
    paragraphs, whole = _seed_paragraphs()
    long_paragraphs = {p for p in paragraphs if len(p) > 60}
    sentences = {s.strip() for s in re.split(r"(?<=[.;:])\s+", whole) if len(s.strip()) > 60}
    info = seed_info(recipients=())
    documents = [seed_doc, docx_of(make_context(info=info, figures=zero_figures(info)))]
    for document in documents:
        prose = [
            norm(p.text)
            for p in document.paragraphs
            if p.style.name == "Nội dung" and len(norm(p.text)) > 60
        ]
        for paragraph in prose:
            assert paragraph not in long_paragraphs, paragraph
            assert paragraph not in whole, paragraph
            for sentence in sentences:
                assert sentence not in paragraph, sentence
