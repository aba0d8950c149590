"""Generate the sample workbooks of danvan.

Writes, next to this file:

- ``tan_hung_2024.xlsx``: a complete, valid workbook of xã Tân Hưng (huyện Vĩnh Bảo,
  Hải Phòng) for 2024 whose rows reproduce the figures of the real 9-month report
  (period ``9m``, window ``nd09`` = 15/12/2023 - 14/9/2024);
- ``loi_mau.xlsx``: a small workbook with the typical clerk mistakes listed in
  ``MISTAKES`` planted in known cells, and no other mistake.

Deterministic: the only randomness (fictional names, ID numbers) comes from a seeded
generator, and the saved files carry fixed timestamps, so every run writes the same bytes.
All personal data (names, addresses, ID numbers, request texts) is invented.

Run: ``python sample_data/make_samples.py``
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Every mistake planted in loi_mau.xlsx: sheet, cell (as Excel shows it, title rows
# included), severity ("lỗi" = error, "cảnh báo" = warning), the issue code that
# validate --json gives it (checks.ISSUE_TYPES), and the planted value (None = the cell
# is left blank). For row-level checks the cell is the one whose planted value breaks
# the rule.
MISTAKES: list[dict[str, Any]] = [
    # (a) typed total 320 while 206 online + 129 direct = 335 (the seed's own slip)
    {"sheet": "MotCua", "cell": "G8", "severity": "lỗi", "code": "total-mismatch", "value": 320},
    # (b) not a valid day-first date (month 25)
    {
        "sheet": "TiepCongDan",
        "cell": "B5",
        "severity": "lỗi",
        "code": "bad-date",
        "value": "13/25/2024",
    },
    # (c) negative head count
    {
        "sheet": "TiepCongDan",
        "cell": "F7",
        "severity": "lỗi",
        "code": "out-of-range",
        "value": -2,
    },
    # (d) fractional head count typed as text
    {
        "sheet": "TiepCongDan",
        "cell": "F8",
        "severity": "lỗi",
        "code": "bad-number",
        "value": "2,5",
    },
    # (e) reception mode that is not one of the choices
    {
        "sheet": "TiepCongDan",
        "cell": "D9",
        "severity": "lỗi",
        "code": "bad-choice",
        "value": "Tiếp dân",
    },
    # (f) required cell (Phân loại) left blank
    {
        "sheet": "TiepCongDan",
        "cell": "H10",
        "severity": "lỗi",
        "code": "required",
        "value": None,
    },
    # (g) a real date ten years away from the workbook year (2014 instead of 2024)
    {
        "sheet": "TiepCongDan",
        "cell": "B11",
        "severity": "cảnh báo",
        "code": "date-outside-year",
        "value": date(2014, 9, 14),
    },
    # (h) resolved + open (12) > carried + received (0 + 9)
    {"sheet": "MotCua", "cell": "H5", "severity": "lỗi", "code": "dossier-overflow", "value": 12},
    # (i) DVC toàn trình + một phần (14 + 2) > Số TTHC (15) in the "Người có công" row
    {"sheet": "ThuTuc", "cell": "C4", "severity": "lỗi", "code": "procedure-overflow", "value": 14},
    # (j) second visit of matter VV-2024-009 gives another kind than the first one
    {
        "sheet": "TiepCongDan",
        "cell": "H13",
        "severity": "cảnh báo",
        "code": "kind-mismatch",
        "value": "Phản ánh",
    },
    # (k) extra column the tool does not know
    {
        "sheet": "DonThu",
        "cell": "H3",
        "severity": "cảnh báo",
        "code": "unknown-column",
        "value": "Cột tạm",
    },
    # (l) yes/no cell holding "chưa"
    {"sheet": "DonThu", "cell": "E6", "severity": "lỗi", "code": "bad-bool", "value": "chưa"},
    # (m) formula written by a script, never calculated: no cached value
    {
        "sheet": "MotCua",
        "cell": "G6",
        "severity": "lỗi",
        "code": "formula-no-value",
        "value": "=D6+E6+F6",
    },
    # (n) document group that is not one of the seven groups
    {
        "sheet": "VanBan",
        "cell": "E6",
        "severity": "lỗi",
        "code": "bad-choice",
        "value": "Văn bản khác",
    },
    # (o) "Kỳ trước chuyển sang" of Chứng thực in month 3 is 3, its open total in month 2 is 1
    {
        "sheet": "MotCua",
        "cell": "C9",
        "severity": "cảnh báo",
        "code": "carry-mismatch",
        "value": 3,
    },
]

HERE = Path(__file__).resolve().parent
YEAR = 2024
WINDOW_END = date(2024, 9, 14)  # end of the nd09 window of period 9m 2024
FIXED_TIME = datetime(2024, 9, 20, 8, 0, 0)  # stamped into the files for reproducibility
DATE_FORMAT = "DD/MM/YYYY"

CANARY_NAME = "Nguyễn Văn Canary"
CANARY_ID = "001099012345"

# Public holidays of 2024 on weekdays (Tết, Giỗ Tổ, 30/4 - 1/5, Quốc khánh).
HOLIDAYS = {
    date(2024, 1, 1),
    *(date(2024, 2, d) for d in range(8, 15)),
    date(2024, 4, 18),
    date(2024, 4, 30),
    date(2024, 5, 1),
    date(2024, 9, 2),
    date(2024, 9, 3),
    # 2023, for tan_hung_2023.xlsx: 2/1 (for 1/1, a Sunday), Tết, 29/4 - 3/5, 1 - 4/9.
    date(2023, 1, 2),
    *(date(2023, 1, d) for d in range(20, 27)),
    *(date(2023, 5, d) for d in range(1, 4)),
    date(2023, 9, 1),
    date(2023, 9, 4),
}

# --------------------------------------------------------------------------- headers

H_RECEPTION = [
    "STT",
    "Ngày tiếp",
    "Buổi",
    "Hình thức tiếp",
    "Người tiếp",
    "Số người",
    "Mã vụ việc",
    "Phân loại",
    "Lĩnh vực",
    "Họ tên",
    "Địa chỉ",
    "Số CCCD",
    "Nội dung",
    "Ghi chú",
]
W_RECEPTION = [6, 12, 8, 14, 26, 9, 14, 12, 13, 22, 16, 15, 60, 22]

H_PETITION = [
    "Ngày nhận",
    "Phân loại",
    "Nguồn đơn",
    "Đủ điều kiện xử lý",
    "Đã xử lý",
    "Người gửi",
    "Nội dung",
]
W_PETITION = [12, 12, 13, 10, 10, 22, 60]

H_DOSSIER = [
    "Tháng",
    "Lĩnh vực",
    "Kỳ trước chuyển sang",
    "Trực tuyến",
    "Trực tiếp",
    "Bưu chính",
    "Tổng tiếp nhận",
    "Trước hạn",
    "Đúng hạn",
    "Quá hạn",
    "Đang giải quyết trong hạn",
    "Đang giải quyết quá hạn",
]
W_DOSSIER = [7, 32, 11, 10, 10, 10, 10, 10, 10, 10, 12, 12]

H_PROCEDURE = ["Lĩnh vực", "Số TTHC", "DVC toàn trình", "DVC một phần"]
W_PROCEDURE = [42, 10, 12, 12]

H_DOCUMENT = ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Nhóm"]
W_DOCUMENT = [22, 13, 80, 30, 22]

H_MODEL = ["Tên mô hình", "Đơn vị thực hiện", "Lĩnh vực", "Năm công nhận"]
W_MODEL = [60, 60, 18, 12]

H_PROSE = ["Mục", "Nội dung"]
W_PROSE = [8, 120]

# --------------------------------------------------------------------------- profile

PROFILE: list[tuple[str, Any]] = [
    ("Tên đơn vị", "Tân Hưng"),
    ("Loại đơn vị", "Xã"),
    ("Huyện", "Vĩnh Bảo"),
    ("Tỉnh/Thành phố", "Hải Phòng"),
    ("Năm", YEAR),
    ("Diện tích (km²)", 7.02),
    ("Dân số", 7506),
    ("Số thôn", 7),
    ("Tên gọi thôn", "thôn"),
    ("Số đảng viên", 288),
    ("Số chi bộ", 13),
    (
        "Cơ cấu chi bộ",
        "07 chi bộ nông nghiệp, 03 chi bộ trường học, 01 chi bộ y tế, "
        "01 chi bộ công an và 01 chi bộ quân sự",
    ),
    (
        "Vị trí địa lý",
        "Xã nằm liền kề trung tâm huyện Vĩnh Bảo: phía Đông giáp thị trấn Vĩnh Bảo và "
        "xã Nhân Hòa; phía Tây giáp xã An Hòa; phía Nam giáp xã Hưng Nhân và xã Vinh Quang; "
        "phía Bắc giáp xã Trung Lập và xã Hùng Tiến.",
    ),
    ("Người ký", "Phạm Văn Lượng"),
    ("Chức vụ người ký", "CHỦ TỊCH"),
    ("Số văn bản", None),
    (
        "Nơi nhận",
        "Phòng Nội vụ huyện (b/c)\nTT Đảng ủy, HĐND, UBND, UBMTTQ xã\nCác ngành liên quan",
    ),
    ("Số CBCC vi phạm", 0),
    ("Số đơn về thái độ phục vụ", 0),
]

# --------------------------------------------------------------------------- prose

PROSE: list[tuple[str, str]] = [
    (
        "I",
        "Năm 2024, kinh tế - xã hội của xã tiếp tục phát triển ổn định; sản xuất nông "
        "nghiệp giữ được năng suất, các ngành dịch vụ, thương mại, tiểu thủ công nghiệp duy "
        "trì mức tăng khá. Xã tiếp tục giữ vững các tiêu chí nông thôn mới nâng cao (đạt "
        "chuẩn năm 2022) và nông thôn mới kiểu mẫu (đạt chuẩn năm 2023); quốc phòng, an "
        "ninh được bảo đảm, trật tự an toàn xã hội ổn định; Nhân dân phấn khởi, đồng thuận "
        "với chủ trương của Đảng ủy và sự điều hành của chính quyền.",
    ),
    (
        "I",
        "Tuy vậy, địa phương vẫn còn những khó khăn nhất định: sản xuất còn nhỏ lẻ, thu "
        "nhập của một bộ phận người dân chưa cao; thời tiết cực đoan, dịch bệnh trên cây "
        "trồng, vật nuôi và giá vật tư đầu vào tăng đã tác động đến đời sống Nhân dân. Vì "
        "vậy, cấp ủy, chính quyền xã xác định phải tiếp tục làm tốt công tác dân vận, tạo "
        "sự đồng thuận trong Nhân dân để hoàn thành các chỉ tiêu theo Nghị quyết số "
        "36/NQ-HĐND ngày 30/12/2023 của Hội đồng nhân dân xã về nhiệm vụ phát triển kinh "
        "tế - xã hội, quốc phòng - an ninh năm 2024.",
    ),
    (
        "IV",
        "Tiếp tục tuyên truyền, quán triệt trong cán bộ, công chức, người lao động các văn "
        "bản của Trung ương, thành phố và huyện về công tác dân vận chính quyền; gắn công "
        "tác dân vận với việc hoàn thành các chỉ tiêu phát triển kinh tế - xã hội năm 2024.",
    ),
    (
        "IV",
        "Đẩy mạnh phong trào thi đua “Dân vận khéo”; phát hiện, bồi dưỡng và nhân rộng "
        "các mô hình, điển hình tiêu biểu, gắn với việc thực hiện Chỉ thị số 05-CT/TW của "
        "Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí "
        "Minh.",
    ),
    (
        "IV",
        "Siết chặt kỷ luật, kỷ cương hành chính; nâng cao đạo đức công vụ, tinh thần, thái "
        "độ phục vụ Nhân dân của đội ngũ cán bộ, công chức; duy trì nền nếp văn hóa công sở "
        "tại trụ sở Ủy ban nhân dân xã.",
    ),
    (
        "IV",
        "Đẩy mạnh cải cách hành chính gắn với chuyển đổi số; nâng tỷ lệ hồ sơ tiếp nhận và "
        "giải quyết trực tuyến, khai thác hiệu quả Hệ thống thông tin giải quyết thủ tục "
        "hành chính và ứng dụng “Hải Phòng Smart”.",
    ),
    (
        "IV",
        "Duy trì nghiêm lịch tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân xã; giải "
        "quyết kịp thời, dứt điểm kiến nghị, phản ánh của Nhân dân ngay từ cơ sở, không để "
        "phát sinh vụ việc đông người, phức tạp, kéo dài.",
    ),
    (
        "IV",
        "Phối hợp chặt chẽ với Ủy ban Mặt trận Tổ quốc Việt Nam xã và các tổ chức chính trị "
        "- xã hội trong giám sát, phản biện xã hội, góp ý xây dựng Đảng, xây dựng chính "
        "quyền; chủ động nắm bắt tâm tư, nguyện vọng của Nhân dân để kịp thời tham mưu cấp "
        "ủy lãnh đạo, chỉ đạo giải quyết.",
    ),
]

# --------------------------------------------------------------------------- documents

DISTRICT = "UBND huyện Vĩnh Bảo"
BLOCK = "Khối Dân vận Đảng ủy và UBND xã"
POLITBURO = "Bộ Chính trị"

# (number, date, summary, issuer or None for the commune's own, group)
DOCUMENTS: list[tuple[str, date, str, str | None, str]] = [
    (
        "51/KH-UBND",
        date(2024, 2, 20),
        "triển khai thực hiện nhiệm vụ công tác dân vận năm 2024 của cơ quan hành chính "
        "nhà nước, chính quyền các cấp trên địa bàn huyện",
        DISTRICT,
        "Lãnh đạo chỉ đạo",
    ),
    (
        "94/KH-UBND",
        date(2024, 3, 12),
        "thực hiện phong trào “Dân vận khéo” năm 2024",
        DISTRICT,
        "Lãnh đạo chỉ đạo",
    ),
    (
        "45/QĐ-UBND",
        date(2023, 1, 11),
        "ban hành tiêu chí chấm điểm và xếp loại công tác dân vận của các cơ quan nhà nước "
        "trên địa bàn huyện",
        DISTRICT,
        "Lãnh đạo chỉ đạo",
    ),
    (
        "17/KH-UBND",
        date(2024, 2, 22),
        "triển khai thực hiện nhiệm vụ công tác dân vận chính quyền năm 2024 trên địa bàn "
        "xã Tân Hưng",
        None,
        "Lãnh đạo chỉ đạo",
    ),
    (
        "34/KH-UBND",
        date(2024, 3, 25),
        "tuyên truyền, triển khai thực hiện công tác dân vận chính quyền trên địa bàn xã năm 2024",
        None,
        "Tuyên truyền",
    ),
    (
        "224-QĐ/HU",
        date(2021, 12, 29),
        "ban hành Quy chế công tác dân vận của hệ thống chính trị huyện Vĩnh Bảo",
        "Ban Thường vụ Huyện ủy",
        "Tuyên truyền",
    ),
    (
        "17-CTr/KDVĐU-UBND",
        date(2024, 2, 26),
        "phối hợp giữa Khối Dân vận Đảng ủy và Ủy ban nhân dân xã",
        BLOCK,
        "Tuyên truyền",
    ),
    (
        "24-KH/DVĐU-UBND",
        date(2024, 2, 15),
        "phối hợp thực hiện công tác dân vận năm 2024",
        BLOCK,
        "Tuyên truyền",
    ),
    (
        "26/CT-TTg",
        date(2016, 9, 5),
        "tăng cường kỷ luật, kỷ cương trong các cơ quan hành chính nhà nước các cấp",
        "Thủ tướng Chính phủ",
        "Cải cách hành chính",
    ),
    (
        "06/QĐ-UBND",
        date(2024, 1, 19),
        "ban hành Kế hoạch cải cách hành chính nhà nước xã Tân Hưng năm 2024",
        None,
        "Cải cách hành chính",
    ),
    (
        "01/CT-UBND",
        date(2024, 1, 15),
        "triển khai thực hiện Luật Thi đua, khen thưởng; tổ chức các phong trào thi đua "
        "yêu nước thực hiện thắng lợi chủ đề năm 2024 của huyện",
        None,
        "Cải cách hành chính",
    ),
    (
        "31/KH-UBND",
        date(2024, 3, 18),
        "tuyên truyền cải cách hành chính nhà nước xã Tân Hưng năm 2024",
        None,
        "Cải cách hành chính",
    ),
    (
        "325/QĐ-UBND",
        date(2024, 2, 20),
        "kiểm soát thủ tục hành chính và cơ chế một cửa, một cửa liên thông năm 2024",
        DISTRICT,
        "Thủ tục hành chính",
    ),
    (
        "14/QĐ-UBND",
        date(2024, 2, 20),
        "ban hành Kế hoạch thực hiện kiểm soát thủ tục hành chính và cơ chế một cửa, một "
        "cửa liên thông năm 2024",
        None,
        "Thủ tục hành chính",
    ),
    (
        "02/2017/TT-VPCP",
        date(2017, 10, 31),
        "hướng dẫn về nghiệp vụ kiểm soát thủ tục hành chính",
        "Văn phòng Chính phủ",
        "Thủ tục hành chính",
    ),
    (
        "1291/QĐ-TTg",
        date(2019, 10, 7),
        "phê duyệt danh mục thủ tục hành chính của các cơ quan ngành dọc thực hiện tiếp "
        "nhận hồ sơ tại Bộ phận Một cửa",
        "Thủ tướng Chính phủ",
        "Thủ tục hành chính",
    ),
    (
        "03/KH-UBND",
        date(2024, 1, 3),
        "tiếp công dân và giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh trên địa bàn "
        "xã Tân Hưng năm 2024",
        None,
        "Tiếp công dân",
    ),
    (
        "02/TB-UBND",
        date(2024, 1, 3),
        "lịch tiếp công dân định kỳ, đột xuất năm 2024 của Chủ tịch UBND xã Tân Hưng",
        None,
        "Tiếp công dân",
    ),
    (
        "04/QĐ-UBND",
        date(2023, 1, 3),
        "ban hành Quy chế phối hợp trong công tác tiếp công dân tại trụ sở UBND xã Tân "
        "Hưng, Nội quy tiếp công dân",
        None,
        "Tiếp công dân",
    ),
    (
        "28/KH-UBND",
        date(2024, 3, 13),
        "thực hiện phong trào “Dân vận khéo” năm 2024",
        None,
        "Dân vận khéo",
    ),
    (
        "05-CT/TW",
        date(2016, 5, 15),
        "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        POLITBURO,
        "Dân vận khéo",
    ),
    (
        "01-KL/TW",
        date(2021, 5, 18),
        "tiếp tục thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy "
        "mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        POLITBURO,
        "Dân vận khéo",
    ),
    (
        "217-QĐ/TW",
        date(2013, 12, 12),
        "ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc Việt Nam và "
        "các đoàn thể chính trị - xã hội",
        POLITBURO,
        "Phối hợp MTTQ",
    ),
    (
        "218-QĐ/TW",
        date(2013, 12, 12),
        "ban hành Quy định về việc Mặt trận Tổ quốc Việt Nam, các đoàn thể chính trị - xã "
        "hội và Nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền",
        POLITBURO,
        "Phối hợp MTTQ",
    ),
]

# --------------------------------------------------------------------------- models

MODELS: list[tuple[str, str, str, int]] = [
    (
        "Trồng cây xanh",
        "Hội Nông dân, Hội Phụ nữ, Hội Cựu chiến binh và Đoàn Thanh niên xã",
        "Môi trường",
        2024,
    ),
    ("Camera an ninh", "Ban Công an xã", "An ninh trật tự", 2024),
    (
        "Chi hội phụ nữ phân loại và xử lý rác thải hữu cơ thành phân bón vi sinh tại hộ gia đình",
        "Hội LHPN xã",
        "Môi trường",
        2024,
    ),
]

# --------------------------------------------------------------------------- procedures

# (field, procedures, fully online, partly online): 13 fields, 120 / 47 / 9
PROCEDURES: list[tuple[str, int, int, int]] = [
    ("Hộ tịch", 28, 14, 2),
    ("Chứng thực", 11, 5, 0),
    ("Người có công", 15, 6, 2),
    ("Bảo trợ xã hội", 10, 5, 1),
    ("Đất đai", 4, 0, 1),
    ("Văn hóa cơ sở", 8, 3, 0),
    ("Thi đua - khen thưởng", 8, 4, 0),
    ("Nuôi con nuôi", 5, 0, 1),
    ("Phổ biến, giáo dục pháp luật", 5, 2, 0),
    ("Hòa giải ở cơ sở", 4, 1, 0),
    ("Tín ngưỡng, tôn giáo", 6, 3, 0),
    ("Trẻ em", 6, 2, 1),
    ("Nông nghiệp và phát triển nông thôn", 10, 2, 1),
]

# --------------------------------------------------------------------------- dossiers

# Newly received dossiers per field and month 1..9: (online, direct).
DOSSIER_IN: dict[str, tuple[list[int], list[int]]] = {
    "Tư pháp - Hộ tịch": ([12, 11, 14, 13, 15, 14, 13, 14, 14], [5, 4, 5, 4, 5, 4, 5, 4, 4]),
    "Chứng thực": ([3, 3, 4, 3, 4, 3, 4, 3, 3], [6, 5, 6, 5, 6, 5, 6, 5, 6]),
    "Lao động - Thương binh và Xã hội": (
        [4, 5, 4, 5, 4, 5, 4, 5, 4],
        [1, 1, 1, 1, 2, 1, 1, 1, 1],
    ),
    "Đất đai": ([1, 1, 1, 1, 2, 1, 1, 1, 1], [1, 1, 1, 2, 1, 1, 1, 1, 1]),
    "Văn hóa": ([0, 1, 1, 0, 1, 1, 0, 1, 1], [1, 0, 0, 1, 0, 1, 0, 1, 0]),
}
# Still open at the end of a month: (field, month) -> (in time, overdue).
DOSSIER_OPEN: dict[tuple[str, int], tuple[int, int]] = {
    ("Tư pháp - Hộ tịch", 2): (2, 0),
    ("Tư pháp - Hộ tịch", 5): (1, 0),
    ("Tư pháp - Hộ tịch", 8): (1, 0),
    ("Chứng thực", 4): (1, 0),
    ("Lao động - Thương binh và Xã hội", 7): (2, 0),
    ("Đất đai", 3): (1, 0),
    ("Đất đai", 5): (1, 1),
}
# Dossiers resolved after their deadline: (field, month) -> count.
DOSSIER_LATE: dict[tuple[str, int], int] = {
    ("Đất đai", 6): 1,
    ("Đất đai", 8): 1,
    ("Tư pháp - Hộ tịch", 9): 1,
}

# --------------------------------------------------------------------------- reception

MODE_TX, MODE_DK, MODE_UQ = "Thường xuyên", "Định kỳ", "Ủy quyền"
KIND = "Kiến nghị"

# Thường xuyên: one visit, one person, one matter per day (26 distinct days).
TX_DAYS = [
    date(2024, 1, 3),
    date(2024, 1, 16),
    date(2024, 1, 29),
    date(2024, 2, 2),
    date(2024, 2, 19),
    date(2024, 2, 28),
    date(2024, 3, 5),
    date(2024, 3, 14),
    date(2024, 3, 20),
    date(2024, 4, 2),
    date(2024, 4, 9),
    date(2024, 4, 23),
    date(2024, 5, 7),
    date(2024, 5, 14),
    date(2024, 5, 21),
    date(2024, 5, 29),
    date(2024, 6, 4),
    date(2024, 6, 13),
    date(2024, 6, 27),
    date(2024, 7, 3),
    date(2024, 7, 16),
    date(2024, 7, 30),
    date(2024, 8, 6),
    date(2024, 8, 15),
    date(2024, 8, 29),
    date(2024, 9, 12),
]
TX_NO_CODE = {3, 9, 16, 22}  # matters logged without a code (each its own matter)
TX_CANARY = 5  # the Thường xuyên matter whose citizen is the privacy canary

# Định kỳ: the chairman's periodic days (around the 10th and 25th); two days have a
# morning and an afternoon session, so 18 days = 20 sessions = 20 visits.
DK_SESSIONS = [
    (date(2024, 1, 10), "Sáng"),
    (date(2024, 1, 25), "Sáng"),
    (date(2024, 2, 6), "Sáng"),
    (date(2024, 2, 26), "Sáng"),
    (date(2024, 3, 11), "Sáng"),
    (date(2024, 3, 25), "Sáng"),
    (date(2024, 3, 25), "Chiều"),
    (date(2024, 4, 10), "Sáng"),
    (date(2024, 4, 25), "Sáng"),
    (date(2024, 5, 10), "Sáng"),
    (date(2024, 5, 24), "Sáng"),
    (date(2024, 6, 10), "Sáng"),
    (date(2024, 6, 25), "Sáng"),
    (date(2024, 7, 10), "Sáng"),
    (date(2024, 7, 10), "Chiều"),
    (date(2024, 7, 25), "Sáng"),
    (date(2024, 8, 12), "Sáng"),
    (date(2024, 8, 26), "Sáng"),
    (date(2024, 9, 10), "Sáng"),
    (date(2024, 9, 13), "Sáng"),
]
DK_PEOPLE = [2, 1, 3, 1, 2, 1, 4, 2, 1, 1, 2, 3, 1, 2, 1, 4, 2, 1, 2, 1]  # 37
DK_REPEATS = {5: 1, 12: 7, 16: 10}  # visit index -> earlier visit of the same matter

# Ủy quyền: a vice-chairman receives on the chairman's behalf, 7 days.
UQ_SESSIONS = [
    (date(2024, 2, 21), "Sáng"),
    (date(2024, 4, 17), "Sáng"),
    (date(2024, 5, 15), "Sáng"),
    (date(2024, 6, 19), "Sáng"),
    (date(2024, 7, 17), "Sáng"),
    (date(2024, 8, 21), "Sáng"),
    (date(2024, 9, 5), "Sáng"),
]
UQ_PEOPLE = [4, 3, 3, 2, 3, 2, 3]  # 20
UQ_REPEATS = {4: 1}

# After the 9m window (16-19/9/2024): must not count for period 9m.
LATE_VISITS = [
    (date(2024, 9, 16), "Sáng", MODE_TX, 1),
    (date(2024, 9, 17), "Chiều", MODE_TX, 2),
    (date(2024, 9, 19), "Sáng", MODE_DK, 3),
]

FIELD_WEIGHTS = ["Đất đai"] * 4 + ["Chính sách"] * 3 + ["Môi trường"] * 2 + ["Xây dựng"] * 2
FIELD_WEIGHTS += ["Giao thông"]

REQUESTS = {
    "Đất đai": [
        "Đề nghị đo đạc, xác định lại mốc giới thửa đất giáp ranh với hộ liền kề.",
        "Đề nghị hướng dẫn thủ tục cấp giấy chứng nhận quyền sử dụng đất lần đầu.",
        "Kiến nghị xem xét việc hộ liền kề xây tường lấn ra lối đi chung.",
        "Đề nghị cung cấp thông tin quy hoạch khu đất dịch vụ của thôn.",
        "Đề nghị hướng dẫn thủ tục tách thửa, chuyển quyền sử dụng đất cho con.",
    ],
    "Chính sách": [
        "Đề nghị xem xét hồ sơ hưởng trợ cấp xã hội hằng tháng cho người cao tuổi.",
        "Đề nghị hướng dẫn hoàn thiện hồ sơ hưởng chế độ người có công.",
        "Đề nghị hỗ trợ thẻ bảo hiểm y tế cho hộ cận nghèo.",
        "Đề nghị xem xét hỗ trợ sửa chữa nhà ở cho gia đình chính sách.",
    ],
    "Môi trường": [
        "Kiến nghị xử lý việc đổ rác thải không đúng nơi quy định ven đường trục thôn.",
        "Kiến nghị nạo vét rãnh thoát nước khu dân cư bị ứ đọng.",
        "Kiến nghị xử lý mùi hôi từ khu chăn nuôi gần khu dân cư.",
    ],
    "Xây dựng": [
        "Đề nghị hướng dẫn thủ tục xây dựng nhà ở riêng lẻ.",
        "Kiến nghị việc công trình của hộ liền kề làm nứt tường nhà.",
    ],
    "Giao thông": [
        "Kiến nghị sửa chữa đoạn đường trục thôn bị lún, hư hỏng.",
        "Đề nghị lắp đặt đèn chiếu sáng tuyến đường liên thôn.",
    ],
}
OFFICER_BY_FIELD = {
    "Đất đai": "Công chức Địa chính - Xây dựng",
    "Xây dựng": "Công chức Địa chính - Xây dựng",
    "Giao thông": "Công chức Địa chính - Xây dựng",
    "Môi trường": "Công chức Địa chính - Xây dựng",
    "Chính sách": "Công chức Văn hóa - Xã hội",
}
CHAIRMAN = "Chủ tịch UBND xã"
VICE_CHAIRMAN = "Phó Chủ tịch UBND xã"

PETITION_TEXTS = [
    "Đề nghị xem xét giải quyết tranh chấp lối đi chung giữa hai hộ gia đình.",
    "Đề nghị điều chỉnh sai sót thông tin trên giấy chứng nhận quyền sử dụng đất.",
    "Kiến nghị việc chậm chi trả tiền hỗ trợ sản xuất lúa.",
    "Đề nghị xem xét hỗ trợ hộ gia đình có hoàn cảnh khó khăn.",
    "Kiến nghị xử lý nước thải chăn nuôi chảy ra kênh tưới tiêu.",
    "Đề nghị sửa chữa cống thoát nước bị vỡ trên đường trục thôn.",
    "Đề nghị xác nhận nguồn gốc đất để làm thủ tục cấp giấy chứng nhận.",
]
SOURCES = ["Trực tiếp", "Bưu chính", "Trực tiếp", "Chuyển đến"]

# --------------------------------------------------------------------------- fake people

FAMILY = ["Nguyễn", "Trần", "Phạm", "Vũ", "Đỗ", "Hoàng", "Bùi", "Đặng", "Lê", "Đào", "Lương"]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân"]
FEMALE_MIDDLE = ["Thị", "Thị", "Ngọc", "Thu", "Thanh"]
MALE_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khánh", "Long", "Nam", "Quân"]
MALE_GIVEN += ["Sơn", "Thắng", "Tuấn", "Phong", "Toản", "Vinh"]
FEMALE_GIVEN = ["Dung", "Giang", "Hà", "Hạnh", "Hoa", "Lan", "Mai", "Nga", "Thảo", "Yến"]
FEMALE_GIVEN += ["Huệ", "Liên", "Nhung", "Oanh"]
# Fictional village names used only for invented addresses.
VILLAGES = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ"]


class FakePeople:
    """Seeded generator of invented citizens (name, address, 12-digit ID)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = {CANARY_ID}

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        female = rng.random() < 0.45
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        name = f"{rng.choice(FAMILY)} {middle} {given}"
        address = f"thôn {rng.choice(VILLAGES)}, xã Tân Hưng"
        while True:
            year = rng.randint(1950, 1999)
            ident = f"031{1 if female else 0}{year % 100:02d}{rng.randint(0, 999999):06d}"
            if ident not in self.used:
                self.used.add(ident)
                return name, address, ident


