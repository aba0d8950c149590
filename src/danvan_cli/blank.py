"""The blank workbook and ``danvan.toml`` that ``danvan init`` writes, generated from schema.py:
every sheet with its headers, widths, dropdowns and formats, and a HuongDan sheet explaining
each column."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from danvan_cli.config import CONFIG_NAME
from danvan_cli.errors import DanvanError, OutputExistsError, UsageError
from danvan_cli.output import os_error, write_bytes_atomic, write_workbook_atomic
from danvan_cli.schema import (
    GUIDE_TITLE,
    SHEETS,
    THONG_TIN,
    THONG_TIN_HEADERS,
    Column,
    Kind,
    Sheet,
)
from danvan_cli.vietnamese import EXCEL_EPOCH
from danvan_cli.xlsx import put_value

LAST_ROW = 2000
"""Formats and validations of the log sheets reach down to this row."""
DATE_FORMAT = "DD/MM/YYYY"
BOOL_LABELS = ("Có", "Không")
MIN_YEAR, MAX_YEAR = 1950, 2100

_HEADER_FILL = "DDEBF7"
_REQUIRED_COLOR = "C00000"
_COMMENT_AUTHOR = "danvan"
_GUIDE_HEADERS = (("Trang", 14), ("Cột", 30), ("Bắt buộc", 10), ("Kiểu", 24), ("Giải thích", 80))


def workbook_name(year: int) -> str:
    return f"so_dan_van_{year}.xlsx"


def write_blank_workbook(
    folder: Path, year: int | None = None, profile: dict[str, str] | None = None
) -> list[Path]:
    """Write the blank workbook and ``danvan.toml`` into ``folder`` (created when missing) and
    return their paths; raise OutputExistsError, before writing anything, when either exists.

    ``profile`` pre-fills ThongTin items by key (``name``, ``province``, ``kind``, ``district``)
    so that the new workbook validates without an error from the start."""
    if year is None:
        year = dt.date.today().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(
            f"Năm «{year}» không hợp lệ: cần năm có 4 chữ số từ {MIN_YEAR} đến {MAX_YEAR}, "
            "ví dụ 2024."
        )
    workbook_path = folder / workbook_name(year)
    config_path = folder / CONFIG_NAME
    try:
        if folder.exists() and not folder.is_dir():
            raise DanvanError(f"«{folder}» là một tệp, không phải thư mục: chọn thư mục khác.")
        for path in (workbook_path, config_path):
            if path.exists() or path.is_symlink():
                raise _exists(path)
    except OSError as err:  # a name too long, a folder we may not look into…
        raise os_error(err, workbook_path) from None
    book = build_workbook(year, profile)
    try:
        write_workbook_atomic(workbook_path, book)
    except OutputExistsError:  # created meanwhile by another run
        raise _exists(workbook_path) from None
    try:
        write_bytes_atomic(config_path, config_text(workbook_path.name).encode("utf-8"))
    except BaseException as err:
        with contextlib.suppress(OSError):  # ours, written a moment ago: all or nothing
            workbook_path.unlink(missing_ok=True)
        if isinstance(err, OutputExistsError):
            raise _exists(config_path) from None
        raise
    return [workbook_path, config_path]


def _exists(path: Path) -> OutputExistsError:
    return OutputExistsError(
        f"Tệp «{path}» đã có; danvan init không ghi đè lên tệp có sẵn. "
        "Chọn thư mục khác, hoặc đổi tên hay xóa tệp đó rồi chạy lại."
    )


def config_text(workbook: str) -> str:
    """The ``danvan.toml`` naming ``workbook``, with the optional settings commented out."""
    return (
        "# Cấu hình danvan cho thư mục này: các lệnh tự dùng sổ ghi ở đây khi không chỉ tên tệp.\n"
        "[danvan]\n"
        f'workbook = "{workbook}"\n'
        "\n"
        "# Kỳ báo cáo mặc định khi không ghi --period (3m, 6m, 9m, 12m, q1…q4, t1…t12):\n"
        '# period = "9m"\n'
        "# Viết số từ 1 đến 9 có số 0 đứng trước («03 hồ sơ», «07 thôn»); false để tắt:\n"
        "# leading_zero = true\n"
    )


# --- the workbook ------------------------------------------------------------------------------


def build_workbook(year: int, profile: dict[str, str] | None = None) -> Any:
    """The blank openpyxl workbook for ``year``: HuongDan first and active, then every sheet of
    the schema in schema order."""
    from openpyxl import Workbook

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_TITLE
    _fill_guide(guide, year)
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.title)
        if sheet.key_value:
            _fill_key_value(ws, sheet, year, profile or {})
        else:
            _fill_log(ws, sheet)
    book.active = 0
    return book


def _fill_log(ws: Any, sheet: Sheet) -> None:
    from openpyxl.utils import get_column_letter

    _write_header(ws, sheet.columns)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        cells = f"{letter}2:{letter}{LAST_ROW}"
        validation = _validation(column)
        if validation is not None:
            validation.add(cells)
            ws.add_data_validation(validation)
        if column.kind is Kind.DATE:
            for row in range(2, LAST_ROW + 1):
                ws.cell(row=row, column=index).number_format = DATE_FORMAT


def _fill_key_value(ws: Any, sheet: Sheet, year: int, profile: dict[str, str]) -> None:
    from openpyxl.styles import Alignment, Font

    _write_header(ws, THONG_TIN_HEADERS)
    year_item = THONG_TIN.column("year")
    for row, item in enumerate(sheet.columns, start=2):
        title = ws.cell(row=row, column=1, value=item.title)
        title.font = Font(bold=item.required, color=_REQUIRED_COLOR if item.required else None)
        title.comment = _comment(item)
        value = year if item.key == year_item.key else profile.get(item.key, item.default)
        cell = ws.cell(row=row, column=2)
        put_value(cell, value)  # the unit's name and province come from the command line
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        validation = _validation(item)
        if validation is not None:
            validation.add(cell.coordinate)
            ws.add_data_validation(validation)


def _write_header(ws: Any, columns: tuple[Column, ...]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    fill = PatternFill(fill_type="solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.title)
        cell.font = Font(bold=True, color=_REQUIRED_COLOR if column.required else None)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.comment = _comment(column)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _comment(column: Column) -> Any:
    from openpyxl.comments import Comment

    lines = [column.help, f"Kiểu: {column.kind_label}."]
    labels = _labels(column)
    if labels:
        lines.append(f"Chọn: {', '.join(labels)}.")
    if column.required:
        lines.append("Bắt buộc (tên màu đỏ).")
    if column.personal:
        lines.append("Dữ liệu cá nhân: chỉ để đếm, không bao giờ in ra.")
    comment = Comment("\n".join(lines), _COMMENT_AUTHOR)
    comment.width = 260
    comment.height = 40 + 20 * len(lines) + 20 * (len(column.help) // 45)
    return comment


def _labels(column: Column) -> list[str]:
    if column.kind is Kind.CHOICE:
        return column.choice_labels
    if column.kind is Kind.BOOL:
        return list(BOOL_LABELS)
    return []


def _validation(column: Column) -> Any:
    """The Excel data validation that fits ``column``'s kind, or None for free text. Errors are
    warnings, not refusals: the reader also accepts aliases (Uỷ quyền, x, 1/0) and text dates."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = column.kind
    labels = _labels(column)
    if labels:
        return _checked(
            DataValidation(type="list", formula1=_list_formula(column, labels)),
            f"Chọn một giá trị trong danh sách: {', '.join(labels)}.",
        )
    if kind is Kind.COUNT:
        return _checked(
            DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0"),
            "Ghi số nguyên không âm, ví dụ 12.",
        )
    if kind is Kind.DECIMAL:
        return _checked(
            DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0"),
            "Ghi một số không âm, ví dụ 7,02.",
        )
    if kind is Kind.MONTH:
        return _checked(
            DataValidation(type="whole", operator="between", formula1="1", formula2="12"),
            "Ghi tháng là số nguyên từ 1 đến 12.",
        )
    if kind is Kind.YEAR:
        return _checked(
            DataValidation(
                type="whole", operator="between", formula1=str(MIN_YEAR), formula2=str(MAX_YEAR)
            ),
            "Ghi năm đủ 4 chữ số, ví dụ 2024.",
        )
    if kind is Kind.DATE:
        first, last = dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)
        return _checked(
            DataValidation(
                type="date",
                operator="between",
                formula1=str((first - EXCEL_EPOCH).days),
                formula2=str((last - EXCEL_EPOCH).days),
            ),
            "Ghi ngày theo ngày/tháng/năm, ví dụ 14/09/2024.",
        )
    return None


