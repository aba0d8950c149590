"""Many workbooks -> one report each, in parallel, plus the summary workbook (SPEC §5
``danvan batch``). ``run_batch`` prints nothing: it reports progress through a callback and
returns a ``BatchOutcome`` for the caller to show.

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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from danvan_cli.errors import DanvanError, InvalidWorkbookError, UsageError

if TYPE_CHECKING:
    from danvan_cli.build import BuildOptions, PeriodRequest
    from danvan_cli.figures import UnitKey
    from danvan_cli.models import UnitInfo
    from danvan_cli.render import ReportTemplate

STATUS_OK = "ok"
STATUS_FAILED = "lỗi"
STATUS_LABELS = {STATUS_OK: "Đã lập", STATUS_FAILED: "Lỗi"}

MAX_CHUNK = 4
"""Workbooks per pool task: small enough for a smooth progress bar, large enough to cut IPC."""
REASON_LINES = 2
"""How many lines of a refusal (the headline and the first error) make a failure's reason."""
MAX_REASON_CHARS = 400

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called once with ``done == 0`` when the work is under way (worker
processes already started, so a progress display may start its own thread), then each time more
workbooks are finished."""


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
    figures: dict[str, float] = field(default_factory=dict)  # summary.key_figures()
    previous: dict[str, float] = field(default_factory=dict)  # the same, last year's
    previous_file: Path | None = None  # last year's workbook, when compared with it

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @property
    def label(self) -> str:
        """The status as shown to people: ``Đã lập`` or ``Lỗi``."""
        return STATUS_LABELS[self.status]

    @property
    def year(self) -> int | None:
        year = self.period.get("year")
        return year if isinstance(year, int) else None


@dataclass
class BatchOutcome:
    """What a batch did: every workbook's result, and the summary workbook or why it could not
    be written (the reports are written by then; the caller shows both)."""

    results: list[CommuneResult]  # in input order
    failed: list[CommuneResult]
    summary_path: Path | None
    summary_error: DanvanError | None = None
    previous: PreviousWorkbooks | None = None  # last year's workbooks, with --so-sanh

    @property
    def succeeded(self) -> list[CommuneResult]:
        return [result for result in self.results if result.ok]

    @property
    def uncompared(self) -> list[CommuneResult]:
        """Communes built without a comparison although last year's workbooks were given."""
        if self.previous is None:
            return []
        return [result for result in self.succeeded if result.previous_file is None]


# --- last year's workbooks ------------------------------------------------------------------


@dataclass(frozen=True)
class PreviousWorkbooks:
    """Last year's workbooks of a folder (``--so-sanh DIR``), by unit and year: each matched
    to its commune by the unit's name, kind and province read from its ThongTin (folded),
    never by its file name."""

    folder: Path
    found: dict[tuple[UnitKey, int], tuple[Path, ...]]
    unreadable: tuple[Path, ...] = ()  # no readable ThongTin: matched to nobody

    def match(self, info: UnitInfo, year: int) -> tuple[Path | None, str]:
        """The workbook of ``info``'s unit for ``year``, or None and why (a note)."""
        from danvan_cli.figures import unit_key

        paths = self.found.get((unit_key(info), year), ())
        if len(paths) == 1:
            return paths[0], ""
        if not paths:
            return None, (
                f"Không có sổ năm {year} của đơn vị trong «{self.folder}»: chưa so sánh với "
                "cùng kỳ."
            )
        names = ", ".join(f"«{path.name}»" for path in paths)
        return None, (
            f"Có {len(paths)} sổ năm {year} của đơn vị trong «{self.folder}» ({names}), không "
            "rõ dùng sổ nào: chưa so sánh với cùng kỳ."
        )


def find_previous(folder: Path) -> PreviousWorkbooks:
    """Index the workbooks of ``folder`` by unit and year, reading only their ThongTin."""
    from danvan_cli.figures import unit_key
    from danvan_cli.reading import read_unit
    from danvan_cli.workbook import iter_workbooks

    if not folder.is_dir():
        raise UsageError(
            f"--so-sanh «{folder}»: không có thư mục này (với batch, --so-sanh là thư mục chứa "
            "sổ năm trước của các xã, phường)."
        )
    found: dict[tuple[UnitKey, int], list[Path]] = {}
    unreadable: list[Path] = []
    for path in _unique(iter_workbooks([folder])):
        info = read_unit(path)
        if info is None:
            unreadable.append(path)
        else:
            found.setdefault((unit_key(info), info.year), []).append(path)
    return PreviousWorkbooks(
        folder, {key: tuple(paths) for key, paths in found.items()}, tuple(unreadable)
    )


