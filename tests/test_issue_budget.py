"""A run that only shows issues (``validate``'s text output, checks.Budget(shown=…)) makes only
the issues it shows and counts the others: what it says — the issues shown, how many more
``--json`` lists, how many not even it, the counts, the verdict — is what a run that made
every issue says."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from support import flat
from typer.testing import CliRunner

from danvan_cli import checks
from danvan_cli.checks import Budget, Issue, Report
from danvan_cli.cli import app

CODES = ["bad-date", "kind-mismatch", "duplicate-dossier", "date-outside-year", "required"]


def _play(seed: int, shown: int | None) -> list[Report]:
    """Three reports sharing one budget, fed the same random issues: added one by one, or
    made in a batch cut to the room and the rest counted, as the checks do."""
    rng = random.Random(seed)
    budget = Budget(limit=rng.choice([5, 40, 300]), shown=shown)
    reports = [Report(file=f"so{n}.xlsx", budget=budget) for n in range(3)]
    for step in range(rng.randrange(20, 60)):
        report = rng.choice(reports)
        code = rng.choice(CODES)
        if rng.random() < 0.5:
            report.add(code, f"việc {step}", "TiepCongDan", f"A{step}")
        else:
            count = rng.randrange(1, 120)
            room = report.room
            made = min(count, room)
            report.extend(
                Issue(code, f"việc {step}.{n}", "TiepCongDan", f"B{n}") for n in range(made)
            )
            if count > made:
                report.omit(code, count - made)
    return reports


@pytest.mark.parametrize("seed", range(40))
def test_showing_only_says_what_making_every_issue_says(seed: int) -> None:
    every, some = _play(seed, None), _play(seed, 7)
    for full, shown in zip(every, some, strict=True):
        assert len(shown.issues) <= 7
        assert shown.issues == full.issues[: len(shown.issues)]
        assert len(shown.issues) + shown.unshown_count == len(full.issues)
        assert shown.counts_by_code() == full.counts_by_code()
        assert (shown.error_count, shown.warning_count) == (full.error_count, full.warning_count)
        assert shown.ok == full.ok
        assert sum(shown.omitted.values()) == sum(full.omitted.values())
        assert shown.omitted_note() == full.omitted_note()
    assert every[0].budget.kept == some[0].budget.kept


def _mismatched_log(folder: Path, visits: int) -> Path:
    """A log whose matter VV-1 is visited ``visits`` times, each visit after the first of
    another kind than the first (a warning each), every tenth with Số người 0 (an error)."""
    from conftest import write_workbook

    header = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Mã vụ việc", "Phân loại"]
    day = dt.date(2024, 1, 2)
    rows: list[list[object]] = [[day, "Thường xuyên", 1, "VV-1", "Khiếu nại"]]
    for n in range(1, visits):
        people = 0 if n % 10 == 0 else 1
        rows.append([day + dt.timedelta(days=n % 300), "Thường xuyên", people, "VV-1", "Tố cáo"])
    return write_workbook(folder / "so.xlsx", {"TiepCongDan": [header, *rows]})


ISSUE_LINE = re.compile(r"^  [✗!] ", re.M)


@pytest.mark.parametrize("limit", [None, 150])
def test_the_screen_says_what_the_json_lists(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: int | None,
) -> None:
    """300 visits: 270 kind warnings, 29 errors (Số người 0) and the absent sheets' 6
    warnings. The screen shows 200 and says how many more --json lists; with the run's
    budget lowered to 150, --json lists 200 (a file's own first 200) and the screen says
    how many it does not."""
    if limit is not None:
        monkeypatch.setattr(checks, "MAX_ISSUES", limit)
    path = _mismatched_log(tmp_path, 300)
    listed = runner.invoke(app, ["validate", "--json", str(path)])
    assert listed.exit_code == 1
    (report,) = json.loads(listed.stdout)["files"]
    # 299 later visits, 29 of them (n = 10, 20 … 290) with Số người 0: an error, and a row
    # with an error is left out of the kind check; 6 sheets absent
    assert report["counts"] == {"absent-sheet": 6, "out-of-range": 29, "kind-mismatch": 270}
    total = report["errors"] + report["warnings"]
    shown = runner.invoke(app, ["validate", str(path)])
    assert shown.exit_code == 1
    output = flat(shown.output)
    assert len(ISSUE_LINE.findall(shown.output)) == 200
    cells = re.findall(r"^  [✗!] (\S+)", shown.output, re.M)
    assert cells == [
        f"{issue['sheet']}!{issue['cell']}" if issue["cell"] else issue["sheet"]
        for issue in report["issues"][:200]
    ]
    more = len(report["issues"]) - 200
    if limit is None:
        assert more == 105
        assert f"… và {more} vấn đề khác: xem đủ bằng --json hoặc --annotate." in output
        assert report["omitted"] == 0 and "không được liệt kê" not in output
        assert len(report["issues"]) == total
    else:
        assert len(report["issues"]) == 200  # the file's own first KEPT_PER_REPORT
        assert "vấn đề khác: xem đủ" not in output  # all 200 listed are shown
        assert report["omitted"] == total - 200
        assert f"… Còn {report['omitted']} vấn đề không được liệt kê, kể cả trong --json" in output
    errors, warnings = report["errors"], report["warnings"]
    assert f"{path}: có lỗi — {errors} lỗi, {warnings} cảnh báo" in output


def test_annotate_and_json_still_make_every_issue(
    runner: CliRunner, tmp_path: Path, make_workbook: Callable[..., Path]
) -> None:
    """--annotate marks every issue kept, not only the 200 shown: its copy notes the 300th
    visit's cell too."""
    from openpyxl import load_workbook

    path = _mismatched_log(tmp_path, 300)
    copy = tmp_path / "chu_thich.xlsx"
    result = runner.invoke(app, ["validate", str(path), "--annotate", str(copy)])
    assert result.exit_code == 1
    sheet = load_workbook(copy)["TiepCongDan"]
    assert sheet["E301"].comment is not None  # the last visit's kind
    assert "Tố cáo" in sheet["E301"].comment.text


def test_counts_past_a_thousand_are_grouped(runner: CliRunner, tmp_path: Path) -> None:
    """1.000 visits each with Số người 0: "1.000 lỗi", grouped as every count danvan prints
    (the line above it says "… và 806 vấn đề khác")."""
    from conftest import write_workbook

    header = ["Ngày tiếp", "Hình thức tiếp", "Số người", "Phân loại"]
    rows = [[dt.date(2024, 3, 1), "Thường xuyên", 0, "Kiến nghị"]] * 1000
    path = write_workbook(tmp_path / "so.xlsx", {"TiepCongDan": [header, *rows]})
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    output = flat(result.output)
    assert "… và 806 vấn đề khác: xem đủ bằng --json hoặc --annotate." in output
    assert output.endswith(f"{path}: có lỗi — 1.000 lỗi, 6 cảnh báo")
