"""Open any supported workbook safely, find the known sheets and their header rows, and hand
out raw rows with the cell references Excel shows."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from danvan_cli import extents
from danvan_cli.errors import UnreadableFileError
from danvan_cli.members import read_member
from danvan_cli.schema import CATALOGUE, HO_SO, THONG_TIN_HEADERS, Column, Sheet
from danvan_cli.vietnamese import (
    EXCEL_EPOCH,
    EXCEL_EPOCH_1904,
    column_letter,
    fold,
    group_thousands,
)

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest workbook file accepted (bytes on disk): an .xls is read whole, more than once."""
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024
"""Largest total size of a zip-based workbook's members once inflated: a zip bomb stops here,
and so does a sheet's XML, which is read whole to be measured (a log of 100.000 rows written
by openpyxl is 84 MB of XML, by Excel about 55 MB; an export of 100.000 dossiers with its
personal columns, 109 MB)."""
MAX_RATIO = 400
"""Largest compression ratio accepted for a member over 16 MiB (real sheets stay far below)."""
MAX_CELLS = 3_000_000
"""Largest area calamine reads into memory at once (rows × columns of a sheet, from its first
to its last cell holding a value; of every sheet together in an .ods or .xls, read whole),
measured before it reads: calamine takes some 70 bytes a cell while it parses. A per-dossier
export of 100.000 rows × 20 columns is 2 million cells; any sheet in columns A–Z and rows up
to 99.999 is measured in one quick pass."""
MAX_KEPT_CELLS = 1_200_000
"""Most cells the rows of the known sheets keep (their known columns but personal data),
counted once each sheet's header is found: every kept cell costs some 250 bytes at the peak
of checking it (its Python value, the typed column, the checks). With MAX_CELLS, this keeps
``validate``, ``figures`` and ``build`` within 500 MB whatever the cells hold (SPEC §6, §7):
a log of 150.000 rows × 10 kept columns."""
MAX_KEPT_TEXT = 20_000_000
"""Most characters the kept cells may hold (counted while the rows are read): a log of
100.000 rows keeps some 7 million (choices, codes, fields). Kept text is never copied to a
smaller form: this bounds it whatever the cells hold."""
MAX_COPIED_TEXT = 64 * 1024 * 1024
"""Most text the known sheets may hold once read beyond what the file holds: an .xlsx cell
showing a shared string gets its own copy of it (counted for strings over extents.LONG_TEXT
bytes), an .ods cell repeated N times is N copies, an .xls cell its own copy of an SST
string."""
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
    group_row: int | None = None  # the merged group row above a two-row header, if any
    columns: list[HeaderColumn] = field(default_factory=list)
    unknown_columns: list[tuple[str, str]] = field(default_factory=list)  # (ref, header text)
    numbers: list[int] = field(default_factory=list)
    """The row number of each data row."""
    kept: list[list[Cell]] = field(default_factory=list)
    """The cells of the known columns but personal data, column by column in header order
    (``position`` tells which is a column's), one a data row."""
    positions: dict[int, int] = field(default_factory=dict)  # column index -> place in a row
    first_col: int = 0
    empty: bool = True  # the sheet holds no cell at all
    formula_cells: frozenset[str] = frozenset()  # refs of formulas with no cached value
    error_cells: frozenset[str] = frozenset()  # refs holding #REF!, #DIV/0! …
    hidden: bool = False  # hidden (or very hidden) in Excel: the clerk does not see it

    @property
    def has_data(self) -> bool:
        """At least one data row below a header row."""
        return bool(self.numbers)

    @property
    def rows(self) -> list[tuple[int, Sequence[Cell]]]:
        """(row number, cells) of each data row, the cells in the order of ``kept``: for a
        short sheet read row by row (ThongTin)."""
        if not self.kept:
            return [(number, ()) for number in self.numbers]
        return list(zip(self.numbers, zip(*self.kept, strict=True), strict=True))

    def column(self, index: int) -> list[Cell]:
        """The cells of the column at absolute ``index``, one a data row (blank when it is
        not kept)."""
        position = self.positions.get(index)
        return self.kept[position] if position is not None else [""] * len(self.numbers)

    def ref(self, row: int, index: int) -> str:
        return f"{column_letter(index)}{row}"

    def position(self, index: int) -> int | None:
        """Where the cell of the column at absolute ``index`` is in a row of ``rows``, and
        its cells in ``kept``."""
        return self.positions.get(index)

    def cell(self, values: Sequence[Cell], index: int) -> Cell:
        position = self.positions.get(index)
        return values[position] if position is not None and position < len(values) else ""


