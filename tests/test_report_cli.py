"""The sample's reports built through the CLI (``danvan build … -o …``) and read back with
python-docx, whole sentence by whole sentence.

Expected values are the seed report's (../shared/seed, UBND xã Tân Hưng, 9 tháng 2024) worked
by hand, written in our template's own wording:

* reception: 53 lượt = 83 người = 49 vụ việc, all 49 kiến nghị; the chairman's periodic days
  20 buổi = 20 lượt = 37 người = 17 vụ việc, the delegated ones 07 = 07 = 20 = 06; the rest is
  regular reception: 53 - 20 - 7 = 26 lượt, 83 - 37 - 20 = 26 người, 49 - 17 - 6 = 26 vụ việc;
* petitions: 26 đơn received, processed and eligible, all kiến nghị;
* one-stop shop: 320 hồ sơ, 206 online, so 320 - 206 = 114 in person (the seed's "129" is its
  own slip, SPEC §1); 206 / 320 = 64,375 % -> 64,38 %; 317 early + 3 late = 320 resolved,
  317 / 320 = 99,0625 % -> 99,06 %;
* catalogue: 120 TTHC in 13 fields, 47 fully online, 9 partly online;
* profile: 7,02 km², 7.506 people, 7.506 / 7,02 = 1.069,2 -> 1.069 người/km², 07 thôn,
  288 đảng viên, 13 chi bộ.

Then every one of the 20 period codes of 2024: the title's summary line (SPEC §2), the
headings of sections II and IV, and the place and date line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docx import Document
from support import no_traceback
from typer.testing import CliRunner

from danvan_cli.cli import app

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "tan_hung_2024.xlsx"
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}


def build(out: Path, period: str, date: str) -> Any:
    """``danvan build SAMPLE --period P --date D -o OUT``, then the report opened."""
    result = CliRunner(env=ENV).invoke(
        app, ["build", str(SAMPLE), "--period", period, "--date", date, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    no_traceback(result)
    return Document(str(out))


def body(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def paragraph(document: Any, start: str) -> str:
    """The one body paragraph that starts with ``start``."""
    found = [text for text in body(document) if text.startswith(start)]
    assert len(found) == 1, found
    return found[0]


def cell_lines(cell: Any) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


@pytest.fixture(scope="module")
def nine_months(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(tmp_path_factory.mktemp("bao_cao") / "bc_9m.docx", "9m", "20/9/2024")


@pytest.fixture(scope="module")
def september(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return build(tmp_path_factory.mktemp("bao_cao") / "bc_t9.docx", "t9", "20/9/2024")


# --- the seed's figures, in whole sentences --------------------------------------------------


def test_reception_sentence(nine_months: Any) -> None:
    assert paragraph(nine_months, "Trong 9 tháng đầu năm 2024, tại trụ sở") == (
        "Trong 9 tháng đầu năm 2024, tại trụ sở UBND xã đã tiếp 53 lượt = 83 người = 49 vụ "
        "việc (khiếu nại: 0 vụ việc, tố cáo: 0 vụ việc, kiến nghị: 49 vụ việc, phản ánh: 0 vụ "
        "việc); không có đoàn đông người."
    )


def test_chairman_periodic_and_delegated_sessions(nine_months: Any) -> None:
    assert paragraph(nine_months, "Tiếp định kỳ:") == (
        "Tiếp định kỳ: Đồng chí Chủ tịch UBND xã tiếp 20 buổi = 20 lượt = 37 người = 17 vụ "
        "việc; ủy quyền tiếp 07 buổi = 07 lượt = 20 người = 06 vụ việc."
    )


def test_regular_reception(nine_months: Any) -> None:
    assert paragraph(nine_months, "Tiếp thường xuyên:") == (
        "Tiếp thường xuyên: 26 lượt = 26 người = 26 vụ việc."
    )


def test_petition_sentence(nine_months: Any) -> None:
    assert paragraph(nine_months, "Đã tiếp nhận") == (
        "Đã tiếp nhận 26 đơn; đã xử lý 26 đơn; số đơn đủ điều kiện xử lý 26 đơn "
        "(kiến nghị: 26 đơn)."
    )


def test_procedure_catalogue_sentence(nine_months: Any) -> None:
    assert paragraph(nine_months, "Hiện nay, UBND xã") == (
        "Hiện nay, UBND xã đang tiếp nhận, giải quyết 120 thủ tục thuộc 13 lĩnh vực; trong đó "
        "47 thủ tục hành chính dịch vụ công toàn trình, 09 thủ tục hành chính dịch vụ công một "
        "phần."
    )


def test_dossier_sentence(nine_months: Any) -> None:
    assert paragraph(nine_months, "Kết quả tính đến ngày") == (
        "Kết quả tính đến ngày 14/9/2024, Bộ phận Tiếp nhận và Trả kết quả xã đã tiếp nhận "
        "320 hồ sơ (trực tuyến 206 hồ sơ, đạt 64,38%; trực tiếp 114 hồ sơ); đã giải quyết 320 "
        "hồ sơ, trong đó giải quyết trước hạn 317 hồ sơ, quá hạn 03 hồ sơ; tỷ lệ giải quyết "
        "đúng hạn đạt 99,06%."
    )


def test_dossier_table_totals(nine_months: Any) -> None:
    """Received, online, resolved, early or on time, late, still open (header: test_render)."""
    table = next(t for t in nine_months.tables if t.rows[0].cells[0].text == "Lĩnh vực")
    totals = [cell.text for cell in table.rows[-1].cells]
    assert totals == ["Tổng cộng", "320", "206", "320", "317", "3", "0"]


def test_profile_sentences(nine_months: Any) -> None:
    assert paragraph(nine_months, "Xã Tân Hưng thuộc") == (
        "Xã Tân Hưng thuộc huyện Vĩnh Bảo, thành phố Hải Phòng, có diện tích 7,02 km², dân số "
        "7.506 người, mật độ dân số khoảng 1.069 người/km²; xã nằm liền kề trung tâm huyện "
        "Vĩnh Bảo: phía Đông giáp thị trấn Vĩnh Bảo và xã Nhân Hòa; phía Tây giáp xã An Hòa; "
        "phía Nam giáp xã Hưng Nhân và xã Vinh Quang; phía Bắc giáp xã Trung Lập và xã Hùng "
        "Tiến."
    )
    assert paragraph(nine_months, "Xã có") == (
        "Xã có 07 thôn; Đảng bộ xã có 288 đảng viên, 13 chi bộ (gồm 07 chi bộ nông nghiệp, 03 "
        "chi bộ trường học, 01 chi bộ y tế, 01 chi bộ công an và 01 chi bộ quân sự)."
    )


def test_models_sentence(nine_months: Any) -> None:
    assert paragraph(nine_months, "Trong 9 tháng đầu năm 2024, các mô hình") == (
        "Trong 9 tháng đầu năm 2024, các mô hình “Dân vận khéo” tiêu biểu gồm: Mô hình “Trồng "
        "cây xanh” của Hội Nông dân, Hội Phụ nữ, Hội Cựu chiến binh và Đoàn Thanh niên xã; Mô "
        "hình “Camera an ninh” của Ban Công an xã; Mô hình “Chi hội phụ nữ phân loại và xử lý "
        "rác thải hữu cơ thành phân bón vi sinh tại hộ gia đình” của Hội LHPN xã. Các mô hình "
        "đã góp phần động viên Nhân dân tham gia phát triển kinh tế, giữ gìn cảnh quan, vệ sinh "
        "môi trường và bảo đảm an ninh, trật tự ở khu dân cư."
    )


def test_closing_block(nine_months: Any) -> None:
    closing = nine_months.tables[-1].rows[0].cells
    assert cell_lines(closing[0]) == [
        "Nơi nhận:",
        "- Phòng Nội vụ huyện (b/c);",
        "- TT Đảng ủy, HĐND, UBND, UBMTTQ xã;",
        "- Các ngành liên quan;",
        "- Lưu: VT.",
    ]
    assert cell_lines(closing[1]) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Văn Lượng"]


# --- cited documents: bases, and what the commune issued in the period -------------------------


def test_nine_months_cites_bases_then_the_communes_own_plans(nine_months: Any) -> None:
    texts = body(nine_months)
    start = texts.index("1. Công tác lãnh đạo, chỉ đạo")
    assert texts[start + 1 : start + 3] == [
        "Thực hiện Quyết định số 45/QĐ-UBND ngày 11/01/2023 về việc ban hành tiêu chí chấm điểm "
        "và xếp loại công tác dân vận của các cơ quan nhà nước trên địa bàn huyện của UBND huyện "
        "Vĩnh Bảo; Kế hoạch số 51/KH-UBND ngày 20/02/2024 về việc triển khai thực hiện nhiệm vụ "
        "công tác dân vận năm 2024 của cơ quan hành chính nhà nước, chính quyền các cấp trên địa "
        "bàn huyện của UBND huyện Vĩnh Bảo; Kế hoạch số 94/KH-UBND ngày 12/3/2024 về việc thực "
        "hiện phong trào “Dân vận khéo” năm 2024 của UBND huyện Vĩnh Bảo, UBND xã lãnh đạo, chỉ "
        "đạo triển khai công tác dân vận chính quyền trên địa bàn xã.",
        "Trong 9 tháng đầu năm 2024, UBND xã đã ban hành Kế hoạch số 17/KH-UBND ngày 22/02/2024 "
        "về việc triển khai thực hiện nhiệm vụ công tác dân vận chính quyền năm 2024 trên địa "
        "bàn xã Tân Hưng.",
    ]


def test_older_bases_are_never_said_to_be_issued_in_the_period(nine_months: Any) -> None:
    """The 2013 and 2021 documents are cited as bases ("Thực hiện …"), never among those
    "ban hành … trong kỳ"."""
    assert paragraph(nine_months, "Thực hiện Quyết định số 224-QĐ/HU ngày 29/12/2021").endswith(
        ", UBND xã chỉ đạo tuyên truyền, phổ biến sâu rộng đến cán bộ, công chức và Nhân dân."
    )
    assert paragraph(nine_months, "Thực hiện Quyết định số 217-QĐ/TW ngày 12/12/2013")
    issued = [text for text in body(nine_months) if "đã ban hành" in text]
    assert len(issued) == 6  # one for each group holding documents of 2024 by UBND xã
    for text in issued:
        assert "2013" not in text and "2021" not in text and "2023" not in text, text
        assert "ban hành, triển khai" not in text


def test_a_month_cites_every_earlier_document_as_a_basis(september: Any) -> None:
    """In September's report (window 15/8 – 14/9/2024) every document of the sample is
    older: each is cited as a basis, none as issued in the month."""
    texts = body(september)
    assert not [text for text in texts if "đã ban hành" in text or "trong kỳ gồm" in text]
    for number in (
        "217-QĐ/TW",
        "26/CT-TTg",
        "02/2017/TT-VPCP",
        "224-QĐ/HU",
        "04/QĐ-UBND",
        "45/QĐ-UBND",
        "03/KH-UBND",
        "17/KH-UBND",
        "34/KH-UBND",
    ):
        (citing,) = [text for text in texts if f"số {number} ngày" in text]
        assert citing.startswith("Thực hiện "), citing
    assert paragraph(september, "Thực hiện Quyết định số 45/QĐ-UBND") == (
        "Thực hiện Quyết định số 45/QĐ-UBND ngày 11/01/2023 về việc ban hành tiêu chí chấm điểm "
        "và xếp loại công tác dân vận của các cơ quan nhà nước trên địa bàn huyện của UBND huyện "
        "Vĩnh Bảo; Kế hoạch số 51/KH-UBND ngày 20/02/2024 về việc triển khai thực hiện nhiệm vụ "
        "công tác dân vận năm 2024 của cơ quan hành chính nhà nước, chính quyền các cấp trên địa "
        "bàn huyện của UBND huyện Vĩnh Bảo; Kế hoạch số 17/KH-UBND ngày 22/02/2024 về việc triển "
        "khai thực hiện nhiệm vụ công tác dân vận chính quyền năm 2024 trên địa bàn xã Tân Hưng; "
        "Kế hoạch số 94/KH-UBND ngày 12/3/2024 về việc thực hiện phong trào “Dân vận khéo” năm "
        "2024 của UBND huyện Vĩnh Bảo, UBND xã lãnh đạo, chỉ đạo triển khai công tác dân vận "
        "chính quyền trên địa bàn xã."
    )


def test_the_issuer_is_named_once(nine_months: Any) -> None:
    """Kết luận 01-KL/TW's trích yếu already names Bộ Chính trị, its issuer; Chương trình
    17-CTr/KDVĐU-UBND's names its two issuers ("Ủy ban nhân dân xã" for "UBND xã")."""
    dan_van_kheo = paragraph(nine_months, "Thực hiện Chỉ thị số 05-CT/TW")
    assert dan_van_kheo == (
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 về việc đẩy mạnh học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh của Bộ Chính trị; Kết luận số 01-KL/TW ngày "
        "18/5/2021 về việc tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính "
        "trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, UBND xã "
        "chỉ đạo các ban, ngành, đoàn thể triển khai phong trào thi đua “Dân vận khéo”."
    )
    propaganda = paragraph(nine_months, "Thực hiện Quyết định số 224-QĐ/HU")
    assert (
        "Chương trình số 17-CTr/KDVĐU-UBND ngày 26/02/2024 về việc phối hợp giữa Khối Dân vận "
        "Đảng ủy và Ủy ban nhân dân xã, UBND xã chỉ đạo"
    ) in propaganda
    assert propaganda.count("của Khối Dân vận Đảng ủy và UBND xã") == 1  # Kế hoạch 24-KH/…


