"""Everything the generator prints besides the codes: titles, labels, notes, terms, clutter.

All wording is our own. Every CJK character used here must be in the committed font subset
(resources/synth/fonts/README.md says how to remake it; a test checks the coverage), so
add text here, then remake the subset.
"""

from __future__ import annotations

import numpy as np

# ---------------------------------------------------------------- labels

# Card-number labels: Chinese, English, and the spaced forms printed on some cards.
NUMBER_LABELS_ZH = ("卡号", "卡 号", "卡号", "序列号", "编号", "卡号(No.)")
NUMBER_LABELS_EN = (
    "Card Number",
    "CARD NO.",
    "Card No.",
    "Card #",
    "No.",
    "SN",
    "Serial No.",
    "CARD NUMBER",
)
# Password labels.
PIN_LABELS_ZH = ("密码", "卡密", "密 码", "充值密码", "激活码", "兑换码", "卡密", "密码")
PIN_LABELS_EN = (
    "PIN",
    "Security PIN",
    "PIN Code",
    "Password",
    "PASSWORD",
    "Redeem Code",
    "Claim Code",
)
RECHARGE_NUMBER_LABELS = ("序列号", "卡号", "序列号", "充值卡序列号", "SN")
RECHARGE_PIN_LABELS = ("密码", "充值密码", "密码", "卡密")
JD_NUMBER_LABELS = ("卡号", "卡号", "卡 号", "NO.")
JD_PIN_LABELS = ("密码", "卡密", "卡密", "密 码", "激活码")
COLONS = ("：", ":", "", " :", "：")

# ---------------------------------------------------------------- JD E-card

JD_TITLES = ("京东E卡", "京东E卡", "京东E卡 实体卡", "京东礼品卡", "京东E卡 通用卡")
JD_SUBTITLES = ("JD E-CARD", "JD E-Card", "JD GIFT CARD", "", "京东商城通用")
JD_HOTLINES = ("400-606-5500", "400 606 5500", "4006065500")
JD_SITES = ("www.jd.com", "jd.com", "www.JD.com")
JD_NOTES = (
    "使用说明：1.登录京东商城{site}，在“我的京东-我的钱包-京东E卡”中选择“绑定新卡”，"
    "输入卡密完成绑定。2.本卡不记名、不挂失、不可兑换现金，请妥善保管。"
    "3.有效期为自购卡之日起三年。客服热线：{hotline}",
    "温馨提示：刮开涂层即可看到卡密。请登录{site}或京东APP，在“我的-钱包-礼品卡”中绑定本卡。"
    "本卡可购买京东自营及部分商家商品，不可兑换现金，遗失不补。如有疑问请致电{hotline}。",
    "绑定步骤：①打开京东APP，进入“我的钱包”；②选择“礼品卡-绑定新卡”；③输入16位卡密并按"
    "提示完成验证。本卡售出后不退不换，余额可分次使用，有效期三年。服务热线：{hotline}"
    "（每日9:00-21:00）",
    "注意事项：1.请在有效期内使用，逾期作废。2.卡密一经绑定即与账户关联，不可转让。"
    "3.请勿向他人透露卡密，京东工作人员不会索要您的卡密。官方网站：{site} 客服电话：{hotline}",
    "本卡为京东E卡实体卡，面值以卡面为准。登录{site}个人中心绑定后即可使用，可与优惠券叠加。"
    "卡片请妥善保存，丢失后无法补办。咨询电话：{hotline}",
    "Bind this card at {site}: My JD > Wallet > Gift Cards > Add. The password is valid "
    "for 36 months. Hotline {hotline}. 本卡不记名、不挂失。",
)

# ---------------------------------------------------------------- gift cards

