"""`TextTails` makes exactly `text_cell_tail`'s bytes, and refuses what it refuses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.backends.ooxml.values import MAX_TEXT, CellValueError, TextTails, text_cell_tail

texts = st.one_of(
    st.text(),
    st.text(alphabet="<>&_x0123456789ABCDEF\x01\r\n \ufffe数"),
    st.sampled_from(["_x0041_", "a" * (MAX_TEXT + 1), "a" * MAX_TEXT, "%d", ""]),
)


def outcome(make: object, text: str) -> bytes | str:
    try:
        return make(text)  # type: ignore[operator, no-any-return]
    except CellValueError as error:
        return f"refused: {error}"


@given(text=texts, style=st.sampled_from([0, 1, 27]), prefix=st.sampled_from(["", "x:"]))
def test_text_tails_are_text_cell_tail(text: str, style: int, prefix: str) -> None:
    reference = outcome(lambda t: text_cell_tail(style, t, prefix), text)
    assert outcome(TextTails(style, prefix), text) == reference


@pytest.mark.parametrize(
    ("text", "written"),
    [("ok", b"ok"), ("a&b<c>", b"a&amp;b&lt;c&gt;"), ("\x01", b"_x0001_"), ("数", "数".encode())],
)
def test_text_tails_examples(text: str, written: bytes) -> None:
    head = b' s="2" t="inlineStr"><is><t xml:space="preserve">'
    assert TextTails(2)(text) == head + written + b"</t></is></c>"
