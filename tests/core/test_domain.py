"""Every user-facing response exists in Chinese (default) and English, with the same variables
and the same buttons; every response an action names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot import questionnaire
from bot.i18n import _labels

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
VAR = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def responses() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "domain").glob("*.yml")):
        out.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}))
    return out


RESPONSES = responses()


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_zh_default_and_en_variation(name: str) -> None:
    variations = RESPONSES[name]
    default = [v for v in variations if not v.get("condition")]
    english = [v for v in variations if v.get("condition") == [{"type": "slot", "name": "language", "value": "en"}]]
    assert len(default) == 1 and len(english) == 1, name
    zh, en = default[0], english[0]
    assert CJK.search(zh["text"]), f"{name}: default variation should be Chinese"
    assert not CJK.search(en["text"]), f"{name}: English variation has Chinese in it"
    assert set(VAR.findall(zh["text"])) == set(VAR.findall(en["text"])), name
    assert [b["payload"] for b in zh.get("buttons", [])] == [b["payload"] for b in en.get("buttons", [])], name


def test_form_questions_and_help_exist_for_every_field() -> None:
    for field in questionnaire.slot_names():
        assert f"utter_ask_{field}" in RESPONSES or field in ("chosen_card", "application_confirmed"), field
        assert f"utter_help_{field}" in RESPONSES, field


def test_responses_named_in_code_exist() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in [*ROOT.glob("actions/*.py"), *ROOT.glob("bot/*.py")])
    named = set(re.findall(r'"(utter_[a-z_]+)"', code))
    missing = {n for n in named if n not in RESPONSES and not n.endswith("_")}
    assert not missing


def test_labels_have_both_languages() -> None:
    def walk(node: object, path: str) -> None:
        if isinstance(node, dict) and set(node) == {"zh", "en"}:
            assert node["zh"] and node["en"], path
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        else:
            raise AssertionError(f"{path}: a label needs zh and en")

    walk(_labels(), "labels")