# Platform gift cards: (platform id, title, subtitle, colour BGR, site).
PLATFORM_BRANDS = (
    ("tmall", "天猫超市卡", "TMALL SUPERMARKET", (30, 20, 215), "chaoshi.tmall.com"),
    ("tmall", "天猫购物卡", "Tmall Shopping Card", (40, 10, 200), "www.tmall.com"),
    ("taobao", "淘宝礼品卡", "TAOBAO GIFT CARD", (0, 100, 250), "www.taobao.com"),
    ("taobao", "淘宝购物礼品卡", "Taobao Gift Card", (20, 120, 255), "www.taobao.com"),
    ("pdd", "拼多多礼品卡", "PINDUODUO GIFT CARD", (40, 40, 225), "www.pinduoduo.com"),
    ("pdd", "拼多多 购物卡", "PDD CARD", (30, 60, 235), "www.pinduoduo.com"),
    ("suning", "苏宁礼品卡", "SUNING GIFT CARD", (30, 180, 250), "www.suning.com"),
    ("suning", "苏宁易购卡", "Suning Card", (20, 160, 240), "www.suning.com"),
)
# Brands we made up (platform "generic"): (name, subtitle, colour BGR, domain).
INVENTED_BRANDS_EN = (
    ("Maple & Finch", "GIFT CARD", (40, 90, 30), "maplefinch.com"),
    ("Harbor Lane Books", "Gift Card", (110, 60, 20), "harborlanebooks.com"),
    ("Copper Kettle Cafe", "GIFT CARD", (30, 70, 150), "copperkettle.cafe"),
    ("Northwind Outfitters", "GIFT CARD", (60, 50, 40), "northwindgear.com"),
    ("Bluebell Market", "e-Gift Card", (160, 90, 40), "bluebellmarket.com"),
    ("Sunny Aisle", "STORE CARD", (20, 150, 230), "sunnyaisle.com"),
    ("Pixel Arcade", "GAME CARD", (120, 30, 100), "pixelarcade.games"),
    ("Greenleaf Grocers", "GIFT CARD", (50, 130, 40), "greenleafgrocers.com"),
    ("Orbit Mobile", "PREPAID CARD", (90, 40, 10), "orbitmobile.net"),
    ("Velvet Spoon", "Gift Card", (70, 30, 120), "velvetspoon.com"),
)
INVENTED_BRANDS_ZH = (
    ("悦家超市", "购物卡", (40, 40, 200), "www.yuejia-mart.cn"),
    ("鲜果坊", "礼品卡", (40, 150, 60), "www.xianguofang.cn"),
    ("云书阁", "阅读卡", (120, 70, 20), "www.yunshuge.cn"),
    ("星河影城", "观影卡", (100, 30, 60), "www.xinghe-cinema.cn"),
    ("百味食品", "提货卡", (20, 100, 200), "www.baiwei-food.cn"),
    ("优品生活", "储值卡", (80, 80, 80), "www.youpin-life.cn"),
    ("乐购商城", "电子礼品卡", (30, 120, 230), "www.legou-mall.cn"),
    ("茶语轩", "会员卡", (30, 90, 50), "www.chayuxuan.cn"),
)
GIFT_TERMS_EN = (
    "Spend this card in any of our stores or online at {site}. It cannot be exchanged for "
    "cash except where the law requires. Keep it safe: a lost or stolen card is not "
    "replaced. Balance: {site}/balance or {phone}.",
    "Valid for goods and services only. No expiration date. No fees. Not a credit or debit "
    "card. To check your balance visit {site} or call {phone}. Card issued by {brand} "
    "Retail Ltd.",
    "Terms & Conditions: Scratch the panel gently to reveal the PIN. This card is "
    "non-refundable and cannot be reloaded. Questions? Call {phone} or write to "
    "help@{domain}. Full terms at {site}/terms.",
    "To redeem online, enter the card number and PIN at checkout on {site}. Lost cards "
    "cannot be replaced. Customer care {phone} (Mon-Fri 8am-8pm).",
)
GIFT_TERMS_ZH = (
    "使用须知：1.本卡可在{brand}全国门店及官方商城使用。2.本卡不记名、不挂失、不兑换现金。"
    "3.刮开密码区后请尽快绑定使用。4.查询余额请访问{site}或拨打客服电话{phone}。",
    "使用方法：登录{site}，进入“我的-卡券包-礼品卡”，输入卡号及密码完成绑定。绑定后余额可用于"
    "购物，不设找零。客服热线：{phone}",
    "温馨提示：本卡仅限在有效期内使用，有效期至{date}。请勿将卡密告知他人，因泄露卡密造成的损失"
    "由持卡人承担。咨询电话：{phone}，网址：{site}",
    "扫描二维码或打开APP，在“我的-礼品卡”中输入卡密即可绑定。预售卡将在发货后到账，"
    "请耐心等待。本卡不可退换，遗失不补。服务电话{phone}",
    "激活说明：本卡需激活后方可使用。请凭卡号与激活码在{site}完成激活，或到门店服务台办理。"
    "24小时服务热线：{phone}",
)
GIFT_TITLES_ZH = ("礼品卡", "购物卡", "储值卡", "GIFT CARD")

# ---------------------------------------------------------------- recharge cards

# (brand id, title, subtitle, colour BGR, hotline for recharging, service line)
RECHARGE_BRANDS = (
    (
        "cmcc",
        "中国移动通信 充值卡",
        "CHINA MOBILE RECHARGE CARD",
        (180, 100, 0),
        "13800138000",
        "10086",
    ),
    (
        "cmcc",
        "中国移动 充值卡",
        "CHINA MOBILE PREPAID CARD",
        (190, 110, 10),
        "13800138000",
        "10086",
    ),
    ("cmcc", "神州行 充值卡", "CHINA MOBILE", (170, 120, 30), "13800138000", "10086"),
    ("ctcc", "中国电信 充值卡", "CHINA TELECOM RECHARGE CARD", (160, 70, 0), "11888", "10000"),
    ("ctcc", "天翼 充值卡", "CHINA TELECOM", (150, 80, 20), "11888", "10000"),
    ("cucc", "中国联通 充值卡", "CHINA UNICOM RECHARGE CARD", (40, 40, 200), "10011", "10010"),
    ("cucc", "中国联通 一卡充", "CHINA UNICOM", (30, 50, 190), "10011", "10010"),
)
RECHARGE_NOTES = (
    "充值方法：1.拨打{hotline}，按语音提示输入卡密码即可充值。2.也可通过网上营业厅或手机"
    "营业厅选择“充值卡充值”。3.密码刮开后请尽快使用并妥善保管。有效期至：{date}。"
    "服务热线：{service}",
    "使用说明：用本机拨打充值专线{hotline}，根据语音提示输入{pinlen}位密码，即可为本机或其他号码"
    "充值。本卡有效期至{date}，逾期作废。客服电话：{service}",
    "充值方式：拨打{hotline}，按提示输入充值卡密码；或登录营业厅APP选择“充值卡充值”。本卡不记名、"
    "不挂失，请在有效期内使用。有效期至：{date}。客服热线：{service}",
    "温馨提示：刮开密码区前请确认卡片完好。充值成功后系统将发送短信通知。如遇问题请拨打{service}。"
    "有效期至{date}。全国通用，不找零。",
)
DATE_FORMATS = (
    "{y}年{m}月{d}日",
    "{y}-{m:02d}-{d:02d}",
    "{y}.{m:02d}.{d:02d}",
    "{y}/{m:02d}/{d:02d}",
)
EXPIRY_LABELS = ("有效期至：", "有效期至", "有效期：", "有效期至 ")
EXPIRY_LABELS_EN = ("Valid thru ", "EXP ", "Expires ", "Use by ")

