"""Which figures an edited template no longer prints (SPEC §5: ``template check`` warns, naming
each one, when a figure the default template prints no longer appears in the rendered text).

Both templates are filled with one *sentinel* context in which every figure has its own value
— distinct integers whose pairwise sums are distinct too (a Sidon set), so that a printed
``early + on_time`` is recognised as well — and every note, document group and model carries
its own marker word. A figure is printed when its value appears among the numbers of the
rendered text, whatever filter formatted it (``7.000.203``, ``7000203``, ``11,37%``).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree  # type: ignore[import-untyped,unused-ignore]

from danvan_cli import schema
from danvan_cli.compare import COMPARED
from danvan_cli.context import build_context, note_key
from danvan_cli.figures import (
    DisciplineFigures,
    DocumentFigure,
    DossierFigures,
    FieldDossiers,
    Figures,
    ModelFigure,
    PetitionFigures,
    ProcedureFigures,
    ProfileFigures,
    ReceptionFigures,
    UnitFigures,
    period_figures,
)
from danvan_cli.models import CommuneData, Note, UnitInfo
from danvan_cli.period import parse_period, previous_period
from danvan_cli.template_lint import Paragraph, excerpt, read_paragraphs

_INT_BASE = 7_000_000  # far above any real figure, and above twice the Sidon spread
_FLOAT_START, _FLOAT_STEP = Decimal("11.37"), Decimal("3")
_MOVE_BASE, _MOVE_STEP = 3_000_000, 7  # last year: each count lower by its own distinct amount
_POINTS_START, _POINTS_STEP = Decimal("2.13"), Decimal("0.06")  # each rate by its own points
_SKIPPED = ("schema_", "unit", "period", "documents", "models", "previous")
_MARKER = "ZQ{code}QZ"


@dataclass(frozen=True)
class Probe:
    """Something the report prints, by its Vietnamese name and its path in the context."""

    label: str
    path: str


@dataclass(frozen=True)
class Sentinels:
    context: dict[str, Any]
    numbers: dict[Decimal, Probe]
    markers: dict[str, Probe]  # lower-case marker word -> what it stands for


# --- labels --------------------------------------------------------------------------------

_LABELS = {
    "profile.area_km2": "diện tích",
    "profile.population": "dân số",
    "profile.density": "mật độ dân số",
    "profile.villages": "số thôn, tổ dân phố",
    "profile.party_members": "số đảng viên",
    "profile.party_cells": "số chi bộ",
    "reception.visits": "số lượt tiếp công dân",
    "reception.people": "số người được tiếp",
    "reception.cases": "số vụ việc khi tiếp công dân",
    "reception.groups": "số đoàn đông người",
    "petitions.received": "số đơn tiếp nhận",
    "petitions.processed": "số đơn đã xử lý",
    "petitions.eligible": "số đơn đủ điều kiện xử lý",
    "procedures.total": "số thủ tục hành chính",
    "procedures.fields": "số lĩnh vực thủ tục hành chính",
    "procedures.full_online": "số thủ tục dịch vụ công toàn trình",
    "procedures.partial_online": "số thủ tục dịch vụ công một phần",
    "discipline.violations": "số cán bộ, công chức vi phạm",
    "discipline.attitude_complaints": "số đơn phản ánh thái độ phục vụ",
}
_DOSSIER_LABELS = {
    "carried_over": "số hồ sơ kỳ trước chuyển sang",
    "received": "số hồ sơ tiếp nhận",
    "online": "số hồ sơ trực tuyến",
    "direct": "số hồ sơ trực tiếp",
    "postal": "số hồ sơ qua bưu chính",
    "resolved": "số hồ sơ đã giải quyết",
    "early": "số hồ sơ giải quyết trước hạn",
    "on_time": "số hồ sơ giải quyết đúng hạn",
    "late": "số hồ sơ giải quyết quá hạn",
    "open": "số hồ sơ đang giải quyết",
    "open_overdue": "số hồ sơ đang giải quyết đã quá hạn",
    "online_rate": "tỷ lệ hồ sơ trực tuyến",
    "on_time_rate": "tỷ lệ giải quyết đúng hạn",
}
_MODE_LABELS = {
    "sessions": "số buổi tiếp",
    "visits": "số lượt tiếp",
    "people": "số người được tiếp",
    "cases": "số vụ việc tiếp",
}
_KINDS = {choice.key: choice.label.lower() for choice in schema.KINDS_OF_MATTER}
_MODES = {choice.key: choice.label.lower() for choice in schema.RECEPTION_MODES}


def _label(path: tuple[str | int, ...]) -> str:
    keys = [key for key in path if isinstance(key, str)]
    dotted = ".".join(keys)
    if dotted in _LABELS:
        return _LABELS[dotted]
    if keys[0] == "dossiers" and keys[-1] in _DOSSIER_LABELS:
        label = _DOSSIER_LABELS[keys[-1]]
        return f"{label} theo từng lĩnh vực" if "by_field" in keys else label
    if keys[:2] == ["reception", "cases_by_kind"] and keys[-1] in _KINDS:
        return f"số vụ việc {_KINDS[keys[-1]]} khi tiếp công dân"
    if keys[:2] == ["petitions", "eligible_by_kind"] and keys[-1] in _KINDS:
        return f"số đơn {_KINDS[keys[-1]]} đủ điều kiện xử lý"
    if keys[:2] == ["reception", "by_mode"] and len(keys) == 4 and keys[2] in _MODES:
        return f"{_MODE_LABELS.get(keys[3], keys[3])} {_MODES[keys[2]]}"
    return f"số liệu {dotted}"


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for key in path:
        text += "[]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


# --- the sentinel context ------------------------------------------------------------------


def _base_figures() -> Figures:
    """Figures with every list filled (two fields, a document of each group, a model) and
    every optional figure present, so that each branch that prints a figure is taken."""
    period = parse_period("9m", 2024)
    return Figures(
        unit=UnitFigures(name="Mẫu", kind="Xã/Phường", province="Hải Phòng", district="Vĩnh Bảo"),
        period=period_figures(period),
        profile=ProfileFigures(
            area_km2=1.0, population=1, density=1, villages=1, party_members=1, party_cells=1
        ),
        reception=ReceptionFigures(),
        petitions=PetitionFigures(),
        dossiers=DossierFigures(
            by_field=[FieldDossiers(field="Lĩnh vực thứ nhất"), FieldDossiers(field="Lĩnh vực B")]
        ),
        procedures=ProcedureFigures(),
        documents=[
            DocumentFigure(
                number=f"{index + 1:02d}/KH-UBND",
                type="Kế hoạch",
                date="2024-03-01",
                summary=f"Triển khai nhiệm vụ {_marker('D', index)}",
                issuer="UBND huyện Vĩnh Bảo" if index % 2 else "UBND phường Mẫu",
                group=group.key,
            )
            for index, group in enumerate(schema.DOCUMENT_GROUPS)
        ],
        models=[ModelFigure(name=f"Mô hình {_marker('M', 0)}", unit="Hội Nông dân")],
        discipline=DisciplineFigures(),
    )


def _marker(kind: str, index: int) -> str:
    return _MARKER.format(code=f"{kind}{index:02d}")


def _number_leaves(
    node: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], type]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if not (not path and key in _SKIPPED):
                yield from _number_leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _number_leaves(value, (*path, index))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, type(node)


def _next_prime(number: int) -> int:
    candidate = max(number, 2)
    while any(candidate % divisor == 0 for divisor in range(2, int(candidate**0.5) + 1)):
        candidate += 1
    return candidate


def _assign(node: Any, path: tuple[str | int, ...], value: object) -> None:
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def sentinel_context() -> Sentinels:
    """The context both templates are filled with, and what each of its values stands for."""
    data = _base_figures().model_dump()
    leaves = list(_number_leaves(data))
    integers = [path for path, kind in leaves if kind is int]
    prime = _next_prime(len(integers))
    numbers: dict[Decimal, Probe] = {}
    by_parent: dict[tuple[str | int, ...], list[tuple[Decimal, Probe]]] = {}
    for index, path in enumerate(integers):  # Erdős–Turán: 2pk + (k² mod p) is a Sidon set
        value = _INT_BASE + 2 * prime * index + index * index % prime
        _assign(data, path, value)
        probe = Probe(_label(path), _path_text(path))
        numbers[Decimal(value)] = probe
        by_parent.setdefault(path[:-1], []).append((Decimal(value), probe))
    floats = [path for path, kind in leaves if kind is float]
    for index, path in enumerate(floats):
        rate = _FLOAT_START + _FLOAT_STEP * index
        _assign(data, path, float(rate))
        numbers[rate] = Probe(_label(path), _path_text(path))
    for siblings in by_parent.values():  # e.g. early + on_time, printed as one figure
        for position, (first, one) in enumerate(siblings):
            for second, other in siblings[position + 1 :]:
                numbers[first + second] = Probe(
                    f"tổng {one.label} và {other.label}", f"{one.path} + {other.path}"
                )
    data["previous"] = _last_year(data, numbers)
    figures = Figures.model_validate(data)
    markers = _markers()
    notes = tuple(
        Note(row=index + 2, section=choice.key, text=f"Nội dung {_marker('N', index)}")
        for index, choice in enumerate(schema.NOTE_SECTIONS)
    )
    info = UnitInfo(
        name="Mẫu",
        kind="Xã/Phường",  # told as "xã/phường" where a warning quotes a paragraph
        district="Vĩnh Bảo",
        province="Hải Phòng",
        year=2024,
        location="phía Đông giáp xã A",
        signer="Nguyễn Văn A",
        signer_role="pho_chu_tich",
        doc_number="12",
        recipients=("Sở Nội vụ (b/c)", "Lưu: VT"),
    )
    context = build_context(
        CommuneData(info=info, notes=notes),
        figures,
        parse_period("9m", 2024),
        dt.date(2024, 9, 20),
    )
    return Sentinels(context, numbers, markers)


def _last_year(data: dict[str, Any], numbers: dict[Decimal, Probe]) -> dict[str, Any]:
    """Last year's figures, each compared figure (compare.COMPARED) lower by its own amount,
    so that every comparison phrase ("tăng 3.000.007 lượt …", "tăng 2,19 điểm phần trăm")
    prints a number that tells which phrase it is."""
    previous: dict[str, Any] = {
        "year": 2023,
        "period": period_figures(previous_period(parse_period("9m", 2024))).model_dump(),
        **{group: copy.deepcopy(data[group]) for group in COMPARED},
    }
    pairs = [(group, key) for group, words in COMPARED.items() for key in words]
    for index, (group, key) in enumerate(pairs):
        current = data[group][key]
        what = Probe(
            f"mức tăng, giảm so với cùng kỳ của {_label((group, key))}", f"compare.{group}.{key}"
        )
        if isinstance(current, float):
            points = _POINTS_START + _POINTS_STEP * index
            previous[group][key] = float(Decimal(str(current)) - points)
            numbers[points] = what
        else:
            move = _MOVE_BASE + _MOVE_STEP * index
            previous[group][key] = current - move
            numbers[Decimal(move)] = what
    return previous


def _markers() -> dict[str, Probe]:
    markers: dict[str, Probe] = {}
    for index, choice in enumerate(schema.NOTE_SECTIONS):
        markers[_marker("N", index).lower()] = Probe(
            f"nội dung ghi ở sheet {schema.NOI_DUNG.title} cho mục {choice.key}",
            f"notes.{note_key(choice.key)}",
        )
    for index, group in enumerate(schema.DOCUMENT_GROUPS):
        markers[_marker("D", index).lower()] = Probe(
            f"các văn bản nhóm «{group.label}» (sheet {schema.VAN_BAN.title})",
            f"documents.{group.key}",
        )
    markers[_marker("M", 0).lower()] = Probe(
        f"các mô hình “Dân vận khéo” (sheet {schema.MO_HINH.title})", "models"
    )
    return markers


# --- finding them in the rendered text -----------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_MARKER_WORD = re.compile(_MARKER.format(code=r"[A-Z]\d\d"), re.IGNORECASE)


def _value(token: str) -> Decimal | None:
    """``7.000.203`` / ``7000203`` / ``11,37`` / ``11.37`` as a number."""
    if _GROUPED.fullmatch(token):
        token = token.replace(".", "").replace(",", ".")
    elif token.count(",") == 1 and "." not in token:
        token = token.replace(",", ".")
    try:
        return Decimal(token)
    except InvalidOperation:
        return None


def _found(text: str, sentinels: Sentinels) -> Iterator[Probe]:
    for match in _NUMBER.finditer(text):
        value = _value(match.group())
        if value is not None and value in sentinels.numbers:
            yield sentinels.numbers[value]
    for match in _MARKER_WORD.finditer(text):
        probe = sentinels.markers.get(match.group().lower())
        if probe is not None:
            yield probe


def _masked(text: str, sentinels: Sentinels) -> str:
    """A paragraph as a clerk would recognise it: each sentinel shown as ``…``."""

    def number(match: re.Match[str]) -> str:
        return "…" if _value(match.group()) in sentinels.numbers else match.group()

    return _MARKER_WORD.sub("…", _NUMBER.sub(number, text))


def printed(parts: Mapping[str, bytes], sentinels: Sentinels) -> dict[Probe, str]:
    """Each probe printed in ``parts`` (rendered XML), with where it first appears."""
    found: dict[Probe, str] = {}
    for name in sorted(parts, key=lambda part: part != "word/document.xml"):
        if not name.startswith("word/"):
            continue
        paragraphs = read_paragraphs(name, etree.fromstring(parts[name]))
        cells = _cell_texts(paragraphs)
        for paragraph in paragraphs:
            for probe in _found(paragraph.text, sentinels):
                if probe not in found:
                    found[probe] = _where(paragraph, cells, sentinels)
    return found


def _cell_texts(paragraphs: list[Paragraph]) -> dict[tuple[int | None, ...], str]:
    texts: dict[tuple[int | None, ...], str] = {}
    for paragraph in paragraphs:
        key = paragraph.cell_key
        if key is not None:
            texts[key] = " ".join(filter(None, (texts.get(key), paragraph.text)))
    return texts


def _where(
    paragraph: Paragraph, cells: dict[tuple[int | None, ...], str], sentinels: Sentinels
) -> str:
    if paragraph.table is None:
        return Paragraph(paragraph.part, _masked(paragraph.text, sentinels)).describe()
    header = cells.get((paragraph.table, 1, paragraph.cell), "")
    column = f", cột «{excerpt(header, 40)}»" if header.strip() else ""
    return f"bảng {paragraph.table}{column}"


def missing_figures(
    default: Mapping[str, bytes], edited: Mapping[str, bytes], sentinels: Sentinels
) -> list[str]:
    """A warning for each paragraph of the default template whose figures (notes, documents)
    the edited one, filled with the same sentinel context, no longer prints — naming each."""
    present = set(printed(edited, sentinels))
    lost: dict[str, list[Probe]] = {}
    for probe, where in printed(default, sentinels).items():
        if probe not in present:
            lost.setdefault(where, []).append(probe)
    warnings = []
    for where, probes in lost.items():
        names = "; ".join(f"{probe.label} ({probe.path})" for probe in probes)
        these = "những nội dung này" if len(probes) > 1 else "nội dung này"
        warnings.append(
            f"Mẫu không còn in {names}: mẫu mặc định in {these} ở {where}. "
            "Nếu cố ý bỏ thì không cần sửa."
        )
    return warnings
