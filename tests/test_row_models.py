"""Rows are validated by their pydantic models (issue 9.1): each constraint is declared once, on
the model, and a value that breaks it is reported at its cell in Vietnamese, by ``validate``
and ``build`` alike. Messages quote a value only when it cannot be personal data (SPEC §6)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from danvan_cli import models
from danvan_cli.checks import Report
from danvan_cli.reading import load

MakeWorkbook = Callable[..., Path]
SRC = Path(__file__).resolve().parents[1] / "src" / "danvan_cli"

RECEPTION_HEADER = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", "Buổi"]


def visit(day: object = "14/9/2024", people: object = 1, session: object = None) -> list[Any]:
    return [day, "Định kỳ", people, "Kiến nghị", session]


def issues(report: Report) -> list[tuple[str | None, str | None, str, str]]:
    """The issues of the sheets a test wrote (small test books leave most sheets out)."""
    return [(i.sheet, i.cell, i.code, i.message) for i in in_sheets(report)]


def in_sheets(report: Report) -> list[Any]:
    return [i for i in report.issues if i.code != "absent-sheet"]


# --- constraints live on the models and pydantic enforces them ------------------------------


def test_constraints_are_declared_on_the_models() -> None:
    people = models.Reception.model_fields["people"].metadata
    bounds = {(getattr(m, "ge", None), getattr(m, "le", None)) for m in people}
    assert bounds == {(1, None), (None, 10_000)}
    month = models.DossierMonth.model_fields["month"].metadata
    bounds = {(getattr(m, "ge", None), getattr(m, "le", None)) for m in month}
    assert bounds == {(1, None), (None, 12)}


def test_no_model_is_built_behind_pydantic_s_back() -> None:
    """No construct()/model_construct() and no writes to pydantic's internals anywhere."""
    forbidden = re.compile(r"model_construct|\.construct\(|__pydantic_fields_set__|__dict__\"")
    for path in SRC.glob("*.py"):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize("want_data", [True, False], ids=["build", "validate"])
def test_people_below_one_is_refused_by_the_model(
    make_workbook: MakeWorkbook, want_data: bool
) -> None:
    book = make_workbook({"TiepCongDan": [RECEPTION_HEADER, visit(), visit(people=0)]})
    report = load(book, want_data=want_data).report
    assert issues(report) == [
        (
            "TiepCongDan",
            "C3",
            "out-of-range",
            "Giá trị «0» nhỏ hơn 1: «Số người» phải từ 1 trở lên.",
        )
    ]
    assert report.errors[0].hint.startswith("Nhập số trong khoảng")


@pytest.mark.parametrize("want_data", [True, False], ids=["build", "validate"])
def test_a_cell_that_does_not_parse_hides_no_other_error_of_its_row(
    make_workbook: MakeWorkbook, want_data: bool
) -> None:
    """Every error at once (SPEC §5): a bad date beside Số người -3, a bad choice beside 0 —
    each cell said once, the clerk never fixes one to meet the next."""
    bad_date = visit(day="ngày mai", people=-3)
    bad_choice = [dt.date(2024, 9, 14), "Định kỳ", 0, "Khiếu nai lạ", None]
    book = make_workbook({"TiepCongDan": [RECEPTION_HEADER, bad_date, bad_choice, visit()]})
    found = [(cell, code) for _, cell, code, _ in issues(load(book, want_data=want_data).report)]
    assert found == [
        ("A2", "bad-date"),
        ("C2", "out-of-range"),
        ("C3", "out-of-range"),
        ("D3", "bad-choice"),
    ]


@pytest.mark.parametrize("want_data", [True, False], ids=["build", "validate"])
def test_negative_people_is_out_of_range(make_workbook: MakeWorkbook, want_data: bool) -> None:
    """Số người must be at least 1: a negative count is told against that bound (the hint of a
    plain negative count, "số nguyên không âm", would let 0 through)."""
    book = make_workbook({"TiepCongDan": [RECEPTION_HEADER, visit(people="-2")]})
    assert issues(load(book, want_data=want_data).report) == [
        (
            "TiepCongDan",
            "C2",
            "out-of-range",
            "Giá trị «-2» nhỏ hơn 1: «Số người» phải từ 1 trở lên.",
        )
    ]


@pytest.mark.parametrize("want_data", [True, False], ids=["build", "validate"])
def test_an_id_number_pasted_into_a_count_is_refused_not_counted(
    make_workbook: MakeWorkbook, want_data: bool
) -> None:
    """A shifted paste of a CCCD into Số người or a MotCua count would make a report of a
    billion people (SPEC §6, never silently wrong): the models bound each count, and the
    message describes the number without repeating it."""
    book = make_workbook(
        {
            "TiepCongDan": [RECEPTION_HEADER, visit(people="001099012345"), visit(people=9_999)],
            "MotCua": [
                ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp"],
                [1, "Đất đai", 912345678, 1],
            ],
        }
    )
    assert issues(load(book, want_data=want_data).report) == [
        (
            "TiepCongDan",
            "C2",
            "out-of-range",
            "Ô có một số rất dài, lớn hơn 10.000: «Số người» phải không quá 10.000 (có thể dán "
            "nhầm cột).",
        ),
        (
            "MotCua",
            "C2",
            "out-of-range",
            "Ô có một số rất dài, lớn hơn 1.000.000: «Trực tuyến» phải không quá 1.000.000 (có "
            "thể dán nhầm cột).",
        ),
    ]


