"""Company and address keys."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from toolkit.normalize import address_key, company_key
from toolkit.table import CellValue

BYTEDANCE = [
    "字节跳动科技有限公司",
    "北京字节跳动科技有限公司",
    "北京市字节跳动科技有限公司",
    "字节跳动科技（北京）有限公司",
    "字节跳动科技(北京)有限公司",
    "【北京】字节跳动科技有限公司",
    "字节跳动科技有限责任公司",
    "字节跳动科技股份有限公司",
    "字節跳動科技有限公司",
    "字节跳动科技 有限公司",
    "字节跳动科技",
]


@pytest.mark.parametrize("written", BYTEDANCE)
def test_spellings_of_a_company_meet(written: str) -> None:
    assert company_key(written) == "字节跳动科技"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("广东省深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
        ("深圳市腾讯计算机系统有限公司", "腾讯计算机系统"),
        ("阿里巴巴集团", "阿里巴巴"),
        ("阿里巴巴集团有限公司", "阿里巴巴"),
        ("阿里巴巴（中国）有限公司", "阿里巴巴"),
        ("上海银行", "上海银行"),  # too little would remain without the city
        ("上海银行股份有限公司", "上海银行"),
        ("上海汽车集团股份有限公司", "上海汽车"),
        # A branch is its own customer: the branch stays in the key however it is written.
        ("平安保险（深圳分公司）", "平安保险深圳分公司"),
        ("平安保险有限公司深圳分公司", "平安保险深圳分公司"),
        ("平安保险深圳分公司", "平安保险深圳分公司"),
        ("Acme Trading Co., Ltd.", "acmetrading"),
        ("ACME TRADING CO.,LTD", "acmetrading"),
        ("Acme Trading Co.,Ltd", "acmetrading"),
        ("Acme Trading Company Limited", "acmetrading"),
        ("Acme Trading Limited", "acmetrading"),
        ("Acme Trading Ltd", "acmetrading"),
        ("Acme Inc.", "acme"),
        ("Acme, Inc", "acme"),
        ("Acme Corp.", "acme"),
        ("Acme Corporation", "acme"),
        ("Acme LLC", "acme"),
        ("Siemens GmbH", "siemens"),
        ("Acme PLC", "acme"),
        ("Ａｃｍｅ Ｌｔｄ", "acme"),
        ("Company", "company"),  # nothing but a legal form: kept rather than emptied
        ("有限公司", "有限公司"),
        ("Nestlé", "nestle"),
        (None, ""),
        (123, "123"),
    ],
)
def test_company_key(written: CellValue, key: str) -> None:
    assert company_key(written) == key


def test_branches_and_head_offices_differ() -> None:
    assert company_key("平安保险深圳分公司") != company_key("平安保险有限公司")
    assert company_key("平安保险深圳分公司") != company_key("平安保险上海分公司")


BASE_CHARACTERS = "字节跳动科技腾讯网易巴美团拼多宝星辰光明远晨曦"
CHINESE_FORMS = ["", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "集团", "公司"]
BRACKETED_REGIONS = ["", "（北京）", "(上海)", "【深圳】", "（广东）", "[杭州]", "（中国）"]
LEADING_REGIONS = ["", "北京", "上海市", "广东省", "广东省深圳市", "浙江杭州"]


@settings(max_examples=500)
@given(
    base=st.text(alphabet=BASE_CHARACTERS, min_size=3, max_size=8),
    form=st.sampled_from(CHINESE_FORMS),
    bracket=st.sampled_from(BRACKETED_REGIONS),
    region=st.sampled_from(LEADING_REGIONS),
    bracket_last=st.booleans(),
)
def test_company_key_ignores_region_and_legal_form(
    base: str, form: str, bracket: str, region: str, bracket_last: bool
) -> None:
    tail = form + bracket if bracket_last else bracket + form
    assert company_key(region + base + tail) == company_key(base) == base


LATIN_FORMS = [
    " Co., Ltd.",
    " Co.,Ltd",
    " Company Limited",
    " Limited",
    " Ltd",
    " Ltd.",
    " Inc.",
    ", Inc",
    " Corp.",
    " Corporation",
    " LLC",
    " GmbH",
    " PLC",
    "",
]
LATIN_WORDS = st.from_regex(r"[A-Za-z]{2,10}", fullmatch=True)


@settings(max_examples=300)
@given(words=st.lists(LATIN_WORDS, min_size=1, max_size=3), form=st.sampled_from(LATIN_FORMS))
def test_company_key_ignores_latin_legal_forms(words: list[str], form: str) -> None:
    legal = {
        "co",
        "company",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "llc",
        "gmbh",
        "plc",
        "pte",
        "pty",
        "llp",
    }
    assume(words[-1].lower() not in legal)
    base = " ".join(words)
    assert company_key(base + form) == company_key(base.upper()) == base.lower().replace(" ", "")


@pytest.mark.parametrize(
    "written",
    [
        "广东省深圳市南山区科技园1号",
        "广东深圳南山区科技园1号",
        "广东 深圳 南山区 科技园 1 号",
        "深圳市南山区科技园1号",
        "深圳南山区科技园1号",
        "中国广东省深圳市南山区科技园１号",
        "廣東省深圳市南山區科技園1號",
        "广东省, 深圳市, 南山区, 科技园1号",
    ],
)
def test_spellings_of_an_address_meet(written: str) -> None:
    assert address_key(written) == "深圳南山区科技园1号"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("北京市朝阳区建国路1号", "北京朝阳区建国路1号"),  # a municipality is a city
        ("北京朝阳区建国路1号", "北京朝阳区建国路1号"),
        ("新疆维吾尔自治区乌鲁木齐市天山区", "乌鲁木齐天山区"),
        ("浙江省杭州市西湖区", "杭州西湖区"),
        ("湖南路8号", "湖南路8号"),  # a street named after a province keeps its name
        ("湖北路8号", "湖北路8号"),
        ("市场路1号", "市场路1号"),
        ("广东省", "广东省"),  # nothing but a province: kept rather than emptied
        ("1 Main St., Springfield", "1mainstspringfield"),
        (None, ""),
    ],
)
def test_address_key(written: CellValue, key: str) -> None:
    assert address_key(written) == key
