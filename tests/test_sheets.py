"""SPEC §6, "never silently wrong", about the workbook's sheets: two sheets of one folded name,
known sheets missing, sheets danvan does not know, and formulas whose cached value is the
empty string (Excel's ``=IF(B60="","",…)`` on the empty rows of a log)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import INFO_ROWS
from support import flat, no_traceback
from test_hostile import before_sheet_data_end, edit_sheet, sheet_part
from typer.testing import CliRunner

from danvan_cli.cli import app
from danvan_cli.workbook import open_workbook

MakeWorkbook = Callable[..., Path]

LOG_HEADER = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", "Lĩnh vực"]
VISIT = ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "Đất đai"]
ABSENT = {
    "TiepCongDan": "Sổ không có trang «TiepCongDan» (sổ tiếp công dân): số liệu tiếp công dân "
    "tính bằng 0.",
    "DonThu": "Sổ không có trang «DonThu» (sổ đơn thư): số liệu đơn thư tính bằng 0.",
    "MotCua": "Sổ không có trang «MotCua» (số liệu hồ sơ một cửa): số liệu hồ sơ một cửa tính "
    "bằng 0.",
    "ThuTuc": "Sổ không có trang «ThuTuc» (danh mục thủ tục hành chính): số thủ tục hành chính "
    "tính bằng 0.",
    "VanBan": "Sổ không có trang «VanBan» (danh sách văn bản): báo cáo không dẫn văn bản nào.",
    "MoHinh": "Sổ không có trang «MoHinh» (danh sách mô hình «Dân vận khéo»): báo cáo không nêu "
    "mô hình nào.",
    "NoiDung": "Sổ không có trang «NoiDung» (lời văn của đơn vị): mọi mục của báo cáo dùng lời "
    "văn mặc định của mẫu.",
}
"""The warning for each optional sheet left out, as a clerk reads it."""
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "tan_hung_2024.xlsx"


def validate(runner: CliRunner, path: Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, ["validate", "--json", str(path)])
    no_traceback(result)
    (report,) = json.loads(result.stdout)["files"]
    return result.exit_code, report


def messages(report: dict[str, Any], code: str) -> list[str]:
    return [issue["message"] for issue in report["issues"] if issue["code"] == code]


def twin_warning(runner: CliRunner, path: Path) -> str:
    """The one twin-sheet warning of a workbook that validates."""
    code, report = validate(runner, path)
    assert code == 0
    (message,) = messages(report, "twin-sheet")
    return message


def visits(runner: CliRunner, path: Path) -> int:
    result = runner.invoke(app, ["figures", str(path), "--period", "9m", "--json"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    count: int = json.loads(result.stdout)["reception"]["visits"]
    return count


def hide(path: Path, *names: str) -> Path:
    book = openpyxl.load_workbook(path)
    for name in names:
        book[name].sheet_state = "hidden"
    book.save(path)
    return path


# --- two sheets of one folded name ------------------------------------------------------------


def test_twins_both_holding_data_are_an_error(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = make_workbook(
        {"TiepCongDan": [LOG_HEADER, VISIT], "Tiếp công dân": [LOG_HEADER, VISIT, VISIT]}
    )
    code, report = validate(runner, path)
    assert code == 1
    assert messages(report, "duplicate-sheet") == [
        "Hai trang «TiepCongDan» và «Tiếp công dân» cùng là sổ tiếp công dân và đều có dữ liệu: "
        "danvan không biết đọc trang nào."
    ]
    plain = runner.invoke(app, ["validate", str(path)])
    assert plain.exit_code == 1
    assert "TiepCongDan — lỗi: Hai trang «TiepCongDan» và «Tiếp công dân»" in flat(plain.output)
    out = tmp_path / "bao_cao.docx"
    build = runner.invoke(app, ["build", str(path), "-p", "9m", "--date", "20/9/2024", "-o", out])
    no_traceback(build)
    assert build.exit_code == 1
    assert not out.exists()


def test_a_hidden_empty_copy_before_the_log_does_not_hide_it(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    """A copy of the blank log, hidden, left before the real one: today's reader took the
    first and counted no visit at all."""
    path = hide(
        make_workbook(
            {"TiepCongDan": [LOG_HEADER], "Tiếp công dân": [LOG_HEADER, VISIT, VISIT, VISIT]}
        ),
        "TiepCongDan",
    )
    assert twin_warning(runner, path) == (
        "Hai trang «TiepCongDan» (trang ẩn) và «Tiếp công dân» cùng là sổ tiếp công dân; "
        "danvan đọc trang «Tiếp công dân» (trang có dữ liệu), bỏ qua trang «TiepCongDan» "
        "(trang ẩn)."
    )
    assert visits(runner, path) == 3
    plain = runner.invoke(app, ["validate", str(path)])
    assert "Tiếp công dân — cảnh báo: Hai trang «TiepCongDan» (trang ẩn)" in flat(plain.output)
    # figures and build say which sheet they read too (SPEC §6), not only validate
    for command in (
        ["figures"],
        ["build", "--date", "20/9/2024", "-o", str(path.with_name("b.docx"))],
    ):
        said = runner.invoke(app, [*command, str(path), "-p", "9m"])
        assert said.exit_code == 0, said.output
        assert (
            "Cảnh báo: Hai trang «TiepCongDan» (trang ẩn) và «Tiếp công dân» cùng là sổ tiếp "
            "công dân; danvan đọc trang «Tiếp công dân» (trang có dữ liệu)"
        ) in flat(said.output)


def test_twins_without_data_read_the_first(runner: CliRunner, make_workbook: MakeWorkbook) -> None:
    path = make_workbook({"Sổ tiếp công dân": [LOG_HEADER], "tiep_cong_dan": []})
    assert twin_warning(runner, path) == (
        "Hai trang «Sổ tiếp công dân» và «tiep_cong_dan» cùng là sổ tiếp công dân; danvan đọc "
        "trang «Sổ tiếp công dân» (trang đầu; không trang nào có dữ liệu), bỏ qua trang "
        "«tiep_cong_dan»."
    )


def test_three_profile_sheets_one_holding_data(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    path = make_workbook(
        {"Thông tin": [["Mục", "Giá trị"]], "ThongTin": INFO_ROWS, "thong tin": []},
        info=False,
    )
    assert twin_warning(runner, path) == (
        "3 trang «Thông tin», «ThongTin» và «thong tin» cùng là trang thông tin chung; danvan "
        "đọc trang «ThongTin» (trang có dữ liệu), bỏ qua trang «Thông tin» và «thong tin»."
    )


def test_twins_are_told_apart_in_the_workbook(make_workbook: MakeWorkbook) -> None:
    path = hide(
        make_workbook(
            {
                "TiepCongDan": [LOG_HEADER],
                "Ghi chép": [["x"]],
                "Tiếp công dân": [LOG_HEADER, VISIT],
            }
        ),
        "TiepCongDan",
    )
    book = open_workbook(path)
    assert book.tables["tiep_cong_dan"].name == "Tiếp công dân"
    assert [(t.name, t.hidden, t.has_data) for t in book.twins["tiep_cong_dan"]] == [
        ("TiepCongDan", True, False),
        ("Tiếp công dân", False, True),
    ]
    assert list(book.twins) == ["tiep_cong_dan"]
    assert book.unknown_sheets == ["Ghi chép"]


# --- sheets missing or unknown ----------------------------------------------------------------


def test_each_missing_sheet_is_a_warning(runner: CliRunner, make_workbook: MakeWorkbook) -> None:
    code, report = validate(runner, make_workbook({}))
    assert code == 0
    absent = [i for i in report["issues"] if i["code"] == "absent-sheet"]
    assert [(i["sheet"], i["message"], i["severity"]) for i in absent] == [
        (sheet, message, "warning") for sheet, message in ABSENT.items()
    ]
    plain = runner.invoke(app, ["validate", str(make_workbook({}, "b.xlsx"))])
    assert "DonThu — cảnh báo: " + ABSENT["DonThu"] in flat(plain.output)


def test_a_misspelt_sheet_is_missing_and_unknown(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    sheets = {
        "TiepCongDan": [LOG_HEADER, VISIT],
        "Don thu 2024": [["Ngày nhận", "Phân loại"], ["2/1/2024", "Kiến nghị"]],
        "HuongDan": [["Trang", "Cột"]],
    }
    code, report = validate(runner, make_workbook(sheets))
    assert code == 0
    assert ABSENT["DonThu"] in messages(report, "absent-sheet")
    assert ABSENT["TiepCongDan"] not in messages(report, "absent-sheet")
    assert messages(report, "unknown-sheet") == [
        "Trang «Don thu 2024» không có trong mẫu, bị bỏ qua."
    ]


def test_a_missing_profile_is_still_an_error(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    code, report = validate(runner, make_workbook({"TiepCongDan": [LOG_HEADER]}, info=False))
    assert code == 1
    assert [i["code"] for i in report["issues"] if i["severity"] == "error"] == ["missing-sheet"]


def test_a_full_workbook_has_no_sheet_warning(runner: CliRunner) -> None:
    code, report = validate(runner, SAMPLE)
    assert code == 0
    assert report["issues"] == []


def test_the_blank_workbook_guide_is_not_unknown(runner: CliRunner, tmp_path: Path) -> None:
    init = runner.invoke(app, ["init", str(tmp_path), "--ten", "Tân Hưng", "--tinh", "Hải Phòng"])
    assert init.exit_code == 0, init.output
    (path,) = tmp_path.glob("*.xlsx")
    assert "HuongDan" in openpyxl.load_workbook(path).sheetnames
    _, report = validate(runner, path)
    assert {i["code"] for i in report["issues"]} & {"unknown-sheet", "absent-sheet"} == set()


# --- formulas whose cached value is the empty string -------------------------------------------

EMPTY_TEXT = '<c r="{col}{row}" t="str"><f>IF(A{row}="","",A{row})</f><v></v></c>'
"""What Excel saves for ``=IF(A60="","",A60)`` on an empty row."""


def formula_rows(rows: range, template: str = EMPTY_TEXT, columns: str = "ABCDE") -> bytes:
    return "".join(
        f'<row r="{row}">' + "".join(template.format(col=c, row=row) for c in columns) + "</row>"
        for row in rows
    ).encode()


def zipfile_member(path: Path, sheet: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(sheet_part(path, sheet))


def typed_row(**raw: str) -> bytes:
    """Row 4 of the log: a visit typed as text (A, B, D), but the cells given as raw XML by
    column letter."""
    typed = {"A": "15/3/2024", "B": "Định kỳ", "D": "Phản ánh"}
    cells = [
        raw[col] if col in raw else f'<c r="{col}4" t="inlineStr"><is><t>{typed[col]}</t></is></c>'
        for col in "ABCDE"
        if col in raw or col in typed
    ]
    return ('<row r="4">' + "".join(cells) + "</row>").encode()


def with_formulas(source: Path, target: Path, rows: bytes) -> Path:
    return edit_sheet(source, target, "TiepCongDan", before_sheet_data_end(rows))


def test_empty_text_formulas_are_blank_rows(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """Two visits, then 58 rows whose every cell is an IF(…) formula showing nothing."""
    base = make_workbook({"TiepCongDan": [LOG_HEADER, VISIT, VISIT]}, "co_so.xlsx")
    path = with_formulas(base, tmp_path / "so.xlsx", formula_rows(range(4, 62)))
    assert b'<c r="B60" t="str"><f>IF(A60="","",A60)</f><v></v></c>' in (
        zipfile_member(path, "TiepCongDan")
    )
    code, report = validate(runner, path)
    assert code == 0, report["issues"]
    assert [i for i in report["issues"] if i["sheet"] == "TiepCongDan"] == []
    assert visits(runner, path) == 2
    table = open_workbook(path).tables["tiep_cong_dan"]
    assert [number for number, _ in table.rows] == [2, 3]
    assert table.formula_cells == frozenset()


def test_an_empty_text_formula_in_a_data_row_is_a_blank_cell(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """Row 4 has its visit typed and Số người left to a formula showing nothing: the cell is
    blank (a required cell left empty), not a formula without a value."""
    base = make_workbook({"TiepCongDan": [LOG_HEADER, VISIT]}, "co_so.xlsx")
    row = typed_row(
        C='<c r="C4" t="str"><f>IF(A4="","",A4)</f><v/></c>',
        E='<c r="E4" t="str"><f>IF(A4="","",A4)</f><v></v></c>',
    )
    path = with_formulas(base, tmp_path / "so.xlsx", row)
    code, report = validate(runner, path)
    assert code == 1
    issues = [(i["cell"], i["code"], i["message"]) for i in report["issues"] if i["cell"]]
    assert issues == [("C4", "required", "Cột «Số người» bắt buộc nhưng ô để trống.")]


def test_a_formula_without_any_cached_value_stays_an_error(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """No <v> at all (a file written by a script, never opened in Excel), and openpyxl's own
    way: no type and an empty <v>."""
    base = make_workbook({"TiepCongDan": [LOG_HEADER, VISIT]}, "co_so.xlsx")
    rows = (
        typed_row(C='<c r="C4"><f>1+1</f></c>')
        + b'<row r="5"><c r="C5"><f>1+1</f><v></v></c></row>'
        + b'<row r="6"><c r="C6" t="str"><f>"x"</f></c></row>'
    )
    path = with_formulas(base, tmp_path / "so.xlsx", rows)
    code, report = validate(runner, path)
    assert code == 1
    message = (
        "Ô có công thức nhưng chưa có giá trị đã tính (tệp do chương trình tạo ra, "
        "chưa mở bằng Excel)."
    )
    located = {(i["cell"], i["message"]) for i in report["issues"] if i["cell"]}
    assert {("C4", message), ("C5", message), ("C6", message)} <= located
    assert {i["code"] for i in report["issues"] if i["cell"] in ("C4", "C5", "C6")} == {
        "formula-no-value"
    }


@pytest.mark.parametrize(
    ("cell", "blank"),
    [
        ('<c r="A2" t="str"><f>""</f><v></v></c>', True),
        ('<c r="A2" t="str"><f>""</f><v/></c>', True),
        ('<c r="A2" t="str"><f>""</f></c>', False),
        ('<c r="A2"><f>1</f><v></v></c>', False),
        ('<c r="A2"><f>1</f><v/></c>', False),
        ('<c r="A2" t="str"><f>"a"</f><v>a</v></c>', True),
    ],
)
def test_which_formulas_have_a_cached_value(cell: str, blank: bool) -> None:
    from danvan_cli.workbook import _scan_raw_cells

    xml = f"<worksheet><sheetData><row r='2'>{cell}</row></sheetData></worksheet>".encode()
    formulas, _ = _scan_raw_cells(xml)
    assert (formulas == frozenset()) is blank, re.sub(r"\s+", " ", cell)


def test_the_unknown_sheet_hint_names_every_sheet_of_the_template() -> None:
    from danvan_cli.checks import ISSUE_TYPES
    from danvan_cli.schema import SHEETS

    hint = ISSUE_TYPES["unknown-sheet"].hint
    assert [sheet.title for sheet in SHEETS if sheet.title not in hint] == []
