"""Synthetic commune workbooks for benchmarks and tests.

Every workbook is valid per SPEC §1 (no errors, no warnings), its figures come from a seeded
random generator (same seed, same workbook), and every commune gets a unique name. All personal
data is invented. openpyxl's write-only mode keeps generation fast (a thousand workbooks in a
few seconds per core).

Use from Python::

    from generate import generate_communes, generate_workbook
    paths = generate_communes(folder, 1000, seed=7, receptions=50)

or from the shell: ``python benchmarks/generate.py OUT_DIR --n 1000``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import random
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from danvan_cli.schema import (
    DON_THU,
    MO_HINH,
    MOT_CUA,
    NOI_DUNG,
    THU_TUC,
    TIEP_CONG_DAN,
    VAN_BAN,
    Sheet,
)

YEAR = 2024
CANARY_NAME = "Nguyễn Văn Canary"
CANARY_ID = "001099012345"

FIRST = [
    "An",
    "Bình",
    "Cẩm",
    "Đại",
    "Đông",
    "Hòa",
    "Hồng",
    "Hưng",
    "Kim",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Ngọc",
    "Phú",
    "Phúc",
    "Quang",
    "Tân",
    "Thạch",
    "Thanh",
    "Thành",
    "Thiện",
    "Thịnh",
    "Thuận",
    "Tiên",
    "Trung",
    "Trường",
    "Vạn",
    "Việt",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Hiệp",
    "Lạc",
    "Lợi",
    "Mỹ",
    "Đức",
    "Hải",
    "Tiến",
    "Thắng",
]
SECOND = [
    "An",
    "Bình",
    "Châu",
    "Cường",
    "Đạo",
    "Điền",
    "Đồng",
    "Giang",
    "Hà",
    "Hải",
    "Hậu",
    "Hiệp",
    "Hòa",
    "Hội",
    "Hưng",
    "Khánh",
    "Lâm",
    "Lập",
    "Lộc",
    "Lợi",
    "Minh",
    "Mỹ",
    "Nghĩa",
    "Nhân",
    "Phong",
    "Phú",
    "Phước",
    "Quang",
    "Sơn",
    "Tân",
    "Thái",
    "Thành",
    "Thịnh",
    "Thọ",
    "Thủy",
    "Tiến",
    "Trạch",
    "Trung",
    "Tường",
    "Xuyên",
]
PROVINCES = (
    "Hải Phòng",
    "Hà Nội",
    "Thái Bình",
    "Nam Định",
    "Nghệ An",
    "Thanh Hóa",
    "Quảng Ninh",
    "Bắc Ninh",
    "Đồng Tháp",
    "Cần Thơ",
    "Lâm Đồng",
    "Đắk Lắk",
)
UNIT_KINDS = ("Xã", "Xã", "Xã", "Phường", "Thị trấn")
RECEPTION_MODES = ("Thường xuyên", "Định kỳ", "Ủy quyền", "Đột xuất")
MODE_WEIGHTS = (6, 3, 1, 0.3)
KINDS = ("Khiếu nại", "Tố cáo", "Kiến nghị", "Phản ánh")
KIND_WEIGHTS = (1, 0.3, 6, 2)
TOPICS = ("Đất đai", "Chính sách", "Môi trường", "Xây dựng", "An ninh trật tự")
SOURCES = ("Trực tiếp", "Bưu chính", "Chuyển đến", "Khác")
DOSSIER_FIELDS = ("Tư pháp - Hộ tịch", "Chứng thực", "Lao động - Thương binh và Xã hội", "Đất đai")
PROCEDURE_FIELDS = (
    "Hộ tịch",
    "Chứng thực",
    "Người có công",
    "Bảo trợ xã hội",
    "Đất đai",
    "Văn hóa cơ sở",
    "Thi đua - khen thưởng",
    "Hòa giải ở cơ sở",
)
GROUPS = (
    "Lãnh đạo chỉ đạo",
    "Tuyên truyền",
    "Cải cách hành chính",
    "Thủ tục hành chính",
    "Tiếp công dân",
    "Dân vận khéo",
    "Phối hợp MTTQ",
)
DOC_TYPES = ("KH", "QĐ", "TB", "CT", "BC")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu")
GIVEN = ("An", "Bình", "Cường", "Dung", "Hạnh", "Lan", "Nam", "Phúc", "Sơn", "Tâm", "Yến")


def _titles(sheet: Sheet, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Header titles in schema order: the schema is the one source of column names."""
    return tuple(column.title for column in sheet.columns if column.key not in without)