@dataclass
class Workbook:
    path: Path
    tables: dict[str, Table]  # by schema sheet key: the sheet read for that key
    sheet_names: list[str]
    unknown_sheets: list[str]  # sheets of no known name, never read
    twins: dict[str, list[Table]] = field(default_factory=dict)
    """Schema key -> every sheet whose name folds to that key's sheet, in workbook order, for
    the keys that have more than one (``TiepCongDan`` and ``Tiếp công dân``); ``tables``
    holds the one read: the first holding data, else the first."""
    epoch: dt.date = EXCEL_EPOCH
    """Day 0 of the workbook's serial dates: 30/12/1899, or 1/1/1904 in the 1904 date system
    (calamine already reads date cells so; a plain number in a date column needs it)."""


def is_blank(value: Cell) -> bool:
    """An empty cell: nothing, "" or only white space (the one test everything uses)."""
    return value is None or value == "" or (type(value) is str and value.isspace())


def open_workbook(
    path: Path, only: frozenset[str] | None = None, export: bool = False, run: Kept | None = None
) -> Workbook:
    """Read every known sheet of the workbook at ``path`` (or only those whose schema key is
    in ``only``); raise UnreadableFileError when the file cannot be a workbook we can read, or
    is too large to read safely.

    An ``export`` is a file the one-stop-shop system wrote (``--ho-so``): whatever their
    names, its sheets holding the per-dossier table (HoSo) are read, under the key ``ho_so``;
    a file with no such sheet is refused. The cells its rows keep count against ``run``, with
    those of the other files the command holds at once."""
    kind = _check_file(path)
    from concurrent.futures import Future, ThreadPoolExecutor

    import python_calamine as calamine

    epoch = EXCEL_EPOCH
    try:
        if kind == "ods":
            epoch = _check_ods(path)  # calamine reads every table of an .ods when it opens it
        elif kind == "xls":
            epoch = _check_xls(path)
        with (
            ThreadPoolExecutor(max_workers=1) as pool,
            path.open("rb") as handle,
            _XlsxSheets(path, kind == "xlsx") as parts,
        ):
            if kind == "xlsx":
                epoch = parts.epoch
            book = calamine.CalamineWorkbook.from_filelike(handle)
            sheet_names = list(book.sheet_names)
            hidden = {
                meta.name
                for meta in book.sheets_metadata
                if meta.visible != calamine.SheetVisibleEnum.Visible
            }
            candidates: dict[str, list[Table]] = {}
            unknown: list[str] = []
            measured = _Measured(path, run=run)
            for name in sheet_names:
                spec = HO_SO if export else CATALOGUE.find(name)
                if spec is None:
                    unknown.append(name)
                    continue
                if only is not None and spec.key not in only:
                    continue
                # One sheet at a time, so that no two sheets' cells are in memory at once: an
                # xlsx sheet is measured before calamine reads it (extents.py); its XML is then
                # scanned for formulas without a value and error cells beside calamine's parse
                # (both release the GIL). The scan holds the only reference to the XML: a sheet
                # with neither (a log, an export) is let go at once, before calamine allocates
                # much of the sheet's cells.
                raw: _RawCells | Future[_RawCells] = _NO_RAW_CELLS
                data = parts.read(name)
                if data is not None:
                    measured.add(name, extents.xlsx_sheet(data, MAX_CELLS))
                    measured.add_copied(name, extents.shared_text(data, parts.long_strings()))
                    raw = pool.submit(_scan_raw_cells, data)
                    del data
                elif kind == "xlsx":
                    measured.add(name, parts.widest())
                    measured.add_copied(name, parts.most_copied())
                sheet = book.get_sheet_by_name(name)
                formulas, errors = raw.result() if isinstance(raw, Future) else raw
                table = _read_table(path, spec, name, sheet, formulas, errors, measured)
                del sheet
                table.hidden = name in hidden
                candidates.setdefault(spec.key, []).append(table)
    except UnreadableFileError:
        raise
    except calamine.PasswordError:
        raise UnreadableFileError(_protected(path)) from None
    except (calamine.CalamineError, *_UNREADABLE) as err:
        raise UnreadableFileError(_corrupt(path, err)) from None
    if export:
        found_tables = [t for t in candidates.get(HO_SO.key, []) if _holds_dossier_list(t)]
        if not found_tables:
            raise UnreadableFileError(_no_dossier_list(path))
        candidates = {HO_SO.key: found_tables}
        unknown = []
    return Workbook(
        path=path,
        tables={key: _chosen(group) for key, group in candidates.items()},
        sheet_names=sheet_names,
        unknown_sheets=unknown,
        twins={key: group for key, group in candidates.items() if len(group) > 1},
        epoch=epoch,
    )


def _chosen(twins: list[Table]) -> Table:
    """The sheet read among sheets of one folded name: the first holding data, else the first
    (a hidden empty copy left before the real log must not hide it)."""
    return next((table for table in twins if table.has_data), twins[0])


