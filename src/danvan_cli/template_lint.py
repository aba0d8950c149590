"""Reading an edited template the way Word shows it — paragraph by paragraph, table cell by
table cell — to catch broken tags before docxtpl and Jinja see them (SPEC §5, ``template
check``).

A brace lost in Word does not always make Jinja fail: docxtpl joins the runs of a tag up to
the next ``}}``, so ``{{ x }`` can swallow the text after it, and ``{ x }}`` or ``{ x }`` (a
brace lost on each side) is printed as it stands. So every tag is delimited here on the text
of its own paragraph (runs joined, as docxtpl joins them), each tag's expression is parsed on
its own, text in single braces that reads as an expression of the report's data is told, and
the ``{% if %}`` / ``{% for %}`` blocks are matched across the part — each problem naming the
paragraph or table cell by its text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import jinja2
from lxml import etree  # type: ignore[import-untyped,unused-ignore]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _T, _TC, _TR, _TBL = f"{W}p", f"{W}t", f"{W}tc", f"{W}tr", f"{W}tbl"
_TRACKED = (f"{W}del", f"{W}moveFrom")
CORE_PART = "docProps/core.xml"
EXCERPT = 70

_PART_NAMES = (
    (re.compile(r"word/header\d*\.xml$"), "đầu trang"),
    (re.compile(r"word/footer\d*\.xml$"), "chân trang"),
    (re.compile(r"word/footnotes\.xml$"), "chú thích cuối trang"),
    (re.compile(r"word/endnotes\.xml$"), "chú thích cuối văn bản"),
    (re.compile(r"word/comments\.xml$"), "ghi chú (comment)"),
)


def part_label(part: str) -> str:
    """A part of the .docx as Word names it: the body, a header, the properties…"""
    if part == "word/document.xml":
        return "nội dung chính của mẫu"
    if part == CORE_PART:
        return "thuộc tính tệp (File → Info → Properties)"
    for pattern, name in _PART_NAMES:
        if pattern.search(part):
            return name
    return f"phần {part}"


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The start of a text, cut at a word when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut[limit // 2 :]:  # a word was cut: drop it
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + ("" if cut.endswith("…") else "…")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's text (its runs joined, as docxtpl joins them) and where it is, told the
    way a clerk finds it in Word."""

    part: str
    text: str
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    prop: str | None = None  # a document property (docProps/core.xml)

    def describe(self) -> str:
        if self.prop is not None:
            name = f" «{self.prop}»" if self.prop else ""
            return f"thuộc tính tệp{name} («{excerpt(self.text)}»)"
        if self.table is not None:
            where = f"bảng {self.table}"
            if self.row is not None:
                where += f", hàng {self.row}"
            if self.cell is not None:
                where += f", ô {self.cell}"
            where += f" («{excerpt(self.text)}»)" if self.text.strip() else " (ô trống)"
        else:
            where = f"đoạn «{excerpt(self.text)}»" if self.text.strip() else "một đoạn trống"
        return where if self.part == "word/document.xml" else f"{part_label(self.part)}, {where}"

    @property
    def row_key(self) -> tuple[int | None, ...] | None:
        return None if self.table is None else (self.table, self.row)

    @property
    def cell_key(self) -> tuple[int | None, ...] | None:
        return None if self.table is None else (self.table, self.row, self.cell)


def read_paragraphs(part: str, root: etree._Element) -> list[Paragraph]:
    """Every paragraph of a part in document order (text boxes included); for the document
    properties part, each property holding text."""
    if part == CORE_PART:
        return [
            Paragraph(part, child.text, prop=etree.QName(child).localname)
            for child in root
            if isinstance(child.tag, str) and child.text and child.text.strip()
        ]
    texts: dict[etree._Element, list[str]] = {}
    for run_text in root.iter(_T):
        owner = next(run_text.iterancestors(_P), None)
        if owner is not None:
            texts.setdefault(owner, []).append(run_text.text or "")
    tables = _table_numbers(root)
    return [
        locate(part, paragraph, "".join(texts.get(paragraph, ())), tables)
        for paragraph in root.iter(_P)
    ]


def _table_numbers(root: etree._Element) -> dict[etree._Element, int]:
    return {table: number for number, table in enumerate(root.iter(_TBL), 1)}


