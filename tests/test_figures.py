"""Figures of the report (SPEC §3), computed from rows built in memory."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from danvan_cli.figures import (
    Figures,
    compute_figures,
    density,
    document_abbreviation,
    document_type,
    rate,
)
from danvan_cli.models import (
    CommuneData,
    Document,
    DossierMonth,
    Model,
    Petition,
    Procedure,
    Reception,
    UnitInfo,
)
from danvan_cli.period import Period, parse_period

D = dt.date
NINE_MONTHS = parse_period("9m", 2024)

# --- a small factory -----------------------------------------------------------------------

_rows = itertools.count(2)


def info(**fields: Any) -> UnitInfo:
    values: dict[str, Any] = {"name": "Tân Hưng", "province": "Hải Phòng", "year": 2024}
    return UnitInfo(**(values | fields))


def visit(day: dt.date, **fields: Any) -> Reception:
    values: dict[str, Any] = {"row": next(_rows), "date": day, "mode": "thuong_xuyen"}
    return Reception(**(values | {"people": 1, "kind": "kien_nghi"} | fields))


def letter(day: dt.date, **fields: Any) -> Petition:
    values: dict[str, Any] = {"row": next(_rows), "date": day, "kind": "kien_nghi"}
    return Petition(**(values | {"eligible": True, "processed": True} | fields))


def dossier(month: int, field: str = "Tư pháp - Hộ tịch", **counts: int) -> DossierMonth:
    channels = {"online": 0, "direct": 0} | counts  # the two required channels
    return DossierMonth(row=next(_rows), month=month, field=field, **channels)


def document(number: str, day: dt.date, **fields: Any) -> Document:
    values: dict[str, Any] = {"row": next(_rows), "number": number, "date": day}
    return Document(**(values | {"summary": "về việc …", "group": "lanh_dao_chi_dao"} | fields))


def commune(**parts: Any) -> CommuneData:
    return CommuneData(**({"info": info()} | parts))


def figures(period: Period = NINE_MONTHS, **parts: Any) -> Figures:
    return compute_figures(commune(**parts), period)


# --- the JSON contract ---------------------------------------------------------------------


def test_json_has_the_top_level_keys_of_the_contract_in_order() -> None:
    data = figures().to_json_dict()
    assert list(data) == [
        "schema",
        "unit",
        "period",
        "profile",
        "reception",
        "petitions",
        "dossiers",
        "procedures",
        "documents",
        "models",
        "discipline",
        "previous",
    ]
    assert data["schema"] == "danvan.figures/1"
    assert data["previous"] is None  # no comparison workbook


def test_json_of_an_empty_commune() -> None:
    data = figures().to_json_dict()
    assert data["unit"] == {
        "name": "Tân Hưng",
        "kind": "Xã",
        "province": "Hải Phòng",
        "district": None,
    }
    assert data["period"] == {
        "code": "9m",
        "year": 2024,
        "window": "nd09",
        "start": "2023-12-15",
        "end": "2024-09-14",
        "label": "9 tháng đầu năm 2024",
        "next_label": "3 tháng cuối năm 2024",
    }
    reception = data["reception"]
    assert isinstance(reception, dict)
    assert reception["by_mode"]["dot_xuat"] == {
        "sessions": 0,
        "visits": 0,
        "people": 0,
        "cases": 0,
    }
    assert data["documents"] == [] and data["models"] == []
    assert data["discipline"] == {"violations": 0, "attitude_complaints": 0}


# --- unit and profile ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "label", "issuer"),
    [
        ("Xã", "Xã", "UBND xã Tân Hưng"),
        ("xa", "Xã", "UBND xã Tân Hưng"),
        ("phuong", "Phường", "UBND phường Tân Hưng"),
        ("Thị trấn", "Thị trấn", "UBND thị trấn Tân Hưng"),
        ("dac_khu", "Đặc khu", "UBND đặc khu Tân Hưng"),
    ],
)
def test_unit_kind_and_default_issuer(kind: str, label: str, issuer: str) -> None:
    result = compute_figures(
        CommuneData(info=info(kind=kind), documents=(document("17/KH-UBND", D(2024, 2, 22)),)),
        NINE_MONTHS,
    )
    assert result.unit.kind == label
    assert result.documents[0].issuer == issuer


def test_default_issuer_never_repeats_the_kind() -> None:
    """A clerk who types "Xã Tân Hưng" as the name: the issuer is "UBND xã Tân Hưng"."""
    result = compute_figures(
        CommuneData(
            info=info(name="Xã Tân Hưng", kind="Xã"),
            documents=(document("17/KH-UBND", D(2024, 2, 22)),),
        ),
        NINE_MONTHS,
    )
    assert result.documents[0].issuer == "UBND xã Tân Hưng"


def test_profile() -> None:
    profile = figures(
        info=info(
            area_km2=7.02,
            population=7506,
            villages=7,
            party_members=288,
            party_cells=13,
            district="Vĩnh Bảo",
        )
    ).profile
    assert profile.density == 1069
    assert (profile.area_km2, profile.population, profile.villages) == (7.02, 7506, 7)
    assert (profile.party_members, profile.party_cells) == (288, 13)


@pytest.mark.parametrize(
    ("population", "area", "expected"),
    [
        (7506, 7.02, 1069),
        (None, 7.02, None),
        (7506, None, None),
        (7506, 0.0, None),
        (5, 2.0, 3),
        # no commune's area or population (a mistyped unit): no 300-digit density
        (7506, 1e-300, None),
        (10**18, 7.02, None),
        (7506, 20_000.0, None),
    ],
)
def test_density(population: int | None, area: float | None, expected: int | None) -> None:
    assert density(population, area) == expected


def test_discipline_comes_from_the_profile() -> None:
    discipline = figures(info=info(violations=2, attitude_complaints=1)).discipline
    assert (discipline.violations, discipline.attitude_complaints) == (2, 1)


# --- reception -----------------------------------------------------------------------------


def test_window_edges_for_visits() -> None:
    reception = figures(
        receptions=(
            visit(D(2023, 12, 14)),
            visit(D(2023, 12, 15)),
            visit(D(2024, 9, 14)),
            visit(D(2024, 9, 15)),
        )
    ).reception
    assert reception.visits == 2


@pytest.mark.parametrize("code", ["9m", "12m", "q1", "t1"])
def test_fifteenth_of_december_opens_the_year(code: str) -> None:
    period = parse_period(code, 2024)
    receptions = (visit(D(2023, 12, 15)), visit(D(2023, 12, 14)))
    assert figures(period, receptions=receptions).reception.visits == 1


def test_matters_with_several_visits() -> None:
    reception = figures(
        receptions=(
            visit(D(2024, 3, 1), case_code="VV01", people=2),
            visit(D(2024, 3, 8), case_code="VV01", people=1),
            visit(D(2024, 4, 1), case_code=" vv01 ", people=1),
            visit(D(2024, 4, 2), case_code="VV02", people=3),
        )
    ).reception
    assert (reception.visits, reception.people, reception.cases) == (4, 7, 2)


def test_visits_without_a_code_are_matters_of_their_own() -> None:
    reception = figures(
        receptions=(
            visit(D(2024, 3, 1)),
            visit(D(2024, 3, 1), case_code=""),
            visit(D(2024, 3, 1), case_code="   "),
            visit(D(2024, 3, 1), case_code="VV01"),
            visit(D(2024, 3, 2), case_code="VV01"),
        )
    ).reception
    assert reception.cases == 4


def test_groups_are_visits_of_five_people_or_more() -> None:
    reception = figures(
        receptions=(
            visit(D(2024, 3, 1), people=4),
            visit(D(2024, 3, 1), people=5),
            visit(D(2024, 3, 2), people=12),
        )
    ).reception
    assert reception.groups == 2
    assert reception.people == 21


def test_a_matter_counts_once_by_the_kind_of_its_first_visit() -> None:
    later = visit(D(2024, 5, 1), case_code="A", kind="khieu_nai")
    first = visit(D(2024, 4, 1), case_code="A", kind="to_cao")
    same_day_second = visit(D(2024, 6, 1), case_code="B", kind="phan_anh", row=50)
    same_day_first = visit(D(2024, 6, 1), case_code="B", kind="kien_nghi", row=40)
    reception = figures(receptions=(later, first, same_day_second, same_day_first)).reception
    assert reception.cases_by_kind.model_dump() == {
        "khieu_nai": 0,
        "to_cao": 1,
        "kien_nghi": 1,
        "phan_anh": 0,
    }


def test_only_visits_in_the_window_decide_the_kind() -> None:
    receptions = (
        visit(D(2023, 11, 1), case_code="A", kind="khieu_nai"),
        visit(D(2024, 1, 10), case_code="A", kind="kien_nghi"),
    )
    reception = figures(receptions=receptions).reception
    assert (reception.visits, reception.cases) == (1, 1)
    assert reception.cases_by_kind.kien_nghi == 1


def test_sessions_are_distinct_days_without_buoi() -> None:
    receptions = (
        visit(D(2024, 3, 1), mode="dinh_ky", people=3, case_code="A"),
        visit(D(2024, 3, 1), mode="dinh_ky", people=2, case_code="A"),
        visit(D(2024, 3, 15), mode="dinh_ky", people=1),
        visit(D(2024, 3, 15), mode="uy_quyen", people=4),
    )
    by_mode = figures(receptions=receptions).reception.by_mode
    assert by_mode.dinh_ky.model_dump() == {"sessions": 2, "visits": 3, "people": 6, "cases": 2}
    assert by_mode.uy_quyen.model_dump() == {"sessions": 1, "visits": 1, "people": 4, "cases": 1}
    assert by_mode.thuong_xuyen.visits == 0


def test_sessions_count_each_buoi_of_a_day() -> None:
    receptions = (
        visit(D(2024, 3, 1), session="sang"),
        visit(D(2024, 3, 1), session="sang"),
        visit(D(2024, 3, 1), session="chieu"),
        visit(D(2024, 3, 2), session="chieu"),
        visit(D(2024, 3, 3)),
        visit(D(2024, 3, 3)),
    )
    assert figures(receptions=receptions).reception.by_mode.thuong_xuyen.sessions == 4


def test_a_visit_without_buoi_joins_the_named_sessions_of_its_day() -> None:
    receptions = (visit(D(2024, 3, 1), session="sang"), visit(D(2024, 3, 1)))
    assert figures(receptions=receptions).reception.by_mode.thuong_xuyen.sessions == 1


def test_mode_cases_count_matters_within_the_mode() -> None:
    receptions = (
        visit(D(2024, 3, 1), mode="dinh_ky", case_code="A"),
        visit(D(2024, 4, 1), mode="uy_quyen", case_code="A"),
    )
    reception = figures(receptions=receptions).reception
    assert reception.cases == 1
    assert (reception.by_mode.dinh_ky.cases, reception.by_mode.uy_quyen.cases) == (1, 1)


# --- petitions -----------------------------------------------------------------------------


def test_petitions() -> None:
    petitions = figures(
        petitions=(
            letter(D(2023, 12, 14)),
            letter(D(2023, 12, 15), kind="khieu_nai"),
            letter(D(2024, 2, 1), eligible=False, processed=True),
            letter(D(2024, 5, 1), processed=False),
            letter(D(2024, 9, 14), kind="to_cao", eligible=True),
            letter(D(2024, 9, 15)),
        )
    ).petitions
    assert (petitions.received, petitions.processed, petitions.eligible) == (4, 3, 3)
    assert petitions.eligible_by_kind.model_dump() == {
        "khieu_nai": 1,
        "to_cao": 1,
        "kien_nghi": 1,
        "phan_anh": 0,
    }


# --- dossiers ------------------------------------------------------------------------------


def test_dossier_sums_over_the_period_months() -> None:
    rows = (
        dossier(1, online=100, direct=50, postal=2, early=140, on_time=10, late=2),
        dossier(9, online=106, direct=64, early=177, on_time=0, late=1),
        dossier(10, online=1000, direct=1000),
    )
    dossiers = figures(dossiers=rows).dossiers
    assert (dossiers.online, dossiers.direct, dossiers.postal) == (206, 114, 2)
    assert dossiers.received == 322
    assert (dossiers.early, dossiers.on_time, dossiers.late) == (317, 10, 3)
    assert dossiers.resolved == 330


def test_seed_rates() -> None:
    rows = (dossier(9, online=206, direct=114, early=317, late=3),)
    dossiers = figures(dossiers=rows).dossiers
    assert dossiers.online_rate == 64.38
    assert dossiers.on_time_rate == 99.06


def test_rates_with_a_zero_divisor_are_zero() -> None:
    dossiers = figures(dossiers=(dossier(3, carried=4, open_in_time=4),)).dossiers
    assert (dossiers.received, dossiers.resolved) == (0, 0)
    assert dossiers.online_rate == 0.0
    assert dossiers.on_time_rate == 0.0
    assert figures().dossiers.online_rate == 0.0


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, 12.5), (1, 3, 33.33), (2, 3, 66.67), (1, 800, 0.13), (5, 5, 100.0), (0, 7, 0.0)],
)
def test_rate_rounds_half_up(part: int, whole: int, expected: float) -> None:
    assert rate(part, whole) == expected


def test_carried_over_from_the_first_month_and_open_from_the_last() -> None:
    rows = (
        dossier(7, carried=3, open_in_time=9, open_overdue=9),
        dossier(7, "Đất đai", carried=2),
        dossier(8, carried=50, open_in_time=50),
        dossier(9, carried=40, open_in_time=4, open_overdue=1),
        dossier(9, "Đất đai", carried=30, open_in_time=2),
    )
    dossiers = figures(parse_period("q3", 2024), dossiers=rows).dossiers
    assert dossiers.carried_over == 5
    assert (dossiers.open, dossiers.open_overdue) == (7, 1)


def test_by_field_in_order_of_first_appearance() -> None:
    rows = (
        dossier(1, "Đất đai", online=1, early=1),
        dossier(1, "Tư pháp - Hộ tịch", carried=2, online=3, direct=1, on_time=2, late=2),
        dossier(2, "Tư pháp - Hộ tịch", online=5, open_in_time=1, open_overdue=1),
        dossier(2, "dat dai", online=2, direct=2),
        dossier(3, "Chính sách", direct=1),
    )
    dossiers = figures(parse_period("t2", 2024), dossiers=rows).dossiers
    assert [field.field for field in dossiers.by_field] == ["Tư pháp - Hộ tịch", "dat dai"]
    hộ_tịch, đất_đai = dossiers.by_field
    assert (hộ_tịch.received, hộ_tịch.open, hộ_tịch.open_overdue) == (5, 2, 1)
    assert hộ_tịch.online_rate == 100.0
    assert (đất_đai.received, đất_đai.online_rate, đất_đai.open) == (4, 50.0, 0)

    whole = figures(parse_period("q1", 2024), dossiers=rows).dossiers
    assert [field.field for field in whole.by_field] == [
        "Đất đai",
        "Tư pháp - Hộ tịch",
        "Chính sách",
    ]
    land = whole.by_field[0]
    assert (land.received, land.carried_over, land.open) == (5, 0, 0)
    assert whole.by_field[1].carried_over == 2
    assert whole.by_field[1].on_time_rate == 50.0
    assert whole.by_field[1].open == 0  # no row of this field in March


def test_dossier_rows_belong_to_the_workbook_year() -> None:
    rows = (dossier(9, online=5),)
    assert figures(parse_period("9m", 2025), dossiers=rows).dossiers.received == 0


# --- procedures ----------------------------------------------------------------------------


def test_procedures() -> None:
    procedures = figures(
        procedures=(
            Procedure(row=2, field="Hộ tịch", total=20, full_online=10, partial_online=2),
            Procedure(row=3, field="Đất đai", total=100, full_online=37, partial_online=7),
        )
    ).procedures
    assert procedures.model_dump() == {
        "total": 120,
        "fields": 2,
        "full_online": 47,
        "partial_online": 9,
    }


# --- documents and models ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "abbreviation", "kind"),
    [
        ("17/KH-UBND", "KH", "Kế hoạch"),
        ("24-KH/DVĐU-UBND", "KH", "Kế hoạch"),
        ("06/QĐ-UBND", "QĐ", "Quyết định"),
        ("06/QD-UBND", "QD", "Quyết định"),
        ("06/qđ-ubnd", "qđ", "Quyết định"),
        ("01/CT-UBND", "CT", "Chỉ thị"),
        ("17-CTr/KDVĐU-UBND", "CTr", "Chương trình"),
        ("224-QĐ/HU", "QĐ", "Quyết định"),
        ("05/TB-UBND", "TB", "Thông báo"),
        ("12-NQ/ĐU", "NQ", "Nghị quyết"),
        ("30/BC-UBND", "BC", "Báo cáo"),
        ("02/HD-UBND", "HD", "Hướng dẫn"),
        ("03-KL/ĐU", "KL", "Kết luận"),
        ("04/TTr-UBND", "TTr", "Tờ trình"),
        ("07/CV-UBND", "CV", "Công văn"),
        ("08/QC-UBND", "QC", "Quy chế"),
        ("09/QyĐ-UBND", "QyĐ", "Quy định"),
        ("10/ĐA-UBND", "ĐA", "Đề án"),
        ("11/PA-UBND", "PA", "Phương án"),
        ("17/2024/QĐ-UBND", "QĐ", "Quyết định"),
        ("Số: 17/KH-UBND", "KH", "Kế hoạch"),
        ("24-KH-ĐA/ĐU", "KH-ĐA", "Văn bản"),
        ("15/XYZ-UBND", "XYZ", "Văn bản"),
        ("123", "", "Văn bản"),
        ("", "", "Văn bản"),
    ],
)
def test_document_type(number: str, abbreviation: str, kind: str) -> None:
    assert document_abbreviation(number) == abbreviation
    assert document_type(number) == kind


def test_documents_up_to_the_window_end_by_date_then_row() -> None:
    docs = (
        document("30/KH-UBND", D(2024, 9, 15)),
        document("20/QĐ-UBND", D(2024, 3, 1), row=90, group="tuyen_truyen"),
        document("19/TB-UBND", D(2024, 3, 1), row=80, issuer="Đảng ủy xã"),
        document("05/KH-UBND", D(2022, 1, 5)),
        document("29/KH-UBND", D(2024, 9, 14), issuer="  "),
    )
    cited = figures(documents=docs).documents
    assert [doc.number for doc in cited] == [
        "05/KH-UBND",
        "19/TB-UBND",
        "20/QĐ-UBND",
        "29/KH-UBND",
    ]
    assert cited[1].model_dump() == {
        "number": "19/TB-UBND",
        "type": "Thông báo",
        "date": "2024-03-01",
        "summary": "về việc …",
        "issuer": "Đảng ủy xã",
        "group": "lanh_dao_chi_dao",
    }
    assert cited[2].group == "tuyen_truyen"
    assert cited[3].issuer == "UBND xã Tân Hưng"


def test_models_in_row_order() -> None:
    models = (
        Model(row=5, name="Mô hình B", unit="Thôn 2", year=2023),
        Model(row=3, name="Mô hình A", unit="Hội Phụ nữ"),
    )
    assert [m.model_dump() for m in figures(models=models).models] == [
        {"name": "Mô hình A", "unit": "Hội Phụ nữ"},
        {"name": "Mô hình B", "unit": "Thôn 2"},
    ]


# --- properties ----------------------------------------------------------------------------

MODES = ("thuong_xuyen", "dinh_ky", "uy_quyen", "dot_xuat")
KINDS = ("khieu_nai", "to_cao", "kien_nghi", "phan_anh")


@st.composite
def receptions(draw: st.DrawFn, first: dt.date, last: dt.date) -> tuple[Reception, ...]:
    count = draw(st.integers(min_value=0, max_value=40))
    rows = []
    for row in range(2, count + 2):
        rows.append(
            Reception(
                row=row,
                date=draw(st.dates(min_value=first, max_value=last)),
                session=draw(st.sampled_from([None, "sang", "chieu"])),
                mode=draw(st.sampled_from(MODES)),
                people=draw(st.integers(min_value=1, max_value=8)),
                case_code=draw(st.sampled_from([None, "", "A", "B", "C"])),
                kind=draw(st.sampled_from(KINDS)),
            )
        )
    return tuple(rows)


@settings(max_examples=60)
@given(receptions(D(2023, 11, 1), D(2024, 10, 31)))
def test_modes_add_up_to_the_totals(rows: Sequence[Reception]) -> None:
    reception = figures(receptions=tuple(rows)).reception
    modes = reception.by_mode.model_dump().values()
    assert sum(mode["visits"] for mode in modes) == reception.visits
    assert sum(mode["people"] for mode in modes) == reception.people
    assert sum(reception.cases_by_kind.model_dump().values()) == reception.cases
    assert reception.cases <= sum(mode["cases"] for mode in modes)
    assert all(mode["sessions"] <= mode["visits"] for mode in modes)


@settings(max_examples=60)
@given(
    receptions(D(2023, 11, 1), D(2025, 1, 31)),
    st.lists(st.dates(min_value=D(2023, 12, 1), max_value=D(2025, 1, 31)), max_size=20),
)
def test_the_calendar_year_is_the_sum_of_its_months(
    rows: Sequence[Reception], letter_days: list[dt.date]
) -> None:
    data = commune(receptions=tuple(rows), petitions=tuple(letter(day) for day in letter_days))
    year = compute_figures(data, parse_period("12m", 2024, window="calendar"))
    months = [
        compute_figures(data, parse_period(f"t{n}", 2024, window="calendar")) for n in range(1, 13)
    ]
    for name in ("visits", "people", "groups"):
        expected = getattr(year.reception, name)
        assert sum(getattr(month.reception, name) for month in months) == expected
    assert sum(month.petitions.received for month in months) == year.petitions.received
