"""Opening workbooks safely, finding sheets and header rows, and naming cells as Excel does."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from danvan_cli.errors import UnreadableFileError
from danvan_cli.workbook import Table, iter_workbooks, open_workbook

MakeWorkbook = Callable[..., Path]

HEADER = ["STT", "Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"]
ROW = [1, "14/9/2024", "Định kỳ", 2, "Kiến nghị"]


def reception(path: Path) -> Table:
    return open_workbook(path).tables["tiep_cong_dan"]


@pytest.mark.parametrize(
    "name", ["TiepCongDan", "Tiếp công dân", "tiep cong dan", "TIEP_CONG_DAN", "Sổ tiếp công dân"]
)
def test_sheet_found_by_folded_name(make_workbook: MakeWorkbook, name: str) -> None:
    book = open_workbook(make_workbook({name: [HEADER, ROW]}))
    assert book.tables["tiep_cong_dan"].name == name
    assert book.unknown_sheets == []


def test_sheet_name_in_nfd(make_workbook: MakeWorkbook) -> None:
    name = unicodedata.normalize("NFD", "Tiếp công dân")
    book = open_workbook(make_workbook({name: [HEADER, ROW]}))
    assert "tiep_cong_dan" in book.tables


def test_unknown_sheets_are_listed(make_workbook: MakeWorkbook) -> None:
    book = open_workbook(make_workbook({"Ghi chép riêng": [["a", "b"]], "HuongDan": [["x"]]}))
    assert set(book.unknown_sheets) == {"Ghi chép riêng", "HuongDan"}
    assert set(book.tables) == {"thong_tin"}


def test_header_below_title_rows(make_workbook: MakeWorkbook) -> None:
    path = make_workbook(
        {"TiepCongDan": [HEADER, ROW, ROW]},
        titles={"TiepCongDan": ["SỔ TIẾP CÔNG DÂN NĂM 2024", None]},
    )
    table = reception(path)
    assert table.header_row == 3
    assert [number for number, _ in table.rows] == [4, 5]
    assert [hc.column.key for hc in table.columns] == ["stt", "date", "mode", "people", "kind"]


def test_header_on_row_10_is_found_but_not_on_row_11(make_workbook: MakeWorkbook) -> None:
    nine = ["dòng tiêu đề"] * 9
    ten = ["dòng tiêu đề"] * 10
    found = reception(
        make_workbook({"TiepCongDan": [HEADER, ROW]}, "a.xlsx", titles={"TiepCongDan": nine})
    )
    assert found.header_row == 10
    lost = reception(
        make_workbook({"TiepCongDan": [HEADER, ROW]}, "b.xlsx", titles={"TiepCongDan": ten})
    )
    assert lost.header_row is None


def test_a_row_with_one_known_name_is_not_the_header(make_workbook: MakeWorkbook) -> None:
    path = make_workbook({"TiepCongDan": [["Ngày tiếp", "ghi chép"], HEADER, ROW]})
    assert reception(path).header_row == 2


def test_table_starting_in_column_b_below_empty_rows(make_workbook: MakeWorkbook) -> None:
    path = make_workbook({"TiepCongDan": [HEADER, ROW]}, at={"TiepCongDan": "B3"})
    table = reception(path)
    assert table.header_row == 3
    assert table.first_col == 1
    assert {hc.column.key: table.ref(3, hc.index) for hc in table.columns} == {
        "stt": "B3",
        "date": "C3",
        "mode": "D3",
        "people": "E3",
        "kind": "F3",
    }
    number, values = table.rows[0]
    assert number == 4
    date_column = next(hc for hc in table.columns if hc.column.key == "date")
    assert table.cell(values, date_column.index) == "14/9/2024"


def test_blank_rows_are_skipped(make_workbook: MakeWorkbook) -> None:
    blank = [None] * len(HEADER)
    spaces = ["  ", None, " ", None, None]
    path = make_workbook({"TiepCongDan": [HEADER, ROW, blank, spaces, ROW, blank]})
    assert [number for number, _ in reception(path).rows] == [2, 5]


@pytest.mark.parametrize("chunk", [2, 3, 8192])
def test_rows_are_read_alike_chunk_by_chunk(
    make_workbook: MakeWorkbook, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Rows are read a chunk at a time (a chunk whose every row is data is taken whole): the
    same data rows and cells whatever the chunk's size — a chunk of data only, one with a
    blank row, one whose only "filled" cell holds spaces, a row with its first column blank."""
    import danvan_cli.workbook

    monkeypatch.setattr(danvan_cli.workbook, "TEXT_CHUNK", chunk)
    blank = [None] * len(HEADER)
    spaces = ["  ", None, " ", None, None]
    late = [None, *ROW[1:]]
    rows = [HEADER, ROW, ROW, ROW, ROW, blank, spaces, late, ROW, blank]
    table = reception(make_workbook({"TiepCongDan": rows}))
    assert table.numbers == [2, 3, 4, 5, 8, 9]
    assert [values for _, values in table.rows] == [
        tuple(ROW),
        tuple(ROW),
        tuple(ROW),
        tuple(ROW),
        ("", *ROW[1:]),
        tuple(ROW),
    ]


