"""Properties of reading, with hypothesis: random but valid workbooks (random rows within the
schema's rules, header order and spelling, title rows, sheet names, and the many ways clerks
type dates, counts, choices and yes/no) read back as exactly what was written; any cell value at
all thrown at the parsers of every column kind gives the right type or a ParseError, never
another exception; and the measures workbook.py takes of a file before calamine reads it
(extents.py) survive damaged and random bytes."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import INFO_ROWS, write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import biff_workbook, compound_file, write_ods

from danvan_cli import extents
from danvan_cli.cells import converter, parse_cell
from danvan_cli.models import DossierMonth, Petition, Reception
from danvan_cli.reading import load
from danvan_cli.schema import (
    DON_THU,
    KINDS_OF_MATTER,
    RECEPTION_MODES,
    SHEETS,
    THONG_TIN_HEADERS,
    Choice,
    Column,
    Kind,
)
from danvan_cli.vietnamese import ParseError

WORKBOOKS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
EXCEL_EPOCH = dt.date(1899, 12, 30)
YEAR = 2024


# --- how clerks spell things ---------------------------------------------------------------------


def plain(text: str) -> str:
    """No diacritics: ``Tiếp công dân`` -> ``Tiep cong dan``."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


NAME_SPELLINGS: list[Callable[[str], str]] = [
    lambda t: t,
    str.upper,
    str.lower,
    plain,
    lambda t: unicodedata.normalize("NFD", t),
    lambda t: f"  {t} ",
    lambda t: t.replace(" ", "_"),
    lambda t: plain(t).upper().replace(" ", "  "),
]


def spelled(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(NAME_SPELLINGS).map(lambda spell: spell(name))


def choice_cell(choices: tuple[Choice, ...]) -> st.SearchStrategy[tuple[str, str]]:
    """(what the clerk typed, the canonical key)."""
    return st.sampled_from(choices).flatmap(
        lambda c: st.sampled_from([c.label, *c.aliases]).flatmap(spelled).map(lambda t: (t, c.key))
    )


def date_cell(day: dt.date) -> st.SearchStrategy[object]:
    return st.sampled_from(
        [
            day,
            dt.datetime(day.year, day.month, day.day),
            f"{day.day}/{day.month}/{day.year}",
            f"{day.day:02d}/{day.month:02d}/{day.year}",
            f"{day.day}-{day.month}-{day.year}",
            f"{day.day:02d}.{day.month:02d}.{day.year}",
            day.isoformat(),
            f" {day.day}/{day.month}/{day.year} ",
            (day - EXCEL_EPOCH).days,  # an Excel serial number
        ]
    )


def count_cell(number: int) -> st.SearchStrategy[object]:
    spellings: list[object] = [number, float(number), str(number), f"{number}.0", f" {number} "]
    if number >= 1000:
        spellings.append(f"{number:,}".replace(",", "."))  # 1.234: the dot groups thousands
    return st.sampled_from(spellings)


YES = ["Có", "có", "CÓ", "x", "X", 1, True, "TRUE", "1", "đã", "Rồi"]
NO = ["Không", "không", "KHONG", 0, False, "FALSE", "0", None]


def bool_cell(value: bool) -> st.SearchStrategy[object]:
    return st.sampled_from(YES if value else NO)


TEXT = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
    .filter(lambda t: t.strip() and not t.lstrip().startswith("=") and "_x" not in t)
    .filter(lambda t: unicodedata.normalize("NFC", t) == t)
)
TITLES = ["SỔ TIẾP CÔNG DÂN NĂM 2024", "UBND XÃ TÂN HƯNG", "(Ban hành kèm theo Kế hoạch số 01)"]
DAYS = st.dates(min_value=dt.date(YEAR - 1, 12, 1), max_value=dt.date(YEAR, 12, 31))


# --- random sheets: (cells as written, what reading must give back) ------------------------------

Cell = tuple[str, object, Any]  # (column title, cell as typed, value read)


