"""Word pools behind the demo workbooks: names, companies, cities, products, complaint texts.

Everything is a tuple (never a set) so that a seeded `random.Random` draws the same values on
every run. Pinyin and traditional characters are spelled out here instead of being computed
with pypinyin or OpenCC, so that an upgrade of either library cannot change the shipped demo
workbooks (pypinyin also has no surname readings: 曾 would come out as ceng).
"""

from __future__ import annotations

# The pools are tables: one row of data per line reads better than one value per line.
# fmt: off

# ---------------------------------------------------------------- Chinese people

# (surname, pinyin, weight): weights follow the real frequency ranking roughly.
ZH_SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("王", "wang", 10), ("李", "li", 10), ("张", "zhang", 9), ("刘", "liu", 7),
    ("陈", "chen", 7), ("杨", "yang", 5), ("黄", "huang", 4), ("赵", "zhao", 4),
    ("吴", "wu", 4), ("周", "zhou", 4), ("徐", "xu", 3), ("孙", "sun", 3), ("马", "ma", 3),
    ("朱", "zhu", 3), ("胡", "hu", 3), ("郭", "guo", 3), ("何", "he", 2), ("高", "gao", 2),
    ("林", "lin", 2), ("罗", "luo", 2), ("郑", "zheng", 2), ("梁", "liang", 2),
    ("谢", "xie", 2), ("宋", "song", 2), ("唐", "tang", 2), ("许", "xu", 2), ("韩", "han", 2),
    ("冯", "feng", 1), ("邓", "deng", 1), ("曹", "cao", 1), ("彭", "peng", 1),
    ("曾", "zeng", 1), ("萧", "xiao", 1), ("蔡", "cai", 1), ("沈", "shen", 1),
    ("欧阳", "ouyang", 1),
)

# Given-name characters with their pinyin, by the gender they usually suggest.
ZH_GIVEN_MALE: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("超", "chao"), ("刚", "gang"), ("辉", "hui"),
    ("鹏", "peng"), ("浩", "hao"), ("斌", "bin"), ("峰", "feng"), ("龙", "long"),
    ("凯", "kai"), ("俊", "jun"), ("昊", "hao"), ("博", "bo"), ("建", "jian"),
    ("国", "guo"), ("志", "zhi"), ("东", "dong"), ("海", "hai"), ("波", "bo"),
)
ZH_GIVEN_FEMALE: tuple[tuple[str, str], ...] = (
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("艳", "yan"), ("娟", "juan"), ("秀", "xiu"), ("霞", "xia"), ("玲", "ling"),
    ("婷", "ting"), ("颖", "ying"), ("琳", "lin"), ("雪", "xue"), ("梅", "mei"),
    ("红", "hong"), ("倩", "qian"), ("慧", "hui"), ("欣", "xin"), ("怡", "yi"),
)
ZH_GIVEN_NEUTRAL: tuple[tuple[str, str], ...] = (
    ("明", "ming"), ("华", "hua"), ("文", "wen"), ("平", "ping"), ("宇", "yu"),
    ("佳", "jia"), ("晓", "xiao"), ("涵", "han"), ("晨", "chen"), ("一", "yi"),
    ("思", "si"), ("雨", "yu"), ("嘉", "jia"), ("宁", "ning"), ("洋", "yang"),
)

# Common full names that real customer lists hold several of; namesakes are drawn from here.
# (name, pinyin, gender)
ZH_COMMON_NAMES: tuple[tuple[str, str, str], ...] = (
    ("王伟", "wangwei", "男"), ("李娜", "lina", "女"), ("张伟", "zhangwei", "男"),
    ("王芳", "wangfang", "女"), ("刘洋", "liuyang", "男"), ("张敏", "zhangmin", "女"),
    ("李静", "lijing", "女"), ("王磊", "wanglei", "男"),
)

# Surnames written with a homophone by mistake (章 for 张): the same reading, another character.
ZH_HOMOPHONE_SURNAMES: tuple[tuple[str, str], ...] = (
    ("张", "章"), ("王", "汪"), ("李", "黎"), ("刘", "柳"), ("徐", "许"), ("吴", "武"),
    ("杨", "阳"), ("林", "蔺"),
)

