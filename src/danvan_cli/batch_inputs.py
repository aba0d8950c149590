"""Which files a batch reads (SPEC §5): the workbooks named or found in the folders given, never
danvan's own outputs. A path that does not exist stops the batch before anything is written.

Two rules keep a batch from reading what it (or an earlier run) wrote: nothing inside the output
folder is read when that folder lies inside an input folder, and a workbook carrying danvan's
mark (marks.py) is skipped wherever it lies: a summary always, an annotated copy as long as no
one has saved it since (a clerk who fixes the mistakes in the annotated copy and saves it has
made it their commune's workbook). Reports are .docx files and never look like inputs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from danvan_cli.errors import DanvanError

SKIP_OUTPUT_FOLDER = "trong thư mục ra"
SKIP_SUMMARY = "sổ tổng hợp do danvan ghi"
SKIP_ANNOTATED = "bản sao chú thích do danvan ghi"
LOCK_PREFIXES = ("~$", ".~lock")
"""Lock files Excel and LibreOffice keep beside an open workbook."""


@dataclass(frozen=True)
class Source:
    """A workbook of the batch, and how it is shown to people: its path relative to the folder
    it was found in, or as it was named on the command line."""

    path: Path
    name: str


@dataclass(frozen=True)
class Skipped:
    source: Source
    why: str


@dataclass(frozen=True)
class Sources:
    found: list[Source]
    skipped: list[Skipped]


class InputFiles:
    """The files a batch reads, to tell whether a path it is about to write is one of them:
    the same file under any spelling (a link, another case on a case-blind disk)."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self._by_file: dict[tuple[object, ...], Source] = {}
        for source in sources:
            key = _file_key(source.path)
            if key is not None:
                self._by_file.setdefault(key, source)

    def find(self, path: Path) -> Source | None:
        """The input that ``path`` is, or None (also when ``path`` does not exist)."""
        key = _file_key(path)
        return self._by_file.get(key) if key is not None else None


def output_refusal(path: Path, what: str, inputs: InputFiles) -> str:
    """Why the batch may not write ``what`` (``báo cáo``, ``sổ tổng hợp``…) at ``path``,
    whatever --force says, or "": a folder is there, or the file there is one of the run's
    inputs (an input named on the command line may have any suffix)."""
    if path.is_dir():
        return (
            f"Không ghi được {what} «{path}»: đã có một thư mục mang đúng tên này. Đổi tên hoặc "
            "xóa thư mục đó, hoặc chọn thư mục ra khác bằng -o, rồi chạy lại."
        )
    source = inputs.find(path)
    if source is not None:
        return (
            f"Không ghi được {what} «{path}»: đó chính là sổ «{source.name}» mà lần chạy này "
            "đọc vào, và danvan không bao giờ ghi đè sổ đầu vào (kể cả khi có --force). Đổi tên "
            "sổ đó hoặc chọn thư mục ra khác bằng -o, rồi chạy lại."
        )
    return ""


def _file_key(path: Path) -> tuple[object, ...] | None:
    """The file's identity on its disk; its full path where the disk gives no file number
    (some network shares and FAT drives); None when there is no such file."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    if found.st_ino:
        return (found.st_dev, found.st_ino)
    return (found.st_dev, os.path.normcase(os.path.realpath(path)))


def find_sources(inputs: Iterable[Path], out_dir: Path | None = None) -> Sources:
    """The workbooks to read, in a stable order (folders sorted), each once, none of them
    inside ``out_dir`` (the output folder) or written by danvan; raise DanvanError when an
    input does not exist."""
    from danvan_cli.marks import ANNOTATED, SUMMARY, mark_of

    inputs = list(inputs)
    missing = [item for item in inputs if not item.exists()]
    if missing:
        names = ", ".join(f"«{item}»" for item in missing)
        raise DanvanError(
            f"Không tìm thấy {names}: không có tệp hay thư mục nào như vậy. Chưa lập báo cáo "
            "nào; hãy kiểm tra lại tên (chữ có dấu, khoảng trắng) rồi chạy lại."
        )
    why_marked = {SUMMARY: SKIP_SUMMARY, ANNOTATED: SKIP_ANNOTATED}
    found: list[Source] = []
    skipped: list[Skipped] = []
    seen: set[Path] = set()
    for source, inside_output in _candidates(inputs, out_dir):
        key = source.path.resolve()
        if key in seen:
            continue
        seen.add(key)
        if inside_output:
            skipped.append(Skipped(source, SKIP_OUTPUT_FOLDER))
            continue
        mark = mark_of(source.path)
        if mark is not None and (mark.kind != ANNOTATED or mark.untouched):
            skipped.append(Skipped(source, why_marked.get(mark.kind, SKIP_SUMMARY)))
        else:
            found.append(source)
    return Sources(found, skipped)


def _candidates(inputs: list[Path], out_dir: Path | None) -> Iterator[tuple[Source, bool]]:
    """(source, lies inside the output folder) for the files named and the workbooks in the
    folders named."""
    from danvan_cli.workbook import SUFFIXES

    output = out_dir.resolve() if out_dir is not None else None
    for item in inputs:
        if not item.is_dir():
            yield Source(item, str(item)), False
            continue
        folder = item.resolve()
        # The output folder is left out only when it lies strictly inside this input folder:
        # `batch . -o .` still reads the workbooks kept beside the reports.
        inside: tuple[str, ...] = ()
        if output is not None and output.is_relative_to(folder):
            inside = output.relative_to(folder).parts
        for child in sorted(item.rglob("*")):
            if (
                child.suffix.lower() in SUFFIXES
                and not child.name.startswith(LOCK_PREFIXES)
                and child.is_file()
            ):
                relative = child.relative_to(item)
                in_output = bool(inside) and relative.parts[: len(inside)] == inside
                yield Source(child, str(relative)), in_output
