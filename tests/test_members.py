"""members.read_member: a large deflated member is inflated by zlib-ng from the file itself,
checked as zipfile checks it (size, CRC-32); a member that is not what the archive declares is
refused (zipfile.BadZipFile) without inflating past its declared size."""

from __future__ import annotations

import random
import struct
import zipfile
from pathlib import Path

import pytest

from danvan_cli import members
from danvan_cli.members import FAST_BYTES, read_member

PART = "xl/worksheets/sheet1.xml"


def _xml(size: int) -> bytes:
    """Sheet-like XML of about ``size`` bytes, varied enough to compress as a real one."""
    rng = random.Random(5)
    rows = []
    total = 0
    number = 0
    while total < size:
        number += 1
        row = (
            f'<row r="{number}"><c r="A{number}"><v>{rng.randrange(10**6)}</v></c>'
            f'<c r="B{number}" t="inlineStr"><is><t>VV-{rng.randrange(10**5):06d}</t></is></c>'
            "</row>"
        ).encode()
        rows.append(row)
        total += len(row)
    return b"<worksheet><sheetData>" + b"".join(rows) + b"</sheetData></worksheet>"


def _archive(folder: Path, data: bytes, prefix: bytes = b"") -> Path:
    path = folder / "so.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr(PART, data)
    if prefix:  # e.g. a self-extracting stub before the archive: offsets shift
        path.write_bytes(prefix + path.read_bytes())
    return path


def _patch_central(path: Path, offset: int, value: int) -> None:
    """Overwrite a 4-byte field of PART's central directory entry (16: CRC-32, 20: compressed
    size, 24: size)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        position = archive.start_dir
    while raw[position : position + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", raw, position + 28)
        if raw[position + 46 : position + 46 + name_len] == PART.encode():
            struct.pack_into("<I", raw, position + offset, value)
        position += 46 + name_len + extra_len + comment_len
    path.write_bytes(raw)


def _layout(path: Path) -> tuple[int, int, int]:
    """Where PART lies in the archive, as byte offsets: its name in its local header, its
    deflated bytes, and the central directory (which follows them: PART is the last member)."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(PART)
        directory = archive.start_dir
    name = info.header_offset + 30  # the local header's fixed part
    return name, name + len(PART), directory


def _read(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return read_member(archive, archive.getinfo(PART))


@pytest.mark.parametrize("prefix", [b"", b"MZ" + b"\0" * 1000])
def test_large_member_is_inflated_whole_and_exact(tmp_path: Path, prefix: bytes) -> None:
    data = _xml(3 * FAST_BYTES)
    path = _archive(tmp_path, data, prefix)
    assert _read(path) == data


def test_large_member_goes_the_fast_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is taken for a large deflated member (not zipfile's stream)."""
    data = _xml(2 * FAST_BYTES)
    path = _archive(tmp_path, data)
    calls: list[str] = []
    real = members._inflate
    monkeypatch.setattr(members, "_inflate", lambda p, i: calls.append(i.filename) or real(p, i))
    assert _read(path) == data
    assert calls == [PART]


def test_small_member_is_read_by_zipfile(tmp_path: Path) -> None:
    data = _xml(FAST_BYTES // 4)
    assert _read(_archive(tmp_path, data)) == data


def test_wrong_crc_is_refused(tmp_path: Path) -> None:
    data = _xml(2 * FAST_BYTES)
    path = _archive(tmp_path, data)
    _patch_central(path, 16, 0x12345678)
    with pytest.raises(zipfile.BadZipFile):
        _read(path)


def test_member_larger_than_declared_is_refused_without_inflating_it_whole(
    tmp_path: Path,
) -> None:
    """Declares 1,5 MB, inflates to 12 MB: refused once 1,5 MB + 1 byte are out."""
    path = _archive(tmp_path, _xml(12 * FAST_BYTES))
    _patch_central(path, 24, FAST_BYTES + FAST_BYTES // 2)
    with pytest.raises(zipfile.BadZipFile, match="not as declared"):
        _read(path)


def test_member_smaller_than_declared_is_refused(tmp_path: Path) -> None:
    data = _xml(2 * FAST_BYTES)
    path = _archive(tmp_path, data)
    _patch_central(path, 24, len(data) + 10)
    with pytest.raises(zipfile.BadZipFile):
        _read(path)


def test_damaged_deflate_stream_is_refused(tmp_path: Path) -> None:
    data = _xml(2 * FAST_BYTES)
    path = _archive(tmp_path, data)
    _, start, _ = _layout(path)
    raw = bytearray(path.read_bytes())
    raw[start : start + 64] = b"\xff" * 64  # the first deflate block's header and more
    path.write_bytes(raw)
    with pytest.raises(zipfile.BadZipFile):
        _read(path)


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    data = _xml(2 * FAST_BYTES)
    path = _archive(tmp_path, data)
    _, start, directory = _layout(path)
    raw = path.read_bytes()
    # the member's bytes cut short, the central directory kept (zipfile still opens it)
    cut = start + (directory - start) // 2
    shortened = raw[:cut] + raw[directory:]
    path.write_bytes(shortened)
    with pytest.raises(zipfile.BadZipFile):
        _read(path)


def test_compressed_size_past_the_file_is_refused_without_reading(tmp_path: Path) -> None:
    """A directory claiming 4 GiB of compressed bytes for a 400 kB file: refused at once (a
    read of that size would reserve 4 GiB before noticing)."""
    path = _archive(tmp_path, _xml(2 * FAST_BYTES))
    _patch_central(path, 20, 0xFFFFFFFE)
    with pytest.raises(zipfile.BadZipFile, match="truncated"):
        _read(path)


def test_another_name_in_the_local_header_is_refused(tmp_path: Path) -> None:
    """zipfile refuses a member whose local header names another part: so does the fast way
    (calamine and danvan must read the same bytes)."""
    path = _archive(tmp_path, _xml(2 * FAST_BYTES))
    start, _, _ = _layout(path)
    raw = bytearray(path.read_bytes())
    assert raw[start : start + len(PART)] == PART.encode()
    raw[start : start + len(PART)] = PART.replace("sheet1", "sheetX").encode()
    path.write_bytes(raw)
    with pytest.raises(zipfile.BadZipFile, match="another name"):
        _read(path)
