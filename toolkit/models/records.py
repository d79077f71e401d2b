"""Typed records: a customer, an order, a complaint, as pydantic models of a sheet row.

Each field's type says how its cells are read: the same parsers (`parser_for`) serve the
column-by-column validation of whole sheets and these models, so a value means the same thing
everywhere. `Customer.model_validate(record)` accepts raw cell values ("+86 138-0013-8000",
"2024年3月5日", "¥1,234.50") and gives canonical ones, or a ValidationError listing every
unusable field with its problem code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from toolkit import normalize
from toolkit.fields import FieldType
from toolkit.table import CellValue

Check = Callable[[CellValue], "normalize.Parsed[Any]"]


def parser_for(kind: FieldType, *, default_region: str = "CN", day_first: bool = False) -> Check:
    """The parser that reads cells of a field type.

    >>> parser_for("amount")("¥1,234.50").value
    1234.5
    """
    checks: dict[FieldType, Check] = {
        "id": normalize.clean_text,
        "text": normalize.clean_text,
        "name": normalize.clean_name,
        "phone": partial(normalize.parse_phone, default_region=default_region),
        "email": normalize.parse_email,
        "date": partial(normalize.parse_date, day_first=day_first),
        "amount": normalize.parse_amount,
        "count": normalize.parse_count,
        "gender": normalize.parse_gender,
    }
    return checks[kind]


def _reader(kind: FieldType) -> BeforeValidator:
    check = parser_for(kind)

    def read(value: Any) -> Any:
        parsed = check(value)
        if parsed.value is None:
            if parsed.problem is None:
                return None
            raise PydanticCustomError(
                parsed.problem, "{problem}: {value!r}", {"problem": parsed.problem, "value": value}
            )
        if kind == "phone":
            return normalize.canonical_phone(parsed.value)
        return parsed.value

    return BeforeValidator(read)


Text = Annotated[str | None, _reader("text")]
Id = Annotated[str | None, _reader("id")]
Name = Annotated[str | None, _reader("name")]
PhoneText = Annotated[str | None, _reader("phone")]
Email = Annotated[str | None, _reader("email")]
Day = Annotated[date | None, _reader("date")]
Amount = Annotated[float | None, _reader("amount")]
Count = Annotated[int | None, _reader("count")]
Gender = Annotated[Literal["M", "F"] | None, _reader("gender")]


class Record(BaseModel):
    """A row of a table; unknown fields are ignored, every field may be empty."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class Customer(Record):
    """One customer row.

    >>> Customer.model_validate({"phone": "+86 138-0013-8000", "total_amount": "1.2万"}).phone
    '13800138000'
    """

    customer_id: Id = None
    name: Name = None
    first_name: Name = None
    last_name: Name = None
    gender: Gender = None
    birthday: Day = None
    phone: PhoneText = None
    phone2: PhoneText = None
    email: Email = None
    company: Text = None
    title: Text = None
    industry: Text = None
    region: Text = None
    city: Text = None
    address: Text = None
    owner: Text = None
    signup_date: Day = None
    last_purchase_date: Day = None
    purchase_count: Count = None
    total_amount: Amount = None
    last_contact_date: Day = None
    status: Text = None
    wechat: Text = None
    id_number: Id = None
    notes: Text = None


class Transaction(Record):
    """One order row."""

    order_id: Id = None
    customer_id: Id = None
    customer_name: Name = None
    order_date: Day = None
    product: Text = None
    quantity: Count = None
    amount: Amount = None


class Complaint(Record):
    """One complaint row."""

    complaint_id: Id = None
    customer_id: Id = None
    customer_name: Name = None
    date: Day = None
    category: Text = None
    description: Text = None
    status: Text = None
    first_response_date: Day = None
    resolved_date: Day = None
    channel: Text = None
    owner: Text = None


RECORD_MODELS: dict[str, type[Record]] = {
    "customers": Customer,
    "transactions": Transaction,
    "complaints": Complaint,
}
