"""Printing for people, the only place besides cli.py that writes to the terminal: reports,
figures and batch summaries as rich tables in Vietnamese, and the batch progress bar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from danvan_cli.checks import ERROR_CODES, Issue, Report
from danvan_cli.streams import safe
from danvan_cli.vietnamese import group_thousands

if TYPE_CHECKING:
    from rich.progress import TaskID

    from danvan_cli.batch import BatchOutcome, CommuneResult, Progress
    from danvan_cli.figures import Figures, PreviousFigures

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)


def plain(text: str) -> str:
    """``safe`` text to put inside a rich markup string: its brackets are not markup."""
    return escape(safe(text))


def issue_line(issue: Issue, file: str) -> Text:
    """One issue for people: where, what, and how to fix it; readable in any terminal width."""
    error = issue.code in ERROR_CODES
    line = Text("  ✗ " if error else "  ! ", style="red" if error else "yellow")
    line.append(safe(issue.ref or Path(file).name), style="bold")
    if issue.column:
        line.append(f" ({safe(issue.column)})")
    line.append(f" — {issue.severity.label}: ")
    line.append(safe(issue.message))
    line.append(f"\n      Cách sửa: {issue.hint}", style="dim")
    return line


def summary_line(report: Report) -> str:
    verdict = "[green]hợp lệ[/green]" if report.ok else "[red]có lỗi[/red]"
    return (
        f"{escape(safe(report.file))}: {verdict} — {group_thousands(report.error_count)} lỗi, "
        f"{group_thousands(report.warning_count)} cảnh báo"
    )


MAX_SHOWN = 200
"""Issues printed per file; a log with thousands of the same slip lists the rest in --json.
Only these are made (``validate`` runs with ``Budget(shown=MAX_SHOWN)``) and formatted: a log
whose every row carries a warning costs little more to show."""


def print_report(report: Report, console: Console = out, limit: int = MAX_SHOWN) -> None:
    if report.fatal:
        console.print(f"[red]Lỗi:[/red] {escape(safe(report.fatal))}")
    shown = report.issues[:limit]
    if shown:  # one text of all the lines: rich lays them out once, as it would one by one
        console.print(Text("\n").join(issue_line(issue, report.file) for issue in shown))
    # kept beyond those shown: made (a run that keeps them all), or only counted (one that
    # makes only what it shows: checks.Budget.shown)
    hidden = len(report.issues) - min(limit, len(report.issues)) + report.unshown_count
    if hidden > 0:
        more = group_thousands(hidden)
        console.print(f"  … và {more} vấn đề khác: xem đủ bằng --json hoặc --annotate.")
    note = report.omitted_note()
    if note is not None:
        console.print(f"  … {note}")
    console.print(summary_line(report))


def _n(value: int) -> str:
    from danvan_cli.vietnamese import format_count

    return format_count(value, leading_zero=False)


FigureRow = tuple[str, str, str, tuple[str, str] | None]
"""(group, label, value, the compared figure's (group, key) in compare.COMPARED or None)."""


def _period_rows(part: Figures | PreviousFigures) -> list[FigureRow]:
    """The rows of the period's figures, for this year's or last year's."""
    from danvan_cli.vietnamese import format_percent

    n = _n
    r, pe, d = part.reception, part.petitions, part.dossiers
    rows: list[FigureRow] = [
        ("Tiếp công dân", "Lượt tiếp", n(r.visits), ("reception", "visits")),
        ("", "Số người", n(r.people), ("reception", "people")),
        ("", "Vụ việc", n(r.cases), ("reception", "cases")),
        ("", "Đoàn đông người", n(r.groups), ("reception", "groups")),
        (
            "",
            "Vụ việc khiếu nại / tố cáo / kiến nghị / phản ánh",
            " / ".join(n(getattr(r.cases_by_kind, k)) for k in _KINDS),
            None,
        ),
    ]
    for key, label in _MODES:
        mode = getattr(r.by_mode, key)
        rows.append(
            (
                "",
                f"{label}: buổi / lượt / người / vụ việc",
                f"{n(mode.sessions)} / {n(mode.visits)} / {n(mode.people)} / {n(mode.cases)}",
                None,
            )
        )
    rows += [
        ("Đơn thư", "Đơn tiếp nhận", n(pe.received), ("petitions", "received")),
        ("", "Đã xử lý", n(pe.processed), ("petitions", "processed")),
        ("", "Đủ điều kiện xử lý", n(pe.eligible), ("petitions", "eligible")),
        ("Hồ sơ một cửa", "Nguồn số liệu", _SOURCES.get(d.source, d.source), None),
        ("", "Kỳ trước chuyển sang", n(d.carried_over), ("dossiers", "carried_over")),
        (
            "",
            "Mới tiếp nhận (trực tuyến / trực tiếp / bưu chính)",
            f"{n(d.received)} ({n(d.online)} / {n(d.direct)} / {n(d.postal)})",
            ("dossiers", "received"),
        ),
        (
            "",
            "Đã giải quyết (trước hạn / đúng hạn / quá hạn)",
            f"{n(d.resolved)} ({n(d.early)} / {n(d.on_time)} / {n(d.late)})",
            ("dossiers", "resolved"),
        ),
        (
            "",
            "Đang giải quyết (quá hạn)",
            f"{n(d.open)} ({n(d.open_overdue)})",
            ("dossiers", "open"),
        ),
        ("", "Tỷ lệ trực tuyến", format_percent(d.online_rate), ("dossiers", "online_rate")),
        ("", "Tỷ lệ đúng hạn", format_percent(d.on_time_rate), ("dossiers", "on_time_rate")),
    ]
    return rows


def print_figures(figures: Figures, console: Console = out) -> None:
    """The figures as a table; with last year's figures, a "Cùng kỳ" column and the change
    beside each key figure."""
    from danvan_cli.vietnamese import format_decimal

    n = _n
    p = figures.period
    previous = figures.previous
    console.print(
        f"[bold]{escape(safe(figures.unit.kind))} {escape(safe(figures.unit.name))}[/bold] — "
        f"{p.label} "
        f"(số liệu từ {_d(p.start)} đến {_d(p.end)})"
    )
    if previous is not None:
        pp = previous.period
        console.print(f"So với cùng kỳ: {pp.label} (số liệu từ {_d(pp.start)} đến {_d(pp.end)})")
    table = Table(show_header=True)
    table.add_column("Nhóm")
    table.add_column("Chỉ tiêu")
    table.add_column("Số liệu", justify="right")
    if previous is not None:
        table.add_column("Cùng kỳ", justify="right")
        table.add_column("Tăng, giảm")
    pr = figures.profile
    pc = figures.procedures
    before: list[FigureRow] = [
        (
            "Đặc điểm",
            "Diện tích (km²)",
            format_decimal(pr.area_km2) if pr.area_km2 else "—",
            None,
        ),
        ("", "Dân số (người)", n(pr.population) if pr.population is not None else "—", None),
        ("", "Mật độ (người/km²)", n(pr.density) if pr.density is not None else "—", None),
    ]
    after: list[FigureRow] = [
        ("Thủ tục hành chính", "Số TTHC / lĩnh vực", f"{n(pc.total)} / {n(pc.fields)}", None),
        ("", "DVC toàn trình / một phần", f"{n(pc.full_online)} / {n(pc.partial_online)}", None),
        ("Văn bản, mô hình", "Văn bản được dẫn", n(len(figures.documents)), None),
        ("", "Mô hình «Dân vận khéo»", n(len(figures.models)), None),
        ("Kỷ luật", "CBCC vi phạm", n(figures.discipline.violations), None),
        ("", "Đơn về thái độ phục vụ", n(figures.discipline.attitude_complaints), None),
    ]
    current = _period_rows(figures)
    if previous is None:
        for group, label, value, _ in [*before, *current, *after]:
            table.add_row(group, label, value)
        console.print(table)
        return
    from danvan_cli.compare import phrases

    moved = phrases(
        figures.model_dump(mode="json"), previous.model_dump(mode="json"), previous.year, False
    )
    for group, label, value, _ in before:
        table.add_row(group, label, value, "", "")
    for (group, label, value, key), (_, _, then, _) in zip(
        current, _period_rows(previous), strict=True
    ):
        change = moved[key[0]][key[1]].change if key is not None else ""
        table.add_row(group, label, value, then, change or "—" if key else "")
    for group, label, value, _ in after:
        table.add_row(group, label, value, "", "")
    console.print(table)


_KINDS = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh")
_SOURCES = {
    "HoSo": "danh sách hồ sơ (HoSo, từng hồ sơ)",
    "MotCua": "số liệu theo tháng (MotCua)",
}
_MODES = (
    ("thuong_xuyen", "Thường xuyên"),
    ("dinh_ky", "Định kỳ"),
    ("uy_quyen", "Ủy quyền"),
    ("dot_xuat", "Đột xuất"),
)


def _d(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)}/{int(month)}/{year}"


