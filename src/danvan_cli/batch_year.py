"""One batch, one year (SPEC §5 ``danvan batch``, §6 "never silently wrong"): a summary never
adds one year's figures to another's. The year is ``--year`` when given, else the year most
workbooks hold (the latest on a tie), decided before any report is built from each workbook's
ThongTin alone, so that neither file order nor which workbook finishes first can change it. A
workbook of another year gets no report, stays out of the totals and is listed as such, with
how to build it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class UnitSeen:
    """What a workbook's ThongTin says, read before the batch: no personal data."""

    year: int
    unit: str  # "Xã Tân Hưng"
    province: str


def read_units(paths: Sequence[Path]) -> list[UnitSeen | None]:
    """Pool task: the ThongTin of each workbook, or None when it cannot be read (the workbook
    then fails with its own errors when it is built)."""
    from danvan_cli.reading import read_unit
    from danvan_cli.unit_identity import unit_title

    seen: list[UnitSeen | None] = []
    for path in paths:
        try:
            info = read_unit(path)
        except Exception:  # a hostile file: it fails again, said properly, when built
            info = None
        if info is None:
            seen.append(None)
        else:
            seen.append(UnitSeen(info.year, unit_title(info.name, info.kind), info.province))
    return seen


def batch_year(years: Iterable[int], asked: int | None) -> int | None:
    """The batch's year: ``asked`` (``--year``), else the year most workbooks hold, the latest
    on a tie; None when no workbook's year could be read."""
    if asked is not None:
        return asked
    counts = Counter(years)
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))


def other_year_reason(book_year: int, year: int) -> str:
    """Why a workbook of ``book_year`` has no report in a batch of ``year``."""
    return (
        f"Sổ năm {book_year}, khác năm của lần lập này ({year}): không lập báo cáo, không cộng "
        f"vào tổng. Muốn lập báo cáo năm {book_year} cho sổ này, chạy lại với --year {book_year}."
    )