# --------------------------------------------------------------------------- helpers


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in HOLIDAYS


def next_workday(day: date) -> date:
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def write_table(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int],
    title: str | None = None,
) -> int:
    """Write an optional title (row 1, blank row 2), the header and the rows.

    Returns the header's row number.
    """
    header_row = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        header_row = 3
    for col, name in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return header_row


def write_profile(ws: Worksheet, profile: Sequence[tuple[str, Any]] = PROFILE) -> None:
    write_table(ws, ["Mục", "Giá trị"], profile, [28, 90])
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "danvan sample_data/make_samples.py"
    wb.properties.title = "Sổ số liệu công tác dân vận chính quyền"
    wb.properties.created = FIXED_TIME
    return wb


def save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps (document properties and zip entries)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{stamp}\g<2>",
                    text,
                )
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, data)
    path.write_bytes(out.getvalue())


# --------------------------------------------------------------------------- Tân Hưng


class ReceptionPlan(NamedTuple):
    """One year's reception log: the visits of each mode (days, sessions, people, which
    visits are a matter's second one) and the visits after the 9m window."""

    year: int
    seed: int
    tx_days: list[date]
    tx_no_code: set[int]
    tx_canary: int
    dk_sessions: list[tuple[date, str]]
    dk_people: list[int]
    dk_repeats: dict[int, int]
    uq_sessions: list[tuple[date, str]]
    uq_people: list[int]
    uq_repeats: dict[int, int]
    late_visits: list[tuple[date, str, str, int]]
    tx_repeats: dict[int, int]


