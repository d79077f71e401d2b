"""Compression off the main thread: a part's bytes are deflated while the next rows are made.

zlib releases the GIL while it deflates, inflates and checksums large blocks, so a worker
thread does that work while the main thread builds XML. The bytes do not change: the worker
calls the same zip stream's `write` with the same blocks in the same order as the main thread
would have, so the compressor sees exactly the same input, call for call.

`BackgroundWriter` takes blocks for a stream; `prefetched` reads a part's uncompressed chunks
ahead of the consumer. Both hold at most a few blocks (a few MB), and both hand an error of the
worker (a full disk, a corrupt entry) to the main thread as the very same exception object.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Generator, Iterator
from typing import Protocol

DEPTH = 4  # blocks in flight: enough to smooth the two sides, little memory (1 MB each)


class ByteSink(Protocol):
    """Where a part's bytes go: a zip entry stream, a file, a BytesIO."""

    def write(self, data: bytes, /) -> int: ...


_DONE = object()


class BackgroundWriter:
    """Writes blocks to `stream` from a worker thread, in order; `close` waits for the last.

    >>> import io
    >>> target = io.BytesIO()
    >>> sink = BackgroundWriter(target)
    >>> sink.write(b"<row/>")
    6
    >>> sink.close()
    >>> target.getvalue()
    b'<row/>'
    """

    def __init__(self, stream: ByteSink, depth: int = DEPTH) -> None:
        self._stream = stream
        self._blocks: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._drain, name="custkit-deflate", daemon=True)
        self._thread.start()

    def write(self, data: bytes) -> int:
        """Queue a block (waits while `depth` blocks are pending); raises the worker's error."""
        if self._error is not None:
            raise self._error
        self._blocks.put(bytes(data))
        return len(data)

    def close(self, *, abandon: bool = False) -> None:
        """Wait until every block is written (`abandon`: drop the pending ones); then raise
        the worker's error, if it had one."""
        self._abandoned = abandon
        self._blocks.put(_DONE)
        self._thread.join()
        if self._error is not None and not abandon:
            raise self._error

    def _drain(self) -> None:
        while (block := self._blocks.get()) is not _DONE:
            if self._error is None and not self._abandoned:
                try:
                    self._stream.write(block)  # type: ignore[arg-type]  # only bytes are queued
                except BaseException as error:  # handed to the main thread as it is
                    self._error = error


def prefetched(chunks: Iterator[bytes], depth: int = DEPTH) -> Generator[bytes, None, None]:
    """The same chunks, read (inflated) by a worker thread up to `depth` ahead.

    >>> list(prefetched(iter([b"<a>", b"</a>"])))
    [b'<a>', b'</a>']
    """
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def read_ahead() -> None:
        try:
            for chunk in chunks:
                if stop.is_set():
                    break
                ready.put(chunk)
        except BaseException as error:  # raised where the consumer asks for the next chunk
            ready.put(error)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # a generator's `with zf.open(...)` ends in the thread that ran it
        ready.put(_DONE)

    worker = threading.Thread(target=read_ahead, name="custkit-inflate", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]  # only bytes and exceptions are queued
    finally:
        stop.set()
        while worker.is_alive():  # unblock a worker waiting on a full queue, then let it end
            with contextlib.suppress(queue.Empty):
                ready.get(timeout=0.05)
        worker.join()
