"""How many cells a sheet will take once read, measured from the file's own bytes before
python-calamine reads it.

calamine gives every sheet a dense block from its first to its last cell holding a value, one
slot (32 bytes) per cell: a single value typed in XFD1048576 asks for 17 billion slots and
aborts the whole process (a Rust allocation failure, no exception to catch), and an .ods row
repeated a million times grows to gigabytes from a one-kilobyte file. So ``workbook.py``
measures first and refuses what is too large. Each measure is an upper bound of what calamine
allocates, exact where it matters (a sheet full of formatted but empty cells is not counted
as large: calamine skips cells with no value).

Text can grow the same way: calamine gives each cell its own copy of its text, so one long
shared string shown by a million cells of an .xlsx, or one long .ods cell repeated a million
times, becomes gigabytes. ``shared_text`` and ``Extent.copied`` measure that text.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Extent:
    """The block of cells a reader allocates: ``rows`` × ``columns``; ``copied`` is the text
    it writes into cells from text the file holds once (repeated .ods cells)."""

    rows: int
    columns: int
    copied: int = field(default=0, compare=False)

    @property
    def cells(self) -> int:
        return self.rows * self.columns


EMPTY = Extent(0, 0)


class _Box:
    """The smallest rectangle holding every cell seen so far (0-based positions)."""

    __slots__ = ("bottom", "left", "right", "top")

    def __init__(self) -> None:
        self.top = self.left = 1 << 62
        self.bottom = self.right = -1

    def add(self, row: int, first_col: int, last_col: int = -1) -> None:
        self.top = min(self.top, row)
        self.bottom = max(self.bottom, row)
        self.left = min(self.left, first_col)
        self.right = max(self.right, first_col, last_col)

    @property
    def extent(self) -> Extent:
        if self.bottom < 0:
            return EMPTY
        return Extent(self.bottom - self.top + 1, self.right - self.left + 1)


def column_index(letters: bytes) -> int:
    """``b"A"`` -> 0, ``b"XFD"`` -> 16383 (any case)."""
    index = 0
    for char in letters.upper():
        index = index * 26 + char - 64
    return index - 1


# --- xlsx / xlsm: one worksheet XML -----------------------------------------------------------

_FAST_LIMIT = Extent(99_999, 26)
#: The first cell that is not written ``<c r="A1"`` … ``<c r="Z99999"``; when there is none,
#: the sheet fits in columns A–Z and rows 1–99.999 (what every commune log looks like).
_BEYOND_FAST = re.compile(rb'<c(?! r="[A-Za-z][0-9]{1,5}")[\s/>]')
_NO_REFERENCE = re.compile(rb'<c(?! r=")[\s/>]')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")  # <x:c …>: calamine reads cells by local name
_WIDE_COLUMN = re.compile(rb'<c r="([A-Za-z]{2,})[0-9]')
_TALL_ROW = re.compile(rb'<c r="[A-Za-z]+([0-9]{6,})"')
_VALUE = re.compile(rb"<(?:v|is|f)[\s/>]")  # what a cell holding a value (or formula) contains
_CELL_REF = re.compile(rb'<c r="([A-Za-z]+)([0-9]+)"')
# Attributes are matched as [^<>]*, never [^>]*: on a file with no ">" left, each try would
# scan to its end and the whole search would take quadratic time.
_TOKEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^<>]*)>")
_REF_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")


def xlsx_sheet(data: bytes, limit: int) -> Extent:
    """The block calamine allocates for the worksheet XML ``data`` — exact when it is more than
    ``limit`` cells, an upper bound otherwise. Costs one regular-expression pass over a
    commune's log; the slower exact walks run only for sheets that look large."""
    if _PREFIXED_CELL.search(data) is not None:
        return _walk_sheet(data)  # an unusual writer: follow every row and cell in order
    first = _BEYOND_FAST.search(data)
    if first is None:
        return _FAST_LIMIT if _FAST_LIMIT.cells <= limit else _valued_cells(data)
    start = first.start()
    if _NO_REFERENCE.search(data, start) is not None:
        return _walk_sheet(data)
    # Before ``start`` every cell lies in A–Z and rows 1–99.999: only the rest can widen.
    wide = {column_index(letters) for letters in set(_WIDE_COLUMN.findall(data, start))}
    tall = [int(digits) for digits in _TALL_ROW.findall(data, start)]
    bound = Extent(max([_FAST_LIMIT.rows, *tall]), max([_FAST_LIMIT.columns - 1, *wide]) + 1)
    if bound.cells <= limit:
        return bound
    return _valued_cells(data)


