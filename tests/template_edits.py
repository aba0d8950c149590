"""Editing the default template the way Word does, for the template tests: runs split over a
tag, a paragraph deleted, a table column deleted, a deletion with Track Changes on."""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from danvan_cli.render import default_template_path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PIECES = re.compile(r"(\{\{|\}\}|\{%|%\}|\|)")


def rewrite(out: Path, change: Callable[[bytes], bytes], source: Path | None = None) -> Path:
    """A copy of ``source`` (the default template) whose word/document.xml went through
    ``change``."""
    with (
        zipfile.ZipFile(source or default_template_path()) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "word/document.xml":
                data = change(data)
            new.writestr(info, data)
    return out


def _root(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def paragraph_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def word_runs(xml: bytes) -> bytes:
    """The document as Word saves it after a clerk has worked on it: the text of each tag
    split over several runs (``{{``, the expression, ``|``, ``}}``), each with its own
    revision id, the words Word does not know between proofing marks."""
    root = _root(xml)
    for number, run in enumerate(list(root.iter(f"{W}r"))):
        text = run.find(f"{W}t")
        if text is None or not _PIECES.search(text.text or ""):
            continue
        if any(child.tag not in (f"{W}rPr", f"{W}t") for child in run):
            continue  # a run holding a break or a tab too: leave it whole
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, piece in enumerate(p for p in _PIECES.split(text.text or "") if p):
            clone = copy.deepcopy(run)
            clone.set(f"{W}rsidR", f"{number:04X}{offset:04X}")
            clone_text = clone.find(f"{W}t")
            clone_text.text = piece
            clone_text.set(XML_SPACE, "preserve")
            word = bool(piece.strip()) and not _PIECES.fullmatch(piece)
            marks = ("spellStart", "spellEnd") if word else ()
            for element in (*marks[:1], clone, *marks[1:]):
                if isinstance(element, str):
                    mark = etree.Element(f"{W}proofErr")
                    mark.set(f"{W}type", element)
                    element = mark
                parent.insert(index, element)
                index += 1
    return _bytes(root)


def without_paragraph(needle: str, after: str | None = None) -> Callable[[bytes], bytes]:
    """Delete the paragraph whose text holds ``needle`` (the first one after the paragraph
    holding ``after``, when given), as Word does: its ``<w:p>`` goes."""

    def change(xml: bytes) -> bytes:
        root = _root(xml)
        paragraphs = list(root.iter(f"{W}p"))
        if after is not None:
            start = next(i for i, p in enumerate(paragraphs) if after in paragraph_text(p))
            paragraphs = paragraphs[start + 1 :]
            hits = [next(p for p in paragraphs if needle in paragraph_text(p))]
        else:
            hits = [p for p in paragraphs if needle in paragraph_text(p)]
            assert len(hits) == 1, (needle, len(hits))
        hits[0].getparent().remove(hits[0])
        return _bytes(root)

    return change


def without_column(header: str) -> Callable[[bytes], bytes]:
    """Delete the table column headed ``header`` (Layout → Delete Columns)."""

    def change(xml: bytes) -> bytes:
        root = _root(xml)
        for table in root.iter(f"{W}tbl"):
            rows = table.findall(f"{W}tr")
            titles = [paragraph_text(cell) for cell in rows[0].findall(f"{W}tc")]
            if header in titles:
                column = titles.index(header)
                for row in rows:
                    cell = row.findall(f"{W}tc")[column]
                    row.remove(cell)
                grid = table.find(f"{W}tblGrid")
                grid.remove(grid.findall(f"{W}gridCol")[column])
                return _bytes(root)
        raise AssertionError(f"no column {header}")

    return change


def replaced(old: str, new: str) -> Callable[[bytes], bytes]:
    """Replace text once in the XML (a tag typed differently)."""

    def change(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        assert text.count(old) >= 1, old
        return text.replace(old, new, 1).encode("utf-8")

    return change


def with_paragraph(text: str, after: str | None = None) -> Callable[[bytes], bytes]:
    """Add a paragraph holding ``text``: first in the body, or after the paragraph whose text
    holds ``after``."""

    def change(xml: bytes) -> bytes:
        root = _root(xml)
        paragraph = etree.Element(f"{W}p")
        run = etree.SubElement(paragraph, f"{W}r")
        etree.SubElement(run, f"{W}t").text = text
        if after is None:
            body = root.find(f"{W}body")
            body.insert(0, paragraph)
        else:
            anchor = next(p for p in root.iter(f"{W}p") if after in paragraph_text(p))
            anchor.addnext(paragraph)
        return _bytes(root)

    return change


def tracked_deletion(run_text: str, deleted: str, after: str) -> Callable[[bytes], bytes]:
    """Delete the end ``deleted`` of the first run whose text is ``run_text`` after the run
    ``after``, with Track Changes on: Word keeps it as ``<w:del><w:r><w:delText>…`` (use on a
    document split by :func:`word_runs`)."""

    def change(xml: bytes) -> bytes:
        root = _root(xml)
        texts = list(root.iter(f"{W}t"))
        start = next(i for i, t in enumerate(texts) if t.text == after)
        text = next(t for t in texts[start:] if t.text == run_text)
        assert run_text.endswith(deleted)
        text.text = run_text[: -len(deleted)]
        run = text.getparent()
        deletion = etree.Element(f"{W}del")
        deletion.set(f"{W}id", "90")
        deletion.set(f"{W}author", "Văn thư")
        deletion.set(f"{W}date", "2024-09-20T08:00:00Z")
        removed = copy.deepcopy(run)
        removed.find(f"{W}t").tag = f"{W}delText"
        removed.find(f"{W}delText").text = deleted
        deletion.append(removed)
        run.addnext(deletion)
        return _bytes(root)

    return change
