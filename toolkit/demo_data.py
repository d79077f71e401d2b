"""Deterministic demo customer workbooks, Chinese and English, with planted and recorded mess.

`build_demo("zh")` returns the sheets of workbooks/demo_zh.xlsx as plain rows plus a manifest
of every planted problem, duplicate group and namesake pair; `save_demo` writes the .xlsx and
`write_demo_files` writes both workbooks and their `*.expected.json` manifests. A seeded
`random.Random` drives everything and the file is written with fixed timestamps, so two runs
give byte-identical files (scripts/make_demo.py; the tests check the shipped ones).

The customer sheet has a merged title row and a blank row above its header (row 3); every
cell that is not in the manifest holds a clean, canonical value (see toolkit.demo_mess), so a
validator's false findings can be counted.
"""

from __future__ import annotations

import io
import json
import random
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from toolkit import demo_activity as activity
from toolkit import demo_pools as pools
from toolkit.demo_mess import AS_OF, MessMaker, Planting, plant_quota
from toolkit.demo_people import Person, make_people
from toolkit.table import CellValue, Lang, column_letter

__all__ = [
    "AS_OF",
    "DemoManifest",
    "DemoSheet",
    "DemoWorkbook",
    "PlantedProblem",
    "build_demo",
    "save_demo",
    "write_demo_files",
]

SEEDS: dict[Lang, int] = {"zh": 20250630, "en": 20250701}
PERSONS = 290  # distinct people per workbook; second entries come on top
COMPLAINT_ROWS = 60
HEADER_ROW = 3  # title on row 1, a blank row, then the header
FIXED_TIME = datetime(2025, 6, 30, 9, 0, 0)  # stamped into the file instead of "now"
CUSTOMER_FIELDS = tuple(field for field, _ in pools.CUSTOMER_HEADERS["zh"])


@dataclass(frozen=True)
class DemoSheet:
    """One sheet to write: an optional merged title, the header row, the data rows under it."""

    name: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[CellValue, ...], ...]
    title: str | None = None


@dataclass(frozen=True)
class PlantedProblem:
    """A planted mess: where it is, what it is, what the cell holds and should hold."""

    sheet: str
    row: int
    column: int
    field: str
    problem: str
    value: CellValue
    clean: CellValue


@dataclass(frozen=True)
class DemoManifest:
    """What was planted in a demo workbook's customer sheet (rows are sheet rows)."""

    as_of: date
    sheet: str
    header_row: int
    last_row: int
    problems: tuple[PlantedProblem, ...]
    duplicate_groups: tuple[tuple[int, ...], ...]  # rows of one person, entered twice or more
    namesakes: tuple[tuple[int, int], ...]  # same common name and city, different people
    formula_text: tuple[tuple[int, int, str], ...]  # (row, column, text): must stay text

    def to_json(self) -> str:
        """The manifest as JSON, one problem or group per line so that diffs stay readable."""
        data: dict[str, object] = {
            "as_of": self.as_of.isoformat(),
            "sheet": self.sheet,
            "header_row": self.header_row,
            "last_row": self.last_row,
            "problems": [
                {
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "field": p.field,
                    "problem": p.problem,
                    "value": _json_value(p.value),
                    "clean": _json_value(p.clean),
                }
                for p in self.problems
            ],
            "duplicate_groups": [list(group) for group in self.duplicate_groups],
            "namesakes": [list(pair) for pair in self.namesakes],
            "formula_text": [
                {"row": row, "column": column, "value": text}
                for row, column, text in self.formula_text
            ],
        }
        parts = []
        for key, value in data.items():
            if isinstance(value, list) and value:
                items = ",\n".join("    " + _dumps(item) for item in value)
                parts.append(f"  {_dumps(key)}: [\n{items}\n  ]")
            else:
                parts.append(f"  {_dumps(key)}: {_dumps(value)}")
        return "{\n" + ",\n".join(parts) + "\n}\n"


@dataclass(frozen=True)
class DemoWorkbook:
    """A demo workbook's sheets (customers, orders, complaints) and its manifest."""

    lang: Lang
    sheets: tuple[DemoSheet, ...]
    manifest: DemoManifest


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_value(value: CellValue) -> CellValue:
    return value.isoformat() if isinstance(value, date) else value


