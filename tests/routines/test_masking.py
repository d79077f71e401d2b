"""Personal data masking for reminders, calendars and logs."""

from __future__ import annotations

import pytest

from toolkit.routines.masking import mask_email, mask_phone
from toolkit.table import CellValue


@pytest.mark.parametrize("phone, masked", [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("+86 138-1234-5678", "138****5678"),
    ("１３８１２３４５６７８", "138****5678"),
    (13812345678, "138****5678"),
    ("010-12345678", "101***5678"),  # a Beijing landline: national digits
    ("+1 415 555 2671", "+1 415***2671"),
    ("+44 20 7946 0958", "+44 207***0958"),
    ("12345", "***45"),  # not a valid number: digits masked all the same
    (None, ""),
    ("  ", ""),
])
def test_mask_phone(phone: CellValue, masked: str) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("email, masked", [
    ("wang.wei@example.com", "w***@example.com"),
    (" Ann@Example.com ", "A***@Example.com"),
    ("ｗａｎｇ@qq.com", "w***@qq.com"),
    ("not an email", "n***"),
    (None, ""),
])
def test_mask_email(email: CellValue, masked: str) -> None:
    assert mask_email(email) == masked


def test_masks_never_reveal_the_middle_digits() -> None:
    assert "1234" not in mask_phone("13812345678")
