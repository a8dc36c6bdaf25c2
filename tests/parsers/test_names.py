"""nlu.parsers.names: full names in Chinese and Latin script."""

from __future__ import annotations

import pytest

from nlu.parsers.names import (
    BAD_CHARS,
    HAS_DIGITS,
    HAS_MARKUP,
    NOT_FOUND,
    TOO_LONG,
    TOO_SHORT,
    NameParse,
    mask_name,
    parse_name,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # Chinese, bare and introduced
        ("张伟", "张伟"),
        ("王小明", "王小明"),
        ("我叫张伟", "张伟"),
        ("我是张伟", "张伟"),
        ("姓名：张伟", "张伟"),
        ("姓名:张伟", "张伟"),
        ("名字是王小明", "王小明"),
        ("我的名字叫王小明", "王小明"),
        ("叫我李娜就行", "李娜"),
        ("李娜吧", "李娜"),
        ("王小明。", "王小明"),
        ("我叫王小明，很高兴认识你", "王小明"),
        ("你好，我叫张伟", "张伟"),
        ("张 伟", "张伟"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("司马相如", "司马相如"),
        ("欧阳文华明", "欧阳文华明"),  # compound surname allows 5-6
        ("我的名字叫做李华", "李华"),
        ("我姓张叫张伟", "张伟"),
        ("姓张名伟", "张伟"),
        ("我姓欧阳，叫欧阳娜娜", "欧阳娜娜"),
        ("李华同学", "李华"),
        ("张伟先生", "张伟"),
        ("李有才", "李有才"),
        ("田中太郎", "田中太郎"),
        # ethnic-minority names with a middle dot
        ("买买提·艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("买买提 · 艾力", "买买提·艾力"),
        ("阿卜杜热西提·扎克尔", "阿卜杜热西提·扎克尔"),
        # Latin script
        ("Emily Chen", "Emily Chen"),
        ("my name is Emily Chen", "Emily Chen"),
        ("My name is Emily Chen.", "Emily Chen"),
        ("I'm Emily Chen", "Emily Chen"),
        ("I’m Emily Chen", "Emily Chen"),  # curly apostrophe
        ("it's José Álvarez", "José Álvarez"),
        ("Mary-Jane O'Neil", "Mary-Jane O'Neil"),
        ("mary-jane o'neil", "Mary-Jane O'Neil"),
        ("emily chen", "Emily Chen"),
        ("EMILY CHEN", "Emily Chen"),
        ("McDonald", "McDonald"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven"),
        ("Zhang Wei", "Zhang Wei"),
        ("zhang wei", "Zhang Wei"),
        ("An Li", "An Li"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Emily", "Emily"),
        ("Hi, my name is Emily Chen, nice to meet you", "Emily Chen"),
        ("call me Emily Chen please", "Emily Chen"),
        ("ＥＭＩＬＹ　ＣＨＥＮ", "Emily Chen"),
        ("Dr. Emily Chen", "Emily Chen"),
        ("Mr Li", "Li"),
        ("Nguyễn Văn An", "Nguyễn Văn An"),
    ],
)
def test_valid_names(text: str, value: str) -> None:
    assert parse_name(text) == NameParse(True, value, None)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        # nothing there
        ("", NOT_FOUND),
        ("   ", NOT_FOUND),
        ("😀", NOT_FOUND),
        ("??!", NOT_FOUND),
        # common replies that are not names, zh and en
        ("是的", NOT_FOUND),
        ("不是", NOT_FOUND),
        ("好的", NOT_FOUND),
        ("你好", NOT_FOUND),
        ("谢谢", NOT_FOUND),
        ("继续", NOT_FOUND),
        ("中文", NOT_FOUND),
        ("英文", NOT_FOUND),
        ("转人工", NOT_FOUND),
        ("我不想说", NOT_FOUND),
        ("我是学生", NOT_FOUND),
        ("hello", NOT_FOUND),
        ("yes", NOT_FOUND),
        ("no", NOT_FOUND),
        ("ok", NOT_FOUND),
        ("OK!", NOT_FOUND),
        ("thanks", NOT_FOUND),
        ("english", NOT_FOUND),
        ("chinese", NOT_FOUND),
        ("help", NOT_FOUND),
        ("what", NOT_FOUND),
        ("why", NOT_FOUND),
        ("human", NOT_FOUND),
        ("agent", NOT_FOUND),
        ("yes please", NOT_FOUND),
        ("I don't know", NOT_FOUND),
        ("I want to apply for a credit card", NOT_FOUND),
        # digits, markup, odd characters
        ("张伟123", HAS_DIGITS),
        ("Emily Chen 2", HAS_DIGITS),
        ("15012345678", HAS_DIGITS),
        ("<b>张伟</b>", HAS_MARKUP),
        ("<script>alert(1)</script>", HAS_MARKUP),
        ("'; DROP TABLE applications; --", BAD_CHARS),
        ("Robert'); DROP TABLE students;--", BAD_CHARS),
        ('Emily "Em" Chen', BAD_CHARS),
        ("name=admin", BAD_CHARS),
        ("张伟😀", BAD_CHARS),
        ("Emily 👍", BAD_CHARS),
        ("张Emily", BAD_CHARS),
        ("Emily_Chen", BAD_CHARS),
        ("·艾力", BAD_CHARS),
        # length
        ("张", TOO_SHORT),
        ("我姓张", TOO_SHORT),
        ("姓欧阳", TOO_SHORT),
        ("王老师", TOO_SHORT),
        ("E", TOO_SHORT),
        ("张伟伟伟伟", TOO_LONG),  # 5 characters, no compound surname
        ("欧阳" + "娜" * 5, TOO_LONG),
        ("x" * 70, TOO_LONG),
        ("a" * 10_000, TOO_LONG),
    ],
)
def test_rejected(text: str, error: str) -> None:
    assert parse_name(text) == NameParse(False, None, error)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张伟", "张*"),
        ("王小明", "王**"),
        ("买买提·艾力", "买**·**"),
        ("Emily Chen", "E. C***"),
        ("Mary-Jane O'Neil", "M. O***"),
        ("Emily", "E***"),
        ("", ""),
    ],
)
def test_mask_name(value: str, masked: str) -> None:
    assert mask_name(value) == masked