# --- batch ------------------------------------------------------------------------------------

SCREEN_ROWS = 100
"""Above this many workbooks the screen table lists only the failed ones."""


_STAGES = {
    "units": "Đang đọc thông tin các sổ",
    "reports": "Đang lập báo cáo",
    "pdf": "Đang xuất PDF",
}
MAX_SKIPPED_SHOWN = 5


@contextmanager
def batch_progress(console: Console = err) -> Iterator[Progress]:
    """A progress bar for ``run_batch(progress=…)`` (off when not a terminal), one line per
    stage (each workbook's ThongTin, the reports, then PDFs). It starts at the batch's first
    call, once the worker processes are running, and stops on leaving."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )
    tasks: dict[str, TaskID] = {}

    def update(done: int, total: int, stage: str = "reports") -> None:
        if stage not in tasks:
            if not tasks:
                bar.start()
            tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    try:
        yield update
    finally:
        if tasks:
            bar.stop()


UNCOMPARED_SHOWN = 20
"""Communes without last year's workbook named on screen; all of them are in the summary."""


def _print_comparison(outcome: BatchOutcome, console: Console) -> None:
    """With ``--so-sanh``: how many communes were compared with last year, which were not,
    and the workbooks of the comparison folder that could not be read."""
    previous = outcome.previous
    if previous is None:
        return
    missing = outcome.uncompared
    compared = len(outcome.succeeded) - len(missing)
    line = f"So sánh với cùng kỳ: {compared}/{len(outcome.succeeded)} đơn vị có sổ năm trước"
    if missing:
        names = ", ".join(safe(r.unit or r.name) for r in missing[:UNCOMPARED_SHOWN])
        more = (
            f" và {len(missing) - UNCOMPARED_SHOWN} đơn vị khác"
            if len(missing) > UNCOMPARED_SHOWN
            else ""
        )
        line += f"; chưa so sánh: {names}{more}"
    console.print(Text(line + "."))
    if previous.unreadable:
        names = ", ".join(safe(path.name) for path in previous.unreadable[:UNCOMPARED_SHOWN])
        console.print(
            Text(
                f"Không đọc được thông tin đơn vị (trang ThongTin) của {len(previous.unreadable)} "
                f"sổ trong «{safe(str(previous.folder))}»: {names}; các sổ này không được dùng "
                "để so sánh.",
                style="yellow",
            )
        )


