"""Compression in worker threads: the same bytes as writing in the main thread, errors raised
in the main thread as they were."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.backends.ooxml.package import FAST_LEVEL, Chunked, PackageWriter
from toolkit.backends.ooxml.pipe import BackgroundWriter, prefetched

# Blocks like a sheet's: many small ones, one large, repeated text that deflates well.
BLOCKS = {
    "none": [],
    "one": [b"<row/>"],
    "small": [b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(3000)],
    "large": [os.urandom(3 << 20), b"x" * (5 << 20), b"tail"],
}


def compressed_entry(path: Path, name: str) -> tuple[int, int, bytes]:
    """(CRC, size, the compressed bytes) of an entry, read from its local header on."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
        assert zf.fp is not None
        zf.fp.seek(info.header_offset + 26)
        name_length, extra_length = (int.from_bytes(zf.fp.read(2), "little") for _ in range(2))
        zf.fp.seek(info.header_offset + 30 + name_length + extra_length)
        return info.CRC, info.file_size, zf.fp.read(info.compress_size)


@pytest.mark.parametrize("blocks", sorted(BLOCKS))
def test_a_part_deflated_in_a_thread_is_the_part_zipfile_writes(
    tmp_path: Path, blocks: str
) -> None:
    ours, plain = tmp_path / "ours.zip", tmp_path / "plain.zip"
    writer = PackageWriter(ours)
    with writer.open_part("xl/worksheets/sheet1.xml") as out:
        chunked = Chunked(out)
        for block in BLOCKS[blocks]:
            chunked.write(block)
        chunked.flush()
    writer.close()
    with (
        zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED, compresslevel=FAST_LEVEL) as zf,
        zf.open("xl/worksheets/sheet1.xml", "w") as stream,
    ):
        chunked = Chunked(stream)
        for block in BLOCKS[blocks]:
            chunked.write(block)
        chunked.flush()
    assert compressed_entry(ours, "xl/worksheets/sheet1.xml") == compressed_entry(
        plain, "xl/worksheets/sheet1.xml"
    )


class FullDisk(io.RawIOBase):
    """A stream that takes `room` bytes, then fails as a full disk does."""

    def __init__(self, room: int) -> None:
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return len(data)


@pytest.mark.parametrize("room", [0, 10, 1000])
def test_the_workers_error_reaches_the_main_thread_unchanged(room: int) -> None:
    sink = BackgroundWriter(FullDisk(room))
    with pytest.raises(OSError) as raised:  # by a write or by close
        for _ in range(50):
            sink.write(b"x" * 100)
        sink.close()
    assert raised.value.errno == errno.ENOSPC


def test_an_abandoned_writer_keeps_quiet_about_its_own_error() -> None:
    sink = BackgroundWriter(FullDisk(0))
    sink.write(b"lost")
    sink.close(abandon=True)  # no error: the caller is already handling one


def chunks_then(error: BaseException | None, count: int) -> Iterator[bytes]:
    for number in range(count):
        yield b"%d," % number
    if error is not None:
        raise error


@pytest.mark.parametrize("count", [0, 1, 3, 50])
def test_prefetched_chunks_come_in_order(count: int) -> None:
    assert list(prefetched(chunks_then(None, count), depth=2)) == list(chunks_then(None, count))


@pytest.mark.parametrize("count", [0, 5])
def test_a_read_error_comes_after_the_chunks_before_it(count: int) -> None:
    error = zipfile.BadZipFile("Bad CRC-32")
    found = []
    with pytest.raises(zipfile.BadZipFile) as raised:
        for chunk in prefetched(chunks_then(error, count), depth=2):
            found.append(chunk)
    assert raised.value is error
    assert found == list(chunks_then(None, count))


def test_a_consumer_that_stops_early_ends_the_reader() -> None:
    closed = []

    def endless() -> Iterator[bytes]:
        try:
            while True:
                yield b"row"
        finally:
            closed.append(True)

    stream = prefetched(endless(), depth=2)
    assert next(stream) == b"row"
    stream.close()  # what a `for` loop left by an exception does
    assert closed == [True]
