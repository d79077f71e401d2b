"""Privacy settings: defaults, what may be personal, loading from a settings sheet."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from toolkit.errors import ConfigError
from toolkit.models.privacy_settings import DEFAULT_PERSONAL, PrivacySettings
from toolkit.settings_io import load_settings
from toolkit.table import RawSheet, RawWorkbook


def test_defaults_mask_contacts_and_identifiers_everywhere() -> None:
    s = PrivacySettings()
    assert s.personal == DEFAULT_PERSONAL == (
        "phone", "phone2", "email", "id_number", "address", "wechat")  # fmt: skip
    assert s.show_in_followups is False


@pytest.mark.parametrize(("personal", "message"), [
    (["phone", "fax"], "unknown field(s) ['fax']"),
    (["name", "email"], "['name'] cannot be masked: staff need the name"),
    (["last_name"], "['last_name'] cannot be masked"),
])  # fmt: skip
def test_unknown_and_name_fields_are_refused(personal: list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        PrivacySettings(personal=tuple(personal))


@pytest.mark.parametrize(("personal", "expected"), [
    ((), ()),
    (("email", "birthday"), ("email", "birthday")),
])  # fmt: skip
def test_any_other_customer_field_may_be_personal(
    personal: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    assert PrivacySettings(personal=personal).personal == expected


def test_from_the_settings_sheet_with_its_row_in_errors() -> None:
    rows = [["privacy.personal", "phone, email"], ["privacy.show_in_followups", "true"]]
    settings = load_settings(raw=RawWorkbook("x", (RawSheet("设置", rows),)))
    assert settings.privacy.personal == ("phone", "email")
    assert settings.privacy.show_in_followups is True
    bad = RawWorkbook("x", (RawSheet("设置", [["privacy.personal", "name"]]),))
    with pytest.raises(ConfigError, match="row 1") as caught:
        load_settings(raw=bad)
    assert "cannot be masked" in str(caught.value)
