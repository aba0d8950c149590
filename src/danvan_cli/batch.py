"""Many workbooks -> one report each, in parallel, plus a summary on screen and a summary
workbook (SPEC §5 ``danvan batch``).

Workers read, check, compute and render; they return the rendered ``.docx`` bytes with a small
record (figures, counts, never personal data). The parent writes the reports in input order, so
that two workbooks whose reports would get the same name are told apart deterministically, and
one workbook's failure never stops the others.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from danvan_cli.errors import DanvanError, InvalidWorkbookError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from danvan_cli.build import BuildOptions, PeriodRequest
    from danvan_cli.render import ReportTemplate

STATUS_OK = "ok"
STATUS_FAILED = "lỗi"
STATUS_LABELS = {STATUS_OK: "Đã lập", STATUS_FAILED: "Lỗi"}

MAX_CHUNK = 4
"""Workbooks per pool task: small enough for a smooth progress bar, large enough to cut IPC."""
REASON_LINES = 2
"""How many lines of a refusal (the headline and the first error) make a failure's reason."""
MAX_REASON_CHARS = 400
SCREEN_ROWS = 100
"""Above this many workbooks the screen table lists only the failed ones."""


@dataclass(frozen=True)
class CommuneResult:
    """One workbook's outcome: small, picklable, and free of personal data."""

    file: Path
    status: str
    unit: str = ""  # "Xã Tân Hưng"; blank when the workbook could not be read
    province: str = ""
    reason: str = ""  # why it failed
    note: str = ""  # e.g. the report was renamed to avoid another commune's report name
    errors: int = 0
    warnings: int = 0
    output: Path | None = None
    pdf: Path | None = None
    period: dict[str, Any] = field(default_factory=dict)  # figures' "period" object
    figures: dict[str, float] = field(default_factory=dict)  # KEY_FIGURES -> value

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @property
    def year(self) -> int | None:
        year = self.period.get("year")
        return year if isinstance(year, int) else None


@dataclass
class BatchOutcome:
    results: list[CommuneResult]  # in input order
    failed: list[CommuneResult]
    summary_path: Path | None

    @property
    def succeeded(self) -> list[CommuneResult]:
        return [result for result in self.results if result.ok]


# --- key figures of the summary -------------------------------------------------------------


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


def key_figures(data: dict[str, Any]) -> dict[str, float]:
    """The summary's figures out of ``Figures.to_json_dict()`` (numbers only)."""

    def pick(path: str) -> float:
        value: Any = data
        for part in path.split("."):
            value = value[part]
        if not isinstance(value, int | float):
            raise TypeError(f"{path} is not a number")
        return value

    found = {path: pick(path) for path in _EXTRA_FIGURES}
    for column in SUMMARY_FIGURES:
        if column.key == "dossiers.early_on_time":
            found[column.key] = found["dossiers.early"] + found["dossiers.on_time"]
        else:
            found[column.key] = pick(column.key)
    return found


def totals(results: Sequence[CommuneResult]) -> dict[str, float]:
    """Sums over the communes whose report was built; rates recomputed from the summed counts."""
    from danvan_cli.figures import rate

    keys = [*_EXTRA_FIGURES, *(c.key for c in SUMMARY_FIGURES if not c.rate)]
    summed: dict[str, float] = {key: 0 for key in keys}
    for result in results:
        if result.ok:
            for key in keys:
                summed[key] += result.figures.get(key, 0)
    summed["dossiers.online_rate"] = rate(
        int(summed["dossiers.online"]), int(summed["dossiers.received"])
    )
    summed["dossiers.on_time_rate"] = rate(
        int(summed["dossiers.early_on_time"]), int(summed["dossiers.resolved"])
    )
    return summed


# --- one workbook, in a worker or in-process ------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What every worker needs, sent once through the pool's initializer."""

    request: PeriodRequest
    template: Path | None
    report_date: dt.date
    leading_zero: bool


@dataclass(frozen=True)
class _Rendered:
    result: CommuneResult
    name: str = ""  # the report's default file name
    content: bytes | None = None  # the .docx; None when the workbook failed


_worker_job: _Job | None = None
_worker_template: ReportTemplate | None = None
_worker_error: str | None = None


