"""SPEC §6 privacy for the per-dossier export (HoSo): its personal columns — Chủ hồ sơ, Người
nộp, Số giấy tờ, CCCD, Địa chỉ, Số điện thoại, Email — are never kept, and none of their
values comes out of any output: validate (text, JSON, the comments of --annotate), figures
(table and JSON), the report, batch (its reports and summary workbook), any message, nor
--debug. The approach of test_privacy.py: a canary in every personal cell, in a HoSo sheet of
the workbook and in a separate --ho-so export; once valid (every output is produced), once
with errors in the very rows holding them, plus personal data pasted one column off into a
code, a date and a choice cell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import INFO_ROWS, write_workbook
from test_privacy import invoke, zip_text

from danvan_cli import reading
from danvan_cli.vietnamese import fold

DATE = "20/9/2024"

#: Column -> canary; each is looked for folded (no case, marks, spaces or punctuation).
CANARIES = {
    "Chủ hồ sơ": "Đinh Thị Mãngcầu",
    "Người nộp": "Tạ Văn Sầuriêng",
    "Số giấy tờ": "B7730418",
    "CCCD": "036188007731",
    "Địa chỉ": "Xóm Chòmchôm, thôn Bưởidiễn",
    "Số điện thoại": "0987001234",
    "Email": "thanhlong.ruotdo@example.vn",
}
TOKENS = ("mangcau", "saurieng", "b7730418", "036188007731", "chomchom", "buoidien")
TOKENS += ("0987001234", "thanhlongruotdo")
PERSONAL = list(CANARIES.values())

HEADER = ["STT", "Mã hồ sơ", "Lĩnh vực", "Kênh nộp", *CANARIES, "Thời gian", None, None]
HEADER += ["Trạng thái"]
UNDER = [None] * (4 + len(CANARIES)) + ["Tiếp nhận", "Hẹn trả", "Trả kết quả", None]


def dossier(
    number: int, received: Any, channel: str = "Trực tuyến", code: Any = None, unit: str = "H29"
) -> list[Any]:
    return [
        number,
        code or f"000.00.19.{unit}-2403{number:02d}-0001",
        "Tư pháp - Hộ tịch",
        channel,
        *PERSONAL,
        received,
        "12/03/2024",
        "11/03/2024 10:00",
        "Đã trả kết quả",
    ]


def rows(bad: bool, unit: str) -> list[list[Any]]:
    good = [
        dossier(1, "04/03/2024 08:15", unit=unit),
        dossier(2, "05/03/2024 09:00", "Tại quầy", unit=unit),
    ]
    if not bad:
        return good
    name, ident, phone = CANARIES["Chủ hồ sơ"], CANARIES["CCCD"], CANARIES["Số điện thoại"]
    return [
        *good,
        dossier(3, name, unit=unit),  # a name where a date belongs
        dossier(4, "06/03/2024", phone, unit=unit),  # a phone number where a channel belongs
        dossier(5, ident, code=f"{name} {unit}"),  # a name as the code, an ID number as a date
        dossier(6, "31/02/2024 08:00", code=f"{name} {unit}"),  # the same "code" again
        [7, None, None, None, *PERSONAL, None, None, None, None],  # personal data only
    ]


def export_sheet(sheet: Any, bad: bool, unit: str) -> None:
    """The export's table; ``unit`` tells apart the codes of the workbook's and the file's."""
    sheet.append(["DANH SÁCH HỒ SƠ"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(UNDER)
    for row in rows(bad, unit):
        sheet.append(row)


def make_export(path: Path, bad: bool) -> Path:
    book = openpyxl.Workbook()
    export_sheet(book.active, bad, "H30")
    book.save(path)
    return path


def make_book(path: Path, bad: bool) -> Path:
    write_workbook(path, {"ThongTin": [*INFO_ROWS, ["Người ký", "Phạm Văn Lượng"]]})
    book = openpyxl.load_workbook(path)
    export_sheet(book.create_sheet("HoSo"), bad, "H29")
    book.save(path)
    return path


def leaks(text: str) -> list[str]:
    folded = fold(text)
    return [token for token in TOKENS if token in folded or token in text]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every output, from a valid and a faulty pair of workbook (HoSo sheet) and export."""
    monkeypatch = pytest.MonkeyPatch()
    found: dict[str, str] = {}
    exits: dict[str, int] = {}
    try:
        for which in ("good", "bad"):
            root = tmp_path_factory.mktemp(which)
            (root / "so").mkdir()
            book = make_book(root / "so" / "so.xlsx", which == "bad")
            export = make_export(root / "xuat.xlsx", which == "bad")
            docx, notes = root / "bao_cao.docx", root / "chu_thich.xlsx"
            period = ["--period", "9m", "--ho-so", str(export)]
            runs = {
                "validate": ["validate", str(book), "--ho-so", str(export)],
                "validate --json": ["validate", "--json", str(book), "--ho-so", str(export)],
                "validate --annotate": [
                    "validate",
                    str(book),
                    "--ho-so",
                    str(export),
                    "--annotate",
                    str(notes),
                ],
                "figures": ["figures", str(book), *period],
                "figures --json": ["figures", str(book), *period, "--json"],
                "build": ["build", str(book), *period, "--date", DATE, "-o", str(docx)],
                "batch": ["batch", str(book.parent), "-p", "9m", "--date", DATE, "-o", str(root)],
            }
            for label, args in runs.items():
                for debug in ([], ["--debug"]):
                    key = f"{which}: {' '.join([*debug, label])}"
                    found[key], exits[key] = invoke([*debug, *args], root, monkeypatch)
            if docx.exists():
                found[f"{which}: report .docx"] = zip_text(docx)
            for report in root.glob("bao_cao_*.docx"):
                found[f"{which}: batch report"] = zip_text(report)
            for summary in root.glob("tong_hop_*.xlsx"):
                found[f"{which}: summary workbook parts"] = zip_text(summary)
                found[f"{which}: summary workbook cells"] = "\n".join(
                    str(value)
                    for sheet in openpyxl.load_workbook(summary)
                    for row in sheet.iter_rows(values_only=True)
                    for value in row
                    if value is not None
                )
            found[f"{which}: comments added by --annotate"] = "\n".join(
                cell.comment.text
                for sheet in openpyxl.load_workbook(notes)
                for row in sheet.iter_rows()
                for cell in row
                if cell.comment is not None
            )
    finally:
        monkeypatch.undo()
    assert exits["good: build"] == 0 and exits["good: batch"] == 0, found["good: build"]
    assert exits["bad: build"] == 1 and exits["bad: validate"] == 1 and exits["bad: batch"] == 1
    return found


EXPECTED = [
    f"{which}: {debug}{label}"
    for which in ("good", "bad")
    for label in (
        "validate",
        "validate --json",
        "validate --annotate",
        "figures",
        "figures --json",
        "build",
        "batch",
    )
    for debug in ("", "--debug ")
] + [
    "good: report .docx",
    "good: batch report",
    "good: summary workbook parts",
    "good: summary workbook cells",
    "bad: summary workbook parts",
    "bad: summary workbook cells",
    "good: comments added by --annotate",
    "bad: comments added by --annotate",
]


@pytest.mark.parametrize("label", EXPECTED)
def test_no_personal_data_of_the_export_in(label: str, outputs: dict[str, str]) -> None:
    assert label in outputs, sorted(outputs)
    assert leaks(outputs[label]) == [], f"{label}: {outputs[label][:3000]}"


def test_the_canaries_were_there_to_find(tmp_path: Path) -> None:
    for bad in (False, True):
        assert sorted(leaks(zip_text(make_export(tmp_path / f"x{bad}.xlsx", bad)))) == sorted(
            TOKENS
        )


def test_the_faulty_rows_are_named_by_their_cells(outputs: dict[str, str]) -> None:
    """The export's problems are all found and described, never quoted."""
    files = json.loads(outputs["bad: validate --json"])["files"]
    export = files[1]
    said = {(i["ref"], i["code"]): i["message"] for i in export["issues"]}
    not_a_date = "Ô có chữ, không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ 14/9/2024)."
    assert said[("Sheet!L7", "bad-date")] == not_a_date
    assert said[("Sheet!D8", "bad-choice")] == (
        "Ô có một dãy số dài, không có trong danh sách: Trực tuyến, Trực tiếp, Bưu chính."
    )
    assert said[("Sheet!L9", "bad-date")].startswith("Ô có một dãy số dài")
    assert said[("Sheet!B10", "duplicate-dossier")] == (
        "Mã hồ sơ trùng với ô Sheet!B9 (không kể chữ hoa/thường và dấu cách)."
    )
    assert ("Sheet!B11", "required") in said
    assert files[0]["ok"] is False  # its HoSo sheet has the same faults


def test_personal_columns_are_not_kept(tmp_path: Path) -> None:
    loaded = reading.load(
        make_book(tmp_path / "so.xlsx", False), ho_so=[make_export(tmp_path / "x.xlsx", False)]
    )
    assert loaded.data is not None and len(loaded.data.dossier_list) == 4
    assert leaks(loaded.data.model_dump_json()) == []
