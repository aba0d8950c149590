"""``validate --annotate`` on valid but unusual worksheet XML (annotate_xml.py): a ``>`` inside a
quoted attribute value (either quote, on a cell, a row, ``<sheetData>``, a merged cell…), a
text that looks like a reference or a style inside another attribute's value, comments and
CDATA sections around the cell data, a value of megabytes. Each copy must be well-formed in
every part, with the bad cell and only it filled and commented and every row kept; and a copy
that would come out broken anyway is refused with a Vietnamese message, leaving no file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from support import flat, no_traceback, resaved_by_libreoffice, rewritten_sheet, sha256
from typer.testing import CliRunner, Result

from danvan_cli import annotate_xml
from danvan_cli.annotate import ERROR_FILL
from danvan_cli.annotate_xml import Unsupported
from danvan_cli.blank import write_blank_workbook
from danvan_cli.cli import app

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
pytestmark = pytest.mark.filterwarnings("ignore:Conditional Formatting extension:UserWarning")
LOG = "xl/worksheets/sheet3.xml"  # TiepCongDan in danvan init's workbook
ROWS = {
    2: ["1", "2/1/2024", "Sáng", "Thường xuyên", "Cán bộ", 1, "VV-1", "Kiến nghị", "Đất đai"],
    7: ["2", "3/1/2024", "Chiều", "Định kỳ", "Cán bộ", -3, "VV-2", "Kiến nghị", "Đất đai"],
    9: ["3", "4/1/2024", "Sáng", "Thường xuyên", "Cán bộ", 1, "VV-3", "Kiến nghị", "Đất đai"],
}
"""One error only: F7, a negative count."""


def invoke(*args: str | Path) -> Result:
    return CliRunner(env={"COLUMNS": "2000", "NO_COLOR": "1"}).invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """danvan init's workbook (a VML drawing already on the log) with three rows."""
    folder = tmp_path_factory.mktemp("base")
    blank, _ = write_blank_workbook(folder / "moi", 2024, {"name": "Tân Hưng", "province": "HP"})
    book = openpyxl.load_workbook(blank)
    for row, values in ROWS.items():
        for column, value in enumerate(values, start=1):
            book["TiepCongDan"].cell(row=row, column=column, value=value)
    path = folder / "so.xlsx"
    book.save(path)
    return path


def edited(source: Path, folder: Path, old: bytes, new: bytes, member: str = LOG) -> Path:
    """A copy of ``source`` with ``old`` replaced by ``new`` in one member."""
    path = folder / "so.xlsx"
    folder.mkdir(exist_ok=True)
    with zipfile.ZipFile(source) as old_zip, zipfile.ZipFile(path, "w") as new_zip:
        for info in old_zip.infolist():
            data = old_zip.read(info)
            if info.filename == member:
                assert old in data, old
                data = data.replace(old, new, 1)
            new_zip.writestr(info, data)
    return path


def annotated(source: Path) -> Path:
    out = source.parent / "chu_thich.xlsx"
    before = sha256(source)
    result = invoke("validate", source, "--annotate", out)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert flat(result.output).endswith(f"Đã ghi bản chú thích: {out}")
    assert sha256(source) == before
    return out


