"""The per-dossier export through the CLI: ``--ho-so`` on validate, figures and build,
``ho_so = [...]`` in danvan.toml, batch reading each workbook's HoSo sheet, the report's
II.3 b) sentence, and the sample export that reproduces the seed's 9-month dossier figures.

The seed's figures (9 tháng 2024, window 15/12/2023 – 14/9/2024): 320 hồ sơ received, 206
online and 320 − 206 = 114 in person, none by post, none carried over; 317 early + 3 late =
320 resolved, none open; 206 / 320 = 64,375 % → 64,38 %; 317 / 320 = 99,0625 % → 99,06 %."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import INFO_ROWS, SAMPLE_DIR, MakeWorkbook
from docx import Document
from support import flat, no_traceback
from test_figures_cli import EXPECTED
from test_ho_so import HEADER, WINDOW_ROWS
from typer.testing import CliRunner, Result

from danvan_cli.cli import app

SAMPLE = SAMPLE_DIR / "tan_hung_2024.xlsx"
EXPORT = SAMPLE_DIR / "tan_hung_ho_so_2024.xlsx"
FAULTY = SAMPLE_DIR / "ho_so_loi.xlsx"


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    result = runner.invoke(app, [str(arg) for arg in args])
    no_traceback(result)
    return result


def figures_json(runner: CliRunner, *args: str | Path) -> dict[str, Any]:
    result = invoke(runner, "figures", *args, "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


#: The seed's dossier figures, as test_figures_cli holds them (its "source" is MotCua's).
SEED_DOSSIERS = {key: value for key, value in EXPECTED["dossiers"].items() if key != "source"}


def test_the_sample_export_gives_the_seeds_dossier_figures(runner: CliRunner) -> None:
    result = invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", EXPORT, "--json")
    assert result.exit_code == 0, result.output
    dossiers = json.loads(result.stdout)["dossiers"]
    by_field = dossiers.pop("by_field")
    assert dossiers == {**SEED_DOSSIERS, "source": "HoSo"}
    # the five fields of sample_data/README.md, in MotCua's order
    assert [(entry["field"], entry["received"]) for entry in by_field] == [
        ("Tư pháp - Hộ tịch", 160),
        ("Chứng thực", 80),
        ("Lao động - Thương binh và Xã hội", 50),
        ("Đất đai", 20),
        ("Văn hóa", 10),
    ]
    # the three late dossiers: Đất đai in June and August, Tư pháp - Hộ tịch in September
    assert [(entry["field"], entry["late"]) for entry in by_field if entry["late"]] == [
        ("Tư pháp - Hộ tịch", 1),
        ("Đất đai", 2),
    ]
    assert flat(result.stderr) == (
        "Cảnh báo: Số liệu hồ sơ một cửa lấy từ danh sách hồ sơ (HoSo, từng hồ sơ): 45 dòng "
        "của trang «MotCua» (năm 2024) không được tính."
    )


PERIODS = [f"t{month}" for month in range(1, 10)] + ["q1", "q2", "q3", "3m", "6m", "9m"]


@pytest.mark.parametrize("period", PERIODS)
def test_the_sample_export_agrees_with_motcua_in_every_period(
    runner: CliRunner, period: str
) -> None:
    """make_samples.py writes each dossier from MotCua's monthly rows (received, still open at
    a month's end, late): every nd09 period of 2024 gives the same figures both ways (a field
    with no dossier in a month has a MotCua row of zeros, and no HoSo entry)."""
    by_month = figures_json(runner, SAMPLE, "-p", period)["dossiers"]
    by_dossier = figures_json(runner, SAMPLE, "-p", period, "--ho-so", EXPORT)["dossiers"]
    assert (by_month.pop("source"), by_dossier.pop("source")) == ("MotCua", "HoSo")
    month_fields = {
        entry["field"]: entry
        for entry in by_month.pop("by_field")
        if entry["received"] or entry["carried_over"]
    }
    assert {entry["field"]: entry for entry in by_dossier.pop("by_field")} == month_fields
    assert by_dossier == by_month


def test_figures_table_names_the_source(runner: CliRunner) -> None:
    result = invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", EXPORT)
    assert result.exit_code == 0
    lines = [" ".join(line.replace("│", " ").split()) for line in result.stdout.splitlines()]
    assert "Hồ sơ một cửa Nguồn số liệu danh sách hồ sơ (HoSo, từng hồ sơ)" in lines
    plain = invoke(runner, "figures", SAMPLE, "-p", "9m")
    lines = [" ".join(line.replace("│", " ").split()) for line in plain.stdout.splitlines()]
    assert "Hồ sơ một cửa Nguồn số liệu số liệu theo tháng (MotCua)" in lines


def test_danvan_toml_names_the_exports(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "so.xlsx")
    (tmp_path / "xuat").mkdir()
    shutil.copy(EXPORT, tmp_path / "xuat" / "ho_so.xlsx")
    (tmp_path / "danvan.toml").write_text(
        'workbook = "so.xlsx"\nperiod = "9m"\nho_so = ["xuat/ho_so.xlsx"]\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    dossiers = figures_json(runner)["dossiers"]
    assert (dossiers["source"], dossiers["received"], dossiers["late"]) == ("HoSo", 320, 3)
    # --ho-so on the command line wins over the file's list
    mine = tmp_path / "khac.xlsx"
    shutil.copy(FAULTY, mine)
    result = invoke(runner, "figures", "--ho-so", mine)
    assert result.exit_code == 1
    assert "Danh sách hồ sơ «khac.xlsx» có 8 lỗi, chưa tính được số liệu:" in result.output


# --- validate -------------------------------------------------------------------------------


def test_validate_reports_each_export_with_its_cells(
    runner: CliRunner, make_samples: ModuleType
) -> None:
    result = invoke(runner, "validate", SAMPLE, "--ho-so", FAULTY, "--ho-so", EXPORT, "--json")
    assert result.exit_code == 1
    files = json.loads(result.stdout)["files"]
    assert [(Path(f["file"]).name, f["ok"]) for f in files] == [
        ("tan_hung_2024.xlsx", True),
        ("ho_so_loi.xlsx", False),
        ("tan_hung_ho_so_2024.xlsx", True),
    ]
    found = {(i["cell"], i["severity"], i["code"]) for i in files[1]["issues"]}
    planted = {
        (m["cell"], "error" if m["severity"] == "lỗi" else "warning", m["code"])
        for m in make_samples.HO_SO_MISTAKES
    }
    assert found == planted
    assert len(files[1]["issues"]) == len(planted) == 9
    assert {i["sheet"] for i in files[1]["issues"]} == {"Sheet1"}
    assert [i["code"] for i in files[0]["issues"]] == ["mot-cua-set-aside"]


def test_validate_text_names_each_file(runner: CliRunner) -> None:
    result = invoke(runner, "validate", SAMPLE, "--ho-so", EXPORT, "--ho-so", FAULTY)
    assert result.exit_code == 1
    text = flat(result.stdout)
    assert "tan_hung_2024.xlsx: hợp lệ — 0 lỗi, 1 cảnh báo" in text
    assert "tan_hung_ho_so_2024.xlsx: hợp lệ — 0 lỗi, 0 cảnh báo" in text
    assert "ho_so_loi.xlsx: có lỗi — 8 lỗi, 1 cảnh báo" in text
    assert (
        "✗ Sheet1!E7 (Ngày hẹn trả) — lỗi: Ngày hẹn trả 04/03/2024 trước Ngày tiếp nhận "
        "05/03/2024." in text
    )
    clean = invoke(runner, "validate", SAMPLE, "--ho-so", EXPORT)
    assert clean.exit_code == 0


def test_validate_takes_one_workbook_with_exports(runner: CliRunner) -> None:
    result = invoke(runner, "validate", SAMPLE, SAMPLE, "--ho-so", EXPORT)
    assert result.exit_code == 2
    assert flat(result.output).endswith("Lỗi: --ho-so chỉ dùng với một sổ.")


def test_one_export_named_twice_is_refused_once(runner: CliRunner) -> None:
    """Not 160 "duplicate Mã hồ sơ" errors: one line saying the file was given twice."""
    for command in (["validate", SAMPLE], ["figures", SAMPLE, "-p", "9m"]):
        result = invoke(runner, *command, "--ho-so", EXPORT, "--ho-so", EXPORT)
        assert result.exit_code == 2
        assert flat(result.output).endswith(
            f"Lỗi: Tệp danh sách hồ sơ «{EXPORT}» được ghi hai lần (--ho-so hoặc ho_so trong "
            "danvan.toml): mỗi tệp chỉ ghi một lần."
        )


def test_a_missing_export_is_named(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "khong_co.xlsx"
    result = invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", missing)
    assert result.exit_code == 1
    assert flat(result.output) == f"Lỗi: Không tìm thấy tệp «{missing}»."


# --- build and batch ------------------------------------------------------------------------


def test_build_refuses_an_export_with_errors(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = invoke(runner, "build", SAMPLE, "-p", "9m", "--ho-so", FAULTY, "-o", out)
    assert result.exit_code == 1
    assert not out.exists()
    text = flat(result.output)
    assert text.startswith(
        "Lỗi: Danh sách hồ sơ «ho_so_loi.xlsx» có 8 lỗi, chưa lập được báo cáo: Sheet1!C9 "
        "(Kênh nộp): Ô có chữ, không có trong danh sách: Trực tuyến, Trực tiếp, Bưu chính."
    )
    assert f'Xem đủ bằng: danvan validate "{SAMPLE}" --ho-so "{FAULTY}"' in text


def test_batch_reads_each_workbooks_hoso_sheet_only(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "batch", SAMPLE, "-p", "9m", "--ho-so", EXPORT, "-o", tmp_path)
    assert result.exit_code == 2
    assert flat(result.output).endswith(
        "Lỗi: batch không nhận --ho-so: mỗi xã, phường có danh sách hồ sơ riêng, nên batch đọc "
        "trang HoSo trong sổ của từng xã. Chép danh sách hồ sơ xuất từ hệ thống vào trang HoSo "
        "của sổ tương ứng."
    )
    assert list(tmp_path.iterdir()) == []


def body(path: Path) -> list[str]:
    return [paragraph.text for paragraph in Document(str(path)).paragraphs]


def test_the_report_says_what_was_carried_over_as_ii06a_does(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """The fifteen dossiers of test_ho_so over t3 2024, worked by hand there: 3 carried over
    + 10 new = 13 to settle (5 online, 4 in person, 1 by post); 7 resolved (2 early, 4 on
    time, 1 late; 6 / 7 → 85,71 %); 6 open, 3 of them overdue."""
    book = make_workbook({"HoSo": [HEADER, *WINDOW_ROWS]})
    out = tmp_path / "bc.docx"
    result = invoke(runner, "build", book, "-p", "t3", "--date", "20/3/2024", "-o", out)
    assert result.exit_code == 0, result.output
    found = [text for text in body(out) if text.startswith("Trong tháng 3 năm 2024 (từ")]
    assert found == [
        "Trong tháng 3 năm 2024 (từ ngày 15/02/2024 đến ngày 14/3/2024), Bộ phận Tiếp nhận và "
        "Trả kết quả xã đã nhận giải quyết 13 hồ sơ, trong đó kỳ trước chuyển sang 03 hồ sơ, "
        "mới tiếp nhận 10 hồ sơ (trực tuyến 05 hồ sơ, đạt 50%; trực tiếp 04 hồ sơ; qua dịch "
        "vụ bưu chính 01 hồ sơ); đã giải quyết 07 hồ sơ, trong đó giải quyết trước hạn 02 hồ "
        "sơ, đúng hạn 04 hồ sơ, quá hạn 01 hồ sơ; tỷ lệ giải quyết đúng hạn đạt 85,71%; đang "
        "giải quyết 06 hồ sơ (trong đó đã quá hạn 03 hồ sơ)."
    ]
    table = next(t for t in Document(str(out)).tables if t.rows[0].cells[0].text == "Lĩnh vực")
    # Lĩnh vực | Tiếp nhận | Trực tuyến | Đã giải quyết | Trước, đúng hạn | Quá hạn | Đang g.q.
    assert [[cell.text for cell in row.cells] for row in table.rows[1:]] == [
        ["Đất đai", "3", "2", "1", "1", "0", "4"],
        ["Chứng thực", "3", "0", "2", "2", "0", "2"],
        ["Tư pháp - Hộ tịch", "4", "3", "4", "3", "1", "0"],
        ["Tổng cộng", "10", "5", "7", "6", "1", "6"],
    ]


def test_only_carried_over_dossiers(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """Two dossiers received before 15/02/2024, one resolved on 20/02 before its due date (22/02),
    one still open at 14/03 (due 30/03): 2 to settle, none new; 1 resolved early (100 %)."""
    rows = [
        ["X-1", "Đất đai", "Trực tuyến", "12/02/2024", "22/02/2024", "20/02/2024", None],
        ["X-2", "Đất đai", "Trực tiếp", "13/02/2024", "30/03/2024", None, None],
    ]
    book = make_workbook({"ThongTin": INFO_ROWS, "HoSo": [HEADER, *rows]})
    out = tmp_path / "bc.docx"
    result = invoke(runner, "build", book, "-p", "t3", "--date", "20/3/2024", "-o", out)
    assert result.exit_code == 0, result.output
    found = [text for text in body(out) if text.startswith("Trong tháng 3 năm 2024 (từ")]
    assert found == [
        "Trong tháng 3 năm 2024 (từ ngày 15/02/2024 đến ngày 14/3/2024), Bộ phận Tiếp nhận và "
        "Trả kết quả xã đã nhận giải quyết 02 hồ sơ, trong đó kỳ trước chuyển sang 02 hồ sơ, "
        "không có hồ sơ mới tiếp nhận; đã giải quyết 01 hồ sơ, trong đó giải quyết trước hạn "
        "01 hồ sơ; tỷ lệ giải quyết đúng hạn đạt 100%, không có hồ sơ quá hạn; đang giải quyết "
        "01 hồ sơ."
    ]


def test_the_sample_report_from_the_export_keeps_the_seeds_sentence(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Nothing carried over: the sentence of the report built from MotCua (test_report_cli),
    and the export's privacy canary (Nguyễn Văn Canary, 001099012345) is nowhere."""
    out = tmp_path / "bc.docx"
    args = ("-p", "9m", "--date", "20/9/2024", "--ho-so", EXPORT, "-o", out)
    result = invoke(runner, "build", SAMPLE, *args)
    assert result.exit_code == 0, result.output
    found = [text for text in body(out) if text.startswith("Kết quả tính đến ngày")]
    assert found == [
        "Kết quả tính đến ngày 14/9/2024, Bộ phận Tiếp nhận và Trả kết quả xã đã tiếp nhận "
        "320 hồ sơ (trực tuyến 206 hồ sơ, đạt 64,38%; trực tiếp 114 hồ sơ); đã giải quyết 320 "
        "hồ sơ, trong đó giải quyết trước hạn 317 hồ sơ, quá hạn 03 hồ sơ; tỷ lệ giải quyết "
        "đúng hạn đạt 99,06%."
    ]
    text = " ".join(body(out)) + result.output
    text += invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", EXPORT, "--json").output
    assert "canary" not in text.casefold() and "001099012345" not in text


