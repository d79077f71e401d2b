"""`custkit erase` and `custkit export` end to end, on the demo workbooks after real runs.

Each demo is run, merged and run again (so there are backups, journal records and a Merged
sheet); then one customer with orders, complaints and a merged duplicate is erased. The test
finds that person's rows and values on its own (by the demo's id columns), then searches every
part of the workbook, of every backup and every journal line for them.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import write_workbook
from toolkit.backends.xlsx import read_values
from toolkit.cli import app, demo_workbook
from toolkit.journal import file_digest
from toolkit.table import CellValue, RawWorkbook

runner = CliRunner()
AS_OF = "2025-06-30"
MERGED = {"demo_zh.xlsx": "已合并", "demo_en.xlsx": "Merged"}
RUN_LOG = {"运行记录", "Run Log"}
KEPT_ORDER_COLUMNS = {3, 4, 5, 6}  # order date, product, quantity, amount


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module", params=["demo_zh.xlsx", "demo_en.xlsx"])
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo after run, dedupe --merge and a second run: 3 backups, 3 journal records."""
    name: str = request.param
    book = tmp_path_factory.mktemp(name.split(".")[0]) / name
    shutil.copyfile(demo_workbook(name), book)
    for args in (["run"], ["dedupe", "--merge"], ["run"]):
        code, output = invoke(*args, str(book), "--as-of", AS_OF)
        assert code == 0, output
    return book


@pytest.fixture
def book(prepared: Path, tmp_path: Path) -> Path:
    shutil.copytree(prepared.parent, tmp_path / "work")
    return tmp_path / "work" / prepared.name


@dataclass(frozen=True)
class Person:
    """One demo customer, found by the demo's own columns, not by the code under test."""

    customer_id: str
    ids: frozenset[str]  # theirs and those merged into them
    rows: dict[str, set[int]]  # sheet -> rows that are theirs
    needles: frozenset[str]


def person_in(raw: RawWorkbook, merged_sheet: str) -> Person:
    customers, orders, complaints = raw.sheets[0], raw.sheets[1], raw.sheets[2]
    merged = raw.sheet(merged_sheet)
    assert merged is not None
    survivors = {r[1] for r in merged.rows[1:]}
    linked = {r[1] for r in complaints.rows[1:]} & {r[1] for r in orders.rows[1:]}
    customer_id = str(sorted(survivors & linked)[0])
    merged_rows = {n for n, r in enumerate(merged.rows, 1) if n > 1 and r[1] == customer_id}
    ids = frozenset({customer_id} | {str(merged.rows[n - 1][5]) for n in merged_rows})
    rows = {
        customers.name: {n for n, r in enumerate(customers.rows, 1) if r and r[0] in ids},
        orders.name: {n for n, r in enumerate(orders.rows, 1) if len(r) > 1 and r[1] in ids},
        complaints.name: {
            n for n, r in enumerate(complaints.rows, 1) if len(r) > 1 and r[1] in ids
        },
        merged.name: merged_rows,
    }
    values = [
        customers.rows[n - 1][:6] + customers.rows[n - 1][10:11] for n in rows[customers.name]
    ]
    values += [merged.rows[n - 1][5:11] for n in merged_rows]
    values += [orders.rows[n - 1][:1] for n in rows[orders.name]]
    values += [complaints.rows[n - 1][:1] for n in rows[complaints.name]]
    forms = {form for row in values for v in row[:] for form in _forms(v)}
    return Person(customer_id, ids, rows, frozenset(forms - _elsewhere(raw, rows)))


def _forms(value: CellValue) -> Iterator[str]:
    """A value as written, and its normalized forms: phone digits, lowercased e-mail."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    text = text.strip()
    if len(text) >= 3:
        yield text
    digits = re.sub(r"\D", "", text.translate({0xFF10 + i: 48 + i for i in range(10)}))
    if len(digits) >= 7:
        yield digits[-11:]
    if "@" in text:
        yield text.casefold()


def _elsewhere(raw: RawWorkbook, rows: dict[str, set[int]]) -> set[str]:
    """Every form found in rows of the four data sheets that are not the person's."""
    found: set[str] = set()
    for sheet in raw.sheets[:3] + tuple(s for s in raw.sheets if s.name in MERGED.values()):
        for number, values in enumerate(sheet.rows, 1):
            if number not in rows.get(sheet.name, set()):
                found |= {form for v in values for form in _forms(v)}
    return found


