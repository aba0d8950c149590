"""Many workbooks -> one report each, in parallel, plus the summary workbook (SPEC §5
``danvan batch``). ``run_batch`` prints nothing: it reports progress through a callback and
returns a ``BatchOutcome`` for the caller to show.

Workers read, check, compute and render; they return the rendered ``.docx`` bytes with a small
record (figures, counts, never personal data). The parent writes the reports in input order, so
that two workbooks whose reports would get the same name are told apart deterministically, and
one workbook's failure never stops the others.

Run again on the same folder, a batch keeps every report already there ("đã có": its commune's
figures still go into the summary, read anew), and of two workbooks of the same commune
(unit_identity.py) it keeps the first: the second is listed as a duplicate, gets no report and
stays out of the totals. One batch is one year (batch_year.py): a workbook of another year is
listed "khác năm", gets no report and stays out of the totals too. No output of the run is ever
written over one of its inputs.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from danvan_cli.errors import DanvanError, InvalidWorkbookError, OutputExistsError, UsageError

if TYPE_CHECKING:
    from danvan_cli.batch_inputs import InputFiles, Skipped, Source, Sources
    from danvan_cli.batch_pool import Workers
    from danvan_cli.batch_year import Seen, UnitSeen
    from danvan_cli.build import BuildOptions, PeriodRequest
    from danvan_cli.models import UnitInfo
    from danvan_cli.pdf import Converted
    from danvan_cli.render import ReportTemplate
    from danvan_cli.unit_identity import UnitIdentity

STATUS_OK = "ok"
STATUS_EXISTING = "đã có"
STATUS_DUPLICATE = "trùng"
STATUS_FAILED = "lỗi"
STATUS_OTHER_YEAR = "khác năm"
STATUS_LABELS = {
    STATUS_OK: "Đã lập",
    STATUS_EXISTING: "Đã có",
    STATUS_DUPLICATE: "Trùng",
    STATUS_FAILED: "Lỗi",
    STATUS_OTHER_YEAR: "Khác năm",
}
FAILED_STATUSES = (STATUS_DUPLICATE, STATUS_FAILED)
"""Statuses that make a batch fail (exit 1). A workbook of another year does not: a province
office's folder often holds last year's workbooks too; each is listed, with how to build it."""
EXISTING_NOTE = "Báo cáo đã có, giữ nguyên; số liệu đọc lại từ sổ."

UNITS_CHUNK = 32
"""Workbooks per pool task when only their ThongTin is read."""
REASON_LINES = 2
"""How many lines of a refusal (the headline and the first error) make a failure's reason."""
MAX_REASON_CHARS = 400

STAGE_UNITS = "units"
STAGE_REPORTS = "reports"
STAGE_PDF = "pdf"


class Progress(Protocol):
    """``progress(done, total, stage)``: for each stage (each workbook's ThongTin, the reports,
    then the PDFs when asked), called once with ``done == 0`` when the work is under way
    (worker processes already started, so a progress display may start its own thread), then
    each time more are finished."""

    def __call__(self, done: int, total: int, stage: str = STAGE_REPORTS) -> None: ...


@dataclass(frozen=True)
class CommuneResult:
    """One workbook's outcome: small, picklable, and free of personal data."""

    file: Path
    status: str
    shown_as: str = ""  # the file as shown: relative to the folder it was found in
    unit: str = ""  # "Xã Tân Hưng"; blank when the workbook could not be read
    province: str = ""
    identity: UnitIdentity | None = None  # what makes two workbooks the same unit's
    workbook_year: int | None = None  # the year its ThongTin gives, when of another year
    reason: str = ""  # why it failed
    note: str = ""  # e.g. the report was renamed to avoid another commune's report name
    errors: int = 0
    warnings: int = 0
    output: Path | None = None
    pdf: Path | None = None
    pdf_missing: bool = False  # the PDF asked for could not be written: the batch fails
    period: dict[str, Any] = field(default_factory=dict)  # figures' "period" object
    figures: dict[str, float] = field(default_factory=dict)  # summary.key_figures()
    previous: dict[str, float] = field(default_factory=dict)  # the same, last year's
    previous_file: Path | None = None  # last year's workbook, when compared with it

    @property
    def ok(self) -> bool:
        """The commune has its report, built now or kept from before: its figures count."""
        return self.status in (STATUS_OK, STATUS_EXISTING)

    @property
    def label(self) -> str:
        """The status as shown to people: ``Đã lập``, ``Đã có``, ``Trùng``, ``Lỗi`` or
        ``Khác năm``."""
        return STATUS_LABELS[self.status]

    @property
    def remark(self) -> str:
        """The summary's remark: why it failed, else its notes."""
        if not self.ok:
            return self.reason
        return _join(EXISTING_NOTE if self.status == STATUS_EXISTING else "", self.note)

    @property
    def name(self) -> str:
        """The workbook as shown to people."""
        return self.shown_as or self.file.name

    @property
    def year(self) -> int | None:
        year = self.period.get("year")
        return year if isinstance(year, int) else None


