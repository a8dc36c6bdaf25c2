"""Names, codes and tuning numbers of identity-document reading, in one place.

Field names, document types and check names are part of the stable output of
``kaika kyc read`` (issue 3, "Stable names"): other tools read them, so they never change.
Reason codes are short snake_case strings the dialogue turns into zh/en messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parents[2]
DATA_DIR: Final = ROOT / "data" / "kyc"
REGIONS_CSV: Final = DATA_DIR / "regions.csv"
ETHNICITIES_CSV: Final = DATA_DIR / "ethnicities.csv"
CONFUSABLES_CSV: Final = DATA_DIR / "ocr_confusables.csv"
SURNAMES_TXT: Final = DATA_DIR / "surnames.txt"

# ---- document types (stable) -------------------------------------------------------------
CN_ID_FRONT: Final = "cn_id_front"
CN_ID_BACK: Final = "cn_id_back"
PASSPORT: Final = "passport"  # ICAO 9303 TD3 (passport data page)
MRZ_ID_CARD: Final = "mrz_id_card"  # ICAO 9303 TD1 (ID-1 sized card with a 3-line MRZ)
DOCUMENT_TYPES: Final = (CN_ID_FRONT, CN_ID_BACK, PASSPORT, MRZ_ID_CARD)

# ---- field names (stable) ----------------------------------------------------------------
NAME: Final = "name"
SEX: Final = "sex"  # "M" | "F"
ETHNICITY: Final = "ethnicity"  # as printed, e.g. "汉", "维吾尔"
BIRTH_DATE: Final = "birth_date"  # YYYY-MM-DD
ADDRESS: Final = "address"
ID_NUMBER: Final = "id_number"
ISSUING_AUTHORITY: Final = "issuing_authority"
VALID_FROM: Final = "valid_from"  # YYYY-MM-DD
VALID_TO: Final = "valid_to"  # YYYY-MM-DD or LONG_TERM
DOCUMENT_NUMBER: Final = "document_number"
SURNAME: Final = "surname"
GIVEN_NAMES: Final = "given_names"
NATIONALITY: Final = "nationality"  # ICAO 3-letter code
EXPIRY_DATE: Final = "expiry_date"  # YYYY-MM-DD
MRZ_VALID: Final = "mrz_valid"  # bool: every check digit verified
ISSUING_STATE: Final = "issuing_state"

LONG_TERM: Final = "长期"  # printed instead of an end date on cards of people 46+

FRONT_FIELDS: Final = (NAME, SEX, ETHNICITY, BIRTH_DATE, ADDRESS, ID_NUMBER)
BACK_FIELDS: Final = (ISSUING_AUTHORITY, VALID_FROM, VALID_TO)
PASSPORT_FIELDS: Final = (DOCUMENT_NUMBER, SURNAME, GIVEN_NAMES, NATIONALITY, BIRTH_DATE, SEX, EXPIRY_DATE, MRZ_VALID)

# ---- rejection codes (DocumentRejected.code) ---------------------------------------------
# The image-intake codes of integrations.kyc.images pass through unchanged
# (not_image, pdf, too_large, too_many_pixels, truncated, too_small, unsupported_format).
NO_DOCUMENT: Final = "no_document"  # no ID card or passport page found (a cat, a landscape)
TOO_BLURRY: Final = "too_blurry"  # a document is there but too blurred to read
UNREADABLE: Final = "unreadable"  # a document is there, but its key field could not be read
OCR_UNAVAILABLE: Final = "ocr_unavailable"  # the OCR engine is missing or failed (server-side problem)

# ---- check names (stable) and their detail codes ------------------------------------------
CHECK_ID_CHECKSUM: Final = "id_number_checksum"  # GB 11643 check character
CHECK_ID_BIRTH: Final = "id_number_birth_date"  # birth date in the number == printed one
CHECK_ID_SEX: Final = "id_number_sex"  # sex digit in the number == printed sex
CHECK_REGION: Final = "region_code"  # first 6 digits: a real administrative division
CHECK_NOT_EXPIRED: Final = "not_expired"
CHECK_VALIDITY_PERIOD: Final = "validity_period"  # 5/10/20 years or long-term, start before end
CHECK_NAME_MATCH: Final = "name_matches_typed"
CHECK_MRZ_DIGITS: Final = "mrz_check_digits"
CHECK_MRZ_DOCUMENT_NUMBER: Final = "mrz_document_number_digit"
CHECK_MRZ_BIRTH: Final = "mrz_birth_date_digit"
CHECK_MRZ_EXPIRY: Final = "mrz_expiry_date_digit"
CHECK_MRZ_OPTIONAL: Final = "mrz_optional_data_digit"
CHECK_MRZ_COMPOSITE: Final = "mrz_composite_digit"

# detail codes (the third element of a check)
OK: Final = "ok"
MISSING: Final = "missing"  # the field needed for this check was not read
MISMATCH: Final = "mismatch"
EXACT: Final = "exact"
OCR_CONFUSION: Final = "ocr_confusion"  # equal up to characters OCR is known to confuse
DIFFERENT_PERSON: Final = "different_name"
NOT_COMPARABLE: Final = "not_comparable"  # e.g. a typed name with no letters in common script
EXPIRED: Final = "expired"
UNKNOWN_REGION: Final = "unknown_region"
BAD_CHECK_DIGIT: Final = "bad_check_digit"
INVALID_NUMBER: Final = "invalid_number"
NONSTANDARD_PERIOD: Final = "nonstandard_period"

# ---- tuning --------------------------------------------------------------------------------
WORK_LONG_SIDE: Final = 1600  # photos are shrunk to this before looking for the document
ID_CARD_MM: Final = (85.6, 54.0)  # ISO/IEC 7810 ID-1 (resident ID card, TD1)
TD3_PAGE_MM: Final = (125.0, 88.0)  # ISO/IEC 7810 ID-3 (passport data page)
PX_PER_MM: Final = 10  # rectified documents are drawn at 10 px/mm (856 x 540 for a card)
MIN_DOC_AREA: Final = 0.08  # a document must cover at least 8% of the photo
# Sharpness (card_layout.sharpness, Laplacian variance at 5 px/mm) of ID cards / passport pages:
# below the gate a photo is not even tried; below the soft limit a failed read is put down to blur.
# Calibrated on bench.idcard_gen: its "blurred" variant is 440-860 (card) and 80-215 (page),
# a Gaussian blur of sigma 6 px on a 900 px card gives about 20 (card) and 6 (page).
BLUR_GATE: Final = {"card": 45.0, "page": 15.0}
BLUR_SOFT: Final = {"card": 250.0, "page": 60.0}
OCR_TIMEOUT_S: Final = 20
OCR_WORKERS: Final = 2  # parallel OCR processes (2-core target machine)
