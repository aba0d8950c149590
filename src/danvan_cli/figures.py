"""Figures of the report (SPEC §3): pure functions from checked rows to the ``danvan.figures/1``
JSON contract. No I/O, no personal data."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict

from danvan_cli.models import (
    PLAUSIBLE_AREA_KM2,
    PLAUSIBLE_POPULATION,
    CommuneData,
    Document,
    DossierList,
    DossierMonth,
    Model,
    Petition,
    Procedure,
    Reception,
    UnitInfo,
)
from danvan_cli.period import Period
from danvan_cli.schema import ON_TIME_STATUSES, UNIT_KINDS
from danvan_cli.vietnamese import code_key, fold

SCHEMA = "danvan.figures/1"
MOT_CUA_SOURCE = "MotCua"
HO_SO_SOURCE = "HoSo"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitFigures(_Out):
    name: str
    kind: str
    province: str
    district: str | None = None


class PeriodFigures(_Out):
    code: str
    year: int
    window: str
    start: str
    end: str
    label: str
    next_label: str


class ProfileFigures(_Out):
    area_km2: float | None = None
    population: int | None = None
    density: int | None = None
    villages: int | None = None
    party_members: int | None = None
    party_cells: int | None = None


class ByKind(_Out):
    khieu_nai: int = 0
    to_cao: int = 0
    kien_nghi: int = 0
    phan_anh: int = 0


class ModeFigures(_Out):
    sessions: int = 0
    visits: int = 0
    people: int = 0
    cases: int = 0


class ByMode(_Out):
    thuong_xuyen: ModeFigures = ModeFigures()
    dinh_ky: ModeFigures = ModeFigures()
    uy_quyen: ModeFigures = ModeFigures()
    dot_xuat: ModeFigures = ModeFigures()


class ReceptionFigures(_Out):
    visits: int = 0
    people: int = 0
    cases: int = 0
    groups: int = 0
    cases_by_kind: ByKind = ByKind()
    by_mode: ByMode = ByMode()


class PetitionFigures(_Out):
    received: int = 0
    processed: int = 0
    eligible: int = 0
    eligible_by_kind: ByKind = ByKind()


class DossierCounts(_Out):
    carried_over: int = 0
    received: int = 0
    online: int = 0
    direct: int = 0
    postal: int = 0
    resolved: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    open_overdue: int = 0
    online_rate: float = 0.0
    on_time_rate: float = 0.0


class FieldDossiers(DossierCounts):
    field: str


class DossierFigures(DossierCounts):
    by_field: list[FieldDossiers] = []
    source: str = MOT_CUA_SOURCE
    """Where the dossier figures come from: ``"MotCua"`` (monthly counts) or ``"HoSo"`` (the
    per-dossier list)."""


class ProcedureFigures(_Out):
    total: int = 0
    fields: int = 0
    full_online: int = 0
    partial_online: int = 0


class DocumentFigure(_Out):
    number: str
    type: str
    date: str
    summary: str
    issuer: str
    group: str


class ModelFigure(_Out):
    name: str
    unit: str


class DisciplineFigures(_Out):
    violations: int = 0
    attitude_complaints: int = 0


class PreviousFigures(_Out):
    """The same period one year earlier, from last year's workbook ("so với cùng kỳ"): the
    period-bound parts of ``Figures``, computed by the same code."""

    year: int
    period: PeriodFigures
    reception: ReceptionFigures
    petitions: PetitionFigures
    dossiers: DossierFigures


class Figures(_Out):
    schema_: str = SCHEMA
    unit: UnitFigures
    period: PeriodFigures
    profile: ProfileFigures
    reception: ReceptionFigures
    petitions: PetitionFigures
    dossiers: DossierFigures
    procedures: ProcedureFigures
    documents: list[DocumentFigure]
    models: list[ModelFigure]
    discipline: DisciplineFigures
    previous: PreviousFigures | None = None

    def to_json_dict(self) -> dict[str, object]:
        """The contract's JSON object, ``schema`` first."""
        data = self.model_dump(mode="json")
        data.pop("schema_")
        return {"schema": self.schema_, **data}


