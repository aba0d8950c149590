"""The report's template context: every figure, name, citation and paragraph the template
needs, built from checked data (never personal data), plus sample contexts that
``template check`` renders an edited template against."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from danvan_cli import schema
from danvan_cli.compare import compare_context
from danvan_cli.figures import (
    ByKind,
    ByMode,
    DisciplineFigures,
    DocumentFigure,
    DossierFigures,
    FieldDossiers,
    Figures,
    ModeFigures,
    ModelFigure,
    PetitionFigures,
    PreviousFigures,
    ProcedureFigures,
    ProfileFigures,
    ReceptionFigures,
    UnitFigures,
    bare_unit_name,
    default_issuer,
    period_figures,
    province_parts,
    unit_kind_label,
)
from danvan_cli.models import CommuneData, Note, UnitInfo
from danvan_cli.period import Period, parse_period, previous_period
from danvan_cli.vietnamese import (
    date_line,
    fold,
    format_date,
    split_recipients,
    strip_marks,
    upper_vi,
)

#: NoiDung section codes; ``notes`` in the context has one jinja-safe key for each.
NOTE_SECTIONS = tuple(choice.key for choice in schema.NOTE_SECTIONS)
#: Document groups (VanBan.Nhóm); ``documents`` has one key for each, cited in its section.
DOCUMENT_GROUPS = tuple(choice.key for choice in schema.DOCUMENT_GROUPS)
#: Kinds of matter in their report order, for the "(khiếu nại: …, tố cáo: …)" lists.
KINDS = tuple(
    {"key": choice.key, "label": choice.label.lower()} for choice in schema.KINDS_OF_MATTER
)

_DISTRICT_PREFIXES = ("huyện ", "quận ", "thị xã ", "thành phố ")


def note_key(section: str) -> str:
    """``"II.3.2.a"`` -> ``"II_3_2_a"`` (a name Jinja can read as ``notes.II_3_2_a``)."""
    return section.replace(".", "_")


# --- context -------------------------------------------------------------------------------

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Text safe for XML: no control characters, line breaks normalised to ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL_XML.sub("", text)


def _strip_ends(text: str, lead: str = "", trail: str = "") -> str:
    text = " ".join(clean_text(text).split())
    return text.lstrip(lead + " ").rstrip(trail + " ")


def _lower_first(text: str) -> str:
    """``"Triển khai …"`` -> ``"triển khai …"``, acronyms (``UBND …``) kept."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_COMMON_FIRST_WORDS = {
    fold(word)
    for word in (
        "xã",
        "phường",
        "thị",
        "đặc",
        "phía",
        "nằm",
        "giáp",
        "có",
        "là",
        "vị",
        "địa",
        "thuộc",
        "tiếp",
        "ở",
        "trên",
    )
}


def _clause(text: str | None) -> str:
    """A clerk's sentence used after "; " in ours: no final stop, and a common first word
    (``Xã nằm …``, ``Phía Đông …``) in lower case; names (``Tân Hưng …``) are kept."""
    value = _strip_ends(text or "", trail=".;,")
    first = value.split(" ", 1)[0]
    return _lower_first(value) if fold(first) in _COMMON_FIRST_WORDS else value


def _about(summary: str) -> str:
    """The "về việc …" phrase of a citation from a document's trích yếu."""
    text = _strip_ends(summary, trail=".;,:")
    match = re.match(r"(?i)^(?:v/v|về việc)\s*[:.]?\s*", text)
    if match:
        return "về việc " + _lower_first(text[match.end() :])
    if re.match(r"(?i)^về\s", text):
        return "v" + text[1:]
    return "về việc " + _lower_first(text)


def _unit_context(info: UnitInfo) -> dict[str, Any]:
    kind = unit_kind_label(info.kind)
    kind_lower = kind.lower()
    name = bare_unit_name(info.name, kind)
    province_name, province_full = province_parts(info.province)
    district = " ".join((info.district or "").split())
    if district and not district.lower().startswith(_DISTRICT_PREFIXES):
        district_full = "huyện " + district
    else:
        district_full = (district[0].lower() + district[1:]) if district else ""
    full = f"{kind_lower} {name}"
    return {
        "name": name,
        "kind": kind,
        "kind_lower": kind_lower,
        "full": full,
        "title": f"{kind} {name}",
        "upper": upper_vi(full),
        "ubnd": f"UBND {kind_lower}",
        "ubnd_full": f"UBND {full}",
        "province": province_name,
        "province_full": province_full,
        "district": district,
        "district_full": district_full,
        "superior": f"UBND {district_full or province_full}",
        "village_word": _strip_ends(info.village_word or "thôn") or "thôn",
        "location": _clause(info.location),
        "party_structure": _party_structure(info.party_structure),
    }


