"""``danvan batch`` never silently wrong (SPEC §5, §6): one unit counted once however its name
and province are spelt; one batch, one year, whatever the file order; no output of a run ever
written over one of its inputs; a folder where an output goes refused in words that fit batch."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from support import flat, no_traceback, sha256
from test_batch import DATE, _figures_json, _pick, _summary_rows, generate
from test_batch_reruns import _listing, _set_info, _table_rows
from typer.testing import CliRunner

from danvan_cli import summary
from danvan_cli.cli import app
from danvan_cli.unit_identity import unit_identity, unit_title

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "tan_hung_2024.xlsx"
SAMPLE_VISITS = 53  # the sample's "Lượt tiếp" for 9 tháng 2024 (the seed report's figure)
SAMPLE_REPORT = "bao_cao_dan_van_xa_tan_hung_9m_2024.docx"


@pytest.fixture(scope="module")
def cli() -> CliRunner:
    return CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def _batch(cli: CliRunner, *args: Any) -> Any:
    result = cli.invoke(app, ["batch", *map(str, args), "-p", "9m", "--date", DATE, "-j", "1"])
    no_traceback(result)
    return result


def _sample_folder(folder: Path) -> Path:
    """``folder``, made, holding a copy of the sample workbook (tan_hung_2024.xlsx)."""
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "tan_hung_2024.xlsx")
    return folder


def _titles(path: Path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    return [str(sheet.cell(row=row, column=1).value) for row in (1, 2, 3)]


# --- 1. one unit, however it is spelt -------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Xã Tân Hưng", "Xã", "Hải Phòng")),
        (("Tân Hưng", "Xã", "Hải Phòng"), ("TÂN  HƯNG", "xa", " hải phòng ")),
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Tân Hưng", "Xã", "TP. Hải Phòng")),
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Tân Hưng", "Xã", "thành phố Hải Phòng")),
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Tân Hưng", "Xã", "Tp.Hải Phòng")),
        (("An Lạc", "Phường", "Nam Định"), ("Phường An Lạc", "Phường", "Tỉnh Nam Định")),
        (
            ("Tân Hưng", "Xã", "Hải Phòng"),
            (
                unicodedata.normalize("NFD", "Xã Tân Hưng"),
                "Xã",
                unicodedata.normalize("NFD", "Hải Phòng"),
            ),
        ),
    ],
)
def test_spellings_of_one_unit_are_one_identity(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    assert unit_identity(*first) == unit_identity(*second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Thanh Lợi", "Xã", "Long An"), ("Thành Lợi", "Xã", "Long An")),  # tone marks count
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Tân Hưng", "Phường", "Hải Phòng")),
        (("Tân Hưng", "Xã", "Hải Phòng"), ("Tân Hưng", "Xã", "Hải Dương")),
        (("Phương Liệt", "Phường", "Hà Nội"), ("Liệt", "Phường", "Hà Nội")),
    ],
)
def test_other_units_are_other_identities(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    assert unit_identity(*first) != unit_identity(*second)


def test_unit_title_drops_a_kind_repeated_in_the_name() -> None:
    assert unit_title("Xã Tân Hưng", "Xã") == "Xã Tân Hưng"
    assert unit_title("Tân Hưng", "xa") == "Xã Tân Hưng"
    assert unit_title(unicodedata.normalize("NFD", "Xã Tân Hưng"), "Xã") == "Xã Tân Hưng"
    assert unit_title("Phương Liệt", "Phường") == "Phường Phương Liệt"


def test_one_commune_spelt_six_ways_is_built_and_counted_once(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    spellings = {
        "b.xlsx": ("Tên đơn vị", "Xã Tân Hưng"),  # the kind repeated in the name
        "c.xlsx": ("Tỉnh/Thành phố", "TP. Hải Phòng"),
        "d.xlsx": ("Tỉnh/Thành phố", "thành phố Hải Phòng"),
        "e.xlsx": ("Tên đơn vị", "TÂN  HƯNG"),  # case, a double space
        "f.xlsx": ("Tên đơn vị", unicodedata.normalize("NFD", "Tân Hưng")),
    }
    shutil.copy(SAMPLE, inputs / "a.xlsx")
    for name, (item, value) in spellings.items():
        shutil.copy(SAMPLE, inputs / name)
        _set_info(inputs / name, item, value)

    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 1
    text = flat(result.stdout)
    assert "Đã lập 1/6 báo cáo; 5 sổ trùng đơn vị; 0 sổ lỗi." in text
    assert "Xã Xã" not in text
    shown = {row[2]: row for row in _table_rows(result.stdout)[1:]}
    assert [row[1] for row in shown.values()] == ["Xã Tân Hưng"] * 4 + ["Xã TÂN HƯNG"] * 1 + [
        "Xã Tân Hưng"
    ]
    assert [row[3] for row in shown.values()] == ["Đã lập"] + ["Trùng"] * 5

    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert rows["a.xlsx"]["Trạng thái"] == "Đã lập"
    assert rows["a.xlsx"]["Lý do, ghi chú"] == (
        "Các sổ «b.xlsx», «c.xlsx», «d.xlsx», «e.xlsx», «f.xlsx» cũng của đơn vị này, không "
        "được cộng vào tổng."
    )
    provinces = {"c.xlsx": "TP. Hải Phòng", "d.xlsx": "thành phố Hải Phòng"}
    for name in spellings:
        row = rows[name]
        unit = "Xã TÂN HƯNG" if name == "e.xlsx" else "Xã Tân Hưng"
        province = provinces.get(name, "Hải Phòng")
        assert (row["Đơn vị"], row["Tỉnh/TP"], row["Trạng thái"]) == (unit, province, "Trùng")
        assert row["Lý do, ghi chú"] == (
            f"Cùng đơn vị với sổ «a.xlsx» ({unit}, {province}): không lập báo cáo, không cộng "
            f"vào tổng. Nếu sổ này mới đúng, hãy bỏ sổ «a.xlsx» ra và xóa báo cáo "
            f"«{SAMPLE_REPORT}» rồi chạy lại."
        )
        assert all(value is None for value in row["figures"].values())
    assert str(total["Đơn vị"]) == "Tổng cộng (1 đơn vị)"
    assert total["figures"]["reception.visits"] == SAMPLE_VISITS
    assert sorted(p.name for p in out.iterdir()) == [SAMPLE_REPORT, "tong_hop_9m_2024.xlsx"]


# --- 2. one batch, one year -----------------------------------------------------------------


def test_another_communes_workbook_of_last_year_stays_out_of_the_totals(
    tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = _sample_folder(tmp_path / "in"), tmp_path / "out"
    generate.generate_workbook(inputs / "xa_khac_2023.xlsx", 5, receptions=9, year=2023)
    other = _figures_json(cli, inputs / "xa_khac_2023.xlsx")["unit"]

    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 0, result.output  # a workbook of another year is no failure
    text = flat(result.stdout)
    assert "Đã lập 1/1 báo cáo; 0 sổ lỗi." in text
    assert (
        "Năm báo cáo 2024 (năm của 1/2 sổ; số sổ bằng nhau thì lấy năm mới nhất): 1 sổ của năm "
        "khác (2023) không được lập, không cộng vào tổng; muốn lập các sổ đó, chạy lại với "
        "--year 2023."
    ) in text
    reason = (
        "Sổ năm 2023, khác năm của lần lập này (2024): không lập báo cáo, không cộng vào tổng. "
        "Muốn lập báo cáo năm 2023 cho sổ này, chạy lại với --year 2023."
    )
    shown = _table_rows(result.stdout)[1:]
    assert [row[3:] for row in shown] == [["Đã lập", SAMPLE_REPORT], ["Khác năm", reason]]

    assert sorted(p.name for p in out.iterdir()) == [SAMPLE_REPORT, "tong_hop_9m_2024.xlsx"]
    book = out / "tong_hop_9m_2024.xlsx"
    assert _titles(book)[1:] == [
        "Kỳ báo cáo: 9 tháng đầu năm 2024 (số liệu từ 15/12/2023 đến 14/9/2024)",
        "Lập ngày 20/09/2024: 1/1 đơn vị lập được báo cáo; 1 sổ của năm khác (2023) không lập, "
        "không cộng vào tổng.",
    ]
    _, rows, total = _summary_rows(book)
    row = rows["xa_khac_2023.xlsx"]
    assert (row["Đơn vị"], row["Trạng thái"], row["Lý do, ghi chú"], row["Báo cáo"]) == (
        f"{other['kind']} {other['name']}",
        "Khác năm",
        reason,
        None,
    )
    assert all(value is None for value in row["figures"].values())
    assert str(total["Đơn vị"]) == "Tổng cộng (1 đơn vị)"
    assert total["figures"]["reception.visits"] == SAMPLE_VISITS


@pytest.mark.parametrize("names", [("a.xlsx", "b.xlsx"), ("b.xlsx", "a.xlsx")])
def test_one_communes_two_years_give_the_latest_whatever_the_file_order(
    names: tuple[str, str], tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    last_year, this_year = (inputs / name for name in names)
    generate.generate_workbook(last_year, 3, receptions=9, year=2023)
    generate.generate_workbook(this_year, 3, receptions=5, year=2024)  # the same commune
    expected = _figures_json(cli, this_year)

    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Đã lập 1/1 báo cáo; 0 sổ lỗi." in flat(result.stdout)
    assert [p.name for p in out.glob("tong_hop_*.xlsx")] == ["tong_hop_9m_2024.xlsx"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert rows[this_year.name]["Trạng thái"] == "Đã lập"
    assert rows[this_year.name]["Lý do, ghi chú"] is None  # no twin: another year is no twin
    assert rows[last_year.name]["Trạng thái"] == "Khác năm"
    for spec in summary.SUMMARY_FIGURES:
        assert total["figures"][spec.key] == pytest.approx(_pick(expected, spec.key)), spec.key


def test_year_option_makes_the_batch_of_that_year(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    generate.generate_workbook(inputs / "so_2023.xlsx", 3, receptions=9, year=2023)
    generate.generate_workbook(inputs / "so_2024.xlsx", 3, receptions=5, year=2024)
    generate.generate_workbook(inputs / "xa_khac_2024.xlsx", 4, receptions=5, year=2024)
    expected = _figures_json(cli, inputs / "so_2023.xlsx")

    result = _batch(cli, inputs, "-o", out, "--year", "2023")
    assert result.exit_code == 0, result.output
    assert (
        "Năm báo cáo 2023 (theo --year): 2 sổ của năm khác (2024) không được lập, không cộng "
        "vào tổng; muốn lập các sổ đó, chạy lại với --year 2024."
    ) in flat(result.stdout)
    assert [p.name for p in out.glob("tong_hop_*.xlsx")] == ["tong_hop_9m_2023.xlsx"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2023.xlsx")
    assert {name: row["Trạng thái"] for name, row in rows.items()} == {
        "so_2023.xlsx": "Đã lập",
        "so_2024.xlsx": "Khác năm",
        "xa_khac_2024.xlsx": "Khác năm",
    }
    assert rows["so_2024.xlsx"]["Lý do, ghi chú"] == (
        "Sổ năm 2024, khác năm của lần lập này (2023): không lập báo cáo, không cộng vào tổng. "
        "Muốn lập báo cáo năm 2024 cho sổ này, chạy lại với --year 2024."
    )
    assert total["figures"]["reception.visits"] == _pick(expected, "reception.visits")


def test_the_year_most_workbooks_hold_is_the_batchs(tmp_path: Path, cli: CliRunner) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    generate.generate_workbook(inputs / "a.xlsx", 1, receptions=5, year=2023)
    generate.generate_workbook(inputs / "b.xlsx", 2, receptions=5, year=2024)
    generate.generate_workbook(inputs / "c.xlsx", 3, receptions=5, year=2023)
    result = _batch(cli, inputs, "-o", out)
    assert result.exit_code == 0, result.output
    assert (
        "Năm báo cáo 2023 (năm của 2/3 sổ): 1 sổ của năm khác (2024) không được lập, không cộng "
        "vào tổng; muốn lập các sổ đó, chạy lại với --year 2024."
    ) in flat(result.stdout)
    _, rows, total = _summary_rows(out / "tong_hop_9m_2023.xlsx")
    assert [row["Trạng thái"] for row in rows.values()] == ["Đã lập", "Khác năm", "Đã lập"]
    assert str(total["Đơn vị"]) == "Tổng cộng (2 đơn vị)"


# --- 3. no output over an input ---------------------------------------------------------------


@pytest.mark.parametrize("force", [["--force"], []])
def test_the_summary_never_replaces_an_input(
    force: list[str], tmp_path: Path, cli: CliRunner
) -> None:
    """A commune's workbook that happens to bear the summary's name, in the folder the batch
    reads and writes: refused before any work, whatever --force says."""
    folder = tmp_path / "bo"
    folder.mkdir()
    workbook = folder / "tong_hop_9m_2024.xlsx"
    shutil.copy(SAMPLE, workbook)
    kept = sha256(workbook)
    result = _batch(cli, folder, "-o", folder, *force)
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không ghi được sổ tổng hợp «{workbook}»: đó chính là sổ «tong_hop_9m_2024.xlsx» "
        "mà lần chạy này đọc vào, và danvan không bao giờ ghi đè sổ đầu vào (kể cả khi có "
        "--force). Đổi tên sổ đó hoặc chọn thư mục ra khác bằng -o, rồi chạy lại."
    )
    assert _listing(tmp_path) == ["bo/tong_hop_9m_2024.xlsx"]
    assert sha256(workbook) == kept


@pytest.mark.parametrize("force", [["--force"], []])
def test_a_report_never_replaces_an_input_named_on_the_command_line(
    force: list[str], tmp_path: Path, cli: CliRunner
) -> None:
    """Any file may be named as an input: one that bears a report's name, in the output folder,
    is refused before any work, nothing written."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    out.mkdir()
    shutil.copy(SAMPLE, inputs / "tan_hung_2024.xlsx")
    named = out / SAMPLE_REPORT
    named.write_bytes(b"notes kept by hand")
    result = _batch(cli, inputs, named, "-o", out, *force)
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không ghi được báo cáo «{named}»: đó chính là sổ «{named}» mà lần chạy này đọc "
        "vào, và danvan không bao giờ ghi đè sổ đầu vào (kể cả khi có --force). Đổi tên sổ đó "
        "hoặc chọn thư mục ra khác bằng -o, rồi chạy lại."
    )
    assert named.read_bytes() == b"notes kept by hand"
    assert _listing(tmp_path) == ["in/tan_hung_2024.xlsx", f"out/{SAMPLE_REPORT}"]


