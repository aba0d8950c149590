"""Comparison with the same period last year ("so với cùng kỳ", SPEC §3–§5): the ``previous``
block of the figures, the refusals of a wrong comparison workbook, the report's sentences,
the figures table and the batch summary. Every expected value is worked out by hand from the
rows written here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import write_workbook
from docx import Document
from openpyxl import load_workbook
from support import custom_template, flat, no_traceback
from typer.testing import CliRunner

from danvan_cli import compare, summary
from danvan_cli.cli import app
from danvan_cli.compare import count_phrase, rate_phrase
from danvan_cli.period import parse_period, previous_period
from danvan_cli.template_check import check_template

D = dt.date
RECEPTION = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Mã vụ việc", "Phân loại"]
LETTERS = ["Ngày nhận", "Phân loại", "Đủ điều kiện xử lý", "Đã xử lý"]
DOSSIERS = ["Tháng", "Lĩnh vực", "Trực tuyến", "Trực tiếp", "Trước hạn", "Đúng hạn", "Quá hạn"]


def info(
    year: int, name: str = "Tân Hưng", kind: str = "Xã", province: str = "Hải Phòng"
) -> list[list[Any]]:
    return [
        ["Mục", "Giá trị"],
        ["Tên đơn vị", name],
        ["Loại đơn vị", kind],
        ["Tỉnh/Thành phố", province],
        ["Năm", year],
    ]


def visits(*rows: tuple[dt.date, int, str | None]) -> list[list[Any]]:
    """Reception rows: (date, people, case code)."""
    return [RECEPTION] + [
        [day, "Thường xuyên", people, code, "Kiến nghị"] for day, people, code in rows
    ]


def letters(count: int, first: dt.date) -> list[list[Any]]:
    return [LETTERS] + [
        [first + dt.timedelta(days=i % 20), "Kiến nghị", "x", "x"] for i in range(count)
    ]


def dossiers(*months: tuple[int, int, int, int, int, int]) -> list[list[Any]]:
    """MotCua rows: (month, online, direct, early, on time, late), one field."""
    return [DOSSIERS] + [[month, "Tư pháp - Hộ tịch", *counts] for month, *counts in months]


def book(
    path: Path, year: int, sheets: dict[str, list[list[Any]]] | None = None, **unit: str
) -> Path:
    return write_workbook(path, {"ThongTin": info(year, **unit), **(sheets or {})})


# --- the hand-worked pair: q1 2025 against q1 2024, both nd09 windows crossing the year -------
#
# q1 2025 (nd09) = 15/12/2024 – 14/3/2025; q1 2024 = 15/12/2023 – 14/3/2024.
# This year: 4 visits in the window (14/12/2024 and 15/3/2025 are outside), people 1+1+3+5 =
#   10, cases A, A, B, blank = 3, one group (5 people); 27 letters; dossiers 64 online + 16
#   direct = 80 (rate 80%), resolved 70 early + 9 on time + 1 late = 80 (79/80 = 98,75%).
# Last year: 3 visits in ITS window — two of them in December 2023, the year before the
#   workbook's own (14/12/2023, 15/3/2024 and 15/12/2024 are outside) — people 3+3+4 = 10,
#   cases X, X, blank = 2, no group; 30 letters; 48 online + 16 direct = 64 (75%), resolved
#   35 early + 4 on time + 1 late = 40 (39/40 = 97,5%).

THIS_YEAR: dict[str, list[list[Any]]] = {
    "TiepCongDan": visits(
        (D(2024, 12, 14), 9, "Z"),
        (D(2024, 12, 15), 1, "A"),
        (D(2025, 1, 10), 1, "A"),
        (D(2025, 2, 20), 3, "B"),
        (D(2025, 3, 14), 5, None),
        (D(2025, 3, 15), 9, "Y"),
    ),
    "DonThu": letters(27, D(2025, 1, 5)),
    "MotCua": dossiers((1, 20, 6, 25, 1, 0), (2, 20, 5, 20, 4, 1), (3, 24, 5, 25, 4, 0)),
}
LAST_YEAR: dict[str, list[list[Any]]] = {
    "TiepCongDan": visits(
        (D(2023, 12, 14), 9, "Q"),
        (D(2023, 12, 15), 3, "X"),
        (D(2023, 12, 31), 3, "X"),
        (D(2024, 2, 5), 4, None),
        (D(2024, 3, 15), 9, "R"),
        (D(2024, 12, 15), 9, "S"),
    ),
    "DonThu": letters(30, D(2024, 1, 5)),
    "MotCua": dossiers((1, 16, 6, 10, 1, 0), (2, 16, 5, 10, 2, 1), (3, 16, 5, 15, 1, 0)),
}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """(this year's workbook, last year's workbook), named so that no file name tells."""
    return (
        book(tmp_path / "so_nay.xlsx", 2025, THIS_YEAR),
        book(tmp_path / "so_cu.xlsx", 2024, LAST_YEAR),
    )


def figures_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["figures", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def docx_paragraphs(path: Path) -> list[str]:
    return [flat(p.text) for p in Document(str(path)).paragraphs if p.text.strip()]


# --- phrases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "word", "text", "change"),
    [
        (65, 53, "lượt", "tăng 12 lượt (22,6%) so với cùng kỳ năm 2023", "tăng 12 lượt (22,6%)"),
        (27, 30, "đơn", "giảm 03 đơn (10,0%) so với cùng kỳ năm 2023", "giảm 03 đơn (10,0%)"),
        (30, 30, "đơn", "bằng cùng kỳ năm 2023", "bằng cùng kỳ"),
        (5, 0, "lượt", "tăng 05 lượt so với cùng kỳ năm 2023", "tăng 05 lượt"),
        (0, 0, "hồ sơ", "bằng cùng kỳ năm 2023", "bằng cùng kỳ"),
        (
            0,
            7,
            "vụ việc",
            "giảm 07 vụ việc (100,0%) so với cùng kỳ năm 2023",
            "giảm 07 vụ việc (100,0%)",
        ),
        (
            2468,
            1234,
            "hồ sơ",
            "tăng 1.234 hồ sơ (100,0%) so với cùng kỳ năm 2023",
            "tăng 1.234 hồ sơ (100,0%)",
        ),
        (
            1235,
            1,
            "hồ sơ",
            "tăng 1.234 hồ sơ (123.400,0%) so với cùng kỳ năm 2023",
            "tăng 1.234 hồ sơ (123.400,0%)",
        ),
        # 1/16 = 6,25% -> 6,3% (half up); 2/3 = 66,66…% -> 66,7%; 1/3 = 33,33…% -> 33,3%
        (17, 16, "người", "tăng 01 người (6,3%) so với cùng kỳ năm 2023", "tăng 01 người (6,3%)"),
        (1, 3, "người", "giảm 02 người (66,7%) so với cùng kỳ năm 2023", "giảm 02 người (66,7%)"),
    ],
)
def test_count_phrases(current: int, previous: int, word: str, text: str, change: str) -> None:
    phrase = count_phrase(current, previous, word, 2023)
    assert phrase == text
    assert phrase.change == change
    assert phrase.previous == previous
    assert phrase.difference == current - previous


def test_count_phrase_percent_and_leading_zero_switch() -> None:
    phrase = count_phrase(27, 30, "đơn", 2023, leading_zero=False)
    assert phrase == "giảm 3 đơn (10,0%) so với cùng kỳ năm 2023"
    assert phrase.percent == 10.0
    assert count_phrase(5, 0, "lượt", 2023).percent is None


@pytest.mark.parametrize(
    ("current", "previous", "text"),
    [
        (98.75, 97.5, "tăng 1,25 điểm phần trăm so với cùng kỳ năm 2023"),
        (97.5, 98.0, "giảm 0,5 điểm phần trăm so với cùng kỳ năm 2023"),
        (80.0, 75.0, "tăng 5 điểm phần trăm so với cùng kỳ năm 2023"),
        (64.38, 64.38, "bằng cùng kỳ năm 2023"),
        (0.01, 0.0, "tăng 0,01 điểm phần trăm so với cùng kỳ năm 2023"),
        (64.38, 63.39, "tăng 0,99 điểm phần trăm so với cùng kỳ năm 2023"),
    ],
)
def test_rate_phrases(current: float, previous: float, text: str) -> None:
    assert rate_phrase(current, previous, 2023) == text


def test_every_compared_figure_has_the_keys_of_the_figures() -> None:
    from danvan_cli.figures import DossierCounts, PetitionFigures, ReceptionFigures

    fields = {
        "reception": ReceptionFigures.model_fields,
        "petitions": PetitionFigures.model_fields,
        "dossiers": DossierCounts.model_fields,
    }
    for group, words in compare.COMPARED.items():
        assert set(words) <= set(fields[group]), group


# --- the previous period -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "year", "window", "start", "end"),
    [
        ("q1", 2025, "nd09", D(2023, 12, 15), D(2024, 3, 14)),
        ("9m", 2024, "nd09", D(2022, 12, 15), D(2023, 9, 14)),
        ("t12", 2024, "nd09", D(2023, 11, 15), D(2023, 12, 14)),
        ("6m", 2025, "calendar", D(2024, 1, 1), D(2024, 6, 30)),
        ("t2", 2025, "calendar", D(2024, 2, 1), D(2024, 2, 29)),
    ],
)
def test_previous_period_keeps_the_code_and_window(
    code: str, year: int, window: str, start: dt.date, end: dt.date
) -> None:
    previous = previous_period(parse_period(code, year, window))
    assert (previous.code, previous.year, previous.window) == (code, year - 1, window)
    assert (previous.start, previous.end) == (start, end)


def test_previous_of_a_leap_day_window() -> None:
    period = parse_period("q1", 2024, "custom", D(2024, 2, 29), D(2024, 3, 31))
    previous = previous_period(period)
    assert (previous.window, previous.start, previous.end) == (
        "custom",
        D(2023, 2, 28),
        D(2023, 3, 31),
    )
    ending = previous_period(parse_period("t2", 2024, "custom", D(2024, 2, 1), D(2024, 2, 29)))
    assert (ending.start, ending.end) == (D(2023, 2, 1), D(2023, 2, 28))


# --- figures --json ------------------------------------------------------------------------


def test_previous_block_of_the_hand_worked_pair(runner: CliRunner, pair: tuple[Path, Path]) -> None:
    current, last = pair
    data = figures_json(runner, str(current), "--period", "q1", "--so-sanh", str(last))
    previous = data["previous"]
    assert list(previous) == ["year", "period", "reception", "petitions", "dossiers"]
    assert previous["year"] == 2024
    assert previous["period"] == {
        "code": "q1",
        "year": 2024,
        "window": "nd09",
        "start": "2023-12-15",
        "end": "2024-03-14",
        "label": "quý I năm 2024",
        "next_label": "quý II năm 2024",
    }
    reception = previous["reception"]
    assert (reception["visits"], reception["people"], reception["cases"], reception["groups"]) == (
        3,
        10,
        2,
        0,
    )
    assert previous["petitions"]["received"] == 30
    dossiers = previous["dossiers"]
    assert (dossiers["received"], dossiers["online"], dossiers["resolved"]) == (64, 48, 40)
    assert (dossiers["online_rate"], dossiers["on_time_rate"]) == (75.0, 97.5)
    # exactly the keys of the current figures, nested ones included
    for group in ("reception", "petitions", "dossiers"):
        assert set(previous[group]) == set(data[group]), group
    assert set(dossiers["by_field"][0]) == set(data["dossiers"]["by_field"][0])
    # this year's, worked out the same way
    assert (
        data["reception"]["visits"],
        data["reception"]["people"],
        data["reception"]["cases"],
    ) == (4, 10, 3)
    assert (data["dossiers"]["online_rate"], data["dossiers"]["on_time_rate"]) == (80.0, 98.75)


def test_current_figures_never_change_with_a_comparison(
    runner: CliRunner, pair: tuple[Path, Path]
) -> None:
    current, last = pair
    alone = figures_json(runner, str(current), "--period", "q1")
    compared = figures_json(runner, str(current), "--period", "q1", "--so-sanh", str(last))
    assert alone["previous"] is None
    assert compared["previous"] is not None
    compared["previous"] = None
    assert compared == alone


def test_leap_day_window_shifted_back(runner: CliRunner, tmp_path: Path) -> None:
    current = book(tmp_path / "a.xlsx", 2024, {"TiepCongDan": visits((D(2024, 2, 29), 1, None))})
    last = book(
        tmp_path / "b.xlsx",
        2023,
        {
            "TiepCongDan": visits(
                (D(2023, 2, 27), 1, None),
                (D(2023, 2, 28), 2, None),
                (D(2023, 3, 31), 3, None),
                (D(2023, 4, 1), 4, None),
            )
        },
    )
    data = figures_json(
        runner,
        str(current),
        "-p",
        "q1",
        "--from",
        "29/2/2024",
        "--to",
        "31/3/2024",
        "--so-sanh",
        str(last),
    )
    period = data["previous"]["period"]
    assert (period["window"], period["start"], period["end"]) == (
        "custom",
        "2023-02-28",
        "2023-03-31",
    )
    assert (data["previous"]["reception"]["visits"], data["previous"]["reception"]["people"]) == (
        2,
        5,
    )


def test_danvan_toml_names_last_years_workbook(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, last = pair
    folder = tmp_path / "nam_truoc"
    folder.mkdir()
    last.rename(folder / "so_2024.xlsx")
    (tmp_path / "danvan.toml").write_text(
        '[danvan]\nworkbook = "so_nay.xlsx"\nperiod = "q1"\nso_sanh = "nam_truoc/so_2024.xlsx"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert figures_json(runner)["previous"]["reception"]["visits"] == 3
    assert figures_json(runner, "so_nay.xlsx")["previous"]["year"] == 2024
    # another workbook named on the command line is not compared with this folder's
    other = book(tmp_path / "khac.xlsx", 2025, name="An Hòa")
    assert figures_json(runner, str(other))["previous"] is None


def test_units_match_whatever_the_spelling(runner: CliRunner, tmp_path: Path) -> None:
    """Case, spacing, the kind repeated in the name, the province's prefix: one unit (the rule
    that finds a batch's duplicates, unit_identity.py)."""
    current = book(tmp_path / "a.xlsx", 2025)
    last = book(tmp_path / "b.xlsx", 2024, name="xã  TÂN HƯNG", kind="xa", province="TP. Hải Phòng")
    assert (
        figures_json(runner, str(current), "-p", "q1", "--so-sanh", str(last))["previous"]["year"]
        == 2024
    )


