"""``danvan batch``: many workbooks -> reports + summary, in parallel, failures isolated."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
import shutil
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from support import flat
from typer.testing import CliRunner

from danvan_cli import batch, console, summary
from danvan_cli.batch import run_batch
from danvan_cli.build import BuildOptions, PeriodRequest
from danvan_cli.cli import app
from danvan_cli.errors import DanvanError

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = 30
DATE = "20/9/2024"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "danvan_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture(scope="module")
def communes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 valid workbooks (the first one carries the personal-data canary) + 1 broken file."""
    folder = tmp_path_factory.mktemp("communes")
    generate.generate_workbook(generate.workbook_path(folder, 0), 0, receptions=20, canary=True)
    for index in range(1, COMMUNES):
        generate.generate_workbook(generate.workbook_path(folder, index), index, receptions=20)
    (folder / "hong.xlsx").write_bytes(b"this is not a workbook")
    return folder


@pytest.fixture(scope="module")
def batch_run(
    communes: Path, tmp_path_factory: pytest.TempPathFactory, cli: CliRunner
) -> tuple[Any, Path]:
    out = tmp_path_factory.mktemp("reports")
    args = ["batch", str(communes), "--period", "9m", "--jobs", "2", "--date", DATE]
    result = cli.invoke(app, [*args, "-o", str(out)])
    return result, out


