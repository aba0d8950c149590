"""When two workbooks are the same unit's (SPEC §5): a batch's duplicates, last year's workbook
matched to its commune (``batch --so-sanh``) or checked (``build --so-sanh``); and how a unit is
named on screen, in the summary and in a report's file name. Pure: no I/O.

Spelling does not make two units: NFC or NFD, case, spacing, the kind repeated in the name
(``Xã Tân Hưng`` with kind ``Xã``) and the province's prefix (``TP. Hải Phòng``, ``thành phố
Hải Phòng``, ``tỉnh Nam Định``) are all ignored. Tone marks are not: Thanh Lợi and Thành Lợi
are two communes.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from danvan_cli.figures import bare_unit_name, province_parts, unit_kind_label

if TYPE_CHECKING:
    from danvan_cli.models import UnitInfo

UnitIdentity = tuple[str, str, str]
"""(name without its kind, kind, province without its prefix), each NFC, casefolded and with
its spacing collapsed."""


def unit_identity(name: str, kind: str, province: str) -> UnitIdentity:
    """What makes two workbooks the same unit's: ``("tân hưng", "xã", "hải phòng")`` for
    ``Xã Tân Hưng`` / ``TÂN  HƯNG``, kind ``Xã``, in ``TP. Hải Phòng`` or ``Hải Phòng``."""
    label = unit_kind_label(_nfc(kind))
    return (
        _key(bare_unit_name(_nfc(name), label)),
        _key(label),
        _key(province_parts(_nfc(province))[0]),
    )


def identity_of(info: UnitInfo) -> UnitIdentity:
    """The identity of the unit a workbook's ThongTin describes."""
    return unit_identity(info.name, info.kind, info.province)


def unit_title(name: str, kind: str) -> str:
    """The unit as people read it: ``Xã Tân Hưng``, also when the name repeats its kind."""
    label = unit_kind_label(_nfc(kind))
    return f"{label} {bare_unit_name(_nfc(name), label)}"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(text: str) -> str:
    return " ".join(_nfc(text).casefold().split())
