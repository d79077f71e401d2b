"""Zip-level checks of a workbook package, made from the central directory and local headers.

Nothing here inflates a part whole: sizes, ratios and entry counts come from the central
directory, and every entry's local header is compared with it, because a zip bomb lives in the
gap between what the directory says and what the data holds (overlapping entries, sizes that
disagree). Reading a part's first bytes (`part_head`) inflates at most `head_bytes`.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from toolkit.errors import UnsupportedFormatError, WorkbookTooLargeError

_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_LOCAL = struct.Struct("<4s5H3L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01
_EXCEL_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
_CHUNK = 1 << 16
_DEFLATE_RATIO = 1100  # deflate's largest ratio is about 1,032
_DEFLATE_OVERHEAD = 1000  # deflate grows data by at most 5 bytes per 16 KiB stored block
_REPAIR = "Open it in Excel (let Excel repair it if it offers), save it as .xlsx, and run again."


@dataclass(frozen=True)
class ZipLimits:
    """The zip-level part of `ReadLimits` (kept separate so this module stands alone)."""

    max_entries: int
    max_directory_bytes: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: float
    ratio_floor_bytes: int


def check_directory_size(path: Path, handle: BinaryIO, limits: ZipLimits) -> None:
    """Refuse a central directory too big to load, before zipfile loads it.

    The end-of-central-directory record sits in the last 64 KiB; its entry count and directory
    size are read from there, so a zip claiming millions of entries costs one small read.
    """
    handle.seek(0, 2)
    size = handle.tell()
    tail_start = max(0, size - (1 << 16) - _EOCD.size)
    handle.seek(tail_start)
    tail = handle.read()
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or at + _EOCD.size > len(tail):
        return  # zipfile says "damaged" with its own words
    fields = _EOCD.unpack_from(tail, at)
    entries, directory_bytes = fields[4], fields[5]
    if entries > limits.max_entries or directory_bytes > limits.max_directory_bytes:
        raise WorkbookTooLargeError(
            f"{path} claims {entries:,} zip entries ({directory_bytes:,} bytes of directory); "
            f"a workbook has at most {limits.max_entries:,}. It is not a normal workbook: "
            f"{_REPAIR}"
        )


def check_entries(path: Path, package: zipfile.ZipFile, limits: ZipLimits) -> int:
    """Refuse bad names, encryption, odd compression and sizes; returns the total size."""
    infos = package.infolist()
    if len(infos) > limits.max_entries:
        raise WorkbookTooLargeError(
            f"{path} holds {len(infos):,} zip entries; a workbook has at most "
            f"{limits.max_entries:,}. {_REPAIR}"
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_name(path, info.filename, seen)
        _check_entry(path, info, limits)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise WorkbookTooLargeError(
            f"{path} would unpack to {total:,} bytes, more than custkit reads "
            f"({limits.max_total_bytes:,}). Split the workbook, or check that it is what you "
            "think it is (a zip bomb looks like this)."
        )
    return total


def check_local_headers(path: Path, package: zipfile.ZipFile, handle: BinaryIO) -> None:
    """Every entry's local header agrees with the directory, and no two entries overlap."""
    infos = sorted(package.infolist(), key=lambda info: info.header_offset)
    ends = [info.header_offset for info in infos[1:]] + [package.start_dir]
    for info, next_start in zip(infos, ends, strict=True):
        handle.seek(info.header_offset)
        raw = handle.read(_LOCAL.size)
        if len(raw) < _LOCAL.size or raw[:4] != _LOCAL_SIGNATURE:
            raise UnsupportedFormatError(
                f"{path} is damaged: zip entry {info.filename} has no local header. {_REPAIR}"
            )
        fields = _LOCAL.unpack(raw)
        flags, compressed, uncompressed = fields[2], fields[7], fields[8]
        data_start = info.header_offset + _LOCAL.size + fields[9] + fields[10]
        overlaps = data_start + info.compress_size > next_start
        lies = not flags & _DATA_DESCRIPTOR and _disagree(info, compressed, uncompressed)
        if overlaps or lies:
            what = "overlaps the next entry" if overlaps else "has sizes that disagree"
            raise UnsupportedFormatError(
                f"{path} is not a safe zip: entry {info.filename} {what} (the central "
                f"directory and the data do not match, as in zip bombs). {_REPAIR}"
            )
        _check_stream_start(path, info, handle, data_start)


