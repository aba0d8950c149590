"""Comparison with the same period last year, "so với cùng kỳ" (SPEC §3, §4): whether last
year's workbook may serve, and the phrases that say how each key figure moved, in the words
of real reports: "tăng 12 lượt (22,6%) so với cùng kỳ năm 2023", "giảm 03 đơn (10,0%)",
"bằng cùng kỳ", "tăng 1,25 điểm phần trăm". Pure: no I/O."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Any

from danvan_cli.errors import InvalidWorkbookError
from danvan_cli.figures import (
    Figures,
    PreviousFigures,
    bare_unit_name,
    province_parts,
    unit_kind_label,
)
from danvan_cli.models import UnitInfo
from danvan_cli.unit_identity import identity_of
from danvan_cli.vietnamese import format_count, format_decimal, group_thousands

COMPARISON_ROLE = "Sổ so sánh (năm trước)"
"""How messages name last year's workbook."""

COMPARED: dict[str, dict[str, str]] = {
    "reception": {"visits": "lượt", "people": "người", "cases": "vụ việc", "groups": "đoàn"},
    "petitions": {"received": "đơn", "processed": "đơn", "eligible": "đơn"},
    "dossiers": {
        "carried_over": "hồ sơ",
        "received": "hồ sơ",
        "online": "hồ sơ",
        "direct": "hồ sơ",
        "postal": "hồ sơ",
        "resolved": "hồ sơ",
        "early": "hồ sơ",
        "on_time": "hồ sơ",
        "late": "hồ sơ",
        "open": "hồ sơ",
        "online_rate": "",
        "on_time_rate": "",
    },
}
"""The figures compared with last year (group -> key -> the counted thing's word); a rate has
no word: it moves in "điểm phần trăm"."""

# --- whether last year's workbook may serve --------------------------------------------------


def _title(info: UnitInfo) -> str:
    kind = unit_kind_label(info.kind)
    return f"{kind} {bare_unit_name(info.name, kind)} ({province_parts(info.province)[0]})"


def check_comparable(current: UnitInfo, year: int, previous: UnitInfo, path: Path) -> None:
    """Refuse last year's workbook at ``path`` when it is another unit's (unit_identity.py:
    spelling aside, tone marks count) or its ``Năm`` is not ``year - 1`` (``year``: the
    report's)."""
    name = path.name
    if identity_of(previous) != identity_of(current):
        raise InvalidWorkbookError(
            f"{COMPARISON_ROLE} «{name}» là sổ của {_title(previous)}, không phải của "
            f"{_title(current)}: cần sổ năm {year - 1} của chính đơn vị này."
        )
    if previous.year != year - 1:
        raise InvalidWorkbookError(
            f"{COMPARISON_ROLE} «{name}» là sổ năm {previous.year}, không phải năm trước của "
            f"năm báo cáo {year}: cần sổ năm {year - 1} của {_title(current)}."
        )


# --- phrases ---------------------------------------------------------------------------------


class Phrase(str):
    """How one figure moved, as the report says it. The text itself is the whole phrase,
    ``tăng 12 lượt (22,6%) so với cùng kỳ năm 2023`` (``bằng cùng kỳ năm 2023``), what a
    sentence's first comparison says; ``change`` is the phrase without the year,
    ``tăng 12 lượt (22,6%)`` (``bằng cùng kỳ``), for the comparisons after it. An empty
    phrase (no comparison, or a rate that either year cannot have) is false in a template's
    ``{% if %}``. ``previous``, ``difference`` and ``percent`` are the numbers behind it."""

    change: str
    previous: float | None
    difference: float | None
    percent: float | None

    def __new__(
        cls,
        text: str = "",
        change: str = "",
        previous: float | None = None,
        difference: float | None = None,
        percent: float | None = None,
    ) -> Phrase:
        phrase = super().__new__(cls, text)
        phrase.change = change
        phrase.previous = previous
        phrase.difference = difference
        phrase.percent = percent
        return phrase


EMPTY = Phrase()


