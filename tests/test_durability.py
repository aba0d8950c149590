"""SPEC §6 durability and §5 exit codes: a run that fails or is interrupted while writing leaves
no partial output and the previous output byte for byte (reports, the batch summary, the
annotated copy), and an unexpected exception is one Vietnamese line without ``--debug`` and a
full traceback with it."""

from __future__ import annotations

import datetime as dt
import errno
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import flat, sha256
from typer.testing import CliRunner, Result

from danvan_cli import annotate, output, reading
from danvan_cli.cli import app
from danvan_cli.errors import OutputExistsError

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


def zip_write_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip being written (the annotated copy) gets half a member, then the disk is full."""
    original = zipfile.ZipFile.writestr

    def writestr(self: zipfile.ZipFile, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        original(self, name, data[: len(data) // 2], *args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr)


def workbook_save_dies(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl has written part of the workbook when the disk fills up."""

    def save(self: Any, filename: Any) -> None:
        if hasattr(filename, "write"):  # saved into memory first (output.write_workbook_atomic)
            filename.write(b"PK\x03\x04 half a workbook")
        else:
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
    book = openpyxl.load_workbook(SAMPLE)  # a second commune: the sample under another name
    for row in book["ThongTin"].iter_rows():
        if row[0].value == "Tên đơn vị":
            row[1].value = "Tân Hưng Hai"
    book.save(communes / "tan_hung_hai.xlsx")
    first = invoke("batch", communes, "--period", "9m", "--date", DATE, "-o", out)
    assert first.exit_code == 0, first.output
    before = {name: sha256(out / name) for name in listing(out)}
    rename_fails(monkeypatch)
    again = invoke("batch", communes, "--period", "9m", "--date", DATE, "-o", out, "--force")
    assert again.exit_code == 1, again.output
    assert "Traceback" not in again.output
    assert {name: sha256(out / name) for name in listing(out)} == before
    assert len([name for name in before if name.endswith(".docx")]) == 2


def _workbook_and_copy(folder: Path) -> tuple[Path, Path]:
    """A workbook with mistakes in ``folder``, and where its annotated copy goes."""
    source = folder / "so.xlsx"
    source.write_bytes(MISTAKES.read_bytes())
    return source, folder / "chu_thich.xlsx"


def test_annotated_copy_dying_mid_write_keeps_the_previous_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, copy = _workbook_and_copy(tmp_path)
    copy.write_bytes(PREVIOUS)
    zip_write_dies(monkeypatch)
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


# --- no-overwrite against a concurrent run ------------------------------------------------------


