"""Open any supported workbook safely, find the known sheets and their header rows, and hand
out raw rows with the cell references Excel shows."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from danvan_cli.errors import UnreadableFileError
from danvan_cli.schema import CATALOGUE, THONG_TIN_HEADERS, Column, Sheet
from danvan_cli.vietnamese import column_letter, fold

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest workbook file accepted (bytes on disk)."""
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
"""Largest total size of a zip-based workbook's members once inflated: a zip bomb stops here."""
MAX_RATIO = 400
"""Largest compression ratio accepted for a member over 16 MiB (real sheets stay far below)."""
MAX_CELLS = 30_000_000
"""Largest sheet area (rows × columns) read into memory."""
HEADER_SEARCH_ROWS = 10

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

Cell = Any
"""A cell value as python-calamine returns it: str, int, float, bool, date, datetime, time."""


@dataclass(frozen=True)
class HeaderColumn:
    column: Column
    index: int  # absolute 0-based column index


@dataclass
class Table:
    """One known sheet as read: where its header is, which columns it has, and its data rows."""

    spec: Sheet
    name: str
    header_row: int | None  # 1-based; None when no header row was found
    columns: list[HeaderColumn] = field(default_factory=list)
    unknown_columns: list[tuple[str, str]] = field(default_factory=list)  # (ref, header text)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)  # (row number, cells)
    first_col: int = 0
    empty: bool = True  # the sheet holds no cell at all
    formula_cells: frozenset[str] = frozenset()  # refs of formulas with no cached value
    error_cells: frozenset[str] = frozenset()  # refs holding #REF!, #DIV/0! …

    def ref(self, row: int, index: int) -> str:
        return f"{column_letter(index)}{row}"

    def cell(self, values: list[Cell], index: int) -> Cell:
        offset = index - self.first_col
        return values[offset] if 0 <= offset < len(values) else ""


@dataclass
class Workbook:
    path: Path
    tables: dict[str, Table]  # by schema sheet key
    sheet_names: list[str]
    unknown_sheets: list[str]


def is_blank(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def open_workbook(path: Path) -> Workbook:
    """Read every known sheet of the workbook at ``path``; raise UnreadableFileError when the
    file cannot be a workbook we can read."""
    _check_file(path)
    from concurrent.futures import ThreadPoolExecutor

    import python_calamine as calamine

    # The raw-cell scan inflates the sheet XML a second time; it runs beside calamine's parse
    # (both release the GIL), so on a large log it costs next to nothing.
    try:
        with ThreadPoolExecutor(max_workers=1) as pool, path.open("rb") as handle:
            scan = pool.submit(_scan_raw_cells, path)
            book = calamine.CalamineWorkbook.from_filelike(handle)
            sheet_names = list(book.sheet_names)
            found: list[tuple[Sheet, str, Any]] = []
            seen: set[str] = set()
            unknown: list[str] = []
            for name in sheet_names:
                spec = CATALOGUE.find(name)
                if spec is None or spec.key in seen:
                    unknown.append(name)
                    continue
                seen.add(spec.key)
                found.append((spec, name, book.get_sheet_by_name(name)))
            raw_cells = scan.result()
            tables: dict[str, Table] = {}
            for spec, name, sheet in found:
                formulas, errors = raw_cells.get(name, (frozenset(), frozenset()))
                tables[spec.key] = _read_table(spec, name, sheet, formulas, errors)
    except UnreadableFileError:
        raise
    except calamine.PasswordError:
        raise UnreadableFileError(_protected(path)) from None
    except (calamine.CalamineError, OSError, ValueError, RuntimeError, zipfile.BadZipFile) as err:
        raise UnreadableFileError(_corrupt(path, err)) from None
    return Workbook(path=path, tables=tables, sheet_names=sheet_names, unknown_sheets=unknown)


def _protected(path: Path) -> str:
    return (
        f"Tệp «{path.name}» có đặt mật khẩu nên không đọc được. "
        "Mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại."
    )


def _corrupt(path: Path, err: object = None) -> str:
    return (
        f"Tệp «{path.name}» không phải sổ Excel đọc được (hỏng, bị cắt dở hoặc sai định dạng). "
        "Mở bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx."
    )


def _check_file(path: Path) -> None:
    if not path.exists():
        raise UnreadableFileError(f"Không tìm thấy tệp «{path}».")
    if path.is_dir():
        raise UnreadableFileError(f"«{path}» là thư mục, không phải sổ Excel.")
    if path.suffix.lower() not in SUFFIXES:
        raise UnreadableFileError(
            f"Tệp «{path.name}» không phải sổ Excel: chỉ đọc được .xlsx, .xlsm, .xls và .ods."
        )
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFileError(f"Tệp «{path.name}» rỗng (0 byte).")
    if size > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"Tệp «{path.name}» quá lớn ({size // (1024 * 1024)} MB, tối đa "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB)."
        )
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic == _OLE_MAGIC:
        if path.suffix.lower() != ".xls":
            if _is_encrypted_ooxml(path):
                raise UnreadableFileError(_protected(path))
            raise UnreadableFileError(
                f"Tệp «{path.name}» là tệp Office đời cũ (có thể là .doc đổi tên), không phải "
                "sổ Excel .xlsx. Mở bằng Excel và lưu lại dưới dạng .xlsx."
            )
        return
    if magic.startswith(_ZIP_MAGIC) or path.suffix.lower() != ".xls":
        _check_zip(path)


