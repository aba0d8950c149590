"""The command line speaks Vietnamese through public means only (usage.py, the gettext catalogue,
``DanvanGroup.main``): help with Vietnamese titles and no English type labels, usage errors
worded at our boundary (exit 2), errors and ``--debug`` handled in one place, and a light
start-up."""

from __future__ import annotations

import gettext
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer
from support import flat, no_traceback
from typer.testing import CliRunner

from danvan_cli import usage
from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
COMMANDS = [
    [],
    ["init"],
    ["validate"],
    ["figures"],
    ["build"],
    ["batch"],
    ["template"],
    ["template", "export"],
    ["template", "check"],
]
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this message|default:|required|"
    r"\[OPTIONS\]|COMMAND|ARGS|\bTEXT\b|INTEGER|\bPATH\b|<[a-zA-Z\[\]|, ]+>"
)
"""The framework's English words and type labels (``<path>``, ``<list[Path]>``, ``<int>``…)."""


# --- help ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "danvan")
def test_help_is_vietnamese_without_type_labels(runner: CliRunner, path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert first.startswith(f"Cách dùng: danvan {' '.join(path)}".rstrip() + " [TUỲ CHỌN]")
    assert "\nTuỳ chọn:\n" in result.output
    assert "  -h, --help  " in result.output and "Hiện trợ giúp này rồi thoát." in result.output
    assert not ENGLISH.search(result.output), ENGLISH.search(result.output)


def test_group_help_lists_its_commands_under_a_vietnamese_title(runner: CliRunner) -> None:
    root = runner.invoke(app, ["-h"]).output
    assert root.splitlines()[0] == "Cách dùng: danvan [TUỲ CHỌN] LỆNH [THAM SỐ]..."
    assert "\nLệnh:\n" in root and "  build " in root and "  template " in root
    template = runner.invoke(app, ["template", "--help"]).output
    assert "\nLệnh:\n" in template and "  export " in template and "  check " in template


def test_option_values_are_named_in_vietnamese(runner: CliRunner) -> None:
    text = runner.invoke(app, ["build", "--help"]).output
    assert text.splitlines()[0] == "Cách dùng: danvan build [TUỲ CHỌN] [SỔ]"
    for shown in ("-p, --period KỲ", "-y, --year NĂM", "-o, --output TỆP", "--template MẪU"):
        assert shown in text
    assert "--date NGÀY" in text and "--window CÁCH" in text and "[mặc định: nd09]" in text
    assert "SỔ: sổ Excel (.xlsx, .xlsm, .xls, .ods); bỏ trống khi thư mục hiện tại" in flat(text)


def test_a_group_without_its_command_shows_help_and_exits_2(runner: CliRunner) -> None:
    for path in ([], ["template"]):
        result = runner.invoke(app, path)
        assert result.exit_code == 2
        assert result.output.startswith(f"Cách dùng: danvan {' '.join(path)}".rstrip())
        assert result.stdout == ""  # help as an error goes to stderr


# --- usage errors --------------------------------------------------------------------------------


def usage_error(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    no_traceback(result)
    assert result.stdout == ""
    return result.output


def test_unknown_option(runner: CliRunner) -> None:
    assert usage_error(runner, "validate", "--khong-ton-tai", str(SAMPLE)) == (
        "Cách dùng: danvan validate [TUỲ CHỌN] [SỔ]...\n"
        "Xem trợ giúp: danvan validate --help\n"
        "\n"
        "Lỗi: Không có tuỳ chọn --khong-ton-tai.\n"
    )


def test_unknown_option_with_a_guess(runner: CliRunner) -> None:
    output = usage_error(runner, "build", str(SAMPLE), "--perod", "9m")
    assert output.splitlines()[-1] == (
        "Lỗi: Không có tuỳ chọn --perod. Có phải ý bạn là --pdf, --period hoặc --year?"
    )


def test_missing_argument(runner: CliRunner) -> None:
    assert usage_error(runner, "batch", "--period", "9m") == (
        "Cách dùng: danvan batch [TUỲ CHỌN] {SỔ}...\n"
        "Xem trợ giúp: danvan batch --help\n"
        "\n"
        "Lỗi: Thiếu tham số SỔ.\n"
    )


def test_bad_integer(runner: CliRunner) -> None:
    output = usage_error(runner, "figures", str(SAMPLE), "-p", "9m", "--year", "hai nghìn")
    assert output == (
        "Cách dùng: danvan figures [TUỲ CHỌN] [SỔ]\n"
        "Xem trợ giúp: danvan figures --help\n"
        "\n"
        "Lỗi: Giá trị của --year / -y không hợp lệ: cần một số nguyên.\n"
    )


def test_jobs_below_one(runner: CliRunner, tmp_path: Path) -> None:
    output = usage_error(runner, "batch", str(tmp_path), "-p", "9m", "-j", "0")
    assert output == "Lỗi: --jobs «0» không hợp lệ: cần số tiến trình từ 1 trở lên.\n"


def test_unknown_command_with_a_guess(runner: CliRunner) -> None:
    assert usage_error(runner, "bild") == (
        "Cách dùng: danvan [TUỲ CHỌN] LỆNH [THAM SỐ]...\n"
        "Xem trợ giúp: danvan --help\n"
        "\n"
        "Lỗi: Không có lệnh 'bild'. Có phải ý bạn là 'build'?\n"
    )


def test_unknown_command_without_a_guess(runner: CliRunner) -> None:
    assert usage_error(runner, "bogus") == (
        "Cách dùng: danvan [TUỲ CHỌN] LỆNH [THAM SỐ]...\n"
        "Xem trợ giúp: danvan --help\n"
        "\n"
        "Lỗi: Không có lệnh 'bogus'.\n"
    )


def test_option_without_its_value(runner: CliRunner) -> None:
    output = usage_error(runner, "figures", str(SAMPLE), "--period")
    assert output == "Xem trợ giúp: danvan --help\n\nLỗi: Tuỳ chọn --period cần một giá trị.\n"


def test_extra_arguments(runner: CliRunner) -> None:
    output = usage_error(runner, "build", "a.xlsx", "b.xlsx", "c.xlsx", "-p", "9m")
    assert output.splitlines()[-1] == "Lỗi: Thừa tham số: b.xlsx c.xlsx."


def test_flag_given_a_value(runner: CliRunner) -> None:
    output = usage_error(runner, "build", str(SAMPLE), "--force=yes")
    assert output.splitlines()[-1] == "Lỗi: Tuỳ chọn --force không nhận giá trị."


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("No such option: -z", "Không có tuỳ chọn -z."),
        (
            "No such option: --fo (Possible options: --force, --from)",
            "Không có tuỳ chọn --fo. Có phải ý bạn là --force hoặc --from?",
        ),
        ("No such command 'x'.", "Không có lệnh 'x'."),
        ("Missing option '--period'.", "Thiếu tuỳ chọn --period."),
        ("Missing parameter: file", "Thiếu tham số file."),
        (
            "Invalid value for '--jobs' / '-j': Input should be greater than or equal to 1",
            "Giá trị của --jobs / -j không hợp lệ: cần số từ 1 trở lên.",
        ),
        (
            "Invalid value for '--year': 'x' is not a valid integer.",
            "Giá trị của --year không hợp lệ: 'x' không phải số nguyên.",
        ),
        ("Option '--to' requires 2 arguments.", "Tuỳ chọn --to cần 2 giá trị."),
        ("Got unexpected extra argument (b)", "Thừa tham số: b."),
        ("Something new.", "Lệnh gõ chưa đúng (Something new.)."),
    ],
)
def test_reword_error(english: str, vietnamese: str) -> None:
    assert usage.reword_error(english) == vietnamese


