"""The validation report (issues with severity, code, cell and a Vietnamese fix) and the checks
that look across rows and sheets."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from danvan_cli.models import DossierMonth, Procedure


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "lỗi" if self is Severity.ERROR else "cảnh báo"


@dataclass(frozen=True)
class IssueType:
    code: str
    severity: Severity
    title: str
    hint: str


E, W = Severity.ERROR, Severity.WARNING

ISSUE_TYPES: dict[str, IssueType] = {
    t.code: t
    for t in (
        IssueType(
            "missing-sheet", E, "Thiếu trang", "Thêm trang này (lệnh danvan init tạo sổ mẫu)."
        ),
        IssueType(
            "no-header",
            E,
            "Không có dòng tiêu đề",
            "Dòng tiêu đề phải nằm trong 10 dòng đầu và có ít nhất hai tên cột đúng mẫu.",
        ),
        IssueType("missing-column", E, "Thiếu cột", "Thêm cột với đúng tên này vào dòng tiêu đề."),
        IssueType(
            "unknown-column",
            W,
            "Cột không dùng",
            "Cột này bị bỏ qua; nếu là cột của mẫu, sửa lại tên cho đúng.",
        ),
        IssueType("required", E, "Thiếu dữ liệu bắt buộc", "Điền giá trị vào ô này."),
        IssueType(
            "bad-date",
            E,
            "Ngày không hợp lệ",
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 14/9/2024 (ngày đứng trước).",
        ),
        IssueType(
            "bad-number",
            E,
            "Số không hợp lệ",
            "Nhập số nguyên không âm, ví dụ 12 hoặc 1.234 (dấu chấm ngăn hàng nghìn).",
        ),
        IssueType(
            "bad-decimal",
            E,
            "Số thập phân không hợp lệ",
            "Nhập số với dấu phẩy thập phân, ví dụ 7,02.",
        ),
        IssueType(
            "bad-choice",
            E,
            "Giá trị không có trong danh sách",
            "Chọn một giá trị trong danh sách của cột.",
        ),
        IssueType(
            "bad-bool",
            E,
            "Giá trị Có/Không không hợp lệ",
            "Nhập Có hoặc Không (hoặc x / để trống, 1 / 0).",
        ),
        IssueType("bad-year", E, "Năm không hợp lệ", "Nhập năm bốn chữ số, ví dụ 2024."),
        IssueType("bad-month", E, "Tháng không hợp lệ", "Nhập tháng từ 1 đến 12."),
        IssueType(
            "out-of-range",
            E,
            "Giá trị ngoài khoảng cho phép",
            "Nhập số trong khoảng nêu ở thông báo (ví dụ mỗi lượt tiếp có ít nhất 1 người).",
        ),
        IssueType(
            "text-too-long",
            E,
            "Chữ quá dài",
            "Rút gọn nội dung của ô: tên đơn vị, huyện, tỉnh chỉ cần vài chục chữ.",
        ),
        IssueType(
            "invalid-row",
            E,
            "Dòng không hợp lệ",
            "Kiểm tra lại các ô của dòng này theo hướng dẫn của từng cột.",
        ),
        IssueType(
            "implausible-value",
            W,
            "Số liệu khó tin",
            "Kiểm tra lại đơn vị tính (diện tích tính bằng km², dân số tính bằng người).",
        ),
        IssueType(
            "formula-no-value",
            E,
            "Công thức chưa có kết quả",
            "Mở tệp bằng Excel hoặc LibreOffice, để máy tính công thức rồi lưu lại "
            "(hoặc thay công thức bằng số).",
        ),
        IssueType(
            "error-value",
            E,
            "Ô báo lỗi công thức",
            "Sửa công thức (ví dụ #REF!, #DIV/0!) hoặc nhập số trực tiếp.",
        ),
        IssueType(
            "date-outside-year",
            W,
            "Ngày lệch xa năm của sổ",
            "Kiểm tra lại năm của ngày (có thể gõ nhầm).",
        ),
        IssueType(
            "total-mismatch",
            E,
            "Tổng tiếp nhận không khớp",
            "Tổng tiếp nhận phải bằng Trực tuyến + Trực tiếp + Bưu chính, hoặc bằng tổng đó "
            "cộng Kỳ trước chuyển sang (như cột «Tổng số» của mẫu II.06a); sửa số kênh hoặc "
            "tổng.",
        ),
        IssueType(
            "dossier-overflow",
            E,
            "Số hồ sơ giải quyết vượt số phải giải quyết",
            "Đã giải quyết + đang giải quyết không được lớn hơn kỳ trước chuyển sang + "
            "mới tiếp nhận; kiểm tra lại các số của dòng.",
        ),
        IssueType(
            "carry-mismatch",
            W,
            "Kỳ trước chuyển sang không khớp",
            "Kỳ trước chuyển sang của tháng này thường bằng số đang giải quyết cuối tháng "
            "trước của cùng lĩnh vực.",
        ),
        IssueType(
            "duplicate-month",
            E,
            "Trùng lĩnh vực trong tháng",
            "Mỗi lĩnh vực chỉ có một dòng cho mỗi tháng; gộp hoặc xóa dòng trùng.",
        ),
        IssueType(
            "duplicate-dossier",
            E,
            "Trùng mã hồ sơ",
            "Mỗi hồ sơ chỉ có một dòng trong danh sách (kể cả khi ghép nhiều tệp xuất): xóa "
            "dòng trùng, hoặc bỏ tệp xuất bị đưa vào hai lần.",
        ),
        IssueType(
            "due-before-received",
            E,
            "Ngày hẹn trả trước ngày tiếp nhận",
            "Kiểm tra lại hai ngày của hồ sơ (ngày viết trước tháng); sửa theo hệ thống một cửa.",
        ),
        IssueType(
            "result-before-received",
            E,
            "Ngày có kết quả trước ngày tiếp nhận",
            "Kiểm tra lại hai ngày của hồ sơ (ngày viết trước tháng); sửa theo hệ thống một cửa.",
        ),
        IssueType(
            "ended-without-result",
            E,
            "Hồ sơ đã kết thúc nhưng thiếu ngày có kết quả",
            "Ghi Ngày có kết quả (ngày trả kết quả, trả lại, rút hoặc dừng xử lý), hoặc sửa "
            "Trạng thái nếu hồ sơ chưa xong.",
        ),
        IssueType(
            "open-with-result",
            W,
            "Hồ sơ đang xử lý nhưng đã có ngày có kết quả",
            "danvan coi hồ sơ đã kết thúc vào ngày có kết quả; nếu hồ sơ chưa xong, xóa ngày "
            "đó, nếu đã xong, sửa Trạng thái.",
        ),
        IssueType(
            "mot-cua-set-aside",
            W,
            "Trang MotCua không được dùng",
            "Số liệu hồ sơ đã lấy từ danh sách hồ sơ (HoSo); có thể xóa các dòng MotCua để "
            "khỏi nhầm.",
        ),
        IssueType(
            "procedure-overflow",
            E,
            "Số DVC vượt số thủ tục",
            "DVC toàn trình + DVC một phần không được lớn hơn Số TTHC của lĩnh vực.",
        ),
        IssueType(
            "kind-mismatch",
            W,
            "Một vụ việc có nhiều phân loại",
            "Các lượt cùng Mã vụ việc nên ghi cùng một phân loại; vụ việc được tính theo "
            "phân loại của lượt đầu tiên.",
        ),
        IssueType(
            "unknown-item",
            W,
            "Mục không dùng",
            "Mục này bị bỏ qua; nếu là mục của mẫu, sửa lại tên cho đúng.",
        ),
        IssueType("duplicate-item", W, "Mục trùng", "Mục này ghi hai lần; danvan dùng dòng đầu."),
        IssueType(
            "not-comparable",
            E,
            "Sổ so sánh không dùng được",
            "Chọn sổ năm trước của chính đơn vị này (cùng tên, loại đơn vị và tỉnh; Năm là năm "
            "trước năm của sổ đang kiểm tra).",
        ),
        IssueType(
            "duplicate-sheet",
            E,
            "Hai trang cùng loại đều có dữ liệu",
            "Chuyển hết dữ liệu vào một trang rồi xóa trang kia (hoặc đổi tên trang kia để "
            "danvan bỏ qua nó).",
        ),
        IssueType(
            "twin-sheet",
            W,
            "Hai trang cùng loại",
            "Xóa trang thừa để mỗi loại chỉ còn một trang (trang ẩn: nhấp phải vào tên một "
            "trang, chọn Bỏ ẩn để thấy nó).",
        ),
        IssueType(
            "absent-sheet",
            W,
            "Không có trang",
            "Nếu đơn vị có số liệu này, thêm trang với đúng tên (lệnh danvan init tạo sổ mẫu "
            "đủ các trang); nếu trang đã có dưới tên khác, sửa lại tên trang.",
        ),
        IssueType(
            "unknown-sheet",
            W,
            "Trang không dùng",
            "Nếu đây là một trang của mẫu, sửa tên trang cho đúng (ThongTin, TiepCongDan, "
            "DonThu, MotCua, HoSo, ThuTuc, VanBan, MoHinh, NoiDung); trang riêng của đơn vị thì "
            "không cần sửa.",
        ),
        IssueType(
            "log-starts-late",
            W,
            "Số liệu sau kỳ báo cáo",
            "Kiểm tra kỳ báo cáo (--period, --year) hoặc dùng đúng tệp của kỳ đó.",
        ),
        IssueType(
            "log-ends-early",
            W,
            "Sổ ghi chưa tới cuối kỳ",
            "Nhập nốt các dòng đến cuối kỳ rồi lập lại báo cáo; nếu sau ngày đó thật sự không "
            "có lượt tiếp, đơn thư nào thì bỏ qua cảnh báo này.",
        ),
        IssueType(
            "month-missing",
            W,
            "Tháng không có số liệu một cửa",
            "Thêm dòng của các tháng còn thiếu vào trang MotCua (mỗi lĩnh vực một dòng mỗi "
            "tháng; tháng không có hồ sơ thì ghi 0).",
        ),
        IssueType(
            "window-off-period",
            W,
            "Khoảng ngày lệch khỏi kỳ báo cáo",
            "Kiểm tra lại --from, --to (cùng năm với kỳ báo cáo) và --period, --year; hoặc bỏ "
            "--from, --to để dùng khoảng ngày chuẩn của kỳ.",
        ),
        IssueType(
            "date-before-end",
            W,
            "Ngày báo cáo trước ngày cuối kỳ",
            "Ghi ngày báo cáo (--date) từ ngày cuối kỳ trở đi, hoặc chọn lại kỳ báo cáo "
            "(--period).",
        ),
        IssueType(
            "no-data",
            W,
            "Sổ chưa có số liệu",
            "Nhập số liệu vào các trang TiepCongDan, DonThu, MotCua, ThuTuc, VanBan, MoHinh, "
            "NoiDung rồi kiểm tra lại.",
        ),
        IssueType(
            "no-signer",
            W,
            "Chưa có người ký",
            "Thêm mục «Người ký» (họ tên người ký báo cáo) vào trang ThongTin.",
        ),
    )
}


ERROR_CODES = frozenset(code for code, kind in ISSUE_TYPES.items() if kind.severity is E)


Message = str | Callable[[], str]
"""An issue's message, or what words it when it is shown: building a message may cost a near
miss search (cells.py), and a log may hold a hundred thousand issues of which a screen shows a
few hundred (SPEC §7: only the messages that are shown are formatted). A callable must be
pure and picklable (``functools.partial`` of a module-level function or of a string's
``format``)."""


class Issue(NamedTuple):
    """One problem: its code (ISSUE_TYPES), its message (``text``, maybe still to be worded:
    read ``message``), and where it is. A log may hold a hundred thousand of them: an issue is
    a small immutable tuple (the cheapest object Python makes), and only the ones shown are
    ever worded and turned into rich text (console.py)."""

    code: str
    text: Message
    sheet: str | None = None
    cell: str | None = None
    column: str | None = None

    @property
    def message(self) -> str:
        text = self.text
        return text if isinstance(text, str) else text()

    @property
    def type(self) -> IssueType:
        return ISSUE_TYPES[self.code]

    @property
    def severity(self) -> Severity:
        return self.type.severity

    @property
    def hint(self) -> str:
        return self.type.hint

    @property
    def ref(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "sheet": self.sheet,
            "cell": self.cell,
            "ref": self.ref or None,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


MAX_ISSUES = 100_000
"""Issues one command keeps, all the reports it makes together (a workbook, its ``--ho-so``
exports, last year's workbook, every file ``validate`` is given): a workbook whose every cell
is wrong would otherwise hold millions, and five exports five times as many. The first ones
(file by file, sheet by sheet, row by row) are kept; the others are counted by code in
``Report.omitted``, never lost silently."""
KEPT_PER_REPORT = 200
"""Issues each report keeps even when the command's MAX_ISSUES are spent (what ``validate``
shows of a file, console.MAX_SHOWN): a file checked after a flood of issues in another still
shows its own first ones."""


class Budget:
    """How many issues one command run keeps (MAX_ISSUES), shared by every report it makes:
    what ``validate`` holds stays bounded however many files it is given (SPEC §6).

    A run that only shows issues (``validate``'s text output shows each file's first
    ``shown``) makes no more than those: the other issues it keeps are only counted
    (``Report.unshown``), so that what it says of them — how many more ``--json`` lists, how
    many not even it — is what a run that made them would say."""

    __slots__ = ("kept", "limit", "shown")

    def __init__(self, limit: int | None = None, shown: int | None = None) -> None:
        self.limit = MAX_ISSUES if limit is None else limit
        self.shown = shown
        self.kept = 0

    @property
    def room(self) -> int:
        return max(self.limit - self.kept, 0)


@dataclass
class Report:
    """Everything wrong with one workbook, found in one pass."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    fatal: str | None = None  # the file could not be read at all
    omitted: dict[str, int] = field(default_factory=dict)
    """Issues past the budget, counted by code."""
    budget: Budget = field(default_factory=Budget, repr=False, compare=False)
    """The issues the command keeps, shared with its other reports (a budget of its own when
    none is given)."""
    unshown: dict[str, int] = field(default_factory=dict)
    """Issues kept but never made, counted by code: past the first ``budget.shown`` of a run
    that only shows them."""

    def add(
        self,
        code: str,
        message: Message,
        sheet: str | None = None,
        cell: str | None = None,
        column: str | None = None,
    ) -> None:
        if self.room <= 0:
            self.omit(code)
            return
        self.issues.append(Issue(code, message, sheet, cell, column))
        self.budget.kept += 1

    def keep(self, issue: Issue) -> None:
        """Keep ``issue`` if the budget has room, else count it as omitted."""
        if self.room <= 0:
            self.omit(issue.code)
            return
        self.issues.append(issue)
        self.budget.kept += 1

    def extend(self, issues: Iterable[Issue]) -> None:
        """Keep ``issues``, which the caller has cut to the report's ``room``."""
        before = len(self.issues)
        self.issues.extend(issues)
        self.budget.kept += len(self.issues) - before

    def omit(self, code: str, count: int = 1) -> None:
        """Count issues that are not made: kept but not shown (``unshown``, as many as the
        budget keeps), the others past the budget (``omitted``)."""
        if self.budget.shown is not None:
            kept = min(count, self._kept_room())
            if kept:
                self.unshown[code] = self.unshown.get(code, 0) + kept
                self.budget.kept += kept
                count -= kept
        if count:
            self.omitted[code] = self.omitted.get(code, 0) + count

    @property
    def room(self) -> int:
        """How many more issues the report makes: what is left of the command's budget, or of
        its own first KEPT_PER_REPORT — in a run that only shows them, no more than it shows."""
        kept = self._kept_room()
        if self.budget.shown is None:
            return kept
        return min(kept, max(self.budget.shown - len(self.issues), 0))

    def _kept_room(self) -> int:
        return max(self.budget.room, KEPT_PER_REPORT - len(self.issues) - self.unshown_count, 0)

    @property
    def unshown_count(self) -> int:
        return sum(self.unshown.values())

    def _counted(self) -> Iterator[tuple[str, int]]:
        """(code, count) of the issues not made: unshown and omitted."""
        yield from self.unshown.items()
        yield from self.omitted.items()

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.code in ERROR_CODES]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.code not in ERROR_CODES]

    @property
    def error_count(self) -> int:
        """Errors, those not made included, the unreadable file counted as one."""
        made = sum(1 for i in self.issues if i.code in ERROR_CODES)
        counted = sum(n for code, n in self._counted() if code in ERROR_CODES)
        return made + counted + (1 if self.fatal else 0)

    @property
    def warning_count(self) -> int:
        made = sum(1 for i in self.issues if i.code not in ERROR_CODES)
        return made + sum(n for code, n in self._counted() if code not in ERROR_CODES)

    @property
    def ok(self) -> bool:
        return (
            self.fatal is None
            and not any(i.code in ERROR_CODES for i in self.issues)
            and not any(code in ERROR_CODES for code, _ in self._counted())
        )

    def counts_by_code(self) -> dict[str, int]:
        """Issues by code, those not made included."""
        counts: dict[str, int] = defaultdict(int)
        for issue in self.issues:
            counts[issue.code] += 1
        for code, count in self._counted():
            counts[code] += count
        return dict(counts)

    def omitted_note(self, json: bool = False) -> str | None:
        """What to say of the issues past the budget, listed nowhere (in the JSON, ``json``;
        else on screen), or None when every issue is listed."""
        from danvan_cli.vietnamese import group_thousands

        count = sum(self.omitted.values())
        if not count:
            return None
        where = "" if json else ", kể cả trong --json"
        return (
            f"Còn {group_thousands(count)} vấn đề không được liệt kê{where}: một lần chạy chỉ "
            f"liệt kê {group_thousands(MAX_ISSUES)} vấn đề đầu tiên (và {KEPT_PER_REPORT} vấn "
            "đề đầu của mỗi tệp); số lỗi và cảnh báo vẫn được đếm đủ."
        )

    def summary_json(self) -> dict[str, Any]:
        """The report's JSON but its issues (``to_json`` without the "issues" key), for a
        writer that streams the issues one by one."""
        return {
            "file": self.file,
            "ok": self.ok,
            "fatal": self.fatal,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "counts": self.counts_by_code(),
            "omitted": sum(self.omitted.values()),
            "omitted_note": self.omitted_note(json=True),
        }

    def to_json(self) -> dict[str, Any]:
        return {**self.summary_json(), "issues": [issue.to_json() for issue in self.issues]}


