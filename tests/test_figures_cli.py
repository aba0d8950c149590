"""``danvan figures`` end to end through the real Typer app: the ``danvan.figures/1`` JSON of the
sample against SPEC §3, the readable table, period options, bad input, and finding the
workbook when FILE is omitted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from support import flat, no_traceback
from typer.testing import CliRunner, Result

from danvan_cli.cli import app

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
SAMPLE = SAMPLE_DIR / "tan_hung_2024.xlsx"
MISTAKES_SAMPLE = SAMPLE_DIR / "loi_mau.xlsx"
CANARIES = ("Nguyễn Văn Canary", "001099012345", "Canary")
"""The sample's planted personal data; "Canary" alone also catches the name written with escapes."""

#: SPEC §3, every key the example gives a value for (``by_field``, ``documents`` and
#: ``models`` are checked separately: the example only sketches them).
EXPECTED: dict[str, Any] = {
    "schema": "danvan.figures/1",
    "unit": {"name": "Tân Hưng", "kind": "Xã", "province": "Hải Phòng", "district": "Vĩnh Bảo"},
    "period": {
        "code": "9m",
        "year": 2024,
        "window": "nd09",
        "start": "2023-12-15",
        "end": "2024-09-14",
        "label": "9 tháng đầu năm 2024",
        "next_label": "3 tháng cuối năm 2024",
    },
    "profile": {
        "area_km2": 7.02,
        "population": 7506,
        "density": 1069,
        "villages": 7,
        "party_members": 288,
        "party_cells": 13,
    },
    "reception": {
        "visits": 53,
        "people": 83,
        "cases": 49,
        "groups": 0,
        "cases_by_kind": {"khieu_nai": 0, "to_cao": 0, "kien_nghi": 49, "phan_anh": 0},
        "by_mode": {
            "thuong_xuyen": {"sessions": 26, "visits": 26, "people": 26, "cases": 26},
            "dinh_ky": {"sessions": 20, "visits": 20, "people": 37, "cases": 17},
            "uy_quyen": {"sessions": 7, "visits": 7, "people": 20, "cases": 6},
            "dot_xuat": {"sessions": 0, "visits": 0, "people": 0, "cases": 0},
        },
    },
    "petitions": {
        "received": 26,
        "processed": 26,
        "eligible": 26,
        "eligible_by_kind": {"khieu_nai": 0, "to_cao": 0, "kien_nghi": 26, "phan_anh": 0},
    },
    "dossiers": {
        "carried_over": 0,
        "received": 320,
        "online": 206,
        "direct": 114,
        "postal": 0,
        "resolved": 320,
        "early": 317,
        "on_time": 0,
        "late": 3,
        "open": 0,
        "open_overdue": 0,
        "online_rate": 64.38,
        "on_time_rate": 99.06,
        "source": "MotCua",
    },
    "procedures": {"total": 120, "fields": 13, "full_online": 47, "partial_online": 9},
    "discipline": {"violations": 0, "attitude_complaints": 0},
}

#: Dossier keys that add up over fields (the rates do not).
COUNT_KEYS = (
    "carried_over",
    "received",
    "online",
    "direct",
    "postal",
    "resolved",
    "early",
    "on_time",
    "late",
    "open",
    "open_overdue",
)
DOCUMENT_KEYS = {"number", "type", "date", "summary", "issuer", "group"}
DOCUMENT_GROUPS = {
    "lanh_dao_chi_dao",
    "tuyen_truyen",
    "cai_cach_hanh_chinh",
    "thu_tuc_hanh_chinh",
    "tiep_cong_dan",
    "dan_van_kheo",
    "phoi_hop_mttq",
}


def figures(runner: CliRunner, *args: str | Path) -> Result:
    return runner.invoke(app, ["figures", *(str(a) for a in args)])


def figures_json(runner: CliRunner, *args: str | Path) -> dict[str, Any]:
    result = figures(runner, *args, "--json")
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


@pytest.fixture
def sample_9m(runner: CliRunner) -> dict[str, Any]:
    return figures_json(runner, SAMPLE, "--period", "9m")


# --- the sample's 9-month figures (SPEC §3) -----------------------------------------------


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_sample_json_matches_spec_example(sample_9m: dict[str, Any], key: str) -> None:
    actual = sample_9m[key]
    if key == "dossiers":
        actual = {k: v for k, v in actual.items() if k != "by_field"}
    assert actual == EXPECTED[key]


def test_json_has_exactly_the_spec_top_level_keys(sample_9m: dict[str, Any]) -> None:
    assert set(sample_9m) == set(EXPECTED) | {"documents", "models", "previous"}
    assert sample_9m["previous"] is None
    assert set(sample_9m["dossiers"]) == set(EXPECTED["dossiers"]) | {"by_field"}