def print_batch(outcome: BatchOutcome, console: Console = out) -> None:
    """The table of communes (all of them, or in a large batch only those to look at again:
    failed, duplicate, of another year, without the PDF asked for; report names relative to
    the output folder, every name wrapped, never cut), the closing counts, the files left
    unread and the summary workbook."""
    results = outcome.results
    listed = list(enumerate(results, start=1))
    if len(results) > SCREEN_ROWS:
        listed = [(number, r) for number, r in listed if not r.ok or r.pdf_missing]
    if listed:
        table = Table(show_header=True, header_style="bold", box=box.SQUARE, show_lines=True)
        table.add_column("STT", justify="right", no_wrap=True)
        table.add_column("Đơn vị", overflow="fold")
        table.add_column("Sổ", overflow="fold")
        table.add_column("Trạng thái", overflow="fold")
        table.add_column("Báo cáo, ghi chú", overflow="fold")
        for number, result in listed:
            table.add_row(  # names come from the workbooks: plain Text, never rich markup
                str(number),
                Text(safe(result.unit or "—")),
                Text(safe(result.name)),
                _status_cell(result),
                _report_cell(result),
            )
        console.print(table)
    if len(results) > SCREEN_ROWS:
        console.print(
            "(Bảng trên chỉ liệt kê các sổ cần xem lại: lỗi, trùng, khác năm, chưa có PDF; đủ "
            f"{len(results)} sổ có trong sổ tổng hợp.)"
        )
    for line in batch_closing_lines(outcome):
        console.print(Text(line))
    _print_comparison(outcome, console)
    if outcome.summary_path is not None:
        console.print(f"Sổ tổng hợp: {plain(str(outcome.summary_path))}")


