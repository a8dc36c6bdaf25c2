"""Signing tests: a shared reduced-font cache (built once per session, several seconds) and a
fresh state directory (keys, CA, store) per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import reset_caches


def reset_signing_caches() -> None:
    from integrations.signing import agreement, config, sign

    config.get_signing_settings.cache_clear()
    agreement.load_template.cache_clear()
    sign._cached_local_signer.cache_clear()


@pytest.fixture(scope="session")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture()
def var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font_cache: Path) -> Iterator[Path]:
    """A fresh state directory (no database) with the session's font cache."""
    monkeypatch.setenv("KAIKA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("KAIKA_SIGNING_FONT_CACHE_DIR", str(font_cache))
    for name in ("SIGNER", "TSA_URL", "TRUST_ROOTS", "PKCS12_PATH", "PKCS12_PASSPHRASE", "FONT_PATH"):
        monkeypatch.delenv(f"KAIKA_SIGNING_{name}", raising=False)
    reset_caches()
    reset_signing_caches()
    yield tmp_path
    monkeypatch.undo()
    reset_caches()
    reset_signing_caches()


@pytest.fixture()
def signing_store(store: Path, monkeypatch: pytest.MonkeyPatch, font_cache: Path) -> Iterator[Path]:
    """The migrated database of ``store`` plus the session's font cache."""
    monkeypatch.setenv("KAIKA_SIGNING_FONT_CACHE_DIR", str(font_cache))
    reset_signing_caches()
    yield store
    reset_signing_caches()


DAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 10, 15, 0, tzinfo=dt.timezone.utc)
ID_NUMBER = "420106198008251161"


def sample(language: str = "zh", **changes: object):  # type: ignore[no-untyped-def]
    from integrations.signing import AgreementData

    fields: dict[str, object] = {
        "reference": "KK261128-7Q4MZP",
        "applicant_name": "张伟" if language == "zh" else "Emily Chen",
        "id_number": ID_NUMBER,
        "product_code": "KK_CLASSIC",
        "credit_limit": 20000,
        "language": language,
        "agreement_date": DAY,
    }
    fields.update(changes)
    return AgreementData(**fields)  # type: ignore[arg-type]


def evidence_for(pdf: bytes, language: str = "zh", reference: str = "KK261128-7Q4MZP"):  # type: ignore[no-untyped-def]
    from integrations.signing import ConsentEvidence

    return ConsentEvidence.for_document(
        pdf,
        application_reference=reference,
        agreement_version="2026-11",
        language=language,
        otp_verified_at=NOW,
        consented_at=NOW + dt.timedelta(seconds=20),
        conversation_id="web:conversation-1",
    )
