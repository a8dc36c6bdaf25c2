"""Tesseract adapter of the OCR port (through pytesseract).

Every line is read with page-segmentation mode 7 ("a single text line"), the language model of
its script (chi_sim or eng) and its character whitelist; a line that comes back empty is read
again in mode 13 (raw line). Starting Tesseract and loading a
model costs more than reading a short line, so lines that share settings go to one Tesseract
run as a list of images (one "page" each), and runs with different settings go in parallel,
one process per core. Dictionaries are switched off: names, numbers and addresses are not
dictionary words and the word lists only pull readings towards common words.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytesseract

from .. import const
from .port import LineRequest, LineSpec, OcrError, OcrText

_LANG = {"zh": "chi_sim", "latin": "eng"}
_MIN_RAW_LINE_CONFIDENCE = 0.2


def _config(spec: LineSpec, psm: int = 7) -> str:
    parts = [f"--psm {psm}", "--oem 1", "-c load_system_dawg=0", "-c load_freq_dawg=0"]
    if spec.allowed:
        if any(c.isspace() or c in "'\"\\" for c in spec.allowed):
            raise ValueError("whitelist may not contain spaces, quotes or backslashes")
        parts.append(f"-c tessedit_char_whitelist={spec.allowed}")
    return " ".join(parts)


class TesseractEngine:
    """Local Tesseract 4/5 (LSTM). ``workers`` Tesseract processes run at the same time."""

    name = "tesseract"

    def __init__(self, workers: int = const.OCR_WORKERS, timeout_s: int = const.OCR_TIMEOUT_S) -> None:
        self.workers = max(1, workers)
        self.timeout_s = timeout_s
        # One thread per Tesseract process: several processes already use every core, and
        # OpenMP threads on top of that only add contention.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

    def version(self) -> str:
        try:
            return str(pytesseract.get_tesseract_version()).splitlines()[0].strip()
        except (pytesseract.TesseractNotFoundError, OSError) as exc:
            raise OcrError("tesseract_missing") from exc

    def _run(self, spec: LineSpec, requests: list[LineRequest], workdir: Path, tag: str) -> list[OcrText]:
        """Read a group of lines in mode 7; lines that come back empty get a second try in mode 13
        (raw line: no layout analysis, which sometimes discards a short line of bold glyphs)."""
        first = self._run_psm(spec, requests, workdir, tag, 10 if spec.single_char else 7)
        empty = [i for i, r in enumerate(first) if not r.text]
        if empty and not spec.single_char:
            again = self._run_psm(spec, [requests[i] for i in empty], workdir, tag + "r", 13)
            for i, r in zip(empty, again, strict=True):
                if r.confidence >= _MIN_RAW_LINE_CONFIDENCE:  # raw mode "reads" noise with ~0 confidence
                    first[i] = r
        return first

    def _run_psm(self, spec: LineSpec, requests: list[LineRequest], workdir: Path, tag: str, psm: int) -> list[OcrText]:
        paths = []
        for i, req in enumerate(requests):
            p = workdir / f"{tag}-{i}.png"
            req.image.save(p)
            paths.append(str(p))
        listing = workdir / f"{tag}.txt"
        listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
        try:
            data = pytesseract.image_to_data(
                str(listing),
                lang=_LANG[spec.script],
                config=_config(spec, psm),
                output_type=pytesseract.Output.DICT,
                timeout=self.timeout_s,
            )
        except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, RuntimeError, OSError) as exc:
            raise OcrError(f"tesseract_failed: {exc}") from exc
        words: dict[int, list[tuple[str, float]]] = defaultdict(list)
        for page, text, conf in zip(data["page_num"], data["text"], data["conf"], strict=True):
            conf_f = float(conf)
            if text and text.strip() and conf_f >= 0:
                words[int(page)].append((text.strip(), conf_f))
        out: list[OcrText] = []
        for page in range(1, len(requests) + 1):
            ws = words.get(page, [])
            text = " ".join(w for w, _ in ws)
            conf = sum(c for _, c in ws) / len(ws) / 100.0 if ws else 0.0
            out.append(OcrText(text=text, confidence=max(0.0, min(1.0, conf))))
        return out

    def read_lines(self, requests: Sequence[LineRequest]) -> list[OcrText]:
        """Read every line; lines with the same settings share one Tesseract run."""
        if not requests:
            return []
        groups: dict[LineSpec, list[int]] = defaultdict(list)
        for i, req in enumerate(requests):
            groups[req.spec].append(i)
        results: list[OcrText | None] = [None] * len(requests)
        with tempfile.TemporaryDirectory(prefix="kaika-ocr-") as tmp:
            workdir = Path(tmp)
            jobs = list(groups.items())

            def run(job_index: int) -> None:
                spec, idx = jobs[job_index]
                for i, res in zip(
                    idx, self._run(spec, [requests[i] for i in idx], workdir, f"g{job_index}"), strict=True
                ):
                    results[i] = res

            if len(jobs) == 1:
                run(0)
            else:
                with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
                    list(pool.map(run, range(len(jobs))))
        return [r if r is not None else OcrText("", 0.0) for r in results]
