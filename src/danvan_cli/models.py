"""Typed rows of a commune workbook. Personal-data columns are never stored here: what is not
kept cannot leak into a report, figures, a summary or a message."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    row: int = Field(description="Row number in its sheet (1-based, as Excel shows it)")


class Reception(Row):
    date: dt.date
    session: str | None = None  # "sang" / "chieu"
    mode: str  # thuong_xuyen / dinh_ky / uy_quyen / dot_xuat
    people: int = Field(ge=1)
    case_code: str | None = None
    kind: str  # khieu_nai / to_cao / kien_nghi / phan_anh
    field: str | None = None


class Petition(Row):
    date: dt.date
    kind: str
    source: str | None = None
    eligible: bool
    processed: bool


class DossierMonth(Row):
    month: int = Field(ge=1, le=12)
    field: str
    carried: int = 0
    online: int = 0
    direct: int = 0
    postal: int = 0
    total: int | None = None
    early: int = 0
    on_time: int = 0
    late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    @property
    def received(self) -> int:
        return self.online + self.direct + self.postal

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def open(self) -> int:
        return self.open_in_time + self.open_overdue


class Procedure(Row):
    field: str
    total: int
    full_online: int = 0
    partial_online: int = 0


class Document(Row):
    number: str
    date: dt.date
    summary: str
    issuer: str | None = None
    group: str


class Model(Row):
    name: str
    unit: str
    field: str | None = None
    year: int | None = None


class Note(Row):
    section: str
    text: str


class UnitInfo(BaseModel):
    """The ThongTin sheet: the commune's profile and the report's signing details."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: str = "Xã"
    district: str | None = None
    province: str
    year: int
    area_km2: float | None = None
    population: int | None = None
    villages: int | None = None
    village_word: str = "thôn"
    party_members: int | None = None
    party_cells: int | None = None
    party_structure: str | None = None
    location: str | None = None
    signer: str | None = None
    signer_role: str = "chu_tich"
    doc_number: str | None = None
    recipients: tuple[str, ...] = ()
    violations: int = 0
    attitude_complaints: int = 0


class CommuneData(BaseModel):
    """Everything read from one workbook, checked and typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    info: UnitInfo
    receptions: tuple[Reception, ...] = ()
    petitions: tuple[Petition, ...] = ()
    dossiers: tuple[DossierMonth, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    documents: tuple[Document, ...] = ()
    models: tuple[Model, ...] = ()
    notes: tuple[Note, ...] = ()
