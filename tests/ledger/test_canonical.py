"""RFC 8785 JSON canonicalization: the RFC's own examples, number vectors, and fast/slow path agreement."""

from __future__ import annotations

import json
import math
import random
import struct
from typing import Any

import pytest

from gongzhi.ledger.canonical import (
    MAX_INTEGER,
    canonical_text,
    canonicalize,
    encode_simple,
    format_number,
    is_simple,
)

# RFC 8785 section 3.2.3: property names sort by UTF-16 code units.
SORTING_INPUT = r"""{
  "\u20ac": "Euro Sign",
  "\r": "Carriage Return",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "1": "One",
  "\ud83d\ude00": "Emoji: Grinning Face",
  "\u0080": "Control",
  "\u00f6": "Latin Small Letter O With Diaeresis"
}"""
SORTING_ORDER = [
    "Carriage Return",
    "One",
    "Control",
    "Latin Small Letter O With Diaeresis",
    "Euro Sign",
    "Emoji: Grinning Face",
    "Hebrew Letter Dalet With Dagesh",
]

# RFC 8785 section 3.2.2 (the example in the text), input as written there.
EXAMPLE_INPUT = r"""{
  "numbers": [333333333.33333329, 1E30, 4.50,
              2e-3, 0.000000000000000000000000001],
  "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}"""
EXAMPLE_OUTPUT = (
    '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
    '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
)

# RFC 8785 appendix B: IEEE 754 bit patterns and their serialisation (None = must be rejected).
APPENDIX_B = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("7fffffffffffffff", None),
    ("7ff0000000000000", None),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


def double(bits: str) -> float:
    value: float = struct.unpack(">d", bytes.fromhex(bits))[0]
    return value


def test_rfc8785_sorting_example() -> None:
    obj = json.loads(SORTING_INPUT)
    out = canonicalize(obj)
    assert list(json.loads(out).values()) == SORTING_ORDER
    assert out == (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
        '"\u20ac":"Euro Sign","\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    ).encode("utf-8")
    # Python's own order (by code point) differs: the emoji would come after U+FB33.
    assert json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() != out
    assert not is_simple(obj)


def test_rfc8785_main_example() -> None:
    assert canonicalize(json.loads(EXAMPLE_INPUT)) == EXAMPLE_OUTPUT.encode("utf-8")


def test_rfc8785_example_utf8_bytes() -> None:
    # The UTF-8 of the example output, as RFC 8785 section 3.2.4 prints it in hexadecimal.
    expected = (
        "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c 22 6e"
        " 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 65 2b 33 30"
        " 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24"
        " 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d"
    )
    assert canonicalize(json.loads(EXAMPLE_INPUT)).hex(" ") == expected


@pytest.mark.parametrize(("bits", "expected"), APPENDIX_B)
def test_rfc8785_appendix_b_numbers(bits: str, expected: str | None) -> None:
    value = double(bits)
    if expected is None:
        with pytest.raises(ValueError, match="NaN and Infinity"):
            format_number(value)
        with pytest.raises(ValueError):
            canonicalize({"n": value})
    else:
        assert format_number(value) == expected
        assert canonicalize([value]) == f"[{expected}]".encode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (1.5e-7, "1.5e-7"),
        (0.000001, "0.000001"),
        (-0.0, "0"),
        (0.0, "0"),
        (333333333.33333329, "333333333.3333333"),
        (5e-324, "5e-324"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (100.0, "100"),
        (123456789012345680000.0, "123456789012345680000"),
        (0.1, "0.1"),
        (1e16, "10000000000000000"),
        (2.5e-5, "0.000025"),
        (1.2345e-10, "1.2345e-10"),
    ],
)
def test_number_examples(value: float, expected: str) -> None:
    assert format_number(value) == expected


def test_random_doubles_round_trip_with_shortest_digits_and_ecmascript_layout() -> None:
    rng = random.Random(8785)
    for _ in range(20_000):
        value = double(rng.randbytes(8).hex())
        if math.isnan(value) or math.isinf(value):
            continue
        text = format_number(value)
        assert float(text) == value
        digits = text.lstrip("-").split("e")[0].replace(".", "").strip("0")
        shortest = repr(abs(value)).split("e")[0].replace(".", "").strip("0")
        assert digits == shortest or value == 0
        mantissa, _, exponent = text.lstrip("-").partition("e")
        if exponent:  # exponent form only outside [1e-6, 1e21)
            assert abs(value) >= 1e21 or abs(value) < 1e-6
            assert exponent[0] in "+-" and not exponent[1:].startswith("0")
            assert "." not in mantissa or not mantissa.endswith("0")
        else:
            assert abs(value) < 1e21 and (abs(value) >= 1e-6 or value == 0)


