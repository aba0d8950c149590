"""The XML behind ``validate --annotate``, written as byte streams so that a 100.000-row log is
never loaded into an object model: a worksheet is copied as it is except for the rows holding
a marked cell (whose cells get a fill style, missing cells and rows being added in order), and
the comments part and its VML drawing (the yellow boxes Excel shows) are written or extended.

Only what ECMA-376 and XML allow is assumed: rows and cells in order, each with or without its
``r`` attribute, any namespace prefix, attribute values in either quotes holding ``>``, comments
and CDATA sections outside the cell data (xml_bytes.py reads the tags). Every search moves
forward, so no input makes the work quadratic; what is written is parsed as it is written, so
a cut in the wrong place is an error, never a broken copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from danvan_cli.xlsx import clean_text
from danvan_cli.xml_bytes import (
    ATTRIBUTE,
    ATTRS,
    Checked,
    Unsupported,
    Write,
    attribute,
    attribute_value,
    children,
    int_value,
    is_empty,
    quoted,
    tags,
    well_formed,
    without,
)

__all__ = ["Unsupported"]  # annotate.py and the tests catch it from here

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
AUTHOR = "danvan"

Cell = tuple[int, int]
"""(row, column), both 1-based."""


@dataclass(frozen=True)
class SheetMarks:
    """What to do to one worksheet: ``fills[row][column]`` is the fill key of each marked cell
    (``style(base_xf, key)`` gives the new style index); ``legacy_rid``, when set, is the
    relationship id of a new VML drawing to reference."""

    fills: Mapping[int, Mapping[int, str]]
    style: Callable[[int, str], int]
    legacy_rid: str | None = None


_NAME = rb"(?:[A-Za-z_][\w.\-]*:)?"
_ROW_OR_END = re.compile(rb"<(/?)(" + _NAME + rb")(row|sheetData)(?=[\s/>])" + ATTRS + rb">")
_ROW_END = re.compile(rb"</" + _NAME + rb"row\s*>")
_CELL = re.compile(rb"<" + _NAME + rb"c(?=[\s/>])" + ATTRS + rb">")
_AFTER_LEGACY = {
    b"legacyDrawingHF",
    b"drawingHF",
    b"picture",
    b"oleObjects",
    b"controls",
    b"webPublishItems",
    b"tableParts",
    b"extLst",
    b"AlternateContent",
}
"""What follows ``<legacyDrawing>`` among a worksheet's children (ECMA-376 §18.3.1.99)."""
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def parse_cell(ref: str) -> Cell | None:
    """``"C14"`` -> (14, 3); None for anything else (a range, a blank)."""
    found = _CELL_REF.fullmatch(ref.strip())
    if found is None:
        return None
    column = 0
    for char in found.group(1).upper():
        column = column * 26 + ord(char) - 64
    row = int(found.group(2))
    return (row, column) if 1 <= row <= 1_048_576 and column <= 16_384 else None


