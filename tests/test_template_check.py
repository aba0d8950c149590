"""``template check`` and ``build --template`` (SPEC §5; issue #14 items 1 and 6): a brace lost
in Word, a tag left open or a block left unclosed is an error naming the paragraph or table
cell by its text, and ``build --template`` refuses before writing anything; a figure the
default template prints that an edited one no longer prints is a warning naming it. Templates
are edited the way Word edits them: tags split over runs (revision ids, proofing marks), a
brace deleted in a run with python-docx, a paragraph or a table column deleted, Track Changes.

Also ``template export`` (a .docx name, an overwrite message without ``-o``) and ``--pdf``
(never an old PDF beside a new report)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from support import custom_template, flat, no_traceback
from template_edits import (
    replaced,
    rewrite,
    tracked_deletion,
    with_paragraph,
    without_column,
    without_paragraph,
    word_runs,
)
from typer.testing import CliRunner, Result

from danvan_cli import render
from danvan_cli.cli import app
from danvan_cli.context import sample_contexts
from danvan_cli.render import ReportTemplate, default_template_path
from danvan_cli.template_check import check_template
from danvan_cli.template_lint import Paragraph, read_paragraphs, scan_paragraph

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "tan_hung_2024.xlsx"
BUILD_9M = ("build", str(SAMPLE), "--period", "9m", "--date", "20/9/2024")
RECEPTION = "đoạn «Trong {{ period.in_period_text }}, tại trụ sở {{ unit.ubnd }} đã tiếp…»"
"""The reception paragraph of the default template, as messages name it."""


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def chain(*changes: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        for step in changes:
            xml = step(xml)
        return xml

    return change


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return " ".join(" ".join(parts).split())


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lam_viec"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="module")
def word_saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default template once Word has saved it: every tag split over several runs."""
    return rewrite(tmp_path_factory.mktemp("word") / "mau_word.docx", word_runs)


def lose_in_word(source: Path, out: Path, after: str, run_text: str, new_text: str) -> Path:
    """With python-docx, as a clerk typing in Word: in the reception paragraph, the first run
    ``run_text`` after the run ``after`` becomes ``new_text``."""
    document = Document(str(source))
    paragraph = next(p for p in document.paragraphs if " reception.visits|dem " in p.text)
    runs = paragraph.runs
    start = next(i for i, run in enumerate(runs) if run.text == after)
    target = next(run for run in runs[start:] if run.text == run_text)
    target.text = new_text
    document.save(str(out))
    return out


def assert_check_and_build_refuse(runner: CliRunner, cwd: Path, edited: Path, message: str) -> None:
    """``template check`` and ``build --template`` both fail on ``edited`` (in ``cwd``, alone
    there) with the one error ``message``, and nothing is written."""
    check = invoke(runner, "template", "check", edited)
    assert check.exit_code == 1
    no_traceback(check)
    assert flat(check.output) == f"Lỗi: {message}"

    build = invoke(runner, *BUILD_9M, "--template", edited, "-o", "bc.docx")
    assert build.exit_code == 1
    no_traceback(build)
    assert flat(build.output) == (
        f"Lỗi: Mẫu «{edited}» có 1 lỗi, chưa lập được báo cáo: {message} Sửa mẫu trong Word "
        f'rồi kiểm tra lại bằng: danvan template check "{edited}"'
    )
    assert sorted(p.name for p in cwd.iterdir()) == ["mau.docx"]


# --- the default template ------------------------------------------------------------------


def test_default_template_checks_clean(runner: CliRunner) -> None:
    result = invoke(runner, "template", "check", default_template_path())
    assert result.exit_code == 0, result.output
    assert result.output == f"Mẫu {default_template_path()} hợp lệ.\n"


