"""``validate --annotate`` as a copy made member by member (annotate.py, annotate_xml.py): the
marked cells are filled and commented, everything else — other sheets, formulas, formats,
validations, the comments ``danvan init`` put on the headers, macros — is kept byte for byte,
the input never changes, unusual but valid XML (prefixes, rows and cells without ``r``, missing
cells and rows) is followed, the result opens in openpyxl and in LibreOffice, and a large log
is annotated in about the memory plain ``validate`` takes."""

from __future__ import annotations

import json
import os
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import flat, no_traceback, resaved_by_libreoffice, rewritten_sheet, sha256
from typer.testing import CliRunner, Result

from danvan_cli import annotate_xml
from danvan_cli.annotate import ERROR_FILL, WARNING_FILL
from danvan_cli.annotate_xml import Unsupported
from danvan_cli.blank import write_blank_workbook
from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def invoke(*args: str | Path) -> Result:
    return CliRunner(env={"COLUMNS": "2000", "NO_COLOR": "1"}).invoke(app, [str(a) for a in args])


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def issues_by_cell(path: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    result = invoke("validate", "--json", path)
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for issue in json.loads(result.stdout)["files"][0]["issues"]:
        if issue["cell"]:
            found.setdefault((issue["sheet"], issue["cell"]), []).append(issue)
    return found


def note(issues: list[dict[str, Any]]) -> str:
    """The comment the annotated copy must hold for a cell with ``issues``."""
    labels = {"error": "lỗi", "warning": "cảnh báo"}
    return "\n".join(
        f"[{labels[i['severity']]}] {i['message']} Cách sửa: {i['hint']}" for i in issues
    )


# --- a clerk's workbook made by danvan init --------------------------------------------------


@pytest.fixture(scope="module")
def clerk_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``danvan init``'s workbook (comments on every header) filled in by hand, with mistakes:
    a bad date in a cell that has the date format, a negative count, a required kind left
    empty (a cell that is not written at all), a row far below the formatted ones, and a
    sheet of the clerk's own with a formula and a text that looks like one."""
    folder = tmp_path_factory.mktemp("clerk")
    blank, _ = write_blank_workbook(folder / "moi", 2024, {"name": "Tân Hưng", "province": "HP"})
    book = openpyxl.load_workbook(blank)
    log = book["TiepCongDan"]
    rows = {
        2: ["1", "32/13/2024", "Sáng", "Thường xuyên", "Cán bộ", 1, "VV-1", "Kiến nghị", "Đất đai"],
        3: ["2", "2/1/2024", "Chiều", "Định kỳ", "Cán bộ", -3, "VV-2", None, "Đất đai"],
        2500: ["3", "x", "Sáng", "Thường xuyên", "Cán bộ", 2, "VV-3", "Kiến nghị", "Đất đai"],
    }
    for row, values in rows.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                log.cell(row=row, column=column, value=value)
    own = book.create_sheet("GhiChu")
    own["A1"], own["A2"], own["A3"] = 4, 5, "=SUM(A1:A2)"
    own["B1"] = "=cmd|' /C calc'!A0"
    own["B1"].data_type = "s"  # a text, as the clerk typed it after an apostrophe
    path = folder / "so.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def annotated(clerk_book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    before = sha256(clerk_book)
    out = tmp_path_factory.mktemp("annotated") / "chu_thich.xlsx"
    result = invoke("validate", clerk_book, "--annotate", out)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert flat(result.output).endswith(f"Đã ghi bản chú thích: {out}")
    assert sha256(clerk_book) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["chu_thich.xlsx"]
    return out


def test_every_problem_cell_is_filled_and_commented(clerk_book: Path, annotated: Path) -> None:
    expected = issues_by_cell(clerk_book)
    assert ("TiepCongDan", "B2") in expected and ("TiepCongDan", "H3") in expected
    assert ("TiepCongDan", "B2500") in expected
    book = openpyxl.load_workbook(annotated)
    for (sheet, ref), issues in expected.items():
        cell = book[sheet][ref]
        error = any(i["severity"] == "error" for i in issues)
        assert cell.fill.fill_type == "solid", ref
        assert cell.fill.fgColor.rgb == "FF" + (ERROR_FILL if error else WARNING_FILL), ref
        assert cell.comment is not None and cell.comment.text == note(issues), ref
        assert cell.comment.author == "danvan"


def test_marked_cells_keep_their_value_and_format(clerk_book: Path, annotated: Path) -> None:
    before = openpyxl.load_workbook(clerk_book)["TiepCongDan"]
    after = openpyxl.load_workbook(annotated)["TiepCongDan"]
    for ref in ("B2", "F3", "H3", "B2500"):
        assert after[ref].value == before[ref].value, ref
        assert after[ref].number_format == before[ref].number_format, ref
        assert after[ref].font.b == before[ref].font.b, ref
        assert after[ref].alignment.wrap_text == before[ref].alignment.wrap_text, ref
    assert after["B2"].number_format == "DD/MM/YYYY"  # the date format of init's rows
    assert after["H3"].value is None  # a cell that was not written is added, empty
    assert after["C2"].fill.fill_type is None and after["C2"].comment is None


def test_everything_else_is_kept_byte_for_byte(clerk_book: Path, annotated: Path) -> None:
    before, after = members(clerk_book), members(annotated)
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed == {
        "[Content_Types].xml",
        "xl/styles.xml",
        "xl/comments/comment2.xml",  # TiepCongDan's: the header comments, then ours
        "xl/drawings/commentsDrawing2.vml",
        "xl/worksheets/sheet3.xml",  # TiepCongDan
        # danvan's mark (marks.py): batch does not read the copy as a commune's workbook
        "_rels/.rels",
        "docProps/core.xml",
    }
    # the sheet had comments: nothing new to add but the custom properties holding the mark
    assert set(after) == set(before) | {"docProps/custom.xml"}
    book = openpyxl.load_workbook(annotated)
    own = book["GhiChu"]
    assert own["A3"].value == "=SUM(A1:A2)" and own["A3"].data_type == "f"
    assert own["B1"].value == "=cmd|' /C calc'!A0" and own["B1"].data_type == "s"
    original = openpyxl.load_workbook(clerk_book)
    marked = set(issues_by_cell(clerk_book))
    for title in original.sheetnames:
        old, new = original[title], book[title]
        assert len(new.data_validations.dataValidation) == len(old.data_validations.dataValidation)
        for row in old.iter_rows(max_row=min(old.max_row, 60)):
            for cell in row:
                if cell.comment is not None and (title, cell.coordinate) not in marked:
                    assert new[cell.coordinate].comment.text == cell.comment.text


def test_the_copy_opens_in_libreoffice(annotated: Path, tmp_path: Path) -> None:
    """LibreOffice reads the copy, comments and fills included, and saves it again."""
    saved = resaved_by_libreoffice(annotated, tmp_path)
    book = openpyxl.load_workbook(saved)
    log = book["TiepCongDan"]
    assert log["B2"].comment is not None and "[lỗi]" in log["B2"].comment.text
    assert log["B2"].fill.fgColor.rgb[-6:] == ERROR_FILL
    assert log["H3"].comment is not None and log["B1"].comment is not None


# --- the worksheet rewrite, by hand-worked examples ------------------------------------------


def test_prefixed_rows_and_cells_without_references() -> None:
    """Rows and cells may omit ``r`` (each follows the previous one) and use a prefix; a marked
    cell or row that is not written is added in its place."""
    source = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row spans="1:2"><x:c t="s"><x:v>0</x:v></x:c><x:c s="3"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="3"><x:c r="B3"/></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    fills = {1: {2: "error"}, 2: {1: "warning"}, 3: {1: "error", 2: "warning"}, 5: {3: "error"}}
    assert rewritten_sheet(source, fills) == (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
        '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c s="301"><x:v>1</x:v></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" s="2"/></x:row>'
        '<x:row r="3"><x:c r="A3" s="1"/><x:c r="B3" s="2"/></x:row>'
        '<x:row r="5"><x:c r="C5" s="1"/></x:row>'
        "</x:sheetData></x:worksheet>"
    )


def test_missing_cells_take_the_row_or_column_style() -> None:
    source = (
        f'<worksheet xmlns="{MAIN}"><cols><col min="2" max="4" style="7"/></cols><sheetData>'
        '<row r="1" s="5" customFormat="1"><c r="D1" s="9"><v>1</v></c></row>'
        '<row r="2"/>'
        "</sheetData></worksheet>"
    )
    assert rewritten_sheet(source, {1: {1: "error"}, 2: {3: "warning"}}) == (
        f'<worksheet xmlns="{MAIN}"><cols><col min="2" max="4" style="7"/></cols><sheetData>'
        '<row r="1" s="5" customFormat="1"><c r="A1" s="501"/><c r="D1" s="9"><v>1</v></c></row>'
        '<row r="2"><c r="C2" s="702"/></row>'
        "</sheetData></worksheet>"
    )


def test_an_empty_sheet_and_a_new_drawing_reference() -> None:
    """``<sheetData/>`` opens up; the drawing's reference goes before the table parts, where
    the schema's order puts it."""
    source = (
        f'<worksheet xmlns="{MAIN}"><sheetData/><pageMargins left="1"/>'
        '<tableParts count="0"/></worksheet>'
    )
    assert rewritten_sheet(source, {4: {2: "error"}}, rid="rId9") == (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="4"><c r="B4" s="1"/></row></sheetData>'
        '<pageMargins left="1"/><legacyDrawing xmlns:r="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships" r:id="rId9"/><tableParts count="0"/></worksheet>'
    )


def test_xml_comments_inside_the_cells_are_refused() -> None:
    source = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><!-- x --></row></sheetData>'
    with pytest.raises(Unsupported):
        rewritten_sheet(source + "</worksheet>", {1: {1: "error"}})


def test_notes_are_added_to_existing_comments_in_row_order() -> None:
    existing = (
        f'<?xml version="1.0"?><comments xmlns="{MAIN}"><authors><author>Chị Lan</author>'
        '</authors><commentList><comment ref="C1" authorId="0"><text><r><t>Tiêu đề</t></r>'
        "</text></comment></commentList></comments>"
    ).encode()
    merged, had = annotate_xml.merged_comments(existing, {(2, 1): "Mới & <lạ>", (1, 3): "Sửa"})
    assert had == {(1, 3)}
    book = merged.decode()
    assert "<author>Chị Lan</author><author>danvan</author>" in book
    assert book.index('ref="C1"') < book.index('ref="A2"')
    assert '<t xml:space="preserve">Sửa\n\n</t></r><r><t>Tiêu đề</t>' in book
    new = '<comment ref="A2" authorId="1"><text><t xml:space="preserve">Mới &amp; &lt;lạ&gt;</t>'
    assert new in book


def test_note_boxes_are_added_to_a_libreoffice_drawing() -> None:
    existing = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<xml xmlns:v="urn:schemas-microsoft-com:vml" '
        b'xmlns:o="urn:schemas-microsoft-com:office:office">'
        b'<v:shape id="shape_0" type="#_x0000_t202"><x:ClientData ObjectType="Note" '
        b'xmlns:x="urn:schemas-microsoft-com:office:excel"/></v:shape></xml>'
    )
    merged = b"".join(annotate_xml.merged_vml(existing, [((2, 3), 1)])).decode()
    assert merged.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xml xmlns:v=')
    assert 'xmlns:x="urn:schemas-microsoft-com:office:excel">' in merged.split("<v:shape")[0]
    assert merged.count('<v:shapetype id="_x0000_t202"') == 1
    assert '<v:shape id="shape_0"' in merged and '<v:shape id="_x0000_s1"' in merged
    assert "<x:Row>1</x:Row><x:Column>2</x:Column>" in merged and merged.endswith("</xml>")