@dataclass
class BatchOutcome:
    """What a batch did: every workbook's result, and the summary workbook or why it could not
    be written (the reports are written by then; the caller shows both)."""

    results: list[CommuneResult]  # in input order
    failed: list[CommuneResult]  # duplicates and errors
    summary_path: Path | None
    summary_error: DanvanError | None = None
    pdf_error: str = ""  # PDFs were asked for and none could be written: why, what to do
    skipped: list[Skipped] = field(default_factory=list)  # danvan's own outputs, not read
    out_dir: Path | None = None
    pdf: bool = False  # PDFs were asked for
    previous: PreviousWorkbooks | None = None  # last year's workbooks, with --so-sanh
    template_warnings: list[str] = field(default_factory=list)  # from the --template check
    year: int | None = None  # the batch's year
    year_asked: bool = False  # it came from --year (else from the workbooks)
    year_counts: dict[int, int] = field(default_factory=dict)  # year -> workbooks of that year

    @property
    def succeeded(self) -> list[CommuneResult]:
        return [result for result in self.results if result.ok]

    @property
    def other_year(self) -> list[CommuneResult]:
        """Workbooks of another year than the batch's: no report, not in the totals."""
        return [result for result in self.results if result.status == STATUS_OTHER_YEAR]

    @property
    def without_pdf(self) -> list[CommuneResult]:
        """Reports built by this run whose PDF was asked for and could not be written."""
        return [r for r in self.results if r.ok and r.pdf_missing]

    @property
    def complete(self) -> bool:
        """Every workbook of the batch's year has its report (and its PDF when asked) and the
        summary is written: else the batch exits 1 (SPEC §5)."""
        return not (self.failed or self.without_pdf or self.pdf_error or self.summary_error)

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

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
    to its commune by the unit's name, kind and province read from its ThongTin, by the rule
    that finds duplicates (unit_identity.py), never by its file name."""

    folder: Path
    found: dict[tuple[UnitIdentity, int], tuple[Path, ...]]
    unreadable: tuple[Path, ...] = ()  # no readable ThongTin: matched to nobody

    def match(self, info: UnitInfo, year: int) -> tuple[Path | None, str]:
        """The workbook of ``info``'s unit for ``year``, or None and why (a note)."""
        from danvan_cli.unit_identity import identity_of

        paths = self.found.get((identity_of(info), year), ())
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
    from danvan_cli.batch_inputs import find_sources
    from danvan_cli.reading import is_dossier_export, read_unit
    from danvan_cli.unit_identity import identity_of

    if folder.is_file():
        raise UsageError(
            f"--so-sanh «{folder}» là một tệp: với batch, --so-sanh là thư mục chứa sổ năm "
            "trước của các xã, phường (mỗi xã được ghép với sổ của chính nó). Để so sánh một "
            "sổ, dùng build hoặc figures với --so-sanh."
        )
    if not folder.is_dir():
        raise UsageError(
            f"--so-sanh «{folder}»: không có thư mục này (với batch, --so-sanh là thư mục chứa "
            "sổ năm trước của các xã, phường)."
        )
    found: dict[tuple[UnitIdentity, int], list[Path]] = {}
    unreadable: list[Path] = []
    for source in find_sources([folder]).found:  # danvan's own outputs left out
        path = source.path
        info = read_unit(path)
        if info is not None:
            found.setdefault((identity_of(info), info.year), []).append(path)
        elif not is_dossier_export(path):  # an export is nobody's workbook: not worth a word
            unreadable.append(path)
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
    date_option: bool = False  # report_date came from --date (else it is today)


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


