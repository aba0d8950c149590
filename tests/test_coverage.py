"""Partial data is said (SPEC §6, "Never silently wrong"; issue 14 item 2): a log that stops
more than 30 days before the period's end, a month of the period without MotCua rows, a
report dated before the period ends, a workbook without data rows, no signer — on validate,
figures, build and batch, each warning in full, through the real CLI.

The sample's logs end in September (TiepCongDan!B59 is 19/9/2024, DonThu!A30 17/9/2024) and
its MotCua rows cover months 1–9 (sample_data/README.md): a 12m report (window 15/12/2023 –
14/12/2024) is short of three months of each."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import INFO_ROWS, MakeWorkbook
from support import flat, no_traceback
from typer.testing import CliRunner, Result

from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"

RECEPTIONS_SHORT = (
    "Cảnh báo: Số liệu có thể chưa đủ: sổ tiếp công dân ghi đến 19/9/2024; kỳ báo cáo đến "
    "14/12/2024."
)
LETTERS_SHORT = (
    "Cảnh báo: Số liệu có thể chưa đủ: sổ đơn thư ghi đến 17/9/2024; kỳ báo cáo đến 14/12/2024."
)
MONTHS_SHORT = (
    "Cảnh báo: Số liệu có thể chưa đủ: trang MotCua không có dòng nào cho tháng 10, 11, 12 "
    "năm 2024; kỳ báo cáo gồm tháng 1–12."
)
NO_DATA = (
    "Sổ chưa có dòng số liệu nào ngoài trang ThongTin: báo cáo sẽ chỉ có lời văn mẫu, mọi số "
    "liệu bằng 0."
)
NO_SIGNER = "Trang ThongTin chưa ghi «Người ký»: báo cáo sẽ để trống tên người ký."
LOG_HEADER = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"]


def invoke(runner: CliRunner, *args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    no_traceback(result)
    return result


def warnings_of(output: str) -> list[str]:
    """Each "Cảnh báo: …" line of a command's output (the runner's terminal is 250 columns
    wide: no message is wrapped)."""
    return [line for line in output.splitlines() if line.startswith("Cảnh báo: ")]


# --- build, figures, batch: the sample's 12 months ------------------------------------------------


def test_build_of_a_year_says_where_each_log_stops(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = invoke(runner, "build", SAMPLE, "-p", "12m", "--date", "20/12/2024", "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert RECEPTIONS_SHORT in text
    assert LETTERS_SHORT in text
    assert MONTHS_SHORT in text
    assert text.endswith(f"Đã ghi báo cáo: {out}")  # warned, and the report is still written
    assert out.is_file()
    assert "Sổ có thêm" not in text  # the sample has no other warning


def test_figures_warns_on_stderr_and_keeps_json_clean(runner: CliRunner) -> None:
    result = invoke(runner, "figures", SAMPLE, "-p", "12m", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["period"]["end"] == "2024-12-14"
    assert "Cảnh báo" not in result.stdout
    assert warnings_of(result.stderr) == [RECEPTIONS_SHORT, LETTERS_SHORT, MONTHS_SHORT]


def test_nine_months_of_the_sample_warn_of_nothing(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = invoke(runner, "build", SAMPLE, "-p", "9m", "--date", "20/9/2024", "-o", out)
    assert result.exit_code == 0
    assert "Cảnh báo" not in result.output


def test_a_quarter_names_only_its_missing_months(runner: CliRunner) -> None:
    result = invoke(runner, "figures", SAMPLE, "-p", "q4")
    assert result.exit_code == 0
    assert (
        "Cảnh báo: Số liệu có thể chưa đủ: trang MotCua không có dòng nào cho các tháng của kỳ "
        "báo cáo (tháng 10–12 năm 2024)."
    ) in flat(result.output)


def test_batch_puts_the_warnings_in_its_table_and_summary(
    runner: CliRunner, tmp_path: Path
) -> None:
    inputs, out = tmp_path / "so", tmp_path / "bao_cao"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / "tan_hung.xlsx")
    args = ["batch", inputs, "-p", "12m", "--date", "20/12/2024", "-o", out, "-j", "1"]
    result = invoke(runner, *args)
    assert result.exit_code == 0, result.output
    expected = " ".join(
        message.removeprefix("Cảnh báo: ")
        for message in (RECEPTIONS_SHORT, LETTERS_SHORT, MONTHS_SHORT)
    )
    (summary,) = out.glob("tong_hop_*.xlsx")
    rows = list(openpyxl.load_workbook(summary)["TongHop"].iter_rows(min_row=7, values_only=True))
    assert rows[0][3] == "tan_hung.xlsx" and rows[0][4] == "Đã lập"
    assert rows[0][5] == expected
    assert expected in flat(result.output.replace("│", " "))  # on screen, under the report


# --- the 30 days ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "warned"), [(dt.date(2024, 11, 14), False), (dt.date(2024, 11, 13), True)]
)
def test_more_than_thirty_days_short(
    runner: CliRunner, make_workbook: MakeWorkbook, last: dt.date, warned: bool
) -> None:
    """12m ends on 14/12/2024: a log ending 14/11 is 30 days short (quiet), 13/11 is 31."""
    rows = [LOG_HEADER, [dt.date(2024, 2, 1), "Thường xuyên", 1, "Kiến nghị"]]
    rows.append([last, "Thường xuyên", 1, "Kiến nghị"])
    rows.append([dt.date(2024, 3, 1), "Định kỳ", 2, "Phản ánh"])  # not in date order
    path = make_workbook({"TiepCongDan": rows})
    result = invoke(runner, "figures", path, "-p", "12m")
    assert result.exit_code == 0
    message = (
        f"Cảnh báo: Số liệu có thể chưa đủ: sổ tiếp công dân ghi đến {last.day}/11/2024; "
        "kỳ báo cáo đến 14/12/2024."
    )
    assert (message in flat(result.output)) is warned


def test_a_typo_year_does_not_hide_where_a_log_stops(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    """A date years off (warned about on its own) is not taken as the log's last day."""
    rows = [LOG_HEADER, [dt.date(2024, 3, 2), "Thường xuyên", 1, "Kiến nghị"]]
    rows.append([dt.date(2042, 3, 2), "Thường xuyên", 1, "Kiến nghị"])
    path = make_workbook({"TiepCongDan": rows})
    result = invoke(runner, "figures", path, "-p", "6m")
    assert (
        "Cảnh báo: Số liệu có thể chưa đủ: sổ tiếp công dân ghi đến 2/3/2024; kỳ báo cáo đến "
        "14/6/2024."
    ) in flat(result.output)