EXPORT_EVIDENCE = 2
"""How many of HoSo's required columns a sheet's header must name to be taken for the
per-dossier table in an export file (a reception log shares "Lĩnh vực" and "Địa chỉ")."""


def _holds_dossier_list(table: Table) -> bool:
    present = {hc.column.key for hc in table.columns}
    required = [column for column in HO_SO.columns if column.required]
    return sum(column.key in present for column in required) >= EXPORT_EVIDENCE


def _no_dossier_list(path: Path) -> str:
    names = ", ".join(column.title for column in HO_SO.columns if column.required)
    return (
        f"Tệp «{path.name}» không có danh sách hồ sơ: không trang nào có dòng tiêu đề (trong "
        f"{HEADER_SEARCH_ROWS} dòng đầu) với các cột {names}. Xuất lại danh sách hồ sơ từ Hệ "
        "thống thông tin giải quyết thủ tục hành chính, hoặc sửa tên cột cho đúng."
    )


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


def _too_large(path: Path, sheet: str | None, rows: int, columns: int) -> UnreadableFileError:
    where = f"trang «{sheet}»" if sheet else "một trang"
    return UnreadableFileError(
        f"Tệp «{path.name}»: {where} có vùng dữ liệu quá lớn ({group_thousands(rows)} dòng × "
        f"{group_thousands(columns)} cột, tối đa {group_thousands(MAX_CELLS)} ô), thường do một "
        "ô ở rất xa bảng có giá trị (trong Excel, nhấn Ctrl+End để tới ô cuối cùng). Xóa các "
        "dòng, cột thừa ở cuối trang rồi lưu lại; nếu sổ thật sự dài như vậy, tách thành nhiều "
        "sổ."
    )


class Kept:
    """The cells and text the rows of every file one run holds at once keep together: a
    workbook with its ``--ho-so`` exports, and last year's workbook read beside it. The files
    share MAX_KEPT_CELLS and MAX_KEPT_TEXT, so that several files, each within the limits,
    cannot together take what one may not (SPEC §7)."""

    __slots__ = ("cells", "files", "text")

    def __init__(self) -> None:
        self.cells = 0
        self.text = 0
        self.files: list[Path] = []

    def label(self, path: Path) -> str:
        """``path`` named for a message: by its name, or whole where another file of the run
        shares that name (this year's and last year's ``tan_hung.xlsx``)."""
        shared = sum(1 for each in self.files if each.name == path.name) > 1
        return f"«{path if shared else path.name}»"

    def others(self, path: Path) -> str:
        """The files read in this run before ``path``, named for a message."""
        return ", ".join(self.label(each) for each in self.files if each != path)