@pytest.mark.parametrize(("name", "shown"), [("Tấn Hưng", "Tấn Hưng"), ("TAN HUNG", "TAN HUNG")])
def test_tone_marks_make_another_unit(
    runner: CliRunner, tmp_path: Path, name: str, shown: str
) -> None:
    """Tân Hưng and Tấn Hưng are two communes: last year's workbook of the one never serves the
    other, however close the names."""
    current = book(tmp_path / "a.xlsx", 2025)
    last = book(tmp_path / "b.xlsx", 2024, name=name)
    result = runner.invoke(app, ["figures", str(current), "-p", "q1", "--so-sanh", str(last)])
    assert result.exit_code == 1
    assert (
        f"Sổ so sánh (năm trước) «b.xlsx» là sổ của Xã {shown} (Hải Phòng), không phải của Xã "
        "Tân Hưng (Hải Phòng): cần sổ năm 2024 của chính đơn vị này."
    ) in flat(result.output)


# --- wrong comparison workbooks ------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "title"),
    [
        ({"name": "An Hòa"}, "Xã An Hòa (Hải Phòng)"),
        ({"kind": "Phường"}, "Phường Tân Hưng (Hải Phòng)"),
        ({"province": "Thái Bình"}, "Xã Tân Hưng (Thái Bình)"),
    ],
)
def test_another_units_workbook_is_refused(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path, unit: dict[str, str], title: str
) -> None:
    current, _ = pair
    other = book(tmp_path / "khac_2024.xlsx", 2024, LAST_YEAR, **unit)
    for command in (["figures"], ["build", "-o", str(tmp_path / "r.docx")]):
        result = runner.invoke(app, [*command, str(current), "-p", "q1", "--so-sanh", str(other)])
        assert result.exit_code == 1
        no_traceback(result)
        assert (
            f"Sổ so sánh (năm trước) «khac_2024.xlsx» là sổ của {title}, không phải của Xã Tân "
            "Hưng (Hải Phòng): cần sổ năm 2024 của chính đơn vị này."
        ) in flat(result.output)
    assert not (tmp_path / "r.docx").exists()


