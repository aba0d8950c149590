"""The mark danvan leaves on the workbooks it writes, so that ``batch`` never reads them back as a
commune's workbook (SPEC §5), and tells whether another program has saved one since.

The mark is two custom document properties, which Excel and LibreOffice keep when they save the
file again: ``danvan`` (what the file is: a summary, an annotated copy) and ``danvan-saved`` (the
moment danvan saved it). openpyxl stamps the package's ``dcterms:modified`` at the start of the
same save, and Excel or LibreOffice restamp it on every save: while the two agree, the file is as
danvan wrote it. Reading the mark costs two small zip members, never the sheets.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MARK = "danvan"
SAVED = "danvan-saved"
SUMMARY = "tong_hop"
"""The mark's value on a batch summary workbook."""
ANNOTATED = "chu_thich"
"""The mark's value on a copy written by ``validate --annotate``."""

CUSTOM_PART = "docProps/custom.xml"
CORE_PART = "docProps/core.xml"
MAX_PART = 64 * 1024
SAME_SAVE = dt.timedelta(seconds=2)
"""How far apart danvan's stamp and the package's own may be within one save (they are taken
microseconds apart, but whole seconds are stored)."""
_ZIP_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Mark:
    kind: str  # SUMMARY, ANNOTATED
    untouched: bool  # no other program has saved the file since danvan wrote it


def stamp() -> str:
    """Now, as the mark stores it (UTC, whole seconds)."""
    return dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None, microsecond=0).isoformat()


def mark_book(book: Any, kind: str) -> None:
    """Mark an openpyxl workbook as ``kind``; save it right after (openpyxl stamps the package
    at the start of the save)."""
    from openpyxl.packaging.custom import StringProperty

    properties = book.custom_doc_props
    for name in (MARK, SAVED):
        if name in properties.names:  # a workbook made from an earlier danvan output
            del properties[name]
    properties.append(StringProperty(name=MARK, value=kind))
    properties.append(StringProperty(name=SAVED, value=stamp()))


# --- marking a package part by part (for writers that copy a zip member by member) ------------

CORE_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
CUSTOM_RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CORE_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def marked_core(data: bytes | None, when: str) -> bytes:
    """The package's core properties (``docProps/core.xml``, or new ones) modified ``when``."""
    from lxml import etree

    if data:
        root = _parse(data)
    else:
        names = {"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI}
        root = etree.Element(f"{{{_CP}}}coreProperties", nsmap=names)
    modified = root.find(f"{{{_DCTERMS}}}modified")
    if modified is None:
        modified = etree.SubElement(root, f"{{{_DCTERMS}}}modified")
        modified.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
    modified.text = f"{when}Z"
    serialized: bytes = etree.tostring(root)
    return _HEAD + serialized


def marked_custom(data: bytes | None, kind: str, when: str) -> bytes:
    """The package's custom properties (``docProps/custom.xml``, or new ones) with danvan's
    mark: ``kind``, saved ``when``."""
    from lxml import etree

    root = _parse(data) if data else None
    if root is None:
        root = etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT})
    ns = root.nsmap.get(None) or _CUSTOM
    pids = [0]
    for element in list(root):
        if element.get("name") in (MARK, SAVED):
            root.remove(element)
        elif (element.get("pid") or "").isdigit():
            pids.append(int(str(element.get("pid"))))
    pid = max(1, *pids)
    for name, value in ((MARK, kind), (SAVED, when)):
        pid += 1
        prop = etree.SubElement(root, f"{{{ns}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    serialized: bytes = etree.tostring(root)
    return _HEAD + serialized


def _parse(data: bytes) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


# --- reading the mark ----------------------------------------------------------------------------


def mark_of(path: Path) -> Mark | None:
    """danvan's mark on ``path``, or None for any other file, including one that is not a
    readable package (its reader will say so)."""
    if path.suffix.lower() not in _ZIP_SUFFIXES:
        return None
    try:
        with zipfile.ZipFile(path) as package:
            custom = _properties(_part(package, CUSTOM_PART))
            if MARK not in custom:
                return None
            modified = _modified(_part(package, CORE_PART))
    except Exception:  # zipfile and zlib raise many kinds for a damaged package: not ours
        return None
    saved = _timestamp(custom.get(SAVED, ""))
    untouched = saved is not None and modified is not None and abs(modified - saved) <= SAME_SAVE
    return Mark(custom[MARK], untouched)


def _part(package: zipfile.ZipFile, name: str) -> bytes:
    """A small member, read with a cap (a hostile file's member may inflate to gigabytes)."""
    try:
        info = package.getinfo(name)
    except KeyError:
        return b""
    if info.file_size > MAX_PART:
        return b""
    with package.open(info) as member:
        return member.read(MAX_PART)


_PROPERTY = re.compile(
    rb"<(?:\w+:)?property\b[^>]*?\bname=\"([^\"]*)\"[^>]*>\s*"
    rb"<(?:\w+:)?lpwstr\b[^>]*>([^<]*)</(?:\w+:)?lpwstr>"
)
_MODIFIED = re.compile(rb"<dcterms:modified\b[^>]*>([^<]*)</dcterms:modified>")


def _properties(xml: bytes) -> dict[str, str]:
    return {
        name.decode("utf-8", "replace"): value.decode("utf-8", "replace").strip()
        for name, value in _PROPERTY.findall(xml)
    }


def _modified(xml: bytes) -> dt.datetime | None:
    found = _MODIFIED.search(xml)
    return _timestamp(found.group(1).decode("ascii", "replace")) if found else None


def _timestamp(text: str) -> dt.datetime | None:
    """A W3CDTF/ISO moment as naive UTC, or None."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment
