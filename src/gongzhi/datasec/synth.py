"""A seeded generator of labelled Chinese and English data: tables (24 mixed columns with hard
negatives) and short texts with the exact character spans of every sensitive value.

Used by the tests and ``benchmarks/datasec.py``; the same seed always gives the same data.

>>> rows, labels = table(5, seed=1)
>>> labels["cn_id"], labels["order_no"]
('CN_RESIDENT_ID', None)
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from gongzhi.datasec import checks, lexicons

GIVEN_CN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌辉鹏飞宇浩然子涵欣怡梓萱俊杰晨阳"
SURNAMES = sorted(lexicons.CN_SURNAMES_SINGLE)[:120]
EN_LAST = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Wilson Anderson Taylor Thomas Moore Martin Lee".split()
)
DISTRICTS = [
    ("浙江省", "杭州市", "西湖区"),
    ("浙江省", "宁波市", "鄞州区"),
    ("广东省", "深圳市", "南山区"),
    ("江苏省", "南京市", "鼓楼区"),
    ("北京市", "", "海淀区"),
    ("上海市", "", "浦东新区"),
    ("四川省", "成都市", "武侯区"),
]
ROADS = "文三 学院 中山 人民 解放 建设 和平 新华 长江 黄河 天目山 延安".split()
STREETS = "Main Oak Maple Cedar Elm Washington Lake Hill Park Pine".split()
CITIES = [
    ("Springfield", "IL", "62704"),
    ("Austin", "TX", "73301"),
    ("Portland", "OR", "97205"),
    ("Denver", "CO", "80202"),
]
PROVINCE_CODES = ["110105", "330106", "440305", "320106", "510107", "310115", "330212"]
PLATE_P = "京沪浙粤苏川鄂湘"


class Gen:
    """Values of each type (valid ones, and look-alikes that must not be found)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def digits(self, n: int) -> str:
        return "".join(self.r.choice("0123456789") for _ in range(n))

    def cn_id(self) -> str:
        y, m, d = self.r.randint(1950, 2005), self.r.randint(1, 12), self.r.randint(1, 28)
        body = f"{self.r.choice(PROVINCE_CODES)}{y}{m:02d}{d:02d}{self.digits(3)}"
        return body + checks.cn_id_check_char(body)

    def mobile(self) -> str:
        return self.r.choice(["138", "139", "150", "186", "177", "199", "135", "189"]) + self.digits(8)

    def bank_card(self) -> str:
        body = "62" + self.digits(self.r.choice([13, 16]))
        return body + checks.luhn_check_digit(body)

    def credit_card(self) -> str:
        body = self.r.choice(["4", "51", "55", "4"])
        body += self.digits(15 - len(body))
        return body + checks.luhn_check_digit(body)

    def email(self) -> str:
        return (
            f"{self.r.choice(['zhang', 'li', 'wang', 'user', 'j.smith', 'amy'])}{self.digits(3)}@"
            f"{self.r.choice(['example.com', 'mail.cn', 'qq.com', '163.com'])}"
        )

    def uscc(self) -> str:
        body = self.digits(8)
        org = body + checks.org_code_check_char(body)
        first = "91" + self.r.choice(PROVINCE_CODES) + org
        return first + checks.uscc_check_char(first)

    def plate(self) -> str:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        if self.r.random() < 0.3:
            return self.r.choice(PLATE_P) + self.r.choice(letters) + "D" + self.digits(5)
        return (
            self.r.choice(PLATE_P) + self.r.choice(letters) + self.digits(3) + self.r.choice(letters) + self.digits(1)
        )

    def ipv4(self) -> str:
        return f"{self.r.randint(1, 223)}.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}"

    def mac(self) -> str:
        return ":".join(f"{self.r.randint(0, 255):02X}" for _ in range(6))

    def imei(self) -> str:
        body = "86" + self.digits(12)
        return body + checks.luhn_check_digit(body)

    def passport(self) -> str:
        return "E" + self.digits(8)

    def name_cn(self) -> str:
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN_CN) for _ in range(self.r.choice([1, 2])))

    def name_en(self) -> str:
        return f"{self.r.choice(sorted(lexicons.EN_GIVEN_NAMES)[:150])} {self.r.choice(EN_LAST)}"

    def address_cn(self) -> str:
        p, c, d = self.r.choice(DISTRICTS)
        road = f"{self.r.choice(ROADS)}路{self.r.randint(1, 999)}号"
        return f"{p}{c}{d}{road}{self.r.randint(1, 30)}幢{self.r.randint(101, 2505)}室"

    def address_en(self) -> str:
        city, state, zip_code = self.r.choice(CITIES)
        return f"{self.r.randint(1, 9999)} {self.r.choice(STREETS)} Street, {city}, {state} {zip_code}"

    def birth(self) -> str:
        return f"{self.r.randint(1950, 2005)}-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d}"

    def ssn(self) -> str:
        return f"{self.r.randint(100, 665):03d}-{self.r.randint(10, 99):02d}-{self.r.randint(1000, 9999):04d}"

    def us_phone(self) -> str:
        return f"({self.r.randint(201, 989)}) {self.r.randint(200, 999)}-{self.digits(4)}"

    def iban(self) -> str:
        bban = self.digits(18)
        return "DE" + checks.iban_check_digits("DE", bban) + bban

    # hard negatives
    def order_no(self) -> str:
        while True:
            v = "2024" + self.digits(14)
            if not checks.cn_resident_id_ok(v):
                return v

    def txn_no(self) -> str:
        while True:
            v = "62" + self.digits(14)
            if not checks.luhn_ok(v):
                return v

    def amount(self) -> str:
        return f"{self.r.randint(1, 99999)}.{self.digits(2)}"

    def ts_ms(self) -> str:
        return str(self.r.randint(1_600_000_000_000, 1_800_000_000_000))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def code11(self) -> str:
        return self.r.choice(["10", "11", "12"]) + self.digits(9)


