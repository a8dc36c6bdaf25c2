"""Signing settings from the environment (prefix ``KAIKA_SIGNING_``).

By default kaika signs with its own CA, generated on first run into ``<var_dir>/pki/``: good for
development and demonstrations, trusted by nobody else. A bank points these settings at its real
signing certificate instead: a PKCS#12 file, or a key on a PKCS#11 token / HSM.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseSettings, Field


class SigningSettings(BaseSettings):
    signer: str = Field(default="local", description="local | pkcs12 | pkcs11 | sm2")
    pkcs12_path: Path | None = Field(default=None, description="the bank's signing certificate and key (.p12/.pfx)")
    pkcs12_passphrase: str = Field(default="", description="passphrase of the PKCS#12 file")
    pkcs11_module: Path | None = Field(default=None, description="PKCS#11 library of the token/HSM (.so)")
    pkcs11_token_label: str = ""
    pkcs11_key_label: str = ""
    pkcs11_cert_label: str = ""
    pkcs11_pin: str = ""
    chain_paths: str = Field(default="", description="comma-separated PEM/DER files: intermediates to embed")
    trust_roots: str = Field(
        default="",
        description="comma-separated PEM/DER root certificates to trust when verifying; default: the local CA",
    )
    tsa_url: str = Field(default="", description="RFC 3161 time-stamping authority; set to sign at PAdES B-T")
    tsa_timeout_s: float = 10.0
    font_path: Path | None = Field(default=None, description="a CJK TTF/TTC/OTF; default: Debian's WenQuanYi or Noto")
    font_number: int = Field(default=0, description="face index in a font collection (.ttc)")
    font_cache_dir: Path | None = Field(default=None, description="reduced-font cache; default <var_dir>/cache/fonts")
    org_name: str = Field(default="kaika Demo Bank", description="organisation in the local CA's certificates")

    class Config:
        env_prefix = "KAIKA_SIGNING_"
        case_sensitive = False

    def paths(self, value: str) -> list[Path]:
        return [Path(p.strip()).expanduser() for p in value.split(",") if p.strip()]


@lru_cache(maxsize=1)
def get_signing_settings() -> SigningSettings:
    return SigningSettings()
