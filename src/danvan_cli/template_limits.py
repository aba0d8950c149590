"""Bounds on filling a template (SPEC §6): a custom template that loops or grows without end is
stopped — a render over 30 s or 50 MB of output — with a clear error, instead of hanging
``template check``, ``build`` or a batch worker.

Only the sandbox's documented hooks are used, so it works the same on Windows and in worker
processes (no threads, no signals): every ``{% for %}`` loop's iterable passes through a guard
(a token-stream extension wraps it in a filter), every call and intercepted operator
(``*``, ``**``, ``%``, ``+``) is checked, the output is produced with ``generate()`` and
counted, and the budget (deadline and output size) lives in a context variable set for the
duration of one render.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

import jinja2
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from danvan_cli.vietnamese import format_decimal


@dataclass(frozen=True)
class Limits:
    """How long one render may run and how much text it may produce."""

    seconds: float = 30.0
    output_bytes: int = 50 * 1024 * 1024

    @property
    def max_length(self) -> int:
        """The longest string or list one expression may build (no more than the whole
        output may hold)."""
        return self.output_bytes

    def describe_time(self) -> str:
        return f"{format_decimal(self.seconds, 1)} giây"

    def describe_size(self) -> str:
        return f"{format_decimal(self.output_bytes / (1024 * 1024), 1)} MB"


DEFAULT_LIMITS = Limits()
MAX_INT_BITS = 100_000  # ~30.000 digits: far beyond any figure, far below a hang
LOOP_GUARD_FILTER = "danvan_loop_guard"
_CHECK_EVERY = 64  # loop items between two looks at the clock


class RenderLimitError(Exception):
    """A render ran out of its budget: ``kind`` is ``"time"`` or ``"size"``."""

    def __init__(self, kind: str, limits: Limits) -> None:
        super().__init__(kind)
        self.kind = kind
        self.limits = limits


class Budget:
    """The deadline and output count of one render."""

    __slots__ = ("deadline", "limits", "written")

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.written = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimitError("time", self.limits)

    def add(self, length: int) -> None:
        self.written += length
        if self.written > self.limits.output_bytes:
            raise RenderLimitError("size", self.limits)


_BUDGET: ContextVar[Budget | None] = ContextVar("danvan_render_budget", default=None)


@contextmanager
def budget(limits: Limits) -> Iterator[Budget]:
    """Everything rendered inside shares one budget."""
    spent = Budget(limits)
    token = _BUDGET.set(spent)
    try:
        yield spent
    finally:
        _BUDGET.reset(token)


def render_bounded(template: jinja2.Template, context: Any) -> str:
    """``template.render(context)`` within the active budget (see :func:`budget`)."""
    spent = _BUDGET.get()
    if spent is None:
        with budget(DEFAULT_LIMITS):
            return render_bounded(template, context)
    chunks: list[str] = []
    for count, chunk in enumerate(template.generate(context)):
        spent.add(len(chunk))
        if not count % _CHECK_EVERY:
            spent.tick()
        chunks.append(chunk)
    spent.tick()
    return "".join(chunks)


# --- checks used by the hooks ----------------------------------------------------------------


def _limits() -> Limits:
    spent = _BUDGET.get()
    return DEFAULT_LIMITS if spent is None else spent.limits


def _tick() -> None:
    spent = _BUDGET.get()
    if spent is not None:
        spent.tick()


def _too_big(limits: Limits) -> RenderLimitError:
    return RenderLimitError("size", limits)


def _check_length(value: object) -> None:
    if isinstance(value, str | bytes | list | tuple | dict | set):
        limits = _limits()
        if len(value) > limits.max_length:
            raise _too_big(limits)


def _check_int(value: object) -> None:
    """A count or width given to a call (``center(10**9)``, ``ljust``…) stays within reach."""
    if isinstance(value, int) and not isinstance(value, bool):
        limits = _limits()
        if abs(value) > limits.max_length or value.bit_length() > MAX_INT_BITS:
            raise _too_big(limits)


def _check_arguments(args: Iterable[object], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        _check_int(value)
        _check_length(value)


_DIGITS = re.compile(r"\d+")


def _check_format_string(text: object) -> None:
    """``'%999999999d'``, ``'{:>999999999}'``: a width or precision too large to honour."""
    if isinstance(text, str):
        limits = _limits()
        for digits in _DIGITS.findall(text):
            if len(digits) > 9 or int(digits) > limits.max_length:
                raise _too_big(limits)


def _sized(value: object) -> int | None:
    return len(value) if isinstance(value, str | bytes | list | tuple) else None


def _predicted(operator: str, left: object, right: object) -> tuple[int, int]:
    """The length of the sequence, or the bits of the integer, an operation would build."""
    left_length, right_length = _sized(left), _sized(right)
    if operator == "*":
        if left_length is not None and isinstance(right, int):
            return left_length * right, 0
        if right_length is not None and isinstance(left, int):
            return right_length * left, 0
        if isinstance(left, int) and isinstance(right, int):
            return 0, left.bit_length() + right.bit_length()
    elif operator == "**" and isinstance(left, int) and isinstance(right, int):
        if abs(left) > 1 and right > 0:
            return 0, left.bit_length() * right
    elif operator == "+" and left_length is not None and right_length is not None:
        return left_length + right_length, 0
    return 0, 0


def _check_binop(operator: str, left: object, right: object) -> None:
    length, bits = _predicted(operator, left, right)
    limits = _limits()
    if length > limits.max_length or bits > MAX_INT_BITS:
        raise _too_big(limits)
    if operator == "%":
        _check_format_string(left)


_FORMAT_METHODS = {"format", "format_map"}


def _check_method(function: Any, args: tuple[Any, ...]) -> None:
    """String methods whose result can dwarf their arguments."""
    target = getattr(function, "__wrapped__", function)
    owner = getattr(target, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(target, "__name__", "")
    if name in _FORMAT_METHODS:
        _check_format_string(owner)
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])


def _check_replace(text: str, old: object, new: object) -> None:
    """``s.replace('', big)`` inserts ``big`` between every two letters."""
    if isinstance(old, str) and isinstance(new, str):
        hits = len(text) + 1 if not old else text.count(old)
        limits = _limits()
        if len(text) + hits * (len(new) - len(old)) > limits.max_length:
            raise _too_big(limits)


# --- the guarded sandbox ---------------------------------------------------------------------


class _BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot grow past the limits (``{% set ns.s = ns.s ~
    ns.s %}`` in a loop doubles a string each turn)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        _check_length(value)
        super().__setitem__(name, value)


def _guard_loop(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` iterates through this: the clock is read every few items."""
    for count, item in enumerate(iterable):
        if not count % _CHECK_EVERY:
            _tick()
        yield item


