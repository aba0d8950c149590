"""The ``danvan`` command line: parse options, call the library, print, map errors to exit codes.

Heavy modules are imported inside the commands that need them, so ``danvan --help`` stays fast.
Every error becomes a message and an exit code in one place, ``DanvanGroup.main``: 2 for wrong
command-line use, 1 for bad input or a failure; ``--debug`` (kept in ``ctx.obj``) lets the
exception through with its traceback instead."""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from danvan_cli import __version__, usage
from danvan_cli.errors import DanvanError, UsageError
from danvan_cli.streams import Streamed, protect_streams, safe, write_json

if TYPE_CHECKING:
    from danvan_cli.build import PeriodRequest
    from danvan_cli.config import Settings

PROG_NAME = "danvan"
START_METHOD_VARIABLE = "DANVAN_START_METHOD"
"""How ``batch`` starts its worker processes (one of ``multiprocessing``'s start methods):
``spawn`` runs a batch on Linux as Windows does (its only method); the default is the
platform's."""


@dataclass
class CliState:
    """What the root options tell the error handling; the root command's ``ctx.obj``."""

    debug: bool = False


class DanvanGroup(TyperGroup):
    """The root command. ``main`` runs the app (from the console script or a test's CliRunner)
    and turns whatever it raised into a Vietnamese message and an exit code."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        state = CliState()
        protect_streams()
        with usage.vietnamese():
            try:
                result = super().main(
                    args,
                    prog_name,
                    complete_var,
                    standalone_mode=False,
                    windows_expand_args=windows_expand_args,
                    obj=state,
                    **extra,
                )
                code = result if isinstance(result, int) else 0
            except typer.TyperException as err:  # the framework's usage errors (exit 2)
                code = err.exit_code
                if code == 2:
                    _echo(usage.usage_error(err, prog_name or PROG_NAME), err=True)
                else:
                    _print_error(usage.reword_error(err.format_message()))
            except typer.Abort:
                typer.echo("Đã dừng.", err=True)
                code = 1
            except KeyboardInterrupt:
                code = 130
            except DanvanError as err:
                if state.debug:
                    raise
                _print_error(str(err))
                code = err.exit_code
            except OSError as err:  # a refusal of the system no module foresaw
                if state.debug:
                    raise
                _print_error(_os_refusal(err))
                code = 1
            except Exception as err:
                if state.debug:
                    raise
                _print_markup(
                    f"[red]Lỗi không mong đợi[/red] ({type(err).__name__}). Chạy lại với --debug "
                    "để xem chi tiết và gửi cho người hỗ trợ."
                )
                code = 1
        if standalone_mode:
            sys.exit(code)
        return code


def _os_refusal(err: OSError) -> str:
    """An unforeseen refusal of the operating system, in Vietnamese, naming its path."""
    from danvan_cli.output import os_error

    if err.filename is not None:
        return str(os_error(err, Path(str(err.filename))))
    detail = err.strerror or type(err).__name__
    return (
        f"Hệ điều hành từ chối thao tác ({detail}). Kiểm tra ổ đĩa, quyền ghi và đường dẫn "
        "rồi chạy lại."
    )


def _echo(text: str, err: bool = False) -> None:
    """A line of plain text (help, usage, a path we wrote), fit for a terminal."""
    typer.echo(safe(text), err=err)


def _print_error(message: str) -> None:
    from danvan_cli.console import plain

    _print_markup(f"[red]Lỗi:[/red] {plain(message)}")


def _print_markup(markup: str) -> None:
    from danvan_cli.console import err

    err.print(markup)


def _show_help(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        _echo(usage.reword_usage(ctx.get_help()))
        raise typer.Exit()


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG_NAME} {__version__}")
        raise typer.Exit()


HelpOpt = Annotated[
    bool,
    typer.Option(
        "--help",
        "-h",
        is_eager=True,
        expose_value=False,
        callback=_show_help,
        help=usage.HELP_TEXT,
    ),
]
"""Every command's ``-h/--help`` (the framework's own is switched off: its text is English)."""

_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "rich_markup_mode": None,
    "options_metavar": usage.OPTIONS_METAVAR,
    "subcommand_metavar": usage.SUBCOMMAND_METAVAR,
    "invoke_without_command": True,
    "context_settings": {"help_option_names": []},
}
app = typer.Typer(name=PROG_NAME, cls=DanvanGroup, pretty_exceptions_enable=False, **_SETTINGS)
template_app = typer.Typer(**_SETTINGS)
app.add_typer(template_app, name="template")


def _help_without_command(ctx: typer.Context) -> None:
    """A group called without a command: its help, as a usage error (exit 2)."""
    if ctx.invoked_subcommand is None:
        _echo(usage.reword_usage(ctx.get_help()), err=True)
        raise typer.Exit(2)


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[
        bool, typer.Option("--debug", help="Hiện chi tiết kỹ thuật (traceback) khi có lỗi.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="In phiên bản rồi thoát."
        ),
    ] = False,
    _help: HelpOpt = False,
) -> None:
    """Lập báo cáo kết quả công tác dân vận chính quyền từ sổ Excel của xã/phường."""
    ctx.ensure_object(CliState).debug = debug
    _help_without_command(ctx)


@template_app.callback()
def template_options(ctx: typer.Context, _help: HelpOpt = False) -> None:
    """Xuất mẫu báo cáo để sửa, hoặc kiểm tra một mẫu đã sửa."""
    _help_without_command(ctx)


# --- shared options ------------------------------------------------------------------------

FILE_HELP = (
    "SỔ: sổ Excel (.xlsx, .xlsm, .xls, .ods); bỏ trống khi thư mục hiện tại có danvan.toml "
    "hoặc đúng một sổ."
)
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        metavar="KỲ",
        help="Kỳ báo cáo: 3m, 6m, 9m, 12m (N tháng đầu năm), q1–q4 (quý), t1–t12 (tháng).",
    ),
]
YearOpt = Annotated[
    int | None,
    typer.Option("--year", "-y", metavar="NĂM", help="Năm báo cáo (mặc định: Năm trong sổ)."),
]
WindowOpt = Annotated[
    str,
    typer.Option(
        "--window",
        metavar="CÁCH",
        help="Cách lấy số liệu theo ngày: nd09 (15 tháng trước – 14 tháng "
        "cuối kỳ, mặc định) hoặc calendar (theo tháng dương lịch).",
    ),
]
FromOpt = Annotated[
    str | None,
    typer.Option("--from", metavar="NGÀY", help="Ngày bắt đầu lấy số liệu, ví dụ 15/12/2023."),
]
ToOpt = Annotated[
    str | None,
    typer.Option("--to", metavar="NGÀY", help="Ngày kết thúc lấy số liệu, ví dụ 14/9/2024."),
]
FileArg = Annotated[Path | None, typer.Argument(metavar="SỔ", hidden=True, show_default=False)]
"""Arguments are described in each command's help text: Typer prints an argument's type
(``<path>``) next to it whatever its metavar."""
ForceOpt = Annotated[bool, typer.Option("--force", help="Cho phép ghi đè tệp đã có.")]
TemplateOpt = Annotated[
    Path | None,
    typer.Option(
        "--template", metavar="MẪU", help="Mẫu .docx đã sửa (xuất bằng danvan template export)."
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="NGÀY",
        help="Ngày ghi trên báo cáo (mặc định: hôm nay), ví dụ 20/9/2024.",
    ),
]
NoZeroOpt = Annotated[
    bool, typer.Option("--no-leading-zero", help="Không viết số 1–9 thành 01–09.")
]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="Xuất thêm PDF (cần LibreOffice).")]
CompareOpt = Annotated[
    Path | None,
    typer.Option(
        "--so-sanh",
        metavar="SỔ_NĂM_TRƯỚC",
        help="Sổ Excel năm trước của chính đơn vị, để so sánh với cùng kỳ năm trước "
        "(tăng, giảm bao nhiêu); mặc định: so_sanh trong danvan.toml.",
    ),
]
HoSoOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--ho-so",
        metavar="TỆP",
        help="Danh sách hồ sơ xuất từ Hệ thống thông tin giải quyết thủ tục hành chính (mỗi "
        "dòng một hồ sơ); ghi nhiều lần cho nhiều tệp (ví dụ mỗi tháng một tệp). Mặc định: "
        "ho_so trong danvan.toml.",
    ),
]


def _settings() -> Settings:
    """``danvan.toml`` of the current folder, read once per command."""
    from danvan_cli.config import load_settings

    return load_settings()


def _period_request(
    settings: Settings,
    period: str | None,
    year: int | None,
    window: str,
    date_from: str | None,
    date_to: str | None,
) -> PeriodRequest:
    from danvan_cli.build import PeriodRequest

    code = period or settings.period
    if code is None:
        raise UsageError("Thiếu kỳ báo cáo: thêm --period, ví dụ --period 9m.")
    return PeriodRequest.from_options(code, year, window, date_from, date_to)


def _comparison(compare: Path | None, file: Path | None, settings: Settings) -> Path | None:
    """Last year's workbook: ``--so-sanh``, else ``so_sanh`` of danvan.toml when the workbook
    is the folder's own (not named, or the one danvan.toml names), not another one named on
    the command line (last year's own figures, say)."""
    if compare is not None or settings.so_sanh is None:
        return compare
    if file is None or (settings.workbook is not None and _same_file(file, settings.workbook)):
        return settings.so_sanh
    return None


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return first.resolve() == second.resolve()


def _exports(settings: Settings, ho_so: list[Path] | None, file: Path | None) -> tuple[Path, ...]:
    """The per-dossier exports: those named on the command line, else danvan.toml's when the
    workbook is the folder's own (not named, or the one danvan.toml names)."""
    if ho_so:
        chosen = tuple(ho_so)
    elif file is None or (settings.workbook is not None and _same_file(file, settings.workbook)):
        chosen = settings.ho_so
    else:
        return ()
    for position, path in enumerate(chosen):  # one file twice: all its codes "duplicated"
        if any(_same_file(path, earlier) for earlier in chosen[:position]):
            raise UsageError(
                f"Tệp danh sách hồ sơ «{path}» được ghi hai lần (--ho-so hoặc ho_so trong "
                "danvan.toml): mỗi tệp chỉ ghi một lần."
            )
    return chosen


def _warn(message: str, stderr: bool = False) -> None:
    from danvan_cli.console import err, out, plain

    (err if stderr else out).print(f"[yellow]Cảnh báo:[/yellow] {plain(message)}")


# --- commands ------------------------------------------------------------------------------


def interactive() -> bool:
    """Whether a person types at this run's terminal (``init`` asks them what is missing)."""
    return sys.stdin is not None and sys.stdin.isatty()


@app.command()
def init(
    folder: Annotated[
        Path, typer.Argument(metavar="THƯ_MỤC", hidden=True, show_default=False)
    ] = Path("."),
    name: Annotated[
        str | None,
        typer.Option(
            "--ten", metavar="TÊN", help="Tên đơn vị (hỏi khi chạy trong cửa sổ lệnh nếu thiếu)."
        ),
    ] = None,
    province: Annotated[
        str | None,
        typer.Option("--tinh", metavar="TỈNH", help="Tỉnh hoặc thành phố (hỏi nếu thiếu)."),
    ] = None,
    kind: Annotated[
        str,
        typer.Option("--loai", metavar="LOẠI", help="Xã, Phường, Thị trấn hoặc Đặc khu."),
    ] = "Xã",
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", metavar="NĂM", help="Năm của sổ mới (mặc định: năm nay)."),
    ] = None,
    _help: HelpOpt = False,
) -> None:
    """Tạo sổ Excel trống đúng mẫu (kèm trang HuongDan) và tệp danvan.toml. Không ghi đè.

    THƯ_MỤC: thư mục sẽ chứa sổ mới (mặc định: thư mục hiện tại).
    """
    from danvan_cli.blank import write_blank_workbook
    from danvan_cli.schema import UNIT_KINDS
    from danvan_cli.vietnamese import fold

    labels = {fold(c.label): c.label for c in UNIT_KINDS}
    if fold(kind) not in labels:
        raise UsageError(f"--loai «{kind}» không hợp lệ: chọn Xã, Phường, Thị trấn hoặc Đặc khu.")
    if interactive():  # asked only of a person at a terminal; a script is told what is missing
        name = name or typer.prompt("Tên xã/phường (ví dụ Tân Hưng)")
        province = province or typer.prompt("Tỉnh/Thành phố")
    missing = [
        option
        for option, value in (("tên đơn vị (--ten)", name), ("tỉnh/thành phố (--tinh)", province))
        if not value or not value.strip()
    ]
    if missing:
        raise UsageError(f"Cần {' và '.join(missing)}.")
    assert name is not None and province is not None  # for mypy: both given
    profile = {"name": name.strip(), "province": province.strip(), "kind": labels[fold(kind)]}
    for path in write_blank_workbook(folder, year, profile):
        _echo(f"Đã tạo {path}")


