"""From a workbook file to checked, typed rows: every cell parsed as clerks type it, every
problem recorded with its cell, all in one pass."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from danvan_cli import checks
from danvan_cli.checks import Report
from danvan_cli.errors import UnreadableFileError
from danvan_cli.models import (
    CommuneData,
    Document,
    DossierMonth,
    Model,
    Note,
    Petition,
    Procedure,
    Reception,
    Row,
    UnitInfo,
)
from danvan_cli.schema import (
    DON_THU,
    MO_HINH,
    MOT_CUA,
    NOI_DUNG,
    THONG_TIN,
    THU_TUC,
    TIEP_CONG_DAN,
    VAN_BAN,
    Column,
    Kind,
    Sheet,
)
from danvan_cli.sheets import check_sheets
from danvan_cli.vietnamese import (
    EXCEL_EPOCH,
    ParseError,
    column_letter,
    fold,
    parse_bool,
    parse_count,
    parse_date,
    parse_decimal,
    split_recipients,
)
from danvan_cli.workbook import Table, Workbook, is_blank, open_workbook


@dataclass
class Loaded:
    """A workbook read and checked: ``data`` is None when it holds errors."""

    report: Report
    data: CommuneData | None

    @property
    def ok(self) -> bool:
        return self.report.ok and self.data is not None


def load(path: Path, want_data: bool = True) -> Loaded:
    """Read and check the workbook at ``path``; never raises for a bad workbook's content, but
    an unreadable file is recorded as the report's ``fatal`` message."""
    report = Report(file=str(path))
    with _no_gc():
        try:
            book = open_workbook(path)
        except UnreadableFileError as err:
            report.fatal = str(err)
            return Loaded(report, None)
        data = _Reader(book, report, want_data).read()
    return Loaded(report, data if report.ok else None)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Reading a large log allocates hundreds of thousands of small objects that live until
    the end; the cyclic collector would rescan them over and over (about 40 % of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_ERROR_CODE = {
    Kind.DATE: "bad-date",
    Kind.COUNT: "bad-number",
    Kind.DECIMAL: "bad-decimal",
    Kind.CHOICE: "bad-choice",
    Kind.BOOL: "bad-bool",
    Kind.YEAR: "bad-year",
    Kind.MONTH: "bad-month",
}


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _shown(value: object) -> str:
    text = _text(value)
    return text if len(text) <= 40 else text[:37] + "…"


def converter(column: Column, epoch: dt.date = EXCEL_EPOCH) -> Callable[[object], Any]:
    """A fast parser for one column's non-blank cells (the common cell types first); a serial
    number in a date column counts days from ``epoch`` (the workbook's)."""
    kind = column.kind
    if kind is Kind.TEXT:
        return lambda raw: raw.strip() if type(raw) is str else _text(raw)
    if kind is Kind.DATE:
        return lambda raw: raw if type(raw) is dt.date else parse_date(raw, epoch)
    if kind is Kind.COUNT:

        def count(raw: object) -> int:
            if type(raw) is float and raw >= 0 and raw.is_integer():
                return int(raw)
            return parse_count(raw)

        return count
    if kind is Kind.CHOICE:
        seen: dict[object, str] = {}

        def choice(raw: object) -> str:
            key = seen.get(raw) if type(raw) is str else None
            if key is None:
                key = parse_cell(column, raw)
                if type(raw) is str and len(seen) < 1024:
                    seen[raw] = key
            return key

        return choice
    return lambda raw: parse_cell(column, raw)


def construct(model: type[Row], values: dict[str, Any], fields_set: set[str] | None = None) -> Any:
    """A row model from values the converters already typed and completed with defaults —
    pydantic's validation would only repeat that work, 100.000 times on a large log."""
    row = model.__new__(model)
    object.__setattr__(row, "__dict__", values)
    object.__setattr__(row, "__pydantic_fields_set__", fields_set or set(values))
    object.__setattr__(row, "__pydantic_extra__", None)
    object.__setattr__(row, "__pydantic_private__", None)
    return row


def parse_cell(column: Column, value: object) -> Any:
    """The typed value of a non-blank cell for ``column``; raises ParseError."""
    kind = column.kind
    if kind is Kind.TEXT:
        return _text(value)
    if kind is Kind.DATE:
        return parse_date(value)
    if kind is Kind.COUNT:
        return parse_count(value)
    if kind is Kind.DECIMAL:
        return parse_decimal(value)
    if kind is Kind.BOOL:
        return parse_bool(value)
    if kind is Kind.CHOICE:
        choice = column.choice_index.get(fold(_text(value)))
        if choice is None:
            raise ParseError("chỉ nhận: " + ", ".join(column.choice_labels))
        return choice.key
    if kind is Kind.YEAR:
        year = parse_count(value)
        if not 1900 <= year <= 2100:
            raise ParseError("năm phải có bốn chữ số, ví dụ 2024")
        return year
    month = parse_count(value)
    if not 1 <= month <= 12:
        raise ParseError("tháng phải từ 1 đến 12")
    return month


CellIssue = tuple[int, int, str, str, str]
"""(row number, column index, issue code, message, column title) of one cell."""
PostCheck = Callable[["Table", list[int], dict[str, list[Any]], bytearray, list[CellIssue]], None]
"""A sheet's own check over its typed columns (row numbers, values by key, validity flags)."""

_BAD = object()
"""A cell that is wrong (its issue is recorded); its row is left out."""
_BLANK = object()
"""A blank cell of an optional column."""


def judge(
    column: Column, convert: Callable[[object], Any], raw: object
) -> tuple[Any, str | None, str | None]:
    """(typed value, None, None), (_BLANK, None, None) or (_BAD, issue code, message) for one
    non-formula cell of ``column``; pure, so a column can share one verdict per distinct value."""
    if is_blank(raw):
        if column.kind is Kind.BOOL:
            return False, None, None
        if column.required:
            return _BAD, "required", f"Cột «{column.title}» bắt buộc nhưng ô để trống."
        return _BLANK, None, None
    try:
        return convert(raw), None, None
    except ParseError as err:
        shown = "" if column.personal else f" «{_shown(raw)}»"
        return _BAD, _ERROR_CODE.get(column.kind, "bad-number"), f"Giá trị{shown} {err}."


def raw_cell_problem(table: Table, ref: str) -> tuple[str, str] | None:
    """A formula with no cached value or an error value (#REF!…): calamine reads both blank."""
    if ref in table.formula_cells:
        return (
            "formula-no-value",
            "Ô có công thức nhưng chưa có giá trị đã tính (tệp do chương trình tạo ra, "
            "chưa mở bằng Excel).",
        )
    if ref in table.error_cells:
        return "error-value", "Ô đang báo lỗi công thức."
    return None


class _Reader:
    def __init__(self, book: Workbook, report: Report, want_data: bool = True) -> None:
        self.book = book
        self.report = report
        self.want_data = want_data
        # per sheet key: (row numbers, typed columns, valid flags) — what cross-row checks use
        self.typed: dict[str, tuple[list[int], dict[str, list[Any]], bytearray]] = {}
        self.year: int | None = None

    # -- cells ------------------------------------------------------------------------------

    def _value(
        self, table: Table, column: Column, row: int, index: int, raw: object
    ) -> tuple[bool, Any]:
        """(ok, typed value or None for blank) for one cell; records what is wrong."""
        ref = f"{column_letter(index)}{row}"
        problem = raw_cell_problem(table, ref)
        if problem is None:
            value, *problem_or_none = judge(column, lambda cell: parse_cell(column, cell), raw)
            code, message = problem_or_none
            if code is None:
                return True, None if value is _BLANK else value
            problem = (code, message or "")
        self.report.add(problem[0], problem[1], table.name, ref, column.title)
        return False, None

    # -- tables -----------------------------------------------------------------------------

    def _table(self, spec: Sheet) -> Table | None:
        table = self.book.tables.get(spec.key)
        if table is None:
            if spec.required:
                self.report.add(
                    "missing-sheet", f"Sổ không có trang «{spec.title}» ({spec.help})", spec.title
                )
            return None
        if table.header_row is None:
            if spec.required or not table.empty:
                self.report.add(
                    "no-header",
                    f"Không tìm thấy dòng tiêu đề trong 10 dòng đầu của trang «{table.name}».",
                    table.name,
                )
            return None
        for ref, text in table.unknown_columns:
            shown = _shown(text)
            self.report.add(
                "unknown-column", f"Cột «{shown}» không có trong mẫu, bị bỏ qua.", table.name, ref
            )
        return table

    def _rows(
        self,
        spec: Sheet,
        model: type[Row],
        post: PostCheck | None = None,
        log: bool = False,
    ) -> tuple[list[Any], dict[str, int]]:
        """Typed rows of one sheet and its column positions. ``post`` checks the typed columns
        (row numbers, values, validity); a ``log`` sheet's row objects are built only when the
        caller wants the data (``validate`` only wants the report)."""
        table = self._table(spec)
        if table is None:
            return [], {}
        present = {hc.column.key for hc in table.columns}
        for column in spec.columns:
            if column.required and column.key not in present:
                self.report.add(
                    "missing-column",
                    f"Trang «{table.name}» thiếu cột bắt buộc «{column.title}».",
                    table.name,
                    f"{column_letter(table.first_col)}{table.header_row}",
                    column.title,
                )
        missing_required = any(c.required and c.key not in present for c in spec.columns)
        fields = model.model_fields
        defaults = {name: f.default for name, f in fields.items() if not f.is_required()}
        # Columns the report uses, each with its compiled parser; personal-data columns and
        # columns no figure needs (STT, Người tiếp) are never parsed nor kept.
        plan = [
            (hc.index - table.first_col, hc.index, hc.column, converter(hc.column, self.book.epoch))
            for hc in table.columns
            if not hc.column.personal and hc.column.key in fields
        ]
        # Column by column: a log repeats the same few dates, choices and counts thousands of
        # times, so each distinct cell value is parsed once (100.000 rows in a fraction of the
        # time a cell-by-cell loop takes).
        rows = table.rows
        numbers = [number for number, _ in rows]
        valid = bytearray(b"\x01") * len(rows)
        issues: list[CellIssue] = []  # (row, column index, code, …)
        typed: dict[str, list[Any]] = {}
        for offset, index, column, convert in plan:
            typed[column.key] = self._column(
                table, column, index, offset, convert, rows, valid, issues
            )
        if post is not None:
            post(table, numbers, typed, valid, issues)
        issues.sort(key=lambda issue: (issue[0], issue[1]))
        for number, index, code, message, title in issues:
            self.report.add(code, message, table.name, f"{column_letter(index)}{number}", title)
        out: list[Any] = []
        self.typed[spec.key] = (numbers, typed, valid)
        if not missing_required and (self.want_data or not log):
            keys = list(typed)
            fields_set = set(fields)
            for number, ok, *values in zip(numbers, valid, *typed.values(), strict=True):
                if ok:
                    record = dict(defaults)
                    record["row"] = number
                    for key, value in zip(keys, values, strict=True):
                        if value is not None:
                            record[key] = value
                    out.append(construct(model, record, fields_set))
        columns = {hc.column.key: hc.index for hc in table.columns}
        return out, columns

    def _column(
        self,
        table: Table,
        column: Column,
        index: int,
        offset: int,
        convert: Callable[[object], Any],
        rows: list[tuple[int, list[Any]]],
        valid: bytearray,
        issues: list[CellIssue],
    ) -> list[Any]:
        """One column's typed values (None where blank or wrong), marking bad rows invalid."""
        try:
            raws = [values[offset] for _, values in rows]
        except IndexError:  # calamine gives every row the sheet's width; this is a safety net
            raws = [values[offset] if offset < len(values) else "" for _, values in rows]
        problems: dict[int, tuple[str, str]] = {}  # position -> (code, message)
        if bool in set(map(type, raws)):  # True == 1: a shared memo would mix them up
            judged = [judge(column, convert, raw) for raw in raws]
            values = [None if value is _BLANK else value for value, _, _ in judged]
            for position, (value, code, message) in enumerate(judged):
                if value is _BAD and code is not None:
                    problems[position] = (code, message or "")
        else:
            memo: dict[object, Any] = {}
            bad: dict[object, tuple[str, str]] = {}
            for raw in set(raws):
                value, code, message = judge(column, convert, raw)
                memo[raw] = None if value is _BLANK else value
                if value is _BAD:
                    bad[raw] = (code or "", message or "")
            values = [memo[raw] for raw in raws]
            if bad:
                for position, raw in enumerate(raws):
                    if raw in bad:
                        problems[position] = bad[raw]
        if table.formula_cells or table.error_cells:
            letter = column_letter(index)
            for position, (number, _) in enumerate(rows):
                problem = raw_cell_problem(table, f"{letter}{number}")
                if problem is not None:
                    values[position] = _BAD
                    problems[position] = problem
        for position, (code, message) in problems.items():  # every wrong cell has a problem
            issues.append((rows[position][0], index, code, message, column.title))
            valid[position] = 0
            values[position] = None
        return values

    @staticmethod
    @functools.lru_cache(maxsize=8)
    def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
        """Dated log rows belong to the workbook's year; December of the year before is
        legitimate too (the nd09 window of a year's first period starts on 15/12)."""
        return dt.date(year - 1, 12, 1), dt.date(year, 12, 31)

    def _in_year(
        self,
        table: Table,
        numbers: list[int],
        days: list[Any],
        issues: list[CellIssue],
        key: str,
        title: str,
    ) -> None:
        """A warning for each date far from the workbook's year (a typo, usually)."""
        if self.year is None:
            return
        lower, upper = self._year_bounds(self.year)
        index = next(hc.index for hc in table.columns if hc.column.key == key)
        for number, day in zip(numbers, days, strict=True):
            if day is not None and not lower <= day <= upper:
                issues.append(
                    (
                        number,
                        index,
                        "date-outside-year",
                        f"Ngày {day.day}/{day.month}/{day.year} nằm ngoài năm {self.year} của sổ.",
                        title,
                    )
                )

    def _reception_rows(
        self,
        table: Table,
        numbers: list[int],
        typed: dict[str, list[Any]],
        valid: bytearray,
        issues: list[CellIssue],
    ) -> None:
        people = typed.get("people")
        if people is not None:
            index = next(hc.index for hc in table.columns if hc.column.key == "people")
            for position, count in enumerate(people):
                if count == 0:
                    valid[position] = 0
                    issues.append(
                        (numbers[position], index, "no-people", "Số người bằng 0.", "Số người")
                    )
        if "date" in typed:
            self._in_year(table, numbers, typed["date"], issues, "date", "Ngày tiếp")

    def _petition_rows(
        self,
        table: Table,
        numbers: list[int],
        typed: dict[str, list[Any]],
        valid: bytearray,
        issues: list[CellIssue],
    ) -> None:
        if "date" in typed:
            self._in_year(table, numbers, typed["date"], issues, "date", "Ngày nhận")

    # -- ThongTin ---------------------------------------------------------------------------

    def _info(self) -> UnitInfo | None:
        table = self._table(THONG_TIN)
        if table is None:
            return None
        by_key = {hc.column.key: hc.index for hc in table.columns}
        if "item" not in by_key or "value" not in by_key:
            self.report.add(
                "missing-column",
                f"Trang «{table.name}» cần hai cột «Mục» và «Giá trị».",
                table.name,
                f"{column_letter(table.first_col)}{table.header_row}",
            )
            return None
        values: dict[str, Any] = {}
        rows_of: dict[str, int] = {}
        ok = True
        for number, cells in table.rows:
            item_raw = table.cell(cells, by_key["item"])
            if is_blank(item_raw):
                continue
            item_ref = f"{column_letter(by_key['item'])}{number}"
            column = THONG_TIN.column_index.get(fold(_text(item_raw)))
            if column is None:
                self.report.add(
                    "unknown-item",
                    f"Mục «{_shown(item_raw)}» không có trong mẫu, bị bỏ qua.",
                    table.name,
                    item_ref,
                    "Mục",
                )
                continue
            if column.key in rows_of:
                self.report.add(
                    "duplicate-item",
                    f"Mục «{column.title}» ghi hai lần.",
                    table.name,
                    item_ref,
                    "Mục",
                )
                continue
            rows_of[column.key] = number
            good, value = self._value(
                table, column, number, by_key["value"], table.cell(cells, by_key["value"])
            )
            ok = ok and good
            if value is not None:
                values[column.key] = value
        for column in THONG_TIN.columns:
            if column.required and column.key not in values and column.key not in rows_of:
                self.report.add(
                    "required",
                    f"Trang «{table.name}» thiếu mục «{column.title}».",
                    table.name,
                    None,
                    column.title,
                )
                ok = False
        if not ok or any(c.required and c.key not in values for c in THONG_TIN.columns):
            self.year = values.get("year")
            return None
        self.year = values["year"]
        kind = values.pop("kind", "xa")
        values["kind"] = next(c.label for c in THONG_TIN.column("kind").choices if c.key == kind)
        if "recipients" in values:
            values["recipients"] = split_recipients(values["recipients"])
        return UnitInfo(**values)

    # -- everything -------------------------------------------------------------------------

    def read(self) -> CommuneData | None:
        check_sheets(self.book, self.report)  # twin, absent and unknown sheets
        info = self._info()
        receptions, reception_cols = self._rows(
            TIEP_CONG_DAN, Reception, self._reception_rows, log=True
        )
        petitions, _ = self._rows(DON_THU, Petition, self._petition_rows, log=True)
        dossiers, dossier_cols = self._rows(MOT_CUA, DossierMonth)
        procedures, procedure_cols = self._rows(THU_TUC, Procedure)
        documents, _ = self._rows(VAN_BAN, Document)
        models, _ = self._rows(MO_HINH, Model)
        notes, _ = self._rows(NOI_DUNG, Note)
        if TIEP_CONG_DAN.key in self.typed:
            checks.check_receptions(
                self.report,
                _name(self.book, TIEP_CONG_DAN),
                reception_cols,
                *self.typed[TIEP_CONG_DAN.key],
            )
        checks.check_dossiers(self.report, _name(self.book, MOT_CUA), dossier_cols, dossiers)
        checks.check_procedures(self.report, _name(self.book, THU_TUC), procedure_cols, procedures)
        if info is None or not self.report.ok or not self.want_data:
            return None
        return CommuneData(
            info=info,
            receptions=tuple(receptions),
            petitions=tuple(petitions),
            dossiers=tuple(dossiers),
            procedures=tuple(procedures),
            documents=tuple(documents),
            models=tuple(models),
            notes=tuple(notes),
        )


def _name(book: Workbook, spec: Sheet) -> str:
    table = book.tables.get(spec.key)
    return table.name if table is not None else spec.title
