"""``validate --annotate``: a copy of the workbook with every problem cell coloured (red errors,
yellow warnings) and commented with the message and the fix. The input is never modified.

The copy is made member by member from the input's zip, as Excel wrote it: only the worksheets
that get a mark are rewritten, as byte streams (``annotate_xml``), with two fill styles added
to ``styles.xml`` and a comments part and VML drawing per sheet (extended when the sheet
already has comments, as a workbook from ``danvan init`` does on its headers). Formulas,
formats, validations, other sheets, pictures and macros pass through untouched, and a
100.000-row log costs about one more read of its sheet — no object model is built.
"""

from __future__ import annotations

import posixpath
import shutil
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from danvan_cli import annotate_xml as xml
from danvan_cli.checks import Report, Severity
from danvan_cli.errors import DanvanError, UsageError
from danvan_cli.members import read_member
from danvan_cli.output import ensure_writable, write_atomic

ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"
FILLS = {"error": ERROR_FILL, "warning": WARNING_FILL}
OPTION = "--annotate"
SUFFIXES = (".xlsx", ".xlsm")
COMPRESS_LEVEL = 1
"""Deflate level of the copy: a rewritten sheet is recompressed, level 6 would take longer
for a file only a few percent smaller."""

_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_VML_TYPE = "application/vnd.openxmlformats-officedocument.vmlDrawing"


def check_target(source: Path, out: Path, force: bool, others: Sequence[Path] = ()) -> None:
    """Refuse, before any work, an annotated copy that cannot be written, or that would be
    one of the command's inputs (``others``: the exports, last year's workbook)."""
    if source.suffix.lower() not in SUFFIXES:
        raise UsageError(
            f"--annotate chỉ làm được với sổ .xlsx/.xlsm, «{source.name}» thì không; hãy mở sổ "
            "bằng Excel và lưu dưới dạng .xlsx."
        )
    wanted = source.suffix.lower()
    if out.suffix.lower() != wanted:
        raise UsageError(f"Tệp chú thích «{out}» phải có đuôi {wanted} như sổ gốc.")
    if _same(out, source):
        raise UsageError("Tệp chú thích phải khác sổ gốc (danvan không sửa sổ gốc).")
    for other in others:
        if _same(out, other):
            raise UsageError(
                f"Tệp chú thích «{out}» trùng với một tệp đầu vào của lệnh này; danvan không "
                "sửa tệp đầu vào: chọn tên khác cho --annotate."
            )
    ensure_writable(out, force, OPTION)


def _same(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except (OSError, RuntimeError):
        return False


def annotate_copy(source: Path, report: Report, out: Path, force: bool = False) -> Path:
    """Write ``out``: ``source`` with bad cells filled and a comment on each holding its
    messages and fixes."""
    check_target(source, out, force)
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        raise _unreadable(source) from None
    with archive:
        try:
            plan = _Plan(_Package(archive), _notes(report))
        except xml.Unsupported as err:
            raise _unsupported(source, err) from None
        except (KeyError, ValueError, *_DAMAGED):
            raise _unreadable(source) from None

        def produce(temp: Path) -> None:
            try:
                plan.write(temp)
            except xml.Unsupported as err:
                raise _unsupported(source, err) from None
            except _DAMAGED:  # a part validate never reads, copied as it is: damaged
                raise _unreadable(source) from None

        return write_atomic(out, produce, force, OPTION)


_DAMAGED = (EOFError, zipfile.BadZipFile, zlib.error, NotImplementedError)
"""What reading a damaged part of the workbook raises (a wrong CRC-32, a cut stream, an
unknown compression method)."""


def _unreadable(source: Path) -> DanvanError:
    return DanvanError(f"Không mở được «{source.name}» để ghi chú thích.")


def _unsupported(source: Path, err: xml.Unsupported) -> DanvanError:
    return DanvanError(
        f"Không ghi được bản chú thích cho «{source.name}»: sổ được lưu theo cách danvan chưa "
        f"đọc được ({err}). Mở sổ bằng Excel hoặc LibreOffice, lưu lại dạng .xlsx rồi chạy lại."
    )


# --- which cells get what ----------------------------------------------------------------------


@dataclass
class _Note:
    lines: list[str] = field(default_factory=list)
    error: bool = False

    @property
    def fill(self) -> str:
        return "error" if self.error else "warning"

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _notes(report: Report) -> dict[str, dict[xml.Cell, _Note]]:
    notes: dict[str, dict[xml.Cell, _Note]] = {}
    for issue in report.issues:
        cell = xml.parse_cell(issue.cell) if issue.sheet and issue.cell else None
        if cell is None or issue.sheet is None:
            continue
        note = notes.setdefault(issue.sheet, {}).setdefault(cell, _Note())
        note.lines.append(f"[{issue.severity.label}] {issue.message} Cách sửa: {issue.hint}")
        note.error = note.error or issue.severity is Severity.ERROR
    return notes


# --- the package: parts and relationships ------------------------------------------------------


def _parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(data, parser)


def _serialize(root: Any) -> bytes:
    from lxml import etree

    text: str = etree.tostring(root, encoding="unicode")
    return xml.XML_HEAD + text.encode("utf-8")


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve(part: str, target: str) -> str:
    target = unquote(target).replace("\\", "/")
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))


