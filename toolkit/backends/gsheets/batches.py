"""Blocks of values, and requests cut into batches that stay under the API's size limit.

Google refuses request bodies of about 2 MB and more; a run writing a large sheet sends its
values in as few batches as fit, each block of values cut by rows when one alone is too big.
The number of requests grows with the bytes written, never with a request per row or cell.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.backends.gsheets.snapshot import a1

MAX_REQUEST_BYTES = 1_900_000  # Google's limit is about 2 MB; keep a margin for the envelope


@dataclass(frozen=True)
class ValueBlock:
    """Values for a rectangle of one sheet, row 0 first (0-based origin).

    >>> ValueBlock("客户", 1, 3, [["x"], [""]]).body()["range"]
    "'客户'!D2:D3"
    """

    title: str
    row0: int
    col0: int
    rows: list[list[Any]]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=1) or 1

    def body(self) -> dict[str, Any]:
        """The ValueRange the API takes."""
        end_row, end_col = self.row0 + len(self.rows), self.col0 + self.width
        return {
            "range": a1(self.title, self.row0, end_row, self.col0, end_col),
            "values": self.rows,
        }


def _size(item: Any) -> int:
    """Bytes of `item` as requests sends it: default separators, non-ASCII escaped."""
    return len(json.dumps(item).encode("ascii"))


def _pieces(block: ValueBlock, limit: int) -> Iterator[ValueBlock]:
    """The block itself, or row slices of it that each fit `limit` bytes."""
    if _size(block.body()) <= limit:
        yield block
        return
    start, size = 0, 0
    for index, row in enumerate(block.rows):
        row_size = _size(row) + 1
        if index > start and size + row_size > limit - 200:
            yield ValueBlock(block.title, block.row0 + start, block.col0, block.rows[start:index])
            start, size = index, 0
        size += row_size
    yield ValueBlock(block.title, block.row0 + start, block.col0, block.rows[start:])


def value_batches(
    blocks: Sequence[ValueBlock], limit: int = MAX_REQUEST_BYTES
) -> Iterator[list[dict[str, Any]]]:
    """ValueRange lists for successive values.batchUpdate calls, each under `limit` bytes.

    >>> block = ValueBlock("C", 0, 0, [["x" * 100]] * 30)
    >>> [len(batch[0]["values"]) for batch in value_batches([block], limit=1_000)]
    [7, 7, 7, 7, 2]
    """
    yield from _batches(
        (piece.body() for block in blocks for piece in _pieces(block, limit)), limit
    )


def request_batches(
    requests: Sequence[dict[str, Any]], limit: int = MAX_REQUEST_BYTES
) -> Iterator[list[dict[str, Any]]]:
    """Structural requests, in order, in as few batchUpdate bodies as fit `limit` bytes.

    >>> [len(b) for b in request_batches([{"deleteSheet": {"sheetId": 1}}] * 5, limit=300)]
    [3, 2]
    """
    yield from _batches(iter(requests), limit)


def _batches(items: Iterator[dict[str, Any]], limit: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 200  # the envelope: {"valueInputOption": "RAW", "data": [...]}
    for item in items:
        item_size = _size(item) + 1
        if batch and size + item_size > limit:
            yield batch
            batch, size = [], 200
        batch.append(item)
        size += item_size
    if batch:
        yield batch
