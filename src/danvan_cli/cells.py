"""One cell as clerks type it: its typed value for the column (``14/9/2024`` -> a date,
``1.234`` -> 1234, ``khieu nai`` -> ``khieu_nai``), or what is wrong with it in Vietnamese.

A message quotes a cell's value only when it cannot be personal data (SPEC §6): a short run of
digits with date or number punctuation, or a near miss of a listed choice. Anything else is
described ("ô có chữ, không phải ngày"), never repeated: a shifted paste puts names and ID
numbers into any column."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic_core import ErrorDetails

from danvan_cli.schema import MAX_YEAR, MIN_YEAR, Column, Kind, Sheet
from danvan_cli.vietnamese import (
    EXCEL_EPOCH,
    ParseError,
    fold,
    format_decimal,
    group_thousands,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_timestamp,
)
from danvan_cli.workbook import is_blank

ERROR_CODES = {
    Kind.DATE: "bad-date",
    Kind.COUNT: "bad-number",
    Kind.DECIMAL: "bad-decimal",
    Kind.CHOICE: "bad-choice",
    Kind.BOOL: "bad-bool",
    Kind.YEAR: "bad-year",
    Kind.MONTH: "bad-month",
}

BAD: Any = object()
"""A cell that is wrong (its issue is recorded); its row is left out."""
BLANK: Any = object()
"""A blank cell of an optional column."""

Verdict = tuple[Any, str | None, str | None]
"""(typed value, None, None), (BLANK, None, None) or (BAD, issue code, message)."""


def text_of(value: object) -> str:
    """A cell as text: ``12.0`` -> ``12``, a date cell -> ``14/09/2024``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def number_text(value: float) -> str:
    """A number as a Vietnamese clerk writes it: ``-1.234``, ``7,02``."""
    if isinstance(value, int) or value.is_integer():
        return group_thousands(int(value))
    return format_decimal(value, places=6)


def parse_cell(column: Column, value: object) -> Any:
    """The typed value of a non-blank cell for ``column``; raises ParseError when the cell
    cannot be read as the column's type. Ranges are not checked here: they are the row
    model's constraints."""
    kind = column.kind
    if kind is Kind.TEXT:
        return text_of(value)
    if kind is Kind.DATE:
        return parse_timestamp(value) if column.timestamp else parse_date(value)
    if kind in (Kind.COUNT, Kind.YEAR, Kind.MONTH):
        return parse_integer(value)
    if kind is Kind.DECIMAL:
        return parse_decimal(value)
    if kind is Kind.BOOL:
        return parse_bool(value)
    choice = column.choice_index.get(fold(text_of(value)))
    if choice is None:
        raise ParseError(_not_listed(column))
    return choice.key


_fold = fold.__wrapped__


def _not_listed(column: Column) -> str:
    return "không có trong danh sách: " + ", ".join(column.choice_labels)


def converter(column: Column, epoch: dt.date = EXCEL_EPOCH) -> Callable[[object], Any]:
    """A fast parser for one column's non-blank cells (the common cell types first); agrees
    with ``parse_cell``. A serial number in a date column counts days from ``epoch`` (the
    workbook's, ``Workbook.epoch``)."""
    kind = column.kind
    if kind is Kind.TEXT:
        return lambda raw: raw.strip() if type(raw) is str else text_of(raw)
    if kind is Kind.DATE:
        parse = parse_timestamp if column.timestamp else parse_date
        return lambda raw: raw if type(raw) is dt.date else parse(raw, epoch)
    if kind is Kind.COUNT:

        def count(raw: object) -> int:
            if type(raw) is float and raw.is_integer():
                return int(raw)
            return parse_integer(raw)

        return count
    if kind is Kind.CHOICE:  # why a value is not listed is worded once, not once a value
        index, not_listed = column.choice_index, _not_listed(column)

        def choose(raw: object) -> Any:
            # Each distinct value comes here once: fold's cache would only churn.
            choice = index.get(_fold(raw if type(raw) is str else text_of(raw)))
            if choice is None:
                raise ParseError(not_listed)
            return choice.key

        return choose
    return lambda raw: parse_cell(column, raw)


def judge(
    column: Column, convert: Callable[[object], Any], raw: object, explain: bool = True
) -> Verdict:
    """The verdict on one non-formula cell of ``column``; pure, so a column can share one
    verdict per distinct value. With ``explain`` false, a wrong value's verdict holds only
    why it is wrong (its message, which may quote it, is built by ``explain`` when needed)."""
    if is_blank(raw):
        if column.kind is Kind.BOOL:
            return False, None, None
        if column.required:
            return BAD, "required", _required(column) if explain else None
        return BLANK, None, None
    try:
        return convert(raw), None, None
    except ParseError as err:
        code = ERROR_CODES.get(column.kind, "bad-number")
        return BAD, code, wrong(column, raw, str(err)) if explain else str(err)