def test_word_split_runs_check_clean_and_render_the_same(word_saved: Path) -> None:
    with zipfile.ZipFile(word_saved) as archive:
        xml = archive.read("word/document.xml")
    assert xml.count(b"<w:proofErr") > 300 and b">reception.visits<" not in xml  # really split
    checked = check_template(word_saved)
    assert (checked.errors, checked.warnings) == ([], [])
    context = sample_contexts()[0]
    ours = Document(io.BytesIO(ReportTemplate(word_saved).render(context)))
    default = Document(io.BytesIO(ReportTemplate().render(context)))
    assert [p.text for p in ours.paragraphs] == [p.text for p in default.paragraphs]


# --- a lost brace --------------------------------------------------------------------------


def test_lost_closing_brace_is_caught_by_check_and_build(
    runner: CliRunner, cwd: Path, word_saved: Path
) -> None:
    """Issue #14: deleting one ``}`` of ``{{ reception.visits|dem }}`` was "valid" and built
    a report with both reception paragraphs silently gone."""
    edited = lose_in_word(word_saved, cwd / "mau.docx", " reception.visits", "}}", "}")
    message = (
        f"{RECEPTION}: thẻ «{{{{ reception.visits|dem }}» thiếu dấu đóng «}}}}» "
        "(có lẽ mất một dấu «}»)."
    )
    assert_check_and_build_refuse(runner, cwd, edited, message)


def test_lost_opening_brace_is_caught_by_check_and_build(
    runner: CliRunner, cwd: Path, word_saved: Path
) -> None:
    """``{ x }}`` was printed as it stands into the report."""
    edited = lose_in_word(word_saved, cwd / "mau.docx", "Trong ", "{{", "{")
    check = invoke(runner, "template", "check", edited)
    assert check.exit_code == 1
    assert flat(check.output) == (
        "Lỗi: đoạn «Trong { period.in_period_text }}, tại trụ sở {{ unit.ubnd }} đã tiếp…»: "
        "dấu đóng «}}» trong «{ period.in_period_text }}» không có dấu mở «{{» "
        "(có lẽ mất một dấu «{»)."
    )
    build = invoke(runner, *BUILD_9M, "--template", edited, "-o", "bc.docx")
    assert build.exit_code == 1
    assert not (cwd / "bc.docx").exists()


def test_a_brace_lost_on_each_side_is_caught_by_check_and_build(
    runner: CliRunner, cwd: Path, word_saved: Path
) -> None:
    """``{ reception.visits|dem }`` (one ``{`` and one ``}`` deleted in Word) was "valid" and
    printed as it stands into the report."""
    opened = lose_in_word(word_saved, cwd / "mo.docx", " đã tiếp ", "{{", "{")
    edited = lose_in_word(opened, cwd / "mau.docx", " reception.visits", "}}", "}")
    opened.unlink()
    message = (
        f"{RECEPTION}: thẻ «{{ reception.visits|dem }}» chỉ có một dấu ngoặc nhọn mỗi bên nên "
        "sẽ được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» và một dấu «}»); hãy viết "
        "«{{ reception.visits|dem }}»."
    )
    assert_check_and_build_refuse(runner, cwd, edited, message)


