"""The summary workbook of ``danvan batch`` (SPEC §5): one row per workbook with its key
figures and status, a totals row; written atomically with openpyxl. No personal data: the rows
hold only unit names, file names, reasons, counts and rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from danvan_cli.errors import DanvanError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from danvan_cli.batch import CommuneResult
    from danvan_cli.batch_inputs import InputFiles
    from danvan_cli.build import PeriodRequest


# --- key figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryColumn:
    key: str  # dotted path in figures.to_json_dict(), or a derived key
    title: str
    group: str
    rate: bool = False


SUMMARY_FIGURES: tuple[SummaryColumn, ...] = (
    SummaryColumn("reception.visits", "Lượt tiếp", "Tiếp công dân"),
    SummaryColumn("reception.people", "Số người", "Tiếp công dân"),
    SummaryColumn("reception.cases", "Vụ việc", "Tiếp công dân"),
    SummaryColumn("reception.cases_by_kind.khieu_nai", "Khiếu nại", "Tiếp công dân"),
    SummaryColumn("reception.cases_by_kind.to_cao", "Tố cáo", "Tiếp công dân"),
    SummaryColumn("reception.cases_by_kind.kien_nghi", "Kiến nghị", "Tiếp công dân"),
    SummaryColumn("reception.cases_by_kind.phan_anh", "Phản ánh", "Tiếp công dân"),
    SummaryColumn("reception.groups", "Đoàn đông người", "Tiếp công dân"),
    SummaryColumn("petitions.received", "Tiếp nhận", "Đơn thư"),
    SummaryColumn("petitions.processed", "Đã xử lý", "Đơn thư"),
    SummaryColumn("petitions.eligible", "Đủ điều kiện xử lý", "Đơn thư"),
    SummaryColumn("dossiers.received", "Tiếp nhận", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.online", "Trực tuyến", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.direct", "Trực tiếp", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.postal", "Bưu chính", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.resolved", "Đã giải quyết", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.early_on_time", "Trước hạn, đúng hạn", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.late", "Quá hạn", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.open", "Đang giải quyết", "Hồ sơ một cửa"),
    SummaryColumn("dossiers.online_rate", "Tỷ lệ trực tuyến (%)", "Hồ sơ một cửa", rate=True),
    SummaryColumn("dossiers.on_time_rate", "Tỷ lệ đúng hạn (%)", "Hồ sơ một cửa", rate=True),
    SummaryColumn("procedures.total", "Số TTHC", "Thủ tục hành chính"),
    SummaryColumn("procedures.full_online", "DVC toàn trình", "Thủ tục hành chính"),
    SummaryColumn("procedures.partial_online", "DVC một phần", "Thủ tục hành chính"),
)
_EXTRA_FIGURES = ("dossiers.early", "dossiers.on_time")
_PERIOD_GROUPS = ("reception.", "petitions.", "dossiers.")
COMPARED_FIGURES = tuple(c for c in SUMMARY_FIGURES if c.key.startswith(_PERIOD_GROUPS))
"""The summary's figures that last year's workbook has too (the period's, not the catalogue's):
with ``--so-sanh`` each gets last year's value and the change beside it."""
_RATE_DIVISORS = {
    "dossiers.online_rate": "dossiers.received",
    "dossiers.on_time_rate": "dossiers.resolved",
}


def key_figures(
    data: dict[str, Any], columns: Sequence[SummaryColumn] = SUMMARY_FIGURES
) -> dict[str, float]:
    """The summary's figures out of ``Figures.to_json_dict()`` (numbers only); last year's
    out of its ``previous`` block with ``columns=COMPARED_FIGURES``."""

    def pick(path: str) -> float:
        value: Any = data
        for part in path.split("."):
            value = value[part]
        if not isinstance(value, int | float):
            raise TypeError(f"{path} is not a number")
        return value

    found = {path: pick(path) for path in _EXTRA_FIGURES}
    for column in columns:
        if column.key == "dossiers.early_on_time":
            found[column.key] = found["dossiers.early"] + found["dossiers.on_time"]
        else:
            found[column.key] = pick(column.key)
    return found


def sum_figures(figures: Sequence[dict[str, float]]) -> dict[str, float]:
    """The sums of several communes' key figures; rates recomputed from the summed counts."""
    from danvan_cli.figures import rate

    keys = [*_EXTRA_FIGURES, *(c.key for c in SUMMARY_FIGURES if not c.rate)]
    summed: dict[str, float] = {key: 0 for key in keys}
    for one in figures:
        for key in keys:
            summed[key] += one.get(key, 0)
    summed["dossiers.online_rate"] = rate(
        int(summed["dossiers.online"]), int(summed["dossiers.received"])
    )
    summed["dossiers.on_time_rate"] = rate(
        int(summed["dossiers.early_on_time"]), int(summed["dossiers.resolved"])
    )
    return summed