# --- refusals ----------------------------------------------------------------------------------


def test_a_macro_workbook_keeps_its_suffix(clerk_book: Path, tmp_path: Path) -> None:
    macro = tmp_path / "so.xlsm"
    macro.write_bytes(clerk_book.read_bytes())
    result = invoke("validate", macro, "--annotate", tmp_path / "chu_thich.xlsx")
    assert result.exit_code == 2
    assert flat(result.output).endswith(
        f"Lỗi: Tệp chú thích «{tmp_path / 'chu_thich.xlsx'}» phải có đuôi .xlsm như sổ gốc."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so.xlsm"]


def test_an_unfollowed_sheet_is_refused_cleanly(clerk_book: Path, tmp_path: Path) -> None:
    odd = tmp_path / "so.xlsx"
    with zipfile.ZipFile(clerk_book) as old, zipfile.ZipFile(odd, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"<sheetData>", "<sheetData><!-- nhật ký -->".encode(), 1)
            new.writestr(info, data)
    out = tmp_path / "chu_thich.xlsx"
    result = invoke("validate", odd, "--annotate", out)
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output).endswith(
        "Lỗi: Không ghi được bản chú thích cho «so.xlsx»: sổ được lưu theo cách danvan chưa đọc "
        "được (chú thích XML trong dữ liệu của trang). Mở sổ bằng Excel hoặc LibreOffice, lưu "
        "lại dạng .xlsx rồi chạy lại."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so.xlsx"]


def test_a_damaged_part_validate_never_reads_is_refused_cleanly(
    clerk_book: Path, tmp_path: Path
) -> None:
    """The theme's CRC-32 wrong in the directory: validate never reads the theme, --annotate
    copies it — and says it cannot, in Vietnamese, leaving no copy behind."""
    damaged = tmp_path / "so.xlsx"
    raw = bytearray(clerk_book.read_bytes())
    with zipfile.ZipFile(clerk_book) as archive:
        position = archive.start_dir
    patched = 0
    while raw[position : position + 4] == b"PK\x01\x02":  # central directory
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, position + 28)
        if raw[position + 46 : position + 46 + name_len] == b"xl/theme/theme1.xml":
            struct.pack_into("<I", raw, position + 16, 0x12345678)
            patched += 1
        position += 46 + name_len + extra_len + comment_len
    assert patched == 1
    damaged.write_bytes(raw)
    out = tmp_path / "chu_thich.xlsx"
    result = invoke("validate", damaged, "--annotate", out)
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output).endswith("Lỗi: Không mở được «so.xlsx» để ghi chú thích.")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so.xlsx"]


