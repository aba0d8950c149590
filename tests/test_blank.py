"""The blank workbook ``danvan init`` writes: built from schema.py, readable, never overwriting."""

from __future__ import annotations

import datetime as dt
import errno
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter

from danvan_cli.blank import (
    BOOL_LABELS,
    CONFIG_NAME,
    DATE_FORMAT,
    GUIDE_TITLE,
    LAST_ROW,
    write_blank_workbook,
)
from danvan_cli.errors import DanvanError, OutputExistsError, UsageError
from danvan_cli.schema import (
    SHEETS,
    THONG_TIN,
    THONG_TIN_HEADERS,
    Column,
    Kind,
    Sheet,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli")

YEAR = 2024
LOG_SHEETS = [sheet for sheet in SHEETS if not sheet.key_value]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_blank_workbook(tmp_path_factory.mktemp("init") / "xa" / "2024", YEAR)


@pytest.fixture(scope="module")
def book(written: list[Path]) -> Any:
    return load_workbook(written[0])


def _labels(column: Column) -> list[str]:
    return list(BOOL_LABELS) if column.kind is Kind.BOOL else column.choice_labels


def _validations(ws: Any, ref: str) -> list[Any]:
    return [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]


def _list_items(ws: Any, ref: str) -> list[list[str]]:
    found = []
    for dv in _validations(ws, ref):
        if dv.type == "list":
            formula = dv.formula1
            assert formula.startswith('"') and formula.endswith('"') and len(formula) <= 255
            found.append(formula[1:-1].split(","))
    return found


def _log_cells(sheet: Sheet) -> list[tuple[Column, str]]:
    return [(column, get_column_letter(n)) for n, column in enumerate(sheet.columns, start=1)]


def test_writes_workbook_and_config_into_new_folder(written: list[Path]) -> None:
    folder = written[0].parent
    assert written == [folder / "so_dan_van_2024.xlsx", folder / CONFIG_NAME]
    assert sorted(path.name for path in folder.iterdir()) == [CONFIG_NAME, "so_dan_van_2024.xlsx"]


def test_year_defaults_to_current_year(tmp_path: Path) -> None:
    workbook, _ = write_blank_workbook(tmp_path)
    assert workbook.name == f"so_dan_van_{dt.date.today().year}.xlsx"


def test_sheets_in_order_with_guide_first_and_active(book: Any) -> None:
    assert book.sheetnames == [GUIDE_TITLE, *(sheet.title for sheet in SHEETS)]
    assert book.active.title == GUIDE_TITLE


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda sheet: sheet.title)
def test_headers_are_exact_titles_styled_and_frozen(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.title]
    columns = THONG_TIN_HEADERS if sheet.key_value else sheet.columns
    header = [cell.value for cell in ws[1]]
    assert header == [column.title for column in columns]
    assert ws.freeze_panes == "A2"
    for n, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=n)
        assert cell.font.b
        assert cell.fill.fill_type == "solid"
        assert cell.alignment.wrap_text
        assert ws.column_dimensions[get_column_letter(n)].width == column.width
        assert (cell.font.color is not None and cell.font.color.rgb.endswith("C00000")) == (
            column.required
        )
        assert column.help in cell.comment.text
        assert column.kind_label in cell.comment.text


@pytest.mark.parametrize("sheet", LOG_SHEETS, ids=lambda sheet: sheet.title)
def test_log_sheets_have_no_data_rows(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.title]
    values = [cell.value for row in ws.iter_rows(min_row=2) for cell in row]
    assert all(value is None for value in values)


@pytest.mark.parametrize("sheet", LOG_SHEETS, ids=lambda sheet: sheet.title)
def test_dropdowns_cover_choice_and_yes_no_columns(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.title]
    for column, letter in _log_cells(sheet):
        for ref in (f"{letter}2", f"{letter}{LAST_ROW}"):
            lists = _list_items(ws, ref)
            if column.kind in (Kind.CHOICE, Kind.BOOL):
                assert lists == [_labels(column)], (sheet.title, column.title, ref)
            else:
                assert lists == [], (sheet.title, column.title)
        assert not _validations(ws, f"{letter}1")


