"""The Redactor's lookup, built column-wise, masks exactly what masking cell by cell did.

The reference below is the Redactor's lookup as it was built before (every personal cell, each
of its forms, the first cell with a form keeps it): the column-wise build, which keeps a value
once per column and makes the forms of ASCII values without a frame per value, must mask every
message the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.models.settings import Settings
from toolkit.privacy import _EMAIL, Redactor, _forms
from toolkit.routines.masking import mask_email, mask_value
from toolkit.table import CellValue, Column, RawWorkbook, Table, Workbook, is_blank

FIELDS = ("phone", "phone2", "email", "address", "name")  # name is not personal by default


def reference_text(cells: list[tuple[str, CellValue]], text: str, region: str = "CN") -> str:
    """Redactor.text as it was: e-mails by pattern, then known values, the lookup built cell
    by cell."""
    if "@" in text:
        text = _EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    masks: dict[str, tuple[str, CellValue]] = {}
    for cell in cells:
        for form in _forms(cell[1]):
            masks.setdefault(form, cell)
    if not masks:
        return text
    lengths = sorted({len(k) for k in masks}, reverse=True)
    pieces, position = [], 0
    while position < len(text):
        found = _longest(masks, lengths, text, position)
        if found is None:
            pieces.append(text[position])
            position += 1
        else:
            pieces.append(mask_value(*found[1], default_region=region))
            position += found[0]
    return "".join(pieces)


def _longest(
    masks: Mapping[str, tuple[str, CellValue]], lengths: list[int], text: str, position: int
) -> tuple[int, tuple[str, CellValue]] | None:
    for length in lengths:
        cell = masks.get(text[position : position + length])
        if cell is not None:
            return length, cell
    return None


phones = st.one_of(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"\+?[0-9]{1,3}[ -]?[0-9]{3,4}[ -]?[0-9]{4}", fullmatch=True),
)
emails = st.from_regex(r"[A-Za-z0-9._]{1,6}@[a-zA-Z0-9]{1,5}\.(com|cn|COM)", fullmatch=True)
odd = st.text(alphabet="0123456789aA@. -ＡＢ１２北京市区\u3000\x00", max_size=14)
values: st.SearchStrategy[CellValue] = st.one_of(
    phones,
    emails,
    odd,
    st.sampled_from([None, "", "  ", 1, 1.0, True, False, 0, 13800138000, 13800138000.0, "abc"]),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(*(values for _ in FIELDS)), max_size=8),
    picks=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 4), st.integers(0, 3))),
)
@example(
    rows=[("138-1234-5678", "13812345678", "Li@QQ.com", "北京市朝阳区１２３４５６号", "x")] * 2,
    picks=[(0, 0, 0), (0, 1, 2), (0, 2, 1), (0, 3, 3)],
)
@example(rows=[(True, 1, 1.0, "abc", None), (1, True, "True", "TRUE", 1)], picks=[(0, 0, 1)])
def test_masks_equal_the_cell_by_cell_lookup(
    rows: list[tuple[CellValue, ...]], picks: list[tuple[int, int, int]]
) -> None:
    columns = tuple(Column(at + 1, field, field) for at, field in enumerate(FIELDS))
    table = Table("C", "customers", 1, columns, tuple(rows))
    book = Workbook(RawWorkbook("x", ()), {"customers": table}, "en")
    settings_ = Settings()
    personal = set(settings_.privacy.personal)
    cells = [
        (field, row[at])
        for at, field in enumerate(FIELDS)
        if field in personal
        for row in rows
        if not is_blank(row[at])
    ]
    message = "; ".join(_spelling(rows, pick) for pick in picks) + " end"
    redactor = Redactor.for_workbook(book, settings_)
    assert redactor.text(message) == reference_text(cells, message)


def _spelling(rows: list[tuple[CellValue, ...]], pick: tuple[int, int, int]) -> str:
    """A customer's value as a message may quote it: as written, upper or lower, digits."""
    if not rows:
        return "none"
    value = rows[pick[0] % len(rows)][pick[1]]
    text = "" if value is None else str(value)
    return (text, text.upper(), text.lower(), "".join(c for c in text if c.isdigit()))[pick[2]]


def test_message_without_known_values_is_unchanged() -> None:
    columns = (Column(1, "Phone", "phone"),)
    table = Table("C", "customers", 1, columns, (("13812345678",), ("13812345678",)))
    book = Workbook(RawWorkbook("x", ()), {"customers": table}, "en")
    redactor = Redactor.for_workbook(book, Settings())
    assert redactor.text("row 7: 2025-06-30, 305 rows") == "row 7: 2025-06-30, 305 rows"
    assert redactor.text("call 13812345678") == "call 138****5678"


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(*(values for _ in FIELDS)), max_size=8),
    picks=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 4), st.integers(0, 3))),
)
@example(
    rows=[("138-1234-5678", "13812345678", "Li@QQ.com", "北京市朝阳区１２３４５６号", "x")] * 2,
    picks=[(0, 0, 0), (0, 1, 2), (0, 2, 1), (0, 3, 3), (1, 2, 2)],
)
@example(rows=[("abc", "ABCD", "ab@c.d", "ab", None)], picks=[(0, 1, 2), (0, 0, 1), (0, 3, 1)])
def test_data_masks_each_string_as_the_cell_by_cell_lookup(
    rows: list[tuple[CellValue, ...]], picks: list[tuple[int, int, int]]
) -> None:
    """`data()` looks up only the forms found in its strings: each string still comes out as
    the whole lookup masks it."""
    columns = tuple(Column(at + 1, field, field) for at, field in enumerate(FIELDS))
    table = Table("C", "customers", 1, columns, tuple(rows))
    book = Workbook(RawWorkbook("x", ()), {"customers": table}, "en")
    personal = set(Settings().privacy.personal)
    cells = [
        (field, row[at])
        for at, field in enumerate(FIELDS)
        if field in personal
        for row in rows
        if not is_blank(row[at])
    ]
    quoted = [_spelling(rows, pick) for pick in picks]
    data = {"steps": quoted, "n": 3, "by": {text: (text, 1) for text in quoted}}
    masked = Redactor.for_workbook(book, Settings()).data(data)
    ref = {text: reference_text(cells, text) for text in quoted}
    assert masked == {
        "steps": [ref[t] for t in quoted],
        "n": 3,
        "by": {ref[t]: [ref[t], 1] for t in quoted},
    }
