"""Where the values a tag rule tests come from, each field read and parsed once per run.

- Customer sheet fields, by the type fields.py gives them (dates, amounts, counts, text).
- last_purchase_date, purchase_count, total_amount: the purchases scoring uses (the
  transactions sheet when there is one), so tags and RFM agree.
- complaint_count, open_complaint_count, last_complaint_date: the complaints sheet.
- r_score, f_score, m_score, churn_risk, rfm, segment, tier, churn_level: the scores.
- A bracketed column ([兴趣爱好]): the sheet's column with that header, read as the test needs.

Text is tested per distinct value ("category"), so a regular expression runs once per distinct
cell, not once per customer. Categories of scores answer to their key and to their labels in
both languages ("high", "High", "高价值" for a tier).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from toolkit.fields import header_key
from toolkit.models.tag_conditions import DERIVED_FIELDS, TagCondition, field_type
from toolkit.normalize import clean_text
from toolkit.routines.churn import CHURN_LEVELS, LEVEL_WORDS
from toolkit.routines.columns import FloatArray, IntArray, amounts, counts, date_days
from toolkit.routines.purchases import purchases
from toolkit.routines.tiers import TIER_KEYS, TIER_LETTERS, TIER_WORDS
from toolkit.steps import StepContext
from toolkit.table import CellValue, Column

PURCHASE_FIELDS = ("last_purchase_date", "purchase_count", "total_amount")
COMPLAINT_FIELDS = ("complaint_count", "open_complaint_count", "last_complaint_date")

Categories = tuple[IntArray, list[tuple[str, ...]]]  # each row's category, each category's names


def categories(values: list[CellValue]) -> Categories:
    """Each cell's category index and each category's cleaned text ("" for blanks).

    >>> categories(["北京", " 北京 ", None])
    (array([0, 0, 1]), [('北京',), ('',)])
    """
    types = set(map(type, values))
    typed = bool in types and (int in types or float in types)  # True == 1, but reads "True"
    keys: list[Any] = list(zip(map(type, values), values, strict=True)) if typed else values
    index: dict[str, int] = {}
    code_of: dict[Any, int] = {}
    for key in dict.fromkeys(keys):
        text = clean_text(key[1] if typed else key).value or ""
        code_of[key] = index.setdefault(text, len(index))
    codes = np.fromiter(map(code_of.__getitem__, keys), np.int64, len(keys))
    return codes, [(text,) for text in index]


class FieldValues:
    """The values of the fields rules test, for one run, fetched on first use."""

    def __init__(self, ctx: StepContext) -> None:
        self._ctx = ctx
        self._table = ctx.workbook.customers
        self._cache: dict[tuple[str, str], Any] = {}

    @property
    def size(self) -> int:
        """Data rows of the customer table (blank ones included)."""
        return len(self._table.rows)

    def missing(self, condition: TagCondition) -> str | None:
        """What the workbook lacks for this condition (a column or sheet), or None."""
        if condition.column is not None:
            return None if self._header_column(condition.column) else f"[{condition.column}]"
        name = condition.field or ""
        if name in COMPLAINT_FIELDS:
            return None if self._ctx.workbook.table("complaints") else name
        if name in DERIVED_FIELDS:
            return None
        if name in PURCHASE_FIELDS and purchases(self._ctx).source == "transactions":
            return None
        return None if self._table.has(name) else name

    def numbers(self, condition: TagCondition) -> FloatArray:
        """The field as amounts/counts (NaN where blank or unreadable)."""
        numbers: FloatArray = self._once("numbers", condition, self._numbers)
        return numbers

    def days(self, condition: TagCondition) -> FloatArray:
        """The field as day numbers (NaN where blank or unreadable)."""
        days: FloatArray = self._once("days", condition, self._days)
        return days

    def categories(self, condition: TagCondition) -> Categories:
        """The field as text categories."""
        found: Categories = self._once("categories", condition, self._categories)
        return found

    def _once(self, kind: str, condition: TagCondition, read: Callable[[TagCondition], Any]) -> Any:
        key = (kind, condition.field or f"[{condition.column}]")
        if key not in self._cache:
            self._cache[key] = read(condition)
        return self._cache[key]

    def _numbers(self, condition: TagCondition) -> FloatArray:
        name = condition.field
        if name == "purchase_count":
            return purchases(self._ctx).count
        if name == "total_amount":
            return purchases(self._ctx).amount
        if name in ("complaint_count", "open_complaint_count"):
            return self._complaint_numbers(name)
        if name in ("r_score", "f_score", "m_score", "churn_risk"):
            return self._score_numbers(name)
        values = self._raw(condition)
        is_count = name is not None and field_type(name) == "count"
        return counts(values) if is_count else amounts(values)

    def _days(self, condition: TagCondition) -> FloatArray:
        if condition.field == "last_purchase_date":
            return purchases(self._ctx).last
        if condition.field == "last_complaint_date":
            return self._complaint_numbers(condition.field)
        day_first = self._ctx.settings.validation.day_first
        return date_days(self._raw(condition), day_first=day_first)

    def _categories(self, condition: TagCondition) -> Categories:
        name = condition.field
        if name in ("rfm", "segment", "tier", "churn_level"):
            return self._score_categories(name)
        return categories(self._raw(condition))

    def _raw(self, condition: TagCondition) -> list[CellValue]:
        if condition.column is not None:
            column = self._header_column(condition.column)
            if column is None:  # `missing` said so before any rule asked
                return [None] * len(self._table.rows)
            return [row[column.index - 1] for row in self._table.rows]
        return self._table.values(condition.field or "")

    def _header_column(self, header: str) -> Column | None:
        wanted = header_key(header)
        return next((c for c in self._table.columns if header_key(c.header) == wanted), None)

    def _complaint_numbers(self, name: str) -> FloatArray:
        from toolkit.routines.complaint_stats import customer_complaints

        result = np.full(len(self._table.rows), np.nan if name.endswith("date") else 0.0)
        first = self._table.first_row
        for row, stats in customer_complaints(self._ctx).items():
            if not 0 <= row - first < len(result):
                continue
            if name == "complaint_count":
                result[row - first] = stats.count
            elif name == "open_complaint_count":
                result[row - first] = stats.open_count
            elif stats.last_date is not None:
                result[row - first] = stats.last_date.toordinal()
        return result

    def _score_numbers(self, name: str) -> FloatArray:
        from toolkit.routines.scores import customer_scores

        book = customer_scores(self._ctx)
        column = {"r_score": book.r, "f_score": book.f, "m_score": book.m}.get(name)
        chosen = book.churn.risk if column is None else column
        return np.where(book.occupied, chosen, np.nan)

    def _score_categories(self, name: str) -> Categories:
        from toolkit.routines.scores import customer_scores

        book = customer_scores(self._ctx)
        if name == "rfm":
            return categories(list(book.rfm))
        if name == "segment":
            names: list[tuple[str, ...]] = [(s.key, s.en, s.zh) for s in book.segments]
            return book.segment, names
        if name == "tier":
            tiers = zip(TIER_KEYS, TIER_WORDS, TIER_LETTERS, strict=True)
            return book.tier, [(key, *words, letter) for key, words, letter in tiers]
        levels = zip(CHURN_LEVELS, LEVEL_WORDS, strict=True)
        return book.churn.level, [(key, *words) for key, words in levels]
