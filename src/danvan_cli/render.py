"""Rendering the report: a docxtpl template compiled once and rendered many times in Jinja's
sandbox (the context it is given comes from context.py), atomic saving, template export/check
and PDF conversion.

Only the commands that render import this module: it pulls in docxtpl, python-docx, Jinja
and lxml, which ``danvan --help`` must not pay for.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from docxtpl import DocxTemplate
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree  # type: ignore[import-untyped,unused-ignore]
from markupsafe import Markup

from danvan_cli.context import clean_text, sample_contexts
from danvan_cli.errors import DanvanError, TemplateError
from danvan_cli.output import ensure_writable, write_atomic, write_bytes_atomic
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
PDF_TIMEOUT = 180  # seconds


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


def _environment(
    sources: Mapping[str, str], undefined: type[jinja2.Undefined] = jinja2.StrictUndefined
) -> SandboxedEnvironment:
    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        source = sources.get(name)
        return None if source is None else (source, name, lambda: True)

    env = SandboxedEnvironment(
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
_PARAGRAPH_START = re.compile(r"\n<w:p([ >])")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _helper() -> DocxTemplate:
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


def _snippet(lines: list[str], lineno: int | None) -> str:
    if not lineno or lineno > len(lines):
        return ""
    text = _strip_tags(lines[lineno - 1])
    if len(text) > 120:
        text = text[:117] + "…"
    return f", đoạn «{text}»" if text else ""


def _where(part: str, lines: list[str], lineno: int | None) -> str:
    if not lineno:
        return f"phần {part}"
    return f"phần {part}, dòng {lineno}{_snippet(lines, lineno)}"


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


def _unsafe_message(where: str) -> str:
    return (
        f"Mẫu báo cáo có lệnh không an toàn ở {where}: mẫu chỉ được đọc các biến của báo cáo "
        "(unit, figures, period…), không được truy cập vào bên trong Python (các tên bắt đầu "
        "bằng dấu gạch dưới, __class__, __globals__…). Hãy xóa lệnh đó khỏi mẫu."
    )


@dataclass(frozen=True)
class _Part:
    name: str
    source: str  # the Jinja source (patched XML)
    lines: list[str]
    fix_tables: bool


class ReportTemplate:
    """A .docx template loaded once, rendered many times.

    Loading does docxtpl's XML pre-processing of every templated part once and compiles the
    Jinja templates once (sandboxed, autoescaped, StrictUndefined); ``render`` then only runs
    the compiled templates and re-zips the untouched members with the rendered parts.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_template_path()
        self._helper = _helper()
        members = _read_members(self.path)
        self._parts: dict[str, _Part] = {}
        untouched: list[tuple[str, bytes]] = []
        for name, blob in members:
            part = _prepare_part(self._helper, self.path, name, blob)
            if part is None:
                untouched.append((name, blob))
            else:
                self._parts[name] = part
        self._env = _environment({name: part.source for name, part in self._parts.items()})
        self._templates: dict[str, jinja2.Template] = {}
        for name, part in self._parts.items():
            self._templates[name] = self._compile(self._env, part)
        self._prefix = _zip_prefix(untouched)

    @staticmethod
    def _compile(env: SandboxedEnvironment, part: _Part) -> jinja2.Template:
        try:
            return env.get_template(part.name)
        except jinja2.TemplateSyntaxError as err:
            where = _where(part.name, part.lines, err.lineno)
            raise TemplateError(
                f"Mẫu báo cáo có lỗi cú pháp ở {where}: {(err.message or '').rstrip('.')}. "
                "Kiểm tra các thẻ "
                "{{ … }}, {% … %} (mỗi {%p if %}/{%p for %} cần {%p endif %}/{%p endfor %})."
            ) from None

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The report as .docx bytes."""
        rendered = [(name, self._render_part(name, context)) for name in self._parts]
        buffer = io.BytesIO(self._prefix)
        buffer.seek(0, io.SEEK_END)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            for name, data in rendered:
                archive.writestr(_zip_info(name), data)
        return buffer.getvalue()

    def _render_part(self, name: str, context: Mapping[str, Any]) -> bytes:
        part = self._parts[name]
        try:
            xml = self._templates[name].render(context)
        except SecurityError as err:
            where = _where(name, part.lines, _template_lineno(err.__traceback__, name))
            raise TemplateError(_unsafe_message(where)) from None
        except jinja2.UndefinedError as err:
            where = _where(name, part.lines, _template_lineno(err.__traceback__, name))
            variable = _undefined_name(str(err.message or err))
            raise TemplateError(
                f"Mẫu báo cáo dùng biến «{variable}» không có trong dữ liệu báo cáo ({where}). "
                "Sửa lại tên biến hoặc chạy «danvan template check» để xem các lỗi của mẫu."
            ) from None
        except jinja2.TemplateError as err:
            where = _where(name, part.lines, _template_lineno(err.__traceback__, name))
            raise TemplateError(f"Lỗi khi điền mẫu báo cáo ở {where}: {err}.") from None
        except (TypeError, ValueError, ArithmeticError, LookupError) as err:
            where = _where(name, part.lines, _template_lineno(err.__traceback__, name))
            raise TemplateError(f"Lỗi khi điền mẫu báo cáo ở {where}: {err}.") from None
        xml = self._post_process(xml, part)
        data = xml.encode("utf-8")
        try:
            etree.fromstring(data, _CHECK_PARSER)
        except etree.XMLSyntaxError as err:
            raise TemplateError(
                f"Mẫu báo cáo tạo ra nội dung Word không hợp lệ ở phần {name} ({err}). "
                "Thường do một thẻ {%p …%}/{%tr …%} nằm chung đoạn văn với chữ khác hoặc "
                "các cặp thẻ mở/đóng nằm ở hai ô bảng khác nhau."
            ) from None
        return data

    def _post_process(self, xml: str, part: _Part) -> str:
        xml = _PARAGRAPH_START.sub(r"<w:p\1", xml)
        xml = self._helper.resolve_listing(xml)
        if part.fix_tables:
            body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
            tree = self._helper.fix_tables(body)
            xml = _DECLARATION + etree.tostring(tree, encoding="unicode")
        if "<wp:docPr" in xml:
            counter = iter(range(1001, sys.maxsize))
            xml = _DOCPR_ID.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(3)}", xml)
        return xml


def _prepare_part(helper: DocxTemplate, path: Path, name: str, blob: bytes) -> _Part | None:
    """docxtpl's pre-processing of one part, or None when the part holds no tags."""
    if not name.endswith(".xml"):
        return None
    if not (name.startswith(_RENDERED_PREFIXES) or name in _RENDERED_EXTRA):
        return None
    if b"{" not in blob:
        return None
    xml = _normalise_xml(path, name, blob)
    xml = helper.patch_xml(xml)
    if _TAG_OPEN.search(xml) is None:
        return None
    source = _escape_literals(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))
    fix_tables = "{%tc" in xml or "{{tc" in xml or "{% tc" in xml
    return _Part(name, source, source.splitlines(), fix_tables)