def _render_chunk(sources: Sequence[Source], year: int | None) -> list[_Rendered]:
    """Pool task: render a few workbooks of the batch's ``year`` with the worker's template."""
    if _worker_job is None or _worker_template is None:
        reason = _worker_error or "Lỗi không mong đợi (tiến trình con chưa sẵn sàng)."
        return [_Rendered(_failure(source, reason)) for source in sources]
    return [_render_one(source, _worker_job, _worker_template, year) for source in sources]


def _checked_template(path: Path | None) -> tuple[ReportTemplate, list[str]]:
    """The batch's template, checked once before any work as ``build --template`` checks it
    (SPEC §5): errors stop the batch, warnings go into the outcome. Workers then load the
    checked file."""
    if path is None:
        return _load_template(None), []
    from danvan_cli.template_check import load_checked_template

    return load_checked_template(path)


def _load_template(path: Path | None) -> ReportTemplate:
    from danvan_cli.render import ReportTemplate

    return ReportTemplate(path)


def _unexpected(err: BaseException) -> str:
    return f"Lỗi không mong đợi ({type(err).__name__})."


def _failure(source: Source, reason: str, **details: Any) -> CommuneResult:
    return CommuneResult(
        file=source.path, status=STATUS_FAILED, shown_as=source.name, reason=reason, **details
    )


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
        "errors": report.error_count,
        "warnings": report.warning_count,
    }


def _other_year(source: Source, seen: UnitSeen, year: int) -> CommuneResult:
    """A workbook of another year than the batch's: no report, not in the totals."""
    from danvan_cli.batch_year import other_year_reason

    return CommuneResult(
        file=source.path,
        status=STATUS_OTHER_YEAR,
        shown_as=source.name,
        unit=seen.unit,
        province=seen.province,
        reason=other_year_reason(seen.year, year),
        workbook_year=seen.year,
    )