def compute_figures(data: CommuneData, period: Period) -> Figures:
    """Every figure of SPEC §3 for ``period``."""
    return Figures(
        unit=unit_figures(data.info),
        period=period_figures(period),
        profile=profile_figures(data.info),
        reception=reception_figures(data.receptions, period),
        petitions=petition_figures(data.petitions, period),
        dossiers=(
            dossier_list_figures(data.dossier_list, period)
            if len(data.dossier_list)
            else dossier_figures(_dossiers_in_period(data, period), period)
        ),
        procedures=procedure_figures(data.procedures),
        documents=document_figures(data.documents, period, data.info),
        models=model_figures(data.models),
        discipline=DisciplineFigures(
            violations=data.info.violations,
            attitude_complaints=data.info.attitude_complaints,
        ),
    )


def previous_figures(data: CommuneData, period: Period) -> PreviousFigures:
    """Last year's figures for ``period`` (already shifted back one year) from last year's
    workbook ``data``: whatever ``compute_figures`` counts, counted alike."""
    figures = compute_figures(data, period)
    return PreviousFigures(
        year=period.year,
        period=figures.period,
        reception=figures.reception,
        petitions=figures.petitions,
        dossiers=figures.dossiers,
    )


# --- unit, period, profile -----------------------------------------------------------------

_UNIT_KIND_LABELS = {
    fold(name): choice.label for choice in UNIT_KINDS for name in (choice.key, choice.label)
}


def unit_kind_label(kind: str) -> str:
    """``"xa"`` or ``"Xã"`` -> ``"Xã"``; an unknown kind is kept as typed."""
    return _UNIT_KIND_LABELS.get(fold(kind), kind.strip())


def default_issuer(info: UnitInfo) -> str:
    """``UBND xã Tân Hưng``, ``UBND phường X``, ``UBND thị trấn X``, ``UBND đặc khu X``."""
    kind = unit_kind_label(info.kind)
    return f"UBND {kind.lower()} {bare_unit_name(info.name, kind)}"


def bare_unit_name(name: str, kind: str) -> str:
    """The unit's name without its kind: ``"Xã Tân Hưng"`` -> ``"Tân Hưng"`` (a name that
    merely starts like a kind, ``Phương Liệt``, is kept)."""
    name = " ".join(name.split())
    label = unit_kind_label(kind)
    if fold(name).startswith(fold(label)) and name.lower().startswith(label.lower() + " "):
        return name[len(label) + 1 :].strip()
    return name


