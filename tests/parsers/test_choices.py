"""nlu.parsers.choices: employment, housing, categories, yes/no, corrections."""

from __future__ import annotations

import pytest

from nlu.parsers.choices import (
    CATEGORIES,
    EMPLOYMENT_TYPES,
    FIELDS,
    HOUSING_TYPES,
    detect_field,
    parse_categories,
    parse_employment,
    parse_housing,
    parse_yes_no,
)
from nlu.parsers.lexicon import load_lexicon


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # employed
        ("上班族", "employed"),
        ("上班", "employed"),
        ("打工的", "employed"),
        ("公司职员", "employed"),
        ("在国企工作", "employed"),
        ("公务员", "employed"),
        ("老师", "employed"),
        ("程序员", "employed"),
        ("full-time", "employed"),
        ("I work at a bank", "employed"),
        ("employed", "employed"),
        ("office worker", "employed"),
        ("I'm a nurse", "employed"),
        ("做外卖骑手", "employed"),
        ("self employed", "self_employed"),  # a value name typed as-is
        # self-employed
        ("个体户", "self_employed"),
        ("自己做生意", "self_employed"),
        ("开店", "self_employed"),
        ("自由职业", "self_employed"),
        ("老板", "self_employed"),
        ("创业", "self_employed"),
        ("freelancer", "self_employed"),
        ("self-employed", "self_employed"),
        ("Self Employed", "self_employed"),
        ("I run my own business", "self_employed"),
        # student
        ("学生", "student"),
        ("大学生", "student"),
        ("在读研究生", "student"),
        ("student", "student"),
        ("I'm at university", "student"),
        # retired
        ("退休了", "retired"),
        ("退休", "retired"),
        ("retired", "retired"),
        ("pensioner", "retired"),
        ("retired teacher", "retired"),
        ("退休前是老师", "retired"),
        # unemployed
        ("无业", "unemployed"),
        ("待业", "unemployed"),
        ("失业", "unemployed"),
        ("没工作", "unemployed"),
        ("unemployed", "unemployed"),
        ("between jobs", "unemployed"),
        ("not working", "unemployed"),
        ("I'm not employed right now", "unemployed"),
        # negation and tense
        ("不是学生", None),
        ("I'm not a student", None),
        ("我不是学生，我上班", "employed"),
        ("not a student, I work at Tencent", "employed"),
        ("以前是学生，现在上班了", "employed"),
        ("I used to be a teacher, now I'm self-employed", "self_employed"),
        ("我以前是学生", "student"),  # nothing else said: take it
        # nothing
        ("", None),
        ("hello", None),
        ("不知道", None),
        ("😀", None),
    ],
)
def test_parse_employment(text: str, expected: str | None) -> None:
    assert parse_employment(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自己的房子", "own"),
        ("全款买的", "own"),
        ("有房", "own"),
        ("I own my home", "own"),
        ("homeowner", "own"),
        ("own", "own"),  # a value name typed as-is
        ("I own a small shop", None),  # "own" alone is not about housing
        ("房贷", "mortgage"),
        ("按揭", "mortgage"),
        ("还贷中", "mortgage"),
        ("有房贷", "mortgage"),
        ("自己的房子，还在还房贷", "mortgage"),
        ("mortgage", "mortgage"),
        ("I'm paying a mortgage", "mortgage"),
        ("租房", "rent"),
        ("租的房子", "rent"),
        ("合租", "rent"),
        ("renting", "rent"),
        ("I rent", "rent"),
        ("和父母住", "family"),
        ("住家里", "family"),
        ("我住在父母家", "family"),
        ("live with my parents", "family"),
        ("公司宿舍", "other"),
        ("学校宿舍", "other"),
        ("dorm", "other"),
        ("other", "other"),
        ("没有房贷，全款买的", "own"),
        ("I don't rent", None),
        ("不是租的", None),
        ("parents", None),  # "rent" inside a word does not count
        ("", None),
        ("hello", None),
    ],
)
def test_parse_housing(text: str, expected: str | None) -> None:
    assert parse_housing(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("旅游", ["travel"]),
        ("出差", ["travel"]),
        ("机票酒店", ["travel"]),
        ("travel", ["travel"]),
        ("flights", ["travel"]),
        ("吃饭", ["dining"]),
        ("餐饮", ["dining"]),
        ("美食", ["dining"]),
        ("外卖", ["dining"]),
        ("restaurants", ["dining"]),
        ("eating out", ["dining"]),
        ("food delivery", ["dining"]),
        ("逛街", ["shopping"]),
        ("商场", ["shopping"]),
        ("买衣服", ["shopping"]),
        ("shopping", ["shopping"]),
        ("网购", ["online"]),
        ("淘宝", ["online"]),
        ("京东", ["online"]),
        ("拼多多", ["online"]),
        ("online shopping", ["online"]),
        ("加油", ["fuel"]),
        ("开车", ["fuel"]),
        ("车", ["fuel"]),
        ("fuel", ["fuel"]),
        ("gas", ["fuel"]),
        ("petrol", ["fuel"]),
        ("日常", ["everyday"]),
        ("超市", ["everyday"]),
        ("生活缴费", ["everyday"]),
        ("groceries", ["everyday"]),
        ("everyday", ["everyday"]),
        ("daily expenses", ["everyday"]),
        ("火车票", ["travel"]),  # 车 inside 火车票 is not fuel
        # several, in the fixed order
        ("旅游和餐饮", ["travel", "dining"]),
        ("餐饮和旅游", ["travel", "dining"]),
        ("travel, dining and online shopping", ["travel", "dining", "online"]),
        ("网购、加油、超市", ["online", "fuel", "everyday"]),
        ("旅游餐饮都可以", ["travel", "dining"]),
        # no preference
        ("都可以", ["everyday"]),
        ("没什么特别的", ["everyday"]),
        ("no preference", ["everyday"]),
        ("anything", ["everyday"]),
        # negation
        ("不怎么旅游，喜欢吃", ["dining"]),
        ("I don't drive, but I love travel", ["travel"]),
        # a category word inside something else
        ("我有车贷", []),
        ("online banking", []),
        ("gas bill", ["everyday"]),
        ("", []),
        ("hello", []),
    ],
)
def test_parse_categories(text: str, expected: list[str]) -> None:
    assert parse_categories(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # yes
        ("同意", True),
        ("我同意", True),
        ("好的", True),
        ("可以", True),
        ("确认", True),
        ("是的", True),
        ("是", True),
        ("好", True),
        ("嗯嗯", True),
        ("没问题", True),
        ("不错", True),
        ("yes", True),
        ("Yes!", True),
        ("I accept", True),
        ("I agree", True),
        ("sure", True),
        ("Sure, go ahead", True),
        ("ok", True),
        ("OK.", True),
        ("confirm", True),
        ("no problem", True),
        ("y", True),
        ("👍", True),
        # no
        ("不同意", False),
        ("我不同意", False),
        ("不", False),
        ("不要", False),
        ("拒绝", False),
        ("不是的", False),
        ("不，谢谢", False),
        ("算了吧", False),
        ("no", False),
        ("no, thanks", False),
        ("I don't agree", False),
        ("I don't accept", False),
        ("I do not accept the terms", False),
        ("decline", False),
        ("not now", False),
        ("Absolutely not", False),
        ("不是很同意", False),
        ("n", False),
        # last word wins when both are said
        ("不，我同意", True),
        ("好的，不过我不同意", False),
        ("yes, I don't agree", False),
        # questions and hedges
        ("可以吗？", None),
        ("同意什么?", None),
        ("不太确定", None),
        ("maybe", None),
        ("not sure", None),
        ("I have no idea", None),
        ("hello", None),
        ("", None),
        ("😀", None),
    ],
)
def test_parse_yes_no(text: str, expected: bool | None) -> None:
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚才收入说错了，是三万", "monthly_income"),
        ("收入改成两万", "monthly_income"),
        ("change my income to 20k", "monthly_income"),
        ("my salary is wrong", "monthly_income"),
        ("我想申请信用卡，收入改成两万", "monthly_income"),
        ("my phone number is wrong", "phone"),
        ("手机号填错了", "phone"),
        ("名字写错了", "full_name"),
        ("my name is spelled wrong", "full_name"),
        ("身份证号码输错了", "id_number"),
        ("my ID number is wrong", "id_number"),
        ("I'm actually self-employed", "employment_type"),
        ("职业选错了", "employment_type"),
        ("公司名称不对", "employer"),
        ("工作单位写错了", "employer"),
        ("my employer is wrong", "employer"),
        ("月供改成3000", "monthly_debt_payment"),
        ("change my loan repayment", "monthly_debt_payment"),
        ("其实我是租房的", "housing"),
        ("住房情况改一下", "housing"),
        ("消费偏好改一下", "spending_categories"),
        ("change my spending interests", "spending_categories"),
        ("我想换一张卡", "chosen_card"),
        ("I want a different card", "chosen_card"),
        ("420106198008251161", "id_number"),
        ("应该是15012345678", "phone"),
        ("hello", None),
        ("", None),
    ],
)
def test_detect_field(text: str, expected: str | None) -> None:
    assert detect_field(text) == expected