def explain(column: Column, raw: object, code: str, why: str | None) -> str:
    """The message of a wrong cell judged with ``explain=False``."""
    if code == "required":
        return _required(column)
    return wrong(column, raw, why or "")


def _required(column: Column) -> str:
    return f"Cột «{column.title}» bắt buộc nhưng ô để trống."


# --- quoting a value, or describing it -------------------------------------------------------

MAX_QUOTED_DIGITS = 8
"""A date (14/09/2024) has 8 digits; a phone number has 10, an ID number 9 or 12: longer runs
of digits are described, never quoted."""
_NUMBER_LIKE = re.compile(r"^[+-]?[\d\s.,/:\-]*\d[\d\s.,/:\-]*$")
_DATE_LIKE = re.compile(
    r"^\s*\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}"
    r"(?:[\sT]+\d{1,2}\s*[:hg]\s*\d{1,2}(?:\s*:\s*\d{1,2})?)?\s*$"
)
"""A day, maybe with a time (``31/02/2024 08:00``): its shape is no ID or phone number's, so
it may be quoted whatever its count of digits."""
NEAR_MISS = 0.75
"""How alike a typed value and a listed choice must be (difflib ratio, folded) to be a near
miss that may be quoted back."""
LABEL_NEAR_MISS = 0.8
"""How alike a header (or a ThongTin item) and a column's title or alias must be to be quoted
back: a typo (``Lĩnh vự``, ``Mã vụ việcc``) is far above it, a person's name that happens to
share letters with a title (``Nguyễn Tiếp`` and ``Ngày tiếp``, 0,78) below."""


def quotable(column: Column, value: object) -> str | None:
    """``value`` as text when it cannot be personal data, else None."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date | dt.time):
        return text_of(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int | float) and column.kind not in (Kind.YEAR, Kind.MONTH):
        text = number_text(value)
    else:
        text = text_of(value)
    if number_like(text):
        return text
    if len(text) <= 40 and _NUMBER_LIKE.match(text):
        return None  # too many digits: an ID or phone number, maybe
    if column.kind is Kind.CHOICE and near_miss(column, text) is not None:
        return text
    return None


def number_like(text: str) -> bool:
    """Digits with date or number punctuation, short enough not to be an ID or phone number
    (a date with a time may have more digits): text that may be quoted."""
    if len(text) > 40 or not _NUMBER_LIKE.match(text):
        return False
    return sum(ch.isdigit() for ch in text) <= MAX_QUOTED_DIGITS or bool(_DATE_LIKE.match(text))


Names = tuple[tuple[str, str], ...]
"""(the name to suggest, one spelling of it) pairs a typed text may be a near miss of: each
choice's label, or each column's title with its title and each of its aliases."""


def near_miss(column: Column, text: str) -> str | None:
    """The listed choice ``text`` was most likely meant to be, when it is close enough."""
    return closest(text, _choice_names(column))


def closest(text: str, names: Names, least: float = NEAR_MISS) -> str | None:
    """The name of ``names`` that ``text`` was most likely meant to be, when one is close
    enough (a ratio of at least ``least``, folded: case, marks, spaces and punctuation
    aside)."""
    key = fold(text)
    if not key or len(key) > 40:
        return None
    best, score = None, 0.0
    letters = set(key)
    for name, folded, folded_letters, matcher in _matchers(names):
        # Cheap upper bounds of the ratio first (no letter in common, lengths too far apart,
        # too few letters in common): a column of garbage is ruled out before the costly
        # ratio, and each name's matcher is built once.
        bound = max(score, least)
        if letters.isdisjoint(folded_letters):
            continue
        if 2 * min(len(key), len(folded)) / (len(key) + len(folded)) < bound:
            continue
        matcher.set_seq1(key)
        if matcher.quick_ratio() < bound:
            continue
        ratio = matcher.ratio()
        if ratio > score:
            best, score = name, ratio
    return best if score >= least else None


@functools.cache
def _choice_names(column: Column) -> Names:
    return tuple((choice.label, choice.label) for choice in column.choices)


@functools.cache
def column_names(sheet: Sheet) -> Names:
    """Each column's title and aliases, to suggest the title a header (or a ThongTin item)
    was likely meant to be."""
    return tuple(
        (column.title, name) for column in sheet.columns for name in (column.title, *column.aliases)
    )


@functools.cache
def _matchers(
    names: Names,
) -> tuple[tuple[str, str, frozenset[str], difflib.SequenceMatcher[str]], ...]:
    """Each name folded, its letters, and a matcher holding it as the second sequence (whose
    index difflib builds once: only the typed text changes from one call to the next)."""
    matchers = []
    for name, spelling in names:
        folded = fold(spelling)
        if folded:
            matcher = difflib.SequenceMatcher(None, "", folded)
            matchers.append((name, folded, frozenset(folded), matcher))
    return tuple(matchers)


def describe(value: object) -> str:
    """What a cell holds, without repeating it."""
    if isinstance(value, int | float):
        return "Ô có một số rất dài"
    text = text_of(value)
    if any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
        return "Ô có một dãy số dài"
    return "Ô có chữ"


def wrong(column: Column, value: object, reason: str) -> str:
    """A message about a wrong cell: ``Giá trị «13/25/2024» không phải ngày có thật.`` or,
    when the value might be personal data, ``Ô có chữ, không phải số.``"""
    shown = quotable(column, value)
    if column.kind is Kind.CHOICE and shown is not None:
        meant = near_miss(column, shown)
        if meant is not None:
            return f"Giá trị «{shown}» {reason}; có phải «{meant}»?"
    if shown is not None:
        return f"Giá trị «{shown}» {reason}."
    return f"{describe(value)}, {reason}."


def shown_number(text: str, unit: str) -> str:
    """A number from a cell as the report writes it (``text``) with its ``unit``, for a
    message: ``6.000.000 người`` when it may be quoted, else described by its count of digits
    (a phone or ID number pasted into a number cell is never repeated, SPEC §6)."""
    if number_like(text):
        return f"{text} {unit}"
    return f"một số có {sum(ch.isdigit() for ch in text)} chữ số"


def unknown_label(noun: str, value: object, ref: str, names: Names) -> str:
    """The message about a header (``noun`` "Cột") or a ThongTin item ("Mục") that is not the
    template's, at ``ref``. A label is quoted only when it cannot be personal data (SPEC §6):
    a near miss of a known name (which is suggested), or short number-like text; any other is
    pointed at by its cell: a shifted paste puts names into a header row too."""
    text = text_of(value)
    shown = text if len(text) <= 40 else text[:37] + "…"
    meant = closest(text, names, LABEL_NEAR_MISS)
    if meant is not None and fold(text) in {fold(spelling) for _, spelling in names}:
        return f"{noun} «{shown}» trùng tên với một {noun.lower()} trước, bị bỏ qua."
    if meant is not None:
        return f"{noun} «{shown}» không có trong mẫu, bị bỏ qua; có phải «{meant}»?"
    if number_like(text):
        return f"{noun} «{text}» không có trong mẫu, bị bỏ qua."
    return f"{noun} ở ô {ref} không có trong mẫu, bị bỏ qua."


# --- pydantic's verdict on a row, in Vietnamese ----------------------------------------------


def _bound(value: object) -> str:
    """A constraint's bound as the report writes numbers: ``10.000``."""
    return number_text(value) if isinstance(value, int | float) else str(value)


