"""The per-dossier export (HoSo, SPEC §1 and §3): read as the province system writes it, checked
cell by cell, and counted with form II.06a's meaning over the period's window.

Every expected figure is worked by hand from the dossiers listed in the test. The window of
``t3`` 2024 (nd09) is S = 15/02/2024 … E = 14/03/2024."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeWorkbook, write_workbook
from openpyxl import Workbook

from danvan_cli.figures import dossier_list_figures
from danvan_cli.models import Dossier, DossierList
from danvan_cli.period import parse_period
from danvan_cli.reading import Loaded, load

D = dt.date
S, E = D(2024, 2, 15), D(2024, 3, 14)
T3 = parse_period("t3", 2024)

HEADER = ["Mã hồ sơ", "Lĩnh vực", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả"]
HEADER += ["Ngày có kết quả", "Trạng thái"]


def test_the_window_is_the_one_worked_by_hand() -> None:
    assert (T3.start, T3.end) == (S, E)


# --- writing exports as the system does ------------------------------------------------------


def write_export(
    path: Path,
    rows: list[list[Any]],
    *,
    sheet: str = "DanhSach",
    titles: tuple[str, ...] = ("DANH SÁCH HỒ SƠ", "Từ ngày 01/01/2024 đến ngày 31/03/2024"),
    header: list[str | None] | None = None,
    under: list[str | None] | None = None,
    merges: tuple[str, ...] = (),
) -> Path:
    """An export: title rows, a blank row, the header (a second header row ``under`` it, if
    given, with ``merges`` such as "F5:H5"), then ``rows``."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for title in titles:
        ws.append([title])
    ws.append([])
    ws.append(header or HEADER)
    if under is not None:
        ws.append(under)
    for rng in merges:
        ws.merge_cells(rng)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def dossier(
    received: dt.date,
    due: dt.date,
    result: dt.date | None = None,
    status: str | None = None,
    *,
    field: str = "Tư pháp - Hộ tịch",
    channel: str = "online",
    row: int = 2,
) -> Dossier:
    return Dossier(
        row=row,
        code=f"HS-{row}",
        field=field,
        channel=channel,
        received=received,
        due=due,
        result=result,
        status=status,
    )


def counts(*dossiers: Dossier) -> dict[str, Any]:
    """The figures of these dossiers over t3 2024, without by_field, rates and source."""
    figures = dossier_list_figures(DossierList.of(dossiers), T3).model_dump()
    for key in ("by_field", "source", "online_rate", "on_time_rate"):
        figures.pop(key)
    return {key: value for key, value in figures.items() if value}


# --- SPEC §3, rule by rule, on the window's edges --------------------------------------------

DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # received on S−1, still open: carried over from the previous period, open at E
        (dossier(S - DAY, D(2024, 3, 20)), {"carried_over": 1, "open": 1}),
        # received on S−1 and ended on S−1: no part in the period
        (dossier(S - DAY, S - DAY, S - DAY), {}),
        # received on S−1, ended on S: carried over, resolved in the period (before its due)
        (dossier(S - DAY, D(2024, 2, 20), S), {"carried_over": 1, "resolved": 1, "early": 1}),
        # received on S: received in the period
        (dossier(S, D(2024, 3, 20)), {"received": 1, "online": 1, "open": 1}),
        # received on E (a paper dossier): received in the period
        (
            dossier(E, D(2024, 3, 20), channel="direct"),
            {"received": 1, "direct": 1, "open": 1},
        ),
        # received on E+1: not in the period at all
        (dossier(E + DAY, D(2024, 3, 20)), {}),
        # a result on the due date: on time
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 5), channel="postal"),
            {"received": 1, "postal": 1, "resolved": 1, "on_time": 1},
        ),
        # the day before the due date: early
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 4)),
            {"received": 1, "online": 1, "resolved": 1, "early": 1},
        ),
        # the day after: late
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 6)),
            {"received": 1, "online": 1, "resolved": 1, "late": 1},
        ),
        # returned (Trả lại) three days late: on time, as II.06a counts it
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 8), "tra_lai"),
            {"received": 1, "online": 1, "resolved": 1, "on_time": 1},
        ),
        # withdrawn (Rút) after its due date: on time
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 11), "rut"),
            {"received": 1, "online": 1, "resolved": 1, "on_time": 1},
        ),
        # stopped (Dừng xử lý), carried over and ended after its due date: on time
        (
            dossier(D(2024, 2, 1), D(2024, 2, 12), D(2024, 2, 20), "dung_xu_ly"),
            {"carried_over": 1, "resolved": 1, "on_time": 1},
        ),
        # a result on E: resolved in the period
        (
            dossier(D(2024, 3, 10), D(2024, 3, 12), E),
            {"received": 1, "online": 1, "resolved": 1, "late": 1},
        ),
        # a result on E+1: still open at E, and past its due date
        (
            dossier(D(2024, 3, 1), D(2024, 3, 6), E + DAY),
            {"received": 1, "online": 1, "open": 1, "open_overdue": 1},
        ),
        # open, due before E: overdue
        (
            dossier(D(2024, 3, 1), D(2024, 3, 4), None, "dang_xu_ly"),
            {"received": 1, "online": 1, "open": 1, "open_overdue": 1},
        ),
        # open, due before E but waiting for the citizen's papers (Chờ bổ sung): in time
        (
            dossier(D(2024, 3, 1), D(2024, 3, 4), None, "cho_bo_sung"),
            {"received": 1, "online": 1, "open": 1},
        ),
        # open, due on E itself: not overdue yet
        (dossier(D(2024, 3, 1), E), {"received": 1, "online": 1, "open": 1}),
        # an ongoing status with a result date: the date wins
        (
            dossier(D(2024, 3, 1), D(2024, 3, 5), D(2024, 3, 4), "dang_xu_ly"),
            {"received": 1, "online": 1, "resolved": 1, "early": 1},
        ),
    ],
)
def test_one_dossier_counts_as_form_ii06a_does(case: Dossier, expected: dict[str, Any]) -> None:
    assert counts(case) == expected