def build_demo(lang: Lang) -> DemoWorkbook:
    """The demo workbook of a language, the same on every run.

    >>> demo = build_demo("zh")
    >>> [s.name for s in demo.sheets], demo.manifest.header_row, demo.sheets[0].headers[1]
    (['客户', '订单', '投诉'], 3, '姓名')
    """
    rng = random.Random(SEEDS[lang])
    maker = MessMaker(lang, rng)
    people = _in_signup_order(rng, make_people(rng, lang, maker, persons=PERSONS))
    id_prefix = "KH" if lang == "zh" else "C"
    owners = pools.ZH_OWNERS if lang == "zh" else pools.EN_OWNERS
    rows: list[dict[str, CellValue]] = []
    bought: list[tuple[str, list[activity.Purchase]]] = []
    for number, (person, signup) in enumerate(people, start=1):
        customer_id = f"{id_prefix}{number:05d}"
        purchases = activity.purchases(rng, lang, signup)
        bought.append((customer_id, purchases))
        rows.append(_customer_row(rng, person, customer_id, signup, purchases, owners))
    orders = activity.number_orders(lang, bought)
    owner_of = {str(row["customer_id"]): str(row["owner"]) for row in rows}
    complaints = activity.complaints(rng, lang, orders, owner_of, count=COMPLAINT_ROWS)
    formula_text = _plant_formula_notes(rng, lang, rows)
    problems = _plant_problems(lang, maker, [p for p, _ in people], rows)
    names = pools.SHEET_NAMES[lang]
    customers = DemoSheet(
        names[0], HEADER_ROW, tuple(h for _, h in pools.CUSTOMER_HEADERS[lang]),
        tuple(tuple(row[f] for f in CUSTOMER_FIELDS) for row in rows), pools.TITLES[lang],
    )  # fmt: skip
    manifest = DemoManifest(
        AS_OF, names[0], HEADER_ROW, HEADER_ROW + len(rows),
        tuple(sorted(problems, key=lambda p: (p.row, p.column, p.problem))),
        *_dedupe_truth([p for p, _ in people]), tuple(formula_text),
    )  # fmt: skip
    return DemoWorkbook(lang, (customers, _orders_sheet(lang, orders),
                               _complaints_sheet(lang, complaints)), manifest)  # fmt: skip


def _in_signup_order(rng: random.Random, people: list[Person]) -> list[tuple[Person, date]]:
    """People with their signup dates, oldest first: customer ids follow signup order."""
    first_signup: dict[int, date] = {}
    dated = []
    for person in people:  # second entries come after every first entry, so sign up later
        if person.second_entry:
            signup = activity.signup_day(rng, after=first_signup[person.key])
        else:
            signup = first_signup[person.key] = activity.signup_day(rng)
        dated.append((person, signup))
    return sorted(dated, key=lambda item: (item[1], item[0].key, item[0].second_entry))


def _customer_row(
    rng: random.Random,
    person: Person,
    customer_id: str,
    signup: date,
    purchases: Sequence[activity.Purchase],
    owners: tuple[str, ...],
) -> dict[str, CellValue]:
    return {
        "customer_id": customer_id, "name": person.name, "gender": person.gender,
        "birthday": person.birthday, "phone": person.phone, "email": person.email,
        "company": person.company, "title": person.title, "industry": person.industry,
        "city": person.city, "address": person.address, "owner": rng.choice(owners),
        "signup_date": signup,
        "last_purchase_date": purchases[-1].day if purchases else None,
        "purchase_count": len(purchases),
        "total_amount": round(sum(p.amount for p in purchases), 2),
        "last_contact_date": activity.last_contact(rng, signup, purchases),
        "interests": person.interests, "notes": person.notes,
    }  # fmt: skip


def _plant_formula_notes(
    rng: random.Random, lang: Lang, rows: list[dict[str, CellValue]]
) -> list[tuple[int, int, str]]:
    """Notes that look like formulas (=SUM(A1), +86 ...): customer text that must stay text."""
    texts = pools.ZH_FORMULA_NOTES if lang == "zh" else pools.EN_FORMULA_NOTES
    column = CUSTOMER_FIELDS.index("notes") + 1
    planted = []
    for position, text in zip(rng.sample(range(len(rows)), len(texts)), texts, strict=True):
        rows[position]["notes"] = text
        planted.append((HEADER_ROW + 1 + position, column, text))
    return sorted(planted)


def _plant_problems(
    lang: Lang, maker: MessMaker, people: list[Person], rows: list[dict[str, CellValue]]
) -> list[PlantedProblem]:
    """Second entries' format mess first, then the quota; `rows` get the planted values."""
    keys = [p.key for p in people]
    shared = {k for k in keys if keys.count(k) > 1}  # membership only
    reserved = {i for i, p in enumerate(people) if p.namesake or p.key in shared}
    plantings: list[tuple[int, Planting]] = [
        (position, planting) for position, p in enumerate(people) for planting in p.planted
    ]
    plantings += plant_quota(rows, lang=lang, maker=maker, reserved=reserved)
    problems = []
    sheet = pools.SHEET_NAMES[lang][0]
    for position, planting in plantings:
        row, field = rows[position], planting.field
        problems.append(
            PlantedProblem(
                sheet, HEADER_ROW + 1 + position, CUSTOMER_FIELDS.index(field) + 1, field,
                planting.problem, planting.value, row[field],
            )
        )  # fmt: skip
        row[field] = planting.value
    return problems


