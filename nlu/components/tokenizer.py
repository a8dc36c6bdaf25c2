"""A tokenizer for Chinese and English in one model.

Rasa's JiebaTokenizer hands whole texts to jieba, which keeps spaces as tokens and splits Latin
text poorly; the whitespace tokenizer cannot split Chinese at all. This one splits the text into
runs: runs of CJK ideographs go through jieba (with kaika's domain dictionary), everything else is
cut into words, numbers and single symbols.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from bot.settings import get_settings

USER_DICT = Path(__file__).resolve().parent.parent / "resources" / "jieba_dict.txt"
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_OTHER_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['’-][A-Za-z\u00c0-\u024f]+)*|\d+(?:[.,]\d+)*|[^\s\w]", re.UNICODE)

_jieba_ready = False


def _jieba() -> Any:
    """jieba, initialised once per process with its cache in kaika's var dir (not /tmp)."""
    global _jieba_ready
    import jieba

    if not _jieba_ready:
        cache = get_settings().var_dir / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        jieba.setLogLevel(60)
        jieba.dt.tmp_dir = str(cache)
        jieba.initialize()
        jieba.load_userdict(str(USER_DICT))
        _jieba_ready = True
    return jieba


def split_tokens(text: str) -> list[tuple[str, int]]:
    """(token, start offset) pairs; offsets index into ``text``."""
    tokens: list[tuple[str, int]] = []
    pos = 0
    for m in _CJK_RUN.finditer(text):
        tokens += [(t.group(), pos + t.start()) for t in _OTHER_TOKEN.finditer(text[pos : m.start()])]
        for word, start, _end in _jieba().tokenize(m.group()):
            if word.strip():
                tokens.append((word, m.start() + start))
        pos = m.end()
    tokens += [(t.group(), pos + t.start()) for t in _OTHER_TOKEN.finditer(text[pos:])]
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class BilingualTokenizer(Tokenizer):
    """jieba for Chinese runs, a word/number/symbol pattern for the rest."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> BilingualTokenizer:
        _jieba()  # load the dictionary now, not on the first applicant's message
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        return ["jieba"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens = [Token(word, start) for word, start in split_tokens(text)]
        return self._apply_token_pattern(tokens)