def test_single_braces_round_a_name_of_the_data_in_a_new_template(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A template typed from scratch in Word: ``{reception.visits}`` is a tag that lost its
    doubled braces; ``{MẪU}``, ``{a}`` and ``{số liệu}`` beside it are the clerk's prose."""
    path = custom_template(
        tmp_path, "Ghi chú: điền {MẪU}, {a} và {số liệu}.", "Đã tiếp {reception.visits} lượt."
    )
    check = invoke(runner, "template", "check", path)
    assert check.exit_code == 1
    no_traceback(check)
    assert flat(check.output) == (
        "Lỗi: đoạn «Đã tiếp {reception.visits} lượt.»: thẻ «{reception.visits}» chỉ có một dấu "
        "ngoặc nhọn mỗi bên nên sẽ được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» và "
        "một dấu «}»); hãy viết «{{ reception.visits }}»."
    )


def test_prose_in_braces_is_not_a_tag(runner: CliRunner, tmp_path: Path) -> None:
    """Text in single braces that names nothing of the report's data, uses no filter or is no
    expression at all stays prose: the default template with it still checks clean."""
    prose = (
        "Ghi chú: điền {MẪU}, {a}, {số liệu}, {reception visits}, {x + }, {_{ y }_} và "
        "{ ten_xa } vào chỗ trống."
    )
    edited = rewrite(tmp_path / "mau.docx", with_paragraph(prose, after="c) Công tác đối thoại"))
    check = invoke(runner, "template", "check", edited)
    assert check.exit_code == 0, check.output
    assert check.output == f"Mẫu {edited} hợp lệ.\n"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            replaced("{%p if reception.visits %}", "{%p if reception.visits %"),
            "đoạn «{%p if reception.visits %»: thẻ «{%p if reception.visits %» thiếu dấu đóng "
            "«%}» trong cùng đoạn.",
            id="percent-lost",
        ),
        pytest.param(
            replaced("{{ f.online|so }}", "{ f.online|so }}"),
            "bảng 2, hàng 3, ô 3 («{ f.online|so }}»): dấu đóng «}}» trong «{ f.online|so }}» "
            "không có dấu mở «{{» (có lẽ mất một dấu «{»).",
            id="table-cell",
        ),
        pytest.param(
            replaced("{{ f.online|so }}", "{{ f.online|so }"),
            "bảng 2, hàng 3, ô 3 («{{ f.online|so }»): thẻ «{{ f.online|so }» thiếu dấu đóng «}}» "
            "(có lẽ mất một dấu «}»).",
            id="table-cell-closing",
        ),
        pytest.param(
            without_paragraph("{%p endif %}", after="{%p if reception.visits %}"),
            "đoạn «{%p if reception.visits %}»: thẻ «{%p if reception.visits %}» không có thẻ "
            "đóng «{%p endif %}» đi kèm.",
            id="endif-paragraph-deleted",
        ),
        pytest.param(
            without_paragraph("{%p for t in notes.II_1 %}"),
            "đoạn «{%p else %}»: thẻ «{%p else %}» không có thẻ mở («{%p if … %}» hoặc "
            "«{%p for … %}») đứng trước nó.",
            id="opener-paragraph-deleted",
        ),
        pytest.param(
            replaced("{%p if reception.visits %}", "Tiếp công dân: {%p if reception.visits %}"),
            "đoạn «Tiếp công dân: {%p if reception.visits %}»: đoạn có thẻ «{%p if "
            "reception.visits %}» còn có chữ khác («Tiếp công dân:»); khi điền mẫu, cả đoạn được "
            "thay bằng thẻ nên phần chữ đó sẽ mất. Hãy để thẻ {%p … %} một mình một đoạn.",
            id="text-beside-paragraph-tag",
        ),
        pytest.param(
            chain(
                with_paragraph("Có {% if reception.groups %}đoàn", after="c) Công tác đối thoại"),
                with_paragraph("đông người.{% endif %}", after="Có {% if reception.groups %}"),
            ),
            "đoạn «đông người.{% endif %}»: thẻ «{% if reception.groups %}» (ở đoạn «Có {% if "
            "reception.groups %}đoàn») và thẻ «{% endif %}» phải nằm trong cùng một đoạn; muốn "
            "ẩn/hiện cả đoạn thì dùng «{%p if … %}» và «{%p endif %}», mỗi thẻ một đoạn riêng.",
            id="inline-block-over-two-paragraphs",
        ),
        pytest.param(
            replaced("{{ reception.visits|dem }}", "{{ reception.visits|dem + }}"),
            f"{RECEPTION}: thẻ «{{{{ reception.visits|dem + }}}}» sai cú pháp (unexpected 'end "
            "of print statement').",
            id="bad-expression",
        ),
        pytest.param(
            replaced("{{ reception.visits|dem }}", "{reception.visits}"),
            f"{RECEPTION}: thẻ «{{reception.visits}}» chỉ có một dấu ngoặc nhọn mỗi bên nên sẽ "
            "được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» và một dấu «}»); hãy viết "
            "«{{ reception.visits }}».",
            id="single-braces",
        ),
        pytest.param(
            replaced("{{ f.online|so }}", "{ f.online }"),
            "bảng 2, hàng 3, ô 3 («{ f.online }»): thẻ «{ f.online }» chỉ có một dấu ngoặc nhọn "
            "mỗi bên nên sẽ được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» và một dấu "
            "«}»); hãy viết «{{ f.online }}».",
            id="single-braces-round-a-loop-variable",
        ),
        pytest.param(
            replaced("{{ f.online|so }}", "{f.onlinez|so}"),
            "bảng 2, hàng 3, ô 3 («{f.onlinez|so}»): thẻ «{f.onlinez|so}» chỉ có một dấu ngoặc "
            "nhọn mỗi bên nên sẽ được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» và một dấu "
            "«}»); hãy viết «{{ f.onlinez|so }}».",
            id="single-braces-round-a-filter",
        ),
        pytest.param(
            replaced("{%p if reception.visits %}", "{%p iff reception.visits %}"),
            "đoạn «{%p iff reception.visits %}»: thẻ «{%p iff reception.visits %}» không có lệnh "
            "«iff».",
            id="unknown-statement",
        ),
        pytest.param(
            with_paragraph("{% include 'word/document.xml' %}"),
            "đoạn «{% include 'word/document.xml' %}»: thẻ «{% include 'word/document.xml' %}» "
            "dùng lệnh «include», mẫu danvan không cho phép (chỉ dùng if, for, set, macro…).",
            id="include",
        ),
        pytest.param(
            replaced("{{ f.online|so }}", "{{ f.onlinez|so }}"),
            "bảng 2 («{{ f.onlinez|so }}»): biến «onlinez» không có trong dữ liệu báo cáo (có thể "
            "gõ sai tên; các tên dùng được là những tên có trong mẫu mặc định, «danvan template "
            "export»).",
            id="unknown-name-in-cell",
        ),
        pytest.param(
            replaced("{%p if reception.visits %}", "{%p if reception.visitz %}"),
            "đoạn «{% if reception.visitz %}»: biến «visitz» không có trong dữ liệu báo cáo "
            "(có thể gõ sai tên; các tên dùng được là những tên có trong mẫu mặc định, «danvan "
            "template export»).",
            id="unknown-name-in-condition",
        ),
    ],
)
def test_broken_template_is_an_error_naming_where(
    tmp_path: Path, change: Callable[[bytes], bytes], expected: str
) -> None:
    checked = check_template(rewrite(tmp_path / "mau.docx", change))
    assert checked.errors == [expected]
    assert checked.warnings == [] and checked.template is None


