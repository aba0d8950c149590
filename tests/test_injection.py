"""SPEC §6: text from the workbook is data, never template code. Jinja syntax, XML specials,
Word field codes, rich console markup and control characters typed into every text column that
reaches the report come out literally (their printable part) in a valid .docx, and through every
command; a custom template reaching for Python internals is stopped by Jinja's sandbox with a
clear Vietnamese error, exit 1 and no output."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import write_workbook
from docx import Document
from lxml import etree
from typer.testing import CliRunner

from danvan_cli.cli import app

DATE = "20/9/2024"
ENV = {"COLUMNS": "250", "NO_COLOR": "1"}

ATOMS = (
    "{{ 7*7 }}",
    "{% for x in y %}",
    "{{ ''.__class__.__mro__ }}",
    "{# bình luận",
    "<w:p>",
    "&amp;",
    "]]>",
    "\"'",
    "{ PAGE }",
    "[/]",
    "[bold red]đậm[/bold red]",
)
#: Every control character but tab and newline (\x0b among them), and a Word DDE field code.
CONTROL = "".join(chr(code) for code in range(0x20) if chr(code) not in "\t\n")
FIELD_CODE = "\x13 DDE \x14"
END = "hết"


def payload(tag: str) -> str:
    return f"{tag} {' '.join(ATOMS)} {FIELD_CODE} {CONTROL} {END}"


def printable(tag: str) -> str:
    """What the report must show for ``payload(tag)``, whitespace collapsed."""
    return normal(f"{tag} {' '.join(ATOMS)} DDE {END}")


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def excel_text(text: str) -> str:
    """Control characters as Excel stores them (``_x0001_``): a cell cannot hold them raw."""
    return "".join(
        f"_x{ord(ch):04X}_" if ord(ch) < 0x20 and ch not in "\t\n" else ch for ch in text
    )


#: tag -> (sheet, column or ThongTin item); every one of these reaches the report.
PRINTED = {
    "TAGNAME": ("ThongTin", "Tên đơn vị"),
    "TAGDISTRICT": ("ThongTin", "Huyện"),
    "TAGPROVINCE": ("ThongTin", "Tỉnh/Thành phố"),
    "TAGPARTY": ("ThongTin", "Cơ cấu chi bộ"),
    "TAGPLACE": ("ThongTin", "Vị trí địa lý"),
    "TAGSIGNER": ("ThongTin", "Người ký"),
    "TAGVILLAGE": ("ThongTin", "Tên gọi thôn"),
    "TAGNUMBER": ("VanBan", "Số ký hiệu"),
    "TAGSUMMARY": ("VanBan", "Trích yếu"),
    "TAGISSUER": ("VanBan", "Cơ quan ban hành"),
    "TAGMODEL": ("MoHinh", "Tên mô hình"),
    "TAGUNIT": ("MoHinh", "Đơn vị thực hiện"),
    "TAGNOTE": ("NoiDung", "Nội dung"),
    "TAGTASK": ("NoiDung", "Nội dung"),
    "TAGFIELDA": ("MotCua", "Lĩnh vực"),
    "TAGFIELDB": ("MotCua", "Lĩnh vực"),
}
RECIPIENTS = "TAGRECIPIENT"  # Nơi nhận: ";" separates recipients, so "&amp;" splits the line
DOC_NUMBER = "TAGDOCNO"  # Số văn bản: the number part, before the first "/"
NOT_PRINTED = ("TAGPROCEDURE", "TAGMODELFIELD", "TAGRECEPTIONFIELD")  # read, used in no sentence


def injected_book(path: Path) -> Path:
    tags = [*PRINTED, RECIPIENTS, DOC_NUMBER, *NOT_PRINTED]
    p = {tag: excel_text(payload(tag)) for tag in tags}
    info = [
        ["Mục", "Giá trị"],
        ["Tên đơn vị", p["TAGNAME"]],
        ["Huyện", p["TAGDISTRICT"]],
        ["Tỉnh/Thành phố", p["TAGPROVINCE"]],
        ["Năm", 2024],
        ["Số thôn", 7],
        ["Tên gọi thôn", p["TAGVILLAGE"]],
        ["Số đảng viên", 288],
        ["Số chi bộ", 13],
        ["Cơ cấu chi bộ", p["TAGPARTY"]],
        ["Vị trí địa lý", p["TAGPLACE"]],
        ["Người ký", p["TAGSIGNER"]],
        ["Số văn bản", p["TAGDOCNO"]],
        ["Nơi nhận", p[RECIPIENTS]],
    ]
    return write_workbook(
        path,
        {
            "ThongTin": info,
            "TiepCongDan": [
                ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", "Lĩnh vực"],
                ["14/3/2024", "Thường xuyên", 1, "Kiến nghị", p["TAGRECEPTIONFIELD"]],
            ],
            "VanBan": [
                ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Nhóm"],
                [p["TAGNUMBER"], "22/02/2024", p["TAGSUMMARY"], p["TAGISSUER"], "Tuyên truyền"],
            ],
            "MoHinh": [
                ["Tên mô hình", "Đơn vị thực hiện", "Lĩnh vực", "Năm công nhận"],
                [p["TAGMODEL"], p["TAGUNIT"], p["TAGMODELFIELD"], 2023],
            ],
            "NoiDung": [["Mục", "Nội dung"], ["I", p["TAGNOTE"]], ["IV", p["TAGTASK"]]],
            "MotCua": [
                ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp", "Trước hạn"],
                [3, p["TAGFIELDA"], 2, 1, 3],
                [3, p["TAGFIELDB"], 1, 1, 2],
            ],
            "ThuTuc": [["Lĩnh vực", "Số TTHC"], [p["TAGPROCEDURE"], 10]],
        },
    )


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("nhap") / "xa"
    folder.mkdir()
    return injected_book(folder / "so.xlsx")


def invoke(*args: str | Path) -> Any:
    result = CliRunner(env=ENV).invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def docx_text(path: Path) -> str:
    """Every paragraph of the body, its tables, headers and footers."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        for table in section.header.tables:
            parts += [p.text for row in table.rows for c in row.cells for p in c.paragraphs]
    return "\n".join(parts)