def _dedupe_truth(
    people: list[Person],
) -> tuple[tuple[tuple[int, ...], ...], tuple[tuple[int, int], ...]]:
    """Duplicate groups (rows of one person) and namesake pairs, as sorted sheet rows."""
    rows_of: dict[int, list[int]] = {}
    for position, person in enumerate(people):
        rows_of.setdefault(person.key, []).append(HEADER_ROW + 1 + position)
    groups = sorted(tuple(rows) for rows in rows_of.values() if len(rows) > 1)
    namesake_rows: dict[tuple[str, str], list[int]] = {}
    for position, person in enumerate(people):
        if person.namesake:
            namesake_rows.setdefault((person.name, person.city), []).append(
                HEADER_ROW + 1 + position
            )
    pairs = sorted((rows[0], rows[1]) for rows in namesake_rows.values())
    return tuple(groups), tuple(pairs)


def _orders_sheet(lang: Lang, orders: Sequence[activity.Order]) -> DemoSheet:
    rows = tuple(
        (o.order_id, o.customer_id, o.day, o.product, o.quantity, o.amount) for o in orders
    )
    return DemoSheet(pools.SHEET_NAMES[lang][1], 1, pools.ORDER_HEADERS[lang], rows)


def _complaints_sheet(lang: Lang, complaints: Sequence[activity.Complaint]) -> DemoSheet:
    rows = tuple(
        (c.complaint_id, c.customer_id, c.day, c.category, c.description, c.status, c.resolved,
         c.channel, c.owner)
        for c in complaints
    )  # fmt: skip
    return DemoSheet(pools.SHEET_NAMES[lang][2], 1, pools.COMPLAINT_HEADERS[lang], rows)


# ---------------------------------------------------------------- writing


def save_demo(demo: DemoWorkbook, path: Path) -> None:
    """Write a demo workbook to `path` as .xlsx, byte for byte the same on every run."""
    book = Workbook()
    book.remove(book.active)
    for sheet in demo.sheets:
        _write_sheet(book.create_sheet(sheet.name), sheet)
    book.properties.creator = "custkit scripts/make_demo.py"
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    # openpyxl stamps "now" into docProps/core.xml while saving: put the fixed time back.
    book.properties.modified = FIXED_TIME
    core = tostring(book.properties.to_tree())
    path.write_bytes(_with_fixed_times(buffer.getvalue(), {"docProps/core.xml": core}))


def _write_sheet(ws: Worksheet, sheet: DemoSheet) -> None:
    if sheet.title:
        ws.cell(1, 1, sheet.title).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.headers))
    fill = PatternFill("solid", fgColor="DDEBF7")
    for column, header in enumerate(sheet.headers, start=1):
        cell = ws.cell(sheet.header_row, column, header)
        cell.font, cell.fill = Font(bold=True), fill
    for row_number, values in enumerate(sheet.rows, start=sheet.header_row + 1):
        for column, value in enumerate(values, start=1):
            if value is not None:
                _write_cell(ws.cell(row_number, column), value)
    ws.freeze_panes = ws.cell(sheet.header_row + 1, 1)
    for column, header in enumerate(sheet.headers, start=1):
        width = max(_display_width(v) for v in (header, *(row[column - 1] for row in sheet.rows)))
        ws.column_dimensions[column_letter(column)].width = min(max(width + 2, 8), 44)


def _write_cell(cell: Cell, value: CellValue) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # customer text is data: openpyxl would store it as a formula
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, float):
        cell.number_format = "#,##0.00"
    elif isinstance(value, int) and value > 10**9:  # a phone typed as a number: no 1.38E+10
        cell.number_format = "0"


def _display_width(value: CellValue) -> int:
    if isinstance(value, date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


_ZIP_TIME = (2025, 6, 30, 9, 0, 0)


def _with_fixed_times(package: bytes, replacements: dict[str, bytes]) -> bytes:
    """The package re-zipped with fixed entry times (zipfile stamps the local time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0  # the same on every platform
            entry.external_attr = 0
            data = replacements.get(info.filename, source.read(info))
            target.writestr(entry, data, compresslevel=6)
    return out.getvalue()


def write_demo_files(directory: Path) -> tuple[Path, ...]:
    """Write demo_zh.xlsx, demo_en.xlsx and their .expected.json manifests to `directory`.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     [p.name for p in write_demo_files(Path(tmp))][:2]
    ['demo_zh.xlsx', 'demo_zh.expected.json']
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in ("zh", "en"):
        demo = build_demo(lang)
        workbook = directory / f"demo_{lang}.xlsx"
        manifest = directory / f"demo_{lang}.expected.json"
        save_demo(demo, workbook)
        manifest.write_bytes(demo.manifest.to_json().encode("utf-8"))
        written += [workbook, manifest]
    return tuple(written)
