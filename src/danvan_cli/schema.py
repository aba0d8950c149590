"""The workbook's sheets and columns as data: the one source of truth for reading, checking,
the blank workbook ``init`` writes and its HuongDan sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from danvan_cli.vietnamese import fold

MIN_YEAR, MAX_YEAR = 1900, 2100
"""The years a workbook (ThongTin's Năm) and a report (--year) may be of: one range for both."""


class Kind(str, Enum):
    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    DECIMAL = "decimal"
    CHOICE = "choice"
    BOOL = "bool"
    YEAR = "year"
    MONTH = "month"


KIND_LABELS = {
    Kind.TEXT: "chữ",
    Kind.DATE: "ngày (ngày/tháng/năm)",
    Kind.COUNT: "số nguyên không âm",
    Kind.DECIMAL: "số thập phân (dấu phẩy)",
    Kind.CHOICE: "chọn trong danh sách",
    Kind.BOOL: "Có/Không",
    Kind.YEAR: "năm (4 chữ số)",
    Kind.MONTH: "tháng (1–12)",
}


@dataclass(frozen=True)
class Choice:
    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind
    help: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    personal: bool = False
    default: object = None
    width: int = 14
    timestamp: bool = False
    """A date that may carry a time of day (``04/03/2025 09:15``): the time is ignored."""
    kind_text: str | None = None
    """How HuongDan names the column's type when KIND_LABELS says less than its bounds."""

    @property
    def kind_label(self) -> str:
        """The column's type as HuongDan and the header comments name it."""
        return self.kind_text or KIND_LABELS[self.kind]

    @cached_property
    def folded_names(self) -> frozenset[str]:
        return frozenset(fold(name) for name in (self.title, *self.aliases))

    @cached_property
    def choice_index(self) -> dict[str, Choice]:
        index: dict[str, Choice] = {}
        for choice in self.choices:
            for name in (choice.label, choice.key, *choice.aliases):
                index[fold(name)] = choice
        return index

    @property
    def choice_labels(self) -> list[str]:
        return [choice.label for choice in self.choices]


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    help: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    key_value: bool = False
    required: bool = False

    @cached_property
    def folded_names(self) -> frozenset[str]:
        return frozenset(fold(name) for name in (self.title, *self.aliases))

    @cached_property
    def column_index(self) -> dict[str, Column]:
        return {name: column for column in self.columns for name in column.folded_names}

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


KINDS_OF_MATTER = (
    Choice("khieu_nai", "Khiếu nại"),
    Choice("to_cao", "Tố cáo"),
    Choice("kien_nghi", "Kiến nghị"),
    Choice("phan_anh", "Phản ánh"),
)

RECEPTION_MODES = (
    Choice("thuong_xuyen", "Thường xuyên"),
    Choice("dinh_ky", "Định kỳ"),
    Choice("uy_quyen", "Ủy quyền", ("Uỷ quyền",)),
    Choice("dot_xuat", "Đột xuất"),
)

DOCUMENT_GROUPS = (
    Choice("lanh_dao_chi_dao", "Lãnh đạo chỉ đạo", ("Lãnh đạo, chỉ đạo",)),
    Choice("tuyen_truyen", "Tuyên truyền"),
    Choice("cai_cach_hanh_chinh", "Cải cách hành chính"),
    Choice("thu_tuc_hanh_chinh", "Thủ tục hành chính"),
    Choice("tiep_cong_dan", "Tiếp công dân"),
    Choice("dan_van_kheo", "Dân vận khéo"),
    Choice("phoi_hop_mttq", "Phối hợp MTTQ", ("Phối hợp Mặt trận Tổ quốc",)),
)

UNIT_KINDS = (
    Choice("xa", "Xã"),
    Choice("phuong", "Phường"),
    Choice("thi_tran", "Thị trấn"),
    Choice("dac_khu", "Đặc khu"),
)

SIGNER_ROLES = (
    Choice("chu_tich", "CHỦ TỊCH"),
    Choice("pho_chu_tich", "PHÓ CHỦ TỊCH"),
)

NOTE_SECTIONS = tuple(
    Choice(code, code)
    for code in (
        "I",
        "II.1",
        "II.2",
        "II.3.1",
        "II.3.2.a",
        "II.3.2.b",
        "II.3.2.c",
        "II.4",
        "II.5",
        "II.6",
        "III.1",
        "III.2",
        "III.3",
        "IV",
    )
)

THONG_TIN = Sheet(
    key="thong_tin",
    title="ThongTin",
    aliases=("Thông tin", "Thông tin chung", "Thông tin đơn vị"),
    help="Thông tin chung của đơn vị: mỗi dòng một mục (cột Mục) và giá trị của nó (cột Giá trị).",
    key_value=True,
    required=True,
    columns=(
        Column(
            "name",
            "Tên đơn vị",
            Kind.TEXT,
            "Tên xã/phường, không kèm chữ «xã», ví dụ Tân Hưng.",
            required=True,
            aliases=("Tên xã", "Tên phường", "Đơn vị"),
        ),
        Column(
            "kind",
            "Loại đơn vị",
            Kind.CHOICE,
            "Xã, Phường, Thị trấn hoặc Đặc khu; để trống là Xã.",
            choices=UNIT_KINDS,
            default="Xã",
        ),
        Column(
            "district",
            "Huyện",
            Kind.TEXT,
            "Tên huyện (nếu có; cấp huyện đã bỏ từ 01/7/2025), ví dụ Vĩnh Bảo.",
            aliases=("Quận", "Huyện/Quận"),
        ),
        Column(
            "province",
            "Tỉnh/Thành phố",
            Kind.TEXT,
            "Tỉnh hoặc thành phố, ví dụ Hải Phòng.",
            required=True,
            aliases=("Tỉnh", "Thành phố"),
        ),
        Column(
            "year",
            "Năm",
            Kind.YEAR,
            "Năm báo cáo mà sổ này ghi, ví dụ 2024.",
            required=True,
            aliases=("Năm báo cáo",),
        ),
        Column(
            "area_km2",
            "Diện tích (km²)",
            Kind.DECIMAL,
            "Diện tích tự nhiên, km², ví dụ 7,02.",
            aliases=("Diện tích", "Diện tích km2"),
        ),
        Column(
            "population",
            "Dân số",
            Kind.COUNT,
            "Số dân (người), ví dụ 7.506.",
            aliases=("Dân số (người)",),
        ),
        Column(
            "villages",
            "Số thôn",
            Kind.COUNT,
            "Số thôn/tổ dân phố, ví dụ 7.",
            aliases=("Số thôn, tổ dân phố", "Số tổ dân phố"),
        ),
        Column(
            "village_word",
            "Tên gọi thôn",
            Kind.TEXT,
            "Cách gọi đơn vị dưới xã: thôn, tổ dân phố, ấp, bản…; để trống là thôn.",
            default="thôn",
        ),
        Column("party_members", "Số đảng viên", Kind.COUNT, "Tổng số đảng viên của Đảng bộ."),
        Column("party_cells", "Số chi bộ", Kind.COUNT, "Số chi bộ trực thuộc."),
        Column(
            "party_structure",
            "Cơ cấu chi bộ",
            Kind.TEXT,
            "Các loại chi bộ, ví dụ «07 chi bộ nông nghiệp, 03 chi bộ trường học».",
        ),
        Column("location", "Vị trí địa lý", Kind.TEXT, "Câu mô tả giáp ranh (không bắt buộc)."),
        Column(
            "signer",
            "Người ký",
            Kind.TEXT,
            "Họ tên người ký báo cáo.",
            aliases=("Người ký báo cáo",),
        ),
        Column(
            "signer_role",
            "Chức vụ người ký",
            Kind.CHOICE,
            "CHỦ TỊCH hoặc PHÓ CHỦ TỊCH (ký thay: KT. CHỦ TỊCH); để trống là CHỦ TỊCH.",
            choices=SIGNER_ROLES,
            default="CHỦ TỊCH",
        ),
        Column(
            "doc_number",
            "Số văn bản",
            Kind.TEXT,
            "Phần số của «Số: 123/BC-UBND»; để trống để ghi tay khi vào sổ.",
            aliases=("Số báo cáo",),
        ),
        Column(
            "recipients",
            "Nơi nhận",
            Kind.TEXT,
            "Mỗi nơi nhận một dòng (Alt+Enter) hoặc ngăn bằng dấu chấm phẩy; tự thêm «Lưu: VT».",
        ),
        Column(
            "violations",
            "Số CBCC vi phạm",
            Kind.COUNT,
            "Số cán bộ, công chức có hành vi vi phạm trong kỳ.",
            aliases=("Số cán bộ vi phạm",),
        ),
        Column(
            "attitude_complaints",
            "Số đơn về thái độ phục vụ",
            Kind.COUNT,
            "Số đơn thư phản ánh thái độ phục vụ của cán bộ, công chức trong kỳ.",
        ),
    ),
)

TIEP_CONG_DAN = Sheet(
    key="tiep_cong_dan",
    title="TiepCongDan",
    aliases=("Tiếp công dân", "Sổ tiếp công dân"),
    help="Sổ tiếp công dân: mỗi dòng một lượt tiếp.",
    columns=(
        Column(
            "stt", "STT", Kind.COUNT, "Số thứ tự (không bắt buộc).", aliases=("Số TT",), width=6
        ),
        Column(
            "date",
            "Ngày tiếp",
            Kind.DATE,
            "Ngày tiếp công dân, ví dụ 14/9/2024.",
            required=True,
            width=12,
        ),
        Column(
            "session",
            "Buổi",
            Kind.CHOICE,
            "Sáng hoặc Chiều (không bắt buộc).",
            choices=(Choice("sang", "Sáng"), Choice("chieu", "Chiều")),
            width=8,
        ),
        Column(
            "mode",
            "Hình thức tiếp",
            Kind.CHOICE,
            "Thường xuyên; Định kỳ (Chủ tịch tiếp theo lịch); Ủy quyền (Phó Chủ tịch tiếp thay "
            "Chủ tịch); Đột xuất.",
            required=True,
            choices=RECEPTION_MODES,
            width=15,
        ),
        Column("receiver", "Người tiếp", Kind.TEXT, "Người tiếp công dân.", width=18),
        Column(
            "people",
            "Số người",
            Kind.COUNT,
            "Số người trong lượt tiếp, từ 1 trở lên (từ 5 là đoàn đông người).",
            required=True,
            width=9,
            kind_text="số nguyên từ 1 trở lên",
        ),
        Column(
            "case_code",
            "Mã vụ việc",
            Kind.TEXT,
            "Các lượt cùng mã là một vụ việc; để trống là một vụ việc riêng.",
            width=12,
        ),
        Column(
            "kind",
            "Phân loại",
            Kind.CHOICE,
            "Khiếu nại, Tố cáo, Kiến nghị hoặc Phản ánh.",
            required=True,
            choices=KINDS_OF_MATTER,
            width=12,
        ),
        Column("field", "Lĩnh vực", Kind.TEXT, "Đất đai, Chính sách, Môi trường…", width=14),
        Column(
            "name",
            "Họ tên",
            Kind.TEXT,
            "Họ tên công dân (dữ liệu cá nhân, không in ra).",
            personal=True,
            aliases=("Họ và tên", "Người đến"),
            width=20,
        ),
        Column(
            "address",
            "Địa chỉ",
            Kind.TEXT,
            "Địa chỉ (dữ liệu cá nhân, không in ra).",
            personal=True,
            width=20,
        ),
        Column(
            "id_number",
            "Số CCCD",
            Kind.TEXT,
            "Số căn cước (dữ liệu cá nhân, không in ra).",
            personal=True,
            aliases=("CCCD", "Số CMND", "Số căn cước"),
            width=14,
        ),
        Column(
            "content",
            "Nội dung",
            Kind.TEXT,
            "Nội dung vụ việc (không in ra).",
            personal=True,
            aliases=("Nội dung vụ việc",),
            width=30,
        ),
        Column("remark", "Ghi chú", Kind.TEXT, "Ghi chú.", personal=True, width=16),
    ),
)

DON_THU = Sheet(
    key="don_thu",
    title="DonThu",
    aliases=("Đơn thư", "Sổ đơn thư", "Tiếp nhận đơn thư"),
    help="Sổ tiếp nhận đơn thư: mỗi dòng một đơn.",
    columns=(
        Column("date", "Ngày nhận", Kind.DATE, "Ngày nhận đơn.", required=True, width=12),
        Column(
            "kind",
            "Phân loại",
            Kind.CHOICE,
            "Khiếu nại, Tố cáo, Kiến nghị hoặc Phản ánh.",
            required=True,
            choices=KINDS_OF_MATTER,
            width=12,
        ),
        Column(
            "source",
            "Nguồn đơn",
            Kind.CHOICE,
            "Trực tiếp, Bưu chính, Chuyển đến hoặc Khác.",
            choices=(
                Choice("truc_tiep", "Trực tiếp"),
                Choice("buu_chinh", "Bưu chính"),
                Choice("chuyen_den", "Chuyển đến"),
                Choice("khac", "Khác"),
            ),
            width=12,
        ),
        Column(
            "eligible",
            "Đủ điều kiện xử lý",
            Kind.BOOL,
            "Có/Không (để trống là Không).",
            required=True,
            width=10,
        ),
        Column(
            "processed",
            "Đã xử lý",
            Kind.BOOL,
            "Có/Không (để trống là Không).",
            required=True,
            width=10,
        ),
        Column(
            "sender",
            "Người gửi",
            Kind.TEXT,
            "Người gửi đơn (dữ liệu cá nhân, không in ra).",
            personal=True,
            aliases=("Họ tên",),
            width=20,
        ),
        Column(
            "content", "Nội dung", Kind.TEXT, "Nội dung đơn (không in ra).", personal=True, width=30
        ),
    ),
)

_COUNT_HELP = "Số hồ sơ (số nguyên không âm)."

MOT_CUA = Sheet(
    key="mot_cua",
    title="MotCua",
    aliases=("Một cửa", "Hồ sơ một cửa"),
    help="Số liệu hồ sơ một cửa: mỗi dòng một lĩnh vực trong một tháng báo cáo (mẫu II.06a).",
    columns=(
        Column(
            "month", "Tháng", Kind.MONTH, "Tháng báo cáo của dòng (1–12).", required=True, width=7
        ),
        Column(
            "field", "Lĩnh vực", Kind.TEXT, "Lĩnh vực thủ tục hành chính.", required=True, width=26
        ),
        Column(
            "carried",
            "Kỳ trước chuyển sang",
            Kind.COUNT,
            "Hồ sơ kỳ trước chuyển sang (để trống là 0).",
            aliases=("Kỳ trước chuyển qua", "Từ kỳ trước"),
        ),
        Column(
            "online",
            "Trực tuyến",
            Kind.COUNT,
            "Hồ sơ mới tiếp nhận trực tuyến.",
            required=True,
            width=11,
        ),
        Column(
            "direct",
            "Trực tiếp",
            Kind.COUNT,
            "Hồ sơ mới tiếp nhận trực tiếp (cột «Trực tiếp, dịch vụ bưu chính» của mẫu II.06a "
            "cũng ghi vào đây).",
            required=True,
            aliases=("Trực tiếp, dịch vụ bưu chính", "Trực tiếp, bưu chính"),
            width=11,
        ),
        Column("postal", "Bưu chính", Kind.COUNT, "Hồ sơ mới tiếp nhận qua bưu chính.", width=11),
        Column(
            "total",
            "Tổng tiếp nhận",
            Kind.COUNT,
            "Không bắt buộc; nếu ghi phải bằng trực tuyến + trực tiếp + bưu chính, hoặc cộng cả "
            "kỳ trước chuyển sang (như «Tổng số» của mẫu II.06a).",
            aliases=("Tổng số tiếp nhận", "Tổng số"),
            width=11,
        ),
        Column("early", "Trước hạn", Kind.COUNT, "Hồ sơ đã giải quyết trước hạn.", width=10),
        Column("on_time", "Đúng hạn", Kind.COUNT, "Hồ sơ đã giải quyết đúng hạn.", width=10),
        Column("late", "Quá hạn", Kind.COUNT, "Hồ sơ đã giải quyết quá hạn.", width=10),
        Column(
            "open_in_time",
            "Đang giải quyết trong hạn",
            Kind.COUNT,
            "Hồ sơ đang giải quyết, còn trong hạn, cuối tháng.",
            aliases=("Đang giải quyết",),
        ),
        Column(
            "open_overdue",
            "Đang giải quyết quá hạn",
            Kind.COUNT,
            "Hồ sơ đang giải quyết, đã quá hạn, cuối tháng.",
        ),
    ),
)

CHANNELS = (
    Choice(
        "online",
        "Trực tuyến",
        ("Online", "Qua mạng", "DVC trực tuyến", "Nộp trực tuyến", "Dịch vụ công trực tuyến"),
    ),
    Choice("direct", "Trực tiếp", ("Tại quầy", "Nộp trực tiếp")),
    Choice("postal", "Bưu chính", ("Bưu chính công ích", "BCCI", "Qua bưu điện")),
)

DOSSIER_STATUSES = (
    Choice("dang_xu_ly", "Đang xử lý"),
    Choice("cho_bo_sung", "Chờ bổ sung"),
    Choice("da_co_ket_qua", "Đã có kết quả", ("Hoàn thành", "Đã trả kết quả", "Đã giải quyết")),
    Choice("tra_lai", "Trả lại", ("Từ chối",)),
    Choice("rut", "Rút", ("Công dân rút hồ sơ", "Xin rút")),
    Choice("dung_xu_ly", "Dừng xử lý"),
)
ENDED_STATUSES = frozenset({"da_co_ket_qua", "tra_lai", "rut", "dung_xu_ly"})
"""Statuses of a dossier that has ended: it must have a Ngày có kết quả."""
ON_TIME_STATUSES = frozenset({"tra_lai", "rut", "dung_xu_ly"})
"""Dossiers ended this way count as resolved on time whatever their dates (form II.06a:
"đúng hạn, bao gồm cả hồ sơ trả lại/xin rút")."""


def _personal(key: str, title: str, what: str, *aliases: str, width: int = 18) -> Column:
    return Column(
        key,
        title,
        Kind.TEXT,
        f"{what} (dữ liệu cá nhân: không đọc, không in ra).",
        personal=True,
        aliases=aliases,
        width=width,
    )


HO_SO = Sheet(
    key="ho_so",
    title="HoSo",
    aliases=("Hồ sơ", "Danh sách hồ sơ"),
    help="Danh sách hồ sơ xuất từ Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh: "
    "mỗi dòng một hồ sơ. Khi có, số liệu hồ sơ một cửa lấy từ đây thay cho trang MotCua.",
    columns=(
        Column(
            "stt", "STT", Kind.COUNT, "Số thứ tự (không bắt buộc).", aliases=("Số TT",), width=6
        ),
        Column(
            "code",
            "Mã hồ sơ",
            Kind.TEXT,
            "Mã (số) hồ sơ trên hệ thống; không trùng nhau (không kể chữ hoa/thường, dấu cách).",
            required=True,
            aliases=("Số hồ sơ", "Mã HS"),
            width=26,
        ),
        Column(
            "field",
            "Lĩnh vực",
            Kind.TEXT,
            "Lĩnh vực thủ tục hành chính.",
            required=True,
            aliases=("Tên lĩnh vực",),
            width=26,
        ),
        Column(
            "procedure",
            "Thủ tục",
            Kind.TEXT,
            "Tên thủ tục hành chính (không bắt buộc).",
            aliases=("Tên thủ tục", "Tên TTHC", "Thủ tục hành chính"),
            width=40,
        ),
        Column(
            "channel",
            "Kênh nộp",
            Kind.CHOICE,
            "Trực tuyến, Trực tiếp hoặc Bưu chính.",
            required=True,
            aliases=("Hình thức nộp", "Kênh tiếp nhận", "Hình thức tiếp nhận"),
            choices=CHANNELS,
            width=12,
        ),
        Column(
            "received",
            "Ngày tiếp nhận",
            Kind.DATE,
            "Ngày tiếp nhận hồ sơ (giờ, nếu có, được bỏ qua).",
            required=True,
            aliases=("Ngày nhận", "Ngày nộp", "Ngày nhận hồ sơ", "Thời gian tiếp nhận"),
            width=17,
            timestamp=True,
        ),
        Column(
            "due",
            "Ngày hẹn trả",
            Kind.DATE,
            "Ngày hẹn trả kết quả (hạn giải quyết).",
            required=True,
            aliases=(
                "Hạn xử lý",
                "Hạn giải quyết",
                "Ngày hẹn trả kết quả",
                "Thời gian hẹn trả",
                "Thời gian hẹn trả kết quả",
            ),
            width=17,
            timestamp=True,
        ),
        Column(
            "result",
            "Ngày có kết quả",
            Kind.DATE,
            "Ngày hồ sơ kết thúc (có kết quả, trả lại, rút, dừng); để trống là chưa xong.",
            aliases=(
                "Ngày hoàn thành",
                "Ngày trả kết quả",
                "Ngày kết thúc",
                "Ngày giải quyết",
                "Thời gian trả kết quả",
                "Thời gian có kết quả",
            ),
            width=17,
            timestamp=True,
        ),
        Column(
            "status",
            "Trạng thái",
            Kind.CHOICE,
            "Đang xử lý, Chờ bổ sung, Đã có kết quả, Trả lại, Rút hoặc Dừng xử lý "
            "(không bắt buộc).",
            aliases=("Tình trạng", "Trạng thái hồ sơ"),
            choices=DOSSIER_STATUSES,
            width=15,
        ),
        _personal("owner", "Chủ hồ sơ", "Người đứng tên hồ sơ", "Tên chủ hồ sơ", width=22),
        _personal("applicant", "Người nộp", "Người nộp hồ sơ", "Người nộp hồ sơ", width=22),
        _personal("document_number", "Số giấy tờ", "Số giấy tờ tùy thân", "Số giấy tờ tùy thân"),
        _personal("id_number", "CCCD", "Số căn cước", "Số CCCD", "Số căn cước", "Số CMND"),
        _personal("address", "Địa chỉ", "Địa chỉ", "Địa chỉ chủ hồ sơ", width=26),
        _personal("phone", "Số điện thoại", "Số điện thoại", "Điện thoại", "SĐT"),
        _personal("email", "Email", "Thư điện tử", "Thư điện tử", "E-mail"),
    ),
)

THU_TUC = Sheet(
    key="thu_tuc",
    title="ThuTuc",
    aliases=("Thủ tục", "Thủ tục hành chính", "Danh mục TTHC"),
    help="Danh mục thủ tục hành chính: mỗi dòng một lĩnh vực.",
    columns=(
        Column("field", "Lĩnh vực", Kind.TEXT, "Lĩnh vực.", required=True, width=30),
        Column(
            "total",
            "Số TTHC",
            Kind.COUNT,
            "Số thủ tục hành chính của lĩnh vực.",
            required=True,
            aliases=("Số thủ tục",),
            width=10,
        ),
        Column(
            "full_online",
            "DVC toàn trình",
            Kind.COUNT,
            "Số thủ tục dịch vụ công toàn trình.",
            aliases=("Toàn trình",),
            width=10,
        ),
        Column(
            "partial_online",
            "DVC một phần",
            Kind.COUNT,
            "Số thủ tục dịch vụ công một phần.",
            aliases=("Một phần",),
            width=10,
        ),
    ),
)

VAN_BAN = Sheet(
    key="van_ban",
    title="VanBan",
    aliases=("Văn bản",),
    help="Văn bản được dẫn trong báo cáo: mỗi dòng một văn bản; Nhóm quyết định mục trích dẫn.",
    columns=(
        Column(
            "number",
            "Số ký hiệu",
            Kind.TEXT,
            "Ví dụ 17/KH-UBND hoặc 24-KH/DVĐU-UBND.",
            required=True,
            aliases=("Số, ký hiệu", "Số hiệu"),
            width=18,
        ),
        Column("date", "Ngày ban hành", Kind.DATE, "Ngày ký ban hành.", required=True, width=12),
        Column(
            "summary",
            "Trích yếu",
            Kind.TEXT,
            "Trích yếu, viết liền sau chữ «về việc», ví dụ «tiếp công dân năm 2024».",
            required=True,
            width=50,
        ),
        Column(
            "issuer",
            "Cơ quan ban hành",
            Kind.TEXT,
            "Để trống nếu là UBND xã/phường mình.",
            width=22,
        ),
        Column(
            "group",
            "Nhóm",
            Kind.CHOICE,
            "Mục của báo cáo dẫn văn bản này.",
            required=True,
            choices=DOCUMENT_GROUPS,
            width=20,
        ),
    ),
)

MO_HINH = Sheet(
    key="mo_hinh",
    title="MoHinh",
    aliases=("Mô hình", "Dân vận khéo", "Mô hình dân vận khéo"),
    help="Mô hình «Dân vận khéo»: mỗi dòng một mô hình.",
    columns=(
        Column("name", "Tên mô hình", Kind.TEXT, "Tên mô hình.", required=True, width=40),
        Column("unit", "Đơn vị thực hiện", Kind.TEXT, "Đơn vị thực hiện.", required=True, width=30),
        Column("field", "Lĩnh vực", Kind.TEXT, "Lĩnh vực.", width=14),
        Column("year", "Năm công nhận", Kind.YEAR, "Năm được công nhận.", width=10),
    ),
)

NOI_DUNG = Sheet(
    key="noi_dung",
    title="NoiDung",
    aliases=("Nội dung", "Nội dung báo cáo"),
    help="Lời văn của đơn vị: mỗi dòng một đoạn, cột Mục ghi mục của báo cáo (I, II.1 … IV).",
    columns=(
        Column(
            "section",
            "Mục",
            Kind.CHOICE,
            "Mã mục: I, II.1, II.2, II.3.1, II.3.2.a, II.3.2.b, "
            "II.3.2.c, II.4, II.5, II.6, III.1, III.2, III.3, IV.",
            required=True,
            choices=NOTE_SECTIONS,
            width=10,
        ),
        Column(
            "text",
            "Nội dung",
            Kind.TEXT,
            "Một đoạn văn; với mục IV mỗi dòng là một nhiệm vụ.",
            required=True,
            aliases=("Đoạn văn",),
            width=100,
        ),
    ),
)

GUIDE_TITLE = "HuongDan"
"""The sheet of column-by-column help that ``danvan init`` writes first; never read."""

SHEETS: tuple[Sheet, ...] = (
    THONG_TIN,
    TIEP_CONG_DAN,
    DON_THU,
    MOT_CUA,
    HO_SO,
    THU_TUC,
    VAN_BAN,
    MO_HINH,
    NOI_DUNG,
)

THONG_TIN_HEADERS = (
    Column("item", "Mục", Kind.TEXT, "Tên mục.", required=True, width=28),
    Column("value", "Giá trị", Kind.TEXT, "Giá trị.", required=True, width=60),
)


@dataclass(frozen=True)
class Catalogue:
    sheets: tuple[Sheet, ...] = field(default=SHEETS)

    def find(self, sheet_name: str) -> Sheet | None:
        key = fold(sheet_name)
        for sheet in self.sheets:
            if key in sheet.folded_names:
                return sheet
        return None


CATALOGUE = Catalogue()