PLAN_2024 = ReceptionPlan(
    year=YEAR,
    seed=14092024,
    tx_days=TX_DAYS,
    tx_no_code=TX_NO_CODE,
    tx_canary=TX_CANARY,
    dk_sessions=DK_SESSIONS,
    dk_people=DK_PEOPLE,
    dk_repeats=DK_REPEATS,
    uq_sessions=UQ_SESSIONS,
    uq_people=UQ_PEOPLE,
    uq_repeats=UQ_REPEATS,
    late_visits=LATE_VISITS,
    tx_repeats={},
)


def reception_rows(people: FakePeople, plan: ReceptionPlan = PLAN_2024) -> list[list[Any]]:
    rng = random.Random(plan.seed)
    # visit: (day, session, mode, officer, count, matter key, note)
    visits: list[tuple[date, str | None, str, str, int, str, str | None]] = []
    for i, day in enumerate(plan.tx_days):
        session = ["Sáng", "Chiều", None][i % 3]
        note = "Tiếp lần 2" if i in plan.tx_repeats else None
        visits.append((day, session, MODE_TX, "", 1, f"tx{plan.tx_repeats.get(i, i)}", note))
    for i, (day, session) in enumerate(plan.dk_sessions):
        key = f"dk{plan.dk_repeats.get(i, i)}"
        note = "Tiếp lần 2" if i in plan.dk_repeats else None
        visits.append((day, session, MODE_DK, CHAIRMAN, plan.dk_people[i], key, note))
    for i, (day, session) in enumerate(plan.uq_sessions):
        key = f"uq{plan.uq_repeats.get(i, i)}"
        note = "Chủ tịch ủy quyền; tiếp lần 2" if i in plan.uq_repeats else "Chủ tịch ủy quyền"
        visits.append((day, session, MODE_UQ, VICE_CHAIRMAN, plan.uq_people[i], key, note))
    for i, (day, session, mode, count) in enumerate(plan.late_visits):
        officer = CHAIRMAN if mode == MODE_DK else ""
        visits.append((day, session, mode, officer, count, f"late{i}", None))

    order = {"Sáng": 0, "Chiều": 1, None: 2}
    visits.sort(key=lambda v: (v[0], order[v[1]], v[2]))

    matters: dict[str, dict[str, Any]] = {}
    next_code = 1
    rows: list[list[Any]] = []
    for stt, (day, session, mode, officer, count, key, note) in enumerate(visits, start=1):
        if key not in matters:
            field = rng.choice(FIELD_WEIGHTS)
            if key == f"tx{plan.tx_canary}":
                who = (CANARY_NAME, "thôn Trung, xã Tân Hưng", CANARY_ID)
            else:
                who = people.person()
            code = None
            if not (key.startswith("tx") and int(key[2:]) in plan.tx_no_code):
                code = f"VV-{plan.year}-{next_code:03d}"
                next_code += 1
            matters[key] = {
                "field": field,
                "who": who,
                "code": code,
                "text": rng.choice(REQUESTS[field]),
            }
        m = matters[key]
        if not officer:
            officer = OFFICER_BY_FIELD[m["field"]]
        if note is None and mode == MODE_TX:
            note = "Đã hướng dẫn, trả lời trực tiếp" if stt % 2 else None
        name, address, ident = m["who"]
        rows.append(
            [
                stt,
                day,
                session,
                mode,
                officer,
                count,
                m["code"],
                KIND,
                m["field"],
                name,
                address,
                ident,
                m["text"],
                note,
            ]
        )
    return rows


