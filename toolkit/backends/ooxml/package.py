"""Zip-level reading and writing that keeps every untouched part exactly as it was.

An untouched entry is copied as its compressed stream (same bytes, same compression, same CRC,
same name and timestamp), so it is identical without being inflated and deflated again.
Python's zipfile has no public call for that; `_copy_raw` does what `ZipFile.open(..., "w")`
does for a new entry, with the header and data taken from the source. When that is not
possible (an entry flagged encrypted, a compression zipfile cannot write) the entry is
re-compressed instead: its uncompressed bytes stay identical either way.

Changed parts are streamed (`open_part`), never built whole in memory. ZIP64 headers are used
only when a part may pass 2 GiB: Excel has refused ZIP64 headers on small parts written by
other libraries, and Python's `force_zip64` writes them on every part it is given.
"""

from __future__ import annotations

import struct
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from toolkit.backends.ooxml.pipe import BackgroundWriter, ByteSink
from toolkit.errors import UnsafeWriteError

FAST_LEVEL = 1  # deflate level for big streamed parts: the write's floor is recompression
SMALL_LEVEL = 6
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_ZIP64_EXTRA = 0x0001
_DATA_DESCRIPTOR = 0x08
_ENCRYPTED = 0x01
_COPY_CHUNK = 1 << 20


class SourcePackage:
    """The workbook package being read."""

    def __init__(self, zf: zipfile.ZipFile, path: Path) -> None:
        self.zf = zf
        self.path = path
        self.infos = zf.infolist()
        self._by_name = {info.filename: info for info in self.infos}
        duplicates = len(self._by_name) != len(self.infos)
        if duplicates:
            raise UnsafeWriteError(
                f"{path} holds two zip entries with the same name; Excel would not open it "
                "either. Open it in Excel, save it, and run again."
            )

    def has(self, name: str) -> bool:
        return name in self._by_name

    def info(self, name: str) -> zipfile.ZipInfo:
        return self._by_name[name]

    def read(self, name: str) -> bytes:
        try:
            return self.zf.read(name)
        except (zipfile.BadZipFile, OSError) as error:
            raise UnsafeWriteError(
                f"Part {name} of {self.path} cannot be read ({error}). Open the file in Excel, "
                "save it, and run again."
            ) from error

    def read_optional(self, name: str) -> bytes | None:
        return self.read(name) if self.has(name) else None

    def chunks(self, name: str, size: int = _COPY_CHUNK) -> Iterator[bytes]:
        """The uncompressed bytes of a part, a chunk at a time."""
        with self.zf.open(name) as stream:
            while chunk := stream.read(size):
                yield chunk

    def names(self) -> list[str]:
        return [info.filename for info in self.infos]


class PackageWriter:
    """A zip being written: raw copies of untouched entries, new bytes, streamed parts."""

    def __init__(self, path: Path) -> None:
        self.zf = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.path = path

    def close(self) -> None:
        self.zf.close()

    def copy(self, source: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Copy one entry unchanged: its compressed stream when possible."""
        if info.flag_bits & _ENCRYPTED or info.compress_type not in _WRITABLE:
            self.write_bytes(info.filename, source.read(info), like=info)
            return
        _copy_raw(source, info, self.zf)

    def write_bytes(self, name: str, data: bytes, *, like: zipfile.ZipInfo | None = None) -> None:
        with self.open_part(name, like=like, size_hint=len(data), level=SMALL_LEVEL) as out:
            out.write(data)

    @contextmanager
    def open_part(
        self,
        name: str,
        *,
        like: zipfile.ZipInfo | None = None,
        size_hint: int = 0,
        level: int = FAST_LEVEL,
    ) -> Iterator[ByteSink]:
        """A writable stream for a new or changed part, deflated at `level` by a worker thread
        (the bytes are those the main thread would write: same blocks, same order)."""
        info = _new_info(name, like)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = level  # type: ignore[attr-defined]  # no public setter in 3.11
        # zipfile decides on ZIP64 headers from file_size (x1.05 > 2 GiB); sizes are rewritten
        # after the data, so the hint only chooses the header format.
        info.file_size = size_hint
        with self.zf.open(info, "w") as stream:
            sink = BackgroundWriter(stream)
            try:
                yield sink
            except BaseException:
                sink.close(abandon=True)
                raise
            sink.close()


_WRITABLE = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


def _new_info(name: str, like: zipfile.ZipInfo | None) -> zipfile.ZipInfo:
    if like is None:
        info = zipfile.ZipInfo(name, time.localtime()[:6])
        info.external_attr = 0o600 << 16
        return info
    info = zipfile.ZipInfo(name, like.date_time)
    info.external_attr = like.external_attr
    info.internal_attr = like.internal_attr
    info.create_system = like.create_system
    info.comment = like.comment
    return info


def _copy_raw(source: zipfile.ZipFile, info: zipfile.ZipInfo, target: zipfile.ZipFile) -> None:
    """Append `info`'s compressed stream to `target` as zipfile itself would write an entry."""
    fp = source.fp
    out = target.fp
    if fp is None or out is None or getattr(target, "_writing", False):
        raise UnsafeWriteError(f"Internal error: zip entry {info.filename} cannot be copied.")
    fp.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(fp.read(_LOCAL_HEADER.size))
    name_length, extra_length = header[-2], header[-1]
    fp.seek(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)

    copied = zipfile.ZipInfo(info.filename, info.date_time)
    for attribute in ("compress_type", "comment", "create_system", "create_version"):
        setattr(copied, attribute, getattr(info, attribute))
    for attribute in ("extract_version", "internal_attr", "external_attr"):
        setattr(copied, attribute, getattr(info, attribute))
    copied.flag_bits = info.flag_bits & ~_DATA_DESCRIPTOR
    copied.extra = _strip_zip64(info.extra)
    copied.CRC = info.CRC
    copied.compress_size = info.compress_size
    copied.file_size = info.file_size
    zip64 = max(info.file_size, info.compress_size) > zipfile.ZIP64_LIMIT

    start = getattr(target, "start_dir", None)
    if start is not None:
        out.seek(start)
    copied.header_offset = out.tell()
    target._writecheck(copied)  # type: ignore[attr-defined]
    target._didModify = True  # type: ignore[attr-defined]
    out.write(copied.FileHeader(zip64))
    remaining = info.compress_size
    while remaining > 0:
        block = fp.read(min(_COPY_CHUNK, remaining))
        if not block:
            raise UnsafeWriteError(f"Zip entry {info.filename} is truncated in the source file.")
        out.write(block)
        remaining -= len(block)
    target.start_dir = out.tell()
    target.filelist.append(copied)
    target.NameToInfo[copied.filename] = copied


def _strip_zip64(extra: bytes) -> bytes:
    """The extra field without its ZIP64 record (zipfile writes a fresh one when needed)."""
    kept = []
    position = 0
    while position + 4 <= len(extra):
        field_id, length = struct.unpack_from("<HH", extra, position)
        end = position + 4 + length
        if field_id != _ZIP64_EXTRA:
            kept.append(extra[position:end])
        position = end
    return b"".join(kept)


class Chunked:
    """Collects small pieces into large writes: a zip stream deflates and checksums per call."""

    def __init__(self, out: ByteSink, size: int = _COPY_CHUNK) -> None:
        self.out = out
        self.limit = size
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes | None) -> None:
        if not data:
            return
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.limit:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.out.write(b"".join(self.parts))
        self.parts, self.size = [], 0
