"""A few seconds of fuzzing: readers and header detection succeed or raise a ToolkitError.

bench/fuzz_readers.py runs the same targets for minutes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.backends.fuzz_targets import (
    READERS,
    SEEDS,
    detect_headers,
    flipped_package,
    mutated_part,
    random_sheet,
    raw_workbooks,
    read_in_fork,
    read_package,
)
from tests.backends.hostile_corpus import ROWS, cell_beyond_its_row, sheet_xml, with_parts
from toolkit.backends.xlsx import XlsxBackend
from toolkit.table import RawWorkbook

FEW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_the_seeds_are_readable(tmp_path: Path) -> None:
    for index, seed in enumerate(SEEDS):
        path = tmp_path / f"seed{index}.xlsx"
        path.write_bytes(seed)
        assert XlsxBackend(path).read().sheets[0].rows


@FEW
@given(flipped_package())
def test_flipped_zip_bytes(package: bytes) -> None:
    read_package(package)


@FEW
@given(mutated_part())
def test_mutated_parts(package: bytes) -> None:
    read_package(package)


@FEW
@given(random_sheet())
def test_random_sheet_xml(package: bytes) -> None:
    read_package(package)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_workbooks())
def test_header_detection(raw: RawWorkbook) -> None:
    detect_headers(raw)


# What fuzzing found, kept as examples: a cell past its row (calamine allocated 512 GiB and
# aborted, later ran past a minute) and a cell outside any row at XFD1048576 (calamine
# aborted). The fast reader now sends such sheets to openpyxl, and both readers agree.
FOUND = {
    "cell_beyond_its_row": cell_beyond_its_row,
    "cell_outside_rows": lambda: with_parts(
        {"xl/worksheets/sheet1.xml": sheet_xml(ROWS + '<c r="XFD1048576"><v>1</v></c>')}
    ),
}


@pytest.mark.parametrize("found", sorted(FOUND))
@pytest.mark.parametrize("reader", sorted(READERS))
def test_what_fuzzing_found(reader: str, found: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "found.xlsx"
        path.write_bytes(FOUND[found]())
        read_in_fork(READERS[reader], path)


@pytest.mark.parametrize("found", sorted(FOUND))
def test_both_readers_give_the_same_cells_for_what_fuzzing_found(found: str) -> None:
    if "calamine" not in READERS:
        pytest.skip("no fast reader")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "found.xlsx"
        path.write_bytes(FOUND[found]())
        slow, fast = READERS["openpyxl"](path), READERS["calamine"](path)
    from toolkit.backends.xlsx_fast import same_cells

    assert same_cells(slow, fast) == []
