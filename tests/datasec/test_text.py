"""Free-text findings: exact spans, check digits, context, hard negatives, and F1 on generated texts."""

from __future__ import annotations

from collections import Counter

from gongzhi.datasec import synth
from gongzhi.datasec.text import scan_text


def spans(text: str) -> set[tuple[str, str]]:
    return {(f.entity, text[f.start : f.end]) for f in scan_text(text)}


def test_the_contract_sentence() -> None:
    text = "客户张伟的手机号是13812345678，邮箱 zw@example.com。"
    found = {(f.start, f.end, f.entity) for f in scan_text(text)}
    s = text.index("138")
    assert (s, s + 11, "CN_MOBILE") in found
    s = text.index("zw@")
    assert (s, s + len("zw@example.com"), "EMAIL") in found
    assert ("PERSON_NAME", "张伟") in spans(text)


def test_mixed_chinese_record() -> None:
    text = "患者李秀英，女，身份证号11010519491231002X，家住浙江省杭州市西湖区文三路90号3幢2单元501室，车牌浙AD12345。"
    assert spans(text) >= {
        ("PERSON_NAME", "李秀英"),
        ("CN_RESIDENT_ID", "11010519491231002X"),
        ("ADDRESS", "浙江省杭州市西湖区文三路90号3幢2单元501室"),
        ("CN_PLATE", "浙AD12345"),
    }


def test_english_record() -> None:
    text = (
        "Call Mr. John Smith at (415) 555-2671; SSN 123-45-6789; card 4111 1111 1111 1111; IBAN GB82WEST12345698765432."
    )
    assert spans(text) >= {
        ("PERSON_NAME", "John Smith"),
        ("US_PHONE", "(415) 555-2671"),
        ("US_SSN", "123-45-6789"),
        ("CREDIT_CARD", "4111 1111 1111 1111"),
        ("IBAN", "GB82WEST12345698765432"),
    }


def test_hard_negatives_are_not_reported() -> None:
    for text in [
        "订单号 123456789012345678，金额 1234.56 元，时间戳 1700000000123",
        "uuid 550e8400-e29b-41d4-a716-446655440000, version 1.2.3.4.5",
        "流水号 6217000000000007（Luhn 不通过），工号 12345678901",
        "卡号 4111111111111112 无效",
        "today is 2024-01-05 and the meeting is at 10:30:00",
    ]:
        assert not {e for e, _ in spans(text)} - {"DATE_OF_BIRTH"}, (text, spans(text))


def test_context_is_needed_for_formats_without_a_check() -> None:
    assert not spans("编号 12345678")
    assert ("CN_TW_PERMIT", "12345678") in spans("台胞证号码 12345678")
    assert not spans("会议日期 1990-05-17")
    assert ("DATE_OF_BIRTH", "1990-05-17") in spans("出生日期 1990-05-17")


def f1_by_entity(n: int, seed: int) -> dict[str, float]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for doc in synth.texts(n, seed=seed):
        truth = {(s, e, t) for s, e, t in doc["spans"]}
        got = {(f.start, f.end, f.entity) for f in scan_text(doc["text"])}
        for item in got & truth:
            tp[item[2]] += 1
        for item in got - truth:
            fp[item[2]] += 1
        for item in truth - got:
            fn[item[2]] += 1
    return {e: 2 * tp[e] / (2 * tp[e] + fp[e] + fn[e]) for e in set(tp) | set(fn) | set(fp)}


def test_f1_on_generated_texts() -> None:
    f1 = f1_by_entity(600, seed=11)
    for entity in ("CN_RESIDENT_ID", "BANK_CARD", "CREDIT_CARD", "CN_USCC", "IBAN", "IMEI", "EMAIL", "CN_MOBILE"):
        assert f1[entity] >= 0.99, (entity, f1)
    assert f1["PERSON_NAME"] >= 0.9 and f1["ADDRESS"] >= 0.9, f1


def test_batched_scan_equals_the_single_text_scan_at_the_edges() -> None:
    """The Polars prefilters of ``scan_texts`` must never hide what ``scan_text`` finds (boundaries, starts, ends)."""
    from gongzhi.datasec.text import scan_texts

    edge_cases = [
        "13812345678",  # the whole text
        "手机13812345678",  # after a Han character, at the end
        "13812345678号码",  # at the start, before a Han character
        "a13812345678",  # glued to a letter: nothing
        "编号413812345678",  # inside a longer number: nothing
        "卡号6222020200112233445，身份证11010519491231002X。",
        "email:a.b@example.cn\nIP 10.0.0.1.",
        "",
    ]
    generated = [d["text"] for d in synth.texts(400, seed=5)]
    for texts in (edge_cases, generated):
        assert scan_texts(texts) == [scan_text(t) for t in texts]