def constraint_issue(column: Column, error: ErrorDetails) -> tuple[str, Callable[[], str]]:
    """(issue code, what words its message) for a pydantic error on ``column``'s value: the
    message is worded only when it is shown (it may look for a near miss)."""
    kind = error.get("type", "")
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    bound = context.get("ge", context.get("le", context.get("max_length")))
    code = ERROR_CODES.get(column.kind, "bad-number")
    numeric = column.kind in (Kind.COUNT, Kind.DECIMAL)
    if column.kind in (Kind.YEAR, Kind.MONTH):
        pass
    elif numeric and kind in ("greater_than_equal", "less_than_equal"):
        negative = bound == 0 and isinstance(value, int | float) and value < 0
        code = code if kind == "greater_than_equal" and negative else "out-of-range"
    elif kind == "missing":
        code = "required"
    elif kind == "string_too_long":
        code = "text-too-long"
    return code, functools.partial(constraint_message, column, kind, bound, value)


def constraint_message(column: Column, kind: str, bound: object, value: object) -> str:
    """The message of a pydantic error of type ``kind`` (its bound, if any) on ``value``."""
    if column.kind is Kind.YEAR:
        years = f"từ {MIN_YEAR} đến {MAX_YEAR}"
        return wrong(column, value, f"không phải năm hợp lệ ({years}, ví dụ 2024)")
    if column.kind is Kind.MONTH:
        return wrong(column, value, "không phải tháng (từ 1 đến 12)")
    numeric = column.kind in (Kind.COUNT, Kind.DECIMAL)
    if kind == "greater_than_equal" and numeric:
        if bound == 0 and isinstance(value, int | float) and value < 0:
            return wrong(column, value, "không được là số âm")
        low = _bound(bound)
        return wrong(column, value, f"nhỏ hơn {low}: «{column.title}» phải từ {low} trở lên")
    if kind == "less_than_equal" and numeric:
        high = _bound(bound)
        return wrong(
            column,
            value,
            f"lớn hơn {high}: «{column.title}» phải không quá {high} (có thể dán nhầm cột)",
        )
    if kind == "missing":
        return _required(column)
    if kind == "string_too_long":  # described, never quoted: it may be anything
        return (
            f"Ô có {group_thousands(len(text_of(value)))} ký tự, quá dài cho «{column.title}» "
            f"(tối đa {bound} ký tự)."
        )
    return wrong(column, value, f"không hợp lệ cho cột «{column.title}»")