@app.command()
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(metavar="SỔ", hidden=True, show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    annotate: Annotated[
        Path | None,
        typer.Option(
            "--annotate",
            metavar="TỆP",
            help="Ghi một bản sao của sổ, tô đỏ và chú thích các ô lỗi.",
        ),
    ] = None,
    force: ForceOpt = False,
    ho_so: HoSoOpt = None,
    compare: CompareOpt = None,
    _help: HelpOpt = False,
) -> None:
    """Kiểm tra sổ: mọi lỗi và cảnh báo, kèm ô (ví dụ TiepCongDan!C14) và cách sửa.

    SỔ: một hay nhiều sổ cần kiểm tra; bỏ trống khi thư mục hiện tại có danvan.toml hoặc đúng
    một sổ. Với --ho-so: một sổ, và mỗi tệp danh sách hồ sơ có kết quả kiểm tra riêng. Với
    --so-sanh: một sổ, và sổ năm trước có kết quả kiểm tra riêng (kể cả việc có đúng là sổ năm
    trước của chính đơn vị này không).
    """
    from danvan_cli.build import check_workbook, resolve_workbook
    from danvan_cli.checks import Budget, Report
    from danvan_cli.console import MAX_SHOWN, out, plain, print_report

    settings = _settings()
    paths = list(files) if files else [resolve_workbook(None, settings)]
    if annotate is not None and len(paths) != 1:
        raise UsageError("--annotate chỉ dùng với một sổ.")
    if ho_so and len(paths) != 1:
        raise UsageError("--ho-so chỉ dùng với một sổ.")
    if compare is not None and len(paths) != 1:
        raise UsageError("--so-sanh chỉ dùng với một sổ.")
    named = files[0] if files else None
    exports = _exports(settings, ho_so, named) if len(paths) == 1 else ()
    previous = _comparison(compare, named, settings) if len(paths) == 1 else None
    if annotate is not None:  # a copy that cannot be written is refused before any reading
        from danvan_cli.annotate import check_target

        others = [*exports, *([previous] if previous is not None else [])]
        check_target(paths[0], annotate, force, others)
    # One budget of issues for the whole run; each file's reports are printed, then dropped.
    # The screen shows each file's first MAX_SHOWN issues: only those are made (the others are
    # counted); --json lists and --annotate marks every issue the budget keeps.
    budget = Budget(shown=None if as_json or annotate is not None else MAX_SHOWN)
    groups = (check_workbook(path, settings.period, exports, previous, budget) for path in paths)
    first = next(groups)  # a setting that fails, fails before any output
    failed = False

    def reports() -> Iterator[Report]:
        nonlocal failed
        for group in itertools.chain([first], groups):
            for report in group:
                failed = failed or not report.ok
                yield report

    if as_json:
        files_json = (
            {**r.summary_json(), "issues": Streamed(i.to_json() for i in r.issues)}
            for r in reports()
        )
        write_json({"schema": "danvan.validate/1", "files": Streamed(files_json)})
    else:
        for report in reports():
            print_report(report, out)
    if annotate is not None:
        from danvan_cli.annotate import annotate_copy

        if first[0].fatal is None:
            annotate_copy(paths[0], first[0], annotate, force)
            if not as_json:
                out.print(f"Đã ghi bản chú thích: {plain(str(annotate))}")
    if failed:
        raise typer.Exit(1)