CellOf = dict[str, int]
"""Column key -> absolute column index of one sheet, to name cells in cross-row checks."""


def _ref(columns: CellOf, key: str, row: int) -> str | None:
    from danvan_cli.vietnamese import column_letter

    index = columns.get(key)
    return None if index is None else f"{column_letter(index)}{row}"


def check_dossiers(
    report: Report, sheet: str, columns: CellOf, rows: Iterable[DossierMonth]
) -> None:
    """Typed totals, resolved+open within what there was, duplicates, carry-over continuity."""
    by_field: dict[str, dict[int, DossierMonth]] = defaultdict(dict)
    for row in rows:
        # Form II.06a's "Tổng số" includes "Từ kỳ trước": either total is right.
        if row.total is not None and row.total not in (row.received, row.received + row.carried):
            also = (
                f" (cộng kỳ trước chuyển sang {row.carried}: {row.received + row.carried})"
                if row.carried
                else ""
            )
            report.add(
                "total-mismatch",
                f"Tổng tiếp nhận ghi {row.total} nhưng Trực tuyến {row.online} + Trực tiếp "
                f"{row.direct} + Bưu chính {row.postal} = {row.received}{also}.",
                sheet,
                _ref(columns, "total", row.row),
                "Tổng tiếp nhận",
            )
        if row.resolved + row.open > row.carried + row.received:
            report.add(
                "dossier-overflow",
                f"Đã giải quyết {row.resolved} + đang giải quyết {row.open} = "
                f"{row.resolved + row.open}, lớn hơn kỳ trước chuyển sang {row.carried} + "
                f"mới tiếp nhận {row.received} = {row.carried + row.received}.",
                sheet,
                _ref(columns, "early", row.row) or _ref(columns, "field", row.row),
                "Trước hạn",
            )
        months = by_field[row.field.casefold()]
        if row.month in months:
            report.add(
                "duplicate-month",
                f"Lĩnh vực của dòng này đã có dòng cho tháng {row.month} "
                f"(dòng {months[row.month].row}).",
                sheet,
                _ref(columns, "field", row.row),
                "Lĩnh vực",
            )
            continue
        months[row.month] = row
    for months in by_field.values():
        for month, row in sorted(months.items()):
            before = months.get(month - 1)
            if before is not None and "carried" in columns and row.carried != before.open:
                report.add(
                    "carry-mismatch",
                    f"Tháng {month}: kỳ trước chuyển sang {row.carried}, nhưng cuối tháng "
                    f"{month - 1} lĩnh vực này còn {before.open} hồ sơ đang giải quyết "
                    f"(dòng {before.row}).",
                    sheet,
                    _ref(columns, "carried", row.row),
                    "Kỳ trước chuyển sang",
                )