# Simplified -> traditional for the characters of the pools that differ (checked against
# OpenCC s2t by the tests).
ZH_TRADITIONAL: tuple[tuple[str, str], ...] = (
    ("张", "張"), ("刘", "劉"), ("陈", "陳"), ("杨", "楊"), ("黄", "黃"), ("赵", "趙"),
    ("吴", "吳"), ("孙", "孫"), ("马", "馬"), ("罗", "羅"), ("郑", "鄭"),
    ("谢", "謝"), ("许", "許"), ("韩", "韓"), ("冯", "馮"), ("邓", "鄧"), ("伟", "偉"),
    ("强", "強"), ("军", "軍"), ("杰", "傑"), ("涛", "濤"), ("刚", "剛"), ("辉", "輝"),
    ("鹏", "鵬"), ("龙", "龍"), ("凯", "凱"), ("国", "國"), ("东", "東"), ("丽", "麗"),
    ("艳", "豔"), ("颖", "穎"), ("红", "紅"), ("华", "華"), ("晓", "曉"), ("宁", "寧"),
    ("静", "靜"), ("欧", "歐"), ("阳", "陽"), ("萧", "蕭"), ("峰", "峯"),
)

ZH_EMAIL_DOMAINS: tuple[str, ...] = (
    "163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "gmail.com", "outlook.com",
)

# (city, districts, roads): the city as written in the 城市 column.
ZH_CITIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], int], ...] = (
    ("北京", ("朝阳区", "海淀区", "东城区", "西城区", "丰台区"),
     ("建国路", "中关村大街", "学院路", "东三环中路", "西直门外大街"), 9),
    ("上海", ("浦东新区", "徐汇区", "静安区", "黄浦区", "闵行区"),
     ("世纪大道", "淮海中路", "南京西路", "漕溪北路", "张江路"), 9),
    ("广州", ("天河区", "越秀区", "海珠区", "番禺区"),
     ("天河路", "中山五路", "江南大道", "珠江新城华夏路"), 6),
    ("深圳", ("南山区", "福田区", "罗湖区", "宝安区"),
     ("科技园南路", "深南大道", "福华一路", "宝安大道"), 7),
    ("杭州", ("西湖区", "上城区", "滨江区", "余杭区"),
     ("文三路", "延安路", "江南大道", "文一西路"), 5),
    ("成都", ("锦江区", "武侯区", "高新区"), ("春熙路", "人民南路", "天府大道"), 4),
    ("武汉", ("江汉区", "洪山区", "武昌区"), ("解放大道", "珞喻路", "中北路"), 3),
    ("南京", ("鼓楼区", "玄武区", "建邺区"), ("中山路", "珠江路", "江东中路"), 3),
    ("苏州", ("姑苏区", "工业园区"), ("人民路", "星湖街"), 2),
    ("西安", ("雁塔区", "碑林区"), ("长安南路", "南大街"), 2),
    ("重庆", ("渝中区", "江北区"), ("解放碑民族路", "观音桥步行街"), 2),
    ("天津", ("和平区", "南开区"), ("南京路", "鞍山西道"), 2),
)

# (brand, pinyin): a few brands carry Latin letters, as real ones do (for full-width mess).
ZH_BRANDS: tuple[tuple[str, str], ...] = (
    ("星辰", "xingchen"), ("华信", "huaxin"), ("恒通", "hengtong"), ("瑞丰", "ruifeng"),
    ("博远", "boyuan"), ("天合", "tianhe"), ("宏达", "hongda"), ("金桥", "jinqiao"),
    ("海纳", "haina"), ("联创", "lianchuang"), ("鼎盛", "dingsheng"), ("易达", "yida"),
    ("锦程", "jincheng"), ("新航", "xinhang"), ("远景", "yuanjing"), ("正元", "zhengyuan"),
    ("汇通", "huitong"), ("嘉禾", "jiahe"), ("明德", "mingde"), ("泰和", "taihe"),
    ("光华", "guanghua"), ("云帆", "yunfan"), ("启明", "qiming"), ("万象", "wanxiang"),
    ("智云AI", "zhiyunai"), ("蓝鲸IT", "lanjingit"), ("e路通", "elutong"), ("优派3D", "youpai3d"),
)

