"""The ledger (存证): a tamper-evident, signed record of every state change (RFC 9162 style)."""

from __future__ import annotations

from gongzhi.areas import Area

area = Area(name="ledger", models="gongzhi.ledger.models")