def test_brace_deleted_with_track_changes(tmp_path: Path, word_saved: Path) -> None:
    """docxtpl reads the deleted text too: the template is refused until changes are
    accepted."""
    change = tracked_deletion("}}", "}", after=" reception.visits")
    checked = check_template(rewrite(tmp_path / "mau.docx", change, source=word_saved))
    assert checked.errors == [
        f"{RECEPTION}: mẫu còn những thay đổi đang theo dõi (Track Changes) chưa được chấp "
        "nhận; chữ đã xóa vẫn nằm trong tệp và làm hỏng thẻ. Hãy chấp nhận mọi thay đổi "
        "(Review → Accept → Accept All Changes) rồi lưu lại.",
        f"{RECEPTION}: thẻ «{{{{ reception.visits|dem }}» thiếu dấu đóng «}}}}» (có lẽ mất một "
        "dấu «}»).",
    ]


def test_every_lost_brace_of_the_default_template_is_caught() -> None:
    """For every tag of the default template, deleting its first or its last character is
    caught on its own paragraph."""
    with zipfile.ZipFile(default_template_path()) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    paragraphs = read_paragraphs("word/document.xml", root)
    checked = 0
    for paragraph in paragraphs:
        tags = [tag.text for tag in scan_paragraph(paragraph).tags]
        assert not scan_paragraph(paragraph).problems
        for tag in tags:
            for broken in (tag[1:], tag[:-1]):
                text = paragraph.text.replace(tag, broken, 1)
                mutated = Paragraph("word/document.xml", text)
                problems = scan_paragraph(mutated).problems
                assert problems, broken
                assert "thiếu dấu đóng" in problems[0] or "không có dấu mở" in problems[0]
                checked += 1
    assert checked > 500