# ---------------------------------------------------------------- misc small print

SCRATCH_HINTS = ("刮开涂层", "请轻刮涂层", "刮开此处", "刮开查看密码")
SCRATCH_HINTS_EN = ("SCRATCH HERE", "Scratch gently", "Scratch to reveal PIN")
SMALL_PRINT = ("批次号", "NO.", "发行方", "监制", "全国通用", "本卡不记名", "Made in China")
DENOMINATION_FORMATS_CNY = (
    "¥{v}",
    "面值¥{v}",
    "面值 ¥{v}",
    "{v}元",
    "面值{v}元",
    "RMB {v}",
    "￥{v}",
)
DENOMINATION_FORMATS_USD = ("${v}", "$ {v}", "{v} USD", "Value ${v}")

# ---------------------------------------------------------------- clutter text

RECEIPT_HEADERS = ("欢迎光临", "购物小票", "RECEIPT", "收银小票", "谢谢惠顾", "销售单")
RECEIPT_ITEMS = (
    "矿泉水 550ml",
    "纸巾",
    "牛奶 1L",
    "面包",
    "苹果 1.2kg",
    "洗衣液",
    "咖啡豆",
    "Coffee",
    "Milk 1L",
    "Bread",
    "Batteries AA",
    "电池 5号",
    "酸奶",
    "鸡蛋 10枚",
    "大米 5kg",
    "Notebook",
    "Pen x2",
    "可乐 330ml",
)
RECEIPT_FOOTERS = (
    "合计",
    "Subtotal",
    "TOTAL",
    "实收",
    "找零",
    "Tax",
    "应付",
    "会员卡号",
    "收银员",
    "Order #",
)
DOC_WORDS_ZH = (
    "会议",
    "纪要",
    "负责人",
    "时间",
    "地点",
    "项目",
    "预算",
    "完成",
    "计划",
    "报告",
    "通知",
    "部门",
    "安排",
    "检查",
    "资料",
    "合同",
    "客户",
    "数据",
    "总结",
)
DOC_WORDS_EN = (
    "meeting",
    "summary",
    "project",
    "budget",
    "review",
    "action",
    "items",
    "please",
    "report",
    "team",
    "the",
    "of",
    "data",
    "Q3",
    "2024",
    "notes",
    "schedule",
    "invoice",
    "total",
    "account",
)


def pick(rng: np.random.Generator, options: tuple[str, ...] | list[str]) -> str:
    return str(options[int(rng.integers(len(options)))])


def date_text(rng: np.random.Generator, fmt: str | None = None) -> str:
    y = int(rng.integers(2026, 2032))
    m = int(rng.integers(1, 13))
    d = 28 if m == 2 else int(rng.choice([28, 30, 31] if m not in (4, 6, 9, 11) else [28, 30]))
    return (fmt or pick(rng, DATE_FORMATS)).format(y=y, m=m, d=d)


def phone_400(rng: np.random.Generator) -> str:
    a, b = int(rng.integers(100, 1000)), int(rng.integers(1000, 10000))
    return pick(rng, ("400-{a}-{b}", "400 {a} {b}", "400{a}{b}")).format(a=a, b=b)


def phone_800(rng: np.random.Generator) -> str:
    pre = pick(rng, ("800", "888", "877", "866"))
    a, b = int(rng.integers(200, 1000)), int(rng.integers(1000, 10000))
    return f"1-{pre}-{a}-{b}"


def charset() -> str:
    """Every non-ASCII character the generator can print (for the font subset)."""
    chars: set[str] = set()
    for name, value in globals().items():
        if name.isupper():
            chars |= set(_flatten(value))
    # Glyphs the drawing code prints outside these tables.
    chars |= set("¥￥①②③④⑤—·…“”‘’（）【】《》，。、；：！？")
    return "".join(sorted(c for c in chars if ord(c) > 126))


def _flatten(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple | list):
        return "".join(_flatten(v) for v in value)
    return ""
