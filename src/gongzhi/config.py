"""Settings: environment variables with the ``GONGZHI_`` prefix, then an optional ``gongzhi.toml``.

Nothing here opens a file, a database or a socket at import time; ``Settings()`` reads the
environment when it is called, and the helpers below create the instance folder on demand.

>>> Settings(database_url="sqlite:///:memory:").database_url
'sqlite:///:memory:'
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

Locale = Literal["zh_CN", "en"]
SUPPORTED_LOCALES: tuple[Locale, ...] = ("zh_CN", "en")


class Settings(BaseSettings):
    """Every setting of a Gongzhi instance; see docs/admin-guide.md for each one."""

    model_config = SettingsConfigDict(
        env_prefix="GONGZHI_", toml_file="gongzhi.toml", extra="forbid", validate_default=True
    )

    database_url: str = "sqlite:///./gongzhi.db"
    data_dir: Path = Path(".gongzhi")
    secret_key: SecretStr | None = Field(
        default=None, description="Signs CSRF tokens; generated into data_dir/secret_key when unset."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_locale: Locale = "zh_CN"
    cookie_secure: Literal["auto", "always", "never"] = "auto"
    session_ttl_hours: float = Field(default=12.0, gt=0)
    token_default_days: int = Field(default=90, ge=1, le=3650)
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    max_upload_bytes: int = Field(
        default=2 * 1024**3, ge=1024, description="Largest file upload (multipart) body; each area checks its own."
    )
    login_max_failures: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=900, ge=1)
    serve_worker: bool = Field(default=True, description="Run the job worker inside `gongzhi serve`.")
    worker_processes: int = Field(default=2, ge=1, le=64)
    job_poll_seconds: float = Field(default=1.0, gt=0)
    job_heartbeat_seconds: float = Field(default=5.0, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    profile_dirs: list[Path] = Field(
        default_factory=list, description="Folders of local profiles (YAML) added to the shipped standards."
    )
    registry_filing_number_format: str = Field(
        default="{prefix}{year}{type_code}{seq:05d}",
        description="Filing numbers; placeholders {prefix} {year} {type_code} {seq} {region}.",
    )
    registry_filing_number_prefix: str = "示范算备"
    registry_review_days: int = Field(default=20, ge=1, description="Days an expert has for a review.")
    registry_reassessment_days: int = Field(default=365, ge=1, description="Approved filings are re-assessed after.")
    registry_max_attachment_bytes: int = Field(default=25 * 1024**2, ge=1024)
    registry_tiering_profiles: list[str] = Field(
        default_factory=lambda: ["gongzhi.tiering.cn@1", "gongzhi.tiering.eu-ai-act@1"],
        description="Tiering profiles applied to every system (add local ones from profile_dirs).",
    )
    assess_max_upload_bytes: int = Field(
        default=512 * 1024**2, ge=1024, description="Largest test-data, model or evidence file for an assessment."
    )
    assess_endpoint_timeout_seconds: float = Field(default=10.0, gt=0, description="Per request to a model endpoint.")
    assess_pdf_reports: bool = Field(default=True, description="Render a PDF report with every assessment.")
    ledger_key_file: Path | None = Field(
        default=None, description="Ed25519 key that signs tree heads; data_dir/ledger-signing-key.pem when unset."
    )
    ledger_live_verify_limit: int = Field(
        default=200_000, ge=0, description="The ledger page re-verifies the whole log live up to this many entries."
    )
    job_executor: Literal["local", "ray"] = Field(
        default="local", description="Where the worker runs jobs: local processes, or a Ray cluster (gongzhi[dist])."
    )
    ray_address: str | None = Field(
        default=None, description="Ray cluster to join (e.g. ray://head:10001); None starts a local Ray instance."
    )
    datasec_pseudonym_key: SecretStr | None = Field(
        default=None, description="HMAC key for pseudonyms and fakes; data_dir/datasec-pseudonym-key when unset."
    )
    datasec_max_upload_bytes: int = Field(default=1024**3, ge=1024, description="Largest data file one may upload.")
    datasec_batch_rows: int = Field(default=65_536, ge=1, description="Rows per batch in scans (bounds memory).")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = os.environ.get("GONGZHI_CONFIG_FILE", "gongzhi.toml")
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    def instance_path(self, *parts: str) -> Path:
        """A path inside the instance folder, which is created (owner-only) when missing."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self.data_dir.joinpath(*parts)

    def resolved_ledger_key_file(self) -> Path:
        """Where the ledger signing key lives."""
        return self.ledger_key_file or self.instance_path("ledger-signing-key.pem")

    def resolved_secret_key(self) -> bytes:
        """The configured secret key, or the one kept in ``data_dir/secret_key`` (created on first use)."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return read_or_create_secret(self.instance_path("secret_key"))


def read_or_create_secret(path: Path, nbytes: int = 32) -> bytes:
    """Read a secret file, or create it with owner-only permissions (atomically: no half-written file)."""
    if path.exists():
        return path.read_bytes().strip()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "wb") as f:
        f.write(secrets.token_hex(nbytes).encode())
    try:
        os.link(tmp, path)  # fails if another process created it first; then its secret wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_bytes().strip()