def _init_worker(job: _Job) -> None:
    """Pool initializer: prepare the report template once per worker process."""
    global _worker_job, _worker_template, _worker_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is handled by the parent
    _worker_job = job
    try:
        _worker_template = _load_template(job.template)
    except DanvanError as err:
        _worker_error = str(err)
    except Exception as err:
        _worker_error = _unexpected(err)


def _render_chunk(paths: Sequence[Path]) -> list[_Rendered]:
    """Pool task: render a few workbooks with the worker's template."""
    if _worker_job is None or _worker_template is None:
        reason = _worker_error or "Lỗi không mong đợi (tiến trình con chưa sẵn sàng)."
        return [_Rendered(_failure(path, reason)) for path in paths]
    return [_render_one(path, _worker_job, _worker_template) for path in paths]


def _load_template(path: Path | None) -> ReportTemplate:
    from danvan_cli.render import ReportTemplate

    return ReportTemplate(path)


def _unexpected(err: BaseException) -> str:
    return f"Lỗi không mong đợi ({type(err).__name__})."


def _failure(path: Path, reason: str, **details: Any) -> CommuneResult:
    return CommuneResult(file=path, status=STATUS_FAILED, reason=reason, **details)


def _refusal_reason(err: DanvanError) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    reason = " ".join(lines[:REASON_LINES])
    if len(lines) > REASON_LINES:
        reason += " …"
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1].rstrip() + "…"
    return reason


def _issue_counts(err: InvalidWorkbookError) -> dict[str, int]:
    from danvan_cli.checks import Report

    report = err.report
    if not isinstance(report, Report):
        return {"errors": 1}
    return {
        "errors": len(report.errors) + (1 if report.fatal else 0),
        "warnings": len(report.warnings),
    }


def _render_one(path: Path, job: _Job, template: ReportTemplate) -> _Rendered:
    """Read, check, compute and render one workbook; never raises."""
    try:
        from danvan_cli.build import compute_for, default_output_name
        from danvan_cli.context import build_context

        try:
            computed = compute_for(path, job.request)
        except InvalidWorkbookError as err:
            return _Rendered(_failure(path, _refusal_reason(err), **_issue_counts(err)))
        data = computed.figures.to_json_dict()
        unit: dict[str, Any] = data["unit"]  # type: ignore[assignment]
        known = CommuneResult(
            file=path,
            status=STATUS_OK,
            unit=f"{unit['kind']} {unit['name']}",
            province=str(unit["province"]),
            warnings=len(computed.report.warnings),
            period=dict(data["period"]),  # type: ignore[call-overload]
        )
        try:
            context = build_context(
                computed.data,
                computed.figures,
                computed.period,
                job.report_date,
                job.leading_zero,
            )
            content = template.render(context)
        except DanvanError as err:
            return _Rendered(replace(known, status=STATUS_FAILED, reason=_refusal_reason(err)))
        known = replace(known, figures=key_figures(data))
        return _Rendered(known, default_output_name(computed), content)
    except DanvanError as err:
        return _Rendered(_failure(path, _refusal_reason(err)))
    except Exception as err:
        return _Rendered(_failure(path, _unexpected(err)))


# --- writing reports in input order ---------------------------------------------------------


