"""RFC 8785 JSON Canonicalization Scheme (JCS): the exact bytes that get hashed and signed.

The common case (no floats, no property names outside the Basic Multilingual Plane, integers within
+/-2**53) is served by the C JSON encoder with sorted keys, which is byte-for-byte JCS for such input.
Anything else goes through a complete implementation of the RFC: ECMAScript number serialisation
and property names sorted by UTF-16 code units.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any, Final

__all__ = [
    "MAX_INTEGER",
    "canonicalize",
    "canonical_text",
    "encode_simple",
    "format_number",
    "is_simple",
]

MAX_INTEGER: Final = 2**53
"""Largest integer magnitude accepted: every integer up to 2**53 is exactly representable as a double."""

_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_FALLBACK_ENCODER: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False, check_circular=False
)


def _reject_unknown(obj: object) -> Any:
    """Raise for objects JSON cannot represent (the C encoder's ``default`` hook)."""
    raise TypeError(f"cannot canonicalize a value of type {type(obj).__name__}")


def _make_c_encoder() -> Callable[[object, int], Any] | None:
    """The C encoder configured for JCS, or None if this interpreter lacks a usable one."""
    try:
        from _json import make_encoder
    except ImportError:  # pragma: no cover - CPython always ships _json
        return None
    try:
        encoder = make_encoder(None, _reject_unknown, _encode_string, None, ":", ",", True, False, False)
    except TypeError:  # pragma: no cover - private signature changed in a future Python
        return None
    probe = {"b": [1, "\u00e9\n", None, True], "a": {"d": False, "c": -2}}
    if "".join(encoder(probe, 0)) != '{"a":{"c":-2,"d":false},"b":[1,"\u00e9\\n",null,true]}':  # pragma: no cover
        return None
    return encoder


_C_ENCODER = _make_c_encoder()

if _C_ENCODER is not None:
    _c_encode: Callable[[object, int], Any] = _C_ENCODER

    def encode_simple(obj: object) -> str:
        """Serialise ``obj`` with sorted keys and no whitespace; JCS only when ``is_simple(obj)`` holds.

        Callers that have established the preconditions some cheaper way (the offline verifier knows
        a parsed line has no floats and no astral characters) use this to skip the check.

        >>> encode_simple({"b": 1, "a": [True, None]})
        '{"a":[true,null],"b":1}'
        """
        return "".join(_c_encode(obj, 0))  # the C encoder returns its output in chunks

else:  # pragma: no cover - interpreters without the C accelerator

    def encode_simple(obj: object) -> str:
        """Serialise ``obj`` with sorted keys and no whitespace (pure-Python encoder)."""
        return _FALLBACK_ENCODER.encode(obj)


def is_simple(obj: object) -> bool:
    """True when the fast encoder is exact JCS for ``obj`` (plain types, no floats, BMP-only keys).

    >>> is_simple({"a": [1, "x", None]}), is_simple({"a": 1.5}), is_simple({"\\U0001F600": 1})
    (True, False, False)
    """
    kind = type(obj)
    if kind is str or kind is bool or obj is None:
        return True
    if kind is int:
        return -MAX_INTEGER <= obj <= MAX_INTEGER  # type: ignore[operator]
    if kind is dict:
        for key, value in obj.items():  # type: ignore[attr-defined]
            if type(key) is not str or (not key.isascii() and max(key) > "\uffff"):
                return False
            if type(value) is not str and not is_simple(value):
                return False
        return True
    if kind is list:
        for value in obj:  # type: ignore[attr-defined]
            if type(value) is not str and not is_simple(value):
                return False
        return True
    return False


def format_number(value: float) -> str:
    """Serialise a double the way ECMAScript's Number.prototype.toString does (RFC 8785 3.2.2.3).

    >>> [format_number(x) for x in (1e21, 1e-7, 0.000001, -0.0, 4.50, 333333333.33333329)]
    ['1e+21', '1e-7', '0.000001', '0', '4.5', '333333333.3333333']
    """
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{value!r} cannot be represented in JSON (RFC 8785 forbids NaN and Infinity)")
    if value == 0:
        return "0"  # covers -0.0 as well
    if value < 0:
        return "-" + format_number(-value)
    # repr() gives the shortest digit string that round-trips, which is what ECMAScript requires;
    # only the layout (where the point goes, when to switch to exponent form) differs.
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)  # value = 0.digits * 10**point
    significant = digits.lstrip("0")
    point -= len(digits) - len(significant)
    digits = significant.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    exp = f"e{point - 1:+d}"
    if count == 1:
        return digits + exp
    return digits[0] + "." + digits[1:] + exp


def _utf16_key(item: tuple[str, object]) -> bytes:
    """Sort key for an object member: its name as UTF-16 code units (big-endian bytes sort the same)."""
    return item[0].encode("utf-16-be", "surrogatepass")


def _write(obj: object, out: list[str]) -> None:
    """Append the canonical serialisation of ``obj`` to ``out`` (the complete, slow path)."""
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, str):
        out.append(_encode_string(obj))
    elif isinstance(obj, int):
        if not -MAX_INTEGER <= obj <= MAX_INTEGER:
            raise ValueError(f"integer {obj} is outside +/-2**53 and cannot be represented exactly in JSON (RFC 8785)")
        out.append(int.__repr__(obj))
    elif isinstance(obj, float):
        out.append(format_number(obj))
    elif isinstance(obj, dict):
        for key in obj:
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
        out.append("{")
        first = True
        for key, value in sorted(obj.items(), key=_utf16_key):
            if not first:
                out.append(",")
            first = False
            out.append(_encode_string(key))
            out.append(":")
            _write(value, out)
        out.append("}")
    elif isinstance(obj, list | tuple):
        out.append("[")
        for index, value in enumerate(obj):
            if index:
                out.append(",")
            _write(value, out)
        out.append("]")
    else:
        _reject_unknown(obj)


def canonical_text(obj: object) -> str:
    """The RFC 8785 canonical form of ``obj`` as a str (``canonicalize`` returns it UTF-8 encoded).

    >>> canonical_text({"b": 1.0, "a": "\u20ac"})
    '{"a":"\u20ac","b":1}'
    """
    try:
        if is_simple(obj):
            return encode_simple(obj)
        out: list[str] = []
        _write(obj, out)
        return "".join(out)
    except RecursionError:
        raise ValueError("value is nested too deeply (or contains a reference cycle)") from None


def canonicalize(obj: object) -> bytes:
    """The RFC 8785 (JCS) canonical UTF-8 bytes of a JSON value built from dict/list/str/int/float/bool/None.

    Raises ValueError for NaN, infinities, integers beyond +/-2**53 and lone surrogates, and TypeError
    for values JSON cannot represent.

    >>> canonicalize({"z": [3, 1e21], "a": None})
    b'{"a":null,"z":[3,1e+21]}'
    """
    text = canonical_text(obj)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"string contains a lone surrogate ({exc.object[exc.start : exc.end]!r})") from None
