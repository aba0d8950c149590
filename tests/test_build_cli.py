"""``danvan build``, ``init``, ``template`` and the help of every command, end to end through
the real Typer app: the sample's report read back with python-docx (its sentences, headings,
page setup, signature), output safety (default name, ``-o``, ``--force``, atomic writes, no file
from a bad workbook or template), custom templates, ``--pdf`` without LibreOffice, and no
personal data anywhere in the .docx."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer
from docx import Document
from docx.shared import Length
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook
from support import flat, no_traceback, sha256
from typer.testing import CliRunner, Result

from danvan_cli import __version__
from danvan_cli.cli import app

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE = SAMPLE_DIR / "tan_hung_2024.xlsx"
MISTAKES_SAMPLE = SAMPLE_DIR / "loi_mau.xlsx"
CANARIES = ("Nguyễn Văn Canary", "001099012345", "Canary")
"""The sample's planted personal data; "Canary" alone also catches the name written with escapes."""
DEFAULT_NAME = "bao_cao_dan_van_xa_tan_hung_9m_2024.docx"
BUILD_9M = ("build", str(SAMPLE), "--period", "9m", "--date", "20/9/2024")
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]")


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def listing(folder: Path) -> set[str]:
    """Every file and folder under ``folder``, hidden ones included."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


# --- reading a .docx back ----------------------------------------------------------------


def table_paragraphs(table: Table) -> Iterator[Paragraph]:
    for row in table.rows:
        for cell in row.cells:
            yield from cell.paragraphs
            for inner in cell.tables:
                yield from table_paragraphs(inner)


def all_paragraphs(doc: Any) -> Iterator[Paragraph]:
    """Body paragraphs, table cells (nested too), and every header and footer."""
    yield from doc.paragraphs
    for table in doc.tables:
        yield from table_paragraphs(table)
    for section in doc.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            yield from part.paragraphs
            for table in part.tables:
                yield from table_paragraphs(table)


def all_text(doc: Any) -> str:
    return "\n".join(p.text for p in all_paragraphs(doc))


def docx_text(path: Path) -> str:
    return flat(all_text(Document(str(path))))


def raw_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def mm(length: Length | None) -> float:
    assert length is not None
    return float(length.mm)


# --- the sample's 9-month report, built once -------------------------------------------------


class Built:
    def __init__(self, folder: Path, result: Result, sample_hash_before: str) -> None:
        self.folder = folder
        self.result = result
        self.sample_hash_before = sample_hash_before
        self.path = folder / DEFAULT_NAME
        self.doc = Document(str(self.path)) if self.path.is_file() else None
        self.text = flat(all_text(self.doc)) if self.doc is not None else ""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("build_9m")
    before = sha256(SAMPLE)
    runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = runner.invoke(app, list(BUILD_9M))
    return Built(folder, result, before)


def test_build_writes_the_default_named_report(built: Built) -> None:
    assert built.result.exit_code == 0, built.result.output
    no_traceback(built.result)
    assert built.path.is_file()
    assert listing(built.folder) == {DEFAULT_NAME}
    assert DEFAULT_NAME in flat(built.result.output)


def test_build_leaves_the_input_workbook_unchanged(built: Built) -> None:
    assert built.result.exit_code == 0
    assert sha256(SAMPLE) == built.sample_hash_before


def test_date_line_is_italic(built: Built) -> None:
    assert built.doc is not None
    lines = [p for p in all_paragraphs(built.doc) if p.text == "Tân Hưng, ngày 20 tháng 9 năm 2024"]
    assert len(lines) == 1
    line = lines[0]
    runs = [run for run in line.runs if run.text.strip()]
    assert runs
    for run in runs:  # italic on the run, else inherited from its character or paragraph style
        italic = run.italic
        if italic is None:
            italic = bool(run.style.font.italic) or bool(line.style and line.style.font.italic)
        assert italic, run.text


def test_headings_in_order(built: Built) -> None:
    assert built.doc is not None
    texts = [p.text.strip() for p in built.doc.paragraphs]
    headings = [
        "I. ĐẶC ĐIỂM TÌNH HÌNH",
        "II. KẾT QUẢ CÔNG TÁC DÂN VẬN CHÍNH QUYỀN 9 THÁNG NĂM 2024",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. NHIỆM VỤ TRỌNG TÂM 3 THÁNG CUỐI NĂM 2024",
    ]
    positions = [texts.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "BÁO CÁO" in texts[: positions[0]]


def test_page_setup(built: Built) -> None:
    assert built.doc is not None
    for section in built.doc.sections:
        assert mm(section.page_width) == pytest.approx(210, abs=0.5)
        assert mm(section.page_height) == pytest.approx(297, abs=0.5)
        assert mm(section.top_margin) == pytest.approx(20, abs=0.5)
        assert mm(section.bottom_margin) == pytest.approx(20, abs=0.5)
        assert mm(section.left_margin) == pytest.approx(30, abs=0.5)
        assert mm(section.right_margin) == pytest.approx(15, abs=0.5)


def test_no_personal_data_anywhere(built: Built) -> None:
    assert built.doc is not None
    for canary in CANARIES:
        assert canary not in built.text
        assert canary not in built.result.output
    for name, xml in raw_parts(built.path).items():
        for canary in CANARIES:
            assert canary not in xml, name


# --- options -------------------------------------------------------------------------------


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_date_takes_leading_zeros(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, "build", SAMPLE, "--period", "9m", "--date", "5/2/2025")
    assert result.exit_code == 0, result.output
    assert "Tân Hưng, ngày 05 tháng 02 năm 2025" in docx_text(cwd / DEFAULT_NAME)


def test_no_leading_zero(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, *BUILD_9M, "--no-leading-zero")
    assert result.exit_code == 0, result.output
    text = docx_text(cwd / DEFAULT_NAME)
    assert "7 buổi = 7 lượt = 20 người = 6 vụ việc" in text
    assert "07 buổi" not in text
    assert "Xã có 7 thôn;" in text


def test_output_option(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, *BUILD_9M, "-o", "out.docx")
    assert result.exit_code == 0, result.output
    assert listing(cwd) == {"out.docx"}
    assert "53 lượt = 83 người = 49 vụ việc" in docx_text(cwd / "out.docx")


def test_existing_output_needs_force(runner: CliRunner, cwd: Path) -> None:
    first = invoke(runner, *BUILD_9M)
    assert first.exit_code == 0, first.output
    report = cwd / DEFAULT_NAME
    original = sha256(report)

    again = invoke(runner, "build", SAMPLE, "--period", "9m", "--date", "21/9/2024")
    assert again.exit_code == 1
    no_traceback(again)
    assert (
        f"Lỗi: Tệp «{report}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        "thêm --force để ghi đè hoặc chọn tên khác bằng -o."
    ) in flat(again.output)
    assert sha256(report) == original
    assert listing(cwd) == {DEFAULT_NAME}

    forced = invoke(runner, "build", SAMPLE, "--period", "9m", "--date", "21/9/2024", "--force")
    assert forced.exit_code == 0, forced.output
    assert "ngày 21 tháng 9 năm 2024" in docx_text(report)
    assert listing(cwd) == {DEFAULT_NAME}


def test_output_must_be_docx(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, *BUILD_9M, "-o", "report.txt")
    assert result.exit_code == 2
    no_traceback(result)
    assert "Tệp ra «report.txt» phải có đuôi .docx." in flat(result.output)
    assert listing(cwd) == set()


def test_workbook_with_errors_writes_nothing(
    runner: CliRunner, cwd: Path, make_samples: ModuleType
) -> None:
    result = invoke(runner, "build", MISTAKES_SAMPLE, "--period", "9m", "--date", "20/9/2024")
    assert result.exit_code == 1
    no_traceback(result)
    for mistake in make_samples.MISTAKES:
        if mistake["severity"] == "lỗi":
            assert f"{mistake['sheet']}!{mistake['cell']}" in result.output, mistake
    assert "chưa lập được báo cáo" in flat(result.output)
    assert listing(cwd) == set()  # no report, no temporary file
    for canary in CANARIES:
        assert canary not in result.output


def test_a_name_repeating_its_kind_is_never_doubled(runner: CliRunner, cwd: Path) -> None:
    """ThongTin "Tên đơn vị" = "Xã Tân Hưng" with "Loại đơn vị" = "Xã": the report and its file
    name say "xã Tân Hưng", never "Xã Xã Tân Hưng" (nor "xa_xa_tan_hung")."""
    book = load_workbook(SAMPLE)
    for row in book["ThongTin"].iter_rows(min_row=2, max_col=2):
        if row[0].value == "Tên đơn vị":
            row[1].value = "Xã Tân Hưng"
    book.save(cwd / "so.xlsx")
    result = invoke(runner, "build", "so.xlsx", "--period", "9m", "--date", "20/9/2024")
    assert result.exit_code == 0, result.output
    assert listing(cwd) == {"so.xlsx", DEFAULT_NAME}
    text = docx_text(cwd / DEFAULT_NAME)
    assert "UBND xã Tân Hưng" in text or "ỦY BAN NHÂN DÂN XÃ TÂN HƯNG" in text
    assert not re.search(r"(?i)xã\s+xã", text)


def test_workbook_with_errors_and_output_option_writes_nothing(
    runner: CliRunner, cwd: Path
) -> None:
    result = invoke(runner, "build", MISTAKES_SAMPLE, "--period", "9m", "-o", "bc/out.docx")
    assert result.exit_code == 1
    assert listing(cwd) == set()


def test_pdf_without_libreoffice_still_writes_the_docx(
    runner: CliRunner, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is written; the PDF asked for is not, and that is a failure (exit 1) said in
    Vietnamese after the report's own line."""
    monkeypatch.setattr("danvan_cli.render.find_libreoffice", lambda: None)
    result = invoke(runner, *BUILD_9M, "--pdf")
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert listing(cwd) == {DEFAULT_NAME}
    assert flat(result.output) == (
        f"Đã ghi báo cáo: {cwd / DEFAULT_NAME} Lỗi: Không tìm thấy LibreOffice để xuất PDF (cần "
        f"lệnh soffice hoặc libreoffice); tệp .docx vẫn đã được ghi: «{cwd / DEFAULT_NAME}». Có "
        "thể mở tệp bằng Word rồi lưu thành PDF."
    )