class _ReportWriter:
    """Gives every report a file name no earlier workbook of this run has taken, and writes it
    atomically; a report that cannot be written becomes that workbook's failure."""

    def __init__(self, out_dir: Path, options: BuildOptions) -> None:
        self.out_dir = out_dir
        self.options = options
        self.claimed: dict[str, Path] = {}  # casefolded file name -> workbook that took it

    def commit(self, item: _Rendered) -> CommuneResult:
        from danvan_cli.output import write_bytes_atomic

        result = item.result
        if item.content is None:
            return result
        name, note = self._claim(item.name, result.file)
        target = self.out_dir / name
        try:
            write_bytes_atomic(target, item.content, self.options.force)
        except DanvanError as err:
            return replace(result, status=STATUS_FAILED, reason=str(err), note=note, figures={})
        except OSError as err:
            reason = f"Không ghi được «{target}»: {err.strerror or type(err).__name__}."
            return replace(result, status=STATUS_FAILED, reason=reason, note=note, figures={})
        result = replace(result, output=target, note=note)
        if self.options.pdf:
            result = self._pdf(result, target)
        return result

    def _claim(self, name: str, source: Path) -> tuple[str, str]:
        from danvan_cli.build import slug

        first = self.claimed.setdefault(name.casefold(), source)
        if first == source:
            return name, ""
        stem, suffix = os.path.splitext(name)
        candidate = f"{stem}__{slug(source.stem)}{suffix}"
        counter = 2
        while candidate.casefold() in self.claimed:
            candidate = f"{stem}__{slug(source.stem)}_{counter}{suffix}"
            counter += 1
        self.claimed[candidate.casefold()] = source
        note = (
            f"Trùng tên báo cáo với sổ «{first.name}» (cùng đơn vị và kỳ), "
            f"nên ghi thành «{candidate}»."
        )
        return candidate, note

    def _pdf(self, result: CommuneResult, docx: Path) -> CommuneResult:
        from danvan_cli.render import convert_to_pdf

        try:
            pdf = convert_to_pdf(docx, self.options.force)
        except DanvanError as err:
            note = " ".join(filter(None, (result.note, f"Không xuất được PDF: {err}")))
            return replace(result, note=note)
        return replace(result, pdf=pdf)


# --- the batch --------------------------------------------------------------------------------


def run_batch(
    inputs: list[Path],
    request: PeriodRequest,
    options: BuildOptions,
    out_dir: Path,
    jobs: int | None,
) -> BatchOutcome:
    """Build one report per workbook found in ``inputs`` into ``out_dir``, in parallel, then
    print a summary table and write the summary workbook."""
    from danvan_cli.workbook import SUFFIXES, iter_workbooks

    paths = list(_unique(iter_workbooks(inputs)))
    if not paths:
        where = ", ".join(f"«{item}»" for item in inputs) or "(không có đầu vào)"
        raise DanvanError(
            f"Không tìm thấy sổ Excel nào ({', '.join(SUFFIXES)}) trong {where}. "
            "Ghi tên sổ hoặc thư mục chứa sổ của các xã, phường."
        )
    if request.year is not None:  # the summary's name is known: refuse before any work
        _ensure_summary_writable(out_dir / summary_name(request, []), options.force)
    template = _load_template(options.template)  # a broken template stops the batch here
    job = _Job(
        request=request,
        template=options.template,
        report_date=options.report_date or dt.date.today(),
        leading_zero=options.leading_zero,
    )
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    writer = _ReportWriter(out_dir, options)
    if workers <= 1:
        results = _run_in_process(paths, job, template, writer)
    else:
        results = _run_in_pool(paths, job, writer, workers)
    outcome = BatchOutcome(
        results=results, failed=[r for r in results if not r.ok], summary_path=None
    )
    print_summary(outcome)
    summary = out_dir / summary_name(request, results)
    _ensure_summary_writable(summary, options.force)
    period = summary_period(request, results)
    outcome.summary_path = write_summary(summary, results, options.force, job.report_date, period)
    from danvan_cli.console import out

    out.print(f"Sổ tổng hợp: {_markup(str(outcome.summary_path))}")
    return outcome


def _unique(paths: Iterable[Path]) -> Iterator[Path]:
    """Each workbook once, even when named both alone and inside a given folder."""
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            yield path


def _run_in_process(
    paths: Sequence[Path], job: _Job, template: ReportTemplate, writer: _ReportWriter
) -> list[CommuneResult]:
    results: list[CommuneResult] = []
    with _progress(len(paths)) as advance:
        for path in paths:
            results.append(writer.commit(_render_one(path, job, template)))
            advance(1)
    return results


def _chunks(count: int, workers: int) -> list[range]:
    size = max(1, min(MAX_CHUNK, count // (workers * 4)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _run_in_pool(
    paths: Sequence[Path], job: _Job, writer: _ReportWriter, workers: int
) -> list[CommuneResult]:
    results: list[CommuneResult] = []
    ready: dict[int, _Rendered] = {}
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(job,))
    try:
        # Submit everything before the progress bar starts its refresh thread: worker processes
        # are forked during the first submit.
        futures: dict[Future[list[_Rendered]], range] = {
            pool.submit(_render_chunk, [paths[i] for i in chunk]): chunk
            for chunk in _chunks(len(paths), workers)
        }
        with _progress(len(paths)) as advance:
            for future in as_completed(futures):
                chunk = futures[future]
                try:
                    rendered = future.result()
                except Exception as err:  # a worker died (killed, out of memory…)
                    rendered = [_Rendered(_failure(paths[i], _unexpected(err))) for i in chunk]
                ready.update(zip(chunk, rendered, strict=True))
                while len(results) in ready:  # commit in input order: deterministic names
                    results.append(writer.commit(ready.pop(len(results))))
                advance(len(chunk))
    except BaseException:
        # Wait for the few running tasks only. (With wait=False the executor object may be
        # collected before its manager thread sees the request, and every queued task would
        # still run before the process can exit.)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return results


@contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr while reports are being built (off when not a terminal)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from danvan_cli.console import err

    progress = Progress(
        TextColumn("Đang lập báo cáo"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
        transient=False,
    )
    task = progress.add_task("batch", total=total)
    with progress:
        yield lambda count: progress.advance(task, count)


# --- summary on screen ------------------------------------------------------------------------


def _markup(text: str) -> str:
    from rich.markup import escape

    from danvan_cli.console import safe

    return escape(safe(text))


def print_summary(outcome: BatchOutcome) -> None:
    """The table of communes (all of them, or only the failed ones in a large batch) and the
    closing count."""
    from rich.table import Table
    from rich.text import Text

    from danvan_cli.console import out, safe

    results = outcome.results
    listed = list(enumerate(results, start=1))
    if len(results) > SCREEN_ROWS:
        listed = [(number, r) for number, r in listed if not r.ok]
    if listed:
        table = Table(show_header=True, header_style="bold")
        table.add_column("STT", justify="right")
        table.add_column("Đơn vị")
        table.add_column("Tệp", overflow="fold")
        table.add_column("Trạng thái")
        table.add_column("Lỗi/Cảnh báo", justify="right")
        table.add_column("Báo cáo", overflow="fold", min_width=20)
        for number, result in listed:
            status = Text(STATUS_LABELS[result.status], style="green" if result.ok else "bold red")
            if result.ok and result.output is not None:
                report = Text(safe(result.output.name))
                if result.note:
                    report.append(f"\n{safe(result.note)}", style="yellow")
            else:
                report = Text(safe(result.reason), style="red")
            table.add_row(  # names come from the workbooks: plain Text, never rich markup
                str(number),
                Text(safe(result.unit or "—")),
                Text(safe(result.file.name)),
                status,
                f"{result.errors}/{result.warnings}",
                report,
            )
        out.print(table)
    if len(results) > SCREEN_ROWS:
        out.print(
            f"(Bảng trên chỉ liệt kê các sổ lỗi; đủ {len(results)} đơn vị có trong sổ tổng hợp.)"
        )
    done = len(outcome.succeeded)
    out.print(f"Đã lập {done}/{len(results)} báo cáo; {len(outcome.failed)} sổ lỗi.")


# --- summary workbook -------------------------------------------------------------------------


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


def _ensure_summary_writable(path: Path, force: bool) -> None:
    from danvan_cli.errors import OutputExistsError

    if path.exists() and not force:
        raise OutputExistsError(
            f"Sổ tổng hợp «{path}» đã có. danvan không ghi đè; thêm --force để ghi đè "
            "hoặc chọn thư mục khác bằng -o."
        )


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
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00"


def _d(iso: object) -> str:
    day = dt.date.fromisoformat(str(iso))
    return f"{day.day}/{day.month}/{day.year}"


def _title_lines(
    results: Sequence[CommuneResult], report_date: dt.date, period: dict[str, Any] | None
) -> list[str]:
    if period is not None:
        label = f"Kỳ báo cáo: {period['label']} (số liệu từ {_d(period['start'])} đến "
        label += f"{_d(period['end'])})"
    else:
        label = "Kỳ báo cáo: không xác định (không sổ nào lập được báo cáo)"
    done = sum(1 for r in results if r.ok)
    return [
        "TỔNG HỢP KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN",
        label,
        f"Lập ngày {report_date:%d/%m/%Y}: {done}/{len(results)} đơn vị lập được báo cáo.",
    ]


def write_summary(
    path: Path,
    results: Sequence[CommuneResult],
    force: bool,
    report_date: dt.date,
    period: dict[str, Any] | None = None,
) -> Path:
    """Write the summary workbook atomically (one row per workbook, a totals row); ``period``
    (the figures' ``period`` object) names the period in the title."""
    from danvan_cli.output import write_atomic

    book = _summary_book(results, report_date, period)
    return write_atomic(path, lambda temp: book.save(temp), force)


def _summary_book(
    results: Sequence[CommuneResult], report_date: dt.date, period: dict[str, Any] | None
) -> Any:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet: Worksheet = book.active
    sheet.title = "TongHop"
    fixed = len(_FIXED_COLUMNS)
    last = fixed + len(SUMMARY_FIGURES) + 1
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(name="Times New Roman", bold=True, size=11)
    body_font = Font(name="Times New Roman", size=11)
    fill = PatternFill("solid", fgColor="DDEBF7")
    total_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    for row, text in enumerate(_title_lines(results, report_date, period), start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = Font(name="Times New Roman", bold=row == 1, italic=row > 1, size=14 - row)
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)

    top, sub = HEADER_ROWS
    headers: list[tuple[str, str | None, int]] = [(t, None, w) for t, w in _FIXED_COLUMNS]
    headers += [(c.group, c.title, 12 if c.rate else 10) for c in SUMMARY_FIGURES]
    headers.append((_REPORT_COLUMN[0], None, _REPORT_COLUMN[1]))
    for column, (title, subtitle, width) in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        for row in (top, sub):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.fill, cell.border, cell.alignment = (
                header_font,
                fill,
                border,
                wrap_center,
            )
        sheet.cell(row=top, column=column, value=title)
        if subtitle is None:
            sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
        else:
            sheet.cell(row=sub, column=column, value=subtitle)
    column = fixed + 1
    for group in dict.fromkeys(c.group for c in SUMMARY_FIGURES):
        span = sum(1 for c in SUMMARY_FIGURES if c.group == group)
        sheet.merge_cells(
            start_row=top, start_column=column, end_row=top, end_column=column + span - 1
        )
        column += span
    sheet.row_dimensions[sub].height = 45

    # Styling cell by cell makes openpyxl hash style objects for every cell (seconds for a
    # thousand communes): style one prototype per column, then copy its style array.
    prototypes: list[Any] = []
    for column in range(1, last + 1):
        cell = sheet.cell(row=FIRST_DATA_ROW, column=column)
        cell.font, cell.border = body_font, border
        if fixed < column < last:
            spec = SUMMARY_FIGURES[column - fixed - 1]
            cell.number_format = RATE_FORMAT if spec.rate else COUNT_FORMAT
        if column in (2, fixed, last):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        prototypes.append(copy(cell._style))
    status = sheet.cell(row=FIRST_DATA_ROW, column=5)
    status.font = Font(name="Times New Roman", size=11, bold=True, color="C00000")
    failed_status = copy(status._style)

    def put_row(row: int, values: Sequence[object], figures: dict[str, float] | None) -> None:
        cells = list(values)
        cells += [figures.get(c.key) if figures else None for c in SUMMARY_FIGURES]
        for column, value in enumerate(cells, start=1):
            if isinstance(value, str):  # a name or reason read from a workbook
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = sheet.cell(row=row, column=column, value=value)
            cell._style = copy(prototypes[column - 1])

    row = FIRST_DATA_ROW
    for number, result in enumerate(results, start=1):
        reason = result.reason if not result.ok else result.note
        fixed_values = (
            number,
            result.unit or None,
            result.province or None,
            result.file.name,
            STATUS_LABELS[result.status],
            reason or None,
        )
        put_row(row, fixed_values, result.figures if result.ok else None)
        report = sheet.cell(
            row=row, column=last, value=result.output.name if result.output else None
        )
        report._style = copy(prototypes[last - 1])
        if not result.ok:
            sheet.cell(row=row, column=5)._style = copy(failed_status)
        row += 1

    done = sum(1 for r in results if r.ok)
    put_row(row, (None, f"Tổng cộng ({done} đơn vị)", None, None, None, None), totals(results))
    for column in range(1, last + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font = Font(name="Times New Roman", size=11, bold=True)
        cell.fill = total_fill
        cell.border = border

    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=3).coordinate
    sheet.print_title_rows = f"{top}:{sub}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    return book
