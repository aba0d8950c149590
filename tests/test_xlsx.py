"""``xlsx.put_text``: text from an input is a literal text cell in every workbook danvan writes,
whatever it starts with, and holds no character a workbook cannot carry."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from danvan_cli.xlsx import MAX_CELL_TEXT, clean_text, put_text, put_value

TEXTS = [
    '=HYPERLINK("http://example.com/x","Hải Phòng")',
    "=cmd|' /C calc'!A0",
    "+84 912 345 678",
    "-2",
    "@SUM(A1)",
    "#N/A",
    "Tân Hưng",
]


@pytest.mark.parametrize("text", TEXTS)
def test_text_is_written_literally(text: str, tmp_path: Path) -> None:
    book = Workbook()
    put_text(book.active["B2"], text)
    path = tmp_path / "so.xlsx"
    book.save(path)
    cell = load_workbook(path).active["B2"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix is text.startswith(("=", "+", "-", "@"))
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_other_values_pass_through(tmp_path: Path) -> None:
    book = Workbook()
    put_value(book.active["A1"], 12)
    put_value(book.active["A2"], None)
    put_value(book.active["A3"], "=1+1")
    assert [book.active[ref].value for ref in ("A1", "A2", "A3")] == [12, None, "=1+1"]
    assert [book.active[ref].data_type for ref in ("A1", "A3")] == ["n", "s"]


def test_characters_a_workbook_cannot_hold_are_dropped() -> None:
    assert clean_text("Tân\x00 Hưng\x1b[31m\tđỏ\n") == "Tân Hưng[31m\tđỏ\n"
    assert clean_text("so_\udcff.xlsx") == "so_\ufffd.xlsx"  # an undecodable file-name byte
    assert len(clean_text("x" * 40_000)) == MAX_CELL_TEXT