def _party_structure(text: str | None) -> str:
    value = _strip_ends(text or "", trail=".;,")
    value = value.strip("()").strip()
    return re.sub(r"(?i)^gồm\s*:?\s*", "", value)


def _own_issuers(info: UnitInfo, unit: Mapping[str, Any]) -> frozenset[str]:
    """The unit's own names as an issuer, folded: its documents are cited without one."""
    return frozenset(
        {
            fold(default_issuer(info)),
            fold(f"Ủy ban nhân dân {unit['full']}"),
            fold(f"Uỷ ban nhân dân {unit['full']}"),
            fold(unit["ubnd"]),
            fold(f"UBND {unit['name']}"),
            fold("Ủy ban nhân dân " + unit["kind_lower"]),
        }
    )


_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "ubmttq": "uy ban mat tran to quoc",
    "mttq": "mat tran to quoc",
}


def _words(text: str) -> list[str]:
    """Words for matching names inside prose: no case or marks, common abbreviations spelt
    out (``UBND xã`` and ``Ủy ban nhân dân xã`` give the same words)."""
    words = re.findall(r"[a-z0-9]+", strip_marks(text).casefold())
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words).split()


def _names(issuer: str, summary: str) -> bool:
    """Whether ``summary`` already names ``issuer`` (as a run of whole words)."""
    wanted, words = _words(issuer), _words(summary)
    size = len(wanted)
    return size > 0 and any(
        words[index : index + size] == wanted for index in range(len(words) - size + 1)
    )


def _documents_context(
    figures: Figures, info: UnitInfo, unit: Mapping[str, Any], period: Period
) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {group: [] for group in DOCUMENT_GROUPS}
    own = _own_issuers(info, unit)
    issuers: dict[str, tuple[str, bool]] = {}  # as written -> (as cited, external)
    for document in figures.documents:
        # Most documents share a few issuers (the unit's own name, given once for all):
        # each is cleaned and compared once, whatever its length.
        known = issuers.get(document.issuer)
        if known is None:
            cleaned = _strip_ends(document.issuer)
            known = issuers[document.issuer] = (
                cleaned,
                bool(cleaned) and fold(cleaned) not in own,
            )
        issuer, external = known
        number = _strip_ends(document.number)
        day = dt.date.fromisoformat(document.date)
        date = format_date(day)
        kind = document.type or "Văn bản"
        about = _about(document.summary)
        citation = f"{kind} số {number} ngày {date} {about}"
        if external and not _names(issuer, document.summary):
            citation += f" của {issuer}"
        in_period = period.contains(day)
        grouped.setdefault(document.group, []).append(
            {
                "number": number,
                "type": kind,
                "date": date,
                "iso_date": document.date,
                "summary": clean_text(document.summary),
                "about": about,
                "issuer": issuer,
                "external": external,
                "in_period": in_period,
                "issued": in_period and not external,
                "citation": citation,
            }
        )
    return grouped