#: Column name -> (generator, true entity type); names carry the usual hints a real table has.
TABLE_COLUMNS: list[tuple[str, str, str | None]] = [
    ("cn_id", "cn_id", "CN_RESIDENT_ID"), ("mobile", "mobile", "CN_MOBILE"), ("bank_card", "bank_card", "BANK_CARD"),
    ("credit_card", "credit_card", "CREDIT_CARD"), ("email", "email", "EMAIL"), ("uscc", "uscc", "CN_USCC"),
    ("plate", "plate", "CN_PLATE"), ("ip", "ipv4", "IPV4"), ("mac", "mac", "MAC_ADDRESS"), ("imei", "imei", "IMEI"),
    ("passport_no", "passport", "PASSPORT"), ("姓名", "name_cn", "PERSON_NAME"), ("name", "name_en", "PERSON_NAME"),
    ("地址", "address_cn", "ADDRESS"), ("birth_date", "birth", "DATE_OF_BIRTH"), ("ssn", "ssn", "US_SSN"),
    ("us_phone", "us_phone", "US_PHONE"), ("iban", "iban", "IBAN"), ("order_no", "order_no", None),
    ("txn_no", "txn_no", None), ("amount", "amount", None), ("created_ms", "ts_ms", None), ("uuid", "uuid", None),
    ("code", "code11", None),
]  # fmt: skip


def table(rows: int, seed: int = 0) -> tuple[dict[str, list[str]], dict[str, str | None]]:
    """A table of ``rows`` rows x 24 columns (as column lists) and each column's true entity type."""
    g = Gen(seed)
    data = {name: [getattr(g, fn)() for _ in range(rows)] for name, fn, _ in TABLE_COLUMNS}
    return data, {name: label for name, _, label in TABLE_COLUMNS}


TEMPLATES_ZH = [
    "客户{name_cn}的手机号是{mobile}，邮箱{email}。",
    "患者{name_cn}，身份证号{cn_id}，家住{address_cn}。",
    "请将款项转入银行卡{bank_card}，联系人{name_cn}先生，电话{mobile}。",
    "车牌号为{plate}的车辆停在门口，车主{name_cn}。",
    "订单{order_no}已支付{amount}元，时间戳{ts_ms}，编号{uuid}。",
    "{name_cn}女士的护照号码{passport}，出生日期{birth}。",
    "企业统一社会信用代码{uscc}，登录IP {ipv4}。",
    "员工{name_cn}反馈：设备MAC {mac}，IMEI号{imei}无法联网。",
    "流水号{txn_no}，客服工号{code11}，今天天气很好。",
]
TEMPLATES_EN = [
    "Please call {name_en} at {us_phone} or email {email}.",
    "Ms. {name_en} lives at {address_en}; SSN {ssn}.",
    "Charge card {credit_card} and wire to IBAN {iban}.",
    "Order {order_no} for {amount} USD was created at {ts_ms} (ref {uuid}).",
    "Server {ipv4} sent the report to {email} on behalf of {name_en}.",
]
SLOT_ENTITY = {
    "name_cn": "PERSON_NAME", "name_en": "PERSON_NAME", "mobile": "CN_MOBILE", "email": "EMAIL",
    "cn_id": "CN_RESIDENT_ID",
    "address_cn": "ADDRESS", "address_en": "ADDRESS", "bank_card": "BANK_CARD", "plate": "CN_PLATE",
    "passport": "PASSPORT", "birth": "DATE_OF_BIRTH", "uscc": "CN_USCC", "ipv4": "IPV4", "mac": "MAC_ADDRESS",
    "imei": "IMEI", "us_phone": "US_PHONE", "ssn": "US_SSN", "credit_card": "CREDIT_CARD", "iban": "IBAN",
}  # fmt: skip


def texts(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` short zh/en texts, each with ``spans``: [(start, end, entity type)] of every sensitive value."""
    import re

    g = Gen(seed)
    out = []
    for i in range(n):
        template = g.r.choice(TEMPLATES_ZH if i % 3 else TEMPLATES_EN)
        text, spans, last = "", [], 0
        for m in re.finditer(r"\{(\w+)\}", template):
            text += template[last : m.start()]
            value = getattr(g, {"name_cn": "name_cn", "ipv4": "ipv4"}.get(m.group(1), m.group(1)))()
            if m.group(1) in SLOT_ENTITY:
                spans.append((len(text), len(text) + len(value), SLOT_ENTITY[m.group(1)]))
            text += value
            last = m.end()
        text += template[last:]
        out.append({"id": f"t{i}", "text": text, "spans": spans})
    return out
