"""The ``danvan`` command line: parse options, call the library, print, map errors to exit
codes. Heavy modules are imported inside the commands that need them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from danvan_cli import __version__, cli_vi
from danvan_cli.errors import DanvanError

cli_vi.install()

if TYPE_CHECKING:
    from danvan_cli.build import PeriodRequest

app = typer.Typer(
    name="danvan",
    help="Lập báo cáo kết quả công tác dân vận chính quyền từ sổ Excel của xã/phường.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
template_app = typer.Typer(
    help="Xuất mẫu báo cáo để sửa, hoặc kiểm tra một mẫu đã sửa.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(template_app, name="template")

_state = {"debug": False}


def _fail(err: DanvanError) -> NoReturn:
    from danvan_cli.console import err as console

    console.print(f"[red]Lỗi:[/red] {_escape(str(err))}")
    raise typer.Exit(err.exit_code)


def _escape(text: str) -> str:
    """Text for a rich console: no markup, no control characters (see console.safe)."""
    from rich.markup import escape

    from danvan_cli.console import safe

    return escape(safe(text))


def _run(action: object) -> None:
    """Call ``action`` and turn the library's errors into a message and an exit code."""
    assert callable(action)
    try:
        action()
    except DanvanError as err:
        if _state["debug"]:
            raise
        _fail(err)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except typer.Exit:
        raise
    except Exception as err:
        if _state["debug"]:
            raise
        from danvan_cli.console import err as console

        console.print(
            "[red]Lỗi không mong đợi[/red] "
            f"({type(err).__name__}). Chạy lại với --debug để xem chi tiết và gửi cho người "
            "hỗ trợ."
        )
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"danvan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Hiện chi tiết kỹ thuật (traceback) khi có lỗi.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản rồi thoát."),
    ] = False,
) -> None:
    """Lập báo cáo kết quả công tác dân vận chính quyền từ sổ Excel của xã/phường."""
    _state["debug"] = debug


# --- shared options ------------------------------------------------------------------------

PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        help="Kỳ báo cáo: 3m, 6m, 9m, 12m (N tháng đầu năm), q1–q4 (quý), t1–t12 (tháng).",
    ),
]
YearOpt = Annotated[
    int | None, typer.Option("--year", "-y", help="Năm báo cáo (mặc định: Năm trong sổ).")
]
WindowOpt = Annotated[
    str,
    typer.Option(
        "--window",
        help="Cách lấy số liệu theo ngày: nd09 (15 tháng trước – 14 tháng "
        "cuối kỳ, mặc định) hoặc calendar (theo tháng dương lịch).",
    ),
]
FromOpt = Annotated[
    str | None, typer.Option("--from", help="Ngày bắt đầu lấy số liệu, ví dụ 15/12/2023.")
]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Ngày kết thúc lấy số liệu, ví dụ 14/9/2024.")
]
FileArg = Annotated[
    Path | None,
    typer.Argument(
        help="Sổ Excel (.xlsx, .xlsm, .xls, .ods). Bỏ trống khi thư mục hiện tại có "
        "danvan.toml hoặc đúng một sổ.",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Cho phép ghi đè tệp đã có.")]
TemplateOpt = Annotated[
    Path | None,
    typer.Option("--template", help="Mẫu .docx đã sửa (xuất bằng danvan template export)."),
]
DateOpt = Annotated[
    str | None,
    typer.Option("--date", help="Ngày ghi trên báo cáo (mặc định: hôm nay), ví dụ 20/9/2024."),
]
NoZeroOpt = Annotated[
    bool, typer.Option("--no-leading-zero", help="Không viết số 1–9 thành 01–09.")
]
PdfOpt = Annotated[bool, typer.Option("--pdf", help="Xuất thêm PDF (cần LibreOffice).")]


def _period_request(
    period: str | None,
    year: int | None,
    window: str,
    date_from: str | None,
    date_to: str | None,
    folder: Path | None = None,
) -> PeriodRequest:
    from danvan_cli.build import PeriodRequest, default_period

    code = period or default_period(folder)
    if code is None:
        raise _usage("Thiếu kỳ báo cáo: thêm --period, ví dụ --period 9m.")
    return PeriodRequest.from_options(code, year, window, date_from, date_to)


def _usage(message: str) -> DanvanError:
    from danvan_cli.errors import UsageError

    return UsageError(message)


# --- commands ------------------------------------------------------------------------------


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Thư mục sẽ chứa sổ mới.")] = Path("."),
    name: Annotated[
        str | None,
        typer.Option("--ten", prompt="Tên xã/phường (ví dụ Tân Hưng)", help="Tên đơn vị."),
    ] = None,
    province: Annotated[
        str | None, typer.Option("--tinh", prompt="Tỉnh/Thành phố", help="Tỉnh hoặc thành phố.")
    ] = None,
    kind: Annotated[str, typer.Option("--loai", help="Xã, Phường, Thị trấn hoặc Đặc khu.")] = "Xã",
    year: YearOpt = None,
) -> None:
    """Tạo sổ Excel trống đúng mẫu (kèm trang HuongDan) và tệp danvan.toml. Không ghi đè."""

    def action() -> None:
        from danvan_cli.blank import write_blank_workbook
        from danvan_cli.schema import UNIT_KINDS
        from danvan_cli.vietnamese import fold

        labels = {fold(c.label): c.label for c in UNIT_KINDS}
        if fold(kind) not in labels:
            raise _usage(f"--loai «{kind}» không hợp lệ: chọn Xã, Phường, Thị trấn hoặc Đặc khu.")
        if not name or not name.strip() or not province or not province.strip():
            raise _usage("Cần tên đơn vị (--ten) và tỉnh/thành phố (--tinh).")
        profile = {"name": name.strip(), "province": province.strip(), "kind": labels[fold(kind)]}
        for path in write_blank_workbook(folder, year, profile):
            typer.echo(f"Đã tạo {path}")

    _run(action)


@app.command()
def validate(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Các sổ cần kiểm tra.", show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="In kết quả dạng JSON.")] = False,
    annotate: Annotated[
        Path | None,
        typer.Option("--annotate", help="Ghi một bản sao của sổ, tô đỏ và chú thích các ô lỗi."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Kiểm tra sổ: mọi lỗi và cảnh báo, kèm ô (ví dụ TiepCongDan!C14) và cách sửa."""

    def action() -> None:
        import json

        from danvan_cli.build import resolve_workbook
        from danvan_cli.console import out, print_report
        from danvan_cli.reading import load

        paths = list(files) if files else [resolve_workbook(None)]
        if annotate is not None and len(paths) != 1:
            raise _usage("--annotate chỉ dùng với một sổ.")
        reports = [load(path, want_data=False).report for path in paths]
        if as_json:
            payload = {"schema": "danvan.validate/1", "files": [r.to_json() for r in reports]}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:
            for report in reports:
                print_report(report, out)
        if annotate is not None:
            from danvan_cli.annotate import annotate_copy

            if reports[0].fatal is None:
                annotate_copy(paths[0], reports[0], annotate, force)
                if not as_json:
                    out.print(f"Đã ghi bản chú thích: {_escape(str(annotate))}")
        if not all(r.ok for r in reports):
            raise typer.Exit(1)

    _run(action)


@app.command()
def figures(
    file: FileArg = None,
    period: PeriodOpt = None,
    year: YearOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="In số liệu dạng JSON (danvan.figures/1).")
    ] = False,
) -> None:
    """Tính và in mọi số liệu của báo cáo cho một kỳ."""

    def action() -> None:
        import json

        from danvan_cli.build import compute_for, resolve_workbook
        from danvan_cli.console import err, print_figures

        path = resolve_workbook(file)
        request = _period_request(period, year, window, date_from, date_to)
        result = compute_for(path, request)
        for warning in result.warnings:
            err.print(f"[yellow]Cảnh báo:[/yellow] {_escape(warning)}")
        if as_json:
            text = json.dumps(result.figures.to_json_dict(), ensure_ascii=False, indent=2)
            sys.stdout.write(text + "\n")
        else:
            print_figures(result.figures)

    _run(action)


@app.command()
def build(
    file: FileArg = None,
    period: PeriodOpt = None,
    year: YearOpt = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Tệp .docx sẽ ghi.")] = None,
    template: TemplateOpt = None,
    report_date: DateOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    no_leading_zero: NoZeroOpt = False,
    pdf: PdfOpt = False,
    force: ForceOpt = False,
) -> None:
    """Lập báo cáo .docx cho một kỳ (từ chối nếu sổ còn lỗi)."""

    def action() -> None:
        from danvan_cli.build import BuildOptions, build_report, leading_zero, resolve_workbook
        from danvan_cli.console import out

        path = resolve_workbook(file)
        request = _period_request(period, year, window, date_from, date_to)
        options = BuildOptions.from_cli(
            template, report_date, leading_zero(no_leading_zero), force, pdf
        )
        result = build_report(path, request, options, output)
        for warning in result.warnings:
            out.print(f"[yellow]Cảnh báo:[/yellow] {_escape(warning)}")
        out.print(f"Đã ghi báo cáo: {_escape(str(result.output))}")
        if result.pdf is not None:
            out.print(f"Đã ghi PDF: {_escape(str(result.pdf))}")

    _run(action)


@app.command()
def batch(
    inputs: Annotated[
        list[Path], typer.Argument(help="Các sổ hoặc thư mục chứa sổ.", show_default=False)
    ],
    period: PeriodOpt = None,
    year: YearOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Thư mục ghi báo cáo.")] = Path(
        "bao_cao"
    ),
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Số tiến trình chạy song song (mặc định: số nhân CPU)."
        ),
    ] = None,
    template: TemplateOpt = None,
    report_date: DateOpt = None,
    window: WindowOpt = "nd09",
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    no_leading_zero: NoZeroOpt = False,
    pdf: PdfOpt = False,
    force: ForceOpt = False,
) -> None:
    """Lập báo cáo cho nhiều xã/phường cùng lúc, kèm sổ tổng hợp số liệu."""

    def action() -> None:
        from danvan_cli.batch import run_batch
        from danvan_cli.build import BuildOptions, leading_zero

        request = _period_request(period, year, window, date_from, date_to)
        options = BuildOptions.from_cli(
            template, report_date, leading_zero(no_leading_zero), force, pdf
        )
        outcome = run_batch(inputs, request, options, output, jobs)
        if outcome.failed:
            raise typer.Exit(1)

    _run(action)


@template_app.command("export")
def template_export(
    output: Annotated[Path, typer.Argument(help="Tệp .docx sẽ ghi.")] = Path("mau_bao_cao.docx"),
    force: ForceOpt = False,
) -> None:
    """Ghi mẫu báo cáo mặc định ra một tệp .docx để sửa trong Word."""

    def action() -> None:
        from danvan_cli.render import export_template

        path = export_template(output, force)
        typer.echo(f"Đã ghi mẫu: {path}")

    _run(action)


@template_app.command("check")
def template_check(
    template: Annotated[Path, typer.Argument(help="Mẫu .docx cần kiểm tra.")],
) -> None:
    """Kiểm tra mẫu đã sửa: lỗi cú pháp và biến không có, kèm vị trí."""

    def action() -> None:
        from danvan_cli.render import check_template

        problems = check_template(template)
        if problems:
            from danvan_cli.console import out

            for problem in problems:
                out.print(f"[red]Lỗi:[/red] {_escape(problem)}")
            raise typer.Exit(1)
        typer.echo(f"Mẫu {template} hợp lệ.")

    _run(action)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="danvan")
