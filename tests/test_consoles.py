"""Windows consoles and terminals (SPEC §6, §8; issue 12 item 6): output piped to a file in a
code page that lacks Vietnamese letters never crashes, keeps every letter the code page has,
and writes the others without their marks; bidirectional overrides and isolates typed into a
workbook or a file name never reach a terminal, and JSON keeps them as escapes.

The commands run as real processes with the exact environment a Windows clerk has when the
output goes to a file (PYTHONIOENCODING names the locale's code page), stdout and stderr
redirected to files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import MakeWorkbook
from support import flat, no_traceback
from typer.testing import CliRunner

from danvan_cli.cli import app
from danvan_cli.streams import json_text, safe, spelling

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
MISTAKES = ROOT / "sample_data" / "loi_mau.xlsx"
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def run(tmp_path: Path, encoding: str, *args: str | Path) -> tuple[int, bytes, bytes]:
    """``danvan ARGS > out.txt 2> err.txt`` with PYTHONIOENCODING=encoding."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "250", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        done = subprocess.run(
            [sys.executable, "-m", "danvan_cli", *map(str, args)],
            stdout=stdout,
            stderr=stderr,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )
    return done.returncode, out.read_bytes(), err.read_bytes()


# --- code pages -------------------------------------------------------------------------------


def test_validate_piped_in_cp1252(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "cp1252", "validate", SAMPLE)
    assert (code, err) == (0, b"")
    assert out.decode("cp1252") == f"{SAMPLE}: hop le — 0 loi, 0 canh báo\n"


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "cp1258"])
def test_json_piped_in_any_code_page_reads_back_exactly(tmp_path: Path, encoding: str) -> None:
    """figures --json is read by other tools (SPEC §3): whatever the console's code page, the
    file is valid JSON whose strings are the workbook's, letter for letter."""
    code, out, err = run(tmp_path, encoding, "figures", SAMPLE, "-p", "9m", "--json")
    assert code == 0, err
    data = json.loads(out.decode("ascii"))  # every non-ASCII letter escaped
    assert (data["unit"]["name"], data["unit"]["province"]) == ("Tân Hưng", "Hải Phòng")
    code, out, _ = run(tmp_path, encoding, "validate", MISTAKES, "--json")
    _, utf8, _ = run(tmp_path, "utf-8", "validate", MISTAKES, "--json")
    assert code == 1
    assert json.loads(out.decode("ascii")) == json.loads(utf8.decode("utf-8"))


def test_validate_with_errors_piped_in_cp1252(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "cp1252", "validate", MISTAKES)
    assert (code, err) == (1, b"")
    text = flat(out.decode("cp1252"))
    assert (
        "x TiepCongDan!B5 (Ngày tiep) — loi: Giá tri «13/25/2024» không phai ngày có that "
        "(ngày viet truoc tháng, ví du 14/9/2024)."
    ) in text
    assert text.endswith(f"{MISTAKES}: có loi — 11 loi, 4 canh báo")


def test_help_piped_in_cp1252(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "cp1252", "--help")
    assert (code, err) == (0, b"")
    lines = out.decode("cp1252").splitlines()
    assert lines[0] == "Cách dùng: danvan [TUY CHON] LENH [THAM SO]..."
    assert "  Lap báo cáo ket qua công tác dân van chính quyen tu so Excel cua xã/phuong." in lines


def test_init_piped_in_cp1252(tmp_path: Path) -> None:
    code, out, err = run(
        tmp_path, "cp1252", "init", "moi", "--ten", "Tân Hưng", "--tinh", "Hải Phòng", "-y", "2024"
    )
    assert (code, err) == (0, b"")
    assert out.decode("cp1252") == (
        f"Dã tao {Path('moi') / 'so_dan_van_2024.xlsx'}\nDã tao {Path('moi') / 'danvan.toml'}\n"
    )


def test_an_error_on_stderr_in_cp1252(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "cp1252", "build", "khong_co.xlsx", "-p", "9m")
    assert (code, out) == (1, b"")
    assert err.decode("cp1252").strip() == "Loi: Không tìm thay tep «khong_co.xlsx»."