def check_procedures(
    report: Report, sheet: str, columns: CellOf, rows: Iterable[Procedure]
) -> None:
    for row in rows:
        if row.full_online + row.partial_online > row.total:
            report.add(
                "procedure-overflow",
                f"DVC toàn trình {row.full_online} + DVC một phần {row.partial_online} lớn hơn "
                f"Số TTHC {row.total} của lĩnh vực.",
                sheet,
                _ref(columns, "full_online", row.row),
                "DVC toàn trình",
            )


def check_receptions(
    report: Report,
    sheet: str,
    columns: CellOf,
    numbers: Sequence[int],
    typed: Mapping[str, Sequence[Any]],
    valid: Sequence[int],
) -> None:
    """A matter (same Mã vụ việc) whose visits disagree on the kind: each visit of another
    kind than the matter's first visit (earliest date, then row) is named, since matters are
    counted by their first visit's kind (SPEC §3). Codes are matched, never quoted.

    Works on the log's typed columns (row numbers, codes, kinds, dates) of the valid rows: one
    dictionary look-up a visit when the kinds agree, as they almost always do."""
    from danvan_cli.schema import KINDS_OF_MATTER
    from danvan_cli.vietnamese import code_key, column_letter

    codes, kinds, dates = typed.get("case_code"), typed.get("kind"), typed.get("date")
    if codes is None or kinds is None or dates is None:
        return
    keys: dict[str, str] = {}  # code -> its matter (code_key), worked out once a code
    first_kind: dict[str, str] = {}
    conflicted: set[str] = set()
    for ok, code, kind in zip(valid, codes, kinds, strict=True):
        if ok and code:
            key = keys.get(code)
            if key is None:
                key = keys[code] = code_key(code)
            if first_kind.setdefault(key, kind) != kind:
                conflicted.add(key)
    if not conflicted:
        return
    # the first visit (earliest date, then row) of each matter whose visits disagree: rows
    # come in order, so a later visit of the same day never takes its place
    first: dict[str, tuple[Any, int, str]] = {}
    for ok, number, day, code, kind in zip(valid, numbers, dates, codes, kinds, strict=True):
        if ok and code and day is not None and (matter := keys[code]) in conflicted:
            known = first.get(matter)
            if known is None or day < known[0]:
                first[matter] = (day, number, kind)
    labels = {choice.key: choice.label for choice in KINDS_OF_MATTER}
    at = columns.get("kind")
    letter = "" if at is None else column_letter(at)
    mismatched = (  # in row order
        (number, kind, origin)
        for ok, number, code, kind in zip(valid, numbers, codes, kinds, strict=True)
        if ok and code and (origin := first.get(keys[code])) is not None and origin[2] != kind
    )
    word = _KIND_MISMATCH.format  # worded only when shown (a log may hold tens of thousands)
    report.extend(
        Issue(
            "kind-mismatch",
            partial(word, labels[kind], origin[1], labels[origin[2]]),
            sheet,
            f"{letter}{number}" if letter else None,
            "Phân loại",
        )
        for number, kind, origin in itertools.islice(mismatched, report.room)
    )
    rest = sum(1 for _ in mismatched)  # only counted
    if rest:
        report.omit("kind-mismatch", rest)