def searchable_files(book: Path) -> list[Path]:
    folder = book.parent
    return [p for p in folder.rglob("*") if p.is_file()]


def where_found(book: Path, needles: frozenset[str]) -> list[str]:
    """Every file (zip part, journal line) under the workbook's folder holding a needle."""
    hits = []
    for path in searchable_files(book):
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as package:
                parts = [(f"{path.name}!{i.filename}", package.read(i)) for i in package.infolist()]
        else:
            parts = [
                (f"{path.name}:{n}", line) for n, line in enumerate(path.read_bytes().splitlines())
            ]
        for label, data in parts:
            text = html.unescape(data.decode("utf-8", errors="ignore")).casefold()
            hits += [f"{label}: {n}" for n in needles if n.casefold() in text]
    return hits


def changed_cells(before: RawWorkbook, after: RawWorkbook) -> set[tuple[str, int, int]]:
    changed = set()
    for sheet in before.sheets:
        other = after.sheet(sheet.name)
        assert other is not None, sheet.name
        rows = max(len(sheet.rows), len(other.rows))
        for number in range(1, rows + 1):
            width = max(len(sheet.rows[number - 1]) if number <= len(sheet.rows) else 0, 20)
            for column in range(1, width + 1):
                if sheet.cell(number, column) != other.cell(number, column):
                    changed.add((sheet.name, number, column))
    return changed


def test_erase_removes_every_value_everywhere_and_nothing_else(book: Path) -> None:
    before = read_values(book)
    person = person_in(before, MERGED[book.name])
    assert all(person.rows.values()), person  # orders, complaints and a merged duplicate
    hits = where_found(book, person.needles)  # the search finds them before the erasure
    backup_hits = {h.split("!")[0] for h in hits if re.match(r".+\.\d{8}T\d{6}-\w{6}\.", h)}
    assert len(backup_hits) == 3  # in every backup too

    code, output = invoke("erase", str(book), "--customer", person.customer_id, "--yes")

    assert code == 0, output
    assert where_found(book, person.needles) == []
    after = read_values(book)
    changed = changed_cells(before, after)
    theirs = {(s, r) for s, rows in person.rows.items() for r in rows}
    own = {s.name for s in before.sheets[3:]}
    outside = {c for c in changed if c[:2] not in theirs and c[0] not in own}
    assert outside == set()  # other customers' cells are untouched, cell by cell
    for sheet, row in {c[:2] for c in changed if c[0] in own and c[0] not in RUN_LOG}:
        values = before.sheet(sheet).rows[row - 1]  # type: ignore[union-attr]
        text = " ".join(str(v) for v in values)
        points_at = len(values) > 1 and (values[0], values[1]) in theirs
        assert points_at or any(n in text for n in person.needles | person.ids), (sheet, row)
    orders = before.sheets[1].name
    assert not [c for c in changed if c[0] == orders and c[2] in KEPT_ORDER_COLUMNS]
    for sheet, rows in person.rows.items():
        for row in rows:
            values = after.sheet(sheet).rows[row - 1]  # type: ignore[union-attr]
            kept = KEPT_ORDER_COLUMNS if sheet == orders else set()
            assert all(v is None for c, v in enumerate(values, 1) if c not in kept), (sheet, row)
    log = next(s for s in after.sheets if s.name in RUN_LOG)
    assert log.rows[-1][3] == "erase"
    assert person.customer_id not in " ".join(str(v) for v in log.rows[-1])