def _render_one(
    source: Source, job: _Job, template: ReportTemplate, year: int | None = None
) -> _Rendered:
    """Read, check, compute and render one workbook of the batch's ``year`` (None: its own);
    never raises."""
    try:
        from danvan_cli.batch_year import UnitSeen
        from danvan_cli.build import compute_for, default_output_name, with_previous
        from danvan_cli.context import build_context
        from danvan_cli.summary import COMPARED_FIGURES, key_figures
        from danvan_cli.unit_identity import unit_identity, unit_title

        request = job.request if year is None else replace(job.request, year=year)
        try:
            computed = compute_for(
                source.path, request, report_date=job.report_date, date_option=job.date_option
            )
        except InvalidWorkbookError as err:
            return _Rendered(_failure(source, _refusal_reason(err), **_issue_counts(err)))
        info = computed.data.info
        title = unit_title(info.name, info.kind)
        if year is not None and info.year != year:  # the workbook changed since it was first read
            return _Rendered(_other_year(source, UnitSeen(info.year, title, info.province), year))
        data = computed.figures.to_json_dict()
        known = CommuneResult(
            file=source.path,
            status=STATUS_OK,
            shown_as=source.name,
            unit=title,
            province=info.province,
            identity=unit_identity(info.name, info.kind, info.province),
            warnings=computed.report.warning_count,
            note=" ".join(computed.notices),
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
            known = replace(known, note=_join(known.note, note))
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
        return _Rendered(_failure(source, _refusal_reason(err)))
    except Exception as err:
        return _Rendered(_failure(source, _unexpected(err)))


# --- writing reports in input order ---------------------------------------------------------


def _failed(result: CommuneResult, reason: str, note: str = "") -> CommuneResult:
    """A workbook read and rendered whose report could not be written: out of the totals."""
    return replace(result, status=STATUS_FAILED, reason=reason, note=note, figures={}, previous={})


def _join(*notes: str) -> str:
    return " ".join(note for note in notes if note)


class _ReportWriter:
    """Takes the rendered workbooks in input order: gives every report a file name no earlier
    workbook of this run has taken, keeps a report already there (without --force), sets aside
    a second workbook of a unit already seen, never writes over an input of the run, and
    writes the rest atomically; a report that cannot be written becomes that workbook's
    failure. ``results`` holds each workbook's outcome by its position in the input."""

    def __init__(self, out_dir: Path, options: BuildOptions, inputs: InputFiles) -> None:
        self.out_dir = out_dir
        self.options = options
        self.inputs = inputs
        self.results: dict[int, CommuneResult] = {}
        self.claimed: dict[str, Path] = {}  # casefolded file name -> workbook that took it
        self.units: dict[UnitIdentity, int] = {}  # unit -> position of its first workbook
        self.twins: dict[int, tuple[list[str], str]] = {}  # position -> (twins, its own note)

    def commit(self, position: int, item: _Rendered) -> None:
        self.results[position] = self._commit(position, item)

    def _commit(self, position: int, item: _Rendered) -> CommuneResult:
        from danvan_cli.output import write_bytes_atomic

        result = item.result
        if item.content is None:
            return result
        first = self._first_of_unit(result, position)
        if first is not None:
            return self._duplicate(result, first)
        name, renamed = self._claim(item.name, result.file)
        note = _join(result.note, renamed)  # the worker's note (no comparison…) comes first
        target = self.out_dir / name
        refused = self._refused(target)
        if refused:
            return _failed(result, refused, note)
        existing = replace(result, status=STATUS_EXISTING, output=target, note=note)
        if not self.options.force:
            if target.exists():
                return existing
            pdf = target.with_suffix(".pdf")
            if self.options.pdf and pdf.exists():
                reason = (
                    f"Tệp «{pdf.name}» đã có mà chưa có báo cáo «{name}» đi cùng: danvan không "
                    "lập báo cáo mới bên cạnh một PDF cũ. Xóa hoặc đổi tên tệp PDF đó, hoặc thêm "
                    "--force."
                )
                return _failed(result, reason, note)
        try:
            write_bytes_atomic(target, item.content, self.options.force)
        except OutputExistsError:  # written meanwhile by another run
            return existing
        except DanvanError as err:
            return _failed(result, str(err), note)
        except OSError as err:
            reason = f"Không ghi được «{target}»: {err.strerror or type(err).__name__}."
            return _failed(result, reason, note)
        return replace(result, output=target, note=note)

    def _refused(self, target: Path) -> str:
        """Why the report (or its PDF) may not be written at ``target``, whatever --force says."""
        from danvan_cli.batch_inputs import output_refusal

        refused = output_refusal(target, "báo cáo", self.inputs)
        if not refused and self.options.pdf:
            refused = output_refusal(target.with_suffix(".pdf"), "tệp PDF", self.inputs)
        return refused

    def _first_of_unit(self, result: CommuneResult, position: int) -> int | None:
        """The position of an earlier workbook of the same unit (unit_identity.py: spelling
        aside, tone marks count), or None after noting this one as the first."""
        if result.identity is None:
            return None
        first = self.units.get(result.identity)
        if first is None:
            self.units[result.identity] = position
        return first

    def _duplicate(self, result: CommuneResult, position: int) -> CommuneResult:
        first = self.results[position]
        report = f" và xóa báo cáo «{first.output.name}»" if first.output else ""
        reason = (
            f"Cùng đơn vị với sổ «{first.name}» ({result.unit}, {result.province}): không lập "
            f"báo cáo, không cộng vào tổng. Nếu sổ này mới đúng, hãy bỏ sổ «{first.name}» "
            f"ra{report} rồi chạy lại."
        )
        if position not in self.twins:
            self.twins[position] = ([], first.note)
        twins, note = self.twins[position]
        twins.append(f"«{result.name}»")
        which = f"Sổ {twins[0]}" if len(twins) == 1 else f"Các sổ {', '.join(twins)}"
        twin = f"{which} cũng của đơn vị này, không được cộng vào tổng."
        self.results[position] = replace(first, note=_join(note, twin))
        return replace(result, status=STATUS_DUPLICATE, reason=reason, figures={}, previous={})

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
            f"Tên tệp báo cáo trùng với báo cáo của sổ «{first.name}» (một đơn vị khác), "
            f"nên ghi thành «{candidate}»."
        )
        return candidate, note


