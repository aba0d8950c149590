"""SPEC §6 privacy: the personal-data columns (TiepCongDan Họ tên, Địa chỉ, Số CCCD, Nội dung,
Ghi chú; DonThu Người gửi, Nội dung) are read but never come out — not in a report (every XML
part of the .docx), the figures (table and JSON), the batch summary workbook (every cell, every
part), validate's text and JSON, the comments ``--annotate`` adds, any message, nor ``--debug``
output. Each personal cell holds a canary; two workbooks carry them: one valid (so every output
is produced) and one with errors in the very rows that hold them, plus an unknown column of an
innocent name full of personal data."""

from __future__ import annotations

import json
import traceback
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import INFO_ROWS, write_workbook
from lxml import etree
from typer.testing import CliRunner

from danvan_cli import reading
from danvan_cli.cli import app
from danvan_cli.vietnamese import fold

DATE = "20/9/2024"
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}

#: One canary a personal column (and one for the unknown column); each is matched folded (no
#: case, diacritics, spaces or punctuation), so a wrapped line or a changed case still counts.
CANARIES = {
    "Họ tên": "Hoàng Thị Kimsuyền",
    "Địa chỉ": "Xóm Bồđềxanh, thôn Giátị",
    "Số CCCD": "038199004417",
    "Nội dung": "Tranh chấp lối đi với nhà bên Quýtđỏ",
    "Ghi chú": "Đã gọi điện cho con gái Mậnhậu",
    "Người gửi": "Phan Văn Lựulửa",
    "Nội dung đơn": "Đề nghị xem xét hộ nghèo Vảithiều",
    "Thông tin thêm": "SĐT 0912345678 của bà Nhãnlồng",
}
TOKENS = ("kimsuyen", "bodexanh", "giati", "038199004417", "quytdo", "manhau", "luulua")
TOKENS += ("vaithieu", "0912345678", "nhanlong")

RECEPTION_HEADER = [
    "STT",
    "Ngày tiếp",
    "Buổi",
    "Hình thức tiếp",
    "Người tiếp",
    "Số người",
    "Mã vụ việc",
    "Phân loại",
    "Lĩnh vực",
    "Họ tên",
    "Địa chỉ",
    "Số CCCD",
    "Nội dung",
    "Ghi chú",
    "Thông tin thêm",  # not a column of the template: ignored with a warning
]
PETITION_HEADER = [
    "Ngày nhận",
    "Phân loại",
    "Nguồn đơn",
    "Đủ điều kiện xử lý",
    "Đã xử lý",
    "Người gửi",
    "Nội dung",
]
PERSONAL = [CANARIES[k] for k in ("Họ tên", "Địa chỉ", "Số CCCD", "Nội dung", "Ghi chú")]


def reception(number: int, day: str, people: object) -> list[object]:
    mode, kind = "Thường xuyên", "Kiến nghị"
    return [number, day, "Sáng", mode, "Cán bộ tư pháp", people, f"VV-{number:02d}", kind]


def petition(day: str, processed: str) -> list[object]:
    return [day, "Khiếu nại", "Trực tiếp", "Có", processed]


