"""From a workbook to checked, typed rows: what clerks really type is read without false errors,
and every problem is reported once, at the cell Excel shows, in one pass."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from danvan_cli.checks import Issue, Report
from danvan_cli.reading import Loaded, load

MakeWorkbook = Callable[..., Path]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE = SAMPLE_DIR / "tan_hung_2024.xlsx"
MISTAKES_SAMPLE = SAMPLE_DIR / "loi_mau.xlsx"
CANARIES = ("Nguyễn Văn Canary", "001099012345")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


WHOLE_SHEET = {"absent-sheet", "unknown-sheet"}
"""Warnings about the workbook's set of sheets (tests/test_sheets.py); the small workbooks
here leave most sheets out, so these tests look past them."""


def in_sheets(report: Report) -> list[Issue]:
    return [i for i in report.issues if i.code not in WHOLE_SHEET]


def found(report: Report) -> set[tuple[str | None, str | None, str, str]]:
    return {(i.sheet, i.cell, i.code, i.severity.value) for i in in_sheets(report)}


def only_issue(loaded: Loaded) -> Issue:
    issues = in_sheets(loaded.report)
    assert len(issues) == 1, issues
    return issues[0]


# --- a workbook as a clerk really fills it (SPEC §1) ---------------------------------------

CLERK_INFO = [
    ["Mục", "Giá trị"],
    ["TÊN ĐƠN VỊ", "Tân Hưng"],
    ["loai don vi", "PHƯỜNG"],
    [nfd("Tỉnh/Thành phố"), "Hải Phòng"],
    ["Năm", "2024"],
    ["Diện tích (km²)", "7,02"],
    ["Dân số", "7.506"],
    ["Số thôn", 7.0],
    [None, None],
    ["Nơi nhận", "- Phòng Nội vụ;\n- Lưu: VT."],
]

# Columns shuffled, typed without diacritics, in capitals, with underscores or in NFD.
CLERK_RECEPTION_HEADER = [
    "SO NGUOI",
    "Ngay tiep",
    "hinh_thuc_tiep",
    nfd("Phân loại"),
    "MÃ VỤ VIỆC",
    "buoi",
    "Họ tên",
    "Ghi chú riêng",
]
CLERK_RECEPTIONS: list[list[Any]] = [
    CLERK_RECEPTION_HEADER,
    ["1.234", "14/9/2024", "ĐỊNH KỲ", "KIẾN NGHỊ", "VV-01", "SÁNG", "Lê Văn A", "đã hẹn"],
    ["2", "14/09/2024", "thuong xuyen", "khieu nai", None, None, None, None],
    [None] * 8,
    [3.0, "14-9-2024", "Uỷ quyền", "Tố cáo", None, "chiều", None, None],
    [4, "14.09.2024", "Đột xuất", "PHẢN ÁNH", None, None, None, None],
    [5, "2024-09-14", nfd("Định kỳ"), "kien nghi", "VV-01", None, None, None],
    [1, dt.date(2024, 9, 14), "Thường xuyên", "Kiến nghị", None, None, None, None],
    [1, dt.datetime(2024, 9, 14, 8, 30), "Thường xuyên", "Kiến nghị", None, None, None, None],
    [1, 45549, "Thường xuyên", "Kiến nghị", None, None, None, None],  # Excel serial
]

CLERK_PETITIONS: list[list[Any]] = [
    ["Đã xử lý", "Ngày nhận", "Đủ điều kiện xử lý", "PHAN LOAI", "Người gửi"],
    ["x", "2/1/2024", "X", "KIẾN NGHỊ", "Trần Thị B"],
    [None, "3/1/2024", 1, "Kiến nghị", None],
    [0, "04/01/2024", True, "Kiến nghị", None],
    [1, "5.1.2024", "TRUE", "Kiến nghị", None],
    ["Có", "6-1-2024", "FALSE", "Kiến nghị", None],
    [False, "2024-01-07", "Không", "Kiến nghị", None],
]

CLERK_DOSSIERS: list[list[Any]] = [
    ["Lĩnh vực", "Tháng", "Trực tiếp", "Trực tuyến", "Tổng tiếp nhận", "Trước hạn"],
    ["Tư pháp - Hộ tịch", "1", "1.000", "234", "1.234", "1.234"],
]


@pytest.fixture
def clerk_workbook(make_workbook: MakeWorkbook) -> Path:
    return make_workbook(
        {
            "thong tin": CLERK_INFO,
            "tiep cong dan": CLERK_RECEPTIONS,
            "Đơn thư": CLERK_PETITIONS,
            "Một cửa": CLERK_DOSSIERS,
        },
        titles={
            "tiep cong dan": ["SỔ TIẾP CÔNG DÂN NĂM 2024", None],
            "Đơn thư": ["SỔ THEO DÕI ĐƠN THƯ NĂM 2024"],
        },
    )


def test_clerk_workbook_reads_without_false_errors(clerk_workbook: Path) -> None:
    loaded = load(clerk_workbook)
    issues = [(i.code, i.sheet, i.cell) for i in loaded.report.issues]
    # the only remarks, warnings: the sheets the clerk left out, and an extra column
    assert issues == [
        ("absent-sheet", "ThuTuc", None),
        ("absent-sheet", "VanBan", None),
        ("absent-sheet", "MoHinh", None),
        ("absent-sheet", "NoiDung", None),
        ("unknown-column", "tiep cong dan", "H3"),
    ]
    assert loaded.ok
    assert loaded.data is not None


def test_clerk_profile_values(clerk_workbook: Path) -> None:
    data = load(clerk_workbook).data
    assert data is not None
    info = data.info
    assert (info.name, info.kind, info.province, info.year) == (
        "Tân Hưng",
        "Phường",
        "Hải Phòng",
        2024,
    )
    assert info.area_km2 == pytest.approx(7.02)
    assert info.population == 7506
    assert info.villages == 7
    assert info.recipients == ("Phòng Nội vụ",)


def test_clerk_receptions_land_in_place(clerk_workbook: Path) -> None:
    data = load(clerk_workbook).data
    assert data is not None
    rows = data.receptions
    assert [r.row for r in rows] == [4, 5, 7, 8, 9, 10, 11, 12]  # blank row 6 skipped
    assert {r.date for r in rows} == {dt.date(2024, 9, 14)}
    assert [r.people for r in rows] == [1234, 2, 3, 4, 5, 1, 1, 1]
    assert [r.mode for r in rows[:5]] == [
        "dinh_ky",
        "thuong_xuyen",
        "uy_quyen",
        "dot_xuat",
        "dinh_ky",
    ]
    assert [r.kind for r in rows[:5]] == [
        "kien_nghi",
        "khieu_nai",
        "to_cao",
        "phan_anh",
        "kien_nghi",
    ]
    assert [r.session for r in rows[:3]] == ["sang", None, "chieu"]
    assert [r.case_code for r in rows[:2]] == ["VV-01", None]


def test_clerk_yes_no_forms(clerk_workbook: Path) -> None:
    data = load(clerk_workbook).data
    assert data is not None
    petitions = data.petitions
    assert [p.date for p in petitions] == [dt.date(2024, 1, d) for d in range(2, 8)]
    assert [p.processed for p in petitions] == [True, False, False, True, True, False]
    assert [p.eligible for p in petitions] == [True, True, True, True, False, False]
    assert {p.kind for p in petitions} == {"kien_nghi"}


def test_clerk_counts_as_text(clerk_workbook: Path) -> None:
    data = load(clerk_workbook).data
    assert data is not None
    (month,) = data.dossiers
    assert (month.month, month.direct, month.online, month.total, month.early) == (
        1,
        1000,
        234,
        1234,
        1234,
    )


def test_personal_columns_are_not_kept(clerk_workbook: Path) -> None:
    data = load(clerk_workbook).data
    assert data is not None
    dumped = data.model_dump_json()
    assert "Lê Văn A" not in dumped
    assert "Trần Thị B" not in dumped
    assert "đã hẹn" not in dumped


# --- cell references -----------------------------------------------------------------------

HEADER = ["STT", "Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"]


def visit(day: object = "14/9/2024", people: object = 1, mode: object = "Định kỳ") -> list[Any]:
    return [1, day, mode, people, "Kiến nghị"]


@pytest.mark.parametrize(
    ("header", "options"),
    [
        # title in row 1, blank row 2, header in row 3 from column A: C is "Ngày tiếp"
        (
            ["STT", "Buổi", "Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"],
            {"titles": {"TiepCongDan": ["SỔ TIẾP CÔNG DÂN NĂM 2024", None]}},
        ),
        # rows 1–2 empty, table from B3: C is "Ngày tiếp" again
        (HEADER, {"at": {"TiepCongDan": "B3"}}),
    ],
    ids=["title-rows", "from-B3"],
)
def test_cell_reference_as_excel_shows_it(
    make_workbook: MakeWorkbook, header: list[str], options: dict[str, Any]
) -> None:
    date_at = header.index("Ngày tiếp")

    def row(day: str) -> list[Any]:
        values: dict[str, Any] = {"STT": 1, "Ngày tiếp": day, "Hình thức tiếp": "Định kỳ"}
        values |= {"Số người": 1, "Phân loại": "Kiến nghị", "Buổi": "Sáng"}
        return [values[name] for name in header]

    rows = [header] + [row("14/9/2024")] * 10 + [row("31/2/2024")]  # data rows 4..14
    loaded = load(make_workbook({"TiepCongDan": rows}, **options))
    issue = only_issue(loaded)
    assert header[date_at] == "Ngày tiếp"
    assert (issue.sheet, issue.cell, issue.code, issue.column) == (
        "TiepCongDan",
        "C14",
        "bad-date",
        "Ngày tiếp",
    )
    assert issue.ref == "TiepCongDan!C14"
    assert "31/2/2024" in issue.message


# --- sheet- and column-level problems ------------------------------------------------------


def test_missing_thong_tin_is_an_error(make_workbook: MakeWorkbook) -> None:
    loaded = load(make_workbook({"TiepCongDan": [HEADER, visit()]}, info=False))
    issue = only_issue(loaded)
    assert (issue.code, issue.severity.value) == ("missing-sheet", "error")
    assert "ThongTin" in issue.message
    assert loaded.data is None
    assert not loaded.ok


def test_missing_required_item_of_thong_tin(make_workbook: MakeWorkbook) -> None:
    info = [["Mục", "Giá trị"], ["Tên đơn vị", "Tân Hưng"], ["Năm", 2024]]
    issue = only_issue(load(make_workbook({"ThongTin": info})))
    assert (issue.code, issue.column) == ("required", "Tỉnh/Thành phố")
    assert "Tỉnh/Thành phố" in issue.message


def test_missing_required_column_is_named(make_workbook: MakeWorkbook) -> None:
    header = ["STT", "Ngày tiếp", "Hình thức tiếp", "Phân loại"]
    loaded = load(
        make_workbook({"TiepCongDan": [header, [1, "14/9/2024", "Định kỳ", "Kiến nghị"]]})
    )
    issue = only_issue(loaded)
    assert (issue.code, issue.severity.value, issue.column) == (
        "missing-column",
        "error",
        "Số người",
    )
    assert "Số người" in issue.message
    assert issue.cell == "A1"
    assert loaded.data is None


def test_missing_column_points_into_the_table(make_workbook: MakeWorkbook) -> None:
    header = ["Ngày tiếp", "Hình thức tiếp", "Phân loại"]
    path = make_workbook(
        {"TiepCongDan": [header, ["14/9/2024", "Định kỳ", "Kiến nghị"]]}, at={"TiepCongDan": "B3"}
    )
    assert only_issue(load(path)).cell == "B3"


def test_unknown_column_is_a_warning(make_workbook: MakeWorkbook) -> None:
    loaded = load(make_workbook({"TiepCongDan": [[*HEADER, "Cột tạm"], [*visit(), "ghi"]]}))
    issue = only_issue(loaded)
    assert (issue.code, issue.severity.value, issue.cell) == ("unknown-column", "warning", "F1")
    assert issue.message == "Cột ở ô F1 không có trong mẫu, bị bỏ qua."
    assert loaded.ok
    assert loaded.data is not None
    assert len(loaded.data.receptions) == 1


def test_sheet_without_header_in_first_ten_rows(make_workbook: MakeWorkbook) -> None:
    titles = ["SỔ TIẾP CÔNG DÂN"] + [None] * 10
    loaded = load(
        make_workbook({"Tiếp công dân": [HEADER, visit()]}, titles={"Tiếp công dân": titles})
    )
    issue = only_issue(loaded)
    assert (issue.code, issue.severity.value, issue.sheet) == (
        "no-header",
        "error",
        "Tiếp công dân",
    )
    assert "10 dòng đầu" in issue.message


def test_formula_without_cached_value_is_an_error_on_its_cell(make_workbook: MakeWorkbook) -> None:
    header = ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp", "Tổng tiếp nhận"]
    rows = [header, [1, "Đất đai", 1, 2, 3], [2, "Đất đai", 1, 2, "=C3+D3"]]
    issue = only_issue(load(make_workbook({"MotCua": rows})))
    assert (issue.code, issue.severity.value, issue.sheet, issue.cell) == (
        "formula-no-value",
        "error",
        "MotCua",
        "E3",
    )
    assert "công thức" in issue.message


def test_all_problems_found_in_one_pass(make_workbook: MakeWorkbook) -> None:
    receptions = [
        HEADER,
        visit(),
        visit(day="13/25/2024"),  # B3 bad date
        visit(people=-1),  # D4 negative count
        visit(mode="Tiếp dân"),  # C5 bad choice
        [1, None, "Định kỳ", 1, "Kiến nghị"],  # B6 required
    ]
    petitions = [
        ["Ngày nhận", "Phân loại", "Đủ điều kiện xử lý", "Đã xử lý"],
        ["2/1/2024", "Kiến nghị", "Có", "chưa"],  # D2 bad yes/no
    ]
    loaded = load(make_workbook({"TiepCongDan": receptions, "DonThu": petitions}))
    assert found(loaded.report) == {
        ("TiepCongDan", "B3", "bad-date", "error"),
        ("TiepCongDan", "D4", "out-of-range", "error"),
        ("TiepCongDan", "C5", "bad-choice", "error"),
        ("TiepCongDan", "B6", "required", "error"),
        ("DonThu", "D2", "bad-bool", "error"),
    }
    assert len(in_sheets(loaded.report)) == 5
    assert loaded.data is None


def test_unreadable_file_is_a_fatal_message_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "hong.xlsx"
    path.write_text("không phải sổ")
    loaded = load(path)
    assert loaded.report.fatal is not None
    assert "hong.xlsx" in loaded.report.fatal
    assert not loaded.ok
    assert loaded.data is None


# --- the sample workbooks ------------------------------------------------------------------


def test_sample_workbook_is_clean() -> None:
    loaded = load(SAMPLE)
    assert loaded.report.fatal is None
    assert loaded.report.issues == []
    data = loaded.data
    assert data is not None
    assert data.info.name == "Tân Hưng"
    assert data.info.year == 2024
    counts = [
        len(data.receptions),
        len(data.petitions),
        len(data.dossiers),
        len(data.procedures),
        len(data.documents),
        len(data.models),
    ]
    assert counts == [56, 27, 45, 13, 24, 3]


def test_every_planted_mistake_is_reported_at_its_cell(make_samples: ModuleType) -> None:
    report = load(MISTAKES_SAMPLE).report
    assert report.fatal is None
    reported = {(i.sheet, i.cell, i.severity.label) for i in report.issues}
    planted = {(m["sheet"], m["cell"], m["severity"]) for m in make_samples.MISTAKES}
    assert planted - reported == set(), "planted but not reported"
    assert reported - planted == set(), "reported but not planted"
    assert len(report.issues) == len(make_samples.MISTAKES)


def test_planted_mistakes_keep_the_data_out(make_samples: ModuleType) -> None:
    loaded = load(MISTAKES_SAMPLE)
    assert loaded.data is None
    errors = sum(1 for m in make_samples.MISTAKES if m["severity"] == "lỗi")
    assert len(loaded.report.errors) == errors


# --- privacy: messages point at cells, never at what a person wrote --------------------------

PERSONAL_CANARIES = {
    "Họ tên": "Canary Họ Tên Giả",
    "Địa chỉ": "thôn Canary Địa Chỉ",
    "Số CCCD": "099099099099",
    "Nội dung": "Canary nội dung kiến nghị bí mật",
}


def canary_workbook(make_workbook: MakeWorkbook) -> Path:
    header = [*HEADER, *PERSONAL_CANARIES]
    personal = list(PERSONAL_CANARIES.values())
    receptions = [
        header,
        [*visit(day="13/25/2024"), *personal],
        [*visit(people="2,5"), *personal],
        [*visit(mode="Tiếp dân"), *personal],
        [None, None, None, None, None, *personal],  # personal data only: required cells empty
    ]
    petitions = [
        ["Ngày nhận", "Phân loại", "Đủ điều kiện xử lý", "Đã xử lý", "Người gửi", "Nội dung"],
        ["32/1/2024", "Kiến nghị", "có lẽ", "Có", "Canary Người Gửi", "Canary nội dung đơn"],
    ]
    return make_workbook({"TiepCongDan": receptions, "DonThu": petitions}, name="canary.xlsx")


def all_canaries() -> list[str]:
    return [*CANARIES, *PERSONAL_CANARIES.values(), "Canary Người Gửi", "Canary nội dung đơn"]


def test_no_personal_data_in_messages(make_workbook: MakeWorkbook) -> None:
    report = load(canary_workbook(make_workbook)).report
    assert len(report.errors) >= 8
    text = repr(report.to_json())
    for canary in all_canaries():
        assert canary not in text
    assert "Canary" not in text


@pytest.mark.parametrize("path", [SAMPLE, MISTAKES_SAMPLE], ids=["sample", "mistakes"])
def test_sample_canary_never_in_messages(path: Path) -> None:
    text = repr(load(path).report.to_json())
    for canary in CANARIES:
        assert canary not in text
