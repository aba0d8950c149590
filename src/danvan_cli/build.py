"""One commune, end to end: find the workbook, read and check it, resolve the period, compute
the figures, render and write the report. Shared by ``figures``, ``build`` and ``batch``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from danvan_cli.coverage import COVERAGE_CODES
from danvan_cli.errors import DanvanError, InvalidWorkbookError, UsageError
from danvan_cli.vietnamese import ParseError, parse_date, strip_marks

if TYPE_CHECKING:
    from danvan_cli.checks import Budget, Report
    from danvan_cli.config import Settings
    from danvan_cli.figures import Figures
    from danvan_cli.models import CommuneData
    from danvan_cli.period import Period
    from danvan_cli.render import ReportTemplate
    from danvan_cli.workbook import Kept

MAX_LISTED_ERRORS = 50


@dataclass(frozen=True)
class PeriodRequest:
    """The period as asked on the command line; the year may come from the workbook."""

    code: str
    year: int | None = None
    window: str = "nd09"
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def from_options(
        cls, code: str, year: int | None, window: str, date_from: str | None, date_to: str | None
    ) -> PeriodRequest:
        start = cli_date(date_from, "--from") if date_from else None
        end = cli_date(date_to, "--to") if date_to else None
        request = cls(code=code, year=year, window=window, start=start, end=end)
        if year is not None:
            request.resolve(year)  # fail early on a bad code or window
        return request

    def resolve(self, workbook_year: int) -> Period:
        from danvan_cli.period import parse_period

        year = self.year if self.year is not None else workbook_year
        window = "custom" if self.start or self.end else self.window
        return parse_period(self.code, year, window, self.start, self.end)


def cli_date(text: str, option: str) -> dt.date:
    try:
        return parse_date(text)
    except ParseError as err:
        raise UsageError(f"{option} «{text}»: {err}.") from None


def resolve_workbook(
    file: Path | None, settings: Settings | None = None, folder: Path | None = None
) -> Path:
    """The workbook named on the command line, in ``danvan.toml`` (``settings``), or the only
    one in ``folder`` (default: the current folder)."""
    if file is not None:
        return file
    if settings is not None and settings.workbook is not None:
        return settings.workbook
    here = folder or Path.cwd()
    from danvan_cli.workbook import SUFFIXES

    found = sorted(
        p
        for p in here.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(("~$", "."))
    )
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(
            "Chưa chỉ ra sổ Excel: ghi tên sổ, ví dụ «danvan build so.xlsx», hoặc "
            "tạo sổ mới bằng «danvan init»."
        )
    raise UsageError(
        "Thư mục có nhiều sổ Excel ("
        + ", ".join(p.name for p in found[:5])
        + "): ghi rõ tên sổ cần dùng."
    )


REPORT_BLOCKED = "chưa lập được báo cáo"
FIGURES_BLOCKED = "chưa tính được số liệu"
"""What errors hold up: the report (build, batch) or only the figures (``danvan figures``)."""


def refusal(
    report: Report,
    role: str = "Sổ",
    exports: Sequence[Report] = (),
    blocked: str = REPORT_BLOCKED,
) -> InvalidWorkbookError:
    """The error for a workbook, or the per-dossier exports read with it (``--ho-so``), that
    hold errors, listing each one with its file and cell; ``role`` names the workbook in the
    headline (last year's is ``Sổ so sánh (năm trước)``), ``blocked`` what cannot be done."""
    failed = [each for each in (report, *exports) if not each.ok]
    if failed == [report] and report.fatal:
        name = Path(report.file).name
        fatal = report.fatal if role == "Sổ" else f"{role} «{name}»: {report.fatal}"
        return InvalidWorkbookError(fatal, report)
    lines: list[str] = []
    for each in failed:
        name = Path(each.file).name
        if each.fatal:
            lines.append(each.fatal)
            continue
        errors = each.errors[:MAX_LISTED_ERRORS]
        count = each.error_count  # issues past checks.MAX_ISSUES included
        what = role if each is report else "Danh sách hồ sơ"
        lines.append(f"{what} «{name}» có {count} lỗi, {blocked}:")
        for issue in errors:
            where = issue.ref or name
            column = f" ({issue.column})" if issue.column else ""
            lines.append(f"  {where}{column}: {issue.message} → {issue.hint}")
        if count > len(errors):
            lines.append(f"  … và {count - len(errors)} lỗi khác.")
    if any(not each.fatal for each in failed):
        command = f'danvan validate "{report.file}"'
        command += "".join(f' --ho-so "{each.file}"' for each in exports)
        lines.append(f"Xem đủ bằng: {command}")
    return InvalidWorkbookError("\n".join(lines), report)


SHOWN_WARNINGS = frozenset(
    {"mot-cua-set-aside", "twin-sheet", "absent-sheet", "implausible-value", *COVERAGE_CODES}
)
"""Warnings that change where figures come from (a sheet read among twins, a sheet missing, a
profile value set aside), or say they may not cover the period
(coverage.py): said in full by figures, build and batch."""


@dataclass(frozen=True)
class Computed:
    path: Path
    data: CommuneData
    period: Period
    figures: Figures
    report: Report
    previous_report: Report | None = None  # last year's workbook, when compared with it
    exports: tuple[Report, ...] = ()
    run: Kept | None = None  # the cells the files behind these figures keep (workbook.Kept)

    @property
    def notices(self) -> list[str]:
        """The warnings said in full (figures from elsewhere, data that may not cover the
        period): also the note of the commune's row in a batch summary."""
        from danvan_cli.figures import MOT_CUA_SOURCE

        notes: list[str] = []
        mot_cua = self.figures.dossiers.source == MOT_CUA_SOURCE
        if mot_cua and self.period.year != self.data.info.year:
            notes.append(
                f"Năm báo cáo {self.period.year} khác năm của sổ ({self.data.info.year}): "
                "số liệu hồ sơ một cửa (ghi theo tháng, không ghi năm) không được tính."
            )
        shown = [issue for issue in self.report.warnings if issue.code in SHOWN_WARNINGS]
        absent = [issue.sheet for issue in shown if issue.code == "absent-sheet" and issue.sheet]
        if len(absent) > 1:  # one line, not one a sheet: a batch note stays readable
            names = ", ".join(f"«{name}»" for name in absent)
            notes.append(f"Sổ không có các trang {names}: số liệu của các trang đó tính bằng 0.")
            shown = [issue for issue in shown if issue.code != "absent-sheet"]
        notes += [issue.message for issue in shown]
        previous = self.previous_report
        if previous is not None:  # last year's data may not cover its period either
            from danvan_cli.compare import COMPARISON_ROLE

            name = Path(previous.file).name
            notes += [
                f"{COMPARISON_ROLE} «{name}»: {issue.message}"
                for issue in previous.warnings
                if issue.code in SHOWN_WARNINGS
            ]
        return notes

    @property
    def warnings(self) -> list[str]:
        """What the user should know about these figures before trusting them: the notices,
        then the other warnings counted."""
        notes = self.notices
        shown = [issue for issue in self.report.warnings if issue.code in SHOWN_WARNINGS]
        if self.report.warning_count > len(shown):
            more = "thêm " if shown else ""
            notes.append(
                f"Sổ có {more}{self.report.warning_count - len(shown)} cảnh báo; xem bằng "
                "danvan validate."
            )
        for export in self.exports:
            if export.warnings:
                notes.append(
                    f"Danh sách hồ sơ «{Path(export.file).name}» có {len(export.warnings)} "
                    "cảnh báo; xem bằng danvan validate."
                )
        previous = self.previous_report
        if previous is not None:
            from danvan_cli.compare import COMPARISON_ROLE

            said = sum(1 for issue in previous.warnings if issue.code in SHOWN_WARNINGS)
            others = len(previous.warnings) - said
            if others:
                more = "thêm " if said else ""
                notes.append(
                    f"{COMPARISON_ROLE} «{Path(previous.file).name}» có {more}{others} cảnh "
                    f'báo; xem bằng danvan validate "{previous.file}".'
                )
        return notes


def compute_for(
    path: Path,
    request: PeriodRequest,
    compare: Path | None = None,
    ho_so: Sequence[Path] = (),
    report_date: dt.date | None = None,
    date_option: bool = False,
    blocked: str = REPORT_BLOCKED,
) -> Computed:
    """Read, check and compute (with the per-dossier exports ``ho_so``, if any); raise
    InvalidWorkbookError when the workbook or an export holds errors. With ``compare`` (last
    year's workbook), the figures gain the same period of last year. The warnings about data
    that may not cover the period (coverage.py) are added to the report, said in full by
    ``warnings``; ``report_date`` (build, batch) is the date the report will carry,
    ``date_option`` whether it came from ``--date``; ``blocked`` is what errors hold up."""
    from danvan_cli.coverage import coverage_issues
    from danvan_cli.figures import compute_figures
    from danvan_cli.reading import load
    from danvan_cli.workbook import Kept

    run = Kept()  # the workbook, its exports and last year's are held at once
    loaded = load(path, ho_so=ho_so, run=run)
    if loaded.data is None:
        raise refusal(loaded.report, exports=loaded.exports, blocked=blocked)
    period = request.resolve(loaded.data.info.year)
    figures = compute_figures(loaded.data, period)
    loaded.report.issues.extend(coverage_issues(loaded.coverage, period, report_date, date_option))
    exports = tuple(loaded.exports)
    computed = Computed(path, loaded.data, period, figures, loaded.report, exports=exports, run=run)
    return with_previous(computed, compare, blocked) if compare is not None else computed


PREVIOUS_COVERAGE = ("log-ends-early", "log-starts-late", "month-missing", "no-data")
"""What last year's workbook is checked for against last year's period (its signer and the
report's date are no concern of a comparison)."""


def with_previous(computed: Computed, path: Path, blocked: str = REPORT_BLOCKED) -> Computed:
    """``computed`` with last year's figures from the workbook at ``path``, read and checked
    like the report's own (its errors refuse, naming it) and computed by the same code for
    the same period one year earlier. The current figures are left as they are. Its cells
    count with those the current workbook (and its exports) already keep."""
    from danvan_cli.compare import COMPARISON_ROLE, check_comparable
    from danvan_cli.coverage import coverage_issues
    from danvan_cli.figures import previous_figures
    from danvan_cli.period import previous_period
    from danvan_cli.reading import load

    loaded = load(path, run=computed.run)
    if loaded.data is None:
        raise refusal(loaded.report, COMPARISON_ROLE, blocked=blocked)
    check_comparable(computed.data.info, computed.period.year, loaded.data.info, path)
    period = previous_period(computed.period)
    previous = previous_figures(loaded.data, period)
    # last year's logs may stop short of last year's period too: said like this year's
    loaded.report.issues.extend(
        issue
        for issue in coverage_issues(loaded.coverage, period)
        if issue.code in PREVIOUS_COVERAGE
    )
    figures = computed.figures.model_copy(update={"previous": previous})
    return replace(computed, figures=figures, previous_report=loaded.report)


def check_workbook(
    path: Path,
    period_code: str | None = None,
    ho_so: Sequence[Path] = (),
    compare: Path | None = None,
    budget: Budget | None = None,
) -> list[Report]:
    """Everything ``validate`` reports on one workbook, its per-dossier exports ``ho_so`` and
    last year's workbook ``compare``: their issues, the warnings about data that may not
    cover a period — for ``period_code`` (danvan.toml's period) in the workbook's year when
    one is given, else only those that hold for any period (no data rows, no signer) — and,
    on last year's report, whether it may serve as this workbook's comparison (the same unit,
    the year before: SPEC §3). The reports keep the issues ``budget`` (the command's) has
    room for."""
    from danvan_cli.checks import Budget
    from danvan_cli.coverage import coverage_issues
    from danvan_cli.reading import load
    from danvan_cli.workbook import Kept

    budget = Budget() if budget is None else budget
    run = Kept()  # as build holds them: the workbook, its exports and last year's together
    loaded = load(path, False, ho_so, budget, run)
    report = loaded.report
    if report.fatal is None:
        year = loaded.coverage.year
        period = None
        if period_code is not None and year is not None:
            period = PeriodRequest(code=period_code).resolve(year)
        report.issues.extend(coverage_issues(loaded.coverage, period))
    if compare is None:
        return loaded.reports
    return [*loaded.reports, _comparison_report(path, compare, budget, run)]


def _comparison_report(path: Path, compare: Path, budget: Budget, run: Kept) -> Report:
    """Last year's workbook checked like any, plus a ``not-comparable`` error when it belongs
    to another unit or another year than the one before ``path``'s."""
    from danvan_cli.compare import check_comparable
    from danvan_cli.reading import load, read_unit

    report = load(compare, False, budget=budget, run=run).report
    current = read_unit(path)
    previous = read_unit(compare) if report.fatal is None else None
    if current is not None and previous is not None:
        try:
            check_comparable(current, current.year, previous, compare)
        except InvalidWorkbookError as err:
            report.add("not-comparable", str(err), "ThongTin")
    return report


@dataclass(frozen=True)
class BuildOptions:
    template: Path | None = None
    report_date: dt.date | None = None
    leading_zero: bool = True
    force: bool = False
    pdf: bool = False

    @classmethod
    def from_cli(
        cls,
        template: Path | None,
        report_date: str | None,
        leading_zero: bool,
        force: bool,
        pdf: bool,
    ) -> BuildOptions:
        day = cli_date(report_date, "--date") if report_date else None
        if template is not None and not template.is_file():
            raise UsageError(f"Không tìm thấy mẫu «{template}».")
        return cls(template, day, leading_zero, force, pdf)


@dataclass(frozen=True)
class BuildResult:
    computed: Computed
    output: Path
    pdf: Path | None
    warnings: tuple[str, ...] = ()
    pdf_error: DanvanError | None = None  # the PDF asked for could not be made


SLUG_LENGTH = 60
"""Longest slug of a name in a file name: a file name stays far below the 255 bytes every file
system allows, whatever a clerk typed as the unit's name."""


def slug(text: str) -> str:
    """``xã Tân Hưng`` -> ``xa_tan_hung`` for file names (at most SLUG_LENGTH characters)."""
    plain = strip_marks(text).lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:SLUG_LENGTH].strip("_") or "don_vi"


