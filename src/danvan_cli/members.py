"""One member of a zip-based workbook (xlsx, ods), inflated safely and fast.

A sheet's XML is inflated once by danvan, to be measured before calamine reads it
(workbook.py, extents.py): a log of 100.000 rows is some 84 MB of XML, which the standard
``zlib`` inflates in about 0,17 s. zlib-ng inflates the same deflate stream in about 0,07 s
(a drop-in build of zlib with faster kernels), so a large member is read with it: the local
file header as the zip format lays it out, the compressed bytes, inflated never past the size
the central directory declares, and checked as zipfile checks it (the local header's name, the
size, the CRC-32). Anything unusual (a small member, another compression method, an encrypted
member, a file opened from a stream) goes through zipfile itself."""

from __future__ import annotations

import os
import struct
import zipfile
from typing import cast

from zlib_ng import zlib_ng

FAST_BYTES = 1024 * 1024
"""Members smaller than this (inflated) go through zipfile: the saving is not worth a read."""

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # as zipfile's structFileHeader
_LOCAL_SIGNATURE = b"PK\x03\x04"
_NAME_LENGTH, _EXTRA_LENGTH = 10, 11  # fields of the local header giving what follows it
_ENCRYPTED = 0x1
_UTF8 = 0x800  # the name is UTF-8 (else code page 437), in both headers
_INFLATE_ERROR = cast("type[Exception]", zlib_ng.error)  # its stub declares an instance


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """``info``'s bytes, never inflating more than the size its header declares (zipfile's own
    ``read`` inflates a lying member whole before it notices). Raises zipfile.BadZipFile for a
    member whose bytes are not what the archive declares, like zipfile."""
    if (
        info.file_size >= FAST_BYTES
        and info.compress_type == zipfile.ZIP_DEFLATED
        and not info.flag_bits & _ENCRYPTED
        and isinstance(archive.filename, str)
    ):
        return _inflate(archive.filename, info)
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise zipfile.BadZipFile(f"{info.filename} is larger than declared")
    return data


def _inflate(path: str, info: zipfile.ZipInfo) -> bytes:
    """A deflated member read from the file at ``path`` and inflated by zlib-ng."""
    if info.header_offset < 0:  # a directory that points before the file's start
        raise zipfile.BadZipFile(f"{info.filename}: bad offset")
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if info.header_offset + _LOCAL_HEADER.size > size:
            raise zipfile.BadZipFile(f"{info.filename}: bad offset")
        handle.seek(info.header_offset)
        fields = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
        if fields[0] != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"{info.filename}: bad local header")
        name = handle.read(fields[_NAME_LENGTH])
        if (
            name.decode("utf-8" if info.flag_bits & _UTF8 else "cp437", "replace")
            != info.orig_filename
        ):
            raise zipfile.BadZipFile(f"{info.filename}: another name in the local header")
        handle.seek(fields[_EXTRA_LENGTH], 1)
        if handle.tell() + info.compress_size > size:  # a directory that lies: not read
            raise zipfile.BadZipFile(f"{info.filename}: truncated")
        packed = handle.read(info.compress_size)
    inflater = zlib_ng.decompressobj(-15)  # raw deflate, as in a zip member
    try:
        data = inflater.decompress(packed, info.file_size + 1)
    except _INFLATE_ERROR as err:
        raise zipfile.BadZipFile(f"{info.filename}: {err}") from None
    del packed
    if len(data) != info.file_size or zlib_ng.crc32(data) != info.CRC:
        raise zipfile.BadZipFile(f"{info.filename}: not as declared (size or CRC-32)")
    return data