def _checked(validation: Any, message: str) -> Any:
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorStyle = "warning"
    validation.errorTitle = "Giá trị chưa đúng"
    validation.error = message[:255]
    return validation


def _list_formula(column: Column, labels: list[str]) -> str:
    formula = '"' + ",".join(labels) + '"'
    if any("," in label or '"' in label for label in labels) or len(formula) > 255:
        raise ValueError(f"choices of {column.key!r} cannot form an Excel list: {formula}")
    return formula


# --- HuongDan -----------------------------------------------------------------------------------


def _guide_intro(year: int) -> Iterator[str]:
    """The lines above the column table; a line starting with "#" is a heading."""
    yield (
        "Sổ này là dữ liệu để danvan lập «Báo cáo kết quả công tác dân vận chính quyền» "
        "(tháng, quý, 6 tháng, 9 tháng, năm) của UBND xã/phường."
    )
    yield f"Mỗi đơn vị ghi một sổ cho mỗi năm; sổ này dành cho năm {year}."
    yield ""
    yield "# CÁCH ĐIỀN"
    yield (
        "1. Trang ThongTin: mỗi dòng một mục; ghi giá trị vào cột «Giá trị». "
        "Mục có tên màu đỏ là bắt buộc."
    )
    yield (
        "2. Các trang còn lại là sổ ghi chép: dòng 1 là tên cột, mỗi dòng bên dưới là một bản ghi. "
        "Giữ nguyên tên cột; được đổi thứ tự cột."
    )
    yield "3. Cột có tên màu đỏ là bắt buộc; di chuột vào tên cột để xem giải thích."
    yield (
        "4. Ngày ghi theo ngày/tháng/năm, ví dụ 14/09/2024; số ghi bằng chữ số, không kèm chữ; "
        "cột có danh sách thì bấm vào ô và chọn."
    )
    yield "5. Trang không có số liệu thì để trống; chỉ trang ThongTin là bắt buộc."
    yield "6. Kiểm tra sổ: danvan validate — lập báo cáo 9 tháng: danvan build --period 9m."
    yield ""
    yield (
        "DỮ LIỆU CÁ NHÂN: họ tên, địa chỉ, số CCCD, nội dung vụ việc, nội dung đơn của công dân "
        "(Nghị định 13/2023/NĐ-CP) chỉ được đọc để đếm, không bao giờ in ra báo cáo, bảng số liệu "
        "hay thông báo."
    )
    yield ""
    yield "# CÁC TRANG"
    for sheet in SHEETS:
        need = "bắt buộc" if sheet.required else "không bắt buộc"
        yield f"• {sheet.title} ({need}): {sheet.help}"
    yield ""
    yield "# CÁC CỘT"