# (company word, industry): the industry column agrees with the company's trade.
ZH_TRADES: tuple[tuple[str, str], ...] = (
    ("科技", "互联网"), ("信息技术", "软件和信息服务"), ("贸易", "批发零售"),
    ("电子商务", "电子商务"), ("文化传媒", "文化传媒"), ("餐饮管理", "餐饮"),
    ("物流", "物流运输"), ("医疗器械", "医疗健康"), ("教育咨询", "教育培训"),
    ("建筑工程", "建筑"), ("机械制造", "制造业"), ("投资管理", "金融"), ("置业", "房地产"),
)
ZH_COMPANY_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("有限公司", 8), ("股份有限公司", 1), ("有限责任公司", 1),
)

ZH_TITLES: tuple[str, ...] = (
    "总经理", "副总经理", "采购经理", "采购专员", "市场总监", "财务经理", "技术总监",
    "行政主管", "销售经理", "运营经理", "项目经理", "董事长", "店长", "人事经理",
)
ZH_OWNERS: tuple[str, ...] = ("周婷", "孙浩然", "赵磊", "陈静怡", "吴凯")
ZH_INTERESTS: tuple[str, ...] = (
    "高尔夫", "茶艺", "摄影", "旅游", "阅读", "健身", "美食", "钓鱼", "书法", "红酒", "跑步",
)
ZH_NOTES: tuple[str, ...] = (
    "VIP客户", "偏好电话联系", "春节前需回访", "已加微信", "需要开增值税专用发票",
    "对价格敏感", "老客户介绍", "只在工作日联系", "希望上门演示",
)
# Customer text that looks like a formula: it must be written and kept as text.
ZH_FORMULA_NOTES: tuple[str, ...] = ("=SUM(A1)", "+86 热线已登记", "-10%折扣已用完")

# (product, unit price)
ZH_PRODUCTS: tuple[tuple[str, float], ...] = (
    ("办公椅", 899.0), ("激光打印机", 1599.0), ("A4复印纸（箱）", 129.0), ("咖啡机", 2399.0),
    ("茶叶礼盒", 368.0), ("无线耳机", 499.0), ("扫地机器人", 1999.0), ("定制保温杯", 89.0),
    ("会员年卡", 1200.0), ("软件服务年费", 6800.0),
)

# Products nobody can scratch or ship: complaints are only about the others.
ZH_SERVICES: tuple[str, ...] = ("会员年卡", "软件服务年费")
EN_SERVICES: tuple[str, ...] = ("Annual Membership", "Software License (1 yr)")

ZH_COMPLAINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("质量", ("收到的{product}有划痕，要求换货", "{product}使用一周后无法开机",
              "{product}做工粗糙，与宣传不符", "{product}包装内缺少配件")),
    ("物流", ("快递延误一周才送到", "外包装破损，{product}受损", "物流信息三天没有更新",
              "{product}送错地址，至今未收到")),
    ("服务", ("客服电话长时间无人接听", "销售人员态度差，不回消息", "安装师傅迟到两个小时",
              "多次反映{product}的问题无人回复")),
    ("价格", ("购买{product}第二天就降价，要求补差价", "发票金额与订单金额不符",
              "优惠券无法使用", "同一笔订单被重复扣款")),
)
ZH_STATUSES: tuple[str, ...] = ("已接收", "调查中", "已解决", "已回访")
ZH_CHANNELS: tuple[str, ...] = ("电话", "微信", "邮件", "官网", "门店")

# ---------------------------------------------------------------- English people

EN_FIRST_MALE: tuple[str, ...] = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
    "Daniel", "Matthew", "Anthony", "Mark", "Steven", "Paul", "Andrew", "Joshua", "Kevin",
    "Brian", "George", "Oliver", "Harry", "Jack", "Charlie", "Samuel", "Ethan", "Ryan",
)
EN_FIRST_FEMALE: tuple[str, ...] = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
    "Sarah", "Karen", "Emily", "Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Grace",
    "Hannah", "Laura", "Rachel", "Megan", "Lucy", "Chloe", "Natalie", "Rebecca",
)
EN_LAST: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson",
    "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
    "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts",
    "Evans", "Turner", "Phillips", "Parker", "Edwards", "Collins", "Stewart", "Morris",
    "Hughes", "Cooper", "Ward", "Wood", "Price", "Bennett", "Murphy", "O'Brien", "Kelly",
)
# Chinese customers of the English workbook, written given name first. (given, surname)
EN_CHINESE_GIVEN: tuple[str, ...] = (
    "Wei", "Fang", "Min", "Jing", "Lei", "Yang", "Jun", "Hui", "Xin", "Ling", "Hao", "Yan",
)
EN_CHINESE_SURNAMES: tuple[str, ...] = (
    "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
)
EN_COMMON_NAMES: tuple[tuple[str, str], ...] = (
    ("Michael Smith", "M"), ("David Jones", "M"), ("Sarah Johnson", "F"),
    ("James Brown", "M"), ("Emma Wilson", "F"),
)
EN_NICKNAMES: tuple[tuple[str, str], ...] = (
    ("Robert", "Bob"), ("William", "Bill"), ("Michael", "Mike"), ("Richard", "Rick"),
    ("Joseph", "Joe"), ("Thomas", "Tom"), ("Daniel", "Dan"), ("Matthew", "Matt"),
    ("Elizabeth", "Liz"), ("Jennifer", "Jen"), ("Patricia", "Pat"), ("Rebecca", "Becky"),
    ("Samuel", "Sam"), ("Andrew", "Andy"), ("Steven", "Steve"), ("Jessica", "Jess"),
)
EN_EMAIL_DOMAINS: tuple[str, ...] = (
    "gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "proton.me",
)