def test_batch_counts_each_workbooks_hoso_sheet(tmp_path: Path) -> None:
    """The fifteen dossiers of test_ho_so in one commune's HoSo sheet: its summary row has
    10 received (5 online, 4 in person, 1 by post), 7 resolved, 6 early or on time, 1 late
    and 6 still open."""
    import datetime as dt

    from conftest import write_workbook

    from danvan_cli.batch import run_batch
    from danvan_cli.build import BuildOptions, PeriodRequest

    folder = tmp_path / "cac_xa"
    folder.mkdir()
    write_workbook(folder / "xa.xlsx", {"HoSo": [HEADER, *WINDOW_ROWS]})
    options = BuildOptions(report_date=dt.date(2024, 3, 20))
    outcome = run_batch([folder], PeriodRequest("t3"), options, tmp_path / "ra", jobs=1)
    (result,) = outcome.results
    assert result.ok, result.reason
    picked = {key: result.figures[f"dossiers.{key}"] for key in ("received", "online")}
    picked |= {key: result.figures[f"dossiers.{key}"] for key in ("direct", "postal")}
    picked |= {key: result.figures[f"dossiers.{key}"] for key in ("resolved", "late", "open")}
    assert picked == {
        "received": 10,
        "online": 5,
        "direct": 4,
        "postal": 1,
        "resolved": 7,
        "late": 1,
        "open": 6,
    }
    assert result.figures["dossiers.early_on_time"] == 6


