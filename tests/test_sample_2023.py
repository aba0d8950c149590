"""The sample of last year's workbook, ``sample_data/tan_hung_2023.xlsx`` (sample_data/README.md
§2): valid, and with ``--so-sanh`` it gives the ``previous`` block and the report's
"so với cùng kỳ" sentences. Every expected value is worked out by hand from the design in
``make_samples.py`` (PLAN_2023, PETITIONS_2023, DOSSIER_IN_2023 …), never read from danvan:

- reception, window 15/12/2022 – 14/9/2023: Thường xuyên = the 26 days of 2024 one year
  earlier + 5 days (two of them second visits): 31 sessions = 31 visits = 31 people = 29
  matters; Định kỳ = the 20 sessions of 2024 (18 days), people 32, 3 second visits: 17
  matters; Ủy quyền as in 2024: 7 = 7 = 20 people = 6 matters. Total 58 visits, 83 people,
  52 matters, all Kiến nghị, no group (≤ 4 people each); the 3 visits of 15–19/9/2023 are out;
- letters: 20 in the window, 2 of them not eligible, all processed; 1 after the window;
- one-stop shop, months 1–9: 160 online + 130 direct = 290, nothing carried into month 1 or
  open after month 9, so 290 resolved, 2 late (Đất đai month 4, Chứng thực month 7), 288
  early: online rate 160/290 = 55,17%, on-time rate 288/290 = 99,31%.

Against 2024 (53 visits, 83 people, 49 matters, 26 letters, 320 dossiers, 64,38%, 99,06%):
visits −5 (5/58 = 8,6%), people equal, matters −3 (3/52 = 5,8%), letters +6 (6/20 = 30,0%),
dossiers +30 (30/290 = 10,3%), online rate +9,21 points, on-time rate −0,25 points."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType

from conftest import SAMPLE_DIR
from docx import Document
from support import flat, no_traceback, sha256
from typer.testing import CliRunner

from danvan_cli.cli import app

CURRENT = SAMPLE_DIR / "tan_hung_2024.xlsx"
PREVIOUS = SAMPLE_DIR / "tan_hung_2023.xlsx"

PERIOD_2023 = {
    "code": "9m",
    "year": 2023,
    "window": "nd09",
    "start": "2022-12-15",
    "end": "2023-09-14",
    "label": "9 tháng đầu năm 2023",
    "next_label": "3 tháng cuối năm 2023",
}
RECEPTION_2023 = {
    "visits": 58,
    "people": 83,
    "cases": 52,
    "groups": 0,
    "cases_by_kind": {"khieu_nai": 0, "to_cao": 0, "kien_nghi": 52, "phan_anh": 0},
    "by_mode": {
        "thuong_xuyen": {"sessions": 31, "visits": 31, "people": 31, "cases": 29},
        "dinh_ky": {"sessions": 20, "visits": 20, "people": 32, "cases": 17},
        "uy_quyen": {"sessions": 7, "visits": 7, "people": 20, "cases": 6},
        "dot_xuat": {"sessions": 0, "visits": 0, "people": 0, "cases": 0},
    },
}
PETITIONS_2023 = {
    "received": 20,
    "processed": 20,
    "eligible": 18,
    "eligible_by_kind": {"khieu_nai": 0, "to_cao": 0, "kien_nghi": 18, "phan_anh": 0},
}
DOSSIERS_2023 = {
    "carried_over": 0,
    "received": 290,
    "online": 160,
    "direct": 130,
    "postal": 0,
    "resolved": 290,
    "early": 288,
    "on_time": 0,
    "late": 2,
    "open": 0,
    "open_overdue": 0,
    "online_rate": 55.17,
    "on_time_rate": 99.31,
    "source": "MotCua",
}
# field -> (received, online, direct, early, late, online rate, on-time rate)
BY_FIELD_2023 = {
    "Tư pháp - Hộ tịch": (145, 92, 53, 145, 0, 63.45, 100.0),
    "Chứng thực": (80, 21, 59, 79, 1, 26.25, 98.75),
    "Lao động - Thương binh và Xã hội": (42, 31, 11, 42, 0, 73.81, 100.0),
    "Đất đai": (16, 11, 5, 15, 1, 68.75, 93.75),
    "Văn hóa": (7, 5, 2, 7, 0, 71.43, 100.0),
}

RECEPTION_SENTENCE = (
    "Số lượt tiếp công dân giảm 05 lượt (8,6%) so với cùng kỳ năm 2023; số người bằng cùng "
    "kỳ; số vụ việc giảm 03 vụ việc (5,8%)."
)
LETTERS_SENTENCE = (
    "Đã tiếp nhận 26 đơn, tăng 06 đơn (30,0%) so với cùng kỳ năm 2023; đã xử lý 26 đơn; số "
    "đơn đủ điều kiện xử lý 26 đơn (kiến nghị: 26 đơn)."
)
DOSSIERS_SENTENCE = (
    "Số hồ sơ tiếp nhận tăng 30 hồ sơ (10,3%) so với cùng kỳ năm 2023; tỷ lệ hồ sơ tiếp nhận "
    "trực tuyến tăng 9,21 điểm phần trăm; tỷ lệ hồ sơ giải quyết đúng hạn giảm 0,25 điểm phần "
    "trăm."
)


def test_sample_2023_is_valid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(PREVIOUS)])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert flat(result.output) == f"{PREVIOUS}: hợp lệ — 0 lỗi, 0 cảnh báo"


def test_sample_2023_is_what_make_samples_writes(make_samples: ModuleType, tmp_path: Path) -> None:
    """Committed output = script output, byte for byte (fixed timestamps, seeded names)."""
    written = tmp_path / "tan_hung_2023.xlsx"
    make_samples.build_tan_hung_2023(written)
    assert sha256(written) == sha256(PREVIOUS)


def test_previous_block_holds_the_hand_worked_2023_figures(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["figures", str(CURRENT), "-p", "9m", "--json", "--so-sanh", str(PREVIOUS)]
    )
    no_traceback(result)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    previous = data["previous"]
    assert previous["year"] == 2023
    assert previous["period"] == PERIOD_2023
    assert previous["reception"] == RECEPTION_2023
    assert previous["petitions"] == PETITIONS_2023
    by_field = previous["dossiers"].pop("by_field")
    assert previous["dossiers"] == DOSSIERS_2023
    assert {
        f["field"]: (
            f["received"],
            f["online"],
            f["direct"],
            f["early"],
            f["late"],
            f["online_rate"],
            f["on_time_rate"],
        )
        for f in by_field
    } == BY_FIELD_2023
    assert [f["field"] for f in by_field] == list(BY_FIELD_2023)  # MotCua's order
    assert all(f["carried_over"] == f["open"] == f["postal"] == 0 for f in by_field)
    # the current year's figures are the seed's, untouched by the comparison
    assert (data["reception"]["visits"], data["reception"]["people"]) == (53, 83)
    assert (data["reception"]["cases"], data["petitions"]["received"]) == (49, 26)
    assert data["dossiers"]["received"] == 320


def test_report_says_how_each_figure_moved(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = runner.invoke(
        app,
        [
            "build",
            str(CURRENT),
            "-p",
            "9m",
            "--so-sanh",
            str(PREVIOUS),
            "--date",
            "20/9/2024",
            "-o",
            str(out),
        ],
    )
    no_traceback(result)
    assert result.exit_code == 0, result.output
    paragraphs = [flat(p.text) for p in Document(str(out)).paragraphs if p.text.strip()]
    assert RECEPTION_SENTENCE in paragraphs
    assert LETTERS_SENTENCE in paragraphs
    assert DOSSIERS_SENTENCE in paragraphs
    text = "\n".join(paragraphs)
    assert "Nguyễn Văn Canary" not in text and "001099012345" not in text


def test_report_without_comparison_has_none_of_it(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    result = runner.invoke(
        app, ["build", str(CURRENT), "-p", "9m", "--date", "20/9/2024", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = " ".join(flat(p.text) for p in Document(str(out)).paragraphs)
    assert "cùng kỳ" not in text
    assert "Đã tiếp nhận 26 đơn; đã xử lý 26 đơn;" in text


def test_batch_finds_the_2023_sample_in_the_sample_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    """``--so-sanh sample_data``: the folder holds Tân Hưng's 2024 workbooks too (and two
    dossier exports without ThongTin); only the 2023 one is last year's for a 2024 batch."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(CURRENT, inputs / "tan_hung_2024.xlsx")
    args = ["batch", str(inputs), "-p", "9m", "--so-sanh", str(SAMPLE_DIR), "-o", str(out)]
    result = runner.invoke(app, [*args, "-j", "1", "--date", "20/9/2024"])
    no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "So sánh với cùng kỳ: 1/1 đơn vị có sổ năm trước." in flat(result.output)
    # the exports are nobody's workbook: not listed as workbooks whose ThongTin is unreadable
    assert "Không đọc được thông tin đơn vị" not in result.output
    report = out / "bao_cao_dan_van_xa_tan_hung_9m_2024.docx"
    paragraphs = [flat(p.text) for p in Document(str(report)).paragraphs if p.text.strip()]
    assert RECEPTION_SENTENCE in paragraphs