def petition_rows(people: FakePeople) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i in range(26):
        day = next_workday(date(2024, 1, 4) + timedelta(days=round(i * 9.7)))
        assert day <= WINDOW_END
        sender = CANARY_NAME if i == 7 else people.person()[0]
        text = PETITION_TEXTS[i % len(PETITION_TEXTS)]
        rows.append([day, KIND, SOURCES[i % len(SOURCES)], "Có", "Có", sender, text])
    # Received after the 9m window, still being handled.
    rows.append(
        [
            date(2024, 9, 17),
            KIND,
            "Bưu chính",
            "Có",
            "Không",
            people.person()[0],
            PETITION_TEXTS[2],
        ]
    )
    return rows


def dossier_rows(
    arrivals: dict[str, tuple[list[int], list[int]]] = DOSSIER_IN,
    still_open: dict[tuple[str, int], tuple[int, int]] = DOSSIER_OPEN,
    late_ones: dict[tuple[str, int], int] = DOSSIER_LATE,
) -> list[list[Any]]:
    rows: list[list[Any]] = []
    open_prev = dict.fromkeys(arrivals, 0)
    for month in range(1, 10):
        for field, (online, direct) in arrivals.items():
            carried = open_prev[field]
            received = online[month - 1] + direct[month - 1]
            in_time, overdue = still_open.get((field, month), (0, 0))
            resolved = carried + received - in_time - overdue
            late = late_ones.get((field, month), 0)
            assert resolved >= late >= 0, (field, month)
            rows.append(
                [
                    month,
                    field,
                    carried,
                    online[month - 1],
                    direct[month - 1],
                    0,
                    received,
                    resolved - late,
                    0,
                    late,
                    in_time,
                    overdue,
                ]
            )
            open_prev[field] = in_time + overdue
    assert all(v == 0 for v in open_prev.values()), "month 9 must close every dossier"
    return rows