# (city, country, phone prefix, weight). Subscriber numbers come from ranges reserved for
# fiction (US 555-01xx, Ofcom's 496 0xxx drama numbers), so no real person is dialled.
EN_CITIES: tuple[tuple[str, str, str, int], ...] = (
    ("New York", "US", "+1212555", 6), ("San Francisco", "US", "+1415555", 4),
    ("Chicago", "US", "+1312555", 4), ("Boston", "US", "+1617555", 3),
    ("Seattle", "US", "+1206555", 3), ("Austin", "US", "+1512555", 2),
    ("Denver", "US", "+1303555", 2), ("Miami", "US", "+1305555", 2),
    ("London", "UK", "+44207946", 8), ("Manchester", "UK", "+44161496", 3),
    ("Leeds", "UK", "+44113496", 2), ("Bristol", "UK", "+44117496", 2),
    ("Edinburgh", "UK", "+44131496", 2), ("Shanghai", "CN", "+86", 3),
    ("Beijing", "CN", "+86", 2), ("Shenzhen", "CN", "+86", 2),
)
EN_STREETS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("US", ("Market St", "Main St", "Oak Ave", "Park Ave", "Elm St", "5th Ave", "Lake Blvd")),
    ("UK", ("High Street", "Station Road", "Church Lane", "Victoria Road", "King Street")),
    ("CN", ("Century Avenue", "Nanjing Road West", "Jianguo Road", "Shennan Boulevard")),
)
EN_BRANDS: tuple[str, ...] = (
    "Northwind", "Bluewave", "Redwood", "Summit", "Pinecrest", "Ironbridge", "Silverline",
    "Brightpath", "Oakridge", "Harbor", "Evergreen", "Keystone", "Lakeside", "Granite",
    "Meridian", "Horizon", "Cobalt", "Atlas", "Beacon", "Crescent",
)
EN_CHINESE_BRANDS: tuple[str, ...] = ("Huaxin", "Hengtong", "Ruifeng", "Tianhe", "Jinqiao")
EN_TRADES: tuple[tuple[str, str], ...] = (
    ("Analytics", "Technology"), ("Software", "Software"), ("Logistics", "Logistics"),
    ("Foods", "Food & Beverage"), ("Retail", "Retail"), ("Health", "Healthcare"),
    ("Media", "Media"), ("Engineering", "Manufacturing"), ("Capital", "Financial Services"),
    ("Realty", "Real Estate"), ("Learning", "Education"), ("Trading", "Wholesale"),
)
# Legal suffix by country, and the variant a second entry of the same company may carry.
EN_SUFFIXES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("US", ("Inc.", "LLC", "Corp."), ("Inc", "L.L.C.", "Corporation")),
    ("UK", ("Ltd.", "PLC"), ("Limited", "Plc")),
    ("CN", ("Co., Ltd.",), ("Co. Ltd.",)),
)
EN_TITLES: tuple[str, ...] = (
    "CEO", "Purchasing Manager", "Marketing Director", "Finance Manager", "CTO",
    "Office Manager", "Sales Manager", "Operations Manager", "Project Manager", "Founder",
    "Store Manager", "HR Manager",
)
EN_OWNERS: tuple[str, ...] = (
    "Emily Carter", "James Wilson", "Priya Patel", "Tom Baker", "Sarah Lee",
)
EN_INTERESTS: tuple[str, ...] = (
    "golf", "tennis", "cooking", "photography", "travel", "reading", "cycling", "wine",
    "running", "football", "gardening",
)
EN_NOTES: tuple[str, ...] = (
    "VIP customer", "Prefers phone calls", "Call back before Christmas", "Referred by a friend",
    "Needs VAT invoice", "Price sensitive", "Weekdays only", "Wants an on-site demo",
)
EN_FORMULA_NOTES: tuple[str, ...] = ("=SUM(A1)", "+86 hotline", "@Emily please call back")
EN_PRODUCTS: tuple[tuple[str, float], ...] = (
    ("Office Chair", 189.0), ("Laser Printer", 329.0), ("Copy Paper (box)", 39.9),
    ("Coffee Machine", 449.0), ("Tea Gift Set", 59.0), ("Wireless Earbuds", 99.0),
    ("Robot Vacuum", 399.0), ("Insulated Bottle", 24.5), ("Annual Membership", 199.0),
    ("Software License (1 yr)", 1200.0),
)
EN_COMPLAINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Quality", ("The {product} arrived scratched, please replace it",
                 "{product} stopped working after a week", "Parts missing from the {product} box",
                 "{product} does not match the description")),
    ("Delivery", ("Parcel arrived a week late", "Box was crushed and the {product} damaged",
                  "Tracking has not updated for three days",
                  "{product} sent to the wrong address")),
    ("Service", ("Nobody answers the support line", "Sales rep was rude and never replied",
                 "Technician came two hours late", "Reported the {product} issue twice, no reply")),
    ("Price", ("The {product} price dropped the day after I bought it",
               "Invoice amount differs from the order", "Discount code was rejected",
               "Charged twice for the same order")),
)
EN_STATUSES: tuple[str, ...] = ("Received", "Investigating", "Resolved", "Followed up")
EN_CHANNELS: tuple[str, ...] = ("Phone", "Email", "Web", "Chat", "Store")

