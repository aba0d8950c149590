"""Many reports -> PDF with LibreOffice started once (SPEC §7: ``batch --pdf``), not once per
report: one headless run converts every report its command line can hold, into a private
folder; each PDF is then checked whole and moved beside its report atomically, never replacing
an existing file without ``force``.

LibreOffice runs with its own throw-away profile, so that a LibreOffice window the clerk has open
does not swallow the job. A run that stops producing PDFs for ``STALL_SECONDS`` is stopped; the
reports it did not convert are told apart from those it did.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from danvan_cli.errors import DanvanError

STALL_SECONDS = 180
"""A LibreOffice run that writes no new PDF for this long is stopped."""
POLL_SECONDS = 0.1
MAX_COMMAND_CHARS = 24_000 if sys.platform == "win32" else 1_000_000
"""Room for report names on one command line (Windows allows 32.767 characters)."""


@dataclass(frozen=True)
class Converted:
    """One report's PDF, or why it has none."""

    docx: Path
    pdf: Path | None = None
    problem: str = ""


NO_OFFICE_NOTE = "Chưa có PDF: không tìm thấy LibreOffice."
"""A report's note when LibreOffice is missing (the batch says what to do once, at the end)."""


def no_pdf_at_all(reports: int, office_found: bool, problem: str = "") -> str:
    """Why a batch asked for PDFs produced none of its ``reports``, and what to do: said once,
    after the table that lists the reports (their .docx are written)."""
    kept = f"{reports} báo cáo mới lập vẫn có tệp .docx (liệt kê ở trên) nhưng chưa có PDF nào"
    if not office_found:
        return (
            f"Không tìm thấy LibreOffice để xuất PDF (cần lệnh soffice hoặc libreoffice): {kept}. "
            "Mở từng báo cáo bằng Word rồi lưu thành PDF, hoặc cài LibreOffice rồi chạy lại với "
            "--pdf --force (--force ghi lại các báo cáo này: những chỗ đã sửa tay sẽ mất)."
        )
    return (
        f"Không xuất được PDF nào: {kept} ({problem}). Thử mở một báo cáo bằng LibreOffice rồi "
        "lưu thành PDF để xem lỗi, hoặc mở báo cáo bằng Word rồi lưu thành PDF."
    )


def convert_reports(
    office: str,
    reports: Sequence[Path],
    force: bool,
    progress: Callable[[int], None] | None = None,
) -> list[Converted]:
    """Convert ``reports`` (in one folder or several) with as few LibreOffice runs as the command
    line allows; ``progress(done)`` as PDFs appear. Never raises for one report's failure, and
    never touches a PDF that is already there without ``force`` (see ``discard_old_pdf``)."""
    done = 0
    results: list[Converted] = []
    with tempfile.TemporaryDirectory(prefix="danvan-pdf-") as work:
        workdir = Path(work)
        profile = (workdir / "profile").as_uri()
        for group in _groups(reports):
            outdir = workdir / f"pdf{len(results)}"
            outdir.mkdir()

            def seen(count: int, base: int = done) -> None:
                if progress is not None:
                    progress(base + count)

            problem = _run(office, profile, group, outdir, seen)
            for docx in group:
                results.append(_place(docx, outdir / (docx.stem + ".pdf"), problem, force))
            done += len(group)
            if progress is not None:
                progress(done)
    return results


def _groups(reports: Sequence[Path]) -> list[list[Path]]:
    """Reports in runs of one folder, distinct names and a command line of bounded length."""
    groups: list[list[Path]] = []
    current: list[Path] = []
    stems: set[str] = set()
    length = 0
    for docx in reports:
        size = len(str(docx.resolve())) + 3
        folder_changed = bool(current) and docx.parent != current[-1].parent
        if current and (
            folder_changed or docx.stem.casefold() in stems or length + size > MAX_COMMAND_CHARS
        ):
            groups.append(current)
            current, stems, length = [], set(), 0
        current.append(docx)
        stems.add(docx.stem.casefold())
        length += size
    if current:
        groups.append(current)
    return groups


def libreoffice_command(
    office: str, profile: str, outdir: Path, reports: Sequence[Path]
) -> list[str]:
    """LibreOffice, headless with its own ``profile`` (a file URI), converting ``reports`` to
    PDF into ``outdir``."""
    return [
        office,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, reports),
    ]


def _run(
    office: str,
    profile: str,
    reports: list[Path],
    outdir: Path,
    progress: Callable[[int], None],
) -> str:
    """One LibreOffice run over ``reports``; the problem that stopped it, or "" (a report it
    skipped is found missing afterwards)."""
    command = libreoffice_command(office, profile, outdir, [docx.resolve() for docx in reports])
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=outdir.parent,
        )
    except OSError as err:
        return f"Không chạy được LibreOffice ({err.strerror or type(err).__name__})."
    count, last_change = 0, time.monotonic()
    try:
        while process.poll() is None:
            time.sleep(POLL_SECONDS)
            produced = sum(1 for name in os.listdir(outdir) if name.endswith(".pdf"))
            if produced != count:
                count, last_change = produced, time.monotonic()
                progress(count)
            elif time.monotonic() - last_change > STALL_SECONDS:
                _stop(process)
                return f"LibreOffice không xuất xong PDF sau {STALL_SECONDS} giây."
    except BaseException:  # Ctrl-C: LibreOffice does not outlive danvan
        _stop(process)
        raise
    return ""


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


def _place(docx: Path, produced: Path, problem: str, force: bool) -> Converted:
    """Move one produced PDF beside its report (atomically), or say why there is none."""
    from danvan_cli.output import write_atomic

    if not _is_whole_pdf(produced):
        return Converted(docx, problem=problem or "LibreOffice không xuất được PDF của báo cáo.")

    def copy(temp: Path) -> None:
        shutil.copyfile(produced, temp)

    try:
        return Converted(docx, pdf=write_atomic(docx.with_suffix(".pdf"), copy, force))
    except DanvanError as err:
        return Converted(docx, problem=str(err))


def discard_old_pdf(pdf: Path, problem: str) -> tuple[str, bool]:
    """After a failed conversion with ``--force``: a PDF already beside the new report belongs
    to the report it replaced, so it is deleted rather than left as if it matched. Returns the
    problem told in full, and whether the old PDF is gone."""
    try:
        pdf.unlink()
    except FileNotFoundError:
        return problem, True
    except OSError:
        return (
            f"{problem} Tệp PDF cũ «{pdf}» không còn khớp với báo cáo mới nhưng không xóa "
            "được: hãy xóa hoặc đóng tệp đó rồi chạy lại.",
            False,
        )
    return f"{problem} Đã xóa tệp PDF cũ «{pdf}» vì nó không còn khớp với báo cáo mới.", True


def _is_whole_pdf(path: Path) -> bool:
    """A finished PDF: starts with its header and ends with ``%%EOF`` (a run stopped while
    writing leaves a truncated file)."""
    with contextlib.suppress(OSError):
        with path.open("rb") as handle:
            head = handle.read(5)
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 1024))
            tail = handle.read()
        return head == b"%PDF-" and b"%%EOF" in tail
    return False