def column_letters(column: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(cell: Cell) -> str:
    return f"{column_letters(cell[1])}{cell[0]}"


_R_LETTERS = re.compile(rb"\$?([A-Za-z]{1,3})\$?[0-9]")
_COLUMNS: dict[bytes, int] = {}


def _column_of(attrs: bytes, previous: int) -> int:
    """The column of a cell from its ``r`` attribute, else the one after ``previous``."""
    ref = attribute_value(attrs, b"r")
    found = _R_LETTERS.match(ref.strip()) if ref is not None else None
    if found is None:
        return previous + 1
    letters = found.group(1)
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for char in letters.upper():
            column = column * 26 + char - 64
        if len(_COLUMNS) < 20_000:
            _COLUMNS[letters] = column
    return column


# --- the markup around the cell data -----------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where a worksheet's parts are: its root and ``<sheetData>`` start tags, the end of the
    cell data (``</sheetData>``, or the empty ``<sheetData/>`` itself) and the column styles
    (first, last, style) of its ``<col>`` elements."""

    root: re.Match[bytes]
    opening: re.Match[bytes]
    closing: int
    after: int
    columns: list[tuple[int, int, int]]

    @property
    def empty(self) -> bool:
        return is_empty(self.opening)


def _layout(data: bytes) -> _Layout:
    root: re.Match[bytes] | None = None
    columns: list[tuple[int, int, int]] = []
    depth = 0
    for tag in tags(data):
        if tag.group(1):
            depth -= 1
            continue
        local, attrs = tag.group(3), tag.group(4)
        if root is None:
            root = tag
        elif local == b"sheetData" and depth == 1:
            if is_empty(tag):
                return _Layout(root, tag, tag.end(), tag.end(), columns)
            closing = _sheet_data_end(data, tag.end(), tag.group(2))
            after = data.index(b">", closing) + 1
            return _Layout(root, tag, closing, after, columns)
        elif local == b"col" and (style := int_value(attrs, b"style", 0)):
            columns.append((int_value(attrs, b"min", 0), int_value(attrs, b"max", 0), style))
        if not is_empty(tag):
            depth += 1
    raise Unsupported("không thấy phần dữ liệu của trang")


def _sheet_data_end(data: bytes, start: int, ns: bytes) -> int:
    """Where ``</sheetData>`` starts. The cell data hold no comment, CDATA section or
    processing instruction (refused), so the first end tag after ``start`` is it; the last
    one of the part, found from the end, nearly always is."""
    closer = b"</" + ns + b"sheetData"
    last = data.rfind(closer, start)
    if (
        last >= 0
        and _TAG_REST.match(data, last + len(closer))
        and not _unfollowed(data, start, last)
    ):
        return last
    at = data.find(closer, start)
    while at >= 0 and not _TAG_REST.match(data, at + len(closer)):
        at = data.find(closer, at + 1)
    if at < 0:
        raise Unsupported("phần dữ liệu của trang không khép lại")
    if _unfollowed(data, start, at):
        raise Unsupported("chú thích XML trong dữ liệu của trang")
    return at


_TAG_REST = re.compile(rb"\s*>")


def _unfollowed(data: bytes, start: int, end: int) -> bool:
    return data.find(b"<!", start, end) >= 0 or data.find(b"<?", start, end) >= 0


def sheet_namespace(head: bytes) -> str:
    """The namespace of the worksheet whose XML starts with ``head``."""
    root = next(tags(head), None)
    if root is None or root.group(3) != b"worksheet":
        raise Unsupported("không thấy phần đầu của trang")
    prefix = root.group(2)
    declared = attribute_value(root.group(4), b"xmlns" + (b":" + prefix[:-1] if prefix else b""))
    return declared.decode("utf-8", "replace") if declared is not None else ""


def legacy_drawing_rid(data: bytes) -> str | None:
    """The relationship id of the worksheet's VML drawing (``<legacyDrawing r:id=…>``)."""
    for child in children(data, _layout(data).after):
        if not child.group(1) and child.group(3) == b"legacyDrawing":
            for found in ATTRIBUTE.finditer(child.group(4)):
                if found.group(1).endswith(b":id"):
                    return quoted(found).decode("utf-8", "replace")
    return None


def _legacy_place(data: bytes, after: int) -> int:
    """Where a new ``<legacyDrawing>`` goes: before the first child of the root that the
    schema puts after it, else before the root's end tag."""
    for child in children(data, after):
        if child.group(1) or child.group(3) in _AFTER_LEGACY:
            return child.start()
    raise Unsupported("trang không khép lại")


# --- the worksheet -----------------------------------------------------------------------------


class Buffered:
    """Gathers small writes into chunks of about a megabyte (each write to a zip member costs
    a CRC and a compressor call)."""

    def __init__(self, write: Write, size: int = 1 << 20) -> None:
        self._write, self._size = write, size
        self._parts: list[bytes | memoryview] = []
        self._held = 0

    def __call__(self, part: bytes | memoryview) -> None:
        if len(part) >= self._size:
            self.flush()
            self._write(part)
            return
        self._parts.append(part)
        self._held += len(part)
        if self._held >= self._size:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._write(b"".join(self._parts))
            self._parts, self._held = [], 0


def rewrite_sheet(data: bytes, marks: SheetMarks, write: Write) -> None:
    """Write ``data`` (a worksheet's XML) through ``write`` with the marks applied; raises
    Unsupported, having written part of it, when the result would not be well-formed."""
    checked = Checked(write, "trang")
    buffered = Buffered(checked)
    _rewrite(data, marks, buffered)
    buffered.flush()
    checked.close()


def _rewrite(data: bytes, marks: SheetMarks, write: Write) -> None:
    view = memoryview(data)
    layout = _layout(data)
    opening = layout.opening
    ns = opening.group(2)
    columns = layout.columns
    pending = sorted(marks.fills)
    done = 0
    if layout.empty:  # <sheetData/>
        write(view[: opening.start()])
        write(b"<" + ns + b"sheetData>")
        for row in pending:
            write(_new_row(ns, row, marks, columns))
        write(b"</" + ns + b"sheetData>")
        copied = opening.end()
    else:
        closing = layout.closing
        copied, position, number = 0, opening.end(), 0
        while done < len(pending):
            found = _ROW_OR_END.search(data, position, closing + 1)
            if found is None or found.group(1) or found.group(3) != b"row":
                break  # </sheetData>: the marked rows left are added below
            attrs = found.group(4)
            number = _row_number(attrs, number)
            body_end, row_end = _row_end(data, found)
            while done < len(pending) and pending[done] < number:
                write(view[copied : found.start()])
                copied = found.start()
                write(_new_row(ns, pending[done], marks, columns))
                done += 1
            if done < len(pending) and pending[done] == number:
                write(view[copied : found.start()])
                write(_marked_row(data, found, body_end, row_end, number, marks, columns))
                copied = row_end
                done += 1
            position = row_end
        if done < len(pending):
            write(view[copied:closing])
            copied = closing
            for row in pending[done:]:
                write(_new_row(ns, row, marks, columns))
    if marks.legacy_rid is not None:
        at = _legacy_place(data, layout.after)
        write(view[copied:at])
        write(
            b'<%slegacyDrawing xmlns:r="%s" r:id="%s"/>'
            % (layout.root.group(2), REL_NS.encode(), escape(marks.legacy_rid).encode("utf-8"))
        )
        copied = at
    write(view[copied:])


def _row_number(attrs: bytes, previous: int) -> int:
    """The row's ``r`` attribute (written first by every common writer), else the next row."""
    if attrs.startswith(b' r="'):
        end = attrs.find(b'"', 4)
        if end > 4 and attrs[4:end].isdigit():
            return int(attrs[4:end])
    return int_value(attrs, b"r", previous + 1)


def _row_end(data: bytes, found: re.Match[bytes]) -> tuple[int, int]:
    """Where the row opened by ``found`` ends its cells, and where it ends."""
    if is_empty(found):
        return found.end(), found.end()
    closer = b"</" + found.group(2) + b"row>"
    end = data.find(closer, found.end())
    if end >= 0 and data.find(b"<" + found.group(2) + b"row", found.end(), end) < 0:
        return end, end + len(closer)
    closed = _ROW_END.search(data, found.end())  # "</row >": spaces are allowed there
    if closed is None:
        raise Unsupported("dòng của trang không khép lại")
    return closed.start(), closed.end()


def _base_style(column: int, row_style: int | None, columns: list[tuple[int, int, int]]) -> int:
    """The style Excel gives a cell that is not written: its row's, else its column's."""
    if row_style is not None:
        return row_style
    for first, last, style in columns:
        if first <= column <= last:
            return style
    return 0


def _new_cell(ns: bytes, row: int, column: int, style: int) -> bytes:
    return b'<%sc r="%s" s="%d"/>' % (ns, cell_name((row, column)).encode(), style)


def _new_row(ns: bytes, row: int, marks: SheetMarks, columns: list[tuple[int, int, int]]) -> bytes:
    cells = b"".join(
        _new_cell(ns, row, column, marks.style(_base_style(column, None, columns), key))
        for column, key in sorted(marks.fills[row].items())
    )
    return b'<%srow r="%d">%s</%srow>' % (ns, row, cells, ns)


def _with_style(attrs: bytes, style: int) -> bytes:
    closing = attrs.endswith(b"/")
    body = attrs[:-1] if closing else attrs
    found = attribute(body, b"s")
    if found is None:
        replaced = body + b' s="%d"' % style
    else:
        replaced = body[: found.start()] + b's="%d"' % style + body[found.end() :]
    return replaced + (b"/" if closing else b"")


def _marked_row(
    data: bytes,
    found: re.Match[bytes],
    body_end: int,
    row_end: int,
    number: int,
    marks: SheetMarks,
    columns: list[tuple[int, int, int]],
) -> bytes:
    ns, attrs = found.group(2), found.group(4)
    empty = is_empty(found)
    start_attrs = attrs[:-1] if empty else attrs
    if b"spans" in start_attrs:  # a hint only, and cells may be added beyond it
        start_attrs = without(start_attrs, b"spans")
    body_start = found.end()
    todo = sorted(marks.fills[number].items())
    parts = [b"<" + ns + b"row" + start_attrs + b">"]
    located = _located(data, body_start, body_end, number, todo)
    if located is not None:  # every marked cell is written with its reference: go straight there
        copied = body_start
        for cell, (_, key) in zip(located, todo, strict=True):
            parts.append(data[copied : cell.start()])
            parts.append(_restyled(data, cell, marks.style(int_value(cell.group(1), b"s", 0), key)))
            copied = cell.end()
        parts.append(data[copied:row_end])
        return b"".join(parts)
    custom = attribute_value(attrs, b"customFormat") in (b"1", b"true")
    row_style = int_value(attrs, b"s", 0) if custom else None
    copied, column, next_mark = body_start, 0, 0
    for cell in _CELL.finditer(data, body_start, body_end):
        cell_attrs = cell.group(1)
        column = _column_of(cell_attrs, column)
        while next_mark < len(todo) and todo[next_mark][0] < column:
            parts.append(data[copied : cell.start()])
            copied = cell.start()
            wanted, key = todo[next_mark]
            style = marks.style(_base_style(wanted, row_style, columns), key)
            parts.append(_new_cell(ns, number, wanted, style))
            next_mark += 1
        if next_mark < len(todo) and todo[next_mark][0] == column:
            parts.append(data[copied : cell.start()])
            style = marks.style(int_value(cell_attrs, b"s", 0), todo[next_mark][1])
            parts.append(_restyled(data, cell, style))
            copied = cell.end()
            next_mark += 1
        if next_mark == len(todo):
            break
    parts.append(data[copied:body_end])
    for wanted, key in todo[next_mark:]:
        style = marks.style(_base_style(wanted, row_style, columns), key)
        parts.append(_new_cell(ns, number, wanted, style))
    parts.append(b"</" + ns + b"row>" if empty else data[body_end:row_end])
    return b"".join(parts)


def _restyled(data: bytes, cell: re.Match[bytes], style: int) -> bytes:
    """The start tag of ``cell`` with the style ``style``."""
    return data[cell.start() : cell.start(1)] + _with_style(cell.group(1), style) + b">"


def _located(
    data: bytes, start: int, end: int, number: int, todo: list[tuple[int, str]]
) -> list[re.Match[bytes]] | None:
    """The start tags of the marked cells of a row, found by their ``r="H57"`` references, or
    None when one is not written so (missing, written without reference, or the text found
    is not the cell's own reference but stands in a text or another attribute's value)."""
    cells = []
    at = start
    for column, _ in todo:
        ref = b"%s%d" % (_letters(column), number)
        position = data.find(b'r="' + ref + b'"', at, end)
        if position <= at or data[position - 1] not in b" \t\r\n":
            return None
        cell = _CELL.match(data, data.rfind(b"<", at, position))
        if cell is None or cell.end() <= position or attribute_value(cell.group(1), b"r") != ref:
            return None
        cells.append(cell)
        at = cell.end()
    return cells


_LETTERS: dict[int, bytes] = {}


def _letters(column: int) -> bytes:
    letters = _LETTERS.get(column)
    if letters is None:
        letters = _LETTERS[column] = column_letters(column).encode()
    return letters


# --- the comments part -------------------------------------------------------------------------

XML_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _comment(cell: Cell, author: int, text: str) -> bytes:
    return (
        f'<comment ref="{cell_name(cell)}" authorId="{author}"><text>'
        f'<t xml:space="preserve">{escape(clean_text(text))}</t></text></comment>'
    ).encode()


def new_comments(notes: Mapping[Cell, str], namespace: str = MAIN_NS) -> Iterator[bytes]:
    """A comments part holding ``notes``, in row order."""
    yield XML_HEAD
    yield f'<comments xmlns="{escape(namespace)}">'.encode()
    yield f"<authors><author>{AUTHOR}</author></authors>".encode()
    yield b"<commentList>"
    for cell in sorted(notes):
        yield _comment(cell, 0, notes[cell])
    yield b"</commentList></comments>"


def merged_comments(existing: bytes, notes: Mapping[Cell, str]) -> tuple[bytes, set[Cell]]:
    """``existing`` comments part with ``notes`` added (a cell that already has a comment gets
    the note first, then its own text), and the cells that had a comment before."""
    from lxml import etree

    root = etree.fromstring(existing, etree.XMLParser(resolve_entities=False, huge_tree=True))
    ns = etree.QName(root).namespace or MAIN_NS
    authors = root.find(f"{{{ns}}}authors")
    if authors is None:
        authors = etree.SubElement(root, f"{{{ns}}}authors")  # made inside: no prefix
        root.insert(0, authors)
    names = [a.text or "" for a in authors]
    if AUTHOR in names:
        author = names.index(AUTHOR)
    else:
        etree.SubElement(authors, f"{{{ns}}}author").text = AUTHOR
        author = len(names)
    listing = root.find(f"{{{ns}}}commentList")
    if listing is None:
        listing = etree.SubElement(root, f"{{{ns}}}commentList")
        authors.addnext(listing)
    entries: dict[Cell, bytes] = {}
    had: set[Cell] = set()
    for index, element in enumerate(list(listing)):
        cell = parse_cell(str(element.get("ref", "")).split(":")[0])
        key = cell if cell is not None else (0, index)
        if cell is not None:
            had.add(cell)
            if cell in notes:
                _prepend(element, ns, clean_text(notes[cell]))
        entries[key] = etree.tostring(element, encoding="unicode").encode("utf-8")
        listing.remove(element)  # after serialising: inside the tree it needs no prefix
    for cell, text in notes.items():
        if cell not in had:
            entries[cell] = _comment(cell, author, text)
    listing.append(etree.Comment("danvan"))
    whole = etree.tostring(root, encoding="unicode").encode("utf-8")
    head, tail = whole.split(b"<!--danvan-->", 1)
    return XML_HEAD + head + b"".join(entries[key] for key in sorted(entries)) + tail, had


def _prepend(comment: object, ns: str, note: str) -> None:
    from lxml import etree

    text = comment.find(f"{{{ns}}}text")  # type: ignore[attr-defined]
    if text is None:
        text = etree.SubElement(comment, f"{{{ns}}}text")
    plain = text.find(f"{{{ns}}}t")
    space = "{http://www.w3.org/XML/1998/namespace}space"
    if plain is not None:
        plain.text = f"{note}\n\n{plain.text or ''}"
        plain.set(space, "preserve")
        return
    run = etree.SubElement(text, f"{{{ns}}}r")  # made inside, so in the default namespace
    inner = etree.SubElement(run, f"{{{ns}}}t")
    inner.text = f"{note}\n\n"
    inner.set(space, "preserve")
    text.insert(0, run)


# --- the VML drawing ---------------------------------------------------------------------------

_VML_NS = {
    b"v": b"urn:schemas-microsoft-com:vml",
    b"o": b"urn:schemas-microsoft-com:office:office",
    b"x": b"urn:schemas-microsoft-com:office:excel",
}
_SHAPETYPE = (
    b'<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    b'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    b'<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)
_SHAPE_ID = re.compile(rb"_x0000_s(\d+)")
_IDMAP = re.compile(rb"<o:idmap(?=[\s/>])" + ATTRS + rb">")
_VML_END = re.compile(rb"</xml\s*>\s*$")
BOX_WIDTH = 320
"""Width of a comment box, in pixels (about five default columns)."""


def idmap_of(vml: bytes) -> int:
    """The highest block of shape ids a VML drawing claims (``<o:idmap data="1,3">``)."""
    found = _IDMAP.search(vml)
    blocks = attribute_value(found.group(1), b"data") if found else None
    return max((int(n) for n in re.findall(rb"[0-9]{1,9}", blocks or b"")), default=0)


def _shape(number: int, cell: Cell, lines: int) -> bytes:
    row, column = cell[0] - 1, cell[1] - 1
    height = 40 + 40 * lines
    top = max(row - 1, 0)
    return (
        b'<v:shape id="_x0000_s%d" type="#_x0000_t202" style="position:absolute;'
        b"margin-left:59.25pt;margin-top:1.5pt;width:%dpx;height:%dpx;z-index:1;"
        b'visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">'
        b'<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>'
        b'<v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto">'
        b'<div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note">'
        b"<x:MoveWithCells/><x:SizeWithCells/>"
        b"<x:Anchor>%d, 15, %d, 10, %d, 15, %d, 4</x:Anchor>"
        b"<x:AutoFill>False</x:AutoFill><x:Row>%d</x:Row><x:Column>%d</x:Column>"
        b"</x:ClientData></v:shape>"
    ) % (
        number,
        BOX_WIDTH,
        height,
        column + 1,
        top,
        column + 1 + BOX_WIDTH // 64,
        top + 2 + height // 20,
        row,
        column,
    )


def _shapes(first: int, cells: Iterable[tuple[Cell, int]]) -> Iterator[bytes]:
    for number, (cell, lines) in enumerate(cells, start=first):
        yield _shape(number, cell, lines)


def new_vml(idmap: int, cells: Iterable[tuple[Cell, int]]) -> Iterator[bytes]:
    """A VML drawing with one hidden note box per (cell, number of lines)."""
    declarations = b" ".join(b'xmlns:%s="%s"' % item for item in _VML_NS.items())
    yield b"<xml %s>" % declarations
    yield b'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="%d"/></o:shapelayout>' % idmap
    yield _SHAPETYPE
    yield from _shapes(idmap * 1024 + 1, cells)
    yield b"</xml>"


def merged_vml(existing: bytes, cells: Iterable[tuple[Cell, int]]) -> Iterator[bytes]:
    """``existing`` VML drawing with note boxes added for ``cells``; when ``existing`` is
    well-formed XML (Excel's and LibreOffice's are), so must the result be."""
    parts = list(_merged_vml(existing, cells))
    if well_formed([existing]) and not well_formed(parts):
        raise Unsupported("bản vẽ VML của trang chép ra không còn là XML hợp lệ")
    yield from parts


def _merged_vml(existing: bytes, cells: Iterable[tuple[Cell, int]]) -> Iterator[bytes]:
    root = next(tags(existing), None)
    end = _VML_END.search(existing)
    if root is None or root.group(2) or root.group(3) != b"xml" or end is None:
        raise Unsupported("bản vẽ VML của trang không đọc được")
    declared = root.group(4)
    extra = b""
    for prefix, uri in _VML_NS.items():
        found = attribute_value(declared, b"xmlns:" + prefix)
        if found is None:
            extra += b' xmlns:%s="%s"' % (prefix, uri)
        elif found != uri:
            raise Unsupported("bản vẽ VML của trang dùng không gian tên lạ")
    yield existing[: root.start()]
    yield b"<xml" + declared + extra + b">"
    body = existing[root.end() : end.start()]
    yield body
    if b'id="_x0000_t202"' not in body:
        yield _SHAPETYPE
    numbers = [int(n) for n in _SHAPE_ID.findall(body)]
    first = max([idmap_of(existing) * 1024, *numbers]) + 1
    yield from _shapes(first, cells)
    yield existing[end.start() :]
