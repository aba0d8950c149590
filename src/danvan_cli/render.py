"""Rendering the report: a docxtpl template compiled once and rendered many times in Jinja's
sandbox, within time and size limits (the context it is given comes from context.py), atomic
saving, template export and PDF conversion. ``template check`` lives in template_check.py.

Only the commands that render import this module: it pulls in docxtpl, python-docx, Jinja
and lxml, which ``danvan --help`` must not pay for.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from lxml import etree  # type: ignore[import-untyped,unused-ignore]
from markupsafe import Markup

from danvan_cli import template_limits
from danvan_cli.context import clean_text
from danvan_cli.errors import DanvanError, TemplateError, UsageError
from danvan_cli.output import ensure_writable, write_bytes_atomic
from danvan_cli.template_limits import (
    GuardedEnvironment,
    Limits,
    RenderLimitError,
    budget,
    render_bounded,
)
from danvan_cli.vietnamese import (
    date_line,
    format_count,
    format_date,
    format_decimal,
    format_percent,
    group_thousands,
    upper_vi,
)

TEMPLATE_NAME = "bao_cao.docx"

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # uncompressed size of all the template's members


# --- the packaged template -----------------------------------------------------------------


def default_template_path() -> Path:
    """The packaged ``danvan_cli/templates/bao_cao.docx``; from a source checkout (running
    with ``PYTHONPATH=src``) the repository's ``templates/bao_cao.docx``."""
    try:
        packaged = resources.files("danvan_cli").joinpath("templates").joinpath(TEMPLATE_NAME)
        if isinstance(packaged, Path) and packaged.is_file():
            return packaged
    except (ModuleNotFoundError, OSError):  # pragma: no cover - odd installs
        pass
    return Path(__file__).resolve().parents[2] / "templates" / TEMPLATE_NAME


# --- Jinja environment ---------------------------------------------------------------------


def _finalize(value: object) -> object:
    """Applied to every ``{{ … }}`` before escaping: None prints nothing, text loses the
    control characters XML forbids."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return Markup(clean_text(str(value)))
    if isinstance(value, str):
        return clean_text(value)
    return value


def _as_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"cần một số, nhận được «{value!r}»")
    return value


def _so(value: object) -> str:
    if value is None:
        return ""
    return group_thousands(round(_as_number(value)))


@jinja2.pass_context
def _dem(context: jinja2.runtime.Context, value: object) -> str:
    if value is None:
        return ""
    return format_count(round(_as_number(value)), bool(context.get("leading_zero", True)))


def _tp(value: object, places: int = 2) -> str:
    return "" if value is None else format_decimal(_as_number(value), places)


def _pt(value: object) -> str:
    return "" if value is None else format_percent(_as_number(value))


def _to_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _ngay(value: object) -> str:
    return "" if value is None or value == "" else format_date(_to_date(value))


def _ngay_thang(value: object) -> str:
    return "" if value is None or value == "" else date_line(_to_date(value))


def _hoa(value: object) -> str:
    return "" if value is None else upper_vi(str(value))


FILTERS: dict[str, Callable[..., str]] = {
    "so": _so,
    "dem": _dem,
    "tp": _tp,
    "pt": _pt,
    "ngay": _ngay,
    "ngay_thang": _ngay_thang,
    "hoa": _hoa,
}


def environment(
    sources: Mapping[str, str], undefined: type[jinja2.Undefined] = jinja2.StrictUndefined
) -> GuardedEnvironment:
    """The sandbox every template part is compiled in (template_limits.py bounds it)."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        source = sources.get(name)
        return None if source is None else (source, name, lambda: True)

    env = GuardedEnvironment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=undefined,
        finalize=_finalize,
        auto_reload=False,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


# --- loading a template --------------------------------------------------------------------