def check_inputs() -> None:
    """Guard the hand-written tables against typos before writing anything."""
    in_window = TX_DAYS + [d for d, _ in DK_SESSIONS + UQ_SESSIONS]
    after = [v[0] for v in LATE_VISITS]
    assert all(is_workday(d) for d in in_window + after), "reception on a non-working day"
    assert all(date(YEAR, 1, 1) <= d <= WINDOW_END for d in in_window)
    assert all(WINDOW_END < d <= date(YEAR, 9, 19) for d in after)
    assert len(TX_DAYS) == len(set(TX_DAYS)) == 26
    assert len(DK_SESSIONS) == len(set(DK_SESSIONS)) == 20 and sum(DK_PEOPLE) == 37
    assert len(UQ_SESSIONS) == len(set(UQ_SESSIONS)) == 7 and sum(UQ_PEOPLE) == 20
    assert max(DK_PEOPLE + UQ_PEOPLE) <= 4
    online = sum(sum(o) for o, _ in DOSSIER_IN.values())
    direct = sum(sum(d) for _, d in DOSSIER_IN.values())
    assert (online, direct) == (206, 114), (online, direct)
    assert sum(DOSSIER_LATE.values()) == 3
    assert len(PROCEDURES) == 13
    assert [sum(p[i] for p in PROCEDURES) for i in (1, 2, 3)] == [120, 47, 9]
    assert all(p[2] + p[3] <= p[1] for p in PROCEDURES)


def build_tan_hung(path: Path) -> None:
    check_inputs()
    people = FakePeople(seed=20240914)
    wb = new_workbook()
    write_profile(wb.create_sheet("ThongTin"))
    write_table(
        wb.create_sheet("TiepCongDan"),
        H_RECEPTION,
        reception_rows(people),
        W_RECEPTION,
        title=f"SỔ TIẾP CÔNG DÂN NĂM {YEAR}",
    )
    write_table(
        wb.create_sheet("DonThu"),
        H_PETITION,
        petition_rows(people),
        W_PETITION,
        title=f"SỔ THEO DÕI TIẾP NHẬN, XỬ LÝ ĐƠN THƯ NĂM {YEAR}",
    )
    write_table(
        wb.create_sheet("MotCua"),
        H_DOSSIER,
        dossier_rows(),
        W_DOSSIER,
        title=f"TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM {YEAR}",
    )
    write_table(wb.create_sheet("ThuTuc"), H_PROCEDURE, PROCEDURES, W_PROCEDURE)
    write_table(
        wb.create_sheet("VanBan"),
        H_DOCUMENT,
        DOCUMENTS,
        W_DOCUMENT,
        title="DANH MỤC VĂN BẢN TRÍCH DẪN TRONG BÁO CÁO",
    )
    write_table(wb.create_sheet("MoHinh"), H_MODEL, MODELS, W_MODEL)
    write_table(wb.create_sheet("NoiDung"), H_PROSE, PROSE, W_PROSE)
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------- Tân Hưng 2023

# Last year's workbook of the same commune, for "so với cùng kỳ" (--so-sanh). Its rows are
# the 2024 design moved back one year (a day that is not a working day in 2023 moves on to
# the next one), with some visits added, fewer people at the periodic sessions, fewer
# letters and other one-stop-shop counts. Period 9m 2023 (nd09: 15/12/2022 - 14/9/2023)
# then gives: 58 visits = 83 people = 52 matters (2024: 53 = 83 = 49), 20 letters (2024:
# 26), 290 dossiers, 160 online, 288 early and 2 late (2024: 320, 206, 317, 3).
YEAR_2023 = 2023
WINDOW_2023 = (date(2022, 12, 15), date(2023, 9, 14))  # nd09 window of period 9m 2023


def year_earlier(day: date) -> date:
    """The same day one year earlier (29/2 -> 28/2), moved on to a working day."""
    day = day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)
    return next_workday(day)


# Thường xuyên: the 26 days of 2024 a year earlier, then 5 more; visits 27 and 29 (0-based)
# are second visits of the matters of visits 7 and 21: 31 visits, 31 people, 29 matters.
TX_EXTRA_2023 = [
    date(2022, 12, 20),  # in the window's first days (from 15/12/2022)
    date(2023, 3, 28),  # second visit of the matter of TX_DAYS[7] (14/3/2023)
    date(2023, 6, 20),
    date(2023, 8, 22),  # second visit of the matter of TX_DAYS[21] (31/7/2023)
    date(2023, 9, 14),  # the window's last day
]
PLAN_2023 = ReceptionPlan(
    year=YEAR_2023,
    seed=14092023,
    tx_days=[year_earlier(d) for d in TX_DAYS] + TX_EXTRA_2023,
    tx_no_code=TX_NO_CODE,
    tx_canary=TX_CANARY,
    dk_sessions=[(year_earlier(d), s) for d, s in DK_SESSIONS],
    dk_people=[1, 1, 2, 1, 2, 1, 3, 2, 1, 1, 1, 2, 1, 2, 1, 3, 2, 1, 2, 2],  # 32
    dk_repeats=DK_REPEATS,
    uq_sessions=[(year_earlier(d), s) for d, s in UQ_SESSIONS],
    uq_people=UQ_PEOPLE,
    uq_repeats=UQ_REPEATS,
    # After the 9m window (15-19/9/2023): must not count for period 9m 2023.
    late_visits=[
        (date(2023, 9, 15), "Sáng", MODE_TX, 1),
        (date(2023, 9, 18), "Chiều", MODE_TX, 2),
        (date(2023, 9, 19), "Sáng", MODE_DK, 3),
    ],
    tx_repeats={27: 7, 29: 21},
)

# Letters: 20 in the window (two not eligible), one after it.
PETITIONS_2023 = 20
NOT_ELIGIBLE_2023 = {5, 13}

# One-stop shop: newly received per field and month 1..9 (online, direct): 160 + 130 = 290.
DOSSIER_IN_2023: dict[str, tuple[list[int], list[int]]] = {
    "Tư pháp - Hộ tịch": ([10, 9, 11, 10, 11, 10, 11, 10, 10], [6, 5, 7, 6, 6, 6, 6, 5, 6]),
    "Chứng thực": ([2, 2, 3, 2, 3, 2, 3, 2, 2], [7, 6, 7, 6, 7, 6, 7, 6, 7]),
    "Lao động - Thương binh và Xã hội": (
        [3, 4, 3, 4, 3, 4, 3, 4, 3],
        [1, 1, 2, 1, 1, 1, 2, 1, 1],
    ),
    "Đất đai": ([1, 1, 2, 1, 1, 1, 2, 1, 1], [1, 0, 1, 1, 0, 1, 0, 1, 0]),
    "Văn hóa": ([1, 0, 1, 0, 1, 0, 1, 0, 1], [0, 1, 0, 0, 0, 1, 0, 0, 0]),
}
DOSSIER_OPEN_2023: dict[tuple[str, int], tuple[int, int]] = {
    ("Tư pháp - Hộ tịch", 3): (1, 0),
    ("Đất đai", 6): (1, 0),
    ("Lao động - Thương binh và Xã hội", 8): (1, 0),
}
DOSSIER_LATE_2023: dict[tuple[str, int], int] = {("Đất đai", 4): 1, ("Chứng thực", 7): 1}

PROFILE_2023_CHANGES: dict[str, Any] = {"Năm": YEAR_2023, "Dân số": 7471, "Số đảng viên": 281}
PROFILE_2023 = [(item, PROFILE_2023_CHANGES.get(item, value)) for item, value in PROFILE]