_KIND_MISMATCH = (
    "Lượt này ghi {} nhưng lượt đầu của cùng vụ việc (cùng Mã vụ việc, dòng {}) ghi {}."
)


# --- the per-dossier list (HoSo) -------------------------------------------------------------


@dataclass(frozen=True)
class DossierListPart:
    """One part of the per-dossier list — the workbook's HoSo sheet or one ``--ho-so``
    export — as read: its report, where it lies, and its typed columns (None where a cell is
    wrong) with row numbers and validity flags."""

    report: Report
    file: str  # the file's name, to point at a cell of another part
    sheet: str
    columns: CellOf
    numbers: Sequence[int]
    typed: Mapping[str, Sequence[Any]]
    valid: Sequence[int]


def check_dossier_lists(parts: Sequence[DossierListPart]) -> None:
    """The checks of SPEC §1 HoSo over the parts of one list: each row's dates and status,
    and each Mã hồ sơ once in the whole list (a duplicate names the first cell, in its file
    when another part holds it). Codes are matched, never quoted."""
    from danvan_cli.vietnamese import code_key, column_letter

    keys = [list(map(code_key, part.typed.get("code", ()))) for part in parts]
    for part in parts:
        _check_dossier_rows(part)
    every = [key for part_keys in keys for key in part_keys if key]
    if len(set(every)) == len(every):
        return  # no code twice: the common case, told at C speed
    seen: dict[str, tuple[int, int]] = {}  # code key -> (part, row) of its first cell
    letters = [column_letter(part.columns.get("code", 0)) for part in parts]
    for position, (part, part_keys) in enumerate(zip(parts, keys, strict=True)):
        if "code" not in part.columns:
            continue
        report = part.report
        for number, key in zip(part.numbers, part_keys, strict=True):
            if not key:
                continue
            first = seen.setdefault(key, (position, number))
            if first == (position, number):
                continue
            if report.room <= 0:
                report.omit("duplicate-dossier")
                continue
            owner = parts[first[0]]
            where = f"ô {owner.sheet}!{letters[first[0]]}{first[1]}"
            if first[0] != position:
                where += f" của tệp «{owner.file}»"
            report.add(
                "duplicate-dossier",
                f"Mã hồ sơ trùng với {where} (không kể chữ hoa/thường và dấu cách).",
                part.sheet,
                f"{letters[position]}{number}",
                "Mã hồ sơ",
            )