# --- figures no longer printed: warnings ---------------------------------------------------


def test_deleted_paragraph_is_a_warning_naming_each_figure(runner: CliRunner, cwd: Path) -> None:
    edited = rewrite(cwd / "mau.docx", without_paragraph("{{ reception.visits|dem }}"))
    warning = (
        "Cảnh báo: Mẫu không còn in số lượt tiếp công dân (reception.visits); số người được "
        "tiếp (reception.people); số vụ việc khi tiếp công dân (reception.cases); số vụ việc "
        "khiếu nại khi tiếp công dân (reception.cases_by_kind.khieu_nai); số vụ việc tố cáo khi "
        "tiếp công dân (reception.cases_by_kind.to_cao); số vụ việc kiến nghị khi tiếp công dân "
        "(reception.cases_by_kind.kien_nghi); số vụ việc phản ánh khi tiếp công dân "
        "(reception.cases_by_kind.phan_anh); số đoàn đông người (reception.groups): mẫu mặc "
        "định in những nội dung này ở đoạn «Trong 9 tháng đầu năm 2024, tại trụ sở UBND "
        "xã/phường đã tiếp … lượt…». Nếu cố ý bỏ thì không cần sửa."
    )
    check = invoke(runner, "template", "check", edited)
    assert check.exit_code == 0, check.output
    assert flat(check.output) == f"{warning} Mẫu {edited} hợp lệ (1 cảnh báo)."

    build = invoke(runner, *BUILD_9M, "--template", edited, "-o", "bc.docx")
    assert build.exit_code == 0, build.output
    assert flat(build.output).startswith(f"{warning} ")
    text = docx_text(cwd / "bc.docx")
    assert "53 lượt = 83 người" not in text  # deleted, and said so
    assert "Đã tiếp nhận 26 đơn" in text


def test_deleted_table_column_is_a_warning(tmp_path: Path) -> None:
    checked = check_template(rewrite(tmp_path / "mau.docx", without_column("Trực tuyến")))
    assert checked.errors == []
    assert checked.warnings == [
        "Mẫu không còn in số hồ sơ trực tuyến theo từng lĩnh vực (dossiers.by_field[].online): "
        "mẫu mặc định in nội dung này ở bảng 2, cột «Trực tuyến». Nếu cố ý bỏ thì không cần sửa."
    ]  # the total (dossiers.online) is still in the dossier sentence


def test_deleted_note_loop_is_a_warning(tmp_path: Path) -> None:
    change = without_paragraph("{{ t }}", after="{%p for t in notes.II_1 %}")
    checked = check_template(rewrite(tmp_path / "mau.docx", change))
    assert checked.errors == []
    assert checked.warnings == [
        "Mẫu không còn in nội dung ghi ở sheet NoiDung cho mục II.1 (notes.II_1): mẫu mặc định "
        "in nội dung này ở đoạn «Nội dung …». Nếu cố ý bỏ thì không cần sửa."
    ]


