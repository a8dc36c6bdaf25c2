"""Settings from the environment (prefix ``KAIKA_``), with development defaults.

Everything a deployment changes lives here: where state goes, the database URL, the ports, the
public address. Secrets that are not given are generated on first use into ``var/secrets``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field, validator

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Process-wide settings. Read once per process via :func:`get_settings`."""

    var_dir: Path = Field(ROOT / "var", description="run-time state: database, keys, logs, outboxes")
    database_url: str = Field("", description="SQLAlchemy URL; default SQLite file var/kaika.db")
    data_key: str = Field(
        "",
        description="base64 AES-256 key(s) for personal data, comma-separated, newest first; "
        "default: generated into var/secrets/data.key",
    )
    index_key: str = Field(
        "", description="base64 key for blind indexes (equality lookups); default generated into var/secrets"
    )
    host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_port: int = 5055
    gateway_port: int = 8000
    rasa_auth_token: str = Field("", env="RASA_AUTH_TOKEN")
    public_url: str = Field("", description="address applicants use to reach the gateway")
    model_dir: Path = ROOT / "models"
    model_name: str = "kaika"
    log_level: str = "INFO"
    handoff_hours_zh: str = "工作日 9:00-21:00"
    handoff_hours_en: str = "9:00-21:00 on working days"

    class Config:
        env_prefix = "KAIKA_"
        case_sensitive = False

    @validator("var_dir", "model_dir", pre=True)
    def _expand(cls, v: object) -> Path:
        return Path(str(v)).expanduser().resolve()

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'kaika.db'}"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def actions_url(self) -> str:
        return f"http://{self.host}:{self.actions_port}"

    @property
    def gateway_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.gateway_port}"

    @property
    def model_path(self) -> Path:
        return self.model_dir / f"{self.model_name}.tar.gz"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]  # pydantic v1 fills fields from the environment