def well_formed(path: Path) -> None:
    """python-docx opens it and every XML part parses, strictly."""
    Document(str(path))
    strict = etree.XMLParser(recover=False, resolve_entities=False)
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(archive.read(name), strict)


@pytest.fixture(scope="module")
def report(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bao_cao") / "bao_cao.docx"
    result = invoke("build", book, "--period", "9m", "--date", DATE, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_report_is_a_valid_docx(report: Path) -> None:
    well_formed(report)


@pytest.mark.parametrize("tag", list(PRINTED))
def test_text_comes_out_literally(tag: str, report: Path) -> None:
    text = normal(docx_text(report))
    assert printable(tag) in text, f"{tag}: {text[text.find(tag.casefold()) :][:400]}"


def test_recipients_come_out_literally_one_a_line(report: Path) -> None:
    text = normal(docx_text(report))
    head, _, tail = printable(RECIPIENTS).partition("&amp;")
    assert f"- {head}&amp" in text
    assert normal(tail) in text


def test_doc_number_keeps_its_number_part(report: Path) -> None:
    number = printable(DOC_NUMBER).split("/", 1)[0]
    assert f"số: {number}/bc-ubnd" in normal(docx_text(report))


def test_nothing_typed_was_evaluated(report: Path) -> None:
    text = docx_text(report)
    assert "49" not in text  # {{ 7*7 }} is printed, not computed
    assert "<class" not in text and "object" not in text
    for tag in NOT_PRINTED:
        assert tag not in text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
    with zipfile.ZipFile(report) as archive:
        xml = archive.read("word/document.xml").decode()
    assert "&lt;w:p&gt;" in xml and "]]&gt;" in xml and "&amp;amp;" in xml
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml.split("PAGE", 1)[0]


def test_every_command_takes_the_injected_workbook(book: Path, tmp_path: Path) -> None:
    validate = invoke("validate", book)
    assert validate.exit_code == 0, validate.output
    as_json = invoke("validate", "--json", book)
    assert json.loads(as_json.stdout)["files"][0]["ok"] is True
    table = invoke("figures", book, "--period", "9m")
    assert table.exit_code == 0, table.output
    assert normal(printable("TAGNAME")) in normal(table.output)
    figures = json.loads(invoke("figures", book, "--period", "9m", "--json").stdout)
    (document,) = figures["documents"]
    assert document["number"] == payload("TAGNUMBER").strip()  # data stays data, as read
    assert [f["field"] for f in figures["dossiers"]["by_field"]] == [
        payload("TAGFIELDA").strip(),
        payload("TAGFIELDB").strip(),
    ]
    batch = invoke("batch", book.parent, "--period", "9m", "--date", DATE, "-o", tmp_path)
    assert batch.exit_code == 0, batch.output
    # markup shown literally (the table may wrap the long name between "[bold" and "red]")
    assert "[/]" in batch.output and "đậm[/bold red]" in batch.output
    assert re.search(r"\[bold\s", batch.output)
    (built,) = tmp_path.glob("*.docx")
    well_formed(built)
    assert printable("TAGSUMMARY") in normal(docx_text(built))
    (summary,) = tmp_path.glob("tong_hop_*.xlsx")
    sheet = openpyxl.load_workbook(summary)["TongHop"]
    assert normal(str(sheet.cell(row=7, column=2).value)).startswith(
        normal("Xã " + printable("TAGNAME"))[:60]
    )


def test_annotated_copy_keeps_injected_cells(book: Path, tmp_path: Path) -> None:
    out = tmp_path / "chu_thich.xlsx"
    result = invoke("validate", book, "--annotate", out)
    assert result.exit_code == 0, result.output
    copy = openpyxl.load_workbook(out)
    assert copy["VanBan"]["C2"].value == excel_text(payload("TAGSUMMARY"))


# --- custom templates: Jinja's sandbox ---------------------------------------------------------

UNSAFE = (
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ figures.__class__ }}",
    "{{ unit.name.format.__globals__ }}",
    "{% for c in ''.__class__.__mro__ %}{{ c }}{% endfor %}",
    "{{ (unit|attr('__class__')) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ '{0.__class__}'.format(unit) }}",
)


