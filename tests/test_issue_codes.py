"""The issue codes documented in sample_data/README.md are exactly those danvan uses (issue 14
item 6): its table of codes against checks.ISSUE_TYPES, its tables of planted mistakes against
what ``validate --json`` emits for loi_mau.xlsx and ho_so_loi.xlsx and against
make_samples.MISTAKES and HO_SO_MISTAKES. A code added to the program without its line in the
README (or the reverse) fails here."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from danvan_cli.checks import ISSUE_TYPES
from danvan_cli.cli import app

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
README = SAMPLE_DIR / "README.md"
SEVERITY = {"error": "lỗi", "warning": "cảnh báo"}


def section(number: int) -> str:
    """The text of the README's section ``## {number}. …``, up to the next one."""
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^## (\d+)\. ", text, flags=re.M)
    found = dict(zip(parts[1::2], parts[2::2], strict=True))
    return found[str(number)]


def table_rows(text: str) -> list[list[str]]:
    """The cells of each body row of the markdown tables in ``text``."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [row for row in rows if row[0] not in ("Mã", "#", "Sheet")]


def code_of(cell: str) -> str:
    match = re.fullmatch(r"`([a-z0-9-]+)`", cell)
    assert match, f"not a code: {cell!r}"
    return match.group(1)


def test_the_table_of_codes_is_the_programs() -> None:
    documented = {code_of(row[0]): (row[1], row[2]) for row in table_rows(section(5))}
    assert len(documented) == len(table_rows(section(5))), "a code listed twice"
    declared = {t.code: (t.severity.label, t.title) for t in ISSUE_TYPES.values()}
    assert documented == declared


def test_the_planted_mistakes_are_what_validate_emits(
    runner: CliRunner, make_samples: ModuleType
) -> None:
    documented = {(row[1].strip("`"), row[2], code_of(row[3])) for row in table_rows(section(2))}
    result = runner.invoke(app, ["validate", "--json", str(SAMPLE_DIR / "loi_mau.xlsx")])
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)["files"]
    emitted = {(i["ref"], SEVERITY[i["severity"]], i["code"]) for i in report["issues"]}
    assert documented == emitted
    planted = {
        (f"{m['sheet']}!{m['cell']}", m["severity"], m["code"]) for m in make_samples.MISTAKES
    }
    assert planted == emitted
    assert {code for _, _, code in documented} <= set(ISSUE_TYPES)


def test_the_planted_dossier_mistakes_are_what_validate_emits(
    runner: CliRunner, make_samples: ModuleType
) -> None:
    rows = [row for row in table_rows(section(4)) if row[0].isdigit()]  # the mistakes' table
    documented = {(row[1].strip("`"), row[2], code_of(row[3])) for row in rows}
    args = ["validate", "--json", str(SAMPLE_DIR / "tan_hung_2024.xlsx")]
    result = runner.invoke(app, [*args, "--ho-so", str(SAMPLE_DIR / "ho_so_loi.xlsx")])
    assert result.exit_code == 1
    workbook, export = json.loads(result.stdout)["files"]
    assert [i["code"] for i in workbook["issues"]] == ["mot-cua-set-aside"]
    emitted = {(i["ref"], SEVERITY[i["severity"]], i["code"]) for i in export["issues"]}
    assert documented == emitted
    planted = {
        (f"Sheet1!{m['cell']}", m["severity"], m["code"]) for m in make_samples.HO_SO_MISTAKES
    }
    assert planted == emitted
