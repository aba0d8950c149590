"""``validate --annotate``: a copy of the workbook with every problem cell coloured and
commented. The input is never modified."""

from __future__ import annotations

from pathlib import Path

from danvan_cli.checks import Report, Severity
from danvan_cli.errors import DanvanError, UsageError
from danvan_cli.output import write_atomic

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"


def annotate_copy(source: Path, report: Report, out: Path, force: bool = False) -> Path:
    """Write ``out``: ``source`` with bad cells filled (red errors, yellow warnings) and a
    comment holding the message and the fix."""
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError("--annotate chỉ làm được với sổ .xlsx/.xlsm; hãy lưu sổ dưới dạng .xlsx.")
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UsageError(f"Tệp chú thích «{out}» phải có đuôi .xlsx.")
    if out.resolve() == source.resolve():
        raise UsageError("Tệp chú thích phải khác sổ gốc (danvan không sửa sổ gốc).")

    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    try:
        book = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    except Exception:  # openpyxl raises many kinds for damaged files
        raise DanvanError(f"Không mở được «{source.name}» để ghi chú thích.") from None
    notes: dict[tuple[str, str], list[str]] = {}
    worst: dict[tuple[str, str], Severity] = {}
    for issue in report.issues:
        if not issue.sheet or not issue.cell or issue.sheet not in book.sheetnames:
            continue
        key = (issue.sheet, issue.cell)
        notes.setdefault(key, []).append(
            f"[{issue.severity.label}] {issue.message} Cách sửa: {issue.hint}"
        )
        if worst.get(key) is not Severity.ERROR:
            worst[key] = issue.severity
    for (sheet, cell), lines in notes.items():
        target = book[sheet][cell]
        colour = ERROR_FILL if worst[(sheet, cell)] is Severity.ERROR else WARNING_FILL
        target.fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        text = ILLEGAL_CHARACTERS_RE.sub("", "\n".join(lines))  # messages quote cell values
        comment = Comment(text, "danvan")
        comment.width, comment.height = 320, 40 + 40 * len(lines)
        target.comment = comment
    return write_atomic(out, book.save, force)