# --- one workbook, in a worker or in-process ------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What every worker needs, sent once through the pool's initializer."""

    request: PeriodRequest
    template: Path | None
    report_date: dt.date
    leading_zero: bool
    previous: PreviousWorkbooks | None = None


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
        from danvan_cli.build import compute_for, default_output_name, with_previous
        from danvan_cli.context import build_context
        from danvan_cli.summary import COMPARED_FIGURES, key_figures

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
        if job.previous is not None:
            found, note = job.previous.match(computed.data.info, computed.period.year - 1)
            if found is not None:
                try:
                    computed = with_previous(computed, found)
                except InvalidWorkbookError as err:
                    return _Rendered(
                        replace(known, status=STATUS_FAILED, reason=_refusal_reason(err))
                    )
                data = computed.figures.to_json_dict()
                previous: dict[str, Any] = data["previous"]  # type: ignore[assignment]
                known = replace(
                    known, previous=key_figures(previous, COMPARED_FIGURES), previous_file=found
                )
            known = replace(known, note=note)
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
            return replace(
                result, status=STATUS_FAILED, reason=str(err), note=note, figures={}, previous={}
            )
        except OSError as err:
            reason = f"Không ghi được «{target}»: {err.strerror or type(err).__name__}."
            return replace(
                result, status=STATUS_FAILED, reason=reason, note=note, figures={}, previous={}
            )
        result = replace(result, output=target, note=" ".join(filter(None, (result.note, note))))
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
    progress: Progress | None = None,
    compare: Path | None = None,
) -> BatchOutcome:
    """Build one report per workbook found in ``inputs`` into ``out_dir``, in parallel, then
    write the summary workbook; print nothing. ``compare``: the folder of last year's
    workbooks, each compared with its own commune. Raises DanvanError before any work (no
    workbook found, an existing summary, a broken template, no such ``compare`` folder);
    afterwards every problem is in the outcome."""
    from danvan_cli.summary import ensure_summary_writable, summary_name, summary_period
    from danvan_cli.workbook import SUFFIXES, iter_workbooks

    paths = list(_unique(iter_workbooks(inputs)))
    if not paths:
        where = ", ".join(f"«{item}»" for item in inputs) or "(không có đầu vào)"
        raise DanvanError(
            f"Không tìm thấy sổ Excel nào ({', '.join(SUFFIXES)}) trong {where}. "
            "Ghi tên sổ hoặc thư mục chứa sổ của các xã, phường."
        )
    if request.year is not None:  # the summary's name is known: refuse before any work
        ensure_summary_writable(out_dir / summary_name(request, []), options.force)
    template = _load_template(options.template)  # a broken template stops the batch here
    job = _Job(
        request=request,
        template=options.template,
        report_date=options.report_date or dt.date.today(),
        leading_zero=options.leading_zero,
        previous=find_previous(compare) if compare is not None else None,
    )
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    writer = _ReportWriter(out_dir, options)
    report = progress or _no_progress
    if workers <= 1:
        results = _run_in_process(paths, job, template, writer, report)
    else:
        results = _run_in_pool(paths, job, writer, workers, report)
    outcome = BatchOutcome(
        results=results,
        failed=[r for r in results if not r.ok],
        summary_path=None,
        previous=job.previous,
    )
    try:
        from danvan_cli.summary import write_summary

        summary = out_dir / summary_name(request, results)
        ensure_summary_writable(summary, options.force)
        period = summary_period(request, results)
        outcome.summary_path = write_summary(
            summary, results, options.force, job.report_date, period, job.previous is not None
        )
    except DanvanError as err:
        outcome.summary_error = err
    return outcome


def _no_progress(done: int, total: int) -> None:
    """The default progress callback: nothing to show."""


def _unique(paths: Iterable[Path]) -> Iterator[Path]:
    """Each workbook once, even when named both alone and inside a given folder."""
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            yield path


def _run_in_process(
    paths: Sequence[Path],
    job: _Job,
    template: ReportTemplate,
    writer: _ReportWriter,
    progress: Progress,
) -> list[CommuneResult]:
    results: list[CommuneResult] = []
    progress(0, len(paths))
    for path in paths:
        results.append(writer.commit(_render_one(path, job, template)))
        progress(len(results), len(paths))
    return results


def _chunks(count: int, workers: int) -> list[range]:
    size = max(1, min(MAX_CHUNK, count // (workers * 4)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _run_in_pool(
    paths: Sequence[Path], job: _Job, writer: _ReportWriter, workers: int, progress: Progress
) -> list[CommuneResult]:
    results: list[CommuneResult] = []
    ready: dict[int, _Rendered] = {}
    done = 0
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(job,))
    try:
        # Submit everything before telling the caller that work is under way (a progress bar
        # starts a refresh thread then): worker processes are forked during the first submit.
        futures: dict[Future[list[_Rendered]], range] = {
            pool.submit(_render_chunk, [paths[i] for i in chunk]): chunk
            for chunk in _chunks(len(paths), workers)
        }
        progress(0, len(paths))
        for future in as_completed(futures):
            chunk = futures[future]
            try:
                rendered = future.result()
            except Exception as err:  # a worker died (killed, out of memory…)
                rendered = [_Rendered(_failure(paths[i], _unexpected(err))) for i in chunk]
            ready.update(zip(chunk, rendered, strict=True))
            while len(results) in ready:  # commit in input order: deterministic names
                results.append(writer.commit(ready.pop(len(results))))
            done += len(chunk)
            progress(done, len(paths))
    except BaseException:
        # Wait for the few running tasks only. (With wait=False the executor object may be
        # collected before its manager thread sees the request, and every queued task would
        # still run before the process can exit.)
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return results