_RENDERED_PREFIXES = ("word/",)
_RENDERED_EXTRA = ("docProps/core.xml",)
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
_CHECK_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TAG_OPEN = re.compile(r"\{[{%#]")
_PARAGRAPH_START = re.compile(r"(?=<w:p[ >])")
_BLOCK_TAGS = re.compile(
    r"(?:(?<=</w:p>)|(?<=</w:tr>)|(?<=</w:tc>)|(?<=</w:tbl>))((?:\{%(?:(?!%\}).)*%\})+)",
    re.DOTALL,
)
_ONE_TAG = re.compile(r"\{%(?:(?!%\}).)*%\}", re.DOTALL)
"""The Jinja source gets a line break before each paragraph and before each paragraph-level
tag (``{%p if %}`` becomes a bare ``{% if %}`` between paragraphs), so that an error's line is
one paragraph or one such tag."""
_LINE_BREAKS = re.compile(r"(?<=>)\n+(?=<)")
"""Those line breaks, left between two elements of the output."""
_TABLE_MARK = re.compile(r"<(/?)w:tbl>")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def docx_helper() -> DocxTemplate:
    """A docxtpl object used only for its XML pre/post-processing methods (it loads no file
    until asked to render, which we never do)."""
    return DocxTemplate(io.BytesIO())


def _escape_literals(xml: str) -> str:
    """docxtpl's ``{_{`` ``}_}`` ``{_%`` ``%_}`` mean literal braces: turn them into Jinja
    string output at compile time, so that text *values* containing them stay untouched."""
    return (
        xml.replace("{_{", "{{ '{{' }}")
        .replace("}_}", "{{ '}}' }}")
        .replace("{_%", "{{ '{%' }}")
        .replace("%_}", "{{ '%}' }}")
    )