def _valued_cells(data: bytes) -> Extent:
    """The block of the cells holding a value, as calamine counts them (a formatted but empty
    cell does not count): each value's cell is the last ``<c r=`` before it. Every cell here
    starts so (``xlsx_sheet`` walks the other sheets); each byte is looked at once or twice."""
    box = _Box()
    cell = counted = -1
    scanned = 0
    for value in _VALUE.finditer(data):
        found = data.rfind(b"<c ", scanned, value.start())
        scanned = value.start()
        if found >= 0:
            cell = found
        if cell < 0 or cell == counted:
            continue
        counted = cell
        ref = _CELL_REF.match(data, cell)
        if ref is not None:
            box.add(int(ref.group(2)) - 1, column_index(ref.group(1)))
    return box.extent


def _walk_sheet(data: bytes) -> Extent:
    """Every ``<row>`` and ``<c>`` in order, with or without namespace prefix or ``r``
    attribute (a cell without one follows the previous cell, a row the previous row)."""
    box = _Box()
    row, col = -1, -1
    for match in _TOKEN.finditer(data):
        ref = _REF_ATTR.search(match.group(2))
        if match.group(1) == b"row":
            row = int(ref.group(2)) - 1 if ref is not None and ref.group(2) else row + 1
            col = -1
            continue
        if ref is not None and ref.group(1) and ref.group(2):
            row_of_cell, col = int(ref.group(2)) - 1, column_index(ref.group(1))
        else:
            row_of_cell, col = row, col + 1
        empty = match.group(2).endswith(b"/") or data.startswith(b"</", match.end())
        if not empty:
            box.add(max(row_of_cell, 0), max(col, 0))
    return box.extent


# --- xlsx: text of shared strings, copied into every cell that shows one ----------------------

LONG_TEXT = 256
"""A shared string longer than this many bytes of XML is counted at every cell showing it;
shorter ones are part of what a cell costs anyway (MAX_CELLS bounds them)."""
_SI_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?si(?=[\s/>])")
_PLAIN_SI = (b"<si>", b"<si ", b"<si/")
_VALUE_NUMBER = re.compile(rb"v\s*>\s*\+?0*([0-9]+)")
"""A value element's number (``<v>12</v>``, ``<x:v> 012 </x:v>``), as calamine reads a
shared string's index: every number written in a cell is taken for one (an upper bound)."""


def long_shared_strings(sst: bytes, longer_than: int = LONG_TEXT) -> dict[bytes, int]:
    """The shared strings of ``sst`` (xl/sharedStrings.xml) longer than ``longer_than`` bytes
    of XML, by their index as a cell writes it (``b"12"``). One split in the usual case; a
    regular expression when the part has prefixed or unusual ``<si`` tags."""
    if b":si" in sst or sum(map(sst.count, _PLAIN_SI)) != sst.count(b"<si"):
        pieces = _SI_OPEN.split(sst)
    else:
        pieces = sst.split(b"<si")
    strings = pieces[1:]
    if max(map(len, strings), default=0) <= longer_than:
        return {}
    return {
        b"%d" % index: len(text) for index, text in enumerate(strings) if len(text) > longer_than
    }


def shared_text(data: bytes, long: Mapping[bytes, int]) -> int:
    """Bytes of long shared strings (``long_shared_strings``) the cells of worksheet ``data``
    show once read: one pass over the sheet, only when there is a long string at all."""
    if not long:
        return 0
    return sum(filter(None, map(long.get, _VALUE_NUMBER.findall(data))))


# --- ods: content.xml holds every table ---------------------------------------------------------

