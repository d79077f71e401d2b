"""The fast reader (python-calamine) gives the cells openpyxl's read_values gives, everywhere."""

from __future__ import annotations

import gc
import shutil
import sys
import threading
import warnings
import zipfile
from datetime import date
from html import escape
from pathlib import Path

import pytest

from toolkit.backends.xlsx import XlsxBackend, read_values
from toolkit.backends.xlsx_fast import (
    chosen_reader,
    converted,
    read_values_fast,
    same_cells,
    sheet_extent,
)
from toolkit.errors import ConfigError, WorkbookTooLargeError
from toolkit.i18n import label
from toolkit.runner import RunOptions, run
from toolkit.table import Lang, RawSheet, RawWorkbook

REPO = Path(__file__).resolve().parents[2]
EXCEL_MADE = REPO.parent / "shared" / "data" / "excel-made"
AS_OF = date(2025, 6, 30)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def package(
    path: Path,
    sheets: dict[str, str],
    *,
    strings: tuple[str, ...] = (),
    formats: dict[int, str] | None = None,
    styles: tuple[int, ...] = (0,),
    date1904: bool = False,
    hidden: tuple[str, ...] = (),
) -> Path:
    """An .xlsx written by hand: sheet XML as given (rows of <sheetData>), shared strings raw."""
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{kind}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
        f"{sheet_types}</Types>",
        "_rels/.rels": f'<Relationships xmlns="{RELS[:-36]}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "")
        + "<sheets>"
        + "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"'
            + (' state="hidden"' if name in hidden else "")
            + "/>"
            for i, name in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS[:-36]}package/2006/'
        'relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rS" Type="{RELS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rT" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/styles.xml": f'<styleSheet xmlns="{MAIN}">'
        + (
            f'<numFmts count="{len(formats)}">'
            + "".join(
                f'<numFmt numFmtId="{i}" formatCode="{escape(code)}"/>'
                for i, code in formats.items()
            )
            + "</numFmts>"
            if formats
            else ""
        )
        + '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType='
        '"none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1">'
        f'<xf/></cellStyleXfs><cellXfs count="{len(styles)}">'
        + "".join(f'<xf numFmtId="{n}" applyNumberFormat="1"/>' for n in styles)
        + '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'
        + "".join(f"<si>{s}</si>" for s in strings)
        + "</sst>",
    }
    for i, rows in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
        )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return path


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def numbers(*texts: str, style: int = 0) -> str:
    """Row 1 of number cells from column A, written as the texts say."""
    return row(
        1, *(f'<c r="{chr(65 + i)}1" s="{style}"><v>{t}</v></c>' for i, t in enumerate(texts))
    )


DATE_FORMATS = {164: "yyyy-mm-dd", 165: "[h]:mm:ss", 166: "0.00;[Red]yyyy", 167: '"Q"0'}
# numFmtId 14 (built-in date), 27-36 and 50-58 (East Asian built-in dates), 22 (date time), 45-47
STYLES = (0, 164, 165, 166, 167, 14, 22, 27, 31, 36, 45, 46, 47, 50, 57, 58, 49)