def test_month_and_counts_of_mot_cua(make_workbook: MakeWorkbook) -> None:
    header = ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp", "Trước hạn"]
    rows = [header, [13, "Đất đai", 1, 1, 0], [2, "Đất đai", -1, 1, 0], [3, "Đất đai", 1, 1, 0]]
    report = load(make_workbook({"MotCua": rows})).report
    assert issues(report) == [
        ("MotCua", "A2", "bad-month", "Giá trị «13» không phải tháng (từ 1 đến 12)."),
        ("MotCua", "C3", "bad-number", "Giá trị «-1» không được là số âm."),
    ]


def test_profile_constraints_name_the_value_cell(make_workbook: MakeWorkbook) -> None:
    info = [
        ["Mục", "Giá trị"],
        ["Tên đơn vị", "Tân Hưng"],
        ["Tỉnh/Thành phố", "Hải Phòng"],
        ["Năm", 1800],
        ["Diện tích (km²)", "-7,02"],
        ["Dân số", "-5"],
    ]
    loaded = load(make_workbook({"ThongTin": info}))
    assert loaded.data is None
    assert issues(loaded.report) == [
        (
            "ThongTin",
            "B4",
            "bad-year",
            "Giá trị «1800» không phải năm hợp lệ (từ 1900 đến 2100, ví dụ 2024).",
        ),
        ("ThongTin", "B5", "bad-decimal", "Giá trị «-7,02» không được là số âm."),
        ("ThongTin", "B6", "bad-number", "Giá trị «-5» không được là số âm."),
    ]


def test_a_wrong_profile_item_hides_no_other(make_workbook: MakeWorkbook) -> None:
    """Every error at once (SPEC §5): a Năm that does not parse used to hide a Số đảng viên
    over its bound and the warning of a Diện tích that is a 9-digit number."""
    info = [
        ["Mục", "Giá trị"],
        ["Tên đơn vị", "Tân Hưng"],
        ["Tỉnh/Thành phố", "Hải Phòng"],
        ["Năm", "hai nghìn"],
        ["Diện tích (km²)", 987654321],
        ["Số đảng viên", 5_000_000],
    ]
    loaded = load(make_workbook({"ThongTin": info}, info=False))
    assert loaded.data is None
    assert sorted((i.cell, i.code) for i in in_sheets(loaded.report)) == [
        ("B4", "bad-year"),
        ("B5", "implausible-value"),
        ("B6", "out-of-range"),
    ]


def test_a_blank_required_item_is_told_as_an_item(make_workbook: MakeWorkbook) -> None:
    info = [["Mục", "Giá trị"], ["Tên đơn vị", "  "], ["Tỉnh/Thành phố", "Hải Phòng"]]
    info.append(["Năm", 2024])
    loaded = load(make_workbook({"ThongTin": info}, info=False))
    assert issues(loaded.report) == [
        (
            "ThongTin",
            "B2",
            "required",
            "Mục «Tên đơn vị» bắt buộc nhưng ô Giá trị để trống.",
        )
    ]


def test_implausible_profile_is_a_warning_and_no_density(make_workbook: MakeWorkbook) -> None:
    info = [
        ["Mục", "Giá trị"],
        ["Tên đơn vị", "Tân Hưng"],
        ["Tỉnh/Thành phố", "Hải Phòng"],
        ["Năm", 2024],
        ["Diện tích (km²)", 1e-300],
        ["Dân số", 10**18],
    ]
    loaded = load(make_workbook({"ThongTin": info}))
    assert loaded.ok and loaded.data is not None
    warned = [(i.cell, i.code, i.severity.value) for i in in_sheets(loaded.report)]
    assert warned == [
        ("B5", "implausible-value", "warning"),
        ("B6", "implausible-value", "warning"),
    ]
    assert "mật độ dân số không được tính" in in_sheets(loaded.report)[0].message
    from danvan_cli.figures import profile_figures

    assert profile_figures(loaded.data.info).density is None