_ODS_TOKEN = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^<>]*)>"
)
_ROWS_REPEATED = re.compile(rb'table:number-rows-repeated\s*=\s*"([0-9]+)"')
_COLUMNS_REPEATED = re.compile(rb'table:number-columns-repeated\s*=\s*"([0-9]+)"')
_TABLE_NAME = re.compile(rb'table:name\s*=\s*"([^"]*)"')


@dataclass
class _OdsTable:
    name: str
    row: int = 0  # rows seen so far, repeats included
    rows: int = 0  # one past the last row holding a value
    columns: int = 0  # one past the last column holding a value
    repeat: int = 1  # repeat of the open row
    col: int = 0
    row_end: int = 0  # one past the last valued column of the open row
    copied: int = 0  # bytes of cell content repeated (rows × columns repeats)
    cell: tuple[int, int] | None = None  # (content start, copies) of an open repeated cell


def ods_tables(content: bytes) -> dict[str, Extent]:
    """Each table of an .ods ``content.xml`` with the block its valued cells span, row and
    column repeats expanded (as calamine expands them; empty repeats cost nothing)."""
    found: dict[str, Extent] = {}
    stack: list[_OdsTable] = []
    for match in _ODS_TOKEN.finditer(content):
        closing, kind, attrs = match.group(1), match.group(2), match.group(3)
        if kind == b"table":
            if closing:
                if stack:
                    done = stack.pop()
                    found[done.name] = Extent(done.rows, done.columns, done.copied)
            elif not attrs.endswith(b"/"):
                name = _TABLE_NAME.search(attrs)
                stack.append(_OdsTable(name.group(1).decode("utf-8", "replace") if name else ""))
            continue
        if not stack:
            continue
        table = stack[-1]
        if kind == b"table-row":
            if closing:
                if table.row_end:
                    table.rows = table.row + table.repeat
                    table.columns = max(table.columns, table.row_end)
                table.row += table.repeat
                continue
            repeat = _ROWS_REPEATED.search(attrs)
            table.repeat = int(repeat.group(1)) if repeat else 1
            if attrs.endswith(b"/"):
                table.row += table.repeat
            else:
                table.col = table.row_end = 0
            continue
        if closing:
            if kind == b"table-cell" and table.cell is not None:
                start, copies = table.cell
                table.copied += (match.start() - start) * copies
                table.cell = None
            continue
        repeat = _COLUMNS_REPEATED.search(attrs)
        count = int(repeat.group(1)) if repeat else 1
        if b"office:value-type" in attrs or not attrs.endswith(b"/"):
            table.row_end = table.col + count
        if count * table.repeat > 1 and not attrs.endswith(b"/"):
            table.cell = (match.end(), count * table.repeat)
        table.col += count
    return found


# --- xls: the BIFF records of the Workbook stream ------------------------------------------------

