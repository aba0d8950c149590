"""``template check`` (SPEC §5), also run by ``build --template`` before anything is written.

Errors (the template cannot be used): a broken tag — a lost ``}`` or ``{``, an unclosed
``{%p if %}`` — found on the text of each paragraph (template_lint.py); a name that is not in
the report's data; a construct the sandbox refuses; a render that runs out of time or size;
rendered XML that Word would reject. Warnings (the template works, but the clerk must know):
each figure the default template prints that the edited one no longer prints
(template_figures.py). Every message names the paragraph or table cell by its text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from danvan_cli import template_limits
from danvan_cli.context import sample_contexts
from danvan_cli.errors import TemplateError
from danvan_cli.render import (
    FILTERS,
    RENDER_ERRORS,
    Part,
    ReportTemplate,
    compile_part,
    docx_helper,
    environment,
    explain,
    is_templated,
    parse_part,
    prepare_part,
    read_members,
    unsafe_message,
)
from danvan_cli.template_figures import missing_figures, sentinel_context
from danvan_cli.template_limits import Limits, budget, render_bounded
from danvan_cli.template_lint import lint_part

MAX_LISTED = 30


@dataclass(frozen=True)
class TemplateCheck:
    """What ``template check`` found; ``template`` is the loaded template when usable."""

    errors: list[str]
    warnings: list[str] = field(default_factory=list)
    template: ReportTemplate | None = None


def check_template(path: Path, limits: Limits | None = None) -> TemplateCheck:
    """Every problem of an edited template, in Vietnamese (renders within ``limits``, by
    default template_limits.DEFAULT_LIMITS)."""
    limits = limits or template_limits.DEFAULT_LIMITS
    try:
        members = read_members(path)
    except TemplateError as err:
        return TemplateCheck([str(err)])
    parser = SandboxedEnvironment()
    parser.filters.update(FILTERS)  # parsing only: a filter tells a lost brace from prose
    names = set(sample_contexts()[0])
    helper = docx_helper()
    errors: list[str] = []
    parts: dict[str, Part] = {}
    for name, blob in members:
        if not is_templated(name, blob):
            continue
        try:
            root = parse_part(path, name, blob)
        except TemplateError as err:
            errors.append(str(err))
            continue
        found = lint_part(name, root, parser, names)
        errors.extend(found)
        if not found:
            part = prepare_part(helper, name, root)
            if part is not None:
                parts[name] = part
    if not errors:
        errors.extend(_names_and_samples(parts, limits))
    if errors:
        return TemplateCheck(list(dict.fromkeys(errors)))
    try:  # the parts must also come out as XML that Word accepts
        template = ReportTemplate(path, limits)
        for context in sample_contexts():
            template.render(context)
        sentinels = sentinel_context()
        edited = template.render_parts(sentinels.context)
    except TemplateError as err:
        return TemplateCheck([str(err)])
    default = _default_template().render_parts(sentinels.context)
    return TemplateCheck([], missing_figures(default, edited, sentinels), template)


def load_checked_template(
    path: Path, limits: Limits | None = None
) -> tuple[ReportTemplate, list[str]]:
    """What ``build --template`` runs first: the template and its warnings, or a
    TemplateError listing every error."""
    checked = check_template(path, limits)
    if checked.errors or checked.template is None:
        lines = [f"Mẫu «{path}» có {len(checked.errors)} lỗi, chưa lập được báo cáo:"]
        lines += [f"  {error}" for error in checked.errors[:MAX_LISTED]]
        if len(checked.errors) > MAX_LISTED:
            lines.append(f"  … và {len(checked.errors) - MAX_LISTED} lỗi khác.")
        lines.append(f'Sửa mẫu trong Word rồi kiểm tra lại bằng: danvan template check "{path}"')
        raise TemplateError("\n".join(lines))
    return checked.template, checked.warnings


@lru_cache(maxsize=1)
def _default_template() -> ReportTemplate:
    return ReportTemplate()


# --- names, unsafe constructs, sample renders ------------------------------------------------


def _names_and_samples(parts: Mapping[str, Part], limits: Limits) -> Iterator[str]:
    """Unknown names (against the context keys, and by rendering complete sample contexts
    that take both sides of the template's conditions) and unsafe constructs."""
    samples = sample_contexts()
    known = set(samples[0])
    recorder, records = _recording_undefined()
    env = environment({name: part.source for name, part in parts.items()}, recorder)
    for name, part in parts.items():
        try:
            template = compile_part(env, part)
            ast = env.parse(part.source, name)
        except TemplateError as err:
            yield str(err)
            continue
        for variable in sorted(meta.find_undeclared_variables(ast) - known - set(env.globals)):
            yield _unknown(variable, part.where(_first_use(ast, variable)))
        for lineno in _unsafe_lines(ast):
            yield unsafe_message(part.where(lineno))
        for context in samples:
            records.clear()
            problems = list(_probe_render(template, part, context, records, limits))
            yield from problems
            if problems:
                break


def _unsafe_lines(ast: nodes.Template) -> Iterator[int]:
    """Lines reaching for Python internals (``x.__class__``, ``x["_y"]``), found statically:
    Jinja folds constant expressions such as ``''.__class__`` at compile time."""
    for node in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name: object = None
        if isinstance(node, nodes.Getattr):
            name = node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            name = node.arg.value
        if isinstance(name, str) and name.startswith("_"):
            yield int(node.lineno)


def _first_use(ast: nodes.Template, variable: str) -> int | None:
    for node in ast.find_all(nodes.Name):
        if node.name == variable and node.ctx == "load":
            return int(node.lineno)
    return None


@dataclass
class _Record:
    name: str
    unsafe: bool
    lineno: int | None


def _recording_undefined() -> tuple[type[jinja2.Undefined], list[_Record]]:
    records: list[_Record] = []

    class Recorder(jinja2.ChainableUndefined):
        __slots__ = ()

        def __init__(
            self,
            hint: str | None = None,
            obj: Any = jinja2.utils.missing,
            name: str | None = None,
            exc: type[jinja2.TemplateRuntimeError] = jinja2.UndefinedError,
        ) -> None:
            super().__init__(hint, obj, name, exc)
            if name is not None:
                records.append(_Record(name, exc is SecurityError, _caller_line()))

    return Recorder, records


def _caller_line() -> int | None:
    """The template line of the innermost template frame on the stack (check mode only)."""
    frame = sys._getframe(2)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return int(template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return None


def _probe_render(
    template: jinja2.Template,
    part: Part,
    context: Mapping[str, Any],
    records: list[_Record],
    limits: Limits,
) -> Iterator[str]:
    try:
        with budget(limits):
            render_bounded(template, context)
    except RENDER_ERRORS as err:
        explained = explain(err, part)
        if explained is None:  # pragma: no cover - RENDER_ERRORS are all explained
            raise
        if not records:  # else an unknown name, told below, is the cause
            yield str(explained)
    for record in records:
        where = part.where(record.lineno)
        if record.unsafe:
            yield unsafe_message(where)
        else:
            yield _unknown(record.name, where)


def _unknown(name: str, where: str) -> str:
    return (
        f"{where}: biến «{name}» không có trong dữ liệu báo cáo (có thể gõ sai tên; các tên "
        "dùng được là những tên có trong mẫu mặc định, «danvan template export»)."
    )