def test_undo_after_erase_restores_only_erased_states(book: Path) -> None:
    original = read_values(demo_workbook(book.name))
    person = person_in(read_values(book), MERGED[book.name])
    invoke("erase", str(book), "--customer", person.customer_id, "--yes")
    for _ in range(4):  # the erase, the second run, the merge, the first run
        code, output = invoke("undo", str(book))
        assert code == 0, output
        assert where_found(book, person.needles) == []
    code, output = invoke("undo", str(book))
    assert code == 1 and "Nothing to undo" in output
    # back to the demo as shipped, with the person (and their merged duplicate) blank
    changed = changed_cells(original, read_values(book))
    sheets = [s.name for s in original.sheets]
    ids = {str(r[0]) for r in original.sheets[0].rows if r and r[0] in person.ids}
    assert len(ids) == len(person.ids) >= 2
    theirs = {
        (s.name, n)
        for s, column in zip(original.sheets, (0, 1, 1), strict=True)
        for n, r in enumerate(s.rows, 1)
        if len(r) > column and r[column] in person.ids
    }
    assert {c[:2] for c in changed} == theirs
    assert not [c for c in changed if c[0] == sheets[1] and c[2] in KEPT_ORDER_COLUMNS]


def test_export_gives_exactly_their_rows_and_changes_nothing(book: Path, tmp_path: Path) -> None:
    raw = read_values(book)
    person = person_in(raw, MERGED[book.name])
    digest = file_digest(book)
    code, output = invoke("export", str(book), "--customer", person.customer_id, "--json")
    assert code == 0, output
    exported = json.loads(output)
    rows = {s["sheet"]: {r["row"] for r in s["rows"]} for s in exported["sheets"]}
    for sheet, expected in person.rows.items():
        assert rows[sheet] == expected, sheet
    assert exported["customer"] == person.customer_id
    out = tmp_path / "export.xlsx"
    code, output = invoke("export", str(book), "--customer", person.customer_id, "--out", str(out))
    assert code == 0, output
    written = read_values(out)
    assert [s.name for s in written.sheets] == [s["sheet"] for s in exported["sheets"]]
    first = written.sheets[0]
    assert len(first.rows) == 2 and person.customer_id in first.rows[1]
    assert file_digest(book) == digest


CUSTOMERS = [
    ["Customer ID", "Name", "Phone", "Email", "Notes"],
    ["C1", "Li Wei", "13800138000", "li@example.com", "=HYPERLINK(1)"],
    ["C2", "Wang Fang", "13900139000", "wang@example.com", "likes tea"],
    ["C3", "Zhang San", "13700001111", "zs@example.com", None],
    ["C4", "Zhang Si", "13700001111", "zs4@example.com", None],
]
ORDERS = [
    ["Order ID", "Customer ID", "Amount"],
    ["SO-1", "C1", 10],
    ["SO-2", "C2", 20],
]


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A workbook whose text sits in xl/sharedStrings.xml, as Excel saves it."""
    book = write_workbook(tmp_path / "crm.xlsx", {"Customers": CUSTOMERS, "Orders": ORDERS})
    return with_shared_strings(book)


_INLINE = re.compile(r'<c r="(\w+)"( s="\d+")? t="inlineStr"><is><t[^>]*>([^<]*)</t></is></c>')
_SST = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_shared_strings(book: Path) -> Path:
    """Move a workbook's inline strings (openpyxl writes those) into a shared-strings part."""
    strings: list[str] = []

    def shared(match: re.Match[str]) -> str:
        if match.group(3) not in strings:
            strings.append(match.group(3))
        index = strings.index(match.group(3))
        return f'<c r="{match.group(1)}"{match.group(2) or ""} t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(book) as package:
        parts = {i.filename: package.read(i) for i in package.infolist()}
    for name in [n for n in parts if n.startswith("xl/worksheets/")]:
        parts[name] = _INLINE.sub(shared, parts[name].decode()).encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    link = f'<Relationship Id="rIdSst" Type="{_SST}" Target="sharedStrings.xml"/>'
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", link + "</Relationships>"
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return book


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--customer", "C1"], "--yes"),  # nobody to answer the question
        (["--customer", "C1", "--dry-run"], "Li Wei"),  # shows counts, writes nothing
        (["--customer", "13700001111", "--yes"], "137****1111"),  # two customers: masked
        (["--customer", "nobody@example.com", "--yes"], "No customer"),
    ],
)
def test_erase_refuses_or_previews_without_writing(
    small: Path, args: list[str], message: str
) -> None:
    digest = file_digest(small)
    code, output = invoke("erase", str(small), *args)
    if "--dry-run" in args:
        assert code == 0 and "Customers: 1 rows" in output and message not in output
    else:
        assert code == 1 and message in output
        assert "13700001111" not in output
    assert file_digest(small) == digest
    assert not (small.parent / ".custkit").exists()