def test_sum_column_is_a_figure_of_its_own(tmp_path: Path) -> None:
    """The table prints early + on_time as one number: dropping it is told."""
    change = replaced("{{ (f.early + f.on_time)|so }}", "{{ f.early|so }}")
    checked = check_template(rewrite(tmp_path / "mau.docx", change))
    assert checked.warnings == [
        "Mẫu không còn in tổng số hồ sơ giải quyết trước hạn theo từng lĩnh vực và số hồ sơ "
        "giải quyết đúng hạn theo từng lĩnh vực (dossiers.by_field[].early + "
        "dossiers.by_field[].on_time): mẫu mặc định in nội dung này ở bảng 2, cột «Trước, đúng "
        "hạn». Nếu cố ý bỏ thì không cần sửa."
    ]


def test_reworded_and_reformatted_figures_are_not_warned(tmp_path: Path) -> None:
    change = chain(
        replaced("{{ reception.visits|dem }}", "{{ reception.visits }}"),
        replaced("{{ reception.people|dem }}", "{{ figures.reception.people|so }}"),
        replaced("tại trụ sở", "ở trụ sở"),
        without_paragraph("{{ procedures.total|dem }}"),
        with_paragraph(
            "Thủ tục: {{ procedures.total }}, {{ procedures.fields }} lĩnh vực, "
            "{{ procedures.full_online }} toàn trình, {{ procedures.partial_online }} một phần.",
            after="a) Về công tác cải cách hành chính",
        ),
    )
    checked = check_template(rewrite(tmp_path / "mau.docx", change))
    assert (checked.errors, checked.warnings) == ([], [])


# --- template export -----------------------------------------------------------------------


def test_export_needs_a_docx_name(runner: CliRunner, cwd: Path) -> None:
    result = invoke(runner, "template", "export", "mau.txt")
    assert result.exit_code == 2
    no_traceback(result)
    assert flat(result.output) == "Lỗi: Tệp ra «mau.txt» phải có đuôi .docx."
    assert list(cwd.iterdir()) == []


def test_export_overwrite_message_names_what_export_takes(runner: CliRunner, cwd: Path) -> None:
    assert invoke(runner, "template", "export", "mau.docx").exit_code == 0
    (cwd / "mau.docx").write_bytes(b"da sua")
    result = invoke(runner, "template", "export", "mau.docx")
    assert result.exit_code == 1
    assert flat(result.output) == (
        "Lỗi: Tệp «mau.docx» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); thêm "
        "--force để ghi đè hoặc chọn tên tệp khác."
    )
    assert "-o" not in result.output.replace("--force", "")
    assert (cwd / "mau.docx").read_bytes() == b"da sua"
    forced = invoke(runner, "template", "export", "mau.docx", "--force")
    assert forced.exit_code == 0
    assert (cwd / "mau.docx").read_bytes() == default_template_path().read_bytes()


# --- --pdf never leaves an old PDF beside a new report ----------------------------------------


def test_old_pdf_without_force_is_refused_before_writing(runner: CliRunner, cwd: Path) -> None:
    (cwd / "bc.pdf").write_bytes(b"%PDF cu")
    result = invoke(runner, *BUILD_9M, "-o", "bc.docx", "--pdf")
    assert result.exit_code == 1
    assert "Tệp «bc.pdf» đã có." in flat(result.output)
    assert sorted(p.name for p in cwd.iterdir()) == ["bc.pdf"]  # no new .docx beside it
    assert (cwd / "bc.pdf").read_bytes() == b"%PDF cu"


