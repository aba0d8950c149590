"""Vietnamese for the command-line framework's own words: help headings, the help option and
usage errors (exit 2). Everything a clerk reads is Vietnamese (SPEC, first page).

The framework (Click, vendored by recent Typer) has no translation catalogue, so its few
user-facing strings are replaced here; should a future version move them, the English
originals simply show through — nothing breaks."""

from __future__ import annotations

import re
import sys
from types import ModuleType
from typing import IO, Any

WORDS = {
    "Arguments": "Tham số",
    "Options": "Tuỳ chọn",
    "Commands": "Lệnh",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
}

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"No such option: ", "Không có tuỳ chọn "),
        (r"\(Possible options: ", "(có thể là: "),
        (r"Did you mean (.+)\?", r"Có phải ý bạn là \1?"),
        (r"No such command (.+)\.", r"Không có lệnh \1."),
        (r"Missing argument (.+)\.", r"Thiếu tham số \1."),
        (r"Missing option (.+)\.", r"Thiếu tuỳ chọn \1."),
        (r"Missing parameter: (.+)", r"Thiếu tham số \1"),
        (r"Invalid value for (.+?): ", r"Giá trị không hợp lệ cho \1: "),
        (r"(.+) is not a valid integer\.", r"\1 không phải số nguyên."),
        (r"(.+) is not a valid float\.", r"\1 không phải số."),
        (r"(.+) is not in the range (.+)\.", r"\1 không nằm trong khoảng \2."),
        (r"Got unexpected extra arguments? ", "Thừa tham số "),
        (r"Option (.+) requires an argument\.", r"Tuỳ chọn \1 cần một giá trị."),
        (r"Option (.+) requires (\d+) arguments\.", r"Tuỳ chọn \1 cần \2 giá trị."),
        (r"Option (.+) does not take a value\.", r"Tuỳ chọn \1 không nhận giá trị."),
        (r"Input should be a valid integer.*", "cần một số nguyên."),
        (r"Input should be a valid number.*", "cần một số."),
        (r"Input should be greater than or equal to (\S+)", r"phải từ \1 trở lên"),
        (r"Input should be less than or equal to (\S+)", r"phải không quá \1"),
        (r"^Usage: ", "Cách dùng: "),
        (r"\nUsage: ", "\nCách dùng: "),
    )
)

HELP_TEXT = "Hiện trợ giúp này rồi thoát."


def translate(message: str) -> str:
    for pattern, replacement in _PATTERNS:
        message = pattern.sub(replacement, message)
    return message


def _usage_error_show(self: Any, file: IO[str] | None = None) -> None:
    stream = file if file is not None else sys.stderr
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        stream.write(translate(ctx.get_usage()) + "\n")
        stream.write(f"Xem trợ giúp: {ctx.command_path} --help\n\n")
    stream.write(f"Lỗi: {translate(self.format_message())}\n")


def _exception_show(self: Any, file: IO[str] | None = None) -> None:
    stream = file if file is not None else sys.stderr
    stream.write(f"Lỗi: {translate(self.format_message())}\n")


def install() -> None:
    """Patch the framework's words; safe to call more than once."""
    try:
        import typer.core as typer_core
        from typer import _click as click_pkg
        from typer._click import core as click_core
        from typer._click import exceptions, formatting
    except ImportError:  # an older Typer on plain Click: leave it in English
        return

    def gettext(text: str) -> str:
        return WORDS.get(text, text)

    for module in (typer_core, click_core):
        if isinstance(module, ModuleType) and hasattr(module, "_"):
            setattr(module, "_", gettext)  # noqa: B010

    exceptions.UsageError.show = _usage_error_show  # type: ignore[method-assign]
    exceptions.ClickException.show = _exception_show  # type: ignore[method-assign]

    original_write_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_write_usage(self, prog, args, "Cách dùng: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    del click_pkg