def _strip_tags(line: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", line).split())


def _template_lineno(tb: TracebackType | None, part: str) -> int | None:
    lineno = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == part:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    return lineno


_UNDEFINED_NAME = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'")


def _undefined_name(message: str) -> str:
    match = _UNDEFINED_NAME.search(message)
    if match is None:
        return message
    return match.group(1) or match.group(2)


def unsafe_message(where: str) -> str:
    return (
        f"Mẫu báo cáo có lệnh không an toàn ở {where}: mẫu chỉ được đọc các biến của báo cáo "
        "(unit, figures, period…), không được truy cập vào bên trong Python (các tên bắt đầu "
        "bằng dấu gạch dưới, __class__, __globals__…). Hãy xóa lệnh đó khỏi mẫu."
    )


@dataclass(frozen=True)
class Part:
    """One templated part of the .docx (``word/document.xml``, a header, the properties)."""

    name: str
    source: str  # the Jinja source (patched XML), one paragraph a line
    lines: list[str]
    fix_tables: bool

    def where(self, lineno: int | None) -> str:
        """A line of the source as the clerk finds it in Word: the paragraph's text, and the
        table it sits in (only errors need this: template_lint is imported then)."""
        from danvan_cli.template_lint import CORE_PART, Paragraph, part_label

        if not lineno or lineno > len(self.lines):
            return part_label(self.name)
        text = _strip_tags(self.lines[lineno - 1])
        if self.name == CORE_PART:
            return Paragraph(self.name, text, prop="").describe()
        depth = tables = 0
        for line in self.lines[: lineno - 1]:
            for mark in _TABLE_MARK.finditer(line):
                closing = bool(mark.group(1))
                depth += -1 if closing else 1
                tables += 0 if closing else 1
        return Paragraph(self.name, text, table=tables if depth > 0 else None).describe()


def explain(err: BaseException, part: Part) -> TemplateError | None:
    """The Vietnamese message for an error raised while filling ``part``; None for an error
    that is not the template's doing."""
    where = part.where(_template_lineno(err.__traceback__, part.name))
    if isinstance(err, RenderLimitError):
        if err.kind == "time":
            return TemplateError(
                f"Mẫu báo cáo chạy quá {err.limits.describe_time()} mà chưa điền xong ({where}): "
                "có thể có vòng lặp quá lớn hoặc không bao giờ dừng. danvan đã dừng lại; hãy "
                "sửa hoặc bỏ vòng lặp đó trong mẫu."
            )
        return TemplateError(
            f"Mẫu báo cáo tạo ra quá {err.limits.describe_size()} nội dung ({where}): có thể "
            "một phép nhân chuỗi, một vòng lặp hay một lệnh lặp lại sinh ra quá nhiều chữ. "
            "danvan đã dừng lại; hãy sửa lệnh đó trong mẫu."
        )
    if isinstance(err, SecurityError):
        return TemplateError(unsafe_message(where))
    if isinstance(err, jinja2.UndefinedError):
        variable = _undefined_name(str(err.message or err))
        return TemplateError(
            f"Mẫu báo cáo dùng biến «{variable}» không có trong dữ liệu báo cáo, ở {where}. "
            "Sửa lại tên biến hoặc chạy «danvan template check» để xem các lỗi của mẫu."
        )
    if isinstance(err, RecursionError):
        return TemplateError(
            f"Mẫu báo cáo có macro gọi lại chính nó không dừng ({where}); hãy sửa macro đó."
        )
    if isinstance(err, MemoryError):
        return TemplateError(
            f"Mẫu báo cáo dùng hết bộ nhớ khi điền ({where}); hãy sửa lệnh sinh ra quá nhiều "
            "nội dung."
        )
    if isinstance(err, RENDER_ERRORS):
        return TemplateError(f"Lỗi khi điền mẫu báo cáo ở {where}: {err}.")
    return None


RENDER_ERRORS = (
    RenderLimitError,
    jinja2.TemplateError,
    TypeError,
    ValueError,
    ArithmeticError,
    LookupError,
    RecursionError,
    MemoryError,
)
"""What filling a template may raise because of the template (or a value it mishandles)."""


class ReportTemplate:
    """A .docx template loaded once, rendered many times.

    Loading does docxtpl's XML pre-processing of every templated part once and compiles the
    Jinja templates once (sandboxed, autoescaped, StrictUndefined); ``render`` then only runs
    the compiled templates — within ``limits`` — and re-zips the untouched members with the
    rendered parts.
    """

    def __init__(self, path: Path | None = None, limits: Limits | None = None) -> None:
        self.path = path or default_template_path()
        self.limits = limits or template_limits.DEFAULT_LIMITS
        self._helper = docx_helper()
        members = read_members(self.path)
        self._parts: dict[str, Part] = {}
        untouched: list[tuple[str, bytes]] = []
        for name, blob in members:
            part = None
            if is_templated(name, blob):
                part = prepare_part(self._helper, name, parse_part(self.path, name, blob))
            if part is None:
                untouched.append((name, blob))
            else:
                self._parts[name] = part
        self._env = environment({name: part.source for name, part in self._parts.items()})
        self._templates: dict[str, jinja2.Template] = {}
        for name, part in self._parts.items():
            self._templates[name] = compile_part(self._env, part)
        self._prefix = _zip_prefix(untouched)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The report as .docx bytes."""
        rendered = self.render_parts(context)
        buffer = io.BytesIO(self._prefix)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in rendered.items():
                archive.writestr(_zip_info(name), data)
        return buffer.getvalue()

    def render_parts(self, context: Mapping[str, Any]) -> dict[str, bytes]:
        """The templated parts filled with ``context`` (XML bytes by part name)."""
        with budget(self.limits):
            return {name: self._render_part(name, context) for name in self._parts}

    def _render_part(self, name: str, context: Mapping[str, Any]) -> bytes:
        part = self._parts[name]
        try:
            xml = render_bounded(self._templates[name], context)
        except RENDER_ERRORS as err:
            raise (explain(err, part) or err) from None
        xml = self._post_process(xml, part)
        data = xml.encode("utf-8")
        try:
            etree.fromstring(data, _CHECK_PARSER)
        except etree.XMLSyntaxError as err:
            from danvan_cli.template_lint import part_label

            raise TemplateError(
                f"Mẫu báo cáo tạo ra nội dung Word không hợp lệ ở {part_label(name)} ({err}). "
                "Thường do một thẻ {%p …%}/{%tr …%} nằm chung đoạn văn với chữ khác hoặc "
                "các cặp thẻ mở/đóng nằm ở hai ô bảng khác nhau."
            ) from None
        return data

    def _post_process(self, xml: str, part: Part) -> str:
        xml = _LINE_BREAKS.sub("", xml)
        xml = self._helper.resolve_listing(xml)
        if part.fix_tables:
            body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
            tree = self._helper.fix_tables(body)
            xml = _DECLARATION + etree.tostring(tree, encoding="unicode")
        if "<wp:docPr" in xml:
            counter = iter(range(1001, sys.maxsize))
            xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(3)}", xml)
        return xml


def compile_part(env: jinja2.Environment, part: Part) -> jinja2.Template:
    """Compile one part; a syntax error names the paragraph (template_lint.py catches most
    broken tags earlier, with a plainer message)."""
    try:
        return env.get_template(part.name)
    except jinja2.TemplateSyntaxError as err:
        raise TemplateError(
            f"Mẫu báo cáo có lỗi cú pháp ở {part.where(err.lineno)}: "
            f"{(err.message or '').rstrip('.')}. Kiểm tra các thẻ {{{{ … }}}}, {{% … %}} (mỗi "
            "{%p if %}/{%p for %} cần {%p endif %}/{%p endfor %})."
        ) from None
    except (RecursionError, MemoryError):
        from danvan_cli.template_lint import part_label

        raise TemplateError(
            f"Mẫu báo cáo lồng các thẻ quá sâu ở {part_label(part.name)}, không đọc được."
        ) from None


def is_templated(name: str, blob: bytes) -> bool:
    """Parts docxtpl fills: the XML under ``word/`` and the document properties."""
    if not name.endswith(".xml"):
        return False
    if not (name.startswith(_RENDERED_PREFIXES) or name in _RENDERED_EXTRA):
        return False
    return b"{" in blob or b"}" in blob


def prepare_part(helper: DocxTemplate, name: str, root: etree._Element) -> Part | None:
    """docxtpl's pre-processing of one part, or None when the part holds no tags."""
    xml = _DECLARATION + str(etree.tostring(root, encoding="unicode"))
    xml = helper.patch_xml(xml)
    if _TAG_OPEN.search(xml) is None:
        return None
    xml = _BLOCK_TAGS.sub(lambda m: "".join("\n" + t for t in _ONE_TAG.findall(m[1])), xml)
    source = _escape_literals(_PARAGRAPH_START.sub("\n", xml))
    fix_tables = "{%tc" in xml or "{{tc" in xml or "{% tc" in xml
    return Part(name, source, source.splitlines(), fix_tables)


def read_members(path: Path) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"Tệp mẫu «{path}» quá lớn khi giải nén.")
            names = {info.filename for info in infos}
            if "word/document.xml" not in names:
                raise TemplateError(
                    f"Tệp mẫu «{path}» không phải tệp Word .docx (thiếu word/document.xml)."
                )
            return [(info.filename, archive.read(info)) for info in infos if not info.is_dir()]
    except FileNotFoundError:
        raise TemplateError(f"Không tìm thấy tệp mẫu «{path}».") from None
    except IsADirectoryError:
        raise TemplateError(f"«{path}» là thư mục, không phải tệp mẫu .docx.") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise TemplateError(
            f"Tệp mẫu «{path}» không phải tệp Word .docx hợp lệ (hỏng, hoặc là tệp .doc cũ: "
            "hãy mở bằng Word và lưu lại dạng .docx)."
        ) from None
    except RuntimeError:  # encrypted member
        raise TemplateError(
            f"Tệp mẫu «{path}» được đặt mật khẩu; hãy bỏ mật khẩu rồi thử lại."
        ) from None
    except OSError as err:
        raise TemplateError(f"Không đọc được tệp mẫu «{path}»: {err.strerror}.") from None


