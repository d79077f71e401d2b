"""The package gate refuses a damaged workbook with a message, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends.hostile_corpus import content_types, sheet_xml, with_parts
from toolkit.backends.xlsx_guard import inspect_package
from toolkit.errors import UnsupportedFormatError


@pytest.mark.parametrize(
    ("part", "text"),
    [
        # found by test_fuzz_readers.test_mutated_parts: a flipped byte in the declaration
        ("[Content_Types].xml", content_types().replace('encoding="UTF-8"', 'encoding="U-TF-8"')),
        ("xl/worksheets/sheet1.xml", sheet_xml().replace('encoding="UTF-8"', 'encoding="X"')),
    ],
)
def test_an_xml_part_in_an_unknown_encoding_is_refused(
    tmp_path: Path, part: str, text: str
) -> None:
    path = tmp_path / "encoding.xlsx"
    path.write_bytes(with_parts({part: text}))
    with pytest.raises(UnsupportedFormatError, match=r"damaged \(LookupError: unknown encoding"):
        inspect_package(path)