H_RECEPTION = _titles(TIEP_CONG_DAN, without=("remark",))
H_PETITION = _titles(DON_THU)
H_DOSSIER = _titles(MOT_CUA)
H_PROCEDURE = _titles(THU_TUC)
H_DOCUMENT = _titles(VAN_BAN)
H_MODEL = _titles(MO_HINH)
H_PROSE = _titles(NOI_DUNG)


@functools.lru_cache(maxsize=1)
def _name_pairs() -> list[tuple[str, str]]:
    pairs = [(a, b) for a in FIRST for b in SECOND if a != b]
    random.Random(20240914).shuffle(pairs)
    return pairs


def commune_name(index: int) -> str:
    """A unique commune name for every index: ``Tân Hưng``, … then ``Tân Hưng 2`` …"""
    pairs = _name_pairs()
    first, second = pairs[index % len(pairs)]
    round_ = index // len(pairs)
    return f"{first} {second}" + (f" {round_ + 1}" if round_ else "")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _workday(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    while True:
        day = start + dt.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5:
            return day


def _profile(rng: random.Random, name: str, kind: str, province: str, year: int) -> list[Any]:
    area = round(rng.uniform(3.0, 40.0), 2)
    villages = rng.randint(4, 18)
    return [
        ("Tên đơn vị", name),
        ("Loại đơn vị", kind),
        ("Tỉnh/Thành phố", province),
        ("Năm", year),
        ("Diện tích (km²)", area),
        ("Dân số", rng.randint(3000, 40000)),
        ("Số thôn", villages),
        ("Tên gọi thôn", "tổ dân phố" if kind != "Xã" else "thôn"),
        ("Số đảng viên", rng.randint(120, 900)),
        ("Số chi bộ", rng.randint(8, 30)),
        ("Người ký", _person(rng)),
        ("Chức vụ người ký", rng.choice(("CHỦ TỊCH", "PHÓ CHỦ TỊCH"))),
        ("Nơi nhận", "Phòng Nội vụ (b/c); TT Đảng ủy, HĐND, UBND xã"),
        ("Số CBCC vi phạm", rng.choice((0, 0, 0, 1))),
        ("Số đơn về thái độ phục vụ", rng.choice((0, 0, 1, 2))),
    ]


def _receptions(rng: random.Random, count: int, year: int, canary: bool) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    matters: list[tuple[str, str, str]] = []  # (code, mode, kind)
    start, end = dt.date(year, 1, 2), dt.date(year, 12, 14)
    for number in range(1, count + 1):
        day = _workday(rng, start, end)
        mode = rng.choices(RECEPTION_MODES, MODE_WEIGHTS)[0]
        same = [m for m in matters if m[1] == mode]
        if same and rng.random() < 0.15:
            code, _, kind = rng.choice(same)  # a second visit of a known matter
        elif rng.random() < 0.1:
            code, kind = "", rng.choices(KINDS, KIND_WEIGHTS)[0]
        else:
            code, kind = f"VV-{year}-{len(matters) + 1:03d}", rng.choices(KINDS, KIND_WEIGHTS)[0]
            matters.append((code, mode, kind))
        people = rng.choices((1, 2, 3, 4, 6, 9), (60, 15, 10, 6, 3, 1))[0]
        name = CANARY_NAME if canary and number == 1 else _person(rng)
        id_number = CANARY_ID if canary and number == 1 else f"0010{rng.randint(0, 10**8):08d}"
        rows.append(
            (
                number,
                day,
                rng.choice(("Sáng", "Chiều", None)),
                mode,
                "Chủ tịch UBND" if mode == "Định kỳ" else "Công chức tiếp dân",
                people,
                code or None,
                kind,
                rng.choice(TOPICS),
                name,
                f"Thôn {rng.randint(1, 9)}",
                id_number,
                "Đề nghị xem xét, giải quyết.",
            )
        )
    rows.append(_last_visit(year, count + 1))
    # A matter's visits must share a kind and come in date order of the first visit; sorting by
    # date keeps "first visit" well defined and the log realistic.
    rows.sort(key=lambda row: (row[1], row[0]))
    return [(index, *row[1:]) for index, row in enumerate(rows, start=1)]


def _petitions(rng: random.Random, count: int, year: int, canary: bool) -> list[tuple[Any, ...]]:
    start, end = dt.date(year, 1, 2), dt.date(year, 12, 14)
    rows = []
    for number in range(count):
        eligible = rng.random() < 0.85
        rows.append(
            (
                _workday(rng, start, end),
                rng.choices(KINDS, KIND_WEIGHTS)[0],
                rng.choice(SOURCES),
                "Có" if eligible else "Không",
                "Có" if rng.random() < 0.9 else "Không",
                CANARY_NAME if canary and number == 0 else _person(rng),
                "Kiến nghị về việc cấp giấy chứng nhận.",
            )
        )
    rows.append(_last_letter(year))
    rows.sort(key=lambda row: row[0])
    return rows


LAST_DAY = (12, 12)
"""(month, day) of each generated log's last entry: a log kept up to date, so that a report of
any period of the year finds its data complete (SPEC §6 warns of a log that stops short). The
entry is fixed, never drawn: the other rows, and every sheet after, are as before."""


def _last_visit(year: int, number: int) -> tuple[Any, ...]:
    day = dt.date(year, *LAST_DAY)
    return (
        number,
        day,
        "Sáng",
        "Thường xuyên",
        "Công chức tiếp dân",
        1,
        None,
        "Kiến nghị",
        TOPICS[0],
        "Trần Văn An",
        "Thôn 1",
        "001000000001",
        "Đề nghị xem xét, giải quyết.",
    )


def _last_letter(year: int) -> tuple[Any, ...]:
    return (
        dt.date(year, *LAST_DAY),
        KINDS[2],
        SOURCES[0],
        "Có",
        "Có",
        "Trần Văn An",
        "Kiến nghị về việc cấp giấy chứng nhận.",
    )


def _dossiers(rng: random.Random, fields: Sequence[str]) -> list[tuple[Any, ...]]:
    rows = []
    for field in fields:
        carried = 0
        for month in range(1, 13):
            online, direct = rng.randint(0, 14), rng.randint(0, 8)
            postal = rng.choice((0, 0, 0, 1))
            received = online + direct + postal
            available = carried + received
            open_in_time = rng.randint(0, min(2, available))
            open_late = 1 if available - open_in_time > 0 and rng.random() < 0.05 else 0
            resolved = available - open_in_time - open_late
            late = rng.randint(0, min(1, resolved))
            on_time = rng.randint(0, (resolved - late) // 4)
            early = resolved - late - on_time
            rows.append(
                (
                    month,
                    field,
                    carried,
                    online,
                    direct,
                    postal,
                    received,
                    early,
                    on_time,
                    late,
                    open_in_time,
                    open_late,
                )
            )
            carried = open_in_time + open_late
    return rows


def _procedures(rng: random.Random) -> list[tuple[Any, ...]]:
    rows = []
    for field in PROCEDURE_FIELDS:
        total = rng.randint(3, 30)
        full = rng.randint(0, total // 2)
        rows.append((field, total, full, rng.randint(0, total - full)))
    return rows


def _documents(rng: random.Random, year: int) -> list[tuple[Any, ...]]:
    rows = []
    for number, group in enumerate(GROUPS, start=1):
        abbreviation = rng.choice(DOC_TYPES)
        rows.append(
            (
                f"{number * 3 + rng.randint(0, 2)}/{abbreviation}-UBND",
                _workday(rng, dt.date(year, 1, 2), dt.date(year, 6, 28)),
                f"triển khai nhiệm vụ nhóm {group.lower()} năm {year}",
                None,
                group,
            )
        )
    return rows


def _write_sheet(
    book: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))


def generate_workbook(
    path: Path,
    index: int = 0,
    *,
    seed: int = 0,
    receptions: int = 50,
    year: int = YEAR,
    name: str | None = None,
    canary: bool = False,
) -> Path:
    """Write one valid commune workbook to ``path``; ``index`` picks its unique name and, with
    ``seed``, its random figures. ``canary`` puts :data:`CANARY_NAME` / :data:`CANARY_ID` in
    the first reception row and the first petition letter."""
    rng = random.Random(f"{seed}:{index}")
    unit = name or commune_name(index)
    kind = rng.choice(UNIT_KINDS)
    province = rng.choice(PROVINCES)
    book = Workbook(write_only=True)
    info = book.create_sheet("ThongTin")
    info.append(["Mục", "Giá trị"])
    for item in _profile(rng, unit, kind, province, year):
        info.append(list(item))
    reception = book.create_sheet("TiepCongDan")
    reception.append([f"SỔ TIẾP CÔNG DÂN NĂM {year}"])
    reception.append([])
    reception.append(list(H_RECEPTION))
    for row in _receptions(rng, receptions, year, canary):
        reception.append(list(row))
    letters = max(1, receptions // 2)
    _write_sheet(book, "DonThu", H_PETITION, _petitions(rng, letters, year, canary))
    fields = DOSSIER_FIELDS[: rng.randint(2, len(DOSSIER_FIELDS))]
    _write_sheet(book, "MotCua", H_DOSSIER, _dossiers(rng, fields))
    _write_sheet(book, "ThuTuc", H_PROCEDURE, _procedures(rng))
    _write_sheet(book, "VanBan", H_DOCUMENT, _documents(rng, year))
    _write_sheet(
        book,
        "MoHinh",
        H_MODEL,
        [(f"Mô hình {t.lower()} của {unit}", "Hội Nông dân xã", t, year) for t in TOPICS[:2]],
    )
    _write_sheet(
        book,
        "NoiDung",
        H_PROSE,
        [
            ("I", f"Năm {year}, tình hình kinh tế - xã hội của địa phương ổn định."),
            ("IV", "Tiếp tục thực hiện tốt công tác tiếp công dân."),
            ("IV", "Đẩy mạnh cải cách hành chính gắn với chuyển đổi số."),
        ],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _generate_one(args: tuple[Path, int, int, int, int]) -> Path:
    path, index, seed, receptions, year = args
    return generate_workbook(path, index, seed=seed, receptions=receptions, year=year)


def workbook_path(folder: Path, index: int) -> Path:
    return folder / f"xa_{index + 1:04d}.xlsx"


def generate_communes(
    folder: Path,
    n: int,
    *,
    seed: int = 0,
    receptions: int = 50,
    year: int = YEAR,
    jobs: int = 1,
) -> list[Path]:
    """Write ``n`` workbooks ``xa_0001.xlsx`` … into ``folder`` (in parallel when ``jobs`` > 1)."""
    folder.mkdir(parents=True, exist_ok=True)
    tasks = [(workbook_path(folder, i), i, seed, receptions, year) for i in range(n)]
    if jobs <= 1:
        return [_generate_one(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_generate_one, tasks, chunksize=16))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh sổ Excel giả lập cho nhiều xã.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--receptions", type=int, default=50)
    parser.add_argument("--year", type=int, default=YEAR)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate_communes(
        args.folder,
        args.n,
        seed=args.seed,
        receptions=args.receptions,
        year=args.year,
        jobs=args.jobs,
    )
    print(f"Đã sinh {len(paths)} sổ trong {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
