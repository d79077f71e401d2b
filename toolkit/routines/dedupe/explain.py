"""Why two rows are one customer, in words, in the run's language.

"phone equal; name 张伟≈章伟 (same sound); company equal; email different" /
"电话相同；姓名 张伟≈章伟（同音）；公司相同；邮箱不同". Agreements come first, in field order,
then disagreements; fields blank on either side are not mentioned.
"""

from __future__ import annotations

from collections.abc import Callable

from toolkit.i18n import Text, say
from toolkit.normalize.text import cell_text
from toolkit.routines.dedupe.find import PairEvidence
from toolkit.table import Lang, Table

FIELD_LABELS: dict[str, Text] = {
    "name": Text("name", "姓名"),
    "phone": Text("phone", "电话"),
    "email": Text("email", "邮箱"),
    "company": Text("company", "公司"),
    "city": Text("city", "城市"),
    "birthday": Text("birthday", "生日"),
    "address": Text("address", "地址"),
}
EQUAL = Text("{field} equal", "{field}相同")
EQUAL_WRITTEN = Text("{field} {a}≈{b}", "{field} {a}≈{b}")
DIFFERENT = Text("{field} different", "{field}不同")
LEVEL_TEXTS: dict[str, Text] = {
    "pinyin": Text("{field} {a}≈{b} (same sound)", "{field} {a}≈{b}（同音）"),
    "close": Text("{field} {a}≈{b}", "{field} {a}≈{b}"),
    "surname": Text("{field} {a}≈{b} (surname only)", "{field} {a}≈{b}（仅姓氏）"),
    "typo": Text("{field} one digit apart", "{field}仅差一位"),
}
CLOSE_WITHOUT_VALUES = Text("{field} nearly equal", "{field}相近")
SHOWN_VALUES = {"name", "company"}  # short enough to show side by side
SEPARATOR = Text("; ", "；")

ValueOf = Callable[[int, str], str]  # (table position, field) -> the value as written


def written_values(customers: Table) -> ValueOf:
    """The value as written of a field at a table position ('' when blank or unmapped).

    >>> from toolkit.table import Column
    >>> t = Table("C", "customers", 1, (Column(1, "Name", "name"),), ((" Li Na ",),))
    >>> written_values(t)(0, "name"), written_values(t)(0, "phone")
    ('Li Na', '')
    """
    positions = {c.field: c.index - 1 for c in reversed(customers.columns) if c.field}

    def value(row: int, field: str) -> str:
        index = positions.get(field)
        return cell_text(customers.rows[row][index]).strip() if index is not None else ""

    return value


def explain(evidence: PairEvidence, value_of: ValueOf, lang: Lang) -> str:
    """The reason two rows match, field by field.

    >>> e = PairEvidence(0, 1, 0.99, (("name", "pinyin"), ("phone", "exact"), ("email", "missing")))
    >>> names = {(0, "name"): "张伟", (1, "name"): "章伟"}
    >>> explain(e, lambda row, field: names.get((row, field), ""), "zh")
    '姓名 张伟≈章伟（同音）；电话相同'
    >>> explain(e, lambda row, field: names.get((row, field), ""), "en")
    'name 张伟≈章伟 (same sound); phone equal'
    """
    agreeing: list[str] = []
    differing: list[str] = []
    for field, level in evidence.levels:
        if level == "missing":
            continue
        label = say(FIELD_LABELS[field], lang)
        if level == "different":
            differing.append(say(DIFFERENT, lang, field=label))
            continue
        agreeing.append(_agreement(field, level, label, evidence, value_of, lang))
    return say(SEPARATOR, lang).join(agreeing + differing)


def _agreement(
    field: str, level: str, label: str, evidence: PairEvidence, value_of: ValueOf, lang: Lang
) -> str:
    a, b = value_of(evidence.a, field), value_of(evidence.b, field)
    if level == "exact":
        if field in SHOWN_VALUES and a != b:
            return say(EQUAL_WRITTEN, lang, field=label, a=a, b=b)  # 張偉≈张伟
        return say(EQUAL, lang, field=label)
    if field not in SHOWN_VALUES and level != "typo":
        return say(CLOSE_WITHOUT_VALUES, lang, field=label)
    return say(LEVEL_TEXTS[level], lang, field=label, a=a, b=b)