def _guide_explanation(column: Column) -> str:
    parts = [column.help]
    labels = _labels(column)
    if labels:
        parts.append(f"Chọn: {', '.join(labels)}.")
    if column.personal and "không in ra" not in column.help:
        parts.append("Dữ liệu cá nhân, không in ra.")
    return " ".join(parts)


def _fill_guide(ws: Any, year: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    title = ws.cell(row=1, column=1, value=f"SỔ DỮ LIỆU CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM {year}")
    title.font = Font(bold=True, size=14)
    row = 2
    for line in _guide_intro(year):
        row += 1
        if line.startswith("# "):
            ws.cell(row=row, column=1, value=line[2:]).font = Font(bold=True)
        elif line:
            ws.cell(row=row, column=1, value=line)
    row += 1
    fill = PatternFill(fill_type="solid", start_color=_HEADER_FILL, end_color=_HEADER_FILL)
    for index, (title, width) in enumerate(_GUIDE_HEADERS, start=1):
        cell = ws.cell(row=row, column=index, value=title)
        cell.font = Font(bold=True)
        cell.fill = fill
        ws.column_dimensions[get_column_letter(index)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet in SHEETS:
        for column in sheet.columns:
            row += 1
            values = (
                sheet.title,
                column.title,
                "Có" if column.required else "",
                column.kind_label,
                _guide_explanation(column),
            )
            for index, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=index, value=value or None)
                cell.alignment = wrap
            if column.required:
                ws.cell(row=row, column=2).font = Font(color=_REQUIRED_COLOR)