# Fifteen dossiers over t3 2024 (S = 15/02, E = 14/03), in the export's order. Worked by hand:
#   carried over: A, C, O = 3                  (B ended before S)
#   received: D E G H I J K L M N = 10         online D H J K N = 5, direct E I L M = 4,
#                                              postal G = 1   (F came after E)
#   resolved in [S, E]: C D G H I N O = 7      early C G = 2; on time D (its due date),
#                                              I (Trả lại), N (Rút), O (Dừng) = 4; late H = 1
#   open at E: A E J K L M = 6                 overdue A K M = 3 (E due after E, J Chờ bổ sung,
#                                              L due on E)
#   online rate 5 / 10 = 50 %; on-time rate 6 / 7 = 85,714… → 85,71 %
#   by field, in first-appearance order among the dossiers that count:
#     Đất đai A E J K O: carried 2, received 3 (online J K, direct E), resolved 1 (on time O),
#       open 4, overdue 2 (A K); 2/3 = 66,67 %, 1/1 = 100 %
#     Chứng thực C G L M: carried 1, received 3 (postal G, direct L M), resolved 2 early
#       (C G), open 2, overdue 1 (M); 0 %, 100 %
#     Tư pháp - Hộ tịch D H I N: received 4 (online D H N, direct I), resolved 4 (on time
#       D I N, late H); 3/4 = 75 %, 3/4 = 75 %   (B's Văn hóa and F's Xây dựng never count)
LAND, CERT, CIVIL = "Đất đai", "Chứng thực", "Tư pháp - Hộ tịch"
WINDOW_ROWS: list[list[Any]] = [
    ["A", LAND, "Trực tuyến", "14/02/2024 08:00", "20/02/2024", None, None],
    ["B", "Văn hóa", "Trực tuyến", "14/02/2024", "16/02/2024", "14/02/2024", "Hoàn thành"],
    ["C", CERT, "Trực tiếp", "14/02/2024 16:45", "16/02/2024", "15/02/2024", None],
    ["D", CIVIL, "Trực tuyến", "15/02/2024", "20/02/2024", "20/02/2024 17:30", "Đã có kết quả"],
    ["E", LAND, "Trực tiếp", "14/03/2024 15:00", "19/03/2024", None, None],
    ["F", "Xây dựng", "Trực tiếp", "15/03/2024", "29/03/2024", None, None],
    ["G", CERT, "Bưu chính", "01/03/2024", "05/03/2024", "04/03/2024", None],
    ["H", "tư pháp - hộ tịch", "Trực tuyến", "01/03/2024", "05/03/2024", "06/03/2024", None],
    ["I", CIVIL, "Trực tiếp", "01/03/2024", "05/03/2024", "08/03/2024", "Trả lại"],
    ["J", LAND, "Trực tuyến", "01/03/2024", "04/03/2024", None, "Chờ bổ sung"],
    ["K", LAND, "Trực tuyến", "01/03/2024", "04/03/2024", None, "Đang xử lý"],
    ["L", CERT, "Trực tiếp", "01/03/2024", "14/03/2024", None, None],
    ["M", CERT, "Trực tiếp", "01/03/2024", "06/03/2024", "15/03/2024", None],
    ["N", "TƯ PHÁP - HỘ TỊCH", "Trực tuyến", "10/03/2024", "12/03/2024", "14/03/2024", "Rút"],
    ["O", LAND, "Trực tiếp", "10/02/2024", "12/02/2024", "20/02/2024", "Dừng xử lý"],
]
ZERO = {"carried_over": 0, "received": 0, "online": 0, "direct": 0, "postal": 0}
ZERO |= {"resolved": 0, "early": 0, "on_time": 0, "late": 0, "open": 0, "open_overdue": 0}


def test_a_window_of_dossiers_worked_by_hand(tmp_path: Path, make_workbook: MakeWorkbook) -> None:
    loaded = load(make_workbook({"HoSo": [HEADER, *WINDOW_ROWS]}))
    assert loaded.report.errors == [] and loaded.data is not None
    figures = dossier_list_figures(loaded.data.dossier_list, T3).model_dump()
    by_field = figures.pop("by_field")
    assert figures == {
        **ZERO,
        "carried_over": 3,
        "received": 10,
        "online": 5,
        "direct": 4,
        "postal": 1,
        "resolved": 7,
        "early": 2,
        "on_time": 4,
        "late": 1,
        "open": 6,
        "open_overdue": 3,
        "online_rate": 50.0,
        "on_time_rate": 85.71,
        "source": "HoSo",
    }
    assert by_field == [
        {
            **ZERO,
            "field": LAND,
            "carried_over": 2,
            "received": 3,
            "online": 2,
            "direct": 1,
            "resolved": 1,
            "on_time": 1,
            "open": 4,
            "open_overdue": 2,
            "online_rate": 66.67,
            "on_time_rate": 100.0,
        },
        {
            **ZERO,
            "field": CERT,
            "carried_over": 1,
            "received": 3,
            "direct": 2,
            "postal": 1,
            "resolved": 2,
            "early": 2,
            "open": 2,
            "open_overdue": 1,
            "online_rate": 0.0,
            "on_time_rate": 100.0,
        },
        {
            **ZERO,
            "field": CIVIL,
            "received": 4,
            "online": 3,
            "direct": 1,
            "resolved": 4,
            "on_time": 3,
            "late": 1,
            "online_rate": 75.0,
            "on_time_rate": 75.0,
        },
    ]


def test_no_dossier_in_the_window_gives_zeros() -> None:
    figures = dossier_list_figures(DossierList.of([dossier(E + DAY, E + 5 * DAY)]), T3)
    assert figures.model_dump() == {
        **ZERO,
        "online_rate": 0.0,
        "on_time_rate": 0.0,
        "by_field": [],
        "source": "HoSo",
    }


