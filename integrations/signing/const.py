"""Constants of agreement rendering and signing: file names, field names, OIDs, reason codes."""

from __future__ import annotations

from typing import Final

# ---- fonts (Debian packages fonts-wqy-microhei / fonts-noto-cjk) ----
CJK_FONTS: Final = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),  # WenQuanYi Micro Hei, face 0
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Noto Sans CJK SC
)
FONT_CACHE_VERSION: Final = "1"  # bump when the reduced font's character set changes

# ---- the agreement ----
TEMPLATE_FILE: Final = "agreement.yml"
LANGUAGES: Final = ("zh", "en")

# ---- PKI under <var_dir>/pki/ (never committed) ----
PKI_DIR: Final = "pki"
ROOT_CERT: Final = "root-ca.crt"
ROOT_KEY: Final = "root-ca.key"
SIGNER_CERT: Final = "signer.crt"
SIGNER_KEY: Final = "signer.key"
SM2_KEY: Final = "sm2-signer.key"
SM2_PUBLIC: Final = "sm2-signer.pub"
ROOT_VALID_DAYS: Final = 3650
SIGNER_VALID_DAYS: Final = 825
OID_DOCUMENT_SIGNING: Final = "1.3.6.1.5.5.7.3.36"  # id-kp-documentSigning (RFC 9336)

# ---- the signature ----
SIGNATURE_FIELD: Final = "KaikaBankSignature"
EVIDENCE_FILE: Final = "consent-evidence.json"
EVIDENCE_VERSION: Final = 1
LEVEL_B_B: Final = "pades-b-b"
LEVEL_B_T: Final = "pades-b-t"
SM2_ALGORITHM: Final = "sm2-with-sm3"

# ---- reason codes (VerificationReport.reasons, SigningError.code) ----
NO_SIGNATURE: Final = "no_signature"
UNREADABLE_PDF: Final = "unreadable_pdf"
NOT_INTACT: Final = "not_intact"
INVALID_SIGNATURE: Final = "invalid_signature"
UNTRUSTED_SIGNER: Final = "untrusted_signer"
NO_TRUST_ROOT: Final = "no_trust_root"
MODIFIED_AFTER_SIGNING: Final = "modified_after_signing"
NO_EVIDENCE: Final = "no_evidence"
EVIDENCE_MISMATCH: Final = "evidence_mismatch"
TIMESTAMP_INVALID: Final = "timestamp_invalid"
UNKNOWN_PRODUCT: Final = "unknown_product"
BAD_LIMIT: Final = "bad_limit"
BAD_LANGUAGE: Final = "bad_language"
BAD_EVIDENCE: Final = "bad_evidence"
NO_CJK_FONT: Final = "no_cjk_font"
SIGNER_UNAVAILABLE: Final = "signer_unavailable"
TSA_UNAVAILABLE: Final = "tsa_unavailable"
NOT_FOUND: Final = "not_found"
