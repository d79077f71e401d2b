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
from tests.backends.hostile_corpus import cell_beyond_its_row
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


# What fuzzing found, kept as an example (the fast reader's part is in the report: it aborted,
# then after its owner's change ran past a minute, on this 800 kB file).
@pytest.mark.parametrize("reader", ["openpyxl"])
def test_what_fuzzing_found(reader: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "found.xlsx"
        path.write_bytes(cell_beyond_its_row())
        read_in_fork(READERS[reader], path)
