"""Period codes (``9m``, ``q3``, ``t9``), their data windows and Vietnamese labels (SPEC §2)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from danvan_cli.errors import UsageError
from danvan_cli.schema import MAX_YEAR, MIN_YEAR
from danvan_cli.vietnamese import format_date, roman

WINDOWS = ("nd09", "calendar", "custom")

_CODE = re.compile(r"^(?:(?P<months>\d{1,2})m|q(?P<quarter>\d)|t(?P<month>\d{1,2}))$")
_CUTOFF_DAY = 15  # Nghị định 09/2019/NĐ-CP, Điều 12: data run from the 15th to the 14th


@dataclass(frozen=True)
class Period:
    """A reporting period: its normalised code, data window and labels."""

    code: str
    year: int
    window: str
    start: dt.date
    end: dt.date
    months: tuple[int, ...]
    label: str
    next_label: str

    @property
    def title_phrase(self) -> str:
        """The title's two labels joined (SPEC §2): the year is said once, at the end, only
        after a first label ending in "đầu năm" when both labels are in the same year
        (``9 tháng đầu năm; phương hướng, nhiệm vụ 3 tháng cuối năm 2024``); otherwise each
        keeps its own (``tháng 9 năm 2024; phương hướng, nhiệm vụ tháng 10 năm 2024``)."""
        year = f" {self.year}"
        first = self.label
        if first.endswith(f"đầu năm{year}") and self.next_label.endswith(f"năm{year}"):
            first = first.removesuffix(year)
        return f"{first}; phương hướng, nhiệm vụ {self.next_label}"

    @property
    def results_label(self) -> str:
        """The label of section II's heading: ``9 tháng năm 2024`` (``quý I năm 2024``…)."""
        count = _cumulative_months(self.code)
        if count is not None and count < 12:
            return f"{count} tháng năm {self.year}"
        return self.label

    @property
    def in_period_text(self) -> str:
        """How running text names the period: ``9 tháng đầu năm 2024``."""
        return self.label

    @property
    def months_span(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the period's months (its calendar window)."""
        return _calendar_window(self.year, self.months)

    def contains(self, day: dt.date) -> bool:
        """Whether a dated row (reception, letter) falls in the data window."""
        return self.start <= day <= self.end


def parse_period(
    code: str,
    year: int,
    window: str = "nd09",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Period:
    """The period of ``code`` in ``year``; ``start``/``end`` (both) set a custom window."""
    _check_year(year)
    normalised, months = _parse_code(code)
    label, next_label = _labels(normalised, year)
    window_name, first_day, last_day = _window(window, year, months, start, end)
    return Period(
        code=normalised,
        year=year,
        window=window_name,
        start=first_day,
        end=last_day,
        months=months,
        label=label,
        next_label=next_label,
    )


def previous_period(period: Period) -> Period:
    """The same period one year earlier, for the comparison with last year (SPEC §3): the
    same code and window kind; a custom window shifted back one year (29/2 -> 28/2)."""
    year = period.year - 1
    if period.window == "custom":
        start, end = shift_back(period.start), shift_back(period.end)
        return parse_period(period.code, year, "custom", start, end)
    return parse_period(period.code, year, period.window)


def shift_back(day: dt.date) -> dt.date:
    """The same day one year earlier; 29/2 becomes 28/2."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


# --- codes ---------------------------------------------------------------------------------


def _invalid_code(code: str) -> UsageError:
    return UsageError(
        f"Mã kỳ «{code.strip()}» không hợp lệ. Dùng: 3m, 6m, 9m, 12m (N tháng đầu năm), "
        "q1–q4 (quý), t1–t12 (tháng)."
    )


def _parse_code(code: str) -> tuple[str, tuple[int, ...]]:
    """``" 9M "`` -> ``("9m", (1, …, 9))``."""
    match = _CODE.match(code.strip().lower())
    if match is None:
        raise _invalid_code(code)
    if match["months"] is not None:
        count = int(match["months"])
        if 1 <= count <= 12:
            return f"{count}m", tuple(range(1, count + 1))
    elif match["quarter"] is not None:
        quarter = int(match["quarter"])
        if 1 <= quarter <= 4:
            return f"q{quarter}", tuple(range(3 * quarter - 2, 3 * quarter + 1))
    else:
        month = int(match["month"])
        if 1 <= month <= 12:
            return f"t{month}", (month,)
    raise _invalid_code(code)


def _cumulative_months(code: str) -> int | None:
    return int(code[:-1]) if code.endswith("m") else None


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"Năm {year} không hợp lệ (phải từ {MIN_YEAR} đến {MAX_YEAR}).")


# --- labels --------------------------------------------------------------------------------


def _month_name(month: int) -> str:
    """Months 1–2 take a leading zero, as in dates of Nghị định 30: ``tháng 01``, ``tháng 9``."""
    return f"tháng {month:02d}" if month <= 2 else f"tháng {month}"


def _labels(code: str, year: int) -> tuple[str, str]:
    count = _cumulative_months(code)
    if count is not None:
        if count == 12:
            return f"năm {year}", f"năm {year + 1}"
        return f"{count} tháng đầu năm {year}", f"{12 - count} tháng cuối năm {year}"
    if code.startswith("q"):
        quarter = int(code[1:])
        label = f"quý {roman(quarter)} năm {year}"
        if quarter == 4:
            return label, f"quý I năm {year + 1}"
        return label, f"quý {roman(quarter + 1)} năm {year}"
    month = int(code[1:])
    label = f"{_month_name(month)} năm {year}"
    if month == 12:
        return label, f"{_month_name(1)} năm {year + 1}"
    return label, f"{_month_name(month + 1)} năm {year}"


# --- windows -------------------------------------------------------------------------------


def _window(
    window: str,
    year: int,
    months: tuple[int, ...],
    start: dt.date | None,
    end: dt.date | None,
) -> tuple[str, dt.date, dt.date]:
    name = window.strip().lower()
    if name not in WINDOWS:
        raise UsageError(
            f"Cách tính khoảng thời gian «{window.strip()}» không hợp lệ. "
            "Dùng: nd09 (từ ngày 15 tháng trước đến ngày 14, mặc định) hoặc calendar "
            "(theo tháng dương lịch), hoặc chọn ngày bằng --from và --to."
        )
    if start is not None or end is not None:
        return _custom_window(name, start, end)
    if name == "custom":
        raise UsageError(
            "Khoảng thời gian tự chọn cần cả ngày bắt đầu (--from) và ngày kết thúc (--to)."
        )
    if name == "calendar":
        return name, *_calendar_window(year, months)
    return name, *_nd09_window(year, months)


def _custom_window(
    name: str, start: dt.date | None, end: dt.date | None
) -> tuple[str, dt.date, dt.date]:
    if name == "calendar":
        raise UsageError("Không dùng --window calendar cùng với --from/--to.")
    if start is None or end is None:
        raise UsageError("Cần cả ngày bắt đầu (--from) và ngày kết thúc (--to), không chỉ một.")
    if start > end:
        raise UsageError(
            f"Ngày bắt đầu {format_date(start)} (--from) ở sau ngày kết thúc "
            f"{format_date(end)} (--to)."
        )
    return "custom", start, end


def _calendar_window(year: int, months: tuple[int, ...]) -> tuple[dt.date, dt.date]:
    last = months[-1]
    return dt.date(year, months[0], 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def _nd09_window(year: int, months: tuple[int, ...]) -> tuple[dt.date, dt.date]:
    first = months[0]
    start = (
        dt.date(year - 1, 12, _CUTOFF_DAY) if first == 1 else dt.date(year, first - 1, _CUTOFF_DAY)
    )
    return start, dt.date(year, months[-1], _CUTOFF_DAY - 1)
