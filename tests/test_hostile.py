"""SPEC §6 against hostile files: each file of a corpus written at test time (no binary
fixtures) goes through ``validate``, ``figures --period 9m``, ``build --period 9m`` and
``batch`` (a folder holding only that file). Every run ends in a clear Vietnamese error naming
the file, or in a correct result; exit 1 or 0 as SPEC §5 says; no traceback; bounded time
(< RUN_SECONDS a run) and memory (files that could blow up run in a child process whose peak
resident memory is measured); nothing written on failure (``batch`` writes only its summary
workbook, whose row for the file says why it failed), no temporary file left; the input's bytes
unchanged.

Limits under test (``danvan_cli.workbook``): MAX_UNZIPPED_BYTES (128 MiB inflated, a zip bomb
stops there, before anything is inflated), MAX_CELLS (3 million cells from the first to the
last cell holding a value, measured from the file's bytes before calamine allocates them: one
value in XFD1048576 used to abort the whole process), MAX_KEPT_CELLS and MAX_KEPT_TEXT (what
the rows of every sheet keep), MAX_COPIED_TEXT (text calamine would copy into many cells: a
shared string, a repeated .ods cell, an .xls SST string), models.MAX_NAME_CHARS (the unit's
name, repeated in every citation) and checks.MAX_ISSUES (issues kept; the rest counted).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from conftest import INFO_ROWS, write_workbook
from docx import Document
from lxml import etree
from support import flat, sha256
from typer.testing import CliRunner

from danvan_cli import extents
from danvan_cli.cli import app
from danvan_cli.models import MAX_NAME_CHARS
from danvan_cli.workbook import MAX_UNZIPPED_BYTES

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
COMMANDS = ("validate", "figures", "build", "batch")
DATE = "20/9/2024"
RUN_SECONDS = 10.0
MEMORY_MB = 300
"""Peak resident memory of a child process running all four commands on one heavy file."""
MiB = 1024 * 1024
LONG = 32_767
"""The most characters an Excel cell holds."""
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}


# --- writing hostile files ---------------------------------------------------------------------


def rewrite(source: Path, target: Path, edit: Callable[[str, bytes], bytes]) -> Path:
    """Copy the zip ``source`` to ``target`` member by member through ``edit(name, data)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info)))
    return target