class _Package:
    """The input's zip: members by name (OPC names ignore case) and relationships."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.infos = archive.infolist()
        self.names = {info.filename.lower(): info.filename for info in self.infos}

    def find(self, part: str) -> str | None:
        return self.names.get(part.lower())

    def read(self, name: str) -> bytes:
        return read_member(self.archive, self.archive.getinfo(name))

    def head(self, name: str, size: int = 1 << 16) -> bytes:
        """The first ``size`` bytes of a member."""
        with self.archive.open(name) as stream:
            data: bytes = stream.read(size)
        return data

    def relationships(self, part: str) -> tuple[str, Any]:
        """The name of ``part``'s relationships member and its parsed root (a new empty one
        when the part has none)."""
        from lxml import etree

        name = _rels_name(part)
        found = self.find(name)
        if found is None:
            return name, etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
        return found, _parse(self.read(found))

    def unique(self, pattern: str) -> str:
        """The first ``pattern % n`` (n = 1, 2, …) that names no member."""
        number = 1
        while self.find(pattern % number) is not None:
            number += 1
        self.names[(pattern % number).lower()] = pattern % number  # reserved
        return pattern % number


def _targets(part: str, rels: Any) -> list[tuple[str, str, str]]:
    """(Id, type, member) of each internal relationship in ``rels``."""
    found = []
    for rel in rels:
        if rel.get("TargetMode") == "External" or rel.get("Target") is None:
            continue
        found.append((rel.get("Id", ""), rel.get("Type", ""), _resolve(part, rel.get("Target"))))
    return found


def _add_rel(rels: Any, part: str, kind: str, target: str) -> str:
    from lxml import etree

    taken = {rel.get("Id") for rel in rels}
    number = len(taken) + 1
    while f"rId{number}" in taken:
        number += 1
    rid = f"rId{number}"
    relative = posixpath.relpath(target, posixpath.dirname(part))
    etree.SubElement(
        rels,
        f"{{{_PKG_RELS}}}Relationship",
        Id=rid,
        Type=_REL_TYPES + kind,
        Target=relative,
    )
    return rid


# --- styles --------------------------------------------------------------------------------------

_STYLE_ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)
_MINIMAL_STYLES = (
    f'<styleSheet xmlns="{xml.MAIN_NS}"><fonts count="1"><font><sz val="11"/>'
    '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/>'
    '</fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border>'
    '<left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>'
).encode()


class _Styles:
    """``styles.xml`` with, for each (style a marked cell had, fill) asked for, a new cell
    format: the same one with the fill."""

    def __init__(self, data: bytes | None) -> None:
        self.root = _parse(data if data is not None else _MINIMAL_STYLES)
        self.ns = self.root.nsmap.get(None) or xml.MAIN_NS
        self.xfs = self._section("cellXfs", '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>')
        self.base_count = len(self.xfs)
        self.wanted: dict[tuple[int, str], int] = {}

    def _section(self, name: str, first: str) -> Any:
        from lxml import etree

        found = self.root.find(f"{{{self.ns}}}{name}")
        if found is not None:
            return found
        section = etree.Element(f"{{{self.ns}}}{name}")
        section.append(etree.fromstring(f'<x xmlns="{self.ns}">{first}</x>')[0])
        later = _STYLE_ORDER[_STYLE_ORDER.index(name) + 1 :]
        for index, child in enumerate(self.root):
            if etree.QName(child).localname in later:
                self.root.insert(index, section)
                return section
        self.root.append(section)
        return section

    def style(self, base: int, fill: str) -> int:
        key = (base, fill)
        if key not in self.wanted:
            self.wanted[key] = self.base_count + len(self.wanted)
        return self.wanted[key]

    def xml(self) -> bytes:
        import copy

        from lxml import etree

        fills = self._section("fills", '<fill><patternFill patternType="none"/></fill>')
        fill_ids = {}
        for key in sorted({fill for _, fill in self.wanted}):
            fill_ids[key] = len(fills)
            colour = FILLS[key]
            fills.append(
                etree.fromstring(
                    f'<fill xmlns="{self.ns}"><patternFill patternType="solid">'
                    f'<fgColor rgb="FF{colour}"/><bgColor indexed="64"/></patternFill></fill>'
                )
            )
        fills.set("count", str(len(fills)))
        for (base, fill), _index in sorted(self.wanted.items(), key=lambda item: item[1]):
            if 0 <= base < self.base_count:
                xf = copy.deepcopy(self.xfs[base])
            else:
                xf = etree.Element(f"{{{self.ns}}}xf", numFmtId="0", fontId="0", borderId="0")
            xf.set("fillId", str(fill_ids[fill]))
            xf.set("applyFill", "1")
            self.xfs.append(xf)
        self.xfs.set("count", str(len(self.xfs)))
        return _serialize(self.root)


# --- the plan and the copy -----------------------------------------------------------------------


@dataclass
class _Sheet:
    part: str
    notes: dict[xml.Cell, _Note]
    legacy_rid: str | None = None  # a new legacyDrawing to reference
    comments: str = ""
    comments_exist: bool = False
    vml: str = ""
    vml_exists: bool = False
    idmap: int = 1
    had_comment: set[xml.Cell] = field(default_factory=set)

    def shapes(self) -> Iterable[tuple[xml.Cell, int]]:
        for cell in sorted(self.notes):
            if cell not in self.had_comment:
                yield cell, len(self.notes[cell].lines)

    def texts(self) -> dict[xml.Cell, str]:
        return {cell: note.text for cell, note in self.notes.items()}


class _Plan:
    """Every member to add or change, decided from the package's small parts before copying."""

    def __init__(self, package: _Package, notes: dict[str, dict[xml.Cell, _Note]]) -> None:
        self.package = package
        self.replaced: dict[str, bytes] = {}  # member -> new bytes
        self.added: dict[str, bytes] = {}
        self.sheets: dict[str, _Sheet] = {}  # worksheet member -> plan
        workbook = self._office_document()
        wb_rels_name, wb_rels = package.relationships(workbook)
        relations = _targets(workbook, wb_rels)
        by_id = {rid: member for rid, _, member in relations}
        styles = next((m for _, t, m in relations if t.endswith("/styles")), None)
        self.styles_name = package.find(styles) if styles else None
        for name, rid in self._sheet_ids(workbook):
            part = package.find(by_id.get(rid, ""))
            if name in notes and part is not None and notes[name]:
                self.sheets[part] = _Sheet(part, notes[name])
        types = _parse(package.read(self._required("[Content_Types].xml")))
        self._mark(types)
        if not self.sheets:
            self.replaced[self._required("[Content_Types].xml")] = _serialize(types)
            return
        self.styles = _Styles(package.read(self.styles_name) if self.styles_name else None)
        if self.styles_name is None:
            self.styles_name = package.unique("xl/styles%d.xml")
            _add_rel(wb_rels, workbook, "styles", self.styles_name)
            self.replaced[wb_rels_name] = _serialize(wb_rels)
            self._override(types, self.styles_name, _STYLES_TYPE)
        next_idmap = 1 + max(
            (xml.idmap_of(package.read(i.filename)) for i in package.infos if _is_vml(i.filename)),
            default=0,
        )
        for sheet in self.sheets.values():
            next_idmap = self._plan_sheet(sheet, types, next_idmap)
        if not any(d.get("Extension", "").lower() == "vml" for d in types):
            from lxml import etree

            default = etree.Element(f"{{{_CT_NS}}}Default", Extension="vml", ContentType=_VML_TYPE)
            types.insert(0, default)
        self.replaced[self._required("[Content_Types].xml")] = _serialize(types)

    def _mark(self, types: Any) -> None:
        """danvan's mark (marks.py), so that ``batch`` does not read the copy as a commune's
        workbook until someone saves it: custom properties naming it, core properties
        modified at the moment they name."""
        from lxml import etree

        from danvan_cli import marks

        now = marks.stamp()
        rels_name, rels = self.package.relationships("")
        linked = {kind: member for _, kind, member in _targets("", rels)}
        parts: list[tuple[str, str, str, Callable[[bytes | None], bytes]]] = [
            (
                marks.CORE_RELATIONSHIP,
                marks.CORE_TYPE,
                marks.CORE_PART,
                lambda old: marks.marked_core(old, now),
            ),
            (
                marks.CUSTOM_RELATIONSHIP,
                marks.CUSTOM_TYPE,
                marks.CUSTOM_PART,
                lambda old: marks.marked_custom(old, marks.ANNOTATED, now),
            ),
        ]
        for relationship, content_type, default, marked in parts:
            found = self.package.find(linked.get(relationship, default))
            if found is not None:
                self.replaced[found] = marked(self.package.read(found))
                continue
            self.added[default] = marked(None)
            self._override(types, default, content_type)
            taken = {rel.get("Id") for rel in rels}
            rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
            etree.SubElement(
                rels, f"{{{_PKG_RELS}}}Relationship", Id=rid, Type=relationship, Target=default
            )
            existing = self.package.find(rels_name)
            if existing is not None:
                self.replaced[existing] = _serialize(rels)
            else:
                self.added[rels_name] = _serialize(rels)

    def _required(self, part: str) -> str:
        found = self.package.find(part)
        if found is None:
            raise xml.Unsupported(f"thiếu phần {part}")
        return found

    def _office_document(self) -> str:
        _, rels = self.package.relationships("")
        for _, kind, member in _targets("", rels):
            if kind.endswith("/officeDocument") and self.package.find(member):
                return self._required(member)
        return self._required("xl/workbook.xml")

    def _sheet_ids(self, workbook: str) -> list[tuple[str, str]]:
        root = _parse(self.package.read(workbook))
        ids = []
        for element in root.iter():
            if not isinstance(element.tag, str) or not element.tag.endswith("}sheet"):
                continue
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid is not None:
                ids.append((element.get("name", ""), rid))
        return ids

    def _override(self, types: Any, part: str, content_type: str) -> None:
        from lxml import etree

        etree.SubElement(
            types, f"{{{_CT_NS}}}Override", PartName="/" + part, ContentType=content_type
        )

    def _plan_sheet(self, sheet: _Sheet, types: Any, next_idmap: int) -> int:
        package = self.package
        if xml.sheet_namespace(package.head(sheet.part)) != xml.MAIN_NS:
            raise xml.Unsupported("sổ dạng Strict Open XML")
        rels_name, rels = package.relationships(sheet.part)
        relations = _targets(sheet.part, rels)
        by_id = {rid: member for rid, _, member in relations}
        legacy_rid = None
        if any(kind.endswith("/vmlDrawing") for _, kind, _ in relations):  # read it to know
            legacy_rid = xml.legacy_drawing_rid(package.read(sheet.part))
        comments = next((m for _, t, m in relations if t.endswith("/comments")), None)
        found = package.find(comments) if comments else None
        if found is not None:
            sheet.comments, sheet.comments_exist = found, True
            sheet.had_comment = _commented_cells(package.read(found))
        else:
            sheet.comments = package.unique("xl/comments%d.xml")
            _add_rel(rels, sheet.part, "comments", sheet.comments)
            self._override(types, sheet.comments, _COMMENTS_TYPE)
        vml = package.find(by_id[legacy_rid]) if legacy_rid in by_id else None
        if vml is not None:
            sheet.vml, sheet.vml_exists = vml, True
        else:
            sheet.vml = package.unique("xl/drawings/vmlDrawing%d.vml")
            sheet.legacy_rid = _add_rel(rels, sheet.part, "vmlDrawing", sheet.vml)
            sheet.idmap, next_idmap = next_idmap, next_idmap + 1
        if not (sheet.comments_exist and sheet.vml_exists):  # a relationship was added
            target = self.replaced if package.find(rels_name) is not None else self.added
            target[rels_name] = _serialize(rels)
        return next_idmap

    def write(self, temp: Path) -> None:
        merged_comments = {s.comments: s for s in self.sheets.values() if s.comments_exist}
        merged_vml = {s.vml: s for s in self.sheets.values() if s.vml_exists}
        with (
            temp.open("wb") as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as new,
        ):
            for info in self.package.infos:
                name = info.filename
                if name == self.styles_name and self.sheets:
                    continue  # written last, once the sheets have asked for their styles
                if name in self.replaced:
                    new.writestr(name, self.replaced[name])
                elif name in self.sheets:
                    sheet = self.sheets[name]
                    fills: dict[int, dict[int, str]] = {}
                    for (row, column), note in sheet.notes.items():
                        fills.setdefault(row, {})[column] = note.fill
                    marks = xml.SheetMarks(fills, self.styles.style, sheet.legacy_rid)
                    data = self.package.read(name)
                    with new.open(name, "w") as stream:
                        xml.rewrite_sheet(data, marks, stream.write)
                    del data
                elif name in merged_comments:
                    sheet = merged_comments[name]
                    merged, _ = xml.merged_comments(self.package.read(name), sheet.texts())
                    new.writestr(name, merged)
                elif name in merged_vml:
                    sheet = merged_vml[name]
                    existing = self.package.read(name)
                    with new.open(name, "w") as stream:
                        _stream(stream, xml.merged_vml(existing, sheet.shapes()))
                else:
                    with self.package.archive.open(info) as source, new.open(name, "w") as target:
                        shutil.copyfileobj(source, target, 1 << 20)
            for sheet in self.sheets.values():
                if not sheet.comments_exist:
                    with new.open(sheet.comments, "w") as stream:
                        _stream(stream, xml.new_comments(sheet.texts()))
                if not sheet.vml_exists:
                    with new.open(sheet.vml, "w") as stream:
                        _stream(stream, xml.new_vml(sheet.idmap, sheet.shapes()))
            for name, data in self.added.items():
                new.writestr(name, data)
            if self.sheets:
                assert self.styles_name is not None
                new.writestr(self.styles_name, self.styles.xml())


def _stream(stream: Any, chunks: Iterable[bytes]) -> None:
    buffered = xml.Buffered(stream.write)
    for chunk in chunks:
        buffered(chunk)
    buffered.flush()


def _is_vml(name: str) -> bool:
    return name.lower().endswith(".vml")


def _commented_cells(data: bytes) -> set[xml.Cell]:
    root = _parse(data)
    cells = set()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith("}comment"):
            cell = xml.parse_cell(str(element.get("ref", "")).split(":")[0])
            if cell is not None:
                cells.add(cell)
    return cells