def _split_documents(
    documents: Mapping[str, list[dict[str, Any]]],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Each group's documents as the bases the period's work rests on (other issuers' and the
    unit's own earlier ones) and those the unit issued inside the period's window."""
    bases = {group: [d for d in items if not d["issued"]] for group, items in documents.items()}
    issued = {group: [d for d in items if d["issued"]] for group, items in documents.items()}
    return bases, issued


_TASK_NUMBER = re.compile(r"^\s*(?:\d+\s*[.)/-]|[-–•+*])\s*")


def _notes_context(notes: tuple[Note, ...]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {note_key(section): [] for section in NOTE_SECTIONS}
    for note in notes:
        text = clean_text(note.text).strip()
        if note.section == "IV":
            text = _strip_ends(_TASK_NUMBER.sub("", text), trail=".;,")
        if text:
            result.setdefault(note_key(note.section), []).append(text)
    return result


_ARCHIVE = re.compile(r"(?i)^lưu\s*:?\s*(.*)$")


def _recipients(lines: tuple[str, ...]) -> tuple[list[str], str]:
    """Recipients without their "- " and ";" (the template adds them) and the archive
    line's content ("VT" unless the clerk wrote a "Lưu: …" line)."""
    result: list[str] = []
    archive = "VT"
    for line in lines:
        for text in split_recipients(clean_text(line)):
            match = _ARCHIVE.match(text)
            if match:
                archive = _strip_ends(match.group(1), trail=";,.") or "VT"
                continue
            result.append(text)
    return result, archive


def _doc_number(raw: str | None) -> str:
    text = _strip_ends(raw or "")
    text = re.sub(r"(?i)^số\s*:?\s*", "", text)
    return text.split("/", 1)[0].strip()


def build_context(
    data: CommuneData,
    figures: Figures,
    period: Period,
    report_date: dt.date,
    leading_zero: bool = True,
) -> dict[str, Any]:
    """Everything the report template reads. No personal data: CommuneData holds none.

    Keys: ``figures`` (the ``danvan.figures/1`` JSON) and its parts ``profile``,
    ``reception``, ``petitions``, ``dossiers``, ``procedures``, ``discipline``; ``models``
    (name, unit); ``documents`` (group -> list of number, type, date, summary, about, issuer,
    external, in_period, issued, citation) and its two parts by group: ``bases`` (other
    issuers' documents and the unit's own from before the window, what the period's work
    rests on) and ``issued`` (the unit's own documents dated inside the window); ``notes``
    (``I``, ``II_1`` … ``II_3_2_a`` … ``IV`` -> paragraphs); ``unit`` (name, kind,
    kind_lower, full, title, upper, ubnd, ubnd_full, province, province_full, district,
    district_full, superior, village_word, location, party_structure); ``period`` (code,
    year, window, label, next_label, title_phrase, title_head, title_tail, results_label,
    in_period_text, start, end, cutoff, from_year_start); ``report_date`` (iso, text, line);
    ``place_date``; ``doc_number``; ``signer`` (name, deputy, role); ``recipients``;
    ``archive``; ``kinds`` (key, label); ``leading_zero``; ``previous`` (the figures'
    ``previous`` block: last year's same period, or None); ``compare`` (``available``,
    ``year``, ``label`` and one phrase per compared figure, ``compare.reception.visits`` …
    ``compare.dossiers.on_time_rate``: see compare.py).
    """
    info = data.info
    fig = figures.to_json_dict()
    unit = _unit_context(info)
    recipients, archive = _recipients(info.recipients)
    signer_name = _strip_ends(info.signer or "")
    deputy = fold(info.signer_role).startswith("pho")
    date_text = date_line(report_date)
    head, _, tail = period.title_phrase.partition("; ")
    documents = _documents_context(figures, info, unit, period)
    bases, issued = _split_documents(documents)
    return {
        "figures": fig,
        "profile": fig["profile"],
        "reception": fig["reception"],
        "petitions": fig["petitions"],
        "dossiers": fig["dossiers"],
        "procedures": fig["procedures"],
        "discipline": fig["discipline"],
        "models": [
            {"name": clean_text(model.name), "unit": clean_text(model.unit)}
            for model in figures.models
        ],
        "documents": documents,
        "bases": bases,
        "issued": issued,
        "notes": _notes_context(data.notes),
        "unit": unit,
        "period": {
            "code": period.code,
            "year": period.year,
            "window": period.window,
            "label": period.label,
            "next_label": period.next_label,
            "title_phrase": period.title_phrase,
            "title_head": f"{head};" if tail else head,
            "title_tail": tail,
            "results_label": period.results_label,
            "in_period_text": period.in_period_text,
            "start": format_date(period.start),
            "end": format_date(period.end),
            "cutoff": format_date(period.end),
            "from_year_start": period.months[0] == 1,
        },
        "report_date": {
            "iso": report_date.isoformat(),
            "text": format_date(report_date),
            "line": date_text,
        },
        "place_date": f"{unit['name']}, {date_text}",
        "doc_number": _doc_number(info.doc_number),
        "signer": {
            "name": signer_name,
            "deputy": deputy,
            "role": "PHÓ CHỦ TỊCH" if deputy else "CHỦ TỊCH",
        },
        "recipients": recipients,
        "archive": archive,
        "kinds": [dict(kind) for kind in KINDS],
        "leading_zero": leading_zero,
        "previous": fig["previous"],
        "compare": compare_context(figures, leading_zero),
    }


# --- sample data (for check_template) ------------------------------------------------------


def _sample_figures(period: Period, full: bool) -> Figures:
    n = 1 if full else 0
    mode = ModeFigures(sessions=3 * n, visits=4 * n, people=6 * n, cases=2 * n)
    field = FieldDossiers(
        field="Tư pháp - Hộ tịch",
        received=10 * n,
        online=6 * n,
        direct=3 * n,
        postal=1 * n,
        resolved=9 * n,
        early=7 * n,
        on_time=1 * n,
        late=1 * n,
        open=1 * n,
        open_overdue=1 * n,
        online_rate=60.0 * n,
        on_time_rate=88.89 * n,
    )
    by_field = [field, field.model_copy(update={"field": "Đất đai"})] if full else []
    groups = DOCUMENT_GROUPS if full else ()
    return Figures(
        unit=UnitFigures(name="Mẫu", kind="Xã", province="Hải Phòng", district="Vĩnh Bảo"),
        period=period_figures(period),
        profile=ProfileFigures(
            area_km2=7.02 if full else None,
            population=7506 if full else None,
            density=1069 if full else None,
            villages=7 if full else None,
            party_members=288 if full else None,
            party_cells=13 if full else None,
        ),
        reception=ReceptionFigures(
            visits=16 * n,
            people=24 * n,
            cases=8 * n,
            groups=n,
            cases_by_kind=ByKind(khieu_nai=n, to_cao=n, kien_nghi=5 * n, phan_anh=n),
            by_mode=ByMode(thuong_xuyen=mode, dinh_ky=mode, uy_quyen=mode, dot_xuat=mode),
        ),
        petitions=PetitionFigures(
            received=5 * n,
            processed=4 * n,
            eligible=3 * n,
            eligible_by_kind=ByKind(khieu_nai=n, kien_nghi=2 * n),
        ),
        dossiers=DossierFigures(
            carried_over=2 * n,
            received=20 * n,
            online=12 * n,
            direct=6 * n,
            postal=2 * n,
            resolved=18 * n,
            early=14 * n,
            on_time=2 * n,
            late=2 * n,
            open=2 * n,
            open_overdue=2 * n,
            online_rate=60.0 * n,
            on_time_rate=88.89 * n,
            by_field=by_field,
        ),
        procedures=ProcedureFigures(
            total=120 * n, fields=13 * n, full_online=47 * n, partial_online=9 * n
        ),
        documents=[
            DocumentFigure(
                number="01/KH-UBND",
                type="Kế hoạch",
                date=(period.start if own else period.start.replace(year=2013)).isoformat(),
                summary="Về việc thực hiện công tác dân vận",
                issuer="UBND xã Mẫu" if own else "UBND huyện Vĩnh Bảo",
                group=group,
            )
            for group in groups
            for own in (True, False)
        ],
        models=[ModelFigure(name="Mô hình mẫu", unit="Hội Nông dân")] if full else [],
        discipline=DisciplineFigures(violations=n, attitude_complaints=n),
        previous=_sample_previous(period) if full else None,
    )


def _sample_previous(period: Period) -> PreviousFigures:
    """Last year's figures of the full sample: some figures rose, some fell, some held."""
    last_year = previous_period(period)
    return PreviousFigures(
        year=last_year.year,
        period=period_figures(last_year),
        reception=ReceptionFigures(visits=12, people=24, cases=10),
        petitions=PetitionFigures(received=0, processed=0, eligible=0),
        dossiers=DossierFigures(
            received=25,
            online=14,
            direct=11,
            resolved=20,
            early=17,
            on_time=1,
            late=2,
            online_rate=56.0,
            on_time_rate=90.0,
        ),
    )


def sample_contexts() -> list[dict[str, Any]]:
    """Two complete contexts taking opposite sides of every condition of the default
    template: one with every figure, document, note and a deputy signer; one all empty."""
    contexts = []
    for full in (True, False):
        # The empty one reports a quarter: the template words periods from January otherwise.
        period = parse_period("9m" if full else "q3", 2024)
        info = UnitInfo(
            name="Mẫu",
            kind="Phường" if full else "Xã",
            district="Vĩnh Bảo" if full else None,
            province="Hải Phòng",
            year=2024,
            party_structure="07 chi bộ nông thôn" if full else None,
            location="phía Đông giáp xã A" if full else None,
            signer="Nguyễn Văn A" if full else None,
            signer_role="pho_chu_tich" if full else "chu_tich",
            doc_number="12" if full else None,
            recipients=("Sở Nội vụ (b/c)", "Lưu: VT") if full else (),
        )
        notes = tuple(
            Note(row=index + 2, section=section, text="Nội dung mẫu.")
            for index, section in enumerate(NOTE_SECTIONS if full else ())
        )
        data = CommuneData(info=info, notes=notes)
        figures = _sample_figures(period, full)
        contexts.append(build_context(data, figures, period, dt.date(2024, 9, 20), full))
    return contexts
