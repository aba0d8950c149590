"""From a workbook file to checked rows validated by pydantic: every cell parsed as clerks type
it, every problem recorded with its cell, in one pass.

A sheet is read column by column — a log repeats the same few dates, choices and counts
thousands of times, so each distinct cell value is parsed once (cells.py) — then each row of
typed values is validated by its pydantic model (models.py), which holds the constraints;
pydantic's errors come back as issues naming the cell."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError, create_model
from pydantic_core import ErrorDetails

from danvan_cli import checks
from danvan_cli.cells import (
    BAD,
    BLANK,
    column_names,
    constraint_issue,
    converter,
    explain,
    judge,
    shown_number,
    text_of,
    unknown_label,
)
from danvan_cli.checks import Budget, DossierListPart, Issue, Message, Report
from danvan_cli.coverage import Coverage
from danvan_cli.errors import UnreadableFileError
from danvan_cli.models import (
    PLAUSIBLE_AREA_KM2,
    PLAUSIBLE_POPULATION,
    CommuneData,
    Document,
    Dossier,
    DossierList,
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
    CATALOGUE,
    DON_THU,
    HO_SO,
    MAX_YEAR,
    MIN_YEAR,
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
from danvan_cli.sheets import SHEET_NOUNS, check_sheets, check_twins
from danvan_cli.vietnamese import column_letter, fold, split_recipients
from danvan_cli.workbook import Kept, Table, Workbook, is_blank, open_workbook

RowT = TypeVar("RowT", bound=Row)


@dataclass
class Loaded:
    """A workbook read and checked, with the per-dossier exports read beside it (``--ho-so``,
    one report each): ``data`` is None when any of them holds errors; ``coverage`` says how
    far the data reach (coverage.py turns it into warnings for a period)."""

    report: Report
    data: CommuneData | None
    exports: list[Report] = field(default_factory=list)
    coverage: Coverage = field(default_factory=Coverage)

    @property
    def reports(self) -> list[Report]:
        """The workbook's report, then each export's."""
        return [self.report, *self.exports]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports) and self.data is not None


def load(
    path: Path,
    want_data: bool = True,
    ho_so: Sequence[Path] = (),
    budget: Budget | None = None,
    run: Kept | None = None,
) -> Loaded:
    """Read and check the workbook at ``path`` and the per-dossier exports ``ho_so`` (one list
    with the workbook's HoSo sheet); never raises for a bad file's content, but an unreadable
    file is recorded as its report's ``fatal`` message. ``validate`` passes
    ``want_data=False``: it needs the reports only. The reports keep the issues ``budget``
    (the command's, shared with its other reports) has room for; without one, they share a
    budget of their own. The cells the files keep count against ``run`` (workbook.Kept), with
    those of the other files the command holds at the same time."""
    budget = Budget() if budget is None else budget
    run = Kept() if run is None else run
    report = Report(file=str(path), budget=budget)
    with _no_gc():
        exports = [_read_export(export, budget, run) for export in ho_so]
        try:
            book = open_workbook(path, run=run)
        except UnreadableFileError as err:
            report.fatal = str(err)
            checks.check_dossier_lists(exports)
            return Loaded(report, None, [part.report for part in exports])
        reader = _Reader(book, report, want_data)
        data = reader.read(exports)
    reports = [part.report for part in exports]
    ok = report.ok and all(each.ok for each in reports)
    return Loaded(report, data if ok and want_data else None, reports, reader.coverage)


def _read_export(path: Path, budget: Budget, run: Kept) -> DossierListPart:
    """One ``--ho-so`` file: the per-dossier table of whichever of its sheets holds it."""
    report = Report(file=str(path), budget=budget)
    try:
        book = open_workbook(path, export=True, run=run)
    except UnreadableFileError as err:
        report.fatal = str(err)
        return DossierListPart(report, path.name, "", {}, (), {}, ())
    if any(CATALOGUE.find(name) is THONG_TIN for name in book.sheet_names):
        report.fatal = (  # another commune's workbook would lend it its dossiers
            f"Tệp «{path.name}» là sổ của một xã, phường (có trang {THONG_TIN.title}), không "
            "phải danh sách hồ sơ xuất từ hệ thống một cửa: --ho-so chỉ nhận tệp xuất đó. Danh "
            f"sách hồ sơ của chính sổ này thì dán vào trang {HO_SO.title} của sổ."
        )
        return DossierListPart(report, path.name, "", {}, (), {}, ())
    check_twins(book, report)
    reader = _Reader(book, report, want_data=False)
    return reader._dossier_part(reader._rows(HO_SO, Dossier, log=True), path.name)


def dossier_list(parts: Sequence[DossierListPart]) -> DossierList:
    """The valid rows of every part as one list, column by column."""
    columns: dict[str, list[Any]] = {name: [] for name in DossierList.model_fields}
    for part in parts:
        every = all(part.valid)  # always, when the list is used: a wrong cell is an error
        keep = range(len(part.valid)) if every else [p for p, ok in enumerate(part.valid) if ok]
        for name, column in columns.items():
            typed = part.numbers if name == "row" else part.typed.get(name)
            if typed is None:
                column += [None] * len(keep)
            else:
                column += typed if every else [typed[position] for position in keep]
    return DossierList.model_validate({name: tuple(v) for name, v in columns.items()}, strict=True)


def read_unit(path: Path) -> UnitInfo | None:
    """Only the profile (ThongTin) of the workbook at ``path``, cheaply: no other sheet is
    read. None when the file cannot be read or its ThongTin holds errors."""
    try:
        book = open_workbook(path, only=frozenset({THONG_TIN.key}))
    except UnreadableFileError:
        return None
    return _Reader(book, Report(file=str(path))).info()


def is_dossier_export(path: Path) -> bool:
    """Whether the file at ``path`` is a per-dossier export of the one-stop-shop system (a
    table of dossiers, no sheet named as a commune's workbook names them, "HoSo" included)
    rather than a commune's workbook:
    ``batch`` sets such a file aside, it has no unit to report on."""
    try:  # the sheet names first: no sheet is read for them
        names = open_workbook(path, only=frozenset()).sheet_names
        own = fold(HO_SO.title)  # "HoSo" is the template's name; an export names it otherwise
        if any(CATALOGUE.find(name) not in (None, HO_SO) or fold(name) == own for name in names):
            return False  # a sheet named as the workbook's own: a commune's workbook
        open_workbook(path, export=True)  # refused when no sheet holds a dossier table
    except UnreadableFileError:
        return False
    return True


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Reading a large log allocates hundreds of thousands of small objects that live until
    the end; the cyclic collector would rescan them over and over (about 40 % of the time).
    When it is on again, they are handed to its oldest generation (frozen, then unfrozen: two
    list splices) rather than left young, which would make the first allocation after this
    scan them all at once (0,1 s for a 100.000-row log); they stay collectable."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


CellIssue = tuple[int, int, str, Message, str]
"""(row number, column index, issue code, message, column title) of one cell."""


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


@functools.cache
def _row_adapter(model: type[RowT]) -> TypeAdapter[list[RowT]]:
    """Validates a whole sheet's rows into ``model`` objects in one call."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@functools.cache
def _column_adapter(model: type[Row]) -> TypeAdapter[dict[str, list[Any]]] | None:
    """Validates a sheet column by column against ``model``'s own fields — each field's type
    and constraints, as declared on the model — without building row objects: what
    ``validate`` needs, several times faster on a large log. None when the model has a rule
    over a whole row (a model validator): such a model is always validated row by row."""
    if model.__pydantic_decorators__.model_validators:
        return None
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        declared: tuple[Any, ...] = (info.annotation, *info.metadata)
        kind = Annotated[declared] if info.metadata else info.annotation
        fields[name] = (list[kind], [])  # type: ignore[valid-type]
    columns = create_model(f"{model.__name__}Columns", __config__=_STRICT, **fields)
    return TypeAdapter(columns)  # type: ignore[arg-type]


_STRICT = ConfigDict(extra="forbid", strict=True)


@dataclass
class SheetRows:
    """One sheet's valid rows, the absolute column index of each column key, and the typed
    cells by column key (None where wrong) with their row numbers and validity flags (cleared
    for a row with a wrong cell or one pydantic refused)."""

    rows: list[Any] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)
    typed: dict[str, list[Any]] = field(default_factory=dict)
    valid: bytearray = field(default_factory=bytearray)


class _Reader:
    def __init__(self, book: Workbook, report: Report, want_data: bool = True) -> None:
        self.book = book
        self.report = report
        self.want_data = want_data
        self.year: int | None = None
        self.coverage = Coverage()
        self.unparsed: dict[str, list[int]] = {}
        """The sheet being read: column key -> positions of its cells that did not parse."""
        self.not_made: list[str] = []
        """The sheet being read: the codes of its cell issues past the report's room, in
        order; counted (Report.omit) once the issues made are in the report."""

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
            self.report.add(
                "unknown-column",
                unknown_label("Cột", text, ref, column_names(spec)),
                table.name,
                ref,
            )
        return table

    def _has_required_columns(self, table: Table, spec: Sheet) -> bool:
        present = {hc.column.key for hc in table.columns}
        complete = True
        for column in spec.columns:
            if column.required and column.key not in present:
                complete = False
                self.report.add(
                    "missing-column",
                    f"Trang «{table.name}» thiếu cột bắt buộc «{column.title}».",
                    table.name,
                    f"{column_letter(table.first_col)}{table.header_row}",
                    column.title,
                )
        return complete

    def _rows(
        self, spec: Sheet, model: type[RowT], log: bool = False, by_columns: bool = False
    ) -> SheetRows:
        """One sheet's rows, validated by ``model``; every wrong cell becomes an issue. A
        ``log`` (thousands of rows; its checks read the typed columns) is validated column by
        column when only the report is wanted; ``by_columns``, always (no row objects: the
        caller keeps the typed columns)."""
        table = self._table(spec)
        if table is None:
            return SheetRows()
        complete = self._has_required_columns(table, spec)
        fields = model.model_fields
        # Only the columns the report uses: personal-data columns and columns no figure
        # needs (STT, Người tiếp) are never parsed nor kept.
        plan = [
            (hc.column, hc.index)
            for hc in table.columns
            if not hc.column.personal and hc.column.key in fields
        ]
        numbers = table.numbers
        valid = bytearray(b"\x01") * len(numbers)
        issues: list[CellIssue] = []
        typed: dict[str, list[Any]] = {}
        self.unparsed = {}
        self.not_made = []
        for column, index in plan:
            model_field = fields[column.key]
            blank = None if model_field.is_required() else model_field.default
            typed[column.key] = self._column(table, column, index, numbers, blank, valid, issues)
            if len(issues) > 2 * self.report.room:
                self._trim(issues)
        columns = {hc.column.key: hc.index for hc in table.columns}
        out: list[RowT] = []
        if complete:
            by_key = {column.key: (column, index) for column, index in plan}
            as_rows = (self.want_data or not log) and not by_columns
            out = self._validate(model, numbers, typed, valid, by_key, issues, as_rows)
        if spec in (TIEP_CONG_DAN, DON_THU) and "date" in typed:
            self._in_year(numbers, typed["date"], columns["date"], spec.column("date"), issues)
            self._log_end(spec, table, numbers, typed["date"], columns["date"])
        if spec is MOT_CUA and "month" in typed:
            self.coverage.dossier_months = frozenset(typed["month"]) - {None}
        self.coverage.data_rows += len(numbers)
        self._trim(issues)
        name = table.name
        letters = {index: column_letter(index) for index in {issue[1] for issue in issues}}
        self.report.extend(
            Issue(code, message, name, f"{letters[index]}{number}", title)
            for number, index, code, message, title in issues
        )
        # the issues not made, counted once those made are in the report (a run that only
        # shows issues counts the ones it would keep apart from those past the budget)
        for code, same in itertools.groupby(self.not_made):
            self.report.omit(code, sum(1 for _ in same))
        return SheetRows(out, columns, numbers, typed, valid)

    def _trim(self, issues: list[CellIssue]) -> None:
        """Sort a sheet's cell issues by row, then column, and keep only as many as the report
        has room for (its budget, checks.Budget); the others are left to be counted."""
        issues.sort(key=lambda issue: (issue[0], issue[1]))
        room = self.report.room
        self.not_made += [issue[2] for issue in issues[room:]]
        del issues[room:]

    def _column(
        self,
        table: Table,
        column: Column,
        index: int,
        numbers: list[int],
        blank: object,
        valid: bytearray,
        issues: list[CellIssue],
    ) -> list[Any]:
        """One column's typed values (``blank`` where the cell is blank, None where it is
        wrong), marking the rows of wrong cells invalid. Each distinct value is judged once."""
        raws = table.column(index)
        if column.timestamp:  # a time of day is ignored: the many stamps become few days
            raws = [raw.date() if type(raw) is dt.datetime else raw for raw in raws]
        convert = converter(column, self.book.epoch)
        memo: dict[object, Any] = {}
        bad: dict[int, tuple[str, str | None]] = {}  # position -> (code, why) of a wrong value
        if column.kind is Kind.TEXT:  # text as typed, stripped: one pass, however many values
            values: list[Any]
            if set(map(type, raws)) == {str}:  # every cell typed as text: at C speed
                values = list(map(str.strip, raws))
            else:
                values = [raw.strip() if type(raw) is str else None for raw in raws]
            if "" in values or None in values:  # blank, or not typed as text: judged one by one
                for position, stripped in enumerate(values):
                    if not stripped:
                        value, code, why = judge(column, convert, raws[position], explain=False)
                        if value is BAD:
                            bad[position] = (code or "", why)
                        values[position] = blank if value is BLANK else value
            return self._flag(table, column, index, numbers, raws, values, bad, valid, issues)
        distinct = set(raws)
        # True == 1 and False == 0: a memo shared by a bool and a number would mix them up.
        if (True in distinct or False in distinct) and bool in set(map(type, raws)):
            values = []
            for position, raw in enumerate(raws):
                value, code, why = judge(column, convert, raw, explain=False)
                if value is BAD:
                    bad[position] = (code or "", why)
                values.append(blank if value is BLANK else value)
        else:
            wrong: dict[object, tuple[str, str | None]] = {}
            for raw in distinct:
                value, code, why = judge(column, convert, raw, explain=False)
                memo[raw] = blank if value is BLANK else value
                if value is BAD:
                    wrong[raw] = (code or "", why)
            values = list(map(memo.__getitem__, raws))
            if wrong:
                for position, raw in enumerate(raws):
                    if raw in wrong:
                        bad[position] = wrong[raw]
        return self._flag(table, column, index, numbers, raws, values, bad, valid, issues)

    def _flag(
        self,
        table: Table,
        column: Column,
        index: int,
        numbers: list[int],
        raws: list[Any],
        values: list[Any],
        bad: dict[int, tuple[str, str | None]],
        valid: bytearray,
        issues: list[CellIssue],
    ) -> list[Any]:
        """The column's values, with each wrong cell (``bad`` values, formulas without a value,
        error values) None and its row invalid; an issue for each the report keeps room for
        (its budget, the others counted), its message worded only when shown (one deferred
        message for each distinct value): a column of a hundred thousand different wrong
        values costs no hundred thousand messages."""
        raw_problems: dict[int, tuple[str, str]] = {}  # position -> (code, message)
        if table.formula_cells or table.error_cells:
            letter = column_letter(index)
            for position, number in enumerate(numbers):
                problem = raw_cell_problem(table, f"{letter}{number}")
                if problem is not None:
                    raw_problems[position] = problem
        room = self.report.room
        messages: dict[tuple[type, object], Message] = {}
        positions = sorted(bad.keys() | raw_problems.keys()) if raw_problems else sorted(bad)
        if positions:
            self.unparsed[column.key] = positions
        for rank, position in enumerate(positions):
            valid[position] = 0
            values[position] = None
            problem = raw_problems.get(position)
            code = problem[0] if problem is not None else bad[position][0]
            if rank >= room:
                self.not_made.append(code)
                continue
            message: Message
            if problem is not None:
                message = problem[1]
            else:
                raw = raws[position]
                key = (type(raw), raw)
                message = messages.get(key) or messages.setdefault(
                    key, functools.partial(explain, column, raw, code, bad[position][1])
                )
            issues.append((numbers[position], index, code, message, column.title))
        return values

    def _validate(
        self,
        model: type[RowT],
        numbers: list[int],
        typed: dict[str, list[Any]],
        valid: bytearray,
        columns: dict[str, tuple[Column, int]],
        issues: list[CellIssue],
        as_rows: bool,
    ) -> list[RowT]:
        """The rows whose cells all parsed, validated by ``model``: as ``model`` objects, or
        (not ``as_rows``) column by column against the same fields. A value that
        breaks a constraint becomes an issue on its cell and its row is left out."""
        self._check_unparsed_rows(model, numbers, typed, valid, columns, issues)
        positions = [position for position, ok in enumerate(valid) if ok]
        if len(positions) == len(valid):
            values = {"row": numbers, **typed}
        else:
            values = {
                key: [column[position] for position in positions]
                for key, column in {"row": numbers, **typed}.items()
            }
        by_columns = None if as_rows else _column_adapter(model)
        if by_columns is not None:
            every = {key: positions for key in values}
            refused = self._refused_in_columns(by_columns, values, every, numbers, columns, issues)
            for position in refused:
                valid[position] = 0
            return []
        keys = list(values)
        # Every column holds one value a row: the records are built whole, at C speed.
        rows = zip(*values.values(), strict=True)
        records = list(map(dict, map(zip, itertools.repeat(keys), rows)))
        adapter = _row_adapter(model)
        while records:
            try:
                return adapter.validate_python(records, strict=True)
            except ValidationError as err:
                rejected: set[int] = set()
                for error in err.errors(include_url=False):
                    at = error["loc"]
                    index = int(at[0])
                    field_key = str(at[1]) if len(at) > 1 else None
                    self._refused(error, field_key, positions[index], numbers, columns, issues)
                    valid[positions[index]] = 0
                    rejected.add(index)
                records = [r for i, r in enumerate(records) if i not in rejected]
                positions = [p for i, p in enumerate(positions) if i not in rejected]
        return []

    def _check_unparsed_rows(
        self,
        model: type[RowT],
        numbers: list[int],
        typed: dict[str, list[Any]],
        valid: bytearray,
        columns: dict[str, tuple[Column, int]],
        issues: list[CellIssue],
    ) -> None:
        """The other cells of the rows where a cell did not parse, checked against their
        fields' constraints too (SPEC §5: validate gives every error, not one a row at a time);
        the cells that did not parse, already said, are left out. Rules over a whole row need
        every cell: a model with one is not checked so."""
        adapter = _column_adapter(model)
        broken = [position for position, ok in enumerate(valid) if not ok]
        if adapter is None or not broken:
            return
        # each column on its own rows: its own unparsed cells left out (the columns are
        # validated independently, so their lists need not be as long as each other)
        at: dict[str, list[int]] = {}
        values: dict[str, list[Any]] = {}
        for key, column in {"row": numbers, **typed}.items():
            skip = set(self.unparsed.get(key, ()))
            at[key] = [position for position in broken if position not in skip]
            values[key] = [column[position] for position in at[key]]
        self._refused_in_columns(adapter, values, at, numbers, columns, issues)

    def _refused_in_columns(
        self,
        adapter: TypeAdapter[dict[str, list[Any]]],
        values: dict[str, list[Any]],
        at: dict[str, list[int]],
        numbers: list[int],
        columns: dict[str, tuple[Column, int]],
        issues: list[CellIssue],
    ) -> list[int]:
        """``values`` (column key -> values, at the row positions ``at`` gives for that key)
        validated column by column: an issue on each refused cell; the refused positions."""
        refused: list[int] = []
        try:
            adapter.validate_python(values)
        except ValidationError as err:
            for error in err.errors(include_url=False):
                key = str(error["loc"][0])
                position = at[key][int(error["loc"][1])]
                self._refused(error, key, position, numbers, columns, issues)
                refused.append(position)
        return refused

    @staticmethod
    def _refused(
        error: ErrorDetails,
        key: str | None,
        position: int,
        numbers: list[int],
        columns: dict[str, tuple[Column, int]],
        issues: list[CellIssue],
    ) -> None:
        """The issue for one pydantic error, on the cell of the field it names."""
        message: Message
        if key in columns:
            column, index = columns[key]
            code, message = constraint_issue(column, error)
        else:  # a rule over the whole row: name its first cell
            column, index = next(iter(columns.values()))
            code, message = "invalid-row", str(error.get("msg", ""))
        issues.append((numbers[position], index, code, message, column.title))

    def _in_year(
        self,
        numbers: Sequence[int],
        days: Sequence[Any],
        index: int,
        column: Column,
        issues: list[CellIssue],
    ) -> None:
        """A warning for each date far from the workbook's year (a typo, usually): log rows
        belong to the year, December of the year before included (the nd09 window of a
        year's first period starts on 15/12)."""
        if self.year is None:
            return
        lower, upper = (self.year - 1) * 100 + 12, self.year * 100 + 12
        for number, day in zip(numbers, days, strict=True):
            if day is not None and not lower <= day.year * 100 + day.month <= upper:
                issues.append(
                    (
                        number,
                        index,
                        "date-outside-year",
                        f"Ngày {day.day}/{day.month}/{day.year} nằm ngoài năm {self.year} của sổ.",
                        column.title,
                    )
                )

    def _log_end(
        self, spec: Sheet, table: Table, numbers: Sequence[int], days: Sequence[Any], index: int
    ) -> None:
        """The log's last day (dates far from the workbook's year, typos warned about by
        ``_in_year``, left out) and the cell holding it, for coverage.py."""
        if self.year is None:
            dated = [day for day in days if day is not None]
        else:
            lower, upper = dt.date(self.year - 1, 12, 1), dt.date(self.year, 12, 31)
            dated = [day for day in days if day is not None and lower <= day <= upper]
        last = max(dated, default=None)
        if last is None:
            return
        position = len(days) - 1 - list(reversed(days)).index(last)
        ref = f"{column_letter(index)}{numbers[position]}"
        self.coverage.add_log(SHEET_NOUNS[spec.key], last, table.name, ref)

    # -- ThongTin ---------------------------------------------------------------------------

    def info(self) -> UnitInfo | None:
        """The ThongTin sheet as a UnitInfo; None when it is missing or holds errors."""
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
        item_at, value_at = by_key["item"], by_key["value"]
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}  # item key -> the ref of its value cell
        failed: set[str] = set()  # items already said to be wrong (or missing)
        for number, row in table.rows:
            item_raw = table.cell(row, item_at)
            if is_blank(item_raw):
                continue
            item_ref = f"{column_letter(item_at)}{number}"
            column = THONG_TIN.column_index.get(fold(text_of(item_raw)))
            if column is None:
                self.report.add(
                    "unknown-item",
                    unknown_label("Mục", item_raw, item_ref, column_names(THONG_TIN)),
                    table.name,
                    item_ref,
                    "Mục",
                )
                continue
            if column.key in cells:
                self.report.add(
                    "duplicate-item",
                    f"Mục «{column.title}» ghi hai lần.",
                    table.name,
                    item_ref,
                    "Mục",
                )
                continue
            ref = cells[column.key] = f"{column_letter(value_at)}{number}"
            problem = raw_cell_problem(table, ref)
            if problem is None:
                value, code, message = judge(column, converter(column), table.cell(row, value_at))
                if value is not BAD:
                    if value is not BLANK:
                        values[column.key] = value
                    continue
                problem = (code or "", message or "")
                if code == "required":  # an item of ThongTin, not a column
                    problem = (code, f"Mục «{column.title}» bắt buộc nhưng ô Giá trị để trống.")
            self.report.add(problem[0], problem[1], table.name, ref, column.title)
            failed.add(column.key)
        for column in THONG_TIN.columns:
            if column.required and column.key not in cells:
                self.report.add(
                    "required",
                    f"Trang «{table.name}» thiếu mục «{column.title}».",
                    table.name,
                    None,
                    column.title,
                )
                failed.add(column.key)
        # the other items are checked against their constraints even when one is wrong: every
        # error at once (SPEC §5), and the profile only when there is none
        info = self._unit_info(table, values, cells, failed)
        if failed:
            info = None
        self.year = info.year if info is not None else _plain_year(values.get("year"))
        self.coverage.year = self.year
        self.coverage.info_sheet = table.name
        self._plausible(table, values, cells, failed)
        if info is not None:
            self.coverage.signer = bool((info.signer or "").strip())
        return info

    def _unit_info(
        self, table: Table, values: dict[str, Any], cells: dict[str, str], failed: set[str]
    ) -> UnitInfo | None:
        """The profile validated by UnitInfo; its constraint errors name the item's cell (and
        join ``failed``); the errors of items in ``failed``, already said, are left out."""
        values = dict(values)
        kind = values.pop("kind", "xa")
        values["kind"] = next(c.label for c in THONG_TIN.column("kind").choices if c.key == kind)
        if "recipients" in values:
            values["recipients"] = split_recipients(values["recipients"])
        try:
            return UnitInfo.model_validate(values)
        except ValidationError as err:
            refused: set[str] = set()
            for error in err.errors(include_url=False):
                key = str(error["loc"][0]) if error["loc"] else ""
                if key in failed:
                    continue
                column = THONG_TIN.column(key)
                code, message = constraint_issue(column, error)
                self.report.add(code, message, table.name, cells.get(key), column.title)
                refused.add(key)
            failed |= refused or {""}  # a profile that fails is never used
            return None

    def _plausible(
        self, table: Table, values: dict[str, Any], cells: dict[str, str], failed: set[str]
    ) -> None:
        """Profile values no commune has (a unit typed wrong, usually) are warned about — also
        when another item is wrong; not those already said to be wrong."""
        low, high = PLAUSIBLE_AREA_KM2
        area_km2 = None if "area_km2" in failed else values.get("area_km2")
        population = None if "population" in failed else values.get("population")
        if area_km2 is not None and not low <= area_km2 <= high:
            area = shown_number(_number(area_km2), "km²")
            self.report.add(
                "implausible-value",
                f"Diện tích ghi {area} không giống diện tích một đơn vị cấp xã (thường từ "
                f"{_number(low)} đến {_number(high)} km²); mật độ dân số không được tính.",
                table.name,
                cells.get("area_km2"),
                THONG_TIN.column("area_km2").title,
            )
        if population is not None and population > PLAUSIBLE_POPULATION:
            shown = shown_number(_number(population), "người")
            self.report.add(
                "implausible-value",
                f"Dân số ghi {shown}, quá lớn cho một đơn vị cấp xã; mật độ dân số không "
                "được tính.",
                table.name,
                cells.get("population"),
                THONG_TIN.column("population").title,
            )

    # -- everything -------------------------------------------------------------------------

    def read(self, exports: Sequence[DossierListPart] = ()) -> CommuneData | None:
        """Every sheet read and checked, the HoSo sheet checked as one list with the
        ``exports``; the workbook's data when neither it nor an export holds errors."""
        own_list = self.book.tables.get(HO_SO.key)
        listed = bool(exports) or (own_list is not None and own_list.has_data)
        check_sheets(self.book, self.report, listed)  # twin, absent and unknown sheets
        info = self.info()
        receptions = self._rows(TIEP_CONG_DAN, Reception, log=True)
        petitions = self._rows(DON_THU, Petition, log=True)
        dossiers = self._rows(MOT_CUA, DossierMonth)
        listed_rows = self._rows(HO_SO, Dossier, log=True, by_columns=True)
        procedures = self._rows(THU_TUC, Procedure)
        documents = self._rows(VAN_BAN, Document)
        models = self._rows(MO_HINH, Model)
        notes = self._rows(NOI_DUNG, Note)
        checks.check_receptions(
            self.report,
            self._name(TIEP_CONG_DAN),
            receptions.columns,
            receptions.numbers,
            receptions.typed,
            receptions.valid,
        )
        self.coverage.dossier_sheet = self._name(MOT_CUA)
        checks.check_dossiers(self.report, self._name(MOT_CUA), dossiers.columns, dossiers.rows)
        checks.check_procedures(
            self.report, self._name(THU_TUC), procedures.columns, procedures.rows
        )
        parts = [self._dossier_part(listed_rows, self.book.path.name), *exports]
        checks.check_dossier_lists(parts)
        self._list_coverage(parts, exports)
        if any(part.numbers for part in parts) and dossiers.numbers:
            self._set_aside(len(dossiers.numbers))
        if info is None or not all(part.report.ok for part in parts):
            return None
        return CommuneData(
            info=info,
            receptions=tuple(receptions.rows),
            petitions=tuple(petitions.rows),
            dossiers=tuple(dossiers.rows),
            dossier_list=dossier_list(parts),
            procedures=tuple(procedures.rows),
            documents=tuple(documents.rows),
            models=tuple(models.rows),
            notes=tuple(notes.rows),
        )

    def _list_coverage(
        self, parts: Sequence[DossierListPart], exports: Sequence[DossierListPart]
    ) -> None:
        """The per-dossier list, when it has rows, is the dossiers' source (MotCua's months no
        longer matter) and a dated log that ends on its last Ngày tiếp nhận."""
        self.coverage.data_rows += sum(len(part.numbers) for part in exports)
        if any(part.numbers for part in parts):
            days = [day for part in parts for day in part.typed.get("received", ()) if day]
            last, first = max(days, default=None), min(days, default=None)
            self.coverage.add_log("danh sách hồ sơ một cửa", last, first=first)
            self.coverage.dossier_months = None

    def _dossier_part(self, rows: SheetRows, file: str) -> DossierListPart:
        return DossierListPart(
            self.report, file, self._name(HO_SO), rows.columns, rows.numbers, rows.typed, rows.valid
        )

    def _set_aside(self, count: int) -> None:
        """MotCua is not read when the dossiers are listed one by one (SPEC §1 HoSo)."""
        year = f" (năm {self.year})" if self.year is not None else ""
        self.report.add(
            "mot-cua-set-aside",
            f"Số liệu hồ sơ một cửa lấy từ danh sách hồ sơ (HoSo, từng hồ sơ): {count} dòng của "
            f"trang «{self._name(MOT_CUA)}»{year} không được tính.",
            self._name(MOT_CUA),
        )

    def _name(self, spec: Sheet) -> str:
        table = self.book.tables.get(spec.key)
        return table.name if table is not None else spec.title


def _plain_year(value: object) -> int | None:
    """The workbook's year for date warnings, even when ThongTin has other errors."""
    return value if isinstance(value, int) and MIN_YEAR <= value <= MAX_YEAR else None


def _number(value: float) -> str:
    from danvan_cli.vietnamese import format_decimal

    if value and (abs(value) < 0.01 or abs(value) >= 1e15):
        return f"{value:.3g}".replace(".", ",")
    return format_decimal(value)