#: Centrally-run cities take "thành phố", every other province "tỉnh".
_CITIES = {fold(name) for name in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")}
_CITIES |= {fold("Huế"), fold("Thành phố Hồ Chí Minh")}
_PROVINCE_PREFIXES = {
    "tỉnh ": "tỉnh ",
    "thành phố ": "thành phố ",
    "tp. ": "thành phố ",
    "tp ": "thành phố ",
    "tp.": "thành phố ",
}


def province_parts(text: str) -> tuple[str, str]:
    """``"Hải Phòng"`` -> ``("Hải Phòng", "thành phố Hải Phòng")``; ``"Tỉnh Nam Định"`` ->
    ``("Nam Định", "tỉnh Nam Định")``; ``"TP. Hà Nội"`` -> ``("Hà Nội", "thành phố Hà Nội")``."""
    province = " ".join(text.split())
    for prefix, word in _PROVINCE_PREFIXES.items():
        if province.lower().startswith(prefix) and len(province) > len(prefix):
            name = province[len(prefix) :].strip()
            return name, word + name
    word = "thành phố " if fold(province) in _CITIES else "tỉnh "
    return province, word + province


def unit_figures(info: UnitInfo) -> UnitFigures:
    return UnitFigures(
        name=info.name,
        kind=unit_kind_label(info.kind),
        province=info.province,
        district=info.district,
    )


def period_figures(period: Period) -> PeriodFigures:
    return PeriodFigures(
        code=period.code,
        year=period.year,
        window=period.window,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        label=period.label,
        next_label=period.next_label,
    )


def density(population: int | None, area_km2: float | None) -> int | None:
    """People per km², rounded half up to a whole number; None when it cannot be computed or
    the area or population is no commune's (reading warns about those)."""
    if population is None or area_km2 is None:
        return None
    low, high = PLAUSIBLE_AREA_KM2
    if not low <= area_km2 <= high or population > PLAUSIBLE_POPULATION:
        return None
    return math.floor(population / area_km2 + 0.5)


def profile_figures(info: UnitInfo) -> ProfileFigures:
    return ProfileFigures(
        area_km2=info.area_km2,
        population=info.population,
        density=density(info.population, info.area_km2),
        villages=info.villages,
        party_members=info.party_members,
        party_cells=info.party_cells,
    )


# --- reception and petitions ---------------------------------------------------------------

KINDS_OF_MATTER = tuple(ByKind.model_fields)
RECEPTION_MODES = tuple(ByMode.model_fields)
GROUP_SIZE = 5  # a visit of this many people or more is a "đoàn đông người"

MatterKey = tuple[str, object]


def matter_key(reception: Reception, position: int) -> MatterKey:
    """Visits sharing a Mã vụ việc are one matter (case and spacing ignored); a visit without
    a code is a matter of its own, told apart by its ``position`` in the log."""
    code = code_key(reception.case_code)
    return ("code", code) if code else ("visit", position)


def _by_kind(kinds: Iterable[str]) -> ByKind:
    counts = Counter(kinds)
    return ByKind(**{kind: counts[kind] for kind in KINDS_OF_MATTER})


def count_sessions(visits: Iterable[Reception]) -> int:
    """Distinct reception days; a day whose visits name a Buổi counts each named Buổi once
    (a visit with a blank Buổi on such a day belongs to one of them)."""
    sessions: dict[dt.date, set[str]] = {}
    for visit in visits:
        named = sessions.setdefault(visit.date, set())
        if visit.session:
            named.add(visit.session)
    return sum(max(len(named), 1) for named in sessions.values())


def _mode_figures(visits: Sequence[tuple[MatterKey, Reception]]) -> ModeFigures:
    return ModeFigures(
        sessions=count_sessions(visit for _, visit in visits),
        visits=len(visits),
        people=sum(visit.people for _, visit in visits),
        cases=len({key for key, _ in visits}),
    )


def _first_visit_kinds(visits: Sequence[tuple[MatterKey, Reception]]) -> list[str]:
    """The kind of each matter's first visit (earliest date, then row order)."""
    first: dict[MatterKey, tuple[tuple[dt.date, int, int], str]] = {}
    for position, (key, visit) in enumerate(visits):
        order = (visit.date, visit.row, position)
        if key not in first or order < first[key][0]:
            first[key] = (order, visit.kind)
    return [kind for _, kind in first.values()]


def reception_figures(receptions: Sequence[Reception], period: Period) -> ReceptionFigures:
    visits = [
        (matter_key(visit, position), visit)
        for position, visit in enumerate(receptions)
        if period.contains(visit.date)
    ]
    by_mode = {
        mode: _mode_figures([(key, visit) for key, visit in visits if visit.mode == mode])
        for mode in RECEPTION_MODES
    }
    return ReceptionFigures(
        visits=len(visits),
        people=sum(visit.people for _, visit in visits),
        cases=len({key for key, _ in visits}),
        groups=sum(1 for _, visit in visits if visit.people >= GROUP_SIZE),
        cases_by_kind=_by_kind(_first_visit_kinds(visits)),
        by_mode=ByMode(**by_mode),
    )


def petition_figures(petitions: Sequence[Petition], period: Period) -> PetitionFigures:
    letters = [letter for letter in petitions if period.contains(letter.date)]
    eligible = [letter for letter in letters if letter.eligible]
    return PetitionFigures(
        received=len(letters),
        processed=sum(1 for letter in letters if letter.processed),
        eligible=len(eligible),
        eligible_by_kind=_by_kind(letter.kind for letter in eligible),
    )


# --- dossiers and procedures ---------------------------------------------------------------


def rate(part: int, whole: int) -> float:
    """``part / whole × 100`` rounded half up to 2 decimals; 0.0 when ``whole`` is 0."""
    if whole == 0:
        return 0.0
    hundredths = math.floor(Fraction(part * 10_000, whole) + Fraction(1, 2))
    return hundredths / 100


def _dossiers_in_period(data: CommuneData, period: Period) -> list[DossierMonth]:
    """MotCua rows of the period's months; the workbook's rows all belong to its own year."""
    if period.year != data.info.year:
        return []
    return [row for row in data.dossiers if row.month in period.months]


def _dossier_counts(rows: Sequence[DossierMonth], period: Period) -> DossierCounts:
    first_month, last_month = period.months[0], period.months[-1]
    online = sum(row.online for row in rows)
    received = sum(row.received for row in rows)
    early = sum(row.early for row in rows)
    on_time = sum(row.on_time for row in rows)
    resolved = sum(row.resolved for row in rows)
    return DossierCounts(
        carried_over=sum(row.carried for row in rows if row.month == first_month),
        received=received,
        online=online,
        direct=sum(row.direct for row in rows),
        postal=sum(row.postal for row in rows),
        resolved=resolved,
        early=early,
        on_time=on_time,
        late=sum(row.late for row in rows),
        open=sum(row.open for row in rows if row.month == last_month),
        open_overdue=sum(row.open_overdue for row in rows if row.month == last_month),
        online_rate=rate(online, received),
        on_time_rate=rate(early + on_time, resolved),
    )


def _rows_by_field(rows: Sequence[DossierMonth]) -> dict[str, list[DossierMonth]]:
    """Rows grouped by field (matched like headers), in the order fields first appear; each
    group is named by the field's first spelling."""
    names: dict[str, str] = {}
    groups: dict[str, list[DossierMonth]] = {}
    for row in rows:
        key = fold(row.field) or row.field.strip()
        names.setdefault(key, row.field.strip())
        groups.setdefault(key, []).append(row)
    return {names[key]: group for key, group in groups.items()}


def dossier_figures(rows: Sequence[DossierMonth], period: Period) -> DossierFigures:
    by_field = [
        FieldDossiers(field=field, **_dossier_counts(field_rows, period).model_dump())
        for field, field_rows in _rows_by_field(rows).items()
    ]
    return DossierFigures(**_dossier_counts(rows, period).model_dump(), by_field=by_field)


_WAITING = "cho_bo_sung"  # waiting for the citizen's papers: in time, whatever the date
_Place = tuple[str, str, str, bool]
"""Where a dossier counts in a window: (field key, ``carried_over`` or its channel, its
outcome — ``early``, ``on_time``, ``late`` or ``open`` — and whether it is open and overdue)."""


def _place(
    field: str,
    channel: str,
    received: dt.date,
    due: dt.date,
    result: dt.date | None,
    status: str | None,
    start: dt.date,
    end: dt.date,
) -> _Place | None:
    """Where one dossier counts in the window [start, end], form II.06a's way (SPEC §3); None
    when it has no part in it: received after the window, or ended before it."""
    if received > end or (result is not None and result < start):
        return None
    came = "carried_over" if received < start else channel
    key = fold(field) or field.strip()
    if result is None or result > end:
        return key, came, "open", due < end and status != _WAITING
    if status in ON_TIME_STATUSES or result == due:
        return key, came, "on_time", False
    return key, came, "early" if result < due else "late", False


def _list_counts(places: Mapping[_Place, int]) -> DossierCounts:
    """The counts of one field, or of the whole list, from its dossiers' places."""
    counts = dict.fromkeys(
        ("carried_over", "online", "direct", "postal", "early", "on_time", "late", "open"), 0
    )
    overdue = 0
    for (_, came, outcome, late_open), number in places.items():
        counts[came] += number
        counts[outcome] += number
        overdue += number if late_open else 0
    received = counts["online"] + counts["direct"] + counts["postal"]
    resolved = counts["early"] + counts["on_time"] + counts["late"]
    return DossierCounts(
        **counts,
        received=received,
        resolved=resolved,
        open_overdue=overdue,
        online_rate=rate(counts["online"], received),
        on_time_rate=rate(counts["early"] + counts["on_time"], resolved),
    )


def dossier_list_figures(dossiers: DossierList, period: Period) -> DossierFigures:
    """The dossier figures from the per-dossier list, day by day over the period's window:
    received (by channel) in the window, carried over from before it, resolved in it (early,
    on time, late) and still open at its end; ``by_field`` in the order fields first appear
    among the dossiers that count, each named by its first spelling."""
    start, end = period.start, period.end
    counted: Counter[_Place] = Counter()
    names: dict[str, str] = {}  # field key -> its first spelling
    each = zip(
        dossiers.field,
        dossiers.channel,
        dossiers.received,
        dossiers.due,
        dossiers.result,
        dossiers.status,
        strict=True,
    )
    for field, channel, received, due, result, status in each:
        place = _place(field, channel, received, due, result, status, start, end)
        if place is not None:
            counted[place] += 1
            if place[0] not in names:
                names[place[0]] = field.strip()
    by_field = [
        FieldDossiers(
            field=name,
            **_list_counts({p: n for p, n in counted.items() if p[0] == key}).model_dump(),
        )
        for key, name in names.items()
    ]
    return DossierFigures(
        **_list_counts(counted).model_dump(), by_field=by_field, source=HO_SO_SOURCE
    )


def procedure_figures(procedures: Sequence[Procedure]) -> ProcedureFigures:
    return ProcedureFigures(
        total=sum(row.total for row in procedures),
        fields=len(procedures),
        full_online=sum(row.full_online for row in procedures),
        partial_online=sum(row.partial_online for row in procedures),
    )


# --- documents and models ------------------------------------------------------------------

GENERIC_DOCUMENT_TYPE = "Văn bản"

# Abbreviations as Nghị định 30/2020/NĐ-CP (Phụ lục III) and the Party's rules write them.
_EXACT_TYPES = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "CT": "Chỉ thị",
    "CTr": "Chương trình",
    "NQ": "Nghị quyết",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "KL": "Kết luận",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "ĐA": "Đề án",
    "PA": "Phương án",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GM": "Giấy mời",
    "BB": "Biên bản",
}
_TYPES_BY_CASE = {abbr.casefold(): name for abbr, name in _EXACT_TYPES.items()}
# Without diacritics ("QD" typed for "QĐ"); "HĐ" is left out so that "HD" stays Hướng dẫn.
_TYPES_BY_FOLD = {fold(abbr): name for abbr, name in _EXACT_TYPES.items() if abbr != "HĐ"}
_NUMBER_PREFIX = re.compile(r"^\s*số\s*:?\s*", re.IGNORECASE)