def _day(day: Any) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _check_dossier_rows(part: DossierListPart) -> None:
    """Dates before Ngày tiếp nhận (also on a row with another wrong cell), an ended status
    without Ngày có kết quả (errors), an ongoing one with it (a warning: the date wins)."""
    from danvan_cli.schema import DOSSIER_STATUSES, ENDED_STATUSES

    typed, columns, report, sheet = part.typed, part.columns, part.report, part.sheet
    received, due = typed.get("received"), typed.get("due")
    if received is None or due is None:
        return
    blank: list[Any] = [None] * len(part.numbers)
    results, statuses = typed.get("result", blank), typed.get("status", blank)
    labels = {choice.key: choice.label for choice in DOSSIER_STATUSES}
    rows = zip(part.valid, part.numbers, received, due, results, statuses, strict=True)
    for ok, number, start, deadline, result, status in rows:
        # a row with a wrong cell (None here) still has its dates compared, where both parsed
        if start is None:
            continue
        if deadline is not None and deadline < start:
            report.add(
                "due-before-received",
                f"Ngày hẹn trả {_day(deadline)} trước Ngày tiếp nhận {_day(start)}.",
                sheet,
                _ref(columns, "due", number),
                "Ngày hẹn trả",
            )
        if result is not None and result < start:
            report.add(
                "result-before-received",
                f"Ngày có kết quả {_day(result)} trước Ngày tiếp nhận {_day(start)}.",
                sheet,
                _ref(columns, "result", number),
                "Ngày có kết quả",
            )
        if status is None or not ok:  # a blank result cannot be told from a wrong one here
            continue
        if result is None and status in ENDED_STATUSES:
            report.add(
                "ended-without-result",
                f"Trạng thái «{labels[status]}» là hồ sơ đã kết thúc nhưng ô Ngày có kết quả "
                "để trống.",
                sheet,
                _ref(columns, "result", number) or _ref(columns, "status", number),
                "Ngày có kết quả" if "result" in columns else "Trạng thái",
            )
        elif result is not None and status not in ENDED_STATUSES:
            report.add(
                "open-with-result",
                f"Trạng thái «{labels[status]}» nhưng hồ sơ có Ngày có kết quả {_day(result)}: "
                "danvan coi hồ sơ đã kết thúc ngày đó.",
                sheet,
                _ref(columns, "status", number),
                "Trạng thái",
            )