#: Records of a cell holding a value (row and column first): FORMULA, NUMBER, LABEL, BOOLERR,
#: RK, LABELSST, RSTRING and their BIFF2–4 forms. BLANK/MULBLANK hold none: calamine skips them.
_CELL_RECORDS = frozenset(
    {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
    | {0x0002, 0x0003, 0x0004, 0x0005, 0x0206, 0x0406}
)
_MULRK = 0x00BD
_BOF = frozenset((0x0809, 0x0009, 0x0209, 0x0409))
_EOF = 0x000A


@dataclass(frozen=True)
class XlsFacts:
    """What an .xls compound file says before calamine reads it."""

    sheets: list[Extent]  # the block of valued cells of each sheet (substream)
    date1904: bool = False  # DATEMODE 1: serial dates count from 1/1/1904
    encrypted: bool = False  # FILEPASS, or an encrypted OOXML package (a protected .xlsx)


_DATEMODE = 0x0022
_FILEPASS = 0x002F
_ENCRYPTED_PACKAGE = "EncryptedPackage"


def xls_sheets(raw: bytes) -> list[Extent]:
    """The block of valued cells of each sheet (substream) of a BIFF .xls file; empty when
    the file holds no Workbook stream (calamine then refuses it by itself). Raises ValueError
    when the compound file is damaged."""
    return xls_facts(raw).sheets


def xls_facts(raw: bytes) -> XlsFacts:
    """The sheets' blocks, the date system and whether the file is encrypted — a BIFF file
    with a password (FILEPASS: its cell records are scrambled, so they are not measured) or
    a password-protected .xlsx, which Office stores as an OLE2 file too. Raises ValueError
    when the compound file is damaged."""
    compound = _Compound(raw)
    if _ENCRYPTED_PACKAGE in compound.streams:
        return XlsFacts([], encrypted=True)
    stream = compound.stream(("Workbook", "Book"))
    if stream is None:
        return XlsFacts([])
    found: list[Extent] = []
    box = _Box()
    date1904 = False
    substreams = 0
    long: dict[int, int] = {}  # index of a long shared string -> its most bytes once read
    copied = 0
    position, size = 0, len(stream)
    unpack = struct.unpack_from
    while position + 4 <= size:
        kind, length = unpack("<HH", stream, position)
        body = position + 4
        position = body + length
        if position > size:  # a record cut short: calamine stops there too
            break
        if kind in _CELL_RECORDS and length >= 4:
            row, col = unpack("<HH", stream, body)
            box.add(row, col)
            if kind == _LABELSST and length >= 10 and long:
                copied += long.get(unpack("<I", stream, body + 6)[0], 0)
        elif kind == _MULRK and length >= 6:
            row, first = unpack("<HH", stream, body)
            (last,) = unpack("<H", stream, body + length - 2)
            box.add(row, first, last)
        elif kind in _BOF or kind == _EOF:
            substreams += kind in _BOF
            if box.bottom >= 0:
                found.append(Extent(*_size(box), copied))
            box, copied = _Box(), 0
        elif substreams <= 1 and kind == _FILEPASS:  # in the workbook globals
            return XlsFacts([], encrypted=True)
        elif substreams <= 1 and kind == _DATEMODE and length >= 2:
            date1904 = unpack("<H", stream, body)[0] == 1
        elif substreams <= 1 and kind == _SST:
            long = _long_sst_strings(stream, body, length)
    if box.bottom >= 0:
        found.append(Extent(*_size(box), copied))
    return XlsFacts(found, date1904)


def _size(box: _Box) -> tuple[int, int]:
    extent = box.extent
    return extent.rows, extent.columns


_SST = 0x00FC
_CONTINUE = 0x003C
_LABELSST = 0x00FD


def _long_sst_strings(stream: bytes, body: int, length: int) -> dict[int, int]:
    """The strings of a BIFF8 SST record (and its CONTINUE records) longer than LONG_TEXT
    bytes once read (UTF-8, at most 3 bytes a character), by index. A string's characters
    may run on into the next CONTINUE record, which then starts with a new flags byte."""
    parts = [stream[body : body + length]]
    position = body + length
    while position + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, position)
        if kind != _CONTINUE:
            break
        parts.append(stream[position + 4 : position + 4 + size])
        position += 4 + size
    data = b"".join(parts)
    ends: list[int] = []  # where each record's body ends in data
    for part in parts:
        ends.append((ends[-1] if ends else 0) + len(part))
    if len(data) < 8:
        return {}
    unique = struct.unpack_from("<I", data, 4)[0]
    at, record, last = 8, 0, len(ends) - 1
    found: dict[int, int] = {}
    for index in range(unique):
        while record < last and at >= ends[record]:
            record += 1
        if at + 3 > len(data):
            break
        chars, flags = struct.unpack_from("<HB", data, at)
        at += 3
        skip = 0
        if flags & 0x08 and at + 2 <= len(data):  # rich text: 4 bytes a run, after the text
            skip += 4 * struct.unpack_from("<H", data, at)[0]
            at += 2
        if flags & 0x04 and at + 4 <= len(data):  # phonetic data, after the text
            skip += struct.unpack_from("<I", data, at)[0]
            at += 4
        width = 2 if flags & 0x01 else 1
        left = chars
        while left > 0:
            room = (ends[record] - at) // width
            if room <= 0:  # the text goes on in the next record, after a new flags byte
                if record >= last:
                    break
                at, record = ends[record], record + 1
                if at >= ends[record]:  # an empty record: its flags byte is missing
                    continue
                width = 2 if data[at] & 0x01 else 1
                at += 1
                continue
            taken = min(room, left)
            left -= taken
            at += taken * width
        at += skip
        if chars * 3 > LONG_TEXT:
            found[index] = chars * 3
    return found