CASES: dict[str, dict[str, object]] = {
    "whole numbers are int, written decimals stay float": {
        "sheets": {"S": numbers("5", "5.0", "1E+3", "2.5", "-0", "-7", "13800138000",
                                "12345678901234567890", "1.0000000000000001", "1.5E+3", "3.10")},
    },
    "shared strings: escapes, spaces, empty, rich text, phonetic runs, references": {
        "strings": ("<t>a_x000D_b</t>", "<t>x_x005F_x000D_y</t>", '<t xml:space="preserve"> a </t>',
                    "<t> a </t>", "<t>  </t>", "<t/>", "<r><t>ri</t></r><r><t> ch</t></r>",
                    '<t>base</t><rPh sb="0" eb="1"><t>PH</t></rPh>', "<t>a&#13;b</t>",
                    "<t>&#32;</t>", "<t>l1\nl2</t>", "<t>=SUM(A1)</t>", "<t>客户</t>"),
        "sheets": {"S": row(2, *(f'<c r="{chr(66 + i)}2" t="s"><v>{i}</v></c>'
                                 for i in range(13)))},
    },
    "inline strings, formula strings, booleans, errors, ISO dates": {
        "sheets": {"S": row(1,
            '<c r="A1" t="inlineStr"><is><t>in_x000D_l</t></is></c>',
            '<c r="B1" t="inlineStr"><is><t></t></is></c>',
            '<c r="C1" t="inlineStr"><is><t> sp </t></is></c>',
            '<c r="D1" t="inlineStr"><is><r><t>r1</t></r><r><t>r2</t></r></is></c>',
            '<c r="E1" t="str"><f>A1</f><v></v></c>', '<c r="F1" t="str"><f>A1</f><v> s </v></c>',
            '<c r="G1" t="str"><f>A1</f><v>12</v></c>', '<c r="H1" t="b"><v>1</v></c>',
            '<c r="I1" t="b"><v>0</v></c>', '<c r="J1" t="e"><v>#N/A</v></c>',
            '<c r="K1" t="e"><v>#DIV/0!</v></c>', '<c r="L1" t="d"><v>2024-03-05T10:00:00</v></c>',
            '<c r="M1" t="d"><v>2024-03-05</v></c>', '<c r="N1"><f>1+1</f><v>2</v></c>',
            '<c r="O1"><f>1+1</f></c>')},
    },
    "dates, times and durations by number format": {
        "sheets": {"S": "".join(
            row(n, *(f'<c r="{chr(65 + i)}{n}" s="{i}"><v>{v}</v></c>' for i in range(len(STYLES))))
            for n, v in enumerate(("45356", "45356.5", "0.25", "-5", "30", "60", "61",
                                   "45356.123456789", "2958466", "1.5", "0"), start=1)
        )},
    },
    "the same in the 1904 date system": {"date1904": True},
    "cells away from A1, missing rows, styled empty cells, empty rows at the end": {
        "sheets": {"S": row(3, '<c r="C3"><v>1</v></c>', '<c r="E3" s="1"/>')
                        + row(5, '<c r="B5" t="s"><v>0</v></c>') + '<row r="6"/>'
                        + row(7, '<c r="A7" s="1"/>'),
                   "Hidden": row(2, '<c r="B2"><v>7</v></c>'), "Empty": ""},
        "strings": ("<t>x</t>",), "hidden": ("Hidden",),
    },
    "cells without coordinates (read by openpyxl instead)": {
        "sheets": {"S": '<row r="1"><c><v>1</v></c><c t="s"><v>0</v></c></row><row><c><v>2</v></c>'
                        "</row>", "T": numbers("1", "2.0")},
        "strings": ("<t> a </t>",),
    },
}  # fmt: skip
CASES["the same in the 1904 date system"]["sheets"] = CASES[
    "dates, times and durations by number format"
]["sheets"]


@pytest.mark.parametrize("case", list(CASES))
def test_hand_made_edge_cases_read_the_same(tmp_path: Path, case: str) -> None:
    spec = CASES[case]
    path = package(
        tmp_path / "edge.xlsx",
        spec["sheets"],  # type: ignore[arg-type]
        strings=spec.get("strings", ()),  # type: ignore[arg-type]
        formats=DATE_FORMATS,
        styles=STYLES,
        date1904=bool(spec.get("date1904")),
        hidden=spec.get("hidden", ()),  # type: ignore[arg-type]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of dates out of range, as it should
        slow = read_values(path)
        fast = read_values_fast(path)
    assert same_cells(fast, slow) == []
    assert [(s.name, s.hidden) for s in fast.sheets] == [(s.name, s.hidden) for s in slow.sheets]


def test_the_edge_cases_are_the_ones_calamine_reads_otherwise(tmp_path: Path) -> None:
    """The patterns are needed: calamine's own grid differs from openpyxl on these cells."""
    import python_calamine

    path = package(tmp_path / "n.xlsx", {"S": numbers("5.0", "12345678901234567890")})
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    assert grid.to_python() == [[5.0, 1.2345678901234567e19]]
    assert read_values_fast(path).sheets[0].rows == [(5.0, 12345678901234567890)]


WORKBOOKS = sorted((REPO / "workbooks").glob("*.xlsx"))
EXCEL_FILES = sorted(EXCEL_MADE.glob("*.xls[xm]")) if EXCEL_MADE.is_dir() else []


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_demo_workbooks_read_the_same(path: Path) -> None:
    fast, slow = read_values_fast(path), read_values(path)
    assert same_cells(fast, slow) == []
    assert sum(len(s.rows) for s in fast.sheets) > 300


@pytest.mark.parametrize("name", [p.name for p in EXCEL_FILES])
def test_excel_made_files_read_the_same(shared_data: Path, name: str) -> None:
    path = shared_data / "excel-made" / name
    assert same_cells(read_values_fast(path), read_values(path)) == []


def test_a_far_away_cell_is_refused_before_calamine_fills_the_sheet_in(tmp_path: Path) -> None:
    path = package(
        tmp_path / "far.xlsx",
        {"S": row(1, '<c r="A1"><v>1</v></c>') + row(1048576, '<c r="XFD1048576"><v>2</v></c>')},
    )
    with pytest.raises(WorkbookTooLargeError, match="XFD"):
        read_values_fast(path)


def test_a_later_sheet_past_the_budget_is_refused_while_calamine_reads_an_earlier_one(
    tmp_path: Path,
) -> None:
    """calamine parses the first sheet in a thread while the second one is checked: the
    refusal comes all the same, and leaves no thread behind nor the collector off."""
    path = package(
        tmp_path / "two.xlsx",
        {
            "Fine": "".join(row(n, f'<c r="A{n}"><v>{n}</v></c>') for n in range(1, 2000)),
            "Far": row(1, '<c r="A1"><v>1</v></c>') + row(1048576, '<c r="XFD1048576"/>'),
        },
    )
    with pytest.raises(WorkbookTooLargeError, match="'Far'"):
        read_values_fast(path)
    assert not [t for t in threading.enumerate() if t.name.startswith("calamine")]
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("xml", "enough", "extent"),
    [
        (b'<sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData>', 10**9, (3, 26)),
        (b'<sheetData><row r="3"><c r="B3"><v>1</v></c></row></sheetData>', 10, (3, 2)),
        (b'<sheetData><row r="9"><c r="AB9"/><c r="C9"/></row></sheetData>', 10**9, (9, 28)),
        (b'<sheetData><row r="2"><c r="ZZZ2"/></row></sheetData>', 10**9, (2, 18278)),
        (b"<sheetData/>", 10**9, (0, 26)),
    ],
)
def test_sheet_extent(xml: bytes, enough: int, extent: tuple[int, int]) -> None:
    assert sheet_extent(xml, enough=enough) == extent


