"""Labels of our own columns and sheets, and message texts, in English and Chinese.

Output follows the language of the customer sheet's headers (`--lang` overrides). A re-run
recognizes our columns and sheets under either language's label, so switching language
renames them in place rather than adding copies.
"""

from __future__ import annotations

from typing import NamedTuple

from toolkit.table import Lang


class Text(NamedTuple):
    """One text in both languages; `{name}` placeholders are filled by `say`."""

    en: str
    zh: str


def say(text: Text, lang: Lang, **values: object) -> str:
    """The text in `lang` with its placeholders filled.

    >>> say(Text("{n} rows", "{n} 行"), "zh", n=3)
    '3 行'
    """
    template = text.zh if lang == "zh" else text.en
    return template.format(**values) if values else template


OWN_COLUMNS: dict[str, Text] = {
    "issues": Text("Issues", "数据问题"),
    "duplicate_group": Text("Duplicate Group", "重复组"),
    "duplicate_score": Text("Duplicate Score", "重复相似度"),
    "duplicate_reason": Text("Duplicate Reason", "重复原因"),
    "tags": Text("Tags", "标签"),
    "rfm": Text("RFM", "RFM"),
    "segment": Text("Segment", "客户分群"),
    "tier": Text("Tier", "客户等级"),
    "churn_risk": Text("Churn Risk", "流失风险"),
    "churn_reason": Text("Churn Reason", "流失原因"),
    "churn_level": Text("Churn Level", "流失等级"),
    "next_followup": Text("Next Follow-up", "下次跟进"),
}

OWN_SHEETS: dict[str, Text] = {
    "validation": Text("Validation", "数据校验"),
    "duplicates": Text("Duplicates", "重复客户"),
    "merged": Text("Merged", "已合并"),
    "tiers": Text("Tiers", "客户分层"),
    "followups": Text("Follow-ups", "跟进提醒"),
    "followup_log": Text("Follow-up Log", "跟进记录"),
    "complaint_summary": Text("Complaint Summary", "投诉汇总"),
    "run_log": Text("Run Log", "运行记录"),
}

_COLUMN_KEYS = {label.casefold(): key for key, t in OWN_COLUMNS.items() for label in t}
_SHEET_KEYS = {label.casefold(): key for key, t in OWN_SHEETS.items() for label in t}


def label(key: str, lang: Lang) -> str:
    """The label of our column or sheet `key` in `lang`.

    >>> label("issues", "zh"), label("validation", "en")
    ('数据问题', 'Validation')
    """
    text = OWN_COLUMNS.get(key) or OWN_SHEETS[key]
    return say(text, lang)


def own_column_key(header: object) -> str | None:
    """The key of our own column with this header (either language), or None.

    >>> own_column_key("数据问题"), own_column_key("Phone")
    ('issues', None)
    """
    return _COLUMN_KEYS.get(str(header).strip().casefold()) if header is not None else None


def own_sheet_key(name: str) -> str | None:
    """The key of our own sheet with this name (either language), or None."""
    return _SHEET_KEYS.get(name.strip().casefold())


def is_own_sheet(name: str) -> bool:
    """True for our sheets, including per-owner views named "<our label> - <owner>".

    >>> is_own_sheet("跟进提醒 - 王芳"), is_own_sheet("客户")
    (True, False)
    """
    if own_sheet_key(name) is not None:
        return True
    folded = name.strip().casefold()
    return any(
        folded.startswith(f"{label} - ".casefold()) for t in OWN_SHEETS.values() for label in t
    )


def detect_lang(headers: list[str]) -> Lang:
    """'zh' when most header text is Chinese, else 'en'.

    >>> detect_lang(["姓名", "手机", "Email"]), detect_lang(["Name", "Phone"])
    ('zh', 'en')
    """
    cjk = sum(1 for h in headers if any("\u4e00" <= ch <= "\u9fff" for ch in h))
    return "zh" if cjk * 2 >= max(len(headers), 1) and cjk > 0 else "en"
