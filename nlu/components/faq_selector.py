"""FAQ retrieval without TensorFlow: picks the answer for a ``faq/<topic>`` retrieval intent.

Rasa's ResponseSelector is a TensorFlow model; building its graph adds tens of seconds to every
start of the server. This component learns the same mapping (question → ``utter_faq/<topic>``)
with TF-IDF character n-grams and a logistic regression, and writes its prediction in the exact
shape ResponseSelector uses, so Rasa's ``utter_faq`` retrieval action works unchanged.
"""

from __future__ import annotations

import logging
import zlib
from typing import Any

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from nlu.parsers.text import normalize

logger = logging.getLogger(__name__)
MODEL_FILE = "faq_selector.joblib"


def build_pipeline(c: float = 10.0) -> Pipeline:
    """The retrieval model: shared with the benchmark's cross-validation."""
    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, preprocessor=normalize_lower),
        LogisticRegression(C=c, max_iter=2000, random_state=42),
    )


def normalize_lower(text: str) -> str:
    return normalize(text).lower()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqSelector(GraphComponent):
    """Response selection for retrieval intents (``faq/annual_fee`` → ``utter_faq/annual_fee``)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "C": 10.0, "ranking_length": 5}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Pipeline | None = None,
        responses: dict[str, Any] | None = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self._model = model
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FaqSelector:
        return cls(config, model_storage, resource)

    @property
    def retrieval_intent(self) -> str:
        return str(self._config["retrieval_intent"])

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for ex in training_data.intent_examples:
            key = ex.get(INTENT_RESPONSE_KEY)
            if ex.get(INTENT) == self.retrieval_intent and key:
                texts.append(ex.get(TEXT))
                labels.append(key)
        if len(set(labels)) < 2:
            logger.warning("FaqSelector: fewer than two %s/* topics; nothing trained", self.retrieval_intent)
            return self._resource
        self._model = build_pipeline(float(self._config["C"])).fit(texts, labels)
        prefix = f"utter_{self.retrieval_intent}/"
        self._responses = {k: v for k, v in training_data.responses.items() if k.startswith(prefix)}
        with self._storage.write_to(self._resource) as path:
            joblib.dump({"model": self._model, "responses": self._responses}, path / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> FaqSelector:
        try:
            with model_storage.read_from(resource) as path:
                saved = joblib.load(path / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("FaqSelector: no trained model found; FAQ answers are disabled")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, saved["model"], saved["responses"])

    def process(self, messages: list[Message]) -> list[Message]:
        if self._model is None:
            return messages
        classes = list(self._model.classes_)
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip():
                continue
            probs = self._model.predict_proba([text])[0]
            order = probs.argsort()[::-1]
            best = classes[order[0]]
            utter = f"utter_{best}"
            ranking = [
                {
                    "id": zlib.crc32(classes[i].encode()),
                    PREDICTED_CONFIDENCE_KEY: float(probs[i]),
                    INTENT_RESPONSE_KEY: classes[i],
                }
                for i in order[: int(self._config["ranking_length"])]
            ]
            props = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            props[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [self.retrieval_intent]
            props[self.retrieval_intent] = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    RESPONSE_SELECTOR_RESPONSES_KEY: self._responses.get(utter, []),
                    PREDICTED_CONFIDENCE_KEY: float(probs[order[0]]),
                    INTENT_RESPONSE_KEY: best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: utter,
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking,
            }
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, props, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
