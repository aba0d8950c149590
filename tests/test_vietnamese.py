"""Folding for matching, parsing what clerks type, and formatting figures Vietnamese-style."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danvan_cli.vietnamese import (
    ParseError,
    column_letter,
    date_line,
    fold,
    format_count,
    format_date,
    format_decimal,
    format_percent,
    group_thousands,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_integer,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- fold ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Tiếp công dân", "TiepCongDan"),
        ("Tiếp công dân", "tiep cong dan"),
        ("Tiếp công dân", "tiep_cong_dan"),
        ("Tiếp công dân", "TIẾP CÔNG DÂN"),
        ("Tiếp công dân", "  Tiếp   công dân "),
        ("Tiếp công dân", nfd("Tiếp công dân")),
        ("Ngày tiếp", "Ngay tiep"),
        ("Số người", "SO NGUOI"),
        ("Hình thức tiếp", "hinh_thuc_tiep"),
        ("Đơn thư", "don thu"),
        ("ĐỊNH KỲ", "dinh ky"),
        ("Đủ điều kiện xử lý", nfd("đủ điều kiện xử lý")),
        ("Ủy quyền", "Uỷ quyền"),  # old and new accent placement
    ],
)
def test_fold_equal(left: str, right: str) -> None:
    assert fold(left) == fold(right)


def test_fold_values() -> None:
    assert fold("Đ") == fold("đ") == "d"
    assert fold("Tiếp công dân") == "tiepcongdan"
    assert fold(nfd("Số CCCD")) == "socccd"


@pytest.mark.parametrize(
    ("left", "right"),
    [("Ngày tiếp", "Ngày nhận"), ("Trực tuyến", "Trực tiếp"), ("Khiếu nại", "Kiến nghị")],
)
def test_fold_keeps_different_names_apart(left: str, right: str) -> None:
    assert fold(left) != fold(right)


# --- parse_date ----------------------------------------------------------------------------

SEPT_14 = dt.date(2024, 9, 14)


@pytest.mark.parametrize(
    "value",
    [
        SEPT_14,
        dt.datetime(2024, 9, 14, 8, 30),
        45549,  # Excel serial number
        45549.0,
        "14/9/2024",
        "14/09/2024",
        "14-9-2024",
        "14.09.2024",
        "2024-09-14",
        " 14/9/2024 ",
    ],
)
def test_parse_date_accepts(value: object) -> None:
    assert parse_date(value) == SEPT_14


def test_parse_date_is_day_first() -> None:
    assert parse_date("3/2/2024") == dt.date(2024, 2, 3)


@pytest.mark.parametrize(
    "value", ["13/25/2024", "abc", "31/2/2024", "", "14/9/24", 45549.5, -3, True]
)
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(ParseError):
        parse_date(value)


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_parse_date_roundtrips_every_form(day: dt.date) -> None:
    d, m, y = day.day, day.month, day.year
    for text in (
        f"{d}/{m}/{y}",
        f"{d:02d}/{m:02d}/{y}",
        f"{d}-{m}-{y}",
        f"{d:02d}.{m:02d}.{y}",
        day.isoformat(),
    ):
        assert parse_date(text) == day, text


# --- parse_integer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("1.234", 1234),
        ("12.0", 12),
        (0, 0),
        ("7.506", 7506),
        # the sign is read; that a count is never negative is the row model's rule
        (-1, -1),
        ("-1.234", -1234),
    ],
)
def test_parse_integer_accepts(value: object, expected: int) -> None:
    assert parse_integer(value) == expected


@pytest.mark.parametrize("value", ["2,5", 2.5, "abc", "", True, None, "1.2.3", float("nan")])
def test_parse_integer_rejects(value: object) -> None:
    with pytest.raises(ParseError):
        parse_integer(value)


def test_parse_integer_messages_say_what_is_wrong() -> None:
    with pytest.raises(ParseError, match="không có phần thập phân"):
        parse_integer("2,5")
    with pytest.raises(ParseError, match="không phải số"):
        parse_integer("abc")


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_parse_integer_roundtrips(number: int) -> None:
    assert parse_integer(group_thousands(number)) == number
    assert parse_integer(str(number)) == number


# --- parse_decimal -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7.02, 7.02), ("7,02", 7.02), ("1.234,5", 1234.5), (7, 7.0), ("7", 7.0), ("7.506", 7506)],
)
def test_parse_decimal_accepts(value: object, expected: float) -> None:
    assert parse_decimal(value) == pytest.approx(expected)


def test_parse_decimal_reads_the_sign() -> None:
    assert parse_decimal("-7,02") == pytest.approx(-7.02)  # the model refuses negatives


@pytest.mark.parametrize("value", ["abc", "7,0,2", True, None, float("inf")])
def test_parse_decimal_rejects(value: object) -> None:
    with pytest.raises(ParseError):
        parse_decimal(value)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_decimal_roundtrips(hundredths: int) -> None:
    number = hundredths / 100
    assert parse_decimal(format_decimal(number)) == pytest.approx(number, rel=1e-12, abs=1e-9)


# --- parse_bool ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Có", "có", "CÓ", nfd("Có"), "x", "X", 1, 1.0, "1", True, "TRUE", "true"]
)
def test_parse_bool_yes(value: object) -> None:
    assert parse_bool(value) is True


@pytest.mark.parametrize(
    "value", ["Không", "không", "KHÔNG", "", "  ", None, 0, 0.0, "0", False, "FALSE", "false"]
)
def test_parse_bool_no(value: object) -> None:
    assert parse_bool(value) is False


@pytest.mark.parametrize("value", ["chưa", "abc", 2, "xx"])
def test_parse_bool_rejects(value: object) -> None:
    with pytest.raises(ParseError):
        parse_bool(value)


# --- formatting ----------------------------------------------------------------------------


def test_numbers() -> None:
    assert group_thousands(7506) == "7.506"
    assert group_thousands(1234567) == "1.234.567"
    assert group_thousands(0) == "0"
    assert format_decimal(7.02) == "7,02"
    assert format_decimal(1069.0) == "1.069"
    assert format_decimal(1234.5) == "1.234,5"
    assert format_percent(64.38) == "64,38%"
    assert format_percent(100.0) == "100%"


@pytest.mark.parametrize(
    ("number", "expected"),
    [(3, "03"), (9, "09"), (0, "0"), (10, "10"), (12, "12"), (7506, "7.506")],
)
def test_format_count(number: int, expected: str) -> None:
    assert format_count(number) == expected


def test_format_count_without_leading_zero() -> None:
    assert format_count(3, leading_zero=False) == "3"
    assert format_count(0, leading_zero=False) == "0"
    assert format_count(7506, leading_zero=False) == "7.506"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 2, 22), "22/02/2024"),
        (dt.date(2024, 3, 13), "13/3/2024"),
        (dt.date(2016, 9, 5), "05/9/2016"),
        (dt.date(2024, 1, 3), "03/01/2024"),
        (dt.date(2024, 12, 31), "31/12/2024"),
    ],
)
def test_format_date(day: dt.date, expected: str) -> None:
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 2, 5), "ngày 05 tháng 02 năm 2025"),
        (dt.date(2024, 9, 20), "ngày 20 tháng 9 năm 2024"),
        (dt.date(2024, 10, 1), "ngày 01 tháng 10 năm 2024"),
    ],
)
def test_date_line(day: dt.date, expected: str) -> None:
    assert date_line(day) == expected


@given(st.dates(min_value=dt.date(1000, 1, 1)))
def test_formatted_dates_read_back(day: dt.date) -> None:
    assert parse_date(format_date(day)) == day


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA")])
def test_column_letter(index: int, letters: str) -> None:
    assert column_letter(index) == letters