# --- one place for errors ------------------------------------------------------------------------


def test_our_own_usage_error_is_exit_2_without_usage_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["figures", str(SAMPLE)])
    assert result.exit_code == 2
    assert result.output == "Lỗi: Thiếu kỳ báo cáo: thêm --period, ví dụ --period 9m.\n"


@pytest.fixture
def reading_explodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected exception (a bug) wherever a workbook is read."""
    from danvan_cli import reading

    def explode(*args: object, **kwargs: object) -> Any:
        raise RuntimeError("chi tiết kỹ thuật")

    monkeypatch.setattr(reading, "load", explode)


@pytest.mark.usefixtures("reading_explodes")
def test_debug_traceback_only_with_debug(runner: CliRunner) -> None:
    plain = runner.invoke(app, ["validate", str(SAMPLE)])
    assert plain.exit_code == 1
    assert isinstance(plain.exception, SystemExit)
    assert plain.output == (
        "Lỗi không mong đợi (RuntimeError). Chạy lại với --debug để xem chi tiết và gửi cho "
        "người hỗ trợ.\n"
    )
    debug = runner.invoke(app, ["--debug", "validate", str(SAMPLE)])
    assert isinstance(debug.exception, RuntimeError)
    assert str(debug.exception) == "chi tiết kỹ thuật"


@pytest.mark.usefixtures("reading_explodes")
def test_debug_is_not_left_behind_between_runs(runner: CliRunner) -> None:
    """The flag lives in the run's context, not in a module global."""
    runner.invoke(app, ["--debug", "validate", str(SAMPLE)])
    after = runner.invoke(app, ["validate", str(SAMPLE)])
    assert isinstance(after.exception, SystemExit) and after.exit_code == 1


