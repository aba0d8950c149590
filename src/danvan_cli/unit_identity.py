"""When two workbooks are the same unit's, as a batch judges duplicates (SPEC §5), and how a
unit is named on screen and in the summary. Pure: no I/O.

Spelling does not make two units: NFC or NFD, case, spacing, the kind repeated in the name
(``Xã Tân Hưng`` with kind ``Xã``) and the province's prefix (``TP. Hải Phòng``, ``thành phố
Hải Phòng``, ``tỉnh Nam Định``) are all ignored. Tone marks are not: Thanh Lợi and Thành Lợi
are two communes. (``figures.unit_key``, which matches last year's workbook, folds tone marks
too.)
"""

from __future__ import annotations

import unicodedata

from danvan_cli.figures import bare_unit_name, province_parts, unit_kind_label

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


def unit_title(name: str, kind: str) -> str:
    """The unit as people read it: ``Xã Tân Hưng``, also when the name repeats its kind."""
    label = unit_kind_label(_nfc(kind))
    return f"{label} {bare_unit_name(_nfc(name), label)}"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(text: str) -> str:
    return " ".join(_nfc(text).casefold().split())