@st.composite
def reception(draw: st.DrawFn) -> list[Cell]:
    day = draw(DAYS)
    mode_typed, mode = draw(choice_cell(RECEPTION_MODES))
    kind_typed, kind = draw(choice_cell(KINDS_OF_MATTER))
    people = draw(st.integers(1, 2500))
    cells: list[Cell] = [
        ("Ngày tiếp", draw(date_cell(day)), day),
        ("Hình thức tiếp", mode_typed, mode),
        ("Số người", draw(count_cell(people)), people),
        ("Phân loại", kind_typed, kind),
    ]
    session = draw(
        st.one_of(st.none(), choice_cell((Choice("sang", "Sáng"), Choice("chieu", "Chiều"))))
    )
    cells.append(("Buổi", *(session or (None, None))))
    code = draw(st.one_of(st.none(), st.sampled_from(["VV-01", "VV-02", "17/TCD"])))
    cells.append(("Mã vụ việc", code, code))
    field = draw(st.one_of(st.none(), TEXT))
    cells.append(("Lĩnh vực", field, field.strip() if field else None))
    cells.append(("Họ tên", draw(TEXT), None))  # personal: read, never kept
    return cells


@st.composite
def petition(draw: st.DrawFn) -> list[Cell]:
    day = draw(DAYS)
    kind_typed, kind = draw(choice_cell(KINDS_OF_MATTER))
    source = draw(st.one_of(st.none(), choice_cell(DON_THU.column("source").choices)))
    eligible, processed = draw(st.booleans()), draw(st.booleans())
    return [
        ("Ngày nhận", draw(date_cell(day)), day),
        ("Phân loại", kind_typed, kind),
        ("Nguồn đơn", *(source or (None, None))),
        ("Đủ điều kiện xử lý", draw(bool_cell(eligible)), eligible),
        ("Đã xử lý", draw(bool_cell(processed)), processed),
        ("Người gửi", draw(TEXT), None),
    ]