# --- reading the export as it comes ----------------------------------------------------------

#: SPEC §1's table, literally: every name each column is also read under.
SPEC_NAMES = {
    "Mã hồ sơ": ["Mã hồ sơ", "Số hồ sơ", "Mã HS"],
    "Lĩnh vực": ["Lĩnh vực", "Tên lĩnh vực"],
    "Kênh nộp": ["Kênh nộp", "Hình thức nộp", "Kênh tiếp nhận", "Hình thức tiếp nhận"],
    "Ngày tiếp nhận": ["Ngày tiếp nhận", "Ngày nhận", "Ngày nộp", "Ngày nhận hồ sơ"],
    "Ngày hẹn trả": ["Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn trả kết quả"],
    "Ngày có kết quả": [
        "Ngày có kết quả",
        "Ngày hoàn thành",
        "Ngày trả kết quả",
        "Ngày kết thúc",
        "Ngày giải quyết",
    ],
    "Trạng thái": ["Trạng thái", "Tình trạng", "Trạng thái hồ sơ"],
}
ONE_ROW = ["HS-1", "Đất đai", "Trực tuyến", "01/03/2024", "05/03/2024", "04/03/2024", "Hoàn thành"]


@pytest.mark.parametrize(
    ("title", "name"), [(title, name) for title, names in SPEC_NAMES.items() for name in names]
)
def test_every_column_name_of_the_spec(tmp_path: Path, title: str, name: str) -> None:
    header = [name if column == title else column for column in HEADER]
    path = write_export(tmp_path / "xuat.xlsx", [ONE_ROW], header=header)
    loaded = load_with(tmp_path, path)
    assert issues(loaded) == []
    assert loaded.data is not None and loaded.data.dossier_list.result == (D(2024, 3, 4),)


CHANNELS = {
    "online": ["Trực tuyến", "Online", "Qua mạng", "DVC trực tuyến", "Nộp trực tuyến"],
    "direct": ["Trực tiếp", "Tại quầy", "Nộp trực tiếp"],
    "postal": ["Bưu chính", "Bưu chính công ích", "BCCI", "Qua bưu điện"],
}
STATUSES = {
    "dang_xu_ly": ["Đang xử lý"],
    "cho_bo_sung": ["Chờ bổ sung"],
    "da_co_ket_qua": ["Đã có kết quả", "Hoàn thành", "Đã trả kết quả", "Đã giải quyết"],
    "tra_lai": ["Trả lại", "Từ chối"],
    "rut": ["Rút", "Công dân rút hồ sơ", "Xin rút"],
    "dung_xu_ly": ["Dừng xử lý"],
}


def test_every_channel_and_status_name_in_any_case(tmp_path: Path) -> None:
    rows, channels, statuses = [], [], []
    number = 0
    for key, names in CHANNELS.items():
        for name in names:
            for spelling in (name, name.upper(), name.lower()):
                number += 1
                rows.append([f"K-{number}", "Đất đai", spelling, "01/03/2024", "05/03/2024"])
                channels.append(key)
    for key, names in STATUSES.items():
        for name in names:
            for spelling in (name, name.upper()):
                number += 1
                result = None if key in ("dang_xu_ly", "cho_bo_sung") else "04/03/2024"
                dates = ["01/03/2024", "05/03/2024", result]
                rows.append([f"T-{number}", "Đất đai", "Trực tuyến", *dates, spelling])
                channels.append("online")
                statuses.append(key)
    loaded = load_with(tmp_path, write_export(tmp_path / "xuat.xlsx", rows))
    assert issues(loaded) == []
    assert loaded.data is not None
    assert list(loaded.data.dossier_list.channel) == channels
    assert [s for s in loaded.data.dossier_list.status if s is not None] == statuses