def locate(
    part: str, paragraph: etree._Element, text: str, tables: dict[etree._Element, int]
) -> Paragraph:
    """A ``<w:p>`` with its text, placed in its table (number, row, cell) if any."""
    cell = next(paragraph.iterancestors(_TC), None)
    if cell is None:
        return Paragraph(part, text)
    row = cell.getparent()
    table = row.getparent() if row is not None else None
    rows = [child for child in table if child.tag == _TR] if table is not None else []
    cells = [child for child in row if child.tag == _TC] if row is not None else []
    return Paragraph(
        part,
        text,
        table=tables.get(table),
        row=rows.index(row) + 1 if row in rows else None,
        cell=cells.index(cell) + 1 if cell in cells else None,
    )


# --- tags ------------------------------------------------------------------------------------

_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
_STRAY = {"}}": "{{", "%}": "{%", "#}": "{#"}
_LITERALS = ("{_{", "}_}", "{_%", "%_}")  # docxtpl's escapes for literal braces
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_LEVEL = re.compile(r"(p|tr|tc|r) ")
_KEYWORD = re.compile(r"[-+]?\s*([A-Za-z_]\w*)")
_OPENERS = {
    "if": "endif",
    "for": "endfor",
    "macro": "endmacro",
    "call": "endcall",
    "filter": "endfilter",
    "with": "endwith",
    "autoescape": "endautoescape",
    "block": "endblock",
    "raw": "endraw",
    "set": "endset",  # only the block form, {% set x %}…{% endset %}
}
_MIDDLES = {"elif": ("if",), "else": ("if", "for")}
_FORBIDDEN = ("include", "import", "from", "extends")
_BLOCK_SET = re.compile(r"set\s+[\w.,\s]+$")


@dataclass(frozen=True)
class Tag:
    """One ``{{ … }}``, ``{% … %}`` or ``{# … #}`` of a paragraph."""

    opener: str
    text: str  # as written, delimiters included
    inner: str  # between the delimiters, level letter removed, quotes straightened
    level: str  # "", "p", "tr", "tc" or "r" (docxtpl's {%p …%} and friends)
    paragraph: Paragraph

    @property
    def keyword(self) -> str:
        match = _KEYWORD.match(self.inner)
        return match.group(1) if match else ""

    def closing(self, keyword: str) -> str:
        """The tag ``keyword`` written at this tag's level: ``{%p endif %}``, ``{% else %}``."""
        level = f"{self.level} " if self.level else " "
        return f"{{%{level}{keyword} %}}"


def _quoted(text: str) -> str:
    return f"«{excerpt(text, 50)}»"


@dataclass
class _Scan:
    """The tags of one paragraph and the problems met delimiting them."""

    paragraph: Paragraph
    tags: list[Tag] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        self.problems.append(f"{self.paragraph.describe()}: {what}.")


def _skip_string(text: str, start: int) -> int | None:
    """The index after the string literal opening at ``start``, or None when unclosed."""
    quote, index = text[start], start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    return None


def _scan_tag(scan: _Scan, text: str, start: int) -> int:
    """Delimit the tag opening at ``start``; returns where scanning goes on."""
    opener = text[start : start + 2]
    closer = _CLOSERS[opener]
    if opener == "{#":
        end = text.find("#}", start + 2)
        if end < 0:
            scan.fail(f"ghi chú {_quoted(text[start:])} thiếu dấu đóng «#}}»")
            return len(text)
        return end + 2
    index, depth = start + 2, 0
    while index < len(text):
        char = text[index]
        if char in "'\"":
            after = _skip_string(text, index)
            if after is None:
                scan.fail(f"thẻ {_quoted(text[start:])} có chuỗi mở bằng dấu {char} mà chưa đóng")
                return len(text)
            index = after
            continue
        if depth == 0 and text.startswith(closer, index):
            _add_tag(scan, opener, text[start : index + 2])
            return index + 2
        if depth == 0 and text.startswith(("{{", "{%"), index):
            fragment = text[start:index].rstrip()
            scan.fail(f"thẻ {_quoted(fragment)} thiếu dấu đóng «{closer}»")
            return index
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                fragment = text[start : index + 1]
                lost = "}" if opener == "{{" else "%"
                scan.fail(
                    f"thẻ {_quoted(fragment)} thiếu dấu đóng «{closer}» "
                    f"(có lẽ mất một dấu «{lost}»)"
                )
                return index + 1
        index += 1
    scan.fail(f"thẻ {_quoted(text[start:])} thiếu dấu đóng «{closer}» trong cùng đoạn")
    return len(text)