def test_failed_conversion_with_force_deletes_the_old_pdf(
    runner: CliRunner, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (cwd / "bc.docx").write_bytes(b"bao cao cu")
    (cwd / "bc.pdf").write_bytes(b"%PDF cu")
    monkeypatch.setattr(render, "find_libreoffice", lambda: None)
    result = invoke(runner, *BUILD_9M, "-o", "bc.docx", "--pdf", "--force")
    assert result.exit_code == 1, result.output  # the PDF asked for was not made
    assert "Traceback" not in result.output
    assert "Đã xóa tệp PDF cũ «bc.pdf» vì nó không còn khớp với báo cáo mới." in flat(result.output)
    assert sorted(p.name for p in cwd.iterdir()) == ["bc.docx"]
    assert "Tân Hưng" in docx_text(cwd / "bc.docx")


def test_old_pdf_that_cannot_be_deleted_fails_the_build(
    runner: CliRunner, cwd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An old PDF that stays beside the new report (on Windows, one open in a viewer cannot be
    deleted): exit 1, said."""
    (cwd / "bc.pdf").write_bytes(b"%PDF cu")
    monkeypatch.setattr(render, "find_libreoffice", lambda: None)
    unlink = Path.unlink

    def locked(path: Path, missing_ok: bool = False) -> None:
        if path.name == "bc.pdf":
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok)

    monkeypatch.setattr(Path, "unlink", locked)
    result = invoke(runner, *BUILD_9M, "-o", "bc.docx", "--pdf", "--force")
    assert result.exit_code == 1
    no_traceback(result)
    assert (
        "Tệp PDF cũ «bc.pdf» không còn khớp với báo cáo mới nhưng không xóa được: hãy xóa hoặc "
        "đóng tệp đó rồi chạy lại."
    ) in flat(result.output)
    assert (cwd / "bc.pdf").read_bytes() == b"%PDF cu"


def test_batch_checks_its_template_once_before_any_work(runner: CliRunner, cwd: Path) -> None:
    """``batch --template`` runs the check that ``build --template`` runs (SPEC §5): errors
    stop the batch before anything is written, warnings are shown."""
    inputs = cwd / "cac_xa"
    inputs.mkdir()
    (inputs / "tan_hung.xlsx").write_bytes(SAMPLE.read_bytes())
    broken = rewrite(
        cwd / "hong.docx", replaced("{{ reception.visits|dem }}", "{{ reception.visits|dem }")
    )
    refused = invoke(runner, "batch", inputs, "--period", "9m", "--template", broken, "-o", "ra")
    assert refused.exit_code == 1
    no_traceback(refused)
    assert flat(refused.output).startswith(f"Lỗi: Mẫu «{broken}» có 1 lỗi, chưa lập được báo cáo:")
    assert not (cwd / "ra").exists()

    edited = rewrite(cwd / "mau.docx", without_paragraph("{{ reception.visits|dem }}"))
    built = invoke(runner, "batch", inputs, "--period", "9m", "--template", edited, "-o", "ra")
    assert built.exit_code == 0, built.output
    assert flat(built.output).startswith(
        "Cảnh báo: Mẫu không còn in số lượt tiếp công dân (reception.visits);"
    )
    assert len(list((cwd / "ra").glob("*.docx"))) == 1


def test_deleted_comparison_sentence_is_a_warning(tmp_path: Path) -> None:
    """The comparison phrases the default template prints when last year's workbook is given
    are figures too: deleting their sentence is said (issue #11 item 3, SPEC §5)."""
    edited = rewrite(tmp_path / "mau.docx", without_paragraph("Số lượt tiếp công dân {{ compare"))
    checked = check_template(edited)
    assert checked.errors == []
    (warning,) = checked.warnings
    assert warning.startswith(
        "Mẫu không còn in mức tăng, giảm so với cùng kỳ của số lượt tiếp công dân "
        "(compare.reception.visits); mức tăng, giảm so với cùng kỳ của số người được tiếp "
        "(compare.reception.people); mức tăng, giảm so với cùng kỳ của số vụ việc khi tiếp công "
        "dân (compare.reception.cases): mẫu mặc định in những nội dung này ở đoạn «Số lượt tiếp "
        "công dân tăng …"
    ), warning
    assert warning.endswith("Nếu cố ý bỏ thì không cần sửa.")