def _read_members(path: Path) -> list[tuple[str, bytes]]:
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


def _normalise_xml(path: Path, name: str, blob: bytes) -> str:
    """Parse a part safely (no entities, no network, no DTD) and serialise it the way docxtpl
    expects (no pretty printing)."""
    try:
        root = etree.fromstring(blob, _XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise TemplateError(
            f"Tệp mẫu «{path}»: phần {name} không phải XML hợp lệ (dòng {err.lineno}): {err.msg}."
        ) from None
    if root.getroottree().docinfo.doctype:
        raise TemplateError(f"Tệp mẫu «{path}»: phần {name} có khai báo DOCTYPE, không dùng được.")
    return _DECLARATION + str(etree.tostring(root, encoding="unicode"))


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
    template: ReportTemplate, context: Mapping[str, Any], out: Path, force: bool
) -> Path:
    """Render and write ``out`` atomically; an existing file is kept unless ``force``."""
    ensure_writable(out, force)
    return write_bytes_atomic(out, template.render(context), force)


def export_template(out: Path, force: bool) -> Path:
    """A copy of the default template, for a clerk to edit in Word."""
    if out.is_dir():
        out = out / TEMPLATE_NAME
    source = default_template_path()
    try:
        data = source.read_bytes()
    except OSError as err:  # pragma: no cover - broken install
        raise DanvanError(f"Không đọc được mẫu mặc định «{source}»: {err.strerror}.") from None
    return write_bytes_atomic(out, data, force)


# --- checking a template -------------------------------------------------------------------