# --- 5. a folder where an output goes ----------------------------------------------------------


@pytest.mark.parametrize("force", [["--force"], []])
def test_a_folder_bearing_the_summarys_name_is_refused_up_front(
    force: list[str], tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = _sample_folder(tmp_path / "in"), tmp_path / "out"
    (out / "tong_hop_9m_2024.xlsx").mkdir(parents=True)
    result = _batch(cli, inputs, "-o", out, *force)
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không ghi được sổ tổng hợp «{out / 'tong_hop_9m_2024.xlsx'}»: đã có một thư mục "
        "mang đúng tên này. Đổi tên hoặc xóa thư mục đó, hoặc chọn thư mục ra khác bằng -o, rồi "
        "chạy lại."
    )
    assert _listing(out) == []


@pytest.mark.parametrize("force", [["--force"], []])
def test_a_folder_bearing_a_reports_name_fails_that_commune(
    force: list[str], tmp_path: Path, cli: CliRunner
) -> None:
    inputs, out = _sample_folder(tmp_path / "in"), tmp_path / "out"
    (out / SAMPLE_REPORT).mkdir(parents=True)
    result = _batch(cli, inputs, "-o", out, *force)
    assert result.exit_code == 1
    assert "Đã lập 0/1 báo cáo; 1 sổ lỗi." in flat(result.stdout)
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert [(row["Trạng thái"], row["Lý do, ghi chú"]) for row in rows.values()] == [
        (
            "Lỗi",
            f"Không ghi được báo cáo «{out / SAMPLE_REPORT}»: đã có một thư mục mang đúng tên "
            "này. Đổi tên hoặc xóa thư mục đó, hoặc chọn thư mục ra khác bằng -o, rồi chạy lại.",
        )
    ]
    assert str(total["Đơn vị"]) == "Tổng cộng (0 đơn vị)"


