"""RapidOCR adapter of the OCR port (PaddleOCR models run by ONNX Runtime, in process).

Needs ``rapidocr`` and ``onnxruntime`` (both pinned in requirements.txt; see the README for the
pins that co-install with kaika's venv). The recognition model reads one cropped line at a time
("rec only": the reader already found the lines), all lines of a document in one batch. It has
no character whitelist, so characters outside ``LineSpec.allowed`` are dropped afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import cv2
import numpy as np

from .port import LineRequest, OcrError, OcrText

_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789<.,-/ ")


class RapidOcrEngine:
    """RapidOCR 3 (``pip install rapidocr==3.10.0 onnxruntime==1.23.2``)."""

    name = "rapidocr"

    def __init__(self, threads: int = 2) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrError("rapidocr_missing") from exc
        self._ocr = RapidOCR(
            params={
                "Global.log_level": "warning",
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        self._lock = threading.Lock()

    def version(self) -> str:
        from importlib.metadata import version

        return f"rapidocr {version('rapidocr')}, onnxruntime {version('onnxruntime')}"

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        if not requests:
            return []
        images = [cv2.cvtColor(np.asarray(r.image.convert("L")), cv2.COLOR_GRAY2BGR) for r in requests]
        try:
            with self._lock:
                result = self._ocr.recognize_txt(images)
        except Exception as exc:  # any engine failure is a server-side OCR failure
            raise OcrError(f"rapidocr_failed: {exc}") from exc
        texts = list(result.txts or ())
        scores = list(result.scores or ())
        out: list[OcrText] = []
        for i, req in enumerate(requests):
            text = texts[i] if i < len(texts) else ""
            score = float(scores[i]) if i < len(scores) else 0.0
            if req.spec.allowed:
                text = "".join(c for c in text.upper() if c in req.spec.allowed or c == " ")
            elif req.spec.script == "latin":
                text = "".join(c for c in text if c in _LATIN)
            out.append(OcrText(text=text.strip(), confidence=max(0.0, min(1.0, score)) if text.strip() else 0.0))
        return out