PROSE_2023: list[tuple[str, str]] = [
    (
        "I",
        "Năm 2023, kinh tế - xã hội của xã phát triển ổn định; sản xuất nông nghiệp được mùa, "
        "dịch vụ, thương mại tiếp tục tăng trưởng. Xã giữ vững các tiêu chí nông thôn mới "
        "nâng cao và tập trung hoàn thiện các tiêu chí nông thôn mới kiểu mẫu; quốc phòng, an "
        "ninh được bảo đảm, trật tự an toàn xã hội ổn định.",
    ),
    *[("IV", text.replace("năm 2024", "năm 2023")) for part, text in PROSE if part == "IV"],
]
# Only the documents issued by the end of the 9m 2023 window.
DOCUMENTS_2023 = [d for d in DOCUMENTS if d[1] <= WINDOW_2023[1]]
MODELS_2023: list[tuple[str, str, str, int]] = [
    ("Thắp sáng đường quê", "Đoàn Thanh niên xã", "An ninh trật tự", 2023),
]


def petition_rows_2023(people: FakePeople) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for i in range(PETITIONS_2023):
        day = next_workday(date(2022, 12, 22) + timedelta(days=round(i * 13.5)))
        assert WINDOW_2023[0] <= day <= WINDOW_2023[1] and is_workday(day), day
        sender = CANARY_NAME if i == 7 else people.person()[0]
        text = PETITION_TEXTS[(i + 3) % len(PETITION_TEXTS)]
        eligible = "Không" if i in NOT_ELIGIBLE_2023 else "Có"
        rows.append([day, KIND, SOURCES[(i + 1) % len(SOURCES)], eligible, "Có", sender, text])
    # Received after the 9m window, still being handled.
    rows.append(
        [date(2023, 9, 18), KIND, "Trực tiếp", "Có", "Không", people.person()[0], PETITION_TEXTS[0]]
    )
    return rows


def check_inputs_2023() -> None:
    """The 2023 design holds what README and tests say of it."""
    plan = PLAN_2023
    start, end = WINDOW_2023
    tx, dk, uq = plan.tx_days, plan.dk_sessions, plan.uq_sessions
    in_window = tx + [d for d, _ in dk + uq]
    after = [v[0] for v in plan.late_visits]
    assert all(is_workday(d) for d in in_window + after), "reception on a non-working day"
    assert all(start <= d <= end for d in in_window)
    assert all(end < d <= date(YEAR_2023, 9, 19) for d in after)
    # every mode's sessions stay distinct after the move: 31, 20 and 7 sessions
    assert len(tx) == len(set(tx)) == 31
    assert len(dk) == len(set(dk)) == 20 and sum(plan.dk_people) == 32
    assert len(uq) == len(set(uq)) == 7 and sum(plan.uq_people) == 20
    assert all(tx[later] > tx[first] for later, first in plan.tx_repeats.items())
    assert not plan.tx_repeats.keys() & (plan.tx_no_code | {plan.tx_canary})
    assert max(plan.dk_people + plan.uq_people) <= 4
    online = sum(sum(o) for o, _ in DOSSIER_IN_2023.values())
    direct = sum(sum(d) for _, d in DOSSIER_IN_2023.values())
    assert (online, direct) == (160, 130), (online, direct)
    assert sum(DOSSIER_LATE_2023.values()) == 2


def build_tan_hung_2023(path: Path) -> None:
    check_inputs_2023()
    people = FakePeople(seed=20230914)
    wb = new_workbook()
    write_profile(wb.create_sheet("ThongTin"), PROFILE_2023)
    write_table(
        wb.create_sheet("TiepCongDan"),
        H_RECEPTION,
        reception_rows(people, PLAN_2023),
        W_RECEPTION,
        title=f"SỔ TIẾP CÔNG DÂN NĂM {YEAR_2023}",
    )
    write_table(
        wb.create_sheet("DonThu"),
        H_PETITION,
        petition_rows_2023(people),
        W_PETITION,
        title=f"SỔ THEO DÕI TIẾP NHẬN, XỬ LÝ ĐƠN THƯ NĂM {YEAR_2023}",
    )
    write_table(
        wb.create_sheet("MotCua"),
        H_DOSSIER,
        dossier_rows(DOSSIER_IN_2023, DOSSIER_OPEN_2023, DOSSIER_LATE_2023),
        W_DOSSIER,
        title=f"TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM {YEAR_2023}",
    )
    write_table(wb.create_sheet("ThuTuc"), H_PROCEDURE, PROCEDURES, W_PROCEDURE)
    write_table(
        wb.create_sheet("VanBan"),
        H_DOCUMENT,
        DOCUMENTS_2023,
        W_DOCUMENT,
        title="DANH MỤC VĂN BẢN TRÍCH DẪN TRONG BÁO CÁO",
    )
    write_table(wb.create_sheet("MoHinh"), H_MODEL, MODELS_2023, W_MODEL)
    write_table(wb.create_sheet("NoiDung"), H_PROSE, PROSE_2023, W_PROSE)
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------- loi_mau


def build_loi_mau(path: Path) -> None:
    """A small clean workbook, then every value of MISTAKES written over its cell."""
    people = FakePeople(seed=13)
    requests = [text for texts in REQUESTS.values() for text in texts]
    visits: list[list[Any]] = []

    def visit(
        day: date,
        session: str,
        mode: str,
        count: int,
        code: str | None,
        field: str,
        note: str | None = None,
        who: tuple[str, str, str] | None = None,
    ) -> list[Any]:
        officer = {MODE_DK: CHAIRMAN, MODE_UQ: VICE_CHAIRMAN}.get(mode, OFFICER_BY_FIELD[field])
        name, address, ident = who or people.person()
        text = requests[len(visits) % len(requests)]
        return [
            len(visits) + 1,
            day,
            session,
            mode,
            officer,
            count,
            code,
            KIND,
            field,
            name,
            address,
            ident,
            text,
            note,
        ]

    canary = (CANARY_NAME, "thôn Trung, xã Tân Hưng", CANARY_ID)
    repeat = people.person()
    plan: list[tuple[Any, ...]] = [
        (date(2024, 1, 10), "Sáng", MODE_DK, 1, "VV-2024-001", "Đất đai", None, canary),  # row 4
        (date(2024, 1, 16), "Chiều", MODE_TX, 1, "VV-2024-002", "Chính sách"),  # row 5
        (date(2024, 2, 21), "Sáng", MODE_UQ, 3, "VV-2024-003", "Môi trường"),  # row 6
        (date(2024, 3, 5), "Sáng", MODE_TX, 1, "VV-2024-004", "Đất đai"),  # row 7
        (date(2024, 3, 11), "Sáng", MODE_DK, 2, "VV-2024-005", "Xây dựng"),  # row 8
        (date(2024, 4, 10), "Sáng", MODE_DK, 1, "VV-2024-006", "Chính sách"),  # row 9
        (date(2024, 5, 7), "Chiều", MODE_TX, 1, "VV-2024-007", "Giao thông"),  # row 10
        (date(2024, 5, 10), "Sáng", MODE_DK, 2, "VV-2024-008", "Đất đai"),  # row 11
        # rows 12 and 13: two visits of one matter
        (date(2024, 6, 10), "Sáng", MODE_DK, 2, "VV-2024-009", "Đất đai", None, repeat),
        (date(2024, 7, 10), "Sáng", MODE_DK, 2, "VV-2024-009", "Đất đai", "Tiếp lần 2", repeat),
        (date(2024, 8, 6), "Chiều", MODE_TX, 1, None, "Môi trường"),  # row 14
        (date(2024, 9, 10), "Sáng", MODE_DK, 1, "VV-2024-010", "Chính sách"),  # row 15
    ]
    for args in plan:
        visits.append(visit(*args))

    petitions = [
        [date(2024, 1, 12), KIND, "Trực tiếp", "Có", "Có", CANARY_NAME, PETITION_TEXTS[0]],
        [date(2024, 2, 27), KIND, "Bưu chính", "Có", "Có", people.person()[0], PETITION_TEXTS[1]],
        [date(2024, 4, 3), KIND, "Chuyển đến", "Có", "Có", people.person()[0], PETITION_TEXTS[2]],
        [
            date(2024, 5, 20),
            "Phản ánh",
            "Trực tiếp",
            "Có",
            "Có",
            people.person()[0],
            PETITION_TEXTS[4],
        ],
        [date(2024, 7, 8), KIND, "Trực tiếp", "Có", "Không", people.person()[0], PETITION_TEXTS[5]],
        [
            date(2024, 9, 4),
            KIND,
            "Bưu chính",
            "Không",
            "Không",
            people.person()[0],
            PETITION_TEXTS[3],
        ],
    ]

    tp, ct = "Tư pháp - Hộ tịch", "Chứng thực"
    dossiers = [
        [1, tp, 0, 12, 5, 0, 17, 15, 0, 0, 2, 0],  # row 4
        [1, ct, 0, 3, 6, 0, 9, 9, 0, 0, 0, 0],  # row 5
        [2, tp, 2, 11, 4, 0, 15, 17, 0, 0, 0, 0],  # row 6
        [2, ct, 0, 3, 5, 0, 8, 7, 0, 0, 1, 0],  # row 7
        [3, tp, 0, 206, 129, 0, 335, 317, 0, 3, 0, 0],  # row 8
        [3, ct, 1, 4, 6, 0, 10, 11, 0, 0, 0, 0],  # row 9
    ]

    documents = [
        d for d in DOCUMENTS if d[0] in {"17/KH-UBND", "34/KH-UBND", "14/QĐ-UBND", "03/KH-UBND"}
    ]
    documents.append(next(d for d in DOCUMENTS if d[0] == "28/KH-UBND"))

    wb = new_workbook()
    write_profile(wb.create_sheet("ThongTin"))
    write_table(
        wb.create_sheet("TiepCongDan"),
        H_RECEPTION,
        visits,
        W_RECEPTION,
        title=f"SỔ TIẾP CÔNG DÂN NĂM {YEAR}",
    )
    write_table(
        wb.create_sheet("DonThu"),
        H_PETITION,
        petitions,
        W_PETITION,
        title=f"SỔ THEO DÕI TIẾP NHẬN, XỬ LÝ ĐƠN THƯ NĂM {YEAR}",
    )
    write_table(
        wb.create_sheet("MotCua"),
        H_DOSSIER,
        dossiers,
        W_DOSSIER,
        title=f"TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH NĂM {YEAR}",
    )
    write_table(wb.create_sheet("ThuTuc"), H_PROCEDURE, PROCEDURES[:4], W_PROCEDURE)
    write_table(
        wb.create_sheet("VanBan"),
        H_DOCUMENT,
        documents,
        W_DOCUMENT,
        title="DANH MỤC VĂN BẢN TRÍCH DẪN TRONG BÁO CÁO",
    )
    write_table(wb.create_sheet("MoHinh"), H_MODEL, MODELS, W_MODEL)
    write_table(wb.create_sheet("NoiDung"), H_PROSE, PROSE, W_PROSE)

    for mistake in MISTAKES:
        cell = wb[mistake["sheet"]][mistake["cell"]]
        assert cell.value != mistake["value"], f"planting changes nothing: {mistake}"
        cell.value = mistake["value"]
        if isinstance(mistake["value"], date):
            cell.number_format = DATE_FORMAT
        if mistake["code"] == "unknown-column":
            cell.font = Font(bold=True)
    save_reproducibly(wb, path)