# --- the batch --------------------------------------------------------------------------------


def run_batch(
    inputs: list[Path],
    request: PeriodRequest,
    options: BuildOptions,
    out_dir: Path,
    jobs: int | None,
    progress: Progress | None = None,
    compare: Path | None = None,
    start_method: str | None = None,
) -> BatchOutcome:
    """Build one report per workbook found in ``inputs`` into ``out_dir``, in parallel, then
    write the summary workbook; print nothing. Raises DanvanError before any work, having
    written nothing (an input that does not exist, no workbook found, ``out_dir`` a file, a
    summary that may not be written, a report or PDF that would be one of the inputs, a broken
    template, no such ``compare`` folder);
    afterwards every problem is in the outcome. ``compare``: the folder of last year's
    workbooks, each compared with its own commune.

    The batch's year is ``request.year`` (``--year``), else the year most workbooks hold, the
    latest on a tie (batch_year.py), read from each workbook's ThongTin before any report.

    ``start_method`` picks how worker processes start (one of
    ``multiprocessing.get_all_start_methods()``; default: the platform's), e.g. ``spawn`` to run
    as on Windows."""
    from danvan_cli.batch_inputs import InputFiles, find_sources
    from danvan_cli.batch_pool import worker_pool
    from danvan_cli.render import find_libreoffice

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(
            f"«{out_dir}» là một tệp, không phải thư mục: batch ghi các báo cáo và sổ tổng hợp "
            "vào một thư mục. Chọn thư mục khác bằng -o."
        )
    # a wrong period code, window or --from/--to is the command's, said before any work
    request.resolve(request.year or dt.date.today().year)
    sources = find_sources(inputs, out_dir)
    if not sources.found:
        raise DanvanError(_nothing_found(inputs, sources.skipped))
    previous = find_previous(compare) if compare is not None else None
    office = find_libreoffice() if options.pdf else None  # missing: the .docx still written
    template, template_warnings = _checked_template(options.template)
    job = _Job(
        request=request,
        template=options.template,
        report_date=options.report_date or dt.date.today(),
        leading_zero=options.leading_zero,
        previous=previous,
        date_option=options.report_date is not None,
    )
    count = min(jobs or os.cpu_count() or 1, len(sources.found))
    context = multiprocessing.get_context(start_method) if start_method else None
    report = progress or _no_progress
    files = InputFiles(sources.found)
    with worker_pool(count, _init_worker, (job,), context) as workers:
        seen, sources = _set_aside_exports(sources, _read_units(workers, sources.found, report))
        if not sources.found:
            raise DanvanError(_nothing_found(inputs, sources.skipped))
        year = _decide_year(seen, request)
        _check_summary(out_dir, replace(request, year=year), options.force, files)
        _check_reports(out_dir, request, year, seen, options.pdf, files)
        _make_folder(out_dir)
        writer = _ReportWriter(out_dir, options, files)
        _render_all(workers, sources.found, seen, year, job, template, writer, report)
    results = [writer.results[position] for position in range(len(sources.found))]
    pdf_error = ""
    if options.pdf:
        results, pdf_error = _with_pdfs(results, office, options.force, report)
    outcome = BatchOutcome(
        results=results,
        failed=[r for r in results if r.status in FAILED_STATUSES],
        summary_path=None,
        skipped=sources.skipped,
        out_dir=out_dir,
        pdf=options.pdf,
        previous=job.previous,
        template_warnings=template_warnings,
        pdf_error=pdf_error,
        year=year,
        year_asked=request.year is not None,
        year_counts=dict(Counter(found.year for found in seen if found is not None)),
    )
    try:
        outcome.summary_path = _write_summary(
            out_dir, replace(request, year=year), results, options.force, files, job
        )
    except DanvanError as err:
        outcome.summary_error = err
    return outcome


