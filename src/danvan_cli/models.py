"""Typed rows of a commune workbook, validated by pydantic. Personal-data columns are never
stored here: what is not kept cannot leak into a report, figures, a summary or a message.

Each constraint on a value (a count is never negative, Số người is at least 1, Tháng is 1–12,
Năm has four digits) is declared here, once, and enforced by pydantic when a row is read;
reading.py only turns what clerks type (``1.234``, ``14/9/2024``, ``khieu nai``) into these
types first, and pydantic's errors back into messages naming the cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from danvan_cli.schema import MAX_YEAR, MIN_YEAR

Count = Annotated[int, Field(ge=0)]
"""A number of things, never negative: the people of a commune."""
MAX_TALLY = 1_000_000
"""More than any row of a commune's workbook counts (the dossiers of one field in one month,
its procedures, its officials): a larger number is an ID or phone number pasted one column
off, never a figure — refused rather than added into a report."""
Tally = Annotated[int, Field(ge=0, le=MAX_TALLY)]
"""A number of things in one row: dossiers, procedures, villages, officials."""
MAX_VISITORS = 10_000
"""More people than one reception (lượt tiếp) ever sees: a pasted ID number, not a crowd."""
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Month = Annotated[int, Field(ge=1, le=12)]
Area = Annotated[float, Field(ge=0, allow_inf_nan=False)]

MAX_NAME_CHARS = 200
"""Longest name of a unit, district or province: the longest real ones have some 30 letters.
The unit's name is repeated in every citation of its own documents and in the figures' JSON:
a 100.000-letter name over 30.000 documents would be 3 GB of text."""
Name = Annotated[str, Field(max_length=MAX_NAME_CHARS)]

PLAUSIBLE_AREA_KM2 = (0.01, 10_000.0)
"""The smallest and largest area of a commune-level unit, km² (the largest communes span a few
thousand km²): outside, the area was mistyped and no density is computed."""
PLAUSIBLE_POPULATION = 5_000_000
"""More people than any commune-level unit has: mistyped, and no density is computed."""

_ROW_CONFIG = ConfigDict(extra="forbid", frozen=True, cache_strings=False)


class Row(BaseModel):
    model_config = _ROW_CONFIG

    row: int = Field(ge=1, description="Row number in its sheet (1-based, as Excel shows it)")


class Reception(Row):
    date: dt.date
    session: str | None = None  # "sang" / "chieu"
    mode: str  # thuong_xuyen / dinh_ky / uy_quyen / dot_xuat
    people: int = Field(ge=1, le=MAX_VISITORS)
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
    month: Month
    field: str
    carried: Tally = 0
    online: Tally
    direct: Tally
    postal: Tally = 0
    total: Tally | None = None
    early: Tally = 0
    on_time: Tally = 0
    late: Tally = 0
    open_in_time: Tally = 0
    open_overdue: Tally = 0

    @property
    def received(self) -> int:
        return self.online + self.direct + self.postal

    @property
    def resolved(self) -> int:
        return self.early + self.on_time + self.late

    @property
    def open(self) -> int:
        return self.open_in_time + self.open_overdue


class Dossier(Row):
    """One dossier of the one-stop-shop system's per-dossier export (HoSo). Dates are days:
    the time of day the system stamps is dropped when the cell is read."""

    code: str
    field: str
    channel: str  # online / direct / postal
    received: dt.date
    due: dt.date
    result: dt.date | None = None  # the day it ended; None while it is still open
    status: str | None = None  # dang_xu_ly / cho_bo_sung / da_co_ket_qua / tra_lai / rut / …


class DossierList(BaseModel):
    """The per-dossier list (the HoSo sheet and the ``--ho-so`` exports, as one list), column
    by column: item i of every column is one dossier, a ``Dossier`` row's fields. An export
    of a large ward holds 100.000 dossiers: columns are validated and counted in a fraction
    of the time as many row objects would take (SPEC §7)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    row: tuple[int, ...] = ()
    code: tuple[str, ...] = ()
    field: tuple[str, ...] = ()
    channel: tuple[str, ...] = ()
    received: tuple[dt.date, ...] = ()
    due: tuple[dt.date, ...] = ()
    result: tuple[dt.date | None, ...] = ()
    status: tuple[str | None, ...] = ()

    @model_validator(mode="after")
    def _aligned(self) -> DossierList:
        if len({len(getattr(self, name)) for name in type(self).model_fields}) > 1:
            raise ValueError("every column of the dossier list must have one item a dossier")
        return self

    def __len__(self) -> int:
        return len(self.row)

    @classmethod
    def of(cls, dossiers: Iterable[Dossier]) -> DossierList:
        """The list of these dossiers (rows), column by column."""
        rows = [dossier.model_dump() for dossier in dossiers]
        return cls.model_validate({name: tuple(r[name] for r in rows) for name in cls.model_fields})


class Procedure(Row):
    field: str
    total: Tally
    full_online: Tally = 0
    partial_online: Tally = 0


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
    year: Year | None = None


class Note(Row):
    section: str
    text: str


class UnitInfo(BaseModel):
    """The ThongTin sheet: the commune's profile and the report's signing details."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    kind: str = "Xã"
    district: Name | None = None
    province: Name
    year: Year
    area_km2: Area | None = None
    population: Count | None = None
    villages: Tally | None = None
    village_word: str = "thôn"
    party_members: Tally | None = None
    party_cells: Tally | None = None
    party_structure: str | None = None
    location: str | None = None
    signer: str | None = None
    signer_role: str = "chu_tich"
    doc_number: str | None = None
    recipients: tuple[str, ...] = ()
    violations: Tally = 0
    attitude_complaints: Tally = 0


class CommuneData(BaseModel):
    """Everything read from one workbook, checked and typed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    info: UnitInfo
    receptions: tuple[Reception, ...] = ()
    petitions: tuple[Petition, ...] = ()
    dossiers: tuple[DossierMonth, ...] = ()
    dossier_list: DossierList = DossierList()
    """The per-dossier list (the HoSo sheet and ``--ho-so`` exports, as one list): when it
    holds rows, the dossier figures come from it and ``dossiers`` (MotCua) is set aside."""
    procedures: tuple[Procedure, ...] = ()
    documents: tuple[Document, ...] = ()
    models: tuple[Model, ...] = ()
    notes: tuple[Note, ...] = ()
