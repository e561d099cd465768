"""The pseudonymisation key: a setting, else a secret file in the instance folder (never logged)."""

from __future__ import annotations

from gongzhi.config import Settings, read_or_create_secret


def pseudonym_key(settings: Settings) -> bytes:
    """The HMAC key for pseudonyms and fakes (``datasec_pseudonym_key`` or ``data_dir/datasec-pseudonym-key``)."""
    if settings.datasec_pseudonym_key is not None:
        return settings.datasec_pseudonym_key.get_secret_value().encode()
    return read_or_create_secret(settings.instance_path("datasec-pseudonym-key"))