def _read_units(workers: Workers, sources: Sequence[Source], progress: Progress) -> list[Seen]:
    """Each workbook's ThongTin, in input order (None where it cannot be read, NotAWorkbook
    for a per-dossier export)."""
    from danvan_cli.batch_pool import run_in_order
    from danvan_cli.batch_year import read_units

    seen: list[Seen] = [None] * len(sources)

    def take(position: int, found: Seen) -> None:
        seen[position] = found

    run_in_order(
        workers,
        read_units,
        [source.path for source in sources],
        take,
        lambda path, err: None,  # a worker died: the build says why
        lambda done, total: progress(done, total, STAGE_UNITS),
        largest=UNITS_CHUNK,
    )
    return seen


def _set_aside_exports(
    sources: Sources, seen: Sequence[Seen]
) -> tuple[list[UnitSeen | None], Sources]:
    """The per-dossier exports among the workbooks moved to the files not read, with why."""
    from danvan_cli.batch_inputs import Skipped, Sources
    from danvan_cli.batch_year import NotAWorkbook

    kept: list[UnitSeen | None] = []
    found: list[Source] = []
    skipped = list(sources.skipped)
    for source, each in zip(sources.found, seen, strict=True):
        if isinstance(each, NotAWorkbook):
            skipped.append(Skipped(source, each.why))
        else:
            kept.append(each)
            found.append(source)
    return kept, Sources(found, skipped)


def _decide_year(seen: Sequence[UnitSeen | None], request: PeriodRequest) -> int | None:
    from danvan_cli.batch_year import batch_year

    return batch_year((found.year for found in seen if found is not None), request.year)


def _render_all(
    workers: Workers,
    sources: Sequence[Source],
    seen: Sequence[UnitSeen | None],
    year: int | None,
    job: _Job,
    template: ReportTemplate,
    writer: _ReportWriter,
    progress: Progress,
) -> None:
    """Every workbook of the batch's ``year`` rendered and committed in input order; those of
    another year set aside unread."""
    from danvan_cli.batch_pool import run_in_order

    todo: list[int] = []
    for position, (source, found) in enumerate(zip(sources, seen, strict=True)):
        if year is not None and found is not None and found.year != year:
            writer.commit(position, _Rendered(_other_year(source, found, year)))
        else:
            todo.append(position)

    def in_process(chunk: list[Source]) -> list[_Rendered]:
        return [_render_one(source, job, template, year) for source in chunk]

    task: Callable[[list[Source]], list[_Rendered]] = in_process
    if workers.executor is not None:  # the workers' own template, prepared once in each
        task = partial(_render_chunk, year=year)
    run_in_order(
        workers,
        task,
        [sources[position] for position in todo],
        lambda index, rendered: writer.commit(todo[index], rendered),
        lambda source, err: _Rendered(_failure(source, _unexpected(err))),
        progress,
    )


def _check_summary(out_dir: Path, request: PeriodRequest, force: bool, inputs: InputFiles) -> None:
    """Refuse, before any work, a summary that could not be written: the year is known."""
    from danvan_cli.summary import ensure_summary_writable, summary_name

    ensure_summary_writable(out_dir / summary_name(request, []), force, inputs)


def _check_reports(
    out_dir: Path,
    request: PeriodRequest,
    year: int | None,
    seen: Sequence[UnitSeen | None],
    pdf: bool,
    inputs: InputFiles,
) -> None:
    """Refuse, before any work, a batch whose report (or PDF) would be one of its inputs: each
    report's name is known from its workbook's ThongTin once the year is (a name changed to
    keep two communes apart is checked again as it is written)."""
    from danvan_cli.batch_inputs import output_refusal
    from danvan_cli.build import report_name

    if year is None:
        return
    code = replace(request, year=year).resolve(year).code  # checked by run_batch before
    for found in seen:
        if found is None or found.year != year:
            continue
        report = out_dir / report_name(found.unit, code, year)
        outputs = [(report, "báo cáo")] + ([(report.with_suffix(".pdf"), "tệp PDF")] if pdf else [])
        for path, what in outputs:
            if inputs.find(path) is not None:
                raise DanvanError(output_refusal(path, what, inputs))