def _add_tag(scan: _Scan, opener: str, text: str) -> None:
    inner = text[2:-2].translate(_QUOTES)
    if inner[:1] in ("-", "+"):  # Jinja's whitespace control, {%- … -%}
        inner = inner[1:]
    if inner[-1:] in ("-", "+"):
        inner = inner[:-1]
    level = ""
    match = _LEVEL.match(inner)
    if match:
        level, inner = match.group(1), inner[match.end() :]
    scan.tags.append(Tag(opener, text, inner.strip(), level, scan.paragraph))


def scan_paragraph(paragraph: Paragraph) -> _Scan:
    """Delimit the tags of a paragraph: a tag opened and not closed in it, or a ``}}`` /
    ``%}`` closing nothing, is a problem."""
    scan = _Scan(paragraph)
    text = paragraph.text
    index, segment = 0, 0
    while index < len(text):
        if text.startswith(_LITERALS, index):
            index += 3
            continue
        pair = text[index : index + 2]
        if pair in _CLOSERS:
            index = segment = _scan_tag(scan, text, index)
            continue
        if pair in _STRAY:
            before = text.rfind("{", segment, index)
            start = before if before >= 0 else max(segment, index - 30)
            fragment = text[start : index + 2]
            missing = _STRAY[pair]
            scan.fail(
                f"dấu đóng «{pair}» trong {_quoted(fragment)} không có dấu mở «{missing}» "
                f"(có lẽ mất một dấu «{missing[0]}»)"
            )
            index = segment = index + 2
            continue
        index += 1
    return scan


# --- the whole part --------------------------------------------------------------------------


def lint_part(
    part: str, root: etree._Element, parser: jinja2.Environment, names: Collection[str] = ()
) -> list[str]:
    """Every broken tag of one part, in Vietnamese, naming its paragraph or cell; ``parser``
    parses each tag's expression on its own; ``names`` are the report data's (a tag that lost
    a brace on each side, ``{ x }``, is told when it names one of them or uses a filter)."""
    paragraphs = read_paragraphs(part, root)
    problems = list(_tracked_changes(part, root))
    tags: list[Tag] = []
    scans: list[_Scan] = []
    for paragraph in paragraphs:
        if "{" not in paragraph.text and "}" not in paragraph.text:
            continue
        scan = scan_paragraph(paragraph)
        problems.extend(scan.problems)
        tags.extend(scan.tags)
        scans.append(scan)
    known = set(names) | _bound_names(tags, parser)
    for scan in scans:
        problems.extend(_single_braces(scan, parser, known))
    problems.extend(_lone_level_tags(tags, paragraphs))
    for tag in tags:
        problems.extend(_tag_syntax(tag, parser))
    if not problems:
        problems.extend(_block_structure(tags))
    return list(dict.fromkeys(problems))


_SINGLE = re.compile(r"(?<![{_])\{(?![{%#_])([^{}]{1,200})\}(?![}_])")
"""A text in single braces, ``{ x }``: not a tag's delimiter, not docxtpl's ``{_{`` escape."""
_BINDERS = ("for", "set", "macro", "call", "with")


def _single_braces(scan: _Scan, parser: jinja2.Environment, known: set[str]) -> Iterator[str]:
    """A ``{{ x }}`` that lost a brace on each side, ``{ x }``, is printed as it stands: told
    when the text inside reads as an expression naming the report's data (or a name bound by
    a tag of the part) or using a filter. Other text in braces (``{MẪU}``) is prose."""
    text = scan.paragraph.text
    for literal in (*_LITERALS, *(tag.text for tag in scan.tags)):
        text = text.replace(literal, " " * len(literal))
    for found in _SINGLE.finditer(text):
        inner = found.group(1).translate(_QUOTES).strip()
        try:
            ast = parser.parse("{{ " + inner + " }}")
        except jinja2.TemplateSyntaxError:
            continue
        used = {node.name for node in ast.find_all(jinja2.nodes.Name)}
        filters = {node.name for node in ast.find_all(jinja2.nodes.Filter)}
        if used & known or filters & set(parser.filters):
            yield (
                f"{scan.paragraph.describe()}: thẻ {_quoted(found.group(0))} chỉ có một dấu "
                "ngoặc nhọn mỗi bên nên sẽ được in nguyên văn vào báo cáo (có lẽ mất một dấu «{» "
                f"và một dấu «}}»); hãy viết {_quoted('{{ ' + inner + ' }}')}."
            )


