"""A worksheet part as a stream of byte pieces: prefix, rows, suffix. No DOM of the sheet.

`split_sheet` reads the part's uncompressed bytes a chunk at a time and yields:

    ("prefix", b'<?xml ...><worksheet ...>...<sheetData>')
    ("row",    b'<row r="2" ...>...</row>')       one per row, verbatim
    ("other",  b'\\n  ')                             anything between rows (whitespace, comments)
    ("suffix", b'</sheetData>...</worksheet>')

so that untouched rows are copied as they were and memory holds one chunk and one row. An
empty `<sheetData/>` comes out as an open and a close tag, ready to receive rows. Element
prefixes (`<x:row>`, from files written by other tools) are kept as found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from toolkit.errors import UnsafeWriteError

_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?sheetData(?=[\s/>])[^>]*>")
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?worksheet(?=[\s/>])[^>]*>")
_NAMESPACE = re.compile(rb"""\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_COMPACT_AT = 1 << 20


@dataclass(frozen=True)
class SheetLayout:
    """What the row pieces need from the prefix: the element prefix and namespace scope."""

    prefix: bytes  # b"" or b"x:" for <x:row>
    namespaces: tuple[tuple[str | None, str], ...]  # in scope at <sheetData>

    @property
    def row_open(self) -> bytes:
        return b"<" + self.prefix + b"row"

    @property
    def row_close(self) -> bytes:
        return b"</" + self.prefix + b"row>"

    @property
    def data_close(self) -> bytes:
        return b"</" + self.prefix + b"sheetData>"


class _Buffer:
    """Bytes of a part read on demand; offsets stay valid until `compact`."""

    def __init__(self, chunks: Iterator[bytes], part: str) -> None:
        self.chunks = chunks
        self.part = part
        self.data = b""
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = next(self.chunks, None)
        if chunk is None:
            self.eof = True
            return False
        self.data += chunk
        return True

    def find(self, needle: bytes, start: int) -> int:
        while True:
            found = self.data.find(needle, start)
            if found >= 0:
                return found
            start = max(start, len(self.data) - len(needle) + 1)
            if not self.more():
                return -1

    def search(self, pattern: re.Pattern[bytes], start: int) -> re.Match[bytes]:
        while True:
            match = pattern.search(self.data, start)
            if match is not None and match.end() < len(self.data):
                return match
            if not self.more():
                if match is not None:
                    return match
                raise UnsafeWriteError(
                    f"Part {self.part} is not a worksheet we can read (no <sheetData>). Open "
                    "the file in Excel, save it, and run again."
                )

    def at_least(self, end: int) -> None:
        while len(self.data) < end and self.more():
            pass

    def compact(self, position: int) -> int:
        """Drop consumed bytes; returns the new position (0)."""
        self.data = self.data[position:]
        return 0


def split_sheet(chunks: Iterator[bytes], part: str) -> Iterator[tuple[str, bytes]]:
    """Pieces of a worksheet part, in order; see the module docstring."""
    buffer = _Buffer(chunks, part)
    layout = read_layout_from(buffer)
    match = buffer.search(_SHEET_DATA, 0)
    tag = match.group(0)
    if tag.endswith(b"/>"):
        while buffer.more():
            pass
        yield "prefix", buffer.data[: match.start()] + tag[:-2].rstrip() + b">"
        yield "suffix", layout.data_close + buffer.data[match.end() :]
        return
    yield "prefix", buffer.data[: match.end()]
    yield from _rows(buffer, match.end(), layout)


def read_layout(prefix: bytes) -> SheetLayout:
    """The layout of a sheet from its prefix piece."""
    buffer = _Buffer(iter((prefix,)), "prefix")
    return read_layout_from(buffer)


def read_layout_from(buffer: _Buffer) -> SheetLayout:
    root = buffer.search(_ROOT, 0)
    data = buffer.search(_SHEET_DATA, root.end())
    element_prefix = data.group(1)
    namespaces: dict[str | None, str] = {}
    for tag in (root.group(0), data.group(0)):
        for found in _NAMESPACE.finditer(tag):
            name = found.group(1).decode() if found.group(1) else None
            namespaces[name] = (found.group(2) or found.group(3) or b"").decode()
    return SheetLayout(element_prefix + b":" if element_prefix else b"", tuple(namespaces.items()))


def _rows(buffer: _Buffer, position: int, layout: SheetLayout) -> Iterator[tuple[str, bytes]]:
    row_open, row_close, data_close = layout.row_open, layout.row_close, layout.data_close
    while True:
        if position > _COMPACT_AT:
            position = buffer.compact(position)
        start = buffer.find(b"<", position)
        if start < 0:
            raise UnsafeWriteError(f"Part {buffer.part} ends inside <sheetData>.")
        if start > position:
            yield "other", buffer.data[position:start]
        buffer.at_least(start + len(data_close) + 1)
        data = buffer.data
        if data.startswith(data_close, start):
            rest = data[start:]
            while buffer.more():
                pass
            yield "suffix", rest + buffer.data[len(data) :]
            return
        after = data[start + len(row_open) : start + len(row_open) + 1]
        if data.startswith(row_open, start) and after and after in b" \t\r\n/>":
            end = _row_end(buffer, start, row_close)
            yield "row", buffer.data[start:end]
        else:
            end = _markup_end(buffer, start)
            yield "other", buffer.data[start:end]
        position = end


def _row_end(buffer: _Buffer, start: int, row_close: bytes) -> int:
    tag_end = buffer.find(b">", start)
    if tag_end < 0:
        raise UnsafeWriteError(f"Part {buffer.part} ends inside a <row> tag.")
    if buffer.data[tag_end - 1 : tag_end] == b"/":
        return tag_end + 1
    close = buffer.find(row_close, tag_end)
    if close < 0:
        raise UnsafeWriteError(f"Part {buffer.part} has a <row> that is never closed.")
    return close + len(row_close)


def _markup_end(buffer: _Buffer, start: int) -> int:
    """End of a comment or processing instruction between rows; anything else is refused."""
    for opening, closing in ((b"<!--", b"-->"), (b"<?", b"?>")):
        if buffer.data.startswith(opening, start):
            end = buffer.find(closing, start)
            if end >= 0:
                return end + len(closing)
    snippet = buffer.data[start : start + 40].decode("utf-8", "replace")
    raise UnsafeWriteError(
        f"Part {buffer.part} has unexpected content inside <sheetData> ({snippet!r}). Open the "
        "file in Excel, save it, and run again."
    )