# --------------------------------------------------------------------------- per-dossier export

# The province system's "Danh sách hồ sơ" of UBND xã Tân Hưng, as it exports it: title rows,
# a two-row header (a merged group "Thời gian" over Tiếp nhận | Hẹn trả | Trả kết quả),
# the system's own column names, timestamps, codes and channels in mixed case, and the
# citizens' personal data (invented). Its dossiers reproduce MotCua month by month: for every
# period t1…t9, q1…q3, 3m, 6m and 9m of 2024 (nd09 windows), --ho-so gives MotCua's figures.

EXPORT_HEADER = [
    "STT",
    "Số hồ sơ",
    "Tên thủ tục",
    "Tên lĩnh vực",
    "Chủ hồ sơ",
    "Số giấy tờ",
    "Địa chỉ",
    "Số điện thoại",
    "Hình thức nộp",
    "Thời gian",  # the group over the next two columns
    None,
    None,
    "Tình trạng",
]
EXPORT_TIMES = ["Tiếp nhận", "Hẹn trả", "Trả kết quả"]  # under "Thời gian"
EXPORT_WIDTHS = [6, 28, 44, 30, 22, 15, 28, 13, 16, 17, 17, 17, 16]
EXPORT_TITLES = [
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG",
    "HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
    "DANH SÁCH HỒ SƠ",
    "Đơn vị: UBND xã Tân Hưng - Từ ngày 01/12/2023 đến ngày 19/09/2024",
]
EXPORT_HEADER_ROW = len(EXPORT_TITLES) + 2  # a blank row under the titles
STAMP_FORMAT = "DD/MM/YYYY HH:MM"

# Field -> (procedures, workdays from reception to the due date).
FIELD_WORK: dict[str, tuple[list[str], int]] = {
    "Tư pháp - Hộ tịch": (
        ["Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Xác nhận tình trạng hôn nhân"],
        3,
    ),
    "Chứng thực": (
        ["Chứng thực bản sao từ bản chính", "Chứng thực chữ ký trong giấy tờ, văn bản"],
        1,
    ),
    "Lao động - Thương binh và Xã hội": (
        [
            "Đăng ký hưởng trợ cấp xã hội hàng tháng",
            "Xác nhận hộ làm nông nghiệp có mức sống trung bình",
        ],
        7,
    ),
    "Đất đai": (["Hòa giải tranh chấp đất đai", "Xác nhận nguồn gốc sử dụng đất"], 10),
    "Văn hóa": (["Công nhận danh hiệu Gia đình văn hóa", "Công nhận câu lạc bộ thể thao cơ sở"], 5),
}
ONLINE_WORDS = ["Trực tuyến", "DVC trực tuyến", "Nộp trực tuyến", "TRỰC TUYẾN", "Online"]
DIRECT_WORDS = ["Trực tiếp", "Tại quầy", "trực tiếp", "Nộp trực tiếp"]
DONE_WORDS = ["Đã trả kết quả", "Hoàn thành", "đã trả kết quả", "Đã có kết quả"]


def add_workdays(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself when 0)."""
    while count > 0:
        day = next_workday(day + timedelta(days=1))
        count -= 1
    return day


def month_window(month: int) -> tuple[date, date]:
    """Reporting month ``month`` of YEAR under nd09: the 15th of the month before to the 14th."""
    start = date(YEAR - 1, 12, 15) if month == 1 else date(YEAR, month - 1, 15)
    return start, date(YEAR, month, 14)


def workdays(start: date, end: date) -> list[date]:
    return [
        start + timedelta(days=n)
        for n in range((end - start).days + 1)
        if is_workday(start + timedelta(days=n))
    ]


def export_dossiers() -> list[dict[str, Any]]:
    """Every dossier of the export: (field, channel, received, due, result, status) facts, in
    no particular order; times of day are added when writing."""
    dossiers: list[dict[str, Any]] = []
    pending: dict[str, list[dict[str, Any]]] = {field: [] for field in DOSSIER_IN}
    for month in range(1, 10):
        start, end = month_window(month)
        days = workdays(start, end)
        for field, (online, direct) in DOSSIER_IN.items():
            _, span = FIELD_WORK[field]
            # last month's open dossiers end in this month: in time (early) or late
            for dossier in pending[field]:
                overdue = dossier["due"] < month_window(month - 1)[1]
                dossier["result"] = add_workdays(next_workday(start), 2 if overdue else 0)
                if overdue:
                    assert dossier["result"] > dossier["due"]
                else:
                    assert dossier["result"] < dossier["due"]
            carried_late = sum(1 for d in pending[field] if d["result"] > d["due"])
            count = online[month - 1] + direct[month - 1]
            channels = ["online"] * online[month - 1] + ["direct"] * direct[month - 1]
            new = [
                {
                    "field": field,
                    "channel": channel,
                    "received": days[i * len(days) // count],
                    "first": month == 1 and i == 0,
                }
                for i, channel in enumerate(channels)
            ]
            in_time, overdue_open = DOSSIER_OPEN.get((field, month), (0, 0))
            late = DOSSIER_LATE.get((field, month), 0) - carried_late
            assert late >= 0 and count >= in_time + overdue_open + late
            opened: list[dict[str, Any]] = []
            for position, dossier in enumerate(new):
                if position < overdue_open:  # received first, overdue by the month's end
                    dossier["received"] = days[0]
                    dossier["due"] = add_workdays(days[0], 3)
                    opened.append(dossier)
                elif position >= count - in_time:  # received last, due after the month
                    dossier["received"] = days[-1 - (count - 1 - position)]
                    dossier["due"] = add_workdays(dossier["received"], max(span, 3) + 1)
                    opened.append(dossier)
                elif position < overdue_open + late:  # resolved late within the month
                    dossier["due"] = add_workdays(dossier["received"], 2)
                    dossier["result"] = add_workdays(dossier["due"], 2)
                    assert dossier["result"] <= end
                else:  # resolved before its due date, within the month
                    dossier["due"] = add_workdays(dossier["received"], span)
                    dossier["result"] = min(add_workdays(dossier["received"], span - 1), days[-1])
                    assert dossier["result"] < dossier["due"]
            dossiers += new
            pending[field] = opened
    assert not any(pending.values()), "month 9 closes every dossier"
    # Before the window (ended before 15/12/2023) and after it (from 16/9/2024): in the
    # export, as real exports overlap, but in no 9-month figure.
    dossiers += [
        {
            "field": "Tư pháp - Hộ tịch",
            "channel": "online",
            "received": date(2023, 12, 4),
            "due": date(2023, 12, 7),
            "result": date(2023, 12, 6),
        },
        {
            "field": "Chứng thực",
            "channel": "direct",
            "received": date(2023, 12, 5),
            "due": date(2023, 12, 6),
            "result": date(2023, 12, 6),
            "status": "Trả lại",
        },
        {
            "field": "Đất đai",
            "channel": "direct",
            "received": date(2023, 12, 8),
            "due": date(2023, 12, 22),
            "result": date(2023, 12, 14),
        },
        {
            "field": "Tư pháp - Hộ tịch",
            "channel": "online",
            "received": date(2024, 9, 16),
            "due": date(2024, 9, 19),
            "result": date(2024, 9, 18),
        },
        {
            "field": "Chứng thực",
            "channel": "direct",
            "received": date(2024, 9, 17),
            "due": date(2024, 9, 18),
            "status": "Đang xử lý",
        },
        {
            "field": "Đất đai",
            "channel": "online",
            "received": date(2024, 9, 18),
            "due": date(2024, 10, 2),
            "status": "Chờ bổ sung",
        },
        {
            "field": "Văn hóa",
            "channel": "direct",
            "received": date(2024, 9, 19),
            "due": date(2024, 9, 26),
            "status": "Đang xử lý",
        },
    ]
    return dossiers


def export_rows(people: FakePeople) -> list[list[Any]]:
    """The export's data rows, sorted by reception time as the system lists them."""
    rng = random.Random(19092024)
    order = list(DOSSIER_IN)
    stamped: list[tuple[datetime, int, dict[str, Any]]] = []
    for number, dossier in enumerate(export_dossiers()):
        if dossier.get("first"):  # the first dossiers of the year, in MotCua's field order
            minutes = 7 * 60 + 30 + order.index(dossier["field"])
        else:
            minutes = rng.randrange(8 * 60, 16 * 60 + 30)
        moment = datetime.combine(dossier["received"], datetime.min.time())
        stamped.append((moment + timedelta(minutes=minutes), number, dossier))
    stamped.sort(key=lambda item: (item[0], item[1]))
    rows: list[list[Any]] = []
    per_day: dict[date, int] = {}
    for position, (moment, _, dossier) in enumerate(stamped, start=1):
        day = moment.date()
        per_day[day] = per_day.get(day, 0) + 1
        agency = "h29" if position % 11 == 0 else "H29"
        code = f"000.00.19.{agency}-{day:%y%m%d}-{per_day[day]:04d}"
        procedures, _ = FIELD_WORK[dossier["field"]]
        name, address, ident = people.person()
        if position == 5:
            name, ident = CANARY_NAME, CANARY_ID
        phone = f"09{rng.randrange(10**8):08d}"
        words = ONLINE_WORDS if dossier["channel"] == "online" else DIRECT_WORDS
        received: Any = moment
        if position % 9 == 0:  # some exports write dates as text
            received = moment.strftime("%d/%m/%Y %H:%M")
        due = datetime.combine(dossier["due"], datetime.min.time()) + timedelta(hours=17)
        result: Any = None
        if dossier.get("result") is not None:
            result = datetime.combine(dossier["result"], datetime.min.time()) + timedelta(
                minutes=rng.randrange(8 * 60, 17 * 60)
            )
        status = dossier.get("status") or (rng.choice(DONE_WORDS) if result else "Đang xử lý")
        rows.append(
            [
                position,
                code,
                procedures[position % len(procedures)],
                dossier["field"],
                name,
                ident,
                address,
                phone,
                words[position % len(words)],
                received,
                due,
                result,
                status,
            ]
        )
    return rows


