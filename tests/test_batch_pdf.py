"""``danvan batch --pdf`` (SPEC §5, §7): LibreOffice starts once for the whole batch, each PDF is
written whole and atomically beside its report, never replacing a file without --force; a report
whose conversion failed is listed as such on screen and in the summary and fails the batch; with
LibreOffice missing, or no PDF written at all, the reports are still written and listed, then
one clear message, exit 1.

Most tests run a stand-in ``soffice`` (a small script first on PATH) that logs how it was called
and converts, fails, truncates or hangs on purpose; one runs the real LibreOffice when present.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from support import flat, no_traceback, sha256
from test_batch import DATE, _summary_rows, generate
from test_batch_integrity import SAMPLE, SAMPLE_REPORT, SAMPLE_VISITS
from test_batch_reruns import _table_rows
from typer.testing import CliRunner

from danvan_cli import pdf
from danvan_cli.cli import app

FAKE_PDF = b"%PDF-1.4\n% danvan test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FAKE_SOFFICE = f"""#!{sys.executable}
import os, sys, time
from pathlib import Path
args = sys.argv[1:]
with open(os.environ["FAKE_LOG"], "a", encoding="utf-8") as log:
    log.write(repr(args) + "\\n")
outdir = Path(args[args.index("--outdir") + 1])
files = [a for a in args[args.index("--outdir") + 2:]]
mode, fail = os.environ.get("FAKE_MODE", "ok"), os.environ.get("FAKE_FAIL", "\\0")
for number, name in enumerate(files):
    target = outdir / (Path(name).stem + ".pdf")
    if mode == "stall" and number == 1:
        target.write_bytes(b"%PDF-1.4\\n% half written")
        time.sleep(60)
    if fail not in name:
        target.write_bytes({FAKE_PDF!r})
"""


def _communes(folder: Path, count: int = 3) -> Path:
    for index in range(count):
        generate.generate_workbook(generate.workbook_path(folder, index), index, receptions=5)
    return folder


@pytest.fixture
def office(tmp_path: Path) -> dict[str, Any]:
    """The stand-in soffice, first on PATH: ``{"env": …, "log": …}``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "soffice.log"
    env = {
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
        "FAKE_LOG": str(log),
        "COLUMNS": "250",
        "NO_COLOR": "1",
    }
    return {"env": env, "log": log}