@app.command(help=f"Tính và in mọi số liệu của báo cáo cho một kỳ.\n\n{FILE_HELP}")
def figures(
    file: FileArg = None,
    period: PeriodOpt = None,
    year: YearOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    compare: CompareOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="In số liệu dạng JSON (danvan.figures/1).")
    ] = False,
    ho_so: HoSoOpt = None,
    _help: HelpOpt = False,
) -> None:
    from danvan_cli.build import FIGURES_BLOCKED, compute_for, resolve_workbook
    from danvan_cli.console import print_figures

    settings = _settings()
    path = resolve_workbook(file, settings)
    request = _period_request(settings, period, year, window, date_from, date_to)
    compare = _comparison(compare, file, settings)
    exports = _exports(settings, ho_so, file)
    result = compute_for(path, request, compare, exports, blocked=FIGURES_BLOCKED)
    for warning in result.warnings:
        _warn(warning, stderr=True)
    if as_json:
        write_json(result.figures.to_json_dict())
    else:
        print_figures(result.figures)


@app.command(help=f"Lập báo cáo .docx cho một kỳ (từ chối nếu sổ còn lỗi).\n\n{FILE_HELP}")
def build(
    file: FileArg = None,
    period: PeriodOpt = None,
    year: YearOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="TỆP", help="Tệp .docx sẽ ghi.")
    ] = None,
    template: TemplateOpt = None,
    report_date: DateOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    no_leading_zero: NoZeroOpt = False,
    compare: CompareOpt = None,
    pdf: PdfOpt = False,
    force: ForceOpt = False,
    ho_so: HoSoOpt = None,
    _help: HelpOpt = False,
) -> None:
    from danvan_cli.build import BuildOptions, build_report, resolve_workbook
    from danvan_cli.console import out, plain

    settings = _settings()
    path = resolve_workbook(file, settings)
    request = _period_request(settings, period, year, window, date_from, date_to)
    leading_zero = settings.leading_zero and not no_leading_zero
    options = BuildOptions.from_cli(template, report_date, leading_zero, force, pdf)
    compare = _comparison(compare, file, settings)
    exports = _exports(settings, ho_so, file)
    result = build_report(path, request, options, output, compare=compare, ho_so=exports)
    for warning in result.warnings:
        _warn(warning)
    out.print(f"Đã ghi báo cáo: {plain(str(result.output))}")
    if result.pdf is not None:
        out.print(f"Đã ghi PDF: {plain(str(result.pdf))}")
    if result.pdf_error is not None:  # the .docx stands, but what was asked is not all done
        raise result.pdf_error


