"""Constants of virtual card issuing: card format, lifetimes, states and the result codes.

Codes are short snake_case strings; the dialogue owner maps each to a zh/en message.
"""

from __future__ import annotations

from typing import Final

# --- card format ------------------------------------------------------------------------------
PAN_LENGTH: Final = 16  # UnionPay 62xxxx BINs: 16 digits (ISO/IEC 7812)
EXPIRY_YEARS: Final = 5  # valid to the end of the month, 5 years after issue
CVV2_SERVICE_CODE: Final = "000"  # CVV2 (card-not-present) is computed with service code 000
MASK_PREFIX: Final = "•••• "  # masked display: "•••• 1234"

# --- lifetimes and retries ----------------------------------------------------------------------
REVEAL_TTL_SECONDS: Final = 15 * 60  # a reveal token must be used within 15 minutes
ISSUE_ATTEMPTS: Final = 8  # PAN collisions and write races retried this many times
EVIDENCE_LEASE_SECONDS: Final = 60  # a claimed but unrecorded evidence row is retried after this
CATCH_UP_BATCH: Final = 50  # queued evidence sent along with each card operation
MONEY_PLACES: Final = 2  # limits are yuan with at most 2 decimals (stored in fen)

# --- issuance lifecycle (cards.state) -------------------------------------------------------------
STATE_PENDING: Final = "pending"  # phase 1 committed: card number reserved, not yet issued
STATE_ISSUED: Final = "issued"  # phase 2 committed: application issued, evidence queued
STATE_ERASED: Final = "erased"  # personal data erased; tombstone keeps one-card-per-application

# --- card status as the applicant sees it --------------------------------------------------------
ACTIVE: Final = "active"
INACTIVE: Final = "inactive"
FROZEN: Final = "frozen"

# --- ledger events (integrations.ledger) -----------------------------------------------------------
EVENT_ISSUED: Final = "card_issued"
EVENT_CONTROL: Final = "card_control"
ACTION_ISSUE: Final = "issue"
ACTION_ACTIVATE: Final = "activate"
ACTION_LIMITS: Final = "limits"
ACTION_NOTIFICATIONS: Final = "notifications"
ACTION_FREEZE: Final = "freeze"
ACTION_UNFREEZE: Final = "unfreeze"

# --- result codes: success ---------------------------------------------------------------------------
ISSUED: Final = "issued"  # a new card was issued by this call
ALREADY_ISSUED: Final = "already_issued"  # the application's card exists; same card returned
REVEALED: Final = "revealed"
REVEAL_READY: Final = "reveal_ready"  # a fresh reveal token was armed
OK_VIEW: Final = "ok"
ACTIVATED: Final = "activated"
ALREADY_ACTIVE: Final = "already_active"
LIMITS_SET: Final = "limits_set"
NOTIFICATIONS_ON: Final = "notifications_on"
NOTIFICATIONS_OFF: Final = "notifications_off"
FROZE: Final = "frozen"
ALREADY_FROZEN: Final = "already_frozen"
UNFROZE: Final = "unfrozen"
NOT_FROZEN: Final = "not_frozen"

# --- result codes: refusals --------------------------------------------------------------------------
APPLICATION_NOT_FOUND: Final = "application_not_found"  # unknown, forged or malformed application id
NOT_SIGNED: Final = "not_signed"  # application not approved and signed
UNKNOWN_PRODUCT: Final = "unknown_product"
PRODUCT_MISMATCH: Final = "product_mismatch"  # not the product the applicant applied for
BAD_CREDIT_LIMIT: Final = "invalid_credit_limit"  # outside the product's limit range
CARD_ERASED: Final = "card_erased"  # the application's card data was erased
CARD_NOT_FOUND: Final = "card_not_found"
CARD_FROZEN: Final = "card_frozen"
REVEAL_DENIED: Final = "reveal_denied"  # unknown card or wrong token (indistinguishable)
REVEAL_SPENT: Final = "reveal_spent"  # this card's details were already revealed
REVEAL_EXPIRED: Final = "reveal_expired"
LIMIT_MISSING: Final = "limit_missing"  # neither limit given
LIMIT_NOT_A_NUMBER: Final = "limit_not_a_number"
LIMIT_NOT_POSITIVE: Final = "limit_not_positive"
LIMIT_TOO_PRECISE: Final = "limit_too_precise"  # more than 2 decimals
LIMIT_ABOVE_CREDIT: Final = "limit_above_credit_limit"
TXN_ABOVE_DAILY: Final = "per_transaction_above_daily"
BAD_SWITCH: Final = "invalid_switch"  # notifications flag not a bool