def _write_summary(
    out_dir: Path,
    request: PeriodRequest,
    results: Sequence[CommuneResult],
    force: bool,
    inputs: InputFiles,
    job: _Job,
) -> Path:
    from danvan_cli.summary import (
        ensure_summary_writable,
        summary_name,
        summary_period,
        write_summary,
    )

    summary = out_dir / summary_name(request, results)
    overwrite = ensure_summary_writable(summary, force, inputs)
    period = summary_period(request, results)
    return write_summary(
        summary, results, overwrite, job.report_date, period, job.previous is not None
    )


def _with_pdfs(
    results: list[CommuneResult], office: str | None, force: bool, progress: Progress
) -> tuple[list[CommuneResult], str]:
    """The reports written by this run, converted by one LibreOffice run (``office``; None when
    it is not installed), and why no PDF at all could be written, or "". A report without its
    PDF is kept, with a note, and fails the batch (SPEC §5: a PDF asked for and not written is
    a failure); it becomes a failed workbook when an old PDF that no longer matches stays
    beside it."""
    from danvan_cli.pdf import NO_OFFICE_NOTE, convert_reports, no_pdf_at_all

    built = [r.output for r in results if r.status == STATUS_OK and r.output is not None]
    if not built:
        return results, ""
    if office is None:
        missing = [
            replace(r, note=_join(r.note, NO_OFFICE_NOTE), pdf_missing=True)
            if r.status == STATUS_OK and r.output is not None
            else r
            for r in results
        ]
        return missing, no_pdf_at_all(len(built), office_found=False)
    progress(0, len(built), STAGE_PDF)
    converted = {
        c.docx: c
        for c in convert_reports(
            office, built, force, lambda done: progress(done, len(built), STAGE_PDF)
        )
    }
    results = [
        _with_pdf(result, converted[result.output], force)
        if result.status == STATUS_OK and result.output in converted
        else result
        for result in results
    ]
    if any(c.pdf is not None for c in converted.values()):
        return results, ""
    problem = next((c.problem for c in converted.values() if c.problem), "")
    return results, no_pdf_at_all(len(built), office_found=True, problem=problem.rstrip("."))


def _with_pdf(result: CommuneResult, converted: Converted, force: bool) -> CommuneResult:
    from danvan_cli.pdf import discard_old_pdf

    if converted.pdf is not None:
        return replace(result, pdf=converted.pdf)
    problem, gone = f"Không xuất được PDF: {converted.problem}", True
    if force:
        problem, gone = discard_old_pdf(converted.docx.with_suffix(".pdf"), problem)
    if gone:
        return replace(result, note=_join(result.note, problem), pdf_missing=True)
    return _failed(result, problem, result.note)  # an old PDF stays beside the new report


def _nothing_found(inputs: list[Path], skipped: Sequence[Skipped]) -> str:
    from danvan_cli.batch_year import EXPORT_FILE
    from danvan_cli.workbook import SUFFIXES

    where = ", ".join(f"«{item}»" for item in inputs) or "(không có đầu vào)"
    message = f"Không tìm thấy sổ Excel nào ({', '.join(SUFFIXES)}) trong {where}"
    exports = sum(1 for each in skipped if each.why == EXPORT_FILE)
    set_aside = []
    if len(skipped) > exports:
        set_aside.append(
            f"{len(skipped) - exports} tệp do danvan ghi ra: sổ tổng hợp, bản sao chú thích, "
            "tệp trong thư mục ra"
        )
    if exports:
        set_aside.append(
            f"{exports} {EXPORT_FILE}: tệp này dùng bằng --ho-so hoặc dán vào trang HoSo của sổ"
        )
    if set_aside:
        message += f" (đã bỏ qua {'; '.join(set_aside)})"
    return message + ". Ghi tên sổ hoặc thư mục chứa sổ của các xã, phường."


def _make_folder(folder: Path) -> None:
    from danvan_cli.output import os_error

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise os_error(err, folder, folder=True) from None


def _no_progress(done: int, total: int, stage: str = STAGE_REPORTS) -> None:
    """The default progress callback: nothing to show."""