class _Measured:
    """What the sheets of one file take in memory, each refused past the limits. calamine
    reads an .xlsx sheet by sheet (danvan lets each go before the next), but an .ods or an
    .xls whole when it opens it: there the sheets are ``summed``. The cells and text the rows
    keep stay until the file is checked: they are always summed, with those of the other
    files of the run (``run``)."""

    def __init__(self, path: Path, summed: bool = False, run: Kept | None = None) -> None:
        self.path = path
        self.summed = summed
        self.cells = 0
        self.copied = 0
        self.kept = 0
        self.text = 0
        self.run = Kept() if run is None else run
        self.run.files.append(path)

    def _run_too_large(self, what: str, each_within: bool) -> UnreadableFileError:
        """The refusal of a run whose files together keep more than ``what``; ``each_within``:
        this file's whole count is known to be within the limit (cells are counted a sheet at
        a time before it is read, text while it is read: a file whose text crosses the run's
        limit may still be over the limit on its own, further down)."""
        advice = "Mỗi tệp tự nó không quá giới hạn; hãy" if each_within else "Hãy"
        return UnreadableFileError(
            f"Tệp {self.run.label(self.path)} cùng với {self.run.others(self.path)} (đọc cùng "
            f"một lần) giữ quá nhiều số liệu: tổng cộng trên {what}. {advice} bớt số tệp đọc "
            "cùng lúc (--ho-so, --so-sanh), hoặc lọc danh sách hồ sơ xuất từ hệ thống một cửa "
            "chỉ giữ hồ sơ của năm báo cáo."
        )

    def add(self, sheet: str | None, extent: extents.Extent) -> None:
        if extent.cells > MAX_CELLS:
            raise _too_large(self.path, sheet, extent.rows, extent.columns)
        self.cells = self.cells + extent.cells if self.summed else extent.cells
        if self.cells > MAX_CELLS:
            raise UnreadableFileError(
                f"Tệp «{self.path.name}»: các trang có vùng dữ liệu tổng cộng quá lớn (trên "
                f"{group_thousands(MAX_CELLS)} ô), thường do những ô ở rất xa bảng có giá trị "
                "(trong Excel, nhấn Ctrl+End để tới ô cuối cùng của mỗi trang). Xóa các dòng, "
                "cột thừa ở cuối các trang rồi lưu lại; nếu sổ thật sự dài như vậy, tách thành "
                "nhiều sổ."
            )
        self.add_copied(sheet, extent.copied)

    def keep_text(self, sheet: str, characters: int) -> None:
        """Count the text the kept cells hold, refused past MAX_KEPT_TEXT."""
        self.text += characters
        self.run.text += characters
        if self.text > MAX_KEPT_TEXT:
            raise UnreadableFileError(
                f"Tệp «{self.path.name}»: trang «{sheet}» có quá nhiều chữ trong các cột danvan "
                f"đọc (trên {group_thousands(MAX_KEPT_TEXT)} ký tự), thường do nội dung dài bị "
                "dán nhầm vào các cột ngày, số, phân loại, lĩnh vực. Kiểm tra lại các cột đó, "
                "hoặc tách sổ thành nhiều sổ (theo năm hoặc theo quý)."
            )
        if self.run.text > MAX_KEPT_TEXT:
            raise self._run_too_large(f"{group_thousands(MAX_KEPT_TEXT)} ký tự", False)

    def keep(self, sheet: str, cells: int) -> None:
        """Count the cells a sheet's rows will keep (its known columns but personal data):
        what stays in memory while the workbook is checked, refused past MAX_KEPT_CELLS."""
        self.kept += cells
        self.run.cells += cells
        if self.kept > MAX_KEPT_CELLS:
            raise UnreadableFileError(
                f"Tệp «{self.path.name}»: trang «{sheet}» quá dài — các trang danvan đọc giữ "
                f"tổng cộng trên {group_thousands(MAX_KEPT_CELLS)} ô số liệu (khoảng "
                f"{group_thousands(MAX_KEPT_CELLS // 10)} dòng sổ tiếp công dân). Nếu sổ thật "
                "sự dài như vậy, tách thành nhiều sổ (theo năm hoặc theo quý); nếu không, xóa "
                "các dòng thừa ở cuối trang rồi lưu lại."
            )
        if self.run.cells > MAX_KEPT_CELLS:
            raise self._run_too_large(f"{group_thousands(MAX_KEPT_CELLS)} ô số liệu", True)

    def add_copied(self, sheet: str | None, copied: int) -> None:
        self.copied = self.copied + copied if self.summed else copied
        if self.copied > MAX_COPIED_TEXT:
            where = f"trang «{sheet}»" if sheet else "một trang"
            raise UnreadableFileError(
                f"Tệp «{self.path.name}»: {where} lặp lại những đoạn chữ dài quá nhiều lần "
                f"(đọc ra trên {MAX_COPIED_TEXT // (1024 * 1024)} MB chữ); danvan không đọc "
                "để tránh treo máy. Kiểm tra lại tệp: xóa các ô chép cùng một đoạn chữ dài "
                "rồi lưu lại."
            )


def _check_file(path: Path) -> str:
    """Refuse what cannot be a workbook; return its kind by content: ``xlsx``, ``ods``, ``xls``
    or ``other``."""
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
            try:
                protected = _ole_facts(path.read_bytes()).encrypted
            except (ValueError, struct.error):
                protected = False
            if protected:
                raise UnreadableFileError(_protected(path))
            raise UnreadableFileError(
                f"Tệp «{path.name}» là tệp Office đời cũ (có thể là .doc đổi tên), không phải "
                "sổ Excel .xlsx. Mở bằng Excel và lưu lại dưới dạng .xlsx."
            )
        return "xls"
    if magic.startswith(_ZIP_MAGIC) or path.suffix.lower() != ".xls":
        names = _check_zip(path)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            return "ods"
        # Any other zip (a .docx, an .xlsb renamed) is refused here: calamine would read an
        # .xlsb, and only the formats above are measured before they are read.
        raise UnreadableFileError(_corrupt(path))
    return "other"  # an .xls that is no OLE file (an HTML table saved as .xls…): calamine decides


def _ole_facts(raw: bytes) -> extents.XlsFacts:
    """What an OLE2 file (an .xls, or a password-protected .xlsx whatever its name) holds;
    a damaged container whose directory names an encrypted package counts as protected."""
    try:
        return extents.xls_facts(raw)
    except (ValueError, struct.error):
        if "EncryptedPackage".encode("utf-16-le") in raw[: 1024 * 1024]:
            return extents.XlsFacts([], encrypted=True)
        raise


