"""Fuzz targets over the workbook readers and header detection, shared by the tests (seconds)
and bench/fuzz_readers.py (minutes).

Each target takes what hypothesis draws and must either succeed or raise a ToolkitError:
any other exception is a bug (a reader error that escaped as a traceback). Packages are
mutated from small valid workbooks: bytes flipped in the zip, bytes flipped in one part,
a part truncated, sheet XML rebuilt from random fragments.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
import traceback
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import strategies as st

from tests.backends.hostile_corpus import ROWS, entry, raw_zip, sheet_xml, workbook
from toolkit.backends.xlsx import check_workbook_file, read_values
from toolkit.detect import understand
from toolkit.errors import ToolkitError
from toolkit.models.settings import Settings
from toolkit.table import CellValue, RawSheet, RawWorkbook


def _openpyxl_seed() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客户"
    for row in (["2025 客户名单"], [], ["姓名", "手机", "注册日期", "累计消费"]):
        sheet.append(row)
    sheet.append(["张三", "13800138000", date(2024, 3, 5), 1200.5])
    sheet.append(["=SUM(1,2)", None, "2024/3/5", "¥1,234"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SEEDS: tuple[bytes, ...] = (workbook(), _openpyxl_seed())


def parts_of(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        return {info.filename: source.read(info) for info in source.infolist()}


def repack(parts: dict[str, bytes]) -> bytes:
    return raw_zip([entry(name, data) for name, data in parts.items()])


@st.composite
def flipped_package(draw: st.DrawFn) -> bytes:
    """A seed with a few bytes of the zip file itself changed."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def mutated_part(draw: st.DrawFn) -> bytes:
    """A seed with one part's uncompressed bytes flipped, cut short or spliced, then rezipped."""
    parts = parts_of(draw(st.sampled_from(SEEDS)))
    name = draw(st.sampled_from(sorted(parts)))
    data = bytearray(parts[name])
    how = draw(st.sampled_from(["flip", "truncate", "splice"]))
    at = draw(st.integers(0, max(len(data) - 1, 0)))
    if how == "flip" and data:
        data[at] = draw(st.integers(0, 255))
    elif how == "truncate":
        del data[at:]
    else:
        data[at:at] = draw(st.binary(max_size=40)) or b"<"
    parts[name] = bytes(data)
    return repack(parts)


_FRAGMENTS = [
    '<row r="{n}">', "</row>", '<c r="{col}{n}">', '<c r="{col}{n}" t="s">', '<c t="inlineStr">',
    "<is><t>x</t></is>", "<v>{n}</v>", "<v>-1</v>", "<v>1e308</v>", "<v>abc</v>", "</c>", "<c/>",
    '<c r="XFD1048576"><v>1</v></c>', '<row r="0">', '<row r="99999999">', "<f>SUM(A1)</f>",
    '<c r="A{n}" t="d"><v>2024-13-45</v></c>', '<c t="b"><v>2</v></c>', '<c t="e"><v>#N/A</v></c>',
    "&amp;", "&lt;", "&#0;", "&#x1F600;", "<![CDATA[a]]>", "<!-- c -->", "张三", "\x00",
]  # fmt: skip


@st.composite
def random_sheet(draw: st.DrawFn) -> bytes:
    """The minimal workbook whose sheet data is a random run of row and cell fragments."""
    pieces = draw(st.lists(st.sampled_from(_FRAGMENTS), max_size=30))
    n = draw(st.integers(1, 2_000_000))
    col = draw(st.sampled_from(["A", "B", "Z", "AA", "XFD", "XFE", ""]))
    rows = ROWS + "".join(p.format(n=n, col=col) for p in pieces)
    parts = parts_of(workbook())
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(rows).encode("utf-8", "surrogatepass")
    return repack(parts)


def _readers() -> dict[str, Callable[[Path], RawWorkbook]]:
    """openpyxl's reader, and the calamine one where toolkit.backends.xlsx_fast exists."""
    readers: dict[str, Callable[[Path], RawWorkbook]] = {"openpyxl": read_values}
    try:
        from toolkit.backends.xlsx_fast import read_values_fast
    except ImportError:
        return readers
    readers["calamine"] = read_values_fast
    return readers


READERS = _readers()
HANG_SECONDS = 60


def read_in_fork(reader: Callable[[Path], RawWorkbook], path: Path) -> None:
    """Run a reader with native code (calamine) in a forked child, so that an abort or a
    runaway allocation fails this example instead of killing the test run."""
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.close(reading)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 2)  # a Rust abort prints its backtrace on stderr
        signal.alarm(HANG_SECONDS)  # a hang ends the child (SIGALRM), not the test run
        status = 0
        try:
            reader(path)
        except ToolkitError:
            pass
        except BaseException:
            os.write(writing, traceback.format_exc().encode()[-4000:])
            status = 1
        os._exit(status)
    os.close(writing)
    with os.fdopen(reading, "rb") as pipe:
        report = pipe.read().decode(errors="replace")
    _, wait_status = os.waitpid(child, 0)
    if os.WIFSIGNALED(wait_status):
        number = os.WTERMSIG(wait_status)
        what = f"no answer in {HANG_SECONDS} s" if number == signal.SIGALRM else f"signal {number}"
        raise AssertionError(f"the reader's process died ({what}) on {path.name}")
    if os.WEXITSTATUS(wait_status) != 0:
        raise AssertionError(f"the reader raised a non-ToolkitError:\n{report}")


def read_package(package: bytes) -> None:
    """Target: the package gate, then every reader, on these bytes; the file stays as it was."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        path.write_bytes(package)
        try:
            check_workbook_file(path)
        except ToolkitError:
            return
        for name, reader in READERS.items():
            if name == "openpyxl":
                with contextlib.suppress(ToolkitError):
                    reader(path)
            else:
                read_in_fork(reader, path)
        if path.read_bytes() != package:
            raise AssertionError("a reader changed the file")


_HEADER_WORDS = [
    "姓名", "客户名称", "Name", "Customer Name", "手机", "电话", "Mobile", "Phone", "邮箱", "Email",
    "E-mail", "公司", "Company", "注册日期", "Signup", "累计消费", "Total", "订单号", "Order ID",
    "投诉编号", "Complaint", "状态", "Status", "", " ", "备注", "??", "=1+1", "姓 名", "ＮＡＭＥ",
]  # fmt: skip
_CELL = st.one_of(
    st.none(),
    st.sampled_from(_HEADER_WORDS),
    st.text(max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1)),
    st.datetimes(min_value=datetime(1900, 1, 1)),
)


@st.composite
def raw_workbooks(draw: st.DrawFn) -> RawWorkbook:
    """One to three sheets of random rows, header words likely, ragged and sparse."""
    sheets = []
    for index in range(draw(st.integers(1, 3))):
        rows: list[tuple[CellValue, ...]] = [
            tuple(draw(st.lists(_CELL, max_size=8))) for _ in range(draw(st.integers(0, 12)))
        ]
        title = draw(st.sampled_from(["客户", "Customers", "订单", "Orders", "投诉", f"S{index}"]))
        sheets.append(RawSheet(f"{title}{index}", rows))
    return RawWorkbook("fuzz.xlsx", tuple(sheets))


def detect_headers(raw: RawWorkbook) -> None:
    """Target: header detection finds tables or refuses with a ToolkitError."""
    with contextlib.suppress(ToolkitError):
        understand(raw, Settings())


__all__ = [
    "READERS",
    "SEEDS",
    "detect_headers",
    "flipped_package",
    "mutated_part",
    "random_sheet",
    "raw_workbooks",
    "read_package",
]