def test_the_same_years_workbook_is_refused(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    result = runner.invoke(
        app,
        [
            "build",
            str(current),
            "-p",
            "q1",
            "--so-sanh",
            str(current),
            "-o",
            str(tmp_path / "r.docx"),
        ],
    )
    assert result.exit_code == 1
    no_traceback(result)
    assert (
        "Sổ so sánh (năm trước) «so_nay.xlsx» là sổ năm 2025, không phải năm trước của năm báo "
        "cáo 2025: cần sổ năm 2024 của Xã Tân Hưng (Hải Phòng)."
    ) in flat(result.output)
    assert not (tmp_path / "r.docx").exists()


def broken_last_year(tmp_path: Path) -> Path:
    """Last year's workbook with one error: Số người 0 on TiepCongDan's second visit (row 3)."""
    broken = dict(LAST_YEAR)
    broken["TiepCongDan"] = [
        *visits((D(2024, 1, 2), 1, None)),
        [D(2024, 1, 3), "Thường xuyên", 0, None, "Kiến nghị"],
    ]
    return book(tmp_path / "so_loi.xlsx", 2024, broken)


def test_a_comparison_workbook_with_errors_is_refused_and_listed(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    last = broken_last_year(tmp_path)
    result = runner.invoke(
        app,
        ["build", str(current), "-p", "q1", "--so-sanh", str(last), "-o", str(tmp_path / "r.docx")],
    )
    assert result.exit_code == 1
    no_traceback(result)
    text = flat(result.output)
    assert "Sổ so sánh (năm trước) «so_loi.xlsx» có 1 lỗi, chưa lập được báo cáo:" in text
    assert "TiepCongDan!C3 (Số người):" in text
    assert f'Xem đủ bằng: danvan validate "{last}"' in text
    assert not (tmp_path / "r.docx").exists()


def test_an_unreadable_comparison_workbook_is_named(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    missing = tmp_path / "khong_co.xlsx"
    result = runner.invoke(app, ["figures", str(current), "-p", "q1", "--so-sanh", str(missing)])
    assert result.exit_code == 1
    no_traceback(result)
    assert f"Sổ so sánh (năm trước) «khong_co.xlsx»: Không tìm thấy tệp «{missing}»." in flat(
        result.output
    )


def test_the_main_workbooks_errors_come_first(runner: CliRunner, tmp_path: Path) -> None:
    current = write_workbook(tmp_path / "a.xlsx", {"ThongTin": info(2025)[:-1]})
    result = runner.invoke(
        app, ["figures", str(current), "-p", "q1", "--so-sanh", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 1
    assert "Sổ «a.xlsx» có 1 lỗi" in flat(result.output)
    assert "so sánh" not in result.output


# --- the report ----------------------------------------------------------------------------


def build(runner: CliRunner, current: Path, out: Path, *args: str) -> list[str]:
    result = runner.invoke(
        app, ["build", str(current), "-p", "q1", "--date", "20/3/2025", "-o", str(out), *args]
    )
    assert result.exit_code == 0, result.output
    return docx_paragraphs(out)


def test_report_says_how_the_key_figures_moved(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, last = pair
    text = build(runner, current, tmp_path / "r.docx", "--so-sanh", str(last))
    assert (
        "Số hồ sơ tiếp nhận tăng 16 hồ sơ (25,0%) so với cùng kỳ năm 2024; tỷ lệ hồ sơ tiếp "
        "nhận trực tuyến tăng 5 điểm phần trăm; tỷ lệ hồ sơ giải quyết đúng hạn tăng 1,25 điểm "
        "phần trăm."
    ) in text
    assert (
        "Số lượt tiếp công dân tăng 01 lượt (33,3%) so với cùng kỳ năm 2024; số người bằng cùng "
        "kỳ; số vụ việc tăng 01 vụ việc (50,0%)."
    ) in text
    assert (
        "Đã tiếp nhận 27 đơn, giảm 03 đơn (10,0%) so với cùng kỳ năm 2024; đã xử lý 27 đơn; số "
        "đơn đủ điều kiện xử lý 27 đơn (kiến nghị: 27 đơn)."
    ) in text
    # each comparison stands in its section: b) dossiers, c) reception and letters
    b = next(i for i, p in enumerate(text) if p.startswith("b) Về cải cách thủ tục hành chính"))
    c = next(i for i, p in enumerate(text) if p.startswith("c) Công tác đối thoại"))
    dossiers = next(i for i, p in enumerate(text) if p.startswith("Số hồ sơ tiếp nhận"))
    visits_at = next(i for i, p in enumerate(text) if p.startswith("Số lượt tiếp công dân"))
    assert b < dossiers < c < visits_at


def test_no_comparison_words_without_last_years_workbook(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    text = " ".join(build(runner, current, tmp_path / "r.docx"))
    assert "Đã tiếp nhận 27 đơn; đã xử lý 27 đơn" in text
    for words in (
        "cùng kỳ",
        "so với",
        "điểm phần trăm",
        "Số lượt tiếp công dân",
        "Số hồ sơ tiếp nhận",
    ):
        assert words not in text


def test_report_when_last_year_had_nothing(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    empty = book(tmp_path / "trong.xlsx", 2024)
    text = build(runner, current, tmp_path / "r.docx", "--so-sanh", str(empty), "--no-leading-zero")
    # no percentage against a zero; no rate comparison when last year had no dossiers
    assert "Số hồ sơ tiếp nhận tăng 80 hồ sơ so với cùng kỳ năm 2024." in text
    assert (
        "Số lượt tiếp công dân tăng 4 lượt so với cùng kỳ năm 2024; số người tăng 10 người; số "
        "vụ việc tăng 3 vụ việc."
    ) in text
    assert "Đã tiếp nhận 27 đơn, tăng 27 đơn so với cùng kỳ năm 2024; đã xử lý 27 đơn" in " ".join(
        text
    )


def test_report_when_this_year_has_nothing(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    _, last = pair
    empty = book(tmp_path / "trong.xlsx", 2025)
    text = build(runner, empty, tmp_path / "r.docx", "--so-sanh", str(last))
    assert (
        "Trong kỳ, UBND xã chưa tiếp nhận đơn nào, giảm 30 đơn (100,0%) so với cùng kỳ năm 2024."
        in text
    )
    assert "Số hồ sơ tiếp nhận giảm 64 hồ sơ (100,0%) so với cùng kỳ năm 2024." in text
    assert (
        "Số lượt tiếp công dân giảm 03 lượt (100,0%) so với cùng kỳ năm 2024; số người giảm 10 "
        "người (100,0%); số vụ việc giảm 02 vụ việc (100,0%)."
    ) in text


def test_a_rate_that_falls_by_a_fraction_of_a_point(runner: CliRunner, tmp_path: Path) -> None:
    # This year 200 online of 200 received, 199 of 200 resolved in time: 99,5%; last year
    # 100 of 100, 100 of 100: 100%. The online rate holds; on time falls 0,5 point.
    current = book(tmp_path / "a.xlsx", 2025, {"MotCua": dossiers((1, 200, 0, 150, 49, 1))})
    last = book(tmp_path / "b.xlsx", 2024, {"MotCua": dossiers((1, 100, 0, 100, 0, 0))})
    text = build(runner, current, tmp_path / "r.docx", "--so-sanh", str(last))
    assert (
        "Số hồ sơ tiếp nhận tăng 100 hồ sơ (100,0%) so với cùng kỳ năm 2024; tỷ lệ hồ sơ tiếp "
        "nhận trực tuyến bằng cùng kỳ; tỷ lệ hồ sơ giải quyết đúng hạn giảm 0,5 điểm phần trăm."
    ) in text


# --- the template stays editable -----------------------------------------------------------


def test_a_clerk_may_move_the_phrases(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, last = pair
    path = custom_template(
        tmp_path,
        "Tiếp {{ reception.visits|dem }} lượt công dân, {{ compare.reception.visits }}.",
        "{% if compare.available %}So với {{ compare.label }}: đơn "
        "{{ compare.petitions.received.change }}"
        " (năm trước {{ compare.petitions.received.previous|dem }} đơn).{% endif %}",
    )
    assert check_template(path).errors == []
    text = build(
        runner, current, tmp_path / "r.docx", "--so-sanh", str(last), "--template", str(path)
    )
    assert text == [
        "Tiếp 04 lượt công dân, tăng 01 lượt (33,3%) so với cùng kỳ năm 2024.",
        "So với cùng kỳ năm 2024: đơn giảm 03 đơn (10,0%) (năm trước 30 đơn).",
    ]
    # without last year's workbook the same template prints no comparison at all
    text = build(runner, current, tmp_path / "r2.docx", "--template", str(path))
    assert text == ["Tiếp 04 lượt công dân, ."]


def test_template_check_knows_the_comparison_names(tmp_path: Path) -> None:
    fine = custom_template(
        tmp_path, "{{ compare.dossiers.on_time_rate.change }} {{ previous.year if previous }}"
    )
    assert check_template(fine).errors == []
    wrong = custom_template(tmp_path, "{{ compare.reception.visit }}")
    assert any("«visit»" in problem for problem in check_template(wrong).errors)


# --- figures (text) ------------------------------------------------------------------------


def test_figures_table_shows_last_year_and_the_change(
    runner: CliRunner, pair: tuple[Path, Path]
) -> None:
    current, last = pair
    result = runner.invoke(app, ["figures", str(current), "-p", "q1", "--so-sanh", str(last)])
    assert result.exit_code == 0, result.output
    lines = [flat(line.replace("│", "|")) for line in result.stdout.splitlines()]
    assert "So với cùng kỳ: quý I năm 2024 (số liệu từ 15/12/2023 đến 14/3/2024)" in lines
    assert any("Cùng kỳ" in line and "Tăng, giảm" in line for line in lines)
    assert "| Tiếp công dân | Lượt tiếp | 4 | 3 | tăng 1 lượt (33,3%) |" in lines
    assert "| | Số người | 10 | 10 | bằng cùng kỳ |" in lines
    assert "| | Đoàn đông người | 1 | 0 | tăng 1 đoàn |" in lines
    assert "| Đơn thư | Đơn tiếp nhận | 27 | 30 | giảm 3 đơn (10,0%) |" in lines
    assert "| | Tỷ lệ đúng hạn | 98,75% | 97,5% | tăng 1,25 điểm phần trăm |" in lines
    alone = runner.invoke(app, ["figures", str(current), "-p", "q1"])
    assert "Cùng kỳ" not in alone.stdout and "Tăng, giảm" not in alone.stdout


# --- batch --so-sanh DIR --------------------------------------------------------------------


@pytest.fixture
def communes(tmp_path: Path) -> tuple[Path, Path]:
    """This year's folder: Tân Hưng (the pair), An Hòa (no workbook last year), Vĩnh An (last
    year's workbook has an error). Last year's folder: Tân Hưng's 2024 and 2023 workbooks under
    misleading names, Vĩnh An's broken one, and a file that is no workbook."""
    now, before = tmp_path / "nam_nay", tmp_path / "nam_truoc"
    now.mkdir()
    before.mkdir()
    book(now / "01.xlsx", 2025, THIS_YEAR)
    book(now / "02.xlsx", 2025, {"DonThu": letters(5, D(2025, 2, 1))}, name="An Hòa")
    book(now / "03.xlsx", 2025, {"DonThu": letters(4, D(2025, 2, 1))}, name="Vĩnh An")
    book(before / "an_hoa_2024.xlsx", 2024, LAST_YEAR)  # Tân Hưng's, whatever its name says
    book(before / "tan_hung_2023.xlsx", 2023, LAST_YEAR)
    broken = {"DonThu": [*letters(1, D(2024, 2, 1)), [D(2024, 2, 2), "Không rõ", "x", "x"]]}
    book(before / "vinh_an.xlsx", 2024, broken, name="Vĩnh An")
    (before / "ghi_chu.xlsx").write_bytes(b"not a workbook")
    return now, before


def batch_args(now: Path, before: Path, out: Path) -> list[str]:
    return ["batch", str(now), "-p", "q1", "--so-sanh", str(before), "-o", str(out), "-j", "1"]


def test_batch_compares_each_commune_with_its_own_workbook(
    runner: CliRunner, communes: tuple[Path, Path], tmp_path: Path
) -> None:
    now, before = communes
    out = tmp_path / "out"
    result = runner.invoke(app, batch_args(now, before, out))
    assert result.exit_code == 1, result.output  # Vĩnh An failed
    no_traceback(result)
    text = flat(result.output)
    assert "Đã lập 2/3 báo cáo; 1 sổ lỗi." in text
    assert "Sổ so sánh (năm trước) «vinh_an.xlsx» có 1 lỗi" in text
    assert "So sánh với cùng kỳ: 1/2 đơn vị có sổ năm trước; chưa so sánh: Xã An Hòa." in text
    assert (
        "Không đọc được thông tin đơn vị (trang ThongTin) của 1 sổ" in text
        and "ghi_chu.xlsx" in text
    )
    report = docx_paragraphs(out / "bao_cao_dan_van_xa_tan_hung_q1_2025.docx")
    assert (
        "Đã tiếp nhận 27 đơn, giảm 03 đơn (10,0%) so với cùng kỳ năm 2024; đã xử lý 27 đơn; số "
        "đơn đủ điều kiện xử lý 27 đơn (kiến nghị: 27 đơn)." in report
    )
    an_hoa = " ".join(docx_paragraphs(out / "bao_cao_dan_van_xa_an_hoa_q1_2025.docx"))
    assert "cùng kỳ" not in an_hoa


def test_batch_matches_last_year_by_the_duplicates_rule(runner: CliRunner, tmp_path: Path) -> None:
    """Last year's Tân Hưng, spelt "xã TÂN HƯNG" in "TP. Hải Phòng", is Tân Hưng's; Tấn Hưng
    (another tone) is another commune: built, counted, not compared with Tân Hưng's year."""
    now, before, out = tmp_path / "nam_nay", tmp_path / "nam_truoc", tmp_path / "out"
    now.mkdir()
    before.mkdir()
    book(now / "01.xlsx", 2025, THIS_YEAR)
    book(now / "02.xlsx", 2025, {"DonThu": letters(5, D(2025, 2, 1))}, name="Tấn Hưng")
    book(before / "so_cu.xlsx", 2024, LAST_YEAR, name="xã TÂN HƯNG", province="TP. Hải Phòng")
    result = runner.invoke(app, batch_args(now, before, out))
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in text
    assert "So sánh với cùng kỳ: 1/2 đơn vị có sổ năm trước; chưa so sánh: Xã Tấn Hưng." in text
    _, rows, notes = _summary(out / "tong_hop_q1_2025.xlsx")
    assert _three(rows["01.xlsx"], "Đơn thư", "Tiếp nhận") == [27, 30, -3]
    assert _three(rows["02.xlsx"], "Đơn thư", "Tiếp nhận") == [5, None, None]
    assert (notes["02.xlsx"]["Đơn vị"], notes["02.xlsx"]["Trạng thái"]) == ("Xã Tấn Hưng", "Đã lập")


Cells = dict[tuple[str, str, str], Any]


def _summary(path: Path) -> tuple[Any, dict[str, Cells], dict[str, dict[str, Any]]]:
    """(sheet, figure cells by source file name then (group, figure, part), the fixed cells by
    source file name); a totals row under its label ("Tổng cộng (2 đơn vị)")."""
    sheet = load_workbook(path).active
    fixed = {sheet.cell(row=5, column=c).value: c for c in range(1, 7)}
    parts: dict[int, tuple[str, str, str]] = {}
    group = title = ""
    for column in range(7, sheet.max_column):
        group = sheet.cell(row=5, column=column).value or group
        title = sheet.cell(row=6, column=column).value or title
        part = sheet.cell(row=7, column=column).value or summary.THIS_YEAR
        parts[column] = (group, title, part)
    rows: dict[str, Cells] = {}
    notes: dict[str, dict[str, Any]] = {}
    for row in range(summary.COMPARED_FIRST_DATA_ROW, sheet.max_row + 1):
        name = sheet.cell(row=row, column=fixed["Tệp nguồn"]).value
        name = name or str(sheet.cell(row=row, column=fixed["Đơn vị"]).value)  # a totals row
        rows[name] = {key: sheet.cell(row=row, column=c).value for c, key in parts.items()}
        notes[name] = {key: sheet.cell(row=row, column=c).value for key, c in fixed.items()}
    return sheet, rows, notes


PARTS = (summary.THIS_YEAR, summary.LAST_YEAR, summary.CHANGE)


def _three(cells: Cells, group: str, title: str) -> list[Any]:
    return [cells[(group, title, part)] for part in PARTS]


def test_batch_summary_has_last_year_and_the_change_with_totals(
    runner: CliRunner, communes: tuple[Path, Path], tmp_path: Path
) -> None:
    now, before = communes
    (now / "03.xlsx").unlink()  # leave out the failure: two built, one compared
    out = tmp_path / "out"
    assert runner.invoke(app, batch_args(now, before, out)).exit_code == 0
    sheet, rows, notes = _summary(out / "tong_hop_q1_2025.xlsx")
    assert "1/2 đơn vị so sánh được với cùng kỳ năm trước" in sheet["A3"].value
    assert sheet.print_title_rows == "$5:$7" and sheet.freeze_panes == "C8"
    tan_hung, an_hoa = rows["01.xlsx"], rows["02.xlsx"]
    total = rows["Tổng cộng (2 đơn vị)"]
    compared = rows["Trong đó so sánh được với cùng kỳ (1 đơn vị)"]
    visits, letters_in, dossiers_in = (
        ("Tiếp công dân", "Lượt tiếp"),
        ("Đơn thư", "Tiếp nhận"),
        ("Hồ sơ một cửa", "Tiếp nhận"),
    )
    on_time = ("Hồ sơ một cửa", "Tỷ lệ đúng hạn (%)")
    online = ("Hồ sơ một cửa", "Tỷ lệ trực tuyến (%)")
    assert _three(tan_hung, *visits) == [4, 3, 1]
    assert _three(tan_hung, "Tiếp công dân", "Số người") == [10, 10, 0]
    assert _three(tan_hung, *letters_in) == [27, 30, -3]
    assert _three(tan_hung, *dossiers_in) == [80, 64, 16]
    assert _three(tan_hung, *on_time) == [98.75, 97.5, 1.25]
    assert _three(tan_hung, *online) == [80, 75, 5]
    assert _three(an_hoa, *letters_in) == [5, None, None]
    assert _three(an_hoa, *dossiers_in) == [0, None, None]
    assert notes["02.xlsx"]["Lý do, ghi chú"] == (  # its data first (SPEC §6), then last year
        "Sổ không có các trang «TiepCongDan», «MotCua», «ThuTuc», «VanBan», «MoHinh», "
        "«NoiDung»: số liệu của các trang đó tính bằng 0. "
        "Trang ThongTin chưa ghi «Người ký»: báo cáo sẽ để trống tên người ký. "
        "Số liệu có thể chưa đủ: sổ đơn thư ghi đến 5/2/2025; kỳ báo cáo đến 14/3/2025. "
        "Số liệu có thể chưa đủ: trang MotCua không có dòng nào cho các tháng của kỳ báo cáo "
        f"(tháng 1–3 năm 2025). Không có sổ năm 2024 của đơn vị trong «{before}»: chưa so "
        "sánh với cùng kỳ."
    )
    assert notes["02.xlsx"]["Trạng thái"] == "Đã lập"
    # totals: this year over both communes; last year and the change on a row of their own,
    # over the one compared commune (Tân Hưng), with this year's figures of that commune only
    assert _three(total, *letters_in) == [32, None, None]
    assert _three(total, *dossiers_in) == [80, None, None]
    assert _three(compared, *letters_in) == [27, 30, -3]
    assert _three(compared, *dossiers_in) == [80, 64, 16]
    assert _three(compared, *visits) == [4, 3, 1]
    assert _three(compared, *on_time) == [98.75, 97.5, 1.25]
    assert "«Trong đó so sánh được với cùng kỳ» cộng riêng các đơn vị đó" in sheet["A3"].value
    # the catalogue is not compared: one column each
    assert ("Thủ tục hành chính", "Số TTHC", summary.THIS_YEAR) in total
    assert ("Thủ tục hành chính", "Số TTHC", summary.LAST_YEAR) not in total
    change_cell = next(
        c for c in range(7, sheet.max_column) if sheet.cell(row=7, column=c).value == summary.CHANGE
    )
    assert sheet.cell(row=8, column=change_cell).number_format == summary.CHANGE_FORMAT


def test_batch_without_so_sanh_keeps_its_summary(
    runner: CliRunner, communes: tuple[Path, Path], tmp_path: Path
) -> None:
    now, _ = communes
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(now), "-p", "q1", "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "So sánh với cùng kỳ" not in result.output
    sheet = load_workbook(out / "tong_hop_q1_2025.xlsx").active
    assert sheet.print_title_rows == "$5:$6"
    assert "Cùng kỳ" not in [
        sheet.cell(row=r, column=c).value for r in (5, 6, 7) for c in range(1, sheet.max_column + 1)
    ]


def test_batch_so_sanh_must_be_a_folder(
    runner: CliRunner, communes: tuple[Path, Path], tmp_path: Path
) -> None:
    now, before = communes
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(now), "-p", "q1", "--so-sanh", str(before / "x"), "-o", str(out)]
    )
    assert result.exit_code == 2
    no_traceback(result)
    assert f"--so-sanh «{before / 'x'}»: không có thư mục này" in flat(result.output)
    assert not out.exists()


def test_batch_so_sanh_given_a_workbook_says_it_is_a_file(
    runner: CliRunner, communes: tuple[Path, Path], tmp_path: Path
) -> None:
    now, before = communes
    workbook = next(before.glob("*.xlsx"))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["batch", str(now), "-p", "q1", "--so-sanh", str(workbook), "-o", str(out)]
    )
    assert result.exit_code == 2
    no_traceback(result)
    assert flat(result.output) == (
        f"Lỗi: --so-sanh «{workbook}» là một tệp: với batch, --so-sanh là thư mục chứa sổ năm "
        "trước của các xã, phường (mỗi xã được ghép với sổ của chính nó). Để so sánh một sổ, "
        "dùng build hoặc figures với --so-sanh."
    )
    assert not out.exists()


def test_last_years_workbooks_are_matched_by_their_thongtin_alone(tmp_path: Path) -> None:
    from danvan_cli.batch import find_previous
    from danvan_cli.reading import read_unit

    broken_log = {"TiepCongDan": [*visits(), [D(2024, 1, 3), "Thường xuyên", 0, None, "?"]]}
    path = book(tmp_path / "x.xlsx", 2024, broken_log, name="Xã Vĩnh An")
    unit = read_unit(path)
    assert unit is not None and (unit.name, unit.year) == ("Xã Vĩnh An", 2024)
    (tmp_path / "y.xlsx").write_bytes(b"PK not really")
    write_workbook(tmp_path / "z.xlsx", {"ThongTin": info(2024)[:-1]})  # no Năm
    assert read_unit(tmp_path / "y.xlsx") is None and read_unit(tmp_path / "z.xlsx") is None
    found = find_previous(tmp_path)
    assert list(found.found.values()) == [(path,)]
    assert sorted(p.name for p in found.unreadable) == ["y.xlsx", "z.xlsx"]


def test_two_workbooks_of_one_unit_and_year_are_not_guessed_between(tmp_path: Path) -> None:
    from danvan_cli.batch import find_previous
    from danvan_cli.reading import read_unit

    first = book(tmp_path / "a.xlsx", 2024)
    book(tmp_path / "b.xlsx", 2024, name="TÂN HƯNG")
    older = book(tmp_path / "c.xlsx", 2023)
    found = find_previous(tmp_path)
    unit = read_unit(first)
    assert unit is not None
    assert found.match(unit, 2024) == (
        None,
        f"Có 2 sổ năm 2024 của đơn vị trong «{tmp_path}» («a.xlsx», «b.xlsx»), không rõ dùng sổ "
        "nào: chưa so sánh với cùng kỳ.",
    )
    assert found.match(unit, 2023) == (older, "")


# --- validate --so-sanh (SPEC §5: validate takes --so-sanh too) --------------------------------


def validate_json(runner: CliRunner, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(app, ["validate", *args, "--json"])
    no_traceback(result)
    return result.exit_code, json.loads(result.output)["files"]


def test_validate_checks_last_years_workbook_too(
    runner: CliRunner, pair: tuple[Path, Path]
) -> None:
    current, last = pair
    code, files = validate_json(runner, str(current), "--so-sanh", str(last))
    assert code == 0
    assert [entry["file"] for entry in files] == [str(current), str(last)]
    assert all(entry["errors"] == 0 for entry in files)


def test_validate_names_a_comparison_of_another_unit_or_year(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    other = book(tmp_path / "khac.xlsx", 2024, LAST_YEAR, name="Vĩnh An")
    code, files = validate_json(runner, str(current), "--so-sanh", str(other))
    assert code == 1
    (issue,) = [i for i in files[1]["issues"] if i["severity"] == "error"]
    assert (issue["code"], issue["sheet"], issue["message"]) == (
        "not-comparable",
        "ThongTin",
        "Sổ so sánh (năm trước) «khac.xlsx» là sổ của Xã Vĩnh An (Hải Phòng), không phải của "
        "Xã Tân Hưng (Hải Phòng): cần sổ năm 2024 của chính đơn vị này.",
    )
    code, files = validate_json(runner, str(current), "--so-sanh", str(current))
    assert code == 1
    (issue,) = [i for i in files[1]["issues"] if i["severity"] == "error"]
    assert issue["message"] == (
        "Sổ so sánh (năm trước) «so_nay.xlsx» là sổ năm 2025, không phải năm trước của năm báo "
        "cáo 2025: cần sổ năm 2024 của Xã Tân Hưng (Hải Phòng)."
    )


def test_validate_lists_the_errors_of_last_years_workbook_under_its_name(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    current, _ = pair
    last = broken_last_year(tmp_path)
    result = runner.invoke(app, ["validate", str(current), "--so-sanh", str(last)])
    assert result.exit_code == 1
    text = flat(result.output)
    assert f"{current}: hợp lệ — 0 lỗi" in text
    assert "TiepCongDan!C3 (Số người) — lỗi: Giá trị «0» nhỏ hơn 1" in text
    assert f"{last}: có lỗi — 1 lỗi" in text


def test_last_years_data_stopping_short_is_said(
    runner: CliRunner, pair: tuple[Path, Path], tmp_path: Path
) -> None:
    """Last year's logs must cover last year's period too, or "tăng 40 lượt (307,7%)" would
    compare a whole quarter with a fortnight (SPEC §6, never silently wrong)."""
    current, _ = pair
    short = dict(LAST_YEAR)
    short["TiepCongDan"] = visits((D(2023, 12, 15), 3, "X"), (D(2024, 1, 2), 1, None))
    short["DonThu"] = letters(3, D(2024, 1, 5))
    last = book(tmp_path / "so_ngan.xlsx", 2024, short)
    result = runner.invoke(app, ["figures", str(current), "-p", "q1", "--so-sanh", str(last)])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert (
        "Cảnh báo: Sổ so sánh (năm trước) «so_ngan.xlsx»: Số liệu có thể chưa đủ: sổ tiếp công "
        "dân ghi đến 2/1/2024; kỳ báo cáo đến 14/3/2024."
    ) in text
    assert (
        "Cảnh báo: Sổ so sánh (năm trước) «so_ngan.xlsx»: Số liệu có thể chưa đủ: sổ đơn thư ghi "
        "đến 7/1/2024; kỳ báo cáo đến 14/3/2024."
    ) in text
