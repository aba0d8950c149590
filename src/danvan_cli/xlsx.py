"""Text taken from inputs, written into a workbook danvan makes: always a text cell, never a
formula (SPEC §6). openpyxl stores any string starting with "=" as a live formula, so a unit
name typed as ``=HYPERLINK("http://…","Hải Phòng")`` or an input file named ``=cmd|calc!A1.xlsx``
would run in the clerk's Excel. Every writer puts input text into cells through ``put_text``
(or ``put_value`` for a value that may be text)."""

from __future__ import annotations

import re
from typing import Any

MAX_CELL_TEXT = 32_767
"""The most characters an Excel cell holds."""
FORMULA_STARTS = ("=", "+", "-", "@")
"""What Excel reads as the start of a formula when a cell is typed or edited."""

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters XML 1.0 cannot carry (openpyxl refuses them)."""
_UNENCODABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")
"""Lone surrogates (a file name's undecodable bytes) and the two non-characters."""
_EITHER = re.compile(f"{_REFUSED.pattern}|{_UNENCODABLE.pattern}")


def clean_text(text: str) -> str:
    """``text`` as a workbook can hold it: without control characters, undecodable characters
    replaced by "�", cut to what one cell holds."""
    if _EITHER.search(text) is not None:  # rare: one search for the usual text
        text = _UNENCODABLE.sub("\ufffd", _REFUSED.sub("", text))
    return text[:MAX_CELL_TEXT]


def put_text(cell: Any, text: str) -> None:
    """Write ``text`` into the openpyxl ``cell`` as a literal text cell. A text that Excel
    would take for a formula once edited also gets the cell's quote prefix (the "'" Excel
    shows); a caller that later replaces the cell's whole style loses that mark, never the
    text type."""
    cell.value = clean_text(text)
    cell.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error value
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def put_value(cell: Any, value: object) -> None:
    """Write ``value`` into ``cell``: text through ``put_text``, anything else as it is."""
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
