"""Understanding a workbook: which sheet holds which table, where its header is, what means what.

Staff workbooks have title rows above the header, merged title cells, blank and duplicate
headers, and several sheets. For every sheet we try each of the first rows as a header and each
table kind; a row scores by how many canonical fields its cells name. Each kind then takes the
sheet where it scores best (a sheet serves one kind). Explicit settings (`[sheets]`,
`[columns]`) win over detection; when they name something that is not there, every such problem
is reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from toolkit.errors import ConfigError, ConfigProblem, HeaderNotFoundError
from toolkit.fields import SECOND_FIELD, header_key, match_header
from toolkit.i18n import detect_lang, is_own_sheet, own_column_key
from toolkit.models.settings import Settings
from toolkit.settings_io import settings_sheet
from toolkit.table import (
    CellValue,
    Column,
    Lang,
    RawSheet,
    RawWorkbook,
    Table,
    TableKind,
    Workbook,
    is_blank,
)

HEADER_SEARCH_ROWS = 30
KINDS: tuple[TableKind, ...] = ("customers", "transactions", "complaints")

# A table of a kind must name at least one of these fields, so that a sheet of orders with a
# "Name" column is not taken for a customer list.
_DEFINING = {
    "customers": {"name", "phone", "email", "company", "customer_id", "last_name"},
    "transactions": {"order_id", "amount", "order_date"},
    "complaints": {"complaint_id", "description", "category"},
}
# Fields that only this kind has count double when telling kinds apart.
_DISTINCTIVE = {
    "customers": {"phone", "email", "gender", "birthday", "company", "total_amount"},
    "transactions": {"order_id", "order_date", "product", "quantity"},
    "complaints": {"complaint_id", "description", "category", "resolved_date", "channel"},
}


@dataclass(frozen=True)
class _Candidate:
    sheet: RawSheet
    kind: TableKind
    header_row: int
    fields: dict[int, str]  # column index -> field
    score: int


def understand(raw: RawWorkbook, settings: Settings, *, lang: Lang | None = None) -> Workbook:
    """Find the customer table (required) and the transaction and complaint tables (optional).

    >>> from toolkit.table import RawSheet, RawWorkbook
    >>> raw = RawWorkbook("demo", (RawSheet("客户", [["2025 客户名单"], [], ["姓名", "手机"],
    ...                                             ["张三", "13800138000"]]),))
    >>> book = understand(raw, Settings())
    >>> book.customers.header_row, book.customers.column("phone").letter, book.lang
    (3, 'B', 'zh')
    """
    problems: list[ConfigProblem] = []
    explicit = _explicit_columns(settings)
    candidates = [c for c in _candidates(raw, explicit) if c is not None]
    chosen = _choose(raw, candidates, settings, explicit, problems)
    if problems:
        raise ConfigError(problems)
    if "customers" not in chosen:
        raise HeaderNotFoundError(_no_header_message(raw))
    tables = {kind: _build_table(c, explicit[kind], problems) for kind, c in chosen.items()}
    if problems:
        raise ConfigError(problems)
    headers = [c.header for c in tables["customers"].columns if c.header]
    run_lang: Lang = lang or settings.lang or detect_lang(headers)
    tables = {kind: _with_lang(t, run_lang) for kind, t in tables.items()}
    return Workbook(raw, tables, run_lang)


def data_sheets(raw: RawWorkbook) -> list[RawSheet]:
    """The sheets that may hold user tables: not ours, not settings, not hidden state."""
    skip = settings_sheet(raw)
    return [
        s
        for s in raw.sheets
        if s is not skip and not is_own_sheet(s.name) and not s.name.startswith("_custkit")
    ]


def _explicit_columns(settings: Settings) -> dict[TableKind, dict[str, str]]:
    """Explicit mappings as {kind: {header_key: field}}."""
    sources: dict[TableKind, Mapping[str, str]] = {
        "customers": settings.columns,
        "transactions": settings.transaction_columns,
        "complaints": settings.complaint_columns,
    }
    return {kind: {header_key(h): f for f, h in m.items()} for kind, m in sources.items()}


def _candidates(
    raw: RawWorkbook, explicit: dict[TableKind, dict[str, str]]
) -> list[_Candidate | None]:
    return [
        _best_header(sheet, kind, explicit[kind]) for sheet in data_sheets(raw) for kind in KINDS
    ]


def _best_header(sheet: RawSheet, kind: TableKind, explicit: dict[str, str]) -> _Candidate | None:
    best: _Candidate | None = None
    for number, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        fields = _map_row(row, kind, explicit)
        named = set(fields.values())
        if len(named) < 2 or not named & _DEFINING[kind]:
            continue
        score = len(named) + len(named & _DISTINCTIVE[kind])
        if best is None or score > best.score:
            best = _Candidate(sheet, kind, number, fields, score)
    return best


def _map_row(row: Sequence[CellValue], kind: TableKind, explicit: dict[str, str]) -> dict[int, str]:
    fields: dict[int, str] = {}
    taken: set[str] = set()
    for index, value in enumerate(row, start=1):
        if is_blank(value) or not isinstance(value, str):
            continue
        field = explicit.get(header_key(value)) or match_header(value, kind)
        if field in taken and field in SECOND_FIELD:
            field = SECOND_FIELD[field]
        if field is None or field in taken:
            continue  # a duplicate header keeps its data but maps to nothing
        fields[index] = field
        taken.add(field)
    return fields


def _choose(
    raw: RawWorkbook,
    candidates: list[_Candidate],
    settings: Settings,
    explicit: dict[TableKind, dict[str, str]],
    problems: list[ConfigProblem],
) -> dict[TableKind, _Candidate]:
    chosen: dict[TableKind, _Candidate] = {}
    used: set[str] = set()
    for kind in KINDS:
        name = getattr(settings.sheets, kind)
        if name is None:
            continue
        sheet = raw.sheet(name)
        if sheet is None:
            found = ", ".join(f"'{s.name}'" for s in raw.sheets)
            problems.append(
                ConfigProblem(
                    "settings", f"sheets.{kind}", f"sheet '{name}' not found (found: {found})"
                )
            )
            continue
        candidate = _best_header(sheet, kind, explicit[kind])
        if candidate is None:
            problems.append(
                ConfigProblem(
                    "settings",
                    f"sheets.{kind}",
                    f"no {kind} header found in sheet '{name}'; map its columns in [columns]",
                )
            )
            continue
        chosen[kind] = candidate
        used.add(name)
    for candidate in sorted(candidates, key=lambda c: (-c.score, KINDS.index(c.kind))):
        if candidate.kind not in chosen and candidate.sheet.name not in used:
            chosen[candidate.kind] = candidate
            used.add(candidate.sheet.name)
    return chosen


def _build_table(
    candidate: _Candidate, explicit: dict[str, str], problems: list[ConfigProblem]
) -> Table:
    sheet, header_row = candidate.sheet, candidate.header_row
    header_cells = list(sheet.rows[header_row - 1])
    keys = {header_key(v) for v in header_cells if isinstance(v, str)}
    for key, field in explicit.items():
        if key not in keys:
            found = ", ".join(str(v) for v in header_cells if not is_blank(v))
            problems.append(
                ConfigProblem(
                    "settings",
                    f"columns.{field}",
                    f"column not found in sheet '{sheet.name}' row {header_row} (found: {found})",
                )
            )
    columns: list[Column] = []
    own: dict[str, Column] = {}
    for index, value in enumerate(header_cells, start=1):
        text = "" if is_blank(value) else str(value).strip()
        own_key = own_column_key(text)
        if own_key is not None:
            own[own_key] = Column(index, text, None)
            continue
        columns.append(Column(index, text, candidate.fields.get(index)))
    while columns and not columns[-1].header:
        columns.pop()
    width = max((c.index for c in columns), default=0)
    rows = _data_rows(sheet, header_row, width, set(c.index for c in own.values()))
    return Table(sheet.name, candidate.kind, header_row, tuple(columns), rows, own_columns=own)


def _data_rows(
    sheet: RawSheet, header_row: int, width: int, own: set[int]
) -> tuple[tuple[CellValue, ...], ...]:
    body = sheet.rows[header_row:]
    rows = []
    padding = (None,) * width
    cleared = sorted(i - 1 for i in own if i <= width)
    for raw_row in body:
        if type(raw_row) is tuple and len(raw_row) == width:
            row = raw_row  # shared, not copied: a million rows of a reader's tuples stay one copy
        else:
            row = tuple(raw_row[:width])
            if len(row) < width:
                row += padding[len(row) :]
        if cleared:
            # Our own columns read as blank: their cells are results, not the user's data.
            cells = list(row)
            for position in cleared:
                cells[position] = None
            row = tuple(cells)
        rows.append(row)
    while rows and all(is_blank(v) for v in rows[-1]):
        rows.pop()
    return tuple(rows)


def _with_lang(table: Table, lang: Lang) -> Table:
    return Table(
        table.sheet,
        table.kind,
        table.header_row,
        table.columns,
        table.rows,
        lang,
        table.own_columns,
    )


def _no_header_message(raw: RawWorkbook) -> str:
    seen = []
    for sheet in data_sheets(raw)[:5]:
        first = next(
            (r for r in sheet.rows[:HEADER_SEARCH_ROWS] if any(not is_blank(v) for v in r)), []
        )
        cells = ", ".join(str(v) for v in first if not is_blank(v))[:120]
        seen.append(f"'{sheet.name}' ({cells or 'empty'})")
    return (
        f"No customer header found in {raw.source}: looked at the first {HEADER_SEARCH_ROWS} rows "
        f"of {', '.join(seen) or 'no sheets'}. Name the columns in custkit.toml, e.g. "
        '[columns] name = "客户" and phone = "联系方式", or in a 设置/Settings sheet.'
    )
