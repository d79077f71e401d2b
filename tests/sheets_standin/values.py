"""Cell values in and out: RAW and USER_ENTERED input, the three render options, formats.

Input follows the API: with RAW a string is stored as a string whatever it looks like (so
"=1+1" and "0042" stay text); with USER_ENTERED it is parsed as if typed into the UI (numbers,
dates, TRUE/FALSE, formulas). Only arithmetic formulas are evaluated; a formula with functions
or references is answered 501, never stored unevaluated. JSON null skips a cell, "" clears it.
"""

from __future__ import annotations

import math
import re
import struct
from datetime import date, datetime, timedelta
from typing import Any

from tests.sheets_standin.errors import not_implemented
from tests.sheets_standin.model import Cell

EPOCH = datetime(1899, 12, 30)
SKIP = object()  # JSON null in values: leave the cell as it is
_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)(?P<cur>\$?)(?P<int>\d{1,3}(,\d{3})+|\d+)?(?P<frac>\.\d+)?(?P<exp>[eE][-+]?\d+)?(?P<pct>%?)$"
)
_ISO_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ERRORS = {"DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!", "NAME": "#NAME?"}
DATE_TYPES = ("DATE", "TIME", "DATE_TIME")


def entered_value(value: Any, option: str) -> Any:
    """The userEnteredValue (and auto format) for one JSON input value.

    Returns SKIP for null, None for "" (clear), else (entered, number_format or None).
    """
    if value is None:
        return SKIP
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        return {"numberValue": value}, None
    text = str(value)
    if text == "":
        return None
    if option == "RAW":
        return {"stringValue": text}, None
    return _parse_typed(text)


