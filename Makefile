# The verbs a person types. `make run` and `make test` are the contract (see README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := 3.10
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed

# Ports and endpoints (override on the command line: `make run RASA_PORT=5006`).
export RASA_PORT ?= 5005
export ACTION_PORT ?= 5055
export WEB_PORT ?= 8080
export ENDPOINTS ?= endpoints.yml
export PYTHONDONTWRITEBYTECODE := 1
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Nothing may call out at run time: no telemetry, no error reporting to a third party.
export RASA_TELEMETRY_ENABLED := false
# Rasa's pinned dependencies print pages of deprecation warnings on every start; they are not ours to fix.
export PYTHONWARNINGS ?= ignore::DeprecationWarning

PIPELINE_DIGEST := build/spacy_pipeline.sha256
TRAIN_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(wildcard bot/nlu/*.py) \
                $(PIPELINE_DIGEST)

.PHONY: help install kb train run test lint validate bench shell widget clean FORCE

help:
	@echo "make run    install if needed, build the knowledge store, train if data changed, start everything"
	@echo "make test   the whole test suite (lint, data validation, pytest, NLU quality bars, test stories)"
	@echo "make kb     (re)load knowledge/profiles into the database and rebuild the spaCy pipeline"
	@echo "make train  train the Rasa model if config, domain, data or the spaCy pipeline changed"
	@echo "make shell  chat in the terminal (starts the action server in the background)"
	@echo "make bench  latency and throughput benchmark against a stock 'rasa init' assistant"

$(STAMP): pyproject.toml requirements.lock
	@if [ ! -x $(PY) ]; then \
	  echo ">> creating $(VENV) with Python $(PYTHON_VERSION)"; \
	  PY_BIN=$$(command -v python$(PYTHON_VERSION) || true); \
	  if [ -z "$$PY_BIN" ]; then echo "python$(PYTHON_VERSION) not found: install Python $(PYTHON_VERSION) (e.g. pyenv install $(PYTHON_VERSION))" >&2; exit 1; fi; \
	  $$PY_BIN -m venv $(VENV); \
	fi
	@echo ">> installing dependencies (first time: about two minutes)"
	$(PY) -m pip install --progress-bar on --upgrade pip wheel
	$(PY) -m pip install --progress-bar on -c requirements.lock -e ".[dev]"
	@touch $@

install: $(STAMP)

# Always run (both steps are idempotent and take seconds): the loader skips unchanged profiles, and the
# pipeline builder rewrites build/spacy_pipeline and its digest only when the patterns changed, so the
# model is retrained exactly when the store's vocabulary changed.
$(PIPELINE_DIGEST): $(STAMP) FORCE
	@echo ">> loading knowledge profiles into the store"
	$(PY) -m knowledge.loader
	@echo ">> building the spaCy entity pipeline from the store"
	$(PY) -m bot.nlp.build_pipeline

kb: $(PIPELINE_DIGEST)

FORCE:

models/.trained: $(STAMP) $(TRAIN_INPUTS)
	@echo ">> training the Rasa model (config, domain, data or pipeline changed)"
	$(RASA) train --fixed-model-name skincare --out models --force
	@touch $@

train: models/.trained

widget: $(STAMP)
	$(PY) -m bot.web.assets

run: install kb train widget
	$(PY) -m bot.run

shell: install kb train
	$(PY) -m bot.run --shell

lint: $(STAMP)
	$(VENV)/bin/ruff check .

validate: $(STAMP) $(PIPELINE_DIGEST)
	$(RASA) data validate --fail-on-warnings

test: install kb train widget lint validate
	$(PY) -m pytest
	$(PY) -m bot.quality --nlu-report build/nlu-report --stories-report build/stories-report

bench: install kb widget
	$(PY) -m bot.bench

clean:
	rm -rf build models var .pytest_cache