@pytest.mark.parametrize(
    ("setting", "size", "reader"),
    [
        (None, 10, "openpyxl"),
        (None, 2 << 20, "calamine"),
        ("openpyxl", 2 << 20, "openpyxl"),
        ("calamine", 10, "calamine"),
        ("AUTO", 10, "openpyxl"),
    ],
)
def test_chosen_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str | None, size: int, reader: str
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"x" * size)
    if setting is None:
        monkeypatch.delenv("CUSTKIT_READER", raising=False)
    else:
        monkeypatch.setenv("CUSTKIT_READER", setting)
    assert chosen_reader(path) == reader


def test_an_unknown_reader_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTKIT_READER", "xlrd")
    with pytest.raises(ConfigError, match="CUSTKIT_READER"):
        chosen_reader(Path("book.xlsx"))


def _generated(tmp_path: Path, lang: Lang, rows: int) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from perf_data import write_workbook
    finally:
        sys.path.remove(str(REPO / "bench"))
    path = tmp_path / f"perf-{lang}.xlsx"
    write_workbook(path, lang, rows)
    return path


def _without_started(book: RawWorkbook, log: str) -> RawWorkbook:
    """The workbook with the run log's first column (when each run started) left out."""
    sheets = tuple(
        RawSheet(s.name, [row[1:] for row in s.rows], hidden=s.hidden) if s.name == log else s
        for s in book.sheets
    )
    return RawWorkbook(book.source, sheets)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_whole_run_is_the_same_through_either_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: Lang
) -> None:
    source = _generated(tmp_path, lang, 2_000)
    plans = {}
    for reader in ("openpyxl", "calamine"):
        monkeypatch.setenv("CUSTKIT_READER", reader)
        copy = tmp_path / reader / source.name
        copy.parent.mkdir()
        shutil.copy(source, copy)
        plans[reader] = run(XlsxBackend(copy), RunOptions(as_of=AS_OF)).plan
    assert plans["openpyxl"] == plans["calamine"]
    assert plans["calamine"].counts["validate.findings"] > 0
    assert plans["calamine"].counts["dedupe.groups"] > 0
    log = label("run_log", lang)
    after = [
        _without_started(read_values(tmp_path / reader / source.name), log)
        for reader in ("openpyxl", "calamine")
    ]
    assert same_cells(after[1], after[0]) == []


def _copy(text: str) -> str:
    return "".join(list(text))  # an equal string that is another object, as calamine gives


# (calamine's column below a header, openpyxl's values, how many objects hold them)
SHARING = [
    ([_copy("王芳") for _ in range(8)] + ["李", ""], ["王芳"] * 8 + ["李", None], 2),
    ([1599.0, 1599.0, 20.5, 20.5, ""] * 2, [1599, 1599, 20.5, 20.5, None] * 2, 2),
    ([f"KH{i:07d}" for i in range(10)], [f"KH{i:07d}" for i in range(10)], 10),
    # True == 1599 never, but True == 1: a column with booleans is left as it is
    ([True, 1599.0, 1599.0, True, 20.0] * 2, [True, 1599, 1599, True, 20] * 2, 6),
    ([date(2024, 1, 2), "", 123456.0, 123456.0], None, 2),
]


@pytest.mark.parametrize(("column", "expected", "objects"), SHARING)
def test_equal_values_of_a_column_are_one_object_and_the_same_cells(
    column: list[object], expected: list[object] | None, objects: int
) -> None:
    rows = converted([["header"], *([value] for value in column)])
    values = [row[0] for row in rows[1:]]
    if expected is not None:
        assert values == expected
        assert [type(v) for v in values] == [type(v) for v in expected]  # True stays True
    assert len({id(v) for v in values if v is not None}) == objects