BatchYearOpt = Annotated[
    int | None,
    typer.Option(
        "--year",
        "-y",
        metavar="NĂM",
        help="Năm báo cáo (mặc định: năm mà nhiều sổ ghi nhất; sổ của năm khác không được lập, "
        "không cộng vào tổng).",
    ),
]


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(metavar="SỔ", hidden=True, show_default=False)],
    period: PeriodOpt = None,
    year: BatchYearOpt = None,
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="THƯ_MỤC", help="Thư mục ghi báo cáo."),
    ] = Path("bao_cao"),
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Số tiến trình chạy song song, từ 1 trở lên (mặc định: số nhân CPU).",
        ),
    ] = None,
    template: TemplateOpt = None,
    report_date: DateOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    no_leading_zero: NoZeroOpt = False,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--so-sanh",
            metavar="THƯ_MỤC",
            help="Thư mục chứa sổ năm trước của các xã, phường để so sánh với cùng kỳ; mỗi sổ "
            "được ghép với đơn vị theo tên, loại đơn vị và tỉnh ghi trong sổ (không theo tên "
            "tệp).",
        ),
    ] = None,
    pdf: PdfOpt = False,
    force: ForceOpt = False,
    ho_so: Annotated[
        list[Path] | None,
        typer.Option(
            "--ho-so",
            metavar="TỆP",
            hidden=True,
            help="Không dùng với batch: mỗi sổ tự mang danh sách hồ sơ trong trang HoSo.",
        ),
    ] = None,
    _help: HelpOpt = False,
) -> None:
    """Lập báo cáo cho nhiều xã/phường cùng lúc, kèm sổ tổng hợp số liệu.

    SỔ: các sổ, hoặc thư mục chứa sổ của các xã, phường. Danh sách hồ sơ một cửa của mỗi xã
    được đọc từ trang HoSo trong sổ của xã đó.
    """
    from danvan_cli.batch import run_batch
    from danvan_cli.build import BuildOptions
    from danvan_cli.console import batch_progress, print_batch

    if jobs is not None and jobs < 1:
        raise UsageError(f"--jobs «{jobs}» không hợp lệ: cần số tiến trình từ 1 trở lên.")
    if ho_so:
        raise UsageError(
            "batch không nhận --ho-so: mỗi xã, phường có danh sách hồ sơ riêng, nên batch đọc "
            "trang HoSo trong sổ của từng xã. Chép danh sách hồ sơ xuất từ hệ thống vào trang "
            "HoSo của sổ tương ứng."
        )
    settings = _settings()
    request = _period_request(settings, period, year, window, date_from, date_to)
    leading_zero = settings.leading_zero and not no_leading_zero
    options = BuildOptions.from_cli(template, report_date, leading_zero, force, pdf)
    start_method = _start_method()
    with batch_progress() as progress:
        outcome = run_batch(
            inputs, request, options, output, jobs, progress, compare, start_method=start_method
        )
    for warning in outcome.template_warnings:
        _warn(warning)
    print_batch(outcome)
    if outcome.pdf_error:  # no PDF at all: said once, after the table of reports
        _print_error(outcome.pdf_error)
    if outcome.summary_error is not None:
        raise outcome.summary_error
    if not outcome.complete:  # a workbook failed or a PDF asked for is missing
        raise typer.Exit(1)