def _check_zip(path: Path) -> set[str]:
    """The member names of a zip-based workbook whose members stay within the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
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
    names = {info.filename for info in infos}
    # two parts of one name — part names ignore case (calamine matches them so): which one
    # would a reader take? danvan measures one, calamine may read the other
    if len({name.lower() for name in names}) != len(infos):
        raise UnreadableFileError(_corrupt(path))
    return names


def _check_ods(path: Path) -> dt.date:
    """Measure every table of an .ods; return its day 0 of serial dates (its null date)."""
    with zipfile.ZipFile(path) as archive:
        content = read_member(archive, archive.getinfo("content.xml"))
    measured = _Measured(path, summed=True)  # calamine reads every table when it opens it
    for name, extent in extents.ods_tables(content).items():
        measured.add(name or None, extent)
    null_date = _NULL_DATE_RE.search(content)
    if null_date is None:
        return EXCEL_EPOCH
    try:
        return dt.date.fromisoformat(null_date.group(1).decode())
    except ValueError:
        return EXCEL_EPOCH


def _check_xls(path: Path) -> dt.date:
    """Measure every sheet of an .xls; refuse an encrypted one; return its day 0."""
    facts = _ole_facts(path.read_bytes())
    if facts.encrypted:
        raise UnreadableFileError(_protected(path))
    measured = _Measured(path, summed=True)  # calamine reads every sheet when it opens it
    for extent in facts.sheets:
        measured.add(None, extent)
    return EXCEL_EPOCH_1904 if facts.date1904 else EXCEL_EPOCH


_NULL_DATE_RE = re.compile(rb'<table:null-date\b[^<>]*?table:date-value\s*=\s*"([0-9-]{10})')


_UNREADABLE = (
    OSError,
    ValueError,
    struct.error,
    RuntimeError,  # zipfile: an encrypted member
    EOFError,
    NotImplementedError,  # zipfile: an unknown compression method
    zipfile.BadZipFile,
    zlib.error,
)


# --- xlsx parts: each sheet's XML, formulas without cached values and error cells ------------

# Attributes are matched as [^<>]*, never [^>]*, and cell bodies are cut by a walk over the
# tags: a hostile part with no ">" or no "</c>" left must not make a search quadratic.
_CELL_TAG = re.compile(rb"<c\b([^<>]*)>|</c>")
_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_VALUE_RE = re.compile(rb"<v>[^<]+</v>|<is>", re.S)
_EMPTY_VALUE_RE = re.compile(rb"<v\s*/>|<v>\s*</v>")  # "" cached, when the cell is t="str"
_STRING_TYPE_RE = re.compile(rb"""\bt\s*=\s*["']str["']""")
_DATE1904_RE = re.compile(
    rb"""<(?:\w+:)?workbookPr\b[^<>]*?\bdate1904\s*=\s*["'](?:1|true)["']""", re.S
)
_SHEET_RE = re.compile(rb'<sheet\b[^<>]*?name="([^"]*)"[^<>]*?r:id="([^"]*)"', re.S)
_SHEET_RE2 = re.compile(rb'<sheet\b[^<>]*?r:id="([^"]*)"[^<>]*?name="([^"]*)"', re.S)
_REL_RE = re.compile(rb'<Relationship\b[^<>]*?Id="([^"]*)"[^<>]*?Target="([^"]*)"', re.S)
_REL_RE2 = re.compile(rb'<Relationship\b[^<>]*?Target="([^"]*)"[^<>]*?Id="([^"]*)"', re.S)
_WORKSHEETS = "xl/worksheets/"
_REL_TAG = re.compile(rb"<Relationship\b[^<>]*>")
_TARGET_RE = re.compile(rb'\bTarget="([^"]*)"')


_FORMULA_TAG = re.compile(rb"<f[\s>/]")
_ERROR_TYPE = re.compile(rb't="e"')


def _has_raw_cells(data: bytes) -> bool:
    """Whether the sheet's XML may hold a formula or an error cell (``_scan_raw_cells``).
    Two regular-expression searches: ``re`` finds a literal's first byte with memchr, about
    twice as fast as ``bytes.__contains__`` on a sheet's XML, where "<" is everywhere."""
    return _FORMULA_TAG.search(data) is not None or _ERROR_TYPE.search(data) is not None


_RawCells = tuple[frozenset[str], frozenset[str]]
_NO_RAW_CELLS: _RawCells = (frozenset(), frozenset())


class _XlsxSheets:
    """The worksheet XML of an xlsx/xlsm by sheet name (nothing for other formats)."""

    def __init__(self, path: Path, active: bool) -> None:
        self.archive = zipfile.ZipFile(path) if active else None
        self.members: dict[str, str] = {}
        self.epoch = EXCEL_EPOCH
        self._long: dict[bytes, int] | None = None
        if self.archive is not None:
            self.members, date1904 = _sheet_members(self.archive)
            self.epoch = EXCEL_EPOCH_1904 if date1904 else EXCEL_EPOCH

    def __enter__(self) -> _XlsxSheets:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.archive is not None:
            self.archive.close()

    def read(self, name: str) -> bytes | None:
        """The sheet's XML, or None when this is no xlsx or the sheet's part cannot be told."""
        member = self.members.get(name)
        if self.archive is None or member is None:
            return None
        return read_member(self.archive, self.archive.getinfo(member))

    def long_strings(self) -> dict[bytes, int]:
        """The workbook's long shared strings (extents.long_shared_strings), read once: from
        every part a reader may take for the shared strings."""
        if self._long is None:
            self._long = {}
            archive = self.archive
            for member in self._shared_members():
                assert archive is not None  # members are found in it
                found = extents.long_shared_strings(read_member(archive, archive.getinfo(member)))
                for index, size in found.items():
                    self._long[index] = max(size, self._long.get(index, 0))
        return self._long

    def _shared_members(self) -> list[str]:
        """The shared strings part as workbook.xml.rels names it, and any part named so."""
        if self.archive is None:
            return []
        names = set(self.archive.namelist())
        found = {name for name in names if posixpath.basename(name).lower() == "sharedstrings.xml"}
        rels_name = "xl/_rels/workbook.xml.rels"
        if rels_name in names:
            rels = read_member(self.archive, self.archive.getinfo(rels_name))
            for tag in _REL_TAG.findall(rels):
                target = _TARGET_RE.search(tag)
                if b"sharedStrings" in tag and target is not None:
                    found.add(_member_name(target.group(1)))
        return sorted(found & names)

    def most_copied(self) -> int:
        """The most copied text of any worksheet part (see ``widest``)."""
        if self.archive is None:
            return 0
        return max(
            (
                extents.shared_text(read_member(self.archive, info), self.long_strings())
                for info in self.archive.infolist()
                if info.filename.startswith(_WORKSHEETS) and info.filename.endswith(".xml")
            ),
            default=0,
        )

    def widest(self) -> extents.Extent:
        """The largest block of any worksheet part: the measure of a sheet whose part cannot
        be told, so that no sheet calamine finds is read unmeasured."""
        if self.archive is None:
            return extents.EMPTY
        measures = [
            extents.xlsx_sheet(read_member(self.archive, info), MAX_CELLS)
            for info in self.archive.infolist()
            if info.filename.startswith(_WORKSHEETS) and info.filename.endswith(".xml")
        ]
        return max(measures, key=lambda extent: extent.cells, default=extents.EMPTY)


def _member_name(target: bytes) -> str:
    """The zip member a relationship's Target names (relative to xl/, or absolute)."""
    from html import unescape

    name = unescape(target.decode("utf-8", "replace")).replace("\\", "/")
    if name.startswith("/"):
        return name.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", name))


def _sheet_members(archive: zipfile.ZipFile) -> tuple[dict[str, str], bool]:
    """Each sheet's part by sheet name, and whether the workbook uses the 1904 date system."""
    from html import unescape

    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return {}, False
    workbook_xml = read_member(archive, archive.getinfo("xl/workbook.xml"))
    rels_name = "xl/_rels/workbook.xml.rels"
    rels_xml = read_member(archive, archive.getinfo(rels_name)) if rels_name in names else b""
    rels = {rid: target for rid, target in _REL_RE.findall(rels_xml)}
    rels.update({rid: target for target, rid in _REL_RE2.findall(rels_xml)})
    sheets = [(n, r) for n, r in _SHEET_RE.findall(workbook_xml)]
    sheets += [(n, r) for r, n in _SHEET_RE2.findall(workbook_xml) if (n, r) not in sheets]
    members: dict[str, str] = {}
    for raw_name, rid in sheets:
        member = _member_name(rels.get(rid, b""))
        if member in names:
            members[unescape(raw_name.decode("utf-8", "replace"))] = member
    return members, _DATE1904_RE.search(workbook_xml) is not None


def _scan_raw_cells(data: bytes) -> _RawCells:
    """The refs of a worksheet's formula cells with no cached value and of its cells holding
    an error value — calamine reads both as blank. A text formula whose cached value is the
    empty string (Excel writes ``<c t="str"><f>IF(B60="","",…)</f><v></v></c>``) has one: it
    is a blank cell."""
    if not _has_raw_cells(data):
        return _NO_RAW_CELLS
    formulas: set[str] = set()
    errors: set[str] = set()
    open_cell: tuple[bytes, int] | None = None  # (attributes, where the body starts)
    for tag in _CELL_TAG.finditer(data):
        attrs = tag.group(1)
        if attrs is None:  # </c>
            if open_cell is not None:
                body = data[open_cell[1] : tag.start()]
                if (
                    b"<f" in body
                    and not _VALUE_RE.search(body)
                    and not _empty_text(open_cell[0], body)
                ):
                    _add_ref(formulas, open_cell[0])
            open_cell = None
            continue
        if b't="e"' in attrs:
            _add_ref(errors, attrs)
        open_cell = None if attrs.endswith(b"/") else (attrs, tag.end())
    return frozenset(formulas), frozenset(errors)


def _empty_text(attrs: bytes, body: bytes) -> bool:
    """A text cell whose cached value is the empty string."""
    return _STRING_TYPE_RE.search(attrs) is not None and _EMPTY_VALUE_RE.search(body) is not None


def _add_ref(refs: set[str], attrs: bytes) -> None:
    match = _REF_RE.search(attrs)
    if match is not None:
        refs.add(match.group(1).decode())


# --- header detection ------------------------------------------------------------------------


def _header_columns(spec: Sheet) -> dict[str, Column]:
    if spec.key_value:
        return {name: column for column in THONG_TIN_HEADERS for name in column.folded_names}
    return spec.column_index


def _read_table(
    path: Path,
    spec: Sheet,
    name: str,
    sheet: Any,
    formulas: frozenset[str],
    errors: frozenset[str],
    measured: _Measured | None = None,
) -> Table:
    start = sheet.start
    table = Table(spec=spec, name=name, header_row=None, formula_cells=formulas, error_cells=errors)
    if start is None:
        return table
    table.empty = False
    height, width = sheet.total_height + 1, sheet.total_width + 1
    if height * width > MAX_CELLS:  # measured before reading too; kept for any other format
        raise _too_large(path, name, height, width)
    table.first_col = start[1]
    rows = sheet.iter_rows()
    head = list(itertools.islice(rows, HEADER_SEARCH_ROWS + 1))
    found = _find_header(_header_columns(spec), head)
    if found is None:
        return table
    table.header_row, table.group_row, cells = found
    _set_header(table, _header_columns(spec), cells)
    index_set = [column.index - table.first_col for column in table.columns]
    # Only the cells danvan may use are kept: a log's names, addresses, ID numbers and
    # contents (most of its text) are let go row by row, never held for the whole sheet.
    kept = [column for column in table.columns if not column.column.personal]
    if measured is not None:
        measured.keep(name, (height - table.header_row) * len(kept))
    table.positions = {column.index: position for position, column in enumerate(kept)}
    offsets = [column.index - table.first_col for column in kept]
    width = max(offsets + index_set) + 1
    table.kept = [[] for _ in kept]
    takers = list(zip(table.kept, map(operator.itemgetter, offsets), strict=True))
    last = table.header_row
    row_stream = itertools.chain(head[last:], rows)
    # A chunk of rows at a time: its data rows found, then each kept column taken from them
    # while they are still in the processor's cache — at C speed, no object made a row.
    known = [operator.itemgetter(offset) for offset in index_set[:_TRIED_COLUMNS]]
    while chunk := list(itertools.islice(row_stream, TEXT_CHUNK)):
        if min(map(len, chunk)) >= width and _all_data(chunk, known):
            numbers, data = list(range(last + 1, last + 1 + len(chunk))), chunk
        else:
            numbers, data = _data_rows(table, chunk, last + 1, index_set, width)
        last += len(chunk)
        table.numbers += numbers
        text = 0
        for column, take in takers:
            taken = list(map(take, data))
            text += _text_of(taken)
            column += taken
        if measured is not None:  # the text the kept cells hold, counted chunk by chunk
            measured.keep_text(name, text)
    if formulas or errors:
        below = _rows_below(table, formulas | errors, last)
        table.numbers += below
        for column in table.kept:
            column += [""] * len(below)
    return table


TEXT_CHUNK = 512
"""Rows read at a time: their data rows found, their kept cells taken column by column and
the text those hold counted (a sheet over MAX_KEPT_TEXT is refused before much more than that
is held). Small enough that a chunk's rows and cells stay in the processor's cache while each
of its columns is taken: a chunk of 8.192 rows took a 100.000-row log twice as long."""


def _text_of(values: list[Cell]) -> int:
    """Characters of text ``values`` (one kept column of a chunk of rows) hold: a column of
    text only, or of no text, at C speed."""
    types = set(map(type, values))
    if str not in types:
        return 0
    if len(types) == 1:
        return sum(map(len, values))
    return sum(len(value) for value in values if type(value) is str)


def _data_rows(
    table: Table, chunk: list[list[Cell]], first: int, known: list[int], width: int
) -> tuple[list[int], list[list[Cell]]]:
    """The numbers and cells of the data rows of ``chunk`` (the first numbered ``first``),
    looked at one by one: rows where a ``known`` column's cell is not blank, or holds a
    formula without a value or an error value. Every row as wide as ``width`` (a shorter one
    gets blanks)."""
    raw = table.formula_cells | table.error_cells
    numbers: list[int] = []
    data: list[list[Cell]] = []
    for number, values in enumerate(chunk, start=first):
        for offset in known:  # a data row: any known cell not blank
            value = values[offset] if offset < len(values) else ""
            if value != "" and (type(value) is not str or not value.isspace()):
                break
        else:
            if not raw or not {table.ref(number, column.index) for column in table.columns} & raw:
                continue
        numbers.append(number)
        # calamine gives every row as wide as the sheet; a shorter one gets blanks
        data.append(values if len(values) >= width else _padded(values, width))
    return numbers, data


_TRIED_COLUMNS = 3
"""Known columns looked at, at most, to tell that a whole chunk of rows is data."""


def _all_data(chunk: list[list[Cell]], known: Sequence[Callable[[list[Cell]], Cell]]) -> bool:
    """Whether every row of ``chunk`` (each as wide as the sheet) is a data row, told at C
    speed: one of the ``known`` columns holds no blank cell in it, as a log's STT or Ngày tiếp
    does. False when none of them can tell (the rows are then looked at one by one)."""
    for take in known:
        cells = list(map(take, chunk))
        if "" in cells:
            continue
        types = set(map(type, cells))
        if str not in types or (len(types) == 1 and not any(map(str.isspace, cells))):
            return True
    return False


def _padded(values: list[Cell], width: int) -> list[Cell]:
    return [*values, *[""] * (width - len(values))]


_SPLIT_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _rows_below(table: Table, refs: frozenset[str], last: int) -> list[int]:
    """The numbers of the rows below ``last`` whose known cells hold a formula without a
    value or an error value: calamine ends a sheet at its last cell holding a value, so it
    never gives them (their cells are blank)."""
    indexes = {column.index for column in table.columns}
    numbers: set[int] = set()
    for ref in refs:
        match = _SPLIT_REF.fullmatch(ref)
        if match is None or int(match.group(2)) <= last:
            continue
        if extents.column_index(match.group(1).encode()) in indexes:
            numbers.add(int(match.group(2)))
    return sorted(numbers)


HeaderCell = tuple[int, int, tuple[str, ...], str]
"""(row number, offset in the row, the names it may stand for, best first, its text as shown)
of one header cell."""


def _find_header(
    known: dict[str, Column], head: list[list[Cell]]
) -> tuple[int, int | None, list[HeaderCell]] | None:
    """(header row, group row or None, header cells) of the first header among ``head``: a row
    holding at least two known column names, or two rows read together — a merged group row
    ("Thời gian") over the column names ("Tiếp nhận | Hẹn trả | Trả kết quả"), where the
    names that span both rows stand in the first — when together they name more columns than
    either row alone. None when the first HEADER_SEARCH_ROWS rows hold no header."""
    for position in range(min(len(head), HEADER_SEARCH_ROWS)):
        number = position + 1
        single = _one_row(number, head[position])
        alone = _matches(known, single)
        if position + 1 < len(head):
            double = _two_rows(number, head[position], head[position + 1])
            if double is not None:
                together = _matches(known, double)
                below = _matches(known, _one_row(number + 1, head[position + 1]))
                if together >= 2 and together > max(alone, below):
                    return number + 1, number, double
        if alone >= 2:
            return number, None, single
    return None


def _text(value: Cell) -> str:
    return "" if is_blank(value) else str(value).strip()


def _one_row(number: int, values: list[Cell]) -> list[HeaderCell]:
    return [
        (number, offset, (text,), text)
        for offset, value in enumerate(values)
        if (text := _text(value))
    ]


def _two_rows(number: int, groups: list[Cell], names: list[Cell]) -> list[HeaderCell] | None:
    """The header cells of a group row (``number``) over a row of column names; None when the
    lower row cannot be names (a data row: a number or a date in it)."""
    if any(not isinstance(value, str) for value in names if not is_blank(value)):
        return None
    cells: list[HeaderCell] = []
    group = ""  # the group label spanning this column, if any
    for offset in range(max(len(groups), len(names))):
        upper = _text(groups[offset]) if offset < len(groups) else ""
        lower = _text(names[offset]) if offset < len(names) else ""
        if upper:
            group = upper if lower else ""  # a label with names below it is a group
        elif not lower:
            group = ""
        if lower and group:
            cells.append((number + 1, offset, (f"{group} {lower}", lower), f"{group} / {lower}"))
        elif lower:
            cells.append((number + 1, offset, (lower,), lower))
        elif upper:  # a name merged down over both rows
            cells.append((number, offset, (upper,), upper))
    return cells


def _matches(known: dict[str, Column], cells: list[HeaderCell]) -> int:
    return sum(1 for _, _, names, _ in cells if any(fold(name) in known for name in names))


def _set_header(table: Table, known: dict[str, Column], cells: list[HeaderCell]) -> None:
    seen: set[str] = set()
    for number, offset, names, shown in cells:
        index = table.first_col + offset
        column = next((known[k] for name in names if (k := fold(name)) in known), None)
        if column is None or column.key in seen:
            table.unknown_columns.append((table.ref(number, index), shown))
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
