"""Serial dates in a workbook using the 1904 date system (SPEC §6: "serial dates in a
1904-based workbook are read in that epoch"): old Mac Excel saves ``<workbookPr
date1904="1"/>``, where serial 0 is 1/1/1904, so 14/3/2024 is 43903 and not 45365. Date
cells, and plain numbers typed in a date column, must both come out as 14/3/2024."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import INFO_ROWS, write_workbook
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from support import no_traceback
from test_hostile import _biff, biff_workbook, compound_file, write_ods
from typer.testing import CliRunner

from danvan_cli.cli import app
from danvan_cli.vietnamese import EXCEL_EPOCH, EXCEL_EPOCH_1904, ParseError, parse_date
from danvan_cli.workbook import open_workbook

MARCH_14 = dt.date(2024, 3, 14)
SERIAL_1900 = 45365  # 14/3/2024 counted from 30/12/1899
SERIAL_1904 = 43903  # 14/3/2024 counted from 1/1/1904: 45365 - 1462
LOG_HEADER = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", "Lĩnh vực"]


def visit(day: object) -> list[object]:
    return [day, "Thường xuyên", 1, "Kiến nghị", "Đất đai"]


def write_1904_xlsx(path: Path) -> Path:
    """Row 2 a date cell (openpyxl writes its 1904 serial with a date format), row 3 the same
    serial as a plain number, row 4 text."""
    book = OpenpyxlWorkbook()
    book.epoch = CALENDAR_MAC_1904
    info = book.active
    assert info is not None
    info.title = "ThongTin"
    for row in INFO_ROWS:
        info.append(row)
    log = book.create_sheet("TiepCongDan")
    for row in (LOG_HEADER, visit(MARCH_14), visit(SERIAL_1904), visit("14/3/2024")):
        log.append(row)
    book.save(path)
    return path


def figures(runner: CliRunner, path: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["figures", str(path), "--period", "9m", "--json"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


def validate_issues(runner: CliRunner, path: Path) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", "--json", str(path)])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    issues: list[dict[str, Any]] = json.loads(result.stdout)["files"][0]["issues"]
    return [i for i in issues if i["code"] != "absent-sheet"]


def test_a_1904_xlsx_reads_date_cells_and_serials_alike(runner: CliRunner, tmp_path: Path) -> None:
    path = write_1904_xlsx(tmp_path / "so_mac.xlsx")
    with zipfile.ZipFile(path) as archive:
        assert b'<workbookPr date1904="1"/>' in archive.read("xl/workbook.xml")
    book = open_workbook(path)
    assert book.epoch == dt.date(1904, 1, 1)
    # calamine already reads a date cell in the workbook's own date system ...
    cells = [values[0] for _, values in book.tables["tiep_cong_dan"].rows]
    assert cells == [MARCH_14, SERIAL_1904, "14/3/2024"]
    # ... and danvan reads the plain serial in it too: three visits on 14/3/2024.
    assert validate_issues(runner, path) == []
    assert figures(runner, path)["reception"]["visits"] == 3


def test_a_1900_xlsx_keeps_the_usual_epoch(runner: CliRunner, tmp_path: Path) -> None:
    rows = [LOG_HEADER, visit(MARCH_14), visit(SERIAL_1900)]
    path = write_workbook(tmp_path / "so.xlsx", {"TiepCongDan": rows})
    assert open_workbook(path).epoch == dt.date(1899, 12, 30)
    assert validate_issues(runner, path) == []
    assert figures(runner, path)["reception"]["visits"] == 2


def test_a_1904_serial_in_a_1900_workbook_is_years_off(runner: CliRunner, tmp_path: Path) -> None:
    """The counter-check: the same 43903 in an ordinary workbook is 13/3/2020, outside the
    workbook's year, as Excel would show it too."""
    path = write_workbook(tmp_path / "so.xlsx", {"TiepCongDan": [LOG_HEADER, visit(SERIAL_1904)]})
    (issue,) = validate_issues(runner, path)
    assert (issue["cell"], issue["message"]) == ("A2", "Ngày 13/3/2020 nằm ngoài năm 2024 của sổ.")


def test_a_1904_xls_reads_serials_in_its_epoch(runner: CliRunner, tmp_path: Path) -> None:
    datemode = _biff(0x0022, struct.pack("<H", 1))
    sheets = {"ThongTin": INFO_ROWS, "TiepCongDan": [LOG_HEADER, visit(SERIAL_1904)]}
    path = tmp_path / "so_mac.xls"
    path.write_bytes(compound_file(biff_workbook(sheets, datemode)))
    assert open_workbook(path).epoch == dt.date(1904, 1, 1)
    assert validate_issues(runner, path) == []
    assert figures(runner, path)["reception"]["visits"] == 1


def test_an_ods_with_a_1904_null_date_reads_serials_in_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    settings = (
        "<table:calculation-settings>"
        '<table:null-date table:date-value="1904-01-01"/></table:calculation-settings>'
    )
    sheets = {"ThongTin": INFO_ROWS, "TiepCongDan": [LOG_HEADER, visit(SERIAL_1904)]}
    path = write_ods(tmp_path / "so.ods", sheets, settings=settings)
    assert open_workbook(path).epoch == dt.date(1904, 1, 1)
    assert validate_issues(runner, path) == []
    assert figures(runner, path)["reception"]["visits"] == 1


def test_parse_date_counts_serials_from_the_epoch_given() -> None:
    assert dt.date(1899, 12, 30) == EXCEL_EPOCH
    assert dt.date(1904, 1, 1) == EXCEL_EPOCH_1904
    assert parse_date(SERIAL_1900) == MARCH_14
    assert parse_date(SERIAL_1904, EXCEL_EPOCH_1904) == MARCH_14
    assert parse_date(float(SERIAL_1904), EXCEL_EPOCH_1904) == MARCH_14
    assert parse_date(1, EXCEL_EPOCH_1904) == dt.date(1904, 1, 2)
    assert parse_date(MARCH_14, EXCEL_EPOCH_1904) == MARCH_14  # a date cell is already a date
    assert parse_date("14/3/2024", EXCEL_EPOCH_1904) == MARCH_14
    # Excel's last day, 31/12/9999, is 2958465 in the 1900 system and 2957003 in the 1904 one
    assert parse_date(2958465) == dt.date(9999, 12, 31)
    assert parse_date(2957003, EXCEL_EPOCH_1904) == dt.date(9999, 12, 31)


@pytest.mark.parametrize("serial", [0, -1, 2957004, 2958465, 1.5])
def test_parse_date_refuses_serials_outside_the_1904_calendar(serial: float) -> None:
    with pytest.raises(ParseError, match="số sê-ri ngày của Excel không hợp lệ"):
        parse_date(serial, EXCEL_EPOCH_1904)