def test_times_of_day_are_ignored_in_every_form(tmp_path: Path) -> None:
    """Date cells with a time, serial numbers with a fraction of a day, text with a time."""
    rows = [
        ["A", "Đất đai", "Trực tuyến", dt.datetime(2024, 3, 4, 9, 15), "08/03/2024 16:00"],
        ["B", "Đất đai", "Trực tuyến", "04/03/2024 09:15", dt.datetime(2024, 3, 8, 17, 0)],
        ["C", "Đất đai", "Trực tuyến", "09:15 04/03/2024", 45359.75],  # 08/03/2024 18:00
        ["D", "Đất đai", "Trực tuyến", "2024-03-04T09:15:00", "8/3/2024 5h30"],
    ]
    loaded = load_with(tmp_path, write_export(tmp_path / "xuat.xlsx", rows))
    assert issues(loaded) == []
    assert loaded.data is not None
    assert loaded.data.dossier_list.received == (D(2024, 3, 4),) * 4
    assert loaded.data.dossier_list.due == (D(2024, 3, 8),) * 4


FIRST_TIMES = ("01/03/2024 08:00", "05/03/2024", "04/03/2024 10:00")
SECOND_TIMES = ("02/03/2024 08:00", "06/03/2024", None)


def test_a_merged_group_row_over_the_column_names(tmp_path: Path) -> None:
    """ "Thời gian" merged over Tiếp nhận | Hẹn trả | Trả kết quả; the other names merged down
    over both header rows, as the system prints them."""
    header = ["STT", "Số hồ sơ", "Tên lĩnh vực", "Chủ hồ sơ", "Hình thức nộp", "Thời gian"]
    header += [None, None, "Tình trạng"]
    under: list[str | None] = [None] * 5 + ["Tiếp nhận", "Hẹn trả", "Trả kết quả", None]
    merges = ("F3:H3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "I3:I4")
    rows = [
        [1, "HS-1", "Đất đai", "Nguyễn Văn A", "Tại quầy", *FIRST_TIMES, "Đã trả kết quả"],
        [2, "HS-2", "Đất đai", "Trần Thị B", "Online", *SECOND_TIMES, "Đang xử lý"],
    ]
    path = write_export(
        tmp_path / "xuat.xlsx",
        rows,
        titles=("DANH SÁCH HỒ SƠ",),
        header=header,
        under=under,
        merges=merges,
    )
    loaded = load_with(tmp_path, path)
    assert issues(loaded) == []
    assert loaded.data is not None
    listed = loaded.data.dossier_list
    assert listed.row == (5, 6)  # the data starts under the second header row
    assert listed.received == (D(2024, 3, 1), D(2024, 3, 2))
    assert listed.due == (D(2024, 3, 5), D(2024, 3, 6))
    assert listed.result == (D(2024, 3, 4), None)
    assert listed.channel == ("direct", "online")


def test_a_column_name_unknown_under_a_group_is_pointed_at(tmp_path: Path) -> None:
    """A name under a group that is no column's is pointed at by its cell, never quoted (it
    may be anything, SPEC §6)."""
    header: list[str | None] = ["Mã hồ sơ", "Lĩnh vực", "Kênh nộp", "Ngày tiếp nhận"]
    header += ["Ngày có kết quả", "Trạng thái", "Thời gian", None]
    under: list[str | None] = [None] * 6 + ["Hẹn trả", "Ghi chú"]
    row = ["HS-1", "Đất đai", "Trực tuyến", "01/03/2024", "04/03/2024", "Hoàn thành"]
    row += ["05/03/2024", "gọi lại sau"]
    path = write_export(tmp_path / "xuat.xlsx", [row], header=header, under=under)
    loaded = load_with(tmp_path, path)
    assert issues(loaded) == [
        ("warning", "unknown-column", "DanhSach!H5", "Cột ở ô H5 không có trong mẫu, bị bỏ qua."),
    ]
    assert loaded.data is not None and loaded.data.dossier_list.due == (D(2024, 3, 5),)


def test_a_misspelt_name_under_a_group_is_quoted_with_its_group(tmp_path: Path) -> None:
    """A near miss is matched with its group above it (``Thời gian hẹn trả``) and quoted as
    the clerk sees it, with the name it was likely meant to be."""
    header: list[str | None] = ["Mã hồ sơ", "Lĩnh vực", "Kênh nộp", "Ngày tiếp nhận"]
    header += ["Trạng thái", "Thời gian", None]
    under: list[str | None] = [None] * 5 + ["Hẹn trảa", "Trả kết quả"]
    row = ["HS-1", "Đất đai", "Trực tuyến", "01/03/2024", "Hoàn thành", "05/03/2024"]
    path = write_export(tmp_path / "xuat.xlsx", [[*row, "04/03/2024"]], header=header, under=under)
    loaded = load_with(tmp_path, path)
    assert issues(loaded) == [
        (
            "warning",
            "unknown-column",
            "DanhSach!F5",
            "Cột «Thời gian / Hẹn trảa» không có trong mẫu, bị bỏ qua; có phải «Ngày hẹn trả»?",
        ),
        (
            "error",
            "missing-column",
            "DanhSach!A5",
            "Trang «DanhSach» thiếu cột bắt buộc «Ngày hẹn trả».",
        ),
    ]


def test_the_export_sheet_is_found_whatever_its_name(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Ghi chú"
    book.active.append(["Bảng này không phải danh sách hồ sơ", "Lĩnh vực"])
    reception = book.create_sheet("Sổ tiếp dân")  # "Lĩnh vực" and "Địa chỉ": not enough
    reception.append(["Ngày tiếp", "Lĩnh vực", "Địa chỉ"])
    export = book.create_sheet("Sheet 3")
    export.append(HEADER)
    export.append(ONE_ROW)
    book.save(tmp_path / "xuat.xlsx")
    loaded = load_with(tmp_path, tmp_path / "xuat.xlsx")
    assert issues(loaded) == []
    assert loaded.data is not None and loaded.data.dossier_list.code == ("HS-1",)


def test_a_file_without_a_dossier_list_is_refused_by_name(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Ngày tiếp", "Lĩnh vực", "Địa chỉ"])
    book.save(tmp_path / "nham.xlsx")
    loaded = load_with(tmp_path, tmp_path / "nham.xlsx")
    assert loaded.exports[0].fatal == (
        "Tệp «nham.xlsx» không có danh sách hồ sơ: không trang nào có dòng tiêu đề (trong 10 "
        "dòng đầu) với các cột Mã hồ sơ, Lĩnh vực, Kênh nộp, Ngày tiếp nhận, Ngày hẹn trả. "
        "Xuất lại danh sách hồ sơ từ Hệ thống thông tin giải quyết thủ tục hành chính, hoặc "
        "sửa tên cột cho đúng."
    )
    assert loaded.data is None


def test_personal_columns_are_never_parsed_nor_kept(tmp_path: Path) -> None:
    """A personal column's cells are never read: not even a formula error there is news."""
    header = [*HEADER, "Chủ hồ sơ", "Người nộp", "Số giấy tờ", "CCCD", "Địa chỉ"]
    header += ["Số điện thoại", "Email"]
    personal = ["Lê Văn Ổi", "Lê Thị Na", "B1234567", "031099001122", "thôn Tây"]
    personal += ["0912000111", "oi@example.com"]
    path = write_export(tmp_path / "xuat.xlsx", [ONE_ROW + personal], header=header)
    loaded = load_with(tmp_path, path)
    assert issues(loaded) == []
    assert loaded.data is not None
    kept = loaded.data.model_dump_json()
    assert not [value for value in personal if value in kept]
    assert set(DossierList.model_fields) == {
        "row",
        "code",
        "field",
        "channel",
        "received",
        "due",
        "result",
        "status",
    }


def test_the_hoso_sheet_of_the_workbook_and_exports_are_one_list(
    tmp_path: Path, make_workbook: MakeWorkbook
) -> None:
    book = make_workbook({"HoSo": [HEADER, ONE_ROW]})
    january = write_export(tmp_path / "t1.xlsx", [["HS-2", *ONE_ROW[1:]]])
    february = write_export(tmp_path / "t2.xlsx", [["HS-3", *ONE_ROW[1:]]])
    loaded = load(book, ho_so=[january, february])
    assert [report.ok for report in loaded.reports] == [True, True, True]
    assert loaded.data is not None
    assert loaded.data.dossier_list.code == ("HS-1", "HS-2", "HS-3")


# --- checks, each at its cell ----------------------------------------------------------------


def load_with(tmp_path: Path, *exports: Path) -> Loaded:
    """``exports`` read with a minimal workbook (ThongTin only)."""
    book = tmp_path / "so.xlsx"
    if not book.exists():
        write_workbook(book, {})
    return load(book, ho_so=list(exports))


def issues(loaded: Loaded) -> list[tuple[str, str, str, str]]:
    """(severity, code, sheet!cell, message) of the exports' issues."""
    return [
        (issue.severity.value, issue.code, issue.ref, issue.message)
        for report in loaded.exports
        for issue in report.issues
    ]


def test_each_check_names_its_cell(tmp_path: Path) -> None:
    rows = [
        ["HS-1", "Đất đai", "Trực tuyến", "05/03/2024", "08/03/2024", "07/03/2024", None],  # 5
        ["HS-2", "Đất đai", "Trực tuyến", "05/03/2024", "04/03/2024", "05/03/2024", None],  # 6
        ["HS-3", "Đất đai", "Trực tuyến", "06/03/2024", "08/03/2024", "01/03/2024", None],  # 7
        ["HS-4", "Đất đai", "Fax", "06/03/2024", "08/03/2024", None, None],  # 8
        ["HS-5", "Đất đai", "Trực tuyến", "06/03/2024", "08/03/2024", None, "Chờ duyệt"],  # 9
        ["HS-6", "Đất đai", "Trực tuyến", "06/03/2024", "08/03/2024", None, "Trả lại"],  # 10
        ["HS-7", "Đất đai", "Trực tuyến", "06/03/2024", "08/03/2024", "07/03/2024", "Chờ bổ sung"],
        [" hs - 1 ", "Đất đai", "Trực tuyến", "06/03/2024", "08/03/2024", None, None],  # 12
    ]
    loaded = load_with(tmp_path, write_export(tmp_path / "xuat.xlsx", rows))
    assert set(issues(loaded)) == {
        (
            "error",
            "bad-choice",
            "DanhSach!C8",
            "Ô có chữ, không có trong danh sách: Trực tuyến, Trực tiếp, Bưu chính.",
        ),
        (
            "error",
            "due-before-received",
            "DanhSach!E6",
            "Ngày hẹn trả 04/03/2024 trước Ngày tiếp nhận 05/03/2024.",
        ),
        (
            "error",
            "result-before-received",
            "DanhSach!F7",
            "Ngày có kết quả 01/03/2024 trước Ngày tiếp nhận 06/03/2024.",
        ),
        (
            "error",
            "ended-without-result",
            "DanhSach!F10",
            "Trạng thái «Trả lại» là hồ sơ đã kết thúc nhưng ô Ngày có kết quả để trống.",
        ),
        (
            "error",
            "bad-choice",
            "DanhSach!G9",
            "Ô có chữ, không có trong danh sách: Đang xử lý, Chờ bổ sung, Đã có kết quả, Trả lại, "
            "Rút, Dừng xử lý.",
        ),
        (
            "warning",
            "open-with-result",
            "DanhSach!G11",
            "Trạng thái «Chờ bổ sung» nhưng hồ sơ có Ngày có kết quả 07/03/2024: danvan coi hồ sơ "
            "đã kết thúc ngày đó.",
        ),
        (
            "error",
            "duplicate-dossier",
            "DanhSach!A12",
            "Mã hồ sơ trùng với ô DanhSach!A5 (không kể chữ hoa/thường và dấu cách).",
        ),
    }
    assert loaded.data is None  # errors: no figures


def test_a_wrong_channel_hides_no_wrong_dates(tmp_path: Path) -> None:
    """Every error at once (SPEC §5): the dates of a row with an unknown channel are still
    compared (the tester's row: result 1/3 before reception 5/3)."""
    rows = [["HS-1", "Đất đai", "Fax", "05/03/2024", "04/03/2024", "01/03/2024", None]]  # row 5
    loaded = load_with(tmp_path, write_export(tmp_path / "xuat.xlsx", rows))
    assert sorted((code, ref) for _, code, ref, _ in issues(loaded)) == [
        ("bad-choice", "DanhSach!C5"),
        ("due-before-received", "DanhSach!E5"),
        ("result-before-received", "DanhSach!F5"),
    ]


def test_an_ended_status_without_the_result_column_names_the_status(tmp_path: Path) -> None:
    header = ["Mã hồ sơ", "Lĩnh vực", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Trạng thái"]
    row = ["HS-1", "Đất đai", "Trực tuyến", "05/03/2024", "08/03/2024", "Hoàn thành"]
    loaded = load_with(tmp_path, write_export(tmp_path / "xuat.xlsx", [row], header=header))
    assert issues(loaded) == [
        (
            "error",
            "ended-without-result",
            "DanhSach!F5",
            "Trạng thái «Đã có kết quả» là hồ sơ đã kết thúc nhưng ô Ngày có kết quả để trống.",
        ),
    ]


def test_a_code_twice_across_two_exports_names_both_cells(tmp_path: Path) -> None:
    march = write_export(tmp_path / "thang3.xlsx", [ONE_ROW, ["HS-9", *ONE_ROW[1:]]])
    again = write_export(
        tmp_path / "thang4.xlsx", [["hs-9", *ONE_ROW[1:]], ["HS-10", *ONE_ROW[1:]]]
    )
    loaded = load_with(tmp_path, march, again)
    assert [report.ok for report in loaded.exports] == [True, False]
    assert issues(loaded) == [
        (
            "error",
            "duplicate-dossier",
            "DanhSach!A5",
            "Mã hồ sơ trùng với ô DanhSach!A6 của tệp «thang3.xlsx» (không kể chữ hoa/thường và "
            "dấu cách).",
        ),
    ]
    assert loaded.exports[1].file == str(again)


def test_hoso_rows_set_motcua_aside_with_a_warning_naming_it(make_workbook: MakeWorkbook) -> None:
    motcua = [
        ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp"],
        [3, "Đất đai", 5, 5],
        [4, "Đất đai", 2, 1],
    ]
    loaded = load(make_workbook({"MotCua": motcua, "HoSo": [HEADER, ONE_ROW]}))
    assert [(i.code, i.sheet, i.message) for i in set_aside(loaded)] == [
        (
            "mot-cua-set-aside",
            "MotCua",
            "Số liệu hồ sơ một cửa lấy từ danh sách hồ sơ (HoSo, từng hồ sơ): 2 dòng của trang "
            "«MotCua» (năm 2024) không được tính.",
        ),
    ]
    assert loaded.data is not None
    figures = dossier_list_figures(loaded.data.dossier_list, T3)
    assert (figures.received, figures.source) == (1, "HoSo")


def test_an_empty_hoso_sheet_leaves_motcua_the_source(make_workbook: MakeWorkbook) -> None:
    from danvan_cli.figures import compute_figures

    motcua = [["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp"], [3, "Đất đai", 5, 4]]
    loaded = load(make_workbook({"MotCua": motcua, "HoSo": [HEADER]}))
    assert set_aside(loaded) == [] and loaded.data is not None
    dossiers = compute_figures(loaded.data, T3).dossiers
    assert (dossiers.source, dossiers.received, dossiers.online) == ("MotCua", 9, 5)


def set_aside(loaded: Loaded) -> list[Any]:
    return [issue for issue in loaded.report.issues if issue.code == "mot-cua-set-aside"]
