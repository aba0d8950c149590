"""``danvan.toml`` (config.py): the settings ``init`` writes load back, paths are relative to the
file's folder, and every bad file is a Vietnamese error naming the file, the key and the line,
exit 1 — through the CLI, with exact messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import flat, no_traceback
from typer.testing import CliRunner, Result

from danvan_cli.blank import config_text
from danvan_cli.cli import app
from danvan_cli.config import Settings, load_settings
from danvan_cli.errors import ConfigError

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "tan_hung_2024.xlsx"
KEYS = "workbook, period, leading_zero, ho_so, so_sanh"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder, holding the sample workbook as so_2024.xlsx."""
    shutil.copy(SAMPLE, tmp_path / "so_2024.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_config(folder: Path, text: str) -> Path:
    path = folder / "danvan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def figures(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(app, ["figures", "--json", *args])


# --- good files ----------------------------------------------------------------------------------


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path) == Settings()
    assert Settings().leading_zero is True and Settings().workbook is None


def test_what_init_writes_loads_back(tmp_path: Path) -> None:
    write_config(tmp_path, config_text("so_dan_van_2025.xlsx"))
    settings = load_settings(tmp_path)
    assert settings.workbook == tmp_path / "so_dan_van_2025.xlsx"
    assert settings.period is None and settings.leading_zero is True


def test_what_init_writes_with_its_optional_lines_switched_on(tmp_path: Path) -> None:
    text = config_text("so.xlsx").replace('# period = "9m"', 'period = "9m"')
    text = text.replace("# leading_zero = true", "leading_zero = false")
    write_config(tmp_path, text)
    settings = load_settings(tmp_path)
    assert (settings.period, settings.leading_zero) == ("9m", False)


def test_paths_are_relative_to_the_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commune = tmp_path / "xa"
    commune.mkdir()
    write_config(
        commune,
        'workbook = "so.xlsx"\nho_so = ["ho_so/a.xlsx", "b.xlsx"]\nso_sanh = "../2023/so.xlsx"\n',
    )
    monkeypatch.chdir(tmp_path)  # another folder: the paths still follow the file
    settings = load_settings(commune)
    assert settings.workbook == commune / "so.xlsx"
    assert settings.ho_so == (commune / "ho_so" / "a.xlsx", commune / "b.xlsx")
    assert settings.so_sanh == commune / ".." / "2023" / "so.xlsx"


def test_top_level_keys_and_the_danvan_section_together(tmp_path: Path) -> None:
    write_config(tmp_path, 'period = " Q3 "\n[danvan]\nworkbook = "so.xlsx"\n')
    settings = load_settings(tmp_path)
    assert settings.period == "q3"  # normalised like --period
    assert settings.workbook == tmp_path / "so.xlsx"


