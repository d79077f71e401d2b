"""Matching keys for company names and addresses.

"北京字节跳动科技有限公司", "字节跳动科技（北京）有限公司" and "字節跳動科技有限公司" are one
company: regions in brackets, a leading province or city and legal forms are dropped.
A branch is another customer than its head office, so "上海分公司" stays in the key, wherever
it is written. A leading region is kept when fewer than three characters would remain, so
"上海银行" does not become "银行".
"""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.normalize.text import (
    CACHE_SIZE,
    CJK,
    LONGEST_KEY_TEXT,
    cell_text,
    fold_width,
    strip_accents,
    to_simplified,
    words,
)
from toolkit.table import CellValue

PROVINCES = words(
    "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 "
    "四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆"
)
# Provincial municipalities and SARs are cities too: "北京朝阳区" names a city, not a province.
CITIES = words(
    "北京 天津 上海 重庆 香港 澳门 深圳 广州 杭州 南京 苏州 成都 武汉 西安 长沙 郑州 青岛 "
    "济南 沈阳 大连 厦门 福州 宁波 无锡 合肥 昆明 南昌 南宁 贵阳 太原 石家庄 哈尔滨 长春 "
    "兰州 海口 三亚 呼和浩特 乌鲁木齐 银川 西宁 拉萨 东莞 佛山 珠海 中山 惠州 温州 绍兴 "
    "嘉兴 金华 台州 常州 南通 徐州 扬州 烟台 潍坊 泉州 漳州 唐山 保定 洛阳 宜昌 襄阳 芜湖 "
    "柳州 桂林 绵阳 遵义 汕头 江门 湛江 肇庆 昆山 义乌 台北 高雄"
)
_PROVINCE_FULL = words(
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 "
    "香港特别行政区 澳门特别行政区"
)


def _alternation(names: tuple[str, ...]) -> str:
    """A regex alternation of names, longest first so that 黑龙江 is not read as 黑."""
    return "|".join(sorted(names, key=len, reverse=True))


_REGION = _alternation(PROVINCES + CITIES + _PROVINCE_FULL)
_LEADING_REGION = re.compile(rf"(?:中国)?(?:{_REGION})(?:省|市|自治区|特别行政区)?")

_BRANCH = re.compile(r"分公司|分行|支行|分店|办事处|营业部|分部|branch")
_BRACKETED = re.compile(r"[(\[【〔{]([^()\[\]【】〔〕{}]*)[)\]】〕}]")
# Legal forms anywhere; 分公司 is matched first only so that its 公司 is not taken away.
_CHINESE_FORMS = re.compile(
    r"(分公司)|集团股份有限公司|集团有限公司|股份有限公司|有限责任公司|有限公司|股份公司|"
    r"集团公司|集团|公司"
)
_LATIN_FORMS = "co|company|ltd|limited|inc|incorporated|corp|corporation|llc|gmbh|plc|pte|pty|llp"
_LATIN_TAIL = re.compile(rf"(?:[\W_]*\b(?:{_LATIN_FORMS})\b)+[\W_]*$")
_NOT_WORD = re.compile(r"[\W_]+")
_MIN_AFTER_REGION = 3
_COUNTRY = re.compile("中国|中华人民共和国")


def company_key(value: CellValue) -> str:
    """A company name folded for matching: regions, legal forms, punctuation and case dropped.

    >>> company_key("北京字节跳动科技有限公司") == company_key("字節跳動科技（北京）有限公司")
    True
    >>> company_key("Acme Trading Co., Ltd."), company_key("平安保险（深圳分公司）")
    ('acmetrading', '平安保险深圳分公司')
    """
    return _company_key(cell_text(value)[:LONGEST_KEY_TEXT])


@lru_cache(maxsize=CACHE_SIZE)
def _company_key(text: str) -> str:
    text = to_simplified(strip_accents(fold_width(text))).casefold()
    text = _BRACKETED.sub(_keep_branch, text)
    text = _strip_latin_forms(text)
    stripped = _CHINESE_FORMS.sub(lambda m: m.group(1) or "", text)
    key = _NOT_WORD.sub("", stripped) or _NOT_WORD.sub("", text)
    return _strip_leading_region(key)


def _keep_branch(match: re.Match[str]) -> str:
    """A bracketed region goes; a bracketed branch ("（深圳分公司）") is part of the name."""
    inner = match.group(1)
    return f" {inner} " if _BRANCH.search(inner) else " "


def _strip_latin_forms(text: str) -> str:
    """Trailing words like "Co., Ltd." or "Inc", as long as something remains."""
    tail = _LATIN_TAIL.search(text)
    if tail is None or not _NOT_WORD.sub("", text[: tail.start()]):
        return text
    return text[: tail.start()]


def _strip_leading_region(key: str) -> str:
    for _ in range(2):  # 广东省深圳市腾讯 -> 深圳市腾讯 -> 腾讯
        match = _LEADING_REGION.match(key)
        if match is None or len(key) - match.end() < _MIN_AFTER_REGION:
            break
        key = key[match.end() :]
    return key


# Addresses: a province before its city is redundant ("广东省深圳市" is "深圳"), and 省/市 are
# written or left out at will. A bare province name counts only before a city: "湖南路" is a
# street in many cities, and must not become "路".
_PROVINCE_NAME = _alternation(PROVINCES + _PROVINCE_FULL)
_CITY_NEXT = rf"(?=(?:{_alternation(CITIES)})|{CJK}{{2,4}}?市)"
_ADDRESS_PROVINCE = re.compile(
    rf"(?:{_PROVINCE_NAME}|{CJK}{{2,3}}?)(?:省|自治区)|(?:{_PROVINCE_NAME}){_CITY_NEXT}"
)
_ADDRESS_CITY = re.compile(rf"(?P<city>{CJK}{{2,4}}?)市(?!场)")


def address_key(value: CellValue) -> str:
    """An address folded for matching: country, province and the words 省/市 dropped.

    >>> address_key("广东省深圳市南山区科技园１号") == address_key("广东 深圳 南山区科技园1号")
    True
    >>> address_key("深圳市南山区科技园1号"), address_key("湖南路 8 号")
    ('深圳南山区科技园1号', '湖南路8号')
    """
    return _address_key(cell_text(value)[:LONGEST_KEY_TEXT])


@lru_cache(maxsize=CACHE_SIZE)
def _address_key(text: str) -> str:
    text = _NOT_WORD.sub("", to_simplified(strip_accents(fold_width(text))).casefold())
    text = _drop_prefix(_COUNTRY.match(text), text)
    text = _drop_prefix(_ADDRESS_PROVINCE.match(text), text)
    city = _ADDRESS_CITY.match(text)
    return city.group("city") + text[city.end() :] if city is not None else text


def _drop_prefix(prefix: re.Match[str] | None, text: str) -> str:
    """Text without a matched prefix, unless nothing would remain."""
    return text[prefix.end() :] if prefix is not None and prefix.end() < len(text) else text