def test_validate_and_build_agree_on_a_messy_log(make_workbook: MakeWorkbook) -> None:
    rows = [
        RECEPTION_HEADER,
        visit(),
        visit(people=0),
        visit(day="31/2/2024"),
        visit(people="2,5"),
        visit(people=-3),
        visit(session="Tối"),
        visit(people="1.234"),
    ]
    book = make_workbook({"TiepCongDan": rows})
    quick, full = load(book, want_data=False).report, load(book, want_data=True).report
    assert issues(quick) == issues(full)
    assert [i.cell for i in in_sheets(full)] == ["C3", "A4", "C5", "C6", "E7"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.tuples(
            st.sampled_from(["14/9/2024", "31/2/2024", 45549, "x", None]),
            st.sampled_from([1, 0, -1, "2,5", "3", None, 10**12]),
            st.sampled_from(["Sáng", "Chiều", "Tối", None]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_both_ways_of_validating_find_the_same_issues(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[Any, Any, Any]]
) -> None:
    from conftest import write_workbook

    rows = [RECEPTION_HEADER, *(visit(day, people, session) for day, people, session in cells)]
    book = write_workbook(tmp_path_factory.mktemp("so") / "so.xlsx", {"TiepCongDan": rows})
    assert issues(load(book, want_data=False).report) == issues(load(book).report)


# --- what a message may quote (SPEC §6) ------------------------------------------------------

NAME, ID_NUMBER, PHONE = "Hoàng Thị Kimsuyền", "038199004417", "0912345678"


def test_a_shifted_paste_is_described_never_quoted(make_workbook: MakeWorkbook) -> None:
    rows = [
        RECEPTION_HEADER,
        visit(day=NAME),
        visit(day=ID_NUMBER),
        visit(people=NAME),
        visit(session=PHONE),
        visit(day=int(ID_NUMBER)),
    ]
    report = load(make_workbook({"TiepCongDan": rows})).report
    text = repr(report.to_json())
    for secret in (NAME, ID_NUMBER, PHONE, "Kimsuy", "38199004417", "912345678"):
        assert secret not in text
    assert [i.message for i in in_sheets(report)] == [
        "Ô có chữ, không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ 14/9/2024).",
        "Ô có một dãy số dài, không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ "
        "14/9/2024).",
        "Ô có chữ, không phải số.",
        "Ô có một dãy số dài, không có trong danh sách: Sáng, Chiều.",
        "Ô có một số rất dài, số sê-ri ngày của Excel không hợp lệ.",
    ]


def test_dates_numbers_and_near_misses_are_quoted(make_workbook: MakeWorkbook) -> None:
    rows = [
        ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"],
        ["31/2/2024", "Định kỳ", 1, "Kiến nghị"],
        ["14/9/2024", "Định kỳ", "2,5", "Kiến nghị"],
        ["14/9/2024", "Dinh kyy", 1, "Kiến nghị"],
        ["14/9/2024", "Định kỳ", 1, "Kien ngh"],
    ]
    report = load(make_workbook({"TiepCongDan": rows})).report
    assert [i.message for i in in_sheets(report)] == [
        "Giá trị «31/2/2024» không phải ngày có thật (ngày viết trước tháng, ví dụ 14/9/2024).",
        "Giá trị «2,5» phải là số nguyên, không có phần thập phân.",
        "Giá trị «Dinh kyy» không có trong danh sách: Thường xuyên, Định kỳ, Ủy quyền, Đột xuất;"
        " có phải «Định kỳ»?",
        "Giá trị «Kien ngh» không có trong danh sách: Khiếu nại, Tố cáo, Kiến nghị, Phản ánh;"
        " có phải «Kiến nghị»?",
    ]


def test_a_date_with_a_time_is_quoted_whatever_its_digits(make_workbook: MakeWorkbook) -> None:
    """``31/02/2024 08:00`` has twelve digits but a day's shape: it cannot be an ID number."""
    rows = [RECEPTION_HEADER, visit(day="31/02/2024 08:00")]
    (issue,) = in_sheets(load(make_workbook({"TiepCongDan": rows})).report)
    assert issue.message == (
        "Giá trị «31/02/2024 08:00» không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ "
        "14/9/2024)."
    )


def test_a_date_typed_far_from_the_year_is_quoted_as_a_date(make_workbook: MakeWorkbook) -> None:
    rows = [RECEPTION_HEADER, visit(day=dt.date(2014, 9, 14))]
    (issue,) = in_sheets(load(make_workbook({"TiepCongDan": rows})).report)
    assert (issue.code, issue.message) == (
        "date-outside-year",
        "Ngày 14/9/2014 nằm ngoài năm 2024 của sổ.",
    )


@pytest.mark.parametrize(
    ("sheet", "model"),
    [
        ("TIEP_CONG_DAN", models.Reception),
        ("DON_THU", models.Petition),
        ("MOT_CUA", models.DossierMonth),
        ("THU_TUC", models.Procedure),
        ("VAN_BAN", models.Document),
        ("MO_HINH", models.Model),
        ("NOI_DUNG", models.Note),
    ],
)
def test_models_and_schema_agree(sheet: str, model: type[models.Row]) -> None:
    """Every model field is a column of its sheet; a field without a default is a required
    column (or a yes/no column, where blank means "không"); personal columns are no field."""
    from danvan_cli import schema

    spec = getattr(schema, sheet)
    columns = {column.key: column for column in spec.columns}
    for name, info in model.model_fields.items():
        if name == "row":
            continue
        column = columns[name]
        assert not column.personal, name
        assert info.is_required() == (column.required or column.kind is schema.Kind.BOOL), name