def _parse_typed(text: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if text.startswith("="):
        evaluate_formula(text)  # refuse what we cannot compute, before anything is stored
        return {"formulaValue": text}, None
    if text.upper() in ("TRUE", "FALSE"):
        return {"boolValue": text.upper() == "TRUE"}, None
    parsed = _parse_date(text)
    if parsed is not None:
        return parsed
    match = _NUMBER.match(text.strip())
    if match and (match["int"] or match["frac"]):
        return _typed_number(match)
    return {"stringValue": text}, None


def _typed_number(match: re.Match[str]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    digits = (match["int"] or "0").replace(",", "") + (match["frac"] or "") + (match["exp"] or "")
    number = float(digits)
    if match["sign"] == "-":
        number = -number
    decimals = len(match["frac"]) - 1 if match["frac"] else 0
    fmt: dict[str, Any] | None = None
    if match["pct"]:
        number /= 100
        fmt = {"type": "PERCENT", "pattern": "0" + ("." + "0" * decimals if decimals else "") + "%"}
    elif match["cur"]:
        fmt = {"type": "CURRENCY", "pattern": '"$"#,##0.00'}
    elif match["int"] and "," in match["int"]:
        fmt = {"type": "NUMBER", "pattern": "#,##0" + ("." + "0" * decimals if decimals else "")}
    value: int | float = int(number) if number.is_integer() and not match["exp"] else number
    return {"numberValue": value}, fmt


def _parse_date(text: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    iso, us = _ISO_DATE.match(text), _US_DATE.match(text)
    try:
        if iso:
            day = date(int(iso[1]), int(iso[2]), int(iso[3]))
            pattern = "yyyy-mm-dd" if "-" in text else "yyyy/mm/dd"
        elif us:
            day = date(int(us[3]), int(us[1]), int(us[2]))
            pattern = "M/d/yyyy"
        else:
            return None
    except ValueError:
        return None
    return {"numberValue": serial(day)}, {"type": "DATE", "pattern": pattern}


def serial(day: date | datetime) -> int | float:
    """The spreadsheet serial number of a date (1899-12-30 is 0)."""
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
    delta = moment - EPOCH
    value = delta.days + delta.seconds / 86400
    return int(value) if float(value).is_integer() else value


# -- formulas -----------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+)|(.))")


def evaluate_formula(formula: str) -> dict[str, Any]:
    """The effective value of an arithmetic formula such as '= 1 / 1024'."""
    tokens = [(n, op) for n, op in _TOKEN.findall(formula[1:]) if n or op.strip()]
    parser = _Arithmetic(tokens, formula)
    try:
        result = parser.expression()
    except ZeroDivisionError:
        return {
            "errorValue": {
                "type": "DIVIDE_BY_ZERO",
                "message": "Function DIVIDE parameter 2 cannot be zero.",
            }
        }
    if parser.position != len(tokens):
        raise not_implemented(f"formula {formula!r} (only arithmetic is evaluated)")
    return {"numberValue": int(result) if float(result).is_integer() else result}


class _Arithmetic:
    def __init__(self, tokens: list[tuple[str, str]], formula: str) -> None:
        self.tokens, self.position, self.formula = tokens, 0, formula

    def _peek(self) -> str | None:
        if self.position < len(self.tokens):
            return self.tokens[self.position][1] or None
        return None

    def expression(self) -> float:
        value = self.term()
        while self._peek() in ("+", "-"):
            op = self._next_op()
            value = value + self.term() if op == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.factor()
        while self._peek() in ("*", "/"):
            op = self._next_op()
            right = self.factor()
            value = value * right if op == "*" else value / right
        return value

    def factor(self) -> float:
        if self._peek() in ("-", "+"):
            sign = -1 if self._next_op() == "-" else 1
            return sign * self.factor()
        if self._peek() == "(":
            self._next_op()
            value = self.expression()
            if self._next_op() != ")":
                raise not_implemented(f"formula {self.formula!r}")
            return value
        if self.position < len(self.tokens) and self.tokens[self.position][0]:
            number = float(self.tokens[self.position][0])
            self.position += 1
            return number
        raise not_implemented(f"formula {self.formula!r} (only arithmetic is evaluated)")

    def _next_op(self) -> str:
        op = self.tokens[self.position][1] if self.position < len(self.tokens) else ""
        self.position += 1
        return op


# -- rendering ----------------------------------------------------------------------------


def effective(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None or cell.entered is None:
        return None
    if "formulaValue" in cell.entered:
        return evaluate_formula(cell.entered["formulaValue"])
    return cell.entered


def number_format(cell: Cell | None) -> dict[str, Any]:
    fmt = (cell.fmt or {}).get("numberFormat") if cell else None
    return dict(fmt) if fmt else {}


def render(cell: Cell | None, value_option: str, date_option: str) -> Any:
    """What values.get returns for a cell ("" for an empty one)."""
    value = effective(cell)
    if value is None:
        return ""
    if (
        value_option == "FORMULA"
        and cell is not None
        and cell.entered
        and "formulaValue" in cell.entered
    ):
        return cell.entered["formulaValue"]
    if "stringValue" in value:
        return value["stringValue"]
    if "errorValue" in value:
        return _ERRORS.get(value["errorValue"]["type"], "#ERROR!")
    if "boolValue" in value:
        flag = bool(value["boolValue"])
        return ("TRUE" if flag else "FALSE") if value_option == "FORMATTED_VALUE" else flag
    number = value["numberValue"]
    fmt = number_format(cell)
    if value_option == "FORMATTED_VALUE":
        return format_number(number, fmt)
    if date_option == "FORMATTED_STRING" and fmt.get("type") in DATE_TYPES:
        return format_number(number, fmt)
    return json_number(number)


def json_number(number: float) -> int | float:
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def format_number(number: float, fmt: dict[str, Any]) -> str:
    """The displayed text of a number under a number format (the patterns we meet)."""
    pattern = str(fmt.get("pattern", ""))
    kind = fmt.get("type")
    if kind in DATE_TYPES:
        return _format_date(number, pattern or _DEFAULT_DATE[str(kind)])
    if not pattern or pattern.upper() == "GENERAL":
        return general(number)
    percent = "%" in pattern
    value = number * 100 if percent else number
    body = pattern.replace("%", "").replace('"$"', "").replace("$", "")
    decimals = len(body.split(".", 1)[1]) if "." in body else 0
    text = f"{value:,.{decimals}f}" if "," in body else f"{value:.{decimals}f}"
    prefix = "$" if "$" in pattern else ""
    return f"{prefix}{text}{'%' if percent else ''}"


_DEFAULT_DATE = {"DATE": "yyyy-mm-dd", "TIME": "hh:mm:ss", "DATE_TIME": "yyyy-mm-dd hh:mm:ss"}


def general(number: float) -> str:
    if float(number).is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else general(0)


def _format_date(number: float, pattern: str) -> str:
    moment = EPOCH + timedelta(days=float(number))
    moment = moment.replace(microsecond=0) + timedelta(seconds=round(moment.microsecond / 1e6))
    tokens = re.findall(r"yyyy|yy|mm|m|dd|d|hh|h|ss|s|[^ymdhs]+", pattern, flags=re.IGNORECASE)
    parts = [t.lower() for t in tokens]
    fields = [i for i, t in enumerate(parts) if t[0] in "ymdhs"]
    out: list[str] = []
    for index, token in enumerate(tokens):
        lower = parts[index]
        if lower[0] not in "ymdhs":
            out.append(token)
            continue
        position = fields.index(index)
        before = parts[fields[position - 1]][0] if position > 0 else ""
        after = parts[fields[position + 1]][0] if position + 1 < len(fields) else ""
        minute = lower[0] == "m" and (before == "h" or after == "s")
        value = {
            "y": moment.year if lower == "yyyy" else moment.year % 100,
            "m": moment.minute if minute else moment.month,
            "d": moment.day,
            "h": moment.hour,
            "s": moment.second,
        }[lower[0]]
        out.append(f"{value:0{len(lower)}d}" if len(lower) > 1 else str(value))
    return "".join(out)


# -- colours ------------------------------------------------------------------------------

_COLOR_KEYS = ("red", "green", "blue")


def float32_text(value: float) -> float:
    """The shortest decimal that is the same float32 (how the API prints its floats)."""
    single = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        candidate = float(f"{single:.{digits}g}")
        if struct.unpack("f", struct.pack("f", candidate))[0] == single:
            return candidate
    return single


def quantize_colors(node: Any) -> Any:
    """Colours as the API keeps them: 8 bits a channel, zero channels left out."""
    if isinstance(node, list):
        return [quantize_colors(item) for item in node]
    if not isinstance(node, dict):
        return node
    if any(key in node for key in _COLOR_KEYS) and all(
        isinstance(v, int | float) for k, v in node.items() if k in (*_COLOR_KEYS, "alpha")
    ):
        color: dict[str, Any] = {}
        for key in (*_COLOR_KEYS, "alpha"):
            if key not in node:
                continue
            level = math.floor(float(node[key]) * 255 + 0.5 - 1e-7) / 255
            if level:
                color[key] = 1 if level == 1 else float32_text(level)
        return color
    return {key: quantize_colors(value) for key, value in node.items()}