def sheet_part(path: Path, sheet: str) -> str:
    """The zip member holding ``sheet`` of an xlsx (through workbook.xml and its rels)."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as archive:
        workbook = etree.fromstring(archive.read("xl/workbook.xml"))
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    (rid,) = [s.get(rel) for s in workbook.iter(f"{main}sheet") if s.get("name") == sheet]
    (target,) = [r.get("Target") for r in rels if r.get("Id") == rid]
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def edit_sheet(source: Path, target: Path, sheet: str, edit: Callable[[bytes], bytes]) -> Path:
    part = sheet_part(source, sheet)
    return rewrite(source, target, lambda name, data: edit(data) if name == part else data)


def before_sheet_data_end(rows: bytes) -> Callable[[bytes], bytes]:
    def edit(xml: bytes) -> bytes:
        head, end, tail = xml.partition(b"</sheetData>")
        assert end, "no </sheetData>"
        return head + rows + end + tail

    return edit


def sample_copy(folder: Path, name: str = "so.xlsx") -> Path:
    target = folder / name
    target.write_bytes(SAMPLE.read_bytes())
    return target


def make_not_a_zip(folder: Path) -> Path:
    path = folder / "khong_phai_zip.xlsx"
    path.write_text("Đây là một tệp văn bản, không phải sổ Excel.\n" * 20, encoding="utf-8")
    return path


def make_empty(folder: Path) -> Path:
    path = folder / "rong.xlsx"
    path.write_bytes(b"")
    return path


def make_truncated(percent: int) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        whole = SAMPLE.read_bytes()
        path = folder / f"cat_do_{percent}.xlsx"
        path.write_bytes(whole[: len(whole) * percent // 100])
        return path

    return make


OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def make_renamed_doc(folder: Path) -> Path:
    path = folder / "cong_van.xlsx"
    path.write_bytes(OLE_MAGIC + bytes(504) + os.urandom(4096) + "WordDocument".encode("utf-16-le"))
    return path


def make_renamed_docx(folder: Path) -> Path:
    """A Word .docx (a zip, like an .xlsx) renamed .xlsx."""
    path = folder / "bao_cao_cu.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="x"/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return path


def make_password_protected(folder: Path) -> Path:
    path = folder / "co_mat_khau.xlsx"
    body = bytes(1024) + "EncryptionInfo".encode("utf-16-le") + bytes(64)
    path.write_bytes(OLE_MAGIC + bytes(504) + body + "EncryptedPackage".encode("utf-16-le"))
    return path


def _padded_sheet_member(archive: zipfile.ZipFile, name: str, xml: bytes, padding: int) -> None:
    """``xml`` with ``padding`` bytes of spaces inside <sheetData>, written streaming at level 1
    (fast, and a few MB on disk for hundreds of MB inflated)."""
    head, end, tail = xml.partition(b"</sheetData>")
    with archive.open(name, "w", force_zip64=padding > 1024 * MiB) as out:
        out.write(head)
        chunk = b" " * MiB
        for _ in range(padding // MiB):
            out.write(chunk)
        out.write(end + tail)


def make_zip_bomb(folder: Path) -> Path:
    """The sample whose TiepCongDan sheet inflates past MAX_UNZIPPED_BYTES."""
    path = folder / "bom_zip.xlsx"
    part = sheet_part(SAMPLE, "TiepCongDan")
    with (
        zipfile.ZipFile(SAMPLE) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for info in old.infolist():
            if info.filename == part:
                _padded_sheet_member(new, part, old.read(info), MAX_UNZIPPED_BYTES + 8 * MiB)
            else:
                new.writestr(info.filename, old.read(info))
    assert path.stat().st_size < 8 * MiB
    return path


def make_lying_zip_bomb(folder: Path) -> Path:
    """A member that declares 60 kB but inflates to 300 MB (zipfile's own ``read`` would
    inflate it whole before noticing)."""
    path = folder / "bom_khai_gian.xlsx"
    part = sheet_part(SAMPLE, "TiepCongDan")
    with (
        zipfile.ZipFile(SAMPLE) as old,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new,
    ):
        for info in old.infolist():
            if info.filename == part:
                _padded_sheet_member(new, part, old.read(info), 300 * MiB)
            else:
                new.writestr(info.filename, old.read(info))
    declared = 60_000
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
        position = archive.start_dir
    assert raw[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", raw, info.header_offset + 22, declared)  # local header
    while raw[position : position + 4] == b"PK\x01\x02":  # central directory
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, position + 28)
        if raw[position + 46 : position + 46 + name_len] == part.encode():
            struct.pack_into("<I", raw, position + 24, declared)
        position += 46 + name_len + extra_len + comment_len
    path.write_bytes(raw)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(part).file_size == declared
    return path


def make_case_twin_part(folder: Path) -> Path:
    """The sample plus a second TiepCongDan part whose name differs only in case, holding a
    cell at ZZ400000: part names ignore case, calamine may read either, danvan measured one
    (a 390 kB file once took 8,8 GB)."""
    path = folder / "hai_phan_cung_ten.xlsx"
    part = sheet_part(SAMPLE, "TiepCongDan")
    far = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
        b'<row r="400000"><c r="ZZ400000"><v>1</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(SAMPLE) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        new.writestr(part.upper(), far)
    return path


_LAUGHS = (
    b"<!DOCTYPE lolz [<!ENTITY lol0 'lollollollollollollollollollol'>"
    + b"".join(b"<!ENTITY lol%d '%s'>" % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)


def _with_doctype(xml: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        declaration, end, rest = xml.partition(b"?>")
        return declaration + end + _LAUGHS + rest
    return _LAUGHS + xml


def _laughing_base(folder: Path) -> Path:
    return write_workbook(
        folder / "co_so.xlsx",
        {"TiepCongDan": [LOG_HEADER, ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "ĐẤT"]]},
    )


LOG_HEADER = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", "Lĩnh vực"]


def make_entity_bomb_in_sheet(folder: Path) -> Path:
    """A 'billion laughs' DOCTYPE in a worksheet, the entity used in a cell."""
    base = _laughing_base(folder)

    def edit(xml: bytes) -> bytes:
        cell = re.compile(rb"<c r=\"E2\"[^>]*>.*?</c>", re.S)
        return _with_doctype(cell.sub(b'<c r="E2" t="inlineStr"><is><t>&lol9;</t></is></c>', xml))

    path = edit_sheet(base, folder / "cuoi_ngat_trang.xlsx", "TiepCongDan", edit)
    base.unlink()
    return path


def declare_shared_strings(name: str, data: bytes) -> bytes:
    """A workbook part with xl/sharedStrings.xml declared (content type and relationship)."""
    if name == "[Content_Types].xml":
        override = (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        return data.replace(b"</Types>", override + b"</Types>")
    if name == "xl/_rels/workbook.xml.rels":
        relation = (
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        )
        return data.replace(b"</Relationships>", relation + b"</Relationships>")
    return data


def make_entity_bomb_in_shared_strings(folder: Path) -> Path:
    """The same bomb in xl/sharedStrings.xml, which every cell with text points into."""
    base = _laughing_base(folder)
    part = sheet_part(base, "TiepCongDan")
    strings = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        + _LAUGHS
        + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    )

    def edit(name: str, data: bytes) -> bytes:
        if name == part:
            cell = re.compile(rb"<c r=\"E2\"[^>]*>.*?</c>", re.S)
            return cell.sub(b'<c r="E2" t="s"><v>0</v></c>', data)
        return declare_shared_strings(name, data)

    path = rewrite(base, folder / "cuoi_ngat_chuoi.xlsx", edit)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    base.unlink()
    return path


def make_million_formatted_rows(folder: Path) -> Path:
    """The sample's TiepCongDan with every row down to 1.048.576 holding a formatted but empty
    cell in column AN (what a clerk formatting whole columns leaves behind)."""
    rows = b"".join(b'<row r="%d"><c r="AN%d" s="0"/></row>' % (n, n) for n in range(60, 1_048_577))
    path = sample_copy(folder, "dinh_dang.xlsx")
    return edit_sheet(SAMPLE, path, "TiepCongDan", before_sheet_data_end(rows))


def make_far_cell(folder: Path) -> Path:
    """One value typed in the last cell of the sheet, XFD1048576."""
    row = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return edit_sheet(SAMPLE, folder / "o_xa.xlsx", "TiepCongDan", before_sheet_data_end(row))


def make_unclosed_tags(folder: Path) -> Path:
    """200.000 cell tags that never close, after the sheet's end, in a sheet with a formula
    (beside the table, so no row of the log): a regular expression like ``<c([^>]*?)>`` would
    rescan to the end from each of them (quadratic: hours)."""

    def edit(xml: bytes) -> bytes:
        row = b'<row r="60"><c r="AA60" t="e"><f>1/0</f></c></row>'
        return before_sheet_data_end(row)(xml) + b"<c " * 200_000

    return edit_sheet(SAMPLE, folder / "the_khong_dong.xlsx", "TiepCongDan", edit)


def make_duplicate_part(folder: Path) -> Path:
    """Two zip members named like TiepCongDan's part, the first with a far cell: Python's
    zipfile and calamine's zip reader need not pick the same one."""
    part = sheet_part(SAMPLE, "TiepCongDan")
    path = folder / "hai_phan.xlsx"
    far = before_sheet_data_end(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    with zipfile.ZipFile(SAMPLE) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == part:
                with pytest.warns(UserWarning, match="Duplicate name"):
                    new.writestr(part, far(data))
                    new.writestr(part, data)
            else:
                new.writestr(info, data)
    return path


def make_corrupt_unknown_sheet(folder: Path) -> Path:
    """The sample plus a sheet of the clerk's own whose deflate stream is damaged: danvan never
    reads that sheet, so the report is built."""
    book = openpyxl.load_workbook(SAMPLE)
    notes = book.create_sheet("GhiChepRieng")
    for row in range(1, 200):
        notes.cell(row=row, column=1, value=f"Ghi chép dòng {row} " * 5)
    path = folder / "trang_rieng_hong.xlsx"
    book.save(path)
    part = sheet_part(path, "GhiChepRieng")
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(start + 40, start + 120):
        raw[index] ^= 0x5A
    path.write_bytes(raw)
    return path


def make_corrupt_known_sheet(folder: Path) -> Path:
    raw = bytearray(SAMPLE.read_bytes())
    part = sheet_part(SAMPLE, "TiepCongDan")
    with zipfile.ZipFile(SAMPLE) as archive:
        info = archive.getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for index in range(start + 100, start + 400):
        raw[index] ^= 0x5A
    path = folder / "trang_hong.xlsx"
    path.write_bytes(raw)
    return path


def make_merged_headers(folder: Path) -> Path:
    """Every header cell of TiepCongDan and DonThu merged with the cell below it (a two-row
    header), above the sample's data."""
    book = openpyxl.load_workbook(SAMPLE)
    for name in ("TiepCongDan", "DonThu"):
        sheet = book[name]
        sheet.insert_rows(4)
        for column in range(1, sheet.max_column + 1):
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    path = folder / "tieu_de_gop.xlsx"
    book.save(path)
    return path


def make_header_in_row_11(folder: Path) -> Path:
    titles = ["SỔ TIẾP CÔNG DÂN NĂM 2024", *[None] * 8, "(kèm theo Quyết định số 01/QĐ-UBND)"]
    return write_workbook(
        folder / "tieu_de_dong_11.xlsx",
        {"TiepCongDan": [LOG_HEADER, ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "Đất đai"]]},
        titles={"TiepCongDan": titles},
    )