def default_output_name(computed: Computed) -> str:
    from danvan_cli.unit_identity import unit_title

    info = computed.data.info
    return report_name(unit_title(info.name, info.kind), computed.period.code, computed.period.year)


def report_name(title: str, code: str, year: int) -> str:
    """``bao_cao_dan_van_xa_tan_hung_9m_2024.docx`` for ``Xã Tân Hưng`` (unit_title)."""
    return f"bao_cao_dan_van_{slug(title)}_{code}_{year}.docx"


OUTPUT_OPTION = "-o"
"""The option of ``build`` that names the report, which an overwrite refusal suggests."""


def build_report(
    path: Path,
    request: PeriodRequest,
    options: BuildOptions,
    output: Path | None = None,
    template: ReportTemplate | None = None,
    out_dir: Path | None = None,
    compare: Path | None = None,
    ho_so: Sequence[Path] = (),
) -> BuildResult:
    """Everything ``danvan build`` does for one workbook; ``template`` may be prepared once and
    shared by many calls (batch); ``compare`` is last year's workbook."""
    from danvan_cli.context import build_context
    from danvan_cli.output import ensure_writable
    from danvan_cli.render import ReportTemplate, convert_to_pdf, render_report

    if output is not None and output.suffix.lower() != ".docx":
        raise UsageError(f"Tệp ra «{output}» phải có đuôi .docx.")
    if output is not None:
        ensure_writable(output, options.force, OUTPUT_OPTION)
    notes: list[str] = []
    if template is None and options.template is not None:  # SPEC §5: the check runs first
        from danvan_cli.template_check import load_checked_template

        template, notes = load_checked_template(options.template)
    report_date = options.report_date or dt.date.today()
    dated = options.report_date is not None
    computed = compute_for(path, request, compare, ho_so, report_date, dated)
    target = output or (out_dir or Path.cwd()) / default_output_name(computed)
    ensure_writable(target, options.force, OUTPUT_OPTION)
    if options.pdf:  # never a new report beside an old PDF
        ensure_writable(target.with_suffix(".pdf"), options.force, OUTPUT_OPTION)
    if template is None:
        template = ReportTemplate()
    context = build_context(
        computed.data,
        computed.figures,
        computed.period,
        report_date,
        options.leading_zero,
    )
    written = render_report(template, context, target, options.force, OUTPUT_OPTION)
    pdf: Path | None = None
    pdf_error: DanvanError | None = None
    warnings = [*notes, *computed.warnings]
    if options.pdf:
        try:
            pdf = convert_to_pdf(written, options.force)
        except DanvanError as err:
            if written.with_suffix(".pdf").exists():
                raise  # an old PDF could not be removed: not a success
            pdf_error = err  # the report stands; the PDF asked for is a failure to say
    return BuildResult(computed, written, pdf, tuple(warnings), pdf_error)