def _figures_json(cli: CliRunner, path: Path) -> dict[str, Any]:
    result = cli.invoke(app, ["figures", str(path), "--period", "9m", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _pick(data: dict[str, Any], key: str) -> float:
    if key == "dossiers.early_on_time":
        return float(data["dossiers"]["early"] + data["dossiers"]["on_time"])
    value: Any = data
    for part in key.split("."):
        value = value[part]
    return float(value)


def _summary_rows(path: Path) -> tuple[Any, dict[str, dict[str, Any]], dict[str, Any]]:
    """(sheet, rows by source file name, totals row) of a summary workbook."""
    sheet = load_workbook(path).active
    titles = [
        sheet.cell(row=6, column=c).value or sheet.cell(row=5, column=c).value
        for c in range(1, sheet.max_column + 1)
    ]
    figure_columns = {spec.key: 7 + i for i, spec in enumerate(summary.SUMMARY_FIGURES)}
    rows: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    for row in range(summary.FIRST_DATA_ROW, sheet.max_row + 1):
        values = {title: sheet.cell(row=row, column=c + 1).value for c, title in enumerate(titles)}
        values["figures"] = {
            key: sheet.cell(row=row, column=column).value for key, column in figure_columns.items()
        }
        if str(values["Đơn vị"] or "").startswith("Tổng cộng"):
            total = values
        else:
            rows[values["Tệp nguồn"]] = values
    return sheet, rows, total


def _docx_text(path: Path) -> list[str]:
    document = Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return lines


# --- the big run ------------------------------------------------------------------------------


def test_batch_builds_every_report_and_lists_the_broken_file(batch_run: tuple[Any, Path]) -> None:
    result, out = batch_run
    assert result.exit_code == 1, result.output
    assert len(list(out.glob("*.docx"))) == COMMUNES
    assert f"Đã lập {COMMUNES}/{COMMUNES + 1} báo cáo; 1 sổ lỗi." in result.stdout
    assert "hong.xlsx" in result.stdout
    assert "không phải sổ Excel đọc được" in result.stdout
    assert (out / "tong_hop_9m_2024.xlsx").is_file()
    assert not list(out.glob("*.tmp")) and not list(out.glob(".*"))


def test_summary_matches_figures_json(
    batch_run: tuple[Any, Path], communes: Path, cli: CliRunner
) -> None:
    _, out = batch_run
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert len(rows) == COMMUNES + 1
    sums = {spec.key: 0.0 for spec in summary.SUMMARY_FIGURES}
    for path in sorted(communes.glob("xa_*.xlsx")):
        data = _figures_json(cli, path)
        row = rows[path.name]
        assert row["Trạng thái"] == "Đã lập"
        assert row["Đơn vị"] == f"{data['unit']['kind']} {data['unit']['name']}"
        assert row["Tỉnh/TP"] == data["unit"]["province"]
        for spec in summary.SUMMARY_FIGURES:
            assert row["figures"][spec.key] == pytest.approx(_pick(data, spec.key)), spec.key
            sums[spec.key] += _pick(data, spec.key)
    for spec in summary.SUMMARY_FIGURES:
        if not spec.rate:
            assert total["figures"][spec.key] == sums[spec.key], spec.key
    received, online = sums["dossiers.received"], sums["dossiers.online"]
    resolved, in_time = sums["dossiers.resolved"], sums["dossiers.early_on_time"]
    assert total["figures"]["dossiers.online_rate"] == round(online / received * 100, 2)
    assert total["figures"]["dossiers.on_time_rate"] == round(in_time / resolved * 100, 2)
    assert str(total["Đơn vị"]).startswith(f"Tổng cộng ({COMMUNES} đơn vị)")
    broken = rows["hong.xlsx"]
    assert broken["Trạng thái"] == "Lỗi"
    assert "không phải sổ Excel đọc được" in broken["Lý do, ghi chú"]
    assert all(value is None for value in broken["figures"].values())


def test_summary_workbook_layout(batch_run: tuple[Any, Path]) -> None:
    _, out = batch_run
    sheet, _, _ = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert "9 tháng đầu năm 2024" in sheet["A2"].value
    assert sheet.freeze_panes == f"C{summary.FIRST_DATA_ROW}"
    assert sheet.print_title_rows == "$5:$6"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.cell(row=5, column=1).font.b
    last = sheet.max_row
    assert str(sheet.cell(row=last, column=2).value).startswith("Tổng cộng")
    formats = {
        spec.key: sheet.cell(row=last, column=7 + i).number_format
        for i, spec in enumerate(summary.SUMMARY_FIGURES)
    }
    assert formats["reception.visits"] == "#,##0"
    assert formats["dossiers.online_rate"] == "0.00"
    first = sheet.cell(row=summary.FIRST_DATA_ROW, column=7)
    assert first.number_format == "#,##0" and first.border.left.style == "thin"


def test_no_personal_data_anywhere(batch_run: tuple[Any, Path], communes: Path) -> None:
    result, out = batch_run
    canaries = (generate.CANARY_NAME, generate.CANARY_ID, "Canary")
    book = CalamineWorkbook.from_path(str(generate.workbook_path(communes, 0)))
    cells = {str(v) for row in book.get_sheet_by_name("TiepCongDan").to_python() for v in row}
    assert generate.CANARY_NAME in cells and generate.CANARY_ID in cells  # not vacuous
    assert not any(c in result.output for c in canaries)
    for path in out.iterdir():
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                text = html.unescape(archive.read(name).decode("utf-8", "replace"))
                assert not any(c in text for c in canaries), (path.name, name)


def test_jobs_one_and_two_give_the_same_reports(
    batch_run: tuple[Any, Path], communes: Path, tmp_path: Path
) -> None:
    _, out_parallel = batch_run
    subset = tmp_path / "subset"
    subset.mkdir()
    for path in sorted(communes.glob("xa_*.xlsx"))[:6]:
        shutil.copy(path, subset / path.name)
    options = BuildOptions(report_date=dt.date(2024, 9, 20))
    outcome = run_batch([subset], PeriodRequest("9m"), options, tmp_path / "serial", 1)
    assert not outcome.failed and len(outcome.results) == 6
    for result in outcome.results:
        assert result.output is not None
        assert _docx_text(result.output) == _docx_text(out_parallel / result.output.name)


# --- smaller scenarios ------------------------------------------------------------------------


def _two_communes(folder: Path) -> Path:
    for index in range(2):
        generate.generate_workbook(generate.workbook_path(folder, index), index, receptions=5)
    return folder


@pytest.mark.parametrize("year", [["-y", "2024"], []])
def test_existing_summary_is_refused_before_any_work(
    year: list[str], tmp_path: Path, cli: CliRunner
) -> None:
    """Known from --year or read from the workbooks, the year names the summary before any
    report is built."""
    inputs, out = _two_communes(tmp_path / "in"), tmp_path / "out"
    out.mkdir()
    (out / "tong_hop_9m_2024.xlsx").write_bytes(b"old")
    args = ["batch", str(inputs), "-p", "9m", *year, "-o", str(out)]
    result = cli.invoke(app, args)
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Đã có tệp «{out / 'tong_hop_9m_2024.xlsx'}», trùng tên sổ tổng hợp mà không phải "
        "sổ tổng hợp do danvan ghi ra. danvan không ghi đè; thêm --force để ghi đè hoặc chọn thư "
        "mục khác bằng -o."
    )
    assert sorted(p.name for p in out.iterdir()) == ["tong_hop_9m_2024.xlsx"]


def test_invalid_and_unexpected_failures_do_not_stop_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = _two_communes(tmp_path / "in")
    shutil.copy(ROOT / "sample_data" / "loi_mau.xlsx", inputs / "loi_mau.xlsx")
    import danvan_cli.build as build

    real = build.compute_for

    def flaky(path: Path, request: PeriodRequest, *args: Any, **options: Any) -> Any:
        if path.name == "xa_0002.xlsx":
            raise TypeError("boom")
        return real(path, request, *args, **options)

    monkeypatch.setattr(build, "compute_for", flaky)
    options = BuildOptions(report_date=dt.date(2024, 9, 20))
    outcome = run_batch([inputs], PeriodRequest("9m"), options, tmp_path / "out", 1)
    by_name = {r.file.name: r for r in outcome.results}
    assert by_name["xa_0001.xlsx"].ok
    assert by_name["xa_0002.xlsx"].reason == "Lỗi không mong đợi (TypeError)."
    invalid = by_name["loi_mau.xlsx"]
    assert invalid.reason.startswith("Sổ «loi_mau.xlsx» có 11 lỗi, chưa lập được báo cáo:")
    assert "!" in invalid.reason  # the first error's cell, e.g. MotCua!G8
    assert invalid.errors == 11 and invalid.warnings == 4
    assert {r.file.name for r in outcome.failed} == {"xa_0002.xlsx", "loi_mau.xlsx"}
    assert outcome.summary_path is not None and outcome.summary_path.is_file()


def test_no_workbook_found(tmp_path: Path, cli: CliRunner) -> None:
    (tmp_path / "empty").mkdir()
    result = cli.invoke(app, ["batch", str(tmp_path / "empty"), "-p", "9m"])
    assert result.exit_code == 1
    assert "Không tìm thấy sổ Excel nào" in result.output
    with pytest.raises(DanvanError):
        run_batch([tmp_path / "empty"], PeriodRequest("9m"), BuildOptions(), tmp_path, 1)


def test_summary_name_when_nothing_was_built(tmp_path: Path, cli: CliRunner) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "hong.xlsx").write_bytes(b"PK\x03\x04 truncated")
    result = cli.invoke(app, ["batch", str(inputs), "-p", "9m", "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Đã lập 0/1 báo cáo; 1 sổ lỗi." in result.stdout
    assert (tmp_path / "out" / "tong_hop_9m_khong_ro.xlsx").is_file()


def test_large_batches_list_only_failures_on_screen(capsys: pytest.CaptureFixture[str]) -> None:
    ok = batch.CommuneResult(file=Path("a.xlsx"), status=batch.STATUS_OK, unit="Xã A")
    failed = batch.CommuneResult(file=Path("z.xlsx"), status=batch.STATUS_FAILED, reason="hỏng")
    no_pdf = batch.CommuneResult(
        file=Path("p.xlsx"), status=batch.STATUS_OK, unit="Xã P", pdf_missing=True
    )
    other_year = batch.CommuneResult(
        file=Path("y.xlsx"), status=batch.STATUS_OTHER_YEAR, workbook_year=2023, reason="cũ"
    )
    results = [ok] * console.SCREEN_ROWS + [failed, no_pdf, other_year]
    outcome = batch.BatchOutcome(results, [failed], None, pdf=True, year=2024, year_asked=True)
    console.print_batch(outcome)
    shown = capsys.readouterr().out
    assert "a.xlsx" not in shown
    assert all(name in shown for name in ("z.xlsx", "p.xlsx", "y.xlsx"))
    rows = console.SCREEN_ROWS + 2
    assert f"Đã lập {rows - 1}/{rows} báo cáo; 1 sổ lỗi." in flat(shown)
    assert (
        "(Bảng trên chỉ liệt kê các sổ cần xem lại: lỗi, trùng, khác năm, chưa có PDF; đủ "
        f"{rows + 1} sổ có trong sổ tổng hợp.)"
    ) in flat(shown)


# --- the library returns, the CLI prints ------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_batch_prints_nothing_and_reports_progress(
    jobs: int, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    inputs = _two_communes(tmp_path / "in")
    shutil.copy(ROOT / "sample_data" / "loi_mau.xlsx", inputs / "loi_mau.xlsx")
    calls: dict[str, list[tuple[int, int]]] = {}

    def progress(done: int, total: int, stage: str = batch.STAGE_REPORTS) -> None:
        calls.setdefault(stage, []).append((done, total))

    options = BuildOptions(report_date=dt.date(2024, 9, 20))
    capfd.readouterr()
    outcome = run_batch([inputs], PeriodRequest("9m"), options, tmp_path / "out", jobs, progress)
    assert capfd.readouterr() == ("", "")
    assert list(calls) == [batch.STAGE_UNITS, batch.STAGE_REPORTS]  # ThongTin first, then all
    for stage in calls.values():
        assert stage[0] == (0, 3) and stage[-1] == (3, 3)
        assert [done for done, _ in stage] == sorted(done for done, _ in stage)
    assert [r.file.name for r in outcome.results] == [
        "loi_mau.xlsx",
        "xa_0001.xlsx",
        "xa_0002.xlsx",
    ]
    assert [r.label for r in outcome.results] == ["Lỗi", "Đã lập", "Đã lập"]
    assert [r.file.name for r in outcome.failed] == ["loi_mau.xlsx"]
    assert outcome.summary_path == tmp_path / "out" / "tong_hop_9m_2024.xlsx"
    assert outcome.summary_error is None


def test_run_batch_returns_a_summary_it_could_not_write(tmp_path: Path) -> None:
    """A file put at the summary's name while the reports were being built (the name was free
    when the batch began): the reports stay, the summary error is in the outcome."""
    inputs, out = _two_communes(tmp_path / "in"), tmp_path / "out"
    book = out / "tong_hop_9m_2024.xlsx"

    def progress(done: int, total: int, stage: str = batch.STAGE_REPORTS) -> None:
        if stage == batch.STAGE_REPORTS and done == total:
            book.write_bytes(b"old")

    options = BuildOptions(report_date=dt.date(2024, 9, 20))
    outcome = run_batch([inputs], PeriodRequest("9m"), options, out, 1, progress)
    assert not outcome.failed and len(list(out.glob("*.docx"))) == 2
    assert outcome.summary_path is None and not outcome.complete
    assert str(outcome.summary_error) == (
        f"Đã có tệp «{book}», trùng tên sổ tổng hợp mà không phải sổ tổng hợp do danvan ghi ra. "
        "danvan không ghi đè; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o."
    )
    assert book.read_bytes() == b"old"


def test_cli_shows_the_table_before_the_summary_error(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up as the summary is written: the table of reports comes first."""
    import errno

    from danvan_cli import output

    inputs, out = _two_communes(tmp_path / "in"), tmp_path / "out"

    def disk_full(path: Path, *args: Any) -> Path:
        raise output.os_error(OSError(errno.ENOSPC, "No space left on device"), path)

    monkeypatch.setattr(output, "write_workbook_atomic", disk_full)
    result = cli.invoke(app, ["batch", str(inputs), "-p", "9m", "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in result.stdout
    assert "Sổ tổng hợp:" not in result.stdout
    assert flat(result.stderr) == (
        f"Lỗi: Không ghi được tệp «{out / 'tong_hop_9m_2024.xlsx'}»: ổ đĩa đã đầy. Hãy giải "
        "phóng chỗ trống trên ổ đĩa hoặc ghi sang ổ đĩa khác rồi chạy lại."
    )