def test_noi_dung_section_dropdown_lists_every_section(book: Any) -> None:
    sheet = next(sheet for sheet in SHEETS if sheet.key == "noi_dung")
    assert _list_items(book[sheet.title], "A2") == [sheet.column("section").choice_labels]


@pytest.mark.parametrize("sheet", LOG_SHEETS, ids=lambda sheet: sheet.title)
def test_number_columns_have_whole_number_validation(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.title]
    bounds = {Kind.COUNT: ("0", None), Kind.MONTH: ("1", "12")}
    for column, letter in _log_cells(sheet):
        if column.kind not in (Kind.COUNT, Kind.MONTH, Kind.YEAR):
            continue
        (dv,) = _validations(ws, f"{letter}{LAST_ROW}")
        assert dv.type == "whole"
        if column.kind in bounds:
            assert (dv.formula1, dv.formula2) == bounds[column.kind]


@pytest.mark.parametrize("sheet", LOG_SHEETS, ids=lambda sheet: sheet.title)
def test_date_columns_have_date_format_and_validation(book: Any, sheet: Sheet) -> None:
    ws = book[sheet.title]
    for column, letter in _log_cells(sheet):
        for row in (2, 1000, LAST_ROW):
            number_format = ws[f"{letter}{row}"].number_format
            if column.kind is Kind.DATE:
                assert number_format == DATE_FORMAT and is_date_format(number_format)
            else:
                assert not is_date_format(number_format)
        if column.kind is Kind.DATE:
            assert [dv.type for dv in _validations(ws, f"{letter}2")] == ["date"]


def test_thong_tin_lists_items_with_defaults_and_year(book: Any) -> None:
    ws = book[THONG_TIN.title]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [item.title for item in THONG_TIN.columns]
    for n, item in enumerate(THONG_TIN.columns, start=2):
        value = ws.cell(row=n, column=2).value
        expected = YEAR if item.key == "year" else item.default
        assert value == expected, item.title
        title = ws.cell(row=n, column=1)
        assert (title.font.color is not None and title.font.color.rgb.endswith("C00000")) == (
            item.required
        )
        lists = _list_items(ws, f"B{n}")
        assert lists == ([item.choice_labels] if item.kind is Kind.CHOICE else [])
    assert {"Xã", "thôn", "CHỦ TỊCH"} <= {row[1] for row in rows}


def test_guide_lists_every_column_of_every_sheet(book: Any) -> None:
    ws = book[GUIDE_TITLE]
    rows = [tuple(row[:5]) for row in ws.iter_rows(values_only=True)]
    header = ("Trang", "Cột", "Bắt buộc", "Kiểu", "Giải thích")
    assert header in rows
    table = {(row[0], row[1]): row for row in rows[rows.index(header) + 1 :]}
    for sheet in SHEETS:
        for column in sheet.columns:
            row = table[(sheet.title, column.title)]
            assert row[2] == ("Có" if column.required else None)
            assert row[3] == column.kind_label
            assert column.help in row[4]
            for label in _labels(column):
                assert label in row[4]
    assert len(table) == sum(len(sheet.columns) for sheet in SHEETS)
    # Số người is at least 1 (SPEC §1): its type says so, not "không âm"
    assert table[("TiepCongDan", "Số người")][3] == "số nguyên từ 1 trở lên"
    assert table[("TiepCongDan", "STT")][3] == "số nguyên không âm"
    text = " ".join(str(value) for row in rows[: rows.index(header)] for value in row if value)
    assert "dữ liệu cá nhân" in text.lower() and "không bao giờ in ra" in text


def test_config_parses_and_names_the_workbook(written: list[Path]) -> None:
    text = written[1].read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"danvan": {"workbook": "so_dan_van_2024.xlsx"}}
    uncommented = text.replace("# period", "period").replace("# leading_zero", "leading_zero")
    assert tomllib.loads(uncommented)["danvan"] == {
        "workbook": "so_dan_van_2024.xlsx",
        "period": "9m",
        "leading_zero": True,
    }