def _status_cell(result: CommuneResult) -> Text:
    colour = {"Đã lập": "green", "Đã có": "cyan", "Khác năm": "yellow"}.get(
        result.label, "bold red"
    )
    cell = Text(result.label, style=colour)
    if result.pdf_missing:
        cell.append("\nchưa có PDF", style="bold red")
    counts = [f"{result.errors} lỗi"] if result.errors else []
    counts += [f"{result.warnings} cảnh báo"] if result.warnings else []
    for count in counts:
        cell.append(f"\n{count}", style="dim")
    return cell


def _report_cell(result: CommuneResult) -> Text:
    if not result.ok:
        colour = "yellow" if result.label == "Khác năm" else "red"
        return Text(safe(result.reason), style=colour)
    cell = Text(safe(result.output.name) if result.output else "")
    if result.note:
        cell.append(f"\n{safe(result.note)}", style="yellow")
    return cell


def batch_closing_lines(outcome: BatchOutcome) -> list[str]:
    """What a batch did, counted: built, kept, duplicates, failures; where the reports are;
    which files it did not read."""
    from danvan_cli.batch import STATUS_DUPLICATE, STATUS_EXISTING, STATUS_FAILED, STATUS_OK

    other_year = outcome.other_year
    total = len(outcome.results) - len(other_year)
    parts = [f"Đã lập {outcome.count(STATUS_OK)}/{total} báo cáo"]
    existing = outcome.count(STATUS_EXISTING)
    if existing:
        parts.append(f"{existing} báo cáo đã có, giữ nguyên")
    duplicates = outcome.count(STATUS_DUPLICATE)
    if duplicates:
        parts.append(f"{duplicates} sổ trùng đơn vị")
    parts.append(f"{outcome.count(STATUS_FAILED)} sổ lỗi")
    lines = ["; ".join(parts) + "."]
    if other_year:
        lines.append(_other_year_line(outcome))
    if outcome.pdf:
        built = [r for r in outcome.results if r.status == STATUS_OK]
        missing = len(outcome.without_pdf)
        line = f"Đã xuất PDF cho {len(built) - missing}/{len(built)} báo cáo mới lập"
        if missing:
            line += (
                f"; {missing} báo cáo chưa có PDF (lý do ghi bên cạnh báo cáo đó; tệp .docx vẫn "
                "giữ)"
            )
        lines.append(line + ".")
    if existing:
        lines.append(
            "Báo cáo đã có không bị ghi đè (có thể đã được sửa tay); số liệu của chúng vẫn vào "
            "sổ tổng hợp. Thêm --force để lập lại tất cả."
        )
    if outcome.out_dir is not None and any(r.output for r in outcome.results):
        lines.append(f"Thư mục báo cáo: {safe(str(outcome.out_dir))}")
    if outcome.skipped:
        shown = [f"{safe(s.source.name)} ({s.why})" for s in outcome.skipped[:MAX_SKIPPED_SHOWN]]
        more = len(outcome.skipped) - len(shown)
        listing = ", ".join(shown) + (f" và {more} tệp khác" if more else "")
        lines.append(f"Không đọc {len(outcome.skipped)} tệp: {listing}.")
    return lines


def _other_year_line(outcome: BatchOutcome) -> str:
    """Which year the batch is, and what became of the workbooks of other years."""
    years = sorted({r.workbook_year for r in outcome.other_year if r.workbook_year is not None})
    books = len(outcome.other_year)
    if outcome.year_asked:
        why = "theo --year"
    else:
        counts = outcome.year_counts
        books_of_year = counts.get(outcome.year, 0) if outcome.year is not None else 0
        why = f"năm của {books_of_year}/{len(outcome.results)} sổ"
        if sum(1 for count in counts.values() if count == books_of_year) > 1:
            why += "; số sổ bằng nhau thì lấy năm mới nhất"
    listed = ", ".join(str(year) for year in years)
    runs = " hoặc ".join(f"--year {year}" for year in years)
    return (
        f"Năm báo cáo {outcome.year} ({why}): {books} sổ của năm khác ({listed}) không được "
        f"lập, không cộng vào tổng; muốn lập các sổ đó, chạy lại với {runs}."
    )