# --- exports that are not this period's list ---------------------------------------------------


def test_a_communes_workbook_is_no_export(runner: CliRunner, make_workbook: MakeWorkbook) -> None:
    """Another commune's workbook (with its HoSo sheet) must not lend this one its dossiers."""
    other = make_workbook({"HoSo": [HEADER, *WINDOW_ROWS]}, name="xa_khac.xlsx")
    result = invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", other)
    assert result.exit_code == 1
    assert flat(result.output) == (
        "Lỗi: Tệp «xa_khac.xlsx» là sổ của một xã, phường (có trang ThongTin), không phải "
        "danh sách hồ sơ xuất từ hệ thống một cửa: --ho-so chỉ nhận tệp xuất đó. Danh sách hồ "
        "sơ của chính sổ này thì dán vào trang HoSo của sổ."
    )


def test_an_export_after_the_period_is_said(
    runner: CliRunner, make_workbook: MakeWorkbook, tmp_path: Path
) -> None:
    """An export of next year's dossiers leaves every figure 0 and MotCua set aside: said."""
    later = [HEADER, ["X1", "Đất đai", "Trực tuyến", "05/01/2025", "10/01/2025", None, None]]
    export = make_workbook({"DanhSach": later}, name="ho_so_2025.xlsx", info=False)
    result = invoke(runner, "figures", SAMPLE, "-p", "9m", "--ho-so", export)
    assert result.exit_code == 0, result.output
    assert (
        "Cảnh báo: Số liệu không thuộc kỳ báo cáo: danh sách hồ sơ một cửa bắt đầu từ 5/1/2025, "
        "sau ngày cuối kỳ 14/9/2024."
    ) in flat(result.output)


