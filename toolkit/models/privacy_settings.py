"""Settings of personal data: which customer fields are masked, and where they may show in full.

    [privacy]
    personal = ["phone", "phone2", "email", "id_number", "address", "wechat"]
    show_in_followups = false     # true: reminder sheets and .ics show full phones and e-mails

A value of a personal field appears in full only in the workbook's own cells (the customer
sheet, and the review sheets beside it: Validation, Duplicates, Merged). Everything that
travels (reminder sheets and calendars, console output, `--json`, error messages) shows it
masked: 138****5678, w***@example.com, 1101**********1234, 北京市朝阳区***.

Names are not maskable here on purpose: staff need the customer's name on a reminder to know
whom to call, and a masked name (王**) identifies nobody to them while the phone number does
the identifying; a name alone tells little. Birthdays are not masked either: the birthday
reminder is the point of the field.
"""

from __future__ import annotations

from pydantic import field_validator

from toolkit.fields import field_names, field_spec
from toolkit.models.section import Section

DEFAULT_PERSONAL = ("phone", "phone2", "email", "id_number", "address", "wechat")


class PrivacySettings(Section):
    """Which customer fields are personal, and which outputs may show them unmasked.

    >>> PrivacySettings().personal[:3], PrivacySettings().show_in_followups
    (('phone', 'phone2', 'email'), False)
    """

    personal: tuple[str, ...] = DEFAULT_PERSONAL
    # Reminder sheets (Follow-ups, per-owner sheets) and the .ics export; false: masked.
    show_in_followups: bool = False

    @field_validator("personal")
    @classmethod
    def _maskable_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        known = set(field_names("customers"))
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"unknown field(s) {unknown}; known: {', '.join(sorted(known))}")
        names = [name for name in value if field_spec("customers", name).type == "name"]
        if names:
            raise ValueError(
                f"{names} cannot be masked: staff need the name to know whom to contact; "
                "list contact fields such as phone, email, id_number, address"
            )
        return value