def test_dossiers_by_field(sample_9m: dict[str, Any]) -> None:
    dossiers = sample_9m["dossiers"]
    by_field = dossiers["by_field"]
    scalar_keys = set(EXPECTED["dossiers"]) - {"source"}  # the whole list's, not a field's
    for entry in by_field:
        assert set(entry) == scalar_keys | {"field"}, entry
    # in the order the fields first appear in MotCua (sample_data/README.md)
    assert [(e["field"], e["received"]) for e in by_field] == [
        ("Tư pháp - Hộ tịch", 160),
        ("Chứng thực", 80),
        ("Lao động - Thương binh và Xã hội", 50),
        ("Đất đai", 20),
        ("Văn hóa", 10),
    ]
    for key in COUNT_KEYS:
        assert sum(entry[key] for entry in by_field) == dossiers[key], key


def test_documents(sample_9m: dict[str, Any]) -> None:
    documents = sample_9m["documents"]
    assert len(documents) == 24
    end = sample_9m["period"]["end"]
    for document in documents:
        assert set(document) == DOCUMENT_KEYS, document
        assert document["date"] <= end, document
        assert document["group"] in DOCUMENT_GROUPS, document
        assert all(isinstance(document[key], str) and document[key] for key in DOCUMENT_KEYS)
    cited = {d["number"]: d for d in documents}
    plan = cited["17/KH-UBND"]
    assert plan["type"] == "Kế hoạch"
    assert plan["date"] == "2024-02-22"
    assert plan["issuer"] == "UBND xã Tân Hưng"
    assert plan["group"] == "lanh_dao_chi_dao"
    assert cited["24-KH/DVĐU-UBND"]["type"] == "Kế hoạch"  # Party-style number


def test_documents_after_the_window_are_left_out(runner: CliRunner) -> None:
    payload = figures_json(runner, SAMPLE, "--period", "t1")
    assert payload["period"]["end"] == "2024-01-14"
    assert payload["documents"]
    assert all(d["date"] <= "2024-01-14" for d in payload["documents"])
    assert "17/KH-UBND" not in {d["number"] for d in payload["documents"]}


def test_models(sample_9m: dict[str, Any]) -> None:
    models = sample_9m["models"]
    assert len(models) == 3
    for model in models:
        assert set(model) == {"name", "unit"}
        assert model["name"] and model["unit"]
    assert models[0]["name"] == "Trồng cây xanh"


def test_json_holds_no_personal_data(runner: CliRunner) -> None:
    result = figures(runner, SAMPLE, "--period", "12m", "--json")
    assert result.exit_code == 0
    for canary in CANARIES:
        assert canary not in result.output


# --- the readable table ------------------------------------------------------------------


def table_rows(output: str) -> dict[str, str]:
    """The readable table's rows, indicator -> value (``│ group │ indicator │ value │``)."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
        if len(cells) == 3 and cells[1]:
            rows[cells[1]] = cells[2]
    return rows


def test_readable_table(runner: CliRunner) -> None:
    """The seed's figures (SPEC §3), each on its own row of the table."""
    result = figures(runner, SAMPLE, "--period", "9m")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "Xã Tân Hưng — 9 tháng đầu năm 2024 (số liệu từ 15/12/2023 đến 14/9/2024)"
    )
    rows = table_rows(result.output)
    expected = {
        "Diện tích (km²)": "7,02",
        "Dân số (người)": "7.506",
        "Mật độ (người/km²)": "1.069",
        "Lượt tiếp": "53",
        "Số người": "83",
        "Vụ việc": "49",
        "Vụ việc khiếu nại / tố cáo / kiến nghị / phản ánh": "0 / 0 / 49 / 0",
        "Thường xuyên: buổi / lượt / người / vụ việc": "26 / 26 / 26 / 26",
        "Định kỳ: buổi / lượt / người / vụ việc": "20 / 20 / 37 / 17",
        "Ủy quyền: buổi / lượt / người / vụ việc": "7 / 7 / 20 / 6",
        "Đơn tiếp nhận": "26",
        "Đã xử lý": "26",
        "Đủ điều kiện xử lý": "26",
        "Mới tiếp nhận (trực tuyến / trực tiếp / bưu chính)": "320 (206 / 114 / 0)",
        "Đã giải quyết (trước hạn / đúng hạn / quá hạn)": "320 (317 / 0 / 3)",
        "Tỷ lệ trực tuyến": "64,38%",
        "Tỷ lệ đúng hạn": "99,06%",
        "Số TTHC / lĩnh vực": "120 / 13",
        "DVC toàn trình / một phần": "47 / 9",
    }
    assert {key: rows.get(key) for key in expected} == expected
    for canary in CANARIES:
        assert canary not in result.output
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