def test_erase_empties_shared_strings_nobody_uses_any_more(small: Path) -> None:
    with zipfile.ZipFile(small) as package:
        assert b"Li Wei" in package.read("xl/sharedStrings.xml")
    code, output = invoke("erase", str(small), "--customer", "li@example.com", "--yes")
    assert code == 0, output
    with zipfile.ZipFile(small) as package:
        strings = package.read("xl/sharedStrings.xml").decode()
    for value in ("Li Wei", "li@example.com", "=HYPERLINK(1)", "SO-1", "13800138000"):
        assert value not in strings
    assert "Wang Fang" in strings and "likes tea" in strings
    raw = read_values(small)
    assert raw.sheets[0].rows[2][:4] == ("C2", "Wang Fang", "13900139000", "wang@example.com")
    assert all(v is None for v in raw.sheets[0].rows[1])
    assert raw.sheets[1].rows[1] == (None, None, 10)  # the amount stays, anonymous


def test_erase_reports_copies_it_cannot_scrub(tmp_path: Path) -> None:
    """A cell comment is not a cell: custkit leaves it and says where the values still are."""
    import openpyxl
    from openpyxl.comments import Comment

    book = write_workbook(tmp_path / "crm.xlsx", {"Customers": CUSTOMERS, "Orders": ORDERS})
    workbook = openpyxl.load_workbook(book)
    workbook["Orders"]["C3"].comment = Comment("Li Wei paid late, call 13800138000", "staff")
    workbook.save(book)
    code, output = invoke("erase", str(book), "--customer", "C1", "--yes")
    assert code == 1
    assert "still found in" in output and "comments" in output
    assert all(v is None for v in read_values(book).sheets[0].rows[1])


def test_a_backup_that_cannot_be_scrubbed_is_reported_and_the_rest_are_scrubbed(
    small: Path,
) -> None:
    code, output = invoke("run", str(small), "--steps", "validate", "--as-of", AS_OF)
    assert code == 0, output
    backups = small.parent / ".custkit" / "backups"
    damaged = backups / "crm.20250101T000000-abcdef.xlsx"
    damaged.write_bytes(b"not a zip, but it says Li Wei")
    code, output = invoke("erase", str(small), "--customer", "C1", "--yes")
    assert code == 1
    assert damaged.name in output and "still found in" in output
    others = [p for p in backups.iterdir() if p != damaged]
    assert len(others) == 2  # the validate run's backup and the erase's own
    assert where_found(small, frozenset({"Li Wei", "li@example.com"})) == [
        f"{damaged.name}:0: Li Wei"
    ]


def test_json_outputs_say_counts_and_export_to_a_json_file(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "c2.json"
    code, output = invoke("export", str(small), "--customer", "wang@example.com", "--out", str(out))
    assert code == 0, output
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["customer"] == "C2"
    assert [(s["sheet"], [r["row"] for r in s["rows"]]) for s in exported["sheets"]] == [
        ("Customers", [3]),
        ("Orders", [3]),
    ]
    assert exported["sheets"][0]["rows"][0]["values"]["Notes"] == "likes tea"
    code, output = invoke("erase", str(small), "--customer", "C2", "--yes", "--json")
    assert code == 0, output
    summary = json.loads(output)
    assert summary["sheets"] == [
        {"sheet": "Customers", "rows": 1, "cells": 5},
        {"sheet": "Orders", "rows": 1, "cells": 2},
    ]
    assert summary["leftovers"] == [] and summary["customer"] == "***"
    assert "wang" not in output.casefold()


def test_preview_lists_other_customers_sharing_a_phone(small: Path) -> None:
    code, output = invoke("erase", str(small), "--customer", "C3", "--dry-run")
    assert code == 0, output
    assert "Not erased: rows 5 of 'Customers'" in output
    assert "13700001111" not in output and "Zhang" not in output