def test_config_is_read_once_per_command(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import danvan_cli.config as config

    write_config(folder, '[danvan]\nworkbook = "so_2024.xlsx"\nperiod = "9m"\n')
    calls: list[Path] = []
    real = config.Settings.model_validate

    def counted(*args: object, **kwargs: object) -> Settings:
        calls.append(folder)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(config.Settings, "model_validate", counted)
    result = runner.invoke(app, ["build", "--date", "20/9/2024", "-o", "out.docx"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1


# --- bad files: exact messages through the CLI --------------------------------------------------


BAD_FILES = {
    "misspelt-key": (
        '[danvan]\nworkbok = "so_2024.xlsx"\nperiod = "9m"\n',
        "«{path}», dòng 2: không có mục «workbok». Có phải «workbook»? Các mục dùng được: "
        f"{KEYS}.",
    ),
    "wrong-type": (
        '[danvan]\nworkbook = "so_2024.xlsx"\nperiod = "9m"\nleading_zero = "false"\n',
        '«{path}», dòng 4: «leading_zero» = "false" không hợp lệ: cần true hoặc false, không có '
        "ngoặc kép, ví dụ leading_zero = false.",
    ),
    "bad-period": (
        'workbook = "so_2024.xlsx"\nperiod = "9x"\n',
        "«{path}», dòng 2: «period»: Mã kỳ «9x» không hợp lệ. Dùng: 3m, 6m, 9m, 12m (N tháng "
        "đầu năm), q1–q4 (quý), t1–t12 (tháng).",
    ),
    "period-as-a-number": (
        'workbook = "so_2024.xlsx"\nperiod = 9\n',
        "«{path}», dòng 2: «period» = 9 không hợp lệ: cần mã kỳ trong ngoặc kép, ví dụ "
        'period = "9m".',
    ),
    "toml-syntax": (
        '[danvan]\nworkbook = "so_2024.xlsx\nperiod = "9m"\n',
        "«{path}» sai cú pháp ở dòng 2, cột 25: mỗi dòng ghi dạng tên = giá trị, chữ đặt trong "
        'ngoặc kép, true/false không có ngoặc kép, ví dụ period = "9m".',
    ),
    "nested-5000-deep": (  # tomllib recurses once per bracket: a RecursionError before
        "x = " + "[" * 5000 + "]" * 5000 + "\n",
        "«{path}» có giá trị lồng quá nhiều lớp ngoặc [ ] hoặc {{ }}: mỗi mục chỉ cần một giá "
        'trị đơn giản, ví dụ period = "9m".',
    ),
    "nul-byte": (
        '[danvan]\nworkbook = "so_2024.xlsx"\x00\n',
        "«{path}» sai cú pháp ở dòng 2, cột 26: mỗi dòng ghi dạng tên = giá trị, chữ đặt trong "
        'ngoặc kép, true/false không có ngoặc kép, ví dụ period = "9m".',
    ),
    "nul-escaped-in-a-name": (
        'workbook = "so_2024\\u0000.xlsx"\n',
        "«{path}», dòng 1: «workbook»: tên tệp có ký tự điều khiển (không in ra được, như "
        "\\u0000), hãy gõ lại tên tệp.",
    ),
    "workbook-is-the-folder": (
        'workbook = "."\n',
        "«{path}», dòng 1: «workbook»: «.» là một thư mục, không phải tệp: ghi tên tệp, ví dụ "
        'workbook = "so_dan_van_2024.xlsx".',
    ),
    "an-export-is-a-folder": (
        'workbook = "so_2024.xlsx"\nho_so = ["so_2024.xlsx", "../"]\n',
        "«{path}», dòng 2: «ho_so»: «..» là một thư mục, không phải tệp: ghi tên tệp, ví dụ "
        'ho_so = ["ho_so_2024.xlsx"].',
    ),
}


COMMANDS = {"figures": ["figures"], "build": ["build", "--date", "20/9/2024", "-o", "out.docx"]}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_named_with_key_and_line(
    runner: CliRunner, folder: Path, case: str, command: str
) -> None:
    text, expected = BAD_FILES[case]
    path = write_config(folder, text)
    result = runner.invoke(app, COMMANDS[command])
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output) == "Lỗi: Tệp cấu hình " + expected.format(path=path)
    assert sorted(p.name for p in folder.iterdir()) == ["danvan.toml", "so_2024.xlsx"]


def test_several_mistakes_are_listed_in_line_order(runner: CliRunner, folder: Path) -> None:
    path = write_config(
        folder,
        '[danvan]\nso_sanh = ""\nleading_zero = 1\nho_so = "a.xlsx"\n\n[khac]\nx = 1\n',
    )
    result = figures(runner, "--period", "9m")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Lỗi: Tệp cấu hình «{path}» có 4 lỗi:",
        "  dòng 2: «so_sanh»: cần tên tệp, không để trống.",
        "  dòng 3: «leading_zero» = 1 không hợp lệ: cần true hoặc false, không có ngoặc kép, "
        "ví dụ leading_zero = false.",
        '  dòng 4: «ho_so» = "a.xlsx" không hợp lệ: cần danh sách tên tệp trong ngoặc vuông, '
        'ví dụ ho_so = ["ho_so_2024.xlsx"].',
        f"  dòng 6: không có mục «khac». Các mục dùng được: {KEYS}.",
    ]


def test_key_given_twice(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'period = "9m"\n[danvan]\nperiod = "q3"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == (
        f"Tệp cấu hình «{path}», dòng 1: «period» được ghi hai lần (đầu tệp và trong [danvan])."
    )


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "danvan.toml"
    path.write_bytes(b'period = "9m" # qu\xfd\n')  # "quý" saved as Windows-1252
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path)
    assert str(caught.value) == (
        f"Tệp cấu hình «{path}» không phải văn bản UTF-8: mở bằng Notepad và lưu lại với bảng "
        "mã UTF-8."
    )


def test_a_byte_order_mark_is_accepted(runner: CliRunner, folder: Path) -> None:
    """Notepad before Windows 10 (1903) saves UTF-8 with a byte order mark."""
    path = folder / "danvan.toml"
    path.write_bytes(b'\xef\xbb\xbf[danvan]\nworkbook = "so_2024.xlsx"\nperiod = "9m"\n')
    result = figures(runner)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["period"]["code"] == "9m"
    path.write_bytes(b'\xef\xbb\xbf[danvan]\nworkbook = "so_2024.xlsx"\nperiod = "9x"\n')
    result = figures(runner)
    assert result.exit_code == 1
    assert flat(result.output).startswith(f"Lỗi: Tệp cấu hình «{path}», dòng 3: «period»: ")


def test_a_huge_file_is_refused_unread(runner: CliRunner, folder: Path) -> None:
    path = write_config(folder, '[danvan]\nworkbook = "so_2024.xlsx"\n' + "#" * (1 << 20))
    result = figures(runner, "--period", "9m")
    assert result.exit_code == 1
    no_traceback(result)
    assert flat(result.output) == (
        f"Lỗi: Tệp cấu hình «{path}» quá lớn (trên 1 MB), không phải tệp cấu hình danvan: "
        "tệp này chỉ có vài dòng, như tệp «danvan init» tạo ra."
    )


def test_a_workbook_outside_the_folder_is_followed(
    runner: CliRunner, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paths are the clerk's own: one folder up (a shared folder of workbooks) is allowed."""
    commune = folder / "xa"
    commune.mkdir()
    write_config(commune, '[danvan]\nworkbook = "../so_2024.xlsx"\nperiod = "9m"\n')
    monkeypatch.chdir(commune)
    result = figures(runner)
    assert result.exit_code == 0, result.output


def test_bad_config_stops_even_with_the_workbook_named(runner: CliRunner, folder: Path) -> None:
    """A wrong setting is never silently ignored, even when the command does not need it."""
    write_config(folder, "leading_zero = 0\n")
    result = runner.invoke(app, ["validate", "so_2024.xlsx"])
    assert result.exit_code == 1
    assert "«leading_zero» = 0 không hợp lệ" in flat(result.output)


def test_debug_shows_the_traceback_of_a_bad_config(runner: CliRunner, folder: Path) -> None:
    write_config(folder, 'workbok = "so_2024.xlsx"\n')
    plain = figures(runner, "--period", "9m")
    assert plain.exit_code == 1
    assert isinstance(plain.exception, SystemExit)
    debug = runner.invoke(app, ["--debug", "figures", "--period", "9m"])
    assert isinstance(debug.exception, ConfigError)
    assert "không có mục «workbok»" in str(debug.exception)
