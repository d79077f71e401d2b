"""Pure parts: serial numbers, colours, the state's chunks, batches under the size limit."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.backends.gsheets.batches import ValueBlock, request_batches, value_batches
from toolkit.backends.gsheets.convert import hex_of, read_value, rgb, write_value
from toolkit.backends.gsheets.state import (
    CHUNK,
    Block,
    Journal,
    State,
    Written,
    chunks,
    parse_column,
    read_sheet,
)
from toolkit.errors import UnsafeWriteError


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2999, 12, 31)))
def test_dates_survive_the_serial_number_round_trip(day: date) -> None:
    serial, fmt = write_value(day, "C!A1")
    assert fmt is not None and read_value(serial, fmt["type"]) == day


@given(
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2999, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    )
)
def test_datetimes_survive_to_the_second(moment: datetime) -> None:
    serial, fmt = write_value(moment, "C!A1")
    assert fmt is not None and read_value(serial, fmt["type"]) == (
        moment if moment.time() != time() else moment.date()
    )


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (None, ("", None)),
        ("=1+1", ("=1+1", None)),
        (True, (True, None)),
        (7, (7, None)),
        (date(2025, 6, 30), (45838, {"type": "DATE", "pattern": "yyyy-mm-dd"})),
        (time(6, 0), (0.25, {"type": "TIME", "pattern": "hh:mm:ss"})),
    ],
)
def test_values_are_written_raw(value: object, written: tuple[object, object]) -> None:
    assert write_value(value, "C!A1") == written  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [float("nan"), "x" * 50_001])
def test_values_a_cell_cannot_hold_are_refused_with_where(value: object) -> None:
    with pytest.raises(UnsafeWriteError, match="C!B7"):
        write_value(value, "C!B7")  # type: ignore[arg-type]


@pytest.mark.parametrize("hex_color", ["FFC7CE", "FFEB9C", "F8CBAD", "DDEBF7", "E4DFEC", "000000"])
def test_colours_round_trip(hex_color: str) -> None:
    assert hex_of({"rgbColor": rgb(hex_color)}) == hex_color


def test_state_and_journal_survive_being_cut_into_cells() -> None:
    state = State(
        own_sheets={"validation": 12},
        highlights={0: {"error": {(r, 2) for r in range(2, 20_000)}}},
        originals={0: {(3, 2): {"rgbColor": {"red": 1}}, (4, 2): None}},
    )
    journal = Journal(
        "2025-06-30T09:00:00",
        ["validate"],
        "li",
        state.to_json(),
        written=[Written(Block(0, 0, 9, 3, 4), "abc")],
    )
    column_a, column_b = chunks(state.to_json()), chunks(journal.to_json())

    back_state, back_journal = read_sheet(
        [[a, b] for a, b in zip(column_a, column_b + [""] * 9, strict=False)]
    )

    assert len(column_a) > 1 and all(len(c) <= CHUNK for c in column_a)
    assert back_state == state
    assert back_journal == journal


@pytest.mark.parametrize("column", [[], ["{broken"], ["[1]"]])
def test_a_missing_or_damaged_state_reads_as_none(column: list[str]) -> None:
    assert parse_column(column) is None


def test_value_batches_stay_under_the_limit_and_keep_every_row() -> None:
    blocks = [ValueBlock("客户", 0, c, [[f"第{r}行" * 20] for r in range(500)]) for c in range(6)]

    batches = list(value_batches(blocks, limit=50_000))

    assert len(batches) > 6
    assert all(len(json.dumps({"valueInputOption": "RAW", "data": b})) <= 50_000 for b in batches)
    assert sum(len(vr["values"]) for b in batches for vr in b) == 6 * 500
    assert batches[0][0]["range"] == "'客户'!A1:A" + str(len(batches[0][0]["values"]))


def test_request_batches_keep_the_order() -> None:
    requests = [{"deleteSheet": {"sheetId": i}} for i in range(1000)]

    batches = list(request_batches(requests, limit=5_000))

    assert [r for b in batches for r in b] == requests
    assert all(len(json.dumps({"requests": b})) <= 5_000 for b in batches)