def totals(results: Sequence[CommuneResult]) -> dict[str, float]:
    """Sums over the communes whose report was built; rates recomputed from the summed counts."""
    return sum_figures([result.figures for result in results if result.ok])


def changes(current: dict[str, float], previous: dict[str, float]) -> dict[str, float | None]:
    """This year's figure minus last year's, for each compared figure (rates in percentage
    points, 2 decimals); None for a rate that either year cannot have (no dossiers)."""
    moved: dict[str, float | None] = {}
    for column in COMPARED_FIGURES:
        key = column.key
        if column.rate:
            divisor = _RATE_DIVISORS[key]
            has_both = current.get(divisor) and previous.get(divisor)
            moved[key] = round(current[key] - previous[key], 2) if has_both else None
        else:
            moved[key] = current[key] - previous[key]
    return moved


def compared_totals(
    results: Sequence[CommuneResult],
) -> tuple[dict[str, float], dict[str, float], dict[str, float | None]]:
    """This year's totals, last year's and the change, all three over the communes compared
    with last year: one set of communes, so that the change is the difference of the two."""
    compared = [result for result in results if result.ok and result.previous]
    previous = sum_figures([result.previous for result in compared])
    current = sum_figures([result.figures for result in compared])
    return current, previous, changes(current, previous)


# --- its name and period ----------------------------------------------------------------------


def summary_period(
    request: PeriodRequest, results: Sequence[CommuneResult]
) -> dict[str, Any] | None:
    """The period of the summary: the first built commune's, else the one asked for when its
    year was given, else unknown."""
    first = next((r for r in results if r.ok), None)
    if first is not None:
        return first.period
    if request.year is None:
        return None
    try:
        period = request.resolve(request.year)
    except DanvanError:
        return None
    return {
        "code": period.code,
        "year": period.year,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def summary_name(request: PeriodRequest, results: Sequence[CommuneResult]) -> str:
    """``tong_hop_9m_2024.xlsx``: the year asked for, else the first built commune's year, else
    ``khong_ro``."""
    period = summary_period(request, results)
    code = str(period["code"]) if period else request.code.strip().lower()
    year = request.year if request.year is not None else period["year"] if period else None
    return f"tong_hop_{code}_{year if year is not None else 'khong_ro'}.xlsx"


def ensure_summary_writable(path: Path, force: bool, inputs: InputFiles | None = None) -> bool:
    """Whether writing the summary at ``path`` replaces a file: with ``--force``, or when the
    summary there is still exactly as danvan wrote it (a re-run brings it up to date; it holds
    nobody's work). A summary saved since by Excel or LibreOffice, or any other file, is refused
    without ``--force``; a folder, or one of the run's ``inputs``, whatever --force says
    (checked before any work, and again before writing)."""
    from danvan_cli.batch_inputs import InputFiles, output_refusal
    from danvan_cli.errors import OutputExistsError
    from danvan_cli.marks import SUMMARY, mark_of

    refused = output_refusal(path, "sổ tổng hợp", inputs or InputFiles([]))
    if refused:
        raise DanvanError(refused)
    if force or not path.exists():
        return force
    found = mark_of(path)
    if found is not None and found.kind == SUMMARY and found.untouched:
        return True
    if found is None or found.kind != SUMMARY:
        raise OutputExistsError(
            f"Đã có tệp «{path}», trùng tên sổ tổng hợp mà không phải sổ tổng hợp do danvan ghi "
            "ra. danvan không ghi đè; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o."
        )
    raise OutputExistsError(
        f"Sổ tổng hợp «{path}» đã có và đã được sửa hoặc lưu lại sau khi danvan ghi ra. danvan "
        "không ghi đè; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o."
    )


# --- the workbook -----------------------------------------------------------------------------

_FIXED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("STT", 6),
    ("Đơn vị", 24),
    ("Tỉnh/TP", 14),
    ("Tệp nguồn", 22),
    ("Trạng thái", 10),
    ("Lý do, ghi chú", 40),
)
_REPORT_COLUMN = ("Báo cáo", 44)
TITLE_ROWS = 3
HEADER_ROWS = (5, 6)
FIRST_DATA_ROW = 7
COMPARED_HEADER_ROWS = (5, 6, 7)
"""With last year's workbooks: group, figure, then "Kỳ này / Cùng kỳ / Tăng, giảm"."""
COMPARED_FIRST_DATA_ROW = 8
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00"
CHANGE_FORMAT = "+#,##0;-#,##0;0"
RATE_CHANGE_FORMAT = "+0.00;-0.00;0.00"
THIS_YEAR, LAST_YEAR, CHANGE = "Kỳ này", "Cùng kỳ", "Tăng, giảm"