def write_export(ws: Worksheet, rows: Sequence[Sequence[Any]]) -> None:
    """Title rows, the two-row header with its merged cells, then the rows."""
    width = len(EXPORT_HEADER)
    for number, title in enumerate(EXPORT_TITLES, start=1):
        ws.cell(row=number, column=1, value=title).font = Font(bold=number <= 3)
        ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
        ws.cell(row=number, column=1).alignment = Alignment(horizontal="center")
    top = EXPORT_HEADER_ROW
    group = EXPORT_HEADER.index("Thời gian") + 1
    for col, name in enumerate(EXPORT_HEADER, start=1):
        if name is None:
            continue
        cell = ws.cell(row=top, column=col, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col == group:
            ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + 2)
        else:
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
    for offset, name in enumerate(EXPORT_TIMES):
        cell = ws.cell(row=top + 1, column=group + offset, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r, values in enumerate(rows, start=top + 2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if isinstance(value, datetime):
                cell.number_format = STAMP_FORMAT
    for col, size in enumerate(EXPORT_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = size
    ws.freeze_panes = ws.cell(row=top + 2, column=1)


def build_export(path: Path) -> None:
    wb = new_workbook()
    wb.properties.title = "Danh sách hồ sơ"
    write_export(wb.create_sheet("DanhSachHoSo"), export_rows(FakePeople(seed=16092024)))
    save_reproducibly(wb, path)


# Every mistake planted in ho_so_loi.xlsx, a small export with a one-row header (other names
# the systems use) under two title rows: cell, severity, issue code, what is wrong.
HO_SO_MISTAKES: list[dict[str, Any]] = [
    {
        "cell": "A6",
        "severity": "lỗi",
        "code": "duplicate-dossier",
        "what": "Mã hồ sơ của dòng 4 viết thường, có dấu cách",
    },
    {
        "cell": "E7",
        "severity": "lỗi",
        "code": "due-before-received",
        "what": "Hạn xử lý 04/03/2024 trước ngày nhận 05/03/2024",
    },
    {
        "cell": "F8",
        "severity": "lỗi",
        "code": "result-before-received",
        "what": "Ngày hoàn thành 01/03/2024 trước ngày nhận 06/03/2024",
    },
    {"cell": "C9", "severity": "lỗi", "code": "bad-choice", "what": "Kênh nộp «Fax»"},
    {"cell": "G10", "severity": "lỗi", "code": "bad-choice", "what": "Trạng thái «Đang chờ»"},
    {
        "cell": "F11",
        "severity": "lỗi",
        "code": "ended-without-result",
        "what": "Đã trả kết quả nhưng không có ngày hoàn thành",
    },
    {
        "cell": "G12",
        "severity": "cảnh báo",
        "code": "open-with-result",
        "what": "Đang xử lý nhưng đã có ngày hoàn thành",
    },
    {"cell": "D13", "severity": "lỗi", "code": "bad-date", "what": "Ngày nhận «31/02/2024 08:00»"},
    {"cell": "A14", "severity": "lỗi", "code": "required", "what": "Mã hồ sơ để trống"},
]
FAULTY_HEADER = [
    "Mã hồ sơ",
    "Lĩnh vực",
    "Kênh nộp",
    "Ngày nhận",
    "Hạn xử lý",
    "Ngày hoàn thành",
    "Trạng thái hồ sơ",
    "Người nộp",
    "CCCD",
    "Email",
]


def build_faulty_export(path: Path) -> None:
    stamp = "05/03/2024 08:30"
    good = [
        "Tư pháp - Hộ tịch",
        "Trực tuyến",
        stamp,
        "08/03/2024",
        "07/03/2024 10:00",
        "Đã trả kết quả",
    ]
    rows: list[list[Any]] = [
        ["000.00.19.H29-240305-0101", *good],
        ["000.00.19.H29-240305-0102", *good],
        ["000.00.19.h29 - 240305-0101", *good],  # the first code again
        [
            "000.00.19.H29-240305-0103",
            "Chứng thực",
            "Trực tiếp",
            stamp,
            "04/03/2024",
            "05/03/2024",
            "Đã trả kết quả",
        ],
        [
            "000.00.19.H29-240306-0101",
            "Chứng thực",
            "Trực tiếp",
            "06/03/2024 09:00",
            "07/03/2024",
            "01/03/2024",
            "Đã trả kết quả",
        ],
        [
            "000.00.19.H29-240306-0102",
            "Đất đai",
            "Fax",
            "06/03/2024",
            "20/03/2024",
            None,
            "Đang xử lý",
        ],
        [
            "000.00.19.H29-240306-0103",
            "Đất đai",
            "Trực tiếp",
            "06/03/2024",
            "20/03/2024",
            None,
            "Đang chờ",
        ],
        [
            "000.00.19.H29-240307-0101",
            "Văn hóa",
            "Bưu chính",
            "07/03/2024",
            "14/03/2024",
            None,
            "Đã trả kết quả",
        ],
        [
            "000.00.19.H29-240307-0102",
            "Văn hóa",
            "Trực tuyến",
            "07/03/2024",
            "14/03/2024",
            "12/03/2024 15:00",
            "Đang xử lý",
        ],
        [
            "000.00.19.H29-240307-0103",
            "Đất đai",
            "Trực tuyến",
            "31/02/2024 08:00",
            "14/03/2024",
            None,
            "Đang xử lý",
        ],
        [None, "Đất đai", "Trực tuyến", "07/03/2024", "21/03/2024", None, "Chờ bổ sung"],
    ]
    people = FakePeople(seed=7032024)
    for row in rows:
        name, _, ident = people.person()
        row += [name, ident, f"{fold_ascii(name)}@example.com"]
    wb = new_workbook()
    wb.properties.title = "Danh sách hồ sơ (có lỗi)"
    ws = wb.create_sheet("Sheet1")
    ws.cell(row=1, column=1, value="DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 3/2024")
    write_rows = [FAULTY_HEADER, *rows]
    for r, values in enumerate(write_rows, start=3):
        for col, value in enumerate(values, start=1):
            ws.cell(row=r, column=col, value=value)
    save_reproducibly(wb, path)


def fold_ascii(name: str) -> str:
    import unicodedata

    plain = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in plain if ch.isascii() and ch.isalnum()).lower()


def main() -> None:
    build_tan_hung(HERE / "tan_hung_2024.xlsx")
    build_tan_hung_2023(HERE / "tan_hung_2023.xlsx")
    build_loi_mau(HERE / "loi_mau.xlsx")
    build_export(HERE / "tan_hung_ho_so_2024.xlsx")
    build_faulty_export(HERE / "ho_so_loi.xlsx")
    for name in ("tan_hung_2024", "tan_hung_2023", "loi_mau", "tan_hung_ho_so_2024", "ho_so_loi"):
        print("Đã tạo:", HERE / f"{name}.xlsx")


if __name__ == "__main__":
    main()