# --- the 20 period codes of 2024 ------------------------------------------------------------

#: code -> (report date, first label, next label, section II label, place and date line), all
#: written by hand from SPEC §2 and Nghị định 30 (months 1–2 of a date take a leading zero).
PERIODS: dict[str, tuple[str, str, str, str, str]] = {
    "3m": ("20/3/2024", "3 tháng đầu năm", "9 tháng cuối năm 2024", "3 THÁNG NĂM 2024", "3"),
    "6m": ("20/6/2024", "6 tháng đầu năm", "6 tháng cuối năm 2024", "6 THÁNG NĂM 2024", "6"),
    "9m": ("20/9/2024", "9 tháng đầu năm", "3 tháng cuối năm 2024", "9 THÁNG NĂM 2024", "9"),
    "12m": ("20/12/2024", "năm 2024", "năm 2025", "NĂM 2024", "12"),
    "q1": ("20/3/2024", "quý I năm 2024", "quý II năm 2024", "QUÝ I NĂM 2024", "3"),
    "q2": ("20/6/2024", "quý II năm 2024", "quý III năm 2024", "QUÝ II NĂM 2024", "6"),
    "q3": ("20/9/2024", "quý III năm 2024", "quý IV năm 2024", "QUÝ III NĂM 2024", "9"),
    "q4": ("20/12/2024", "quý IV năm 2024", "quý I năm 2025", "QUÝ IV NĂM 2024", "12"),
    "t1": ("20/1/2024", "tháng 01 năm 2024", "tháng 02 năm 2024", "THÁNG 01 NĂM 2024", "01"),
    "t2": ("20/2/2024", "tháng 02 năm 2024", "tháng 3 năm 2024", "THÁNG 02 NĂM 2024", "02"),
    "t3": ("20/3/2024", "tháng 3 năm 2024", "tháng 4 năm 2024", "THÁNG 3 NĂM 2024", "3"),
    "t4": ("20/4/2024", "tháng 4 năm 2024", "tháng 5 năm 2024", "THÁNG 4 NĂM 2024", "4"),
    "t5": ("20/5/2024", "tháng 5 năm 2024", "tháng 6 năm 2024", "THÁNG 5 NĂM 2024", "5"),
    "t6": ("20/6/2024", "tháng 6 năm 2024", "tháng 7 năm 2024", "THÁNG 6 NĂM 2024", "6"),
    "t7": ("20/7/2024", "tháng 7 năm 2024", "tháng 8 năm 2024", "THÁNG 7 NĂM 2024", "7"),
    "t8": ("20/8/2024", "tháng 8 năm 2024", "tháng 9 năm 2024", "THÁNG 8 NĂM 2024", "8"),
    "t9": ("20/9/2024", "tháng 9 năm 2024", "tháng 10 năm 2024", "THÁNG 9 NĂM 2024", "9"),
    "t10": ("20/10/2024", "tháng 10 năm 2024", "tháng 11 năm 2024", "THÁNG 10 NĂM 2024", "10"),
    "t11": ("20/11/2024", "tháng 11 năm 2024", "tháng 12 năm 2024", "THÁNG 11 NĂM 2024", "11"),
    "t12": ("20/12/2024", "tháng 12 năm 2024", "tháng 01 năm 2025", "THÁNG 12 NĂM 2024", "12"),
}