def _check_stream_start(path: Path, info: zipfile.ZipInfo, handle: BinaryIO, start: int) -> None:
    """Inflate a part's first packed bytes: more than the part declares means its sizes lie.

    Both headers can agree on a small size while the data inflates to gigabytes; readers that
    trust the size (or inflate in one call) pay for it. The first `_CHUNK` packed bytes show
    most such bombs, at the cost of at most `_CHUNK` x 1,032 (deflate's ratio) inflated bytes.
    """
    if info.compress_type != zipfile.ZIP_DEFLATED or info.compress_size == 0:
        return
    handle.seek(start)
    packed = handle.read(min(_CHUNK, info.compress_size))
    try:
        inflated = zlib.decompressobj(-zlib.MAX_WBITS).decompress(
            packed, min(info.file_size + 1, len(packed) * _DEFLATE_RATIO)
        )
    except zlib.error as error:
        raise UnsupportedFormatError(
            f"{path} is damaged: part {info.filename} cannot be unpacked ({error}). {_REPAIR}"
        ) from error
    if len(inflated) > info.file_size:
        raise UnsupportedFormatError(
            f"{path} is not a safe zip: part {info.filename} unpacks to more than the "
            f"{info.file_size:,} bytes its headers declare (a zip bomb hides this way). "
            f"{_REPAIR}"
        )


def part_head(package: zipfile.ZipFile, name: str, size: int) -> bytes:
    """The first `size` uncompressed bytes of a part (inflates no more than that)."""
    with package.open(name) as stream:
        return stream.read(size)


def read_part(package: zipfile.ZipFile, name: str, *, keep: bool = True) -> bytes:
    """A whole part, inflated a chunk at a time; raises BadZipFile if its data lies.

    `ZipFile.read` inflates up to 2 GiB in one call before it cuts the output at the declared
    size, so a part whose headers lie costs gigabytes; here each call inflates at most
    `_CHUNK` bytes, zipfile stops at the declared size and then checks the CRC.
    """
    pieces = []
    with package.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            if keep:
                pieces.append(chunk)
    return b"".join(pieces)


def _disagree(info: zipfile.ZipInfo, compressed: int, uncompressed: int) -> bool:
    if 0xFFFFFFFF in (compressed, uncompressed):
        return False  # ZIP64: the real sizes are in the extra field zipfile already checked
    return compressed != info.compress_size or uncompressed != info.file_size


def _check_name(path: Path, name: str, seen: set[str]) -> None:
    folded = name.casefold()
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
        raise UnsupportedFormatError(
            f"{path} holds a zip entry named {name!r}, which no workbook has (a path that "
            f"climbs out of its folder). It is not a workbook custkit will touch. {_REPAIR}"
        )
    if folded in seen:
        raise UnsupportedFormatError(
            f"{path} holds two zip entries named {name!r}; Excel would not open it either. "
            f"{_REPAIR}"
        )
    seen.add(folded)


def _check_entry(path: Path, info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    where = f"{path}: part {info.filename}"
    if info.flag_bits & _ENCRYPTED:
        raise UnsupportedFormatError(
            f"{where} is encrypted inside the zip, which Excel never writes. Open the file in "
            "Excel, save it as .xlsx, and run again."
        )
    if info.compress_type not in _EXCEL_COMPRESSIONS:
        raise UnsupportedFormatError(
            f"{where} uses zip compression method {info.compress_type}, which Excel never "
            f"writes. {_REPAIR}"
        )
    if info.compress_size > _largest_packed(info):
        raise UnsupportedFormatError(
            f"{where} is stored in {info.compress_size:,} bytes but claims to unpack to "
            f"{info.file_size:,}, which no zip writer does (a part whose sizes lie, as in zip "
            f"bombs). {_REPAIR}"
        )
    if info.file_size > limits.max_part_bytes:
        raise WorkbookTooLargeError(
            f"{where} would unpack to {info.file_size:,} bytes, more than custkit reads in one "
            f"part ({limits.max_part_bytes:,}). Split the sheet into smaller workbooks."
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        raise WorkbookTooLargeError(
            f"{where} would unpack {ratio:,.0f} times larger than it is stored "
            f"({info.compress_size:,} -> {info.file_size:,} bytes); real sheets stay under "
            f"{limits.max_ratio:,.0f} times. This looks like a zip bomb, so custkit does not "
            "open it. If it is a real workbook, open it in Excel and save it again."
        )


def _largest_packed(info: zipfile.ZipInfo) -> int:
    if info.compress_type == zipfile.ZIP_STORED:
        return info.file_size
    return info.file_size + info.file_size // _DEFLATE_OVERHEAD + 1024


def part_extension(name: str) -> str:
    """The lower-cased extension of a part name.

    >>> part_extension("xl/worksheets/_rels/sheet1.xml.rels")
    'rels'
    """
    return posixpath.splitext(name)[1].lstrip(".").lower()