# --- the lexicon files themselves -----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("employment", set(EMPLOYMENT_TYPES)),
        ("housing", set(HOUSING_TYPES)),
        ("categories", {*CATEGORIES, "any", "ignore"}),
        ("fields", set(FIELDS)),
        ("yes_no", {"yes", "no", "unsure"}),
    ],
)
def test_lexicon_labels(name: str, labels: set[str]) -> None:
    data = load_lexicon(name)
    assert set(data) == labels
    for entry in data.values():
        assert isinstance(entry, dict)


def _all_strings(node: object) -> list[object]:
    if isinstance(node, dict):
        return [x for v in node.values() for x in _all_strings(v)]
    if isinstance(node, list):
        return [x for v in node for x in _all_strings(v)]
    return [node]


@pytest.mark.parametrize("name", ["employment", "housing", "categories", "fields", "yes_no", "non_names"])
def test_lexicon_entries_are_strings(name: str) -> None:
    # YAML 1.1 would read yes/no/on/off as booleans; the loader keeps them strings.
    values = _all_strings(load_lexicon(name))
    assert values and all(isinstance(v, str) and v.strip() for v in values)


def test_lexicon_has_zh_and_en_side_by_side() -> None:
    for name in ("employment", "housing", "categories", "fields"):
        for label, entry in load_lexicon(name).items():
            assert entry.get("zh") and entry.get("en"), (name, label)


def test_missing_lexicon_is_empty() -> None:
    assert load_lexicon("does_not_exist") == {}


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("年费多少", True),
        ("有没有年费", True),
        ("刷卡有积分没", True),
        ("可以吗", True),
        ("how do I repay?", True),
        ("is there a fee", True),
        ("never missed a payment", False),
        ("没有逾期过", False),
        ("12k after tax", False),
        ("I rent", False),
        ("", False),
    ],
)
def test_looks_like_question(text: str, question: bool) -> None:
    from nlu.parsers import looks_like_question

    assert looks_like_question(text) is question