# --- a large log, in a child process ---------------------------------------------------------

ROWS = 10_000
EXTRA_MB = 80
"""What annotating may add to the peak memory of plain validate (openpyxl's object model
took about 350 MB more for these rows)."""

_CHILD = """
import sys
from danvan_cli.cli import main
sys.argv = ["danvan", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
with open("/proc/self/status") as status:
    print([line.split()[1] for line in status if line.startswith("VmHWM:")][0])
"""


def _peak_mb(*args: str | Path) -> int:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return int(done.stdout.strip().splitlines()[-1]) // 1024


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_large_log_is_annotated_in_about_the_memory_of_validate(tmp_path: Path) -> None:
    """Every row is marked (a kind differing from its case's, every tenth count negative)."""
    rng = random.Random(3)
    book = openpyxl.Workbook(write_only=True)
    info = book.create_sheet("ThongTin")
    for row in (["Mục", "Giá trị"], ["Tên đơn vị", "Lớn"], ["Tỉnh/Thành phố", "HN"], ["Năm", 2024]):
        info.append(row)
    log = book.create_sheet("TiepCongDan")
    log.append(["Ngày tiếp", "Số người", "Mã vụ việc", "Phân loại", "Hình thức tiếp"])
    for number in range(1, ROWS + 1):
        people = -1 if number % 10 == 0 else 1
        kind = rng.choice(("Khiếu nại", "Tố cáo", "Kiến nghị", "Phản ánh"))
        log.append([f"{number % 28 + 1}/3/2024", people, f"VV-{number % 500}", kind, "Định kỳ"])
    source = tmp_path / "lon.xlsx"
    book.save(source)
    out = tmp_path / "chu_thich.xlsx"
    plain = _peak_mb("validate", source)
    annotating = _peak_mb("validate", source, "--annotate", out)
    comments = members(out)["xl/comments1.xml"].decode()
    assert '<comment ref="B11" authorId="0"><text><t xml:space="preserve">[lỗi]' in comments
    marked = openpyxl.load_workbook(out, read_only=True)["TiepCongDan"]
    last = next(marked.iter_rows(min_row=ROWS + 1, max_row=ROWS + 1))
    assert last[1].fill.fgColor.rgb[-6:] == ERROR_FILL
    assert annotating <= plain + EXTRA_MB, (plain, annotating)