def _calls(office: dict[str, Any]) -> list[list[str]]:
    log: Path = office["log"]
    if not log.exists():
        return []
    return [eval(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _batch(env: dict[str, str], *args: Any, **extra: str) -> Any:
    runner = CliRunner(env={**env, **extra})
    result = runner.invoke(
        app, ["batch", *map(str, args), "-p", "9m", "--date", DATE, "-j", "2", "--pdf"]
    )
    no_traceback(result)
    return result


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_libreoffice_runs_once_for_the_whole_batch(tmp_path: Path, office: dict[str, Any]) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    result = _batch(office["env"], inputs, "-o", out)
    assert result.exit_code == 0, result.output
    (call,) = _calls(office)
    reports = sorted(out.glob("*.docx"))
    assert len(reports) == 3
    assert sorted(call[-3:]) == [str(report.resolve()) for report in reports]
    assert "--convert-to" in call and "--headless" in call
    for report in reports:
        assert report.with_suffix(".pdf").read_bytes() == FAKE_PDF
    assert "Đã xuất PDF cho 3/3 báo cáo mới lập." in flat(result.stdout)
    assert _leftovers(out) == []


def test_a_failed_conversion_is_listed_on_screen_and_in_the_summary(
    tmp_path: Path, office: dict[str, Any]
) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    result = _batch(office["env"], inputs, "-o", out, FAKE_FAIL="xa_lac_trach")
    assert result.exit_code == 1, result.output  # a PDF asked for and not written (SPEC §5)
    assert "Không xuất được PDF nào" not in result.output  # some were: each failure is listed
    text = flat(result.stdout)
    assert (
        "Đã xuất PDF cho 2/3 báo cáo mới lập; 1 báo cáo chưa có PDF (lý do ghi bên cạnh báo cáo "
        "đó; tệp .docx vẫn giữ)."
    ) in text
    note = "Không xuất được PDF: LibreOffice không xuất được PDF của báo cáo."
    rows_shown = [row for row in _table_rows(result.stdout) if "lac_trach" in row[-1]]
    assert [row[-1] for row in rows_shown] == [f"{next(out.glob('*lac_trach*.docx')).name} {note}"]
    assert [row[-2] for row in rows_shown] == ["Đã lập chưa có PDF"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    failed = [row for row in rows.values() if "lac_trach" in row["Báo cáo"]]
    assert [row["Lý do, ghi chú"] for row in failed] == [note]
    assert [row["Trạng thái"] for row in failed] == ["Đã lập"]  # the .docx is there, and counts
    assert str(total["Đơn vị"]) == "Tổng cộng (3 đơn vị)"
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(
        p.with_suffix(".pdf").name for p in out.glob("*.docx") if "lac_trach" not in p.name
    )


def test_no_pdf_written_at_all_fails_the_batch_and_keeps_the_report(
    tmp_path: Path, office: dict[str, Any]
) -> None:
    """LibreOffice produces nothing (disk full, a crash): each PDF asked for and not written is
    that commune's failure (SPEC §5: exit 1), the .docx is kept and its figures still count."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / "tan_hung_2024.xlsx")
    result = _batch(office["env"], inputs, "-o", out, FAKE_FAIL="bao_cao")
    assert result.exit_code == 1, result.output
    text = flat(result.stdout)
    assert (
        "Đã lập 1/1 báo cáo; 0 sổ lỗi. Đã xuất PDF cho 0/1 báo cáo mới lập; 1 báo cáo chưa có PDF "
        "(lý do ghi bên cạnh báo cáo đó; tệp .docx vẫn giữ)."
    ) in text
    assert flat(result.stderr) == (
        "Lỗi: Không xuất được PDF nào: 1 báo cáo mới lập vẫn có tệp .docx (liệt kê ở trên) nhưng "
        "chưa có PDF nào (LibreOffice không xuất được PDF của báo cáo). Thử mở một báo cáo bằng "
        "LibreOffice rồi lưu thành PDF để xem lỗi, hoặc mở báo cáo bằng Word rồi lưu thành PDF."
    )
    note = "Không xuất được PDF: LibreOffice không xuất được PDF của báo cáo."
    assert [row[3:] for row in _table_rows(result.stdout)[1:]] == [
        ["Đã lập chưa có PDF", f"{SAMPLE_REPORT} {note}"]
    ]
    assert sorted(p.name for p in out.iterdir()) == [SAMPLE_REPORT, "tong_hop_9m_2024.xlsx"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    row = rows["tan_hung_2024.xlsx"]
    assert (row["Trạng thái"], row["Lý do, ghi chú"], row["Báo cáo"]) == (
        "Đã lập",
        note,
        SAMPLE_REPORT,
    )
    assert total["figures"]["reception.visits"] == SAMPLE_VISITS


def test_a_pdf_never_replaces_an_input(tmp_path: Path, office: dict[str, Any]) -> None:
    """A file named as an input that bears a report's PDF name: refused before any work,
    whatever --force says; LibreOffice never started."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    shutil.copy(SAMPLE, inputs / "tan_hung_2024.xlsx")
    named = (out / SAMPLE_REPORT).with_suffix(".pdf")
    named.write_bytes(b"%PDF- signed copy")
    result = _batch(office["env"], inputs, named, "-o", out, "--force")
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không ghi được tệp PDF «{named}»: đó chính là sổ «{named}» mà lần chạy này đọc "
        "vào, và danvan không bao giờ ghi đè sổ đầu vào (kể cả khi có --force). Đổi tên sổ đó "
        "hoặc chọn thư mục ra khác bằng -o, rồi chạy lại."
    )
    assert named.read_bytes() == b"%PDF- signed copy"
    assert [p.name for p in out.iterdir()] == [named.name]
    assert _calls(office) == []


def test_a_stalled_libreoffice_is_stopped_and_no_half_pdf_is_kept(
    tmp_path: Path, office: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "STALL_SECONDS", 1)
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    result = _batch(office["env"], inputs, "-o", out, FAKE_MODE="stall")
    assert result.exit_code == 1, result.output
    reports = sorted(out.glob("*.docx"))
    first = _calls(office)[0][-3]
    converted = [r for r in reports if str(r.resolve()) == first]
    assert [p.name for p in out.glob("*.pdf")] == [converted[0].with_suffix(".pdf").name]
    assert converted[0].with_suffix(".pdf").read_bytes() == FAKE_PDF
    notes = [row[-1].split(" ", 1)[-1] for row in _table_rows(result.stdout)[1:]]
    stalled = "Không xuất được PDF: LibreOffice không xuất xong PDF sau 1 giây."
    assert sorted(notes) == sorted([stalled, stalled, converted[0].name])
    assert "Đã xuất PDF cho 1/3 báo cáo mới lập;" in flat(result.stdout)
    assert _leftovers(out) == []


def test_without_libreoffice_the_reports_are_written_and_the_batch_fails(tmp_path: Path) -> None:
    """As ``build --pdf``: the .docx are written and listed, then one clear message; exit 1."""
    inputs, out = _communes(tmp_path / "in", 2), tmp_path / "out"
    empty = tmp_path / "bin"
    empty.mkdir()
    result = _batch({"PATH": str(empty), "COLUMNS": "250", "NO_COLOR": "1"}, inputs, "-o", out)
    assert result.exit_code == 1
    assert (
        "Đã lập 2/2 báo cáo; 0 sổ lỗi. Đã xuất PDF cho 0/2 báo cáo mới lập; 2 báo cáo chưa có PDF "
        "(lý do ghi bên cạnh báo cáo đó; tệp .docx vẫn giữ)."
    ) in flat(result.stdout)
    reports = sorted(p.name for p in out.glob("*.docx"))
    assert len(reports) == 2
    note = "Chưa có PDF: không tìm thấy LibreOffice."
    shown = _table_rows(result.stdout)[1:]
    assert [row[3:] for row in shown] == [
        ["Đã lập chưa có PDF", f"{name} {note}"] for name in reports
    ]
    assert flat(result.stderr) == (
        "Lỗi: Không tìm thấy LibreOffice để xuất PDF (cần lệnh soffice hoặc libreoffice): 2 báo "
        "cáo mới lập vẫn có tệp .docx (liệt kê ở trên) nhưng chưa có PDF nào. Mở từng báo cáo "
        "bằng Word rồi lưu thành PDF, hoặc cài LibreOffice rồi chạy lại với --pdf --force "
        "(--force ghi lại các báo cáo này: những chỗ đã sửa tay sẽ mất)."
    )
    assert sorted(p.name for p in out.iterdir()) == [*reports, "tong_hop_9m_2024.xlsx"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert [(row["Trạng thái"], row["Lý do, ghi chú"]) for row in rows.values()] == [
        ("Đã lập", note),
        ("Đã lập", note),
    ]
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"


def test_an_old_pdf_is_never_replaced_without_force(tmp_path: Path, office: dict[str, Any]) -> None:
    inputs, out = _communes(tmp_path / "in", 2), tmp_path / "out"
    assert _batch(office["env"], inputs, "-o", out).exit_code == 0
    reports = sorted(out.glob("*.docx"))
    reports[0].unlink()  # the report is gone, its PDF is still there
    old_pdf = reports[0].with_suffix(".pdf")
    old_pdf.write_bytes(b"%PDF-1.4 an old one %%EOF")

    again = _batch(office["env"], inputs, "-o", out)
    assert again.exit_code == 1
    reason = (
        f"Tệp «{old_pdf.name}» đã có mà chưa có báo cáo «{reports[0].name}» đi cùng: danvan "
        "không lập báo cáo mới bên cạnh một PDF cũ. Xóa hoặc đổi tên tệp PDF đó, hoặc thêm "
        "--force."
    )
    assert reason in [row[-1] for row in _table_rows(again.stdout)]
    _, rows, _ = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert reason in [row["Lý do, ghi chú"] for row in rows.values()]
    assert "Đã lập 0/2 báo cáo; 1 báo cáo đã có, giữ nguyên; 1 sổ lỗi." in flat(again.stdout)
    assert not reports[0].exists()
    assert old_pdf.read_bytes() == b"%PDF-1.4 an old one %%EOF"
    assert len(_calls(office)) == 1  # nothing new to convert: LibreOffice not started

    forced = _batch(office["env"], inputs, "-o", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert old_pdf.read_bytes() == FAKE_PDF and reports[0].exists()


def test_force_and_a_failed_conversion_leave_no_old_pdf_beside_the_new_report(
    tmp_path: Path, office: dict[str, Any]
) -> None:
    inputs, out = _communes(tmp_path / "in", 2), tmp_path / "out"
    assert _batch(office["env"], inputs, "-o", out).exit_code == 0
    old = next(out.glob("*lac_trach*.pdf"))
    result = _batch(office["env"], inputs, "-o", out, "--force", FAKE_FAIL="lac_trach")
    assert result.exit_code == 1, result.output
    assert not old.exists()
    note = (
        "Không xuất được PDF: LibreOffice không xuất được PDF của báo cáo. Đã xóa tệp PDF cũ "
        f"«{old}» vì nó không còn khớp với báo cáo mới."
    )
    assert any(row[-1].endswith(note) for row in _table_rows(result.stdout))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_real_libreoffice_converts_every_report_in_one_run(tmp_path: Path) -> None:
    inputs, out = _communes(tmp_path / "in", 2), tmp_path / "out"
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "runs.log"
    wrapper = folder / "soffice"
    real = shutil.which("soffice")
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "250"}
    result = _batch(env, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert log.read_text().splitlines() == ["run"]
    for report in out.glob("*.docx"):
        data = report.with_suffix(".pdf").read_bytes()
        assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    assert "Đã xuất PDF cho 2/2 báo cáo mới lập." in flat(result.stdout)
    assert sha256(next(out.glob("*.pdf"))) != sha256(next(out.glob("*.docx")))
