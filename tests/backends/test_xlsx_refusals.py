"""Files the xlsx backend must refuse, each with what to do, leaving the file untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from toolkit.backends.xlsx import XlsxBackend
from toolkit.errors import UnsupportedFormatError, WorkbookError, WorkbookLockedError


def customer_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机"])
    sheet.append(["张三", "13800138000"])
    book.save(path)
    return path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    "name, make, message",
    [
        ("old.xls", lambda p: write(p, OLE + b"Workbook"), r"97-2003.*save it as \.xlsx"),
        (
            "locked.xlsx",
            lambda p: write(p, OLE + "EncryptedPackage".encode("utf-16-le")),
            "password-protected",
        ),
        ("renamed.xlsx", lambda p: write(p, "姓名,手机\n张三,138\n".encode()), r"text \(CSV\?\)"),
        ("binary.xlsx", lambda p: write(p, b"\x00\x01\x02garbage"), "not an Excel workbook"),
        ("truncated.xlsx", lambda p: write(p, customer_workbook(p).read_bytes()[:300]), "damaged"),
        (
            "book.xlsb",
            lambda p: _zip(p, {"[Content_Types].xml": "", "xl/workbook.bin": ""}),
            r"binary workbook \(\.xlsb\)",
        ),
        ("book.csv", lambda p: customer_workbook(p), "'.csv' files are not supported"),
        ("plain.xlsx", lambda p: _zip(p, {"hello.txt": "hi"}), "not an Excel workbook"),
    ],
)
def test_unreadable_files_are_refused_untouched(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    before = path.read_bytes()
    with pytest.raises(UnsupportedFormatError, match=message):
        XlsxBackend(path).read()
    assert path.read_bytes() == before
    assert not (tmp_path / ".custkit").exists()


@pytest.mark.parametrize("lock_name", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_workbook_open_elsewhere_is_refused(tmp_path: Path, lock_name: str) -> None:
    path = customer_workbook(tmp_path / "book.xlsx")
    (tmp_path / lock_name).write_bytes(b"owner")
    with pytest.raises(WorkbookLockedError, match="Close it there"):
        XlsxBackend(path).read()


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(WorkbookError, match="file not found"):
        XlsxBackend(tmp_path / "nope.xlsx").read()


def test_values_are_read_with_real_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "gaps.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "title"
    sheet["A4"] = "姓名"
    sheet["B4"] = "手机"
    sheet["A6"] = "张三"
    book.save(path)
    raw = XlsxBackend(path).read()
    rows = raw.sheets[0].rows
    assert rows[3][:2] == ("姓名", "手机") and rows[5][0] == "张三" and not any(rows[4])


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return path