# --- periods (SPEC §2) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--period", "q3"],
            ("q3", "nd09", "2024-06-15", "2024-09-14", "quý III năm 2024", "quý IV năm 2024"),
        ),
        (
            ["--period", "t9"],
            ("t9", "nd09", "2024-08-15", "2024-09-14", "tháng 9 năm 2024", "tháng 10 năm 2024"),
        ),
        (
            ["--period", "12m"],
            ("12m", "nd09", "2023-12-15", "2024-12-14", "năm 2024", "năm 2025"),
        ),
        (
            ["--period", "9m", "--window", "calendar"],
            (
                "9m",
                "calendar",
                "2024-01-01",
                "2024-09-30",
                "9 tháng đầu năm 2024",
                "3 tháng cuối năm 2024",
            ),
        ),
        (
            ["--period", "6m", "--from", "1/1/2024", "--to", "30/6/2024"],
            (
                "6m",
                "custom",
                "2024-01-01",
                "2024-06-30",
                "6 tháng đầu năm 2024",
                "6 tháng cuối năm 2024",
            ),
        ),
    ],
    ids=["q3", "t9", "12m", "calendar", "from-to"],
)
def test_period_options(
    runner: CliRunner, args: list[str], expected: tuple[str, str, str, str, str, str]
) -> None:
    payload = figures_json(runner, SAMPLE, *args)
    code, window, start, end, label, next_label = expected
    assert payload["period"] == {
        "code": code,
        "year": 2024,
        "window": window,
        "start": start,
        "end": end,
        "label": label,
        "next_label": next_label,
    }


def test_whole_year_counts_the_late_september_visits(runner: CliRunner) -> None:
    assert figures_json(runner, SAMPLE, "--period", "12m")["reception"]["visits"] == 56


def test_bad_period_code_is_a_usage_error(runner: CliRunner) -> None:
    result = figures(runner, SAMPLE, "--period", "9x")
    assert result.exit_code == 2
    no_traceback(result)
    message = flat(result.output)
    assert "«9x» không hợp lệ" in message
    for code in ("3m", "6m", "9m", "12m", "q1–q4", "t1–t12"):
        assert code in message


def test_from_without_to_is_a_usage_error(runner: CliRunner) -> None:
    result = figures(runner, SAMPLE, "--period", "9m", "--from", "1/1/2024")
    assert result.exit_code == 2
    no_traceback(result)
    assert "--to" in result.output


def test_missing_period_is_a_usage_error(runner: CliRunner) -> None:
    result = figures(runner, SAMPLE)
    assert result.exit_code == 2
    assert "--period" in result.output


# --- a workbook with errors --------------------------------------------------------------


def test_workbook_with_errors_lists_them_by_cell(
    runner: CliRunner, make_samples: ModuleType
) -> None:
    result = figures(runner, MISTAKES_SAMPLE, "--period", "9m", "--json")
    assert result.exit_code == 1
    no_traceback(result)
    assert result.stdout.strip() == ""  # no JSON for a refused workbook
    assert "MotCua!G8" in result.output
    errors = [m for m in make_samples.MISTAKES if m["severity"] == "lỗi"]
    for mistake in errors:
        assert f"{mistake['sheet']}!{mistake['cell']}" in result.output, mistake
    # figures, not a report, is what the errors hold up
    assert f"Lỗi: Sổ «loi_mau.xlsx» có {len(errors)} lỗi, chưa tính được số liệu:" in flat(
        result.output
    )
    assert "báo cáo" not in result.output
    for canary in CANARIES:
        assert canary not in result.output


# --- FILE omitted (SPEC §5) ----------------------------------------------------------------


def test_file_omitted_uses_the_only_workbook_here(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    monkeypatch.chdir(tmp_path)
    payload = figures_json(runner, "--period", "9m")
    assert payload["reception"]["visits"] == 53
    assert payload["dossiers"]["received"] == 320


def test_file_omitted_uses_the_workbook_named_in_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "so_2024.xlsx")
    shutil.copy(MISTAKES_SAMPLE, tmp_path / "loi_mau.xlsx")
    (tmp_path / "danvan.toml").write_text('[danvan]\nworkbook = "so_2024.xlsx"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    payload = figures_json(runner, "--period", "9m")
    assert payload["reception"]["visits"] == 53


def test_file_omitted_with_two_workbooks_and_no_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.xlsx")
    shutil.copy(SAMPLE, tmp_path / "b.xlsx")
    monkeypatch.chdir(tmp_path)
    result = figures(runner, "--period", "9m")
    assert result.exit_code == 2
    no_traceback(result)
    message = flat(result.output)
    assert "nhiều sổ Excel" in message
    assert "a.xlsx" in message and "b.xlsx" in message


def test_file_omitted_in_an_empty_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = figures(runner, "--period", "9m")
    assert result.exit_code == 2
    no_traceback(result)
    assert "danvan init" in flat(result.output)


def test_config_period_lets_period_be_omitted(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SAMPLE, tmp_path / "so_2024.xlsx")
    (tmp_path / "danvan.toml").write_text(
        '[danvan]\nworkbook = "so_2024.xlsx"\nperiod = "9m"\n', "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    payload = figures_json(runner)
    assert payload["period"]["code"] == "9m"
    assert payload["period"]["end"] == "2024-09-14"
    assert payload["reception"]["visits"] == 53
    # --period still wins over the config
    assert figures_json(runner, "--period", "q3")["period"]["code"] == "q3"