def _start_method() -> str | None:
    """``DANVAN_START_METHOD``, when set: one of this platform's start methods."""
    import multiprocessing

    method = os.environ.get(START_METHOD_VARIABLE) or None
    methods = multiprocessing.get_all_start_methods()
    if method is not None and method not in methods:
        raise UsageError(
            f"{START_METHOD_VARIABLE}={method} không hợp lệ: chọn "
            + ", ".join(methods[:-1])
            + f" hoặc {methods[-1]} (hoặc bỏ biến này)."
        )
    return method


@template_app.command("export")
def template_export(
    output: Annotated[Path, typer.Argument(metavar="TỆP", hidden=True, show_default=False)] = Path(
        "mau_bao_cao.docx"
    ),
    force: ForceOpt = False,
    _help: HelpOpt = False,
) -> None:
    """Ghi mẫu báo cáo mặc định ra một tệp .docx để sửa trong Word.

    TỆP: tệp .docx sẽ ghi (mặc định: mau_bao_cao.docx).
    """
    from danvan_cli.render import export_template

    path = export_template(output, force)
    _echo(f"Đã ghi mẫu: {path}")


@template_app.command("check")
def template_check(
    template: Annotated[Path, typer.Argument(metavar="MẪU", hidden=True, show_default=False)],
    _help: HelpOpt = False,
) -> None:
    """Kiểm tra mẫu đã sửa: lỗi cú pháp và biến không có, kèm vị trí.

    MẪU: mẫu .docx cần kiểm tra.
    """
    from danvan_cli.console import out, plain
    from danvan_cli.template_check import check_template

    checked = check_template(template)
    for problem in checked.errors:
        out.print(f"[red]Lỗi:[/red] {plain(problem)}")
    for warning in checked.warnings:
        out.print(f"[yellow]Cảnh báo:[/yellow] {plain(warning)}")
    if checked.errors:
        raise typer.Exit(1)
    notes = f" ({len(checked.warnings)} cảnh báo)" if checked.warnings else ""
    _echo(f"Mẫu {template} hợp lệ{notes}.")


def main() -> None:
    """Console-script entry point."""
    app(prog_name=PROG_NAME)