def _guard_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)  # keeps Jinja's pass_context / pass_environment marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_arguments(args, kwargs)
        if function.__name__ == "do_format" and args:
            _check_format_string(args[0])
        if function.__name__ == "do_replace" and len(args) >= 4:  # (eval_ctx, s, old, new)
            _check_replace(str(args[1]), args[2], args[3])
        result = function(*args, **kwargs)
        _check_length(result)
        return result

    return guarded


class _LoopGuard(Extension):
    """Wraps the iterable of every ``{% for x in EXPR %}`` as ``(EXPR)|danvan_loop_guard``,
    where Jinja itself ends the iterable: at ``if``, ``recursive`` or ``%}`` outside
    brackets."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        state = "text"  # text -> target (after "for") -> iterable (after "in")
        depth = 0
        previous: Token | None = None
        for token in stream:
            if state == "text":
                after_begin = previous is not None and previous.type == "block_begin"
                if after_begin and token.test("name:for"):
                    state = "target"
            elif state == "target":
                if token.test("name:in"):
                    yield token
                    yield Token(token.lineno, "lparen", "(")
                    state, depth = "iterable", 0
                    previous = token
                    continue
            elif state == "iterable":
                if token.type in ("lparen", "lbracket", "lbrace"):
                    depth += 1
                elif token.type in ("rparen", "rbracket", "rbrace"):
                    depth -= 1
                elif depth == 0 and (
                    token.type == "block_end"
                    or token.test("name:if")
                    or token.test("name:recursive")
                ):
                    yield Token(token.lineno, "rparen", ")")
                    yield Token(token.lineno, "pipe", "|")
                    yield Token(token.lineno, "name", LOOP_GUARD_FILTER)
                    state = "text"
            yield token
            previous = token


class GuardedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with the budget checks of this module."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_extension(_LoopGuard)
        for name, function in list(self.filters.items()):
            self.filters[name] = _guard_filter(function)
        self.filters[LOOP_GUARD_FILTER] = _guard_loop
        self.globals["namespace"] = _BoundedNamespace
        self.globals.pop("lipsum", None)  # lipsum(10**9) is a filler generator, not a report

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        _check_length(result)
        return result

    def call(
        __self,  # Jinja's own signature: positional names that no keyword can clash with
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        _tick()
        _check_arguments(args, kwargs)
        _check_method(__obj, args)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_length(result)
        return result