@dataclass(frozen=True)
class FigureColumn:
    """One figure column of the sheet: this year's value, last year's or the change."""

    spec: SummaryColumn
    part: str  # THIS_YEAR, LAST_YEAR or CHANGE

    @property
    def number_format(self) -> str:
        if self.part == CHANGE:
            return RATE_CHANGE_FORMAT if self.spec.rate else CHANGE_FORMAT
        return RATE_FORMAT if self.spec.rate else COUNT_FORMAT


def figure_columns(compare: bool) -> list[FigureColumn]:
    """The figure columns in sheet order: each figure alone, or (``compare``) each compared
    figure followed by last year's value and the change."""
    columns: list[FigureColumn] = []
    for spec in SUMMARY_FIGURES:
        columns.append(FigureColumn(spec, THIS_YEAR))
        if compare and spec in COMPARED_FIGURES:
            columns += [FigureColumn(spec, LAST_YEAR), FigureColumn(spec, CHANGE)]
    return columns


def _d(iso: object) -> str:
    day = dt.date.fromisoformat(str(iso))
    return f"{day.day}/{day.month}/{day.year}"


def _title_lines(
    results: Sequence[CommuneResult],
    report_date: dt.date,
    period: dict[str, Any] | None,
    compare: bool,
) -> list[str]:
    from danvan_cli.batch import STATUS_OTHER_YEAR

    if period is not None:
        label = f"Kỳ báo cáo: {period['label']} (số liệu từ {_d(period['start'])} đến "
        label += f"{_d(period['end'])})"
    else:
        label = "Kỳ báo cáo: không xác định (không sổ nào lập được báo cáo)"
    done = sum(1 for r in results if r.ok)
    other_year = [r for r in results if r.status == STATUS_OTHER_YEAR]
    books = len(other_year)
    other = sorted({r.workbook_year for r in other_year if r.workbook_year is not None})
    made = f"Lập ngày {report_date:%d/%m/%Y}: {done}/{len(results) - books} đơn vị lập được báo cáo"
    if books:
        years = ", ".join(str(year) for year in other)
        made += f"; {books} sổ của năm khác ({years}) không lập, không cộng vào tổng"
    if compare:
        compared = sum(1 for r in results if r.ok and r.previous)
        made += f"; {compared}/{done} đơn vị so sánh được với cùng kỳ năm trước"
        if 0 < compared < done:
            made += " (dòng «Trong đó so sánh được với cùng kỳ» cộng riêng các đơn vị đó)"
    return ["TỔNG HỢP KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN", label, made + "."]


def write_summary(
    path: Path,
    results: Sequence[CommuneResult],
    force: bool,
    report_date: dt.date,
    period: dict[str, Any] | None = None,
    compare: bool = False,
) -> Path:
    """Write the summary workbook atomically (one row per workbook, a totals row); ``period``
    (the figures' ``period`` object) names the period in the title; ``compare`` (last year's
    workbooks were given) adds last year's value and the change beside each compared figure."""
    from danvan_cli.marks import SUMMARY, mark_book
    from danvan_cli.output import write_workbook_atomic

    book = _summary_book(results, report_date, period, compare)
    mark_book(book, SUMMARY)  # batch never reads it as a commune; a re-run may rewrite it
    return write_workbook_atomic(path, book, force)


def _row_values(
    columns: Sequence[FigureColumn],
    figures: dict[str, float] | None,
    previous: dict[str, float] | None,
    moved: dict[str, float | None] | None,
) -> list[float | None]:
    """One row's figure cells: blank where a side is missing (a failed commune, a commune
    without last year's workbook)."""
    values: list[float | None] = []
    for column in columns:
        key = column.spec.key
        if column.part == THIS_YEAR:
            values.append(figures.get(key) if figures else None)
        elif column.part == LAST_YEAR:
            values.append(previous.get(key) if previous else None)
        else:
            values.append(moved.get(key) if moved else None)
    return values