def document_abbreviation(number: str) -> str:
    """The type abbreviation of a document number: ``17/KH-UBND`` -> ``KH`` (after the slash),
    Party style ``24-KH/DVĐU-UBND`` -> ``KH`` (before it), ``17/2024/QĐ-UBND`` -> ``QĐ``."""
    parts = [part.strip() for part in _NUMBER_PREFIX.sub("", number).split("/")]
    head = parts[0]
    if "-" in head:
        return head.split("-", 1)[1].strip()
    for part in parts[1:]:
        if part and not part.isdigit():
            return part.split("-", 1)[0].strip()
    return ""


def document_type(number: str) -> str:
    """The document's type named in full: ``17/KH-UBND`` -> ``Kế hoạch``; ``Văn bản`` when the
    abbreviation is missing or unknown. Case is ignored and ``QD`` reads as ``QĐ``."""
    abbreviation = document_abbreviation(number)
    if not abbreviation:
        return GENERIC_DOCUMENT_TYPE
    exact = _TYPES_BY_CASE.get(abbreviation.casefold())
    if exact is not None:
        return exact
    return _TYPES_BY_FOLD.get(fold(abbreviation), GENERIC_DOCUMENT_TYPE)


def _document_figure(document: Document, own: str) -> DocumentFigure:
    issuer = (document.issuer or "").strip()
    return DocumentFigure(
        number=document.number,
        type=document_type(document.number),
        date=document.date.isoformat(),
        summary=document.summary,
        issuer=issuer or own,
        group=document.group,
    )


def document_figures(
    documents: Sequence[Document], period: Period, info: UnitInfo
) -> list[DocumentFigure]:
    """Documents issued up to the window's end (earlier years included), by date then row.
    The unit's own name as issuer is built once and shared by every document without one."""
    own = default_issuer(info)
    cited = sorted(
        (document for document in documents if document.date <= period.end),
        key=lambda document: (document.date, document.row),
    )
    return [_document_figure(document, own) for document in cited]


def model_figures(models: Sequence[Model]) -> list[ModelFigure]:
    ordered = sorted(models, key=lambda model: model.row)
    return [ModelFigure(name=model.name, unit=model.unit) for model in ordered]
