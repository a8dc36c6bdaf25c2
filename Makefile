# kaika — two commands: `make run` and `make test` (both set up everything they need first).
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore

.PHONY: run test bootstrap train lint check-contract bench clean

bootstrap:
	@bash scripts/bootstrap.sh

train: bootstrap
	@$(VENV)/bin/kaika train

## Start Rasa, the action server and the gateway; Ctrl-C stops all three.
run: bootstrap
	@$(VENV)/bin/kaika run

## Unit, component, conversation, end-to-end and browser tests (about 10 minutes).
test: bootstrap train
	@$(PY) -m pytest -q

lint: bootstrap
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/mypy bot nlu actions integrations

## Play simulated applicants against a running `make run` (see ../shared/contract).
check-contract:
	RASA_AUTH_TOKEN=$$(cat var/secrets/rasa_auth_token) $(PY) ../shared/contract/check_conversation.py

# Benchmarks (not part of `make test`; about 40 minutes on 2 cores). Each writes bench/results/.
bench: bootstrap train
	@$(PY) -m bench.nlu_cv
	@$(PY) -m bench.startup
	@$(PY) -m bench.latency
	@$(PY) -m bench.ocr --engine rapidocr
	@$(PY) -m bench.ocr --engine tesseract
	@$(PY) -m bench.kyc_checks
	@$(PY) -m bench.scoring
	@$(PY) -m bench.signing
	@$(PY) -m bench.issuing

clean:
	rm -rf var models .pytest_cache .ruff_cache .mypy_cache