def assert_sound(out: Path) -> None:
    """Every XML part parses; F7 alone is filled and commented; every row is still there."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                etree.fromstring(archive.read(name), parser)  # raises when malformed
    log = openpyxl.load_workbook(out)["TiepCongDan"]
    assert log["F7"].fill.fgColor.rgb[-6:] == ERROR_FILL
    assert log["F7"].comment is not None
    assert log["F7"].comment.text.startswith("[lỗi] Giá trị «-3» nhỏ hơn 1")
    assert log["E7"].fill.fill_type is None and log["E7"].comment is None
    assert log["F7"].value == -3
    for row, values in ROWS.items():
        assert [log.cell(row=row, column=c).value for c in (1, 9)] == [values[0], values[8]]


X14 = b"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = b"http://schemas.microsoft.com/office/excel/2006/main"
X14AC = b"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
MC = b"http://schemas.openxmlformats.org/markup-compatibility/2006"
HOSTILE = {
    "cell-double-quoted": (
        b'<c r="F7" t="n">',
        b'<c xmlns:q="urn:q" q:note="x>y" r="F7" t="n">',
    ),
    "cell-single-quoted": (
        b'<c r="F7" t="n">',
        b"<c xmlns:q='urn:q' q:note='x>y' r='F7' t='n'>",
    ),
    "row": (b'<row r="7">', b'<row xmlns:q="urn:q" q:n="a>b" r="7" q:m=\'>\'>'),
    "row-before": (b'<row r="3">', b'<row xmlns:q="urn:q" q:n="&lt;/row>" r="3">'),
    "sheet-data": (b"<sheetData>", b'<sheetData xmlns:q="urn:q" q:n="a>b">'),
    "worksheet": (b"<worksheet ", b'<worksheet xmlns:q="urn:q" q:n="a>b" '),
    "reference-in-another-value": (
        b'<c r="E7" t="inlineStr">',
        b'<c r="E7" xmlns:q="urn:q" q:x=\' r="F7"\' t="inlineStr">',
    ),
    "style-in-another-value": (
        b'<c r="F7" t="n">',
        b'<c r="F7" xmlns:q="urn:q" q:x=\' s="3"\' t="n">',
    ),
    "values-ending-like-an-empty-tag": (
        b'<row r="7">',
        b'<row xmlns:q="urn:q" q:e=\'/>\' r="7" q:f="a/>">',
    ),
    "cell-value-ending-like-an-empty-tag": (
        b'<c r="F7" t="n">',
        b'<c xmlns:q="urn:q" q:x="a/>" r="F7" t="n" q:y=\'/\'>',
    ),
    "x14ac-and-an-extension-list": (
        b"</worksheet>",
        b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="' + X14 + b'">'
        b'<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="' + XM + b'">'
        b'<x14:cfRule type="dataBar" id="{a>b}"><x14:dataBar minLength="0" maxLength="100"/>'
        b"</x14:cfRule><xm:sqref>F2:F9</xm:sqref></x14:conditionalFormatting>"
        b"</x14:conditionalFormattings></ext></extLst></worksheet>",
    ),
    "comment-before-the-cell-data": (b"<sheetData>", b"<!-- <sheetData> --><sheetData>"),
    "comment-and-cdata-after-it": (
        b"</sheetData>",
        b"</sheetData><!-- </sheetData> <tableParts/> --><![CDATA[</sheetData>]]>",
    ),
    "a-value-of-megabytes": (
        b'<c r="F7" t="n">',
        b'<c xmlns:q="urn:q" q:note="' + b"x>" * 3_000_000 + b'" r="F7" t="n">',
    ),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_unusual_valid_xml_gives_a_sound_copy(base: Path, tmp_path: Path, case: str) -> None:
    old, new = HOSTILE[case]
    assert_sound(annotated(edited(base, tmp_path, old, new)))


def test_rows_written_as_excel_does_with_x14ac_give_a_sound_copy(
    base: Path, tmp_path: Path
) -> None:
    """Excel's own dialect: the root declares x14ac as ignorable and rows carry
    ``x14ac:dyDescent``; an ``<extLst>`` with a ``>`` in an id follows the drawing."""
    root = b'<worksheet xmlns:mc="%s" mc:Ignorable="x14ac" xmlns:x14ac="%s" ' % (MC, X14AC)
    first = edited(base, tmp_path / "a", b"<worksheet ", root)
    second = edited(first, tmp_path / "b", b'<row r="7">', b'<row r="7" x14ac:dyDescent="0.25">')
    old, new = HOSTILE["x14ac-and-an-extension-list"]
    source = edited(second, tmp_path, old, new)
    out = annotated(source)
    assert_sound(out)
    with zipfile.ZipFile(out) as archive:
        log = archive.read(LOG)
    assert b'<row r="7" x14ac:dyDescent="0.25">' in log
    assert log.endswith(new)


def test_a_quoted_greater_than_opens_in_libreoffice(base: Path, tmp_path: Path) -> None:
    """The reported case: LibreOffice showed no row after the broken tag."""
    old, new = HOSTILE["cell-double-quoted"]
    out = annotated(edited(base, tmp_path, old, new))
    saved = resaved_by_libreoffice(out, tmp_path)
    log = openpyxl.load_workbook(saved)["TiepCongDan"]
    assert log["A9"].value == "3" and log["I9"].value == "Đất đai"
    assert log["F7"].fill.fgColor.rgb[-6:] == ERROR_FILL


def test_a_copy_that_would_be_broken_is_refused(
    base: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong in the rewrite, the copy is parsed before it is kept."""
    monkeypatch.setattr(annotate_xml, "_new_cell", lambda *args: b"<c broken")
    monkeypatch.setattr(annotate_xml, "_restyled", lambda *args: b"<c broken")
    source = tmp_path / "so.xlsx"
    shutil.copy(base, source)
    out = tmp_path / "chu_thich.xlsx"
    result = invoke("validate", source, "--annotate", out)
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output).endswith(
        "Lỗi: Không ghi được bản chú thích cho «so.xlsx»: sổ được lưu theo cách danvan chưa đọc "
        "được (trang chép ra không còn là XML hợp lệ). Mở sổ bằng Excel hoặc LibreOffice, lưu "
        "lại dạng .xlsx rồi chạy lại."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so.xlsx"]


# --- a new drawing reference after unusual markup, by hand-worked examples -----------------------


LEGACY = f'<legacyDrawing xmlns:r="{REL}" r:id="rId9"/>'


def test_the_drawing_reference_goes_among_the_roots_children() -> None:
    """Not inside a comment that names a later element, nor inside a conditional format's own
    ``<extLst>``; a ``>`` in a merged cell's or hyperlink's attribute changes nothing."""
    tail = (
        '<mergeCells count="1"><mergeCell xmlns:q="urn:q" q:x="a>b" ref="K1:L1"/></mergeCells>'
        '<conditionalFormatting sqref="A1"><cfRule type="expression" priority="1">'
        "<formula>A1&gt;0</formula><extLst/></cfRule></conditionalFormatting>"
        "<hyperlinks><hyperlink ref='A1' display='a>b'/></hyperlinks>"
        "<!-- <tableParts/> --><![CDATA[<extLst>]]><?pi <tableParts/> ?>"
        '<pageMargins left="1"/>'
    )
    source = f'<worksheet xmlns="{MAIN}"><sheetData/>{tail}<tableParts count="0"/></worksheet>'
    assert rewritten_sheet(source, {4: {2: "error"}}, rid="rId9") == (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="4"><c r="B4" s="1"/></row></sheetData>'
        f'{tail}{LEGACY}<tableParts count="0"/></worksheet>'
    )


def test_without_a_later_element_the_reference_ends_the_sheet() -> None:
    source = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"/></x:sheetData>'
        "<!-- </x:sheetData> --><x:pageMargins q:x='>' xmlns:q='urn:q'/></x:worksheet >"
    )
    assert rewritten_sheet(source, {1: {1: "warning"}}, rid="rId9") == (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" s="2"/></x:row>'
        "</x:sheetData><!-- </x:sheetData> --><x:pageMargins q:x='>' xmlns:q='urn:q'/>"
        f'<x:legacyDrawing xmlns:r="{REL}" r:id="rId9"/></x:worksheet >'
    )


