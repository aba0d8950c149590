"""Vietnamese text, number and date helpers: folding for matching, parsing what clerks type,
and formatting figures the way official reports write them (7.506 · 7,02 · 64,38% · 03)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from functools import lru_cache

EXCEL_EPOCH = dt.date(1899, 12, 30)
"""Day 0 of Excel's serial dates in the 1900 date system (every workbook but a few)."""
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
"""Day 0 of the 1904 date system (``<workbookPr date1904="1"/>``, old Mac Excel)."""
_LAST_DAY = dt.date(9999, 12, 31)  # Excel's last day: serial 2958465 (1900), 2957003 (1904)
_FOLD_DROP = re.compile(r"[^a-z0-9]+")


def strip_marks(text: str) -> str:
    """Letters without their marks: ``Đồng Hới`` -> ``Dong Hoi`` (NFKD, so ``²`` -> ``2``)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Key for matching names: no case, diacritics, spaces, underscores or punctuation.

    ``fold("Tiếp công dân") == fold("tiep_cong_dan") == fold("TIEP CONG DAN")``; NFC and NFD
    spellings fold alike.
    """
    # strip_marks but for its last step: the marks NFKD splits off are no ASCII letter, so
    # _FOLD_DROP drops them with the spaces and punctuation (a column may hold 100.000
    # distinct values, each folded once).
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return _FOLD_DROP.sub("", decomposed.casefold())


def code_key(code: str | None) -> str:
    """A code (Mã vụ việc, Mã hồ sơ) as matched: case and every space ignored, so that
    ``"vv 01"`` and ``"VV01"`` are one code, ``"000.00.19.h29 - 240305"`` and
    ``"000.00.19.H29-240305"`` another; "" when blank."""
    return "".join((code or "").split()).casefold()


# --- parsing -------------------------------------------------------------------------------

_DATE_TEXT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
_ISO_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?\s*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DIGITS = re.compile(r"^\d+$")
_INTEGRAL_DECIMAL = re.compile(r"^(\d+)[.,]0+$")
_FRACTION = re.compile(r"^\d+[.,]\d+$")


class ParseError(ValueError):
    """A cell value that cannot be read as the column's type; the message is Vietnamese."""


def parse_date(value: object, epoch: dt.date = EXCEL_EPOCH) -> dt.date:
    """A date as clerks type it: a date cell, an Excel serial, ``14/9/2024``, ``14-9-2024``,
    ``14.09.2024`` or ``2024-09-14``. Day first, always. A serial counts days from ``epoch``,
    the workbook's day 0 (``Workbook.epoch``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ParseError("không phải ngày")
    if isinstance(value, int | float):
        finite = not isinstance(value, float) or math.isfinite(value)  # a cell can hold NaN
        if not finite or value != int(value) or not 1 <= value <= (_LAST_DAY - epoch).days:
            raise ParseError("số sê-ri ngày của Excel không hợp lệ")
        return epoch + dt.timedelta(days=int(value))
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_TEXT.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
        else:
            iso = _ISO_TEXT.match(text)
            if not iso:
                raise ParseError(
                    "không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ 14/9/2024)"
                )
            year, month, day = (int(g) for g in iso.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ParseError(
                "không phải ngày có thật (ngày viết trước tháng, ví dụ 14/9/2024)"
            ) from None
    raise ParseError("không phải ngày")


_TIME = r"\d{1,2}\s*[:hH]\s*\d{2}(?:\s*:\s*\d{2}(?:[.,]\d+)?)?(?:\s*(?:SA|CH|AM|PM))?"
_TIME_AFTER = re.compile(rf"^(.*?\d)\s*(?:,|\s)\s*(?:lúc\s*)?{_TIME}\s*$", re.IGNORECASE)
_TIME_BEFORE = re.compile(rf"^\s*{_TIME}\s*(?:,|\s)\s*(?:ngày\s*)?(\d.*)$", re.IGNORECASE)
_ISO_STAMP = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*$")


def parse_timestamp(value: object, epoch: dt.date = EXCEL_EPOCH) -> dt.date:
    """The day of a date that may carry a time, as the one-stop-shop system exports it: a
    date cell with a time, a serial number with a fraction of a day, text
    ``04/03/2025 09:15``, ``09:15 04/03/2025``, ``04/03/2025 9h15`` or
    ``2025-03-04T09:15:00``; every form of ``parse_date`` too. The time is ignored."""
    if isinstance(value, float) and math.isfinite(value) and value >= 1:
        value = math.floor(value)
    elif isinstance(value, str):
        text = value.strip()
        stamp = _ISO_STAMP.match(text)
        if stamp is not None:
            value = stamp.group(1)
        else:
            found = _TIME_AFTER.match(text) or _TIME_BEFORE.match(text)
            if found is not None:
                value = found.group(1)
    return parse_date(value, epoch)


def parse_integer(value: object) -> int:
    """A whole number as clerks type it: ``12``, ``12.0``, text ``1.234`` (dot groups
    thousands), ``-2``. Its range (a count is never negative, Số người is at least 1) is the
    row model's to enforce, not the parser's."""
    if isinstance(value, bool):
        raise ParseError("không phải số")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError("không phải số")
        if not value.is_integer():
            raise ParseError("phải là số nguyên, không có phần thập phân")
        return int(value)
    if not isinstance(value, str):
        raise ParseError("không phải số")
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    negative = text.startswith("-")
    body = text[1:] if negative else text
    if _DIGITS.match(body):
        number = int(body)
    elif _THOUSANDS.match(body):
        number = int(body.replace(".", ""))
    elif (integral := _INTEGRAL_DECIMAL.match(body)) is not None:
        number = int(integral.group(1))
    elif _FRACTION.match(body):
        raise ParseError("phải là số nguyên, không có phần thập phân")
    else:
        raise ParseError("không phải số")
    return -number if negative else number


def parse_decimal(value: object) -> float:
    """A decimal: ``7.02`` as a number, text ``7,02`` (comma = decimal point); its range is the
    row model's to enforce."""
    if isinstance(value, bool):
        raise ParseError("không phải số")
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond any float
            raise ParseError("không phải số") from None
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(text.lstrip("-")):
            text = text.replace(".", "")
        try:
            number = float(text)
        except ValueError:
            raise ParseError("không phải số (số thập phân viết với dấu phẩy, ví dụ 7,02)") from None
    else:
        raise ParseError("không phải số")
    if number != number or number in (float("inf"), float("-inf")):
        raise ParseError("không phải số")
    return number