ERROR_ROWS = 6


def make_error_values(folder: Path) -> Path:
    """A reception log whose every cell below the header is #REF! or #DIV/0!."""
    rows = [["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "Đất đai"]] * ERROR_ROWS
    base = write_workbook(folder / "co_so.xlsx", {"TiepCongDan": [LOG_HEADER, *rows]})
    cell = re.compile(rb'<c r="([A-Z]+)([0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)

    def to_error(match: re.Match[bytes]) -> bytes:
        if int(match.group(2)) == 1:
            return match.group(0)
        code = b"#REF!" if int(match.group(2)) % 2 else b"#DIV/0!"
        return b'<c r="%s%s" t="e"><v>%s</v></c>' % (match.group(1), match.group(2), code)

    path = edit_sheet(
        base, folder / "loi_cong_thuc.xlsx", "TiepCongDan", lambda x: cell.sub(to_error, x)
    )
    base.unlink()
    return path


def make_nan_and_infinity(folder: Path) -> Path:
    """Number cells holding NaN and ±infinity (``<v>NaN</v>``, ``<v>1e999</v>``): no spreadsheet
    writes them, calamine reads them as floats all the same."""
    rows = [["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "Đất đai"]] * 3
    info = [*INFO_ROWS, ["Diện tích (km²)", 7.5], ["Dân số", 7506]]
    base = write_workbook(
        folder / "co_so.xlsx", {"ThongTin": info, "TiepCongDan": [LOG_HEADER, *rows]}
    )
    values = {b"A2": b"NaN", b"C2": b"1e999", b"A3": b"-1e999", b"C3": b"NaN", b"A4": b"inf"}
    cell = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)>.*?</c>', re.S)

    def log(xml: bytes) -> bytes:
        def swap(match: re.Match[bytes]) -> bytes:
            value = values.get(match.group(1))
            return (
                match.group(0)
                if value is None
                else b'<c r="%s"><v>%s</v></c>'
                % (
                    match.group(1),
                    value,
                )
            )

        return cell.sub(swap, xml)

    def profile(xml: bytes) -> bytes:
        return xml.replace(b"<v>7.5</v>", b"<v>NaN</v>").replace(b"<v>7506</v>", b"<v>inf</v>")

    middle = edit_sheet(base, folder / "giua.xlsx", "TiepCongDan", log)
    path = edit_sheet(middle, folder / "so_nan.xlsx", "ThongTin", profile)
    base.unlink()
    middle.unlink()
    return path


def make_long_cells(folder: Path) -> Path:
    """32.767-character cells in the text columns the report prints, and in personal ones."""
    long_text = ("Tăng cường đối thoại với Nhân dân. " * 1000)[:LONG]
    info = [*INFO_ROWS, ["Vị trí địa lý", long_text], ["Cơ cấu chi bộ", long_text]]
    return write_workbook(
        folder / "o_dai.xlsx",
        {
            "ThongTin": info,
            "TiepCongDan": [
                [*LOG_HEADER, "Nội dung", "Ghi chú"],
                ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", "Đất đai", long_text, long_text],
            ],
            "VanBan": [
                ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Nhóm"],
                ["17/KH-UBND", "22/02/2024", long_text, "Lãnh đạo chỉ đạo"],
            ],
            "NoiDung": [["Mục", "Nội dung"], ["I", long_text], ["IV", long_text]],
        },
    )


def make_two_hundred_sheets(folder: Path) -> Path:
    book = openpyxl.load_workbook(SAMPLE)
    for index in range(192):
        extra = book.create_sheet(f"Trang phụ {index + 1}")
        extra["A1"] = "Ghi chép"
        extra["B2"] = index
    assert len(book.sheetnames) == 200
    path = folder / "hai_tram_trang.xlsx"
    book.save(path)
    return path


def make_vietnamese_name(folder: Path) -> Path:
    return sample_copy(folder, "Sổ dân vận xã Tân Hưng 2024.xlsx")


# --- .xls (BIFF8 in an OLE2 compound file) and .ods, written by hand: no extra dependency -----


def sample_rows() -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(SAMPLE)
    return {
        sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()] for sheet in book
    }


def _biff(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _biff_bof(substream: int) -> bytes:
    return _biff(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 6))


def _biff_cell(row: int, col: int, value: Any) -> bytes:
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        value = (day - dt.date(1899, 12, 30)).days  # an Excel serial number
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _biff(0x0203, struct.pack("<HHHd", row, col, 15, float(value)))
    text = str(value)
    return _biff(
        0x0204,
        struct.pack("<HHHHB", row, col, 15, len(text), 1) + text.encode("utf-16-le"),
    )


def biff_workbook(
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    globals_records: bytes = b"",
    cell_records: Mapping[str, bytes] | None = None,
) -> bytes:
    """A BIFF8 Workbook stream: globals (``globals_records`` after the BOF and CODEPAGE, then
    BOUNDSHEET per sheet) then one substream a sheet (``cell_records[name]`` after its
    cells)."""
    bodies = []
    for name, rows in sheets.items():
        cells = [
            _biff_cell(r, c, value)
            for r, row in enumerate(rows)
            for c, value in enumerate(row)
            if value is not None
        ]
        extra = (cell_records or {}).get(name, b"")
        bodies.append(_biff_bof(0x10) + b"".join(cells) + extra + _biff(0x000A))

    def globals_part(offsets: Sequence[int]) -> bytes:
        records = [_biff_bof(0x05), _biff(0x0042, struct.pack("<H", 1200)), globals_records]
        for name, offset in zip(sheets, offsets, strict=True):
            raw = name.encode("utf-16-le")
            records.append(_biff(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + raw))
        return b"".join([*records, _biff(0x000A)])

    position = len(globals_part([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(position)
        position += len(body)
    return globals_part(offsets) + b"".join(bodies)


def compound_file(stream: bytes, name: str = "Workbook") -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream."""
    sector = 512
    stream = stream.ljust(max(4096, -(-len(stream) // sector) * sector), b"\0")
    count = len(stream) // sector
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + 1 + count:
        fat_sectors += 1
    first = fat_sectors + 1  # FAT sectors, then the directory, then the stream
    fat = [0xFFFFFFFD] * fat_sectors + [0xFFFFFFFE]
    fat += [first + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (fat_sectors * 128 - len(fat))

    def entry(entry_name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = entry_name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
            + bytes(36)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0)
    directory += entry(name, 2, 0xFFFFFFFF, first, len(stream))
    header = (
        OLE_MAGIC
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIII", 0, fat_sectors, fat_sectors, 0, 4096, 0xFFFFFFFE, 0)
        + struct.pack("<II", 0xFFFFFFFE, 0)
    )
    difat = [*range(fat_sectors), *[0xFFFFFFFF] * (109 - fat_sectors)]
    header = header[:76] + struct.pack("<109I", *difat)
    assert len(header) == sector
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory.ljust(sector, b"\0") + stream


def make_xls(folder: Path) -> Path:
    path = folder / "so_cu.xls"
    path.write_bytes(compound_file(biff_workbook(sample_rows())))
    return path


def make_password_xls(folder: Path) -> Path:
    """A password-protected .xls: FILEPASS in the globals, and every record body after it
    scrambled (RC4), so the cell records' rows and columns are noise."""
    filepass = _biff(0x002F, struct.pack("<HHH", 1, 1, 1) + os.urandom(48))
    plain = biff_workbook(sample_rows(), filepass)
    stream, position = bytearray(plain), plain.index(filepass) + len(filepass)
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        if kind not in (0x0809, 0x0085):  # BOF and BOUNDSHEET stay readable
            stream[position + 4 : position + 4 + length] = os.urandom(length)
        position += 4 + length
    path = folder / "co_mat_khau.xls"
    path.write_bytes(compound_file(bytes(stream)))
    return path


def make_protected_xlsx_named_xls(folder: Path) -> Path:
    """A password-protected .xlsx (Office stores it as an OLE2 file holding EncryptionInfo and
    EncryptedPackage streams) saved under the name .xls."""
    path = folder / "so_mat_khau.xls"
    path.write_bytes(compound_file(os.urandom(8192), "EncryptedPackage"))
    return path


def make_far_cell_xls(folder: Path) -> Path:
    """A BIFF cell record at column 65.535 (Excel's own limit is 255)."""
    rows = sample_rows()
    stream = biff_workbook(rows)
    far = _biff(0x0203, struct.pack("<HHHd", 65_535, 65_535, 15, 1.0))
    stream = stream[:-4] + far + stream[-4:]  # before the last sheet's EOF record
    path = folder / "o_xa.xls"
    path.write_bytes(compound_file(stream))
    return path


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
    'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def _ods_cell(value: Any) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def write_ods(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    extra_rows: str = "",
    settings: str = "",
) -> Path:
    """A minimal .ods; ``extra_rows`` (raw XML) closes the last sheet, ``settings`` (raw XML,
    e.g. ``<table:calculation-settings>``) comes before the first."""
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        last = name == list(sheets)[-1]
        tables.append(
            f"<table:table table:name={quoteattr(name)}>{body}"
            f"{extra_rows if last else ''}</table:table>"
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        f'office:version="1.2"><office:body><office:spreadsheet>{settings}{"".join(tables)}'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", _ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def make_ods(folder: Path) -> Path:
    return write_ods(folder / "so_libreoffice.ods", sample_rows())


def make_ods_repeat_bomb(folder: Path) -> Path:
    """A 2 kB .ods whose one row, repeated a million times, holds 100 valued cells: 100
    million cells once expanded."""
    bomb = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="100" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    rows = {"ThongTin": INFO_ROWS, "TiepCongDan": [LOG_HEADER]}
    return write_ods(folder / "bom_lap.ods", rows, bomb)


# --- text read many times, names repeated in every citation (issue 12 item 3) -----------------

COPIES = 20_000
"""Cells showing one 32.767-character text: 650 MB once each has its copy (calamine gives
every cell its own), from a file of a few kilobytes."""


def _documents_book(folder: Path, name: str, unit_letters: int) -> Path:
    """ThongTin with a unit name of ``unit_letters`` letters and 30.000 VanBan rows without an
    issuer: the name was built into every citation (the figures' issuer) and folded there."""
    documents = [["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Nhóm"]]
    documents += [
        [f"{n}/KH-UBND", dt.date(2024, 1 + n % 8, 1 + n % 27), "triển khai", "Lãnh đạo chỉ đạo"]
        for n in range(1, 30_001)
    ]
    info = [row if row[0] != "Tên đơn vị" else ["Tên đơn vị", "TENDONVI"] for row in INFO_ROWS]
    base = write_workbook(folder / f"goc_{name}", {"ThongTin": info, "VanBan": documents})
    letters = b"A" * unit_letters  # past what openpyxl writes (32.767): the sheet is edited
    path = edit_sheet(
        base, folder / name, "ThongTin", lambda xml: xml.replace(b"TENDONVI", letters)
    )
    base.unlink()
    return path


def make_long_name_and_documents(folder: Path) -> Path:
    """The workbook of the issue: a 100.000-letter commune name, 30.000 documents."""
    return _documents_book(folder, "ten_dai.xlsx", 100_000)


def make_documents_at_the_name_limit(folder: Path) -> Path:
    """The longest name accepted (MAX_NAME_CHARS letters) and 30.000 documents."""
    return _documents_book(folder, "ba_muoi_nghin_van_ban.xlsx", MAX_NAME_CHARS)


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^<>]*?) t="inlineStr"><is><t>(.*?)</t></is></c>')


def with_shared_strings(
    source: Path, target: Path, texts: Mapping[bytes, bytes] | None = None
) -> Path:
    """``source`` as Excel writes it: each text once in xl/sharedStrings.xml, every cell
    showing it pointing to it (openpyxl writes every text in its cell); ``texts`` replaces
    some texts of that part (one placeholder shown in many cells becomes a long text)."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(3), len(strings))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), index)

    def edit(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/"):
            return _INLINE.sub(shared, data)
        return declare_shared_strings(name, data)

    rewrite(source, target, edit)
    replaced = [(texts or {}).get(text, text) for text in strings]
    items = b"".join(b"<si><t>%s</t></si>" % text for text in replaced)
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + items
            + b"</sst>",
        )
    return target


def make_shared_string_copies(folder: Path) -> Path:
    """COPIES NoiDung rows showing one 32.767-character shared string."""
    rows = [["Mục", "Nội dung"], *[["I", "CHUDAI"]] * COPIES]
    base = write_workbook(folder / "goc.xlsx", {"NoiDung": rows})
    path = with_shared_strings(base, folder / "chuoi_chung.xlsx", {b"CHUDAI": b"x" * LONG})
    base.unlink()
    return path


def make_ods_repeated_text(folder: Path) -> Path:
    """An .ods NoiDung row holding a 32.767-character text, repeated COPIES times."""
    row = (
        f'<table:table-row table:number-rows-repeated="{COPIES}">'
        f"{_ods_cell('I')}{_ods_cell('x' * LONG)}</table:table-row>"
    )
    sheets = {"ThongTin": INFO_ROWS, "NoiDung": [["Mục", "Nội dung"]]}
    return write_ods(folder / "lap_chu.ods", sheets, row)


def _sst(text: str) -> bytes:
    """An SST record of one Latin-1 string, its characters run on in CONTINUE records (each
    starting with its flags byte), as Excel splits a long string."""
    chars = text.encode("latin-1")
    first = 8224 - 8 - 3
    records = [_biff(0x00FC, struct.pack("<IIHB", COPIES, 1, len(chars), 0) + chars[:first])]
    for start in range(first, len(chars), 8223):
        records.append(_biff(0x003C, b"\x00" + chars[start : start + 8223]))
    return b"".join(records)


def make_xls_sst_copies(folder: Path) -> Path:
    """An .xls whose NoiDung shows one 32.767-character SST string in COPIES cells."""
    cells = b"".join(
        _biff(0x00FD, struct.pack("<HHHI", row, 1, 15, 0)) for row in range(1, COPIES + 1)
    )
    stream = biff_workbook(
        {"ThongTin": INFO_ROWS, "NoiDung": [["Mục", "Nội dung"]]},
        globals_records=_sst("x" * LONG),
        cell_records={"NoiDung": cells},
    )
    path = folder / "sst_lap.xls"
    path.write_bytes(compound_file(stream))
    return path


def make_rows_over_sheets(folder: Path) -> Path:
    """Two sheets each under the limits, together keeping too many cells: one value in row
    90.000 of TiepCongDan (10 kept columns) and of DonThu (5)."""
    far = b'<row r="90000"><c r="N90000"><v>1</v></c></row>'
    path = edit_sheet(SAMPLE, folder / "tam.xlsx", "TiepCongDan", before_sheet_data_end(far))
    target = edit_sheet(path, folder / "hai_trang_dai.xlsx", "DonThu", before_sheet_data_end(far))
    path.unlink()
    return target


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    make: Callable[[Path], Path]
    outcome: str  # "ok": a correct result; "error": a clear error; "either"
    words: str = ""  # what the error says, beside the file's name
    heavy: bool = False  # run in a child process, its peak memory measured
    sample_figures: bool = True  # a correct result has the sample's figures


CASES: dict[str, Case] = {
    "not-a-zip": Case(make_not_a_zip, "error", "không phải sổ Excel đọc được"),
    "empty": Case(make_empty, "error", "rỗng (0 byte)"),
    "truncated-10": Case(make_truncated(10), "error", "bị cắt dở"),
    "truncated-50": Case(make_truncated(50), "error", "bị cắt dở"),
    "truncated-90": Case(make_truncated(90), "error", "bị cắt dở"),
    "doc-renamed": Case(make_renamed_doc, "error", "tệp Office đời cũ"),
    "docx-renamed": Case(make_renamed_docx, "error", "không phải sổ Excel đọc được"),
    "password": Case(make_password_protected, "error", "có đặt mật khẩu"),
    "password-xls": Case(make_password_xls, "error", "có đặt mật khẩu"),
    "protected-xlsx-as-xls": Case(make_protected_xlsx_named_xls, "error", "có đặt mật khẩu"),
    "zip-bomb": Case(make_zip_bomb, "error", "bung ra quá lớn", heavy=True),
    "lying-zip-bomb": Case(make_lying_zip_bomb, "error", "hỏng", heavy=True),
    "case-twin-part": Case(make_case_twin_part, "error", "hỏng", heavy=True),
    "entity-bomb-sheet": Case(
        make_entity_bomb_in_sheet, "either", "không phải sổ Excel đọc được", heavy=True
    ),
    "entity-bomb-strings": Case(
        make_entity_bomb_in_shared_strings, "either", "không phải sổ Excel đọc được", heavy=True
    ),
    "million-formatted-rows": Case(make_million_formatted_rows, "ok", heavy=True),
    "far-cell": Case(make_far_cell, "error", "vùng dữ liệu quá lớn", heavy=True),
    "unclosed-tags": Case(make_unclosed_tags, "ok", heavy=True),
    "far-cell-xls": Case(make_far_cell_xls, "error", "vùng dữ liệu quá lớn", heavy=True),
    "ods-repeat-bomb": Case(make_ods_repeat_bomb, "error", "vùng dữ liệu quá lớn", heavy=True),
    "long-name-30000-documents": Case(
        make_long_name_and_documents, "error", "quá dài cho «Tên đơn vị»", heavy=True
    ),
    "30000-documents": Case(
        make_documents_at_the_name_limit, "ok", heavy=True, sample_figures=False
    ),
    "shared-string-copies": Case(
        make_shared_string_copies, "error", "lặp lại những đoạn chữ dài", heavy=True
    ),
    "ods-repeated-text": Case(
        make_ods_repeated_text, "error", "lặp lại những đoạn chữ dài", heavy=True
    ),
    "xls-sst-copies": Case(make_xls_sst_copies, "error", "lặp lại những đoạn chữ dài", heavy=True),
    "rows-over-sheets": Case(make_rows_over_sheets, "error", "quá dài", heavy=True),
    "corrupt-unknown-sheet": Case(make_corrupt_unknown_sheet, "ok"),
    "corrupt-known-sheet": Case(make_corrupt_known_sheet, "error", "hỏng"),
    "duplicate-part": Case(make_duplicate_part, "error", "hỏng"),
    "merged-headers": Case(make_merged_headers, "ok"),
    "header-row-11": Case(make_header_in_row_11, "error", "Không tìm thấy dòng tiêu đề"),
    "error-values": Case(make_error_values, "error", "báo lỗi công thức"),
    "nan-and-infinity": Case(make_nan_and_infinity, "error", "Giá trị «nan» không phải số"),
    "long-cells": Case(make_long_cells, "ok", sample_figures=False),
    "200-sheets": Case(make_two_hundred_sheets, "ok"),
    "vietnamese-name": Case(make_vietnamese_name, "ok"),
    "xls": Case(make_xls, "ok"),
    "ods": Case(make_ods, "ok"),
}
LIGHT = [name for name, case in CASES.items() if not case.heavy]
HEAVY = [name for name, case in CASES.items() if case.heavy]


def test_every_error_case_says_what_is_wrong() -> None:
    """A case that may end in an error names the words its message must hold."""
    assert [name for name, case in CASES.items() if case.outcome != "ok" and not case.words] == []


class Corpus:
    """Each hostile file, written on first use in a folder of its own (for ``batch``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self.files:
            folder = self.root / name
            folder.mkdir()
            path = CASES[name].make(folder)
            assert list(folder.iterdir()) == [path], "one file per folder"
            self.files[name] = path
        return self.files[name]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def sample_figures() -> dict[str, Any]:
    result = CliRunner(env=ENV).invoke(app, ["figures", str(SAMPLE), "--period", "9m", "--json"])
    assert result.exit_code == 0, result.output
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


# --- one run and what it must show -------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    command: str
    exit_code: int
    stdout: str
    output: str  # stdout and stderr
    exception: str | None  # an exception other than SystemExit, as text
    seconds: float


def arguments(command: str, file: Path, workdir: Path) -> list[str]:
    if command == "validate":
        return ["validate", str(file)]
    if command == "figures":
        return ["figures", str(file), "--period", "9m", "--json"]
    if command == "build":
        out = workdir / "bao_cao.docx"
        return ["build", str(file), "--period", "9m", "--date", DATE, "-o", str(out)]
    return ["batch", str(file.parent), "--period", "9m", "--date", DATE, "-o", str(workdir)]


def listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def docx_parts_parse(path: Path) -> None:
    Document(str(path))
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name))


def summary_rows(workdir: Path) -> list[list[Any]]:
    (summary,) = workdir.glob("tong_hop_*.xlsx")
    sheet = openpyxl.load_workbook(summary)["TongHop"]
    return [list(row) for row in sheet.iter_rows(min_row=7, values_only=True) if row[0]]


def check_run(case: Case, run: Run, file: Path, workdir: Path, expected: dict[str, Any]) -> None:
    where = f"{run.command}: {run.output[-2000:]}"
    assert "Traceback" not in run.output, where
    assert run.exception is None, f"{run.command}: {run.exception}"
    assert run.seconds < RUN_SECONDS, f"{run.command} took {run.seconds:.1f} s"
    assert run.exit_code in (0, 1), where
    outcome = case.outcome
    if outcome == "either":
        outcome = "ok" if run.exit_code == 0 else "error"
    written = listing(workdir)
    assert not [name for name in written if name.endswith(".tmp")], written
    if outcome == "error":
        assert run.exit_code == 1, where
        text = flat(run.output)
        assert file.name in text, where
        if run.command == "batch":
            (row,) = summary_rows(workdir)
            assert row[3] == file.name and row[4] == "Lỗi", row
            assert case.words in flat(str(row[5])), row
            assert [n for n in written if not n.startswith("tong_hop_")] == [], written
        else:
            assert "Lỗi" in text or "lỗi" in text, where
            assert case.words in text, where
            assert written == [], written
        return
    assert run.exit_code == 0, where
    if run.command == "validate":
        assert f"{file}: hợp lệ — 0 lỗi" in flat(run.output), where
        assert written == []
    elif run.command == "figures":
        figures = json.loads(run.stdout)
        if case.sample_figures:
            assert figures == expected
        assert written == []
    elif run.command == "build":
        assert written == ["bao_cao.docx"], written
        docx_parts_parse(workdir / "bao_cao.docx")
    else:
        reports = [name for name in written if name.endswith(".docx")]
        assert len(reports) == 1 and len(written) == 2, written
        docx_parts_parse(workdir / reports[0])
        (row,) = summary_rows(workdir)
        assert row[4] == "Đã lập", row


def invoke(command: str, file: Path, workdir: Path) -> Run:
    runner = CliRunner(env=ENV)
    begin = time.perf_counter()
    result = runner.invoke(app, arguments(command, file, workdir))
    seconds = time.perf_counter() - begin
    exception = result.exception
    shown = None if exception is None or isinstance(exception, SystemExit) else repr(exception)
    return Run(command, result.exit_code, result.stdout, result.output, shown, seconds)


# --- light files: in process ---------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", LIGHT)
def test_light_file_through_every_command(
    name: str,
    command: str,
    corpus: Corpus,
    sample_figures: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = corpus[name]
    before = (sha256(file), listing(file.parent))
    workdir = tmp_path / "out"
    workdir.mkdir()
    monkeypatch.chdir(workdir)  # anything written by mistake lands where it is seen
    run = invoke(command, file, workdir)
    check_run(CASES[name], run, file, workdir, sample_figures)
    assert (sha256(file), listing(file.parent)) == before, "the input was modified"


# --- heavy files: in a child process, peak memory measured ----------------------------------------

_CHILD = """
import json, os, resource, sys, time
from typer.testing import CliRunner
from danvan_cli.cli import app
runs = []
for command, args, cwd in json.loads(sys.argv[1]):
    os.chdir(cwd)
    begin = time.perf_counter()
    result = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"}).invoke(app, args)
    error = result.exception
    runs.append({
        "command": command, "exit_code": result.exit_code, "stdout": result.stdout,
        "output": result.output, "seconds": time.perf_counter() - begin,
        "exception": None if error is None or isinstance(error, SystemExit) else repr(error),
    })
def peak_mb():
    # VmHWM starts afresh with this program; ru_maxrss would count the forked pytest too.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"runs": runs, "peak_mb": peak_mb()}))
"""


def run_in_child(jobs: list[tuple[str, list[str], Path]]) -> tuple[list[Run], int]:
    env = {**os.environ, **ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    payload = json.dumps([(command, args, str(cwd)) for command, args, cwd in jobs])
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, payload],
        capture_output=True,
        text=True,
        env=env,
        timeout=RUN_SECONDS * len(jobs) + 30,
        check=False,
    )
    assert done.returncode == 0, f"child died ({done.returncode}): {done.stderr[-3000:]}"
    data = json.loads(done.stdout.strip().splitlines()[-1])
    return [Run(**run) for run in data["runs"]], int(data["peak_mb"])


@pytest.mark.parametrize("name", HEAVY)
def test_heavy_file_through_every_command(
    name: str, corpus: Corpus, sample_figures: dict[str, Any], tmp_path: Path
) -> None:
    file = corpus[name]
    before = (sha256(file), listing(file.parent))
    workdirs = {command: tmp_path / command for command in COMMANDS}
    for folder in workdirs.values():
        folder.mkdir()
    jobs = [(c, arguments(c, file, workdirs[c]), workdirs[c]) for c in COMMANDS]
    runs, peak_mb = run_in_child(jobs)
    for run in runs:
        check_run(CASES[name], run, file, workdirs[run.command], sample_figures)
    assert peak_mb < MEMORY_MB, f"peak memory {peak_mb} MB"
    assert (sha256(file), listing(file.parent)) == before, "the input was modified"


# --- what the corpus cannot say by itself -----------------------------------------------------


def in_sheets(report: dict[str, Any]) -> list[dict[str, Any]]:
    """A report's issues but the warnings about sheets the small files leave out."""
    return [i for i in report["issues"] if i["code"] != "absent-sheet"]


def test_zip_bomb_is_past_the_documented_limit(corpus: Corpus) -> None:
    with zipfile.ZipFile(corpus["zip-bomb"]) as archive:
        inflated = sum(info.file_size for info in archive.infolist())
    assert inflated > MAX_UNZIPPED_BYTES
    assert corpus["zip-bomb"].stat().st_size < inflated // 100


def test_error_values_are_reported_cell_by_cell(corpus: Corpus) -> None:
    result = CliRunner(env=ENV).invoke(app, ["validate", "--json", str(corpus["error-values"])])
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    flagged = {i["cell"] for i in report["issues"] if i["code"] == "error-value"}
    expected = {f"{col}{row}" for col in "ABCDE" for row in range(2, ERROR_ROWS + 2)}
    assert flagged == expected
    assert all(i["sheet"] == "TiepCongDan" for i in in_sheets(report))


def test_nan_and_infinity_are_reported_cell_by_cell(corpus: Corpus) -> None:
    result = CliRunner(env=ENV).invoke(app, ["validate", "--json", str(corpus["nan-and-infinity"])])
    (report,) = json.loads(result.stdout)["files"]
    located = {(i["sheet"], i["cell"], i["code"]) for i in in_sheets(report)}
    assert located == {
        ("ThongTin", f"B{len(INFO_ROWS) + 1}", "bad-decimal"),  # the rows after INFO_ROWS
        ("ThongTin", f"B{len(INFO_ROWS) + 2}", "bad-number"),
        ("TiepCongDan", "A2", "bad-date"),
        ("TiepCongDan", "C2", "bad-number"),
        ("TiepCongDan", "A3", "bad-date"),
        ("TiepCongDan", "C3", "bad-number"),
        ("TiepCongDan", "A4", "bad-date"),
    }


def test_long_cells_come_out_whole(corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    args = ["build", str(corpus["long-cells"]), "--period", "9m", "--date", DATE, "-o", str(out)]
    result = CliRunner(env=ENV).invoke(app, args)
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    long_text = ("Tăng cường đối thoại với Nhân dân. " * 1000)[:LONG].strip()
    assert text.count(long_text[:-1]) >= 2  # NoiDung I and the document's trích yếu at least


def test_header_in_row_11_names_the_sheet(corpus: Corpus) -> None:
    result = CliRunner(env=ENV).invoke(app, ["validate", str(corpus["header-row-11"])])
    assert result.exit_code == 1
    assert "trong 10 dòng đầu của trang «TiepCongDan»" in flat(result.output)


# --- bounded resources: what the heavy corpus cannot say by itself ------------------------------


def test_a_name_past_the_limit_is_described(make_workbook: Callable[..., Path]) -> None:
    info = [row if row[0] != "Tên đơn vị" else ["Tên đơn vị", "A" * 201] for row in INFO_ROWS]
    path = make_workbook({"ThongTin": info})
    result = CliRunner(env=ENV).invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        "✗ ThongTin!B2 (Tên đơn vị) — lỗi: Ô có 201 ký tự, quá dài cho «Tên đơn vị» (tối đa "
        "200 ký tự). Cách sửa: Rút gọn nội dung của ô: tên đơn vị, huyện, tỉnh chỉ cần vài chục "
        "chữ."
    ) in flat(result.output)


def test_thirty_thousand_documents_cite_the_unit_once_each(corpus: Corpus, tmp_path: Path) -> None:
    """Every document without an issuer is the unit's own: cited without one, and its figure
    names the unit (the name built once, not once a document)."""
    args = ["figures", str(corpus["30000-documents"]), "--period", "9m", "--json"]
    result = CliRunner(env=ENV).invoke(app, args)
    assert result.exit_code == 0
    documents = json.loads(result.stdout)["documents"]
    assert len(documents) == 30_000
    assert {d["issuer"] for d in documents} == {"UBND xã " + "A" * MAX_NAME_CHARS}


def test_issues_past_the_limit_are_counted(
    make_workbook: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log whose every cell is wrong keeps the first MAX_ISSUES issues (here lowered to 100,
    as a workbook of a million wrong cells would); the others are counted, never lost."""
    import danvan_cli.checks

    monkeypatch.setattr(danvan_cli.checks, "MAX_ISSUES", 100)
    monkeypatch.setattr(danvan_cli.checks, "KEPT_PER_REPORT", 10)
    rows = [LOG_HEADER, *[["32/13/2024", "Thường xuyên", "x", "Kiến nghị", ""]] * 80]
    path = make_workbook({"TiepCongDan": rows})
    result = CliRunner(env=ENV).invoke(app, ["validate", "--json", str(path)])
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    assert len(report["issues"]) == 100
    assert report["omitted"] == 160 + 6 - 100  # 2 wrong cells a row, 6 absent sheets
    assert report["errors"] == 160 and report["counts"]["bad-date"] == 80
    kept = [(i["cell"], i["code"]) for i in report["issues"]][6:]  # after the sheets' warnings
    assert kept[:4] == [
        ("A2", "bad-date"),
        ("C2", "bad-number"),
        ("A3", "bad-date"),
        ("C3", "bad-number"),
    ]
    assert report["omitted_note"] == (
        "Còn 66 vấn đề không được liệt kê: một lần chạy chỉ liệt kê 100 vấn đề đầu tiên (và 10 "
        "vấn đề đầu của mỗi tệp); số lỗi và cảnh báo vẫn được đếm đủ."
    )
    text = CliRunner(env=ENV).invoke(app, ["validate", str(path)])
    assert "vấn đề khác: xem đủ" not in text.output  # all 100 kept are shown
    assert (
        "… Còn 66 vấn đề không được liệt kê, kể cả trong --json: một lần chạy chỉ liệt kê 100 "
        "vấn đề đầu tiên (và 10 vấn đề đầu của mỗi tệp); số lỗi và cảnh báo vẫn được đếm đủ."
    ) in flat(text.output)
    assert f"{path}: có lỗi — 160 lỗi, 6 cảnh báo" in flat(text.output)


DOSSIER_HEADER = ["Mã hồ sơ", "Lĩnh vực", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả"]


def test_the_issue_limit_is_shared_by_every_file_of_a_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One run keeps MAX_ISSUES issues over all its files (here 50), and each file its first
    KEPT_PER_REPORT (here 5) whatever came before: three exports of the same 60 dossiers (120
    duplicates) and last year's log of 20 wrong dates list 50 + 5 + 5 issues, not 50 per
    file; every count stays exact."""
    import danvan_cli.checks

    monkeypatch.setattr(danvan_cli.checks, "MAX_ISSUES", 50)
    monkeypatch.setattr(danvan_cli.checks, "KEPT_PER_REPORT", 5)
    rows = [[f"HS-{n}", "Đất đai", "Trực tuyến", "01/03/2024", "05/03/2024"] for n in range(1, 61)]
    sheets = {"DanhSach": [DOSSIER_HEADER, *rows]}
    exports = [write_workbook(tmp_path / f"xuat{n}.xlsx", sheets, info=False) for n in (1, 2, 3)]
    book = write_workbook(tmp_path / "so.xlsx", {})
    last_info = [row if row[0] != "Năm" else ["Năm", 2023] for row in INFO_ROWS]
    last_log = [LOG_HEADER, *[["32/13/2023", "Thường xuyên", 1, "Kiến nghị", ""]] * 20]
    last = write_workbook(tmp_path / "cu.xlsx", {"ThongTin": last_info, "TiepCongDan": last_log})
    args = [arg for export in exports for arg in ("--ho-so", str(export))]
    args += ["--so-sanh", str(last), str(book)]
    result = CliRunner(env=ENV).invoke(app, ["validate", "--json", *args])
    assert result.exit_code == 1, result.output
    main, first, second, third, previous = json.loads(result.stdout)["files"]
    assert [r["file"] for r in (main, first, second, third, previous)] == [
        str(book),
        *map(str, exports),
        str(last),
    ]
    assert (main["omitted"], first["issues"]) == (0, [])
    assert len(main["issues"]) + len(second["issues"]) == 50  # the run's budget
    assert len(second["issues"]) + second["omitted"] == 60
    assert (len(third["issues"]), third["omitted"]) == (5, 55)  # its own first 5
    for export in (second, third):
        assert export["errors"] == 60 and export["counts"] == {"duplicate-dossier": 60}
    assert [i["cell"] for i in third["issues"]] == ["A2", "A3", "A4", "A5", "A6"]
    assert len(previous["issues"]) == 5 and previous["counts"]["bad-date"] == 20
    assert previous["omitted"] == previous["errors"] + previous["warnings"] - 5
    text = CliRunner(env=ENV).invoke(app, ["validate", *args])
    assert text.exit_code == 1
    output = flat(text.output)
    assert (
        "… Còn 55 vấn đề không được liệt kê, kể cả trong --json: một lần chạy chỉ liệt kê 50 "
        "vấn đề đầu tiên (và 5 vấn đề đầu của mỗi tệp); số lỗi và cảnh báo vẫn được đếm đủ. "
        f"{exports[2]}: có lỗi — 60 lỗi, 0 cảnh báo"
    ) in output


def _sst_record(*texts: tuple[str, int]) -> bytes:
    """An SST record whose strings (text, bytes a character) run on into CONTINUE records of
    at most 100 bytes, each continuing string's part after a flags byte of its own width."""
    body = struct.pack("<II", len(texts), len(texts))
    pieces: list[bytes] = []
    for text, width in texts:
        encoded = text.encode("utf-16-le" if width == 2 else "latin-1")
        body += struct.pack("<HB", len(text), 1 if width == 2 else 0)
        limit = 100
        while encoded:
            room = (limit - len(body)) // width * width
            if room <= 0:
                pieces.append(body)
                width = 1 if width == 2 else 2  # the next part switches width
                encoded = encoded.decode("utf-16-le" if width == 1 else "latin-1").encode(
                    "utf-16-le" if width == 2 else "latin-1"
                )
                body = bytes([1 if width == 2 else 0])
                continue
            body, encoded = body + encoded[:room], encoded[room:]
    pieces.append(body)
    return _biff(0x00FC, pieces[0]) + b"".join(_biff(0x003C, piece) for piece in pieces[1:])


def test_xls_shared_strings_are_measured_across_continue_records(tmp_path: Path) -> None:
    """An SST whose long string crosses three CONTINUE records, switching between one and two
    bytes a character at each (as Excel may write it): the string after it keeps its index,
    as calamine reads it."""
    long_text = "ê" * 300
    sst = _sst_record(("ngắn", 2), (long_text, 2), ("Ghi chú", 1))
    cells = b"".join(
        _biff(0x00FD, struct.pack("<HHHI", row, 1, 15, index))
        for row, index in ((1, 1), (2, 1), (3, 2), (4, 0))
    )
    stream = biff_workbook(
        {"ThongTin": INFO_ROWS, "NoiDung": [["Mục", "Nội dung"], *[["I"]] * 4]},
        globals_records=sst,
        cell_records={"NoiDung": cells},
    )
    facts = extents.xls_facts(compound_file(stream))
    assert [extent.copied for extent in facts.sheets] == [0, 2 * 300 * 3]
    path = tmp_path / "sst.xls"
    path.write_bytes(compound_file(stream))
    import python_calamine

    shown = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("NoiDung")
    assert [row[1] for row in shown.to_python()[1:]] == [long_text, long_text, "Ghi chú", "ngắn"]
