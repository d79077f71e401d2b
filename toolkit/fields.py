"""Canonical fields of customer, transaction and complaint tables, and their header aliases.

Headers in real workbooks vary (姓名/客户名称/Name/Customer Name, 手机/电话/Mobile...). Each
canonical field lists the headers it is known by, in Chinese and English; `match_header` maps a
header to a field after folding case, width, spaces, punctuation and bracketed hints such as
"手机号（必填）" or "Phone (mobile)". Unknown headers map to nothing and are left alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from toolkit.table import TableKind

FieldType = Literal["id", "text", "name", "phone", "email", "date", "amount", "count", "gender"]


@dataclass(frozen=True)
class FieldSpec:
    """A canonical field: its name, its type, and the headers it goes by."""

    name: str
    type: FieldType
    aliases: tuple[str, ...]
    personal: bool = False  # personal data: masked in reminders, summaries and logs


def _spec(name: str, type_: FieldType, aliases: str, *, personal: bool = False) -> FieldSpec:
    return FieldSpec(name, type_, tuple(a.strip() for a in aliases.split("|")), personal)


CUSTOMER_FIELDS: tuple[FieldSpec, ...] = (
    _spec(
        "customer_id",
        "id",
        "客户编号|客户ID|客户编码|客户代码|会员号|会员编号|编号|"
        "Customer ID|Customer No|Customer Number|Client ID|Account ID|ID|Cust ID",
    ),
    _spec(
        "name",
        "name",
        "姓名|客户名称|客户姓名|联系人|联系人姓名|名字|客户|会员姓名|"
        "Name|Customer Name|Full Name|Contact|Contact Name|Client Name|Client",
        personal=True,
    ),
    _spec(
        "first_name",
        "name",
        "名|名（不含姓）|First Name|Given Name|Forename|FirstName",
        personal=True,
    ),
    _spec("last_name", "name", "姓|姓氏|Last Name|Surname|Family Name|LastName", personal=True),
    _spec("gender", "gender", "性别|Gender|Sex"),
    _spec(
        "birthday",
        "date",
        "生日|出生日期|出生年月日|出生年月|Birthday|Date of Birth|DOB|Birth Date|Birthdate",
        personal=True,
    ),
    _spec(
        "phone",
        "phone",
        "手机|手机号|手机号码|电话|联系电话|联系方式|移动电话|电话号码|"
        "Mobile|Phone|Phone Number|Cell|Mobile Phone|Cell Phone|Mobile Number|Tel",
        personal=True,
    ),
    _spec(
        "phone2",
        "phone",
        "备用电话|座机|固定电话|办公电话|电话2|其他电话|"
        "Landline|Telephone|Work Phone|Other Phone|Phone 2|Office Phone",
        personal=True,
    ),
    _spec(
        "email",
        "email",
        "邮箱|电子邮箱|电子邮件|邮件|邮箱地址|Email|E-mail|Email Address|Mail|E-mail Address",
        personal=True,
    ),
    _spec(
        "company",
        "text",
        "公司|公司名称|单位|企业名称|工作单位|所在公司|"
        "Company|Company Name|Organization|Organisation|Employer|Account Name",
    ),
    _spec("title", "text", "职位|职务|头衔|岗位|Title|Job Title|Position|Role"),
    _spec("industry", "text", "行业|所属行业|行业类别|Industry|Sector|Vertical"),
    _spec("region", "text", "地区|区域|省份|省|所在地区|所在省份|Region|Province|State|Area"),
    _spec("city", "text", "城市|所在城市|市|City|Town"),
    _spec(
        "address",
        "text",
        "地址|详细地址|联系地址|通讯地址|收货地址|"
        "Address|Street Address|Mailing Address|Postal Address",
        personal=True,
    ),
    _spec(
        "owner",
        "text",
        "负责人|客户经理|销售|跟进人|归属销售|所属销售|业务员|销售负责人|"
        "Owner|Account Manager|Sales Rep|Salesperson|Assigned To|Account Owner",
    ),
    _spec(
        "signup_date",
        "date",
        "注册日期|注册时间|开户日期|创建日期|建档日期|首次合作日期|入会日期|"
        "Signup Date|Sign-up Date|Registration Date|Created|Join Date|Customer Since|"
        "Created Date|Date Joined",
    ),
    _spec(
        "last_purchase_date",
        "date",
        "最近购买日期|最后购买日期|最近购买|最近下单时间|"
        "最近下单日期|最后消费日期|最近消费日期|上次购买|Last Purchase|Last Purchase Date|"
        "Last Order Date|Last Order|Most Recent Purchase",
    ),
    _spec(
        "purchase_count",
        "count",
        "购买次数|消费次数|订单数|下单次数|订单数量|累计订单|"
        "Purchase Count|Orders|Order Count|Number of Orders|Purchases|Frequency",
    ),
    _spec(
        "total_amount",
        "amount",
        "累计消费|消费总额|累计金额|总金额|总消费|消费金额|累计消费金额|"
        "Total Amount|Total Spent|Total Spend|Lifetime Value|Revenue|Total Revenue|Monetary|"
        "Total Purchases",
    ),
    _spec(
        "last_contact_date",
        "date",
        "最近联系日期|最后联系日期|上次联系|最近联系|最近跟进日期|"
        "最后跟进时间|最近跟进|Last Contact|Last Contact Date|Last Contacted|Last Follow-up|"
        "Last Followup",
    ),
    _spec("status", "text", "客户状态|状态|Status|Customer Status|Stage"),
    _spec("wechat", "text", "微信|微信号|WeChat|WeChat ID", personal=True),
    _spec(
        "id_number",
        "id",
        "身份证号|身份证|证件号码|身份证号码|证件号|身份证件号码|公民身份号码|"
        "ID Number|National ID|ID Card|ID No|ID Card Number|National ID Number|"
        "Identity Number|Identity Card Number",
        personal=True,
    ),
    _spec("notes", "text", "备注|说明|Notes|Note|Remarks|Comments|Comment"),
)

TRANSACTION_FIELDS: tuple[FieldSpec, ...] = (
    _spec(
        "order_id",
        "id",
        "订单号|订单编号|单号|订单ID|流水号|Order ID|Order No|Order Number|"
        "Invoice No|Invoice Number|Transaction ID",
    ),
    _spec("customer_id", "id", "客户编号|客户ID|客户编码|会员号|Customer ID|Customer No|Client ID"),
    _spec(
        "customer_name",
        "name",
        "客户|客户名称|客户姓名|姓名|Customer|Customer Name|Name|Client",
        personal=True,
    ),
    _spec(
        "order_date",
        "date",
        "下单日期|订单日期|购买日期|交易日期|下单时间|日期|"
        "Order Date|Date|Purchase Date|Transaction Date|Ordered",
    ),
    _spec("product", "text", "产品|商品|商品名称|产品名称|品名|Product|Item|SKU|Product Name"),
    _spec("quantity", "count", "数量|件数|Quantity|Qty|Units"),
    _spec(
        "amount",
        "amount",
        "金额|订单金额|实付金额|交易金额|成交金额|"
        "Amount|Total|Order Amount|Order Total|Value|Sales",
    ),
)

COMPLAINT_FIELDS: tuple[FieldSpec, ...] = (
    _spec(
        "complaint_id",
        "id",
        "投诉编号|工单号|投诉单号|工单编号|投诉ID|"
        "Complaint ID|Ticket ID|Case ID|Ticket No|Case No|Ticket",
    ),
    _spec("customer_id", "id", "客户编号|客户ID|客户编码|会员号|Customer ID|Customer No|Client ID"),
    _spec(
        "customer_name",
        "name",
        "客户|客户名称|客户姓名|姓名|Customer|Customer Name|Name|Client",
        personal=True,
    ),
    _spec(
        "date",
        "date",
        "投诉日期|投诉时间|受理日期|受理时间|日期|提交日期|"
        "Date|Complaint Date|Received|Opened|Date Received|Created",
    ),
    _spec("category", "text", "类别|投诉类别|投诉类型|分类|问题类型|Category|Type|Complaint Type"),
    _spec(
        "description",
        "text",
        "描述|投诉内容|问题描述|内容|详情|投诉描述|Description|Details|Complaint|Issue|Summary",
    ),
    _spec("status", "text", "状态|处理状态|进度|Status|State"),
    _spec(
        "first_response_date",
        "date",
        "首次响应日期|首次响应时间|首次回复|响应日期|First Response|First Response Date|Responded",
    ),
    _spec(
        "resolved_date",
        "date",
        "解决日期|解决时间|结案日期|处理完成日期|完成日期|"
        "Resolved Date|Resolved|Closed Date|Resolution Date|Date Resolved|Closed",
    ),
    _spec("channel", "text", "渠道|投诉渠道|来源|Channel|Source"),
    _spec("owner", "text", "负责人|处理人|跟进人|经办人|Owner|Handler|Assignee|Assigned To"),
)

FIELDS: dict[TableKind, tuple[FieldSpec, ...]] = {
    "customers": CUSTOMER_FIELDS,
    "transactions": TRANSACTION_FIELDS,
    "complaints": COMPLAINT_FIELDS,
}

# A second column with the same meaning goes to this field (two phone columns: 手机, 电话).
SECOND_FIELD = {"phone": "phone2"}

_BRACKETS = re.compile(r"[(\[{（【].*?[)\]}）】]")
_NOISE = re.compile(r"[\s_\-:：*＊.。/\\#]+")


def header_key(header: object) -> str:
    """A header folded for matching: width, case, brackets, spaces and punctuation removed.

    >>> header_key(" 手机号（必填）"), header_key("E-Mail Address:"), header_key("ＰＨＯＮＥ")
    ('手机号', 'emailaddress', 'phone')
    """
    text = unicodedata.normalize("NFKC", str(header or "")).casefold().strip()
    stripped = _BRACKETS.sub("", text)
    return _NOISE.sub("", stripped or text)


_ALIAS_INDEX: dict[TableKind, dict[str, str]] = {
    kind: {header_key(alias): spec.name for spec in specs for alias in spec.aliases}
    for kind, specs in FIELDS.items()
}


def match_header(header: object, kind: TableKind) -> str | None:
    """The canonical field a header names in a table of `kind`, or None.

    >>> match_header("联系电话", "customers"), match_header("E-mail", "customers")
    ('phone', 'email')
    >>> match_header("Favourite colour", "customers") is None
    True
    """
    key = header_key(header)
    return _ALIAS_INDEX[kind].get(key) if key else None


def field_spec(kind: TableKind, name: str) -> FieldSpec:
    """The spec of field `name` in tables of `kind`; KeyError when there is none."""
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(f"no field {name!r} in {kind}")


def field_names(kind: TableKind) -> tuple[str, ...]:
    """Every canonical field name of a table kind."""
    return tuple(spec.name for spec in FIELDS[kind])
