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


EXPORT_FILE = "danh sách hồ sơ xuất từ hệ thống một cửa, không phải sổ của xã, phường"
"""Why a batch sets aside a per-dossier export found among its workbooks."""


@dataclass(frozen=True)
class NotAWorkbook:
    """A file among a batch's inputs that is no commune's workbook (a per-dossier export): set
    aside, listed with ``why``, never a failure."""

    why: str


Seen = UnitSeen | NotAWorkbook | None


def read_units(paths: Sequence[Path]) -> list[Seen]:
    """Pool task: the ThongTin of each workbook, or None when it cannot be read (the workbook
    then fails with its own errors when it is built); NotAWorkbook for a per-dossier export,
    which holds no ThongTin and is no commune's workbook."""
    from danvan_cli.reading import is_dossier_export, read_unit
    from danvan_cli.unit_identity import unit_title

    seen: list[Seen] = []
    for path in paths:
        try:
            info = read_unit(path)
            if info is None and is_dossier_export(path):
                seen.append(NotAWorkbook(EXPORT_FILE))
                continue
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
