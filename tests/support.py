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