def test_every_period_code_is_covered() -> None:
    codes = {f"{n}m" for n in (3, 6, 9, 12)} | {f"q{k}" for k in range(1, 5)}
    assert set(PERIODS) == codes | {f"t{n}" for n in range(1, 13)}


@pytest.mark.parametrize("code", list(PERIODS))
def test_title_headings_and_date_of_every_period(code: str, tmp_path: Path) -> None:
    date, first, following, results, month = PERIODS[code]
    document = build(tmp_path / f"bc_{code}.docx", code, date)
    texts = body(document)
    title = texts.index("BÁO CÁO")
    # Two lines, broken after the ";" as the seed does.
    assert texts[title + 1] == (
        f"Kết quả công tác dân vận chính quyền {first};\nphương hướng, nhiệm vụ {following}"
    )
    assert f"II. KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN {results}" in texts
    assert f"IV. NHIỆM VỤ TRỌNG TÂM {following.upper()}" in texts
    header = document.tables[0].rows[0].cells[1]
    assert cell_lines(header)[-1] == f"Tân Hưng, ngày 20 tháng {month} năm 2024"


def test_a_quarter_dates_its_dossier_figures_by_its_window(tmp_path: Path) -> None:
    """Only reports counted from January say "tính đến ngày …"; a quarter names its window."""
    document = build(tmp_path / "bc_q3.docx", "q3", "20/9/2024")
    dossiers = paragraph(document, "Trong quý III năm 2024 (từ ngày 15/6/2024 đến ngày 14/9/2024)")
    assert dossiers.startswith(
        "Trong quý III năm 2024 (từ ngày 15/6/2024 đến ngày 14/9/2024), Bộ phận Tiếp nhận và "
        "Trả kết quả xã đã tiếp nhận "
    )
    assert not [text for text in body(document) if "tính đến ngày" in text]