def test_interrupted_prompt(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a terminal, init asks for the name; Ctrl+D there stops it, said in Vietnamese."""
    monkeypatch.setattr("danvan_cli.cli.interactive", lambda: True)
    result = runner.invoke(app, ["init", str(tmp_path / "moi")], input="")
    assert result.exit_code == 1
    assert "Đã dừng." in result.output and "Aborted" not in result.output
    assert not (tmp_path / "moi").exists()


def test_init_at_a_terminal_asks_for_what_is_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("danvan_cli.cli.interactive", lambda: True)
    result = runner.invoke(app, ["init", str(tmp_path / "moi")], input="Tân Hưng\nHải Phòng\n")
    assert result.exit_code == 0, result.output
    assert "Tên xã/phường (ví dụ Tân Hưng): " in result.output
    assert "Tỉnh/Thành phố: " in result.output
    assert (tmp_path / "moi" / "danvan.toml").is_file()


def test_init_in_a_script_says_which_options_are_missing(runner: CliRunner, tmp_path: Path) -> None:
    """No terminal (a script, input from /dev/null): no question that cannot be answered, but
    the options to give, as a usage error."""
    cases = {
        ("--tinh", "Hải Phòng"): "Lỗi: Cần tên đơn vị (--ten).",
        ("--ten", "Tân Hưng"): "Lỗi: Cần tỉnh/thành phố (--tinh).",
        ("--ten", " "): "Lỗi: Cần tên đơn vị (--ten) và tỉnh/thành phố (--tinh).",
    }
    for given, said in cases.items():
        result = runner.invoke(app, ["init", str(tmp_path / "moi"), *given], input="")
        assert result.exit_code == 2
        assert flat(result.output) == said
        assert not (tmp_path / "moi").exists()


def test_standalone_mode_off_returns_the_exit_code() -> None:
    command = typer.main.get_command(app)
    assert command.main(["--version"], prog_name="danvan", standalone_mode=False) == 0
    assert command.main(["khong-co"], prog_name="danvan", standalone_mode=False) == 2


# --- gettext: our catalogue, only during a run ---------------------------------------------------


def test_gettext_is_restored_after_a_run(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    domain = gettext.textdomain()
    assert runner.invoke(app, ["--help"]).exit_code == 0
    assert gettext.textdomain() == domain
    assert os.environ["LANGUAGE"] == "en"


def test_help_is_vietnamese_whatever_the_locale(runner: CliRunner) -> None:
    for language in ("en_US.UTF-8", "C", ""):
        env = {"LANGUAGE": language, "LC_ALL": language, "LANG": language}
        result = runner.invoke(app, ["build", "--help"], env=env)
        assert "\nTuỳ chọn:\n" in result.output


def build_catalogue() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_catalogue", ROOT / "locale" / "build_catalogue.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogue_is_built_from_its_po_file() -> None:
    module = build_catalogue()
    packaged = usage.LOCALE_DIR / "vi" / "LC_MESSAGES" / f"{usage.DOMAIN}.mo"
    assert packaged.read_bytes() == module.build()


def test_catalogue_translates_every_word_typer_marks() -> None:
    """A Typer upgrade that marks a new word fails here (then add it to locale/vi.po)."""
    messages = build_catalogue().parse_po((ROOT / "locale" / "vi.po").read_text("utf-8"))
    source = Path(typer.__file__).parent
    marked: set[str] = set()
    for name in ("core.py", "rich_utils.py"):
        text = (source / name).read_text(encoding="utf-8")
        marked |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', text))
    assert {"Options", "Commands", "default: {default}"} <= marked  # the scan works
    assert marked <= set(messages), marked - set(messages)
    translation = gettext.translation(usage.DOMAIN, usage.LOCALE_DIR, languages=["vi"])
    assert translation.gettext("Options") == "Tuỳ chọn"
    assert translation.gettext("No such command {name!r}.") == "Không có lệnh {name!r}."


# --- start-up ------------------------------------------------------------------------------------


def test_help_loads_no_heavy_module() -> None:
    """``danvan --help`` answers in ≤ 0,2 s (SPEC §7, measured by benchmarks/): the libraries of
    the commands are not even imported."""
    code = (
        "import sys\n"
        "sys.argv = ['danvan', '--help']\n"
        "from danvan_cli.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'pydantic', 'openpyxl', 'rich', 'docxtpl', 'docx', 'jinja2', 'python_calamine'}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", ["figures", "batch"])
def test_a_year_out_of_the_workbooks_range_is_a_usage_error(
    runner: CliRunner, command: str
) -> None:
    """--year takes the years ThongTin's Năm takes (1900–2100): one range, said alike."""
    output = usage_error(runner, command, str(SAMPLE), "-p", "9m", "--year", "2101")
    assert flat(output) == "Lỗi: Năm 2101 không hợp lệ (phải từ 1900 đến 2100)."