def test_other_warnings_are_counted_after_the_ones_said_in_full(
    runner: CliRunner, make_workbook: MakeWorkbook
) -> None:
    rows = [[*LOG_HEADER, "Cột tạm"], [dt.date(2024, 3, 2), "Thường xuyên", 1, "Kiến nghị", 1]]
    path = make_workbook({"TiepCongDan": rows})
    result = invoke(runner, "figures", path, "-p", "6m")
    said = warnings_of(result.output)
    assert said[0] == (  # a missing known sheet is said in full (SPEC §6), in one line
        "Cảnh báo: Sổ không có các trang «DonThu», «MotCua», «ThuTuc», «VanBan», «MoHinh», "
        "«NoiDung»: số liệu của các trang đó tính bằng 0."
    )
    assert said[-1] == "Cảnh báo: Sổ có thêm 1 cảnh báo; xem bằng danvan validate."  # the column


# --- the report date ------------------------------------------------------------------------------


def test_date_before_the_end_of_the_period(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = invoke(runner, "build", SAMPLE, "-p", "9m", "--date", "10/9/2024", "-o", out)
    assert result.exit_code == 0
    assert warnings_of(result.output) == [
        "Cảnh báo: Ngày báo cáo 10/9/2024 (--date) ở trước ngày cuối kỳ 14/9/2024: báo cáo "
        "ghi ngày khi kỳ báo cáo chưa kết thúc."
    ]


def test_date_on_the_last_day_is_quiet(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = invoke(runner, "build", SAMPLE, "-p", "9m", "--date", "14/9/2024", "-o", out)
    assert "Cảnh báo" not in result.output


def test_today_before_the_end_of_the_period(runner: CliRunner, make_workbook: MakeWorkbook) -> None:
    """Without --date the report carries today's date: a period ending in 2100 warns so."""
    info = [row if row[0] != "Năm" else ["Năm", 2100] for row in INFO_ROWS]
    path = make_workbook(
        {"ThongTin": info, "NoiDung": [["Mục", "Nội dung"], ["I", "Đoạn văn."]]}, name="so.xlsx"
    )
    out = path.parent / "bao_cao.docx"
    result = invoke(runner, "build", path, "-p", "t1", "-o", out)
    assert result.exit_code == 0, result.output
    today = dt.date.today()
    assert (
        f"Cảnh báo: Ngày báo cáo (hôm nay, {today.day}/{today.month}/{today.year}) ở trước "
        "ngày cuối kỳ 14/1/2100: báo cáo ghi ngày khi kỳ báo cáo chưa kết thúc."
    ) in flat(result.output)


# --- no data, no signer: every command, validate too ---------------------------------------------


@pytest.fixture
def blank_folder(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What ``danvan init`` writes, and nothing typed into it."""
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "init", "--ten", "Tân Hưng", "--tinh", "Hải Phòng", "-y", "2024")
    assert result.exit_code == 0, result.output
    return tmp_path


def test_validate_of_an_empty_init_workbook(runner: CliRunner, blank_folder: Path) -> None:
    result = invoke(runner, "validate")
    assert result.exit_code == 0
    text = flat(result.output)
    assert f"! so_dan_van_2024.xlsx — cảnh báo: {NO_DATA}" in text
    assert f"! ThongTin (Người ký) — cảnh báo: {NO_SIGNER}" in text
    assert f"{blank_folder / 'so_dan_van_2024.xlsx'}: hợp lệ — 0 lỗi, 2 cảnh báo" in text


def test_validate_json_of_an_empty_init_workbook(runner: CliRunner, blank_folder: Path) -> None:
    result = invoke(runner, "validate", "--json")
    (report,) = json.loads(result.stdout)["files"]
    found = [(i["code"], i["severity"], i["ref"], i["message"]) for i in report["issues"]]
    assert found == [
        ("no-data", "warning", None, NO_DATA),
        ("no-signer", "warning", "ThongTin", NO_SIGNER),
    ]


def test_build_of_an_empty_init_workbook(runner: CliRunner, blank_folder: Path) -> None:
    result = invoke(runner, "build", "-p", "t9", "-y", "2024", "--date", "20/9/2024")
    assert result.exit_code == 0, result.output
    assert warnings_of(result.output)[:2] == [f"Cảnh báo: {NO_DATA}", f"Cảnh báo: {NO_SIGNER}"]
    assert "MotCua" not in result.output  # no data at all is said once, not month by month


def test_a_blank_signer_counts_as_none(runner: CliRunner, make_workbook: MakeWorkbook) -> None:
    info: list[list[Any]] = [row for row in INFO_ROWS if row[0] != "Người ký"]
    info.append(["Người ký", "   "])
    path = make_workbook({"ThongTin": info, "NoiDung": [["Mục", "Nội dung"], ["I", "Văn."]]})
    result = invoke(runner, "figures", path, "-p", "t1")
    assert f"Cảnh báo: {NO_SIGNER}" in flat(result.output)


# --- validate and the period of danvan.toml -------------------------------------------------------


def test_validate_uses_the_period_of_danvan_toml(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "so.xlsx")
    (tmp_path / "danvan.toml").write_text('workbook = "so.xlsx"\nperiod = "12m"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "validate")
    assert result.exit_code == 0
    text = flat(result.output)
    assert (
        "! TiepCongDan!B59 — cảnh báo: Số liệu có thể chưa đủ: sổ tiếp công dân ghi đến "
        "19/9/2024; kỳ báo cáo đến 14/12/2024."
    ) in text
    assert (
        "! DonThu!A30 — cảnh báo: Số liệu có thể chưa đủ: sổ đơn thư ghi đến 17/9/2024; kỳ báo "
        "cáo đến 14/12/2024."
    ) in text
    assert f"! MotCua — cảnh báo: {MONTHS_SHORT.removeprefix('Cảnh báo: ')}" in text
    assert "hợp lệ — 0 lỗi, 3 cảnh báo" in text


def test_validate_without_a_period_says_nothing_of_one(runner: CliRunner) -> None:
    result = invoke(runner, "validate", SAMPLE)
    assert f"{SAMPLE}: hợp lệ — 0 lỗi, 0 cảnh báo" in flat(result.output)


def test_the_dossier_list_is_a_log_and_replaces_the_months(runner: CliRunner) -> None:
    """With the per-dossier export (sample: received up to 19/9/2024), the list is a dated log
    like the others, and MotCua's months no longer matter (its rows are set aside)."""
    export = ROOT / "sample_data" / "tan_hung_ho_so_2024.xlsx"
    result = invoke(runner, "figures", SAMPLE, "--ho-so", export, "-p", "12m")
    assert result.exit_code == 0
    shown = warnings_of(result.output)
    assert (
        "Cảnh báo: Số liệu có thể chưa đủ: danh sách hồ sơ một cửa ghi đến 19/9/2024; kỳ báo "
        "cáo đến 14/12/2024."
    ) in shown
    assert RECEPTIONS_SHORT in shown and LETTERS_SHORT in shown
    assert MONTHS_SHORT not in shown and not any("MotCua không có dòng" in w for w in shown)


# --- a hand-set window far from its period's months -----------------------------------------------

OFF_2023 = (
    "Cảnh báo: Khoảng ngày tự chọn 1/1/2023–30/9/2023 (--from, --to) lệch khỏi kỳ báo cáo 9 "
    "tháng đầu năm 2024 (1/1/2024–30/9/2024): sổ tiếp công dân, đơn thư, văn bản được tính "
    "theo khoảng ngày này, còn số liệu một cửa theo tháng và tên kỳ trên báo cáo theo kỳ báo "
    "cáo."
)


def test_a_window_in_last_year_is_said_on_build(runner: CliRunner, tmp_path: Path) -> None:
    """The sample is of 2024: a 2023 window would count none of its 53 visits while MotCua's
    320 dossiers of months 1–9 and the title "9 tháng đầu năm … 2024" stay — never silently."""
    out = tmp_path / "bc.docx"
    result = invoke(
        runner, "build", SAMPLE, "-p", "9m", "--from", "1/1/2023", "--to", "30/9/2023",
        "--date", "1/10/2024", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert flat(result.output) == f"{OFF_2023} Đã ghi báo cáo: {out}"
    assert out.is_file()


@pytest.mark.parametrize(
    ("period", "start", "end", "warned"),
    [
        ("9m", "15/12/2023", "14/9/2024", False),  # the nd09 window, typed by hand
        ("9m", "12/12/2023", "30/9/2024", False),  # 20 days before 1/1
        ("9m", "11/12/2023", "30/9/2024", True),  # 21 days before 1/1
        ("9m", "1/1/2024", "20/10/2024", False),  # 20 days past 30/9
        ("9m", "1/1/2024", "21/10/2024", True),  # 21 days past 30/9
        ("9m", "1/1/2024", "31/3/2024", True),  # a quarter's days for 9 months
        ("t9", "15/8/2024", "14/9/2024", False),  # tháng 9's nd09 window
        ("t9", "1/8/2024", "31/8/2024", True),  # August for tháng 9
        ("t3", "1/2/2024", "29/2/2024", True),  # February (a leap year's) for tháng 3
        ("q3", "1/6/2024", "31/8/2024", True),  # a month early for quý III
        ("t12", "15/11/2024", "14/12/2024", False),
    ],
)
def test_how_far_a_window_may_stray(
    runner: CliRunner, period: str, start: str, end: str, warned: bool
) -> None:
    result = invoke(runner, "figures", SAMPLE, "-p", period, "--from", start, "--to", end)
    assert result.exit_code == 0, result.output
    assert ("Cảnh báo: Khoảng ngày tự chọn" in result.output) is warned, result.output
