"""Names and numbers shared by the scoring modules: scaling, file names, extra application keys,
feature names, outcomes and codes. Codes are stable snake_case strings; the dialogue owns the
words (except adverse-action reasons, which live as data in ``data/scoring/reasons.yml``)."""

from __future__ import annotations

from typing import Final

from bot.settings import ROOT

# --- points scaling: 600 points at 19:1 good:bad odds, 50 points double the odds ---------
BASE_POINTS: Final = 600.0
BASE_ODDS: Final = 19.0
PDO: Final = 50.0

# --- training -----------------------------------------------------------------------------
CV_FOLDS: Final = 5
RANDOM_STATE: Final = 42
MIN_BIN_SIZE: Final = 0.05  # no bin with fewer than 5 % of the training rows: stable points
MIN_IV: Final = 0.02  # features with less information value than this are left out
DEFAULT_TREND: Final = "auto_asc_desc"  # monotonic, direction chosen from the data
# Substrings of column names never used as model features (protected attributes).
PROTECTED_PATTERNS: Final = (
    "sex",
    "gender",
    "marital",
    "personal_status",
    "nationality",
    "foreign",
    "citizenship",
    "race",
    "ethnic",
    "religion",
)
TRUTHY_TARGETS: Final = ("1", "1.0", "bad", "yes", "true", "default", "defaulted")

# --- files --------------------------------------------------------------------------------
CREDIT_DATA_DIR: Final = ROOT / "data" / "credit"
POLICY_FILE: Final = ROOT / "data" / "scoring" / "policy.yml"
REASONS_FILE: Final = ROOT / "data" / "scoring" / "reasons.yml"
DEFAULT_PROFILE: Final = "credit_data"  # the shipped reference model (chat-mapped features)
MODEL_SUBDIR: Final = "scoring"  # under settings.model_dir
CURRENT_FILE: Final = "CURRENT"  # names the version decisions use
SCORECARD_FILE: Final = "scorecard.json"
CARD_JSON: Final = "model_card.json"
CARD_MD: Final = "model_card.md"
BINNING_CSV: Final = "binning_table.csv"
ARTIFACT_FORMAT: Final = 1

# --- application keys beyond the conversation's slots (bot.const) -------------------------
KYC_PASSED: Final = "kyc_passed"  # True / False / absent (not done yet)
KYC_REVIEW: Final = "kyc_review"  # True: verification incomplete or in review → refer to a person
SCREENING_HIT: Final = "screening_hit"  # sanctions / PEP screening: True → review
FRAUD_FLAG: Final = "fraud_flag"  # from fraud.check: True → review
AS_OF: Final = "as_of"  # ISO date the decision is made on (age); default today
DEVICE_FINGERPRINT: Final = "device_fingerprint"  # from the channel (browser / app session)
ADDRESS: Final = "address"
EMPLOYER_PHONE: Final = "employer_phone"
CONTACT_PHONE: Final = "contact_phone"

# --- model features the conversation can supply (canonical names, chat units) -------------
F_AGE: Final = "age"  # years, from birth_date on the decision date
F_INCOME: Final = "monthly_income"  # CNY per month
F_DEBT: Final = "monthly_debt_payment"  # CNY per month
F_DTI: Final = "debt_to_income"  # monthly_debt_payment / monthly_income
F_HOUSING: Final = "housing"
F_EMPLOYMENT: Final = "employment_type"
F_JOB_YEARS: Final = "job_years"  # years with the current employer / in the current business
F_PAST_ARREARS: Final = "past_arrears"  # yes | no: any overdue repayment in the last two years

# --- conversation slots this package reads that bot.const does not (yet) name -------------
# The dialogue asks them (same names); bot.const should add JOB_YEARS and PAST_ARREARS.
SLOT_JOB_YEARS: Final = "job_years"  # float years; asked only of JOB_YEARS_APPLIES_TO
SLOT_PAST_ARREARS: Final = "past_arrears"  # bool; asked of everyone
JOB_YEARS_APPLIES_TO: Final = ("employed", "self_employed")  # employment types asked job_years
# Nobody in the reference data started their current job before 14 (Age − Seniority ≥ 14):
# job_years above age − 14 is a typo, asked again.
MIN_START_AGE: Final = 14
YES: Final = "yes"
NO: Final = "no"
YES_NO: Final = (NO, YES)

NUMERICAL: Final = "numerical"
CATEGORICAL: Final = "categorical"

# --- outcomes -----------------------------------------------------------------------------
APPROVE: Final = "approve"
REFER: Final = "refer"
DECLINE: Final = "decline"
CONDITION: Final = "condition"  # a rule that attaches a condition without changing the outcome
OUTCOME_RANK: Final = {APPROVE: 0, CONDITION: 0, REFER: 1, DECLINE: 2}

# --- data issues (field, code) reported in every decision ---------------------------------
ISSUE_MISSING: Final = "missing"
ISSUE_INVALID: Final = "invalid"
ISSUE_OUT_OF_RANGE: Final = "out_of_range"
ISSUE_UNKNOWN_CATEGORY: Final = "unknown_category"
ISSUE_NOT_ASKED: Final = "not_asked"  # the model uses a feature the conversation does not ask
ISSUE_NOT_APPLICABLE: Final = "not_applicable"  # not asked of this applicant by design (job_years
# of a student, retiree or unemployed applicant): scored in the missing bin, not asked again
ISSUE_UNKNOWN_PRODUCT: Final = "unknown_product"

# --- errors (codes carried by exceptions) -------------------------------------------------
ERR_NO_MODEL: Final = "model_unavailable"
ERR_BAD_ARTIFACT: Final = "artifact_invalid"
ERR_BAD_PROFILE: Final = "profile_invalid"
ERR_BAD_DATA: Final = "training_data_invalid"
ERR_TARGET_NOT_BINARY: Final = "target_not_binary"
ERR_PROTECTED_FEATURE: Final = "protected_feature"
ERR_BAD_POLICY: Final = "policy_invalid"
ERR_BAD_INPUT: Final = "input_invalid"
ERR_POLICY_UNAVAILABLE: Final = "policy_snapshot_unavailable"
ERR_DECISION_NOT_FOUND: Final = "decision_not_found"
ERR_DECISION_ERASED: Final = "decision_erased"