def test_row_with_only_unknown_columns_filled_is_not_data(make_workbook: MakeWorkbook) -> None:
    path = make_workbook({"TiepCongDan": [[*HEADER, "Cột tạm"], ROW, [None] * 5 + ["ghi tạm"]]})
    table = reception(path)
    assert [number for number, _ in table.rows] == [2]
    assert table.unknown_columns == [("F1", "Cột tạm")]


def test_formula_without_cached_value_is_detected(make_workbook: MakeWorkbook) -> None:
    header = ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp", "Tổng tiếp nhận"]
    path = make_workbook({"MotCua": [header, [1, "Đất đai", 1, 2, "=C2+D2"]]})
    table = open_workbook(path).tables["mot_cua"]
    assert table.formula_cells == frozenset({"E2"})


def test_an_empty_optional_sheet_has_no_header(make_workbook: MakeWorkbook) -> None:
    table = open_workbook(make_workbook({"DonThu": []})).tables["don_thu"]
    assert table.empty
    assert table.header_row is None


# --- files that are not workbooks ----------------------------------------------------------


def _zip_with_member(path: Path, size: int) -> Path:
    chunk = bytes(1 << 20)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return path


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("ghi_chu.xlsx", b"day khong phai so Excel\n", "không phải sổ Excel"),
        ("rong.xlsx", b"", "rỗng"),
        ("van_ban.xlsx", bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2048), ".doc"),
        (
            "mat_khau.xlsx",
            bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512) + "EncryptedPackage".encode("utf-16-le"),
            "mật khẩu",
        ),
        (
            "mat_khau.xls",  # a protected .xlsx saved under the name .xls
            bytes.fromhex("d0cf11e0a1b11ae1") + bytes(512) + "EncryptedPackage".encode("utf-16-le"),
            "có đặt mật khẩu",
        ),
        ("so.csv", b"a,b\n1,2\n", "chỉ đọc được"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as caught:
        open_workbook(path)
    assert name in str(caught.value)
    assert words in str(caught.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="Không tìm thấy"):
        open_workbook(tmp_path / "khong_co.xlsx")
    with pytest.raises(UnreadableFileError, match="thư mục"):
        open_workbook(tmp_path)


def test_truncated_workbook(tmp_path: Path, make_workbook: MakeWorkbook) -> None:
    whole = make_workbook({"TiepCongDan": [HEADER, *[ROW] * 50]}).read_bytes()
    path = tmp_path / "cat_do.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnreadableFileError, match=r"cat_do\.xlsx"):
        open_workbook(path)


def test_zip_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(UnreadableFileError, match=r"nen\.xlsx"):
        open_workbook(path)


def test_highly_compressed_member_is_refused(tmp_path: Path) -> None:
    path = _zip_with_member(tmp_path / "bom_nho.xlsx", 32 << 20)  # 32 MiB of zeros, ratio ~1000
    with pytest.raises(UnreadableFileError, match="bung ra quá lớn"):
        open_workbook(path)


def test_iter_workbooks_searches_folders(tmp_path: Path, make_workbook: MakeWorkbook) -> None:
    first = make_workbook({}, "a.xlsx")
    nested = tmp_path / "huyen"
    nested.mkdir()
    second = nested / "b.xlsx"
    second.write_bytes(first.read_bytes())
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")
    (tmp_path / "ghi_chu.txt").write_text("x")
    assert list(iter_workbooks([tmp_path])) == [first, second]
