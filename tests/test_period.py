"""Period codes, windows and labels (SPEC §2)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danvan_cli.errors import UsageError
from danvan_cli.period import MAX_YEAR, MIN_YEAR, parse_period

D = dt.date
years = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR - 1)


# --- codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "normalised", "months"),
    [
        ("9m", "9m", tuple(range(1, 10))),
        ("9M", "9m", tuple(range(1, 10))),
        (" 9m ", "9m", tuple(range(1, 10))),
        ("12m", "12m", tuple(range(1, 13))),
        ("1m", "1m", (1,)),
        ("q1", "q1", (1, 2, 3)),
        ("Q3", "q3", (7, 8, 9)),
        ("q4", "q4", (10, 11, 12)),
        ("t9", "t9", (9,)),
        ("T12", "t12", (12,)),
        ("t09", "t9", (9,)),
    ],
)
def test_codes_are_normalised(code: str, normalised: str, months: tuple[int, ...]) -> None:
    period = parse_period(code, 2024)
    assert period.code == normalised
    assert period.months == months
    assert period.year == 2024
    assert period.window == "nd09"


@pytest.mark.parametrize(
    "code", ["", "9", "m", "0m", "13m", "q0", "q5", "t0", "t13", "9 tháng", "x", "9m9", "-3m"]
)
def test_invalid_codes_are_usage_errors(code: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_period(code, 2024)
    message = str(caught.value)
    assert f"Mã kỳ «{code.strip()}» không hợp lệ." in message
    assert "3m, 6m, 9m, 12m (N tháng đầu năm), q1–q4 (quý), t1–t12 (tháng)" in message
    assert caught.value.exit_code == 2


def test_invalid_year_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Năm 224"):
        parse_period("9m", 224)


# --- windows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("9m", D(2023, 12, 15), D(2024, 9, 14)),
        ("12m", D(2023, 12, 15), D(2024, 12, 14)),
        ("6m", D(2023, 12, 15), D(2024, 6, 14)),
        ("q1", D(2023, 12, 15), D(2024, 3, 14)),
        ("q3", D(2024, 6, 15), D(2024, 9, 14)),
        ("q4", D(2024, 9, 15), D(2024, 12, 14)),
        ("t1", D(2023, 12, 15), D(2024, 1, 14)),
        ("t9", D(2024, 8, 15), D(2024, 9, 14)),
        ("t12", D(2024, 11, 15), D(2024, 12, 14)),
    ],
)
def test_nd09_windows(code: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(code, 2024)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("9m", D(2024, 1, 1), D(2024, 9, 30)),
        ("12m", D(2024, 1, 1), D(2024, 12, 31)),
        ("q1", D(2024, 1, 1), D(2024, 3, 31)),
        ("t2", D(2024, 2, 1), D(2024, 2, 29)),
        ("q4", D(2024, 10, 1), D(2024, 12, 31)),
    ],
)
def test_calendar_windows(code: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(code, 2024, window="calendar")
    assert period.window == "calendar"
    assert (period.start, period.end) == (start, end)


def test_calendar_february_of_a_common_year() -> None:
    assert parse_period("t2", 2023, window="calendar").end == D(2023, 2, 28)


def test_window_edges() -> None:
    period = parse_period("9m", 2024)
    assert not period.contains(D(2023, 12, 14))
    assert period.contains(D(2023, 12, 15))
    assert period.contains(D(2024, 9, 14))
    assert not period.contains(D(2024, 9, 15))


def test_custom_window() -> None:
    period = parse_period("9m", 2024, start=D(2024, 1, 1), end=D(2024, 9, 20))
    assert period.window == "custom"
    assert (period.start, period.end) == (D(2024, 1, 1), D(2024, 9, 20))
    assert period.months == tuple(range(1, 10))
    assert period.label == "9 tháng đầu năm 2024"
    assert parse_period("t9", 2024, window="custom", start=D(2024, 9, 1), end=D(2024, 9, 1))


@pytest.mark.parametrize(
    ("window", "start", "end"),
    [
        ("nd09", D(2024, 9, 20), D(2024, 1, 1)),
        ("nd09", D(2024, 1, 1), None),
        ("nd09", None, D(2024, 9, 20)),
        ("custom", None, None),
        ("calendar", D(2024, 1, 1), D(2024, 9, 20)),
        ("lich", None, None),
        ("", None, None),
    ],
)
def test_bad_windows_are_usage_errors(
    window: str, start: dt.date | None, end: dt.date | None
) -> None:
    with pytest.raises(UsageError):
        parse_period("9m", 2024, window=window, start=start, end=end)


def test_start_after_end_names_both_dates() -> None:
    with pytest.raises(UsageError, match=r"20/9/2024.*01/01/2024"):
        parse_period("9m", 2024, start=D(2024, 9, 20), end=D(2024, 1, 1))


def test_window_name_is_normalised() -> None:
    assert parse_period("9m", 2024, window=" Calendar ").window == "calendar"


@given(years)
def test_quarters_partition_nine_months(year: int) -> None:
    nine = parse_period("9m", year)
    quarters = [parse_period(f"q{k}", year) for k in (1, 2, 3)]
    assert quarters[0].start == nine.start
    assert quarters[-1].end == nine.end
    for before, after in itertools.pairwise(quarters):
        assert before.end + dt.timedelta(days=1) == after.start
    assert tuple(m for q in quarters for m in q.months) == nine.months


@given(years, st.sampled_from(["nd09", "calendar"]))
def test_months_partition_the_year(year: int, window: str) -> None:
    whole = parse_period("12m", year, window=window)
    months = [parse_period(f"t{n}", year, window=window) for n in range(1, 13)]
    assert months[0].start == whole.start
    assert months[-1].end == whole.end
    for before, after in itertools.pairwise(months):
        assert before.end + dt.timedelta(days=1) == after.start


# --- labels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label", "next_label", "title_phrase", "results_label"),
    [
        (
            "9m",
            "9 tháng đầu năm 2024",
            "3 tháng cuối năm 2024",
            "9 tháng đầu năm; phương hướng, nhiệm vụ 3 tháng cuối năm 2024",
            "9 tháng năm 2024",
        ),
        (
            "6m",
            "6 tháng đầu năm 2024",
            "6 tháng cuối năm 2024",
            "6 tháng đầu năm; phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
            "6 tháng năm 2024",
        ),
        (
            "3m",
            "3 tháng đầu năm 2024",
            "9 tháng cuối năm 2024",
            "3 tháng đầu năm; phương hướng, nhiệm vụ 9 tháng cuối năm 2024",
            "3 tháng năm 2024",
        ),
        (
            "12m",
            "năm 2024",
            "năm 2025",
            "năm 2024; phương hướng, nhiệm vụ năm 2025",
            "năm 2024",
        ),
        (
            "q1",
            "quý I năm 2024",
            "quý II năm 2024",
            "quý I năm 2024; phương hướng, nhiệm vụ quý II năm 2024",
            "quý I năm 2024",
        ),
        (
            "q4",
            "quý IV năm 2024",
            "quý I năm 2025",
            "quý IV năm 2024; phương hướng, nhiệm vụ quý I năm 2025",
            "quý IV năm 2024",
        ),
        (
            "t9",
            "tháng 9 năm 2024",
            "tháng 10 năm 2024",
            "tháng 9 năm 2024; phương hướng, nhiệm vụ tháng 10 năm 2024",
            "tháng 9 năm 2024",
        ),
        (
            "t12",
            "tháng 12 năm 2024",
            "tháng 01 năm 2025",
            "tháng 12 năm 2024; phương hướng, nhiệm vụ tháng 01 năm 2025",
            "tháng 12 năm 2024",
        ),
        (
            "t1",
            "tháng 01 năm 2024",
            "tháng 02 năm 2024",
            "tháng 01 năm 2024; phương hướng, nhiệm vụ tháng 02 năm 2024",
            "tháng 01 năm 2024",
        ),
    ],
)
def test_labels(
    code: str, label: str, next_label: str, title_phrase: str, results_label: str
) -> None:
    period = parse_period(code, 2024)
    assert period.label == label
    assert period.next_label == next_label
    assert period.title_phrase == title_phrase
    assert period.results_label == results_label
    assert period.in_period_text == label


#: SPEC §2: every period code of 2024 and its title phrase, written out by hand. The year is
#: said once only after "đầu năm" with both labels in one year; otherwise each label keeps it.
TITLES_2024 = {
    "3m": "3 tháng đầu năm; phương hướng, nhiệm vụ 9 tháng cuối năm 2024",
    "6m": "6 tháng đầu năm; phương hướng, nhiệm vụ 6 tháng cuối năm 2024",
    "9m": "9 tháng đầu năm; phương hướng, nhiệm vụ 3 tháng cuối năm 2024",
    "12m": "năm 2024; phương hướng, nhiệm vụ năm 2025",
    "q1": "quý I năm 2024; phương hướng, nhiệm vụ quý II năm 2024",
    "q2": "quý II năm 2024; phương hướng, nhiệm vụ quý III năm 2024",
    "q3": "quý III năm 2024; phương hướng, nhiệm vụ quý IV năm 2024",
    "q4": "quý IV năm 2024; phương hướng, nhiệm vụ quý I năm 2025",
    "t1": "tháng 01 năm 2024; phương hướng, nhiệm vụ tháng 02 năm 2024",
    "t2": "tháng 02 năm 2024; phương hướng, nhiệm vụ tháng 3 năm 2024",
    "t3": "tháng 3 năm 2024; phương hướng, nhiệm vụ tháng 4 năm 2024",
    "t4": "tháng 4 năm 2024; phương hướng, nhiệm vụ tháng 5 năm 2024",
    "t5": "tháng 5 năm 2024; phương hướng, nhiệm vụ tháng 6 năm 2024",
    "t6": "tháng 6 năm 2024; phương hướng, nhiệm vụ tháng 7 năm 2024",
    "t7": "tháng 7 năm 2024; phương hướng, nhiệm vụ tháng 8 năm 2024",
    "t8": "tháng 8 năm 2024; phương hướng, nhiệm vụ tháng 9 năm 2024",
    "t9": "tháng 9 năm 2024; phương hướng, nhiệm vụ tháng 10 năm 2024",
    "t10": "tháng 10 năm 2024; phương hướng, nhiệm vụ tháng 11 năm 2024",
    "t11": "tháng 11 năm 2024; phương hướng, nhiệm vụ tháng 12 năm 2024",
    "t12": "tháng 12 năm 2024; phương hướng, nhiệm vụ tháng 01 năm 2025",
}


@pytest.mark.parametrize(("code", "phrase"), TITLES_2024.items())
def test_title_phrase_of_every_code(code: str, phrase: str) -> None:
    assert parse_period(code, 2024).title_phrase == phrase


@given(years, st.sampled_from(list(TITLES_2024)))
def test_title_phrase_never_leaves_a_dangling_year_word(year: int, code: str) -> None:
    period = parse_period(code, year)
    first, _, second = period.title_phrase.partition("; phương hướng, nhiệm vụ ")
    assert second == period.next_label
    # "tháng 9 năm;" with no year after it: only "… đầu năm;" may end so
    assert first.endswith("đầu năm") or not first.endswith("năm"), first
    if period.label.endswith(f"đầu năm {year}"):
        assert first == period.label.removesuffix(f" {year}")
    else:
        assert first == period.label


def test_labels_do_not_depend_on_the_window() -> None:
    nd09 = parse_period("9m", 2024)
    calendar = parse_period("9m", 2024, window="calendar")
    assert (nd09.label, nd09.next_label) == (calendar.label, calendar.next_label)


def test_period_is_frozen() -> None:
    period = parse_period("9m", 2024)
    with pytest.raises(AttributeError):
        period.code = "6m"  # type: ignore[misc]