# --- a per-dossier export among the workbooks -----------------------------------------------------

EXPORT = ROOT / "sample_data" / "tan_hung_ho_so_2024.xlsx"
EXPORT_SET_ASIDE = (
    "Không đọc 1 tệp: tan_hung_ho_so_2024.xlsx (danh sách hồ sơ xuất từ hệ thống một cửa, "
    "không phải sổ của xã, phường)."
)


def test_an_export_beside_the_workbooks_is_set_aside_not_failed(
    cli: CliRunner, tmp_path: Path
) -> None:
    """A commune's folder often holds the export it pastes into HoSo: it has no unit to report
    on, so it is listed among the files not read — not a failed commune, not exit 1."""
    folder = _sample_folder(tmp_path / "so")
    shutil.copy(EXPORT, folder / EXPORT.name)
    before = sha256(folder / EXPORT.name)
    out = tmp_path / "out"
    result = _batch(cli, folder, "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Đã lập 1/1 báo cáo; 0 sổ lỗi." in text
    assert EXPORT_SET_ASIDE in text
    assert _listing(out) == [SAMPLE_REPORT, "tong_hop_9m_2024.xlsx"]
    _, rows, total = _summary_rows(out / "tong_hop_9m_2024.xlsx")
    assert list(rows) == ["tan_hung_2024.xlsx"]
    assert total["figures"]["reception.visits"] == SAMPLE_VISITS
    assert sha256(folder / EXPORT.name) == before


def test_a_folder_of_exports_only_is_refused_saying_what_they_are(
    cli: CliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "so"
    folder.mkdir()
    shutil.copy(EXPORT, folder / EXPORT.name)
    result = _batch(cli, folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert flat(result.output) == (
        f"Lỗi: Không tìm thấy sổ Excel nào (.xlsx, .xlsm, .xls, .ods) trong «{folder}» (đã bỏ "
        "qua 1 danh sách hồ sơ xuất từ hệ thống một cửa, không phải sổ của xã, phường: tệp này "
        "dùng bằng --ho-so hoặc dán vào trang HoSo của sổ). Ghi tên sổ hoặc thư mục chứa sổ "
        "của các xã, phường."
    )
    assert not (tmp_path / "out").exists()


def test_a_workbook_that_lost_its_thong_tin_still_fails(cli: CliRunner, tmp_path: Path) -> None:
    """Only a file holding nothing but a dossier table is an export: a commune's workbook
    missing ThongTin (it has TiepCongDan) is a failed commune, said."""
    folder = tmp_path / "so"
    folder.mkdir()
    book = openpyxl.load_workbook(SAMPLE)
    del book["ThongTin"]
    book.save(folder / "mat_thong_tin.xlsx")
    result = _batch(cli, folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    text = flat(result.output)
    assert "0 sổ lỗi" not in text and "1 sổ lỗi" in text
    assert "Không đọc" not in text


# --- the command's own mistakes are said before any work --------------------------------------


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (
            ["-p", "9x"],
            "Lỗi: Mã kỳ «9x» không hợp lệ. Dùng: 3m, 6m, 9m, 12m (N tháng đầu năm), q1–q4 (quý), "
            "t1–t12 (tháng).",
        ),
        (
            ["-p", "9m", "--from", "1/1/2024"],
            "Lỗi: Cần cả ngày bắt đầu (--from) và ngày kết thúc (--to), không chỉ một.",
        ),
    ],
)
def test_a_wrong_period_is_a_usage_error_not_a_failed_commune(
    cli: CliRunner, tmp_path: Path, options: list[str], said: str
) -> None:
    """Not one "Lỗi" row per commune and a tong_hop_9x_….xlsx: exit 2, nothing written."""
    out = tmp_path / "out"
    result = cli.invoke(app, ["batch", str(SAMPLE), *options, "-o", str(out)])
    no_traceback(result)
    assert result.exit_code == 2
    assert flat(result.output) == said
    assert not out.exists()


def test_a_workbook_left_with_its_ho_so_sheet_alone_is_a_failed_commune(
    cli: CliRunner, tmp_path: Path
) -> None:
    """A sheet named "HoSo" is the template's own: a commune's workbook that lost ThongTin and
    its other sheets fails, said — it is not set aside as an export."""
    folder = _sample_folder(tmp_path / "so")
    book = openpyxl.load_workbook(EXPORT)
    book.active.title = "HoSo"
    book.save(folder / "mat_thong_tin.xlsx")
    result = _batch(cli, folder, "-o", tmp_path / "out")
    assert result.exit_code == 1
    text = flat(result.output)
    assert "Đã lập 1/2 báo cáo; 1 sổ lỗi." in text
    assert "Không đọc" not in text