def parse_part(path: Path, name: str, blob: bytes) -> etree._Element:
    """Parse a part safely (no entities, no network, no DTD)."""
    try:
        root = etree.fromstring(blob, _XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise TemplateError(
            f"Tệp mẫu «{path}»: phần {name} không phải XML hợp lệ (dòng {err.lineno}): {err.msg}."
        ) from None
    if root.getroottree().docinfo.doctype:
        raise TemplateError(f"Tệp mẫu «{path}»: phần {name} có khai báo DOCTYPE, không dùng được.")
    return root


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _zip_prefix(members: list[tuple[str, bytes]]) -> bytes:
    """A zip holding the members that are never rendered; each render appends to a copy."""
    buffer = io.BytesIO()
    ordered = sorted(members, key=lambda item: item[0] != "[Content_Types].xml")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in ordered:
            archive.writestr(_zip_info(name), blob)
    return buffer.getvalue()


# --- writing -------------------------------------------------------------------------------


def render_report(
    template: ReportTemplate,
    context: Mapping[str, Any],
    out: Path,
    force: bool,
    option: str | None = None,
) -> Path:
    """Render and write ``out`` atomically; an existing file is kept unless ``force``.
    ``option`` names the command's output option for the overwrite refusal."""
    ensure_writable(out, force, option)
    return write_bytes_atomic(out, template.render(context), force, option)


def export_template(out: Path, force: bool) -> Path:
    """A copy of the default template, for a clerk to edit in Word; ``out`` is a .docx name
    or a folder. (``template export`` has no ``-o``: the refusal to overwrite names none.)"""
    if out.is_dir():
        out = out / TEMPLATE_NAME
    elif out.suffix.lower() != ".docx":
        raise UsageError(f"Tệp ra «{out}» phải có đuôi .docx.")
    ensure_writable(out, force)
    source = default_template_path()
    try:
        data = source.read_bytes()
    except OSError as err:  # pragma: no cover - broken install
        raise DanvanError(f"Không đọc được mẫu mặc định «{source}»: {err.strerror}.") from None
    return write_bytes_atomic(out, data, force)


# --- PDF -----------------------------------------------------------------------------------

_WINDOWS_SOFFICE = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice/program/soffice.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    / "LibreOffice/program/soffice.exe",
)


