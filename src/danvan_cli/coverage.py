"""What a workbook's data cover, and the warnings when a report would rest on less than its
period (SPEC §6, "Never silently wrong"): a log that stops more than 30 days before the
period's end, a month of the period without one-stop-shop rows, a report dated before the
period ends, a workbook with no data rows at all, no signer.

Reading gathers the facts (``Coverage``) whatever the command; ``coverage_issues`` turns them,
with a period when there is one, into warnings (checks.Issue). Nothing here prints: validate
shows them with the workbook's other issues, figures, build and batch say each in full."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from danvan_cli.checks import Issue

if TYPE_CHECKING:
    from danvan_cli.period import Period

STALE_DAYS = 30
"""A log is said to stop short when the period reaches more than this many days past its last
dated row."""

OFF_PERIOD_DAYS = 20
"""A ``--from/--to`` window whose first or last day lies more than this many days from the
first or last day of the period's months is said to miss them: an nd09-like window (from the
15th of the month before to the 14th, at most 17 days off) is within, a window one whole
month off (August for tháng 9) is not."""

COVERAGE_CODES = (
    "log-ends-early",
    "log-starts-late",
    "month-missing",
    "date-before-end",
    "window-off-period",
    "no-data",
    "no-signer",
)
"""The issue codes of this module (declared in checks.ISSUE_TYPES)."""


@dataclass(frozen=True)
class LogEnd:
    """The last dated row of a log: what it is called in a sentence (``sổ tiếp công dân``),
    and where that row's date is (sheet and cell, when the log is a sheet)."""

    label: str
    last: dt.date
    sheet: str | None = None
    cell: str | None = None
    first: dt.date | None = None  # its first dated row, when known


@dataclass
class Coverage:
    """The facts about a workbook's data that tell, for any period, whether they reach it.

    A dated log is added with ``add_log`` (one line for any new log, e.g. the per-dossier
    export: ``coverage.add_log("danh sách hồ sơ một cửa", last_received_day)``).
    ``dossier_months`` holds the months having MotCua rows while MotCua is the source of the
    dossier figures; set it to None when another source replaces it."""

    logs: list[LogEnd] = field(default_factory=list)
    dossier_months: frozenset[int] | None = frozenset()
    dossier_sheet: str = "MotCua"
    data_rows: int = 0
    """Rows holding data in every sheet but ThongTin."""
    year: int | None = None
    """The workbook's year (ThongTin ``Năm``), when it could be read."""
    signer: bool | None = None
    """Whether ThongTin names a ``Người ký``; None when ThongTin could not be read."""
    info_sheet: str = "ThongTin"

    def add_log(
        self,
        label: str,
        last: dt.date | None,
        sheet: str | None = None,
        cell: str | None = None,
        first: dt.date | None = None,
    ) -> None:
        """Note a dated log's last day, and its first when known (nothing when it has no dated
        row)."""
        if last is not None:
            self.logs.append(LogEnd(label, last, sheet, cell, first))


def day_text(day: dt.date) -> str:
    """``14/9/2024``: how the warnings write a day (SPEC §6), no leading zeros."""
    return f"{day.day}/{day.month}/{day.year}"


def _months_text(months: Iterable[int]) -> str:
    return ", ".join(str(month) for month in months)


def _month_missing(sheet: str, period: Period, missing: list[int]) -> Issue:
    months = period.months
    span = f"tháng {months[0]}–{months[-1]}" if len(months) > 2 else f"tháng {_months_text(months)}"
    if len(missing) == len(months):
        where = f"các tháng của kỳ báo cáo ({span} năm {period.year})"
    else:
        where = f"tháng {_months_text(missing)} năm {period.year}; kỳ báo cáo gồm {span}"
    return Issue(
        "month-missing",
        f"Số liệu có thể chưa đủ: trang {sheet} không có dòng nào cho {where}.",
        sheet,
    )


def _window_off_period(period: Period) -> list[Issue]:
    """A hand-set window (``--from/--to``) far from the months of its period: the logs would
    be counted over one span, the month rows of MotCua and the report's labels over another."""
    first, last = period.months_span
    near = abs((period.start - first).days) <= OFF_PERIOD_DAYS
    if near and abs((period.end - last).days) <= OFF_PERIOD_DAYS:
        return []
    return [
        Issue(
            "window-off-period",
            f"Khoảng ngày tự chọn {day_text(period.start)}–{day_text(period.end)} (--from, "
            f"--to) lệch khỏi kỳ báo cáo {period.label} ({day_text(first)}–{day_text(last)}): "
            "sổ tiếp công dân, đơn thư, văn bản được tính theo khoảng ngày này, còn số liệu "
            "một cửa theo tháng và tên kỳ trên báo cáo theo kỳ báo cáo.",
        )
    ]


def coverage_issues(
    coverage: Coverage,
    period: Period | None = None,
    report_date: dt.date | None = None,
    date_option: bool = False,
) -> list[Issue]:
    """The warnings ``coverage`` calls for. Without a period (``validate`` with no period in
    danvan.toml) only those that hold for any period: no data rows, no signer. With one, also
    every log that stops more than STALE_DAYS before its end and the months of the period
    without MotCua rows (when the period is in the workbook's year, MotCua rows carrying only
    a month, and the workbook has data rows at all). With ``report_date`` (build, batch),
    also a report dated before the period's end; ``date_option`` says that date was given as
    ``--date`` (else it is today)."""
    issues: list[Issue] = []
    if coverage.data_rows == 0:
        issues.append(
            Issue(
                "no-data",
                "Sổ chưa có dòng số liệu nào ngoài trang ThongTin: báo cáo sẽ chỉ có lời văn "
                "mẫu, mọi số liệu bằng 0.",
            )
        )
    if coverage.signer is False:
        issues.append(
            Issue(
                "no-signer",
                "Trang ThongTin chưa ghi «Người ký»: báo cáo sẽ để trống tên người ký.",
                coverage.info_sheet,
                None,
                "Người ký",
            )
        )
    if period is None:
        return issues
    if period.window == "custom":
        issues += _window_off_period(period)
    end = day_text(period.end)
    for log in coverage.logs:
        if log.first is not None and log.first > period.end:
            issues.append(
                Issue(
                    "log-starts-late",
                    f"Số liệu không thuộc kỳ báo cáo: {log.label} bắt đầu từ "
                    f"{day_text(log.first)}, sau ngày cuối kỳ {end}.",
                    log.sheet,
                    log.cell,
                )
            )
        elif (period.end - log.last).days > STALE_DAYS:
            issues.append(
                Issue(
                    "log-ends-early",
                    f"Số liệu có thể chưa đủ: {log.label} ghi đến {day_text(log.last)}; kỳ báo "
                    f"cáo đến {end}.",
                    log.sheet,
                    log.cell,
                )
            )
    months = coverage.dossier_months
    if months is not None and coverage.year == period.year and coverage.data_rows:
        missing = [month for month in period.months if month not in months]
        if missing:
            issues.append(_month_missing(coverage.dossier_sheet, period, missing))
    if report_date is not None and report_date < period.end:
        given = f"Ngày báo cáo {day_text(report_date)} (--date)"
        if not date_option:
            given = f"Ngày báo cáo (hôm nay, {day_text(report_date)})"
        issues.append(
            Issue(
                "date-before-end",
                f"{given} ở trước ngày cuối kỳ {end}: báo cáo ghi ngày khi kỳ báo cáo chưa "
                "kết thúc.",
            )
        )
    return issues