def check_template(path: Path) -> list[str]:
    """Every problem of an edited template, in Vietnamese; an empty list means usable.

    Looks for XML and Jinja syntax errors (naming the part and line), unknown variables
    (against the context keys and by rendering complete sample contexts that take both sides
    of the template's conditions), unsafe constructs, and rendered XML that Word would reject.
    """
    try:
        members = _read_members(path)
    except TemplateError as err:
        return [str(err)]
    helper = _helper()
    problems: list[str] = []
    parts: dict[str, _Part] = {}
    for name, blob in members:
        try:
            part = _prepare_part(helper, path, name, blob)
        except TemplateError as err:
            problems.append(str(err))
            continue
        if part is not None:
            parts[name] = part
    samples = sample_contexts()
    known = set(samples[0])
    recorder, records = _recording_undefined()
    env = _environment({name: part.source for name, part in parts.items()}, recorder)
    for name, part in parts.items():
        try:
            template = ReportTemplate._compile(env, part)
            ast = env.parse(part.source, name)
        except TemplateError as err:
            problems.append(str(err))
            continue
        for variable in sorted(meta.find_undeclared_variables(ast) - known - set(env.globals)):
            lineno = _first_use(ast, variable)
            problems.append(
                f"Biến «{variable}» không có trong dữ liệu báo cáo "
                f"({_where(name, part.lines, lineno)})."
            )
        for lineno in _unsafe_lines(ast):
            problems.append(_unsafe_message(_where(name, part.lines, lineno)))
        for context in samples:
            records.clear()
            problems.extend(_probe_render(template, part, context, records))
    if not problems:  # last: the rendered parts must be XML that Word accepts
        problems.extend(_check_rendered(path, samples))
    return list(dict.fromkeys(problems))


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
    template: jinja2.Template, part: _Part, context: Mapping[str, Any], records: list[_Record]
) -> Iterator[str]:
    try:
        template.render(context)
    except SecurityError as err:
        yield _unsafe_message(
            _where(part.name, part.lines, _template_lineno(err.__traceback__, part.name))
        )
    except (jinja2.TemplateError, TypeError, ValueError, ArithmeticError, LookupError) as err:
        lineno = _template_lineno(err.__traceback__, part.name)
        yield f"Lỗi khi điền mẫu ở {_where(part.name, part.lines, lineno)}: {err}."
    for record in records:
        where = _where(part.name, part.lines, record.lineno)
        if record.unsafe:
            yield _unsafe_message(where)
        else:
            yield f"Biến «{record.name}» không có trong dữ liệu báo cáo ({where})."


def _check_rendered(path: Path, samples: list[dict[str, Any]]) -> list[str]:
    try:
        template = ReportTemplate(path)
    except TemplateError:
        return []  # already reported part by part
    problems = []
    for context in samples:
        try:
            template.render(context)
        except TemplateError as err:
            problems.append(str(err))
    return problems


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
    LibreOffice window the clerk has open does not swallow the job)."""
    pdf = docx.with_suffix(".pdf")
    ensure_writable(pdf, force)
    office = find_libreoffice()
    if office is None:
        raise DanvanError(
            "Không tìm thấy LibreOffice để xuất PDF (cần lệnh soffice hoặc libreoffice); "
            f"tệp .docx vẫn đã được ghi: «{docx}». Có thể mở tệp bằng Word rồi lưu thành PDF."
        )
    with tempfile.TemporaryDirectory(prefix="danvan-pdf-") as work:
        workdir = Path(work)
        profile = (workdir / "profile").as_uri()
        command = [
            office,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(docx.resolve()),
        ]
        try:
            result = subprocess.run(
                command, capture_output=True, timeout=PDF_TIMEOUT, check=False, cwd=work
            )
        except subprocess.TimeoutExpired:
            raise DanvanError(
                f"LibreOffice không xuất xong PDF sau {PDF_TIMEOUT} giây; tệp .docx vẫn đã được "
                f"ghi: «{docx}»."
            ) from None
        except OSError as err:
            raise DanvanError(
                f"Không chạy được LibreOffice ({err.strerror}); tệp .docx vẫn đã được ghi: "
                f"«{docx}»."
            ) from None
        produced = workdir / (docx.stem + ".pdf")
        if result.returncode != 0 or not produced.is_file():
            detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
            tail = f" ({detail[-1]})" if detail else ""
            raise DanvanError(
                f"LibreOffice không xuất được PDF{tail}; tệp .docx vẫn đã được ghi: «{docx}»."
            )

        def copy(temp: Path) -> None:
            shutil.copyfile(produced, temp)

        return write_atomic(pdf, copy, force)