_END_OF_CHAIN = 0xFFFFFFFE


def compound_stream(raw: bytes, names: tuple[str, ...]) -> bytes | None:
    """The first stream called one of ``names`` in an OLE2 compound file (what an .xls is);
    None when there is none. Raises ValueError for a damaged file."""
    return _Compound(raw).stream(names)


class _Compound:
    """An OLE2 compound file's directory: its streams by name, read on demand."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) < 512:
            raise ValueError("compound file header truncated")
        shift, mini_shift = struct.unpack_from("<HH", raw, 30)
        if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
            raise ValueError("bad sector size")
        self.raw = raw
        self.sector = sector = 1 << shift
        self.mini = 1 << mini_shift
        major = struct.unpack_from("<H", raw, 26)[0]
        fat_sectors = [s for s in struct.unpack_from("<109I", raw, 76) if s < 0xFFFFFFFA]
        first_dir, _, self.cutoff, self.first_minifat = struct.unpack_from("<IIII", raw, 48)
        difat, difat_count = struct.unpack_from("<II", raw, 68)
        per_sector = sector // 4
        seen: set[int] = set()
        while difat < 0xFFFFFFFA and difat_count > 0:  # further FAT sector numbers
            if difat in seen:
                raise ValueError("DIFAT loop")
            seen.add(difat)
            entries = struct.unpack_from(f"<{per_sector}I", _sector(raw, difat, sector))
            fat_sectors += [s for s in entries[:-1] if s < 0xFFFFFFFA]
            difat, difat_count = entries[-1], difat_count - 1
        self.fat: list[int] = []
        for number in fat_sectors:
            self.fat += struct.unpack_from(f"<{per_sector}I", _sector(raw, number, sector))
        directory = self._read(first_dir)
        records = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
        self.root_start = struct.unpack_from("<I", records[0], 116)[0] if records else _END_OF_CHAIN
        self.streams: dict[str, tuple[int, int]] = {}  # name -> (first sector, size)
        for entry in records:
            length, kind = struct.unpack_from("<HB", entry, 64)
            name = entry[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            if kind != 2 or name in self.streams:
                continue
            start, size = struct.unpack_from("<IQ", entry, 116)
            if major == 3:  # version 3 files may leave garbage in the high half
                size &= 0xFFFFFFFF
            self.streams[name] = (start, size)

    def stream(self, names: tuple[str, ...]) -> bytes | None:
        """The first stream of the directory called one of ``names``, or None."""
        found = next((self.streams[name] for name in self.streams if name in names), None)
        if found is None:
            return None
        start, size = found
        if size >= self.cutoff:
            return self._read(start)[:size]
        mini_table: list[int] = []
        if self.first_minifat < 0xFFFFFFFA:
            blob = self._read(self.first_minifat)
            mini_table = list(struct.unpack_from(f"<{len(blob) // 4}I", blob))
        container = self._read(self.root_start)
        parts = []
        for number in _chain(start, mini_table):
            part = container[number * self.mini : (number + 1) * self.mini]
            if len(part) < self.mini:
                raise ValueError("mini sector out of range")
            parts.append(part)
        return b"".join(parts)[:size]

    def _read(self, start: int) -> bytes:
        return b"".join(_sector(self.raw, n, self.sector) for n in _chain(start, self.fat))


def _chain(start: int, table: list[int]) -> list[int]:
    numbers: list[int] = []
    while start < 0xFFFFFFFA:
        if start >= len(table) or len(numbers) > len(table):
            raise ValueError("broken sector chain")
        numbers.append(start)
        start = table[start]
    return numbers


def _sector(raw: bytes, number: int, size: int) -> bytes:
    offset = (number + 1) * size
    if offset >= len(raw):
        raise ValueError("sector out of range")
    return raw[offset : offset + size].ljust(size, b"\0")
