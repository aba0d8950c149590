"""Compile ``locale/vi.po`` into ``src/danvan_cli/locale/vi/LC_MESSAGES/danvan.mo``, the gettext
catalogue that gives Typer's own words (help titles, "default", …) in Vietnamese.

Run from the repository root (any Python ≥ 3.10, no dependencies)::

    python locale/build_catalogue.py [OUT.mo]

The output depends only on the .po file: entries are sorted and the file has no hash table,
so the same .po always gives the same bytes (tests/test_usage.py checks the committed .mo).
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "locale" / "vi.po"
TARGET = ROOT / "src" / "danvan_cli" / "locale" / "vi" / "LC_MESSAGES" / "danvan.mo"
MAGIC = 0x950412DE


def parse_po(text: str) -> dict[str, str]:
    """``msgid`` -> ``msgstr`` of a .po file (no plurals, no contexts: none are needed)."""
    messages: dict[str, str] = {}
    entry: dict[str, list[str]] = {}
    field = ""

    def flush() -> None:
        if "msgid" in entry and "msgstr" in entry:
            messages["".join(entry["msgid"])] = "".join(entry["msgstr"])
        entry.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("msgid ", "msgstr ")):
            field, _, line = line.partition(" ")
            if field == "msgid":
                flush()
            entry[field] = []
        if not field or not (len(line) >= 2 and line[0] == line[-1] == '"'):
            raise ValueError(f"{SOURCE.name}:{number}: cannot read {raw!r}")
        value = ast.literal_eval(line)
        assert isinstance(value, str)
        entry[field].append(value)
    flush()
    return messages


def compile_mo(messages: dict[str, str]) -> bytes:
    """The GNU .mo bytes of ``messages`` (little-endian, revision 0, no hash table)."""
    keys = sorted(messages)
    ids = [key.encode("utf-8") for key in keys]
    strs = [messages[key].encode("utf-8") for key in keys]
    count = len(keys)
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + 8 * count
    data = strs_table + 8 * count
    table: list[int] = []
    blob = b""
    for item in ids:
        table += [len(item), data + len(blob)]
        blob += item + b"\0"
    for item in strs:
        table += [len(item), data + len(blob)]
        blob += item + b"\0"
    head = struct.pack("<7I", MAGIC, 0, count, ids_table, strs_table, 0, 0)
    return head + struct.pack(f"<{4 * count}I", *table) + blob


def build(source: Path = SOURCE) -> bytes:
    return compile_mo(parse_po(source.read_text(encoding="utf-8")))


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(build())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
