"""``danvan.toml``: a folder's settings (SPEC §5), read once per command.

The file holds its keys at the top level or under ``[danvan]`` (what ``danvan init`` writes).
``Settings`` is a pydantic model with ``extra="forbid"``: a misspelt key, a value of the wrong
type or a bad period code is refused with a Vietnamese message naming the file, the key and its
line, never ignored. Paths are relative to the file's folder.

To add a setting, add one field to ``Settings`` whose ``description`` says in Vietnamese what it
takes (that phrase is the message when a value does not fit)."""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from danvan_cli.errors import ConfigError, DanvanError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the Python 3.10 run of .ci/run
    import tomli as tomllib

CONFIG_NAME = "danvan.toml"
SECTION = "danvan"
MAX_BYTES = 1 << 20
"""A danvan.toml holds a few lines; a larger file is not one (and is not read whole)."""


class Settings(BaseModel):
    """The settings of one folder; every field is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    workbook: Path | None = Field(
        None, description='tên sổ Excel trong ngoặc kép, ví dụ workbook = "so_dan_van_2024.xlsx"'
    )
    period: str | None = Field(None, description='mã kỳ trong ngoặc kép, ví dụ period = "9m"')
    leading_zero: StrictBool = Field(
        True, description="true hoặc false, không có ngoặc kép, ví dụ leading_zero = false"
    )
    # ho_so is read and checked now but not used yet: the per-dossier exports (HoSo) of SPEC
    # §5 (--ho-so) arrive in the next round. so_sanh is last year's workbook (--so-sanh).
    ho_so: tuple[Path, ...] = Field(
        (), description='danh sách tên tệp trong ngoặc vuông, ví dụ ho_so = ["ho_so_2024.xlsx"]'
    )
    so_sanh: Path | None = Field(
        None, description='tên sổ năm trước trong ngoặc kép, ví dụ so_sanh = "so_2023.xlsx"'
    )

    @field_validator("workbook", "so_sanh", "ho_so", mode="before")
    @classmethod
    def _no_blank_name(cls, value: object) -> object:
        names = value if isinstance(value, list) else [value]
        if any(isinstance(name, str) and not name.strip() for name in names):
            raise ValueError("cần tên tệp, không để trống")
        if any(isinstance(name, str) and _CONTROL.search(name) for name in names):
            raise ValueError(
                "tên tệp có ký tự điều khiển (không in ra được, như \\u0000), hãy gõ lại tên tệp"
            )
        return value

    @field_validator("workbook", "so_sanh")
    @classmethod
    def _in_folder(cls, value: Path | None, info: ValidationInfo) -> Path | None:
        return None if value is None else _file_in_folder(value, info)

    @field_validator("ho_so")
    @classmethod
    def _all_in_folder(cls, value: tuple[Path, ...], info: ValidationInfo) -> tuple[Path, ...]:
        return tuple(_file_in_folder(path, info) for path in value)

    @field_validator("period")
    @classmethod
    def _known_period(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from danvan_cli.period import parse_period

        try:  # the code alone is checked: any year in range will do
            return parse_period(value, 2000).code
        except DanvanError as err:
            raise ValueError(str(err)) from None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _file_in_folder(value: Path, info: ValidationInfo) -> Path:
    """``value`` taken from the file's folder; a folder there is refused (it is no workbook,
    and «… là thư mục» would not say that danvan.toml named it)."""
    path = _folder(info) / value
    if path.is_dir():
        description = Settings.model_fields[info.field_name or "workbook"].description or ""
        example = description.rpartition("ví dụ ")[2]
        raise ValueError(f"«{value}» là một thư mục, không phải tệp: ghi tên tệp, ví dụ {example}")
    return path


def _folder(info: ValidationInfo) -> Path:
    context = info.context if isinstance(info.context, Mapping) else {}
    folder = context.get("folder")
    return folder if isinstance(folder, Path) else Path.cwd()


def load_settings(folder: Path | None = None) -> Settings:
    """The settings of ``folder`` (default: the current folder); the defaults when it holds no
    ``danvan.toml``. Raises ConfigError for a file that cannot be read or holds a bad setting."""
    here = folder or Path.cwd()
    path = here / CONFIG_NAME
    if not path.is_file():
        return Settings()
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(_syntax_message(path, err)) from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise ConfigError(
            f"Tệp cấu hình «{path}» có giá trị lồng quá nhiều lớp ngoặc [ ] hoặc {{ }}: mỗi "
            'mục chỉ cần một giá trị đơn giản, ví dụ period = "9m".'
        ) from None
    values, problems = _settings_section(data, text)
    try:
        settings = Settings.model_validate(values, context={"folder": here})
    except ValidationError as err:
        problems += [_problem(error, values, text) for error in err.errors()]
    if problems:
        raise ConfigError(_message(path, problems))
    return settings


def _read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without the byte order mark older Notepad writes."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise ConfigError(
            f"Không đọc được tệp cấu hình «{path}»: {err.strerror or type(err).__name__}."
        ) from None
    if len(raw) > MAX_BYTES:
        raise ConfigError(
            f"Tệp cấu hình «{path}» quá lớn (trên {MAX_BYTES // (1024 * 1024)} MB), không phải "
            "tệp cấu hình danvan: tệp này chỉ có vài dòng, như tệp «danvan init» tạo ra."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            f"Tệp cấu hình «{path}» không phải văn bản UTF-8: mở bằng Notepad và lưu lại với "
            "bảng mã UTF-8."
        ) from None


# --- messages ----------------------------------------------------------------------------------

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _syntax_message(path: Path, err: Exception) -> str:
    line = getattr(err, "lineno", None)
    column = getattr(err, "colno", None)
    found = _POSITION.search(str(err))
    if found and not (isinstance(line, int) and isinstance(column, int)):
        line, column = int(found[1]), int(found[2])
    where = f" ở dòng {line}, cột {column}" if isinstance(line, int) else ""
    return (
        f"Tệp cấu hình «{path}» sai cú pháp{where}: mỗi dòng ghi dạng tên = giá trị, chữ đặt "
        'trong ngoặc kép, true/false không có ngoặc kép, ví dụ period = "9m".'
    )


def _settings_section(
    data: dict[str, Any], text: str
) -> tuple[dict[str, Any], list[tuple[int | None, str]]]:
    """The settings out of the parsed file: top-level keys and the ``[danvan]`` table together;
    a key given in both places is a problem."""
    values = {key: value for key, value in data.items() if key != SECTION}
    problems: list[tuple[int | None, str]] = []
    section = data.get(SECTION, {})
    if not isinstance(section, dict):
        problems.append((_line_of(SECTION, text), f"«{SECTION}» phải là mục [{SECTION}]."))
        return values, problems
    for key, value in section.items():
        if key in values:
            problems.append(
                (_line_of(key, text), f"«{key}» được ghi hai lần (đầu tệp và trong [{SECTION}]).")
            )
        values[key] = value
    return values, problems


def _problem(
    error: Mapping[str, Any], values: Mapping[str, Any], text: str
) -> tuple[int | None, str]:
    location: Sequence[object] = error.get("loc", ())
    key = str(location[0]) if location else SECTION
    line = _line_of(key, text)
    fields = Settings.model_fields
    if error.get("type") == "extra_forbidden":
        known = ", ".join(fields)
        close = difflib.get_close_matches(key, list(fields), n=1)
        guess = f" Có phải «{close[0]}»?" if close else ""
        return line, f"không có mục «{key}».{guess} Các mục dùng được: {known}."
    if error.get("type") == "value_error":
        cause = error.get("ctx", {}).get("error")
        return line, f"«{key}»: {cause}" + ("" if str(cause).endswith(".") else ".")
    description = fields[key].description if key in fields else None
    given = _toml_value(values.get(key))
    shown = f"«{key}» = {given}" if given else f"«{key}»"
    return line, f"{shown} không hợp lệ: cần {description or 'giá trị khác'}."


def _toml_value(value: object) -> str:
    """A short value as it was written in the file, to quote it back; '' when long."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = f'"{value}"'
    elif isinstance(value, int | float):
        text = str(value)
    else:
        return ""
    return text if len(text) <= 40 else ""


def _line_of(key: str, text: str) -> int | None:
    """The first line that sets ``key`` (``key = …``, ``"key" = …``, ``[key]``)."""
    name = re.escape(key)
    pattern = re.compile(
        rf"^[ \t]*(?:(?:{name}|\"{name}\"|'{name}')[ \t]*[=.]|\[+[ \t]*{name}[ \t]*[\].])",
        re.MULTILINE,
    )
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _message(path: Path, problems: list[tuple[int | None, str]]) -> str:
    def where(line: int | None) -> str:
        return f"dòng {line}" if line is not None else "trong tệp"

    if len(problems) == 1:
        line, text = problems[0]
        return f"Tệp cấu hình «{path}», {where(line)}: {text}"
    lines = [f"Tệp cấu hình «{path}» có {len(problems)} lỗi:"]
    ordered = sorted(problems, key=lambda problem: problem[0] or sys.maxsize)
    lines += [f"  {where(line)}: {text}" for line, text in ordered]
    return "\n".join(lines)
