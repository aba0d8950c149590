"""Standard output and error that never fail on an encoding (SPEC §8).

Output piped to a file on Windows is encoded in the locale's code page: cp1258 on a Vietnamese
Windows, cp1252 on many others; ``PYTHONIOENCODING`` may name any codec. Python's default for
stdout is to raise ``UnicodeEncodeError`` on the first letter the codec lacks, so a clerk's
``danvan validate so.xlsx > log.txt`` used to crash. ``protect_streams`` switches stdout and
stderr to a ``danvan-fallback`` error handler for their encoding: a letter the codec cannot
encode is written another way it can — decomposed (``ệ`` = ``ê`` + combining dot below,
which cp1258 encodes), else without its marks (``ệ`` -> ``e``, ``đ`` -> ``d``), else a plain
ASCII stand-in for our own punctuation (``—`` -> ``-``), else ``?``. Vietnamese is untouched
wherever the stream can encode it (UTF-8 terminals and files, cp1258).

Text that comes from a workbook, a template or a file name is passed through ``safe`` before
it reaches a terminal: control characters and bidirectional formatting characters are dropped.
JSON output keeps every string exact but writes those characters as ``\\uXXXX`` escapes
(``json_text``): a parser reads back the same text, a terminal shows it inert.

Light on purpose (standard library only): the CLI calls it before anything else, ``--help``
included."""

from __future__ import annotations

import codecs
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

ERRORS = "danvan-fallback"

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_STAND_INS = {
    "đ": "d",
    "Đ": "D",
    "—": "-",
    "–": "-",
    "…": "...",
    "✗": "x",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "×": "x",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "•": "-",
    "²": "2",
    "━": "-",
    "─": "-",
    "│": "|",
}


@lru_cache(maxsize=4096)
def spelling(char: str, encoding: str) -> str:
    """``char`` written so that ``encoding`` can encode it (see the module's text)."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    if marks:
        shape = "".join(mark for mark in marks if mark not in _TONES)
        tones = "".join(mark for mark in marks if mark in _TONES)
        for candidate in (unicodedata.normalize("NFC", base + shape) + tones, decomposed, base):
            if _encodes(candidate, encoding):
                return candidate
    stand_in = _STAND_INS.get(char)
    if stand_in is not None and _encodes(stand_in, encoding):
        return stand_in
    return "?"


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def error_handler(encoding: str) -> str:
    """The name of the codec error handler that writes unencodable letters for ``encoding``
    (registered on first use). One handler per encoding: a codec such as cp1258 reports its
    errors as ``charmap``, so the handler must know the stream's encoding itself."""
    name = f"{ERRORS}-{codecs.lookup(encoding).name}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def fallback(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            text = error.object[error.start : error.end]
            return "".join(spelling(char, encoding) for char in text), error.end

        codecs.register_error(name, fallback)
    return name


def protect_streams() -> None:
    """Switch stdout and stderr to the handler of their encoding. A stream whose errors policy
    was chosen otherwise is switched too (``surrogateescape`` still raises on letters, stderr's
    ``backslashreplace`` writes ``\\u1ec7`` for ``ệ``); one that cannot be reconfigured or
    names no known encoding is left alone."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = getattr(stream, "encoding", None)
        if reconfigure is None or not isinstance(encoding, str):
            continue
        try:
            errors = error_handler(encoding)
            if getattr(stream, "errors", None) != errors:
                reconfigure(errors=errors)
        except (LookupError, ValueError, OSError, AttributeError):  # closed, detached…
            continue


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters but tab and line feed, and Unicode's Bidi_Control set: the
marks (U+061C, U+200E, U+200F), embeddings and overrides (U+202A–U+202E) and isolates
(U+2066–U+2069)."""
_JSON_INERT = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What ``json.dumps(ensure_ascii=False)`` writes raw but a terminal would act on (it escapes
C0 controls itself)."""


def safe(text: str) -> str:
    """Text from a workbook, a template or a file name, fit for a terminal: control characters
    are dropped (an ESC typed into a cell could otherwise move the cursor, clear the screen or
    retitle the window of the clerk who runs danvan), and so are bidirectional overrides and
    isolates (U+202E would show a cell's text, or a file name, reversed). Tabs and line breaks
    stay."""
    return _CONTROL.sub("", text)


def json_text(payload: Any, ascii_only: bool = False) -> str:
    """``payload`` as indented JSON, Vietnamese as letters (or, ``ascii_only``, every
    non-ASCII letter escaped), and every character a terminal would act on (C1 controls,
    bidirectional formatting) escaped as ``\\uXXXX``: still valid JSON that parses back to the
    very same strings."""
    text = json.dumps(payload, ensure_ascii=ascii_only, indent=2)
    return _JSON_INERT.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class Streamed:
    """A JSON array whose items are made one by one while it is written (``write_json``): a
    report of a hundred thousand issues is never held as one string (SPEC §6)."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items


def json_chunks(payload: Any, ascii_only: bool = False, depth: int = 0) -> Iterator[str]:
    """``json_text(payload)`` in pieces, the same text once joined (indented JSON at ``depth``
    levels in): a ``Streamed`` array anywhere in ``payload`` is written item by item."""
    if isinstance(payload, Streamed):
        items = iter(payload.items)
        first = next(items, _NOTHING)
        if first is _NOTHING:
            yield "[]"
            return
        inner = "\n" + "  " * (depth + 1)
        yield "[" + inner
        yield from json_chunks(first, ascii_only, depth + 1)
        for item in items:
            yield "," + inner
            yield from json_chunks(item, ascii_only, depth + 1)
        yield "\n" + "  " * depth + "]"
    elif isinstance(payload, dict) and payload and _streams(payload):
        inner = "\n" + "  " * (depth + 1)
        separator = "{" + inner
        for key, value in payload.items():
            yield separator + json_text(str(key), ascii_only) + ": "
            yield from json_chunks(value, ascii_only, depth + 1)
            separator = "," + inner
        yield "\n" + "  " * depth + "}"
    else:
        text = json_text(payload, ascii_only)
        yield text.replace("\n", "\n" + "  " * depth) if depth else text


_NOTHING = object()


def _streams(payload: dict[Any, Any]) -> bool:
    """Whether a ``Streamed`` array lies in ``payload``'s values (its dictionaries)."""
    return any(
        isinstance(value, Streamed) or (isinstance(value, dict) and _streams(value))
        for value in payload.values()
    )


def write_json(payload: Any) -> None:
    """Print ``payload`` as JSON on stdout, losslessly whatever its encoding: other tools read
    it (SPEC §3), so on a stream that cannot hold Vietnamese letters (a Windows console's
    cp1252 piped to a file) every non-ASCII letter is written as ``\\uXXXX`` rather than
    dropped. ``Streamed`` arrays are written item by item (``json_chunks``)."""
    stream = sys.stdout
    try:
        encoding = codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name
    except LookupError:
        encoding = "ascii"
    for chunk in json_chunks(payload, ascii_only=not encoding.startswith("utf")):
        stream.write(chunk)
    stream.write("\n")