def edited_template(tmp_path: Path, tag: str) -> Path:
    """The default template, exported, with one paragraph holding ``tag`` added first."""
    exported = tmp_path / "mau_goc.docx"
    assert invoke("template", "export", exported).exit_code == 0
    edited = tmp_path / "mau_sua.docx"
    text = tag.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")
    paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
    with zipfile.ZipFile(exported) as old, zipfile.ZipFile(edited, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + paragraph, 1)
            new.writestr(info, data)
    exported.unlink()
    return edited


@pytest.mark.parametrize("tag", UNSAFE)
def test_unsafe_template_is_stopped_by_the_sandbox(book: Path, tmp_path: Path, tag: str) -> None:
    template = edited_template(tmp_path, tag)
    out = tmp_path / "ra"
    out.mkdir()
    args = ["--period", "9m", "--date", DATE, "--template", template]
    result = invoke("build", book, *args, "-o", out / "bao_cao.docx")
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "Lỗi:" in text and "không an toàn" in text
    assert f"ở đoạn «{tag[:20]}" in text  # the added paragraph, by its text
    assert list(out.iterdir()) == []
    checked = invoke("template", "check", template)
    assert checked.exit_code == 1
    assert "không an toàn" in " ".join(checked.output.split())


# --- messages that quote what a clerk typed ----------------------------------------------------

ESCAPES = "_x001B_[2J_x001B_]0;bị chiếm_x0007__x0000_"
"""Clear the screen, retitle the terminal window, ring the bell: as Excel stores them."""
NEAR = "_x001B_[2J_x0007_"
"""Clear the screen and ring the bell, few letters: a header holding them is still a near miss
of a column's name, and quoted."""
UNSAFE_OUTPUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_messages_quoting_cells_are_safe_for_terminal_and_workbooks(tmp_path: Path) -> None:
    """Values and headers quoted in messages carry control characters and markup: the terminal
    gets none of them, the annotated copy and the batch summary (xlsx) are still written."""
    folder = tmp_path / "xa"
    folder.mkdir()
    book = write_workbook(
        folder / "so.xlsx",
        {
            "TiepCongDan": [
                ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", f"Lĩnh vự [/]{NEAR}"],
                ["14/3/2024", "Thường xuyên", f"hai{ESCAPES}", "Kiến nghị", "x"],
            ],
            "MotCua": [
                ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp"],
                [3, f"Tư pháp [bold]{ESCAPES}", 1, 1],
                [3, f"Tư pháp [bold]{ESCAPES}", 1, 1],
            ],
        },
    )
    notes, out = tmp_path / "chu_thich.xlsx", tmp_path / "ra"
    runs = [
        invoke("validate", book, "--annotate", notes),
        invoke("build", book, "--period", "9m", "-o", tmp_path / "bao_cao.docx"),
        invoke("batch", folder, "--period", "9m", "-o", out),
    ]
    for result in runs:
        assert result.exit_code == 1, result.output
        assert not UNSAFE_OUTPUT.search(result.output), repr(result.output)
        assert "Lỗi không mong đợi" not in result.output
    # a header that is a near miss of a column's name: its printable part is quoted; a cell's
    # text never is (SPEC §6)
    assert "«Lĩnh vự [/][2J» không có trong mẫu, bị bỏ qua; có phải «Lĩnh vực»?" in runs[0].output
    assert "Ô có chữ, không phải số." in runs[0].output
    assert "hai" not in runs[0].output and "Tư pháp" not in runs[0].output
    comments = [
        cell.comment.text
        for sheet in openpyxl.load_workbook(notes)
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    ]
    assert any("Lĩnh vự [/][2J" in text for text in comments)
    (summary,) = out.glob("tong_hop_*.xlsx")
    reason = openpyxl.load_workbook(summary)["TongHop"].cell(row=7, column=6).value
    assert "Ô có chữ, không phải số." in reason
    assert not (tmp_path / "bao_cao.docx").exists()