def _percent_tenths(difference: int, previous: int) -> int:
    """``|difference| / previous × 100`` in tenths of a percent, rounded half up."""
    return math.floor(Fraction(abs(difference) * 1000, previous) + Fraction(1, 2))


def _tenths(tenths: int) -> str:
    """``226 -> "22,6"``, ``100 -> "10,0"``, ``12345 -> "1.234,5"``: always one decimal."""
    return f"{group_thousands(tenths // 10)},{tenths % 10}"


def count_phrase(
    current: int, previous: int, word: str, year: int, leading_zero: bool = True
) -> Phrase:
    """``tăng 12 lượt (22,6%) so với cùng kỳ năm 2023``; the percentage is left out when last
    year's figure is 0; ``bằng cùng kỳ năm 2023`` when nothing moved."""
    difference = current - previous
    if difference == 0:
        change = "bằng cùng kỳ"
        return Phrase(f"{change} năm {year}", change, previous, 0, 0.0 if previous else None)
    verb = "tăng" if difference > 0 else "giảm"
    change = f"{verb} {format_count(abs(difference), leading_zero)} {word}"
    percent = None
    if previous:
        tenths = _percent_tenths(difference, previous)
        percent = tenths / 10
        change += f" ({_tenths(tenths)}%)"
    return Phrase(f"{change} so với cùng kỳ năm {year}", change, previous, difference, percent)


def rate_phrase(current: float, previous: float, year: int) -> Phrase:
    """``tăng 1,25 điểm phần trăm so với cùng kỳ năm 2023`` (rates have 2 decimals)."""
    points = Fraction(str(current)) - Fraction(str(previous))
    if points == 0:
        change = "bằng cùng kỳ"
        return Phrase(f"{change} năm {year}", change, previous, 0.0)
    verb = "tăng" if points > 0 else "giảm"
    change = f"{verb} {format_decimal(float(abs(points)))} điểm phần trăm"
    return Phrase(f"{change} so với cùng kỳ năm {year}", change, previous, float(points))


def _has_rate(group: dict[str, Any], key: str) -> bool:
    """Whether the dossiers of one year give ``key`` a meaning (its divisor is not 0)."""
    return bool(group["received"] if key == "online_rate" else group["resolved"])


def phrases(
    current: dict[str, Any], previous: dict[str, Any], year: int, leading_zero: bool = True
) -> dict[str, dict[str, Phrase]]:
    """Every compared figure's phrase (``COMPARED``), out of two ``to_json_dict()``-shaped
    mappings holding ``reception``, ``petitions`` and ``dossiers``."""
    result: dict[str, dict[str, Phrase]] = {}
    for group, words in COMPARED.items():
        now, then = current[group], previous[group]
        result[group] = {}
        for key, word in words.items():
            if not word:  # a rate
                comparable = _has_rate(now, key) and _has_rate(then, key)
                phrase = rate_phrase(now[key], then[key], year) if comparable else EMPTY
            else:
                phrase = count_phrase(now[key], then[key], word, year, leading_zero)
            result[group][key] = phrase
    return result


def compare_context(figures: Figures, leading_zero: bool = True) -> dict[str, Any]:
    """The template's ``compare``: ``available``, ``year``, ``label`` ("cùng kỳ năm 2023") and
    a phrase for each figure of ``COMPARED`` (``compare.reception.visits``…); without last
    year's figures every phrase is empty and ``available`` false, so a template that prints
    them outside an ``{% if compare.available %}`` prints nothing."""
    previous: PreviousFigures | None = figures.previous
    if previous is None:
        empty = {group: dict.fromkeys(words, EMPTY) for group, words in COMPARED.items()}
        return {"available": False, "year": None, "label": "", **empty}
    data = figures.model_dump(mode="json", include={"reception", "petitions", "dossiers"})
    then = previous.model_dump(mode="json")
    return {
        "available": True,
        "year": previous.year,
        "label": f"cùng kỳ năm {previous.year}",
        **phrases(data, then, previous.year, leading_zero),
    }