@pytest.fixture(params=[True, False], ids=["hard-link", "no-hard-link"])
def drive(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A drive with hard links, and one without (FAT/exFAT, some network shares)."""

    def link(source: Any, target: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    if not request.param:
        monkeypatch.setattr(output.os, "link", link)


@pytest.mark.usefixtures("drive")
def test_two_runs_racing_to_one_new_name_never_both_succeed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both runs find the name free and finish their file together; exactly one may take it."""
    target = tmp_path / "bao_cao.docx"
    both_written = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name: str) -> None:
        def produce(temp: Path) -> None:
            temp.write_bytes(f"report of run {name}".encode())
            both_written.wait(timeout=20)

        try:
            output.write_atomic(target, produce)
            outcomes[name] = "written"
        except OutputExistsError as err:
            outcomes[name] = str(err)

    threads = [threading.Thread(target=run, args=(name,)) for name in "AB"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    (winner,) = [name for name, outcome in outcomes.items() if outcome == "written"]
    (loser,) = [name for name in "AB" if name != winner]
    assert outcomes[loser] == (
        f"Tệp «{target}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        "thêm --force để ghi đè hoặc chọn tên tệp khác."
    )
    assert target.read_bytes() == f"report of run {winner}".encode()
    assert listing(tmp_path) == ["bao_cao.docx"]


@pytest.mark.usefixtures("drive")
def test_an_output_appearing_while_writing_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run creates the annotated copy while this one writes it: theirs stays."""
    source, copy = _workbook_and_copy(tmp_path)
    real_write = output.write_atomic

    def write_atomic(path: Path, produce: Callable[[Path], None], *args: Any) -> Path:
        def racing(temp: Path) -> None:
            produce(temp)
            path.write_bytes(PREVIOUS)  # the other run finishes first

        return real_write(path, racing, *args)

    monkeypatch.setattr(annotate, "write_atomic", write_atomic)
    result = invoke_wide("validate", source, "--annotate", copy)
    assert result.exit_code == 1
    assert said(
        result.output,
        f"Lỗi: Tệp «{copy}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        "thêm --force để ghi đè hoặc chọn tên khác bằng --annotate.",
    )
    assert copy.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["chu_thich.xlsx", "so.xlsx"]


def test_two_forced_runs_both_replace(tmp_path: Path) -> None:
    target = tmp_path / "bao_cao.docx"
    target.write_bytes(PREVIOUS)
    output.write_bytes_atomic(target, b"first", force=True)
    output.write_bytes_atomic(target, b"second", force=True)
    assert target.read_bytes() == b"second"
    assert listing(tmp_path) == ["bao_cao.docx"]


# --- OS refusals, in Vietnamese, naming the path and what to do ---------------------------------


def said(output: str, message: str) -> bool:
    """``output`` ends with ``message``, line wrapping undone."""
    return flat(output).endswith(flat(message))


def invoke_wide(*args: str | Path) -> Result:
    """The CLI with a terminal wide enough for a message holding a long path on one line."""
    env = {"COLUMNS": "2000", "NO_COLOR": "1"}
    return CliRunner(env=env).invoke(app, [str(a) for a in args])


def _refuse_new_files(monkeypatch: pytest.MonkeyPatch, folder: Path, err: OSError) -> None:
    """The system refuses to create any file in ``folder``."""
    real_open = os.open

    def guarded_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT and Path(path).parent == folder:
            raise err
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", guarded_open)


REFUSALS: dict[str, tuple[OSError, str]] = {
    "EACCES": (
        PermissionError(errno.EACCES, "Permission denied"),
        "không có quyền ghi vào đây. Hãy chọn thư mục khác (ví dụ trong Documents) hoặc nhờ "
        "người quản trị máy cấp quyền ghi.",
    ),
    "EPERM": (
        PermissionError(errno.EPERM, "Operation not permitted"),
        "không có quyền ghi vào đây. Hãy chọn thư mục khác (ví dụ trong Documents) hoặc nhờ "
        "người quản trị máy cấp quyền ghi.",
    ),
    "EROFS": (
        OSError(errno.EROFS, "Read-only file system"),
        "ổ đĩa chỉ cho đọc. Hãy chọn thư mục trên ổ đĩa khác rồi chạy lại.",
    ),
    "ENOSPC": (
        OSError(errno.ENOSPC, "No space left on device"),
        "ổ đĩa đã đầy. Hãy giải phóng chỗ trống trên ổ đĩa hoặc ghi sang ổ đĩa khác rồi chạy lại.",
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_os_refusal_is_told_in_vietnamese(
    refusal: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    err, explained = REFUSALS[refusal]
    out_dir = tmp_path / "ra"
    out_dir.mkdir()
    copy = out_dir / "chu_thich.xlsx"
    _refuse_new_files(monkeypatch, out_dir, err)
    result = invoke_wide("validate", MISTAKES, "--annotate", copy)
    assert result.exit_code == 1
    assert said(result.output, f"Lỗi: Không ghi được tệp «{copy}»: {explained}")
    assert "Traceback" not in result.output and listing(out_dir) == []
    made = invoke_wide("init", out_dir, "--ten", "Tân Hưng", "--tinh", "Hải Phòng")
    assert made.exit_code == 1
    workbook = out_dir / f"so_dan_van_{dt.date.today().year}.xlsx"
    assert said(made.output, f"Lỗi: Không ghi được tệp «{workbook}»: {explained}")
    assert listing(out_dir) == []


TOO_LONG = "bao cao " * 40  # 320 characters: past the 255 a file name may have


@pytest.mark.parametrize(
    "command", ["build", "validate --annotate", "init"], ids=["build", "annotate", "init"]
)
def test_a_name_too_long_is_told_in_vietnamese(command: str, tmp_path: Path) -> None:
    """What the system really answers, not a simulation."""
    if command == "build":
        path = tmp_path / f"{TOO_LONG}.docx"
        result = invoke_wide("build", SAMPLE, "--period", "9m", "--date", DATE, "-o", path)
    elif command == "init":
        path = tmp_path / TOO_LONG / f"so_dan_van_{dt.date.today().year}.xlsx"
        result = invoke_wide("init", path.parent, "--ten", "Tân Hưng", "--tinh", "Hải Phòng")
    else:
        path = tmp_path / f"{TOO_LONG}.xlsx"
        result = invoke_wide("validate", MISTAKES, "--annotate", path)
    assert result.exit_code == 1
    assert said(
        result.output,
        f"Lỗi: Không ghi được tệp «{path}»: tên tệp hoặc đường dẫn quá dài. Hãy chọn tên ngắn "
        "hơn hoặc thư mục gần gốc ổ đĩa hơn rồi chạy lại.",
    )
    assert "Lỗi không mong đợi" not in result.output and "Traceback" not in result.output
    assert listing(tmp_path) == []


@pytest.mark.parametrize("winerror", [32, 33, 5])
def test_a_copy_open_in_excel_on_windows(
    winerror: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replacing a file that Word or Excel holds open fails with a sharing or lock violation
    (or access denied); the clerk is told to close it."""
    copy = tmp_path / "chu_thich.xlsx"
    copy.write_bytes(PREVIOUS)

    def replace(source: Any, target: Any) -> None:
        err = PermissionError(errno.EACCES, "The process cannot access the file")
        err.winerror = winerror  # type: ignore[attr-defined]
        raise err

    monkeypatch.setattr(output.os, "replace", replace)
    result = invoke_wide("validate", MISTAKES, "--annotate", copy, "--force")
    assert result.exit_code == 1
    assert said(
        result.output,
        f"Lỗi: Tệp «{copy}» đang mở trong Word/Excel (hoặc một chương trình khác); "
        "đóng tệp rồi chạy lại.",
    )
    assert copy.read_bytes() == PREVIOUS
    assert listing(tmp_path) == ["chu_thich.xlsx"]


def test_an_existing_annotated_copy_names_the_option_it_came_from(tmp_path: Path) -> None:
    copy = tmp_path / "chu_thich.xlsx"
    copy.write_bytes(PREVIOUS)
    result = invoke_wide("validate", SAMPLE, "--annotate", copy)
    assert result.exit_code == 1
    assert said(
        result.output,
        f"Lỗi: Tệp «{copy}» đã có. danvan không ghi đè (có thể bạn đã sửa tay tệp này); "
        "thêm --force để ghi đè hoặc chọn tên khác bằng --annotate.",
    )
    assert "bằng -o" not in flat(result.output)  # validate has no -o
    assert copy.read_bytes() == PREVIOUS


# --- a disk filling up, in a real process ---------------------------------------------------------

_FULL_DISK_CHILD = """
import resource, signal, sys
limit = int(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from danvan_cli.cli import main
sys.argv = ["danvan", *sys.argv[2:]]
main()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("command", ["validate --annotate", "init"], ids=["annotate", "init"])
def test_a_write_failing_halfway_in_a_real_process(command: str, tmp_path: Path) -> None:
    """No file may grow past 20 KB: the output cannot be written. One Vietnamese line, and no
    ``Exception ignored … OSError`` trace at exit (a zip left open by the failed write)."""
    env = {**os.environ, "COLUMNS": "2000", "NO_COLOR": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    out = tmp_path / "ra"
    if command == "init":
        args = ["init", str(out), "--ten", "Tân Hưng", "--tinh", "Hải Phòng", "--year", "2024"]
        path = out / "so_dan_van_2024.xlsx"
    else:
        out.mkdir()
        path = out / "chu_thich.xlsx"
        args = ["validate", str(MISTAKES), "--annotate", str(path)]
    done = subprocess.run(
        [sys.executable, "-c", _FULL_DISK_CHILD, str(20 * 1024), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert said(
        done.stderr,
        f"Lỗi: Không ghi được tệp «{path}»: tệp lớn quá mức ổ đĩa này cho phép. Hãy ghi sang ổ "
        "đĩa khác rồi chạy lại.",
    ), done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() or listing(out) == []