@st.composite
def dossier_months(draw: st.DrawFn) -> list[list[Cell]]:
    """Rows of MotCua: each field at most once a month; resolved + open within what there
    was; a typed total, when there is one, equal to the channels' sum."""
    fields = draw(
        st.lists(
            st.sampled_from(["Tư pháp - Hộ tịch", "Đất đai", "Xây dựng"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    rows = []
    for field in fields:
        for month in draw(st.lists(st.integers(1, 12), max_size=4, unique=True)):
            online, direct, postal, carried = (draw(st.integers(0, 60)) for _ in range(4))
            budget = online + direct + postal + carried
            early = draw(st.integers(0, budget))
            on_time = draw(st.integers(0, budget - early))
            late = draw(st.integers(0, budget - early - on_time))
            open_in_time = draw(st.integers(0, budget - early - on_time - late))
            total = draw(st.sampled_from([None, online + direct + postal]))
            month_typed = draw(st.sampled_from([month, str(month), float(month)]))
            row: list[Cell] = [("Tháng", month_typed, month), ("Lĩnh vực", field, field)]
            for title, value in (
                ("Trực tuyến", online),
                ("Trực tiếp", direct),
                ("Bưu chính", postal),
                ("Kỳ trước chuyển sang", carried),
                ("Trước hạn", early),
                ("Đúng hạn", on_time),
                ("Quá hạn", late),
                ("Đang giải quyết trong hạn", open_in_time),
            ):
                row.append((title, draw(count_cell(value)), value))
            row.append(("Tổng tiếp nhận", total, total))
            rows.append(row)
    return rows


@st.composite
def layout(draw: st.DrawFn, titles: list[str]) -> dict[str, Any]:
    """Header order and spelling, title rows above it, blank rows between the data rows."""
    order = draw(st.permutations(titles))
    return {
        "order": order,
        "header": [draw(spelled(title)) for title in order],
        "titles": draw(st.lists(st.one_of(st.none(), st.sampled_from(TITLES)), max_size=8)),
        "blank_after": draw(st.lists(st.booleans(), min_size=60, max_size=60)),
        "column": draw(st.sampled_from(["A", "B", "C"])),
    }


def place(rows: list[list[Cell]], sheet: dict[str, Any]) -> tuple[list[Any], list[int]]:
    """The sheet's rows as written, and the sheet row number of each data row."""
    written: list[Any] = [sheet["header"]]
    numbers = []
    first_row = len(sheet["titles"]) + 2  # titles, the header, then data
    for index, cells in enumerate(rows):
        by_title = {title: typed for title, typed, _ in cells}
        written.append([by_title.get(title) for title in sheet["order"]])
        numbers.append(first_row + len(written) - 2)
        if sheet["blank_after"][index % 60]:
            written.append(None)
    return written, numbers


def expected(model: type[Any], rows: list[list[Cell]], numbers: list[int]) -> list[dict[str, Any]]:
    keys = {column.title: column.key for sheet in SHEETS for column in sheet.columns}
    found = []
    for cells, number in zip(rows, numbers, strict=True):
        values = {keys[title]: value for title, _, value in cells if title in _FIELDS[model]}
        found.append(model(row=number, **values).model_dump())
    return found


_FIELDS = {
    Reception: {
        "Ngày tiếp",
        "Hình thức tiếp",
        "Số người",
        "Phân loại",
        "Buổi",
        "Mã vụ việc",
        "Lĩnh vực",
    },
    Petition: {"Ngày nhận", "Phân loại", "Nguồn đơn", "Đủ điều kiện xử lý", "Đã xử lý"},
    DossierMonth: {
        "Tháng",
        "Lĩnh vực",
        "Trực tuyến",
        "Trực tiếp",
        "Bưu chính",
        "Kỳ trước chuyển sang",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Đang giải quyết trong hạn",
        "Tổng tiếp nhận",
    },
}
RECEPTION_TITLES = [
    "Ngày tiếp",
    "Hình thức tiếp",
    "Số người",
    "Phân loại",
    "Buổi",
    "Mã vụ việc",
    "Lĩnh vực",
    "Họ tên",
]
PETITION_TITLES = [
    "Ngày nhận",
    "Phân loại",
    "Nguồn đơn",
    "Đủ điều kiện xử lý",
    "Đã xử lý",
    "Người gửi",
]
DOSSIER_TITLES = sorted(_FIELDS[DossierMonth])


@WORKBOOKS
@given(
    receptions=st.lists(reception(), max_size=12),
    petitions=st.lists(petition(), max_size=8),
    dossiers=dossier_months(),
    reception_sheet=layout(RECEPTION_TITLES),
    petition_sheet=layout(PETITION_TITLES),
    dossier_sheet=layout(DOSSIER_TITLES),
    names=st.tuples(spelled("Tiếp công dân"), spelled("Đơn thư"), spelled("Một cửa")),
)
def test_a_random_valid_workbook_reads_back_as_written(
    tmp_path_factory: Any,
    receptions: list[list[Cell]],
    petitions: list[list[Cell]],
    dossiers: list[list[Cell]],
    reception_sheet: dict[str, Any],
    petition_sheet: dict[str, Any],
    dossier_sheet: dict[str, Any],
    names: tuple[str, str, str],
) -> None:
    sheets, titles, at, numbers = {}, {}, {}, {}
    for name, rows, sheet in zip(
        names,
        (receptions, petitions, dossiers),
        (reception_sheet, petition_sheet, dossier_sheet),
        strict=True,
    ):
        sheets[name], numbers[name] = place(rows, sheet)
        titles[name], at[name] = sheet["titles"], f"{sheet['column']}1"
    path = tmp_path_factory.mktemp("ngau_nhien") / "so.xlsx"
    write_workbook(path, {"ThongTin": INFO_ROWS, **sheets}, titles=titles, at=at)

    loaded = load(path)
    assert loaded.report.errors == [], [i.message for i in loaded.report.errors]
    assert loaded.data is not None
    data = loaded.data
    assert [r.model_dump() for r in data.receptions] == expected(
        Reception, receptions, numbers[names[0]]
    )
    assert [p.model_dump() for p in data.petitions] == expected(
        Petition, petitions, numbers[names[1]]
    )
    assert [d.model_dump() for d in data.dossiers] == expected(
        DossierMonth, dossiers, numbers[names[2]]
    )


# --- any value at all, thrown at the parser of every column kind ---------------------------------

ALL_COLUMNS = [column for sheet in SHEETS for column in sheet.columns] + list(THONG_TIN_HEADERS)
CELL_VALUES = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,-/ \u00a0eE+x", max_size=14),
    st.from_regex(r"\s*\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}\s*", fullmatch=True),
    st.from_regex(r"-?\d{1,3}(\.\d{3}){0,3}([.,]0+)?", fullmatch=True),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.booleans(),
    st.none(),
)


def well_typed(column: Column, value: object) -> bool:
    kind = column.kind
    if kind is Kind.TEXT:
        return isinstance(value, str)
    if kind is Kind.DATE:
        return type(value) is dt.date
    if kind in (Kind.COUNT, Kind.YEAR, Kind.MONTH):
        return type(value) is int  # ranges are the row models' (pydantic) to enforce
    if kind is Kind.DECIMAL:
        return type(value) is float and math.isfinite(value)
    if kind is Kind.CHOICE:
        return value in {choice.key for choice in column.choices}
    return type(value) is bool


@settings(max_examples=1500, deadline=None)
@given(column=st.sampled_from(ALL_COLUMNS), value=CELL_VALUES)
def test_parsers_give_the_right_type_or_a_parse_error(column: Column, value: object) -> None:
    try:
        parsed = parse_cell(column, value)
    except ParseError as err:
        assert str(err)  # a Vietnamese reason to show the clerk
        parsed = err
    else:
        assert well_typed(column, parsed), (column.key, value, parsed)
    # The compiled converter reading uses for large logs agrees with parse_cell.
    try:
        fast = converter(column)(value)
    except ParseError as err:
        assert isinstance(parsed, ParseError), (column.key, value, parsed, err)
    else:
        assert not isinstance(parsed, ParseError), (column.key, value, fast)
        assert fast == parsed or (fast != fast and parsed != parsed), (column.key, value)


# --- the measures taken before calamine reads a file, on damaged and random bytes ----------------


XLS = compound_file(biff_workbook({"ThongTin": INFO_ROWS, "TiepCongDan": [["a", 1]] * 50}))
"""A small valid .xls (BIFF8 in an OLE2 compound file), from test_hostile's writer."""
SHEET_XML = (
    b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>2</v></c></row>'
    b'<row r="2"><c r="AA2"><f>1+1</f><v>2</v></c><c r="C2" s="1"/></row></sheetData></worksheet>'
)
ODS_XML = (
    b'<table:table table:name="A"><table:table-row table:number-rows-repeated="3">'
    b'<table:table-cell office:value-type="float" office:value="1" '
    b'table:number-columns-repeated="4"/></table:table-row></table:table>'
)


def damaged(original: bytes) -> st.SearchStrategy[bytes]:
    """``original`` with a few bytes overwritten, maybe cut short."""
    edits = st.lists(st.tuples(st.integers(0, len(original) - 1), st.integers(0, 255)), max_size=8)
    return st.builds(_damage, st.just(original), edits, st.integers(1, len(original)))


def _damage(original: bytes, edits: list[tuple[int, int]], length: int) -> bytes:
    data = bytearray(original)
    for index, value in edits:
        data[index] = value
    return bytes(data[:length])


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(damaged(XLS), st.binary(max_size=2048)))
def test_xls_measure_takes_any_bytes(raw: bytes) -> None:
    try:
        found = extents.xls_sheets(raw)
    except ValueError:
        return  # told as a damaged file
    # A sheet is listed once it holds a valued cell; BIFF8 writes rows and columns as 16-bit
    # numbers, so no block of cells can reach past 65.536 of either.
    for extent in found:
        assert 1 <= extent.rows <= 65_536 and 1 <= extent.columns <= 65_536, extent


@settings(max_examples=300, deadline=None)
@given(
    sheet=st.one_of(damaged(SHEET_XML), st.binary(max_size=512)),
    table=st.one_of(damaged(ODS_XML), st.binary(max_size=512)),
)
def test_xml_measures_take_any_bytes(sheet: bytes, table: bytes) -> None:
    measured = extents.xlsx_sheet(sheet, 10_000_000)
    assert measured == extents.EMPTY or (measured.rows >= 1 and measured.columns >= 1), measured
    # An .ods block never outgrows the rows and cells the XML writes, repeats expanded.
    rows = sum(int(n) for n in re.findall(rb'number-rows-repeated\s*=\s*"([0-9]+)"', table))
    cells = sum(int(n) for n in re.findall(rb'number-columns-repeated\s*=\s*"([0-9]+)"', table))
    rows += table.count(b"table:table-row")  # a closing tag ends a row even if its start was lost
    cells += table.count(b"<table:table-cell") + table.count(b"<table:covered-table-cell")
    for extent in extents.ods_tables(table).values():
        assert 0 <= extent.rows <= rows and 0 <= extent.columns <= cells, (extent, table)


def test_measures_of_known_files() -> None:
    assert extents.xls_sheets(XLS) == [extents.Extent(len(INFO_ROWS), 2), extents.Extent(50, 2)]
    assert extents.xlsx_sheet(SHEET_XML, 1) == extents.Extent(2, 27)  # A1..AA2; C2 holds no value
    assert extents.ods_tables(ODS_XML) == {"A": extents.Extent(3, 4)}


def test_a_far_row_numbered_with_leading_zeros_is_still_counted() -> None:
    sheet = (
        b'<sheetData><row r="99999"><c r="A99999"><v>1</v></c></row>'
        b'<row r="1"><c r="XFD000001"><v>1</v></c></row></sheetData>'
    )
    assert extents.xlsx_sheet(sheet, 10_000_000) == extents.Extent(99_999, 16_384)


# --- the xlsx measure against what calamine really allocates -------------------------------------

CELL_KINDS = ("value", "inline", "self-closing")


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    """A worksheet with rows and cells anywhere in A1:KN3000, with or without ``r``, valued or
    formatted-only, maybe every element with a namespace prefix."""
    prefix = draw(st.sampled_from([b"", b"x:"]))
    parts = []
    for _ in range(draw(st.integers(0, 6))):
        row_ref = draw(st.one_of(st.none(), st.integers(1, 3000)))
        row_attr = b"" if row_ref is None else b' r="%d"' % row_ref
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            ref = draw(st.one_of(st.none(), st.tuples(st.integers(0, 299), st.integers(1, 3000))))
            attr = b"" if ref is None else b' r="%s%d"' % (_letters(ref[0]), ref[1])
            kind = draw(st.sampled_from(CELL_KINDS))
            if kind == "self-closing":
                cells.append(b'<%sc%s s="1"/>' % (prefix, attr))
            elif kind == "value":
                cells.append(b"<%sc%s><%sv>7</%sv></%sc>" % (prefix, attr, prefix, prefix, prefix))
            else:
                body = b"<%sis><%st>x</%st></%sis>" % (prefix, prefix, prefix, prefix)
                cells.append(b'<%sc%s t="inlineStr">%s</%sc>' % (prefix, attr, body, prefix))
        parts.append(b"<%srow%s>%s</%srow>" % (prefix, row_attr, b"".join(cells), prefix))
    namespace = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    declaration = b'xmlns="%s" xmlns:x="%s"' % (namespace, namespace)
    return (
        b"<%sworksheet %s><%ssheetData>" % (prefix, declaration, prefix)
        + b"".join(parts)
        + b"</%ssheetData></%sworksheet>" % (prefix, prefix)
    )


def _letters(index: int) -> bytes:
    letters = b""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


@pytest.fixture(scope="module")
def base_workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("co_so") / "so.xlsx"
    return write_workbook(path, {"TiepCongDan": [["Ngày tiếp", "Số người"]]})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(xml=sheet_xml(), limit=st.sampled_from([0, 50, 10_000_000]))
def test_xlsx_measure_bounds_what_calamine_allocates(
    base_workbook: Path, tmp_path_factory: pytest.TempPathFactory, xml: bytes, limit: int
) -> None:
    import python_calamine

    path = tmp_path_factory.mktemp("do") / "so.xlsx"
    with zipfile.ZipFile(base_workbook) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, xml if info.filename == "xl/worksheets/sheet2.xml" else data)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("TiepCongDan")
    start, end = sheet.start, sheet.end
    real = (
        extents.EMPTY
        if start is None or end is None
        else extents.Extent(end[0] - start[0] + 1, end[1] - start[1] + 1)
    )
    measured = extents.xlsx_sheet(xml, limit)
    assert measured.cells >= real.cells, (measured, real)
    if measured.cells > limit:
        assert measured == real


@st.composite
def ods_table(draw: st.DrawFn) -> str:
    """Rows and cells of an .ods table, each maybe repeated, valued or empty."""
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            repeat = draw(st.integers(1, 40))
            attr = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
            if draw(st.booleans()):
                cells.append(
                    f'<table:table-cell{attr} office:value-type="float" office:value="1"/>'
                )
            else:
                cells.append(f"<table:table-cell{attr}/>")
        repeat = draw(st.integers(1, 40))
        attr = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
        rows.append(f"<table:table-row{attr}>{''.join(cells)}</table:table-row>")
    return "".join(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=ods_table())
def test_ods_measure_bounds_what_calamine_allocates(
    tmp_path_factory: pytest.TempPathFactory, table: str
) -> None:
    import python_calamine

    path = tmp_path_factory.mktemp("ods") / "so.ods"
    write_ods(path, {"ThongTin": INFO_ROWS, "TiepCongDan": []}, table)
    with zipfile.ZipFile(path) as archive:
        measured = extents.ods_tables(archive.read("content.xml"))["TiepCongDan"]
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("TiepCongDan")
    start, end = sheet.start, sheet.end
    if start is not None and end is not None:
        assert measured.rows >= end[0] + 1 and measured.columns >= end[1] + 1