def _book(path: Path, bad: bool, shifted: bool = False) -> Path:
    extra = CANARIES["Thông tin thêm"]
    sender, content = CANARIES["Người gửi"], CANARIES["Nội dung đơn"]
    if shifted:  # a paste one column off: personal data lands in dated, counted, choice cells
        name, id_number = CANARIES["Họ tên"], CANARIES["Số CCCD"]
        phone = "0912345678"
        receptions = [
            [*reception(1, "14/3/2024", 2), "Đất đai", *PERSONAL, extra],
            [1, name, "Sáng", "Thường xuyên", "x", 1, "VV-02", "Kiến nghị", "Đất đai", *PERSONAL],
            [2, "15/3/2024", phone, "Thường xuyên", "x", id_number, "VV-03", "Kiến nghị", None],
            [3, "15/3/2024", "Sáng", content, "x", 1, "VV-04", sender, None, *PERSONAL],
        ]
        petitions = [
            [*petition("20/3/2024", "Có"), sender, content],
            [sender, "Khiếu nại", content, "Có", "Có", sender, content],
        ]
        return write_workbook(
            path,
            {
                "ThongTin": [*INFO_ROWS, ["Người ký", "Phạm Văn Lượng"]],
                "TiepCongDan": [RECEPTION_HEADER, *receptions],
                "DonThu": [PETITION_HEADER, *petitions],
            },
        )
    receptions = [
        [*reception(1, "14/3/2024", 2), "Đất đai", *PERSONAL, extra],
        [*reception(2, "31/02/2024" if bad else "15/3/2024", 1), "Đất đai", *PERSONAL, extra],
        [*reception(3, "16/3/2024", "hai người" if bad else 3), "Chính sách", *PERSONAL, extra],
    ]
    petitions = [
        [*petition("20/3/2024", "Có"), sender, content],
        [
            *petition("hôm qua" if bad else "21/3/2024", "có lẽ" if bad else "Không"),
            sender,
            content,
        ],
    ]
    if bad:  # a row holding personal data only: every required cell is blank
        receptions.append([None] * 9 + [*PERSONAL, extra])
        petitions.append([None] * 5 + [sender, content])
    info = [*INFO_ROWS, ["Người ký", "Phạm Văn Lượng"]]
    return write_workbook(
        path,
        {
            "ThongTin": info,
            "TiepCongDan": [RECEPTION_HEADER, *receptions],
            "DonThu": [PETITION_HEADER, *petitions],
        },
        titles={"TiepCongDan": ["SỔ TIẾP CÔNG DÂN NĂM 2024", None]},
    )


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("so")
    good = folder / "hop_le"
    bad = folder / "co_loi"
    shifted = folder / "dan_lech_cot"
    for each in (good, bad, shifted):
        each.mkdir()
    return {
        "good": _book(good / "so.xlsx", bad=False),
        "bad": _book(bad / "so.xlsx", bad=True),
        "shifted": _book(shifted / "so.xlsx", bad=True, shifted=True),
    }


def leaks(text: str) -> list[str]:
    folded = fold(text)
    return [token for token in TOKENS if token in folded or token in text]


def xml_text(blob: bytes) -> str:
    """Every text node and attribute value of an XML part."""
    root = etree.fromstring(blob)
    values = [value for element in root.iter() for value in element.attrib.values()]
    return " ".join([*root.itertext(), *values])


def zip_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            xml_text(archive.read(name))
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


def invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    monkeypatch.chdir(cwd)
    result = CliRunner(env=ENV).invoke(app, args)
    text = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += "".join(traceback.format_exception(result.exception))  # what --debug prints
    return text, result.exit_code


