"""``danvan validate`` through the real Typer app: exit codes, text and JSON output, the
annotated copy, bad files, and no personal data in anything it prints."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openpyxl import load_workbook
from support import flat, no_traceback, sha256
from typer.testing import CliRunner, Result

from danvan_cli.annotate import ERROR_FILL, WARNING_FILL
from danvan_cli.cli import app

MakeWorkbook = Callable[..., Path]

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE = SAMPLE_DIR / "tan_hung_2024.xlsx"
MISTAKES_SAMPLE = SAMPLE_DIR / "loi_mau.xlsx"
CANARIES = ("Nguyễn Văn Canary", "001099012345")
ISSUE_KEYS = {"severity", "code", "sheet", "cell", "column", "message", "hint"}


def validate(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, ["validate", *(str(a) for a in args)])


# --- the samples ---------------------------------------------------------------------------


def test_sample_is_valid(runner: CliRunner) -> None:
    result = validate(runner, SAMPLE)
    assert result.exit_code == 0, result.output
    assert f"{SAMPLE}: hợp lệ — 0 lỗi, 0 cảnh báo" in flat(result.output)


def test_mistakes_sample_names_every_planted_cell(
    runner: CliRunner, make_samples: ModuleType
) -> None:
    result = validate(runner, MISTAKES_SAMPLE)
    assert result.exit_code == 1
    no_traceback(result)
    for mistake in make_samples.MISTAKES:
        assert f"{mistake['sheet']}!{mistake['cell']}" in result.output, mistake
    errors = sum(1 for m in make_samples.MISTAKES if m["severity"] == "lỗi")
    warnings = len(make_samples.MISTAKES) - errors
    assert f"{errors} lỗi, {warnings} cảnh báo" in result.output
    assert "Cách sửa:" in result.output


def test_json_output(runner: CliRunner, make_samples: ModuleType) -> None:
    result = validate(runner, "--json", MISTAKES_SAMPLE, SAMPLE)
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["schema"] == "danvan.validate/1"
    bad, good = payload["files"]
    assert good["ok"] is True
    assert good["issues"] == []
    assert bad["ok"] is False
    assert bad["fatal"] is None
    for issue in bad["issues"]:
        assert issue.keys() >= ISSUE_KEYS
        assert issue["severity"] in {"error", "warning"}
        assert issue["message"]
        assert issue["hint"]
    located = {(i["sheet"], i["cell"], i["severity"]) for i in bad["issues"]}
    severity = {"lỗi": "error", "cảnh báo": "warning"}
    planted = {(m["sheet"], m["cell"], severity[m["severity"]]) for m in make_samples.MISTAKES}
    assert located == planted
    assert bad["errors"] == sum(1 for i in bad["issues"] if i["severity"] == "error")
    assert bad["warnings"] == sum(1 for i in bad["issues"] if i["severity"] == "warning")


def test_json_output_of_a_valid_workbook(runner: CliRunner) -> None:
    result = validate(runner, "--json", SAMPLE)
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert [f["ok"] for f in payload["files"]] == [True]


# --- --annotate ----------------------------------------------------------------------------


def test_annotate_marks_planted_cells_and_leaves_input_alone(
    runner: CliRunner, tmp_path: Path, make_samples: ModuleType
) -> None:
    source = MISTAKES_SAMPLE
    before = sha256(source)
    out = tmp_path / "chu_thich.xlsx"
    result = validate(runner, source, "--annotate", out)
    assert result.exit_code == 1
    assert sha256(source) == before
    assert out.exists()
    assert str(out.name) in result.output
    book = load_workbook(out)
    for mistake in make_samples.MISTAKES:
        cell = book[mistake["sheet"]][mistake["cell"]]
        expected = ERROR_FILL if mistake["severity"] == "lỗi" else WARNING_FILL
        assert cell.fill.fill_type == "solid", mistake
        rgb = cell.fill.fgColor.rgb[-6:]
        assert rgb == expected, mistake
        if mistake["severity"] == "lỗi":  # red: the red channel dominates
            red, green, blue = (int(rgb[i : i + 2], 16) for i in (0, 2, 4))
            assert red == 0xFF and red > green + 40 and red > blue + 40, rgb
        assert cell.comment is not None, mistake
        assert "Cách sửa" in cell.comment.text
    # a cell without a problem is left as it was
    assert book["TiepCongDan"]["B4"].comment is None
    assert book["TiepCongDan"]["B4"].fill.fill_type is None
    assert [p.name for p in tmp_path.iterdir()] == ["chu_thich.xlsx"]  # no temporary left


def test_annotate_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "chu_thich.xlsx"
    out.write_bytes(b"ban da sua tay")
    result = validate(runner, SAMPLE, "--annotate", out)  # a valid workbook: exit 0 otherwise
    assert result.exit_code == 1
    no_traceback(result)
    assert out.read_bytes() == b"ban da sua tay"
    # refused before the workbook is read: no report, only the refusal
    assert flat(result.output) == (
        f"Lỗi: Tệp «{out}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        "thêm --force để ghi đè hoặc chọn tên khác bằng --annotate."
    )
    forced = validate(runner, SAMPLE, "--annotate", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert load_workbook(out).sheetnames[:2] == ["ThongTin", "TiepCongDan"]


def test_annotate_of_a_valid_workbook(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sach.xlsx"
    result = validate(runner, SAMPLE, "--annotate", out)
    assert result.exit_code == 0, result.output
    copy, original = load_workbook(out), load_workbook(SAMPLE)
    assert copy.sheetnames == original.sheetnames
    commented = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in copy
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment
    ]
    assert commented == []  # nothing to point at in a valid workbook


def test_annotate_needs_exactly_one_workbook(runner: CliRunner, tmp_path: Path) -> None:
    result = validate(runner, SAMPLE, MISTAKES_SAMPLE, "--annotate", tmp_path / "x.xlsx")
    assert result.exit_code == 2
    assert "--annotate chỉ dùng với một sổ" in flat(result.output)
    assert not (tmp_path / "x.xlsx").exists()


# --- command-line mistakes -----------------------------------------------------------------


def test_wrong_option_is_exit_2(runner: CliRunner) -> None:
    result = validate(runner, "--khong-co", SAMPLE)
    assert result.exit_code == 2
    no_traceback(result)
    assert "--khong-co" in result.output  # the message names the unknown option
    assert "No such option" not in result.output and "Usage" not in result.output


def test_validate_has_help(runner: CliRunner) -> None:
    result = validate(runner, "--help")
    assert result.exit_code == 0
    assert "--annotate" in result.output
    assert "--json" in result.output


# --- files that are not workbooks ----------------------------------------------------------


def _text_file(path: Path) -> None:
    path.write_text("Đây là ghi chú, không phải sổ Excel.\n", encoding="utf-8")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    data = SAMPLE.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _old_office(path: Path) -> None:
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(4096))


def _zip_bomb(path: Path) -> None:
    """600 MiB of zeros streamed into one deflated member: ~3 MB on disk, about a second."""
    chunk = bytes(8 << 20)
    with (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(75):
            member.write(chunk)


def _missing(path: Path) -> None:
    pass


def _folder(path: Path) -> None:
    path.mkdir()


BAD_FILES: dict[str, tuple[str, Callable[[Path], None], str]] = {
    "text": ("ghi_chu.xlsx", _text_file, "không phải sổ Excel"),
    "empty": ("rong.xlsx", _empty, "rỗng"),
    "truncated": ("cat_do.xlsx", _truncated, "không phải sổ Excel"),
    "doc": ("van_ban.xlsx", _old_office, "Office đời cũ"),
    "zip-bomb": ("bom.xlsx", _zip_bomb, "bung ra quá lớn"),
    "missing": ("khong_co.xlsx", _missing, "Không tìm thấy"),
    "folder": ("thu_muc.xlsx", _folder, "thư mục"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    name, make, words = BAD_FILES[kind]
    path = tmp_path / name
    make(path)
    out = tmp_path / "chu_thich.xlsx"
    result = validate(runner, path, "--annotate", out)
    assert result.exit_code == 1, result.output
    no_traceback(result)
    text = flat(result.output)
    assert name in text
    assert words in text
    assert "Lỗi" in text
    assert not out.exists()


@pytest.mark.parametrize("kind", ["text", "empty", "missing"])
def test_bad_file_json(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    name, make, words = BAD_FILES[kind]
    path = tmp_path / name
    make(path)
    result = validate(runner, "--json", path)
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    assert report["ok"] is False
    assert name in report["fatal"]
    assert words in report["fatal"]


def test_one_bad_file_does_not_hide_the_others(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    result = validate(runner, path, SAMPLE)
    assert result.exit_code == 1
    assert "rong.xlsx" in result.output
    assert "tan_hung_2024.xlsx: hợp lệ" in flat(result.output)


# --- privacy -------------------------------------------------------------------------------

PERSONAL = {
    "Họ tên": "Canary Họ Tên Giả",
    "Địa chỉ": "thôn Canary Địa Chỉ",
    "Số CCCD": "099099099099",
    "Nội dung": "Canary nội dung kiến nghị bí mật",
}
SENDER = "Canary Người Gửi"
LETTER = "Canary nội dung đơn thư"


def _canary_workbook(make_workbook: MakeWorkbook) -> Path:
    header = ["STT", "Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", *PERSONAL]
    personal = list(PERSONAL.values())

    def visit(**changes: Any) -> list[Any]:
        values = {"day": "14/9/2024", "mode": "Định kỳ", "people": 1, "kind": "Kiến nghị"}
        values |= changes
        return [1, values["day"], values["mode"], values["people"], values["kind"], *personal]

    receptions = [
        header,
        visit(day="13/25/2024"),
        visit(people=-2),
        visit(mode="Tiếp dân"),
        visit(kind=None),
        visit(day="1/1/2014"),
        [None] * 5 + personal,
    ]
    petitions = [
        ["Ngày nhận", "Phân loại", "Đủ điều kiện xử lý", "Đã xử lý", "Người gửi", "Nội dung"],
        ["abc", "Kiến nghị", "chưa", "Có", SENDER, LETTER],
    ]
    return make_workbook({"TiepCongDan": receptions, "DonThu": petitions}, name="canary.xlsx")


def _assert_no_canary(text: str, canaries: tuple[str, ...]) -> None:
    for canary in canaries:
        assert canary not in text
        assert canary not in flat(text)


def test_no_personal_data_in_validate_output(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    path = _canary_workbook(make_workbook)
    canaries = (*PERSONAL.values(), SENDER, LETTER, "Canary")
    result = validate(runner, path)
    assert result.exit_code == 1
    assert "TiepCongDan!B2" in result.output  # the rows' other cells are reported
    assert "DonThu!C2" in result.output
    _assert_no_canary(result.output, canaries)
    as_json = validate(runner, "--json", path)
    assert as_json.exit_code == 1
    payload = json.loads(as_json.stdout)
    assert len(payload["files"][0]["issues"]) >= 10
    _assert_no_canary(as_json.output, canaries)
    _assert_no_canary(json.dumps(payload, ensure_ascii=False), canaries)
    annotated = validate(runner, path, "--annotate", tmp_path / "chu_thich.xlsx")
    book = load_workbook(tmp_path / "chu_thich.xlsx")
    comments = [
        cell.comment.text
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment
    ]
    assert comments
    _assert_no_canary(annotated.output + "\n".join(comments), canaries)


@pytest.mark.parametrize("path", [SAMPLE, MISTAKES_SAMPLE], ids=["sample", "mistakes"])
def test_sample_canary_never_printed(runner: CliRunner, path: Path) -> None:
    for args in ([path], ["--json", path]):
        result = validate(runner, *args)
        assert result.exit_code == (1 if path == MISTAKES_SAMPLE else 0), result.output
        assert path.name in result.output  # the report was printed, and holds no canary
        _assert_no_canary(result.output, CANARIES)