def test_calamine_reads_it(written: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(written[0]))
    assert workbook.sheet_names == [GUIDE_TITLE, *(sheet.title for sheet in SHEETS)]
    for sheet in LOG_SHEETS:
        rows = workbook.get_sheet_by_name(sheet.title).to_python()
        assert rows[0] == [column.title for column in sheet.columns]
        assert all(value == "" for row in rows[1:] for value in row)


def test_reader_finds_every_sheet_and_column_and_no_data(written: list[Path]) -> None:
    from danvan_cli.workbook import open_workbook

    workbook = open_workbook(written[0])
    for sheet in SHEETS:
        table = workbook.tables[sheet.key]
        assert table.header_row == 1
        assert table.unknown_columns == []
        expected = THONG_TIN_HEADERS if sheet.key_value else sheet.columns
        assert [found.column.key for found in table.columns] == [c.key for c in expected]
        if not sheet.key_value:
            assert table.rows == []


def test_never_overwrites(tmp_path: Path) -> None:
    first = write_blank_workbook(tmp_path, YEAR)
    before = {path: path.read_bytes() for path in first}
    with pytest.raises(OutputExistsError) as caught:
        write_blank_workbook(tmp_path, YEAR)
    assert "so_dan_van_2024.xlsx" in str(caught.value)
    assert isinstance(caught.value, DanvanError)
    assert {path: path.read_bytes() for path in first} == before
    assert sorted(tmp_path.iterdir()) == sorted(first)


def test_existing_config_alone_blocks_everything(tmp_path: Path) -> None:
    config = tmp_path / CONFIG_NAME
    config.write_text('[danvan]\nworkbook = "cu.xlsx"\n', encoding="utf-8")
    with pytest.raises(OutputExistsError, match=CONFIG_NAME):
        write_blank_workbook(tmp_path, 2025)
    assert list(tmp_path.iterdir()) == [config]
    assert config.read_text(encoding="utf-8") == '[danvan]\nworkbook = "cu.xlsx"\n'


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workbook is written, then the disk fills up while danvan.toml is written: neither
    stays, nor any temporary file."""
    real_write = Path.write_bytes
    calls: list[Path] = []

    def write_bytes(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 2:
            real_write(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    with pytest.raises(DanvanError) as caught:
        write_blank_workbook(tmp_path, YEAR)
    assert str(caught.value) == (
        f"Không ghi được tệp «{tmp_path / CONFIG_NAME}»: ổ đĩa đã đầy. Hãy giải phóng chỗ trống "
        "trên ổ đĩa hoặc ghi sang ổ đĩa khác rồi chạy lại."
    )
    assert len(calls) == 2
    assert list(tmp_path.iterdir()) == []


def test_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "so.xlsx"
    target.write_bytes(b"x")
    with pytest.raises(DanvanError, match="không phải thư mục"):
        write_blank_workbook(target, YEAR)


@pytest.mark.parametrize("year", [24, 12024])
def test_bad_year_is_a_usage_error(tmp_path: Path, year: int) -> None:
    with pytest.raises(UsageError, match=str(year)):
        write_blank_workbook(tmp_path, year)
    assert list(tmp_path.iterdir()) == []


# --- text from the command line stays text ------------------------------------------------------

FORMULA_NAME = '=HYPERLINK("http://example.com/x","Hải Phòng")'


def test_a_name_typed_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    """``danvan init --ten '=HYPERLINK(…)'`` must not put a live formula into the workbook."""
    profile = {"name": FORMULA_NAME, "province": "+84 Hải Phòng", "kind": "Xã"}
    workbook, _ = write_blank_workbook(tmp_path, YEAR, profile)
    info = load_workbook(workbook)["ThongTin"]
    values = {row[0].value: row[1] for row in info.iter_rows(min_row=2)}
    for title, typed in (("Tên đơn vị", FORMULA_NAME), ("Tỉnh/Thành phố", "+84 Hải Phòng")):
        cell = values[title]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True)
    with zipfile.ZipFile(workbook) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(
            b"<f>" in archive.read(name) or b"<f " in archive.read(name) for name in sheets
        )