def test_pdf_with_libreoffice_missing_from_path(
    runner: CliRunner,
    cwd: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty_path")))
    result = invoke(runner, *BUILD_9M, "--pdf")
    assert result.exit_code == 1, result.output
    no_traceback(result)
    assert (cwd / DEFAULT_NAME).is_file()
    assert not (cwd / DEFAULT_NAME).with_suffix(".pdf").exists()
    assert "Không tìm thấy LibreOffice để xuất PDF" in flat(result.output)


# --- templates -----------------------------------------------------------------------------


@pytest.fixture
def exported(runner: CliRunner, cwd: Path) -> Path:
    result = invoke(runner, "template", "export", "mau.docx")
    assert result.exit_code == 0, result.output
    template = cwd / "mau.docx"
    assert template.is_file()
    return template


def with_unknown_variable(template: Path, out: Path) -> Path:
    """A copy of ``template`` whose heading word "Hạn chế" became ``{{ khong_co_bien }}``."""
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert xml.count(">2. Hạn chế<") == 1
                data = xml.replace(">2. Hạn chế<", ">2. {{ khong_co_bien }}<").encode("utf-8")
            target.writestr(info, data)
    return out


def test_exported_template_checks_clean(runner: CliRunner, exported: Path) -> None:
    result = invoke(runner, "template", "check", exported)
    assert result.exit_code == 0, result.output
    assert flat(result.output) == f"Mẫu {exported} hợp lệ."


def test_build_with_exported_template(runner: CliRunner, exported: Path, cwd: Path) -> None:
    result = invoke(runner, *BUILD_9M, "--template", exported, "-o", "bc.docx")
    assert result.exit_code == 0, result.output
    text = docx_text(cwd / "bc.docx")
    assert "53 lượt = 83 người = 49 vụ việc" in text
    assert "Tân Hưng, ngày 20 tháng 9 năm 2024" in text


def test_template_with_unknown_variable(runner: CliRunner, exported: Path, cwd: Path) -> None:
    edited = with_unknown_variable(exported, cwd / "mau_sua.docx")
    check = invoke(runner, "template", "check", edited)
    assert check.exit_code == 1
    no_traceback(check)
    assert "khong_co_bien" in check.output

    before = listing(cwd)
    result = invoke(runner, *BUILD_9M, "--template", edited)
    assert result.exit_code == 1
    no_traceback(result)
    assert "khong_co_bien" in result.output
    assert listing(cwd) == before  # no report, no temporary file


def test_missing_template_file(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, *BUILD_9M, "--template", "khong_co.docx")
    assert result.exit_code == 2
    no_traceback(result)
    assert "khong_co.docx" in result.output
    assert listing(cwd) == set()


# --- init ----------------------------------------------------------------------------------


def test_init_then_validate_then_refuse_second_init(runner: CliRunner, cwd: Path) -> None:
    args = ("init", "--ten", "Tân Hưng", "--tinh", "Hải Phòng", "--year", "2025")
    first = invoke(runner, *args)
    assert first.exit_code == 0, first.output
    created = listing(cwd)
    assert "danvan.toml" in created
    assert any(name.endswith(".xlsx") for name in created)

    validated = invoke(runner, "validate")
    assert validated.exit_code == 0, validated.output

    hashes = {name: sha256(cwd / name) for name in created}
    second = invoke(runner, *args)
    assert second.exit_code == 1
    no_traceback(second)
    assert "không ghi đè" in flat(second.output)
    assert listing(cwd) == created
    assert {name: sha256(cwd / name) for name in created} == hashes


def test_init_into_a_new_folder(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, "init", "xa_moi", "--ten", "Tân Hưng", "--tinh", "Hải Phòng")
    assert result.exit_code == 0, result.output
    folder = cwd / "xa_moi"
    (book,) = folder.glob("*.xlsx")
    assert listing(cwd) == {"xa_moi", "xa_moi/danvan.toml", f"xa_moi/{book.name}"}
    settings = (folder / "danvan.toml").read_text(encoding="utf-8").splitlines()
    assert [line for line in settings if line and not line.startswith("#")] == [
        "[danvan]",
        f'workbook = "{book.name}"',
    ]
    info = dict(load_workbook(book)["ThongTin"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert (info["Tên đơn vị"], info["Tỉnh/Thành phố"]) == ("Tân Hưng", "Hải Phòng")


# --- help and version ----------------------------------------------------------------------


def command_paths() -> list[list[str]]:
    """Every registered command and subcommand, as the words that invoke it."""
    paths: list[list[str]] = [[]]

    def name_of(info: Any) -> str:
        return str(info.name or info.callback.__name__.replace("_", "-"))

    def walk(typer_app: typer.Typer, prefix: list[str]) -> None:
        for command in typer_app.registered_commands:
            paths.append([*prefix, name_of(command)])
        for group in typer_app.registered_groups:
            assert group.name and group.typer_instance is not None
            paths.append([*prefix, group.name])
            walk(group.typer_instance, [*prefix, group.name])

    walk(app, [])
    return paths


def test_every_command_is_registered() -> None:
    names = {" ".join(path) for path in command_paths()}
    expected = {"init", "validate", "figures", "build", "batch", "template"}
    assert expected | {"template export", "template check", ""} <= names


@pytest.mark.parametrize("path", command_paths(), ids=lambda p: " ".join(p) or "danvan")
def test_help_is_vietnamese(runner: CliRunner, path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert "Cách dùng" in result.output
    assert "Usage" not in result.output
    description = result.output.split("\n\n", 2)[1].strip() if "\n\n" in result.output else ""
    assert VIETNAMESE.search(description), result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"danvan {__version__}"


def test_leading_zero_can_be_switched_off_in_danvan_toml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / SAMPLE.name).write_bytes(SAMPLE.read_bytes())
    (tmp_path / "danvan.toml").write_text(
        f'[danvan]\nworkbook = "{SAMPLE.name}"\nperiod = "9m"\nleading_zero = false\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", "--date", "20/9/2024", "-o", "out.docx"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "out.docx")).paragraphs)
    assert "7 buổi = 7 lượt = 20 người = 6 vụ việc" in text


def test_an_unforeseen_refusal_of_the_system_is_said_in_vietnamese(
    runner: CliRunner, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OSError no module turned into a message of its own still names its path, in
    Vietnamese, with no traceback and no "Lỗi không mong đợi"."""
    from danvan_cli import build

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(cwd / "khoa.docx"))

    monkeypatch.setattr(build, "compute_for", refuse)
    result = invoke(runner, *BUILD_9M)
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output) == (
        f"Lỗi: Không ghi được tệp «{cwd / 'khoa.docx'}»: không có quyền ghi vào đây. Hãy chọn "
        "thư mục khác (ví dụ trong Documents) hoặc nhờ người quản trị máy cấp quyền ghi."
    )
