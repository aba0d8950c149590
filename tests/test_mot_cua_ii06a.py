"""MotCua copied from form II.06a/VPCP/KSTT (SPEC §1): the form's "Tổng số" includes "Từ kỳ
trước", and one column "Trực tiếp, dịch vụ bưu chính" holds both paper channels. A typed total
is right when it equals the channels' sum or that sum plus Kỳ trước chuyển sang; only a total
matching neither is flagged, on its own cell."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SAMPLE_DIR, MakeWorkbook

from danvan_cli.figures import compute_figures
from danvan_cli.period import parse_period
from danvan_cli.reading import load

OURS = ["Tháng", "Lĩnh vực", "Kỳ trước chuyển sang", "Trực tuyến", "Trực tiếp", "Bưu chính"]
OURS += ["Tổng tiếp nhận", "Trước hạn"]


def mismatches(make_workbook: MakeWorkbook, *rows: list[Any], header: list[str] = OURS) -> Any:
    loaded = load(make_workbook({"MotCua": [header, *rows]}))
    return [
        (issue.ref, issue.message)
        for issue in loaded.report.issues
        if issue.code == "total-mismatch"
    ]


@pytest.mark.parametrize(
    "total",
    [
        9,  # online 3 + direct 2 + postal 4 = 9: the channels alone
        14,  # 9 + 5 carried over: II.06a's "Tổng số"
    ],
)
def test_either_total_is_right(make_workbook: MakeWorkbook, total: int) -> None:
    assert mismatches(make_workbook, [3, "Đất đai", 5, 3, 2, 4, total, 14]) == []


def test_a_total_matching_neither_is_flagged_on_its_cell(make_workbook: MakeWorkbook) -> None:
    rows = [
        [3, "Đất đai", 5, 3, 2, 4, 12, 14],  # neither 9 nor 14
        [3, "Tư pháp", 0, 206, 129, 0, 320, 320],  # the seed's slip: 206 + 129 = 335
    ]
    assert mismatches(make_workbook, *rows) == [
        (
            "MotCua!G2",
            "Tổng tiếp nhận ghi 12 nhưng Trực tuyến 3 + Trực tiếp 2 + Bưu chính 4 = 9 (cộng kỳ "
            "trước chuyển sang 5: 14).",
        ),
        (
            "MotCua!G3",
            "Tổng tiếp nhận ghi 320 nhưng Trực tuyến 206 + Trực tiếp 129 + Bưu chính 0 = 335.",
        ),
    ]


def test_the_forms_own_column_names(make_workbook: MakeWorkbook) -> None:
    """Tổng số, Trực tuyến, "Trực tiếp, dịch vụ bưu chính" (counted as direct), Từ kỳ trước."""
    header = ["Tháng", "Lĩnh vực", "Tổng số", "Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    header += ["Từ kỳ trước", "Trước hạn", "Đúng hạn", "Quá hạn"]
    rows = [[3, "Đất đai", 12, 4, 6, 2, 9, 1, 2]]  # 4 + 6 = 10 new, + 2 carried = 12
    loaded = load(make_workbook({"MotCua": [header, *rows]}))
    assert [i for i in loaded.report.issues if i.sheet == "MotCua"] == []
    assert loaded.data is not None
    dossiers = compute_figures(loaded.data, parse_period("t3", 2024)).dossiers
    assert (dossiers.carried_over, dossiers.received, dossiers.online, dossiers.direct) == (
        2,
        10,
        4,
        6,
    )
    assert (dossiers.resolved, dossiers.source) == (12, "MotCua")


def test_the_seeds_slip_in_the_mistakes_sample_is_still_flagged() -> None:
    report = load(SAMPLE_DIR / "loi_mau.xlsx", want_data=False).report
    found = [(i.ref, i.message) for i in report.issues if i.code == "total-mismatch"]
    assert found == [
        (
            "MotCua!G8",
            "Tổng tiếp nhận ghi 320 nhưng Trực tuyến 206 + Trực tiếp 129 + Bưu chính 0 = 335.",
        )
    ]