@pytest.fixture(scope="module")
def outputs(books: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Everything a user can see or receive, produced from both workbooks, by kind."""
    monkeypatch = pytest.MonkeyPatch()
    out = tmp_path_factory.mktemp("ra")
    found: dict[str, str] = {}
    exits: dict[str, int] = {}
    period = ["--period", "9m"]
    try:
        for which, book in books.items():
            work = out / which
            work.mkdir()
            docx, notes = work / "bao_cao.docx", work / "chu_thich.xlsx"
            runs = {
                "validate": ["validate", str(book)],
                "validate --json": ["validate", "--json", str(book)],
                "validate --annotate": ["validate", str(book), "--annotate", str(notes)],
                "figures": ["figures", str(book), *period],
                "figures --json": ["figures", str(book), *period, "--json"],
                "build": ["build", str(book), *period, "--date", DATE, "-o", str(docx)],
                "batch": ["batch", str(book.parent), *period, "--date", DATE, "-o", str(work)],
            }
            for label, args in runs.items():
                for debug in ([], ["--debug"]):
                    key = f"{which}: {' '.join([*debug, label])}"
                    found[key], exits[key] = invoke([*debug, *args], work, monkeypatch)
            if docx.exists():
                found[f"{which}: report .docx"] = zip_text(docx)
            for summary in work.glob("tong_hop_*.xlsx"):
                found[f"{which}: summary workbook parts"] = zip_text(summary)
                cells = [
                    str(value)
                    for sheet in openpyxl.load_workbook(summary)
                    for row in sheet.iter_rows(values_only=True)
                    for value in row
                    if value is not None
                ]
                found[f"{which}: summary workbook cells"] = "\n".join(cells)
            for report in work.glob("*.docx"):
                found[f"{which}: batch report {report.name}"] = zip_text(report)
            comments = [
                cell.comment.text
                for sheet in openpyxl.load_workbook(notes)
                for row in sheet.iter_rows()
                for cell in row
                if cell.comment is not None
            ]
            found[f"{which}: comments added by --annotate"] = "\n".join(comments)
    finally:
        monkeypatch.undo()
    assert exits["good: build"] == 0 and exits["good: batch"] == 0, found["good: build"]
    assert exits["bad: build"] == 1 and exits["bad: validate"] == 1
    assert exits["shifted: build"] == 1 and exits["shifted: batch"] == 1
    return found


EXPECTED_OUTPUTS = [
    f"{which}: {debug}{label}"
    for which in ("good", "bad", "shifted")
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
    "good: summary workbook parts",
    "good: summary workbook cells",
    "bad: summary workbook parts",
    "bad: summary workbook cells",
    "shifted: summary workbook parts",
    "shifted: summary workbook cells",
    "good: comments added by --annotate",
    "bad: comments added by --annotate",
    "shifted: comments added by --annotate",
]


@pytest.mark.parametrize("label", EXPECTED_OUTPUTS)
def test_no_personal_data_in(label: str, outputs: dict[str, str]) -> None:
    assert label in outputs, sorted(outputs)
    assert leaks(outputs[label]) == [], f"{label}: {outputs[label][:3000]}"


def test_the_canaries_were_there_to_find(books: dict[str, Path], tmp_path: Path) -> None:
    """The check above is not vacuous: the workbooks hold every canary, the annotated copy
    (legitimately a copy of the input) shows them, and the scan finds them there."""
    for book in books.values():
        assert sorted(leaks(zip_text(book))) == sorted(TOKENS)
    notes = tmp_path / "chu_thich.xlsx"
    result = CliRunner(env=ENV).invoke(
        app, ["validate", str(books["bad"]), "--annotate", str(notes)]
    )
    assert result.exit_code == 1
    assert sorted(leaks(zip_text(notes))) == sorted(TOKENS)


def test_errors_point_at_the_rows_holding_personal_data(outputs: dict[str, str]) -> None:
    report: dict[str, Any] = json.loads(outputs["bad: validate --json"])["files"][0]
    located = {(i["sheet"], i["cell"], i["code"]) for i in report["issues"]}
    assert ("TiepCongDan", "B5", "bad-date") in located
    assert ("TiepCongDan", "F6", "bad-number") in located
    assert ("TiepCongDan", "B7", "required") in located
    assert ("DonThu", "A3", "bad-date") in located
    assert ("DonThu", "E3", "bad-bool") in located
    assert ("TiepCongDan", "O3", "unknown-column") in located
    # a header is quoted only when it is a near miss of a column's name (SPEC §6)
    assert "! TiepCongDan!O3 — cảnh báo: Cột ở ô O3 không có trong mẫu, bị bỏ qua." in " ".join(
        outputs["good: validate"].split()
    )


def test_shifted_paste_is_described_at_its_cells(outputs: dict[str, str]) -> None:
    """Personal data pasted into a date, count or choice column: each cell is named and its
    content described, never repeated (SPEC §6)."""
    report: dict[str, Any] = json.loads(outputs["shifted: validate --json"])["files"][0]
    said = {i["ref"]: i["message"] for i in report["issues"] if i["severity"] == "error"}
    not_a_date = "Ô có chữ, không đọc được ngày (viết theo dạng ngày/tháng/năm, ví dụ 14/9/2024)."
    assert said == {
        "TiepCongDan!B3": not_a_date,
        "TiepCongDan!C4": "Ô có một dãy số dài, không có trong danh sách: Sáng, Chiều.",
        # the same row's Số người holds the phone number too: said, not hidden by C4
        "TiepCongDan!F4": "Ô có một số rất dài, lớn hơn 10.000: «Số người» phải không quá "
        "10.000 (có thể dán nhầm cột).",
        "TiepCongDan!D5": "Ô có chữ, không có trong danh sách: Thường xuyên, Định kỳ, Ủy quyền, "
        "Đột xuất.",
        "TiepCongDan!H5": "Ô có chữ, không có trong danh sách: Khiếu nại, Tố cáo, Kiến nghị, "
        "Phản ánh.",
        "DonThu!A3": not_a_date,
        "DonThu!C3": "Ô có chữ, không có trong danh sách: Trực tiếp, Bưu chính, Chuyển đến, Khác.",
    }


def test_personal_columns_are_not_kept_after_reading(books: dict[str, Path]) -> None:
    loaded = reading.load(books["good"])
    assert loaded.data is not None
    assert len(loaded.data.receptions) == 3 and len(loaded.data.petitions) == 2
    assert leaks(loaded.data.model_dump_json()) == []


def test_headers_items_and_numbers_are_quoted_only_when_they_cannot_be_personal(
    tmp_path: Path,
) -> None:
    """SPEC §6 holds for labels and numbers too: a header or a ThongTin item is quoted only
    when it is a near miss of a name of the template (which is suggested), a duplicate of one,
    or short number-like text; otherwise it is pointed at by its cell. A phone number typed
    as the population is described by its count of digits, a plain large one quoted."""
    info = [
        *INFO_ROWS,  # rows 1-5
        ["Trần Thị Mận, 0912 345 678", "ghi thêm"],
        ["Số đảng viênn", 12],
        ["Dân số", 912345678],
        ["Diện tích (km²)", 12345],
    ]
    header = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"]
    header += ["Nguyễn Văn Canary 001099012345", "Lĩnh vự", "2024", "Số người", "Nguyễn Tiếp"]
    row = ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "a", "Đất đai", "b", 2, "c"]
    path = write_workbook(tmp_path / "so.xlsx", {"ThongTin": info, "TiepCongDan": [header, row]})
    result = CliRunner(env=ENV).invoke(app, ["validate", "--json", str(path)])
    (report,) = json.loads(result.stdout)["files"]
    codes = ("unknown-column", "unknown-item", "implausible-value")
    said = {i["ref"]: i["message"] for i in report["issues"] if i["code"] in codes}
    assert said == {
        "ThongTin!A6": "Mục ở ô A6 không có trong mẫu, bị bỏ qua.",
        "ThongTin!A7": "Mục «Số đảng viênn» không có trong mẫu, bị bỏ qua; có phải «Số đảng viên»?",
        "ThongTin!B8": "Dân số ghi một số có 9 chữ số, quá lớn cho một đơn vị cấp xã; mật độ dân "
        "số không được tính.",
        "ThongTin!B9": "Diện tích ghi 12.345 km² không giống diện tích một đơn vị cấp xã (thường "
        "từ 0,01 đến 10.000 km²); mật độ dân số không được tính.",
        "TiepCongDan!E1": "Cột ở ô E1 không có trong mẫu, bị bỏ qua.",
        "TiepCongDan!F1": "Cột «Lĩnh vự» không có trong mẫu, bị bỏ qua; có phải «Lĩnh vực»?",
        "TiepCongDan!G1": "Cột «2024» không có trong mẫu, bị bỏ qua.",
        "TiepCongDan!H1": "Cột «Số người» trùng tên với một cột trước, bị bỏ qua.",
        "TiepCongDan!I1": "Cột ở ô I1 không có trong mẫu, bị bỏ qua.",  # a name, not a typo
    }
    annotated = tmp_path / "chu_thich.xlsx"
    text = CliRunner(env=ENV).invoke(app, ["validate", str(path), "--annotate", str(annotated)])
    assert text.exit_code == 0, text.output
    book = openpyxl.load_workbook(annotated)
    comments = {
        f"{sheet.title}!{cell.coordinate}": cell.comment.text
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }
    assert "Cột ở ô E1 không có trong mẫu, bị bỏ qua." in comments["TiepCongDan!E1"]
    assert "một số có 9 chữ số" in comments["ThongTin!B8"]
    for output in (result.stdout, text.output, "\n".join(comments.values())):
        folded = fold(output)
        for token in ("canary", "001099012345", "tranthiman", "0912345678", "912345678"):
            assert token not in folded, token
        assert "nguyentiep" not in folded