def test_annotate_never_writes_over_an_export(runner: CliRunner, tmp_path: Path) -> None:
    """The annotated copy may not be one of the command's inputs, --force or not (SPEC §6:
    inputs are never modified)."""
    export = tmp_path / "ho_so.xlsx"
    shutil.copyfile(EXPORT, export)
    before = export.read_bytes()
    result = invoke(runner, "validate", SAMPLE, "--ho-so", export, "--annotate", export, "--force")
    assert result.exit_code == 2
    assert flat(result.output).endswith(
        f"Lỗi: Tệp chú thích «{export}» trùng với một tệp đầu vào của lệnh này; danvan không "
        "sửa tệp đầu vào: chọn tên khác cho --annotate."
    )
    assert export.read_bytes() == before


# --- the cells a run keeps are one budget ---------------------------------------------------------


@pytest.mark.parametrize("command", ["figures", "build", "validate"])
def test_files_within_the_limit_alone_may_not_pass_it_together(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """The sample keeps 1.417 cells, its export 2.943 (ThongTin's values and the known columns
    of each data row but personal ones): under a limit of 3.000 each passes alone, but a run
    holds both at once, and 4.360 cells is past it — refused, naming both files."""
    monkeypatch.setattr("danvan_cli.workbook.MAX_KEPT_CELLS", 3000)
    args = ["-p", "9m"] if command != "validate" else []
    if command == "build":
        args += ["-o", str(tmp_path / "bc.docx")]
    alone = invoke(runner, command, SAMPLE, *args)
    assert alone.exit_code == 0, alone.output
    (tmp_path / "bc.docx").unlink(missing_ok=True)
    together = invoke(runner, command, SAMPLE, *args, "--ho-so", EXPORT)
    assert together.exit_code == 1
    assert (
        "Tệp «tan_hung_2024.xlsx» cùng với «tan_hung_ho_so_2024.xlsx» (đọc cùng một lần) giữ "
        "quá nhiều số liệu: tổng cộng trên 3.000 ô số liệu. Mỗi tệp tự nó không quá giới hạn; "
        "hãy bớt số tệp đọc cùng lúc (--ho-so, --so-sanh), hoặc lọc danh sách hồ sơ xuất từ "
        "hệ thống một cửa chỉ giữ hồ sơ của năm báo cáo."
    ) in flat(together.output)
    assert not (tmp_path / "bc.docx").exists()


def test_text_past_the_runs_limit_is_refused_without_saying_each_file_is_within(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept text is counted as the rows are read (some 30.800 characters in the export, 11.300
    in the sample): under a limit of 35.000 the sample alone passes, the two together do not.
    Text is counted while a file is read, so the refusal cannot know that the file it is
    reading stays within the limit alone (the export alone would not under 30.000): it does
    not say so."""
    monkeypatch.setattr("danvan_cli.workbook.MAX_KEPT_TEXT", 35_000)
    assert invoke(runner, "validate", SAMPLE).exit_code == 0
    together = invoke(runner, "validate", SAMPLE, "--ho-so", EXPORT)
    assert together.exit_code == 1
    output = flat(together.output)
    assert (
        "Tệp «tan_hung_2024.xlsx» cùng với «tan_hung_ho_so_2024.xlsx» (đọc cùng một lần) giữ "
        "quá nhiều số liệu: tổng cộng trên 35.000 ký tự. Hãy bớt số tệp đọc cùng lúc (--ho-so, "
        "--so-sanh), hoặc lọc danh sách hồ sơ xuất từ hệ thống một cửa chỉ giữ hồ sơ của năm "
        "báo cáo."
    ) in output
    assert "Mỗi tệp tự nó" not in output


def test_last_years_workbook_counts_with_this_years(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate and build hold this year's workbook and last year's at once: they share the
    budget, and the refusal names each by its path when both are called tan_hung.xlsx."""
    monkeypatch.setattr("danvan_cli.workbook.MAX_KEPT_CELLS", 2500)
    now, before = tmp_path / "2024" / "tan_hung.xlsx", tmp_path / "2023" / "tan_hung.xlsx"
    now.parent.mkdir()
    before.parent.mkdir()
    shutil.copy(SAMPLE, now)
    shutil.copy(SAMPLE_DIR / "tan_hung_2023.xlsx", before)
    assert invoke(runner, "validate", now).exit_code == 0  # alone within the limit
    assert invoke(runner, "validate", before).exit_code == 0
    said = (
        f"Tệp «{before}» cùng với «{now}» (đọc cùng một lần) giữ quá nhiều số liệu: tổng cộng "
        "trên 2.500 ô số liệu."
    )
    checked = invoke(runner, "validate", now, "--so-sanh", before)
    assert checked.exit_code == 1
    assert said in flat(checked.output)
    out = tmp_path / "bc.docx"
    built = invoke(runner, "build", now, "-p", "9m", "--so-sanh", before, "-o", out)
    assert built.exit_code == 1
    assert said in flat(built.output)
    assert not out.exists()