def _bound_names(tags: list[Tag], parser: jinja2.Environment) -> set[str]:
    """Names the part's own tags bind: loop variables, ``set`` targets, macro arguments."""
    bound: set[str] = set()
    for tag in tags:
        keyword = tag.keyword
        if tag.opener != "{%" or keyword not in _BINDERS:
            continue
        try:
            ast = parser.parse(_syntax_source(tag, keyword))
        except jinja2.TemplateSyntaxError:
            continue
        for node in ast.find_all(jinja2.nodes.Name):
            if node.ctx in ("store", "param"):
                bound.add(node.name)
        if keyword == "for":
            bound.add("loop")
    return bound


def _tracked_changes(part: str, root: etree._Element) -> Iterator[str]:
    """docxtpl reads deleted text too (``<w:delText>``), so a brace deleted with Track Changes
    on is still there for it."""
    tracked = next((element for tag in _TRACKED for element in root.iter(tag)), None)
    if tracked is None:
        return
    owner = next(tracked.iterancestors(_P), None)
    where = Paragraph(part, "")
    if owner is not None:
        text = "".join(t.text or "" for t in owner.iter(_T))
        where = locate(part, owner, text, _table_numbers(root))
    yield (
        f"{where.describe()}: mẫu còn những thay đổi đang theo dõi (Track Changes) "
        "chưa được chấp nhận; chữ đã xóa vẫn nằm trong tệp và làm hỏng thẻ. Hãy chấp nhận mọi "
        "thay đổi (Review → Accept → Accept All Changes) rồi lưu lại."
    )


def _lone_level_tags(tags: list[Tag], paragraphs: list[Paragraph]) -> Iterator[str]:
    """docxtpl replaces the whole paragraph (row, cell) of a ``{%p …%}`` (``{%tr``, ``{%tc``)
    tag with the tag: any other text there would vanish without a word."""
    texts: dict[tuple[str, tuple[int | None, ...] | None], list[str]] = {}
    for paragraph in paragraphs:
        texts.setdefault(("tr", paragraph.row_key), []).append(paragraph.text)
        texts.setdefault(("tc", paragraph.cell_key), []).append(paragraph.text)
    for tag in tags:
        where = tag.paragraph
        if tag.opener == "{{" and tag.level in ("p", "tr", "tc", "r"):
            yield (
                f"{where.describe()}: thẻ {_quoted(tag.text)} (tài liệu con hoặc RichText "
                "của docxtpl) không dùng được trong mẫu danvan; hãy viết {{ … }}."
            )
            continue
        if tag.opener != "{%" or tag.level not in ("p", "tr", "tc"):
            continue
        if tag.level == "p":
            holder, scope = where.text, "đoạn"
        elif tag.level == "tr" and where.row_key is not None:
            holder, scope = " ".join(texts[("tr", where.row_key)]), "hàng bảng"
        elif tag.level == "tc" and where.cell_key is not None:
            holder, scope = " ".join(texts[("tc", where.cell_key)]), "ô bảng"
        else:
            yield (
                f"{where.describe()}: thẻ {_quoted(tag.text)} chỉ dùng được trong một "
                "hàng hoặc ô của bảng."
            )
            continue
        rest = " ".join(holder.replace(tag.text, " ", 1).split())
        if rest:
            yield (
                f"{where.describe()}: {scope} có thẻ {_quoted(tag.text)} còn có chữ khác "
                f"({_quoted(rest)}); khi điền mẫu, cả {scope} được thay bằng thẻ nên phần chữ đó "
                f"sẽ mất. Hãy để thẻ {{%{tag.level} … %}} một mình một {scope}."
            )


def _tag_syntax(tag: Tag, parser: jinja2.Environment) -> Iterator[str]:
    if tag.opener == "{#":
        return
    keyword = tag.keyword
    if tag.opener == "{%":
        if keyword in _FORBIDDEN:
            yield (
                f"{tag.paragraph.describe()}: thẻ {_quoted(tag.text)} dùng lệnh "
                f"«{keyword}», mẫu danvan không cho phép (chỉ dùng if, for, set, macro…)."
            )
            return
        if keyword.startswith("end") or keyword == "raw":
            return
        source = _syntax_source(tag, keyword)
    else:
        source = "{{ " + tag.inner + " }}"
    try:
        parser.parse(source)
    except jinja2.TemplateSyntaxError as err:
        detail = (err.message or "").rstrip(".")
        unknown = re.match(r"Encountered unknown tag '([^']+)'", detail)
        reason = f"không có lệnh «{unknown.group(1)}»" if unknown else f"sai cú pháp ({detail})"
        yield f"{tag.paragraph.describe()}: thẻ {_quoted(tag.text)} {reason}."


