"""Constants of the evidence ledger: event names, limits, hashing prefixes, reason codes."""

from __future__ import annotations

from typing import Final

# Events that matter legally. A new event is a code change on purpose: auditors read this list.
CONSENT_GIVEN: Final = "consent_given"
KYC_RESULT: Final = "kyc_result"
DECISION: Final = "decision"
AGREEMENT_HASH: Final = "agreement_hash"
OTP_VERIFIED: Final = "otp_verified"
SIGNATURE: Final = "signature"
CARD_ISSUED: Final = "card_issued"
CARD_CONTROL: Final = "card_control"
DATA_DELETED: Final = "data_deleted"
EVENTS: Final = frozenset(
    {
        CONSENT_GIVEN,
        KYC_RESULT,
        DECISION,
        AGREEMENT_HASH,
        OTP_VERIFIED,
        SIGNATURE,
        CARD_ISSUED,
        CARD_CONTROL,
        DATA_DELETED,
    }
)

FORMAT_VERSION: Final = 1
GENESIS_HASH: Final = "0" * 64  # prev_hash of entry 0

# RFC 6962 §2.1 domain separation: leaves and interior nodes never hash alike.
LEAF_PREFIX: Final = b"\x00"
NODE_PREFIX: Final = b"\x01"

MAX_FIELDS: Final = 16
MAX_KEY_CHARS: Final = 40
MAX_VALUE_CHARS: Final = 80
MAX_SUBJECT_CHARS: Final = 64

# Concurrent appends: each process reads the tail and inserts index+1; the unique entry index
# makes exactly one insert per index win, the others retry.
APPEND_ATTEMPTS: Final = 200
BACKOFF_BASE_S: Final = 0.002
BACKOFF_MAX_S: Final = 0.05
SCAN_BATCH: Final = 5000

# Reason codes (validation: raised as LedgerDataError.code; verification: ChainVerification.reason).
BAD_EVENT: Final = "bad_event"
BAD_SUBJECT: Final = "bad_subject"
BAD_DATA: Final = "bad_data"
TOO_MANY_FIELDS: Final = "too_many_fields"
BAD_KEY: Final = "bad_key"
PERSONAL_KEY: Final = "personal_key"
BAD_VALUE: Final = "bad_value"
LOOKS_LIKE_ID_NUMBER: Final = "looks_like_id_number"
LOOKS_LIKE_PHONE: Final = "looks_like_phone"
LOOKS_LIKE_LONG_NUMBER: Final = "looks_like_long_number"
LOOKS_LIKE_NAME: Final = "looks_like_name"
LEDGER_BUSY: Final = "ledger_busy"
NO_SUCH_ENTRY: Final = "no_such_entry"
BAD_TREE_SIZE: Final = "bad_tree_size"

ENTRY_HASH_MISMATCH: Final = "entry_hash_mismatch"  # the entry's content no longer matches its hash
ENTRY_REWRITTEN: Final = "entry_rewritten"  # content and hash rewritten: the next entry's link exposes it
INDEX_GAP: Final = "index_gap"  # an entry is missing (deleted) or out of sequence
BAD_RECORD: Final = "bad_record"  # a stored row is unreadable (not JSON, unknown event, bad hex)
HEAD_MISMATCH: Final = "head_mismatch"  # a recorded tree head does not match the recomputed tree
HEAD_BEYOND_END: Final = "head_beyond_end"  # a tree head covers entries that are gone (truncation)
