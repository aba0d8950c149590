"""XML read as bytes, for the parts ``validate --annotate`` copies without parsing them
(annotate_xml.py): start tags and their attributes found with regular expressions that follow
XML's own rules — an attribute value in single or double quotes may hold ``>`` (only ``<`` is
barred from it), and comments, CDATA sections, processing instructions and the document type
declaration are passed over — and a writer that parses what it writes as it goes, so that a cut
in the wrong place is an error, never a broken file.

No pattern can backtrack over its input (each is written so that one text matches one way),
and no search goes back, so no input makes the work quadratic.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from danvan_cli.errors import DanvanError

Write = Callable[[bytes | memoryview], object]

ATTRS = rb"([^<>\"']*(?:(?:\"[^\"<]*\"|'[^'<]*')[^<>\"']*)*)"
"""A group for the attributes of a tag, quoted values holding ``>`` included (the loop
unrolled: no text makes it backtrack)."""
_ANY_NAME = rb"[^\s/<>=:\"'!?]+"
TAG = re.compile(
    rb"<(/?)((?:" + _ANY_NAME + rb":)?)(" + _ANY_NAME + rb")(?=[\s/>])" + ATTRS + rb">"
)
"""Any tag; groups: the ``/`` of an end tag, the prefix with its colon, the local name, the
attributes (ending with ``/`` in an empty element's tag)."""
ATTRIBUTE = re.compile(rb"([^\s=<>\"'/]+)\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")
"""One attribute; groups: name, value in double quotes, value in single quotes."""
_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^<>\[\"']|\"[^\"]*\"|'[^']*'|\[[^\]]*\])*>")


class Unsupported(DanvanError):
    """A workbook part written in a way this reading does not follow (very rare: a writer that
    puts comments or CDATA inside the cell data); ``annotate`` names the file."""


# --- attributes --------------------------------------------------------------------------------


def attribute(attrs: bytes, name: bytes) -> re.Match[bytes] | None:
    """The attribute ``name`` among a tag's ``attrs`` (groups as ATTRIBUTE's): never a text
    that only looks like it inside another attribute's value."""
    if b"'" in attrs:  # read pair by pair
        return next((a for a in ATTRIBUTE.finditer(attrs) if a.group(1) == name), None)
    pattern = _named(name)  # double quotes only: outside the values, their count is even
    found = pattern.search(attrs)
    counted = quotes = 0
    while found is not None:
        quotes += attrs.count(b'"', counted, found.start())
        counted = found.start()
        if quotes % 2 == 0:
            return found
        found = pattern.search(attrs, counted + 1)
    return None


@functools.lru_cache(maxsize=64)
def _named(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"(?<![^\s])(" + re.escape(name) + rb")\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)')")


def attribute_value(attrs: bytes, name: bytes) -> bytes | None:
    """The value of the attribute ``name``, as written (entities left as they are)."""
    found = attribute(attrs, name)
    return None if found is None else quoted(found)


def quoted(found: re.Match[bytes]) -> bytes:
    """The value of an attribute matched by ATTRIBUTE or ``attribute``."""
    return found.group(2) if found.group(2) is not None else found.group(3)


def int_value(attrs: bytes, name: bytes, default: int) -> int:
    raw = attribute_value(attrs, name)
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def without(attrs: bytes, name: bytes) -> bytes:
    """``attrs`` without the attribute ``name`` (and the spaces before it)."""
    found = attribute(attrs, name)
    if found is None:
        return attrs
    start = found.start()
    while start > 0 and attrs[start - 1 : start].isspace():
        start -= 1
    return attrs[:start] + attrs[found.end() :]


# --- tags --------------------------------------------------------------------------------------


def tags(data: bytes, start: int = 0) -> Iterator[re.Match[bytes]]:
    """Every start, end and empty tag from ``start`` on (TAG matches), in order, passing over
    comments, CDATA sections, processing instructions and the document type declaration."""
    at = start
    while (at := data.find(b"<", at)) >= 0:
        if data.startswith(b"<!--", at):
            at = _past(data, b"-->", at + 4)
        elif data.startswith(b"<![CDATA[", at):
            at = _past(data, b"]]>", at + 9)
        elif data.startswith(b"<?", at):
            at = _past(data, b"?>", at + 2)
        else:
            declaration = _DOCTYPE.match(data, at) if data.startswith(b"<!", at) else None
            found = declaration or TAG.match(data, at)
            if found is None:
                raise Unsupported("thẻ XML không đọc được")
            if declaration is None:
                yield found
            at = found.end()


def _past(data: bytes, closer: bytes, start: int) -> int:
    end = data.find(closer, start)
    if end < 0:
        raise Unsupported("chú thích XML không khép lại")
    return end + len(closer)


def is_empty(tag: re.Match[bytes]) -> bool:
    """Whether a start tag is an empty element's (``<x/>``)."""
    return tag.group(4).endswith(b"/")


def children(data: bytes, start: int) -> Iterator[re.Match[bytes]]:
    """The start tags of an element's children from ``start`` (a place between two of them)
    on, then that element's end tag."""
    depth = 0
    for tag in tags(data, start):
        if tag.group(1):
            if depth == 0:
                yield tag
                return
            depth -= 1
            continue
        if depth == 0:
            yield tag
        if not is_empty(tag):
            depth += 1


# --- writing -----------------------------------------------------------------------------------


class _Sink:
    """A parser target that keeps nothing: the parse only checks."""

    def close(self) -> None:
        return None


class Checked:
    """Parses what it writes as it writes it (lxml, building nothing, entities and network
    off); ``close`` raises Unsupported when that was not well-formed XML, so that a part cut
    in the wrong place stops the copy instead of breaking it. ``what`` names the part."""

    def __init__(self, write: Write, what: str) -> None:
        from lxml import etree

        self._write, self._what = write, what
        self._parser = etree.XMLParser(
            target=_Sink(), resolve_entities=False, no_network=True, huge_tree=True
        )

    def __call__(self, part: bytes | memoryview) -> None:
        from lxml import etree

        try:
            for start in range(0, len(part), 1 << 20):  # feed takes bytes: copy a slice at most
                self._parser.feed(bytes(part[start : start + (1 << 20)]))
        except etree.XMLSyntaxError:
            raise self._broken() from None
        self._write(part)

    def close(self) -> None:
        from lxml import etree

        try:
            self._parser.close()
        except etree.XMLSyntaxError:
            raise self._broken() from None

    def _broken(self) -> Unsupported:
        return Unsupported(f"{self._what} chép ra không còn là XML hợp lệ")


def well_formed(parts: Iterable[bytes]) -> bool:
    checked = Checked(lambda part: None, "")
    try:
        for part in parts:
            checked(part)
        checked.close()
    except Unsupported:
        return False
    return True
