"""Small helpers the test modules share (pytest puts this folder on sys.path)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def flat(text: str) -> str:
    """Output with line wrapping undone, to look for whole messages."""
    return " ".join(text.split())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_traceback(result: Any) -> None:
    """A CliRunner result that ended by the CLI's own exit, never by a raw exception."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def custom_template(tmp_path: Path, *paragraphs: str) -> Path:
    """A template .docx of one paragraph per text, as a clerk might write in Word."""
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = tmp_path / "mau.docx"
    document.save(str(path))
    return path


def resaved_by_libreoffice(path: Path, folder: Path) -> Path:
    """``path`` (a workbook) opened and saved again as .xlsx by headless LibreOffice; skips the
    test when LibreOffice is missing or cannot convert spreadsheets."""
    import shutil
    import subprocess

    import pytest

    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    profile = (folder / "profile").as_uri()
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx"]
    done = subprocess.run(
        [*command, "--outdir", str(folder / "lo"), str(path)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    saved = folder / "lo" / path.name
    if not saved.exists():
        pytest.skip(f"this LibreOffice cannot convert spreadsheets: {done.stderr[-300:]!r}")
    return saved


def rewritten_sheet(xml: str, fills: dict[int, dict[int, str]], rid: str | None = None) -> str:
    """``xml`` (a worksheet) rewritten by annotate_xml with error ("error") or warning fills on
    the given cells, a style numbered base * 100 + 1 for an error, + 2 for a warning."""
    from danvan_cli import annotate_xml

    def style(base: int, fill: str) -> int:
        return base * 100 + (1 if fill == "error" else 2)

    parts: list[bytes] = []
    marks = annotate_xml.SheetMarks(fills, style, rid)
    annotate_xml.rewrite_sheet(xml.encode(), marks, lambda part: parts.append(bytes(part)))
    return b"".join(parts).decode()
