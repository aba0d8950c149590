"""``danvan batch`` run again, on its own outputs, on missing paths, on two workbooks of one
commune, on hostile names (SPEC §5, §6): existing reports kept and listed "Đã có", danvan's own
workbooks never read as communes, nothing created for a misspelt input, duplicates kept out of
the totals, input text never a live formula in the summary, a screen table readable at 80
columns."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import flat, no_traceback, sha256
from test_batch import DATE, _figures_json, _pick, _summary_rows, generate
from typer.testing import CliRunner

from danvan_cli import marks, summary
from danvan_cli.build import slug
from danvan_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def _communes(folder: Path, count: int = 2) -> Path:
    for index in range(count):
        generate.generate_workbook(generate.workbook_path(folder, index), index, receptions=5)
    return folder


def _batch(cli: CliRunner, *args: Any) -> Any:
    result = cli.invoke(app, ["batch", *map(str, args), "-p", "9m", "--date", DATE, "-j", "1"])
    no_traceback(result)
    return result


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _set_info(path: Path, item: str, value: str) -> None:
    """Set a ThongTin item of a workbook to ``value``, typed as text (never a formula)."""
    book = openpyxl.load_workbook(path)
    sheet = book["ThongTin"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == item:
            row[1].value = value
            row[1].data_type = "s"
            break
    else:
        raise AssertionError(item)
    book.save(path)


def _saved_later(path: Path) -> None:
    """What a clerk's save in Excel does to a danvan workbook's stamps: the package's own
    modification time moves on (simulated by moving danvan's stamp back)."""
    book = openpyxl.load_workbook(path)
    del book.custom_doc_props[marks.SAVED]
    book.custom_doc_props.append(
        openpyxl.packaging.custom.StringProperty(name=marks.SAVED, value="2024-10-01T08:00:00")
    )
    book.save(path)


# --- re-runs --------------------------------------------------------------------------------


def test_rerun_keeps_every_report_and_brings_the_summary_up_to_date(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    first = _batch(cli, inputs, "-o", out)
    assert first.exit_code == 0, first.output
    reports = sorted(out.glob("*.docx"))
    reports[0].write_bytes(b"edited by hand")
    before = {path.name: sha256(path) for path in reports}

    for _ in range(2):  # the second re-run used to fail on the first one's junk summary
        again = _batch(cli, inputs, "-o", out)
        assert again.exit_code == 0, again.output
        text = flat(again.stdout)
        assert "Đã lập 0/2 báo cáo; 2 báo cáo đã có, giữ nguyên; 0 sổ lỗi." in text
        assert (
            "Báo cáo đã có không bị ghi đè (có thể đã được sửa tay); số liệu của chúng vẫn vào "
            "sổ tổng hợp. Thêm --force để lập lại tất cả."
        ) in text
        assert text.count("Đã có") == 2 and "Lỗi" not in text
        assert {path.name: sha256(path) for path in reports} == before
        assert _listing(out) == sorted([*before, "tong_hop_9m_2024.xlsx"])

    # the summary was rewritten (it was as danvan left it) and misses no commune
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert [row["Trạng thái"] for row in rows.values()] == ["Đã có", "Đã có"]
    assert {row["Lý do, ghi chú"] for row in rows.values()} == {
        "Báo cáo đã có, giữ nguyên; số liệu đọc lại từ sổ."
    }
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"
    visits = [_pick(_figures_json(cli, path), "reception.visits") for path in inputs.iterdir()]
    assert total["figures"]["reception.visits"] == sum(visits)

    forced = _batch(cli, inputs, "-o", out, "--force")
    assert forced.exit_code == 0, forced.output
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in flat(forced.stdout)
    assert zipfile.is_zipfile(reports[0])


def test_summary_saved_by_someone_else_is_not_replaced(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    assert _batch(cli, inputs, "-o", out).exit_code == 0
    book = out / "tong_hop_9m_2024.xlsx"
    _saved_later(book)
    kept = sha256(book)
    message = (
        f"Lỗi: Sổ tổng hợp «{book}» đã có và đã được sửa hoặc lưu lại sau khi danvan ghi ra. "
        "danvan không ghi đè; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o."
    )

    for year in (["-y", "2024"], []):  # from --year or from the workbooks: before any work
        refused = _batch(cli, inputs, "-o", out, *year)
        assert refused.exit_code == 1
        assert flat(refused.output) == message
    assert sha256(book) == kept


# --- never reading its own outputs ----------------------------------------------------------


def test_output_folder_inside_the_input_folder_is_never_read(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs = _communes(tmp_path / "in")
    out = inputs / "bao_cao"
    assert _batch(cli, inputs, "-o", out).exit_code == 0
    shutil.copy(inputs / "xa_0001.xlsx", out / "ban_sao_de_trong_thu_muc_ra.xlsx")
    for _ in range(2):
        again = _batch(cli, inputs, "-o", out, "--force")
        assert again.exit_code == 0, again.output
        text = flat(again.stdout)
        assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in text
        assert (
            f"Không đọc 2 tệp: {Path('bao_cao/ban_sao_de_trong_thu_muc_ra.xlsx')} (trong thư "
            f"mục ra), {Path('bao_cao/tong_hop_9m_2024.xlsx')} (trong thư mục ra)."
        ) in text
        _, rows, _ = _summary_rows(out / "tong_hop_9m_2024.xlsx")
        assert sorted(rows) == ["xa_0001.xlsx", "xa_0002.xlsx"]


def test_summaries_and_annotated_copies_are_never_read_wherever_they_lie(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    assert _batch(cli, inputs, "-o", out).exit_code == 0
    old = inputs / "nam_truoc"
    old.mkdir()
    shutil.copy(out / "tong_hop_9m_2024.xlsx", old / "tong_hop_9m_2024.xlsx")
    annotated = inputs / "xa_0001_chu_thich.xlsx"
    validate = cli.invoke(
        app, ["validate", str(inputs / "xa_0001.xlsx"), "--annotate", str(annotated)]
    )
    assert validate.exit_code == 0, validate.output
    mistakes = inputs / "loi" / "loi_mau_chu_thich.xlsx"  # a copy with comments and fills
    mistakes.parent.mkdir()
    sample = ROOT / "sample_data" / "loi_mau.xlsx"
    validate = cli.invoke(app, ["validate", str(sample), "--annotate", str(mistakes)])
    assert validate.exit_code == 1 and mistakes.is_file(), validate.output

    again = _batch(cli, inputs, "-o", out)
    assert again.exit_code == 0, again.output
    text = flat(again.stdout)
    assert "Đã lập 0/2 báo cáo; 2 báo cáo đã có, giữ nguyên; 0 sổ lỗi." in text
    assert (
        f"Không đọc 3 tệp: {Path('loi/loi_mau_chu_thich.xlsx')} (bản sao chú thích do danvan "
        f"ghi), {Path('nam_truoc/tong_hop_9m_2024.xlsx')} (sổ tổng hợp do danvan ghi), "
        "xa_0001_chu_thich.xlsx (bản sao chú thích do danvan ghi)."
    ) in text

    # `batch . -o .`: the workbooks kept beside the reports are read, the summary is not
    same = _batch(cli, inputs, "-o", inputs, "--force")
    assert same.exit_code == 0, same.output
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in flat(same.stdout)
    assert "tong_hop_9m_2024.xlsx (sổ tổng hợp do danvan ghi)" in flat(same.stdout)

    # a clerk who fixes the annotated copy and saves it made it the commune's workbook: it is
    # read, and found to be the same commune as the original
    _saved_later(annotated)
    fixed = _batch(cli, inputs, "-o", out)
    assert fixed.exit_code == 1
    assert "Đã lập 0/3 báo cáo; 2 báo cáo đã có, giữ nguyên; 1 sổ trùng đơn vị; 0 sổ lỗi." in (
        flat(fixed.stdout)
    )


def test_a_folder_of_only_danvan_outputs_is_no_workbook(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    assert _batch(cli, inputs, "-o", out).exit_code == 0
    result = _batch(cli, out, "-o", tmp_path / "ra")
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không tìm thấy sổ Excel nào (.xlsx, .xlsm, .xls, .ods) trong «{out}» (đã bỏ qua "
        "1 tệp do danvan ghi ra: sổ tổng hợp, bản sao chú thích, tệp trong thư mục ra). Ghi tên "
        "sổ hoặc thư mục chứa sổ của các xã, phường."
    )
    assert not (tmp_path / "ra").exists()


# --- refused before anything is written -----------------------------------------------------


def test_a_misspelt_input_creates_nothing(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = _communes(tmp_path / "in"), tmp_path / "out"
    missing = tmp_path / "cac xa huyện"
    for args in ([missing], [inputs, missing]):
        result = _batch(cli, *args, "-o", out)
        assert result.exit_code == 1
        assert flat(result.output) == (
            f"Lỗi: Không tìm thấy «{missing}»: không có tệp hay thư mục nào như vậy. Chưa lập "
            "báo cáo nào; hãy kiểm tra lại tên (chữ có dấu, khoảng trắng) rồi chạy lại."
        )
        assert not out.exists()
    assert _listing(tmp_path) == ["in/xa_0001.xlsx", "in/xa_0002.xlsx"]


def test_output_onto_a_file_is_refused_up_front(tmp_path: Path, cli: CliRunner) -> None:
    inputs = _communes(tmp_path / "in")
    target = tmp_path / "bao_cao.docx"
    target.write_bytes(b"a report")
    result = _batch(cli, inputs, "-o", target)
    assert result.exit_code == 2
    assert flat(result.output) == (
        f"Lỗi: «{target}» là một tệp, không phải thư mục: batch ghi các báo cáo và sổ tổng hợp "
        "vào một thư mục. Chọn thư mục khác bằng -o."
    )
    assert target.read_bytes() == b"a report"
    assert _listing(tmp_path) == ["bao_cao.docx", "in/xa_0001.xlsx", "in/xa_0002.xlsx"]


# --- two workbooks of one commune ------------------------------------------------------------


def test_two_workbooks_of_one_commune_are_reported_and_counted_once(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    generate.generate_workbook(inputs / "a.xlsx", 3, receptions=5)
    generate.generate_workbook(inputs / "b.xlsx", 3, receptions=9)  # other figures, same unit
    generate.generate_workbook(inputs / "c.xlsx", 4, receptions=5)
    data = {name: _figures_json(cli, inputs / name) for name in ("a.xlsx", "b.xlsx", "c.xlsx")}
    unit = data["a.xlsx"]["unit"]
    # typed another way: case and spacing do not matter
    _set_info(inputs / "b.xlsx", "Tên đơn vị", f"  {unit['name'].upper()} ")
    name = f"{unit['kind']} {unit['name']}"
    report = f"bao_cao_dan_van_{_slug(name)}_9m_2024.docx"

    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 1
    text = flat(result.stdout)
    assert "Đã lập 2/3 báo cáo; 1 sổ trùng đơn vị; 0 sổ lỗi." in text
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert rows["a.xlsx"]["Trạng thái"] == "Đã lập"
    assert rows["a.xlsx"]["Lý do, ghi chú"] == (
        "Sổ «b.xlsx» cũng của đơn vị này, không được cộng vào tổng."
    )
    assert rows["b.xlsx"]["Trạng thái"] == "Trùng"
    assert rows["b.xlsx"]["Lý do, ghi chú"] == (
        f"Cùng đơn vị với sổ «a.xlsx» ({unit['kind']} {unit['name'].upper()}, "
        f"{unit['province']}): không lập báo cáo, không cộng vào tổng. Nếu sổ này mới đúng, hãy "
        f"bỏ sổ «a.xlsx» ra và xóa báo cáo «{report}» rồi chạy lại."
    )
    assert all(value is None for value in rows["b.xlsx"]["figures"].values())
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"
    for spec in summary.SUMMARY_FIGURES:
        if not spec.rate:
            expected = _pick(data["a.xlsx"], spec.key) + _pick(data["c.xlsx"], spec.key)
            assert total["figures"][spec.key] == expected, spec.key
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(
        [report, f"bao_cao_dan_van_{_slug(_unit_of(data['c.xlsx']))}_9m_2024.docx"]
    )


def test_same_name_in_another_province_is_another_commune(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    generate.generate_workbook(inputs / "a.xlsx", 3, receptions=5)
    generate.generate_workbook(inputs / "b.xlsx", 3, receptions=5)
    province = _figures_json(cli, inputs / "a.xlsx")["unit"]["province"]
    _set_info(inputs / "b.xlsx", "Tỉnh/Thành phố", f"{province} Mới")
    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in flat(result.stdout)
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    renamed = rows["b.xlsx"]["Báo cáo"]
    assert renamed.endswith("__b.docx") and renamed != rows["a.xlsx"]["Báo cáo"]
    assert rows["b.xlsx"]["Lý do, ghi chú"] == (
        f"Tên tệp báo cáo trùng với báo cáo của sổ «a.xlsx» (một đơn vị khác), nên ghi thành "
        f"«{renamed}»."
    )
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"


def test_names_that_differ_only_by_a_tone_mark_are_two_communes(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    generate.generate_workbook(inputs / "a.xlsx", 3, receptions=5, name="Thanh Lợi")
    generate.generate_workbook(inputs / "b.xlsx", 3, receptions=5, name="Thành Lợi")
    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Đã lập 2/2 báo cáo; 0 sổ lỗi." in flat(result.stdout)
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert [row["Trạng thái"] for row in rows.values()] == ["Đã lập", "Đã lập"]
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"
    assert rows["b.xlsx"]["Lý do, ghi chú"] == (  # the same file name without tone marks
        "Tên tệp báo cáo trùng với báo cáo của sổ «a.xlsx» (một đơn vị khác), nên ghi thành "
        f"«{rows['b.xlsx']['Báo cáo']}»."
    )


def _slug(text: str) -> str:
    return slug(text)


def _unit_of(data: dict[str, Any]) -> str:
    return f"{data['unit']['kind']} {data['unit']['name']}"


# --- no live formula from input text ---------------------------------------------------------

FORMULA = '=HYPERLINK("http://example.com/x","Hải Phòng")'


def test_input_text_is_literal_text_in_the_summary(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    good = generate.generate_workbook(inputs / "=cmd|calc!A1.xlsx", 1, receptions=5)
    _set_info(good, "Tỉnh/Thành phố", FORMULA)
    _set_info(good, "Tên đơn vị", "@SUM(1+1)")
    broken = inputs / "+cmd|calc!A1.xlsx"
    broken.write_bytes(b"not a workbook")
    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 1, result.output

    path = out / "tong_hop_9m_2024.xlsx"
    with zipfile.ZipFile(path) as package:
        sheet_xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = openpyxl.load_workbook(path).active
    cells = {
        cell.value: cell
        for row in sheet.iter_rows(min_row=summary.FIRST_DATA_ROW)
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in (FORMULA, "+cmd|calc!A1.xlsx", "=cmd|calc!A1.xlsx"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text
    unit = next(value for value in cells if value.endswith("@SUM(1+1)"))
    assert cells[unit].data_type == "s"
    assert not cells["Đã lập"].quotePrefix  # ordinary text needs no prefix


# --- the screen at 80 columns ----------------------------------------------------------------


def _table_rows(output: str) -> list[list[str]]:
    """The screen table's rows, each cell's lines joined (a wrapped name comes back whole)."""
    rows: list[list[str]] = []
    current: list[list[str]] | None = None
    for line in output.splitlines():
        if line.startswith("│"):
            parts = [part.strip() for part in line.strip().strip("│").split("│")]
            current = current or [[] for _ in parts]
            for cell, part in zip(current, parts, strict=True):
                if part:
                    cell.append(part)
        elif line.startswith(("├", "└")) and current is not None:
            rows.append([" ".join(cell) for cell in current])
            current = None
    return rows


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_results_table_fits_80_columns_and_cuts_no_name(tmp_path: Path) -> None:
    cli = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
    inputs, out = tmp_path / "in", tmp_path / "out"
    long_file = "huyen_mot/xa_co_ten_tep_that_dai_de_xem_co_bi_cat_khong_2024.xlsx"
    generate.generate_workbook(inputs / long_file, 1, receptions=5)
    _set_info(inputs / long_file, "Tên đơn vị", "Tân Phước Hưng Thịnh Vượng Đông Nam Bộ")
    generate.generate_workbook(inputs / "xa_0002.xlsx", 2, receptions=5)
    (inputs / "so_hong_cua_mot_xa_co_ten_dai.xlsx").write_bytes(b"not a workbook")
    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80, result.stdout
    assert "…" not in result.stdout
    header, *rows = _table_rows(result.stdout)
    assert header == ["STT", "Đơn vị", "Sổ", "Trạng thái", "Báo cáo, ghi chú"]
    _, by_file, _ = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert len(rows) == len(by_file) == 3
    for _, unit, shown, status, report in rows:
        row = by_file[_squeeze(shown)]
        assert _squeeze(unit) == _squeeze(row["Đơn vị"] or "—")
        assert _squeeze(status).startswith(_squeeze(row["Trạng thái"]))
        expected = row["Báo cáo"] if row["Trạng thái"] == "Đã lập" else row["Lý do, ghi chú"]
        assert _squeeze(report).startswith(_squeeze(expected)), (report, expected)
    assert by_file[str(Path(long_file))]["Đơn vị"].endswith(
        "Tân Phước Hưng Thịnh Vượng Đông Nam Bộ"
    )
    assert any("Tân" in row[1] for row in rows)
