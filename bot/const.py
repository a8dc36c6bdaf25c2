"""Names shared across kaika's processes: slot names, statuses, field order.

Slot names are a stable contract (other tools read them); change them only with a migration note.
"""

from __future__ import annotations

from typing import Final

# --- slots (stable names) -----------------------------------------------------------------
LANGUAGE: Final = "language"
CONSENT_GIVEN: Final = "consent_given"
FULL_NAME: Final = "full_name"
ID_NUMBER: Final = "id_number"
BIRTH_DATE: Final = "birth_date"
SEX: Final = "sex"
PHONE: Final = "phone"
EMPLOYMENT_TYPE: Final = "employment_type"
EMPLOYER: Final = "employer"
MONTHLY_INCOME: Final = "monthly_income"
HOUSING: Final = "housing"
MONTHLY_DEBT_PAYMENT: Final = "monthly_debt_payment"
SPENDING_CATEGORIES: Final = "spending_categories"
CHOSEN_CARD: Final = "chosen_card"
APPLICATION_CONFIRMED: Final = "application_confirmed"
JOB_YEARS: Final = "job_years"
PAST_ARREARS: Final = "past_arrears"
APPLICATION_ID: Final = "application_id"
APPLICATION_STATUS: Final = "application_status"
REQUESTED_SLOT: Final = "requested_slot"
# identity verification (issue 3)
ID_DOCUMENT: Final = "id_document"  # manual | document
DOCUMENT_CONFIRMED: Final = "document_confirmed"
PHONE_OTP: Final = "phone_otp"  # verified | deferred
LIVENESS_CHECK: Final = "liveness_check"  # done | deferred
KYC_STATUS: Final = "kyc_status"  # passed | review | failed
PHONE_VERIFIED: Final = "phone_verified"
LIVENESS_PASSED: Final = "liveness_passed"
# credit decision (issue 4)
DECISION: Final = "decision"  # approve | refer | decline
CREDIT_LIMIT: Final = "credit_limit"
# signing and card (issue 5)
TERMS_ACCEPTED: Final = "terms_accepted"
SIGN_OTP: Final = "sign_otp"
AGREEMENT_SIGNED: Final = "agreement_signed"
CARD_LAST4: Final = "card_last4"
CARD_STATUS: Final = "card_status"  # active | frozen | inactive
# internal bookkeeping slots
STOP_REASON: Final = "stop_reason"
PENDING_CONFIRMATION: Final = "pending_confirmation"
FAILED_FIELD: Final = "failed_field"
FAILED_COUNT: Final = "failed_count"
CHANGE_REQUESTED: Final = "change_requested"  # "我要修改" at the summary: ask what, not the summary again

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"

EMPLOYMENT_TYPES: Final = ("employed", "self_employed", "student", "retired", "unemployed")
HOUSING_TYPES: Final = ("own", "mortgage", "rent", "family", "other")
SPENDING_CATEGORY_CODES: Final = ("travel", "dining", "shopping", "online", "fuel", "everyday")

# Fields an applicant may correct after giving them (and their order in summaries).
APPLICANT_FIELDS: Final = (
    FULL_NAME,
    ID_NUMBER,
    PHONE,
    EMPLOYMENT_TYPE,
    EMPLOYER,
    JOB_YEARS,
    MONTHLY_INCOME,
    HOUSING,
    MONTHLY_DEBT_PAYMENT,
    PAST_ARREARS,
    SPENDING_CATEGORIES,
    CHOSEN_CARD,
)

# Form
APPLICATION_FORM: Final = "application_form"

# Stop reasons (why the form ended before a submission)
STOP_NO_CONSENT: Final = "no_consent"
STOP_UNDER_AGE: Final = "under_age"
STOP_KYC_FAILED: Final = "kyc_failed"

# Privacy notice version the applicant consents to (bump when the notice text changes).
PRIVACY_NOTICE_VERSION: Final = "2026-11-28"