def _syntax_source(tag: Tag, keyword: str) -> str:
    body = "{% " + tag.inner + " %}"
    if keyword in _MIDDLES:
        return "{% if true %}" + body + "{% endif %}"
    if keyword == "set" and not _BLOCK_SET.match(tag.inner):
        return body
    if keyword in _OPENERS:
        return body + "{% " + _OPENERS[keyword] + " %}"
    return body


def _is_block_set(tag: Tag) -> bool:
    return tag.keyword == "set" and bool(_BLOCK_SET.match(tag.inner))


def _same_container(opening: Tag, other: Tag) -> str | None:
    """None when ``other`` may close (or continue) ``opening`` where it stands; otherwise why
    not."""
    first, second = opening.paragraph, other.paragraph
    if opening.level in ("", "r"):
        if first is not second:
            return (
                "phải nằm trong cùng một đoạn; muốn ẩn/hiện cả đoạn thì dùng "
                "«{%p if … %}» và «{%p endif %}», mỗi thẻ một đoạn riêng"
            )
    elif opening.level == "p":
        if first.cell_key != second.cell_key:
            return "phải cùng nằm trong một ô bảng, hoặc cùng nằm ngoài bảng"
    elif opening.level == "tr":
        if first.table != second.table:
            return "phải nằm trong cùng một bảng"
    elif opening.level == "tc" and first.row_key != second.row_key:
        return "phải nằm trong cùng một hàng của bảng"
    return None


def _block_structure(tags: list[Tag]) -> Iterator[str]:
    """``{% if %}`` … ``{% endif %}`` and friends matched across the part: same kind, same
    level (``{%p if %}`` closes with ``{%p endif %}``), same paragraph, cell or table."""
    stack: list[Tag] = []
    for tag in tags:
        if tag.opener != "{%":
            continue
        keyword = tag.keyword
        where = tag.paragraph.describe()
        if keyword in _OPENERS and (keyword != "set" or _is_block_set(tag)):
            stack.append(tag)
        elif keyword in _MIDDLES or keyword.startswith("end"):
            if not stack:
                yield (
                    f"{where}: thẻ {_quoted(tag.text)} không có thẻ mở "
                    f"({_expected_opener(keyword, tag.level)}) đứng trước nó."
                )
                return
            top = stack[-1]
            top_where = top.paragraph.describe()
            expected = _OPENERS[top.keyword]
            fits = top.keyword in _MIDDLES.get(keyword, ()) or keyword == expected
            if not fits:
                yield (
                    f"{where}: thẻ {_quoted(tag.text)} không khớp với thẻ {_quoted(top.text)} "
                    f"đang mở ở {top_where} (cần {_quoted(top.closing(expected))})."
                )
                return
            if tag.level != top.level:
                yield (
                    f"{where}: thẻ {_quoted(tag.text)} thuộc thẻ {_quoted(top.text)} ở "
                    f"{top_where}: thẻ mở dạng {_level_form(top.level)} thì các thẻ đi kèm cũng "
                    f"phải viết dạng đó, ví dụ {_quoted(top.closing(keyword))}."
                )
                return
            why = _same_container(top, tag)
            if why:
                yield (
                    f"{where}: thẻ {_quoted(top.text)} (ở {top_where}) và thẻ "
                    f"{_quoted(tag.text)} {why}."
                )
                return
            if keyword.startswith("end"):
                stack.pop()
    for tag in reversed(stack):
        closing = tag.closing(_OPENERS[tag.keyword])
        yield (
            f"{tag.paragraph.describe()}: thẻ {_quoted(tag.text)} không có thẻ đóng "
            f"{_quoted(closing)} đi kèm."
        )


def _expected_opener(keyword: str, level: str) -> str:
    names = _MIDDLES.get(keyword, (keyword.removeprefix("end"),))
    prefix = f"{{%{level} " if level else "{% "
    return " hoặc ".join(f"«{prefix}{name} … %}}»" for name in names)


def _level_form(level: str) -> str:
    return f"{{%{level} … %}}" if level else "{% … %}"