# ---------------------------------------------------------------- headers

CUSTOMER_HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    # (field, header); "interests" is deliberately a column no canonical field names.
    "zh": (
        ("customer_id", "客户编号"), ("name", "姓名"), ("gender", "性别"), ("birthday", "生日"),
        ("phone", "手机"), ("email", "邮箱"), ("company", "公司"), ("title", "职位"),
        ("industry", "行业"), ("city", "城市"), ("address", "地址"), ("owner", "负责人"),
        ("signup_date", "注册日期"), ("last_purchase_date", "最近购买日期"),
        ("purchase_count", "购买次数"), ("total_amount", "累计消费"),
        ("last_contact_date", "最近联系日期"), ("interests", "兴趣爱好"), ("notes", "备注"),
    ),
    "en": (
        ("customer_id", "Customer ID"), ("name", "Name"), ("gender", "Gender"),
        ("birthday", "Birthday"), ("phone", "Phone"), ("email", "Email"),
        ("company", "Company"), ("title", "Job Title"), ("industry", "Industry"),
        ("city", "City"), ("address", "Address"), ("owner", "Account Manager"),
        ("signup_date", "Signup Date"), ("last_purchase_date", "Last Purchase Date"),
        ("purchase_count", "Purchase Count"), ("total_amount", "Total Spent"),
        ("last_contact_date", "Last Contact Date"), ("interests", "Interests"),
        ("notes", "Notes"),
    ),
}
ORDER_HEADERS: dict[str, tuple[str, ...]] = {
    "zh": ("订单号", "客户编号", "下单日期", "产品", "数量", "金额"),
    "en": ("Order ID", "Customer ID", "Order Date", "Product", "Quantity", "Amount"),
}
COMPLAINT_HEADERS: dict[str, tuple[str, ...]] = {
    "zh": ("投诉编号", "客户编号", "投诉日期", "类别", "投诉内容", "状态", "解决日期", "渠道",
           "负责人"),
    "en": ("Complaint ID", "Customer ID", "Complaint Date", "Category", "Description",
           "Status", "Resolved Date", "Channel", "Owner"),
}
SHEET_NAMES: dict[str, tuple[str, str, str]] = {
    "zh": ("客户", "订单", "投诉"),
    "en": ("Customers", "Orders", "Complaints"),
}
TITLES: dict[str, str] = {"zh": "2025年客户名单", "en": "Customer List 2025"}
# fmt: on