def test_ascii_stream(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "ascii", "validate", SAMPLE)
    assert (code, err) == (0, b"")
    assert out.decode("ascii") == f"{SAMPLE}: hop le - 0 loi, 0 canh bao\n"


def test_cp1258_keeps_every_vietnamese_letter(tmp_path: Path) -> None:
    """The Vietnamese Windows code page has the vowels with their shape (ê, ơ, ư…) and the five
    tones as combining marks: decomposed, every letter survives."""
    code, out, err = run(tmp_path, "cp1258", "validate", MISTAKES)
    assert (code, err) == (1, b"")
    utf8 = CliRunner(env={"COLUMNS": "250"}).invoke(app, ["validate", str(MISTAKES)])
    # every letter; only ✗, which cp1258 lacks, is written x
    assert unicodedata.normalize("NFC", out.decode("cp1258")) == utf8.output.replace("✗", "x")


def test_utf8_is_untouched(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, "utf-8", "validate", SAMPLE)
    assert (code, err) == (0, b"")
    assert out.decode("utf-8") == f"{SAMPLE}: hợp lệ — 0 lỗi, 0 cảnh báo\n"


@pytest.mark.parametrize(
    ("char", "encoding", "expected"),
    [
        ("ệ", "cp1258", "ê\u0323"),
        ("ở", "cp1258", "ơ\u0309"),
        ("ệ", "cp1252", "e"),
        ("Đ", "cp1252", "D"),
        ("—", "ascii", "-"),
        ("✗", "cp1252", "x"),
        ("中", "cp1252", "?"),
    ],
)
def test_spelling(char: str, encoding: str, expected: str) -> None:
    assert spelling(char, encoding) == expected


# --- bidirectional formatting -----------------------------------------------------------------


def test_safe_drops_controls_and_bidi() -> None:
    assert safe(f"a\x1b[2Jb{BIDI}c\x9bd\te\nf") == "a[2Jbcd\te\nf"


def test_json_escapes_what_a_terminal_acts_on() -> None:
    value = f"Cột{BIDI}\x85tạm"
    text = json_text({"v": value})
    assert all(char not in text for char in BIDI + "\x85")
    assert "\\u202e" in text and "Cột" in text  # Vietnamese stays letters
    assert json.loads(text) == {"v": value}


def test_bidi_in_a_workbook_never_reaches_the_terminal(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    # a near miss of a column's name: the header is quoted back (SPEC §6)
    header = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại", f"Lĩnh{BIDI} vự"]
    path = make_workbook({"TiepCongDan": [header]}, name=f"so{BIDI}.xlsx")
    text = runner.invoke(app, ["validate", str(path)])
    no_traceback(text)
    assert "Cột «Lĩnh vự» không có trong mẫu, bị bỏ qua; có phải «Lĩnh vực»?" in text.output
    assert not set(BIDI) & set(text.output)
    as_json = runner.invoke(app, ["validate", "--json", str(path)])
    assert not set(BIDI) & set(as_json.stdout)
    (report,) = json.loads(as_json.stdout)["files"]
    assert report["file"] == str(path)  # the exact name, escapes read back
    (unknown,) = [i for i in report["issues"] if i["code"] == "unknown-column"]
    assert unknown["message"] == (
        f"Cột «Lĩnh{BIDI} vự» không có trong mẫu, bị bỏ qua; có phải «Lĩnh vực»?"
    )


def test_bidi_in_a_path_never_reaches_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(app, ["validate", str(tmp_path / f"so{BIDI}.xlsx")])
    assert missing.exit_code == 1
    assert f"«{tmp_path / 'so.xlsx'}»" in missing.output
    folder = tmp_path / f"moi{BIDI}"
    made = runner.invoke(app, ["init", str(folder), "--ten", "A", "--tinh", "B", "-y", "2024"])
    assert made.exit_code == 0
    assert made.output.splitlines()[0] == f"Đã tạo {tmp_path / 'moi' / 'so_dan_van_2024.xlsx'}"