def _is_encrypted_ooxml(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(1024 * 1024)
    return "EncryptedPackage".encode("utf-16-le") in head


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFileError(_corrupt(path)) from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_UNZIPPED_BYTES or (info.file_size > 16 * 1024 * 1024 and ratio > MAX_RATIO):
            raise UnreadableFileError(
                f"Tệp «{path.name}» bung ra quá lớn (trên {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB "
                "hoặc nén bất thường); danvan không đọc để tránh treo máy. "
                "Kiểm tra lại tệp, xóa các dòng/cột thừa rồi lưu lại."
            )


# --- formulas without cached values and error cells (xlsx/xlsm only) ----------------------

_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE_RE = re.compile(rb"<v>[^<]+</v>|<is>", re.S)
_SHEET_RE = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_RE2 = re.compile(rb'<sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL_RE = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL_RE2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)


def _scan_raw_cells(path: Path) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """For each sheet of an xlsx/xlsm, the refs of formula cells with no cached value and of
    cells holding an error value — calamine reads both as blank."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    from html import unescape

    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            return {}
        workbook_xml = archive.read("xl/workbook.xml")
        rels_xml = (
            archive.read("xl/_rels/workbook.xml.rels")
            if ("xl/_rels/workbook.xml.rels" in names)
            else b""
        )
        rels = {rid: target for rid, target in _REL_RE.findall(rels_xml)}
        rels.update({rid: target for target, rid in _REL_RE2.findall(rels_xml)})
        sheets = [(n, r) for n, r in _SHEET_RE.findall(workbook_xml)]
        sheets += [(n, r) for r, n in _SHEET_RE2.findall(workbook_xml) if (n, r) not in sheets]
        for raw_name, rid in sheets:
            target = rels.get(rid, b"").decode("utf-8", "replace")
            member = (
                target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            )
            if member not in names:
                continue
            data = archive.read(member)
            if b"<f" not in data and b't="e"' not in data:
                continue
            formulas: set[str] = set()
            errors: set[str] = set()
            for attrs, body in _CELL_RE.findall(data):
                ref_match = _REF_RE.search(attrs)
                if ref_match is None:
                    continue
                ref = ref_match.group(1).decode()
                if b't="e"' in attrs:
                    errors.add(ref)
                elif body and b"<f" in body and not _VALUE_RE.search(body):
                    formulas.add(ref)
            if formulas or errors:
                name = unescape(raw_name.decode("utf-8", "replace"))
                found[name] = (frozenset(formulas), frozenset(errors))
    return found


# --- header detection ------------------------------------------------------------------------


def _header_columns(spec: Sheet) -> dict[str, Column]:
    if spec.key_value:
        return {name: column for column in THONG_TIN_HEADERS for name in column.folded_names}
    return spec.column_index


def _read_table(
    spec: Sheet, name: str, sheet: Any, formulas: frozenset[str], errors: frozenset[str]
) -> Table:
    start = sheet.start
    table = Table(spec=spec, name=name, header_row=None, formula_cells=formulas, error_cells=errors)
    if start is None:
        return table
    table.empty = False
    height, width = sheet.total_height + 1, sheet.total_width + 1
    if height * width > MAX_CELLS:
        raise UnreadableFileError(
            f"Trang «{name}» có vùng dữ liệu quá lớn ({height:,} dòng × {width} cột). "
            "Xóa các dòng, cột thừa ở cuối trang rồi lưu lại.".replace(",", ".")
        )
    table.first_col = start[1]
    known = _header_columns(spec)
    rows = sheet.iter_rows()
    pending: list[tuple[int, list[Cell]]] = []
    for number, values in enumerate(rows, start=1):
        pending.append((number, values))
        matches = sum(1 for v in values if isinstance(v, str) and fold(v) in known)
        if matches >= 2:
            _set_header(table, known, number, values)
            break
        if number >= HEADER_SEARCH_ROWS:
            return table
    else:
        return table
    index_set = [column.index - table.first_col for column in table.columns]
    for number, values in enumerate(rows, start=table.header_row + 1 if table.header_row else 1):
        for offset in index_set:
            if offset < len(values):
                value = values[offset]
                if value != "" and not (isinstance(value, str) and not value.strip()):
                    table.rows.append((number, values))
                    break
        else:
            if formulas or errors:
                refs = {table.ref(number, column.index) for column in table.columns}
                if refs & formulas or refs & errors:
                    table.rows.append((number, values))
    return table


def _set_header(table: Table, known: dict[str, Column], number: int, values: list[Cell]) -> None:
    table.header_row = number
    seen: set[str] = set()
    for offset, value in enumerate(values):
        if is_blank(value):
            continue
        index = table.first_col + offset
        text = str(value).strip()
        column = known.get(fold(text))
        if column is None or column.key in seen:
            table.unknown_columns.append((table.ref(number, index), text))
            continue
        seen.add(column.key)
        table.columns.append(HeaderColumn(column=column, index=index))


def iter_workbooks(inputs: list[Path]) -> Iterator[Path]:
    """Files as given, and the workbooks inside given folders (sorted, no temp lock files)."""
    for item in inputs:
        if item.is_dir():
            for child in sorted(item.rglob("*")):
                if (
                    child.is_file()
                    and child.suffix.lower() in SUFFIXES
                    and not child.name.startswith(("~$", ".~lock"))
                ):
                    yield child
        else:
            yield item