def _summary_book(
    results: Sequence[CommuneResult],
    report_date: dt.date,
    period: dict[str, Any] | None,
    compare: bool = False,
) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from danvan_cli.xlsx import put_text, put_value

    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = "TongHop"
    columns = figure_columns(compare)
    fixed = len(_FIXED_COLUMNS)
    last = fixed + len(columns) + 1
    header_rows = COMPARED_HEADER_ROWS if compare else HEADER_ROWS
    first_data_row = COMPARED_FIRST_DATA_ROW if compare else FIRST_DATA_ROW
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(name="Times New Roman", bold=True, size=11)
    body_font = Font(name="Times New Roman", size=11)
    fill = PatternFill("solid", fgColor="DDEBF7")
    total_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for row, text in enumerate(_title_lines(results, report_date, period, compare), start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name="Times New Roman", bold=row == 1, italic=row > 1, size=14 - row)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)

    top, bottom = header_rows[0], header_rows[-1]
    for column in range(1, last + 1):
        for row in header_rows:
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.fill, cell.border, cell.alignment = (
                header_font,
                fill,
                border,
                wrap_center,
            )

    def header(row: int, first: int, span: int, text: str, down_to: int | None = None) -> None:
        sheet.cell(row=row, column=first, value=text)
        end_row = down_to or row
        if span > 1 or end_row > row:
            sheet.merge_cells(
                start_row=row, start_column=first, end_row=end_row, end_column=first + span - 1
            )

    unmerged = [(title, width) for title, width in _FIXED_COLUMNS]
    for column, (title, width) in enumerate(unmerged, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        header(top, column, 1, title, bottom)
    sheet.column_dimensions[get_column_letter(last)].width = _REPORT_COLUMN[1]
    header(top, last, 1, _REPORT_COLUMN[0], bottom)
    column = fixed + 1
    for group in dict.fromkeys(c.group for c in SUMMARY_FIGURES):
        span = sum(1 for c in columns if c.spec.group == group)
        header(top, column, span, group)
        column += span
    column = fixed + 1
    for spec in SUMMARY_FIGURES:
        parts = [c for c in columns if c.spec is spec]
        for offset, part in enumerate(parts):
            width = 12 if spec.rate or part.part != THIS_YEAR else 10
            sheet.column_dimensions[get_column_letter(column + offset)].width = width
        if compare and len(parts) > 1:
            header(top + 1, column, len(parts), spec.title)
            for offset, part in enumerate(parts):
                header(bottom, column + offset, 1, part.part)
        else:
            header(top + 1, column, 1, spec.title, bottom)
        column += len(parts)
    sheet.row_dimensions[top + 1].height = 45

    # Styling cell by cell makes openpyxl hash style objects for every cell (seconds for a
    # thousand communes): style one prototype per column, then copy its style array.
    prototypes: list[Any] = []
    for column in range(1, last + 1):
        cell = sheet.cell(row=first_data_row, column=column)
        cell.font, cell.border = body_font, border
        if fixed < column < last:
            cell.number_format = columns[column - fixed - 1].number_format
        if column in (2, fixed, last):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        prototypes.append(copy(cell._style))
    status = sheet.cell(row=first_data_row, column=5)
    status.font = Font(name="Times New Roman", size=11, bold=True, color="C00000")
    failed_status = copy(status._style)

    def put_row(row: int, values: Sequence[object], figures: Sequence[float | None]) -> None:
        for column, value in enumerate([*values, *figures], start=1):
            cell = sheet.cell(row=row, column=column)
            cell._style = copy(prototypes[column - 1])
            put_value(cell, value)  # names, file names and reasons come from the inputs

    row = first_data_row
    for number, result in enumerate(results, start=1):
        fixed_values = (
            number,
            result.unit or None,
            result.province or None,
            result.name,
            result.label,
            result.remark or None,
        )
        ok = result.ok
        compared = ok and bool(result.previous)
        moved = changes(result.figures, result.previous) if compared else None
        figures = _row_values(
            columns,
            result.figures if ok else None,
            result.previous if compared else None,
            moved,
        )
        put_row(row, fixed_values, figures)
        report = sheet.cell(row=row, column=last)
        report._style = copy(prototypes[last - 1])
        if result.output is not None:
            put_text(report, result.output.name)
        if not result.ok or result.pdf_missing:
            sheet.cell(row=row, column=5)._style = copy(failed_status)
        row += 1

    done = sum(1 for r in results if r.ok)
    matched = sum(1 for r in results if r.ok and r.previous) if compare else 0
    rows: list[tuple[str, list[float | None]]] = []
    if matched and matched == done:  # every commune compared: one totals row says it all
        rows.append((f"Tổng cộng ({done} đơn vị)", _row_values(columns, *compared_totals(results))))
    else:
        rows.append(
            (f"Tổng cộng ({done} đơn vị)", _row_values(columns, totals(results), None, None))
        )
        if matched:  # last year and the change over the compared communes, on their own row
            rows.append(
                (
                    f"Trong đó so sánh được với cùng kỳ ({matched} đơn vị)",
                    _row_values(columns, *compared_totals(results)),
                )
            )
    for label, values in rows:
        put_row(row, (None, label, None, None, None, None), values)
        for column in range(1, last + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(name="Times New Roman", size=11, bold=True)
            cell.fill = total_fill
            cell.border = border
        row += 1

    sheet.freeze_panes = sheet.cell(row=first_data_row, column=3).coordinate
    sheet.print_title_rows = f"{top}:{bottom}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return book