def find_libreoffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":  # pragma: no cover - Windows only
        for candidate in _WINDOWS_SOFFICE:
            if candidate.is_file():
                return str(candidate)
    return None


def convert_to_pdf(docx: Path, force: bool) -> Path:
    """``docx`` -> a .pdf beside it via LibreOffice (headless, its own throw-away profile so a
    LibreOffice window the clerk has open does not swallow the job).

    With ``force``, a PDF already there belongs to the report ``docx`` replaced: when the
    conversion fails it is deleted rather than left beside the new report as if it matched
    (the error says so; if it cannot be deleted, the error says that too)."""
    pdf = docx.with_suffix(".pdf")
    ensure_writable(pdf, force)
    try:
        return _convert(docx, pdf, force)
    except DanvanError as err:
        if not force or not pdf.exists():
            raise
        from danvan_cli.pdf import discard_old_pdf

        raise DanvanError(discard_old_pdf(pdf, str(err))[0]) from None


def _convert(docx: Path, pdf: Path, force: bool) -> Path:
    from danvan_cli.pdf import convert_reports

    office = find_libreoffice()
    if office is None:
        raise DanvanError(
            "Không tìm thấy LibreOffice để xuất PDF (cần lệnh soffice hoặc libreoffice); "
            f"tệp .docx vẫn đã được ghi: «{docx}». Có thể mở tệp bằng Word rồi lưu thành PDF."
        )
    (converted,) = convert_reports(office, [docx], force)
    if converted.pdf is None:
        raise DanvanError(f"{converted.problem.rstrip('.')}; tệp .docx vẫn đã được ghi: «{docx}».")
    return converted.pdf
