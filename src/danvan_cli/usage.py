"""Vietnamese for the command-line framework's own words, through public means only.

* Typer marks its help words ("Options", "Commands", "default: {default}"…) for gettext: our
  catalogue ``locale/vi/LC_MESSAGES/danvan.mo`` (compiled from ``locale/vi.po`` by
  ``locale/build_catalogue.py``) answers them while ``vietnamese()`` is active.
* The usage line (``Usage: …``) and usage errors carry no gettext mark: they are worded here,
  at our own boundary, from what Typer hands us (``Context.get_help``/``get_usage``, the error's
  ``format_message``). A message we do not know keeps its original detail.

Light to import: ``danvan --help`` loads this module.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeGuard

DOMAIN = "danvan"
LANGUAGE = "vi"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

USAGE = "Cách dùng: "
HELP_OPTION = "--help"
HELP_TEXT = "Hiện trợ giúp này rồi thoát."
OPTIONS_METAVAR = "[TUỲ CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM SỐ]..."
_ENGLISH_USAGE = "Usage: "


@contextmanager
def vietnamese() -> Iterator[None]:
    """gettext answers in Vietnamese from our catalogue for the length of one run, whatever the
    user's locale; the process's gettext domain and ``LANGUAGE`` are restored afterwards."""
    domain = gettext.textdomain()
    language = os.environ.get("LANGUAGE")
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = LANGUAGE  # gettext's first choice of language (GNU convention)
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def reword_usage(text: str) -> str:
    """``Usage: danvan build …`` -> ``Cách dùng: danvan build …`` (help and usage lines)."""
    return USAGE + text[len(_ENGLISH_USAGE) :] if text.startswith(_ENGLISH_USAGE) else text


class _Context(Protocol):
    @property
    def command_path(self) -> str: ...

    def get_usage(self) -> str: ...


def usage_error(err: Exception, prog_name: str) -> str:
    """What a user reads for a usage error: the command's usage line and where to find help
    (when the error knows its command), then the error in Vietnamese."""
    ctx = getattr(err, "ctx", None)
    format_message = getattr(err, "format_message", None)
    message = str(format_message() if callable(format_message) else err)
    lines: list[str] = []
    if _is_context(ctx):
        lines += [reword_usage(ctx.get_usage()), f"Xem trợ giúp: {ctx.command_path} {HELP_OPTION}"]
    else:
        lines.append(f"Xem trợ giúp: {prog_name} {HELP_OPTION}")
    lines += ["", f"Lỗi: {reword_error(message)}"]
    return "\n".join(lines)


def _is_context(ctx: object) -> TypeGuard[_Context]:
    return isinstance(getattr(ctx, "command_path", None), str) and callable(
        getattr(ctx, "get_usage", None)
    )


def reword_error(message: str) -> str:
    """A usage error of the framework, in Vietnamese."""
    for pattern, word in _ERRORS:
        found = pattern.fullmatch(message.strip())
        if found:
            return word(found)
    return f"Lệnh gõ chưa đúng ({message.strip()})."


def _choices(text: str) -> str:
    names = [name.strip() for name in text.split(",") if name.strip()]
    return " hoặc ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else text


def _hint(text: str) -> str:
    """``'--jobs' / '-j'`` -> ``--jobs / -j``."""
    return " / ".join(part.strip().strip("'\"") for part in text.split(" / "))


def _value_problem(detail: str) -> str:
    for pattern, word in _VALUES:
        found = pattern.fullmatch(detail.strip())
        if found:
            return found.expand(word)
    return detail


def _guess(found: re.Match[str], key: str) -> str:
    return f" Có phải ý bạn là {_choices(found[key])}?" if found[key] else ""


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_ERRORS: tuple[_Rule, ...] = tuple(
    (re.compile(pattern, re.DOTALL), word)
    for pattern, word in (
        (
            r"No such option: (?P<option>\S+)(?: \(Possible options: (?P<guess>.+)\))?",
            lambda m: f"Không có tuỳ chọn {m['option']}.{_guess(m, 'guess')}",
        ),
        (
            r"No such command '(?P<name>.+?)'\.(?: Did you mean (?P<guess>.+)\?)?",
            lambda m: f"Không có lệnh '{m['name']}'.{_guess(m, 'guess')}",
        ),
        (  # the head already in Vietnamese from the catalogue ("Không có lệnh 'bild'.")
            r"(?P<head>.+?)\. Did you mean (?P<guess>.+)\?",
            lambda m: f"{m['head']}.{_guess(m, 'guess')}",
        ),
        (  # … with no guess: already Vietnamese, said as it is
            r"(?P<head>Không có lệnh '.+?')\.",
            lambda m: f"{m['head']}.",
        ),
        (r"Missing argument '(?P<name>.+)'\.", lambda m: f"Thiếu tham số {m['name']}."),
        (r"Missing option '(?P<name>.+)'\.", lambda m: f"Thiếu tuỳ chọn {m['name']}."),
        (r"Missing parameter: (?P<name>.+)", lambda m: f"Thiếu tham số {m['name']}."),
        (
            r"Invalid value for (?P<hint>.+?): (?P<detail>.+)",
            lambda m: f"Giá trị của {_hint(m['hint'])} không hợp lệ: {_value_problem(m['detail'])}",
        ),
        (
            r"Invalid value: (?P<detail>.+)",
            lambda m: f"Giá trị không hợp lệ: {_value_problem(m['detail'])}",
        ),
        (
            r"Option '(?P<option>.+)' requires an argument\.",
            lambda m: f"Tuỳ chọn {m['option']} cần một giá trị.",
        ),
        (
            r"Option '(?P<option>.+)' requires (?P<count>\d+) arguments\.",
            lambda m: f"Tuỳ chọn {m['option']} cần {m['count']} giá trị.",
        ),
        (
            r"Option '(?P<option>.+)' does not take a value\.",
            lambda m: f"Tuỳ chọn {m['option']} không nhận giá trị.",
        ),
        (
            r"Got unexpected extra arguments?(?:\(s\))? \((?P<extra>.+)\)",
            lambda m: f"Thừa tham số: {m['extra']}.",
        ),
    )
)

_VALUES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), word)
    for pattern, word in (
        (r"Input should be a valid integer.*", "cần một số nguyên."),
        (r"Input should be a valid number.*", "cần một số."),
        (r"Input should be greater than or equal to (\S+)", r"cần số từ \1 trở lên."),
        (r"Input should be less than or equal to (\S+)", r"cần số không quá \1."),
        (r"(?:Value )?(.+) is not a valid (?:int|integer)\.", r"\1 không phải số nguyên."),
        (r"(?:Value )?(.+) is not a valid (?:float|number)\.", r"\1 không phải số."),
    )
)
