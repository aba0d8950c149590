"""Shared fixtures: a factory that writes small workbooks into ``tmp_path`` and a CLI runner."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from typer.testing import CliRunner

from danvan_cli.vietnamese import fold

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"

INFO_ROWS: list[list[Any]] = [
    ["Mục", "Giá trị"],
    ["Tên đơn vị", "Tân Hưng"],
    ["Tỉnh/Thành phố", "Hải Phòng"],
    ["Năm", 2024],
    ["Người ký", "Phạm Văn Lượng"],
]
"""A minimal valid ThongTin sheet: header, the three required items and the signer (without
one every command warns)."""

Rows = Sequence[Sequence[Any]]
MakeWorkbook = Callable[..., Path]


def write_workbook(
    path: Path,
    sheets: Mapping[str, Rows],
    *,
    titles: Mapping[str, Sequence[str | None]] | None = None,
    at: Mapping[str, str] | None = None,
    info: bool = True,
) -> Path:
    """Write ``sheets`` (sheet name -> rows, the first row being the header) to ``path``.

    ``titles[sheet]`` are rows written above the header (``None`` = an empty row), as clerks put
    a title above their table; ``at[sheet]`` is the top-left cell of that block (default
    ``A1``). Unless ``info`` is false or a ThongTin sheet is given, a minimal valid ThongTin
    sheet is added first.
    """
    book = Workbook()
    book.remove(book.active)
    titles = titles or {}
    at = at or {}
    all_sheets: dict[str, Rows] = dict(sheets)
    if info and not any(fold(name) in {"thongtin", "thongtinchung"} for name in sheets):
        all_sheets = {"ThongTin": INFO_ROWS, **all_sheets}
    for name, rows in all_sheets.items():
        sheet = book.create_sheet(name)
        letters, first_row = coordinate_from_string(at.get(name, "A1"))
        first_col = column_index_from_string(letters)
        block: list[Sequence[Any] | None] = [
            None if title is None else [title] for title in titles.get(name, ())
        ]
        block += list(rows)
        for r, values in enumerate(block):
            for c, value in enumerate(values or ()):
                if value is not None:
                    sheet.cell(row=first_row + r, column=first_col + c, value=value)
    book.save(path)
    return path


@pytest.fixture
def make_workbook(tmp_path: Path) -> MakeWorkbook:
    """``make_workbook({"TiepCongDan": [header, row, …]}, name="so.xlsx", titles=…, at=…)``."""

    def make(sheets: Mapping[str, Rows], name: str = "so.xlsx", **options: Any) -> Path:
        return write_workbook(tmp_path / name, sheets, **options)

    return make


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner with a wide terminal, so messages are not wrapped mid-sentence."""
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


@pytest.fixture(scope="session")
def make_samples() -> ModuleType:
    """``sample_data/make_samples.py``, imported from its path (it holds ``MISTAKES``)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLE_DIR / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
