"""What validation says about each problem, in English and Chinese.

`MESSAGES` is the sentence for the Validation sheet; `SHORT` the few words that go into the
Issues column next to the column's own header ("手机: 号码无效").
"""

from __future__ import annotations

from toolkit.i18n import Text

MESSAGES: dict[str, Text] = {
    "required_missing": Text("required value is empty", "必填项为空"),
    "column_missing": Text(
        "required column not found in sheet '{sheet}' (found: {found}); map it in custkit.toml "
        '[columns] {field} = "<header>"',
        "工作表「{sheet}」中找不到必填列（现有列：{found}）；请在 custkit.toml 的 [columns] 中设置 "
        '{field} = "<列名>"',
    ),
    "phone_invalid": Text("not a valid phone number", "电话号码无效（位数或号段不对）"),
    "phone_format": Text("phone number not in standard form", "电话号码格式不规范"),
    "email_invalid": Text("not a valid email address", "邮箱地址无效"),
    "email_format": Text(
        "email address not in standard form", "邮箱格式不规范（空格、大写或全角）"
    ),
    "date_invalid": Text("not a date", "不是有效日期"),
    "date_impossible": Text("no such date", "日期不存在"),
    "date_future": Text("date is after today ({as_of})", "日期晚于今天（{as_of}）"),
    "date_too_old": Text("date is before {year}", "日期早于 {year} 年"),
    "date_format": Text(
        "date written as text or a number, not as a date", "日期以文本或数字填写，不是日期格式"
    ),
    "date_ambiguous": Text("day and month could be either way round", "日和月的顺序不明确"),
    "amount_invalid": Text("not an amount", "不是有效金额"),
    "amount_format": Text("amount written as text", "金额以文本填写（含符号或单位）"),
    "amount_negative": Text("negative amount", "金额为负数"),
    "count_invalid": Text("not a whole number", "不是有效的整数"),
    "count_format": Text("count written as text", "次数以文本填写"),
    "count_negative": Text("negative count", "次数为负数"),
    "gender_invalid": Text("unknown gender value", "无法识别的性别"),
    "gender_format": Text("gender not in standard form", "性别写法不规范"),
    "text_spaces": Text("stray spaces", "多余的空格"),
    "name_spaces": Text("spaces inside a Chinese name", "中文姓名中有空格"),
    "text_fullwidth": Text("full-width letters or digits", "含全角字母或数字"),
}

SHORT: dict[str, Text] = {
    "required_missing": Text("missing", "缺失"),
    "column_missing": Text("column missing", "缺少列"),
    "phone_invalid": Text("invalid number", "号码无效"),
    "phone_format": Text("format", "格式不规范"),
    "email_invalid": Text("invalid", "无效"),
    "email_format": Text("format", "格式不规范"),
    "date_invalid": Text("not a date", "非日期"),
    "date_impossible": Text("no such date", "日期不存在"),
    "date_future": Text("in the future", "晚于今天"),
    "date_too_old": Text("too old", "过早"),
    "date_format": Text("text date", "文本日期"),
    "date_ambiguous": Text("ambiguous", "日月不明"),
    "amount_invalid": Text("not an amount", "非金额"),
    "amount_format": Text("text amount", "文本金额"),
    "amount_negative": Text("negative", "负数"),
    "count_invalid": Text("not a number", "非整数"),
    "count_format": Text("text count", "文本次数"),
    "count_negative": Text("negative", "负数"),
    "gender_invalid": Text("unknown", "无法识别"),
    "gender_format": Text("format", "写法不规范"),
    "text_spaces": Text("spaces", "多余空格"),
    "name_spaces": Text("spaces", "多余空格"),
    "text_fullwidth": Text("full-width", "全角字符"),
}

SHEET_HEADER = {
    "en": ("Sheet", "Row", "Column", "Field", "Value", "Problem", "Suggestion", "Status"),
    "zh": ("工作表", "行", "列", "字段", "原值", "问题", "建议修改", "状态"),
}
STATUS_OPEN = Text("open", "待处理")
STATUS_FIXED = Text("fixed", "已修正")
NO_PROBLEMS = Text("No problems found.", "未发现问题。")