def test_integers() -> None:
    assert canonicalize([MAX_INTEGER, -MAX_INTEGER, 0, -1]) == b"[9007199254740992,-9007199254740992,0,-1]"
    for bad in (MAX_INTEGER + 1, -MAX_INTEGER - 1, 10**30):
        with pytest.raises(ValueError, match="outside"):
            canonicalize({"n": bad})
        with pytest.raises(ValueError, match="outside"):
            canonicalize({"n": [1.5, bad]})  # slow path too
    assert canonicalize([True, False, None]) == b"[true,false,null]"


def test_strings_are_escaped_minimally() -> None:
    text = '\x00\x08\t\n\x0b\x0c\r\x1f\x7f "\\/\u2028\u00e9\U0001f600'
    assert canonicalize(text) == ('"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\x7f \\"\\\\/\u2028\u00e9\U0001f600"'.encode())


def test_rejections() -> None:
    with pytest.raises(ValueError, match="lone surrogate"):
        canonicalize({"a": "\ud800"})
    with pytest.raises(ValueError, match="lone surrogate"):
        canonicalize({"\udfff": 1})
    with pytest.raises(TypeError, match="keys must be strings"):
        canonicalize({1: "a"})
    with pytest.raises(TypeError, match="type set"):
        canonicalize({"a": {1, 2}})
    with pytest.raises(TypeError, match="type bytes"):
        canonicalize([b"x"])
    with pytest.raises(ValueError, match="NaN"):
        canonicalize({"a": float("nan")})
    with pytest.raises(ValueError, match="Infinity"):
        canonicalize([float("-inf")])
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match="nested too deeply"):
        canonicalize(deep)


def test_python_types_that_map_onto_json() -> None:
    from enum import IntEnum, StrEnum

    class Colour(StrEnum):
        RED = "red"

    class Level(IntEnum):
        HIGH = 3

    assert canonicalize({"c": Colour.RED, "l": Level.HIGH, "t": (1, 2)}) == b'{"c":"red","l":3,"t":[1,2]}'


def test_is_simple() -> None:
    assert is_simple({"a": [1, "x", None, True, {"b": "\uffff"}]})
    assert not is_simple({"a": 1.0})
    assert not is_simple({"\U0001f600": 1})
    assert is_simple({"a": "\U0001f600"})  # astral characters in values do not affect ordering
    assert not is_simple({"a": MAX_INTEGER + 1})
    assert not is_simple({"a": (1, 2)})
    assert not is_simple({1: "a"})
    assert encode_simple({"b": 1, "a": "\u00e9"}) == '{"a":"\u00e9","b":1}'


def reference_jcs(value: Any) -> str:
    """An independent, deliberately simple RFC 8785 serialiser for cross-checking."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, str):
        out = ['"']
        for ch in value:
            code = ord(ch)
            if ch == '"':
                out.append('\\"')
            elif ch == "\\":
                out.append("\\\\")
            elif code < 0x20:
                short = {8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}
                out.append(short.get(code, f"\\u{code:04x}"))
            else:
                out.append(ch)
        return "".join([*out, '"'])
    if isinstance(value, list):
        return "[" + ",".join(reference_jcs(v) for v in value) + "]"
    keys = sorted(value, key=utf16_units)
    return "{" + ",".join(reference_jcs(k) + ":" + reference_jcs(value[k]) for k in keys) + "}"


def utf16_units(text: str) -> list[int]:
    """The UTF-16 code units of ``text``, computed by hand (surrogate pairs for astral characters)."""
    units = []
    for ch in text:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            units += [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]
        else:
            units.append(code)
    return units


ALPHABET = [
    "a",
    "b",
    "Z",
    "0",
    "\x00",
    "\n",
    '"',
    "\\",
    "\u00e9",
    "\u20ac",
    "\ufb33",
    "\uffff",
    "\U0001f600",
    "\U00010000",
]


def random_value(rng: random.Random, depth: int = 0, floats: bool = True) -> Any:
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return rng.choice([None, True, False])
    if kind == 1:
        return rng.randrange(-MAX_INTEGER, MAX_INTEGER + 1)
    if kind == 2:
        return rng.choice([0.5, -0.0, 1e21, 1e-7, 123.456, 2.0**60]) if floats else rng.randrange(100)
    if kind in (3, 4):
        return "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(6)))
    if kind == 5:
        return [random_value(rng, depth + 1, floats) for _ in range(rng.randrange(4))]
    return {
        "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(4))): random_value(rng, depth + 1, floats)
        for _ in range(rng.randrange(5))
    }


@pytest.mark.parametrize("floats", [False, True])
def test_fast_and_full_paths_agree_with_a_reference(floats: bool) -> None:
    rng = random.Random(42 if floats else 43)
    for _ in range(3000):
        value = {"v": random_value(rng, floats=floats)}
        assert canonical_text(value) == reference_jcs(value)
        assert canonicalize(value) == reference_jcs(value).encode("utf-8")
        # Same data, read as JavaScript would (every number a double):
        assert json.loads(canonicalize(value), parse_int=float) == json.loads(json.dumps(value), parse_int=float)
        if is_simple(value):
            assert encode_simple(value) == reference_jcs(value)
