"""Checks on the workbook's sheets as a whole, before any cell is read (SPEC §6, "never
silently wrong"): two sheets of one folded name, a known sheet missing, a sheet danvan does
not know. ``open_workbook`` gathers the facts; this module words them."""

from __future__ import annotations

from collections.abc import Sequence

from danvan_cli.checks import Report
from danvan_cli.schema import GUIDE_TITLE, SHEETS
from danvan_cli.vietnamese import fold
from danvan_cli.workbook import Table, Workbook

SHEET_NOUNS: dict[str, str] = {
    "thong_tin": "trang thông tin chung",
    "tiep_cong_dan": "sổ tiếp công dân",
    "don_thu": "sổ đơn thư",
    "mot_cua": "số liệu hồ sơ một cửa",
    "ho_so": "danh sách hồ sơ một cửa",
    "thu_tuc": "danh mục thủ tục hành chính",
    "van_ban": "danh sách văn bản",
    "mo_hinh": "danh sách mô hình «Dân vận khéo»",
    "noi_dung": "lời văn của đơn vị",
}
"""What each sheet is, in words a clerk uses."""

_ABSENT: dict[str, str] = {
    "tiep_cong_dan": "số liệu tiếp công dân tính bằng 0",
    "don_thu": "số liệu đơn thư tính bằng 0",
    "mot_cua": "số liệu hồ sơ một cửa tính bằng 0",
    "thu_tuc": "số thủ tục hành chính tính bằng 0",
    "van_ban": "báo cáo không dẫn văn bản nào",
    "mo_hinh": "báo cáo không nêu mô hình nào",
    "noi_dung": "mọi mục của báo cáo dùng lời văn mặc định của mẫu",
}
"""What the report says when the sheet is missing (SPEC §1: nothing of that kind). A sheet
not listed here (ThongTin, whose absence is an error) is never warned about as missing."""


def check_sheets(book: Workbook, report: Report, dossier_list: bool = False) -> None:
    """Sheets of one folded name (an error when several hold data, else a warning naming the
    one read), known sheets missing and sheets of no known name (warnings). With a
    ``dossier_list`` (``--ho-so`` exports) a missing MotCua is no news: it is not used."""
    check_twins(book, report)
    for sheet in SHEETS:
        consequence = _ABSENT.get(sheet.key)
        if dossier_list and sheet.key == "mot_cua":
            continue
        if consequence is not None and sheet.key not in book.tables:
            report.add(
                "absent-sheet",
                f"Sổ không có trang «{sheet.title}» ({SHEET_NOUNS[sheet.key]}): {consequence}.",
                sheet.title,
            )
    for name in book.unknown_sheets:
        if fold(name) != fold(GUIDE_TITLE):
            report.add("unknown-sheet", f"Trang «{name}» không có trong mẫu, bị bỏ qua.", name)


def check_twins(book: Workbook, report: Report) -> None:
    """Sheets of one kind (of one folded name in a workbook; holding the per-dossier table in
    an export file): an error when several hold data, else a warning naming the one read."""
    for key, twins in book.twins.items():
        read = book.tables[key]
        _twins(report, SHEET_NOUNS.get(key, f"trang {read.spec.title} của mẫu"), read, twins)


def _twins(report: Report, noun: str, read: Table, twins: list[Table]) -> None:
    holding = [table for table in twins if table.has_data]
    if len(holding) > 1:
        report.add(
            "duplicate-sheet",
            f"{_count(holding)} trang {_names(holding)} cùng là {noun} và đều có dữ liệu: "
            "danvan không biết đọc trang nào.",
            holding[0].name,
        )
        return
    reason = "trang có dữ liệu" if read.has_data else "trang đầu; không trang nào có dữ liệu"
    skipped = [table for table in twins if table is not read]
    report.add(
        "twin-sheet",
        f"{_count(twins)} trang {_names(twins)} cùng là {noun}; danvan đọc trang "
        f"«{read.name}» ({reason}), bỏ qua trang {_names(skipped)}.",
        read.name,
    )


def _count(tables: Sequence[Table]) -> str:
    return "Hai" if len(tables) == 2 else str(len(tables))


def _names(tables: Sequence[Table]) -> str:
    """«TiepCongDan» (trang ẩn) và «Tiếp công dân»."""
    names = [f"«{t.name}»" + (" (trang ẩn)" if t.hidden else "") for t in tables]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " và " + names[-1]