_TRUE = {fold(w) for w in ("có", "x", "1", "true", "đúng", "yes", "rồi", "đã")}
_FALSE = {fold(w) for w in ("không", "0", "false", "sai", "no", "")}


def parse_bool(value: object) -> bool:
    """Yes/no: ``Có/Không``, ``x``/blank, ``1/0``, ``TRUE/FALSE``."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = fold(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ParseError("chỉ nhận Có/Không (hoặc x để trống, 1/0)")


def split_recipients(text: str) -> tuple[str, ...]:
    """One recipient a line or ``;``-separated; list marks, end punctuation and «Lưu: VT» are
    dropped (the template adds them)."""
    parts = [p for line in text.replace("\r", "\n").split("\n") for p in line.split(";")]
    out: list[str] = []
    for part in parts:
        item = part.strip().lstrip("-–•+*").strip().rstrip(";.,").strip()
        if item and fold(item) not in {"luuvt", "luu", "luuvanthu"}:
            out.append(item)
    return tuple(out)


# --- formatting ----------------------------------------------------------------------------


def group_thousands(number: int) -> str:
    """``7506 -> "7.506"``."""
    sign = "-" if number < 0 else ""
    return sign + f"{abs(number):,}".replace(",", ".")


def format_decimal(number: float, places: int = 2) -> str:
    """``7.02 -> "7,02"``, ``1069.0 -> "1.069"``; trailing zeros dropped."""
    text = f"{number:,.{places}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def format_percent(number: float) -> str:
    """``64.38 -> "64,38%"``."""
    return format_decimal(number) + "%"


def format_count(number: int, leading_zero: bool = True) -> str:
    """Counts as the seed writes them: 1–9 with a leading zero (``03``), others grouped."""
    if leading_zero and 1 <= number <= 9:
        return f"0{number}"
    return group_thousands(number)


def format_date(day: dt.date) -> str:
    """A date in running text, Nghị định 30 style: ``22/02/2024``, ``13/3/2024``, ``05/9/2016``."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def date_line(day: dt.date) -> str:
    """``ngày 05 tháng 02 năm 2025`` (day < 10 and months 1–2 take a leading zero)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


_ROMAN = ("I", "II", "III", "IV")


def roman(number: int) -> str:
    """Quarter numbers: 1 -> I … 4 -> IV."""
    return _ROMAN[number - 1]


def upper_vi(text: str) -> str:
    """Upper case that keeps Vietnamese letters whole (NFC)."""
    return unicodedata.normalize("NFC", text).upper()


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
