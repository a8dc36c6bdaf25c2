"""Text parsers shared by the Rasa NLU components and form validation.

One module per concept; every function accepts any ``str`` without raising
and reports failures as short error-code strings (the dialogue layer turns
codes into zh/en messages).
"""

from .amounts import Amount, parse_amount, parse_range_payload
from .choices import (
    detect_field,
    looks_like_question,
    parse_categories,
    parse_employment,
    parse_housing,
    parse_yes_no,
)
from .dates import find_dates, is_ambiguous_date, parse_date, parse_validity
from .idcard import IdNumber, IdParse, age_on, check_digit, mask_id_number, parse_id_number
from .language import detect_language, language_request
from .names import NameParse, mask_name, parse_name
from .numbers import NumberSpan, find_numbers, parse_number, spoken_digits_to_ascii
from .phone import PhoneParse, mask_phone, parse_phone
from .text import cjk_ratio, has_markup, is_meaningless, normalize, strip_markup

__all__ = [
    "Amount",
    "IdNumber",
    "IdParse",
    "NameParse",
    "NumberSpan",
    "PhoneParse",
    "age_on",
    "check_digit",
    "cjk_ratio",
    "detect_field",
    "detect_language",
    "find_dates",
    "find_numbers",
    "has_markup",
    "is_ambiguous_date",
    "is_meaningless",
    "language_request",
    "looks_like_question",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "normalize",
    "parse_amount",
    "parse_categories",
    "parse_date",
    "parse_employment",
    "parse_housing",
    "parse_id_number",
    "parse_name",
    "parse_number",
    "parse_phone",
    "parse_range_payload",
    "parse_validity",
    "parse_yes_no",
    "spoken_digits_to_ascii",
    "strip_markup",
]

from nlu.parsers.durations import parse_years

__all__ += ["parse_years"]

from nlu.parsers.card_commands import CardCommand, parse_card_command  # noqa: E402

__all__ += ["CardCommand", "parse_card_command"]