def test_the_existing_drawing_is_the_one_outside_comments() -> None:
    data = (
        f'<worksheet xmlns="{MAIN}" xmlns:r="{REL}"><!-- <sheetData/> --><sheetData/>'
        '<!-- <legacyDrawing r:id="rId1"/> --><legacyDrawing q:x="a>b" r:id="rId2" '
        'xmlns:q="urn:q"/></worksheet>'
    ).encode()
    assert annotate_xml.legacy_drawing_rid(data) == "rId2"


def test_a_comment_inside_the_cell_data_is_still_refused() -> None:
    source = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"/><!-- </sheetData> --></sheetData>'
        "</worksheet>"
    )
    with pytest.raises(Unsupported, match="chú thích XML trong dữ liệu của trang"):
        rewritten_sheet(source, {1: {1: "error"}})


def test_note_boxes_join_a_drawing_whose_root_has_a_quoted_greater_than() -> None:
    existing = (
        b"<xml xmlns:v = 'urn:schemas-microsoft-com:vml' o:x=\"a>b\" "
        b'xmlns:o="urn:schemas-microsoft-com:office:office">'
        b'<o:shapelayout v:ext="edit"><o:idmap v:ext="a>b" data="1,3"/></o:shapelayout></xml>'
    )
    merged = b"".join(annotate_xml.merged_vml(existing, [((2, 3), 1)]))
    etree.fromstring(merged)
    assert merged.count(b"xmlns:v") == 1
    assert b'<v:shape id="_x0000_s3073"' in merged  # after the highest block of ids, 3
