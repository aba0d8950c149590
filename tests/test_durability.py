"""SPEC §6 durability and §5 exit codes: a run that fails or is interrupted while writing leaves
no partial output and the previous output byte for byte (reports, the batch summary, the
annotated copy), and an unexpected exception is one Vietnamese line without ``--debug`` and a
full traceback with it."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import flat, sha256
from typer.testing import CliRunner, Result

from danvan_cli import output, reading
from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
MISTAKES = ROOT / "sample_data" / "loi_mau.xlsx"
DATE = "20/9/2024"
PREVIOUS = b"PK\x03\x04 the clerk's edited copy, kept as it was"


def invoke(*args: str | Path) -> Result:
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"}).invoke(app, [str(a) for a in args])


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- ways a write can die halfway ----------------------------------------------------------------


def disk_full_halfway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file write puts down half its bytes, then the disk is full."""

    def write_bytes(self: Path, data: bytes) -> int:
        with self.open("wb") as handle:
            handle.write(bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def rename_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is complete but the final rename fails (e.g. the target is locked)."""

    def replace(source: Any, target: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(output.os, "replace", replace)


def interrupted_halfway(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C arrives while the bytes are being written."""

    def write_bytes(self: Path, data: bytes) -> int:
        with self.open("wb") as handle:
            handle.write(bytes(data)[:100])
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def render_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The report's zip is being assembled when something unexpected breaks."""
    calls = {"count": 0}
    original = zipfile.ZipFile.writestr

    def writestr(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        calls["count"] += 1
        if calls["count"] > 3:
            raise RuntimeError("broken halfway")
        original(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def workbook_save_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl has written part of the workbook when the disk fills up."""

    def save(self: Any, filename: Any) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", save)


#: failure -> (how it breaks, exit code, what the message says; None: nothing is printed).
FAILURES: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], int, str | None]] = {
    "disk-full": (disk_full_halfway, 1, "ổ đĩa đã đầy"),
    "rename-fails": (rename_fails, 1, "không có quyền ghi"),
    "ctrl-c": (interrupted_halfway, 130, None),
    "render-dies": (render_dies, 1, "Lỗi không mong đợi (RuntimeError)"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
def test_build_dying_mid_write_keeps_the_previous_report(
    failure: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "bao_cao.docx"
    report.write_bytes(PREVIOUS)
    breaks, code, words = FAILURES[failure]
    breaks(monkeypatch)
    result = invoke("build", SAMPLE, "--period", "9m", "--date", DATE, "-o", report, "--force")
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if words is None:  # stopped by the user: no error to report, and no "written" line
        assert flat(result.output) == ""
    else:
        assert words in flat(result.output)
    if code == 1 and failure != "render-dies":
        assert report.name in result.output  # the message names the file it could not write
    assert report.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["bao_cao.docx"]  # no temporary file left beside it


def test_build_without_force_never_touches_the_previous_report(tmp_path: Path) -> None:
    report = tmp_path / "bao_cao.docx"
    report.write_bytes(PREVIOUS)
    result = invoke("build", SAMPLE, "--period", "9m", "--date", DATE, "-o", report)
    assert result.exit_code == 1
    assert f"Tệp «{report}» đã có." in flat(result.output)
    assert "thêm --force để ghi đè" in flat(result.output)
    assert report.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["bao_cao.docx"]


def _batch_folder(tmp_path: Path) -> tuple[Path, Path]:
    communes, out = tmp_path / "cac_xa", tmp_path / "bao_cao"
    communes.mkdir()
    out.mkdir()
    (communes / "tan_hung.xlsx").write_bytes(SAMPLE.read_bytes())
    return communes, out


def test_batch_summary_dying_mid_write_keeps_the_previous_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    communes, out = _batch_folder(tmp_path)
    summary = out / "tong_hop_9m_2024.xlsx"
    summary.write_bytes(PREVIOUS)
    workbook_save_dies(monkeypatch)
    args = ["--period", "9m", "--year", "2024", "--date", DATE, "-o", out, "--force"]
    result = invoke("batch", communes, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "ổ đĩa đã đầy" in flat(result.output) and summary.name in flat(result.output)
    assert summary.read_bytes() == PREVIOUS
    reports = [name for name in listing(out) if name.endswith(".docx")]
    assert listing(out) == sorted([summary.name, *reports]) and len(reports) == 1


def test_batch_report_dying_mid_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    communes, out = _batch_folder(tmp_path)
    (communes / "ban_sao.xlsx").write_bytes(SAMPLE.read_bytes())  # the same commune twice
    first = invoke("batch", communes, "--period", "9m", "--date", DATE, "-o", out)
    assert first.exit_code == 0, first.output
    before = {name: sha256(out / name) for name in listing(out)}
    rename_fails(monkeypatch)
    again = invoke("batch", communes, "--period", "9m", "--date", DATE, "-o", out, "--force")
    assert again.exit_code == 1, again.output
    assert "Traceback" not in again.output
    assert {name: sha256(out / name) for name in listing(out)} == before


def test_annotated_copy_dying_mid_write_keeps_the_previous_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "so.xlsx"
    source.write_bytes(MISTAKES.read_bytes())
    copy = tmp_path / "chu_thich.xlsx"
    copy.write_bytes(PREVIOUS)
    workbook_save_dies(monkeypatch)
    result = invoke("validate", source, "--annotate", copy, "--force")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "ổ đĩa đã đầy" in flat(result.output) and copy.name in flat(result.output)
    assert copy.read_bytes() == PREVIOUS
    assert source.read_bytes() == MISTAKES.read_bytes()
    assert listing(tmp_path) == ["chu_thich.xlsx", "so.xlsx"]


# --- --debug -------------------------------------------------------------------------------------


def _explode(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("lỗi lập trình giả định")


COMMANDS = {
    "validate": ["validate", str(SAMPLE)],
    "figures": ["figures", str(SAMPLE), "--period", "9m"],
    "build": ["build", str(SAMPLE), "--period", "9m", "-o", "{out}"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_unexpected_error_is_one_line_without_debug(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "load", _explode)
    args = [a.replace("{out}", str(tmp_path / "bao_cao.docx")) for a in COMMANDS[command]]
    result = invoke(*args)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    text = flat(result.output)
    assert "Lỗi không mong đợi (RuntimeError)" in text and "--debug" in text
    assert "lỗi lập trình giả định" not in text  # a technical detail, for --debug only
    assert listing(tmp_path) == []


@pytest.mark.parametrize("command", list(COMMANDS))
def test_debug_lets_the_exception_through(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "load", _explode)
    args = [a.replace("{out}", str(tmp_path / "bao_cao.docx")) for a in COMMANDS[command]]
    result = invoke("--debug", *args)
    assert isinstance(result.exception, RuntimeError)
    assert result.exit_code != 0
    assert listing(tmp_path) == []


def test_batch_keeps_going_after_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    communes, out = _batch_folder(tmp_path)
    monkeypatch.setattr(reading, "load", _explode)
    result = invoke("batch", communes, "--period", "9m", "--date", DATE, "-o", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Lỗi không mong đợi (RuntimeError)" in flat(result.output)
    assert [name for name in listing(out) if name.endswith(".docx")] == []


_CHILD = """
import sys
from danvan_cli import reading
def explode(*args, **kwargs):
    raise RuntimeError("lỗi lập trình giả định")
reading.load = explode
from danvan_cli.cli import main
sys.argv = ["danvan", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_what_a_user_sees_in_a_real_process(debug: bool, tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    args = [*(["--debug"] if debug else []), "figures", str(SAMPLE), "--period", "9m"]
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    if debug:
        assert "Traceback (most recent call last)" in done.stderr
        assert "RuntimeError: lỗi lập trình giả định" in done.stderr
    else:
        assert "Traceback" not in done.stdout + done.stderr
        assert "Lỗi không mong đợi (RuntimeError)" in flat(done.stderr)
    assert listing(tmp_path) == []


def test_debug_shows_the_traceback_of_a_bad_workbook_too(tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.docx"
    plain = invoke("build", MISTAKES, "--period", "9m", "-o", out)
    assert plain.exit_code == 1 and isinstance(plain.exception, SystemExit)
    debug = invoke("--debug", "build", MISTAKES, "--period", "9m", "-o", out)
    assert debug.exception is not None and not isinstance(debug.exception, SystemExit)
    assert type(debug.exception).__name__ == "InvalidWorkbookError"
    assert not out.exists()
